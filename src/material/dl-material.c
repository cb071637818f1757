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

#include "profile-resources.h"
#include "dl-material.h"
#include "dl-parallel.h"
#include "dl-profile.h"
#include "dl-regular-file.h"

void
dl_calibration_free (DlCalibration *self)
{
  g_free (self->profile);
  g_free (self);
}

DlCalibration *
dl_calibration_copy (const DlCalibration *self)
{
  DlCalibration *copy = g_memdup2 (self, sizeof *self);

  copy->profile = g_strdup (self->profile);
  return copy;
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

/* ln (I0 / I) of every 16-bit value of @p, as a table. */
static float *
attenuation_table (const DlPlane *p)
{
  float *table = g_new (float, 65536);
  double i0 = p->air_value > 0 ? p->air_value : 65535.0;

  for (guint v = 0; v < 65536; v++)
    table[v] = log (i0 / MAX (v, 1));
  return table;
}

#define EDGE_TOLERANCE 0.15

/* The smoothed pair at one pixel (@x, @y): the neighbours inside the
 * image, in the same order as smooth_run () takes them. */
static void
smooth_pixel (const float *ah,
              const float *al,
              guint        w,
              guint        h,
              guint        a0,
              guint        x,
              guint        y,
              guint        r,
              float       *out_h,
              float       *out_l)
{
  int dy_lo = -(int) MIN (r, y), dy_hi = (int) MIN (r, h - 1 - y);
  int dx_lo = -(int) MIN (r, x), dx_hi = (int) MIN (r, w - 1 - x);
  double centre = ah[(gsize) (y - a0) * w + x], tol = EDGE_TOLERANCE * centre + 0.02;
  double sh = 0, sl = 0;
  guint n = 0;

  for (int dy = dy_lo; dy <= dy_hi; dy++)
    {
      const float *rh = ah + (gsize) ((int) y + dy - (int) a0) * w + x;
      const float *rl = al + (gsize) ((int) y + dy - (int) a0) * w + x;

      for (int dx = dx_lo; dx <= dx_hi; dx++)
        if (fabs (rh[dx] - centre) <= tol)
          {
            sh += rh[dx];
            sl += rl[dx];
            n++;
          }
    }
  *out_h = sh / n;   /* n ≥ 1: the centre always counts */
  *out_l = sl / n;
}

/* Two doubles side by side (GCC's and Clang's vector extensions: one SSE2
 * register here, lowered to whatever another target has), and the lanes
 * of their comparison (all ones or all zeros). */
typedef double DlDouble2 __attribute__ ((vector_size (16)));
typedef gint64 DlMask2 __attribute__ ((vector_size (16)));

#define SMOOTH_PAIRS 2
#define SMOOTH_RUN   (2 * SMOOTH_PAIRS)

/* Row @y's columns @x … @x + SMOOTH_RUN − 1, whose neighbourhoods lie
 * inside the image's width, side by side.  Each lane adds the same
 * neighbours in the same order as smooth_pixel (): a neighbour left out
 * adds +0.0 (its lane masked), which changes no sum, so the results are
 * the same to the bit. */
static void
smooth_run (const float *ah,
            const float *al,
            guint        w,
            guint        h,
            guint        a0,
            guint        x,
            guint        y,
            guint        r,
            float       *out_h,
            float       *out_l)
{
  const DlMask2 magnitude = { G_MAXINT64, G_MAXINT64 };
  const DlDouble2 one = { 1, 1 }, scale = { EDGE_TOLERANCE, EDGE_TOLERANCE }, least = { 0.02, 0.02 };
  int dy_lo = -(int) MIN (r, y), dy_hi = (int) MIN (r, h - 1 - y);
  const float *c = ah + (gsize) (y - a0) * w + x;
  DlDouble2 centre[SMOOTH_PAIRS], tol[SMOOTH_PAIRS], sh[SMOOTH_PAIRS], sl[SMOOTH_PAIRS], n[SMOOTH_PAIRS];

  for (guint p = 0; p < SMOOTH_PAIRS; p++)
    {
      centre[p] = (DlDouble2) { c[2 * p], c[2 * p + 1] };
      tol[p] = scale * centre[p] + least;
      sh[p] = sl[p] = n[p] = (DlDouble2) { 0, 0 };
    }
  for (int dy = dy_lo; dy <= dy_hi; dy++)
    for (int dx = -(int) r; dx <= (int) r; dx++)
      {
        const float *rh = ah + (gsize) ((int) y + dy - (int) a0) * w + x + dx;
        const float *rl = al + (gsize) ((int) y + dy - (int) a0) * w + x + dx;

        for (guint p = 0; p < SMOOTH_PAIRS; p++)
          {
            DlDouble2 vh = { rh[2 * p], rh[2 * p + 1] }, vl = { rl[2 * p], rl[2 * p + 1] };
            DlDouble2 off = (DlDouble2) ((DlMask2) (vh - centre[p]) & magnitude);   /* fabs () */
            DlMask2 in = off <= tol[p];

            sh[p] += (DlDouble2) ((DlMask2) vh & in);
            sl[p] += (DlDouble2) ((DlMask2) vl & in);
            n[p] += (DlDouble2) ((DlMask2) one & in);
          }
      }
  for (guint p = 0; p < SMOOTH_PAIRS; p++)
    for (guint j = 0; j < 2; j++)
      {
        out_h[2 * p + j] = sh[p][j] / n[p][j];
        out_l[2 * p + j] = sl[p][j] / n[p][j];
      }
}

/* The largest high-energy attenuation of each column over rows y − r …
 * y + r (inside the image) into @out. */
static void
column_max (const float *ah,
            guint        w,
            guint        h,
            guint        a0,
            guint        y,
            guint        r,
            float       *out)
{
  guint lo = y >= r ? y - r : 0, hi = MIN (y + r, h - 1);

  memcpy (out, ah + (gsize) (lo - a0) * w, w * sizeof (float));
  for (guint yy = lo + 1; yy <= hi; yy++)
    for (guint x = 0; x < w; x++)
      out[x] = MAX (out[x], ah[(gsize) (yy - a0) * w + x]);
}

/* Whether every neighbour of the run at @x is below @limit, and so its
 * smoothed attenuations, means of some of them, are too. */
static gboolean
run_below (const float *colmax,
           guint        x,
           guint        r,
           float        limit)
{
  for (guint i = x - r; i < x + SMOOTH_RUN + r; i++)
    if (!(colmax[i] < limit))
      return FALSE;
  return TRUE;
}

/* Edge-preserving smoothing of rows @y0 … @y1 of a high/low pair: the
 * mean over the (2r+1)² neighbours whose high-energy attenuation is within
 * the tolerance of the centre's.  @ah and @al hold the attenuations of
 * rows @a0 … @a1 (which cover y0 − r … y1 + r inside the image); the
 * results go to @out_h and @out_l from row @y0.  With @below finite,
 * pixels whose neighbours all lie below it (air, for the classifier,
 * which leaves them unclassified whatever their mean) are not smoothed:
 * their high-energy attenuation is −∞ and their low one 0. */
static void
smooth_rows (const float *ah,
             const float *al,
             guint        w,
             guint        h,
             guint        a0,
             guint        y0,
             guint        y1,
             guint        r,
             float        below,
             float       *out_h,
             float       *out_l)
{
  gboolean skip = isfinite (below);
  g_autofree float *colmax = skip ? g_new (float, w) : NULL;

  for (guint y = y0; y < y1; y++)
    {
      float *oh = out_h + (gsize) (y - y0) * w, *ol = out_l + (gsize) (y - y0) * w;
      guint x = 0;

      if (skip)
        column_max (ah, w, h, a0, y, r, colmax);
      for (; x < MIN (r, w); x++)
        smooth_pixel (ah, al, w, h, a0, x, y, r, oh + x, ol + x);
      for (; x + SMOOTH_RUN + r <= w; x += SMOOTH_RUN)
        if (skip && run_below (colmax, x, r, below))
          for (guint j = 0; j < SMOOTH_RUN; j++)
            {
              oh[x + j] = -INFINITY;
              ol[x + j] = 0;
            }
        else
          smooth_run (ah, al, w, h, a0, x, y, r, oh + x, ol + x);
      for (; x < w; x++)
        smooth_pixel (ah, al, w, h, a0, x, y, r, oh + x, ol + x);
    }
}

/* Attenuations of rows @a0 … @a1 of @p through @table. */
static float *
attenuation_rows (const DlPlane *p,
                  const float   *table,
                  guint          a0,
                  guint          a1)
{
  gsize n = (gsize) (a1 - a0) * p->width;
  const guint16 *src = p->data + (gsize) a0 * p->width;
  float *a = g_new (float, n);

  for (gsize k = 0; k < n; k++)
    a[k] = table[src[k]];
  return a;
}

/**
 * dl_material_smooth_attenuations:
 *
 * The smoothed attenuations of a whole high/low pair, as the classifier
 * takes them (small scans: the calibration's slabs).
 */
void
dl_material_smooth_attenuations (const DlPlane *high,
                                 const DlPlane *low,
                                 guint          radius,
                                 float        **out_h,
                                 float        **out_l)
{
  gsize n = (gsize) high->width * high->height;
  g_autofree float *th = attenuation_table (high);
  g_autofree float *tl = attenuation_table (low);
  g_autofree float *ah = attenuation_rows (high, th, 0, high->height);
  g_autofree float *al = attenuation_rows (low, tl, 0, high->height);

  *out_h = g_new (float, n);
  *out_l = g_new (float, n);
  smooth_rows (ah, al, high->width, high->height, 0, 0, high->height, radius, INFINITY, *out_h, *out_l);
}

typedef struct
{
  const DlPlane       *high, *low;
  const DlCalibration *calibration;
  const float         *table_h, *table_l;
  const double        *shifts;
  guint                n_shifts;
  guint8             **classes;       /* one map per shift */
} ClassifyJob;

/* Rows at a time, so that a rail scan of 400 M pixels a channel needs
 * bands of a few megabytes, not four float copies of itself. */
#define CLASSIFY_BAND 8

static void
classify_rows (gpointer data,
               int      start,
               int      end)
{
  ClassifyJob *job = data;
  guint w = job->high->width, h = job->high->height, r = job->calibration->smooth_radius;
  g_autofree float *sh = g_new (float, (gsize) CLASSIFY_BAND * w);
  g_autofree float *sl = g_new (float, (gsize) CLASSIFY_BAND * w);

  for (guint y0 = start; y0 < (guint) end; y0 += CLASSIFY_BAND)
    {
      guint y1 = MIN (y0 + CLASSIFY_BAND, (guint) end);
      guint a0 = y0 >= r ? y0 - r : 0, a1 = MIN (y1 + r, h);
      g_autofree float *ah = attenuation_rows (job->high, job->table_h, a0, a1);
      g_autofree float *al = attenuation_rows (job->low, job->table_l, a0, a1);

      /* under a_min a pixel is not classified: its smoothing can wait */
      smooth_rows (ah, al, w, h, a0, y0, y1, r, job->calibration->a_min, sh, sl);
      for (gsize k = 0; k < (gsize) (y1 - y0) * w; k++)
        {
          double ratio = sl[k] > 0 ? sh[k] / sl[k] : 0;

          for (guint s = 0; s < job->n_shifts; s++)
            job->classes[s][(gsize) y0 * w + k]
              = dl_calibration_class (job->calibration, sh[k], sl[k] > 0 ? ratio + job->shifts[s] : 0);
        }
    }
}

/**
 * dl_material_classify_shifted:
 *
 * The classes of @high and @low as dl_material_classify () gives them,
 * once for each of @n_shifts shifts added to every pixel's ratio R (0: as
 * measured), from one smoothing: an array of @n_shifts maps.
 */
guint8 **
dl_material_classify_shifted (const DlPlane       *high,
                              const DlPlane       *low,
                              const DlCalibration *calibration,
                              const double        *shifts,
                              guint                n_shifts)
{
  gsize n = (gsize) high->width * high->height;
  g_autofree float *table_h = NULL, *table_l = NULL;
  ClassifyJob job;

  g_return_val_if_fail (high->width == low->width && high->height == low->height, NULL);
  g_return_val_if_fail (n_shifts > 0, NULL);

  table_h = attenuation_table (high);
  table_l = attenuation_table (low);
  job = (ClassifyJob) { high, low, calibration, table_h, table_l, shifts, n_shifts, g_new (guint8 *, n_shifts) };
  for (guint s = 0; s < n_shifts; s++)
    job.classes[s] = g_new (guint8, n);
  dl_parallel_ranges (high->height, n * (2 * calibration->smooth_radius + 1) * (2 * calibration->smooth_radius + 1),
                      classify_rows, &job);
  return job.classes;
}

guint8 *
dl_material_classify (const DlPlane       *high,
                      const DlPlane       *low,
                      const DlCalibration *calibration)
{
  static const double none[] = { 0 };
  g_autofree guint8 **classes = dl_material_classify_shifted (high, low, calibration, none, 1);

  return classes ? classes[0] : NULL;
}

/* ---- storage ------------------------------------------------------------ */

/* ---- mass attenuation ([mass]) ------------------------------------------- */

static const char *mass_keys[] = { "mixed", "organic", "inorganic", "metal" };

static void
save_mass (const DlCalibration *self,
           GKeyFile            *kf)
{
  for (guint i = 0; i < G_N_ELEMENTS (mass_keys); i++)
    {
      g_autofree char *mu = g_strdup_printf ("mu_%s", mass_keys[i]);
      g_autofree char *sigma = g_strdup_printf ("rel_sigma_%s", mass_keys[i]);

      g_key_file_set_double (kf, "mass", mu, self->mu[i]);
      g_key_file_set_double (kf, "mass", sigma, self->mu_rel_sigma[i]);
    }
  if (self->blur_sigma > 0)
    g_key_file_set_double (kf, "mass", "blur_sigma_px", self->blur_sigma);
}

static gboolean
mass_invalid (GError     **error,
              const char  *key)
{
  g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
               _("The mass attenuation “%s” must be a number above 0 (and a spread under 1)"), key);
  return FALSE;
}

