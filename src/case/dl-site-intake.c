/* dl-site-intake.c — the folders looked at and watched, and which of
 * their files have settled (dl-site-intake.h).  Taking a settled file is
 * dl-site-intake-take.c's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-site-intake"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "dl-site-intake-private.h"
#include "dl-site-private.h"

/* What was last seen of a file. */
typedef struct
{
  char    *signature;   /* size and mtime, its sidecar's too */
  gint64   since;       /* monotonic µs: unchanged since */
  guint    look;        /* the look it was last seen in */
  gboolean done;        /* taken, or found taken */
  gboolean failed;      /* could not be taken in the latest try */
} Seen;

struct _DlSiteIntake
{
  GObject           parent_instance;
  DlSite           *site;
  guint             settle;
  DlSiteIntakeFunc  func;
  gpointer          user_data;
  GPtrArray        *folders;    /* char * */
  GHashTable       *seen;       /* path → Seen */
  guint             look;
  guint             failures;   /* in the latest look */
  GPtrArray        *monitors;   /* GFileMonitor */
  guint             rescan_id;
  guint             soon_id;
};

G_DEFINE_FINAL_TYPE (DlSiteIntake, dl_site_intake, G_TYPE_OBJECT)

static const char * const sidecar_suffixes[] = { ".manifest.json", ".cuscar.edi", ".edi", ".csv" };
static const char * const manifest_suffixes[] = { ".json", ".edi", ".csv" };
static const char * const temporary_suffixes[] = { ".part", ".tmp", ".partial", "~" };

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
seen_free (Seen *seen)
{
  g_free (seen->signature);
  g_free (seen);
}

static void
manifest_free (DlSiteIntakeManifest *m)
{
  g_free (m->path);
  g_clear_pointer (&m->list, g_ptr_array_unref);
  g_free (m);
}

static void
dl_site_intake_finalize (GObject *object)
{
  DlSiteIntake *self = DL_SITE_INTAKE (object);

  dl_site_intake_stop (self);
  g_clear_object (&self->site);
  g_ptr_array_unref (self->folders);
  g_hash_table_unref (self->seen);
  g_ptr_array_unref (self->monitors);
  G_OBJECT_CLASS (dl_site_intake_parent_class)->finalize (object);
}

static void
dl_site_intake_class_init (DlSiteIntakeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dl_site_intake_finalize;
}

static void
dl_site_intake_init (DlSiteIntake *self)
{
  self->folders = g_ptr_array_new_with_free_func (g_free);
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) seen_free);
  self->monitors = g_ptr_array_new_with_free_func (g_object_unref);
}

DlSiteIntake *
dl_site_intake_new (DlSite           *site,
                    guint             settle_seconds,
                    DlSiteIntakeFunc  func,
                    gpointer          user_data)
{
  DlSiteIntake *self;

  g_return_val_if_fail (DL_IS_SITE (site), NULL);

  self = g_object_new (DL_TYPE_SITE_INTAKE, NULL);
  self->site = g_object_ref (site);
  self->settle = settle_seconds;
  self->func = func;
  self->user_data = user_data;
  return self;
}

gboolean
dl_site_intake_add_folder (DlSiteIntake  *self,
                           const char    *folder,
                           GError       **error)
{
  g_return_val_if_fail (DL_IS_SITE_INTAKE (self), FALSE);

  if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
    return g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY, _("“%s” is not a folder"), folder), FALSE;
  g_ptr_array_add (self->folders, g_canonicalize_filename (folder, NULL));
  return TRUE;
}

static gboolean
has_suffix (const char         *name,
            const char * const *suffixes,
            guint               n)
{
  for (guint i = 0; i < n; i++)
    if (g_str_has_suffix (name, suffixes[i]))
      return TRUE;
  return FALSE;
}

/* Hidden and temporary names are never taken. */
static gboolean
ignored_name (const char *name)
{
  return name[0] == '.' || has_suffix (name, temporary_suffixes, G_N_ELEMENTS (temporary_suffixes));
}

static gboolean
is_manifest_name (const char *name)
{
  return has_suffix (name, manifest_suffixes, G_N_ELEMENTS (manifest_suffixes));
}

/* "size:mtime" of a regular file, %NULL when it is none. */
static char *
file_signature (const char *path,
                struct stat *out)
{
  struct stat st;

  if (g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode))
    return NULL;
  if (out)
    *out = st;
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, (gint64) st.st_size, dl_site_intake_mtime (&st));
}

