/* dl-thumbnail-loader.c
 *
 * One worker thread, one SQLite connection of its own (never shared with
 * the main thread's).  A row's picture carries a Slot whose generation
 * changes whenever the row is bound again: work for a row that moved on is
 * skipped before it is done, and a thumbnail arriving for it is not shown.
 * PNG decoding (gdk_texture_new_from_bytes) happens on the worker too, so
 * the main thread only sets textures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-thumbnail-loader"

#include "config.h"

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "dl-thumbnail-loader.h"

#define CACHE_MAX 512   /* textures kept for rows scrolled back to (~12 MiB) */
#define SLOT_KEY  "dl-thumbnail-slot"

typedef struct
{
  int         generation;  /* atomic */
  GtkPicture *picture;     /* main thread only; NULL once it is gone */
} Slot;

struct _DlThumbnailLoader
{
  GThreadPool  *pool;
  GMainContext *context;
  GMutex        lock;
  GCond         started_cond;
  gboolean      started;   /* under the lock: dl_thumbnail_loader_start () */
  DlCaseFile   *source;    /* the main thread's file, under the lock; NULL once closed */
  int           damaged;   /* atomic: its check failed, nothing more is read or written */
  /* the worker's */
  DlCaseFile   *file;
  gboolean      open_failed;
  gboolean      niced;
  /* the main thread's */
  gboolean      closed;
  GHashTable   *cache;     /* scan id → GdkPaintable (a texture, or the broken icon) */
  GdkPaintable *placeholder;
  GdkPaintable *broken;
};

typedef struct
{
  DlThumbnailLoader *loader;
  Slot              *slot;
  int                generation;
  char              *scan_id;
  GdkTexture        *texture;
} Job;

/* -- a fixed-size frame around a thumbnail or icon ------------------------------------
 *
 * GtkPicture asks for the width its paintable's aspect ratio gives at the
 * row's height: thumbnails of scans of other proportions would make rows
 * of other widths.  The frame has one size; what it holds is drawn inside,
 * centred, scaled down to fit and never up. */

#define DL_TYPE_THUMBNAIL_FRAME (dl_thumbnail_frame_get_type ())
G_DECLARE_FINAL_TYPE (DlThumbnailFrame, dl_thumbnail_frame, DL, THUMBNAIL_FRAME, GObject)

struct _DlThumbnailFrame
{
  GObject       parent_instance;
  GdkPaintable *inner;
  int           width, height;
};

static void
dl_thumbnail_frame_snapshot (GdkPaintable *paintable,
                             GdkSnapshot  *snapshot,
                             double        width,
                             double        height)
{
  DlThumbnailFrame *self = DL_THUMBNAIL_FRAME (paintable);
  double iw = gdk_paintable_get_intrinsic_width (self->inner);
  double ih = gdk_paintable_get_intrinsic_height (self->inner);
  double scale;

  if (iw <= 0 || ih <= 0)
    iw = ih = MIN (width, height);
  scale = MIN (1.0, MIN (width / iw, height / ih));
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) round ((width - iw * scale) / 2),
                                                          (float) round ((height - ih * scale) / 2)));
  gdk_paintable_snapshot (self->inner, snapshot, iw * scale, ih * scale);
  gtk_snapshot_restore (snapshot);
}

static int
dl_thumbnail_frame_get_intrinsic_width (GdkPaintable *paintable)
{
  return DL_THUMBNAIL_FRAME (paintable)->width;
}

static int
dl_thumbnail_frame_get_intrinsic_height (GdkPaintable *paintable)
{
  return DL_THUMBNAIL_FRAME (paintable)->height;
}

static GdkPaintableFlags
dl_thumbnail_frame_get_flags (GdkPaintable *paintable)
{
  return GDK_PAINTABLE_STATIC_SIZE | GDK_PAINTABLE_STATIC_CONTENTS;
}

static void
dl_thumbnail_frame_paintable_init (GdkPaintableInterface *iface)
{
  iface->snapshot = dl_thumbnail_frame_snapshot;
  iface->get_intrinsic_width = dl_thumbnail_frame_get_intrinsic_width;
  iface->get_intrinsic_height = dl_thumbnail_frame_get_intrinsic_height;
  iface->get_flags = dl_thumbnail_frame_get_flags;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (DlThumbnailFrame, dl_thumbnail_frame, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE, dl_thumbnail_frame_paintable_init))

static void
dl_thumbnail_frame_finalize (GObject *object)
{
  g_clear_object (&DL_THUMBNAIL_FRAME (object)->inner);
  G_OBJECT_CLASS (dl_thumbnail_frame_parent_class)->finalize (object);
}

static void
dl_thumbnail_frame_class_init (DlThumbnailFrameClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dl_thumbnail_frame_finalize;
}

static void
dl_thumbnail_frame_init (DlThumbnailFrame *self)
{
}

static GdkPaintable *
frame_new (GdkPaintable *inner)   /* (transfer full) */
{
  DlThumbnailFrame *self = g_object_new (DL_TYPE_THUMBNAIL_FRAME, NULL);

  self->inner = inner;
  self->width = DL_THUMBNAIL_FRAME_WIDTH;
  self->height = DL_THUMBNAIL_FRAME_HEIGHT;
  return GDK_PAINTABLE (self);
}

