/* dl-histogram.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-histogram"

#include "config.h"

#include <math.h>
#include <string.h>

#include "dl-histogram.h"
#include "dl-parallel.h"

typedef struct
{
  const guint16 *data;
  guint64       *counts;
  gsize          n;
  GMutex         lock;
} CountJob;

/* Counts its range into bins of its own, then adds them in. */
static void
count_range (gpointer user_data,
             int      start,
             int      end)
{
  CountJob *job = user_data;
  g_autofree guint64 *counts = g_new0 (guint64, 65536);

  for (gsize i = (gsize) start * 4096; i < MIN ((gsize) end * 4096, job->n); i++)
    counts[job->data[i]]++;

  g_mutex_lock (&job->lock);
  for (guint v = 0; v < 65536; v++)
    job->counts[v] += counts[v];
  g_mutex_unlock (&job->lock);
}

/* Total, min, max and mean from the counts. */
static void
summarise (DlHistogram *self)
{
  double sum = 0;

  self->total = 0;
  self->min = 65535;
  self->max = 0;
  for (guint v = 0; v < 65536; v++)
    {
      if (self->counts[v] == 0)
        continue;
      self->total += self->counts[v];
      self->min = MIN (self->min, v);
      self->max = MAX (self->max, v);
      sum += (double) v * self->counts[v];
    }
  if (self->total == 0)
    self->min = 0;
  self->mean = self->total > 0 ? sum / self->total : 0;
}

/* Counts in parallel over the processors, in blocks of 4096 samples. */
DlHistogram *
dl_histogram_new (const guint16 *data,
                  gsize          n)
{
  DlHistogram *self = g_new0 (DlHistogram, 1);
  CountJob job = { data, self->counts, n };   /* lock: initialised below */

  g_mutex_init (&job.lock);
  /* DL_PARALLEL_MIN_WORK is for pixels of drawing; counting is cheaper */
  dl_parallel_ranges ((int) MIN ((n + 4095) / 4096, G_MAXINT), n / 4, count_range, &job);
  g_mutex_clear (&job.lock);
  summarise (self);
  return self;
}

/**
 * dl_histogram_new_from_counts:
 * @counts: 65536 bins, counted elsewhere (while decoding)
 *
 * Returns: (transfer full): the histogram of those counts, the same as
 * dl_histogram_new () over the samples they were counted from.
 */
DlHistogram *
dl_histogram_new_from_counts (const guint64 *counts)
{
  DlHistogram *self = g_new0 (DlHistogram, 1);

  memcpy (self->counts, counts, sizeof self->counts);
  summarise (self);
  return self;
}

void
dl_histogram_free (DlHistogram *self)
{
  if (self->cargo)
    dl_histogram_free (self->cargo);
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
