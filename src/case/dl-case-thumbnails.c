/* dl-case-thumbnails.c — the thumbnail cache of the case queue.
 *
 * A thumbnail is derived data: the whole first view of a scan as the
 * window first shows it (density, −ln I/I0, dense dark, in the automatic
 * window over the cargo), at most DL_THUMBNAIL_MAX_WIDTH × DL_THUMBNAIL_MAX_HEIGHT,
 * as PNG.  It is no audited row (no event records it), so it is trusted
 * only as far as it names the SHA-256 of the image it was made from: one
 * whose SHA-256 is not its scan's recorded one is never returned, and
 * dl_case_file_verify () reports it, as it does one without a scan.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-case-thumbnails"

#include "config.h"

#include <cairo.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "dl-case-private.h"
#include "dl-report.h"
#include "dl-scan-prepare.h"
#include "dl-view-state.h"

static const guint8 png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* TRUE when @data is a PNG whose header states @width × @height, within
 * the thumbnail limits: what a decoder is given is never larger. */
static gboolean
png_header_ok (const guint8 *data,
               gsize         size,
               gint64        width,
               gint64        height)
{
  if (size < 24 || size > DL_CASE_MAX_THUMBNAIL || memcmp (data, png_signature, 8) != 0
      || read_be32 (data + 8) != 13 || memcmp (data + 12, "IHDR", 4) != 0)
    return FALSE;
  return width >= 1 && width <= DL_THUMBNAIL_MAX_WIDTH && height >= 1 && height <= DL_THUMBNAIL_MAX_HEIGHT
         && read_be32 (data + 16) == width && read_be32 (data + 20) == height;
}

/* Version 3 files read untrusted have no thumbnail table. */
static gboolean
has_cache (DlCaseFile *self)
{
  return !self->read_only || self->opened_version >= 4;
}

static gboolean
open_db (DlCaseFile *self,
         GError    **error)
{
  if (self->db != NULL)
    return TRUE;
  g_set_error_literal (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FAILED, _("The case file is closed"));
  return FALSE;
}

GBytes *
dl_case_file_get_thumbnail (DlCaseFile *self,
                            const char *scan_id,
                            guint      *width,
                            guint      *height,
                            GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const guint8 *data;
  gsize size;
  gint64 w, h;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);
  g_return_val_if_fail (scan_id != NULL, NULL);

  if (!open_db (self, error) || !has_cache (self))
    return NULL;
  stmt = dl_case_prepare (self->db, "SELECT t.png, t.width, t.height FROM thumbnails t "
                                    "JOIN scans s ON s.id = t.scan_id "
                                    "WHERE t.scan_id = ?1 AND t.sha256 = s.sha256", error);
  /* none is %NULL without error; a read that failed is an error */
  if (stmt == NULL || !dl_case_bind_text (stmt, 1, scan_id, error) || !dl_case_step_row (stmt, error))
    return NULL;
  data = sqlite3_column_blob (stmt, 0);
  size = sqlite3_column_bytes (stmt, 0);
  w = sqlite3_column_int64 (stmt, 1);
  h = sqlite3_column_int64 (stmt, 2);
  /* not one this code made: as good as none (it is made again) */
  if (data == NULL || !png_header_ok (data, size, w, h))
    return NULL;
  if (width)
    *width = (guint) w;
  if (height)
    *height = (guint) h;
  return g_bytes_new (data, size);
}

/* The scan's path and recorded SHA-256. */
static gboolean
scan_record (DlCaseFile *self,
             const char *scan_id,
             char      **path,
             char      **sha256,
             GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = dl_case_prepare (self->db, "SELECT path, sha256 FROM scans WHERE id = ?1", error);
  int rc;

  if (stmt == NULL || !dl_case_bind_text (stmt, 1, scan_id, error))
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (!dl_case_step_end (stmt, rc, error))
        return FALSE;
      g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_NOT_FOUND, _("There is no scan “%s”"), scan_id);
      return FALSE;
    }
  *path = g_strdup (dl_case_column_text (stmt, 0));
  *sha256 = g_strdup (dl_case_column_text (stmt, 1));
  return TRUE;
}

