/* dl-mark-draw.c — marks drawn with cairo, the same on screen and in the
 * report.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-mark-draw"

#include "config.h"

#include <math.h>

#include "dl-format.h"
#include "dl-mark-draw.h"

/**
 * dl_mark_path:
 * @unit: scale of heads and dots (1 on screen; more on a larger render)
 *
 * Adds the path of a mark of @kind through @pts (image pixels) to @cr, in
 * the coordinates of @vp.
 */
void
dl_mark_path (cairo_t          *cr,
              const DlViewport *vp,
              DlAnnotationKind  kind,
              const DlPoint    *pts,
              guint             n,
              double            unit)
{
#define SX(p) (((p).x - vp->origin_x) * vp->zoom)
#define SY(p) (((p).y - vp->origin_y) * vp->zoom)
  switch (kind)
    {
    case DL_ANNOTATION_RECTANGLE:
      cairo_rectangle (cr, MIN (SX (pts[0]), SX (pts[1])), MIN (SY (pts[0]), SY (pts[1])),
                       fabs (SX (pts[1]) - SX (pts[0])), fabs (SY (pts[1]) - SY (pts[0])));
      break;
    case DL_ANNOTATION_POLYGON:
      cairo_move_to (cr, SX (pts[0]), SY (pts[0]));
      for (guint i = 1; i < n; i++)
        cairo_line_to (cr, SX (pts[i]), SY (pts[i]));
      if (n >= 3)
        cairo_close_path (cr);
      break;
    case DL_ANNOTATION_ARROW:
    case DL_ANNOTATION_RULER:
      {
        double x0 = SX (pts[0]), y0 = SY (pts[0]), x1 = SX (pts[1]), y1 = SY (pts[1]);
        double angle = atan2 (y1 - y0, x1 - x0);
        double head = (kind == DL_ANNOTATION_ARROW ? 12 : 6) * unit;
        double spread = kind == DL_ANNOTATION_ARROW ? 0.4 : G_PI / 2;

        cairo_move_to (cr, x0, y0);
        cairo_line_to (cr, x1, y1);
        cairo_move_to (cr, x1 - head * cos (angle - spread), y1 - head * sin (angle - spread));
        cairo_line_to (cr, x1, y1);
        cairo_line_to (cr, x1 - head * cos (angle + spread), y1 - head * sin (angle + spread));
        if (kind == DL_ANNOTATION_RULER)
          {
            cairo_move_to (cr, x0 + head * cos (angle - spread), y0 + head * sin (angle - spread));
            cairo_line_to (cr, x0 + head * cos (angle + spread), y0 + head * sin (angle + spread));
          }
      }
      break;
    case DL_ANNOTATION_TEXT:
      cairo_new_sub_path (cr);
      cairo_arc (cr, SX (pts[0]), SY (pts[0]), 4 * unit, 0, 2 * G_PI);
      break;
    case DL_N_ANNOTATION_KINDS:
    default:
      break;
    }
#undef SX
#undef SY
}

/* The caption of a mark: its label, and a ruler's length in millimetres
 * (pixels without a pitch, @pitch_x or @pitch_y ≤ 0), in the locale's
 * digits. */
char *
dl_mark_caption (const DlAnnotation *a,
                 double              pitch_x,
                 double              pitch_y)
{
  const char *label = a->label ? a->label : "";
  g_autofree char *length = NULL;

  if (a->kind != DL_ANNOTATION_RULER)
    return g_strdup (label);
  if (pitch_x > 0 && pitch_y > 0)
    length = dl_format_quantity (dl_annotation_length_mm (a, pitch_x, pitch_y), 0, "mm");
  else
    length = dl_format_quantity (dl_annotation_length_mm (a, 1, 1), 0, "px");
  return g_strdup_printf ("%s%s%s", label, label[0] ? " · " : "", length);
}

