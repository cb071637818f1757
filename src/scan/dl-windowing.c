/* dl-windowing.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-windowing"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>

#include "dl-scan.h"
#include "dl-windowing.h"

void
dl_windowing_init (DlWindowing *self)
{
  self->center = 32767.5;
  self->width = 65535.0;
  self->gamma = 1.0;
  self->invert = FALSE;
  self->space = DL_SPACE_VALUE;
  self->i0 = 65535.0;
}

gboolean
dl_windowing_is_valid (const DlWindowing *self)
{
  return isfinite (self->center) && isfinite (self->width) && self->width > 0
         && isfinite (self->gamma) && self->gamma > 0
         && (self->space == DL_SPACE_VALUE || (isfinite (self->i0) && self->i0 > 0));
}

/* d = −ln (max (v, 1) / I0) */
double
dl_density (double value,
            double i0)
{
  return -log (MAX (value, 1.0) / i0);
}

double
dl_density_to_value (double density,
                     double i0)
{
  return i0 * exp (-density);
}

/* The quantity the window applies to: v itself, or its density. */
double
dl_windowing_transform (const DlWindowing *self,
                        guint16            value)
{
  if (self->space == DL_SPACE_DENSITY)
    return dl_density (value, self->i0);
  return value;
}

guint8
dl_windowing_map (const DlWindowing *self,
                  guint16            value)
{
  double x = dl_windowing_transform (self, value);
  double t = (x - (self->center - self->width / 2.0)) / self->width;
  double gray;

  t = CLAMP (t, 0.0, 1.0);
  if (self->gamma != 1.0)
    t = pow (t, 1.0 / self->gamma);
  gray = round (t * 255.0);

  return self->invert ? 255 - (guint8) gray : (guint8) gray;
}

/* @lut must hold DL_LUT_SIZE entries. */
void
dl_windowing_fill_lut (const DlWindowing *self,
                       guint8            *lut)
{
  for (guint v = 0; v < DL_LUT_SIZE; v++)
    lut[v] = dl_windowing_map (self, (guint16) v);
}

void
dl_windowing_apply (const DlWindowing *self,
                    const guint16     *src,
                    gsize              n,
                    guint8            *dst)
{
  g_autofree guint8 *lut = g_malloc (DL_LUT_SIZE);

  dl_windowing_fill_lut (self, lut);
  for (gsize i = 0; i < n; i++)
    dst[i] = lut[src[i]];
}

static gboolean
parse_double (const char *text,
              double     *out)
{
  char *end = NULL;

  *out = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*out);
}

/* Parses "C:W" (as on the command line) into centre and width. */
gboolean
dl_windowing_parse (DlWindowing  *self,
                    const char   *text,
                    GError      **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ":", -1);
  double c, w;

  if (g_strv_length (parts) != 2
      || !parse_double (parts[0], &c)
      || !parse_double (parts[1], &w))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("The window “%s” is not of the form CENTRE:WIDTH"), text);
      return FALSE;
    }

  if (w <= 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("The window width must be greater than zero (got %s)"), parts[1]);
      return FALSE;
    }

  self->center = c;
  self->width = w;
  return TRUE;
}
