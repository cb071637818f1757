/* dl-case-report.c — the PDF report of a case, filled from the case file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-case-report"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "dl-case-file.h"
#include "dl-case-private.h"
#include "dl-case-seen.h"
#include "dl-json-check.h"
#include "dl-report.h"
#include "dl-scan-prepare.h"

/* The scan of @s as a loaded DlScan: the embedded image (through a
 * temporary file) or the file on disk. */
static void
load_progress (double   fraction,
               gpointer data)
{
  dl_case_monitor_step (data, (guint64) (fraction * 1000), 1000);
}

static DlScan *
load_case_scan (DlCaseFile       *file,
                const DlCaseScan *s,
                GError          **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GBytes) image = dl_case_file_get_scan_image (file, s->id, &local);

  if (local)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (image)
    return dl_scan_load_bytes (image, s->path, NULL, load_progress, file, file->cancellable, error);
  return dl_scan_load_file (s->path, NULL, load_progress, file, file->cancellable, error);
}

typedef struct
{
  GPtrArray *scans;       /* DlCaseScan */
  GArray    *report_scans;
  GPtrArray *keep;        /* objects and surfaces kept alive for the call */
  GPtrArray *events;      /* DlCaseEvent */
  GArray    *report_events;
  GPtrArray *strings;
  GPtrArray *hints;       /* borrowed strings, NULL-ended */
  GPtrArray *findings;    /* the same */
} ReportData;

