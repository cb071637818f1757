/* dl-cli-case.c — `doorlicht-cli case …` and `doorlicht-cli verify CASEFILE|URI`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-cli-case"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "dl-case-file.h"
#include "dl-case-tdr.h"
#include "dl-cli.h"
#include "dl-histogram.h"
#include "dl-regular-file.h"
#include "dl-report.h"
#include "dl-scan.h"
#include "dl-text.h"
#include "dl-view-state.h"

typedef struct
{
  const char *name;
  int       (*run) (int, char **);
  const char *summary;
  gboolean    on_site;   /* takes a site store's URI too (dl-cli-case-site.c) */
} Subcommand;

/* Parses the options; FALSE (usage printed) unless exactly @n_args remain. */
gboolean
dl_cli_case_parse (const char   *parameters,
       GOptionEntry *entries,
       int          *argc,
       char       ***argv,
       int           n_args)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameters);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      dl_cli_fail ("case", error);
      return FALSE;
    }
  if (*argc != n_args + 1)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("%s", help);
      return FALSE;
    }
  return TRUE;
}

static char *
iso_time (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);

  return dt ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("-");
}

DlCaseFile *
dl_cli_open_writable (const char *path,
               const char *name,
               GError    **error)
{
  g_autoptr(DlIdentity) identity = dl_identity_load_default (name, error);

  return identity ? dl_case_file_open (path, identity, error) : NULL;
}

/* Closes a file written to.  A change is saved once committed: a close that
 * could not fold the log back into the file is said, as a warning, but is
 * no failure of the command (run again, it would make the change twice). */
gboolean
dl_cli_close_written (DlCaseFile *file,
               GError    **error)
{
  g_autoptr(GError) local = NULL;

  if (dl_case_file_close (file, &local))
    return TRUE;
  if (!g_error_matches (local, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_UNFINISHED))
    return g_propagate_error (error, g_steal_pointer (&local)), FALSE;
  g_printerr ("doorlicht-cli: %s\n", local->message);
  return TRUE;
}

/* -- case new ------------------------------------------------------------------ */

static int
case_new (int    argc,
          char **argv)
{
  g_autofree char *name = NULL;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Your display name (kept for later)"), N_("NAME") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlIdentity) identity = NULL;
  g_autoptr(DlCaseFile) file = NULL;

  if (!dl_cli_case_parse (_("FILE — make a new, empty case file"), entries, &argc, &argv, 1))
    return DL_CLI_EXIT_USAGE;
  if ((identity = dl_identity_load_default (name, &error)) == NULL
      || (file = dl_case_file_create (argv[1], identity, &error)) == NULL
      || !dl_cli_close_written (file, &error))
    return dl_cli_fail (argv[1], error);
  return 0;
}

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

static int
case_add (int    argc,
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

/* -- case recover ---------------------------------------------------------------- */

/* Opening for writing rolls back what a program that stopped left
 * unfinished (a hot journal) or folds in its write-ahead log; closing
 * leaves one plain file that read-only commands can read again. */
static int
case_recover (int    argc,
              char **argv)
{
  g_autofree char *name = NULL;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Your display name (kept for later)"), N_("NAME") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlCaseFile) file = NULL;

  if (!dl_cli_case_parse (_("FILE — finish or roll back what a stopped program left unfinished"), entries, &argc, &argv, 1))
    return DL_CLI_EXIT_USAGE;
  if ((file = dl_cli_open_writable (argv[1], name, &error)) == NULL || !dl_case_file_close (file, &error))
    return dl_cli_fail (argv[1], error);
  g_print (_("“%s” is whole and closed\n"), argv[1]);
  return 0;
}

/* -- case list -------------------------------------------------------------------- */

static gboolean
parse_filter (const char   *text,
              DlCaseFilter *filter)
{
  static const char * const names[] = { "all", "new", "mine", "awaiting", "returned", "approved", NULL };

  for (guint i = 0; names[i]; i++)
    if (g_strcmp0 (text, names[i]) == 0)
      {
        *filter = i;
        return TRUE;
      }
  return text == NULL;
}

static JsonNode *
summary_node (const DlCaseSummary *s)
{
  static const char * const states[] = { "new", "awaiting-review", "approved", "returned" };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *updated = iso_time (s->updated);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, s->id);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, s->title);
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, states[s->state]);
  json_builder_set_member_name (b, "verdict");
  if (s->verdict != DL_DECISION_NONE)
    json_builder_add_string_value (b, dl_decision_to_id (s->verdict));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "verdict_author");
  if (s->verdict_author.login)
    json_builder_add_string_value (b, s->verdict_author.login);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "scans");
  json_builder_add_int_value (b, s->n_scans);
  json_builder_set_member_name (b, "updated");
  json_builder_add_string_value (b, updated);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
