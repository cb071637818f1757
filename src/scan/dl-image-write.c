/* dl-image-write.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-image-write"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <png.h>
#include <stdio.h>
#include <unistd.h>

#include "dl-image-write.h"

typedef enum { FORMAT_PGM, FORMAT_PPM, FORMAT_PNG } Format;

static gboolean
format_for_path (const char  *path,
                 Format      *format,
                 GError     **error)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".pgm"))
    *format = FORMAT_PGM;
  else if (g_str_has_suffix (lower, ".ppm"))
    *format = FORMAT_PPM;
  else if (g_str_has_suffix (lower, ".png"))
    *format = FORMAT_PNG;
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Cannot tell the output format of “%s”: use a .png, .pgm or .ppm name"), path);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  char message[256];
} PngError;

static void
png_error_cb (png_structp png, png_const_charp message)
{
  PngError *err = png_get_error_ptr (png);

  g_strlcpy (err->message, message, sizeof err->message);
  png_longjmp (png, 1);
}

static void
png_warning_cb (png_structp png, png_const_charp message)
{
}

/* Fills @row with image row @y, or fails (the image is then not written). */
typedef gboolean (*RowFunc) (guint y, guint8 *row, gpointer data, GError **error);

static gboolean
write_png (FILE        *fp,
           guint        width,
           guint        height,
           gboolean     colour,
           RowFunc      fill,
           gpointer     data,
           guint8      *row,
           GError     **error)
{
  PngError err = { "" };
  png_structp png;
  png_infop info;

  png = png_create_write_struct (PNG_LIBPNG_VER_STRING, &err, png_error_cb, png_warning_cb);
  info = png ? png_create_info_struct (png) : NULL;
  if (info == NULL)
    {
      png_destroy_write_struct (&png, NULL);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not start the PNG encoder"));
      return FALSE;
    }

  if (setjmp (png_jmpbuf (png)))
    {
      png_destroy_write_struct (&png, &info);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("PNG encoder: %s"), err.message);
      return FALSE;
    }

  png_init_io (png, fp);
  png_set_compression_level (png, 1);
  png_set_IHDR (png, info, width, height, 8, colour ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY,
                PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info (png, info);

  for (guint y = 0; y < height; y++)
    {
      if (!fill (y, row, data, error))
        {
          png_destroy_write_struct (&png, &info);
          return FALSE;
        }
      png_write_row (png, row);
    }

  png_write_end (png, info);
  png_destroy_write_struct (&png, &info);
  return TRUE;
}

static gboolean
set_write_error (const char  *path,
                 GError     **error)
{
  int saved = errno;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               _("Could not write “%s”: %s"), path, g_strerror (saved));
  return FALSE;
}

/* Binary PGM (gray) or PPM (colour). */
static gboolean
write_pnm (FILE        *fp,
           const char  *path,
           guint        width,
           guint        height,
           gboolean     colour,
           RowFunc      fill,
           gpointer     data,
           guint8      *row,
           GError     **error)
{
  gsize row_bytes = (gsize) width * (colour ? 3 : 1);

  if (fprintf (fp, "%s\n%u %u\n255\n", colour ? "P6" : "P5", width, height) < 0)
    return set_write_error (path, error);
  for (guint y = 0; y < height; y++)
    {
      if (!fill (y, row, data, error))
        return FALSE;
      if (fwrite (row, 1, row_bytes, fp) != row_bytes)
        return set_write_error (path, error);
    }
  return TRUE;
}

static gboolean
finish_file (FILE        *fp,
             const char  *tmp_path,
             const char  *path,
             GError     **error)
{
  int saved;

  if (fflush (fp) != 0 || fsync (fileno (fp)) != 0)
    goto fail;
  if (fclose (fp) != 0)
    {
      fp = NULL;
      goto fail;
    }
  if (g_rename (tmp_path, path) != 0)
    {
      fp = NULL;
      goto fail;
    }
  return TRUE;

fail:
  saved = errno;
  if (fp)
    fclose (fp);
  g_unlink (tmp_path);
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               _("Could not write “%s”: %s"), path, g_strerror (saved));
  return FALSE;
}

typedef struct
{
  const DlPlane *plane;
  const guint8  *lut;
} GrayRows;

static gboolean
fill_gray (guint y, guint8 *row, gpointer data, GError **error)
{
  const GrayRows *g = data;
  const guint16 *src = g->plane->data + (gsize) y * g->plane->width;

  for (guint x = 0; x < g->plane->width; x++)
    row[x] = g->lut[src[x]];
  return TRUE;
}

/* Writes rows from @fill into a temporary file renamed over @path when
 * complete.  PGM takes gray only; PPM colour only; PNG either. */
