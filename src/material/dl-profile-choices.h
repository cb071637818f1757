/* dl-profile-choices.h — the profile a person chose for a scanner,
 * remembered per scanner identity (make, model and serial number, or the
 * folder the scans come from) in a small key file, so it is asked for once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-scan.h"

G_BEGIN_DECLS

/* $DOORLICHT_PROFILE_CHOICES when set, else the user's configuration
 * folder's doorlicht/profile-choices.ini. */
char          *dl_profile_choices_default_path (void);
/* The identity a choice is remembered under, for people:
 * "make …, model …, serial …" or "folder …". */
char          *dl_profile_choices_identity     (DlScan      *scan);
gboolean       dl_profile_choices_remember     (const char  *path,
                                                DlScan      *scan,
                                                const char  *profile_id,
                                                GError     **error);
/* The profile id remembered for @scan's scanner, or NULL (also when the
 * file is missing or unreadable: a choice to be asked for again). */
char          *dl_profile_choices_lookup       (const char  *path,
                                                DlScan      *scan);

G_END_DECLS
