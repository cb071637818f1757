/* dl-site-list.c — a site store's cases listed (dl_site_list_cases ()),
 * by one query on the site itself.
 *
 * The list is the app's queue, reloaded whenever another workstation
 * changes the site: it must come in a fraction of a second for 100 000
 * cases, so it is not made through the mirror case file of
 * dl-site-export.c (2.5 s at that size).  It gives what
 * dl_case_file_list_cases () gives for a case file of the same rows
 * (test-site-list compares the two): the latest verdict, the one no other
 * supersedes (two in one second are told apart so, not by a clock), and
 * its review; the title searched and sorted case-insensitively for ASCII
 * as SQLite's lower () and NOCASE do; ties of the sort broken by created,
 * then id compared byte for byte.  The queue keeps what is summarized
 * (version 3 of the schema); the rows are sorted here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-site-list"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dl-site-export.h"
#include "dl-site-private.h"

#define ASCII_LOWER(x) "translate (" x ", 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"

/* The queue keeps each case's latest verdict, when it last changed and
 * its scans (dl-site-schema.c, version 3). */
#define SUMMARY_SQL \
  "SELECT c.id, c.title, c.created, c.author_login, c.author_name, c.author_key, " \
  "       v.id, v.decision, v.author_login, v.author_name, v.author_key, r.decision, " \
  "       q.updated AS updated, q.n_scans, q.first_scan " \
  "FROM doorlicht.queue q JOIN doorlicht.cases c ON c.id = q.case_id " \
  "LEFT JOIN doorlicht.verdicts v ON v.id = q.latest_verdict " \
  "LEFT JOIN doorlicht.reviews r ON r.verdict_id = v.id "

static const char *
column (const PGresult *res,
        int             row,
        int             col)
{
  return PQgetisnull (res, row, col) ? NULL : PQgetvalue (res, row, col);
}

static void
author_read (DlAuthor       *a,
             const PGresult *res,
             int             row,
             int             first,
             GHashTable     *fingerprints)
{
  const char *key = column (res, row, first + 2), *known;

  if (column (res, row, first) == NULL)
    return;
  a->login = g_strdup (column (res, row, first));
  a->name = g_strdup (column (res, row, first + 1));
  if (key && (known = g_hash_table_lookup (fingerprints, key)))
    {
      a->fingerprint = g_strdup (known);
      return;
    }
  a->fingerprint = key ? dl_identity_fingerprint_of (key) : NULL;
  if (key && a->fingerprint)
    g_hash_table_insert (fingerprints, g_strdup (key), g_strdup (a->fingerprint));
}

static DlCaseSummary *
summary_read (const PGresult *res,
              int             row,
              GHashTable     *fingerprints)
{
  DlCaseSummary *s = g_new0 (DlCaseSummary, 1);
  const char *review = column (res, row, 11);

  s->id = g_strdup (column (res, row, 0));
  s->title = g_strdup (column (res, row, 1));
  s->created = g_ascii_strtoll (column (res, row, 2), NULL, 10);
  author_read (&s->author, res, row, 3, fingerprints);
  if (column (res, row, 6))
    {
      s->verdict_id = g_strdup (column (res, row, 6));
      s->verdict = dl_decision_from_id (column (res, row, 7));
      author_read (&s->verdict_author, res, row, 8, fingerprints);
    }
  s->updated = g_ascii_strtoll (column (res, row, 12), NULL, 10);
  s->n_scans = (guint) g_ascii_strtoull (column (res, row, 13), NULL, 10);
  s->first_scan_id = g_strdup (column (res, row, 14));
  s->state = dl_case_state_of (s->verdict_id != NULL, review);
  return s;
}

static char *
list_sql (const DlCaseQuery *q)
{
  static const char * const filters[] = {
    [DL_CASE_FILTER_ALL] = "true",
    [DL_CASE_FILTER_NEW] = "v.id IS NULL",
    [DL_CASE_FILTER_MINE] = "coalesce (v.author_login, c.author_login) = $2",
    [DL_CASE_FILTER_AWAITING_REVIEW] = "v.id IS NOT NULL AND r.id IS NULL",
    [DL_CASE_FILTER_RETURNED] = "r.decision = 'return'",
    [DL_CASE_FILTER_APPROVED] = "r.decision = 'approve'",
  };
  if ((guint) q->filter >= G_N_ELEMENTS (filters) || (guint) q->sort > DL_CASE_SORT_TITLE)
    return NULL;
  /* sorted here, not by the server (sort_rows ()) */
  return g_strdup_printf (SUMMARY_SQL "WHERE %s AND ($1::text IS NULL OR strpos (" ASCII_LOWER ("c.title") ", "
                          ASCII_LOWER ("$1") ") > 0 OR strpos (" ASCII_LOWER ("c.id") ", " ASCII_LOWER ("$1")
                          ") > 0)", filters[q->filter]);
}

