/* test-case-file.c — the case file: creating and opening, refusing files
 * that are not ours, newer or hostile, migrating every earlier version,
 * the four-eyes rule, superseding verdicts and the case queue's filters.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "dl-case-file.h"
#include "case-fixture.h"

static char *tmpdir;

static DlIdentity *
person (const char *login,
        const char *name)
{
  return fixture_person (tmpdir, login, name);
}

static char *
fresh_path (const char *name)
{
  char *path = g_build_filename (tmpdir, name, NULL);

  g_unlink (path);
  return path;
}

static void
run_sql (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static char *
write_scan (const char *name,
            const char *content)
{
  char *path = g_build_filename (tmpdir, name, NULL);

  g_assert_true (g_file_set_contents (path, content, -1, NULL));
  return path;
}

static void
test_identity (void)
{
  g_autoptr(DlIdentity) a = person ("alice", "Alice Analyst");
  g_autoptr(DlIdentity) again = person ("alice", NULL);
  g_autofree char *dir = g_build_filename (tmpdir, "identities", "alice", NULL);
  g_autofree char *key = g_build_filename (dir, "secret.key", NULL);
  g_autofree char *sig = dl_identity_sign (a, "data", 4);
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_cmpstr (dl_identity_get_login (a), ==, "alice");
  g_assert_cmpstr (dl_identity_get_display_name (again), ==, "Alice Analyst");
  g_assert_cmpstr (dl_identity_get_fingerprint (a), ==, dl_identity_get_fingerprint (again));
  g_assert_cmpuint (strlen (dl_identity_get_fingerprint (a)), ==, 64);
  g_assert_cmpint (g_stat (key, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_true (dl_identity_verify (dl_identity_get_public_key (a), "data", 4, sig, NULL));
  g_assert_false (dl_identity_verify (dl_identity_get_public_key (a), "dato", 4, sig, &error));
  g_assert_error (error, DL_IDENTITY_ERROR, DL_IDENTITY_ERROR_SIGNATURE);
  g_clear_error (&error);

  /* a key others may read is refused */
  g_assert_cmpint (g_chmod (key, 0644), ==, 0);
  g_assert_null (dl_identity_load_from_dir (dir, "alice", NULL, &error));
  g_assert_error (error, DL_IDENTITY_ERROR, DL_IDENTITY_ERROR_KEY);
  g_assert_cmpint (g_chmod (key, 0600), ==, 0);
}

static void
test_create_open (void)
{
  g_autoptr(DlIdentity) a = person ("alice", "Alice");
  g_autofree char *path = fresh_path ("create.dlcase");
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(DlCaseFile) file = NULL;
  g_autoptr(DlCaseSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  guint8 header[100];
  FILE *fp;

  file = dl_case_file_create (path, a, &error);
  g_assert_no_error (error);
  id = dl_case_file_new_case (file, "CSQU3054383", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (id, "C-"));
  g_assert_true (dl_case_file_close (file, &error));
  g_clear_object (&file);
  /* closed: one plain file in rollback mode (header bytes 18, 19 = 1) */
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  fp = fopen (path, "rb");
  g_assert_nonnull (fp);
  g_assert_cmpuint (fread (header, 1, sizeof header, fp), ==, sizeof header);
  fclose (fp);
  g_assert_cmpint (header[18], ==, 1);
  g_assert_cmpint (header[19], ==, 1);
  g_assert_cmpint (header[68], ==, 'D');
  g_assert_cmpint (header[71], ==, 'F');

  /* create refuses an existing file */
  g_assert_null (dl_case_file_create (path, a, &error));
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_EXISTS);
  g_clear_error (&error);

  file = dl_case_file_open_untrusted (path, &error);
  g_assert_no_error (error);
  g_assert_true (dl_case_file_is_read_only (file));
  summary = dl_case_file_get_case (file, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (summary->title, ==, "CSQU3054383");
  g_assert_cmpstr (summary->author.login, ==, "alice");
  g_assert_cmpint (summary->state, ==, DL_CASE_STATE_NEW);
  g_assert_null (dl_case_file_new_case (file, "X", &error));
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_READ_ONLY);
  g_clear_error (&error);

  /* bad arguments: clear errors */
  g_clear_object (&file);
  file = dl_case_file_open (path, a, &error);
  g_assert_no_error (error);
  g_assert_null (dl_case_file_new_case (file, "", &error));
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (dl_case_file_add_verdict (file, "C-nonexistent", DL_DECISION_CLEAR, NULL, NULL, &error));
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    const char *bad[] = { "density-anomaly", "looked-funny", NULL };
    g_assert_null (dl_case_file_add_verdict (file, id, DL_DECISION_CLEAR, bad, NULL, &error));
    g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID);
    g_clear_error (&error);
  }
}

