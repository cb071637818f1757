/* dl-profile-fit.c — a scanner profile fitted from one scan of a
 * step-wedge test object.
 *
 * The object is found from the image, guided by OBJECT.json: the air
 * value is the mode of the bright pixels; the object's extent is where
 * the attenuation stands above the air's noise, and must match the
 * extent OBJECT.json gives in millimetres at the scan's pitch; each
 * block is then looked for where the layout puts it, and its edges are
 * found where the attenuation crosses half its plateau.  The blur, noise,
 * plateaus and features are measured in dl-profile-fit-measure.c; the
 * material boundaries are placed as dl_calibration_fit_synthetic () places
 * them (midway between the classes' ratios, trusted while the noise stays
 * under a fifth of the gap); the mass coefficients are A_high / (ρ t) of
 * the steps in the trusted range.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-profile-fit"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "dl-profile-fit-private.h"
#include "dl-select.h"

#define MIN_AIR_SHARE 0.05

G_DEFINE_QUARK (dl-profile-fit-error-quark, dl_profile_fit_error)

void
dl_profile_fit_free (DlProfileFit *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->profile, dl_profile_unref);
  g_clear_pointer (&self->blocks, g_array_unref);
  g_clear_pointer (&self->text, g_bytes_unref);
  g_free (self);
}

static gboolean
fit_error (GError **error, DlProfileFitError code, char *message)
{
  g_set_error_literal (error, DL_PROFILE_FIT_ERROR, code, message);
  g_free (message);
  return FALSE;
}

static void
context_clear (FitContext *ctx)
{
  g_free (ctx->ah);
  g_free (ctx->al);
  g_free (ctx->sh);
  g_free (ctx->sl);
}

/* ---- air ----------------------------------------------------------------------- */

/* The air value of @p: the median of the pixels above 90 % of the 99th
 * percentile, then the median of those within 3 % of it, and their
 * spread; FALSE when under MIN_AIR_SHARE of the scan is air. */
static gboolean
find_air (const DlPlane *p, double *i0, double *sd)
{
  gsize n = (gsize) p->width * p->height, seen = 0, total = 0, count = 0;
  g_autofree guint *hist = g_new0 (guint, 65536);
  double med = 0, window, sum = 0, sq = 0;
  guint v, lo;

  for (gsize k = 0; k < n; k++)
    hist[p->data[k]]++;
  for (v = 0; v < 65535 && (seen += hist[v]) < n - n / 100; v++)
    ;
  lo = (guint) ceil (0.9 * v);
  for (guint u = lo; u < 65536; u++)
    total += hist[u];
  seen = 0;
  for (guint u = lo; u < 65536; u++)
    if ((seen += hist[u]) > total / 2)
      {
        med = u;
        break;
      }
  window = MAX (3.0, 0.03 * med);
  for (guint u = (guint) MAX (0, med - window); u <= MIN (65535, med + window); u++)
    count += hist[u], sum += (double) hist[u] * u, sq += (double) hist[u] * u * u;
  if (count < MIN_AIR_SHARE * n || med <= 0)
    return FALSE;
  /* the median of the window: the blurred edges of the object pull its mean down */
  seen = 0;
  for (guint u = (guint) MAX (0, med - window); u <= MIN (65535, med + window); u++)
    if ((seen += hist[u]) * 2 >= count)
      {
        *i0 = u;
        break;
      }
  *sd = sqrt (MAX (sq / count - pow (sum / count, 2), 0));
  return TRUE;
}

