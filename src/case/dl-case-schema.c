/* dl-case-schema.c — the case file's schema, its versions and migrations,
 * and the hardened way every case file is opened: SQLite's defensive mode,
 * no trusted schema, no extensions, then the application id, the version,
 * SQLite's own check and the schema itself before anything is read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-case-schema"

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "dl-case-private.h"
#include "dl-regular-file.h"

#define AUTHOR_COLUMNS \
  "  created INTEGER NOT NULL,\n" \
  "  author_login TEXT NOT NULL,\n" \
  "  author_name TEXT NOT NULL,\n" \
  "  author_key TEXT NOT NULL\n"

/* Version 1: cases, scans (by reference), manifests, verdicts, events. */
static const char schema_v1[] =
  "CREATE TABLE cases (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  title TEXT NOT NULL,\n"
  AUTHOR_COLUMNS
  ") STRICT;\n"
  "CREATE TABLE scans (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  case_id TEXT NOT NULL REFERENCES cases (id),\n"
  "  path TEXT NOT NULL,\n"
  "  size INTEGER NOT NULL,\n"
  "  sha256 TEXT NOT NULL,\n"
  AUTHOR_COLUMNS
  ") STRICT;\n"
  "CREATE TABLE manifests (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  case_id TEXT NOT NULL REFERENCES cases (id),\n"
  "  json TEXT NOT NULL,\n"
  AUTHOR_COLUMNS
  ") STRICT;\n"
  "CREATE TABLE verdicts (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  case_id TEXT NOT NULL REFERENCES cases (id),\n"
  "  decision TEXT NOT NULL CHECK (decision IN ('clear', 'inspect', 'seize', 'rescan')),\n"
  "  reasons TEXT NOT NULL,\n"
  "  text TEXT NOT NULL,\n"
  "  supersedes TEXT REFERENCES verdicts (id),\n"
  AUTHOR_COLUMNS
  ") STRICT;\n"
  "CREATE TABLE events (\n"
  "  seq INTEGER PRIMARY KEY,\n"
  "  id TEXT NOT NULL UNIQUE,\n"
  "  time INTEGER NOT NULL,\n"
  "  author_login TEXT NOT NULL,\n"
  "  author_name TEXT NOT NULL,\n"
  "  author_key TEXT NOT NULL,\n"
  "  kind TEXT NOT NULL,\n"
  "  case_id TEXT,\n"
  "  payload TEXT NOT NULL,\n"
  "  content_hash TEXT NOT NULL,\n"
  "  signature TEXT NOT NULL,\n"
  "  prev_hash TEXT NOT NULL,\n"
  "  hash TEXT NOT NULL,\n"
  "  appender_key TEXT NOT NULL,\n"
  "  chain_signature TEXT NOT NULL\n"
  ") STRICT;\n";

/* Version 2: annotations and supervisor reviews. */
static const char migrate_v2[] =
  "CREATE TABLE annotations (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  case_id TEXT NOT NULL REFERENCES cases (id),\n"
  "  scan_id TEXT NOT NULL REFERENCES scans (id),\n"
  "  geometry TEXT NOT NULL,\n"
  "  label TEXT NOT NULL,\n"
  AUTHOR_COLUMNS
  ") STRICT;\n"
  "CREATE TABLE reviews (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  verdict_id TEXT NOT NULL UNIQUE REFERENCES verdicts (id),\n"
  "  decision TEXT NOT NULL CHECK (decision IN ('approve', 'return')),\n"
  "  comment TEXT NOT NULL,\n"
  AUTHOR_COLUMNS
  ") STRICT;\n";

/* Version 3: embedded images, consistency hints, file metadata (export
 * signature) and the indexes of the case queue. */
static const char migrate_v3[] =
  "ALTER TABLE scans ADD COLUMN image BLOB;\n"
  "CREATE TABLE hints (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  case_id TEXT NOT NULL REFERENCES cases (id),\n"
  "  json TEXT NOT NULL,\n"
  AUTHOR_COLUMNS
  ") STRICT;\n"
  "CREATE TABLE meta (\n"
  "  key TEXT PRIMARY KEY NOT NULL,\n"
  "  value TEXT NOT NULL\n"
  ") STRICT;\n"
  "CREATE INDEX cases_created ON cases (created);\n"
  "CREATE INDEX scans_case ON scans (case_id);\n"
  "CREATE INDEX manifests_case ON manifests (case_id, created);\n"
  "CREATE INDEX verdicts_case ON verdicts (case_id, created);\n"
  "CREATE INDEX annotations_scan ON annotations (scan_id);\n"
  "CREATE INDEX hints_case ON hints (case_id, created);\n"
  "CREATE INDEX events_case ON events (case_id);\n";

