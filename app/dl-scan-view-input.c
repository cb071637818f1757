/* dl-scan-view-input.c — DlScanView under the pointer: the wheel zooms,
 * a drag pans or draws, picks and moves marks as the session's tool says,
 * a right-drag changes the window; zoom steps and panning by key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-scan-view-input"

#include "config.h"

#include <math.h>

#include "dl-histogram.h"
#include "dl-scan-view-private.h"

#define ZOOM_STEP 1.25
/* Right-drag: pixels of mouse travel for the whole data range. */
#define WINDOW_DRAG_PIXELS 600.0

/* Leaves fit mode keeping what is on screen, so zoom and pan start from it. */
static void
unfit (DlScanView *self)
{
  if (!dl_view_state_get_fit (self->state) || self->plane == NULL)
    return;

  g_object_freeze_notify (G_OBJECT (self->state));
  dl_view_state_set_zoom (self->state, _dl_scan_view_fit_zoom (self));
  dl_view_state_set_focus (self->state, self->plane->width / 2.0, self->plane->height / 2.0);
  dl_view_state_set_fit (self->state, FALSE);
  g_object_thaw_notify (G_OBJECT (self->state));
}

static void
widget_to_image (DlScanView *self,
                 double      wx,
                 double      wy,
                 double     *ix,
                 double     *iy)
{
  DlViewport vp;

  _dl_scan_view_get_viewport (self, &vp);
  *ix = dl_viewport_to_image_x (&vp, wx);
  *iy = dl_viewport_to_image_y (&vp, wy);
}

void
dl_scan_view_zoom_step (DlScanView *self,
                        double      factor)
{
  double fx, fy;

  g_return_if_fail (DL_IS_SCAN_VIEW (self));

  unfit (self);
  dl_view_state_get_focus (self->state, &fx, &fy);
  dl_view_state_zoom_at (self->state, factor, fx, fy);
}

/* Pans by (@dx, @dy) screen pixels. */
void
dl_scan_view_pan_by (DlScanView *self,
                     double      dx,
                     double      dy)
{
  double fx, fy, zoom;

  g_return_if_fail (DL_IS_SCAN_VIEW (self));

  unfit (self);
  zoom = dl_view_state_get_zoom (self->state);
  dl_view_state_get_focus (self->state, &fx, &fy);
  dl_view_state_set_focus (self->state, fx + dx / zoom, fy + dy / zoom);
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           DlScanView               *self)
{
  double ix, iy;

  g_assert (GTK_IS_EVENT_CONTROLLER_SCROLL (controller));
  g_assert (DL_IS_SCAN_VIEW (self));

  if (self->plane == NULL || dy == 0)
    return FALSE;

  unfit (self);
  widget_to_image (self, self->pointer_x, self->pointer_y, &ix, &iy);
  dl_view_state_zoom_at (self->state, pow (ZOOM_STEP, -dy), ix, iy);
  return TRUE;
}

/* Rectangles, arrows and rulers are dragged out; polygons are clicked
 * point by point (finished on the first point, or with Enter); text is
 * placed with a click.  The select tool picks and moves marks, and pans
 * where there is none. */
