/* dl-finding.c — findings and their JSON form (dl-finding.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-finding"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "dl-finding.h"
#include "dl-json-build.h"
#include "dl-json-check.h"

G_DEFINE_BOXED_TYPE (DlFinding, dl_finding, dl_finding_copy, dl_finding_free)

/* ---- JSON objects ------------------------------------------------------------ */

/* A deep copy (json_node_copy () shares an object's members): written
 * and read again, which keeps every number exactly. */
JsonObject *
dl_json_object_copy (JsonObject *object)
{
  g_autofree char *text = NULL;
  JsonObject *copy;

  if (object == NULL)
    return json_object_new ();
  text = dl_json_object_to_string (object);
  copy = dl_json_object_parse (text, "JSON", NULL);
  g_assert (copy != NULL);
  return copy;
}

char *
dl_json_object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_node_set_object (node, object);
  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

JsonObject *
dl_json_object_parse (const char *text,
                      const char *what,
                      GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  JsonNode *root;

  if (text == NULL || dl_json_refused (text, -1))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s is not a JSON object"), what);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, text, -1, &local))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s is not JSON: %s"), what, local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s is not a JSON object"), what);
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/* ---- the finding ------------------------------------------------------------- */

DlFinding *
dl_finding_new (const char *kind,
                guint       view,
                double      score,
                const char *explanation)
{
  DlFinding *self;

  g_return_val_if_fail (kind != NULL && explanation != NULL, NULL);

  self = g_new0 (DlFinding, 1);
  self->kind = g_strdup (kind);
  self->view = view;
  self->score = CLAMP (score, 0, 1);
  self->explanation = g_strdup (explanation);
  self->figures = json_object_new ();
  self->parameters = json_object_new ();
  return self;
}

DlFinding *
dl_finding_copy (const DlFinding *self)
{
  DlFinding *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (DlFinding, 1);
  copy->kind = g_strdup (self->kind);
  copy->view = self->view;
  if (self->outline)
    {
      copy->outline = g_array_sized_new (FALSE, FALSE, sizeof (DlFindingPoint), self->outline->len);
      g_array_append_vals (copy->outline, self->outline->data, self->outline->len);
    }
  copy->score = self->score;
  copy->explanation = g_strdup (self->explanation);
  copy->figures = dl_json_object_copy (self->figures);
  copy->detector = g_strdup (self->detector);
  copy->detector_version = g_strdup (self->detector_version);
  copy->parameters = dl_json_object_copy (self->parameters);
  copy->program_sha256 = g_strdup (self->program_sha256);
  return copy;
}

void
dl_finding_free (DlFinding *self)
{
  if (self == NULL)
    return;
  g_free (self->kind);
  g_clear_pointer (&self->outline, g_array_unref);
  g_free (self->explanation);
  g_clear_pointer (&self->figures, json_object_unref);
  g_free (self->detector);
  g_free (self->detector_version);
  g_clear_pointer (&self->parameters, json_object_unref);
  g_free (self->program_sha256);
  g_free (self);
}

void
dl_finding_set_rectangle (DlFinding *self,
                          double     x0,
                          double     y0,
                          double     x1,
                          double     y1)
{
  DlFindingPoint corners[4] = { { x0, y0 }, { x1, y0 }, { x1, y1 }, { x0, y1 } };

  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->outline, g_array_unref);
  self->outline = g_array_sized_new (FALSE, FALSE, sizeof (DlFindingPoint), 4);
  g_array_append_vals (self->outline, corners, 4);
}

void
dl_finding_set_detector (DlFinding  *self,
                         const char *name,
                         const char *version,
                         JsonObject *parameters,
                         const char *program_sha256)
{
  g_return_if_fail (self != NULL);

  g_free (self->detector);
  self->detector = g_strdup (name);
  g_free (self->detector_version);
  self->detector_version = g_strdup (version);
  json_object_unref (self->parameters);
  self->parameters = dl_json_object_copy (parameters);
  g_free (self->program_sha256);
  self->program_sha256 = g_strdup (program_sha256);
}

gboolean
dl_finding_get_bounds (const DlFinding *self,
                       double           box[4])
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->outline == NULL || self->outline->len == 0)
    return FALSE;
  box[0] = box[1] = G_MAXDOUBLE;
  box[2] = box[3] = -G_MAXDOUBLE;
  for (guint i = 0; i < self->outline->len; i++)
    {
      const DlFindingPoint *p = &g_array_index (self->outline, DlFindingPoint, i);
      box[0] = MIN (box[0], p->x);
      box[1] = MIN (box[1], p->y);
      box[2] = MAX (box[2], p->x);
      box[3] = MAX (box[3], p->y);
    }
  return TRUE;
}