/* The sidecar manifest of the scan at @path, or %NULL. */
static char *
find_sidecar (const char *path)
{
  const char *dot = strrchr (path, '.');
  const char *slash = strrchr (path, G_DIR_SEPARATOR);
  g_autofree char *base = g_strndup (path, dot && (!slash || dot > slash) ? (gsize) (dot - path) : strlen (path));

  for (guint i = 0; i < G_N_ELEMENTS (sidecar_suffixes); i++)
    {
      g_autofree char *candidate = g_strconcat (base, sidecar_suffixes[i], NULL);

      if (g_file_test (candidate, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&candidate);
    }
  return NULL;
}

/* Notes what the file is now; %TRUE when it has been unchanged for the
 * settle interval and is not yet taken. */
static gboolean
observe (DlSiteIntake *self,
         const char   *path,
         const char   *signature,
         gint64        now)
{
  Seen *seen = g_hash_table_lookup (self->seen, path);

  if (seen == NULL || g_strcmp0 (seen->signature, signature) != 0)
    {
      if (seen == NULL)
        g_hash_table_insert (self->seen, g_strdup (path), seen = g_new0 (Seen, 1));
      g_free (seen->signature);
      seen->signature = g_strdup (signature);
      seen->since = now;
      seen->done = FALSE;
      seen->failed = FALSE;
    }
  seen->look = self->look;
  return !seen->done && now - seen->since >= (gint64) self->settle * G_USEC_PER_SEC;
}

/* The settled manifests of @names in @folder, read (those the readers
 * refuse are not manifests to match against). */
static GPtrArray *
folder_manifests (DlSiteIntake *self,
                  const char   *folder,
                  GPtrArray    *names,
                  gint64        now)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) manifest_free);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (folder, g_ptr_array_index (names, i), NULL);
      g_autofree char *sig = file_signature (path, NULL);
      Seen *seen = sig ? g_hash_table_lookup (self->seen, path) : NULL;
      GPtrArray *list;

      if (seen == NULL || g_strcmp0 (seen->signature, sig) != 0
          || now - seen->since < (gint64) self->settle * G_USEC_PER_SEC
          || (list = dl_manifest_load_file (path, NULL)) == NULL)
        continue;
      g_ptr_array_add (out, g_new0 (DlSiteIntakeManifest, 1));
      ((DlSiteIntakeManifest *) g_ptr_array_index (out, out->len - 1))->path = g_steal_pointer (&path);
      ((DlSiteIntakeManifest *) g_ptr_array_index (out, out->len - 1))->list = list;
    }
  return out;
}

/* Takes the settled file @path, or says why it could not. */
static void
take_one (DlSiteIntake *self,
          const char   *path,
          const char   *sidecar,
          GPtrArray    *manifests)
{
  struct stat st;
  g_autofree char *sig = file_signature (path, &st);
  DlSiteIntakeTake t = { self->site, path, 0, 0, sidecar, manifests };
  g_autoptr(DlSiteIntakeItem) item = NULL;
  g_autoptr(GError) error = NULL;

  if (sig == NULL)
    return;
  t.size = st.st_size;
  t.mtime = dl_site_intake_mtime (&st);
  if (!dl_site_intake_take (&t, &item, &error))
    {
      Seen *seen = g_hash_table_lookup (self->seen, path);

      self->failures++;
      seen->failed = !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY))
        seen->since = g_get_monotonic_time ();   /* still being written after all */
      if (self->func)
        self->func (NULL, path, error, self->user_data);
      return;
    }
  ((Seen *) g_hash_table_lookup (self->seen, path))->done = TRUE;
  if (item && self->func)
    self->func (item, path, NULL, self->user_data);
}

/* The settled manifest file @path attached to the waiting cases whose
 * scans came before it; looked at once (again when it changes). */
static void
attach_late (DlSiteIntake *self,
             const char   *path)
{
  g_autoptr(GPtrArray) list = dl_manifest_load_file (path, NULL);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_site_intake_item_free);
  g_autoptr(GError) error = NULL;

  /* one the readers refuse is no manifest, as for matching */
  if (list != NULL && !dl_site_intake_attach (self->site, path, list, items, &error))
    {
      self->failures++;
      if (self->func)
        self->func (NULL, path, error, self->user_data);
      return;
    }
  ((Seen *) g_hash_table_lookup (self->seen, path))->done = TRUE;
  for (guint i = 0; self->func && i < items->len; i++)
    self->func (g_ptr_array_index (items, i), path, NULL, self->user_data);
}

/* The names of @folder: scans and manifests apart. */
static void
list_folder (const char *folder,
             GPtrArray  *scans,
             GPtrArray  *manifests)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    if (!ignored_name (name))
      g_ptr_array_add (is_manifest_name (name) ? manifests : scans, g_strdup (name));
  g_ptr_array_sort (scans, compare_names);
}

static void
poll_folder (DlSiteIntake *self,
             const char   *folder)
{
  g_autoptr(GPtrArray) scans = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) manifests = NULL, settled = g_ptr_array_new_with_free_func (g_free);
  gint64 now = g_get_monotonic_time ();

  list_folder (folder, scans, names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (folder, g_ptr_array_index (names, i), NULL);
      g_autofree char *sig = file_signature (path, NULL);

      if (sig && observe (self, path, sig, now))
        g_ptr_array_add (settled, g_steal_pointer (&path));
    }
  for (guint i = 0; i < scans->len; i++)
    {
      g_autofree char *path = g_build_filename (folder, g_ptr_array_index (scans, i), NULL);
      g_autofree char *sig = file_signature (path, NULL), *sidecar = NULL, *both = NULL;

      if (sig == NULL)
        continue;
      sidecar = find_sidecar (path);
      {
        g_autofree char *side_sig = sidecar ? file_signature (sidecar, NULL) : NULL;

        both = g_strconcat (sig, "|", side_sig ? side_sig : "", NULL);
      }
      if (!observe (self, path, both, now))
        continue;
      if (manifests == NULL)
        manifests = folder_manifests (self, folder, names, now);
      take_one (self, path, sidecar, manifests);
    }
  /* after the scans: a manifest they took is no late one */
  for (guint i = 0; i < settled->len; i++)
    attach_late (self, g_ptr_array_index (settled, i));
}

