/* dl-pyramid.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "dl-parallel.h"
#include "dl-pyramid.h"

typedef struct
{
  const DlPyramidLevel *src;
  guint16              *dst;
  guint                 dst_width;
} HalveJob;

/* Mean of the (up to) 2 × 2 source block under each destination pixel,
 * rounded to nearest. */
static void
halve_rows (gpointer user_data,
            int      row_start,
            int      row_end)
{
  HalveJob *job = user_data;
  const DlPyramidLevel *src = job->src;

  for (guint y = row_start; y < (guint) row_end; y++)
    {
      const guint16 *r0 = src->data + (gsize) (2 * y) * src->width;
      const guint16 *r1 = (2 * y + 1 < src->height) ? r0 + src->width : r0;
      guint16 *out = job->dst + (gsize) y * job->dst_width;

      for (guint x = 0; x < job->dst_width; x++)
        {
          guint x0 = 2 * x;
          guint x1 = (x0 + 1 < src->width) ? x0 + 1 : x0;
          guint32 sum = (guint32) r0[x0] + r0[x1] + r1[x0] + r1[x1];
          out[x] = (guint16) ((sum + 2) / 4);
        }
    }
}

static guint16 *
halve (const DlPyramidLevel *src,
       guint                 width,
       guint                 height)
{
  guint16 *dst = g_new (guint16, (gsize) width * height);
  HalveJob job = { src, dst, width };

  dl_parallel_ranges (height, (gsize) width * height, halve_rows, &job);
  return dst;
}

DlPyramid *
dl_pyramid_new (const guint16 *data,
                guint          width,
                guint          height)
{
  DlPyramid *self = g_new0 (DlPyramid, 1);

  self->levels[0] = (DlPyramidLevel) { width, height, data };
  self->n_levels = 1;

  while (self->n_levels < DL_PYRAMID_MAX_LEVELS)
    {
      const DlPyramidLevel *prev = &self->levels[self->n_levels - 1];
      guint w, h;

      if (MAX (prev->width, prev->height) <= DL_PYRAMID_MIN_SIDE
          || prev->width < 2 || prev->height < 2)
        break;

      w = (prev->width + 1) / 2;
      h = (prev->height + 1) / 2;
      self->owned[self->n_levels] = halve (prev, w, h);
      self->levels[self->n_levels] = (DlPyramidLevel) { w, h, self->owned[self->n_levels] };
      self->n_levels++;
    }

  return self;
}

void
dl_pyramid_free (DlPyramid *self)
{
  for (guint i = 0; i < DL_PYRAMID_MAX_LEVELS; i++)
    g_free (self->owned[i]);
  g_free (self);
}

/* The coarsest level whose pixels are still no larger than a screen pixel
 * at @zoom (screen pixels per image pixel). */
guint
dl_pyramid_level_for (const DlPyramid *self,
                      double           zoom)
{
  guint level = 0;

  if (!(zoom > 0))
    return 0;

  while (level + 1 < self->n_levels && (double) (1u << (level + 1)) <= 1.0 / zoom + 1e-9)
    level++;

  return level;
}

guint64
dl_pyramid_extra_bytes (const DlPyramid *self)
{
  guint64 total = 0;

  for (guint i = 1; i < self->n_levels; i++)
    total += (guint64) self->levels[i].width * self->levels[i].height * sizeof (guint16);

  return total;
}
