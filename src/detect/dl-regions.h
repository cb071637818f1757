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

G_END_DECLS
