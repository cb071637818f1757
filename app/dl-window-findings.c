/* dl-window-findings.c — the detectors' findings in DlWindow: drawn on the
 * scan or not (h), stepped through with the view going to each (j, k),
 * confirmed or dismissed by key (y, x) and then on to the next open one;
 * the list on the manifest page follows, and a click on a row goes there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-window-findings"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "dl-format.h"
#include "dl-window-private.h"

static DlSessionFindings *
findings (DlWindow *self)
{
  return self->session ? dl_session_get_findings (self->session) : NULL;
}

/* Says @text in a toast that replaces the one said before: a burst of
 * keys does not leave a queue of old news. */
static void
say (DlWindow   *self,
     const char *text)
{
  if (self->findings_toast)
    adw_toast_dismiss (self->findings_toast);
  g_clear_object (&self->findings_toast);
  self->findings_toast = adw_toast_new (text);
  adw_toast_overlay_add_toast (self->toast_overlay, g_object_ref (self->findings_toast));
}

static void
apply_to_views (DlWindow *self)
{
  if (self->views == NULL)
    return;
  for (guint i = 0; i < self->views->len; i++)
    dl_scan_view_set_findings_shown (g_ptr_array_index (self->views, i), self->show_findings,
                                     self->current_finding);
}

void
_dl_window_findings_watch_view (DlWindow   *self,
                                DlScanView *view)
{
  g_assert (DL_IS_WINDOW (self));

  dl_scan_view_set_findings_shown (view, self->show_findings, self->current_finding);
}

static void
set_shown (DlWindow *self,
           gboolean  shown)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "show-findings");

  self->show_findings = shown;
  if (action)
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (shown));
  apply_to_views (self);
}

/* The first view showing the scan's @view goes to the finding's box. */
static void
go_to_box (DlWindow        *self,
           const DlFinding *f)
{
  DlScan *scan = dl_session_get_scan (self->session);
  double bounds[4];
  int box[4];

  if (scan == NULL || !dl_finding_get_bounds (f, bounds))
    return;
  box[0] = (int) floor (bounds[0]);
  box[1] = (int) floor (bounds[1]);
  box[2] = (int) ceil (bounds[2]);
  box[3] = (int) ceil (bounds[3]);
  for (guint i = 0; i < self->views->len; i++)
    {
      DlScanView *view = g_ptr_array_index (self->views, i);
      DlPlane *plane = dl_scan_get_plane_at (scan, dl_scan_view_get_plane_index (view));

      if (plane && plane->view == f->view)
        {
          dl_scan_view_go_to_region (view, box);
          return;
        }
    }
}

/* Finding @index becomes the current one: drawn stronger, its row
 * selected, the view on it. */
static void
go_to (DlWindow *self,
       guint     index)
{
  const DlSessionFinding *f = dl_session_findings_get (findings (self), index);
  DlFindingsList *list = dl_manifest_panel_get_findings_list (self->manifest_panel);

  if (f == NULL)
    return;
  self->current_finding = index;
  if (!self->show_findings)
    set_shown (self, TRUE);
  apply_to_views (self);
  gtk_stack_set_visible_child_name (self->side_stack, "manifest");
  dl_findings_list_select (list, index);
  go_to_box (self, f->finding);
}

/* The next open finding after the current one (around the end), or G_MAXUINT. */
static guint
next_open (DlWindow *self)
{
  DlSessionFindings *all = findings (self);
  guint n = dl_session_findings_get_n (all);
  guint start = self->current_finding == G_MAXUINT ? n - 1 : self->current_finding;

  for (guint k = 1; k <= n; k++)
    {
      guint i = (start + k) % n;

      if (dl_session_findings_get (all, i)->response == DL_FINDING_RESPONSE_NONE)
        return i;
    }
  return G_MAXUINT;
}

/* Says why there is nothing to step to; FALSE when there is. */
static gboolean
say_none (DlWindow *self)
{
  DlSessionFindings *all = findings (self);

  if (all && dl_session_findings_get_n (all) > 0)
    return FALSE;
  if (all && dl_session_findings_get_running (all))
    say (self, _("Still looking for findings…"));
  else
    say (self, _("No findings"));
  return TRUE;
}

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  gboolean forward = g_str_equal (action_name, "win.next-finding");
  guint n;

  g_assert (DL_IS_WINDOW (self));

  if (say_none (self))
    return;
  n = dl_session_findings_get_n (findings (self));
  if (self->current_finding == G_MAXUINT || self->current_finding >= n)
    go_to (self, forward ? 0 : n - 1);
  else
    go_to (self, (self->current_finding + (forward ? 1 : n - 1)) % n);
}

