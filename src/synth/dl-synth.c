/* dl-synth.c — synthetic cargo scans.
 *
 * Physics.  Each pixel's value is I = I0 · exp (−Σ μ/ρ · ρ · t) summed over
 * every object the ray crosses (t: the analytic path length through it),
 * at two effective energies standing for a 4 MV / 6 MV linac pair after
 * the spectral hardening of a loaded container: 1.5 MeV (low) and 3 MeV
 * (high).  At these energies Compton scattering dominates and pair
 * production grows with Z² above ~2 MeV, so the ratio
 *
 *   R = ln (I0 / I_high) / ln (I0 / I_low) = μ_high / μ_low
 *
 * rises with atomic number: organics ≈ 0.69, aluminium 0.71, iron 0.74,
 * lead 0.81.  (μ_low / μ_high, the inverse, falls with Z at MeV energies:
 * 1.450, 1.414, 1.349, 1.233 — monotonic as well; which way round a
 * scanner's software states its ratio is a convention.  No pair of MeV
 * energies makes μ_low / μ_high rise with Z: that needs a low energy in
 * the photoelectric regime, below ~0.2 MeV, which a 4 MV beam through
 * a loaded container does not have.)
 *
 * Why these energies: a bremsstrahlung spectrum's mean energy is about a
 * third of its end point, and the cargo filters out the soft part, so
 * the 6 MV beam behind a few cm of steel acts like ~3 MeV photons and the
 * 4 MV beam like ~1.5 MeV.  Both are energies of the NIST grid, so the
 * tabulated values are used as they are (other energies would take
 * log-log interpolation between neighbouring grid energies).
 *
 * Mass attenuation coefficients (total, with coherent scattering) are from
 * the NIST tables: J. H. Hubbell and S. M. Seltzer, "Tables of X-Ray Mass
 * Attenuation Coefficients and Mass Energy-Absorption Coefficients",
 * NISTIR 5632 / NIST Standard Reference Database 126, and NIST XCOM
 * (M. J. Berger et al., SRD 8) for the compounds; the cocaine-like organic
 * C17H21NO4 is the mixture rule over H 6.98 %, C 67.31 %, N 4.62 %,
 * O 21.10 % by mass.
 *
 * Detector.  The intensity image is blurred (Gaussian, σ = 0.8 px) and
 * given Poisson-like noise, σ² = I · I0 / N0 + σ_e², with N0 the photons
 * an air pixel receives (fewer in the low-energy channel) and σ_e an
 * electronic floor; 5 mm pixel pitch, 16-bit output, I0 = 60 000.
 *
 * That is the built-in chain, the profile synthetic-6-4MeV's.  Any other
 * (DlSynthImaging, from a profile's [imaging]) sets the two energies (μ/ρ
 * then comes from the grid of dl-synth-materials.c), I0, the pitch, the
 * blur, the photons and the electronic floor.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-synth"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "dl-synth.h"
#include "dl-synth-private.h"
#include "dl-tiff-write.h"

#define LABEL_MIN        0.02     /* attenuation below which a pixel has no label */
#define MARGIN_CM        40.0
#define materials        dl_synth_material_table


/* ---- random numbers: splitmix64, so the same seed gives the same bytes --- */

typedef struct
{
  guint64 state;
} Rng;

