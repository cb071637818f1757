/* dl-case-anchor.c — what this computer last wrote into each case file.
 *
 * The audit chain finds an event changed, removed or reordered inside the
 * file, but not the newest events removed together with their rows: what
 * is left is a shorter chain that is whole.  So after every change made
 * here, the chain head (seq and hash) is kept outside the file, in
 * $XDG_DATA_HOME/doorlicht/anchors (a key file by the file's full path);
 * verifying checks that the file still holds that event.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-case-anchor"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "dl-case-private.h"
#include "dl-regular-file.h"

static char *
anchors_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "doorlicht", "anchors", NULL);
}

static char *
file_key (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return g_file_get_path (file);
}

/* Reads the store into @anchors; %FALSE when there is none (or it is not
 * a regular file: a named pipe there is not waited on). */
static gboolean
load_anchors (GKeyFile   *anchors,
              const char *store)
{
  g_autoptr(GMappedFile) file = dl_map_regular_file (store, 0, NULL);
  g_autoptr(GBytes) bytes = file ? g_mapped_file_get_bytes (file) : NULL;

  return bytes && g_key_file_load_from_bytes (anchors, bytes, G_KEY_FILE_NONE, NULL);
}

/* After a change committed through @self (its "changed" signal). */
void
dl_case_anchor_record (DlCaseFile *self)
{
  g_autoptr(GKeyFile) anchors = g_key_file_new ();
  g_autofree char *store = anchors_path ();
  g_autofree char *dir = g_path_get_dirname (store);
  g_autofree char *key = file_key (self->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 seq = 0;
  g_autofree char *hash = NULL;

  if (self->db == NULL || self->read_only)
    return;
  stmt = dl_case_prepare (self->db, "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1", &error);
  if (stmt && dl_case_step_row (stmt, &error))
    {
      seq = sqlite3_column_int64 (stmt, 0);
      hash = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  if (error)
    {
      g_warning ("Could not read the case file's chain head to keep it: %s", error->message);
      return;
    }
  if (hash == NULL)
    return;

  load_anchors (anchors, store);
  g_key_file_set_int64 (anchors, key, "seq", seq);
  g_key_file_set_string (anchors, key, "hash", hash);
  g_key_file_set_int64 (anchors, key, "time", g_get_real_time () / G_USEC_PER_SEC);
  if (g_mkdir_with_parents (dir, 0700) != 0 || !g_key_file_save_to_file (anchors, store, &error))
    g_warning ("Could not keep the case file's chain head in %s: %s", store,
               error ? error->message : g_strerror (errno));
}

void
dl_case_anchor_clear (DlCaseAnchor *anchor)
{
  g_clear_pointer (&anchor->hash, g_free);
  anchor->seq = 0;
  anchor->time = 0;
}

/* What this computer last wrote into the file at @path; %FALSE when
 * nothing (a file from elsewhere, or never changed here). */
gboolean
dl_case_anchor_load (const char   *path,
                     DlCaseAnchor *anchor)
{
  g_autoptr(GKeyFile) anchors = g_key_file_new ();
  g_autofree char *store = anchors_path ();
  g_autofree char *key = file_key (path);

  dl_case_anchor_clear (anchor);
  if (!load_anchors (anchors, store)
      || !g_key_file_has_group (anchors, key))
    return FALSE;
  anchor->hash = g_key_file_get_string (anchors, key, "hash", NULL);
  anchor->seq = g_key_file_get_int64 (anchors, key, "seq", NULL);
  anchor->time = g_key_file_get_int64 (anchors, key, "time", NULL);
  return anchor->hash != NULL;
}

/* Adds a problem to @report when the file's chain, as @db reads it, no
 * longer holds the event of @anchor.  The anchor is read before the chain:
 * it is written after each commit, so one read later may name an event
 * that the chain read before does not hold yet. */
void
dl_case_anchor_verify (sqlite3            *db,
                       const DlCaseAnchor *anchor,
                       DlVerifyReport     *report)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  gboolean found;

  if (anchor->hash == NULL)
    return;
  stmt = dl_case_prepare (db, "SELECT 1 FROM events WHERE seq = ?1 AND hash = ?2", &error);
  found = stmt && dl_case_bind_int64 (stmt, 1, anchor->seq, &error) && dl_case_bind_text (stmt, 2, anchor->hash, &error)
          && dl_case_step_row (stmt, &error);
  /* a query that failed says nothing about the events: never "removed" */
  if (error)
    dl_case_add_problem (report, DL_VERIFY_CHAIN, anchor->seq, "events", NULL,
                         _("the chain head this computer last wrote into the file could not be looked up: %s"),
                         error->message);
  else if (!found)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (anchor->time);
      g_autofree char *iso = when ? g_date_time_format_iso8601 (when) : g_strdup ("?");
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, anchor->seq);

      dl_case_add_problem (report, DL_VERIFY_CHAIN, anchor->seq, "events", NULL,
                           _("event %s (%s), written from this computer at %s, is no longer "
                             "in the file: events were removed from its end"), number, anchor->hash, iso);
    }
}
