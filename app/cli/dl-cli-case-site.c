/* dl-cli-case-site.c — the case subcommands and verify given a site store.
 *
 * A postgresql:// or postgres:// URI in place of a case file path names a
 * site store (dl-site.h).  `case claim` works on one; the subcommands
 * that do not yet refuse it clearly here, naming the target without its
 * password, rather than taking the URI for a file name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dl-cli.h"
#include "dl-site.h"

gboolean
dl_cli_is_site_uri (const char *arg)
{
  return arg != NULL
         && (g_str_has_prefix (arg, "postgresql://") || g_str_has_prefix (arg, "postgres://"));
}

/* The first argument of @argv (past the command's name) naming a site
 * store, or %NULL. */
static const char *
find_site_uri (int          argc,
               char * const *argv)
{
  for (int i = 1; i < argc; i++)
    if (dl_cli_is_site_uri (argv[i]))
      return argv[i];
  return NULL;
}

gboolean
dl_cli_refuse_site (const char   *command,
                    int           argc,
                    char * const *argv)
{
  const char *uri = find_site_uri (argc, argv);
  g_autofree char *target = NULL;

  if (uri == NULL)
    return FALSE;
  target = dl_site_describe_target (uri);
  g_printerr (_("doorlicht-cli %s: not yet on a site store (%s); give a case file path\n"),
              command, target ? target : _("a site store"));
  return TRUE;
}
