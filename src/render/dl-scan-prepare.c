/* dl-scan-prepare.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-scan-prepare"

#include "config.h"

#include "dl-material.h"
#include "dl-scan-prepare.h"

/**
 * dl_scan_prepare:
 *
 * Computes what display needs: every plane's histogram (for presets and
 * I0) and multi-resolution pyramid, and the material classes of each view
 * with an energy pair.  Idempotent.
 */
void
dl_scan_prepare (DlScan *self)
{
  g_return_if_fail (DL_IS_SCAN (self));

  dl_scan_prepare_display (self);
  if (!dl_scan_has_classes (self))
    dl_scan_install_classes (self, dl_material_classify_scan (self));
}

/**
 * dl_scan_prepare_display:
 *
 * As dl_scan_prepare(), but for a scan of more than
 * DL_SCAN_DEFER_CLASSES_PIXELS pixels in a view the material classes are
 * left out: dl_scan_needs_classes () says so, and the caller computes
 * them elsewhere (dl_material_classify_scan () in a worker thread, then
 * dl_scan_install_classes () where the scan is shown).
 */
void
dl_scan_prepare_display (DlScan *self)
{
  g_return_if_fail (DL_IS_SCAN (self));

  dl_scan_prepare_planes (self);
  if (!dl_scan_has_classes (self) && !dl_scan_needs_classes (self))
    dl_scan_install_classes (self, dl_material_classify_scan (self));
}

typedef struct
{
  char           *path;
  GBytes         *bytes;   /* or NULL: read path */
  DlLoadOptions   options;
  DlProgressFunc  progress;
  gpointer        progress_data;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *ld = data;

  g_free (ld->path);
  g_clear_pointer (&ld->bytes, g_bytes_unref);
  g_free (ld);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *ld = task_data;
  GError *error = NULL;
  DlScan *scan;

  if (ld->bytes)
    scan = dl_scan_load_bytes (ld->bytes, ld->path, &ld->options, ld->progress,
                               ld->progress_data, cancellable, &error);
  else
    scan = dl_scan_load_file (ld->path, &ld->options, ld->progress,
                              ld->progress_data, cancellable, &error);
  if (scan != NULL)
    dl_scan_prepare_display (scan);

  if (scan == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, scan, g_object_unref);
}

static void
start_load (const char          *path,
            GBytes              *bytes,
            const DlLoadOptions *options,
            DlProgressFunc       progress,
            gpointer             progress_data,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *ld = g_new0 (LoadData, 1);

  ld->path = g_strdup (path);
  ld->bytes = bytes ? g_bytes_ref (bytes) : NULL;
  if (options)
    ld->options = *options;
  ld->progress = progress;
  ld->progress_data = progress_data;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dl_scan_load_async);
  g_task_set_task_data (task, ld, load_data_free);
  g_task_run_in_thread (task, load_thread);
}

/**
 * dl_scan_load_async:
 * @progress: (nullable): called from the worker thread
 *
 * Decodes the scan in a worker thread, and prepares it for display.
 */
void
dl_scan_load_async (const char          *path,
                    const DlLoadOptions *options,
                    DlProgressFunc       progress,
                    gpointer             progress_data,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  start_load (path, NULL, options, progress, progress_data, cancellable, callback, user_data);
}

/**
 * dl_scan_load_bytes_async:
 *
 * As dl_scan_load_async(), from bytes in memory named @name.
 */
void
dl_scan_load_bytes_async (GBytes              *bytes,
                          const char          *name,
                          const DlLoadOptions *options,
                          DlProgressFunc       progress,
                          gpointer             progress_data,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  start_load (name, bytes, options, progress, progress_data, cancellable, callback, user_data);
}

DlScan *
dl_scan_load_finish (GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
