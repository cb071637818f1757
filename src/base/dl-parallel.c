/* dl-parallel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-parallel"

#include "config.h"

#include "dl-parallel.h"

#define MAX_THREADS 8

typedef struct
{
  DlRangeFunc func;
  gpointer    data;
  int         start;
  int         end;
} Range;

static gpointer
run_range (gpointer user_data)
{
  Range *r = user_data;

  r->func (r->data, r->start, r->end);
  return NULL;
}

/**
 * dl_parallel_ranges:
 * @n: the items (rows, samples) to cover, [0, @n)
 * @work: how much work they are in all, to decide whether to use threads
 *
 * Calls @func once for each of up to one contiguous range a processor,
 * the last on the calling thread, and returns when every range is done.
 */
void
dl_parallel_ranges (int         n,
                    gsize       work,
                    DlRangeFunc func,
                    gpointer    data)
{
  guint n_threads = work >= DL_PARALLEL_MIN_WORK ? CLAMP (g_get_num_processors (), 1, MAX_THREADS) : 1;
  Range ranges[MAX_THREADS];
  GThread *threads[MAX_THREADS] = { NULL, };
  int chunk;

  if (n <= 0)
    return;
  n_threads = MIN (n_threads, (guint) n);
  chunk = (n + n_threads - 1) / n_threads;

  for (guint t = 0; t < n_threads; t++)
    {
      ranges[t] = (Range) { func, data, MIN ((int) t * chunk, n), MIN ((int) (t + 1) * chunk, n) };
      if (t + 1 < n_threads)
        threads[t] = g_thread_new ("dl-worker", run_range, &ranges[t]);
      else
        run_range (&ranges[t]);
    }
  for (guint t = 0; t + 1 < n_threads; t++)
    g_thread_join (threads[t]);
}
