/* dl-consistency.h — hints where a dual-energy scan and its manifest
 * disagree: the declared gross mass against the mass the scan measures,
 * the declared goods' expected material against the measured classes, a
 * container declared empty that is not, and areas denser than anything
 * declared.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "dl-hs.h"
#include "dl-manifest.h"
#include "dl-material.h"
#include "dl-scan.h"

G_BEGIN_DECLS

typedef enum
{
  DL_HINT_WEIGHT,     /* declared gross mass outside the measured band */
  DL_HINT_MATERIAL,   /* measured material unlike the declared goods */
  DL_HINT_EMPTY,      /* declared empty, not empty */
  DL_HINT_DENSE,      /* a region denser than anything declared */
} DlHintKind;

typedef enum
{
  DL_HINT_SEVERITY_INFO,
  DL_HINT_SEVERITY_WARNING,
  DL_HINT_SEVERITY_ALERT,
} DlHintSeverity;

typedef struct
{
  DlHintKind      kind;
  DlHintSeverity  severity;
  char           *message;       /* translated, one sentence or two */
  char           *container;     /* equipment number, NULL when none applies */
  gboolean        has_region;
  int             region[4];     /* x0, y0, x1, y1 in pixels of the view, end exclusive */
  const char     *unit;          /* "kg" or "fraction" (of the cargo's measured mass) */
  double          measured;      /* what the scan shows … */
  double          uncertainty;   /* … ± this (one standard deviation) */
  double          declared;      /* what the manifest says, NAN when nothing applies */
  gboolean        partition;     /* a dense hint of a wall across the cargo space */
} DlHint;

/* The cargo alone, as the measurement saw it in one view: the cargo
 * space's box, the high-energy attenuation in it with the conveyance's
 * own (each column's baseline) taken away, and the material class of
 * that excess.  For detectors that look inside the cargo (dl-units,
 * dl-pockets): the mass of a pixel is excess_high / mu[class] ×
 * pixel_cm2 / 1000 kg. */
typedef struct
{
  guint    view;
  int      x0, y0;             /* the box's corner in the view's pixels */
  guint    width, height;      /* of the box */
  float   *excess_high;        /* width × height, 0 in columns not measured */
  guint8  *classes;            /* DlMaterialClass of the excess, width × height */
  guint8  *usable;             /* per column: its baseline could be measured */
  double   pixel_cm2;
  double   pitch_x_mm, pitch_y_mm;
  double   mu[DL_HS_N_MATERIALS];  /* cm²/g at the high energy, by DlHsMaterial; MIXED: the cargo's mean */
} DlCargoImage;

void            dl_cargo_image_free      (DlCargoImage         *self);
/* The cargo of view 0 of @scan measured on its own (no manifest needed);
 * NULL with @error as dl_consistency_check_container (). */
DlCargoImage   *dl_cargo_image_measure   (DlScan               *scan,
                                          const DlCalibration  *calibration,
                                          GError              **error);
/* The kg one pixel of @self holds (0 where nothing is). */
double          dl_cargo_image_pixel_kg  (const DlCargoImage   *self,
                                          gsize                 k);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlCargoImage, dl_cargo_image_free)

/* The measurement behind the hints. */
typedef struct
{
  guint       view;
  int         cargo_box[4];      /* x0, y0, x1, y1: the cargo space found in the view */
  double      cargo_kg;          /* estimated mass in the cargo space, the conveyance's own removed */
  double      cargo_kg_sigma;    /* its standard uncertainty */
  double      opaque_share;      /* share of it measured where the beam hardly passed */
  gboolean    lower_bound;       /* that share is large: the true mass may be well above */
  double      second_view_share; /* share of the mass taken from the top view (view 1), 0 without one */
  double      declared_kg;       /* the goods declared for what was checked */
  double      fraction[DL_HS_N_MATERIALS];  /* measured shares of the classified mass;
                                              [DL_HS_MATERIAL_MIXED] unused (0) */
  double      fraction_min[DL_HS_N_MATERIALS];  /* the least each share is with the class
                                                  boundaries moved by the calibration's
                                                  ratio_margin either way: what is judged */
  double      classified_share;  /* share of the estimated mass whose class was measured */
  double      expected[DL_HS_N_MATERIALS];  /* declared mass shares by expected material */
  gboolean    metal_plausible;   /* declared goods are metal or mixed, or packed in metal */
  double      seconds;           /* time the check took */
  guint       n_views;           /* views of the scan: 2 with a top view */
  GPtrArray  *hints;             /* DlHint */
  DlCargoImage *image;           /* the cargo of view 0 as measured */
} DlConsistency;

void            dl_consistency_free      (DlConsistency        *self);

/* Checks view 0 of @scan (a "high" and a "low" channel, I0 and pixel
 * pitch known) — with its top view, view 1, for the mass where the side
 * view cannot see through (see dl-consistency.c) — against the goods of @container in @manifest, or against
 * all goods when @container is NULL.  The scan's own material classes are
 * not used: they include the conveyance's walls; the classes are taken
 * afresh, with @calibration, of the cargo's attenuation alone. */
DlConsistency  *dl_consistency_check_container (DlScan               *scan,
                                                const DlCalibration  *calibration,
                                                const DlManifest     *manifest,
                                                const char           *container,
                                                GError              **error);
/* The common case: a scan of one container (or a trailer).  The
 * manifest's one container, or all its goods when it lists none; an error
 * when it lists several. */
DlConsistency  *dl_consistency_check     (DlScan               *scan,
                                          const DlCalibration  *calibration,
                                          const DlManifest     *manifest,
                                          GError              **error);

/* Appends a hint (taking @message) with no figures: unit "kg", measured
 * and uncertainty 0, declared NAN, no region; the caller sets them.  For
 * checks beside this one (dl-bay-plan-check.h). */
DlHint         *dl_consistency_add_hint  (DlConsistency        *self,
                                          DlHintKind            kind,
                                          DlHintSeverity        severity,
                                          const char           *container,
                                          char                 *message);

/* How many hints of @kind. */
guint           dl_consistency_count     (const DlConsistency  *self,
                                          DlHintKind            kind);

const char     *dl_hint_kind_to_string     (DlHintKind      kind);
const char     *dl_hint_severity_to_string (DlHintSeverity  severity);

/* {"cargo_kg", "cargo_kg_sigma", "lower_bound", "opaque_share", "second_view_share",
 *  "declared_kg", "classified_share",
 *  "fractions": {"organic", "inorganic", "metal"}, "fractions_min": {… as moved by the ratio margin},
 *  "expected": {…, "mixed"},
 *  "cargo_box": [x0, y0, x1, y1], "view",
 *  "hints": [{"kind": "weight" | "material" | "empty" | "dense",
 *             "severity": "info" | "warning" | "alert", "message",
 *             "container" (or null), "region": [x0, y0, x1, y1] (or null),
 *             "measured": {"value", "uncertainty", "unit"},
 *             "declared" (or null)}]} */
JsonNode       *dl_consistency_to_json_node (const DlConsistency *self);
char           *dl_consistency_to_json      (const DlConsistency *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlConsistency, dl_consistency_free)

G_END_DECLS
