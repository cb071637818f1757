/* dl-case-file.c — the case file object: opening, the case queue, and the
 * changes an analyst or supervisor makes, each in one transaction with its
 * audit event.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-case-file"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "dl-case-private.h"
#include "dl-hash.h"
#include "dl-case-seen.h"
#include "dl-json-check.h"
#include "dl-regular-file.h"

#define MAX_TITLE  200
#define MAX_TEXT   (64 * 1024)

G_DEFINE_FINAL_TYPE (DlCaseFile, dl_case_file, G_TYPE_OBJECT)
G_DEFINE_QUARK (dl-case-file-error-quark, dl_case_file_error)

enum { CHANGED, DAMAGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* -- labels ------------------------------------------------------------------ */

static const char * const decision_ids[DL_N_DECISIONS] = { "", "clear", "inspect", "seize", "rescan" };

const char *
dl_decision_to_id (DlDecision decision)
{
  return decision < DL_N_DECISIONS ? decision_ids[decision] : "";
}

DlDecision
dl_decision_from_id (const char *id)
{
  for (guint d = DL_DECISION_CLEAR; id && d < DL_N_DECISIONS; d++)
    if (strcmp (id, decision_ids[d]) == 0)
      return d;
  return DL_DECISION_NONE;
}

const char *
dl_decision_get_label (DlDecision decision)
{
  switch (decision)
    {
    case DL_DECISION_CLEAR: return _("Clear");
    case DL_DECISION_INSPECT: return _("Physical inspection");
    case DL_DECISION_SEIZE: return _("Seize");
    case DL_DECISION_RESCAN: return _("Rescan (inconclusive)");
    default: return _("No verdict");
    }
}

const char *
dl_review_decision_to_id (DlReviewDecision decision)
{
  return decision == DL_REVIEW_APPROVE ? "approve" : decision == DL_REVIEW_RETURN ? "return" : "";
}

DlReviewDecision
dl_review_decision_from_id (const char *id)
{
  if (g_strcmp0 (id, "approve") == 0)
    return DL_REVIEW_APPROVE;
  if (g_strcmp0 (id, "return") == 0)
    return DL_REVIEW_RETURN;
  return DL_REVIEW_NONE;
}

const char *
dl_review_decision_get_label (DlReviewDecision decision)
{
  switch (decision)
    {
    case DL_REVIEW_APPROVE: return _("Approved");
    case DL_REVIEW_RETURN: return _("Returned");
    default: return _("Not reviewed");
    }
}

const char *
dl_case_state_get_label (DlCaseState state)
{
  switch (state)
    {
    case DL_CASE_STATE_NEW: return _("New");
    case DL_CASE_STATE_AWAITING_REVIEW: return _("Awaiting review");
    case DL_CASE_STATE_APPROVED: return _("Approved");
    case DL_CASE_STATE_RETURNED: return _("Returned");
    default: return "";
    }
}

static const char * const reason_ids[] = {
  "density-anomaly", "shape-anomaly", "manifest-mismatch", "weight-mismatch", "concealment",
  "organic-mass", "metal-mass", "image-quality", "risk-profile", "other", NULL
};

const char * const *
dl_verdict_reason_ids (void)
{
  return reason_ids;
}

const char *
dl_verdict_reason_get_label (const char *id)
{
  static const char * const labels[] = {
    N_("Density anomaly"), N_("Shape anomaly"), N_("Does not match the manifest"),
    N_("Weight does not match the manifest"), N_("Possible concealment"), N_("Organic mass"),
    N_("Metal mass"), N_("Image quality"), N_("Risk profile"), N_("Other"),
  };

  for (guint i = 0; id && reason_ids[i]; i++)
    if (strcmp (id, reason_ids[i]) == 0)
      return _(labels[i]);
  return NULL;
}

/* -- records ------------------------------------------------------------------ */

static void
author_clear (DlAuthor *a)
{
  g_free (a->login);
  g_free (a->name);
  g_free (a->fingerprint);
}

/* @fingerprints (may be NULL): key → fingerprint, for reading many rows
 * by the same few people. */
static void
author_read_cached (DlAuthor     *a,
                    sqlite3_stmt *stmt,
                    int           first,
                    GHashTable   *fingerprints)
{
  const char *key, *known;

  if (sqlite3_column_type (stmt, first) == SQLITE_NULL)
    return;
  a->login = g_strdup (dl_case_column_text (stmt, first));
  a->name = g_strdup (dl_case_column_text (stmt, first + 1));
  key = dl_case_column_text (stmt, first + 2);
  if (fingerprints && (known = g_hash_table_lookup (fingerprints, key)))
    {
      a->fingerprint = g_strdup (known);
      return;
    }
  a->fingerprint = dl_identity_fingerprint_of (key);
  if (fingerprints && a->fingerprint)
    g_hash_table_insert (fingerprints, g_strdup (key), g_strdup (a->fingerprint));
}

/* The author in columns @first … @first + 2 (login, name, public key) of
 * @stmt's row; nothing when the login is NULL. */
void
dl_case_author_read (DlAuthor     *a,
                     sqlite3_stmt *stmt,
                     int           first)
{
  author_read_cached (a, stmt, first, NULL);
}

void
dl_case_summary_free (DlCaseSummary *s)
{
  if (s == NULL)
    return;
  g_free (s->id);
  g_free (s->title);
  g_free (s->verdict_id);
  g_free (s->first_scan_id);
  author_clear (&s->author);
  author_clear (&s->verdict_author);
  g_free (s);
}

void
dl_case_scan_free (DlCaseScan *s)
{
  if (s == NULL)
    return;
  g_free (s->id);
  g_free (s->case_id);
  g_free (s->path);
  g_free (s->sha256);
  author_clear (&s->author);
  g_free (s);
}

void
dl_verdict_free (DlVerdict *v)
{
  if (v == NULL)
    return;
  g_free (v->id);
  g_free (v->case_id);
  g_strfreev (v->reasons);
  g_free (v->text);
  g_free (v->supersedes);
  author_clear (&v->author);
  g_free (v);
}

void
dl_review_free (DlReview *r)
{
  if (r == NULL)
    return;
  g_free (r->id);
  g_free (r->verdict_id);
  g_free (r->comment);
  author_clear (&r->author);
  g_free (r);
}

void
dl_case_event_free (DlCaseEvent *e)
{
  if (e == NULL)
    return;
  g_free (e->id);
  g_free (e->kind);
  g_free (e->case_id);
  g_free (e->payload);
  g_free (e->hash);
  author_clear (&e->author);
  g_free (e);
}

/* -- SQL helpers ---------------------------------------------------------------- */

/* DOORLICHT_BUSY_TIMEOUT_MS: how long a connection waits for another
 * program's lock on the file (default 10 s; tests shorten it). */
guint
dl_case_busy_timeout_ms (void)
{
  const char *text = g_getenv ("DOORLICHT_BUSY_TIMEOUT_MS");
  guint64 ms = 0;

  if (text && g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT, &ms, NULL))
    return (guint) ms;
  return 10000;
}

gboolean
dl_case_busy_fail (const char *path,
                   GError    **error)
{
  g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_BUSY,
               _("Another program held “%s” locked for %.1f s while it wrote to it; nothing was changed: "
                 "try again when it is done"), path, dl_case_busy_timeout_ms () / 1000.0);
  return FALSE;
}

static gboolean
has_bytes (const char *path)
{
  struct stat st;

  return g_lstat (path, &st) == 0 && S_ISREG (st.st_mode) && st.st_size > 0;
}

/* The header's read and write versions: 2 in write-ahead-log mode. */
static gboolean
in_wal_mode (const char *path)
{
  guint8 header[20];
  gboolean wal = FALSE;
  int fd = open (path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);

  if (fd >= 0)
    {
      wal = read (fd, header, sizeof header) == sizeof header && header[18] == 2 && header[19] == 2;
      close (fd);
    }
  return wal;
}

gboolean
dl_case_explain_unreadable (sqlite3    *db,
                            const char *path,
                            GError    **error)
{
  int code = sqlite3_extended_errcode (db) & 0xff;
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  if (code == SQLITE_BUSY)
    return !dl_case_busy_fail (path, error);
  if (code != SQLITE_READONLY && code != SQLITE_CANTOPEN && code != SQLITE_PERM && code != SQLITE_IOERR)
    return FALSE;
  if (has_bytes (journal))
    {
      g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_UNFINISHED,
                   _("“%s” was left mid-write by a program that stopped: “%s” holds the unfinished change, "
                     "which must be rolled back before the file can be read.  Open it once for writing to do "
                     "that (doorlicht-cli case recover “%s”, or open it in Doorlicht); nothing was changed"),
                   path, journal, path);
      return TRUE;
    }
  if (g_file_test (wal, G_FILE_TEST_EXISTS) || in_wal_mode (path))
    {
      g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_UNFINISHED,
                   _("“%s” is in write-ahead-log mode (a program has it open, or stopped before closing it) "
                     "and its folder cannot be written, so it cannot be read here.  Open it once for writing "
                     "where it can be written (doorlicht-cli case recover “%s”), or copy it together with "
                     "“%s” to a folder you can write; nothing was changed"), path, path, wal);
      return TRUE;
    }
  return FALSE;
}

