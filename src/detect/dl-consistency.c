/* dl-consistency.c — the scan checked against its manifest.
 *
 * Measuring.  With A = ln (I0 / I) in both channels of the side view:
 *
 * 1. The conveyance is found as the extent of what attenuates; its floor
 *    (a horizontal band dark in every column: plywood across the whole
 *    width) and its roof (the darkest row of its top tenth) bound the
 *    cargo space; the floor's half thickness is read below it, where no
 *    cargo can be.
 * 2. The conveyance's own attenuation in the cargo space — side walls,
 *    corner posts, stanchions, curtains — is a per-column baseline: the
 *    mean of the column's cargo-free pixels (those within a noise margin
 *    of its 10th percentile), in both channels.  Cargo never fills a
 *    column up to the roof in practice; where it does, the baseline is
 *    too high and the mass too low.  Columns behind an opaque structure
 *    (end walls, doors) cannot be measured and are left out.
 * 3. What remains, the cargo's own attenuation, is classified afresh with
 *    the calibration (the scan's classes mix in the walls' steel, which
 *    shifts thin organic goods towards metal), and turned into areal mass
 *    with the mass attenuation coefficient of its class at the profile's
 *    high energy: m = A_high / (μ/ρ), summed over the pixel area.  Pixels
 *    too thin or too dense to classify get the attenuation-weighted mean
 *    coefficient of the classified ones.  The A weighed is taken from
 *    intensities with the detector's blur (the profile's Gaussian)
 *    undone by a few Richardson–Lucy steps within the cargo space: the
 *    detector blurs intensity, and the logarithm of a blurred sharp
 *    structure (a tyre's steel belt) is less than its attenuation.
 * 4. With a top view (view 1) the same is measured there — its cargo
 *    space the rows between the side walls, its baseline the lowest
 *    rows of each column, rows dark along the whole length (a trailer's
 *    chassis) left out — and the views compared in stretches of 20 cm
 *    along the length, the axis both share.  Mass does not depend on the
 *    view and each view only loses (steel sheets edge-on to the side
 *    beam — car floors and roofs — read as blurred dark lines, machine
 *    blocks behind one another as opaque), so where the top view weighs
 *    clearly more, beyond what the views' coefficients may differ by and
 *    what lies under the floor there in the side view (a trailer's
 *    wheels, which the top view sees among the cargo), its columns are
 *    taken.  The material shares stay the side view's.
 *
 * The uncertainty of the mass combines the spread of μ/ρ within each
 * class, the baseline's standard error per column, the loss at edges, the
 * deblurring (uncertain by as much as it added), the rows next to the
 * floor and roof (which may hold their blurred edges rather than cargo)
 * and the mass behind opaque pixels, which is only a lower bound.  On the
 * synthetic scenes with their top view it covers the error on every one;
 * with a side view alone, vehicles and machinery are lower bounds, and
 * only the opaque part of that is known.

 * Hints.  Weight: the declared gross mass below the estimate by over
 * 2.5 σ, or above it by over 2.5 σ and 40 % (a single side view loses
 * mass in sheets edge-on to the beam: a blurred opaque line reads as a
 * merely dark one; with much mass behind opaque pixels the estimate is
 * only a lower bound, and a shortfall says nothing).
 * Material: a class measured with a clearly larger share than the
 * declared goods' expected materials (dl-hs.h), by declared mass, leave
 * room for.  Empty: a container declared empty holding a measurable mass.
 * Dense: a compact region of metal (or of cargo too dense to see through
 * next to metal) when no declared goods are metal, mixed or packed in
 * metal; and a region beyond what organic goods filling the whole width
 * at the density of water could attenuate, when all declared goods are
 * organic.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-consistency"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dl-consistency.h"
#include "dl-json-build.h"
#include "dl-regions.h"
#include "dl-select.h"

#define OBJECT_A         0.05    /* attenuation that is surely something, not noise */
#define MIN_EXTENT       10      /* pixels a row or column needs to belong to the conveyance */
#define BASE_MAX         5.0     /* columns with a baseline above this are not measured */
#define OPAQUE_COUNTS    10.0    /* transmitted counts under which A is only a lower bound */
#define CLASSIFY_I0      30000.0 /* I0 of the cargo-only planes handed to the classifier */
#define WEIGHT_K         2.5     /* σ a declared mass may be off before a hint */
#define DEBLUR_ITERATIONS 10    /* Richardson–Lucy: enough for the blur, before noise grows */
#define VIEW_WINDOW      40      /* columns compared between the views at a time */
#define VIEW_SLACK       0.05    /* relative: the views' coefficients may differ by this */
#define EDGE_LOSS        0.03    /* relative: logarithm of blurred edges, unmodelled structure */
#define MATERIAL_SLACK   0.3     /* share a class may exceed what the declaration explains */
#define MATERIAL_MIN_SHARE 0.25  /* classified share needed to judge materials */
#define EMPTY_MIN_KG     50.0
#define SHORTFALL_MIN    0.4     /* share of the declared mass the scan must fall short by */
#define METAL_GOODS_SLACK 0.15   /* more room when metal goods are declared: their rubber and plastic parts */
#define OPAQUE_MAX_SHARE 0.05    /* share of the mass behind opaque pixels that makes the estimate a lower bound */
#define DENSE_MIN_CM2    100.0   /* area of a dense region worth a hint */
#define ORGANIC_MAX_DENSITY 1.0  /* g/cm³: water, the densest common organic bulk */

/* ---- mass attenuation per class ------------------------------------------- */

typedef struct
{
  double      mu[DL_HS_N_MATERIALS];         /* cm²/g at the high energy, by DlHsMaterial */
  double      rel_sigma[DL_HS_N_MATERIALS];  /* spread within the class */
  double      blur_sigma;                    /* the detector's Gaussian blur, pixels; 0 unknown */
} MassAttenuation;

G_STATIC_ASSERT ((int) DL_HS_MATERIAL_MIXED == (int) DL_CLASS_NONE
                 && (int) DL_HS_MATERIAL_ORGANIC == (int) DL_CLASS_ORGANIC
                 && (int) DL_HS_MATERIAL_INORGANIC == (int) DL_CLASS_INORGANIC
                 && (int) DL_HS_MATERIAL_METAL == (int) DL_CLASS_METAL);

/* The coefficients of @calibration's profile ([mass], dl-material.h).  A
 * calibration without them (an old calibration file) is weighed with the
 * generator's profile's and a wider spread: μ/ρ falls by about a fifth
 * per MeV here. */
static void
find_mass_attenuation (const DlCalibration *calibration,
                       MassAttenuation     *out,
                       double              *extra_sigma)
{
  const DlCalibration *from = calibration->has_mass ? calibration : dl_calibration_get_default ();

  memcpy (out->mu, from->mu, sizeof out->mu);
  memcpy (out->rel_sigma, from->mu_rel_sigma, sizeof out->rel_sigma);
  out->blur_sigma = from->blur_sigma;
  *extra_sigma = calibration->has_mass ? 0 : 0.15;
}

/* DlMaterialClass → DlHsMaterial (MIXED for what has no class) */
static DlHsMaterial
material_of_class (guint8 klass)
{
  switch (klass)
    {
    case DL_CLASS_ORGANIC: return DL_HS_MATERIAL_ORGANIC;
    case DL_CLASS_INORGANIC: return DL_HS_MATERIAL_INORGANIC;
    case DL_CLASS_METAL:
    case DL_CLASS_HEAVY: return DL_HS_MATERIAL_METAL;
    default: return DL_HS_MATERIAL_MIXED;
    }
}

/* ---- the frame: attenuations, conveyance, cargo space ------------------------ */

typedef struct
{
  guint   w, h;
  float  *ah, *al;         /* A of the high and low channel, whole view */
  float  *ad;              /* A of the high channel with the detector's blur undone, or NULL */
  double  i0_high;
  double  pixel_cm2;
  guint   x0, x1, y0, y1;  /* the conveyance, end exclusive */
  guint   cy0, cy1;        /* rows of the cargo space */
  float  *base_h, *base_l; /* per column of [x0, x1) */
  float  *base_d;          /* of ad */
  float  *base_se;         /* standard error of base_h */
  guint8  *skip;           /* rows left out of the cargo space, NULL none */
  gboolean top;            /* the beam runs down through the roof: rows run across the width */
  gboolean *usable;
} Frame;

static void
frame_clear (Frame *f)
{
  g_free (f->ah);
  g_free (f->al);
  g_free (f->ad);
  g_free (f->skip);
  g_free (f->base_d);
  g_free (f->base_h);
  g_free (f->base_l);
  g_free (f->base_se);
  g_free (f->usable);
}

