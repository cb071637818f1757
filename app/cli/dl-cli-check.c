/* dl-cli-check.c — `doorlicht-cli check SCAN MANIFEST`: consistency hints
 * between a dual-energy scan and its manifest, as JSON.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-cli-check"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dl-cli.h"
#include "dl-consistency.h"
#include "dl-manifest.h"
#include "dl-scan.h"

/* The manifest listing @container, or the first of @manifests. */
static DlManifest *
pick_manifest (GPtrArray  *manifests,
               const char *container)
{
  for (guint i = 0; container && i < manifests->len; i++)
    if (dl_manifest_find_container (g_ptr_array_index (manifests, i), container))
      return g_ptr_array_index (manifests, i);
  return manifests->len > 0 ? g_ptr_array_index (manifests, 0) : NULL;
}

int
dl_cli_check (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("SCAN MANIFEST — hints where a scan and its manifest disagree, as JSON"));
  g_autofree char *container = NULL;
  g_autofree char *calibration_path = NULL;
  GOptionEntry entries[] = {
    { "container", 'c', 0, G_OPTION_ARG_STRING, &container,
      N_("Check against this container's goods (default: the manifest's only container)"), N_("NUMBER") },
    { "calibration", 0, 0, G_OPTION_ARG_FILENAME, &calibration_path,
      N_("Material calibration file (default: the built-in synthetic profile)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlScan) scan = NULL;
  g_autoptr(GPtrArray) manifests = NULL;
  g_autoptr(DlCalibration) own_calibration = NULL;
  g_autoptr(DlConsistency) result = NULL;
  g_autofree char *json = NULL;
  const DlCalibration *calibration = dl_calibration_get_default ();
  DlManifest *manifest;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      dl_cli_fail ("check", error);
      return DL_CLI_EXIT_USAGE;
    }
  if (argc != 3)
    {
      g_printerr ("%s\n", _("doorlicht-cli check: give exactly one SCAN and one MANIFEST"));
      return DL_CLI_EXIT_USAGE;
    }

  if (calibration_path != NULL)
    {
      own_calibration = dl_calibration_load (calibration_path, &error);
      if (own_calibration == NULL)
        return dl_cli_fail (calibration_path, error);
      calibration = own_calibration;
    }
  scan = dl_scan_load_file (argv[1], NULL, NULL, NULL, NULL, &error);
  if (scan == NULL)
    return dl_cli_fail (argv[1], error);
  manifests = dl_manifest_load_file (argv[2], &error);
  if (manifests == NULL)
    return dl_cli_fail (argv[2], error);
  manifest = pick_manifest (manifests, container);
  if (manifest == NULL)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The file holds no manifest"));
      return dl_cli_fail (argv[2], error);
    }

  result = container != NULL
           ? dl_consistency_check_container (scan, calibration, manifest, container, &error)
           : dl_consistency_check (scan, calibration, manifest, &error);
  if (result == NULL)
    return dl_cli_fail (argv[1], error);

  json = dl_consistency_to_json (result);
  g_print ("%s\n", json);
  return 0;
}
