/* dl-render.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "dl-render.h"

/* Maps output coordinate i to a level index, −1 outside the level. */
static void
build_index (int     *index,
             int      n,
             double   origin,
             double   zoom,
             guint    level,
             guint    level_size)
{
  double scale = (double) (1u << level);

  for (int i = 0; i < n; i++)
    {
      double x = origin + (i + 0.5) / zoom;    /* level-0 coordinate */
      double lx = floor (x / scale);

      index[i] = (lx >= 0 && lx < level_size) ? (int) lx : -1;
    }
}

typedef struct
{
  const DlPyramidLevel *level;
  const guint8         *lut;
  const int            *cols;
  const int            *rows;
  guint32              *out;
  int                   width;
  int                   stride;
  int                   row_start;
  int                   row_end;
} RenderJob;

static gpointer
render_rows (gpointer user_data)
{
  const RenderJob *job = user_data;

  for (int j = job->row_start; j < job->row_end; j++)
    {
      guint32 *dst = (guint32 *) ((guint8 *) job->out + (gsize) j * job->stride);
      const guint16 *src;

      if (job->rows[j] < 0)
        {
          for (int i = 0; i < job->width; i++)
            dst[i] = DL_RENDER_BACKGROUND;
          continue;
        }

      src = job->level->data + (gsize) job->rows[j] * job->level->width;
      for (int i = 0; i < job->width; i++)
        {
          int c = job->cols[i];
          if (c < 0)
            dst[i] = DL_RENDER_BACKGROUND;
          else
            dst[i] = 0xff000000u | (guint32) job->lut[src[c]] * 0x010101u;
        }
    }

  return NULL;
}

void
dl_render_viewport (const DlPyramid  *pyramid,
                    const guint8     *lut,
                    const DlViewport *viewport,
                    guint32          *out,
                    int               width,
                    int               height,
                    int               stride)
{
  guint level_index = dl_pyramid_level_for (pyramid, viewport->zoom);
  const DlPyramidLevel *level = &pyramid->levels[level_index];
  g_autofree int *cols = g_new (int, MAX (width, 1));
  g_autofree int *rows = g_new (int, MAX (height, 1));
  guint n_threads = (gsize) width * height >= 512 * 512 ? CLAMP (g_get_num_processors (), 1, 8) : 1;
  RenderJob jobs[8];
  GThread *threads[8] = { NULL, };
  int chunk = (height + n_threads - 1) / n_threads;

  g_return_if_fail (viewport->zoom > 0);

  build_index (cols, width, viewport->origin_x, viewport->zoom, level_index, level->width);
  build_index (rows, height, viewport->origin_y, viewport->zoom, level_index, level->height);

  for (guint t = 0; t < n_threads; t++)
    {
      jobs[t] = (RenderJob) { level, lut, cols, rows, out, width, stride,
                              MIN ((int) t * chunk, height), MIN ((int) (t + 1) * chunk, height) };
      if (t + 1 < n_threads)
        threads[t] = g_thread_new ("dl-render", render_rows, &jobs[t]);
      else
        render_rows (&jobs[t]);
    }
  for (guint t = 0; t < n_threads; t++)
    if (threads[t])
      g_thread_join (threads[t]);
}

/* The stored values under each output pixel (the same pyramid level and
 * sampling as dl_render_viewport), and in @map_out the byte of @map (a
 * full-resolution map of the plane, such as material classes) under each
 * output pixel, or 0 without a map; 0xff marks pixels outside the image. */
void
dl_render_sample (const DlPyramid  *pyramid,
                  const guint8     *map,
                  const DlViewport *viewport,
                  guint16          *values,
                  guint8           *map_out,
                  int               width,
                  int               height)
{
  guint level_index = dl_pyramid_level_for (pyramid, viewport->zoom);
  const DlPyramidLevel *level = &pyramid->levels[level_index];
  const DlPyramidLevel *base = &pyramid->levels[0];
  g_autofree int *cols = g_new (int, MAX (width, 1));
  g_autofree int *rows = g_new (int, MAX (height, 1));
  g_autofree int *cols0 = g_new (int, MAX (width, 1));
  g_autofree int *rows0 = g_new (int, MAX (height, 1));

  build_index (cols, width, viewport->origin_x, viewport->zoom, level_index, level->width);
  build_index (rows, height, viewport->origin_y, viewport->zoom, level_index, level->height);
  build_index (cols0, width, viewport->origin_x, viewport->zoom, 0, base->width);
  build_index (rows0, height, viewport->origin_y, viewport->zoom, 0, base->height);

  for (int j = 0; j < height; j++)
    for (int i = 0; i < width; i++)
      {
        gsize k = (gsize) j * width + i;
        gboolean inside = rows[j] >= 0 && cols[i] >= 0;

        values[k] = inside ? level->data[(gsize) rows[j] * level->width + cols[i]] : 0;
        if (!inside || rows0[j] < 0 || cols0[i] < 0)
          map_out[k] = 0xff;
        else
          map_out[k] = map ? map[(gsize) rows0[j] * base->width + cols0[i]] : 0;
      }
}
