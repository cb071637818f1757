/* test-case-profile.c — a supervisor's choice of scanner profile for a
 * case's scan through the session: refused to the analyst who recorded
 * the verdict, used at once for another (classes made with its
 * calibration), and used again when the case is opened again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "case-fixture.h"
#include "dl-case-file.h"
#include "dl-material.h"
#include "dl-session.h"
#include "dl-synth.h"

static char *tmpdir;

static void
wait_shown (DlSession *s)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while ((dl_session_get_loading (s) || dl_session_get_classes_pending (s) || dl_session_get_scan (s) == NULL)
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (dl_session_get_scan (s));
  g_assert_false (dl_session_get_classes_pending (s));
}

/* The classes of the scan shown are @profile's calibration's, not the
 * built-in profile's the scan names (which differ on this scan). */
static void
assert_classes_of (DlSession       *s,
                   const DlProfile *profile)
{
  DlScan *scan = dl_session_get_scan (s);
  g_autoptr(GPtrArray) expected = dl_material_classify_scan_with (scan, profile->calibration);
  g_autoptr(GPtrArray) named = dl_material_classify_scan_with (scan, dl_calibration_get_default ());
  DlPlane *high, *low;

  g_assert_true (dl_scan_get_energy_pair (scan, 0, &high, &low));
  g_assert_cmpmem (dl_scan_get_classes (scan, 0), high->width * high->height,
                   g_ptr_array_index (expected, 0), high->width * high->height);
  g_assert_true (memcmp (g_ptr_array_index (named, 0), g_ptr_array_index (expected, 0), high->width * high->height) != 0);
}

static DlSession *
open_case (const char *path,
           DlIdentity *who,
           const char *case_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlCaseFile) file = dl_case_file_open (path, who, &error);
  DlSession *s = dl_session_new ();

  g_assert_no_error (error);
  dl_session_set_case_file (s, file);
  g_assert_true (dl_session_open_case (s, case_id, 0, &error));
  g_assert_no_error (error);
  wait_shown (s);
  return s;
}

static void
close_case (DlSession *s)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dl_session_close_case_file (s, &error));
  g_assert_no_error (error);
  g_object_unref (s);
}

static void
test_supervisor_choice (void)
{
  g_autoptr(DlSynthOutput) out = dl_synth_generate ("empty-20ft", 3, FALSE, NULL);
  g_autoptr(DlIdentity) alice = fixture_person (tmpdir, "alice", "Alice");
  g_autoptr(DlIdentity) bob = fixture_person (tmpdir, "bob", "Bob");
  g_autofree char *dir = g_build_filename (tmpdir, "synth", NULL);
  g_autofree char *path = g_build_filename (tmpdir, "choice.dlcase", NULL);
  g_autofree char *base = NULL, *scan = NULL, *case_id = NULL, *sid = NULL, *vid = NULL;
  DlProfile *other = dl_profiles_lookup (dl_profiles_get_default (), "synthetic-9-6MeV");
  g_autoptr(DlCaseFile) file = NULL;
  g_autoptr(DlProfileChoice) choice = NULL;
  g_autoptr(GError) error = NULL;
  DlProfileMatch how;
  DlSession *s;

  g_assert_nonnull (other);
  g_assert_true (dl_synth_write (out, dir, &error));
  base = dl_synth_basename (out);
  scan = g_strdup_printf ("%s/%s.tif", dir, base);
  file = dl_case_file_create (path, alice, &error);
  case_id = dl_case_file_new_case (file, "scene", &error);
  sid = dl_case_file_add_scan (file, case_id, scan, TRUE, &error);
  vid = dl_case_file_add_verdict (file, case_id, DL_DECISION_CLEAR, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dl_case_file_close (file, NULL));

  /* the analyst may not */
  s = open_case (path, alice, case_id);
  g_assert_cmpstr (dl_session_get_profile (s, &how)->id, ==, "synthetic-6-4MeV");
  g_assert_cmpint (how, ==, DL_PROFILE_MATCH_NAMED);
  g_assert_false (dl_session_choose_case_profile (s, "synthetic-9-6MeV", &error));
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FOUR_EYES);
  g_clear_error (&error);
  g_assert_cmpstr (dl_session_get_profile (s, NULL)->id, ==, "synthetic-6-4MeV");
  close_case (s);

  /* the supervisor may: used at once */
  s = open_case (path, bob, case_id);
  g_assert_false (dl_session_choose_case_profile (s, "no-such-profile", &error));
  g_assert_error (error, DL_PROFILE_ERROR, DL_PROFILE_ERROR_UNKNOWN);
  g_clear_error (&error);
  g_assert_true (dl_session_choose_case_profile (s, "synthetic-9-6MeV", &error));
  g_assert_no_error (error);
  g_assert_true (dl_session_get_profile (s, &how) == other);
  g_assert_cmpint (how, ==, DL_PROFILE_MATCH_CHOSEN);
  wait_shown (s);
  assert_classes_of (s, other);
  choice = dl_case_file_get_profile_choice (dl_session_get_case_file (s), sid, &error);
  g_assert_nonnull (choice);
  g_assert_cmpstr (choice->profile_id, ==, "synthetic-9-6MeV");
  g_assert_cmpstr (choice->profile_name, ==, other->name);
  g_assert_cmpstr (choice->author.login, ==, "bob");
  close_case (s);

  /* and again when the case is opened again, by anyone */
  s = open_case (path, alice, case_id);
  g_assert_true (dl_session_get_profile (s, &how) == other);
  g_assert_cmpint (how, ==, DL_PROFILE_MATCH_CHOSEN);
  assert_classes_of (s, other);
  close_case (s);
}

int
main (int argc, char **argv)
{
  g_autofree char *profiles = NULL;

  g_test_init (&argc, &argv, NULL);
  /* the test chain installed beside the built-in profile, before either is read */
  profiles = g_test_build_filename (G_TEST_DIST, "data", NULL);
  g_setenv ("DOORLICHT_PROFILE_PATH", profiles, TRUE);
  tmpdir = g_dir_make_tmp ("dl-case-profile-XXXXXX", NULL);
  g_test_add_func ("/case-profile/supervisor-choice", test_supervisor_choice);
  return g_test_run ();
}
