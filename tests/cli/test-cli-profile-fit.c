/* test-cli-profile-fit.c — `doorlicht-cli synth --profile`, the
 * test-object scene and `doorlicht-cli profile fit` end to end, and the
 * refusals (issue 18, point 4).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "dl-dicos-write.h"
#include "dl-profile.h"
#include "dl-scan.h"

#include "cli-test-util.h"

static char *tmpdir;


static char *
in_tmp (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static char *
second_profile (void)
{
  return g_test_build_filename (G_TEST_DIST, "data", "synthetic-9-6MeV.ini", NULL);
}

/* synth --scene test-object: the scan and its OBJECT.json */
static void
make_object (const char *profile, const char *seed)
{
  g_auto(Run) r = { 0 };

  if (profile)
    run_cli (&r, "synth", "--scene", "test-object", "--seed", seed, "--profile", profile, "-o", tmpdir, NULL);
  else
    run_cli (&r, "synth", "--scene", "test-object", "--seed", seed, "-o", tmpdir, NULL);
  g_assert_cmpint (r.status, ==, 0);
}

static JsonObject *
parse_object (JsonParser *parser, const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
check_fit (const char *base, double blur, double i0, double pitch)
{
  g_autofree char *scan = g_strdup_printf ("%s/%s.tif", tmpdir, base);
  g_autofree char *object = g_strdup_printf ("%s/%s.object.json", tmpdir, base);
  g_autofree char *ini = g_strdup_printf ("%s/%s.fitted.ini", tmpdir, base);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(DlProfile) p = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) r = { 0 };
  JsonObject *o, *quality;

  run_cli (&r, "profile", "fit", scan, "--object", object, "-o", ini, "--id", "lane-3", "--name", "Lane 3", NULL);
  g_assert_cmpint (r.status, ==, 0);
  o = parse_object (parser, r.out);
  g_assert_cmpstr (json_object_get_string_member (o, "profile"), ==, "lane-3");
  g_assert_cmpfloat (fabs (json_object_get_double_member (json_object_get_object_member (o, "blur"), "sigma_px") - blur),
                     <=, 0.15);
  g_assert_cmpfloat (fabs (json_object_get_double_member (o, "i0_high") - i0), <=, 0.01 * i0);
  quality = json_object_get_object_member (o, "image_quality");
  g_assert_cmpfloat (json_object_get_double_member (quality, "steel_penetration_mm"), >=, 50);
  g_assert_cmpfloat (json_object_get_double_member (quality, "contrast_sensitivity_mm"), >, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "steps")), ==, 7 * 13);

  p = dl_profile_load (ini, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (p->id, ==, "lane-3");
  g_assert_cmpstr (p->name, ==, "Lane 3");
  g_assert_cmpstr (p->named, ==, "lane-3");
  g_assert_cmpfloat (p->pitch_x_mm, ==, pitch);
  g_assert_cmpfloat (fabs (p->blur_sigma_px - blur), <=, 0.15);
  g_assert_true (p->calibration->has_mass);
  g_assert_cmpuint (p->calibration->n_points, >=, 3);
}

static void
test_fit_builtin (void)
{
  make_object (NULL, "640");
  check_fit ("test-object-640", 0.8, 60000, 5);
}

static void
test_fit_second_chain (void)
{
  g_autofree char *profile = second_profile ();
  g_autofree char *scan_path = in_tmp ("test-object-641.tif");
  g_autoptr(DlScan) scan = NULL;
  g_autoptr(GError) error = NULL;
  double px;

  make_object (profile, "641");
  scan = dl_scan_load_file (scan_path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dl_scan_get_pixel_pitch (scan, &px, NULL));
  g_assert_cmpfloat_with_epsilon (px, 4, 1e-6);
  g_assert_nonnull (strstr (dl_scan_get_metadata (scan, "description"), "\"profile\": \"synthetic-9-6MeV\""));
  check_fit ("test-object-641", 1.3, 30000, 4);
}

/* A fitted profile says nothing of its effective energies: the generator
 * cannot image as it, and says what is missing. */