/* Version 4: the thumbnail cache of the queue.  Derived data, no audited
 * rows: each names the SHA-256 of the image it was made from, and
 * dl_case_file_verify () reports any that is not its scan's.  The index
 * gives the queue each case's first scan without reading the scans' rows
 * (which hold the embedded images). */
static const char migrate_v4[] =
  "CREATE TABLE thumbnails (\n"
  "  scan_id TEXT PRIMARY KEY NOT NULL REFERENCES scans (id),\n"
  "  sha256 TEXT NOT NULL,\n"
  "  width INTEGER NOT NULL,\n"
  "  height INTEGER NOT NULL,\n"
  "  png BLOB NOT NULL\n"
  ") STRICT;\n"
  "CREATE INDEX scans_case_first ON scans (case_id, created, id);\n";

/* Version 5: the bay plan's entry of a case's container (BAPLIE, as
 * dl-baplie.h's JSON form: the message's header, the one container, the
 * warnings about them), a second source of its weight beside the
 * manifest. */
static const char migrate_v5[] =
  "CREATE TABLE bay_plans (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  case_id TEXT NOT NULL REFERENCES cases (id),\n"
  "  json TEXT NOT NULL,\n"
  AUTHOR_COLUMNS
  ") STRICT;\n"
  "CREATE INDEX bay_plans_case ON bay_plans (case_id, created);\n";

static const char * const migrations[DL_CASE_FILE_VERSION + 1] = {
  NULL, schema_v1, migrate_v2, migrate_v3, migrate_v4, migrate_v5,
};

G_STATIC_ASSERT (DL_CASE_FILE_VERSION == 5);

gboolean
dl_case_db_migrate (sqlite3 *db,
                    guint    from,
                    GError **error)
{
  g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", DL_CASE_FILE_VERSION);

  for (guint v = from + 1; v <= DL_CASE_FILE_VERSION; v++)
    if (!dl_case_exec (db, migrations[v], error))
      return FALSE;
  return dl_case_exec (db, set_version, error);
}

/* The longest value SQLite takes; DOORLICHT_SQLITE_MAX_LENGTH lowers it
 * (for tests of what happens at SQLite's limit without gigabytes). */
static int
max_length (void)
{
  const char *text = g_getenv ("DOORLICHT_SQLITE_MAX_LENGTH");
  guint64 limit = (guint64) MIN (DL_CASE_MAX_IMAGE + 1, G_MAXINT);
  guint64 lower = 0;

  if (text && g_ascii_string_to_unsigned (text, 10, 1, limit, &lower, NULL))
    limit = lower;
  return (int) limit;
}

