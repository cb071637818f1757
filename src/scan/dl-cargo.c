/* dl-cargo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-cargo"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dl-cargo.h"
#include "dl-parallel.h"
#include "dl-select.h"
#include "dl-windowing.h"

typedef struct
{
  guint  w, h, stride;
  float *d;        /* density of each sample */
  float *dt;       /* the same by columns (h × w, column-major), for work along them */
  guint8 *mask;    /* 1 object, 0 air; then 2 for cargo */
  float *scratch;  /* w × h, for quantiles over the whole grid */
  float  noise;    /* density noise of air */
} Grid;

/* Sampling the scan's rows onto the grid, a range of grid rows a thread. */
typedef struct
{
  Grid          *g;
  const guint16 *data;
  guint          width;
  const float   *lut;
} Sampling;

/* Lines of a grid for work along them, one after the other in memory:
 * the rows of d and mask, or (by columns) dt and a transposed mask. */
typedef struct
{
  const float  *d;
  const guint8 *mask;
  guint         len;   /* samples a line */
  float        *out;   /* a figure a line */
  double        q;     /* column_bases: the quantile, and its cap */
  float         cap;
} Lines;

#define TRANSPOSE_BLOCK 32

/* Rows [@y_start, @y_end) of @in (w × h) as the same part of the
 * columns of @out (h × w). */
static void
transpose_floats (const float *in,
                  float       *out,
                  guint        w,
                  guint        h,
                  guint        y_start,
                  guint        y_end)
{
  for (guint y0 = y_start; y0 < y_end; y0 += TRANSPOSE_BLOCK)
    for (guint x0 = 0; x0 < w; x0 += TRANSPOSE_BLOCK)
      for (guint y = y0; y < MIN (y0 + TRANSPOSE_BLOCK, y_end); y++)
        for (guint x = x0; x < MIN (x0 + TRANSPOSE_BLOCK, w); x++)
          out[(gsize) x * h + y] = in[(gsize) y * w + x];
}

static guint8 *
transpose_mask (const Grid *g)
{
  guint8 *out = g_new (guint8, (gsize) g->w * g->h);

  for (guint y0 = 0; y0 < g->h; y0 += TRANSPOSE_BLOCK)
    for (guint x0 = 0; x0 < g->w; x0 += TRANSPOSE_BLOCK)
      for (guint y = y0; y < MIN (y0 + TRANSPOSE_BLOCK, g->h); y++)
        for (guint x = x0; x < MIN (x0 + TRANSPOSE_BLOCK, g->w); x++)
          out[(gsize) x * g->h + y] = g->mask[(gsize) y * g->w + x];
  return out;
}

/* The @q-quantile (0…1) of @n values, reordering them. */
static float
quantile (float *v,
          gsize  n,
          double q)
{
  if (n == 0)
    return 0;
  return dl_select_float (v, n, (gsize) MIN (floor (q * (n - 1) + 0.5), n - 1));
}

/* Grid rows [@start, @end): every stride-th sample of every stride-th
 * row as its density, and the same rows into the columns of dt. */
static void
sample_rows (gpointer data,
             int      start,
             int      end)
{
  const Sampling *s = data;
  Grid *g = s->g;

  for (guint y = start; y < (guint) end; y++)
    {
      const guint16 *row = s->data + (gsize) y * g->stride * s->width;
      float *d = g->d + (gsize) y * g->w;

      for (guint x = 0; x < g->w; x++)
        d[x] = s->lut[row[(gsize) x * g->stride]];
    }
  transpose_floats (g->d, g->dt, g->w, g->h, start, end);
}

static void
grid_sample (Grid          *g,
             const guint16 *data,
             guint          width,
             guint          height,
             double         i0)
{
  g_autofree float *lut = g_new (float, DL_LUT_SIZE);
  Sampling sampling = { g, data, width, lut };
  guint64 n = (guint64) width * height;
  gsize cells;

  g->stride = MAX (1, (guint) ceil (sqrt ((double) n / DL_CARGO_MAX_SAMPLES)));
  g->w = (width + g->stride - 1) / g->stride;
  g->h = (height + g->stride - 1) / g->stride;
  cells = (gsize) g->w * g->h;
  /* each written whole before it is read (mask by mark_object ()) */
  g->d = g_new (float, cells);
  g->dt = g_new (float, cells);
  g->scratch = g_new (float, cells);
  g->mask = g_new (guint8, cells);
  for (guint v = 0; v < DL_LUT_SIZE; v++)
    lut[v] = (float) dl_density (v, i0);
  dl_parallel_ranges (g->h, cells * 4, sample_rows, &sampling);
}