/* [mass]: mu_<class> (cm²/g, above 0) and rel_sigma_<class> (0 … 1) for
 * every class, blur_sigma_px optional.  No group: has_mass stays FALSE. */
static gboolean
read_mass (DlCalibration *self,
           GKeyFile      *kf,
           GError       **error)
{
  if (!g_key_file_has_group (kf, "mass"))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (mass_keys); i++)
    {
      g_autofree char *mu = g_strdup_printf ("mu_%s", mass_keys[i]);
      g_autofree char *sigma = g_strdup_printf ("rel_sigma_%s", mass_keys[i]);
      GError *local = NULL;

      self->mu[i] = g_key_file_get_double (kf, "mass", mu, &local);
      if (local == NULL)
        self->mu_rel_sigma[i] = g_key_file_get_double (kf, "mass", sigma, &local);
      if (local != NULL)
        return g_propagate_error (error, local), FALSE;
      if (!(self->mu[i] > 0 && self->mu[i] < 100))
        return mass_invalid (error, mu);
      if (!(self->mu_rel_sigma[i] >= 0 && self->mu_rel_sigma[i] < 1))
        return mass_invalid (error, sigma);
    }
  if (g_key_file_has_key (kf, "mass", "blur_sigma_px", NULL))
    {
      GError *local = NULL;

      self->blur_sigma = g_key_file_get_double (kf, "mass", "blur_sigma_px", &local);
      if (local != NULL)
        return g_propagate_error (error, local), FALSE;
      if (!(self->blur_sigma >= 0 && self->blur_sigma <= 10))
        return mass_invalid (error, "blur_sigma_px");
    }
  self->has_mass = TRUE;
  return TRUE;
}

