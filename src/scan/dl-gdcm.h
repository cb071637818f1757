/* dl-gdcm.h — GDCM itself, in this process: DICOM and DICOS parsed and
 * decoded (dl-dicom.cc).  Only the DICOM reader program
 * (dl-dicom-reader.c) calls these; the library reads DICOM through it, in
 * a sandbox (dl-dicom.h), because GDCM is not to be trusted with a
 * damaged file (it asserts, and may crash or run on).
 *
 * Every function catches every C++ exception: a failure comes back as a
 * status and a detail (GDCM's words, not translated), never a throw.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-dicom.h"

G_BEGIN_DECLS

typedef struct _DlGdcm DlGdcm;

DlGdcm        *dl_gdcm_open          (const guint8  *data,
                                      gsize          length,
                                      DlDicomStatus *status,
                                      char         **detail);
void           dl_gdcm_free          (DlGdcm        *self);
gboolean       dl_gdcm_has_element   (DlGdcm        *self,
                                      guint16        group,
                                      guint16        element);
/* A top-level element as text (trailing blanks gone), NULL when absent
 * or empty; numbers of any VR as text, several separated by '\\'. */
char          *dl_gdcm_dup_string    (DlGdcm        *self,
                                      guint16        group,
                                      guint16        element);
/* Each top-level element, in order: its tag and its text, NULL for an
 * empty, binary (OB, OW, …, UN), sequence or Pixel Data element, or one
 * longer than @max_value bytes. */
typedef void (*DlGdcmElementFunc) (guint16     group,
                                   guint16     element,
                                   const char *value,
                                   gpointer    user_data);
void           dl_gdcm_foreach_element (DlGdcm           *self,
                                        gsize             max_value,
                                        DlGdcmElementFunc func,
                                        gpointer          user_data);
gboolean       dl_gdcm_get_image     (DlGdcm        *self,
                                      DlDicomImage  *image,
                                      DlDicomStatus *status,
                                      char         **detail);
DlDicomStatus  dl_gdcm_decode        (DlGdcm        *self,
                                      void          *buffer,
                                      gsize          length,
                                      char         **detail);
gboolean       dl_gdcm_read_tdr      (DlGdcm        *self,
                                      DlDicosTdr    *tdr,
                                      char         **detail);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlGdcm, dl_gdcm_free)

G_END_DECLS
