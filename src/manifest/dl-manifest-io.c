/* dl-manifest-io.c — the manifest as CSV, and reading any of the forms
 * (JSON, CSV, UN/EDIFACT CUSCAR) told apart by the content.
 *
 * CSV is RFC 4180: fields separated by commas, quoted with double quotes
 * when they hold a comma, a quote (doubled) or a line break; records end
 * with CRLF (LF alone is read too).  See dl-manifest.h for the columns.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-manifest"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "dl-cuscar.h"
#include "dl-json-check.h"
#include "dl-manifest.h"
#include "dl-regular-file.h"

#define CSV_MAX_ROWS    1000000u
#define CSV_MAX_FIELDS  100u

typedef enum
{
  COL_MESSAGE_ID, COL_DATE, COL_TRANSPORT_MODE, COL_CONVEYANCE, COL_VOYAGE,
  COL_PORT_OF_LOADING, COL_PORT_OF_DISCHARGE, COL_CONSIGNOR, COL_CONSIGNEE,
  COL_CARRIER, COL_TRANSPORT_DOCUMENT, COL_TRANSPORT_DOCUMENT_KIND,
  COL_ITEM, COL_CONTAINER, COL_HS_CODE, COL_DESCRIPTION, COL_PACKAGES,
  COL_PACKAGE_KIND, COL_GROSS_KG, COL_UN_NUMBER, COL_HAZARD_CLASS,
  COL_SIZE_TYPE, COL_FULL, COL_SEALS, COL_PLACEMENTS,
  COL_NOTIFY_PARTY, COL_PLACE_OF_LOADING, COL_PLACE_OF_DISCHARGE, COL_PLACE_OF_DELIVERY,
  COL_CONSIGNMENT,
  N_COLUMNS
} Column;

static const char *column_names[N_COLUMNS] = {
  "message_id", "date", "transport_mode", "conveyance", "voyage",
  "port_of_loading", "port_of_discharge", "consignor", "consignee",
  "carrier", "transport_document", "transport_document_kind",
  "item", "container", "hs_code", "description", "packages",
  "package_kind", "gross_kg", "un_number", "hazard_class",
  "size_type", "full", "seals", "placements",
  "notify_party", "place_of_loading", "place_of_discharge", "place_of_delivery",
  "consignment",
};

/* The message's columns, and the consignment's: rows alike in all of
 * these are one consignment. */
static const Column message_columns[] = {
  COL_MESSAGE_ID, COL_DATE, COL_TRANSPORT_MODE, COL_CONVEYANCE, COL_VOYAGE,
  COL_PORT_OF_LOADING, COL_PORT_OF_DISCHARGE, COL_CARRIER,
};
static const Column consignment_columns[] = {
  COL_CONSIGNOR, COL_CONSIGNEE, COL_TRANSPORT_DOCUMENT, COL_TRANSPORT_DOCUMENT_KIND,
  COL_NOTIFY_PARTY, COL_PLACE_OF_LOADING, COL_PLACE_OF_DISCHARGE, COL_PLACE_OF_DELIVERY,
};

static void
message_fields (DlManifest  *m,
                char      ***out)
{
  char **fields[] = {
    &m->message_id, &m->date, &m->transport_mode, &m->conveyance, &m->voyage,
    &m->port_of_loading, &m->port_of_discharge, &m->carrier,
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (fields) == G_N_ELEMENTS (message_columns));
  memcpy (out, fields, sizeof fields);
}

static void
consignment_fields (DlManifestConsignment  *c,
                    char                 ***out)
{
  char **fields[] = {
    &c->consignor, &c->consignee, &c->transport_document, &c->transport_document_kind,
    &c->notify_party, &c->place_of_loading, &c->place_of_discharge, &c->place_of_delivery,
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (fields) == G_N_ELEMENTS (consignment_columns));
  memcpy (out, fields, sizeof fields);
}

