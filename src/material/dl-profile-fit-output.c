/* dl-profile-fit-output.c — what a profile fit says: its residuals, the
 * image-quality figures, the profile file and the report.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-profile-fit"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "dl-profile-fit-private.h"

static const char *class_keys[] = { "mixed", "organic", "inorganic", "metal" };

static const DlTestSeries *
series_of (const FitContext *ctx, const DlFitBlock *b)
{
  return g_ptr_array_index (ctx->object->series, b->series);
}

static DlMaterialClass
block_class (const FitContext *ctx, const DlFitBlock *b)
{
  DlMaterialClass k = dl_test_object_material (ctx->object, series_of (ctx, b)->material)->klass;
  return k == DL_CLASS_HEAVY ? DL_CLASS_METAL : k;
}

static double
boundary_at (const DlCalibration *cal, const double *values, double a)
{
  if (a <= cal->a[0])
    return values[0];
  for (guint i = 0; i + 1 < cal->n_points; i++)
    if (a <= cal->a[i + 1])
      return values[i] + (a - cal->a[i]) / (cal->a[i + 1] - cal->a[i]) * (values[i + 1] - values[i]);
  return values[cal->n_points - 1];
}

static gboolean
trusted_step (const FitContext *ctx, const DlCalibration *cal, const DlFitBlock *b)
{
  return series_of (ctx, b)->kind == DL_TEST_SERIES_WEDGE && b->a_high >= cal->a_min && b->a_high <= cal->a_max;
}

/* The share of @b's plateau the fitted calibration puts in its class. */
static void
classify_plateau (const FitContext *ctx, const DlCalibration *cal, const DlFitBlock *b,
                  guint *right, guint *all)
{
  int m = (int) _dl_fit_margin (ctx);
  DlMaterialClass want = block_class (ctx, b);

  for (int y = MAX ((int) ceil (b->box_px[1]) + m, 0); y < MIN ((int) floor (b->box_px[3]) - m, (int) ctx->h); y++)
    for (int x = MAX ((int) ceil (b->box_px[0]) + m, 0); x < MIN ((int) floor (b->box_px[2]) - m, (int) ctx->w); x++)
      {
        gsize k = (gsize) y * ctx->w + x;
        DlMaterialClass got = ctx->sl[k] > 0 ? dl_calibration_class (cal, ctx->sh[k], ctx->sh[k] / ctx->sl[k])
                                             : DL_CLASS_TOO_DENSE;
        *right += got == want || (want == DL_CLASS_METAL && got == DL_CLASS_HEAVY);
        (*all)++;
      }
}

void
_dl_fit_residuals (FitContext          *ctx,
                   const DlCalibration *cal)
{
  double sq[4] = { 0 };
  guint n[4] = { 0 }, right = 0, all = 0;

  ctx->fit->boundary_margin = G_MAXDOUBLE;
  for (guint i = 0; i < ctx->fit->blocks->len; i++)
    {
      const DlFitBlock *b = &g_array_index (ctx->fit->blocks, DlFitBlock, i);
      DlMaterialClass k = block_class (ctx, b);
      DlMaterialClass raw = dl_test_object_material (ctx->object, series_of (ctx, b)->material)->klass;
      double oi, im, d;

      if (!trusted_step (ctx, cal, b))
        continue;
      if (raw != DL_CLASS_HEAVY)
        sq[k] += pow (b->mu_high / cal->mu[k] - 1, 2), n[k]++;
      oi = boundary_at (cal, cal->organic_inorganic, b->a_high);
      im = boundary_at (cal, cal->inorganic_metal, b->a_high);
      d = k == DL_CLASS_ORGANIC ? oi - b->ratio : k == DL_CLASS_INORGANIC ? MIN (b->ratio - oi, im - b->ratio)
                                                                         : b->ratio - im;
      if (b->ratio_sigma > 0)
        ctx->fit->boundary_margin = MIN (ctx->fit->boundary_margin, d / b->ratio_sigma);
      classify_plateau (ctx, cal, b, &right, &all);
    }
  for (guint k = 1; k < 4; k++)
    ctx->fit->mu_rms[k] = n[k] ? sqrt (sq[k] / n[k]) : 0;
  ctx->fit->steps_classified = all ? (double) right / all : 0;
  if (ctx->fit->boundary_margin == G_MAXDOUBLE)
    ctx->fit->boundary_margin = 0;
}

/* Penetration: the thickest plate of the series while every plate up to
 * it shows its feature; contrast: the smallest feature shown. */