static guint64
rng_next (Rng *r)
{
  guint64 z = (r->state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static double
rng_uniform (Rng *r, double lo, double hi)
{
  return lo + (hi - lo) * ((rng_next (r) >> 11) * (1.0 / 9007199254740992.0));
}

static guint
rng_int (Rng *r, guint lo, guint hi)
{
  return lo + rng_next (r) % (hi - lo + 1);
}

static double
rng_normal (Rng *r)
{
  double u1 = rng_uniform (r, 1e-300, 1.0), u2 = rng_uniform (r, 0.0, 1.0);
  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

/* ---- objects ------------------------------------------------------------- */

typedef enum
{
  SHAPE_BOX,    /* axis-aligned box */
  SHAPE_DRUM,   /* cylinder standing upright (axis y) in its box */
  SHAPE_RING,   /* annulus facing the beam (axis z): a tyre standing up */
  SHAPE_SACK,   /* ellipsoid in its box */
  SHAPE_FLAT_RING,  /* annulus lying flat (axis y): a tyre on its side, x and z extents its diameter */
} Shape;

typedef struct
{
  guint       id;
  const char *kind;
  DlMaterial  material;
  Shape       shape;
  double      x0, x1, y0, y1, z0, z1;   /* cm: x along the length, y up, z across (beam) */
  double      r_in;                     /* SHAPE_RING */
  double      fill;                     /* solid fraction of the volume */
  int         group;                    /* goods line, −1 for the conveyance itself */
  gboolean    concealed;
} Object;

typedef struct
{
  char     *description;
  char     *hs_code;
  char     *package_kind;
  gboolean  declared;
  guint     packages;
  double    kg;
} Group;

typedef struct
{
  const char *name;
  Rng         rng;
  GArray     *objects;
  GPtrArray  *groups;
  guint       next_id;
  double      world_x, world_y, world_z;  /* extents, cm */
  double      floor_y;                     /* top of the floor, cm */
  double      inner_x0, inner_x1;          /* cargo space along x */
  double      inner_z0, inner_z1;
  double      inner_height;
  gboolean    container;                   /* FALSE: a trailer */
  gboolean    forty_foot;
  gboolean    full;
  gboolean    varied;                      /* DlSynthOptions.varied */
  GArray     *pallets;                     /* Pallet, the varied mode's */
  DlTestObject *test_object;               /* the test-object scene's */
} Scene;

/* A pallet of the varied mode, where packages could hide in it. */
typedef struct
{
  double   x0, x1, y0, y1, z0, z1;
  gboolean block;       /* blocks under the deck (hollows between them along x); else stringers */
} Pallet;

static void
group_free (gpointer data)
{
  Group *g = data;

  g_free (g->description);
  g_free (g->hs_code);
  g_free (g->package_kind);
  g_free (g);
}

static int
add_group (Scene      *s,
           const char *description,
           const char *hs_code,
           const char *package_kind,
           gboolean    declared)
{
  Group *g = g_new0 (Group, 1);

  g->description = g_strdup (description);
  g->hs_code = g_strdup (hs_code);
  g->package_kind = g_strdup (package_kind);
  g->declared = declared;
  g_ptr_array_add (s->groups, g);
  return s->groups->len - 1;
}

/* One more package of goods line @group. */
static void
count_package (Scene *s,
               int    group)
{
  if (group >= 0)
    ((Group *) g_ptr_array_index (s->groups, group))->packages++;
}

static double
object_volume (const Object *o)
{
  double dx = o->x1 - o->x0, dy = o->y1 - o->y0, dz = o->z1 - o->z0;

  switch (o->shape)
    {
    case SHAPE_DRUM: return G_PI * dx * dx / 4.0 * dy;
    case SHAPE_RING: return G_PI * (dx * dx / 4.0 - o->r_in * o->r_in) * dz;
    case SHAPE_SACK: return G_PI / 6.0 * dx * dy * dz;
    case SHAPE_FLAT_RING: return G_PI * (dx * dx / 4.0 - o->r_in * o->r_in) * dy;
    case SHAPE_BOX:
    default: return dx * dy * dz;
    }
}

static double
object_mass_kg (const Object *o)
{
  return object_volume (o) * o->fill * materials[o->material].density / 1000.0;
}

static Object *
add_object (Scene      *s,
            const char *kind,
            DlMaterial  material,
            Shape       shape,
            double x0, double x1, double y0, double y1, double z0, double z1,
            double      fill,
            int         group)
{
  Object o = { 0 };

  /* ids are 16-bit in the label image */
  g_assert (s->next_id < G_MAXUINT16);
  o.id = group < 0 ? 1 : s->next_id++;
  o.kind = kind;
  o.material = material;
  o.shape = shape;
  o.x0 = x0; o.x1 = x1; o.y0 = y0; o.y1 = y1; o.z0 = z0; o.z1 = z1;
  o.fill = fill;
  o.group = group;
  g_array_append_val (s->objects, o);
  return &g_array_index (s->objects, Object, s->objects->len - 1);
}

/* Adds an object the manifest does not declare, one package of @group. */
static Object *
add_concealed (Scene      *s,
               const char *kind,
               DlMaterial  material,
               Shape       shape,
               double x0, double x1, double y0, double y1, double z0, double z1,
               double      fill,
               int         group)
{
  Object *o = add_object (s, kind, material, shape, x0, x1, y0, y1, z0, z1, fill, group);

  o->concealed = TRUE;
  count_package (s, group);
  return o;
}

/* ---- path lengths ---------------------------------------------------------- */

/* Path (cm) through @o of the ray at (u, v): side view u = x, v = y and
 * the beam along z; top view u = x, v = z and the beam along y. */
static double
path_at (const Object *o, gboolean top, double u, double v)
{
  double xc = (o->x0 + o->x1) / 2, a = (o->x1 - o->x0) / 2;
  double dx = u - xc, t;

  if (u < o->x0 || u > o->x1)
    return 0;

  if (!top)
    {
      double yc = (o->y0 + o->y1) / 2, b = (o->y1 - o->y0) / 2, dy = v - yc;

      if (v < o->y0 || v > o->y1)
        return 0;
      switch (o->shape)
        {
        case SHAPE_DRUM: return 2 * sqrt (MAX (a * a - dx * dx, 0));
        case SHAPE_RING:
          t = sqrt (dx * dx + dy * dy);
          return (t <= a && t >= o->r_in) ? o->z1 - o->z0 : 0;
        case SHAPE_SACK:
          t = 1 - (dx * dx) / (a * a) - (dy * dy) / (b * b);
          return t > 0 ? (o->z1 - o->z0) * sqrt (t) : 0;
        case SHAPE_FLAT_RING:
          return 2 * (sqrt (MAX (a * a - dx * dx, 0)) - sqrt (MAX (o->r_in * o->r_in - dx * dx, 0)));
        case SHAPE_BOX:
        default: return o->z1 - o->z0;
        }
    }
  else
    {
      double zc = (o->z0 + o->z1) / 2, c = (o->z1 - o->z0) / 2, dz = v - zc;

      if (v < o->z0 || v > o->z1)
        return 0;
      switch (o->shape)
        {
        case SHAPE_DRUM:
          return dx * dx + dz * dz <= a * a ? o->y1 - o->y0 : 0;
        case SHAPE_RING:
          return 2 * (sqrt (MAX (a * a - dx * dx, 0)) - sqrt (MAX (o->r_in * o->r_in - dx * dx, 0)));
        case SHAPE_SACK:
          t = 1 - (dx * dx) / (a * a) - (dz * dz) / (c * c);
          return t > 0 ? (o->y1 - o->y0) * sqrt (t) : 0;
        case SHAPE_FLAT_RING:
          t = sqrt (dx * dx + dz * dz);
          return (t <= a && t >= o->r_in) ? o->y1 - o->y0 : 0;
        case SHAPE_BOX:
        default: return o->y1 - o->y0;
        }
    }
}

/* Overlap of [a, b] with [lo, hi], as a fraction of the pixel. */
static double
coverage (double a, double b, double lo, double hi)
{
  return MAX (0, MIN (b, hi) - MAX (a, lo)) / (hi - lo);
}

/* TRUE when no sample of pixel [u0, u1] × [v0, v1] can fall on the ring
 * (side view): the whole pixel lies outside its outer circle or inside
 * its hole.  Conservative by a margin far above rounding, so skipping
 * such pixels changes no result; it spares most of the work for tyres. */
static gboolean
ring_misses_pixel (const Object *o, double u0, double u1, double v0, double v1)
{
  const double slack = 1e-9;
  double xc = (o->x0 + o->x1) / 2, yc = (o->y0 + o->y1) / 2, a = (o->x1 - o->x0) / 2;
  double nx = CLAMP (xc, u0, u1) - xc, ny = CLAMP (yc, v0, v1) - yc;
  double fx = MAX (fabs (u0 - xc), fabs (u1 - xc)), fy = MAX (fabs (v0 - yc), fabs (v1 - yc));

  return sqrt (nx * nx + ny * ny) > a * (1 + slack) + slack
         || sqrt (fx * fx + fy * fy) < o->r_in * (1 - slack) - slack;
}

/* The mean path over pixel [u0, u1] × [v0, v1]: exact for boxes (so
 * millimetre sheets are neither lost nor exaggerated), 3 × 3 samples for
 * round shapes. */
static double
pixel_path (const Object *o, gboolean top, double u0, double u1, double v0, double v1)
{
  double sum = 0;

  if (o->shape == SHAPE_BOX)
    {
      double vlo = top ? o->z0 : o->y0, vhi = top ? o->z1 : o->y1;
      return path_at (o, top, (o->x0 + o->x1) / 2, (vlo + vhi) / 2)
             * coverage (o->x0, o->x1, u0, u1) * coverage (vlo, vhi, v0, v1);
    }
  if (!top && o->shape == SHAPE_RING && ring_misses_pixel (o, u0, u1, v0, v1))
    return 0;

  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      sum += path_at (o, top, u0 + (u1 - u0) * (i + 0.5) / 3, v0 + (v1 - v0) * (j + 0.5) / 3);
  return sum / 9;
}

/* ---- imaging --------------------------------------------------------------- */

typedef struct
{
  guint    width, height;
  double  *att_low, *att_high;   /* Σ μ ρ t */
  float   *best;                 /* largest single contribution (high energy) */
  guint8  *classes;
  guint16 *ids;
  float   *class_att;            /* 5 a pixel: attenuation by material class */
  float   *class_path;           /* 5 a pixel: path length by material class */
  double   pitch_cm;
  double   mu_low[DL_N_MATERIALS], mu_high[DL_N_MATERIALS];   /* μ/ρ of the chain's energies */
} Projection;

static void
projection_free (Projection *p)
{
  g_free (p->att_low);
  g_free (p->att_high);
  g_free (p->best);
  g_free (p->classes);
  g_free (p->ids);
  g_free (p->class_att);
  g_free (p->class_path);
}

static void
project_object (Projection *p, const Object *o, gboolean top, double world_v)
{
  const DlMaterialInfo *m = &materials[o->material];
  double vlo = top ? o->z0 : o->y0, vhi = top ? o->z1 : o->y1;
  const double pitch = p->pitch_cm;
  const double mu_low = p->mu_low[o->material], mu_high = p->mu_high[o->material];
  int i0 = MAX (0, (int) floor (o->x0 / pitch));
  int i1 = MIN ((int) p->width - 1, (int) floor (o->x1 / pitch));
  /* rows count from the top: row j spans v ∈ [world_v − (j+1)·pitch, world_v − j·pitch] */
  int j0 = MAX (0, (int) floor ((world_v - vhi) / pitch));
  int j1 = MIN ((int) p->height - 1, (int) floor ((world_v - vlo) / pitch));

  for (int j = j0; j <= j1; j++)
    for (int i = i0; i <= i1; i++)
      {
        double t = pixel_path (o, top, i * pitch, (i + 1) * pitch,
                               world_v - (j + 1) * pitch, world_v - j * pitch);
        gsize k = (gsize) j * p->width + i;
        double high;

        if (t <= 0)
          continue;
        t *= o->fill * m->density;
        high = t * mu_high;
        p->att_low[k] += t * mu_low;
        p->att_high[k] += high;
        if (p->class_att)
          {
            p->class_att[5 * k + m->klass] += high;
            p->class_path[5 * k + m->klass] += high / (mu_high * m->density);
          }
        if (high > p->best[k])
          {
            p->best[k] = high;
            p->classes[k] = m->klass;
            p->ids[k] = o->id;
          }
      }
}

static void
project (Projection *p, const Scene *s, gboolean top, const DlSynthImaging *chain)
{
  double world_v = top ? s->world_z : s->world_y;
  gsize n;

  p->pitch_cm = chain->pitch_mm / 10.0;
  for (guint m = 0; m < DL_N_MATERIALS; m++)
    {
      p->mu_low[m] = dl_material_mu_at (m, chain->energy_low_mev);
      p->mu_high[m] = dl_material_mu_at (m, chain->energy_high_mev);
    }
  p->width = (guint) ceil (s->world_x / p->pitch_cm);
  p->height = (guint) ceil (world_v / p->pitch_cm);
  n = (gsize) p->width * p->height;
  p->att_low = g_new0 (double, n);
  p->att_high = g_new0 (double, n);
  p->best = g_new0 (float, n);
  p->classes = g_new0 (guint8, n);
  p->ids = g_new0 (guint16, n);
  if (!top)
    {
      p->class_att = g_new0 (float, 5 * n);
      p->class_path = g_new0 (float, 5 * n);
    }

  for (guint k = 0; k < s->objects->len; k++)
    project_object (p, &g_array_index (s->objects, Object, k), top, world_v);

  for (gsize k = 0; k < n; k++)
    if (p->best[k] < LABEL_MIN)
      {
        p->classes[k] = DL_CLASS_NONE;
        p->ids[k] = 0;
      }
}

/* How a scan is imaged: the plain scans' fixed detector, or one drawn
 * per scan (varied). */
typedef struct
{
  gboolean varied;
  double   blur_sigma;          /* px */
  double   hardening[2];        /* β of the high and the low channel, 0 none */
  double   row_gain_sd;         /* of the per-row gain, 0 none */
  guint64  seed;                /* of the row gains and their drift */
  const DlSynthImaging *chain;  /* energies, I0, pitch, photons, noise */
} Imaging;

static void
imaging_plain (Imaging *im, const DlSynthImaging *chain)
{
  *im = (Imaging) { FALSE, chain->blur_sigma_px, { 0, 0 }, 0, 0, chain };
}

static void
imaging_varied (Imaging *im, guint64 seed, const DlSynthImaging *chain)
{
  Rng rng = { seed ^ 0xbb67ae8584caa73bull };

  im->chain = chain;
  im->varied = TRUE;
  im->blur_sigma = rng_uniform (&rng, 0.6, 1.3);
  im->hardening[0] = rng_uniform (&rng, 0.01, 0.03);
  im->hardening[1] = im->hardening[0] * rng_uniform (&rng, 1.3, 1.7);
  im->row_gain_sd = rng_uniform (&rng, 0.005, 0.01);
  im->seed = rng_next (&rng);
}

/* Separable Gaussian blur of the detector's response, in place, over
 * ±3 σ (±3 px at the plain σ = 0.8 px). */
static void
blur (double *img, guint w, guint h, double sigma)
{
  const int r = MAX (3, (int) ceil (3 * sigma));
  double k[2 * 8 + 1], sum = 0;
  g_autofree double *tmp = g_new (double, MAX (w, h));

  g_assert (r <= 8);
  for (int i = -r; i <= r; i++)
    sum += k[i + r] = exp (-(i * i) / (2 * sigma * sigma));
  for (int i = 0; i < 2 * r + 1; i++)
    k[i] /= sum;

  for (guint y = 0; y < h; y++)
    {
      double *row = img + (gsize) y * w;
      for (guint x = 0; x < w; x++)
        {
          double acc = 0;
          for (int i = -r; i <= r; i++)
            acc += k[i + r] * row[CLAMP ((int) x + i, 0, (int) w - 1)];
          tmp[x] = acc;
        }
      memcpy (row, tmp, w * sizeof (double));
    }
  for (guint x = 0; x < w; x++)
    {
      for (guint y = 0; y < h; y++)
        {
          double acc = 0;
          for (int i = -r; i <= r; i++)
            acc += k[i + r] * img[(gsize) CLAMP ((int) y + i, 0, (int) h - 1) * w + x];
          tmp[y] = acc;
        }
      for (guint y = 0; y < h; y++)
        img[(gsize) y * w + x] = tmp[y];
    }
}

/* Beam hardening: the spectrum hardens along the path, so each further
 * cm attenuates less; the line integral A becomes ln (1 + βA) / β, smooth,
 * monotone and ≈ A for small A. */
static double
harden (double att, double beta)
{
  return beta > 0 ? log1p (beta * att) / beta : att;
}

/* The detector rows' gains (a factor each, 1 ± sd, fixed for the scan)
 * times a slow drift along the scan (columns are time): in place on the
 * blurred intensity. */
static void
apply_row_gains (double *img, guint w, guint h, double sd, guint64 seed)
{
  Rng rng = { seed };
  double amplitude = rng_uniform (&rng, 0.001, 0.004);
  double period = rng_uniform (&rng, 300, 1500), phase = rng_uniform (&rng, 0, 2 * G_PI);
  g_autofree double *drift = g_new (double, w);

  for (guint x = 0; x < w; x++)
    drift[x] = 1 + amplitude * sin (2 * G_PI * x / period + phase);
  for (guint y = 0; y < h; y++)
    {
      double gain = 1 + sd * CLAMP (rng_normal (&rng), -3, 3);

      for (guint x = 0; x < w; x++)
        img[(gsize) y * w + x] *= gain * drift[x];
    }
}

/* Attenuation → detector counts: I0 e^−A, blurred, with noise (and, when
 * varied, hardened and with row gains). */
static void
expose (DlPlane *plane, const double *att, double photons, guint64 seed, const Imaging *im, guint channel)
{
  gsize n = (gsize) plane->width * plane->height;
  g_autofree double *intensity = g_new (double, n);
  Rng rng = { seed };

  for (gsize k = 0; k < n; k++)
    intensity[k] = im->chain->i0 * exp (-harden (att[k], im->hardening[channel]));
  blur (intensity, plane->width, plane->height, im->blur_sigma);
  if (im->row_gain_sd > 0)
    apply_row_gains (intensity, plane->width, plane->height, im->row_gain_sd, im->seed ^ seed);
  for (gsize k = 0; k < n; k++)
    {
      double i = intensity[k];
      double sigma = sqrt (i * im->chain->i0 / photons + im->chain->noise_floor * im->chain->noise_floor);
      double v = round (i + sigma * rng_normal (&rng));   /* one draw: CLAMP evaluates twice */
      plane->data[k] = (guint16) CLAMP (v, 0, 65535);
    }
  plane->air_value = im->chain->i0;
}

static DlPlane *
add_channel (DlScan *scan, guint view, const char *name, const Projection *p,
             gboolean high, guint64 seed, const Imaging *im)
{
  DlPlane *plane = dl_scan_add_plane (scan, view, name, p->width, p->height, 0, NULL);

  g_assert (plane != NULL);
  expose (plane, high ? p->att_high : p->att_low, high ? im->chain->photons_high : im->chain->photons_low,
          seed, im, high ? 0 : 1);
  return plane;
}

/* ---- conveyances ----------------------------------------------------------- */

/* ISO containers: 20 ft 605.8 × 243.8 × 259.1 cm outside, 40 ft 1219.2 long;
 * 2 mm corrugated steel walls (trapezoidal, 1.41 × the path on the slopes),
 * 28 mm plywood floor on steel cross members every 30 cm, corner posts,
 * rear doors and front wall. */
static void
build_container (Scene *s, gboolean forty)
{
  double length = forty ? 1219.2 : 605.8, width = 243.8, height = 259.1;
  double x0 = MARGIN_CM, x1 = MARGIN_CM + length;
  double bottom = MARGIN_CM, top = bottom + height;
  double wall = 0.2;

  s->container = TRUE;
  s->forty_foot = forty;
  s->world_x = length + 2 * MARGIN_CM;
  s->world_y = height + 2 * MARGIN_CM;
  s->world_z = width + 2 * MARGIN_CM;
  s->floor_y = bottom + 16.0;
  s->inner_x0 = x0 + 8.0;
  s->inner_x1 = x1 - 12.0;
  s->inner_z0 = MARGIN_CM + 4.4;
  s->inner_z1 = MARGIN_CM + width - 4.4;
  s->inner_height = top - 2.0 - s->floor_y;

  /* side walls: corrugation period 27.8 cm, flat and sloped faces */
  for (double x = x0 + 10; x < x1 - 10; x += 27.8)
    for (int face = 0; face < 4; face++)
      {
        double fx0 = x + face * 6.95, fx1 = MIN (fx0 + 6.95, x1 - 10);
        double t = (face % 2) ? wall * 1.414 : wall;
        add_object (s, "side wall", DL_MATERIAL_STEEL, SHAPE_BOX, fx0, fx1, bottom + 12, top - 10,
                    MARGIN_CM, MARGIN_CM + 2 * t, 1.0, -1);
      }
  /* roof (a 2 mm sheet the beam runs along), floor, rails */
  add_object (s, "roof", DL_MATERIAL_STEEL, SHAPE_BOX, x0, x1, top - 2.2, top - 2.0,
              MARGIN_CM, MARGIN_CM + width, 1.0, -1);
  add_object (s, "top rail", DL_MATERIAL_STEEL, SHAPE_BOX, x0, x1, top - 10, top,
              MARGIN_CM, MARGIN_CM + 1.2, 1.0, -1);
  add_object (s, "floor", DL_MATERIAL_WOOD, SHAPE_BOX, x0 + 5, x1 - 5, s->floor_y - 2.8, s->floor_y,
              MARGIN_CM + 2, MARGIN_CM + width - 2, 1.2, -1);
  add_object (s, "bottom rail", DL_MATERIAL_STEEL, SHAPE_BOX, x0, x1, bottom, bottom + 16,
              MARGIN_CM, MARGIN_CM + 1.0, 1.0, -1);
  for (double x = x0 + 20; x < x1 - 20; x += 30)
    add_object (s, "cross member", DL_MATERIAL_STEEL, SHAPE_BOX, x, x + 0.45, bottom + 2, s->floor_y - 2.8,
                MARGIN_CM, MARGIN_CM + width, 1.0, -1);
  /* ends: corner posts (hollow), front wall, rear door with its frame */
  for (int end = 0; end < 2; end++)
    {
      double ex0 = end ? x1 - 16 : x0, ex1 = end ? x1 : x0 + 16;
      add_object (s, "corner post", DL_MATERIAL_STEEL, SHAPE_BOX, ex0, ex1, bottom, top,
                  MARGIN_CM, MARGIN_CM + width, 0.05, -1);
    }
  add_object (s, "front wall", DL_MATERIAL_STEEL, SHAPE_BOX, x0 + 4, x0 + 4.2, bottom + 12, top - 8,
              MARGIN_CM, MARGIN_CM + width, 1.0, -1);
  add_object (s, "door", DL_MATERIAL_STEEL, SHAPE_BOX, x1 - 8, x1 - 7.6, bottom + 12, top - 8,
              MARGIN_CM, MARGIN_CM + width, 1.0, -1);
  for (int bar = 0; bar < 4; bar++)
    add_object (s, "door locking bar", DL_MATERIAL_STEEL, SHAPE_BOX, x1 - 6, x1 - 3, bottom + 10, top - 6,
                MARGIN_CM + 20 + bar * 60, MARGIN_CM + 22.7 + bar * 60, 1.0, -1);
}

/* A 13.6 m curtain-sider: thin PVC curtains, steel frame and chassis,
 * three axles of twin wheels under the rear. */
static void
build_trailer (Scene *s)
{
  double length = 1360, width = 248, height = 270;
  double x0 = MARGIN_CM, x1 = x0 + length;
  double deck = MARGIN_CM + 110, top = deck + height;

  s->container = FALSE;
  s->world_x = length + 2 * MARGIN_CM;
  s->world_y = top + MARGIN_CM;
  s->world_z = width + 2 * MARGIN_CM;
  s->floor_y = deck;
  s->inner_x0 = x0 + 5;
  s->inner_x1 = x1 - 5;
  s->inner_z0 = MARGIN_CM + 2;
  s->inner_z1 = MARGIN_CM + width - 2;
  s->inner_height = height - 5;

  add_object (s, "curtain", DL_MATERIAL_POLYETHYLENE, SHAPE_BOX, x0, x1, deck, top,
              MARGIN_CM, MARGIN_CM + 0.12, 1.4, -1);
  add_object (s, "roof", DL_MATERIAL_POLYETHYLENE, SHAPE_BOX, x0, x1, top - 0.3, top,
              MARGIN_CM, MARGIN_CM + width, 1.0, -1);
  add_object (s, "deck", DL_MATERIAL_WOOD, SHAPE_BOX, x0, x1, deck - 4, deck,
              MARGIN_CM, MARGIN_CM + width, 1.2, -1);
  add_object (s, "chassis beam", DL_MATERIAL_STEEL, SHAPE_BOX, x0, x1, deck - 40, deck - 4,
              MARGIN_CM + 70, MARGIN_CM + 71.6, 1.0, -1);
  add_object (s, "chassis beam", DL_MATERIAL_STEEL, SHAPE_BOX, x0, x1, deck - 40, deck - 4,
              MARGIN_CM + width - 71.6, MARGIN_CM + width - 70, 1.0, -1);
  for (double x = x0 + 60; x < x1 - 10; x += 150)
    add_object (s, "stanchion", DL_MATERIAL_STEEL, SHAPE_BOX, x, x + 8, deck, top,
                MARGIN_CM, MARGIN_CM + width, 0.02, -1);
  for (int axle = 0; axle < 3; axle++)
    {
      double cx = x1 - 400 + axle * 131, cy = MARGIN_CM + 51;
      for (int side = 0; side < 2; side++)
        {
          double z = side ? MARGIN_CM + width - 60 : MARGIN_CM;
          Object *t = add_object (s, "trailer tyre", DL_MATERIAL_POLYETHYLENE, SHAPE_RING,
                                  cx - 51, cx + 51, cy - 51, cy + 51, z, z + 60, 0.2, -1);
          t->r_in = 29;
          add_object (s, "wheel rim", DL_MATERIAL_STEEL, SHAPE_RING, cx - 29, cx + 29, cy - 29, cy + 29,
                      z + 5, z + 55, 0.12, -1)->r_in = 0;
        }
      add_object (s, "axle", DL_MATERIAL_STEEL, SHAPE_BOX, cx - 6, cx + 6, cy - 6, cy + 6,
                  MARGIN_CM, MARGIN_CM + width, 0.6, -1);
    }
}

/* ---- the varied mode's cargo ------------------------------------------------ *
 *
 * Plain scenes draw nothing here: every draw is behind s->varied, so a
 * plain scene's random stream, and its bytes, are what they were. */

static double
vary (Scene *s, double value, double relative)
{
  return s->varied ? value * (1 + rng_uniform (&s->rng, -relative, relative)) : value;
}

static double
jitter (Scene *s, double cm)
{
  return s->varied ? rng_uniform (&s->rng, -cm, cm) : 0;
}

static gboolean
chance (Scene *s, double p)
{
  return rng_uniform (&s->rng, 0, 1) < p;
}

/* Picks @k of @n indices at random into @picked (k ≤ n), in place of a
 * shuffle of 0 … n − 1. */
static GArray *
pick_some (Scene *s, guint n, guint k)
{
  GArray *all = g_array_sized_new (FALSE, FALSE, sizeof (guint), n);

  for (guint i = 0; i < n; i++)
    g_array_append_val (all, i);
  for (guint i = 0; i < MIN (k, n); i++)
    {
      guint j = rng_int (&s->rng, i, n - 1), t = g_array_index (all, guint, i);
      g_array_index (all, guint, i) = g_array_index (all, guint, j);
      g_array_index (all, guint, j) = t;
    }
  g_array_set_size (all, MIN (k, n));
  return all;
}

typedef struct
{
  double   length, depth, height;   /* cm: along x, across (the beam), up */
  gboolean block;
} PalletKind;

static const PalletKind pallet_kinds[] = {
  { 120, 80, 14.4, TRUE },    /* euro (EPAL), block */
  { 120, 100, 14.4, TRUE },   /* industrial, block */
  { 120, 100, 14.0, FALSE },  /* industrial, stringer */
  { 120, 80, 13.0, FALSE },   /* stringer */
};

/* A pallet of @k at (@x, @z): top deck boards, and under them three rows
 * of blocks on bottom boards or three stringers along its length. */
static double
add_pallet_varied (Scene *s, double x, double z, const PalletKind *k, int group)
{
  double y = s->floor_y, top = y + k->height;
  Pallet p = { x, x + k->length, y, top, z, z + k->depth, k->block };

  add_object (s, "pallet", DL_MATERIAL_WOOD, SHAPE_BOX, x, x + k->length, top - 2.2, top, z, z + k->depth,
              vary (s, 0.6, 0.1), group);
  if (k->block)
    {
      add_object (s, "pallet", DL_MATERIAL_WOOD, SHAPE_BOX, x, x + k->length, y, y + 2.2, z, z + k->depth,
                  vary (s, 0.45, 0.1), group);
      for (int b = 0; b < 3; b++)
        {
          double bx = x + b * (k->length - 14.5) / 2;
          /* three blocks across the beam, 14.5 cm each */
          add_object (s, "pallet block", DL_MATERIAL_WOOD, SHAPE_BOX, bx, bx + 14.5, y + 2.2, top - 2.2,
                      z, z + k->depth, 3 * 14.5 / k->depth, group);
        }
    }
  else
    add_object (s, "pallet stringer", DL_MATERIAL_WOOD, SHAPE_BOX, x, x + k->length, y, top - 2.2,
                z, z + k->depth, 3 * 4.5 / k->depth, group);
  g_array_append_val (s->pallets, p);
  return top;
}

/* A carton holding 2–4 sub-items of different fill, side by side along
 * one axis, instead of one uniform block. */
static void
add_carton_varied (Scene *s, const double lo[3], const double hi[3], DlMaterial material, double fill,
                   int group)
{
  guint parts = rng_int (&s->rng, 2, 4), axis = rng_int (&s->rng, 0, 2);
  double step = (hi[axis] - lo[axis] - 2) / parts;

  add_object (s, "carton", DL_MATERIAL_WOOD, SHAPE_BOX, lo[0], hi[0], lo[1], hi[1], lo[2], hi[2],
              vary (s, 0.03, 0.2), group);
  for (guint i = 0; i < parts; i++)
    {
      double a[3] = { lo[0] + 1, lo[1] + 1, lo[2] + 1 }, b[3] = { hi[0] - 1, hi[1] - 1, hi[2] - 1 };

      a[axis] = lo[axis] + 1 + i * step + 0.3;
      b[axis] = lo[axis] + 1 + (i + 1) * step - 0.3;
      add_object (s, "carton contents", material, SHAPE_BOX, a[0], b[0], a[1], b[1], a[2], b[2],
                  fill * rng_uniform (&s->rng, 0.75, 1.25), group);
    }
  count_package (s, group);
}

/* One pallet's stack: @layers of cartons, @across along the pallet, a
 * carton now and then missing from the top. */
static void
add_stack_varied (Scene *s, const Pallet *p, guint across, guint layers, double carton_h,
                  DlMaterial material, double fill, int group)
{
  double cw = (p->x1 - p->x0) / across;

  for (guint c = 0; c < across; c++)
    {
      guint column = layers > 1 && chance (s, 0.15) ? layers - 1 : layers;

      for (guint l = 0; l < column; l++)
        {
          double cx = p->x0 + c * cw + jitter (s, 0.8), dz = jitter (s, 1.0), y = p->y1 + l * carton_h;
          double lo[3] = { cx + 0.5, y, p->z0 + 1 + dz }, hi[3] = { cx + cw - 0.5, y + carton_h - 0.5, p->z1 - 1 + dz };

          add_carton_varied (s, lo, hi, material, vary (s, fill, 0.05), group);
        }
    }
}

/* add_palletised () varied: one pallet kind and carton size for the lot,
 * gaps between pallets, stacks of different heights. */
static void
add_palletised_varied (Scene *s, double x, double length, DlMaterial material, double fill,
                       double stack_height, int group)
{
  const PalletKind *k = &pallet_kinds[rng_int (&s->rng, 0, G_N_ELEMENTS (pallet_kinds) - 1)];
  guint across = rng_int (&s->rng, 2, 4);
  double carton_h = rng_uniform (&s->rng, 30, 50);
  guint layers = MAX (1, (guint) floor (MIN (stack_height, s->inner_height - 20) / carton_h));

  for (double px = x; px + k->length <= x + length + 0.1; px += k->length + rng_uniform (&s->rng, 1, 8))
    for (double z = s->inner_z0 + rng_uniform (&s->rng, 0, 3); z + k->depth <= s->inner_z1;
         z += k->depth + rng_uniform (&s->rng, 0, 3))
      {
        guint here = layers > 1 && chance (s, 0.4) ? rng_int (&s->rng, 1, layers - 1) : layers;

        add_pallet_varied (s, px, z, k, group);
        add_stack_varied (s, &g_array_index (s->pallets, Pallet, s->pallets->len - 1), across, here,
                          carton_h, material, fill, group);
      }
}

typedef struct
{
  double   x, y, z, d, w;   /* corner, diameter, tread width */
  gboolean flat;            /* lying on its side */
} Tyre;

static void
add_tyre (Scene *s, const Tyre *t, int group)
{
  double fill = vary (s, 0.22, 0.05), r_in = t->d / 2 * 0.615, belt_in = t->d / 2 - 3;
  Object *o;

  if (!t->flat)
    {
      o = add_object (s, "tyre", DL_MATERIAL_POLYETHYLENE, SHAPE_RING, t->x, t->x + t->d, t->y, t->y + t->d,
                      t->z, t->z + t->w, fill, group);
      o->r_in = r_in;
      add_object (s, "tyre steel belt", DL_MATERIAL_STEEL, SHAPE_RING, t->x + 1.5, t->x + t->d - 1.5,
                  t->y + 1.5, t->y + t->d - 1.5, t->z + 2, t->z + t->w - 2, 0.08, group)->r_in = belt_in;
    }
  else
    {
      o = add_object (s, "tyre", DL_MATERIAL_POLYETHYLENE, SHAPE_FLAT_RING, t->x, t->x + t->d, t->y, t->y + t->w,
                      t->z, t->z + t->d, fill, group);
      o->r_in = r_in;
      add_object (s, "tyre steel belt", DL_MATERIAL_STEEL, SHAPE_FLAT_RING, t->x + 1.5, t->x + t->d - 1.5,
                  t->y + 2, t->y + t->w - 2, t->z + 1.5, t->z + t->d - 1.5, 0.08, group)->r_in = belt_in;
    }
  count_package (s, group);
}

/* A package of cocaine-like powder (about 1.5–4 kg) in the hollow of
 * tyre @t, under the tread: above or below the hole of a standing tyre,
 * at the near or far side of a lying one. */
static void
hide_in_tyre (Scene *s, const Tyre *t, int group)
{
  double r = t->d / 2, cx = t->x + r, pw = 0.32 * t->d * vary (s, 1, 0.25);
  double ph = 0.12 * t->d * vary (s, 1, 0.25);

  if (!t->flat)
    {
      double cy = t->y + r, y0 = chance (s, 0.5) ? cy + 0.385 * r : cy - 0.385 * r - ph;
      add_concealed (s, "concealed package", DL_MATERIAL_COCAINE, SHAPE_BOX, cx - pw / 2, cx + pw / 2,
                     y0, y0 + ph, t->z + 3, t->z + t->w - 3, 0.9, group);
    }
  else
    {
      double cz = t->z + r, z0 = chance (s, 0.5) ? cz + 0.63 * r : cz - 0.63 * r - ph;
      add_concealed (s, "concealed package", DL_MATERIAL_COCAINE, SHAPE_BOX, cx - pw / 2, cx + pw / 2,
                     t->y + 3, t->y + t->w - 3, z0, z0 + ph, 0.9, group);
    }
}

/* One column of tyres at @x: standing in rows facing the beam, or (one in
 * five) lying flat in stacks. */
static double
tyre_column (Scene *s, GArray *tyres, double x, double d, double w)
{
  gboolean flat = chance (s, 0.2);
  double top = s->floor_y + MIN (200, s->inner_height);
  double h = flat ? w : d, across = flat ? d : w;

  for (double y = s->floor_y; y + h <= top; y += h + rng_uniform (&s->rng, 0.2, 1.5))
    for (double z = s->inner_z0 + rng_uniform (&s->rng, 0, 2); z + across <= s->inner_z1;
         z += across + rng_uniform (&s->rng, 0.2, 2))
      {
        Tyre t = { x + rng_uniform (&s->rng, 0, 1), y, z, d, w, flat };
        g_array_append_val (tyres, t);
      }
  return x + d + rng_uniform (&s->rng, 1.5, 5);
}

/* add_tyres () varied: one or two sizes in the load, some columns lying
 * flat, packages in 1–6 tyres picked from the whole load (@hidden_group
 * < 0: none). */
static void
add_tyres_varied (Scene *s, double x, double length, int group, int hidden_group)
{
  static const double diameters[] = { 60, 63, 65, 68, 71, 75, 80 };
  static const double widths[] = { 17.5, 19.5, 20.5, 22.5, 24.5, 27.5 };
  g_autoptr(GArray) tyres = g_array_new (FALSE, FALSE, sizeof (Tyre));
  double d[2], w[2];

  for (int i = 0; i < 2; i++)
    {
      d[i] = diameters[rng_int (&s->rng, 0, G_N_ELEMENTS (diameters) - 1)];
      w[i] = widths[rng_int (&s->rng, 0, G_N_ELEMENTS (widths) - 1)];
    }
  if (chance (s, 0.5))
    d[1] = d[0], w[1] = w[0];
  for (double tx = x;;)
    {
      guint size = rng_int (&s->rng, 0, 1);

      if (tx + d[size] > x + length)
        break;
      tx = tyre_column (s, tyres, tx, d[size], w[size]);
    }
  for (guint i = 0; i < tyres->len; i++)
    add_tyre (s, &g_array_index (tyres, Tyre, i), group);
  if (hidden_group >= 0)
    {
      g_autoptr(GArray) picked = pick_some (s, tyres->len, rng_int (&s->rng, 1, 6));

      for (guint i = 0; i < picked->len; i++)
        hide_in_tyre (s, &g_array_index (tyres, Tyre, g_array_index (picked, guint, i)), hidden_group);
    }
}

typedef struct
{
  double x, z, length, height, depth;
} Crate;

static const Crate crate_sizes[] = {
  { 0, 0, 150, 140, 110 }, { 0, 0, 120, 120, 100 }, { 0, 0, 170, 150, 115 }, { 0, 0, 130, 110, 90 },
};

/* add_machine () in a crate of @c's size, its parts scaled to it. */
static void
add_machine_sized (Scene *s, const Crate *c, int group)
{
  double x = c->x, z = c->z, y = s->floor_y, fx = c->length / 150, fy = c->height / 140, fz = c->depth / 110;

  add_object (s, "crate", DL_MATERIAL_WOOD, SHAPE_BOX, x, x + c->length, y, y + c->height, z, z + c->depth,
              vary (s, 0.08, 0.1), group);
  add_object (s, "machine base", DL_MATERIAL_STEEL, SHAPE_BOX, x + 10 * fx, x + 140 * fx, y + 5 * fy, y + 20 * fy,
              z + 10 * fz, z + 100 * fz, vary (s, 0.35, 0.05), group);
  add_object (s, "machine block", DL_MATERIAL_STEEL, SHAPE_BOX, x + 30 * fx, x + 95 * fx, y + 20 * fy, y + 85 * fy,
              z + 25 * fz, z + 85 * fz, vary (s, 0.42, 0.05), group);
  add_object (s, "motor", DL_MATERIAL_STEEL, SHAPE_DRUM, x + 100 * fx, x + 132 * fx, y + 20 * fy, y + 75 * fy,
              z + 39 * fz, z + 71 * fz, vary (s, 0.55, 0.05), group);
  add_object (s, "shaft", DL_MATERIAL_STEEL, SHAPE_BOX, x + 20 * fx, x + 130 * fx, y + 95 * fy, y + 101 * fy,
              z + 50 * fz, z + 56 * fz, 1.0, group);
  add_object (s, "housing", DL_MATERIAL_ALUMINIUM, SHAPE_BOX, x + 28 * fx, x + 97 * fx, y + 18 * fy, y + 120 * fy,
              z + 22 * fz, z + 88 * fz, 0.04, group);
  count_package (s, group);
}

/* A random number (4–16, as many as fit) of 1 kg organic bricks in the
 * empty top of crate @c, at a random depth along the beam. */
static void
hide_in_crate (Scene *s, const Crate *c, int group)
{
  guint per_layer = (guint) ((c->length - 20) / 30);
  double y0 = s->floor_y + c->height * 103.0 / 140, y1 = s->floor_y + c->height - 2;
  guint max_layers = MAX (1, (guint) ((y1 - y0) / 9)), n = MIN (rng_int (&s->rng, 4, 16), per_layer * max_layers);
  double depth = rng_uniform (&s->rng, 20, MIN (60, c->depth - 20));
  double z0 = c->z + rng_uniform (&s->rng, 8, c->depth - depth - 8), bx = c->x + 10;

  for (guint i = 0; i < n; i++)
    {
      double x = bx + (i % per_layer) * 30, y = y0 + (i / per_layer) * 9;
      add_concealed (s, "organic brick", DL_MATERIAL_COCAINE, SHAPE_BOX, x, x + 29, y, y + 8, z0, z0 + depth,
                     vary (s, 0.85, 0.05), group);
    }
}

/* Crated machines in two rows, crates of several sizes and gaps. */
static GArray *
add_machines_varied (Scene *s, int group)
{
  GArray *crates = g_array_new (FALSE, FALSE, sizeof (Crate));

  for (int row = 0; row < 2; row++)
    for (double x = s->inner_x0 + rng_uniform (&s->rng, 0, 10);;)
      {
        Crate c = crate_sizes[rng_int (&s->rng, 0, G_N_ELEMENTS (crate_sizes) - 1)];

        if (x + c.length > s->inner_x1)
          break;
        c.x = x;
        c.z = row ? s->inner_z1 - c.depth - rng_uniform (&s->rng, 0, 8) : s->inner_z0 + rng_uniform (&s->rng, 0, 8);
        add_machine_sized (s, &c, group);
        g_array_append_val (crates, c);
        x += c.length + rng_uniform (&s->rng, 4, 25);
      }
  return crates;
}

/* Packages in a random subset of the pallets, of random size: between the
 * blocks of a block pallet, between the stringers of a stringer one. */
static void
hide_in_pallets (Scene *s, int group)
{
  guint n = s->pallets->len;
  g_autoptr(GArray) picked = pick_some (s, n, rng_int (&s->rng, 1, MAX (1, n / 3)));

  for (guint i = 0; i < picked->len; i++)
    {
      Pallet p = g_array_index (s->pallets, Pallet, g_array_index (picked, guint, i));
      double h = rng_uniform (&s->rng, 4, 9), y0 = p.y0 + 2.4;

      if (p.block)
        for (int slot = 0, slots = rng_int (&s->rng, 1, 2); slot < slots; slot++)
          {
            double len = rng_uniform (&s->rng, 20, 36), x = p.x0 + 14.5 + slot * 52.75 + rng_uniform (&s->rng, 0, 38 - len);
            double inset = rng_uniform (&s->rng, 5, 15);
            add_concealed (s, "package in pallet", DL_MATERIAL_COCAINE, SHAPE_BOX, x, x + len, y0, y0 + h,
                           p.z0 + inset, p.z1 - inset, 0.9, group);
          }
      else
        {
          double len = rng_uniform (&s->rng, 30, 100), x = p.x0 + rng_uniform (&s->rng, 0, p.x1 - p.x0 - len);
          double gap = (p.z1 - p.z0 - 13.5) / 2, width = rng_uniform (&s->rng, 0.5, 0.9) * gap;
          double z = p.z0 + 4.5 + (chance (s, 0.5) ? gap + 4.5 : 0) + (gap - width) / 2;
          add_concealed (s, "package in pallet", DL_MATERIAL_COCAINE, SHAPE_BOX, x, x + len, y0, y0 + h,
                         z, z + width, 0.9, group);
        }
    }
}

/* ---- cargo ----------------------------------------------------------------- */

/* A euro pallet (120 × 80 × 14.4 cm, wood, about half solid) across the
 * beam at @x, returning the height of its top. */
static double
add_pallet (Scene *s, double x, double z, int group)
{
  add_object (s, "pallet", DL_MATERIAL_WOOD, SHAPE_BOX, x, x + 120, s->floor_y, s->floor_y + 14.4,
              z, z + 80, 0.45, group);
  return s->floor_y + 14.4;
}

/* Cartons of @material at @fill stacked on pallets, in rows across the
 * width, from @x over @length cm. */
static void
add_palletised (Scene *s, double x, double length, DlMaterial material, double fill,
                double stack_height, int group)
{
  if (s->varied)
    {
      add_palletised_varied (s, x, length, material, fill, stack_height, group);
      return;
    }
  for (double px = x; px + 120 <= x + length + 0.1; px += 122)
    for (double z = s->inner_z0; z + 80 <= s->inner_z1; z += 80)
      {
        double base = add_pallet (s, px, z, group);
        double h = MIN (stack_height, s->inner_height - 20);
        for (double y = base; y + 40 <= base + h; y += 40)
          for (double cx = px; cx + 40 <= px + 120.1; cx += 40)
            {
              add_object (s, "carton", DL_MATERIAL_WOOD, SHAPE_BOX, cx + 1, cx + 39, y, y + 39,
                          z + 1, z + 79, 0.03, group);
              add_object (s, "carton contents", material, SHAPE_BOX, cx + 2, cx + 38, y + 1, y + 38,
                          z + 2, z + 78, fill, group);
              count_package (s, group);
            }
      }
}

/* 200-litre steel drums (∅ 58.5 × 88 cm, 1.2 mm wall) of liquid, four
 * across the width. */
static void
add_drums (Scene *s, double x, guint count, DlMaterial content, int group)
{
  for (guint i = 0; i < count; i++)
    {
      double cx = x + (i / 4) * 60 + jitter (s, 0.7), z = s->inner_z0 + (i % 4) * 58.5 + jitter (s, 0.5);
      /* varied: filled to a level of 68–80 cm */
      double level = s->varied ? rng_uniform (&s->rng, 68, 80) : 80;
      add_object (s, "drum", DL_MATERIAL_STEEL, SHAPE_DRUM, cx, cx + 58.5, s->floor_y, s->floor_y + 88,
                  z, z + 58.5, 0.0082, group);   /* the 1.2 mm shell as a cylinder of the same steel mass */
      add_object (s, "drum contents", content, SHAPE_DRUM, cx + 0.5, cx + 58, s->floor_y + 1, s->floor_y + level,
                  z + 0.5, z + 58, 1.0, group);
      count_package (s, group);
    }
}

/* 50 kg sacks (90 × 50 × 16 cm), rounded, in layers. */
static void
add_sacks (Scene *s, double x, double length, DlMaterial material, int group)
{
  for (double sx = x; sx + 90 <= x + length; sx += 92 + (s->varied ? rng_uniform (&s->rng, 0, 6) : 0))
    for (double z = s->inner_z0; z + 50 <= s->inner_z1; z += 52)
      {
        /* varied: piles of different heights */
        double top = s->floor_y + MIN (s->varied ? rng_uniform (&s->rng, 64, 160) : 160, s->inner_height);

        for (double y = s->floor_y; y + 16 <= top; y += 16)
          {
            double dx = jitter (s, 2), dz = jitter (s, 1);
            add_object (s, "sack", material, SHAPE_SACK, sx + dx, sx + dx + 90, y, y + 16, z + dz, z + dz + 50,
                        vary (s, 0.8, 0.05), group);
            count_package (s, group);
          }
      }
}

/* Car tyres (∅ 65 cm, 20.5 cm tread) standing in rows facing the beam,
 * with their steel belts; @hidden_every > 0 puts a package of about
 * 2.6 kg of cocaine-like powder inside every so many tyres. */
static void
add_tyres (Scene *s, double x, double length, int group, int hidden_group,
           guint hidden_every)
{
  guint n = 0;

  if (s->varied)
    {
      add_tyres_varied (s, x, length, group, hidden_every ? hidden_group : -1);
      return;
    }
  for (double tx = x; tx + 65 <= x + length; tx += 66)
    for (double y = s->floor_y; y + 65 <= s->floor_y + MIN (200, s->inner_height); y += 66)
      for (double z = s->inner_z0; z + 20.5 <= s->inner_z1; z += 21)
        {
          Object *o = add_object (s, "tyre", DL_MATERIAL_POLYETHYLENE, SHAPE_RING, tx, tx + 65, y, y + 65,
                                  z, z + 20.5, 0.22, group);   /* ≈ 9 kg of rubber */
          o->r_in = 20;
          add_object (s, "tyre steel belt", DL_MATERIAL_STEEL, SHAPE_RING, tx + 1.5, tx + 63.5, y + 1.5, y + 63.5,
                      z + 2, z + 18.5, 0.08, group)->r_in = 29.5;
          count_package (s, group);
          if (hidden_every && ++n % hidden_every == 0)
            {
              /* in the hollow of the tyre, under the tread */
              add_concealed (s, "concealed package", DL_MATERIAL_COCAINE, SHAPE_BOX,
                             tx + 22, tx + 43, y + 45, y + 53, z + 3, z + 17.5, 0.9, hidden_group);
            }
        }
}

/* A machine in a crate: a steel frame, a cast block, shafts. */
static void
add_machine (Scene *s, double x, double z, int group)
{
  double y = s->floor_y;

  add_object (s, "crate", DL_MATERIAL_WOOD, SHAPE_BOX, x, x + 150, y, y + 140, z, z + 110, 0.08, group);
  add_object (s, "machine base", DL_MATERIAL_STEEL, SHAPE_BOX, x + 10, x + 140, y + 5, y + 20, z + 10, z + 100, 0.35, group);
  add_object (s, "machine block", DL_MATERIAL_STEEL, SHAPE_BOX, x + 30, x + 95, y + 20, y + 85, z + 25, z + 85, 0.42, group);
  add_object (s, "motor", DL_MATERIAL_STEEL, SHAPE_DRUM, x + 100, x + 132, y + 20, y + 75, z + 39, z + 71, 0.55, group);
  add_object (s, "shaft", DL_MATERIAL_STEEL, SHAPE_BOX, x + 20, x + 130, y + 95, y + 101, z + 50, z + 56, 1.0, group);
  add_object (s, "housing", DL_MATERIAL_ALUMINIUM, SHAPE_BOX, x + 28, x + 97, y + 18, y + 120, z + 22, z + 88, 0.04, group);
  count_package (s, group);
}

/* A passenger car, 430 × 175 × 145 cm, seen from the side. */
static void
add_car (Scene *s, double x, int group)
{
  double y = s->floor_y, z = (s->inner_z0 + s->inner_z1) / 2 - 87.5;

  add_object (s, "car body side", DL_MATERIAL_STEEL, SHAPE_BOX, x, x + 430, y + 20, y + 95, z, z + 175, 0.0018, group);
  add_object (s, "car roof", DL_MATERIAL_STEEL, SHAPE_BOX, x + 120, x + 330, y + 140, y + 141, z + 10, z + 165, 0.8, group);
  add_object (s, "car floor", DL_MATERIAL_STEEL, SHAPE_BOX, x + 30, x + 400, y + 22, y + 23, z, z + 175, 0.8, group);
  add_object (s, "car glass", DL_MATERIAL_GLASS, SHAPE_BOX, x + 110, x + 340, y + 95, y + 140, z, z + 175, 0.0046, group);
  add_object (s, "engine", DL_MATERIAL_STEEL, SHAPE_BOX, x + 25, x + 85, y + 35, y + 85, z + 55, z + 120, 0.32, group);
  add_object (s, "gearbox", DL_MATERIAL_ALUMINIUM, SHAPE_BOX, x + 85, x + 120, y + 35, y + 70, z + 70, z + 105, 0.5, group);
  add_object (s, "seats", DL_MATERIAL_POLYETHYLENE, SHAPE_BOX, x + 150, x + 320, y + 30, y + 100, z + 20, z + 155, 0.08, group);
  add_object (s, "fuel tank", DL_MATERIAL_WATER, SHAPE_BOX, x + 300, x + 360, y + 25, y + 45, z + 40, z + 135, 0.6, group);
  for (int w = 0; w < 2; w++)
    {
      double cx = w ? x + 355 : x + 75;
      for (int side = 0; side < 2; side++)
        {
          double wz = side ? z + 155 : z;
          add_object (s, "car tyre", DL_MATERIAL_POLYETHYLENE, SHAPE_RING, cx - 32, cx + 32, y, y + 64,
                      wz, wz + 20, 0.22, group)->r_in = 20;
          add_object (s, "wheel rim", DL_MATERIAL_ALUMINIUM, SHAPE_RING, cx - 20, cx + 20, y + 12, y + 52,
                      wz + 2, wz + 18, 0.25, group)->r_in = 0;
          add_object (s, "brake disc", DL_MATERIAL_STEEL, SHAPE_RING, cx - 14, cx + 14, y + 18, y + 46,
                      wz + 15, wz + 17.5, 1.0, group)->r_in = 4;
        }
    }
  count_package (s, group);
}

/* ---- scenes ---------------------------------------------------------------- */

typedef void (*SceneBuilder) (Scene *s);

static void
scene_empty (Scene *s)
{
  build_container (s, TRUE);
  s->full = FALSE;
}

static void
scene_empty_20ft (Scene *s)
{
  build_container (s, FALSE);
  s->full = FALSE;
}

static void
scene_mixed (Scene *s)
{
  int furniture = add_group (s, "Wooden furniture, flat-packed", "940360", "PK", TRUE);
  int drinks = add_group (s, "Mineral water in plastic bottles", "220110", "PK", TRUE);
  int oil = add_group (s, "Lubricating oil in steel drums", "271019", "DR", TRUE);
  int rice = add_group (s, "Rice, milled, in 50 kg sacks", "100630", "BG", TRUE);
  double x;

  build_container (s, TRUE);
  x = s->inner_x0;
  add_palletised (s, x, 244, DL_MATERIAL_WOOD, vary (s, 0.35, 0.15), 160, furniture);
  x += 250;
  add_palletised (s, x, 366, DL_MATERIAL_WATER, vary (s, 0.55, 0.1), 120, drinks);
  x += 372;
  add_drums (s, x, 8 + rng_int (&s->rng, 0, 4), DL_MATERIAL_WATER, oil);
  x += 190;
  add_sacks (s, x, s->inner_x1 - x, DL_MATERIAL_WATER, rice);
}

static void
scene_tyres (Scene *s)
{
  int tyres = add_group (s, "New pneumatic tyres of rubber, for motor cars", "401110", "PK", TRUE);
  int hidden = add_group (s, "Concealed packages of cocaine-like powder", "293999", "PA", FALSE);

  build_container (s, TRUE);
  add_tyres (s, s->inner_x0, s->inner_x1 - s->inner_x0, tyres, hidden, 5 + rng_int (&s->rng, 0, 3));
}

static void
scene_false_wall (Scene *s)
{
  int hidden = add_group (s, "Cartons behind a false wall", "240220", "CT", FALSE);
  int wall = add_group (s, "False wall of steel sheet", "730890", "NE", FALSE);
  int goods = add_group (s, "Household plastic goods", "392490", "PK", TRUE);
  double wall_x;

  build_container (s, TRUE);
  /* varied: the wall 60–220 cm from the front, cartons stacked 80–200 cm
   * high, of varied fill, the wall 2–5 mm thick */
  wall_x = s->inner_x0 + (s->varied ? rng_uniform (&s->rng, 60, 220) : 100 + rng_uniform (&s->rng, 0, 40));
  {
    double height = s->varied ? rng_uniform (&s->rng, 80, 200) : 200, fill = vary (s, 0.55, 0.3);
    double thickness = s->varied ? rng_uniform (&s->rng, 0.2, 0.5) : 0.3;

    for (double z = s->inner_z0; z + 40 <= s->inner_z1; z += 40)
      for (double y = s->floor_y; y + 40 <= s->floor_y + height; y += 40)
        add_concealed (s, "hidden carton", DL_MATERIAL_WOOD, SHAPE_BOX, s->inner_x0 + 5, wall_x - 5,
                       y, y + 39, z, z + 39, vary (s, fill, 0.05), hidden);
    add_concealed (s, "false wall", DL_MATERIAL_STEEL, SHAPE_BOX, wall_x, wall_x + thickness, s->floor_y,
                   s->floor_y + s->inner_height, s->inner_z0, s->inner_z1, 1.0, wall);
  }
  add_palletised (s, wall_x + 10, s->inner_x1 - wall_x - 20, DL_MATERIAL_POLYETHYLENE, 0.2, 160, goods);
}

static void
scene_organic_in_metal (Scene *s)
{
  int machines = add_group (s, "Industrial machinery, in crates", "847989", "CS", TRUE);
  int hidden = add_group (s, "Organic bricks hidden among machinery", "293999", "PA", FALSE);

  build_container (s, TRUE);
  if (s->varied)
    {
      g_autoptr(GArray) crates = add_machines_varied (s, machines);

      hide_in_crate (s, &g_array_index (crates, Crate, rng_int (&s->rng, 0, crates->len - 1)), hidden);
      return;
    }
  for (double x = s->inner_x0; x + 150 <= s->inner_x1; x += 160)
    {
      add_machine (s, x, s->inner_z0 + 5, machines);
      add_machine (s, x, s->inner_z1 - 115, machines);
    }
  /* 1 kg bricks (30 × 20 × 8 cm), stacked inside one crate's empty top */
  {
    double bx = s->inner_x0 + 160 * rng_int (&s->rng, 1, 4) + 20;
    for (int layer = 0; layer < 3; layer++)
      for (int k = 0; k < 4; k++)
        add_concealed (s, "organic brick", DL_MATERIAL_COCAINE, SHAPE_BOX,
                       bx + k * 30, bx + k * 30 + 29, s->floor_y + 104 + layer * 9,
                       s->floor_y + 112 + layer * 9, s->inner_z0 + 25, s->inner_z0 + 85, 0.85, hidden);
  }
}

static void
scene_metal_in_organic (Scene *s)
{
  int rice = add_group (s, "Rice, milled, in 50 kg sacks", "100630", "BG", TRUE);
  int hidden = add_group (s, "Steel parts hidden among sacks", "930599", "PA", FALSE);

  guint n;

  build_container (s, FALSE);
  add_sacks (s, s->inner_x0, s->inner_x1 - s->inner_x0, DL_MATERIAL_WATER, rice);
  /* varied: 2–10 parts of 15–35 × 8–16 cm, 20–60 cm deep, at any depth */
  n = s->varied ? rng_int (&s->rng, 2, 10) : 6;
  for (guint k = 0; k < n; k++)
    {
      double x = s->inner_x0 + rng_uniform (&s->rng, 40, s->inner_x1 - s->inner_x0 - 80);
      double y = s->floor_y + rng_uniform (&s->rng, 20, 120);
      double w = s->varied ? rng_uniform (&s->rng, 15, 35) : 25, h = s->varied ? rng_uniform (&s->rng, 8, 16) : 12;
      double depth = s->varied ? rng_uniform (&s->rng, 20, 60) : 40;
      double z = s->varied ? s->inner_z0 + rng_uniform (&s->rng, 5, s->inner_z1 - s->inner_z0 - depth - 5)
                           : s->inner_z0 + 60;
      add_concealed (s, "steel part", DL_MATERIAL_STEEL, SHAPE_BOX, x, x + w, y, y + h,
                     z, z + depth, vary (s, 0.6, 0.1), hidden);
    }
}

static void
scene_shielded (Scene *s)
{
  int goods = add_group (s, "Ceramic tiles", "690721", "PK", TRUE);
  int hidden = add_group (s, "Lead-shielded block", "780600", "PA", FALSE);
  double bx;

  build_container (s, FALSE);
  add_palletised (s, s->inner_x0, s->inner_x1 - s->inner_x0, DL_MATERIAL_GLASS, vary (s, 0.25, 0.1), 80, goods);
  if (s->varied)
    {
      /* a cube of 36–60 cm, walls 5–10 cm, anywhere along the load */
      double size = rng_uniform (&s->rng, 36, 60), wall = rng_uniform (&s->rng, 5, 10);
      double inner = size - 2 * wall, y = s->floor_y + rng_uniform (&s->rng, 20, 100);
      double z = s->inner_z0 + rng_uniform (&s->rng, 10, s->inner_z1 - s->inner_z0 - size - 10);

      bx = s->inner_x0 + rng_uniform (&s->rng, 20, s->inner_x1 - s->inner_x0 - size - 20);
      add_concealed (s, "lead shield", DL_MATERIAL_LEAD, SHAPE_BOX, bx, bx + size, y, y + size, z, z + size,
                     1 - pow (inner / size, 3), hidden);
      add_concealed (s, "shielded contents", DL_MATERIAL_STEEL, SHAPE_BOX, bx + wall, bx + size - wall,
                     y + wall, y + size - wall, z + wall, z + size - wall, vary (s, 0.3, 0.3), hidden);
      return;
    }
  bx = s->inner_x0 + 122 * rng_int (&s->rng, 1, 3) + 30;
  /* 8 cm walls: 49 % of the cube's volume */
  add_concealed (s, "lead shield", DL_MATERIAL_LEAD, SHAPE_BOX, bx, bx + 50, s->floor_y + 95, s->floor_y + 145,
                 s->inner_z0 + 90, s->inner_z0 + 140, 0.49, hidden);
  add_concealed (s, "shielded contents", DL_MATERIAL_STEEL, SHAPE_BOX, bx + 8, bx + 42, s->floor_y + 103,
                 s->floor_y + 137, s->inner_z0 + 98, s->inner_z0 + 132, 0.3, hidden);
}

static void
scene_vehicles (Scene *s)
{
  int cars = add_group (s, "Used passenger cars", "870323", "NE", TRUE);

  build_container (s, TRUE);
  for (double x = s->inner_x0 + 20 + jitter (s, 10); x + 430 <= s->inner_x1;
       x += s->varied ? 430 + rng_uniform (&s->rng, 8, 40) : 450)
    add_car (s, x, cars);
}

static void
scene_truck (Scene *s)
{
  int goods = add_group (s, "Paper and paperboard, in cartons", "480256", "PK", TRUE);
  int drinks = add_group (s, "Wine in glass bottles", "220421", "PK", TRUE);

  double split;

  build_trailer (s);
  split = s->varied ? rng_uniform (&s->rng, 370, 850) : 610;
  add_palletised (s, s->inner_x0, split, DL_MATERIAL_WOOD, vary (s, 0.5, 0.1), 160, goods);
  add_palletised (s, s->inner_x0 + split + 10, s->inner_x1 - s->inner_x0 - split - 20, DL_MATERIAL_GLASS,
                  vary (s, 0.08, 0.2), 120, drinks);
}

/* Paper cartons on pallets; some pallets carry dense packages in the
 * hollows between their bearer blocks. */
static void
scene_pallet_concealment (Scene *s)
{
  int paper = add_group (s, "Printing paper, in cartons", "480256", "PK", TRUE);
  int hidden = add_group (s, "Packages hidden in pallets", "293999", "PA", FALSE);
  guint every = rng_int (&s->rng, 3, 5), k = 0;

  build_container (s, TRUE);
  add_palletised (s, s->inner_x0, s->inner_x1 - s->inner_x0, DL_MATERIAL_WOOD, vary (s, 0.45, 0.1), 120, paper);
  if (s->varied)
    {
      hide_in_pallets (s, hidden);
      return;
    }

  for (guint i = 0; i < s->objects->len; i++)
    {
      Object p = g_array_index (s->objects, Object, i);   /* a copy: adding may move the array */

      if (g_strcmp0 (p.kind, "pallet") != 0 || ++k % every != 0)
        continue;
      for (int slot = 0; slot < 2; slot++)
        {
          double x = p.x0 + 17 + slot * 50;
          add_concealed (s, "package in pallet", DL_MATERIAL_COCAINE, SHAPE_BOX, x, x + 36,
                         p.y0 + 2.5, p.y0 + 10, p.z0 + 12, p.z1 - 12, 0.9, hidden);
        }
    }
}

static void
scene_undeclared (Scene *s)
{
  int drinks = add_group (s, "Soft drinks in cans", "220210", "PK", TRUE);
  int hidden = add_group (s, "Cigarettes, undeclared", "240220", "CT", FALSE);

  double split;

  build_container (s, TRUE);
  split = s->varied ? rng_uniform (&s->rng, 480, 900) : 732;
  add_palletised (s, s->inner_x0, split, DL_MATERIAL_WATER, vary (s, 0.5, 0.1), 120, drinks);
  add_palletised (s, s->inner_x0 + split + 8, s->inner_x1 - s->inner_x0 - split - 8, DL_MATERIAL_WOOD,
                  vary (s, 0.35, 0.15), 160, hidden);
  for (guint k = 0; k < s->objects->len; k++)
    {
      Object *o = &g_array_index (s->objects, Object, k);
      if (o->group == hidden)
        o->concealed = TRUE;
    }
}

/* A 20 ft container declared empty that holds cartons of an organic
 * (cigarettes) stacked against its front wall. */
static void
scene_empty_concealment (Scene *s)
{
  int hidden = add_group (s, "Cigarettes, in a container declared empty", "240220", "CT", FALSE);
  double depth;

  double height = 160, width;

  build_container (s, FALSE);
  s->full = FALSE;
  depth = 80 + 40 * rng_int (&s->rng, 0, 1);
  width = s->inner_z1 - s->inner_z0;
  if (s->varied)
    {
      /* 1–4 cartons deep, 2–5 high, across part or all of the width */
      depth = 40 * rng_int (&s->rng, 1, 4);
      height = 40 * rng_int (&s->rng, 2, 5);
      width = 40 * rng_int (&s->rng, 2, 5);
    }
  for (double z = s->inner_z0; z + 40 <= s->inner_z0 + width + 0.1 && z + 40 <= s->inner_z1; z += 40)
    for (double y = s->floor_y; y + 40 <= s->floor_y + height; y += 40)
      for (double x = s->inner_x0 + 2; x + 40 <= s->inner_x0 + 2 + depth; x += 40)
        add_concealed (s, "hidden carton", DL_MATERIAL_WOOD, SHAPE_BOX, x, x + 39, y, y + 39,
                       z, z + 39, vary (s, 0.55, 0.2), hidden);
}

/* Cartons declared as ceramic tiles (inorganic) that hold an organic
 * load of the declared weight. */
static void
scene_misdeclared (Scene *s)
{
  int goods = add_group (s, "Ceramic floor tiles", "690721", "PK", TRUE);

  build_container (s, TRUE);
  add_palletised (s, s->inner_x0, s->inner_x1 - s->inner_x0 - 120 * rng_uniform (&s->rng, 0, 2),
                  DL_MATERIAL_WOOD, 0.5, 120, goods);
  /* what the cartons hold is not what is declared: concealed in the
   * truth, so an evaluation counts a finding on it as found, not as a
   * false alarm on an honest load */
  for (guint k = 0; k < s->objects->len; k++)
    {
      Object *o = &g_array_index (s->objects, Object, k);
      if (g_strcmp0 (o->kind, "carton contents") == 0)
        o->concealed = TRUE;
    }
}

/* One block of the test object, @z0 … @z0 + @thickness_mm along the
 * beam; @box in mm from the object's top left corner. */
static void
add_test_block (Scene *s, const DlTestObject *t, guint material, const double *box,
                double z0, double thickness_mm, int group)
{
  DlMaterial m = dl_material_from_name (dl_test_object_material (t, material)->name);
  double top = s->world_y - MARGIN_CM;

  g_assert (m < DL_N_MATERIALS);
  add_object (s, "test block", m, SHAPE_BOX, MARGIN_CM + box[0] / 10, MARGIN_CM + box[2] / 10,
              top - box[3] / 10, top - box[1] / 10, z0, z0 + thickness_mm / 10, 1.0, group);
  count_package (s, group);
}

/* The test object (dl_synth_test_object ()) standing in air, no
 * conveyance: each block a box, each feature a box behind its block. */
static void
scene_test_object (Scene *s)
{
  DlTestObject *t = s->test_object = dl_synth_test_object ();
  int group = add_group (s, "Step-wedge test object", "9031", "NE", TRUE);
  double e[4];

  dl_test_object_extent (t, e);
  g_assert (e[0] == 0 && e[1] == 0);
  s->world_x = e[2] / 10 + 2 * MARGIN_CM;
  s->world_y = e[3] / 10 + 2 * MARGIN_CM;
  s->world_z = 300;
  for (guint i = 0; i < t->series->len; i++)
    {
      const DlTestSeries *ts = g_ptr_array_index (t->series, i);

      for (guint b = 0; b < ts->n_blocks; b++)
        {
          double box[4], c[2], h = ts->feature_size_mm / 2;

          dl_test_series_block (ts, b, box);
          add_test_block (s, t, ts->material, box, 0, ts->thickness_mm[b], group);
          if (ts->kind == DL_TEST_SERIES_WEDGE)
            continue;
          c[0] = (box[0] + box[2]) / 2;
          c[1] = (box[1] + box[3]) / 2;
          add_test_block (s, t, ts->feature_material, (double[4]) { c[0] - h, c[1] - h, c[0] + h, c[1] + h },
                          ts->thickness_mm[b] / 10, ts->feature_mm[b], group);
        }
    }
}

static const DlSynthScene scenes[] = {
  { "empty", N_("A 40 ft container declared empty, and empty") },
  { "empty-20ft", N_("A 20 ft container declared empty, and empty") },
  { "mixed", N_("Honest mixed cargo: furniture, bottled water, oil drums, rice sacks") },
  { "tyres-concealment", N_("Tyres with dense packages hidden inside some of them") },
  { "false-wall", N_("A false wall at the front end with undeclared cartons behind it") },
  { "organic-in-metal", N_("Machinery with organic bricks hidden in a crate") },
  { "metal-in-organic", N_("Rice sacks with steel parts hidden among them") },
  { "shielded-block", N_("Ceramic tiles with a lead-shielded block among them") },
  { "vehicles", N_("Used cars in a 40 ft container, honestly declared") },
  { "truck", N_("A curtain-sider trailer with paper and wine, honestly declared") },
  { "undeclared", N_("Soft drinks declared; a second lot of cartons is not") },
  { "pallet-concealment", N_("Paper on pallets, with dense packages hidden inside some pallets") },
  { "empty-concealment", N_("A 20 ft container declared empty, with cartons against its front wall") },
  { "misdeclared", N_("Cartons declared as ceramic tiles that hold an organic load") },
  { NULL, NULL },
};

/* Not a cargo scene, so not among dl_synth_get_scenes (): the test object
 * to fit a scanner profile from; its builder is the last. */
static const DlSynthScene test_scenes[] = {
  { "test-object", N_("A step-wedge test object in air, to fit a scanner profile from (OBJECT.json beside it)") },
  { NULL, NULL },
};

static const SceneBuilder builders[] = {
  scene_empty, scene_empty_20ft, scene_mixed, scene_tyres, scene_false_wall,
  scene_organic_in_metal, scene_metal_in_organic, scene_shielded, scene_vehicles,
  scene_truck, scene_undeclared, scene_pallet_concealment,
  scene_empty_concealment, scene_misdeclared, scene_test_object,
};

G_STATIC_ASSERT (G_N_ELEMENTS (builders) == G_N_ELEMENTS (scenes) - 1 + G_N_ELEMENTS (test_scenes) - 1);

const DlSynthScene *
dl_synth_get_scenes (void)
{
  return scenes;
}

const DlSynthScene *
dl_synth_get_test_scenes (void)
{
  return test_scenes;
}

static const char *
scene_name (guint index)
{
  return index < G_N_ELEMENTS (scenes) - 1 ? scenes[index].name : test_scenes[index - (G_N_ELEMENTS (scenes) - 1)].name;
}

/* ---- manifest and ground truth --------------------------------------------- */

static char *
container_number (Rng *rng)
{
  char number[12];
  int digit;

  g_snprintf (number, sizeof number, "DLTU%06u", rng_int (rng, 0, 999999));
  digit = dl_iso6346_check_digit (number);
  number[10] = '0' + digit;
  number[11] = '\0';
  return g_strdup (number);
}

static DlManifest *
build_manifest (Scene *s, guint64 seed, const char **container_out)
{
  static const char *ports[] = { "CNSHA", "SGSIN", "BRSSZ", "TRMER", "MAPTM", "COCTG" };
  static const char *road_places[] = { "DEHAM", "PLWAW", "FRLEH", "ITMIL", "ESBCN", "CZPRG" };
  G_STATIC_ASSERT (G_N_ELEMENTS (ports) == G_N_ELEMENTS (road_places));
  static const char *consignors[] = { "Eastern Trading Co.", "Blue Harbour Export Ltd.", "Sol y Mar S.A.", "Anatolia Mamul A.S." };
  static const char *consignees[] = { "Noordzee Import B.V.", "Delta Logistics N.V.", "Van der Berg Handel B.V." };
  DlManifest *m = dl_manifest_new ();
  g_autofree char *number = NULL;

  m->message_id = g_strdup_printf ("DL%08" G_GUINT64_FORMAT, seed % 100000000);
  m->date = g_strdup_printf ("2026-11-%02u", (guint) (1 + seed % 28));
  m->transport_mode = g_strdup (s->container ? "sea" : "road");
  m->conveyance = g_strdup (s->container ? "MV NOORDERLICHT" : "NL-12-BDL");
  m->voyage = g_strdup_printf (s->container ? "%03uW" : "T%03u", rng_int (&s->rng, 1, 999));
  m->port_of_loading = g_strdup ((s->container ? ports : road_places)[rng_int (&s->rng, 0, G_N_ELEMENTS (ports) - 1)]);
  m->port_of_discharge = g_strdup ("NLRTM");
  dl_manifest_current_consignment (m)->consignor =
    g_strdup (consignors[rng_int (&s->rng, 0, G_N_ELEMENTS (consignors) - 1)]);
  dl_manifest_current_consignment (m)->consignee =
    g_strdup (consignees[rng_int (&s->rng, 0, G_N_ELEMENTS (consignees) - 1)]);
  m->carrier = g_strdup (s->container ? "DOORLICHT LINES" : "DL ROAD");

  if (s->container)
    {
      DlManifestContainer *c;

      number = container_number (&s->rng);
      c = dl_manifest_add_container (m, number, s->forty_foot ? "42G1" : "22G1", s->full);
      g_strfreev (c->seals);
      c->seals = g_new0 (char *, 2);
      c->seals[0] = g_strdup_printf ("SL%06u", rng_int (&s->rng, 0, 999999));
      *container_out = c->number;
    }

  for (guint i = 0; i < s->groups->len; i++)
    {
      const Group *g = g_ptr_array_index (s->groups, i);
      if (g->declared)
        dl_manifest_add_goods (m, *container_out, g->hs_code, g->description, g->packages,
                               g->package_kind, round (g->kg * 10) / 10);
    }
  return m;
}

static void
object_bbox_px (const Scene *s, const Object *o, double pitch_cm, int *bx)
{
  bx[0] = (int) floor (o->x0 / pitch_cm);
  bx[2] = (int) ceil (o->x1 / pitch_cm);
  bx[1] = (int) floor ((s->world_y - o->y1) / pitch_cm);
  bx[3] = (int) ceil ((s->world_y - o->y0) / pitch_cm);
}

/* "varied": true and "imaging": {…}, for a varied scan only (a plain
 * scan's truth stays as it was). */
static void
add_truth_imaging (JsonBuilder *b, const Imaging *im)
{
  json_builder_set_member_name (b, "varied");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "imaging");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "blur_sigma_px");
  json_builder_add_double_value (b, round (im->blur_sigma * 1000) / 1000);
  json_builder_set_member_name (b, "hardening_high");
  json_builder_add_double_value (b, round (im->hardening[0] * 1e5) / 1e5);
  json_builder_set_member_name (b, "hardening_low");
  json_builder_add_double_value (b, round (im->hardening[1] * 1e5) / 1e5);
  json_builder_set_member_name (b, "row_gain_sd");
  json_builder_add_double_value (b, round (im->row_gain_sd * 1e5) / 1e5);
  json_builder_end_object (b);
}

static char *
build_truth (const Scene *s, guint64 seed, double cargo_kg, double tare_kg, const Imaging *im)
{
  /* the built-in chain's truth stays as it was */
  gboolean profile = g_strcmp0 (im->chain->profile, dl_synth_imaging_default ()->profile) != 0;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "scene");
  json_builder_add_string_value (b, s->name);
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, (gint64) seed);
  json_builder_set_member_name (b, "cargo_kg");
  json_builder_add_double_value (b, round (cargo_kg * 10) / 10);
  json_builder_set_member_name (b, "tare_kg");
  json_builder_add_double_value (b, round (tare_kg * 10) / 10);
  if (profile)
    {
      json_builder_set_member_name (b, "profile");
      json_builder_add_string_value (b, im->chain->profile);
    }
  if (im->varied)
    add_truth_imaging (b, im);
  json_builder_set_member_name (b, "objects");
  json_builder_begin_array (b);
  for (guint k = 0; k < s->objects->len; k++)
    {
      const Object *o = &g_array_index (s->objects, Object, k);
      int bx[4];

      if (o->group < 0)
        continue;
      object_bbox_px (s, o, im->chain->pitch_mm / 10.0, bx);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, o->id);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, o->kind);
      json_builder_set_member_name (b, "material");
      json_builder_add_string_value (b, materials[o->material].name);
      json_builder_set_member_name (b, "class");
      json_builder_add_int_value (b, materials[o->material].klass);
      json_builder_set_member_name (b, "bbox_px");
      json_builder_begin_array (b);
      for (int i = 0; i < 4; i++)
        json_builder_add_int_value (b, bx[i]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "depth_cm");
      json_builder_add_double_value (b, o->z1 - o->z0);
      json_builder_set_member_name (b, "mass_kg");
      json_builder_add_double_value (b, round (object_mass_kg (o) * 1000) / 1000);
      json_builder_set_member_name (b, "declared");
      json_builder_add_boolean_value (b, ((Group *) g_ptr_array_index (s->groups, o->group))->declared);
      json_builder_set_member_name (b, "concealed");
      json_builder_add_boolean_value (b, o->concealed);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  return json_to_string (root, TRUE);
}

