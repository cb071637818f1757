/* test-audit.c — the audit trail finds what was done outside Doorlicht:
 * changed, deleted, reordered events and edited rows (the file edited with
 * the sqlite3 program), changed scans; signed exports verify and a single
 * flipped byte fails them; import merges without duplicating.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE 1
#include <glib/gstdio.h>
#include <string.h>

#include "dl-case-file.h"
#include "case-fixture.h"

static char *tmpdir;

static DlIdentity *
person (const char *login,
        const char *name)
{
  return fixture_person (tmpdir, login, name);
}

typedef struct
{
  char *path;
  char *scan;
  char *case_id;
  char *verdict_id;
} Fixture;

static void
fixture_clear (Fixture *f)
{
  g_free (f->path);
  g_free (f->scan);
  g_free (f->case_id);
  g_free (f->verdict_id);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Fixture, fixture_clear)

/* A case by alice (case, scan, manifest-free, verdict = events 1–3),
 * reviewed by bob (event 4). */
static void
make_fixture (Fixture    *f,
              const char *name)
{
  g_autoptr(DlIdentity) a = person ("alice", "Alice");
  g_autoptr(DlIdentity) b = person ("bob", "Bob");
  g_autoptr(DlCaseFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *scan_name = g_strconcat (name, ".tif", NULL);
  g_autofree char *sid = NULL, *rid = NULL;
  const char *reasons[] = { "density-anomaly", NULL };

  f->path = g_build_filename (tmpdir, name, NULL);
  f->scan = g_build_filename (tmpdir, scan_name, NULL);
  g_unlink (f->path);
  g_assert_true (g_file_set_contents (f->scan, "scan bytes of a container", -1, NULL));
  file = dl_case_file_create (f->path, a, &error);
  g_assert_no_error (error);
  f->case_id = dl_case_file_new_case (file, "CSQU3054383", &error);
  sid = dl_case_file_add_scan (file, f->case_id, f->scan, FALSE, &error);
  f->verdict_id = dl_case_file_add_verdict (file, f->case_id, DL_DECISION_SEIZE, reasons, "dense block", &error);
  g_assert_no_error (error);
  g_assert_true (dl_case_file_close (file, NULL));
  g_clear_object (&file);
  file = dl_case_file_open (f->path, b, &error);
  rid = dl_case_file_add_review (file, f->case_id, DL_REVIEW_APPROVE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dl_case_file_close (file, NULL));
}

static DlVerifyReport *
verify (const char *path)
{
  g_autoptr(GError) error = NULL;
  DlVerifyReport *report = dl_case_file_verify_path (path, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < report->problems->len; i++)
    g_test_message ("%s", ((DlVerifyProblem *) g_ptr_array_index (report->problems, i))->message);
  return report;
}

/* The problem of @kind at @seq (0: any) whose message holds @fragment. */
static gboolean
has_problem (DlVerifyReport *report,
             DlVerifyKind    kind,
             gint64          seq,
             const char     *fragment)
{
  for (guint i = 0; i < report->problems->len; i++)
    {
      DlVerifyProblem *p = g_ptr_array_index (report->problems, i);

      if (p->kind == kind && (seq == 0 || p->seq == seq) && (!fragment || strstr (p->message, fragment)))
        return TRUE;
    }
  return FALSE;
}

static void
test_intact (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(DlVerifyReport) report = NULL;

  make_fixture (&f, "intact.dlcase");
  report = verify (f.path);
  g_assert_cmpuint (report->problems->len, ==, 0);
  g_assert_cmpuint (report->n_events, ==, 4);
  g_assert_cmpuint (report->n_rows, ==, 4);
  g_assert_cmpuint (report->n_scans_checked, ==, 1);
  g_assert_nonnull (report->chain_head);
  g_assert_false (report->exported);
}

static void
test_changed_event (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(DlVerifyReport) report = NULL;

  make_fixture (&f, "changed.dlcase");
  sqlite3_cli (f.path, "UPDATE events SET payload = replace (payload, '\"seize\"', '\"clear\"') WHERE seq = 3;");
  report = verify (f.path);
  g_assert_true (has_problem (report, DL_VERIFY_CHAIN, 3, "changed"));
  g_assert_false (has_problem (report, DL_VERIFY_CHAIN, 2, NULL));
  g_assert_false (has_problem (report, DL_VERIFY_CHAIN, 4, NULL));
}

/* The scan id of the fixture's one scan. */
static char *
fixture_scan_id (DlCaseFile *file,
                 const char *case_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scans = dl_case_file_get_scans (file, case_id, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (scans->len, ==, 1);
  return g_strdup (((DlCaseScan *) g_ptr_array_index (scans, 0))->id);
}

/* A supervisor's choice of profile for a scan: refused for the analyst
 * who recorded the verdict, recorded (event 5) for another, the latest
 * one counting, and a changed choice caught by the check. */
static void
test_profile_choice (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(DlIdentity) a = person ("alice", "Alice");
  g_autoptr(DlIdentity) b = person ("bob", "Bob");
  g_autoptr(DlCaseFile) file = NULL;
  g_autoptr(DlProfileChoice) choice = NULL;
  g_autoptr(DlVerifyReport) intact = NULL, report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sid = NULL;

  make_fixture (&f, "profile.dlcase");
  file = dl_case_file_open (f.path, a, &error);
  g_assert_no_error (error);
  sid = fixture_scan_id (file, f.case_id);
  g_assert_null (dl_case_file_get_profile_choice (file, sid, &error));
  g_assert_no_error (error);
  g_assert_false (dl_case_file_choose_profile (file, sid, "lane-3", "Lane 3", &error));
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FOUR_EYES);
  g_clear_error (&error);
  g_assert_true (dl_case_file_close (file, NULL));
  g_clear_object (&file);

  file = dl_case_file_open (f.path, b, &error);
  g_assert_false (dl_case_file_choose_profile (file, sid, "", "Lane 3", &error));
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (dl_case_file_choose_profile (file, "S-nothing", "lane-3", "Lane 3", &error));
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (dl_case_file_choose_profile (file, sid, "lane-2", "Lane 2", &error));
  g_assert_true (dl_case_file_choose_profile (file, sid, "lane-3", "Lane \"3\"", &error));
  g_assert_no_error (error);
  choice = dl_case_file_get_profile_choice (file, sid, &error);
  g_assert_no_error (error);
  g_assert_nonnull (choice);
  g_assert_cmpstr (choice->profile_id, ==, "lane-3");
  g_assert_cmpstr (choice->profile_name, ==, "Lane \"3\"");
  g_assert_cmpstr (choice->author.login, ==, "bob");
  g_assert_cmpstr (choice->author.fingerprint, ==, dl_identity_get_fingerprint (b));
  g_assert_true (dl_case_file_close (file, NULL));

  intact = verify (f.path);
  g_assert_cmpuint (intact->problems->len, ==, 0);
  sqlite3_cli (f.path, "UPDATE events SET payload = replace (payload, 'lane-3', 'lane-9') WHERE seq = 6;");
  report = verify (f.path);
  g_assert_true (has_problem (report, DL_VERIFY_CHAIN, 6, "changed"));
}

static void
test_deleted_event (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(DlVerifyReport) report = NULL;

  make_fixture (&f, "deleted.dlcase");
  sqlite3_cli (f.path, "DELETE FROM events WHERE seq = 2;");
  report = verify (f.path);
  g_assert_true (has_problem (report, DL_VERIFY_CHAIN, 2, "missing"));
  g_assert_true (has_problem (report, DL_VERIFY_CHAIN, 3, "does not follow"));
  /* the scan row it recorded has now no event */
  g_assert_true (has_problem (report, DL_VERIFY_ROW, 0, "no event records it"));
}

static void
test_reordered_events (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(DlVerifyReport) report = NULL;

  make_fixture (&f, "reordered.dlcase");
  sqlite3_cli (f.path, "UPDATE events SET seq = 100 WHERE seq = 2; UPDATE events SET seq = 2 WHERE seq = 3; "
                       "UPDATE events SET seq = 3 WHERE seq = 100;");
  report = verify (f.path);
  g_assert_true (has_problem (report, DL_VERIFY_CHAIN, 2, NULL));
  g_assert_true (has_problem (report, DL_VERIFY_CHAIN, 3, NULL));
  g_assert_false (has_problem (report, DL_VERIFY_CHAIN, 1, NULL));
}

static void
test_rewritten_chain (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(DlVerifyReport) report = NULL;

  /* the author's name changed in the event and the row alike: the event's
   * hash and signature no longer match */
  make_fixture (&f, "rewritten.dlcase");
  sqlite3_cli (f.path, "UPDATE events SET author_name = 'Mallory' WHERE seq = 3; "
                       "UPDATE verdicts SET author_name = 'Mallory';");
  report = verify (f.path);
  g_assert_true (has_problem (report, DL_VERIFY_CHAIN, 3, "changed"));
}

static void
test_edited_row (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(DlVerifyReport) report = NULL;
  g_autofree char *sql = NULL;

  make_fixture (&f, "edited.dlcase");
  sqlite3_cli (f.path, "UPDATE verdicts SET decision = 'clear';");
  report = verify (f.path);
  g_assert_cmpuint (report->problems->len, ==, 1);
  g_assert_true (has_problem (report, DL_VERIFY_ROW, 3, "decision is \"clear\" in the file but \"seize\" in event 3"));
  g_assert_cmpstr (((DlVerifyProblem *) g_ptr_array_index (report->problems, 0))->row_id, ==, f.verdict_id);
  g_clear_pointer (&report, dl_verify_report_free);

  /* a row added and one deleted outside the application */
  sql = g_strdup_printf ("UPDATE verdicts SET decision = 'seize'; DELETE FROM reviews; "
                         "INSERT INTO manifests VALUES ('M-forged', '%s', '{}', 0, 'x', 'X', 'k');", f.case_id);
  sqlite3_cli (f.path, sql);
  report = verify (f.path);
  g_assert_true (has_problem (report, DL_VERIFY_ROW, 0, "manifests row M-forged: no event records it"));
  g_assert_true (has_problem (report, DL_VERIFY_ROW, 4, "missing (deleted outside Doorlicht)"));
  g_assert_false (has_problem (report, DL_VERIFY_ROW, 3, NULL));
}

static void
test_changed_scan (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(DlVerifyReport) report = NULL;

  make_fixture (&f, "scan.dlcase");
  g_assert_true (g_file_set_contents (f.scan, "scan bytes of another container", -1, NULL));
  report = verify (f.path);
  g_assert_cmpuint (report->problems->len, ==, 1);
  g_assert_true (has_problem (report, DL_VERIFY_SCAN, 0, f.scan));
}

static char *
export (Fixture    *f,
        const char *name)
{
  g_autoptr(DlIdentity) a = person ("alice", "Alice");
  g_autoptr(DlCaseFile) file = dl_case_file_open (f->path, a, NULL);
  g_autoptr(GError) error = NULL;
  const char *ids[] = { f->case_id, NULL };
  char *out = g_build_filename (tmpdir, name, NULL);

  g_assert_nonnull (file);
  g_assert_true (dl_case_file_export (file, ids, out, &error));
  g_assert_no_error (error);
  return out;
}

static void
flip_byte (const char *path,
           gsize       offset)
{
  g_autofree char *data = NULL;
  gsize size = 0;

  g_assert_true (g_file_get_contents (path, &data, &size, NULL));
  g_assert_cmpuint (offset, <, size);
  data[offset] ^= 0x01;
  g_assert_true (g_file_set_contents (path, data, size, NULL));
}

/* FALSE when the file cannot even be opened, or verifies with problems. */
static gboolean
verifies (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlVerifyReport) report = dl_case_file_verify_path (path, &error);

  if (report == NULL)
    {
      g_test_message ("refused: %s", error->message);
      return FALSE;
    }
  for (guint i = 0; i < report->problems->len; i++)
    g_test_message ("%s", ((DlVerifyProblem *) g_ptr_array_index (report->problems, i))->message);
  return report->problems->len == 0 && report->exported && report->export_valid;
}

