/* dl-case-audit.c — the audit trail: signed events in a hash chain whose
 * payloads hold the rows they made, and the check of all of it.
 *
 * An event's content hash is SHA-256 over a canonical encoding (each field
 * as an 8-byte big-endian length and its bytes, NULL as length 2^64−1) of
 * its id, time, author (login, display name, public key), kind, case and
 * payload; its author signs that hash (portable: it survives export and
 * import).  Its chain hash covers its sequence number, content hash,
 * signature, the previous event's hash and the key of whoever appended it
 * to this file, who signs the chain hash.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-case-audit"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "dl-case-private.h"
#include "dl-hash.h"
#include "dl-json-check.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define SIG_MARKER "DLSIG1:"

/* The tables whose rows events record, in the order rows depend on each other. */
static const char * const row_tables[] = {
  "cases", "scans", "manifests", "verdicts", "annotations", "reviews", "hints", "bay_plans", "findings",
  "finding_responses", NULL
};

void
dl_case_event_content_clear (DlCaseEventContent *e)
{
  g_free (e->id);
  g_free (e->login);
  g_free (e->name);
  g_free (e->key);
  g_free (e->kind);
  g_free (e->case_id);
  g_free (e->payload);
  g_free (e->content_hash);
  g_free (e->signature);
  memset (e, 0, sizeof *e);
}

static void
put_field (DlSha256   *sum,
           const char *value)
{
  guint64 length = value ? strlen (value) : G_MAXUINT64;
  guint8 be[8];

  for (int i = 0; i < 8; i++)
    be[i] = (length >> (56 - 8 * i)) & 0xff;
  dl_sha256_update (sum, be, sizeof be);
  if (value)
    dl_sha256_update (sum, value, length);
}

static void
put_int (DlSha256 *sum,
         gint64    value)
{
  char text[32];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, value);
  put_field (sum, text);
}

char *
dl_case_event_content_hash (const DlCaseEventContent *e)
{
  g_autoptr(DlSha256) sum = dl_sha256_new ();

  put_field (sum, "doorlicht-event/1");
  put_field (sum, e->id);
  put_int (sum, e->time);
  put_field (sum, e->login);
  put_field (sum, e->name);
  put_field (sum, e->key);
  put_field (sum, e->kind);
  put_field (sum, e->case_id);
  put_field (sum, e->payload);
  return dl_sha256_finish_hex (sum);
}

static char *
chain_hash (gint64      seq,
            const char *content_hash,
            const char *signature,
            const char *prev_hash,
            const char *appender_key)
{
  g_autoptr(DlSha256) sum = dl_sha256_new ();

  put_field (sum, "doorlicht-chain/1");
  put_int (sum, seq);
  put_field (sum, content_hash);
  put_field (sum, signature);
  put_field (sum, prev_hash);
  put_field (sum, appender_key);
  return dl_sha256_finish_hex (sum);
}

char *
dl_case_chain_hash (gint64      seq,
                    const char *content_hash,
                    const char *signature,
                    const char *prev_hash,
                    const char *appender_key)
{
  return chain_hash (seq, content_hash, signature, prev_hash, appender_key);
}

const char * const *
dl_case_row_tables (void)
{
  return row_tables;
}

static gboolean
is_row_table (const char *table)
{
  return table && g_strv_contains (row_tables, table);
}

/* The row as canonical JSON: its columns in schema order, NULLs and the
 * embedded image left out (the image is checked against sha256). */
static JsonNode *
row_node (sqlite3_stmt *stmt)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  for (int c = 0; c < sqlite3_column_count (stmt); c++)
    {
      const char *name = sqlite3_column_name (stmt, c);

      if (strcmp (name, "image") == 0)
        continue;
      switch (sqlite3_column_type (stmt, c))
        {
        case SQLITE_INTEGER:
          json_builder_set_member_name (b, name);
          json_builder_add_int_value (b, sqlite3_column_int64 (stmt, c));
          break;
        case SQLITE_TEXT:
          json_builder_set_member_name (b, name);
          json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, c));
          break;
        case SQLITE_FLOAT:
          json_builder_set_member_name (b, name);
          json_builder_add_double_value (b, sqlite3_column_double (stmt, c));
          break;
        default:
          break;
        }
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static char *
node_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

char *
dl_case_row_json (sqlite3    *db,
                  const char *table,
                  const char *id,
                  GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *sql = NULL;

  g_return_val_if_fail (is_row_table (table), NULL);

  sql = g_strdup_printf ("SELECT * FROM %s WHERE id = ?1", table);
  stmt = dl_case_prepare (db, sql, error);
  if (stmt == NULL)
    return NULL;
  if (!dl_case_bind_text (stmt, 1, id, error))
    return NULL;
  if (!dl_case_step_row (stmt, error))
    {
      /* a failed read said so; the end of the rows is a missing row */
      if (error == NULL || *error == NULL)
        g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_NOT_FOUND,
                     _("No row “%s” in %s"), id, table);
      return NULL;
    }
  node = row_node (stmt);
  return node_to_string (node);
}

char *
dl_case_chain_head (sqlite3 *db,
                    GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = dl_case_prepare (db, "SELECT hash FROM events ORDER BY seq DESC LIMIT 1",
                                                  error);

  if (stmt == NULL)
    return NULL;
  /* %NULL without error: no events yet */
  if (dl_case_step_row (stmt, error))
    return g_strdup (dl_case_column_text (stmt, 0));
  return NULL;
}

