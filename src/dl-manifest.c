/* dl-manifest.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "dl-manifest.h"

G_DEFINE_QUARK (dl-manifest-error-quark, dl_manifest_error)

static void
container_free (gpointer data)
{
  DlManifestContainer *c = data;

  g_free (c->number);
  g_free (c->size_type);
  g_strfreev (c->seals);
  g_free (c);
}

static void
goods_free (gpointer data)
{
  DlManifestGoods *g = data;

  g_free (g->container);
  g_free (g->hs_code);
  g_free (g->description);
  g_free (g->package_kind);
  g_free (g);
}

DlManifest *
dl_manifest_new (void)
{
  DlManifest *self = g_new0 (DlManifest, 1);

  self->containers = g_ptr_array_new_with_free_func (container_free);
  self->goods = g_ptr_array_new_with_free_func (goods_free);
  return self;
}

void
dl_manifest_free (DlManifest *self)
{
  g_free (self->message_id);
  g_free (self->date);
  g_free (self->transport_mode);
  g_free (self->conveyance);
  g_free (self->voyage);
  g_free (self->port_of_loading);
  g_free (self->port_of_discharge);
  g_free (self->consignor);
  g_free (self->consignee);
  g_free (self->carrier);
  g_ptr_array_unref (self->containers);
  g_ptr_array_unref (self->goods);
  g_free (self);
}

DlManifestContainer *
dl_manifest_add_container (DlManifest *self,
                           const char *number,
                           const char *size_type,
                           gboolean    full)
{
  DlManifestContainer *c = g_new0 (DlManifestContainer, 1);

  c->number = g_strdup (number);
  c->size_type = g_strdup (size_type);
  c->full = full;
  c->seals = g_new0 (char *, 1);
  g_ptr_array_add (self->containers, c);
  return c;
}

DlManifestGoods *
dl_manifest_add_goods (DlManifest *self,
                       const char *container,
                       const char *hs_code,
                       const char *description,
                       guint       packages,
                       const char *package_kind,
                       double      gross_kg)
{
  DlManifestGoods *g = g_new0 (DlManifestGoods, 1);

  g->item = self->goods->len + 1;
  g->container = g_strdup (container);
  g->hs_code = g_strdup (hs_code);
  g->description = g_strdup (description);
  g->packages = packages;
  g->package_kind = g_strdup (package_kind);
  g->gross_kg = gross_kg;
  g_ptr_array_add (self->goods, g);
  return g;
}

double
dl_manifest_total_gross_kg (const DlManifest *self)
{
  double total = 0;

  for (guint i = 0; i < self->goods->len; i++)
    total += ((DlManifestGoods *) g_ptr_array_index (self->goods, i))->gross_kg;
  return total;
}

/* ---- ISO 6346 ------------------------------------------------------------ */

/* The check digit of the first ten characters (owner code, category,
 * serial number), or −1 when they are not of that form. */
int
dl_iso6346_check_digit (const char *first_ten)
{
  /* letters count 10 … 38, skipping the multiples of 11 */
  static const int letters[26] = {
    10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24, 25,
    26, 27, 28, 29, 30, 31, 32, 34, 35, 36, 37, 38,
  };
  int sum = 0;

  if (first_ten == NULL || strlen (first_ten) < 10)
    return -1;

  for (int i = 0; i < 10; i++)
    {
      char c = first_ten[i];
      int v;

      if (i < 4 && g_ascii_isupper (c))
        v = letters[c - 'A'];
      else if (i >= 4 && g_ascii_isdigit (c))
        v = c - '0';
      else
        return -1;
      sum += v << i;
    }
  return sum % 11 % 10;
}

gboolean
dl_iso6346_is_valid (const char *number)
{
  int digit;

  if (number == NULL || strlen (number) != 11 || !g_ascii_isdigit (number[10]))
    return FALSE;
  /* the fourth letter is the equipment category: U, J or Z */
  if (number[3] != 'U' && number[3] != 'J' && number[3] != 'Z')
    return FALSE;
  digit = dl_iso6346_check_digit (number);
  return digit >= 0 && digit == number[10] - '0';
}

