/* dl-profile-fit-measure.c — what one scan of the test object tells of
 * the scanner: the blur (each vertical edge's spread fitted by a Gaussian
 * of the intensity), the noise (the variance of the counts against their
 * mean), the plateaus of the blocks and the SNR of the plates' features.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-profile-fit"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "dl-profile-fit-private.h"
#include "dl-select.h"

#define MAX_RADIUS  8       /* of the blur kernel, px: σ up to 2.6 */
#define MIN_SIGMA   0.2
#define MAX_SIGMA   2.6
#define EDGE_A_MIN  0.2     /* edges of blocks this dense … */
#define EDGE_A_MAX  3.0     /* … to this: contrast without starving the counts */

/* Clear of the blur: the air an edge blurs in is many times the counts
 * of a dense block. */
guint
_dl_fit_edge_margin (const FitContext *ctx)
{
  return (guint) ceil (3 * ctx->sigma) + 1;
}

/* … and of the classifier's smoothing, which the ratio goes through. */
guint
_dl_fit_margin (const FitContext *ctx)
{
  return _dl_fit_edge_margin (ctx) + DL_FIT_SMOOTH_RADIUS;
}

/* ---- blur ------------------------------------------------------------------ */

typedef struct
{
  double profile[2 * 12 + 1];   /* mean counts of the columns around the edge */
  int    first;                 /* the column of profile[0] */
  guint  n;
  double air, a_block;          /* the levels either side */
  gboolean left;                /* the block is right of the edge */
} Edge;

static int
kernel (double sigma, double *k)
{
  int r = MIN (MAX_RADIUS, MAX (3, (int) ceil (3 * sigma)));
  double sum = 0;

  for (int i = -r; i <= r; i++)
    sum += k[i + r] = exp (-(i * i) / (2 * sigma * sigma));
  for (int i = 0; i < 2 * r + 1; i++)
    k[i] /= sum;
  return r;
}

/* Squared misfit of @e's profile to a sharp edge at @pos (px), sampled by
 * pixels, then blurred by a Gaussian of @sigma. */
static double
edge_misfit (const Edge *e, double pos, double sigma)
{
  double k[2 * MAX_RADIUS + 1], sum = 0;
  int r = kernel (sigma, k);

  for (guint j = 0; j < e->n; j++)
    {
      int x = e->first + (int) j;
      double model = 0;

      for (int i = -r; i <= r; i++)
        {
          double xi = x + i;
          double c = e->left ? CLAMP (xi + 1 - pos, 0, 1) : CLAMP (pos - xi, 0, 1);
          model += k[i + r] * e->air * exp (-e->a_block * c);
        }
      sum += (e->profile[j] - model) * (e->profile[j] - model);
    }
  return sum;
}

/* The σ and position of least misfit: a coarse grid, then a fine one. */
static double
fit_edge (const Edge *e, double pos0, double *rms)
{
  double best = G_MAXDOUBLE, bs = 1, bp = pos0;

  for (double s = MIN_SIGMA; s <= MAX_SIGMA + 1e-9; s += 0.05)
    for (double p = pos0 - 1.5; p <= pos0 + 1.5 + 1e-9; p += 0.05)
      {
        double m = edge_misfit (e, p, s);
        if (m < best)
          best = m, bs = s, bp = p;
      }
  for (double s = MAX (MIN_SIGMA, bs - 0.05); s <= MIN (MAX_SIGMA, bs + 0.05) + 1e-9; s += 0.004)
    for (double p = bp - 0.05; p <= bp + 0.05 + 1e-9; p += 0.005)
      {
        double m = edge_misfit (e, p, s);
        if (m < best)
          best = m, bs = s, bp = p;
      }
  *rms = sqrt (best / e->n);
  return bs;
}

/* The mean counts of the high channel over rows @y0 … @y1 − 1 in column @x. */
static double
column_mean (const FitContext *ctx, int x, int y0, int y1)
{
  double sum = 0;

  x = CLAMP (x, 0, (int) ctx->w - 1);
  for (int y = y0; y < y1; y++)
    sum += ctx->high->data[(gsize) y * ctx->w + x];
  return sum / MAX (y1 - y0, 1);
}

static gboolean
make_edge (const FitContext *ctx, const DlFitBlock *b, gboolean left, int half, Edge *e)
{
  int y0 = (int) ceil (b->box_px[1]) + MAX_RADIUS, y1 = (int) floor (b->box_px[3]) - MAX_RADIUS;
  int cx = (int) ((b->box_px[0] + b->box_px[2]) / 2), wx = (int) ((b->box_px[2] - b->box_px[0]) / 4);
  double level = 0;
  double pos = left ? b->box_px[0] : b->box_px[2];

  if (y1 - y0 < 4 || wx < 1)
    return FALSE;
  for (int x = cx - wx; x <= cx + wx; x++)
    level += column_mean (ctx, x, y0, y1);
  level /= 2 * wx + 1;
  e->air = ctx->i0h;
  e->a_block = log (e->air / MAX (level, 1));
  e->left = left;
  e->first = (int) floor (pos) - half;
  e->n = 2 * half + 1;
  for (guint j = 0; j < e->n; j++)
    e->profile[j] = column_mean (ctx, e->first + (int) j, y0, y1);
  return e->a_block >= EDGE_A_MIN && e->a_block <= EDGE_A_MAX
         && e->first >= 0 && e->first + (int) e->n <= (int) ctx->w;
}

