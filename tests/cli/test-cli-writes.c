/* test-cli-writes.c — every `doorlicht-cli case …` write is whole, and every
 * refusal says what is wrong: a killed `case add` leaves a whole case or
 * none, a failed one leaves no trace; writers wait for each other's locks
 * and say so in words when they cannot; named pipes are refused at once;
 * a file left mid-write is named as such, not as "not a case file".
 *
 * Every run of the command-line tool is bounded (timeout 60 s), so a hang
 * fails the test instead of stopping it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sched.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../tiff-fixture.h"
#include "dl-case-file.h"
#include "dl-manifest.h"

static char *tmpdir;
static char *scan_path;
/* the tests' mounts vanish with the test even when it aborts (a mount
 * namespace of its own, when root) */
static gboolean own_mounts;
/* the bound of one run (timeout(1)), in seconds */
static const char *bound = "60";

typedef struct
{
  int   status;   /* the exit status; 124 when the bound ran out; -1 when killed */
  char *out;
  char *err;
} Run;

static void
run_clear (Run *r)
{
  g_free (r->out);
  g_free (r->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* argv for doorlicht-cli @args, bounded by timeout(1); @env (may be NULL)
 * is added to the environment as NAME=VALUE strings. */
static GStrv
cli_argv (const char * const *args)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  g_strv_builder_add_many (b, "timeout", "-s", "KILL", bound, g_getenv ("DL_CLI"), NULL);
  g_strv_builder_addv (b, (const char **) args);
  return g_strv_builder_end (b);
}

static GStrv
cli_env (const char * const *env)
{
  g_auto(GStrv) base = g_get_environ ();

  for (guint i = 0; env && env[i]; i++)
    {
      g_auto(GStrv) kv = g_strsplit (env[i], "=", 2);
      base = g_environ_setenv (base, kv[0], kv[1], TRUE);
    }
  return g_steal_pointer (&base);
}

static void
run_env (Run                *r,
         const char * const *env,
         const char * const *args)
{
  g_auto(GStrv) argv = cli_argv (args);
  g_auto(GStrv) envp = cli_env (env);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (g_getenv ("DL_CLI"));
  g_assert_true (g_spawn_sync (NULL, argv, envp, G_SPAWN_SEARCH_PATH, NULL, NULL, &r->out, &r->err,
                               &r->status, &error));
  g_assert_no_error (error);
  r->status = WIFEXITED (r->status) ? WEXITSTATUS (r->status) : -1;
}

#define RUN(r, ...) run_env ((r), NULL, (const char * const[]) { __VA_ARGS__, NULL })
#define RUN_ENV(r, env, ...) run_env ((r), (env), (const char * const[]) { __VA_ARGS__, NULL })

static GPid
spawn_env (const char * const *env,
           const char * const *args,
           int                *err_fd)
{
  g_auto(GStrv) argv = cli_argv (args);
  g_auto(GStrv) envp = cli_env (env);
  g_autoptr(GError) error = NULL;
  GPid pid;

  g_assert_true (g_spawn_async_with_pipes (NULL, argv, envp, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
                                           G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, &pid, NULL, NULL, err_fd,
                                           &error));
  g_assert_no_error (error);
  return pid;
}

/* Waits for @pid; returns its exit status and, with @err_fd, its stderr. */
static int
wait_child (GPid   pid,
            int    err_fd,
            char **err)
{
  GString *text = g_string_new (NULL);
  char buf[512];
  gssize n;
  int status;

  while (err_fd >= 0 && (n = read (err_fd, buf, sizeof buf)) > 0)
    g_string_append_len (text, buf, n);
  if (err_fd >= 0)
    close (err_fd);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  if (err)
    *err = g_string_free (text, FALSE);
  else
    g_string_free (text, TRUE);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static gint64
count (const char *path,
       const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static char *
new_case_file (const char *name,
               const char *who)
{
  char *path = g_build_filename (tmpdir, name, NULL);
  g_autofree char *home = g_build_filename (tmpdir, who, NULL);
  g_autofree char *xdg = g_strconcat ("XDG_DATA_HOME=", home, NULL);
  const char *env[] = { xdg, NULL };
  g_auto(Run) r = { 0 };

  RUN_ENV (&r, env, "case", "new", path, "--name", who);
  g_assert_cmpint (r.status, ==, 0);
  return path;
}

static void
assert_verifies (const char *path)
{
  g_auto(Run) r = { 0 };

  RUN (&r, "verify", path);
  if (r.status != 0)
    g_test_message ("%s%s", r.out, r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "All is well."));
}

static char *
write_manifest (const char *name)
{
  char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(DlManifest) m = dl_manifest_new ();
  g_autofree char *json = NULL;

  m->conveyance = g_strdup ("BX-12-TR");
  json = dl_manifest_to_json (m);
  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  return path;
}

/* 1. `case add` killed at random moments: every case in the file has its
 * scan and its manifest, or is not there at all, and the file verifies. */
static void
test_add_killed (void)
{
  g_autofree char *cf = new_case_file ("killed.dlcase", "alice");
  g_autofree char *manifest = write_manifest ("killed-manifest.json");
  g_autofree char *home = g_build_filename (tmpdir, "alice", NULL);
  g_autofree char *xdg = g_strconcat ("XDG_DATA_HOME=", home, NULL);
  const char *env[] = { xdg, NULL };
  const char *args[] = { "case", "add", cf, scan_path, "--embed", "--manifest", manifest, NULL };
  GRand *rand = g_rand_new_with_seed (14);
  guint kills = 0;
  gint64 start = g_get_monotonic_time (), took;

  /* one add undisturbed: how long the kills are spread over */
  wait_child (spawn_env (env, args, NULL), -1, NULL);
  took = MAX (g_get_monotonic_time () - start, 1000);
  for (guint round = 0; round < 60; round++)
    {
      GPid pid = spawn_env (env, args, NULL);

      g_usleep (g_rand_int_range (rand, 0, (gint32) MIN (took, G_MAXINT32)));
      kills += kill (pid, SIGKILL) == 0;
      wait_child (pid, -1, NULL);
    }
  g_rand_free (rand);
  {
    g_autofree char *dir = g_build_filename (tmpdir, "analyst", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(DlIdentity) analyst = dl_identity_load_from_dir (dir, "analyst", "Ana Lyst", &error);
    g_autoptr(DlCaseFile) file = NULL;

    /* a writer rolls back what a killed one left */
    g_assert_no_error (error);
    file = dl_case_file_open (cf, analyst, &error);
    g_assert_no_error (error);
    g_assert_true (dl_case_file_close (file, &error));
  }
  /* counted once a writer has rolled back what the last killed one left:
   * a read-only connection cannot, and said SQLITE_BUSY once */
  g_test_message ("%u kills, %" G_GINT64_FORMAT " whole cases", kills, count (cf, "SELECT count (*) FROM cases"));
  g_assert_cmpint (count (cf, "SELECT count (*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM scans s "
                              "WHERE s.case_id = c.id AND s.image IS NOT NULL)"), ==, 0);
  g_assert_cmpint (count (cf, "SELECT count (*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM manifests m "
                              "WHERE m.case_id = c.id)"), ==, 0);
  assert_verifies (cf);
}

/* 1, 2. A failing add leaves no trace: an image over SQLite's length limit
 * (lowered for the test) is refused in words, and no case is left. */
static void
test_add_fails_whole (void)
{
  g_autofree char *cf = new_case_file ("fails.dlcase", "alice");
  g_autofree char *home = g_build_filename (tmpdir, "alice", NULL);
  g_autofree char *xdg = g_strconcat ("XDG_DATA_HOME=", home, NULL);
  const char *env[] = { xdg, "DOORLICHT_SQLITE_MAX_LENGTH=50000", NULL };
  g_auto(Run) big = { 0 }, again = { 0 }, plain = { 0 };

  RUN_ENV (&big, env, "case", "add", cf, scan_path, "--embed", "--title", "CSQU3054383");
  g_assert_cmpint (big.status, ==, 1);
  g_assert_nonnull (strstr (big.err, "too large to embed"));
  g_assert_nonnull (strstr (big.err, "without --embed"));
  g_assert_cmpint (count (cf, "SELECT count (*) FROM cases"), ==, 0);
  g_assert_cmpint (count (cf, "SELECT count (*) FROM events"), ==, 0);
  RUN_ENV (&again, env, "case", "add", cf, scan_path, "--embed", "--title", "CSQU3054383");
  g_assert_cmpint (again.status, ==, 1);
  g_assert_cmpint (count (cf, "SELECT count (*) FROM cases"), ==, 0);
  /* by reference it fits */
  RUN_ENV (&plain, env, "case", "add", cf, scan_path, "--title", "CSQU3054383");
  g_assert_cmpint (plain.status, ==, 0);
  g_assert_cmpint (count (cf, "SELECT count (*) FROM cases"), ==, 1);
  assert_verifies (cf);
}

/* Holds the write lock of @path (BEGIN IMMEDIATE, or EXCLUSIVE). */
static sqlite3 *
hold_lock (const char *path,
           const char *begin)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, begin, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO meta VALUES ('held', 'by the test')", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  return db;
}

static void
release_lock (sqlite3 *db)
{
  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static char *
added_case (const char *cf,
            const char *who)
{
  g_autofree char *home = g_build_filename (tmpdir, who, NULL);
  g_autofree char *xdg = g_strconcat ("XDG_DATA_HOME=", home, NULL);
  const char *env[] = { xdg, NULL };
  g_auto(Run) r = { 0 };

  RUN_ENV (&r, env, "case", "add", cf, scan_path, "--title", "MSKU9070323");
  g_assert_cmpint (r.status, ==, 0);
  return g_strstrip (g_strdup (r.out));
}

/* 4. A writer waits for another program's lock, then succeeds; past the
 * timeout it says so in words. */
static void
test_lock_waits (void)
{
  g_autofree char *cf = new_case_file ("locked.dlcase", "alice");
  g_autofree char *case_id = added_case (cf, "alice");
  g_autofree char *home = g_build_filename (tmpdir, "alice", NULL);
  g_autofree char *xdg = g_strconcat ("XDG_DATA_HOME=", home, NULL);
  const char *env[] = { xdg, NULL };
  const char *short_env[] = { xdg, "DOORLICHT_BUSY_TIMEOUT_MS=300", NULL };
  const char *args[] = { "case", "verdict", cf, case_id, "clear", NULL };
  const char *modes[] = { "BEGIN IMMEDIATE", "BEGIN EXCLUSIVE" };

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      sqlite3 *db = hold_lock (cf, modes[m]);
      g_autofree char *err = NULL;
      int err_fd = -1;
      GPid pid = spawn_env (env, args, &err_fd);
      int status;

      g_usleep (G_USEC_PER_SEC);
      release_lock (db);
      status = wait_child (pid, err_fd, &err);
      g_test_message ("%s: %s", modes[m], err);
      g_assert_cmpint (status, ==, 0);
    }
  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      sqlite3 *db = hold_lock (cf, modes[m]);
      g_autofree char *err = NULL;
      int err_fd = -1;
      GPid pid = spawn_env (short_env, args, &err_fd);
      int status = wait_child (pid, err_fd, &err);

      release_lock (db);
      g_assert_cmpint (status, ==, 1);
      g_assert_nonnull (strstr (err, "Another program held"));
      g_assert_null (strstr (err, "not a Doorlicht case file"));
    }
  g_assert_cmpint (count (cf, "SELECT count (*) FROM verdicts"), ==, 2);
  assert_verifies (cf);
}

static void
add_analyst_verdict (const char *cf,
                     const char *case_id)
{
  g_autofree char *dir = g_build_filename (tmpdir, "analyst", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlIdentity) analyst = dl_identity_load_from_dir (dir, "analyst", "Ana Lyst", &error);
  g_autoptr(DlCaseFile) file = NULL;
  g_autofree char *id = NULL;

  g_assert_no_error (error);
  file = dl_case_file_open (cf, analyst, &error);
  g_assert_no_error (error);
  id = dl_case_file_add_verdict (file, case_id, DL_DECISION_SEIZE, (const char * const []) { "concealment", NULL }, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dl_case_file_close (file, &error));
}

/* 4. Writers at once: none fails; two reviews of one verdict at once: the
 * loser is told who reviewed it. */
static void
test_writers_at_once (void)
{
  g_autofree char *cf = new_case_file ("many.dlcase", "alice");
  g_autofree char *case_id = added_case (cf, "alice");
  const char *who[] = { "alice", "bob", "carol" };
  char *xdg[3];

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *home = g_build_filename (tmpdir, who[i], NULL);
      xdg[i] = g_strconcat ("XDG_DATA_HOME=", home, NULL);
    }
  for (guint round = 0; round < 12; round++)
    {
      const char *verdict[] = { "case", "verdict", cf, case_id, "inspect", "--name", "Alice", NULL };
      const char *env_a[] = { xdg[0], NULL };
      const char *env_b[] = { xdg[1], NULL };
      const char *env_c[] = { xdg[2], NULL };
      const char *review[] = { "case", "review", cf, case_id, "approve", NULL };
      char *err[4] = { NULL };
      int fd[4] = { -1, -1, -1, -1 };
      GPid pid[4];
      int status[4];

      /* two verdicts at once: both saved */
      pid[0] = spawn_env (env_a, verdict, &fd[0]);
      pid[1] = spawn_env (env_a, verdict, &fd[1]);
      for (guint i = 0; i < 2; i++)
        status[i] = wait_child (pid[i], fd[i], &err[i]);
      for (guint i = 0; i < 2; i++)
        {
          if (status[i] != 0)
            g_test_message ("verdict: %s", err[i]);
          g_assert_cmpint (status[i], ==, 0);
        }
      /* a verdict by another analyst, then two reviews at once: one
       * wins, the other is told in words */
      add_analyst_verdict (cf, case_id);
      pid[2] = spawn_env (env_b, review, &fd[2]);
      pid[3] = spawn_env (env_c, review, &fd[3]);
      for (guint i = 2; i < 4; i++)
        status[i] = wait_child (pid[i], fd[i], &err[i]);
      g_assert_cmpint ((status[2] == 0) + (status[3] == 0), ==, 1);
      for (guint i = 2; i < 4; i++)
        if (status[i] != 0)
          {
            g_assert_null (strstr (err[i], "UNIQUE"));
            g_assert_nonnull (strstr (err[i], "reviewed already"));
          }
      for (guint i = 0; i < 4; i++)
        g_free (err[i]);
    }
  g_assert_cmpint (count (cf, "SELECT count (*) FROM verdicts"), ==, 36);
  g_assert_cmpint (count (cf, "SELECT count (*) FROM reviews"), ==, 12);
  for (guint i = 0; i < 3; i++)
    g_free (xdg[i]);
  assert_verifies (cf);
}

