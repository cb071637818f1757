/* dl-image-write.h — writing the windowed 8-bit image of a whole plane.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-scan.h"
#include "dl-windowing.h"

G_BEGIN_DECLS

/* Writes @plane through @windowing as 8-bit grayscale PNG or binary PGM
 * (chosen by the extension of @path), streaming row by row, to a temporary
 * file that is renamed over @path only when complete. */
gboolean dl_image_write_windowed (const DlPlane     *plane,
                                  const DlWindowing *windowing,
                                  const char        *path,
                                  GError           **error);

/* Gives the next band of rows of a plane (width × @n_rows samples, valid
 * until the next call): FALSE with @error set when it cannot. */
typedef gboolean (*DlImageBandFunc) (gpointer          source,
                                     const guint16   **rows,
                                     guint            *n_rows,
                                     GError          **error);

/* The same image as dl_image_write_windowed (), from a plane given in
 * bands (never whole in memory). */
gboolean dl_image_write_windowed_bands (guint              width,
                                        guint              height,
                                        DlImageBandFunc    next_band,
                                        gpointer           source,
                                        const DlWindowing *windowing,
                                        const char        *path,
                                        GError           **error);
/* TRUE when dl_image_write_windowed () would take @windowing and @path. */
gboolean dl_image_write_windowed_check (const DlWindowing *windowing,
                                        const char        *path,
                                        GError           **error);

/* Fills @row (3 bytes a pixel) with image row @y. */
typedef void (*DlImageRowFunc) (guint    y,
                                guint8  *row,
                                gpointer data);

/* Writes a colour image row by row as PNG or binary PPM, atomically. */
gboolean dl_image_write_rgb      (const char        *path,
                                  guint              width,
                                  guint              height,
                                  DlImageRowFunc     fill,
                                  gpointer           data,
                                  GError           **error);

G_END_DECLS