/* The half width of an edge's window: clear of the neighbouring blocks. */
static int
edge_half_width (const FitContext *ctx, const DlTestSeries *s)
{
  return CLAMP ((int) floor (s->gap_mm / ctx->px / 2), 2, 12);
}

gboolean
_dl_fit_blur (FitContext  *ctx,
              GError     **error)
{
  g_autoptr(GArray) sigmas = g_array_new (FALSE, FALSE, sizeof (double));
  double rms_sum = 0, mean = 0, var = 0;

  for (guint i = 0; i < ctx->fit->blocks->len; i++)
    {
      const DlFitBlock *b = &g_array_index (ctx->fit->blocks, DlFitBlock, i);
      const DlTestSeries *s = g_ptr_array_index (ctx->object->series, b->series);

      if (s->kind != DL_TEST_SERIES_WEDGE)
        continue;
      for (int side = 0; side < 2; side++)
        {
          Edge e;
          double rms, sigma;

          if (!make_edge (ctx, b, side == 0, edge_half_width (ctx, s), &e))
            continue;
          sigma = fit_edge (&e, side == 0 ? b->box_px[0] : b->box_px[2], &rms);
          g_array_append_val (sigmas, sigma);
          rms_sum += rms;
        }
    }
  if (sigmas->len < 4)
    {
      g_set_error (error, DL_PROFILE_FIT_ERROR, DL_PROFILE_FIT_ERROR_FIT,
                   _("Too few step edges (%u) of attenuation %.1f to %.1f to measure the blur"),
                   sigmas->len, EDGE_A_MIN, EDGE_A_MAX);
      return FALSE;
    }
  g_array_sort (sigmas, dl_compare_double);
  for (guint i = 0; i < sigmas->len; i++)
    mean += g_array_index (sigmas, double, i) / sigmas->len;
  for (guint i = 0; i < sigmas->len; i++)
    var += pow (g_array_index (sigmas, double, i) - mean, 2) / sigmas->len;
  ctx->sigma = ctx->fit->blur_sigma = g_array_index (sigmas, double, sigmas->len / 2);
  ctx->fit->blur_spread = sqrt (var);
  ctx->fit->blur_rms = rms_sum / sigmas->len;
  ctx->fit->blur_edges = sigmas->len;
  return TRUE;
}

/* ---- plateaus ---------------------------------------------------------------- */

/* The feature's square in pixels, grown (@grow > 0) or shrunk by @grow px. */
static void
feature_box (const FitContext *ctx, const DlFitBlock *b, double grow, int *box)
{
  const DlTestSeries *s = g_ptr_array_index (ctx->object->series, b->series);
  double cx = (b->box_px[0] + b->box_px[2]) / 2, cy = (b->box_px[1] + b->box_px[3]) / 2;
  double hx = s->feature_size_mm / ctx->px / 2 + grow, hy = s->feature_size_mm / ctx->py / 2 + grow;

  box[0] = (int) ceil (cx - hx);
  box[1] = (int) ceil (cy - hy);
  box[2] = (int) floor (cx + hx);   /* end exclusive */
  box[3] = (int) floor (cy + hy);
}

static gboolean
inside (const int *box, int x, int y)
{
  return x >= box[0] && x < box[2] && y >= box[1] && y < box[3];
}

void
_dl_fit_measure_block (FitContext *ctx,
                       DlFitBlock *b)
{
  const DlTestSeries *s = g_ptr_array_index (ctx->object->series, b->series);
  int m = (int) _dl_fit_margin (ctx), hole[4] = { 0, 0, 0, 0 };
  int x0 = (int) ceil (b->box_px[0]) + m, x1 = (int) floor (b->box_px[2]) - m;
  int y0 = (int) ceil (b->box_px[1]) + m, y1 = (int) floor (b->box_px[3]) - m;
  double sum[6] = { 0 }, sq[3] = { 0 };
  guint n = 0;

  if (s->kind != DL_TEST_SERIES_WEDGE)
    feature_box (ctx, b, m, hole);
  for (int y = MAX (y0, 0); y < MIN (y1, (int) ctx->h); y++)
    for (int x = MAX (x0, 0); x < MIN (x1, (int) ctx->w); x++)
      {
        gsize k = (gsize) y * ctx->w + x;
        double r = ctx->sl[k] > 0 ? ctx->sh[k] / ctx->sl[k] : 0;
        double ih = ctx->high->data[k], il = ctx->low->data[k];

        if (inside (hole, x, y))
          continue;
        sum[0] += ctx->ah[k];
        sum[1] += ctx->al[k];
        sum[2] += r;
        sq[0] += r * r;
        sum[3] += ih;
        sq[1] += ih * ih;
        sum[4] += il;
        sq[2] += il * il;
        n++;
      }
  b->n_pixels = n;
  if (n == 0)
    return;
  b->a_high = sum[0] / n;
  b->a_low = sum[1] / n;
  b->ratio = sum[2] / n;
  b->ratio_sigma = sqrt (MAX (sq[0] / n - b->ratio * b->ratio, 0));
  b->mean_high = sum[3] / n;
  b->var_high = n > 1 ? MAX (sq[1] - n * b->mean_high * b->mean_high, 0) / (n - 1) : 0;
  b->mean_low = sum[4] / n;
  b->var_low = n > 1 ? MAX (sq[2] - n * b->mean_low * b->mean_low, 0) / (n - 1) : 0;
}

