/* dl-prefetch.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-prefetch"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <unistd.h>

#include "dl-bay-plan-check.h"
#include "dl-material.h"
#include "dl-profile.h"
#include "dl-prefetch.h"
#include "dl-scan-prepare.h"

#define MiB (G_GUINT64_CONSTANT (1) << 20)

struct _DlPrefetch
{
  GObject       parent_instance;
  DlCaseFile   *case_file;
  guint64       budget;
  GPtrArray    *wanted;      /* case ids, most wanted first */
  GHashTable   *ready;       /* case id → DlPrefetched */
  GHashTable   *given_up;    /* case ids that failed or do not fit: not tried again */
  char         *running;     /* the case the worker is on, or NULL */
  GCancellable *cancellable; /* the worker's */
  guint         pump_id;
};

G_DEFINE_FINAL_TYPE (DlPrefetch, dl_prefetch, G_TYPE_OBJECT)

enum { READY, N_SIGNALS };
static guint signals[N_SIGNALS];

void
dl_prefetched_free (DlPrefetched *p)
{
  if (p == NULL)
    return;
  g_free (p->case_id);
  g_free (p->scan_id);
  g_free (p->scan_path);
  g_free (p->sha256);
  g_clear_pointer (&p->manifest, dl_manifest_unref);
  g_clear_pointer (&p->bay_plan, dl_bay_plan_unref);
  g_clear_object (&p->marks);
  g_clear_object (&p->scan);
  g_clear_pointer (&p->check, dl_consistency_free);
  g_free (p->check_error);
  g_free (p);
}

guint64
dl_prefetch_default_budget (void)
{
  long pages = sysconf (_SC_PHYS_PAGES), page = sysconf (_SC_PAGESIZE);
  guint64 ram = pages > 0 && page > 0 ? (guint64) pages * (guint64) page : 1024 * MiB;

  return CLAMP (ram / 8, 128 * MiB, 1024 * MiB);
}

static void pump_later (DlPrefetch *self);

/* -- the worker: decode, pyramid, classes, the check ------------------------- */

typedef struct
{
  DlPrefetched *p;
  GBytes       *bytes;    /* embedded image, or NULL: read scan_path */
  guint64       budget;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  dl_prefetched_free (job->p);
  g_clear_pointer (&job->bytes, g_bytes_unref);
  g_free (job);
}

static void
check_scan (DlPrefetched *p)
{
  g_autoptr(GError) error = NULL;

  if (p->manifest == NULL)
    return;
  p->check = dl_consistency_check_with_bay_plan (p->scan, dl_calibration_for_scan (p->scan, NULL), p->manifest, NULL,
                                                 p->bay_plan, &error);
  if (p->check == NULL)
    p->check_error = g_strdup (error->message);
}

