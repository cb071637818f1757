/* dl-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "dl-histogram.h"
#include "dl-session.h"

/* Shared between the session and the loading thread, which only ever
 * writes the fraction; the session polls it. */
typedef struct
{
  gatomicrefcount ref;
  gint            permille;
} Progress;

struct _DlSession
{
  GObject       parent_instance;
  DlViewState  *view_state;
  DlScan       *scan;
  guint         active_index;
  gboolean      show_all;

  GCancellable *cancellable;
  Progress     *progress;
  guint         poll_id;
  char         *loading_path;
  char         *path;
  char         *title;

  GPtrArray    *files;
  int           file_index;

  GHashTable   *annotations;    /* scan path → DlAnnotations, kept while the session lives */
  DlAnnotations *current_annotations;
  DlTool        tool;
  guint         selected;
};

G_DEFINE_FINAL_TYPE (DlSession, dl_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SCAN,
  PROP_ACTIVE_INDEX,
  PROP_SHOW_ALL,
  PROP_LOADING,
  PROP_PROGRESS,
  PROP_PATH,
  PROP_TITLE,
  PROP_FILE_INDEX,
  PROP_TOOL,
  PROP_SELECTED,
  N_PROPS
};

enum {
  LOAD_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static Progress *
progress_ref (Progress *p)
{
  g_atomic_ref_count_inc (&p->ref);
  return p;
}

static void
progress_unref (gpointer data)
{
  Progress *p = data;

  if (g_atomic_ref_count_dec (&p->ref))
    g_free (p);
}

static void
on_progress (double   fraction,
             gpointer user_data)
{
  Progress *p = user_data;

  g_atomic_int_set (&p->permille, (gint) CLAMP (fraction * 1000.0, 0, 1000));
}

static void
dl_session_dispose (GObject *object)
{
  DlSession *self = DL_SESSION (object);

  dl_session_cancel_load (self);
  g_clear_object (&self->scan);
  g_clear_object (&self->view_state);

  G_OBJECT_CLASS (dl_session_parent_class)->dispose (object);
}

static void
dl_session_finalize (GObject *object)
{
  DlSession *self = DL_SESSION (object);

  g_clear_pointer (&self->files, g_ptr_array_unref);
  g_clear_pointer (&self->annotations, g_hash_table_unref);
  g_clear_object (&self->current_annotations);
  g_free (self->path);
  g_free (self->title);
  g_free (self->loading_path);

  G_OBJECT_CLASS (dl_session_parent_class)->finalize (object);
}

static void
dl_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DlSession *self = DL_SESSION (object);

  switch (prop_id)
    {
    case PROP_SCAN: g_value_set_object (value, self->scan); break;
    case PROP_ACTIVE_INDEX: g_value_set_uint (value, self->active_index); break;
    case PROP_SHOW_ALL: g_value_set_boolean (value, self->show_all); break;
    case PROP_LOADING: g_value_set_boolean (value, self->cancellable != NULL); break;
    case PROP_PROGRESS: g_value_set_double (value, dl_session_get_progress (self)); break;
    case PROP_PATH: g_value_set_string (value, self->path); break;
    case PROP_TITLE: g_value_set_string (value, dl_session_get_title (self)); break;
    case PROP_FILE_INDEX: g_value_set_int (value, self->file_index); break;
    case PROP_TOOL: g_value_set_int (value, self->tool); break;
    case PROP_SELECTED: g_value_set_uint (value, self->selected); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dl_session_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  DlSession *self = DL_SESSION (object);

  switch (prop_id)
    {
    case PROP_ACTIVE_INDEX: dl_session_set_active_index (self, g_value_get_uint (value)); break;
    case PROP_SHOW_ALL: dl_session_set_show_all (self, g_value_get_boolean (value)); break;
    case PROP_TOOL: dl_session_set_tool (self, g_value_get_int (value)); break;
    case PROP_SELECTED: dl_session_set_selected (self, g_value_get_uint (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dl_session_class_init (DlSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = dl_session_dispose;
  object_class->finalize = dl_session_finalize;
  object_class->get_property = dl_session_get_property;
  object_class->set_property = dl_session_set_property;

  properties[PROP_SCAN] = g_param_spec_object ("scan", NULL, NULL, DL_TYPE_SCAN, ro);
  properties[PROP_ACTIVE_INDEX] = g_param_spec_uint ("active-index", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[PROP_SHOW_ALL] = g_param_spec_boolean ("show-all", NULL, NULL, FALSE, rw);
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, ro);
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, 0, 1, 0, ro);
  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, ro);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, ro);
  properties[PROP_FILE_INDEX] = g_param_spec_int ("file-index", NULL, NULL, -1, G_MAXINT, -1, ro);
  properties[PROP_TOOL] = g_param_spec_int ("tool", NULL, NULL, 0, DL_N_TOOLS - 1, DL_TOOL_SELECT, rw);
  properties[PROP_SELECTED] = g_param_spec_uint ("selected", NULL, NULL, 0, G_MAXUINT, 0, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted with a message a person can read when a scan cannot be opened;
   * the scan that was shown stays. */
  signals[LOAD_FAILED] = g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);
}

static void
dl_session_init (DlSession *self)
{
  self->view_state = dl_view_state_new ();
  self->files = g_ptr_array_new_with_free_func (g_free);
  self->file_index = -1;
  self->annotations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->current_annotations = dl_annotations_new ();
}

DlSession *
dl_session_new (void)
{
  return g_object_new (DL_TYPE_SESSION, NULL);
}

DlViewState *
dl_session_get_view_state (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), NULL);
  return self->view_state;
}

