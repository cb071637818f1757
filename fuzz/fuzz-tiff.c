/* fuzz-tiff.c — libFuzzer harness for the TIFF reader: dl_tiff_load_bytes ()
 * with a 64 MiB sample-memory cap, then, for small scans, the histogram and
 * pyramid every loaded scan gets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"
#include "dl-scan-prepare.h"
#include "dl-tiff.h"

/* Far below the default 4 GiB, so hostile sizes are refused quickly and
 * libFuzzer's -rss_limit_mb=2048 is never reached by honest refusals. */
#define FUZZ_MAX_MEMORY (G_GUINT64_CONSTANT (64) << 20)
#define FUZZ_MAX_PREPARE (G_GUINT64_CONSTANT (1) << 20)

void
dl_fuzz_tiff (const guint8 *data,
              gsize         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  const DlLoadOptions options = { .max_memory = FUZZ_MAX_MEMORY };
  g_autoptr(DlScan) scan = NULL;
  GError *error = NULL;

  (void) dl_tiff_is_tiff (data, size);
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
