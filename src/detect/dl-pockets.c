/* dl-pockets.c — pockets: a compact region of a material the declared
 * goods do not explain (organic among machinery, metal among food),
 * found region by region rather than from the whole cargo's shares.
 *
 * 1. Metal is unexplained when the declared goods' expected materials
 *    (dl-hs.h, by declared mass) give it under EXPLAINED_SHARE and no
 *    goods are metal or mixed or packed in metal; why organic and light
 *    inorganic pockets are not looked for: unexplained ().  Pixels too
 *    dense to classify count as metal.  Nothing is looked for when the
 *    goods' materials are mostly unknown.
 * 2. For an unexplained material, the cargo's areal density of it
 *    (g/cm², from the measured excess attenuation and the class's mass
 *    attenuation, dl_cargo_image_pixel_kg ()), where a pixel's whole
 *    5 × 5 neighbourhood is of that material, is averaged over
 *    SMOOTH_CM squares.  What packaging and the odd pixel of that class
 *    give is the LEVEL_QUANTILE of that density over the whole cargo;
 *    a pixel is in a pocket where the density is over FACTOR times that
 *    level and over "min_density" g/cm².
 * 3. A pocket region is a finding when it holds at least "min_kg" and is
 *    compact: at most MAX_LENGTH_SHARE of the cargo space's length and
 *    MAX_AREA_SHARE of its area (a whole layer of pallets under the
 *    goods, or a whole lot of other goods, is the material detector's
 *    business, not a pocket).
 *
 * Score: 0.5 at the threshold density, rising with the region's mean
 * density over it, held down for a region lighter than 1 kg.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-pockets"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "dl-format.h"
#include "dl-pockets.h"
#include "dl-regions.h"
#include "dl-select.h"

#define POCKETS_VERSION   "1"
#define EXPLAINED_SHARE   0.05
#define UNKNOWN_MAX_SHARE 0.5
#define SMOOTH_CM         5.0
#define SOLID_RADIUS      2       /* pixels */
#define LEVEL_QUANTILE    0.75
#define FACTOR            3.0
#define MAX_LENGTH_SHARE  0.3
#define MAX_AREA_SHARE    0.05
#define DEFAULT_DENSITY   20.0   /* g/cm²: 2.5 cm of steel */
#define DEFAULT_MIN_KG    1.0

/* The material a pixel's class counts for here: what is too dense to
 * classify counts as metal (nothing else stops the beam so). */
static DlHsMaterial
material_of (guint8 klass)
{
  switch (klass)
    {
    case DL_CLASS_ORGANIC: return DL_HS_MATERIAL_ORGANIC;
    case DL_CLASS_INORGANIC: return DL_HS_MATERIAL_INORGANIC;
    case DL_CLASS_METAL:
    case DL_CLASS_HEAVY:
    case DL_CLASS_TOO_DENSE: return DL_HS_MATERIAL_METAL;
    default: return DL_HS_MATERIAL_MIXED;
    }
}

/* Metal where no goods are metal or packed in metal.  Organic is not
 * looked for: nearly every load has pallets, crates or cartons of wood
 * and paper, and machines and vehicles have rubber and plastic parts, so
 * an organic region alone says nothing — organic among machinery is the
 * units detector's, like for like.  Nor light inorganic: a mixture of
 * organic and metal along the beam reads as light inorganic. */
static gboolean
unexplained (const DlConsistency *c,
             DlHsMaterial         m)
{
  return m == DL_HS_MATERIAL_METAL && c->expected[m] < EXPLAINED_SHARE && !c->metal_plausible;
}

