/* dl-cli-bayplan.c — `doorlicht-cli bayplan show FILE`: a bay plan
 * (UN/EDIFACT BAPLIE) as read, in its JSON form, with what was read past.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-cli-bayplan"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "dl-baplie.h"
#include "dl-cli.h"

/* One plan as its JSON form; several (one per message) as a list. */
static char *
plans_json (GPtrArray *plans)
{
  g_autoptr(JsonArray) list = json_array_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

  if (plans->len == 1)
    return dl_bay_plan_to_json (g_ptr_array_index (plans, 0));
  for (guint i = 0; i < plans->len; i++)
    {
      g_autofree char *json = dl_bay_plan_to_json (g_ptr_array_index (plans, i));

      json_array_add_element (list, json_from_string (json, NULL));
    }
  json_node_set_array (root, list);
  return json_to_string (root, TRUE);
}

static void
print_warnings (const char *path,
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

/* @plans cut down to the entry of @container (with its plan's header). */
static GPtrArray *
only_container (GPtrArray   *plans,
                const char  *container,
                GError     **error)
{
  GPtrArray *one = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_bay_plan_unref);
  DlBayPlan *plan = NULL;

  if (dl_bay_plans_find (plans, container, &plan) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("The bay plan has no container “%s”"), container);
      g_ptr_array_unref (one);
      return NULL;
    }
  g_ptr_array_add (one, dl_bay_plan_extract (plan, container));
  return one;
}

int
dl_cli_bayplan (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("show FILE — print a bay plan (UN/EDIFACT BAPLIE) as read, in its JSON form"));
  g_autofree char *container = NULL;
  GOptionEntry entries[] = {
    { "container", 'c', 0, G_OPTION_ARG_STRING, &container, N_("Only this container’s entry"), N_("NUMBER") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) plans = NULL;
  g_autofree char *json = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("An interchange of several messages is printed as a list. "
                                           "What was read past (a wrong segment count, an unknown code, "
                                           "a weight that could not be read) is printed as a warning, "
                                           "and kept in the JSON form as \"warnings\"."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      dl_cli_fail ("bayplan", error);
      return DL_CLI_EXIT_USAGE;
    }
  if (argc != 3 || strcmp (argv[1], "show") != 0)
    {
      g_printerr ("%s\n", _("doorlicht-cli bayplan: give “show” and exactly one FILE"));
      return DL_CLI_EXIT_USAGE;
    }

  plans = dl_baplie_read_file (argv[2], &error);
  if (plans == NULL)
    return dl_cli_fail (argv[2], error);
  if (container)
    {
      GPtrArray *one = only_container (plans, container, &error);

      if (one == NULL)
        return dl_cli_fail (argv[2], error);
      g_ptr_array_unref (plans);
      plans = one;
    }
  print_warnings (argv[2], plans);
  json = plans_json (plans);
  g_print ("%s\n", json);
  return 0;
}
