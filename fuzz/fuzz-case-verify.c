/* fuzz-case-verify.c — libFuzzer harness for verify itself: a valid case
 * file (made once: a case, an embedded scan, a manifest, a mark, hints, two
 * verdicts and a review, as tests/case-fixture.h makes it) is changed row
 * by row as the sqlite3 program would, then checked with
 * dl_case_file_verify_path ().  The input's bytes choose each change:
 *
 *   byte 0            how many changes (1 … 4); then for each:
 *   2 bytes each      the table, the row (by rowid), the column
 *   1 byte            what to write (modulo 10): text or a blob of the
 *                     input's bytes, an integer, a real number, the value
 *                     with 0xFF appended, NULL, the value of another
 *                     table's column or of another row, the same value
 *                     again, the value with one of its bytes flipped
 *   then              that kind's bytes (a length and bytes, 8 bytes …)
 *
 * Edits SQLite refuses (NOT NULL, CHECK, STRICT types, UNIQUE) change
 * nothing.  Then verify must say all is well when no value differs from
 * the pristine file's (a change a later one undid is none), and
 * otherwise refuse the file or report a problem naming each table changed;
 * anything else aborts, so libFuzzer keeps the input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz-common.h"
#include "dl-case-file.h"
#include "case-fixture.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* Tables changed: the audited rows and the chain. */
static const char * const tables[] = {
  "cases", "scans", "manifests", "verdicts", "annotations", "reviews", "hints", "events",
};

static char *verify_dir;
static char *input_path;
static GBytes *pristine;

typedef struct
{
  const guint8 *data;
  gsize         size;
  gsize         at;
} Input;

static guint8
take (Input *in)
{
  return in->at < in->size ? in->data[in->at++] : 0;
}

static guint
take_index (Input *in,
            guint  n)
{
  guint v = take (in);

  v = v << 8 | take (in);
  return n > 0 ? v % n : 0;
}

static gint64
take_int64 (Input *in)
{
  guint64 v = 0;

  for (int i = 0; i < 8; i++)
    v = v << 8 | take (in);
  return (gint64) v;
}

