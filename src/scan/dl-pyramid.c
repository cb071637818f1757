/* dl-pyramid.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-pyramid"

#include "config.h"

#include <math.h>

#include "dl-parallel.h"
#include "dl-pyramid.h"

void
dl_pyramid_halve_row (const DlPyramidLevel *src,
                      guint                 y,
                      guint                 x0,
                      guint                 x1,
                      guint16              *out)
{
  const guint16 *r0 = src->data + (gsize) (2 * y) * src->width;
  const guint16 *r1 = (2 * y + 1 < src->height) ? r0 + src->width : r0;
  guint whole = MIN (x1, src->width / 2), x = x0;

  /* the mean of the (up to) 2 × 2 block, rounded to nearest: the whole
   * blocks in a loop without a branch (the compiler vectorises it), then
   * a last half block at an odd width, its column taken twice */
  for (; x < whole; x++)
    {
      guint32 sum = (guint32) r0[2 * x] + r0[2 * x + 1] + r1[2 * x] + r1[2 * x + 1];

      out[x] = (guint16) ((sum + 2) / 4);
    }
  for (; x < x1; x++)
    {
      guint a = 2 * x;
      guint b = (a + 1 < src->width) ? a + 1 : a;
      guint32 sum = (guint32) r0[a] + r0[b] + r1[a] + r1[b];

      out[x] = (guint16) ((sum + 2) / 4);
    }
}

void
dl_pyramid_quarter_row (const DlPyramidLevel *level0,
                        guint                 y,
                        guint16              *out,
                        guint16              *scratch)
{
  guint w1 = (level0->width + 1) / 2, h1 = (level0->height + 1) / 2;
  guint pairs = (2 * y + 1 < h1) ? 2 : 1;
  DlPyramidLevel band = { w1, pairs, scratch };

  /* two rows of level 1, as if it were kept, then their means */
  for (guint k = 0; k < pairs; k++)
    dl_pyramid_halve_row (level0, 2 * y + k, 0, w1, scratch + (gsize) k * w1);
  dl_pyramid_halve_row (&band, 0, 0, (w1 + 1) / 2, out);
}

typedef struct
{
  const DlPyramidLevel *src;
  guint16              *dst;
  guint                 dst_width;
  gboolean              from_level0;   /* @dst is level 2, made through level 1's rows */
} HalveJob;

static void
halve_rows (gpointer user_data,
            int      row_start,
            int      row_end)
{
  HalveJob *job = user_data;
  const DlPyramidLevel *src = job->src;
  g_autofree guint16 *scratch = job->from_level0 ? g_new (guint16, (gsize) 2 * ((src->width + 1) / 2)) : NULL;

  for (guint y = row_start; y < (guint) row_end; y++)
    {
      guint16 *out = job->dst + (gsize) y * job->dst_width;

      if (job->from_level0)
        dl_pyramid_quarter_row (src, y, out, scratch);
      else
        dl_pyramid_halve_row (src, y, 0, job->dst_width, out);
    }
}

static guint16 *
halve (const DlPyramidLevel *src,
       guint                 width,
       guint                 height,
       gboolean              from_level0)
{
  guint16 *dst = g_new (guint16, (gsize) width * height);
  HalveJob job = { src, dst, width, from_level0 };

  dl_parallel_ranges (height, (gsize) width * height * (from_level0 ? 5 : 1), halve_rows, &job);
  return dst;
}

DlPyramid *
dl_pyramid_new (const guint16 *data,
                guint          width,
                guint          height)
{
  return dl_pyramid_new_with_level2 (data, width, height, NULL);
}

gboolean
dl_pyramid_has_level2 (guint width,
                       guint height)
{
  guint w1 = (width + 1) / 2, h1 = (height + 1) / 2;

  return MAX (width, height) > DL_PYRAMID_MIN_SIDE && width >= 2 && height >= 2
         && MAX (w1, h1) > DL_PYRAMID_MIN_SIDE && w1 >= 2 && h1 >= 2;
}

DlPyramid *
dl_pyramid_new_with_level2 (const guint16 *data,
                            guint          width,
                            guint          height,
                            guint16       *level2)
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
      if (self->n_levels == 1)
        /* level 1 is worked out when drawn; level 2 from level 0 */
        self->levels[1] = (DlPyramidLevel) { w, h, NULL };
      else
        {
          gboolean from_level0 = self->n_levels == 2;

          /* level 2 may have been made while the plane was decoded */
          self->owned[self->n_levels] = from_level0 && level2 ? g_steal_pointer (&level2)
                                        : halve (from_level0 ? &self->levels[0] : prev, w, h, from_level0);
          self->levels[self->n_levels] = (DlPyramidLevel) { w, h, self->owned[self->n_levels] };
        }
      self->n_levels++;
    }

  g_free (level2);   /* a plane too small for one */
  return self;
}

const guint16 *
dl_pyramid_row (const DlPyramid      *self,
                const DlPyramidLevel *level,
                guint                 row,
                guint                 x0,
                guint                 x1,
                guint16              *scratch)
{
  if (level->data)
    return level->data + (gsize) row * level->width;
  dl_pyramid_halve_row (&self->levels[0], row, x0, MIN (x1, level->width), scratch);
  return scratch;
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
    if (self->levels[i].data)
      total += (guint64) self->levels[i].width * self->levels[i].height * sizeof (guint16);

  return total;
}
