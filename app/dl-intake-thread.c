/* dl-intake-thread.c — intake in a thread of its own (see
 * dl-intake-thread.h).
 *
 * The thread owns everything of the intake: its DlSite (a connection is
 * used by one thread only), the DlSiteIntake, and a main context whose
 * loop runs the folder monitors and the looks.  Starting waits until the
 * thread has connected and watches (or says why not); stopping quits the
 * loop from inside the thread's context and joins it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-intake-thread"

#include "config.h"

#include "dl-intake-thread.h"
#include "dl-site-intake.h"

#define RESCAN_SECONDS 60

struct _DlIntakeThread
{
  char          *uri;
  DlIdentity    *identity;
  GStrv          folders;
  guint          settle;
  GMainContext  *context;
  GMainLoop     *loop;
  GThread       *thread;
  /* starting: the thread says whether it watches */
  GMutex         lock;
  GCond          started;
  gboolean       done_starting;
  GError        *error;
  gint           n_taken;
};

static void
on_taken (const DlSiteIntakeItem *item,
          const char             *path,
          const GError           *error,
          gpointer                data)
{
  DlIntakeThread *self = data;

  if (item == NULL)
    {
      /* tried again at the next look */
      g_message ("Intake: %s not taken: %s", path, error->message);
      return;
    }
  g_atomic_int_inc (&self->n_taken);
  g_message ("Intake: %s queued as case %s (%s)", item->path, item->case_id, item->matched);
}

static void
say_started (DlIntakeThread *self,
             GError         *error)
{
  g_mutex_lock (&self->lock);
  self->error = error;
  self->done_starting = TRUE;
  g_cond_signal (&self->started);
  g_mutex_unlock (&self->lock);
}

static DlSiteIntake *
open_intake (DlIntakeThread *self,
             DlSite        **site,
             GError        **error)
{
  g_autoptr(DlSiteIntake) intake = NULL;

  if ((*site = dl_site_open (self->uri, error)) == NULL)
    return NULL;
  dl_site_set_identity (*site, self->identity);
  intake = dl_site_intake_new (*site, self->settle, on_taken, self);
  for (guint i = 0; self->folders[i]; i++)
    if (!dl_site_intake_add_folder (intake, self->folders[i], error))
      return NULL;
  if (!dl_site_intake_watch (intake, RESCAN_SECONDS, error))
    return NULL;
  return g_steal_pointer (&intake);
}

static gpointer
run (gpointer data)
{
  DlIntakeThread *self = data;
  g_autoptr(DlSite) site = NULL;
  g_autoptr(DlSiteIntake) intake = NULL;
  GError *error = NULL;

  g_main_context_push_thread_default (self->context);
  intake = open_intake (self, &site, &error);
  say_started (self, error);
  if (intake)
    {
      g_main_loop_run (self->loop);
      dl_site_intake_stop (intake);
    }
  g_clear_object (&intake);
  g_clear_object (&site);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static void
intake_thread_free (DlIntakeThread *self)
{
  g_free (self->uri);
  g_clear_object (&self->identity);
  g_strfreev (self->folders);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->started);
  g_clear_error (&self->error);
  g_free (self);
}

DlIntakeThread *
dl_intake_thread_start (const char          *uri,
                        DlIdentity          *identity,
                        const char * const  *folders,
                        guint                settle_seconds,
                        GError             **error)
{
  DlIntakeThread *self = g_new0 (DlIntakeThread, 1);

  self->uri = g_strdup (uri);
  self->identity = g_object_ref (identity);
  self->folders = g_strdupv ((char **) folders);
  self->settle = settle_seconds;
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  g_mutex_init (&self->lock);
  g_cond_init (&self->started);
  self->thread = g_thread_new ("doorlicht-intake", run, self);
  g_mutex_lock (&self->lock);
  while (!self->done_starting)
    g_cond_wait (&self->started, &self->lock);
  g_mutex_unlock (&self->lock);
  if (self->error == NULL)
    return self;
  g_propagate_error (error, g_steal_pointer (&self->error));
  g_thread_join (self->thread);
  intake_thread_free (self);
  return NULL;
}

guint
dl_intake_thread_get_n_taken (DlIntakeThread *self)
{
  return (guint) g_atomic_int_get (&self->n_taken);
}

static gboolean
quit (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
dl_intake_thread_stop (DlIntakeThread *self)
{
  if (self == NULL)
    return;
  g_main_context_invoke (self->context, quit, self->loop);
  g_thread_join (self->thread);
  intake_thread_free (self);
}