static void
setup (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL, *path = NULL, *contents = NULL;
  gsize size = 0;

  /* in memory where there is a place for it: the file is written for
   * every input */
  if (g_access ("/dev/shm", W_OK) == 0)
    verify_dir = g_mkdtemp (g_strdup ("/dev/shm/dl-fuzz-verify-XXXXXX"));
  if (verify_dir == NULL && (verify_dir = g_dir_make_tmp ("dl-fuzz-verify-XXXXXX", &error)) == NULL)
    g_error ("fuzz-case-verify: %s", error->message);
  data_home = g_build_filename (verify_dir, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  path = g_build_filename (verify_dir, "pristine.dlcase", NULL);
  fixture_fill_case_file (path, verify_dir);
  if (!g_file_get_contents (path, &contents, &size, &error))
    g_error ("fuzz-case-verify: %s", error->message);
  pristine = g_bytes_new_take (g_steal_pointer (&contents), size);
  input_path = g_build_filename (verify_dir, "input.dlcase", NULL);
  atexit (dl_fuzz_case_verify_cleanup);
}

void
dl_fuzz_case_verify_cleanup (void)
{
  g_autofree char *cmd = NULL;

  if (verify_dir == NULL)
    return;
  cmd = g_strdup_printf ("rm -rf '%s'", verify_dir);
  if (system (cmd) != 0)
    g_printerr ("fuzz-case-verify: could not remove %s\n", verify_dir);
  g_clear_pointer (&verify_dir, g_free);
  g_clear_pointer (&input_path, g_free);
  g_clear_pointer (&pristine, g_bytes_unref);
}

static sqlite3_stmt *
prepare (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    dl_fuzz_fail ("fuzz-case-verify: %s: %s", sql, sqlite3_errmsg (db));
  return stmt;
}

/* The rowid of row @index (in rowid order) of @table, or 0 when it has none. */
static gint64
pick_row (sqlite3    *db,
          const char *table,
          Input      *in)
{
  g_autofree char *count_sql = g_strdup_printf ("SELECT count (*) FROM %s", table);
  g_autofree char *row_sql = g_strdup_printf ("SELECT rowid FROM %s ORDER BY rowid LIMIT 1 OFFSET ?1", table);
  g_autoptr(sqlite3_stmt) count = prepare (db, count_sql);
  g_autoptr(sqlite3_stmt) row = prepare (db, row_sql);
  guint n;

  sqlite3_step (count);
  n = (guint) sqlite3_column_int (count, 0);
  sqlite3_bind_int (row, 1, take_index (in, n));
  return n > 0 && sqlite3_step (row) == SQLITE_ROW ? sqlite3_column_int64 (row, 0) : 0;
}

/* The name of column @index of @table (by cid). */
static char *
pick_column (sqlite3    *db,
             const char *table,
             Input      *in)
{
  g_autofree char *sql = g_strdup_printf ("SELECT name FROM pragma_table_info ('%s') ORDER BY cid", table);
  g_autoptr(sqlite3_stmt) stmt = prepare (db, sql);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (names->len == 0)
    dl_fuzz_fail ("fuzz-case-verify: %s has no columns", table);
  return g_strdup (names->pdata[take_index (in, names->len)]);
}

/* The value's type and bytes, to tell a change from none. */
static GBytes *
read_value (sqlite3    *db,
            const char *table,
            const char *column,
            gint64      rowid)
{
  g_autofree char *sql = g_strdup_printf ("SELECT typeof (\"%s\"), CAST (\"%s\" AS BLOB) FROM %s WHERE rowid = ?1",
                                          column, column, table);
  g_autoptr(sqlite3_stmt) stmt = prepare (db, sql);
  GString *out = g_string_new (NULL);

  sqlite3_bind_int64 (stmt, 1, rowid);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_string_append_printf (out, "%s:", (const char *) sqlite3_column_text (stmt, 0));
      g_string_append_len (out, sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
    }
  return g_string_free_to_bytes (out);
}

/* A value with one byte flipped (text stays text, a blob a blob). */
static void
bind_flipped (sqlite3_stmt *update,
              sqlite3      *db,
              const char   *table,
              const char   *column,
              gint64        rowid,
              Input        *in)
{
  g_autofree char *sql = g_strdup_printf ("SELECT \"%s\" FROM %s WHERE rowid = ?1", column, table);
  g_autoptr(sqlite3_stmt) stmt = prepare (db, sql);
  g_autofree guint8 *bytes = NULL;
  int n, type;

  sqlite3_bind_int64 (stmt, 1, rowid);
  if (sqlite3_step (stmt) != SQLITE_ROW || (type = sqlite3_column_type (stmt, 0)) == SQLITE_NULL)
    return;   /* NULL stays NULL */
  n = sqlite3_column_bytes (stmt, 0);
  bytes = g_malloc (n + 1);
  memcpy (bytes, type == SQLITE_BLOB ? sqlite3_column_blob (stmt, 0) : (const void *) sqlite3_column_text (stmt, 0), n);
  if (n > 0)
    bytes[take_index (in, n)] ^= take (in) | 1;
  if (type == SQLITE_BLOB)
    sqlite3_bind_blob (update, 1, bytes, n, SQLITE_TRANSIENT);
  else
    sqlite3_bind_text (update, 1, (const char *) bytes, n, SQLITE_TRANSIENT);
}

/* The new value's SQL (?1 bound by bind_value () where it is a parameter). */
static char *
value_sql (sqlite3    *db,
           const char *table,
           const char *column,
           guint       kind,
           Input      *in)
{
  switch (kind)
    {
    case 4:
      return g_strdup_printf ("coalesce (\"%s\", '') || CAST (X'FF' AS TEXT)", column);
    case 6:
      {
        const char *other = tables[take_index (in, G_N_ELEMENTS (tables))];
        gint64 rowid = pick_row (db, other, in);
        g_autofree char *other_column = pick_column (db, other, in);

        return g_strdup_printf ("(SELECT \"%s\" FROM %s WHERE rowid = %" G_GINT64_FORMAT ")",
                                other_column, other, rowid);
      }
    case 7:
      return g_strdup_printf ("(SELECT \"%s\" FROM %s WHERE rowid = %" G_GINT64_FORMAT ")",
                              column, table, pick_row (db, table, in));
    case 8:
      return g_strdup_printf ("\"%s\"", column);
    default:
      return g_strdup ("?1");
    }
}

static void
bind_value (sqlite3_stmt *update,
            guint         kind,
            Input        *in)
{
  guint length;

  switch (kind)
    {
    case 0:
    case 1:
      length = take (in);
      length = MIN (length, in->size - MIN (in->at, in->size));
      if (kind == 0)
        sqlite3_bind_text (update, 1, (const char *) in->data + in->at, length, SQLITE_TRANSIENT);
      else
        sqlite3_bind_blob (update, 1, in->data + in->at, length, SQLITE_TRANSIENT);
      in->at += length;
      break;
    case 2:
      sqlite3_bind_int64 (update, 1, take_int64 (in));
      break;
    case 3:
      {
        gint64 bits = take_int64 (in);
        double real;

        memcpy (&real, &bits, sizeof real);
        sqlite3_bind_double (update, 1, real);
      }
      break;
    default:
      break;   /* NULL */
    }
}

/* A value touched: where it is and what it was before the first change. */
typedef struct
{
  const char *table;
  char       *column;
  gint64      rowid;
  GBytes     *before;
} Touched;

static void
touched_free (gpointer data)
{
  Touched *t = data;

  g_free (t->column);
  g_bytes_unref (t->before);
  g_free (t);
}

/* Keeps the value as it was first, so that a change undone by a later
 * one (a byte flipped twice) counts as none. */
static void
remember (GHashTable *touched,
          const char *table,
          const char *column,
          gint64      rowid,
          GBytes     *before)
{
  g_autofree char *key = g_strdup_printf ("%s\x1f%s\x1f%" G_GINT64_FORMAT, table, column, rowid);
  Touched *t;

  if (g_hash_table_contains (touched, key))
    return;
  t = g_new0 (Touched, 1);
  t->table = table;
  t->column = g_strdup (column);
  t->rowid = rowid;
  t->before = g_bytes_ref (before);
  g_hash_table_insert (touched, g_steal_pointer (&key), t);
}

/* The tables with a value that differs, after all changes, from what it
 * was before them. */
static void
find_changed (sqlite3    *db,
              GHashTable *touched,
              GHashTable *changed)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, touched);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Touched *t = value;
      g_autoptr(GBytes) now = read_value (db, t->table, t->column, t->rowid);

      if (!g_bytes_equal (t->before, now))
        g_hash_table_add (changed, (gpointer) t->table);
    }
}

