/* fuzz-manifest.c — libFuzzer harness for the manifest readers:
 * dl_manifest_load_bytes () (JSON, CSV or CUSCAR, told apart by content),
 * and dl_manifest_from_json () and dl_manifest_from_csv () directly.
 * Whatever a reader accepts is validated and must survive its own JSON and
 * CSV forms: the writers' output is read back without an error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fuzz-common.h"
#include "dl-manifest.h"

static void
round_trip (const DlManifest *manifest)
{
  g_autofree char *json = dl_manifest_to_json (manifest);
  g_autofree char *csv = dl_manifest_to_csv (manifest);
  g_autoptr(DlManifest) from_json = NULL;
  g_autoptr(DlManifest) from_csv = NULL;
  GError *error = NULL;

  (void) dl_manifest_validate (manifest, &error);
  g_clear_error (&error);

  from_json = dl_manifest_from_json (json, &error);
  if (from_json == NULL)
    dl_fuzz_fail ("dl_manifest_to_json wrote what dl_manifest_from_json refuses (%s):\n%s",
             error ? error->message : "no error", json);
  from_csv = dl_manifest_from_csv (csv, strlen (csv), &error);
  if (from_csv == NULL)
    dl_fuzz_fail ("dl_manifest_to_csv wrote what dl_manifest_from_csv refuses (%s):\n%s",
             error ? error->message : "no error", csv);
}

void
dl_fuzz_manifest (const guint8 *data,
                  gsize         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GPtrArray) manifests = NULL;
  g_autoptr(DlManifest) from_json = NULL;
  g_autoptr(DlManifest) from_csv = NULL;
  GError *error = NULL;

  manifests = dl_manifest_load_bytes ((const char *) data, size, &error);
  dl_fuzz_check ("dl_manifest_load_bytes", manifests != NULL, &error);
  for (guint i = 0; manifests != NULL && i < manifests->len; i++)
    round_trip (g_ptr_array_index (manifests, i));

  /* g_strndup stops at a NUL byte: the JSON reader takes a C string */
  from_json = dl_manifest_from_json (text, &error);
  dl_fuzz_check ("dl_manifest_from_json", from_json != NULL, &error);
  if (from_json != NULL)
    round_trip (from_json);

  from_csv = dl_manifest_from_csv ((const char *) data, size, &error);
  dl_fuzz_check ("dl_manifest_from_csv", from_csv != NULL, &error);
  if (from_csv != NULL)
    round_trip (from_csv);
}

DL_FUZZ_DEFINE_MAIN (dl_fuzz_manifest)
