/* dl-site.c — the site store on PostgreSQL (libpq): connecting without
 * ever quoting a password, the schema and roles made, claims with a
 * lease, the queue's notifications in a GLib main loop, and the writes
 * with their signed, hash-chained audit events made exactly as the case
 * file makes them (dl-case-audit.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-site"

#include "config.h"

#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libpq-fe.h>
#include <string.h>

#include "dl-case-file.h"
#include "dl-case-private.h"
#include "dl-hash.h"
#include "dl-site-private.h"

/* The queue's claim, retried when a concurrent claimer took the case a
 * statement had seen as free (READ COMMITTED re-checks it and skips it). */
#define CLAIM_TRIES 8

typedef struct
{
  DlSiteWatchFunc func;
  gpointer        user_data;
  GDestroyNotify  destroy;
} Watch;

struct _DlSite
{
  GObject     parent_instance;
  PGconn     *conn;
  char       *target;     /* the address without a password, for messages */
  char       *login;
  DlIdentity *identity;
  Watch      *watch;
  guint       watch_source;
  guint       pending_idle;
  GQueue      pending;    /* case ids notified while a statement ran */
};

/* The type's functions are dl_site_object_…: dl_site_init () is the
 * store's set-up, not the instance's. */
GType dl_site_object_get_type (void);
G_DEFINE_FINAL_TYPE (DlSite, dl_site_object, G_TYPE_OBJECT)

enum {
  DISCONNECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GType
dl_site_get_type (void)
{
  return dl_site_object_get_type ();
}

G_DEFINE_QUARK (dl-site-error-quark, dl_site_error)

static const char * const role_names[] = { "analyst", "supervisor", "auditor" };

int
dl_site_role_from_name (const char *name)
{
  for (guint i = 0; name && i < G_N_ELEMENTS (role_names); i++)
    if (strcmp (name, role_names[i]) == 0)
      return (int) i;
  return -1;
}

const char *
dl_site_role_to_name (DlSiteRole role)
{
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (role_names), NULL);
  return role_names[role];
}

void
dl_site_queue_item_free (DlSiteQueueItem *item)
{
  if (item == NULL)
    return;
  g_free (item->case_id);
  g_free (item->title);
  g_free (item->state);
  g_free (item->claimed_by);
  g_free (item);
}

/* -- the address, without its password ------------------------------------- */

static gboolean
is_shown_option (const char *keyword)
{
  static const char * const shown[] = { "host", "hostaddr", "port", "dbname", "user", NULL };

  return g_strv_contains (shown, keyword);
}

char *
dl_site_describe_target (const char *uri)
{
  PQconninfoOption *options;
  g_autoptr(GString) out = g_string_new (NULL);
  char *parse_error = NULL;

  g_return_val_if_fail (uri != NULL, NULL);

  /* libpq's message on a string it cannot parse may quote the string */
  options = PQconninfoParse (uri, &parse_error);
  PQfreemem (parse_error);
  if (options == NULL)
    return NULL;
  for (PQconninfoOption *o = options; o->keyword; o++)
    if (o->val && *o->val && is_shown_option (o->keyword))
      g_string_append_printf (out, "%s%s=%s", out->len ? " " : "", o->keyword, o->val);
  PQconninfoFree (options);
  if (out->len == 0)
    g_string_append (out, _("the default PostgreSQL server"));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* -- statements ---------------------------------------------------------------- */

static char *
server_message (const PGresult *res,
                PGconn         *conn)
{
  const char *primary = res ? PQresultErrorField (res, PG_DIAG_MESSAGE_PRIMARY) : NULL;

  return g_strchomp (g_strdup (primary ? primary : PQerrorMessage (conn)));
}

static int
code_of_state (const char *state,
               const char *message)
{
  if (g_strcmp0 (state, "42501") == 0)
    return DL_SITE_ERROR_DENIED;
  if (g_strcmp0 (state, "23514") == 0 && message && g_str_has_prefix (message, "four eyes"))
    return DL_SITE_ERROR_FOUR_EYES;
  /* no schema, table, column, function or type: not set up, or set up by
   * an older Doorlicht (a column of a later version) */
  if (g_strcmp0 (state, "3F000") == 0 || g_strcmp0 (state, "42P01") == 0 || g_strcmp0 (state, "42883") == 0
      || g_strcmp0 (state, "42704") == 0 || g_strcmp0 (state, "42703") == 0)
    return DL_SITE_ERROR_NOT_INITIALISED;
  if (g_strcmp0 (state, "23503") == 0)
    return DL_SITE_ERROR_NOT_FOUND;
  return DL_SITE_ERROR_FAILED;
}

gboolean
dl_site_fail (DlSite          *self,
              const PGresult  *res,
              GError         **error)
{
  const char *state = res ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
  g_autofree char *message = server_message (res, self->conn);
  int code = code_of_state (state, message);

  if (code == DL_SITE_ERROR_NOT_INITIALISED)
    g_set_error (error, DL_SITE_ERROR, code,
                 _("The site store at %s is not set up, or set up by an older Doorlicht (run “doorlicht-cli site init”): %s"),
                 self->target, message);
  else
    g_set_error (error, DL_SITE_ERROR, code, _("The site store at %s refused: %s (SQLSTATE %s)"),
                 self->target, message, state ? state : "-");
  return FALSE;
}

static void dispatch_later (DlSite *self);

/* Notifications that came in while a statement ran are kept for the
 * watch (its socket will not wake it for them again). */
static void
collect_notifies (DlSite *self)
{
  PGnotify *n;

  while ((n = PQnotifies (self->conn)) != NULL)
    {
      if (self->watch)
        g_queue_push_tail (&self->pending, g_strdup (n->extra));
      PQfreemem (n);
    }
  if (self->watch && !g_queue_is_empty (&self->pending))
    dispatch_later (self);
}

/* Runs @sql with text parameters (%NULL: SQL NULL); %NULL with @error
 * when it failed. */
PGresult *
dl_site_exec (DlSite              *self,
              const char          *sql,
              int                  n_params,
              const char * const  *params,
              GError             **error)
{
  PGresult *res = PQexecParams (self->conn, sql, n_params, NULL, params, NULL, NULL, 0);
  ExecStatusType status = PQresultStatus (res);

  collect_notifies (self);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return res;
  dl_site_fail (self, res, error);
  PQclear (res);
  return NULL;
}

/* Several statements, no parameters. */
gboolean
dl_site_exec_script (DlSite      *self,
                     const char  *sql,
                     GError     **error)
{
  g_autoptr(PGresult) res = PQexec (self->conn, sql);
  ExecStatusType status = PQresultStatus (res);

  collect_notifies (self);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return TRUE;
  return dl_site_fail (self, res, error);
}

gboolean
dl_site_begin (DlSite  *self,
               GError **error)
{
  return dl_site_exec_script (self, "BEGIN", error);
}

void
dl_site_rollback (DlSite *self)
{
  g_autoptr(PGresult) res = PQexec (self->conn, "ROLLBACK");
}

/* Commits when @ok, else rolls back; returns @ok and the commit's result. */
gboolean
dl_site_end (DlSite    *self,
             gboolean   ok,
             GError   **error)
{
  if (!ok)
    {
      dl_site_rollback (self);
      return FALSE;
    }
  return dl_site_exec_script (self, "COMMIT", error);
}

/* -- the object ---------------------------------------------------------------- */

static void
watch_free (Watch *watch)
{
  if (watch->destroy)
    watch->destroy (watch->user_data);
  g_free (watch);
}

static void
dl_site_dispose (GObject *object)
{
  DlSite *self = DL_SITE (object);

  g_clear_handle_id (&self->watch_source, g_source_remove);
  g_clear_handle_id (&self->pending_idle, g_source_remove);
  g_clear_pointer (&self->watch, watch_free);
  g_queue_clear_full (&self->pending, g_free);
  g_clear_object (&self->identity);
  G_OBJECT_CLASS (dl_site_object_parent_class)->dispose (object);
}

static void
dl_site_finalize (GObject *object)
{
  DlSite *self = DL_SITE (object);

  g_clear_pointer (&self->conn, PQfinish);
  g_free (self->target);
  g_free (self->login);
  G_OBJECT_CLASS (dl_site_object_parent_class)->finalize (object);
}

static void
dl_site_object_class_init (DlSiteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dl_site_dispose;
  object_class->finalize = dl_site_finalize;

  /* The watched connection was closed by the server (or the network). */
  signals[DISCONNECTED] = g_signal_new ("disconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
dl_site_object_init (DlSite *self)
{
  g_queue_init (&self->pending);
}

/* -- connecting, setting up ------------------------------------------------------ */

/* The server's notices ("already exists, skipping" of an init run again)
 * are no concern of the person: kept for debugging. */
static void
on_notice (void       *data,
           const char *message)
{
  g_debug ("%s", message);
}

static char *
first_value (PGresult *res)
{
  return PQntuples (res) > 0 && !PQgetisnull (res, 0, 0) ? g_strdup (PQgetvalue (res, 0, 0)) : NULL;
}

DlSite *
dl_site_open (const char *uri,
              GError    **error)
{
  g_autoptr(DlSite) self = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autofree char *target = NULL;

  g_return_val_if_fail (uri != NULL, NULL);

  /* never quoted: it may hold a password */
  if ((target = dl_site_describe_target (uri)) == NULL)
    {
      g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_URI,
                   _("The site address is not a PostgreSQL connection string (postgresql://USER@HOST/DATABASE "
                     "or host=… dbname=…)"));
      return NULL;
    }
  self = g_object_new (DL_TYPE_SITE, NULL);
  self->target = g_steal_pointer (&target);
  self->conn = PQconnectdb (uri);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree char *message = server_message (NULL, self->conn);

      g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_CONNECT, _("Cannot connect to the site store at %s: %s"),
                   self->target, message);
      return NULL;
    }
  PQsetNoticeProcessor (self->conn, on_notice, NULL);
  if (PQsetClientEncoding (self->conn, "UTF8") != 0
      || (res = dl_site_exec (self, "SELECT session_user", 0, NULL, error)) == NULL)
    return NULL;
  self->login = first_value (res);
  return g_steal_pointer (&self);
}

