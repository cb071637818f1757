/* fuzz-manifest.c — libFuzzer harness for the manifest readers:
 * dl_manifest_load_bytes () (JSON, CSV or CUSCAR, told apart by content),
 * and dl_manifest_from_json () and dl_manifest_from_csv () directly.
 * Whatever a reader accepts is validated and must survive its own JSON
 * (version 2, and version 1 where that can say it) and CSV forms: the
 * writers' output is read back without an error.
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
  g_autofree char *v1 = NULL;
  g_autoptr(DlManifest) from_json = NULL;
  g_autoptr(DlManifest) from_csv = NULL;
  g_autoptr(DlManifest) from_v1 = NULL;
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

  /* version 1: written where it can say it all, refused (never cut) where not */
  v1 = dl_manifest_to_json_version (manifest, 1, &error);
  if (v1 == NULL && !g_error_matches (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_UNSUPPORTED))
    dl_fuzz_fail ("dl_manifest_to_json_version (1) failed otherwise than unsupported (%s)",
                  error ? error->message : "no error");
  g_clear_error (&error);
  if (v1 == NULL)
    return;
  from_v1 = dl_manifest_from_json (v1, &error);
  if (from_v1 == NULL)
    dl_fuzz_fail ("version 1 written that dl_manifest_from_json refuses (%s):\n%s",
                  error ? error->message : "no error", v1);
  if (from_v1->goods->len != manifest->goods->len || from_v1->consignments->len > 1)
    dl_fuzz_fail ("version 1 lost goods or consignments:\n%s", v1);
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
