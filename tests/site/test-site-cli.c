/* test-site-cli.c — `doorlicht-cli case verdict`, `case review`, `case add`,
 * `case csv`, `case report`, `case findings` and `case finding` given a postgresql:// URI: the rows written
 * with their signed events, as the connection's login; what a role may
 * not do refused by the database and said without the password; the CSV
 * and the report what a case file of the same cases gives.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "../baplie-fixture.h"
#include "dl-site-export.h"
#include "dl-synth.h"
#include "site-people.h"

#define PASSWORD "n0t-Sh0wn-pw"

/* A URI (not a conninfo string: that is what dispatches to the site) to
 * the test's database as @login over the cluster's socket. */
static char *
uri_for (const char *login)
{
  return site_fixture_uri (login, PASSWORD, site_fixture.dbname);
}

/* Runs the CLI as a person whose identity lives in @home; its exit status,
 * what it printed in *@out and said in *@err, neither of them quoting the
 * password. */
static int
run_cli (const char *home,
         const char *const *args,
         char      **out,
         char      **err)
{
  int status = site_fixture_run_cli (home, args, out, err);

  g_assert_null (strstr (*out, PASSWORD));
  g_assert_null (strstr (*err, PASSWORD));
  return status;
}

/* The column @column of the site's row @id of @table, read as the superuser. */
static char *
site_value (const char *table,
            const char *column,
            const char *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM doorlicht.%s WHERE id = $1", column, table);
  PGconn *conn = site_fixture_connect (NULL);
  const char *params[] = { id };
  PGresult *res = PQexecParams (conn, sql, 1, NULL, params, NULL, NULL, 0);
  char *value = NULL;

  g_assert_cmpint (PQresultStatus (res), ==, PGRES_TUPLES_OK);
  if (PQntuples (res) == 1)
    value = g_strdup (PQgetvalue (res, 0, 0));
  PQclear (res);
  PQfinish (conn);
  return value;
}

static void
test_verdict_and_review (void)
{
  g_autofree char *ana = site_fixture_name ("cana"), *sup = site_fixture_name ("csup");
  g_autofree char *ana_uri = NULL, *sup_uri = NULL, *case_id = NULL, *claimed = NULL;
  g_autofree char *out = NULL, *err = NULL, *verdict = NULL, *value = NULL;
  g_autofree char *home = g_dir_make_tmp ("site-cli-XXXXXX", NULL);
  g_autofree char *ana_home = g_build_filename (home, "ana", NULL), *sup_home = g_build_filename (home, "sup", NULL);
  g_autoptr(DlSite) a = NULL;
  g_autoptr(GError) error = NULL;

  if (!site_fixture_have_cluster ())
    return;
  site_people_grant (ana, DL_SITE_ROLE_ANALYST);
  site_people_grant (sup, DL_SITE_ROLE_SUPERVISOR);
  ana_uri = uri_for (ana);
  sup_uri = uri_for (sup);
  a = site_people_open (ana);
  case_id = dl_site_new_case (a, "decided on the command line", &error);
  g_assert_no_error (error);
  g_assert_true (dl_site_claim (a, NULL, 600, &claimed, &error));
  g_assert_cmpstr (claimed, ==, case_id);

  /* not a decision: a usage error, nothing written */
  {
    const char *args[] = { "case", "verdict", ana_uri, case_id, "maybe", NULL };

    g_assert_cmpint (run_cli (ana_home, args, &out, &err), ==, 2);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *args[] = { "case", "verdict", ana_uri, case_id, "inspect", "--reason", "concealment",
                           "--text", "dense block behind the tyres", NULL };

    g_assert_cmpint (run_cli (ana_home, args, &out, &err), ==, 0);
    g_strchomp (out);
    verdict = g_strdup (out);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  g_assert_true (g_str_has_prefix (verdict, "V-"));
  value = site_value ("verdicts", "decision", verdict);
  g_assert_cmpstr (value, ==, "inspect");
  g_clear_pointer (&value, g_free);
  value = site_value ("verdicts", "author_login", verdict);
  g_assert_cmpstr (value, ==, ana);
  g_clear_pointer (&value, g_free);

  /* an analyst's connection cannot review, least of all its own verdict */
  {
    const char *args[] = { "case", "review", ana_uri, case_id, "approve", NULL };

    g_assert_cmpint (run_cli (ana_home, args, &out, &err), ==, 1);
    g_test_message ("refused: %s", err);
    g_assert_nonnull (strstr (err, "case review"));
    g_assert_nonnull (strstr (err, ana));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  /* a supervisor's can */
  {
    const char *args[] = { "case", "review", sup_uri, case_id, "approve", "--comment", "agreed", NULL };

    g_assert_cmpint (run_cli (sup_home, args, &out, &err), ==, 0);
    g_strchomp (out);
    g_assert_true (g_str_has_prefix (out, "R-"));
    value = site_value ("reviews", "decision", out);
    g_assert_cmpstr (value, ==, "approve");
    g_clear_pointer (&value, g_free);
    value = site_value ("reviews", "author_login", out);
    g_assert_cmpstr (value, ==, sup);
  }
}

/* The first value @sql gives, as the superuser. */
static char *
site_first (const char *sql)
{
  PGconn *conn = site_fixture_connect (NULL);
  PGresult *res = PQexec (conn, sql);
  char *value;

  g_assert_cmpint (PQresultStatus (res), ==, PGRES_TUPLES_OK);
  g_assert_cmpint (PQntuples (res), ==, 1);
  value = g_strdup (PQgetvalue (res, 0, 0));
  PQclear (res);
  PQfinish (conn);
  return value;
}

static int
site_count (const char *sql)
{
  g_autofree char *value = site_first (sql);

  return atoi (value);
}

/* A generator scan of @scene and its manifest in @dir; their paths, its container. */
static void
generate_scene (const char *dir,
                const char *scene,
                guint64     seed,
                char      **tif,
                char      **manifest,
                char      **container)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSynthOutput) out = dl_synth_generate (scene, seed, FALSE, &error);
  g_autofree char *base = NULL;

  g_assert_no_error (error);
  g_assert_true (dl_synth_write (out, dir, &error));
  g_assert_no_error (error);
  base = dl_synth_basename (out);
  *tif = g_strdup_printf ("%s/%s.tif", dir, base);
  *manifest = g_strdup_printf ("%s/%s.manifest.json", dir, base);
  *container = g_strdup (((DlManifestContainer *) g_ptr_array_index (out->manifest->containers, 0))->number);
}