gboolean
dl_case_chain_append (sqlite3                  *db,
                      DlIdentity               *appender,
                      const DlCaseEventContent *e,
                      GError                  **error)
{
  g_autoptr(sqlite3_stmt) last = NULL, insert = NULL;
  g_autofree char *prev = NULL, *hash = NULL, *chain_sig = NULL;
  gint64 seq = 1;
  const char *key = dl_identity_get_public_key (appender);

  last = dl_case_prepare (db, "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1", error);
  if (last == NULL)
    return FALSE;
  if (dl_case_step_row (last, error))
    {
      seq = sqlite3_column_int64 (last, 0) + 1;
      prev = g_strdup (dl_case_column_text (last, 1));
    }
  else if (error && *error)
    return FALSE;
  else
    prev = g_strdup (ZERO_HASH);

  hash = chain_hash (seq, e->content_hash, e->signature, prev, key);
  chain_sig = dl_identity_sign (appender, hash, strlen (hash));

  insert = dl_case_prepare (db, "INSERT INTO events (seq, id, time, author_login, author_name, author_key, kind, "
                                "case_id, payload, content_hash, signature, prev_hash, hash, appender_key, "
                                "chain_signature) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                                "?13, ?14, ?15)", error);
  if (insert == NULL)
    return FALSE;
  return dl_case_bind_int64 (insert, 1, seq, error)
         && dl_case_bind_text (insert, 2, e->id, error)
         && dl_case_bind_int64 (insert, 3, e->time, error)
         && dl_case_bind_text (insert, 4, e->login, error)
         && dl_case_bind_text (insert, 5, e->name, error)
         && dl_case_bind_text (insert, 6, e->key, error)
         && dl_case_bind_text (insert, 7, e->kind, error)
         && dl_case_bind_text (insert, 8, e->case_id, error)
         && dl_case_bind_text (insert, 9, e->payload, error)
         && dl_case_bind_text (insert, 10, e->content_hash, error)
         && dl_case_bind_text (insert, 11, e->signature, error)
         && dl_case_bind_text (insert, 12, prev, error)
         && dl_case_bind_text (insert, 13, hash, error)
         && dl_case_bind_text (insert, 14, key, error)
         && dl_case_bind_text (insert, 15, chain_sig, error)
         && dl_case_step_done (insert, error);
}

gboolean
dl_case_record (DlCaseFile *self,
                const char *kind,
                const char *case_id,
                const char *payload,
                GError    **error)
{
  g_auto(DlCaseEventContent) e = { 0 };

  /* every change appends an event: none before the file passed its check */
  if (!dl_case_file_wait_checked (self, error))
    return FALSE;
  e.id = dl_case_new_id ('E');
  e.time = g_get_real_time () / G_USEC_PER_SEC;
  e.login = g_strdup (dl_identity_get_login (self->identity));
  e.name = g_strdup (dl_identity_get_display_name (self->identity));
  e.key = g_strdup (dl_identity_get_public_key (self->identity));
  e.kind = g_strdup (kind);
  e.case_id = g_strdup (case_id);
  e.payload = g_strdup (payload);
  e.content_hash = dl_case_event_content_hash (&e);
  e.signature = dl_identity_sign (self->identity, e.content_hash, strlen (e.content_hash));
  return dl_case_chain_append (self->db, self->identity, &e, error);
}

gboolean
dl_case_record_row (DlCaseFile *self,
                    const char *kind,
                    const char *case_id,
                    const char *table,
                    const char *id,
                    GError    **error)
{
  g_autofree char *row = dl_case_row_json (self->db, table, id, error);
  g_autofree char *payload = NULL;

  if (row == NULL)
    return FALSE;
  payload = g_strdup_printf ("{\"table\":\"%s\",\"row\":%s}", table, row);
  return dl_case_record (self, kind, case_id, payload, error);
}

/* -- copying events between files (export, import) ------------------------- */