static void
test_signed_export (void)
{
  g_auto(Fixture) f = { 0 };
  g_autofree char *out = NULL, *data = NULL;
  g_autoptr(DlVerifyReport) report = NULL;
  g_autoptr(DlIdentity) a = person ("alice", "Alice");
  gsize size = 0;
  const char *sig;
  gsize offsets[6];

  make_fixture (&f, "export-src.dlcase");
  out = export (&f, "export.dlcase");
  /* the scan is embedded even after the original is gone */
  g_unlink (f.scan);
  report = verify (out);
  g_assert_cmpuint (report->problems->len, ==, 0);
  g_assert_true (report->exported);
  g_assert_true (report->export_valid);
  g_assert_cmpstr (report->export_signer.login, ==, "alice");
  g_assert_cmpstr (report->export_signer.name, ==, "Alice");
  g_assert_cmpstr (report->export_signer.fingerprint, ==, dl_identity_get_fingerprint (a));
  g_assert_cmpuint (report->n_scans_checked, ==, 1);
  /* 4 events of the case and the export event */
  g_assert_cmpuint (report->n_events, ==, 5);

  g_assert_true (g_file_get_contents (out, &data, &size, NULL));
  sig = memmem (data, size, "DLSIG1:", 7);
  g_assert_nonnull (sig);
  offsets[0] = 40;                       /* header: free page count */
  offsets[1] = size / 3;
  offsets[2] = size / 2;
  offsets[3] = size - 5;
  offsets[4] = (sig - data) + 7 + 10;    /* inside the signature */
  offsets[5] = (sig - data) - 20;        /* next to it */
  for (guint i = 0; i < G_N_ELEMENTS (offsets); i++)
    {
      g_autofree char *name = g_strdup_printf ("flipped-%u.dlcase", i);
      g_autofree char *copy = g_build_filename (tmpdir, name, NULL);

      g_test_message ("flip byte %zu of %zu", offsets[i], size);
      g_assert_true (g_file_set_contents (copy, data, size, NULL));
      g_assert_true (verifies (copy));
      flip_byte (copy, offsets[i]);
      g_assert_false (verifies (copy));
    }
}

