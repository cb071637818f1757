/* dl-enhance.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-enhance"

#include "config.h"

#include <math.h>
#include <string.h>

#include "dl-enhance.h"
#include "dl-parallel.h"

/* Box sums of radius @r along a row of @n bytes, edges replicated, with a
 * running sum: O(1) a value (at most 255 × 25 for r = 2: 16 bits do). */
static void
box_sums (const guint8 *src,
          guint16      *dst,
          int           n,
          int           r)
{
  int sum = 0;

  for (int i = -r; i <= r; i++)
    sum += src[CLAMP (i, 0, n - 1)];
  for (int i = 0; i < n; i++)
    {
      dst[i] = sum;
      sum += src[MIN (i + r + 1, n - 1)] - src[MAX (i - r, 0)];
    }
}

/* Unsharp mask of rows [y0, y1) of @src into @dst (both @stride bytes a
 * row), reading @radius rows beyond the band (edges replicated). */
static void
unsharp_band (const guint8 *src,
              guint8       *dst,
              int           width,
              int           height,
              int           stride,
              int           radius,
              double        amount,
              int           y0,
              int           y1)
{
  /* rows y0 − r … y1 + r: the running sum adds row y + r + 1 after row y,
   * so the last row of the band reads one beyond its window */
  int r = MIN (radius, 7), lo = MAX (y0 - r, 0), hi = MIN (y1 + r + 1, height), rows = hi - lo;
  g_autofree guint16 *b = g_new (guint16, (gsize) width * rows);
  g_autofree guint32 *col = g_new0 (guint32, width);
  int area = (2 * r + 1) * (2 * r + 1);
  gint64 inverse = ((gint64) (int) round (amount * 256) << 16) / area;

  for (int y = lo; y < hi; y++)
    box_sums (src + (gsize) y * stride, b + (gsize) (y - lo) * width, width, r);

  /* vertical running sums, rows clamped to the image (edges replicated) */
#define BROW(yy) (b + (gsize) (CLAMP ((yy), 0, height - 1) - lo) * width)
  for (int i = -r; i <= r; i++)
    {
      const guint16 *row = BROW (y0 + i);
      for (int x = 0; x < width; x++)
        col[x] += row[x];
    }
  for (int y = y0; y < y1; y++)
    {
      const guint16 *add = BROW (y + r + 1 < height ? y + r + 1 : height - 1);
      const guint16 *sub = BROW (y - r);
      const guint8 *s = src + (gsize) y * stride;
      guint8 *d = dst + (gsize) y * stride;

      for (int x = 0; x < width; x++)
        {
          int g = s[x];
          int v = g + (int) ((inverse * (g * area - (int) col[x]) + (1 << 23)) >> 24);
          d[x] = (guint8) CLAMP (v, 0, 255);
          col[x] += add[x] - sub[x];
        }
    }
#undef BROW
}

typedef struct
{
  const guint8 *src;
  guint8       *dst;
  int           width, height, stride, radius;
  double        amount;
} UnsharpJob;

static void
unsharp_rows (gpointer data,
              int      y0,
              int      y1)
{
  UnsharpJob *j = data;

  unsharp_band (j->src, j->dst, j->width, j->height, j->stride, j->radius, j->amount, y0, y1);
}

/* gray + amount × (gray − box mean of radius @radius), clamped; bands of
 * rows on every core. */
void
dl_enhance_unsharp (guint8 *gray,
                    int     width,
                    int     height,
                    int     stride,
                    int     radius,
                    double  amount)
{
  g_autofree guint8 *src = g_memdup2 (gray, (gsize) stride * height);
  UnsharpJob job = { src, gray, width, height, stride, radius, amount };

  dl_parallel_ranges (height, (gsize) width * height, unsharp_rows, &job);
}

