/* test-profile.c — scanner profiles as data: the built-in one, profiles
 * in a folder, the choice of a scan's profile by its identity, refusing
 * broken files, and the mass coefficients a measurement takes from it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-profile"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "dl-colormap.h"
#include "dl-consistency.h"
#include "dl-presets.h"
#include "dl-profile.h"
#include "dl-synth.h"
#include "dl-tiff-write.h"

static const char vendor_calibration[] =
  "[calibration]\n"
  "a_min=0.4\na_max=3.5\nsmooth_radius=2\n"
  "a=0.5;2;3.5;\norganic_inorganic=0.70;0.71;0.72;\ninorganic_metal=0.73;0.74;0.75;\n";

static char *
write_profile (const char *folder,
               const char *file,
               const char *text)
{
  char *path = g_build_filename (folder, file, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static char *
vendor_profile (const char *id,
                const char *identity)
{
  return g_strdup_printf ("[profile]\nid=%s\nname=Vendor %s\n\n[identity]\n%s\n\n"
                          "[imaging]\nenergy_high_mev=6\nenergy_low_mev=3\ni0=50000\npitch_mm=4.5;5.1\n\n%s",
                          id, id, identity, vendor_calibration);
}

/* The built-in profile is the generator's: its calibration is the default
 * one, with the mass coefficients the measurement used to hold itself. */
static void
test_builtin (void)
{
  DlProfiles *profiles = dl_profiles_get_default ();
  DlProfile *p = dl_profiles_lookup (profiles, "synthetic-6-4MeV");
  const DlCalibration *def = dl_calibration_get_default ();

  g_assert_nonnull (p);
  g_assert_null (p->path);
  g_assert_cmpfloat (p->energy_high_mev, ==, 6);
  g_assert_cmpfloat (p->energy_low_mev, ==, 4);
  g_assert_cmpfloat (p->i0, ==, 60000);
  g_assert_cmpfloat (p->pitch_x_mm, ==, 5);
  g_assert_cmpstr (p->display_preset, ==, "auto");
  g_assert_true (p->calibration->has_mass);
  g_assert_true (def->has_mass);
  g_assert_cmpuint (p->calibration->n_points, ==, def->n_points);
  g_assert_cmpfloat (p->calibration->a_max, ==, def->a_max);
  for (guint i = 0; i < 4; i++)
    {
      g_assert_cmpfloat (p->calibration->mu[i], ==, def->mu[i]);
      g_assert_cmpfloat (p->calibration->mu[i], >, 0.03);
      g_assert_cmpfloat (p->calibration->mu[i], <, 0.04);
    }
  g_assert_cmpfloat (def->blur_sigma, ==, 0.8);
}

/* A generated scan names its profile and gets it; a scan that names
 * none and says nothing of its scanner gets none, and the generator's
 * curves flagged as not its own. */
static void
test_generated_scan (void)
{
  g_autoptr(DlSynthOutput) out = dl_synth_generate ("mixed", 1, FALSE, NULL);
  g_autoptr(DlScan) anonymous = dl_scan_new ();
  DlProfileMatch how = DL_PROFILE_MATCH_NONE;
  gboolean calibrated = FALSE;
  DlProfile *p;

  g_assert_nonnull (out);
  p = dl_scan_choose_profile (out->scan, &how);
  g_assert_nonnull (p);
  g_assert_cmpstr (p->id, ==, "synthetic-6-4MeV");
  g_assert_cmpint (how, ==, DL_PROFILE_MATCH_NAMED);
  g_assert_true (dl_calibration_for_scan (out->scan, &calibrated) == p->calibration);
  g_assert_true (calibrated);

  g_assert_null (dl_scan_choose_profile (anonymous, &how));
  g_assert_cmpint (how, ==, DL_PROFILE_MATCH_NONE);
  g_assert_true (dl_calibration_for_scan (anonymous, &calibrated) == dl_calibration_get_default ());
  g_assert_false (calibrated);
}

/* Profiles in a folder, chosen by make and model (glob, no case), by the
 * serial number before that, by the folder a scan came from. */