JsonObject *
dl_case_parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (dl_json_refused (json, -1) || !json_parser_load_from_data (parser, json, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

/* Sets @found; %FALSE when the look-up itself failed (then an import
 * must stop, not copy the event twice). */
static gboolean
has_event (sqlite3    *db,
           const char *id,
           gboolean   *found,
           GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = dl_case_prepare (db, "SELECT 1 FROM events WHERE id = ?1", error);

  *found = FALSE;
  if (stmt == NULL || !dl_case_bind_text (stmt, 1, id, error))
    return FALSE;
  *found = dl_case_step_row (stmt, error);
  return *found || error == NULL || *error == NULL;
}

/* The image of a scan for an embedding copy: the source's blob, or the
 * file on disk when it still has the recorded hash. */
GBytes *
dl_case_scan_image (sqlite3    *src,
                    JsonObject *row,
                    gboolean    embed,
                    GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *id = json_object_get_string_member_with_default (row, "id", "");
  const char *path = json_object_get_string_member_with_default (row, "path", "");
  const char *sha = json_object_get_string_member_with_default (row, "sha256", "");
  g_autofree char *found = NULL;
  GBytes *bytes = NULL;

  stmt = dl_case_prepare (src, "SELECT image FROM scans WHERE id = ?1 AND image IS NOT NULL", error);
  if (stmt == NULL || !dl_case_bind_text (stmt, 1, id, error))
    return NULL;
  if (dl_case_step_row (stmt, error))
    return g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  if ((error && *error) || !embed)
    return NULL;

  found = dl_case_sha256_file (path, NULL, &bytes, error);
  if (found == NULL)
    return NULL;
  if (strcmp (found, sha) != 0)
    {
      g_bytes_unref (bytes);
      g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FAILED,
                   _("The scan “%s” has changed since it was added (its SHA-256 is no longer %s)"), path, sha);
      return NULL;
    }
  return bytes;
}

/* Inserts the row recorded in an event's payload. */
static gboolean
insert_row (sqlite3    *dst,
            sqlite3    *src,
            const char *table,
            JsonObject *row,
            gboolean    embed,
            GError    **error)
{
  g_autoptr(GList) members = json_object_get_members (row);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GString) values = g_string_new (NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GBytes) image = NULL;
  int n = 0;

  if (strcmp (table, "scans") == 0)
    {
      g_autoptr(GError) local = NULL;

      image = dl_case_scan_image (src, row, embed, &local);
      if (local)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }

  g_string_printf (sql, "INSERT INTO %s (", table);
  for (GList *l = members; l; l = l->next)
    {
      const char *name = l->data;

      if (*name == '\0' || strspn (name, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen (name))
        {
          g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID,
                       _("An event records a row of %s with a column that cannot exist"), table);
          return FALSE;
        }
      g_string_append_printf (sql, "%s%s", n ? ", " : "", name);
      g_string_append_printf (values, "%s?%d", n ? ", " : "", n + 1);
      n++;
    }
  if (image)
    {
      g_string_append_printf (sql, "%simage", n ? ", " : "");
      g_string_append_printf (values, "%s?%d", n ? ", " : "", n + 1);
    }
  g_string_append_printf (sql, ") VALUES (%s)", values->str);

  stmt = dl_case_prepare (dst, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  n = 0;
  for (GList *l = members; l; l = l->next, n++)
    {
      JsonNode *value = json_object_get_member (row, l->data);

      if (json_node_get_value_type (value) == G_TYPE_INT64)
        {
          if (!dl_case_bind_int64 (stmt, n + 1, json_node_get_int (value), error))
            return FALSE;
        }
      else if (json_node_get_value_type (value) == G_TYPE_STRING)
        {
          if (!dl_case_bind_text (stmt, n + 1, json_node_get_string (value), error))
            return FALSE;
        }
      else if (json_node_get_value_type (value) == G_TYPE_DOUBLE)
        {
          if (sqlite3_bind_double (stmt, n + 1, json_node_get_double (value)) != SQLITE_OK)
            return dl_case_sql_fail (dst, error);
        }
      else
        {
          g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID,
                       _("An event records a value of %s.%s that is neither a number nor text"),
                       table, (const char *) l->data);
          return FALSE;
        }
    }
  if (image && !dl_case_bind_blob (stmt, n + 1, image, error))
    return FALSE;
  return dl_case_step_done (stmt, error);
}

/* Applies an event's rows to @dst: the row it made, or the one it removed. */
static gboolean
apply_payload (sqlite3                  *dst,
               sqlite3                  *src,
               const DlCaseEventContent *e,
               gboolean                  embed,
               GError                  **error)
{
  g_autoptr(JsonObject) payload = dl_case_parse_object (e->payload);
  const char *table;

  if (payload == NULL)
    {
      g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID,
                   _("The payload of event “%s” is not JSON"), e->id);
      return FALSE;
    }
  table = json_object_get_string_member_with_default (payload, "table", NULL);
  if (table == NULL)
    return TRUE;
  if (!is_row_table (table))
    {
      g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID,
                   _("Event “%s” records a row of an unknown table"), e->id);
      return FALSE;
    }
  if (json_object_has_member (payload, "removed"))
    {
      g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE id = ?1", table);
      g_autoptr(sqlite3_stmt) stmt = dl_case_prepare (dst, sql, error);

      return stmt != NULL
             && dl_case_bind_text (stmt, 1, json_object_get_string_member_with_default (payload, "removed", ""), error)
             && dl_case_step_done (stmt, error);
    }
  if (!json_object_has_member (payload, "row")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (payload, "row")))
    {
      g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID,
                   _("Event “%s” names a table but holds no row"), e->id);
      return FALSE;
    }
  return insert_row (dst, src, table, json_object_get_object_member (payload, "row"), embed, error);
}

void
dl_case_event_content_read (sqlite3_stmt       *stmt,
                            DlCaseEventContent *e)
{
  e->id = g_strdup (dl_case_column_text (stmt, 1));
  e->time = sqlite3_column_int64 (stmt, 2);
  e->login = g_strdup (dl_case_column_text (stmt, 3));
  e->name = g_strdup (dl_case_column_text (stmt, 4));
  e->key = g_strdup (dl_case_column_text (stmt, 5));
  e->kind = g_strdup (dl_case_column_text (stmt, 6));
  e->case_id = sqlite3_column_type (stmt, 7) == SQLITE_NULL ? NULL : g_strdup (dl_case_column_text (stmt, 7));
  e->payload = g_strdup (dl_case_column_text (stmt, 8));
  e->content_hash = g_strdup (dl_case_column_text (stmt, 9));
  e->signature = g_strdup (dl_case_column_text (stmt, 10));
}

#define EVENT_COLUMNS DL_CASE_EVENT_COLUMNS