/* 5. A named pipe is refused at once, as what it is, by every opener. */
static void
test_fifo_refused (void)
{
  g_autofree char *cf = new_case_file ("fifo.dlcase", "alice");
  g_autofree char *fifo = g_build_filename (tmpdir, "pipe", NULL);
  g_autofree char *home = g_build_filename (tmpdir, "alice", NULL);
  g_autofree char *xdg = g_strconcat ("XDG_DATA_HOME=", home, NULL);
  const char *env[] = { xdg, NULL };
  g_auto(Run) verify = { 0 }, list = { 0 }, import = { 0 }, scan = { 0 }, manifest = { 0 };
  Run *runs[] = { &verify, &list, &import, &scan, &manifest };

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  RUN_ENV (&verify, env, "verify", fifo);
  RUN_ENV (&list, env, "case", "list", fifo);
  RUN_ENV (&import, env, "case", "import", cf, fifo);
  RUN_ENV (&scan, env, "case", "add", cf, fifo);
  RUN_ENV (&manifest, env, "case", "add", cf, scan_path, "--manifest", fifo);
  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_test_message ("%u: %d %s", i, runs[i]->status, runs[i]->err);
      g_assert_cmpint (runs[i]->status, ==, 1);
      g_assert_nonnull (strstr (runs[i]->err, "named pipe (FIFO)"));
    }
  g_assert_cmpint (count (cf, "SELECT count (*) FROM cases"), ==, 0);
}

