/* dl-test-object.c — a step-wedge test object and its OBJECT.json.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-test-object"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "dl-json-check.h"
#include "dl-regular-file.h"
#include "dl-test-object.h"

#define MAX_MM      20000.0   /* 20 m: no test object is larger */
#define MAX_FILE    (1 << 20)

static const char *class_names[] = { NULL, "organic", "inorganic", "metal", "heavy" };
static const char *kind_names[] = { "wedge", "penetration", "contrast" };

static void
material_free (gpointer data)
{
  DlTestMaterial *m = data;

  g_free (m->name);
  g_free (m);
}

DlTestObject *
dl_test_object_new (const char *name)
{
  DlTestObject *self = g_new0 (DlTestObject, 1);

  self->name = g_strdup (name);
  self->materials = g_ptr_array_new_with_free_func (material_free);
  self->series = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
dl_test_object_free (DlTestObject *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_ptr_array_unref (self->materials);
  g_ptr_array_unref (self->series);
  g_free (self);
}

guint
dl_test_object_add_material (DlTestObject    *self,
                             const char      *name,
                             double           density,
                             DlMaterialClass  klass)
{
  DlTestMaterial *m = g_new0 (DlTestMaterial, 1);

  m->name = g_strdup (name);
  m->density = density;
  m->klass = klass;
  g_ptr_array_add (self->materials, m);
  return self->materials->len - 1;
}

DlTestSeries *
dl_test_object_add_series (DlTestObject     *self,
                           DlTestSeriesKind  kind,
                           guint             material)
{
  DlTestSeries *s = g_new0 (DlTestSeries, 1);

  s->kind = kind;
  s->material = s->feature_material = material;
  g_ptr_array_add (self->series, s);
  return s;
}

const DlTestMaterial *
dl_test_object_material (const DlTestObject *self,
                         guint               index)
{
  g_return_val_if_fail (index < self->materials->len, NULL);
  return g_ptr_array_index (self->materials, index);
}

const char *
dl_test_series_kind_to_string (DlTestSeriesKind kind)
{
  return kind_names[kind];
}

void
dl_test_series_block (const DlTestSeries *series,
                      guint               b,
                      double             *box)
{
  box[0] = series->x_mm + b * (series->block_width_mm + series->gap_mm);
  box[1] = series->y_mm;
  box[2] = box[0] + series->block_width_mm;
  box[3] = box[1] + series->height_mm;
}

static void
series_extent (const DlTestSeries *s,
               double             *box)
{
  double last[4];

  dl_test_series_block (s, 0, box);
  dl_test_series_block (s, s->n_blocks - 1, last);
  box[2] = last[2];
}

void
dl_test_object_extent (const DlTestObject *self,
                       double             *box)
{
  box[0] = box[1] = G_MAXDOUBLE;
  box[2] = box[3] = -G_MAXDOUBLE;
  for (guint i = 0; i < self->series->len; i++)
    {
      double e[4];

      series_extent (g_ptr_array_index (self->series, i), e);
      box[0] = MIN (box[0], e[0]);
      box[1] = MIN (box[1], e[1]);
      box[2] = MAX (box[2], e[2]);
      box[3] = MAX (box[3], e[3]);
    }
}

static gboolean
fail (GError    **error,
      const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("not a valid test object: %s"), what);
  return FALSE;
}

static gboolean
positive (double v, double max)
{
  return isfinite (v) && v > 0 && v <= max;
}

static gboolean
check_series (const DlTestObject *self,
              const DlTestSeries *s,
              guint               index,
              GError            **error)
{
  g_autofree char *what = NULL;

  if (s->material >= self->materials->len || s->feature_material >= self->materials->len)
    what = g_strdup_printf (_("series %u names a material it does not describe"), index + 1);
  else if (s->n_blocks == 0 || s->n_blocks > DL_TEST_OBJECT_MAX_BLOCKS)
    what = g_strdup_printf (_("series %u must have 1 to %d blocks"), index + 1, DL_TEST_OBJECT_MAX_BLOCKS);
  else if (!positive (s->block_width_mm, MAX_MM) || !positive (s->height_mm, MAX_MM)
           || !(s->gap_mm > 0 && s->gap_mm <= MAX_MM) || !(fabs (s->x_mm) <= MAX_MM && fabs (s->y_mm) <= MAX_MM))
    what = g_strdup_printf (_("series %u: its sizes must be millimetres above 0 and at most %g"), index + 1, MAX_MM);
  else if (s->kind != DL_TEST_SERIES_WEDGE
           && !(positive (s->feature_size_mm, MIN (s->block_width_mm, s->height_mm) / 2)))
    what = g_strdup_printf (_("series %u: its feature must be above 0 and at most half the block"), index + 1);
  for (guint b = 0; what == NULL && b < s->n_blocks; b++)
    if (!positive (s->thickness_mm[b], MAX_MM)
        || (s->kind != DL_TEST_SERIES_WEDGE && !positive (s->feature_mm[b], MAX_MM)))
      what = g_strdup_printf (_("series %u, block %u: a thickness must be millimetres above 0"), index + 1, b + 1);
  return what == NULL || fail (error, what);
}

