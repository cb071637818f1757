/* dl-tiff-write.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <tiffio.h>
#include <unistd.h>

#include "dl-tiff-write.h"

struct _DlTiffWriter
{
  char *path;
  char *tmp_path;
  TIFF *tif;
};

DlTiffWriter *
dl_tiff_writer_new (const char  *path,
                    GError     **error)
{
  g_autoptr(DlTiffWriter) self = g_new0 (DlTiffWriter, 1);
  int fd;

  self->path = g_strdup (path);
  self->tmp_path = g_strdup_printf ("%s.XXXXXX", path);
  fd = g_mkstemp_full (self->tmp_path, O_RDWR, 0644);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create “%s”: %s"), path, g_strerror (saved));
      g_clear_pointer (&self->tmp_path, g_free);
      return NULL;
    }
  close (fd);

  self->tif = TIFFOpen (self->tmp_path, "w");
  if (self->tif == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not start writing “%s”"), path);
      return NULL;
    }
  return g_steal_pointer (&self);
}

gboolean
dl_tiff_writer_add_page (DlTiffWriter  *self,
                         const void    *data,
                         guint          bits,
                         guint          width,
                         guint          height,
                         const char    *page_name,
                         const char    *description,
                         double         pitch_mm,
                         GError       **error)
{
  const guint rps = 16;
  gsize row_bytes = (gsize) width * (bits / 8);

  g_return_val_if_fail (bits == 8 || bits == 16, FALSE);

  TIFFSetField (self->tif, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
  TIFFSetField (self->tif, TIFFTAG_IMAGEWIDTH, width);
  TIFFSetField (self->tif, TIFFTAG_IMAGELENGTH, height);
  TIFFSetField (self->tif, TIFFTAG_BITSPERSAMPLE, bits);
  TIFFSetField (self->tif, TIFFTAG_SAMPLESPERPIXEL, 1);
  TIFFSetField (self->tif, TIFFTAG_SAMPLEFORMAT, SAMPLEFORMAT_UINT);
  TIFFSetField (self->tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
  TIFFSetField (self->tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField (self->tif, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
  TIFFSetField (self->tif, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL);
  TIFFSetField (self->tif, TIFFTAG_ROWSPERSTRIP, rps);
  TIFFSetField (self->tif, TIFFTAG_SOFTWARE, "Doorlicht");
  if (page_name)
    TIFFSetField (self->tif, TIFFTAG_PAGENAME, page_name);
  if (description)
    TIFFSetField (self->tif, TIFFTAG_IMAGEDESCRIPTION, description);
  if (pitch_mm > 0)
    {
      TIFFSetField (self->tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_CENTIMETER);
      TIFFSetField (self->tif, TIFFTAG_XRESOLUTION, (float) (10.0 / pitch_mm));
      TIFFSetField (self->tif, TIFFTAG_YRESOLUTION, (float) (10.0 / pitch_mm));
    }

  for (guint y = 0; y < height; y += rps)
    {
      guint rows = MIN (rps, height - y);
      if (TIFFWriteEncodedStrip (self->tif, y / rps, (guint8 *) data + y * row_bytes,
                                 (tmsize_t) (rows * row_bytes)) < 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write “%s”"), self->path);
          return FALSE;
        }
    }

  if (!TIFFWriteDirectory (self->tif))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write “%s”"), self->path);
      return FALSE;
    }
  return TRUE;
}

/* Flushes, syncs and renames the file into place. */
gboolean
dl_tiff_writer_close (DlTiffWriter  *self,
                      GError       **error)
{
  int fd;

  TIFFClose (self->tif);
  self->tif = NULL;

  fd = g_open (self->tmp_path, O_RDONLY, 0);
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
  if (g_rename (self->tmp_path, self->path) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write “%s”: %s"), self->path, g_strerror (saved));
      return FALSE;
    }
  g_clear_pointer (&self->tmp_path, g_free);
  return TRUE;
}

void
dl_tiff_writer_free (DlTiffWriter *self)
{
  if (self->tif)
    TIFFClose (self->tif);
  if (self->tmp_path)
    g_unlink (self->tmp_path);
  g_free (self->tmp_path);
  g_free (self->path);
  g_free (self);
}

gboolean
dl_tiff_write_scan (DlScan      *scan,
                    const char  *path,
                    GError     **error)
{
  g_autoptr(DlTiffWriter) writer = dl_tiff_writer_new (path, error);
  double pitch = 0;

  if (writer == NULL)
    return FALSE;
  dl_scan_get_pixel_pitch (scan, &pitch, NULL);

  for (guint i = 0; i < dl_scan_get_n_planes (scan); i++)
    {
      const DlPlane *p = dl_scan_get_plane_at (scan, i);
      g_autofree char *name = g_strdup_printf ("view=%u;channel=%s", p->view, p->name);

      if (!dl_tiff_writer_add_page (writer, p->data, 16, p->width, p->height, name,
                                    i == 0 ? dl_scan_get_metadata (scan, "description") : NULL,
                                    pitch, error))
        return FALSE;
    }
  return dl_tiff_writer_close (writer, error);
}
