/* dl-scan-view.h — one plane of a scan, windowed, zoomed and panned as a
 * shared DlViewState says.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "dl-scan.h"
#include "dl-session.h"
#include "dl-view-state.h"

G_BEGIN_DECLS

#define DL_TYPE_SCAN_VIEW (dl_scan_view_get_type ())
G_DECLARE_FINAL_TYPE (DlScanView, dl_scan_view, DL, SCAN_VIEW, GtkWidget)

GtkWidget   *dl_scan_view_new             (DlViewState *state);
void         dl_scan_view_set_plane       (DlScanView  *self,
                                           DlScan      *scan,
                                           guint        plane_index);
void         dl_scan_view_redraw          (DlScanView  *self);
guint        dl_scan_view_get_plane_index (DlScanView  *self);
DlViewState *dl_scan_view_get_state       (DlScanView  *self);
double       dl_scan_view_get_effective_zoom (DlScanView *self);
void         dl_scan_view_zoom_step       (DlScanView  *self,
                                           double       factor);
void         dl_scan_view_set_session     (DlScanView  *self,
                                           DlSession   *session);
void         dl_scan_view_finish_polygon  (DlScanView  *self);
void         dl_scan_view_cancel_draft    (DlScanView  *self);
void         dl_scan_view_pan_by          (DlScanView  *self,
                                           double       dx,
                                           double       dy);
void         dl_scan_view_set_hint_region (DlScanView  *self,
                                           guint        view,
                                           const int   *box);
gboolean     dl_scan_view_get_hint_region (DlScanView  *self,
                                           int          box[4]);
void         dl_scan_view_get_visible_rect (DlScanView *self,
                                            double      rect[4]);
void         dl_scan_view_go_to_region    (DlScanView  *self,
                                           const int   *box);

void         dl_scan_view_set_findings_shown (DlScanView *self,
                                              gboolean    shown,
                                              guint       current);
gboolean     dl_scan_view_get_findings_shown (DlScanView *self);

G_END_DECLS
