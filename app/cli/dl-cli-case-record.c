/* dl-cli-case-record.c — `doorlicht-cli case add` (a scan, its manifest
 * and bay plan, as a new case or into one), `case verdict` and `case
 * review`: what is recorded in a case file, or a site store
 * (dl-cli-case-site.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-cli-case-record"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dl-case-file.h"
#include "dl-cli.h"
#include "dl-regular-file.h"

/* -- case add --------------------------------------------------------------------- */

/* A manifest a case can hold: its size checked before a byte is read (a
 * pipe or a device refused before it is opened for a read that waits). */
static DlManifest *
read_manifest (const char *path,
               GError    **error)
{
  g_autoptr(GMappedFile) file = dl_map_regular_file (path, DL_CASE_FILE_MAX_MANIFEST, error);
  g_autofree char *json = NULL;

  if (file == NULL)
    return NULL;
  json = g_strndup (g_mapped_file_get_contents (file), g_mapped_file_get_length (file));
  if (strlen (json) != g_mapped_file_get_length (file))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” holds a NUL byte: it is not a JSON manifest"), path);
      return NULL;
    }
  return dl_manifest_from_json (json, error);
}

/* The title of a new case: the option, the manifest's first container, the
 * vehicle's registration, or the scan's file name. */
static char *
default_title (const char *title,
               DlManifest *manifest,
               const char *scan)
{
  if (title)
    return g_strdup (title);
  if (manifest && manifest->containers->len > 0)
    return g_strdup (((DlManifestContainer *) g_ptr_array_index (manifest->containers, 0))->number);
  /* a truck or a wagon: its registration */
  if (manifest && manifest->conveyance && *manifest->conveyance)
    return g_strdup (manifest->conveyance);
  return g_path_get_basename (scan);
}

/* The bay plan's entry of the case's container (the manifest's only
 * one), with its message's header: what the case keeps, as JSON (the
 * entry, not the interchange's bytes: a vessel's bay plan holds thousands
 * of containers, of which the case needs one, and the JSON is what the
 * check reads).  No entry for it: the header alone, so that the check
 * says the bay plan has none. */
static DlBayPlan *
read_bay_plan_entry (const char  *path,
                     DlManifest  *manifest,
                     GError     **error)
{
  g_autoptr(GPtrArray) plans = NULL;
  const DlManifestContainer *c;
  DlBayPlan *plan = NULL, *header;
  g_autofree char *json = NULL;

  if (manifest == NULL || manifest->containers->len != 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("A bay plan is kept for the case’s container: give a manifest that lists one container"));
      return NULL;
    }
  c = g_ptr_array_index (manifest->containers, 0);
  if ((plans = dl_baplie_read_file (path, error)) == NULL)
    return NULL;
  if (dl_bay_plans_find (plans, c->number, &plan))
    return dl_bay_plan_extract (plan, c->number);
  g_printerr (_("doorlicht-cli: %s: warning: the bay plan has no entry for container %s\n"), path, c->number);
  json = dl_bay_plan_to_json (g_ptr_array_index (plans, 0));
  header = dl_bay_plan_from_json (json, error);
  if (header)
    {
      g_ptr_array_set_size (header->containers, 0);
      g_ptr_array_set_size (header->warnings, 0);
    }
  return header;
}

