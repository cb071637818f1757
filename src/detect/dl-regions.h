/* dl-regions.h — the 4-connected regions of a mask, for detectors that
 * turn pixels that stand out into findings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint area;     /* pixels */
  int   box[4];   /* x0, y0, x1, y1, end exclusive */
} DlRegion;

/* The regions of the set pixels of @mask (@width × @height), in the
 * order their first pixel comes in rows from the top; @labels (NULL: not
 * wanted), @width × @height, gets 0 outside them and i + 1 in region i. */
GArray *dl_regions_label (const guint8 *mask,
                          guint         width,
                          guint         height,
                          guint32      *labels);

/* Whether the pair of neighbours @a, @b (along a row) counts in
 * dl_regions_noise (). */
typedef gboolean (*DlNoisePairFunc) (float a,
                                     float b);

/* The noise of one pixel of @v (@width × @height): the median absolute
 * difference of neighbours along the rows, over at most 200 000 pairs
 * spread evenly and only those @keep takes, as a standard deviation, at
 * least 0.002; 0.01 when fewer than @min_pairs were taken. */
float   dl_regions_noise (const float     *v,
                          guint            width,
                          guint            height,
                          DlNoisePairFunc  keep,
                          gsize            min_pairs);

G_END_DECLS
