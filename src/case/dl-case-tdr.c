/* dl-case-tdr.c — what the analyst made of a scan, as a DICOS Threat
 * Detection Report of type OPERATOR (docs/dicos.md): one per scan.
 *
 * The report refers to the scan's image by its SOP Instance UID: a DICOS
 * scan's own, else the one dl_dicos_write_dx () gives the scan file's view
 * when it is converted (dl_dicos_uid_for_sha256 ()).  Its threats are the
 * case's findings on the scan, each with its outline (the Bounding Polygon,
 * x and y in pixels of the view, and the box around it) and the latest
 * response to it (ATD Assessment Flag THREAT when confirmed, NO_THREAT when
 * dismissed, UNKNOWN when unanswered), then the analyst's rectangles and
 * polygons (source "mark"); who responded or marked, and when, go in
 * Doorlicht's private block.  The case's latest verdict is the Alarm
 * Decision (ALARM for inspect and seize, CLEAR for clear, UNKNOWN
 * otherwise), its author the operator, its decision id private.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-case-tdr"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "dl-case-private.h"
#include "dl-case-tdr.h"
#include "dl-dicom.h"
#include "dl-dicos-write.h"
#include "dl-hash.h"

/* The image a report refers to: a DICOS file's own UIDs, or the scan
 * file's SHA-256 for UIDs derived per view. */
typedef struct
{
  char *sop_class_uid;
  char *sop_instance_uid;   /* NULL: derived from sha256 and the view */
  char *sha256;
} Image;

static void
image_clear (Image *image)
{
  g_free (image->sop_class_uid);
  g_free (image->sop_instance_uid);
  g_free (image->sha256);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Image, image_clear)

static GBytes *
scan_bytes (DlCaseFile       *self,
            const DlCaseScan *s,
            GError          **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GBytes) bytes = dl_case_file_get_scan_image (self, s->id, &local);
  g_autofree char *sha = NULL;

  if (local)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  sha = bytes ? dl_sha256_hex_bytes (bytes) : dl_case_sha256_file (s->path, NULL, &bytes, error);
  if (sha == NULL)
    return NULL;
  if (strcmp (sha, s->sha256) != 0)
    {
      g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_CORRUPT,
                   _("The image of scan “%s” does not match its recorded SHA-256"), s->id);
      return NULL;
    }
  return g_steal_pointer (&bytes);
}

static gboolean
find_image (DlCaseFile       *self,
            const DlCaseScan *s,
            Image            *image,
            GError          **error)
{
  g_autoptr(GBytes) bytes = scan_bytes (self, s, error);
  g_autoptr(DlDicom) dicom = NULL;
  g_autofree char *detail = NULL;
  DlDicomStatus status;
  const guint8 *data;
  gsize length;

  if (bytes == NULL)
    return FALSE;
  image->sha256 = g_strdup (s->sha256);
  data = g_bytes_get_data (bytes, &length);
  if (dl_dicom_sniff (data, length))
    {
      if ((dicom = dl_dicom_open (data, length, 0, NULL, &status, &detail)) == NULL)
        {
          g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_CORRUPT,
                       _("The DICOM scan %s could not be read again to refer to it: %s"), s->sha256,
                       detail ? detail : "?");
          return FALSE;
        }
      image->sop_class_uid = dl_dicom_dup_string (dicom, 0x0008, 0x0016);
      image->sop_instance_uid = dl_dicom_dup_string (dicom, 0x0008, 0x0018);
    }
  if (image->sop_class_uid == NULL || image->sop_instance_uid == NULL)
    {
      g_clear_pointer (&image->sop_instance_uid, g_free);
      g_free (image->sop_class_uid);
      image->sop_class_uid = g_strdup (DL_DICOS_DX_PROCESSING_UID);
    }
  return TRUE;
}

static DlDicosThreat *
new_threat (const Image *image,
            guint        id,
            guint        view)
{
  DlDicosThreat *t = dl_dicos_threat_new ();

  t->id = id;
  t->category = g_strdup ("ANOMALY");
  t->referenced_sop_class_uid = g_strdup (image->sop_class_uid);
  t->referenced_sop_instance_uid = image->sop_instance_uid
                                   ? g_strdup (image->sop_instance_uid)
                                   : dl_dicos_uid_for_sha256 (image->sha256, view);
  return t;
}

