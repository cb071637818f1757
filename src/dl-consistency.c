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
 *    coefficient of the classified ones.
 *
 * The uncertainty of the mass combines the spread of μ/ρ within each
 * class, the baseline's standard error per column, the loss at edges (the
 * detector blurs intensities, and the logarithm of a blurred edge is less
 * than the blurred attenuation) and the mass behind opaque pixels, which
 * is only a lower bound.
 *
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
#include <string.h>

#include "dl-consistency.h"

#define OBJECT_A         0.05    /* attenuation that is surely something, not noise */
#define MIN_EXTENT       10      /* pixels a row or column needs to belong to the conveyance */
#define BASE_MAX         5.0     /* columns with a baseline above this are not measured */
#define OPAQUE_COUNTS    10.0    /* transmitted counts under which A is only a lower bound */
#define CLASSIFY_I0      30000.0 /* I0 of the cargo-only planes handed to the classifier */
#define WEIGHT_K         2.5     /* σ a declared mass may be off before a hint */
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
  const char *profile;
  double      mu[DL_HS_N_MATERIALS];         /* cm²/g at the high energy, by DlHsMaterial */
  double      rel_sigma[DL_HS_N_MATERIALS];  /* spread within the class */
} MassAttenuation;

/* The synthetic 6/4 MeV profile's high energy acts as 3 MeV: NIST values
 * (dl-synth.c), organic the mean of water, polyethylene, wood and a
 * cocaine-like organic, inorganic of glass and aluminium, metal of iron
 * (lead is 17 % above it).  A profile without its own entry uses these
 * with a wider spread: μ/ρ falls by about a fifth per MeV here. */
static const MassAttenuation mass_attenuation[] = {
  { "synthetic-6-4MeV", { 0.0375, 0.03926, 0.03574, 0.03621 }, { 0.06, 0.03, 0.01, 0.08 } },
};

static const MassAttenuation *
find_mass_attenuation (const DlCalibration *calibration,
                       double              *extra_sigma)
{
  for (guint i = 0; i < G_N_ELEMENTS (mass_attenuation); i++)
    if (g_strcmp0 (calibration->profile, mass_attenuation[i].profile) == 0)
      {
        *extra_sigma = 0;
        return &mass_attenuation[i];
      }
  *extra_sigma = 0.15;
  return &mass_attenuation[0];
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
  double  i0_high;
  double  pixel_cm2;
  guint   x0, x1, y0, y1;  /* the conveyance, end exclusive */
  guint   cy0, cy1;        /* rows of the cargo space */
  float  *base_h, *base_l; /* per column of [x0, x1) */
  float  *base_se;         /* standard error of base_h */
  gboolean *usable;
} Frame;

