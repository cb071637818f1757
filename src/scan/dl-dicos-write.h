/* dl-dicos-write.h — one view of a scan written as a DICOS DX image
 * (NEMA IIC 1, DX for processing), through GDCM (dl-dicom.cc).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-scan.h"

G_BEGIN_DECLS

#define DL_DICOS_DX_PROCESSING_UID "1.2.840.10008.5.1.4.1.1.501.2.2"

/* Writes view @view of @scan to @path, atomically (a temporary file
 * beside it, renamed over it when complete): one frame per channel, in
 * channel order, each labelled with its channel's name in the Frame Label
 * Vector (0018,2002).  The scan's "sop-instance-uid" metadata is set to
 * the fresh one written. */
gboolean dl_dicos_write_dx (DlScan      *scan,
                            guint        view,
                            const char  *path,
                            GError     **error);

G_END_DECLS
