/* dl-preferences-window.h — the preferences: style, image defaults and
 * overlay colours, folders, identity; every control bound to GSettings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DL_TYPE_PREFERENCES_WINDOW (dl_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (DlPreferencesWindow, dl_preferences_window, DL, PREFERENCES_WINDOW, AdwPreferencesWindow)

DlPreferencesWindow *dl_preferences_window_new (GtkWindow *parent);

G_END_DECLS