int
dl_cli_case_add (int    argc,
                 char **argv)
{
  g_autofree char *name = NULL, *manifest_path = NULL, *title = NULL, *case_id = NULL, *bay_plan_path = NULL;
  gboolean embed = FALSE;
  GOptionEntry entries[] = {
    { "manifest", 'm', 0, G_OPTION_ARG_FILENAME, &manifest_path, N_("The manifest (JSON form)"), N_("FILE") },
    { "bay-plan", 'b', 0, G_OPTION_ARG_FILENAME, &bay_plan_path,
      N_("The bay plan (UN/EDIFACT BAPLIE): its entry of the manifest’s container is kept with the case"), N_("FILE") },
    { "embed", 'e', 0, G_OPTION_ARG_NONE, &embed, N_("Hold the image in the case file"), NULL },
    { "title", 't', 0, G_OPTION_ARG_STRING, &title, N_("Title of the new case (default: the container number)"), N_("TEXT") },
    { "case", 'c', 0, G_OPTION_ARG_STRING, &case_id, N_("Add to this case instead of a new one"), N_("ID") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Your display name (kept for later)"), N_("NAME") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlCaseFile) file = NULL;
  g_autoptr(DlManifest) manifest = NULL;
  g_autoptr(DlBayPlan) bay_plan = NULL;
  g_autofree char *new_title = NULL, *scan_id = NULL;

  if (!dl_cli_case_parse (_("FILE|URI SCAN — add a scan (and its manifest) as a new case"), entries, &argc, &argv, 2))
    return DL_CLI_EXIT_USAGE;
  if (manifest_path && (manifest = read_manifest (manifest_path, &error)) == NULL)
    return dl_cli_fail (manifest_path, error);
  if (bay_plan_path && (bay_plan = read_bay_plan_entry (bay_plan_path, manifest, &error)) == NULL)
    return dl_cli_fail (bay_plan_path, error);
  if (case_id == NULL)
    new_title = default_title (title, manifest, argv[2]);
  /* a site holds every image: --embed changes nothing there */
  if (dl_cli_is_site_uri (argv[1]))
    return dl_cli_site_add (argv[1], case_id, new_title, argv[2], manifest, bay_plan, name);
  if ((file = dl_cli_open_writable (argv[1], name, &error)) == NULL || !dl_case_file_begin (file, &error))
    return dl_cli_fail (argv[1], error);
  /* the case, its scan and its manifest: one transaction, all or nothing */
  if ((new_title && (case_id = dl_case_file_new_case (file, new_title, &error)) == NULL)
      || (scan_id = dl_case_file_add_scan (file, case_id, argv[2], embed, &error)) == NULL
      || (manifest && !dl_case_file_set_manifest (file, case_id, manifest, &error))
      || (bay_plan && !dl_case_file_set_bay_plan (file, case_id, bay_plan, &error)))
    {
      dl_case_file_rollback (file);
      return dl_cli_fail (argv[1], error);
    }
  if (!dl_case_file_commit (file, &error) || !dl_cli_close_written (file, &error))
    return dl_cli_fail (argv[1], error);
  g_print ("%s\n", case_id);
  return 0;
}

/* -- case verdict, case review ----------------------------------------------------- */

int
dl_cli_case_verdict (int    argc,
                     char **argv)
{
  g_autofree char *name = NULL, *text = NULL, *id = NULL;
  g_auto(GStrv) reasons = NULL;
  GOptionEntry entries[] = {
    { "reason", 'r', 0, G_OPTION_ARG_STRING_ARRAY, &reasons, N_("A reason (repeatable): density-anomaly, shape-anomaly, manifest-mismatch, weight-mismatch, concealment, organic-mass, metal-mass, image-quality, risk-profile, other"), N_("REASON") },
    { "text", 't', 0, G_OPTION_ARG_STRING, &text, N_("Free text"), N_("TEXT") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Your display name (kept for later)"), N_("NAME") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlCaseFile) file = NULL;
  DlDecision decision;

  if (!dl_cli_case_parse (_("FILE CASE clear|inspect|seize|rescan — record a verdict"), entries, &argc, &argv, 3))
    return DL_CLI_EXIT_USAGE;
  decision = dl_decision_from_id (argv[3]);
  if (decision == DL_DECISION_NONE)
    {
      g_printerr (_("doorlicht-cli case verdict: “%s” is not clear, inspect, seize or rescan\n"), argv[3]);
      return DL_CLI_EXIT_USAGE;
    }
  if (dl_cli_is_site_uri (argv[1]))
    return dl_cli_site_verdict (argv[1], argv[2], argv[3], (const char * const *) reasons, text, name);
  if ((file = dl_cli_open_writable (argv[1], name, &error)) == NULL
      || (id = dl_case_file_add_verdict (file, argv[2], decision, (const char * const *) reasons, text,
                                         &error)) == NULL
      || !dl_cli_close_written (file, &error))
    return dl_cli_fail (argv[1], error);
  g_print ("%s\n", id);
  return 0;
}

int
dl_cli_case_review (int    argc,
                    char **argv)
{
  g_autofree char *name = NULL, *comment = NULL, *id = NULL;
  GOptionEntry entries[] = {
    { "comment", 'c', 0, G_OPTION_ARG_STRING, &comment, N_("Why (required to return)"), N_("TEXT") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Your display name (kept for later)"), N_("NAME") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlCaseFile) file = NULL;
  DlReviewDecision decision;

  if (!dl_cli_case_parse (_("FILE CASE approve|return — review the case’s verdict"), entries, &argc, &argv, 3))
    return DL_CLI_EXIT_USAGE;
  decision = dl_review_decision_from_id (argv[3]);
  if (decision == DL_REVIEW_NONE)
    {
      g_printerr (_("doorlicht-cli case review: “%s” is not approve or return\n"), argv[3]);
      return DL_CLI_EXIT_USAGE;
    }
  if (dl_cli_is_site_uri (argv[1]))
    return dl_cli_site_review (argv[1], argv[2], argv[3], comment, name);
  if ((file = dl_cli_open_writable (argv[1], name, &error)) == NULL
      || (id = dl_case_file_add_review (file, argv[2], decision, comment, &error)) == NULL
      || !dl_cli_close_written (file, &error))
    return dl_cli_fail (argv[1], error);
  g_print ("%s\n", id);
  return 0;
}