/* ---- writing ------------------------------------------------------------------- */

static void
add_outline (JsonBuilder     *b,
             const DlFinding *self)
{
  json_builder_set_member_name (b, "outline");
  if (self->outline == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_array (b);
  for (guint i = 0; i < self->outline->len; i++)
    {
      const DlFindingPoint *p = &g_array_index (self->outline, DlFindingPoint, i);

      json_builder_begin_array (b);
      json_builder_add_double_value (b, p->x);
      json_builder_add_double_value (b, p->y);
      json_builder_end_array (b);
    }
  json_builder_end_array (b);
}

static void
add_object (JsonBuilder *b,
            const char  *name,
            JsonObject  *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, dl_json_object_copy (object));
  json_builder_set_member_name (b, name);
  json_builder_add_value (b, node);
}

JsonNode *
dl_finding_to_json_node (const DlFinding *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, self->kind);
  json_builder_set_member_name (b, "view");
  json_builder_add_int_value (b, self->view);
  add_outline (b, self);
  json_builder_set_member_name (b, "score");
  json_builder_add_double_value (b, self->score);
  json_builder_set_member_name (b, "explanation");
  json_builder_add_string_value (b, self->explanation);
  add_object (b, "figures", self->figures);
  json_builder_set_member_name (b, "detector");
  json_builder_begin_object (b);
  dl_json_set_string_or_null (b, "name", self->detector);
  dl_json_set_string_or_null (b, "version", self->detector_version);
  add_object (b, "parameters", self->parameters);
  dl_json_set_string_or_null (b, "sha256", self->program_sha256);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

char *
dl_findings_to_json (GPtrArray *findings)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, DL_FINDINGS_FORMAT);
  json_builder_set_member_name (b, "findings");
  json_builder_begin_array (b);
  for (guint i = 0; findings && i < findings->len; i++)
    json_builder_add_value (b, dl_finding_to_json_node (g_ptr_array_index (findings, i)));
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}

/* ---- reading ------------------------------------------------------------------- */

static gboolean
bad (GError    **error,
     const char *where,
     const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s: %s"), where, what);
  return FALSE;
}

static gboolean
is_number (JsonNode *node)
{
  GType t;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  t = json_node_get_value_type (node);
  return t == G_TYPE_DOUBLE || t == G_TYPE_INT64;
}

static gboolean
is_string (JsonNode *node)
{
  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

/* The string member @name: TRUE with *value NULL when absent or null
 * and @optional, FALSE when of another type. */
static gboolean
read_string (JsonObject  *o,
             const char  *name,
             gboolean     optional,
             const char **value)
{
  JsonNode *node = json_object_get_member (o, name);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return optional;
  if (!is_string (node))
    return FALSE;
  *value = json_node_get_string (node);
  return TRUE;
}

static gboolean
read_outline (DlFinding  *f,
              JsonNode   *node,
              const char *where,
              GError    **error)
{
  JsonArray *a;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (a = json_node_get_array (node)) < 3)
    return bad (error, where, _("the outline is not a list of at least 3 points"));
  f->outline = g_array_sized_new (FALSE, FALSE, sizeof (DlFindingPoint), json_array_get_length (a));
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *pn = json_array_get_element (a, i);
      JsonArray *pa = JSON_NODE_HOLDS_ARRAY (pn) ? json_node_get_array (pn) : NULL;
      DlFindingPoint p;

      if (pa == NULL || json_array_get_length (pa) != 2
          || !is_number (json_array_get_element (pa, 0)) || !is_number (json_array_get_element (pa, 1)))
        return bad (error, where, _("a point of the outline is not [x, y]"));
      p.x = json_array_get_double_element (pa, 0);
      p.y = json_array_get_double_element (pa, 1);
      if (!isfinite (p.x) || !isfinite (p.y))
        return bad (error, where, _("a point of the outline is not finite"));
      g_array_append_val (f->outline, p);
    }
  return TRUE;
}

static gboolean
read_object (JsonObject  *o,
             const char  *name,
             JsonObject **out)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *out = json_object_new ();
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  *out = dl_json_object_copy (json_node_get_object (node));
  return TRUE;
}

