/* dl-cli-case.c — `doorlicht-cli case …`: the subcommands' dispatch and
 * what they share (options, a case file opened to write and closed, times),
 * and those of a case file alone: `case new`, `recover`, `thumbnails`;
 * also `doorlicht-cli verify CASEFILE|URI`.  The others are in
 * dl-cli-case-record.c (add, verdict, review), dl-cli-case-exchange.c
 * (list, export, import, csv, report), dl-cli-detect.c (detect, findings,
 * finding) and dl-cli-site.c (claim).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-cli-case"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "dl-case-file.h"
#include "dl-cli.h"
#include "dl-histogram.h"
#include "dl-scan.h"
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

char *
dl_cli_iso_time (gint64 t)
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
  { "add", dl_cli_case_add, N_("Add a scan (and its manifest) as a new case"), TRUE },
  { "list", dl_cli_case_list, N_("List the cases, with filters and search"), TRUE },
  { "recover", case_recover, N_("Make a file a stopped program left mid-write readable again") },
  { "verdict", dl_cli_case_verdict, N_("Record a verdict: clear, inspect, seize or rescan"), TRUE },
  { "review", dl_cli_case_review, N_("Approve or return another analyst’s verdict"), TRUE },
  { "export", dl_cli_case_export, N_("Export cases to a new signed case file"), TRUE },
  { "import", dl_cli_case_import, N_("Merge a signed export"), TRUE },
  { "report", dl_cli_case_report, N_("Write a case’s PDF report"), TRUE },
  { "csv", dl_cli_case_csv, N_("Write the verdict list as CSV"), TRUE },
  { "thumbnails", case_thumbnails, N_("Make the missing thumbnails of the queue") },
  { "detect", dl_cli_case_detect, N_("Run the built-in detectors on a case’s scan and store the findings"), TRUE },
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
      g_autofree char *when = dl_cli_iso_time (report->export_time);

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
