/* dl-scan-view-draw.c — DlScanView's frame: the viewport through the
 * overlays and enhancement, the hint's region, the detectors' findings and
 * the marks drawn over it.
 *
 * Draws only what is visible: the viewport is rendered on the CPU from the
 * plane's pyramid through a 65536-entry LUT into an 8-bit BGRA buffer of
 * the widget's size, and handed to GTK as one texture of that size (never
 * the whole scan; see PLATFORM-NOTES, texture-size crash).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-scan-view-draw"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "dl-enhance.h"
#include "dl-format.h"
#include "dl-mark-draw.h"
#include "dl-overlay.h"
#include "dl-scan-view-private.h"

#define HINT_RGB 0.80, 0.76, 1.0   /* the outline of a hint's region */
#define FINDING_RGB 1.0, 0.60, 0.35     /* a finding's outline: soft orange */
#define CONFIRMED_RGB 1.0, 0.40, 0.40   /* one the analyst confirmed */
#define DISMISSED_RGB 0.85, 0.85, 0.85  /* one dismissed, faint */

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

  _dl_scan_view_get_viewport (self, &vp);
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
  DlAnnotations *all = _dl_scan_view_marks (self);
  guint selected = self->session ? dl_session_get_selected (self->session) : 0;
  DlViewport vp;
  cairo_t *cr;

  if (all == NULL || self->plane == NULL)
    return;

  _dl_scan_view_get_viewport (self, &vp);
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

  _dl_scan_view_get_viewport (self, &vp);
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
  _dl_scan_view_get_viewport (self, &vp);
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

void
_dl_scan_view_snapshot (GtkWidget   *widget,
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