/* One change chosen by @in; %TRUE when a value changed, its place and
 * first value kept in @touched. */
static gboolean
mutate (sqlite3    *db,
        Input      *in,
        GHashTable *touched)
{
  const char *table = tables[take_index (in, G_N_ELEMENTS (tables))];
  gint64 rowid = pick_row (db, table, in);
  g_autofree char *column = pick_column (db, table, in);
  guint kind = take (in) % 10;
  g_autofree char *value = NULL, *sql = NULL;
  g_autoptr(GBytes) before = NULL, after = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;

  if (rowid == 0)
    return FALSE;
  before = read_value (db, table, column, rowid);
  value = value_sql (db, table, column, kind == 9 ? 5 : kind, in);
  sql = g_strdup_printf ("UPDATE %s SET \"%s\" = %s WHERE rowid = %" G_GINT64_FORMAT, table, column, value, rowid);
  update = prepare (db, sql);
  if (kind == 9)
    bind_flipped (update, db, table, column, rowid, in);
  else
    bind_value (update, kind, in);
  if (sqlite3_step (update) != SQLITE_DONE)
    return FALSE;   /* refused by the schema: nothing changed */
  /* (a changed events.seq moves the row away from its rowid: "" now) */
  after = read_value (db, table, column, rowid);
  if (g_getenv ("DL_FUZZ_VERBOSE"))
    g_printerr ("fuzz-case-verify: %s (%s)\n", sql, g_bytes_equal (before, after) ? "no change" : "changed");
  if (g_bytes_equal (before, after))
    return FALSE;
  remember (touched, table, column, rowid, before);
  return TRUE;
}