/* SNR of a plate's feature: its mean excess attenuation over the plate's,
 * times the square root of its pixels, over the plate's spread per pixel. */
void
_dl_fit_feature (FitContext *ctx,
                 DlFitBlock *b)
{
  int m = (int) _dl_fit_edge_margin (ctx), f[4];
  int mx0 = (int) ceil (b->box_px[0]) + m, mx1 = (int) floor (b->box_px[2]) - m;
  int my0 = (int) ceil (b->box_px[1]) + m, my1 = (int) floor (b->box_px[3]) - m;
  double sum = 0, bg_sq = 0, bg = 0;
  guint n = 0, nb = 0;

  feature_box (ctx, b, -ceil (ctx->sigma), f);
  if (f[2] <= f[0] || f[3] <= f[1])   /* smaller than the blur: its middle pixel */
    {
      f[0] = (int) ((b->box_px[0] + b->box_px[2]) / 2);
      f[1] = (int) ((b->box_px[1] + b->box_px[3]) / 2);
      f[2] = f[0] + 1;
      f[3] = f[1] + 1;
    }
  for (int y = MAX (f[1], 0); y < MIN (f[3], (int) ctx->h); y++)
    for (int x = MAX (f[0], 0); x < MIN (f[2], (int) ctx->w); x++, n++)
      sum += ctx->ah[(gsize) y * ctx->w + x];
  feature_box (ctx, b, m, f);
  for (int y = MAX (my0, 0); y < MIN (my1, (int) ctx->h); y++)
    for (int x = MAX (mx0, 0); x < MIN (mx1, (int) ctx->w); x++)
      if (!inside (f, x, y))
        {
          double a = ctx->ah[(gsize) y * ctx->w + x];
          bg += a;
          bg_sq += a * a;
          nb++;
        }
  b->snr = 0;
  if (n > 0 && nb > 1)
    {
      double mean = bg / nb, sd = sqrt (MAX (bg_sq / nb - mean * mean, 0));
      if (sd > 0)
        b->snr = (sum / n - mean) / sd * sqrt (n);
    }
}

/* ---- noise ------------------------------------------------------------------- */

/* var = a · mean + b over the wedges' plateaus, weighted by the inverse
 * square of the variance expected (from the means first, then from the
 * line itself): a = I0 / N0 (N0 the photons of an air pixel), b = σ_e². */
static void
fit_line (const double *mean, const double *var, guint n, double *a, double *b)
{
  *a = 1, *b = 0;
  for (guint pass = 0; pass < 3; pass++)
    {
      double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, det;

      for (guint i = 0; i < n; i++)
        {
          double expect = MAX (*a * mean[i] + *b, 1e-6), w = 1 / (expect * expect);
          sw += w;
          sx += w * mean[i];
          sy += w * var[i];
          sxx += w * mean[i] * mean[i];
          sxy += w * mean[i] * var[i];
        }
      det = sw * sxx - sx * sx;
      if (det == 0)
        {
          *a = *b = 0;
          return;
        }
      *a = (sw * sxy - sx * sy) / det;
      *b = (sy - *a * sx) / sw;
      if (*a <= 0)
        return;
    }
}

void
_dl_fit_noise (FitContext *ctx)
{
  guint n = 0, len = ctx->fit->blocks->len + 1;
  g_autofree double *mh = g_new (double, len), *vh = g_new (double, len);
  g_autofree double *ml = g_new (double, len), *vl = g_new (double, len);
  double ah, bh, al, bl;

  for (guint i = 0; i < ctx->fit->blocks->len; i++)
    {
      const DlFitBlock *b = &g_array_index (ctx->fit->blocks, DlFitBlock, i);
      const DlTestSeries *s = g_ptr_array_index (ctx->object->series, b->series);

      if (s->kind != DL_TEST_SERIES_WEDGE || b->n_pixels < 16 || b->var_high <= 0 || b->var_low <= 0)
        continue;
      mh[n] = b->mean_high, vh[n] = b->var_high;
      ml[n] = b->mean_low, vl[n] = b->var_low;
      n++;
    }
  if (n < 3)
    return;
  fit_line (mh, vh, n, &ah, &bh);
  fit_line (ml, vl, n, &al, &bl);
  ctx->fit->photons_high = ah > 0 ? ctx->i0h / ah : 0;
  ctx->fit->photons_low = al > 0 ? ctx->i0l / al : 0;
  ctx->fit->noise_floor = bh > 0 && bl > 0 ? sqrt ((bh + bl) / 2) : 0;
}