/* The outline @xy (@n points) as the polygon and the box around it. */
static void
set_outline (DlDicosThreat *t,
             const double  *xy,
             guint          n)
{
  double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;

  t->polygon = g_array_sized_new (FALSE, FALSE, sizeof (double), 2 * n);
  g_array_append_vals (t->polygon, xy, 2 * n);
  for (guint i = 0; i < n; i++)
    {
      x0 = MIN (x0, xy[2 * i]), x1 = MAX (x1, xy[2 * i]);
      y0 = MIN (y0, xy[2 * i + 1]), y1 = MAX (y1, xy[2 * i + 1]);
    }
  t->n_dims = 2;
  t->base[0] = x0, t->base[1] = y0;
  t->extents[0] = x1 - x0, t->extents[1] = y1 - y0;
}

static const char *
assessment (DlFindingResponse response)
{
  switch (response)
    {
    case DL_FINDING_RESPONSE_CONFIRMED: return "THREAT";
    case DL_FINDING_RESPONSE_DISMISSED: return "NO_THREAT";
    case DL_FINDING_RESPONSE_NONE:
    default: return "UNKNOWN";
    }
}

static DlDicosThreat *
finding_threat (const Image         *image,
                guint                id,
                const DlCaseFinding *cf)
{
  const DlFinding *f = cf->finding;
  DlDicosThreat *t = new_threat (image, id, f->view);

  t->category_description = g_strdup (f->explanation);
  t->probability = f->score;
  t->assessment = g_strdup (assessment (cf->response));
  t->source = g_strdup (f->kind);
  if (cf->response != DL_FINDING_RESPONSE_NONE)
    {
      t->response = g_strdup (dl_finding_response_to_string (cf->response));
      /* as the case file names a mark's author */
      t->responder = g_strdup_printf ("%s (%s)", cf->response_author.name ? cf->response_author.name : "",
                                      cf->response_author.login ? cf->response_author.login : "");
      t->response_time = cf->response_time;
    }
  /* DlFindingPoint is two doubles, x then y */
  if (f->outline && f->outline->len >= 3)
    set_outline (t, (const double *) f->outline->data, f->outline->len);
  return t;
}

/* A rectangle or polygon mark; NULL for the marks that outline nothing. */
static DlDicosThreat *
mark_threat (const Image        *image,
             guint               id,
             const DlAnnotation *a)
{
  const DlPoint *p = (const DlPoint *) a->points->data;
  DlDicosThreat *t;

  if (!(a->kind == DL_ANNOTATION_RECTANGLE && a->points->len == 2)
      && !(a->kind == DL_ANNOTATION_POLYGON && a->points->len >= 3))
    return NULL;
  t = new_threat (image, id, a->view);
  t->assessment = g_strdup ("UNKNOWN");
  t->category_description = a->label && a->label[0] ? g_strdup (a->label) : NULL;
  t->source = g_strdup ("mark");
  t->responder = g_strdup (a->author);
  t->response_time = a->created;
  if (a->kind == DL_ANNOTATION_RECTANGLE)
    {
      double xy[8] = { p[0].x, p[0].y, p[1].x, p[0].y, p[1].x, p[1].y, p[0].x, p[1].y };

      set_outline (t, xy, 4);
    }
  else
    set_outline (t, (const double *) p, a->points->len);
  return t;
}

static const char *
alarm_decision (DlDecision decision)
{
  switch (decision)
    {
    case DL_DECISION_CLEAR: return "CLEAR";
    case DL_DECISION_INSPECT:
    case DL_DECISION_SEIZE: return "ALARM";
    case DL_DECISION_NONE:
    case DL_DECISION_RESCAN:
    case DL_N_DECISIONS:
    default: return "UNKNOWN";
    }
}

static gboolean
add_verdict (DlCaseFile *self,
             DlDicosTdr *tdr,
             const char *case_id,
             GError    **error)
{
  g_autoptr(GError) local = NULL;
  DlVerdict *v = dl_case_file_get_verdict (self, case_id, &local);

  if (local)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  tdr->alarm_decision = g_strdup (alarm_decision (v ? v->decision : DL_DECISION_NONE));
  if (v)
    {
      tdr->verdict = g_strdup (dl_decision_to_id (v->decision));
      tdr->operator_id = g_strdup (v->author.login);
      tdr->alarm_decision_time = v->created;
      dl_verdict_free (v);
    }
  return TRUE;
}

static gboolean
add_findings (DlCaseFile       *self,
              DlDicosTdr       *tdr,
              const DlCaseScan *s,
              const Image      *image,
              GError          **error)
{
  g_autoptr(GPtrArray) findings = dl_case_file_get_findings (self, s->case_id, error);

  if (findings == NULL)
    return FALSE;
  for (guint i = 0; i < findings->len; i++)
    {
      const DlCaseFinding *cf = g_ptr_array_index (findings, i);

      if (g_strcmp0 (cf->scan_id, s->id) == 0)
        g_ptr_array_add (tdr->threats, finding_threat (image, tdr->threats->len + 1, cf));
    }
  return TRUE;
}