static void
report_data_clear (ReportData *d)
{
  for (guint i = 0; d->report_scans && i < d->report_scans->len; i++)
    {
      DlReportScan *rs = &g_array_index (d->report_scans, DlReportScan, i);
      if (rs->image)
        cairo_surface_destroy (rs->image);
    }
  g_clear_pointer (&d->scans, g_ptr_array_unref);
  g_clear_pointer (&d->report_scans, g_array_unref);
  g_clear_pointer (&d->keep, g_ptr_array_unref);
  g_clear_pointer (&d->events, g_ptr_array_unref);
  g_clear_pointer (&d->report_events, g_array_unref);
  g_clear_pointer (&d->hints, g_ptr_array_unref);
  g_clear_pointer (&d->findings, g_ptr_array_unref);
  g_clear_pointer (&d->strings, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ReportData, report_data_clear)

static const char *
keep_string (ReportData *d,
             char       *s)
{
  g_ptr_array_add (d->strings, s);
  return s;
}

static char *
describe_window (DlViewState *state)
{
  double center, width;
  gboolean density;

  g_object_get (state, "center", &center, "width", &width, "density", &density, NULL);
  return density ? g_strdup_printf (_("density window, centre %.3f, width %.3f"), center, width)
                 : g_strdup_printf (_("window centre %.0f, width %.0f"), center, width);
}

/* The display a scan is printed in: as on screen when the verdict was
 * recorded (@seen), else @view_state (the window at export), else the
 * automatic window.  Returns how it was windowed, for the page. */
static char *
report_state (DlViewState *state,
              DlPlane     *plane,
              const char  *seen,
              DlViewState *view_state)
{
  g_object_set (state, "i0", dl_plane_get_i0 (plane), NULL);
  if (seen && dl_verdict_seen_apply (seen, state, NULL))
    {
      g_autofree char *window = describe_window (state);
      /* TRANSLATORS: "as on screen when the verdict was recorded: density window, centre 1.200, width 2.000" */
      return g_strdup_printf (_("as on screen when the verdict was recorded: %s"), window);
    }
  if (view_state)
    {
      double center, width;
      gboolean density, invert;

      g_object_get (view_state, "center", &center, "width", &width, "density", &density,
                    "invert", &invert, NULL);
      g_object_set (state, "density", density, "center", center, "width", width, "invert", invert, NULL);
      return describe_window (state);
    }
  dl_view_state_apply_preset (state, DL_PRESET_AUTO, dl_plane_get_histogram (plane));
  return g_strdup (_("automatic window (0.5–99.5 percentiles)"));
}

static gboolean
fill_scans (DlCaseFile  *file,
            const char  *case_id,
            DlViewState *view_state,
            const char  *seen,
            ReportData  *d,
            GError     **error)
{
  if ((d->scans = dl_case_file_get_scans (file, case_id, error)) == NULL)
    return FALSE;
  d->report_scans = g_array_new (FALSE, TRUE, sizeof (DlReportScan));
  for (guint i = 0; i < d->scans->len; i++)
    {
      DlCaseScan *s = g_ptr_array_index (d->scans, i);
      DlReportScan rs = { s->path, s->size, s->sha256, NULL, NULL, NULL, 0, 0 };
      g_autoptr(GError) local = NULL;
      g_autoptr(DlScan) scan = NULL;
      DlAnnotations *marks = NULL;

      /* decoding the images is most of a report's work */
      dl_case_monitor_phase (file, 0.9 * i / d->scans->len, 0.9 / d->scans->len);
      scan = load_case_scan (file, s, &local);
      if (!dl_case_monitor_step (file, 1, 1))
        {
          g_clear_error (error);
          return dl_case_monitor_fail (file, error);
        }
      /* a report without the marks it should show is not one */
      if ((marks = dl_case_file_get_annotations (file, s->id, error)) == NULL)
        return FALSE;
      g_ptr_array_add (d->keep, marks);
      rs.annotations = marks;
      if (scan && g_strcmp0 (dl_scan_get_sha256 (scan), s->sha256) != 0)
        {
          g_set_error (&local, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FAILED,
                       _("its SHA-256 is not the one the case recorded"));
          g_clear_object (&scan);
        }
      if (scan)
        {
          g_autoptr(DlViewState) state = dl_view_state_new ();
          DlPlane *plane = dl_scan_get_plane (scan, 0, 0);

          dl_scan_prepare (scan);
          rs.window = keep_string (d, report_state (state, plane, seen, view_state));
          rs.image = dl_report_render_scan (scan, 0, state, marks, 1600, 1600);
          dl_scan_get_pixel_pitch (scan, &rs.pitch_x_mm, &rs.pitch_y_mm);
        }
      else
        rs.window = keep_string (d, g_strdup_printf (_("the image cannot be shown: %s"), local->message));
      g_array_append_val (d->report_scans, rs);
    }
  return TRUE;
}

static gboolean
fill_events (DlCaseFile   *file,
             const char   *case_id,
             ReportData   *d,
             GError      **error)
{
  if ((d->events = dl_case_file_get_events (file, case_id, error)) == NULL)
    return FALSE;
  d->report_events = g_array_new (FALSE, TRUE, sizeof (DlReportEvent));
  for (guint i = 0; i < d->events->len; i++)
    {
      DlCaseEvent *e = g_ptr_array_index (d->events, i);
      DlReportEvent re = { e->kind, NULL, NULL, e->time };

      re.summary = keep_string (d, g_strdup_printf ("#%" G_GINT64_FORMAT " %s", e->seq, e->hash));
      re.author = keep_string (d, g_strdup_printf ("%s (%s)", e->author.name, e->author.login));
      g_array_append_val (d->report_events, re);
    }
  return TRUE;
}

static char *
reason_labels (const DlVerdict *v)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; v->reasons[i]; i++)
    g_string_append_printf (out, "%s%s", i ? ", " : "", dl_verdict_reason_get_label (v->reasons[i])
                                                          ? dl_verdict_reason_get_label (v->reasons[i])
                                                          : v->reasons[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* One line of a stored finding and the latest response to it. */
static char *
finding_line (const DlCaseFinding *c)
{
  const DlFinding *f = c->finding;
  g_autofree char *head = g_strdup_printf (_("%s (detector %s %s, score %.2f): %s"), f->kind, f->detector,
                                           f->detector_version, f->score, f->explanation);

  if (c->response == DL_FINDING_RESPONSE_NONE)
    return g_strdup_printf (_("%s — no response"), head);
  return g_strdup_printf (c->response == DL_FINDING_RESPONSE_CONFIRMED ? _("%s — confirmed by %s (%s)%s%s")
                                                                       : _("%s — dismissed by %s (%s)%s%s"),
                          head, c->response_author.name, c->response_author.login,
                          *c->response_note ? ": " : "", c->response_note);
}

/* The findings stored with the case as lines; NULL when there are none. */
static const char * const *
fill_findings (DlCaseFile *file,
               const char *case_id,
               ReportData *d,
               GError    **error)
{
  g_autoptr(GPtrArray) stored = dl_case_file_get_findings (file, case_id, error);

  if (stored == NULL || stored->len == 0)
    return NULL;
  d->findings = g_ptr_array_new ();
  for (guint i = 0; i < stored->len; i++)
    g_ptr_array_add (d->findings, (gpointer) keep_string (d, finding_line (g_ptr_array_index (stored, i))));
  g_ptr_array_add (d->findings, NULL);
  return (const char * const *) d->findings->pdata;
}

/* The hints stored with the case (dl-consistency's JSON) as lines. */
static const char * const *
fill_hints (DlCaseFile *file,
            const char *case_id,
            ReportData *d,
            GError    **error)
{
  g_autofree char *json = dl_case_file_get_hints (file, case_id, error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonArray *hints = NULL;

  if (json == NULL || dl_json_refused (json, -1) || !json_parser_load_from_data (parser, json, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (JSON_NODE_HOLDS_OBJECT (root) && json_object_has_member (json_node_get_object (root), "hints"))
    hints = json_object_get_array_member (json_node_get_object (root), "hints");
  else if (JSON_NODE_HOLDS_ARRAY (root))
    hints = json_node_get_array (root);
  if (hints == NULL)
    return NULL;

  d->hints = g_ptr_array_new ();
  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *o = json_node_get_object (root);
      double kg = json_object_get_double_member_with_default (o, "cargo_kg", -1);
      double sigma = json_object_get_double_member_with_default (o, "cargo_kg_sigma", 0);
      double declared = json_object_get_double_member_with_default (o, "declared_kg", 0);

      if (kg >= 0)
        g_ptr_array_add (d->hints, (gpointer) keep_string (d, g_strdup_printf (
          _("Estimated from the scan: %'.0f ± %'.0f kg (two standard deviations)%s; declared %'.0f kg."),
          kg, 2 * sigma, json_object_get_boolean_member_with_default (o, "lower_bound", FALSE)
                         ? _(" (at least: much of it is too dense to see through)") : "", declared)));
    }
  for (guint i = 0; i < json_array_get_length (hints); i++)
    {
      JsonNode *node = json_array_get_element (hints, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *message = o ? json_object_get_string_member_with_default (o, "message", NULL) : NULL;

      if (message)
        g_ptr_array_add (d->hints, (gpointer) keep_string (d, g_strdup (message)));
    }
  g_ptr_array_add (d->hints, NULL);
  return (const char * const *) d->hints->pdata;
}

/* Who decided, and how long the case was on screen before. */
static char *
describe_author (const DlVerdict *verdict,
                 const char      *seen)
{
  gint64 shown_ms = seen ? dl_verdict_seen_get_shown_ms (seen) : -1;

  if (shown_ms < 0)
    return g_strdup_printf ("%s (%s)", verdict->author.name, verdict->author.login);
  /* TRANSLATORS: "Anna Jansen (anna), after 12.4 s on screen" */
  return g_strdup_printf (_("%s (%s), after %.1f s on screen"), verdict->author.name, verdict->author.login,
                          shown_ms / 1000.0);
}

/**
 * dl_case_file_write_report:
 * @view_state: (nullable): the window the analyst used; %NULL: automatic
 *
 * Writes the PDF report of @case_id (dl-report.h): its scans as they were
 * on screen when the latest verdict was recorded (its window, space,
 * overlays and enhancement, dl-case-seen.h), or else as @view_state windows
 * them,
 * with their marks, the manifest, the verdict and its review, the hints
 * stored with the case, the audit trail and the chain head.  A scan whose
 * bytes no longer match the recorded SHA-256 is not drawn; the report says
 * so.
 */
gboolean
dl_case_file_write_report (DlCaseFile  *file,
                           const char  *case_id,
                           DlViewState *view_state,
                           const char  *path,
                           GError     **error)
{
  g_autofree char *head = NULL;
  DlReportOrigin origin = { 0 };

  g_return_val_if_fail (DL_IS_CASE_FILE (file), FALSE);

  head = dl_case_file_get_chain_head (file, NULL);
  origin.source = dl_case_file_get_path (file);
  origin.chain_head = head;
  origin.author = dl_case_file_get_identity (file);
  return dl_case_file_write_report_from (file, case_id, view_state, &origin, path, error);
}

gboolean
dl_case_file_write_report_from (DlCaseFile           *file,
                                const char           *case_id,
                                DlViewState          *view_state,
                                const DlReportOrigin *origin,
                                const char           *path,
                                GError              **error)
{
  g_autoptr(DlCaseSummary) summary = NULL;
  g_autoptr(DlManifest) manifest = NULL;
  g_autoptr(DlVerdict) verdict = NULL;
  g_autoptr(DlReview) review = NULL;
  g_autofree char *seen = NULL;
  g_autoptr(GError) local = NULL;
  g_auto(ReportData) d = { 0 };
  DlReportCase r = { 0 };

  g_return_val_if_fail (DL_IS_CASE_FILE (file), FALSE);
  g_return_val_if_fail (case_id != NULL && path != NULL && origin != NULL, FALSE);

  d.keep = g_ptr_array_new_with_free_func (g_object_unref);
  d.strings = g_ptr_array_new_with_free_func (g_free);
  if ((summary = dl_case_file_get_case (file, case_id, error)) == NULL)
    return FALSE;
  /* each is %NULL without error when there is none: a read that failed is
   * an error, never a report without its verdict */
  if (((verdict = dl_case_file_get_verdict (file, case_id, &local)) == NULL && local)
      || (verdict && (seen = dl_case_file_get_verdict_seen (file, verdict->id, &local)) == NULL && local))
    return g_propagate_error (error, g_steal_pointer (&local)), FALSE;
  if (!fill_scans (file, case_id, view_state, seen, &d, error) || !fill_events (file, case_id, &d, error))
    return FALSE;
  if (((manifest = dl_case_file_get_manifest (file, case_id, &local)) == NULL && local)
      || (verdict && (review = dl_case_file_get_review (file, verdict->id, &local)) == NULL && local))
    return g_propagate_error (error, g_steal_pointer (&local)), FALSE;
  r.case_id = summary->id;
  r.title = summary->title;
  r.case_file = origin->source;
  r.from_site = origin->is_site;
  r.scans = (const DlReportScan *) d.report_scans->data;
  r.n_scans = d.report_scans->len;
  r.manifest = manifest;
  if (verdict)
    {
      r.verdict = dl_decision_get_label (verdict->decision);
      r.verdict_reasons = keep_string (&d, reason_labels (verdict));
      r.verdict_text = verdict->text;
      r.verdict_author = keep_string (&d, describe_author (verdict, seen));
      r.verdict_time = verdict->created;
    }
  if (review)
    {
      r.review = dl_review_decision_get_label (review->decision);
      r.review_comment = review->comment;
      r.review_author = keep_string (&d, g_strdup_printf ("%s (%s)", review->author.name, review->author.login));
      r.review_time = review->created;
    }
  /* %NULL without error when there are none */
  r.hints = fill_hints (file, case_id, &d, &local);
  if (local)
    return g_propagate_error (error, g_steal_pointer (&local)), FALSE;
  r.findings = fill_findings (file, case_id, &d, &local);
  if (local)
    return g_propagate_error (error, g_steal_pointer (&local)), FALSE;
  r.events = (const DlReportEvent *) d.report_events->data;
  r.n_events = d.report_events->len;
  r.chain_head = origin->chain_head;
  r.created = g_get_real_time () / G_USEC_PER_SEC;
  if (origin->author)
    r.author = keep_string (&d, g_strdup_printf ("%s (%s)", dl_identity_get_display_name (origin->author),
                                                  dl_identity_get_login (origin->author)));
  return dl_report_write_pdf (&r, path, error) && dl_case_monitor_step (file, 1, 1);
}
