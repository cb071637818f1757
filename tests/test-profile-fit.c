/* test-profile-fit.c — a scanner profile fitted from a scan of the
 * generator's step-wedge test object classifies and weighs that chain's
 * scenes as well as the chain's true profile, for two chains: the built-in
 * one (synthetic-6-4MeV) and tests/data/synthetic-9-6MeV.ini (4/2 MeV
 * effective, I0 30 000, 4 mm pitch, blur 1.3 px, noisier).  And bad input
 * is refused naming why.
 *
 * Tolerances (docs/scanner-profiles.md): blur within 0.15 px and I0 within
 * 1 % of the chain's; over each scene, the fitted and the true profile
 * give the same class to at least 97 % of the pixels both classify, and
 * classify shares of the pixels within 5 points of each other; the fitted
 * profile agrees with the labels at most 1 point less often than the true
 * one; its cargo mass is within 3 % of the true profile's estimate.  (The
 * ends of the trusted range of attenuation are decided on the noise
 * measured at a ladder step, which either fit measures with a few per cent
 * of error: an end can differ by one step, 0.35 instead of 0.5, and the
 * thin matter it classifies moves the mass by up to 2.5 %.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-profile-fit"

#include "config.h"

#include <math.h>
#include <string.h>

#include "dl-consistency.h"
#include "dl-profile-fit.h"
#include "dl-synth.h"

#define AGREEMENT_MIN   0.97
#define SHARE_MAX       0.05
#define LABEL_LOSS_MAX  0.01
#define MASS_REL_MAX    0.03
#define BLUR_MAX_PX     0.15
#define I0_REL_MAX      0.01

typedef struct
{
  const char    *name;
  DlSynthImaging imaging;
  DlProfile     *truth;        /* the chain's true profile */
  guint64        object_seed;
  guint64        scene_seed;
} Chain;

static void
chain_init (Chain *c, gboolean second)
{
  g_autoptr(GError) error = NULL;

  if (!second)
    {
      c->name = "synthetic-6-4MeV";
      c->imaging = *dl_synth_imaging_default ();
      c->truth = dl_profile_ref (dl_profiles_lookup (dl_profiles_get_default (), "synthetic-6-4MeV"));
      c->object_seed = 610;
      c->scene_seed = 611;
    }
  else
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "synthetic-9-6MeV.ini", NULL);

      c->name = "synthetic-9-6MeV";
      c->truth = dl_profile_load (path, &error);
      g_assert_no_error (error);
      g_assert_true (dl_synth_imaging_from_profile (c->truth, &c->imaging, &error));
      g_assert_no_error (error);
      c->object_seed = 620;
      c->scene_seed = 621;
    }
  g_assert_nonnull (c->truth);
}

static DlSynthOutput *
generate (const Chain *c, const char *scene, guint64 seed)
{
  DlSynthOptions options = { FALSE, FALSE, &c->imaging };
  g_autoptr(GError) error = NULL;
  DlSynthOutput *out = dl_synth_generate_with_options (scene, seed, &options, &error);

  g_assert_no_error (error);
  return out;
}

static DlProfileFit *
fit_chain (const Chain *c)
{
  g_autoptr(DlSynthOutput) out = generate (c, "test-object", c->object_seed);
  g_autoptr(DlTestObject) object = NULL;
  g_autoptr(GError) error = NULL;
  DlProfileFit *fit;

  g_assert_nonnull (out->object_json);
  object = dl_test_object_from_json (out->object_json, -1, &error);
  g_assert_no_error (error);
  fit = dl_profile_fit (out->scan, object, &(DlProfileFitIdentity) { .id = "fitted" }, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fit);
  return fit;
}

static gboolean
is_material (guint8 c)
{
  return c >= DL_CLASS_ORGANIC && c <= DL_CLASS_HEAVY;
}

/* Of the two calibrations' classes: their agreement where both give a
 * material class, the share of the pixels each gives one, and each one's
 * agreement with the labels (heavy labels are classified as metal). */