gboolean
dl_case_copy_events (sqlite3    *dst,
                     sqlite3    *src,
                     DlIdentity *appender,
                     const char *case_id,
                     gboolean    embed,
                     DlCaseFile *monitor,
                     guint      *n_copied,
                     GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 total = 0, done = 0;
  int rc = SQLITE_DONE;

  stmt = dl_case_prepare (src, case_id ? "SELECT " EVENT_COLUMNS " FROM events WHERE case_id = ?1 ORDER BY seq"
                                       : "SELECT " EVENT_COLUMNS " FROM events WHERE case_id IS NOT NULL ORDER BY seq",
                          error);
  if (stmt == NULL || (case_id && !dl_case_bind_text (stmt, 1, case_id, error)))
    return FALSE;
  if (monitor)
    total = case_id ? dl_case_count_text (src, "SELECT count (*) FROM events WHERE case_id = ?1", case_id)
                    : dl_case_count (src, "SELECT count (*) FROM events WHERE case_id IS NOT NULL");

  while ((monitor == NULL || dl_case_monitor_step (monitor, done++, total))
         && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_auto(DlCaseEventContent) e = { 0 };
      g_autofree char *content = NULL;
      gboolean present;

      dl_case_event_content_read (stmt, &e);
      if (!has_event (dst, e.id, &present, error))
        return FALSE;
      if (present)
        continue;
      content = dl_case_event_content_hash (&e);
      if (strcmp (content, e.content_hash) != 0
          || !dl_identity_verify (e.key, e.content_hash, strlen (e.content_hash), e.signature, NULL))
        {
          g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_SIGNATURE,
                       _("Event %s does not match its hash or signature"), e.id);
          return FALSE;
        }
      if (!apply_payload (dst, src, &e, embed, error) || !dl_case_chain_append (dst, appender, &e, error))
        return FALSE;
      if (n_copied)
        (*n_copied)++;
    }
  if (monitor && !dl_case_monitor_step (monitor, done, total))
    return dl_case_monitor_fail (monitor, error);
  return rc == SQLITE_DONE || dl_case_sql_fail (src, error);
}

/* -- verification ------------------------------------------------------------ */

void
dl_case_add_problem (DlVerifyReport *report,
                     DlVerifyKind    kind,
                     gint64          seq,
                     const char     *table,
                     const char     *row_id,
                     const char     *format,
                     ...)
{
  DlVerifyProblem *p = g_new0 (DlVerifyProblem, 1);
  g_autofree char *message = NULL;
  va_list args;

  p->kind = kind;
  p->seq = seq;
  p->table = g_strdup (table);
  p->row_id = row_id ? g_utf8_make_valid (row_id, -1) : NULL;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* it may quote bytes of a hostile file */
  p->message = g_utf8_make_valid (message, -1);
  g_ptr_array_add (report->problems, p);
}

typedef struct
{
  JsonObject *row;   /* the row the event made */
  gint64      seq;
} Expected;

static void
expected_free (gpointer data)
{
  Expected *x = data;

  json_object_unref (x->row);
  g_free (x);
}

/* The member @name of @object when it is a string, else %NULL (without the
 * critical json_object_get_string_member () gives for an array). */
static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
check_event_signatures (DlVerifyReport           *report,
                        gint64                    seq,
                        const DlCaseEventContent *e,
                        const char               *hash,
                        const char               *appender_key,
                        const char               *chain_signature)
{
  if (!dl_identity_verify (e->key, e->content_hash, strlen (e->content_hash), e->signature, NULL))
    dl_case_add_problem (report, DL_VERIFY_SIGNATURE, seq, "events", e->id,
                         _("event %lld: the signature of its author %s (%s) does not verify"),
                         (long long) seq, e->name, e->login);
  if (!dl_identity_verify (appender_key, hash, strlen (hash), chain_signature, NULL))
    dl_case_add_problem (report, DL_VERIFY_SIGNATURE, seq, "events", e->id,
                         _("event %lld: the signature over its place in the chain does not verify"),
                         (long long) seq);
}

/* Records the row of @payload (naming @table) into @rows. */
static void
expect_row (DlVerifyReport *report,
            GHashTable     *rows,
            gint64          seq,
            const char     *table,
            JsonObject     *payload)
{
  JsonNode *node = json_object_get_member (payload, "row");
  const char *id = NULL;
  Expected *x;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    id = member_string (json_node_get_object (node), "id");
  if (id == NULL)
    {
      dl_case_add_problem (report, DL_VERIFY_CHAIN, seq, "events", NULL,
                           _("event %lld: it names the table %s but records no row of it with an id"),
                           (long long) seq, table);
      return;
    }
  x = g_new0 (Expected, 1);
  x->row = json_object_ref (json_node_get_object (node));
  x->seq = seq;
  g_hash_table_replace (rows, g_strdup (id), x);
}

/* Records what an event says about rows into @expected (table → id → Expected). */
static void
expect_rows (DlVerifyReport           *report,
             GHashTable               *expected,
             gint64                    seq,
             const DlCaseEventContent *e)
{
  g_autoptr(JsonObject) payload = dl_case_parse_object (e->payload);
  const char *table, *removed;
  GHashTable *rows;

  if (payload == NULL)
    {
      dl_case_add_problem (report, DL_VERIFY_CHAIN, seq, "events", e->id,
                           _("event %lld: its payload is not JSON"), (long long) seq);
      return;
    }
  if (!json_object_has_member (payload, "table"))
    return;
  table = member_string (payload, "table");
  if (table == NULL || (rows = g_hash_table_lookup (expected, table)) == NULL)
    {
      dl_case_add_problem (report, DL_VERIFY_CHAIN, seq, "events", e->id,
                           _("event %lld: it records a row of a table that case files do not have"),
                           (long long) seq);
      return;
    }
  if (!json_object_has_member (payload, "removed"))
    expect_row (report, rows, seq, table, payload);
  else if ((removed = member_string (payload, "removed")) != NULL)
    g_hash_table_remove (rows, removed);
  else
    dl_case_add_problem (report, DL_VERIFY_CHAIN, seq, "events", e->id,
                         _("event %lld: it removes a row of %s but does not say which"), (long long) seq, table);
}

