/* test-site-crash.c — nothing acknowledged is lost when the server and the
 * workstation are killed during writes (issue 19, point 5), on a cluster
 * of this test's own (build-aux/pg-test-cluster start, crash, restart).
 *
 * A workstation (site-outbox-writer: the window's outbox) records a
 * verdict on each of N_CASES cases, one at a time.  After CRASH_AT the
 * server is killed (-9, with its backends) and the verdicts are kept on
 * the workstation; at RESTART_AT the server comes back; at KILL_AT the
 * workstation itself is killed (-9) with a verdict in flight.  A second
 * workstation on the same outbox folder sends what was kept and records
 * the rest.  Every case then holds exactly one verdict: each one
 * acknowledged ("sent" or "kept") is at the site, none twice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "dl-site.h"
#include "site-fixture.h"

#define N_CASES    300
#define CRASH_AT   60
#define RESTART_AT 100
#define KILL_AT    150

static char *cluster, *keys, *outbox;
static char *case_ids[N_CASES];
static guint n_kept, n_refused;

static void
cluster_do (const char *what)
{
  const char *script = g_getenv ("DL_PG_TEST_CLUSTER");
  const char *argv[] = { script, what, cluster, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
}

static char *
conninfo (const char *user,
          const char *dbname)
{
  return g_strdup_printf ("host=%s user=%s dbname=%s", cluster, user, dbname);
}

static PGconn *
admin (const char *dbname)
{
  g_autofree char *info = conninfo ("dl_admin", dbname);
  PGconn *conn = PQconnectdb (info);

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  return conn;
}

static void
make_site (void)
{
  g_autofree char *admin_info = conninfo ("dl_admin", "crash"), *ana_info = conninfo ("crash_ana", "crash");
  g_autofree char *ana_keys = g_build_filename (keys, "crash_ana", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSite) site = NULL, ana = NULL;
  g_autoptr(DlIdentity) identity = NULL;
  PGconn *conn = admin ("postgres");

  PQclear (PQexec (conn, "CREATE DATABASE crash"));
  PQfinish (conn);
  site = dl_site_open (admin_info, &error);
  g_assert_no_error (error);
  g_assert_true (dl_site_init (site, &error));
  g_assert_true (dl_site_grant (site, "crash_ana", DL_SITE_ROLE_ANALYST, &error));
  ana = dl_site_open (ana_info, &error);
  g_assert_no_error (error);
  identity = dl_identity_load_from_dir (ana_keys, "crash_ana", "crash_ana", &error);
  g_assert_no_error (error);
  dl_site_set_identity (ana, identity);
  for (guint i = 0; i < N_CASES; i++)
    {
      g_autofree char *title = g_strdup_printf ("crash %u", i);

      case_ids[i] = dl_site_new_case (ana, title, &error);
      g_assert_no_error (error);
    }
}

typedef struct
{
  GPid  pid;
  FILE *in, *out;
} Writer;

static void
writer_start (Writer *w)
{
  g_autofree char *info = conninfo ("crash_ana", "crash");
  g_autofree char *ana_keys = g_build_filename (keys, "crash_ana", NULL);
  const char *argv[] = { g_getenv ("DL_SITE_OUTBOX_WRITER"), info, "crash_ana", ana_keys, outbox, NULL };
  g_autoptr(GError) error = NULL;
  int in_fd, out_fd;

  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                           &w->pid, &in_fd, &out_fd, NULL, &error));
  g_assert_no_error (error);
  w->in = fdopen (in_fd, "w");
  w->out = fdopen (out_fd, "r");
}

/* One case handed over, its line read: "CASE sent|kept|refused". */
static char *
writer_record (Writer     *w,
               const char *case_id)
{
  char line[160];

  fprintf (w->in, "%s\n", case_id);
  fflush (w->in);
  if (!fgets (line, sizeof line, w->out))
    return NULL;
  return g_strdup (g_strchomp (line));
}

static int
writer_wait (Writer *w)
{
  int status = -1;

  fclose (w->in);
  waitpid (w->pid, &status, 0);
  g_spawn_close_pid (w->pid);
  fclose (w->out);
  return status;
}

