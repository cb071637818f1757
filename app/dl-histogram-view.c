/* dl-histogram-view.c
 *
 * The horizontal axis is the window's own space: stored value (min … max
 * of the data) or density (thinnest … densest).  Bars are log-scaled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-histogram-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "dl-histogram-view.h"

#define HANDLE_GRAB 8.0

typedef enum { DRAG_NONE, DRAG_LOW, DRAG_HIGH, DRAG_BAND } DragMode;

struct _DlHistogramView
{
  GtkWidget          parent_instance;
  DlViewState       *state;
  const DlHistogram *histogram;
  guint64           *cumulative;   /* 65537 prefix sums */

  DragMode           drag;
  double             drag_lo;
  double             drag_hi;
};

G_DEFINE_FINAL_TYPE (DlHistogramView, dl_histogram_view, GTK_TYPE_WIDGET)

/* The axis: [a, b] in the current space. */
static void
get_domain (DlHistogramView *self,
            DlWindowing     *w,
            double          *a,
            double          *b)
{
  dl_view_state_get_windowing (self->state, w);

  if (w->space == DL_SPACE_DENSITY)
    {
      *a = dl_density (self->histogram->max, w->i0);
      *b = dl_density (self->histogram->min, w->i0);
    }
  else
    {
      *a = self->histogram->min;
      *b = self->histogram->max;
    }
  if (*b - *a < 1e-6)
    *b = *a + 1.0;
}

double
dl_histogram_view_x_for (DlHistogramView *self,
                         double           x_in_space)
{
  DlWindowing w;
  double a, b;

  g_return_val_if_fail (DL_IS_HISTOGRAM_VIEW (self), 0.0);

  get_domain (self, &w, &a, &b);
  return (x_in_space - a) / (b - a) * gtk_widget_get_width (GTK_WIDGET (self));
}

static double
space_for_x (DlHistogramView *self,
             double           x)
{
  DlWindowing w;
  double a, b;

  get_domain (self, &w, &a, &b);
  return a + x / MAX (gtk_widget_get_width (GTK_WIDGET (self)), 1) * (b - a);
}

/* Samples whose stored value lies in [lo, hi]. */
static guint64
count_values (DlHistogramView *self,
              double           lo,
              double           hi)
{
  int a = (int) CLAMP (ceil (lo), 0, 65536);
  int b = (int) CLAMP (floor (hi) + 1, 0, 65536);

  return b > a ? self->cumulative[b] - self->cumulative[a] : 0;
}

static guint64
column_count (DlHistogramView   *self,
              const DlWindowing *w,
              double             s0,
              double             s1)
{
  if (w->space == DL_SPACE_DENSITY)
    return count_values (self, dl_density_to_value (s1, w->i0), dl_density_to_value (s0, w->i0) - 1e-9);
  return count_values (self, s0, s1 - 1e-9);
}

static void
draw_bars (DlHistogramView *self,
           cairo_t         *cr,
           int              width,
           int              height)
{
  g_autofree guint64 *counts = g_new0 (guint64, width);
  DlWindowing w;
  double a, b, peak = 1;

  get_domain (self, &w, &a, &b);
  for (int x = 0; x < width; x++)
    {
      double s0 = a + (b - a) * x / width;
      double s1 = a + (b - a) * (x + 1) / width;
      counts[x] = column_count (self, &w, s0, x == width - 1 ? s1 + 1e-6 : s1);
      peak = MAX (peak, (double) counts[x]);
    }

  cairo_set_source_rgba (cr, 0.75, 0.75, 0.78, 0.9);
  for (int x = 0; x < width; x++)
    {
      double h = log1p ((double) counts[x]) / log1p (peak) * (height - 4);
      cairo_rectangle (cr, x, height - h, 1, h);
    }
  cairo_fill (cr);
}