DlScan *
dl_session_get_scan (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), NULL);
  return self->scan;
}

DlPlane *
dl_session_get_active_plane (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), NULL);

  if (self->scan == NULL)
    return NULL;
  return dl_scan_get_plane_at (self->scan, self->active_index);
}

guint
dl_session_get_active_index (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), 0);
  return self->active_index;
}

/* Makes plane @index the one the window and I0 follow. */
void
dl_session_set_active_index (DlSession *self,
                             guint      index)
{
  DlPlane *plane;

  g_return_if_fail (DL_IS_SESSION (self));

  if (self->scan == NULL || index >= dl_scan_get_n_planes (self->scan))
    return;
  if (index == self->active_index)
    return;

  self->active_index = index;
  plane = dl_session_get_active_plane (self);
  if (plane->histogram != NULL)
    g_object_set (self->view_state, "i0", dl_plane_get_i0 (plane), NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_INDEX]);
}

gboolean
dl_session_get_show_all (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), FALSE);
  return self->show_all;
}

void
dl_session_set_show_all (DlSession *self,
                         gboolean   show_all)
{
  g_return_if_fail (DL_IS_SESSION (self));

  show_all = !!show_all;
  if (self->show_all == show_all)
    return;
  self->show_all = show_all;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_ALL]);
}

void
dl_session_apply_preset (DlSession *self,
                         DlPreset   preset)
{
  DlPlane *plane;

  g_return_if_fail (DL_IS_SESSION (self));

  plane = dl_session_get_active_plane (self);
  if (plane == NULL || plane->histogram == NULL)
    return;
  dl_view_state_apply_preset (self->view_state, preset, plane->histogram);
}

/**
 * dl_session_set_scan:
 *
 * Shows @scan (prepared with dl_scan_prepare()): the first channel becomes
 * active, I0 comes from it, the window is the auto preset in the space
 * already chosen, and the view fits the window.
 */