print_list (GPtrArray *cases,
            gboolean   json)
{
  if (json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      g_autofree char *text = NULL;

      for (guint i = 0; i < cases->len; i++)
        json_array_add_element (array, summary_node (g_ptr_array_index (cases, i)));
      json_node_set_array (root, array);
      text = json_to_string (root, TRUE);
      g_print ("%s\n", text);
      return;
    }
  for (guint i = 0; i < cases->len; i++)
    {
      const DlCaseSummary *s = g_ptr_array_index (cases, i);
      g_autofree char *updated = iso_time (s->updated);
      /* a tab or line break in a field would shift the columns */
      g_autofree char *title = dl_text_escape_terminal (s->title, DL_TEXT_ESCAPE_DEFAULT);
      g_autofree char *author = dl_text_escape_terminal (s->verdict_author.name ? s->verdict_author.name : "-",
                                                         DL_TEXT_ESCAPE_DEFAULT);

      g_print ("%s\t%s\t%s\t%s\t%s\t%s\n", s->id, title, dl_case_state_get_label (s->state),
               s->verdict ? dl_decision_get_label (s->verdict) : "-", author, updated);
    }
}

static int
case_list (int    argc,
           char **argv)
{
  g_autofree char *filter = NULL, *search = NULL, *sort = NULL, *mine = NULL;
  gboolean json = FALSE, descending = FALSE;
  GOptionEntry entries[] = {
    { "filter", 'f', 0, G_OPTION_ARG_STRING, &filter, N_("all, new, mine, awaiting, returned or approved"), N_("FILTER") },
    { "search", 's', 0, G_OPTION_ARG_STRING, &search, N_("Only cases whose title or id contains this"), N_("TEXT") },
    { "sort", 0, 0, G_OPTION_ARG_STRING, &sort, N_("updated, created or title"), N_("ORDER") },
    { "descending", 'd', 0, G_OPTION_ARG_NONE, &descending, N_("Sort the other way"), NULL },
    { "login", 0, 0, G_OPTION_ARG_STRING, &mine, N_("Whose cases “mine” means (default: you)"), N_("LOGIN") },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlCaseFile) file = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  DlCaseQuery query = { 0 };

  if (!dl_cli_case_parse (_("FILE|URI — list the cases"), entries, &argc, &argv, 1))
    return DL_CLI_EXIT_USAGE;
  if (!parse_filter (filter, &query.filter))
    {
      g_printerr (_("doorlicht-cli case list: unknown filter “%s”\n"), filter);
      return DL_CLI_EXIT_USAGE;
    }
  if (sort && !g_str_equal (sort, "updated") && !g_str_equal (sort, "created") && !g_str_equal (sort, "title"))
    {
      g_printerr (_("doorlicht-cli case list: unknown sort order “%s”\n"), sort);
      return DL_CLI_EXIT_USAGE;
    }
  query.sort = sort == NULL || g_str_equal (sort, "updated") ? DL_CASE_SORT_UPDATED
               : g_str_equal (sort, "created") ? DL_CASE_SORT_CREATED : DL_CASE_SORT_TITLE;
  query.descending = descending;
  query.search = search;
  query.mine_login = mine;
  if (dl_cli_is_site_uri (argv[1]))
    {
      if ((cases = dl_cli_site_list_cases (argv[1], &query, &error)) == NULL)
        return dl_cli_fail ("case list", error);
    }
  else if ((file = dl_case_file_open_untrusted (argv[1], &error)) == NULL
           || (cases = dl_case_file_list_cases (file, &query, &error)) == NULL)
    return dl_cli_fail (argv[1], error);
  print_list (cases, json);
  return 0;
}

