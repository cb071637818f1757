/* test-dicos-write.c — dl_dicos_write_dx (): a generator scan written as a
 * DICOS DX reads back through dl_scan_load_file () with the same samples,
 * pitch, scanner identity and energies; pydicom (tests/dicom-reference.py,
 * skipped when it cannot run) finds the same pixel values, the DICOS DX
 * SOP class and the frame labels; what cannot be written is refused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "dl-dicos-write.h"
#include "dl-scan.h"
#include "dl-synth.h"

#define PYTHON "/usr/bin/python3"

static char *tmpdir;

/* A generator scan (high and low energy) with a scanner's identity. */
static DlScan *
generated_scan (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSynthOutput) out = dl_synth_generate ("empty-20ft", 3, FALSE, &error);
  DlScan *scan;

  g_assert_no_error (error);
  scan = g_object_ref (out->scan);
  dl_scan_set_metadata (scan, "make", "Acme Screening");
  dl_scan_set_metadata (scan, "model", "Portal 6/4");
  dl_scan_set_metadata (scan, "serial", "SN-0042");
  g_assert_cmpuint (dl_scan_get_n_channels (scan, 0), ==, 2);
  return scan;
}

static void
assert_same_planes (DlScan *a,
                    guint   view,
                    DlScan *b)
{
  g_assert_cmpuint (dl_scan_get_n_views (b), ==, 1);
  g_assert_cmpuint (dl_scan_get_n_channels (b, 0), ==, dl_scan_get_n_channels (a, view));
  for (guint c = 0; c < dl_scan_get_n_channels (a, view); c++)
    {
      const DlPlane *p = dl_scan_get_plane (a, view, c), *q = dl_scan_get_plane (b, 0, c);

      g_assert_cmpstr (q->name, ==, p->name);
      g_assert_cmpuint (q->width, ==, p->width);
      g_assert_cmpuint (q->height, ==, p->height);
      g_assert_cmpfloat (q->scale, ==, p->scale);
      g_assert_cmpfloat (q->offset, ==, p->offset);
      g_assert_cmpint (memcmp (q->data, p->data, (gsize) p->width * p->height * 2), ==, 0);
    }
}

static void
test_round_trip (void)
{
  g_autoptr(DlScan) scan = generated_scan ();
  g_autoptr(DlScan) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmpdir, "round-trip.dcs", NULL);
  double x0, y0, x1, y1;
  DlPlane *high, *low;

  g_assert_true (dl_dicos_write_dx (scan, 0, path, &error));
  g_assert_no_error (error);
  back = dl_scan_load_file (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_same_planes (scan, 0, back);
  g_assert_true (dl_scan_get_energy_pair (back, 0, &high, &low));
  g_assert_cmpstr (high->name, ==, "high");
  g_assert_true (dl_scan_get_pixel_pitch (scan, &x0, &y0));
  g_assert_true (dl_scan_get_pixel_pitch (back, &x1, &y1));
  g_assert_cmpfloat_with_epsilon (x1, x0, 1e-9 * x0);
  g_assert_cmpfloat_with_epsilon (y1, y0, 1e-9 * y0);
  g_assert_cmpstr (dl_scan_get_metadata (back, "make"), ==, "Acme Screening");
  g_assert_cmpstr (dl_scan_get_metadata (back, "model"), ==, "Portal 6/4");
  g_assert_cmpstr (dl_scan_get_metadata (back, "serial"), ==, "SN-0042");
  g_assert_cmpstr (dl_scan_get_metadata (back, "sop-class-uid"), ==, DL_DICOS_DX_PROCESSING_UID);
  g_assert_cmpstr (dl_scan_get_metadata (back, "sop-instance-uid"), ==,
                   dl_scan_get_metadata (scan, "sop-instance-uid"));
  g_unlink (path);
}

/* Two writes of one scan: two SOP instances. */
static void
test_fresh_uid (void)
{
  g_autoptr(DlScan) scan = generated_scan ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmpdir, "uid.dcs", NULL);
  g_autofree char *first = NULL;

  g_assert_true (dl_dicos_write_dx (scan, 0, path, &error));
  first = g_strdup (dl_scan_get_metadata (scan, "sop-instance-uid"));
  g_assert_true (dl_dicos_write_dx (scan, 0, path, &error));
  g_assert_no_error (error);
  g_assert_nonnull (first);
  g_assert_cmpstr (first, !=, dl_scan_get_metadata (scan, "sop-instance-uid"));
  g_unlink (path);
}

