/* dl-window.h — the main window: scan views, display panel, status line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "dl-session.h"

G_BEGIN_DECLS

#define DL_TYPE_WINDOW (dl_window_get_type ())
G_DECLARE_FINAL_TYPE (DlWindow, dl_window, DL, WINDOW, AdwApplicationWindow)

DlWindow  *dl_window_new            (GtkApplication      *application);
DlSession *dl_window_get_session    (DlWindow            *self);
void       dl_window_open_files     (DlWindow            *self,
                                     GFile              **files,
                                     guint                n_files);
GtkWidget *dl_window_get_scan_view  (DlWindow            *self,
                                     guint                index);
const char *dl_window_get_status    (DlWindow            *self);
gboolean   dl_window_open_case_file (DlWindow            *self,
                                     const char          *path,
                                     GError             **error);

G_END_DECLS
