/* dl-manifest.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-manifest"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dl-json-build.h"
#include "dl-json-check.h"
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
placement_free (gpointer data)
{
  DlManifestPlacement *p = data;

  g_free (p->container);
  g_free (p);
}

static void
goods_free (gpointer data)
{
  DlManifestGoods *g = data;

  g_ptr_array_unref (g->placements);
  g_free (g->container);
  g_free (g->hs_code);
  g_free (g->description);
  g_free (g->package_kind);
  g_free (g->un_number);
  g_free (g->hazard_class);
  g_free (g);
}

static void
consignment_free (gpointer data)
{
  DlManifestConsignment *c = data;

  g_free (c->transport_document);
  g_free (c->transport_document_kind);
  g_free (c->consignor);
  g_free (c->consignee);
  g_free (c->notify_party);
  g_free (c->place_of_loading);
  g_free (c->place_of_discharge);
  g_free (c->place_of_delivery);
  g_free (c);
}

static void
warning_free (gpointer data)
{
  DlManifestWarning *w = data;

  g_free (w->tag);
  g_free (w->message);
  g_free (w);
}

GPtrArray *
dl_manifest_warnings_new (void)
{
  return g_ptr_array_new_with_free_func (warning_free);
}

DlManifestWarning *
dl_manifest_warnings_add (GPtrArray  *warnings,
                          guint       segment,
                          const char *tag,
                          guint       line,
                          guint       column,
                          const char *message)
{
  DlManifestWarning *w;

  g_return_val_if_fail (warnings != NULL, NULL);
  g_return_val_if_fail (message != NULL, NULL);

  w = g_new0 (DlManifestWarning, 1);
  w->segment = segment;
  w->tag = g_strdup (tag);
  w->line = line;
  w->column = column;
  w->message = g_strdup (message);
  g_ptr_array_add (warnings, w);
  return w;
}

static gint
by_segment (gconstpointer a,
            gconstpointer b)
{
  const DlManifestWarning *wa = *(const DlManifestWarning * const *) a;
  const DlManifestWarning *wb = *(const DlManifestWarning * const *) b;

  return (wa->segment > wb->segment) - (wa->segment < wb->segment);
}

void
dl_manifest_warnings_sort (GPtrArray *warnings)
{
  g_return_if_fail (warnings != NULL);
  /* GLib's sort is stable: warnings of one segment keep their order */
  g_ptr_array_sort (warnings, by_segment);
}

G_DEFINE_BOXED_TYPE (DlManifest, dl_manifest, dl_manifest_ref, dl_manifest_unref)

/* UN/EDIFACT code list 1153 (reference code qualifier): the numbers of
 * transport documents, and what they are. */
