/* dl-scan-view.c
 *
 * Draws only what is visible: the viewport is rendered on the CPU from the
 * plane's pyramid through a 65536-entry LUT into an 8-bit BGRA buffer of
 * the widget's size, and handed to GTK as one texture of that size (never
 * the whole scan; see PLATFORM-NOTES, texture-size crash).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-scan-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "dl-enhance.h"
#include "dl-format.h"
#include "dl-histogram.h"
#include "dl-mark-draw.h"
#include "dl-overlay.h"
#include "dl-render.h"
#include "dl-scan-view.h"
#include "dl-session.h"

#define ZOOM_STEP 1.25
/* Right-drag: pixels of mouse travel for the whole data range. */
#define WINDOW_DRAG_PIXELS 600.0

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

#define SETTLE_MS 120
#define HINT_RGB 0.80, 0.76, 1.0   /* the outline of a hint's region */
#define FINDING_RGB 1.0, 0.60, 0.35     /* a finding's outline: soft orange */
#define CONFIRMED_RGB 1.0, 0.40, 0.40   /* one the analyst confirmed */
#define DISMISSED_RGB 0.85, 0.85, 0.85  /* one dismissed, faint */

enum { DRAG_PAN, DRAG_DRAW, DRAG_MOVE, DRAG_NONE };

G_DEFINE_FINAL_TYPE (DlScanView, dl_scan_view, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_STATE, N_PROPS };
enum { POINTER_MOVED, TEXT_REQUESTED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static DlAnnotations *
marks (DlScanView *self)
{
  return self->session ? dl_session_get_annotations (self->session) : NULL;
}

static void
invalidate (DlScanView *self)
{
  g_clear_object (&self->texture);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
on_settled (gpointer data)
{
  DlScanView *self = data;

  g_assert (DL_IS_SCAN_VIEW (self));

  self->settle_id = 0;
  self->settled = TRUE;
  invalidate (self);
  return G_SOURCE_REMOVE;
}

/* The view is changing: frames skip the (costly) enhancement until it has
 * been still for SETTLE_MS, then one frame adds it. */
static void
unsettle (DlScanView *self)
{
  self->settled = FALSE;
  g_clear_handle_id (&self->settle_id, g_source_remove);
  self->settle_id = g_timeout_add (SETTLE_MS, on_settled, self);
}

static void
on_state_notify (DlViewState *state,
                 GParamSpec  *pspec,
                 DlScanView  *self)
{
  const char *name = g_param_spec_get_name (pspec);

  g_assert (DL_IS_VIEW_STATE (state));
  g_assert (DL_IS_SCAN_VIEW (self));

  if (g_str_equal (name, "center") || g_str_equal (name, "width")
      || g_str_equal (name, "gamma") || g_str_equal (name, "invert")
      || g_str_equal (name, "density") || g_str_equal (name, "i0"))
    self->lut_valid = FALSE;

  unsettle (self);
  invalidate (self);
}

static double
fit_zoom (DlScanView *self)
{
  int w = gtk_widget_get_width (GTK_WIDGET (self));
  int h = gtk_widget_get_height (GTK_WIDGET (self));

  if (self->plane == NULL || w <= 0 || h <= 0)
    return 1.0;

  return CLAMP (MIN ((double) w / self->plane->width, (double) h / self->plane->height),
                DL_ZOOM_MIN, DL_ZOOM_MAX);
}

/* Screen pixels per image pixel, as drawn now. */
double
dl_scan_view_get_effective_zoom (DlScanView *self)
{
  g_return_val_if_fail (DL_IS_SCAN_VIEW (self), 1.0);

  if (dl_view_state_get_fit (self->state))
    return fit_zoom (self);
  return dl_view_state_get_zoom (self->state);
}

/* The viewport in logical (widget) pixels. */
static void
get_viewport (DlScanView *self,
              DlViewport *vp)
{
  double fx, fy;

  vp->zoom = dl_scan_view_get_effective_zoom (self);
  if (dl_view_state_get_fit (self->state) && self->plane)
    {
      fx = self->plane->width / 2.0;
      fy = self->plane->height / 2.0;
    }
  else
    dl_view_state_get_focus (self->state, &fx, &fy);

  vp->origin_x = fx - gtk_widget_get_width (GTK_WIDGET (self)) / 2.0 / vp->zoom;
  vp->origin_y = fy - gtk_widget_get_height (GTK_WIDGET (self)) / 2.0 / vp->zoom;
}

/* The viewport through the overlays and enhancement, in one pass. */
static void
render_with_overlay (DlScanView       *self,
                     const DlViewport *vp,
                     guint32          *pixels,
                     int               width,
                     int               height,
                     int               enhance)
{
  const guint8 *map = dl_scan_get_classes (self->scan, self->plane->view);
  g_autofree guint8 *band_lut = NULL;
  DlOverlay overlay;

  dl_view_state_get_overlay (self->state, &overlay);
  if (map == NULL)
    overlay.material = FALSE;
  if (overlay.n_bands)
    band_lut = dl_overlay_band_lut (&overlay, dl_plane_get_i0 (self->plane));
  dl_render_viewport_overlay (dl_plane_get_pyramid (self->plane), self->lut, overlay.material ? map : NULL,
                              &overlay, band_lut, enhance, vp, pixels, width, height, width * 4);
  dl_overlay_clear (&overlay);
}

static GdkTexture *
render_texture (DlScanView *self,
                int         width,
                int         height,
                int         scale)
{
  g_autoptr(GBytes) bytes = NULL;
  DlViewport vp;
  guint32 *pixels;
  int stride = width * 4;
  int enhance;

  if (!self->lut_valid)
    {
      DlWindowing w;

      dl_view_state_get_windowing (self->state, &w);
      dl_windowing_fill_lut (&w, self->lut);
      self->lut_valid = TRUE;
    }

  get_viewport (self, &vp);
  vp.zoom *= scale;
  g_object_get (self->state, "enhance", &enhance, NULL);
  if (!self->settled)
    enhance = DL_ENHANCE_NONE;   /* added once the view is still */

  pixels = g_malloc ((gsize) stride * height);
  if (enhance != DL_ENHANCE_NONE || dl_view_state_has_overlay (self->state))
    render_with_overlay (self, &vp, pixels, width, height, enhance);
  else
    dl_render_viewport (dl_plane_get_pyramid (self->plane), self->lut, &vp,
                        pixels, width, height, stride);
  bytes = g_bytes_new_take (pixels, (gsize) stride * height);

  return gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, stride);
}

static void
draw_marks (DlScanView  *self,
            GtkSnapshot *snapshot,
            int          width,
            int          height)
{
  DlAnnotations *all = marks (self);
  guint selected = self->session ? dl_session_get_selected (self->session) : 0;
  DlViewport vp;
  cairo_t *cr;

  if (all == NULL || self->plane == NULL)
    return;

  get_viewport (self, &vp);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_width (cr, 2);
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 13);

