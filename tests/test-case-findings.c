/* test-case-findings.c — findings in the case file: stored and read back
 * exactly, responses (the latest counts, all stay in the audit trail),
 * a change behind the trail's back caught, export and import carrying
 * them, and a read-only file refusing them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "dl-case-file.h"
#include "case-fixture.h"

static char *tmpdir;

static char *
fresh_path (const char *name)
{
  char *path = g_build_filename (tmpdir, name, NULL);

  g_unlink (path);
  return path;
}

static GPtrArray *
two_findings (void)
{
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_finding_free);
  g_autoptr(JsonObject) params = json_object_new ();
  DlFinding *f = dl_finding_new ("dense", 0, 0.1 + 0.2, "A region of 162 cm² measures as metal");

  json_object_set_double_member (params, "min_score", 0.0);
  dl_finding_set_rectangle (f, 100.5, 20, 180, 64.25);
  json_object_set_double_member (f->figures, "measured", 31.234567890123);
  json_object_set_string_member (f->figures, "unit", "kg");
  dl_finding_set_detector (f, "dense", "1", params, NULL);
  g_ptr_array_add (found, f);
  f = dl_finding_new ("anomaly", 1, 1.0, "Something a program saw");
  dl_finding_set_detector (f, "probe", "0.3", NULL, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  g_ptr_array_add (found, f);
  return found;
}

static void
assert_same (const DlFinding *a,
             const DlFinding *b)
{
  g_autoptr(JsonNode) na = dl_finding_to_json_node (a);
  g_autoptr(JsonNode) nb = dl_finding_to_json_node (b);

  g_assert_true (a->score == b->score);
  g_assert_true (json_node_equal (na, nb));
}

/* A file with a case, a scan and the two findings; their ids in @ids. */
static DlCaseFile *
file_with_findings (const char  *name,
                    DlIdentity  *who,
                    char       **case_id,
                    GStrv       *ids)
{
  g_autofree char *path = fresh_path (name);
  g_autofree char *scan = g_build_filename (tmpdir, "scan.tif", NULL);
  g_autoptr(GPtrArray) found = two_findings ();
  g_autoptr(GError) error = NULL;
  g_autofree char *scan_id = NULL;
  DlCaseFile *file;

  g_assert_true (g_file_set_contents (scan, "fake image bytes", -1, NULL));
  file = dl_case_file_create (path, who, &error);
  g_assert_no_error (error);
  *case_id = dl_case_file_new_case (file, "MSKU9070323", &error);
  scan_id = dl_case_file_add_scan (file, *case_id, scan, TRUE, &error);
  g_assert_no_error (error);
  *ids = dl_case_file_add_findings (file, scan_id, found, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (*ids), ==, 2);
  return file;
}

static void
assert_verifies (DlCaseFile *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlVerifyReport) report = dl_case_file_verify (file, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < report->problems->len; i++)
    g_test_message ("%s", ((DlVerifyProblem *) g_ptr_array_index (report->problems, i))->message);
  g_assert_cmpuint (report->problems->len, ==, 0);
}

