/* dl-scan-view-private.h — what the parts of DlScanView share: its
 * instance structure and the _dl_scan_view_… functions of dl-scan-view-*.c.
 *
 *   dl-scan-view.c        lifecycle, properties and signals, settling, the
 *                         viewport, public API
 *   dl-scan-view-draw.c   the frame: the viewport rendered through the LUT,
 *                         overlays and enhancement; the hint's region, the
 *                         findings and the marks drawn over it
 *   dl-scan-view-input.c  scroll, drags and pointer: zoom, pan, windowing
 *                         by right-drag, marks drawn, picked and moved
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-render.h"
#include "dl-scan-view.h"
#include "dl-session.h"

G_BEGIN_DECLS

struct _DlScanView
{
  GtkWidget    parent_instance;

  DlViewState *state;
  DlScan      *scan;
  guint        plane_index;
  DlPlane     *plane;

  guint8      *lut;
  gboolean     lut_valid;
  GdkTexture  *texture;

  double       drag_start_x;
  double       drag_start_y;
  double       drag_start_center;
  double       drag_start_width;
  double       pointer_x;
  double       pointer_y;

  /* annotating */
  DlSession   *session;
  int          drag_mode;
  DlPoint      draft[2];
  GArray      *polygon;      /* DlPoint: a polygon being drawn */
  double       move_x;
  double       move_y;

  /* the region of the hint the analyst selected, outlined */
  gboolean     has_hint;
  guint        hint_view;
  int          hint_box[4];

  /* the detectors' findings (the session's), drawn when shown */
  gboolean     show_findings;
  guint        current_finding;   /* G_MAXUINT: none */

  /* enhancement waits until the view settles, so dragging stays fluid */
  guint        settle_id;
  gboolean     settled;
};

/* what the drag under way does (drag_mode) */
enum { DRAG_PAN, DRAG_DRAW, DRAG_MOVE, DRAG_NONE };

/* made in dl-scan-view.c, emitted by dl-scan-view-input.c */
enum { POINTER_MOVED, TEXT_REQUESTED, N_SIGNALS };

extern guint _dl_scan_view_signals[N_SIGNALS];

/* dl-scan-view.c */
DlAnnotations *_dl_scan_view_marks            (DlScanView      *self);
double         _dl_scan_view_fit_zoom         (DlScanView      *self);
void           _dl_scan_view_get_viewport     (DlScanView      *self,
                                               DlViewport      *vp);

/* dl-scan-view-draw.c */
void           _dl_scan_view_snapshot         (GtkWidget       *widget,
                                               GtkSnapshot     *snapshot);

/* dl-scan-view-input.c */
void           _dl_scan_view_input_class_init (DlScanViewClass *klass);

G_END_DECLS
