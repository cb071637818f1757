/* dl-case-export.c — signed exports of selected cases, their import, and
 * the verdict list as CSV.
 *
 * An export is a new case file holding the cases' rows (images embedded)
 * and their events re-chained by the exporter, plus meta rows naming the
 * signer.  Its signature covers the file's exact bytes: the meta row
 * "export_signature" is written as "DLSIG1:" and 128 zeros, the file is
 * closed as one plain rollback-journal file, its SHA-256 taken, and the
 * Ed25519 signature of "doorlicht-export/1\n<sha256>\n<chain head>\n"
 * written over the zeros in place; the receiver zeros them again to check.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-case-export"

#define _GNU_SOURCE 1
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "dl-case-private.h"
#include "dl-hash.h"
#include "dl-json-check.h"
#include "dl-regular-file.h"

#define SIG_MARKER     "DLSIG1:"
#define SIG_HEX_LENGTH 128

static char *
export_message (const char *file_hash,
                const char *head)
{
  return g_strdup_printf ("doorlicht-export/1\n%s\n%s\n", file_hash, head ? head : "");
}

/* SHA-256 of @data with the @length bytes at @offset taken as '0'. */
static char *
hash_with_zeros (const guint8 *data,
                 gsize         size,
                 gsize         offset,
                 gsize         length)
{
  g_autoptr(DlSha256) sum = dl_sha256_new ();
  char zeros[SIG_HEX_LENGTH];

  memset (zeros, '0', sizeof zeros);
  dl_sha256_update (sum, data, offset);
  dl_sha256_update (sum, zeros, length);
  dl_sha256_update (sum, data + offset + length, size - offset - length);
  return dl_sha256_finish_hex (sum);
}

/* The offset of the only occurrence of @needle, or -1. */
static gssize
find_once (const guint8 *data,
           gsize         size,
           const char   *needle)
{
  gsize n = strlen (needle);
  const guint8 *first = memmem (data, size, needle, n);

  if (first == NULL)
    return -1;
  if (memmem (first + 1, size - (first + 1 - data), needle, n) != NULL)
    return -1;
  return first - data;
}

/* %FALSE when the file has no @key; a read that failed is a problem in
 * @report, never an absent value (an export taken for a plain file). */
static gboolean
meta_value (sqlite3        *db,
            DlVerifyReport *report,
            const char     *key,
            char          **value)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  if ((stmt = dl_case_prepare (db, "SELECT value FROM meta WHERE key = ?1", &error)) != NULL
      && dl_case_bind_text (stmt, 1, key, &error) && dl_case_step_row (stmt, &error))
    {
      *value = g_strdup (dl_case_column_text (stmt, 0));
      return TRUE;
    }
  if (error)
    dl_case_add_problem (report, DL_VERIFY_SIGNATURE, 0, "meta", key,
                         _("the file’s “%s” could not be read, so its export signature is not checked: %s"),
                         key, error->message);
  return FALSE;
}