void
dl_session_set_scan (DlSession *self,
                     DlScan    *scan)
{
  g_return_if_fail (DL_IS_SESSION (self));
  g_return_if_fail (scan == NULL || DL_IS_SCAN (scan));

  if (!g_set_object (&self->scan, scan))
    return;

  self->active_index = 0;
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->title, g_free);

  self->selected = 0;
  g_clear_object (&self->current_annotations);

  if (scan != NULL)
    {
      DlPlane *plane = dl_scan_get_plane_at (scan, 0);

      dl_scan_prepare (scan);
      self->path = g_strdup (dl_scan_get_source_path (scan));
      /* each scan keeps its own marks while the session lives */
      if (self->path)
        {
          DlAnnotations *marks = g_hash_table_lookup (self->annotations, self->path);
          if (marks == NULL)
            {
              marks = dl_annotations_new ();
              g_hash_table_insert (self->annotations, g_strdup (self->path), marks);
            }
          self->current_annotations = g_object_ref (marks);
        }
      g_object_freeze_notify (G_OBJECT (self->view_state));
      g_object_set (self->view_state, "i0", dl_plane_get_i0 (plane), NULL);
      dl_view_state_apply_preset (self->view_state, DL_PRESET_AUTO, plane->histogram);
      dl_view_state_set_focus (self->view_state, plane->width / 2.0, plane->height / 2.0);
      dl_view_state_set_fit (self->view_state, TRUE);
      g_object_thaw_notify (G_OBJECT (self->view_state));
    }

  if (self->current_annotations == NULL)
    self->current_annotations = dl_annotations_new ();

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCAN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_INDEX]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATH]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
set_loading (DlSession    *self,
             GCancellable *cancellable)
{
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_pointer (&self->progress, progress_unref);
  g_clear_object (&self->cancellable);
  if (cancellable)
    self->cancellable = g_object_ref (cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static gboolean
poll_progress (gpointer user_data)
{
  DlSession *self = user_data;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
  return G_SOURCE_CONTINUE;
}

typedef struct
{
  DlSession    *session;   /* weak: cleared on dispose via cancellable */
  GCancellable *cancellable;
  char         *path;
} OpenData;

static void
open_data_free (OpenData *od)
{
  g_object_unref (od->session);
  g_object_unref (od->cancellable);
  g_free (od->path);
  g_free (od);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  OpenData *od = user_data;
  DlSession *self = od->session;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlScan) scan = dl_scan_load_finish (result, &error);

  /* A newer open (or a cancel) took over: this result is not wanted. */
  if (self->cancellable == od->cancellable)
    {
      set_loading (self, NULL);
      if (scan != NULL)
        dl_session_set_scan (self, scan);
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_signal_emit (self, signals[LOAD_FAILED], 0, od->path, error);
    }

  open_data_free (od);
}

/**
 * dl_session_open:
 *
 * Starts decoding @path in a worker thread (any earlier load is cancelled).
 * On success the scan is shown; on failure "load-failed" is emitted and
 * the scan on screen stays.
 */
void
dl_session_open (DlSession  *self,
                 const char *path)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  OpenData *od;

  g_return_if_fail (DL_IS_SESSION (self));
  g_return_if_fail (path != NULL);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);

  set_loading (self, cancellable);
  self->progress = g_new0 (Progress, 1);
  g_atomic_ref_count_init (&self->progress->ref);
  self->poll_id = g_timeout_add (50, poll_progress, self);

  for (guint i = 0; i < self->files->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->files, i), path) == 0)
      {
        self->file_index = i;
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE_INDEX]);
      }

  od = g_new0 (OpenData, 1);
  od->session = g_object_ref (self);
  od->cancellable = g_object_ref (cancellable);
  od->path = g_strdup (path);

  dl_scan_load_async (path, NULL, on_progress, progress_ref (self->progress),
                      cancellable, on_loaded, od);
  /* the thread's reference to the progress is dropped with the task data */
  g_object_set_data_full (G_OBJECT (cancellable), "dl-progress", self->progress, progress_unref);
}

void
dl_session_cancel_load (DlSession *self)
{
  g_return_if_fail (DL_IS_SESSION (self));

  if (self->cancellable == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  set_loading (self, NULL);
}

gboolean
dl_session_get_loading (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), FALSE);
  return self->cancellable != NULL;
}

double
dl_session_get_progress (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), 0);

  if (self->progress == NULL)
    return 0;
  return g_atomic_int_get (&self->progress->permille) / 1000.0;
}

const char *
dl_session_get_path (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), NULL);
  return self->path;
}

const char *
dl_session_get_title (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), NULL);

  if (self->title == NULL && self->path != NULL)
    self->title = g_filename_display_basename (self->path);
  return self->title;
}

/* The scans that next/previous step through, in order. */
void
dl_session_set_files (DlSession          *self,
                      const char * const *paths)
{
  g_return_if_fail (DL_IS_SESSION (self));

  g_ptr_array_set_size (self->files, 0);
  for (guint i = 0; paths && paths[i]; i++)
    g_ptr_array_add (self->files, g_strdup (paths[i]));
  self->file_index = -1;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE_INDEX]);
}

guint
dl_session_get_n_files (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), 0);
  return self->files->len;
}

int
dl_session_get_file_index (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), -1);
  return self->file_index;
}