GdkTexture *
dl_thumbnail_loader_get_texture (GtkPicture *picture)
{
  GdkPaintable *p;

  g_return_val_if_fail (GTK_IS_PICTURE (picture), NULL);

  p = gtk_picture_get_paintable (picture);
  if (p && DL_IS_THUMBNAIL_FRAME (p) && GDK_IS_TEXTURE (DL_THUMBNAIL_FRAME (p)->inner))
    return GDK_TEXTURE (DL_THUMBNAIL_FRAME (p)->inner);
  return NULL;
}

/* -- the loader ------------------------------------------------------------------------ */

static void
loader_free (DlThumbnailLoader *self)
{
  g_clear_object (&self->file);
  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_clear_object (&self->placeholder);
  g_clear_object (&self->broken);
  g_main_context_unref (self->context);
  g_cond_clear (&self->started_cond);
  g_mutex_clear (&self->lock);
}

static void
loader_unref (DlThumbnailLoader *self)
{
  g_atomic_rc_box_release_full (self, (GDestroyNotify) loader_free);
}

static void
slot_release (Slot *slot)
{
  g_atomic_rc_box_release (slot);
}

static void
job_free (gpointer data)
{
  Job *job = data;

  loader_unref (job->loader);
  slot_release (job->slot);
  g_free (job->scan_id);
  g_clear_object (&job->texture);
  g_free (job);
}

static gboolean
still_wanted (Job *job)
{
  return g_atomic_int_get (&job->slot->generation) == job->generation;
}

static GdkPaintable *
icon (GtkPicture *picture,
      const char *name)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (picture)));

  return frame_new (GDK_PAINTABLE (gtk_icon_theme_lookup_icon (theme, name, NULL, 24, 1, GTK_TEXT_DIR_NONE, 0)));
}

/* Main thread: the thumbnail arrived (or could not be made). */
static gboolean
deliver (gpointer data)
{
  Job *job = data;
  DlThumbnailLoader *self = job->loader;
  g_autoptr(GdkPaintable) shown = NULL;

  if (self->closed)
    return G_SOURCE_REMOVE;
  if (job->texture == NULL && self->broken == NULL && job->slot->picture)
    self->broken = icon (job->slot->picture, "image-missing-symbolic");
  shown = job->texture ? frame_new (GDK_PAINTABLE (g_steal_pointer (&job->texture)))
                       : self->broken ? g_object_ref (self->broken) : NULL;
  if (shown == NULL)
    return G_SOURCE_REMOVE;
  if (g_hash_table_size (self->cache) >= CACHE_MAX)
    g_hash_table_remove_all (self->cache);
  g_hash_table_replace (self->cache, g_strdup (job->scan_id), g_object_ref (shown));
  if (job->slot->picture && still_wanted (job))
    gtk_picture_set_paintable (job->slot->picture, shown);
  return G_SOURCE_REMOVE;
}

/* Worker: the file on a connection of the worker's own. */
static DlCaseFile *
worker_file (DlThumbnailLoader *self)
{
  g_autoptr(GError) error = NULL;

  if (!self->niced)
    {
      /* the worker's own thread (an exclusive pool) yields to the main
       * thread and to the file's check: thumbnails are worth less than a
       * smooth frame */
#ifdef __linux__
      setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 10);
#endif
      self->niced = TRUE;
    }
  if (self->file == NULL && !self->open_failed)
    {
      g_mutex_lock (&self->lock);
      while (!self->started && self->source)
        g_cond_wait (&self->started_cond, &self->lock);
      /* closed before the first job: nothing to open */
      self->file = self->source ? dl_case_file_open_again (self->source, &error) : NULL;
      g_mutex_unlock (&self->lock);
      if (self->file == NULL)
        {
          if (error)
            g_warning ("thumbnails: %s", error->message);
          self->open_failed = TRUE;
        }
    }
  return g_atomic_int_get (&self->damaged) ? NULL : self->file;
}

static GdkTexture *
load_texture (DlCaseFile *file,
              const char *scan_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = dl_case_file_get_thumbnail (file, scan_id, NULL, NULL, &error);
  GdkTexture *texture;

  if (png == NULL && error == NULL)
    png = dl_case_file_make_thumbnail (file, scan_id, &error);
  if (png == NULL)
    {
      g_debug ("no thumbnail for scan %s: %s", scan_id, error ? error->message : "?");
      return NULL;
    }
  texture = gdk_texture_new_from_bytes (png, &error);
  if (texture == NULL)
    g_debug ("thumbnail of scan %s cannot be read: %s", scan_id, error->message);
  return texture;
}