static void
generate (const char *dir,
          guint64     seed,
          char      **tif,
          char      **manifest,
          char      **container)
{
  generate_scene (dir, "mixed", seed, tif, manifest, container);
}

/* The text of the PDF at @path (pdftotext) up to its audit trail (whose
 * chain an export re-chains), without the lines that name where it was
 * made from, when, and the chain head; its words, one space apart. */
/* The report's line naming where the case is kept: "Case file …" or "Site …". */
static gboolean
names_origin (const char *line)
{
  const char *text = line + strspn (line, " ");

  return g_str_has_prefix (text, "Case file ") || g_str_has_prefix (text, "Site ");
}

static char *
report_text (const char *path)
{
  const char *argv[] = { "pdftotext", "-layout", path, "-", NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GString *kept = g_string_new (NULL);
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                               NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] && !strstr (lines[i], "Audit trail"); i++)
    if (names_origin (lines[i]) || strstr (lines[i], "Report date") || strstr (lines[i], "Audit chain head")
        || strstr (lines[i], "Doorlicht case report"))
      {
        /* and the lines its value wraps onto (a long site name): indented past the label */
        gsize indent = strspn (lines[i], " ");

        while (lines[i + 1] && *lines[i + 1] && strspn (lines[i + 1], " ") > indent)
          i++;
      }
    else
      {
        /* where a column's text breaks depends on the page's width */
        g_auto(GStrv) words = g_strsplit_set (lines[i], " \t", -1);

        for (guint w = 0; words[w]; w++)
          if (*words[w])
            g_string_append_printf (kept, "%s ", words[w]);
      }
  return g_string_free (kept, FALSE);
}

/* One analyst's run and what the site holds after it; @expect the exit status. */
static char *
expect_cli (const char         *home,
            const char * const *args,
            int                 expect)
{
  g_autofree char *out = NULL, *err = NULL;
  int status = run_cli (home, args, &out, &err);

  g_test_message ("%s %s: %d %s%s", args[0], args[1], status, out, err);
  g_assert_cmpint (status, ==, expect);
  if (expect != 0)
    g_assert_cmpstr (err, !=, "");
  return expect == 0 ? g_strchomp (g_steal_pointer (&out)) : g_steal_pointer (&err);
}

