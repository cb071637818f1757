/* dl-scan.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-scan"

#include "config.h"

#include <sys/mman.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "dl-scan.h"
#include "dl-cargo.h"
#include "dl-hash.h"
#include "dl-histogram.h"
#include "dl-pyramid.h"
#include "dl-dicom-scan.h"
#include "dl-regular-file.h"
#include "dl-tiff.h"

struct _DlScan
{
  GObject     parent_instance;
  GPtrArray  *planes;      /* DlPlane */
  GHashTable *metadata;    /* char* → char* */
  double      pitch_x_mm;
  double      pitch_y_mm;
  char       *source_path;
  char       *sha256;
  GPtrArray  *classes;     /* per view: guint8 material classes, or NULL */
  GPtrArray  *retired;     /* classes replaced, kept for who still reads them */
};

G_DEFINE_FINAL_TYPE (DlScan, dl_scan, G_TYPE_OBJECT)
G_DEFINE_QUARK (dl-scan-error-quark, dl_scan_error)

static void
dl_plane_free (gpointer data)
{
  DlPlane *plane = data;

  g_clear_pointer (&plane->pyramid, dl_pyramid_free);
  g_clear_pointer (&plane->histogram, dl_histogram_free);
  g_free (plane->level2);
  g_free (plane->counts);
  g_free (plane->data);
  g_free (plane->name);
  g_free (plane);
}

static void
dl_scan_finalize (GObject *object)
{
  DlScan *self = DL_SCAN (object);

  g_clear_pointer (&self->planes, g_ptr_array_unref);
  g_clear_pointer (&self->metadata, g_hash_table_unref);
  g_clear_pointer (&self->source_path, g_free);
  g_clear_pointer (&self->sha256, g_free);
  g_clear_pointer (&self->classes, g_ptr_array_unref);
  g_clear_pointer (&self->retired, g_ptr_array_unref);

  G_OBJECT_CLASS (dl_scan_parent_class)->finalize (object);
}

static void
dl_scan_class_init (DlScanClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dl_scan_finalize;
}

static void
dl_scan_init (DlScan *self)
{
  self->planes = g_ptr_array_new_with_free_func (dl_plane_free);
  self->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

DlScan *
dl_scan_new (void)
{
  return g_object_new (DL_TYPE_SCAN, NULL);
}

guint64
dl_scan_get_memory_size (DlScan *self)
{
  guint64 total = 0;

  g_return_val_if_fail (DL_IS_SCAN (self), 0);

  for (guint i = 0; i < self->planes->len; i++)
    {
      const DlPlane *p = g_ptr_array_index (self->planes, i);
      total += (guint64) p->width * p->height * sizeof (guint16);
    }

  return total;
}

/**
 * dl_scan_add_plane:
 * @max_memory: the cap on all sample memory of the scan, 0 for the default
 *
 * Adds a zero-filled plane.  The size is checked against @max_memory before
 * anything is allocated, and allocation failure is an error, not an abort.
 *
 * Returns: (transfer none): the plane, or %NULL with @error set
 */
DlPlane *
dl_scan_add_plane (DlScan      *self,
                   guint        view,
                   const char  *name,
                   guint        width,
                   guint        height,
                   guint64      max_memory,
                   GError     **error)
{
  DlPlane *plane;
  guint64 bytes;
  guint channel = 0;

  g_return_val_if_fail (DL_IS_SCAN (self), NULL);

  if (max_memory == 0)
    max_memory = DL_DEFAULT_MAX_MEMORY;

  if (width == 0 || height == 0)
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_CORRUPT,
                   _("The image has no pixels (%u × %u)"), width, height);
      return NULL;
    }

  bytes = (guint64) width * height * sizeof (guint16);
  if (bytes > max_memory || dl_scan_get_memory_size (self) + bytes > max_memory)
    {
      g_autofree char *need = g_format_size (dl_scan_get_memory_size (self) + bytes);
      g_autofree char *cap = g_format_size (max_memory);
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_TOO_LARGE,
                   _("The scan needs %s of memory, more than the limit of %s (%u × %u pixels)"),
                   need, cap, width, height);
      return NULL;
    }

  for (guint i = 0; i < self->planes->len; i++)
    {
      const DlPlane *p = g_ptr_array_index (self->planes, i);
      if (p->view == view)
        channel++;
    }

  plane = g_new0 (DlPlane, 1);
  plane->data = g_try_malloc0 (bytes);
  if (plane->data == NULL)
    {
      g_autofree char *need = g_format_size (bytes);
      g_free (plane);
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_TOO_LARGE,
                   _("Could not allocate %s for the image"), need);
      return NULL;
    }

  plane->width = width;
  plane->height = height;
  plane->view = view;
  plane->channel = channel;
  plane->name = name ? g_strdup (name) : g_strdup_printf ("channel %u", channel);
  plane->source_bits = 16;
  plane->source_format = DL_SAMPLE_UINT;
  plane->scale = 1.0;
  plane->offset = 0.0;
  plane->lossless = TRUE;

  g_ptr_array_add (self->planes, plane);

  return plane;
}

