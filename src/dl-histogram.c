/* dl-histogram.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "dl-histogram.h"

typedef struct
{
  const guint16 *data;
  gsize          n;
  guint64       *counts;
} CountJob;

static gpointer
count_range (gpointer user_data)
{
  CountJob *job = user_data;

  for (gsize i = 0; i < job->n; i++)
    job->counts[job->data[i]]++;

  return NULL;
}

/* Counts in parallel over the processors, each thread into its own bins. */
DlHistogram *
dl_histogram_new (const guint16 *data,
                  gsize          n)
{
  guint n_threads = CLAMP (g_get_num_processors (), 1, 8);
  g_autofree CountJob *jobs = NULL;
  g_autofree GThread **threads = NULL;
  DlHistogram *self = g_new0 (DlHistogram, 1);
  double sum = 0;
  gsize chunk;

  if (n < (1 << 20))
    n_threads = 1;

  jobs = g_new0 (CountJob, n_threads);
  threads = g_new0 (GThread *, n_threads);
  chunk = n / n_threads;

  for (guint t = 0; t < n_threads; t++)
    {
      jobs[t].data = data + t * chunk;
      jobs[t].n = (t == n_threads - 1) ? n - t * chunk : chunk;
      jobs[t].counts = g_new0 (guint64, 65536);
      if (n_threads > 1)
        threads[t] = g_thread_new ("dl-histogram", count_range, &jobs[t]);
      else
        count_range (&jobs[t]);
    }

  for (guint t = 0; t < n_threads; t++)
    {
      if (threads[t])
        g_thread_join (threads[t]);
      for (guint v = 0; v < 65536; v++)
        self->counts[v] += jobs[t].counts[v];
      g_free (jobs[t].counts);
    }

  self->total = n;
  self->min = 65535;
  self->max = 0;
  for (guint v = 0; v < 65536; v++)
    {
      if (self->counts[v] == 0)
        continue;
      self->min = MIN (self->min, v);
      self->max = MAX (self->max, v);
      sum += (double) v * self->counts[v];
    }
  if (n == 0)
    self->min = 0;
  self->mean = n > 0 ? sum / n : 0;

  return self;
}

void
dl_histogram_free (DlHistogram *self)
{
  g_free (self);
}

/* The smallest value v such that at least @percent % of the samples are
 * ≤ v (the nearest-rank percentile). */
guint16
dl_histogram_percentile (const DlHistogram *self,
                         double             percent)
{
  guint64 rank, cumulative = 0;

  if (self->total == 0)
    return 0;

  percent = CLAMP (percent, 0.0, 100.0);
  rank = (guint64) ceil (percent / 100.0 * self->total);
  rank = MAX (rank, 1);

  for (guint v = 0; v < 65536; v++)
    {
      cumulative += self->counts[v];
      if (cumulative >= rank)
        return v;
    }

  return self->max;
}