/* ---- generation -------------------------------------------------------------- */

/* The ImageDescription, JSON that readers parse: its numbers have a '.'
 * whatever LC_NUMERIC says (printf's %f would write “1,5” in nl_NL). */
static char *
describe (const char *scene, guint64 seed, const DlSynthImaging *chain)
{
  char i0[G_ASCII_DTOSTR_BUF_SIZE], high[G_ASCII_DTOSTR_BUF_SIZE];
  char low[G_ASCII_DTOSTR_BUF_SIZE], pitch[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (i0, sizeof i0, "%.0f", chain->i0);
  g_ascii_formatd (high, sizeof high, "%.1f", chain->energy_high_mev);
  g_ascii_formatd (low, sizeof low, "%.1f", chain->energy_low_mev);
  g_ascii_formatd (pitch, sizeof pitch, "%.0f", chain->pitch_mm);
  return g_strdup_printf ("{\"doorlicht\": {\"generator\": \"doorlicht-synth\", \"scene\": \"%s\", "
                          "\"seed\": %" G_GUINT64_FORMAT ", \"i0\": %s, "
                          "\"energies_mev\": {\"high\": %s, \"low\": %s}, \"pitch_mm\": %s, "
                          "\"profile\": \"%s\", "
                          "\"channels\": [{\"name\": \"high\", \"i0\": %s}, {\"name\": \"low\", \"i0\": %s}]}}",
                          scene, seed, i0, high, low, pitch, chain->profile, i0, i0);
}

static DlSynthOutput *
image_scene (Scene *s, guint64 seed, gboolean top_view, const Imaging *im)
{
  DlSynthOutput *out = g_new0 (DlSynthOutput, 1);
  g_autofree char *description = describe (s->name, seed, im->chain);
  Projection side = { 0 }, top = { 0 };

  out->scene = g_strdup (s->name);
  out->seed = seed;
  out->scan = dl_scan_new ();
  out->pitch_mm = im->chain->pitch_mm;
  dl_scan_set_pixel_pitch (out->scan, out->pitch_mm, out->pitch_mm);
  dl_scan_set_metadata (out->scan, "description", description);
  dl_scan_set_metadata (out->scan, "profile", im->chain->profile);

  project (&side, s, FALSE, im->chain);
  add_channel (out->scan, 0, "high", &side, TRUE, seed * 4 + 1, im);
  add_channel (out->scan, 0, "low", &side, FALSE, seed * 4 + 2, im);
  out->width = side.width;
  out->height = side.height;
  out->classes = g_steal_pointer (&side.classes);
  out->ids = g_steal_pointer (&side.ids);
  out->ray_class = g_new0 (guint8, (gsize) side.width * side.height);
  out->ray_share = g_new0 (float, (gsize) side.width * side.height);
  out->ray_path_cm = g_new0 (float, (gsize) side.width * side.height);
  for (gsize k = 0; k < (gsize) side.width * side.height; k++)
    {
      const float *a = side.class_att + 5 * k;
      guint best = 1;

      for (guint c = 2; c < 5; c++)
        if (a[c] > a[best])
          best = c;
      if (side.att_high[k] > 0)
        {
          out->ray_class[k] = best;
          out->ray_share[k] = a[best] / side.att_high[k];
          out->ray_path_cm[k] = side.class_path[5 * k + best];
        }
    }
  projection_free (&side);

  if (top_view)
    {
      project (&top, s, TRUE, im->chain);
      add_channel (out->scan, 1, "high", &top, TRUE, seed * 4 + 3, im);
      add_channel (out->scan, 1, "low", &top, FALSE, seed * 4 + 4, im);
      projection_free (&top);
    }
  return out;
}

static guint
find_scene (const char *scene, GError **error)
{
  guint index;

  for (index = 0; index < G_N_ELEMENTS (builders); index++)
    if (g_strcmp0 (scene_name (index), scene) == 0)
      return index;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("There is no scene “%s” (see --list)"), scene);
  return G_MAXUINT;
}

