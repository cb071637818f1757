/* test-session.c — the session model, headless: loading in a thread,
 * failures that keep the current scan, stepping, the status texts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include <math.h>
#include <string.h>

#include "tiff-fixture.h"
#include "dl-histogram.h"
#include "dl-material.h"
#include "dl-session.h"
#include "dl-synth.h"

#define W 120
#define H 80

static char *tmpdir;
static char *scan_a;
static char *scan_b;
static char *broken;

static gboolean
not_loading (gpointer data)
{
  return !dl_session_get_loading (data);
}

static void
wait_loaded (DlSession *s)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!not_loading (s))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
on_failed (DlSession  *s,
           const char *path,
           GError     *error,
           GError    **out)
{
  *out = g_error_copy (error);
}

static void
test_open (void)
{
  g_autoptr(DlSession) s = dl_session_new ();
  DlViewState *state = dl_session_get_view_state (s);
  DlPlane *plane;
  DlWindowing w;
  double i0;

  dl_session_open (s, scan_a);
  g_assert_true (dl_session_get_loading (s));
  wait_loaded (s);

  g_assert_nonnull (dl_session_get_scan (s));
  g_assert_cmpstr (dl_session_get_path (s), ==, scan_a);
  g_assert_cmpstr (dl_session_get_title (s), ==, "a.tif");
  plane = dl_session_get_active_plane (s);
  g_assert_cmpuint (plane->width, ==, W);
  g_assert_nonnull (dl_plane_get_pyramid (plane));

  /* the auto preset of channel 0, with I0 at its 99.9th percentile */
  i0 = dl_histogram_percentile (dl_plane_get_histogram (plane), 99.9);
  dl_view_state_get_windowing (state, &w);
  g_assert_cmpfloat (w.i0, ==, i0);
  {
    const DlHistogram *h = dl_plane_get_histogram (plane);
    g_assert_cmpfloat (w.center - w.width / 2, ==, dl_histogram_percentile (h->cargo ? h->cargo : h, 0.5));
  }
  g_assert_true (dl_view_state_get_fit (state));

  /* switching channel takes that channel's I0 */
  dl_session_set_active_index (s, 1);
  plane = dl_session_get_active_plane (s);
  dl_view_state_get_windowing (state, &w);
  g_assert_cmpfloat (w.i0, ==, dl_histogram_percentile (dl_plane_get_histogram (plane), 99.9));
  dl_session_set_active_index (s, 7);   /* out of range: ignored */
  g_assert_cmpuint (dl_session_get_active_index (s), ==, 1);
}

static void
test_failure_keeps_scan (void)
{
  g_autoptr(DlSession) s = dl_session_new ();
  g_autoptr(GError) error = NULL;
  DlScan *before;

  g_signal_connect (s, "load-failed", G_CALLBACK (on_failed), &error);
  dl_session_open (s, scan_a);
  wait_loaded (s);
  before = dl_session_get_scan (s);

  dl_session_open (s, broken);
  wait_loaded (s);
  g_assert_nonnull (error);
  g_assert_true (error->domain == DL_SCAN_ERROR);
  g_assert_true (dl_session_get_scan (s) == before);

  g_clear_error (&error);
  dl_session_open (s, "/does/not/exist.tif");
  wait_loaded (s);
  g_assert_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_IO);
  g_assert_true (dl_session_get_scan (s) == before);
}

