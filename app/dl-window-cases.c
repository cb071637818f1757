/* dl-window-cases.c — DlWindow on a case file: its queue in the sidebar,
 * the case chosen, its integrity, the manifest's hints and containers,
 * the analyst's verdicts and the supervisor's reviews.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-window-cases"

#include "config.h"

#include <glib/gi18n.h>

#include "dl-case-seen.h"
#include "dl-settings.h"
#include "dl-window-private.h"

/* What can be done with the case file open (none, read-only, damaged)
 * and the case shown. */
void
_dl_window_update_case_actions (DlWindow *self)
{
  DlCaseFile *file;
  gboolean has_case, opening, writable;

  g_assert (DL_IS_WINDOW (self));

  file = dl_session_get_case_file (self->session);
  has_case = file && dl_session_get_case_id (self->session);
  /* while a case opens its keys stay live, to say they were ignored */
  opening = file && dl_session_get_loading (self->session);
  writable = file && !dl_case_file_is_read_only (file) && self->case_damaged == NULL;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.verdict", (has_case || opening) && writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.review", (has_case || opening) && writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-report", has_case);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-csv", file != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-cases", file != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import-cases", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.verify", file != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-queue", file != NULL);
}

static void
on_case_selected (DlCaseSidebar *sidebar,
                  const char    *case_id,
                  DlWindow      *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert (DL_IS_CASE_SIDEBAR (sidebar));
  g_assert (DL_IS_WINDOW (self));

  if (self->site ? !_dl_window_site_open_case (self, case_id, &error)
                 : !dl_session_open_case (self->session, case_id, 0, &error))
    {
      /* the banner already says the server is away */
      if (self->site && !dl_site_is_connected (self->site))
        {
          text = g_strdup_printf (_("Case %s cannot be opened until the site server is back"), case_id);
          _dl_window_toast (self, text);
          return;
        }
      text = g_strdup_printf (_("Could not open case %s"), case_id);
      _dl_window_show_error (self, text, error);
    }
  /* the verdict panel follows the session's case (dl-window-views.c) */
  _dl_window_update_case_actions (self);
}

static void
on_integrity_changed (DlSession  *session,
                      GParamSpec *pspec,
                      DlWindow   *self)
{
  const char *problem;

  g_assert (DL_IS_SESSION (session));
  g_assert (DL_IS_WINDOW (self));

  problem = self->case_damaged ? self->case_damaged : dl_session_get_integrity_problem (session);
  gtk_label_set_label (self->integrity_label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->integrity_label), problem != NULL);
}

/* The quick check running beside the first view of a case file failed:
 * nothing was or will be changed; say so over the scan. */
static void
on_case_damaged (DlCaseFile *file,
                 const char *message,
                 DlWindow   *self)
{
  g_assert (DL_IS_CASE_FILE (file));
  g_assert (DL_IS_WINDOW (self));

  if (file != dl_session_get_case_file (self->session))
    return;
  g_free (self->case_damaged);
  self->case_damaged = g_strdup_printf (_("The case file is damaged and nothing can be recorded in it: %s"),
                                        message);
  on_integrity_changed (self->session, NULL, self);
  _dl_window_update_case_actions (self);
}

static void
on_hints_changed (DlSession  *session,
                  GParamSpec *pspec,
                  DlWindow   *self)
{
  g_assert (DL_IS_SESSION (session));
  g_assert (DL_IS_WINDOW (self));

  dl_manifest_panel_set_hints (self->manifest_panel, dl_session_get_check_summary (session),
                               dl_session_get_hints (session));
}

/* A container chosen in the manifest: its own case, when the queue has
 * one titled with its number. */
