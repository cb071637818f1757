/* dl-site-export.c — a site store's export, verification and list, made
 * by the case file's own code (dl-case-export.c, dl-case-audit.c).
 *
 * The site's rows and events are mirrored, as they are, into a scratch
 * case file in a private temporary folder (mode 0700, removed at the
 * end): its events verbatim (the site's chain: the same sequence numbers,
 * hashes and appenders' signatures, for the case file's rules are the
 * site's), its rows column for column, the scans' images embedded.  That
 * file is then what dl_case_file_export (), dl_case_file_verify () and
 * dl_case_file_write_csv () read (the list of cases is one query of its
 * own, dl-site-list.c): an export from the site is made, and a
 * site checked, exactly as a case file's, with no second copy of that
 * code.  The mirror takes nothing on trust: its foreign keys and CHECKs
 * are off, so a row changed behind the database's triggers arrives as it
 * is and is reported, not refused.  It is read in one REPEATABLE READ
 * snapshot of the site, so a write committed beside is all in or all out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-site-export"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "dl-report.h"
#include "dl-site-export.h"
#include "dl-site-private.h"

typedef struct
{
  char       *dir;
  DlCaseFile *file;
  PGresult   *head;   /* the site's chain head, read in the same snapshot */
} Mirror;

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                   G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  GFileInfo *info;
  GFile *child;

  while (children && g_file_enumerator_iterate (children, &info, &child, NULL, NULL) && info)
    remove_tree (child);
  g_file_delete (file, NULL, NULL);
}

static void
mirror_free (Mirror *m)
{
  g_autoptr(GFile) dir = NULL;

  if (m->file)
    dl_case_file_close (m->file, NULL);
  g_clear_object (&m->file);
  g_clear_pointer (&m->head, PQclear);
  if (m->dir)
    {
      dir = g_file_new_for_path (m->dir);
      remove_tree (dir);
    }
  g_free (m->dir);
  g_free (m);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Mirror, mirror_free)

/* A new, empty mirror, signing with the site's identity (a throwaway one
 * when it has none: a check or a list writes no event of its own). */
static Mirror *
mirror_new (DlSite  *site,
            GError **error)
{
  g_autoptr(Mirror) m = g_new0 (Mirror, 1);
  g_autoptr(DlIdentity) scratch = NULL;
  g_autofree char *path = NULL, *keys = NULL;
  DlIdentity *identity = dl_site_get_identity (site);

  if ((m->dir = g_dir_make_tmp ("doorlicht-site-XXXXXX", error)) == NULL)
    return NULL;
  if (identity == NULL)
    {
      keys = g_build_filename (m->dir, "identity", NULL);
      if ((identity = scratch = dl_identity_load_from_dir (keys, NULL, NULL, error)) == NULL)
        return NULL;
    }
  path = g_build_filename (m->dir, "site.dlcase", NULL);
  if ((m->file = dl_case_file_create (path, identity, error)) == NULL
      || !dl_case_exec (m->file->db, "PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON", error))
    return NULL;
  return g_steal_pointer (&m);
}

/* -- rows, one at a time (a site's events do not all fit in memory) ------- */

typedef gboolean (*RowFunc) (PGresult *res,
                             gpointer  data,
                             GError  **error);

static gboolean
each_row (DlSite             *site,
          const char         *sql,
          int                 n_params,
          const char * const *params,
          RowFunc             func,
          gpointer            data,
          GError            **error)
{
  PGconn *conn = dl_site_get_conn (site);
  PGresult *res;
  gboolean ok = TRUE;

  if (!PQsendQueryParams (conn, sql, n_params, NULL, params, NULL, NULL, 0) || !PQsetSingleRowMode (conn))
    return dl_site_fail (site, NULL, error);
  /* every result is read, also after a failure, or the connection jams */
  while ((res = PQgetResult (conn)) != NULL)
    {
      ExecStatusType status = PQresultStatus (res);

      if (status == PGRES_SINGLE_TUPLE && ok)
        ok = func (res, data, error);
      else if (status != PGRES_SINGLE_TUPLE && status != PGRES_TUPLES_OK && ok)
        ok = dl_site_fail (site, res, error);
      PQclear (res);
    }
  return ok;
}