static gboolean
setup (FitContext *ctx, DlScan *scan, GError **error)
{
  DlPlane *high = NULL, *low = NULL;
  double sd_h, sd_l;
  gsize n;

  if (!dl_scan_get_energy_pair (scan, 0, &high, &low))
    return fit_error (error, DL_PROFILE_FIT_ERROR_SCAN,
                      g_strdup (_("The scan has no high- and low-energy image to fit a profile from")));
  if (!dl_scan_get_pixel_pitch (scan, &ctx->px, &ctx->py) || !(ctx->px > 0 && ctx->py > 0))
    return fit_error (error, DL_PROFILE_FIT_ERROR_SCAN,
                      g_strdup (_("The scan states no pixel pitch: the test object’s millimetres cannot be found in it")));
  ctx->high = high;
  ctx->low = low;
  ctx->w = high->width;
  ctx->h = high->height;
  if (!find_air (high, &ctx->i0h, &sd_h) || !find_air (low, &ctx->i0l, &sd_l))
    return fit_error (error, DL_PROFILE_FIT_ERROR_NOT_FOUND,
                      g_strdup_printf (_("Too little air in the scan (under %.0f %% of it): the test object must stand in air"),
                                       100 * MIN_AIR_SHARE));
  ctx->air_sd_a = sd_h / ctx->i0h;
  n = (gsize) ctx->w * ctx->h;
  ctx->ah = g_new (float, n);
  ctx->al = g_new (float, n);
  for (gsize k = 0; k < n; k++)
    {
      ctx->ah[k] = log (ctx->i0h / MAX (high->data[k], 1));
      ctx->al[k] = log (ctx->i0l / MAX (low->data[k], 1));
    }
  dl_material_smooth_attenuations (high, low, DL_FIT_SMOOTH_RADIUS, &ctx->sh, &ctx->sl);
  return TRUE;
}

/* ---- the object and its blocks ----------------------------------------------------- */

static double
threshold (const FitContext *ctx)
{
  return MAX (0.05, 6 * ctx->air_sd_a);
}

/* The first and last of @n counts of at least 3, or FALSE. */
static gboolean
span (const guint *counts, guint n, int *first, int *last)
{
  *first = -1;
  for (guint i = 0; i < n; i++)
    if (counts[i] >= 3)
      {
        if (*first < 0)
          *first = i;
        *last = i;
      }
  return *first >= 0;
}

/* The object's extent in pixels (x0, y0, x1, y1, end exclusive), checked
 * against OBJECT.json's at the scan's pitch. */
static gboolean
find_object (FitContext *ctx, double *found, GError **error)
{
  g_autofree guint *rows = g_new0 (guint, ctx->h), *cols = g_new0 (guint, ctx->w);
  double t = threshold (ctx), e[4], want_w, want_h, got_w, got_h;
  int x0, x1, y0, y1;

  for (guint y = 0; y < ctx->h; y++)
    for (guint x = 0; x < ctx->w; x++)
      if (ctx->ah[(gsize) y * ctx->w + x] > t)
        rows[y]++, cols[x]++;
  if (!span (rows, ctx->h, &y0, &y1) || !span (cols, ctx->w, &x0, &x1))
    return fit_error (error, DL_PROFILE_FIT_ERROR_NOT_FOUND,
                      g_strdup_printf (_("No test object in the scan: nothing attenuates more than %.2f"), t));
  dl_test_object_extent (ctx->object, e);
  want_w = e[2] - e[0], want_h = e[3] - e[1];
  got_w = (x1 + 1 - x0) * ctx->px, got_h = (y1 + 1 - y0) * ctx->py;
  if (fabs (got_w - want_w) > 3 * ctx->px + 0.03 * want_w || fabs (got_h - want_h) > 3 * ctx->py + 0.03 * want_h)
    return fit_error (error, DL_PROFILE_FIT_ERROR_NOT_FOUND,
                      g_strdup_printf (_("What the scan shows is %.0f × %.0f mm, the test object of OBJECT.json "
                                         "%.0f × %.0f mm: not that object, or not at the scan’s pitch"),
                                       got_w, got_h, want_w, want_h));
  found[0] = x0, found[1] = y0, found[2] = x1 + 1, found[3] = y1 + 1;
  return TRUE;
}

/* The mean attenuation along one line across a block: @along x (a row
 * band y0 … y1) or y (a column band). */
static double
band_mean (const FitContext *ctx, gboolean along_x, int pos, int b0, int b1)
{
  double sum = 0;
  int n = 0;

  for (int i = b0; i < b1; i++)
    {
      int x = along_x ? pos : i, y = along_x ? i : pos;
      if (x >= 0 && y >= 0 && x < (int) ctx->w && y < (int) ctx->h)
        sum += ctx->ah[(gsize) y * ctx->w + x], n++;
    }
  return n ? sum / n : 0;
}

