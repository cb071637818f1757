/* test-site-open.c — connecting to the site store: no message quotes a
 * password; dl_site_init () makes the schema and roles once however often
 * it runs; dl_site_grant () makes people's logins.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dl-site.h"
#include "dl-site-private.h"
#include "site-fixture.h"

#define SECRET "hunter2-not-to-be-shown"

static void
test_describe (void)
{
  const char * const inputs[] = {
    "postgresql://ana:" SECRET "@db.example:5433/site?sslmode=require",
    "host=db.example port=5433 dbname=site user=ana password=" SECRET,
    "postgres://ana:" SECRET "@db.example:5433/site",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autofree char *shown = dl_site_describe_target (inputs[i]);

      g_assert_nonnull (shown);
      g_assert_null (strstr (shown, SECRET));
      g_assert_nonnull (strstr (shown, "host=db.example"));
      g_assert_nonnull (strstr (shown, "port=5433"));
      g_assert_nonnull (strstr (shown, "dbname=site"));
      g_assert_nonnull (strstr (shown, "user=ana"));
    }
  /* libpq's own message would quote the broken part: nothing is said */
  g_assert_null (dl_site_describe_target ("host=db.example password " SECRET));
  g_assert_null (dl_site_describe_target ("postgresql://ana:" SECRET "@db.example/site?nosuchoption=1"));
}

static void
test_refused_without_password (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSite) site = NULL;

  site = dl_site_open ("host=db.example password " SECRET, &error);
  g_assert_null (site);
  g_assert_error (error, DL_SITE_ERROR, DL_SITE_ERROR_URI);
  g_assert_null (strstr (error->message, SECRET));
  g_clear_error (&error);

  /* no server there: the address is said, the password is not */
  site = dl_site_open ("host=/nonexistent/doorlicht-socket user=ana dbname=site password=" SECRET, &error);
  g_assert_null (site);
  g_assert_error (error, DL_SITE_ERROR, DL_SITE_ERROR_CONNECT);
  g_assert_nonnull (strstr (error->message, "/nonexistent/doorlicht-socket"));
  g_assert_null (strstr (error->message, SECRET));
}

static void
test_refused_by_server (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSite) site = NULL;
  g_autofree char *uri = NULL;

  if (!site_fixture_have_cluster ())
    return;
  uri = g_strdup_printf ("host=%s user=%s dbname=no_such_database password=%s", site_fixture.host,
                         site_fixture.admin, SECRET);
  site = dl_site_open (uri, &error);
  g_assert_null (site);
  g_assert_error (error, DL_SITE_ERROR, DL_SITE_ERROR_CONNECT);
  g_assert_nonnull (strstr (error->message, "no_such_database"));
  g_assert_null (strstr (error->message, SECRET));
}

static DlSite *
open_admin (void)
{
  g_autofree char *uri = site_fixture_conninfo (NULL, NULL);
  g_autoptr(GError) error = NULL;
  DlSite *site = dl_site_open (uri, &error);

  g_assert_no_error (error);
  return site;
}

static char *
admin_value (const char *sql)
{
  PGconn *conn = site_fixture_connect (NULL);
  PGresult *res = PQexec (conn, sql);
  char *value;

  g_assert_cmpint (PQresultStatus (res), ==, PGRES_TUPLES_OK);
  value = PQntuples (res) ? g_strdup (PQgetvalue (res, 0, 0)) : NULL;
  PQclear (res);
  PQfinish (conn);
  return value;
}

static void
test_not_initialised (void)
{
  g_autoptr(DlSite) site = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;

  if (!site_fixture_have_cluster ())
    return;
  site = open_admin ();
  g_assert_false (dl_site_claim (site, NULL, 60, &found, &error));
  g_assert_error (error, DL_SITE_ERROR, DL_SITE_ERROR_NOT_INITIALISED);
  g_assert_nonnull (strstr (error->message, "site init"));
}

