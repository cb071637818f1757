/* dl-colormap.h — colour maps for density: perceptually uniform, rainbow,
 * gray, and the user's own LUT files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char  *name;
  guint8 rgb[256][3];
} DlColormap;

/* "gray", "viridis" (perceptually uniform), "turbo" (rainbow, for fine
 * density steps); NULL for another name. */
DlColormap *dl_colormap_new_builtin (const char   *name);
/* A text file of 2 … 256 lines "R G B" (0 … 255), '#' comments; the
 * entries are spread evenly over 0 … 255 and interpolated. */
DlColormap *dl_colormap_load        (const char   *path,
                                     GError      **error);
void        dl_colormap_free        (DlColormap   *self);
const char * const *dl_colormap_builtin_names (void);

/* The definitions the builtin tables are computed from, t in [0, 1]. */
void        dl_colormap_eval        (const char   *name,
                                     double        t,
                                     double       *r,
                                     double       *g,
                                     double       *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlColormap, dl_colormap_free)

G_END_DECLS
