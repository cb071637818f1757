/* test-site-export.c — a site store's export, import, verify and list:
 * an export of one case verifies as a case file and holds that case
 * only; a row changed in it is reported; it imports into a second site
 * once (the second time adds nothing); an analyst cannot import, nor a
 * supervisor write in another's name outside an import; the site's
 * chain verifies, and a row changed behind the triggers is reported; an
 * event that no longer matches its signature stops an export.  Then the
 * same through the real doorlicht-cli.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "dl-annotation.h"
#include "dl-site-export.h"
#include "dl-site-private.h"
#include "site-people.h"

#define PASSWORD "n0t-Sh0wn-pw"

typedef struct
{
  char *ana, *sup;
  char *db_b, *db_c, *db_d;
  char *case1, *case2;
  char *verdict1, *verdict2;
  char *dir;
} World;

static World world;

/* @login's connection to the database @dbname, signing with the identity
 * site_people_open () gives that login. */
static DlSite *
open_on (const char *login,
         const char *dbname)
{
  /* the first opening makes the folder of the logins' keys */
  g_autoptr(DlSite) here = site_people_open (login);
  g_autofree char *uri = site_fixture_conninfo (login, dbname);
  g_autofree char *dir = g_build_filename (site_people_keys, login, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlIdentity) identity = dl_identity_load_from_dir (dir, login, login, &error);
  DlSite *site;

  g_assert_no_error (error);
  site = dl_site_open (uri, &error);
  g_assert_no_error (error);
  dl_site_set_identity (site, identity);
  return site;
}

static void
new_database (const char *dbname)
{
  g_autofree char *create = g_strdup_printf ("CREATE DATABASE %s", dbname);
  g_autofree char *uri = NULL;
  g_autoptr(DlSite) admin = NULL;
  g_autoptr(GError) error = NULL;

  site_fixture_admin_exec (create);
  uri = site_fixture_conninfo (NULL, dbname);
  admin = dl_site_open (uri, &error);
  g_assert_no_error (error);
  g_assert_true (dl_site_init (admin, &error));
}

/* One value as the superuser: the first column of the first row of @sql. */
static char *
admin_value (const char *dbname,
             const char *sql)
{
  g_autofree char *conninfo = site_fixture_conninfo (NULL, dbname);
  PGconn *conn = PQconnectdb (conninfo);
  PGresult *res = PQexec (conn, sql);
  char *value = NULL;

  g_assert_cmpint (PQresultStatus (res), ==, PGRES_TUPLES_OK);
  if (PQntuples (res) > 0)
    value = g_strdup (PQgetvalue (res, 0, 0));
  PQclear (res);
  PQfinish (conn);
  return value;
}

static void
admin_script (const char *dbname,
              const char *sql)
{
  g_autofree char *conninfo = site_fixture_conninfo (NULL, dbname);
  PGconn *conn = PQconnectdb (conninfo);
  PGresult *res = PQexec (conn, sql);

  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  PQclear (res);
  PQfinish (conn);
}

/* A case with a scan and an analyst's verdict, approved by a supervisor. */
static void
decided_case (DlSite     *ana,
              DlSite     *sup,
              const char *title,
              const char *decision,
              char      **case_id,
              char      **verdict)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) image = g_bytes_new (title, strlen (title));
  g_autofree char *scan = NULL, *claimed = NULL, *review = NULL;
  g_autofree char *path = g_build_filename (world.dir, "gone", title, NULL);

  *case_id = dl_site_new_case (ana, title, &error);
  g_assert_no_error (error);
  scan = dl_site_add_scan (ana, *case_id, path, image, &error);
  g_assert_no_error (error);
  g_assert_true (dl_site_claim (ana, NULL, 600, &claimed, &error));
  g_assert_cmpstr (claimed, ==, *case_id);
  *verdict = dl_site_add_verdict (ana, *case_id, decision, NULL, "seen on the site", &error);
  g_assert_no_error (error);
  review = dl_site_add_review (sup, *case_id, "approve", "agreed", &error);
  g_assert_no_error (error);
}