static void
expect_refused (const char *path,
                int         code,
                const char *fragment)
{
  g_autoptr(DlIdentity) a = person ("alice", "Alice");
  g_autoptr(GError) error = NULL;
  g_autoptr(DlCaseFile) file = dl_case_file_open_untrusted (path, &error);

  g_assert_null (file);
  g_assert_error (error, DL_CASE_FILE_ERROR, code);
  g_test_message ("%s", error->message);
  if (fragment)
    g_assert_nonnull (strstr (error->message, fragment));
  g_clear_error (&error);
  file = dl_case_file_open (path, a, &error);
  g_assert_null (file);
  g_assert_error (error, DL_CASE_FILE_ERROR, code);
}

/* A valid file with one case, closed, for the hostile variants. */
static char *
make_file (const char *name)
{
  g_autoptr(DlIdentity) a = person ("alice", "Alice");
  char *path = fresh_path (name);
  g_autoptr(DlCaseFile) file = dl_case_file_create (path, a, NULL);
  g_autofree char *id = NULL;

  g_assert_nonnull (file);
  id = dl_case_file_new_case (file, "CSQU3054383", NULL);
  g_assert_nonnull (id);
  g_assert_true (dl_case_file_close (file, NULL));
  return path;
}

static void
test_refuse (void)
{
  g_autofree char *text = fresh_path ("text.dlcase");
  g_autofree char *other = fresh_path ("other.sqlite");
  g_autofree char *newer = make_file ("newer.dlcase");
  g_autofree char *trigger = make_file ("trigger.dlcase");
  g_autofree char *view = make_file ("view.dlcase");
  g_autofree char *table = make_file ("table.dlcase");
  g_autofree char *column = make_file ("column.dlcase");
  g_autofree char *huge = make_file ("huge.dlcase");
  g_autofree char *appid = make_file ("appid.dlcase");
  g_autofree char *link = fresh_path ("link.dlcase");

  g_assert_true (g_file_set_contents (text, "not a database at all, just text\n", -1, NULL));
  expect_refused (text, DL_CASE_FILE_ERROR_NOT_OURS, NULL);

  run_sql (other, "CREATE TABLE t (x); INSERT INTO t VALUES (1);");
  expect_refused (other, DL_CASE_FILE_ERROR_NOT_OURS, "another application");

  run_sql (appid, "PRAGMA application_id = 1234;");
  expect_refused (appid, DL_CASE_FILE_ERROR_NOT_OURS, "another application");

  run_sql (newer, "PRAGMA user_version = 99;");
  expect_refused (newer, DL_CASE_FILE_ERROR_TOO_NEW, "newer Doorlicht");

  run_sql (trigger, "CREATE TRIGGER steal AFTER INSERT ON verdicts BEGIN DELETE FROM reviews; END;");
  expect_refused (trigger, DL_CASE_FILE_ERROR_HOSTILE, "trigger");

  run_sql (view, "CREATE VIEW cases_v AS SELECT * FROM cases;");
  expect_refused (view, DL_CASE_FILE_ERROR_HOSTILE, "view");

  run_sql (table, "CREATE TABLE extra (x TEXT);");
  expect_refused (table, DL_CASE_FILE_ERROR_HOSTILE, "extra");

  run_sql (column, "ALTER TABLE cases ADD COLUMN note TEXT DEFAULT 'x';");
  expect_refused (column, DL_CASE_FILE_ERROR_HOSTILE, "note");

  /* a 2 MiB title (the cap is 1 KiB) */
  run_sql (huge, "UPDATE cases SET title = hex (zeroblob (1024 * 1024));");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DlCaseFile) file = dl_case_file_open_untrusted (huge, &error);

    g_assert_null (file);
    g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_HOSTILE);
    g_assert_nonnull (strstr (error->message, "cases.title"));
  }

  /* symbolic links are not followed */
  g_assert_cmpint (symlink (trigger, link), ==, 0);
  {
    g_autoptr(GError) error = NULL;
    g_assert_null (dl_case_file_open_untrusted (link, &error));
    g_assert_nonnull (error);
  }
}

/* A copy of a valid file with @sql run on it as the sqlite3 program would,
 * the schema writable. */
static char *
edit_schema (const char *name,
             const char *sql)
{
  char *path = make_file (name);
  g_autofree char *full = g_strdup_printf ("PRAGMA writable_schema = ON; %s", sql);

  run_sql (path, full);
  return path;
}

/* Verify refuses @path and its message holds @fragment. */
static void
expect_verify_refused (const char *path,
                       const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlVerifyReport) report = dl_case_file_verify_path (path, &error);

  g_assert_null (report);
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_HOSTILE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, fragment));
}

/* The whole schema is compared, constraints too: a CHECK, a reference, a
 * collation or an index's kind changed in the schema's SQL, an object
 * added or removed. */