/* -- case verdict, case review ----------------------------------------------------- */

static int
case_verdict (int    argc,
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

static int
case_review (int    argc,
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

/* -- case export, import, csv ------------------------------------------------------- */

/* The operator's threat detection reports of the exported cases, made
 * from the export itself (its images embedded), one per scan in @folder. */
static int
write_tdrs (const char         *export_path,
            const char * const *ids,
            const char         *folder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlCaseFile) exported = dl_case_file_open_untrusted (export_path, &error);
  g_auto(GStrv) written = NULL;

  if (exported == NULL || (written = dl_case_file_write_tdrs (exported, ids, folder, &error)) == NULL)
    return dl_cli_fail (folder, error);
  for (guint i = 0; written[i]; i++)
    g_print ("%s\n", written[i]);
  return 0;
}

static int
case_export (int    argc,
             char **argv)
{
  g_autofree char *name = NULL, *cases = NULL, *output = NULL, *tdr = NULL;
  GOptionEntry entries[] = {
    { "cases", 0, 0, G_OPTION_ARG_STRING, &cases, N_("The cases to export, separated by commas"), N_("ID,…") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The new case file"), N_("FILE") },
    { "tdr", 0, 0, G_OPTION_ARG_FILENAME, &tdr,
      N_("Also write each scan’s operator threat detection report (DICOS) into this folder"), N_("DIR") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Your display name (kept for later)"), N_("NAME") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlCaseFile) file = NULL;
  g_auto(GStrv) ids = NULL;
  int status;

  if (!dl_cli_case_parse (_("FILE|URI --cases ID,… -o OUT — export cases, signed, with their images"), entries, &argc, &argv, 1))
    return DL_CLI_EXIT_USAGE;
  if (cases == NULL || output == NULL)
    {
      g_printerr ("%s\n", _("doorlicht-cli case export: give --cases and --output"));
      return DL_CLI_EXIT_USAGE;
    }
  /* the output is a file, never a site */
  if (dl_cli_is_site_uri (output))
    {
      const char *refused[] = { argv[0], output, NULL };

      dl_cli_refuse_site ("case export", 2, (char * const *) refused);
      return DL_CLI_EXIT_FAILURE;
    }
  if (tdr && !g_file_test (tdr, G_FILE_TEST_IS_DIR))
    {
      g_printerr (_("doorlicht-cli case export: the folder “%s” for --tdr does not exist\n"), tdr);
      return DL_CLI_EXIT_USAGE;
    }
  ids = g_strsplit (cases, ",", -1);
  if (dl_cli_is_site_uri (argv[1]))
    status = dl_cli_site_export (argv[1], (const char * const *) ids, output, name);
  else if ((file = dl_cli_open_writable (argv[1], name, &error)) == NULL
           || !dl_case_file_export (file, (const char * const *) ids, output, &error)
           || !dl_cli_close_written (file, &error))
    return dl_cli_fail (argv[1], error);
  else
    status = 0;
  if (status != 0 || tdr == NULL)
    return status;
  return write_tdrs (output, (const char * const *) ids, tdr);
}

static int
case_import (int    argc,
             char **argv)
{
  g_autofree char *name = NULL;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Your display name (kept for later)"), N_("NAME") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlCaseFile) file = NULL;
  guint n = 0;

  if (!dl_cli_case_parse (_("FILE|URI IN — merge a signed export into the case file or site store"), entries, &argc, &argv, 2))
    return DL_CLI_EXIT_USAGE;
  /* what is imported is a file, never a site */
  if (dl_cli_is_site_uri (argv[2]))
    {
      const char *refused[] = { argv[0], argv[2], NULL };

      dl_cli_refuse_site ("case import", 2, (char * const *) refused);
      return DL_CLI_EXIT_FAILURE;
    }
  if (dl_cli_is_site_uri (argv[1]))
    return dl_cli_site_import (argv[1], argv[2], name);
  if ((file = dl_cli_open_writable (argv[1], name, &error)) == NULL
      || !dl_case_file_import (file, argv[2], &n, &error)
      || !dl_cli_close_written (file, &error))
    return dl_cli_fail (argv[2], error);
  g_print (_("Events imported: %u\n"), n);
  return 0;
}

static int
case_csv (int    argc,
          char **argv)
{
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The CSV file"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlCaseFile) file = NULL;

  if (!dl_cli_case_parse (_("FILE|URI -o OUT.csv — write the verdict list as CSV"), entries, &argc, &argv, 1))
    return DL_CLI_EXIT_USAGE;
  if (output == NULL)
    {
      g_printerr ("%s\n", _("doorlicht-cli case csv: give --output"));
      return DL_CLI_EXIT_USAGE;
    }
  if (dl_cli_is_site_uri (argv[1]))
    return dl_cli_site_csv (argv[1], output);
  if ((file = dl_case_file_open_untrusted (argv[1], &error)) == NULL
      || !dl_case_file_write_csv (file, output, &error))
    return dl_cli_fail (argv[1], error);
  return 0;
}

/* -- case report ---------------------------------------------------------------------- */

static int
case_report (int    argc,
             char **argv)
{
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The PDF file"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlCaseFile) file = NULL;

  if (!dl_cli_case_parse (_("FILE|URI CASE -o OUT.pdf — write the case’s PDF report"), entries, &argc, &argv, 2))
    return DL_CLI_EXIT_USAGE;
  if (output == NULL)
    {
      g_printerr ("%s\n", _("doorlicht-cli case report: give --output"));
      return DL_CLI_EXIT_USAGE;
    }
  if (dl_cli_is_site_uri (argv[1]))
    return dl_cli_site_report (argv[1], argv[2], output);
  if ((file = dl_case_file_open_untrusted (argv[1], &error)) == NULL)
    return dl_cli_fail (argv[1], error);
  if (!dl_case_file_write_report (file, argv[2], NULL, output, &error))
    return dl_cli_fail (output, error);
  return 0;
}

/* -- case thumbnails -------------------------------------------------------------------- */

static int
case_thumbnails (int    argc,
                 char **argv)
{
  g_autofree char *name = NULL;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Your display name (kept for later)"), N_("NAME") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlCaseFile) file = NULL;
  g_auto(GStrv) missing = NULL;
  guint made = 0, failed = 0;

  if (!dl_cli_case_parse (_("FILE — make the thumbnails the case file lacks (or holds stale)"), entries, &argc, &argv, 1))
    return DL_CLI_EXIT_USAGE;
  if ((file = dl_cli_open_writable (argv[1], name, &error)) == NULL
      || (missing = dl_case_file_list_missing_thumbnails (file, &error)) == NULL)
    return dl_cli_fail (argv[1], error);
  for (guint i = 0; missing[i]; i++)
    {
      g_autoptr(GBytes) png = dl_case_file_make_thumbnail (file, missing[i], &error);

      if (png == NULL)
        {
          /* TRANSLATORS: the scan id, then why its thumbnail could not be made */
          g_printerr (_("scan %s: %s\n"), missing[i], error->message);
          g_clear_error (&error);
          failed++;
        }
      else
        made++;
    }
  if (!dl_cli_close_written (file, &error))
    return dl_cli_fail (argv[1], error);
  g_print (ngettext ("%u thumbnail made", "%u thumbnails made", made), made);
  if (failed)
    g_print (ngettext ("; %u scan could not be read\n", "; %u scans could not be read\n", failed), failed);
  else
    g_print ("\n");
  return failed ? DL_CLI_EXIT_FAILURE : 0;
}

/* -- dispatch ------------------------------------------------------------------------ */

static const Subcommand subcommands[] = {
  { "new", case_new, N_("Make a new, empty case file") },
  { "add", case_add, N_("Add a scan (and its manifest) as a new case"), TRUE },
  { "list", case_list, N_("List the cases, with filters and search"), TRUE },
  { "recover", case_recover, N_("Make a file a stopped program left mid-write readable again") },
  { "verdict", case_verdict, N_("Record a verdict: clear, inspect, seize or rescan"), TRUE },
  { "review", case_review, N_("Approve or return another analyst’s verdict"), TRUE },
  { "export", case_export, N_("Export cases to a new signed case file"), TRUE },
  { "import", case_import, N_("Merge a signed export"), TRUE },
  { "report", case_report, N_("Write a case’s PDF report"), TRUE },
  { "csv", case_csv, N_("Write the verdict list as CSV"), TRUE },
  { "thumbnails", case_thumbnails, N_("Make the missing thumbnails of the queue") },
  { "detect", dl_cli_case_detect, N_("Run the built-in detectors on a case’s scan and store the findings") },
  { "findings", dl_cli_case_findings, N_("List a case’s findings with the responses to them"), TRUE },
  { "finding", dl_cli_case_finding, N_("Confirm or dismiss a finding"), TRUE },
  { "claim", dl_cli_case_claim, N_("Claim the next waiting case of a site store (URI)"), TRUE },
};

static void
print_case_usage (FILE *fp)
{
  fprintf (fp, "%s\n\n%s\n", _("Usage: doorlicht-cli case SUBCOMMAND FILE [OPTION…]"), _("Subcommands:"));
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    fprintf (fp, "  %-10s %s\n", subcommands[i].name, _(subcommands[i].summary));
}

int
dl_cli_case (int    argc,
             char **argv)
{
  if (argc < 2)
    {
      print_case_usage (stderr);
      return DL_CLI_EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      print_case_usage (stdout);
      return 0;
    }
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    if (strcmp (argv[1], subcommands[i].name) == 0)
      {
        g_autofree char *command = g_strconcat ("case ", argv[1], NULL);

        if (!subcommands[i].on_site && dl_cli_refuse_site (command, argc - 1, argv + 1))
          return DL_CLI_EXIT_FAILURE;
        return subcommands[i].run (argc - 1, argv + 1);
      }
  g_printerr (_("doorlicht-cli case: unknown subcommand “%s”\n"), argv[1]);
  print_case_usage (stderr);
  return DL_CLI_EXIT_USAGE;
}

/* -- verify ---------------------------------------------------------------------------- */

static const char *
problem_kind (DlVerifyKind kind)
{
  switch (kind)
    {
    case DL_VERIFY_CHAIN: return _("chain");
    case DL_VERIFY_ROW: return _("row");
    case DL_VERIFY_SCAN: return _("scan");
    case DL_VERIFY_SIGNATURE: return _("signature");
    case DL_VERIFY_THUMBNAIL: return _("thumbnail");
    default: return "?";
    }
}

int
dl_cli_verify (int    argc,
               char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlVerifyReport) report = NULL;
  g_autofree char *label = NULL;
  gboolean site;

  if (!dl_cli_case_parse (_("CASEFILE|URI — check the audit trail, the rows, the scan hashes and the signatures"),
              entries, &argc, &argv, 1))
    return DL_CLI_EXIT_USAGE;
  /* a site's address may hold a password: never printed */
  site = dl_cli_is_site_uri (argv[1]);
  label = site ? dl_cli_site_label (argv[1]) : g_strdup (argv[1]);
  report = site ? dl_cli_site_verify (argv[1], &error) : dl_case_file_verify_path (argv[1], &error);
  if (report == NULL)
    return dl_cli_fail (site ? "verify" : argv[1], error);

  for (guint i = 0; i < report->problems->len; i++)
    {
      DlVerifyProblem *p = g_ptr_array_index (report->problems, i);

      g_print ("%s: %s: %s\n", label, problem_kind (p->kind), p->message);
    }
  g_print (_("%u events, %u rows, %u scan images checked; chain head %s\n"), report->n_events, report->n_rows,
           report->n_scans_checked, report->chain_head ? report->chain_head : "-");
  if (report->exported)
    {
      g_autofree char *when = iso_time (report->export_time);

      g_print (_("Export signed by %s (%s), key %s, at %s: %s\n"),
               report->export_signer.name ? report->export_signer.name : "?",
               report->export_signer.login ? report->export_signer.login : "?",
               report->export_signer.fingerprint ? report->export_signer.fingerprint : "?", when,
               report->export_valid ? _("valid") : _("NOT VALID"));
    }
  if (report->problems->len > 0)
    {
      g_print (_("Problems found: %u\n"), report->problems->len);
      return DL_CLI_EXIT_FAILURE;
    }
  g_print ("%s\n", _("All is well."));
  return 0;
}