gboolean
dl_case_full_fail (const char *path,
                   GError    **error)
{
  g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FULL,
               _("The disk holding “%s” is full; nothing was changed: make room on it and try again"), path);
  return FALSE;
}

/* SQLITE_FULL, or an input/output error for want of room (a write or a
 * sync that failed with ENOSPC or EDQUOT). */
static gboolean
is_full (sqlite3 *db)
{
  int code = sqlite3_extended_errcode (db);
  int saved = sqlite3_system_errno (db);

  return (code & 0xff) == SQLITE_FULL
         || ((code & 0xff) == SQLITE_IOERR && (saved == ENOSPC || saved == EDQUOT));
}

/* SQLite's messages may quote bytes of a hostile file: made UTF-8 here.
 * A lock held past the busy timeout and a full disk are said in words. */
static void
set_sql_error (sqlite3    *db,
               GError    **error,
               const char *message)
{
  g_autofree char *valid = g_utf8_make_valid (message, -1);
  const char *path = db ? sqlite3_db_filename (db, "main") : NULL;

  if (db && (sqlite3_extended_errcode (db) & 0xff) == SQLITE_BUSY && path && *path)
    {
      dl_case_busy_fail (path, error);
      return;
    }
  if (db && is_full (db) && path && *path)
    {
      dl_case_full_fail (path, error);
      return;
    }
  if (db && (sqlite3_extended_errcode (db) & 0xff) == SQLITE_IOERR && path && *path)
    {
      /* the change it was part of is rolled back by its caller */
      g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FAILED,
                   _("The disk holding “%s” failed to read or write it (%s); nothing was changed"), path, valid);
      return;
    }
  g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FAILED, _("Case file: %s"), valid);
}

gboolean
dl_case_sql_fail (sqlite3 *db,
                  GError **error)
{
  set_sql_error (db, error, sqlite3_errmsg (db));
  return FALSE;
}

/* A failed bind (a value over SQLite's length limit, no memory) leaves the
 * parameter NULL: it is an error, never a silent NULL. */
static gboolean
bind_result (sqlite3_stmt *stmt,
             int           column,
             int           rc,
             GError      **error)
{
  const char *name;

  if (rc == SQLITE_OK)
    return TRUE;
  name = sqlite3_bind_parameter_name (stmt, column);
  g_set_error (error, DL_CASE_FILE_ERROR, rc == SQLITE_TOOBIG ? DL_CASE_FILE_ERROR_INVALID : DL_CASE_FILE_ERROR_FAILED,
               _("Case file: value %d%s%s of “%.40s…” could not be stored: %s"), column, name ? " " : "",
               name ? name : "", sqlite3_sql (stmt), sqlite3_errstr (rc));
  return FALSE;
}

gboolean
dl_case_bind_text (sqlite3_stmt *stmt,
                   int           column,
                   const char   *text,
                   GError      **error)
{
  return bind_result (stmt, column, sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT), error);
}

gboolean
dl_case_bind_int64 (sqlite3_stmt *stmt,
                    int           column,
                    gint64        value,
                    GError      **error)
{
  return bind_result (stmt, column, sqlite3_bind_int64 (stmt, column, value), error);
}

gboolean
dl_case_bind_blob (sqlite3_stmt *stmt,
                   int           column,
                   GBytes       *bytes,
                   GError      **error)
{
  gsize size = 0;
  const void *data = g_bytes_get_data (bytes, &size);

  /* SQLite takes a NULL pointer for a NULL value: an empty image is a zero-length blob */
  if (size == 0)
    return bind_result (stmt, column, sqlite3_bind_zeroblob (stmt, column, 0), error);
  return bind_result (stmt, column, sqlite3_bind_blob64 (stmt, column, data, size, SQLITE_STATIC), error);
}

/* The one step of an INSERT, UPDATE or DELETE. */
gboolean
dl_case_step_done (sqlite3_stmt *stmt,
                   GError      **error)
{
  return sqlite3_step (stmt) == SQLITE_DONE || dl_case_sql_fail (sqlite3_db_handle (stmt), error);
}

gboolean
dl_case_step_end (sqlite3_stmt *stmt,
                  int           rc,
                  GError      **error)
{
  return rc == SQLITE_DONE || dl_case_sql_fail (sqlite3_db_handle (stmt), error);
}

gboolean
dl_case_step_row (sqlite3_stmt *stmt,
                  GError      **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return TRUE;
  dl_case_step_end (stmt, rc, error);
  return FALSE;
}

gboolean
dl_case_exec (sqlite3    *db,
              const char *sql,
              GError    **error)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) == SQLITE_OK)
    return TRUE;
  set_sql_error (db, error, message ? message : sqlite3_errmsg (db));
  sqlite3_free (message);
  return FALSE;
}

sqlite3_stmt *
dl_case_prepare (sqlite3    *db,
                 const char *sql,
                 GError    **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      dl_case_sql_fail (db, error);
      return NULL;
    }
  return stmt;
}

gboolean
dl_case_begin (sqlite3 *db,
               GError **error)
{
  return dl_case_exec (db, "BEGIN IMMEDIATE", error);
}

gboolean
dl_case_commit (sqlite3 *db,
                GError **error)
{
  return dl_case_exec (db, "COMMIT", error);
}

void
dl_case_rollback (sqlite3 *db)
{
  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
}

const char *
dl_case_column_text (sqlite3_stmt *stmt,
                     int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text ? text : "";
}

gint64
dl_case_count_text (sqlite3    *db,
                    const char *sql,
                    const char *text)
{
  g_autoptr(sqlite3_stmt) stmt = dl_case_prepare (db, sql, NULL);

  if (stmt && text && !dl_case_bind_text (stmt, 1, text, NULL))
    return 0;
  return stmt && sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

gint64
dl_case_count (sqlite3    *db,
               const char *sql)
{
  return dl_case_count_text (db, sql, NULL);
}

char *
dl_case_new_id (char prefix)
{
  guint8 bytes[6];
  char hex[13];

  if (sodium_init () < 0)
    g_error ("libsodium cannot be initialised");
  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2hex (hex, sizeof hex, bytes, sizeof bytes);
  return g_strdup_printf ("%c-%s", prefix, hex);
}

char *
dl_case_sha256_file (const char *path,
                     guint64    *size,
                     GBytes    **bytes,
                     GError    **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GMappedFile) file = dl_map_regular_file (path, 0, &local);
  char *sha;

  /* a named pipe or a device is refused before it is opened for a read that would wait */
  if (file == NULL)
    {
      g_set_error_literal (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_NOT_FOUND, local->message);
      return NULL;
    }
  sha = dl_sha256_hex (g_mapped_file_get_contents (file), g_mapped_file_get_length (file));
  if (size)
    *size = g_mapped_file_get_length (file);
  if (bytes)
    *bytes = g_mapped_file_get_bytes (file);
  return sha;
}

/* -- the object ------------------------------------------------------------------- */

/* A full disk can stop the switch to write-ahead-log mode half-way: the
 * header switched, the log empty, its shared-memory index not made.  Puts
 * the file back in its one-file form.  Only with the log empty (it holds
 * nothing) and under an exclusive lock (no other program has the file
 * open: in exclusive locking mode SQLite keeps the index in memory and
 * locks the file before reading the log). */
static void
undo_half_wal_switch (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  struct stat st;
  sqlite3 *db = NULL;

  if (!in_wal_mode (path) || g_lstat (wal, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size != 0)
    return;
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL) == SQLITE_OK
      && sqlite3_exec (db, "PRAGMA locking_mode = EXCLUSIVE; SELECT count (*) FROM sqlite_schema",
                       NULL, NULL, NULL) == SQLITE_OK)
    {
      /* the room the index took is what switching back needs */
      g_unlink (shm);
      if (sqlite3_exec (db, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK)
        g_debug ("%s: left in write-ahead-log mode: %s", path, sqlite3_errmsg (db));
    }
  sqlite3_close (db);
}

static void stop_chain_check (DlCaseFile *self);

static void
dl_case_file_finalize (GObject *object)
{
  DlCaseFile *self = DL_CASE_FILE (object);

  dl_case_file_wait_checked (self, NULL);
  stop_chain_check (self);
  g_clear_error (&self->check_error);
  g_clear_object (&self->cancellable);
  dl_case_db_close (self->db, !self->read_only);
  if (self->db && !self->read_only)
    undo_half_wal_switch (self->path);
  g_free (self->path);
  g_clear_object (&self->identity);
  G_OBJECT_CLASS (dl_case_file_parent_class)->finalize (object);
}