static const char * const document_codes[] = {
  "BM", "MB", "BH", "ABH", "AFA", "AEX", "AWB", "MWB", "HWB", "AEY", "AAM", "CMR", "TB", "RCN", "WY", NULL,
};
static const char * const document_labels[] = {
  N_("Bill of lading"), N_("Master bill of lading"), N_("House bill of lading"),
  N_("Sub-house bill of lading"), N_("Through bill of lading"), N_("Sea waybill"),
  N_("Air waybill"), N_("Master air waybill"), N_("House waybill"), N_("Substitute air waybill"),
  N_("Waybill"), N_("Road consignment note"), N_("Trucker’s bill of lading"),
  N_("Rail consignment note"), N_("Rail waybill"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (document_codes) == G_N_ELEMENTS (document_labels) + 1);

const char * const *
dl_manifest_transport_document_kinds (void)
{
  return document_codes;
}

const char *
dl_manifest_transport_document_kind_label (const char *kind)
{
  for (guint i = 0; kind && document_codes[i]; i++)
    if (strcmp (kind, document_codes[i]) == 0)
      return _(document_labels[i]);
  return NULL;
}

const char *
dl_manifest_transport_mode_label (const char *mode)
{
  if (g_strcmp0 (mode, "sea") == 0)
    return _("Sea");
  if (g_strcmp0 (mode, "road") == 0)
    return _("Road");
  if (g_strcmp0 (mode, "rail") == 0)
    return _("Rail");
  if (g_strcmp0 (mode, "air") == 0)
    return _("Air");
  return mode;
}

DlManifest *
dl_manifest_new (void)
{
  DlManifest *self = g_new0 (DlManifest, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->containers = g_ptr_array_new_with_free_func (container_free);
  self->consignments = g_ptr_array_new_with_free_func (consignment_free);
  self->goods = g_ptr_array_new_with_free_func (goods_free);
  self->warnings = dl_manifest_warnings_new ();
  return self;
}

DlManifest *
dl_manifest_ref (DlManifest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
dl_manifest_unref (DlManifest *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->message_id);
  g_free (self->date);
  g_free (self->transport_mode);
  g_free (self->conveyance);
  g_free (self->voyage);
  g_free (self->port_of_loading);
  g_free (self->port_of_discharge);
  g_free (self->carrier);
  g_ptr_array_unref (self->containers);
  g_ptr_array_unref (self->goods);
  g_ptr_array_unref (self->consignments);
  g_ptr_array_unref (self->warnings);
  g_free (self);
}

void
dl_manifest_free (DlManifest *self)
{
  dl_manifest_unref (self);
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

DlManifestConsignment *
dl_manifest_add_consignment (DlManifest *self)
{
  DlManifestConsignment *c;

  g_return_val_if_fail (self != NULL, NULL);

  c = g_new0 (DlManifestConsignment, 1);
  g_ptr_array_add (self->consignments, c);
  return c;
}

DlManifestConsignment *
dl_manifest_current_consignment (DlManifest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->consignments->len == 0)
    return dl_manifest_add_consignment (self);
  return g_ptr_array_index (self->consignments, self->consignments->len - 1);
}

const DlManifestConsignment *
dl_manifest_main_consignment (const DlManifest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->consignments->len > 0 ? g_ptr_array_index (self->consignments, 0) : NULL;
}

const char *
dl_manifest_get_consignor (const DlManifest *self)
{
  const DlManifestConsignment *c = dl_manifest_main_consignment (self);

  return c ? c->consignor : NULL;
}

const char *
dl_manifest_get_consignee (const DlManifest *self)
{
  const DlManifestConsignment *c = dl_manifest_main_consignment (self);

  return c ? c->consignee : NULL;
}

const char *
dl_manifest_get_transport_document (const DlManifest *self)
{
  const DlManifestConsignment *c = dl_manifest_main_consignment (self);

  return c ? c->transport_document : NULL;
}

const char *
dl_manifest_get_transport_document_kind (const DlManifest *self)
{
  const DlManifestConsignment *c = dl_manifest_main_consignment (self);

  return c ? c->transport_document_kind : NULL;
}

guint
dl_manifest_consignment_n_goods (const DlManifest            *self,
                                 const DlManifestConsignment *consignment)
{
  guint n = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->goods->len; i++)
    n += ((const DlManifestGoods *) g_ptr_array_index (self->goods, i))->consignment == consignment;
  return n;
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

  g->consignment = dl_manifest_current_consignment (self);
  g->item = dl_manifest_consignment_n_goods (self, g->consignment) + 1;
  g->has_packages = TRUE;
  g->container = g_strdup (container);
  g->hs_code = g_strdup (hs_code);
  g->description = g_strdup (description);
  g->packages = packages;
  g->package_kind = g_strdup (package_kind);
  g->gross_kg = gross_kg;
  g->placements = g_ptr_array_new_with_free_func (placement_free);
  g_ptr_array_add (self->goods, g);
  return g;
}

DlManifestPlacement *
dl_manifest_goods_add_placement (DlManifestGoods *goods,
                                 const char      *container,
                                 gint64           packages,
                                 double           gross_kg)
{
  DlManifestPlacement *p;

  g_return_val_if_fail (goods != NULL && container != NULL, NULL);
  g_return_val_if_fail (packages <= G_MAXUINT, NULL);

  p = g_new0 (DlManifestPlacement, 1);
  p->container = g_strdup (container);
  p->has_packages = packages >= 0;
  p->packages = packages >= 0 ? (guint) packages : 0;
  p->gross_kg = gross_kg;
  if (goods->container == NULL)
    goods->container = g_strdup (container);
  g_ptr_array_add (goods->placements, p);
  return p;
}

gboolean
dl_manifest_goods_in_container (const DlManifestGoods *goods,
                                const char            *container)
{
  if (g_strcmp0 (goods->container, container) == 0)
    return TRUE;
  for (guint i = 0; i < goods->placements->len; i++)
    if (g_strcmp0 (((DlManifestPlacement *) g_ptr_array_index (goods->placements, i))->container, container) == 0)
      return TRUE;
  return FALSE;
}

DlManifestContainer *
dl_manifest_find_container (const DlManifest *self,
                            const char       *number)
{
  for (guint i = 0; number && i < self->containers->len; i++)
    {
      DlManifestContainer *c = g_ptr_array_index (self->containers, i);
      if (g_strcmp0 (c->number, number) == 0)
        return c;
    }
  return NULL;
}

DlManifestWarning *
dl_manifest_add_warning (DlManifest *self,
                         guint       segment,
                         const char *tag,
                         guint       line,
                         guint       column,
                         const char *message)
{
  g_return_val_if_fail (self != NULL, NULL);

  return dl_manifest_warnings_add (self->warnings, segment, tag, line, column, message);
}

char *
dl_manifest_warning_to_string (const DlManifestWarning *w)
{
  g_return_val_if_fail (w != NULL, NULL);

  if (w->segment == 0)
    return g_strdup (w->message);
  if (w->line == 0 && w->tag)
    /* TRANSLATORS: "segment 31 (UNT): UNT counts 313 segments, there are 30" */
    return g_strdup_printf (_("segment %u (%s): %s"), w->segment, w->tag, w->message);
  if (w->line == 0)
    return g_strdup_printf (_("segment %u: %s"), w->segment, w->message);
  if (w->tag)
    return g_strdup_printf (_("segment %u (%s) at line %u, column %u: %s"),
                            w->segment, w->tag, w->line, w->column, w->message);
  return g_strdup_printf (_("segment %u at line %u, column %u: %s"), w->segment, w->line, w->column, w->message);
}

gboolean
dl_manifest_goods_has_mass (const DlManifestGoods *goods)
{
  return goods != NULL && !isnan (goods->gross_kg);
}

double
dl_manifest_total_gross_kg (const DlManifest *self)
{
  double total = 0;

  for (guint i = 0; i < self->goods->len; i++)
    {
      const DlManifestGoods *g = g_ptr_array_index (self->goods, i);

      if (!dl_manifest_goods_has_mass (g))
        return DL_MANIFEST_NO_MASS;
      total += g->gross_kg;
    }
  return total;
}

guint
dl_manifest_n_goods_without_mass (const DlManifest *self)
{
  guint n = 0;

  for (guint i = 0; i < self->goods->len; i++)
    n += !dl_manifest_goods_has_mass (g_ptr_array_index (self->goods, i));
  return n;
}

/* The shortest of @value written with @conversion ('g' or 'f') at 0 …
 * @max digits that reads back as @value. */
static gboolean
shortest (double  value,
          char    conversion,
          int     max,
          char   *text,
          gsize   size)
{
  for (int digits = conversion == 'g' ? 1 : 0; digits <= max; digits++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%d%c", digits, conversion);
      g_ascii_formatd (text, size, format, value);
      if (g_ascii_strtod (text, NULL) == value)
        return TRUE;
    }
  return FALSE;
}

char *
dl_manifest_format_number (double value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE + 700];   /* room for %.330f of any double */

  g_return_val_if_fail (isfinite (value), NULL);

  shortest (value, 'g', 17, text, sizeof text);
  /* %g writes very large and very small numbers with an exponent, which
   * EDIFACT numbers cannot hold: write them out */
  if (strchr (text, 'e') && !shortest (value, 'f', 330, text, sizeof text))
    g_ascii_formatd (text, sizeof text, "%.17g", value);
  return g_strdup (text);
}

