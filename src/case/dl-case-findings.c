/* dl-case-findings.c — detectors' findings in the case file and the
 * analysts' responses to them (schema version 6: the tables findings and
 * finding_responses, audited rows like the hints).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-case-findings"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "dl-case-private.h"
#include "dl-identity.h"
#include "dl-json-check.h"

const char *
dl_finding_response_to_string (DlFindingResponse response)
{
  switch (response)
    {
    case DL_FINDING_RESPONSE_CONFIRMED: return "confirmed";
    case DL_FINDING_RESPONSE_DISMISSED: return "dismissed";
    case DL_FINDING_RESPONSE_NONE:
    default: return NULL;
    }
}

DlFindingResponse
dl_finding_response_from_string (const char *text)
{
  if (g_strcmp0 (text, "confirmed") == 0)
    return DL_FINDING_RESPONSE_CONFIRMED;
  if (g_strcmp0 (text, "dismissed") == 0)
    return DL_FINDING_RESPONSE_DISMISSED;
  return DL_FINDING_RESPONSE_NONE;
}

static void
author_clear (DlAuthor *a)
{
  g_free (a->login);
  g_free (a->name);
  g_free (a->fingerprint);
}

void
dl_case_finding_free (DlCaseFinding *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->case_id);
  g_free (self->scan_id);
  g_free (self->run_id);
  author_clear (&self->author);
  g_clear_pointer (&self->finding, dl_finding_free);
  g_free (self->response_note);
  author_clear (&self->response_author);
  g_free (self);
}

gboolean
dl_case_writable (DlCaseFile *self,
                  GError    **error)
{
  if (self->db == NULL)
    {
      g_set_error_literal (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FAILED, _("The case file is closed"));
      return FALSE;
    }
  if (self->read_only)
    {
      g_set_error_literal (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_READ_ONLY,
                           _("The case file is open read-only; import it to work on it"));
      return FALSE;
    }
  return dl_case_file_wait_checked (self, error);
}

/* The case of the row @id of @table ("scans" or "findings"), or NULL
 * with @error. */
char *
dl_case_row_case (DlCaseFile *self,
                  const char *table,
                  const char *id,
                  GError    **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT case_id FROM %s WHERE id = ?1", table);
  g_autoptr(sqlite3_stmt) stmt = dl_case_prepare (self->db, sql, error);
  int rc;

  if (stmt == NULL || !dl_case_bind_text (stmt, 1, id, error))
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_strdup (dl_case_column_text (stmt, 0));
  if (!dl_case_step_end (stmt, rc, error))
    return NULL;
  if (strcmp (table, "scans") == 0)
    g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_NOT_FOUND, _("There is no scan “%s”"), id ? id : "");
  else
    g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_NOT_FOUND, _("There is no finding “%s”"),
                 id ? id : "");
  return NULL;
}

static char *
outline_text (const DlFinding *f)
{
  g_autoptr(JsonNode) node = dl_finding_to_json_node (f);
  JsonNode *outline = json_object_get_member (json_node_get_object (node), "outline");
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  if (f->outline == NULL)
    return NULL;
  json_generator_set_root (gen, outline);
  return json_generator_to_data (gen, NULL);
}

