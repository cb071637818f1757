/* dl-site-add.c — a scan added to a site store as `case add` adds one to
 * a case file: the case (new or given), its scan, its manifest and bay
 * plan in one transaction, each row with its signed event; and a response
 * to a finding, as `case finding` records one (dl-site.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-site"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dl-site-private.h"

/* Inside the transaction: does the site hold the case @case_id? */
static gboolean
case_held (DlSite     *self,
           const char *case_id,
           GError    **error)
{
  const char *params[] = { case_id };
  g_autoptr(PGresult) res = dl_site_exec (self, "SELECT 1 FROM doorlicht.cases WHERE id = $1", 1, params, error);

  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    return g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_NOT_FOUND, _("There is no case “%s” at the site"),
                        case_id), FALSE;
  return TRUE;
}

/* The rows of dl_site_add_case (), in the caller's transaction. */
static gboolean
insert_all (DlSite           *self,
            const char       *case_id,
            const char       *title,
            const char       *path,
            GBytes           *bytes,
            const DlManifest *manifest,
            const DlBayPlan  *bay_plan,
            GError          **error)
{
  g_autofree char *scan_id = dl_case_new_id ('S'), *manifest_id = dl_case_new_id ('M');
  g_autofree char *plan_id = dl_case_new_id ('B');
  g_autofree char *manifest_json = manifest ? dl_manifest_to_json (manifest) : NULL;
  g_autofree char *plan_json = bay_plan ? dl_bay_plan_to_json (bay_plan) : NULL;

  return (title ? dl_site_insert_case (self, case_id, title, error) : case_held (self, case_id, error))
         && dl_site_insert_scan (self, scan_id, case_id, path, bytes, error)
         && (manifest_json == NULL
             || dl_site_insert_json (self, "manifests", "manifest", manifest_id, case_id, manifest_json, error))
         && (plan_json == NULL
             || dl_site_insert_json (self, "bay_plans", "bay-plan", plan_id, case_id, plan_json, error));
}

char *
dl_site_add_case (DlSite           *self,
                  const char       *case_id,
                  const char       *title,
                  const char       *path,
                  const DlManifest *manifest,
                  const DlBayPlan  *bay_plan,
                  GError          **error)
{
  g_autofree char *id = case_id ? g_strdup (case_id) : dl_case_new_id ('C');
  g_autofree char *absolute = NULL, *sha = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (DL_IS_SITE (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail ((case_id == NULL) != (title == NULL), NULL);

  if (!dl_site_need_identity (self, error))
    return NULL;
  /* the path kept is the one the case file keeps */
  absolute = g_canonicalize_filename (path, NULL);
  if ((sha = dl_case_sha256_file (absolute, NULL, &bytes, error)) == NULL || !dl_site_begin (self, error))
    return NULL;
  if (!dl_site_end (self, insert_all (self, id, title, absolute, bytes, manifest, bay_plan, error), error))
    return NULL;
  return g_steal_pointer (&id);
}

/* Inside the transaction: the case of the finding @finding_id. */
static char *
finding_case (DlSite     *self,
              const char *finding_id,
              GError    **error)
{
  const char *params[] = { finding_id };
  g_autoptr(PGresult) res = dl_site_exec (self, "SELECT case_id FROM doorlicht.findings WHERE id = $1", 1, params,
                                          error);

  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    return g_set_error (error, DL_SITE_ERROR, DL_SITE_ERROR_NOT_FOUND, _("There is no finding “%s”"), finding_id),
           NULL;
  return g_strdup (PQgetvalue (res, 0, 0));
}

gboolean
dl_site_respond_to_finding (DlSite            *self,
                            const char        *finding_id,
                            DlFindingResponse  response,
                            const char        *note,
                            GError           **error)
{
  static const char * const columns[] = { "id", "case_id", "finding_id", "response", "note", NULL };
  g_autofree char *id = dl_case_new_id ('P'), *case_id = NULL;
  gboolean ok;

  g_return_val_if_fail (DL_IS_SITE (self), FALSE);
  g_return_val_if_fail (finding_id != NULL, FALSE);

  if (response != DL_FINDING_RESPONSE_CONFIRMED && response != DL_FINDING_RESPONSE_DISMISSED)
    return g_set_error_literal (error, DL_SITE_ERROR, DL_SITE_ERROR_INVALID,
                                _("A response to a finding confirms or dismisses it")), FALSE;
  if (note && (strlen (note) > DL_CASE_MAX_TEXT || !g_utf8_validate (note, -1, NULL)))
    return g_set_error_literal (error, DL_SITE_ERROR, DL_SITE_ERROR_INVALID,
                                _("The note is not valid text of at most 4 MiB")), FALSE;
  if (!dl_site_need_identity (self, error) || !dl_site_begin (self, error))
    return FALSE;
  ok = (case_id = finding_case (self, finding_id, error)) != NULL;
  if (ok)
    {
      /* as the case file writes it: no note is an empty one */
      const char *values[] = { id, case_id, finding_id, dl_finding_response_to_string (response), note ? note : "" };

      ok = dl_site_insert_authored (self, "finding_responses", "finding-response", id, case_id, columns, values,
                                    error);
    }
  return dl_site_end (self, ok, error);
}

/* -- findings made on a working copy --------------------------------------------------- */

#define FINDING_COLUMNS \
  "id, case_id, scan_id, run_id, detector, detector_version, parameters, program_sha256, kind, score, view, " \
  "outline, explanation, figures"

/* Row @id of @copy's findings as text values (NULL where the column is). */
static gboolean
read_finding (DlCaseFile *copy,
              const char *id,
              char       *values[14],
              GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = dl_case_prepare (copy->db, "SELECT " FINDING_COLUMNS " FROM findings WHERE id = ?1",
                                                  error);

  if (stmt == NULL || !dl_case_bind_text (stmt, 1, id, error) || !dl_case_step_row (stmt, error))
    return FALSE;
  for (int i = 0; i < 14; i++)
    {
      char number[G_ASCII_DTOSTR_BUF_SIZE];

      if (sqlite3_column_type (stmt, i) == SQLITE_NULL)
        values[i] = NULL;
      else if (i == 9)   /* the score, exactly, whatever the locale */
        values[i] = g_strdup (g_ascii_dtostr (number, sizeof number, sqlite3_column_double (stmt, i)));
      else
        values[i] = g_strdup ((const char *) sqlite3_column_text (stmt, i));
    }
  return TRUE;
}

gboolean
dl_site_add_findings (DlSite             *self,
                      DlCaseFile         *copy,
                      const char * const *ids,
                      GError            **error)
{
  static const char * const columns[] = { "id", "case_id", "scan_id", "run_id", "detector", "detector_version",
                                          "parameters", "program_sha256", "kind", "score", "view", "outline",
                                          "explanation", "figures", NULL };
  gboolean ok = TRUE;

  g_return_val_if_fail (DL_IS_SITE (self), FALSE);
  g_return_val_if_fail (DL_IS_CASE_FILE (copy), FALSE);

  if (!dl_site_need_identity (self, error) || !dl_site_begin (self, error))
    return FALSE;
  for (guint i = 0; ok && ids && ids[i]; i++)
    {
      char *values[14] = { NULL };

      ok = read_finding (copy, ids[i], values, error)
           && dl_site_insert_authored (self, "findings", "finding", values[0], values[1], columns,
                                       (const char * const *) values, error);
      for (int k = 0; k < 14; k++)
        g_free (values[k]);
    }
  return dl_site_end (self, ok, error);
}