void
_dl_fit_quality (FitContext *ctx)
{
  gboolean penetration_open = TRUE;

  for (guint i = 0; i < ctx->fit->blocks->len; i++)
    {
      const DlFitBlock *b = &g_array_index (ctx->fit->blocks, DlFitBlock, i);
      const DlTestSeries *s = series_of (ctx, b);
      gboolean seen = b->snr >= DL_PROFILE_FIT_SNR_SEEN;

      if (s->kind == DL_TEST_SERIES_PENETRATION && penetration_open)
        {
          if (seen)
            ctx->fit->penetration_mm = MAX (ctx->fit->penetration_mm, s->thickness_mm[b->block]);
          else
            penetration_open = FALSE;
        }
      else if (s->kind == DL_TEST_SERIES_CONTRAST && seen
               && (ctx->fit->contrast_mm == 0 || s->feature_mm[b->block] < ctx->fit->contrast_mm))
        {
          ctx->fit->contrast_mm = s->feature_mm[b->block];
          ctx->fit->contrast_base_mm = s->thickness_mm[b->block];
        }
    }
}

static void
set_number (GKeyFile *kf, const char *group, const char *key, const char *format, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_key_file_set_string (kf, group, key, g_ascii_formatd (buf, sizeof buf, format, value));
}

static void
set_imaging (GKeyFile *kf, const FitContext *ctx)
{
  char px[G_ASCII_DTOSTR_BUF_SIZE], py[G_ASCII_DTOSTR_BUF_SIZE];

  set_number (kf, "imaging", "i0", "%.0f", ctx->i0h);
  g_ascii_formatd (px, sizeof px, "%g", ctx->px);
  g_ascii_formatd (py, sizeof py, "%g", ctx->py);
  if (ctx->px == ctx->py)
    g_key_file_set_string (kf, "imaging", "pitch_mm", px);
  else
    {
      g_autofree char *both = g_strdup_printf ("%s;%s", px, py);
      g_key_file_set_string (kf, "imaging", "pitch_mm", both);
    }
  set_number (kf, "imaging", "blur_sigma_px", "%.3f", ctx->sigma);
  if (ctx->fit->photons_high > 0 && ctx->fit->photons_low > 0)
    {
      set_number (kf, "imaging", "photons_high", "%.0f", ctx->fit->photons_high);
      set_number (kf, "imaging", "photons_low", "%.0f", ctx->fit->photons_low);
    }
  if (ctx->fit->noise_floor > 0)
    set_number (kf, "imaging", "noise_floor", "%.2f", ctx->fit->noise_floor);
}

/* [identity]: named by the id; the scanner's make, model and serial when
 * a make and model are known (patterns as a profile's are: a literal
 * name matches itself).  TRUE when they are. */
static gboolean
set_identity (GKeyFile                   *kf,
              const DlProfileFitIdentity *identity)
{
  g_key_file_set_string (kf, "identity", "named", identity->id);
  if (identity->make == NULL || identity->model == NULL)
    return FALSE;
  g_key_file_set_string (kf, "identity", "make", identity->make);
  g_key_file_set_string (kf, "identity", "model", identity->model);
  if (identity->serial)
    g_key_file_set_string (kf, "identity", "serial", identity->serial);
  return TRUE;
}

static void
set_energies (GKeyFile                   *kf,
              const DlProfileFitIdentity *identity)
{
  if (identity->energy_high_mev > 0 && identity->energy_low_mev > 0)
    {
      set_number (kf, "imaging", "energy_high_mev", "%g", identity->energy_high_mev);
      set_number (kf, "imaging", "energy_low_mev", "%g", identity->energy_low_mev);
    }
}

char *
_dl_fit_profile_text (FitContext                 *ctx,
                      const DlCalibration        *cal,
                      const DlProfileFitIdentity *identity)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(DlCalibration) copy = dl_calibration_copy (cal);
  gboolean scanner, energies = identity->energy_high_mev > 0 && identity->energy_low_mev > 0;

  g_key_file_set_string (kf, "profile", "id", identity->id);
  g_key_file_set_string (kf, "profile", "name", identity->name ? identity->name : identity->id);
  scanner = set_identity (kf, identity);
  set_energies (kf, identity);
  set_imaging (kf, ctx);
  g_key_file_set_string (kf, "display", "preset", "auto");
  g_free (copy->profile);
  copy->profile = g_strdup (identity->id);
  dl_calibration_to_key_file (copy, kf);
  g_key_file_set_comment (kf, NULL, NULL,
                          scanner && energies
                          ? " Doorlicht scanner profile (docs/scanner-profiles.md), fitted by\n"
                            " doorlicht-cli profile fit from a scan of a step-wedge test object."
                          : " Doorlicht scanner profile (docs/scanner-profiles.md), fitted by\n"
                            " doorlicht-cli profile fit from a scan of a step-wedge test object.\n"
                            " Add what is missing of the scanner's identity (make, model, serial,\n"
                            " folders) and its energies to [imaging]: a test object does not tell them.",
                          NULL);
  return g_key_file_to_data (kf, NULL, NULL);
}

