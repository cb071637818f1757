/* dl-profile-fit.h — a scanner profile fitted from one scan of a
 * step-wedge test object (dl-test-object.h): the air value, the blur, the
 * noise, the material boundaries and the mass attenuation coefficients,
 * with the residuals of each fit and the image-quality figures the object
 * allows (docs/scanner-profiles.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-profile.h"
#include "dl-test-object.h"

G_BEGIN_DECLS

#define DL_PROFILE_FIT_ERROR (dl_profile_fit_error_quark ())

typedef enum
{
  DL_PROFILE_FIT_ERROR_SCAN,       /* not two energies, no pitch, no air */
  DL_PROFILE_FIT_ERROR_NOT_FOUND,  /* the object, or one of its blocks, is not where it should be */
  DL_PROFILE_FIT_ERROR_FIT,        /* the steps do not allow a fit */
} DlProfileFitError;

GQuark dl_profile_fit_error_quark (void);

/* A feature is seen when its SNR reaches this (the Rose criterion). */
#define DL_PROFILE_FIT_SNR_SEEN 5.0

/* One block as measured: its plateau (the block less a margin of the blur
 * and the smoothing; less its feature for plates). */
typedef struct
{
  guint    series, block;
  double   box_px[4];          /* x0, y0, x1, y1 of the edges found, pixels */
  guint    n_pixels;           /* of the plateau */
  double   a_high, a_low;      /* mean ln (I0 / I) */
  double   ratio, ratio_sigma; /* mean and spread of R through the classifier's smoothing */
  double   mu_high;            /* a_high / (ρ t), cm²/g (wedges) */
  double   mean_high, var_high, mean_low, var_low;   /* raw counts */
  double   snr;                /* plates: of the feature */
} DlFitBlock;

typedef struct
{
  DlProfile *profile;          /* the fitted profile, complete */
  GArray    *blocks;           /* DlFitBlock, series by series */
  double     i0_high, i0_low;
  double     blur_sigma, blur_spread, blur_rms;   /* px; spread over edges; ESF residual, counts */
  guint      blur_edges;
  double     photons_high, photons_low, noise_floor;   /* 0: not measurable */
  double     mu_rms[4];        /* relative RMS of the steps' μ/ρ about their class's, by class */
  double     boundary_margin;  /* the smallest distance of a step's R to a boundary, in σ */
  double     steps_classified; /* share of the wedges' plateau pixels classified as their class */
  double     penetration_mm;   /* thickest plate whose feature is seen, 0: none */
  double     contrast_mm;      /* smallest feature seen, 0: none */
  double     contrast_base_mm; /* the contrast plate's thickness */
  GBytes    *text;             /* the profile file, NUL-terminated */
} DlProfileFit;

/* What a test object cannot tell of its scanner: the profile's id and
 * name, the scanner's identity and its energies. */
typedef struct
{
  const char *id;                 /* required */
  const char *name;               /* NULL: the id */
  const char *make;               /* NULL: the scan's own (metadata "make", …), if any */
  const char *model;
  const char *serial;
  double      energy_high_mev;    /* 0: not known; both or neither */
  double      energy_low_mev;
} DlProfileFitIdentity;

void          dl_profile_fit_free   (DlProfileFit        *self);
DlProfileFit *dl_profile_fit        (DlScan              *scan,
                                     const DlTestObject  *object,
                                     const DlProfileFitIdentity *identity,
                                     GError             **error);
/* The profile as a key file's text, which dl_profile_load () reads. */
char         *dl_profile_fit_to_data (const DlProfileFit *self);
gboolean      dl_profile_fit_save   (const DlProfileFit  *self,
                                     const char          *path,
                                     GError             **error);
/* Residuals and image-quality figures, as JSON. */
char         *dl_profile_fit_report (const DlProfileFit  *self,
                                     const DlTestObject  *object);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlProfileFit, dl_profile_fit_free)

G_END_DECLS