/* Sets @found when the case @case_id has a scan whose SHA-256 is @sha256;
 * %FALSE when the look-up itself failed. */
static gboolean
case_has_scan (sqlite3    *db,
               const char *case_id,
               const char *sha256,
               gboolean   *found,
               GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = dl_case_prepare (db, "SELECT 1 FROM scans WHERE case_id = ?1 AND sha256 = ?2",
                                                  error);

  *found = FALSE;
  if (stmt == NULL || !dl_case_bind_text (stmt, 1, case_id, error) || !dl_case_bind_text (stmt, 2, sha256, error))
    return FALSE;
  *found = dl_case_step_row (stmt, error);
  return *found || *error == NULL;
}

/* A verdict's record of what was seen (dl-case-seen.h) is signed with it;
 * its scans must also be scans of the very case, or the verdict was bound
 * to something else than the case says. */
static void
check_seen (sqlite3                  *db,
            DlVerifyReport           *report,
            gint64                    seq,
            const DlCaseEventContent *e)
{
  g_autoptr(JsonObject) payload = dl_case_parse_object (e->payload);
  JsonNode *seen = payload ? json_object_get_member (payload, "seen") : NULL;
  JsonNode *scans;
  JsonArray *list;

  if (seen == NULL || g_strcmp0 (member_string (payload, "table"), "verdicts") != 0)
    return;
  scans = JSON_NODE_HOLDS_OBJECT (seen) ? json_object_get_member (json_node_get_object (seen), "scans") : NULL;
  if (scans == NULL || !JSON_NODE_HOLDS_ARRAY (scans) || e->case_id == NULL)
    {
      dl_case_add_problem (report, DL_VERIFY_CHAIN, seq, "events", e->id,
                           _("event %lld: its record of what was seen names no scans"), (long long) seq);
      return;
    }
  list = json_node_get_array (scans);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *item = json_array_get_element (list, i);
      const char *sha = JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING
                        ? json_node_get_string (item) : NULL;
      g_autoptr(GError) error = NULL;
      gboolean found = FALSE;

      if (sha && !case_has_scan (db, e->case_id, sha, &found, &error))
        dl_case_add_problem (report, DL_VERIFY_CHAIN, seq, "events", e->id,
                             _("event %lld: the scans its verdict was recorded over could not be looked up: %s"),
                             (long long) seq, error->message);
      else if (!found)
        dl_case_add_problem (report, DL_VERIFY_CHAIN, seq, "events", e->id,
                             _("event %lld: the verdict was recorded over a scan that is not one of case %s’s (%s)"),
                             (long long) seq, e->case_id, sha ? sha : "?");
    }
}

static void
verify_chain (DlCaseFile     *self,
              DlVerifyReport *report,
              GHashTable     *expected)
{
  sqlite3 *db = self->db;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *prev = g_strdup (ZERO_HASH);
  gint64 next_seq = 1;
  gint64 total = dl_case_count (db, "SELECT count (*) FROM events");
  int rc = sqlite3_prepare_v2 (db, "SELECT " EVENT_COLUMNS " FROM events ORDER BY seq", -1, &stmt, NULL);

  while (rc == SQLITE_OK && dl_case_monitor_step (self, report->n_events, total)
         && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_auto(DlCaseEventContent) e = { 0 };
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      const char *prev_hash = dl_case_column_text (stmt, 11);
      const char *hash = dl_case_column_text (stmt, 12);
      g_autofree char *content = NULL, *recomputed = NULL;
      gboolean intact;

      dl_case_event_content_read (stmt, &e);
      report->n_events++;
      if (seq > next_seq)
        dl_case_add_problem (report, DL_VERIFY_CHAIN, next_seq, "events", NULL,
                             seq == next_seq + 1 ? _("event %lld: missing (deleted)")
                                                 : _("events %lld–%lld: missing (deleted)"),
                             (long long) next_seq, (long long) (seq - 1));
      content = dl_case_event_content_hash (&e);
      recomputed = chain_hash (seq, e.content_hash, e.signature, prev_hash, dl_case_column_text (stmt, 13));
      intact = strcmp (content, e.content_hash) == 0;
      if (!intact)
        dl_case_add_problem (report, DL_VERIFY_CHAIN, seq, "events", e.id,
                             _("event %lld (%s): changed: its content no longer matches its hash"),
                             (long long) seq, e.kind);
      if (strcmp (recomputed, hash) != 0)
        dl_case_add_problem (report, DL_VERIFY_CHAIN, seq, "events", e.id,
                             _("event %lld (%s): its chain hash does not match (changed or moved)"),
                             (long long) seq, e.kind);
      if (strcmp (prev_hash, prev) != 0)
        dl_case_add_problem (report, DL_VERIFY_CHAIN, seq, "events", e.id,
                             _("event %lld: does not follow the event before it (an event was deleted, inserted or reordered)"),
                             (long long) seq);
      if (intact)
        check_event_signatures (report, seq, &e, hash, dl_case_column_text (stmt, 13),
                                dl_case_column_text (stmt, 14));
      expect_rows (report, expected, seq, &e);
      check_seen (db, report, seq, &e);
      g_free (prev);
      prev = g_strdup (hash);
      next_seq = seq + 1;
      rc = SQLITE_OK;
    }
  if (rc != SQLITE_OK && rc != SQLITE_DONE)
    dl_case_add_problem (report, DL_VERIFY_CHAIN, next_seq, "events", NULL,
                         _("the events from %lld on could not be read, so they were not checked (%s)"),
                         (long long) next_seq, sqlite3_errmsg (db));
  if (report->n_events > 0)
    report->chain_head = g_steal_pointer (&prev);
}