typedef struct
{
  sqlite3      *db;
  const char   *table;
  sqlite3_stmt *insert;   /* made for the first row's columns */
} Copy;

static gboolean
prepare_insert (Copy     *copy,
                PGresult *res,
                GError  **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);

  g_string_printf (sql, "INSERT INTO %s (", copy->table);
  for (int c = 0; c < PQnfields (res); c++)
    g_string_append_printf (sql, "%s\"%s\"", c ? ", " : "", PQfname (res, c));
  g_string_append (sql, ") VALUES (");
  for (int c = 0; c < PQnfields (res); c++)
    g_string_append_printf (sql, "%s?%d", c ? ", " : "", c + 1);
  g_string_append (sql, ")");
  copy->insert = dl_case_prepare (copy->db, sql->str, error);
  return copy->insert != NULL;
}

/* Column @c as its type: numbers as numbers, as the events record them. */
static gboolean
bind_column (Copy     *copy,
             PGresult *res,
             int       c,
             GError  **error)
{
  const char *value = PQgetvalue (res, 0, c);
  Oid type = PQftype (res, c);

  if (PQgetisnull (res, 0, c))
    return sqlite3_bind_null (copy->insert, c + 1) == SQLITE_OK || dl_case_sql_fail (copy->db, error);
  if (type == DL_SITE_OID_INT8 || type == DL_SITE_OID_INT4 || type == DL_SITE_OID_INT2)
    return dl_case_bind_int64 (copy->insert, c + 1, g_ascii_strtoll (value, NULL, 10), error);
  if (type == DL_SITE_OID_FLOAT8)
    return sqlite3_bind_double (copy->insert, c + 1, g_ascii_strtod (value, NULL)) == SQLITE_OK
           || dl_case_sql_fail (copy->db, error);
  return dl_case_bind_text (copy->insert, c + 1, value, error);
}

static gboolean
copy_row (PGresult *res,
          gpointer  data,
          GError  **error)
{
  Copy *copy = data;

  if (copy->insert == NULL && !prepare_insert (copy, res, error))
    return FALSE;
  sqlite3_reset (copy->insert);
  sqlite3_clear_bindings (copy->insert);
  for (int c = 0; c < PQnfields (res); c++)
    if (!bind_column (copy, res, c, error))
      return FALSE;
  return dl_case_step_done (copy->insert, error);
}

/* The rows of @table (@where: which, with $1 the cases; %NULL: all). */
static gboolean
mirror_table (Mirror     *m,
              DlSite     *site,
              const char *table,
              const char *where,
              const char *cases,
              GError    **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT * FROM doorlicht.%s%s%s ORDER BY %s", table,
                                          where ? " WHERE " : "", where ? where : "",
                                          strcmp (table, "events") == 0 ? "seq" : "created, id");
  const char *params[] = { cases };
  Copy copy = { m->file->db, table, NULL };
  gboolean ok = each_row (site, sql, where ? 1 : 0, params, copy_row, &copy, error);

  g_clear_pointer (&copy.insert, sqlite3_finalize);
  return ok;
}

/* Which rows of @table belong to the cases $1. */
static const char *
case_filter (const char *table)
{
  if (strcmp (table, "cases") == 0)
    return "id = ANY ($1::text[])";
  if (strcmp (table, "reviews") == 0)
    return "verdict_id IN (SELECT id FROM doorlicht.verdicts WHERE case_id = ANY ($1::text[]))";
  return "case_id = ANY ($1::text[])";
}