static gboolean
overlap (const double *a, const double *b)
{
  return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
}

gboolean
dl_test_object_check (const DlTestObject  *self,
                      GError             **error)
{
  gboolean wedge = FALSE;

  for (guint i = 0; i < self->materials->len; i++)
    {
      const DlTestMaterial *m = dl_test_object_material (self, i);

      if (!positive (m->density, 30) || m->klass < DL_CLASS_ORGANIC || m->klass > DL_CLASS_HEAVY)
        return fail (error, _("every material needs a density in g/cm³ (above 0, at most 30) and a class"));
    }
  for (guint i = 0; i < self->series->len; i++)
    {
      const DlTestSeries *s = g_ptr_array_index (self->series, i);
      double a[4], b[4];

      if (!check_series (self, s, i, error))
        return FALSE;
      wedge |= s->kind == DL_TEST_SERIES_WEDGE;
      series_extent (s, a);
      for (guint j = 0; j < i; j++)
        if (series_extent (g_ptr_array_index (self->series, j), b), overlap (a, b))
          {
            g_autofree char *what = g_strdup_printf (_("series %u and %u overlap"), j + 1, i + 1);
            return fail (error, what);
          }
    }
  if (!wedge)
    return fail (error, _("it has no step wedge"));
  return TRUE;
}

/* ---- JSON ------------------------------------------------------------------ */

static gboolean
get_number (JsonObject *o, const char *key, double *out)
{
  JsonNode *n = json_object_get_member (o, key);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) == G_TYPE_STRING
      || json_node_get_value_type (n) == G_TYPE_BOOLEAN)
    return FALSE;
  *out = json_node_get_double (n);
  return isfinite (*out);
}

static gboolean
get_numbers (JsonObject *o, const char *key, double *out, guint *n_out)
{
  JsonNode *n = json_object_get_member (o, key);
  JsonArray *a;

  if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n))
    return FALSE;
  a = json_node_get_array (n);
  if (json_array_get_length (a) == 0 || json_array_get_length (a) > DL_TEST_OBJECT_MAX_BLOCKS)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) == G_TYPE_STRING
          || json_node_get_value_type (e) == G_TYPE_BOOLEAN)
        return FALSE;
      out[i] = json_node_get_double (e);
    }
  *n_out = json_array_get_length (a);
  return TRUE;
}

/* The string member @key of @o, or NULL when it is absent or not a string
 * (json_object_get_string_member_with_default () complains of those). */
static const char *
get_text (JsonObject *o, const char *key)
{
  JsonNode *n = o ? json_object_get_member (o, key) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static int
find_name (const char *const *names, guint n, const char *name)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (names[i], name) == 0)
      return i;
  return -1;
}

static int
material_index (const DlTestObject *self, const char *name)
{
  for (guint i = 0; name && i < self->materials->len; i++)
    if (g_strcmp0 (dl_test_object_material (self, i)->name, name) == 0)
      return i;
  return -1;
}

static gboolean
parse_material (DlTestObject *self, JsonNode *node)
{
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *name = o ? get_text (o, "name") : NULL;
  const char *klass = o ? get_text (o, "class") : NULL;
  int k = find_name (class_names, G_N_ELEMENTS (class_names), klass);
  double density;

  if (name == NULL || *name == '\0' || k < 1 || !get_number (o, "density_g_cm3", &density)
      || material_index (self, name) >= 0)
    return FALSE;
  dl_test_object_add_material (self, name, density, k);
  return TRUE;
}

static gboolean
parse_feature (DlTestObject *self, DlTestSeries *s, JsonObject *o)
{
  JsonNode *n = json_object_get_member (o, "feature");
  JsonObject *f = n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
  int m;
  guint count = 0;

  if (s->kind == DL_TEST_SERIES_WEDGE)
    return n == NULL;
  if (f == NULL)
    return FALSE;
  m = material_index (self, get_text (f, "material"));
  s->feature_material = m < 0 ? G_MAXUINT : (guint) m;
  return get_number (f, "size_mm", &s->feature_size_mm)
         && get_numbers (f, "thickness_mm", s->feature_mm, &count) && count == s->n_blocks;
}

static gboolean
parse_series (DlTestObject *self, JsonNode *node)
{
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  int kind = o ? find_name (kind_names, G_N_ELEMENTS (kind_names),
                            get_text (o, "kind")) : -1;
  int m = o ? material_index (self, get_text (o, "material")) : -1;
  DlTestSeries *s;

  if (kind < 0)
    return FALSE;
  s = dl_test_object_add_series (self, kind, m < 0 ? G_MAXUINT : (guint) m);
  return get_number (o, "x_mm", &s->x_mm) && get_number (o, "y_mm", &s->y_mm)
         && get_number (o, "block_width_mm", &s->block_width_mm) && get_number (o, "height_mm", &s->height_mm)
         && get_number (o, "gap_mm", &s->gap_mm) && get_numbers (o, "thickness_mm", s->thickness_mm, &s->n_blocks)
         && parse_feature (self, s, o);
}

