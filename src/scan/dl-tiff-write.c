/* dl-tiff-write.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-tiff-write"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <tiffio.h>
#include <unistd.h>

#include "dl-tiff-write.h"

/* Strips of 16 rows: 80 kB for a 40 ft scan row of 16-bit samples, small
 * enough to decode a region without the whole page, large enough for
 * Deflate to do well. */
#define ROWS_PER_STRIP 16

struct _DlTiffWriter
{
  char              *path;
  char              *tmp_path;
  TIFF              *tif;
  DlTiffCompression  compression;
  gboolean           predictor;
};

static gboolean
write_failed (DlTiffWriter  *self,
              GError       **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write “%s”"), self->path);
  return FALSE;
}

DlTiffWriter *
dl_tiff_writer_new (const char  *path,
                    GError     **error)
{
  g_autoptr(DlTiffWriter) self = g_new0 (DlTiffWriter, 1);
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  self->path = g_strdup (path);
  self->tmp_path = g_strdup_printf ("%s.XXXXXX", path);
  self->compression = DL_TIFF_COMPRESSION_DEFLATE;
  self->predictor = TRUE;
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

void
dl_tiff_writer_set_compression (DlTiffWriter      *self,
                                DlTiffCompression  compression,
                                gboolean           predictor)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (compression <= DL_TIFF_COMPRESSION_NONE);

  self->compression = compression;
  self->predictor = predictor;
}

static void
set_compression (DlTiffWriter *self)
{
  static const guint16 codes[] = {
    [DL_TIFF_COMPRESSION_DEFLATE] = COMPRESSION_ADOBE_DEFLATE,
    [DL_TIFF_COMPRESSION_LZW] = COMPRESSION_LZW,
    [DL_TIFF_COMPRESSION_NONE] = COMPRESSION_NONE,
  };

  TIFFSetField (self->tif, TIFFTAG_COMPRESSION, codes[self->compression]);
  /* the predictor tag belongs to LZW and Deflate only */
  if (self->compression != DL_TIFF_COMPRESSION_NONE)
    TIFFSetField (self->tif, TIFFTAG_PREDICTOR,
                  self->predictor ? PREDICTOR_HORIZONTAL : PREDICTOR_NONE);
}

static void
set_tags (DlTiffWriter *self,
          guint         bits,
          guint         width,
          guint         height,
          const char   *page_name,
          const char   *description,
          double        pitch_mm)
{
  TIFFSetField (self->tif, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
  TIFFSetField (self->tif, TIFFTAG_IMAGEWIDTH, width);
  TIFFSetField (self->tif, TIFFTAG_IMAGELENGTH, height);
  TIFFSetField (self->tif, TIFFTAG_BITSPERSAMPLE, bits);
  TIFFSetField (self->tif, TIFFTAG_SAMPLESPERPIXEL, 1);
  TIFFSetField (self->tif, TIFFTAG_SAMPLEFORMAT, SAMPLEFORMAT_UINT);
  TIFFSetField (self->tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
  TIFFSetField (self->tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  set_compression (self);
  TIFFSetField (self->tif, TIFFTAG_ROWSPERSTRIP, ROWS_PER_STRIP);
  /* a fixed name and no DateTime tag: the same pages give the same bytes */
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
  gsize row_bytes = (gsize) width * (bits / 8);

  g_return_val_if_fail (self != NULL && self->tif != NULL, FALSE);
  g_return_val_if_fail (bits == 8 || bits == 16, FALSE);
  g_return_val_if_fail (data != NULL && width > 0 && height > 0, FALSE);

  set_tags (self, bits, width, height, page_name, description, pitch_mm);
  for (guint y = 0; y < height; y += ROWS_PER_STRIP)
    {
      guint rows = MIN (ROWS_PER_STRIP, height - y);
      if (TIFFWriteEncodedStrip (self->tif, y / ROWS_PER_STRIP, (guint8 *) data + y * row_bytes,
                                 (tmsize_t) (rows * row_bytes)) < 0)
        return write_failed (self, error);
    }

  if (!TIFFWriteDirectory (self->tif))
    return write_failed (self, error);
  return TRUE;
}

gboolean
dl_tiff_writer_add_page_u16 (DlTiffWriter  *self,
                             const guint16 *data,
                             guint          width,
                             guint          height,
                             const char    *page_name,
                             const char    *description,
                             double         pitch_mm,
                             GError       **error)
{
  return dl_tiff_writer_add_page (self, data, 16, width, height, page_name, description,
                                  pitch_mm, error);
}

gboolean
dl_tiff_writer_add_page_u8 (DlTiffWriter  *self,
                            const guint8  *data,
                            guint          width,
                            guint          height,
                            const char    *page_name,
                            const char    *description,
                            double         pitch_mm,
                            GError       **error)
{
  return dl_tiff_writer_add_page (self, data, 8, width, height, page_name, description,
                                  pitch_mm, error);
}

/* Flushes, syncs and renames the file into place.  The writer is still
 * to be freed; on failure the temporary file goes with it. */
gboolean
dl_tiff_writer_close (DlTiffWriter  *self,
                      GError       **error)
{
  gboolean flushed;
  int fd;

  g_return_val_if_fail (self != NULL && self->tif != NULL, FALSE);

  flushed = TIFFFlush (self->tif) == 1;
  TIFFClose (self->tif);
  self->tif = NULL;
  if (!flushed)
    return write_failed (self, error);

  fd = g_open (self->tmp_path, O_RDONLY, 0);
  if (fd < 0 || fsync (fd) != 0)
    {
      int saved = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write “%s”: %s"), self->path, g_strerror (saved));
      return FALSE;
    }
  close (fd);

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
  if (self == NULL)
    return;
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
  g_autoptr(DlTiffWriter) writer = NULL;
  double pitch = 0;

  g_return_val_if_fail (DL_IS_SCAN (scan), FALSE);

  writer = dl_tiff_writer_new (path, error);
  if (writer == NULL)
    return FALSE;
  if (!dl_scan_get_pixel_pitch (scan, &pitch, NULL))
    pitch = 0;

  for (guint i = 0; i < dl_scan_get_n_planes (scan); i++)
    {
      const DlPlane *p = dl_scan_get_plane_at (scan, i);
      g_autofree char *name = g_strdup_printf ("view=%u;channel=%s", p->view, p->name);

      if (!dl_tiff_writer_add_page_u16 (writer, p->data, p->width, p->height, name,
                                        i == 0 ? dl_scan_get_metadata (scan, "description") : NULL,
                                        pitch, error))
        return FALSE;
    }
  return dl_tiff_writer_close (writer, error);
}