static void
dl_case_file_class_init (DlCaseFileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dl_case_file_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[DAMAGED] = g_signal_new ("damaged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
on_changed (DlCaseFile *self,
            const char *case_id)
{
  dl_case_anchor_record (self);
}

static void
dl_case_file_init (DlCaseFile *self)
{
  g_signal_connect (self, "changed", G_CALLBACK (on_changed), NULL);
}

static DlCaseFile *
wrap (sqlite3    *db,
      const char *path,
      DlIdentity *identity,
      guint       version)
{
  DlCaseFile *self = g_object_new (DL_TYPE_CASE_FILE, NULL);

  self->db = db;
  self->path = g_strdup (path);
  self->identity = identity ? g_object_ref (identity) : NULL;
  self->read_only = identity == NULL;
  self->opened_version = version;
  return self;
}

DlCaseFile *
dl_case_file_create (const char *path,
                     DlIdentity *identity,
                     GError    **error)
{
  sqlite3 *db;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (DL_IS_IDENTITY (identity), NULL);

  db = dl_case_db_open (path, DL_CASE_DB_CREATE, NULL, error);
  return db ? wrap (db, path, identity, DL_CASE_FILE_VERSION) : NULL;
}

static gboolean
migrate (DlCaseFile *self,
         GError    **error)
{
  g_autofree char *payload = g_strdup_printf ("{\"from\":%u,\"to\":%d}", self->opened_version,
                                              DL_CASE_FILE_VERSION);

  if (!dl_case_begin (self->db, error))
    return FALSE;
  if (!dl_case_db_migrate (self->db, self->opened_version, error)
      || !dl_case_record (self, "migrate", NULL, payload, error)
      || !dl_case_commit (self->db, error))
    {
      dl_case_rollback (self->db);
      return FALSE;
    }
  return TRUE;
}

DlCaseFile *
dl_case_file_open (const char *path,
                   DlIdentity *identity,
                   GError    **error)
{
  g_autoptr(DlCaseFile) self = NULL;
  guint version = 0;
  sqlite3 *db;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (DL_IS_IDENTITY (identity), NULL);

  db = dl_case_db_open (path, DL_CASE_DB_WRITE, &version, error);
  if (db == NULL)
    {
      if (error && g_error_matches (*error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FULL))
        undo_half_wal_switch (path);
      return NULL;
    }
  self = wrap (db, path, identity, version);
  if (version < DL_CASE_FILE_VERSION && !migrate (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* -- the quick check beside the work (dl_case_file_open_checking) ---------------- */

typedef struct
{
  char         *path;
  GMainContext *context;
  GWeakRef      file;
} CheckJob;

typedef struct
{
  GWeakRef *file;
  char     *message;
} DamagedNote;

static gboolean
emit_damaged (gpointer data)
{
  DamagedNote *note = data;
  g_autoptr(DlCaseFile) file = g_weak_ref_get (note->file);

  /* the quick check and the chain check may both find the damage */
  if (file && !file->damage_said)
    {
      file->damage_said = TRUE;
      g_signal_emit (file, signals[DAMAGED], 0, note->message);
    }
  return G_SOURCE_REMOVE;
}

static void
damaged_note_free (gpointer data)
{
  DamagedNote *note = data;

  g_weak_ref_clear (note->file);
  g_free (note->file);
  g_free (note->message);
  g_free (note);
}

/* "damaged", said in the thread of @context: an idle source, never
 * g_main_context_invoke (), which calls it right here, in the checking
 * thread, when the main thread is between iterations. */
static void
post_damaged (GMainContext *context,
              DlCaseFile   *file,
              char         *message)
{
  DamagedNote *note = g_new0 (DamagedNote, 1);
  g_autoptr(GSource) source = g_idle_source_new ();

  note->file = g_new0 (GWeakRef, 1);
  g_weak_ref_init (note->file, file);
  note->message = message;
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, emit_damaged, note, damaged_note_free);
  g_source_set_static_name (source, "[doorlicht] case file damaged");
  g_source_attach (source, context);
}

static gpointer
check_in_thread (gpointer data)
{
  CheckJob *job = data;
  GError *error = NULL;

  if (!dl_case_db_quick_check (job->path, &error))
    {
      g_autoptr(DlCaseFile) file = g_weak_ref_get (&job->file);

      post_damaged (job->context, file, g_strdup (error->message));
    }
  g_weak_ref_clear (&job->file);
  g_main_context_unref (job->context);
  g_free (job->path);
  g_free (job);
  return error;
}

/* -- the audit chain verified beside the work (dl_case_file_open_checking) -------- */

typedef struct
{
  char         *path;
  GMainContext *context;
  GWeakRef      file;
  GCancellable *cancellable;
} ChainJob;

/* Only what says the record was changed: an image that moved or a stale
 * thumbnail is shown where it matters (the case's own banner, the queue). */
static gboolean
is_chain_problem (const DlVerifyProblem *p)
{
  return p->kind == DL_VERIFY_CHAIN || p->kind == DL_VERIFY_ROW || p->kind == DL_VERIFY_SIGNATURE;
}

static char *
describe_chain_problems (const DlVerifyReport *report)
{
  const DlVerifyProblem *first = NULL;
  guint n = 0;

  for (guint i = 0; i < report->problems->len; i++)
    {
      const DlVerifyProblem *p = g_ptr_array_index (report->problems, i);

      if (!is_chain_problem (p))
        continue;
      first = first ? first : p;
      n++;
    }
  if (first == NULL)
    return NULL;
  if (n == 1)
    return g_strdup_printf (_("its audit trail does not verify: %s"), first->message);
  /* TRANSLATORS: the first problem found, then how many there are (2 or more) */
  return g_strdup_printf (_("its audit trail does not verify: %s (%u problems in all)"), first->message, n);
}

/* On a read-only connection of the thread's own (query_only: no statement
 * can write), so the analyst's connection works on meanwhile. */
static char *
verify_chain_at (const char   *path,
                 GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlCaseFile) file = NULL;
  g_autoptr(DlVerifyReport) report = NULL;
  guint version = 0;
  sqlite3 *db = dl_case_db_open (path, DL_CASE_DB_WRITE_CHECK_LATER, &version, &error);

  if (db == NULL)
    return g_strdup (error->message);
  file = wrap (db, path, NULL, version);
  if (!dl_case_exec (db, "PRAGMA query_only = ON", &error))
    return g_strdup (error->message);
  dl_case_file_set_monitor (file, cancellable, NULL, NULL);
  report = dl_case_file_verify (file, &error);
  if (report == NULL)
    return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? NULL : g_strdup (error->message);
  return describe_chain_problems (report);
}

static gpointer
chain_check_in_thread (gpointer data)
{
  ChainJob *job = data;
  char *problem = verify_chain_at (job->path, job->cancellable);

  if (problem && !g_cancellable_is_cancelled (job->cancellable))
    {
      g_autoptr(DlCaseFile) file = g_weak_ref_get (&job->file);

      post_damaged (job->context, file, g_strdup_printf ("“%s”: %s", job->path, problem));
    }
  g_free (problem);
  g_weak_ref_clear (&job->file);
  g_main_context_unref (job->context);
  g_object_unref (job->cancellable);
  g_free (job->path);
  g_free (job);
  return NULL;
}

static void
start_chain_check (DlCaseFile *self)
{
  ChainJob *job = g_new0 (ChainJob, 1);

  self->chain_cancellable = g_cancellable_new ();
  job->path = g_strdup (self->path);
  job->context = g_main_context_ref_thread_default ();
  job->cancellable = g_object_ref (self->chain_cancellable);
  g_weak_ref_init (&job->file, self);
  self->chain_check = g_thread_new ("case-file-chain", chain_check_in_thread, job);
}

/* The check stops soon after it is cancelled: a close does not wait for it. */
static void
stop_chain_check (DlCaseFile *self)
{
  if (self->chain_cancellable)
    g_cancellable_cancel (self->chain_cancellable);
  if (self->chain_check)
    g_thread_join (g_steal_pointer (&self->chain_check));
  g_clear_object (&self->chain_cancellable);
}

void
dl_case_file_wait_chain_checked (DlCaseFile *self)
{
  g_return_if_fail (DL_IS_CASE_FILE (self));

  if (self->chain_check)
    g_thread_join (g_steal_pointer (&self->chain_check));
}

DlCaseFile *
dl_case_file_open_checking (const char *path,
                            DlIdentity *identity,
                            GError    **error)
{
  g_autoptr(DlCaseFile) self = NULL;
  CheckJob *job;
  guint version = 0;
  sqlite3 *db;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (DL_IS_IDENTITY (identity), NULL);

  db = dl_case_db_open (path, DL_CASE_DB_WRITE_CHECK_LATER, &version, error);
  if (db == NULL)
    return NULL;
  self = wrap (db, path, identity, version);
  job = g_new0 (CheckJob, 1);
  job->path = g_strdup (path);
  job->context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&job->file, self);
  self->check = g_thread_new ("case-file-check", check_in_thread, job);
  start_chain_check (self);
  /* a migration is a change: it waits for the check */
  if (version < DL_CASE_FILE_VERSION && !migrate (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* -- the monitor of long work ---------------------------------------------------- */

static int
interrupt_when_cancelled (gpointer data)
{
  DlCaseFile *self = data;

  return self->cancellable && g_cancellable_is_cancelled (self->cancellable);
}

void
dl_case_file_set_monitor (DlCaseFile    *self,
                          GCancellable  *cancellable,
                          DlProgressFunc progress,
                          gpointer       user_data)
{
  g_return_if_fail (DL_IS_CASE_FILE (self));

  g_set_object (&self->cancellable, cancellable);
  self->progress = progress;
  self->progress_data = user_data;
  self->phase_base = 0;
  self->phase_span = 1;
  self->reported = -1;
  /* SQLite's own long statements (VACUUM, a big query) stop as well */
  if (self->db)
    sqlite3_progress_handler (self->db, cancellable ? 10000 : 0,
                              cancellable ? interrupt_when_cancelled : NULL, self);
}

void
dl_case_monitor_phase (DlCaseFile *self,
                       double      base,
                       double      span)
{
  self->phase_base = base;
  self->phase_span = span;
}

gboolean
dl_case_monitor_step (DlCaseFile *self,
                      guint64     done,
                      guint64     total)
{
  double fraction = self->phase_base + self->phase_span * (total ? (double) MIN (done, total) / total : 1);

  if (self->cancellable && g_cancellable_is_cancelled (self->cancellable))
    return FALSE;
  if (self->progress && (fraction - self->reported >= 0.005 || (done == total && fraction > self->reported)))
    {
      self->reported = fraction;
      self->progress (fraction, self->progress_data);
    }
  return TRUE;
}

gboolean
dl_case_monitor_fail (DlCaseFile *self,
                      GError    **error)
{
  if (self->cancellable && g_cancellable_is_cancelled (self->cancellable))
    {
      g_clear_error (error);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
    }
  return FALSE;
}

gboolean
dl_case_file_wait_checked (DlCaseFile *self,
                           GError    **error)
{
  g_return_val_if_fail (DL_IS_CASE_FILE (self), FALSE);

  if (self->check)
    self->check_error = g_thread_join (g_steal_pointer (&self->check));
  if (self->check_error)
    {
      if (error)
        *error = g_error_copy (self->check_error);
      return FALSE;
    }
  return TRUE;
}

DlCaseFile *
dl_case_file_open_untrusted (const char *path,
                             GError    **error)
{
  guint version = 0;
  sqlite3 *db;

  g_return_val_if_fail (path != NULL, NULL);

  db = dl_case_db_open (path, DL_CASE_DB_UNTRUSTED, &version, error);
  if (db == NULL)
    return NULL;
  /* version 4 only added the thumbnail cache: version 3 files (exports of
   * the Doorlicht before) are read as they are, without thumbnails */
  if (version < 3)
    {
      g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_NOT_OURS,
                   _("“%s” was made by an older Doorlicht (case file version %u); open it for writing to upgrade it"),
                   path, version);
      dl_case_db_close (db, FALSE);
      return NULL;
    }
  return wrap (db, path, NULL, version);
}

DlCaseFile *
dl_case_file_open_again (DlCaseFile *self,
                         GError    **error)
{
  guint version = 0;
  sqlite3 *db;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);

  if (self->read_only)
    return dl_case_file_open_untrusted (self->path, error);
  /* the schema is checked again (it is quick), the whole file is not */
  db = dl_case_db_open (self->path, DL_CASE_DB_WRITE_CHECK_LATER, &version, error);
  if (db == NULL)
    return NULL;
  if (version < DL_CASE_FILE_VERSION)
    {
      g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FAILED,
                   _("“%s” was changed to an older version while open"), self->path);
      dl_case_db_close (db, FALSE);
      return NULL;
    }
  return wrap (db, self->path, self->identity, version);
}

/* A step of closing that may fail harmlessly while another connection has
 * the file open (busy, locked). */
static gboolean
closing_step (sqlite3    *db,
              const char *sql,
              GError    **error)
{
  g_autoptr(GError) local = NULL;
  int code;

  if (dl_case_exec (db, sql, &local))
    return TRUE;
  code = sqlite3_extended_errcode (db) & 0xff;
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

gboolean
dl_case_file_close (DlCaseFile *self,
                    GError    **error)
{
  g_return_val_if_fail (DL_IS_CASE_FILE (self), FALSE);

  dl_case_file_wait_checked (self, NULL);
  stop_chain_check (self);
  if (self->db == NULL)
    return TRUE;
  if (!self->read_only)
    {
      /* Another connection (a colleague, or this user's other window) may
       * still have the file open: then its last close leaves the plain
       * file; every change is committed either way.  The switch back is
       * tried even when the checkpoint was refused (SQLite refuses one
       * of a log that holds nothing). */
      g_autoptr(GError) local = NULL;

      if (!closing_step (self->db, "PRAGMA wal_checkpoint (TRUNCATE)", &local)
          || !closing_step (self->db, "PRAGMA journal_mode = DELETE", &local))
        {
          /* every change is committed and safe in the log: "nothing was
           * changed" (the disk full, an I/O error) would not be true, and a
           * change retried for it would be made twice */
          if (g_error_matches (local, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FULL))
            g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_UNFINISHED,
                         _("“%s” is saved, but the disk holding it is full, so its write-ahead log “%s-wal” "
                           "could not be folded back into it: make room on the disk and run "
                           "doorlicht-cli case recover “%s”"), self->path, self->path, self->path);
          else
            g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_UNFINISHED,
                         _("“%s” is saved, but its write-ahead log “%s-wal” could not be folded back into it "
                           "(%s): run doorlicht-cli case recover “%s”"), self->path, self->path,
                         local->message, self->path);
          return FALSE;
        }
    }
  if (sqlite3_close (self->db) != SQLITE_OK)
    return dl_case_sql_fail (self->db, error);
  self->db = NULL;
  return TRUE;
}

gboolean
dl_case_file_checkpoint (DlCaseFile *self,
                         GError    **error)
{
  g_return_val_if_fail (DL_IS_CASE_FILE (self), FALSE);

  if (self->db == NULL || self->read_only)
    return TRUE;
  /* another reader keeps what it reads: the rest waits for the next time */
  return dl_case_exec (self->db, "PRAGMA wal_checkpoint (TRUNCATE)", error);
}

const char *
dl_case_file_get_path (DlCaseFile *self)
{
  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);
  return self->path;
}

