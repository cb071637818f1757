/* test-verdict-seen.c — a verdict bound to what was seen: its audit event
 * holds the SHA-256 of the scans shown, the display in effect and the time
 * on screen, signed like the rest (a change to it fails verify); older
 * verdicts without it still verify; the hints found while looking go in
 * with the verdict, in its transaction, and viewing a case alone writes
 * nothing; the PDF prints the scan as it was when decided.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "dl-case-file.h"
#include "dl-case-seen.h"
#include "dl-enhance.h"
#include "dl-report.h"
#include "dl-session.h"
#include "dl-synth.h"
#include "case-fixture.h"
#include "tiff-fixture.h"

static char *tmpdir;

typedef struct
{
  char       *path;
  char       *case_id;
  char       *scan_sha256;
  DlCaseFile *file;
} Fixture;

static void
fixture_clear (Fixture *f)
{
  g_free (f->path);
  g_free (f->case_id);
  g_free (f->scan_sha256);
  g_clear_object (&f->file);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Fixture, fixture_clear)

static DlManifest *
make_manifest (void)
{
  DlManifest *m = dl_manifest_new ();

  m->message_id = g_strdup ("DL-TEST");
  m->transport_mode = g_strdup ("sea");
  dl_manifest_add_container (m, "CSQU3054383", "22G1", TRUE);
  dl_manifest_add_goods (m, "CSQU3054383", "940360", "Wooden furniture", 12, "PK", 480.0);
  return m;
}

/* A case with an embedded scan and a manifest, by alice. */
static void
make_fixture (Fixture    *f,
              const char *name)
{
  g_autoptr(DlIdentity) alice = fixture_person (tmpdir, "alice", "Alice");
  g_autoptr(DlManifest) manifest = make_manifest ();
  g_autoptr(GError) error = NULL;
  g_autofree char *scan = g_strdup_printf ("%s/%s.tif", tmpdir, name);
  g_autofree char *sid = NULL, *bytes = NULL;
  gsize length;

  f->path = g_strdup_printf ("%s/%s.dlcase", tmpdir, name);
  g_unlink (f->path);
  g_assert_true (fixture_write_tiff (scan, 200, 80, 2));
  g_assert_true (g_file_get_contents (scan, &bytes, &length, NULL));
  f->scan_sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) bytes, length);
  f->file = dl_case_file_create (f->path, alice, &error);
  g_assert_no_error (error);
  f->case_id = dl_case_file_new_case (f->file, "CSQU3054383", &error);
  sid = dl_case_file_add_scan (f->file, f->case_id, scan, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (dl_case_file_set_manifest (f->file, f->case_id, manifest, &error));
}

static DlViewState *
decided_view (void)
{
  DlViewState *view = dl_view_state_new ();

  g_object_set (view, "density", TRUE, NULL);
  g_object_set (view, "center", 1.25, "width", 0.75, "invert", TRUE, "material", TRUE,
                "material-opacity", 0.5, "enhance", DL_ENHANCE_EDGES, NULL);
  return view;
}

static char *
seen_json (DlViewState *view,
           const char  *sha256,
           gint64       shown_ms)
{
  const char *scans[] = { sha256, NULL };
  DlVerdictSeen seen = { scans, view, shown_ms };

  return dl_verdict_seen_to_json (&seen);
}

static gint64
count (const char *path,
       const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlCaseFile) file = dl_case_file_open_untrusted (path, &error);
  g_autoptr(GPtrArray) events = NULL;
  gint64 n = 0;

  g_assert_no_error (error);
  events = dl_case_file_get_events (file, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    n += g_strcmp0 (((DlCaseEvent *) g_ptr_array_index (events, i))->kind, sql) == 0;
  return n;
}

static guint
n_problems (const char *path,
            DlVerifyKind kind)
{
  g_autoptr(GError) error = NULL;
  DlVerifyReport *report = dl_case_file_verify_path (path, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < report->problems->len; i++)
    {
      DlVerifyProblem *p = g_ptr_array_index (report->problems, i);
      g_test_message ("%s", p->message);
      n += kind == (DlVerifyKind) -1 || p->kind == kind;
    }
  dl_verify_report_free (report);
  return n;
}

/* The record goes into the verdict's event, reads back, restores the
 * display; the hints go in with it; all of it verifies, and a changed
 * record does not. */