gboolean
dl_calibration_save (const DlCalibration  *self,
                     const char           *path,
                     GError              **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();

  dl_calibration_to_key_file (self, kf);
  g_key_file_set_comment (kf, NULL, NULL,
                          " Doorlicht material calibration: boundaries of R = A_high / A_low\n"
                          " (A = ln (I0 / I)) between classes, as functions of A_high.", NULL);
  return g_key_file_save_to_file (kf, path, error);
}

/* Writes @self's [calibration] (and [mass] when it has one) into @kf. */
void
dl_calibration_to_key_file (const DlCalibration *self,
                            GKeyFile            *kf)
{
  if (self->profile)
    g_key_file_set_string (kf, "calibration", "profile", self->profile);
  g_key_file_set_double (kf, "calibration", "a_min", self->a_min);
  g_key_file_set_double (kf, "calibration", "a_max", self->a_max);
  g_key_file_set_integer (kf, "calibration", "smooth_radius", self->smooth_radius);
  g_key_file_set_double (kf, "calibration", "ratio_margin", self->ratio_margin);
  g_key_file_set_double_list (kf, "calibration", "a", (double *) self->a, self->n_points);
  g_key_file_set_double_list (kf, "calibration", "organic_inorganic",
                              (double *) self->organic_inorganic, self->n_points);
  g_key_file_set_double_list (kf, "calibration", "inorganic_metal",
                              (double *) self->inorganic_metal, self->n_points);
  if (self->has_mass)
    save_mass (self, kf);
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

DlCalibration *
dl_calibration_from_key_file (GKeyFile  *kf,
                              GError   **error)
{
  g_autoptr(DlCalibration) self = g_new0 (DlCalibration, 1);
  GError *local = NULL;

  /* in a scanner profile the calibration is the profile's: no name of its own */
  if (g_key_file_has_key (kf, "calibration", "profile", NULL))
    self->profile = g_key_file_get_string (kf, "calibration", "profile", &local);
  if (local == NULL)
    self->a_min = g_key_file_get_double (kf, "calibration", "a_min", &local);
  if (local == NULL)
    self->a_max = g_key_file_get_double (kf, "calibration", "a_max", &local);
  if (local == NULL)
    self->smooth_radius = g_key_file_get_integer (kf, "calibration", "smooth_radius", &local);
  self->ratio_margin = DL_CALIBRATION_RATIO_MARGIN;
  if (local == NULL && g_key_file_has_key (kf, "calibration", "ratio_margin", NULL))
    self->ratio_margin = g_key_file_get_double (kf, "calibration", "ratio_margin", &local);
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
  if (!(self->ratio_margin >= 0 && self->ratio_margin <= DL_CALIBRATION_RATIO_MARGIN_MAX))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _("The calibration’s ratio_margin must lie between 0 and %g"), DL_CALIBRATION_RATIO_MARGIN_MAX);
      return NULL;
    }
  if (!(self->a_min < self->a_max) || self->smooth_radius > 64)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _("The calibration range or smoothing is impossible"));
      return NULL;
    }
  if (!read_mass (self, kf, error))
    return NULL;
  return g_steal_pointer (&self);
}