/* A connection the server dropped (it restarted, the network went) made
 * again, as at dl_site_open (). */
gboolean
dl_site_ensure_connected (DlSite  *self,
                          GError **error)
{
  g_autofree char *message = NULL;

  if (PQstatus (self->conn) == CONNECTION_OK)
    return TRUE;
  PQreset (self->conn);
  if (PQstatus (self->conn) == CONNECTION_OK && PQsetClientEncoding (self->conn, "UTF8") == 0)
    return TRUE;
  message = server_message (NULL, self->conn);
  g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_CONNECT, _("Cannot connect to the site store at %s: %s"),
               self->target, message);
  return FALSE;
}

PGconn *
dl_site_get_conn (DlSite *self)
{
  return self->conn;
}

const char *
dl_site_get_target (DlSite *self)
{
  return self->target;
}

DlIdentity *
dl_site_get_identity (DlSite *self)
{
  return self->identity;
}

const char *
dl_site_get_login (DlSite *self)
{
  g_return_val_if_fail (DL_IS_SITE (self), NULL);
  return self->login;
}

void
dl_site_set_identity (DlSite     *self,
                      DlIdentity *identity)
{
  g_return_if_fail (DL_IS_SITE (self));
  g_return_if_fail (identity == NULL || DL_IS_IDENTITY (identity));
  g_set_object (&self->identity, identity);
}

/* The schema's version, 0 when there is none yet. */
static gboolean
schema_version (DlSite  *self,
                guint   *version,
                GError **error)
{
  g_autoptr(PGresult) res = dl_site_exec (self, "SELECT version FROM doorlicht.version", 0, NULL, error);
  g_autofree char *text = NULL;

  if (res == NULL)
    return FALSE;
  text = first_value (res);
  *version = text ? (guint) g_ascii_strtoull (text, NULL, 10) : 0;
  return TRUE;
}

static gboolean
migrate (DlSite  *self,
         guint    from,
         GError **error)
{
  g_autofree char *set = NULL;

  if (from > DL_SITE_SCHEMA_VERSION)
    {
      g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_TOO_NEW,
                   _("The site store at %s was set up by a newer Doorlicht (schema version %u; this version "
                     "knows up to %d)"), self->target, from, DL_SITE_SCHEMA_VERSION);
      return FALSE;
    }
  for (guint v = from + 1; v <= DL_SITE_SCHEMA_VERSION; v++)
    {
      const char * const *steps = dl_site_schema_migration (v);

      for (guint i = 0; steps[i]; i++)
        if (!dl_site_exec_script (self, steps[i], error))
          return FALSE;
    }
  set = g_strdup_printf ("INSERT INTO doorlicht.version (version) VALUES (%d) "
                         "ON CONFLICT (only_row) DO UPDATE SET version = EXCLUDED.version", DL_SITE_SCHEMA_VERSION);
  return dl_site_exec_script (self, set, error);
}