/* The clipped, equalised mapping of one tile (CLAHE). */
static void
tile_map (const guint8 *gray,
          int           stride,
          int           x0,
          int           y0,
          int           x1,
          int           y1,
          double        clip,
          guint8       *map)
{
  guint hist[256] = { 0 };
  guint n = (guint) ((x1 - x0) * (y1 - y0)), limit, excess = 0, cumulative = 0;

  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      hist[gray[(gsize) y * stride + x]]++;

  limit = MAX (1, (guint) (clip * n / 256.0));
  for (int v = 0; v < 256; v++)
    if (hist[v] > limit)
      {
        excess += hist[v] - limit;
        hist[v] = limit;
      }
  for (int v = 0; v < 256; v++)
    {
      double equalised;

      cumulative += hist[v];
      /* the excess is spread evenly; mixed with the original (40 %) so
       * flat areas keep most of their brightness */
      equalised = 255.0 * (cumulative + excess * (v + 1) / 256.0) / MAX (n, 1);
      map[v] = (guint8) CLAMP (round (0.6 * equalised + 0.4 * v), 0, 255);
    }
}

typedef struct
{
  guint8       *gray;
  const guint8 *maps;
  int           width, height, stride, tw, th, nx, ny;
} ClaheJob;

/* Bilinear between the four nearest tiles' maps, weights in 1/256. */
static void
clahe_rows (gpointer data,
            int      y0,
            int      y1)
{
  ClaheJob *j = data;
  g_autofree int *tx0 = g_new (int, j->width);
  g_autofree int *tx1 = g_new (int, j->width);
  g_autofree int *wx = g_new (int, j->width);

  for (int x = 0; x < j->width; x++)
    {
      double fx = (x + 0.5) / j->tw - 0.5;
      tx0[x] = CLAMP ((int) floor (fx), 0, j->nx - 1);
      tx1[x] = MIN (tx0[x] + 1, j->nx - 1);
      wx[x] = (int) round (CLAMP (fx - tx0[x], 0.0, 1.0) * 256);
    }

  for (int y = y0; y < y1; y++)
    {
      double fy = (y + 0.5) / j->th - 0.5;
      int ty0 = CLAMP ((int) floor (fy), 0, j->ny - 1), ty1 = MIN (ty0 + 1, j->ny - 1);
      int wy = (int) round (CLAMP (fy - ty0, 0.0, 1.0) * 256);
      const guint8 *row0 = j->maps + (gsize) ty0 * j->nx * 256;
      const guint8 *row1 = j->maps + (gsize) ty1 * j->nx * 256;
      guint8 *p = j->gray + (gsize) y * j->stride;

      for (int x = 0; x < j->width; x++)
        {
          guint8 v = p[x];
          int top = (256 - wx[x]) * row0[tx0[x] * 256 + v] + wx[x] * row0[tx1[x] * 256 + v];
          int bottom = (256 - wx[x]) * row1[tx0[x] * 256 + v] + wx[x] * row1[tx1[x] * 256 + v];

          p[x] = (guint8) (((256 - wy) * top + wy * bottom + 32768) >> 16);
        }
    }
}

void
dl_enhance_local_contrast (guint8 *gray,
                           int     width,
                           int     height,
                           int     stride,
                           int     tiles,
                           double  clip)
{
  int tw = MAX (1, (width + tiles - 1) / tiles), th = MAX (1, (height + tiles - 1) / tiles);
  int nx = (width + tw - 1) / tw, ny = (height + th - 1) / th;
  g_autofree guint8 *maps = g_new (guint8, (gsize) nx * ny * 256);

  if (width <= 0 || height <= 0)
    return;

  for (int ty = 0; ty < ny; ty++)
    for (int tx = 0; tx < nx; tx++)
      tile_map (gray, stride, tx * tw, ty * th, MIN ((tx + 1) * tw, width), MIN ((ty + 1) * th, height),
                clip, maps + ((gsize) ty * nx + tx) * 256);

  /* each pixel: bilinear between the maps of the four nearest tile centres */
  {
    ClaheJob job = { gray, maps, width, height, stride, tw, th, nx, ny };

    dl_parallel_ranges (height, (gsize) width * height, clahe_rows, &job);
  }
}

void
dl_enhance_apply (DlEnhance mode,
                  guint8   *gray,
                  int       width,
                  int       height,
                  int       stride)
{
  if (mode == DL_ENHANCE_EDGES)
    dl_enhance_unsharp (gray, width, height, stride, 2, 1.0);
  else if (mode == DL_ENHANCE_LOCAL_CONTRAST)
    dl_enhance_local_contrast (gray, width, height, stride, 8, 8.0);
}
