/* test-dicom.c — DICOM and DICOS through dl_scan_load_file () and
 * dl_dicos_tdr_load (), checked against an independent reading of the
 * same files (tests/dicom-reference.py: pydicom, with DCMTK's dcmdjpeg
 * and OpenJPEG's opj_decompress for the codecs pydicom lacks), pixel by
 * pixel; and damaged files refused with an error naming them.
 *
 * The corpus is $DL_CORPUS_DIR (dicos/ and xray/dicom/, .zst files
 * decompressed with zstd into a temporary folder); without it, or
 * without /usr/bin/python3 and pydicom, the corpus cases skip.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "dl-dicos-tdr.h"
#include "dl-scan.h"

#define PYTHON "/usr/bin/python3"

static char *tmpdir;

typedef struct
{
  GHashTable *info;   /* key → value of ref.txt */
  gint32     *raw;    /* frames × height × width */
  gsize       n_raw;
} Reference;

static void
reference_clear (Reference *ref)
{
  g_clear_pointer (&ref->info, g_hash_table_unref);
  g_clear_pointer (&ref->raw, g_free);
}

static const char *
info (const Reference *ref,
      const char      *key)
{
  return g_hash_table_lookup (ref->info, key);
}

static guint
info_uint (const Reference *ref,
           const char      *key)
{
  const char *v = info (ref, key);

  g_assert_nonnull (v);
  return (guint) g_ascii_strtoull (v, NULL, 10);
}

static double
info_double (const Reference *ref,
             const char      *key)
{
  const char *v = info (ref, key);

  g_assert_nonnull (v);
  return g_ascii_strtod (v, NULL);
}

/* The .dcm behind @path: itself, or decompressed into tmpdir. */
static char *
plain_file (const char *path)
{
  g_autofree char *base = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize length;

  if (!g_str_has_suffix (path, ".zst"))
    return g_strdup (path);
  base = g_path_get_basename (path);
  base[strlen (base) - 4] = '\0';
  out = g_build_filename (tmpdir, base, NULL);
  if (g_file_test (out, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&out);
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                           &error, "zstd", "-dcq", path, NULL);
  if (proc == NULL || !g_subprocess_communicate (proc, NULL, NULL, &bytes, NULL, &error)
      || !g_subprocess_get_successful (proc))
    return NULL;
  data = g_bytes_get_data (bytes, &length);
  g_assert_true (g_file_set_contents (out, data, length, NULL));
  return g_steal_pointer (&out);
}

/* Runs the reference reader; FALSE (the case skipped) when it cannot. */
static gboolean
read_reference (const char *path,
                Reference  *ref)
{
  g_autofree char *script = g_build_filename (DL_SOURCE_ROOT, "tests", "dicom-reference.py", NULL);
  g_autofree char *out = g_dir_make_tmp ("dl-dicom-ref-XXXXXX", NULL);
  g_autofree char *txt = g_build_filename (out, "ref.txt", NULL);
  g_autofree char *raw = g_build_filename (out, "ref.raw", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { PYTHON, script, path, out, NULL };
  int status;
  gsize n;

  if (!g_file_test (PYTHON, G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error));
  if (g_spawn_check_wait_status (status, NULL) == FALSE)
    {
      g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 77);
      return FALSE;
    }
  g_assert_true (g_file_get_contents (txt, &text, NULL, NULL));
  ref->info = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      char *eq = strchr (lines[i], '=');
      if (eq)
        g_hash_table_insert (ref->info, g_strndup (lines[i], eq - lines[i]), g_strdup (eq + 1));
    }
  if (g_file_get_contents (raw, (char **) &ref->raw, &n, NULL))
    ref->n_raw = n / sizeof (gint32);
  g_unlink (txt);
  g_unlink (raw);
  {
    g_autoptr(GDir) dir = g_dir_open (out, 0, NULL);
    const char *name;
    while (dir && (name = g_dir_read_name (dir)))
      {
        g_autofree char *f = g_build_filename (out, name, NULL);
        g_unlink (f);
      }
  }
  g_rmdir (out);
  return TRUE;
}

/* The error names the file. */
static void
assert_error_names (const GError *error,
                    const char   *path)
{
  g_autofree char *base = g_path_get_basename (path);

  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, base));
}