/* The same of the high channel's counts. */
static double
band_counts (const FitContext *ctx, gboolean along_x, int pos, int b0, int b1)
{
  double sum = 0;
  int n = 0;

  for (int i = b0; i < b1; i++)
    {
      int x = along_x ? pos : i, y = along_x ? i : pos;
      if (x >= 0 && y >= 0 && x < (int) ctx->w && y < (int) ctx->h)
        sum += ctx->high->data[(gsize) y * ctx->w + x], n++;
    }
  return n ? sum / n : 0;
}

/* Where the counts cross @half near @pred (±@reach px), falling (@into:
 * into the block) or rising along the line; pixel centres at i + 0.5.
 * The blur spreads intensity, so an edge is where the counts are halfway
 * between the air's and the block's, however dense the block. */
static gboolean
crossing (const FitContext *ctx, gboolean along_x, double pred, int reach, int b0, int b1,
          double half, gboolean into, double *out)
{
  double best = G_MAXDOUBLE;

  for (int i = (int) floor (pred) - reach; i <= (int) floor (pred) + reach; i++)
    {
      double p = band_counts (ctx, along_x, i, b0, b1), q = band_counts (ctx, along_x, i + 1, b0, b1);
      double x;

      if (into ? !(p > half && q <= half) : !(p <= half && q > half))
        continue;
      x = i + 0.5 + (half - p) / (q - p);
      if (fabs (x - pred) < fabs (best - pred))
        best = x;
    }
  *out = best;
  return best != G_MAXDOUBLE;
}

static gboolean
block_missing (const DlTestObject *o, guint s, guint b, const char *why, GError **error)
{
  const DlTestSeries *ts = g_ptr_array_index (o->series, s);

  return fit_error (error, DL_PROFILE_FIT_ERROR_NOT_FOUND,
                    g_strdup_printf (_("Block %u of series %u (%s, %s, %g mm) %s"), b + 1, s + 1,
                                     dl_test_series_kind_to_string (ts->kind),
                                     dl_test_object_material (o, ts->material)->name, ts->thickness_mm[b], why));
}

/* Finds the edges of block @b of series @s, predicted at @pred (px). */
static gboolean
find_block (FitContext *ctx, guint s, guint b, const double *pred, int reach, DlFitBlock *out, GError **error)
{
  double w = pred[2] - pred[0], h = pred[3] - pred[1], level, half;
  int rx0 = (int) (pred[0] + w / 4), rx1 = (int) (pred[2] - w / 4);
  int ry0 = (int) (pred[1] + h / 4), ry1 = (int) (pred[3] - h / 4);
  g_autofree double *middle = g_new (double, MAX (rx1 - rx0, 1));
  guint n = 0;

  for (int x = rx0; x < rx1; x++)
    middle[n++] = band_mean (ctx, TRUE, x, ry0, ry1);
  qsort (middle, n, sizeof (double), dl_compare_double);
  level = n ? middle[n / 2] : 0;
  half = (ctx->i0h + ctx->i0h * exp (-level)) / 2;
  *out = (DlFitBlock) { .series = s, .block = b };
  if (n == 0 || level < threshold (ctx))
    return block_missing (ctx->object, s, b, _("is not where OBJECT.json puts it"), error);
  if (!crossing (ctx, TRUE, pred[0], reach, ry0, ry1, half, TRUE, &out->box_px[0])
      || !crossing (ctx, TRUE, pred[2], reach, ry0, ry1, half, FALSE, &out->box_px[2])
      || !crossing (ctx, FALSE, pred[1], reach, rx0, rx1, half, TRUE, &out->box_px[1])
      || !crossing (ctx, FALSE, pred[3], reach, rx0, rx1, half, FALSE, &out->box_px[3]))
    return block_missing (ctx->object, s, b, _("has no clear edges where OBJECT.json puts them"), error);
  g_debug ("series %u block %u: level %.3f, predicted %.1f %.1f %.1f %.1f, found %.2f %.2f %.2f %.2f",
           s, b, level, pred[0], pred[1], pred[2], pred[3],
           out->box_px[0], out->box_px[1], out->box_px[2], out->box_px[3]);
  if (fabs (out->box_px[2] - out->box_px[0] - w) > 1.5 + 0.05 * w
      || fabs (out->box_px[3] - out->box_px[1] - h) > 1.5 + 0.05 * h)
    return block_missing (ctx->object, s, b, _("is not the size OBJECT.json gives"), error);
  return TRUE;
}