static void
harden (sqlite3     *db,
        DlCaseDbMode mode)
{
  sqlite3_db_config (db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_DQS_DML, 0, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_DQS_DDL, 0, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
  /* VACUUM (export) attaches a temporary database */
  sqlite3_limit (db, SQLITE_LIMIT_ATTACHED, mode == DL_CASE_DB_CREATE ? 1 : 0);
  sqlite3_limit (db, SQLITE_LIMIT_LENGTH, max_length ());
  sqlite3_busy_timeout (db, (int) dl_case_busy_timeout_ms ());
}

static gboolean
refuse (GError    **error,
        int         code,
        const char *format,
        ...) G_GNUC_PRINTF (3, 4);

static gboolean
refuse (GError    **error,
        int         code,
        const char *format,
        ...)
{
  g_autofree char *raw = NULL;
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  raw = g_strdup_vprintf (format, args);
  va_end (args);
  /* SQLite's messages quote the file's own bytes (a type name in its
   * schema …), which need not be UTF-8 */
  message = g_utf8_make_valid (raw, -1);
  g_set_error_literal (error, DL_CASE_FILE_ERROR, code, message);
  return FALSE;
}

static gboolean
pragma_int (sqlite3    *db,
            const char *sql,
            gint64     *value,
            GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = dl_case_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return dl_case_sql_fail (db, error);
  *value = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* The application id and version, before anything else is read. */
static gboolean
check_identity (sqlite3    *db,
                const char *path,
                guint      *version,
                GError    **error)
{
  g_autoptr(GError) local = NULL;
  gint64 app_id = 0, user_version = 0;

  if (!pragma_int (db, "PRAGMA application_id", &app_id, &local)
      || !pragma_int (db, "PRAGMA user_version", &user_version, &local))
    return dl_case_explain_unreadable (db, path, error) ? FALSE : refuse (error, DL_CASE_FILE_ERROR_NOT_OURS,
                   _("“%s” is not a Doorlicht case file (%s)"), path, local->message);
  if (app_id != DL_CASE_FILE_APPLICATION_ID)
    return refuse (error, DL_CASE_FILE_ERROR_NOT_OURS,
                   _("“%s” is not a Doorlicht case file (it is an SQLite database of another application)"),
                   path);
  if (user_version > DL_CASE_FILE_VERSION)
    return refuse (error, DL_CASE_FILE_ERROR_TOO_NEW,
                   _("“%s” was made by a newer Doorlicht (case file version %d; this version reads up to %d)"),
                   path, (int) user_version, DL_CASE_FILE_VERSION);
  if (user_version < 1)
    return refuse (error, DL_CASE_FILE_ERROR_NOT_OURS,
                   _("“%s” is not a Doorlicht case file (it has no schema version)"), path);
  *version = (guint) user_version;
  return TRUE;
}

static gboolean
check_integrity (sqlite3    *db,
                 const char *path,
                 gboolean    full,
                 GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local = NULL;
  const char *result;

  stmt = dl_case_prepare (db, full ? "PRAGMA integrity_check (1)" : "PRAGMA quick_check (1)", &local);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return refuse (error, DL_CASE_FILE_ERROR_CORRUPT, _("“%s” is damaged: %s"), path,
                   local ? local->message : sqlite3_errmsg (db));
  result = dl_case_column_text (stmt, 0);
  if (strcmp (result, "ok") != 0)
    return refuse (error, DL_CASE_FILE_ERROR_CORRUPT, _("“%s” is damaged: %s"), path, result);
  return TRUE;
}

/* %FALSE when the columns could not all be read: the description would
 * be short, never taken for the schema. */
static gboolean
describe_columns (sqlite3    *db,
                  const char *sql,
                  const char *object,
                  const char *name,
                  GString    *out,
                  GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = dl_case_prepare (db, sql, error);
  int rc;

  if (stmt == NULL || !dl_case_bind_text (stmt, 1, name, error))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_string_append_printf (out, "%s: column", object);
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        {
          g_autofree char *escaped = g_strescape (dl_case_column_text (stmt, c), NULL);
          g_string_append_printf (out, " %s", escaped);
        }
      g_string_append_c (out, '\n');
    }
  return dl_case_step_end (stmt, rc, error);
}

/* Where the quoted token (string, identifier) that starts at @p ends. */
static const char *
skip_quoted (const char *p)
{
  char close = *p == '[' ? ']' : *p;

  for (p++; *p; p++)
    if (*p == close)
      {
        if (p[1] != close || close == ']')
          return p + 1;
        p++;   /* a doubled quote inside */
      }
  return p;
}

/* @sql with every run of white space outside quotes made one space, and
 * none at either end: the same statement, whatever its layout. */
static char *
normalize_sql (const char *sql)
{
  GString *out = g_string_new (NULL);
  const char *p = sql;

  while (*p)
    {
      if (g_ascii_isspace (*p))
        {
          while (g_ascii_isspace (*p))
            p++;
          if (out->len > 0 && *p)
            g_string_append_c (out, ' ');
        }
      else if (*p == '\'' || *p == '"' || *p == '`' || *p == '[')
        {
          const char *end = skip_quoted (p);

          g_string_append_len (out, p, end - p);
          p = end;
        }
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

/* Every schema object with its SQL and its columns, one line each, each
 * line naming its object: one canonical text. */
static char *
describe_schema (sqlite3 *db,
                 GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GString *out = g_string_new (NULL);
  int rc;

  stmt = dl_case_prepare (db, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name", error);
  if (stmt == NULL)
    return g_string_free (out, TRUE), NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *type = dl_case_column_text (stmt, 0);
      const char *name = dl_case_column_text (stmt, 1);
      g_autofree char *e_name = g_strescape (name, NULL);
      g_autofree char *e_tbl = g_strescape (dl_case_column_text (stmt, 2), NULL);
      g_autofree char *object = g_strdup_printf ("%s %s", type, e_name);
      g_autofree char *sql = NULL, *e_sql = NULL;

      sql = sqlite3_column_type (stmt, 3) == SQLITE_NULL ? g_strdup ("NULL")
                                                          : normalize_sql (dl_case_column_text (stmt, 3));
      e_sql = g_strescape (sql, NULL);
      g_string_append_printf (out, "%s: of %s\n%s: sql %s\n", object, e_tbl, object, e_sql);
      if ((strcmp (type, "table") == 0
           && !describe_columns (db, "SELECT name, type, \"notnull\", dflt_value, pk, hidden "
                                     "FROM pragma_table_xinfo (?1)", object, name, out, error))
          || (strcmp (type, "index") == 0
              && !describe_columns (db, "SELECT seqno, cid, name, \"desc\", coll, key "
                                        "FROM pragma_index_xinfo (?1)", object, name, out, error)))
        return g_string_free (out, TRUE), NULL;
    }
  if (rc != SQLITE_DONE)
    {
      dl_case_sql_fail (db, error);
      return g_string_free (out, TRUE), NULL;
    }
  return g_string_free (out, FALSE);
}

static char *
expected_schema (guint version)
{
  sqlite3 *db = NULL;
  char *text = NULL;

  if (sqlite3_open_v2 (":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) == SQLITE_OK)
    {
      gboolean ok = TRUE;

      for (guint v = 1; v <= version && ok; v++)
        ok = dl_case_exec (db, migrations[v], NULL);
      if (ok)
        text = describe_schema (db, NULL);
    }
  sqlite3_close (db);
  return text;
}

#define SHOWN_SQL 60   /* bytes either side of where two statements differ */

/* The part of @line around byte @at, for a message. */
static char *
excerpt (const char *line,
         gsize       at)
{
  gsize length = strlen (line);
  gsize from = at > SHOWN_SQL ? at - SHOWN_SQL : 0;
  gsize to = MIN (length, MAX (at, from + 2 * SHOWN_SQL) + SHOWN_SQL);

  return g_strdup_printf ("%s%.*s%s", from > 0 ? "…" : "", (int) (to - from), line + from, to < length ? "…" : "");
}

/* The line of @lines that begins as @line does up to its first ": sql "
 * (the same object's SQL), or %NULL. */
static const char *
same_object (const char * const *lines,
             const char         *line)
{
  const char *sql = strstr (line, ": sql ");

  if (sql == NULL)
    return NULL;
  for (guint i = 0; lines[i]; i++)
    if (strncmp (lines[i], line, sql - line + 6) == 0)
      return lines[i];
  return NULL;
}

/* What differs, for the message: the first line of @a (found) that @b
 * (expected) lacks, or the reverse; an object's SQL shown where it differs. */
static char *
first_difference (const char *a,
                  const char *b)
{
  g_auto(GStrv) la = g_strsplit (a, "\n", -1);
  g_auto(GStrv) lb = g_strsplit (b, "\n", -1);

  for (guint i = 0; la[i]; i++)
    if (!g_strv_contains ((const char * const *) lb, la[i]))
      {
        const char *other = same_object ((const char * const *) lb, la[i]);
        gsize skip, at = 0;
        g_autofree char *object = NULL, *found = NULL, *expected = NULL;

        if (other == NULL)
          return excerpt (la[i], 0);
        skip = strstr (la[i], ": sql ") - la[i];
        object = g_strndup (la[i], skip);
        skip += 6;
        while (la[i][skip + at] && la[i][skip + at] == other[skip + at])
          at++;
        found = excerpt (la[i] + skip, at);
        expected = excerpt (other + skip, at);
        return g_strdup_printf (_("%s: its SQL is “%s” where it should be “%s”"), object, found, expected);
      }
  for (guint i = 0; lb[i]; i++)
    if (!g_strv_contains ((const char * const *) la, lb[i]))
      {
        g_autofree char *missing = excerpt (lb[i], 0);

        return g_strdup_printf (_("missing: %s"), missing);
      }
  return g_strdup ("?");
}

static gboolean
check_schema (sqlite3    *db,
              const char *path,
              guint       version,
              GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *found = NULL, *expected = NULL, *diff = NULL;

  stmt = dl_case_prepare (db, "SELECT type, name FROM sqlite_schema WHERE type IN ('trigger', 'view') LIMIT 1",
                          error);
  if (stmt == NULL)
    return FALSE;
  if (dl_case_step_row (stmt, error))
    return refuse (error, DL_CASE_FILE_ERROR_HOSTILE,
                   _("“%s” is refused: it holds a %s “%s”, which no Doorlicht case file has"),
                   path, dl_case_column_text (stmt, 0), dl_case_column_text (stmt, 1));
  if (error && *error)
    return FALSE;

  found = describe_schema (db, error);
  if (found == NULL)
    return FALSE;
  expected = expected_schema (version);
  if (expected == NULL)
    return refuse (error, DL_CASE_FILE_ERROR_FAILED, _("The expected schema could not be built"));
  if (strcmp (found, expected) == 0)
    return TRUE;
  diff = first_difference (found, expected);
  return refuse (error, DL_CASE_FILE_ERROR_HOSTILE,
                 _("“%s” is refused: its schema is not that of case file version %u (%s)"),
                 path, version, diff);
}

static gint64
column_cap (const char *column)
{
  static const char * const short_columns[] = {
    "id", "title", "label", "author_login", "author_name", "author_key", "case_id", "scan_id",
    "verdict_id", "sha256", "decision", "kind", "supersedes", "content_hash", "signature",
    "prev_hash", "hash", "appender_key", "chain_signature", "key", NULL
  };

  if (strcmp (column, "image") == 0)
    return DL_CASE_MAX_IMAGE;
  if (strcmp (column, "png") == 0)
    return DL_CASE_MAX_THUMBNAIL;
  if (g_strv_contains (short_columns, column))
    return DL_CASE_MAX_SHORT;
  return DL_CASE_MAX_TEXT;
}

/* Refuses values beyond the caps (a file from elsewhere). */
static gboolean
check_sizes (sqlite3    *db,
             const char *path,
             GError    **error)
{
  g_autoptr(sqlite3_stmt) cols = NULL;
  int rc;

  cols = dl_case_prepare (db, "SELECT m.name, p.name FROM sqlite_schema m, pragma_table_info (m.name) p "
                              "WHERE m.type = 'table' AND p.type IN ('TEXT', 'BLOB') ORDER BY 1, p.cid", error);
  if (cols == NULL)
    return FALSE;
  while ((rc = sqlite3_step (cols)) == SQLITE_ROW)
    {
      const char *table = dl_case_column_text (cols, 0);
      const char *column = dl_case_column_text (cols, 1);
      gint64 cap = column_cap (column);
      g_autofree char *sql = NULL;
      g_autoptr(sqlite3_stmt) stmt = NULL;

      sql = g_strdup_printf ("SELECT 1 FROM \"%s\" WHERE length (CAST (\"%s\" AS BLOB)) > %" G_GINT64_FORMAT
                             " LIMIT 1", table, column, cap);
      stmt = dl_case_prepare (db, sql, error);
      if (stmt == NULL)
        return FALSE;
      switch (sqlite3_step (stmt))
        {
        case SQLITE_DONE:
          break;
        case SQLITE_ROW:
          return refuse (error, DL_CASE_FILE_ERROR_HOSTILE,
                         _("“%s” is refused: a value of %s.%s is larger than %lld bytes"),
                         path, table, column, (long long) cap);
        default:
          return refuse (error, DL_CASE_FILE_ERROR_HOSTILE, _("“%s” is refused: %s.%s cannot be read: %s"),
                         path, table, column, sqlite3_errmsg (db));
        }
    }
  /* a list of columns cut short would leave some unchecked */
  return dl_case_step_end (cols, rc, error);
}

static gboolean
setup_new (sqlite3 *db,
           GError **error)
{
  g_autofree char *app_id = g_strdup_printf ("PRAGMA application_id = %d", DL_CASE_FILE_APPLICATION_ID);

  return dl_case_exec (db, "PRAGMA journal_mode = WAL", error)
         && dl_case_begin (db, error)
         && dl_case_exec (db, app_id, error)
         && dl_case_db_migrate (db, 0, error)
         && dl_case_commit (db, error);
}

/* Switching to WAL takes the exclusive lock as an upgrade of a read lock,
 * for which SQLite calls no busy handler: waited for here instead. */
static gboolean
switch_to_wal (sqlite3 *db,
               GError **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) dl_case_busy_timeout_ms () * 1000;

  for (;;)
    {
      int rc = sqlite3_exec (db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);

      if (rc == SQLITE_OK)
        return TRUE;
      if ((rc & 0xff) != SQLITE_BUSY || g_get_monotonic_time () >= deadline)
        return dl_case_sql_fail (db, error);
      g_usleep (10000);
    }
}

sqlite3 *
dl_case_db_open (const char  *path,
                 DlCaseDbMode mode,
                 guint       *version,
                 GError     **error)
{
  int flags = SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_PRIVATECACHE | SQLITE_OPEN_EXRESCODE;
  sqlite3 *db = NULL;
  guint found = DL_CASE_FILE_VERSION;

  if (mode == DL_CASE_DB_CREATE)
    {
      if (g_file_test (path, G_FILE_TEST_EXISTS) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        {
          refuse (error, DL_CASE_FILE_ERROR_EXISTS, _("“%s” exists already"), path);
          return NULL;
        }
      flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    }
  else if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      const char *kind = dl_path_kind_name (path);

      if (kind)
        refuse (error, DL_CASE_FILE_ERROR_NOT_FOUND, _("“%s” is %s, not a case file"), path, kind);
      else
        refuse (error, DL_CASE_FILE_ERROR_NOT_FOUND, _("“%s” is not a file"), path);
      return NULL;
    }
  else
    flags |= mode == DL_CASE_DB_UNTRUSTED ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;

  if (sqlite3_open_v2 (path, &db, flags, NULL) != SQLITE_OK)
    {
      refuse (error, DL_CASE_FILE_ERROR_FAILED, _("Could not open “%s”: %s"), path,
              db ? sqlite3_errmsg (db) : g_strerror (ENOMEM));
      sqlite3_close (db);
      return NULL;
    }
  harden (db, mode);

  /* the header is read first of all, so a file that is not SQLite gets
   * its own message */
  if (!dl_case_exec (db, "PRAGMA mmap_size = 0", error))
    goto fail;
  if (mode != DL_CASE_DB_CREATE && !check_identity (db, path, &found, error))
    goto fail;
  /* 32 MB of page cache: listing a queue of 10 000 cases reads the
   * pages it needs once, not again and again */
  if (!dl_case_exec (db, "PRAGMA cell_size_check = ON; PRAGMA foreign_keys = ON; "
                         "PRAGMA synchronous = FULL; PRAGMA cache_size = -32768", error))
    goto fail;

  if (mode == DL_CASE_DB_CREATE)
    {
      if (!setup_new (db, error))
        goto fail;
    }
  else if ((mode != DL_CASE_DB_WRITE_CHECK_LATER && !check_integrity (db, path, mode == DL_CASE_DB_UNTRUSTED, error))
           || !check_schema (db, path, found, error)
           || (mode == DL_CASE_DB_UNTRUSTED && !check_sizes (db, path, error))
           || (mode != DL_CASE_DB_UNTRUSTED && !switch_to_wal (db, error)))
    goto fail;

  if (version)
    *version = found;
  return db;

fail:
  sqlite3_close_v2 (db);
  return NULL;
}

/* SQLite's quick check of @path on a read-only connection of its own, so
 * that it can run beside the connection that works on the file. */
gboolean
dl_case_db_quick_check (const char *path,
                        GError    **error)
{
  int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_PRIVATECACHE | SQLITE_OPEN_EXRESCODE;
  sqlite3 *db = NULL;
  gboolean ok;

  if (sqlite3_open_v2 (path, &db, flags, NULL) != SQLITE_OK)
    {
      refuse (error, DL_CASE_FILE_ERROR_CORRUPT, _("“%s” could not be checked: %s"), path,
              db ? sqlite3_errmsg (db) : g_strerror (ENOMEM));
      sqlite3_close (db);
      return FALSE;
    }
  harden (db, DL_CASE_DB_UNTRUSTED);
  ok = dl_case_exec (db, "PRAGMA mmap_size = 0; PRAGMA cell_size_check = ON", error)
       && check_integrity (db, path, FALSE, error);
  sqlite3_close_v2 (db);
  return ok;
}

void
dl_case_db_close (sqlite3 *db,
                  gboolean checkpoint)
{
  if (db == NULL)
    return;
  if (checkpoint)
    {
      /* both fail harmlessly while another connection has the file open
       * (every committed change is in the log, which the next opener
       * folds in); dl_case_file_close () says when it matters */
      if (sqlite3_exec (db, "PRAGMA wal_checkpoint (TRUNCATE)", NULL, NULL, NULL) != SQLITE_OK
          || sqlite3_exec (db, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK)
        g_debug ("the log stays beside the file: %s", sqlite3_errmsg (db));
    }
  sqlite3_close_v2 (db);
}