/* raw = (stored × scale + offset − intercept) / slope, exactly. */
static void
check_plane (const DlPlane   *plane,
             const Reference *ref,
             guint            frame)
{
  guint w = info_uint (ref, "width"), h = info_uint (ref, "height");
  guint bits = info_uint (ref, "bits");
  double slope = info_double (ref, "slope"), intercept = info_double (ref, "intercept");
  gboolean mono1 = g_strcmp0 (info (ref, "photometric"), "MONOCHROME1") == 0;
  gboolean inverted = mono1 || g_strcmp0 (info (ref, "modality"), "CT") == 0;
  double min = info_uint (ref, "signed") ? -ldexp (1, bits - 1) : 0;
  double maxval = ldexp (1, bits) - 1;
  const gint32 *expect = ref->raw + (gsize) frame * w * h;

  g_assert_cmpuint (plane->width, ==, w);
  g_assert_cmpuint (plane->height, ==, h);
  g_assert_cmpuint (plane->source_bits, ==, bits);
  g_assert_cmpint (plane->scale < 0, ==, inverted);
  for (gsize i = 0; i < (gsize) w * h; i++)
    {
      double value = plane->data[i] * plane->scale + plane->offset;
      double raw = (value - intercept) / slope;

      if (fabs (raw - expect[i]) > 1e-6)
        g_error ("pixel %" G_GSIZE_FORMAT " of frame %u: stored %u gives %g, the reference %d",
                 i, frame, plane->data[i], raw, expect[i]);
      /* inverted value by value: larger is more transmission */
      if (inverted)
        g_assert_cmpfloat (plane->data[i], ==, maxval - (expect[i] - min));
      else
        g_assert_cmpfloat (plane->data[i], ==, expect[i] - min);
    }
}

static void
check_pitch (DlScan          *scan,
             const Reference *ref)
{
  const char *spacing = info (ref, "imager_spacing") ? info (ref, "imager_spacing") : info (ref, "pixel_spacing");
  double x, y, row = 0, column = 0;

  if (spacing)
    {
      g_auto(GStrv) parts = g_strsplit (spacing, "\\", -1);
      row = g_ascii_strtod (parts[0], NULL);
      column = parts[1] ? g_ascii_strtod (parts[1], NULL) : 0;
    }
  if (row > 0 && column > 0)
    {
      g_assert_true (dl_scan_get_pixel_pitch (scan, &x, &y));
      g_assert_cmpfloat_with_epsilon (x, column, 1e-9);
      g_assert_cmpfloat_with_epsilon (y, row, 1e-9);
    }
  else
    g_assert_false (dl_scan_get_pixel_pitch (scan, NULL, NULL));
}

/* View 0 of a CT: the mean of each slice's rows, rounded. */
static void
check_projection (DlScan          *scan,
                  const Reference *ref)
{
  guint w = info_uint (ref, "width"), h = info_uint (ref, "height"), frames = info_uint (ref, "frames");
  const DlPlane *p = dl_scan_get_plane (scan, 0, 0);

  g_assert_cmpuint (p->width, ==, w);
  g_assert_cmpuint (p->height, ==, frames);
  for (guint z = 0; z < frames; z++)
    for (guint x = 0; x < w; x++)
      {
        const DlPlane *slice = dl_scan_get_plane (scan, z + 1, 0);
        guint64 sum = 0;
        for (guint yy = 0; yy < h; yy++)
          sum += slice->data[(gsize) yy * w + x];
        g_assert_cmpuint (p->data[(gsize) z * w + x], ==, (sum + h / 2) / h);
      }
}

static void
check_image (const char      *path,
             const Reference *ref)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlScan) scan = dl_scan_load_file (path, NULL, NULL, NULL, NULL, &error);
  const char *photometric = info (ref, "photometric");
  guint frames = info_uint (ref, "frames");
  gboolean volume;

  if (g_strcmp0 (photometric, "MONOCHROME1") != 0 && g_strcmp0 (photometric, "MONOCHROME2") != 0)
    {
      g_assert_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED);
      assert_error_names (error, path);
      g_assert_nonnull (strstr (error->message, photometric));
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (ref->n_raw, ==, (gsize) frames * info_uint (ref, "width") * info_uint (ref, "height"));
  g_assert_cmpstr (dl_scan_get_metadata (scan, "modality"), ==, info (ref, "modality"));
  g_assert_cmpstr (dl_scan_get_metadata (scan, "sop-class-uid"), ==, info (ref, "sop_class"));
  g_assert_nonnull (dl_scan_get_sha256 (scan));
  volume = dl_scan_get_metadata (scan, "ct-slices") != NULL;
  g_assert_cmpuint (dl_scan_get_n_views (scan), ==, frames + (volume ? 1 : 0));
  for (guint f = 0; f < frames; f++)
    check_plane (dl_scan_get_plane (scan, f + (volume ? 1 : 0), 0), ref, f);
  if (volume)
    check_projection (scan, ref);
  check_pitch (scan, ref);
  g_test_message ("%s: %u frames, checked against %s", path, frames, info (ref, "decoder"));
}

