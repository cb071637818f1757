/* dl-scan-prepare.h — a scan made ready to be shown: its planes'
 * histograms and pyramids, and its material classes; loading in a worker
 * thread that does both.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-scan.h"

G_BEGIN_DECLS

void           dl_scan_prepare            (DlScan              *self);
void           dl_scan_prepare_display    (DlScan              *self);

void           dl_scan_load_bytes_async   (GBytes              *bytes,
                                           const char          *name,
                                           const DlLoadOptions *options,
                                           DlProgressFunc       progress,
                                           gpointer             progress_data,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
void           dl_scan_load_async         (const char          *path,
                                           const DlLoadOptions *options,
                                           DlProgressFunc       progress,
                                           gpointer             progress_data,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
DlScan        *dl_scan_load_finish        (GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