guint
dl_manifest_total_packages (const DlManifest *self)
{
  guint total = 0;

  for (guint i = 0; i < self->goods->len; i++)
    total += ((DlManifestGoods *) g_ptr_array_index (self->goods, i))->packages;
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

/* Size/type codes (ISO 6346:1995).  First character: the length, in
 * millimetres and as the nominal length in inches (0: none in feet). */
static const struct { char code; guint mm, nominal_in; } lengths[] = {
  { '1', 2991, 120 }, { '2', 6058, 240 }, { '3', 9125, 360 }, { '4', 12192, 480 },
  { 'A', 7150, 0 }, { 'B', 7315, 288 }, { 'C', 7430, 294 }, { 'D', 7450, 0 }, { 'E', 7820, 0 },
  { 'F', 8100, 0 }, { 'G', 12500, 492 }, { 'H', 13106, 516 }, { 'K', 13600, 0 }, { 'L', 13716, 540 },
  { 'M', 14630, 576 }, { 'N', 14935, 588 }, { 'P', 16154, 636 },
};

static guint
size_length (char   c,
             guint *nominal_in)
{
  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    if (lengths[i].code == c)
      {
        if (nominal_in)
          *nominal_in = lengths[i].nominal_in;
        return lengths[i].mm;
      }
  return 0;
}

/* Second character: the height (and whether wider than 8 ft). */
static gboolean
size_height (char                 c,
             DlContainerSizeType *out)
{
  static const struct { char code; guint mm; gboolean over, wide; } heights[] = {
    { '0', 2438, FALSE, FALSE }, { '2', 2591, FALSE, FALSE }, { '4', 2743, FALSE, FALSE },
    { '5', 2895, FALSE, FALSE }, { '6', 2895, TRUE, FALSE }, { '8', 1295, FALSE, FALSE },
    { '9', 1219, FALSE, FALSE },
    { 'C', 2591, FALSE, TRUE }, { 'D', 2743, FALSE, TRUE }, { 'E', 2895, FALSE, TRUE },
    { 'F', 2895, TRUE, TRUE },
    { 'L', 2591, FALSE, TRUE }, { 'M', 2743, FALSE, TRUE }, { 'N', 2895, FALSE, TRUE },
    { 'P', 2895, TRUE, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (heights); i++)
    if (heights[i].code == c)
      {
        out->height_mm = heights[i].mm;
        out->height_over = heights[i].over;
        out->wide = heights[i].wide;
        return TRUE;
      }
  return FALSE;
}

/* The last two characters: the type group and its detail. */
static gboolean
size_group (char              g,
            char              detail,
            DlContainerGroup *out)
{
  if (!g_ascii_isdigit (detail))
    return FALSE;
  switch (g)
    {
    case 'G': *out = DL_CONTAINER_GENERAL; return TRUE;
    case 'V': *out = DL_CONTAINER_VENTILATED; return TRUE;
    case 'B': *out = DL_CONTAINER_BULK; return TRUE;
    case 'S': *out = DL_CONTAINER_NAMED_CARGO; return TRUE;
    case 'R': *out = DL_CONTAINER_REFRIGERATED; return TRUE;
    case 'H': *out = DL_CONTAINER_INSULATED; return TRUE;
    case 'U': *out = detail == '6' ? DL_CONTAINER_HARD_TOP : DL_CONTAINER_OPEN_TOP; return TRUE;
    case 'P': *out = DL_CONTAINER_PLATFORM; return TRUE;
    case 'T': *out = detail >= '7' ? DL_CONTAINER_GAS_TANK : DL_CONTAINER_TANK; return TRUE;
    case 'A': *out = DL_CONTAINER_AIR_SURFACE; return TRUE;
    default: return FALSE;
    }
}

gboolean
dl_iso6346_decode_size_type (const char          *code,
                             DlContainerSizeType *out)
{
  DlContainerSizeType st = { 0 };

  if (code == NULL || strlen (code) != 4)
    return FALSE;
  st.length_mm = size_length (code[0], NULL);
  if (st.length_mm == 0 || !size_height (code[1], &st) || !size_group (code[2], code[3], &st.group))
    return FALSE;
  if (out)
    *out = st;
  return TRUE;
}

static const char *
group_name (DlContainerGroup group)
{
  switch (group)
    {
    case DL_CONTAINER_GENERAL: return _("general purpose");
    case DL_CONTAINER_VENTILATED: return _("ventilated");
    case DL_CONTAINER_BULK: return _("dry bulk");
    case DL_CONTAINER_NAMED_CARGO: return _("named cargo");
    case DL_CONTAINER_REFRIGERATED: return _("refrigerated");
    case DL_CONTAINER_INSULATED: return _("insulated");
    case DL_CONTAINER_OPEN_TOP: return _("open top");
    case DL_CONTAINER_HARD_TOP: return _("hard top");
    case DL_CONTAINER_PLATFORM: return _("platform or flat rack");
    case DL_CONTAINER_TANK: return _("tank");
    case DL_CONTAINER_GAS_TANK: return _("tank for gas");
    case DL_CONTAINER_AIR_SURFACE: return _("air/surface");
    default: return "";
    }
}

/* Inches as feet and inches: "8 ft 6 in". */
static char *
feet_inches (guint inches)
{
  if (inches % 12 == 0)
    return g_strdup_printf (_("%u ft"), inches / 12);
  return g_strdup_printf (_("%u ft %u in"), inches / 12, inches % 12);
}

char *
dl_iso6346_describe_size_type (const char *code)
{
  DlContainerSizeType st;
  guint nominal = 0;
  g_autofree char *length = NULL;
  g_autofree char *height = NULL;
  g_autofree char *high = NULL;

  if (!dl_iso6346_decode_size_type (code, &st))
    return NULL;
  size_length (code[0], &nominal);
  if (nominal > 0)
    length = feet_inches (nominal);
  else
    length = g_strdup_printf (_("%.2f m"), st.length_mm / 1000.0);
  height = feet_inches ((guint) (st.height_mm / 25.4 + 0.5));
  if (st.height_over)
    high = g_strdup_printf (_("over %s high"), height);
  else if (st.height_mm <= 1219)
    high = g_strdup_printf (_("%s or less high"), height);
  else
    high = g_strdup_printf (_("%s high"), height);
  if (st.wide)
    /* TRANSLATORS: "40 ft, 9 ft 6 in high, wide, general purpose" */
    return g_strdup_printf (_("%s, %s, wide, %s"), length, high, group_name (st.group));
  /* TRANSLATORS: "40 ft, 8 ft 6 in high, general purpose" */
  return g_strdup_printf (_("%s, %s, %s"), length, high, group_name (st.group));
}

/* ---- rules ---------------------------------------------------------------- */

static gboolean
inconsistent (GError     **error,
              const char  *format,
              ...) G_GNUC_PRINTF (2, 3);

static gboolean
inconsistent (GError     **error,
              const char  *format,
              ...)
{
  va_list ap;
  g_autofree char *what = NULL;

  va_start (ap, format);
  what = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INCONSISTENT,
               _("The manifest breaks a rule: %s"), what);
  return FALSE;
}

static gboolean
all_digits (const char *s,
            gsize       min,
            gsize       max)
{
  gsize n = s ? strlen (s) : 0;

  if (n < min || n > max)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

static gboolean
valid_date (const char *date)
{
  int y, m, d;
  char end;

  return strlen (date) == 10
         && sscanf (date, "%4d-%2d-%2d%c", &y, &m, &d, &end) == 3
         && date[4] == '-' && date[7] == '-'
         && g_date_valid_dmy (d, m, y);
}

static gboolean
valid_size_type (const char *code)
{
  if (code == NULL || strlen (code) != 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    if (!g_ascii_isdigit (code[i]) && !g_ascii_isupper (code[i]))
      return FALSE;
  return TRUE;
}

static gboolean
validate_header (const DlManifest  *self,
                 GError           **error)
{
  static const char *modes[] = { "sea", "road", "rail", "air", NULL };

  if (self->message_id == NULL || *self->message_id == '\0')
    return inconsistent (error, _("there is no message id"));
  if (self->transport_mode == NULL || !g_strv_contains (modes, self->transport_mode))
    return inconsistent (error, _("the transport mode “%s” is not sea, road, rail or air"),
                         self->transport_mode ? self->transport_mode : "");
  if (self->date && !valid_date (self->date))
    return inconsistent (error, _("the date “%s” is not a real date written YYYY-MM-DD"), self->date);
  return TRUE;
}

static gboolean
validate_containers (const DlManifest  *self,
                     GError           **error)
{
  for (guint i = 0; i < self->containers->len; i++)
    {
      const DlManifestContainer *c = g_ptr_array_index (self->containers, i);

      if (!dl_iso6346_is_valid (c->number))
        return inconsistent (error, _("“%s” is not a valid ISO 6346 container number"), c->number);
      if (dl_manifest_find_container (self, c->number) != c)
        return inconsistent (error, _("container %s is listed twice"), c->number);
      if (!valid_size_type (c->size_type))
        return inconsistent (error, _("container %s has no valid size/type code"), c->number);
    }
  return TRUE;
}

/* The placements of a goods item: in listed, loaded containers, and
 * together no more packages and mass than the goods item's. */
static gboolean
validate_placements (const DlManifest       *self,
                     const DlManifestGoods  *g,
                     GError                **error)
{
  guint64 packages = 0;
  double kg = 0;

  for (guint i = 0; i < g->placements->len; i++)
    {
      const DlManifestPlacement *p = g_ptr_array_index (g->placements, i);
      const DlManifestContainer *c = dl_manifest_find_container (self, p->container);

      if (c == NULL)
        return inconsistent (error, _("goods item %u is placed in container “%s”, which the manifest does not list"),
                             g->item, p->container);
      if (!c->full)
        return inconsistent (error, _("goods item %u is in container %s, which is declared empty"),
                             g->item, c->number);
      packages += p->has_packages ? p->packages : 0;
      kg += isnan (p->gross_kg) ? 0 : p->gross_kg;
    }
  if (g->has_packages && packages > g->packages)
    return inconsistent (error, _("goods item %u places more packages in containers than its %u"),
                         g->item, g->packages);
  if (kg > g->gross_kg * (1 + 1e-12))
    {
      g_autofree char *text = dl_manifest_format_number (g->gross_kg);

      return inconsistent (error, _("goods item %u weighs %s kg but places more in containers"), g->item, text);
    }
  return TRUE;
}

static gboolean
validate_goods_line (const DlManifest       *self,
                     const DlManifestGoods  *g,
                     GError                **error)
{
  const DlManifestContainer *c = dl_manifest_find_container (self, g->container);

  if (g->item == 0)
    return inconsistent (error, _("goods items are numbered from 1"));
  if (!all_digits (g->hs_code, 4, 10))
    return inconsistent (error, _("goods item %u has no HS code of 4 to 10 digits"), g->item);
  if (!g->has_packages)
    return inconsistent (error, _("goods item %u has no package count"), g->item);
  if (g->packages == 0)
    return inconsistent (error, _("goods item %u has no packages"), g->item);
  if (!(g->gross_kg > 0))
    return inconsistent (error, _("goods item %u has no gross mass"), g->item);
  if (self->containers->len > 0 && c == NULL)
    return inconsistent (error, _("goods item %u is in container “%s”, which the manifest does not list"),
                         g->item, g->container ? g->container : "");
  if (c && !c->full)
    return inconsistent (error, _("goods item %u is in container %s, which is declared empty"),
                         g->item, c->number);
  if (g->un_number && !all_digits (g->un_number, 4, 4))
    return inconsistent (error, _("goods item %u has a UN number “%s” that is not four digits"),
                         g->item, g->un_number);
  return validate_placements (self, g, error);
}

gboolean
dl_manifest_validate (const DlManifest  *self,
                      GError           **error)
{
  g_autoptr(GHashTable) items = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree gint64 *keys = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!validate_header (self, error) || !validate_containers (self, error))
    return FALSE;
  keys = g_new (gint64, self->goods->len + 1);
  for (guint i = 0; i < self->goods->len; i++)
    {
      const DlManifestGoods *g = g_ptr_array_index (self->goods, i);
      guint consignment;

      if (!validate_goods_line (self, g, error))
        return FALSE;
      /* items are numbered within their consignment */
      if (!g_ptr_array_find (self->consignments, g->consignment, &consignment))
        return inconsistent (error, _("goods item %u belongs to no consignment of the manifest"), g->item);
      keys[i] = ((gint64) consignment << 32) | g->item;
      if (!g_hash_table_add (items, &keys[i]))
        return inconsistent (error, _("goods item %u is listed twice"), g->item);
    }
  return TRUE;
}

/* ---- JSON ---------------------------------------------------------------- */

/* A member written only when it has a value. */
static void
add_optional (JsonBuilder *b,
              const char  *name,
              const char  *value)
{
  if (value)
    dl_json_set_string_or_null (b, name, value);
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
      dl_json_set_string_or_null (b, "number", c->number);
      dl_json_set_string_or_null (b, "size_type", c->size_type);
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

/* "placements", left out when the goods item is whole in "container". */
static void
build_placements (JsonBuilder           *b,
                  const DlManifestGoods *g)
{
  if (g->placements->len == 0)
    return;
  json_builder_set_member_name (b, "placements");
  json_builder_begin_array (b);
  for (guint i = 0; i < g->placements->len; i++)
    {
      const DlManifestPlacement *p = g_ptr_array_index (g->placements, i);

      json_builder_begin_object (b);
      dl_json_set_string_or_null (b, "container", p->container);
      if (p->has_packages)
        {
          json_builder_set_member_name (b, "packages");
          json_builder_add_int_value (b, p->packages);
        }
      if (!isnan (p->gross_kg))
        {
          json_builder_set_member_name (b, "gross_kg");
          json_builder_add_double_value (b, p->gross_kg);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
build_goods_line (JsonBuilder           *b,
                  const DlManifestGoods *g)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "item");
  json_builder_add_int_value (b, g->item);
  dl_json_set_string_or_null (b, "container", g->container);
  dl_json_set_string_or_null (b, "hs_code", g->hs_code);
  dl_json_set_string_or_null (b, "description", g->description);
  json_builder_set_member_name (b, "packages");
  if (g->has_packages)
    json_builder_add_int_value (b, g->packages);
  else
    json_builder_add_null_value (b);   /* not given: never 0 */
  dl_json_set_string_or_null (b, "package_kind", g->package_kind);
  json_builder_set_member_name (b, "gross_kg");
  if (dl_manifest_goods_has_mass (g))
    json_builder_add_double_value (b, g->gross_kg);   /* as declared: json-glib writes the shortest form */
  else
    json_builder_add_null_value (b);
  add_optional (b, "un_number", g->un_number);
  add_optional (b, "hazard_class", g->hazard_class);
  build_placements (b, g);
  json_builder_end_object (b);
}

/* "goods": those of @consignment, or all when it is NULL. */
static void
build_goods (JsonBuilder                 *b,
             const DlManifest            *self,
             const DlManifestConsignment *consignment)
{
  json_builder_set_member_name (b, "goods");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->goods->len; i++)
    {
      const DlManifestGoods *g = g_ptr_array_index (self->goods, i);

      if (consignment == NULL || g->consignment == consignment)
        build_goods_line (b, g);
    }
  json_builder_end_array (b);
}

/* The transport document, its kind (with it only) and the parties. */
static void
build_document_and_parties (JsonBuilder                 *b,
                            const DlManifestConsignment *c)
{
  add_optional (b, "transport_document", c ? c->transport_document : NULL);
  add_optional (b, "transport_document_kind", c && c->transport_document ? c->transport_document_kind : NULL);
  dl_json_set_string_or_null (b, "consignor", c ? c->consignor : NULL);
  dl_json_set_string_or_null (b, "consignee", c ? c->consignee : NULL);
}

static void
build_consignments (JsonBuilder      *b,
                    const DlManifest *self)
{
  json_builder_set_member_name (b, "consignments");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->consignments->len; i++)
    {
      const DlManifestConsignment *c = g_ptr_array_index (self->consignments, i);

      json_builder_begin_object (b);
      build_document_and_parties (b, c);
      add_optional (b, "notify_party", c->notify_party);
      add_optional (b, "place_of_loading", c->place_of_loading);
      add_optional (b, "place_of_discharge", c->place_of_discharge);
      add_optional (b, "place_of_delivery", c->place_of_delivery);
      build_goods (b, self, c);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
add_position (JsonBuilder *b,
              const char  *name,
              guint        value)
{
  json_builder_set_member_name (b, name);
  if (value > 0)
    json_builder_add_int_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* Written only when there are any, so a manifest read cleanly keeps the
 * form it always had. */
static void
build_warnings (JsonBuilder      *b,
                const DlManifest *self)
{
  if (self->warnings->len == 0)
    return;
  json_builder_set_member_name (b, "warnings");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->warnings->len; i++)
    {
      const DlManifestWarning *w = g_ptr_array_index (self->warnings, i);

      json_builder_begin_object (b);
      add_position (b, "segment", w->segment);
      dl_json_set_string_or_null (b, "tag", w->tag);
      add_position (b, "line", w->line);
      add_position (b, "column", w->column);
      dl_json_set_string_or_null (b, "message", w->message);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
build_header (JsonBuilder      *b,
              const DlManifest *self,
              const char       *format)
{
  dl_json_set_string_or_null (b, "format", format);
  dl_json_set_string_or_null (b, "message_id", self->message_id);
  dl_json_set_string_or_null (b, "date", self->date);
  json_builder_set_member_name (b, "transport");
  json_builder_begin_object (b);
  dl_json_set_string_or_null (b, "mode", self->transport_mode);
  dl_json_set_string_or_null (b, "conveyance", self->conveyance);
  dl_json_set_string_or_null (b, "voyage", self->voyage);
  json_builder_end_object (b);
  dl_json_set_string_or_null (b, "port_of_loading", self->port_of_loading);
  dl_json_set_string_or_null (b, "port_of_discharge", self->port_of_discharge);
}

/* Whether version 1 can say all of @self: one consignment at most, with
 * no notify party and no places of its own. */
static gboolean
version_1_can_say (const DlManifest  *self,
                   GError           **error)
{
  const DlManifestConsignment *c = dl_manifest_main_consignment (self);

  if (self->consignments->len > 1)
    {
      g_set_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_UNSUPPORTED,
                   _("The manifest holds %u consignments; version 1 of the JSON form can hold one only"),
                   self->consignments->len);
      return FALSE;
    }
  if (c && (c->notify_party || c->place_of_loading || c->place_of_discharge || c->place_of_delivery))
    {
      g_set_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_UNSUPPORTED,
                   _("The consignment has a notify party or places of its own, which version 1 of the JSON "
                     "form cannot hold"));
      return FALSE;
    }
  return TRUE;
}

char *
dl_manifest_to_json_version (const DlManifest  *self,
                             guint              version,
                             GError           **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (version == 1 || version == 2, NULL);

  if (version == 1 && !version_1_can_say (self, error))
    return NULL;
  json_builder_begin_object (b);
  build_header (b, self, version == 1 ? DL_MANIFEST_FORMAT_1 : DL_MANIFEST_FORMAT);
  if (version == 1)
    {
      const DlManifestConsignment *c = dl_manifest_main_consignment (self);

      dl_json_set_string_or_null (b, "consignor", c ? c->consignor : NULL);
      dl_json_set_string_or_null (b, "consignee", c ? c->consignee : NULL);
      dl_json_set_string_or_null (b, "carrier", self->carrier);
      add_optional (b, "transport_document", c ? c->transport_document : NULL);
      add_optional (b, "transport_document_kind", c && c->transport_document ? c->transport_document_kind : NULL);
      build_containers (b, self);
      build_goods (b, self, NULL);
    }
  else
    {
      dl_json_set_string_or_null (b, "carrier", self->carrier);
      build_containers (b, self);
      build_consignments (b, self);
    }
  build_warnings (b, self);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  return json_to_string (root, TRUE);
}

char *
dl_manifest_to_json (const DlManifest *self)
{
  return dl_manifest_to_json_version (self, 2, NULL);
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
  g_set_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID,
               _("The manifest is not valid: %s"), what);
  return FALSE;
}

/* Member @name of @o as text: NULL when absent or null, refused when of
 * another type. */
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
  /* json-glib decodes escapes such as "\375" to bytes that are not UTF-8 */
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING
      || !g_utf8_validate (json_node_get_string (n), -1, NULL))
    return invalid (error, _("“%s” must be text"), name);
  *out = g_strdup (json_node_get_string (n));
  return TRUE;
}

static gboolean
get_number (JsonObject  *o,
            const char  *name,
            double       fallback,
            double      *out,
            GError     **error)
{
  JsonNode *n = json_object_get_member (o, name);
  GType type;

  *out = fallback;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  type = JSON_NODE_HOLDS_VALUE (n) ? json_node_get_value_type (n) : G_TYPE_INVALID;
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return invalid (error, _("“%s” must be a number"), name);
  *out = json_node_get_double (n);
  return TRUE;
}

/* A whole number in [@min, G_MAXUINT]. */
static gboolean
get_count (JsonObject  *o,
           const char  *name,
           guint        fallback,
           guint        min,
           guint       *out,
           GError     **error)
{
  double v;

  if (!get_number (o, name, fallback, &v, error))
    return FALSE;
  if (!(v >= min && v <= G_MAXUINT) || v != floor (v))
    return invalid (error, _("“%s” must be a whole number of at least %u"), name, min);
  *out = (guint) v;
  return TRUE;
}

static gboolean
get_boolean (JsonObject  *o,
             const char  *name,
             gboolean     fallback,
             gboolean    *out,
             GError     **error)
{
  JsonNode *n = json_object_get_member (o, name);

  *out = fallback;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
    return invalid (error, _("“%s” must be true or false"), name);
  *out = json_node_get_boolean (n);
  return TRUE;
}

/* Member @name as a list, NULL (and no error) when absent or null. */
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
read_seals (DlManifestContainer  *c,
            JsonObject           *o,
            GError              **error)
{
  g_autoptr(GStrvBuilder) sb = g_strv_builder_new ();
  JsonArray *seals;

  if (!get_array (o, "seals", &seals, error))
    return FALSE;
  for (guint k = 0; seals && k < json_array_get_length (seals); k++)
    {
      JsonNode *s = json_array_get_element (seals, k);
      if (!JSON_NODE_HOLDS_VALUE (s) || json_node_get_value_type (s) != G_TYPE_STRING
          || !g_utf8_validate (json_node_get_string (s), -1, NULL))
        return invalid (error, _("a seal must be text"));
      g_strv_builder_add (sb, json_node_get_string (s));
    }
  g_strfreev (c->seals);
  c->seals = g_strv_builder_end (sb);
  return TRUE;
}

static gboolean
read_container (DlManifest  *self,
                JsonNode    *node,
                GError     **error)
{
  g_autofree char *number = NULL;
  g_autofree char *size_type = NULL;
  gboolean full;
  JsonObject *o;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, _("a container must be an object"));
  o = json_node_get_object (node);
  if (!get_string (o, "number", &number, error)
      || !get_string (o, "size_type", &size_type, error)
      || !get_boolean (o, "full", TRUE, &full, error))
    return FALSE;
  /* an empty number is none: no form could name the container */
  if (number == NULL || number[0] == '\0')
    return invalid (error, _("a container has no number"));
  return read_seals (dl_manifest_add_container (self, number, size_type, full), o, error);
}

