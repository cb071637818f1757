/* dl-image-write.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <png.h>
#include <stdio.h>
#include <unistd.h>

#include "dl-image-write.h"

typedef enum { FORMAT_PGM, FORMAT_PNG } Format;

static gboolean
format_for_path (const char  *path,
                 Format      *format,
                 GError     **error)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".pgm"))
    *format = FORMAT_PGM;
  else if (g_str_has_suffix (lower, ".png"))
    *format = FORMAT_PNG;
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Cannot tell the output format of “%s”: use a .png or .pgm name"), path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_pgm (FILE          *fp,
           const DlPlane *plane,
           const guint8  *lut,
           guint8        *row)
{
  if (fprintf (fp, "P5\n%u %u\n255\n", plane->width, plane->height) < 0)
    return FALSE;

  for (guint y = 0; y < plane->height; y++)
    {
      const guint16 *src = plane->data + (gsize) y * plane->width;

      for (guint x = 0; x < plane->width; x++)
        row[x] = lut[src[x]];
      if (fwrite (row, 1, plane->width, fp) != plane->width)
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

static gboolean
write_png (FILE          *fp,
           const DlPlane *plane,
           const guint8  *lut,
           guint8        *row,
           GError       **error)
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
  png_set_IHDR (png, info, plane->width, plane->height, 8, PNG_COLOR_TYPE_GRAY,
                PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info (png, info);

  for (guint y = 0; y < plane->height; y++)
    {
      const guint16 *src = plane->data + (gsize) y * plane->width;

      for (guint x = 0; x < plane->width; x++)
        row[x] = lut[src[x]];
      png_write_row (png, row);
    }

  png_write_end (png, info);
  png_destroy_write_struct (&png, &info);
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

gboolean
dl_image_write_windowed (const DlPlane     *plane,
                         const DlWindowing *windowing,
                         const char        *path,
                         GError           **error)
{
  g_autofree guint8 *lut = NULL;
  g_autofree guint8 *row = NULL;
  g_autofree char *tmp_path = NULL;
  Format format;
  FILE *fp;
  int fd;

  if (!format_for_path (path, &format, error))
    return FALSE;

  if (!dl_windowing_is_valid (windowing))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The window is not valid: width and gamma must be positive"));
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

  lut = g_malloc (DL_LUT_SIZE);
  row = g_malloc (plane->width);
  dl_windowing_fill_lut (windowing, lut);

  if (format == FORMAT_PNG)
    {
      if (!write_png (fp, plane, lut, row, error))
        {
          fclose (fp);
          g_unlink (tmp_path);
          return FALSE;
        }
    }
  else if (!write_pgm (fp, plane, lut, row))
    {
      int saved = errno;
      fclose (fp);
      g_unlink (tmp_path);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }

  return finish_file (fp, tmp_path, path, error);
}