guint
dl_scan_get_n_planes (DlScan *self)
{
  g_return_val_if_fail (DL_IS_SCAN (self), 0);
  return self->planes->len;
}

DlPlane *
dl_scan_get_plane_at (DlScan *self,
                      guint   index)
{
  g_return_val_if_fail (DL_IS_SCAN (self), NULL);

  if (index >= self->planes->len)
    return NULL;
  return g_ptr_array_index (self->planes, index);
}

guint
dl_scan_get_n_views (DlScan *self)
{
  guint n = 0;

  g_return_val_if_fail (DL_IS_SCAN (self), 0);

  for (guint i = 0; i < self->planes->len; i++)
    {
      const DlPlane *p = g_ptr_array_index (self->planes, i);
      n = MAX (n, p->view + 1);
    }

  return n;
}

guint
dl_scan_get_n_channels (DlScan *self,
                        guint   view)
{
  guint n = 0;

  g_return_val_if_fail (DL_IS_SCAN (self), 0);

  for (guint i = 0; i < self->planes->len; i++)
    {
      const DlPlane *p = g_ptr_array_index (self->planes, i);
      if (p->view == view)
        n++;
    }

  return n;
}

DlPlane *
dl_scan_get_plane (DlScan *self,
                   guint   view,
                   guint   channel)
{
  g_return_val_if_fail (DL_IS_SCAN (self), NULL);

  for (guint i = 0; i < self->planes->len; i++)
    {
      DlPlane *p = g_ptr_array_index (self->planes, i);
      if (p->view == view && p->channel == channel)
        return p;
    }

  return NULL;
}

void
dl_scan_set_pixel_pitch (DlScan *self,
                         double  x_mm,
                         double  y_mm)
{
  g_return_if_fail (DL_IS_SCAN (self));

  self->pitch_x_mm = x_mm;
  self->pitch_y_mm = y_mm;
}

/* Returns FALSE when the file did not state a pitch. */
gboolean
dl_scan_get_pixel_pitch (DlScan *self,
                         double *x_mm,
                         double *y_mm)
{
  g_return_val_if_fail (DL_IS_SCAN (self), FALSE);

  if (x_mm)
    *x_mm = self->pitch_x_mm;
  if (y_mm)
    *y_mm = self->pitch_y_mm;

  return self->pitch_x_mm > 0 && self->pitch_y_mm > 0;
}

void
dl_scan_set_metadata (DlScan     *self,
                      const char *key,
                      const char *value)
{
  g_return_if_fail (DL_IS_SCAN (self));
  g_return_if_fail (key != NULL);

  if (value == NULL)
    g_hash_table_remove (self->metadata, key);
  else
    g_hash_table_insert (self->metadata, g_strdup (key), g_strdup (value));
}