static void
test_refuse_schema (void)
{
  static const struct
  {
    const char *name;
    const char *sql;
    const char *fragment;
  } edits[] = {
    { "no-check.dlcase",
      "UPDATE sqlite_schema SET sql = replace (sql, ' CHECK (decision IN (''clear'', ''inspect'', ''seize'', "
      "''rescan''))', '') WHERE name = 'verdicts';", "table verdicts: its SQL is" },
    { "other-check.dlcase",
      "UPDATE sqlite_schema SET sql = replace (sql, '(''approve'', ''return'')', '(''approve'', ''return'', "
      "''waive'')') WHERE name = 'reviews';", "table reviews: its SQL is" },
    { "no-reference.dlcase",
      "UPDATE sqlite_schema SET sql = replace (sql, 'case_id TEXT NOT NULL REFERENCES cases (id)', "
      "'case_id TEXT NOT NULL') WHERE name = 'scans';", "table scans: its SQL is" },
    { "collation.dlcase",
      "UPDATE sqlite_schema SET sql = replace (sql, 'title TEXT NOT NULL', 'title TEXT NOT NULL COLLATE NOCASE') "
      "WHERE name = 'cases';", "table cases: its SQL is" },
    { "partial-index.dlcase",
      "UPDATE sqlite_schema SET sql = sql || ' WHERE decision <> ''clear''' WHERE name = 'verdicts_case';",
      "index verdicts_case: its SQL is" },
  };
  g_autofree char *trigger = make_file ("schema-trigger.dlcase");
  g_autofree char *dropped = make_file ("schema-dropped.dlcase");
  g_autofree char *unique = make_file ("schema-unique.dlcase");
  g_autofree char *layout = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlVerifyReport) report = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (edits); i++)
    {
      g_autofree char *path = edit_schema (edits[i].name, edits[i].sql);

      expect_verify_refused (path, edits[i].fragment);
    }

  run_sql (trigger, "CREATE TRIGGER keep AFTER INSERT ON verdicts BEGIN SELECT 1; END;");
  expect_verify_refused (trigger, "trigger");
  run_sql (dropped, "DROP INDEX verdicts_case;");
  expect_verify_refused (dropped, "missing: index verdicts_case");
  run_sql (unique, "DROP INDEX cases_created; CREATE UNIQUE INDEX cases_created ON cases (created);");
  expect_verify_refused (unique, "index cases_created: its SQL is");

  /* white space is layout, not meaning */
  layout = edit_schema ("schema-layout.dlcase", "UPDATE sqlite_schema SET sql = replace (replace (sql, char (10), "
                                                "' '), '  ', char (9)) WHERE name = 'verdicts';");
  report = dl_case_file_verify_path (layout, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->problems->len, ==, 0);
}

/* Makes a file of an earlier version by SQL: the current file with the
 * later tables and columns dropped, as versions 1 to 4 had them. */
static void
downgrade (const char *path,
           guint       version)
{
  run_sql (path, "DROP TABLE bay_plans; PRAGMA user_version = 4;");
  if (version == 4)
    return;
  run_sql (path, "DROP TABLE thumbnails; DROP INDEX scans_case_first; PRAGMA user_version = 3;");
  if (version == 3)
    return;
  run_sql (path, "DROP TABLE hints; DROP TABLE meta; DROP INDEX cases_created; DROP INDEX scans_case; "
                 "DROP INDEX manifests_case; DROP INDEX verdicts_case; DROP INDEX annotations_scan; "
                 "DROP INDEX events_case; ALTER TABLE scans DROP COLUMN image; PRAGMA user_version = 2;");
  if (version == 1)
    run_sql (path, "DROP TABLE reviews; DROP TABLE annotations; PRAGMA user_version = 1;");
}

