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

void
dl_dicos_threat_free (DlDicosThreat *threat)
{
  if (threat == NULL)
    return;
  g_free (threat->category);
  g_free (threat->category_description);
  g_free (threat->assessment);
  g_free (threat->ability);
  g_free (threat->referenced_sop_instance_uid);
  g_free (threat->location);
  g_free (threat->referenced_sop_class_uid);
  g_free (threat->source);
  g_free (threat->response);
  g_free (threat->responder);
  g_clear_pointer (&threat->polygon, g_array_unref);
  g_free (threat);
}

DlDicosThreat *
dl_dicos_threat_new (void)
{
  DlDicosThreat *t = g_new0 (DlDicosThreat, 1);

  t->probability = t->mass = t->density = NAN;
  return t;
}

/* "YYYYMMDDHHMMSS[.FFFFFF][&ZZXX]": at least the seconds; no offset is UTC. */
gint64
dl_dicos_parse_datetime (const char *text)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  const char *rest;
  int f[6];

  if (text == NULL || strlen (text) < 14)
    return 0;
  for (guint i = 0; i < 14; i++)
    if (!g_ascii_isdigit (text[i]))
      return 0;
  rest = text + 14;
  if (*rest == '.')
    for (rest++; g_ascii_isdigit (*rest); rest++)
      ;
  if (*rest != '\0' && strlen (rest) != 5)
    return 0;
  zone = *rest ? g_time_zone_new_identifier (rest) : g_time_zone_new_utc ();
  if (zone == NULL)
    return 0;
  sscanf (text, "%4d%2d%2d%2d%2d%2d", &f[0], &f[1], &f[2], &f[3], &f[4], &f[5]);
  dt = g_date_time_new (zone, f[0], f[1], f[2], f[3], f[4], f[5]);
  return dt ? g_date_time_to_unix (dt) : 0;
}

char *
dl_dicos_format_datetime (gint64 time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (time);

  return dt ? g_date_time_format (dt, "%Y%m%d%H%M%S+0000") : NULL;
}

DlDicosTdr *
dl_dicos_tdr_new (void)
{
  DlDicosTdr *self = g_new0 (DlDicosTdr, 1);

  self->threats = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_dicos_threat_free);
  return self;
}

void
dl_dicos_tdr_free (DlDicosTdr *self)
{
  if (self == NULL)
    return;
  g_free (self->sop_instance_uid);
  g_free (self->tdr_type);
  g_free (self->alarm_decision);
  g_free (self->algorithm);
  g_free (self->ooi_type);
  g_free (self->operator_id);
  g_free (self->verdict);
  g_ptr_array_unref (self->threats);
  g_free (self);
}

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
      || (dicom = dl_dicom_open (data, length, &status, &detail)) == NULL)
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
