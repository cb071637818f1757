/* dl-dicom.h — DICOM and DICOS read in a sandbox, and written: GDCM
 * behind a C API, the rest of the reader in C (dl-dicom-scan.c for
 * images, dl-dicos-tdr.c for threat reports).
 *
 * Reading (dl_dicom_open () and what it returns) never runs GDCM in this
 * process: the file goes, as a sealed memory file, to the DICOM reader
 * program (doorlicht-dicom-reader, dl-dicom-reader.c) in the bubblewrap
 * sandbox (dl-sandbox.h), within a time and a memory limit, and what it
 * parsed and decoded comes back (docs/dicom-reader.md) and is checked.  A
 * file that makes GDCM assert, crash, run on or run out of memory ends in
 * an error that says so (DL_DICOM_DAMAGED), never in this process.
 *
 * Writing (dl_dicom_write_dx (), dl_dicom_write_tdr ()) runs GDCM here:
 * what it writes is Doorlicht's own data, checked beforehand.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "dl-dicos-tdr.h"

G_BEGIN_DECLS

typedef enum
{
  DL_DICOM_OK,
  DL_DICOM_DAMAGED,        /* not parsed: truncated, a bad length, not DICOM */
  DL_DICOM_NO_PIXEL_DATA,  /* parsed, but no Pixel Data (7FE0,0010) */
  DL_DICOM_NOT_IMAGE,      /* Pixel Data, but no image GDCM can describe */
  DL_DICOM_DECODE_FAILED,  /* the codec refused the pixel data */
  DL_DICOM_NO_MEMORY,
  DL_DICOM_READER_FAILED,  /* the reader stopped on the file (crashed, ran out of time or memory) */
  DL_DICOM_NO_READER,      /* the reader program could not be started */
} DlDicomStatus;

typedef struct _DlDicom DlDicom;

typedef struct
{
  guint        columns;
  guint        rows;
  guint        frames;
  guint        samples_per_pixel;
  guint        bits_allocated;
  guint        bits_stored;
  guint        high_bit;
  gboolean     is_signed;
  const char  *photometric;         /* "MONOCHROME1", "RGB", … */
  double       slope;               /* Rescale Slope, 1 when absent */
  double       intercept;
  const char  *transfer_syntax;     /* its UID */
  const char  *transfer_syntax_name;
  gboolean     encapsulated;        /* compressed, in fragments */
  gboolean     lossy;               /* a lossy transfer syntax */
  guint64      buffer_length;       /* bytes dl_dicom_decode () writes */
  guint64      pixel_data_length;   /* bytes of native Pixel Data in the file */
} DlDicomImage;

gboolean       dl_dicom_sniff        (const guint8  *data,
                                      gsize          length);
/* Parses @data in the sandbox; decodes its pixels too when they take at
 * most @max_decode bytes (0: never), for dl_dicom_decode (); reads the
 * threat detection report when the file is one.  NULL with @status and
 * @detail when the file is not read, the reader failed or is missing
 * (@detail says which), or @cancellable (may be NULL) was cancelled: the
 * reader is stopped then (DL_DICOM_READER_FAILED). */
DlDicom       *dl_dicom_open         (const guint8  *data,
                                      gsize          length,
                                      guint64        max_decode,
                                      GCancellable  *cancellable,
                                      DlDicomStatus *status,
                                      char         **detail);
void           dl_dicom_free         (DlDicom       *self);
/* A top-level element as text (trailing blanks gone), NULL when absent
 * or empty; numbers of any VR as text, several separated by '\\'. */
char          *dl_dicom_dup_string   (DlDicom       *self,
                                      guint16        group,
                                      guint16        element);
gboolean       dl_dicom_has_element  (DlDicom       *self,
                                      guint16        group,
                                      guint16        element);
/* FALSE (status NO_PIXEL_DATA or NOT_IMAGE in @status) when no image. */
gboolean       dl_dicom_get_image    (DlDicom       *self,
                                      DlDicomImage  *image,
                                      DlDicomStatus *status,
                                      char         **detail);
/* Every frame into @buffer (image->buffer_length bytes), as the reader
 * decoded them; DL_DICOM_NO_MEMORY when they were more than the
 * max_decode bytes of dl_dicom_open (). */
DlDicomStatus  dl_dicom_decode       (DlDicom       *self,
                                      void          *buffer,
                                      gsize          length,
                                      char         **detail);
/* Fills @tdr from the Threat Sequence and the report's attributes. */
gboolean       dl_dicom_read_tdr     (DlDicom       *self,
                                      DlDicosTdr    *tdr,
                                      char         **detail);

/* A DICOS DX image to write (dl_dicom_write_dx ()): @frames frames of
 * @columns × @rows unsigned 16-bit samples, each labelled (Frame Label
 * Vector), written as they are (Rescale Slope 1, Intercept 0, as the DX
 * IOD requires); text NULL when unknown, spacing 0 when unknown. */
typedef struct
{
  const char           *sop_class_uid;
  guint                 columns;
  guint                 rows;
  guint                 frames;
  const guint16 *const *data;             /* @frames pointers */
  const char *const    *labels;           /* @frames labels */
  double                row_spacing_mm;
  double                column_spacing_mm;
  const char           *manufacturer;
  const char           *model;
  const char           *serial;
  const char           *software;
  const char           *description;
  const char           *ooi_type;         /* "CARGO", "BAGGAGE", … */
  const char           *ooi_id;
  const char           *sop_instance_uid; /* NULL: a fresh one */
} DlDicomDx;

/* Writes @dx to @path (explicit VR little endian, uncompressed) with its
 * SOP Instance UID or a fresh one (returned in @sop_instance_uid when not
 * NULL). */
gboolean       dl_dicom_write_dx     (const DlDicomDx *dx,
                                      const char      *path,
                                      char           **sop_instance_uid,
                                      char           **detail);

/* Writes @tdr as a DICOS Threat Detection Report to @path (explicit VR
 * little endian): its attributes, each threat with its referenced
 * instance, box, polygon, assessment and Doorlicht's private block, with
 * @software as the writer's version and a fresh SOP Instance UID
 * (returned in @sop_instance_uid when not NULL).  Checked beforehand in C
 * (dl_dicos_write_tdr ()). */
gboolean       dl_dicom_write_tdr    (const DlDicosTdr *tdr,
                                      const char       *software,
                                      const char       *path,
                                      char            **sop_instance_uid,
                                      char            **detail);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlDicom, dl_dicom_free)

G_END_DECLS
