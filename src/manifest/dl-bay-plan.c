/* dl-bay-plan.c — the bay plan model (DlBayPlan) and its JSON form; the
 * BAPLIE reader is dl-baplie.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-bay-plan"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "dl-baplie.h"
#include "dl-json-check.h"

static void
container_free (gpointer data)
{
  DlBayPlanContainer *c = data;

  g_free (c->number);
  g_free (c->size_type);
  g_free (c->position);
  g_free (c->port_of_loading);
  g_free (c->port_of_discharge);
  g_free (c->vgm_date);
  g_free (c->vgm_reference);
  g_free (c->vgm_party);
  g_free (c);
}

G_DEFINE_BOXED_TYPE (DlBayPlan, dl_bay_plan, dl_bay_plan_ref, dl_bay_plan_unref)

DlBayPlan *
dl_bay_plan_new (void)
{
  DlBayPlan *self = g_new0 (DlBayPlan, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->containers = g_ptr_array_new_with_free_func (container_free);
  self->warnings = dl_manifest_warnings_new ();
  return self;
}

DlBayPlan *
dl_bay_plan_ref (DlBayPlan *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
dl_bay_plan_unref (DlBayPlan *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->message_id);
  g_free (self->reference);
  g_free (self->version);
  g_free (self->voyage);
  g_free (self->vessel);
  g_free (self->vessel_id);
  g_free (self->carrier);
  g_ptr_array_unref (self->containers);
  g_ptr_array_unref (self->warnings);
  g_free (self);
}

DlBayPlanContainer *
dl_bay_plan_add_container (DlBayPlan  *self,
                           const char *number)
{
  DlBayPlanContainer *c;

  g_return_val_if_fail (self != NULL && number != NULL, NULL);

  c = g_new0 (DlBayPlanContainer, 1);
  c->number = g_strdup (number);
  c->gross_kg = c->vgm_kg = c->tare_kg = NAN;
  g_ptr_array_add (self->containers, c);
  return c;
}

DlBayPlanContainer *
dl_bay_plan_find (const DlBayPlan *self,
                  const char      *number)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; number && i < self->containers->len; i++)
    {
      DlBayPlanContainer *c = g_ptr_array_index (self->containers, i);

      if (g_ascii_strcasecmp (c->number, number) == 0)
        return c;
    }
  return NULL;
}

DlBayPlanContainer *
dl_bay_plans_find (GPtrArray   *plans,
                   const char  *number,
                   DlBayPlan  **plan)
{
  g_return_val_if_fail (plans != NULL, NULL);

  for (guint i = 0; i < plans->len; i++)
    {
      DlBayPlanContainer *c = dl_bay_plan_find (g_ptr_array_index (plans, i), number);

      if (c)
        {
          if (plan)
            *plan = g_ptr_array_index (plans, i);
          return c;
        }
    }
  return NULL;
}

static void
copy_warning (DlBayPlan               *to,
              const DlManifestWarning *w)
{
  dl_manifest_warnings_add (to->warnings, w->segment, w->tag, w->line, w->column, w->message);
}

/* Whether warning @w is about a container's group other than @keep. */
static gboolean
about_another (const DlBayPlan          *self,
               const DlBayPlanContainer *keep,
               const DlManifestWarning  *w)
{
  for (guint i = 0; i < self->containers->len; i++)
    {
      const DlBayPlanContainer *c = g_ptr_array_index (self->containers, i);

      if (c != keep && w->segment >= c->first_segment && w->segment <= c->last_segment
          && !(w->segment >= keep->first_segment && w->segment <= keep->last_segment))
        return TRUE;
    }
  return FALSE;
}

DlBayPlan *
dl_bay_plan_extract (const DlBayPlan *self,
                     const char      *number)
{
  const DlBayPlanContainer *c;
  DlBayPlanContainer *copy;
  DlBayPlan *out;

  g_return_val_if_fail (self != NULL, NULL);

  if ((c = dl_bay_plan_find (self, number)) == NULL)
    return NULL;
  out = dl_bay_plan_new ();
  out->message_id = g_strdup (self->message_id);
  out->reference = g_strdup (self->reference);
  out->version = g_strdup (self->version);
  out->voyage = g_strdup (self->voyage);
  out->vessel = g_strdup (self->vessel);
  out->vessel_id = g_strdup (self->vessel_id);
  out->carrier = g_strdup (self->carrier);
  copy = dl_bay_plan_add_container (out, c->number);
  copy->size_type = g_strdup (c->size_type);
  copy->has_full = c->has_full;
  copy->full = c->full;
  copy->position = g_strdup (c->position);
  copy->port_of_loading = g_strdup (c->port_of_loading);
  copy->port_of_discharge = g_strdup (c->port_of_discharge);
  copy->gross_kg = c->gross_kg;
  copy->vgm_kg = c->vgm_kg;
  copy->tare_kg = c->tare_kg;
  copy->vgm_date = g_strdup (c->vgm_date);
  copy->vgm_reference = g_strdup (c->vgm_reference);
  copy->vgm_party = g_strdup (c->vgm_party);
  copy->first_segment = c->first_segment;
  copy->last_segment = c->last_segment;
  for (guint i = 0; i < self->warnings->len; i++)
    if (!about_another (self, c, g_ptr_array_index (self->warnings, i)))
      copy_warning (out, g_ptr_array_index (self->warnings, i));
  return out;
}

