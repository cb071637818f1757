/* dl-enhance.h — enhancement of the visible 8-bit image: edges (unsharp
 * mask) and local contrast (contrast-limited adaptive equalisation).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  DL_ENHANCE_NONE,
  DL_ENHANCE_EDGES,
  DL_ENHANCE_LOCAL_CONTRAST,
  DL_N_ENHANCE
} DlEnhance;

/* In place, on @width × @height gray bytes, @stride bytes a row. */
void dl_enhance_unsharp        (guint8 *gray,
                                int     width,
                                int     height,
                                int     stride,
                                int     radius,
                                double  amount);
void dl_enhance_local_contrast (guint8 *gray,
                                int     width,
                                int     height,
                                int     stride,
                                int     tiles,
                                double  clip);
void dl_enhance_apply          (DlEnhance mode,
                                guint8   *gray,
                                int       width,
                                int       height,
                                int       stride);

G_END_DECLS