static void
test_migrate (void)
{
  for (guint version = 1; version < DL_CASE_FILE_VERSION; version++)
    {
      g_autoptr(DlIdentity) a = person ("alice", "Alice");
      g_autoptr(DlIdentity) b = person ("bob", "Bob");
      g_autofree char *name = g_strdup_printf ("v%u.dlcase", version);
      g_autofree char *path = fresh_path (name);
      g_autofree char *scan = write_scan ("migrate.tif", "fake image bytes");
      g_autoptr(DlCaseFile) file = dl_case_file_create (path, a, NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *id = NULL, *scan_id = NULL, *vid = NULL, *rid = NULL;
      g_autoptr(DlVerifyReport) report = NULL;
      g_autoptr(DlVerdict) verdict = NULL;
      g_autoptr(GPtrArray) events = NULL;
      DlCaseEvent *last;

      g_test_message ("from version %u", version);
      id = dl_case_file_new_case (file, "MSKU9070323", &error);
      scan_id = dl_case_file_add_scan (file, id, scan, FALSE, &error);
      vid = dl_case_file_add_verdict (file, id, DL_DECISION_INSPECT, NULL, "check the back", &error);
      g_assert_no_error (error);
      g_assert_true (dl_case_file_close (file, NULL));
      g_clear_object (&file);
      downgrade (path, version);

      /* read-only opening does not migrate; versions 3 and 4 (which lack
       * only the thumbnail cache and the bay plans) are read as they are */
      if (version < 3)
        {
          g_assert_null (dl_case_file_open_untrusted (path, &error));
          g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_NOT_OURS);
          g_assert_nonnull (strstr (error->message, "older"));
          g_clear_error (&error);
        }
      else
        {
          g_autoptr(DlCaseFile) old = dl_case_file_open_untrusted (path, &error);

          g_assert_no_error (error);
          g_assert_cmpuint (dl_case_file_get_opened_version (old), ==, version);
          /* a file from before bay plans has none, and says so without an error */
          g_assert_null (dl_case_file_get_bay_plan (old, id, &error));
          g_assert_no_error (error);
        }

      file = dl_case_file_open (path, b, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (dl_case_file_get_opened_version (file), ==, version);
      verdict = dl_case_file_get_verdict (file, id, &error);
      g_assert_cmpstr (verdict->id, ==, vid);
      g_assert_cmpstr (verdict->text, ==, "check the back");
      /* what the later versions added works */
      rid = dl_case_file_add_review (file, id, DL_REVIEW_APPROVE, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (dl_case_file_set_hints (file, id, "{\"hints\":[]}", &error));
      events = dl_case_file_get_events (file, NULL, &error);
      last = g_ptr_array_index (events, 3);
      g_assert_cmpstr (last->kind, ==, "migrate");
      g_assert_cmpstr (last->author.login, ==, "bob");
      report = dl_case_file_verify (file, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < report->problems->len; i++)
        g_test_message ("%s", ((DlVerifyProblem *) g_ptr_array_index (report->problems, i))->message);
      g_assert_cmpuint (report->problems->len, ==, 0);
      g_assert_true (dl_case_file_close (file, NULL));
      g_clear_object (&file);

      /* now current, and readable untrusted */
      file = dl_case_file_open_untrusted (path, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (dl_case_file_get_opened_version (file), ==, DL_CASE_FILE_VERSION);
    }
}

/* A case keeps its container's bay plan entry; a change to the row
 * behind the audit trail's back is caught. */
static void
test_bay_plan (void)
{
  g_autoptr(DlIdentity) a = person ("alice", "Alice");
  g_autofree char *path = fresh_path ("bay-plan.dlcase");
  g_autoptr(DlCaseFile) file = dl_case_file_create (path, a, NULL);
  g_autoptr(DlBayPlan) plan = dl_bay_plan_new ();
  g_autoptr(DlBayPlan) back = NULL;
  g_autoptr(DlVerifyReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL, *json = NULL, *json_back = NULL;
  DlBayPlanContainer *c;

  id = dl_case_file_new_case (file, "MSKU9070323", &error);
  g_assert_no_error (error);
  g_assert_null (dl_case_file_get_bay_plan (file, id, &error));
  g_assert_no_error (error);
  plan->vessel = g_strdup ("EXAMPLE VESSEL");
  c = dl_bay_plan_add_container (plan, "MSKU9070323");
  c->size_type = g_strdup ("45G1");
  c->vgm_kg = 27950.5;
  g_assert_true (dl_case_file_set_bay_plan (file, id, plan, &error));
  g_assert_no_error (error);
  back = dl_case_file_get_bay_plan (file, id, &error);
  g_assert_no_error (error);
  json = dl_bay_plan_to_json (plan);
  json_back = dl_bay_plan_to_json (back);
  g_assert_cmpstr (json_back, ==, json);
  report = dl_case_file_verify (file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->problems->len, ==, 0);
  g_clear_pointer (&report, dl_verify_report_free);
  g_assert_true (dl_case_file_close (file, NULL));
  g_clear_object (&file);

  run_sql (path, "UPDATE bay_plans SET json = replace (json, '27950.5', '17950.5');");
  report = dl_case_file_verify_path (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->problems->len, >, 0);
  g_assert_cmpint (((DlVerifyProblem *) g_ptr_array_index (report->problems, 0))->kind, ==, DL_VERIFY_ROW);
}

static void
test_four_eyes (void)
{
  g_autoptr(DlIdentity) a = person ("alice", "Alice");
  g_autoptr(DlIdentity) a2 = NULL;
  g_autoptr(DlIdentity) b = person ("bob", "Bob");
  g_autofree char *path = fresh_path ("eyes.dlcase");
  g_autofree char *dir2 = g_build_filename (tmpdir, "identities", "alice-second-key", NULL);
  g_autoptr(DlCaseFile) fa = dl_case_file_create (path, a, NULL);
  g_autoptr(DlCaseFile) fb = NULL;
  g_autoptr(DlCaseFile) fa2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = dl_case_file_new_case (fa, "TCNU1234565", NULL);
  g_autofree char *vid = NULL, *rid = NULL, *v2 = NULL, *r2 = NULL;
  g_autoptr(DlReview) review = NULL;
  g_autoptr(DlCaseSummary) s = NULL;

  vid = dl_case_file_add_verdict (fa, id, DL_DECISION_SEIZE, (const char * const []) { "concealment", NULL }, NULL, &error);
  g_assert_no_error (error);

  /* not by the same key */
  g_assert_null (dl_case_file_add_review (fa, id, DL_REVIEW_APPROVE, NULL, &error));
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FOUR_EYES);
  g_clear_error (&error);
  /* nor by the same login with another key */
  a2 = dl_identity_load_from_dir (dir2, "alice", "Alice (again)", NULL);
  g_assert_cmpstr (dl_identity_get_fingerprint (a2), !=, dl_identity_get_fingerprint (a));
  g_assert_true (dl_case_file_close (fa, NULL));
  fa2 = dl_case_file_open (path, a2, &error);
  g_assert_null (dl_case_file_add_review (fa2, id, DL_REVIEW_APPROVE, NULL, &error));
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FOUR_EYES);
  g_clear_error (&error);
  g_assert_true (dl_case_file_close (fa2, NULL));

  fb = dl_case_file_open (path, b, &error);
  /* returning needs a comment */
  g_assert_null (dl_case_file_add_review (fb, id, DL_REVIEW_RETURN, NULL, &error));
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID);
  g_clear_error (&error);
  rid = dl_case_file_add_review (fb, id, DL_REVIEW_RETURN, "the seal is visible, look again", &error);
  g_assert_no_error (error);
  review = dl_case_file_get_review (fb, vid, &error);
  g_assert_cmpint (review->decision, ==, DL_REVIEW_RETURN);
  g_assert_cmpstr (review->author.login, ==, "bob");
  g_assert_cmpstr (review->author.fingerprint, ==, dl_identity_get_fingerprint (b));
  /* one review per verdict */
  g_assert_null (dl_case_file_add_review (fb, id, DL_REVIEW_APPROVE, NULL, &error));
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID);
  g_clear_error (&error);
  s = dl_case_file_get_case (fb, id, NULL);
  g_assert_cmpint (s->state, ==, DL_CASE_STATE_RETURNED);
  g_clear_pointer (&s, dl_case_summary_free);
  g_assert_true (dl_case_file_close (fb, NULL));
  g_clear_object (&fb);

  /* alice answers with a new verdict; bob approves that */
  g_clear_object (&fa);
  fa = dl_case_file_open (path, a, &error);
  v2 = dl_case_file_add_verdict (fa, id, DL_DECISION_CLEAR, NULL, "seal was fine", &error);
  g_assert_no_error (error);
  s = dl_case_file_get_case (fa, id, NULL);
  g_assert_cmpint (s->state, ==, DL_CASE_STATE_AWAITING_REVIEW);
  g_clear_pointer (&s, dl_case_summary_free);
  g_assert_true (dl_case_file_close (fa, NULL));
  fb = dl_case_file_open (path, b, &error);
  r2 = dl_case_file_add_review (fb, id, DL_REVIEW_APPROVE, NULL, &error);
  g_assert_no_error (error);
  s = dl_case_file_get_case (fb, id, NULL);
  g_assert_cmpint (s->state, ==, DL_CASE_STATE_APPROVED);
  g_assert_cmpint (s->verdict, ==, DL_DECISION_CLEAR);
}

