/* dl-window-decide.c — DlWindow binds a decision to what was seen: the
 * verdict and review keys act only on the case whose scan is fully drawn
 * (a frame painted after the decoded scan, not the preview) and whose
 * check against the manifest has finished or visibly failed.  While the
 * case changes they do nothing and say so, calmly, in one toast.  Once a
 * verdict is recorded the visit is decided: a burst of key presses
 * decides one case.  What was on screen goes with the verdict
 * (dl-case-seen.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-window-decide"

#include "config.h"

#include <glib/gi18n.h>

#include "dl-case-seen.h"
#include "dl-window-private.h"

/* The check against the manifest finished (or failed, and says so), or
 * there is none to wait for. */
static gboolean
check_done (DlWindow *self)
{
  return dl_session_get_manifest (self->session) == NULL || dl_session_get_check_summary (self->session) != NULL;
}

/* The decoded scan of the case shown is in the session (not the one
 * before it, not a preview). */
static gboolean
scan_in (DlWindow *self)
{
  const char *case_id = dl_session_get_case_id (self->session);

  return case_id != NULL && g_strcmp0 (self->scan_case, case_id) == 0
         && !dl_session_get_loading (self->session) && dl_session_get_scan (self->session) != NULL;
}

static void
note_scan_drawn (DlWindow *self)
{
  const char *sha = dl_scan_get_sha256 (dl_session_get_scan (self->session));

  if (self->case_drawn_at == 0)
    self->case_drawn_at = g_get_monotonic_time ();
  if (sha && !g_ptr_array_find_with_equal_func (self->case_seen_scans, sha, g_str_equal, NULL))
    g_ptr_array_add (self->case_seen_scans, g_strdup (sha));
}

/* A frame was painted: what it showed is what the analyst sees. */
static void
on_case_painted (GdkFrameClock *clock,
                 DlWindow      *self)
{
  g_assert (GDK_IS_FRAME_CLOCK (clock));
  g_assert (DL_IS_WINDOW (self));

  g_clear_signal_handler (&self->ready_paint_id, clock);
  if (!scan_in (self))
    return;
  note_scan_drawn (self);
  self->case_ready = check_done (self) && !self->case_decided;
  if (check_done (self) && g_strcmp0 (self->prefetch_case, self->scan_case) != 0)
    {
      g_free (self->prefetch_case);
      self->prefetch_case = g_strdup (self->scan_case);
      _dl_window_prefetch_next_cases (self);
    }
}

static void
wait_for_frame (DlWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (clock == NULL || self->ready_paint_id != 0)
    return;
  self->ready_paint_id = g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_case_painted), self, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Any change of the case, its scan, its loading or its check: closed
 * until the next frame shows the result. */
static void
on_case_progress (DlSession  *session,
                  GParamSpec *pspec,
                  DlWindow   *self)
{
  g_assert (DL_IS_SESSION (session));
  g_assert (DL_IS_WINDOW (self));

  if (g_str_equal (pspec->name, "case-id"))
    {
      self->case_decided = FALSE;
      self->case_drawn_at = 0;
      g_ptr_array_set_size (self->case_seen_scans, 0);
      g_clear_pointer (&self->prefetch_case, g_free);
    }
  else if (g_str_equal (pspec->name, "scan"))
    {
      /* whichever of the two is told first (a case made ready beforehand
       * changes both at once) */
      g_free (self->scan_case);
      self->scan_case = g_strdup (dl_session_get_case_id (session));
    }
  self->case_ready = FALSE;
  if (g_str_equal (pspec->name, "loading"))
    _dl_window_update_case_actions (self);
  if (scan_in (self))
    wait_for_frame (self);
}

static void
on_ignored_dismissed (AdwToast *toast,
                      DlWindow *self)
{
  g_assert (DL_IS_WINDOW (self));

  if (self->ignored_toast == toast)
    g_clear_object (&self->ignored_toast);
}

/* One toast, however many keys were ignored. */
static void
show_ignored (DlWindow   *self,
              const char *text)
{
  if (self->ignored_toast)
    {
      adw_toast_set_title (self->ignored_toast, text);
      return;
    }
  self->ignored_toast = g_object_ref (adw_toast_new (text));
  adw_toast_set_timeout (self->ignored_toast, 3);
  g_signal_connect_object (self->ignored_toast, "dismissed", G_CALLBACK (on_ignored_dismissed), self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, g_object_ref (self->ignored_toast));
}

/* TRUE when a verdict or review key may act on the case shown; else it
 * says why it was ignored. */
gboolean
_dl_window_may_decide (DlWindow *self)
{
  g_assert (DL_IS_WINDOW (self));

  if (self->case_ready)
    return TRUE;
  if (self->case_decided)
    show_ignored (self, _("Ignored: this case was just decided; open it again to change the verdict"));
  else if (!scan_in (self))
    show_ignored (self, _("Ignored: the case is still opening; decide once its scan is on screen"));
  else if (!check_done (self))
    show_ignored (self, _("Ignored: the check against the scan is still running"));
  else
    show_ignored (self, _("Ignored: the scan is still being drawn"));
  return FALSE;
}

/* The visit is decided: no second decision by a key still arriving. */
void
_dl_window_case_decided (DlWindow *self)
{
  g_assert (DL_IS_WINDOW (self));

  self->case_ready = FALSE;
  self->case_decided = TRUE;
}

/* What was on screen, for the verdict's event (dl-case-seen.h). */
char *
_dl_window_dup_seen (DlWindow *self)
{
  DlVerdictSeen seen = { 0 };

  g_assert (DL_IS_WINDOW (self));

  g_ptr_array_add (self->case_seen_scans, NULL);
  seen.scans_sha256 = (const char * const *) self->case_seen_scans->pdata;
  seen.view = dl_session_get_view_state (self->session);
  seen.shown_ms = self->case_drawn_at ? (g_get_monotonic_time () - self->case_drawn_at) / 1000 : 0;
  g_ptr_array_set_size (self->case_seen_scans, self->case_seen_scans->len - 1);
  return dl_verdict_seen_to_json (&seen);
}

void
_dl_window_decide_init (DlWindow *self)
{
  const char * const watched[] = { "notify::case-id", "notify::scan", "notify::loading", "notify::check-summary",
                                   "notify::manifest" };

  g_assert (DL_IS_WINDOW (self));

  self->case_seen_scans = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < G_N_ELEMENTS (watched); i++)
    g_signal_connect_object (self->session, watched[i], G_CALLBACK (on_case_progress), self, 0);
}

void
_dl_window_decide_dispose (DlWindow *self)
{
  g_assert (DL_IS_WINDOW (self));

  g_clear_object (&self->ignored_toast);
  g_clear_pointer (&self->case_seen_scans, g_ptr_array_unref);
  g_clear_pointer (&self->scan_case, g_free);
  g_clear_pointer (&self->prefetch_case, g_free);
}