/* `case add` on a site: the case, scan and manifest with their events in
 * one transaction, as the analyst; bad input refused with nothing added;
 * an auditor refused by the database; then `verify` passes. */
static void
test_add (void)
{
  g_autofree char *ana = site_fixture_name ("aana"), *aud = site_fixture_name ("aaud");
  g_autofree char *home = g_dir_make_tmp ("site-cli-add-XXXXXX", NULL);
  g_autofree char *ana_uri = NULL, *aud_uri = NULL, *tif = NULL, *manifest = NULL, *container = NULL;
  g_autofree char *case_id = NULL, *again = NULL, *msg = NULL, *value = NULL, *sql = NULL;
  g_autofree char *missing = g_build_filename (home, "missing.tif", NULL);
  int events;

  if (!site_fixture_have_cluster ())
    return;
  site_people_grant (ana, DL_SITE_ROLE_ANALYST);
  site_people_grant (aud, DL_SITE_ROLE_AUDITOR);
  ana_uri = uri_for (ana);
  aud_uri = uri_for (aud);
  generate (home, 11, &tif, &manifest, &container);
  events = site_count ("SELECT count (*) FROM doorlicht.events");
  {
    const char *args[] = { "case", "add", ana_uri, tif, "--manifest", manifest, NULL };

    case_id = expect_cli (home, args, 0);
  }
  g_assert_true (g_str_has_prefix (case_id, "C-"));
  value = site_value ("cases", "title", case_id);
  g_assert_cmpstr (value, ==, container);
  g_clear_pointer (&value, g_free);
  value = site_value ("cases", "author_login", case_id);
  g_assert_cmpstr (value, ==, ana);
  sql = g_strdup_printf ("SELECT count (*) FROM doorlicht.scans WHERE case_id = '%s' AND path = '%s' "
                         "AND sha256 IN (SELECT sha256 FROM doorlicht.images)", case_id, tif);
  g_assert_cmpint (site_count (sql), ==, 1);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count (*) FROM doorlicht.manifests WHERE case_id = '%s' AND json LIKE '%%%s%%'",
                         case_id, container);
  g_assert_cmpint (site_count (sql), ==, 1);
  /* a case, a scan, a manifest: three events */
  g_assert_cmpint (site_count ("SELECT count (*) FROM doorlicht.events"), ==, events + 3);

  /* bad input: a case the site lacks, a scan that is not there, a manifest that is none */
  {
    const char *args[] = { "case", "add", ana_uri, tif, "--case", "C-000000000000", NULL };

    msg = expect_cli (home, args, 1);
    g_assert_nonnull (strstr (msg, "C-000000000000"));
    g_clear_pointer (&msg, g_free);
  }
  {
    const char *args[] = { "case", "add", ana_uri, missing, NULL };

    msg = expect_cli (home, args, 1);
    g_assert_nonnull (strstr (msg, "missing.tif"));
    g_clear_pointer (&msg, g_free);
  }
  {
    const char *args[] = { "case", "add", ana_uri, tif, "--manifest", tif, NULL };

    g_free (expect_cli (home, args, 1));
  }
  /* an auditor may not add: the database says no, the password unsaid */
  {
    const char *args[] = { "case", "add", aud_uri, tif, NULL };

    msg = expect_cli (home, args, 1);
    g_assert_nonnull (strstr (msg, "case add"));
    g_assert_nonnull (strstr (msg, aud));
    g_clear_pointer (&msg, g_free);
  }
  g_assert_cmpint (site_count ("SELECT count (*) FROM doorlicht.events"), ==, events + 3);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count (*) FROM doorlicht.cases WHERE author_login IN ('%s', '%s')", ana, aud);
  g_assert_cmpint (site_count (sql), ==, 1);

  /* a bay plan's entry of the manifest's container, kept with a new case */
  {
    g_autoptr(GPtrArray) list = dl_manifest_load_file (manifest, NULL);
    const DlManifestContainer *c = g_ptr_array_index (((DlManifest *) g_ptr_array_index (list, 0))->containers, 0);
    g_autofree char *body = g_strdup_printf (BAPLIE_22_HEADER "LOC+147+0340782::5'\nMEA+AAE+VGM+KGM:14000'\n"
                                             "LOC+9+CNSHA'\nLOC+11+NLRTM'\nRFF+BM:1'\nEQD+CN+%s+%s+++5'\n",
                                             c->number, c->size_type);
    g_autofree char *msg_text = baplie_message ("1", "95B:UN:SMDG22", body, 0);
    g_autofree char *text = baplie_interchange (msg_text, NULL);
    g_autofree char *plan = g_build_filename (home, "plan.edi", NULL);
    g_autofree char *planned = NULL;
    const char *args[] = { "case", "add", ana_uri, tif, "--manifest", manifest, "--bay-plan", plan,
                           "--title", "with its bay plan", NULL };

    g_assert_true (g_file_set_contents (plan, text, -1, NULL));
    planned = expect_cli (home, args, 0);
    g_clear_pointer (&sql, g_free);
    sql = g_strdup_printf ("SELECT count (*) FROM doorlicht.bay_plans b JOIN doorlicht.events e ON e.kind = "
                           "'bay-plan' AND e.case_id = b.case_id WHERE b.case_id = '%s' AND b.json LIKE '%%%s%%' "
                           "AND b.json LIKE '%%14000%%'", planned, container);
    g_assert_cmpint (site_count (sql), ==, 1);
    g_clear_pointer (&value, g_free);
    value = site_value ("cases", "title", planned);
    g_assert_cmpstr (value, ==, "with its bay plan");
  }

  /* a second scan into the same case */
  {
    const char *args[] = { "case", "add", ana_uri, tif, "--case", case_id, NULL };

    again = expect_cli (home, args, 0);
  }
  g_assert_cmpstr (again, ==, case_id);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count (*) FROM doorlicht.scans WHERE case_id = '%s'", case_id);
  g_assert_cmpint (site_count (sql), ==, 2);
  {
    const char *args[] = { "verify", ana_uri, NULL };

    msg = expect_cli (home, args, 0);
    g_assert_nonnull (strstr (msg, "All is well."));
  }
}