/* The message's fields and @c's (may be NULL) into @row. */
static void
header_fields (const DlManifest            *self,
               const DlManifestConsignment *c,
               const char                 **row)
{
  char **fields[G_N_ELEMENTS (message_columns)];
  char **cfields[G_N_ELEMENTS (consignment_columns)];

  message_fields ((DlManifest *) self, fields);
  for (guint i = 0; i < G_N_ELEMENTS (message_columns); i++)
    row[message_columns[i]] = *fields[i];
  if (c == NULL)
    return;
  consignment_fields ((DlManifestConsignment *) c, cfields);
  for (guint i = 0; i < G_N_ELEMENTS (consignment_columns); i++)
    row[consignment_columns[i]] = *cfields[i];
}

/* ---- writing ---------------------------------------------------------------- */

static void
append_field (GString    *s,
              const char *value,
              gboolean    first)
{
  if (!first)
    g_string_append_c (s, ',');
  if (value == NULL)
    return;
  if (strpbrk (value, ",\"\r\n") == NULL && value[0] != ' ' && !g_str_has_suffix (value, " "))
    {
      g_string_append (s, value);
      return;
    }
  g_string_append_c (s, '"');
  for (const char *p = value; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

/* @text with ':', ';' and '\\' escaped by a backslash. */
static void
append_escaped (GString    *s,
                const char *text)
{
  for (const char *p = text; *p; p++)
    {
      if (*p == ':' || *p == ';' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
}

/* A goods item's placements in equipment as one field:
 * CONTAINER:PACKAGES:GROSS_KG;… (a part empty when not given), or NULL
 * when it has none (it is whole in its container). */
static char *
placements_field (const DlManifestGoods *g)
{
  GString *s;

  if (g == NULL || g->placements->len == 0)
    return NULL;
  s = g_string_new (NULL);
  for (guint i = 0; i < g->placements->len; i++)
    {
      const DlManifestPlacement *p = g_ptr_array_index (g->placements, i);

      if (i > 0)
        g_string_append_c (s, ';');
      append_escaped (s, p->container);
      g_string_append_c (s, ':');
      if (p->has_packages)
        g_string_append_printf (s, "%u", p->packages);
      g_string_append_c (s, ':');
      if (isfinite (p->gross_kg))
        {
          g_autofree char *kg = dl_manifest_format_number (p->gross_kg);
          g_string_append (s, kg);
        }
    }
  return g_string_free (s, FALSE);
}

static void
append_row (GString                     *s,
            const DlManifest            *self,
            const DlManifestConsignment *consignment,
            const DlManifestGoods       *g,
            const char                  *container_number)
{
  const DlManifestContainer *c = dl_manifest_find_container (self, container_number);
  g_autofree char *item = g ? g_strdup_printf ("%u", g->item) : NULL;
  g_autofree char *packages = g && g->has_packages ? g_strdup_printf ("%u", g->packages) : NULL;
  g_autofree char *seals = c ? g_strjoinv (";", c->seals) : NULL;
  g_autofree char *gross = g && dl_manifest_goods_has_mass (g) ? dl_manifest_format_number (g->gross_kg) : NULL;
  g_autofree char *placements = placements_field (g);
  g_autofree char *number = NULL;
  const char *row[N_COLUMNS] = { NULL };
  guint index;

  if (g)
    consignment = g->consignment;
  /* its place among the consignments, from 1: two alike stay two */
  if (consignment && g_ptr_array_find (self->consignments, consignment, &index))
    number = g_strdup_printf ("%u", index + 1);
  header_fields (self, consignment, row);
  row[COL_CONSIGNMENT] = number;
  row[COL_ITEM] = item;
  row[COL_CONTAINER] = container_number;
  if (g)
    {
      row[COL_HS_CODE] = g->hs_code;
      row[COL_DESCRIPTION] = g->description;
      row[COL_PACKAGES] = packages;   /* empty: no count given */
      row[COL_PACKAGE_KIND] = g->package_kind;
      row[COL_GROSS_KG] = gross;   /* empty: not given */
      row[COL_UN_NUMBER] = g->un_number;
      row[COL_HAZARD_CLASS] = g->hazard_class;
      row[COL_PLACEMENTS] = placements;
    }
  if (c)
    {
      row[COL_SIZE_TYPE] = c->size_type;
      row[COL_FULL] = c->full ? "true" : "false";
      row[COL_SEALS] = seals;
    }
  for (guint i = 0; i < N_COLUMNS; i++)
    append_field (s, row[i], i == 0);
  g_string_append (s, "\r\n");
}

static gboolean
has_goods (const DlManifest *self,
           const char       *number)
{
  /* the goods rows name their first container; one holding only later
   * placements still gets its own row (size, seals) */
  for (guint i = 0; i < self->goods->len; i++)
    if (g_strcmp0 (((DlManifestGoods *) g_ptr_array_index (self->goods, i))->container, number) == 0)
      return TRUE;
  return FALSE;
}

/**
 * dl_manifest_to_csv:
 *
 * A header row, one row per goods line, then one per container without
 * goods (no item); a manifest with neither has one row of header fields.
 */
char *
dl_manifest_to_csv (const DlManifest *self)
{
  GString *s = g_string_new (NULL);
  guint rows = 0;

  for (guint i = 0; i < N_COLUMNS; i++)
    append_field (s, column_names[i], i == 0);
  g_string_append (s, "\r\n");

  for (guint i = 0; i < self->goods->len; i++, rows++)
    {
      const DlManifestGoods *g = g_ptr_array_index (self->goods, i);
      append_row (s, self, NULL, g, g->container);
    }
  /* a consignment without goods: a row of its own, with no item or container */
  for (guint i = 0; i < self->consignments->len; i++)
    {
      const DlManifestConsignment *c = g_ptr_array_index (self->consignments, i);

      if (dl_manifest_consignment_n_goods (self, c) == 0)
        {
          append_row (s, self, c, NULL, NULL);
          rows++;
        }
    }
  for (guint i = 0; i < self->containers->len; i++)
    {
      const DlManifestContainer *c = g_ptr_array_index (self->containers, i);

      if (!has_goods (self, c->number))
        {
          append_row (s, self, NULL, NULL, c->number);
          rows++;
        }
    }
  if (rows == 0)
    append_row (s, self, NULL, NULL, NULL);
  return g_string_free (s, FALSE);
}

/* ---- reading CSV -------------------------------------------------------------- */

typedef struct
{
  const char *data;
  gsize       len;
  gsize       pos;
  guint       line;   /* of the position, from 1 */
} Csv;

static gboolean
csv_error (GError     **error,
           guint        line,
           const char  *format,
           ...) G_GNUC_PRINTF (3, 4);

static gboolean
csv_error (GError     **error,
           guint        line,
           const char  *format,
           ...)
{
  g_autofree char *what = NULL;
  va_list ap;

  va_start (ap, format);
  what = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID,
               _("The manifest CSV is not valid: line %u: %s"), line, what);
  return FALSE;
}

/* Moves past a line end at the position, if there is one. */
static gboolean
csv_line_end (Csv *csv)
{
  if (csv->pos < csv->len && csv->data[csv->pos] == '\r')
    {
      csv->pos++;
      if (csv->pos < csv->len && csv->data[csv->pos] == '\n')
        csv->pos++;
      csv->line++;
      return TRUE;
    }
  if (csv->pos < csv->len && csv->data[csv->pos] == '\n')
    {
      csv->pos++;
      csv->line++;
      return TRUE;
    }
  return FALSE;
}

static gboolean
csv_quoted (Csv      *csv,
            GString  *field,
            GError  **error)
{
  guint start = csv->line;

  csv->pos++;   /* the opening quote */
  for (;;)
    {
      char c;

      if (csv->pos >= csv->len)
        return csv_error (error, start, _("a quoted field is not closed before the end of the data"));
      c = csv->data[csv->pos++];
      if (c == '"' && csv->pos < csv->len && csv->data[csv->pos] == '"')
        {
          g_string_append_c (field, '"');
          csv->pos++;
        }
      else if (c == '"')
        break;
      else
        {
          if (c == '\n' || (c == '\r' && !(csv->pos < csv->len && csv->data[csv->pos] == '\n')))
            csv->line++;
          g_string_append_c (field, c);
        }
    }
  if (csv->pos < csv->len && csv->data[csv->pos] != ',' && csv->data[csv->pos] != '\r'
      && csv->data[csv->pos] != '\n')
    return csv_error (error, csv->line, _("there is text after the closing quote of a field"));
  return TRUE;
}

/* One record as a NULL-terminated array of fields; NULL (no error) at the
 * end of the data.  Empty lines are skipped. */
static gboolean
csv_record (Csv      *csv,
            GStrv    *out,
            guint    *line,
            GError  **error)
{
  g_autoptr(GStrvBuilder) fields = g_strv_builder_new ();
  g_autoptr(GString) field = g_string_new (NULL);
  guint n = 0;

  *out = NULL;
  while (csv_line_end (csv))
    ;
  if (csv->pos >= csv->len)
    return TRUE;
  *line = csv->line;

  for (;;)
    {
      if (csv->pos < csv->len && csv->data[csv->pos] == '"')
        {
          if (!csv_quoted (csv, field, error))
            return FALSE;
        }
      else
        while (csv->pos < csv->len && strchr (",\r\n", csv->data[csv->pos]) == NULL)
          {
            if (csv->data[csv->pos] == '"')
              return csv_error (error, csv->line, _("a quote inside an unquoted field"));
            g_string_append_c (field, csv->data[csv->pos++]);
          }
      if (++n > CSV_MAX_FIELDS)
        return csv_error (error, *line, _("a row has more than %u fields"), CSV_MAX_FIELDS);
      g_strv_builder_add (fields, field->str);
      g_string_truncate (field, 0);
      if (csv->pos < csv->len && csv->data[csv->pos] == ',')
        {
          csv->pos++;
          continue;
        }
      csv_line_end (csv);
      break;
    }
  *out = g_strv_builder_end (fields);
  return TRUE;
}

typedef struct
{
  int          index[N_COLUMNS];   /* the field of each column, −1 absent */
  GStrv        row;
  guint        line;
  GHashTable  *numbered;   /* "consignment" number → DlManifestConsignment */
} Row;

static const char *
row_get (const Row *r,
         Column     column)
{
  int i = r->index[column];

  return i >= 0 && r->row[i][0] != '\0' ? r->row[i] : NULL;
}

static gboolean
read_header_row (Row      *r,
                 GStrv     names,
                 GError  **error)
{
  for (guint c = 0; c < N_COLUMNS; c++)
    r->index[c] = -1;
  for (guint i = 0; names[i]; i++)
    for (guint c = 0; c < N_COLUMNS; c++)
      if (strcmp (names[i], column_names[c]) == 0)
        {
          if (r->index[c] >= 0)
            return csv_error (error, 1, _("the column “%s” is named twice"), names[i]);
          r->index[c] = i;
        }
  if (r->index[COL_ITEM] < 0)
    return csv_error (error, 1, _("the header row has no column “item”"));
  return TRUE;
}

/* A message field: the first row that gives it sets it; later rows
 * repeat it or leave it empty. */
static gboolean
merge_header (DlManifest  *m,
              const Row   *r,
              GError     **error)
{
  char **fields[G_N_ELEMENTS (message_columns)];

  message_fields (m, fields);
  for (guint i = 0; i < G_N_ELEMENTS (message_columns); i++)
    {
      Column c = message_columns[i];
      const char *v = row_get (r, c);

      if (v == NULL)
        continue;
      if (*fields[i] == NULL)
        *fields[i] = g_strdup (v);
      else if (strcmp (*fields[i], v) != 0)
        return csv_error (error, r->line, _("“%s” is “%s” here, “%s” above"), column_names[c], v, *fields[i]);
    }
  return TRUE;
}

static gboolean
row_has_consignment (const Row *r)
{
  for (guint i = 0; i < G_N_ELEMENTS (consignment_columns); i++)
    if (row_get (r, consignment_columns[i]))
      return TRUE;
  return FALSE;
}

static gboolean parse_count (const char *text,
                             guint      *out);

static gboolean
value_is (gpointer key,
          gpointer value,
          gpointer data)
{
  return value == data;
}

static gboolean
same_consignment (DlManifestConsignment *c,
                  const Row             *r)
{
  char **fields[G_N_ELEMENTS (consignment_columns)];

  consignment_fields (c, fields);
  for (guint i = 0; i < G_N_ELEMENTS (consignment_columns); i++)
    if (g_strcmp0 (*fields[i], row_get (r, consignment_columns[i])) != 0)
      return FALSE;
  return TRUE;
}

static DlManifestConsignment *
new_consignment (DlManifest *m,
                 const Row  *r)
{
  char **fields[G_N_ELEMENTS (consignment_columns)];
  DlManifestConsignment *c = dl_manifest_add_consignment (m);

  consignment_fields (c, fields);
  for (guint i = 0; i < G_N_ELEMENTS (consignment_columns); i++)
    *fields[i] = g_strdup (row_get (r, consignment_columns[i]));
  return c;
}

/* The consignment of the row: by its "consignment" number where given
 * (rows of one number must describe it alike), else the one whose
 * document, kind, parties and places are all the row's, else a new one;
 * NULL with an error for a number that is not, or a contradiction. */
static DlManifestConsignment *
row_consignment (DlManifest  *m,
                 const Row   *r,
                 GError     **error)
{
  const char *number = row_get (r, COL_CONSIGNMENT);
  DlManifestConsignment *c;
  guint n;

  if (number)
    {
      if (!parse_count (number, &n) || n == 0)
        return csv_error (error, r->line, _("“consignment” must be a whole number of at least 1, not “%s”"), number),
               NULL;
      c = g_hash_table_lookup (r->numbered, GUINT_TO_POINTER (n));
      if (c && !same_consignment (c, r))
        return csv_error (error, r->line, _("consignment %u is described differently above"), n), NULL;
      if (c == NULL)
        {
          c = new_consignment (m, r);
          g_hash_table_insert (r->numbered, GUINT_TO_POINTER (n), c);
        }
      return c;
    }
  for (guint k = 0; k < m->consignments->len; k++)
    {
      c = g_ptr_array_index (m->consignments, k);
      if (same_consignment (c, r) && g_hash_table_find (r->numbered, value_is, c) == NULL)
        return c;
    }
  return new_consignment (m, r);
}

static gboolean
parse_count (const char *text,
             guint      *out)
{
  gsize n = text ? strlen (text) : 0;

  if (n == 0 || n > 9)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  *out = (guint) g_ascii_strtoull (text, NULL, 10);
  return TRUE;
}

static gboolean
merge_container (DlManifest  *m,
                 const Row   *r,
                 GError     **error)
{
  const char *number = row_get (r, COL_CONTAINER);
  const char *size_type = row_get (r, COL_SIZE_TYPE);
  const char *full_text = row_get (r, COL_FULL);
  const char *seals = row_get (r, COL_SEALS);
  g_auto(GStrv) seal_list = seals ? g_strsplit (seals, ";", -1) : g_new0 (char *, 1);
  DlManifestContainer *c;
  gboolean full = TRUE;

  if (number == NULL)
    {
      if (size_type || full_text || seals)
        return csv_error (error, r->line, _("container columns are filled in, but there is no container number"));
      return TRUE;
    }
  if (full_text && g_ascii_strcasecmp (full_text, "true") != 0 && g_ascii_strcasecmp (full_text, "false") != 0)
    return csv_error (error, r->line, _("“full” must be true or false, not “%s”"), full_text);
  full = full_text == NULL || g_ascii_strcasecmp (full_text, "true") == 0;

  c = dl_manifest_find_container (m, number);
  if (c == NULL)
    {
      c = dl_manifest_add_container (m, number, size_type, full);
      g_strfreev (c->seals);
      c->seals = g_steal_pointer (&seal_list);
      return TRUE;
    }
  if ((size_type && g_strcmp0 (size_type, c->size_type) != 0)
      || (full_text && full != c->full)
      || (seals && !g_strv_equal ((const char * const *) seal_list, (const char * const *) c->seals)))
    return csv_error (error, r->line, _("container %s is described differently above"), number);
  return TRUE;
}

/* The next part of @text up to an unescaped @stop (or its end), unescaped;
 * *@text moves past it. */
static char *
next_part (const char **text,
           const char  *stops)
{
  GString *s = g_string_new (NULL);
  const char *p = *text;

  for (; *p && strchr (stops, *p) == NULL; p++)
    {
      if (*p == '\\' && p[1])
        p++;
      g_string_append_c (s, *p);
    }
  *text = p;
  return g_string_free (s, FALSE);
}

/* One CONTAINER:PACKAGES:GROSS_KG of the "placements" field. */
static gboolean
read_placement (DlManifestGoods *g,
                const char     **text,
                const Row       *r,
                GError         **error)
{
  g_autofree char *container = next_part (text, ":;");
  g_autofree char *packages_text = NULL;
  g_autofree char *kg_text = NULL;
  guint packages = 0;
  double kg = DL_MANIFEST_NO_MASS;
  char *end = NULL;

  if (**text == ':')
    (*text)++, packages_text = next_part (text, ":;");
  if (**text == ':')
    (*text)++, kg_text = next_part (text, ";");
  if (container[0] == '\0' || packages_text == NULL || kg_text == NULL)
    return csv_error (error, r->line, _("“placements” must be CONTAINER:PACKAGES:GROSS_KG;…"));
  if (packages_text[0] && !parse_count (packages_text, &packages))
    return csv_error (error, r->line, _("a placement's packages must be a whole number, not “%s”"), packages_text);
  if (kg_text[0])
    {
      kg = g_ascii_strtod (kg_text, &end);
      if (end == kg_text || *end != '\0' || !isfinite (kg) || kg < 0)
        return csv_error (error, r->line, _("a placement's gross mass must be a number of zero or more, not “%s”"),
                          kg_text);
      if (kg > DL_MANIFEST_MAX_KG)
        return csv_error (error, r->line, _("a placement's gross mass “%s” is more than any cargo weighs"), kg_text);
    }
  dl_manifest_goods_add_placement (g, container, packages_text[0] ? (gint64) packages : -1, kg);
  return TRUE;
}

static gboolean
read_placements (DlManifestGoods *g,
                 const Row       *r,
                 GError         **error)
{
  const char *text = row_get (r, COL_PLACEMENTS);

  while (text && *text)
    {
      if (!read_placement (g, &text, r, error))
        return FALSE;
      if (*text == ';')
        text++;
    }
  if (g->placements->len > 0 && g_strcmp0 (((DlManifestPlacement *) g_ptr_array_index (g->placements, 0))->container,
                                           g->container) != 0)
    return csv_error (error, r->line, _("the first placement is not in the goods item’s container"));
  return TRUE;
}

static gboolean
merge_goods (DlManifest  *m,
             const Row   *r,
             GError     **error)
{
  const char *item_text = row_get (r, COL_ITEM);
  const char *packages_text = row_get (r, COL_PACKAGES);
  const char *gross_text = row_get (r, COL_GROSS_KG);
  DlManifestConsignment *consignment;
  DlManifestGoods *g;
  guint item, packages = 0;
  double gross = DL_MANIFEST_NO_MASS;   /* an empty field: not given */

  if (item_text == NULL)
    {
      if (row_get (r, COL_HS_CODE) || row_get (r, COL_DESCRIPTION) || packages_text || gross_text)
        return csv_error (error, r->line, _("goods columns are filled in, but there is no item number"));
      /* a consignment without goods: its row names no container */
      if (row_get (r, COL_CONTAINER) == NULL && (row_has_consignment (r) || row_get (r, COL_CONSIGNMENT)))
        return row_consignment (m, r, error) != NULL;
      return TRUE;
    }
  if (!parse_count (item_text, &item) || item == 0)
    return csv_error (error, r->line, _("“item” must be a whole number of at least 1, not “%s”"), item_text);
  if (packages_text && !parse_count (packages_text, &packages))
    return csv_error (error, r->line, _("“packages” must be a whole number, not “%s”"), packages_text);
  if (gross_text)
    {
      char *end = NULL;

      gross = g_ascii_strtod (gross_text, &end);
      if (end == gross_text || *end != '\0' || !isfinite (gross) || gross < 0)
        return csv_error (error, r->line, _("“gross_kg” must be a number of zero or more, not “%s”"), gross_text);
      if (gross > DL_MANIFEST_MAX_KG)
        return csv_error (error, r->line, _("“gross_kg” “%s” is more than any cargo weighs"), gross_text);
    }
  consignment = row_consignment (m, r, error);
  if (consignment == NULL)
    return FALSE;
  g = dl_manifest_add_goods (m, row_get (r, COL_CONTAINER), row_get (r, COL_HS_CODE),
                             row_get (r, COL_DESCRIPTION), packages, row_get (r, COL_PACKAGE_KIND), gross);
  g->consignment = consignment;
  g->item = item;
  g->has_packages = packages_text != NULL;   /* empty: no count given, not 0 */
  g->un_number = g_strdup (row_get (r, COL_UN_NUMBER));
  g->hazard_class = g_strdup (row_get (r, COL_HAZARD_CLASS));
  return read_placements (g, r, error);
}

/**
 * dl_manifest_from_csv:
 *
 * Reads the CSV form; DL_MANIFEST_ERROR_INVALID naming the line for
 * broken quoting, rows of another length than the header, numbers that
 * are not, and rows contradicting earlier ones.
 */
DlManifest *
dl_manifest_from_csv (const char  *csv_data,
                      gsize        len,
                      GError     **error)
{
  g_autoptr(DlManifest) m = dl_manifest_new ();
  g_auto(GStrv) names = NULL;
  Csv csv = { csv_data, len, 0, 1 };
  g_autoptr(GHashTable) numbered = g_hash_table_new (NULL, NULL);
  Row r = { { 0 } };
  guint n_fields, rows = 0, line = 1;
  const char *bad;

  if (len > DL_MANIFEST_MAX_BYTES)
    {
      g_set_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_TOO_LARGE,
                   _("The manifest is larger than %u bytes"), DL_MANIFEST_MAX_BYTES);
      return NULL;
    }
  if (!g_utf8_validate_len (csv_data, len, &bad))
    {
      for (const char *p = csv_data; p < bad; p++)
        line += *p == '\n';
      return csv_error (error, line, _("the text is not UTF-8 (or holds a NUL byte)")), NULL;
    }
  if (len >= 3 && memcmp (csv_data, "\xEF\xBB\xBF", 3) == 0)
    csv.pos = 3;

  if (!csv_record (&csv, &names, &line, error))
    return NULL;
  if (names == NULL)
    return csv_error (error, 1, _("there is no header row")), NULL;
  if (!read_header_row (&r, names, error))
    return NULL;
  n_fields = g_strv_length (names);
  r.numbered = numbered;

  for (;;)
    {
      g_auto(GStrv) row = NULL;

      if (!csv_record (&csv, &row, &r.line, error))
        return NULL;
      if (row == NULL)
        break;
      if (++rows > CSV_MAX_ROWS)
        return csv_error (error, r.line, _("there are more than %u rows"), CSV_MAX_ROWS), NULL;
      if (g_strv_length (row) != n_fields)
        return csv_error (error, r.line, _("the row has %u fields, the header %u"),
                          g_strv_length (row), n_fields), NULL;
      r.row = row;
      if (!merge_header (m, &r, error) || !merge_container (m, &r, error) || !merge_goods (m, &r, error))
        return NULL;
    }
  if (rows == 0)
    return csv_error (error, line, _("there are no rows after the header")), NULL;
  return g_steal_pointer (&m);
}

/* ---- any form ------------------------------------------------------------------ */

static GPtrArray *
manifests_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) dl_manifest_unref);
}