/* The scan's image, embedded or from its path, as recorded. */
static DlScan *
load_scan (DlCaseFile *self,
           const char *scan_id,
           const char *path,
           const char *sha256,
           GError    **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GBytes) image = dl_case_file_get_scan_image (self, scan_id, &local);
  g_autoptr(DlScan) scan = NULL;

  if (local)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  scan = image ? dl_scan_load_bytes (image, path, NULL, NULL, NULL, NULL, error)
               : dl_scan_load_file (path, NULL, NULL, NULL, NULL, error);
  if (scan && g_strcmp0 (dl_scan_get_sha256 (scan), sha256) != 0)
    {
      g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_CORRUPT,
                   _("The image of scan “%s” does not match its recorded SHA-256"), scan_id);
      return NULL;
    }
  return g_steal_pointer (&scan);
}

static cairo_status_t
append_png (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  GByteArray *out = closure;

  if (out->len + (gsize) length > DL_CASE_MAX_THUMBNAIL)
    return CAIRO_STATUS_WRITE_ERROR;
  g_byte_array_append (out, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* The first view as the window opens it, as PNG. */
static GBytes *
render_png (DlScan  *scan,
            guint   *width,
            guint   *height,
            GError **error)
{
  g_autoptr(DlViewState) state = dl_view_state_new ();
  g_autoptr(GByteArray) out = g_byte_array_new ();
  DlPlane *plane = dl_scan_get_plane (scan, 0, 0);
  cairo_surface_t *surface;
  cairo_status_t status;

  dl_scan_prepare (scan);
  g_object_set (state, "i0", dl_plane_get_i0 (plane), "density", TRUE, "invert", TRUE, NULL);
  dl_view_state_apply_preset (state, DL_PRESET_AUTO, dl_plane_get_histogram (plane));
  surface = dl_report_render_scan (scan, 0, state, NULL, DL_THUMBNAIL_MAX_WIDTH, DL_THUMBNAIL_MAX_HEIGHT);
  *width = cairo_image_surface_get_width (surface);
  *height = cairo_image_surface_get_height (surface);
  status = cairo_surface_write_to_png_stream (surface, append_png, out);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FAILED, _("The thumbnail could not be made: %s"),
                   cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static gboolean
store (DlCaseFile *self,
       const char *scan_id,
       const char *sha256,
       guint       width,
       guint       height,
       GBytes     *png,
       GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  /* nothing is written before the file's check passed */
  if (!dl_case_file_wait_checked (self, error))
    return FALSE;
  stmt = dl_case_prepare (self->db, "INSERT OR REPLACE INTO thumbnails (scan_id, sha256, width, height, png) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5)", error);
  return stmt != NULL
         && dl_case_bind_text (stmt, 1, scan_id, error)
         && dl_case_bind_text (stmt, 2, sha256, error)
         && dl_case_bind_int64 (stmt, 3, width, error)
         && dl_case_bind_int64 (stmt, 4, height, error)
         && dl_case_bind_blob (stmt, 5, png, error)
         && dl_case_step_done (stmt, error);
}

GBytes *
dl_case_file_make_thumbnail (DlCaseFile *self,
                             const char *scan_id,
                             GError    **error)
{
  g_autofree char *path = NULL, *sha256 = NULL;
  g_autoptr(DlScan) scan = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) local = NULL;
  guint width = 0, height = 0;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);
  g_return_val_if_fail (scan_id != NULL, NULL);

  if (!open_db (self, error) || !scan_record (self, scan_id, &path, &sha256, error)
      || (scan = load_scan (self, scan_id, path, sha256, error)) == NULL
      || (png = render_png (scan, &width, &height, error)) == NULL)
    return NULL;
  /* a cache: the image is shown even when it cannot be kept */
  if (!self->read_only && !store (self, scan_id, sha256, width, height, png, &local))
    g_debug ("thumbnail of %s not stored: %s", scan_id, local->message);
  return g_steal_pointer (&png);
}

GStrv
dl_case_file_list_missing_thumbnails (DlCaseFile *self,
                                      GError    **error)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);

  if (!open_db (self, error))
    return NULL;
  stmt = dl_case_prepare (self->db, has_cache (self)
                                    ? "SELECT s.id FROM scans s LEFT JOIN thumbnails t ON t.scan_id = s.id "
                                      "WHERE t.sha256 IS NOT s.sha256 ORDER BY s.created, s.rowid"
                                    : "SELECT id FROM scans ORDER BY created, rowid", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (ids, dl_case_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    return dl_case_sql_fail (self->db, error), NULL;
  return g_strv_builder_end (ids);
}

/* -- verification ------------------------------------------------------------- */

static void
check_thumbnail (DlVerifyReport *report,
                 sqlite3_stmt   *stmt)
{
  const char *scan_id = dl_case_column_text (stmt, 0);
  const char *made_from = dl_case_column_text (stmt, 1);
  const char *recorded = dl_case_column_text (stmt, 3);
  const guint8 *png = sqlite3_column_blob (stmt, 4);

  if (sqlite3_column_type (stmt, 2) == SQLITE_NULL)
    dl_case_add_problem (report, DL_VERIFY_THUMBNAIL, 0, "thumbnails", scan_id,
                         _("thumbnail of scan %s: there is no such scan (added outside Doorlicht)"), scan_id);
  else if (strcmp (made_from, recorded) != 0)
    dl_case_add_problem (report, DL_VERIFY_THUMBNAIL, 0, "thumbnails", scan_id,
                         _("thumbnail of scan %s: made from an image with SHA-256 %s, but the scan recorded %s "
                           "(stale or planted; it is not shown)"), scan_id, made_from, recorded);
  else if (png == NULL
           || !png_header_ok (png, sqlite3_column_bytes (stmt, 4), sqlite3_column_int64 (stmt, 5),
                              sqlite3_column_int64 (stmt, 6)))
    dl_case_add_problem (report, DL_VERIFY_THUMBNAIL, 0, "thumbnails", scan_id,
                         _("thumbnail of scan %s: not a PNG of at most %d × %d pixels of the size its row states "
                           "(it is not shown)"), scan_id, DL_THUMBNAIL_MAX_WIDTH, DL_THUMBNAIL_MAX_HEIGHT);
}

void
dl_case_verify_thumbnails (sqlite3        *db,
                           DlVerifyReport *report)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  int rc = SQLITE_DONE;

  /* a file without the cache (version 3) has nothing to check; a query
   * that failed is never taken for that, nor for the end of the rows */
  stmt = dl_case_prepare (db, "SELECT count (*) FROM sqlite_schema WHERE type = 'table' AND name = 'thumbnails'",
                          &error);
  if (stmt && dl_case_step_row (stmt, &error) && sqlite3_column_int64 (stmt, 0) > 0)
    {
      g_clear_pointer (&stmt, sqlite3_finalize);
      stmt = dl_case_prepare (db, "SELECT t.scan_id, t.sha256, s.id, s.sha256, t.png, t.width, t.height "
                                  "FROM thumbnails t LEFT JOIN scans s ON s.id = t.scan_id ORDER BY t.rowid",
                              &error);
      while (stmt && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
        check_thumbnail (report, stmt);
      if (stmt)
        dl_case_step_end (stmt, rc, &error);
    }
  if (error)
    dl_case_add_problem (report, DL_VERIFY_THUMBNAIL, 0, "thumbnails", NULL,
                         _("the thumbnails could not be checked: %s"), error->message);
}
