/* dl-dicom-wire.c — the DICOM reader's answer written and read back
 * (dl-dicom-wire.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-dicom"

#include "config.h"

#include <math.h>
#include <string.h>

#include "dl-dicom-wire.h"
#include "dl-json-build.h"

static const char *const status_names[] = {
  [DL_DICOM_OK] = "ok",
  [DL_DICOM_DAMAGED] = "damaged",
  [DL_DICOM_NO_PIXEL_DATA] = "no-pixel-data",
  [DL_DICOM_NOT_IMAGE] = "not-image",
  [DL_DICOM_DECODE_FAILED] = "decode-failed",
  [DL_DICOM_NO_MEMORY] = "no-memory",
  [DL_DICOM_READER_FAILED] = "reader-failed",
  [DL_DICOM_NO_READER] = "no-reader",
};

const char *
dl_dicom_status_to_name (DlDicomStatus status)
{
  return (guint) status < G_N_ELEMENTS (status_names) ? status_names[status] : "damaged";
}

gboolean
dl_dicom_status_from_name (const char    *name,
                           DlDicomStatus *status)
{
  for (guint i = 0; name && i < G_N_ELEMENTS (status_names); i++)
    if (g_str_equal (name, status_names[i]))
      {
        *status = (DlDicomStatus) i;
        return TRUE;
      }
  return FALSE;
}

/* ---- writing ------------------------------------------------------------------ */

void
dl_dicom_wire_add_text (JsonBuilder *b,
                        const char  *value)
{
  g_autofree char *valid = value ? g_utf8_make_valid (value, -1) : NULL;

  if (valid)
    json_builder_add_string_value (b, valid);
  else
    json_builder_add_null_value (b);
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  dl_dicom_wire_add_text (b, value);
}

static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_doubles (JsonBuilder  *b,
             const char   *name,
             const double *values,
             guint         n)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    json_builder_add_double_value (b, isfinite (values[i]) ? values[i] : 0);
  json_builder_end_array (b);
}

void
dl_dicom_wire_add_status (JsonBuilder   *b,
                          DlDicomStatus  status,
                          const char    *detail)
{
  json_builder_begin_object (b);
  add_string (b, "status", dl_dicom_status_to_name (status));
  add_string (b, "detail", detail);
  json_builder_end_object (b);
}

void
dl_dicom_wire_add_image (JsonBuilder        *b,
                         const DlDicomImage *image)
{
  json_builder_begin_object (b);
  add_int (b, "columns", image->columns);
  add_int (b, "rows", image->rows);
  add_int (b, "frames", image->frames);
  add_int (b, "samples_per_pixel", image->samples_per_pixel);
  add_int (b, "bits_allocated", image->bits_allocated);
  add_int (b, "bits_stored", image->bits_stored);
  add_int (b, "high_bit", image->high_bit);
  add_int (b, "is_signed", image->is_signed ? 1 : 0);
  add_string (b, "photometric", image->photometric);
  dl_json_set_double_or_null (b, "slope", image->slope);
  dl_json_set_double_or_null (b, "intercept", image->intercept);
  add_string (b, "transfer_syntax", image->transfer_syntax);
  add_string (b, "transfer_syntax_name", image->transfer_syntax_name);
  add_int (b, "encapsulated", image->encapsulated ? 1 : 0);
  add_int (b, "lossy", image->lossy ? 1 : 0);
  add_int (b, "buffer_length", (gint64) image->buffer_length);
  add_int (b, "pixel_data_length", (gint64) image->pixel_data_length);
  json_builder_end_object (b);
}

static void
add_threat (JsonBuilder         *b,
            const DlDicosThreat *t)
{
  json_builder_begin_object (b);
  add_int (b, "id", t->id);
  add_string (b, "category", t->category);
  add_string (b, "category_description", t->category_description);
  add_string (b, "assessment", t->assessment);
  add_string (b, "ability", t->ability);
  dl_json_set_double_or_null (b, "probability", t->probability);
  add_string (b, "referenced_sop_instance_uid", t->referenced_sop_instance_uid);
  add_string (b, "referenced_sop_class_uid", t->referenced_sop_class_uid);
  add_string (b, "location", t->location);
  add_int (b, "n_dims", MIN (t->n_dims, 3));
  add_doubles (b, "base", t->base, 3);
  add_doubles (b, "extents", t->extents, 3);
  json_builder_set_member_name (b, "polygon");
  if (t->polygon)
    {
      json_builder_begin_array (b);
      for (guint i = 0; i < t->polygon->len; i++)
        json_builder_add_double_value (b, g_array_index (t->polygon, double, i));
      json_builder_end_array (b);
    }
  else
    json_builder_add_null_value (b);
  add_int (b, "bitmap_bytes", t->bitmap_bytes);
  dl_json_set_double_or_null (b, "mass", t->mass);
  dl_json_set_double_or_null (b, "density", t->density);
  add_string (b, "source", t->source);
  add_string (b, "response", t->response);
  add_string (b, "responder", t->responder);
  add_int (b, "response_time", t->response_time);
  json_builder_end_object (b);
}

