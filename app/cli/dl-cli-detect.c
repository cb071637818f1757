/* dl-cli-detect.c — `doorlicht-cli detect SCAN [--manifest M]
 * [--bay-plan B] [--detector NAME]… [--external DIR] [--list]`: detectors over a scan, their
 * findings as "doorlicht-findings/1" JSON; and the case file's side:
 * `case detect FILE CASE` (the built-in detectors over the case's scan,
 * the findings stored), `case findings FILE CASE` and `case finding FILE
 * FINDING-ID --confirm|--dismiss [--note TEXT]`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-cli-detect"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "dl-baplie.h"
#include "dl-cli.h"
#include "dl-detector.h"
#include "dl-external.h"
#include "dl-hash.h"
#include "dl-manifest.h"
#include "dl-scan.h"
#include "dl-text.h"

/* ---- detect SCAN ------------------------------------------------------------------ */

static void
print_list (GPtrArray *detectors)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; i < detectors->len; i++)
    {
      DlDetector *d = g_ptr_array_index (detectors, i);
      JsonNode *params = json_node_new (JSON_NODE_OBJECT);

      json_node_take_object (params, dl_json_object_copy (dl_detector_get_defaults (d)));
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, dl_detector_get_name (d));
      json_builder_set_member_name (b, "version");
      json_builder_add_string_value (b, dl_detector_get_version (d));
      json_builder_set_member_name (b, "summary");
      json_builder_add_string_value (b, dl_detector_get_summary (d));
      json_builder_set_member_name (b, "parameters");
      json_builder_add_value (b, params);
      json_builder_set_member_name (b, "sha256");
      if (dl_detector_get_program_sha256 (d))
        json_builder_add_string_value (b, dl_detector_get_program_sha256 (d));
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  json = json_generator_to_data (gen, NULL);
  g_print ("%s\n", json);
}

/* The detectors named (all when none), or NULL with @error (dl-cli.h). */
GPtrArray *
dl_cli_pick_detectors (GPtrArray  *all,
                       char      **names,
                       GError    **error)
{
  g_autoptr(GPtrArray) picked = g_ptr_array_new_with_free_func (g_object_unref);

  if (names == NULL || names[0] == NULL)
    return g_ptr_array_ref (all);
  for (guint i = 0; names[i]; i++)
    {
      DlDetector *d = dl_detectors_find (all, names[i]);

      if (d == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _("There is no detector “%s” (doorlicht-cli detect --list names them)"), names[i]);
          return NULL;
        }
      g_ptr_array_add (picked, g_object_ref (d));
    }
  return g_steal_pointer (&picked);
}

static DlManifest *
read_manifest (const char *path,
               const char *container,
               GError    **error)
{
  g_autoptr(GPtrArray) manifests = dl_manifest_load_file (path, error);

  if (manifests == NULL)
    return NULL;
  for (guint i = 0; container && i < manifests->len; i++)
    if (dl_manifest_find_container (g_ptr_array_index (manifests, i), container))
      return dl_manifest_ref (g_ptr_array_index (manifests, i));
  if (manifests->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The file holds no manifest"));
      return NULL;
    }
  return dl_manifest_ref (g_ptr_array_index (manifests, 0));
}

static DlBayPlan *
read_bay_plan (const char *path,
               const char *container,
               GError    **error)
{
  g_autoptr(GPtrArray) plans = dl_baplie_read_file (path, error);
  DlBayPlan *plan = NULL;

  if (plans == NULL)
    return NULL;
  if (container && dl_bay_plans_find (plans, container, &plan))
    return dl_bay_plan_ref (plan);
  if (plans->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The file holds no bay plan"));
      return NULL;
    }
  return dl_bay_plan_ref (g_ptr_array_index (plans, 0));
}

/* Adds the external detectors described in @dir to @all; FALSE with
 * @error on a bad description or a name already taken (dl-cli.h). */
gboolean
dl_cli_add_external_detectors (GPtrArray  *all,
                               const char *dir,
                               GError    **error)
{
  g_autoptr(GPtrArray) external = dl_external_detectors_load_dir (dir, error);

  if (external == NULL)
    return FALSE;
  for (guint i = 0; i < external->len; i++)
    {
      DlDetector *d = g_ptr_array_index (external, i);

      if (dl_detectors_find (all, dl_detector_get_name (d)))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       _("The external detector “%s” has the name of a built-in one"), dl_detector_get_name (d));
          return FALSE;
        }
      g_ptr_array_add (all, g_object_ref (d));
    }
  return TRUE;
}

