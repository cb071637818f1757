/* dl-cli-convert.c — `doorlicht-cli convert SCAN -o OUT.dcs [--view N]`:
 * one view of a scan, whatever its format, as a DICOS DX image.
 *
 * The converted scan keeps its profile: the scanner's identity (make,
 * model, serial) and Doorlicht's description (the profile it names, the
 * air values) are written with it; a scan that names no scanner itself
 * gets the identity of the profile it was matched to, when that profile
 * gives a make and model (not patterns).  A scan whose profile goes by
 * neither (a folder, a choice remembered) is converted with a warning.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-cli-convert"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dl-cli.h"
#include "dl-dicos-write.h"
#include "dl-profile.h"
#include "dl-scan.h"

static gboolean
literal (const char *pattern)
{
  return pattern != NULL && pattern[0] != '\0' && strpbrk (pattern, "*?[") == NULL;
}

/* The identity of @scan's profile given to a scan that has none, so that
 * the converted scan is matched to the same profile. */
static void
keep_profile (DlScan     *scan,
              const char *path)
{
  DlProfileMatch how = DL_PROFILE_MATCH_NONE;
  DlProfile *p = dl_scan_choose_profile (scan, &how);
  gboolean has_identity;

  if (p == NULL || how == DL_PROFILE_MATCH_NAMED || how == DL_PROFILE_MATCH_SERIAL
      || how == DL_PROFILE_MATCH_MODEL)
    return;
  has_identity = dl_scan_get_metadata (scan, "make") != NULL || dl_scan_get_metadata (scan, "model") != NULL;

  /* a choice remembered for the scanner's identity goes with that identity */
  if (how == DL_PROFILE_MATCH_REMEMBERED && has_identity)
    return;
  if (!has_identity && literal (p->make) && literal (p->model))
    {
      dl_scan_set_metadata (scan, "make", p->make);
      dl_scan_set_metadata (scan, "model", p->model);
      if (literal (p->serial))
        dl_scan_set_metadata (scan, "serial", p->serial);
      return;
    }
  g_printerr (_("doorlicht-cli convert: warning: “%s” has the profile “%s” %s; the converted scan names no scanner that profile is for\n"),
              path, p->id, dl_profile_match_describe (how));
}

static gboolean
check_options (const char  *output,
               int          view,
               int          argc,
               GError     **error)
{
  if (argc != 2)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _("give exactly one FILE"));
  else if (output == NULL)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _("give the output file with -o"));
  else if (!g_str_has_suffix (output, ".dcs") && !g_str_has_suffix (output, ".dcm"))
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 _("the output is a DICOS image: name it .dcs (or .dcm)"));
  else if (view < 0)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("channel and view numbers start at 0"));
  else
    return TRUE;
  return FALSE;
}

int
dl_cli_convert (int    argc,
                char **argv)
{
  g_autofree char *output = NULL;
  g_autofree char *max_memory = NULL;
  int view = 0;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Output file, .dcs"), N_("OUT") },
    { "view", 0, 0, G_OPTION_ARG_INT, &view, N_("View to write (default 0)"), N_("N") },
    { "max-memory", 'm', 0, G_OPTION_ARG_STRING, &max_memory,
      N_("Refuse scans needing more sample memory than this (default 4G)"), N_("SIZE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE — write one view as a DICOS DX image"));
  g_autoptr(GError) error = NULL;
  g_autoptr(DlScan) scan = NULL;
  DlLoadOptions options = { 0 };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error)
      || !check_options (output, view, argc, &error)
      || !dl_cli_parse_size (max_memory, &options.max_memory, &error))
    {
      dl_cli_fail ("convert", error);
      return DL_CLI_EXIT_USAGE;
    }
  scan = dl_scan_load_file (argv[1], &options, NULL, NULL, NULL, &error);
  if (scan == NULL)
    return dl_cli_fail (argv[1], error);
  keep_profile (scan, argv[1]);
  if (!dl_dicos_write_dx (scan, (guint) view, output, &error))
    return dl_cli_fail (NULL, error);
  return 0;
}
