/* dl-settings.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "dl-identity.h"
#include "dl-view-state.h"

G_BEGIN_DECLS

GSettings  *dl_settings_get                   (void);
void        dl_settings_add_recent            (const char        *path);
GStrv       dl_settings_dup_recent            (void);

/* Overlay colours and the default opacity follow the preferences, now and
 * whenever they change, for as long as @state lives. */
void        dl_settings_bind_view_state       (DlViewState       *state);
/* The space and window preset of the preferences, for a scan just opened. */
DlPreset    dl_settings_get_default_preset    (void);
gboolean    dl_settings_has_default_preset    (void);
DlSpace     dl_settings_get_default_space     (void);
void        dl_settings_apply_view_defaults   (DlViewState       *state,
                                               const DlHistogram *histogram);
/* "scans-folder", "case-files-folder" or "export-folder": the folder
 * chosen, or the home folder when none is (or it is gone). */
GFile      *dl_settings_dup_folder            (const char        *key);
gboolean    dl_settings_get_advance_after_verdict (void);
/* The display name chosen, or the login when none is. */
char       *dl_settings_dup_display_name      (void);
/* The user's identity with the display name of the preferences. */
DlIdentity *dl_settings_load_identity         (GError           **error);

G_END_DECLS
