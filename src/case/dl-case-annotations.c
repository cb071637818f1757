/* dl-case-annotations.c — the analyst's marks in the case file: one row per
 * mark (geometry as JSON, label, author, time), added and removed but never
 * changed in place, each change an audit event.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-case-annotations"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "dl-case-private.h"
#include "dl-json-check.h"

/* {"kind":…,"view":…,"points":[[x,y],…]} */
static char *
geometry_json (const DlAnnotation *a)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, dl_annotation_kind_to_id (a->kind));
  json_builder_set_member_name (b, "view");
  json_builder_add_int_value (b, a->view);
  json_builder_set_member_name (b, "points");
  json_builder_begin_array (b);
  for (guint k = 0; k < a->points->len; k++)
    {
      const DlPoint *p = &g_array_index (a->points, DlPoint, k);

      json_builder_begin_array (b);
      json_builder_add_double_value (b, p->x);
      json_builder_add_double_value (b, p->y);
      json_builder_end_array (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static char *
scan_case (DlCaseFile *self,
           const char *scan_id,
           GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = dl_case_prepare (self->db, "SELECT case_id FROM scans WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  if (!dl_case_bind_text (stmt, 1, scan_id, error))
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_strdup (dl_case_column_text (stmt, 0));
  if (!dl_case_step_end (stmt, rc, error))
    return NULL;
  g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_NOT_FOUND, _("There is no scan “%s”"),
               scan_id ? scan_id : "");
  return NULL;
}

/* Stored marks of the scan: "geometry\nlabel" → row id. */
static GHashTable *
stored_marks (DlCaseFile *self,
              const char *scan_id,
              GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GHashTable *marks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  int rc;

  stmt = dl_case_prepare (self->db, "SELECT id, geometry, label FROM annotations WHERE scan_id = ?1 "
                                    "ORDER BY rowid", error);
  if (stmt == NULL || !dl_case_bind_text (stmt, 1, scan_id, error))
    return g_hash_table_unref (marks), NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (marks, g_strdup_printf ("%s\n%s", dl_case_column_text (stmt, 1),
                                                 dl_case_column_text (stmt, 2)),
                         g_strdup (dl_case_column_text (stmt, 0)));
  /* a read that stopped early is not the whole list: marks would be added twice */
  if (!dl_case_step_end (stmt, rc, error))
    return g_hash_table_unref (marks), NULL;
  return marks;
}

static gboolean
add_mark (DlCaseFile         *self,
          const char         *case_id,
          const char         *scan_id,
          const DlAnnotation *a,
          GError            **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *id = dl_case_new_id ('A');
  g_autofree char *geometry = geometry_json (a);

  stmt = dl_case_prepare (self->db, "INSERT INTO annotations (id, case_id, scan_id, geometry, label, created, "
                                    "author_login, author_name, author_key) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error);
  if (stmt == NULL
      || !dl_case_bind_text (stmt, 1, id, error)
      || !dl_case_bind_text (stmt, 2, case_id, error)
      || !dl_case_bind_text (stmt, 3, scan_id, error)
      || !dl_case_bind_text (stmt, 4, geometry, error)
      || !dl_case_bind_text (stmt, 5, a->label ? a->label : "", error)
      || !dl_case_bind_int64 (stmt, 6, g_get_real_time () / G_USEC_PER_SEC, error)
      || !dl_case_bind_text (stmt, 7, dl_identity_get_login (self->identity), error)
      || !dl_case_bind_text (stmt, 8, dl_identity_get_display_name (self->identity), error)
      || !dl_case_bind_text (stmt, 9, dl_identity_get_public_key (self->identity), error)
      || !dl_case_step_done (stmt, error))
    return FALSE;
  return dl_case_record_row (self, "annotation", case_id, "annotations", id, error);
}

static gboolean
remove_mark (DlCaseFile *self,
             const char *case_id,
             const char *id,
             GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = dl_case_prepare (self->db, "DELETE FROM annotations WHERE id = ?1", error);
  g_autofree char *payload = NULL;

  if (stmt == NULL || !dl_case_bind_text (stmt, 1, id, error) || !dl_case_step_done (stmt, error))
    return FALSE;
  payload = g_strdup_printf ("{\"table\":\"annotations\",\"removed\":\"%s\"}", id);
  return dl_case_record (self, "annotation-removed", case_id, payload, error);
}

static gboolean
sync_marks (DlCaseFile    *self,
            const char    *case_id,
            const char    *scan_id,
            DlAnnotations *annotations,
            guint         *n_changes,
            GError       **error)
{
  g_autoptr(GHashTable) stored = stored_marks (self, scan_id, error);
  GHashTableIter iter;
  gpointer key, value;

  if (stored == NULL)
    return FALSE;
  for (guint i = 0; annotations && i < dl_annotations_get_n (annotations); i++)
    {
      const DlAnnotation *a = dl_annotations_get (annotations, i);
      g_autofree char *geometry = geometry_json (a);
      g_autofree char *mark = g_strdup_printf ("%s\n%s", geometry, a->label ? a->label : "");

      if (g_hash_table_remove (stored, mark))
        continue;
      if (!add_mark (self, case_id, scan_id, a, error))
        return FALSE;
      (*n_changes)++;
    }
  g_hash_table_iter_init (&iter, stored);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (!remove_mark (self, case_id, value, error))
        return FALSE;
      (*n_changes)++;
    }
  return TRUE;
}

gboolean
dl_case_file_set_annotations (DlCaseFile    *self,
                              const char    *scan_id,
                              DlAnnotations *annotations,
                              GError       **error)
{
  g_autofree char *case_id = NULL;
  guint n_changes = 0;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), FALSE);

  if (self->read_only)
    {
      g_set_error_literal (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_READ_ONLY,
                           _("The case file is open read-only; import it to work on it"));
      return FALSE;
    }
  if ((case_id = scan_case (self, scan_id, error)) == NULL || !dl_case_change_begin (self, error))
    return FALSE;
  if (!sync_marks (self, case_id, scan_id, annotations, &n_changes, error))
    {
      dl_case_change_abort (self);
      return FALSE;
    }
  if (n_changes > 0)
    dl_case_change_note (self, case_id);
  return dl_case_change_end (self, TRUE, error);
}