static void
check_report (const char      *path,
              const Reference *ref)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlScan) scan = dl_scan_load_file (path, NULL, NULL, NULL, NULL, &error);
  g_autoptr(DlDicosTdr) tdr = NULL;
  guint n;

  g_assert_null (scan);
  g_assert_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED);
  assert_error_names (error, path);
  if (info (ref, "threats") == NULL)
    return;
  g_assert_nonnull (strstr (error->message, "threat detection report"));
  g_clear_error (&error);

  tdr = dl_dicos_tdr_load (path, &error);
  g_assert_no_error (error);
  n = info_uint (ref, "threats");
  g_assert_cmpuint (tdr->threats->len, ==, n);
  g_assert_cmpstr (tdr->tdr_type, ==, info (ref, "tdr_type"));
  g_assert_cmpstr (tdr->alarm_decision, ==, info (ref, "alarm_decision"));
  for (guint i = 0; i < n; i++)
    {
      const DlDicosThreat *t = g_ptr_array_index (tdr->threats, i);
      g_autofree char *k_box = g_strdup_printf ("threat%u_box", i);
      g_autofree char *k_cat = g_strdup_printf ("threat%u_category", i);
      g_autofree char *k_flag = g_strdup_printf ("threat%u_assessment", i);
      g_autofree char *k_p = g_strdup_printf ("threat%u_probability", i);
      g_autofree char *k_id = g_strdup_printf ("threat%u_id", i);
      g_autoptr(GString) box = g_string_new (NULL);

      g_assert_cmpuint (t->id, ==, info_uint (ref, k_id));
      g_assert_cmpstr (t->category, ==, info (ref, k_cat));
      g_assert_cmpstr (t->assessment, ==, info (ref, k_flag));
      g_assert_nonnull (t->referenced_sop_instance_uid);
      g_assert_cmpuint (t->n_dims, ==, 3);
      for (guint d = 0; d < 6; d++)
        g_string_append_printf (box, "%s%g", d ? "\\" : "", d < 3 ? t->base[d] : t->extents[d - 3]);
      g_assert_cmpstr (box->str, ==, info (ref, k_box));
      if (info (ref, k_p))
        g_assert_cmpfloat_with_epsilon (t->probability, info_double (ref, k_p), 1e-5);
      else
        g_assert_true (isnan (t->probability));
    }
}

static void
test_corpus_file (gconstpointer data)
{
  const char *source = data;
  g_autofree char *path = plain_file (source);
  Reference ref = { 0 };

  if (path == NULL)
    {
      g_test_skip ("zstd could not decompress the file");
      return;
    }
  if (!read_reference (path, &ref))
    {
      g_test_skip ("no independent reader (/usr/bin/python3 with pydicom and numpy, dcmdjpeg, opj_decompress)");
      return;
    }
  if (g_strcmp0 (info (&ref, "pixels"), "none") == 0)
    check_report (path, &ref);
  else
    check_image (path, &ref);
  reference_clear (&ref);
}

/* ---- damaged files ------------------------------------------------------- */

static GBytes *
corpus_bytes (const char *relative)
{
  const char *corpus = g_getenv ("DL_CORPUS_DIR");
  g_autofree char *path = corpus ? g_build_filename (corpus, relative, NULL) : NULL;
  char *data;
  gsize n;

  if (path == NULL || !g_file_get_contents (path, &data, &n, NULL))
    return NULL;
  return g_bytes_new_take (data, n);
}

static gssize
find (GBytes     *bytes,
      const char *needle,
      gsize       n)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (data + i, needle, n) == 0)
      return (gssize) i;
  return -1;
}

static void
assert_refused (const guint8 *data,
                gsize         length,
                const char   *name,
                const char   *reason)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, length);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlScan) scan = dl_scan_load_bytes (bytes, name, NULL, NULL, NULL, NULL, &error);

  g_assert_null (scan);
  g_assert_nonnull (error);
  g_test_message ("%s: %s", name, error->message);
  assert_error_names (error, name);
  if (reason)
    g_assert_nonnull (strstr (error->message, reason));
}

