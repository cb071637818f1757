/* dl-window-jobs.c — DlWindow's long work on the case file (reports,
 * verdict lists, exports, imports, verification) and its busy bar.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-window-jobs"

#include "config.h"

#include <glib/gi18n.h>

#include "dl-report.h"
#include "dl-window-private.h"

/* Work on the case file that can take a while (reports, exports, imports,
 * verification) runs in a worker thread on a connection of its own, so
 * the window stays live; a pulsing bar says it is busy. */
typedef struct _CaseJob CaseJob;
typedef gboolean (*CaseJobFunc) (CaseJob *job, DlCaseFile *file, GError **error);

struct _CaseJob
{
  DlWindow    *window;
  char        *case_path;
  DlIdentity  *identity;     /* NULL: open the file read-only */
  CaseJobFunc  func;
  char        *path;         /* the file chosen */
  char        *case_id;
  GStrv        case_ids;
  DlViewState *view_state;
  char        *failed;       /* heading when it fails */
  GCancellable *cancellable;
  double       fraction;     /* how far, from the worker (atomic) */
  guint        progress_idle;
  /* results */
  char        *toast;
  char        *heading;      /* set: a dialog with body */
  char        *body;
  gboolean     changed;      /* the case file changed: reload the queue */
};

static const char * const case_job_actions[] = {
  "win.export-report", "win.export-csv", "win.export-cases", "win.import-cases", "win.verify",
};

static void
case_job_free (CaseJob *job)
{
  g_clear_object (&job->window);
  g_clear_object (&job->identity);
  g_clear_object (&job->view_state);
  g_clear_object (&job->cancellable);
  g_free (job->case_path);
  g_free (job->path);
  g_free (job->case_id);
  g_strfreev (job->case_ids);
  g_free (job->failed);
  g_free (job->toast);
  g_free (job->heading);
  g_free (job->body);
  g_free (job);
}

static gboolean
pulse_busy (gpointer data)
{
  DlWindow *self = data;

  g_assert (DL_IS_WINDOW (self));

  gtk_progress_bar_pulse (self->busy_bar);
  return G_SOURCE_CONTINUE;
}

static void
set_busy (DlWindow     *self,
          const char   *label,
          GCancellable *cancellable)
{
  gtk_widget_set_visible (self->busy_box, label != NULL);
  g_clear_handle_id (&self->busy_pulse, g_source_remove);
  g_set_object (&self->job_cancellable, cancellable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-job", cancellable != NULL);
  if (label)
    {
      gtk_label_set_label (self->busy_label, label);
      gtk_progress_bar_set_fraction (self->busy_bar, 0);
      /* it pulses until the work says how far it is */
      self->busy_pulse = g_timeout_add (100, pulse_busy, self);
    }
  /* one job at a time */
  for (guint i = 0; i < G_N_ELEMENTS (case_job_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), case_job_actions[i], label == NULL);
  if (label == NULL)
    _dl_window_update_case_actions (self);
}

/* In the main thread: the worker's latest fraction on the bar. */
static gboolean
show_job_progress (gpointer data)
{
  g_autoptr(GTask) task = data;
  CaseJob *job = g_task_get_task_data (task);
  DlWindow *self = job->window;

  g_assert (DL_IS_WINDOW (self));

  g_atomic_int_set (&job->progress_idle, 0);
  if (self->job_cancellable != job->cancellable)
    return G_SOURCE_REMOVE;
  g_clear_handle_id (&self->busy_pulse, g_source_remove);
  gtk_progress_bar_set_fraction (self->busy_bar, job->fraction);
  return G_SOURCE_REMOVE;
}

/* In the worker: at most one update waiting in the main loop. */
static void
on_job_progress (double   fraction,
                 gpointer data)
{
  GTask *task = data;
  CaseJob *job = g_task_get_task_data (task);

  job->fraction = fraction;
  if (g_atomic_int_compare_and_exchange (&job->progress_idle, 0, 1))
    g_idle_add (show_job_progress, g_object_ref (task));
}

/* Stops the job running, if any: it ends with nothing changed. */
void
_dl_window_cancel_job (DlWindow *self)
{
  g_assert (DL_IS_WINDOW (self));

  if (self->job_cancellable)
    {
      g_cancellable_cancel (self->job_cancellable);
      gtk_label_set_label (self->busy_label, _("Cancelling…"));
    }
}

static void
cancel_job_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  g_assert (DL_IS_WINDOW (widget));

  _dl_window_cancel_job (DL_WINDOW (widget));
}

