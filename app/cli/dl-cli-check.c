/* dl-cli-check.c — `doorlicht-cli check SCAN MANIFEST` (or `check SCAN
 * --manifest MANIFEST`), optionally `--bay-plan BAPLIE`: consistency hints
 * between a dual-energy scan, its manifest and the bay plan, as JSON.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-cli-check"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dl-cli.h"
#include "dl-bay-plan-check.h"
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

/* What the bay plan's reader read past, on stderr (the hints say what it
 * means for the check). */
static void
print_plan_warnings (const char *path,
                     GPtrArray  *plans)
{
  for (guint i = 0; i < plans->len; i++)
    {
      DlBayPlan *plan = g_ptr_array_index (plans, i);

      for (guint k = 0; k < plan->warnings->len; k++)
        {
          g_autofree char *text = dl_manifest_warning_to_string (g_ptr_array_index (plan->warnings, k));

          g_printerr (_("%s: warning: %s\n"), path, text);
        }
    }
}

/* The plan of @plans holding @container (or the manifest's one), else
 * the first: dl_bay_plan_check () says there is no entry. */
static DlBayPlan *
pick_plan (GPtrArray        *plans,
           const DlManifest *manifest,
           const char       *container)
{
  DlBayPlan *plan = NULL;

  if (container == NULL && manifest->containers->len == 1)
    container = ((DlManifestContainer *) g_ptr_array_index (manifest->containers, 0))->number;
  if (container && dl_bay_plans_find (plans, container, &plan))
    return plan;
  return g_ptr_array_index (plans, 0);
}

int
dl_cli_check (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("SCAN [MANIFEST] — hints where a scan and its manifest disagree, as JSON"));
  g_autofree char *container = NULL, *manifest_path = NULL, *bay_plan_path = NULL;
  g_autofree char *calibration_path = NULL;
  GOptionEntry entries[] = {
    { "container", 'c', 0, G_OPTION_ARG_STRING, &container,
      N_("Check against this container's goods (default: the manifest's only container)"), N_("NUMBER") },
    { "manifest", 'm', 0, G_OPTION_ARG_FILENAME, &manifest_path,
      N_("The manifest (JSON, CSV or UN/EDIFACT CUSCAR), instead of the second argument"), N_("FILE") },
    { "bay-plan", 'b', 0, G_OPTION_ARG_FILENAME, &bay_plan_path,
      N_("The bay plan (UN/EDIFACT BAPLIE): the scan and the manifest weighed against its verified gross mass"),
      N_("FILE") },
    { "calibration", 0, 0, G_OPTION_ARG_FILENAME, &calibration_path,
      N_("Material calibration file (default: the built-in synthetic profile)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlScan) scan = NULL;
  g_autoptr(GPtrArray) manifests = NULL;
  g_autoptr(GPtrArray) plans = NULL;
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
  if (manifest_path == NULL && argc == 3)
    manifest_path = g_strdup (argv[2]);
  else if (manifest_path == NULL || argc != 2)
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
  manifests = dl_manifest_load_file (manifest_path, &error);
  if (manifests == NULL)
    return dl_cli_fail (manifest_path, error);
  manifest = pick_manifest (manifests, container);
  if (manifest == NULL)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The file holds no manifest"));
      return dl_cli_fail (manifest_path, error);
    }
  if (bay_plan_path != NULL)
    {
      plans = dl_baplie_read_file (bay_plan_path, &error);
      if (plans == NULL)
        return dl_cli_fail (bay_plan_path, error);
      print_plan_warnings (bay_plan_path, plans);
    }

  result = dl_consistency_check_with_bay_plan (scan, calibration, manifest, container,
                                               plans ? pick_plan (plans, manifest, container) : NULL, &error);
  if (result == NULL)
    return dl_cli_fail (argv[1], error);

  json = dl_consistency_to_json (result);
  g_print ("%s\n", json);
  return 0;
}