static void
compare_classes (DlSynthOutput *out, const DlCalibration *truth, const DlCalibration *fitted,
                 double *agree, double *share_true, double *share_fit, double *label_true, double *label_fit)
{
  DlPlane *high = NULL, *low = NULL;
  g_autofree guint8 *a = NULL, *b = NULL;
  gsize n = (gsize) out->width * out->height, both = 0, same = 0, in_a = 0, in_b = 0;
  gsize labelled = 0, ok_a = 0, ok_b = 0;

  g_assert_true (dl_scan_get_energy_pair (out->scan, 0, &high, &low));
  a = dl_material_classify (high, low, truth);
  b = dl_material_classify (high, low, fitted);
  for (gsize k = 0; k < n; k++)
    {
      guint label = out->classes[k] == DL_CLASS_HEAVY ? DL_CLASS_METAL : out->classes[k];

      in_a += is_material (a[k]);
      in_b += is_material (b[k]);
      if (is_material (a[k]) && is_material (b[k]))
        both++, same += a[k] == b[k];
      if (label != DL_CLASS_NONE)
        labelled++, ok_a += a[k] == label, ok_b += b[k] == label;
    }
  g_assert_cmpuint (both, >, 1000);
  *agree = (double) same / both;
  *share_true = (double) in_a / n;
  *share_fit = (double) in_b / n;
  *label_true = (double) ok_a / labelled;
  *label_fit = (double) ok_b / labelled;
}

static double
weigh (DlSynthOutput *out, const DlCalibration *cal)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlConsistency) result = dl_consistency_check (out->scan, cal, out->manifest, &error);

  g_assert_no_error (error);
  return result->cargo_kg;
}

static void
check_scene (const Chain *c, const DlProfileFit *fit, const char *scene, guint64 seed)
{
  g_autoptr(DlSynthOutput) out = generate (c, scene, seed);
  const DlCalibration *truth = c->truth->calibration, *fitted = fit->profile->calibration;
  double agree, share_true, share_fit, label_true, label_fit, kg_true, kg_fit;

  compare_classes (out, truth, fitted, &agree, &share_true, &share_fit, &label_true, &label_fit);
  kg_true = weigh (out, truth);
  kg_fit = weigh (out, fitted);
  g_test_message ("%s %s-%" G_GUINT64_FORMAT ": classes agree %.2f %%, classified %.2f %% of the pixels "
                  "(true profile %.2f %%), labels %.2f %% (%.2f %%), cargo %.0f kg (true profile %.0f kg, truth %.0f kg)",
                  c->name, scene, seed, 100 * agree, 100 * share_fit, 100 * share_true, 100 * label_fit,
                  100 * label_true, kg_fit, kg_true, out->cargo_kg);
  g_assert_cmpfloat (agree, >=, AGREEMENT_MIN);
  g_assert_cmpfloat (fabs (share_fit - share_true), <=, SHARE_MAX);
  g_assert_cmpfloat (label_fit, >=, label_true - LABEL_LOSS_MAX);
  g_assert_cmpfloat (fabs (kg_fit - kg_true), <=, MASS_REL_MAX * kg_true);
}

static void
test_chain (gconstpointer data)
{
  static const char *scenes[] = { "mixed", "organic-in-metal", "shielded-block" };
  Chain c = { 0 };
  g_autoptr(DlProfileFit) fit = NULL;
  g_autoptr(DlProfile) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  chain_init (&c, GPOINTER_TO_INT (data));
  fit = fit_chain (&c);
  g_test_message ("%s: blur %.3f px (%.2f), I0 %.0f (%.0f), classified from %.2f to %.2f, "
                  "penetration %.0f mm, contrast %.1f mm",
                  c.name, fit->blur_sigma, c.imaging.blur_sigma_px, fit->i0_high, c.imaging.i0,
                  fit->profile->calibration->a_min, fit->profile->calibration->a_max,
                  fit->penetration_mm, fit->contrast_mm);
  g_assert_cmpfloat (fabs (fit->blur_sigma - c.imaging.blur_sigma_px), <=, BLUR_MAX_PX);
  g_assert_cmpfloat (fabs (fit->i0_high - c.imaging.i0), <=, I0_REL_MAX * c.imaging.i0);
  g_assert_cmpfloat (fabs (fit->profile->i0 - c.imaging.i0), <=, I0_REL_MAX * c.imaging.i0);
  g_assert_cmpfloat (fit->profile->pitch_x_mm, ==, c.imaging.pitch_mm);
  g_assert_true (fit->profile->calibration->has_mass);
  /* the image-quality figures are within the object's series */
  g_assert_cmpfloat (fit->penetration_mm, >=, 50);
  g_assert_cmpfloat (fit->contrast_mm, >, 0);
  /* the profile file reads back as the same profile */
  text = dl_profile_fit_to_data (fit);
  again = dl_profile_load_bytes (g_bytes_new_static (text, strlen (text)), "fitted.ini", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->id, ==, "fitted");
  g_assert_cmpuint (again->calibration->n_points, ==, fit->profile->calibration->n_points);

  for (guint i = 0; i < G_N_ELEMENTS (scenes); i++)
    check_scene (&c, fit, scenes[i], c.scene_seed + i);
  dl_profile_unref (c.truth);
}