/* 5. Every command that reads a scan, a manifest, a calibration, a colour
 * table or a key refuses a named pipe at once (bounded at 20 s: a read
 * waiting on the pipe is killed and fails the test). */
static void
test_fifo_readers (void)
{
  g_autofree char *fifo = g_build_filename (tmpdir, "reader-pipe", NULL);
  g_autofree char *manifest = write_manifest ("fifo-manifest.json");
  g_autofree char *png = g_build_filename (tmpdir, "fifo.png", NULL);
  g_autofree char *colormap = g_strconcat ("colormap:", fifo, NULL);
  g_autofree char *home = g_build_filename (tmpdir, "fifo-key", NULL);
  g_autofree char *key_dir = g_build_filename (home, "doorlicht", "identity", NULL);
  g_autofree char *key = g_build_filename (key_dir, "secret.key", NULL);
  g_autofree char *xdg = g_strconcat ("XDG_DATA_HOME=", home, NULL);
  g_autofree char *cf = g_build_filename (tmpdir, "fifo-key.dlcase", NULL);
  const char *env[] = { xdg, NULL };
  g_auto(Run) info = { 0 }, render = { 0 }, check_scan = { 0 }, check_manifest = { 0 }, calibration = { 0 },
              manifest_cmd = { 0 }, overlay = { 0 }, new_case = { 0 };
  Run *runs[] = { &info, &render, &check_scan, &check_manifest, &calibration, &manifest_cmd, &overlay, &new_case };

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (key_dir, 0700), ==, 0);
  g_assert_cmpint (mkfifo (key, 0600), ==, 0);
  bound = "20";
  RUN (&info, "info", fifo);
  RUN (&render, "render", fifo, "-o", png, "--preset", "full");
  RUN (&check_scan, "check", fifo, manifest);
  RUN (&check_manifest, "check", scan_path, fifo);
  RUN (&calibration, "check", scan_path, manifest, "--calibration", fifo);
  RUN (&manifest_cmd, "manifest", fifo);
  RUN (&overlay, "render", scan_path, "-o", png, "--preset", "full", "--overlay", colormap);
  RUN_ENV (&new_case, env, "case", "new", cf, "--name", "Fifo");
  bound = "60";
  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_test_message ("%u: %d %s", i, runs[i]->status, runs[i]->err);
      g_assert_cmpint (runs[i]->status, >=, 1);
      g_assert_cmpint (runs[i]->status, <=, 2);
      g_assert_nonnull (strstr (runs[i]->err, i == G_N_ELEMENTS (runs) - 1 ? "secret.key" : "reader-pipe"));
      g_assert_nonnull (strstr (runs[i]->err, "named pipe (FIFO)"));
    }
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
}