static gboolean
read_placement (DlManifestGoods  *g,
                JsonNode         *node,
                GError          **error)
{
  g_autofree char *container = NULL;
  guint packages;
  double gross;
  JsonObject *o;
  JsonNode *given;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, _("a placement must be an object"));
  o = json_node_get_object (node);
  if (!get_string (o, "container", &container, error)
      || !get_count (o, "packages", 0, 0, &packages, error)
      || !get_number (o, "gross_kg", DL_MANIFEST_NO_MASS, &gross, error))
    return FALSE;
  if (container == NULL || container[0] == '\0')
    return invalid (error, _("a placement of goods item %u has no container"), g->item);
  if (!isnan (gross) && (!isfinite (gross) || gross < 0))
    return invalid (error, _("“gross_kg” must not be negative"));
  if (!isnan (gross) && gross > DL_MANIFEST_MAX_KG)
    return invalid (error, _("“gross_kg” %g is more than any cargo weighs"), gross);
  /* the first placement is "container": a goods line saying otherwise contradicts itself */
  if (g->placements->len == 0 && g->container && strcmp (g->container, container) != 0)
    return invalid (error, _("goods item %u is in container “%s”, but its first placement is in “%s”"),
                    g->item, g->container, container);
  given = json_object_get_member (o, "packages");
  dl_manifest_goods_add_placement (g, container, given && !JSON_NODE_HOLDS_NULL (given) ? (gint64) packages : -1,
                                   gross);
  return TRUE;
}