static void
test_supersede (void)
{
  g_autoptr(DlIdentity) a = person ("alice", "Alice");
  g_autofree char *path = fresh_path ("supersede.dlcase");
  g_autoptr(DlCaseFile) file = dl_case_file_create (path, a, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = dl_case_file_new_case (file, "HLXU1234561", NULL);
  const char *reasons[] = { "density-anomaly", "manifest-mismatch", NULL };
  g_autofree char *v1 = dl_case_file_add_verdict (file, id, DL_DECISION_INSPECT, reasons, "dense block", &error);
  g_autofree char *v2 = dl_case_file_add_verdict (file, id, DL_DECISION_SEIZE, (const char * const []) { "concealment", NULL }, NULL, &error);
  g_autoptr(GPtrArray) all = dl_case_file_get_verdicts (file, id, &error);
  g_autoptr(DlVerdict) latest = dl_case_file_get_verdict (file, id, &error);
  DlVerdict *first;

  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);
  first = g_ptr_array_index (all, 0);
  /* the earlier verdict is kept unchanged */
  g_assert_cmpstr (first->id, ==, v1);
  g_assert_cmpint (first->decision, ==, DL_DECISION_INSPECT);
  g_assert_cmpstrv (first->reasons, reasons);
  g_assert_cmpstr (first->text, ==, "dense block");
  g_assert_null (first->supersedes);
  g_assert_cmpstr (latest->id, ==, v2);
  g_assert_cmpstr (latest->supersedes, ==, v1);
  g_assert_cmpint (latest->decision, ==, DL_DECISION_SEIZE);
}