gboolean
dl_site_init (DlSite  *self,
              GError **error)
{
  guint version = 0;
  gboolean ok;

  g_return_val_if_fail (DL_IS_SITE (self), FALSE);

  if (!dl_site_begin (self, error))
    return FALSE;
  /* two set-ups of one database at once: the second waits, then finds
   * the schema made */
  ok = dl_site_exec_script (self, "SELECT pg_advisory_xact_lock (1145852756)", error)
       && dl_site_exec_script (self, dl_site_schema_roles (), error)
       && schema_version (self, &version, error)
       && (version == DL_SITE_SCHEMA_VERSION || migrate (self, version, error));
  return dl_site_end (self, ok, error);
}

static gboolean
check_login (const char *login,
             GError    **error)
{
  if (login == NULL || *login == '\0' || strlen (login) > 63 || !g_utf8_validate (login, -1, NULL)
      || g_str_has_prefix (login, "doorlicht_") || g_str_has_prefix (login, "pg_"))
    {
      g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_INVALID,
                   _("“%s” cannot be a login of the site store (1 to 63 bytes, not starting with "
                     "doorlicht_ or pg_)"), login ? login : "");
      return FALSE;
    }
  return TRUE;
}

static gboolean
grant_role (DlSite     *self,
            const char *login,
            const char *group,
            GError    **error)
{
  const char *params[] = { login };
  g_autoptr(PGresult) res = dl_site_exec (self, "SELECT 1 FROM pg_roles WHERE rolname = $1", 1, params, error);
  char *quoted;
  g_autofree char *create = NULL, *grant = NULL;

  if (res == NULL)
    return FALSE;
  quoted = PQescapeIdentifier (self->conn, login, strlen (login));
  if (quoted == NULL)
    return dl_site_fail (self, NULL, error);
  create = g_strdup_printf ("CREATE ROLE %s LOGIN", quoted);
  grant = g_strdup_printf ("GRANT %s TO %s", group, quoted);
  PQfreemem (quoted);
  return (PQntuples (res) > 0 || dl_site_exec_script (self, create, error))
         && dl_site_exec_script (self, grant, error);
}

gboolean
dl_site_grant (DlSite     *self,
               const char *login,
               DlSiteRole  role,
               GError    **error)
{
  g_autofree char *group = NULL;

  g_return_val_if_fail (DL_IS_SITE (self), FALSE);
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (role_names), FALSE);

  if (!check_login (login, error))
    return FALSE;
  group = g_strdup_printf ("doorlicht_%s", role_names[role]);
  if (!dl_site_begin (self, error))
    return FALSE;
  return dl_site_end (self, grant_role (self, login, group, error), error);
}

/* -- the audit chain ------------------------------------------------------------- */

/* The row as the case file's event records it (dl_case_row_json ()): its
 * columns in order, NULLs left out, numbers as numbers. */
static char *
row_json (PGresult *res)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  for (int c = 0; c < PQnfields (res); c++)
    {
      const char *value = PQgetvalue (res, 0, c);
      Oid type = PQftype (res, c);

      if (PQgetisnull (res, 0, c))
        continue;
      json_builder_set_member_name (b, PQfname (res, c));
      if (type == DL_SITE_OID_INT8 || type == DL_SITE_OID_INT4 || type == DL_SITE_OID_INT2)
        json_builder_add_int_value (b, g_ascii_strtoll (value, NULL, 10));
      else if (type == DL_SITE_OID_FLOAT8)
        json_builder_add_double_value (b, g_ascii_strtod (value, NULL));
      else
        json_builder_add_string_value (b, value);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

gboolean
dl_site_need_identity (DlSite  *self,
                       GError **error)
{
  if (self->identity != NULL)
    return TRUE;
  g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_NO_IDENTITY,
               _("Writing to the site store needs an identity to sign with"));
  return FALSE;
}

/* The event's content, signed by the identity, as dl_case_record () makes
 * it; the author's login is the connection's. */
void
dl_site_event_content (DlSite             *self,
                       DlCaseEventContent *e,
                       const char         *kind,
                       const char         *case_id,
                       const char         *payload)
{
  e->id = dl_case_new_id ('E');
  e->time = g_get_real_time () / G_USEC_PER_SEC;
  e->login = g_strdup (self->login);
  e->name = g_strdup (dl_identity_get_display_name (self->identity));
  e->key = g_strdup (dl_identity_get_public_key (self->identity));
  e->kind = g_strdup (kind);
  e->case_id = g_strdup (case_id);
  e->payload = g_strdup (payload);
  e->content_hash = dl_case_event_content_hash (e);
  e->signature = dl_identity_sign (self->identity, e->content_hash, strlen (e->content_hash));
}

/* Appends @e after the chain head, which stays locked until the caller's
 * transaction ends (the database checks the link again). */
gboolean
dl_site_chain_append (DlSite                    *self,
                      const DlCaseEventContent  *e,
                      GError                   **error)
{
  g_autoptr(PGresult) head = dl_site_exec (self, "SELECT seq, hash FROM doorlicht.lock_chain_head ()", 0, NULL, error);
  g_autoptr(PGresult) res = NULL;
  g_autofree char *seq = NULL, *time = NULL, *hash = NULL, *chain_sig = NULL;
  const char *key = dl_identity_get_public_key (self->identity);
  const char *prev;

  if (head == NULL)
    return FALSE;
  if (PQntuples (head) != 1)
    return g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_FAILED,
                        _("The site store at %s has no audit chain head"), self->target), FALSE;
  seq = g_strdup_printf ("%" G_GINT64_FORMAT, g_ascii_strtoll (PQgetvalue (head, 0, 0), NULL, 10) + 1);
  prev = PQgetvalue (head, 0, 1);
  time = g_strdup_printf ("%" G_GINT64_FORMAT, e->time);
  hash = dl_case_chain_hash (g_ascii_strtoll (seq, NULL, 10), e->content_hash, e->signature, prev, key);
  chain_sig = dl_identity_sign (self->identity, hash, strlen (hash));
  {
    const char *params[] = { seq, e->id, time, e->login, e->name, e->key, e->kind, e->case_id, e->payload,
                             e->content_hash, e->signature, prev, hash, key, chain_sig };

    res = dl_site_exec (self, "INSERT INTO doorlicht.events (seq, id, time, author_login, author_name, author_key, "
                           "kind, case_id, payload, content_hash, signature, prev_hash, hash, appender_key, "
                           "chain_signature) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
                           "$14, $15)", G_N_ELEMENTS (params), params, error);
  }
  return res != NULL;
}