void
dl_case_verify_export (sqlite3        *db,
                       const char     *path,
                       DlVerifyReport *report)
{
  g_autofree char *sig = NULL, *key = NULL, *head = NULL, *time = NULL, *hash = NULL, *message = NULL;
  g_autoptr(GMappedFile) file = NULL;
  const guint8 *data;
  gsize size;
  gssize at;

  if (!meta_value (db, report, "export_signature", &sig))
    return;
  report->exported = TRUE;
  meta_value (db, report, "export_signer_key", &key);
  meta_value (db, report, "export_signer_login", &report->export_signer.login);
  meta_value (db, report, "export_signer_name", &report->export_signer.name);
  meta_value (db, report, "export_head", &head);
  if (meta_value (db, report, "export_time", &time))
    report->export_time = g_ascii_strtoll (time, NULL, 10);
  report->export_signer.fingerprint = key ? dl_identity_fingerprint_of (key) : NULL;

  if (g_strcmp0 (head, report->chain_head) != 0)
    dl_case_add_problem (report, DL_VERIFY_SIGNATURE, 0, "meta", "export_head",
                         _("the export was signed at chain head %s, but its events end at %s"),
                         head ? head : "-", report->chain_head ? report->chain_head : "-");

  file = dl_map_regular_file (path, 0, NULL);
  if (file == NULL || strlen (sig) != strlen (SIG_MARKER) + SIG_HEX_LENGTH
      || !g_str_has_prefix (sig, SIG_MARKER))
    {
      dl_case_add_problem (report, DL_VERIFY_SIGNATURE, 0, "meta", "export_signature",
                           _("the export signature is malformed or the file cannot be read"));
      return;
    }
  data = (const guint8 *) g_mapped_file_get_contents (file);
  size = g_mapped_file_get_length (file);
  at = find_once (data, size, sig);
  if (at < 0)
    {
      dl_case_add_problem (report, DL_VERIFY_SIGNATURE, 0, "meta", "export_signature",
                           _("the export signature cannot be located in the file exactly once"));
      return;
    }
  hash = hash_with_zeros (data, size, at + strlen (SIG_MARKER), SIG_HEX_LENGTH);
  message = export_message (hash, head);
  report->export_valid = dl_identity_verify (key, message, strlen (message), sig + strlen (SIG_MARKER), NULL);
  if (!report->export_valid)
    dl_case_add_problem (report, DL_VERIFY_SIGNATURE, 0, "meta", "export_signature",
                         _("the export signature of %s (%s, key %s) does not verify: the file was changed after it was signed"),
                         report->export_signer.name ? report->export_signer.name : "?",
                         report->export_signer.login ? report->export_signer.login : "?",
                         report->export_signer.fingerprint ? report->export_signer.fingerprint : "?");
}

DlVerifyReport *
dl_case_file_verify_path (const char *path,
                          GError    **error)
{
  g_autoptr(DlCaseFile) file = dl_case_file_open_untrusted (path, error);

  return file ? dl_case_file_verify (file, error) : NULL;
}

/* -- export -------------------------------------------------------------------- */

static gboolean
fsync_path (const char *path,
            gboolean    directory,
            GError    **error)
{
  int fd = open (path, (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
  gboolean ok = fd >= 0 && fsync (fd) == 0;

  if (fd >= 0)
    close (fd);
  if (!ok)
    g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FAILED, _("Could not save “%s”: %s"),
                 path, g_strerror (errno));
  return ok;
}

/* Signs the closed export at @path in place. */
static gboolean
sign_file (const char *path,
           DlIdentity *identity,
           const char *head,
           GError    **error)
{
  g_autofree char *contents = NULL, *placeholder = NULL, *hash = NULL, *message = NULL, *sig = NULL;
  gsize size = 0;
  gssize at;
  int fd;
  gboolean ok;

  if (!g_file_get_contents (path, &contents, &size, error))
    return FALSE;
  placeholder = g_strnfill (strlen (SIG_MARKER) + SIG_HEX_LENGTH, '0');
  memcpy (placeholder, SIG_MARKER, strlen (SIG_MARKER));
  at = find_once ((const guint8 *) contents, size, placeholder);
  if (at < 0)
    {
      g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FAILED,
                   _("The export could not be signed: its signature field is not found exactly once"));
      return FALSE;
    }
  at += strlen (SIG_MARKER);
  hash = hash_with_zeros ((const guint8 *) contents, size, at, SIG_HEX_LENGTH);
  message = export_message (hash, head);
  sig = dl_identity_sign (identity, message, strlen (message));

  fd = open (path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
  ok = fd >= 0 && pwrite (fd, sig, SIG_HEX_LENGTH, at) == SIG_HEX_LENGTH && fsync (fd) == 0;
  if (fd >= 0 && close (fd) != 0)
    ok = FALSE;
  if (!ok)
    g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FAILED, _("Could not save “%s”: %s"),
                 path, g_strerror (errno));
  return ok;
}

static gboolean
insert_meta (sqlite3    *db,
             const char *key,
             const char *value,
             GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = dl_case_prepare (db, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
                                                  error);

  return stmt != NULL && dl_case_bind_text (stmt, 1, key, error) && dl_case_bind_text (stmt, 2, value, error)
         && dl_case_step_done (stmt, error);
}