static void
setup_world (void)
{
  g_autoptr(DlSite) ana = NULL, sup = NULL;

  world.ana = site_fixture_name ("xana");
  world.sup = site_fixture_name ("xsup");
  world.db_b = g_strdup_printf ("%s_b", site_fixture.dbname);
  world.db_c = g_strdup_printf ("%s_c", site_fixture.dbname);
  world.db_d = g_strdup_printf ("%s_d", site_fixture.dbname);
  world.dir = g_dir_make_tmp ("site-export-XXXXXX", NULL);
  site_people_grant (world.ana, DL_SITE_ROLE_ANALYST);
  site_people_grant (world.sup, DL_SITE_ROLE_SUPERVISOR);
  new_database (world.db_b);
  new_database (world.db_c);
  ana = site_people_open (world.ana);
  sup = site_people_open (world.sup);
  decided_case (ana, sup, "first container", "inspect", &world.case1, &world.verdict1);
  decided_case (ana, sup, "second container", "clear", &world.case2, &world.verdict2);
}

static gint64
count (sqlite3    *db,
       const char *sql,
       const char *text)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static gboolean
has_problem (DlVerifyReport *report,
             const char     *table,
             const char     *row_id)
{
  for (guint i = 0; i < report->problems->len; i++)
    {
      DlVerifyProblem *p = g_ptr_array_index (report->problems, i);

      g_test_message ("problem: %s", p->message);
      if (g_strcmp0 (p->table, table) == 0 && g_strcmp0 (p->row_id, row_id) == 0)
        return TRUE;
    }
  return FALSE;
}

static char *
export_case1 (const char *name)
{
  g_autoptr(DlSite) sup = site_people_open (world.sup);
  g_autoptr(GError) error = NULL;
  const char *ids[] = { world.case1, NULL };
  char *path = g_build_filename (world.dir, name, NULL);

  g_assert_true (dl_site_export (sup, ids, path, &error));
  g_assert_no_error (error);
  return path;
}