/* The event recording row @id of @table as it now is (kind @kind). */
static gboolean
record_row_seen (DlSite     *self,
                 const char *kind,
                 const char *case_id,
                 const char *table,
                 const char *id,
                 const char *seen_json,
                 GError    **error)
{
  g_auto(DlCaseEventContent) e = { 0 };
  g_autofree char *sql = g_strdup_printf ("SELECT * FROM doorlicht.%s WHERE id = $1", table);
  const char *params[] = { id };
  g_autoptr(PGresult) res = dl_site_exec (self, sql, 1, params, error);
  g_autofree char *row = NULL, *payload = NULL;

  if (res == NULL)
    return FALSE;
  if (PQntuples (res) != 1)
    return g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_NOT_FOUND, _("No row “%s” in %s"), id, table), FALSE;
  row = row_json (res);
  /* what was on screen goes in the verdict's event, as the case file writes it */
  payload = seen_json ? g_strdup_printf ("{\"table\":\"%s\",\"row\":%s,\"seen\":%s}", table, row, seen_json)
                      : g_strdup_printf ("{\"table\":\"%s\",\"row\":%s}", table, row);
  dl_site_event_content (self, &e, kind, case_id, payload);
  return dl_site_chain_append (self, &e, error);
}

static gboolean
record_row (DlSite     *self,
            const char *kind,
            const char *case_id,
            const char *table,
            const char *id,
            GError    **error)
{
  return record_row_seen (self, kind, case_id, table, id, NULL, error);
}

/* Inserts a row (@sql, @params) and records it, in one transaction. */
static gboolean
insert_recorded (DlSite             *self,
                 const char         *sql,
                 int                 n_params,
                 const char * const *params,
                 const char         *kind,
                 const char         *case_id,
                 const char         *table,
                 const char         *id,
                 GError            **error)
{
  g_autoptr(PGresult) res = dl_site_exec (self, sql, n_params, params, error);

  return res != NULL && record_row (self, kind, case_id, table, id, error);
}

/* -- writes --------------------------------------------------------------------------- */

#define MAX_TITLE 200

static gboolean
check_text (const char *text,
            gsize       max,
            gboolean    required,
            const char *what,
            GError    **error)
{
  if ((text == NULL || *text == '\0') && required)
    return g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_INVALID, _("The %s is empty"), what), FALSE;
  if (text && !g_utf8_validate (text, -1, NULL))
    return g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_INVALID, _("The %s is not valid UTF-8"), what), FALSE;
  if (text && strlen (text) > max)
    return g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_INVALID, _("The %s is longer than %zu bytes"),
                        what, (size_t) max), FALSE;
  return TRUE;
}

/* The author columns' values: created, login, name, key. */
typedef struct
{
  char *created;
  const char *login, *name, *key;
} Author;

static void
author_clear (Author *a)
{
  g_free (a->created);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Author, author_clear)

static void
author_of (DlSite *self,
           Author *a)
{
  a->created = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
  a->login = self->login;
  a->name = dl_identity_get_display_name (self->identity);
  a->key = dl_identity_get_public_key (self->identity);
}

gboolean
dl_site_insert_authored (DlSite             *self,
                         const char         *table,
                         const char         *kind,
                         const char         *id,
                         const char         *case_id,
                         const char * const *columns,
                         const char * const *values,
                         GError            **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GPtrArray) params = g_ptr_array_new ();
  g_auto(Author) a = { 0 };

  if (!dl_site_need_identity (self, error))
    return FALSE;
  author_of (self, &a);
  g_string_printf (sql, "INSERT INTO doorlicht.%s (", table);
  for (guint i = 0; columns[i]; i++)
    {
      g_string_append_printf (sql, "%s, ", columns[i]);
      g_ptr_array_add (params, (gpointer) values[i]);
    }
  g_string_append (sql, "created, author_login, author_name, author_key) VALUES (");
  g_ptr_array_add (params, a.created);
  g_ptr_array_add (params, (gpointer) a.login);
  g_ptr_array_add (params, (gpointer) a.name);
  g_ptr_array_add (params, (gpointer) a.key);
  for (guint i = 0; i < params->len; i++)
    g_string_append_printf (sql, "%s$%u", i ? ", " : "", i + 1);
  g_string_append_c (sql, ')');
  return insert_recorded (self, sql->str, params->len, (const char * const *) params->pdata, kind, case_id, table,
                          id, error);
}

/* The case's row and event, in the caller's transaction. */
gboolean
dl_site_insert_case (DlSite     *self,
                     const char *id,
                     const char *title,
                     GError    **error)
{
  g_auto(Author) a = { 0 };

  if (!dl_site_need_identity (self, error) || !check_text (title, MAX_TITLE, TRUE, _("title"), error))
    return FALSE;
  author_of (self, &a);
  {
    const char *params[] = { id, title, a.created, a.login, a.name, a.key };

    return insert_recorded (self, "INSERT INTO doorlicht.cases (id, title, created, author_login, author_name, "
                                  "author_key) VALUES ($1, $2, $3, $4, $5, $6)", G_N_ELEMENTS (params), params,
                            "case", id, "cases", id, error);
  }
}

char *
dl_site_new_case (DlSite     *self,
                  const char *title,
                  GError    **error)
{
  g_autofree char *id = dl_case_new_id ('C');
  gboolean ok;

  g_return_val_if_fail (DL_IS_SITE (self), NULL);

  ok = dl_site_need_identity (self, error) && check_text (title, MAX_TITLE, TRUE, _("title"), error)
       && dl_site_begin (self, error) && dl_site_end (self, dl_site_insert_case (self, id, title, error), error);
  return ok ? g_steal_pointer (&id) : NULL;
}