void
dl_dicom_wire_add_tdr (JsonBuilder      *b,
                       const DlDicosTdr *tdr)
{
  json_builder_begin_object (b);
  add_string (b, "sop_instance_uid", tdr->sop_instance_uid);
  add_string (b, "tdr_type", tdr->tdr_type);
  add_string (b, "alarm_decision", tdr->alarm_decision);
  add_string (b, "algorithm", tdr->algorithm);
  add_string (b, "ooi_type", tdr->ooi_type);
  add_string (b, "operator_id", tdr->operator_id);
  add_int (b, "alarm_decision_time", tdr->alarm_decision_time);
  add_string (b, "verdict", tdr->verdict);
  add_int (b, "n_alarm_objects", tdr->n_alarm_objects);
  add_int (b, "n_total_objects", tdr->n_total_objects);
  json_builder_set_member_name (b, "threats");
  json_builder_begin_array (b);
  for (guint i = 0; i < tdr->threats->len; i++)
    add_threat (b, g_ptr_array_index (tdr->threats, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
}

/* ---- reading back ----------------------------------------------------------------- */

/* The member @name: a string, or null (*@value NULL); FALSE when it is
 * missing or anything else. */
static gboolean
read_string (JsonObject *o,
             const char *name,
             char      **value)
{
  JsonNode *node = json_object_get_member (o, name);

  *value = NULL;
  if (node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  *value = g_strdup (json_node_get_string (node));
  return TRUE;
}

/* An integer member within [@min, @max]. */
static gboolean
read_int (JsonObject *o,
          const char *name,
          gint64      min,
          gint64      max,
          gint64     *value)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return *value >= min && *value <= max;
}

static gboolean
read_uint (JsonObject *o,
           const char *name,
           guint      *value)
{
  gint64 v;

  if (!read_int (o, name, 0, G_MAXUINT, &v))
    return FALSE;
  *value = (guint) v;
  return TRUE;
}

static gboolean
is_number (JsonNode *node)
{
  GType type = node && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

/* A number, or null (NaN). */
static gboolean
read_double (JsonObject *o,
             const char *name,
             double     *value)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node && JSON_NODE_HOLDS_NULL (node))
    {
      *value = NAN;
      return TRUE;
    }
  if (!is_number (node))
    return FALSE;
  *value = json_node_get_double (node);
  return TRUE;
}

static GArray *
read_doubles (JsonArray *a)
{
  GArray *out = g_array_sized_new (FALSE, FALSE, sizeof (double), json_array_get_length (a));

  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *node = json_array_get_element (a, i);
      double v;

      if (!is_number (node) || !isfinite (v = json_node_get_double (node)))
        {
          g_array_unref (out);
          return NULL;
        }
      g_array_append_val (out, v);
    }
  return out;
}

