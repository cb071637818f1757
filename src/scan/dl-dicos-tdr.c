/* dl-dicos-tdr.c — DICOS Threat Detection Reports read into DlDicosTdr.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-dicom"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dl-dicom.h"
#include "dl-dicos-tdr.h"
#include "dl-regular-file.h"
#include "dl-scan.h"

/**
 * dl_dicos_tdr_load_bytes:
 * @name: the file name, for messages
 *
 * Reads a DICOS Threat Detection Report: its threats with their boxes and
 * assessments.  Anything that is not one (an image, another DICOM
 * object, a damaged file) is an error naming @name.
 */
DlDicosTdr *
dl_dicos_tdr_load_bytes (GBytes      *bytes,
                         const char  *name,
                         GError     **error)
{
  g_autoptr(DlDicosTdr) tdr = dl_dicos_tdr_new ();
  g_autoptr(DlDicom) dicom = NULL;
  g_autofree char *display = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *sop_class = NULL;
  DlDicomStatus status;
  const guint8 *data;
  gsize length;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  display = g_filename_display_name (name);
  data = g_bytes_get_data (bytes, &length);
  if (!dl_dicom_sniff (data, length)
      || (dicom = dl_dicom_open (data, length, 0, NULL, &status, &detail)) == NULL)
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_CORRUPT,
                   _("“%s” is not a DICOM file that can be read%s%s"), display,
                   detail ? ": " : "", detail ? detail : "");
      return NULL;
    }
  sop_class = dl_dicom_dup_string (dicom, 0x0008, 0x0016);
  if (g_strcmp0 (sop_class, DL_DICOS_TDR_SOP_CLASS) != 0)
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED,
                   _("“%s” is not a threat detection report (its SOP class is %s)"),
                   display, sop_class ? sop_class : "?");
      return NULL;
    }
  if (!dl_dicom_read_tdr (dicom, tdr, &detail))
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_CORRUPT,
                   _("The threat detection report “%s” is damaged: %s"), display, detail ? detail : "?");
      return NULL;
    }
  return g_steal_pointer (&tdr);
}

DlDicosTdr *
dl_dicos_tdr_load (const char  *path,
                   GError     **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  mapped = dl_map_regular_file (path, 0, &local_error);
  if (mapped == NULL)
    {
      g_set_error_literal (error, DL_SCAN_ERROR, DL_SCAN_ERROR_IO, local_error->message);
      return NULL;
    }
  bytes = g_mapped_file_get_bytes (mapped);
  return dl_dicos_tdr_load_bytes (bytes, path, error);
}
