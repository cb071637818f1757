/* test-case-monitor.c — long work on a case file (verify, export, import,
 * the verdict list, a report) says how far it is and stops when asked,
 * leaving nothing half done: no export file, no part of an import.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "dl-case-file.h"
#include "case-fixture.h"
#include "dl-report.h"
#include "tiff-fixture.h"

#define N_CASES 60

static char *tmpdir;
static char *source_path;
static char *first_case;

static DlIdentity *
person (const char *login)
{
  return fixture_person (tmpdir, login, login);
}

/* Cases with an embedded scan and a verdict each: a few hundred events. */
static void
make_source (void)
{
  g_autoptr(DlIdentity) me = person ("anna");
  g_autofree char *scan = g_build_filename (tmpdir, "scan.tif", NULL);
  g_autoptr(DlCaseFile) file = NULL;
  g_autoptr(GError) error = NULL;

  source_path = g_build_filename (tmpdir, "source.dlcase", NULL);
  file = dl_case_file_create (source_path, me, &error);
  g_assert_no_error (error);
  g_assert_true (fixture_write_tiff (scan, 400, 200, 1));
  for (guint i = 0; i < N_CASES; i++)
    {
      g_autofree char *title = g_strdup_printf ("MSKU%07u", i);
      g_autofree char *id = dl_case_file_new_case (file, title, &error);

      g_assert_no_error (error);
      g_free (dl_case_file_add_scan (file, id, scan, TRUE, &error));
      g_free (dl_case_file_add_verdict (file, id, DL_DECISION_CLEAR, NULL, NULL, &error));
      g_assert_no_error (error);
      if (i == 0)
        first_case = g_strdup (id);
    }
  g_assert_true (dl_case_file_close (file, &error));
}

typedef struct
{
  GArray       *fractions;
  GCancellable *cancellable;
  double        cancel_at;   /* cancel once this far (> 1: never) */
} Watch;

static void
on_progress (double   fraction,
             gpointer data)
{
  Watch *w = data;

  g_array_append_val (w->fractions, fraction);
  if (fraction >= w->cancel_at)
    g_cancellable_cancel (w->cancellable);
}

static void
watch_init (Watch  *w,
            double  cancel_at)
{
  w->fractions = g_array_new (FALSE, FALSE, sizeof (double));
  w->cancellable = g_cancellable_new ();
  w->cancel_at = cancel_at;
}

static void
watch_clear (Watch *w)
{
  g_array_unref (w->fractions);
  g_object_unref (w->cancellable);
}

/* fractions rise from 0 to 1 in a reasonable number of steps */
static void
assert_whole_progress (Watch *w)
{
  double last = -1;

  g_assert_cmpuint (w->fractions->len, >=, 10);
  g_assert_cmpuint (w->fractions->len, <=, 400);
  for (guint i = 0; i < w->fractions->len; i++)
    {
      double f = g_array_index (w->fractions, double, i);

      g_assert_cmpfloat (f, >=, last);
      g_assert_cmpfloat (f, <=, 1.0);
      last = f;
    }
  g_assert_cmpfloat (last, ==, 1.0);
}

static gboolean
dir_has_part_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (d)))
    if (g_str_has_suffix (name, ".part") || strstr (name, ".part-"))
      return TRUE;
  return FALSE;
}

