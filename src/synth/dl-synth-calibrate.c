/* dl-synth-calibrate.c — a material calibration fitted from step wedges
 * that the generator images (`doorlicht-cli calibrate` made the shipped
 * one; test-overlay checks it against a fresh fit).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-synth-calibrate"

#include "config.h"

#include <math.h>
#include <string.h>

#include "dl-synth-calibrate.h"

typedef struct
{
  double r_mean;
  double r_sigma;
} WedgeStep;

/* R of the middle 16 × 16 pixels of slab scans, through the very
 * smoothing the classifier uses.  The smoothing correlates neighbours, so
 * one patch holds few independent samples: the spread is taken over
 * several scans. */
static WedgeStep
measure_step (DlMaterial            material,
              double                a_high,
              guint                 radius,
              guint64               seed,
              const DlSynthImaging *imaging)
{
  const DlMaterialInfo *m = dl_material_get (material);
  double mu_high = dl_material_mu_at (material, imaging->energy_high_mev);
  double sum = 0, sum2 = 0;
  guint n = 0;
  WedgeStep step;

  for (guint s = 0; s < 8; s++)
    {
      g_autoptr(DlSynthOutput) slab = dl_synth_slab_with_imaging (material, a_high / (mu_high * m->density),
                                                                  seed * 16 + s, imaging);
      const DlPlane *high = dl_scan_get_plane (slab->scan, 0, 0);
      g_autofree float *ah = NULL;
      g_autofree float *al = NULL;

      dl_material_smooth_attenuations (high, dl_scan_get_plane (slab->scan, 0, 1), radius, &ah, &al);

      for (guint y = 24; y < 40; y++)
        for (guint x = 24; x < 40; x++)
          {
            double r = ah[y * high->width + x] / al[y * high->width + x];
            sum += r;
            sum2 += r * r;
            n++;
          }
    }
  step.r_mean = sum / n;
  step.r_sigma = sqrt (MAX (sum2 / n - step.r_mean * step.r_mean, 0));
  return step;
}

/**
 * dl_calibration_fit_synthetic:
 *
 * Images step wedges of organic (water, polyethylene, wood, the
 * cocaine-like organic), inorganic (aluminium, glass) and metal (steel,
 * lead) at a ladder of high-energy attenuations, and puts each boundary
 * midway between the neighbouring classes' measured ratios.  A step is
 * trusted while the ratio's noise stays under a fifth of the narrowest
 * gap (so a boundary is 2.5 σ from either side); the trusted steps bound
 * the classifiable range.
 */
DlCalibration *
dl_calibration_fit_synthetic (void)
{
  return dl_calibration_fit_synthetic_for (NULL);
}

/**
 * dl_calibration_fit_synthetic_for:
 *
 * The same for the generator imaging as @imaging says (NULL: the
 * built-in chain).
 */
DlCalibration *
dl_calibration_fit_synthetic_for (const DlSynthImaging *imaging)
{
  static const double ladder[] = { 0.03, 0.06, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5,
                                   3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 7.0, 8.0 };
  static const DlMaterial organic[] = { DL_MATERIAL_WATER, DL_MATERIAL_POLYETHYLENE,
                                        DL_MATERIAL_WOOD, DL_MATERIAL_COCAINE };
  static const DlMaterial inorganic[] = { DL_MATERIAL_ALUMINIUM, DL_MATERIAL_GLASS };
  static const DlMaterial metal[] = { DL_MATERIAL_STEEL, DL_MATERIAL_LEAD };
  DlCalibration *self = g_new0 (DlCalibration, 1);
  gboolean trusted_any = FALSE;

  if (imaging == NULL)
    imaging = dl_synth_imaging_default ();
  self->profile = g_strdup (imaging->profile);
  self->smooth_radius = 3;
  self->ratio_margin = DL_CALIBRATION_RATIO_MARGIN;

  for (guint i = 0; i < G_N_ELEMENTS (ladder); i++)
    {
      double org_max = 0, inorg_min = G_MAXDOUBLE, inorg_max = 0, metal_min = G_MAXDOUBLE;
      double sigma = 0;
      guint64 seed = 1000 + i;

      for (guint k = 0; k < G_N_ELEMENTS (organic); k++)
        {
          WedgeStep s = measure_step (organic[k], ladder[i], self->smooth_radius, seed++, imaging);
          org_max = MAX (org_max, s.r_mean);
          sigma = MAX (sigma, s.r_sigma);
        }
      for (guint k = 0; k < G_N_ELEMENTS (inorganic); k++)
        {
          WedgeStep s = measure_step (inorganic[k], ladder[i], self->smooth_radius, seed++, imaging);
          inorg_min = MIN (inorg_min, s.r_mean);
          inorg_max = MAX (inorg_max, s.r_mean);
          sigma = MAX (sigma, s.r_sigma);
        }
      for (guint k = 0; k < G_N_ELEMENTS (metal); k++)
        {
          WedgeStep s = measure_step (metal[k], ladder[i], self->smooth_radius, seed++, imaging);
          metal_min = MIN (metal_min, s.r_mean);
          sigma = MAX (sigma, s.r_sigma);
        }

      g_debug ("A %.2f: organic ≤ %.4f, inorganic %.4f … %.4f, metal ≥ %.4f, σ %.4f",
               ladder[i], org_max, inorg_min, inorg_max, metal_min, sigma);
      if (sigma > 0.2 * MIN (inorg_min - org_max, metal_min - inorg_max))
        {
          if (trusted_any)
            break;   /* denser steps only get noisier */
          continue;
        }
      if (!trusted_any)
        self->a_min = ladder[i];
      trusted_any = TRUE;
      self->a_max = ladder[i];
      self->a[self->n_points] = ladder[i];
      self->organic_inorganic[self->n_points] = (org_max + inorg_min) / 2;
      self->inorganic_metal[self->n_points] = (inorg_max + metal_min) / 2;
      self->n_points++;
    }

  g_assert (trusted_any);
  return self;
}

/**
 * dl_synth_mass_coefficients:
 *
 * Puts into @cal's [mass] μ/ρ at @imaging's high effective energy as the
 * built-in profile defines them: organic the mean of water, polyethylene,
 * wood and the cocaine-like organic, inorganic of aluminium and glass,
 * metal iron's, mixed matter the mean of the three; the relative spreads
 * the built-in profile's.
 */
void
dl_synth_mass_coefficients (const DlSynthImaging *imaging,
                            DlCalibration        *cal)
{
  static const DlMaterial organic[] = { DL_MATERIAL_WATER, DL_MATERIAL_POLYETHYLENE,
                                        DL_MATERIAL_WOOD, DL_MATERIAL_COCAINE };
  const DlCalibration *builtin = dl_calibration_get_default ();
  double e = imaging->energy_high_mev;

  cal->mu[1] = 0;
  for (guint k = 0; k < G_N_ELEMENTS (organic); k++)
    cal->mu[1] += dl_material_mu_at (organic[k], e) / G_N_ELEMENTS (organic);
  cal->mu[2] = (dl_material_mu_at (DL_MATERIAL_ALUMINIUM, e) + dl_material_mu_at (DL_MATERIAL_GLASS, e)) / 2;
  cal->mu[3] = dl_material_mu_at (DL_MATERIAL_STEEL, e);
  cal->mu[0] = (cal->mu[1] + cal->mu[2] + cal->mu[3]) / 3;
  memcpy (cal->mu_rel_sigma, builtin->mu_rel_sigma, sizeof cal->mu_rel_sigma);
  cal->blur_sigma = imaging->blur_sigma_px;
  cal->has_mass = TRUE;
}
