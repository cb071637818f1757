/* dl-display-panel.h — the side panel for the density window: histogram,
 * numeric centre and width, gamma, invert, density, presets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "dl-session.h"

G_BEGIN_DECLS

#define DL_TYPE_DISPLAY_PANEL (dl_display_panel_get_type ())
G_DECLARE_FINAL_TYPE (DlDisplayPanel, dl_display_panel, DL, DISPLAY_PANEL, GtkBox)

void dl_display_panel_set_session      (DlDisplayPanel *self,
                                        DlSession      *session);
void dl_display_panel_set_user_presets (DlDisplayPanel *self,
                                        GPtrArray      *presets);

G_END_DECLS
