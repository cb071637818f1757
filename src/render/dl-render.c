/* dl-render.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-render"

#include "config.h"

#include <math.h>

#include "dl-enhance.h"
#include "dl-overlay.h"
#include "dl-parallel.h"
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

/* The level columns @cols uses (−1 are outside): level 1 rows are worked
 * out for those only. */
static void
column_range (const int *cols,
              int        n,
              guint     *x0,
              guint     *x1)
{
  *x0 = G_MAXUINT;
  *x1 = 0;
  for (int i = 0; i < n; i++)
    if (cols[i] >= 0)
      {
        *x0 = MIN (*x0, (guint) cols[i]);
        *x1 = MAX (*x1, (guint) cols[i] + 1);
      }
  if (*x0 > *x1)
    *x0 = *x1;
}

/* Scratch for a row of @level when it is not kept (level 1), else NULL. */
static guint16 *
row_scratch (const DlPyramidLevel *level)
{
  return level->data ? NULL : g_new (guint16, level->width);
}

typedef struct
{
  const DlPyramid      *pyramid;
  const DlPyramidLevel *level;
  guint                 x0, x1;   /* the columns used */
  const guint8         *lut;
  const int            *cols;
  const int            *rows;
  guint32              *out;
  int                   width;
  int                   stride;
} RenderJob;

static void
render_rows (gpointer data,
             int      row_start,
             int      row_end)
{
  const RenderJob *job = data;
  g_autofree guint16 *scratch = row_scratch (job->level);

  for (int j = row_start; j < row_end; j++)
    {
      guint32 *dst = (guint32 *) ((guint8 *) job->out + (gsize) j * job->stride);
      const guint16 *src;

      if (job->rows[j] < 0)
        {
          for (int i = 0; i < job->width; i++)
            dst[i] = DL_RENDER_BACKGROUND;
          continue;
        }

      src = dl_pyramid_row (job->pyramid, job->level, job->rows[j], job->x0, job->x1, scratch);
      for (int i = 0; i < job->width; i++)
        {
          int c = job->cols[i];
          if (c < 0)
            dst[i] = DL_RENDER_BACKGROUND;
          else
            dst[i] = 0xff000000u | (guint32) job->lut[src[c]] * 0x010101u;
        }
    }
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
  RenderJob job = { pyramid, level, 0, 0, lut, cols, rows, out, width, stride };

  g_return_if_fail (viewport->zoom > 0);

  build_index (cols, width, viewport->origin_x, viewport->zoom, level_index, level->width);
  build_index (rows, height, viewport->origin_y, viewport->zoom, level_index, level->height);
  column_range (cols, width, &job.x0, &job.x1);
  dl_parallel_ranges (height, (gsize) width * height, render_rows, &job);
}

typedef struct
{
  const DlPyramid      *pyramid;
  const DlPyramidLevel *level;
  guint                 x0, x1;
  const DlPyramidLevel *base;
  const int            *cols;
  const int            *rows;
  const int            *cols0;
  const int            *rows0;
  const guint8         *lut;
  const guint8         *gray_image;   /* enhanced gray of the whole viewport, or NULL */
  const guint8         *class_map;
  const guint32        *table;
  const guint8         *band_lut;
  guint32              *out;
  int                   width;
  int                   stride;
} OverlayJob;

static void
overlay_rows (gpointer data,
              int      row_start,
              int      row_end)
{
  const OverlayJob *job = data;
  const guint32 *table = job->table;
  int w = job->width;
  g_autofree guint16 *scratch = row_scratch (job->level);

  for (int j = row_start; j < row_end; j++)
    {
      guint32 *dst = (guint32 *) ((guint8 *) job->out + (gsize) j * job->stride);
      const guint16 *src = job->rows[j] >= 0
                           ? dl_pyramid_row (job->pyramid, job->level, job->rows[j], job->x0, job->x1, scratch)
                           : NULL;
      const guint8 *cmap = job->class_map && job->rows0[j] >= 0
                           ? job->class_map + (gsize) job->rows0[j] * job->base->width : NULL;
      const guint8 *gray = job->gray_image ? job->gray_image + (gsize) j * w : NULL;

      if (src == NULL)
        {
          for (int i = 0; i < w; i++)
            dst[i] = DL_RENDER_BACKGROUND;
          continue;
        }
      for (int i = 0; i < w; i++)
        {
          int c = job->cols[i];
          guint16 v;
          guint k, b, g;

          if (c < 0)
            {
              dst[i] = DL_RENDER_BACKGROUND;
              continue;
            }
          v = src[c];
          g = gray ? gray[i] : job->lut[v];
          k = cmap && job->cols0[i] >= 0 ? MIN (cmap[job->cols0[i]], DL_OVERLAY_CLASSES - 1) : DL_CLASS_NONE;
          b = job->band_lut ? job->band_lut[v] : 0;
          dst[i] = table[((gsize) b * DL_OVERLAY_CLASSES + k) * 256 + g];
        }
    }
}