static void
case_job_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  CaseJob *job = task_data;
  g_autoptr(DlCaseFile) file = NULL;
  GError *error = NULL;

  if (job->identity)
    file = dl_case_file_open (job->case_path, job->identity, &error);
  else
    file = dl_case_file_open_untrusted (job->case_path, &error);
  if (file)
    dl_case_file_set_monitor (file, job->cancellable, on_job_progress, task);
  if (file == NULL || !job->func (job, file, &error) || !dl_case_file_close (file, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* What a job that did its work leaves: the queue reloaded, a dialog, a
 * toast. */
static void
show_job_results (DlWindow *self,
                  CaseJob  *job)
{
  if (job->changed && self->queue)
    {
      g_autoptr(GError) reload_error = NULL;

      if (!dl_case_queue_reload (self->queue, &reload_error))
        _dl_window_toast (self, reload_error->message);
      dl_verdict_panel_refresh (self->verdict_panel);
    }
  if (job->heading)
    {
      AdwMessageDialog *dialog;

      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), job->heading, job->body));
      adw_message_dialog_add_response (dialog, "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
  if (job->toast)
    _dl_window_toast (self, job->toast);
}

static void
case_job_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  CaseJob *job = g_task_get_task_data (G_TASK (result));
  DlWindow *self = job->window;
  g_autoptr(GError) error = NULL;

  g_assert (DL_IS_WINDOW (self));

  set_busy (self, NULL, NULL);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _dl_window_toast (self, _("Cancelled: nothing was changed or written"));
      else
        _dl_window_show_error (self, job->failed, error);
      return;
    }
  show_job_results (self, job);
}

static void
run_case_job (DlWindow    *self,
              CaseJob     *job,
              const char  *busy_label,
              gboolean     writable)
{
  DlCaseFile *file = dl_session_get_case_file (self->session);
  g_autoptr(GTask) task = NULL;

  job->window = g_object_ref (self);
  job->case_path = g_strdup (dl_case_file_get_path (file));
  if (writable && dl_case_file_get_identity (file))
    job->identity = g_object_ref (dl_case_file_get_identity (file));
  job->cancellable = g_cancellable_new ();
  set_busy (self, busy_label, job->cancellable);
  task = g_task_new (NULL, NULL, case_job_done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) case_job_free);
  g_task_run_in_thread (task, case_job_thread);
}

static gboolean
report_job (CaseJob     *job,
            DlCaseFile  *file,
            GError     **error)
{
  g_autofree char *name = g_filename_display_basename (job->path);

  if (!dl_case_file_write_report (file, job->case_id, job->view_state, job->path, error))
    return FALSE;
  job->toast = g_strdup_printf (_("Report written to %s"), name);
  return TRUE;
}

static void
report_chosen (DlWindow   *self,
               const char *path)
{
  CaseJob *job = g_new0 (CaseJob, 1);
  DlViewState *shown = dl_session_get_view_state (self->session);
  double center, width;
  gboolean density, invert;

  /* the window as the analyst has it now, for the worker to use */
  g_object_get (shown, "center", &center, "width", &width, "density", &density, "invert", &invert, NULL);
  job->view_state = dl_view_state_new ();
  g_object_set (job->view_state, "density", density, "center", center, "width", width,
                "invert", invert, NULL);
  job->func = report_job;
  job->path = g_strdup (path);
  job->case_id = g_strdup (dl_session_get_case_id (self->session));
  job->failed = g_strdup (_("The report was not written"));
  run_case_job (self, job, _("Writing the report…"), FALSE);
}

static void
export_report_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  g_autofree char *name = NULL;

  g_assert (DL_IS_WINDOW (self));

  name = g_strdup_printf ("%s.pdf", gtk_window_get_title (GTK_WINDOW (self)));
  _dl_window_choose_file (self, _("Export Report"), GTK_FILE_CHOOSER_ACTION_SAVE, "export-folder", name,
                          report_chosen);
}

static gboolean
csv_job (CaseJob     *job,
         DlCaseFile  *file,
         GError     **error)
{
  if (!dl_case_file_write_csv (file, job->path, error))
    return FALSE;
  job->toast = g_strdup (_("Verdict list written"));
  return TRUE;
}

static void
csv_chosen (DlWindow   *self,
            const char *path)
{
  CaseJob *job = g_new0 (CaseJob, 1);

  job->func = csv_job;
  job->path = g_strdup (path);
  job->failed = g_strdup (_("The verdict list was not written"));
  run_case_job (self, job, _("Writing the verdict list…"), FALSE);
}

static void
export_csv_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  g_assert (DL_IS_WINDOW (widget));

  _dl_window_choose_file (DL_WINDOW (widget), _("Export Verdicts"), GTK_FILE_CHOOSER_ACTION_SAVE,
                          "export-folder", _("verdicts.csv"), csv_chosen);
}