static gboolean
check_finding (const DlFinding *f,
               GError         **error)
{
  if (f->detector == NULL || f->detector_version == NULL || !(f->score >= 0 && f->score <= 1)
      || strlen (f->explanation) > DL_CASE_MAX_SHORT * 4 || strlen (f->kind) > DL_CASE_MAX_SHORT
      || !g_utf8_validate (f->explanation, -1, NULL) || !g_utf8_validate (f->kind, -1, NULL))
    {
      g_set_error_literal (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID,
                           _("A finding without its detector, with a score outside 0 … 1 or with overlong text "
                             "is not stored"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
insert_finding (DlCaseFile      *self,
                const char      *case_id,
                const char      *scan_id,
                const char      *run_id,
                const DlFinding *f,
                char           **id_out,
                GError         **error)
{
  g_autofree char *id = dl_case_new_id ('F');
  g_autofree char *parameters = dl_json_object_to_string (f->parameters);
  g_autofree char *figures = dl_json_object_to_string (f->figures);
  g_autofree char *outline = outline_text (f);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!check_finding (f, error))
    return FALSE;
  stmt = dl_case_prepare (self->db,
                          "INSERT INTO findings (id, case_id, scan_id, run_id, detector, detector_version, parameters, "
                          "program_sha256, kind, score, view, outline, explanation, figures, created, author_login, "
                          "author_name, author_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                          "?14, ?15, ?16, ?17, ?18)", error);
  if (stmt == NULL
      || !dl_case_bind_text (stmt, 1, id, error) || !dl_case_bind_text (stmt, 2, case_id, error)
      || !dl_case_bind_text (stmt, 3, scan_id, error) || !dl_case_bind_text (stmt, 4, run_id, error)
      || !dl_case_bind_text (stmt, 5, f->detector, error) || !dl_case_bind_text (stmt, 6, f->detector_version, error)
      || !dl_case_bind_text (stmt, 7, parameters, error) || !dl_case_bind_text (stmt, 8, f->program_sha256, error)
      || !dl_case_bind_text (stmt, 9, f->kind, error))
    return FALSE;
  if (sqlite3_bind_double (stmt, 10, f->score) != SQLITE_OK)
    return dl_case_sql_fail (self->db, error);
  if (!dl_case_bind_int64 (stmt, 11, f->view, error) || !dl_case_bind_text (stmt, 12, outline, error)
      || !dl_case_bind_text (stmt, 13, f->explanation, error) || !dl_case_bind_text (stmt, 14, figures, error)
      || !dl_case_bind_int64 (stmt, 15, g_get_real_time () / G_USEC_PER_SEC, error)
      || !dl_case_bind_text (stmt, 16, dl_identity_get_login (self->identity), error)
      || !dl_case_bind_text (stmt, 17, dl_identity_get_display_name (self->identity), error)
      || !dl_case_bind_text (stmt, 18, dl_identity_get_public_key (self->identity), error)
      || !dl_case_step_done (stmt, error)
      || !dl_case_record_row (self, "finding", case_id, "findings", id, error))
    return FALSE;
  *id_out = g_steal_pointer (&id);
  return TRUE;
}

GStrv
dl_case_file_add_findings (DlCaseFile *self,
                           const char *scan_id,
                           GPtrArray  *findings,
                           GError    **error)
{
  g_autofree char *case_id = NULL;
  g_autofree char *run_id = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);
  g_return_val_if_fail (findings != NULL, NULL);

  if (!dl_case_writable (self, error)
      || (case_id = dl_case_row_case (self, "scans", scan_id, error)) == NULL
      || !dl_case_change_begin (self, error))
    return NULL;
  run_id = dl_case_new_id ('R');
  for (guint i = 0; i < findings->len; i++)
    {
      char *id = NULL;

      if (!insert_finding (self, case_id, scan_id, run_id, g_ptr_array_index (findings, i), &id, error))
        {
          dl_case_change_abort (self);
          return NULL;
        }
      g_ptr_array_add (ids, id);
    }
  if (findings->len > 0)
    dl_case_change_note (self, case_id);
  if (!dl_case_change_end (self, TRUE, error))
    return NULL;
  g_ptr_array_add (ids, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
}

gboolean
dl_case_file_respond_to_finding (DlCaseFile        *self,
                                 const char        *finding_id,
                                 DlFindingResponse  response,
                                 const char        *note,
                                 GError           **error)
{
  g_autofree char *case_id = NULL;
  g_autofree char *id = dl_case_new_id ('P');
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), FALSE);

  if (response != DL_FINDING_RESPONSE_CONFIRMED && response != DL_FINDING_RESPONSE_DISMISSED)
    {
      g_set_error_literal (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID,
                           _("A response to a finding confirms or dismisses it"));
      return FALSE;
    }
  if (note && (strlen (note) > DL_CASE_MAX_TEXT || !g_utf8_validate (note, -1, NULL)))
    {
      g_set_error_literal (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID,
                           _("The note is not valid text of at most 4 MiB"));
      return FALSE;
    }
  if (!dl_case_writable (self, error)
      || (case_id = dl_case_row_case (self, "findings", finding_id, error)) == NULL
      || !dl_case_change_begin (self, error))
    return FALSE;
  stmt = dl_case_prepare (self->db,
                          "INSERT INTO finding_responses (id, case_id, finding_id, response, note, created, "
                          "author_login, author_name, author_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error);
  ok = stmt != NULL
       && dl_case_bind_text (stmt, 1, id, error) && dl_case_bind_text (stmt, 2, case_id, error)
       && dl_case_bind_text (stmt, 3, finding_id, error)
       && dl_case_bind_text (stmt, 4, dl_finding_response_to_string (response), error)
       && dl_case_bind_text (stmt, 5, note ? note : "", error)
       && dl_case_bind_int64 (stmt, 6, g_get_real_time () / G_USEC_PER_SEC, error)
       && dl_case_bind_text (stmt, 7, dl_identity_get_login (self->identity), error)
       && dl_case_bind_text (stmt, 8, dl_identity_get_display_name (self->identity), error)
       && dl_case_bind_text (stmt, 9, dl_identity_get_public_key (self->identity), error)
       && dl_case_step_done (stmt, error)
       && dl_case_record_row (self, "finding-response", case_id, "finding_responses", id, error);
  if (ok)
    dl_case_change_note (self, case_id);
  return dl_case_change_end (self, ok, error);
}

/* ---- reading -------------------------------------------------------------------- */

#define FINDINGS_SQL \
  "SELECT f.id, f.case_id, f.scan_id, f.run_id, f.created, f.author_login, f.author_name, f.author_key, " \
  "       f.detector, f.detector_version, f.parameters, f.program_sha256, f.kind, f.score, f.view, " \
  "       f.outline, f.explanation, f.figures, " \
  "       r.response, r.note, r.created, r.author_login, r.author_name, r.author_key " \
  "FROM findings f " \
  "LEFT JOIN finding_responses r ON r.id = (SELECT x.id FROM finding_responses x WHERE x.finding_id = f.id " \
  "                                          ORDER BY x.created DESC, x.rowid DESC LIMIT 1) " \
  "WHERE f.case_id = ?1 ORDER BY f.created, f.rowid"

/* The stored outline, a JSON list, or NULL with @error. */
static JsonNode *
parse_outline (const char *text,
               const char *where,
               GError    **error)
{
  g_autoptr(GError) local = NULL;
  JsonNode *node;

  if (dl_json_refused (text, -1) || (node = json_from_string (text, &local)) == NULL)
    {
      g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID, _("%s: the outline is not JSON"), where);
      return NULL;
    }
  return node;
}

/* The stored finding as its JSON form, read back as any other: what the
 * reader refuses is refused here too. */
static DlFinding *
read_finding (sqlite3_stmt *stmt,
              const char   *id,
              GError      **error)
{
  g_autofree char *where = g_strdup_printf (_("Stored finding %s"), id);
  g_autoptr(JsonObject) o = json_object_new ();
  g_autoptr(JsonObject) d = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *parameters = NULL, *figures = NULL;
  JsonNode *outline = NULL;

  if ((parameters = dl_json_object_parse (dl_case_column_text (stmt, 10), where, error)) == NULL
      || (figures = dl_json_object_parse (dl_case_column_text (stmt, 17), where, error)) == NULL
      || (sqlite3_column_type (stmt, 15) != SQLITE_NULL
          && (outline = parse_outline (dl_case_column_text (stmt, 15), where, error)) == NULL))
    {
      g_clear_pointer (&parameters, json_object_unref);
      g_clear_pointer (&figures, json_object_unref);
      return NULL;
    }
  json_object_set_string_member (o, "kind", dl_case_column_text (stmt, 12));
  json_object_set_int_member (o, "view", sqlite3_column_int64 (stmt, 14));
  json_object_set_member (o, "outline", outline ? outline : json_node_new (JSON_NODE_NULL));
  json_object_set_double_member (o, "score", sqlite3_column_double (stmt, 13));
  json_object_set_string_member (o, "explanation", dl_case_column_text (stmt, 16));
  json_object_set_object_member (o, "figures", figures);
  json_object_set_string_member (d, "name", dl_case_column_text (stmt, 8));
  json_object_set_string_member (d, "version", dl_case_column_text (stmt, 9));
  json_object_set_object_member (d, "parameters", parameters);
  if (sqlite3_column_type (stmt, 11) == SQLITE_NULL)
    json_object_set_null_member (d, "sha256");
  else
    json_object_set_string_member (d, "sha256", dl_case_column_text (stmt, 11));
  json_object_set_object_member (o, "detector", json_object_ref (d));
  json_node_set_object (node, o);
  return dl_finding_from_json_node (node, where, error);
}

static DlCaseFinding *
read_row (sqlite3_stmt *stmt,
          GError      **error)
{
  g_autoptr(DlCaseFinding) c = g_new0 (DlCaseFinding, 1);

  c->id = g_strdup (dl_case_column_text (stmt, 0));
  c->case_id = g_strdup (dl_case_column_text (stmt, 1));
  c->scan_id = g_strdup (dl_case_column_text (stmt, 2));
  c->run_id = g_strdup (dl_case_column_text (stmt, 3));
  c->created = sqlite3_column_int64 (stmt, 4);
  dl_case_author_read (&c->author, stmt, 5);
  if ((c->finding = read_finding (stmt, c->id, error)) == NULL)
    return NULL;
  if (sqlite3_column_type (stmt, 18) != SQLITE_NULL)
    {
      c->response = dl_finding_response_from_string (dl_case_column_text (stmt, 18));
      c->response_note = g_strdup (dl_case_column_text (stmt, 19));
      c->response_time = sqlite3_column_int64 (stmt, 20);
      dl_case_author_read (&c->response_author, stmt, 21);
    }
  return g_steal_pointer (&c);
}

GPtrArray *
dl_case_file_get_findings (DlCaseFile *self,
                           const char *case_id,
                           GError    **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_case_finding_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);

  if (self->db == NULL)
    {
      g_set_error_literal (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FAILED, _("The case file is closed"));
      return NULL;
    }
  /* a file of version 5 or before, read as it is, has no findings */
  if (self->opened_version < 6 && self->read_only)
    return g_steal_pointer (&out);
  stmt = dl_case_prepare (self->db, FINDINGS_SQL, error);
  if (stmt == NULL || !dl_case_bind_text (stmt, 1, case_id, error))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DlCaseFinding *c = read_row (stmt, error);

      if (c == NULL)
        return NULL;
      g_ptr_array_add (out, c);
    }
  if (!dl_case_step_end (stmt, rc, error))
    return NULL;
  return g_steal_pointer (&out);
}
