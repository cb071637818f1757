/* test-view-state.c — the shared view model.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "dl-view-state.h"

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_window_notify (void)
{
  g_autoptr(DlViewState) s = dl_view_state_new ();
  guint centers = 0, widths = 0;
  DlWindowing w;

  g_signal_connect (s, "notify::center", G_CALLBACK (count_notify), &centers);
  g_signal_connect (s, "notify::width", G_CALLBACK (count_notify), &widths);

  dl_view_state_set_window (s, 1000, 500);
  g_assert_cmpuint (centers, ==, 1);
  g_assert_cmpuint (widths, ==, 1);
  dl_view_state_set_window (s, 1000, 500);   /* unchanged: no notify */
  g_assert_cmpuint (centers, ==, 1);

  dl_view_state_set_window (s, 2000, 0);     /* invalid: ignored */
  dl_view_state_get_windowing (s, &w);
  g_assert_cmpfloat (w.center, ==, 1000);
  g_assert_cmpfloat (w.width, ==, 500);

  dl_view_state_adjust_window (s, 10, -10000);   /* never below the minimum width */
  dl_view_state_get_windowing (s, &w);
  g_assert_cmpfloat (w.center, ==, 1010);
  g_assert_cmpfloat (w.width, ==, 1.0);
}

/* Value ↔ density keeps the same stretch of values in the window. */
static void
test_space_switch (void)
{
  g_autoptr(DlViewState) s = dl_view_state_new ();
  DlWindowing w;
  gboolean density;

  g_object_set (s, "i0", 60000.0, NULL);
  dl_view_state_set_window (s, 20000, 20000);   /* 10000 … 30000 */

  g_object_set (s, "density", TRUE, NULL);
  dl_view_state_get_windowing (s, &w);
  g_assert_cmpint (w.space, ==, DL_SPACE_DENSITY);
  g_assert_cmpfloat_with_epsilon (w.center - w.width / 2, -log (30000.0 / 60000), 1e-9);
  g_assert_cmpfloat_with_epsilon (w.center + w.width / 2, -log (10000.0 / 60000), 1e-9);

  g_object_get (s, "density", &density, NULL);
  g_assert_true (density);

  dl_view_state_set_space (s, DL_SPACE_VALUE);
  dl_view_state_get_windowing (s, &w);
  g_assert_cmpfloat_with_epsilon (w.center, 20000, 1e-6);
  g_assert_cmpfloat_with_epsilon (w.width, 20000, 1e-6);
}

/* The image point under the cursor stays put while zooming. */
static void
test_zoom_at_keeps_point (void)
{
  g_autoptr(DlViewState) s = dl_view_state_new ();
  double fx, fy, px = 700, py = 80, view_w = 800, view_h = 600;
  double screen_x, screen_y, zoom;

  dl_view_state_set_zoom (s, 0.5);
  dl_view_state_set_focus (s, 1000, 250);
  zoom = dl_view_state_get_zoom (s);
  screen_x = (px - (1000 - view_w / 2 / zoom)) * zoom;
  screen_y = (py - (250 - view_h / 2 / zoom)) * zoom;

  dl_view_state_zoom_at (s, 1.25, px, py);
  g_assert_false (dl_view_state_get_fit (s));
  zoom = dl_view_state_get_zoom (s);
  g_assert_cmpfloat_with_epsilon (zoom, 0.625, 1e-12);
  dl_view_state_get_focus (s, &fx, &fy);
  g_assert_cmpfloat_with_epsilon ((px - (fx - view_w / 2 / zoom)) * zoom, screen_x, 1e-9);
  g_assert_cmpfloat_with_epsilon ((py - (fy - view_h / 2 / zoom)) * zoom, screen_y, 1e-9);

  /* clamped at the limits */
  for (int i = 0; i < 100; i++)
    dl_view_state_zoom_at (s, 2.0, px, py);
  g_assert_cmpfloat (dl_view_state_get_zoom (s), ==, DL_ZOOM_MAX);
}