/* The image, once per SHA-256 (the database checks the hash again). */
gboolean
dl_site_store_image (DlSite      *self,
                     const char  *sha256,
                     GBytes      *bytes,
                     GError     **error)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);
  const char *values[] = { sha256, data ? data : "" };
  int lengths[] = { 0, (int) size };
  int formats[] = { 0, 1 };
  g_autoptr(PGresult) res = PQexecParams (self->conn, "INSERT INTO doorlicht.images (sha256, bytes) VALUES ($1, $2) "
                                                      "ON CONFLICT (sha256) DO NOTHING",
                                          2, NULL, values, lengths, formats, 0);

  collect_notifies (self);
  if (PQresultStatus (res) == PGRES_COMMAND_OK)
    return TRUE;
  return dl_site_fail (self, res, error);
}

/* The scan's image, row and event, in the caller's transaction. */
gboolean
dl_site_insert_scan (DlSite     *self,
                     const char *id,
                     const char *case_id,
                     const char *path,
                     GBytes     *bytes,
                     GError    **error)
{
  g_autofree char *sha = NULL, *size = NULL;
  g_auto(Author) a = { 0 };

  if (!dl_site_need_identity (self, error) || !check_text (path, DL_CASE_MAX_SHORT, TRUE, _("scan’s path"), error))
    return FALSE;
  /* a bytea parameter is at most 1 GB, as a case file's image */
  if (g_bytes_get_size (bytes) > (gsize) DL_CASE_MAX_IMAGE)
    {
      g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_INVALID, _("The scan “%s” is larger than 1 GiB"), path);
      return FALSE;
    }
  sha = dl_sha256_hex_bytes (bytes);
  size = g_strdup_printf ("%" G_GSIZE_FORMAT, g_bytes_get_size (bytes));
  author_of (self, &a);
  {
    const char *params[] = { id, case_id, path, size, sha, a.created, a.login, a.name, a.key };

    return dl_site_store_image (self, sha, bytes, error)
           && insert_recorded (self, "INSERT INTO doorlicht.scans (id, case_id, path, size, sha256, created, "
                                     "author_login, author_name, author_key) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                                     "$8, $9)", G_N_ELEMENTS (params), params, "scan", case_id, "scans", id, error);
  }
}

/* A row of a table of JSON (manifests, hints …) and its event, in the
 * caller's transaction. */
gboolean
dl_site_insert_json (DlSite     *self,
                     const char *table,
                     const char *kind,
                     const char *id,
                     const char *case_id,
                     const char *json,
                     GError    **error)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO doorlicht.%s (id, case_id, json, created, author_login, "
                                          "author_name, author_key) VALUES ($1, $2, $3, $4, $5, $6, $7)", table);
  g_auto(Author) a = { 0 };

  if (!dl_site_need_identity (self, error)
      || !check_text (json, DL_CASE_MAX_TEXT, TRUE, strcmp (table, "manifests") == 0 ? _("manifest") : table, error))
    return FALSE;
  author_of (self, &a);
  {
    const char *params[] = { id, case_id, json, a.created, a.login, a.name, a.key };

    return insert_recorded (self, sql, G_N_ELEMENTS (params), params, kind, case_id, table, id, error);
  }
}

char *
dl_site_add_scan (DlSite     *self,
                  const char *case_id,
                  const char *path,
                  GBytes     *bytes,
                  GError    **error)
{
  g_autofree char *id = dl_case_new_id ('S');
  gboolean ok;

  g_return_val_if_fail (DL_IS_SITE (self), NULL);
  g_return_val_if_fail (case_id != NULL && bytes != NULL, NULL);

  ok = dl_site_need_identity (self, error) && dl_site_begin (self, error)
       && dl_site_end (self, dl_site_insert_scan (self, id, case_id, path, bytes, error), error);
  return ok ? g_steal_pointer (&id) : NULL;
}

static char *
reasons_json (const char * const *reasons,
              GError            **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; reasons && reasons[i]; i++)
    {
      if (dl_verdict_reason_get_label (reasons[i]) == NULL)
        {
          g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_INVALID, _("“%s” is not a verdict reason"), reasons[i]);
          return NULL;
        }
      json_builder_add_string_value (b, reasons[i]);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

/* Why @case_id's queue row could not be locked for a verdict. */
static gboolean not_claimable (DlSite     *self,
                               const char *case_id,
                               GError    **error);

/* Inside the transaction: the case's queue row locked (waiting or
 * returned, not held by another), and its latest verdict (%NULL: none). */
static gboolean
lock_for_verdict (DlSite     *self,
                  const char *case_id,
                  char      **latest,
                  GError    **error)
{
  const char *params[] = { case_id };
  g_autoptr(PGresult) lock = dl_site_exec (self, "SELECT 1 FROM doorlicht.queue WHERE case_id = $1 FOR UPDATE",
                                        1, params, error);
  g_autoptr(PGresult) res = NULL;

  if (lock == NULL)
    return FALSE;
  if (PQntuples (lock) == 0)
    return not_claimable (self, case_id, error);
  res = dl_site_exec (self, "SELECT id FROM doorlicht.verdicts v WHERE case_id = $1 AND NOT EXISTS "
                         "(SELECT 1 FROM doorlicht.verdicts w WHERE w.supersedes = v.id)", 1, params, error);
  if (res == NULL)
    return FALSE;
  *latest = first_value (res);
  return TRUE;
}

static gboolean
insert_verdict (DlSite              *self,
                const DlSiteVerdict *v,
                const char          *reasons,
                GError             **error)
{
  g_autofree char *latest = NULL;
  g_auto(Author) a = { 0 };

  if (!lock_for_verdict (self, v->case_id, &latest, error))
    return FALSE;
  author_of (self, &a);
  {
    const char *params[] = { v->id, v->case_id, v->decision, reasons, v->text ? v->text : "", latest,
                             a.created, a.login, a.name, a.key };
    g_autoptr(PGresult) res = dl_site_exec (self, "INSERT INTO doorlicht.verdicts (id, case_id, decision, reasons, "
                                            "text, supersedes, created, author_login, author_name, author_key) "
                                            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                                            G_N_ELEMENTS (params), params, error);

    return res && record_row_seen (self, "verdict", v->case_id, "verdicts", v->id, v->seen_json, error);
  }
}

/* The check's hints go in with the verdict, unless they are those the
 * site has for the case already (as the case file does). */
