/* dl-case-private.h — what the parts of the case file share: the object,
 * the hardened SQLite connection, the schema and the audit chain.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "dl-case-file.h"

G_BEGIN_DECLS

struct _DlCaseFile
{
  GObject     parent_instance;
  sqlite3    *db;
  char       *path;
  DlIdentity *identity;      /* NULL when read-only */
  gboolean    read_only;
  guint       opened_version;
  GThread    *check;         /* dl_case_file_open_checking (): the quick check, running */
  GError     *check_error;   /* what it found, once joined */
  GThread    *chain_check;   /* dl_case_file_open_checking (): the audit chain verified, running */
  GCancellable *chain_cancellable;
  gboolean    damage_said;   /* "damaged" was emitted: the checks beside say it once */
  /* dl_case_file_set_monitor () */
  GCancellable  *cancellable;
  DlProgressFunc progress;
  gpointer       progress_data;
  double         phase_base, phase_span, reported;
  /* the change in progress (dl_case_change_begin ()): its depth, and the
   * case it changed for "changed" (NULL once it changed several) */
  guint          change_depth;
  gboolean       change_noted;
  char          *change_case;
};

/* Size caps a file from elsewhere must keep (bytes). */
#define DL_CASE_MAX_SHORT   1024                      /* ids, titles, names, keys, hashes */
#define DL_CASE_MAX_TEXT    (4 * 1024 * 1024)         /* JSON, free text, payloads */
#define DL_CASE_MAX_IMAGE   (G_GINT64_CONSTANT (1) << 30)
#define DL_CASE_MAX_THUMBNAIL (256 * 1024)            /* thumbnails.png */

typedef enum
{
  DL_CASE_DB_CREATE,     /* a new file, read-write */
  DL_CASE_DB_WRITE,      /* one's own file, read-write */
  DL_CASE_DB_WRITE_CHECK_LATER, /* the same; SQLite's check left to dl_case_db_quick_check () */
  DL_CASE_DB_UNTRUSTED,  /* from elsewhere, read-only */
} DlCaseDbMode;

/* The content of one audit event, apart from its place in the chain. */
typedef struct
{
  char   *id;
  gint64  time;
  char   *login;
  char   *name;
  char   *key;         /* author's public key, hex */
  char   *kind;
  char   *case_id;     /* or NULL */
  char   *payload;
  char   *content_hash;
  char   *signature;   /* author's, over content_hash */
} DlCaseEventContent;

void      dl_case_event_content_clear (DlCaseEventContent *e);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DlCaseEventContent, dl_case_event_content_clear)

/* SQL helpers: each sets DL_CASE_FILE_ERROR_FAILED with SQLite's message
 * (DL_CASE_FILE_ERROR_BUSY, in words, when another program held the lock
 * past the busy timeout). */
guint         dl_case_busy_timeout_ms (void);
gboolean      dl_case_busy_fail  (const char   *path,
                                  GError      **error);
/* DL_CASE_FILE_ERROR_FULL, in words: the disk holding @path is full. */
gboolean      dl_case_full_fail  (const char   *path,
                                  GError      **error);
/* When SQLite could not read @path for a reason other than its content (a
 * lock held past the timeout, an unfinished write it may not roll back
 * read-only, a write-ahead log it cannot open), sets @error to say what is
 * wrong and what to do, and returns %TRUE. */
gboolean      dl_case_explain_unreadable (sqlite3    *db,
                                          const char *path,
                                          GError    **error);
/* Binds that fail (a value over SQLite's length limit …) set @error. */
gboolean      dl_case_bind_text  (sqlite3_stmt *stmt,
                                  int           column,
                                  const char   *text,     /* NULL: NULL */
                                  GError      **error);
gboolean      dl_case_bind_int64 (sqlite3_stmt *stmt,
                                  int           column,
                                  gint64        value,
                                  GError      **error);
gboolean      dl_case_bind_blob  (sqlite3_stmt *stmt,
                                  int           column,
                                  GBytes       *bytes,
                                  GError      **error);
gboolean      dl_case_step_done  (sqlite3_stmt *stmt,
                                  GError      **error);
/* The end of a read: %TRUE when @rc, the last sqlite3_step ()'s result,
 * is SQLITE_DONE; else (busy, I/O, corrupt: not the end of the rows)
 * sets @error.  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) …; */
gboolean      dl_case_step_end   (sqlite3_stmt *stmt,
                                  int           rc,
                                  GError      **error);