/* ---- JSON ----------------------------------------------------------------- */

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static void
add_mass (JsonBuilder *b,
          const char  *name,
          double       kg)
{
  if (!isfinite (kg))
    return;
  json_builder_set_member_name (b, name);
  /* as given: json-glib writes the shortest form that reads back the same */
  json_builder_add_double_value (b, kg);
}

static void
add_count (JsonBuilder *b,
           const char  *name,
           guint        value)
{
  json_builder_set_member_name (b, name);
  if (value > 0)
    json_builder_add_int_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
build_container (JsonBuilder              *b,
                 const DlBayPlanContainer *c)
{
  json_builder_begin_object (b);
  add_string (b, "number", c->number);
  add_string (b, "size_type", c->size_type);
  json_builder_set_member_name (b, "full");
  if (c->has_full)
    json_builder_add_boolean_value (b, c->full);
  else
    json_builder_add_null_value (b);
  add_string (b, "position", c->position);
  add_string (b, "port_of_loading", c->port_of_loading);
  add_string (b, "port_of_discharge", c->port_of_discharge);
  add_mass (b, "gross_kg", c->gross_kg);
  add_mass (b, "vgm_kg", c->vgm_kg);
  add_mass (b, "tare_kg", c->tare_kg);
  add_string (b, "vgm_date", c->vgm_date);
  add_string (b, "vgm_reference", c->vgm_reference);
  add_string (b, "vgm_party", c->vgm_party);
  json_builder_end_object (b);
}

static void
build_warnings (JsonBuilder     *b,
                const DlBayPlan *self)
{
  if (self->warnings->len == 0)
    return;
  json_builder_set_member_name (b, "warnings");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->warnings->len; i++)
    {
      const DlManifestWarning *w = g_ptr_array_index (self->warnings, i);

      json_builder_begin_object (b);
      add_count (b, "segment", w->segment);
      json_builder_set_member_name (b, "tag");
      if (w->tag)
        json_builder_add_string_value (b, w->tag);
      else
        json_builder_add_null_value (b);
      add_count (b, "line", w->line);
      add_count (b, "column", w->column);
      add_string (b, "message", w->message);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

char *
dl_bay_plan_to_json (const DlBayPlan *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (b);
  add_string (b, "format", DL_BAY_PLAN_FORMAT);
  add_string (b, "message_id", self->message_id);
  add_string (b, "reference", self->reference);
  add_string (b, "version", self->version);
  add_string (b, "voyage", self->voyage);
  add_string (b, "vessel", self->vessel);
  add_string (b, "vessel_id", self->vessel_id);
  add_string (b, "carrier", self->carrier);
  json_builder_set_member_name (b, "containers");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->containers->len; i++)
    build_container (b, g_ptr_array_index (self->containers, i));
  json_builder_end_array (b);
  build_warnings (b, self);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, TRUE);
}

static gboolean
invalid (GError     **error,
         const char  *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError     **error,
         const char  *format,
         ...)
{
  va_list ap;
  g_autofree char *what = NULL;

  va_start (ap, format);
  what = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID, _("The bay plan is not valid: %s"), what);
  return FALSE;
}

static gboolean
get_string (JsonObject  *o,
            const char  *name,
            char       **out,
            GError     **error)
{
  JsonNode *n = json_object_get_member (o, name);

  g_clear_pointer (out, g_free);
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING
      || !g_utf8_validate (json_node_get_string (n), -1, NULL))
    return invalid (error, _("“%s” must be text"), name);
  *out = g_strdup (json_node_get_string (n));
  return TRUE;
}

/* A mass of at least 0 kg, NAN when absent or null. */
static gboolean
get_mass (JsonObject  *o,
          const char  *name,
          double      *out,
          GError     **error)
{
  JsonNode *n = json_object_get_member (o, name);
  GType type;

  *out = NAN;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  type = JSON_NODE_HOLDS_VALUE (n) ? json_node_get_value_type (n) : G_TYPE_INVALID;
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return invalid (error, _("“%s” must be a number"), name);
  *out = json_node_get_double (n);
  if (!(*out >= 0) || !isfinite (*out))
    return invalid (error, _("“%s” must be a mass of at least 0 kg"), name);
  return TRUE;
}

static gboolean
get_count (JsonObject  *o,
           const char  *name,
           guint       *out,
           GError     **error)
{
  JsonNode *n = json_object_get_member (o, name);
  double v;

  *out = 0;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (n) || (json_node_get_value_type (n) != G_TYPE_INT64
                                     && json_node_get_value_type (n) != G_TYPE_DOUBLE))
    return invalid (error, _("“%s” must be a number"), name);
  v = json_node_get_double (n);
  if (!(v >= 0 && v <= G_MAXUINT) || v != floor (v))
    return invalid (error, _("“%s” must be a whole number"), name);
  *out = (guint) v;
  return TRUE;
}