/* The member @name when it is an array, else NULL. */
static JsonArray *
member_array (JsonObject *o,
              const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
read_fixed (JsonObject *o,
            const char *name,
            double      values[3])
{
  JsonArray *a = member_array (o, name);
  g_autoptr(GArray) v = a ? read_doubles (a) : NULL;

  if (v == NULL || v->len != 3)
    return FALSE;
  memcpy (values, v->data, 3 * sizeof (double));
  return TRUE;
}

static gboolean
read_flag (JsonObject *o,
           const char *name,
           gboolean   *value)
{
  gint64 v;

  if (!read_int (o, name, 0, 1, &v))
    return FALSE;
  *value = v != 0;
  return TRUE;
}

gboolean
dl_dicom_wire_read_status (JsonObject    *o,
                           DlDicomStatus *status,
                           char         **detail)
{
  g_autofree char *name = NULL;

  *detail = NULL;
  if (!read_string (o, "status", &name) || !dl_dicom_status_from_name (name, status))
    return FALSE;
  return read_string (o, "detail", detail);
}

void
dl_dicom_wire_image_clear (DlDicomImage *image)
{
  g_free ((char *) image->photometric);
  g_free ((char *) image->transfer_syntax);
  g_free ((char *) image->transfer_syntax_name);
  memset (image, 0, sizeof *image);
}

static gboolean
read_image_strings (JsonObject   *o,
                    DlDicomImage *image)
{
  char *photometric = NULL, *syntax = NULL, *name = NULL;
  gboolean ok = read_string (o, "photometric", &photometric) && read_string (o, "transfer_syntax", &syntax)
                && read_string (o, "transfer_syntax_name", &name);

  image->photometric = photometric ? photometric : g_strdup ("");
  image->transfer_syntax = syntax ? syntax : g_strdup ("");
  image->transfer_syntax_name = name ? name : g_strdup ("");
  return ok;
}

gboolean
dl_dicom_wire_read_image (JsonObject   *o,
                          DlDicomImage *image)
{
  gint64 buffer, pixels;
  gboolean ok;

  memset (image, 0, sizeof *image);
  ok = read_uint (o, "columns", &image->columns) && read_uint (o, "rows", &image->rows)
       && read_uint (o, "frames", &image->frames) && read_uint (o, "samples_per_pixel", &image->samples_per_pixel)
       && read_uint (o, "bits_allocated", &image->bits_allocated) && read_uint (o, "bits_stored", &image->bits_stored)
       && read_uint (o, "high_bit", &image->high_bit) && read_flag (o, "is_signed", &image->is_signed)
       && read_double (o, "slope", &image->slope) && read_double (o, "intercept", &image->intercept)
       && read_flag (o, "encapsulated", &image->encapsulated) && read_flag (o, "lossy", &image->lossy)
       && read_int (o, "buffer_length", 0, G_MAXINT64, &buffer)
       && read_int (o, "pixel_data_length", 0, G_MAXINT64, &pixels);
  ok = read_image_strings (o, image) && ok;
  if (!ok)
    {
      dl_dicom_wire_image_clear (image);
      return FALSE;
    }
  image->buffer_length = (guint64) buffer;
  image->pixel_data_length = (guint64) pixels;
  return TRUE;
}

static gboolean
read_threat_strings (JsonObject    *o,
                     DlDicosThreat *t)
{
  return read_string (o, "category", &t->category)
         && read_string (o, "category_description", &t->category_description)
         && read_string (o, "assessment", &t->assessment) && read_string (o, "ability", &t->ability)
         && read_string (o, "referenced_sop_instance_uid", &t->referenced_sop_instance_uid)
         && read_string (o, "referenced_sop_class_uid", &t->referenced_sop_class_uid)
         && read_string (o, "location", &t->location) && read_string (o, "source", &t->source)
         && read_string (o, "response", &t->response) && read_string (o, "responder", &t->responder);
}

static gboolean
read_polygon (JsonObject    *o,
              DlDicosThreat *t)
{
  JsonNode *node = json_object_get_member (o, "polygon");

  if (node && JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  t->polygon = read_doubles (json_node_get_array (node));
  return t->polygon != NULL;
}

static DlDicosThreat *
read_threat (JsonNode *node)
{
  g_autoptr(DlDicosThreat) t = dl_dicos_threat_new ();
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

  if (o == NULL || !read_threat_strings (o, t) || !read_uint (o, "id", &t->id)
      || !read_uint (o, "n_dims", &t->n_dims) || t->n_dims > 3
      || !read_fixed (o, "base", t->base) || !read_fixed (o, "extents", t->extents) || !read_polygon (o, t)
      || !read_uint (o, "bitmap_bytes", &t->bitmap_bytes) || !read_double (o, "probability", &t->probability)
      || !read_double (o, "mass", &t->mass) || !read_double (o, "density", &t->density)
      || !read_int (o, "response_time", G_MININT64, G_MAXINT64, &t->response_time))
    return NULL;
  return g_steal_pointer (&t);
}

static gboolean
read_tdr_fields (JsonObject *o,
                 DlDicosTdr *tdr)
{
  return read_string (o, "sop_instance_uid", &tdr->sop_instance_uid) && read_string (o, "tdr_type", &tdr->tdr_type)
         && read_string (o, "alarm_decision", &tdr->alarm_decision) && read_string (o, "algorithm", &tdr->algorithm)
         && read_string (o, "ooi_type", &tdr->ooi_type) && read_string (o, "operator_id", &tdr->operator_id)
         && read_string (o, "verdict", &tdr->verdict)
         && read_int (o, "alarm_decision_time", G_MININT64, G_MAXINT64, &tdr->alarm_decision_time)
         && read_uint (o, "n_alarm_objects", &tdr->n_alarm_objects)
         && read_uint (o, "n_total_objects", &tdr->n_total_objects);
}

DlDicosTdr *
dl_dicom_wire_read_tdr (JsonObject *o)
{
  g_autoptr(DlDicosTdr) tdr = dl_dicos_tdr_new ();
  JsonArray *threats = member_array (o, "threats");

  if (threats == NULL || !read_tdr_fields (o, tdr))
    return NULL;
  for (guint i = 0; i < json_array_get_length (threats); i++)
    {
      DlDicosThreat *t = read_threat (json_array_get_element (threats, i));

      if (t == NULL)
        return NULL;
      g_ptr_array_add (tdr->threats, t);
    }
  return g_steal_pointer (&tdr);
}