  for (guint i = 0; i < dl_annotations_get_n (all); i++)
    {
      const DlAnnotation *a = dl_annotations_get (all, i);
      const DlPoint *pts = (const DlPoint *) a->points->data;
      g_autofree char *caption = NULL;

      if (a->view != self->plane->view)
        continue;
      dl_mark_path (cr, &vp, a->kind, pts, a->points->len, 1);
      if (a->id == selected)
        cairo_set_source_rgb (cr, 0.2, 0.9, 1.0);
      else
        cairo_set_source_rgb (cr, 1.0, 0.85, 0.1);
      cairo_stroke (cr);

      {
        double px = 0, py = 0;

        if (!dl_scan_get_pixel_pitch (self->scan, &px, &py))
          px = py = 0;
        caption = dl_mark_caption (a, px, py);
      }
      if (caption[0])
        {
          cairo_move_to (cr, (pts[0].x - vp.origin_x) * vp.zoom + 6, (pts[0].y - vp.origin_y) * vp.zoom - 6);
          cairo_show_text (cr, caption);
        }
    }

  /* what is being drawn */
  cairo_set_source_rgba (cr, 0.2, 0.9, 1.0, 0.8);
  cairo_set_dash (cr, (double[]) { 6, 4 }, 2, 0);
  if (self->drag_mode == DRAG_DRAW)
    {
      static const DlAnnotationKind kinds[DL_N_TOOLS] = {
        [DL_TOOL_RECTANGLE] = DL_ANNOTATION_RECTANGLE,
        [DL_TOOL_ARROW] = DL_ANNOTATION_ARROW,
        [DL_TOOL_RULER] = DL_ANNOTATION_RULER,
      };
      dl_mark_path (cr, &vp, kinds[dl_session_get_tool (self->session)], self->draft, 2, 1);
      cairo_stroke (cr);
    }
  if (self->polygon->len > 0)
    {
      dl_mark_path (cr, &vp, DL_ANNOTATION_POLYGON, (DlPoint *) self->polygon->data, self->polygon->len, 1);
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
}

/* The selected hint's region: a thin dotted lavender line on a dark halo,
 * square corners, no caption, so it is not taken for the analyst's own
 * marks (solid yellow, cyan when selected). */
static void
draw_hint_region (DlScanView  *self,
                  GtkSnapshot *snapshot,
                  int          width,
                  int          height)
{
  DlViewport vp;
  double x0, y0, x1, y1;
  cairo_t *cr;

  if (!self->has_hint || self->plane == NULL || self->plane->view != self->hint_view)
    return;

  get_viewport (self, &vp);
  x0 = round ((self->hint_box[0] - vp.origin_x) * vp.zoom) - 3.5;
  y0 = round ((self->hint_box[1] - vp.origin_y) * vp.zoom) - 3.5;
  x1 = round ((self->hint_box[2] - vp.origin_x) * vp.zoom) + 3.5;
  y1 = round ((self->hint_box[3] - vp.origin_y) * vp.zoom) + 3.5;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
  cairo_set_line_width (cr, 3);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.55);
  cairo_stroke_preserve (cr);
  cairo_set_line_width (cr, 1);
  cairo_set_dash (cr, (double[]) { 2, 3 }, 2, 0);
  cairo_set_source_rgba (cr, HINT_RGB, 0.95);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
finding_path (cairo_t                *cr,
              const DlViewport       *vp,
              const DlSessionFinding *f)
{
  const DlFindingPoint *pts = (const DlFindingPoint *) f->finding->outline->data;

  cairo_new_path (cr);
  for (guint i = 0; i < f->finding->outline->len; i++)
    cairo_line_to (cr, round ((pts[i].x - vp->origin_x) * vp->zoom) + 0.5,
                   round ((pts[i].y - vp->origin_y) * vp->zoom) + 0.5);
  cairo_close_path (cr);
}

/* The score beside the outline's top left corner: small, on a dark tab. */
static void
finding_label (cairo_t                *cr,
               const DlViewport       *vp,
               const DlSessionFinding *f,
               double                  alpha)
{
  g_autofree char *number = dl_format_number (f->finding->score * 100, 0);
  g_autofree char *text = g_strdup_printf (_("%s %%"), number);
  cairo_text_extents_t ext;
  double box[4], x, y;

  dl_finding_get_bounds (f->finding, box);
  x = round ((box[0] - vp->origin_x) * vp->zoom);
  y = round ((box[1] - vp->origin_y) * vp->zoom) - 3;
  cairo_text_extents (cr, text, &ext);
  cairo_rectangle (cr, x, y - ext.height - 4, ext.x_advance + 6, ext.height + 4);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.6 * alpha);
  cairo_fill (cr);
  cairo_move_to (cr, x + 3, y - 2);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.9 * alpha);
  cairo_show_text (cr, text);
}