/* Box means over (2r + 1)² of @v, in place. */
static void
smooth (float *v,
        guint  w,
        guint  h,
        guint  r)
{
  g_autofree float *tmp = g_new (float, MAX (w, h));

  for (guint y = 0; y < h; y++)
    {
      float *row = v + (gsize) y * w;
      for (guint x = 0; x < w; x++)
        {
          double s = 0;
          guint lo = x >= r ? x - r : 0, hi = MIN (x + r, w - 1);
          for (guint i = lo; i <= hi; i++)
            s += row[i];
          tmp[x] = s / (hi - lo + 1);
        }
      memcpy (row, tmp, w * sizeof (float));
    }
  for (guint x = 0; x < w; x++)
    {
      for (guint y = 0; y < h; y++)
        {
          double s = 0;
          guint lo = y >= r ? y - r : 0, hi = MIN (y + r, h - 1);
          for (guint j = lo; j <= hi; j++)
            s += v[(gsize) j * w + x];
          tmp[y] = s / (hi - lo + 1);
        }
      for (guint y = 0; y < h; y++)
        v[(gsize) y * w + x] = tmp[y];
    }
}

/* Whether the (2r + 1)² neighbourhood of pixel (x, y) is all of @m:
 * the detector's blur gives the edges of one material a ratio of
 * another (partial volume), and noise the odd pixel. */
static gboolean
solid (const DlCargoImage *img,
       guint               x,
       guint               y,
       guint               r,
       DlHsMaterial        m)
{
  if (x < r || y < r || x + r >= img->width || y + r >= img->height)
    return FALSE;
  for (guint j = y - r; j <= y + r; j++)
    for (guint i = x - r; i <= x + r; i++)
      if (material_of (img->classes[(gsize) j * img->width + i]) != m)
        return FALSE;
  return TRUE;
}

/* The areal density (g/cm²) of material @m where it is solid, smoothed. */
static float *
density_of (const DlCargoImage *img,
            DlHsMaterial        m)
{
  gsize n = (gsize) img->width * img->height;
  float *d = g_new0 (float, n);
  guint r = MAX (1, (guint) round (SMOOTH_CM * 10 / img->pitch_x_mm / 2));

  for (gsize k = 0; k < n; k++)
    if (material_of (img->classes[k]) == m && solid (img, k % img->width, k / img->width, SOLID_RADIUS, m))
      d[k] = dl_cargo_image_pixel_kg (img, k) * 1000.0 / img->pixel_cm2;
  smooth (d, img->width, img->height, r);
  return d;
}

static float
level_of (const float *d,
          gsize        n)
{
  g_autofree float *copy = g_memdup2 (d, n * sizeof (float));

  return n ? dl_select_float (copy, n, (gsize) (LEVEL_QUANTILE * (n - 1))) : 0;
}

typedef struct
{
  DlRegion r;
  double   kg;
  double   density;    /* mean, g/cm² */
} Pocket;

static DlFinding *
finding_of (const DlCargoImage  *img,
            const DlConsistency *c,
            const Pocket        *p,
            DlHsMaterial         m,
            double               threshold)
{
  double score = CLAMP (0.5 + 0.25 * (p->density / threshold - 1), 0, 1) * MIN (1.0, sqrt (p->kg));
  g_autofree char *kg = dl_format_quantity (p->kg, 1, "kg");
  DlHsMaterial declared = DL_HS_MATERIAL_ORGANIC;
  g_autofree char *text = NULL;
  DlFinding *f;

  for (guint i = DL_HS_MATERIAL_ORGANIC; i < DL_HS_N_MATERIALS; i++)
    if (c->expected[i] > c->expected[declared])
      declared = i;
  /* only metal is looked for (unexplained ()) */
  g_assert (m == DL_HS_MATERIAL_METAL);
  /* TRANSLATORS: "2.4 kg of metal in a compact region, where the declared goods are organic" */
  text = g_strdup_printf (_("%s of metal in a compact region, where the declared goods are %s"),
                          kg, dl_hs_material_display_name (declared));
  f = dl_finding_new ("pocket", img->view, score, text);
  dl_finding_set_rectangle (f, img->x0 + p->r.box[0], img->y0 + p->r.box[1],
                            img->x0 + p->r.box[2], img->y0 + p->r.box[3]);
  json_object_set_string_member (f->figures, "material", dl_hs_material_to_string (m));
  json_object_set_double_member (f->figures, "kg", p->kg);
  json_object_set_double_member (f->figures, "density_g_cm2", p->density);
  json_object_set_double_member (f->figures, "threshold_g_cm2", threshold);
  json_object_set_double_member (f->figures, "area_cm2", p->r.area * img->pixel_cm2);
  return f;
}

