/* dl-profile-dialog.h — asks which scanner profile a scan is to use: the
 * installed profiles, one to pick, for the scanner the scan names.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DL_TYPE_PROFILE_DIALOG (dl_profile_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DlProfileDialog, dl_profile_dialog, DL, PROFILE_DIALOG, AdwMessageDialog)

/* The profiles of dl_profiles_get_default (), @current_id ticked (NULL:
 * none); @body says what the choice does. Answers "choose" or "cancel". */
DlProfileDialog *dl_profile_dialog_new            (GtkWindow       *parent,
                                                  const char      *body,
                                                  const char      *current_id);
/* The id of the profile ticked, NULL when none is. */
const char      *dl_profile_dialog_get_profile_id (DlProfileDialog *self);
/* Ticks the profile @id (as a click on its row does); FALSE when it is not listed. */
gboolean         dl_profile_dialog_select         (DlProfileDialog *self,
                                                  const char      *id);

G_END_DECLS