static void
frame_clear (Frame *f)
{
  g_free (f->ah);
  g_free (f->al);
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

static int
compare_float (gconstpointer a,
               gconstpointer b)
{
  float x = *(const float *) a, y = *(const float *) b;
  return (x > y) - (x < y);
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
  qsort (v, n, sizeof (float), compare_float);
  k = MIN ((gsize) (q * (n - 1) + 0.5), n - 1);
  return v[k];
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
      qsort (v, n, sizeof (float), compare_float);
      p50[y - f->y0] = v[n / 2];
      p20[y - f->y0] = v[n / 5];
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

/* The conveyance's own attenuation in each column of the cargo space. */
static void
find_baselines (Frame *f)
{
  guint n = f->cy1 - f->cy0, cols = f->x1 - f->x0;
  g_autofree float *v = g_new (float, n);

  f->base_h = g_new0 (float, cols);
  f->base_l = g_new0 (float, cols);
  f->base_se = g_new0 (float, cols);
  f->usable = g_new0 (gboolean, cols);
  for (guint c = 0; c < cols; c++)
    {
      guint x = f->x0 + c, free = 0;
      double rough, limit, sh = 0, sl = 0, sh2 = 0;

      for (guint y = f->cy0; y < f->cy1; y++)
        v[y - f->cy0] = f->ah[(gsize) y * f->w + x];
      rough = quantile (v, n, 0.1);
      limit = rough + 0.05 + 0.05 * rough;
      for (guint y = f->cy0; y < f->cy1; y++)
        {
          gsize k = (gsize) y * f->w + x;
          if (f->ah[k] <= limit)
            {
              sh += f->ah[k];
              sh2 += f->ah[k] * f->ah[k];
              sl += f->al[k];
              free++;
            }
        }
      if (free < 8 || rough > BASE_MAX)
        continue;
      f->usable[c] = TRUE;
      f->base_h[c] = sh / free;
      f->base_l[c] = sl / free;
      f->base_se[c] = sqrt (MAX (sh2 / free - (sh / free) * (sh / free), 0) / free);
    }
}

/* ---- the cargo's own attenuation, classified and weighed --------------------- */

typedef struct
{
  Frame         f;
  const MassAttenuation *mu;
  double        extra_sigma;
  guint         cw, ch;        /* the cargo box [x0, x1) × [cy0, cy1) */
  float        *eh;            /* excess A_high over the baseline */
  guint16      *counts;        /* raw high-energy counts, for opacity */
  guint8       *classes;       /* classes of the excess */
  double        kg[DL_HS_N_MATERIALS];   /* MIXED: unclassified */
  double        mu_mix;
  double        cargo_kg;
  double        sigma;
  double        opaque_kg;     /* measured in pixels the beam hardly passed */
} Measure;

static void
measure_clear (Measure *m)
{
  frame_clear (&m->f);
  g_free (m->eh);
  g_free (m->counts);
  g_free (m->classes);
}

/* Classifies the excess with the calibration, by handing the classifier
 * planes of what the cargo alone would transmit. */
static void
classify_excess (Measure             *m,
                 const DlCalibration *calibration)
{
  const Frame *f = &m->f;
  gsize n = (gsize) m->cw * m->ch;
  g_autofree guint16 *dh = g_new (guint16, n);
  g_autofree guint16 *dl = g_new (guint16, n);
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
  m->classes = dl_material_classify (&high, &low, calibration);
}

static void
weigh (Measure *m)
{
  const Frame *f = &m->f;
  double attn[DL_HS_N_MATERIALS] = { 0 }, classified = 0, inverse = 0, opaque = 0;
  double base_var = 0, var = 0, area_g = f->pixel_cm2 / 1000.0;

  m->eh = g_new0 (float, (gsize) m->cw * m->ch);
  for (guint y = 0; y < m->ch; y++)
    for (guint c = 0; c < m->cw; c++)
      {
        gsize k = (gsize) y * m->cw + c, src = (gsize) (f->cy0 + y) * f->w + f->x0 + c;
        double e;

        if (!f->usable[c])
          continue;
        e = m->eh[k] = f->ah[src] - f->base_h[c];
        attn[material_of_class (m->classes[k])] += e;
        if (m->counts[k] < OPAQUE_COUNTS)
          opaque += e;
      }
  for (guint i = 1; i < DL_HS_N_MATERIALS; i++)
    {
      classified += attn[i];
      inverse += attn[i] / m->mu->mu[i];
    }
  m->mu_mix = classified > 0 && inverse > 0 ? classified / inverse : m->mu->mu[DL_HS_MATERIAL_MIXED];

  m->cargo_kg = 0;
  for (guint i = 0; i < DL_HS_N_MATERIALS; i++)
    {
      double rel = m->mu->rel_sigma[i] + m->extra_sigma;

      m->kg[i] = attn[i] / (i == DL_HS_MATERIAL_MIXED ? m->mu_mix : m->mu->mu[i]) * area_g;
      m->cargo_kg += m->kg[i];
      var += (m->kg[i] * rel) * (m->kg[i] * rel);
    }
  for (guint c = 0; c < m->cw; c++)
    if (f->usable[c])
      {
        double se = f->base_se[c] * m->ch / m->mu_mix * area_g;
        base_var += se * se;
      }
  /* behind opaque pixels there may be more than measured */
  opaque = MAX (opaque, 0) / m->mu_mix * area_g;
  m->opaque_kg = opaque;
  var += base_var + (EDGE_LOSS * m->cargo_kg) * (EDGE_LOSS * m->cargo_kg) + (0.3 * opaque) * (0.3 * opaque);
  m->sigma = sqrt (var);
}

static gboolean
measure (Measure             *m,
         DlScan              *scan,
         const DlCalibration *calibration,
         GError             **error)
{
  Frame *f = &m->f;
  const DlPlane *high = NULL, *low = NULL;
  double px, py;

  for (guint c = 0; c < dl_scan_get_n_channels (scan, 0); c++)
    {
      const DlPlane *p = dl_scan_get_plane (scan, 0, c);
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

  m->mu = find_mass_attenuation (calibration, &m->extra_sigma);
  f->w = high->width;
  f->h = high->height;
  f->i0_high = dl_plane_get_i0 (high);
  f->pixel_cm2 = px * py / 100.0;
  f->ah = attenuation_map (high, f->i0_high);
  f->al = attenuation_map (low, dl_plane_get_i0 (low));
  if (!find_extent (f, error) || !find_cargo_rows (f, error))
    return FALSE;
  find_baselines (f);

  m->cw = f->x1 - f->x0;
  m->ch = f->cy1 - f->cy0;
  m->counts = g_new (guint16, (gsize) m->cw * m->ch);
  for (guint y = 0; y < m->ch; y++)
    memcpy (m->counts + (gsize) y * m->cw, high->data + (gsize) (f->cy0 + y) * f->w + f->x0,
            m->cw * sizeof (guint16));
  classify_excess (m, calibration);
  weigh (m);
  return TRUE;
}

/* ---- what is declared ------------------------------------------------------- */

typedef struct
{
  double   kg;
  double   by_material[DL_HS_N_MATERIALS];
  gboolean metal_plausible;   /* metal or mixed goods, or goods packed in metal */
  gboolean declared_empty;
  double   inner_width_cm;    /* across the beam */
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

      if (container != NULL && g_strcmp0 (g->container, container) != 0)
        continue;
      material = dl_hs_expected_material (g->hs_code);
      d->kg += g->gross_kg;
      d->by_material[material] += g->gross_kg;
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
                ? g_strdup_printf (_("The scan shows about %.0f ± %.0f kg of cargo, %.0f kg more than the %.0f kg declared"),
                                   self->cargo_kg, self->cargo_kg_sigma, -diff, d->kg)
                : g_strdup_printf (_("The scan shows about %.0f ± %.0f kg of cargo, %.0f kg less than the %.0f kg declared"),
                                   self->cargo_kg, self->cargo_kg_sigma, diff, d->kg));
  h->measured = self->cargo_kg;
  h->uncertainty = self->cargo_kg_sigma;
  h->declared = d->kg;
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

      if (self->fraction[i] <= room + MATERIAL_SLACK
                               + (self->expected[DL_HS_MATERIAL_METAL] > 0 ? METAL_GOODS_SLACK : 0))
        continue;
      h = add_hint (self, DL_HINT_MATERIAL, DL_HINT_SEVERITY_WARNING, container,
                    /* TRANSLATORS: the second %s is a material: organic, inorganic, metal */
                    g_strdup_printf (_("%.0f %% of the cargo measures as %s; the declared goods account for at most %.0f %%"),
                                     100 * self->fraction[i], dl_hs_material_display_name (i), 100 * room));
      h->unit = "fraction";
      h->measured = self->fraction[i];
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
                g_strdup_printf (_("Declared empty, yet the scan shows about %.0f ± %.0f kg inside"),
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
  g_autofree guint8 *seen = g_new0 (guint8, n);
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (gsize));
  GArray *regions = g_array_new (FALSE, TRUE, sizeof (Region));

  for (gsize start = 0; start < n; start++)
    {
      Region r = { 0, 0, 0, { G_MAXINT, G_MAXINT, 0, 0 }, 0, 0, 0 };

      if (seen[start] || !mask[start])
        continue;
      seen[start] = 1;
      g_array_set_size (stack, 0);
      g_array_append_val (stack, start);
      while (stack->len > 0)
        {
          gsize k = g_array_index (stack, gsize, stack->len - 1);
          guint x = k % m->cw, y = k / m->cw;
          gsize next[4];
          guint nn = 0;

          g_array_set_size (stack, stack->len - 1);
          r.area++;
          r.metal += m->classes[k] == DL_CLASS_METAL;
          r.too_dense += m->classes[k] == DL_CLASS_TOO_DENSE;
          r.sum_e += m->eh[k];
          r.sum_counts += m->counts[k];
          r.sum_base += m->f.base_h[x];
          r.box[0] = MIN (r.box[0], (int) x);
          r.box[1] = MIN (r.box[1], (int) y);
          r.box[2] = MAX (r.box[2], (int) x + 1);
          r.box[3] = MAX (r.box[3], (int) y + 1);
          if (x > 0) next[nn++] = k - 1;
          if (x + 1 < m->cw) next[nn++] = k + 1;
          if (y > 0) next[nn++] = k - m->cw;
          if (y + 1 < m->ch) next[nn++] = k + m->cw;
          for (guint i = 0; i < nn; i++)
            if (!seen[next[i]] && mask[next[i]])
              {
                seen[next[i]] = 1;
                g_array_append_val (stack, next[i]);
              }
        }
      if (r.area >= min_area)
        g_array_append_val (regions, r);
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
                      g_strdup_printf (_("A region of %.0f cm² measures as metal, and no declared goods are metal"),
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
                        g_strdup_printf (_("A region of %.0f cm² is too dense to see through and edged with metal, and no declared goods are metal"),
                                         r->area * m->f.pixel_cm2),
                        m->mu->mu[DL_HS_MATERIAL_METAL]);
      else if (all_organic && a > 1.05 * organic_max)
        add_dense_hint (self, m, r, container,
                        g_strdup_printf (_("A region of %.0f cm² is denser than the declared organic goods could be"),
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
                    m->mu->mu[DL_HS_MATERIAL_METAL]);
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
dl_consistency_free (DlConsistency *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->hints);
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
  self->declared_kg = d->kg;
  for (guint i = 1; i < DL_HS_N_MATERIALS; i++)
    classified += MAX (m->kg[i], 0);
  for (guint i = 1; i < DL_HS_N_MATERIALS; i++)
    self->fraction[i] = classified > 0 ? MAX (m->kg[i], 0) / classified : 0;
  self->classified_share = m->cargo_kg > 0 ? CLAMP (classified / m->cargo_kg, 0, 1) : 0;
  for (guint i = 0; i < DL_HS_N_MATERIALS; i++)
    self->expected[i] = d->kg > 0 ? d->by_material[i] / d->kg : 0;
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
  if (!measure (&m, scan, calibration, error))
    {
      measure_clear (&m);
      return NULL;
    }
  collect_declared (&d, manifest, container);

  self = g_new0 (DlConsistency, 1);
  self->hints = g_ptr_array_new_with_free_func (hint_free);
  fill_measurement (self, &m, &d);
  check_empty (self, &d, container);
  locate_contents (self, &m);
  check_weight (self, &d, container);
  check_material (self, &d, container);
  check_dense (self, &m, &d, container);
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
add_double (JsonBuilder *b,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (b, name);
  if (isfinite (value))
    json_builder_add_double_value (b, value);
  else
    json_builder_add_null_value (b);
}

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
  add_double (b, "value", h->measured);
  add_double (b, "uncertainty", h->uncertainty);
  json_builder_set_member_name (b, "unit");
  json_builder_add_string_value (b, h->unit);
  json_builder_end_object (b);
  add_double (b, "declared", h->declared);
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
    add_double (b, dl_hs_material_to_string (i), fractions[i]);
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
  add_double (b, "cargo_kg", round (self->cargo_kg * 10) / 10);
  add_double (b, "cargo_kg_sigma", round (self->cargo_kg_sigma * 10) / 10);
  json_builder_set_member_name (b, "lower_bound");
  json_builder_add_boolean_value (b, self->lower_bound);
  add_double (b, "opaque_share", round (self->opaque_share * 1000) / 1000);
  add_double (b, "declared_kg", self->declared_kg);
  add_double (b, "classified_share", round (self->classified_share * 1000) / 1000);
  add_fractions (b, "fractions", self->fraction, FALSE);
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