static void
test_cancel (void)
{
  g_autoptr(DlSession) s = dl_session_new ();
  g_autoptr(GError) error = NULL;

  g_signal_connect (s, "load-failed", G_CALLBACK (on_failed), &error);
  dl_session_open (s, scan_a);
  dl_session_cancel_load (s);
  g_assert_false (dl_session_get_loading (s));
  /* let the thread finish: its result must not be shown, nor reported */
  for (int i = 0; i < 50; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  g_assert_null (dl_session_get_scan (s));
  g_assert_null (error);
}

static void
test_step (void)
{
  g_autoptr(DlSession) s = dl_session_new ();
  const char *files[] = { scan_a, scan_b, NULL };

  dl_session_set_files (s, files);
  g_assert_cmpuint (dl_session_get_n_files (s), ==, 2);
  g_assert_false (dl_session_step (s, -1));
  dl_session_open (s, scan_a);
  wait_loaded (s);
  g_assert_cmpint (dl_session_get_file_index (s), ==, 0);
  g_assert_false (dl_session_step (s, -1));
  g_assert_true (dl_session_step (s, 1));
  wait_loaded (s);
  g_assert_cmpstr (dl_session_get_path (s), ==, scan_b);
  g_assert_cmpint (dl_session_get_file_index (s), ==, 1);
  g_assert_false (dl_session_step (s, 1));
}

static void
test_describe (void)
{
  g_autoptr(DlSession) s = dl_session_new ();
  g_autofree char *empty = dl_session_describe_state (s);
  g_autofree char *point = NULL;
  g_autofree char *state = NULL;
  g_autofree char *expected_a = NULL;
  g_autofree char *expected_b = NULL;

  g_assert_cmpstr (empty, !=, "");
  dl_session_open (s, scan_a);
  wait_loaded (s);

  g_assert_null (dl_session_describe_point (s, 0, -1, 5));
  g_assert_null (dl_session_describe_point (s, 0, W, 5));
  point = dl_session_describe_point (s, 0, 10.7, 20.2);
  g_test_message ("%s", point);
  g_assert_true (g_str_has_prefix (point, "x 10, y 20 px (52.5, 102.5 mm)"));
  /* the fixture's two pages of one size are an energy pair, named by the
   * reader (dl-tiff-vendor.c): each channel under its own name */
  expected_a = g_strdup_printf ("%s %u", dl_scan_get_plane (dl_session_get_scan (s), 0, 0)->name,
                                fixture_value (10, 20, 0));
  expected_b = g_strdup_printf ("%s %u", dl_scan_get_plane (dl_session_get_scan (s), 0, 1)->name,
                                fixture_value (10, 20, 1));
  g_assert_nonnull (strstr (point, expected_a));
  g_assert_nonnull (strstr (point, expected_b));
  g_assert_nonnull (strstr (point, "density"));

  state = dl_session_describe_state (s);
  g_assert_nonnull (strstr (state, "a.tif"));
  g_assert_nonnull (strstr (state, "120 × 80"));
}

static void
on_pending (DlSession  *session,
            GParamSpec *pspec,
            guint      *changes)
{
  (*changes)++;
}

/* A dual-energy scan of more than DL_SCAN_DEFER_CLASSES_PIXELS shows at
 * once; its material classes follow from a worker thread, the very ones
 * dl_scan_prepare () would have made. */
static void
test_classes_later (void)
{
  g_autoptr(DlSession) s = dl_session_new ();
  g_autoptr(DlScan) scan = dl_scan_new ();
  g_autoptr(DlScan) reference = dl_scan_new ();
  const guint w = 4400, h = 4000;
  const guint8 *classes;
  guint changes = 0;

  g_assert_cmpuint ((guint64) w * h, >, DL_SCAN_DEFER_CLASSES_PIXELS);
  for (guint c = 0; c < 2; c++)
    {
      DlPlane *p = dl_scan_add_plane (scan, 0, c ? "low" : "high", w, h, 0, NULL);
      DlPlane *q = dl_scan_add_plane (reference, 0, c ? "low" : "high", 64, 64, 0, NULL);

      /* air, then steps of growing attenuation, the low energy attenuated more */
      for (gsize k = 0; k < (gsize) w * h; k++)
        {
          double a = (k % w) < 200 ? 0.0 : 0.2 + 4.0 * ((k % w) / 200) / (w / 200);

          p->data[k] = (guint16) (60000.0 * exp (-a * (c ? 1.35 : 1.0)));
        }
      p->air_value = 60000;
      memcpy (q->data, p->data, 64 * sizeof (guint16));
    }

  g_signal_connect (s, "notify::classes-pending", G_CALLBACK (on_pending), &changes);
  dl_session_set_scan (s, scan);
  g_assert_true (dl_session_get_classes_pending (s));
  g_assert_null (dl_scan_get_classes (scan, 0));
  while (dl_session_get_classes_pending (s))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (changes, ==, 2);
  classes = dl_scan_get_classes (scan, 0);
  g_assert_nonnull (classes);
  {
    g_autoptr(GPtrArray) again = dl_material_classify_scan (scan);
    guint counts[8] = { 0 };

    g_assert_cmpmem (classes, (gsize) w * h, g_ptr_array_index (again, 0), (gsize) w * h);
    for (gsize k = 0; k < (gsize) w * h; k++)
      counts[MIN (classes[k], 7)]++;
    /* air is no class, the rest is classified */
    g_assert_cmpuint (counts[DL_CLASS_NONE], >=, 200 * h);
    g_assert_cmpuint (counts[DL_CLASS_NONE], <, (gsize) w * h / 2);
  }

  /* a small one has them at once */
  dl_session_set_scan (s, reference);
  g_assert_false (dl_session_get_classes_pending (s));
  g_assert_nonnull (dl_scan_get_classes (reference, 0));
}

static void
wait_checked (DlSession *s)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (dl_session_get_loading (s) || dl_session_get_check_pending (s))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* @from's bytes with the profile its description names replaced by one
 * no workstation has (the same length: every offset stays), its manifest
 * beside it. */
static char *
copy_naming_unknown_profile (const char *dir,
                             const char *from)
{
  static const char known[] = "\"profile\": \"synthetic-6-4MeV\"";
  static const char unknown[] = "\"profile\": \"acme-cargo-9-MeV\"";
  g_autofree char *bytes = NULL, *manifest = NULL, *json = NULL, *to_manifest = NULL;
  char *to = g_build_filename (dir, "unknown.tif", NULL), *at;
  gsize length, json_length;

  G_STATIC_ASSERT (sizeof known == sizeof unknown);
  g_assert_true (g_file_get_contents (from, &bytes, &length, NULL));
  at = memmem (bytes, length, known, sizeof known - 1);
  g_assert_nonnull (at);
  memcpy (at, unknown, sizeof unknown - 1);
  g_assert_true (g_file_set_contents (to, bytes, length, NULL));
  manifest = g_build_filename (dir, "mixed-4.manifest.json", NULL);
  to_manifest = g_build_filename (dir, "unknown.manifest.json", NULL);
  g_assert_true (g_file_get_contents (manifest, &json, &json_length, NULL));
  g_assert_true (g_file_set_contents (to_manifest, json, json_length, NULL));
  return to;
}

/* The profile is chosen with the scan; a scan no profile is for is
 * weighed all the same, but its estimate says it is not calibrated. */
static void
test_profile_chosen (void)
{
  g_autoptr(DlSession) s = dl_session_new ();
  g_autoptr(DlSynthOutput) out = dl_synth_generate ("mixed", 4, FALSE, NULL);
  g_autofree char *dir = g_build_filename (tmpdir, "profile", NULL);
  g_autofree char *known = g_build_filename (dir, "mixed-4.tif", NULL), *unknown = NULL;
  DlProfileMatch how = DL_PROFILE_MATCH_NONE;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (dl_synth_write (out, dir, NULL));
  unknown = copy_naming_unknown_profile (dir, known);

  dl_session_open (s, known);
  wait_checked (s);
  g_assert_nonnull (dl_session_get_profile (s, &how));
  g_assert_cmpint (how, ==, DL_PROFILE_MATCH_NAMED);
  g_assert_nonnull (strstr (dl_session_get_check_summary (s), "Estimated from the scan"));
  g_assert_null (strstr (dl_session_get_check_summary (s), "Not calibrated"));

  dl_session_open (s, unknown);
  wait_checked (s);
  g_assert_null (dl_session_get_profile (s, &how));
  g_assert_cmpint (how, ==, DL_PROFILE_MATCH_NONE);
  g_assert_nonnull (strstr (dl_session_get_check_summary (s), "Estimated from the scan"));
  g_assert_nonnull (strstr (dl_session_get_check_summary (s), "Not calibrated"));

  dl_session_open (s, scan_a);
  wait_loaded (s);
  g_assert_null (dl_session_get_profile (s, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  tmpdir = g_dir_make_tmp ("dl-session-XXXXXX", NULL);
  scan_a = g_build_filename (tmpdir, "a.tif", NULL);
  scan_b = g_build_filename (tmpdir, "b.tif", NULL);
  broken = g_build_filename (tmpdir, "broken.tif", NULL);
  g_assert_true (fixture_write_tiff (scan_a, W, H, 2));
  g_assert_true (fixture_write_tiff (scan_b, W + 10, H, 1));
  g_assert_true (g_file_set_contents (broken, "II*\0\xff\xff\xff\x7f", 8, NULL));

  g_test_add_func ("/session/open", test_open);
  g_test_add_func ("/session/failure-keeps-scan", test_failure_keeps_scan);
  g_test_add_func ("/session/cancel", test_cancel);
  g_test_add_func ("/session/step", test_step);
  g_test_add_func ("/session/describe", test_describe);
  g_test_add_func ("/session/classes-later", test_classes_later);
  g_test_add_func ("/session/profile-chosen", test_profile_chosen);

  return g_test_run ();
}