static float *
attenuation_map (const DlPlane *p,
                 double         i0)
{
  gsize n = (gsize) p->width * p->height;
  float *a = g_new (float, n);
  float lut[65536];

  for (guint v = 0; v < 65536; v++)
    lut[v] = log (i0 / MAX (v, 1));
  for (gsize k = 0; k < n; k++)
    a[k] = lut[p->data[k]];
  return a;
}

/* Separable Gaussian blur (σ @sigma px, 7 taps, edges repeated), in place. */
static void
gauss_blur (float  *img,
            guint   w,
            guint   h,
            double  sigma,
            float  *tmp)
{
  float k[7];
  double sum = 0;

  for (int i = -3; i <= 3; i++)
    sum += k[i + 3] = exp (-(i * i) / (2 * sigma * sigma));
  for (int i = 0; i < 7; i++)
    k[i] /= sum;
  for (guint y = 0; y < h; y++)
    {
      float *row = img + (gsize) y * w;
      for (guint x = 0; x < w; x++)
        {
          float acc = 0;
          /* away from the edges no tap needs clamping: the same sums */
          if (x >= 3 && x + 3 < w)
            for (int i = -3; i <= 3; i++)
              acc += k[i + 3] * row[x + i];
          else
            for (int i = -3; i <= 3; i++)
              acc += k[i + 3] * row[CLAMP ((int) x + i, 0, (int) w - 1)];
          tmp[x] = acc;
        }
      memcpy (row, tmp, w * sizeof (float));
    }
  for (guint y = 0; y < h; y++)
    {
      float *out = tmp + (gsize) y * w;
      for (guint x = 0; x < w; x++)
        out[x] = 0;
      for (int i = -3; i <= 3; i++)
        {
          const float *in = img + (gsize) CLAMP ((int) y + i, 0, (int) h - 1) * w;
          for (guint x = 0; x < w; x++)
            out[x] += k[i + 3] * in[x];
        }
    }
  memcpy (img, tmp, (gsize) w * h * sizeof (float));
}

/* Richardson–Lucy: the intensity in the box [x0, x0 + w) × [y0, y0 + h)
 * of @p before the detector blurred it, edges repeated: what blurs in
 * from outside the box (the floor, the walls) stays as it was measured. */
static float *
deconvolve (const DlPlane *p,
            guint          x0,
            guint          y0,
            guint          w,
            guint          h,
            double         sigma,
            guint          iterations)
{
  gsize n = (gsize) w * h;
  float *u = g_new (float, n);
  g_autofree float *d = g_new (float, n);
  g_autofree float *r = g_new (float, n);
  g_autofree float *tmp = g_new (float, n);

  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      d[(gsize) y * w + x] = MAX (p->data[(gsize) (y0 + y) * p->width + x0 + x], 0.5f);
  memcpy (u, d, n * sizeof (float));
  for (guint it = 0; it < iterations; it++)
    {
      memcpy (r, u, n * sizeof (float));
      gauss_blur (r, w, h, sigma, tmp);
      for (gsize k = 0; k < n; k++)
        r[k] = d[k] / MAX (r[k], 1e-3f);
      gauss_blur (r, w, h, sigma, tmp);
      for (gsize k = 0; k < n; k++)
        u[k] *= r[k];
    }
  return u;
}

/* The @q quantile of @v (reordered). */
static float
quantile (float *v,
          gsize  n,
          double q)
{
  gsize k;

  if (n == 0)
    return 0;
  k = MIN ((gsize) (q * (n - 1) + 0.5), n - 1);
  return dl_select_float (v, n, k);
}

static gboolean
find_extent (Frame   *f,
             GError **error)
{
  g_autofree guint *cols = g_new0 (guint, f->w);
  g_autofree guint *rows = g_new0 (guint, f->h);
  int x0 = -1, x1 = -1, y0 = -1, y1 = -1;

  for (guint y = 0; y < f->h; y++)
    for (guint x = 0; x < f->w; x++)
      if (f->ah[(gsize) y * f->w + x] > OBJECT_A)
        {
          cols[x]++;
          rows[y]++;
        }
  for (guint x = 0; x < f->w; x++)
    if (cols[x] >= MIN_EXTENT)
      {
        if (x0 < 0)
          x0 = x;
        x1 = x + 1;
      }
  for (guint y = 0; y < f->h; y++)
    if (rows[y] >= MIN_EXTENT)
      {
        if (y0 < 0)
          y0 = y;
        y1 = y + 1;
      }
  if (x0 < 0 || y0 < 0 || x1 - x0 < 4 * MIN_EXTENT || y1 - y0 < 4 * MIN_EXTENT)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("No container or trailer could be found in the scan"));
      return FALSE;
    }
  f->x0 = x0;
  f->x1 = x1;
  f->y0 = y0;
  f->y1 = y1;
  return TRUE;
}

/* Per row of the conveyance, the median and the 20th percentile over its
 * columns. */
static void
row_profiles (const Frame *f,
              float       *p50,
              float       *p20)
{
  guint n = f->x1 - f->x0;
  g_autofree float *v = g_new (float, n);

  for (guint y = f->y0; y < f->y1; y++)
    {
      memcpy (v, f->ah + (gsize) y * f->w + f->x0, n * sizeof (float));
      /* the median, then the 20th percentile among what lies below it */
      p50[y - f->y0] = dl_select_float (v, n, n / 2);
      p20[y - f->y0] = n / 5 < n / 2 ? dl_select_float (v, n / 2, n / 5) : p50[y - f->y0];
    }
}

/* The cargo space's rows: above the floor (the row of the lower half
 * dark in most columns, its half thickness read below it) and below the
 * roof and what runs along it. */
static gboolean
find_cargo_rows (Frame   *f,
                 GError **error)
{
  guint n = f->y1 - f->y0, mid = n / 2, floor_row = mid, roof_row = 0, below = 0;
  g_autofree float *p50 = g_new (float, n);
  g_autofree float *p20 = g_new (float, n);
  float wall = G_MAXFLOAT;
  guint top;

  row_profiles (f, p50, p20);
  for (guint i = mid; i < n; i++)
    if (p20[i] > p20[floor_row])
      floor_row = i;
  /* the roof is at the very top: within a tenth of the height */
  for (guint i = 0; i < MAX (n / 10, 2); i++)
    if (p50[i] > p50[roof_row])
      roof_row = i;
  while (floor_row + below + 1 < n && p20[floor_row + below + 1] > 0.5 * p20[floor_row])
    below++;
  if (floor_row < below + 2 || floor_row - below - 2 <= roof_row)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The floor and roof of the container or trailer could not be found"));
      return FALSE;
    }
  f->cy1 = f->y0 + floor_row - below - 1;

  for (guint i = roof_row + 1; i < f->cy1 - f->y0; i++)
    wall = MIN (wall, p50[i]);
  top = roof_row + 1;
  while (top < f->cy1 - f->y0 && p50[top] > 1.15 * wall + 0.02)
    top++;
  f->cy0 = f->y0 + top + 1;
  if (f->cy0 + MIN_EXTENT > f->cy1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The floor and roof of the container or trailer could not be found"));
      return FALSE;
    }
  return TRUE;
}

/* In a top view the cargo space spans the conveyance's width, less its
 * side walls and what runs along them: rows at either edge dark in
 * nearly every column. */
static gboolean
find_cargo_rows_top (Frame   *f,
                     GError **error)
{
  guint n = f->y1 - f->y0, cols = f->x1 - f->x0, lo = 0, hi = n;
  g_autofree float *p05 = g_new (float, n);
  g_autofree float *v = g_new (float, cols);
  g_autofree float *mid = g_new (float, n);
  float level;

  for (guint y = f->y0; y < f->y1; y++)
    {
      memcpy (v, f->ah + (gsize) y * f->w + f->x0, cols * sizeof (float));
      p05[y - f->y0] = quantile (v, cols, 0.05);
    }
  memcpy (mid, p05 + n / 4, (n / 2) * sizeof (float));
  level = quantile (mid, n / 2, 0.5);
  while (lo < n / 4 && p05[lo] > level + 0.2)
    lo++;
  while (hi > 3 * n / 4 && p05[hi - 1] > level + 0.2)
    hi--;
  f->cy0 = f->y0 + lo + 6;
  f->cy1 = f->y0 + hi - 6;
  if (f->cy0 + MIN_EXTENT > f->cy1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The floor and roof of the container or trailer could not be found"));
      return FALSE;
    }
  /* beams along the length under the floor (a trailer's chassis): rows
   * the beam hardly passes in nearly every column, and their blur */
  f->skip = g_new0 (guint8, f->h);
  for (guint y = f->cy0; y < f->cy1; y++)
    if (p05[y - f->y0] > BASE_MAX)
      for (guint j = MAX (y, f->cy0 + 6) - 6; j < MIN (y + 7, f->cy1); j++)
        f->skip[j] = 1;
  return TRUE;
}

