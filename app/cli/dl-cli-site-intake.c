/* dl-cli-site-intake.c — `doorlicht-cli site intake URI FOLDER… [--once]
 * [--settle SECONDS] [--rescan SECONDS]`: scans from the folders scanners
 * export into, queued as new cases of the site store (dl-site-intake.h).
 * It signs as the workstation's identity, connected as the login of the
 * URI, which must be an analyst (a service account: `site grant URI
 * intake --role analyst`).  One line per file taken: the case id, the
 * file, how its manifest was matched (tab-separated).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-cli-site"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <stdio.h>

#include "dl-cli.h"
#include "dl-identity.h"
#include "dl-site-intake.h"

static void
on_taken (const DlSiteIntakeItem *item,
          const char             *path,
          const GError           *error,
          gpointer                user_data)
{
  gboolean *failed = user_data;

  if (item == NULL)
    {
      g_printerr (_("doorlicht-cli site intake: %s not taken: %s\n"), path, error->message);
      *failed = TRUE;
      return;
    }
  g_print ("%s\t%s\t%s\n", item->case_id, item->path, item->matched);
  fflush (stdout);
}

static gboolean
on_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

static int
run_once (DlSiteIntake *intake)
{
  g_autoptr(GPtrArray) unsettled = NULL;
  gboolean ok = dl_site_intake_run_once (intake, &unsettled);

  for (guint i = 0; i < unsettled->len; i++)
    g_printerr (_("doorlicht-cli site intake: %s is still changing, left for the next run\n"),
                (char *) g_ptr_array_index (unsettled, i));
  return ok ? 0 : 1;
}

static int
watch (DlSiteIntake *intake,
       guint         rescan)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  guint term, inter;

  if (!dl_site_intake_watch (intake, rescan, &error))
    return dl_cli_fail ("site intake", error);
  term = g_unix_signal_add (SIGTERM, on_signal, loop);
  inter = g_unix_signal_add (SIGINT, on_signal, loop);
  g_main_loop_run (loop);
  g_source_remove (term);
  g_source_remove (inter);
  dl_site_intake_stop (intake);
  return 0;
}

/* The site at @uri, signing as the workstation's identity. */
static DlSite *
open_site (const char  *uri,
           GError     **error)
{
  g_autoptr(DlIdentity) identity = dl_identity_load_default (NULL, error);
  DlSite *site;

  if (identity == NULL || (site = dl_site_open (uri, error)) == NULL)
    return NULL;
  dl_site_set_identity (site, identity);
  return site;
}

int
dl_cli_site_intake (int    argc,
                    char **argv)
{
  gboolean once = FALSE, failed = FALSE;
  int settle = DL_SITE_INTAKE_DEFAULT_SETTLE, rescan = 60;
  GOptionEntry entries[] = {
    { "once", 0, 0, G_OPTION_ARG_NONE, &once, N_("One pass over the folders, then exit"), NULL },
    { "settle", 0, 0, G_OPTION_ARG_INT, &settle,
      N_("Take a file once its size and time are unchanged this many seconds (default 5)"), N_("SECONDS") },
    { "rescan", 0, 0, G_OPTION_ARG_INT, &rescan,
      N_("Watching, look at the folders this often for what was missed (default 60)"), N_("SECONDS") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("URI FOLDER… — queue the scans scanners export into the folders as new cases"));
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSite) site = NULL;
  g_autoptr(DlSiteIntake) intake = NULL;
  int status;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return dl_cli_fail ("site intake", error), DL_CLI_EXIT_USAGE;
  if (argc < 3 || settle < 0 || settle > 3600 || rescan < 1)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("%s", help);
      return DL_CLI_EXIT_USAGE;
    }
  if ((site = open_site (argv[1], &error)) == NULL)
    return dl_cli_fail ("site intake", error);
  intake = dl_site_intake_new (site, (guint) settle, on_taken, &failed);
  for (int i = 2; i < argc; i++)
    if (!dl_site_intake_add_folder (intake, argv[i], &error))
      return dl_cli_fail ("site intake", error);
  status = once ? run_once (intake) : watch (intake, (guint) rescan);
  return status != 0 ? status : failed && once ? 1 : 0;
}