/* A single channel, no pitch, no identity. */
static void
test_one_channel (void)
{
  g_autoptr(DlScan) scan = dl_scan_new ();
  g_autoptr(DlScan) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmpdir, "one.dcs", NULL);
  DlPlane *p = dl_scan_add_plane (scan, 0, "channel 0", 300, 70, 0, &error);
  double x, y;

  g_assert_no_error (error);
  for (gsize i = 0; i < 300 * 70; i++)
    p->data[i] = (guint16) (i * 2654435761u >> 16);
  g_assert_true (dl_dicos_write_dx (scan, 0, path, &error));
  g_assert_no_error (error);
  back = dl_scan_load_file (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_same_planes (scan, 0, back);
  g_assert_false (dl_scan_get_pixel_pitch (back, &x, &y));
  g_unlink (path);
}

static void
test_missing_folder (void)
{
  g_autoptr(DlScan) scan = generated_scan ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmpdir, "no-such-folder", "scan.dcs", NULL);

  g_assert_false (dl_dicos_write_dx (scan, 0, path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no-such-folder"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_refused (void)
{
  g_autoptr(DlScan) scan = generated_scan ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmpdir, "refused.dcs", NULL);
  DlPlane *low = dl_scan_get_plane (scan, 0, 1);

  g_assert_false (dl_dicos_write_dx (scan, 1, path, &error));
  g_assert_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_free (low->name);
  low->name = g_strdup ("low\\energy");
  g_assert_false (dl_dicos_write_dx (scan, 0, path, &error));
  g_assert_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  g_free (low->name);
  low->name = g_strdup ("low");
  low->scale = 0.25;
  g_assert_false (dl_dicos_write_dx (scan, 0, path, &error));
  g_assert_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* key=value lines of the reference's ref.txt into @info; its ref.raw. */
static gboolean
run_reference (const char  *path,
               const char  *out,
               GHashTable  *info,
               gint32     **raw,
               gsize       *n_raw)
{
  g_autofree char *script = g_build_filename (DL_SOURCE_ROOT, "tests", "dicom-reference.py", NULL);
  g_autofree char *txt = g_build_filename (out, "ref.txt", NULL);
  g_autofree char *raw_path = g_build_filename (out, "ref.raw", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { PYTHON, script, path, out, NULL };
  int status;

  if (!g_file_test (PYTHON, G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error));
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 77);
      return FALSE;
    }
  g_assert_true (g_file_get_contents (txt, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      char *eq = strchr (lines[i], '=');
      if (eq)
        g_hash_table_insert (info, g_strndup (lines[i], eq - lines[i]), g_strdup (eq + 1));
    }
  g_assert_true (g_file_get_contents (raw_path, (char **) raw, n_raw, NULL));
  *n_raw /= sizeof (gint32);
  g_unlink (txt);
  g_unlink (raw_path);
  return TRUE;
}

static void
test_pydicom (void)
{
  g_autoptr(DlScan) scan = generated_scan ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) info = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *path = g_build_filename (tmpdir, "pydicom.dcs", NULL);
  g_autofree char *out = g_build_filename (tmpdir, "ref", NULL);
  g_autofree gint32 *raw = NULL;
  const DlPlane *high = dl_scan_get_plane (scan, 0, 0);
  gsize n_raw = 0, n = (gsize) high->width * high->height;

  g_assert_true (dl_dicos_write_dx (scan, 0, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (out, 0700), ==, 0);
  if (!run_reference (path, out, info, &raw, &n_raw))
    {
      g_test_skip ("no python3 with pydicom and numpy");
      g_unlink (path);
      g_rmdir (out);
      return;
    }
  g_assert_cmpstr (g_hash_table_lookup (info, "sop_class"), ==, DL_DICOS_DX_PROCESSING_UID);
  g_assert_cmpstr (g_hash_table_lookup (info, "photometric"), ==, "MONOCHROME2");
  g_assert_cmpstr (g_hash_table_lookup (info, "frame_labels"), ==, "high\\low");
  g_assert_cmpstr (g_hash_table_lookup (info, "frames"), ==, "2");
  g_assert_cmpuint (n_raw, ==, 2 * n);
  for (guint c = 0; c < 2; c++)
    for (gsize i = 0; i < n; i++)
      g_assert_cmpint (raw[c * n + i], ==, dl_scan_get_plane (scan, 0, c)->data[i]);
  g_unlink (path);
  g_rmdir (out);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("dl-test-dicos-write-XXXXXX", NULL);
  g_test_add_func ("/dicos-write/round-trip", test_round_trip);
  g_test_add_func ("/dicos-write/fresh-uid", test_fresh_uid);
  g_test_add_func ("/dicos-write/one-channel", test_one_channel);
  g_test_add_func ("/dicos-write/missing-folder", test_missing_folder);
  g_test_add_func ("/dicos-write/refused", test_refused);
  g_test_add_func ("/dicos-write/pydicom", test_pydicom);
  status = g_test_run ();
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return status;
}
