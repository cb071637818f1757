/* test-rings.c — ring-shaped units compared with the rings of their size
 * (dl-rings): on rings drawn here, with noise, and on the generator's
 * tyres; what is found lies on what was hidden, honest rings and loads
 * give nothing, and its parameters count.
 *
 * Seeds here are 4 and 5: evaluations use others.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "detect-fixture.h"
#include "dl-rings.h"
#include "dl-synth.h"

#define PITCH_MM 5.0
#define W        1160
#define H        300

typedef struct
{
  DlCargoImage img;
  GRand       *rand;
} Drawn;

static void
drawn_free (Drawn *d)
{
  g_free (d->img.excess_high);
  g_free (d->img.classes);
  g_free (d->img.usable);
  g_rand_free (d->rand);
  g_free (d);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Drawn, drawn_free)

/* An image of air with noise of σ 0.01, 5 mm pixels. */
static Drawn *
drawn_new (void)
{
  Drawn *d = g_new0 (Drawn, 1);

  d->rand = g_rand_new_with_seed (4);
  d->img.width = W;
  d->img.height = H;
  d->img.excess_high = g_new0 (float, W * H);
  d->img.classes = g_new0 (guint8, W * H);
  d->img.usable = g_new (guint8, W);
  memset (d->img.usable, 1, W);
  d->img.pitch_x_mm = d->img.pitch_y_mm = PITCH_MM;
  d->img.pixel_cm2 = (PITCH_MM / 10) * (PITCH_MM / 10);
  for (guint m = 0; m < DL_HS_N_MATERIALS; m++)
    d->img.mu[m] = 0.039;
  return d;
}

/* A ring around (@cx, @cy) cm: @a of attenuation between @r_in and @r_out cm,
 * anti-aliased by 4 × 4 subsamples. */
static void
draw_ring (Drawn *d, double cx, double cy, double r_in, double r_out, double a)
{
  double cm = PITCH_MM / 10;

  for (int y = MAX (0, (int) ((cy - r_out) / cm) - 1); y < MIN (H, (int) ((cy + r_out) / cm) + 2); y++)
    for (int x = MAX (0, (int) ((cx - r_out) / cm) - 1); x < MIN (W, (int) ((cx + r_out) / cm) + 2); x++)
      {
        guint in = 0;

        for (int sy = 0; sy < 4; sy++)
          for (int sx = 0; sx < 4; sx++)
            {
              double r = hypot ((x + (sx + 0.5) / 4) * cm - cx, (y + (sy + 0.5) / 4) * cm - cy);
              in += r >= r_in && r < r_out;
            }
        d->img.excess_high[y * W + x] += a * in / 16;
      }
}

/* A box of @a more attenuation, in cm. */
static void
draw_box (Drawn *d, double x0, double y0, double x1, double y1, double a, int box_px[4])
{
  double cm = PITCH_MM / 10;

  box_px[0] = (int) (x0 / cm);
  box_px[1] = (int) (y0 / cm);
  box_px[2] = (int) ceil (x1 / cm);
  box_px[3] = (int) ceil (y1 / cm);
  for (int y = box_px[1]; y < box_px[3]; y++)
    for (int x = box_px[0]; x < box_px[2]; x++)
      d->img.excess_high[y * W + x] += a;
}

static void
add_noise (Drawn *d)
{
  for (guint k = 0; k < W * H; k++)
    {
      /* Box–Muller */
      double u = g_rand_double_range (d->rand, 1e-12, 1), v = g_rand_double (d->rand);
      d->img.excess_high[k] += 0.01 * sqrt (-2 * log (u)) * cos (2 * G_PI * v);
    }
}

/* Two rows of eight tyres 64 cm across, hollows of 40 cm (every second
 * column @big cm), walls of 1.0 attenuation (the one at @shallow_i 0.85:
 * a stack one tyre shallower). */
static void
draw_tyres (Drawn *d, double big, guint shallow_i)
{
  guint i = 0;

  for (int row = 0; row < 2; row++)
    for (int col = 0; col < 8; col++, i++)
      {
        double r_in = col % 2 == 1 ? big / 2 : 20, cx = 40 + col * 70, cy = 38 + row * 66;
        draw_ring (d, cx, cy, r_in, 32, i == shallow_i ? 0.85 : 1.0);
      }
}