/* A seizure without a reason is refused, whoever asks (the window, the
 * command line): nothing recorded, no event. */
static void
test_seize_needs_reason (void)
{
  g_autoptr(DlIdentity) a = person ("alice", "Alice");
  g_autofree char *path = fresh_path ("seize-reason.dlcase");
  g_autoptr(DlCaseFile) file = dl_case_file_create (path, a, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = dl_case_file_new_case (file, "HLXU1234561", NULL);
  const char *none[] = { NULL };
  g_autofree char *v1 = NULL;
  g_autofree char *v2 = NULL;
  g_autoptr(GPtrArray) events_before = dl_case_file_get_events (file, id, NULL);
  g_autoptr(GPtrArray) events_after = NULL;
  g_autoptr(GPtrArray) verdicts = NULL;

  v1 = dl_case_file_add_verdict (file, id, DL_DECISION_SEIZE, NULL, "no reason given", &error);
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID);
  g_assert_null (v1);
  g_clear_error (&error);
  v2 = dl_case_file_add_verdict (file, id, DL_DECISION_SEIZE, none, NULL, &error);
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID);
  g_assert_null (v2);
  g_clear_error (&error);
  verdicts = dl_case_file_get_verdicts (file, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (verdicts->len, ==, 0);
  events_after = dl_case_file_get_events (file, id, NULL);
  g_assert_cmpuint (events_after->len, ==, events_before->len);
}

static void
test_content (void)
{
  g_autoptr(DlIdentity) a = person ("alice", "Alice");
  g_autofree char *path = fresh_path ("content.dlcase");
  g_autofree char *scan = write_scan ("content.tif", "pretend TIFF bytes");
  g_autoptr(DlCaseFile) file = dl_case_file_create (path, a, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = dl_case_file_new_case (file, "CSQU3054383", NULL);
  g_autofree char *sid = dl_case_file_add_scan (file, id, scan, TRUE, &error);
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GPtrArray) scans = NULL;
  g_autoptr(DlManifest) m = dl_manifest_new ();
  g_autoptr(DlManifest) back = NULL;
  g_autoptr(DlAnnotations) marks = dl_annotations_new ();
  g_autoptr(DlAnnotations) stored = NULL;
  DlPoint rect[2] = { { 10, 20 }, { 110, 220 } };
  DlPoint arrow[2] = { { 5, 5 }, { 50, 50 } };
  guint arrow_id;

  g_assert_no_error (error);
  scans = dl_case_file_get_scans (file, id, &error);
  g_assert_cmpuint (scans->len, ==, 1);
  g_assert_true (((DlCaseScan *) g_ptr_array_index (scans, 0))->embedded);
  g_assert_cmpuint (((DlCaseScan *) g_ptr_array_index (scans, 0))->size, ==, strlen ("pretend TIFF bytes"));
  image = dl_case_file_get_scan_image (file, sid, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (image, NULL), g_bytes_get_size (image), "pretend TIFF bytes", 18);

  m->message_id = g_strdup ("DL00000042");
  dl_manifest_add_container (m, "CSQU3054383", "42G1", TRUE);
  /* what the reader read past, and a mass not given, stay with the case */
  dl_manifest_add_warning (m, 12, "MEA", 12, 9, "the weight qualifier “AAG” is not G or AAB");
  dl_manifest_add_goods (m, "CSQU3054383", "100630", "Rice", 100, "BG", DL_MANIFEST_NO_MASS);
  dl_manifest_add_goods (m, "CSQU3054383", "100630", "Rice", 10, "BG", 987.654);
  g_assert_true (dl_case_file_set_manifest (file, id, m, &error));
  back = dl_case_file_get_manifest (file, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->message_id, ==, "DL00000042");
  g_assert_cmpuint (back->warnings->len, ==, 1);
  g_assert_cmpuint (((DlManifestWarning *) g_ptr_array_index (back->warnings, 0))->segment, ==, 12);
  g_assert_cmpstr (((DlManifestWarning *) g_ptr_array_index (back->warnings, 0))->tag, ==, "MEA");
  g_assert_false (dl_manifest_goods_has_mass (g_ptr_array_index (back->goods, 0)));
  g_assert_cmpfloat (((DlManifestGoods *) g_ptr_array_index (back->goods, 1))->gross_kg, ==, 987.654);

  dl_annotations_add (marks, DL_ANNOTATION_RECTANGLE, 0, rect, 2, "dense block");
  arrow_id = dl_annotations_add (marks, DL_ANNOTATION_ARROW, 0, arrow, 2, "here");
  g_assert_true (dl_case_file_set_annotations (file, sid, marks, &error));
  stored = dl_case_file_get_annotations (file, sid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dl_annotations_get_n (stored), ==, 2);
  g_assert_cmpstr (dl_annotations_get (stored, 0)->label, ==, "dense block");
  g_assert_cmpfloat (g_array_index (dl_annotations_get (stored, 0)->points, DlPoint, 1).y, ==, 220);
  g_clear_object (&stored);
  /* remove one: one removal event, the other mark unchanged */
  dl_annotations_remove (marks, arrow_id);
  g_assert_true (dl_case_file_set_annotations (file, sid, marks, &error));
  stored = dl_case_file_get_annotations (file, sid, &error);
  g_assert_cmpuint (dl_annotations_get_n (stored), ==, 1);
  {
    g_autoptr(GPtrArray) events = dl_case_file_get_events (file, id, &error);
    g_autoptr(DlVerifyReport) report = dl_case_file_verify (file, &error);
    DlCaseEvent *last = g_ptr_array_index (events, events->len - 1);

    g_assert_cmpstr (last->kind, ==, "annotation-removed");
    g_assert_cmpuint (events->len, ==, 6);
    g_assert_cmpuint (report->problems->len, ==, 0);
  }
}

