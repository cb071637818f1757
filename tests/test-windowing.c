/* test-windowing.c — the window formula, exactly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "dl-windowing.h"

/* The definition, written out independently of the library. */
static guint8
reference_gray (double v,
                double c,
                double w)
{
  double t = (v - (c - w / 2.0)) / w;

  if (t < 0)
    t = 0;
  if (t > 1)
    t = 1;
  return (guint8) round (t * 255.0);
}

static void
test_known_values (void)
{
  DlWindowing w;

  dl_windowing_init (&w);
  w.center = 1000;
  w.width = 200;

  g_assert_cmpuint (dl_windowing_map (&w, 0), ==, 0);
  g_assert_cmpuint (dl_windowing_map (&w, 900), ==, 0);
  g_assert_cmpuint (dl_windowing_map (&w, 950), ==, 64);    /* 63.75 */
  g_assert_cmpuint (dl_windowing_map (&w, 1000), ==, 128);  /* 127.5 rounds up */
  g_assert_cmpuint (dl_windowing_map (&w, 1100), ==, 255);
  g_assert_cmpuint (dl_windowing_map (&w, 65535), ==, 255);
}

static void
test_formula_everywhere (void)
{
  const double windows[][2] = {
    { 32767.5, 65535 }, { 1000, 200 }, { 1000.25, 3.5 }, { 0, 1 }, { 60000, 10000 },
    { -500, 2000 }, { 70000, 20000 }, { 12345.678, 0.5 },
  };
  g_autofree guint8 *lut = g_malloc (DL_LUT_SIZE);

  for (guint i = 0; i < G_N_ELEMENTS (windows); i++)
    {
      DlWindowing w;

      dl_windowing_init (&w);
      w.center = windows[i][0];
      w.width = windows[i][1];
      dl_windowing_fill_lut (&w, lut);

      for (guint v = 0; v < DL_LUT_SIZE; v++)
        {
          guint8 expected = reference_gray (v, w.center, w.width);
          if (lut[v] != expected || dl_windowing_map (&w, v) != expected)
            g_error ("window %g:%g, v=%u: got %u (map %u), expected %u",
                     w.center, w.width, v, lut[v], dl_windowing_map (&w, v), expected);
        }
    }
}

static void
test_invert_and_gamma (void)
{
  DlWindowing w;

  dl_windowing_init (&w);
  w.center = 100;
  w.width = 100;   /* 50 … 150 */

  g_assert_cmpuint (dl_windowing_map (&w, 75), ==, 64);    /* t = 0.25 */
  w.invert = TRUE;
  g_assert_cmpuint (dl_windowing_map (&w, 75), ==, 255 - 64);
  g_assert_cmpuint (dl_windowing_map (&w, 10), ==, 255);
  w.invert = FALSE;
  w.gamma = 2.0;   /* t^(1/2) */
  g_assert_cmpuint (dl_windowing_map (&w, 75), ==, 128);   /* sqrt (0.25) = 0.5 */
  g_assert_cmpuint (dl_windowing_map (&w, 150), ==, 255);
  g_assert_cmpuint (dl_windowing_map (&w, 50), ==, 0);
}

static void
test_density (void)
{
  DlWindowing w;
  double i0 = 60000;

  g_assert_cmpfloat_with_epsilon (dl_density (60000, i0), 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (dl_density (0, i0), log (60000.0), 1e-12);  /* max (v, 1) */
  g_assert_cmpfloat_with_epsilon (dl_density (1, i0), log (60000.0), 1e-12);
  g_assert_cmpfloat_with_epsilon (dl_density_to_value (dl_density (1234, i0), i0), 1234, 1e-9);
  g_assert_cmpfloat (dl_density (100, i0), >, dl_density (200, i0));

  dl_windowing_init (&w);
  w.space = DL_SPACE_DENSITY;
  w.i0 = i0;
  w.center = 1.0;
  w.width = 2.0;   /* d in 0 … 2 */

  for (guint v = 0; v < DL_LUT_SIZE; v += 7)
    g_assert_cmpuint (dl_windowing_map (&w, v), ==,
                      reference_gray (-log (MAX (v, 1) / i0), w.center, w.width));

  /* denser (smaller v) is brighter in density space */
  g_assert_cmpuint (dl_windowing_map (&w, 60000), ==, 0);
  g_assert_cmpuint (dl_windowing_map (&w, 100), ==, 255);
}

static void
test_apply (void)
{
  guint16 src[] = { 0, 100, 200, 300, 65535 };
  guint8 dst[G_N_ELEMENTS (src)];
  DlWindowing w;

  dl_windowing_init (&w);
  w.center = 200;
  w.width = 200;
  dl_windowing_apply (&w, src, G_N_ELEMENTS (src), dst);
  for (guint i = 0; i < G_N_ELEMENTS (src); i++)
    g_assert_cmpuint (dst[i], ==, reference_gray (src[i], 200, 200));
}

static void
test_parse (void)
{
  const char *bad[] = { "100", "100:0", "100:-5", "a:b", "1:2:3", "", ":", "10:nan", "10:inf" };
  DlWindowing w;

  dl_windowing_init (&w);
  g_assert_true (dl_windowing_parse (&w, "1200.5:300", NULL));
  g_assert_cmpfloat (w.center, ==, 1200.5);
  g_assert_cmpfloat (w.width, ==, 300);
  g_assert_true (dl_windowing_parse (&w, "-1e3:5", NULL));
  g_assert_cmpfloat (w.center, ==, -1000);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (dl_windowing_parse (&w, bad[i], &error));
      g_assert_nonnull (error);
      g_assert_cmpstr (error->message, !=, "");
    }
  g_assert_cmpfloat (w.center, ==, -1000);   /* untouched by failures */
}

static void
test_validity (void)
{
  DlWindowing w;

  dl_windowing_init (&w);
  g_assert_true (dl_windowing_is_valid (&w));
  w.width = 0;
  g_assert_false (dl_windowing_is_valid (&w));
  w.width = 1;
  w.gamma = 0;
  g_assert_false (dl_windowing_is_valid (&w));
  w.gamma = 1;
  w.space = DL_SPACE_DENSITY;
  w.i0 = 0;
  g_assert_false (dl_windowing_is_valid (&w));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/windowing/known-values", test_known_values);
  g_test_add_func ("/windowing/formula-everywhere", test_formula_everywhere);
  g_test_add_func ("/windowing/invert-and-gamma", test_invert_and_gamma);
  g_test_add_func ("/windowing/density", test_density);
  g_test_add_func ("/windowing/apply", test_apply);
  g_test_add_func ("/windowing/parse", test_parse);
  g_test_add_func ("/windowing/validity", test_validity);

  return g_test_run ();
}
