/* test-case-thumbnails.c — the thumbnail cache of the queue: made from the
 * scan (embedded or on disk) and read back, never returned when it was
 * made from another image than the scan's recorded one, reported by verify
 * when stale or planted (the file edited with the sqlite3 program),
 * oversized ones refused, and version 3 files migrated to it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <cairo.h>
#include <glib/gstdio.h>
#include <string.h>

#include "dl-case-file.h"
#include "case-fixture.h"
#include "tiff-fixture.h"

static char *tmpdir;

static DlIdentity *
person (const char *login,
        const char *name)
{
  return fixture_person (tmpdir, login, name);
}

typedef struct
{
  char *path;
  char *case_id;
  char *embedded;   /* scan ids */
  char *on_disk;
} Fixture;

static void
fixture_clear (Fixture *f)
{
  g_free (f->path);
  g_free (f->case_id);
  g_free (f->embedded);
  g_free (f->on_disk);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Fixture, fixture_clear)

/* A case with two 400 × 100 two-channel scans: one embedded, one by path. */
static DlCaseFile *
make_fixture (Fixture    *f,
              const char *name)
{
  g_autoptr(DlIdentity) a = person ("alice", "Alice");
  g_autofree char *tif1 = g_strdup_printf ("%s/%s-1.tif", tmpdir, name);
  g_autofree char *tif2 = g_strdup_printf ("%s/%s-2.tif", tmpdir, name);
  g_autoptr(GError) error = NULL;
  DlCaseFile *file;

  f->path = g_strdup_printf ("%s/%s.dlcase", tmpdir, name);
  g_unlink (f->path);
  g_assert_true (fixture_write_tiff (tif1, 400, 100, 2));
  g_assert_true (fixture_write_tiff (tif2, 90, 300, 1));
  file = dl_case_file_create (f->path, a, &error);
  g_assert_no_error (error);
  f->case_id = dl_case_file_new_case (file, "MSKU9070323", &error);
  f->embedded = dl_case_file_add_scan (file, f->case_id, tif1, TRUE, &error);
  f->on_disk = dl_case_file_add_scan (file, f->case_id, tif2, FALSE, &error);
  g_assert_no_error (error);
  return file;
}

static DlVerifyReport *
verify (DlCaseFile *file)
{
  g_autoptr(GError) error = NULL;
  DlVerifyReport *report = dl_case_file_verify (file, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < report->problems->len; i++)
    g_test_message ("%s", ((DlVerifyProblem *) g_ptr_array_index (report->problems, i))->message);
  return report;
}

static guint
count_problems (DlVerifyReport *report,
                DlVerifyKind    kind,
                const char     *row_id,
                const char     *fragment)
{
  guint n = 0;

  for (guint i = 0; i < report->problems->len; i++)
    {
      DlVerifyProblem *p = g_ptr_array_index (report->problems, i);

      if (p->kind == kind && (!row_id || g_strcmp0 (p->row_id, row_id) == 0)
          && (!fragment || strstr (p->message, fragment)))
        n++;
    }
  return n;
}

typedef struct
{
  const guint8 *data;
  gsize         size, offset;
} PngReader;

static cairo_status_t
read_png (void          *closure,
          unsigned char *data,
          unsigned int   length)
{
  PngReader *r = closure;

  if (r->offset + length > r->size)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, r->data + r->offset, length);
  r->offset += length;
  return CAIRO_STATUS_SUCCESS;
}

/* Decodes @png and checks its size; returns the mean of its pixels' green. */
static double
decode_png (GBytes *png,
            int     width,
            int     height)
{
  PngReader r = { 0 };
  cairo_surface_t *s;
  double sum = 0;

  r.data = g_bytes_get_data (png, &r.size);
  s = cairo_image_surface_create_from_png_stream (read_png, &r);

  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, width);
  g_assert_cmpint (cairo_image_surface_get_height (s), ==, height);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      sum += cairo_image_surface_get_data (s)[y * cairo_image_surface_get_stride (s) + 4 * x + 1];
  cairo_surface_destroy (s);
  return sum / (width * height);
}

static guint
n_events (DlCaseFile *file)
{
  g_autoptr(GPtrArray) events = dl_case_file_get_events (file, NULL, NULL);

  return events->len;
}

