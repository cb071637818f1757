/* test-site-cli.c — `doorlicht-cli case verdict` and `case review` given a
 * postgresql:// URI: the rows written with their signed events, as the
 * connection's login; what a role may not do refused by the database and
 * said without the password.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

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

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  site_fixture_setup ("test_site_cli");
  g_test_add_func ("/site-cli/verdict-and-review", test_verdict_and_review);
  status = g_test_run ();
  site_fixture_teardown ();
  return status;
}
