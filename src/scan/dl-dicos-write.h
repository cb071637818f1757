/* dl-dicos-write.h — one view of a scan written as a DICOS DX image
 * (NEMA IIC 1, DX for processing), and a threat detection report, through
 * GDCM (dl-dicom.cc).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-dicos-tdr.h"
#include "dl-scan.h"

G_BEGIN_DECLS

#define DL_DICOS_DX_PROCESSING_UID "1.2.840.10008.5.1.4.1.1.501.2.2"

/* Writes view @view of @scan to @path, atomically (a temporary file
 * beside it, renamed over it when complete): one frame per channel, in
 * channel order, each labelled with its channel's name in the Frame Label
 * Vector (0018,2002).  Its SOP Instance UID is dl_dicos_uid_for_sha256 ()
 * of the scan's file when it was read from one, else a fresh one; the
 * scan's "sop-instance-uid" metadata is set to the one written. */
gboolean dl_dicos_write_dx (DlScan      *scan,
                            guint        view,
                            const char  *path,
                            GError     **error);

char    *dl_dicos_uid_for_sha256 (const char  *sha256,
                                  guint        view);
gboolean dl_dicos_write_tdr      (DlDicosTdr  *tdr,
                                  const char  *path,
                                  GError     **error);

G_END_DECLS