/* The conveyance's own attenuation in each column of the cargo space. */
static void
find_baselines (Frame *f)
{
  guint n = f->cy1 - f->cy0, cols = f->x1 - f->x0;
  g_autofree float *v = g_new (float, n);

  f->base_h = g_new0 (float, cols);
  f->base_l = g_new0 (float, cols);
  f->base_d = g_new0 (float, cols);
  f->base_se = g_new0 (float, cols);
  f->usable = g_new0 (gboolean, cols);
  for (guint c = 0; c < cols; c++)
    {
      guint x = f->x0 + c, free = 0;
      double rough, limit, sh = 0, sl = 0, sh2 = 0, sd = 0;

      guint nv = 0;

      for (guint y = f->cy0; y < f->cy1; y++)
        if (f->skip == NULL || !f->skip[y])
          v[nv++] = f->ah[(gsize) y * f->w + x];
      rough = quantile (v, nv, f->top ? 0.02 : 0.1);
      limit = rough + 0.05 + 0.05 * rough;
      for (guint y = f->cy0; y < f->cy1; y++)
        {
          gsize k = (gsize) y * f->w + x;
          if (f->ah[k] <= limit && (f->skip == NULL || !f->skip[y]))
            {
              sh += f->ah[k];
              sh2 += f->ah[k] * f->ah[k];
              sl += f->al[k];
              sd += f->ad ? f->ad[(gsize) (y - f->cy0) * cols + c] : 0;
              free++;
            }
        }
      if (free < 8 || rough > BASE_MAX)
        continue;
      f->usable[c] = TRUE;
      f->base_h[c] = sh / free;
      f->base_l[c] = sl / free;
      f->base_d[c] = sd / free;
      f->base_se[c] = sqrt (MAX (sh2 / free - (sh / free) * (sh / free), 0) / free);
    }
}

/* ---- the cargo's own attenuation, classified and weighed --------------------- */

typedef struct
{
  double   kg[DL_HS_N_MATERIALS];  /* by class, MIXED unclassified */
  double   opaque;                 /* of it measured behind opaque pixels */
  double   base_var;               /* variance from the baseline */
  double   deblur;                 /* what undoing the blur added (its own uncertainty) */
  double   edge;                   /* measured in the rows next to the floor and roof */
  gboolean usable;
} Column;

typedef struct
{
  Frame         f;
  MassAttenuation mu_own;
  const MassAttenuation *mu;   /* &mu_own */
  double        extra_sigma;
  guint         cw, ch;        /* the cargo box [x0, x1) × [cy0, cy1) */
  float        *eh;            /* excess A_high over the baseline */
  guint16      *counts;        /* raw high-energy counts, for opacity */
  guint8       *classes;       /* classes of the excess */
  gboolean      judge_shares;  /* the material shares are judged: find share_drop */
  guint8       *moved[2];      /* … with R moved down and up by the ratio margin */
  double        share_drop[DL_HS_N_MATERIALS];  /* the most a share falls by under that move */
  double        kg[DL_HS_N_MATERIALS];   /* MIXED: unclassified */
  double        mu_mix;
  double        cargo_kg;
  double        sigma;
  double        opaque_kg;     /* measured in pixels the beam hardly passed */
  Column       *cols;          /* per column of the cargo box */
  double        class_kg[DL_HS_N_MATERIALS];  /* kg and cargo_kg of this view alone: the */
  double        class_total;                  /* material shares are the side view's */
} Measure;

static void
measure_clear (Measure *m)
{
  frame_clear (&m->f);
  g_free (m->eh);
  g_free (m->counts);
  g_free (m->classes);
  g_free (m->moved[0]);
  g_free (m->moved[1]);
  g_free (m->cols);
}

/* Classifies the excess with the calibration, by handing the classifier
 * planes of what the cargo alone would transmit; when the shares are
 * judged, also with every ratio moved down and up by the margin. */
static void
classify_excess (Measure             *m,
                 const DlCalibration *calibration)
{
  const Frame *f = &m->f;
  gsize n = (gsize) m->cw * m->ch;
  g_autofree guint16 *dh = g_new (guint16, n);
  g_autofree guint16 *dl = g_new (guint16, n);
  double shifts[] = { 0, -calibration->ratio_margin, calibration->ratio_margin };
  guint n_shifts = m->judge_shares && calibration->ratio_margin > 0 ? 3 : 1;
  g_autofree guint8 **classes = NULL;
  DlPlane high = { 0 }, low = { 0 };

  for (guint y = 0; y < m->ch; y++)
    for (guint c = 0; c < m->cw; c++)
      {
        gsize k = (gsize) y * m->cw + c, src = (gsize) (f->cy0 + y) * f->w + f->x0 + c;
        double eh = f->usable[c] ? f->ah[src] - f->base_h[c] : 0;
        double el = f->usable[c] ? f->al[src] - f->base_l[c] : 0;

        dh[k] = (guint16) CLAMP (round (CLASSIFY_I0 * exp (-eh)), 0, 65535);
        dl[k] = (guint16) CLAMP (round (CLASSIFY_I0 * exp (-el)), 0, 65535);
      }
  high.width = low.width = m->cw;
  high.height = low.height = m->ch;
  high.data = dh;
  low.data = dl;
  high.air_value = low.air_value = CLASSIFY_I0;
  classes = dl_material_classify_shifted (&high, &low, calibration, shifts, n_shifts);
  m->classes = classes[0];
  if (n_shifts == 3)
    {
      m->moved[0] = classes[1];
      m->moved[1] = classes[2];
    }
}

/* The shares of the classified mass (by class, [MIXED] 0) from the
 * attenuation @attn summed by class. */
static void
shares_of (const Measure *m,
           const double  *attn,
           double        *share)
{
  double total = 0;

  share[DL_HS_MATERIAL_MIXED] = 0;
  for (guint i = 1; i < DL_HS_N_MATERIALS; i++)
    total += share[i] = MAX (attn[i], 0) / m->mu->mu[i];
  for (guint i = 1; i < DL_HS_N_MATERIALS; i++)
    share[i] = total > 0 ? share[i] / total : 0;
}

/* How far each share falls, at most, when the boundaries move by the
 * ratio margin: @attn the attenuation by class as classified, @moved as
 * classified with the ratios moved down and up. */
static void
find_share_drops (Measure      *m,
                  const double *attn,
                  const double  moved[2][DL_HS_N_MATERIALS])
{
  double share[3][DL_HS_N_MATERIALS];

  if (m->moved[0] == NULL)
    return;
  shares_of (m, attn, share[0]);
  for (guint s = 0; s < 2; s++)
    shares_of (m, moved[s], share[s + 1]);
  for (guint i = 0; i < DL_HS_N_MATERIALS; i++)
    m->share_drop[i] = MAX (0, share[0][i] - MIN (share[1][i], share[2][i]));
}

/* Per column: what the cargo's attenuation weighs, by class, from the
 * deblurred attenuation; what of it is behind opaque pixels; the
 * baseline's variance. */