static void
test_recorded_and_signed (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(DlViewState) view = decided_view ();
  g_autoptr(DlViewState) back = dl_view_state_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *seen = NULL;
  g_autofree char *vid = NULL, *stored = NULL, *hints = NULL;
  const char *reasons[] = { "density-anomaly", NULL };
  double center, width, opacity;
  gboolean density, invert, material;
  int enhance;

  make_fixture (&f, "signed");
  seen = seen_json (view, f.scan_sha256, 4321);
  vid = dl_case_file_add_seen_verdict (f.file, f.case_id, DL_DECISION_SEIZE, reasons, "false wall", seen,
                                       "{\"hints\":[{\"message\":\"too dense\"}]}", &error);
  g_assert_no_error (error);
  g_assert_nonnull (vid);

  stored = dl_case_file_get_verdict_seen (f.file, vid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, seen);
  g_assert_nonnull (strstr (stored, f.scan_sha256));
  g_assert_cmpint (dl_verdict_seen_get_shown_ms (stored), ==, 4321);
  g_assert_true (dl_verdict_seen_apply (stored, back, &error));
  g_object_get (back, "center", &center, "width", &width, "density", &density, "invert", &invert,
                "material", &material, "material-opacity", &opacity, "enhance", &enhance, NULL);
  g_assert_cmpfloat_with_epsilon (center, 1.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (width, 0.75, 1e-9);
  g_assert_cmpfloat_with_epsilon (opacity, 0.5, 1e-9);
  g_assert_true (density && invert && material);
  g_assert_cmpint (enhance, ==, DL_ENHANCE_EDGES);

  hints = dl_case_file_get_hints (f.file, f.case_id, &error);
  g_assert_cmpstr (hints, ==, "{\"hints\":[{\"message\":\"too dense\"}]}");
  g_assert_true (dl_case_file_close (f.file, &error));
  g_assert_cmpint (count (f.path, "hints"), ==, 1);
  g_assert_cmpuint (n_problems (f.path, (DlVerifyKind) -1), ==, 0);

  /* the time on screen changed outside Doorlicht: the event no longer verifies */
  sqlite3_cli (f.path, "UPDATE events SET payload = replace (payload, '\"shown_ms\":4321', '\"shown_ms\":99999') "
                       "WHERE kind = 'verdict';");
  g_assert_cmpuint (n_problems (f.path, DL_VERIFY_CHAIN), >, 0);
}

/* Verdicts recorded without the record (older files, the CLI) have none
 * and still verify. */
static void
test_without_record (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *vid = NULL, *seen = NULL;

  make_fixture (&f, "plain");
  vid = dl_case_file_add_verdict (f.file, f.case_id, DL_DECISION_CLEAR, NULL, NULL, &error);
  g_assert_no_error (error);
  seen = dl_case_file_get_verdict_seen (f.file, vid, &error);
  g_assert_no_error (error);
  g_assert_null (seen);
  g_assert_true (dl_case_file_close (f.file, &error));
  g_assert_cmpuint (n_problems (f.path, (DlVerifyKind) -1), ==, 0);
}

/* Hints that are stored already are not stored again; bad input records
 * nothing at all (verdict and hints are one transaction). */
static void
test_hints_with_verdict (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) verdicts = NULL;
  const char *hints = "{\"hints\":[]}";

  make_fixture (&f, "hints");
  g_free (dl_case_file_add_seen_verdict (f.file, f.case_id, DL_DECISION_INSPECT, NULL, NULL, NULL, hints, &error));
  g_assert_no_error (error);
  g_free (dl_case_file_add_seen_verdict (f.file, f.case_id, DL_DECISION_CLEAR, NULL, NULL, NULL, hints, &error));
  g_assert_no_error (error);
  g_assert_null (dl_case_file_add_seen_verdict (f.file, f.case_id, DL_DECISION_CLEAR, NULL, NULL, NULL,
                                                "{not json", &error));
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (dl_case_file_add_seen_verdict (f.file, f.case_id, DL_DECISION_CLEAR, NULL, NULL, "[1]",
                                                NULL, &error));
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID);
  g_clear_error (&error);
  verdicts = dl_case_file_get_verdicts (f.file, f.case_id, &error);
  g_assert_cmpuint (verdicts->len, ==, 2);
  g_assert_true (dl_case_file_close (f.file, &error));
  g_assert_cmpint (count (f.path, "hints"), ==, 1);
  g_assert_cmpint (count (f.path, "verdict"), ==, 2);
}

static gboolean
check_done (gpointer data)
{
  return dl_session_get_check_summary (data) != NULL;
}

/* Opening a case, showing its scan and checking it against the manifest
 * writes nothing to the case file: the check waits for the verdict. */
