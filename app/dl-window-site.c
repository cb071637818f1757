/* dl-window-site.c — DlWindow on a site store (a postgresql:// URI): the
 * site's queue in the sidebar, current within a second of another
 * workstation's change (LISTEN/NOTIFY, dl_case_queue_new_for_site ()).
 *
 * A case chosen is claimed for this login when it waits for a verdict,
 * exported from the site into a working copy (a signed case file in the
 * user's cache, checked as every case file is) and shown from it, so the
 * scan views, marks and panels work as on a case file.  A verdict or
 * review goes into the copy and, through the outbox (dl-site-outbox.h),
 * to the site: when the server cannot be reached it is kept on this
 * workstation, a banner says so, and it is sent as soon as the server is
 * back (tried every few seconds) — nothing the analyst recorded is lost,
 * also across a crash of the app.  A site workstation with intake folders
 * (the setting "site-intake-folders") queues the scans that appear in
 * them, in a thread of its own (dl-intake-thread.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-window-site"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "dl-hash.h"
#include "dl-settings.h"
#include "dl-site-export.h"
#include "dl-window-private.h"

#define SITE_LEASE_SECONDS  900
#define SITE_RETRY_SECONDS  3

/* This workstation's folder for the site @target (no password in it):
 * under @base, named by the target's SHA-256. */
static char *
site_folder (const char *base,
             const char *target)
{
  g_autofree char *key = dl_sha256_hex (target, strlen (target));

  key[16] = '\0';
  return g_build_filename (base, "doorlicht", "site", key, NULL);
}

/* -- the banner and sending again ------------------------------------------------- */

static void
update_banner (DlWindow *self,
               guint     waiting)
{
  g_autofree char *text = NULL;

  if (waiting == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->site_label), FALSE);
      return;
    }
  text = g_strdup_printf (g_dngettext (NULL,
                                       "The site server cannot be reached. %u verdict or review is kept on this "
                                       "workstation and will be recorded when the server is back.",
                                       "The site server cannot be reached. %u verdicts and reviews are kept on this "
                                       "workstation and will be recorded when the server is back.", waiting),
                          waiting);
  gtk_label_set_label (self->site_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->site_label), TRUE);
}

static void
say_refused (DlWindow  *self,
             GPtrArray *refused)
{
  for (guint i = 0; i < refused->len; i++)
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, g_ptr_array_index (refused, i));

      _dl_window_show_error (self, _("The site did not take a kept write"), error);
    }
}

/* What the outbox keeps sent, the refused said, the banner brought up to
 * date; how many still wait. */
static guint
send_kept (DlWindow *self)
{
  g_autoptr(GPtrArray) refused = g_ptr_array_new_with_free_func (g_free);
  guint waiting = dl_site_outbox_flush (self->outbox, self->site, refused);

  say_refused (self, refused);
  update_banner (self, waiting);
  return waiting;
}

static gboolean
retry_sending (gpointer data)
{
  DlWindow *self = data;

  if (send_kept (self) > 0)
    return G_SOURCE_CONTINUE;
  self->site_retry = 0;
  /* back: the queue again, and the notifications since */
  if (self->queue)
    dl_case_queue_reload (self->queue, NULL);
  return G_SOURCE_REMOVE;
}

static void
retry_later (DlWindow *self)
{
  if (self->site_retry == 0)
    self->site_retry = g_timeout_add_seconds (SITE_RETRY_SECONDS, retry_sending, self);
}

/* The server closed the watched connection: try again until it is back. */
static void
on_site_disconnected (DlSite   *site,
                      DlWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (dl_site_reconnect (site, &error))
    return;
  _dl_window_toast (self, _("The site server cannot be reached; trying again"));
  retry_later (self);
}

/* -- working copies ------------------------------------------------------------------ */

/* A working copy and SQLite's files beside it: a case's scan is tens of
 * megabytes, and an analyst opens hundreds a shift. */
static void
remove_copy (const char *path)
{
  static const char * const beside[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (beside); i++)
    {
      g_autofree char *file = g_strconcat (path, beside[i], NULL);

      g_unlink (file);
    }
}

/* Copies a crash left behind, a day old or more (a copy in use is the
 * current case's of a window, younger than that). */
static void
remove_stale_copies (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  gint64 day_ago = g_get_real_time () / G_USEC_PER_SEC - 24 * 3600;
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      GStatBuf st;

      if (strstr (name, ".dlcase") && g_stat (path, &st) == 0 && (gint64) st.st_mtime < day_ago)
        g_unlink (path);
    }
}

/* -- the site opened ----------------------------------------------------------------- */

/* A site workstation's intake folders (the setting "site-intake-folders"),
 * watched in a thread of their own while the site is open. */
