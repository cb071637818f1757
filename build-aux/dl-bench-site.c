/* dl-bench-site.c — simulated workstations on a site store (issue 19,
 * point 7; build-aux/bench-site drives it):
 *
 *   dl-bench-site HOST ADMIN DBNAME [CASES [WORKSTATIONS]]
 *
 * makes the store in DBNAME (as the superuser ADMIN, over the socket in
 * HOST), queues CASES cases (default 2 000), then runs WORKSTATIONS
 * threads (default 20), each its own analyst login, connection and
 * identity, claiming the next case and recording a verdict on it until
 * none waits.  Prints claims per second and the p50/p95 latency of a
 * claim and of a verdict.  Figures only: no goal checked here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <math.h>
#include <stdlib.h>

#include "dl-site.h"

typedef struct
{
  char    *conninfo;
  char    *keys;
  GArray  *claim_us;     /* double */
  GArray  *verdict_us;
  char    *failure;
} Workstation;

static DlSite *
open_as (const char *conninfo,
         const char *keys,
         GError    **error)
{
  g_autoptr(DlSite) site = dl_site_open (conninfo, error);
  g_autoptr(DlIdentity) identity = NULL;

  if (site == NULL)
    return NULL;
  identity = dl_identity_load_from_dir (keys, dl_site_get_login (site), dl_site_get_login (site), error);
  if (identity == NULL)
    return NULL;
  dl_site_set_identity (site, identity);
  return g_steal_pointer (&site);
}

static gpointer
work (gpointer data)
{
  Workstation *w = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSite) site = open_as (w->conninfo, w->keys, &error);

  while (site != NULL)
    {
      g_autofree char *case_id = NULL, *verdict = NULL;
      gint64 t0 = g_get_monotonic_time (), t1;
      double us;

      if (!dl_site_claim (site, NULL, 600, &case_id, &error) || case_id == NULL)
        break;
      t1 = g_get_monotonic_time ();
      us = (double) (t1 - t0);
      g_array_append_val (w->claim_us, us);
      if ((verdict = dl_site_add_verdict (site, case_id, "clear", NULL, "bench", &error)) == NULL)
        break;
      us = (double) (g_get_monotonic_time () - t1);
      g_array_append_val (w->verdict_us, us);
    }
  if (error != NULL)
    w->failure = g_strdup (error->message);
  return NULL;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
quantile (GArray *sorted,
          double  q)
{
  if (sorted->len == 0)
    return NAN;
  return g_array_index (sorted, double, MIN (sorted->len - 1, (guint) (q * sorted->len))) / 1000.0;
}

static gboolean
queue_cases (const char *admin_conninfo,
             const char *keys,
             guint       n,
             GError    **error)
{
  g_autoptr(DlSite) admin = open_as (admin_conninfo, keys, error);
  gint64 t0 = g_get_monotonic_time ();

  if (admin == NULL || !dl_site_init (admin, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = g_strdup_printf ("bench case %u", i + 1);
      g_autofree char *id = dl_site_new_case (admin, title, error);

      if (id == NULL)
        return FALSE;
    }
  printf ("queued %u cases in %.1f s\n", n, (g_get_monotonic_time () - t0) / 1e6);
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  guint n = argc > 4 ? (guint) atoi (argv[4]) : 2000, workers = argc > 5 ? (guint) atoi (argv[5]) : 20;
  g_autofree char *keys = g_dir_make_tmp ("dl-bench-site-XXXXXX", NULL);
  g_autofree char *admin_info = NULL, *admin_keys = NULL;
  g_autoptr(GArray) claims = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) verdicts = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSite) admin = NULL;
  Workstation *ws;
  GThread **threads;
  gint64 t0;
  double secs;
  int failed = 0;

  if (argc < 4 || n == 0 || workers == 0 || workers > 50)
    {
      fprintf (stderr, "usage: dl-bench-site HOST ADMIN DBNAME [CASES [WORKSTATIONS ≤ 50]]\n");
      return 2;
    }
  admin_info = g_strdup_printf ("host=%s user=%s dbname=%s", argv[1], argv[2], argv[3]);
  admin_keys = g_build_filename (keys, "admin", NULL);
  if (!queue_cases (admin_info, admin_keys, n, &error) || (admin = dl_site_open (admin_info, &error)) == NULL)
    return fprintf (stderr, "dl-bench-site: %s\n", error->message), 1;
  ws = g_new0 (Workstation, workers);
  threads = g_new0 (GThread *, workers);
  for (guint i = 0; i < workers; i++)
    {
      g_autofree char *login = g_strdup_printf ("bench_ws_%02u", i + 1);

      if (!dl_site_grant (admin, login, DL_SITE_ROLE_ANALYST, &error))
        return fprintf (stderr, "dl-bench-site: %s\n", error->message), 1;
      ws[i].conninfo = g_strdup_printf ("host=%s user=%s dbname=%s", argv[1], login, argv[3]);
      ws[i].keys = g_build_filename (keys, login, NULL);
      ws[i].claim_us = g_array_new (FALSE, FALSE, sizeof (double));
      ws[i].verdict_us = g_array_new (FALSE, FALSE, sizeof (double));
    }
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < workers; i++)
    threads[i] = g_thread_new ("workstation", work, &ws[i]);
  for (guint i = 0; i < workers; i++)
    {
      g_thread_join (threads[i]);
      g_array_append_vals (claims, ws[i].claim_us->data, ws[i].claim_us->len);
      g_array_append_vals (verdicts, ws[i].verdict_us->data, ws[i].verdict_us->len);
      if (ws[i].failure)
        fprintf (stderr, "dl-bench-site: workstation %u: %s\n", i + 1, ws[i].failure), failed = 1;
    }
  secs = (g_get_monotonic_time () - t0) / 1e6;
  g_array_sort (claims, compare_doubles);
  g_array_sort (verdicts, compare_doubles);
  printf ("%u workstations, %u cases: %u claims and %u verdicts in %.2f s: %.0f claims/s\n", workers, n,
          claims->len, verdicts->len, secs, claims->len / secs);
  printf ("claim   latency p50 %.1f ms p95 %.1f ms max %.1f ms\n", quantile (claims, 0.5), quantile (claims, 0.95),
          quantile (claims, 1.0));
  printf ("verdict latency p50 %.1f ms p95 %.1f ms max %.1f ms\n", quantile (verdicts, 0.5),
          quantile (verdicts, 0.95), quantile (verdicts, 1.0));
  if (verdicts->len != n)
    fprintf (stderr, "dl-bench-site: %u of %u cases decided\n", verdicts->len, n), failed = 1;
  return failed;
}