static void
work (GTask        *task,
      gpointer      source,
      gpointer      task_data,
      GCancellable *cancellable)
{
  Job *job = task_data;
  DlLoadOptions options = { .max_memory = job->budget };
  g_autoptr(GError) error = NULL;
  DlPrefetched *p = job->p;

  p->scan = job->bytes
            ? dl_scan_load_bytes (job->bytes, p->scan_path, &options, NULL, NULL, cancellable, &error)
            : dl_scan_load_file (p->scan_path, &options, NULL, NULL, cancellable, &error);
  if (p->scan == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  dl_scan_prepare (p->scan);
  p->memory = dl_scan_get_memory_size (p->scan);
  if (!g_cancellable_is_cancelled (cancellable))
    check_scan (p);
  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_pointer (task, g_steal_pointer (&job->p), (GDestroyNotify) dl_prefetched_free);
}

static guint64
memory_ready (DlPrefetch *self)
{
  GHashTableIter iter;
  gpointer value;
  guint64 total = 0;

  g_hash_table_iter_init (&iter, self->ready);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    total += ((DlPrefetched *) value)->memory;
  return total;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  DlPrefetch *self = DL_PREFETCH (source);
  g_autofree char *case_id = user_data;
  g_autoptr(GError) error = NULL;
  DlPrefetched *p = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* dropped: the worker was freed for another case */
  g_clear_pointer (&self->running, g_free);
  g_clear_object (&self->cancellable);
  if (p && memory_ready (self) + p->memory <= self->budget)
    g_hash_table_replace (self->ready, g_strdup (case_id), p);
  else
    {
      if (error)
        g_debug ("case %s not made ready: %s", case_id, error->message);
      g_hash_table_add (self->given_up, g_strdup (case_id));
      dl_prefetched_free (p);
    }
  g_signal_emit (self, signals[READY], 0, case_id);
  pump_later (self);
}

/* -- the main thread: what the case file holds ------------------------------- */

static DlPrefetched *
read_case (DlPrefetch  *self,
           const char  *case_id,
           GBytes     **bytes,
           GError     **error)
{
  g_autoptr(DlPrefetched) p = g_new0 (DlPrefetched, 1);
  g_autoptr(GPtrArray) scans = dl_case_file_get_scans (self->case_file, case_id, error);
  g_autoptr(GError) local = NULL;
  DlCaseScan *scan;

  if (scans == NULL)
    return NULL;
  if (scans->len == 0)
    return g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_NOT_FOUND,
                        _("The case has no scan %u"), 1), NULL;
  scan = g_ptr_array_index (scans, 0);
  p->case_id = g_strdup (case_id);
  p->scan_id = g_strdup (scan->id);
  p->scan_path = g_strdup (scan->path);
  p->sha256 = g_strdup (scan->sha256);
  p->manifest = dl_case_file_get_manifest (self->case_file, case_id, &local);
  if (local)
    return g_propagate_error (error, g_steal_pointer (&local)), NULL;
  p->bay_plan = dl_case_file_get_bay_plan (self->case_file, case_id, &local);
  if (local)
    return g_propagate_error (error, g_steal_pointer (&local)), NULL;
  if ((p->marks = dl_case_file_get_annotations (self->case_file, scan->id, error)) == NULL)
    return NULL;
  if (scan->embedded && (*bytes = dl_case_file_get_scan_image (self->case_file, scan->id, error)) == NULL)
    return NULL;
  return g_steal_pointer (&p);
}

static void
start (DlPrefetch *self,
       const char *case_id)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Job *job = g_new0 (Job, 1);

  job->budget = self->budget;
  job->p = read_case (self, case_id, &job->bytes, &error);
  if (job->p == NULL)
    {
      g_debug ("case %s not made ready: %s", case_id, error->message);
      g_hash_table_add (self->given_up, g_strdup (case_id));
      job_free (job);
      return;
    }
  self->running = g_strdup (case_id);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, on_done, g_strdup (case_id));
  g_task_set_task_data (task, job, job_free);
  g_task_run_in_thread (task, work);
}

/* The first case wanted that is neither ready nor given up, while what is
 * ready leaves room for one more scan of the size of the largest. */
static gboolean
pump (gpointer data)
{
  DlPrefetch *self = data;
  guint64 held = memory_ready (self), largest = 0;
  GHashTableIter iter;
  gpointer value;

  self->pump_id = 0;
  if (self->running || self->case_file == NULL)
    return G_SOURCE_REMOVE;
  g_hash_table_iter_init (&iter, self->ready);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    largest = MAX (largest, ((DlPrefetched *) value)->memory);
  for (guint i = 0; i < self->wanted->len && !self->running; i++)
    {
      const char *id = g_ptr_array_index (self->wanted, i);

      if (g_hash_table_contains (self->ready, id) || g_hash_table_contains (self->given_up, id))
        continue;
      if (held + largest > self->budget)
        break;
      start (self, id);
    }
  return G_SOURCE_REMOVE;
}

/* At idle priority: the frame that shows the case comes first. */
static void
pump_later (DlPrefetch *self)
{
  if (self->pump_id == 0)
    self->pump_id = g_idle_add_full (G_PRIORITY_LOW, pump, g_object_ref (self), g_object_unref);
}

static gboolean
is_wanted (DlPrefetch *self,
           const char *case_id)
{
  for (guint i = 0; i < self->wanted->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->wanted, i), case_id) == 0)
      return TRUE;
  return FALSE;
}

static void
stop_running (DlPrefetch *self)
{
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->running, g_free);
}

