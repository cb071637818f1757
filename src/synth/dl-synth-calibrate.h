/* dl-synth-calibrate.h — fitting a material calibration from step-wedge
 * scans made by the generator.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-material.h"
#include "dl-synth.h"

G_BEGIN_DECLS

/* Fits the boundaries from step-wedge scans made by the generator. */
DlCalibration *dl_calibration_fit_synthetic (void);
/* The same for the chain @imaging (NULL: the built-in one). */
DlCalibration *dl_calibration_fit_synthetic_for (const DlSynthImaging *imaging);
/* μ/ρ by class at @imaging's high energy, into @cal's [mass]. */
void           dl_synth_mass_coefficients (const DlSynthImaging *imaging,
                                           DlCalibration        *cal);

G_END_DECLS