static void
test_synth_needs_energies (void)
{
  g_autofree char *ini = in_tmp ("test-object-640.fitted.ini");
  g_autofree char *scan = in_tmp ("test-object-640.tif");
  g_autofree char *object = in_tmp ("test-object-640.object.json");
  g_auto(Run) fit = { 0 };
  g_auto(Run) r = { 0 };
  g_auto(Run) unknown = { 0 };
  g_auto(Run) list = { 0 };

  if (!g_file_test (ini, G_FILE_TEST_EXISTS))
    {
      make_object (NULL, "640");
      run_cli (&fit, "profile", "fit", scan, "--object", object, "-o", ini, NULL);
      g_assert_cmpint (fit.status, ==, 0);
    }
  run_cli (&r, "synth", "--scene", "mixed", "--profile", ini, "-o", tmpdir, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "effective_high_mev"));
  run_cli (&unknown, "synth", "--scene", "mixed", "--profile", "no-such-profile", "-o", tmpdir, NULL);
  g_assert_cmpint (unknown.status, ==, 1);
  g_assert_nonnull (strstr (unknown.err, "no-such-profile"));
  run_cli (&list, "synth", "--list", NULL);
  g_assert_nonnull (strstr (list.out, "test-object\t"));
}

static void
expect_refusal (const char *scan, const char *object, int status, const char *words)
{
  g_autofree char *ini = in_tmp ("refused.ini");
  g_auto(Run) r = { 0 };

  g_unlink (ini);
  if (object)
    run_cli (&r, "profile", "fit", scan, "--object", object, "-o", ini, NULL);
  else
    run_cli (&r, "profile", "fit", scan, "-o", ini, NULL);
  g_test_message ("%s", r.err);
  g_assert_cmpint (r.status, ==, status);
  g_assert_nonnull (strstr (r.err, words));
  g_assert_false (g_file_test (ini, G_FILE_TEST_EXISTS));
}

static void
test_refusals (void)
{
  g_autofree char *scan = in_tmp ("test-object-642.tif");
  g_autofree char *object = in_tmp ("test-object-642.object.json");
  g_autofree char *cargo = in_tmp ("empty-20ft-643.tif");
  g_autofree char *bad = in_tmp ("bad.object.json");
  g_autofree char *missing = in_tmp ("missing.tif");
  g_auto(Run) r = { 0 };

  make_object (NULL, "642");
  run_cli (&r, "synth", "--scene", "empty-20ft", "--seed", "643", "-o", tmpdir, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_set_contents (bad, "{\"format\": \"doorlicht-test-object/1\", \"materials\": 3}", -1, NULL));

  expect_refusal (scan, NULL, 2, "--object");
  expect_refusal (scan, bad, 1, "bad.object.json");
  expect_refusal (scan, bad, 1, "materials");
  expect_refusal (cargo, object, 1, "What the scan shows");
  expect_refusal (missing, object, 1, "missing.tif");
  expect_refusal (object, object, 1, "test-object-642.object.json");
}

/* The built-in profile named on the command line images as no --profile
 * does: the very bytes. */
static void
test_builtin_by_id (void)
{
  g_autofree char *plain = g_build_filename (tmpdir, "plain", NULL);
  g_autofree char *named = g_build_filename (tmpdir, "named", NULL);
  g_autofree char *a = g_build_filename (plain, "empty-20ft-644.tif", NULL);
  g_autofree char *b = g_build_filename (named, "empty-20ft-644.tif", NULL);
  g_autofree char *da = NULL, *db = NULL;
  gsize la, lb;
  g_auto(Run) r1 = { 0 };
  g_auto(Run) r2 = { 0 };

  run_cli (&r1, "synth", "--scene", "empty-20ft", "--seed", "644", "-o", plain, NULL);
  run_cli (&r2, "synth", "--scene", "empty-20ft", "--seed", "644", "--profile", "synthetic-6-4MeV", "-o", named, NULL);
  g_assert_cmpint (r1.status, ==, 0);
  g_assert_cmpint (r2.status, ==, 0);
  g_assert_true (g_file_get_contents (a, &da, &la, NULL));
  g_assert_true (g_file_get_contents (b, &db, &lb, NULL));
  g_assert_cmpmem (da, la, db, lb);
}