static void
start_intake (DlWindow   *self,
              const char *uri,
              DlIdentity *identity)
{
  GSettings *settings = dl_settings_get ();
  g_auto(GStrv) folders = settings ? g_settings_get_strv (settings, "site-intake-folders") : NULL;
  g_autoptr(GError) error = NULL;

  if (folders == NULL || folders[0] == NULL)
    return;
  self->intake = dl_intake_thread_start (uri, identity, (const char * const *) folders,
                                         g_settings_get_uint (settings, "site-intake-settle"), &error);
  if (self->intake == NULL)
    _dl_window_show_error (self, _("The intake folders are not watched"), error);
}

void
_dl_window_site_dispose (DlWindow *self)
{
  g_clear_pointer (&self->intake, dl_intake_thread_stop);
  g_clear_handle_id (&self->site_retry, g_source_remove);
  if (self->site)
    g_signal_handlers_disconnect_by_data (self->site, self);
  if (self->site && self->site_claimed && dl_site_is_connected (self->site))
    dl_site_release (self->site, self->site_claimed, NULL);
  g_clear_pointer (&self->site_claimed, g_free);
  g_clear_object (&self->outbox);
  g_clear_object (&self->site);
  g_clear_object (&self->site_identity);
  if (self->site_copy)
    remove_copy (self->site_copy);
  g_clear_pointer (&self->site_copy, g_free);
  g_clear_pointer (&self->site_copies, g_free);
}

gboolean
_dl_window_open_site (DlWindow    *self,
                      const char  *uri,
                      GError     **error)
{
  g_autoptr(DlIdentity) identity = NULL;
  g_autoptr(DlSite) site = NULL;
  g_autoptr(DlSiteOutbox) outbox = NULL;
  g_autofree char *target = dl_site_describe_target (uri), *outbox_dir = NULL;
  DlCaseQueue *queue;
  gint64 start = g_get_monotonic_time ();

  if ((identity = dl_settings_load_identity (error)) == NULL || (site = dl_site_open (uri, error)) == NULL)
    return FALSE;
  _dl_window_time_step ("site connected", start);
  dl_site_set_identity (site, identity);
  outbox_dir = site_folder (g_get_user_data_dir (), target);
  if ((outbox = dl_site_outbox_new (outbox_dir, error)) == NULL
      || (queue = dl_case_queue_new_for_site (site, error)) == NULL)
    return FALSE;
  _dl_window_time_step ("site listed", start);

  dl_session_set_files (self->session, NULL);
  dl_session_set_case_file (self->session, NULL);
  _dl_window_site_dispose (self);
  self->site = g_steal_pointer (&site);
  self->site_identity = g_object_ref (identity);
  self->outbox = g_steal_pointer (&outbox);
  self->site_copies = site_folder (g_get_user_cache_dir (), target);
  remove_stale_copies (self->site_copies);
  g_signal_connect (self->site, "disconnected", G_CALLBACK (on_site_disconnected), self);
  start_intake (self, uri, identity);
  adw_window_title_set_subtitle (self->window_title, target);
  _dl_window_show_queue (self, queue);
  _dl_window_time_step ("site in the sidebar", start);
  /* what a crash left kept (the queue lists it once the notifications come) */
  if (send_kept (self) > 0)
    retry_later (self);
  _dl_window_update_case_actions (self);
  _dl_window_time_to_first_frame (self, start, "site");
  _dl_window_select_first_case_when_shown (self);
  _dl_window_time_step ("site opened", start);
  return TRUE;
}

/* -- a case of the site ------------------------------------------------------------ */

/* The case exported from the site into its working copy; while the
 * server is away, the copy this workstation has (with what the analyst
 * recorded in it). */
static char *
make_copy (DlWindow    *self,
           const char  *case_id,
           GError     **error)
{
  const char *ids[] = { case_id, NULL };
  g_autofree char *name = g_strconcat (case_id, ".dlcase", NULL);
  g_autofree char *path = g_build_filename (self->site_copies, name, NULL);
  g_autofree char *fresh = g_strconcat (path, ".new", NULL);
  g_autoptr(GError) local = NULL;

  if (g_mkdir_with_parents (self->site_copies, 0700) != 0)
    return g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot make the folder %s: %s"),
                        self->site_copies, g_strerror (errno)), NULL;
  g_unlink (fresh);
  if (dl_site_reconnect (self->site, &local) && dl_site_export (self->site, ids, fresh, &local))
    {
      if (g_rename (fresh, path) == 0)
        return g_steal_pointer (&path);
      return g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write %s: %s"), path,
                          g_strerror (errno)), NULL;
    }
  if (!dl_site_is_connected (self->site) && g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      _dl_window_toast (self, _("The site server cannot be reached: the case is shown as this workstation last had it"));
      retry_later (self);
      return g_steal_pointer (&path);
    }
  g_propagate_error (error, g_steal_pointer (&local));
  return NULL;
}

