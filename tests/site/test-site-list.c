/* test-site-list.c — the site's list of cases (dl-site-list.c, one query
 * on the site) is what a case file of the same rows lists: for every
 * filter, sort, direction and a few searches, the same cases with the
 * same states, verdicts, authors and scans, compared with
 * dl_case_file_list_cases () on an export of the whole site, in the order
 * of the sort (ties broken by created and id, where the case file breaks
 * them by its order of insertion).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dl-site-export.h"
#include "site-people.h"
#include "../tiff-fixture.h"

static char *ana, *ana2, *sup;

/* Cases in every state: new, awaiting review, approved, returned, a
 * second verdict after a return; titles differing in case only; some
 * with two scans, one with none. */
static GPtrArray *
make_cases (const char *dir)
{
  g_autoptr(DlSite) a = site_people_open (ana), b = site_people_open (ana2), s = site_people_open (sup);
  static const char *titles[] = { "MSCU1234565", "mscu1234565", "Éclair", "b-case", "B-case", "zz", "Aa", "a" };
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      g_autofree char *scan = g_strdup_printf ("%s/list%u.tif", dir, i);
      DlSite *by = i % 2 ? b : a;
      char *id;

      g_assert_true (fixture_write_tiff (scan, 40 + i, 20, 1));
      id = i == 5 ? dl_site_new_case (by, titles[i], &error)
                  : dl_site_add_case (by, NULL, titles[i], scan, NULL, NULL, &error);
      g_assert_no_error (error);
      if (i == 3)
        {
          g_autofree char *bytes = NULL;
          gsize length = 0;
          g_autoptr(GBytes) image = NULL;

          g_assert_true (g_file_get_contents (scan, &bytes, &length, NULL));
          image = g_bytes_new (bytes, length);
          /* a second later: which scan is first is then no tie (the site
           * breaks one by id, a case file by its order of insertion) */
          g_usleep (1100 * 1000);
          g_free (dl_site_add_scan (by, id, scan, image, &error));
        }
      g_ptr_array_add (ids, id);
    }
  /* 1: awaiting review; 2: approved; 3: returned; 4: returned, then decided again */
  for (guint i = 1; i <= 4; i++)
    {
      const char *reasons[] = { "concealment", NULL };

      g_free (dl_site_add_verdict (i % 2 ? a : b, g_ptr_array_index (ids, i), i == 2 ? "seize" : "inspect", reasons,
                                   NULL, &error));
      g_assert_no_error (error);
    }
  g_free (dl_site_add_review (s, g_ptr_array_index (ids, 2), "approve", NULL, &error));
  g_free (dl_site_add_review (s, g_ptr_array_index (ids, 3), "return", "again", &error));
  g_free (dl_site_add_review (s, g_ptr_array_index (ids, 4), "return", NULL, &error));
  g_assert_no_error (error);
  g_free (dl_site_add_verdict (a, g_ptr_array_index (ids, 4), "clear", NULL, NULL, &error));
  g_assert_no_error (error);
  g_ptr_array_add (ids, NULL);
  return ids;
}

static void
assert_author (const DlAuthor *x,
               const DlAuthor *y)
{
  g_assert_cmpstr (x->login, ==, y->login);
  g_assert_cmpstr (x->name, ==, y->name);
  g_assert_cmpstr (x->fingerprint, ==, y->fingerprint);
}

static void
assert_same (GPtrArray *site,
             GPtrArray *file)
{
  if (g_test_verbose ())
    for (guint i = 0; i < MAX (site->len, file->len); i++)
      g_test_message ("%s %s %" G_GINT64_FORMAT " | %s %s %" G_GINT64_FORMAT,
                      i < site->len ? ((DlCaseSummary *) site->pdata[i])->id : "-",
                      i < site->len ? ((DlCaseSummary *) site->pdata[i])->title : "-",
                      i < site->len ? ((DlCaseSummary *) site->pdata[i])->updated : 0,
                      i < file->len ? ((DlCaseSummary *) file->pdata[i])->id : "-",
                      i < file->len ? ((DlCaseSummary *) file->pdata[i])->title : "-",
                      i < file->len ? ((DlCaseSummary *) file->pdata[i])->updated : 0);
  g_assert_cmpuint (site->len, ==, file->len);
  for (guint i = 0; i < site->len; i++)
    {
      const DlCaseSummary *x = g_ptr_array_index (site, i), *y = g_ptr_array_index (file, i);

      g_assert_cmpstr (x->id, ==, y->id);
      g_assert_cmpstr (x->title, ==, y->title);
      g_assert_cmpint (x->created, ==, y->created);
      g_assert_cmpint (x->updated, ==, y->updated);
      g_assert_cmpint (x->state, ==, y->state);
      g_assert_cmpint (x->verdict, ==, y->verdict);
      g_assert_cmpstr (x->verdict_id, ==, y->verdict_id);
      g_assert_cmpuint (x->n_scans, ==, y->n_scans);
      g_assert_cmpstr (x->first_scan_id, ==, y->first_scan_id);
      assert_author (&x->author, &y->author);
      assert_author (&x->verdict_author, &y->verdict_author);
    }
}