static char *
export_payload (const char * const *case_ids,
                const char         *source_head)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "cases");
  json_builder_begin_array (b);
  for (guint i = 0; case_ids[i]; i++)
    json_builder_add_string_value (b, case_ids[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "source_head");
  json_builder_add_string_value (b, source_head ? source_head : "");
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

/* Fills the new export file @out with the cases; leaves it committed and
 * its chain head in @head. */
static gboolean
fill_export (DlCaseFile         *self,
             DlCaseFile         *out,
             const char * const *case_ids,
             char              **head,
             GError            **error)
{
  g_autofree char *source_head = dl_case_chain_head (self->db, NULL);
  g_autofree char *payload = export_payload (case_ids, source_head);
  g_autofree char *time = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *placeholder = g_strnfill (strlen (SIG_MARKER) + SIG_HEX_LENGTH, '0');
  guint n;

  memcpy (placeholder, SIG_MARKER, strlen (SIG_MARKER));
  if (!dl_case_begin (out->db, error))
    return FALSE;
  n = g_strv_length ((char **) case_ids);
  for (guint i = 0; case_ids[i]; i++)
    {
      /* copying is nearly all of an export; VACUUM and signing follow */
      dl_case_monitor_phase (self, 0.9 * i / n, 0.9 / n);
      if (!dl_case_copy_events (out->db, self->db, self->identity, case_ids[i], TRUE, self, NULL, error))
        goto fail;
    }
  if (!dl_case_record (out, "export", NULL, payload, error)
      || (*head = dl_case_chain_head (out->db, error)) == NULL
      || !insert_meta (out->db, "export_signer_login", dl_identity_get_login (self->identity), error)
      || !insert_meta (out->db, "export_signer_name", dl_identity_get_display_name (self->identity), error)
      || !insert_meta (out->db, "export_signer_key", dl_identity_get_public_key (self->identity), error)
      || !insert_meta (out->db, "export_time", time, error)
      || !insert_meta (out->db, "export_head", *head, error)
      || !insert_meta (out->db, "export_signature", placeholder, error)
      || !dl_case_commit (out->db, error))
    goto fail;
  /* the export's own connection stops as well */
  dl_case_file_set_monitor (out, self->cancellable, NULL, NULL);
  dl_case_monitor_phase (self, 0.9, 0.1);
  return dl_case_exec (out->db, "VACUUM", error) && dl_case_monitor_step (self, 1, 1);

fail:
  dl_case_rollback (out->db);
  return FALSE;
}

static void
remove_partial (const char *tmp)
{
  g_autofree char *wal = g_strconcat (tmp, "-wal", NULL);
  g_autofree char *shm = g_strconcat (tmp, "-shm", NULL);
  g_autofree char *journal = g_strconcat (tmp, "-journal", NULL);

  g_unlink (tmp);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (journal);
}

static gboolean
check_cases_exist (DlCaseFile         *self,
                   const char * const *case_ids,
                   GError            **error)
{
  if (case_ids == NULL || case_ids[0] == NULL)
    {
      g_set_error_literal (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID, _("No cases to export"));
      return FALSE;
    }
  for (guint i = 0; case_ids[i]; i++)
    {
      g_autoptr(DlCaseSummary) summary = dl_case_file_get_case (self, case_ids[i], error);

      if (summary == NULL)
        return FALSE;
    }
  return TRUE;
}

gboolean
dl_case_file_export (DlCaseFile         *self,
                     const char * const *case_ids,
                     const char         *path,
                     GError            **error)
{
  g_autofree char *tmp = NULL, *head = NULL, *dir = NULL, *suffix = NULL;
  g_autoptr(DlCaseFile) out = NULL;
  gboolean ok;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->read_only)
    {
      g_set_error_literal (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_READ_ONLY,
                           _("An export is signed: open the case file for writing, with your identity"));
      return FALSE;
    }
  if (!check_cases_exist (self, case_ids, error))
    return FALSE;

  suffix = dl_case_new_id ('X');
  tmp = g_strdup_printf ("%s.%s.part", path, suffix);
  out = dl_case_file_create (tmp, self->identity, error);
  ok = out != NULL && fill_export (self, out, case_ids, &head, error) && dl_case_file_close (out, error);
  g_clear_object (&out);
  dir = g_path_get_dirname (path);
  ok = ok && sign_file (tmp, self->identity, head, error) && fsync_path (tmp, FALSE, error);
  if (ok && g_rename (tmp, path) != 0)
    {
      g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FAILED, _("Could not save “%s”: %s"),
                   path, g_strerror (errno));
      ok = FALSE;
    }
  ok = ok && fsync_path (dir, TRUE, error);
  if (!ok)
    {
      /* on every failure, a file that failed to be made as well */
      remove_partial (tmp);
      /* the export's own name, not the temporary one's */
      if (error && g_error_matches (*error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FULL))
        {
          g_clear_error (error);
          dl_case_full_fail (path, error);
        }
      return dl_case_monitor_fail (self, error);
    }
  return ok;
}