static void
test_verify (void)
{
  g_autoptr(DlCaseFile) file = dl_case_file_open_untrusted (source_path, NULL);
  g_autoptr(DlVerifyReport) report = NULL;
  g_autoptr(GError) error = NULL;
  Watch w;

  watch_init (&w, 2);
  dl_case_file_set_monitor (file, w.cancellable, on_progress, &w);
  report = dl_case_file_verify (file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->problems->len, ==, 0);
  assert_whole_progress (&w);
  watch_clear (&w);
  g_clear_pointer (&report, dl_verify_report_free);

  /* stopped a third of the way: no report, "cancelled" */
  watch_init (&w, 0.3);
  dl_case_file_set_monitor (file, w.cancellable, on_progress, &w);
  report = dl_case_file_verify (file, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (report);
  g_assert_cmpfloat (g_array_index (w.fractions, double, w.fractions->len - 1), <, 0.5);
  watch_clear (&w);
  g_clear_error (&error);

  /* the monitor ended: the file works as before */
  dl_case_file_set_monitor (file, NULL, NULL, NULL);
  report = dl_case_file_verify (file, &error);
  g_assert_no_error (error);
}

static void
test_export (void)
{
  g_autoptr(DlIdentity) me = person ("anna");
  g_autoptr(DlCaseFile) file = dl_case_file_open (source_path, me, NULL);
  g_autoptr(GPtrArray) cases = dl_case_file_list_cases (file, NULL, NULL);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;
  g_autofree char *out_dir = g_build_filename (tmpdir, "exports", NULL);
  g_autofree char *out = g_build_filename (out_dir, "export.dlcase", NULL);
  g_autoptr(GError) error = NULL;
  Watch w;

  g_assert_cmpint (g_mkdir_with_parents (out_dir, 0700), ==, 0);
  for (guint i = 0; i < cases->len; i++)
    g_strv_builder_add (b, ((DlCaseSummary *) g_ptr_array_index (cases, i))->id);
  ids = g_strv_builder_end (b);

  /* cancelled half way through the copy: no export, no part file */
  watch_init (&w, 0.5);
  dl_case_file_set_monitor (file, w.cancellable, on_progress, &w);
  g_assert_false (dl_case_file_export (file, (const char * const *) ids, out, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_assert_false (dir_has_part_files (out_dir));
  watch_clear (&w);
  g_clear_error (&error);

  /* whole: progress to 1, an export that verifies */
  watch_init (&w, 2);
  dl_case_file_set_monitor (file, w.cancellable, on_progress, &w);
  g_assert_true (dl_case_file_export (file, (const char * const *) ids, out, &error));
  g_assert_no_error (error);
  assert_whole_progress (&w);
  watch_clear (&w);
  g_assert_true (g_file_test (out, G_FILE_TEST_IS_REGULAR));
}

static guint
count_events (DlCaseFile *file)
{
  g_autoptr(DlVerifyReport) report = dl_case_file_verify (file, NULL);

  g_assert_cmpuint (report->problems->len, ==, 0);
  return report->n_events;
}

static void
test_import (void)
{
  g_autoptr(DlIdentity) bob = person ("bob");
  g_autofree char *export = g_build_filename (tmpdir, "exports", "export.dlcase", NULL);
  g_autofree char *target = g_build_filename (tmpdir, "target.dlcase", NULL);
  g_autoptr(DlCaseFile) file = dl_case_file_create (target, bob, NULL);
  g_autoptr(GError) error = NULL;
  guint before, added = 0;
  Watch w;

  g_assert_true (g_file_test (export, G_FILE_TEST_IS_REGULAR));
  g_free (dl_case_file_new_case (file, "TCNU1234565", &error));
  before = count_events (file);

  /* cancelled while copying (the second half): nothing of it stays */
  watch_init (&w, 0.75);
  dl_case_file_set_monitor (file, w.cancellable, on_progress, &w);
  g_assert_false (dl_case_file_import (file, export, &added, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpfloat (g_array_index (w.fractions, double, w.fractions->len - 1), >=, 0.75);
  watch_clear (&w);
  g_clear_error (&error);
  dl_case_file_set_monitor (file, NULL, NULL, NULL);
  g_assert_cmpuint (count_events (file), ==, before);

  /* cancelled while checking the export (the first half) */
  watch_init (&w, 0.2);
  dl_case_file_set_monitor (file, w.cancellable, on_progress, &w);
  g_assert_false (dl_case_file_import (file, export, &added, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpfloat (g_array_index (w.fractions, double, w.fractions->len - 1), <, 0.5);
  watch_clear (&w);
  g_clear_error (&error);

  /* whole */
  watch_init (&w, 2);
  dl_case_file_set_monitor (file, w.cancellable, on_progress, &w);
  g_assert_true (dl_case_file_import (file, export, &added, &error));
  g_assert_no_error (error);
  assert_whole_progress (&w);
  watch_clear (&w);
  dl_case_file_set_monitor (file, NULL, NULL, NULL);
  g_assert_cmpuint (added, >, 3 * N_CASES - 1);
  g_assert_cmpuint (count_events (file), ==, before + added + 1);
}

/* Asked to stop before it starts, every kind of work writes nothing. */
static void
test_cancelled_before (void)
{
  g_autoptr(DlIdentity) me = person ("anna");
  g_autoptr(DlCaseFile) file = dl_case_file_open (source_path, me, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *csv = g_build_filename (tmpdir, "verdicts.csv", NULL);
  g_autofree char *pdf = g_build_filename (tmpdir, "report.pdf", NULL);
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  dl_case_file_set_monitor (file, cancellable, NULL, NULL);
  g_assert_false (dl_case_file_write_csv (file, csv, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (g_file_test (csv, G_FILE_TEST_EXISTS));
  g_assert_false (dl_case_file_write_report (file, first_case, NULL, pdf, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));

  dl_case_file_set_monitor (file, NULL, NULL, NULL);
  g_assert_true (dl_case_file_write_csv (file, csv, &error));
  g_assert_true (dl_case_file_write_report (file, first_case, NULL, pdf, &error));
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("test-case-monitor-XXXXXX", NULL);
  make_source ();

  g_test_add_func ("/case-monitor/verify", test_verify);
  g_test_add_func ("/case-monitor/export", test_export);
  g_test_add_func ("/case-monitor/import", test_import);
  g_test_add_func ("/case-monitor/cancelled-before", test_cancelled_before);
  status = g_test_run ();

  if (g_getenv ("DL_TEST_KEEP") == NULL)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
      (void) !system (cmd);
    }
  g_free (tmpdir);
  g_free (source_path);
  g_free (first_case);
  return status;
}
