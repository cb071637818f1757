/* dl-enhance.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "dl-enhance.h"

/* Box sums of radius @r along a line of @n values @step apart, edges
 * replicated, with a running sum: O(1) a value. */
static void
box_sums (const guint32 *src,
          guint32       *dst,
          int            n,
          gsize          step,
          int            r)
{
  guint32 sum = 0;

  for (int i = -r; i <= r; i++)
    sum += src[(gsize) CLAMP (i, 0, n - 1) * step];
  for (int i = 0; i < n; i++)
    {
      dst[(gsize) i * step] = sum;
      sum += src[(gsize) MIN (i + r + 1, n - 1) * step] - src[(gsize) MAX (i - r, 0) * step];
    }
}

/* gray + amount × (gray − box mean of radius @radius), clamped. */
void
dl_enhance_unsharp (guint8 *gray,
                    int     width,
                    int     height,
                    int     stride,
                    int     radius,
                    double  amount)
{
  gsize n = (gsize) width * height;
  g_autofree guint32 *a = g_new (guint32, n);
  g_autofree guint32 *b = g_new (guint32, n);
  int area = (2 * radius + 1) * (2 * radius + 1);
  int k = (int) round (amount * 256);   /* amount in 1/256 */

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      a[(gsize) y * width + x] = gray[(gsize) y * stride + x];
  for (int y = 0; y < height; y++)
    box_sums (a + (gsize) y * width, b + (gsize) y * width, width, 1, radius);
  /* vertical: running column sums, row by row (cache friendly) */
  {
    g_autofree guint32 *col = g_new0 (guint32, width);

    for (int i = -radius; i <= radius; i++)
      {
        const guint32 *row = b + (gsize) CLAMP (i, 0, height - 1) * width;
        for (int x = 0; x < width; x++)
          col[x] += row[x];
      }
    for (int y = 0; y < height; y++)
      {
        const guint32 *add = b + (gsize) MIN (y + radius + 1, height - 1) * width;
        const guint32 *sub = b + (gsize) MAX (y - radius, 0) * width;
        guint32 *dst = a + (gsize) y * width;

        for (int x = 0; x < width; x++)
          {
            dst[x] = col[x];
            col[x] += add[x] - sub[x];
          }
      }
  }

  {
    /* g + amount × (g − sum / area), with 1 / area as a 16.16 fixed-point factor */
    gint64 inverse = ((gint64) k << 16) / area;

    for (int y = 0; y < height; y++)
      for (int x = 0; x < width; x++)
        {
          guint8 *p = gray + (gsize) y * stride + x;
          int g = *p;
          int v = g + (int) ((inverse * (g * area - (int) a[(gsize) y * width + x]) + (1 << 23)) >> 24);
          *p = (guint8) CLAMP (v, 0, 255);
        }
  }
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
  for (int y = 0; y < height; y++)
    {
      double fy = (y + 0.5) / th - 0.5;
      int ty0 = CLAMP ((int) floor (fy), 0, ny - 1), ty1 = MIN (ty0 + 1, ny - 1);
      double wy = CLAMP (fy - ty0, 0.0, 1.0);

      for (int x = 0; x < width; x++)
        {
          double fx = (x + 0.5) / tw - 0.5;
          int tx0 = CLAMP ((int) floor (fx), 0, nx - 1), tx1 = MIN (tx0 + 1, nx - 1);
          double wx = CLAMP (fx - tx0, 0.0, 1.0);
          guint8 *p = gray + (gsize) y * stride + x;
          guint8 v = *p;
          double top = (1 - wx) * maps[((gsize) ty0 * nx + tx0) * 256 + v] + wx * maps[((gsize) ty0 * nx + tx1) * 256 + v];
          double bottom = (1 - wx) * maps[((gsize) ty1 * nx + tx0) * 256 + v] + wx * maps[((gsize) ty1 * nx + tx1) * 256 + v];

          *p = (guint8) round ((1 - wy) * top + wy * bottom);
        }
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