/* Prints the report; the exit status says whether every detector ran. */
static int
print_report (DlDetectReport *report)
{
  g_autofree char *json = dl_detect_report_to_json (report);

  g_print ("%s\n", json);
  for (guint i = 0; i < report->runs->len; i++)
    {
      DlDetectorRun *r = g_ptr_array_index (report->runs, i);

      if (r->error)
        g_printerr (_("doorlicht-cli: detector %s: %s\n"), r->detector, r->error->message);
    }
  return dl_detect_report_has_errors (report) ? DL_CLI_EXIT_FAILURE : 0;
}

int
dl_cli_detect (int    argc,
               char **argv)
{
  g_autofree char *manifest_path = NULL, *bay_plan_path = NULL, *container = NULL, *calibration_path = NULL;
  g_autofree char *external_dir = NULL;
  g_auto(GStrv) names = NULL;
  gboolean list = FALSE;
  GOptionEntry entries[] = {
    { "manifest", 'm', 0, G_OPTION_ARG_FILENAME, &manifest_path,
      N_("The manifest (JSON, CSV or UN/EDIFACT CUSCAR)"), N_("FILE") },
    { "bay-plan", 'b', 0, G_OPTION_ARG_FILENAME, &bay_plan_path, N_("The bay plan (UN/EDIFACT BAPLIE)"), N_("FILE") },
    { "container", 'c', 0, G_OPTION_ARG_STRING, &container,
      N_("The container the scan shows (default: the manifest’s only one)"), N_("NUMBER") },
    { "detector", 'd', 0, G_OPTION_ARG_STRING_ARRAY, &names, N_("Run this detector (repeatable; default: all)"),
      N_("NAME") },
    { "calibration", 0, 0, G_OPTION_ARG_FILENAME, &calibration_path,
      N_("Material calibration file (default: the built-in synthetic profile)"), N_("FILE") },
    { "external", 'e', 0, G_OPTION_ARG_FILENAME, &external_dir,
      N_("Add the external detectors described in this folder (docs/detector-protocol.md)"), N_("DIR") },
    { "list", 'l', 0, G_OPTION_ARG_NONE, &list, N_("List the detectors with their version and parameters"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("SCAN — run detectors, print their findings as JSON"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = dl_detectors_builtin ();
  g_autoptr(GPtrArray) detectors = NULL;
  g_autoptr(DlScan) scan = NULL;
  g_autoptr(DlManifest) manifest = NULL;
  g_autoptr(DlBayPlan) plan = NULL;
  g_autoptr(DlCalibration) own_calibration = NULL;
  g_autoptr(DlDetectInput) input = NULL;
  g_autoptr(DlDetectReport) report = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      dl_cli_fail ("detect", error);
      return DL_CLI_EXIT_USAGE;
    }
  if (external_dir && !dl_cli_add_external_detectors (all, external_dir, &error))
    return dl_cli_fail (external_dir, error);
  if ((detectors = dl_cli_pick_detectors (all, names, &error)) == NULL)
    {
      dl_cli_fail ("detect", error);
      return DL_CLI_EXIT_USAGE;
    }
  if (list)
    {
      print_list (detectors);
      return 0;
    }
  if (argc != 2)
    {
      g_printerr ("%s\n", _("doorlicht-cli detect: give exactly one SCAN"));
      return DL_CLI_EXIT_USAGE;
    }
  if (calibration_path && (own_calibration = dl_calibration_load (calibration_path, &error)) == NULL)
    return dl_cli_fail (calibration_path, error);
  if ((scan = dl_scan_load_file (argv[1], NULL, NULL, NULL, NULL, &error)) == NULL)
    return dl_cli_fail (argv[1], error);
  if (manifest_path && (manifest = read_manifest (manifest_path, container, &error)) == NULL)
    return dl_cli_fail (manifest_path, error);
  if (bay_plan_path && (plan = read_bay_plan (bay_plan_path, container, &error)) == NULL)
    return dl_cli_fail (bay_plan_path, error);

  input = dl_detect_input_new (scan, manifest, container,
                               own_calibration ? own_calibration : dl_calibration_get_default (), plan);
  report = dl_detectors_run (detectors, input, NULL);
  return print_report (report);
}

/* ---- case detect FILE CASE ---------------------------------------------------------- */

/* The case's first scan, decoded, its bytes checked against the SHA-256
 * the case recorded. */
static DlScan *
load_case_scan (DlCaseFile       *file,
                const DlCaseScan *s,
                GError          **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *sha = NULL;

  if (s->embedded)
    bytes = dl_case_file_get_scan_image (file, s->id, error);
  else
    {
      char *data = NULL;
      gsize length = 0;

      if (g_file_get_contents (s->path, &data, &length, error))
        bytes = g_bytes_new_take (data, length);
    }
  if (bytes == NULL)
    return NULL;
  sha = dl_sha256_hex_bytes (bytes);
  if (strcmp (sha, s->sha256) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The scan “%s” is not the one the case recorded (its SHA-256 differs)"), s->path);
      return NULL;
    }
  return dl_scan_load_bytes (bytes, s->path, NULL, NULL, NULL, NULL, error);
}

void
dl_cli_print_stored_findings (GStrv ids)
{
  g_print (ngettext ("%u finding stored\n", "%u findings stored\n", g_strv_length (ids)), g_strv_length (ids));
  for (guint i = 0; ids[i]; i++)
    g_print ("%s\n", ids[i]);
}

/* Runs the built-in detectors on the first scan of @case_id in @file and
 * stores the findings there; their ids in *@stored (printed by the
 * caller once they are where they belong). */
int
dl_cli_detect_and_store (DlCaseFile *file,
                         const char *case_id,
                         const char *path,
                         GStrv      *stored)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scans = dl_case_file_get_scans (file, case_id, &error);
  g_autoptr(DlScan) scan = NULL;
  g_autoptr(DlManifest) manifest = NULL;
  g_autoptr(DlBayPlan) plan = NULL;
  g_autoptr(DlDetectInput) input = NULL;
  g_autoptr(DlDetectReport) report = NULL;
  g_autoptr(GPtrArray) detectors = dl_detectors_builtin ();
  g_auto(GStrv) ids = NULL;
  const DlCaseScan *s;

  if (scans == NULL)
    return dl_cli_fail (path, error);
  if (scans->len == 0)
    {
      g_printerr (_("doorlicht-cli: the case %s has no scan\n"), case_id);
      return DL_CLI_EXIT_FAILURE;
    }
  s = g_ptr_array_index (scans, 0);
  if ((scan = load_case_scan (file, s, &error)) == NULL)
    return dl_cli_fail (s->path, error);
  manifest = dl_case_file_get_manifest (file, case_id, &error);
  if (error || (plan = dl_case_file_get_bay_plan (file, case_id, &error), error != NULL))
    return dl_cli_fail (path, error);
  input = dl_detect_input_new (scan, manifest, NULL, dl_calibration_get_default (), plan);
  report = dl_detectors_run (detectors, input, NULL);
  for (guint i = 0; i < report->runs->len; i++)
    {
      DlDetectorRun *r = g_ptr_array_index (report->runs, i);

      if (r->error)
        g_printerr (_("doorlicht-cli: detector %s: %s\n"), r->detector, r->error->message);
    }
  if ((ids = dl_case_file_add_findings (file, s->id, report->findings, &error)) == NULL)
    return dl_cli_fail (path, error);
  *stored = g_steal_pointer (&ids);
  return dl_detect_report_has_errors (report) ? DL_CLI_EXIT_FAILURE : 0;
}

int
dl_cli_case_detect (int    argc,
                    char **argv)
{
  g_autofree char *name = NULL;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Your display name (kept for later)"), N_("NAME") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlCaseFile) file = NULL;
  g_auto(GStrv) ids = NULL;
  int status;

  if (!dl_cli_case_parse (_("FILE|URI CASE — run the built-in detectors on the case’s scan, store the findings"),
                          entries, &argc, &argv, 2))
    return DL_CLI_EXIT_USAGE;
  if (dl_cli_is_site_uri (argv[1]))
    return dl_cli_site_detect (argv[1], argv[2], name);
  if ((file = dl_cli_open_writable (argv[1], name, &error)) == NULL)
    return dl_cli_fail (argv[1], error);
  status = dl_cli_detect_and_store (file, argv[2], argv[1], &ids);
  if (!dl_cli_close_written (file, &error))
    return dl_cli_fail (argv[1], error);
  if (ids)
    dl_cli_print_stored_findings (ids);
  return status;
}

/* ---- case findings FILE CASE, case finding FILE ID --------------------------------- */

static void
print_finding (const DlCaseFinding *c)
{
  g_autofree char *explanation = dl_text_escape_terminal (c->finding->explanation, DL_TEXT_ESCAPE_DEFAULT);
  g_autofree char *detector = dl_text_escape_terminal (c->finding->detector, DL_TEXT_ESCAPE_DEFAULT);
  const char *response = dl_finding_response_to_string (c->response);

  g_print ("%s  %-9s %.2f  %s  [%s %s]", c->id, c->finding->kind, c->finding->score, explanation, detector,
           c->finding->detector_version);
  if (response)
    {
      g_autofree char *who = dl_text_escape_terminal (c->response_author.name ? c->response_author.name : "?",
                                                      DL_TEXT_ESCAPE_DEFAULT);
      g_autofree char *note = dl_text_escape_terminal (c->response_note, DL_TEXT_ESCAPE_DEFAULT);

      /* TRANSLATORS: "confirmed"/"dismissed" by a person; the note may be empty */
      g_print (_(" — %s by %s%s%s"), c->response == DL_FINDING_RESPONSE_CONFIRMED ? _("confirmed") : _("dismissed"),
               who, *note ? ": " : "", note);
    }
  g_print ("\n");
}

static void
print_findings_json (GPtrArray *stored)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; i < stored->len; i++)
    {
      const DlCaseFinding *c = g_ptr_array_index (stored, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, c->id);
      json_builder_set_member_name (b, "scan");
      json_builder_add_string_value (b, c->scan_id);
      json_builder_set_member_name (b, "run");
      json_builder_add_string_value (b, c->run_id);
      json_builder_set_member_name (b, "finding");
      json_builder_add_value (b, dl_finding_to_json_node (c->finding));
      json_builder_set_member_name (b, "response");
      if (c->response == DL_FINDING_RESPONSE_NONE)
        json_builder_add_null_value (b);
      else
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "response");
          json_builder_add_string_value (b, dl_finding_response_to_string (c->response));
          json_builder_set_member_name (b, "note");
          json_builder_add_string_value (b, c->response_note);
          json_builder_set_member_name (b, "login");
          json_builder_add_string_value (b, c->response_author.login);
          json_builder_set_member_name (b, "time");
          json_builder_add_int_value (b, c->response_time);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  json = json_generator_to_data (gen, NULL);
  g_print ("%s\n", json);
}