/* A case waiting for a verdict is held for this login while it is open;
 * one held by another is said (the site refuses a verdict on it). */
static void
claim (DlWindow   *self,
       const char *case_id)
{
  g_autoptr(GError) error = NULL;
  int at = self->queue ? dl_case_queue_find (self->queue, case_id) : -1;
  g_autoptr(DlCaseItem) item = at >= 0 ? g_list_model_get_item (G_LIST_MODEL (self->queue), at) : NULL;
  DlCaseState state = item ? dl_case_item_get_summary (item)->state : DL_CASE_STATE_APPROVED;

  /* the case left undecided is free for others again (a verdict ended
   * its claim already: nothing is released then) */
  if (self->site_claimed && g_strcmp0 (self->site_claimed, case_id) != 0)
    dl_site_release (self->site, self->site_claimed, NULL);
  g_clear_pointer (&self->site_claimed, g_free);
  if (state != DL_CASE_STATE_NEW && state != DL_CASE_STATE_RETURNED)
    return;
  if (dl_site_claim_case (self->site, case_id, SITE_LEASE_SECONDS, &error))
    self->site_claimed = g_strdup (case_id);
  else
    _dl_window_toast (self, error->message);
}

gboolean
_dl_window_site_open_case (DlWindow    *self,
                           const char  *case_id,
                           GError     **error)
{
  g_autoptr(DlCaseFile) file = NULL;
  g_autofree char *path = NULL;
  gint64 start = g_get_monotonic_time ();

  if ((path = make_copy (self, case_id, error)) == NULL)
    return FALSE;
  _dl_window_time_step ("site case copied", start);
  if ((file = dl_case_file_open_checking (path, self->site_identity, error)) == NULL)
    return FALSE;
  if (dl_site_is_connected (self->site))
    claim (self, case_id);
  dl_session_set_case_file (self->session, file);
  dl_verdict_panel_set_case (self->verdict_panel, file, NULL);
  /* the case left is at the site (its writes in the outbox): its copy goes */
  if (self->site_copy && g_strcmp0 (self->site_copy, path) != 0)
    remove_copy (self->site_copy);
  g_free (self->site_copy);
  self->site_copy = g_strdup (path);
  return dl_session_open_case (self->session, case_id, 0, error);
}

/* -- verdicts and reviews ---------------------------------------------------------- */

static gboolean
delivered (DlWindow       *self,
           DlSiteDelivery  delivery,
           GError         *error,
           const char     *refused_heading)
{
  if (delivery == DL_SITE_REFUSED)
    {
      _dl_window_show_error (self, refused_heading, error);
      return FALSE;
    }
  if (delivery == DL_SITE_KEPT)
    {
      update_banner (self, dl_site_outbox_get_n_waiting (self->outbox));
      retry_later (self);
    }
  return TRUE;
}

/* The marks the working copy holds of @case_id (those the site has are
 * not sent again), or %NULL with @error. */
static GPtrArray *
marks_of (DlWindow    *self,
          const char  *case_id,
          GError     **error)
{
  DlCaseFile *copy = dl_session_get_case_file (self->session);

  return copy ? dl_case_file_get_marks (copy, case_id, error)
              : g_ptr_array_new_with_free_func ((GDestroyNotify) dl_case_mark_free);
}

gboolean
_dl_window_site_send_verdict (DlWindow           *self,
                              const char         *case_id,
                              const char         *decision,
                              const char * const *reasons,
                              const char         *text,
                              const char         *seen_json,
                              const char         *hints_json)
{
  g_autoptr(GError) error = NULL;
  /* the marks it rests on go with it */
  g_autoptr(GPtrArray) marks = marks_of (self, case_id, &error);
  DlSiteVerdict v = { NULL, case_id, decision, reasons, text, seen_json, hints_json, marks };
  DlSiteDelivery d;

  if (marks == NULL)
    return delivered (self, DL_SITE_REFUSED, error, _("The site did not take the verdict"));
  d = dl_site_outbox_verdict (self->outbox, self->site, &v, &error);
  return delivered (self, d, error, _("The site did not take the verdict"));
}

gboolean
_dl_window_site_send_review (DlWindow   *self,
                             const char *case_id,
                             const char *decision,
                             const char *comment)
{
  g_autoptr(GError) error = NULL;
  /* the marks the supervisor added go with it */
  g_autoptr(GPtrArray) marks = marks_of (self, case_id, &error);
  DlSiteDelivery d;

  if (marks == NULL)
    return delivered (self, DL_SITE_REFUSED, error, _("The site did not take the review"));
  d = dl_site_outbox_review (self->outbox, self->site, case_id, decision, comment, marks, &error);
  return delivered (self, d, error, _("The site did not take the review"));
}