static gboolean
find_blocks (FitContext *ctx, GError **error)
{
  double found[4], e[4];

  if (!find_object (ctx, found, error))
    return FALSE;
  dl_test_object_extent (ctx->object, e);
  for (guint s = 0; s < ctx->object->series->len; s++)
    {
      const DlTestSeries *ts = g_ptr_array_index (ctx->object->series, s);
      int reach = CLAMP ((int) (ts->gap_mm / ctx->px / 2) - 1, 1, 4);

      for (guint b = 0; b < ts->n_blocks; b++)
        {
          double box[4], pred[4];
          DlFitBlock block;

          dl_test_series_block (ts, b, box);
          pred[0] = found[0] + (box[0] - e[0]) / ctx->px;
          pred[2] = found[0] + (box[2] - e[0]) / ctx->px;
          pred[1] = found[1] + (box[1] - e[1]) / ctx->py;
          pred[3] = found[1] + (box[3] - e[1]) / ctx->py;
          if (!find_block (ctx, s, b, pred, reach, &block, error))
            return FALSE;
          g_array_append_val (ctx->fit->blocks, block);
        }
    }
  return TRUE;
}

/* ---- the material boundaries --------------------------------------------------------- */

/* R and its spread of wedge @s's steps, interpolated at @a (FALSE outside
 * the steps' range of A_high). */
static gboolean
ratio_at (const FitContext *ctx, guint s, double a, double *r, double *sigma)
{
  const DlFitBlock *lo = NULL, *hi = NULL;

  for (guint i = 0; i < ctx->fit->blocks->len; i++)
    {
      const DlFitBlock *b = &g_array_index (ctx->fit->blocks, DlFitBlock, i);

      if (b->series != s)
        continue;
      if (b->a_high <= a && (lo == NULL || b->a_high > lo->a_high))
        lo = b;
      if (b->a_high >= a && (hi == NULL || b->a_high < hi->a_high))
        hi = b;
    }
  if (lo == NULL || hi == NULL)
    return FALSE;
  if (hi == lo)
    return *r = lo->ratio, *sigma = lo->ratio_sigma, TRUE;
  {
    double t = (a - lo->a_high) / (hi->a_high - lo->a_high);
    *r = lo->ratio + t * (hi->ratio - lo->ratio);
    *sigma = lo->ratio_sigma + t * (hi->ratio_sigma - lo->ratio_sigma);
  }
  return TRUE;
}

static DlMaterialClass
series_class (const FitContext *ctx, guint s)
{
  const DlTestSeries *ts = g_ptr_array_index (ctx->object->series, s);
  DlMaterialClass k = dl_test_object_material (ctx->object, ts->material)->klass;

  return k == DL_CLASS_HEAVY ? DL_CLASS_METAL : k;
}

/* The classes' extreme ratios at @a: organic's highest, inorganic's
 * lowest and highest, metal's lowest, and the largest spread; FALSE when
 * a class has no wedge reaching @a. */
static gboolean
classes_at (const FitContext *ctx, double a, double *ext, double *sigma)
{
  guint have[4] = { 0 };

  ext[0] = ext[2] = -G_MAXDOUBLE;
  ext[1] = ext[3] = G_MAXDOUBLE;
  *sigma = 0;
  for (guint s = 0; s < ctx->object->series->len; s++)
    {
      const DlTestSeries *ts = g_ptr_array_index (ctx->object->series, s);
      DlMaterialClass k = series_class (ctx, s);
      double r, sd;

      if (ts->kind != DL_TEST_SERIES_WEDGE || !ratio_at (ctx, s, a, &r, &sd))
        continue;
      have[k]++;
      *sigma = MAX (*sigma, sd);
      if (k == DL_CLASS_ORGANIC)
        ext[0] = MAX (ext[0], r);
      else if (k == DL_CLASS_INORGANIC)
        ext[1] = MIN (ext[1], r), ext[2] = MAX (ext[2], r);
      else
        ext[3] = MIN (ext[3], r);
    }
  return have[1] && have[2] && have[3];
}