/* The two chains image differently: the fit finds each one's blur, not
 * one answer for both. */
static void
test_chains_differ (void)
{
  Chain a = { 0 }, b = { 0 };
  g_autoptr(DlProfileFit) fa = NULL, fb = NULL;

  chain_init (&a, FALSE);
  chain_init (&b, TRUE);
  fa = fit_chain (&a);
  fb = fit_chain (&b);
  g_assert_cmpfloat (fabs (fb->blur_sigma - fa->blur_sigma), >, 0.3);
  g_assert_cmpfloat (fabs (fb->i0_high - fa->i0_high), >, 10000);
  g_assert_cmpfloat (fb->profile->calibration->mu[DL_CLASS_ORGANIC], <, fa->profile->calibration->mu[DL_CLASS_ORGANIC]);
  dl_profile_unref (a.truth);
  dl_profile_unref (b.truth);
}

/* ---- bad input ---------------------------------------------------------------------- */

static void
expect_fit_error (DlScan *scan, const DlTestObject *object, GQuark domain, int code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlProfileFit) fit = dl_profile_fit (scan, object, &(DlProfileFitIdentity) { .id = "x" }, &error);

  g_assert_null (fit);
  g_assert_error (error, domain, code);
  g_test_message ("refused: %s", error->message);
}

static void
test_bad_scans (void)
{
  g_autoptr(DlSynthOutput) out = dl_synth_generate ("test-object", 630, FALSE, NULL);
  g_autoptr(DlSynthOutput) cargo = dl_synth_generate ("empty-20ft", 631, FALSE, NULL);
  g_autoptr(DlTestObject) object = dl_test_object_from_json (out->object_json, -1, NULL);
  g_autoptr(DlScan) single = dl_scan_new ();
  g_autoptr(DlScan) air = dl_scan_new ();
  DlPlane *plane;

  g_assert_nonnull (object);
  /* one energy */
  plane = dl_scan_add_plane (single, 0, "high", out->width, out->height, 0, NULL);
  memcpy (plane->data, dl_scan_get_plane (out->scan, 0, 0)->data, (gsize) out->width * out->height * 2);
  dl_scan_set_pixel_pitch (single, 5, 5);
  expect_fit_error (single, object, DL_PROFILE_FIT_ERROR, DL_PROFILE_FIT_ERROR_SCAN);
  /* nothing but air */
  for (guint c = 0; c < 2; c++)
    {
      plane = dl_scan_add_plane (air, 0, c ? "low" : "high", 200, 200, 0, NULL);
      for (gsize k = 0; k < 200 * 200; k++)
        plane->data[k] = 60000 + (k * 7919) % 200;
    }
  dl_scan_set_pixel_pitch (air, 5, 5);
  expect_fit_error (air, object, DL_PROFILE_FIT_ERROR, DL_PROFILE_FIT_ERROR_NOT_FOUND);
  /* a container is not the test object */
  expect_fit_error (cargo->scan, object, DL_PROFILE_FIT_ERROR, DL_PROFILE_FIT_ERROR_NOT_FOUND);
}

/* The object the scan shows, but OBJECT.json wrong: a block moved, a
 * series missing. */
static void
test_wrong_object (void)
{
  g_autoptr(DlSynthOutput) out = dl_synth_generate ("test-object", 630, FALSE, NULL);
  g_autoptr(DlTestObject) moved = dl_test_object_from_json (out->object_json, -1, NULL);
  g_autoptr(DlTestObject) fewer = dl_test_object_from_json (out->object_json, -1, NULL);
  DlTestSeries *s = g_ptr_array_index (moved->series, 3);

  /* the aluminium wedge 40 mm further right than it is: its blocks are not there */
  s->x_mm += 40;
  g_assert_true (dl_test_object_check (moved, NULL));
  expect_fit_error (out->scan, moved, DL_PROFILE_FIT_ERROR, DL_PROFILE_FIT_ERROR_NOT_FOUND);
  /* the last series left out: the object found is larger than described */
  g_ptr_array_remove_index (fewer->series, fewer->series->len - 1);
  expect_fit_error (out->scan, fewer, DL_PROFILE_FIT_ERROR, DL_PROFILE_FIT_ERROR_NOT_FOUND);
}

