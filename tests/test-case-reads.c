/* test-case-reads.c — a read of the case file that SQLite stops part-way
 * (busy, an input/output error, a damaged page) is an error in words,
 * never a shorter list, an absent verdict or "there is no such case".
 *
 * White-box: the test reaches the file's own connection (dl-case-private.h)
 * and stops one chosen statement with SQLite's progress handler
 * (SQLITE_INTERRUPT), after it has run @after virtual-machine steps, so
 * the stop falls in the middle of the rows (or, with 0, at its start).
 * Every such stop goes through the same check as a busy or an I/O error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "case-fixture.h"
#include "dl-case-private.h"

static char *tmpdir;

typedef struct
{
  const char *target;    /* a part of the statement's SQL */
  int         after;     /* its VM steps (counted at the end of each sqlite3_step ()) before it is stopped */
  gboolean    stopped;
} Stop;

static sqlite3 *current_db;

static int
on_progress_db (void *data)
{
  Stop *stop = data;

  for (sqlite3_stmt *s = sqlite3_next_stmt (current_db, NULL); s; s = sqlite3_next_stmt (current_db, s))
    if (sqlite3_stmt_busy (s) && strstr (sqlite3_sql (s), stop->target)
        && sqlite3_stmt_status (s, SQLITE_STMTSTATUS_VM_STEP, FALSE) >= stop->after)
      {
        stop->stopped = TRUE;
        return 1;
      }
  return 0;
}

static void
stop_statement (DlCaseFile *file,
                Stop       *stop)
{
  current_db = file->db;
  sqlite3_progress_handler (file->db, 1, stop ? on_progress_db : NULL, stop);
}

/* A file with one case of 30 verdicts, 6 scans and 12 marks. */
static DlCaseFile *
make_file (const char *name,
           char      **case_id,
           char      **scan_id)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autofree char *image = g_build_filename (tmpdir, "image.bin", NULL);
  g_autoptr(DlIdentity) me = fixture_person (tmpdir, "ana", "Ana Lyst");
  g_autoptr(GError) error = NULL;
  g_autoptr(DlAnnotations) marks = dl_annotations_new ();
  DlCaseFile *file = dl_case_file_create (path, me, &error);
  const DlPoint rect[] = { { 1, 2 }, { 30, 40 } };

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (image, "not an image, hashed only", -1, NULL));
  *case_id = dl_case_file_new_case (file, "CSQU3054383", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 6; i++)
    {
      g_free (*scan_id);
      *scan_id = dl_case_file_add_scan (file, *case_id, image, FALSE, &error);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *text = g_strdup_printf ("verdict %u", i);
      g_autofree char *id = dl_case_file_add_verdict (file, *case_id, DL_DECISION_INSPECT, NULL, text, &error);

      g_assert_no_error (error);
      g_assert_nonnull (id);
    }
  for (guint i = 0; i < 12; i++)
    dl_annotations_add (marks, DL_ANNOTATION_RECTANGLE, 0, rect, 2, "mark");
  g_assert_true (dl_case_file_set_annotations (file, *scan_id, marks, &error));
  g_assert_no_error (error);
  return file;
}

