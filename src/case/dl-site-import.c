/* dl-site-import.c — a signed export merged into the site store.
 *
 * The export is verified first exactly as a case file's import verifies
 * it (dl_case_open_verified_export ()).  Then, in one transaction with the
 * site's chain head locked: the export's events with a case that the site
 * lacks (by event id) are counted; none, and nothing is written; else one
 * "import" event of the importer's own (the file, its SHA-256 and signer,
 * how many events) is appended first, then each copied event, its content
 * hash and author's signature checked again, its row inserted in its
 * author's name and the event appended to the site's chain by the
 * importer.  Row-level security allows rows in another's name only in a
 * transaction that already holds its own import event, and only to a
 * supervisor (dl-site-schema.c, version 2).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-site-import"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "dl-site-export.h"
#include "dl-site-private.h"

static void
event_free (gpointer data)
{
  dl_case_event_content_clear (data);
  g_free (data);
}

static gboolean
site_has_event (DlSite     *self,
                const char *id,
                gboolean   *found,
                GError    **error)
{
  const char *params[] = { id };
  g_autoptr(PGresult) res = dl_site_exec (self, "SELECT 1 FROM doorlicht.events WHERE id = $1", 1, params, error);

  *found = res && PQntuples (res) > 0;
  return res != NULL;
}

/* The export's events with a case (as a case file's import takes them)
 * that the site lacks, oldest first. */
static GPtrArray *
new_events (DlSite   *self,
            sqlite3  *src,
            GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = dl_case_prepare (src, "SELECT " DL_CASE_EVENT_COLUMNS " FROM events "
                                                       "WHERE case_id IS NOT NULL ORDER BY seq", error);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (event_free);

  if (stmt == NULL)
    return NULL;
  while (dl_case_step_row (stmt, error))
    {
      DlCaseEventContent *e = g_new0 (DlCaseEventContent, 1);
      gboolean present = FALSE;

      dl_case_event_content_read (stmt, e);
      g_ptr_array_add (events, e);
      if (!site_has_event (self, e->id, &present, error))
        return NULL;
      if (present)
        g_ptr_array_remove_index (events, events->len - 1);
    }
  return error && *error ? NULL : g_steal_pointer (&events);
}

/* -- an event's row into the site ------------------------------------------------- */

static gboolean invalid (GError    **error,
                         const char *format,
                         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
         const char *format,
         ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (DL_SITE_ERROR, DL_SITE_ERROR_INVALID, format, args));
  va_end (args);
  return FALSE;
}

/* The value of a recorded column as a text parameter. */
static char *
parameter (JsonNode *value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  GType type = JSON_NODE_HOLDS_VALUE (value) ? json_node_get_value_type (value) : G_TYPE_INVALID;

  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
  if (type == G_TYPE_STRING)
    return g_strdup (json_node_get_string (value));
  if (type == G_TYPE_DOUBLE)
    return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (value)));
  return NULL;
}

static gboolean
insert_row (DlSite     *self,
            const char *table,
            JsonObject *row,
            const char *event,
            GError    **error)
{
  g_autoptr(GList) members = json_object_get_members (row);
  g_autoptr(GString) sql = g_string_new (NULL), values = g_string_new (NULL);
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PGresult) res = NULL;

  g_string_printf (sql, "INSERT INTO doorlicht.%s (", table);
  for (GList *l = members; l; l = l->next)
    {
      const char *name = l->data;
      char *value = parameter (json_object_get_member (row, name));

      if (*name == '\0' || strspn (name, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen (name))
        return g_free (value), invalid (error, _("Event “%s” records a row of %s with a column that cannot exist"),
                                        event, table);
      if (value == NULL)
        return invalid (error, _("Event “%s” records a value of %s.%s that is neither a number nor text"),
                        event, table, name);
      g_ptr_array_add (params, value);
      g_string_append_printf (sql, "%s%s", params->len > 1 ? ", " : "", name);
      g_string_append_printf (values, "%s$%u", params->len > 1 ? ", " : "", params->len);
    }
  g_string_append_printf (sql, ") VALUES (%s)", values->str);
  res = dl_site_exec (self, sql->str, params->len, (const char * const *) params->pdata, error);
  return res != NULL;
}

/* A scan's image from the export into the site's images. */
static gboolean
import_image (DlSite     *self,
              sqlite3    *src,
              JsonObject *row,
              const char *event,
              GError    **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GBytes) image = dl_case_scan_image (src, row, FALSE, &local);
  const char *sha = json_object_get_string_member_with_default (row, "sha256", "");

  if (local)
    return g_propagate_error (error, g_steal_pointer (&local)), FALSE;
  if (image == NULL)
    return invalid (error, _("The scan %s of event “%s” has no image in the export"),
                    json_object_get_string_member_with_default (row, "id", "?"), event);
  return dl_site_store_image (self, sha, image, error);
}