static GPtrArray *
find (Drawn *d, const char *parameters, guint *compared)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) p = dl_json_object_parse (parameters ? parameters : "{}", "parameters", &error);
  GPtrArray *findings = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_finding_free);

  g_assert_no_error (error);
  *compared = dl_rings_find (&d->img, p, findings);
  for (guint i = 0; i < findings->len; i++)
    g_test_message ("%.2f %s", ((DlFinding *) g_ptr_array_index (findings, i))->score,
                    ((DlFinding *) g_ptr_array_index (findings, i))->explanation);
  return findings;
}

static gboolean
overlaps (const DlFinding *f, const int c[4])
{
  double b[4];

  g_assert_true (dl_finding_get_bounds (f, b));
  return b[0] < c[2] && b[2] > c[0] && b[1] < c[3] && b[3] > c[1];
}

/* Sixteen tyres of two sizes, one shallower than the rest: every ring
 * is compared with those of its size, nothing found. */
static void
test_rings_honest_drawn (void)
{
  g_autoptr(Drawn) d = drawn_new ();
  g_autoptr(GPtrArray) findings = NULL;
  guint compared;

  draw_tyres (d, 46, 3);
  add_noise (d);
  findings = find (d, NULL, &compared);
  g_assert_cmpuint (compared, ==, 16);
  g_assert_cmpuint (findings->len, ==, 0);
}

/* A package in the hollow of one tyre, another in the wall of a second:
 * each found on its box, said where, with the ring's peers. */
static void
test_rings_hidden_drawn (void)
{
  g_autoptr(Drawn) d = drawn_new ();
  g_autoptr(GPtrArray) findings = NULL;
  int in_hollow[4], in_wall[4];
  guint compared, hollow = 0, wall = 0;

  draw_tyres (d, 46, G_MAXUINT);
  /* under the tread of the large tyre at (110, 38): inside its hollow */
  draw_box (d, 100, 44, 122, 56, 0.6, in_hollow);
  /* in the wall of the small tyre at (320, 104) */
  draw_box (d, 314, 78, 326, 84, 0.4, in_wall);
  add_noise (d);
  findings = find (d, NULL, &compared);
  g_assert_cmpuint (findings->len, ==, 2);
  for (guint i = 0; i < findings->len; i++)
    {
      DlFinding *f = g_ptr_array_index (findings, i);
      const char *where = json_object_get_string_member (f->figures, "where");

      g_assert_cmpstr (f->kind, ==, "anomaly");
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (f->figures, "peers")), >=, 4);
      g_assert_cmpfloat (f->score, >=, 0.5);
      if (g_strcmp0 (where, "hollow") == 0)
        {
          g_assert_true (overlaps (f, in_hollow));
          /* 22 × 12 cm of 0.6 at μ 0.039: 4.1 kg */
          g_assert_cmpfloat_with_epsilon (json_object_get_double_member (f->figures, "excess_kg"), 4.06, 0.8);
          hollow++;
        }
      else
        {
          g_assert_cmpstr (where, ==, "wall");
          g_assert_true (overlaps (f, in_wall));
          wall++;
        }
    }
  g_assert_cmpuint (hollow, ==, 1);
  g_assert_cmpuint (wall, ==, 1);
}

/* Gaps between drums or cartons are not round: no rings, nothing compared. */
static void
test_rings_not_round (void)
{
  g_autoptr(Drawn) d = drawn_new ();
  g_autoptr(GPtrArray) findings = NULL;
  guint compared;

  for (guint k = 0; k < W * H; k++)
    d->img.excess_high[k] = 1.0;
  for (int i = 0; i < 8; i++)
    {
      int box[4];
      /* square holes 30 cm a side, one of them with something in it */
      draw_box (d, 20 + i * 30, 20, 50 + i * 30 - 15, 50, -1.0, box);
      if (i == 3)
        draw_box (d, 20 + i * 30, 40, 50 + i * 30 - 15, 50, 0.5, box);
    }
  add_noise (d);
  findings = find (d, NULL, &compared);
  g_assert_cmpuint (compared, ==, 0);
  g_assert_cmpuint (findings->len, ==, 0);
}