static void
test_object_json (void)
{
  static const char *bad[] = {
    "",
    "[]",
    "{\"format\": \"doorlicht-test-object/2\"}",
    "{\"format\": \"doorlicht-test-object/1\", \"materials\": [], \"series\": []}",
    "{\"format\": \"doorlicht-test-object/1\", \"materials\": [{\"name\": \"steel\", \"density_g_cm3\": 7.9, "
      "\"class\": \"metal\"}], \"series\": [{\"kind\": \"wedge\", \"material\": \"steel\", \"x_mm\": 0, "
      "\"y_mm\": 0, \"block_width_mm\": 100, \"height_mm\": 200, \"gap_mm\": 50, \"thickness_mm\": [10, -5]}]}",
    "{\"format\": \"doorlicht-test-object/1\", \"materials\": [{\"name\": \"steel\", \"density_g_cm3\": 7.9, "
      "\"class\": \"shiny\"}], \"series\": [{\"kind\": \"wedge\", \"material\": \"steel\", \"x_mm\": 0, "
      "\"y_mm\": 0, \"block_width_mm\": 100, \"height_mm\": 200, \"gap_mm\": 50, \"thickness_mm\": [10]}]}",
    "{\"format\": \"doorlicht-test-object/1\", \"materials\": [{\"name\": \"steel\", \"density_g_cm3\": 7.9, "
      "\"class\": \"metal\"}], \"series\": [{\"kind\": \"wedge\", \"material\": \"lead\", \"x_mm\": 0, "
      "\"y_mm\": 0, \"block_width_mm\": 100, \"height_mm\": 200, \"gap_mm\": 50, \"thickness_mm\": [10]}]}",
    "{\"format\": \"doorlicht-test-object/1\", \"materials\": [{\"name\": \"steel\", \"density_g_cm3\": 7.9, "
      "\"class\": \"metal\"}], \"series\": [{\"kind\": \"penetration\", \"material\": \"steel\", \"x_mm\": 0, "
      "\"y_mm\": 0, \"block_width_mm\": 100, \"height_mm\": 200, \"gap_mm\": 50, \"thickness_mm\": [10]}]}",
  };
  g_autoptr(DlSynthOutput) out = dl_synth_generate ("test-object", 630, FALSE, NULL);
  g_autoptr(DlTestObject) object = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *again = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) e = NULL;
      g_autoptr(DlTestObject) o = dl_test_object_from_json (bad[i], -1, &e);

      g_assert_null (o);
      g_assert_error (e, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    }
  /* what the generator writes reads back, and writes the same again */
  object = dl_test_object_from_json (out->object_json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (object->series->len, ==, 9);
  again = dl_test_object_to_json (object);
  g_assert_cmpstr (again, ==, out->object_json);
}

/* μ/ρ: the tables' values at grid energies, between them log-log, and
 * nothing outside. */
static void
test_mu_table (void)
{
  const DlMaterialInfo *steel = dl_material_get (DL_MATERIAL_STEEL);
  double mid = dl_material_mu_at (DL_MATERIAL_STEEL, sqrt (2.0 * 3.0));

  g_assert_cmpfloat (dl_material_mu_at (DL_MATERIAL_STEEL, 3.0), ==, steel->mu_high);
  g_assert_cmpfloat (dl_material_mu_at (DL_MATERIAL_STEEL, 1.5), ==, steel->mu_low);
  /* at the geometric mean of two grid energies: the geometric mean of their values */
  g_assert_cmpfloat_with_epsilon (mid, sqrt (dl_material_mu_at (DL_MATERIAL_STEEL, 2) * steel->mu_high), 1e-9);
  g_assert_true (isnan (dl_material_mu_at (DL_MATERIAL_WATER, 0.5)));
  g_assert_true (isnan (dl_material_mu_at (DL_MATERIAL_WATER, 7)));
  /* falls with energy for the light materials at these energies */
  for (double e = 1; e < 6; e += 0.25)
    g_assert_cmpfloat (dl_material_mu_at (DL_MATERIAL_WATER, e + 0.25), <, dl_material_mu_at (DL_MATERIAL_WATER, e));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/profile-fit/builtin-chain", GINT_TO_POINTER (FALSE), test_chain);
  g_test_add_data_func ("/profile-fit/second-chain", GINT_TO_POINTER (TRUE), test_chain);
  g_test_add_func ("/profile-fit/chains-differ", test_chains_differ);
  g_test_add_func ("/profile-fit/bad-scans", test_bad_scans);
  g_test_add_func ("/profile-fit/wrong-object", test_wrong_object);
  g_test_add_func ("/profile-fit/object-json", test_object_json);
  g_test_add_func ("/profile-fit/mu-table", test_mu_table);
  return g_test_run ();
}