static void
weigh_columns (Measure *m)
{
  const Frame *f = &m->f;
  double attn[DL_HS_N_MATERIALS] = { 0 }, classified = 0, inverse = 0, area_g = f->pixel_cm2 / 1000.0;
  double moved[2][DL_HS_N_MATERIALS] = { { 0 } };
  g_autofree double *col_attn = g_new0 (double, (gsize) m->cw * (DL_HS_N_MATERIALS + 3));
  guint rows = 0;

  m->eh = g_new0 (float, (gsize) m->cw * m->ch);
  m->cols = g_new0 (Column, m->cw);
  for (guint y = 0; y < m->ch; y++)
    {
      if (f->skip != NULL && f->skip[f->cy0 + y])
        continue;
      rows++;
      for (guint c = 0; c < m->cw; c++)
        {
          gsize k = (gsize) y * m->cw + c, src = (gsize) (f->cy0 + y) * f->w + f->x0 + c;
          double *ca = col_attn + (gsize) c * (DL_HS_N_MATERIALS + 3);
          guint i = material_of_class (m->classes[k]);
          double e;

          if (!f->usable[c])
            continue;
          m->eh[k] = f->ah[src] - f->base_h[c];
          e = f->ad != NULL ? f->ad[k] - f->base_d[c] : m->eh[k];
          ca[i] += e;
          attn[i] += e;
          if (m->moved[0] != NULL)
            {
              moved[0][material_of_class (m->moved[0][k])] += e;
              moved[1][material_of_class (m->moved[1][k])] += e;
            }
          if (m->counts[k] < OPAQUE_COUNTS)
            ca[DL_HS_N_MATERIALS] += e;
          ca[DL_HS_N_MATERIALS + 1] += e - m->eh[k];
          if (y < 2 || y + 2 >= m->ch)
            ca[DL_HS_N_MATERIALS + 2] += e;
        }
    }
  for (guint i = 1; i < DL_HS_N_MATERIALS; i++)
    {
      classified += attn[i];
      inverse += attn[i] / m->mu->mu[i];
    }
  m->mu_mix = classified > 0 && inverse > 0 ? classified / inverse : m->mu->mu[DL_HS_MATERIAL_MIXED];
  find_share_drops (m, attn, (const double (*)[DL_HS_N_MATERIALS]) moved);

  for (guint c = 0; c < m->cw; c++)
    {
      const double *ca = col_attn + (gsize) c * (DL_HS_N_MATERIALS + 3);
      /* rows left out (the conveyance's along the length) hold what the others do */
      double scale = rows > 0 ? (double) m->ch / rows : 1, se;
      Column *col = &m->cols[c];

      if (!f->usable[c])
        continue;
      for (guint i = 0; i < DL_HS_N_MATERIALS; i++)
        col->kg[i] = scale * ca[i] / (i == DL_HS_MATERIAL_MIXED ? m->mu_mix : m->mu->mu[i]) * area_g;
      col->opaque = scale * MAX (ca[DL_HS_N_MATERIALS], 0) / m->mu_mix * area_g;
      col->deblur = scale * ca[DL_HS_N_MATERIALS + 1] / m->mu_mix * area_g;
      col->edge = ca[DL_HS_N_MATERIALS + 2] / m->mu_mix * area_g;
      se = f->base_se[c] * m->ch / m->mu_mix * area_g;
      col->base_var = se * se;
      col->usable = TRUE;
    }
}

/* The totals and their uncertainty from @cols (one per column of the
 * cargo box). */
static void
weigh (Measure      *m,
       const Column *cols)
{
  double var = 0, base_var = 0, deblur = 0, edge = 0;

  memset (m->kg, 0, sizeof m->kg);
  m->opaque_kg = 0;
  for (guint c = 0; c < m->cw; c++)
    {
      for (guint i = 0; i < DL_HS_N_MATERIALS; i++)
        m->kg[i] += cols[c].kg[i];
      m->opaque_kg += cols[c].opaque;
      base_var += cols[c].base_var;
      deblur += cols[c].deblur;
      edge += cols[c].edge;
    }
  m->cargo_kg = 0;
  for (guint i = 0; i < DL_HS_N_MATERIALS; i++)
    {
      double rel = m->mu->rel_sigma[i] + m->extra_sigma;

      m->cargo_kg += m->kg[i];
      var += (m->kg[i] * rel) * (m->kg[i] * rel);
    }
  /* behind opaque pixels there may be more than measured; the deblurring
   * is uncertain by as much as it added; the rows next to the floor and
   * roof may hold their blurred edges rather than cargo */
  var += base_var + (EDGE_LOSS * m->cargo_kg) * (EDGE_LOSS * m->cargo_kg)
         + (0.3 * m->opaque_kg) * (0.3 * m->opaque_kg) + deblur * deblur + edge * edge;
  m->sigma = sqrt (var);
}

static gboolean
measure (Measure             *m,
         DlScan              *scan,
         guint                view,
         const DlCalibration *calibration,
         GError             **error)
{
  Frame *f = &m->f;
  const DlPlane *high = NULL, *low = NULL;
  double px, py;

  for (guint c = 0; c < dl_scan_get_n_channels (scan, view); c++)
    {
      const DlPlane *p = dl_scan_get_plane (scan, view, c);
      if (g_strcmp0 (p->name, "high") == 0)
        high = p;
      else if (g_strcmp0 (p->name, "low") == 0)
        low = p;
    }
  if (high == NULL || low == NULL || high->width != low->width || high->height != low->height)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The scan has no pair of high- and low-energy channels to measure with"));
      return FALSE;
    }
  if (!dl_scan_get_pixel_pitch (scan, &px, &py) || !(px > 0) || !(py > 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The scan does not state its pixel pitch, so no mass can be measured"));
      return FALSE;
    }

  find_mass_attenuation (calibration, &m->mu_own, &m->extra_sigma);
  m->mu = &m->mu_own;
  f->w = high->width;
  f->h = high->height;
  f->i0_high = dl_plane_get_i0 (high);
  f->pixel_cm2 = px * py / 100.0;
  f->ah = attenuation_map (high, f->i0_high);
  f->al = attenuation_map (low, dl_plane_get_i0 (low));
  f->top = view > 0;
  if (!find_extent (f, error) || !(f->top ? find_cargo_rows_top (f, error) : find_cargo_rows (f, error)))
    return FALSE;
  /* the cargo's attenuation from intensities with the blur undone: the
   * logarithm of a blurred sharp structure is less than its attenuation */
  if (m->mu->blur_sigma > 0)
    {
      guint cw = f->x1 - f->x0, ch = f->cy1 - f->cy0;

      f->ad = deconvolve (high, f->x0, f->cy0, cw, ch, m->mu->blur_sigma, DEBLUR_ITERATIONS);
      for (gsize k = 0; k < (gsize) cw * ch; k++)
        f->ad[k] = log (f->i0_high / MAX (f->ad[k], 1.0f));
    }
  find_baselines (f);

  m->cw = f->x1 - f->x0;
  m->ch = f->cy1 - f->cy0;
  m->counts = g_new (guint16, (gsize) m->cw * m->ch);
  for (guint y = 0; y < m->ch; y++)
    memcpy (m->counts + (gsize) y * m->cw, high->data + (gsize) (f->cy0 + y) * f->w + f->x0,
            m->cw * sizeof (guint16));
  classify_excess (m, calibration);
  weigh_columns (m);
  weigh (m, m->cols);
  memcpy (m->class_kg, m->kg, sizeof m->kg);
  m->class_total = m->cargo_kg;
  return TRUE;
}

/* What lies under the floor in each column of the side view, as mass:
 * in a top view the beam crosses it too. */
static double *
under_floor (const Measure *m)
{
  const Frame *f = &m->f;
  double *under = g_new0 (double, m->cw), area_g = f->pixel_cm2 / 1000.0;

  for (guint c = 0; c < m->cw; c++)
    for (guint y = f->cy1; y < f->y1; y++)
      under[c] += MIN (f->ah[(gsize) y * f->w + f->x0 + c], BASE_MAX) / m->mu_mix * area_g;
  return under;
}

static double
column_kg (const Column *c)
{
  double kg = 0;

  for (guint i = 0; i < DL_HS_N_MATERIALS; i++)
    kg += c->kg[i];
  return kg;
}

/* Combines the side view @side with the top view @top of the same pass:
 * mass is the same seen from either side, and each view only loses (what
 * it cannot see through, sharp structure blurred before the logarithm),
 * so in each stretch of the length where the top view weighs clearly
 * more, beyond what the views' coefficients may differ by and beyond
 * what lies under the floor there (a trailer's wheels, which the top
 * view sees among the cargo), the top view's columns replace the side
 * view's.  Returns the share of the mass taken from the top view. */