/* Copies @cf and its journal while a writer is mid-transaction: a file a
 * stopped program left mid-write (a hot journal). */
static char *
make_hot_copy (const char *cf)
{
  char *copy = g_build_filename (tmpdir, "hot.dlcase", NULL);
  g_autofree char *journal = g_strconcat (cf, "-journal", NULL);
  g_autofree char *copy_journal = g_strconcat (copy, "-journal", NULL);
  g_autofree char *bytes = NULL;
  gsize length;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (cf, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA cache_size = 1; BEGIN IMMEDIATE; "
                                     "INSERT INTO meta SELECT 'k' || value, hex (randomblob (3000)) FROM "
                                     "(WITH RECURSIVE c (value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM c "
                                     "WHERE value < 200) SELECT value FROM c)", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (g_file_get_contents (cf, &bytes, &length, NULL));
  g_assert_true (g_file_set_contents (copy, bytes, length, NULL));
  g_clear_pointer (&bytes, g_free);
  g_assert_true (g_file_get_contents (journal, &bytes, &length, NULL));
  g_assert_cmpuint (length, >, 0);
  g_assert_true (g_file_set_contents (copy_journal, bytes, length, NULL));
  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  return copy;
}

/* 3. Read-only commands name a file left mid-write as such, and change
 * nothing; `case recover` makes it readable. */
static void
test_hot_journal (void)
{
  g_autofree char *cf = new_case_file ("whole.dlcase", "alice");
  g_autofree char *case_id = added_case (cf, "alice");
  g_autofree char *other = new_case_file ("other.dlcase", "alice");
  g_autofree char *copy = make_hot_copy (cf);
  g_autofree char *journal = g_strconcat (copy, "-journal", NULL);
  g_autofree char *before = NULL, *after = NULL;
  g_autofree char *home = g_build_filename (tmpdir, "alice", NULL);
  g_autofree char *xdg = g_strconcat ("XDG_DATA_HOME=", home, NULL);
  const char *env[] = { xdg, NULL };
  g_auto(Run) verify = { 0 }, list = { 0 }, import = { 0 }, recover = { 0 };
  Run *runs[] = { &verify, &list, &import };
  gsize n;

  g_assert_true (g_file_get_contents (copy, &before, &n, NULL));
  RUN_ENV (&verify, env, "verify", copy);
  RUN_ENV (&list, env, "case", "list", copy);
  RUN_ENV (&import, env, "case", "import", other, copy);
  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_test_message ("%s", runs[i]->err);
      g_assert_cmpint (runs[i]->status, ==, 1);
      g_assert_nonnull (strstr (runs[i]->err, "mid-write"));
      g_assert_nonnull (strstr (runs[i]->err, "case recover"));
      g_assert_null (strstr (runs[i]->err, "not a Doorlicht case file"));
    }
  g_assert_true (g_file_get_contents (copy, &after, &n, NULL));
  g_assert_cmpstr (before, ==, after);
  g_assert_true (g_file_test (journal, G_FILE_TEST_EXISTS));

  RUN_ENV (&recover, env, "case", "recover", copy);
  g_assert_cmpint (recover.status, ==, 0);
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
  assert_verifies (copy);
}

