/* dl-pyramid.h — mean-downsampled levels of a plane, for fluid display of
 * scans of any size.  Level 0 is the plane itself (not copied); level k+1
 * averages 2 × 2 blocks of level k (edges average what exists).
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
void                  dl_pyramid_free       (DlPyramid       *self);
guint                 dl_pyramid_level_for  (const DlPyramid *self,
                                             double           zoom);
guint64               dl_pyramid_extra_bytes (const DlPyramid *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlPyramid, dl_pyramid_free)

G_END_DECLS
