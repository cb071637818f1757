/* dl-dicos-threat.c — the threat detection report's structures
 * (DlDicosTdr, DlDicosThreat, dl-dicos-tdr.h) and DICOM date-times: what
 * both the library and the DICOM reader program (dl-dicom-reader.c) use.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-dicom"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dl-dicos-tdr.h"

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