/* `case csv` and `case report` on a site: what the same cases give from a
 * case file (a signed export of all of them: the same rows, ids and times). */
static void
test_csv_and_report (void)
{
  g_autofree char *ana = site_fixture_name ("rana"), *sup = site_fixture_name ("rsup");
  g_autofree char *home = g_dir_make_tmp ("site-cli-csv-XXXXXX", NULL);
  g_autofree char *ana_uri = NULL, *tif = NULL, *manifest = NULL, *container = NULL, *claimed = NULL;
  g_autofree char *case_id = NULL, *verdict = NULL, *review = NULL, *msg = NULL, *head = NULL;
  g_autofree char *file = g_build_filename (home, "export.dlcase", NULL);
  g_autofree char *site_csv = g_build_filename (home, "site.csv", NULL);
  g_autofree char *file_csv = g_build_filename (home, "file.csv", NULL);
  g_autofree char *site_pdf = g_build_filename (home, "site.pdf", NULL);
  g_autofree char *file_pdf = g_build_filename (home, "file.pdf", NULL);
  g_autofree char *nowhere = g_build_filename (home, "no-folder", "site.csv", NULL);
  g_autofree char *a = NULL, *b = NULL, *ta = NULL, *tb = NULL;
  g_autoptr(DlSite) an = NULL, su = NULL;
  g_autoptr(GError) error = NULL;

  if (!site_fixture_have_cluster ())
    return;
  site_people_grant (ana, DL_SITE_ROLE_ANALYST);
  site_people_grant (sup, DL_SITE_ROLE_SUPERVISOR);
  ana_uri = uri_for (ana);
  generate (home, 12, &tif, &manifest, &container);
  {
    const char *args[] = { "case", "add", ana_uri, tif, "--manifest", manifest, "--title", "csv, \"quoted\"", NULL };

    case_id = expect_cli (home, args, 0);
  }
  an = site_people_open (ana);
  su = site_people_open (sup);
  /* the case of test_add waits too: claim until this one comes */
  while (g_strcmp0 (claimed, case_id) != 0)
    {
      g_clear_pointer (&claimed, g_free);
      g_assert_true (dl_site_claim (an, NULL, 600, &claimed, &error));
      g_assert_no_error (error);
      g_assert_nonnull (claimed);
    }
  {
    const char *reasons[] = { "concealment", NULL };

    verdict = dl_site_add_verdict (an, case_id, "inspect", reasons, "dense block, tyres", &error);
    g_assert_no_error (error);
  }
  review = dl_site_add_review (su, case_id, "return", "look again at the doors", &error);
  g_assert_no_error (error);
  /* all the site's cases (the other tests' too) */
  {
    g_autofree char *all = site_first ("SELECT string_agg (id, ',') FROM doorlicht.cases");
    g_auto(GStrv) ids = g_strsplit (all, ",", -1);

    g_assert_true (dl_site_export (an, (const char * const *) ids, file, &error));
    g_assert_no_error (error);
  }
  {
    const char *args[] = { "case", "csv", ana_uri, "-o", site_csv, NULL };

    g_free (expect_cli (home, args, 0));
  }
  {
    const char *args[] = { "case", "csv", file, "-o", file_csv, NULL };

    g_free (expect_cli (home, args, 0));
  }
  g_assert_true (g_file_get_contents (site_csv, &a, NULL, NULL));
  g_assert_true (g_file_get_contents (file_csv, &b, NULL, NULL));
  g_test_message ("site's CSV:\n%s", a);
  g_assert_nonnull (strstr (a, verdict));
  g_assert_nonnull (strstr (a, "look again at the doors"));
  g_assert_cmpstr (a, ==, b);

  {
    const char *args[] = { "case", "report", ana_uri, case_id, "-o", site_pdf, NULL };

    g_free (expect_cli (home, args, 0));
  }
  {
    const char *args[] = { "case", "report", file, case_id, "-o", file_pdf, NULL };

    g_free (expect_cli (home, args, 0));
  }
  ta = report_text (site_pdf);
  tb = report_text (file_pdf);
  g_test_message ("site's report:\n%s", ta);
  g_assert_nonnull (strstr (ta, "look again at the doors"));
  g_assert_nonnull (strstr (ta, container));
  g_assert_cmpstr (ta, ==, tb);
  /* it names the site, without the password, and the site's chain head */
  {
    const char *argv[] = { "pdftotext", site_pdf, "-", NULL };
    g_autofree char *all = NULL;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &all, NULL, NULL,
                                 &error));
    head = site_first ("SELECT hash FROM doorlicht.chain_head");
    g_assert_nonnull (strstr (all, head));
    g_assert_nonnull (strstr (all, site_fixture.dbname));
    /* under the label "Site", not "Case file" */
    g_assert_nonnull (strstr (all, "\nSite"));
    g_assert_null (strstr (all, "Case file"));
    g_assert_null (strstr (all, PASSWORD));
  }

  /* bad input: no such case (no file left), a CSV where no folder is */
  {
    g_autofree char *none = g_build_filename (home, "none.pdf", NULL);
    const char *args[] = { "case", "report", ana_uri, "C-000000000000", "-o", none, NULL };

    msg = expect_cli (home, args, 1);
    g_assert_nonnull (strstr (msg, "C-000000000000"));
    g_assert_false (g_file_test (none, G_FILE_TEST_EXISTS));
    g_clear_pointer (&msg, g_free);
  }
  {
    const char *args[] = { "case", "csv", ana_uri, "-o", nowhere, NULL };

    msg = expect_cli (home, args, 1);
    g_assert_nonnull (strstr (msg, "no-folder"));
  }
}

