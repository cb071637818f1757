/* dl-pyramid.h — mean-downsampled levels of a plane, for fluid display of
 * scans of any size.  Level 0 is the plane itself (not copied); level k+1
 * averages 2 × 2 blocks of level k (edges average what exists).  Level 1,
 * a quarter of the plane, is not kept (its data is %NULL): its rows are
 * worked out when drawn (dl_pyramid_halve_row ()), so a scan costs its
 * samples and a twelfth more, not a third.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-scan.h"

G_BEGIN_DECLS

#define DL_PYRAMID_MAX_LEVELS 24
#define DL_PYRAMID_MIN_SIDE   64

typedef struct
{
  guint          width;
  guint          height;
  const guint16 *data;
} DlPyramidLevel;

struct _DlPyramid
{
  guint           n_levels;
  DlPyramidLevel  levels[DL_PYRAMID_MAX_LEVELS];
  guint16        *owned[DL_PYRAMID_MAX_LEVELS];
};

DlPyramid            *dl_pyramid_new        (const guint16   *data,
                                             guint            width,
                                             guint            height);
/* The same with level 2 made already (transfer full; as
 * dl_pyramid_quarter_row () makes it, row by row), or %NULL. */
DlPyramid            *dl_pyramid_new_with_level2 (const guint16 *data,
                                                  guint          width,
                                                  guint          height,
                                                  guint16       *level2);
/* Whether a plane of this size has a level 2 ((w + 3) / 4 × (h + 3) / 4). */
gboolean              dl_pyramid_has_level2 (guint           width,
                                             guint           height);
/* Row @y of level 2 straight from level 0 (through two rows of level 1 in
 * @scratch, 2 × ((width + 1) / 2) samples) into @out. */
void                  dl_pyramid_quarter_row (const DlPyramidLevel *level0,
                                              guint           y,
                                              guint16        *out,
                                              guint16        *scratch);
void                  dl_pyramid_free       (DlPyramid       *self);
guint                 dl_pyramid_level_for  (const DlPyramid *self,
                                             double           zoom);
guint64               dl_pyramid_extra_bytes (const DlPyramid *self);
/* Row @y, columns @x0 … @x1 (end exclusive), of the level above @src
 * (the means of its 2 × 2 blocks) into @out[x0 … x1). */
void                  dl_pyramid_halve_row  (const DlPyramidLevel *src,
                                             guint            y,
                                             guint            x0,
                                             guint            x1,
                                             guint16         *out);
/* Row @row of @level, with columns @x0 … @x1 valid: the level's own data,
 * or, for level 1, @scratch (a row of its width) filled from level 0. */
const guint16        *dl_pyramid_row        (const DlPyramid *self,
                                             const DlPyramidLevel *level,
                                             guint            row,
                                             guint            x0,
                                             guint            x1,
                                             guint16         *scratch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlPyramid, dl_pyramid_free)

G_END_DECLS