/* 3. A case file left in write-ahead-log mode on a read-only mount: the
 * commands that only read it say what is wrong and what to do, not
 * "unable to open database file", and change nothing. */
static void
test_wal_read_only_mount (void)
{
  g_autofree char *dir = g_build_filename (tmpdir, "ro", NULL);
  g_autofree char *made = new_case_file ("wal.dlcase", "alice");
  g_autofree char *case_id = added_case (made, "alice");
  g_autofree char *cf = g_build_filename (dir, "wal.dlcase", NULL);
  g_autofree char *home = g_build_filename (tmpdir, "alice", NULL);
  g_autofree char *xdg = g_strconcat ("XDG_DATA_HOME=", home, NULL);
  g_autofree char *bytes = NULL;
  const char *env[] = { xdg, NULL };
  g_auto(Run) verify = { 0 }, list = { 0 };
  Run *runs[] = { &verify, &list };
  gsize n;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  if (getuid () != 0 || !own_mounts || mount ("tmpfs", dir, "tmpfs", 0, "size=8m") != 0)
    {
      g_test_skip ("needs root and a mount namespace of its own for a read-only tmpfs");
      return;
    }
  g_assert_true (g_file_get_contents (made, &bytes, &n, NULL));
  g_assert_true (g_file_set_contents (cf, bytes, n, NULL));
  {
    const char *argv[] = { "sqlite3", cf, "PRAGMA journal_mode = WAL;", NULL };
    int status = 0;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                                 NULL, NULL, NULL, NULL, &status, NULL));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  g_assert_cmpint (mount (NULL, dir, NULL, MS_REMOUNT | MS_RDONLY, NULL), ==, 0);

  RUN_ENV (&verify, env, "verify", cf);
  RUN_ENV (&list, env, "case", "list", cf);
  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_test_message ("%s", runs[i]->err);
      g_assert_cmpint (runs[i]->status, ==, 1);
      g_assert_null (strstr (runs[i]->err, "unable to open database file"));
      g_assert_null (strstr (runs[i]->err, "not a Doorlicht case file"));
      g_assert_nonnull (strstr (runs[i]->err, "write-ahead-log mode"));
      g_assert_nonnull (strstr (runs[i]->err, "nothing was changed"));
    }
  g_assert_cmpint (umount (dir), ==, 0);
  g_rmdir (dir);
}