static void
draw_window (DlHistogramView *self,
             cairo_t         *cr,
             int              width,
             int              height)
{
  DlWindowing w;
  double lo, hi;

  dl_view_state_get_windowing (self->state, &w);
  lo = dl_histogram_view_x_for (self, w.center - w.width / 2.0);
  hi = dl_histogram_view_x_for (self, w.center + w.width / 2.0);

  cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 0.25);
  cairo_rectangle (cr, lo, 0, hi - lo, height);
  cairo_fill (cr);

  cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
  cairo_set_line_width (cr, 2);
  cairo_move_to (cr, lo, 0);
  cairo_line_to (cr, lo, height);
  cairo_move_to (cr, hi, 0);
  cairo_line_to (cr, hi, height);
  cairo_stroke (cr);
}

/* The density bands, over the axis (which may be in value or density). */
static void
draw_bands (DlHistogramView *self,
            cairo_t         *cr,
            int              height)
{
  DlBand bands[8];
  DlWindowing w;
  guint n = dl_view_state_get_bands (self->state, bands, G_N_ELEMENTS (bands));

  dl_view_state_get_windowing (self->state, &w);
  for (guint i = 0; i < n; i++)
    {
      double a = bands[i].lo, b = bands[i].hi, x0, x1;

      if (w.space == DL_SPACE_VALUE)
        {
          a = dl_density_to_value (bands[i].hi, w.i0);
          b = dl_density_to_value (bands[i].lo, w.i0);
        }
      x0 = dl_histogram_view_x_for (self, a);
      x1 = dl_histogram_view_x_for (self, b);
      cairo_set_source_rgba (cr, bands[i].rgb[0] / 255.0, bands[i].rgb[1] / 255.0, bands[i].rgb[2] / 255.0, 0.35);
      cairo_rectangle (cr, MIN (x0, x1), height * 0.6, fabs (x1 - x0), height * 0.4);
      cairo_fill (cr);
    }
}

/* Right-drag across the histogram sets the density band. */
static void
on_band_begin (GtkGestureDrag  *gesture,
               double           x,
               double           y,
               DlHistogramView *self)
{
  g_assert (GTK_IS_GESTURE_DRAG (gesture));
  g_assert (DL_IS_HISTOGRAM_VIEW (self));

  if (self->histogram == NULL || self->state == NULL)
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
}

static double
density_at_x (DlHistogramView *self,
              double           x)
{
  DlWindowing w;
  double s = space_for_x (self, x);

  dl_view_state_get_windowing (self->state, &w);
  return w.space == DL_SPACE_DENSITY ? s : dl_density (MAX (s, 1.0), w.i0);
}

static void
on_band_update (GtkGestureDrag  *gesture,
                double           ox,
                double           oy,
                DlHistogramView *self)
{
  double sx, a, b;

  g_assert (GTK_IS_GESTURE_DRAG (gesture));
  g_assert (DL_IS_HISTOGRAM_VIEW (self));

  gtk_gesture_drag_get_start_point (gesture, &sx, NULL);
  a = density_at_x (self, sx);
  b = density_at_x (self, sx + ox);
  g_object_set (self->state, "band", TRUE,
                "band-low", CLAMP (MIN (a, b), 0.0, 20.0), "band-high", CLAMP (MAX (a, b), 0.0, 20.0), NULL);
}

static void
dl_histogram_view_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  DlHistogramView *self = DL_HISTOGRAM_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_source_rgb (cr, 0.12, 0.12, 0.13);
  cairo_paint (cr);
  if (self->histogram && self->state)
    {
      draw_bars (self, cr, width, height);
      draw_bands (self, cr, height);
      draw_window (self, cr, width, height);
    }
  cairo_destroy (cr);
}

