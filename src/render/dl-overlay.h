/* dl-overlay.h — what is drawn over (or instead of) the gray image:
 * material classes, density bands, a colour map.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-colormap.h"
#include "dl-material.h"
#include "dl-windowing.h"

G_BEGIN_DECLS

typedef enum
{
  DL_STRIP_NONE,            /* every class shown */
  DL_STRIP_ORGANIC_ONLY,    /* everything but organic is blanked */
  DL_STRIP_INORGANIC_ONLY,  /* everything but inorganic and metal is blanked */
} DlStrip;

typedef struct
{
  double lo;                /* density d = −ln (v / I0), inclusive */
  double hi;
  guint8 rgb[3];
} DlBand;

typedef struct
{
  gboolean      material;
  double        material_opacity;
  DlStrip       strip;
  DlColormap   *colormap;   /* nullable: gray */
  DlBand        bands[8];
  guint         n_bands;
  double        band_opacity;
  /* per material class (DlMaterialClass); dl_overlay_init() sets the
   * conventional colours of dl_overlay_class_colour() */
  guint8        class_rgb[DL_CLASS_TOO_DENSE + 1][3];
} DlOverlay;

void     dl_overlay_init         (DlOverlay        *self);
void     dl_overlay_clear        (DlOverlay        *self);
gboolean dl_overlay_parse        (DlOverlay        *self,
                                  const char       *spec,
                                  GError          **error);
void     dl_overlay_class_colour (DlMaterialClass   klass,
                                  guint8           *rgb);
/* "#rrggbb" (case-insensitive) to 3 bytes; FALSE, @rgb untouched, otherwise. */
gboolean dl_overlay_parse_rgb    (const char       *text,
                                  guint8           *rgb);
/* 3 bytes to lower-case "#rrggbb". */
char    *dl_overlay_format_rgb   (const guint8     *rgb);

/* One output row: @gray is the windowed 8-bit row, @values the stored
 * values (for the bands), @classes the material classes (may be NULL when
 * the material overlay is off); @rgb receives 3 bytes a pixel. */
void     dl_overlay_row          (const DlOverlay  *self,
                                  const guint8     *gray,
                                  const guint16    *values,
                                  const guint8     *classes,
                                  const guint8     *band_lut,
                                  guint8           *rgb,
                                  guint             n);
#define DL_OVERLAY_CLASSES (DL_CLASS_TOO_DENSE + 1)

/* A material colour is drawn at the gray's brightness, kept within these
 * (of 255) as vendors' displays keep it: visible at every density, never
 * white. */
#define DL_OVERLAY_LIGHTNESS_FLOOR   96
#define DL_OVERLAY_LIGHTNESS_CEILING 240

guint32 *dl_overlay_build_table  (const DlOverlay  *self);

/* For each stored value, the index + 1 of the last band containing its
 * density, 0 for none (65536 entries). */
guint8  *dl_overlay_band_lut     (const DlOverlay  *self,
                                  double            i0);

G_END_DECLS