static void
test_round_trip (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(DlCaseFile) file = make_fixture (&f, "round-trip");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) made = NULL, cached = NULL, tall = NULL;
  g_autoptr(DlCaseSummary) summary = NULL;
  g_autoptr(DlVerifyReport) report = NULL;
  g_auto(GStrv) missing = NULL;
  guint width = 0, height = 0, events_before;
  double mean;

  /* the queue's row knows which scan to show */
  summary = dl_case_file_get_case (file, f.case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (summary->first_scan_id, ==, f.embedded);

  missing = dl_case_file_list_missing_thumbnails (file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (missing), ==, 2);
  g_assert_cmpstr (missing[0], ==, f.embedded);
  g_assert_null (dl_case_file_get_thumbnail (file, f.embedded, &width, &height, &error));
  g_assert_no_error (error);

  events_before = n_events (file);
  made = dl_case_file_make_thumbnail (file, f.embedded, &error);
  g_assert_no_error (error);
  g_assert_nonnull (made);
  cached = dl_case_file_get_thumbnail (file, f.embedded, &width, &height, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (made, cached));
  /* 400 × 100 fitted into 128 × 48, aspect kept */
  g_assert_cmpuint (width, ==, 128);
  g_assert_cmpuint (height, ==, 32);
  mean = decode_png (cached, width, height);
  /* the automatic window spreads the pattern over the gray scale */
  g_assert_cmpfloat (mean, >, 40);
  g_assert_cmpfloat (mean, <, 215);

  /* from the file on disk: a tall scan */
  g_clear_pointer (&made, g_bytes_unref);
  made = dl_case_file_make_thumbnail (file, f.on_disk, &error);
  g_assert_no_error (error);
  tall = dl_case_file_get_thumbnail (file, f.on_disk, &width, &height, &error);
  g_assert_true (g_bytes_equal (made, tall));
  g_assert_cmpuint (width, ==, 14);
  g_assert_cmpuint (height, ==, 48);
  decode_png (tall, width, height);

  /* a cache: no audit events, nothing for verify to find */
  g_assert_cmpuint (n_events (file), ==, events_before);
  g_strfreev (missing);
  missing = dl_case_file_list_missing_thumbnails (file, &error);
  g_assert_cmpuint (g_strv_length (missing), ==, 0);
  report = verify (file);
  g_assert_cmpuint (report->problems->len, ==, 0);

  /* no such scan */
  g_assert_null (dl_case_file_make_thumbnail (file, "S-000000000000", &error));
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* a second connection (the app's worker) sees and writes the same cache */
  {
    g_autoptr(DlCaseFile) again = dl_case_file_open_again (file, &error);
    g_autoptr(GBytes) from_again = NULL, remade = NULL;

    g_assert_no_error (error);
    g_assert_false (dl_case_file_is_read_only (again));
    from_again = dl_case_file_get_thumbnail (again, f.embedded, NULL, NULL, &error);
    g_assert_true (g_bytes_equal (from_again, cached));
    sqlite3_cli (f.path, "DELETE FROM thumbnails;");
    remade = dl_case_file_make_thumbnail (again, f.on_disk, &error);
    g_assert_no_error (error);
    g_clear_pointer (&tall, g_bytes_unref);
    tall = dl_case_file_get_thumbnail (file, f.on_disk, NULL, NULL, &error);
    g_assert_true (g_bytes_equal (remade, tall));
  }
  g_assert_true (dl_case_file_close (file, NULL));
}

/* Read-only files: the thumbnail is made but not stored. */
static void
test_read_only (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(DlCaseFile) file = make_fixture (&f, "read-only");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;
  g_auto(GStrv) missing = NULL;

  g_assert_true (dl_case_file_close (file, NULL));
  g_clear_object (&file);
  file = dl_case_file_open_untrusted (f.path, &error);
  g_assert_no_error (error);
  png = dl_case_file_make_thumbnail (file, f.embedded, &error);
  g_assert_no_error (error);
  g_assert_nonnull (png);
  g_assert_null (dl_case_file_get_thumbnail (file, f.embedded, NULL, NULL, &error));
  g_assert_no_error (error);
  missing = dl_case_file_list_missing_thumbnails (file, &error);
  g_assert_cmpuint (g_strv_length (missing), ==, 2);
  /* opened again, it stays read-only */
  {
    g_autoptr(DlCaseFile) again = dl_case_file_open_again (file, &error);

    g_assert_no_error (error);
    g_assert_true (dl_case_file_is_read_only (again));
  }
}

/* A scan whose file changed on disk gets no thumbnail of the new bytes. */
static void
test_changed_scan (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(DlCaseFile) file = make_fixture (&f, "changed-scan");
  g_autofree char *tif2 = g_strdup_printf ("%s/changed-scan-2.tif", tmpdir);
  g_autoptr(GError) error = NULL;

  g_assert_true (fixture_write_tiff (tif2, 91, 300, 1));
  g_assert_null (dl_case_file_make_thumbnail (file, f.on_disk, &error));
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_null (dl_case_file_get_thumbnail (file, f.on_disk, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* Stale and planted thumbnails (edited with the sqlite3 program) are
 * never returned, verify names each, and making it again repairs it. */
static void
test_stale_planted (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(DlCaseFile) file = make_fixture (&f, "planted");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) good = NULL, again = NULL;
  g_autoptr(DlVerifyReport) report = NULL;
  g_autofree char *sql = NULL;

  good = dl_case_file_make_thumbnail (file, f.embedded, &error);
  g_assert_no_error (error);
  g_assert_true (dl_case_file_close (file, NULL));
  g_clear_object (&file);

  /* another image's thumbnail put in place of this scan's */
  sql = g_strdup_printf ("UPDATE thumbnails SET sha256 = '%064d' WHERE scan_id = '%s';"
                         "INSERT INTO thumbnails SELECT 'S-0123456789ab', sha256, width, height, png FROM thumbnails;",
                         0, f.embedded);
  sqlite3_cli (f.path, sql);

  /* both ways of opening: as one's own, and from elsewhere */
  for (guint untrusted = 0; untrusted < 2; untrusted++)
    {
      g_autoptr(DlIdentity) b = person ("bob", "Bob");

      file = untrusted ? dl_case_file_open_untrusted (f.path, &error) : dl_case_file_open (f.path, b, &error);
      g_assert_no_error (error);
      g_assert_null (dl_case_file_get_thumbnail (file, f.embedded, NULL, NULL, &error));
      g_assert_no_error (error);
      g_assert_null (dl_case_file_get_thumbnail (file, "S-0123456789ab", NULL, NULL, &error));
      g_assert_no_error (error);
      report = verify (file);
      g_assert_cmpuint (report->problems->len, ==, 2);
      g_assert_cmpuint (count_problems (report, DL_VERIFY_THUMBNAIL, f.embedded, "stale or planted"), ==, 1);
      g_assert_cmpuint (count_problems (report, DL_VERIFY_THUMBNAIL, "S-0123456789ab", "no such scan"), ==, 1);
      g_clear_pointer (&report, dl_verify_report_free);
      g_clear_object (&file);
    }

  /* a PNG whose header is not what its row states */
  g_free (sql);
  sql = g_strdup_printf ("DELETE FROM thumbnails WHERE scan_id = 'S-0123456789ab';"
                         "UPDATE thumbnails SET sha256 = (SELECT sha256 FROM scans WHERE id = '%s'), "
                         "width = 4000 WHERE scan_id = '%s';", f.embedded, f.embedded);
  sqlite3_cli (f.path, sql);
  file = dl_case_file_open_untrusted (f.path, &error);
  g_assert_no_error (error);
  g_assert_null (dl_case_file_get_thumbnail (file, f.embedded, NULL, NULL, &error));
  g_assert_no_error (error);
  report = verify (file);
  g_assert_cmpuint (report->problems->len, ==, 1);
  g_assert_cmpuint (count_problems (report, DL_VERIFY_THUMBNAIL, f.embedded, "not a PNG"), ==, 1);
  g_clear_pointer (&report, dl_verify_report_free);
  g_clear_object (&file);

  /* made again, it is whole */
  {
    g_autoptr(DlIdentity) b = person ("bob", "Bob");

    file = dl_case_file_open (f.path, b, &error);
    g_assert_no_error (error);
    again = dl_case_file_make_thumbnail (file, f.embedded, &error);
    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (good, again));
    g_clear_pointer (&again, g_bytes_unref);
    again = dl_case_file_get_thumbnail (file, f.embedded, NULL, NULL, &error);
    g_assert_true (g_bytes_equal (good, again));
    report = verify (file);
    g_assert_cmpuint (report->problems->len, ==, 0);
  }
}

/* A thumbnail larger than the cap refuses the file from elsewhere. */
static void
test_hostile_size (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(DlCaseFile) file = make_fixture (&f, "hostile");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autofree char *sql = NULL;

  png = dl_case_file_make_thumbnail (file, f.embedded, &error);
  g_assert_no_error (error);
  g_assert_true (dl_case_file_close (file, NULL));
  g_clear_object (&file);

  file = dl_case_file_open_untrusted (f.path, &error);
  g_assert_no_error (error);
  g_clear_object (&file);

  sql = g_strdup_printf ("UPDATE thumbnails SET png = zeroblob (%d) WHERE scan_id = '%s';",
                         256 * 1024 + 1, f.embedded);
  sqlite3_cli (f.path, sql);
  g_assert_null (dl_case_file_open_untrusted (f.path, &error));
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_HOSTILE);
  g_assert_nonnull (strstr (error->message, "thumbnails.png"));
  g_clear_error (&error);

  /* one's own file is opened, but the oversized PNG is not returned */
  {
    g_autoptr(DlIdentity) a = person ("alice", "Alice");

    file = dl_case_file_open (f.path, a, &error);
    g_assert_no_error (error);
    g_assert_null (dl_case_file_get_thumbnail (file, f.embedded, NULL, NULL, &error));
    g_assert_no_error (error);
  }
}

/* Version 3 files: read as they are from elsewhere (without thumbnails),
 * migrated in one transaction with its event when opened for writing. */
static void
test_migrate_from_3 (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(DlCaseFile) file = make_fixture (&f, "v3");
  g_autoptr(DlIdentity) b = person ("bob", "Bob");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(DlVerifyReport) report = NULL;
  g_auto(GStrv) missing = NULL;
  DlCaseEvent *last;

  g_assert_true (dl_case_file_close (file, NULL));
  g_clear_object (&file);
  sqlite3_cli (f.path, "DROP TABLE bay_plans; DROP TABLE thumbnails; DROP INDEX scans_case_first; "
                       "PRAGMA user_version = 3;");

  file = dl_case_file_open_untrusted (f.path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dl_case_file_get_opened_version (file), ==, 3);
  g_assert_null (dl_case_file_get_thumbnail (file, f.embedded, NULL, NULL, &error));
  g_assert_no_error (error);
  missing = dl_case_file_list_missing_thumbnails (file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (missing), ==, 2);
  png = dl_case_file_make_thumbnail (file, f.embedded, &error);
  g_assert_no_error (error);
  report = verify (file);
  g_assert_cmpuint (report->problems->len, ==, 0);
  g_clear_pointer (&report, dl_verify_report_free);
  g_clear_object (&file);

  file = dl_case_file_open (f.path, b, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dl_case_file_get_opened_version (file), ==, 3);
  events = dl_case_file_get_events (file, NULL, &error);
  last = g_ptr_array_index (events, events->len - 1);
  g_assert_cmpstr (last->kind, ==, "migrate");
  g_assert_cmpstr (last->payload, ==, "{\"from\":3,\"to\":5}");
  g_clear_pointer (&png, g_bytes_unref);
  png = dl_case_file_make_thumbnail (file, f.embedded, &error);
  g_assert_no_error (error);
  g_clear_pointer (&png, g_bytes_unref);
  png = dl_case_file_get_thumbnail (file, f.embedded, NULL, NULL, &error);
  g_assert_nonnull (png);
  report = verify (file);
  g_assert_cmpuint (report->problems->len, ==, 0);
  g_clear_pointer (&report, dl_verify_report_free);
  g_assert_true (dl_case_file_close (file, NULL));
  g_clear_object (&file);

  file = dl_case_file_open_untrusted (f.path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dl_case_file_get_opened_version (file), ==, DL_CASE_FILE_VERSION);
  g_clear_pointer (&png, g_bytes_unref);
  png = dl_case_file_get_thumbnail (file, f.embedded, NULL, NULL, &error);
  g_assert_nonnull (png);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("test-case-thumbnails-XXXXXX", NULL);

  g_test_add_func ("/thumbnails/round-trip", test_round_trip);
  g_test_add_func ("/thumbnails/read-only", test_read_only);
  g_test_add_func ("/thumbnails/changed-scan", test_changed_scan);
  g_test_add_func ("/thumbnails/stale-planted", test_stale_planted);
  g_test_add_func ("/thumbnails/hostile-size", test_hostile_size);
  g_test_add_func ("/thumbnails/migrate-from-3", test_migrate_from_3);

  status = g_test_run ();
  if (status == 0)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
      (void) system (cmd);
    }
  g_free (tmpdir);
  return status;
}
