/* dl-synth.h — synthetic cargo X-ray scans with ground truth.
 *
 * No public container scans exist, so the project makes its own: 3-D
 * scenes of containers and trailers with their cargo, imaged by
 * Beer–Lambert line integrals at two effective energies, blurred and
 * with dose-dependent noise, at 5 mm pitch — or as any scanner profile's
 * [imaging] says (DlSynthImaging).  Deterministic from a seed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-manifest.h"
#include "dl-material.h"
#include "dl-profile.h"
#include "dl-scan.h"
#include "dl-test-object.h"

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
/* μ/ρ (cm²/g) at @energy_mev, from the tables in dl-synth-materials.c,
 * log-log interpolated; NAN outside DL_SYNTH_MIN_MEV … DL_SYNTH_MAX_MEV. */
double     dl_material_mu_at      (DlMaterial  material,
                                   double      energy_mev);
DlMaterial dl_material_from_name  (const char *name);
double dl_synth_energy_low_mev  (void);
double dl_synth_energy_high_mev (void);

#define DL_SYNTH_MIN_MEV 1.0
#define DL_SYNTH_MAX_MEV 6.0
#define DL_SYNTH_MAX_BLUR 2.6    /* px: the kernel spans ±3 σ, at most ±8 px */

/* How the generator images: one scanner's chain.  The built-in one is
 * the profile synthetic-6-4MeV's; dl_synth_imaging_from_profile () takes
 * any profile's [imaging]. */
typedef struct
{
  char   profile[64];          /* the profile id the scans name */
  double energy_high_mev;      /* effective energies (the tables' energies) */
  double energy_low_mev;
  double i0;                   /* the air value */
  double pitch_mm;
  double blur_sigma_px;        /* the detector's Gaussian blur */
  double photons_high;         /* photons an air pixel receives */
  double photons_low;
  double noise_floor;          /* electronic noise, counts */
} DlSynthImaging;

const DlSynthImaging *dl_synth_imaging_default (void);
/* Fails naming what @profile lacks: effective energies in the tables'
 * range, i0, one pitch for x and y, a blur up to DL_SYNTH_MAX_BLUR px.
 * Photons and noise floor, when absent, are the built-in chain's. */
gboolean dl_synth_imaging_from_profile (const DlProfile *profile,
                                        DlSynthImaging  *imaging,
                                        GError         **error);

typedef struct
{
  const char *name;
  const char *description;
} DlSynthScene;

/* The cargo scenes, terminated by a { NULL } entry. */
const DlSynthScene *dl_synth_get_scenes (void);
/* The scenes that are no cargo ("test-object"), the same way. */
const DlSynthScene *dl_synth_get_test_scenes (void);

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
  double      pitch_mm;
  char       *object_json; /* the test-object scene's OBJECT.json, else NULL */
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
  const DlSynthImaging *imaging;   /* NULL: dl_synth_imaging_default () */
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
 *   BASE.object.json    the test-object scene only: the object it shows
 *                       (dl-test-object.h, doorlicht-test-object/1)
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
/* The same, imaged by @imaging (NULL: the built-in chain). */
DlSynthOutput *dl_synth_slab_with_imaging (DlMaterial            material,
                                           double                thickness_cm,
                                           guint64               seed,
                                           const DlSynthImaging *imaging);
/* The test object of the scene "test-object" (a new copy). */
DlTestObject  *dl_synth_test_object   (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlSynthOutput, dl_synth_output_free)

G_END_DECLS
