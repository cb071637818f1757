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

G_END_DECLS