struct _DlSiteCaseRows
{
  PGresult   *res;
  GHashTable *fingerprints;   /* author key → fingerprint, made once each */
  guint      *order;          /* the rows of res in the list's order */
};

/* -- the order ------------------------------------------------------------------------ */

/* The list is sorted here, not by PostgreSQL: 100 000 wide rows spill its
 * sort to disk (work_mem), while only the keys are compared here.  The
 * sort key, then created, then id byte for byte; the title without case
 * for ASCII, as SQLite's NOCASE. */
typedef struct
{
  const PGresult *res;
  gint64         *updated, *created;
  DlCaseSort      sort;
  gboolean        descending;
} Order;

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      data)
{
  const Order *o = data;
  guint x = *(const guint *) a, y = *(const guint *) b;
  int c = 0;

  if (o->sort == DL_CASE_SORT_UPDATED)
    c = (o->updated[x] > o->updated[y]) - (o->updated[x] < o->updated[y]);
  else if (o->sort == DL_CASE_SORT_TITLE)
    c = g_ascii_strcasecmp (PQgetvalue (o->res, (int) x, 1), PQgetvalue (o->res, (int) y, 1));
  if (c == 0)
    c = (o->created[x] > o->created[y]) - (o->created[x] < o->created[y]);
  if (c == 0)
    c = strcmp (PQgetvalue (o->res, (int) x, 0), PQgetvalue (o->res, (int) y, 0));
  c = (c > 0) - (c < 0);
  return o->descending ? -c : c;
}

static guint *
sort_rows (const PGresult    *res,
           const DlCaseQuery *q)
{
  guint n = (guint) PQntuples (res);
  g_autofree gint64 *updated = g_new (gint64, MAX (n, 1)), *created = g_new (gint64, MAX (n, 1));
  Order o = { res, updated, created, q->sort, q->descending };
  guint *order = g_new (guint, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      order[i] = i;
      updated[i] = g_ascii_strtoll (PQgetvalue (res, (int) i, 12), NULL, 10);
      created[i] = g_ascii_strtoll (PQgetvalue (res, (int) i, 2), NULL, 10);
    }
  g_qsort_with_data (order, (gint) n, sizeof (guint), compare_rows, &o);
  return order;
}

void
dl_site_case_rows_free (DlSiteCaseRows *rows)
{
  if (rows == NULL)
    return;
  PQclear (rows->res);
  g_hash_table_unref (rows->fingerprints);
  g_free (rows->order);
  g_free (rows);
}

guint
dl_site_case_rows_get_n (DlSiteCaseRows *rows)
{
  return (guint) PQntuples (rows->res);
}

DlCaseSummary *
dl_site_case_rows_read (DlSiteCaseRows *rows,
                        guint           i)
{
  g_return_val_if_fail (i < dl_site_case_rows_get_n (rows), NULL);
  return summary_read (rows->res, (int) rows->order[i], rows->fingerprints);
}

DlSiteCaseRows *
dl_site_list_case_rows (DlSite            *self,
                        const DlCaseQuery *query,
                        GError           **error)
{
  DlCaseQuery q = { 0 };
  g_autofree char *sql = NULL;
  DlSiteCaseRows *rows;
  PGresult *res;
  const char *params[2];

  g_return_val_if_fail (DL_IS_SITE (self), NULL);

  if (query)
    q = *query;
  if ((sql = list_sql (&q)) == NULL)
    {
      g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_INVALID, _("Unknown filter or sort order"));
      return NULL;
    }
  params[0] = q.search && *q.search ? q.search : NULL;
  params[1] = q.mine_login ? q.mine_login : dl_site_get_login (self);
  if ((res = dl_site_exec (self, sql, q.filter == DL_CASE_FILTER_MINE ? 2 : 1, params, error)) == NULL)
    return NULL;
  rows = g_new0 (DlSiteCaseRows, 1);
  rows->res = res;
  rows->fingerprints = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  rows->order = sort_rows (res, &q);
  return rows;
}

GPtrArray *
dl_site_list_cases (DlSite            *self,
                    const DlCaseQuery *query,
                    GError           **error)
{
  g_autoptr(DlSiteCaseRows) rows = dl_site_list_case_rows (self, query, error);
  GPtrArray *result;

  if (rows == NULL)
    return NULL;
  result = g_ptr_array_new_full (dl_site_case_rows_get_n (rows), (GDestroyNotify) dl_case_summary_free);
  for (guint i = 0; i < dl_site_case_rows_get_n (rows); i++)
    g_ptr_array_add (result, dl_site_case_rows_read (rows, i));
  return result;
}
