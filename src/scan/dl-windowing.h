/* dl-windowing.h — density windowing, the one definition used everywhere.
 *
 * For a stored value v (larger = more transmission), window centre C and
 * width W > 0:
 *
 *   gray = round (clamp ((x − (C − W/2)) / W, 0, 1) ^ (1/γ) × 255)
 *
 * where x = v in value space, or x = d = −ln (max (v, 1) / I0) in density
 * space.  With γ = 1 this is exactly the formula.  Invert gives
 * 255 − gray.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DL_LUT_SIZE 65536

typedef enum
{
  DL_SPACE_VALUE,     /* window applied to the stored transmission value */
  DL_SPACE_DENSITY,   /* window applied to d = −ln (v / I0) */
} DlSpace;

typedef struct
{
  double   center;
  double   width;    /* > 0 */
  double   gamma;    /* > 0, 1 = linear */
  gboolean invert;
  DlSpace  space;
  double   i0;       /* air value, used in density space */
} DlWindowing;

void     dl_windowing_init          (DlWindowing       *self);
gboolean dl_windowing_is_valid      (const DlWindowing *self);
double   dl_density                 (double             value,
                                     double             i0);
double   dl_density_to_value        (double             density,
                                     double             i0);
double   dl_windowing_transform     (const DlWindowing *self,
                                     guint16            value);
guint8   dl_windowing_map           (const DlWindowing *self,
                                     guint16            value);
void     dl_windowing_fill_lut      (const DlWindowing *self,
                                     guint8            *lut);
void     dl_windowing_apply         (const DlWindowing *self,
                                     const guint16     *src,
                                     gsize              n,
                                     guint8            *dst);
gboolean dl_windowing_parse         (DlWindowing       *self,
                                     const char        *text,
                                     GError           **error);

G_END_DECLS
