/* dl-cli-case-site.c — the case subcommands and verify given a site store.
 *
 * A postgresql:// or postgres:// URI in place of a case file path names a
 * site store (dl-site.h).  `case add`, `list`, `claim`, `verdict`,
 * `review`, `export`, `import`, `csv`, `report`, `findings`, `finding` and
 * `verify` work on one;
 * the subcommands that do not yet refuse it clearly here,
 * naming the target without its password, rather than taking the URI for
 * a file name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include <glib/gi18n.h>
#include <string.h>

#include "dl-cli.h"
#include "dl-identity.h"
#include "dl-site-export.h"
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
  if (g_str_equal (command, "case new"))
    g_printerr (_("doorlicht-cli %s: a site store is made with “doorlicht-cli site init URI” (%s)\n"), command,
                target ? target : _("a site store"));
  else if (g_str_equal (command, "case recover"))
    g_printerr (_("doorlicht-cli %s: a site store needs no recovery: PostgreSQL recovers its own writes after a "
                  "crash (%s)\n"), command, target ? target : _("a site store"));
  else if (g_str_equal (command, "case thumbnails"))
    g_printerr (_("doorlicht-cli %s: a site store keeps no thumbnails; its images stay at the site (%s)\n"),
                command, target ? target : _("a site store"));
  else
    g_printerr (_("doorlicht-cli %s: not on a site store (%s); give a case file path\n"),
                command, target ? target : _("a site store"));
  return TRUE;
}

/* The site store at @uri, signing with the workstation's identity. */
static DlSite *
open_signing (const char  *uri,
              const char  *name,
              GError     **error)
{
  g_autoptr(DlIdentity) identity = dl_identity_load_default (name, error);
  g_autoptr(DlSite) site = NULL;

  if (identity == NULL || (site = dl_site_open (uri, error)) == NULL)
    return NULL;
  dl_site_set_identity (site, identity);
  return g_steal_pointer (&site);
}

int
dl_cli_site_verdict (const char         *uri,
                     const char         *case_id,
                     const char         *decision,
                     const char * const *reasons,
                     const char         *text,
                     const char         *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSite) site = open_signing (uri, name, &error);
  g_autofree char *id = NULL;

  if (site == NULL || (id = dl_site_add_verdict (site, case_id, decision, reasons, text, &error)) == NULL)
    return dl_cli_fail ("case verdict", error);   /* the library names the target, never the password */
  g_print ("%s\n", id);
  return 0;
}

/* @dir and the files in it (a working copy and SQLite's beside it). */
static void
remove_folder (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

/* The case exported into a working copy in a private folder, the
 * detectors run on it, their findings added to the site; the folder goes. */
int
dl_cli_site_detect (const char *uri,
                    const char *case_id,
                    const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSite) site = open_signing (uri, name, &error);
  g_autofree char *dir = NULL, *path = NULL, *target = dl_site_describe_target (uri);
  g_autoptr(DlCaseFile) copy = NULL;
  g_auto(GStrv) ids = NULL;
  const char *cases[] = { case_id, NULL };
  int status;

  if (site == NULL || (dir = g_dir_make_tmp ("doorlicht-detect-XXXXXX", &error)) == NULL)
    return dl_cli_fail ("case detect", error);
  path = g_build_filename (dir, "case.dlcase", NULL);
  if (!dl_site_export (site, cases, path, &error) || (copy = dl_cli_open_writable (path, name, &error)) == NULL)
    status = dl_cli_fail ("case detect", error);
  else
    status = dl_cli_detect_and_store (copy, case_id, target, &ids);
  if (ids && !dl_site_add_findings (site, copy, (const char * const *) ids, &error))
    status = dl_cli_fail ("case detect", error);
  else if (ids)
    dl_cli_print_stored_findings (ids);
  if (copy)
    dl_case_file_close (copy, NULL);
  remove_folder (dir);
  return status;
}

int
dl_cli_site_review (const char *uri,
                    const char *case_id,
                    const char *decision,
                    const char *comment,
                    const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSite) site = open_signing (uri, name, &error);
  g_autofree char *id = NULL;

  if (site == NULL || (id = dl_site_add_review (site, case_id, decision, comment, &error)) == NULL)
    return dl_cli_fail ("case review", error);
  g_print ("%s\n", id);
  return 0;
}

int
dl_cli_site_export (const char         *uri,
                    const char * const *case_ids,
                    const char         *output,
                    const char         *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSite) site = open_signing (uri, name, &error);

  if (site == NULL || !dl_site_export (site, case_ids, output, &error))
    return dl_cli_fail ("case export", error);
  return 0;
}

int
dl_cli_site_import (const char *uri,
                    const char *path,
                    const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSite) site = open_signing (uri, name, &error);
  guint n = 0;

  if (site == NULL || !dl_site_import (site, path, &n, &error))
    return dl_cli_fail ("case import", error);
  g_print (_("Events imported: %u\n"), n);
  return 0;
}

int
dl_cli_site_add (const char *uri,
                 const char *case_id,
                 const char *title,
                 const char *scan,
                 DlManifest *manifest,
                 DlBayPlan  *bay_plan,
                 const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSite) site = open_signing (uri, name, &error);
  g_autofree char *id = NULL;

  if (site == NULL || (id = dl_site_add_case (site, case_id, title, scan, manifest, bay_plan, &error)) == NULL)
    return dl_cli_fail ("case add", error);
  g_print ("%s\n", id);
  return 0;
}

int
dl_cli_site_csv (const char *uri,
                 const char *output)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSite) site = dl_site_open (uri, &error);

  if (site == NULL || !dl_site_write_csv (site, output, &error))
    return dl_cli_fail ("case csv", error);
  return 0;
}

int
dl_cli_site_report (const char *uri,
                    const char *case_id,
                    const char *output)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSite) site = dl_site_open (uri, &error);

  if (site == NULL || !dl_site_write_report (site, case_id, output, &error))
    return dl_cli_fail ("case report", error);
  return 0;
}

GPtrArray *
dl_cli_site_list_cases (const char        *uri,
                        const DlCaseQuery *query,
                        GError           **error)
{
  g_autoptr(DlSite) site = dl_site_open (uri, error);

  return site ? dl_site_list_cases (site, query, error) : NULL;
}

DlVerifyReport *
dl_cli_site_verify (const char *uri,
                    GError    **error)
{
  g_autoptr(DlSite) site = dl_site_open (uri, error);

  return site ? dl_site_verify (site, error) : NULL;
}

GPtrArray *
dl_cli_site_findings (const char *uri,
                      const char *case_id,
                      GError    **error)
{
  g_autoptr(DlSite) site = dl_site_open (uri, error);

  return site ? dl_site_get_findings (site, case_id, error) : NULL;
}

int
dl_cli_site_finding (const char *uri,
                     const char *finding_id,
                     gboolean    confirm,
                     const char *note,
                     const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSite) site = open_signing (uri, name, &error);
  DlFindingResponse response = confirm ? DL_FINDING_RESPONSE_CONFIRMED : DL_FINDING_RESPONSE_DISMISSED;

  if (site == NULL || !dl_site_respond_to_finding (site, finding_id, response, note, &error))
    return dl_cli_fail ("case finding", error);
  return 0;
}

char *
dl_cli_site_label (const char *uri)
{
  char *target = dl_site_describe_target (uri);

  return target ? target : g_strdup (_("a site store"));
}
