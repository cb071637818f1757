/* dl-synth.h — synthetic cargo X-ray scans with ground truth.
 *
 * No public container scans exist, so the project makes its own: 3-D
 * scenes of containers and trailers with their cargo, imaged by
 * Beer–Lambert line integrals at two effective energies, blurred and
 * with dose-dependent noise, at 5 mm pitch.  Deterministic from a seed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-manifest.h"
#include "dl-material.h"
#include "dl-scan.h"

G_BEGIN_DECLS

#define DL_SYNTH_I0        60000.0
#define DL_SYNTH_PITCH_MM  5.0

typedef enum
{
  DL_MATERIAL_WATER,         /* food, drinks */
  DL_MATERIAL_POLYETHYLENE,  /* plastics, rubber */
  DL_MATERIAL_WOOD,          /* wood, paper, cardboard */
  DL_MATERIAL_COCAINE,       /* C17H21NO4, a dense organic powder */
  DL_MATERIAL_ALUMINIUM,
  DL_MATERIAL_GLASS,
  DL_MATERIAL_STEEL,
  DL_MATERIAL_LEAD,
  DL_N_MATERIALS
} DlMaterial;


typedef struct
{
  const char      *name;
  double           density;   /* g/cm³ */
  double           mu_low;    /* mass attenuation, cm²/g, at the low effective energy */
  double           mu_high;   /* … at the high effective energy */
  DlMaterialClass  klass;
} DlMaterialInfo;

const DlMaterialInfo *dl_material_get (DlMaterial material);
double dl_synth_energy_low_mev  (void);
double dl_synth_energy_high_mev (void);

typedef struct
{
  const char *name;
  const char *description;
} DlSynthScene;

/* The scenes, terminated by a { NULL } entry. */
const DlSynthScene *dl_synth_get_scenes (void);

typedef struct
{
  char       *scene;
  guint64     seed;
  DlScan     *scan;        /* view 0: "high", "low"; view 1 (top) when asked */
  guint       width;       /* of view 0 */
  guint       height;
  guint8     *classes;     /* DlMaterialClass per pixel of view 0 */
  guint16    *ids;         /* object id per pixel of view 0, 0 none */
  /* along each ray of view 0, summed over objects: the material class
   * giving most of the high-energy attenuation, its share of it, and its
   * path length in cm (container and trailer included) */
  guint8     *ray_class;
  float      *ray_share;
  float      *ray_path_cm;
  DlManifest *manifest;
  char       *truth_json;
  double      cargo_kg;    /* true mass of all cargo */
} DlSynthOutput;

DlSynthOutput *dl_synth_generate      (const char     *scene,
                                       guint64         seed,
                                       gboolean        top_view,
                                       GError        **error);

/* How to generate.  @varied FALSE makes exactly what dl_synth_generate ()
 * makes, byte for byte.  @varied TRUE makes the scene harder to overfit,
 * still deterministic from the seed:
 *
 *   cargo   per-unit fill and density (±5 %), position jitter, packing
 *           gaps; stacks of different heights and missing cartons;
 *           cartons holding 2–4 sub-items of different fill instead of one
 *           uniform block; pallets euro 120 × 80 or industrial 120 × 100,
 *           block or stringer built; tyres of several diameters and
 *           widths, some stacks lying flat; crates of several sizes;
 *   imaging beam hardening (the line integral A becomes ln (1 + βA) / β,
 *           β drawn per scan, larger at the low energy); a gain per
 *           detector row, 1 ± 0.5–1 % fixed for the scan, times a slow
 *           drift along the scan; the blur σ drawn per scan in 0.6–1.3 px;
 *   concealments of random amount, place and size: packages in 1–6
 *           tyres anywhere in the load (any depth along the beam), in a
 *           random subset of pallets with random package size, a random
 *           number of bricks in a random crate, a false wall at a random
 *           distance, and so on.  Honest scenes stay honest: everything
 *           in them is declared, with its true mass.
 *
 * The truth file of a varied scan says "varied": true and holds
 * "imaging": {"blur_sigma_px", "hardening_high", "hardening_low" (β, per
 * unit of attenuation), "row_gain_sd"}; a plain one has neither member. */
typedef struct
{
  gboolean top_view;
  gboolean varied;
} DlSynthOptions;

DlSynthOutput *dl_synth_generate_with_options (const char           *scene,
                                               guint64               seed,
                                               const DlSynthOptions *options,
                                               GError              **error);
/* Writes into @dir (made if missing), with BASE = dl_synth_basename ():
 *
 *   BASE.tif            the scan: 16-bit pages "view=0;channel=high",
 *                       "view=0;channel=low" (and view=1 for the top view),
 *                       5 mm pitch (2 px/cm), ImageDescription
 *                       {"doorlicht": {"generator": "doorlicht-synth", "scene",
 *                       "seed", "i0", "energies_mev": {"high", "low"},
 *                       "pitch_mm", "profile": "synthetic-6-4MeV"}}
 *   BASE.labels.tif     ground truth for view 0, two pages:
 *                       "labels=class", 8-bit material class of the object
 *                       attenuating most along the ray (0 air/none, 1 organic,
 *                       2 inorganic/mixed: glass, aluminium, 3 metal: steel,
 *                       4 heavy: lead), and "labels=object", 16-bit id of that
 *                       object (0 none, 1 the container or trailer itself,
 *                       others as in truth.json).  A pixel is labelled when
 *                       that object's high-energy attenuation is over 0.02.
 *   BASE.manifest.json  what is declared (dl-manifest.h, doorlicht-manifest/1)
 *   BASE.cuscar.edi     the same as UN/EDIFACT CUSCAR D.95B
 *   BASE.truth.json     {"scene", "seed", "cargo_kg" (true mass of all cargo,
 *                       packaging included), "tare_kg" (the conveyance),
 *                       "objects": [{"id", "kind", "material", "class",
 *                       "bbox_px": [x0, y0, x1, y1] (view 0, end exclusive),
 *                       "depth_cm", "mass_kg", "declared", "concealed"}]}
 *                       — "concealed": undeclared, or not what its goods line
 *                       declares (the misdeclared scene's carton contents)
 */
gboolean       dl_synth_write         (DlSynthOutput  *output,
                                       const char     *dir,
                                       GError        **error);
char          *dl_synth_basename      (DlSynthOutput  *output);
void           dl_synth_output_free   (DlSynthOutput  *output);

/* A flat slab of @material, @thickness_cm thick along the beam, filling
 * the middle half of a 64 × 64 image, imaged as any scene (blur, noise). */
DlSynthOutput *dl_synth_slab          (DlMaterial      material,
                                       double          thickness_cm,
                                       guint64         seed);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlSynthOutput, dl_synth_output_free)

G_END_DECLS