gboolean
dl_case_file_is_read_only (DlCaseFile *self)
{
  g_return_val_if_fail (DL_IS_CASE_FILE (self), TRUE);
  return self->read_only;
}

DlIdentity *
dl_case_file_get_identity (DlCaseFile *self)
{
  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);
  return self->identity;
}

guint
dl_case_file_get_opened_version (DlCaseFile *self)
{
  g_return_val_if_fail (DL_IS_CASE_FILE (self), 0);
  return self->opened_version;
}

static gboolean
usable (DlCaseFile *self,
        gboolean    writing,
        GError    **error)
{
  if (self->db == NULL)
    {
      g_set_error_literal (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FAILED, _("The case file is closed"));
      return FALSE;
    }
  if (writing && !self->read_only && !dl_case_file_wait_checked (self, error))
    return FALSE;
  if (writing && self->read_only)
    {
      g_set_error_literal (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_READ_ONLY,
                           _("The case file is open read-only; import it to work on it"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
check_text (const char *text,
            gsize       max,
            gboolean    required,
            const char *what,
            GError    **error)
{
  if ((text == NULL || *text == '\0') && required)
    {
      g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID, _("The %s is empty"), what);
      return FALSE;
    }
  if (text && (strlen (text) > max || !g_utf8_validate (text, -1, NULL)))
    {
      g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID,
                   _("The %s is not valid text of at most %zu bytes"), what, max);
      return FALSE;
    }
  return TRUE;
}

/* Binds created and the author columns at @first … @first + 3. */
static gboolean
bind_author (DlCaseFile   *self,
             sqlite3_stmt *stmt,
             int           first,
             GError      **error)
{
  return dl_case_bind_int64 (stmt, first, g_get_real_time () / G_USEC_PER_SEC, error)
         && dl_case_bind_text (stmt, first + 1, dl_identity_get_login (self->identity), error)
         && dl_case_bind_text (stmt, first + 2, dl_identity_get_display_name (self->identity), error)
         && dl_case_bind_text (stmt, first + 3, dl_identity_get_public_key (self->identity), error);
}

/* -- changes: each one transaction ------------------------------------------------ */

/* The outermost change takes the write lock at once (BEGIN IMMEDIATE):
 * in WAL mode SQLite calls no busy handler when a read turns into a write
 * inside a transaction, so a writer that started as a reader could not
 * wait its turn.  Inner changes are savepoints. */
gboolean
dl_case_change_begin (DlCaseFile *self,
                      GError    **error)
{
  if (!usable (self, TRUE, error))
    return FALSE;
  if (self->change_depth == 0 ? !dl_case_begin (self->db, error)
                              : !dl_case_exec (self->db, "SAVEPOINT change", error))
    return FALSE;
  if (self->change_depth++ == 0)
    {
      self->change_noted = FALSE;
      g_clear_pointer (&self->change_case, g_free);
    }
  return TRUE;
}

void
dl_case_change_note (DlCaseFile *self,
                     const char *case_id)
{
  if (!self->change_noted)
    self->change_case = g_strdup (case_id);
  else if (g_strcmp0 (self->change_case, case_id) != 0)
    g_clear_pointer (&self->change_case, g_free);
  self->change_noted = TRUE;
}

void
dl_case_change_abort (DlCaseFile *self)
{
  g_return_if_fail (self->change_depth > 0);

  if (--self->change_depth > 0)
    {
      sqlite3_exec (self->db, "ROLLBACK TO change; RELEASE change", NULL, NULL, NULL);
      return;
    }
  dl_case_rollback (self->db);
  self->change_noted = FALSE;
  g_clear_pointer (&self->change_case, g_free);
}

/* Before the commit: the change's pages are written to the log now (a
 * full disk fails here, while it can still be rolled back), and the disk
 * must have room for what folding the log into the file adds to it, so a
 * committed change is never left in a write-ahead log that cannot be
 * folded in, and a command is never told "failed" for a change it made. */
static gboolean
room_to_commit (DlCaseFile *self,
                GError    **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  struct statvfs vfs;
  struct stat st;
  gint64 pages = 0, page_size = 0, grows;
  /* the commit frame, the switch back to one file (a journal of page 1), slack */
  const gint64 margin = 256 * 1024;
  int rc = sqlite3_db_cacheflush (self->db);

  /* its error is its result, not the connection's */
  if ((rc & 0xff) == SQLITE_FULL || ((rc & 0xff) == SQLITE_IOERR && sqlite3_system_errno (self->db) == ENOSPC))
    return dl_case_full_fail (self->path, error);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, DL_CASE_FILE_ERROR, rc == SQLITE_BUSY ? DL_CASE_FILE_ERROR_BUSY : DL_CASE_FILE_ERROR_FAILED,
                   _("Case file: %s"), sqlite3_errstr (rc));
      return FALSE;
    }
  if ((stmt = dl_case_prepare (self->db, "SELECT page_count, page_size FROM pragma_page_count, "
                                         "pragma_page_size", error)) == NULL
      || !dl_case_step_row (stmt, error))
    return FALSE;
  pages = sqlite3_column_int64 (stmt, 0);
  page_size = sqlite3_column_int64 (stmt, 1);
  if (g_stat (self->path, &st) != 0 || statvfs (dir, &vfs) != 0)
    return TRUE;  /* nothing to go by: SQLite's own errors remain */
  grows = MAX (0, pages * page_size - (gint64) st.st_size);
  if ((guint64) vfs.f_bavail * vfs.f_frsize >= (guint64) (grows + margin))
    return TRUE;
  return dl_case_full_fail (self->path, error);
}

