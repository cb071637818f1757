/* dl-overlay.c
 *
 * Material colours follow the industry convention: orange organic, green
 * inorganic and mixed, blue metal; violet marks what is too dense to
 * classify.  Brightness still follows density: a class colour is scaled by
 * the windowed gray value, then blended over the gray by the opacity.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-overlay"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "dl-overlay.h"

void
dl_overlay_init (DlOverlay *self)
{
  memset (self, 0, sizeof *self);
  self->material_opacity = 1.0;
  self->band_opacity = 0.7;
  for (int c = 0; c <= DL_CLASS_TOO_DENSE; c++)
    dl_overlay_class_colour (c, self->class_rgb[c]);
}

void
dl_overlay_clear (DlOverlay *self)
{
  g_clear_pointer (&self->colormap, dl_colormap_free);
  dl_overlay_init (self);
}

void
dl_overlay_class_colour (DlMaterialClass klass,
                         guint8         *rgb)
{
  static const guint8 colours[][3] = {
    [DL_CLASS_NONE] = { 255, 255, 255 },
    [DL_CLASS_ORGANIC] = { 255, 140, 0 },
    [DL_CLASS_INORGANIC] = { 40, 190, 60 },
    [DL_CLASS_METAL] = { 40, 110, 255 },
    [DL_CLASS_HEAVY] = { 40, 110, 255 },
    [DL_CLASS_TOO_DENSE] = { 170, 40, 200 },
  };

  memcpy (rgb, colours[klass <= DL_CLASS_TOO_DENSE ? klass : DL_CLASS_NONE], 3);
}

gboolean
dl_overlay_parse_rgb (const char *text,
                      guint8     *rgb)
{
  guint8 out[3];

  if (text == NULL || strlen (text) != 7 || text[0] != '#')
    return FALSE;
  for (int c = 0; c < 3; c++)
    {
      int hi = g_ascii_xdigit_value (text[1 + 2 * c]), lo = g_ascii_xdigit_value (text[2 + 2 * c]);

      if (hi < 0 || lo < 0)
        return FALSE;
      out[c] = (guint8) (hi * 16 + lo);
    }
  memcpy (rgb, out, 3);
  return TRUE;
}

char *
dl_overlay_format_rgb (const guint8 *rgb)
{
  return g_strdup_printf ("#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
}

static gboolean
parse_number (const char *text, double *out)
{
  char *end = NULL;

  *out = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*out);
}

/**
 * dl_overlay_parse:
 * @spec: "material", "material:organic", "material:inorganic",
 *   "band:A:B" (densities), "colormap:NAME" or "colormap:FILE"
 *
 * Adds one overlay as the command line describes it.
 */
gboolean
dl_overlay_parse (DlOverlay   *self,
                  const char  *spec,
                  GError     **error)
{
  static const guint8 band_colours[][3] = { { 255, 0, 0 }, { 255, 230, 0 }, { 0, 220, 255 }, { 255, 0, 200 } };
  g_auto(GStrv) parts = g_strsplit (spec, ":", 3);
  guint n = g_strv_length (parts);

  if (g_str_equal (parts[0], "material") && n <= 2)
    {
      self->material = TRUE;
      if (n == 2 && g_str_equal (parts[1], "organic"))
        self->strip = DL_STRIP_ORGANIC_ONLY;
      else if (n == 2 && g_str_equal (parts[1], "inorganic"))
        self->strip = DL_STRIP_INORGANIC_ONLY;
      else if (n == 2)
        goto bad;
      return TRUE;
    }
  if (g_str_equal (parts[0], "band") && n == 3 && self->n_bands < G_N_ELEMENTS (self->bands))
    {
      DlBand *b = &self->bands[self->n_bands];

      if (!parse_number (parts[1], &b->lo) || !parse_number (parts[2], &b->hi) || b->hi < b->lo)
        goto bad;
      memcpy (b->rgb, band_colours[self->n_bands % G_N_ELEMENTS (band_colours)], 3);
      self->n_bands++;
      return TRUE;
    }
  if (g_str_equal (parts[0], "colormap") && n >= 2)
    {
      g_autofree char *rest = g_strjoinv (":", parts + 1);
      DlColormap *map = dl_colormap_new_builtin (rest);

      if (map == NULL && !g_file_test (rest, G_FILE_TEST_EXISTS))
        {
          g_autofree char *known = g_strjoinv (", ", (char **) dl_colormap_builtin_names ());
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("Unknown colour map “%s” (known: %s, or a colour table file)"), rest, known);
          return FALSE;
        }
      if (map == NULL && (map = dl_colormap_load (rest, error)) == NULL)
        return FALSE;
      g_clear_pointer (&self->colormap, dl_colormap_free);
      self->colormap = map;
      return TRUE;
    }

