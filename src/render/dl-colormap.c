/* dl-colormap.c
 *
 * viridis and turbo are evaluated from published polynomial fits of the
 * original tables (viridis: S. van der Walt and N. Smith's map for
 * matplotlib, fit by Matt Zucker; turbo: A. Mikhailov, Google, 2019, with
 * his polynomial approximation), which stay within a few 1/255 of the
 * tables.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-colormap"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>

#include "dl-colormap.h"
#include "dl-regular-file.h"

static const char * const names[] = { "gray", "viridis", "turbo", NULL };

const char * const *
dl_colormap_builtin_names (void)
{
  return names;
}

static double
poly (const double *c, int n, double t)
{
  double v = c[n - 1];

  for (int i = n - 2; i >= 0; i--)
    v = v * t + c[i];
  return CLAMP (v, 0.0, 1.0);
}

void
dl_colormap_eval (const char *name,
                  double      t,
                  double     *r,
                  double     *g,
                  double     *b)
{
  static const double vr[] = { 0.2777273272234177, 0.1050930431085774, -0.3308618287255563,
                               -4.634230498983486, 6.228269936347081, 4.776384997670288, -5.435455855934631 };
  static const double vg[] = { 0.005407344544966578, 1.404613529898575, 0.214847559468213,
                               -5.799100973351585, 14.17993336680509, -13.74514537774601, 4.645852612178535 };
  static const double vb[] = { 0.3340998053353061, 1.384590162594685, 0.09509516302823659,
                               -19.33244095627987, 56.69055260068105, -65.35303263337234, 26.3124352495832 };
  static const double tr[] = { 0.13572138, 4.61539260, -42.66032258, 132.13108234, -152.94239396, 59.28637943 };
  static const double tg[] = { 0.09140261, 2.19418839, 4.84296658, -14.18503333, 4.27729857, 2.82956604 };
  static const double tb[] = { 0.10667330, 12.64194608, -60.58204836, 110.36276771, -89.90310912, 27.34824973 };

  t = CLAMP (t, 0.0, 1.0);
  if (g_strcmp0 (name, "viridis") == 0)
    {
      *r = poly (vr, 7, t); *g = poly (vg, 7, t); *b = poly (vb, 7, t);
    }
  else if (g_strcmp0 (name, "turbo") == 0)
    {
      *r = poly (tr, 6, t); *g = poly (tg, 6, t); *b = poly (tb, 6, t);
    }
  else
    *r = *g = *b = t;
}

DlColormap *
dl_colormap_new_builtin (const char *name)
{
  DlColormap *self;

  if (!g_strv_contains (names, name))
    return NULL;

  self = g_new0 (DlColormap, 1);
  self->name = g_strdup (name);
  for (int i = 0; i < 256; i++)
    {
      double r, g, b;
      dl_colormap_eval (name, i / 255.0, &r, &g, &b);
      self->rgb[i][0] = (guint8) round (r * 255);
      self->rgb[i][1] = (guint8) round (g * 255);
      self->rgb[i][2] = (guint8) round (b * 255);
    }
  return self;
}

static gboolean
parse_line (const char *line,
            int         rgb[3])
{
  char extra;

  return sscanf (line, "%d %d %d %c", &rgb[0], &rgb[1], &rgb[2], &extra) == 3
         && rgb[0] >= 0 && rgb[0] <= 255 && rgb[1] >= 0 && rgb[1] <= 255 && rgb[2] >= 0 && rgb[2] <= 255;
}

DlColormap *
dl_colormap_load (const char  *path,
                  GError     **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autofree char *text = NULL;
  g_autofree char *display = g_filename_display_basename (path);
  g_auto(GStrv) lines = NULL;
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (int) * 3);
  DlColormap *self;
  gsize length;

  /* a named pipe or a device is refused before a read that would wait on it, a
   * file too long for a colour table before it is read */
  file = dl_map_regular_file (path, 64 * 1024, error);
  if (file == NULL)
    return NULL;
  length = g_mapped_file_get_length (file);
  text = g_strndup (length ? g_mapped_file_get_contents (file) : "", length);
  if (length > 64 * 1024 || !g_utf8_validate (text, length, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is not a colour table (a text file of “R G B” lines)"), display);
      return NULL;
    }

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      char *line = g_strstrip (lines[i]);
      int rgb[3];

      if (line[0] == '\0' || line[0] == '#')
        continue;
      if (!parse_line (line, rgb))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("“%s”, line %u: expected three numbers from 0 to 255, found “%s”"),
                       display, i + 1, line);
          return NULL;
        }
      g_array_append_val (entries, rgb);
    }
  if (entries->len < 2 || entries->len > 256)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” has %u colours; a colour table has 2 to 256"), display, entries->len);
      return NULL;
    }

  self = g_new0 (DlColormap, 1);
  self->name = g_path_get_basename (path);
  for (int i = 0; i < 256; i++)
    {
      double pos = i / 255.0 * (entries->len - 1);
      guint k = MIN ((guint) floor (pos), entries->len - 2);
      double f = pos - k;
      const int *a = &g_array_index (entries, int, 3 * k);
      const int *b = &g_array_index (entries, int, 3 * (k + 1));

      for (int c = 0; c < 3; c++)
        self->rgb[i][c] = (guint8) round (a[c] + f * (b[c] - a[c]));
    }
  return self;
}

void
dl_colormap_free (DlColormap *self)
{
  g_free (self->name);
  g_free (self);
}