/* 6. A manifest over the case's cap is refused by its size, before it is
 * read, in good English. */
static void
test_manifest_too_big (void)
{
  g_autofree char *cf = new_case_file ("bigmanifest.dlcase", "alice");
  g_autofree char *big = g_build_filename (tmpdir, "big.json", NULL);
  g_autofree char *text = g_strnfill (5 * 1024 * 1024, ' ');
  g_autofree char *home = g_build_filename (tmpdir, "alice", NULL);
  g_autofree char *xdg = g_strconcat ("XDG_DATA_HOME=", home, NULL);
  const char *env[] = { xdg, NULL };
  g_auto(Run) r = { 0 };

  text[0] = '{';
  text[5 * 1024 * 1024 - 1] = '}';
  g_assert_true (g_file_set_contents (big, text, -1, NULL));
  RUN_ENV (&r, env, "case", "add", cf, scan_path, "--manifest", big);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "is larger than 4194304 bytes"));
  g_assert_null (strstr (r.err, "manifests is"));
  g_assert_cmpint (count (cf, "SELECT count (*) FROM cases"), ==, 0);
}

/* -- a full disk ------------------------------------------------------------ */

typedef struct
{
  char *dir;       /* a small tmpfs, or NULL when it could not be mounted */
  char *filler;
} FullDisk;

static void
full_disk_setup (FullDisk     *d,
                 gconstpointer data)
{
  d->dir = g_build_filename (tmpdir, "full", NULL);
  d->filler = g_build_filename (d->dir, "filler", NULL);
  g_assert_cmpint (g_mkdir_with_parents (d->dir, 0700), ==, 0);
  if (getuid () != 0 || !own_mounts || mount ("tmpfs", d->dir, "tmpfs", 0, "size=2m") != 0)
    g_clear_pointer (&d->dir, g_free);
}