/* One step of a read: %TRUE at a row; %FALSE at the end (@error unset)
 * or when the step failed (@error set). */
gboolean      dl_case_step_row   (sqlite3_stmt *stmt,
                                  GError      **error);
/* A change in one transaction (BEGIN IMMEDIATE; nested ones savepoints);
 * the outermost emits "changed" once it committed. */
gboolean      dl_case_change_begin (DlCaseFile *self,
                                    GError    **error);
/* What the change changed: one case, or (@case_id %NULL, or several
 * noted) many; "changed" is emitted only when something was noted. */
void          dl_case_change_note  (DlCaseFile *self,
                                    const char *case_id);
gboolean      dl_case_change_end   (DlCaseFile *self,
                                    gboolean    ok,
                                    GError    **error);
void          dl_case_change_abort (DlCaseFile *self);
gboolean      dl_case_sql_fail   (sqlite3      *db,
                                  GError      **error);
gboolean      dl_case_exec       (sqlite3      *db,
                                  const char   *sql,
                                  GError      **error);
sqlite3_stmt *dl_case_prepare    (sqlite3      *db,
                                  const char   *sql,
                                  GError      **error);
gboolean      dl_case_begin      (sqlite3      *db,
                                  GError      **error);
gboolean      dl_case_commit     (sqlite3      *db,
                                  GError      **error);
void          dl_case_rollback   (sqlite3      *db);
/* The one number a "SELECT count (*) …" gives (0 when it fails); ?1 is
 * @text in the second. */
gint64        dl_case_count      (sqlite3      *db,
                                  const char   *sql);
gint64        dl_case_count_text (sqlite3      *db,
                                  const char   *sql,
                                  const char   *text);
void          dl_case_author_read (DlAuthor     *a,
                                  sqlite3_stmt *stmt,
                                  int           first);
const char   *dl_case_column_text (sqlite3_stmt *stmt,
                                   int           column);  /* "" for NULL */
char         *dl_case_new_id     (char          prefix);
/* A case's state from its latest verdict (whether there is one) and that
 * verdict's review ("approve", "return" or %NULL): the same in a case
 * file and a site. */
DlCaseState   dl_case_state_of   (gboolean      has_verdict,
                                  const char   *review);
/* Why what was seen (a JSON object) or the check's hints (any JSON), each
 * may be %NULL, cannot go with a verdict, translated; %NULL when they can.
 * The same in a case file and a site. */
const char   *dl_case_seen_problem (const char *seen_json,
                                    const char *hints_json);