static void
note (GHashTable *acknowledged,
      const char *line)
{
  g_auto(GStrv) f = g_strsplit (line, " ", 2);

  g_assert_nonnull (f[1]);
  g_assert_true (g_str_equal (f[1], "sent") || g_str_equal (f[1], "kept") || g_str_equal (f[1], "refused"));
  n_kept += g_str_equal (f[1], "kept");
  n_refused += g_str_equal (f[1], "refused");
  if (!g_str_equal (f[1], "refused"))
    {
      /* no case acknowledged twice */
      g_assert_false (g_hash_table_contains (acknowledged, f[0]));
      g_hash_table_add (acknowledged, g_strdup (f[0]));
    }
}

static void
test_crash (void)
{
  g_autoptr(GHashTable) acknowledged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Writer first = { 0 }, second = { 0 };
  PGconn *conn;
  PGresult *res;
  int status;

  if (!site_fixture_have_cluster ())
    return;
  make_site ();
  writer_start (&first);
  for (guint i = 0; i < KILL_AT; i++)
    {
      g_autofree char *line = writer_record (&first, case_ids[i]);

      g_assert_nonnull (line);
      note (acknowledged, line);
      if (i + 1 == CRASH_AT)
        cluster_do ("crash");
      if (i + 1 == RESTART_AT)
        cluster_do ("restart");
    }
  /* killed with the next verdict in flight: not acknowledged */
  fprintf (first.in, "%s\n", case_ids[KILL_AT]);
  fflush (first.in);
  kill (first.pid, SIGKILL);
  g_assert_true (WIFSIGNALED (writer_wait (&first)));
  g_test_message ("first workstation: %u verdicts acknowledged", g_hash_table_size (acknowledged));

  writer_start (&second);
  for (guint i = KILL_AT; i < N_CASES; i++)
    {
      g_autofree char *line = writer_record (&second, case_ids[i]);

      g_assert_nonnull (line);
      note (acknowledged, line);
    }
  status = writer_wait (&second);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);

  conn = admin ("crash");
  res = PQexec (conn, "SELECT c.id, (SELECT count(*) FROM doorlicht.verdicts v WHERE v.case_id = c.id) "
                      "FROM doorlicht.cases c");
  g_assert_cmpint (PQntuples (res), ==, N_CASES);
  for (int r = 0; r < PQntuples (res); r++)
    {
      if (g_strcmp0 (PQgetvalue (res, r, 1), "1") != 0)
        g_error ("case %s holds %s verdicts", PQgetvalue (res, r, 0), PQgetvalue (res, r, 1));
    }
  g_test_message ("%u verdicts acknowledged, %u of them kept while the server was away; %u refused "
                  "(a verdict in flight when the workstation was killed, sent from its outbox first)", g_hash_table_size (acknowledged),
                  n_kept, n_refused);
  g_assert_cmpuint (n_kept, >=, RESTART_AT - CRASH_AT);
  g_assert_cmpuint (g_hash_table_size (acknowledged), >=, N_CASES - 1);
  PQclear (res);
  PQfinish (conn);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  /* a cluster of its own, beside the suite's (whose presence says the
   * server is installed) */
  if (g_getenv ("DL_SITE_TEST_HOST"))
    {
      site_fixture.host = g_strdup ("own");
      cluster = g_build_filename (g_get_tmp_dir (), "dl-site-crash-XXXXXX", NULL);
      g_assert_nonnull (g_mkdtemp (cluster));
      g_assert_cmpint (g_rmdir (cluster), ==, 0);
      keys = g_dir_make_tmp ("dl-site-crash-keys-XXXXXX", NULL);
      outbox = g_build_filename (keys, "outbox", NULL);
      cluster_do ("start");
    }
  g_test_add_func ("/site-crash/server-and-workstation-killed", test_crash);
  status = g_test_run ();
  if (cluster)
    cluster_do ("stop");
  /* the keys and outbox stay to be looked at when the test failed */
  if (keys && status == 0)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", keys);
      (void) system (cmd);
    }
  return status;
}
