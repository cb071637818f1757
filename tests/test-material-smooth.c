/* test-material-smooth.c — the classifier's edge-preserving smoothing,
 * which takes several pixels at a time, gives to the bit what its
 * definition gives pixel by pixel (the mean of the neighbours within the
 * tolerance, summed in row order), at every radius, at the image's edges
 * and in images narrower than a neighbourhood; and the classes follow
 * from it band by band as from the whole image, also where the
 * classifier leaves air (every neighbour under a_min) unsmoothed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "dl-material.h"

/* As docs and dl-material.c define it: the tolerance is relative to the
 * centre's high-energy attenuation. */
#define TOLERANCE 0.15
#define TOLERANCE_FLOOR 0.02

typedef struct
{
  DlPlane  high, low;
  float   *ah, *al;     /* ln (I0 / I) of each */
} Pair;

/* Stored values in patches (7 × 5 @patch) of a few levels with noise and single outliers,
 * so that neighbours fall inside and outside the tolerance. */
static void
fill (DlPlane *p,
      GRand   *rand,
      guint    w,
      guint    h,
      guint    patch,
      double   scale)
{
  p->width = w;
  p->height = h;
  p->air_value = 60000;
  p->data = g_new (guint16, (gsize) w * h);
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        double level = ((x / (7 * patch) + y / (5 * patch)) % 4) * 0.6 * scale;
        double a = level + g_rand_double_range (rand, -0.08, 0.08);

        if (g_rand_int_range (rand, 0, 40) == 0)
          a += 1.5;
        p->data[(gsize) y * w + x] = (guint16) CLAMP (60000 * exp (-MAX (a, 0)), 0, 65535);
      }
}

static float *
attenuations (const DlPlane *p)
{
  gsize n = (gsize) p->width * p->height;
  float *a = g_new (float, n);

  for (gsize k = 0; k < n; k++)
    a[k] = log (p->air_value / MAX (p->data[k], 1));
  return a;
}

static void
pair_init (Pair  *pair,
           GRand *rand,
           guint  w,
           guint  h,
           guint  patch)
{
  memset (pair, 0, sizeof *pair);
  fill (&pair->high, rand, w, h, patch, 1.0);
  fill (&pair->low, rand, w, h, patch, 1.3);
  pair->ah = attenuations (&pair->high);
  pair->al = attenuations (&pair->low);
}

static void
pair_clear (Pair *pair)
{
  g_free (pair->high.data);
  g_free (pair->low.data);
  g_free (pair->ah);
  g_free (pair->al);
}

/* The definition, one pixel at a time. */
static void
reference (const Pair *pair,
           guint       r,
           float      *out_h,
           float      *out_l)
{
  guint w = pair->high.width, h = pair->high.height;

  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        double centre = pair->ah[(gsize) y * w + x], tol = TOLERANCE * centre + TOLERANCE_FLOOR;
        double sh = 0, sl = 0;
        guint n = 0;

        for (int yy = MAX (0, (int) y - (int) r); yy <= MIN ((int) (h - 1), (int) (y + r)); yy++)
          for (int xx = MAX (0, (int) x - (int) r); xx <= MIN ((int) (w - 1), (int) (x + r)); xx++)
            if (fabs (pair->ah[(gsize) yy * w + xx] - centre) <= tol)
              {
                sh += pair->ah[(gsize) yy * w + xx];
                sl += pair->al[(gsize) yy * w + xx];
                n++;
              }
        out_h[(gsize) y * w + x] = sh / n;
        out_l[(gsize) y * w + x] = sl / n;
      }
}

static void
test_smooth_to_the_bit (void)
{
  static const guint sizes[][2] = { { 1, 1 }, { 3, 2 }, { 5, 9 }, { 7, 4 }, { 8, 8 }, { 13, 11 }, { 64, 3 }, { 203, 37 } };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261204);

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (guint r = 0; r <= 5; r++)
      {
        guint w = sizes[s][0], h = sizes[s][1];
        gsize n = (gsize) w * h;
        g_autofree float *want_h = g_new (float, n), *want_l = g_new (float, n);
        g_autofree float *got_h = NULL, *got_l = NULL;
        Pair pair;

        pair_init (&pair, rand, w, h, 1);
        reference (&pair, r, want_h, want_l);
        dl_material_smooth_attenuations (&pair.high, &pair.low, r, &got_h, &got_l);
        if (memcmp (want_h, got_h, n * sizeof (float)) != 0 || memcmp (want_l, got_l, n * sizeof (float)) != 0)
          for (gsize k = 0; k < n; k++)
            if (memcmp (&want_h[k], &got_h[k], sizeof (float)) != 0 || memcmp (&want_l[k], &got_l[k], sizeof (float)) != 0)
              g_error ("%u × %u, radius %u: pixel (%" G_GSIZE_FORMAT ", %" G_GSIZE_FORMAT ") is %.9g/%.9g, its definition %.9g/%.9g",
                       w, h, r, k % w, k / w, got_h[k], got_l[k], want_h[k], want_l[k]);
        pair_clear (&pair);
      }
}

/* Pixels whose neighbours all lie under @limit. */
static guint
air_pixels (const Pair *pair,
            guint       r,
            double      limit)
{
  guint w = pair->high.width, h = pair->high.height, n = 0;

  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        gboolean air = TRUE;

        for (int yy = MAX (0, (int) y - (int) r); yy <= MIN ((int) (h - 1), (int) (y + r)); yy++)
          for (int xx = MAX (0, (int) x - (int) r); xx <= MIN ((int) (w - 1), (int) (x + r)); xx++)
            air &= pair->ah[(gsize) yy * w + xx] < limit;
        n += air;
      }
  return n;
}

/* The classifier smooths in bands of rows, and not where every neighbour
 * is under a_min: its classes are those of the whole image's smoothing,
 * pixel for pixel. */
static void
test_classes_from_smoothing (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);
  DlCalibration calibration = *dl_calibration_get_default ();
  guint w = 311, h = 53, differ = 0, classified = 0;
  g_autofree float *sh = NULL, *sl = NULL;
  g_autofree guint8 *classes = NULL;
  Pair pair;

  pair_init (&pair, rand, w, h, 4);   /* patches of air wider than a neighbourhood */
  classes = dl_material_classify (&pair.high, &pair.low, &calibration);
  dl_material_smooth_attenuations (&pair.high, &pair.low, calibration.smooth_radius, &sh, &sl);
  for (gsize k = 0; k < (gsize) w * h; k++)
    {
      double ratio = sl[k] > 0 ? sh[k] / sl[k] : 0;

      differ += classes[k] != dl_calibration_class (&calibration, sh[k], ratio);
      classified += classes[k] != DL_CLASS_NONE;
    }
  g_test_message ("%u of %u pixels classified", classified, w * h);
  g_assert_cmpuint (differ, ==, 0);
  g_assert_cmpuint (classified, >, w * h / 4);
  g_assert_cmpuint (air_pixels (&pair, calibration.smooth_radius, calibration.a_min), >, 100);
  pair_clear (&pair);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/material/smooth-to-the-bit", test_smooth_to_the_bit);
  g_test_add_func ("/material/classes-from-smoothing", test_classes_from_smoothing);
  return g_test_run ();
}