static gboolean
fit_boundaries (FitContext *ctx, DlCalibration *cal, GError **error)
{
  static const double ladder[] = { 0.03, 0.06, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5,
                                   3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 7.0, 8.0 };
  gboolean trusted_any = FALSE;

  cal->smooth_radius = DL_FIT_SMOOTH_RADIUS;
  /* one scan of the object shows no drift between scans: the usual one */
  cal->ratio_margin = DL_CALIBRATION_RATIO_MARGIN;
  for (guint i = 0; i < G_N_ELEMENTS (ladder); i++)
    {
      double ext[4], sigma;
      gboolean known = classes_at (ctx, ladder[i], ext, &sigma);

      if (!known || sigma > 0.2 * MIN (ext[1] - ext[0], ext[3] - ext[2]))
        {
          if (trusted_any)
            break;
          continue;
        }
      if (!trusted_any)
        cal->a_min = ladder[i];
      trusted_any = TRUE;
      cal->a_max = ladder[i];
      cal->a[cal->n_points] = ladder[i];
      cal->organic_inorganic[cal->n_points] = (ext[0] + ext[1]) / 2;
      cal->inorganic_metal[cal->n_points] = (ext[2] + ext[3]) / 2;
      cal->n_points++;
    }
  if (!trusted_any)
    return fit_error (error, DL_PROFILE_FIT_ERROR_FIT,
                      g_strdup (_("The step wedges allow no material boundary: at no attenuation do organic, "
                                  "inorganic and metal steps stand apart by five times their noise")));
  return TRUE;
}

/* ---- mass coefficients ---------------------------------------------------------------- */

static gboolean
fit_mass (FitContext *ctx, DlCalibration *cal, GError **error)
{
  static const char *names[] = { NULL, N_("organic"), N_("inorganic"), N_("metal") };
  double sum[4] = { 0 }, sq[4] = { 0 }, spread[4] = { 0 };
  guint n[4] = { 0 };

  for (guint s = 0; s < ctx->object->series->len; s++)
    {
      const DlTestSeries *ts = g_ptr_array_index (ctx->object->series, s);
      const DlTestMaterial *m = dl_test_object_material (ctx->object, ts->material);
      double ms = 0, mq = 0;
      guint mn = 0;

      if (ts->kind != DL_TEST_SERIES_WEDGE || m->klass == DL_CLASS_HEAVY)
        continue;
      for (guint i = 0; i < ctx->fit->blocks->len; i++)
        {
          DlFitBlock *b = &g_array_index (ctx->fit->blocks, DlFitBlock, i);

          if (b->series != s)
            continue;
          b->mu_high = b->a_high / (m->density * ts->thickness_mm[b->block] / 10);
          if (b->a_high >= cal->a_min && b->a_high <= cal->a_max)
            ms += b->mu_high, mq += b->mu_high * b->mu_high, mn++;
        }
      if (mn == 0)
        continue;
      ms /= mn;
      sum[m->klass] += ms;
      sq[m->klass] += ms * ms;
      spread[m->klass] += sqrt (MAX (mq / mn - ms * ms, 0)) / ms;
      n[m->klass]++;
    }
  for (guint k = 1; k < 4; k++)
    {
      double mean, between;

      if (n[k] == 0)
        return fit_error (error, DL_PROFILE_FIT_ERROR_FIT,
                          g_strdup_printf (_("No %s step wedge in the trusted range of attenuation: "
                                             "its mass coefficient cannot be fitted"), _(names[k])));
      mean = sum[k] / n[k];
      between = sqrt (MAX (sq[k] / n[k] - mean * mean, 0)) / mean;
      cal->mu[k] = mean;
      cal->mu_rel_sigma[k] = MIN (0.5, MAX (between, spread[k] / n[k]));
    }
  /* matter of no class: the mean of the three, spread as they are */
  cal->mu[0] = (cal->mu[1] + cal->mu[2] + cal->mu[3]) / 3;
  {
    double var = 0;
    for (guint k = 1; k < 4; k++)
      var += pow (cal->mu[k] - cal->mu[0], 2) / 3;
    cal->mu_rel_sigma[0] = MIN (0.5, sqrt (var) / cal->mu[0]);
  }
  cal->has_mass = TRUE;
  cal->blur_sigma = ctx->sigma;
  return TRUE;
}