/* JSON: one manifest object, or a list of them. */
static GPtrArray *
load_json (const char  *text,
           GError     **error)
{
  g_autoptr(GPtrArray) manifests = manifests_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  g_autofree char *why = NULL;
  JsonNode *root;
  JsonArray *list;

  /* json-glib 1.6 is handed only what dl_json_check () accepts */
  if ((why = dl_json_refusal (text, -1)) != NULL)
    {
      g_set_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID, _("The manifest is not valid: %s"), why);
      return NULL;
    }
  if (text[0] == '{')
    {
      DlManifest *m = dl_manifest_from_json (text, error);

      if (m == NULL)
        return NULL;
      g_ptr_array_add (manifests, m);
      return g_steal_pointer (&manifests);
    }
  if (!json_parser_load_from_data (parser, text, -1, &local))
    {
      /* json-glib quotes the text it decoded, which need not be UTF-8 */
      g_autofree char *message = g_utf8_make_valid (local->message, -1);

      g_set_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID,
                   _("The manifest is not valid JSON: %s"), message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  list = JSON_NODE_HOLDS_ARRAY (root) ? json_node_get_array (root) : NULL;
  if (list == NULL || json_array_get_length (list) == 0)
    {
      g_set_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID,
                   _("The manifest is not valid: a list of manifests must hold at least one"));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      g_autofree char *one = json_to_string (json_array_get_element (list, i), FALSE);
      DlManifest *m = dl_manifest_from_json (one, error);

      if (m == NULL)
        return NULL;
      g_ptr_array_add (manifests, m);
    }
  return g_steal_pointer (&manifests);
}