static void
test_list (void)
{
  g_autoptr(DlIdentity) a = person ("alice", "Alice");
  g_autoptr(DlIdentity) b = person ("bob", "Bob");
  g_autofree char *path = fresh_path ("list.dlcase");
  g_autoptr(DlCaseFile) fa = dl_case_file_create (path, a, NULL);
  g_autoptr(DlCaseFile) fb = NULL;
  g_autoptr(GError) error = NULL;
  const char *titles[] = { "MSKU1234565", "CSQU3054383", "TCNU1234565", "MSCU1234566", "HLXU1234561" };
  char *ids[5];
  DlCaseQuery q = { 0 };
  g_autoptr(GPtrArray) list = NULL;

  for (guint i = 0; i < 5; i++)
    ids[i] = dl_case_file_new_case (fa, titles[i], &error);
  g_assert_no_error (error);
  /* 0: new; 1: awaiting; 2: returned; 3: approved; 4: bob's verdict awaiting */
  g_free (dl_case_file_add_verdict (fa, ids[1], DL_DECISION_CLEAR, NULL, NULL, &error));
  g_free (dl_case_file_add_verdict (fa, ids[2], DL_DECISION_INSPECT, NULL, NULL, &error));
  g_free (dl_case_file_add_verdict (fa, ids[3], DL_DECISION_SEIZE, (const char * const []) { "concealment", NULL }, NULL, &error));
  g_assert_true (dl_case_file_close (fa, NULL));
  fb = dl_case_file_open (path, b, &error);
  g_free (dl_case_file_add_review (fb, ids[2], DL_REVIEW_RETURN, "why?", &error));
  g_free (dl_case_file_add_review (fb, ids[3], DL_REVIEW_APPROVE, NULL, &error));
  g_free (dl_case_file_add_verdict (fb, ids[4], DL_DECISION_RESCAN, NULL, NULL, &error));
  g_assert_no_error (error);

  q.filter = DL_CASE_FILTER_NEW;
  list = dl_case_file_list_cases (fb, &q, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((DlCaseSummary *) g_ptr_array_index (list, 0))->id, ==, ids[0]);
  g_clear_pointer (&list, g_ptr_array_unref);

  q.filter = DL_CASE_FILTER_AWAITING_REVIEW;
  list = dl_case_file_list_cases (fb, &q, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);

  q.filter = DL_CASE_FILTER_RETURNED;
  list = dl_case_file_list_cases (fb, &q, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((DlCaseSummary *) g_ptr_array_index (list, 0))->title, ==, "TCNU1234565");
  g_assert_cmpstr (((DlCaseSummary *) g_ptr_array_index (list, 0))->verdict_author.name, ==, "Alice");
  g_clear_pointer (&list, g_ptr_array_unref);

  /* mine (bob): the case with bob's verdict */
  q.filter = DL_CASE_FILTER_MINE;
  list = dl_case_file_list_cases (fb, &q, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((DlCaseSummary *) g_ptr_array_index (list, 0))->id, ==, ids[4]);
  g_clear_pointer (&list, g_ptr_array_unref);
  q.mine_login = "alice";
  list = dl_case_file_list_cases (fb, &q, &error);
  g_assert_cmpuint (list->len, ==, 4);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* search and sort by title */
  q.filter = DL_CASE_FILTER_ALL;
  q.search = "msku";
  list = dl_case_file_list_cases (fb, &q, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);
  q.search = "U12345";
  q.sort = DL_CASE_SORT_TITLE;
  list = dl_case_file_list_cases (fb, &q, &error);
  g_assert_cmpuint (list->len, ==, 4);
  g_assert_cmpstr (((DlCaseSummary *) g_ptr_array_index (list, 0))->title, ==, "HLXU1234561");
  g_assert_cmpstr (((DlCaseSummary *) g_ptr_array_index (list, 3))->title, ==, "TCNU1234565");
  g_clear_pointer (&list, g_ptr_array_unref);
  q.descending = TRUE;
  list = dl_case_file_list_cases (fb, &q, &error);
  g_assert_cmpstr (((DlCaseSummary *) g_ptr_array_index (list, 0))->title, ==, "TCNU1234565");
  g_clear_pointer (&list, g_ptr_array_unref);

  for (guint i = 0; i < 5; i++)
    g_free (ids[i]);
}

