/* dl-session-findings.c — the findings of the scan shown: run, stored,
 * answered (see the header).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-session-findings"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "dl-detector.h"
#include "dl-material.h"
#include "dl-profile.h"
#include "dl-session-findings.h"

struct _DlSessionFindings
{
  GObject       parent_instance;

  GPtrArray    *detectors;     /* DlDetector */
  GPtrArray    *findings;      /* DlSessionFinding */
  GPtrArray    *errors;        /* char *, NULL-ended */
  char         *note;
  gboolean      active;
  gboolean      no_manifest;   /* the scan shown has none: its checks are not made */

  /* the scan shown, and where its findings are kept */
  DlCaseFile   *case_file;
  char         *case_id;
  char         *scan_id;

  GCancellable *cancellable;   /* the run under way, or NULL */
};

G_DEFINE_FINAL_TYPE (DlSessionFindings, dl_session_findings, G_TYPE_OBJECT)
G_DEFINE_QUARK (dl-session-findings-error-quark, dl_session_findings_error)

enum { PROP_0, PROP_RUNNING, N_PROPS };
enum { CHANGED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
session_finding_free (gpointer data)
{
  DlSessionFinding *f = data;

  dl_finding_free (f->finding);
  g_free (f->id);
  g_free (f);
}

static void
add_finding (DlSessionFindings *self,
             DlFinding         *finding,    /* (transfer full) */
             const char        *id,
             DlFindingResponse  response)
{
  DlSessionFinding *f = g_new0 (DlSessionFinding, 1);

  f->finding = finding;
  f->id = g_strdup (id);
  f->response = response;
  g_ptr_array_add (self->findings, f);
}

static void
add_error (DlSessionFindings *self,
           char              *line)   /* (transfer full) */
{
  g_ptr_array_insert (self->errors, self->errors->len - 1, line);
}

static void
clear (DlSessionFindings *self)
{
  g_ptr_array_set_size (self->findings, 0);
  g_ptr_array_set_size (self->errors, 0);
  g_ptr_array_add (self->errors, NULL);
  g_clear_pointer (&self->note, g_free);
}

static void
set_running (DlSessionFindings *self,
             GCancellable      *cancellable)
{
  gboolean was = self->cancellable != NULL;

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, cancellable);
  if (was != (cancellable != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/* The findings the case file holds for the scan shown; FALSE when it
 * holds none (or could not be read: said in the errors). */
static gboolean
show_stored (DlSessionFindings *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stored = dl_case_file_get_findings (self->case_file, self->case_id, &error);

  if (stored == NULL)
    {
      add_error (self, g_strdup_printf (_("The findings stored in the case could not be read: %s"), error->message));
      return FALSE;
    }
  for (guint i = 0; i < stored->len; i++)
    {
      DlCaseFinding *c = g_ptr_array_index (stored, i);

      if (g_strcmp0 (c->scan_id, self->scan_id) == 0)
        add_finding (self, dl_finding_copy (c->finding), c->id, c->response);
    }
  return self->findings->len > 0;
}

/* ---- the run, in a worker thread ------------------------------------------------------- */

static void
run_thread (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GPtrArray *detectors = g_object_get_data (G_OBJECT (task), "dl-detectors");

  g_task_return_pointer (task, dl_detectors_run (detectors, task_data, cancellable),
                         (GDestroyNotify) dl_detect_report_free);
}

/* A run's findings kept in the case (all or none): their ids, or NULL
 * (the reason in the errors when there was a case to keep them in). */
static GStrv
store (DlSessionFindings *self,
       GPtrArray         *findings)
{
  g_autoptr(GError) error = NULL;
  GStrv ids;

  if (self->case_file == NULL || self->scan_id == NULL || findings->len == 0)
    return NULL;
  if (dl_case_file_is_read_only (self->case_file))
    {
      add_error (self, g_strdup (_("The case file is open read-only: the findings are shown, not stored")));
      return NULL;
    }
  if ((ids = dl_case_file_add_findings (self->case_file, self->scan_id, findings, &error)) == NULL)
    add_error (self, g_strdup_printf (_("The findings could not be stored in the case: %s"), error->message));
  return ids;
}

static void
show_report (DlSessionFindings *self,
             DlDetectReport    *report)
{
  g_auto(GStrv) ids = NULL;

  gboolean unchecked = FALSE;

  for (guint i = 0; i < report->runs->len; i++)
    {
      DlDetectorRun *r = g_ptr_array_index (report->runs, i);

      if (self->no_manifest && g_error_matches (r->error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
        unchecked = TRUE;   /* it needs the manifest: said once, below */
      else if (r->error)
        /* TRANSLATORS: a detector's name and why it could not run */
        add_error (self, g_strdup_printf (_("%s: %s"), r->detector, r->error->message));
    }
  if (unchecked)
    self->note = g_strdup (_("The scan has no manifest: only the detectors that need none looked"));
  ids = store (self, report->findings);
  for (guint i = 0; i < report->findings->len; i++)
    add_finding (self, dl_finding_copy (g_ptr_array_index (report->findings, i)), ids ? ids[i] : NULL,
                 DL_FINDING_RESPONSE_NONE);
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(DlSessionFindings) self = user_data;
  g_autoptr(DlDetectReport) report = g_task_propagate_pointer (G_TASK (result), NULL);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));

  /* a newer scan took over */
  if (cancellable != self->cancellable || g_cancellable_is_cancelled (cancellable))
    return;
  show_report (self, report);
  set_running (self, NULL);
  g_signal_emit (self, signals[CHANGED], 0);
}

static gpointer
ref_detector (gconstpointer detector,
              gpointer      data)
{
  return g_object_ref ((gpointer) detector);
}

static void
start_run (DlSessionFindings *self,
           DlScan            *scan,
           DlManifest        *manifest,
           DlBayPlan         *bay_plan)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, on_run_done, g_object_ref (self));
  g_autoptr(GPtrArray) detectors = g_ptr_array_copy (self->detectors, ref_detector, NULL);

  g_ptr_array_set_free_func (detectors, g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "dl-detectors", g_steal_pointer (&detectors),
                          (GDestroyNotify) g_ptr_array_unref);
  g_task_set_task_data (task, dl_detect_input_new (scan, manifest, NULL, dl_calibration_for_scan (scan, NULL), bay_plan),
                        (GDestroyNotify) dl_detect_input_unref);
  set_running (self, cancellable);
  g_task_run_in_thread (task, run_thread);
}

/* ---- the object ------------------------------------------------------------------------- */

static void
dl_session_findings_dispose (GObject *object)
{
  DlSessionFindings *self = DL_SESSION_FINDINGS (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->case_file);
  G_OBJECT_CLASS (dl_session_findings_parent_class)->dispose (object);
}

static void
dl_session_findings_finalize (GObject *object)
{
  DlSessionFindings *self = DL_SESSION_FINDINGS (object);

  g_ptr_array_unref (self->detectors);
  g_ptr_array_unref (self->findings);
  g_ptr_array_unref (self->errors);
  g_free (self->note);
  g_free (self->case_id);
  g_free (self->scan_id);
  G_OBJECT_CLASS (dl_session_findings_parent_class)->finalize (object);
}

static void
dl_session_findings_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DlSessionFindings *self = DL_SESSION_FINDINGS (object);