static double
fuse_views (Measure       *side,
            const Measure *top)
{
  g_autofree double *under = under_floor (side);
  g_autofree double *sorted = g_new (double, side->cw);
  g_autofree Column *cols = g_memdup2 (side->cols, side->cw * sizeof (Column));
  double typical, from_top = 0, total = 0;
  guint n = 0;

  for (guint c = 0; c < side->cw; c++)
    if (side->cols[c].usable)
      sorted[n++] = under[c];
  if (n == 0)
    return 0;
  qsort (sorted, n, sizeof (double), dl_compare_double);
  typical = sorted[n / 2];

  for (guint c0 = 0; c0 < side->cw; c0 += VIEW_WINDOW)
    {
      guint c1 = MIN (c0 + VIEW_WINDOW, side->cw);
      double s = 0, t = 0, u = 0, var = 0;
      gboolean ok = TRUE;

      for (guint c = c0; c < c1 && ok; c++)
        {
          int x = side->f.x0 + c, ct = x - (int) top->f.x0;

          ok = side->cols[c].usable && ct >= 0 && ct < (int) top->cw && top->cols[ct].usable;
          if (!ok)
            break;
          s += column_kg (&side->cols[c]);
          t += column_kg (&top->cols[ct]);
          u += MAX (under[c] - typical, 0);
          var += side->cols[c].base_var + top->cols[ct].base_var;
        }
      if (!ok || t <= s * (1 + VIEW_SLACK) + 3 * sqrt (var) + u)
        continue;
      g_debug ("columns %u–%u: side %.1f kg, top %.1f kg, under the floor %.1f kg: top", side->f.x0 + c0, side->f.x0 + c1, s, t, u);
      for (guint c = c0; c < c1; c++)
        cols[c] = top->cols[side->f.x0 + c - top->f.x0];
      from_top += t;
    }
  for (guint c = 0; c < side->cw; c++)
    total += column_kg (&cols[c]);
  memcpy (side->cols, cols, side->cw * sizeof (Column));
  weigh (side, side->cols);
  return total > 0 ? from_top / total : 0;
}

/* ---- what is declared ------------------------------------------------------- */

typedef struct
{
  double   kg;
  double   by_material[DL_HS_N_MATERIALS];
  gboolean metal_plausible;   /* metal or mixed goods, or goods packed in metal */
  gboolean declared_empty;
  double   inner_width_cm;    /* across the beam */
  guint    without_mass;      /* goods items whose gross mass the manifest does not give */
  guint    first_without_mass;   /* the first of them (its item number) */
  guint    unshared;          /* goods items split over containers whose share here is not known */
  guint    first_unshared;
  guint    shared;            /* … whose share here is their mass shared by package count */
} Declared;

/* UN/ECE recommendation 21 codes of packages made of metal: drums, cans,
 * tins, cylinders, gas bottles. */
static gboolean
metal_package (const char *kind)
{
  static const char *codes[] = { "DR", "1A", "CA", "CX", "TN", "CY", "GB" };

  for (guint i = 0; kind && i < G_N_ELEMENTS (codes); i++)
    if (g_ascii_strcasecmp (kind, codes[i]) == 0)
      return TRUE;
  return FALSE;
}

/* The mass of goods item @g in @container (all of it when @container is
 * NULL or the goods item is whole in it).  Of a goods item split over
 * containers: the masses placed in @container where the placements give
 * them; for a placement without one, what of the goods item's mass the
 * placements do not give, shared among those without by their package
 * counts (*shared set).  NAN when that cannot be known: no mass, or a
 * placement with neither mass nor package count, or placed masses over
 * the whole. */
static double
mass_in_container (const DlManifestGoods *g,
                   const char            *container,
                   gboolean              *shared)
{
  double given = 0, here_kg = 0;
  guint64 open_packages = 0, here_packages = 0;
  gboolean here_open = FALSE, uncountable = FALSE;

  *shared = FALSE;
  if (container == NULL || g->placements->len == 0)
    return g->gross_kg;
  for (guint i = 0; i < g->placements->len; i++)
    {
      const DlManifestPlacement *p = g_ptr_array_index (g->placements, i);
      gboolean here = g_strcmp0 (p->container, container) == 0;

      if (!isnan (p->gross_kg))
        {
          given += p->gross_kg;
          here_kg += here ? p->gross_kg : 0;
          continue;
        }
      uncountable |= !p->has_packages;
      open_packages += p->packages;
      here_packages += here ? p->packages : 0;
      here_open |= here;
    }
  if (!here_open)
    return here_kg;
  if (isnan (g->gross_kg) || uncountable || open_packages == 0 || given > g->gross_kg)
    return NAN;
  *shared = TRUE;
  return here_kg + (g->gross_kg - given) * (double) here_packages / (double) open_packages;
}

static void
collect_declared (Declared         *d,
                  const DlManifest *manifest,
                  const char       *container)
{
  const DlManifestContainer *c = container ? dl_manifest_find_container (manifest, container) : NULL;

  memset (d, 0, sizeof *d);
  d->declared_empty = c != NULL && !c->full;
  /* ISO containers are 2.35 m wide inside; curtain-siders 2.48 m */
  d->inner_width_cm = c != NULL ? 235.0 : 248.0;
  for (guint i = 0; i < manifest->goods->len; i++)
    {
      const DlManifestGoods *g = g_ptr_array_index (manifest->goods, i);
      DlHsMaterial material;
      gboolean shared;
      double kg;

      if (container != NULL && !dl_manifest_goods_in_container (g, container))
        continue;
      material = dl_hs_expected_material (g->hs_code);
      kg = mass_in_container (g, container, &shared);
      if (!isnan (kg))
        {
          d->kg += kg;
          d->by_material[material] += kg;
          d->shared += shared;
          if (shared)
            g_debug ("goods item %u: %.1f of its %.1f kg in %s, shared by package count",
                     g->item, kg, g->gross_kg, container);
        }
      else if (!dl_manifest_goods_has_mass (g))
        {
          if (d->without_mass++ == 0)
            d->first_without_mass = g->item;
        }
      else if (d->unshared++ == 0)
        d->first_unshared = g->item;
      if (material == DL_HS_MATERIAL_METAL || material == DL_HS_MATERIAL_MIXED
          || metal_package (g->package_kind))
        d->metal_plausible = TRUE;
    }
}

/* ---- hints -------------------------------------------------------------------- */

static void
hint_free (gpointer data)
{
  DlHint *h = data;

  g_free (h->message);
  g_free (h->container);
  g_free (h);
}

static DlHint *
add_hint (DlConsistency  *self,
          DlHintKind      kind,
          DlHintSeverity  severity,
          const char     *container,
          char           *message)
{
  DlHint *h = g_new0 (DlHint, 1);

  h->kind = kind;
  h->severity = severity;
  h->container = g_strdup (container);
  h->message = message;
  h->unit = "kg";
  h->declared = NAN;
  g_ptr_array_add (self->hints, h);
  return h;
}

static void
check_weight (DlConsistency  *self,
              const Declared *d,
              const char     *container)
{
  double diff = d->kg - self->cargo_kg;
  DlHint *h;

  /* a sum of the masses given would pass for the whole: no comparison */
  if (d->without_mass > 0)
    {
      add_hint (self, DL_HINT_WEIGHT, DL_HINT_SEVERITY_INFO, container,
                d->without_mass == 1
                ? g_strdup_printf (_("The manifest gives no gross mass for goods item %u: the weight is not checked"),
                                   d->first_without_mass)
                : g_strdup_printf (ngettext ("The manifest gives no gross mass for %u goods item: the weight is not checked",
                                             "The manifest gives no gross mass for %u goods items: the weight is not checked",
                                             d->without_mass), d->without_mass));
      return;
    }
  if (d->unshared > 0)
    {
      add_hint (self, DL_HINT_WEIGHT, DL_HINT_SEVERITY_INFO, container,
                d->unshared == 1
                ? g_strdup_printf (_("The manifest does not say how much of goods item %u is in this container: "
                                     "the weight is not checked"), d->first_unshared)
                : g_strdup_printf (ngettext ("The manifest does not say how much of %u goods item is in this container: "
                                             "the weight is not checked",
                                             "The manifest does not say how much of %u goods items is in this container: "
                                             "the weight is not checked", d->unshared), d->unshared));
      return;
    }
  if (d->declared_empty || d->kg <= 0 || fabs (diff) <= WEIGHT_K * self->cargo_kg_sigma)
    return;
  /* behind opaque pixels there may be any mass: only more than declared
   * counts; and one side view loses mass in sheets edge-on to the beam
   * (a blurred opaque line reads as a thin dark one), so a shortfall
   * counts only when large */
  if (diff > 0 && (self->lower_bound || diff < SHORTFALL_MIN * d->kg))
    return;
  h = add_hint (self, DL_HINT_WEIGHT,
                fabs (diff) > 2 * WEIGHT_K * self->cargo_kg_sigma ? DL_HINT_SEVERITY_ALERT : DL_HINT_SEVERITY_WARNING,
                container,
                diff < 0
                ? g_strdup_printf (_("The scan shows about %'.0f ± %'.0f kg of cargo, %'.0f kg more than the %'.0f kg declared"),
                                   self->cargo_kg, self->cargo_kg_sigma, -diff, d->kg)
                : g_strdup_printf (_("The scan shows about %'.0f ± %'.0f kg of cargo, %'.0f kg less than the %'.0f kg declared"),
                                   self->cargo_kg, self->cargo_kg_sigma, diff, d->kg));
  h->measured = self->cargo_kg;
  h->uncertainty = self->cargo_kg_sigma;
  h->declared = d->kg;
  if (d->shared > 0)
    {
      char *with = g_strconcat (h->message, " ", _("(The mass of goods split over several containers is "
                                                  "shared among them by package count.)"), NULL);
      g_free (h->message);
      h->message = with;
    }
}