/* "placements": the containers a goods item is split over. */
static gboolean
read_placements (DlManifestGoods  *g,
                 JsonObject       *o,
                 GError          **error)
{
  JsonArray *placements;

  if (!get_array (o, "placements", &placements, error))
    return FALSE;
  for (guint i = 0; placements && i < json_array_get_length (placements); i++)
    if (!read_placement (g, json_array_get_element (placements, i), error))
      return FALSE;
  return TRUE;
}

static gboolean
read_goods_line (DlManifest  *self,
                 JsonNode    *node,
                 guint        index,
                 GError     **error)
{
  g_autofree char *container = NULL, *hs = NULL, *desc = NULL, *kind = NULL;
  g_autofree char *un = NULL, *hazard = NULL;
  DlManifestGoods *g;
  JsonNode *given;
  guint item, packages;
  double gross;
  JsonObject *o;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, _("a goods line must be an object"));
  o = json_node_get_object (node);
  if (!get_string (o, "container", &container, error)
      || !get_string (o, "hs_code", &hs, error)
      || !get_string (o, "description", &desc, error)
      || !get_string (o, "package_kind", &kind, error)
      || !get_count (o, "item", index + 1, 1, &item, error)
      || !get_count (o, "packages", 0, 0, &packages, error)
      || !get_number (o, "gross_kg", DL_MANIFEST_NO_MASS, &gross, error)
      || !get_string (o, "un_number", &un, error)
      || !get_string (o, "hazard_class", &hazard, error))
    return FALSE;
  if (!isnan (gross) && (!isfinite (gross) || gross < 0))
    return invalid (error, _("“gross_kg” must not be negative"));
  if (!isnan (gross) && gross > DL_MANIFEST_MAX_KG)
    return invalid (error, _("“gross_kg” %g is more than any cargo weighs"), gross);
  g = dl_manifest_add_goods (self, container, hs, desc, packages, kind, gross);
  g->item = item;
  /* a count not given stays unknown, never 0 */
  given = json_object_get_member (o, "packages");
  g->has_packages = given != NULL && !JSON_NODE_HOLDS_NULL (given);
  g->un_number = g_steal_pointer (&un);
  g->hazard_class = g_steal_pointer (&hazard);
  return read_placements (g, o, error);
}