static gboolean
export_job (CaseJob     *job,
            DlCaseFile  *file,
            GError     **error)
{
  guint n = g_strv_length (job->case_ids);

  if (!dl_case_file_export (file, (const char * const *) job->case_ids, job->path, error))
    return FALSE;
  job->toast = g_strdup_printf (ngettext ("%u case exported and signed", "%u cases exported and signed", n), n);
  return TRUE;
}

static void
export_cases_chosen (DlWindow   *self,
                     const char *path)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->queue));
  CaseJob *job = g_new0 (CaseJob, 1);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DlCaseItem) item = g_list_model_get_item (G_LIST_MODEL (self->queue), i);
      g_strv_builder_add (ids, dl_case_item_get_id (item));
    }
  job->case_ids = g_strv_builder_end (ids);
  job->func = export_job;
  job->path = g_strdup (path);
  job->failed = g_strdup (_("The cases were not exported"));
  /* the export is signed with the user's key: opened as theirs */
  run_case_job (self, job, _("Exporting and signing the cases…"), TRUE);
}

static void
export_cases_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  g_assert (DL_IS_WINDOW (widget));

  /* the cases listed now, with the queue's filter and search */
  _dl_window_choose_file (DL_WINDOW (widget), _("Export Cases"), GTK_FILE_CHOOSER_ACTION_SAVE,
                          "export-folder", _("export.dlcase"), export_cases_chosen);
}

static gboolean
import_job (CaseJob     *job,
            DlCaseFile  *file,
            GError     **error)
{
  guint added = 0;

  if (!dl_case_file_import (file, job->path, &added, error))
    return FALSE;
  job->changed = TRUE;
  job->toast = g_strdup_printf (ngettext ("Imported: %u new event", "Imported: %u new events", added), added);
  return TRUE;
}

static void
import_chosen (DlWindow   *self,
               const char *path)
{
  CaseJob *job = g_new0 (CaseJob, 1);

  job->func = import_job;
  job->path = g_strdup (path);
  job->failed = g_strdup (_("The cases were not imported"));
  run_case_job (self, job, _("Checking and importing the cases…"), TRUE);
}

static void
import_cases_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  g_assert (DL_IS_WINDOW (widget));

  _dl_window_choose_file (DL_WINDOW (widget), _("Import Cases"), GTK_FILE_CHOOSER_ACTION_OPEN,
                          "case-files-folder", NULL, import_chosen);
}

static gboolean
verify_job (CaseJob     *job,
            DlCaseFile  *file,
            GError     **error)
{
  g_autoptr(DlVerifyReport) report = dl_case_file_verify (file, error);
  g_autoptr(GString) body = g_string_new (NULL);

  if (report == NULL)
    return FALSE;
  g_string_append_printf (body, _("%'u events, %'u rows and %'u images checked."),
                          report->n_events, report->n_rows, report->n_scans_checked);
  for (guint i = 0; i < report->problems->len && i < 20; i++)
    g_string_append_printf (body, "\n• %s", ((DlVerifyProblem *) g_ptr_array_index (report->problems, i))->message);
  if (report->problems->len > 20)
    g_string_append_printf (body, "\n%s", _("… and more: run “doorlicht-cli verify” for the whole list."));
  job->heading = g_strdup (report->problems->len ? _("The Case File Does Not Verify")
                                                 : _("The Case File Verifies"));
  job->body = g_string_free (g_steal_pointer (&body), FALSE);
  return TRUE;
}

static void
verify_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  CaseJob *job;

  g_assert (DL_IS_WINDOW (self));

  job = g_new0 (CaseJob, 1);
  job->func = verify_job;
  job->failed = g_strdup (_("The case file could not be verified"));
  run_case_job (self, job, _("Verifying the case file…"), FALSE);
}

void
_dl_window_jobs_class_init (DlWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.export-report", NULL, export_report_action);
  gtk_widget_class_install_action (widget_class, "win.export-csv", NULL, export_csv_action);
  gtk_widget_class_install_action (widget_class, "win.export-cases", NULL, export_cases_action);
  gtk_widget_class_install_action (widget_class, "win.import-cases", NULL, import_cases_action);
  gtk_widget_class_install_action (widget_class, "win.verify", NULL, verify_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-job", NULL, cancel_job_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel-job", NULL);
}

/* No job runs yet: nothing to cancel. */
void
_dl_window_jobs_init (DlWindow *self)
{
  g_assert (DL_IS_WINDOW (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-job", FALSE);
}