static gboolean
change_commit (DlCaseFile *self,
               GError    **error)
{
  g_autofree char *case_id = NULL;
  gboolean noted;

  if (self->change_depth > 1)
    {
      if (!dl_case_exec (self->db, "RELEASE change", error))
        return dl_case_change_abort (self), FALSE;
      self->change_depth--;
      return TRUE;
    }
  if (!room_to_commit (self, error) || !dl_case_commit (self->db, error))
    return dl_case_change_abort (self), FALSE;
  self->change_depth = 0;
  noted = self->change_noted;
  case_id = g_steal_pointer (&self->change_case);
  self->change_noted = FALSE;
  if (noted)
    g_signal_emit (self, signals[CHANGED], 0, case_id);
  return TRUE;
}

/* Ends the change begun last: commits it when @ok, else rolls it back.
 * %TRUE when it was committed. */
gboolean
dl_case_change_end (DlCaseFile *self,
                    gboolean    ok,
                    GError    **error)
{
  if (!ok)
    {
      dl_case_change_abort (self);
      return FALSE;
    }
  return change_commit (self, error);
}

gboolean
dl_case_file_begin (DlCaseFile *self,
                    GError    **error)
{
  g_return_val_if_fail (DL_IS_CASE_FILE (self), FALSE);
  return dl_case_change_begin (self, error);
}

gboolean
dl_case_file_commit (DlCaseFile *self,
                     GError    **error)
{
  g_return_val_if_fail (DL_IS_CASE_FILE (self), FALSE);
  g_return_val_if_fail (self->change_depth > 0, FALSE);
  return change_commit (self, error);
}

void
dl_case_file_rollback (DlCaseFile *self)
{
  g_return_if_fail (DL_IS_CASE_FILE (self));

  if (self->change_depth > 0)
    {
      self->change_depth = 1;
      dl_case_change_abort (self);
    }
}

/* Runs @stmt (an insert of row @id into @table) and records its event, in
 * one transaction (or the caller's). */
static gboolean
insert_recorded (DlCaseFile   *self,
                 sqlite3_stmt *stmt,
                 const char   *kind,
                 const char   *case_id,
                 const char   *table,
                 const char   *id,
                 GError      **error)
{
  gboolean ok;

  if (!dl_case_change_begin (self, error))
    return FALSE;
  ok = dl_case_step_done (stmt, error) && dl_case_record_row (self, kind, case_id, table, id, error);
  if (ok)
    dl_case_change_note (self, case_id);
  return dl_case_change_end (self, ok, error);
}

/* -- cases and the queue ------------------------------------------------------------ */

#define SUMMARY_SQL \
  "SELECT c.id, c.title, c.created, c.author_login, c.author_name, c.author_key, " \
  "       v.id, v.decision, v.author_login, v.author_name, v.author_key, r.decision, " \
  "       max (c.created, coalesce (v.created, 0), coalesce (r.created, 0)) AS updated, " \
  "       (SELECT count (*) FROM scans s WHERE s.case_id = c.id), " \
  "       (SELECT s.id FROM scans s WHERE s.case_id = c.id ORDER BY s.created, s.rowid LIMIT 1) " \
  "FROM cases c " \
  "LEFT JOIN verdicts v ON v.id = (SELECT x.id FROM verdicts x WHERE x.case_id = c.id " \
  "                                ORDER BY x.created DESC, x.rowid DESC LIMIT 1) " \
  "LEFT JOIN reviews r ON r.verdict_id = v.id "

static DlCaseSummary *
summary_read (sqlite3_stmt *stmt,
              GHashTable   *fingerprints)
{
  DlCaseSummary *s = g_new0 (DlCaseSummary, 1);
  const char *review = (const char *) sqlite3_column_text (stmt, 11);

  s->id = g_strdup (dl_case_column_text (stmt, 0));
  s->title = g_strdup (dl_case_column_text (stmt, 1));
  s->created = sqlite3_column_int64 (stmt, 2);
  author_read_cached (&s->author, stmt, 3, fingerprints);
  if (sqlite3_column_type (stmt, 6) != SQLITE_NULL)
    {
      s->verdict_id = g_strdup (dl_case_column_text (stmt, 6));
      s->verdict = dl_decision_from_id (dl_case_column_text (stmt, 7));
      author_read_cached (&s->verdict_author, stmt, 8, fingerprints);
    }
  s->updated = sqlite3_column_int64 (stmt, 12);
  s->n_scans = sqlite3_column_int (stmt, 13);
  if (sqlite3_column_type (stmt, 14) != SQLITE_NULL)
    s->first_scan_id = g_strdup (dl_case_column_text (stmt, 14));
  s->state = dl_case_state_of (s->verdict_id != NULL, review);
  return s;
}

DlCaseState
dl_case_state_of (gboolean    has_verdict,
                  const char *review)
{
  if (!has_verdict)
    return DL_CASE_STATE_NEW;
  if (review == NULL)
    return DL_CASE_STATE_AWAITING_REVIEW;
  return strcmp (review, "approve") == 0 ? DL_CASE_STATE_APPROVED : DL_CASE_STATE_RETURNED;
}

