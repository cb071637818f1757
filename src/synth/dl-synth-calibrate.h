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

G_END_DECLS
