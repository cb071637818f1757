/* dl-material.h — dual-energy material discrimination: classes, the
 * per-scanner calibration, and classifying a scan.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-scan.h"

G_BEGIN_DECLS

/* Classes, as label images and classification maps store them. */
typedef enum
{
  DL_CLASS_NONE = 0,        /* air, or too thin to classify */
  DL_CLASS_ORGANIC = 1,
  DL_CLASS_INORGANIC = 2,   /* light inorganic and mixed: glass, aluminium */
  DL_CLASS_METAL = 3,       /* iron, steel */
  DL_CLASS_HEAVY = 4,       /* lead and other high-Z (ground truth only; classified as metal) */
  DL_CLASS_TOO_DENSE = 5,   /* too little signal left to tell */
} DlMaterialClass;

#define DL_CALIBRATION_MAX_POINTS 32
/* ratio_margin of a calibration that states none, and the most one may state */
#define DL_CALIBRATION_RATIO_MARGIN 0.015
#define DL_CALIBRATION_RATIO_MARGIN_MAX 0.5

/* Boundaries of R = A_high / A_low (A = ln (I0 / I)) between the classes,
 * as piecewise-linear functions of A_high, and the A_high range in which
 * the ratio can be trusted. */
typedef struct
{
  char   *profile;
  guint   n_points;
  double  a[DL_CALIBRATION_MAX_POINTS];
  double  organic_inorganic[DL_CALIBRATION_MAX_POINTS];
  double  inorganic_metal[DL_CALIBRATION_MAX_POINTS];
  double  a_min;          /* below: too thin */
  double  a_max;          /* above: too dense */
  guint   smooth_radius;  /* smoothing radius, pixels, applied to A before the ratio */
  double  ratio_margin;   /* how far R drifts between this scanner's scans (beam
                           * hardening, detector ageing): material shares are
                           * judged only as far as they hold under that shift */
  /* mass attenuation (a profile's [mass] group), by DlMaterialClass: 0 for
   * mixed or unclassified matter, then organic, inorganic, metal */
  gboolean has_mass;
  double   mu[4];          /* μ/ρ at the high energy, cm²/g */
  double   mu_rel_sigma[4];/* relative spread of μ/ρ within the class */
  double   blur_sigma;     /* the detector's Gaussian blur, pixels; 0 unknown */
} DlCalibration;

void           dl_calibration_free       (DlCalibration        *self);
DlCalibration *dl_calibration_copy       (const DlCalibration  *self);
DlCalibration *dl_calibration_from_key_file (GKeyFile          *kf,
                                          GError              **error);
DlCalibration *dl_calibration_load       (const char           *path,
                                          GError              **error);
gboolean       dl_calibration_save       (const DlCalibration  *self,
                                          const char           *path,
                                          GError              **error);
void           dl_calibration_to_key_file (const DlCalibration *self,
                                           GKeyFile            *kf);
const DlCalibration *dl_calibration_get_default (void);
DlMaterialClass dl_calibration_class     (const DlCalibration  *self,
                                          double                a_high,
                                          double                ratio);

/* One class per pixel of @high (and @low, the same size), noise-aware:
 * the attenuations are smoothed, edges kept, before their ratio is taken. */
guint8        *dl_material_classify      (const DlPlane        *high,
                                          const DlPlane        *low,
                                          const DlCalibration  *calibration);

guint8       **dl_material_classify_shifted (const DlPlane       *high,
                                            const DlPlane       *low,
                                            const DlCalibration *calibration,
                                            const double        *shifts,
                                            guint                n_shifts);

void           dl_material_smooth_attenuations (const DlPlane *high,
                                                const DlPlane *low,
                                                guint          radius,
                                                float        **out_h,
                                                float        **out_l);
GPtrArray     *dl_material_classify_scan (DlScan               *scan);
GPtrArray     *dl_material_classify_scan_with (DlScan              *scan,
                                               const DlCalibration *calibration);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlCalibration, dl_calibration_free)

G_END_DECLS