/* The pockets of material @m as findings. */
static void
find_pockets (const DlCargoImage  *img,
              const DlConsistency *c,
              DlHsMaterial         m,
              JsonObject          *parameters,
              GPtrArray           *findings)
{
  double min_density = json_object_get_double_member_with_default (parameters, "min_density", DEFAULT_DENSITY);
  double min_kg = json_object_get_double_member_with_default (parameters, "min_kg", DEFAULT_MIN_KG);
  double min_score = json_object_get_double_member_with_default (parameters, "min_score", 0);
  gsize n = (gsize) img->width * img->height;
  g_autofree float *d = density_of (img, m);
  g_autofree guint8 *mask = g_new (guint8, n);
  g_autofree guint32 *labels = g_new (guint32, n);
  g_autoptr(GArray) regions = NULL;
  g_autofree Pocket *pockets = NULL;
  double threshold = MAX (FACTOR * level_of (d, n), min_density);

  for (gsize k = 0; k < n; k++)
    mask[k] = d[k] > threshold;
  regions = dl_regions_label (mask, img->width, img->height, labels);
  pockets = g_new0 (Pocket, regions->len);
  for (gsize k = 0; k < n; k++)
    if (labels[k])
      {
        Pocket *p = &pockets[labels[k] - 1];
        if (material_of (img->classes[k]) == m)
          p->kg += dl_cargo_image_pixel_kg (img, k);
        p->density += d[k];
      }
  for (guint i = 0; i < regions->len; i++)
    {
      Pocket *p = &pockets[i];
      DlFinding *f;

      p->r = g_array_index (regions, DlRegion, i);
      p->density /= p->r.area;
      if (p->kg < min_kg || p->r.box[2] - p->r.box[0] > MAX_LENGTH_SHARE * img->width
          || p->r.area > MAX_AREA_SHARE * n)
        continue;
      f = finding_of (img, c, p, m, threshold);
      if (f->score >= min_score)
        g_ptr_array_add (findings, f);
      else
        dl_finding_free (f);
    }
}

static gboolean
run_pockets (DlDetector    *detector,
             DlDetectInput *input,
             JsonObject    *parameters,
             GPtrArray     *findings,
             GPtrArray     *notes,
             GCancellable  *cancellable,
             GError       **error)
{
  const DlConsistency *c = dl_detect_input_get_consistency (input, error);
  guint looked = 0;

  if (c == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (c->image == NULL || c->expected[DL_HS_MATERIAL_MIXED] > UNKNOWN_MAX_SHARE)
    {
      g_ptr_array_add (notes, g_strdup (_("The declared goods’ materials are mostly unknown: no pockets were looked for")));
      return TRUE;
    }
  for (guint m = DL_HS_MATERIAL_ORGANIC; m < DL_HS_N_MATERIALS; m++)
    if (unexplained (c, m))
      {
        find_pockets (c->image, c, m, parameters, findings);
        looked++;
        if (g_cancellable_set_error_if_cancelled (cancellable, error))
          return FALSE;
      }
  if (looked == 0)
    g_ptr_array_add (notes, g_strdup (_("The declared goods explain every material: no pockets were looked for")));
  return TRUE;
}

static const DlDetectorVTable pockets_vtable = { run_pockets };

DlDetector *
dl_pockets_detector_new (void)
{
  g_autoptr(JsonObject) defaults = json_object_new ();

  json_object_set_double_member (defaults, "min_score", 0.0);
  json_object_set_double_member (defaults, "min_density", DEFAULT_DENSITY);
  json_object_set_double_member (defaults, "min_kg", DEFAULT_MIN_KG);
  return dl_detector_new ("pockets", POCKETS_VERSION,
                          _("A compact region of a material the declared goods do not explain"),
                          defaults, &pockets_vtable, NULL, NULL);
}