/* The order the site's list promises: the sort key, then created, then
 * id (a case file's rowid, its order of insertion, breaks ties instead:
 * the site has none; within one second the two may differ). */
static DlCaseSort order_sort;
static gboolean order_descending;

static char *
ascii_lower (const char *s)
{
  return g_ascii_strdown (s, -1);
}

static int
compare_order (gconstpointer a,
               gconstpointer b)
{
  const DlCaseSummary *x = *(DlCaseSummary * const *) a, *y = *(DlCaseSummary * const *) b;
  int c = 0;

  if (order_sort == DL_CASE_SORT_UPDATED)
    c = (x->updated > y->updated) - (x->updated < y->updated);
  else if (order_sort == DL_CASE_SORT_CREATED)
    c = (x->created > y->created) - (x->created < y->created);
  else
    {
      g_autofree char *p = ascii_lower (x->title), *q = ascii_lower (y->title);

      c = strcmp (p, q);
      c = (c > 0) - (c < 0);
    }
  if (c == 0)
    c = (x->created > y->created) - (x->created < y->created);
  if (c == 0)
    c = strcmp (x->id, y->id);
  return order_descending ? -c : c;
}

static void
assert_ordered (GPtrArray *list)
{
  for (guint i = 1; i < list->len; i++)
    g_assert_cmpint (compare_order (&list->pdata[i - 1], &list->pdata[i]), <=, 0);
}

static void
test_same_as_case_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL, *path = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(DlSite) s = NULL;
  g_autoptr(DlCaseFile) file = NULL;
  static const char *searches[] = { NULL, "mscu", "B-C", "é", "C-", "nothing" };
  guint compared = 0;

  if (!site_fixture_have_cluster ())
    return;
  dir = g_dir_make_tmp ("site-list-XXXXXX", &error);
  ids = make_cases (dir);
  s = site_people_open (sup);
  path = g_build_filename (dir, "all.dlcase", NULL);
  g_assert_true (dl_site_export (s, (const char * const *) ids->pdata, path, &error));
  g_assert_no_error (error);
  file = dl_case_file_open_untrusted (path, &error);
  g_assert_no_error (error);
  for (int filter = DL_CASE_FILTER_ALL; filter <= DL_CASE_FILTER_APPROVED; filter++)
    for (int sort = DL_CASE_SORT_UPDATED; sort <= DL_CASE_SORT_TITLE; sort++)
      for (guint k = 0; k < G_N_ELEMENTS (searches); k++)
        for (int descending = 0; descending < 2; descending++)
          {
            DlCaseQuery q = { filter, searches[k], sort, descending, ana };
            g_autoptr(GPtrArray) from_site = dl_site_list_cases (s, &q, &error);
            g_autoptr(GPtrArray) from_file = NULL;

            g_assert_no_error (error);
            from_file = dl_case_file_list_cases (file, &q, &error);
            g_assert_no_error (error);
            g_test_message ("filter %d sort %d search %s descending %d", filter, sort, searches[k], descending);
            order_sort = sort;
            order_descending = descending;
            assert_ordered (from_site);
            g_ptr_array_sort (from_file, compare_order);
            assert_same (from_site, from_file);
            compared++;
          }
  g_test_message ("%u queries compared", compared);
  {
    DlCaseQuery bad = { 99, NULL, DL_CASE_SORT_UPDATED, FALSE, NULL };

    g_assert_null (dl_site_list_cases (s, &bad, &error));
    g_assert_error (error, DL_SITE_ERROR, DL_SITE_ERROR_INVALID);
  }
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  site_fixture_setup ("test_site_list");
  if (site_fixture.host)
    {
      ana = site_fixture_name ("lana");
      ana2 = site_fixture_name ("lana2");
      sup = site_fixture_name ("lsup");
      site_people_grant (ana, DL_SITE_ROLE_ANALYST);
      site_people_grant (ana2, DL_SITE_ROLE_ANALYST);
      site_people_grant (sup, DL_SITE_ROLE_SUPERVISOR);
    }
  g_test_add_func ("/site-list/same-as-case-file", test_same_as_case_file);
  status = g_test_run ();
  site_fixture_teardown ();
  return status;
}