static void
test_viewing_writes_nothing (void)
{
  g_autoptr(DlSynthOutput) out = dl_synth_generate ("empty-20ft", 7, FALSE, NULL);
  g_autoptr(DlIdentity) alice = fixture_person (tmpdir, "alice", "Alice");
  g_autofree char *dir = g_build_filename (tmpdir, "synth", NULL);
  g_autofree char *base = NULL, *scan = NULL, *stored = NULL, *case_id = NULL, *sid = NULL;
  g_autofree char *path = g_build_filename (tmpdir, "viewing.dlcase", NULL);
  g_autoptr(DlCaseFile) file = NULL;
  g_autoptr(DlSession) session = dl_session_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = NULL, after = NULL;
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  g_assert_nonnull (out);
  g_assert_true (dl_synth_write (out, dir, &error));
  base = dl_synth_basename (out);
  scan = g_strdup_printf ("%s/%s.tif", dir, base);
  file = dl_case_file_create (path, alice, &error);
  g_assert_no_error (error);
  case_id = dl_case_file_new_case (file, "scene", &error);
  sid = dl_case_file_add_scan (file, case_id, scan, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (dl_case_file_set_manifest (file, case_id, out->manifest, &error));

  before = dl_case_file_get_events (file, NULL, &error);
  dl_session_set_case_file (session, file);
  g_assert_true (dl_session_open_case (session, case_id, 0, &error));
  g_assert_no_error (error);
  while (!check_done (session) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_test_message ("check: %s", dl_session_get_check_summary (session));
  g_assert_nonnull (dl_session_get_check_json (session));

  after = dl_case_file_get_events (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, before->len);
  stored = dl_case_file_get_hints (file, case_id, &error);
  g_assert_no_error (error);
  g_assert_null (stored);
}

static gboolean
have_pdftotext (void)
{
  g_autofree char *path = g_find_program_in_path ("pdftotext");

  if (path == NULL)
    g_test_skip ("pdftotext (poppler-utils) is missing");
  return path != NULL;
}

/* The report prints the scan in the display recorded with the verdict,
 * not in the window set when it is exported. */
static void
test_report_as_decided (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(DlViewState) view = decided_view ();
  g_autoptr(DlViewState) at_export = dl_view_state_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *seen = NULL;
  g_autofree char *pdf = g_build_filename (tmpdir, "decided.pdf", NULL);
  g_autofree char *text = NULL;
  const char *argv[] = { "pdftotext", "-raw", pdf, "-", NULL };
  int status = 0;

  if (!have_pdftotext ())
    return;
  make_fixture (&f, "report");
  seen = seen_json (view, f.scan_sha256, 12400);
  g_free (dl_case_file_add_seen_verdict (f.file, f.case_id, DL_DECISION_INSPECT, NULL, NULL, seen, NULL, &error));
  g_assert_no_error (error);
  g_object_set (at_export, "center", 1000.0, "width", 500.0, NULL);
  g_assert_true (dl_case_file_write_report (f.file, f.case_id, at_export, pdf, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &text, NULL,
                               &status, &error));
  g_assert_no_error (error);
  g_strdelimit (text, "\n", ' ');
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "as on screen when the verdict was recorded: density window, centre 1.250, width 0.750"));
  g_assert_null (strstr (text, "window centre 1000, width 500"));
  g_assert_nonnull (strstr (text, "after 12.4 s on screen"));
}

/* A record signed by whoever recorded it can still name a scan the case
 * does not have (a verdict bound to another image): verify says so. */
static void
test_foreign_scan (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(DlViewState) view = decided_view ();
  g_autoptr(GError) error = NULL;
  g_autofree char *seen = seen_json (view, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 900);

  make_fixture (&f, "foreign");
  g_free (dl_case_file_add_seen_verdict (f.file, f.case_id, DL_DECISION_CLEAR, NULL, NULL, seen, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (dl_case_file_close (f.file, &error));
  g_assert_cmpuint (n_problems (f.path, DL_VERIFY_CHAIN), ==, 1);
}

int
main (int argc, char **argv)
{
  g_autofree char *cmd = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("dl-seen-XXXXXX", NULL);

  g_test_add_func ("/verdict-seen/recorded-and-signed", test_recorded_and_signed);
  g_test_add_func ("/verdict-seen/without-record", test_without_record);
  g_test_add_func ("/verdict-seen/hints-with-verdict", test_hints_with_verdict);
  g_test_add_func ("/verdict-seen/viewing-writes-nothing", test_viewing_writes_nothing);
  g_test_add_func ("/verdict-seen/report-as-decided", test_report_as_decided);
  g_test_add_func ("/verdict-seen/foreign-scan", test_foreign_scan);

  ret = g_test_run ();
  /* DL_TEST_KEEP=1: the files stay, to look at (the report's pages) */
  if (g_getenv ("DL_TEST_KEEP") == NULL)
    {
      cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
      (void) system (cmd);
    }
  else
    g_printerr ("kept %s\n", tmpdir);
  return ret;
}
