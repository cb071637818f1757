/* dl-bench-loop.c — the analyst's loop as build-aux/bench measures it: the
 * real window on a queue of cases (dl-bench loop-cases), under Xvfb, the
 * verdict given by a real F5 key (xdotool), and the time from the key to
 * the frame that shows the next case's scan with its check done — the
 * moment the window lets the next verdict key act (dl-window-decide.c).
 *
 *   dl-bench-loop CASEFILE N DWELL_MS
 *
 * The analyst looks at each case for DWELL_MS before deciding (the
 * prefetch works meanwhile).  Prints p50, p95 and max of the N latencies,
 * the prefetch's memory (highest seen, and its budget) and how many key
 * presses each clean scan took.  DOORLICHT_NO_PREFETCH=1 gives the figures
 * without the prefetch.  Every number is measured here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-bench-loop"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <gdk/x11/gdkx.h>

#include "dl-window.h"
#include "dl-window-private.h"

typedef struct
{
  DlWindow *window;
  guint64   prefetch_peak;
  guint64   prefetch_budget;
} Bench;

/* Runs the main loop until @done or @timeout_ms; TRUE when done. */
static gboolean
run_until (Bench     *bench,
           gboolean (*done) (Bench *, gconstpointer),
           gconstpointer data,
           guint      timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!done (bench, data))
    {
      guint64 budget = 0;
      guint64 held = dl_session_get_prefetch_memory (dl_window_get_session (bench->window), &budget);

      bench->prefetch_peak = MAX (bench->prefetch_peak, held);
      bench->prefetch_budget = budget;
      if (g_get_monotonic_time () > end)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (200);
    }
  return TRUE;
}

static const char *
shown_case (Bench *bench)
{
  return dl_session_get_case_id (dl_window_get_session (bench->window));
}

/* A case other than @data is shown and the window takes keys for it. */
static gboolean
next_ready (Bench        *bench,
            gconstpointer data)
{
  return bench->window->case_ready && shown_case (bench) && g_strcmp0 (shown_case (bench), data) != 0;
}

static gboolean
never (Bench        *bench,
       gconstpointer data)
{
  return FALSE;
}

static gboolean
xdotool (const char *args)
{
  g_autofree char *cmd = g_strdup_printf ("xdotool %s", args);
  int status = 0;

  return g_spawn_command_line_sync (cmd, NULL, NULL, &status, NULL) && g_spawn_check_wait_status (status, NULL);
}

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (double *v,
            guint   n,
            double  p)
{
  guint i = (guint) (p * (n - 1) + 0.5);

  return v[MIN (i, n - 1)];
}

/* One verdict: F5 pressed (again, each second it does not act) until the
 * next case is ready; the milliseconds from the press that acted. */
static gboolean
decide_one (Bench  *bench,
            double *ms,
            guint  *presses)
{
  g_autofree char *decided = g_strdup (shown_case (bench));

  *presses = 0;
  while (*presses < 5)
    {
      gint64 t0;

      if (!xdotool ("key F5"))
        return FALSE;
      t0 = g_get_monotonic_time ();
      (*presses)++;
      if (run_until (bench, next_ready, decided, 1000))
        {
          *ms = (g_get_monotonic_time () - t0) / 1000.0;
          return TRUE;
        }
    }
  return FALSE;
}

static int
run (Bench      *bench,
     guint       n,
     guint       dwell_ms)
{
  g_autofree double *ms = g_new0 (double, n);
  guint presses_total = 0, presses_max = 0, done = 0;

  if (!run_until (bench, next_ready, NULL, 30000))
    {
      fprintf (stderr, "dl-bench-loop: the first case did not open within 30 s\n");
      return 1;
    }
  for (; done < n; done++)
    {
      guint presses = 0;

      run_until (bench, never, NULL, dwell_ms);
      if (!decide_one (bench, &ms[done], &presses))
        break;
      presses_total += presses;
      presses_max = MAX (presses_max, presses);
    }
  if (done == 0)
    {
      fprintf (stderr, "dl-bench-loop: no verdict led to a next case\n");
      return 1;
    }
  qsort (ms, done, sizeof *ms, cmp_double);
  printf ("next scan after a verdict (%u verdicts, %u ms on each case, prefetch %s): "
          "p50 %.0f ms, p95 %.0f ms, max %.0f ms; prefetch memory %.1f MiB (budget %.0f MiB); "
          "keys for a clean scan %.2f (max %u)\n",
          done, dwell_ms, g_getenv ("DOORLICHT_NO_PREFETCH") ? "off" : "on", percentile (ms, done, 0.5),
          percentile (ms, done, 0.95), ms[done - 1], bench->prefetch_peak / 1048576.0,
          bench->prefetch_budget / 1048576.0, (double) presses_total / done, presses_max);
  return done == n ? 0 : 1;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *activate = NULL;
  Bench bench = { 0 };
  int status;

  if (argc != 4)
    {
      fprintf (stderr, "usage: dl-bench-loop CASEFILE N DWELL_MS\n");
      return 2;
    }
  if (!gtk_init_check ())
    {
      fprintf (stderr, "dl-bench-loop: no display\n");
      return 1;
    }
  adw_init ();
  bench.window = dl_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (bench.window), 1600, 1000);
  gtk_window_present (GTK_WINDOW (bench.window));
  if (!dl_window_open_case_file (bench.window, argv[1], &error))
    {
      fprintf (stderr, "dl-bench-loop: %s\n", error->message);
      return 1;
    }
  run_until (&bench, never, NULL, 500);
  activate = g_strdup_printf ("windowactivate --sync %lu",
                              (gulong) gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (bench.window))));
  xdotool (activate);
  status = run (&bench, (guint) atoi (argv[2]), (guint) atoi (argv[3]));
  gtk_window_destroy (GTK_WINDOW (bench.window));
  return status;
}
