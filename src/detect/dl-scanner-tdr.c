/* dl-scanner-tdr.c — the threats of Threat Detection Reports beside a
 * DICOS or DICOM scan, as findings (dl-scanner-tdr.h).
 *
 * A scanner that runs its own automatic threat recognition writes, beside
 * each image, a TDR (DICOS, NEMA IIC 1) that names the image by its SOP
 * Instance UID.  The folder of the scan's file is looked through for such
 * reports: a file is read (by the sandboxed DICOM reader) only when it is
 * a DICOM file that holds the scan's UID as text at all, so a folder of
 * thousands of scans costs a map and a search per file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#define G_LOG_DOMAIN "dl-scanner-tdr"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "dl-dicom-scan.h"
#include "dl-dicos-tdr.h"
#include "dl-regular-file.h"
#include "dl-scanner-tdr.h"

#define SCANNER_TDR_VERSION "1"

/* *.dcs, *.dcm, *.dicom, in any case */
static gboolean
named_as_dicom (const char *name)
{
  const char *dot = strrchr (name, '.');

  return dot && (g_ascii_strcasecmp (dot, ".dcs") == 0 || g_ascii_strcasecmp (dot, ".dcm") == 0
                 || g_ascii_strcasecmp (dot, ".dicom") == 0);
}

/* @path's report when it is a DICOM file naming @uid, else NULL; a report
 * that names it but cannot be read is a note. */