static void
test_match_identity (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-profile-XXXXXX", NULL);
  g_autofree char *scans = g_build_filename (dir, "lane-3", NULL);
  g_autofree char *model = vendor_profile ("eagle", "make=Acme*\nmodel=Eagle M60*");
  g_autofree char *serial = vendor_profile ("eagle-0042", "make=ACME Imaging\nmodel=Eagle M60\nserial=0042");
  g_autofree char *folder = NULL, *a = NULL, *b = NULL, *c = NULL;
  g_autoptr(DlProfiles) profiles = dl_profiles_new ();
  g_autoptr(DlScan) scan = dl_scan_new ();
  g_autofree char *in_lane = g_build_filename (scans, "scan-1.tif", NULL);
  DlProfileMatch how;
  DlProfile *p;

  folder = g_strdup_printf ("[profile]\nid=lane-3\n\n[identity]\nfolders=%s;\n\n%s", scans, vendor_calibration);
  a = write_profile (dir, "a-eagle.ini", model);
  b = write_profile (dir, "b-eagle-0042.ini", serial);
  c = write_profile (dir, "c-lane.ini", folder);
  dl_profiles_add_folder (profiles, dir);
  for (guint i = 0; dl_profiles_get_problems (profiles)[i]; i++)
    g_test_message ("%s", dl_profiles_get_problems (profiles)[i]);
  g_assert_cmpuint (dl_profiles_list (profiles)->len, ==, 3);
  g_assert_null (dl_profiles_get_problems (profiles)[0]);

  dl_scan_set_metadata (scan, "make", "acme imaging");
  dl_scan_set_metadata (scan, "model", "EAGLE M60 HE");
  p = dl_profiles_match (profiles, scan, &how);
  g_assert_cmpstr (p->id, ==, "eagle");
  g_assert_cmpint (how, ==, DL_PROFILE_MATCH_MODEL);
  g_assert_cmpstr (p->path, ==, a);
  g_assert_cmpfloat (p->pitch_x_mm, ==, 4.5);
  g_assert_cmpfloat (p->pitch_y_mm, ==, 5.1);
  g_assert_false (p->calibration->has_mass);
  g_assert_cmpstr (p->calibration->profile, ==, "eagle");

  dl_scan_set_metadata (scan, "model", "Eagle M60");
  dl_scan_set_metadata (scan, "serial", "0042");
  p = dl_profiles_match (profiles, scan, &how);
  g_assert_cmpstr (p->id, ==, "eagle-0042");
  g_assert_cmpint (how, ==, DL_PROFILE_MATCH_SERIAL);

  g_clear_object (&scan);
  scan = dl_scan_new ();
  dl_scan_set_source (scan, in_lane, NULL);
  p = dl_profiles_match (profiles, scan, &how);
  g_assert_cmpstr (p->id, ==, "lane-3");
  g_assert_cmpint (how, ==, DL_PROFILE_MATCH_FOLDER);
  /* a folder whose name merely begins the same is not below it */
  g_clear_object (&scan);
  scan = dl_scan_new ();
  g_free (in_lane);
  in_lane = g_strconcat (scans, "0/scan.tif", NULL);
  dl_scan_set_source (scan, in_lane, NULL);
  g_assert_null (dl_profiles_match (profiles, scan, &how));

  g_unlink (a);
  g_unlink (b);
  g_unlink (c);
  g_rmdir (dir);
}

/* A broken file is refused whole, naming the file and what is wrong; the
 * folder's other profiles are still read. */
static void
test_refused (void)
{
  static const struct { const char *text; const char *expect; } broken[] = {
    { "[profile]\nname=x\n", "no id" },
    { "[profile]\nid=x\n", "no [calibration]" },
    { "[profile]\nid=x\n[imaging]\nenergy_high_mev=3\nenergy_low_mev=6\n[calibration]\n", "low energy" },
    { "[profile]\nid=x\n[imaging]\ni0=-1\n", "i0" },
    { "[profile]\nid=x\n[imaging]\npitch_mm=1;2;3\n", "pitch_mm" },
    { "[profile]\nid=x\n[identity]\nfolders=relative/path;\n", "absolute" },
    { "[profile]\nid=\n", "empty" },
    { "not a key file", "not valid" },
  };
  g_autofree char *dir = g_dir_make_tmp ("test-profile-XXXXXX", NULL);
  g_autoptr(DlProfiles) profiles = dl_profiles_new ();
  g_autofree char *good_text = vendor_profile ("good", "make=A\nmodel=B");
  g_autofree char *good = write_profile (dir, "good.ini", good_text);
  g_autofree char *bad_mass_text = g_strdup_printf ("[profile]\nid=m\n%s[mass]\nmu_mixed=0\nrel_sigma_mixed=0.1\n", vendor_calibration);
  g_autofree char *bad_mass = write_profile (dir, "mass.ini", bad_mass_text);

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (broken[i].text, strlen (broken[i].text));
      g_autoptr(GError) error = NULL;
      g_autoptr(DlProfile) p = dl_profile_load_bytes (bytes, "broken.ini", &error);

      g_assert_null (p);
      g_test_message ("%s", error->message);
      g_assert_error (error, DL_PROFILE_ERROR, DL_PROFILE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "broken.ini"));
      g_assert_nonnull (strstr (error->message, broken[i].expect));
    }
  g_assert_cmpuint (dl_profiles_add_folder (profiles, dir), ==, 1);
  g_assert_nonnull (dl_profiles_lookup (profiles, "good"));
  g_assert_null (dl_profiles_lookup (profiles, "m"));
  g_assert_nonnull (dl_profiles_get_problems (profiles)[0]);
  g_assert_nonnull (strstr (dl_profiles_get_problems (profiles)[0], "mass.ini"));
  g_assert_nonnull (strstr (dl_profiles_get_problems (profiles)[0], "mu_mixed"));
  g_unlink (good);
  g_unlink (bad_mass);
  g_rmdir (dir);
}

