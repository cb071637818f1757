/* dl-pockets.h — a compact region of a material the declared goods do
 * not explain (organic among machinery, metal among food).  How it looks:
 * dl-pockets.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-detector.h"

G_BEGIN_DECLS

/* The "pockets" detector: findings of kind "pocket", parameters
 * "min_density" (g/cm²), "min_kg" and "min_score"; its figures say the
 * material, the region's mass and areal density and the threshold. */
DlDetector *dl_pockets_detector_new (void);

G_END_DECLS