static gboolean
insert_hints (DlSite     *self,
              const char *case_id,
              const char *hints_json,
              GError    **error)
{
  static const char * const columns[] = { "id", "case_id", "json", NULL };
  const char *key[] = { case_id };
  g_autoptr(PGresult) res = NULL;
  g_autofree char *id = NULL;

  if (hints_json == NULL)
    return TRUE;
  res = dl_site_exec (self, "SELECT json FROM doorlicht.hints WHERE case_id = $1 ORDER BY created DESC, id DESC "
                      "LIMIT 1", 1, key, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 1 && g_strcmp0 (PQgetvalue (res, 0, 0), hints_json) == 0)
    return TRUE;
  id = dl_case_new_id ('H');
  {
    const char *values[] = { id, case_id, hints_json };

    return dl_site_insert_authored (self, "hints", "hints", id, case_id, columns, values, error);
  }
}

/* What was seen is one JSON object, the hints any JSON, each at most
 * 4 MiB: as a case file takes them. */
static gboolean
check_seen (const DlSiteVerdict *v,
            GError             **error)
{
  const char *why;

  if (!check_text (v->seen_json, DL_CASE_MAX_TEXT, FALSE, _("record of what was seen"), error)
      || !check_text (v->hints_json, DL_CASE_MAX_TEXT, FALSE, "hints", error))
    return FALSE;
  if ((why = dl_case_seen_problem (v->seen_json, v->hints_json)) != NULL)
    return g_set_error_literal (error, DL_SITE_ERROR, DL_SITE_ERROR_INVALID, why), FALSE;
  return TRUE;
}

/* An id a workstation chose (dl_case_new_id ()): letters, digits, '-'. */
static gboolean
check_id (const char  *id,
          GError     **error)
{
  gsize n = id ? strlen (id) : 0;

  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '-')
      n = 0;
  if (n > 0 && n <= 64)
    return TRUE;
  g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_INVALID, _("“%s” is not an id the site can store"), id ? id : "");
  return FALSE;
}

/* The marks of @marks the site lacks (by id), each with its event, in
 * the caller's transaction: those the verdict rests on. */
static gboolean
insert_marks (DlSite          *self,
              const char      *case_id,
              const GPtrArray *marks,
              GError         **error)
{
  static const char * const columns[] = { "id", "case_id", "scan_id", "geometry", "label", NULL };

  for (guint i = 0; marks && i < marks->len; i++)
    {
      const DlCaseMark *m = g_ptr_array_index (marks, i);
      const char *values[] = { m->id, case_id, m->scan_id, m->geometry, m->label ? m->label : "" };
      const char *key[] = { m->id };
      g_autoptr(PGresult) res = NULL;

      if (!check_id (m->id, error) || !check_text (m->label, DL_CASE_MAX_TEXT, FALSE, _("mark’s label"), error))
        return FALSE;
      if (m->scan_id == NULL || m->geometry == NULL)
        return g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_INVALID, _("A mark without its scan or its shape")),
               FALSE;
      if ((res = dl_site_exec (self, "SELECT 1 FROM doorlicht.annotations WHERE id = $1", 1, key, error)) == NULL)
        return FALSE;
      if (PQntuples (res) == 0
          && !dl_site_insert_authored (self, "annotations", "annotation", m->id, case_id, columns, values, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
dl_site_record_verdict (DlSite              *self,
                        const DlSiteVerdict *v,
                        GError             **error)
{
  g_autofree char *reasons_text = NULL;

  g_return_val_if_fail (DL_IS_SITE (self), FALSE);
  g_return_val_if_fail (v != NULL && v->case_id != NULL, FALSE);

  if (!dl_site_need_identity (self, error) || !check_id (v->id, error)
      || !check_text (v->text, DL_CASE_MAX_TEXT, FALSE, _("verdict’s text"), error) || !check_seen (v, error))
    return FALSE;
  if (v->decision == NULL || dl_decision_from_id (v->decision) == DL_DECISION_NONE)
    {
      g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_INVALID,
                   _("“%s” is not a decision (clear, inspect, seize or rescan)"), v->decision ? v->decision : "");
      return FALSE;
    }
  /* goods are not seized without saying why, as in a case file */
  if (dl_decision_from_id (v->decision) == DL_DECISION_SEIZE && (v->reasons == NULL || v->reasons[0] == NULL))
    return g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_INVALID, _("A seizure needs at least one reason")), FALSE;
  if ((reasons_text = reasons_json (v->reasons, error)) == NULL || !dl_site_begin (self, error))
    return FALSE;
  return dl_site_end (self, insert_verdict (self, v, reasons_text, error)
                              && insert_hints (self, v->case_id, v->hints_json, error)
                              && insert_marks (self, v->case_id, v->marks, error), error);
}

char *
dl_site_add_verdict (DlSite             *self,
                     const char         *case_id,
                     const char         *decision,
                     const char * const *reasons,
                     const char         *text,
                     GError            **error)
{
  g_autofree char *id = dl_case_new_id ('V');
  DlSiteVerdict v = { .id = id, .case_id = case_id, .decision = decision, .reasons = reasons, .text = text };

  if (!dl_site_record_verdict (self, &v, error))
    return NULL;
  return g_steal_pointer (&id);
}

gboolean
dl_site_has_record (DlSite     *self,
                    const char *id,
                    gboolean   *found,
                    GError    **error)
{
  const char *params[] = { id };
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (DL_IS_SITE (self), FALSE);
  g_return_val_if_fail (id != NULL && found != NULL, FALSE);

  res = dl_site_exec (self, "SELECT 1 FROM doorlicht.verdicts WHERE id = $1 "
                      "UNION ALL SELECT 1 FROM doorlicht.reviews WHERE id = $1", 1, params, error);
  if (res == NULL)
    return FALSE;
  *found = PQntuples (res) > 0;
  return TRUE;
}

static gboolean
insert_review (DlSite     *self,
               const char *id,
               const char *case_id,
               const char *decision,
               const char *comment,
               GError    **error)
{
  const char *key[] = { case_id };
  g_autoptr(PGresult) res = dl_site_exec (self, "SELECT id FROM doorlicht.verdicts v WHERE case_id = $1 AND NOT EXISTS "
                                             "(SELECT 1 FROM doorlicht.verdicts w WHERE w.supersedes = v.id)",
                                       1, key, error);
  g_autofree char *verdict = NULL;
  g_auto(Author) a = { 0 };

  if (res == NULL)
    return FALSE;
  if ((verdict = first_value (res)) == NULL)
    return g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_NOT_FOUND,
                        _("The case “%s” has no verdict to review"), case_id), FALSE;
  author_of (self, &a);
  {
    const char *params[] = { id, verdict, decision, comment ? comment : "", a.created, a.login, a.name, a.key };

    return insert_recorded (self, "INSERT INTO doorlicht.reviews (id, verdict_id, decision, comment, created, "
                                  "author_login, author_name, author_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                            G_N_ELEMENTS (params), params, "review", case_id, "reviews", id, error);
  }
}

gboolean
dl_site_record_review (DlSite          *self,
                       const char      *id,
                       const char      *case_id,
                       const char      *decision,
                       const char      *comment,
                       const GPtrArray *marks,
                       GError         **error)
{
  g_return_val_if_fail (DL_IS_SITE (self), FALSE);
  g_return_val_if_fail (case_id != NULL, FALSE);

  if (!dl_site_need_identity (self, error) || !check_id (id, error)
      || !check_text (comment, DL_CASE_MAX_TEXT, FALSE, _("review’s comment"), error))
    return FALSE;
  if (decision == NULL || dl_review_decision_from_id (decision) == DL_REVIEW_NONE)
    {
      g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_INVALID, _("“%s” is not a review (approve or return)"),
                   decision ? decision : "");
      return FALSE;
    }
  return dl_site_begin (self, error)
         && dl_site_end (self, insert_review (self, id, case_id, decision, comment, error)
                                 && insert_marks (self, case_id, marks, error), error);
}

