/* dl-select.c — introselect over floats: quickselect with a median-of-three
 * pivot, and a sort of what is left once the partitions stop shrinking
 * (so a hostile order of values costs O(n log n), never O(n²)).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-select"

#include "config.h"

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

/* Lomuto-style partition of v[lo..hi] around its pivot, in three bands
 * (below, equal, above) so that many equal values end it at once; the
 * equal band is [*eq_lo, *eq_hi]. */
static void
partition (float *v,
           gsize  lo,
           gsize  hi,
           gsize *eq_lo,
           gsize *eq_hi)
{
  float p = pivot (v, lo, hi);
  gsize lt = lo, i = lo, gt = hi;

  while (i <= gt)
    {
      if (v[i] < p)
        swap (v, lt++, i++);
      else if (v[i] > p)
        swap (v, i, gt--);
      else
        i++;
    }
  *eq_lo = lt;
  *eq_hi = gt;
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

      if (budget-- == 0)
        {
          qsort (v + lo, hi - lo + 1, sizeof (float), dl_compare_float);
          break;
        }
      partition (v, lo, hi, &eq_lo, &eq_hi);
      if (k < eq_lo)
        hi = eq_lo - 1;
      else if (k > eq_hi)
        lo = eq_hi + 1;
      else
        break;
    }
  return v[k];
}