static gboolean
apply_payload (DlSite                   *self,
               sqlite3                  *src,
               const DlCaseEventContent *e,
               GError                  **error)
{
  g_autoptr(JsonObject) payload = dl_case_parse_object (e->payload);
  const char *table;
  JsonNode *row;

  if (payload == NULL)
    return invalid (error, _("The payload of event “%s” is not JSON"), e->id);
  if ((table = json_object_get_string_member_with_default (payload, "table", NULL)) == NULL)
    return TRUE;
  if (!g_strv_contains (dl_case_row_tables (), table))
    return invalid (error, _("Event “%s” records a row of an unknown table"), e->id);
  if (json_object_has_member (payload, "removed"))
    return invalid (error, _("Event “%s” removes a row of %s, and the site store never removes one"),
                    e->id, table);
  row = json_object_get_member (payload, "row");
  if (row == NULL || !JSON_NODE_HOLDS_OBJECT (row))
    return invalid (error, _("Event “%s” names the table %s but holds no row"), e->id, table);
  if (strcmp (table, "scans") == 0 && !import_image (self, src, json_node_get_object (row), e->id, error))
    return FALSE;
  return insert_row (self, table, json_node_get_object (row), e->id, error);
}

static gboolean
copy_event (DlSite                   *self,
            sqlite3                  *src,
            const DlCaseEventContent *e,
            GError                  **error)
{
  g_autofree char *content = dl_case_event_content_hash (e);

  if (strcmp (content, e->content_hash) != 0
      || !dl_identity_verify (e->key, e->content_hash, strlen (e->content_hash), e->signature, NULL))
    {
      g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_SIGNATURE,
                   _("Event %s does not match its hash or signature"), e->id);
      return FALSE;
    }
  return apply_payload (self, src, e, error) && dl_site_chain_append (self, e, error);
}

/* Inside the transaction, the head locked. */
static gboolean
import_events (DlSite         *self,
               const char     *path,
               const char     *file_sha,
               DlVerifyReport *report,
               sqlite3        *src,
               guint          *n,
               GError        **error)
{
  g_autoptr(GPtrArray) events = new_events (self, src, error);
  g_auto(DlCaseEventContent) import = { 0 };
  g_autofree char *payload = NULL;

  if (events == NULL)
    return FALSE;
  if ((*n = events->len) == 0)
    return TRUE;
  payload = dl_case_import_payload (path, file_sha, report, events->len);
  dl_site_event_content (self, &import, "import", NULL, payload);
  if (!dl_site_chain_append (self, &import, error))
    return FALSE;
  for (guint i = 0; i < events->len; i++)
    if (!copy_event (self, src, g_ptr_array_index (events, i), error))
      return FALSE;
  return TRUE;
}

/* A store of an older schema, not yet brought up to date, has no imports. */
static gboolean
check_version (DlSite  *self,
               GError **error)
{
  g_autoptr(PGresult) res = dl_site_exec (self, "SELECT version FROM doorlicht.version", 0, NULL, error);
  guint version;

  if (res == NULL)
    return FALSE;
  version = PQntuples (res) == 1 ? (guint) g_ascii_strtoull (PQgetvalue (res, 0, 0), NULL, 10) : 0;
  if (version >= DL_SITE_SCHEMA_VERSION)
    return TRUE;
  g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_NOT_INITIALISED,
               _("The site store at %s has schema version %u, which takes no imports "
                 "(run “doorlicht-cli site init” again to bring it up to date)"),
               dl_site_get_target (self), version);
  return FALSE;
}

gboolean
dl_site_import (DlSite     *self,
                const char *path,
                guint      *n_added,
                GError    **error)
{
  g_autoptr(DlCaseFile) src = NULL;
  g_autoptr(DlVerifyReport) report = NULL;
  g_autoptr(PGresult) head = NULL;
  g_autofree char *file_sha = NULL;
  guint n = 0;
  gboolean ok;

  g_return_val_if_fail (DL_IS_SITE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!dl_site_need_identity (self, error) || !check_version (self, error)
      || (src = dl_case_open_verified_export (path, NULL, &file_sha, &report, error)) == NULL
      || !dl_site_begin (self, error))
    return FALSE;
  /* two imports at once: the second waits here, then finds the events in */
  head = dl_site_exec (self, "SELECT seq FROM doorlicht.lock_chain_head ()", 0, NULL, error);
  ok = head != NULL && import_events (self, path, file_sha, report, src->db, &n, error);
  /* nothing new: nothing written either */
  if (!dl_site_end (self, ok && n > 0, error) && (!ok || n > 0))
    return FALSE;
  if (n_added)
    *n_added = n;
  return TRUE;
}