static void
on_pan_begin (GtkGestureDrag *gesture,
              double          x,
              double          y,
              DlScanView     *self)
{
  DlTool tool = self->session ? dl_session_get_tool (self->session) : DL_TOOL_SELECT;
  double ix, iy;

  g_assert (GTK_IS_GESTURE_DRAG (gesture));
  g_assert (DL_IS_SCAN_VIEW (self));

  if (self->plane == NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_widget_grab_focus (GTK_WIDGET (self));
  widget_to_image (self, x, y, &ix, &iy);
  self->draft[0] = self->draft[1] = (DlPoint) { ix, iy };

  switch (tool)
    {
    case DL_TOOL_SELECT:
      {
        guint hit = _dl_scan_view_marks (self) ? dl_annotations_hit (_dl_scan_view_marks (self), self->plane->view, ix, iy,
                                                                     6.0 / dl_scan_view_get_effective_zoom (self)) : 0;
        if (self->session)
          dl_session_set_selected (self->session, hit);
        if (hit)
          {
            /* a move is one edit, recorded when the drag ends */
            dl_session_begin_mark_edit (self->session);
            self->drag_mode = DRAG_MOVE;
            self->move_x = ix;
            self->move_y = iy;
            return;
          }
        self->drag_mode = DRAG_PAN;
        unfit (self);
        dl_view_state_get_focus (self->state, &self->drag_start_x, &self->drag_start_y);
      }
      break;
    case DL_TOOL_POLYGON:
      self->drag_mode = DRAG_NONE;
      if (self->polygon->len >= 3)
        {
          const DlPoint *first = &g_array_index (self->polygon, DlPoint, 0);
          if (hypot (first->x - ix, first->y - iy) * dl_scan_view_get_effective_zoom (self) < 8)
            {
              dl_scan_view_finish_polygon (self);
              return;
            }
        }
      g_array_append_val (self->polygon, self->draft[0]);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;
    case DL_TOOL_TEXT:
      self->drag_mode = DRAG_NONE;
      g_signal_emit (self, _dl_scan_view_signals[TEXT_REQUESTED], 0, ix, iy);
      break;
    case DL_TOOL_RECTANGLE:
    case DL_TOOL_ARROW:
    case DL_TOOL_RULER:
    case DL_N_TOOLS:
    default:
      self->drag_mode = DRAG_DRAW;
      break;
    }
}

static void
on_pan_update (GtkGestureDrag *gesture,
               double          ox,
               double          oy,
               DlScanView     *self)
{
  double zoom = dl_view_state_get_zoom (self->state), sx, sy, ix, iy;

  g_assert (GTK_IS_GESTURE_DRAG (gesture));
  g_assert (DL_IS_SCAN_VIEW (self));

  gtk_gesture_drag_get_start_point (gesture, &sx, &sy);
  widget_to_image (self, sx + ox, sy + oy, &ix, &iy);

  switch (self->drag_mode)
    {
    case DRAG_PAN:
      dl_view_state_set_focus (self->state, self->drag_start_x - ox / zoom, self->drag_start_y - oy / zoom);
      break;
    case DRAG_MOVE:
      dl_annotations_move (_dl_scan_view_marks (self), dl_session_get_selected (self->session),
                           ix - self->move_x, iy - self->move_y);
      self->move_x = ix;
      self->move_y = iy;
      break;
    case DRAG_DRAW:
      self->draft[1] = (DlPoint) { ix, iy };
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;
    default:
      break;
    }
}

static void
on_pan_end (GtkGestureDrag *gesture,
            double          ox,
            double          oy,
            DlScanView     *self)
{
  static const DlAnnotationKind kinds[DL_N_TOOLS] = {
    [DL_TOOL_RECTANGLE] = DL_ANNOTATION_RECTANGLE,
    [DL_TOOL_ARROW] = DL_ANNOTATION_ARROW,
    [DL_TOOL_RULER] = DL_ANNOTATION_RULER,
  };
  double zoom = dl_scan_view_get_effective_zoom (self);

  g_assert (GTK_IS_GESTURE_DRAG (gesture));
  g_assert (DL_IS_SCAN_VIEW (self));

  /* a mark drawn ends the drag; its edit stays open for its label */
  if (self->drag_mode == DRAG_DRAW && _dl_scan_view_marks (self)
      && hypot (self->draft[1].x - self->draft[0].x, self->draft[1].y - self->draft[0].y) * zoom >= 4)
    dl_session_add_mark (self->session, kinds[dl_session_get_tool (self->session)],
                         self->plane->view, self->draft, 2, NULL);
  if (self->drag_mode == DRAG_MOVE)
    dl_session_end_mark_edit (self->session);
  self->drag_mode = DRAG_NONE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Drops the polygon being drawn. */
void
dl_scan_view_cancel_draft (DlScanView *self)
{
  g_return_if_fail (DL_IS_SCAN_VIEW (self));

  g_array_set_size (self->polygon, 0);
  self->drag_mode = DRAG_NONE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Ends the polygon being drawn (3 points or more), selecting it. */
void
dl_scan_view_finish_polygon (DlScanView *self)
{
  g_return_if_fail (DL_IS_SCAN_VIEW (self));

  if (self->polygon->len >= 3 && _dl_scan_view_marks (self) && self->plane)
    dl_session_add_mark (self->session, DL_ANNOTATION_POLYGON, self->plane->view,
                         (DlPoint *) self->polygon->data, self->polygon->len, NULL);
  g_array_set_size (self->polygon, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_window_begin (GtkGestureDrag *gesture,
                 double          x,
                 double          y,
                 DlScanView     *self)
{
  DlWindowing w;

  g_assert (GTK_IS_GESTURE_DRAG (gesture));
  g_assert (DL_IS_SCAN_VIEW (self));

  if (self->plane == NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  dl_view_state_get_windowing (self->state, &w);
  self->drag_start_center = w.center;
  self->drag_start_width = w.width;
}

/* Radiology convention: horizontal travel changes the width, vertical the
 * level; a full-range change takes WINDOW_DRAG_PIXELS of travel. */
static double
window_drag_unit (DlScanView *self)
{
  const DlHistogram *h = dl_plane_get_histogram (self->plane);
  DlWindowing w;
  double span;

  dl_view_state_get_windowing (self->state, &w);
  if (w.space == DL_SPACE_DENSITY)
    span = dl_density (MAX (h->min, 1), w.i0) - dl_density (MAX (h->max, 1), w.i0);
  else
    span = (double) h->max - h->min;

  return MAX (span, w.space == DL_SPACE_DENSITY ? 0.01 : 16.0) / WINDOW_DRAG_PIXELS;
}

static void
on_window_update (GtkGestureDrag *gesture,
                  double          ox,
                  double          oy,
                  DlScanView     *self)
{
  DlWindowing w;
  double unit = window_drag_unit (self);
  double min_width;

  g_assert (GTK_IS_GESTURE_DRAG (gesture));
  g_assert (DL_IS_SCAN_VIEW (self));

  dl_view_state_get_windowing (self->state, &w);
  min_width = w.space == DL_SPACE_DENSITY ? 1e-3 : 1.0;
  dl_view_state_set_window (self->state,
                            self->drag_start_center + oy * unit,
                            MAX (self->drag_start_width + ox * unit, min_width));
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           DlScanView               *self)
{
  double ix, iy;

  g_assert (GTK_IS_EVENT_CONTROLLER_MOTION (controller));
  g_assert (DL_IS_SCAN_VIEW (self));

  self->pointer_x = x;
  self->pointer_y = y;
  if (self->plane == NULL)
    return;
  widget_to_image (self, x, y, &ix, &iy);
  g_signal_emit (self, _dl_scan_view_signals[POINTER_MOVED], 0, ix, iy);
}

static void
on_leave (GtkEventControllerMotion *controller,
          DlScanView               *self)
{
  g_assert (GTK_IS_EVENT_CONTROLLER_MOTION (controller));
  g_assert (DL_IS_SCAN_VIEW (self));

  g_signal_emit (self, _dl_scan_view_signals[POINTER_MOVED], 0, -1.0, -1.0);
}

void
_dl_scan_view_input_class_init (DlScanViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_bind_template_callback (widget_class, on_scroll);
  gtk_widget_class_bind_template_callback (widget_class, on_pan_begin);
  gtk_widget_class_bind_template_callback (widget_class, on_pan_update);
  gtk_widget_class_bind_template_callback (widget_class, on_pan_end);
  gtk_widget_class_bind_template_callback (widget_class, on_window_begin);
  gtk_widget_class_bind_template_callback (widget_class, on_window_update);
  gtk_widget_class_bind_template_callback (widget_class, on_motion);
  gtk_widget_class_bind_template_callback (widget_class, on_leave);
}
