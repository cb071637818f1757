/* fuzz-dicom.c — libFuzzer harness for the DICOM and DICOS readers (GDCM
 * behind src/scan/dl-dicom.cc): the input, given the DICM preamble when it
 * lacks one, through dl_scan_load_bytes () with a 64 MiB sample-memory
 * cap, and as a threat detection report; an error or a scan, never a
 * crash, and a scan's planes hold the samples they say.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fuzz-common.h"
#include "dl-dicos-tdr.h"
#include "dl-scan.h"

#define FUZZ_MAX_MEMORY (G_GUINT64_CONSTANT (64) << 20)

static void
check_scan (DlScan *scan)
{
  for (guint i = 0; i < dl_scan_get_n_planes (scan); i++)
    {
      DlPlane *p = dl_scan_get_plane_at (scan, i);
      guint64 sum = 0;

      if (p->width == 0 || p->height == 0 || p->data == NULL)
        dl_fuzz_fail ("plane %u is empty (%u × %u)", i, p->width, p->height);
      /* every sample is there to read (ASan sees a short buffer) */
      for (gsize k = 0; k < (gsize) p->width * p->height; k += 97)
        sum += p->data[k];
      (void) sum;
    }
}

void
dl_fuzz_dicom (const guint8 *data,
               gsize         size)
{
  const DlLoadOptions options = { .max_memory = FUZZ_MAX_MEMORY };
  g_autoptr(GByteArray) file = g_byte_array_sized_new (size + 132);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(DlScan) scan = NULL;
  g_autoptr(DlDicosTdr) tdr = NULL;
  GError *error = NULL;
  static const guint8 zeros[128];

  /* libFuzzer mutates from the start: the preamble is given, so the
   * mutations land in the data set (inputs that have it keep theirs) */
  if (size < 132 || memcmp (data + 128, "DICM", 4) != 0)
    {
      g_byte_array_append (file, zeros, sizeof zeros);
      g_byte_array_append (file, (const guint8 *) "DICM", 4);
    }
  g_byte_array_append (file, data, size);
  bytes = g_bytes_new (file->data, file->len);

  scan = dl_scan_load_bytes (bytes, "fuzz.dcm", &options, NULL, NULL, NULL, &error);
  dl_fuzz_check ("dl_scan_load_bytes", scan != NULL, &error);
  if (scan)
    check_scan (scan);
  tdr = dl_dicos_tdr_load_bytes (bytes, "fuzz.dcs", &error);
  dl_fuzz_check ("dl_dicos_tdr_load_bytes", tdr != NULL, &error);
}

DL_FUZZ_DEFINE_MAIN (dl_fuzz_dicom)