/* -- the rows compared with what the events recorded, byte for byte ------------- */

#define SHOWN_MAX 120   /* bytes of a value a message quotes */

/* Appends @length bytes of @text in double quotes, escaped as in JSON, a
 * byte that is not UTF-8 as \xHH; %FALSE when there was one. */
static gboolean
append_quoted (GString    *out,
               const char *text,
               gsize       length)
{
  const char *p = text, *end = text + length;
  gboolean valid = TRUE;

  g_string_append_c (out, '"');
  while (p < end)
    {
      gunichar c = *p ? g_utf8_get_char_validated (p, end - p) : 0;

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02X", (guchar) *p++);
          valid = FALSE;
          continue;
        }
      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", (char) c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\u%04X", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }
  g_string_append_c (out, '"');
  return valid;
}

/* @text quoted for a message: all of it when short, else the part around
 * byte @at, where it first differs. */
static char *
quote_text (const char *text,
            gsize       length,
            gsize       at)
{
  GString *out = g_string_new (NULL);
  gsize from = 0, to = length;

  if (length > SHOWN_MAX)
    {
      from = at > SHOWN_MAX / 2 ? at - SHOWN_MAX / 2 : 0;
      to = MIN (length, from + SHOWN_MAX);
      for (int i = 0; i < 3 && from > 0 && (text[from] & 0xc0) == 0x80; i++)
        from--;
      for (int i = 0; i < 3 && to < length && (text[to] & 0xc0) == 0x80; i++)
        to++;
    }
  if (from > 0)
    g_string_append (out, "…");
  if (!append_quoted (out, text + from, to - from))
    g_string_append (out, _(" (not valid UTF-8)"));
  if (to < length)
    g_string_append (out, "…");
  if (length > SHOWN_MAX)
    g_string_append_printf (out, _(" (%zu bytes, differing from byte %zu)"), (size_t) length, (size_t) at);
  return g_string_free (out, FALSE);
}

static const char *
recorded_string (JsonNode *value)
{
  if (value == NULL || !JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (value);
}

/* Whether column @c of the file's row is @value (the event's; %NULL when it
 * recorded none), byte for byte. */
static gboolean
column_is (sqlite3_stmt *stmt,
           int           c,
           JsonNode     *value)
{
  int type = sqlite3_column_type (stmt, c);
  const char *recorded = recorded_string (value);

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return type == SQLITE_NULL;
  if (type == SQLITE_INTEGER)
    return JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_INT64
           && json_node_get_int (value) == sqlite3_column_int64 (stmt, c);
  if (type == SQLITE_TEXT && recorded != NULL)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, c);
      gsize n = strlen (recorded);

      return (gsize) sqlite3_column_bytes (stmt, c) == n && memcmp (text, recorded, n) == 0;
    }
  /* a real number (findings.score) as exactly the one recorded */
  if (type == SQLITE_FLOAT)
    return JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_DOUBLE
           && json_node_get_double (value) == sqlite3_column_double (stmt, c);
  /* a blob, which no event records, or types that differ */
  return FALSE;
}

/* The first byte at which two texts differ (0 unless both are text). */
static gsize
difference_at (sqlite3_stmt *stmt,
               int           c,
               JsonNode     *value)
{
  const char *recorded = recorded_string (value);
  const char *text;
  gsize n, i = 0;

  if (sqlite3_column_type (stmt, c) != SQLITE_TEXT || recorded == NULL)
    return 0;
  text = (const char *) sqlite3_column_text (stmt, c);
  n = MIN ((gsize) sqlite3_column_bytes (stmt, c), strlen (recorded));
  while (i < n && text[i] == recorded[i])
    i++;
  return i;
}

static char *
describe_column (sqlite3_stmt *stmt,
                 int           c,
                 gsize         at)
{
  switch (sqlite3_column_type (stmt, c))
    {
    case SQLITE_NULL:
      return g_strdup ("NULL");
    case SQLITE_INTEGER:
      return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, c));
    case SQLITE_FLOAT:
      return g_strdup_printf (_("the real number %.17g"), sqlite3_column_double (stmt, c));
    case SQLITE_BLOB:
      return g_strdup_printf (_("a blob of %d bytes"), sqlite3_column_bytes (stmt, c));
    default:
      {
        const char *text = (const char *) sqlite3_column_text (stmt, c);

        return quote_text (text, sqlite3_column_bytes (stmt, c), at);
      }
    }
}

static char *
describe_recorded (JsonNode *value,
                   gsize     at)
{
  const char *recorded = recorded_string (value);
  g_autofree char *json = NULL;

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return g_strdup ("NULL");
  if (recorded != NULL)
    return quote_text (recorded, strlen (recorded), at);
  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) json_node_get_int (value));
  json = node_to_string (value);
  return quote_text (json, strlen (json), 0);
}