static gboolean
forget_gone (gpointer key,
             gpointer value,
             gpointer user_data)
{
  return ((Seen *) value)->look != GPOINTER_TO_UINT (user_data);
}

guint
dl_site_intake_poll (DlSiteIntake *self)
{
  GHashTableIter iter;
  gpointer key, value;
  guint pending = 0;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (DL_IS_SITE_INTAKE (self), 0);

  self->look++;
  self->failures = 0;
  if (!dl_site_ensure_connected (self->site, &error))
    {
      /* the server is away: nothing is taken, the next look tries again */
      self->failures++;
      if (self->func)
        self->func (NULL, dl_site_get_target (self->site), error, self->user_data);
      return 1;
    }
  for (guint i = 0; i < self->folders->len; i++)
    poll_folder (self, g_ptr_array_index (self->folders, i));
  g_hash_table_foreach_remove (self->seen, forget_gone, GUINT_TO_POINTER (self->look));
  g_hash_table_iter_init (&iter, self->seen);
  while (g_hash_table_iter_next (&iter, &key, &value))
    pending += !((Seen *) value)->done && !is_manifest_name (key);
  return pending;
}

gboolean
dl_site_intake_run_once (DlSiteIntake  *self,
                         GPtrArray    **unsettled)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (DL_IS_SITE_INTAKE (self), FALSE);

  if (dl_site_intake_poll (self) > 0 && self->settle > 0)
    {
      g_usleep ((gulong) self->settle * G_USEC_PER_SEC + 50000);
      dl_site_intake_poll (self);
    }
  if (unsettled)
    {
      *unsettled = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_iter_init (&iter, self->seen);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (!((Seen *) value)->done && !((Seen *) value)->failed && !is_manifest_name (key))
          g_ptr_array_add (*unsettled, g_strdup (key));
      g_ptr_array_sort (*unsettled, compare_names);
    }
  return self->failures == 0;
}

/* -- watching ------------------------------------------------------------------ */

static void schedule_soon (DlSiteIntake *self);

static gboolean
on_look (gpointer data)
{
  DlSiteIntake *self = data;

  self->soon_id = 0;
  if (dl_site_intake_poll (self) > 0)
    schedule_soon (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_rescan (gpointer data)
{
  DlSiteIntake *self = data;

  if (dl_site_intake_poll (self) > 0)
    schedule_soon (self);
  return G_SOURCE_CONTINUE;
}

/* A look when what changed now may have settled. */
static void
schedule_soon (DlSiteIntake *self)
{
  if (self->soon_id == 0)
    self->soon_id = g_timeout_add (self->settle * 1000 + 100, on_look, self);
}

static void
on_changed (GFileMonitor      *monitor,
            GFile             *file,
            GFile             *other,
            GFileMonitorEvent  event,
            gpointer           data)
{
  schedule_soon (data);
}

gboolean
dl_site_intake_watch (DlSiteIntake  *self,
                      guint          rescan_seconds,
                      GError       **error)
{
  g_return_val_if_fail (DL_IS_SITE_INTAKE (self), FALSE);
  g_return_val_if_fail (rescan_seconds > 0, FALSE);

  for (guint i = 0; i < self->folders->len; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (g_ptr_array_index (self->folders, i));
      GFileMonitor *monitor = g_file_monitor_directory (file, G_FILE_MONITOR_WATCH_MOVES, NULL, error);

      if (monitor == NULL)
        return dl_site_intake_stop (self), FALSE;
      g_signal_connect (monitor, "changed", G_CALLBACK (on_changed), self);
      g_ptr_array_add (self->monitors, monitor);
    }
  self->rescan_id = g_timeout_add_seconds (rescan_seconds, on_rescan, self);
  self->soon_id = g_idle_add (on_look, self);
  return TRUE;
}

void
dl_site_intake_stop (DlSiteIntake *self)
{
  g_return_if_fail (DL_IS_SITE_INTAKE (self));

  for (guint i = 0; i < self->monitors->len; i++)
    {
      g_file_monitor_cancel (g_ptr_array_index (self->monitors, i));
      g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->monitors, i), self);
    }
  g_ptr_array_set_size (self->monitors, 0);
  g_clear_handle_id (&self->rescan_id, g_source_remove);
  g_clear_handle_id (&self->soon_id, g_source_remove);
}