static void
on_container_selected (DlManifestPanel *panel,
                       const char      *number,
                       DlWindow        *self)
{
  guint n;

  g_assert (DL_IS_MANIFEST_PANEL (panel));
  g_assert (DL_IS_WINDOW (self));

  n = self->queue ? g_list_model_get_n_items (G_LIST_MODEL (self->queue)) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DlCaseItem) item = g_list_model_get_item (G_LIST_MODEL (self->queue), i);

      if (g_strcmp0 (dl_case_item_get_title (item), number) == 0)
        {
          if (g_strcmp0 (dl_case_item_get_id (item), dl_session_get_case_id (self->session)) != 0)
            dl_case_sidebar_select (self->case_sidebar, dl_case_item_get_id (item));
          return;
        }
    }
}

static void
on_queue_failed (DlCaseQueue *queue,
                 GError      *error,
                 DlWindow    *self)
{
  g_assert (DL_IS_CASE_QUEUE (queue));
  g_assert (DL_IS_WINDOW (self));

  _dl_window_toast (self, error->message);
}

/* DOORLICHT_TIMING=1: say how long a case file took from opening to the
 * first frame that shows its queue (build-aux/bench reads it). */
static void
on_queue_painted (GdkFrameClock *clock,
                  gpointer       user_data)
{
  gint64 *start = user_data;

  g_assert (GDK_IS_FRAME_CLOCK (clock));

  g_printerr ("doorlicht: %s opened and listed on screen in %.1f ms\n",
              (const char *) g_object_get_data (G_OBJECT (clock), "dl-listed-what"),
              (g_get_monotonic_time () - *start) / 1000.0);
  g_signal_handlers_disconnect_by_func (clock, on_queue_painted, user_data);
  g_free (start);
}

/* DOORLICHT_TIMING=1: "doorlicht: @what opened and listed on screen in
 * … ms" once the next frame is drawn (build-aux/bench reads it). */
void
_dl_window_time_to_first_frame (DlWindow   *self,
                                gint64      start,
                                const char *what)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  gint64 *data;

  if (clock == NULL || g_getenv ("DOORLICHT_TIMING") == NULL)
    return;
  g_object_set_data_full (G_OBJECT (clock), "dl-listed-what", g_strdup (what), g_free);
  data = g_new (gint64, 1);
  *data = start;
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_queue_painted), data);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* DOORLICHT_TIMING=1: "doorlicht: @step in … ms" since @start (build-aux/bench). */
void
_dl_window_time_step (const char *step,
                      gint64      start)
{
  if (g_getenv ("DOORLICHT_TIMING"))
    g_printerr ("doorlicht: %s in %.1f ms\n", step, (g_get_monotonic_time () - start) / 1000.0);
}

static void
select_first_case (DlWindow *self)
{
  int first;

  if (self->queue == NULL || dl_session_get_case_id (self->session))
    return;
  first = dl_case_queue_next_open (self->queue, -1);
  if (first < 0 && g_list_model_get_n_items (G_LIST_MODEL (self->queue)) > 0)
    first = 0;
  if (first >= 0)
    {
      g_autoptr(DlCaseItem) item = g_list_model_get_item (G_LIST_MODEL (self->queue), first);
      dl_case_sidebar_select (self->case_sidebar, dl_case_item_get_id (item));
    }
}

static void
on_queue_shown (GdkFrameClock *clock,
                DlWindow      *self)
{
  g_assert (GDK_IS_FRAME_CLOCK (clock));
  g_assert (DL_IS_WINDOW (self));

  g_signal_handlers_disconnect_by_func (clock, on_queue_shown, self);
  select_first_case (self);
}

/* @queue (taken) in the sidebar, at once, not sliding in: the first
 * frame shows it. */