/* Opens the next (+1) or previous (−1) scan of the list; FALSE at an end. */
gboolean
dl_session_step (DlSession *self,
                 int        delta)
{
  int next;

  g_return_val_if_fail (DL_IS_SESSION (self), FALSE);

  next = self->file_index + delta;
  if (self->files->len == 0 || next < 0 || next >= (int) self->files->len)
    return FALSE;

  dl_session_open (self, g_ptr_array_index (self->files, next));
  return TRUE;
}

static void
append_sample (GString       *s,
               const DlPlane *plane,
               guint          x,
               guint          y,
               double         i0)
{
  guint16 v = plane->data[(gsize) y * plane->width + x];

  g_string_append_printf (s, " · %s %u", plane->name, v);
  if (i0 > 0)
    g_string_append_printf (s, " (%s %.3f)", _("density"), dl_density (v, i0));
}

/**
 * dl_session_describe_point:
 *
 * The status line for image point (@x, @y) of plane @plane_index: pixel
 * and millimetre position, then every channel of that view with its raw
 * value and density.  %NULL outside the image.
 */
char *
dl_session_describe_point (DlSession *self,
                           guint      plane_index,
                           double     x,
                           double     y)
{
  g_autoptr(GString) s = NULL;
  DlPlane *plane;
  double px, py;
  guint ix, iy;

  g_return_val_if_fail (DL_IS_SESSION (self), NULL);

  if (self->scan == NULL || (plane = dl_scan_get_plane_at (self->scan, plane_index)) == NULL)
    return NULL;
  if (!(x >= 0 && y >= 0 && x < plane->width && y < plane->height))
    return NULL;

  ix = (guint) floor (x);
  iy = (guint) floor (y);
  s = g_string_new (NULL);
  g_string_append_printf (s, "x %u, y %u px", ix, iy);
  if (dl_scan_get_pixel_pitch (self->scan, &px, &py))
    g_string_append_printf (s, " (%.1f, %.1f mm)", (ix + 0.5) * px, (iy + 0.5) * py);

  for (guint c = 0; c < dl_scan_get_n_channels (self->scan, plane->view); c++)
    {
      const DlPlane *p = dl_scan_get_plane (self->scan, plane->view, c);

      if (ix < p->width && iy < p->height)
        append_sample (s, p, ix, iy, p->histogram ? dl_plane_get_i0 (p) : 0);
    }

  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* What the view shows, as text: for assistive technologies and tests. */
char *
dl_session_describe_state (DlSession *self)
{
  DlWindowing w;
  DlPlane *plane;

  g_return_val_if_fail (DL_IS_SESSION (self), NULL);

  plane = dl_session_get_active_plane (self);
  if (plane == NULL)
    return g_strdup (_("No scan open"));

  dl_view_state_get_windowing (self->view_state, &w);
  if (w.space == DL_SPACE_DENSITY)
    return g_strdup_printf (_("%s, %s, %u × %u pixels, zoom %.0f %%, density window centre %.3f width %.3f%s"),
                            dl_session_get_title (self), plane->name, plane->width, plane->height,
                            dl_view_state_get_zoom (self->view_state) * 100.0, w.center, w.width,
                            w.invert ? _(", inverted") : "");
  return g_strdup_printf (_("%s, %s, %u × %u pixels, zoom %.0f %%, window centre %.0f width %.0f%s"),
                          dl_session_get_title (self), plane->name, plane->width, plane->height,
                          dl_view_state_get_zoom (self->view_state) * 100.0, w.center, w.width,
                          w.invert ? _(", inverted") : "");
}

/* The marks on the scan shown (an empty set before any scan). */
DlAnnotations *
dl_session_get_annotations (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), NULL);
  return self->current_annotations;
}

DlTool
dl_session_get_tool (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), DL_TOOL_SELECT);
  return self->tool;
}

void
dl_session_set_tool (DlSession *self,
                     DlTool     tool)
{
  g_return_if_fail (DL_IS_SESSION (self));

  if (tool >= DL_N_TOOLS || tool == self->tool)
    return;
  self->tool = tool;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL]);
}

guint
dl_session_get_selected (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), 0);
  return self->selected;
}

void
dl_session_set_selected (DlSession *self,
                         guint      id)
{
  g_return_if_fail (DL_IS_SESSION (self));

  if (self->selected == id)
    return;
  self->selected = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}