char *
dl_site_add_review (DlSite     *self,
                    const char *case_id,
                    const char *decision,
                    const char *comment,
                    GError    **error)
{
  g_autofree char *id = dl_case_new_id ('R');

  if (!dl_site_record_review (self, id, case_id, decision, comment, NULL, error))
    return NULL;
  return g_steal_pointer (&id);
}

/* -- claims and the queue ---------------------------------------------------------- */

/* Whether any case may be claimed now (as this login sees it). */
static gboolean
any_claimable (DlSite   *self,
               gboolean *any,
               GError  **error)
{
  g_autoptr(PGresult) res = dl_site_exec (self, "SELECT EXISTS (SELECT 1 FROM doorlicht.queue WHERE state IN "
                                             "('waiting', 'returned') AND (claimed_by IS NULL OR lease_until < "
                                             "now ()))", 0, NULL, error);

  if (res == NULL)
    return FALSE;
  *any = strcmp (PQgetvalue (res, 0, 0), "t") == 0;
  return TRUE;
}

static gboolean
check_lease (guint    lease_seconds,
             GError **error)
{
  if (lease_seconds >= 1 && lease_seconds <= 7 * 24 * 3600)
    return TRUE;
  g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_INVALID,
               _("A lease of %u seconds is not one the site gives (1 second to 7 days)"), lease_seconds);
  return FALSE;
}

gboolean
dl_site_claim (DlSite     *self,
               const char *login,
               guint       lease_seconds,
               char      **case_id,
               GError    **error)
{
  g_autofree char *lease = g_strdup_printf ("%u", lease_seconds);
  const char *params[] = { lease };

  g_return_val_if_fail (DL_IS_SITE (self), FALSE);
  g_return_val_if_fail (case_id != NULL, FALSE);

  *case_id = NULL;
  if (!check_lease (lease_seconds, error))
    return FALSE;
  if (login && g_strcmp0 (login, self->login) != 0)
    {
      g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_DENIED,
                   _("%s cannot claim a case for %s: each person claims as their own login"), self->login, login);
      return FALSE;
    }
  for (guint i = 0; i < CLAIM_TRIES; i++)
    {
      /* the oldest free case, skipping those another claimer has locked */
      g_autoptr(PGresult) res = dl_site_exec (self,
        "UPDATE doorlicht.queue SET claimed_by = session_user, lease_until = now () + make_interval (secs => $1) "
        "WHERE case_id = (SELECT case_id FROM doorlicht.queue WHERE state IN ('waiting', 'returned') "
        "AND (claimed_by IS NULL OR lease_until < now ()) ORDER BY since, case_id LIMIT 1 "
        "FOR UPDATE SKIP LOCKED) RETURNING case_id", 1, params, error);
      gboolean any = FALSE;

      if (res == NULL)
        return FALSE;
      if ((*case_id = first_value (res)) != NULL)
        return TRUE;
      if (!any_claimable (self, &any, error))
        return FALSE;
      if (!any)
        return TRUE;
    }
  /* cases free but each taken under our hands: as good as none now */
  return TRUE;
}

/* Why @case_id could not be claimed: no such case, not waiting, or held. */
static gboolean
not_claimable (DlSite     *self,
               const char *case_id,
               GError    **error)
{
  const char *params[] = { case_id };
  g_autoptr(PGresult) res = dl_site_exec (self, "SELECT state, claimed_by FROM doorlicht.queue WHERE case_id = $1",
                                          1, params, error);

  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_NOT_FOUND, _("There is no case “%s” at the site"), case_id);
  else if (!PQgetisnull (res, 0, 1))
    g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_NOT_CLAIMED, _("The case “%s” is held by %s"),
                 case_id, PQgetvalue (res, 0, 1));
  else
    g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_NOT_CLAIMED,
                 _("The case “%s” is not waiting for a verdict (it is %s)"), case_id, PQgetvalue (res, 0, 0));
  return FALSE;
}

/* @sql, an UPDATE of the queue row of $1 with a lease of $2 seconds. */
static PGresult *
update_lease (DlSite     *self,
              const char *sql,
              const char *case_id,
              guint       lease_seconds,
              GError    **error)
{
  g_autofree char *lease = g_strdup_printf ("%u", lease_seconds);
  const char *params[] = { case_id, lease };

  if (!check_lease (lease_seconds, error))
    return NULL;
  return dl_site_exec (self, sql, 2, params, error);
}

gboolean
dl_site_claim_case (DlSite     *self,
                    const char *case_id,
                    guint       lease_seconds,
                    GError    **error)
{
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (DL_IS_SITE (self), FALSE);
  g_return_val_if_fail (case_id != NULL, FALSE);

  res = update_lease (self, "UPDATE doorlicht.queue SET claimed_by = session_user, "
                      "lease_until = now () + make_interval (secs => $2) WHERE case_id = $1 "
                      "AND state IN ('waiting', 'returned') "
                      "AND (claimed_by IS NULL OR claimed_by = session_user OR lease_until < now ())",
                      case_id, lease_seconds, error);
  if (res == NULL)
    return FALSE;
  if (g_strcmp0 (PQcmdTuples (res), "1") == 0)
    return TRUE;
  return not_claimable (self, case_id, error);
}

