/* tiff-fixture.h — small TIFFs written by tests, with known pixels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <tiffio.h>

/* Value of the test pattern at (x, y) for channel c. */
static inline guint16
fixture_value (guint x, guint y, guint c)
{
  return (guint16) (1000 + x * 97 + y * 151 + c * 5000) % 60000;
}

/* Writes a 16-bit minisblack TIFF of @n_pages pages (the channels) with
 * fixture_value () pixels; returns FALSE on failure. */
static inline gboolean
fixture_write_tiff (const char *path,
                    guint       width,
                    guint       height,
                    guint       n_pages)
{
  TIFF *tif = TIFFOpen (path, "w");
  g_autofree guint16 *row = g_new (guint16, width);

  if (tif == NULL)
    return FALSE;

  for (guint c = 0; c < n_pages; c++)
    {
      TIFFSetField (tif, TIFFTAG_IMAGEWIDTH, width);
      TIFFSetField (tif, TIFFTAG_IMAGELENGTH, height);
      TIFFSetField (tif, TIFFTAG_BITSPERSAMPLE, 16);
      TIFFSetField (tif, TIFFTAG_SAMPLESPERPIXEL, 1);
      TIFFSetField (tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
      TIFFSetField (tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
      TIFFSetField (tif, TIFFTAG_ROWSPERSTRIP, 16);
      TIFFSetField (tif, TIFFTAG_COMPRESSION, COMPRESSION_LZW);
      TIFFSetField (tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_CENTIMETER);
      TIFFSetField (tif, TIFFTAG_XRESOLUTION, 2.0);
      TIFFSetField (tif, TIFFTAG_YRESOLUTION, 2.0);
      if (n_pages > 1)
        TIFFSetField (tif, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
      for (guint y = 0; y < height; y++)
        {
          for (guint x = 0; x < width; x++)
            row[x] = fixture_value (x, y, c);
          if (TIFFWriteScanline (tif, row, y, 0) < 0)
            {
              TIFFClose (tif);
              return FALSE;
            }
        }
      TIFFWriteDirectory (tif);
    }
  TIFFClose (tif);
  return TRUE;
}