int
dl_cli_case_findings (int    argc,
                      char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlCaseFile) file = NULL;
  g_autoptr(GPtrArray) stored = NULL;

  if (!dl_cli_case_parse (_("FILE|URI CASE — list the case’s findings and the responses to them"), entries, &argc, &argv, 2))
    return DL_CLI_EXIT_USAGE;
  if (dl_cli_is_site_uri (argv[1]))
    {
      if ((stored = dl_cli_site_findings (argv[1], argv[2], &error)) == NULL)
        return dl_cli_fail ("case findings", error);
    }
  else if ((file = dl_case_file_open_untrusted (argv[1], &error)) == NULL
           || (stored = dl_case_file_get_findings (file, argv[2], &error)) == NULL)
    return dl_cli_fail (argv[1], error);
  if (json)
    print_findings_json (stored);
  else
    for (guint i = 0; i < stored->len; i++)
      print_finding (g_ptr_array_index (stored, i));
  return 0;
}

int
dl_cli_case_finding (int    argc,
                     char **argv)
{
  g_autofree char *name = NULL, *note = NULL;
  gboolean confirm = FALSE, dismiss = FALSE;
  GOptionEntry entries[] = {
    { "confirm", 0, 0, G_OPTION_ARG_NONE, &confirm, N_("The finding is right"), NULL },
    { "dismiss", 0, 0, G_OPTION_ARG_NONE, &dismiss, N_("The finding is wrong"), NULL },
    { "note", 'n', 0, G_OPTION_ARG_STRING, &note, N_("Why"), N_("TEXT") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Your display name (kept for later)"), N_("NAME") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlCaseFile) file = NULL;

  if (!dl_cli_case_parse (_("FILE|URI FINDING-ID — confirm or dismiss a finding"), entries, &argc, &argv, 2))
    return DL_CLI_EXIT_USAGE;
  if (confirm == dismiss)
    {
      g_printerr ("%s\n", _("doorlicht-cli case finding: give one of --confirm and --dismiss"));
      return DL_CLI_EXIT_USAGE;
    }
  if (dl_cli_is_site_uri (argv[1]))
    return dl_cli_site_finding (argv[1], argv[2], confirm, note, name);
  if ((file = dl_cli_open_writable (argv[1], name, &error)) == NULL
      || !dl_case_file_respond_to_finding (file, argv[2],
                                           confirm ? DL_FINDING_RESPONSE_CONFIRMED : DL_FINDING_RESPONSE_DISMISSED,
                                           note, &error)
      || !dl_cli_close_written (file, &error))
    return dl_cli_fail (argv[1], error);
  return 0;
}
