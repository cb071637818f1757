/* test-session-findings.c — the findings of the scan shown: the built-in
 * detectors run off the calling thread on a generated scene with its
 * manifest; with a case, stored in it and shown from it the next time, a
 * response recorded and audited; without one, the response refused; a
 * changed scan cancels the run; a detector's failure said in one line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "case-fixture.h"
#include "dl-detector.h"
#include "dl-session-findings.h"
#include "dl-synth.h"

static char *tmpdir;

static gboolean
not_running (DlSessionFindings *f)
{
  return !dl_session_findings_get_running (f);
}

/* Runs the main loop until @f's run ended; FALSE after 120 s. */
static gboolean
wait_done (DlSessionFindings *f)
{
  gint64 end = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  while (!not_running (f))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, TRUE);
    }
  return TRUE;
}

static void
on_changed (DlSessionFindings *f,
            guint             *count)
{
  (*count)++;
}

static DlSynthOutput *
scene (const char *name)
{
  g_autoptr(GError) error = NULL;
  DlSynthOutput *out = dl_synth_generate (name, 1, FALSE, &error);

  g_assert_no_error (error);
  return out;
}

/* Without a case: findings shown, a response refused with a clear error. */
static void
test_without_case (void)
{
  g_autoptr(DlSynthOutput) out = scene ("undeclared");
  g_autoptr(DlSessionFindings) f = dl_session_findings_new ();
  g_autoptr(GError) error = NULL;
  guint changed = 0;

  g_signal_connect (f, "changed", G_CALLBACK (on_changed), &changed);
  dl_session_findings_set_scan (f, out->scan, out->manifest, NULL, NULL, NULL, NULL);
  /* the run is in a worker thread: set_scan returned before it ended */
  g_assert_true (dl_session_findings_get_running (f));
  g_assert_true (dl_session_findings_get_active (f));
  g_assert_cmpuint (dl_session_findings_get_n (f), ==, 0);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_true (wait_done (f));
  g_assert_cmpuint (changed, ==, 2);
  g_assert_cmpuint (dl_session_findings_get_n (f), >, 0);
  for (guint i = 0; i < dl_session_findings_get_n (f); i++)
    {
      const DlSessionFinding *s = dl_session_findings_get (f, i);

      g_test_message ("%s %.2f %s", s->finding->kind, s->finding->score, s->finding->explanation);
      g_assert_null (s->id);
      g_assert_cmpint (s->response, ==, DL_FINDING_RESPONSE_NONE);
      g_assert_nonnull (s->finding->detector);
    }
  g_assert_null (dl_session_findings_get (f, dl_session_findings_get_n (f)));

  g_assert_false (dl_session_findings_respond (f, 0, DL_FINDING_RESPONSE_CONFIRMED, &error));
  g_assert_error (error, DL_SESSION_FINDINGS_ERROR, DL_SESSION_FINDINGS_ERROR_NO_CASE);
  g_assert_nonnull (strstr (error->message, "Open the scan as a case"));
  g_assert_cmpint (dl_session_findings_get (f, 0)->response, ==, DL_FINDING_RESPONSE_NONE);
  g_clear_error (&error);
  g_assert_false (dl_session_findings_respond (f, 9999, DL_FINDING_RESPONSE_CONFIRMED, &error));
  g_assert_error (error, DL_SESSION_FINDINGS_ERROR, DL_SESSION_FINDINGS_ERROR_INVALID);

  /* no manifest: the detectors that need none look, the rest are said
   * once, not as errors */
  dl_session_findings_set_scan (f, out->scan, NULL, NULL, NULL, NULL, NULL);
  g_assert_true (dl_session_findings_get_running (f));
  g_assert_true (wait_done (f));
  g_assert_nonnull (strstr (dl_session_findings_get_note (f), "no manifest"));
  g_assert_null (dl_session_findings_get_errors (f)[0]);
  for (guint i = 0; i < dl_session_findings_get_n (f); i++)
    {
      const char *detector = dl_session_findings_get (f, i)->finding->detector;

      g_assert_true (g_str_equal (detector, "units") || g_str_equal (detector, "rings")
                     || g_str_equal (detector, "pockets") || g_str_equal (detector, "scanner-tdr"));
    }
  /* no scan: nothing at all */
  dl_session_findings_set_scan (f, NULL, NULL, NULL, NULL, NULL, NULL);
  g_assert_false (dl_session_findings_get_active (f));
  g_assert_null (dl_session_findings_get_note (f));
}