/* ---- JSON ---------------------------------------------------------------- */

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
build_containers (JsonBuilder      *b,
                  const DlManifest *self)
{
  json_builder_set_member_name (b, "containers");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->containers->len; i++)
    {
      const DlManifestContainer *c = g_ptr_array_index (self->containers, i);

      json_builder_begin_object (b);
      add_string (b, "number", c->number);
      add_string (b, "size_type", c->size_type);
      json_builder_set_member_name (b, "full");
      json_builder_add_boolean_value (b, c->full);
      json_builder_set_member_name (b, "seals");
      json_builder_begin_array (b);
      for (guint k = 0; c->seals && c->seals[k]; k++)
        json_builder_add_string_value (b, c->seals[k]);
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
build_goods (JsonBuilder      *b,
             const DlManifest *self)
{
  json_builder_set_member_name (b, "goods");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->goods->len; i++)
    {
      const DlManifestGoods *g = g_ptr_array_index (self->goods, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "item");
      json_builder_add_int_value (b, g->item);
      add_string (b, "container", g->container);
      add_string (b, "hs_code", g->hs_code);
      add_string (b, "description", g->description);
      json_builder_set_member_name (b, "packages");
      json_builder_add_int_value (b, g->packages);
      add_string (b, "package_kind", g->package_kind);
      json_builder_set_member_name (b, "gross_kg");
      json_builder_add_double_value (b, round (g->gross_kg * 10) / 10);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

char *
dl_manifest_to_json (const DlManifest *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  add_string (b, "format", DL_MANIFEST_FORMAT);
  add_string (b, "message_id", self->message_id);
  add_string (b, "date", self->date);
  json_builder_set_member_name (b, "transport");
  json_builder_begin_object (b);
  add_string (b, "mode", self->transport_mode);
  add_string (b, "conveyance", self->conveyance);
  add_string (b, "voyage", self->voyage);
  json_builder_end_object (b);
  add_string (b, "port_of_loading", self->port_of_loading);
  add_string (b, "port_of_discharge", self->port_of_discharge);
  add_string (b, "consignor", self->consignor);
  add_string (b, "consignee", self->consignee);
  add_string (b, "carrier", self->carrier);
  build_containers (b, self);
  build_goods (b, self);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  return json_to_string (root, TRUE);
}

static char *
dup_member (JsonObject *o,
            const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (n));
}

static gboolean
invalid (GError    **error,
         const char *what)
{
  g_set_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID,
               _("The manifest is not valid: %s"), what);
  return FALSE;
}

static gboolean
read_containers (DlManifest  *self,
                 JsonObject  *root,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (root, "containers");
  JsonArray *array;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, _("“containers” must be a list"));

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      JsonObject *o;
      g_autofree char *number = NULL;
      g_autofree char *size_type = NULL;
      DlManifestContainer *c;

      if (!JSON_NODE_HOLDS_OBJECT (e))
        return invalid (error, _("a container must be an object"));
      o = json_node_get_object (e);
      number = dup_member (o, "number");
      size_type = dup_member (o, "size_type");
      if (number == NULL)
        return invalid (error, _("a container has no number"));
      c = dl_manifest_add_container (self, number, size_type,
                                     json_object_get_boolean_member_with_default (o, "full", TRUE));
      if (json_object_has_member (o, "seals")
          && JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "seals")))
        {
          JsonArray *seals = json_object_get_array_member (o, "seals");
          g_autoptr(GStrvBuilder) sb = g_strv_builder_new ();

          for (guint k = 0; k < json_array_get_length (seals); k++)
            {
              JsonNode *s = json_array_get_element (seals, k);
              if (JSON_NODE_HOLDS_VALUE (s) && json_node_get_value_type (s) == G_TYPE_STRING)
                g_strv_builder_add (sb, json_node_get_string (s));
            }
          g_strfreev (c->seals);
          c->seals = g_strv_builder_end (sb);
        }
    }
  return TRUE;
}