static void
check_material (DlConsistency  *self,
                const Declared *d,
                const char     *container)
{
  /* opaque pixels have no class: the shares would leave out the densest goods */
  if (d->declared_empty || d->kg <= 0 || self->classified_share < MATERIAL_MIN_SHARE || self->lower_bound)
    return;
  for (guint i = 1; i < DL_HS_N_MATERIALS; i++)
    {
      double room = self->expected[i] + self->expected[DL_HS_MATERIAL_MIXED];
      DlHint *h;

      /* judged by what holds however the scanner's ratio has drifted */
      if (self->fraction_min[i] <= room + MATERIAL_SLACK
                                   + (self->expected[DL_HS_MATERIAL_METAL] > 0 ? METAL_GOODS_SLACK : 0))
        continue;
      h = add_hint (self, DL_HINT_MATERIAL, DL_HINT_SEVERITY_WARNING, container,
                    /* TRANSLATORS: the second %s is a material: organic, inorganic, metal */
                    g_strdup_printf (_("%.0f %% of the cargo measures as %s (at least %.0f %% however far the "
                                       "scanner’s ratio drifts); the declared goods account for at most %.0f %%"),
                                     100 * self->fraction[i], dl_hs_material_display_name (i),
                                     100 * self->fraction_min[i], 100 * room));
      /* the share judged: the least it may be */
      h->unit = "fraction";
      h->measured = self->fraction_min[i];
      h->uncertainty = 0.1;
      h->declared = room;
    }
}

static void
check_empty (DlConsistency  *self,
             const Declared *d,
             const char     *container)
{
  DlHint *h;

  if (!d->declared_empty || self->cargo_kg <= MAX (EMPTY_MIN_KG, 3 * self->cargo_kg_sigma))
    return;
  h = add_hint (self, DL_HINT_EMPTY, DL_HINT_SEVERITY_ALERT, container,
                g_strdup_printf (_("Declared empty, yet the scan shows about %'.0f ± %'.0f kg inside"),
                                 self->cargo_kg, self->cargo_kg_sigma));
  h->measured = self->cargo_kg;
  h->uncertainty = self->cargo_kg_sigma;
  h->declared = 0;
}

/* ---- regions -------------------------------------------------------------------- */

typedef struct
{
  guint  area, metal, too_dense;
  int    box[4];         /* in the cargo box, end exclusive */
  double sum_e;          /* Σ excess A_high */
  double sum_counts;     /* Σ raw high-energy counts */
  double sum_base;       /* Σ baseline A_high */
} Region;

/* Pixels of metal or too dense to classify, kept only where their whole
 * 5 × 5 neighbourhood is: the detector blur gives the edges of organic
 * goods a ratio no material has (partial volume), in thin outlines. */
static guint8 *
erode (const Measure *m,
       const guint8  *raw)
{
  gsize n = (gsize) m->cw * m->ch;
  g_autofree guint8 *rows = g_new0 (guint8, n);
  guint8 *mask = g_new0 (guint8, n);
  const int r = 2;

  for (guint y = 0; y < m->ch; y++)
    for (guint x = r; x + r < m->cw; x++)
      {
        gboolean all = TRUE;
        for (int d = -r; d <= r && all; d++)
          all = raw[(gsize) y * m->cw + x + d];
        rows[(gsize) y * m->cw + x] = all;
      }
  for (guint y = r; y + r < m->ch; y++)
    for (guint x = 0; x < m->cw; x++)
      {
        gboolean all = TRUE;
        for (int d = -r; d <= r && all; d++)
          all = rows[(gsize) (y + d) * m->cw + x];
        mask[(gsize) y * m->cw + x] = all;
      }
  return mask;
}

static guint8 *
dense_mask (const Measure *m)
{
  gsize n = (gsize) m->cw * m->ch;
  g_autofree guint8 *raw = g_new0 (guint8, n);

  for (gsize k = 0; k < n; k++)
    raw[k] = m->f.usable[k % m->cw]
             && (m->classes[k] == DL_CLASS_METAL || m->classes[k] == DL_CLASS_TOO_DENSE);
  return erode (m, raw);
}

/* Pixels the beam hardly passed: their attenuation is only a lower bound. */
static guint8 *
opaque_mask (const Measure *m)
{
  gsize n = (gsize) m->cw * m->ch;
  g_autofree guint8 *raw = g_new0 (guint8, n);

  for (gsize k = 0; k < n; k++)
    raw[k] = m->f.usable[k % m->cw] && m->counts[k] < OPAQUE_COUNTS;
  return erode (m, raw);
}

/* Metal-class pixels in @r's box grown by @grow: the rim of an opaque
 * region is where its material still shows. */
static guint
metal_around (const Measure *m,
              const Region  *r,
              int            grow)
{
  guint n = 0;

  for (int y = MAX (r->box[1] - grow, 0); y < MIN (r->box[3] + grow, (int) m->ch); y++)
    for (int x = MAX (r->box[0] - grow, 0); x < MIN (r->box[2] + grow, (int) m->cw); x++)
      n += m->classes[(gsize) y * m->cw + x] == DL_CLASS_METAL;
  return n;
}

static guint8 *
cargo_mask (const Measure *m)
{
  gsize n = (gsize) m->cw * m->ch;
  guint8 *mask = g_new0 (guint8, n);

  for (gsize k = 0; k < n; k++)
    mask[k] = m->f.usable[k % m->cw] && m->eh[k] > 0.1;
  return mask;
}

/* 4-connected regions of the pixels in @mask, of at least @min_area. */
static GArray *
find_regions (const Measure *m,
              const guint8  *mask,
              guint          min_area)
{
  gsize n = (gsize) m->cw * m->ch;
  g_autofree guint32 *labels = g_new (guint32, n);
  g_autoptr(GArray) found = dl_regions_label (mask, m->cw, m->ch, labels);
  g_autofree Region *all = g_new0 (Region, found->len);
  GArray *regions = g_array_new (FALSE, TRUE, sizeof (Region));

  for (gsize k = 0; k < n; k++)
    if (labels[k])
      {
        Region *r = &all[labels[k] - 1];

        r->metal += m->classes[k] == DL_CLASS_METAL;
        r->too_dense += m->classes[k] == DL_CLASS_TOO_DENSE;
        r->sum_e += m->eh[k];
        r->sum_counts += m->counts[k];
        r->sum_base += m->f.base_h[k % m->cw];
      }
  for (guint i = 0; i < found->len; i++)
    {
      const DlRegion *d = &g_array_index (found, DlRegion, i);

      all[i].area = d->area;
      memcpy (all[i].box, d->box, sizeof d->box);
      if (d->area >= min_area)
        g_array_append_val (regions, all[i]);
    }
  return regions;
}

/* The region's box in pixels of the view. */
static void
set_region (DlHint        *h,
            const Measure *m,
            const Region  *r)
{
  h->has_region = TRUE;
  h->region[0] = m->f.x0 + r->box[0];
  h->region[1] = m->f.cy0 + r->box[1];
  h->region[2] = m->f.x0 + r->box[2];
  h->region[3] = m->f.cy0 + r->box[3];
}

static double
region_kg (const Measure *m,
           const Region  *r,
           double         mu)
{
  return r->sum_e / mu * m->f.pixel_cm2 / 1000.0;
}

static DlHint *
add_dense_hint (DlConsistency *self,
                const Measure *m,
                const Region  *r,
                const char    *container,
                char          *message,
                double         mu)
{
  DlHint *h = add_hint (self, DL_HINT_DENSE, DL_HINT_SEVERITY_ALERT, container, message);

  set_region (h, m, r);
  h->measured = region_kg (m, r, mu);
  h->uncertainty = 0.3 * h->measured;
  return h;
}

/* Solid regions of metal, when nothing declared is metal. */
static void
check_metal_regions (DlConsistency  *self,
                     const Measure  *m,
                     const Declared *d,
                     const char     *container)
{
  guint min_area = (guint) ceil (DENSE_MIN_CM2 / m->f.pixel_cm2);
  g_autofree guint8 *mask = dense_mask (m);
  g_autoptr(GArray) regions = find_regions (m, mask, min_area);

  for (guint i = 0; i < regions->len; i++)
    {
      const Region *r = &g_array_index (regions, Region, i);

      if (r->metal < min_area / 4 || d->metal_plausible)
        continue;
      add_dense_hint (self, m, r, container,
                      g_strdup_printf (_("A region of %'.0f cm² measures as metal, and no declared goods are metal"),
                                       r->area * m->f.pixel_cm2),
                      m->mu->mu[DL_HS_MATERIAL_METAL]);
    }
}

