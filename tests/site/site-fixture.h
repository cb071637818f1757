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