/* calibrate --profile: the boundaries and the [mass] of that chain */
static void
test_calibrate_profile (void)
{
  g_autofree char *profile = second_profile ();
  g_autofree char *out = in_tmp ("second.calibration.ini");
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_auto(Run) r = { 0 };

  run_cli (&r, "calibrate", "--profile", profile, "-o", out, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_key_file_load_from_file (kf, out, G_KEY_FILE_NONE, NULL));
  g_assert_cmpstr (g_key_file_get_string (kf, "calibration", "profile", NULL), ==, "synthetic-9-6MeV");
  /* μ/ρ of iron at 4 MeV, NIST */
  g_assert_cmpfloat_with_epsilon (g_key_file_get_double (kf, "mass", "mu_metal", NULL), 0.03312, 1e-9);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* The scanner's make, model and serial: matched by them. */
static void
assert_matched (const char *ini,
                const char *make,
                const char *model,
                const char *serial)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlProfile) p = dl_profile_load (ini, &error);
  g_autoptr(DlScan) scan = dl_scan_new ();
  DlProfiles *profiles = dl_profiles_new ();
  DlProfileMatch how = DL_PROFILE_MATCH_NONE;

  g_assert_no_error (error);
  g_assert_cmpstr (p->make, ==, make);
  g_assert_cmpstr (p->model, ==, model);
  g_assert_cmpstr (p->serial, ==, serial);
  dl_profiles_add (profiles, p);
  dl_scan_set_metadata (scan, "make", make);
  dl_scan_set_metadata (scan, "model", model);
  dl_scan_set_metadata (scan, "serial", serial);
  g_assert_true (dl_profiles_match (profiles, scan, &how) == p);
  g_assert_cmpint (how, ==, DL_PROFILE_MATCH_SERIAL);
  dl_scan_set_metadata (scan, "serial", "another");
  g_assert_null (dl_profiles_match (profiles, scan, &how));
  dl_profiles_free (profiles);
}

/* --make, --model, --serial, --energies: a complete profile, matched to
 * a scan of that scanner; without them, the scan's own identity (here a
 * DICOS file that carries it). */
static void
test_fit_identity (void)
{
  g_autofree char *scan = in_tmp ("test-object-642.tif");
  g_autofree char *dcs = in_tmp ("test-object-642.dcs");
  g_autofree char *object = in_tmp ("test-object-642.object.json");
  g_autofree char *ini = in_tmp ("identity.ini");
  g_autofree char *own = in_tmp ("own.ini");
  g_autoptr(GError) error = NULL;
  g_autoptr(DlProfile) p = NULL;
  g_autoptr(DlScan) loaded = NULL;
  g_auto(Run) r = { 0 }, bad = { 0 }, half = { 0 }, from_scan = { 0 };

  make_object (NULL, "642");
  run_cli (&r, "profile", "fit", scan, "--object", object, "-o", ini, "--make", "Acme Screening",
           "--model", "Eagle M60", "--serial", "SN-0042", "--energies", "6,4", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_matched (ini, "Acme Screening", "Eagle M60", "SN-0042");
  p = dl_profile_load (ini, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (p->energy_high_mev, ==, 6);
  g_assert_cmpfloat (p->energy_low_mev, ==, 4);

  run_cli (&bad, "profile", "fit", scan, "--object", object, "-o", ini, "--energies", "4,6", NULL);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "4,6"));
  run_cli (&half, "profile", "fit", scan, "--object", object, "-o", ini, "--make", "Acme", NULL);
  g_assert_cmpint (half.status, ==, 2);

  loaded = dl_scan_load_file (scan, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  dl_scan_set_metadata (loaded, "make", "Acme Screening");
  dl_scan_set_metadata (loaded, "model", "Portal 6/4");
  dl_scan_set_metadata (loaded, "serial", "SN-7");
  g_assert_true (dl_dicos_write_dx (loaded, 0, dcs, &error));
  g_assert_no_error (error);
  run_cli (&from_scan, "profile", "fit", dcs, "--object", object, "-o", own, NULL);
  g_assert_cmpint (from_scan.status, ==, 0);
  assert_matched (own, "Acme Screening", "Portal 6/4", "SN-7");
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("dl-cli-fit-XXXXXX", NULL);
  g_test_add_func ("/cli/profile-fit/builtin", test_fit_builtin);
  g_test_add_func ("/cli/profile-fit/second-chain", test_fit_second_chain);
  g_test_add_func ("/cli/profile-fit/synth-needs-energies", test_synth_needs_energies);
  g_test_add_func ("/cli/profile-fit/refusals", test_refusals);
  g_test_add_func ("/cli/profile-fit/calibrate-profile", test_calibrate_profile);
  g_test_add_func ("/cli/profile-fit/builtin-by-id", test_builtin_by_id);
  g_test_add_func ("/cli/profile-fit/identity", test_fit_identity);
  status = g_test_run ();
  remove_tree (tmpdir);
  return status;
}
