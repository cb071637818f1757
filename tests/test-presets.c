/* test-presets.c — the window presets give a useful picture of the cargo,
 * in either space, on every scene the generator makes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "dl-cargo.h"
#include "dl-presets.h"
#include "dl-synth.h"

/* What a window leaves of the cargo: the range of gray levels its middle
 * 90 % spans (P5 … P95: one load of cartons is even, a mixed load is not,
 * and either should be spread over the grays), and the share of it pinned
 * at either end. */
typedef struct
{
  int    spread;
  double black;
  double white;
} Spread;

static Spread
measure (const DlWindowing *w,
         const guint16     *data,
         const guint16     *ids,
         gsize              n,
         guint16            first_id)
{
  guint64 counts[256] = { 0 }, total = 0, cumulative = 0;
  guint8 lut[DL_LUT_SIZE];
  int q1 = -1, q3 = -1;   /* P5, P95 */

  dl_windowing_fill_lut (w, lut);
  for (gsize i = 0; i < n; i++)
    if (ids[i] >= first_id)
      {
        counts[lut[data[i]]]++;
        total++;
      }
  g_assert_cmpuint (total, >, 0);
  for (int g = 0; g < 256; g++)
    {
      cumulative += counts[g];
      if (q1 < 0 && cumulative * 20 >= total)
        q1 = g;
      if (q3 < 0 && cumulative * 20 >= 19 * total)
        q3 = g;
    }
  return (Spread) { q3 - q1, (double) counts[0] / total, (double) counts[255] / total };
}

static void
check_scene (const char *scene)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSynthOutput) out = dl_synth_generate (scene, 101, FALSE, &error);
  DlPlane *plane;
  gsize n;
  guint16 first_id = 2;

  g_assert_no_error (error);
  plane = dl_scan_get_plane (out->scan, 0, 0);
  n = (gsize) plane->width * plane->height;
  /* an empty conveyance: its walls are what there is to see */
  for (gsize i = 0; i < n && first_id == 2; i++)
    first_id = out->ids[i] >= 2 ? 2 : first_id;
  if (first_id == 2)
    {
      gboolean any = FALSE;
      for (gsize i = 0; i < n && !any; i++)
        any = out->ids[i] >= 2;
      if (!any)
        first_id = 1;
    }

  for (int space = 0; space < 2; space++)
    for (DlPreset p = 0; p < DL_N_PRESETS; p++)
      {
        DlWindowing w;
        Spread s;

        dl_windowing_init (&w);
        w.space = space ? DL_SPACE_DENSITY : DL_SPACE_VALUE;
        w.i0 = dl_plane_get_i0 (plane);
        dl_preset_compute (p, dl_plane_ensure_histogram (plane), &w);
        s = measure (&w, plane->data, out->ids, n, first_id);
        g_test_message ("%-20s %-12s %-17s P5–P95 %3d gray levels, %4.1f %% black, %4.1f %% white",
                        scene, space ? "density" : "transmission", dl_preset_get_id (p),
                        s.spread, 100 * s.black, 100 * s.white);
        /* all figures first, then fail */
        if (s.spread < 8 || s.black >= 0.5 || s.white >= 0.5)
          g_test_fail_printf ("%s, %s, %s: P5–P95 %d, %.1f %% black, %.1f %% white",
                              scene, space ? "density" : "transmission", dl_preset_get_id (p),
                              s.spread, 100 * s.black, 100 * s.white);
      }
}

static void
test_presets_every_scene (void)
{
  for (const DlSynthScene *s = dl_synth_get_scenes (); s->name; s++)
    check_scene (s->name);
}

/* A made-up image, no generator: air around, a faint veil (walls seen face
 * on), two dense one-pixel lines (edge on) and a block of cargo. */
static void
test_cargo_ignores_air_and_walls (void)
{
  const guint w = 400, h = 200;
  g_autofree guint16 *data = g_new (guint16, w * h);
  g_autoptr(DlHistogram) cargo = NULL;

  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        double d = 0;
        if (x >= 20 && x < 380 && y >= 20 && y < 180)
          d = 0.12 + 0.02 * ((x / 7) % 2);                 /* corrugated walls */
        if ((y == 22 || y == 170) && x >= 20 && x < 380)
          d = 6.0;                                          /* roof and floor */
        if (x >= 100 && x < 250 && y >= 60 && y < 170)
          d = 1.0 + 2.0 * (x - 100) / 150.0;                /* the cargo */
        data[y * w + x] = (guint16) round (60000 * exp (-d));
      }

  cargo = dl_cargo_histogram_new (data, w, h, 60000);
  g_assert_nonnull (cargo);
  /* only the block: densities 1 … 3 */
  g_assert_cmpfloat (dl_density (cargo->max, 60000), >, 0.99);
  g_assert_cmpfloat (dl_density (cargo->min, 60000), <, 3.01);
  g_assert_cmpfloat (dl_density (dl_histogram_percentile (cargo, 50), 60000), >, 1.7);
  g_assert_cmpfloat (dl_density (dl_histogram_percentile (cargo, 50), 60000), <, 2.3);
}

static void
test_cargo_none (void)
{
  guint16 air[64];

  for (guint i = 0; i < 64; i++)
    air[i] = 60000 - (i % 3);
  g_assert_null (dl_cargo_histogram_new (air, 8, 8, 60000));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/presets/every-scene", test_presets_every_scene);
  g_test_add_func ("/presets/cargo-ignores-air-and-walls", test_cargo_ignores_air_and_walls);
  g_test_add_func ("/presets/cargo-none", test_cargo_none);
  return g_test_run ();
}