/* Air: within its own noise of zero density. */
static void
mark_object (Grid *g)
{
  gsize n = (gsize) g->w * g->h, m = 0;
  float *air = g->scratch;
  float median, threshold;

  for (gsize i = 0; i < n; i++)
    if (g->d[i] < 0.1f)
      air[m++] = g->d[i];
  median = quantile (air, m, 0.5);
  for (gsize i = 0; i < m; i++)
    air[i] = fabsf (air[i] - median);
  g->noise = m > 16 ? 1.4826f * quantile (air, m, 0.5) : 0.005f;
  threshold = MAX (0.02f, median + 5 * g->noise);
  for (gsize i = 0; i < n; i++)
    g->mask[i] = g->d[i] > threshold;
}

/* The 20th percentile of density over the object along a row (@along_x)
 * or a column, 0 where under 5 % of it is object or where the line is
 * not even (its 20th percentile under 0.6 of its 80th): high only where
 * the line is evenly dense over four fifths of its length, as a floor or
 * a post is, and cargo, with room above it and gaps between, seldom is. */
static void
profile_lines (gpointer data,
               int      start,
               int      end)
{
  const Lines *l = data;
  g_autofree float *v = g_new (float, l->len);

  for (int line = start; line < end; line++)
    {
      const float *d = l->d + (gsize) line * l->len;
      const guint8 *mask = l->mask + (gsize) line * l->len;
      gsize m = 0, k20, k80;
      float p20, p80;

      for (guint k = 0; k < l->len; k++)
        if (mask[k])
          v[m++] = d[k];
      if (m * 20 < l->len)
        {
          l->out[line] = 0;
          continue;
        }
      /* the 20th percentile, then the 80th among what lies above it */
      k20 = (gsize) floor (0.2 * (m - 1) + 0.5);
      k80 = (gsize) floor (0.8 * (m - 1) + 0.5);
      p20 = dl_select_float (v, m, k20);
      p80 = k80 > k20 ? dl_select_float (v + k20, m - k20, k80 - k20) : p20;
      l->out[line] = p20 >= 0.6f * p80 ? p20 : 0;
    }
}

/* Lines in parallel, @func over each. */
static void
each_line (const Grid  *g,
           gboolean     along_x,
           Lines       *lines,
           DlRangeFunc  func)
{
  g_autofree guint8 *mask_t = along_x ? NULL : transpose_mask (g);

  lines->d = along_x ? g->d : g->dt;
  lines->mask = along_x ? g->mask : mask_t;
  lines->len = along_x ? g->w : g->h;
  /* a line is a few selections over it: worth a thread from a few thousand samples */
  dl_parallel_ranges (along_x ? g->h : g->w, (gsize) g->w * g->h * 16, func, lines);
}

static void
profile (const Grid *g,
         gboolean    along_x,
         float      *out)
{
  Lines lines = { .out = out };

  each_line (g, along_x, &lines, profile_lines);
}

/* Min, or max (@take_max), over a window of 2 @r + 1, in one pass: a
 * queue of the indices whose values can still be the extreme, kept
 * monotonic (each index goes in and out once, whatever @r). */
static void
sweep (const float *in,
       float       *out,
       guint        n,
       guint        r,
       gboolean     take_max)
{
  g_autofree guint *q = g_new (guint, MAX (n, 1));
  guint head = 0, tail = 0, next = 0;

  for (guint i = 0; i < n; i++)
    {
      guint hi = MIN ((guint64) i + r, (guint64) n - 1);
      guint lo = i > r ? i - r : 0;

      for (; next <= hi; next++)
        {
          while (tail > head && (take_max ? in[q[tail - 1]] <= in[next] : in[q[tail - 1]] >= in[next]))
            tail--;
          q[tail++] = next;
        }
      while (q[head] < lo)
        head++;
      out[i] = in[q[head]];
    }
}

/* Lines of edge-on structure: ridges of the profile thinner than 8 % of
 * the extent, by a morphological opening (erode, then dilate).  A
 * conveyance has a few of them; when over a quarter of the lines look
 * like one, they are cargo (a full load, evenly packed), and none is. */
static guint8 *
find_ridges (const Grid *g,
             gboolean    along_x)
{
  guint n = along_x ? g->h : g->w;
  guint r = MAX (2, n / 25);
  g_autofree float *p = g_new (float, n);
  g_autofree float *eroded = g_new (float, n);
  g_autofree float *opened = g_new (float, n);
  guint8 *ridge = g_new0 (guint8, n);
  guint count = 0;

  profile (g, along_x, p);
  sweep (p, eroded, n, r, FALSE);
  sweep (eroded, opened, n, r, TRUE);

  for (guint i = 0; i < n; i++)
    count += ridge[i] = p[i] - opened[i] > MAX (0.1f, 0.3f * opened[i]);
  if (count * 4 > n)
    memset (ridge, 0, n);
  return ridge;
}