char *
dl_profile_fit_to_data (const DlProfileFit *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_bytes_get_data (self->text, NULL) ? g_strdup (g_bytes_get_data (self->text, NULL)) : NULL;
}

gboolean
dl_profile_fit_save (const DlProfileFit  *self,
                     const char          *path,
                     GError             **error)
{
  gsize len;
  const char *data = g_bytes_get_data (self->text, &len);

  return g_file_set_contents (path, data, len - 1, error);
}

/* ---- report -------------------------------------------------------------------------- */

static void
member (JsonBuilder *b, const char *name, double value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, round (value * 1e5) / 1e5);
}

static void
report_blocks (JsonBuilder *b, const DlProfileFit *self, const DlTestObject *object, DlTestSeriesKind kind)
{
  for (guint i = 0; i < self->blocks->len; i++)
    {
      const DlFitBlock *f = &g_array_index (self->blocks, DlFitBlock, i);
      const DlTestSeries *s = g_ptr_array_index (object->series, f->series);

      if (s->kind != kind)
        continue;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "material");
      json_builder_add_string_value (b, dl_test_object_material (object, s->material)->name);
      member (b, "thickness_mm", s->thickness_mm[f->block]);
      if (kind == DL_TEST_SERIES_WEDGE)
        {
          member (b, "a_high", f->a_high);
          member (b, "a_low", f->a_low);
          member (b, "ratio", f->ratio);
          member (b, "ratio_sigma", f->ratio_sigma);
          member (b, "mu_high", f->mu_high);
        }
      else
        {
          member (b, "feature_mm", s->feature_mm[f->block]);
          member (b, "snr", f->snr);
        }
      json_builder_end_object (b);
    }
}

static void
report_array (JsonBuilder *b, const char *name, const DlProfileFit *self, const DlTestObject *object,
              DlTestSeriesKind kind)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  report_blocks (b, self, object, kind);
  json_builder_end_array (b);
}

static void
report_fits (JsonBuilder *b, const DlProfileFit *self)
{
  const DlCalibration *cal = self->profile->calibration;

  json_builder_set_member_name (b, "blur");
  json_builder_begin_object (b);
  member (b, "sigma_px", self->blur_sigma);
  member (b, "spread_px", self->blur_spread);
  member (b, "edges", self->blur_edges);
  member (b, "rms_counts", self->blur_rms);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "noise");
  json_builder_begin_object (b);
  member (b, "photons_high", self->photons_high);
  member (b, "photons_low", self->photons_low);
  member (b, "floor_counts", self->noise_floor);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "calibration");
  json_builder_begin_object (b);
  member (b, "a_min", cal->a_min);
  member (b, "a_max", cal->a_max);
  member (b, "points", cal->n_points);
  member (b, "boundary_margin_sigma", self->boundary_margin);
  member (b, "steps_classified", self->steps_classified);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "mass");
  json_builder_begin_object (b);
  for (guint k = 0; k < 4; k++)
    member (b, class_keys[k], cal->mu[k]);
  for (guint k = 1; k < 4; k++)
    {
      g_autofree char *key = g_strdup_printf ("%s_rms", class_keys[k]);
      member (b, key, self->mu_rms[k]);
    }
  json_builder_end_object (b);
}

/* @value when something was seen (@seen above 0), else null. */
static void
seen_or_null (JsonBuilder *b, const char *name, double seen, double value)
{
  json_builder_set_member_name (b, name);
  if (seen > 0)
    json_builder_add_double_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
report_quality (JsonBuilder *b, const DlProfileFit *self)
{
  json_builder_set_member_name (b, "image_quality");
  json_builder_begin_object (b);
  member (b, "snr_seen", DL_PROFILE_FIT_SNR_SEEN);
  seen_or_null (b, "steel_penetration_mm", self->penetration_mm, self->penetration_mm);
  seen_or_null (b, "contrast_sensitivity_mm", self->contrast_mm, self->contrast_mm);
  seen_or_null (b, "contrast_sensitivity_percent", self->contrast_mm,
                round (1000 * self->contrast_mm / self->contrast_base_mm) / 10);
  json_builder_end_object (b);
}

char *
dl_profile_fit_report (const DlProfileFit *self,
                       const DlTestObject *object)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "profile");
  json_builder_add_string_value (b, self->profile->id);
  member (b, "i0_high", self->i0_high);
  member (b, "i0_low", self->i0_low);
  report_fits (b, self);
  report_quality (b, self);
  report_array (b, "steps", self, object, DL_TEST_SERIES_WEDGE);
  report_array (b, "penetration", self, object, DL_TEST_SERIES_PENETRATION);
  report_array (b, "contrast", self, object, DL_TEST_SERIES_CONTRAST);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, TRUE);
}