static void
report_difference (DlVerifyReport *report,
                   const char     *table,
                   const char     *id,
                   sqlite3_stmt   *stmt,
                   int             c,
                   const Expected *x)
{
  JsonNode *value = json_object_get_member (x->row, sqlite3_column_name (stmt, c));
  gsize at = difference_at (stmt, c, value);
  g_autofree char *found = describe_column (stmt, c, at);
  g_autofree char *recorded = describe_recorded (value, at);

  dl_case_add_problem (report, DL_VERIFY_ROW, x->seq, table, id,
                       _("%s row %s: %s is %s in the file but %s in event %lld that recorded it (changed outside Doorlicht)"),
                       table, id, sqlite3_column_name (stmt, c), found, recorded, (long long) x->seq);
}

/* The embedded image is not in the events: verify_scans () checks it
 * against the recorded sha256. */
static gboolean
is_checked_elsewhere (const char *table,
                      const char *column)
{
  return strcmp (table, "scans") == 0 && strcmp (column, "image") == 0;
}

/* Every column of the file's row against the event's, and every column the
 * event recorded that the row lacks: nothing differs unreported. */
static void
compare_row (DlVerifyReport *report,
             const char     *table,
             const char     *id,
             sqlite3_stmt   *stmt,
             const Expected *x)
{
  g_autoptr(GHashTable) columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GList) members = json_object_get_members (x->row);

  for (int c = 0; c < sqlite3_column_count (stmt); c++)
    {
      const char *name = sqlite3_column_name (stmt, c);

      g_hash_table_add (columns, g_strdup (name));
      if (is_checked_elsewhere (table, name))
        continue;
      if (!column_is (stmt, c, json_object_get_member (x->row, name)))
        report_difference (report, table, id, stmt, c, x);
    }
  for (GList *l = members; l; l = l->next)
    if (!g_hash_table_contains (columns, l->data) || is_checked_elsewhere (table, l->data))
      dl_case_add_problem (report, DL_VERIFY_ROW, x->seq, table, id,
                           _("%s row %s: event %lld recorded a column %s that the row in the file does not have"),
                           table, id, (long long) x->seq, (const char *) l->data);
}

static int
id_column (sqlite3_stmt *stmt)
{
  for (int c = 0; c < sqlite3_column_count (stmt); c++)
    if (strcmp (sqlite3_column_name (stmt, c), "id") == 0)
      return c;
  return -1;
}

/* Compares the rows of @table with @rows (id → Expected), removing each
 * row found; %FALSE when not all rows could be read (reported). */
static gboolean
verify_table (DlCaseFile     *self,
              DlVerifyReport *report,
              const char     *table,
              GHashTable     *rows)
{
  g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY rowid", table);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc = SQLITE_ERROR, c = -1;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) == SQLITE_OK && (c = id_column (stmt)) >= 0)
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        const char *id = dl_case_column_text (stmt, c);
        Expected *x = g_hash_table_lookup (rows, id);

        report->n_rows++;
        if (x == NULL)
          dl_case_add_problem (report, DL_VERIFY_ROW, 0, table, id,
                               _("%s row %s: no event records it (added outside Doorlicht)"), table, id);
        else
          compare_row (report, table, id, stmt, x);
        g_hash_table_remove (rows, id);
      }
  if (rc == SQLITE_DONE)
    return TRUE;
  dl_case_add_problem (report, DL_VERIFY_ROW, 0, table, NULL,
                       _("%s: its rows could not all be read, so they were not all checked (%s)"),
                       table, c < 0 && stmt ? _("it has no id column") : sqlite3_errmsg (self->db));
  return FALSE;
}

static void
verify_rows (DlCaseFile     *self,
             DlVerifyReport *report,
             GHashTable     *expected)
{
  for (guint t = 0; row_tables[t] && dl_case_monitor_step (self, t, G_N_ELEMENTS (row_tables) - 1); t++)
    {
      GHashTable *rows = g_hash_table_lookup (expected, row_tables[t]);
      GHashTableIter iter;
      gpointer key, value;

      /* a file of version 4 or before, read as it is, has no bay plans */
      if (self->read_only && self->opened_version < 5 && strcmp (row_tables[t], "bay_plans") == 0)
        continue;
      /* … and one of version 5 or before no findings (a file opened for
       * writing was migrated: it has the tables, and they are checked) */
      if (self->read_only && self->opened_version < 6 && g_str_has_prefix (row_tables[t], "finding"))
        continue;
      /* rows not read are not said to be deleted */
      if (!verify_table (self, report, row_tables[t], rows))
        continue;
      g_hash_table_iter_init (&iter, rows);
      while (g_hash_table_iter_next (&iter, &key, &value))
        dl_case_add_problem (report, DL_VERIFY_ROW, ((Expected *) value)->seq, row_tables[t], key,
                             _("%s row %s: recorded by event %lld but missing (deleted outside Doorlicht)"),
                             row_tables[t], (const char *) key, (long long) ((Expected *) value)->seq);
    }
}

static void
check_scan_hash (DlVerifyReport *report,
                 const char     *id,
                 const char     *what,
                 const char     *recorded,
                 const char     *found)
{
  report->n_scans_checked++;
  if (strcmp (recorded, found) != 0)
    dl_case_add_problem (report, DL_VERIFY_SCAN, 0, "scans", id,
                         _("scan %s: the SHA-256 of %s is %s, but %s was recorded"),
                         id, what, found, recorded);
}