typedef struct
{
  const DlPyramid      *pyramid;
  const DlPyramidLevel *level;
  guint                 x0, x1;
  const int            *cols;
  const int            *rows;
  const guint8         *lut;
  guint8               *gray;
  int                   width;
} GrayJob;

static void
gray_rows (gpointer data,
           int      row_start,
           int      row_end)
{
  const GrayJob *job = data;
  g_autofree guint16 *scratch = row_scratch (job->level);

  for (int j = row_start; j < row_end; j++)
    {
      const guint16 *src = job->rows[j] >= 0
                           ? dl_pyramid_row (job->pyramid, job->level, job->rows[j], job->x0, job->x1, scratch)
                           : NULL;

      for (int i = 0; i < job->width; i++)
        {
          int c = job->cols[i];
          job->gray[(gsize) j * job->width + i] = src && c >= 0 ? job->lut[src[c]] : 0x1e;
        }
    }
}

/**
 * dl_render_viewport_overlay:
 * @class_map: (nullable): material classes of the plane, full resolution
 *
 * Like dl_render_viewport(), through @overlay (material classes, bands,
 * colour map) and @enhance, in one pass a row where there is no
 * enhancement, on every core.
 */
void
dl_render_viewport_overlay (const DlPyramid  *pyramid,
                            const guint8     *lut,
                            const guint8     *class_map,
                            const DlOverlay  *overlay,
                            const guint8     *band_lut,
                            int               enhance,
                            const DlViewport *viewport,
                            guint32          *out,
                            int               width,
                            int               height,
                            int               stride)
{
  guint level_index = dl_pyramid_level_for (pyramid, viewport->zoom);
  const DlPyramidLevel *level = &pyramid->levels[level_index], *base = &pyramid->levels[0];
  g_autofree int *cols = g_new (int, MAX (width, 1));
  g_autofree int *rows = g_new (int, MAX (height, 1));
  g_autofree int *cols0 = g_new (int, MAX (width, 1));
  g_autofree int *rows0 = g_new (int, MAX (height, 1));
  g_autofree guint8 *gray = NULL;
  g_autofree guint32 *table = dl_overlay_build_table (overlay);
  OverlayJob job;
  guint x0, x1;

  build_index (cols, width, viewport->origin_x, viewport->zoom, level_index, level->width);
  build_index (rows, height, viewport->origin_y, viewport->zoom, level_index, level->height);
  build_index (cols0, width, viewport->origin_x, viewport->zoom, 0, base->width);
  build_index (rows0, height, viewport->origin_y, viewport->zoom, 0, base->height);
  column_range (cols, width, &x0, &x1);

  if (enhance != DL_ENHANCE_NONE)
    {
      GrayJob gjob;

      gray = g_malloc ((gsize) width * height);
      gjob = (GrayJob) { pyramid, level, x0, x1, cols, rows, lut, gray, width };
      dl_parallel_ranges (height, (gsize) width * height, gray_rows, &gjob);
      dl_enhance_apply (enhance, gray, width, height, width);
    }

  job = (OverlayJob) { pyramid, level, x0, x1, base, cols, rows, cols0, rows0, lut, gray,
                       overlay->material ? class_map : NULL, table, band_lut, out, width, stride };
  dl_parallel_ranges (height, (gsize) width * height, overlay_rows, &job);
}
