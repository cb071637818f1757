/* dl-material.c — dual-energy material discrimination.
 *
 * For each pixel, A = ln (I0 / I) in both channels, smoothed (keeping
 * edges) so the ratio is not taken of single noisy pixels; R = A_high / A_low rises with
 * atomic number at MeV energies (see dl-synth.c).  The calibration gives
 * the R boundaries between organic, inorganic and metal as functions of
 * A_high, and the A_high range where the ratio is still above the noise:
 * below it a pixel is too thin to classify, above it too dense.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-material"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "calibration-resources.h"
#include "dl-material.h"
#include "dl-synth.h"

void
dl_calibration_free (DlCalibration *self)
{
  g_free (self->profile);
  g_free (self);
}

/* The boundary @b (n points over self->a) at @a, clamped at the ends. */
static double
boundary_at (const DlCalibration *self,
             const double        *b,
             double               a)
{
  guint i;

  if (self->n_points == 1 || a <= self->a[0])
    return b[0];
  for (i = 1; i < self->n_points; i++)
    if (a <= self->a[i])
      return b[i - 1] + (b[i] - b[i - 1]) * (a - self->a[i - 1]) / (self->a[i] - self->a[i - 1]);
  return b[self->n_points - 1];
}

DlMaterialClass
dl_calibration_class (const DlCalibration *self,
                      double               a_high,
                      double               ratio)
{
  if (!(a_high >= self->a_min))
    return DL_CLASS_NONE;
  if (a_high > self->a_max)
    return DL_CLASS_TOO_DENSE;
  if (ratio < boundary_at (self, self->organic_inorganic, a_high))
    return DL_CLASS_ORGANIC;
  if (ratio < boundary_at (self, self->inorganic_metal, a_high))
    return DL_CLASS_INORGANIC;
  return DL_CLASS_METAL;
}

/* ---- smoothing ------------------------------------------------------------ */

static float *
attenuation (const DlPlane *p)
{
  gsize n = (gsize) p->width * p->height;
  float *a = g_new (float, n);
  double i0 = p->air_value > 0 ? p->air_value : 65535.0;

  for (gsize k = 0; k < n; k++)
    a[k] = log (i0 / MAX (p->data[k], 1));
  return a;
}

/* Edge-preserving (sigma filter) mean of both attenuations: a neighbour
 * counts only if its high-energy attenuation is within EDGE_TOLERANCE of
 * the centre's.  Across an object's edge the detector blur mixes
 * intensities, and the logarithm of a mixture has a ratio no material has
 * (partial volume); a plain box mean would carry that into the object. */
#define EDGE_TOLERANCE 0.15

static void
smooth_pair (const float *ah,
             const float *al,
             guint        w,
             guint        h,
             guint        r,
             float       *out_h,
             float       *out_l)
{
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        gsize k = (gsize) y * w + x;
        double centre = ah[k], tol = EDGE_TOLERANCE * centre + 0.02;
        double sh = 0, sl = 0;
        guint n = 0;

        for (int dy = -(int) r; dy <= (int) r; dy++)
          {
            int yy = (int) y + dy;
            if (yy < 0 || yy >= (int) h)
              continue;
            for (int dx = -(int) r; dx <= (int) r; dx++)
              {
                int xx = (int) x + dx;
                gsize q;
                if (xx < 0 || xx >= (int) w)
                  continue;
                q = (gsize) yy * w + xx;
                if (fabs (ah[q] - centre) <= tol)
                  {
                    sh += ah[q];
                    sl += al[q];
                    n++;
                  }
              }
          }
        out_h[k] = sh / n;   /* n ≥ 1: the centre always counts */
        out_l[k] = sl / n;
      }
}

/* The smoothed attenuations of a high/low pair. */
static void
smoothed_pair (const DlPlane *high,
               const DlPlane *low,
               guint          radius,
               float        **out_h,
               float        **out_l)
{
  gsize n = (gsize) high->width * high->height;
  g_autofree float *ah = attenuation (high);
  g_autofree float *al = attenuation (low);

  *out_h = g_new (float, n);
  *out_l = g_new (float, n);
  smooth_pair (ah, al, high->width, high->height, radius, *out_h, *out_l);
}