static void
apply (const guint8 *data,
       gsize         size,
       GHashTable   *changed)
{
  g_autoptr(GHashTable) touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, touched_free);
  Input in = { data, size, 0 };
  sqlite3 *db = NULL;
  guint n;

  if (sqlite3_open (input_path, &db) != SQLITE_OK)
    dl_fuzz_fail ("fuzz-case-verify: cannot open %s: %s", input_path, sqlite3_errmsg (db));
  sqlite3_exec (db, "PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY", NULL, NULL, NULL);
  n = 1 + take (&in) % 4;
  for (guint i = 0; i < n; i++)
    mutate (db, &in, touched);
  find_changed (db, touched, changed);
  sqlite3_close (db);
}

static void
print_report (DlVerifyReport *report)
{
  for (guint i = 0; i < report->problems->len; i++)
    {
      DlVerifyProblem *p = g_ptr_array_index (report->problems, i);

      g_printerr ("  %s %s: %s\n", p->table ? p->table : "-", p->row_id ? p->row_id : "-", p->message);
    }
}

static gboolean
names_table (DlVerifyReport *report,
             const char     *table)
{
  for (guint i = 0; i < report->problems->len; i++)
    if (g_strcmp0 (((DlVerifyProblem *) g_ptr_array_index (report->problems, i))->table, table) == 0)
      return TRUE;
  return FALSE;
}

/* Verify's verdict against what was done. */
static void
judge (DlVerifyReport *report,
       GHashTable     *changed)
{
  GHashTableIter iter;
  gpointer table;

  if (g_hash_table_size (changed) == 0)
    {
      if (report == NULL || report->problems->len > 0)
        {
          if (report)
            print_report (report);
          dl_fuzz_fail ("fuzz-case-verify: the file is unchanged, but verify %s",
                        report ? "found problems" : "refused it");
        }
      return;
    }
  if (report == NULL)
    return;   /* refused, with an error */
  g_hash_table_iter_init (&iter, changed);
  while (g_hash_table_iter_next (&iter, &table, NULL))
    if (!names_table (report, table))
      {
        print_report (report);
        dl_fuzz_fail ("fuzz-case-verify: a value of %s was changed, but verify names no problem of it",
                      (const char *) table);
      }
}

void
dl_fuzz_case_verify (const guint8 *data,
                     gsize         size)
{
  g_autoptr(GHashTable) changed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(DlVerifyReport) report = NULL;
  GError *error = NULL;
  g_autofree char *journal = NULL;
  FILE *out;

  if (verify_dir == NULL)
    setup ();
  journal = g_strconcat (input_path, "-journal", NULL);
  g_unlink (journal);
  /* not g_file_set_contents (), which syncs it to disk */
  out = fopen (input_path, "wb");
  if (out == NULL || fwrite (g_bytes_get_data (pristine, NULL), 1, g_bytes_get_size (pristine), out)
                     != g_bytes_get_size (pristine) || fclose (out) != 0)
    g_error ("fuzz-case-verify: cannot write %s", input_path);

  apply (data, size, changed);
  report = dl_case_file_verify_path (input_path, &error);
  dl_fuzz_check ("dl_case_file_verify_path", report != NULL, &error);
  judge (report, changed);
}

DL_FUZZ_DEFINE_MAIN (dl_fuzz_case_verify)