/* `case findings` on a site: what the case file they were imported from
 * lists (the detectors run on the file, a finding confirmed there); then
 * `case finding` at the site, with its event, and `verify`. */
static void
test_findings (void)
{
  g_autofree char *sup = site_fixture_name ("fsup"), *aud = site_fixture_name ("faud"), *aud_uri = NULL;
  g_autofree char *home = g_dir_make_tmp ("site-cli-findings-XXXXXX", NULL);
  g_autofree char *cf = g_build_filename (home, "detect.dlcase", NULL);
  g_autofree char *ex = g_build_filename (home, "detect-export.dlcase", NULL);
  g_autofree char *sup_uri = NULL, *tif = NULL, *manifest = NULL, *container = NULL, *case_id = NULL;
  g_autofree char *listed = NULL, *from_site = NULL, *text = NULL, *site_text = NULL, *msg = NULL;
  g_autofree char *finding = NULL;
  const char *id_at;

  if (!site_fixture_have_cluster ())
    return;
  site_people_grant (sup, DL_SITE_ROLE_SUPERVISOR);
  site_people_grant (aud, DL_SITE_ROLE_AUDITOR);
  sup_uri = uri_for (sup);
  aud_uri = uri_for (aud);
  /* more cargo than declared: a weight finding (test-cli-detect.c) */
  generate_scene (home, "undeclared", 1, &tif, &manifest, &container);
  {
    const char *made[] = { "case", "new", cf, NULL };
    const char *added[] = { "case", "add", cf, tif, "--manifest", manifest, "--embed", NULL };

    g_free (expect_cli (home, made, 0));
    case_id = expect_cli (home, added, 0);
  }
  {
    const char *detected[] = { "case", "detect", cf, case_id, NULL };
    const char *json[] = { "case", "findings", cf, case_id, "--json", NULL };

    g_free (expect_cli (home, detected, 0));
    listed = expect_cli (home, json, 0);
  }
  id_at = strstr (listed, "\"F-");
  g_assert_nonnull (id_at);
  finding = g_strndup (id_at + 1, strcspn (id_at + 1, "\""));
  {
    const char *confirmed[] = { "case", "finding", cf, finding, "--confirm", "--note", "weighed: 8 t", NULL };
    const char *exported[] = { "case", "export", cf, "--cases", case_id, "-o", ex, NULL };
    const char *imported[] = { "case", "import", sup_uri, ex, NULL };

    g_free (expect_cli (home, confirmed, 0));
    g_free (expect_cli (home, exported, 0));
    g_free (expect_cli (home, imported, 0));
  }
  g_clear_pointer (&listed, g_free);
  {
    const char *json[] = { "case", "findings", cf, case_id, "--json", NULL };
    const char *site_json[] = { "case", "findings", sup_uri, case_id, "--json", NULL };
    const char *plain[] = { "case", "findings", cf, case_id, NULL };
    const char *site_plain[] = { "case", "findings", sup_uri, case_id, NULL };

    listed = expect_cli (home, json, 0);
    from_site = expect_cli (home, site_json, 0);
    text = expect_cli (home, plain, 0);
    site_text = expect_cli (home, site_plain, 0);
  }
  g_assert_nonnull (strstr (site_text, "weighed: 8 t"));
  g_assert_cmpstr (from_site, ==, listed);
  g_assert_cmpstr (site_text, ==, text);

  /* a response recorded at the site, with its event; the latest counts */
  {
    const char *dismissed[] = { "case", "finding", sup_uri, finding, "--dismiss", "--note", "a second look", NULL };
    const char *shown[] = { "case", "findings", sup_uri, case_id, NULL };
    const char *missing[] = { "case", "finding", sup_uri, "F-nonesuch", "--confirm", NULL };
    const char *refused[] = { "case", "finding", aud_uri, finding, "--confirm", NULL };
    const char *verified[] = { "verify", sup_uri, NULL };
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM doorlicht.finding_responses r JOIN doorlicht.events e "
                                            "ON e.kind = 'finding-response' AND e.case_id = r.case_id "
                                            "AND e.author_login = r.author_login "
                                            "WHERE r.finding_id = '%s' AND r.author_login = '%s'", finding, sup);

    /* a later second than the confirmation: rows of one second are ordered by id in
     * the site's mirror, not as they came (the site keeps no insertion order) */
    g_usleep (G_USEC_PER_SEC - g_get_real_time () % G_USEC_PER_SEC + 100000);
    g_free (expect_cli (home, dismissed, 0));
    g_clear_pointer (&site_text, g_free);
    site_text = expect_cli (home, shown, 0);
    g_assert_nonnull (strstr (site_text, "a second look"));
    g_assert_null (strstr (site_text, "weighed: 8 t"));
    g_assert_cmpint (site_count (sql), ==, 1);
    msg = expect_cli (home, missing, 1);
    g_assert_nonnull (strstr (msg, "F-nonesuch"));
    g_clear_pointer (&msg, g_free);
    msg = expect_cli (home, refused, 1);
    g_assert_nonnull (strstr (msg, aud));
    g_clear_pointer (&msg, g_free);
    g_assert_cmpint (site_count (sql), ==, 1);
    msg = expect_cli (home, verified, 0);
    g_assert_nonnull (strstr (msg, "All is well."));
    g_clear_pointer (&msg, g_free);
  }
  /* a site that is not there: said, without the password */
  {
    g_autofree char *wrong = site_fixture_uri (sup, PASSWORD, "no_such_database");
    const char *args[] = { "case", "findings", wrong, case_id, NULL };

    msg = expect_cli (home, args, 1);
    g_assert_nonnull (strstr (msg, "case findings"));
  }
}