static DlDicosTdr *
report_naming (const char *path,
               const char *uid,
               GPtrArray  *notes)
{
  g_autoptr(GMappedFile) map = dl_map_regular_file (path, DL_SCANNER_TDR_MAX_BYTES, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  DlDicosTdr *tdr;
  const guint8 *data;
  gsize length;

  if (map == NULL)
    return NULL;
  data = (const guint8 *) g_mapped_file_get_contents (map);
  length = g_mapped_file_get_length (map);
  if (!dl_dicom_is_dicom (data, length) || memmem (data, length, uid, strlen (uid)) == NULL)
    return NULL;
  bytes = g_mapped_file_get_bytes (map);
  tdr = dl_dicos_tdr_load_bytes (bytes, path, &error);
  if (tdr == NULL && !g_error_matches (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED))
    g_ptr_array_add (notes, g_strdup_printf (_("A threat detection report beside the scan was not read: %s"),
                                             error->message));
  return tdr;
}

static double
score_of (const DlDicosThreat *t)
{
  if (isfinite (t->probability))
    return CLAMP (t->probability, 0, 1);
  if (g_strcmp0 (t->assessment, "NO_THREAT") == 0)
    return 0.1;
  if (g_strcmp0 (t->assessment, "THREAT") == 0)
    return 1;
  return 0.5;
}

/* The threat's polygon (x, y pairs, at least three), else its box: a 2-D
 * box as it is, a CT box on the projection (columns by slices). */
static void
set_outline (DlFinding           *f,
             const DlDicosThreat *t)
{
  guint z = t->n_dims == 3 ? 2 : 1;

  if (t->n_dims == 2 && t->polygon && t->polygon->len >= 6 && t->polygon->len % 2 == 0)
    {
      f->outline = g_array_sized_new (FALSE, FALSE, sizeof (DlFindingPoint), t->polygon->len / 2);
      for (guint i = 0; i + 1 < t->polygon->len; i += 2)
        {
          DlFindingPoint p = { g_array_index (t->polygon, double, i), g_array_index (t->polygon, double, i + 1) };

          g_array_append_val (f->outline, p);
        }
    }
  else if (t->n_dims >= 2 && t->extents[0] > 0 && t->extents[z] > 0)
    dl_finding_set_rectangle (f, t->base[0], t->base[z], t->base[0] + t->extents[0], t->base[z] + t->extents[z]);
}

static char *
describe (const DlDicosTdr    *tdr,
          const DlDicosThreat *t)
{
  const char *category = t->category_description ? t->category_description : t->category;
  const char *assessment = t->assessment ? t->assessment : "UNKNOWN";

  if (g_strcmp0 (tdr->tdr_type, "OPERATOR") == 0)
    /* TRANSLATORS: an operator's DICOS report: "%1$s" is its assessment (THREAT, NO_THREAT, UNKNOWN), "%2$s" the threat's category, "%3$s" who */
    return g_strdup_printf (_("An operator’s threat detection report assesses %1$s: %2$s (by %3$s)"), assessment,
                            category ? category : "?", tdr->operator_id ? tdr->operator_id : "?");
  if (tdr->algorithm == NULL)
    /* TRANSLATORS: the scanner's DICOS report: "%1$s" is its assessment (THREAT, NO_THREAT, UNKNOWN), "%2$s" the threat's category */
    return g_strdup_printf (_("The scanner’s threat detection assesses %1$s: %2$s"), assessment, category ? category : "?");
  /* TRANSLATORS: the scanner's DICOS report: "%1$s" is its assessment (THREAT, NO_THREAT, UNKNOWN), "%2$s" the threat's category, "%3$s" the algorithm */
  return g_strdup_printf (_("The scanner’s threat detection assesses %1$s: %2$s (%3$s)"), assessment,
                          category ? category : "?", tdr->algorithm);
}

static DlFinding *
finding_of (const DlDicosTdr    *tdr,
            const DlDicosThreat *t,
            const char          *path)
{
  g_autofree char *text = describe (tdr, t);
  g_autofree char *name = g_path_get_basename (path);
  DlFinding *f = dl_finding_new ("threat", 0, score_of (t), text);

  set_outline (f, t);
  json_object_set_string_member (f->figures, "report", name);
  json_object_set_string_member (f->figures, "report_sop_instance_uid", tdr->sop_instance_uid ? tdr->sop_instance_uid : "");
  json_object_set_string_member (f->figures, "report_type", tdr->tdr_type ? tdr->tdr_type : "");
  json_object_set_string_member (f->figures, "algorithm", tdr->algorithm ? tdr->algorithm : "");
  json_object_set_int_member (f->figures, "threat_id", t->id);
  json_object_set_string_member (f->figures, "category", t->category ? t->category : "");
  json_object_set_string_member (f->figures, "assessment", t->assessment ? t->assessment : "");
  if (isfinite (t->probability))
    json_object_set_double_member (f->figures, "probability", t->probability);
  if (isfinite (t->mass))
    json_object_set_double_member (f->figures, "mass", t->mass);
  return f;
}

static void
add_threats (const DlDicosTdr *tdr,
             const char       *uid,
             const char       *path,
             double            min_score,
             GPtrArray        *findings)
{
  for (guint i = 0; i < tdr->threats->len; i++)
    {
      const DlDicosThreat *t = g_ptr_array_index (tdr->threats, i);

      if (t->referenced_sop_instance_uid && g_strcmp0 (t->referenced_sop_instance_uid, uid) != 0)
        continue;
      if (score_of (t) >= min_score)
        g_ptr_array_add (findings, finding_of (tdr, t, path));
    }
}

static gboolean
run_scanner_tdr (DlDetector    *detector,
                 DlDetectInput *input,
                 JsonObject    *parameters,
                 GPtrArray     *findings,
                 GPtrArray     *notes,
                 GCancellable  *cancellable,
                 GError       **error)
{
  DlScan *scan = dl_detect_input_get_scan (input);
  const char *uid = dl_scan_get_metadata (scan, "sop-instance-uid"), *source = dl_scan_get_source_path (scan);
  double min_score = json_object_get_double_member_with_default (parameters, "min_score", 0);
  g_autofree char *folder = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint seen = 0;

  if (uid == NULL || *uid == '\0' || source == NULL)
    return TRUE;
  folder = g_path_get_dirname (source);
  if ((dir = g_dir_open (folder, 0, NULL)) == NULL)
    return TRUE;
  while ((name = g_dir_read_name (dir)) != NULL && seen < DL_SCANNER_TDR_MAX_FILES)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autoptr(DlDicosTdr) tdr = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!named_as_dicom (name) || g_strcmp0 (path, source) == 0)
        continue;
      seen++;
      if ((tdr = report_naming (path, uid, notes)) != NULL)
        add_threats (tdr, uid, path, min_score, findings);
    }
  return TRUE;
}

static const DlDetectorVTable scanner_tdr_vtable = { run_scanner_tdr };

DlDetector *
dl_scanner_tdr_detector_new (void)
{
  g_autoptr(JsonObject) defaults = json_object_new ();

  json_object_set_double_member (defaults, "min_score", 0.0);
  return dl_detector_new ("scanner-tdr", SCANNER_TDR_VERSION,
                          _("The threats the scanner’s own detection reported for a DICOS scan, in reports beside it"),
                          defaults, &scanner_tdr_vtable, NULL, NULL);
}