static gboolean
write_image (const char  *path,
             guint        width,
             guint        height,
             gboolean     colour,
             RowFunc      fill,
             gpointer     data,
             GError     **error)
{
  g_autofree guint8 *row = NULL;
  g_autofree char *tmp_path = NULL;
  gboolean ok;
  Format format;
  FILE *fp;
  int fd;

  if (!format_for_path (path, &format, error))
    return FALSE;
  if ((format == FORMAT_PGM && colour) || (format == FORMAT_PPM && !colour))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   colour ? _("A colour image cannot be written as PGM: use .ppm or .png")
                          : _("A gray image is written as .pgm or .png, not .ppm"));
      return FALSE;
    }

  tmp_path = g_strdup_printf ("%s.XXXXXX", path);
  fd = g_mkstemp_full (tmp_path, O_WRONLY, 0644);
  if (fd < 0 || (fp = fdopen (fd, "wb")) == NULL)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }

  row = g_malloc ((gsize) width * 3);
  if (format == FORMAT_PNG)
    ok = write_png (fp, width, height, colour, fill, data, row, error);
  else
    ok = write_pnm (fp, path, width, height, colour, fill, data, row, error);

  if (!ok)
    {
      fclose (fp);
      g_unlink (tmp_path);
      return FALSE;
    }
  return finish_file (fp, tmp_path, path, error);
}

static gboolean
check_windowing (const DlWindowing  *windowing,
                 GError            **error)
{
  if (dl_windowing_is_valid (windowing))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("The window is not valid: width and gamma must be positive"));
  return FALSE;
}

gboolean
dl_image_write_windowed (const DlPlane     *plane,
                         const DlWindowing *windowing,
                         const char        *path,
                         GError           **error)
{
  g_autofree guint8 *lut = NULL;
  GrayRows rows;

  if (!check_windowing (windowing, error))
    return FALSE;

  lut = g_malloc (DL_LUT_SIZE);
  dl_windowing_fill_lut (windowing, lut);
  rows.plane = plane;
  rows.lut = lut;
  return write_image (path, plane->width, plane->height, FALSE, fill_gray, &rows, error);
}

typedef struct
{
  DlImageBandFunc  next_band;
  gpointer         source;
  const guint8    *lut;
  guint            width;
  const guint16   *band;
  guint            n_rows;   /* in the band */
  guint            row;      /* the next row of the band */
} BandRows;

static gboolean
fill_gray_band (guint y, guint8 *row, gpointer data, GError **error)
{
  BandRows *b = data;
  const guint16 *src;

  if (b->row == b->n_rows)
    {
      b->row = 0;
      if (!b->next_band (b->source, &b->band, &b->n_rows, error))
        {
          if (error && *error == NULL)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         _("The scan ended after %u rows"), y);
          return FALSE;
        }
    }
  src = b->band + (gsize) b->row++ * b->width;
  for (guint x = 0; x < b->width; x++)
    row[x] = b->lut[src[x]];
  return TRUE;
}

/**
 * dl_image_write_windowed_bands:
 * @next_band: gives the rows from the top, a band at a time
 *
 * dl_image_write_windowed () for a plane that is never whole in memory:
 * the same bytes, from the same samples.  A band that cannot be had fails
 * the image with @next_band's error, and nothing is written.
 */
gboolean
dl_image_write_windowed_bands (guint              width,
                               guint              height,
                               DlImageBandFunc    next_band,
                               gpointer           source,
                               const DlWindowing *windowing,
                               const char        *path,
                               GError           **error)
{
  g_autofree guint8 *lut = NULL;
  BandRows rows = { next_band, source, NULL, width };

  if (!check_windowing (windowing, error))
    return FALSE;

  lut = g_malloc (DL_LUT_SIZE);
  dl_windowing_fill_lut (windowing, lut);
  rows.lut = lut;
  return write_image (path, width, height, FALSE, fill_gray_band, &rows, error);
}

/* Checks what dl_image_write_windowed () would refuse before writing:
 * the window, and a name whose format is not gray. */
gboolean
dl_image_write_windowed_check (const DlWindowing  *windowing,
                               const char         *path,
                               GError            **error)
{
  Format format;

  if (!check_windowing (windowing, error) || !format_for_path (path, &format, error))
    return FALSE;
  if (format == FORMAT_PPM)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("A gray image is written as .pgm or .png, not .ppm"));
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  DlImageRowFunc fill;
  gpointer       data;
} RgbRows;

static gboolean
fill_rgb (guint y, guint8 *row, gpointer data, GError **error)
{
  RgbRows *r = data;

  r->fill (y, row, r->data);
  return TRUE;
}

gboolean
dl_image_write_rgb (const char      *path,
                    guint            width,
                    guint            height,
                    DlImageRowFunc   fill,
                    gpointer         data,
                    GError         **error)
{
  RgbRows rows = { fill, data };

  return write_image (path, width, height, TRUE, fill_rgb, &rows, error);
}