/* `case detect URI CASE`: the detectors run on the site's case (through a
 * working copy), their findings stored at the site with their events —
 * the same findings as on a case file of the same scan and manifest —
 * and the site's audit chain checks. */
static void
test_detect (void)
{
  g_autofree char *ana = site_fixture_name ("dana"), *home = g_dir_make_tmp ("site-cli-detect-XXXXXX", NULL);
  g_autofree char *cf = g_build_filename (home, "detect.dlcase", NULL);
  g_autofree char *uri = NULL, *tif = NULL, *manifest = NULL, *container = NULL, *case_id = NULL;
  g_autofree char *site_case = NULL, *stored = NULL, *from_site = NULL, *from_file = NULL, *msg = NULL;

  if (!site_fixture_have_cluster ())
    return;
  site_people_grant (ana, DL_SITE_ROLE_ANALYST);
  uri = uri_for (ana);
  generate_scene (home, "undeclared", 2, &tif, &manifest, &container);
  {
    const char *made[] = { "case", "new", cf, NULL };
    const char *added[] = { "case", "add", cf, tif, "--manifest", manifest, "--embed", NULL };
    const char *site_added[] = { "case", "add", uri, tif, "--manifest", manifest, NULL };

    g_free (expect_cli (home, made, 0));
    case_id = expect_cli (home, added, 0);
    site_case = expect_cli (home, site_added, 0);
  }
  {
    const char *detected[] = { "case", "detect", cf, case_id, NULL };
    const char *site_detected[] = { "case", "detect", uri, site_case, NULL };
    const char *listed[] = { "case", "findings", cf, case_id, NULL };
    const char *site_listed[] = { "case", "findings", uri, site_case, NULL };
    const char *verified[] = { "verify", uri, NULL };
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM doorlicht.findings f JOIN doorlicht.events e "
                                            "ON e.kind = 'finding' AND e.case_id = f.case_id WHERE f.case_id = '%s'",
                                            site_case);

    g_free (expect_cli (home, detected, 0));
    stored = expect_cli (home, site_detected, 0);
    g_assert_nonnull (strstr (stored, "stored"));
    from_file = expect_cli (home, listed, 0);
    from_site = expect_cli (home, site_listed, 0);
    g_assert_nonnull (strstr (from_site, "F-"));
    g_assert_cmpint (site_count (sql), >, 0);
    msg = expect_cli (home, verified, 0);
    g_assert_nonnull (strstr (msg, "All is well."));
  }
  /* the same findings, each line but its id */
  {
    g_auto(GStrv) a = g_strsplit (from_file, "\n", -1), b = g_strsplit (from_site, "\n", -1);

    g_assert_cmpuint (g_strv_length (a), ==, g_strv_length (b));
    for (guint i = 0; a[i]; i++)
      g_assert_cmpstr (strchr (a[i], ' ') ? strchr (a[i], ' ') : a[i], ==, strchr (b[i], ' ') ? strchr (b[i], ' ') : b[i]);
  }
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  site_fixture_setup ("test_site_cli");
  g_test_add_func ("/site-cli/verdict-and-review", test_verdict_and_review);
  g_test_add_func ("/site-cli/add", test_add);
  g_test_add_func ("/site-cli/csv-and-report", test_csv_and_report);
  g_test_add_func ("/site-cli/findings", test_findings);
  g_test_add_func ("/site-cli/detect", test_detect);
  status = g_test_run ();
  site_fixture_teardown ();
  return status;
}