/* Regions the beam hardly passed: edged with metal when nothing declared
 * is metal, or beyond organic goods filling the width at the density of
 * water when all declared goods are organic. */
static void
check_opaque_regions (DlConsistency  *self,
                      const Measure  *m,
                      const Declared *d,
                      const char     *container)
{
  guint min_area = (guint) ceil (DENSE_MIN_CM2 / m->f.pixel_cm2);
  g_autofree guint8 *mask = opaque_mask (m);
  g_autoptr(GArray) regions = find_regions (m, mask, min_area);
  gboolean all_organic = d->kg > 0 && d->by_material[DL_HS_MATERIAL_ORGANIC] >= d->kg;
  double organic_max = m->mu->mu[DL_HS_MATERIAL_ORGANIC] * ORGANIC_MAX_DENSITY * d->inner_width_cm;

  for (guint i = 0; i < regions->len; i++)
    {
      const Region *r = &g_array_index (regions, Region, i);
      /* from the mean transmission, less the walls */
      double a = log (m->f.i0_high / MAX (r->sum_counts / r->area, 0.5)) - r->sum_base / r->area;
      guint rim = metal_around (m, r, 8);

      g_debug ("opaque region %d,%d–%d,%d: %u px, %u metal around, A %.2f (organic at most %.2f)",
               r->box[0] + m->f.x0, r->box[1] + m->f.cy0, r->box[2] + m->f.x0, r->box[3] + m->f.cy0,
               r->area, rim, a, organic_max);
      if (!d->metal_plausible && rim >= min_area / 8)
        add_dense_hint (self, m, r, container,
                        g_strdup_printf (_("A region of %'.0f cm² is too dense to see through and edged with metal, and no declared goods are metal"),
                                         r->area * m->f.pixel_cm2),
                        m->mu->mu[DL_HS_MATERIAL_METAL]);
      else if (all_organic && a > 1.05 * organic_max)
        add_dense_hint (self, m, r, container,
                        g_strdup_printf (_("A region of %'.0f cm² is denser than the declared organic goods could be"),
                                         r->area * m->f.pixel_cm2),
                        m->mu->mu[DL_HS_MATERIAL_METAL]);
    }
}

/* Runs of columns, away from the ends, whose baseline stands out from
 * their neighbours' (or cannot be measured): something from floor to roof
 * across the cargo space — a partition, a false wall.  Structures that
 * repeat along the length (a trailer's stanchions) are the conveyance's. */
static void
check_walls (DlConsistency  *self,
             const Measure  *m,
             const Declared *d,
             const char     *container)
{
  guint margin = (guint) ceil (30.0 / sqrt (m->f.pixel_cm2));   /* 30 cm from either end */
  guint near = 20;
  g_autoptr(GArray) runs = g_array_new (FALSE, TRUE, sizeof (Region));
  float v[2 * 20];

  if (d->metal_plausible || m->cw <= 2 * margin + 2 * near)
    return;
  for (guint c = margin; c + margin < m->cw; c++)
    {
      Region r = { 0 };
      guint end = c;

      while (end + margin < m->cw)
        {
          guint n = 0;
          gboolean step;

          for (guint j = end - MIN (end, near); j < MIN (end + near + 1, m->cw); j++)
            if (j != end && m->f.usable[j] && n < G_N_ELEMENTS (v))
              v[n++] = m->f.base_h[j];
          step = !m->f.usable[end] || (n > 0 && m->f.base_h[end] - quantile (v, n, 0.5) > 0.3);
          if (!step)
            break;
          end++;
        }
      if (end == c)
        continue;
      r.box[0] = c;
      r.box[1] = 0;
      r.box[2] = end;
      r.box[3] = m->ch;
      g_array_append_val (runs, r);
      c = end;
    }
  if (runs->len == 0 || runs->len > 2)
    return;
  for (guint i = 0; i < runs->len; i++)
    add_dense_hint (self, m, &g_array_index (runs, Region, i), container,
                    g_strdup (_("A partition the manifest does not explain stands across the cargo space, from floor to roof")),
                    m->mu->mu[DL_HS_MATERIAL_METAL])->partition = TRUE;
}

static void
check_dense (DlConsistency  *self,
             const Measure  *m,
             const Declared *d,
             const char     *container)
{
  if (d->declared_empty)
    return;
  check_metal_regions (self, m, d, container);
  check_opaque_regions (self, m, d, container);
  check_walls (self, m, d, container);
}

/* The box of what is inside a container declared empty. */
static void
locate_contents (DlConsistency *self,
                 const Measure *m)
{
  g_autoptr(GArray) regions = NULL;
  Region all = { 0, 0, 0, { G_MAXINT, G_MAXINT, 0, 0 }, 0, 0, 0 };

  for (guint i = 0; i < self->hints->len; i++)
    {
      DlHint *h = g_ptr_array_index (self->hints, i);

      if (h->kind != DL_HINT_EMPTY)
        continue;
      if (regions == NULL)
        {
          g_autofree guint8 *mask = cargo_mask (m);
          regions = find_regions (m, mask, (guint) ceil (DENSE_MIN_CM2 / m->f.pixel_cm2));
        }
      for (guint j = 0; j < regions->len; j++)
        {
          const Region *r = &g_array_index (regions, Region, j);
          all.area += r->area;
          for (guint c = 0; c < 2; c++)
            {
              all.box[c] = MIN (all.box[c], r->box[c]);
              all.box[c + 2] = MAX (all.box[c + 2], r->box[c + 2]);
            }
        }
      if (all.area > 0)
        set_region (h, m, &all);
    }
}

/* ---- public ---------------------------------------------------------------------- */

void
dl_cargo_image_free (DlCargoImage *self)
{
  if (self == NULL)
    return;
  g_free (self->excess_high);
  g_free (self->classes);
  g_free (self->usable);
  g_free (self);
}

/* The cargo image of @m, taking its excess and classes. */
static DlCargoImage *
take_image (Measure *m,
            DlScan  *scan)
{
  DlCargoImage *image = g_new0 (DlCargoImage, 1);

  image->x0 = m->f.x0;
  image->y0 = m->f.cy0;
  image->width = m->cw;
  image->height = m->ch;
  image->excess_high = g_steal_pointer (&m->eh);
  image->classes = g_steal_pointer (&m->classes);
  image->usable = g_new0 (guint8, m->cw);
  for (guint c = 0; c < m->cw; c++)
    image->usable[c] = m->f.usable[c];
  image->pixel_cm2 = m->f.pixel_cm2;
  dl_scan_get_pixel_pitch (scan, &image->pitch_x_mm, &image->pitch_y_mm);
  memcpy (image->mu, m->mu->mu, sizeof image->mu);
  image->mu[DL_HS_MATERIAL_MIXED] = m->mu_mix;
  return image;
}

DlCargoImage *
dl_cargo_image_measure (DlScan               *scan,
                        const DlCalibration  *calibration,
                        GError              **error)
{
  Measure m = { 0 };
  DlCargoImage *image = NULL;

  g_return_val_if_fail (DL_IS_SCAN (scan), NULL);
  g_return_val_if_fail (calibration != NULL, NULL);

  if (measure (&m, scan, 0, calibration, error))
    image = take_image (&m, scan);
  measure_clear (&m);
  return image;
}

double
dl_cargo_image_pixel_kg (const DlCargoImage *self,
                         gsize               k)
{
  double e = self->excess_high[k];

  if (!(e > 0))
    return 0;
  return e / self->mu[material_of_class (self->classes[k])] * self->pixel_cm2 / 1000.0;
}

void
dl_consistency_free (DlConsistency *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->hints);
  dl_cargo_image_free (self->image);
  g_free (self);
}

