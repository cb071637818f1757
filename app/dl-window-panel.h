/* dl-window-panel.h — the side panel for the density window: histogram,
 * numeric centre and width, gamma, invert, density, presets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "dl-session.h"

G_BEGIN_DECLS

#define DL_TYPE_WINDOW_PANEL (dl_window_panel_get_type ())
G_DECLARE_FINAL_TYPE (DlWindowPanel, dl_window_panel, DL, WINDOW_PANEL, GtkBox)

void dl_window_panel_set_session      (DlWindowPanel *self,
                                       DlSession     *session);
void dl_window_panel_set_user_presets (DlWindowPanel *self,
                                       GPtrArray     *presets);

G_END_DECLS