static gboolean
get_array (JsonObject  *o,
           const char  *name,
           JsonArray  **out,
           GError     **error)
{
  JsonNode *n = json_object_get_member (o, name);

  *out = NULL;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (n))
    return invalid (error, _("“%s” must be a list"), name);
  *out = json_node_get_array (n);
  return TRUE;
}

static gboolean
read_full (DlBayPlanContainer *c,
           JsonObject         *o,
           GError            **error)
{
  JsonNode *n = json_object_get_member (o, "full");

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
    return invalid (error, _("“%s” must be true, false or null"), "full");
  c->has_full = TRUE;
  c->full = json_node_get_boolean (n);
  return TRUE;
}

static gboolean
read_container (DlBayPlan  *self,
                JsonNode   *node,
                GError    **error)
{
  g_autofree char *number = NULL;
  DlBayPlanContainer *c;
  JsonObject *o;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, _("a container must be an object"));
  o = json_node_get_object (node);
  if (!get_string (o, "number", &number, error))
    return FALSE;
  if (number == NULL || *number == '\0')
    return invalid (error, _("a container has no number"));
  c = dl_bay_plan_add_container (self, number);
  return read_full (c, o, error)
         && get_string (o, "size_type", &c->size_type, error)
         && get_string (o, "position", &c->position, error)
         && get_string (o, "port_of_loading", &c->port_of_loading, error)
         && get_string (o, "port_of_discharge", &c->port_of_discharge, error)
         && get_mass (o, "gross_kg", &c->gross_kg, error)
         && get_mass (o, "vgm_kg", &c->vgm_kg, error)
         && get_mass (o, "tare_kg", &c->tare_kg, error)
         && get_string (o, "vgm_date", &c->vgm_date, error)
         && get_string (o, "vgm_reference", &c->vgm_reference, error)
         && get_string (o, "vgm_party", &c->vgm_party, error);
}

static gboolean
read_warning (DlBayPlan  *self,
              JsonNode   *node,
              GError    **error)
{
  g_autofree char *tag = NULL, *message = NULL;
  DlManifestWarning w = { 0 };
  JsonObject *o;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, _("a warning must be an object"));
  o = json_node_get_object (node);
  if (!get_count (o, "segment", &w.segment, error) || !get_string (o, "tag", &tag, error)
      || !get_count (o, "line", &w.line, error) || !get_count (o, "column", &w.column, error)
      || !get_string (o, "message", &message, error))
    return FALSE;
  if (message == NULL)
    return invalid (error, _("a warning has no message"));
  w.tag = tag;
  w.message = message;
  copy_warning (self, &w);
  return TRUE;
}

static gboolean
read_root (DlBayPlan  *self,
           JsonObject *root,
           GError    **error)
{
  JsonArray *containers, *warnings;

  if (!get_string (root, "message_id", &self->message_id, error)
      || !get_string (root, "reference", &self->reference, error)
      || !get_string (root, "version", &self->version, error)
      || !get_string (root, "voyage", &self->voyage, error)
      || !get_string (root, "vessel", &self->vessel, error)
      || !get_string (root, "vessel_id", &self->vessel_id, error)
      || !get_string (root, "carrier", &self->carrier, error)
      || !get_array (root, "containers", &containers, error)
      || !get_array (root, "warnings", &warnings, error))
    return FALSE;
  for (guint i = 0; containers && i < json_array_get_length (containers); i++)
    if (!read_container (self, json_array_get_element (containers, i), error))
      return FALSE;
  for (guint i = 0; warnings && i < json_array_get_length (warnings); i++)
    if (!read_warning (self, json_array_get_element (warnings, i), error))
      return FALSE;
  return TRUE;
}

DlBayPlan *
dl_bay_plan_from_json (const char  *json,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(DlBayPlan) self = dl_bay_plan_new ();
  g_autofree char *format = NULL, *why = NULL;
  g_autoptr(GError) local = NULL;
  JsonNode *root;

  g_return_val_if_fail (json != NULL, NULL);

  if ((why = dl_json_refusal (json, -1)) != NULL)
    return invalid (error, "%s", why), NULL;
  if (!json_parser_load_from_data (parser, json, -1, &local))
    return invalid (error, "%s", local->message), NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return invalid (error, _("it is not a JSON object")), NULL;
  if (!get_string (json_node_get_object (root), "format", &format, error))
    return NULL;
  if (g_strcmp0 (format, DL_BAY_PLAN_FORMAT) != 0)
    return invalid (error, _("its format is not %s"), DL_BAY_PLAN_FORMAT), NULL;
  if (!read_root (self, json_node_get_object (root), error))
    return NULL;
  return g_steal_pointer (&self);
}
