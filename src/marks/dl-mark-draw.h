/* dl-mark-draw.h — marks drawn with cairo, the same on screen and in the
 * report.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>

#include "dl-annotation.h"
#include "dl-render.h"

G_BEGIN_DECLS

void  dl_mark_path    (cairo_t            *cr,
                       const DlViewport   *vp,
                       DlAnnotationKind    kind,
                       const DlPoint      *pts,
                       guint               n,
                       double              unit);
char *dl_mark_caption (const DlAnnotation *a,
                       double              pitch_x,
                       double              pitch_y);

G_END_DECLS
