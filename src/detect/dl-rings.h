/* dl-rings.h — ring-shaped units (tyres standing in the beam) each
 * compared with the rings of its size: what their hollow and wall hold.
 * How it looks: dl-rings.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-consistency.h"
#include "dl-detector.h"

G_BEGIN_DECLS

/* The "rings" detector: findings of kind "anomaly", parameters "z" (the
 * spreads a region of the ring must stand out by), "min_kg" and
 * "min_score"; its figures say the excess mass, where ("hollow" or
 * "wall"), the hollow's diameter, the ring's box ("ring") and its peers'
 * ("peers": [[x0, y0, x1, y1], …]). */
DlDetector *dl_rings_detector_new (void);

/* The detector's work on a cargo image (@parameters as the detector's:
 * "z", "min_kg", "min_score", each with its default when absent):
 * appends findings to @findings; returns the number of rings that had
 * enough peers to be compared. */
guint       dl_rings_find         (const DlCargoImage *image,
                                   JsonObject         *parameters,
                                   GPtrArray          *findings);

G_END_DECLS
