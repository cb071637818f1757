/* dl-cli-case-exchange.c — `doorlicht-cli case list` (text or JSON),
 * `case export` (signed, with the scans' threat reports if asked), `case
 * import`, `case csv` and `case report`: what goes out of a case file, or
 * a site store (dl-cli-case-site.c), and what comes into it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-cli-case-exchange"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dl-case-file.h"
#include "dl-case-tdr.h"
#include "dl-cli.h"
#include "dl-report.h"
#include "dl-text.h"

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
  g_autofree char *updated = dl_cli_iso_time (s->updated);

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
      g_autofree char *updated = dl_cli_iso_time (s->updated);
      /* a tab or line break in a field would shift the columns */
      g_autofree char *title = dl_text_escape_terminal (s->title, DL_TEXT_ESCAPE_DEFAULT);
      g_autofree char *author = dl_text_escape_terminal (s->verdict_author.name ? s->verdict_author.name : "-",
                                                         DL_TEXT_ESCAPE_DEFAULT);

      g_print ("%s\t%s\t%s\t%s\t%s\t%s\n", s->id, title, dl_case_state_get_label (s->state),
               s->verdict ? dl_decision_get_label (s->verdict) : "-", author, updated);
    }
}

int
dl_cli_case_list (int    argc,
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

int
dl_cli_case_export (int    argc,
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

int
dl_cli_case_import (int    argc,
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

int
dl_cli_case_csv (int    argc,
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

int
dl_cli_case_report (int    argc,
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