/* Whether the first line is a CSV header with an "item" column. */
static gboolean
looks_like_csv (const char *data,
                gsize       len)
{
  const char *end = memchr (data, '\n', len);
  g_autofree char *line = g_strndup (data, end ? (gsize) (end - data) : len);
  g_auto(GStrv) names = g_strsplit (g_strstrip (line), ",", -1);

  for (guint i = 0; names[i]; i++)
    if (strcmp (g_strstrip (names[i]), "item") == 0 || strcmp (names[i], "\"item\"") == 0)
      return TRUE;
  return FALSE;
}

GPtrArray *
dl_manifest_load_bytes (const char  *data,
                        gsize        len,
                        GError     **error)
{
  gsize skip = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len > DL_MANIFEST_MAX_BYTES)
    {
      g_set_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_TOO_LARGE,
                   _("The manifest is larger than %u bytes"), DL_MANIFEST_MAX_BYTES);
      return NULL;
    }
  data = data ? data : "";
  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    skip = 3;
  while (skip < len && g_ascii_isspace (data[skip]))
    skip++;

  if (skip < len && (data[skip] == '{' || data[skip] == '['))
    {
      g_autofree char *text = NULL;

      if (memchr (data, '\0', len) != NULL)
        {
          g_set_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID,
                       _("The manifest is not valid JSON: it holds a NUL byte"));
          return NULL;
        }
      text = g_strndup (data + skip, len - skip);
      return load_json (text, error);
    }
  if (len - skip >= 3
      && (memcmp (data + skip, "UNA", 3) == 0 || memcmp (data + skip, "UNB", 3) == 0
          || memcmp (data + skip, "UNH", 3) == 0))
    return dl_cuscar_read (data, len, error);
  if (looks_like_csv (data + skip, len - skip))
    {
      DlManifest *m = dl_manifest_from_csv (data, len, error);
      GPtrArray *manifests;

      if (m == NULL)
        return NULL;
      manifests = manifests_new ();
      g_ptr_array_add (manifests, m);
      return manifests;
    }
  g_set_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID,
               skip >= len ? _("The manifest file is empty")
                           : _("This is not a manifest: neither the JSON form, CSV with an “item” column, nor UN/EDIFACT"));
  return NULL;
}

GPtrArray *
dl_manifest_load_file (const char  *path,
                       GError     **error)
{
  g_autoptr(GMappedFile) file = NULL;
  gsize len;

  g_return_val_if_fail (path != NULL, NULL);

  /* a named pipe or a device is refused before a read that would wait on it */
  file = dl_map_regular_file (path, 0, error);
  if (file == NULL)
    return NULL;
  len = g_mapped_file_get_length (file);
  return dl_manifest_load_bytes (len ? g_mapped_file_get_contents (file) : "", len, error);
}
