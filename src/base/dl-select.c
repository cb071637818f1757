/* dl-select.c — introselect over floats: quickselect whose pivot comes
 * from a sample at about the rank sought (from a median of three over
 * few values), a partition without branches on the values, and a sort
 * of what is left once the partitions stop shrinking (so a hostile order
 * of values costs O(n log n), never O(n²)).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-select"

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "dl-select.h"

int
dl_compare_float (gconstpointer a,
                  gconstpointer b)
{
  float x = *(const float *) a, y = *(const float *) b;

  return (x > y) - (x < y);
}

int
dl_compare_double (gconstpointer a,
                   gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static inline void
swap (float *v,
      gsize  i,
      gsize  j)
{
  float t = v[i];

  v[i] = v[j];
  v[j] = t;
}

/* The median of v[lo], v[mid], v[hi], left at v[hi] as the pivot. */
static float
pivot (float *v,
       gsize  lo,
       gsize  hi)
{
  gsize mid = lo + (hi - lo) / 2;

  if (v[mid] < v[lo])
    swap (v, mid, lo);
  if (v[hi] < v[lo])
    swap (v, hi, lo);
  if (v[mid] < v[hi])
    swap (v, mid, hi);
  return v[hi];
}

/* Moves the values of v[lo..hi) that are below @p (or, @or_equal, not
 * above it) to the front, and returns where the others start.  Without a
 * branch on the values (each one is swapped, and the front grows by the
 * comparison), so its speed does not depend on their order. */
static inline gsize
split (float  *v,
       gsize   lo,
       gsize   hi,
       float   p,
       gboolean or_equal)
{
  gsize front = lo;

  /* @or_equal is a constant where this is inlined: one loop each */
  for (gsize i = lo; i < hi; i++)
    {
      float x = v[i];
      v[i] = v[front];
      v[front] = x;
      front += or_equal ? x <= p : x < p;
    }
  return front;
}

/* A few values: by insertion. */
static void
insertion_sort (float *v,
                gsize  lo,
                gsize  hi)
{
  for (gsize i = lo + 1; i <= hi; i++)
    {
      float x = v[i];
      gsize j = i;

      for (; j > lo && v[j - 1] > x; j--)
        v[j] = v[j - 1];
      v[j] = x;
    }
}

/* From this many values on, the pivot comes from a sample of them. */
#define SAMPLE_FROM 400

/* The pivot for @k in v[lo..hi], left at v[hi]: of a sample of
 * 0.5 n^⅔ values spread over the range (gathered at its front), the one
 * at about @k's rank, moved by a sample's spread towards the larger
 * part.  The part that keeps @k is then seldom much more than the
 * smaller one, so a selection reads the values about 1 + min (k, n − k) / n
 * times, not 2.75 (Floyd and Rivest's idea, with one pivot). */
static float
sample_pivot (float *v,
              gsize  lo,
              gsize  hi,
              gsize  k)
{
  gsize n = hi - lo + 1;
  gsize s = (gsize) (0.5 * cbrt ((double) n * n));
  gsize step = n / s, gap = (gsize) sqrt ((double) s), at;

  for (gsize i = 1; i < s; i++)
    swap (v, lo + i, lo + i * step);
  at = (k - lo) * s / n;
  if ((k - lo) * 2 < n)
    at = MIN (at + gap, s - 1);
  else
    at = at > gap ? at - gap : 0;
  dl_select_float (v + lo, s, at);
  swap (v, lo + at, hi);
  return v[hi];
}

/* Partitions v[lo..hi] around its pivot, in three bands (below, equal,
 * above; the equal band is [*eq_lo, *eq_hi]): the pivot goes between
 * the values below it and the rest; only when that leaves most of the
 * range on the side of @k are the values equal to it split off too, so
 * that many equal values end it at once. */
static void
partition (float *v,
           gsize  lo,
           gsize  hi,
           gsize  k,
           gsize *eq_lo,
           gsize *eq_hi)
{
  float p = hi - lo + 1 >= SAMPLE_FROM ? sample_pivot (v, lo, hi, k) : pivot (v, lo, hi);
  gsize lt = split (v, lo, hi, p, FALSE);

  swap (v, lt, hi);
  *eq_lo = *eq_hi = lt;
  if (k > lt && (hi - lt) * 4 > (hi - lo + 1) * 3)
    *eq_hi = split (v, lt + 1, hi + 1, p, TRUE) - 1;
}

/**
 * dl_select_float:
 * @v: (inout): @n values, reordered
 * @n: how many, > 0
 * @k: which, < @n
 *
 * Returns the value a sort of @v would put at @k, and leaves it there with
 * nothing greater before it and nothing smaller after it.  Values must be
 * ordered (no NaN).
 */
float
dl_select_float (float *v,
                 gsize  n,
                 gsize  k)
{
  gsize lo = 0, hi = n - 1;
  guint budget = 2 * g_bit_storage (n) + 4;

  g_return_val_if_fail (v != NULL && k < n, 0);

  while (lo < hi)
    {
      gsize eq_lo, eq_hi;

      if (hi - lo < 16)
        {
          insertion_sort (v, lo, hi);
          break;
        }
      if (budget-- == 0)
        {
          qsort (v + lo, hi - lo + 1, sizeof (float), dl_compare_float);
          break;
        }
      partition (v, lo, hi, k, &eq_lo, &eq_hi);
      if (k < eq_lo)
        hi = eq_lo - 1;
      else if (k > eq_hi)
        lo = eq_hi + 1;
      else
        break;
    }
  return v[k];
}
