/* dl-units.h — like for like: a unit of the cargo (a tyre, a pallet, a
 * crate, a drum) holding more than the units like it along the load.
 * How it looks: dl-units.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-detector.h"

G_BEGIN_DECLS

/* The "units" detector: findings of kind "anomaly", parameters "z" (the
 * spreads a region must stand out by), "min_kg", "min_area_cm2" and
 * "min_score"; its figures say the region's excess mass, the repeat
 * along the load and the peers' boxes ("peers": [[x0, y0, x1, y1], …]). */
DlDetector *dl_units_detector_new (void);

G_END_DECLS