static void
full_disk_teardown (FullDisk     *d,
                    gconstpointer data)
{
  if (d->dir)
    {
      g_assert_cmpint (umount (d->dir), ==, 0);
      g_rmdir (d->dir);
    }
  g_free (d->dir);
  g_free (d->filler);
}

/* Fills the disk, then frees @room bytes of it. */
static void
fill_leaving (FullDisk *d,
              gsize     room)
{
  static const char zeros[65536];
  int fd = open (d->filler, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  off_t size = 0;
  ssize_t n;

  g_assert_cmpint (fd, >=, 0);
  while ((n = write (fd, zeros, sizeof zeros)) > 0)
    size += n;
  g_assert_cmpint (errno, ==, ENOSPC);
  g_assert_cmpint (ftruncate (fd, MAX (0, size - (off_t) room)), ==, 0);
  close (fd);
}

/* What else is in the tmpfs besides the filler and @keep. */
static char *
leftovers (FullDisk   *d,
           const char *keep)
{
  g_autoptr(GDir) dir = g_dir_open (d->dir, 0, NULL);
  g_autoptr(GString) names = g_string_new (NULL);
  const char *name;

  while ((name = g_dir_read_name (dir)))
    if (strcmp (name, "filler") != 0 && g_strcmp0 (name, keep) != 0)
      g_string_append_printf (names, "%s ", name);
  return g_string_free (g_steal_pointer (&names), FALSE);
}

/* The bytes of a case file apart from the two header fields SQLite
 * changes on every open for writing (change counter, version-valid-for). */
static GBytes *
content_of (const char *path)
{
  char *bytes = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &bytes, &length, NULL));
  g_assert_cmpuint (length, >=, 100);
  memset (bytes + 24, 0, 4);
  memset (bytes + 92, 4, 4);
  return g_bytes_new_take (bytes, length);
}

/* 7. `case add` on a disk with too little room, at every amount of room
 * from none to some: it is saved whole (exit 0), or refused in words with
 * the file exactly as it was, no write-ahead log or journal left beside
 * it; then, with room made, the same add succeeds and the file verifies. */
static void
test_add_disk_full (FullDisk     *d,
                    gconstpointer data)
{
  g_autofree char *home = g_build_filename (tmpdir, "alice", NULL);
  g_autofree char *xdg = g_strconcat ("XDG_DATA_HOME=", home, NULL);
  const char *env[] = { xdg, NULL };
  const gsize rooms[] = { 0, 16 << 10, 60 << 10, 120 << 10, 200 << 10, 280 << 10, 360 << 10, 480 << 10,
                          700 << 10, 1200 << 10 };
  g_autofree char *cf = NULL;
  guint refused = 0, saved = 0;
  gint64 cases;

  if (d->dir == NULL)
    {
      g_test_skip ("needs root, a mount namespace of its own and tmpfs to make a full disk");
      return;
    }
  cf = g_build_filename (d->dir, "full.dlcase", NULL);
  {
    g_auto(Run) r = { 0 };

    RUN_ENV (&r, env, "case", "new", cf, "--name", "alice");
    g_assert_cmpint (r.status, ==, 0);
    g_free (added_case (cf, "alice"));
  }
  for (guint i = 0; i < G_N_ELEMENTS (rooms); i++)
    {
      g_auto(Run) add = { 0 };
      g_autoptr(GBytes) before = content_of (cf), after = NULL;
      g_autofree char *left = NULL;

      cases = count (cf, "SELECT count (*) FROM cases");
      fill_leaving (d, rooms[i]);
      RUN_ENV (&add, env, "case", "add", cf, scan_path, "--embed", "--title", "MSCU1234565");
      g_test_message ("%zu bytes free: %d %s", rooms[i], add.status, add.err);
      left = leftovers (d, "full.dlcase");
      g_assert_cmpstr (left, ==, "");
      if (add.status == 0)
        {
          saved++;
          g_assert_cmpint (count (cf, "SELECT count (*) FROM cases"), ==, cases + 1);
        }
      else
        {
          refused++;
          g_assert_cmpint (add.status, ==, 1);
          g_assert_nonnull (strstr (add.err, "full.dlcase"));
          g_assert_nonnull (strstr (add.err, "is full; nothing was changed"));
          after = content_of (cf);
          g_assert_true (g_bytes_equal (before, after));
        }
      g_assert_cmpint (g_unlink (d->filler), ==, 0);
    }
  g_test_message ("%u refused, %u saved", refused, saved);
  g_assert_cmpuint (refused, >, 0);
  g_assert_cmpuint (saved, >, 0);
  {
    g_auto(Run) again = { 0 };

    cases = count (cf, "SELECT count (*) FROM cases");
    RUN_ENV (&again, env, "case", "add", cf, scan_path, "--embed", "--title", "MSCU1234565");
    g_assert_cmpint (again.status, ==, 0);
    g_assert_cmpint (count (cf, "SELECT count (*) FROM cases"), ==, cases + 1);
  }
  assert_verifies (cf);
}

