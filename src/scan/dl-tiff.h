/* dl-tiff.h — reading TIFF scans with libtiff, sample-exact.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-scan.h"

G_BEGIN_DECLS

gboolean  dl_tiff_is_tiff     (const guint8        *data,
                               gsize                length);

/* Decodes the TIFF held in @bytes (the same bytes the caller hashes).
 * Pages of the first page's size become channels of view 0; a page of
 * another size starts a new view.  A page named (PageName) "view=N;channel=NAME"
 * is placed explicitly. */
DlScan   *dl_tiff_load_bytes  (GBytes              *bytes,
                               const DlLoadOptions *options,
                               DlProgressFunc       progress,
                               gpointer             user_data,
                               GCancellable        *cancellable,
                               GError             **error);

/* The same, for @bytes that are a read-only mapping of a file (as
 * g_mapped_file_get_bytes () gives): pages already decoded are given back
 * to the kernel while decoding, so the file does not stay in memory
 * beside the samples.  Never for bytes in ordinary memory. */
DlScan   *dl_tiff_load_mapped (GBytes              *bytes,
                               const DlLoadOptions *options,
                               DlProgressFunc       progress,
                               gpointer             user_data,
                               GCancellable        *cancellable,
                               GError             **error);

/* Applies a description (metadata "description") of Doorlicht's own,
 * {"doorlicht": {"profile", "i0", "pitch_mm", "channels"}}, to @scan: the
 * named profile, air values and pitch.  FALSE when it is not one. */
gboolean  dl_tiff_apply_description (DlScan *scan);

/* The rows of one channel of a scan, streamed: see dl_tiff_rows_new_for_file (). */
typedef struct _DlTiffRows DlTiffRows;

DlTiffRows *dl_tiff_rows_new_for_file (const char          *path,
                                       const DlLoadOptions *options,
                                       guint                channel);
guint       dl_tiff_rows_get_width    (DlTiffRows          *self);
guint       dl_tiff_rows_get_height   (DlTiffRows          *self);
gboolean    dl_tiff_rows_next_band    (DlTiffRows          *self,
                                       const guint16      **rows,
                                       guint               *n_rows,
                                       GError             **error);
void        dl_tiff_rows_free         (DlTiffRows          *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlTiffRows, dl_tiff_rows_free)

G_END_DECLS