/* Its parameters are what it runs with. */
static void
test_rings_parameters (void)
{
  g_autoptr(Drawn) d = drawn_new ();
  g_autoptr(GPtrArray) strict = NULL, heavy = NULL;
  int box[4];
  guint compared;

  draw_tyres (d, 46, G_MAXUINT);
  draw_box (d, 100, 44, 122, 56, 0.6, box);
  add_noise (d);
  strict = find (d, "{\"z\": 1000000}", &compared);
  g_assert_cmpuint (compared, ==, 16);
  g_assert_cmpuint (strict->len, ==, 0);
  heavy = find (d, "{\"min_kg\": 50}", &compared);
  g_assert_cmpuint (heavy->len, ==, 0);
}

static GPtrArray *
run_scene (const char *scene, guint64 seed, gboolean varied, GArray **boxes)
{
  g_autoptr(GError) error = NULL;
  DlSynthOptions options = { FALSE, varied };
  g_autoptr(DlSynthOutput) out = dl_synth_generate_with_options (scene, seed, &options, &error);
  g_autoptr(DlDetector) rings = dl_rings_detector_new ();
  g_autoptr(DlDetectInput) input = NULL;
  GPtrArray *findings;

  g_assert_no_error (error);
  input = dl_detect_input_new (out->scan, out->manifest, NULL, dl_calibration_get_default (), NULL);
  findings = dl_detector_run (rings, input, NULL, NULL, &error);
  g_assert_no_error (error);
  *boxes = concealed_boxes (out);
  return findings;
}

/* The generator's tyres, plain and varied: packages found, every finding
 * on one of them. */
static void
test_rings_tyres (gconstpointer data)
{
  gboolean varied = GPOINTER_TO_INT (data);
  guint found = 0;

  for (guint64 seed = 4; seed <= 5; seed++)
    {
      g_autoptr(GArray) boxes = NULL;
      g_autoptr(GPtrArray) findings = run_scene ("tyres-concealment", seed, varied, &boxes);

      for (guint i = 0; i < findings->len; i++)
        {
          DlFinding *f = g_ptr_array_index (findings, i);

          g_test_message ("seed %" G_GUINT64_FORMAT ": %.2f %s", seed, f->score, f->explanation);
          g_assert_cmpstr (f->detector, ==, "rings");
          g_assert_true (overlaps_concealed (f, boxes));
        }
      found += findings->len > 0;
    }
  g_assert_cmpuint (found, ==, 2);
}

/* Honest loads with round things in them (drums, car and trailer tyres
 * on their rims): nothing. */
static void
test_rings_honest (gconstpointer data)
{
  for (int varied = 0; varied <= 1; varied++)
    {
      g_autoptr(GArray) boxes = NULL;
      g_autoptr(GPtrArray) findings = run_scene (data, 4, varied, &boxes);

      for (guint i = 0; i < findings->len; i++)
        g_test_message ("%s: %s", (const char *) data,
                        ((DlFinding *) g_ptr_array_index (findings, i))->explanation);
      g_assert_cmpuint (findings->len, ==, 0);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rings/drawn/honest", test_rings_honest_drawn);
  g_test_add_func ("/rings/drawn/hidden", test_rings_hidden_drawn);
  g_test_add_func ("/rings/drawn/not-round", test_rings_not_round);
  g_test_add_func ("/rings/drawn/parameters", test_rings_parameters);
  g_test_add_data_func ("/rings/tyres/plain", GINT_TO_POINTER (FALSE), test_rings_tyres);
  g_test_add_data_func ("/rings/tyres/varied", GINT_TO_POINTER (TRUE), test_rings_tyres);
  g_test_add_data_func ("/rings/honest/mixed", "mixed", test_rings_honest);
  g_test_add_data_func ("/rings/honest/truck", "truck", test_rings_honest);
  g_test_add_data_func ("/rings/honest/vehicles", "vehicles", test_rings_honest);
  return g_test_run ();
}
