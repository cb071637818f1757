/* dl-profile-fit-private.h — shared by dl-profile-fit.c (finding the
 * object, the calibration, the profile) and dl-profile-fit-measure.c
 * (blur, noise, plateaus, features).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-profile-fit.h"

G_BEGIN_DECLS

typedef struct
{
  const DlTestObject *object;
  const DlPlane *high, *low;
  guint          w, h;
  double         px, py;        /* pitch, mm */
  double         i0h, i0l;      /* air, counts */
  double         air_sd_a;      /* spread of A in air */
  float         *ah, *al;       /* ln (I0 / I) per pixel */
  float         *sh, *sl;       /* the same through the classifier's smoothing */
  double         sigma;         /* the blur found, px */
  DlProfileFit  *fit;
} FitContext;

#define DL_FIT_SMOOTH_RADIUS 3   /* the classifier's smoothing, as the built-in profile's */

/* The margins, px, that keep a plateau clear of the blur of its edges,
 * and of the blur and the classifier's smoothing. */
guint    _dl_fit_edge_margin     (const FitContext *ctx);
guint    _dl_fit_margin          (const FitContext *ctx);
gboolean _dl_fit_blur            (FitContext       *ctx,
                                  GError          **error);
void     _dl_fit_measure_block   (FitContext       *ctx,
                                  DlFitBlock       *block);
void     _dl_fit_noise           (FitContext       *ctx);
void     _dl_fit_feature         (FitContext       *ctx,
                                  DlFitBlock       *block);

G_END_DECLS

G_BEGIN_DECLS

void     _dl_fit_residuals       (FitContext          *ctx,
                                  const DlCalibration *cal);
void     _dl_fit_quality         (FitContext          *ctx);
char    *_dl_fit_profile_text    (FitContext          *ctx,
                                  const DlCalibration *cal,
                                  const DlProfileFitIdentity *identity);

G_END_DECLS