/* A case with the scene's scan and manifest. */
static DlCaseFile *
case_with_scene (DlSynthOutput *out,
                 DlIdentity    *who,
                 char         **case_id,
                 char         **scan_id)
{
  g_autofree char *path = g_build_filename (tmpdir, "findings.dlcase", NULL);
  g_autofree char *base = dl_synth_basename (out);
  g_autofree char *tif = NULL;
  g_autoptr(GError) error = NULL;
  DlCaseFile *file;

  g_unlink (path);
  g_assert_true (dl_synth_write (out, tmpdir, &error));
  g_assert_no_error (error);
  tif = g_strdup_printf ("%s/%s.tif", tmpdir, base);
  file = dl_case_file_create (path, who, &error);
  g_assert_no_error (error);
  *case_id = dl_case_file_new_case (file, "MSKU9070323", &error);
  g_assert_no_error (error);
  *scan_id = dl_case_file_add_scan (file, *case_id, tif, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (dl_case_file_set_manifest (file, *case_id, out->manifest, &error));
  g_assert_no_error (error);
  return file;
}

static guint
count_events (DlCaseFile *file,
              const char *case_id,
              const char *kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = dl_case_file_get_events (file, case_id, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    if (g_str_equal (((DlCaseEvent *) g_ptr_array_index (events, i))->kind, kind))
      n++;
  return n;
}

/* With a case: a run's findings stored (audited), shown from the case the
 * next time without a run; a response recorded by the file's identity. */
static void
test_with_case (void)
{
  g_autoptr(DlSynthOutput) out = scene ("empty-concealment");
  g_autoptr(DlIdentity) alice = fixture_person (tmpdir, "alice", "Alice");
  g_autofree char *case_id = NULL, *scan_id = NULL;
  g_autoptr(DlCaseFile) file = case_with_scene (out, alice, &case_id, &scan_id);
  g_autoptr(DlSessionFindings) f = dl_session_findings_new ();
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  const DlCaseFinding *c;
  guint n;

  dl_session_findings_set_scan (f, out->scan, out->manifest, NULL, file, case_id, scan_id);
  g_assert_true (dl_session_findings_get_running (f));
  g_assert_true (wait_done (f));
  n = dl_session_findings_get_n (f);
  g_assert_cmpuint (n, >, 0);
  g_assert_null (dl_session_findings_get_errors (f)[0]);

  stored = dl_case_file_get_findings (file, case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, n);
  g_assert_cmpuint (count_events (file, case_id, "finding"), ==, n);
  for (guint i = 0; i < n; i++)
    {
      c = g_ptr_array_index (stored, i);
      g_assert_cmpstr (c->id, ==, dl_session_findings_get (f, i)->id);
      g_assert_cmpstr (c->scan_id, ==, scan_id);
      g_assert_cmpstr (c->finding->explanation, ==, dl_session_findings_get (f, i)->finding->explanation);
    }

  /* the analyst dismisses the first */
  g_assert_true (dl_session_findings_respond (f, 0, DL_FINDING_RESPONSE_DISMISSED, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dl_session_findings_get (f, 0)->response, ==, DL_FINDING_RESPONSE_DISMISSED);
  g_clear_pointer (&stored, g_ptr_array_unref);
  stored = dl_case_file_get_findings (file, case_id, &error);
  c = g_ptr_array_index (stored, 0);
  g_assert_cmpint (c->response, ==, DL_FINDING_RESPONSE_DISMISSED);
  g_assert_cmpstr (c->response_author.login, ==, "alice");
  g_assert_cmpuint (count_events (file, case_id, "finding-response"), ==, 1);

  /* the case again: its findings from the file, at once, no second run */
  dl_session_findings_set_scan (f, NULL, NULL, NULL, NULL, NULL, NULL);
  dl_session_findings_set_scan (f, out->scan, out->manifest, NULL, file, case_id, scan_id);
  g_assert_false (dl_session_findings_get_running (f));
  g_assert_cmpuint (dl_session_findings_get_n (f), ==, n);
  g_assert_cmpint (dl_session_findings_get (f, 0)->response, ==, DL_FINDING_RESPONSE_DISMISSED);
  g_assert_true (dl_session_findings_respond (f, n - 1, DL_FINDING_RESPONSE_CONFIRMED, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_events (file, case_id, "finding"), ==, n);
  g_assert_cmpuint (count_events (file, case_id, "finding-response"), ==, 2);
}

/* A detector that says it started (1), waits until it is cancelled (at
 * most 60 s) and says so (2). */
static gboolean
wait_for_cancel (DlDetector    *detector,
                 DlDetectInput *input,
                 JsonObject    *parameters,
                 GPtrArray     *findings,
                 GPtrArray     *notes,
                 GCancellable  *cancellable,
                 GError       **error)
{
  gint *seen = dl_detector_get_data (detector);

  g_atomic_int_set (seen, 1);
  for (guint i = 0; i < 60000 && !g_cancellable_is_cancelled (cancellable); i++)
    g_usleep (1000);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      g_atomic_int_set (seen, 2);
      return FALSE;
    }
  g_ptr_array_add (findings, dl_finding_new ("anomaly", 0, 0.5, "Found after all"));
  return TRUE;
}

static gboolean
fail (DlDetector    *detector,
      DlDetectInput *input,
      JsonObject    *parameters,
      GPtrArray     *findings,
      GPtrArray     *notes,
      GCancellable  *cancellable,
      GError       **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the probe broke");
  return FALSE;
}

static gboolean
seen_cancel (gint *seen)
{
  return g_atomic_int_get (seen) == 2;
}

static void
test_cancel (void)
{
  static const DlDetectorVTable waiting = { wait_for_cancel };
  g_autoptr(DlSynthOutput) out = scene ("undeclared");
  g_autoptr(DlSessionFindings) f = dl_session_findings_new ();
  g_autoptr(GPtrArray) detectors = g_ptr_array_new_with_free_func (g_object_unref);
  gint *seen = g_new0 (gint, 1);
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint changed = 0;

  g_ptr_array_add (detectors, dl_detector_new ("waiting", "1", "waits", NULL, &waiting, seen, NULL));
  dl_session_findings_set_detectors (f, detectors);
  g_signal_connect (f, "changed", G_CALLBACK (on_changed), &changed);
  dl_session_findings_set_scan (f, out->scan, out->manifest, NULL, NULL, NULL, NULL);
  g_assert_true (dl_session_findings_get_running (f));
  /* the detector is at work */
  while (g_atomic_int_get (seen) == 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (g_atomic_int_get (seen), ==, 1);

  /* the scan changes: the run is cancelled, its end never shown */
  dl_session_findings_set_scan (f, NULL, NULL, NULL, NULL, NULL, NULL);
  g_assert_false (dl_session_findings_get_running (f));
  while (!seen_cancel (seen) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (seen_cancel (seen));
  /* the task's callback has run (it holds a reference until it does) */
  while (G_OBJECT (f)->ref_count > 1 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (G_OBJECT (f)->ref_count, ==, 1);
  g_assert_cmpuint (changed, ==, 2);
  g_assert_cmpuint (dl_session_findings_get_n (f), ==, 0);
  g_assert_false (dl_session_findings_get_running (f));
  g_free (seen);
}

/* One detector failing: said in one line with its name; the others' findings shown. */
static void
test_detector_error (void)
{
  static const DlDetectorVTable failing = { fail };
  g_autoptr(DlSynthOutput) out = scene ("undeclared");
  g_autoptr(DlSessionFindings) f = dl_session_findings_new ();
  g_autoptr(GPtrArray) detectors = dl_detectors_builtin ();
  const char * const *errors;

  g_ptr_array_add (detectors, dl_detector_new ("probe", "1", "fails", NULL, &failing, NULL, NULL));
  dl_session_findings_set_detectors (f, detectors);
  dl_session_findings_set_scan (f, out->scan, out->manifest, NULL, NULL, NULL, NULL);
  g_assert_true (wait_done (f));
  errors = dl_session_findings_get_errors (f);
  g_assert_nonnull (errors[0]);
  g_assert_null (errors[1]);
  g_assert_nonnull (strstr (errors[0], "probe"));
  g_assert_nonnull (strstr (errors[0], "the probe broke"));
  g_assert_null (strchr (errors[0], '\n'));
  g_assert_cmpuint (dl_session_findings_get_n (f), >, 0);
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("dl-session-findings-XXXXXX", NULL);

  g_test_add_func ("/session-findings/without-case", test_without_case);
  g_test_add_func ("/session-findings/with-case", test_with_case);
  g_test_add_func ("/session-findings/cancel", test_cancel);
  g_test_add_func ("/session-findings/detector-error", test_detector_error);

  ret = g_test_run ();
  g_free (tmpdir);
  return ret;
}
