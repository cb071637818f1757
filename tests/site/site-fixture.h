/* site-fixture.h — the throwaway PostgreSQL cluster of the site tests.
 *
 * build-aux/pg-test-cluster starts it (build-aux/check does, around the
 * suite `site`) and says where: DL_SITE_TEST_HOST, the folder of its Unix
 * socket, and DL_SITE_TEST_USER, its superuser.  Without them every test
 * skips.  Each test program works in a database of its own, made at the
 * start and dropped at the end; the group and login roles it makes are
 * the cluster's (PostgreSQL's roles are not per database), so their
 * names carry the program's process id.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <libpq-fe.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct
{
  char *host;
  char *admin;
  char *dbname;
} SiteFixture;

static SiteFixture site_fixture;

/* %FALSE (the test skipped) when there is no cluster. */
static inline gboolean
site_fixture_have_cluster (void)
{
  if (site_fixture.host == NULL)
    {
      g_test_skip ("no PostgreSQL test cluster (DL_SITE_TEST_HOST unset; see build-aux/pg-test-cluster)");
      return FALSE;
    }
  return TRUE;
}

/* A conninfo string as @user (%NULL: the superuser) to the test's
 * database (@dbname %NULL) or another. */
static inline char *
site_fixture_conninfo (const char *user,
                       const char *dbname)
{
  return g_strdup_printf ("host=%s user=%s dbname=%s", site_fixture.host,
                          user ? user : site_fixture.admin,
                          dbname ? dbname : site_fixture.dbname);
}

static inline PGconn *
site_fixture_connect (const char *user)
{
  g_autofree char *conninfo = site_fixture_conninfo (user, NULL);
  PGconn *conn = PQconnectdb (conninfo);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("cannot connect as %s: %s", user ? user : "admin", PQerrorMessage (conn));
  return conn;
}

static inline void
site_fixture_admin_exec (const char *sql)
{
  g_autofree char *conninfo = site_fixture_conninfo (NULL, "postgres");
  PGconn *conn = PQconnectdb (conninfo);
  PGresult *res;

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("cannot connect to the test cluster: %s", PQerrorMessage (conn));
  res = PQexec (conn, sql);
  if (PQresultStatus (res) != PGRES_COMMAND_OK && PQresultStatus (res) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  PQclear (res);
  PQfinish (conn);
}

/* @sql run as the superuser on the test's database; it must work. */
static inline void
site_fixture_sql (const char *sql)
{
  PGconn *conn = site_fixture_connect (NULL);
  PGresult *res = PQexec (conn, sql);

  if (PQresultStatus (res) != PGRES_COMMAND_OK && PQresultStatus (res) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  PQclear (res);
  PQfinish (conn);
}

/* The first value of @sql (with $1 = @param) as the superuser on the
 * test's database, or %NULL (no row, or SQL NULL). */
static inline char *
site_fixture_value (const char *sql,
                    const char *param)
{
  PGconn *conn = site_fixture_connect (NULL);
  const char *params[] = { param };
  PGresult *res = PQexecParams (conn, sql, param ? 1 : 0, NULL, params, NULL, NULL, 0);
  char *value = PQresultStatus (res) == PGRES_TUPLES_OK && PQntuples (res) > 0 && !PQgetisnull (res, 0, 0)
                ? g_strdup (PQgetvalue (res, 0, 0)) : NULL;

  PQclear (res);
  PQfinish (conn);
  return value;
}

/* The SQLSTATE of a statement as run on @conn, "00000" when it worked. */
static inline char *
site_fixture_sqlstate (PGconn     *conn,
                       const char *sql)
{
  PGresult *res = PQexec (conn, sql);
  ExecStatusType status = PQresultStatus (res);
  const char *state = PQresultErrorField (res, PG_DIAG_SQLSTATE);
  char *out = g_strdup (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK ? "00000"
                        : state ? state : "?????");

  if (g_test_verbose () && state)
    g_test_message ("%s → %s %s", sql, state, PQresultErrorMessage (res));
  PQclear (res);
  return out;
}

/* A name unique to this program in the cluster: @prefix_<pid>. */
static inline char *
site_fixture_name (const char *prefix)
{
  return g_strdup_printf ("%s_%d", prefix, (int) getpid ());
}

static inline void
site_fixture_setup (const char *program)
{
  const char *host = g_getenv ("DL_SITE_TEST_HOST");
  g_autofree char *create = NULL;

  if (host == NULL || *host == '\0')
    return;
  site_fixture.host = g_strdup (host);
  site_fixture.admin = g_strdup (g_getenv ("DL_SITE_TEST_USER") ? g_getenv ("DL_SITE_TEST_USER") : "dl_admin");
  site_fixture.dbname = g_strdup_printf ("%s_%d", program, (int) getpid ());
  create = g_strdup_printf ("CREATE DATABASE %s", site_fixture.dbname);
  site_fixture_admin_exec (create);
}

static inline void
site_fixture_teardown (void)
{
  g_autofree char *drop = NULL;

  if (site_fixture.host == NULL)
    return;
  drop = g_strdup_printf ("DROP DATABASE %s WITH (FORCE)", site_fixture.dbname);
  site_fixture_admin_exec (drop);
  g_clear_pointer (&site_fixture.host, g_free);
  g_clear_pointer (&site_fixture.admin, g_free);
  g_clear_pointer (&site_fixture.dbname, g_free);
}

/* A postgresql:// URI for @login (with @password, NULL none) to the
 * database @dbname of the test cluster, over its Unix socket. */
static inline char *
site_fixture_uri (const char *login,
                  const char *password,
                  const char *dbname)
{
  g_autofree char *host = g_uri_escape_string (site_fixture.host, NULL, FALSE);

  if (password == NULL)
    return g_strdup_printf ("postgresql://%s@/%s?host=%s", login, dbname, host);
  return g_strdup_printf ("postgresql://%s:%s@/%s?host=%s", login, password, dbname, host);
}

/* Runs the real doorlicht-cli ($DL_CLI) with @args as a person whose
 * identity lives in @home: its exit status (-1 when it did not exit),
 * what it printed in *@out and said in *@err (whatever they held is
 * freed first). */
static inline int
site_fixture_run_cli (const char         *home,
                      const char * const *args,
                      char              **out,
                      char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "XDG_DATA_HOME", home, TRUE);
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_clear_pointer (out, g_free);
  g_clear_pointer (err, g_free);
  g_ptr_array_add (argv, (char *) g_getenv ("DL_CLI"));
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL, out, err,
                               &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}