void
_dl_window_show_queue (DlWindow    *self,
                       DlCaseQueue *queue)
{
  if (self->queue)
    g_signal_handlers_disconnect_by_data (self->queue, self);
  g_clear_object (&self->queue);
  self->queue = queue;
  g_signal_connect_object (self->queue, "failed", G_CALLBACK (on_queue_failed), self, 0);
  dl_case_sidebar_set_queue (self->case_sidebar, self->queue);
  gtk_revealer_set_transition_type (self->queue_revealer, GTK_REVEALER_TRANSITION_TYPE_NONE);
  gtk_revealer_set_reveal_child (self->queue_revealer, TRUE);
  gtk_revealer_set_transition_type (self->queue_revealer, GTK_REVEALER_TRANSITION_TYPE_SLIDE_RIGHT);
  gtk_stack_set_visible_child_name (self->side_stack, "case");
}

static void
show_queue (DlWindow   *self,
            DlCaseFile *file,
            gint64      start)
{
  DlCaseQueue *queue;

  _dl_window_time_step ("session", start);
  queue = dl_case_queue_new (file);
  _dl_window_time_step ("queue", start);
  _dl_window_show_queue (self, queue);
  _dl_window_time_step ("sidebar", start);
  dl_verdict_panel_set_case (self->verdict_panel, file, NULL);
}

/* The queue shows first; the first case waiting (its image decoded on
 * both cores) follows once that frame is on screen. */
void
_dl_window_select_first_case_when_shown (DlWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_mapped (GTK_WIDGET (self))
                         ? gtk_widget_get_frame_clock (GTK_WIDGET (self)) : NULL;

  if (clock)
    {
      g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_queue_shown), self, 0);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  else
    select_first_case (self);
}

/* See dl_window_open_case_file (). */
gboolean
_dl_window_open_case_file (DlWindow    *self,
                           const char  *path,
                           GError     **error)
{
  g_autoptr(DlIdentity) identity = NULL;
  g_autoptr(DlCaseFile) file = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert (DL_IS_WINDOW (self));

  if ((identity = dl_settings_load_identity (error)) == NULL)
    return FALSE;
  if ((file = dl_case_file_open_checking (path, identity, error)) == NULL)
    return FALSE;
  _dl_window_time_step ("opened", start);

  dl_session_set_files (self->session, NULL);
  _dl_window_site_dispose (self);
  g_clear_pointer (&self->case_damaged, g_free);
  dl_session_set_case_file (self->session, file);
  g_signal_connect_object (file, "damaged", G_CALLBACK (on_case_damaged), self, 0);
  on_integrity_changed (self->session, NULL, self);
  show_queue (self, file, start);
  _dl_window_update_case_actions (self);
  _dl_window_time_to_first_frame (self, start, "case file");
  _dl_window_select_first_case_when_shown (self);
  return TRUE;
}

/* The next case still waiting for a verdict after @case_id, when the
 * preferences ask for it. */
static void
advance_after_verdict (DlWindow   *self,
                       const char *case_id)
{
  int next;

  if (!dl_settings_get_advance_after_verdict () || self->queue == NULL)
    return;
  next = dl_case_queue_next_open (self->queue, dl_case_queue_find (self->queue, case_id));
  if (next >= 0)
    {
      g_autoptr(DlCaseItem) item = g_list_model_get_item (G_LIST_MODEL (self->queue), next);
      dl_case_sidebar_select (self->case_sidebar, dl_case_item_get_id (item));
    }
  else
    _dl_window_toast (self, _("No case is waiting for a verdict"));
}