/* 7. `case export` to a disk with too little room leaves no part of the
 * export behind, and says so in words naming the export. */
static void
test_export_disk_full (FullDisk     *d,
                       gconstpointer data)
{
  g_autofree char *cf = NULL, *case_id = NULL, *out = NULL;
  g_autofree char *home = g_build_filename (tmpdir, "alice", NULL);
  g_autofree char *xdg = g_strconcat ("XDG_DATA_HOME=", home, NULL);
  const char *env[] = { xdg, NULL };
  const gsize rooms[] = { 0, 8 << 10, 40 << 10, 100 << 10, 160 << 10, 240 << 10, 320 << 10, 700 << 10,
                          1200 << 10 };
  guint refused = 0;

  if (d->dir == NULL)
    {
      g_test_skip ("needs root, a mount namespace of its own and tmpfs to make a full disk");
      return;
    }
  cf = new_case_file ("export-full.dlcase", "alice");
  out = g_build_filename (d->dir, "out.dlcase", NULL);
  {
    g_auto(Run) r = { 0 };

    RUN_ENV (&r, env, "case", "add", cf, scan_path, "--embed", "--title", "MSCU1234565");
    g_assert_cmpint (r.status, ==, 0);
    case_id = g_strstrip (g_strdup (r.out));
  }
  for (guint i = 0; i < G_N_ELEMENTS (rooms); i++)
    {
      g_auto(Run) r = { 0 };
      g_autofree char *left = NULL;

      fill_leaving (d, rooms[i]);
      RUN_ENV (&r, env, "case", "export", cf, "--cases", case_id, "-o", out);
      g_test_message ("%zu bytes free: %d %s", rooms[i], r.status, r.err);
      if (r.status == 0)
        {
          assert_verifies (out);
          g_assert_cmpint (g_unlink (out), ==, 0);
        }
      else
        {
          refused++;
          g_assert_cmpint (r.status, ==, 1);
          g_assert_nonnull (strstr (r.err, "out.dlcase"));
          g_assert_null (strstr (r.err, ".part"));
          g_assert_true (strstr (r.err, "is full") || strstr (r.err, "No space left"));
        }
      left = leftovers (d, NULL);
      g_assert_cmpstr (left, ==, "");
      g_assert_cmpint (g_unlink (d->filler), ==, 0);
    }
  g_assert_cmpuint (refused, >, 0);
  assert_verifies (cf);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  /* before any thread: the full-disk tests' tmpfs is this process's own */
  own_mounts = getuid () == 0 && unshare (CLONE_NEWNS) == 0
               && mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0;
  tmpdir = g_dir_make_tmp ("dl-cli-writes-XXXXXX", NULL);
  scan_path = g_build_filename (tmpdir, "scan.tif", NULL);
  g_assert_true (fixture_write_tiff (scan_path, 257, 131, 2));

  g_test_add_func ("/cli-writes/add-killed", test_add_killed);
  g_test_add_func ("/cli-writes/add-fails-whole", test_add_fails_whole);
  g_test_add_func ("/cli-writes/lock-waits", test_lock_waits);
  g_test_add_func ("/cli-writes/writers-at-once", test_writers_at_once);
  g_test_add_func ("/cli-writes/fifo-refused", test_fifo_refused);
  g_test_add_func ("/cli-writes/fifo-readers", test_fifo_readers);
  g_test_add_func ("/cli-writes/hot-journal", test_hot_journal);
  g_test_add_func ("/cli-writes/wal-read-only-mount", test_wal_read_only_mount);
  g_test_add_func ("/cli-writes/manifest-too-big", test_manifest_too_big);
  g_test_add ("/cli-writes/add-disk-full", FullDisk, NULL, full_disk_setup, test_add_disk_full, full_disk_teardown);
  g_test_add ("/cli-writes/export-disk-full", FullDisk, NULL, full_disk_setup, test_export_disk_full,
              full_disk_teardown);
  status = g_test_run ();
  if (status == 0)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
      (void) system (cmd);
    }
  return status;
}