static void
test_store (void)
{
  g_autoptr(DlIdentity) a = fixture_person (tmpdir, "alice", "Alice");
  g_autoptr(DlIdentity) b = fixture_person (tmpdir, "bob", "Bob");
  g_autofree char *case_id = NULL;
  g_auto(GStrv) ids = NULL;
  g_autoptr(DlCaseFile) file = file_with_findings ("store.dlcase", a, &case_id, &ids);
  g_autoptr(DlCaseFile) again = NULL;
  g_autoptr(GPtrArray) found = two_findings ();
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  DlCaseFinding *c;
  guint responses = 0;

  back = dl_case_file_get_findings (file, case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      c = g_ptr_array_index (back, i);
      g_assert_cmpstr (c->id, ==, ids[i]);
      assert_same (c->finding, g_ptr_array_index (found, i));
      g_assert_cmpint (c->response, ==, DL_FINDING_RESPONSE_NONE);
      g_assert_null (c->response_note);
      g_assert_cmpstr (c->author.login, ==, "alice");
    }
  g_assert_cmpstr (((DlCaseFinding *) g_ptr_array_index (back, 0))->run_id, ==,
                   ((DlCaseFinding *) g_ptr_array_index (back, 1))->run_id);
  g_clear_pointer (&back, g_ptr_array_unref);

  /* bob confirms, then dismisses: the latest counts */
  g_assert_true (dl_case_file_close (file, NULL));
  again = dl_case_file_open (dl_case_file_get_path (file), b, &error);
  g_assert_no_error (error);
  g_assert_true (dl_case_file_respond_to_finding (again, ids[0], DL_FINDING_RESPONSE_CONFIRMED, "seen it", &error));
  g_assert_true (dl_case_file_respond_to_finding (again, ids[0], DL_FINDING_RESPONSE_DISMISSED, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (dl_case_file_respond_to_finding (again, "F-nonesuch", DL_FINDING_RESPONSE_CONFIRMED, NULL, &error));
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (dl_case_file_respond_to_finding (again, ids[1], DL_FINDING_RESPONSE_NONE, NULL, &error));
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID);
  g_clear_error (&error);
  back = dl_case_file_get_findings (again, case_id, &error);
  c = g_ptr_array_index (back, 0);
  g_assert_cmpint (c->response, ==, DL_FINDING_RESPONSE_DISMISSED);
  g_assert_cmpstr (c->response_note, ==, "");
  g_assert_cmpstr (c->response_author.login, ==, "bob");
  g_assert_cmpint (((DlCaseFinding *) g_ptr_array_index (back, 1))->response, ==, DL_FINDING_RESPONSE_NONE);

  /* both responses stay in the trail */
  events = dl_case_file_get_events (again, case_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    responses += strcmp (((DlCaseEvent *) g_ptr_array_index (events, i))->kind, "finding-response") == 0;
  g_assert_cmpuint (responses, ==, 2);
  assert_verifies (again);
}

/* A finding without its detector, or a scan that is not there: nothing stored. */
static void
test_refused (void)
{
  g_autoptr(DlIdentity) a = fixture_person (tmpdir, "alice", "Alice");
  g_autofree char *case_id = NULL;
  g_auto(GStrv) ids = NULL;
  g_autoptr(DlCaseFile) file = file_with_findings ("refused.dlcase", a, &case_id, &ids);
  g_autoptr(GPtrArray) bad = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_finding_free);
  g_autoptr(GPtrArray) scans = dl_case_file_get_scans (file, case_id, NULL);
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) none = NULL;
  DlFinding *f = dl_finding_new ("dense", 0, 0.5, "ok");

  dl_finding_set_detector (f, "dense", "1", NULL, NULL);
  g_ptr_array_add (bad, f);
  g_ptr_array_add (bad, dl_finding_new ("dense", 0, 0.5, "no detector"));
  none = dl_case_file_add_findings (file, ((DlCaseScan *) g_ptr_array_index (scans, 0))->id, bad, &error);
  g_assert_null (none);
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (dl_case_file_add_findings (file, "S-nonesuch", bad, &error));
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* all or none: the good one of the refused run is not there either */
  back = dl_case_file_get_findings (file, case_id, &error);
  g_assert_cmpuint (back->len, ==, 2);
  assert_verifies (file);
}

