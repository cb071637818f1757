/* dl-dicom-scan.h — DICOM and DICOS (NEMA IIC 1) images as scans.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-scan.h"

G_BEGIN_DECLS

gboolean  dl_dicom_is_dicom      (const guint8        *data,
                                  gsize                length);
DlScan   *dl_dicom_load_bytes    (GBytes              *bytes,
                                  const char          *name,
                                  const DlLoadOptions *options,
                                  DlProgressFunc       progress,
                                  gpointer             user_data,
                                  GCancellable        *cancellable,
                                  GError             **error);

G_END_DECLS