static gboolean
read_goods (DlManifest  *self,
            JsonObject  *root,
            GError     **error)
{
  JsonNode *node = json_object_get_member (root, "goods");
  JsonArray *array;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, _("“goods” must be a list"));

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      JsonObject *o;
      g_autofree char *container = NULL, *hs = NULL, *desc = NULL, *kind = NULL;
      gint64 packages;
      double gross;

      if (!JSON_NODE_HOLDS_OBJECT (e))
        return invalid (error, _("a goods line must be an object"));
      o = json_node_get_object (e);
      container = dup_member (o, "container");
      hs = dup_member (o, "hs_code");
      desc = dup_member (o, "description");
      kind = dup_member (o, "package_kind");
      packages = json_object_get_int_member_with_default (o, "packages", 0);
      gross = json_object_get_double_member_with_default (o, "gross_kg", 0);
      if (packages < 0 || packages > G_MAXUINT || !isfinite (gross) || gross < 0)
        return invalid (error, _("a goods line has a negative or impossible quantity"));
      dl_manifest_add_goods (self, container, hs, desc, packages, kind, gross)->item =
        json_object_get_int_member_with_default (o, "item", i + 1);
    }
  return TRUE;
}

DlManifest *
dl_manifest_from_json (const char  *json,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(DlManifest) self = NULL;
  g_autofree char *format = NULL;
  JsonObject *root, *transport = NULL;
  GError *local = NULL;

  if (!json_parser_load_from_data (parser, json, -1, &local))
    {
      g_set_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID,
                   _("The manifest is not valid JSON: %s"), local->message);
      g_error_free (local);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return invalid (error, _("it is not a JSON object")), NULL;

  root = json_node_get_object (json_parser_get_root (parser));
  format = dup_member (root, "format");
  if (g_strcmp0 (format, DL_MANIFEST_FORMAT) != 0)
    {
      g_set_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID,
                   _("The manifest format is “%s”, not “%s”"), format ? format : "", DL_MANIFEST_FORMAT);
      return NULL;
    }

  self = dl_manifest_new ();
  self->message_id = dup_member (root, "message_id");
  self->date = dup_member (root, "date");
  if (json_object_has_member (root, "transport")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "transport")))
    transport = json_object_get_object_member (root, "transport");
  if (transport)
    {
      self->transport_mode = dup_member (transport, "mode");
      self->conveyance = dup_member (transport, "conveyance");
      self->voyage = dup_member (transport, "voyage");
    }
  self->port_of_loading = dup_member (root, "port_of_loading");
  self->port_of_discharge = dup_member (root, "port_of_discharge");
  self->consignor = dup_member (root, "consignor");
  self->consignee = dup_member (root, "consignee");
  self->carrier = dup_member (root, "carrier");

  if (!read_containers (self, root, error) || !read_goods (self, root, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* ---- UN/EDIFACT CUSCAR --------------------------------------------------- */

/* Escapes the service characters + : ' ? with the release character. */
static void
append_escaped (GString    *s,
                const char *text)
{
  for (const char *p = text ? text : ""; *p; p++)
    {
      if (*p == '+' || *p == ':' || *p == '\'' || *p == '?')
        g_string_append_c (s, '?');
      g_string_append_c (s, *p);
    }
}

typedef struct
{
  GString *s;
  guint    count;   /* segments from UNH to UNT, both included */
} Edi;

/* Appends one segment: @fmt uses %s for escaped text arguments only. */
static void
segment (Edi        *e,
         const char *tag,
         ...)
{
  va_list ap;
  const char *part;

  g_string_append (e->s, tag);
  va_start (ap, tag);
  while ((part = va_arg (ap, const char *)) != NULL)
    {
      /* parts beginning with \1 are already-built composites, others escaped */
      g_string_append_c (e->s, '+');
      if (part[0] == '\1')
        g_string_append (e->s, part + 1);
      else
        append_escaped (e->s, part);
    }
  va_end (ap);
  g_string_append (e->s, "'\n");
  e->count++;
}

static char *
composite (const char *first,
           ...)
{
  GString *s = g_string_new ("\1");
  va_list ap;
  const char *part = first;
  gboolean sep = FALSE;

  va_start (ap, first);
  for (; part != NULL; part = va_arg (ap, const char *))
    {
      if (sep)
        g_string_append_c (s, ':');
      append_escaped (s, part);
      sep = TRUE;
    }
  va_end (ap);
  return g_string_free (s, FALSE);
}

static void
write_goods (Edi              *e,
             const DlManifest *self)
{
  for (guint i = 0; i < self->goods->len; i++)
    {
      const DlManifestGoods *g = g_ptr_array_index (self->goods, i);
      g_autofree char *item = g_strdup_printf ("%u", g->item);
      g_autofree char *count = g_strdup_printf ("%u", g->packages);
      g_autofree char *kg = g_strdup_printf ("%.1f", g->gross_kg);
      g_autofree char *pk = composite (count, g->package_kind ? g->package_kind : "PK", NULL);
      g_autofree char *weight = composite ("KGM", kg, NULL);
      g_autofree char *hs = composite (g->hs_code ? g->hs_code : "", NULL);

      segment (e, "GID", item, pk, NULL);
      segment (e, "FTX", "AAA", "", "", g->description ? g->description : "", NULL);
      segment (e, "PIA", "5", hs, NULL);
      segment (e, "MEA", "WT", "G", weight, NULL);
      if (g->container)
        segment (e, "SGP", g->container, NULL);
    }
}

static void
write_containers (Edi              *e,
                  const DlManifest *self)
{
  for (guint i = 0; i < self->containers->len; i++)
    {
      const DlManifestContainer *c = g_ptr_array_index (self->containers, i);
      g_autofree char *type = composite (c->size_type ? c->size_type : "", "102", "5", NULL);

      /* full/empty indicator: 5 full, 4 empty */
      segment (e, "EQD", "CN", c->number, type, "", "", c->full ? "5" : "4", NULL);
      for (guint k = 0; c->seals && c->seals[k]; k++)
        segment (e, "SEL", c->seals[k], "CA", NULL);
    }
}

/**
 * dl_manifest_to_cuscar:
 *
 * One UN/EDIFACT interchange (UNA, UNB … UNZ) with one CUSCAR D:95B
 * message: header, transport, places, parties, one consignment with its
 * goods items, and the equipment.  Deterministic: no clock is read.
 */
char *
dl_manifest_to_cuscar (const DlManifest *self)
{
  Edi e = { g_string_new ("UNA:+.? '\n"), 0 };
  const char *ref = self->message_id ? self->message_id : "1";
  g_autofree char *date = g_strdup (self->date ? self->date : "2026-01-01");
  g_autofree char *compact = NULL;
  g_autofree char *unb_date = NULL;
  g_autofree char *dtm = NULL;
  g_autofree char *tdt_carrier = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *unt_count = NULL;

  {
    g_auto(GStrv) parts = g_strsplit (date, "-", -1);
    compact = g_strjoinv ("", parts);
  }
  unb_date = g_strdup_printf ("%.6s:1200", strlen (compact) >= 8 ? compact + 2 : "260101");
  dtm = composite ("137", compact, "102", NULL);
  tdt_carrier = composite (self->carrier ? self->carrier : "", "172", "20", NULL);
  mode = g_strdup (g_strcmp0 (self->transport_mode, "road") == 0 ? "3" : "1");

  g_string_append_printf (e.s, "UNB+UNOC:3+DOORLICHT:ZZZ+CUSTOMS:ZZZ+%s+", unb_date);
  append_escaped (e.s, ref);
  g_string_append (e.s, "'\n");

  segment (&e, "UNH", "1", "\1CUSCAR:D:95B:UN", NULL);
  segment (&e, "BGM", "85", ref, "9", NULL);
  segment (&e, "DTM", dtm, NULL);
  segment (&e, "TDT", "20", self->voyage ? self->voyage : "", mode, "", tdt_carrier, "", "",
           self->conveyance ? self->conveyance : "", NULL);
  segment (&e, "LOC", "9", self->port_of_loading ? self->port_of_loading : "", NULL);
  segment (&e, "LOC", "11", self->port_of_discharge ? self->port_of_discharge : "", NULL);
  segment (&e, "NAD", "CZ", "", "", self->consignor ? self->consignor : "", NULL);
  segment (&e, "NAD", "CN", "", "", self->consignee ? self->consignee : "", NULL);
  segment (&e, "NAD", "CA", "", "", self->carrier ? self->carrier : "", NULL);
  segment (&e, "CNI", "1", ref, NULL);
  write_goods (&e, self);
  write_containers (&e, self);

  unt_count = g_strdup_printf ("%u", e.count + 1);
  segment (&e, "UNT", unt_count, "1", NULL);
  g_string_append (e.s, "UNZ+1+");
  append_escaped (e.s, ref);
  g_string_append (e.s, "'\n");

  return g_string_free (e.s, FALSE);
}
