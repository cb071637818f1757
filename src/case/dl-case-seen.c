/* dl-case-seen.c — what the analyst had on screen when deciding, as
 * recorded in the verdict's audit event (see dl-case-seen.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-case-seen"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "dl-case-private.h"
#include "dl-case-seen.h"
#include "dl-json-check.h"

#define SEEN_VERSION 1

/* The view state's properties that make the picture (not where it is). */
static const char * const view_properties[] = {
  "density", "center", "width", "gamma", "invert", "material", "material-opacity", "strip", "colormap",
  "band", "band-low", "band-high", "enhance", "organic-colour", "inorganic-colour", "metal-colour",
  "band-colour", NULL
};

static void
add_property (JsonBuilder *b,
              GObject     *view,
              GParamSpec  *pspec)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, pspec->value_type);
  g_object_get_property (view, pspec->name, &value);
  json_builder_set_member_name (b, pspec->name);
  if (G_VALUE_HOLDS_BOOLEAN (&value))
    json_builder_add_boolean_value (b, g_value_get_boolean (&value));
  else if (G_VALUE_HOLDS_DOUBLE (&value))
    json_builder_add_double_value (b, g_value_get_double (&value));
  else if (G_VALUE_HOLDS_INT (&value))
    json_builder_add_int_value (b, g_value_get_int (&value));
  else if (G_VALUE_HOLDS_STRING (&value) && g_value_get_string (&value))
    json_builder_add_string_value (b, g_value_get_string (&value));
  else
    json_builder_add_null_value (b);
}

static void
add_view (JsonBuilder *b,
          DlViewState *view)
{
  GObjectClass *klass = G_OBJECT_GET_CLASS (view);

  json_builder_set_member_name (b, "view");
  json_builder_begin_object (b);
  for (guint i = 0; view_properties[i]; i++)
    {
      GParamSpec *pspec = g_object_class_find_property (klass, view_properties[i]);

      if (pspec)
        add_property (b, G_OBJECT (view), pspec);
    }
  json_builder_end_object (b);
}

char *
dl_verdict_seen_to_json (const DlVerdictSeen *seen)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (seen != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, SEEN_VERSION);
  json_builder_set_member_name (b, "scans");
  json_builder_begin_array (b);
  for (guint i = 0; seen->scans_sha256 && seen->scans_sha256[i]; i++)
    json_builder_add_string_value (b, seen->scans_sha256[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "shown_ms");
  json_builder_add_int_value (b, MAX (seen->shown_ms, 0));
  if (seen->view)
    add_view (b, seen->view);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static JsonObject *
parse_seen (const char *json,
            GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (json == NULL || dl_json_refused (json, -1) || !json_parser_load_from_data (parser, json, -1, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID,
                           _("The record of what was seen is not a JSON object"));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/* @node as a value of @pspec's type, or FALSE when it is not one. */
static gboolean
node_to_value (JsonNode   *node,
               GParamSpec *pspec,
               GValue     *value)
{
  GType vt = json_node_get_value_type (node);

  g_value_init (value, pspec->value_type);
  if (pspec->value_type == G_TYPE_BOOLEAN && vt == G_TYPE_BOOLEAN)
    g_value_set_boolean (value, json_node_get_boolean (node));
  else if (pspec->value_type == G_TYPE_DOUBLE && (vt == G_TYPE_DOUBLE || vt == G_TYPE_INT64))
    g_value_set_double (value, json_node_get_double (node));
  else if (pspec->value_type == G_TYPE_INT && vt == G_TYPE_INT64)
    g_value_set_int (value, (int) CLAMP (json_node_get_int (node), G_MININT, G_MAXINT));
  else if (pspec->value_type == G_TYPE_STRING && (vt == G_TYPE_STRING || JSON_NODE_HOLDS_NULL (node)))
    g_value_set_string (value, JSON_NODE_HOLDS_NULL (node) ? NULL : json_node_get_string (node));
  else
    return FALSE;
  /* out of range: clamped, as the view state would */
  g_param_value_validate (pspec, value);
  return TRUE;
}

gboolean
dl_verdict_seen_apply (const char  *seen_json,
                       DlViewState *view,
                       GError     **error)
{
  g_autoptr(JsonObject) seen = NULL;
  JsonObject *state;
  GObjectClass *klass;

  g_return_val_if_fail (DL_IS_VIEW_STATE (view), FALSE);

  if ((seen = parse_seen (seen_json, error)) == NULL)
    return FALSE;
  if (!json_object_has_member (seen, "view") || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (seen, "view")))
    {
      g_set_error_literal (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_INVALID,
                           _("The record of what was seen holds no display"));
      return FALSE;
    }
  state = json_object_get_object_member (seen, "view");
  klass = G_OBJECT_GET_CLASS (view);
  g_object_freeze_notify (G_OBJECT (view));
  for (guint i = 0; view_properties[i]; i++)
    {
      GParamSpec *pspec = g_object_class_find_property (klass, view_properties[i]);
      JsonNode *node = json_object_get_member (state, view_properties[i]);
      g_auto(GValue) value = G_VALUE_INIT;

      if (pspec && node && node_to_value (node, pspec, &value))
        g_object_set_property (G_OBJECT (view), pspec->name, &value);
    }
  g_object_thaw_notify (G_OBJECT (view));
  return TRUE;
}

gint64
dl_verdict_seen_get_shown_ms (const char *seen_json)
{
  g_autoptr(JsonObject) seen = parse_seen (seen_json, NULL);

  return seen ? json_object_get_int_member_with_default (seen, "shown_ms", -1) : -1;
}

/* The "seen" member of a verdict event's payload, when it records @verdict_id. */
static char *
seen_of_payload (const char *payload,
                 const char *verdict_id)
{
  g_autoptr(JsonObject) o = parse_seen (payload, NULL);
  g_autoptr(JsonGenerator) gen = NULL;
  JsonObject *row;

  if (o == NULL || !json_object_has_member (o, "row") || !json_object_has_member (o, "seen")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "row"))
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "seen")))
    return NULL;
  row = json_object_get_object_member (o, "row");
  if (g_strcmp0 (json_object_get_string_member_with_default (row, "id", NULL), verdict_id) != 0)
    return NULL;
  gen = json_generator_new ();
  json_generator_set_root (gen, json_object_get_member (o, "seen"));
  return json_generator_to_data (gen, NULL);
}

char *
dl_case_file_get_verdict_seen (DlCaseFile *self,
                               const char *verdict_id,
                               GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (DL_IS_CASE_FILE (self), NULL);
  g_return_val_if_fail (verdict_id != NULL, NULL);

  if (self->db == NULL)
    {
      g_set_error_literal (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_FAILED, _("The case file is closed"));
      return NULL;
    }
  stmt = dl_case_prepare (self->db, "SELECT payload FROM events WHERE kind = 'verdict' AND instr (payload, ?1) > 0 "
                                    "ORDER BY seq", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, verdict_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      char *seen = seen_of_payload (dl_case_column_text (stmt, 0), verdict_id);

      if (seen)
        return seen;
    }
  return NULL;
}
