/* test-case-chain-check.c — a case file opened for work has its audit
 * chain verified beside the work: an untouched file says nothing, a file
 * changed outside Doorlicht says so ("damaged", naming the file and what
 * failed), the very edit that once fooled verify among them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "dl-case-file.h"
#include "case-fixture.h"

static char *tmpdir;

static void
on_damaged (DlCaseFile *file,
            const char *message,
            gpointer    data)
{
  char **out = data;

  g_free (*out);
  *out = g_strdup (message);
}

/* Opens @path as the app does, lets the chain check finish and returns
 * what "damaged" said (%NULL: nothing). */
static char *
open_and_check (const char *path)
{
  g_autoptr(DlIdentity) me = fixture_person (tmpdir, "carol", "Carol");
  g_autoptr(GError) error = NULL;
  g_autoptr(DlCaseFile) file = dl_case_file_open_checking (path, me, &error);
  char *message = NULL;

  g_assert_no_error (error);
  g_signal_connect (file, "damaged", G_CALLBACK (on_damaged), &message);
  dl_case_file_wait_chain_checked (file);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (dl_case_file_close (file, &error));
  g_assert_no_error (error);
  return message;
}

static char *
make_file (const char *name)
{
  char *path = g_build_filename (tmpdir, name, NULL);

  g_unlink (path);
  fixture_fill_case_file (path, tmpdir);
  return path;
}

static void
test_untouched_says_nothing (void)
{
  g_autofree char *path = make_file ("untouched.dlcase");
  g_autofree char *message = open_and_check (path);

  g_assert_null (message);
}

static void
test_tampered_verdict_said (void)
{
  g_autofree char *path = make_file ("tampered.dlcase");
  g_autofree char *message = NULL;

  /* the edit of issue 14: a seizure made a clearance, and a byte that is not UTF-8 */
  sqlite3_cli (path, "UPDATE verdicts SET decision = 'clear', text = text || CAST (X'FF' AS TEXT);");
  message = open_and_check (path);
  g_assert_nonnull (message);
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, "tampered.dlcase"));
  g_assert_nonnull (strstr (message, "audit trail"));
  g_assert_nonnull (strstr (message, "verdicts"));
}

static void
test_removed_event_said (void)
{
  g_autofree char *path = make_file ("removed.dlcase");
  g_autofree char *message = NULL;

  sqlite3_cli (path, "DELETE FROM events WHERE seq = 2;");
  message = open_and_check (path);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "audit trail"));
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("dl-chain-check-XXXXXX", NULL);
  g_test_add_func ("/case-chain-check/untouched-says-nothing", test_untouched_says_nothing);
  g_test_add_func ("/case-chain-check/tampered-verdict-said", test_tampered_verdict_said);
  g_test_add_func ("/case-chain-check/removed-event-said", test_removed_event_said);
  ret = g_test_run ();
  g_free (tmpdir);
  return ret;
}