static char *
describe_response (const DlSessionFinding *f,
                   DlFindingResponse       response)
{
  g_autofree char *kind = dl_findings_list_kind_name (f->finding->kind);
  g_autofree char *score = dl_format_number (f->finding->score * 100, 0);

  if (response == DL_FINDING_RESPONSE_CONFIRMED)
    /* TRANSLATORS: a toast: the kind of finding, its score in per cent */
    return g_strdup_printf (_("Finding confirmed: %s, %s %%"), kind, score);
  /* TRANSLATORS: a toast: the kind of finding, its score in per cent */
  return g_strdup_printf (_("Finding dismissed: %s, %s %%"), kind, score);
}

/* y confirms the current finding, x dismisses it, and the next open one
 * becomes current; with none current, the next open one is gone to first. */
static void
respond_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  DlFindingResponse response = g_str_equal (action_name, "win.confirm-finding")
                               ? DL_FINDING_RESPONSE_CONFIRMED : DL_FINDING_RESPONSE_DISMISSED;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint next;

  g_assert (DL_IS_WINDOW (self));

  if (say_none (self))
    return;
  if (self->current_finding == G_MAXUINT)
    {
      if ((next = next_open (self)) != G_MAXUINT)
        go_to (self, next);
      say (self, _("A finding is selected: y confirms it, x dismisses it"));
      return;
    }
  if (!dl_session_findings_respond (findings (self), self->current_finding, response, &error))
    {
      say (self, error->message);
      return;
    }
  text = describe_response (dl_session_findings_get (findings (self), self->current_finding), response);
  say (self, text);
  if ((next = next_open (self)) != G_MAXUINT)
    go_to (self, next);
}

static void
on_show_findings_changed (GSimpleAction *action,
                          GVariant      *state,
                          DlWindow      *self)
{
  g_assert (DL_IS_WINDOW (self));

  set_shown (self, g_variant_get_boolean (state));
}

/* A click on a finding's row goes to it. */
static void
on_finding_selected (DlFindingsList *list,
                     guint           index,
                     DlWindow       *self)
{
  g_assert (DL_IS_FINDINGS_LIST (list));
  g_assert (DL_IS_WINDOW (self));

  if (self->session == NULL)
    return;
  if (index == G_MAXUINT)
    {
      self->current_finding = G_MAXUINT;
      apply_to_views (self);
    }
  else if (index != self->current_finding)
    go_to (self, index);
}

static void
on_findings_changed (DlSessionFindings *all,
                     DlWindow          *self)
{
  g_assert (DL_IS_WINDOW (self));

  if (self->current_finding != G_MAXUINT && self->current_finding >= dl_session_findings_get_n (all))
    self->current_finding = G_MAXUINT;
  apply_to_views (self);
  if (self->current_finding != G_MAXUINT)
    dl_findings_list_select (dl_manifest_panel_get_findings_list (self->manifest_panel), self->current_finding);
}

/* Another scan: no finding is current. */
static void
on_scan_changed (DlSession  *session,
                 GParamSpec *pspec,
                 DlWindow   *self)
{
  g_assert (DL_IS_WINDOW (self));

  self->current_finding = G_MAXUINT;
  apply_to_views (self);
}

void
_dl_window_findings_class_init (DlWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.next-finding", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.previous-finding", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.confirm-finding", NULL, respond_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-finding", NULL, respond_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_j, 0, "win.next-finding", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, 0, "win.previous-finding", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_y, 0, "win.confirm-finding", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_x, 0, "win.dismiss-finding", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, 0, "win.show-findings", NULL);
}

/* The stateful win.show-findings, and the list and views following the
 * session's findings. */
void
_dl_window_findings_init (DlWindow *self)
{
  g_autoptr(GSimpleAction) show = g_simple_action_new_stateful ("show-findings", NULL,
                                                                g_variant_new_boolean (TRUE));
  DlFindingsList *list = dl_manifest_panel_get_findings_list (self->manifest_panel);

  g_assert (DL_IS_WINDOW (self));

  self->show_findings = TRUE;
  self->current_finding = G_MAXUINT;
  g_signal_connect_object (show, "change-state", G_CALLBACK (on_show_findings_changed), self, 0);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (show));
  dl_findings_list_set_findings (list, dl_session_get_findings (self->session));
  g_signal_connect_object (list, "finding-selected", G_CALLBACK (on_finding_selected), self, 0);
  g_signal_connect_object (dl_session_get_findings (self->session), "changed",
                           G_CALLBACK (on_findings_changed), self, 0);
  g_signal_connect_object (self->session, "notify::scan", G_CALLBACK (on_scan_changed), self, 0);
}