/* ---- the fit --------------------------------------------------------------------------- */

static gboolean
measure_blocks (FitContext *ctx, GError **error)
{
  for (guint i = 0; i < ctx->fit->blocks->len; i++)
    {
      DlFitBlock *b = &g_array_index (ctx->fit->blocks, DlFitBlock, i);
      const DlTestSeries *s = g_ptr_array_index (ctx->object->series, b->series);

      _dl_fit_measure_block (ctx, b);
      if (b->n_pixels < 4)
        return block_missing (ctx->object, b->series, b->block,
                              _("is too small to measure with a blur of this size"), error);
      if (s->kind != DL_TEST_SERIES_WEDGE)
        _dl_fit_feature (ctx, b);
    }
  return TRUE;
}

static gboolean
make_profile (FitContext *ctx, const DlCalibration *cal, const DlProfileFitIdentity *identity, GError **error)
{
  g_autofree char *text = _dl_fit_profile_text (ctx, cal, identity);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text) + 1);
  g_autoptr(GBytes) file = g_bytes_new (text, strlen (text));
  g_autoptr(GError) local = NULL;

  ctx->fit->profile = dl_profile_load_bytes (file, identity->id, &local);
  if (ctx->fit->profile == NULL)
    return fit_error (error, DL_PROFILE_FIT_ERROR_FIT,
                      g_strdup_printf (_("The fitted profile is not valid: %s"), local->message));
  ctx->fit->text = g_steal_pointer (&bytes);
  return TRUE;
}

/**
 * dl_profile_fit:
 * @scan: one scan of @object (view 0: a high and a low channel, a pitch)
 * @identity: the profile's id and name, the scanner's identity (the
 *   scan's own make, model and serial where it gives none) and energies
 *
 * Fits a complete profile from @scan, or fails saying why: no energy
 * pair, no pitch, no air, no object, a block missing or not the size
 * OBJECT.json gives, steps that allow no boundary.  The profile is named
 * by its id and, when a make and model are known, is for that scanner.
 */
DlProfileFit *
dl_profile_fit (DlScan                     *scan,
                const DlTestObject         *object,
                const DlProfileFitIdentity *identity,
                GError                    **error)
{
  g_autoptr(DlProfileFit) fit = g_new0 (DlProfileFit, 1);
  g_autoptr(DlCalibration) cal = g_new0 (DlCalibration, 1);
  FitContext ctx = { .object = object, .fit = fit, .sigma = 1 };
  DlProfileFitIdentity full;
  gboolean ok;

  g_return_val_if_fail (DL_IS_SCAN (scan), NULL);
  g_return_val_if_fail (object != NULL && identity != NULL && identity->id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!dl_test_object_check (object, error))
    return NULL;
  fit->blocks = g_array_new (FALSE, TRUE, sizeof (DlFitBlock));
  ok = setup (&ctx, scan, error) && find_blocks (&ctx, error) && _dl_fit_blur (&ctx, error)
       && measure_blocks (&ctx, error) && fit_boundaries (&ctx, cal, error) && fit_mass (&ctx, cal, error);
  if (ok)
    {
      fit->i0_high = ctx.i0h;
      fit->i0_low = ctx.i0l;
      _dl_fit_noise (&ctx);
      _dl_fit_residuals (&ctx, cal);
      _dl_fit_quality (&ctx);
      full = *identity;
      if (full.make == NULL && full.model == NULL)
        {
          full.make = dl_scan_get_metadata (scan, "make");
          full.model = dl_scan_get_metadata (scan, "model");
          full.serial = full.serial ? full.serial : dl_scan_get_metadata (scan, "serial");
        }
      ok = make_profile (&ctx, cal, &full, error);
    }
  context_clear (&ctx);
  return ok ? g_steal_pointer (&fit) : NULL;
}
