/* dl-regions.c — the 4-connected regions of a mask (dl-regions.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-regions"

#include "config.h"

#include <math.h>
#include <string.h>

#include "dl-regions.h"
#include "dl-select.h"

/* Grows the region labelled @label from @start over set, unlabelled pixels. */
static DlRegion
grow (const guint8 *mask,
      guint         w,
      guint         h,
      guint32      *labels,
      guint32       label,
      gsize         start,
      GArray       *stack)
{
  DlRegion r = { 0, { G_MAXINT, G_MAXINT, 0, 0 } };

  g_array_set_size (stack, 0);
  g_array_append_val (stack, start);
  labels[start] = label;
  while (stack->len > 0)
    {
      gsize k = g_array_index (stack, gsize, stack->len - 1), next[4];
      guint x = k % w, y = k / w, nn = 0;

      g_array_set_size (stack, stack->len - 1);
      r.area++;
      r.box[0] = MIN (r.box[0], (int) x);
      r.box[1] = MIN (r.box[1], (int) y);
      r.box[2] = MAX (r.box[2], (int) x + 1);
      r.box[3] = MAX (r.box[3], (int) y + 1);
      if (x > 0) next[nn++] = k - 1;
      if (x + 1 < w) next[nn++] = k + 1;
      if (y > 0) next[nn++] = k - w;
      if (y + 1 < h) next[nn++] = k + w;
      for (guint i = 0; i < nn; i++)
        if (mask[next[i]] && labels[next[i]] == 0)
          {
            labels[next[i]] = label;
            g_array_append_val (stack, next[i]);
          }
    }
  return r;
}

GArray *
dl_regions_label (const guint8 *mask,
                  guint         width,
                  guint         height,
                  guint32      *labels)
{
  gsize n = (gsize) width * height;
  g_autofree guint32 *own = labels ? NULL : g_new0 (guint32, n);
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (gsize));
  GArray *regions = g_array_new (FALSE, TRUE, sizeof (DlRegion));

  g_return_val_if_fail (mask != NULL, regions);

  if (labels)
    memset (labels, 0, n * sizeof (guint32));
  else
    labels = own;
  for (gsize k = 0; k < n; k++)
    if (mask[k] && labels[k] == 0)
      {
        DlRegion r = grow (mask, width, height, labels, regions->len + 1, k, stack);
        g_array_append_val (regions, r);
      }
  return regions;
}

float
dl_regions_noise (const float     *v,
                  guint            width,
                  guint            height,
                  DlNoisePairFunc  keep,
                  gsize            min_pairs)
{
  gsize n = 0, cap = 200000, total = (gsize) width * height;
  g_autofree float *d = g_new (float, cap);
  gsize step = MAX (1, total / cap);

  for (gsize k = 0; k + 1 < total && n < cap; k += step)
    if ((k + 1) % width != 0 && keep (v[k], v[k + 1]))
      d[n++] = fabsf (v[k + 1] - v[k]);
  if (n == 0 || n < min_pairs)
    return 0.01f;
  return MAX (dl_select_float (d, n, n / 2) / (0.6745f * G_SQRT2), 0.002f);
}