/* The embedded image of the scan in row @rowid against its @sha256. */
static void
check_embedded (sqlite3        *db,
                DlVerifyReport *report,
                gint64          rowid,
                const char     *id,
                const char     *sha)
{
  g_autoptr(sqlite3_stmt) blob = NULL;
  g_autofree char *found = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT image FROM scans WHERE rowid = ?1", -1, &blob, NULL) != SQLITE_OK
      || sqlite3_bind_int64 (blob, 1, rowid) != SQLITE_OK || sqlite3_step (blob) != SQLITE_ROW)
    {
      dl_case_add_problem (report, DL_VERIFY_SCAN, 0, "scans", id,
                           _("scan %s: its embedded image could not be read, so it was not checked (%s)"),
                           id, sqlite3_errmsg (db));
      return;
    }
  found = dl_sha256_hex (sqlite3_column_blob (blob, 0), sqlite3_column_bytes (blob, 0));
  check_scan_hash (report, id, _("the embedded image"), sha, found);
}

static void
check_on_disk (DlVerifyReport *report,
               const char     *id,
               const char     *path,
               const char     *sha)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *found = dl_case_sha256_file (path, NULL, NULL, &error);
  g_autofree char *what = g_strdup_printf (_("the file “%s”"), path);

  if (found)
    check_scan_hash (report, id, what, sha, found);
  else
    dl_case_add_problem (report, DL_VERIFY_SCAN, 0, "scans", id, _("scan %s: not checked: %s"), id, error->message);
}

static void
verify_scans (DlCaseFile     *self,
              DlVerifyReport *report)
{
  sqlite3 *db = self->db;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 total = dl_case_count (db, "SELECT count (*) FROM scans"), done = 0;
  int rc = sqlite3_prepare_v2 (db, "SELECT id, path, sha256, image IS NOT NULL, rowid FROM scans", -1, &stmt, NULL);

  while (rc == SQLITE_OK && dl_case_monitor_step (self, done++, total) && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = dl_case_column_text (stmt, 0);
      const char *path = dl_case_column_text (stmt, 1);
      const char *sha = dl_case_column_text (stmt, 2);

      rc = SQLITE_OK;
      if (sqlite3_column_int (stmt, 3))
        check_embedded (db, report, sqlite3_column_int64 (stmt, 4), id, sha);
      if (*path && g_file_test (path, G_FILE_TEST_IS_REGULAR))
        check_on_disk (report, id, path, sha);
      else if (!sqlite3_column_int (stmt, 3))
        dl_case_add_problem (report, DL_VERIFY_SCAN, 0, "scans", id,
                             _("scan %s: not checked: its image is not held in the case file, and “%s” is not "
                               "there (put the scan back there, or verify on the computer that has it)"),
                             id, path);
    }
  if (rc != SQLITE_OK && rc != SQLITE_DONE)
    dl_case_add_problem (report, DL_VERIFY_SCAN, 0, "scans", NULL,
                         _("the scans could not all be read, so their images were not all checked (%s)"),
                         sqlite3_errmsg (db));
}

static GHashTable *
new_expected (void)
{
  GHashTable *expected = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_hash_table_unref);

  for (guint t = 0; row_tables[t]; t++)
    g_hash_table_insert (expected, (gpointer) row_tables[t],
                         g_hash_table_new_full (g_str_hash, g_str_equal, g_free, expected_free));
  return expected;
}

DlVerifyReport *
dl_case_file_verify (DlCaseFile *self,
                     GError    **error)
{
  g_autoptr(DlVerifyReport) report = g_new0 (DlVerifyReport, 1);
  g_autoptr(GHashTable) expected = new_expected ();
  g_auto(DlCaseAnchor) anchor = { 0 };

  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);

  report->problems = g_ptr_array_new ();
  /* the anchor before the chain, and everything of the file in one read
   * transaction (a snapshot that a writer committing beside leaves as it
   * is): the chain holds the anchor's event, or lost it */
  dl_case_anchor_load (self->path, &anchor);
  if (!dl_case_exec (self->db, "BEGIN", error))
    return NULL;
  dl_case_monitor_phase (self, 0, 0.5);
  verify_chain (self, report, expected);
  dl_case_anchor_verify (self->db, &anchor, report);
  dl_case_monitor_phase (self, 0.5, 0.2);
  verify_rows (self, report, expected);
  dl_case_monitor_phase (self, 0.7, 0.3);
  verify_scans (self, report);
  dl_case_verify_thumbnails (self->db, report);
  dl_case_verify_export (self->db, self->path, report);
  dl_case_exec (self->db, "COMMIT", NULL);
  /* a verification stopped part way says nothing */
  if (!dl_case_monitor_step (self, 1, 1))
    return dl_case_monitor_fail (self, error), NULL;
  return g_steal_pointer (&report);
}

void
dl_verify_report_free (DlVerifyReport *report)
{
  if (report == NULL)
    return;
  for (guint i = 0; report->problems && i < report->problems->len; i++)
    {
      DlVerifyProblem *p = g_ptr_array_index (report->problems, i);

      g_free (p->table);
      g_free (p->row_id);
      g_free (p->message);
      g_free (p);
    }
  g_clear_pointer (&report->problems, g_ptr_array_unref);
  g_free (report->chain_head);
  g_free (report->export_signer.login);
  g_free (report->export_signer.name);
  g_free (report->export_signer.fingerprint);
  g_free (report);
}