const char *
dl_scan_get_metadata (DlScan     *self,
                      const char *key)
{
  g_return_val_if_fail (DL_IS_SCAN (self), NULL);
  return g_hash_table_lookup (self->metadata, key);
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Returns the keys sorted, so output built from them is stable. */
GStrv
dl_scan_dup_metadata_keys (DlScan *self)
{
  g_autofree const char **keys = NULL;
  guint n = 0;

  g_return_val_if_fail (DL_IS_SCAN (self), NULL);

  keys = (const char **) g_hash_table_get_keys_as_array (self->metadata, &n);
  qsort (keys, n, sizeof (char *), compare_strings);

  return g_strdupv ((char **) keys);
}

void
dl_scan_set_source (DlScan     *self,
                    const char *path,
                    const char *sha256)
{
  g_return_if_fail (DL_IS_SCAN (self));

  g_free (self->source_path);
  g_free (self->sha256);
  self->source_path = g_strdup (path);
  self->sha256 = g_strdup (sha256);
}

const char *
dl_scan_get_source_path (DlScan *self)
{
  g_return_val_if_fail (DL_IS_SCAN (self), NULL);
  return self->source_path;
}

/* The SHA-256 of the exact bytes that were decoded. */
const char *
dl_scan_get_sha256 (DlScan *self)
{
  g_return_val_if_fail (DL_IS_SCAN (self), NULL);
  return self->sha256;
}

typedef struct
{
  GBytes  *bytes;
  gboolean mapped;
} HashJob;

static DlScan *load_bytes (GBytes *bytes, gboolean mapped, const char *name, const DlLoadOptions *options,
                           DlProgressFunc progress, gpointer user_data, GCancellable *cancellable,
                           GError **error);

/* SHA-256 of the bytes; those of a mapped file are given back to the
 * kernel behind the hash as it goes (see dl_tiff_load_mapped ()). */
static gpointer
hash_bytes (gpointer data)
{
  HashJob *job = data;
  gsize length, page = (gsize) sysconf (_SC_PAGESIZE);
  const guint8 *bytes = g_bytes_get_data (job->bytes, &length);
  g_autoptr(DlSha256) sum = dl_sha256_new ();
  const gsize chunk = 4 << 20;

  for (gsize at = 0; at < length; at += chunk)
    {
      gsize n = MIN (chunk, length - at);

      dl_sha256_update (sum, bytes + at, n);
      /* chunks start page-aligned (a mapping starts on a page) */
      if (job->mapped && n >= page)
        madvise ((void *) (bytes + at), n & ~(page - 1), MADV_DONTNEED);
    }
  return dl_sha256_finish_hex (sum);
}

/**
 * dl_scan_load_bytes:
 * @name: the file name the bytes came from, for messages and the scan's
 *   source path
 *
 * Decodes a scan held in memory (an image embedded in a case file, say);
 * the SHA-256 recorded is that of @bytes.
 */
DlScan *
dl_scan_load_bytes (GBytes              *bytes,
                    const char          *name,
                    const DlLoadOptions *options,
                    DlProgressFunc       progress,
                    gpointer             user_data,
                    GCancellable        *cancellable,
                    GError             **error)
{
  return load_bytes (bytes, FALSE, name, options, progress, user_data, cancellable, error);
}

static DlScan *
load_bytes (GBytes              *bytes,
            gboolean             mapped,
            const char          *name,
            const DlLoadOptions *options,
            DlProgressFunc       progress,
            gpointer             user_data,
            GCancellable        *cancellable,
            GError             **error)
{
  HashJob job = { bytes, mapped };
  g_autofree char *sha256 = NULL;
  g_autofree char *display = NULL;
  DlScan *scan;
  GThread *hasher;
  const guint8 *data;
  gsize length;
  gboolean is_tiff;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  display = g_filename_display_name (name);
  data = g_bytes_get_data (bytes, &length);

  if (length == 0)
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_CORRUPT,
                   _("“%s” is empty"), display);
      return NULL;
    }

  /* DICOM first: a DICOM file's preamble may hold a TIFF header */
  is_tiff = !dl_dicom_is_dicom (data, length) && dl_tiff_is_tiff (data, length);
  if (!is_tiff && !dl_dicom_is_dicom (data, length))
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED,
                   _("“%s” is neither a TIFF nor a DICOM file; other scan formats are not supported yet"),
                   display);
      return NULL;
    }

  /* hash while decoding: the same bytes, on another core */
  hasher = g_thread_new ("dl-sha256", hash_bytes, &job);
  if (!is_tiff)
    scan = dl_dicom_load_bytes (bytes, name, options, progress, user_data, cancellable, error);
  else
    scan = mapped ? dl_tiff_load_mapped (bytes, options, progress, user_data, cancellable, error)
                  : dl_tiff_load_bytes (bytes, options, progress, user_data, cancellable, error);
  sha256 = g_thread_join (hasher);
  if (scan != NULL)
    dl_scan_set_source (scan, name, sha256);

  return scan;
}

DlScan *
dl_scan_load_file (const char          *path,
                   const DlLoadOptions *options,
                   DlProgressFunc       progress,
                   gpointer             user_data,
                   GCancellable        *cancellable,
                   GError             **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  display = g_filename_display_name (path);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_IO,
                   _("“%s” is a folder, not a scan"), display);
      return NULL;
    }

  /* a named pipe or a device is refused before a read that would wait on it */
  mapped = dl_map_regular_file (path, 0, &local_error);
  if (mapped == NULL)
    {
      g_set_error_literal (error, DL_SCAN_ERROR, DL_SCAN_ERROR_IO, local_error->message);
      return NULL;
    }

  bytes = g_mapped_file_get_bytes (mapped);
  return load_bytes (bytes, TRUE, path, options, progress, user_data, cancellable, error);
}

/**
 * dl_scan_prepare_planes:
 *
 * Computes what display needs from every plane: the histogram (for presets
 * and I0) and the multi-resolution pyramid.  Idempotent.  The material
 * classes are the renderer's part (dl_scan_prepare ()).
 */