static void
test_damaged (void)
{
  g_autoptr(GBytes) bytes = corpus_bytes ("dicos/pyDICOS__DXFiles__SimpleProcessingDX.dcs");
  const guint8 *data;
  gsize length;
  gssize pixel, rows;
  g_autofree guint8 *copy = NULL;

  if (bytes == NULL)
    {
      g_test_skip ("DL_CORPUS_DIR has no dicos/pyDICOS__DXFiles__SimpleProcessingDX.dcs");
      return;
    }
  data = g_bytes_get_data (bytes, &length);
  pixel = find (bytes, "\xe0\x7f\x10\x00", 4);
  rows = find (bytes, "\x28\x00\x10\x00US\x02\x00", 8);
  g_assert_cmpint (pixel, >, 0);
  g_assert_cmpint (rows, >, 0);

  /* truncated: in the header, in an element, in the pixel data */
  assert_refused (data, 300, "head.dcs", NULL);
  assert_refused (data, (gsize) rows + 9, "mid-element.dcs", NULL);
  assert_refused (data, length - 1000, "short-pixels.dcs", NULL);
  assert_refused (data, length - 1, "one-byte-short.dcs", NULL);
  /* no pixel data at all */
  assert_refused (data, (gsize) pixel, "no-pixels.dcs", "Pixel Data");

  /* a corrupted length: the pixel data claims 4 GiB */
  copy = g_memdup2 (data, length);
  memset (copy + pixel + 8, 0xf0, 4);
  copy[pixel + 11] = 0x7f;
  assert_refused (copy, length, "bad-length.dcs", NULL);

  /* a huge declared size: 65535 × 65535 pixels in 65 kB */
  memcpy (copy, data, length);
  copy[rows + 8] = copy[rows + 9] = 0xff;
  copy[rows + 18] = copy[rows + 19] = 0xff;   /* Columns follows Rows */
  assert_refused (copy, length, "huge.dcs", NULL);
}

static void
test_memory_cap (void)
{
  const char *corpus = g_getenv ("DL_CORPUS_DIR");
  g_autofree char *path = corpus ? g_build_filename (corpus, "xray", "dicom", "fo-dicom__CR-MONO1-10-chest.dcm", NULL) : NULL;
  const DlLoadOptions options = { .max_memory = 256 * 1024 };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlScan) scan = NULL;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("DL_CORPUS_DIR has no xray/dicom/fo-dicom__CR-MONO1-10-chest.dcm");
      return;
    }
  /* 440 × 440 × 2 bytes, decoded and stored: over 256 KiB */
  scan = dl_scan_load_file (path, &options, NULL, NULL, NULL, &error);
  g_assert_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_TOO_LARGE);
  assert_error_names (error, path);
  g_clear_error (&error);
  /* no preamble, no meta header: read all the same */
  scan = dl_scan_load_file (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dl_scan_get_metadata (scan, "photometric"), ==, "monochrome1");
}

static void
test_not_a_report (void)
{
  const char *corpus = g_getenv ("DL_CORPUS_DIR");
  g_autofree char *path = corpus ? g_build_filename (corpus, "dicos", "pyDICOS__SimpleCT__SimpleCT0000.dcs", NULL) : NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlDicosTdr) tdr = NULL;
  const guint8 tiff[] = { 'I', 'I', 42, 0, 8, 0, 0, 0 };
  g_autoptr(GBytes) bytes = g_bytes_new_static (tiff, sizeof tiff);

  tdr = dl_dicos_tdr_load_bytes (bytes, "scan.tif", &error);
  g_assert_null (tdr);
  assert_error_names (error, "scan.tif");
  g_clear_error (&error);
  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("DL_CORPUS_DIR has no dicos/pyDICOS__SimpleCT__SimpleCT0000.dcs");
      return;
    }
  tdr = dl_dicos_tdr_load (path, &error);
  g_assert_null (tdr);
  g_assert_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED);
  assert_error_names (error, path);
}

static void
add_corpus_cases (const char *corpus,
                  const char *folder)
{
  g_autofree char *dir_path = g_build_filename (corpus, folder, NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    {
      const char *n = *(const char **) &g_ptr_array_index (names, i);
      char *path = g_build_filename (dir_path, n, NULL);
      g_autofree char *test = g_strdup_printf ("/dicom/corpus/%s/%s", folder, n);
      g_test_add_data_func_full (test, path, test_corpus_file, g_free);
    }
}

int
main (int argc, char **argv)
{
  const char *corpus;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("dl-test-dicom-XXXXXX", NULL);
  corpus = g_getenv ("DL_CORPUS_DIR");
  if (corpus)
    {
      add_corpus_cases (corpus, "dicos");
      add_corpus_cases (corpus, "xray/dicom");
    }
  g_test_add_func ("/dicom/damaged", test_damaged);
  g_test_add_func ("/dicom/memory-cap", test_memory_cap);
  g_test_add_func ("/dicom/not-a-report", test_not_a_report);
  status = g_test_run ();
  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;
    while (dir && (name = g_dir_read_name (dir)))
      {
        g_autofree char *f = g_build_filename (tmpdir, name, NULL);
        g_unlink (f);
      }
  }
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return status;
}
