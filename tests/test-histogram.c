/* test-histogram.c — histogram, percentiles and the window presets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "dl-histogram.h"
#include "dl-presets.h"

static void
test_counts (void)
{
  guint16 data[100];
  g_autoptr(DlHistogram) h = NULL;

  for (guint i = 0; i < 100; i++)
    data[i] = i + 1;   /* 1 … 100 */
  h = dl_histogram_new (data, 100);

  g_assert_cmpuint (h->total, ==, 100);
  g_assert_cmpuint (h->min, ==, 1);
  g_assert_cmpuint (h->max, ==, 100);
  g_assert_cmpfloat_with_epsilon (h->mean, 50.5, 1e-9);
  g_assert_cmpuint (h->counts[0], ==, 0);
  g_assert_cmpuint (h->counts[42], ==, 1);

  /* nearest rank */
  g_assert_cmpuint (dl_histogram_percentile (h, 0), ==, 1);
  g_assert_cmpuint (dl_histogram_percentile (h, 0.5), ==, 1);
  g_assert_cmpuint (dl_histogram_percentile (h, 50), ==, 50);
  g_assert_cmpuint (dl_histogram_percentile (h, 50.1), ==, 51);
  g_assert_cmpuint (dl_histogram_percentile (h, 99.5), ==, 100);
  g_assert_cmpuint (dl_histogram_percentile (h, 100), ==, 100);
}

/* Large enough for the threaded path; compared with a plain count. */
static void
test_threaded_matches (void)
{
  gsize n = 3 * 1024 * 1024 + 17;
  g_autofree guint16 *data = g_new (guint16, n);
  g_autofree guint64 *expected = g_new0 (guint64, 65536);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(DlHistogram) h = NULL;

  for (gsize i = 0; i < n; i++)
    {
      data[i] = g_rand_int_range (rand, 1000, 50000);
      expected[data[i]]++;
    }
  h = dl_histogram_new (data, n);

  g_assert_cmpuint (h->total, ==, n);
  for (guint v = 0; v < 65536; v++)
    g_assert_cmpuint (h->counts[v], ==, expected[v]);
}

static void
test_empty (void)
{
  g_autoptr(DlHistogram) h = dl_histogram_new (NULL, 0);

  g_assert_cmpuint (h->total, ==, 0);
  g_assert_cmpuint (dl_histogram_percentile (h, 50), ==, 0);
}

static DlHistogram *
ramp_histogram (void)
{
  guint16 data[1000];

  for (guint i = 0; i < 1000; i++)
    data[i] = 1000 + 50 * i;   /* 1000 … 50950 */
  return dl_histogram_new (data, 1000);
}

static void
test_preset_value_space (void)
{
  g_autoptr(DlHistogram) h = ramp_histogram ();
  DlWindowing w;
  double lo = dl_histogram_percentile (h, 0.5), hi = dl_histogram_percentile (h, 99.5);

  dl_windowing_init (&w);
  w.i0 = 60000;

  /* no cargo histogram: the whole one stands in for it */
  g_assert_null (h->cargo);
  dl_preset_compute (DL_PRESET_FULL_RANGE, h, &w);
  g_assert_cmpfloat_with_epsilon (w.center - w.width / 2, 1000, 1e-9);
  g_assert_cmpfloat_with_epsilon (w.center + w.width / 2, 50950, 1e-9);

  dl_preset_compute (DL_PRESET_AUTO, h, &w);
  g_assert_cmpfloat_with_epsilon (w.center - w.width / 2, lo, 1e-9);
  g_assert_cmpfloat_with_epsilon (w.center + w.width / 2, hi, 1e-9);
  g_assert_cmpfloat (lo, ==, 1000 + 50 * 4);     /* rank 5 */
  g_assert_cmpfloat (hi, ==, 1000 + 50 * 994);   /* rank 995 */

  /* the densest 85 %: from the 0.1th to the 85th percentile */
  dl_preset_compute (DL_PRESET_HIGH_PENETRATION, h, &w);
  g_assert_cmpfloat_with_epsilon (w.center - w.width / 2, 1000 + 50 * 0, 1e-9);
  g_assert_cmpfloat_with_epsilon (w.center + w.width / 2, 1000 + 50 * 849, 1e-9);

  /* all but the densest 5 % */
  dl_preset_compute (DL_PRESET_LIGHT_GOODS, h, &w);
  g_assert_cmpfloat_with_epsilon (w.center - w.width / 2, 1000 + 50 * 49, 1e-9);
  g_assert_cmpfloat_with_epsilon (w.center + w.width / 2, dl_histogram_percentile (h, 99.9), 1e-9);
}

/* The presets are set on the cargo histogram when there is one. */
static void
test_preset_on_cargo (void)
{
  g_autoptr(DlHistogram) h = ramp_histogram ();
  guint16 cargo[100];
  DlWindowing w;

  for (guint i = 0; i < 100; i++)
    cargo[i] = 20000 + 100 * i;   /* 20000 … 29900 */
  h->cargo = dl_histogram_new (cargo, 100);
  dl_windowing_init (&w);
  w.i0 = 60000;

  dl_preset_compute (DL_PRESET_AUTO, h, &w);
  g_assert_cmpfloat_with_epsilon (w.center - w.width / 2, 20000, 1e-9);
  g_assert_cmpfloat_with_epsilon (w.center + w.width / 2, 29900, 1e-9);
  /* full range: the densest cargo up to the image's brightest (air) */
  dl_preset_compute (DL_PRESET_FULL_RANGE, h, &w);
  g_assert_cmpfloat_with_epsilon (w.center - w.width / 2, 20000, 1e-9);
  g_assert_cmpfloat_with_epsilon (w.center + w.width / 2, 50950, 1e-9);
}