static void
on_drag_begin (GtkGestureDrag  *gesture,
               double           x,
               double           y,
               DlHistogramView *self)
{
  DlWindowing w;
  double xlo, xhi;

  g_assert (GTK_IS_GESTURE_DRAG (gesture));
  g_assert (DL_IS_HISTOGRAM_VIEW (self));

  if (self->histogram == NULL || self->state == NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  dl_view_state_get_windowing (self->state, &w);
  self->drag_lo = w.center - w.width / 2.0;
  self->drag_hi = w.center + w.width / 2.0;
  xlo = dl_histogram_view_x_for (self, self->drag_lo);
  xhi = dl_histogram_view_x_for (self, self->drag_hi);

  if (fabs (x - xlo) <= HANDLE_GRAB && fabs (x - xlo) <= fabs (x - xhi))
    self->drag = DRAG_LOW;
  else if (fabs (x - xhi) <= HANDLE_GRAB)
    self->drag = DRAG_HIGH;
  else if (x > xlo && x < xhi)
    self->drag = DRAG_BAND;
  else
    self->drag = DRAG_NONE;
}

static void
on_drag_update (GtkGestureDrag  *gesture,
                double           ox,
                double           oy,
                DlHistogramView *self)
{
  double sx, x0, lo = self->drag_lo, hi = self->drag_hi, d;

  g_assert (GTK_IS_GESTURE_DRAG (gesture));
  g_assert (DL_IS_HISTOGRAM_VIEW (self));

  gtk_gesture_drag_get_start_point (gesture, &sx, NULL);
  x0 = space_for_x (self, sx);
  d = space_for_x (self, sx + ox) - x0;

  switch (self->drag)
    {
    case DRAG_LOW: lo = MIN (lo + d, hi - 1e-3); break;
    case DRAG_HIGH: hi = MAX (hi + d, lo + 1e-3); break;
    case DRAG_BAND: lo += d; hi += d; break;
    case DRAG_NONE:
    default: return;
    }

  dl_view_state_set_window (self->state, (lo + hi) / 2.0, hi - lo);
}

static void
on_state_notify (DlViewState     *state,
                 GParamSpec      *pspec,
                 DlHistogramView *self)
{
  g_assert (DL_IS_VIEW_STATE (state));
  g_assert (DL_IS_HISTOGRAM_VIEW (self));

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
dl_histogram_view_set_state (DlHistogramView *self,
                             DlViewState     *state)
{
  g_return_if_fail (DL_IS_HISTOGRAM_VIEW (self));

  if (self->state)
    g_signal_handlers_disconnect_by_data (self->state, self);
  g_set_object (&self->state, state);
  if (state)
    g_signal_connect_object (state, "notify", G_CALLBACK (on_state_notify), self, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* @histogram must outlive its use here (it belongs to the scan's plane). */
void
dl_histogram_view_set_histogram (DlHistogramView   *self,
                                 const DlHistogram *histogram)
{
  g_return_if_fail (DL_IS_HISTOGRAM_VIEW (self));

  self->histogram = histogram;
  if (histogram)
    {
      self->cumulative[0] = 0;
      for (guint v = 0; v < 65536; v++)
        self->cumulative[v + 1] = self->cumulative[v] + histogram->counts[v];
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
dl_histogram_view_dispose (GObject *object)
{
  DlHistogramView *self = DL_HISTOGRAM_VIEW (object);

  g_clear_object (&self->state);
  gtk_widget_dispose_template (GTK_WIDGET (self), DL_TYPE_HISTOGRAM_VIEW);
  G_OBJECT_CLASS (dl_histogram_view_parent_class)->dispose (object);
}

static void
dl_histogram_view_finalize (GObject *object)
{
  g_free (DL_HISTOGRAM_VIEW (object)->cumulative);
  G_OBJECT_CLASS (dl_histogram_view_parent_class)->finalize (object);
}

static void
dl_histogram_view_class_init (DlHistogramViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dl_histogram_view_dispose;
  object_class->finalize = dl_histogram_view_finalize;
  widget_class->snapshot = dl_histogram_view_snapshot;

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/doorlicht/Doorlicht/ui/dl-histogram-view.ui");
  gtk_widget_class_bind_template_callback (widget_class, on_drag_begin);
  gtk_widget_class_bind_template_callback (widget_class, on_drag_update);
  gtk_widget_class_bind_template_callback (widget_class, on_band_begin);
  gtk_widget_class_bind_template_callback (widget_class, on_band_update);
  gtk_widget_class_set_css_name (widget_class, "histogramview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
dl_histogram_view_init (DlHistogramView *self)
{
  self->cumulative = g_new0 (guint64, 65537);
  gtk_widget_init_template (GTK_WIDGET (self));
}