static void
draw_finding (DlScanView             *self,
              cairo_t                *cr,
              const DlViewport       *vp,
              const DlSessionFinding *f,
              gboolean                current)
{
  double alpha = current ? 1.0 : f->response == DL_FINDING_RESPONSE_DISMISSED ? 0.35 : 0.8;

  finding_path (cr, vp, f);
  cairo_set_dash (cr, NULL, 0, 0);
  cairo_set_line_width (cr, current ? 4 : 2.5);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.45 * alpha);
  cairo_stroke_preserve (cr);
  if (f->response == DL_FINDING_RESPONSE_DISMISSED)
    cairo_set_dash (cr, (double[]) { 4, 4 }, 2, 0);
  cairo_set_line_width (cr, current ? 2 : 1);
  if (f->response == DL_FINDING_RESPONSE_CONFIRMED)
    cairo_set_source_rgba (cr, CONFIRMED_RGB, alpha);
  else if (f->response == DL_FINDING_RESPONSE_DISMISSED)
    cairo_set_source_rgba (cr, DISMISSED_RGB, alpha);
  else
    cairo_set_source_rgba (cr, FINDING_RGB, alpha);
  cairo_stroke (cr);
  finding_label (cr, vp, f, current ? 1.0 : alpha);
}

/* The findings of this view's view: a thin outline each, the current one
 * stronger, a confirmed one red, a dismissed one faint and dashed; a
 * finding of the whole scan has no outline to draw. */