static void
test_preset_density_space (void)
{
  g_autoptr(DlHistogram) h = ramp_histogram ();
  DlWindowing w;
  double lo = dl_histogram_percentile (h, 0.5), hi = dl_histogram_percentile (h, 99.5);
  double d_dense = -log (lo / 60000), d_thin = -log (hi / 60000);

  dl_windowing_init (&w);
  w.i0 = 60000;
  w.space = DL_SPACE_DENSITY;

  dl_preset_compute (DL_PRESET_AUTO, h, &w);
  g_assert_cmpfloat_with_epsilon (w.center - w.width / 2, d_thin, 1e-9);
  g_assert_cmpfloat_with_epsilon (w.center + w.width / 2, d_dense, 1e-9);

  dl_preset_compute (DL_PRESET_HIGH_PENETRATION, h, &w);
  g_assert_cmpfloat_with_epsilon (w.center + w.width / 2, -log (1000 / 60000.0), 1e-9);
  g_assert_cmpfloat_with_epsilon (w.center - w.width / 2, -log ((1000 + 50 * 849) / 60000.0), 1e-9);

  dl_preset_compute (DL_PRESET_LIGHT_GOODS, h, &w);
  g_assert_cmpfloat_with_epsilon (w.center - w.width / 2, -log (dl_histogram_percentile (h, 99.9) / 60000.0), 1e-9);
}

static void
test_preset_flat_image (void)
{
  guint16 data[64];
  g_autoptr(DlHistogram) h = NULL;
  DlWindowing w;

  for (guint i = 0; i < 64; i++)
    data[i] = 5000;
  h = dl_histogram_new (data, 64);
  dl_windowing_init (&w);
  w.i0 = 60000;

  for (DlPreset p = 0; p < DL_N_PRESETS; p++)
    {
      dl_preset_compute (p, h, &w);
      g_assert_true (dl_windowing_is_valid (&w));
    }
}

static void
test_preset_ids (void)
{
  for (DlPreset p = 0; p < DL_N_PRESETS; p++)
    {
      DlPreset back;
      g_assert_true (dl_preset_from_id (dl_preset_get_id (p), &back));
      g_assert_cmpint (back, ==, p);
      g_assert_cmpstr (dl_preset_get_label (p), !=, "");
    }
  {
    DlPreset back;
    g_assert_false (dl_preset_from_id ("nope", &back));
  }
}

static void
test_user_presets_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dl-presets-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "sub", "presets.ini", NULL);
  g_autoptr(GPtrArray) presets = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_user_preset_free);
  g_autoptr(GPtrArray) loaded = NULL;
  DlUserPreset *p;

  g_assert_no_error (error);

  /* absent file: no presets, no error */
  loaded = dl_user_presets_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 0);
  g_clear_pointer (&loaded, g_ptr_array_unref);

  p = g_new0 (DlUserPreset, 1);
  p->name = g_strdup ("Tyres = dense; [test]");
  dl_windowing_init (&p->windowing);
  p->windowing.center = 2.75;
  p->windowing.width = 1.5;
  p->windowing.gamma = 1.4;
  p->windowing.invert = TRUE;
  p->windowing.space = DL_SPACE_DENSITY;
  g_ptr_array_add (presets, p);

  g_assert_true (dl_user_presets_save (path, presets, &error));
  g_assert_no_error (error);
  loaded = dl_user_presets_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 1);
  p = g_ptr_array_index (loaded, 0);
  g_assert_cmpstr (p->name, ==, "Tyres = dense; [test]");
  g_assert_cmpfloat (p->windowing.center, ==, 2.75);
  g_assert_cmpfloat (p->windowing.width, ==, 1.5);
  g_assert_cmpfloat (p->windowing.gamma, ==, 1.4);
  g_assert_true (p->windowing.invert);
  g_assert_cmpint (p->windowing.space, ==, DL_SPACE_DENSITY);

  /* a broken file is an error, not a crash or silent loss */
  g_assert_true (g_file_set_contents (path, "[preset-0]\nname=x\ncenter=abc\nwidth=1\n", -1, NULL));
  g_clear_pointer (&loaded, g_ptr_array_unref);
  loaded = dl_user_presets_load (path, &error);
  g_assert_null (loaded);
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, "[preset-0]\nname=x\ncenter=1\nwidth=0\n", -1, NULL));
  loaded = dl_user_presets_load (path, &error);
  g_assert_null (loaded);
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/histogram/counts", test_counts);
  g_test_add_func ("/histogram/threaded-matches", test_threaded_matches);
  g_test_add_func ("/histogram/empty", test_empty);
  g_test_add_func ("/presets/value-space", test_preset_value_space);
  g_test_add_func ("/presets/on-cargo", test_preset_on_cargo);
  g_test_add_func ("/presets/density-space", test_preset_density_space);
  g_test_add_func ("/presets/flat-image", test_preset_flat_image);
  g_test_add_func ("/presets/ids", test_preset_ids);
  g_test_add_func ("/presets/user-round-trip", test_user_presets_round_trip);

  return g_test_run ();
}
