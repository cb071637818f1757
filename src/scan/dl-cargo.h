/* dl-cargo.h — where the cargo is in a plane, for windowing on it.
 *
 * An automatic window set over the whole image is set by air (the
 * brightest fifth of most scans) and by the conveyance's own structure:
 * the side walls seen face on (a thin, even veil over the whole inside)
 * and roof, floor, rails, posts and doors seen edge on (thin, dense
 * lines).  None of it is what the analyst looks at.  The cargo is what
 * remains when these are taken away:
 *
 *   1. air: density d = −ln (v / I0) within the air's own noise of 0
 *      (d ≤ median + 5 × 1.4826 × MAD over the pixels with d < 0.1, at
 *      least 0.02);
 *   2. edge-on structure: rows and columns whose median density (over
 *      the object) stands above the profile's morphological opening
 *      over 8 % of the image's extent: a ridge thinner than that;
 *   3. face-on walls: per column, anything within 0.03 (or three times
 *      the air noise) of the column's 5th percentile, which is capped at
 *      twice the object's 2nd percentile so that a column filled with
 *      cargo from floor to roof keeps its cargo.
 *
 * Nothing here knows a container's size or the generator: it reads the
 * image only.  When less than 1 % of the object remains (an empty
 * container), the object without its edge-on structure is taken, and
 * when there is no object at all, nothing is found.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-histogram.h"

G_BEGIN_DECLS

/* Largest number of samples looked at (the plane is subsampled evenly). */
#define DL_CARGO_MAX_SAMPLES (1u << 20)

DlHistogram *dl_cargo_histogram_new (const guint16 *data,
                                     guint          width,
                                     guint          height,
                                     double         i0);
guint8      *dl_cargo_mask_new      (const guint16 *data,
                                     guint          width,
                                     guint          height,
                                     double         i0,
                                     guint         *stride);

G_END_DECLS