static gsize
count_mask (const Grid *g,
            guint8      value)
{
  gsize count = 0;

  for (gsize i = 0; i < (gsize) g->w * g->h; i++)
    count += g->mask[i] == value;
  return count;
}

static void
column_bases (gpointer data,
              int      start,
              int      end)
{
  const Lines *l = data;
  g_autofree float *v = g_new (float, l->len);

  for (int x = start; x < end; x++)
    {
      const float *d = l->d + (gsize) x * l->len;
      const guint8 *mask = l->mask + (gsize) x * l->len;
      gsize m = 0;

      for (guint y = 0; y < l->len; y++)
        if (mask[y])
          v[m++] = d[y];
      l->out[x] = MIN (quantile (v, m, l->q), l->cap);
    }
}

/* Per column: above the face-on walls (its 5th percentile, capped). */
static void
mark_cargo (Grid  *g,
            float  cap)
{
  g_autofree float *base = g_new (float, g->w);
  Lines lines = { .out = base, .q = 0.05, .cap = cap };
  float margin = MAX (0.03f, 3 * g->noise);

  each_line (g, FALSE, &lines, column_bases);
  for (guint y = 0; y < g->h; y++)
    for (guint x = 0; x < g->w; x++)
      {
        gsize i = (gsize) y * g->w + x;
        if (g->mask[i] && g->d[i] > base[x] + margin)
          g->mask[i] = 2;
      }
}

static float
object_quantile (const Grid *g,
                 double      q)
{
  gsize n = (gsize) g->w * g->h, m = 0;
  float *v = g->scratch;

  for (gsize i = 0; i < n; i++)
    if (g->mask[i])
      v[m++] = g->d[i];
  return quantile (v, m, q);
}

/* The object without its edge-on structure: rows and columns of ridges
 * are taken out of the mask. */
static void
remove_structure (Grid *g)
{
  g_autofree guint8 *rows = find_ridges (g, TRUE);
  g_autofree guint8 *cols = find_ridges (g, FALSE);

  for (guint y = 0; y < g->h; y++)
    for (guint x = 0; x < g->w; x++)
      if (rows[y] || cols[x])
        g->mask[(gsize) y * g->w + x] = 0;
}

static void
grid_find_cargo (Grid          *g,
                 const guint16 *data,
                 guint          width,
                 guint          height,
                 double         i0)
{
  gsize object, cargo;

  grid_sample (g, data, width, height, i0);
  mark_object (g);
  remove_structure (g);
  object = count_mask (g, 1);
  if (object == 0)
    return;
  mark_cargo (g, 2 * object_quantile (g, 0.02));
  cargo = count_mask (g, 2);
  if (cargo * 100 < object)
    for (gsize i = 0; i < (gsize) g->w * g->h; i++)
      g->mask[i] = g->mask[i] ? 2 : 0;
}

/**
 * dl_cargo_mask_new:
 * @stride: (out): the subsampling step; the mask has
 *   ⌈@width / @stride⌉ × ⌈@height / @stride⌉ entries
 *
 * Returns: (transfer full): 1 where a sample is cargo, 0 elsewhere.
 */
guint8 *
dl_cargo_mask_new (const guint16 *data,
                   guint          width,
                   guint          height,
                   double         i0,
                   guint         *stride)
{
  Grid g = { 0 };

  g_return_val_if_fail (data != NULL && width > 0 && height > 0, NULL);

  grid_find_cargo (&g, data, width, height, i0 > 0 ? i0 : 65535.0);
  for (gsize i = 0; i < (gsize) g.w * g.h; i++)
    g.mask[i] = g.mask[i] == 2;
  g_free (g.d);
  g_free (g.dt);
  g_free (g.scratch);
  *stride = g.stride;
  return g.mask;
}

/**
 * dl_cargo_histogram_new:
 *
 * Returns: (transfer full): the histogram of the cargo's samples, or
 * %NULL when no cargo (nor any object) was found.
 */
DlHistogram *
dl_cargo_histogram_new (const guint16 *data,
                        guint          width,
                        guint          height,
                        double         i0)
{
  g_autofree guint8 *mask = NULL;
  g_autofree guint16 *values = NULL;
  guint stride, gw, gh;
  gsize m = 0;

  g_return_val_if_fail (width == 0 || data != NULL, NULL);

  if (width == 0 || height == 0)
    return NULL;
  mask = dl_cargo_mask_new (data, width, height, i0, &stride);
  gw = (width + stride - 1) / stride;
  gh = (height + stride - 1) / stride;
  values = g_new (guint16, (gsize) gw * gh);
  for (guint y = 0; y < gh; y++)
    for (guint x = 0; x < gw; x++)
      if (mask[(gsize) y * gw + x])
        values[m++] = data[(gsize) y * stride * width + (gsize) x * stride];
  return m > 0 ? dl_histogram_new (values, m) : NULL;
}