static void
test_init_twice (void)
{
  g_autoptr(DlSite) site = NULL, again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL, *roles = NULL, *tables = NULL, *tables_after = NULL;

  if (!site_fixture_have_cluster ())
    return;
  site = open_admin ();
  dl_site_init (site, &error);
  g_assert_no_error (error);
  tables = admin_value ("SELECT string_agg (tablename, ',' ORDER BY tablename) FROM pg_tables "
                        "WHERE schemaname = 'doorlicht'");
  again = open_admin ();
  g_assert_true (dl_site_init (again, &error));
  g_assert_true (dl_site_init (site, &error));
  g_assert_no_error (error);

  version = admin_value ("SELECT version FROM doorlicht.version");
  g_assert_cmpstr (version, ==, G_STRINGIFY (DL_SITE_SCHEMA_VERSION));
  g_assert_cmpstr (admin_value ("SELECT count (*) FROM doorlicht.version"), ==, "1");
  tables_after = admin_value ("SELECT string_agg (tablename, ',' ORDER BY tablename) FROM pg_tables "
                              "WHERE schemaname = 'doorlicht'");
  g_assert_cmpstr (tables, ==, tables_after);
  g_assert_nonnull (strstr (tables, "events"));
  g_assert_nonnull (strstr (tables, "reviews"));
  /* the three groups exist, none may log in */
  roles = admin_value ("SELECT string_agg (rolname || ':' || rolcanlogin, ',' ORDER BY rolname) FROM pg_roles "
                       "WHERE rolname LIKE 'doorlicht\\_%'");
  g_assert_cmpstr (roles, ==, "doorlicht_analyst:false,doorlicht_auditor:false,doorlicht_supervisor:false");
}

static void
test_grant (void)
{
  g_autoptr(DlSite) site = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ana = site_fixture_name ("ana");
  g_autofree char *odd = site_fixture_name ("o\"dd; DROP ROLE x");
  g_autofree char *sql = NULL;

  if (!site_fixture_have_cluster ())
    return;
  site = open_admin ();
  g_assert_true (dl_site_init (site, &error));
  g_assert_true (dl_site_grant (site, ana, DL_SITE_ROLE_ANALYST, &error));
  g_assert_true (dl_site_grant (site, ana, DL_SITE_ROLE_ANALYST, &error));
  g_assert_true (dl_site_grant (site, odd, DL_SITE_ROLE_AUDITOR, &error));
  g_assert_no_error (error);
  sql = g_strdup_printf ("SELECT rolcanlogin AND pg_has_role (rolname, 'doorlicht_analyst', 'MEMBER') "
                         "AND NOT pg_has_role (rolname, 'doorlicht_supervisor', 'MEMBER') "
                         "FROM pg_roles WHERE rolname = '%s'", ana);
  g_assert_cmpstr (admin_value (sql), ==, "t");
  g_free (sql);
  sql = g_strdup_printf ("SELECT count (*) FROM pg_roles WHERE rolname = 'o\"dd; DROP ROLE x_%d'", (int) getpid ());
  g_assert_cmpstr (admin_value (sql), ==, "1");

  g_assert_false (dl_site_grant (site, "doorlicht_analyst", DL_SITE_ROLE_SUPERVISOR, &error));
  g_assert_error (error, DL_SITE_ERROR, DL_SITE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (dl_site_grant (site, "", DL_SITE_ROLE_ANALYST, &error));
  g_assert_error (error, DL_SITE_ERROR, DL_SITE_ERROR_INVALID);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  site_fixture_setup ("test_site_open");
  g_test_add_func ("/site/describe", test_describe);
  g_test_add_func ("/site/refused-without-password", test_refused_without_password);
  g_test_add_func ("/site/refused-by-server", test_refused_by_server);
  g_test_add_func ("/site/not-initialised", test_not_initialised);
  g_test_add_func ("/site/init-twice", test_init_twice);
  g_test_add_func ("/site/grant", test_grant);
  status = g_test_run ();
  site_fixture_teardown ();
  return status;
}