static void
verdict_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  DlDecision decision = dl_decision_from_id (g_variant_get_string (param, NULL));
  DlCaseFile *file;
  const char *case_id;
  g_auto(GStrv) reasons = NULL;
  g_autofree char *verdict_id = NULL;
  g_autofree char *seen = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (DL_IS_WINDOW (self));

  file = dl_session_get_case_file (self->session);
  case_id = dl_session_get_case_id (self->session);
  reasons = dl_verdict_panel_dup_reasons (self->verdict_panel);
  if (file == NULL || decision == DL_DECISION_NONE || !_dl_window_may_decide (self) || case_id == NULL)
    return;
  if (decision == DL_DECISION_SEIZE && reasons[0] == NULL)
    {
      gtk_stack_set_visible_child_name (self->side_stack, "case");
      dl_verdict_panel_ask_reason (self->verdict_panel);
      return;
    }

  /* marks drawn so far go in before the verdict that rests on them; the
   * display and the check's hints go in with it */
  dl_session_end_mark_edit (self->session);
  seen = _dl_window_dup_seen (self);
  verdict_id = dl_case_file_add_seen_verdict (file, case_id, decision, (const char * const *) reasons,
                                              dl_verdict_panel_get_note (self->verdict_panel), seen,
                                              dl_session_get_check_json (self->session), &error);
  if (verdict_id == NULL)
    {
      _dl_window_show_error (self, _("The verdict was not recorded"), error);
      return;
    }
  if (self->site && !_dl_window_site_send_verdict (self, case_id, dl_decision_to_id (decision),
                                                   (const char * const *) reasons,
                                                   dl_verdict_panel_get_note (self->verdict_panel), seen,
                                                   dl_session_get_check_json (self->session)))
    return;
  _dl_window_case_decided (self);
  /* TRANSLATORS: "Seize recorded for MSCU1234565" */
  text = g_strdup_printf (_("%s recorded for %s"), dl_decision_get_label (decision),
                          gtk_window_get_title (GTK_WINDOW (self)));
  _dl_window_toast (self, text);
  dl_verdict_panel_clear_input (self->verdict_panel);
  dl_verdict_panel_refresh (self->verdict_panel);
  advance_after_verdict (self, case_id);
}

/* A case whose latest verdict waits for a review that @self may give. */
static gboolean
awaits_my_review (DlWindow            *self,
                  const DlCaseSummary *s)
{
  DlIdentity *me = dl_case_file_get_identity (dl_session_get_case_file (self->session));

  return s->state == DL_CASE_STATE_AWAITING_REVIEW && me
         && g_strcmp0 (s->verdict_author.fingerprint, dl_identity_get_fingerprint (me)) != 0
         && g_strcmp0 (s->verdict_author.login, dl_identity_get_login (me)) != 0;
}

/* After a review: on to the next case awaiting one, in the queue's order. */
static void
advance_after_review (DlWindow   *self,
                      const char *case_id)
{
  int from, n;

  if (self->queue == NULL)
    return;
  n = (int) g_list_model_get_n_items (G_LIST_MODEL (self->queue));
  from = dl_case_queue_find (self->queue, case_id);
  for (int k = 1; k <= n; k++)
    {
      g_autoptr(DlCaseItem) item = g_list_model_get_item (G_LIST_MODEL (self->queue), ((from + k) % n + n) % n);

      if (g_strcmp0 (dl_case_item_get_id (item), case_id) != 0 && awaits_my_review (self, dl_case_item_get_summary (item)))
        {
          dl_case_sidebar_select (self->case_sidebar, dl_case_item_get_id (item));
          return;
        }
    }
  _dl_window_toast (self, _("No other case is waiting for your review"));
}

static void
review_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  DlReviewDecision decision = dl_review_decision_from_id (g_variant_get_string (param, NULL));
  DlCaseFile *file;
  const char *case_id;
  g_autofree char *review_id = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (DL_IS_WINDOW (self));

  file = dl_session_get_case_file (self->session);
  case_id = dl_session_get_case_id (self->session);
  if (file == NULL || decision == DL_REVIEW_NONE || !_dl_window_may_decide (self) || case_id == NULL)
    return;
  review_id = dl_case_file_add_review (file, case_id, decision,
                                       dl_verdict_panel_get_comment (self->verdict_panel), &error);
  if (review_id == NULL)
    {
      _dl_window_show_error (self, _("The review was not recorded"), error);
      return;
    }
  if (self->site && !_dl_window_site_send_review (self, case_id, dl_review_decision_to_id (decision),
                                                  dl_verdict_panel_get_comment (self->verdict_panel)))
    return;
  _dl_window_case_decided (self);
  _dl_window_toast (self, decision == DL_REVIEW_APPROVE ? _("Verdict approved") : _("Verdict returned to the analyst"));
  dl_verdict_panel_clear_input (self->verdict_panel);
  dl_verdict_panel_refresh (self->verdict_panel);
  advance_after_review (self, case_id);
}