static gboolean
own_claim_changed (DlSite     *self,
                   PGresult   *res,
                   const char *case_id,
                   GError    **error)
{
  if (res == NULL)
    return FALSE;
  if (g_strcmp0 (PQcmdTuples (res), "1") == 0)
    return TRUE;
  g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_NOT_CLAIMED,
               _("The case “%s” is not held by %s (never claimed, released, or its lease ran out)"),
               case_id, self->login);
  return FALSE;
}

gboolean
dl_site_renew (DlSite     *self,
               const char *case_id,
               guint       lease_seconds,
               GError    **error)
{
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (DL_IS_SITE (self), FALSE);
  g_return_val_if_fail (case_id != NULL, FALSE);

  res = update_lease (self, "UPDATE doorlicht.queue SET lease_until = now () + make_interval (secs => $2) "
                      "WHERE case_id = $1 AND claimed_by = session_user AND lease_until >= now ()",
                      case_id, lease_seconds, error);
  return own_claim_changed (self, res, case_id, error);
}

gboolean
dl_site_release (DlSite     *self,
                 const char *case_id,
                 GError    **error)
{
  const char *params[] = { case_id };
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (DL_IS_SITE (self), FALSE);
  g_return_val_if_fail (case_id != NULL, FALSE);

  res = dl_site_exec (self, "UPDATE doorlicht.queue SET claimed_by = NULL, lease_until = NULL "
                         "WHERE case_id = $1 AND claimed_by = session_user", 1, params, error);
  return own_claim_changed (self, res, case_id, error);
}

GPtrArray *
dl_site_list_queue (DlSite  *self,
                    GError **error)
{
  g_autoptr(PGresult) res = NULL;
  GPtrArray *items;

  g_return_val_if_fail (DL_IS_SITE (self), NULL);

  res = dl_site_exec (self, "SELECT q.case_id, c.title, q.state, q.claimed_by, "
                         "coalesce (extract (epoch FROM q.lease_until)::bigint, 0) FROM doorlicht.queue q "
                         "JOIN doorlicht.cases c ON c.id = q.case_id WHERE q.state IN ('review', 'returned') "
                         "ORDER BY q.since, q.case_id", 0, NULL, error);
  if (res == NULL)
    return NULL;
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_site_queue_item_free);
  for (int r = 0; r < PQntuples (res); r++)
    {
      DlSiteQueueItem *item = g_new0 (DlSiteQueueItem, 1);

      item->case_id = g_strdup (PQgetvalue (res, r, 0));
      item->title = g_strdup (PQgetvalue (res, r, 1));
      item->state = g_strdup (PQgetvalue (res, r, 2));
      item->claimed_by = PQgetisnull (res, r, 3) ? NULL : g_strdup (PQgetvalue (res, r, 3));
      item->lease_until = g_ascii_strtoll (PQgetvalue (res, r, 4), NULL, 10);
      g_ptr_array_add (items, item);
    }
  return items;
}

/* -- notifications --------------------------------------------------------------- */

static gboolean
dispatch_pending (gpointer data)
{
  DlSite *self = data;
  char *case_id;

  self->pending_idle = 0;
  g_object_ref (self);
  while (self->watch && (case_id = g_queue_pop_head (&self->pending)) != NULL)
    {
      self->watch->func (self, case_id, self->watch->user_data);
      g_free (case_id);
    }
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
dispatch_later (DlSite *self)
{
  if (self->pending_idle == 0)
    self->pending_idle = g_idle_add (dispatch_pending, self);
}

static gboolean
on_socket_readable (int          fd,
                    GIOCondition condition,
                    gpointer     data)
{
  DlSite *self = data;

  g_assert (DL_IS_SITE (self));

  if (!PQconsumeInput (self->conn) || PQstatus (self->conn) != CONNECTION_OK)
    {
      g_message ("The site store at %s closed the connection: %s", self->target, PQerrorMessage (self->conn));
      self->watch_source = 0;
      g_signal_emit (self, signals[DISCONNECTED], 0);
      return G_SOURCE_REMOVE;
    }
  collect_notifies (self);
  if (self->pending_idle)
    {
      g_source_remove (self->pending_idle);
      dispatch_pending (self);
    }
  return G_SOURCE_CONTINUE;
}

guint
dl_site_watch (DlSite          *self,
               DlSiteWatchFunc  func,
               gpointer         user_data,
               GDestroyNotify   destroy,
               GError         **error)
{
  g_return_val_if_fail (DL_IS_SITE (self), 0);
  g_return_val_if_fail (func != NULL, 0);
  g_return_val_if_fail (self->watch == NULL, 0);

  if (!dl_site_exec_script (self, "LISTEN doorlicht_queue", error))
    return 0;
  self->watch = g_new0 (Watch, 1);
  self->watch->func = func;
  self->watch->user_data = user_data;
  self->watch->destroy = destroy;
  self->watch_source = g_unix_fd_add (PQsocket (self->conn), G_IO_IN, on_socket_readable, self);
  return self->watch_source;
}

void
dl_site_unwatch (DlSite *self)
{
  g_return_if_fail (DL_IS_SITE (self));

  g_clear_handle_id (&self->watch_source, g_source_remove);
  g_clear_handle_id (&self->pending_idle, g_source_remove);
  g_clear_pointer (&self->watch, watch_free);
  g_queue_clear_full (&self->pending, g_free);
  g_queue_init (&self->pending);
}

gboolean
dl_site_is_connected (DlSite *self)
{
  g_return_val_if_fail (DL_IS_SITE (self), FALSE);
  return PQstatus (self->conn) == CONNECTION_OK;
}

/* The socket is another after a reset: the watch follows it, and LISTENs
 * again on the new connection. */
gboolean
dl_site_reconnect (DlSite  *self,
                   GError **error)
{
  g_return_val_if_fail (DL_IS_SITE (self), FALSE);

  if (PQstatus (self->conn) == CONNECTION_OK && (self->watch == NULL || self->watch_source != 0))
    return TRUE;
  if (PQstatus (self->conn) != CONNECTION_OK && !dl_site_ensure_connected (self, error))
    return FALSE;
  if (self->watch == NULL)
    return TRUE;
  g_clear_handle_id (&self->watch_source, g_source_remove);
  if (!dl_site_exec_script (self, "LISTEN doorlicht_queue", error))
    return FALSE;
  self->watch_source = g_unix_fd_add (PQsocket (self->conn), G_IO_IN, on_socket_readable, self);
  return TRUE;
}