static gboolean
parse_list (DlTestObject *self, JsonObject *root, const char *key,
            gboolean (*parse) (DlTestObject *, JsonNode *), GError **error)
{
  JsonNode *n = json_object_get_member (root, key);
  JsonArray *a = n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;

  if (a == NULL || json_array_get_length (a) == 0 || json_array_get_length (a) > 64)
    {
      g_autofree char *what = g_strdup_printf (_("“%s” must be a list of 1 to 64 entries"), key);
      return fail (error, what);
    }
  for (guint i = 0; i < json_array_get_length (a); i++)
    if (!parse (self, json_array_get_element (a, i)))
      {
        g_autofree char *what = g_strdup_printf (_("entry %u of “%s” is incomplete or not valid"), i + 1, key);
        return fail (error, what);
      }
  return TRUE;
}

DlTestObject *
dl_test_object_from_json (const char  *json,
                          gssize       length,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(DlTestObject) self = NULL;
  JsonObject *root;
  JsonNode *node;

  g_return_val_if_fail (json != NULL, NULL);
  if (dl_json_refused (json, length)   /* UTF-8 too */
      || !json_parser_load_from_data (parser, json, length, NULL)
      || (node = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, _("it is not a JSON object")), NULL;
  root = json_node_get_object (node);
  if (g_strcmp0 (get_text (root, "format"), DL_TEST_OBJECT_FORMAT) != 0)
    return fail (error, _("its “format” is not “doorlicht-test-object/1”")), NULL;
  self = dl_test_object_new (get_text (root, "name") ? get_text (root, "name") : "");
  if (!parse_list (self, root, "materials", parse_material, error)
      || !parse_list (self, root, "series", parse_series, error)
      || !dl_test_object_check (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

DlTestObject *
dl_test_object_load (const char  *path,
                     GError     **error)
{
  g_autoptr(GMappedFile) file = dl_map_regular_file (path, MAX_FILE, error);
  g_autoptr(GError) local = NULL;
  DlTestObject *self;

  if (file == NULL)
    return NULL;
  self = dl_test_object_from_json (g_mapped_file_get_contents (file), g_mapped_file_get_length (file), &local);
  if (self == NULL)
    g_set_error (error, local->domain, local->code, "%s: %s", path, local->message);
  return self;
}

static void
add_numbers (JsonBuilder *b, const char *key, const double *v, guint n)
{
  json_builder_set_member_name (b, key);
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    json_builder_add_double_value (b, v[i]);
  json_builder_end_array (b);
}

static void
add_number (JsonBuilder *b, const char *key, double v)
{
  json_builder_set_member_name (b, key);
  json_builder_add_double_value (b, v);
}

static void
add_string (JsonBuilder *b, const char *key, const char *v)
{
  json_builder_set_member_name (b, key);
  json_builder_add_string_value (b, v);
}

static void
build_series (JsonBuilder *b, const DlTestObject *self, const DlTestSeries *s)
{
  json_builder_begin_object (b);
  add_string (b, "kind", kind_names[s->kind]);
  add_string (b, "material", dl_test_object_material (self, s->material)->name);
  add_number (b, "x_mm", s->x_mm);
  add_number (b, "y_mm", s->y_mm);
  add_number (b, "block_width_mm", s->block_width_mm);
  add_number (b, "height_mm", s->height_mm);
  add_number (b, "gap_mm", s->gap_mm);
  add_numbers (b, "thickness_mm", s->thickness_mm, s->n_blocks);
  if (s->kind != DL_TEST_SERIES_WEDGE)
    {
      json_builder_set_member_name (b, "feature");
      json_builder_begin_object (b);
      add_string (b, "material", dl_test_object_material (self, s->feature_material)->name);
      add_number (b, "size_mm", s->feature_size_mm);
      add_numbers (b, "thickness_mm", s->feature_mm, s->n_blocks);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
}

char *
dl_test_object_to_json (const DlTestObject *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  add_string (b, "format", DL_TEST_OBJECT_FORMAT);
  add_string (b, "name", self->name ? self->name : "");
  json_builder_set_member_name (b, "materials");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->materials->len; i++)
    {
      const DlTestMaterial *m = dl_test_object_material (self, i);

      json_builder_begin_object (b);
      add_string (b, "name", m->name);
      add_number (b, "density_g_cm3", m->density);
      add_string (b, "class", class_names[m->klass]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "series");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->series->len; i++)
    build_series (b, self, g_ptr_array_index (self->series, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, TRUE);
}
