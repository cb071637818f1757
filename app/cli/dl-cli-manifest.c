/* dl-cli-manifest.c — `doorlicht-cli manifest FILE`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-cli-manifest"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dl-cli.h"
#include "dl-manifest.h"

/* One manifest as its JSON form of @version; several (one per message of
 * an interchange) as a list of them.  NULL when version 1 cannot say one
 * of them. */
static char *
manifests_json (GPtrArray  *manifests,
                guint       version,
                GError    **error)
{
  g_autoptr(JsonArray) list = json_array_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

  if (manifests->len == 1)
    return dl_manifest_to_json_version (g_ptr_array_index (manifests, 0), version, error);

  for (guint i = 0; i < manifests->len; i++)
    {
      g_autofree char *json = dl_manifest_to_json_version (g_ptr_array_index (manifests, i), version, error);

      if (json == NULL)
        return NULL;
      json_array_add_element (list, json_from_string (json, NULL));
    }
  json_node_set_array (root, list);
  return json_to_string (root, TRUE);
}

/* What the reader read past, one line each on stderr: the JSON on
 * stdout has them too ("warnings"), for programs. */
static void
print_warnings (const char *path,
                GPtrArray  *manifests)
{
  for (guint i = 0; i < manifests->len; i++)
    {
      DlManifest *m = g_ptr_array_index (manifests, i);

      for (guint k = 0; k < m->warnings->len; k++)
        {
          g_autofree char *text = dl_manifest_warning_to_string (g_ptr_array_index (m->warnings, k));

          /* TRANSLATORS: "FILE: warning: segment 31 (UNT) at line 31, column 5: …" */
          g_printerr (_("%s: warning: %s\n"), path, text);
        }
    }
}

int
dl_cli_manifest (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("FILE — print a manifest (JSON, CSV or UN/EDIFACT CUSCAR) in the JSON form"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) manifests = NULL;
  g_autofree char *json = NULL;
  int version = 2;
  const GOptionEntry entries[] = {
    { "format-version", 0, 0, G_OPTION_ARG_INT, &version,
      N_("Version of the JSON form to print: 2 (consignments, the default) or 1 (one consignment at "
         "message level; refused when the manifest says more)"), "1|2" },
    { NULL },
  };

  g_option_context_set_summary (context, _("The format is told by the content, not by the file name. "
                                           "An interchange of several messages is printed as a list. "
                                           "What was read past (a wrong segment count, an unknown code, "
                                           "a mass that could not be read) is printed as a warning, "
                                           "and kept in the JSON form as \"warnings\"."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      dl_cli_fail ("manifest", error);
      return DL_CLI_EXIT_USAGE;
    }
  if (version != 1 && version != 2)
    {
      g_printerr (_("doorlicht-cli manifest: --format-version must be 1 or 2, not %d\n"), version);
      return DL_CLI_EXIT_USAGE;
    }

  if (argc != 2)
    {
      g_printerr ("%s\n", _("doorlicht-cli manifest: give exactly one FILE"));
      return DL_CLI_EXIT_USAGE;
    }

  manifests = dl_manifest_load_file (argv[1], &error);
  if (manifests == NULL)
    return dl_cli_fail (argv[1], error);

  print_warnings (argv[1], manifests);
  json = manifests_json (manifests, (guint) version, &error);
  if (json == NULL)
    return dl_cli_fail (argv[1], error);
  g_print ("%s\n", json);

  return 0;
}