GPtrArray *
dl_case_file_list_cases (DlCaseFile        *self,
                         const DlCaseQuery *query,
                         GError           **error)
{
  static const char * const filters[] = {
    [DL_CASE_FILTER_ALL] = "1",
    [DL_CASE_FILTER_NEW] = "v.id IS NULL",
    [DL_CASE_FILTER_MINE] = "coalesce (v.author_login, c.author_login) = ?2",
    [DL_CASE_FILTER_AWAITING_REVIEW] = "v.id IS NOT NULL AND r.id IS NULL",
    [DL_CASE_FILTER_RETURNED] = "r.decision = 'return'",
    [DL_CASE_FILTER_APPROVED] = "r.decision = 'approve'",
  };
  static const char * const sorts[] = {
    [DL_CASE_SORT_UPDATED] = "updated", [DL_CASE_SORT_CREATED] = "c.created",
    [DL_CASE_SORT_TITLE] = "c.title COLLATE NOCASE",
  };
  DlCaseQuery all = { 0 };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_case_summary_free);
  g_autoptr(GHashTable) fingerprints = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *sql = NULL;
  const char *mine;
  int rc;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);

  if (!usable (self, FALSE, error))
    return NULL;
  if (query == NULL)
    query = &all;
  if ((guint) query->filter >= G_N_ELEMENTS (filters) || (guint) query->sort >= G_N_ELEMENTS (sorts))
    return invalid (error, _("Unknown filter or sort order")), NULL;

  sql = g_strdup_printf (SUMMARY_SQL "WHERE %s AND (?1 IS NULL OR instr (lower (c.title), lower (?1)) > 0 "
                         "OR instr (lower (c.id), lower (?1)) > 0) ORDER BY %s %s, c.rowid %s",
                         filters[query->filter], sorts[query->sort], query->descending ? "DESC" : "ASC",
                         query->descending ? "DESC" : "ASC");
  stmt = dl_case_prepare (self->db, sql, error);
  if (stmt == NULL)
    return NULL;
  mine = query->mine_login ? query->mine_login
                           : self->identity ? dl_identity_get_login (self->identity) : g_get_user_name ();
  if ((query->search && *query->search && !dl_case_bind_text (stmt, 1, query->search, error))
      || (query->filter == DL_CASE_FILTER_MINE && !dl_case_bind_text (stmt, 2, mine, error)))
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (result, summary_read (stmt, fingerprints));
  if (rc != SQLITE_DONE)
    return dl_case_sql_fail (self->db, error), NULL;
  return g_steal_pointer (&result);
}

DlCaseSummary *
dl_case_file_get_case (DlCaseFile *self,
                       const char *case_id,
                       GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);

  if (!usable (self, FALSE, error))
    return NULL;
  stmt = dl_case_prepare (self->db, SUMMARY_SQL "WHERE c.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  if (!dl_case_bind_text (stmt, 1, case_id, error))
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return summary_read (stmt, NULL);
  if (!dl_case_step_end (stmt, rc, error))
    return NULL;
  g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_NOT_FOUND, _("There is no case “%s”"),
               case_id ? case_id : "");
  return NULL;
}

char *
dl_case_file_new_case (DlCaseFile *self,
                       const char *title,
                       GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *id = dl_case_new_id ('C');

  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);

  if (!usable (self, TRUE, error) || !check_text (title, MAX_TITLE, TRUE, _("title"), error))
    return NULL;
  stmt = dl_case_prepare (self->db, "INSERT INTO cases (id, title, created, author_login, author_name, author_key) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    return NULL;
  if (!dl_case_bind_text (stmt, 1, id, error)
      || !dl_case_bind_text (stmt, 2, title, error)
      || !bind_author (self, stmt, 3, error)
      || !insert_recorded (self, stmt, "case", id, "cases", id, error))
    return NULL;
  return g_steal_pointer (&id);
}

static gboolean
case_exists (DlCaseFile *self,
             const char *case_id,
             GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = dl_case_prepare (self->db, "SELECT 1 FROM cases WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (!dl_case_bind_text (stmt, 1, case_id, error))
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (!dl_case_step_end (stmt, rc, error))
    return FALSE;
  g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_NOT_FOUND, _("There is no case “%s”"),
               case_id ? case_id : "");
  return FALSE;
}

/* -- scans ------------------------------------------------------------------------- */

/* An embedded image is one SQLite value: it must fit both our cap and
 * SQLite's (SQLITE_MAX_LENGTH, 10⁹ bytes in Debian's build, lowered by
 * DOORLICHT_SQLITE_MAX_LENGTH for tests). */
static gboolean
fits_embedded (DlCaseFile *self,
               const char *path,
               guint64     size,
               GError    **error)
{
  guint64 limit = MIN ((guint64) DL_CASE_MAX_IMAGE, (guint64) sqlite3_limit (self->db, SQLITE_LIMIT_LENGTH, -1));

  if (size <= limit)
    return TRUE;
  g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID,
               _("“%s” is too large to embed: it has %llu bytes, a case file holds an image of at most %llu; "
                 "add it without --embed (by reference) instead"),
               path, (unsigned long long) size, (unsigned long long) limit);
  return FALSE;
}

char *
dl_case_file_add_scan (DlCaseFile *self,
                       const char *case_id,
                       const char *path,
                       gboolean    embed,
                       GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *id = dl_case_new_id ('S');
  g_autofree char *absolute = NULL, *sha = NULL;
  guint64 size = 0;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (!usable (self, TRUE, error) || !case_exists (self, case_id, error))
    return NULL;
  absolute = g_canonicalize_filename (path, NULL);
  sha = dl_case_sha256_file (absolute, &size, embed ? &bytes : NULL, error);
  if (sha == NULL)
    return NULL;
  if (embed && !fits_embedded (self, path, size, error))
    return NULL;
  stmt = dl_case_prepare (self->db, "INSERT INTO scans (id, case_id, path, size, sha256, image, created, "
                                    "author_login, author_name, author_key) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", error);
  if (stmt == NULL
      || !dl_case_bind_text (stmt, 1, id, error)
      || !dl_case_bind_text (stmt, 2, case_id, error)
      || !dl_case_bind_text (stmt, 3, absolute, error)
      || !dl_case_bind_int64 (stmt, 4, size, error)
      || !dl_case_bind_text (stmt, 5, sha, error)
      || (bytes && !dl_case_bind_blob (stmt, 6, bytes, error))
      || !bind_author (self, stmt, 7, error)
      || !insert_recorded (self, stmt, "scan", case_id, "scans", id, error))
    return NULL;
  return g_steal_pointer (&id);
}

GPtrArray *
dl_case_file_get_scans (DlCaseFile *self,
                        const char *case_id,
                        GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) scans = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_case_scan_free);
  int rc;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);

  if (!usable (self, FALSE, error) || !case_exists (self, case_id, error))
    return NULL;
  stmt = dl_case_prepare (self->db, "SELECT id, case_id, path, size, sha256, image IS NOT NULL, created, "
                                    "author_login, author_name, author_key FROM scans WHERE case_id = ?1 "
                                    "ORDER BY created, rowid", error);
  if (stmt == NULL)
    return NULL;
  if (!dl_case_bind_text (stmt, 1, case_id, error))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DlCaseScan *s = g_new0 (DlCaseScan, 1);

      s->id = g_strdup (dl_case_column_text (stmt, 0));
      s->case_id = g_strdup (dl_case_column_text (stmt, 1));
      s->path = g_strdup (dl_case_column_text (stmt, 2));
      s->size = sqlite3_column_int64 (stmt, 3);
      s->sha256 = g_strdup (dl_case_column_text (stmt, 4));
      s->embedded = sqlite3_column_int (stmt, 5);
      s->created = sqlite3_column_int64 (stmt, 6);
      dl_case_author_read (&s->author, stmt, 7);
      g_ptr_array_add (scans, s);
    }
  /* a read that stopped early is not all the scans */
  if (!dl_case_step_end (stmt, rc, error))
    return NULL;
  return g_steal_pointer (&scans);
}

GBytes *
dl_case_file_get_scan_image (DlCaseFile *self,
                             const char *scan_id,
                             GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sha = NULL;
  GBytes *bytes;
  int rc;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);

  if (!usable (self, FALSE, error))
    return NULL;
  stmt = dl_case_prepare (self->db, "SELECT image, sha256 FROM scans WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  if (!dl_case_bind_text (stmt, 1, scan_id, error))
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (!dl_case_step_end (stmt, rc, error))
        return NULL;
      g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_NOT_FOUND, _("There is no scan “%s”"),
                   scan_id ? scan_id : "");
      return NULL;
    }
  if (sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return NULL;
  bytes = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  sha = dl_sha256_hex_bytes (bytes);
  if (strcmp (sha, dl_case_column_text (stmt, 1)) != 0)
    {
      g_bytes_unref (bytes);
      g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_CORRUPT,
                   _("The embedded image of scan “%s” does not match its recorded SHA-256"), scan_id);
      return NULL;
    }
  return bytes;
}

/* -- manifests and hints ------------------------------------------------------------- */

static gboolean
add_json_row (DlCaseFile *self,
              const char *table,
              const char *kind,
              char        prefix,
              const char *case_id,
              const char *json,
              GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *id = dl_case_new_id (prefix);
  g_autofree char *sql = NULL;

  if (!usable (self, TRUE, error) || !case_exists (self, case_id, error))
    return FALSE;
  if (json == NULL || strlen (json) > DL_CASE_MAX_TEXT || !g_utf8_validate (json, -1, NULL))
    {
      g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID,
                   strcmp (table, "manifests") == 0
                   ? _("The manifest is not valid text of at most %d bytes (as JSON)")
                   : strcmp (table, "bay_plans") == 0
                   ? _("The bay plan is not valid text of at most %d bytes (as JSON)")
                   : _("The consistency hints are not valid text of at most %d bytes (as JSON)"),
                   DL_CASE_MAX_TEXT);
      return FALSE;
    }
  sql = g_strdup_printf ("INSERT INTO %s (id, case_id, json, created, author_login, author_name, author_key) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", table);
  stmt = dl_case_prepare (self->db, sql, error);
  return stmt != NULL
         && dl_case_bind_text (stmt, 1, id, error)
         && dl_case_bind_text (stmt, 2, case_id, error)
         && dl_case_bind_text (stmt, 3, json, error)
         && bind_author (self, stmt, 4, error)
         && insert_recorded (self, stmt, kind, case_id, table, id, error);
}