static void
on_damaged (DlCaseFile *file,
            const char *message,
            char      **out)
{
  g_assert_null (*out);
  *out = g_strdup (message);
}

/* dl_case_file_open_checking (): the quick check runs beside the reading;
 * nothing is written before it passed, and a damaged file is reported. */
static void
test_check_beside (void)
{
  g_autoptr(DlIdentity) a = person ("alice", "Alice");
  g_autofree char *path = fresh_path ("checked.dlcase");
  g_autofree char *before = NULL, *after = NULL, *damaged = NULL;
  g_autoptr(DlCaseFile) file = dl_case_file_create (path, a, NULL);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  gsize n_before, n_after;
  char *id;

  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *title = g_strdup_printf ("MSKU%07u", i);

      g_free (dl_case_file_new_case (file, title, &error));
      g_assert_no_error (error);
    }
  g_assert_true (dl_case_file_close (file, NULL));
  g_clear_object (&file);

  /* a sound file: opened, checked, written */
  file = dl_case_file_open_checking (path, a, &error);
  g_assert_no_error (error);
  g_signal_connect (file, "damaged", G_CALLBACK (on_damaged), &damaged);
  list = dl_case_file_list_cases (file, NULL, &error);
  g_assert_cmpuint (list->len, ==, 200);
  id = dl_case_file_new_case (file, "TCNU1234565", &error);
  g_assert_no_error (error);
  g_free (id);
  g_assert_true (dl_case_file_wait_checked (file, &error));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (damaged);
  g_assert_true (dl_case_file_close (file, NULL));
  g_clear_object (&file);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* a damaged one: dl_case_file_open () refuses it; opened with the check
   * beside, it reads, refuses every change and says so */
  fixture_damage_table (path, "events");
  g_assert_true (g_file_get_contents (path, &before, &n_before, NULL));
  file = dl_case_file_open (path, a, &error);
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_CORRUPT);
  g_assert_null (file);
  g_clear_error (&error);

  file = dl_case_file_open_checking (path, a, &error);
  g_assert_no_error (error);
  g_signal_connect (file, "damaged", G_CALLBACK (on_damaged), &damaged);
  list = dl_case_file_list_cases (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 201);
  g_assert_null (dl_case_file_new_case (file, "HLXU1234561", &error));
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "damaged"));
  g_clear_error (&error);
  g_assert_false (dl_case_file_wait_checked (file, NULL));
  while (damaged == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (strstr (damaged, path));
  dl_case_file_close (file, NULL);
  g_clear_object (&file);
  g_assert_true (g_file_get_contents (path, &after, &n_after, NULL));
  /* the same bytes, apart from SQLite's file change counter (header
   * offsets 24 and 92), which the journal mode's switches count */
  g_assert_cmpuint (n_before, ==, n_after);
  g_assert_cmpmem (before, 24, after, 24);
  g_assert_cmpmem (before + 28, 92 - 28, after + 28, 92 - 28);
  g_assert_cmpmem (before + 96, n_before - 96, after + 96, n_after - 96);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("test-case-file-XXXXXX", NULL);

  g_test_add_func ("/case-file/identity", test_identity);
  g_test_add_func ("/case-file/create-open", test_create_open);
  g_test_add_func ("/case-file/refuse", test_refuse);
  g_test_add_func ("/case-file/refuse-schema", test_refuse_schema);
  g_test_add_func ("/case-file/migrate", test_migrate);
  g_test_add_func ("/case-file/bay-plan", test_bay_plan);
  g_test_add_func ("/case-file/four-eyes", test_four_eyes);
  g_test_add_func ("/case-file/supersede", test_supersede);
  g_test_add_func ("/case-file/seize-needs-reason", test_seize_needs_reason);
  g_test_add_func ("/case-file/content", test_content);
  g_test_add_func ("/case-file/list", test_list);
  g_test_add_func ("/case-file/check-beside", test_check_beside);

  status = g_test_run ();
  if (status == 0)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
      (void) system (cmd);
    }
  g_free (tmpdir);
  return status;
}
