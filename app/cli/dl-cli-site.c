/* dl-cli-site.c — `doorlicht-cli site init URI`, `site grant URI LOGIN
 * --role ROLE` and `case claim URI` (`site intake` is dl-cli-site-intake.c's): the site store on PostgreSQL
 * (dl-site.h).  URI is a postgresql:// URI or a conninfo string; no
 * message quotes its password.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-cli-site"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "dl-cli.h"
#include "dl-site.h"

/* `case claim` when no case is waiting */
#define DL_CLI_EXIT_NOTHING 3

/* The failure of a command on the store: the error says the address
 * without its password, so the URI itself is never printed. */
static int
site_fail (GError *error)
{
  return dl_cli_fail ("site", error);
}

static int
site_init (int    argc,
           char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSite) site = NULL;

  if (!dl_cli_case_parse (_("URI — make the site store’s schema and roles (again: brings them up to date)"),
                          entries, &argc, &argv, 1))
    return DL_CLI_EXIT_USAGE;
  if ((site = dl_site_open (argv[1], &error)) == NULL || !dl_site_init (site, &error))
    return site_fail (error);
  return 0;
}

static int
site_grant (int    argc,
            char **argv)
{
  g_autofree char *role = NULL;
  GOptionEntry entries[] = {
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, N_("analyst, supervisor or auditor"), N_("ROLE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSite) site = NULL;
  int which;

  if (!dl_cli_case_parse (_("URI LOGIN — let a person (a login role) work at the site"), entries, &argc, &argv, 2))
    return DL_CLI_EXIT_USAGE;
  if ((which = dl_site_role_from_name (role)) < 0)
    {
      g_printerr (_("doorlicht-cli site grant: --role must be analyst, supervisor or auditor\n"));
      return DL_CLI_EXIT_USAGE;
    }
  if ((site = dl_site_open (argv[1], &error)) == NULL || !dl_site_grant (site, argv[2], which, &error))
    return site_fail (error);
  return 0;
}

int
dl_cli_case_claim (int    argc,
                   char **argv)
{
  int lease = 900;
  GOptionEntry entries[] = {
    { "lease", 0, 0, G_OPTION_ARG_INT, &lease, N_("Hold the case this many seconds (default 900)"), N_("SECONDS") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSite) site = NULL;
  g_autofree char *case_id = NULL;

  if (!dl_cli_case_parse (_("URI — claim the next waiting case of a site store; prints its id"),
                          entries, &argc, &argv, 1))
    return DL_CLI_EXIT_USAGE;
  if (lease <= 0)
    {
      g_printerr (_("doorlicht-cli case claim: --lease must be a number of seconds above 0\n"));
      return DL_CLI_EXIT_USAGE;
    }
  if ((site = dl_site_open (argv[1], &error)) == NULL
      || !dl_site_claim (site, NULL, (guint) lease, &case_id, &error))
    return site_fail (error);
  if (case_id == NULL)
    {
      g_printerr (_("doorlicht-cli case claim: no case is waiting\n"));
      return DL_CLI_EXIT_NOTHING;
    }
  g_print ("%s\n", case_id);
  return 0;
}

typedef struct
{
  const char *name;
  int       (*run) (int, char **);
  const char *summary;
} Subcommand;

static const Subcommand subcommands[] = {
  { "init", site_init, N_("Make the site store’s schema and roles on PostgreSQL") },
  { "grant", site_grant, N_("Make a person’s login an analyst, supervisor or auditor") },
  { "intake", dl_cli_site_intake, N_("Queue the scans scanners export into folders as new cases") },
};

static void
print_site_usage (FILE *fp)
{
  fprintf (fp, "%s\n\n%s\n", _("Usage: doorlicht-cli site SUBCOMMAND URI [OPTION…]"), _("Subcommands:"));
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    fprintf (fp, "  %-10s %s\n", subcommands[i].name, _(subcommands[i].summary));
}

int
dl_cli_site (int    argc,
             char **argv)
{
  if (argc < 2)
    {
      print_site_usage (stderr);
      return DL_CLI_EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      print_site_usage (stdout);
      return 0;
    }
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    if (strcmp (argv[1], subcommands[i].name) == 0)
      return subcommands[i].run (argc - 1, argv + 1);
  g_printerr (_("doorlicht-cli site: unknown subcommand “%s”\n"), argv[1]);
  print_site_usage (stderr);
  return DL_CLI_EXIT_USAGE;
}