static void
add_stored (JsonBuilder  *b,
            sqlite3_stmt *stmt,
            guint         number)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *geometry;
  g_autofree char *author = NULL;

  if (dl_json_refused (dl_case_column_text (stmt, 0), -1)
      || !json_parser_load_from_data (parser, dl_case_column_text (stmt, 0), -1, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  geometry = json_node_get_object (root);
  author = g_strdup_printf ("%s (%s)", dl_case_column_text (stmt, 3), dl_case_column_text (stmt, 4));

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, number);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, json_object_get_string_member_with_default (geometry, "kind", ""));
  json_builder_set_member_name (b, "view");
  json_builder_add_int_value (b, json_object_get_int_member_with_default (geometry, "view", 0));
  json_builder_set_member_name (b, "points");
  json_builder_add_value (b, json_node_copy (json_object_get_member (geometry, "points")));
  json_builder_set_member_name (b, "label");
  json_builder_add_string_value (b, dl_case_column_text (stmt, 1));
  json_builder_set_member_name (b, "author");
  json_builder_add_string_value (b, author);
  json_builder_set_member_name (b, "created");
  json_builder_add_int_value (b, sqlite3_column_int64 (stmt, 2));
  json_builder_end_object (b);
}

DlAnnotations *
dl_case_file_get_annotations (DlCaseFile *self,
                              const char *scan_id,
                              GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(DlAnnotations) annotations = dl_annotations_new ();
  g_autofree char *case_id = NULL, *json = NULL;
  guint number = 0;
  int rc;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);

  if ((case_id = scan_case (self, scan_id, error)) == NULL)
    return NULL;
  stmt = dl_case_prepare (self->db, "SELECT geometry, label, created, author_name, author_login "
                                    "FROM annotations WHERE scan_id = ?1 ORDER BY created, rowid", error);
  if (stmt == NULL || !dl_case_bind_text (stmt, 1, scan_id, error))
    return NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "doorlicht-annotations/1");
  json_builder_set_member_name (b, "annotations");
  json_builder_begin_array (b);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    add_stored (b, stmt, ++number);
  /* a read that stopped early is not all the marks */
  if (!dl_case_step_end (stmt, rc, error))
    return NULL;
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json = json_generator_to_data (gen, NULL);
  if (!dl_annotations_load_json (annotations, json, error))
    return NULL;
  return g_steal_pointer (&annotations);
}

void
dl_case_mark_free (DlCaseMark *mark)
{
  if (mark == NULL)
    return;
  g_free (mark->id);
  g_free (mark->scan_id);
  g_free (mark->geometry);
  g_free (mark->label);
  g_free (mark);
}

GPtrArray *
dl_case_file_get_marks (DlCaseFile *self,
                        const char *case_id,
                        GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) marks = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_case_mark_free);
  int rc;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);

  stmt = dl_case_prepare (self->db, "SELECT id, scan_id, geometry, label FROM annotations WHERE case_id = ?1 "
                                    "ORDER BY created, rowid", error);
  if (stmt == NULL || !dl_case_bind_text (stmt, 1, case_id, error))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DlCaseMark *m = g_new0 (DlCaseMark, 1);

      m->id = g_strdup (dl_case_column_text (stmt, 0));
      m->scan_id = g_strdup (dl_case_column_text (stmt, 1));
      m->geometry = g_strdup (dl_case_column_text (stmt, 2));
      m->label = g_strdup (dl_case_column_text (stmt, 3));
      g_ptr_array_add (marks, m);
    }
  if (!dl_case_step_end (stmt, rc, error))
    return NULL;
  return g_steal_pointer (&marks);
}
