/* dl-case-profile-choice.c — a supervisor's choice of scanner profile for
 * a case's scan: an audited event ("profile-choice") and nothing else, no
 * row of its own: the signed, chained event is the record, so the case
 * says which profile its classes and weights used and who chose it, and
 * dl_case_file_verify () catches an event changed or removed. The latest
 * choice of a scan counts.
 *
 * Who is a supervisor: the case file knows no roles, only the four-eyes
 * rule of reviews (dl-case-file.c may_review ()): the one who may review
 * the case's latest verdict, recorded by someone else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-case-profile-choice"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "dl-case-private.h"
#include "dl-identity.h"

#define KIND "profile-choice"
#define MAX_NAME 1024

void
dl_profile_choice_free (DlProfileChoice *self)
{
  if (self == NULL)
    return;
  g_free (self->event_id);
  g_free (self->scan_id);
  g_free (self->profile_id);
  g_free (self->profile_name);
  g_free (self->author.login);
  g_free (self->author.name);
  g_free (self->author.fingerprint);
  g_free (self);
}

static gboolean
invalid_text (const char *text)
{
  return text == NULL || *text == '\0' || strlen (text) > MAX_NAME || !g_utf8_validate (text, -1, NULL);
}

/* Only a supervisor: the case has a verdict, and someone else recorded it. */
static gboolean
may_choose (DlCaseFile *self,
            const char *case_id,
            GError    **error)
{
  DlIdentity *me = dl_case_file_get_identity (self);
  g_autoptr(DlVerdict) verdict = NULL;
  g_autoptr(GError) local = NULL;

  verdict = dl_case_file_get_verdict (self, case_id, &local);
  if (local)
    return g_propagate_error (error, g_steal_pointer (&local)), FALSE;
  if (verdict == NULL || me == NULL
      || g_strcmp0 (verdict->author.fingerprint, dl_identity_get_fingerprint (me)) == 0
      || g_strcmp0 (verdict->author.login, dl_identity_get_login (me)) == 0)
    {
      g_set_error_literal (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FOUR_EYES,
                           _("Only a supervisor chooses another scanner profile for a case’s scan: the one who "
                             "reviews its verdict, recorded by someone else"));
      return FALSE;
    }
  return TRUE;
}

static char *
choice_payload (const char *scan_id,
                const char *profile_id,
                const char *profile_name)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "scan_id");
  json_builder_add_string_value (b, scan_id);
  json_builder_set_member_name (b, "profile");
  json_builder_add_string_value (b, profile_id);
  json_builder_set_member_name (b, "profile_name");
  json_builder_add_string_value (b, profile_name);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

gboolean
dl_case_file_choose_profile (DlCaseFile  *self,
                             const char  *scan_id,
                             const char  *profile_id,
                             const char  *profile_name,
                             GError     **error)
{
  g_autofree char *case_id = NULL, *payload = NULL;
  gboolean ok;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), FALSE);

  if (invalid_text (profile_id) || invalid_text (profile_name))
    {
      g_set_error_literal (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID,
                           _("A scanner profile is chosen by its id and name, each text of 1 to 1024 bytes"));
      return FALSE;
    }
  if (!dl_case_writable (self, error)
      || (case_id = dl_case_row_case (self, "scans", scan_id, error)) == NULL
      || !dl_case_change_begin (self, error))
    return FALSE;
  /* under the write lock: the verdict read is the one the choice is made on */
  payload = choice_payload (scan_id, profile_id, profile_name);
  ok = may_choose (self, case_id, error) && dl_case_record (self, KIND, case_id, payload, error);
  if (ok)
    dl_case_change_note (self, case_id);
  return dl_case_change_end (self, ok, error);
}

/* The choice an event's payload holds, when it is one of @scan_id. */
static DlProfileChoice *
read_choice (sqlite3_stmt *stmt,
             const char   *scan_id)
{
  g_autoptr(JsonObject) payload = dl_case_parse_object (dl_case_column_text (stmt, 1));
  const char *scan, *id, *name;
  DlProfileChoice *c;

  if (payload == NULL)
    return NULL;
  scan = json_object_get_string_member_with_default (payload, "scan_id", NULL);
  id = json_object_get_string_member_with_default (payload, "profile", NULL);
  name = json_object_get_string_member_with_default (payload, "profile_name", NULL);
  if (g_strcmp0 (scan, scan_id) != 0 || id == NULL || name == NULL)
    return NULL;
  c = g_new0 (DlProfileChoice, 1);
  c->event_id = g_strdup (dl_case_column_text (stmt, 0));
  c->scan_id = g_strdup (scan);
  c->profile_id = g_strdup (id);
  c->profile_name = g_strdup (name);
  c->created = sqlite3_column_int64 (stmt, 2);
  dl_case_author_read (&c->author, stmt, 3);
  return c;
}

DlProfileChoice *
dl_case_file_get_profile_choice (DlCaseFile  *self,
                                 const char  *scan_id,
                                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *case_id = NULL;
  int rc;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);

  if (self->db == NULL)
    {
      g_set_error_literal (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FAILED, _("The case file is closed"));
      return NULL;
    }
  if ((case_id = dl_case_row_case (self, "scans", scan_id, error)) == NULL)
    return NULL;
  stmt = dl_case_prepare (self->db, "SELECT id, payload, time, author_login, author_name, author_key FROM events "
                                    "WHERE case_id = ?1 AND kind = '" KIND "' ORDER BY seq DESC", error);
  if (stmt == NULL || !dl_case_bind_text (stmt, 1, case_id, error))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DlProfileChoice *c = read_choice (stmt, scan_id);

      if (c)
        return c;
    }
  dl_case_step_end (stmt, rc, error);
  return NULL;
}