void
dl_scan_prepare_planes (DlScan *self)
{
  g_return_if_fail (DL_IS_SCAN (self));

  for (guint i = 0; i < self->planes->len; i++)
    {
      DlPlane *p = g_ptr_array_index (self->planes, i);

      dl_plane_ensure_histogram (p);
      if (p->pyramid == NULL)
        p->pyramid = dl_pyramid_new_with_level2 (p->data, p->width, p->height, g_steal_pointer (&p->level2));
    }
}

/* A view's "high" and "low" energy planes, when it has both, alike. */
gboolean
dl_scan_get_energy_pair (DlScan   *self,
                         guint     view,
                         DlPlane **high,
                         DlPlane **low)
{
  *high = *low = NULL;
  for (guint c = 0; c < dl_scan_get_n_channels (self, view); c++)
    {
      DlPlane *p = dl_scan_get_plane (self, view, c);
      if (g_str_equal (p->name, "high"))
        *high = p;
      else if (g_str_equal (p->name, "low"))
        *low = p;
    }
  return *high && *low && (*high)->width == (*low)->width && (*high)->height == (*low)->height;
}

/* TRUE when the classes are still to be computed and that is long work
 * (a view with an energy pair of more than DL_SCAN_DEFER_CLASSES_PIXELS). */
/* TRUE when computing the classes is long work (a view over
 * DL_SCAN_DEFER_CLASSES_PIXELS), whether they are computed or not. */
gboolean
dl_scan_classes_take_long (DlScan *self)
{
  DlPlane *high, *low;

  g_return_val_if_fail (DL_IS_SCAN (self), FALSE);

  for (guint v = 0; v < dl_scan_get_n_views (self); v++)
    if (dl_scan_get_energy_pair (self, v, &high, &low) && (guint64) high->width * high->height > DL_SCAN_DEFER_CLASSES_PIXELS)
      return TRUE;
  return FALSE;
}

gboolean
dl_scan_needs_classes (DlScan *self)
{
  g_return_val_if_fail (DL_IS_SCAN (self), FALSE);

  return self->classes == NULL && dl_scan_classes_take_long (self);
}

gboolean
dl_scan_has_classes (DlScan *self)
{
  g_return_val_if_fail (DL_IS_SCAN (self), FALSE);

  return self->classes != NULL;
}

/* Takes @classes (from dl_material_classify_scan ()) unless the scan has
 * them already. */
void
dl_scan_install_classes (DlScan    *self,
                         GPtrArray *classes)
{
  g_return_if_fail (DL_IS_SCAN (self));

  if (self->classes == NULL)
    self->classes = classes;
  else
    g_ptr_array_unref (classes);
}

/* Takes @classes in place of those the scan has (another profile was
 * chosen for it); the old ones live as long as the scan, since a report
 * or a frame being drawn may still read them. */
void
dl_scan_replace_classes (DlScan    *self,
                         GPtrArray *classes)
{
  g_return_if_fail (DL_IS_SCAN (self));
  g_return_if_fail (classes != NULL);

  if (self->classes != NULL)
    {
      if (self->retired == NULL)
        self->retired = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
      g_ptr_array_add (self->retired, self->classes);
    }
  self->classes = classes;
}

/* The material class of each pixel of @view, when it has a "high" and a
 * "low" energy channel; %NULL otherwise, or before the classes were installed. */
const guint8 *
dl_scan_get_classes (DlScan *self,
                     guint   view)
{
  g_return_val_if_fail (DL_IS_SCAN (self), NULL);

  if (self->classes == NULL || view >= self->classes->len)
    return NULL;
  return g_ptr_array_index (self->classes, view);
}

const DlHistogram *
dl_plane_get_histogram (const DlPlane *plane)
{
  return plane->histogram;
}

/* For callers that need only the histogram (the CLI), not a pyramid. */
const DlHistogram *
dl_plane_ensure_histogram (DlPlane *plane)
{
  if (plane->histogram == NULL)
    {
      g_autofree guint64 *counts = g_steal_pointer (&plane->counts);

      plane->histogram = counts ? dl_histogram_new_from_counts (counts)
                                : dl_histogram_new (plane->data, (gsize) plane->width * plane->height);
      plane->histogram->cargo = dl_cargo_histogram_new (plane->data, plane->width, plane->height,
                                                        dl_plane_get_i0 (plane));
    }
  return plane->histogram;
}

const DlPyramid *
dl_plane_get_pyramid (const DlPlane *plane)
{
  return plane->pyramid;
}

/* The air value I0: stated by the file, else the 99.9th percentile. */
double
dl_plane_get_i0 (const DlPlane *plane)
{
  if (plane->air_value > 0)
    return plane->air_value;
  if (plane->histogram != NULL)
    return MAX (1.0, dl_histogram_percentile (plane->histogram, 99.9));
  return 65535.0;
}