DlCalibration *
dl_calibration_load (const char  *path,
                     GError     **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  /* a named pipe or a device is refused before a read that would wait on it */
  g_autoptr(GMappedFile) file = dl_map_regular_file (path, 0, error);
  g_autoptr(GBytes) bytes = file ? g_mapped_file_get_bytes (file) : NULL;

  if (bytes == NULL || !g_key_file_load_from_bytes (kf, bytes, G_KEY_FILE_NONE, error))
    return NULL;
  return dl_calibration_from_key_file (kf, error);
}

static DlCalibration *
load_default (void)
{
  g_autoptr(GBytes) bytes = g_resource_lookup_data (dl_profiles_get_resource (),
                                                    "/nl/doorlicht/libdoorlicht/profiles/synthetic-6-4MeV.ini",
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  DlCalibration *self;

  if (bytes == NULL
      || !g_key_file_load_from_bytes (kf, bytes, G_KEY_FILE_NONE, &error)
      || (self = dl_calibration_from_key_file (kf, &error)) == NULL)
    {
      /* compiled into the library: only a broken build gets here */
      g_error ("The built-in calibration is unusable (%s)",
               error ? error->message : "missing");
    }
  return self;
}

/* The calibration of the synthetic 6/4 MeV profile, as shipped (the
 * built-in profile's [calibration], made by `doorlicht-cli calibrate`, and
 * its [mass]), loaded once and shared. */
const DlCalibration *
dl_calibration_get_default (void)
{
  static DlCalibration *calibration;

  if (g_once_init_enter (&calibration))
    g_once_init_leave (&calibration, load_default ());
  return calibration;
}

/**
 * dl_material_classify_scan_with:
 *
 * The material classes of every view of @scan with @calibration (an array
 * of guint8 maps, %NULL for a view without an energy pair); reads the scan
 * only, so any thread may.
 */
GPtrArray *
dl_material_classify_scan_with (DlScan              *scan,
                                const DlCalibration *calibration)
{
  GPtrArray *classes = g_ptr_array_new_with_free_func (g_free);
  DlPlane *high, *low;

  for (guint v = 0; v < dl_scan_get_n_views (scan); v++)
    g_ptr_array_add (classes, dl_scan_get_energy_pair (scan, v, &high, &low)
                              ? dl_material_classify (high, low, calibration)
                              : NULL);
  return classes;
}

/**
 * dl_material_classify_scan:
 *
 * dl_material_classify_scan_with () the calibration of @scan's profile
 * (dl_calibration_for_scan ()), chosen once, not per view.
 */
GPtrArray *
dl_material_classify_scan (DlScan *scan)
{
  return dl_material_classify_scan_with (scan, dl_calibration_for_scan (scan, NULL));
}