/* @ids as a PostgreSQL array literal. */
static char *
array_literal (const char * const *ids)
{
  GString *out = g_string_new ("{");

  for (guint i = 0; ids[i]; i++)
    {
      g_string_append (out, i ? ",\"" : "\"");
      for (const char *p = ids[i]; *p; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/* -- the scans' images ------------------------------------------------------ */

static gboolean
embed_image (Mirror     *m,
             DlSite     *site,
             const char *id,
             const char *sha,
             GError    **error)
{
  const char *params[] = { sha };
  g_autoptr(PGresult) res = PQexecParams (dl_site_get_conn (site), "SELECT bytes FROM doorlicht.images "
                                          "WHERE sha256 = $1", 1, NULL, params, NULL, NULL, 1);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (PQresultStatus (res) != PGRES_TUPLES_OK)
    return dl_site_fail (site, res, error);
  /* none: the check reports the scan's image as not held */
  if (PQntuples (res) != 1)
    return TRUE;
  bytes = g_bytes_new (PQgetvalue (res, 0, 0), PQgetlength (res, 0, 0));
  stmt = dl_case_prepare (m->file->db, "UPDATE scans SET image = ?1 WHERE id = ?2", error);
  return stmt != NULL && dl_case_bind_blob (stmt, 1, bytes, error) && dl_case_bind_text (stmt, 2, id, error)
         && dl_case_step_done (stmt, error);
}

static gboolean
mirror_images (Mirror  *m,
               DlSite  *site,
               GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = dl_case_prepare (m->file->db, "SELECT id, sha256 FROM scans", error);
  g_autoptr(GPtrArray) scans = g_ptr_array_new_with_free_func (g_free);

  if (stmt == NULL)
    return FALSE;
  while (dl_case_step_row (stmt, error))
    {
      g_ptr_array_add (scans, g_strdup (dl_case_column_text (stmt, 0)));
      g_ptr_array_add (scans, g_strdup (dl_case_column_text (stmt, 1)));
    }
  if (error && *error)
    return FALSE;
  for (guint i = 0; i + 1 < scans->len; i += 2)
    if (!embed_image (m, site, g_ptr_array_index (scans, i), g_ptr_array_index (scans, i + 1), error))
      return FALSE;
  return TRUE;
}

/* -- the mirror filled ------------------------------------------------------- */

typedef enum
{
  MIRROR_ROWS   = 0,
  MIRROR_EVENTS = 1 << 0,
  MIRROR_IMAGES = 1 << 1,
} MirrorParts;

static gboolean
fill (Mirror             *m,
      DlSite             *site,
      const char * const *case_ids,
      MirrorParts         parts,
      GError            **error)
{
  const char * const *tables = dl_case_row_tables ();
  g_autofree char *cases = case_ids ? array_literal (case_ids) : NULL;
  gboolean ok = TRUE;

  for (guint t = 0; ok && tables[t]; t++)
    ok = mirror_table (m, site, tables[t], cases ? case_filter (tables[t]) : NULL, cases, error);
  if (ok && (parts & MIRROR_EVENTS))
    ok = mirror_table (m, site, "events", cases ? case_filter ("events") : NULL, cases, error)
         && (m->head = dl_site_exec (site, "SELECT seq, hash FROM doorlicht.chain_head", 0, NULL, error)) != NULL;
  return ok && (!(parts & MIRROR_IMAGES) || mirror_images (m, site, error));
}

/* The site's rows (of @case_ids; %NULL: all) in a new mirror, read in one
 * snapshot of the site. */
static Mirror *
mirror_site (DlSite             *site,
             const char * const *case_ids,
             MirrorParts         parts,
             GError            **error)
{
  g_autoptr(Mirror) m = mirror_new (site, error);
  gboolean ok;

  if (m == NULL || !dl_case_begin (m->file->db, error))
    return NULL;
  if (!dl_site_exec_script (site, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", error))
    return dl_case_rollback (m->file->db), NULL;
  ok = fill (m, site, case_ids, parts, error);
  if (!dl_site_end (site, ok, ok ? error : NULL) || !ok)
    return dl_case_rollback (m->file->db), NULL;
  return dl_case_commit (m->file->db, error) ? g_steal_pointer (&m) : NULL;
}

/* -- what the store offers -------------------------------------------------- */

gboolean
dl_site_export (DlSite             *self,
                const char * const *case_ids,
                const char         *path,
                GError            **error)
{
  g_autoptr(Mirror) m = NULL;

  g_return_val_if_fail (DL_IS_SITE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!dl_site_need_identity (self, error))
    return FALSE;
  if (case_ids == NULL || case_ids[0] == NULL)
    {
      g_set_error_literal (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID, _("No cases to export"));
      return FALSE;
    }
  m = mirror_site (self, case_ids, MIRROR_EVENTS | MIRROR_IMAGES, error);
  return m != NULL && dl_case_file_export (m->file, case_ids, path, error);
}

/* The head the site keeps against the last event its chain holds. */
static void
check_head (PGresult       *head,
            DlVerifyReport *report)
{
  const char *last = report->chain_head ? report->chain_head : DL_SITE_ZERO_HASH;

  if (PQntuples (head) != 1)
    dl_case_add_problem (report, DL_VERIFY_CHAIN, 0, "chain_head", NULL,
                         _("the site keeps no chain head (%d rows)"), PQntuples (head));
  else if (g_ascii_strtoll (PQgetvalue (head, 0, 0), NULL, 10) != report->n_events
           || strcmp (PQgetvalue (head, 0, 1), last) != 0)
    dl_case_add_problem (report, DL_VERIFY_CHAIN, 0, "chain_head", NULL,
                         _("the site’s chain head (event %s, %s) is not its last event (event %u, %s): "
                           "events were removed or the head was moved"),
                         PQgetvalue (head, 0, 0), PQgetvalue (head, 0, 1), report->n_events, last);
}

DlVerifyReport *
dl_site_verify (DlSite  *self,
                GError **error)
{
  g_autoptr(Mirror) m = NULL;
  g_autoptr(DlVerifyReport) report = NULL;

  g_return_val_if_fail (DL_IS_SITE (self), NULL);

  if ((m = mirror_site (self, NULL, MIRROR_EVENTS | MIRROR_IMAGES, error)) == NULL
      || (report = dl_case_file_verify (m->file, error)) == NULL)
    return NULL;
  check_head (m->head, report);
  return g_steal_pointer (&report);
}

gboolean
dl_site_write_csv (DlSite      *self,
                   const char  *path,
                   GError     **error)
{
  g_autoptr(Mirror) m = NULL;

  g_return_val_if_fail (DL_IS_SITE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  m = mirror_site (self, NULL, MIRROR_ROWS, error);
  return m != NULL && dl_case_file_write_csv (m->file, path, error);
}

gboolean
dl_site_write_report (DlSite      *self,
                      const char  *case_id,
                      const char  *path,
                      GError     **error)
{
  const char *ids[] = { case_id, NULL };
  g_autoptr(Mirror) m = NULL;
  DlReportOrigin origin = { 0 };

  g_return_val_if_fail (DL_IS_SITE (self), FALSE);
  g_return_val_if_fail (case_id != NULL && path != NULL, FALSE);

  if ((m = mirror_site (self, ids, MIRROR_EVENTS | MIRROR_IMAGES, error)) == NULL)
    return FALSE;
  origin.source = dl_site_get_target (self);
  origin.chain_head = PQntuples (m->head) == 1 ? PQgetvalue (m->head, 0, 1) : NULL;
  origin.author = dl_site_get_identity (self);
  origin.is_site = TRUE;
  return dl_case_file_write_report_from (m->file, case_id, NULL, &origin, path, error);
}

GPtrArray *
dl_site_get_findings (DlSite      *self,
                      const char  *case_id,
                      GError     **error)
{
  const char *ids[] = { case_id, NULL };
  g_autoptr(Mirror) m = NULL;

  g_return_val_if_fail (DL_IS_SITE (self), NULL);
  g_return_val_if_fail (case_id != NULL, NULL);

  m = mirror_site (self, ids, MIRROR_ROWS, error);
  return m ? dl_case_file_get_findings (m->file, case_id, error) : NULL;
}