static gboolean
read_warning (DlManifest  *self,
              JsonNode    *node,
              GError     **error)
{
  g_autofree char *tag = NULL, *message = NULL;
  guint segment, line, column;
  JsonObject *o;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, _("a warning must be an object"));
  o = json_node_get_object (node);
  if (!get_count (o, "segment", 0, 0, &segment, error)
      || !get_string (o, "tag", &tag, error)
      || !get_count (o, "line", 0, 0, &line, error)
      || !get_count (o, "column", 0, 0, &column, error)
      || !get_string (o, "message", &message, error))
    return FALSE;
  if (message == NULL)
    return invalid (error, _("a warning has no message"));
  dl_manifest_add_warning (self, segment, tag, line, column, message);
  return TRUE;
}

/* The transport document and the parties, of a consignment (version 2)
 * or of the message (version 1). */
static gboolean
read_document_and_parties (DlManifestConsignment  *c,
                           JsonObject             *o,
                           GError                **error)
{
  return get_string (o, "transport_document", &c->transport_document, error)
         && get_string (o, "transport_document_kind", &c->transport_document_kind, error)
         && get_string (o, "consignor", &c->consignor, error)
         && get_string (o, "consignee", &c->consignee, error);
}

static gboolean
read_header (DlManifest  *self,
             JsonObject  *root,
             GError     **error)
{
  JsonNode *node = json_object_get_member (root, "transport");
  JsonObject *transport = NULL;

  if (node && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return invalid (error, _("“transport” must be an object"));
      transport = json_node_get_object (node);
    }
  if (transport
      && (!get_string (transport, "mode", &self->transport_mode, error)
          || !get_string (transport, "conveyance", &self->conveyance, error)
          || !get_string (transport, "voyage", &self->voyage, error)))
    return FALSE;
  return get_string (root, "message_id", &self->message_id, error)
         && get_string (root, "date", &self->date, error)
         && get_string (root, "port_of_loading", &self->port_of_loading, error)
         && get_string (root, "port_of_discharge", &self->port_of_discharge, error)
         && get_string (root, "carrier", &self->carrier, error);
}

static gboolean
read_goods_list (DlManifest  *self,
                 JsonArray   *goods,
                 GError     **error)
{
  for (guint i = 0; goods && i < json_array_get_length (goods); i++)
    if (!read_goods_line (self, json_array_get_element (goods, i), i, error))
      return FALSE;
  return TRUE;
}

static gboolean
read_consignment (DlManifest  *self,
                  JsonNode    *node,
                  GError     **error)
{
  DlManifestConsignment *c;
  JsonArray *goods;
  JsonObject *o;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, _("a consignment must be an object"));
  o = json_node_get_object (node);
  c = dl_manifest_add_consignment (self);
  return read_document_and_parties (c, o, error)
         && get_string (o, "notify_party", &c->notify_party, error)
         && get_string (o, "place_of_loading", &c->place_of_loading, error)
         && get_string (o, "place_of_discharge", &c->place_of_discharge, error)
         && get_string (o, "place_of_delivery", &c->place_of_delivery, error)
         && get_array (o, "goods", &goods, error)
         && read_goods_list (self, goods, error);
}

/* Version 2: the consignments with their goods.  Members of version 1's
 * message level are refused, not ignored: goods or parties put there
 * would be lost. */
static gboolean
read_consignments (DlManifest  *self,
                   JsonObject  *root,
                   GError     **error)
{
  static const char *version_1[] = { "goods", "consignor", "consignee", "transport_document",
                                     "transport_document_kind" };
  JsonArray *consignments;

  for (guint i = 0; i < G_N_ELEMENTS (version_1); i++)
    if (json_object_has_member (root, version_1[i]))
      return invalid (error, _("“%s” belongs in a consignment in version 2 of the form, not in the message"),
                      version_1[i]);
  if (!get_array (root, "consignments", &consignments, error))
    return FALSE;
  for (guint i = 0; consignments && i < json_array_get_length (consignments); i++)
    if (!read_consignment (self, json_array_get_element (consignments, i), error))
      return FALSE;
  return TRUE;
}

/* Version 1: the message's document, parties and goods are one
 * consignment (none when it has none of them). */
