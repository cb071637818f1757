/* fuzz-tiff.c — libFuzzer harness for the TIFF reader: dl_tiff_load_bytes ()
 * with a 64 MiB sample-memory cap, then, for small scans, the histogram and
 * pyramid every loaded scan gets; and the same bytes as a file through the
 * streamed reader (dl_tiff_rows, what `doorlicht-cli render` uses), every
 * band of channel 0.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <unistd.h>

#include "fuzz-common.h"
#include "dl-scan-prepare.h"
#include "dl-tiff.h"

/* Far below the default 4 GiB, so hostile sizes are refused quickly and
 * libFuzzer's -rss_limit_mb=2048 is never reached by honest refusals. */
#define FUZZ_MAX_MEMORY (G_GUINT64_CONSTANT (64) << 20)
#define FUZZ_MAX_PREPARE (G_GUINT64_CONSTANT (1) << 20)

/* The streamed reader over @data written to a file: every band read, or
 * an error said; never a crash. */
static void
fuzz_rows (const guint8 *data,
           gsize         size)
{
  const DlLoadOptions options = { .max_memory = FUZZ_MAX_MEMORY };
  g_autofree char *path = NULL;
  g_autoptr(DlTiffRows) rows = NULL;
  GError *error = NULL;
  const guint16 *band;
  guint n, total = 0;
  int fd = g_file_open_tmp ("dl-fuzz-rows-XXXXXX.tif", &path, NULL);

  if (fd < 0)
    return;
  if (write (fd, data, size) != (gssize) size)
    size = 0;
  close (fd);
  if (size > 0 && (rows = dl_tiff_rows_new_for_file (path, &options, 0)) != NULL)
    {
      while (dl_tiff_rows_next_band (rows, &band, &n, &error))
        {
          g_assert_nonnull (band);
          g_assert_cmpuint (n, >, 0);
          total += n;
          g_assert_cmpuint (total, <=, dl_tiff_rows_get_height (rows));
        }
      /* an error says what, else every row came */
      if (error != NULL)
        g_assert_true (error->message != NULL && error->message[0] != '\0');
      else
        g_assert_cmpuint (total, ==, dl_tiff_rows_get_height (rows));
      g_clear_error (&error);
    }
  g_unlink (path);
}

void
dl_fuzz_tiff (const guint8 *data,
              gsize         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  const DlLoadOptions options = { .max_memory = FUZZ_MAX_MEMORY };
  g_autoptr(DlScan) scan = NULL;
  GError *error = NULL;

  (void) dl_tiff_is_tiff (data, size);
  fuzz_rows (data, size);
  scan = dl_tiff_load_bytes (bytes, &options, NULL, NULL, NULL, &error);
  dl_fuzz_check ("dl_tiff_load_bytes", scan != NULL, &error);
  if (scan == NULL)
    return;

  g_assert_cmpuint (dl_scan_get_n_planes (scan), >, 0);
  g_assert_cmpuint (dl_scan_get_memory_size (scan), <=, FUZZ_MAX_MEMORY);
  if (dl_scan_get_memory_size (scan) <= FUZZ_MAX_PREPARE)
    dl_scan_prepare (scan);
}

DL_FUZZ_DEFINE_MAIN (dl_fuzz_tiff)