/* Ctrl+1 … Ctrl+0: a reason ticked from the scan; its page shows it,
 * the focus stays where it is. */
static void
toggle_reason_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);

  g_assert (DL_IS_WINDOW (self));

  gtk_stack_set_visible_child_name (self->side_stack, "case");
  dl_verdict_panel_toggle_reason (self->verdict_panel, (guint) g_variant_get_int32 (param));
}

static void
focus_note_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);

  g_assert (DL_IS_WINDOW (self));

  gtk_stack_set_visible_child_name (self->side_stack, "case");
  dl_verdict_panel_focus_note (self->verdict_panel);
}

static void
show_queue_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  gboolean shown;

  g_assert (DL_IS_WINDOW (self));

  shown = gtk_revealer_get_reveal_child (self->queue_revealer);
  gtk_revealer_set_reveal_child (self->queue_revealer, !shown);
  if (!shown)
    dl_case_sidebar_focus_search (self->case_sidebar);
}

static void
open_case_file_chosen (DlWindow   *self,
                       const char *path)
{
  g_autoptr(GError) error = NULL;

  g_assert (DL_IS_WINDOW (self));

  if (!_dl_window_open_case_file (self, path, &error))
    _dl_window_show_error (self, _("Could not open the case file"), error);
}

static void
open_case_file_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  g_assert (DL_IS_WINDOW (widget));

  _dl_window_choose_file (DL_WINDOW (widget), _("Open Case File"), GTK_FILE_CHOOSER_ACTION_OPEN,
                          "case-files-folder", NULL, open_case_file_chosen);
}

void
_dl_window_cases_class_init (DlWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.open-case-file", NULL, open_case_file_action);
  gtk_widget_class_install_action (widget_class, "win.verdict", "s", verdict_action);
  gtk_widget_class_install_action (widget_class, "win.review", "s", review_action);
  gtk_widget_class_install_action (widget_class, "win.show-queue", NULL, show_queue_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-reason", "i", toggle_reason_action);
  gtk_widget_class_install_action (widget_class, "win.focus-note", NULL, focus_note_action);

  /* one key per verdict, the analyst's hand never leaves the keyboard */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.verdict", "s", "clear");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F6, 0, "win.verdict", "s", "inspect");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F7, 0, "win.verdict", "s", "seize");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F8, 0, "win.verdict", "s", "rescan");
  /* review keys no text field uses (Ctrl+BackSpace deletes a word) */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "win.review", "s", "approve");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "win.review", "s", "approve");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.review", "s", "return");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.review", "s", "return");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.show-queue", NULL);
  /* a key per reason, shown on it, and one for the note */
  for (guint i = 0; dl_verdict_reason_ids ()[i]; i++)
    gtk_widget_class_add_binding_action (widget_class, dl_verdict_panel_reason_key (i), GDK_CONTROL_MASK,
                                         "win.toggle-reason", "i", (gint32) i);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, 0, "win.focus-note", NULL);
}

/* The case shown, its integrity and the manifest's hints and containers
 * follow the session, the sidebar and the manifest panel. */
void
_dl_window_cases_init (DlWindow *self)
{
  g_assert (DL_IS_WINDOW (self));

  g_signal_connect_object (self->session, "notify::integrity-problem", G_CALLBACK (on_integrity_changed), self, 0);
  g_signal_connect_object (self->session, "notify::hints", G_CALLBACK (on_hints_changed), self, 0);
  g_signal_connect (self->case_sidebar, "case-selected", G_CALLBACK (on_case_selected), self);
  g_signal_connect (self->manifest_panel, "container-selected", G_CALLBACK (on_container_selected), self);
}