static gboolean
add_marks (DlCaseFile       *self,
           DlDicosTdr       *tdr,
           const DlCaseScan *s,
           const Image      *image,
           GError          **error)
{
  g_autoptr(DlAnnotations) marks = dl_case_file_get_annotations (self, s->id, error);

  if (marks == NULL)
    return FALSE;
  for (guint i = 0; i < dl_annotations_get_n (marks); i++)
    {
      DlDicosThreat *t = mark_threat (image, tdr->threats->len + 1, dl_annotations_get (marks, i));

      if (t)
        g_ptr_array_add (tdr->threats, t);
    }
  return TRUE;
}

/**
 * dl_case_file_make_tdr:
 *
 * The operator's threat detection report of @scan (as
 * dl_case_file_get_scans () lists it).
 */
DlDicosTdr *
dl_case_file_make_tdr (DlCaseFile       *self,
                       const DlCaseScan *scan,
                       GError          **error)
{
  g_autoptr(DlDicosTdr) tdr = dl_dicos_tdr_new ();
  g_auto(Image) image = { 0 };

  g_return_val_if_fail (DL_IS_CASE_FILE (self) && scan != NULL, NULL);

  if (!find_image (self, scan, &image, error)
      || !add_verdict (self, tdr, scan->case_id, error)
      || !add_findings (self, tdr, scan, &image, error)
      || !add_marks (self, tdr, scan, &image, error))
    return NULL;
  tdr->tdr_type = g_strdup ("OPERATOR");
  tdr->ooi_type = g_strdup ("CARGO");
  tdr->algorithm = g_strdup ("Doorlicht\\" PACKAGE_VERSION);
  tdr->n_total_objects = tdr->threats->len;
  for (guint i = 0; i < tdr->threats->len; i++)
    if (g_strcmp0 (((DlDicosThreat *) g_ptr_array_index (tdr->threats, i))->assessment, "THREAT") == 0)
      tdr->n_alarm_objects++;
  return g_steal_pointer (&tdr);
}

/* A case's or scan's id as part of a file name. */
static gboolean
safe_name (const char  *id,
           GError     **error)
{
  gboolean ok = id[0] != '\0' && id[0] != '.' && strlen (id) <= 64;

  for (const char *c = id; ok && *c; c++)
    ok = g_ascii_isalnum (*c) || *c == '-' || *c == '_' || *c == '.';
  if (!ok)
    g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID,
                 _("The id “%s” cannot name a file"), id);
  return ok;
}

static gboolean
write_case (DlCaseFile *self,
            const char *case_id,
            const char *folder,
            GPtrArray  *written,
            GError    **error)
{
  g_autoptr(GPtrArray) scans = dl_case_file_get_scans (self, case_id, error);

  if (scans == NULL || !safe_name (case_id, error))
    return FALSE;
  for (guint i = 0; i < scans->len; i++)
    {
      const DlCaseScan *s = g_ptr_array_index (scans, i);
      g_autofree char *name = g_strdup_printf ("%s-%s-tdr.dcs", case_id, s->id);
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autoptr(DlDicosTdr) tdr = NULL;

      if (!safe_name (s->id, error)
          || (tdr = dl_case_file_make_tdr (self, s, error)) == NULL
          || !dl_dicos_write_tdr (tdr, path, error))
        return FALSE;
      g_ptr_array_add (written, g_steal_pointer (&path));
    }
  return TRUE;
}

/**
 * dl_case_file_write_tdrs:
 * @folder: an existing folder
 *
 * Writes the operator's threat detection report of every scan of
 * @case_ids into @folder, as "CASE-SCAN-tdr.dcs".  Returns the paths
 * written, in order; on an error, those written before it stay.
 */
GStrv
dl_case_file_write_tdrs (DlCaseFile         *self,
                         const char * const *case_ids,
                         const char         *folder,
                         GError            **error)
{
  g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (DL_IS_CASE_FILE (self) && case_ids != NULL && folder != NULL, NULL);

  if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The folder “%s” does not exist"), folder);
      return NULL;
    }
  for (guint i = 0; case_ids[i]; i++)
    if (!write_case (self, case_ids[i], folder, written, error))
      return NULL;
  g_ptr_array_add (written, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&written), FALSE);
}