static DlProfile *
load_display (const char  *display,
              GError     **error)
{
  char *text = g_strdup_printf ("[profile]\nid=d\n[display]\n%s\n%s", display, vendor_calibration);
  g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));

  return dl_profile_load_bytes (bytes, "display.ini", error);
}

/* [display]: a preset or a window of stored values, and a colour map;
 * anything else refuses the file, saying what. */
static void
test_display (void)
{
  static const struct { const char *text; const char *expect; } broken[] = {
    { "preset=darkest", "“preset” in [display] is “darkest”, not one of full, auto" },
    { "colormap=rainbow", "“colormap” in [display] is “rainbow”, not one of gray, viridis, turbo" },
    { "colormap=", "empty" },
    { "window=100", "LOW;HIGH" },
    { "window=5000;100", "LOW;HIGH" },
    { "window=-1;100", "LOW;HIGH" },
    { "window=0;70000", "LOW;HIGH" },
    { "window=0;nan", "LOW;HIGH" },
    { "window=0;1", "HIGH above 1" },
    { "window=a;b", "LOW;HIGH" },
    { "preset=auto\nwindow=100;5000", "both a preset and a window" },
  };
  g_autoptr(DlProfile) windowed = load_display ("window=1200;48000\ncolormap=viridis", NULL);
  g_autoptr(DlProfile) preset = load_display ("preset=light-goods", NULL);
  g_autoptr(DlProfile) none = load_display ("", NULL);

  g_assert_nonnull (windowed);
  g_assert_true (windowed->has_display_window);
  g_assert_cmpfloat (windowed->display_low, ==, 1200);
  g_assert_cmpfloat (windowed->display_high, ==, 48000);
  g_assert_cmpstr (windowed->display_colormap, ==, "viridis");
  g_assert_null (windowed->display_preset);
  g_assert_nonnull (preset);
  g_assert_cmpstr (preset->display_preset, ==, "light-goods");
  g_assert_false (preset->has_display_window);
  g_assert_null (preset->display_colormap);
  g_assert_nonnull (none);
  g_assert_false (none->has_display_window);
  g_assert_null (none->display_preset);
  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DlProfile) p = load_display (broken[i].text, &error);

      g_assert_null (p);
      g_test_message ("%s", error->message);
      g_assert_error (error, DL_PROFILE_ERROR, DL_PROFILE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "display.ini"));
      g_assert_nonnull (strstr (error->message, broken[i].expect));
    }
}

/* What [display] accepts is what the renderer has: every preset, every
 * built-in colour map, no more. */
static void
test_display_names (void)
{
  const char * const *presets = dl_profile_display_presets ();
  const char * const *maps = dl_profile_display_colormaps ();
  DlPreset preset;

  g_assert_cmpuint (g_strv_length ((char **) presets), ==, DL_N_PRESETS);
  for (guint i = 0; i < DL_N_PRESETS; i++)
    g_assert_cmpstr (presets[i], ==, dl_preset_get_id (i));
  for (guint i = 0; presets[i]; i++)
    g_assert_true (dl_preset_from_id (presets[i], &preset));
  g_assert_true (g_strv_equal (maps, dl_colormap_builtin_names ()));
}

/* The measurement weighs with the profile's coefficients: twice the μ/ρ,
 * half the mass; a calibration without [mass] is weighed with the
 * generator's and a wider uncertainty. */