static void
draw_findings (DlScanView  *self,
               GtkSnapshot *snapshot,
               int          width,
               int          height)
{
  DlSessionFindings *all = self->session ? dl_session_get_findings (self->session) : NULL;
  const DlSessionFinding *current = NULL;
  DlViewport vp;
  cairo_t *cr;

  if (!self->show_findings || all == NULL || self->plane == NULL || dl_session_findings_get_n (all) == 0)
    return;
  get_viewport (self, &vp);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 11);
  for (guint i = 0; i < dl_session_findings_get_n (all); i++)
    {
      const DlSessionFinding *f = dl_session_findings_get (all, i);

      if (f->finding->outline == NULL || f->finding->view != self->plane->view)
        continue;
      if (i == self->current_finding)
        current = f;
      else
        draw_finding (self, cr, &vp, f, FALSE);
    }
  /* the current one over the others */
  if (current)
    draw_finding (self, cr, &vp, current, TRUE);
  cairo_destroy (cr);
}

static void
dl_scan_view_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  DlScanView *self = DL_SCAN_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int scale = gtk_widget_get_scale_factor (widget);

  if (width <= 0 || height <= 0)
    return;

  if (self->plane == NULL || dl_plane_get_pyramid (self->plane) == NULL)
    {
      GdkRGBA bg;
      gdk_rgba_parse (&bg, "#1e1e1e");
      gtk_snapshot_append_color (snapshot, &bg, &GRAPHENE_RECT_INIT (0, 0, width, height));
      return;
    }

  if (self->texture == NULL)
    self->texture = render_texture (self, width * scale, height * scale, scale);

  gtk_snapshot_append_texture (snapshot, self->texture,
                               &GRAPHENE_RECT_INIT (0, 0, width, height));
  draw_hint_region (self, snapshot, width, height);
  draw_findings (self, snapshot, width, height);
  draw_marks (self, snapshot, width, height);
}

static void
dl_scan_view_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  DlScanView *self = DL_SCAN_VIEW (widget);

  g_clear_object (&self->texture);
  unsettle (self);
  if (self->plane && dl_view_state_get_fit (self->state))
    dl_view_state_set_zoom (self->state, fit_zoom (self));
}

