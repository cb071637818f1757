/* test-case-crash.c — killing a writer in the middle of its work loses
 * nothing it reported saved and never leaves a broken case file.
 *
 * The test runs itself as the writer (`--writer FILE DIR CASE`): it records
 * verdicts in a loop and prints "saved ID" after each commit.  The test
 * kills it with SIGKILL at random moments, 40 times, then checks the file
 * (SQLite's integrity check, the audit trail) and that every verdict
 * reported saved is in it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dl-case-file.h"

#define N_KILLS 40

static char *tmpdir;

static int
writer (const char *path,
        const char *dir,
        const char *case_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlIdentity) identity = dl_identity_load_from_dir (dir, "writer", "Writer", &error);
  g_autoptr(DlCaseFile) file = identity ? dl_case_file_open (path, identity, &error) : NULL;
  const char *reasons[] = { "density-anomaly", "other", NULL };

  if (file == NULL)
    {
      fprintf (stderr, "writer: %s\n", error->message);
      return 1;
    }
  for (guint i = 0;; i++)
    {
      g_autofree char *text = g_strdup_printf ("verdict %u of process %d", i, (int) getpid ());
      g_autofree char *id = dl_case_file_add_verdict (file, case_id, 1 + i % 4, reasons, text, &error);

      if (id == NULL)
        {
          fprintf (stderr, "writer: %s\n", error->message);
          return 1;
        }
      printf ("saved %s\n", id);
      fflush (stdout);
    }
}

/* Runs one writer, kills it after @acks acknowledgements and @delay_us
 * more, and adds every acknowledged id to @saved. */
static void
run_and_kill (const char *self_exe,
              const char *path,
              const char *dir,
              const char *case_id,
              guint       acks,
              guint       delay_us,
              GHashTable *saved)
{
  const char *argv[] = { self_exe, "--writer", path, dir, case_id, NULL };
  g_autoptr(GError) error = NULL;
  char line[256];
  GPid pid;
  int out, status;
  FILE *fp;
  guint seen = 0;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL,
                            &out, NULL, &error);
  g_assert_no_error (error);
  fp = fdopen (out, "r");
  while (seen < acks && fgets (line, sizeof line, fp))
    {
      g_assert_true (g_str_has_prefix (line, "saved V-") && strchr (line, '\n'));
      *strchr (line, '\n') = '\0';
      g_hash_table_add (saved, g_strdup (line + 6));
      seen++;
    }
  g_assert_cmpuint (seen, ==, acks);
  g_usleep (delay_us);
  kill (pid, SIGKILL);
  /* lines printed before the kill were acknowledged too; a cut-off line is not */
  while (fgets (line, sizeof line, fp))
    if (g_str_has_prefix (line, "saved V-") && strchr (line, '\n'))
      {
        *strchr (line, '\n') = '\0';
        g_hash_table_add (saved, g_strdup (line + 6));
      }
  fclose (fp);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
  g_spawn_close_pid (pid);
}

static void
test_kill_writer (void)
{
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *path = g_build_filename (tmpdir, "crash.dlcase", NULL);
  g_autofree char *dir = g_build_filename (tmpdir, "writer-identity", NULL);
  g_autofree char *case_id = NULL;
  g_autoptr(GHashTable) saved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(DlIdentity) identity = dl_identity_load_from_dir (dir, "writer", "Writer", NULL);
  g_autoptr(DlCaseFile) file = NULL;
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autoptr(DlVerifyReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) present = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key;
  GRand *rand = g_rand_new ();

  g_assert_nonnull (self_exe);
  file = dl_case_file_create (path, identity, &error);
  g_assert_no_error (error);
  case_id = dl_case_file_new_case (file, "CSQU3054383", &error);
  g_assert_true (dl_case_file_close (file, &error));
  g_clear_object (&file);

  for (guint k = 0; k < N_KILLS; k++)
    run_and_kill (self_exe, path, dir, case_id, g_rand_int_range (rand, 1, 12),
                  g_rand_int_range (rand, 0, 4000), saved);
  g_rand_free (rand);
  g_test_message ("%u verdicts acknowledged over %d kills", g_hash_table_size (saved), N_KILLS);

  /* opening runs SQLite's check (and recovers the write-ahead log) */
  file = dl_case_file_open (path, identity, &error);
  g_assert_no_error (error);
  report = dl_case_file_verify (file, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < report->problems->len; i++)
    g_test_message ("%s", ((DlVerifyProblem *) g_ptr_array_index (report->problems, i))->message);
  g_assert_cmpuint (report->problems->len, ==, 0);
  verdicts = dl_case_file_get_verdicts (file, case_id, &error);
  for (guint i = 0; i < verdicts->len; i++)
    g_hash_table_add (present, ((DlVerdict *) g_ptr_array_index (verdicts, i))->id);
  g_hash_table_iter_init (&iter, saved);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (present, key))
      g_error ("verdict %s was reported saved but is lost", (char *) key);
  g_assert_cmpuint (verdicts->len, >=, g_hash_table_size (saved));
  g_assert_true (dl_case_file_close (file, &error));
  g_clear_object (&file);

  /* closed: a plain file that passes the full check of a file from elsewhere */
  file = dl_case_file_open_untrusted (path, &error);
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  int status;

  if (argc == 5 && strcmp (argv[1], "--writer") == 0)
    return writer (argv[2], argv[3], argv[4]);

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("test-case-crash-XXXXXX", NULL);
  g_test_add_func ("/case-file/kill-writer", test_kill_writer);
  status = g_test_run ();
  if (status == 0)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
      (void) system (cmd);
    }
  g_free (tmpdir);
  return status;
}
