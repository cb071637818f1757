/* dl-tiff-write.h — writing multi-page 16/8-bit TIFFs, atomically.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-scan.h"

G_BEGIN_DECLS

typedef struct _DlTiffWriter DlTiffWriter;

/* Pages are Deflate-compressed with horizontal prediction, 16 rows a strip,
 * into a temporary file that close() renames over @path when complete. */
DlTiffWriter *dl_tiff_writer_new          (const char    *path,
                                           GError       **error);
gboolean      dl_tiff_writer_add_page     (DlTiffWriter  *self,
                                           const void    *data,
                                           guint          bits,
                                           guint          width,
                                           guint          height,
                                           const char    *page_name,
                                           const char    *description,
                                           double         pitch_mm,
                                           GError       **error);
gboolean      dl_tiff_writer_close        (DlTiffWriter  *self,
                                           GError       **error);
void          dl_tiff_writer_free         (DlTiffWriter  *self);

/* Every plane of @scan, one page each, named "view=N;channel=NAME". */
gboolean      dl_tiff_write_scan          (DlScan        *scan,
                                           const char    *path,
                                           GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlTiffWriter, dl_tiff_writer_free)

G_END_DECLS