guint8 *
dl_material_classify (const DlPlane       *high,
                      const DlPlane       *low,
                      const DlCalibration *calibration)
{
  gsize n = (gsize) high->width * high->height;
  g_autofree float *ah = NULL;
  g_autofree float *al = NULL;
  guint8 *classes;

  g_return_val_if_fail (high->width == low->width && high->height == low->height, NULL);

  smoothed_pair (high, low, calibration->smooth_radius, &ah, &al);
  classes = g_new (guint8, n);
  for (gsize k = 0; k < n; k++)
    classes[k] = dl_calibration_class (calibration, ah[k], al[k] > 0 ? ah[k] / al[k] : 0);
  return classes;
}

/* ---- calibration from step wedges ------------------------------------------ */

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
measure_step (DlMaterial material,
              double     a_high,
              guint      radius,
              guint64    seed)
{
  const DlMaterialInfo *m = dl_material_get (material);
  double sum = 0, sum2 = 0;
  guint n = 0;
  WedgeStep step;

  for (guint s = 0; s < 8; s++)
    {
      g_autoptr(DlSynthOutput) slab = dl_synth_slab (material, a_high / (m->mu_high * m->density),
                                                     seed * 16 + s);
      const DlPlane *high = dl_scan_get_plane (slab->scan, 0, 0);
      g_autofree float *ah = NULL;
      g_autofree float *al = NULL;

      smoothed_pair (high, dl_scan_get_plane (slab->scan, 0, 1), radius, &ah, &al);

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
  static const double ladder[] = { 0.03, 0.06, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5,
                                   3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 7.0, 8.0 };
  static const DlMaterial organic[] = { DL_MATERIAL_WATER, DL_MATERIAL_POLYETHYLENE,
                                        DL_MATERIAL_WOOD, DL_MATERIAL_COCAINE };
  static const DlMaterial inorganic[] = { DL_MATERIAL_ALUMINIUM, DL_MATERIAL_GLASS };
  static const DlMaterial metal[] = { DL_MATERIAL_STEEL, DL_MATERIAL_LEAD };
  DlCalibration *self = g_new0 (DlCalibration, 1);
  gboolean trusted_any = FALSE;

  self->profile = g_strdup ("synthetic-6-4MeV");
  self->smooth_radius = 3;

  for (guint i = 0; i < G_N_ELEMENTS (ladder); i++)
    {
      double org_max = 0, inorg_min = G_MAXDOUBLE, inorg_max = 0, metal_min = G_MAXDOUBLE;
      double sigma = 0;
      guint64 seed = 1000 + i;

      for (guint k = 0; k < G_N_ELEMENTS (organic); k++)
        {
          WedgeStep s = measure_step (organic[k], ladder[i], self->smooth_radius, seed++);
          org_max = MAX (org_max, s.r_mean);
          sigma = MAX (sigma, s.r_sigma);
        }
      for (guint k = 0; k < G_N_ELEMENTS (inorganic); k++)
        {
          WedgeStep s = measure_step (inorganic[k], ladder[i], self->smooth_radius, seed++);
          inorg_min = MIN (inorg_min, s.r_mean);
          inorg_max = MAX (inorg_max, s.r_mean);
          sigma = MAX (sigma, s.r_sigma);
        }
      for (guint k = 0; k < G_N_ELEMENTS (metal); k++)
        {
          WedgeStep s = measure_step (metal[k], ladder[i], self->smooth_radius, seed++);
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

/* ---- storage ------------------------------------------------------------ */

gboolean
dl_calibration_save (const DlCalibration  *self,
                     const char           *path,
                     GError              **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();

  g_key_file_set_string (kf, "calibration", "profile", self->profile);
  g_key_file_set_double (kf, "calibration", "a_min", self->a_min);
  g_key_file_set_double (kf, "calibration", "a_max", self->a_max);
  g_key_file_set_integer (kf, "calibration", "smooth_radius", self->smooth_radius);
  g_key_file_set_double_list (kf, "calibration", "a", (double *) self->a, self->n_points);
  g_key_file_set_double_list (kf, "calibration", "organic_inorganic",
                              (double *) self->organic_inorganic, self->n_points);
  g_key_file_set_double_list (kf, "calibration", "inorganic_metal",
                              (double *) self->inorganic_metal, self->n_points);
  g_key_file_set_comment (kf, NULL, NULL,
                          " Doorlicht material calibration: boundaries of R = A_high / A_low\n"
                          " (A = ln (I0 / I)) between classes, as functions of A_high.", NULL);
  return g_key_file_save_to_file (kf, path, error);
}

static gboolean
read_list (GKeyFile   *kf,
           const char *key,
           double     *out,
           guint      *n,
           GError    **error)
{
  gsize len = 0;
  g_autofree double *values = g_key_file_get_double_list (kf, "calibration", key, &len, error);

  if (values == NULL)
    return FALSE;
  if (len == 0 || len > DL_CALIBRATION_MAX_POINTS || (*n && len != *n))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _("The calibration list “%s” has %u values"), key, (guint) len);
      return FALSE;
    }
  for (gsize i = 0; i < len; i++)
    if (!isfinite (values[i]))
      {
        g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                     _("The calibration list “%s” holds a value that is not a number"), key);
        return FALSE;
      }
  memcpy (out, values, len * sizeof (double));
  *n = len;
  return TRUE;
}

static DlCalibration *
calibration_from_key_file (GKeyFile  *kf,
                           GError   **error)
{
  g_autoptr(DlCalibration) self = g_new0 (DlCalibration, 1);
  GError *local = NULL;

  self->profile = g_key_file_get_string (kf, "calibration", "profile", &local);
  if (local == NULL)
    self->a_min = g_key_file_get_double (kf, "calibration", "a_min", &local);
  if (local == NULL)
    self->a_max = g_key_file_get_double (kf, "calibration", "a_max", &local);
  if (local == NULL)
    self->smooth_radius = g_key_file_get_integer (kf, "calibration", "smooth_radius", &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  if (!read_list (kf, "a", self->a, &self->n_points, error)
      || !read_list (kf, "organic_inorganic", self->organic_inorganic, &self->n_points, error)
      || !read_list (kf, "inorganic_metal", self->inorganic_metal, &self->n_points, error))
    return NULL;

  for (guint i = 1; i < self->n_points; i++)
    if (!(self->a[i] > self->a[i - 1]))
      {
        g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                     _("The calibration points must rise in A"));
        return NULL;
      }
  if (!(self->a_min < self->a_max) || self->smooth_radius > 64)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _("The calibration range or smoothing is impossible"));
      return NULL;
    }
  return g_steal_pointer (&self);
}

DlCalibration *
dl_calibration_load (const char  *path,
                     GError     **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, error))
    return NULL;
  return calibration_from_key_file (kf, error);
}

static DlCalibration *
load_default (void)
{
  g_autoptr(GBytes) bytes = g_resource_lookup_data (dl_calibration_get_resource (),
                                                    "/nl/doorlicht/libdoorlicht/calibration/synthetic-6-4MeV.ini",
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  DlCalibration *self;

  if (bytes == NULL
      || !g_key_file_load_from_bytes (kf, bytes, G_KEY_FILE_NONE, &error)
      || (self = calibration_from_key_file (kf, &error)) == NULL)
    {
      g_warning ("The built-in calibration is unusable (%s): fitting it afresh",
                 error ? error->message : "missing");
      return dl_calibration_fit_synthetic ();
    }
  return self;
}

/* The calibration of the synthetic 6/4 MeV profile, as shipped (data
 * made by `doorlicht-cli calibrate`), loaded once and shared. */
const DlCalibration *
dl_calibration_get_default (void)
{
  static DlCalibration *calibration;

  if (g_once_init_enter (&calibration))
    g_once_init_leave (&calibration, load_default ());
  return calibration;
}

