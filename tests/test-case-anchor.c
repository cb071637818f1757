/* test-case-anchor.c — removing the newest events together with their rows
 * leaves a whole, shorter chain; the chain head kept on this computer
 * finds it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dl-case-file.h"
#include "case-fixture.h"

static char *tmpdir;

static guint
count_matching (DlVerifyReport *report,
                const char     *needle)
{
  guint n = 0;

  for (guint i = 0; i < report->problems->len; i++)
    {
      DlVerifyProblem *p = g_ptr_array_index (report->problems, i);
      g_test_message ("problem: %s", p->message);
      n += strstr (p->message, needle) != NULL;
    }
  return n;
}

static void
test_truncated_end (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "cases.dlcase", NULL);
  g_autofree char *sqlite = g_find_program_in_path ("sqlite3");
  g_autoptr(GError) error = NULL;
  g_autoptr(DlIdentity) me = NULL;
  g_autoptr(DlCaseFile) file = NULL;
  g_autoptr(DlVerifyReport) before = NULL;
  g_autoptr(DlVerifyReport) after = NULL;
  g_autofree char *case_id = NULL;
  g_autofree char *v1 = NULL;
  g_autofree char *v2 = NULL;
  g_autofree char *sql = NULL;

  if (sqlite == NULL)
    {
      g_test_skip ("needs the sqlite3 program");
      return;
    }

  me = dl_identity_load_default ("Anna", &error);
  g_assert_no_error (error);
  file = dl_case_file_create (path, me, &error);
  g_assert_no_error (error);
  case_id = dl_case_file_new_case (file, "MSKU1234565", &error);
  v1 = dl_case_file_add_verdict (file, case_id, DL_DECISION_INSPECT, NULL, NULL, &error);
  v2 = dl_case_file_add_verdict (file, case_id, DL_DECISION_SEIZE, (const char * const []) { "concealment", NULL }, "after inspection", &error);
  g_assert_no_error (error);
  g_assert_true (dl_case_file_close (file, &error));
  g_clear_object (&file);

  before = dl_case_file_verify_path (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before->problems->len, ==, 0);

  /* someone undoes the seizure: its row and its event, the newest */
  sql = g_strdup_printf ("DELETE FROM verdicts WHERE id = '%s'; "
                         "DELETE FROM events WHERE seq = (SELECT max(seq) FROM events);", v2);
  sqlite3_cli (path, sql);

  after = dl_case_file_verify_path (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_matching (after, "no longer in the file"), ==, 1);
  g_assert_cmpuint (after->n_events, ==, before->n_events - 1);
}

typedef struct
{
  char      *path;
  char      *case_id;
  gint       stop;
  guint      n_written;
} Writer;

/* Commits verdicts into the file until told to stop, each followed by its
 * anchor, as a colleague's Doorlicht does beside a verification. */
static gpointer
write_verdicts (gpointer data)
{
  Writer *w = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlIdentity) me = dl_identity_load_default ("Anna", &error);
  g_autoptr(DlCaseFile) file = NULL;

  g_assert_no_error (error);
  file = dl_case_file_open (w->path, me, &error);
  g_assert_no_error (error);
  while (!g_atomic_int_get (&w->stop))
    {
      g_autofree char *id = dl_case_file_add_verdict (file, w->case_id, DL_DECISION_INSPECT, NULL,
                                                      "again", &error);

      g_assert_no_error (error);
      g_atomic_int_inc (&w->n_written);
    }
  g_assert_true (dl_case_file_close (file, &error));
  return NULL;
}

/* A verification while another connection commits reads the anchor and the
 * chain as of one moment: no false alarm of events removed. */
static void
test_verify_beside_writer (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "busy.dlcase", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlIdentity) me = dl_identity_load_default ("Anna", &error);
  g_autoptr(DlCaseFile) file = NULL;
  Writer w = { 0 };
  GThread *thread;
  gint64 until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint n_verified = 0, n_alarms = 0;

  g_assert_no_error (error);
  file = dl_case_file_create (path, me, &error);
  g_assert_no_error (error);
  w.path = path;
  w.case_id = dl_case_file_new_case (file, "MSKU1234565", &error);
  g_assert_no_error (error);
  g_assert_true (dl_case_file_close (file, &error));

  thread = g_thread_new ("writer", write_verdicts, &w);
  /* bounded: 200 verifications, or 10 s of them on a slow machine */
  while (n_verified < 200 && g_get_monotonic_time () < until)
    {
      g_autoptr(DlVerifyReport) report = dl_case_file_verify_path (path, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < report->problems->len; i++)
        {
          g_test_message ("verification %u, %u verdicts written: %s", n_verified, g_atomic_int_get (&w.n_written),
                          ((DlVerifyProblem *) g_ptr_array_index (report->problems, i))->message);
          n_alarms++;
        }
      n_verified++;
    }
  g_atomic_int_set (&w.stop, 1);
  g_thread_join (thread);
  g_test_message ("%u verifications beside %u verdicts written", n_verified, w.n_written);
  g_assert_cmpuint (w.n_written, >, 0);
  g_assert_cmpuint (n_alarms, ==, 0);
  g_free (w.case_id);
}

int
main (int argc, char **argv)
{
  g_autofree char *data = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("dl-anchor-XXXXXX", NULL);
  data = g_build_filename (tmpdir, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_test_add_func ("/case-anchor/truncated-end", test_truncated_end);
  g_test_add_func ("/case-anchor/verify-beside-writer", test_verify_beside_writer);
  ret = g_test_run ();
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
    if (system (cmd) != 0)
      g_warning ("could not remove %s", tmpdir);
  }
  return ret;
}
