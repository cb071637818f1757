/* dl-dicom-wire.h — what the DICOM reader program (dl-dicom-reader.c)
 * writes on its stdout and the library (dl-dicom.c) reads back: one JSON
 * object, "doorlicht-dicom-read/1" (docs/dicom-reader.md).  Both sides
 * are here, so that they cannot drift apart; the reading side trusts
 * nothing it is given (types, ranges, sizes are checked).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "dl-dicom.h"

G_BEGIN_DECLS

#define DL_DICOM_WIRE_PROTOCOL "doorlicht-dicom-read/1"
/* The most of the reader's stdout read back, and of one element's text. */
#define DL_DICOM_WIRE_MAX_OUTPUT ((gsize) 64 << 20)
#define DL_DICOM_WIRE_MAX_VALUE  ((gsize) 1 << 20)

const char    *dl_dicom_status_to_name   (DlDicomStatus status);
/* FALSE when @name is no status. */
gboolean       dl_dicom_status_from_name (const char    *name,
                                          DlDicomStatus *status);

/* {"status": "…", "detail": "…" or null} */
/* @value (made valid UTF-8: GDCM's text need not be), or null. */
void           dl_dicom_wire_add_text    (JsonBuilder   *b,
                                          const char    *value);
void           dl_dicom_wire_add_status  (JsonBuilder   *b,
                                          DlDicomStatus  status,
                                          const char    *detail);
gboolean       dl_dicom_wire_read_status (JsonObject    *o,
                                          DlDicomStatus *status,
                                          char         **detail);

void           dl_dicom_wire_add_image   (JsonBuilder        *b,
                                          const DlDicomImage *image);
/* The image's strings are newly allocated (g_free () them). */
gboolean       dl_dicom_wire_read_image  (JsonObject   *o,
                                          DlDicomImage *image);
void           dl_dicom_wire_image_clear (DlDicomImage *image);

void           dl_dicom_wire_add_tdr     (JsonBuilder      *b,
                                          const DlDicosTdr *tdr);
/* NULL when @o is not a report as the reader writes one. */
DlDicosTdr    *dl_dicom_wire_read_tdr    (JsonObject       *o);

/* The reader's @answer (its stdout) and its memory file of decoded pixels
 * (@pixels_fd, dup ()ed when kept) taken in as dl_dicom_open () takes
 * them; NULL with @status and @detail when the file was not read, or the
 * answer is not what the reader writes (DL_DICOM_READER_FAILED). */
DlDicom       *dl_dicom_from_answer      (const char       *answer,
                                          gsize             length,
                                          int               pixels_fd,
                                          DlDicomStatus    *status,
                                          char            **detail);

G_END_DECLS
