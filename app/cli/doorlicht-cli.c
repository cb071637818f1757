/* doorlicht-cli.c — the command-line tool, a thin layer over libdoorlicht.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "doorlicht-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "dl-cli.h"
#include "dl-text.h"

typedef struct
{
  const char *name;
  int       (*run) (int, char **);
  const char *summary;
} Command;

static const Command commands[] = {
  { "info", dl_cli_info, N_("Print a scan's size, channels, pitch and statistics as JSON") },
  { "render", dl_cli_render, N_("Write the windowed 8-bit image of a scan as PNG or PGM") },
  { "convert", dl_cli_convert, N_("Write one view of a scan as a DICOS DX image (.dcs)") },
  { "synth", dl_cli_synth, N_("Generate synthetic cargo scans with ground truth") },
  { "calibrate", dl_cli_calibrate, N_("Fit the dual-energy material calibration from step wedges") },
  { "manifest", dl_cli_manifest, N_("Print a manifest (JSON, CSV or UN/EDIFACT CUSCAR) in the JSON form") },
  { "case", dl_cli_case, N_("Work on a case file: new, add, list, verdict, review, export, import, report, csv") },
  { "verify", dl_cli_verify, N_("Check a case file’s audit trail, rows, scan hashes and signatures") },
  { "check", dl_cli_check, N_("Print hints where a scan and its manifest disagree, as JSON") },
  { "bayplan", dl_cli_bayplan, N_("Print a bay plan (UN/EDIFACT BAPLIE) as read, in its JSON form") },
  { "detect", dl_cli_detect, N_("Run detectors over a scan and print their findings as JSON") },
  { "evaluate", dl_cli_evaluate, N_("Measure the detectors over a labelled set of generated scans") },
  { "profile", dl_cli_profile, N_("List the scanner profiles and show which one a scan gets") },
  { "site", dl_cli_site, N_("Set up a site store on PostgreSQL: init, grant, intake") },
};

/* Prints the error and returns the failure exit status. */
int
dl_cli_fail (const char *prefix,
             GError     *error)
{
  g_printerr ("doorlicht-cli: %s%s%s\n", prefix ? prefix : "", prefix ? ": " : "",
              error ? error->message : _("unknown error"));
  return DL_CLI_EXIT_FAILURE;
}

/* "4G", "512M", "100K" or a number of bytes; %NULL leaves @bytes alone. */
gboolean
dl_cli_parse_size (const char  *text,
                   guint64     *bytes,
                   GError     **error)
{
  guint64 value, unit = 1;
  char *end = NULL;

  if (text == NULL)
    return TRUE;

  value = g_ascii_strtoull (text, &end, 10);
  switch (g_ascii_toupper (*end))
    {
    case 'K': unit = G_GUINT64_CONSTANT (1) << 10; end++; break;
    case 'M': unit = G_GUINT64_CONSTANT (1) << 20; end++; break;
    case 'G': unit = G_GUINT64_CONSTANT (1) << 30; end++; break;
    default: break;
    }
  if (end == text || *end != '\0' || value == 0 || value > G_MAXUINT64 / unit)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a size (such as 512M or 4G)"), text);
      return FALSE;
    }
  *bytes = value * unit;
  return TRUE;
}

static void
print_usage (FILE *fp)
{
  fprintf (fp, "%s\n\n%s\n", _("Usage: doorlicht-cli COMMAND [OPTION…]"), _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (fp, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (fp, "\n%s\n", _("Run “doorlicht-cli COMMAND --help” for a command’s options."));
}

/* What the tool prints quotes files (titles, names, messages about them),
 * signed or not: no control or bidirectional character reaches the
 * terminal raw, where it could move the cursor, set the title or clear the
 * screen.  Line breaks, tabs (the TSV listings) and backslashes (JSON's
 * own escapes) stay. */
static void
print_escaped (FILE       *fp,
               const char *text)
{
  g_autofree char *safe = dl_text_escape_terminal (text, DL_TEXT_KEEP_NEWLINES | DL_TEXT_KEEP_TABS
                                                         | DL_TEXT_KEEP_BACKSLASHES);

  fputs (safe, fp);
  fflush (fp);
}

static void
on_print (const char *text)
{
  print_escaped (stdout, text);
}

static void
on_printerr (const char *text)
{
  print_escaped (stderr, text);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  /* DOORLICHT_LOCALEDIR: translations of an uninstalled build (<build>/po) */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("DOORLICHT_LOCALEDIR") ? g_getenv ("DOORLICHT_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_print_handler (on_print);
  g_set_printerr_handler (on_printerr);

  if (argc < 2)
    {
      print_usage (stderr);
      return DL_CLI_EXIT_USAGE;
    }

  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      print_usage (stdout);
      return 0;
    }

  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("doorlicht-cli %s\n", PACKAGE_VERSION);
      return 0;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  g_printerr (_("doorlicht-cli: unknown command “%s”\n"), argv[1]);
  print_usage (stderr);
  return DL_CLI_EXIT_USAGE;
}