/* A case changed in the file (another window, an import) is read again. */
static void
on_file_changed (DlCaseFile *file,
                 const char *case_id,
                 DlPrefetch *self)
{
  if (case_id == NULL)
    {
      g_hash_table_remove_all (self->ready);
      g_hash_table_remove_all (self->given_up);
    }
  else
    g_hash_table_remove (self->ready, case_id);
}

static void
dl_prefetch_dispose (GObject *object)
{
  DlPrefetch *self = DL_PREFETCH (object);

  dl_prefetch_clear (self);
  g_clear_handle_id (&self->pump_id, g_source_remove);
  if (self->case_file)
    g_signal_handlers_disconnect_by_data (self->case_file, self);
  g_clear_object (&self->case_file);
  G_OBJECT_CLASS (dl_prefetch_parent_class)->dispose (object);
}

static void
dl_prefetch_finalize (GObject *object)
{
  DlPrefetch *self = DL_PREFETCH (object);

  g_ptr_array_unref (self->wanted);
  g_hash_table_unref (self->ready);
  g_hash_table_unref (self->given_up);
  G_OBJECT_CLASS (dl_prefetch_parent_class)->finalize (object);
}

static void
dl_prefetch_class_init (DlPrefetchClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dl_prefetch_dispose;
  G_OBJECT_CLASS (klass)->finalize = dl_prefetch_finalize;

  signals[READY] = g_signal_new ("ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
dl_prefetch_init (DlPrefetch *self)
{
  self->wanted = g_ptr_array_new_with_free_func (g_free);
  self->ready = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) dl_prefetched_free);
  self->given_up = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

DlPrefetch *
dl_prefetch_new (DlCaseFile *case_file,
                 guint64     budget)
{
  DlPrefetch *self;

  g_return_val_if_fail (DL_IS_CASE_FILE (case_file), NULL);

  self = g_object_new (DL_TYPE_PREFETCH, NULL);
  self->case_file = g_object_ref (case_file);
  self->budget = budget ? budget : dl_prefetch_default_budget ();
  g_signal_connect_object (case_file, "changed", G_CALLBACK (on_file_changed), self, 0);
  return self;
}

void
dl_prefetch_set_wanted (DlPrefetch         *self,
                        const char * const *case_ids)
{
  GHashTableIter iter;
  gpointer key;

  g_return_if_fail (DL_IS_PREFETCH (self));

  g_ptr_array_set_size (self->wanted, 0);
  for (guint i = 0; case_ids && case_ids[i]; i++)
    g_ptr_array_add (self->wanted, g_strdup (case_ids[i]));
  g_hash_table_iter_init (&iter, self->ready);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!is_wanted (self, key))
      g_hash_table_iter_remove (&iter);
  if (self->running && !is_wanted (self, self->running))
    stop_running (self);
  pump_later (self);
}

DlPrefetched *
dl_prefetch_take (DlPrefetch *self,
                  const char *case_id)
{
  gpointer key = NULL, value = NULL;

  g_return_val_if_fail (DL_IS_PREFETCH (self), NULL);

  if (case_id == NULL || !g_hash_table_steal_extended (self->ready, case_id, &key, &value))
    return NULL;
  g_free (key);
  pump_later (self);
  return value;
}

gboolean
dl_prefetch_is_pending (DlPrefetch *self,
                        const char *case_id)
{
  g_return_val_if_fail (DL_IS_PREFETCH (self), FALSE);

  if (case_id == NULL || g_hash_table_contains (self->given_up, case_id))
    return FALSE;
  return g_strcmp0 (self->running, case_id) == 0;
}

guint64
dl_prefetch_get_memory (DlPrefetch *self)
{
  g_return_val_if_fail (DL_IS_PREFETCH (self), 0);
  return memory_ready (self);
}

guint64
dl_prefetch_get_budget (DlPrefetch *self)
{
  g_return_val_if_fail (DL_IS_PREFETCH (self), 0);
  return self->budget;
}

void
dl_prefetch_clear (DlPrefetch *self)
{
  g_return_if_fail (DL_IS_PREFETCH (self));

  g_ptr_array_set_size (self->wanted, 0);
  g_hash_table_remove_all (self->ready);
  stop_running (self);
}