/* The latest json of @table for the case, NULL (no error) when none. */
static char *
latest_json (DlCaseFile *self,
             const char *table,
             const char *case_id,
             GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = NULL;

  if (!usable (self, FALSE, error) || !case_exists (self, case_id, error))
    return NULL;
  sql = g_strdup_printf ("SELECT json FROM %s WHERE case_id = ?1 ORDER BY created DESC, rowid DESC LIMIT 1",
                         table);
  stmt = dl_case_prepare (self->db, sql, error);
  if (stmt == NULL)
    return NULL;
  if (!dl_case_bind_text (stmt, 1, case_id, error))
    return NULL;
  return dl_case_step_row (stmt, error) ? g_strdup (dl_case_column_text (stmt, 0)) : NULL;
}

gboolean
dl_case_file_set_manifest (DlCaseFile       *self,
                           const char       *case_id,
                           const DlManifest *manifest,
                           GError          **error)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), FALSE);
  g_return_val_if_fail (manifest != NULL, FALSE);

  json = dl_manifest_to_json (manifest);
  return add_json_row (self, "manifests", "manifest", 'M', case_id, json, error);
}

DlManifest *
dl_case_file_get_manifest (DlCaseFile *self,
                           const char *case_id,
                           GError    **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *json = NULL;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);

  json = latest_json (self, "manifests", case_id, &local);
  if (json == NULL)
    {
      if (local)
        g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return dl_manifest_from_json (json, error);
}

gboolean
dl_case_file_set_bay_plan (DlCaseFile      *self,
                           const char      *case_id,
                           const DlBayPlan *plan,
                           GError         **error)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), FALSE);
  g_return_val_if_fail (plan != NULL, FALSE);

  json = dl_bay_plan_to_json (plan);
  return add_json_row (self, "bay_plans", "bay-plan", 'B', case_id, json, error);
}

DlBayPlan *
dl_case_file_get_bay_plan (DlCaseFile *self,
                           const char *case_id,
                           GError    **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *json = NULL;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);

  /* a file of version 4 or before, read as it is, has no bay plans */
  if (self->read_only && self->opened_version < 5)
    return NULL;
  json = latest_json (self, "bay_plans", case_id, &local);
  if (json == NULL)
    {
      if (local)
        g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return dl_bay_plan_from_json (json, error);
}

gboolean
dl_case_file_set_hints (DlCaseFile *self,
                        const char *case_id,
                        const char *json,
                        GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_return_val_if_fail (DL_IS_CASE_FILE (self), FALSE);

  if (json == NULL || dl_json_refused (json, -1) || !json_parser_load_from_data (parser, json, -1, NULL))
    return invalid (error, _("The consistency hints are not JSON"));
  return add_json_row (self, "hints", "hints", 'H', case_id, json, error);
}

char *
dl_case_file_get_hints (DlCaseFile *self,
                        const char *case_id,
                        GError    **error)
{
  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);
  return latest_json (self, "hints", case_id, error);
}

/* -- verdicts and reviews ------------------------------------------------------------- */

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
          g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID,
                       _("“%s” is not a verdict reason (known: %s)"), reasons[i],
                       "density-anomaly, shape-anomaly, manifest-mismatch, weight-mismatch, concealment, "
                       "organic-mass, metal-mass, image-quality, risk-profile, other");
          return NULL;
        }
      json_builder_add_string_value (b, reasons[i]);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static DlVerdict *
verdict_read (sqlite3_stmt *stmt)
{
  DlVerdict *v = g_new0 (DlVerdict, 1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GStrvBuilder) reasons = g_strv_builder_new ();
  JsonNode *root;

  v->id = g_strdup (dl_case_column_text (stmt, 0));
  v->case_id = g_strdup (dl_case_column_text (stmt, 1));
  v->decision = dl_decision_from_id (dl_case_column_text (stmt, 2));
  if (!dl_json_refused (dl_case_column_text (stmt, 3), -1)
      && json_parser_load_from_data (parser, dl_case_column_text (stmt, 3), -1, NULL)
      && (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_ARRAY (root))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (root)); i++)
      {
        const char *r = json_array_get_string_element (json_node_get_array (root), i);
        if (r)
          g_strv_builder_add (reasons, r);
      }
  v->reasons = g_strv_builder_end (reasons);
  v->text = g_strdup (dl_case_column_text (stmt, 4));
  v->supersedes = sqlite3_column_type (stmt, 5) == SQLITE_NULL ? NULL : g_strdup (dl_case_column_text (stmt, 5));
  v->created = sqlite3_column_int64 (stmt, 6);
  dl_case_author_read (&v->author, stmt, 7);
  return v;
}

#define VERDICT_SQL "SELECT id, case_id, decision, reasons, text, supersedes, created, author_login, " \
                    "author_name, author_key FROM verdicts "

GPtrArray *
dl_case_file_get_verdicts (DlCaseFile *self,
                           const char *case_id,
                           GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) verdicts = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_verdict_free);
  int rc;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);

  if (!usable (self, FALSE, error) || !case_exists (self, case_id, error))
    return NULL;
  stmt = dl_case_prepare (self->db, VERDICT_SQL "WHERE case_id = ?1 ORDER BY created, rowid", error);
  if (stmt == NULL)
    return NULL;
  if (!dl_case_bind_text (stmt, 1, case_id, error))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (verdicts, verdict_read (stmt));
  /* a read that stopped early is not all the verdicts */
  if (!dl_case_step_end (stmt, rc, error))
    return NULL;
  return g_steal_pointer (&verdicts);
}

DlVerdict *
dl_case_file_get_verdict (DlCaseFile *self,
                          const char *case_id,
                          GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);

  if (!usable (self, FALSE, error) || !case_exists (self, case_id, error))
    return NULL;
  stmt = dl_case_prepare (self->db, VERDICT_SQL "WHERE case_id = ?1 ORDER BY created DESC, rowid DESC LIMIT 1",
                          error);
  if (stmt == NULL)
    return NULL;
  if (!dl_case_bind_text (stmt, 1, case_id, error))
    return NULL;
  return dl_case_step_row (stmt, error) ? verdict_read (stmt) : NULL;
}

/* The verdict's event: its row and, when given, what the analyst had on
 * screen (dl-case-seen.h), signed with it. */
static gboolean
record_verdict (DlCaseFile *self,
                const char *case_id,
                const char *id,
                const char *seen_json,
                GError    **error)
{
  g_autofree char *row = NULL;
  g_autofree char *payload = NULL;

  if (seen_json == NULL)
    return dl_case_record_row (self, "verdict", case_id, "verdicts", id, error);
  if ((row = dl_case_row_json (self->db, "verdicts", id, error)) == NULL)
    return FALSE;
  payload = g_strdup_printf ("{\"table\":\"verdicts\",\"row\":%s,\"seen\":%s}", row, seen_json);
  return dl_case_record (self, "verdict", case_id, payload, error);
}

/* The hints found while the case was looked at go in with its verdict,
 * unless they are those stored already. */
static gboolean
record_hints (DlCaseFile *self,
              const char *case_id,
              const char *hints_json,
              GError    **error)
{
  g_autofree char *stored = NULL;
  g_autoptr(GError) local = NULL;

  if (hints_json == NULL)
    return TRUE;
  /* a read that failed is no reason to store them twice */
  stored = latest_json (self, "hints", case_id, &local);
  if (local)
    return g_propagate_error (error, g_steal_pointer (&local)), FALSE;
  if (g_strcmp0 (stored, hints_json) == 0)
    return TRUE;
  return add_json_row (self, "hints", "hints", 'H', case_id, hints_json, error);
}

static gboolean
check_seen (const char *seen_json,
            const char *hints_json,
            GError    **error)
{
  const char *why;

  if (!check_text (seen_json, DL_CASE_MAX_TEXT, FALSE, _("record of what was seen"), error)
      || !check_text (hints_json, DL_CASE_MAX_TEXT, FALSE, "hints", error))
    return FALSE;
  why = dl_case_seen_problem (seen_json, hints_json);
  return why ? invalid (error, why) : TRUE;
}

const char *
dl_case_seen_problem (const char *seen_json,
                      const char *hints_json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (seen_json && (dl_json_refused (seen_json, -1) || !json_parser_load_from_data (parser, seen_json, -1, NULL)
                    || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))))
    return _("The record of what was seen is not a JSON object");
  if (hints_json && (dl_json_refused (hints_json, -1) || !json_parser_load_from_data (parser, hints_json, -1, NULL)))
    return _("The consistency hints are not JSON");
  return NULL;
}

/* Inside the change: the verdict it supersedes is read under the write
 * lock; the row, its event (with what was seen) and the hints go in
 * together. */