/* Lists stopped part-way fail; nothing comes back as a shorter list. */
static void
test_lists_stopped (void)
{
  g_autofree char *case_id = NULL, *scan_id = NULL;
  g_autoptr(DlCaseFile) file = make_file ("lists.dlcase", &case_id, &scan_id);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) verdicts = NULL, scans = NULL, events = NULL;
  g_autoptr(DlAnnotations) marks = NULL;
  Stop v = { "FROM verdicts WHERE case_id = ?1 ORDER BY created, rowid", 200, FALSE };
  Stop s = { "FROM scans WHERE case_id = ?1", 60, FALSE };
  Stop e = { "FROM events WHERE ?1 IS NULL", 300, FALSE };
  Stop a = { "FROM annotations WHERE scan_id = ?1 ORDER BY created", 60, FALSE };

  /* undisturbed, all of them */
  verdicts = dl_case_file_get_verdicts (file, case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (verdicts->len, ==, 30);
  g_clear_pointer (&verdicts, g_ptr_array_unref);

  stop_statement (file, &v);
  verdicts = dl_case_file_get_verdicts (file, case_id, &error);
  g_assert_true (v.stopped);
  if (verdicts)
    g_test_message ("verdicts: %u of 30, no error", verdicts->len);
  g_assert_null (verdicts);
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "interrupted"));
  g_clear_error (&error);

  stop_statement (file, &s);
  scans = dl_case_file_get_scans (file, case_id, &error);
  g_assert_true (s.stopped);
  g_assert_null (scans);
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FAILED);
  g_clear_error (&error);

  stop_statement (file, &e);
  events = dl_case_file_get_events (file, NULL, &error);
  g_assert_true (e.stopped);
  g_assert_null (events);
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FAILED);
  g_clear_error (&error);

  stop_statement (file, &a);
  marks = dl_case_file_get_annotations (file, scan_id, &error);
  g_assert_true (a.stopped);
  g_assert_null (marks);
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FAILED);
  g_clear_error (&error);

  stop_statement (file, NULL);
  verdicts = dl_case_file_get_verdicts (file, case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (verdicts->len, ==, 30);
}

/* Single rows: a stopped read is not "none" and not "there is no …". */
static void
test_rows_stopped (void)
{
  g_autofree char *case_id = NULL, *scan_id = NULL;
  g_autoptr(DlCaseFile) file = make_file ("rows.dlcase", &case_id, &scan_id);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlVerdict) verdict = NULL;
  g_autoptr(DlCaseSummary) summary = NULL;
  g_autoptr(DlReview) review = NULL;
  g_autoptr(GBytes) image = NULL, thumbnail = NULL;
  Stop latest = { "FROM verdicts WHERE case_id = ?1 ORDER BY created DESC", 0, FALSE };
  Stop exists = { "SELECT 1 FROM cases WHERE id = ?1", 0, FALSE };
  Stop summary_stop = { "WHERE c.id = ?1", 0, FALSE };
  Stop review_stop = { "FROM reviews WHERE verdict_id = ?1", 0, FALSE };
  Stop image_stop = { "SELECT image, sha256 FROM scans WHERE id = ?1", 0, FALSE };
  Stop thumb_stop = { "FROM thumbnails t", 0, FALSE };

  stop_statement (file, &latest);
  verdict = dl_case_file_get_verdict (file, case_id, &error);
  g_assert_true (latest.stopped);
  g_assert_null (verdict);
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FAILED);
  g_clear_error (&error);

  stop_statement (file, &exists);
  verdict = dl_case_file_get_verdict (file, case_id, &error);
  g_assert_true (exists.stopped);
  g_assert_null (verdict);
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FAILED);
  g_clear_error (&error);

  stop_statement (file, &summary_stop);
  summary = dl_case_file_get_case (file, case_id, &error);
  g_assert_true (summary_stop.stopped);
  g_assert_null (summary);
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FAILED);
  g_clear_error (&error);

  stop_statement (file, NULL);
  verdict = dl_case_file_get_verdict (file, case_id, &error);
  g_assert_no_error (error);
  stop_statement (file, &review_stop);
  review = dl_case_file_get_review (file, verdict->id, &error);
  g_assert_true (review_stop.stopped);
  g_assert_null (review);
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FAILED);
  g_clear_error (&error);

  stop_statement (file, &image_stop);
  image = dl_case_file_get_scan_image (file, scan_id, &error);
  g_assert_true (image_stop.stopped);
  g_assert_null (image);
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FAILED);
  g_clear_error (&error);

  stop_statement (file, &thumb_stop);
  thumbnail = dl_case_file_get_thumbnail (file, scan_id, NULL, NULL, &error);
  g_assert_true (thumb_stop.stopped);
  g_assert_null (thumbnail);
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FAILED);
  g_clear_error (&error);
  stop_statement (file, NULL);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("dl-case-reads-XXXXXX", NULL);
  g_test_add_func ("/case-reads/lists-stopped", test_lists_stopped);
  g_test_add_func ("/case-reads/rows-stopped", test_rows_stopped);
  status = g_test_run ();
  if (status == 0)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
      (void) system (cmd);
    }
  return status;
}
