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

typedef void (*RowFunc) (guint y, guint8 *row, gpointer data);

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
      fill (y, row, data);
      png_write_row (png, row);
    }

  png_write_end (png, info);
  png_destroy_write_struct (&png, &info);
  return TRUE;
}

/* Binary PGM (gray) or PPM (colour). */
static gboolean
write_pnm (FILE     *fp,
           guint     width,
           guint     height,
           gboolean  colour,
           RowFunc   fill,
           gpointer  data,
           guint8   *row)
{
  gsize row_bytes = (gsize) width * (colour ? 3 : 1);

  if (fprintf (fp, "%s\n%u %u\n255\n", colour ? "P6" : "P5", width, height) < 0)
    return FALSE;
  for (guint y = 0; y < height; y++)
    {
      fill (y, row, data);
      if (fwrite (row, 1, row_bytes, fp) != row_bytes)
        return FALSE;
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

static void
fill_gray (guint y, guint8 *row, gpointer data)
{
  const GrayRows *g = data;
  const guint16 *src = g->plane->data + (gsize) y * g->plane->width;

  for (guint x = 0; x < g->plane->width; x++)
    row[x] = g->lut[src[x]];
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
  else if (!(ok = write_pnm (fp, width, height, colour, fill, data, row)))
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write “%s”: %s"), path, g_strerror (saved));
    }

  if (!ok)
    {
      fclose (fp);
      g_unlink (tmp_path);
      return FALSE;
    }
  return finish_file (fp, tmp_path, path, error);
}

gboolean
dl_image_write_windowed (const DlPlane     *plane,
                         const DlWindowing *windowing,
                         const char        *path,
                         GError           **error)
{
  g_autofree guint8 *lut = NULL;
  GrayRows rows;

  if (!dl_windowing_is_valid (windowing))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The window is not valid: width and gamma must be positive"));
      return FALSE;
    }

  lut = g_malloc (DL_LUT_SIZE);
  dl_windowing_fill_lut (windowing, lut);
  rows.plane = plane;
  rows.lut = lut;
  return write_image (path, plane->width, plane->height, FALSE, fill_gray, &rows, error);
}

gboolean
dl_image_write_rgb (const char      *path,
                    guint            width,
                    guint            height,
                    DlImageRowFunc   fill,
                    gpointer         data,
                    GError         **error)
{
  return write_image (path, width, height, TRUE, (RowFunc) fill, data, error);
}