static gboolean
insert_verdict (DlCaseFile *self,
                const char *id,
                const char *case_id,
                DlDecision  decision,
                const char *reasons_text,
                const char *text,
                const char *seen_json,
                const char *hints_json,
                GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(DlVerdict) previous = NULL;
  g_autoptr(GError) local = NULL;

  previous = dl_case_file_get_verdict (self, case_id, &local);
  if (local)
    return g_propagate_error (error, g_steal_pointer (&local)), FALSE;
  stmt = dl_case_prepare (self->db, "INSERT INTO verdicts (id, case_id, decision, reasons, text, supersedes, "
                                    "created, author_login, author_name, author_key) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", error);
  if (!(stmt != NULL
        && dl_case_bind_text (stmt, 1, id, error)
        && dl_case_bind_text (stmt, 2, case_id, error)
        && dl_case_bind_text (stmt, 3, dl_decision_to_id (decision), error)
        && dl_case_bind_text (stmt, 4, reasons_text, error)
        && dl_case_bind_text (stmt, 5, text ? text : "", error)
        && (previous == NULL || dl_case_bind_text (stmt, 6, previous->id, error))
        && bind_author (self, stmt, 7, error)
        && dl_case_step_done (stmt, error)))
    return FALSE;
  if (!record_verdict (self, case_id, id, seen_json, error) || !record_hints (self, case_id, hints_json, error))
    return FALSE;
  dl_case_change_note (self, case_id);
  return TRUE;
}

/* See dl-case-seen.h. */
char *
dl_case_file_add_seen_verdict (DlCaseFile         *self,
                               const char         *case_id,
                               DlDecision          decision,
                               const char * const *reasons,
                               const char         *text,
                               const char         *seen_json,
                               const char         *hints_json,
                               GError            **error)
{
  g_autofree char *id = dl_case_new_id ('V');
  g_autofree char *reasons_text = NULL;
  gboolean ok;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);

  if (!usable (self, TRUE, error))
    return NULL;
  if (decision <= DL_DECISION_NONE || decision >= DL_N_DECISIONS)
    return invalid (error, _("Unknown verdict (clear, inspect, seize or rescan)")), NULL;
  /* goods are not seized without saying why */
  if (decision == DL_DECISION_SEIZE && (reasons == NULL || reasons[0] == NULL))
    return invalid (error, _("A seizure needs at least one reason")), NULL;
  if (!check_text (text, MAX_TEXT, FALSE, _("verdict text"), error)
      || !check_seen (seen_json, hints_json, error)
      || (reasons_text = reasons_json (reasons, error)) == NULL
      || !dl_case_change_begin (self, error))
    return NULL;
  ok = insert_verdict (self, id, case_id, decision, reasons_text, text, seen_json, hints_json, error);
  if (!dl_case_change_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&id);
}

char *
dl_case_file_add_verdict (DlCaseFile         *self,
                          const char         *case_id,
                          DlDecision          decision,
                          const char * const *reasons,
                          const char         *text,
                          GError            **error)
{
  return dl_case_file_add_seen_verdict (self, case_id, decision, reasons, text, NULL, NULL, error);
}

static DlReview *
review_read (sqlite3_stmt *stmt)
{
  DlReview *r = g_new0 (DlReview, 1);

  r->id = g_strdup (dl_case_column_text (stmt, 0));
  r->verdict_id = g_strdup (dl_case_column_text (stmt, 1));
  r->decision = dl_review_decision_from_id (dl_case_column_text (stmt, 2));
  r->comment = g_strdup (dl_case_column_text (stmt, 3));
  r->created = sqlite3_column_int64 (stmt, 4);
  dl_case_author_read (&r->author, stmt, 5);
  return r;
}

DlReview *
dl_case_file_get_review (DlCaseFile *self,
                         const char *verdict_id,
                         GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);

  if (!usable (self, FALSE, error))
    return NULL;
  stmt = dl_case_prepare (self->db, "SELECT id, verdict_id, decision, comment, created, author_login, "
                                    "author_name, author_key FROM reviews WHERE verdict_id = ?1", error);
  if (stmt == NULL)
    return NULL;
  if (!dl_case_bind_text (stmt, 1, verdict_id, error))
    return NULL;
  return dl_case_step_row (stmt, error) ? review_read (stmt) : NULL;
}

/* The four-eyes rule and one review per verdict. */
static gboolean
may_review (DlCaseFile *self,
            DlVerdict  *verdict,
            GError    **error)
{
  g_autoptr(DlReview) existing = NULL;
  g_autoptr(GError) local = NULL;

  if (g_strcmp0 (verdict->author.fingerprint, dl_identity_get_fingerprint (self->identity)) == 0
      || g_strcmp0 (verdict->author.login, dl_identity_get_login (self->identity)) == 0)
    {
      g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FOUR_EYES,
                   _("You recorded this verdict yourself; another supervisor must review it (four eyes), signed in "
                     "to their own account: a new display name or key folder under your account is still you"));
      return FALSE;
    }
  existing = dl_case_file_get_review (self, verdict->id, &local);
  if (local)
    return g_propagate_error (error, g_steal_pointer (&local)), FALSE;
  if (existing)
    {
      g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID,
                   _("This verdict was reviewed already by %s; a new verdict is needed first"),
                   existing->author.name);
      return FALSE;
    }
  return TRUE;
}

/* Inside the change: the verdict and any review of it are read under the
 * write lock, so two supervisors at once cannot both review it. */
static gboolean
insert_review (DlCaseFile       *self,
               const char       *id,
               const char       *case_id,
               DlReviewDecision  decision,
               const char       *comment,
               GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(DlVerdict) verdict = NULL;
  g_autoptr(GError) local = NULL;

  verdict = dl_case_file_get_verdict (self, case_id, &local);
  if (local)
    return g_propagate_error (error, g_steal_pointer (&local)), FALSE;
  if (verdict == NULL)
    {
      g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_NOT_FOUND,
                   _("Case “%s” has no verdict to review"), case_id);
      return FALSE;
    }
  if (!may_review (self, verdict, error))
    return FALSE;
  stmt = dl_case_prepare (self->db, "INSERT INTO reviews (id, verdict_id, decision, comment, created, "
                                    "author_login, author_name, author_key) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);
  return stmt != NULL
         && dl_case_bind_text (stmt, 1, id, error)
         && dl_case_bind_text (stmt, 2, verdict->id, error)
         && dl_case_bind_text (stmt, 3, dl_review_decision_to_id (decision), error)
         && dl_case_bind_text (stmt, 4, comment ? comment : "", error)
         && bind_author (self, stmt, 5, error)
         && insert_recorded (self, stmt, "review", case_id, "reviews", id, error);
}

char *
dl_case_file_add_review (DlCaseFile       *self,
                         const char       *case_id,
                         DlReviewDecision  decision,
                         const char       *comment,
                         GError          **error)
{
  g_autofree char *id = dl_case_new_id ('R');
  gboolean ok;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);

  if (!usable (self, TRUE, error))
    return NULL;
  if (decision != DL_REVIEW_APPROVE && decision != DL_REVIEW_RETURN)
    return invalid (error, _("Unknown review (approve or return)")), NULL;
  if (!check_text (comment, MAX_TEXT, decision == DL_REVIEW_RETURN, _("comment"), error)
      || !dl_case_change_begin (self, error))
    return NULL;
  ok = insert_review (self, id, case_id, decision, comment, error);
  if (!dl_case_change_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&id);
}

/* -- events -------------------------------------------------------------------------- */

GPtrArray *
dl_case_file_get_events (DlCaseFile *self,
                         const char *case_id,
                         GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_case_event_free);
  int rc;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);

  if (!usable (self, FALSE, error))
    return NULL;
  stmt = dl_case_prepare (self->db, "SELECT seq, id, time, kind, case_id, payload, hash, author_login, "
                                    "author_name, author_key FROM events WHERE ?1 IS NULL OR case_id = ?1 "
                                    "ORDER BY seq", error);
  if (stmt == NULL)
    return NULL;
  if (!dl_case_bind_text (stmt, 1, case_id, error))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DlCaseEvent *e = g_new0 (DlCaseEvent, 1);

      e->seq = sqlite3_column_int64 (stmt, 0);
      e->id = g_strdup (dl_case_column_text (stmt, 1));
      e->time = sqlite3_column_int64 (stmt, 2);
      e->kind = g_strdup (dl_case_column_text (stmt, 3));
      e->case_id = sqlite3_column_type (stmt, 4) == SQLITE_NULL ? NULL : g_strdup (dl_case_column_text (stmt, 4));
      e->payload = g_strdup (dl_case_column_text (stmt, 5));
      e->hash = g_strdup (dl_case_column_text (stmt, 6));
      dl_case_author_read (&e->author, stmt, 7);
      g_ptr_array_add (events, e);
    }
  /* a read that stopped early is not all the events */
  if (!dl_case_step_end (stmt, rc, error))
    return NULL;
  return g_steal_pointer (&events);
}

char *
dl_case_file_get_chain_head (DlCaseFile *self,
                             GError    **error)
{
  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);

  if (!usable (self, FALSE, error))
    return NULL;
  return dl_case_chain_head (self->db, error);
}
