/* dl-render.h — windowed rendering of the visible part of a plane.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-overlay.h"
#include "dl-pyramid.h"

G_BEGIN_DECLS

#define DL_RENDER_BACKGROUND 0xff1e1e1eu

typedef struct
{
  double zoom;      /* screen pixels per image pixel, > 0 */
  double origin_x;  /* image coordinate (level-0 pixels) at the left edge */
  double origin_y;  /* image coordinate at the top edge */
} DlViewport;

/* Fills @out (width × height pixels of 0xAARRGGBB, native endian, which is
 * cairo's CAIRO_FORMAT_RGB24/ARGB32) with the windowed image: output pixel
 * (i, j) shows the image sample under its centre, nearest neighbour, read
 * from the pyramid level matching the zoom.  Outside the image: background. */
void dl_render_viewport (const DlPyramid  *pyramid,
                         const guint8     *lut,
                         const DlViewport *viewport,
                         guint32          *out,
                         int               width,
                         int               height,
                         int               stride);

void dl_render_viewport_overlay (const DlPyramid  *pyramid,
                                 const guint8     *lut,
                                 const guint8     *class_map,
                                 const DlOverlay  *overlay,
                                 const guint8     *band_lut,
                                 int               enhance,
                                 const DlViewport *viewport,
                                 guint32          *out,
                                 int               width,
                                 int               height,
                                 int               stride);
/* The screen position of image x (left edge of an image pixel). */
static inline double
dl_viewport_to_screen_x (const DlViewport *vp, double x)
{
  return (x - vp->origin_x) * vp->zoom;
}

static inline double
dl_viewport_to_image_x (const DlViewport *vp, double sx)
{
  return vp->origin_x + sx / vp->zoom;
}

static inline double
dl_viewport_to_image_y (const DlViewport *vp, double sy)
{
  return vp->origin_y + sy / vp->zoom;
}

G_END_DECLS