static void
work (gpointer data,
      gpointer pool_data)
{
  Job *job = data;
  g_autoptr(GSource) source = NULL;
  DlCaseFile *file;

  /* the row shows another case by now: skipped, so that a fast scroll
   * through thousands of rows costs nothing here */
  if (!still_wanted (job) || (file = worker_file (job->loader)) == NULL)
    {
      job_free (job);
      return;
    }
  job->texture = load_texture (file, job->scan_id);
  /* an idle source, never g_main_context_invoke (), which may call it
   * right here when the main thread is between iterations */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (source, deliver, job, job_free);
  g_source_set_static_name (source, "[doorlicht] thumbnail");
  g_source_attach (source, job->loader->context);
}

/* The file's own check found it damaged: no more thumbnails from it. */
static void
on_damaged (DlCaseFile        *file,
            const char        *message,
            DlThumbnailLoader *self)
{
  g_assert (DL_IS_CASE_FILE (file));
  g_assert (self != NULL);

  g_atomic_int_set (&self->damaged, 1);
}

DlThumbnailLoader *
dl_thumbnail_loader_new (DlCaseFile *file)
{
  DlThumbnailLoader *self;

  g_return_val_if_fail (DL_IS_CASE_FILE (file), NULL);

  self = g_atomic_rc_box_new0 (DlThumbnailLoader);
  g_mutex_init (&self->lock);
  self->source = g_object_ref (file);
  g_signal_connect (file, "damaged", G_CALLBACK (on_damaged), self);
  self->context = g_main_context_ref_thread_default ();
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  /* one thread: one connection, and the other core left to the view */
  self->pool = g_thread_pool_new_full (work, NULL, job_free, 1, TRUE, NULL);
  return self;
}

void
dl_thumbnail_loader_start (DlThumbnailLoader *self)
{
  g_return_if_fail (self != NULL);

  /* thumbnails are written into the file: not before SQLite's check of
   * it passed (the queue's first frame is on screen already) */
  if (!dl_case_file_wait_checked (self->source, NULL))
    return;
  g_mutex_lock (&self->lock);
  self->started = TRUE;
  g_cond_signal (&self->started_cond);
  g_mutex_unlock (&self->lock);
}

void
dl_thumbnail_loader_close (DlThumbnailLoader *self)
{
  if (self == NULL)
    return;
  self->closed = TRUE;
  g_signal_handlers_disconnect_by_data (self->source, self);
  g_mutex_lock (&self->lock);
  g_clear_object (&self->source);
  g_cond_signal (&self->started_cond);
  g_mutex_unlock (&self->lock);
  /* queued work is dropped (job_free); the thumbnail being made, if any,
   * finishes and is not shown */
  g_thread_pool_free (g_steal_pointer (&self->pool), TRUE, FALSE);
  /* textures are let go here, on the main thread; what is left may be
   * freed by the worker */
  g_hash_table_remove_all (self->cache);
  g_clear_object (&self->placeholder);
  g_clear_object (&self->broken);
  loader_unref (self);
}

static void
picture_gone (gpointer  data,
              GObject  *where_the_object_was)
{
  Slot *slot = data;

  slot->picture = NULL;
  g_atomic_int_inc (&slot->generation);
  slot_release (slot);
}

/* The picture's slot, made on first use; it lives as long as the picture
 * and the work asked for it. */
static Slot *
picture_slot (GtkPicture *picture)
{
  Slot *slot = g_object_get_data (G_OBJECT (picture), SLOT_KEY);

  if (slot == NULL)
    {
      slot = g_atomic_rc_box_new0 (Slot);
      slot->picture = picture;
      g_object_set_data (G_OBJECT (picture), SLOT_KEY, slot);
      g_object_weak_ref (G_OBJECT (picture), picture_gone, slot);
    }
  return slot;
}

void
dl_thumbnail_loader_forget (GtkPicture *picture)
{
  Slot *slot;

  g_return_if_fail (GTK_IS_PICTURE (picture));

  slot = g_object_get_data (G_OBJECT (picture), SLOT_KEY);
  if (slot)
    g_atomic_int_inc (&slot->generation);
}

void
dl_thumbnail_loader_show (DlThumbnailLoader *self,
                          GtkPicture        *picture,
                          const char        *scan_id)
{
  Slot *slot;
  GdkPaintable *cached;
  Job *job;

  g_return_if_fail (self != NULL);
  g_return_if_fail (GTK_IS_PICTURE (picture));

  slot = picture_slot (picture);
  g_atomic_int_inc (&slot->generation);
  /* a case without a scan shows no picture at all */
  if (scan_id == NULL)
    {
      gtk_picture_set_paintable (picture, NULL);
      return;
    }
  if (self->placeholder == NULL)
    self->placeholder = icon (picture, "image-x-generic-symbolic");
  cached = g_hash_table_lookup (self->cache, scan_id);
  gtk_picture_set_paintable (picture, cached ? cached : self->placeholder);
  if (cached || scan_id == NULL || self->pool == NULL)
    return;

  job = g_new0 (Job, 1);
  job->loader = g_atomic_rc_box_acquire (self);
  job->slot = g_atomic_rc_box_acquire (slot);
  job->generation = g_atomic_int_get (&slot->generation);
  job->scan_id = g_strdup (scan_id);
  g_thread_pool_push (self->pool, job, NULL);
}