static void
test_export (void)
{
  g_autofree char *path = NULL, *copy = NULL, *tampered = NULL;
  g_autoptr(DlCaseFile) file = NULL, changed = NULL;
  g_autoptr(DlVerifyReport) report = NULL, bad = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *update = NULL;
  sqlite3 *db = NULL;

  if (!site_fixture_have_cluster ())
    return;
  path = export_case1 ("one.dlcase");
  file = dl_case_file_open_untrusted (path, &error);
  g_assert_no_error (error);
  report = dl_case_file_verify (file, &error);
  g_assert_no_error (error);
  g_assert_true (report->exported && report->export_valid);
  g_assert_false (has_problem (report, NULL, NULL));
  g_assert_cmpuint (report->problems->len, ==, 0);
  cases = dl_case_file_list_cases (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cases->len, ==, 1);
  g_assert_cmpstr (((DlCaseSummary *) g_ptr_array_index (cases, 0))->id, ==, world.case1);
  g_clear_object (&file);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (count (db, "SELECT count (*) FROM verdicts WHERE id = ?1", world.verdict1), ==, 1);
  g_assert_cmpint (count (db, "SELECT count (*) FROM scans WHERE case_id = ?1 AND image IS NOT NULL",
                          world.case1), ==, 1);
  g_assert_cmpint (count (db, "SELECT count (*) FROM cases WHERE id = ?1", world.case2), ==, 0);
  g_assert_cmpint (count (db, "SELECT count (*) FROM events WHERE case_id = ?1", world.case2), ==, 0);
  g_assert_cmpint (count (db, "SELECT count (*) FROM reviews WHERE verdict_id = ?1", world.verdict2), ==, 0);
  sqlite3_close (db);

  /* a row changed in the export is reported */
  tampered = g_build_filename (world.dir, "changed.dlcase", NULL);
  {
    g_autofree char *bytes = NULL;
    gsize length = 0;

    g_assert_true (g_file_get_contents (path, &bytes, &length, NULL));
    g_assert_true (g_file_set_contents (tampered, bytes, length, NULL));
  }
  g_assert_cmpint (sqlite3_open (tampered, &db), ==, SQLITE_OK);
  update = g_strdup_printf ("UPDATE verdicts SET decision = 'clear' WHERE id = '%s'", world.verdict1);
  g_assert_cmpint (sqlite3_exec (db, update, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  changed = dl_case_file_open_untrusted (tampered, &error);
  g_assert_no_error (error);
  bad = dl_case_file_verify (changed, &error);
  g_assert_no_error (error);
  g_assert_true (has_problem (bad, "verdicts", world.verdict1));
  g_assert_false (bad->export_valid);
}

static gint64
site_count (const char *dbname,
            const char *sql)
{
  g_autofree char *value = admin_value (dbname, sql);

  return g_ascii_strtoll (value, NULL, 10);
}

static void
test_import (void)
{
  g_autofree char *path = NULL, *rows = NULL, *author = NULL, *insert = NULL, *state = NULL;
  g_autoptr(DlSite) ana = NULL, sup = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 99;

  if (!site_fixture_have_cluster ())
    return;
  path = export_case1 ("to-import.dlcase");

  /* an analyst cannot import */
  ana = open_on (world.ana, world.db_b);
  g_assert_false (dl_site_import (ana, path, &n, &error));
  g_test_message ("analyst: %s", error->message);
  g_assert_error (error, DL_SITE_ERROR, DL_SITE_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (site_count (world.db_b, "SELECT count (*) FROM doorlicht.events"), ==, 0);

  sup = open_on (world.sup, world.db_b);
  g_assert_true (dl_site_import (sup, path, &n, &error));
  g_assert_no_error (error);
  /* the case, its scan, verdict and review */
  g_assert_cmpuint (n, ==, 4);
  rows = g_strdup_printf ("SELECT count (*) FROM doorlicht.verdicts WHERE id = '%s'", world.verdict1);
  g_assert_cmpint (site_count (world.db_b, rows), ==, 1);
  g_free (rows);
  rows = g_strdup_printf ("SELECT count (*) FROM doorlicht.cases WHERE id = '%s'", world.case2);
  g_assert_cmpint (site_count (world.db_b, rows), ==, 0);
  author = g_strdup_printf ("SELECT author_login FROM doorlicht.verdicts WHERE id = '%s'", world.verdict1);
  g_free (rows);
  rows = admin_value (world.db_b, author);
  g_assert_cmpstr (rows, ==, world.ana);
  g_assert_cmpint (site_count (world.db_b, "SELECT count (*) FROM doorlicht.images"), ==, 1);
  g_assert_cmpint (site_count (world.db_b, "SELECT count (*) FROM doorlicht.events WHERE kind = 'import'"), ==, 1);
  g_assert_cmpint (site_count (world.db_b, "SELECT count (*) FROM doorlicht.events"), ==, 5);
  /* the queue follows the imported review */
  g_free (rows);
  rows = g_strdup_printf ("SELECT state FROM doorlicht.queue WHERE case_id = '%s'", world.case1);
  state = admin_value (world.db_b, rows);
  g_assert_cmpstr (state, ==, "done");

  /* again: nothing added */
  g_assert_true (dl_site_import (sup, path, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpint (site_count (world.db_b, "SELECT count (*) FROM doorlicht.events"), ==, 5);

  /* plain SQL: an analyst's import event, and a supervisor's row in
   * another's name outside an import, refused */
  {
    g_autofree char *conninfo = site_fixture_conninfo (world.ana, world.db_b);
    PGconn *conn = PQconnectdb (conninfo);
    g_autofree char *sql = g_strdup_printf ("INSERT INTO doorlicht.events (seq, id, time, author_login, author_name, "
                                            "author_key, kind, payload, content_hash, signature, prev_hash, hash, "
                                            "appender_key, chain_signature) VALUES (6, 'E-x', 0, '%s', 'a', 'k', "
                                            "'import', '{}', 'h', 's', 'p', 'h', 'k', 's')", world.ana);
    g_autofree char *got = site_fixture_sqlstate (conn, sql);

    g_assert_cmpstr (got, ==, "42501");
    PQfinish (conn);
  }
  {
    g_autofree char *conninfo = site_fixture_conninfo (world.sup, world.db_b);
    PGconn *conn = PQconnectdb (conninfo);
    g_autofree char *sql = g_strdup_printf ("INSERT INTO doorlicht.cases (id, title, created, author_login, "
                                            "author_name, author_key) VALUES ('C-x', 'in another name', 0, '%s', "
                                            "'a', 'k')", world.ana);
    g_autofree char *got = site_fixture_sqlstate (conn, sql);

    g_assert_cmpstr (got, ==, "42501");
    PQfinish (conn);
  }
  insert = g_strdup_printf ("SELECT count (*) FROM doorlicht.cases WHERE id = 'C-x'");
  g_assert_cmpint (site_count (world.db_b, insert), ==, 0);

  /* the importing site's chain verifies */
  {
    g_autoptr(DlVerifyReport) report = dl_site_verify (sup, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (report->problems->len, ==, 0);
    g_assert_cmpuint (report->n_events, ==, 5);
    g_assert_cmpuint (report->n_scans_checked, ==, 1);
  }
}

static void
test_verify (void)
{
  g_autoptr(DlSite) sup = NULL;
  g_autoptr(DlVerifyReport) report = NULL, changed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *update = NULL;

  if (!site_fixture_have_cluster ())
    return;
  sup = site_people_open (world.sup);
  report = dl_site_verify (sup, &error);
  g_assert_no_error (error);
  g_assert_false (has_problem (report, NULL, NULL));
  g_assert_cmpuint (report->problems->len, ==, 0);
  /* two cases of a case, a scan, a verdict and a review each */
  g_assert_cmpuint (report->n_events, ==, 8);
  g_assert_cmpuint (report->n_rows, ==, 8);
  g_assert_cmpuint (report->n_scans_checked, ==, 2);

  /* an auditor, with no identity to sign with, checks it as well */
  {
    g_autofree char *aud = site_fixture_name ("xaud");
    g_autofree char *uri = site_fixture_conninfo (aud, NULL);
    g_autoptr(DlSite) auditor = NULL;
    g_autoptr(DlVerifyReport) seen = NULL;

    site_people_grant (aud, DL_SITE_ROLE_AUDITOR);
    auditor = dl_site_open (uri, &error);
    g_assert_no_error (error);
    seen = dl_site_verify (auditor, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (seen->problems->len, ==, 0);
    g_assert_cmpuint (seen->n_events, ==, 8);
    g_assert_cmpstr (seen->chain_head, ==, report->chain_head);
  }

  /* a row changed by the superuser behind the triggers */
  update = g_strdup_printf ("ALTER TABLE doorlicht.verdicts DISABLE TRIGGER USER; "
                            "UPDATE doorlicht.verdicts SET text = 'forged' WHERE id = '%s'; "
                            "ALTER TABLE doorlicht.verdicts ENABLE TRIGGER USER", world.verdict2);
  admin_script (site_fixture.dbname, update);
  changed = dl_site_verify (sup, &error);
  g_assert_no_error (error);
  g_assert_true (has_problem (changed, "verdicts", world.verdict2));
  g_assert_cmpuint (changed->problems->len, ==, 1);

  /* the head the site keeps moved back one event (as if the last were
   * removed), then put right */
  admin_script (site_fixture.dbname, "UPDATE doorlicht.chain_head SET seq = seq - 1");
  {
    g_autoptr(DlVerifyReport) moved = dl_site_verify (sup, &error);

    g_assert_no_error (error);
    g_assert_true (has_problem (moved, "chain_head", NULL));
    g_assert_cmpuint (moved->problems->len, ==, 2);
  }
  admin_script (site_fixture.dbname, "UPDATE doorlicht.chain_head SET seq = seq + 1");
}

/* An event whose payload no longer matches its hash stops an export,
 * naming it, and leaves no file. */
static void
test_export_bad_event (void)
{
  g_autoptr(DlSite) sup = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL, *update = NULL, *event = NULL, *select = NULL;
  const char *ids[] = { world.case2, NULL };

  if (!site_fixture_have_cluster ())
    return;
  select = g_strdup_printf ("SELECT id FROM doorlicht.events WHERE case_id = '%s' AND kind = 'verdict'",
                            world.case2);
  event = admin_value (site_fixture.dbname, select);
  update = g_strdup_printf ("ALTER TABLE doorlicht.events DISABLE TRIGGER USER; "
                            "UPDATE doorlicht.events SET payload = replace (payload, 'clear', 'seize') "
                            "WHERE id = '%s'; ALTER TABLE doorlicht.events ENABLE TRIGGER USER", event);
  admin_script (site_fixture.dbname, update);
  sup = site_people_open (world.sup);
  path = g_build_filename (world.dir, "bad.dlcase", NULL);
  g_assert_false (dl_site_export (sup, ids, path, &error));
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, event));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  {
    g_autoptr(GDir) dir = g_dir_open (world.dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      g_assert_false (g_str_has_prefix (name, "bad.dlcase"));
  }
}

/* A store of schema version 1 (as the Doorlicht before made it) is
 * brought to the current version by dl_site_init (), and takes imports. */
static void
test_migrate_v1 (void)
{
  g_autofree char *create = NULL, *path = NULL, *version = NULL, *policies = NULL;
  g_autoptr(DlSite) admin = NULL, sup = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  const char * const *steps = dl_site_schema_migration (1);
  guint n = 0;

  if (!site_fixture_have_cluster ())
    return;
  create = g_strdup_printf ("CREATE DATABASE %s", world.db_d);
  site_fixture_admin_exec (create);
  admin_script (world.db_d, dl_site_schema_roles ());
  for (guint i = 0; steps[i]; i++)
    admin_script (world.db_d, steps[i]);
  admin_script (world.db_d, "INSERT INTO doorlicht.version (version) VALUES (1)");
  g_assert_cmpint (site_count (world.db_d, "SELECT count (*) FROM pg_policies WHERE policyname = 'imported'"), ==, 0);

  uri = site_fixture_conninfo (NULL, world.db_d);
  admin = dl_site_open (uri, &error);
  g_assert_no_error (error);
  /* a newer workstation on the older store is told to bring it up to date */
  g_assert_null (dl_site_list_cases (admin, NULL, &error));
  g_assert_error (error, DL_SITE_ERROR, DL_SITE_ERROR_NOT_INITIALISED);
  g_assert_nonnull (strstr (error->message, "site init"));
  g_clear_error (&error);
  g_assert_true (dl_site_init (admin, &error));
  g_assert_no_error (error);
  version = admin_value (world.db_d, "SELECT version FROM doorlicht.version");
  g_assert_cmpstr (version, ==, G_STRINGIFY (DL_SITE_SCHEMA_VERSION));
  /* on the ten audited tables and the events */
  g_assert_cmpint (site_count (world.db_d, "SELECT count (*) FROM pg_policies WHERE policyname = 'imported'"), ==, 11);

  path = export_case1 ("to-migrated.dlcase");
  sup = open_on (world.sup, world.db_d);
  g_assert_true (dl_site_import (sup, path, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 4);
}

/* A case made on a workstation, in a case file, exported and imported into
 * the site (after test_migrate_v1: into its store); a mark added and then
 * removed there is refused, for a site never removes a row. */
static void
test_import_local (void)
{
  g_autofree char *keys = NULL, *local = NULL, *scan_path = NULL, *out = NULL, *out2 = NULL, *sql = NULL;
  g_autofree char *case_id = NULL, *scan = NULL, *verdict = NULL, *author = NULL;
  g_autoptr(DlIdentity) identity = NULL;
  g_autoptr(DlCaseFile) file = NULL;
  g_autoptr(DlAnnotations) marks = dl_annotations_new ();
  g_autoptr(DlSite) sup = NULL;
  g_autoptr(DlVerifyReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const DlPoint at = { 10, 20 };
  const char *ids[2] = { NULL, NULL };
  gint64 before;
  guint n = 0, mark;

  if (!site_fixture_have_cluster ())
    return;
  keys = g_build_filename (world.dir, "local-keys", NULL);
  identity = dl_identity_load_from_dir (keys, "local_analyst", "A Workstation Analyst", &error);
  g_assert_no_error (error);
  local = g_build_filename (world.dir, "local.dlcase", NULL);
  file = dl_case_file_create (local, identity, &error);
  g_assert_no_error (error);
  case_id = dl_case_file_new_case (file, "from a workstation", &error);
  g_assert_no_error (error);
  scan_path = g_build_filename (world.dir, "local-scan.bin", NULL);
  g_assert_true (g_file_set_contents (scan_path, "not really an image", -1, NULL));
  scan = dl_case_file_add_scan (file, case_id, scan_path, TRUE, &error);
  g_assert_no_error (error);
  verdict = dl_case_file_add_verdict (file, case_id, DL_DECISION_INSPECT, NULL, "decided locally", &error);
  g_assert_no_error (error);
  ids[0] = case_id;
  out = g_build_filename (world.dir, "local-export.dlcase", NULL);
  g_assert_true (dl_case_file_export (file, ids, out, &error));
  g_assert_no_error (error);

  sup = open_on (world.sup, world.db_d);
  g_assert_true (dl_site_import (sup, out, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);
  sql = g_strdup_printf ("SELECT author_login FROM doorlicht.verdicts WHERE id = '%s'", verdict);
  author = admin_value (world.db_d, sql);
  g_assert_cmpstr (author, ==, "local_analyst");
  report = dl_site_verify (sup, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->problems->len, ==, 0);

  mark = dl_annotations_add (marks, DL_ANNOTATION_TEXT, 0, &at, 1, "look here");
  g_assert_true (dl_case_file_set_annotations (file, scan, marks, &error));
  g_assert_true (dl_annotations_remove (marks, mark));
  g_assert_true (dl_case_file_set_annotations (file, scan, marks, &error));
  g_assert_no_error (error);
  out2 = g_build_filename (world.dir, "local-export-2.dlcase", NULL);
  g_assert_true (dl_case_file_export (file, ids, out2, &error));
  g_assert_no_error (error);
  before = site_count (world.db_d, "SELECT count (*) FROM doorlicht.events");
  g_assert_false (dl_site_import (sup, out2, &n, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, DL_SITE_ERROR, DL_SITE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "never removes"));
  g_assert_cmpint (site_count (world.db_d, "SELECT count (*) FROM doorlicht.events"), ==, before);
  g_assert_cmpint (site_count (world.db_d, "SELECT count (*) FROM doorlicht.annotations"), ==, 0);
}

/* -- through doorlicht-cli ----------------------------------------------------- */

static char *
uri_for (const char *login,
         const char *dbname)
{
  return site_fixture_uri (login, PASSWORD, dbname);
}

static int
run_cli (const char         *home,
         const char * const *args,
         char              **out,
         char              **err)
{
  int status = site_fixture_run_cli (home, args, out, err);

  g_test_message ("%s\n%s", *out, *err);
  g_assert_null (strstr (*out, PASSWORD));
  g_assert_null (strstr (*err, PASSWORD));
  return status;
}

static void
test_cli (void)
{
  g_autofree char *home = NULL, *path = NULL, *uri_a = NULL, *uri_c = NULL, *ana_c = NULL;
  g_autofree char *out = NULL, *err = NULL;

  if (!site_fixture_have_cluster ())
    return;
  home = g_build_filename (world.dir, "home", NULL);
  path = g_build_filename (world.dir, "cli.dlcase", NULL);
  uri_a = uri_for (world.sup, site_fixture.dbname);
  uri_c = uri_for (world.sup, world.db_c);
  ana_c = uri_for (world.ana, world.db_c);
  {
    const char *args[] = { "case", "export", uri_a, "--cases", world.case1, "-o", path, NULL };

    g_assert_cmpint (run_cli (home, args, &out, &err), ==, 0);
  }
  {
    const char *args[] = { "verify", path, NULL };

    g_assert_cmpint (run_cli (home, args, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "valid"));
  }
  {
    const char *args[] = { "case", "import", ana_c, path, NULL };

    g_assert_cmpint (run_cli (home, args, &out, &err), ==, 1);
    g_assert_nonnull (strstr (err, "case import"));
  }
  {
    const char *args[] = { "case", "import", uri_c, path, NULL };

    g_assert_cmpint (run_cli (home, args, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, ": 4"));
    g_assert_cmpint (run_cli (home, args, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, ": 0"));
  }
  {
    const char *args[] = { "case", "list", uri_c, NULL };

    g_assert_cmpint (run_cli (home, args, &out, &err), ==, 0);
    g_assert_true (g_str_has_prefix (out, world.case1));
    g_assert_nonnull (strstr (out, "first container"));
    g_assert_null (strstr (out, world.case2));
  }
  {
    const char *args[] = { "verify", uri_c, NULL };

    g_assert_cmpint (run_cli (home, args, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "5 "));
  }
  /* site A has the forged verdict row of test_verify */
  {
    const char *args[] = { "verify", uri_a, NULL };

    g_assert_cmpint (run_cli (home, args, &out, &err), ==, 1);
    g_assert_nonnull (strstr (out, world.verdict2));
    g_assert_nonnull (strstr (out, "dbname="));
  }
  /* what still refuses a site, refuses it clearly */
  {
    const char *args[] = { "case", "thumbnails", uri_a, NULL };

    g_assert_cmpint (run_cli (home, args, &out, &err), ==, 1);
    g_assert_nonnull (strstr (err, "case thumbnails"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *drop_b = NULL, *drop_c = NULL, *drop_d = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  site_fixture_setup ("test_site_export");
  if (site_fixture.host)
    setup_world ();
  g_test_add_func ("/site-export/export", test_export);
  g_test_add_func ("/site-export/import", test_import);
  g_test_add_func ("/site-export/verify", test_verify);
  g_test_add_func ("/site-export/export-bad-event", test_export_bad_event);
  g_test_add_func ("/site-export/cli", test_cli);
  g_test_add_func ("/site-export/migrate-v1", test_migrate_v1);
  g_test_add_func ("/site-export/import-local", test_import_local);
  status = g_test_run ();
  if (site_fixture.host)
    {
      drop_b = g_strdup_printf ("DROP DATABASE %s WITH (FORCE)", world.db_b);
      drop_c = g_strdup_printf ("DROP DATABASE %s WITH (FORCE)", world.db_c);
      site_fixture_admin_exec (drop_b);
      site_fixture_admin_exec (drop_c);
      drop_d = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", world.db_d);
      site_fixture_admin_exec (drop_d);
    }
  site_fixture_teardown ();
  return status;
}