char         *dl_case_sha256_file (const char   *path,
                                   guint64      *size,
                                   GBytes      **bytes,    /* may be NULL */
                                   GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* dl-case-schema.c */
sqlite3      *dl_case_db_open    (const char   *path,
                                  DlCaseDbMode  mode,
                                  guint        *version,
                                  GError      **error);
gboolean      dl_case_db_migrate (sqlite3      *db,
                                  guint         from,
                                  GError      **error);   /* inside the caller's transaction */
/* The monitor of long work: the share of the whole that the next steps
 * cover; a step (@done of @total) reported, %FALSE once cancelled;
 * @error replaced by G_IO_ERROR_CANCELLED when the work was cancelled. */
void          dl_case_monitor_phase (DlCaseFile *self,
                                     double      base,
                                     double      span);
gboolean      dl_case_monitor_step  (DlCaseFile *self,
                                     guint64     done,
                                     guint64     total);
gboolean      dl_case_monitor_fail  (DlCaseFile *self,
                                     GError    **error);
gboolean      dl_case_db_quick_check (const char *path,
                                      GError    **error);  /* on a connection of its own */
void          dl_case_db_close   (sqlite3      *db,
                                  gboolean      checkpoint);

/* dl-case-audit.c */
#define DL_CASE_EVENT_COLUMNS "seq, id, time, author_login, author_name, author_key, kind, case_id, payload, " \
                              "content_hash, signature, prev_hash, hash, appender_key, chain_signature"
/* The tables whose rows events record, in the order rows depend on each
 * other ("cases", "scans", …), %NULL-terminated. */
const char * const *dl_case_row_tables (void);
/* The content of the event at @stmt's row, of SELECT DL_CASE_EVENT_COLUMNS. */
void          dl_case_event_content_read (sqlite3_stmt       *stmt,
                                          DlCaseEventContent *e);
/* @json as an object; %NULL when it is not one (or is refused as too deep). */
JsonObject   *dl_case_parse_object (const char *json);
/* The image of the scan @row records: @src's blob, or (@embed) the file on
 * disk when it still has the recorded hash; %NULL without @error: none. */
GBytes       *dl_case_scan_image (sqlite3    *src,
                                  JsonObject *row,
                                  gboolean    embed,
                                  GError    **error);
char         *dl_case_row_json   (sqlite3      *db,
                                  const char   *table,
                                  const char   *id,
                                  GError      **error);
char         *dl_case_event_content_hash (const DlCaseEventContent *e);
/* The hash that links event @seq to the one before (also the site
 * store's, dl-site.c). */
char         *dl_case_chain_hash (gint64      seq,
                                  const char *content_hash,
                                  const char *signature,
                                  const char *prev_hash,
                                  const char *appender_key);
gboolean      dl_case_chain_append (sqlite3    *db,
                                    DlIdentity *appender,
                                    const DlCaseEventContent *e,
                                    GError    **error);
/* dl-case-findings.c: open, writable and checked; the case of row @id of
 * @table ("scans" or "findings"), or NULL with @error. */
gboolean      dl_case_writable   (DlCaseFile   *self,
                                  GError      **error);
char         *dl_case_row_case   (DlCaseFile   *self,
                                  const char   *table,
                                  const char   *id,
                                  GError      **error);
/* An event by the file's identity; @payload is canonical JSON. */
gboolean      dl_case_record     (DlCaseFile   *self,
                                  const char   *kind,
                                  const char   *case_id,
                                  const char   *payload,
                                  GError      **error);
/* An event recording the row @id of @table as it now is. */
gboolean      dl_case_record_row (DlCaseFile   *self,
                                  const char   *kind,
                                  const char   *case_id,
                                  const char   *table,
                                  const char   *id,
                                  GError      **error);
char         *dl_case_chain_head (sqlite3      *db,
                                  GError      **error);
/* Copies the events of @case_id (NULL: all with a case) from @src that
 * @dst lacks, with their rows, appended to @dst's chain by @appender.
 * With @embed, scans not embedded in @src are read from disk and checked.
 * Inside the caller's transaction on @dst. */
gboolean      dl_case_copy_events (sqlite3     *dst,
                                   sqlite3     *src,
                                   DlIdentity  *appender,
                                   const char  *case_id,
                                   gboolean     embed,
                                   DlCaseFile  *monitor,    /* or NULL */
                                   guint       *n_copied,
                                   GError     **error);
/* dl-case-export.c: the export at @path opened and verified as an import
 * checks it (signed, no problem), with its SHA-256 and the report;
 * @monitor (or %NULL) sees the check as the first half of its work. */
DlCaseFile   *dl_case_open_verified_export (const char      *path,
                                            DlCaseFile      *monitor,
                                            char           **file_sha,
                                            DlVerifyReport **report,
                                            GError         **error);
/* The payload of an "import" event: the file, its signer, how many events. */
char         *dl_case_import_payload (const char     *path,
                                      const char     *file_sha,
                                      DlVerifyReport *report,
                                      guint           n_events);
/* Checks an export's signature over the file's bytes into @report. */
void          dl_case_verify_export (sqlite3       *db,
                                     const char    *path,
                                     DlVerifyReport *report);
/* dl-case-thumbnails.c: reports thumbnails not made from their scan's
 * recorded image (stale or planted). */
void          dl_case_verify_thumbnails (sqlite3        *db,
                                         DlVerifyReport *report);
void          dl_case_anchor_record (DlCaseFile   *self);
/* The chain head this computer last wrote into a file. */
typedef struct
{
  gint64  seq;
  char   *hash;   /* %NULL: none */
  gint64  time;
} DlCaseAnchor;

void          dl_case_anchor_clear  (DlCaseAnchor   *anchor);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DlCaseAnchor, dl_case_anchor_clear)
gboolean      dl_case_anchor_load   (const char     *path,
                                     DlCaseAnchor   *anchor);
void          dl_case_anchor_verify (sqlite3            *db,
                                     const DlCaseAnchor *anchor,
                                     DlVerifyReport     *report);
void          dl_case_add_problem (DlVerifyReport *report,
                                   DlVerifyKind    kind,
                                   gint64          seq,
                                   const char     *table,
                                   const char     *row_id,
                                   const char     *format,
                                   ...) G_GNUC_PRINTF (6, 7);

G_END_DECLS