static void
fill_measurement (DlConsistency  *self,
                  const Measure  *m,
                  const Declared *d)
{
  double classified = 0;

  self->cargo_box[0] = m->f.x0;
  self->cargo_box[1] = m->f.cy0;
  self->cargo_box[2] = m->f.x1;
  self->cargo_box[3] = m->f.cy1;
  self->cargo_kg = m->cargo_kg;
  self->cargo_kg_sigma = m->sigma;
  self->opaque_share = m->cargo_kg > 0 ? CLAMP (m->opaque_kg / m->cargo_kg, 0, 1) : 0;
  self->lower_bound = self->opaque_share > OPAQUE_MAX_SHARE;
  self->declared_kg = d->without_mass > 0 || d->unshared > 0 ? NAN : d->kg;
  for (guint i = 1; i < DL_HS_N_MATERIALS; i++)
    classified += MAX (m->class_kg[i], 0);
  for (guint i = 1; i < DL_HS_N_MATERIALS; i++)
    {
      self->fraction[i] = classified > 0 ? MAX (m->class_kg[i], 0) / classified : 0;
      self->fraction_min[i] = MAX (0, self->fraction[i] - m->share_drop[i]);
    }
  self->classified_share = m->class_total > 0 ? CLAMP (classified / m->class_total, 0, 1) : 0;
  for (guint i = 0; i < DL_HS_N_MATERIALS; i++)
    self->expected[i] = d->kg > 0 ? d->by_material[i] / d->kg : 0;
  self->metal_plausible = d->metal_plausible;
}

/**
 * dl_consistency_check_container:
 *
 * Measures view 0 of @scan and compares it with what @manifest declares
 * for @container (all goods when %NULL).  Returns the measurement and its
 * hints, or %NULL with @error set when the scan cannot be measured (no
 * dual-energy pair, no pixel pitch, no conveyance found) or @container is
 * not in the manifest.
 */
DlConsistency *
dl_consistency_check_container (DlScan               *scan,
                                const DlCalibration  *calibration,
                                const DlManifest     *manifest,
                                const char           *container,
                                GError              **error)
{
  gint64 start = g_get_monotonic_time ();
  Measure m = { 0 };
  Declared d;
  double second_share = 0;
  DlConsistency *self;

  g_return_val_if_fail (DL_IS_SCAN (scan), NULL);
  g_return_val_if_fail (calibration != NULL && manifest != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (container != NULL && dl_manifest_find_container (manifest, container) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The manifest lists no container “%s”"), container);
      return NULL;
    }
  m.judge_shares = TRUE;
  if (!measure (&m, scan, 0, calibration, error))
    {
      measure_clear (&m);
      return NULL;
    }
  collect_declared (&d, manifest, container);

  self = g_new0 (DlConsistency, 1);
  self->hints = g_ptr_array_new_with_free_func (hint_free);
  if (dl_scan_get_n_views (scan) > 1)
    {
      Measure t = { 0 };
      g_autoptr(GError) terr = NULL;
      if (measure (&t, scan, 1, calibration, &terr))
        {
          g_debug ("side view %.0f kg (%.0f behind opaque pixels), top view %.0f kg (%.0f)",
                   m.cargo_kg, m.opaque_kg, t.cargo_kg, t.opaque_kg);
          second_share = fuse_views (&m, &t);
        }
      else
        g_debug ("top view not measured: %s", terr->message);
      measure_clear (&t);
    }
  fill_measurement (self, &m, &d);
  self->second_view_share = second_share;
  self->n_views = dl_scan_get_n_views (scan);
  check_empty (self, &d, container);
  locate_contents (self, &m);
  check_weight (self, &d, container);
  check_material (self, &d, container);
  check_dense (self, &m, &d, container);
  self->image = take_image (&m, scan);
  measure_clear (&m);
  self->seconds = (g_get_monotonic_time () - start) / 1e6;
  g_debug ("cargo %.0f ± %.0f kg (declared %.0f), classified %.2f: organic %.2f, inorganic %.2f, metal %.2f; %.2f s",
           self->cargo_kg, self->cargo_kg_sigma, self->declared_kg, self->classified_share,
           self->fraction[DL_HS_MATERIAL_ORGANIC], self->fraction[DL_HS_MATERIAL_INORGANIC],
           self->fraction[DL_HS_MATERIAL_METAL], self->seconds);
  return self;
}

DlConsistency *
dl_consistency_check (DlScan               *scan,
                      const DlCalibration  *calibration,
                      const DlManifest     *manifest,
                      GError              **error)
{
  const DlManifestContainer *c;

  g_return_val_if_fail (manifest != NULL, NULL);

  if (manifest->containers->len > 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The manifest lists %u containers: say which one the scan shows"),
                   manifest->containers->len);
      return NULL;
    }
  c = manifest->containers->len == 1 ? g_ptr_array_index (manifest->containers, 0) : NULL;
  return dl_consistency_check_container (scan, calibration, manifest, c ? c->number : NULL, error);
}

DlHint *
dl_consistency_add_hint (DlConsistency  *self,
                         DlHintKind      kind,
                         DlHintSeverity  severity,
                         const char     *container,
                         char           *message)
{
  g_return_val_if_fail (self != NULL && message != NULL, NULL);
  return add_hint (self, kind, severity, container, message);
}

guint
dl_consistency_count (const DlConsistency *self,
                      DlHintKind           kind)
{
  guint n = 0;

  for (guint i = 0; i < self->hints->len; i++)
    n += ((DlHint *) g_ptr_array_index (self->hints, i))->kind == kind;
  return n;
}

const char *
dl_hint_kind_to_string (DlHintKind kind)
{
  static const char *names[] = { "weight", "material", "empty", "dense" };

  g_return_val_if_fail (kind < G_N_ELEMENTS (names), NULL);
  return names[kind];
}

const char *
dl_hint_severity_to_string (DlHintSeverity severity)
{
  static const char *names[] = { "info", "warning", "alert" };

  g_return_val_if_fail (severity < G_N_ELEMENTS (names), NULL);
  return names[severity];
}

/* ---- JSON ------------------------------------------------------------------------- */

static void
add_box (JsonBuilder *b,
         const char  *name,
         const int   *box)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < 4; i++)
    json_builder_add_int_value (b, box[i]);
  json_builder_end_array (b);
}

static void
add_hint_node (JsonBuilder  *b,
               const DlHint *h)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, dl_hint_kind_to_string (h->kind));
  json_builder_set_member_name (b, "severity");
  json_builder_add_string_value (b, dl_hint_severity_to_string (h->severity));
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, h->message);
  json_builder_set_member_name (b, "container");
  if (h->container)
    json_builder_add_string_value (b, h->container);
  else
    json_builder_add_null_value (b);
  if (h->has_region)
    add_box (b, "region", h->region);
  else
    {
      json_builder_set_member_name (b, "region");
      json_builder_add_null_value (b);
    }
  json_builder_set_member_name (b, "measured");
  json_builder_begin_object (b);
  dl_json_set_double_or_null (b, "value", h->measured);
  dl_json_set_double_or_null (b, "uncertainty", h->uncertainty);
  json_builder_set_member_name (b, "unit");
  json_builder_add_string_value (b, h->unit);
  json_builder_end_object (b);
  dl_json_set_double_or_null (b, "declared", h->declared);
  json_builder_end_object (b);
}

static void
add_fractions (JsonBuilder  *b,
               const char   *name,
               const double *fractions,
               gboolean      with_mixed)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  for (guint i = with_mixed ? 0 : 1; i < DL_HS_N_MATERIALS; i++)
    dl_json_set_double_or_null (b, dl_hs_material_to_string (i), fractions[i]);
  json_builder_end_object (b);
}

JsonNode *
dl_consistency_to_json_node (const DlConsistency *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "view");
  json_builder_add_int_value (b, self->view);
  add_box (b, "cargo_box", self->cargo_box);
  dl_json_set_double_or_null (b, "cargo_kg", round (self->cargo_kg * 10) / 10);
  dl_json_set_double_or_null (b, "cargo_kg_sigma", round (self->cargo_kg_sigma * 10) / 10);
  json_builder_set_member_name (b, "lower_bound");
  json_builder_add_boolean_value (b, self->lower_bound);
  dl_json_set_double_or_null (b, "opaque_share", round (self->opaque_share * 1000) / 1000);
  dl_json_set_double_or_null (b, "second_view_share", round (self->second_view_share * 1000) / 1000);
  dl_json_set_double_or_null (b, "declared_kg", self->declared_kg);
  dl_json_set_double_or_null (b, "classified_share", round (self->classified_share * 1000) / 1000);
  add_fractions (b, "fractions", self->fraction, FALSE);
  add_fractions (b, "fractions_min", self->fraction_min, FALSE);
  add_fractions (b, "expected", self->expected, TRUE);
  json_builder_set_member_name (b, "hints");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->hints->len; i++)
    add_hint_node (b, g_ptr_array_index (self->hints, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

char *
dl_consistency_to_json (const DlConsistency *self)
{
  g_autoptr(JsonNode) root = dl_consistency_to_json_node (self);

  return json_to_string (root, TRUE);
}