  switch (prop_id)
    {
    case PROP_RUNNING: g_value_set_boolean (value, self->cancellable != NULL); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dl_session_findings_class_init (DlSessionFindingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dl_session_findings_dispose;
  object_class->finalize = dl_session_findings_finalize;
  object_class->get_property = dl_session_findings_get_property;

  /* TRUE while the detectors look at the scan shown */
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DlSessionFindings::changed:
   *
   * The findings shown, their responses, errors or note changed.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
dl_session_findings_init (DlSessionFindings *self)
{
  self->detectors = dl_detectors_builtin ();
  self->findings = g_ptr_array_new_with_free_func (session_finding_free);
  self->errors = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->errors, NULL);
}

DlSessionFindings *
dl_session_findings_new (void)
{
  return g_object_new (DL_TYPE_SESSION_FINDINGS, NULL);
}

void
dl_session_findings_set_detectors (DlSessionFindings *self,
                                   GPtrArray         *detectors)
{
  g_return_if_fail (DL_IS_SESSION_FINDINGS (self));
  g_return_if_fail (detectors != NULL);

  g_ptr_array_unref (self->detectors);
  self->detectors = g_ptr_array_ref (detectors);
}

void
dl_session_findings_set_scan (DlSessionFindings *self,
                              DlScan            *scan,
                              DlManifest        *manifest,
                              DlBayPlan         *bay_plan,
                              DlCaseFile        *case_file,
                              const char        *case_id,
                              const char        *scan_id)
{
  DlCaseFile *keeper = case_id && scan_id ? case_file : NULL;

  g_return_if_fail (DL_IS_SESSION_FINDINGS (self));
  g_return_if_fail (scan == NULL || DL_IS_SCAN (scan));
  g_return_if_fail (case_file == NULL || DL_IS_CASE_FILE (case_file));

  set_running (self, NULL);
  clear (self);
  g_set_object (&self->case_file, keeper);
  g_free (self->case_id);
  self->case_id = self->case_file ? g_strdup (case_id) : NULL;
  g_free (self->scan_id);
  self->scan_id = self->case_file ? g_strdup (scan_id) : NULL;
  self->active = scan != NULL;

  self->no_manifest = manifest == NULL;
  if (scan && (self->case_file == NULL || !show_stored (self)))
    start_run (self, scan, manifest, bay_plan);
  g_signal_emit (self, signals[CHANGED], 0);
}

gboolean
dl_session_findings_get_running (DlSessionFindings *self)
{
  g_return_val_if_fail (DL_IS_SESSION_FINDINGS (self), FALSE);
  return self->cancellable != NULL;
}

gboolean
dl_session_findings_get_active (DlSessionFindings *self)
{
  g_return_val_if_fail (DL_IS_SESSION_FINDINGS (self), FALSE);
  return self->active;
}

guint
dl_session_findings_get_n (DlSessionFindings *self)
{
  g_return_val_if_fail (DL_IS_SESSION_FINDINGS (self), 0);
  return self->findings->len;
}

const DlSessionFinding *
dl_session_findings_get (DlSessionFindings *self,
                         guint              index)
{
  g_return_val_if_fail (DL_IS_SESSION_FINDINGS (self), NULL);
  return index < self->findings->len ? g_ptr_array_index (self->findings, index) : NULL;
}

const char * const *
dl_session_findings_get_errors (DlSessionFindings *self)
{
  g_return_val_if_fail (DL_IS_SESSION_FINDINGS (self), NULL);
  return (const char * const *) self->errors->pdata;
}

const char *
dl_session_findings_get_note (DlSessionFindings *self)
{
  g_return_val_if_fail (DL_IS_SESSION_FINDINGS (self), NULL);
  return self->note;
}

gboolean
dl_session_findings_respond (DlSessionFindings *self,
                             guint              index,
                             DlFindingResponse  response,
                             GError           **error)
{
  DlSessionFinding *f;

  g_return_val_if_fail (DL_IS_SESSION_FINDINGS (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (index >= self->findings->len || response == DL_FINDING_RESPONSE_NONE)
    {
      g_set_error (error, DL_SESSION_FINDINGS_ERROR, DL_SESSION_FINDINGS_ERROR_INVALID,
                   _("There is no such finding to respond to"));
      return FALSE;
    }
  f = g_ptr_array_index (self->findings, index);
  if (self->case_file == NULL)
    {
      g_set_error (error, DL_SESSION_FINDINGS_ERROR, DL_SESSION_FINDINGS_ERROR_NO_CASE,
                   _("Open the scan as a case to record a response"));
      return FALSE;
    }
  if (f->id == NULL)
    {
      g_set_error (error, DL_SESSION_FINDINGS_ERROR, DL_SESSION_FINDINGS_ERROR_NOT_STORED,
                   _("The finding is not stored in the case, so no response to it can be recorded"));
      return FALSE;
    }
  if (!dl_case_file_respond_to_finding (self->case_file, f->id, response, NULL, error))
    return FALSE;
  f->response = response;
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}