static gboolean
read_version_1 (DlManifest  *self,
                JsonObject  *root,
                GError     **error)
{
  DlManifestConsignment *c = dl_manifest_add_consignment (self);
  JsonArray *goods;

  if (!read_document_and_parties (c, root, error)
      || !get_array (root, "goods", &goods, error)
      || !read_goods_list (self, goods, error))
    return FALSE;
  if (self->goods->len == 0 && !c->transport_document && !c->transport_document_kind
      && !c->consignor && !c->consignee)
    g_ptr_array_set_size (self->consignments, 0);
  return TRUE;
}

static gboolean
read_lists (DlManifest  *self,
            JsonObject  *root,
            guint        version,
            GError     **error)
{
  JsonArray *containers, *warnings;

  if (!get_array (root, "containers", &containers, error)
      || !get_array (root, "warnings", &warnings, error))
    return FALSE;
  for (guint i = 0; warnings && i < json_array_get_length (warnings); i++)
    if (!read_warning (self, json_array_get_element (warnings, i), error))
      return FALSE;
  for (guint i = 0; containers && i < json_array_get_length (containers); i++)
    if (!read_container (self, json_array_get_element (containers, i), error))
      return FALSE;
  return version == 1 ? read_version_1 (self, root, error) : read_consignments (self, root, error);
}

/**
 * dl_manifest_from_json:
 *
 * Reads the JSON form.  Returns NULL with DL_MANIFEST_ERROR_INVALID when
 * @json is not JSON, not of the format, or has a member of the wrong type;
 * the content rules are dl_manifest_validate ()'s.
 */