static void
test_preset (void)
{
  g_autoptr(DlViewState) s = dl_view_state_new ();
  guint16 data[] = { 100, 200, 300, 400 };
  g_autoptr(DlHistogram) h = dl_histogram_new (data, 4);
  DlWindowing w;

  dl_view_state_apply_preset (s, DL_PRESET_FULL_RANGE, h);
  dl_view_state_get_windowing (s, &w);
  g_assert_cmpfloat (w.center, ==, 250);
  g_assert_cmpfloat (w.width, ==, 300);
}

/* Several bands: the current one and those kept, each its own colour. */
static void
test_bands (void)
{
  g_autoptr(DlViewState) s = dl_view_state_new ();
  DlBand bands[8];
  DlOverlay o;

  g_assert_cmpuint (dl_view_state_get_bands (s, bands, 8), ==, 0);   /* band off */
  g_object_set (s, "band", TRUE, "band-low", 0.5, "band-high", 1.0, NULL);
  g_assert_true (dl_view_state_add_band (s));
  g_object_set (s, "band-low", 2.0, "band-high", 3.0, NULL);
  g_assert_cmpuint (dl_view_state_get_bands (s, bands, 8), ==, 2);
  g_assert_cmpfloat (bands[0].lo, ==, 2.0);
  g_assert_cmpfloat (bands[1].lo, ==, 0.5);
  g_assert_false (memcmp (bands[0].rgb, bands[1].rgb, 3) == 0);

  dl_view_state_get_overlay (s, &o);
  g_assert_cmpuint (o.n_bands, ==, 2);
  dl_overlay_clear (&o);

  for (int i = 0; i < 6; i++)
    g_assert_true (dl_view_state_add_band (s));
  g_assert_false (dl_view_state_add_band (s));   /* 8 at most */
  g_assert_cmpuint (dl_view_state_get_bands (s, bands, 8), ==, 8);
  dl_view_state_clear_bands (s);
  g_assert_cmpuint (dl_view_state_get_bands (s, bands, 8), ==, 1);
}

/* Overlay colours as "#rrggbb" properties reach the overlay; anything
 * else restores the conventional default. */
static void
test_colours (void)
{
  g_autoptr(DlViewState) s = dl_view_state_new ();
  g_autofree char *organic = NULL;
  g_autofree char *metal = NULL;
  guint count = 0;
  guint8 rgb[3];
  DlOverlay o;

  g_object_get (s, "organic-colour", &organic, NULL);
  g_assert_cmpstr (organic, ==, "#ff8c00");
  g_signal_connect (s, "notify::metal-colour", G_CALLBACK (count_notify), &count);
  g_object_set (s, "metal-colour", "#0A0B0C", "band-colour", "#010203", "band", TRUE, NULL);
  g_object_set (s, "metal-colour", "#0a0b0c", NULL);
  g_assert_cmpuint (count, ==, 1);
  g_object_get (s, "metal-colour", &metal, NULL);
  g_assert_cmpstr (metal, ==, "#0a0b0c");

  dl_view_state_get_overlay (s, &o);
  g_assert_cmpuint (o.class_rgb[DL_CLASS_METAL][1], ==, 0x0b);
  g_assert_cmpuint (o.class_rgb[DL_CLASS_HEAVY][2], ==, 0x0c);
  g_assert_cmpuint (o.class_rgb[DL_CLASS_ORGANIC][0], ==, 0xff);
  g_assert_cmpuint (o.bands[0].rgb[2], ==, 3);
  dl_overlay_clear (&o);

  g_object_set (s, "metal-colour", "blue", NULL);
  dl_view_state_get_overlay (s, &o);
  dl_overlay_class_colour (DL_CLASS_METAL, rgb);
  g_assert_cmpmem (o.class_rgb[DL_CLASS_METAL], 3, rgb, 3);
  dl_overlay_clear (&o);
  g_assert_false (dl_overlay_parse_rgb ("#12345", rgb));
  g_assert_false (dl_overlay_parse_rgb ("#12345g", rgb));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/view-state/window-notify", test_window_notify);
  g_test_add_func ("/view-state/space-switch", test_space_switch);
  g_test_add_func ("/view-state/zoom-at-keeps-point", test_zoom_at_keeps_point);
  g_test_add_func ("/view-state/preset", test_preset);
  g_test_add_func ("/view-state/bands", test_bands);
  g_test_add_func ("/view-state/colours", test_colours);

  return g_test_run ();
}
