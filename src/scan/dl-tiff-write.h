/* dl-tiff-write.h — writing multi-page 16/8-bit TIFFs, atomically.
 *
 * A writer collects pages (one gray channel each, unsigned 8 or 16 bits)
 * into a temporary file beside @path; dl_tiff_writer_close () flushes,
 * syncs and renames it over @path, so readers see either the old file or
 * the complete new one.  Freeing a writer that was not closed deletes the
 * temporary file.  Nothing variable (no date, no host) is written: the same
 * pages give the same bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-scan.h"

G_BEGIN_DECLS

typedef enum
{
  DL_TIFF_COMPRESSION_DEFLATE,  /* Adobe Deflate (zlib), the default */
  DL_TIFF_COMPRESSION_LZW,
  DL_TIFF_COMPRESSION_NONE,
} DlTiffCompression;

typedef struct _DlTiffWriter DlTiffWriter;

DlTiffWriter *dl_tiff_writer_new             (const char         *path,
                                              GError            **error);
/* For the pages added after the call: the compression, and whether
 * horizontal differencing (Predictor 2) is applied first.  Default:
 * Deflate with the predictor. */
void          dl_tiff_writer_set_compression (DlTiffWriter       *self,
                                              DlTiffCompression   compression,
                                              gboolean            predictor);
/* One page of @width × @height samples of @bits (8 or 16) bits, rows
 * packed.  @page_name and @description may be NULL; @pitch_mm > 0 writes
 * the resolution in pixels per centimetre. */
gboolean      dl_tiff_writer_add_page        (DlTiffWriter       *self,
                                              const void         *data,
                                              guint               bits,
                                              guint               width,
                                              guint               height,
                                              const char         *page_name,
                                              const char         *description,
                                              double              pitch_mm,
                                              GError            **error);
gboolean      dl_tiff_writer_add_page_u16    (DlTiffWriter       *self,
                                              const guint16      *data,
                                              guint               width,
                                              guint               height,
                                              const char         *page_name,
                                              const char         *description,
                                              double              pitch_mm,
                                              GError            **error);
gboolean      dl_tiff_writer_add_page_u8     (DlTiffWriter       *self,
                                              const guint8       *data,
                                              guint               width,
                                              guint               height,
                                              const char         *page_name,
                                              const char         *description,
                                              double              pitch_mm,
                                              GError            **error);
gboolean      dl_tiff_writer_close           (DlTiffWriter       *self,
                                              GError            **error);
void          dl_tiff_writer_free            (DlTiffWriter       *self);

/* Every plane of @scan, one page each, named "view=N;channel=NAME"; the
 * scan's "description" metadata becomes the first page's ImageDescription. */
gboolean      dl_tiff_write_scan             (DlScan             *scan,
                                              const char         *path,
                                              GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlTiffWriter, dl_tiff_writer_free)

G_END_DECLS