static void
test_mass_from_profile (void)
{
  g_autoptr(DlSynthOutput) out = dl_synth_generate ("mixed", 4, FALSE, NULL);
  const DlCalibration *def = dl_calibration_get_default ();
  g_autoptr(DlCalibration) doubled = dl_calibration_copy (def);
  g_autoptr(DlCalibration) none = dl_calibration_copy (def);
  g_autoptr(DlConsistency) a = NULL, b = NULL, c = NULL;

  for (guint i = 0; i < 4; i++)
    doubled->mu[i] *= 2;
  none->has_mass = FALSE;
  a = dl_consistency_check (out->scan, def, out->manifest, NULL);
  b = dl_consistency_check (out->scan, doubled, out->manifest, NULL);
  c = dl_consistency_check (out->scan, none, out->manifest, NULL);
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_nonnull (c);
  g_assert_cmpfloat (a->cargo_kg, >, 100);
  g_assert_cmpfloat_with_epsilon (b->cargo_kg, a->cargo_kg / 2, a->cargo_kg * 1e-6);
  g_assert_cmpfloat_with_epsilon (c->cargo_kg, a->cargo_kg, a->cargo_kg * 1e-6);
  g_assert_cmpfloat (c->cargo_kg_sigma, >, a->cargo_kg_sigma * 1.5);
}

static char *
run_cli (const char  *profile_path,
         const char  *command,
         const char  *scan,
         int         *status)
{
  const char *cli = g_getenv ("DL_CLI");
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "DOORLICHT_PROFILE_PATH", profile_path, TRUE);
  const char *argv[] = { cli, "profile", command, scan, NULL };
  const char *info_argv[] = { cli, "info", scan, NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_assert_true (g_spawn_sync (NULL, (char **) (strcmp (command, "info") == 0 ? info_argv : argv), env, 0,
                               NULL, NULL, &out, NULL, status, &error));
  g_assert_no_error (error);
  return out;
}

/* The command line: a scan that names no profile, written into a lane's
 * folder, gets the profile of that folder from DOORLICHT_PROFILE_PATH
 * (match and info say so), and none without it. */
static void
test_cli_match (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-profile-XXXXXX", NULL);
  g_autofree char *profiles = g_build_filename (dir, "profiles", NULL);
  g_autofree char *lane = g_build_filename (dir, "lane-1", NULL);
  g_autofree char *scan = g_build_filename (lane, "scan.tif", NULL);
  g_autofree char *text = g_strdup_printf ("[profile]\nid=lane-one\n[identity]\nfolders=%s;\n%s", lane, vendor_calibration);
  g_autofree char *file = NULL, *out = NULL, *info = NULL, *none = NULL;
  g_autofree guint16 *pixels = g_new0 (guint16, 64 * 32);
  DlTiffWriter *w;
  int status = -1;

  if (g_getenv ("DL_CLI") == NULL)
    {
      g_test_skip ("DL_CLI is not set");
      return;
    }
  g_assert_cmpint (g_mkdir_with_parents (profiles, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (lane, 0700), ==, 0);
  file = write_profile (profiles, "lane-one.ini", text);
  for (guint i = 0; i < 64 * 32; i++)
    pixels[i] = 1000 + i;
  w = dl_tiff_writer_new (scan, NULL);
  g_assert_true (dl_tiff_writer_add_page_u16 (w, pixels, 64, 32, NULL, NULL, 5, NULL));
  g_assert_true (dl_tiff_writer_close (w, NULL));
  dl_tiff_writer_free (w);

  out = run_cli (profiles, "match", scan, &status);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (out, "\"profile\" : \"lane-one\""));
  g_assert_nonnull (strstr (out, "\"match\" : \"folder\""));
  g_assert_nonnull (strstr (out, "\"calibrated\" : true"));
  info = run_cli (profiles, "info", scan, &status);
  g_assert_nonnull (strstr (info, "\"id\" : \"lane-one\""));
  none = run_cli ("", "match", scan, &status);
  g_assert_nonnull (strstr (none, "\"profile\" : null"));
  g_assert_nonnull (strstr (none, "\"calibrated\" : false"));
  g_unlink (scan);
  g_unlink (file);
  g_rmdir (lane);
  g_rmdir (profiles);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_setenv ("DOORLICHT_PROFILE_PATH", "", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/profile/builtin", test_builtin);
  g_test_add_func ("/profile/generated-scan", test_generated_scan);
  g_test_add_func ("/profile/match-identity", test_match_identity);
  g_test_add_func ("/profile/refused", test_refused);
  g_test_add_func ("/profile/display", test_display);
  g_test_add_func ("/profile/display-names", test_display_names);
  g_test_add_func ("/profile/mass-from-profile", test_mass_from_profile);
  g_test_add_func ("/profile/cli-match", test_cli_match);
  return g_test_run ();
}