/* -- import -------------------------------------------------------------------- */

char *
dl_case_import_payload (const char     *path,
                        const char     *file_sha,
                        DlVerifyReport *report,
                        guint           n_events)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *base = g_path_get_basename (path);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, base);
  json_builder_set_member_name (b, "sha256");
  json_builder_add_string_value (b, file_sha);
  json_builder_set_member_name (b, "signer_login");
  json_builder_add_string_value (b, report->export_signer.login);
  json_builder_set_member_name (b, "signer_name");
  json_builder_add_string_value (b, report->export_signer.name);
  json_builder_set_member_name (b, "signer_fingerprint");
  json_builder_add_string_value (b, report->export_signer.fingerprint);
  json_builder_set_member_name (b, "export_head");
  json_builder_add_string_value (b, report->chain_head);
  json_builder_set_member_name (b, "events");
  json_builder_add_int_value (b, n_events);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

/* the import's check of the export, as the first half of the import */
static void
verify_progress (double   fraction,
                 gpointer data)
{
  DlCaseFile *self = data;

  self->progress (fraction / 2, self->progress_data);
}

DlCaseFile *
dl_case_open_verified_export (const char      *path,
                              DlCaseFile      *monitor,
                              char           **file_sha,
                              DlVerifyReport **verified,
                              GError         **error)
{
  g_autoptr(DlCaseFile) src = NULL;
  g_autoptr(DlVerifyReport) report = NULL;

  if ((*file_sha = dl_case_sha256_file (path, NULL, NULL, error)) == NULL
      || (src = dl_case_file_open_untrusted (path, error)) == NULL)
    return NULL;
  /* checking the export is the first half of the work, copying the second */
  if (monitor)
    dl_case_file_set_monitor (src, monitor->cancellable, monitor->progress ? verify_progress : NULL, monitor);
  if ((report = dl_case_file_verify (src, error)) == NULL)
    return monitor ? (dl_case_monitor_fail (monitor, error), NULL) : NULL;
  if (!report->exported)
    {
      g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_SIGNATURE,
                   _("“%s” is not a signed export; only signed exports are imported"), path);
      return NULL;
    }
  if (report->problems->len > 0)
    {
      DlVerifyProblem *first = g_ptr_array_index (report->problems, 0);

      g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_SIGNATURE,
                   _("“%s” is refused: it does not verify (%u problems; the first: %s)"),
                   path, report->problems->len, first->message);
      return NULL;
    }
  *verified = g_steal_pointer (&report);
  return g_steal_pointer (&src);
}

gboolean
dl_case_file_import (DlCaseFile *self,
                     const char *path,
                     guint      *n_added,
                     GError    **error)
{
  g_autoptr(DlCaseFile) src = NULL;
  g_autoptr(DlVerifyReport) report = NULL;
  g_autofree char *file_sha = NULL, *payload = NULL;
  guint n = 0;
  gboolean ok;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), FALSE);

  if (self->read_only)
    {
      g_set_error_literal (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_READ_ONLY,
                           _("The case file is open read-only"));
      return FALSE;
    }
  if ((src = dl_case_open_verified_export (path, self, &file_sha, &report, error)) == NULL)
    return FALSE;

  if (!dl_case_change_begin (self, error))
    return FALSE;
  dl_case_monitor_phase (self, 0.5, 0.5);
  ok = dl_case_copy_events (self->db, src->db, self->identity, NULL, FALSE, self, &n, error);
  payload = dl_case_import_payload (path, file_sha, report, n);
  ok = ok && (n == 0 || dl_case_record (self, "import", NULL, payload, error));
  if (ok && n > 0)
    dl_case_change_note (self, NULL);
  if (!dl_case_change_end (self, ok, error))
    return dl_case_monitor_fail (self, error);
  if (n_added)
    *n_added = n;
  return TRUE;
}