DlManifest *
dl_manifest_from_json (const char  *json,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(DlManifest) self = NULL;
  g_autofree char *format = NULL, *why = NULL;
  g_autoptr(GError) local = NULL;
  JsonNode *root;

  g_return_val_if_fail (json != NULL, NULL);

  /* json-glib 1.6 is handed only what dl_json_check () accepts */
  if ((why = dl_json_refusal (json, -1)) != NULL)
    return invalid (error, "%s", why), NULL;
  if (!json_parser_load_from_data (parser, json, -1, &local))
    {
      /* json-glib quotes the text it decoded, which need not be UTF-8 */
      g_autofree char *message = g_utf8_make_valid (local->message, -1);

      g_set_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID,
                   _("The manifest is not valid JSON: %s"), message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return invalid (error, _("it is not a JSON object")), NULL;

  if (!get_string (json_node_get_object (root), "format", &format, error))
    return NULL;
  if (g_strcmp0 (format, DL_MANIFEST_FORMAT) != 0 && g_strcmp0 (format, DL_MANIFEST_FORMAT_1) != 0)
    {
      g_set_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID,
                   _("The manifest format is “%s”, not “%s” or “%s”"), format ? format : "",
                   DL_MANIFEST_FORMAT, DL_MANIFEST_FORMAT_1);
      return NULL;
    }

  self = dl_manifest_new ();
  if (!read_header (self, json_node_get_object (root), error)
      || !read_lists (self, json_node_get_object (root),
                      strcmp (format, DL_MANIFEST_FORMAT_1) == 0 ? 1 : 2, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* ---- UN/EDIFACT CUSCAR --------------------------------------------------- */

/* Escapes the service characters + : ' ? with the release character;
 * control characters (line breaks), which EDIFACT text cannot hold,
 * become spaces. */
static void
append_escaped (GString    *s,
                const char *text)
{
  for (const char *p = text ? text : ""; *p; p++)
    {
      if (*p == '+' || *p == ':' || *p == '\'' || *p == '?')
        g_string_append_c (s, '?');
      g_string_append_c (s, (guchar) *p < 0x20 || *p == 0x7F ? ' ' : *p);
    }
}

typedef struct
{
  GString *s;
  guint    count;   /* segments from UNH to UNT, both included */
} Edi;

/* Appends one segment: @fmt uses %s for escaped text arguments only. */
static gboolean
element_is_empty (const char *part)
{
  return part[0] == '\0' || (part[0] == '\1' && part[1] == '\0');
}

/* Appends one segment from its data elements (NULL-terminated): text,
 * escaped here, or composites from composite () (beginning with \1),
 * escaped already.  Trailing empty elements are left out. */
static void
segment (Edi        *e,
         const char *tag,
         ...)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  va_list ap;
  guint n;

  va_start (ap, tag);
  for (const char *part = va_arg (ap, const char *); part != NULL; part = va_arg (ap, const char *))
    g_ptr_array_add (parts, (gpointer) part);
  va_end (ap);
  for (n = parts->len; n > 0 && element_is_empty (g_ptr_array_index (parts, n - 1)); n--)
    ;

  g_string_append (e->s, tag);
  for (guint i = 0; i < n; i++)
    {
      const char *part = g_ptr_array_index (parts, i);

      g_string_append_c (e->s, '+');
      if (part[0] == '\1')
        g_string_append (e->s, part + 1);
      else
        append_escaped (e->s, part);
    }
  g_string_append (e->s, "'\n");
  e->count++;
}

/* A party (NAD, name in C080), when there is one. */
static void
party (Edi        *e,
       const char *qualifier,
       const char *name)
{
  if (name && *name)
    segment (e, "NAD", qualifier, "", "", name, NULL);
}

/* A composite data element from its components (NULL-terminated), each
 * escaped, joined with ':', trailing empty components left out. */
static char *
composite (const char *first,
           ...)
{
  GString *s = g_string_new ("\1");
  GPtrArray *parts = g_ptr_array_new ();
  va_list ap;
  guint n;

  va_start (ap, first);
  for (const char *part = first; part != NULL; part = va_arg (ap, const char *))
    g_ptr_array_add (parts, (gpointer) part);
  va_end (ap);

  for (n = parts->len; n > 0 && *(const char *) g_ptr_array_index (parts, n - 1) == '\0'; n--)
    ;
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (s, ':');
      append_escaped (s, g_ptr_array_index (parts, i));
    }
  g_ptr_array_unref (parts);
  return g_string_free (s, FALSE);
}

/* One SGP per placement, with its package count where known, and the
 * MEA of the mass placed where known. */
static void
write_placements (Edi                   *e,
                  const DlManifestGoods *g)
{
  for (guint i = 0; i < g->placements->len; i++)
    {
      const DlManifestPlacement *p = g_ptr_array_index (g->placements, i);
      g_autofree char *count = p->has_packages ? g_strdup_printf ("%u", p->packages) : g_strdup ("");
      g_autofree char *kg = isnan (p->gross_kg) ? NULL : dl_manifest_format_number (p->gross_kg);
      g_autofree char *weight = kg ? composite ("KGM", kg, NULL) : NULL;

      segment (e, "SGP", p->container, count, NULL);
      if (weight)
        segment (e, "MEA", "WT", "G", weight, NULL);
    }
}

/* GID group: the goods item, its HS code, description, gross mass and
 * the container it is in (split goods placement). */
static void
write_goods (Edi                         *e,
             const DlManifest            *self,
             const DlManifestConsignment *consignment)
{
  for (guint i = 0; i < self->goods->len; i++)
    {
      const DlManifestGoods *g = g_ptr_array_index (self->goods, i);
      g_autofree char *item = g_strdup_printf ("%u", g->item);
      /* no count given: 7224 left empty, never 0 */
      g_autofree char *count = g->has_packages ? g_strdup_printf ("%u", g->packages) : g_strdup ("");
      /* the UNA's decimal mark is '.', whatever LC_NUMERIC says; the mass
       * exactly as in the model */
      g_autofree char *kg = dl_manifest_goods_has_mass (g) ? dl_manifest_format_number (g->gross_kg) : NULL;
      g_autofree char *pk = composite (count, g->package_kind ? g->package_kind : "PK", NULL);
      g_autofree char *weight = kg ? composite ("KGM", kg, NULL) : NULL;
      g_autofree char *hs = composite (g->hs_code ? g->hs_code : "", "HS", NULL);

      if (g->consignment != consignment)
        continue;
      segment (e, "GID", item, pk, NULL);
      segment (e, "PIA", "5", hs, NULL);   /* 5: product identification; HS: Harmonized System */
      segment (e, "FTX", "AAA", "", "", g->description ? g->description : "", NULL);
      if (weight)
        segment (e, "MEA", "WT", "G", weight, NULL);
      if (g->placements->len > 0)
        write_placements (e, g);
      else if (g->container)
        segment (e, "SGP", g->container, count, NULL);
      if (g->un_number || g->hazard_class)
        {
          /* IMD: the IMDG code; C205 the class, C234 the UN number */
          segment (e, "DGS", "IMD", g->hazard_class ? g->hazard_class : "",
                   g->un_number ? g->un_number : "", NULL);
        }
    }
}

/* EQD group: each container with its size/type (ISO 6346, code list 102,
 * agency 5 = ISO) and full/empty indicator (5 full, 4 empty), and seals
 * (CA: applied by the carrier). */
static void
write_containers (Edi              *e,
                  const DlManifest *self)
{
  for (guint i = 0; i < self->containers->len; i++)
    {
      const DlManifestContainer *c = g_ptr_array_index (self->containers, i);
      g_autofree char *type = composite (c->size_type ? c->size_type : "", "102", "5", NULL);

      segment (e, "EQD", "CN", c->number, type, "", "", c->full ? "5" : "4", NULL);
      for (guint k = 0; c->seals && c->seals[k]; k++)
        segment (e, "SEL", c->seals[k], "CA", NULL);
    }
}

/* TDT: conveyance reference (voyage), mode (8067: 1 sea, 2 rail, 3 road,
 * 4 air), carrier by name, and the means of transport: a vessel by name,
 * a vehicle by its registration. */
static void
write_transport (Edi              *e,
                 const DlManifest *self)
{
  static const char *modes[][2] = { { "sea", "1" }, { "rail", "2" }, { "road", "3" }, { "air", "4" } };
  const char *mode = "1";
  const char *conveyance = self->conveyance ? self->conveyance : "";
  g_autofree char *carrier = composite ("", "", "", self->carrier ? self->carrier : "", NULL);
  g_autofree char *means = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    if (g_strcmp0 (self->transport_mode, modes[i][0]) == 0)
      mode = modes[i][1];
  if (g_strcmp0 (mode, "1") == 0)
    means = composite ("", "", "", conveyance, NULL);
  else
    means = composite (conveyance, NULL);

  segment (e, "TDT", "20", self->voyage ? self->voyage : "", mode, "", carrier, "", "", means, NULL);
  if (self->port_of_loading)
    segment (e, "LOC", "9", self->port_of_loading, NULL);
  if (self->port_of_discharge)
    segment (e, "LOC", "11", self->port_of_discharge, NULL);
}

/* LOC in a consignment: 9 place of loading, 11 of discharge, 7 of
 * delivery. */
static void
place (Edi        *e,
       const char *qualifier,
       const char *locode)
{
  if (locode && *locode)
    segment (e, "LOC", qualifier, locode, NULL);
}

/* One CNI group: the consolidation item number and the transport
 * document (C503 1004), the document again with its kind (RFF, 1153),
 * the places and parties given for the consignment, its goods items. */
static void
write_consignment (Edi                         *e,
                   const DlManifest            *self,
                   guint                        index)
{
  const DlManifestConsignment *c = g_ptr_array_index (self->consignments, index);
  g_autofree char *number = g_strdup_printf ("%u", index + 1);

  segment (e, "CNI", number, c->transport_document ? c->transport_document : "", NULL);
  if (c->transport_document)
    {
      /* its kind (1153), a bill of lading (BM) when not known */
      const char *kind = dl_manifest_transport_document_kind_label (c->transport_document_kind)
                         ? c->transport_document_kind : "BM";
      g_autofree char *rff = composite (kind, c->transport_document, NULL);
      segment (e, "RFF", rff, NULL);
    }
  place (e, "9", c->place_of_loading);
  place (e, "11", c->place_of_discharge);
  place (e, "7", c->place_of_delivery);
  party (e, "CZ", c->consignor);
  party (e, "CN", c->consignee);
  party (e, "NI", c->notify_party);
  write_goods (e, self, c);
}

/**
 * dl_manifest_to_cuscar:
 *
 * One UN/EDIFACT interchange (UNA, UNB … UNZ, syntax UNOC level 3) with
 * one CUSCAR D:95B message, in the order of the message's segment table:
 * header (BGM, DTM when the manifest has a date), the carrier (NAD),
 * transport and places (TDT, LOC), equipment (EQD, SEL), then one
 * consignment group (CNI) per consignment with its document (RFF),
 * places (LOC), parties (NAD) and goods items (GID, PIA, FTX, MEA, SGP,
 * DGS).  Text is escaped with the release character.  Deterministic: no
 * clock is read (the interchange is dated with the document date, at
 * 12:00; UNB must have a date, so without one it says 2026-01-01, but no
 * DTM is written).
 */
char *
dl_manifest_to_cuscar (const DlManifest *self)
{
  Edi e = { g_string_new ("UNA:+.? '\n"), 0 };
  const char *ref = self->message_id ? self->message_id : "1";
  g_autofree char *compact = NULL;
  g_autofree char *unb_date = NULL;
  g_autofree char *unt_count = NULL;

  {
    g_auto(GStrv) parts = g_strsplit (self->date ? self->date : "2026-01-01", "-", -1);
    compact = g_strjoinv ("", parts);
  }
  unb_date = g_strdup_printf ("%.6s:1200", strlen (compact) >= 8 ? compact + 2 : "260101");

  g_string_append_printf (e.s, "UNB+UNOC:3+DOORLICHT:ZZZ+CUSTOMS:ZZZ+%s+", unb_date);
  append_escaped (e.s, ref);
  g_string_append (e.s, "'\n");

  segment (&e, "UNH", "1", "\1CUSCAR:D:95B:UN", NULL);
  segment (&e, "BGM", "85", ref, "9", NULL);
  if (self->date)
    {
      g_autofree char *dtm = composite ("137", compact, "102", NULL);
      segment (&e, "DTM", dtm, NULL);
    }
  party (&e, "CA", self->carrier);
  write_transport (&e, self);
  write_containers (&e, self);
  for (guint i = 0; i < self->consignments->len; i++)
    write_consignment (&e, self, i);

  unt_count = g_strdup_printf ("%u", e.count + 1);
  segment (&e, "UNT", unt_count, "1", NULL);
  g_string_append (e.s, "UNZ+1+");
  append_escaped (e.s, ref);
  g_string_append (e.s, "'\n");

  return g_string_free (e.s, FALSE);
}