/* Each goods line's mass, and the cargo's and the conveyance's, once the
 * scene is complete (shapes get their last parameters after add_object). */
static void
weigh (Scene *s, double *cargo, double *tare)
{
  *cargo = *tare = 0;
  for (guint k = 0; k < s->objects->len; k++)
    {
      const Object *o = &g_array_index (s->objects, Object, k);
      if (o->group >= 0)
        {
          ((Group *) g_ptr_array_index (s->groups, o->group))->kg += object_mass_kg (o);
          *cargo += object_mass_kg (o);
        }
      else
        *tare += object_mass_kg (o);
    }
}

/**
 * dl_synth_generate_with_options:
 *
 * Builds scene @scene from @seed and images it, as @options say (%NULL:
 * plain, side view only).  The same scene, seed and options give the
 * same output, byte for byte.
 */
DlSynthOutput *
dl_synth_generate_with_options (const char           *scene,
                                guint64               seed,
                                const DlSynthOptions *options,
                                GError              **error)
{
  static const DlSynthOptions plain = { FALSE, FALSE, NULL };
  Scene s = { 0 };
  Imaging im;
  DlSynthOutput *out;
  const char *container = NULL;
  double cargo, tare;
  guint index;

  g_return_val_if_fail (scene != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    options = &plain;
  if ((index = find_scene (scene, error)) == G_MAXUINT)
    return NULL;

  s.name = scene_name (index);
  s.rng.state = seed ^ 0x6a09e667f3bcc909ull;
  s.varied = options->varied;
  s.objects = g_array_new (FALSE, TRUE, sizeof (Object));
  s.groups = g_ptr_array_new_with_free_func (group_free);
  s.pallets = g_array_new (FALSE, TRUE, sizeof (Pallet));
  s.next_id = 2;   /* 1 is the conveyance itself */
  s.full = TRUE;
  builders[index] (&s);
  weigh (&s, &cargo, &tare);

  if (options->varied)
    imaging_varied (&im, seed, options->imaging ? options->imaging : dl_synth_imaging_default ());
  else
    imaging_plain (&im, options->imaging ? options->imaging : dl_synth_imaging_default ());
  out = image_scene (&s, seed, options->top_view, &im);
  out->cargo_kg = cargo;
  out->manifest = build_manifest (&s, seed, &container);
  out->truth_json = build_truth (&s, seed, cargo, tare, &im);
  if (s.test_object)
    out->object_json = dl_test_object_to_json (s.test_object);
  g_clear_pointer (&s.test_object, dl_test_object_free);

  g_array_unref (s.objects);
  g_ptr_array_unref (s.groups);
  g_array_unref (s.pallets);
  return out;
}

/**
 * dl_synth_generate:
 *
 * Builds scene @scene from @seed and images it, plain (not varied).  The
 * same scene and seed give the same output, byte for byte.
 */
DlSynthOutput *
dl_synth_generate (const char  *scene,
                   guint64      seed,
                   gboolean     top_view,
                   GError     **error)
{
  DlSynthOptions options = { top_view, FALSE, NULL };

  return dl_synth_generate_with_options (scene, seed, &options, error);
}

DlSynthOutput *
dl_synth_slab (DlMaterial material,
               double     thickness_cm,
               guint64    seed)
{
  return dl_synth_slab_with_imaging (material, thickness_cm, seed, NULL);
}

DlSynthOutput *
dl_synth_slab_with_imaging (DlMaterial            material,
                            double                thickness_cm,
                            guint64               seed,
                            const DlSynthImaging *chain)
{
  Scene s = { 0 };
  Imaging im;
  DlSynthOutput *out;
  double pitch_cm;

  s.name = "slab";
  s.objects = g_array_new (FALSE, TRUE, sizeof (Object));
  s.groups = g_ptr_array_new_with_free_func (group_free);
  s.next_id = 2;
  if (chain == NULL)
    chain = dl_synth_imaging_default ();
  pitch_cm = chain->pitch_mm / 10.0;
  s.world_x = s.world_y = s.world_z = 64 * pitch_cm;
  add_group (&s, "slab", "0000", "NE", TRUE);
  add_object (&s, "slab", material, SHAPE_BOX, 16 * pitch_cm, 48 * pitch_cm, 16 * pitch_cm, 48 * pitch_cm,
              0, thickness_cm, 1.0, 0);

  imaging_plain (&im, chain);
  out = image_scene (&s, seed, FALSE, &im);
  out->manifest = dl_manifest_new ();
  out->truth_json = g_strdup ("{}");
  g_array_unref (s.objects);
  g_ptr_array_unref (s.groups);
  return out;
}

char *
dl_synth_basename (DlSynthOutput *output)
{
  return g_strdup_printf ("%s-%" G_GUINT64_FORMAT, output->scene, output->seed);
}

static gboolean
write_text (const char *dir, const char *base, const char *ext, const char *text, GError **error)
{
  g_autofree char *name = g_strconcat (base, ext, NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_set_contents (path, text, -1, error);
}

/* Writes BASE.tif, BASE.labels.tif, BASE.manifest.json, BASE.cuscar.edi
 * and BASE.truth.json into @dir (created if needed). */
gboolean
dl_synth_write (DlSynthOutput  *output,
                const char     *dir,
                GError        **error)
{
  g_autofree char *base = dl_synth_basename (output);
  g_autofree char *scan_path = NULL;
  g_autofree char *labels_path = NULL;
  g_autofree char *json = NULL;
  g_autofree char *edi = NULL;
  g_autoptr(DlTiffWriter) labels = NULL;

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  scan_path = g_strdup_printf ("%s/%s.tif", dir, base);
  labels_path = g_strdup_printf ("%s/%s.labels.tif", dir, base);
  if (!dl_tiff_write_scan (output->scan, scan_path, error))
    return FALSE;

  labels = dl_tiff_writer_new (labels_path, error);
  if (labels == NULL
      || !dl_tiff_writer_add_page_u8 (labels, output->classes, output->width, output->height,
                                      "labels=class", "material class: 0 none, 1 organic, 2 inorganic, 3 metal, 4 heavy",
                                      output->pitch_mm, error)
      || !dl_tiff_writer_add_page_u16 (labels, output->ids, output->width, output->height,
                                       "labels=object", "object id (see truth.json), 0 none, 1 the conveyance",
                                       output->pitch_mm, error)
      || !dl_tiff_writer_close (labels, error))
    return FALSE;

  json = dl_manifest_to_json (output->manifest);
  edi = dl_manifest_to_cuscar (output->manifest);
  return write_text (dir, base, ".manifest.json", json, error)
         && write_text (dir, base, ".cuscar.edi", edi, error)
         && write_text (dir, base, ".truth.json", output->truth_json, error)
         && (output->object_json == NULL || write_text (dir, base, ".object.json", output->object_json, error));
}

void
dl_synth_output_free (DlSynthOutput *output)
{
  g_free (output->scene);
  g_clear_object (&output->scan);
  g_free (output->classes);
  g_free (output->ids);
  g_free (output->ray_class);
  g_free (output->ray_share);
  g_free (output->ray_path_cm);
  g_clear_pointer (&output->manifest, dl_manifest_unref);
  g_free (output->truth_json);
  g_free (output->object_json);
  g_free (output);
}