/* -- CSV ------------------------------------------------------------------------ */

static void
csv_field (GString    *out,
           const char *value,
           gboolean    last)
{
  if (value == NULL)
    value = "";
  if (strpbrk (value, ",\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = value; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else
    g_string_append (out, value);
  g_string_append (out, last ? "\r\n" : ",");
}

static char *
iso_time (sqlite3_stmt *stmt,
          int           column)
{
  g_autoptr(GDateTime) t = NULL;

  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return g_strdup ("");
  t = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, column));
  return t ? g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("");
}

static char *
reasons_text (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  JsonNode *root;

  if (dl_json_refused (json, -1)
      || !json_parser_load_from_data (parser, json, -1, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return g_strdup ("");
  for (guint i = 0; i < json_array_get_length (json_node_get_array (root)); i++)
    g_string_append_printf (out, "%s%s", i ? ";" : "",
                            json_array_get_string_element (json_node_get_array (root), i));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
dl_case_file_write_csv (DlCaseFile *self,
                        const char *path,
                        GError    **error)
{
  static const char * const header[] = {
    "case", "title", "verdict", "decision", "reasons", "text", "analyst_login", "analyst_name",
    "analyst_key", "time", "superseded", "review", "review_comment", "reviewer_login", "reviewer_name",
    "review_time", NULL
  };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  gint64 total, done = 0;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), FALSE);

  total = dl_case_count (self->db, "SELECT count (*) FROM verdicts");
  for (guint i = 0; header[i]; i++)
    csv_field (out, header[i], header[i + 1] == NULL);
  stmt = dl_case_prepare (self->db,
                          "SELECT v.case_id, c.title, v.id, v.decision, v.reasons, v.text, v.author_login, "
                          "v.author_name, v.author_key, v.created, "
                          "EXISTS (SELECT 1 FROM verdicts s WHERE s.supersedes = v.id), "
                          "r.decision, r.comment, r.author_login, r.author_name, r.created "
                          "FROM verdicts v JOIN cases c ON c.id = v.case_id "
                          "LEFT JOIN reviews r ON r.verdict_id = v.id ORDER BY v.created, v.rowid", error);
  if (stmt == NULL)
    return FALSE;
  while (dl_case_monitor_step (self, done++, total) && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *reasons = reasons_text (dl_case_column_text (stmt, 4));
      g_autofree char *fingerprint = dl_identity_fingerprint_of (dl_case_column_text (stmt, 8));
      g_autofree char *time = iso_time (stmt, 9);
      g_autofree char *review_time = iso_time (stmt, 15);

      csv_field (out, dl_case_column_text (stmt, 0), FALSE);
      csv_field (out, dl_case_column_text (stmt, 1), FALSE);
      csv_field (out, dl_case_column_text (stmt, 2), FALSE);
      csv_field (out, dl_case_column_text (stmt, 3), FALSE);
      csv_field (out, reasons, FALSE);
      csv_field (out, dl_case_column_text (stmt, 5), FALSE);
      csv_field (out, dl_case_column_text (stmt, 6), FALSE);
      csv_field (out, dl_case_column_text (stmt, 7), FALSE);
      csv_field (out, fingerprint, FALSE);
      csv_field (out, time, FALSE);
      csv_field (out, sqlite3_column_int (stmt, 10) ? "yes" : "no", FALSE);
      csv_field (out, dl_case_column_text (stmt, 11), FALSE);
      csv_field (out, dl_case_column_text (stmt, 12), FALSE);
      csv_field (out, dl_case_column_text (stmt, 13), FALSE);
      csv_field (out, dl_case_column_text (stmt, 14), FALSE);
      csv_field (out, review_time, TRUE);
    }
  if (!dl_case_monitor_step (self, done, total))
    return dl_case_monitor_fail (self, error);
  if (rc != SQLITE_DONE)
    return dl_case_sql_fail (self->db, error);
  return g_file_set_contents_full (path, out->str, out->len,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0644, error);
}