/* A score or a response changed behind the audit trail's back is caught. */
static void
test_tampered (void)
{
  g_autoptr(DlIdentity) a = fixture_person (tmpdir, "alice", "Alice");
  g_autofree char *case_id = NULL, *path = NULL;
  g_auto(GStrv) ids = NULL;
  g_autoptr(DlCaseFile) file = file_with_findings ("tampered.dlcase", a, &case_id, &ids);
  g_autoptr(DlVerifyReport) report = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (dl_case_file_respond_to_finding (file, ids[0], DL_FINDING_RESPONSE_CONFIRMED, "x", &error));
  path = g_strdup (dl_case_file_get_path (file));
  g_assert_true (dl_case_file_close (file, NULL));

  sqlite3_cli (path, "UPDATE findings SET score = 0.01 WHERE kind = 'dense';");
  report = dl_case_file_verify_path (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->problems->len, >, 0);
  g_assert_cmpint (((DlVerifyProblem *) g_ptr_array_index (report->problems, 0))->kind, ==, DL_VERIFY_ROW);
  g_clear_pointer (&report, dl_verify_report_free);

  sqlite3_cli (path, "UPDATE findings SET score = 0.30000000000000004 WHERE kind = 'dense';");
  report = dl_case_file_verify_path (path, &error);
  g_assert_cmpuint (report->problems->len, ==, 0);
  g_clear_pointer (&report, dl_verify_report_free);

  sqlite3_cli (path, "UPDATE finding_responses SET response = 'dismissed';");
  report = dl_case_file_verify_path (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->problems->len, >, 0);
}

/* Exported, verified, imported into another file: the findings and the
 * responses arrive, exactly. */
static void
test_export_import (void)
{
  g_autoptr(DlIdentity) a = fixture_person (tmpdir, "alice", "Alice");
  g_autoptr(DlIdentity) c = fixture_person (tmpdir, "carol", "Carol");
  g_autofree char *case_id = NULL;
  g_auto(GStrv) ids = NULL;
  g_autoptr(DlCaseFile) file = file_with_findings ("source.dlcase", a, &case_id, &ids);
  g_autofree char *out = fresh_path ("export.dlcase");
  g_autofree char *other_path = fresh_path ("other.dlcase");
  g_autoptr(DlCaseFile) other = NULL;
  g_autoptr(DlVerifyReport) report = NULL;
  g_autoptr(GPtrArray) src = NULL;
  g_autoptr(GPtrArray) dst = NULL;
  g_autoptr(GError) error = NULL;
  guint added = 0;

  g_assert_true (dl_case_file_respond_to_finding (file, ids[1], DL_FINDING_RESPONSE_CONFIRMED, "opened: as seen", &error));
  g_assert_true (dl_case_file_export (file, (const char * const []) { case_id, NULL }, out, &error));
  g_assert_no_error (error);
  report = dl_case_file_verify_path (out, &error);
  g_assert_no_error (error);
  g_assert_true (report->exported && report->export_valid);
  g_assert_cmpuint (report->problems->len, ==, 0);

  other = dl_case_file_create (other_path, c, &error);
  g_assert_no_error (error);
  g_assert_true (dl_case_file_import (other, out, &added, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (added, >, 0);
  src = dl_case_file_get_findings (file, case_id, &error);
  dst = dl_case_file_get_findings (other, case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dst->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      DlCaseFinding *x = g_ptr_array_index (src, i), *y = g_ptr_array_index (dst, i);

      g_assert_cmpstr (x->id, ==, y->id);
      assert_same (x->finding, y->finding);
      g_assert_cmpint (x->response, ==, y->response);
      g_assert_cmpstr (x->response_note, ==, y->response_note);
    }
  g_assert_cmpint (((DlCaseFinding *) g_ptr_array_index (dst, 1))->response, ==, DL_FINDING_RESPONSE_CONFIRMED);
  assert_verifies (other);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("test-case-findings-XXXXXX", NULL);
  g_test_add_func ("/case-findings/store", test_store);
  g_test_add_func ("/case-findings/refused", test_refused);
  g_test_add_func ("/case-findings/tampered", test_tampered);
  g_test_add_func ("/case-findings/export-import", test_export_import);
  status = g_test_run ();
  if (status == 0)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
      (void) system (cmd);
    }
  g_free (tmpdir);
  return status;
}