/* Leaves fit mode keeping what is on screen, so zoom and pan start from it. */
static void
unfit (DlScanView *self)
{
  if (!dl_view_state_get_fit (self->state) || self->plane == NULL)
    return;

  g_object_freeze_notify (G_OBJECT (self->state));
  dl_view_state_set_zoom (self->state, fit_zoom (self));
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

  get_viewport (self, &vp);
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
        guint hit = marks (self) ? dl_annotations_hit (marks (self), self->plane->view, ix, iy,
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
      g_signal_emit (self, signals[TEXT_REQUESTED], 0, ix, iy);
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
      dl_annotations_move (marks (self), dl_session_get_selected (self->session),
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
  if (self->drag_mode == DRAG_DRAW && marks (self)
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

  if (self->polygon->len >= 3 && marks (self) && self->plane)
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
  g_signal_emit (self, signals[POINTER_MOVED], 0, ix, iy);
}

static void
on_leave (GtkEventControllerMotion *controller,
          DlScanView               *self)
{
  g_assert (GTK_IS_EVENT_CONTROLLER_MOTION (controller));
  g_assert (DL_IS_SCAN_VIEW (self));

  g_signal_emit (self, signals[POINTER_MOVED], 0, -1.0, -1.0);
}

static void
dl_scan_view_set_state (DlScanView  *self,
                        DlViewState *state)
{
  g_assert (self->state == NULL);
  self->state = g_object_ref (state);
  g_signal_connect_object (state, "notify", G_CALLBACK (on_state_notify), self, 0);
}

static void
dl_scan_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  DlScanView *self = DL_SCAN_VIEW (object);

  switch (prop_id)
    {
    case PROP_STATE: g_value_set_object (value, self->state); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dl_scan_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  DlScanView *self = DL_SCAN_VIEW (object);

  switch (prop_id)
    {
    case PROP_STATE: dl_scan_view_set_state (self, g_value_get_object (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dl_scan_view_dispose (GObject *object)
{
  DlScanView *self = DL_SCAN_VIEW (object);

  g_clear_handle_id (&self->settle_id, g_source_remove);
  g_clear_object (&self->texture);
  g_clear_object (&self->scan);
  g_clear_object (&self->state);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), DL_TYPE_SCAN_VIEW);

  G_OBJECT_CLASS (dl_scan_view_parent_class)->dispose (object);
}

static void
dl_scan_view_finalize (GObject *object)
{
  g_free (DL_SCAN_VIEW (object)->lut);
  g_array_unref (DL_SCAN_VIEW (object)->polygon);
  G_OBJECT_CLASS (dl_scan_view_parent_class)->finalize (object);
}

static void
dl_scan_view_class_init (DlScanViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dl_scan_view_dispose;
  object_class->finalize = dl_scan_view_finalize;
  object_class->get_property = dl_scan_view_get_property;
  object_class->set_property = dl_scan_view_set_property;
  widget_class->snapshot = dl_scan_view_snapshot;
  widget_class->size_allocate = dl_scan_view_size_allocate;

  properties[PROP_STATE] =
    g_param_spec_object ("state", NULL, NULL, DL_TYPE_VIEW_STATE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Image coordinates under the pointer; (−1, −1) when it leaves. */
  signals[POINTER_MOVED] =
    g_signal_new ("pointer-moved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
  /* The text tool was clicked at these image coordinates. */
  signals[TEXT_REQUESTED] =
    g_signal_new ("text-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_DOUBLE);

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/doorlicht/Doorlicht/ui/dl-scan-view.ui");
  gtk_widget_class_bind_template_callback (widget_class, on_scroll);
  gtk_widget_class_bind_template_callback (widget_class, on_pan_begin);
  gtk_widget_class_bind_template_callback (widget_class, on_pan_update);
  gtk_widget_class_bind_template_callback (widget_class, on_pan_end);
  gtk_widget_class_bind_template_callback (widget_class, on_window_begin);
  gtk_widget_class_bind_template_callback (widget_class, on_window_update);
  gtk_widget_class_bind_template_callback (widget_class, on_motion);
  gtk_widget_class_bind_template_callback (widget_class, on_leave);
  gtk_widget_class_set_css_name (widget_class, "scanview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
dl_scan_view_init (DlScanView *self)
{
  self->lut = g_malloc (DL_LUT_SIZE);
  self->polygon = g_array_new (FALSE, FALSE, sizeof (DlPoint));
  self->show_findings = TRUE;
  self->current_finding = G_MAXUINT;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "crosshair");
}

GtkWidget *
dl_scan_view_new (DlViewState *state)
{
  g_return_val_if_fail (DL_IS_VIEW_STATE (state), NULL);

  return g_object_new (DL_TYPE_SCAN_VIEW, "state", state, NULL);
}

/* Shows plane @plane_index of @scan (prepared), or nothing for a %NULL scan. */
void
dl_scan_view_set_plane (DlScanView *self,
                        DlScan     *scan,
                        guint       plane_index)
{
  g_return_if_fail (DL_IS_SCAN_VIEW (self));

  g_set_object (&self->scan, scan);
  self->plane_index = plane_index;
  self->plane = scan ? dl_scan_get_plane_at (scan, plane_index) : NULL;
  unsettle (self);
  if (self->plane)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, self->plane->name, -1);
  invalidate (self);
}

/* Draws again from the scan (its material classes arrived, say). */
void
dl_scan_view_redraw (DlScanView *self)
{
  g_return_if_fail (DL_IS_SCAN_VIEW (self));
  invalidate (self);
}

guint
dl_scan_view_get_plane_index (DlScanView *self)
{
  g_return_val_if_fail (DL_IS_SCAN_VIEW (self), 0);
  return self->plane_index;
}

static void
on_marks_changed (DlScanView *self)
{
  g_assert (DL_IS_SCAN_VIEW (self));

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The session whose tool, marks and selection this view works with. */
void
dl_scan_view_set_session (DlScanView *self,
                          DlSession  *session)
{
  g_return_if_fail (DL_IS_SCAN_VIEW (self));

  g_set_object (&self->session, session);
  if (session)
    {
      g_signal_connect_object (dl_session_get_annotations (session), "changed",
                               G_CALLBACK (on_marks_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::selected", G_CALLBACK (on_marks_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (dl_session_get_findings (session), "changed",
                               G_CALLBACK (on_marks_changed), self, G_CONNECT_SWAPPED);
    }
}

DlViewState *
dl_scan_view_get_state (DlScanView *self)
{
  g_return_val_if_fail (DL_IS_SCAN_VIEW (self), NULL);
  return self->state;
}

/* Outlines @box (x0, y0, x1, y1 in pixels of the scan's @view, end
 * exclusive) as the region of a hint; NULL removes the outline. */
void
dl_scan_view_set_hint_region (DlScanView *self,
                              guint       view,
                              const int  *box)
{
  g_return_if_fail (DL_IS_SCAN_VIEW (self));

  self->has_hint = box != NULL;
  self->hint_view = view;
  if (box)
    memcpy (self->hint_box, box, sizeof self->hint_box);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
dl_scan_view_get_hint_region (DlScanView *self,
                              int         box[4])
{
  g_return_val_if_fail (DL_IS_SCAN_VIEW (self), FALSE);

  if (self->has_hint && box)
    memcpy (box, self->hint_box, sizeof self->hint_box);
  return self->has_hint;
}

/* What the view shows, in pixels of its plane: x0, y0, x1, y1. */
void
dl_scan_view_get_visible_rect (DlScanView *self,
                               double      rect[4])
{
  DlViewport vp;

  g_return_if_fail (DL_IS_SCAN_VIEW (self));

  get_viewport (self, &vp);
  rect[0] = vp.origin_x;
  rect[1] = vp.origin_y;
  rect[2] = vp.origin_x + gtk_widget_get_width (GTK_WIDGET (self)) / vp.zoom;
  rect[3] = vp.origin_y + gtk_widget_get_height (GTK_WIDGET (self)) / vp.zoom;
}

/* Zooms and pans so @box (pixels of the plane) is in the middle of the
 * view with room around it: about two thirds of the view, never closer
 * than 2:1 (or the fit, when that is closer). */
void
dl_scan_view_go_to_region (DlScanView *self,
                           const int  *box)
{
  int w, h;
  double rw, rh, zoom;

  g_return_if_fail (DL_IS_SCAN_VIEW (self));
  g_return_if_fail (box != NULL);

  w = gtk_widget_get_width (GTK_WIDGET (self));
  h = gtk_widget_get_height (GTK_WIDGET (self));
  if (self->plane == NULL || w <= 0 || h <= 0)
    return;

  rw = MAX (box[2] - box[0], 1);
  rh = MAX (box[3] - box[1], 1);
  zoom = MIN (w / (rw * 1.5), h / (rh * 1.5));
  zoom = CLAMP (zoom, DL_ZOOM_MIN, MAX (2.0, fit_zoom (self)));
  g_object_freeze_notify (G_OBJECT (self->state));
  dl_view_state_set_fit (self->state, FALSE);
  dl_view_state_set_zoom (self->state, zoom);
  dl_view_state_set_focus (self->state, (box[0] + box[2]) / 2.0, (box[1] + box[3]) / 2.0);
  g_object_thaw_notify (G_OBJECT (self->state));
}

/* Whether the session's findings are drawn, and which of them is the
 * current one (drawn stronger; G_MAXUINT: none). */
void
dl_scan_view_set_findings_shown (DlScanView *self,
                                 gboolean    shown,
                                 guint       current)
{
  g_return_if_fail (DL_IS_SCAN_VIEW (self));

  self->show_findings = shown;
  self->current_finding = current;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
dl_scan_view_get_findings_shown (DlScanView *self)
{
  g_return_val_if_fail (DL_IS_SCAN_VIEW (self), FALSE);
  return self->show_findings;
}