static gboolean
read_detector (DlFinding  *f,
               JsonNode   *node,
               const char *where,
               GError    **error)
{
  JsonObject *d;
  const char *name, *version, *sha;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return bad (error, where, _("“detector” is not an object"));
  d = json_node_get_object (node);
  if (!read_string (d, "name", TRUE, &name) || !read_string (d, "version", TRUE, &version)
      || !read_string (d, "sha256", TRUE, &sha))
    return bad (error, where, _("the detector’s name, version or SHA-256 is not text"));
  json_object_unref (f->parameters);
  f->parameters = NULL;
  if (!read_object (d, "parameters", &f->parameters))
    return bad (error, where, _("the detector’s parameters are not an object"));
  f->detector = g_strdup (name);
  f->detector_version = g_strdup (version);
  f->program_sha256 = g_strdup (sha);
  return TRUE;
}

static gboolean
read_fields (DlFinding  *f,
             JsonObject *o,
             const char *where,
             GError    **error)
{
  JsonNode *view = json_object_get_member (o, "view");
  JsonNode *score = json_object_get_member (o, "score");
  const char *kind, *explanation;

  if (!read_string (o, "kind", FALSE, &kind) || *kind == '\0')
    return bad (error, where, _("a finding has no kind"));
  if (!read_string (o, "explanation", FALSE, &explanation) || *explanation == '\0'
      || strpbrk (explanation, "\r\n") != NULL)
    return bad (error, where, _("a finding’s explanation is not one line of text"));
  if (!is_number (score) || !(json_node_get_double (score) >= 0 && json_node_get_double (score) <= 1))
    return bad (error, where, _("a finding’s score is not a number from 0 to 1"));
  if (view != NULL && !(JSON_NODE_HOLDS_VALUE (view) && json_node_get_value_type (view) == G_TYPE_INT64
                        && json_node_get_int (view) >= 0 && json_node_get_int (view) < 64))
    return bad (error, where, _("a finding’s view is not a view number"));
  f->kind = g_strdup (kind);
  f->explanation = g_strdup (explanation);
  f->score = json_node_get_double (score);
  f->view = view ? (guint) json_node_get_int (view) : 0;
  return TRUE;
}

DlFinding *
dl_finding_from_json_node (JsonNode   *node,
                           const char *where,
                           GError    **error)
{
  g_autoptr(DlFinding) f = g_new0 (DlFinding, 1);
  JsonObject *o;

  f->parameters = json_object_new ();
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return bad (error, where, _("a finding is not an object")), NULL;
  o = json_node_get_object (node);
  if (!read_fields (f, o, where, error)
      || !read_outline (f, json_object_get_member (o, "outline"), where, error)
      || !read_detector (f, json_object_get_member (o, "detector"), where, error))
    return NULL;
  if (!read_object (o, "figures", &f->figures))
    return bad (error, where, _("a finding’s figures are not an object")), NULL;
  return g_steal_pointer (&f);
}

GPtrArray *
dl_findings_from_json (const char *json,
                       gssize      length,
                       GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_finding_free);
  g_autoptr(GError) local = NULL;
  gsize n = length < 0 ? strlen (json) : (gsize) length;
  const char *format;
  JsonNode *root, *list;
  JsonObject *o;

  if (n > DL_FINDINGS_MAX_JSON)
    return bad (error, _("Findings"), _("more than 4 MiB of JSON")), NULL;
  if (dl_json_refused (json, n))   /* UTF-8 too */
    return bad (error, _("Findings"), _("not one UTF-8 JSON value of sensible depth")), NULL;
  if (!json_parser_load_from_data (parser, json, n, &local))
    return bad (error, _("Findings"), local->message), NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return bad (error, _("Findings"), _("not a JSON object")), NULL;
  o = json_node_get_object (root);
  if (!read_string (o, "format", FALSE, &format) || strcmp (format, DL_FINDINGS_FORMAT) != 0)
    return bad (error, _("Findings"), _("the format is not “doorlicht-findings/1”")), NULL;
  list = json_object_get_member (o, "findings");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    return bad (error, _("Findings"), _("“findings” is not a list")), NULL;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      g_autofree char *where = g_strdup_printf (_("Finding %u"), i + 1);
      DlFinding *f = dl_finding_from_json_node (json_array_get_element (json_node_get_array (list), i),
                                                where, error);
      if (f == NULL)
        return NULL;
      g_ptr_array_add (findings, f);
    }
  return g_steal_pointer (&findings);
}