static void
test_import (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(DlIdentity) a = person ("alice", "Alice");
  g_autoptr(DlIdentity) c = person ("carol", "Carol");
  g_autofree char *out = NULL, *out2 = NULL, *tampered = NULL, *data = NULL;
  g_autofree char *target = g_build_filename (tmpdir, "import-target.dlcase", NULL);
  g_autoptr(DlCaseFile) file = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlVerifyReport) report = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *own = NULL, *v2 = NULL;
  gsize size;
  guint n = 0;

  make_fixture (&f, "import-src.dlcase");
  out = export (&f, "import-export.dlcase");
  g_unlink (target);
  file = dl_case_file_create (target, c, &error);
  own = dl_case_file_new_case (file, "MSKU9070323", &error);
  g_assert_no_error (error);

  g_assert_true (dl_case_file_import (file, out, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 4);
  g_assert_true (dl_case_file_import (file, out, &n, &error));
  g_assert_cmpuint (n, ==, 0);
  cases = dl_case_file_list_cases (file, NULL, &error);
  g_assert_cmpuint (cases->len, ==, 2);
  events = dl_case_file_get_events (file, NULL, &error);
  /* own case, 4 imported, one import event */
  g_assert_cmpuint (events->len, ==, 6);
  g_assert_cmpstr (((DlCaseEvent *) g_ptr_array_index (events, 5))->kind, ==, "import");
  g_assert_cmpstr (((DlCaseEvent *) g_ptr_array_index (events, 5))->author.login, ==, "carol");
  /* imported events keep their authors */
  g_assert_cmpstr (((DlCaseEvent *) g_ptr_array_index (events, 3))->author.login, ==, "alice");
  g_clear_pointer (&events, g_ptr_array_unref);

  /* a later export of the same case brings only what is new */
  {
    g_autoptr(DlCaseFile) src = dl_case_file_open (f.path, a, &error);
    v2 = dl_case_file_add_verdict (src, f.case_id, DL_DECISION_CLEAR, NULL, "after inspection", &error);
    g_assert_no_error (error);
  }
  out2 = export (&f, "import-export-2.dlcase");
  g_assert_true (dl_case_file_import (file, out2, &n, &error));
  g_assert_cmpuint (n, ==, 1);
  {
    g_autoptr(DlVerdict) v = dl_case_file_get_verdict (file, f.case_id, &error);
    g_assert_cmpstr (v->id, ==, v2);
  }
  report = dl_case_file_verify (file, &error);
  g_assert_cmpuint (report->problems->len, ==, 0);

  /* a tampered export is refused, and nothing changes */
  tampered = g_build_filename (tmpdir, "tampered.dlcase", NULL);
  g_assert_true (g_file_get_contents (out, &data, &size, NULL));
  g_assert_true (g_file_set_contents (tampered, data, size, NULL));
  flip_byte (tampered, size / 2);
  events = dl_case_file_get_events (file, NULL, &error);
  n = events->len;
  g_clear_pointer (&events, g_ptr_array_unref);
  g_assert_false (dl_case_file_import (file, tampered, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  events = dl_case_file_get_events (file, NULL, &error);
  g_assert_cmpuint (events->len, ==, n);

  /* an unsigned case file is not imported */
  g_assert_false (dl_case_file_import (file, f.path, NULL, &error));
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_SIGNATURE);
}

static void
test_csv (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(DlIdentity) a = person ("alice", "Alice");
  g_autoptr(DlCaseFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = g_build_filename (tmpdir, "verdicts.csv", NULL);
  g_autofree char *text = NULL, *v2 = NULL;
  g_auto(GStrv) lines = NULL;

  make_fixture (&f, "csv.dlcase");
  file = dl_case_file_open (f.path, a, &error);
  v2 = dl_case_file_add_verdict (file, f.case_id, DL_DECISION_INSPECT, NULL, "quote \" and, comma\nnewline",
                                 &error);
  g_assert_true (dl_case_file_write_csv (file, csv, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  lines = g_strsplit (text, "\r\n", -1);
  g_assert_cmpstr (lines[0], ==, "case,title,verdict,decision,reasons,text,analyst_login,analyst_name,analyst_key,"
                                 "time,superseded,review,review_comment,reviewer_login,reviewer_name,review_time");
  g_assert_true (g_str_has_prefix (lines[1], f.case_id));
  g_assert_nonnull (strstr (lines[1], ",seize,density-anomaly,dense block,alice,Alice,"));
  g_assert_nonnull (strstr (lines[1], ",yes,approve,,bob,Bob,"));
  g_assert_true (g_regex_match_simple (",[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z,", lines[1], 0, 0));
  g_assert_nonnull (strstr (lines[2], ",\"quote \"\" and, comma\nnewline\","));
  g_assert_cmpstr (lines[3], ==, "");
  g_assert_null (lines[4]);
}

/* -- every column tampered with ---------------------------------------------- */

/* The tables whose rows the events record, each compared column by column. */
static const char * const audited_tables[] = {
  "cases", "scans", "manifests", "verdicts", "annotations", "reviews", "hints", "bay_plans", "findings",
  "finding_responses", NULL
};

/* Tables of a case file whose rows no event records, and why. */
static const struct
{
  const char *table;
  const char *why;
} unaudited_tables[] = {
  { "events", "the chain itself: changed, deleted, reordered events (the tests above)" },
  { "meta", "the export signature, over the file's bytes (/audit/signed-export)" },
  { "thumbnails", "a derived cache checked against its scan's sha256 (test-case-thumbnails)" },
};

/* Columns of audited tables that the events do not record, and why; each
 * is tampered with all the same and must be found another way. */
static const struct
{
  const char   *table;
  const char   *column;
  DlVerifyKind  found_as;
  const char   *why;
} unaudited_columns[] = {
  { "scans", "image", DL_VERIFY_SCAN,
    "the embedded image: the events record its SHA-256 (sha256), which verify hashes it against" },
};

/* The other values that a CHECK constraint allows, for columns to which
 * nothing can be appended. */
static const struct
{
  const char *table;
  const char *column;
  const char *other;
} checked_values[] = {
  { "verdicts", "decision", "'clear'" },
  { "reviews", "decision", "'return'" },
  { "finding_responses", "response", "'dismissed'" },
};

static char *pristine;

static const char *
pristine_file (void)
{
  if (pristine == NULL)
    {
      g_autoptr(DlVerifyReport) report = NULL;

      pristine = g_build_filename (tmpdir, "pristine.dlcase", NULL);
      fixture_fill_case_file (pristine, tmpdir);
      report = verify (pristine);
      g_assert_cmpuint (report->problems->len, ==, 0);
    }
  return pristine;
}

/* A copy of the full fixture at @name. */
static char *
copy_pristine (const char *name)
{
  g_autofree char *data = NULL;
  gsize size = 0;
  char *path = g_build_filename (tmpdir, name, NULL);

  g_assert_true (g_file_get_contents (pristine_file (), &data, &size, NULL));
  g_assert_true (g_file_set_contents (path, data, size, NULL));
  return path;
}

/* Runs @sql on @path as the sqlite3 program would (no defensive mode, no
 * foreign keys); %FALSE with SQLite's message when it refuses. */
static gboolean
try_edit (const char *path,
          const char *sql,
          char      **message)
{
  sqlite3 *db = NULL;
  char *err = NULL;
  int rc;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  rc = sqlite3_exec (db, sql, NULL, NULL, &err);
  if (message)
    *message = g_strdup (err);
  sqlite3_free (err);
  sqlite3_close (db);
  return rc == SQLITE_OK;
}

static char *
query_text (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

/* The names and declared types of @table's columns, from the schema. */
static GPtrArray *
table_columns (const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT group_concat (name || ' ' || type, ',') "
                                          "FROM pragma_table_info ('%s')", table);
  g_autofree char *list = query_text (pristine_file (), sql);
  g_auto(GStrv) parts = NULL;
  GPtrArray *columns = g_ptr_array_new_with_free_func (g_free);

  g_assert_nonnull (list);
  parts = g_strsplit (list, ",", -1);
  for (guint i = 0; parts[i]; i++)
    g_ptr_array_add (columns, g_strdup (parts[i]));
  return columns;
}

static const char *
checked_value (const char *table,
               const char *column)
{
  for (guint i = 0; i < G_N_ELEMENTS (checked_values); i++)
    if (strcmp (checked_values[i].table, table) == 0 && strcmp (checked_values[i].column, column) == 0)
      return checked_values[i].other;
  return NULL;
}

static const char *
unaudited_column (const char   *table,
                  const char   *column,
                  DlVerifyKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (unaudited_columns); i++)
    if (strcmp (unaudited_columns[i].table, table) == 0 && strcmp (unaudited_columns[i].column, column) == 0)
      {
        *kind = unaudited_columns[i].found_as;
        return unaudited_columns[i].why;
      }
  return NULL;
}

/* Whether @report has a problem of @kind about row @id of @table whose
 * message holds @fragment (%NULL: any). */
static gboolean
names_row (DlVerifyReport *report,
           DlVerifyKind    kind,
           const char     *table,
           const char     *id,
           const char     *fragment)
{
  for (guint i = 0; i < report->problems->len; i++)
    {
      DlVerifyProblem *p = g_ptr_array_index (report->problems, i);

      if (p->kind == kind && g_strcmp0 (p->table, table) == 0 && g_strcmp0 (p->row_id, id) == 0
          && (fragment == NULL || strstr (p->message, fragment)))
        return TRUE;
    }
  return FALSE;
}

/* Applies SET @column = @value to the last row of @table in a copy of the
 * fixture and checks that verify names it; %FALSE when SQLite refused the
 * edit (a constraint of the schema). */
static gboolean
tamper (const char *table,
        const char *column,
        const char *value,
        const char *what)
{
  g_autofree char *name = g_strdup_printf ("tamper-%s-%s-%s.dlcase", table, column, what);
  g_autofree char *path = copy_pristine (name);
  g_autofree char *sql = NULL, *id = NULL, *refused = NULL, *fragment = NULL;
  g_autoptr(DlVerifyReport) report = NULL;
  DlVerifyKind kind = DL_VERIFY_ROW;
  const char *why = unaudited_column (table, column, &kind);

  sql = g_strdup_printf ("SELECT id FROM %s ORDER BY rowid DESC LIMIT 1", table);
  id = query_text (path, sql);
  g_assert_nonnull (id);
  g_free (sql);
  sql = g_strdup_printf ("UPDATE %s SET %s = %s WHERE rowid = (SELECT max (rowid) FROM %s)",
                         table, column, value, table);
  g_test_message ("%s.%s (%s): %s", table, column, what, sql);
  if (!try_edit (path, sql, &refused))
    {
      g_test_message ("  refused by SQLite: %s", refused);
      return FALSE;
    }
  report = verify (path);
  /* a changed id leaves the recorded row missing; any other column is
   * named with the row */
  if (why == NULL && strcmp (column, "id") != 0)
    fragment = g_strdup_printf ("%s row %s: %s is ", table, id, column);
  if (why != NULL)
    g_test_message ("  not audited by the events, because %s", why);
  if (!names_row (report, kind, table, id, fragment))
    g_error ("verify did not find %s.%s of row %s changed (%s)", table, column, id, what);
  return TRUE;
}

static void
tamper_column (const char *table,
               const char *column,
               const char *type)
{
  g_autofree char *append_x = g_strdup_printf ("coalesce (%s, '') || 'x'", column);
  g_autofree char *append_ff = g_strdup_printf ("coalesce (%s, '') || CAST (X'FF' AS TEXT)", column);
  g_autofree char *append_nul = g_strdup_printf ("coalesce (%s, '') || CAST (X'00' AS TEXT)", column);
  g_autofree char *plus_one = g_strdup_printf ("%s + 1", column);
  g_autofree char *as_text = g_strdup_printf ("CAST (%s AS TEXT) || CAST (X'FF' AS TEXT)", column);
  g_autofree char *as_real = g_strdup_printf ("%s + 0.5", column);
  g_autofree char *blob_ff = g_strdup_printf ("CAST (coalesce (%s, X'') || X'FF' AS BLOB)", column);
  g_autofree char *blob_flip = g_strdup_printf ("CAST (X'00' || substr (%s, 2) AS BLOB)", column);
  const char *other = checked_value (table, column);

  if (strcmp (type, "TEXT") == 0 && other != NULL)
    {
      g_assert_true (tamper (table, column, other, "other-allowed"));
      /* the CHECK takes nothing else; the same edit with 0xFF in another
       * column is /audit/invalid-utf8-verdict */
      g_assert_false (tamper (table, column, append_ff, "ff"));
    }
  else if (strcmp (type, "TEXT") == 0)
    {
      g_assert_true (tamper (table, column, append_x, "changed"));
      g_assert_true (tamper (table, column, append_ff, "ff"));
      g_assert_true (tamper (table, column, append_nul, "nul"));
      /* refused where NOT NULL; found where not */
      tamper (table, column, "NULL", "null");
    }
  else if (strcmp (type, "INTEGER") == 0)
    {
      g_assert_true (tamper (table, column, plus_one, "changed"));
      /* a STRICT table stores no text and no fraction in an INTEGER column */
      g_assert_false (tamper (table, column, as_text, "ff"));
      g_assert_false (tamper (table, column, as_real, "real"));
      tamper (table, column, "NULL", "null");
    }
  else if (strcmp (type, "REAL") == 0)
    {
      g_autofree char *halved = g_strdup_printf ("%s * 0.5", column);
      g_autofree char *nudged = g_strdup_printf ("%s - 1e-15", column);

      g_assert_true (tamper (table, column, halved, "changed"));
      /* the last digits count too: the event records the exact number */
      g_assert_true (tamper (table, column, nudged, "nudged"));
      g_assert_false (tamper (table, column, as_text, "ff"));
      tamper (table, column, "NULL", "null");
    }
  else if (strcmp (type, "BLOB") == 0)
    {
      g_assert_true (tamper (table, column, blob_flip, "changed"));
      g_assert_true (tamper (table, column, blob_ff, "ff"));
      /* the scan's file is gone: an image removed cannot be checked */
      g_assert_true (tamper (table, column, "NULL", "null"));
    }
  else
    g_error ("%s.%s has the type %s, which this test cannot tamper with yet: teach it", table, column, type);
}

static void
test_tampered_columns (void)
{
  g_autofree char *tables = query_text (pristine_file (), "SELECT group_concat (name, ',') FROM sqlite_schema "
                                                          "WHERE type = 'table'");
  g_auto(GStrv) names = g_strsplit (tables, ",", -1);
  guint n_columns = 0;

  /* every table is compared row by row, or says why not */
  for (guint i = 0; names[i]; i++)
    {
      gboolean known = g_strv_contains (audited_tables, names[i]);

      for (guint u = 0; u < G_N_ELEMENTS (unaudited_tables); u++)
        if (strcmp (unaudited_tables[u].table, names[i]) == 0)
          {
            g_test_message ("%s: no rows compared, because it is %s", names[i], unaudited_tables[u].why);
            known = TRUE;
          }
      if (!known)
        g_error ("the table %s is new: list it in audited_tables or unaudited_tables", names[i]);
    }

  for (guint t = 0; audited_tables[t]; t++)
    {
      g_autoptr(GPtrArray) columns = table_columns (audited_tables[t]);
      g_autofree char *same = g_strdup_printf ("tamper-%s-same.dlcase", audited_tables[t]);
      g_autofree char *path = copy_pristine (same);
      g_autofree char *sql = g_strdup_printf ("UPDATE %s SET id = id", audited_tables[t]);
      g_autoptr(DlVerifyReport) report = NULL;

      /* a row is there to be changed; writing the same value is no change */
      g_assert_true (try_edit (path, sql, NULL));
      report = verify (path);
      g_assert_cmpuint (report->problems->len, ==, 0);
      for (guint c = 0; c < columns->len; c++)
        {
          g_auto(GStrv) parts = g_strsplit (columns->pdata[c], " ", 2);

          tamper_column (audited_tables[t], parts[0], parts[1]);
          n_columns++;
        }
    }
  g_assert_cmpuint (n_columns, >=, 50);
}

/* The edit of issue 14: a verdict turned from seize into clear, with one
 * byte that is not UTF-8 appended to its text, with the sqlite3 program. */
static void
test_invalid_utf8_verdict (void)
{
  g_autofree char *path = copy_pristine ("invalid-utf8.dlcase");
  g_autofree char *id = query_text (path, "SELECT id FROM verdicts ORDER BY rowid DESC LIMIT 1");
  g_autoptr(DlVerifyReport) report = NULL;

  sqlite3_cli (path, "UPDATE verdicts SET decision = 'clear', text = text || CAST (X'FF' AS TEXT) "
                     "WHERE rowid = (SELECT max (rowid) FROM verdicts);");
  report = verify (path);
  g_assert_true (names_row (report, DL_VERIFY_ROW, "verdicts", id, "decision is \"clear\" in the file but \"seize\""));
  g_assert_true (names_row (report, DL_VERIFY_ROW, "verdicts", id,
                            "text is \"dense block behind the engine\\xFF\" (not valid UTF-8) in the file but "
                            "\"dense block behind the engine\""));
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("test-audit-XXXXXX", NULL);

  g_test_add_func ("/audit/intact", test_intact);
  g_test_add_func ("/audit/changed-event", test_changed_event);
  g_test_add_func ("/audit/deleted-event", test_deleted_event);
  g_test_add_func ("/audit/profile-choice", test_profile_choice);
  g_test_add_func ("/audit/reordered-events", test_reordered_events);
  g_test_add_func ("/audit/rewritten-chain", test_rewritten_chain);
  g_test_add_func ("/audit/edited-row", test_edited_row);
  g_test_add_func ("/audit/changed-scan", test_changed_scan);
  g_test_add_func ("/audit/signed-export", test_signed_export);
  g_test_add_func ("/audit/import", test_import);
  g_test_add_func ("/audit/csv", test_csv);
  g_test_add_func ("/audit/invalid-utf8-verdict", test_invalid_utf8_verdict);
  g_test_add_func ("/audit/tampered-columns", test_tampered_columns);

  status = g_test_run ();
  g_free (pristine);
  if (status == 0)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
      (void) system (cmd);
    }
  g_free (tmpdir);
  return status;
}