bad:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("The overlay “%s” is not one of material[:organic|:inorganic], band:A:B (up to 8) or colormap:NAME"),
               spec);
  return FALSE;
}

guint8 *
dl_overlay_band_lut (const DlOverlay *self,
                     double           i0)
{
  guint8 *lut = g_new0 (guint8, DL_LUT_SIZE);

  for (guint v = 0; v < DL_LUT_SIZE; v++)
    {
      double d = dl_density (v, i0);
      for (guint b = 0; b < self->n_bands; b++)
        if (d >= self->bands[b].lo && d <= self->bands[b].hi)
          lut[v] = b + 1;
    }
  return lut;
}

/* under + (over − under) × alpha / 256, in integers (alpha 0 … 256). */
static inline guint8
blend (int under, int over, int alpha)
{
  return (guint8) (under + (((over - under) * alpha + (over >= under ? 128 : -128)) / 256));
}

static gboolean
stripped (DlStrip strip, guint8 klass)
{
  if (strip == DL_STRIP_ORGANIC_ONLY)
    return klass != DL_CLASS_ORGANIC;
  if (strip == DL_STRIP_INORGANIC_ONLY)
    return klass != DL_CLASS_INORGANIC && klass != DL_CLASS_METAL && klass != DL_CLASS_HEAVY;
  return FALSE;
}

void
dl_overlay_row (const DlOverlay *self,
                const guint8    *gray,
                const guint16   *values,
                const guint8    *classes,
                const guint8    *band_lut,
                guint8          *rgb,
                guint            n)
{
  int material_alpha = (int) round (self->material_opacity * 256);
  int band_alpha = (int) round (self->band_opacity * 256);
  const guint8 (*colours)[3] = self->class_rgb;
  gboolean material = self->material && classes;

  for (guint i = 0; i < n; i++)
    {
      guint8 *out = rgb + 3 * i;
      int g = gray[i];

      if (self->colormap)
        memcpy (out, self->colormap->rgb[g], 3);
      else
        out[0] = out[1] = out[2] = g;

      if (material)
        {
          guint8 k = classes[i];

          if (self->strip != DL_STRIP_NONE && stripped (self->strip, k))
            {
              out[0] = out[1] = out[2] = 255;
              continue;
            }
          if (k != DL_CLASS_NONE && k <= DL_CLASS_TOO_DENSE)
            {
              /* brightness follows the gray, between a floor and a
               * ceiling: dense metal behind cargo keeps its blue */
              int l = DL_OVERLAY_LIGHTNESS_FLOOR
                      + (g * (DL_OVERLAY_LIGHTNESS_CEILING - DL_OVERLAY_LIGHTNESS_FLOOR) + 127) / 255;
              for (int c = 0; c < 3; c++)
                out[c] = blend (out[c], (colours[k][c] * l + 127) / 255, material_alpha);
            }
        }

      if (band_lut && band_lut[values[i]])
        {
          const DlBand *b = &self->bands[band_lut[values[i]] - 1];
          for (int c = 0; c < 3; c++)
            out[c] = blend (out[c], b->rgb[c], band_alpha);
        }
    }
}

/**
 * dl_overlay_build_table:
 *
 * The final 0xAARRGGBB of every combination the overlay can meet: entry
 * ((band × DL_OVERLAY_CLASSES) + class) × 256 + gray, band 0 meaning none
 * (band_lut's value).  Everything the overlay does depends only on these
 * three, so a frame needs one lookup a pixel.
 */
guint32 *
dl_overlay_build_table (const DlOverlay *self)
{
  guint32 *table = g_new (guint32, (gsize) (self->n_bands + 1) * DL_OVERLAY_CLASSES * 256);
  guint8 gray[256], rgb[3], classes[256];
  guint16 values[256];

  for (int g = 0; g < 256; g++)
    gray[g] = g;

  for (guint b = 0; b <= self->n_bands; b++)
    for (guint k = 0; k < DL_OVERLAY_CLASSES; k++)
      for (int g = 0; g < 256; g++)
        {
          /* one pixel through dl_overlay_row, with a band LUT that says b */
          guint8 band_lut_entry = b;
          values[0] = 0;
          classes[0] = k;
          dl_overlay_row (self, &gray[g], values, self->material ? classes : NULL,
                          b ? &band_lut_entry : NULL, rgb, 1);
          table[((gsize) b * DL_OVERLAY_CLASSES + k) * 256 + g] =
            0xff000000u | (guint32) rgb[0] << 16 | (guint32) rgb[1] << 8 | rgb[2];
        }
  return table;
}
