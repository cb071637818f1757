/* dl-cuscar.c — CUSCAR messages into DlManifest, segment by segment.
 *
 * A message is read in order, remembering the goods item (GID) or the
 * equipment (EQD) whose group the following segments belong to: FTX, MEA,
 * PIA, SGP and DGS describe the goods item, SEL the equipment.  CNI and
 * TDT end both groups.  Where a field could come from several segments,
 * the first wins.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-cuscar"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "dl-cuscar.h"

/* Where in a goods item (GID group) the reader is: its own segments, or
 * a group nested in it whose MEA and FTX are not the goods item's: split
 * goods placement (SGP-MEA: the mass placed in that equipment) and
 * dangerous goods (DGS with its own FTX and MEA), where the segment
 * tables nest them.  In the flat layouts (the SARS CUSCAR guide 2.1,
 * SG14 GID-FTX-MEA-SGP-DGS-PCI-CST) the goods item's own FTX and MEA come
 * before SGP and DGS, so taking what follows them as theirs loses
 * nothing.  EQD, CNI, TDT and the next GID end the goods item.  Each
 * CNI begins a consignment, which the RFF, NAD, LOC and GID after it
 * belong to. */
typedef enum
{
  WITHIN_GOODS,
  WITHIN_PLACEMENT,
  WITHIN_DANGEROUS,
} Within;

typedef struct
{
  DlManifest          *m;
  DlManifestGoods     *goods;       /* the goods item being read */
  DlManifestContainer *container;   /* the equipment being read */
  DlManifestPlacement *placement;   /* the goods item's placement (SGP) being read */
  const DlEdifactSegment *gid;      /* the current goods item's GID */
  const DlEdifactSegment *hs_from;  /* the segment its HS code came from */
  DlManifestConsignment *consignment;   /* the consignment (CNI group) being read */
  DlManifestConsignment head;       /* document and parties given before any CNI */
  Within               within;      /* the goods item's segment group read */
  double               placed_kg;   /* its masses per equipment (SGP-MEA), summed */
  guint                n_placed;    /* its SGP segments */
  guint                n_placed_kg; /* … of them with a mass */
  gboolean             have_transport;
  gboolean             have_gross;  /* for the current goods item */
  gboolean             saw_weight;  /* a weight (MEA WT/AAE) for it, read or not */
  gboolean             have_bgm;
  char                *tdt_carrier;
} Reader;

typedef gboolean (*SegmentFunc) (Reader                 *r,
                                 const DlEdifactSegment *seg,
                                 GError                **error);

#define refuse(seg, element, error, ...) \
  dl_edifact_segment_set_error ((seg), (element), (error), DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID, __VA_ARGS__)

/* Records a warning in the manifest, placed as an error would be. */
static void
warn (Reader                 *r,
      const DlEdifactSegment *seg,
      int                     element,
      const char             *format,
      ...) G_GNUC_PRINTF (4, 5);

static void
warn (Reader                 *r,
      const DlEdifactSegment *seg,
      int                     element,
      const char             *format,
      ...)
{
  g_autofree char *raw = NULL;
  g_autoptr(DlEdifactWarning) w = NULL;
  va_list ap;

  va_start (ap, format);
  raw = g_strdup_vprintf (format, ap);
  va_end (ap);
  w = dl_edifact_warning_new (seg, element, "%s", raw);
  dl_manifest_add_warning (r->m, w->segment, w->tag, w->position.line, w->position.column, w->message);
}

/* One placement saying no more than the goods item's container (all its
 * packages, no mass of its own) is no split: the goods item is whole in
 * it, as a goods item without placements reads. */
static void
drop_whole_placement (DlManifestGoods *goods)
{
  const DlManifestPlacement *p;

  if (goods->placements->len != 1)
    return;
  p = g_ptr_array_index (goods->placements, 0);
  if (isnan (p->gross_kg) && (!p->has_packages || (goods->has_packages && p->packages == goods->packages)))
    g_ptr_array_set_size (goods->placements, 0);
}

/* The goods item being read ends: without any weight it says so (its
 * mass stays absent, never 0). */
static void
end_goods (Reader *r)
{
  /* no gross weight of its own, but one per equipment it is placed in:
   * together they are its mass */
  if (r->goods && !r->have_gross && r->n_placed > 0 && r->n_placed_kg == r->n_placed)
    {
      r->goods->gross_kg = r->placed_kg;
      r->have_gross = r->saw_weight = TRUE;
    }
  if (r->goods && !r->saw_weight)
    warn (r, r->gid, 0, _("goods item %u has no gross weight (MEA): its mass is left absent"), r->goods->item);
  if (r->goods)
    drop_whole_placement (r->goods);
  r->goods = NULL;
  r->placement = NULL;
  r->gid = NULL;
  r->hs_from = NULL;
}

static void
set_once (char       **field,
          const char  *value)
{
  if (*field == NULL && value != NULL)
    *field = g_strdup (value);
}

/* ---- header ------------------------------------------------------------- */

static gboolean
read_bgm (Reader                 *r,
          const DlEdifactSegment *seg,
          GError                **error)
{
  r->have_bgm = TRUE;
  set_once (&r->m->message_id, dl_edifact_segment_get (seg, 1, 0));
  return TRUE;
}

/* A date of format 102, 203, 204 (century included) or 101, 201 (not)
 * as YYYY-MM-DD; NULL when @value is not of the format. */
static char *
date_from (const char *value,
           const char *format)
{
  static const struct { const char *code; gsize len; gboolean century; } formats[] = {
    { "102", 8, TRUE }, { "203", 12, TRUE }, { "204", 14, TRUE },
    { "101", 6, FALSE }, { "201", 10, FALSE },
  };
  gsize n = strlen (value);
  guint y, mo, d;

  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (value[i]))
      return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      if (strcmp (format, formats[i].code) != 0)
        continue;
      if (n != formats[i].len)
        return NULL;
      if (formats[i].century)
        {
          y = (value[0] - '0') * 1000 + (value[1] - '0') * 100 + (value[2] - '0') * 10 + (value[3] - '0');
          value += 4;
        }
      else
        {
          y = 2000 + (value[0] - '0') * 10 + (value[1] - '0');
          value += 2;
        }
      mo = (value[0] - '0') * 10 + (value[1] - '0');
      d = (value[2] - '0') * 10 + (value[3] - '0');
      if (!g_date_valid_dmy (d, mo, y))
        return NULL;
      return g_strdup_printf ("%04u-%02u-%02u", y, mo, d);
    }
  return NULL;
}

/* DTM 137: the document date.  Formats other than the five above are
 * left alone. */
static gboolean
read_dtm (Reader                 *r,
          const DlEdifactSegment *seg,
          GError                **error)
{
  static const char *known[] = { "102", "203", "204", "101", "201", NULL };
  const char *qualifier = dl_edifact_segment_get (seg, 0, 0);
  const char *value = dl_edifact_segment_get (seg, 0, 1);
  const char *format = dl_edifact_segment_get (seg, 0, 2);

  if (g_strcmp0 (qualifier, "137") != 0 || r->m->date != NULL || value == NULL)
    return TRUE;
  if (format == NULL)
    format = strlen (value) == 12 ? "203" : strlen (value) == 14 ? "204" : "102";
  if (!g_strv_contains (known, format))
    {
      warn (r, seg, 0, _("the document date is of format %s, which is not read: the date is left out"), format);
      return TRUE;
    }
  r->m->date = date_from (value, format);
  if (r->m->date == NULL)
    warn (r, seg, 0, _("“%s” is not a date of format %s: the document date is left out"), value, format);
  return TRUE;
}

static const char *
transport_mode (const char *code)
{
  /* 8067: 1 maritime, 2 rail, 3 road, 4 air, 8 inland water */
  static const char *modes[][2] = {
    { "1", "sea" }, { "2", "rail" }, { "3", "road" }, { "4", "air" }, { "8", "sea" },
  };

  for (guint i = 0; code && i < G_N_ELEMENTS (modes); i++)
    if (strcmp (code, modes[i][0]) == 0)
      return modes[i][1];
  return NULL;
}

/* TDT, the main carriage (20): voyage, mode, carrier (C040, by name or
 * code) and the means of transport (C222, by name or identification). */
static gboolean
read_tdt (Reader                 *r,
          const DlEdifactSegment *seg,
          GError                **error)
{
  const char *stage = dl_edifact_segment_get (seg, 0, 0);
  const char *carrier, *means;

  end_goods (r);
  r->container = NULL;
  if (r->have_transport || (stage && strcmp (stage, "20") != 0))
    return TRUE;
  r->have_transport = TRUE;

  set_once (&r->m->voyage, dl_edifact_segment_get (seg, 1, 0));
  {
    const char *code = dl_edifact_segment_get (seg, 2, 0);

    if (code && transport_mode (code) == NULL)
      warn (r, seg, 2, _("the mode of transport “%s” is not one of 1 (sea), 2 (rail), 3 (road), 4 (air) "
                         "or 8 (inland water): it is left out"), code);
    set_once (&r->m->transport_mode, transport_mode (code));
  }
  carrier = dl_edifact_segment_get (seg, 4, 3);
  set_once (&r->tdt_carrier, carrier ? carrier : dl_edifact_segment_get (seg, 4, 0));
  means = dl_edifact_segment_get (seg, 7, 3);
  set_once (&r->m->conveyance, means ? means : dl_edifact_segment_get (seg, 7, 0));
  return TRUE;
}

/* LOC 9 (place of loading) and 11 (place of discharge), by UN/LOCODE:
 * the message's (the first given anywhere) and, in a CNI group, the
 * consignment's, with 7 (place of delivery). */
static gboolean
read_loc (Reader                 *r,
          const DlEdifactSegment *seg,
          GError                **error)
{
  const char *qualifier = dl_edifact_segment_get (seg, 0, 0);
  const char *place = dl_edifact_segment_get (seg, 1, 0);

  if (place == NULL)
    place = dl_edifact_segment_get (seg, 1, 3);
  if (g_strcmp0 (qualifier, "9") == 0)
    set_once (&r->m->port_of_loading, place);
  else if (g_strcmp0 (qualifier, "11") == 0)
    set_once (&r->m->port_of_discharge, place);
  if (r->consignment == NULL)
    return TRUE;
  /* in a consignment group: its own places (7: place of delivery) */
  if (g_strcmp0 (qualifier, "9") == 0)
    set_once (&r->consignment->place_of_loading, place);
  else if (g_strcmp0 (qualifier, "11") == 0)
    set_once (&r->consignment->place_of_discharge, place);
  else if (g_strcmp0 (qualifier, "7") == 0)
    set_once (&r->consignment->place_of_delivery, place);
  return TRUE;
}

/* A party's name: C080 (party name), else C058 (name and address), else
 * its identification (C082). */
static char *
party_name (const DlEdifactSegment *seg)
{
  char *name = dl_edifact_segment_join (seg, 3, " ");

  if (name == NULL)
    name = dl_edifact_segment_join (seg, 2, ", ");
  if (name == NULL)
    name = g_strdup (dl_edifact_segment_get (seg, 1, 0));
  return name;
}

static gboolean
read_nad (Reader                 *r,
          const DlEdifactSegment *seg,
          GError                **error)
{
  const char *qualifier = dl_edifact_segment_get (seg, 0, 0);
  DlManifestConsignment *c = r->consignment ? r->consignment : &r->head;
  char **field = NULL;

  if (g_strcmp0 (qualifier, "CZ") == 0)
    field = &c->consignor;
  else if (g_strcmp0 (qualifier, "CN") == 0)
    field = &c->consignee;
  else if (g_strcmp0 (qualifier, "NI") == 0)
    field = &c->notify_party;
  else if (g_strcmp0 (qualifier, "CA") == 0)
    field = &r->m->carrier;
  if (field && *field == NULL)
    *field = party_name (seg);
  return TRUE;
}

static gboolean
read_cni (Reader                 *r,
          const DlEdifactSegment *seg,
          GError                **error)
{
  end_goods (r);
  r->container = NULL;
  r->consignment = dl_manifest_add_consignment (r->m);
  return TRUE;
}

/* RFF: the transport document, of any kind code list 1153 has for one
 * (BM bill of lading, MB master and BH house bill, AWB air waybill, AAM
 * waybill, CMR road and RCN rail consignment note …), kept with its
 * kind; the first one wins. */
static gboolean
read_rff (Reader                 *r,
          const DlEdifactSegment *seg,
          GError                **error)
{
  const char *qualifier = dl_edifact_segment_get (seg, 0, 0);
  const char *number = dl_edifact_segment_get (seg, 0, 1);
  DlManifestConsignment *c = r->consignment ? r->consignment : &r->head;

  if (qualifier == NULL || !g_strv_contains (dl_manifest_transport_document_kinds (), qualifier)
      || c->transport_document != NULL)
    return TRUE;
  if (number == NULL)
    {
      warn (r, seg, 0, _("the transport document (%s) has no number"), qualifier);
      return TRUE;
    }
  c->transport_document = g_strdup (number);
  c->transport_document_kind = g_strdup (qualifier);
  return TRUE;
}

/* ---- equipment ------------------------------------------------------------ */

/* EQD CN (container) or TE (trailer): number, size/type (C224), full or
 * empty (8169: 4 empty; 1 … 3 and 5 … 8 loaded). */
static gboolean
read_eqd (Reader                 *r,
          const DlEdifactSegment *seg,
          GError                **error)
{
  const char *qualifier = dl_edifact_segment_get (seg, 0, 0);
  const char *number = dl_edifact_segment_get (seg, 1, 0);
  const char *status = dl_edifact_segment_get (seg, 5, 0);

  end_goods (r);
  r->container = NULL;
  if (g_strcmp0 (qualifier, "CN") != 0 && g_strcmp0 (qualifier, "TE") != 0)
    return TRUE;
  if (number == NULL)
    return refuse (seg, 1, error, _("the equipment has no identification number"));
  r->container = dl_manifest_find_container (r->m, number);
  if (r->container == NULL)
    r->container = dl_manifest_add_container (r->m, number, dl_edifact_segment_get (seg, 2, 0),
                                              g_strcmp0 (status, "4") != 0);
  return TRUE;
}

static gboolean
read_sel (Reader                 *r,
          const DlEdifactSegment *seg,
          GError                **error)
{
  const char *seal = dl_edifact_segment_get (seg, 0, 0);
  guint n;

  if (r->container == NULL || seal == NULL || g_strv_contains ((const char * const *) r->container->seals, seal))
    return TRUE;
  n = g_strv_length (r->container->seals);
  r->container->seals = g_renew (char *, r->container->seals, n + 2);
  r->container->seals[n] = g_strdup (seal);
  r->container->seals[n + 1] = NULL;
  return TRUE;
}

/* ---- goods items ------------------------------------------------------------ */

/* GID: item number (1496) and packages (C213: count, kind). */
static gboolean
read_gid (Reader                 *r,
          const DlEdifactSegment *seg,
          GError                **error)
{
  const char *item_text = dl_edifact_segment_get (seg, 0, 0);
  const char *count = dl_edifact_segment_get (seg, 1, 0);
  guint item, packages = 0;

  end_goods (r);
  /* goods items before any CNI: a consignment of their own */
  if (r->consignment == NULL)
    r->consignment = dl_manifest_add_consignment (r->m);
  item = dl_manifest_consignment_n_goods (r->m, r->consignment) + 1;
  if (item_text && !dl_edifact_parse_whole (item_text, &item))
    return refuse (seg, 0, error, _("the goods item number “%s” is not a whole number"), item_text);
  if (item == 0)
    return refuse (seg, 0, error, _("the goods item number is 0; items are numbered from 1"));
  if (count && !dl_edifact_parse_whole (count, &packages))
    return refuse (seg, 1, error, _("the number of packages “%s” is not a whole number"), count);
  r->goods = dl_manifest_add_goods (r->m, NULL, NULL, NULL, packages,
                                    dl_edifact_segment_get (seg, 1, 1), DL_MANIFEST_NO_MASS);
  r->goods->item = item;
  r->goods->has_packages = count != NULL;   /* none given: unknown, not 0 */
  r->gid = seg;
  r->container = NULL;
  r->have_gross = FALSE;
  r->saw_weight = FALSE;
  r->within = WITHIN_GOODS;
  r->placed_kg = 0;
  r->n_placed = r->n_placed_kg = 0;
  return TRUE;
}

/* @code without dots and spaces when it is then a commodity code of 4 to
 * 10 digits (HS, or a national tariff number built on it); else NULL. */
static char *
commodity_digits (const char *code)
{
  GString *digits = g_string_new (NULL);

  for (const char *p = code; p && *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
    else if (*p != '.' && *p != ' ')
      return (g_string_free (digits, TRUE), NULL);
  if (digits->len < 4 || digits->len > 10)
    return (g_string_free (digits, TRUE), NULL);
  return g_string_free (digits, FALSE);
}

/* Takes @code (from @seg, data element @element) as the goods item's HS
 * code when it has none; one that disagrees with it in the first six
 * digits (the HS proper) is a warning. */
static void
take_hs (Reader                 *r,
         const DlEdifactSegment *seg,
         int                     element,
         const char             *code)
{
  g_autofree char *digits = commodity_digits (code);

  if (digits == NULL)
    {
      warn (r, seg, element, _("“%s” is not a commodity code of 4 to 10 digits: it is left out"), code);
      return;
    }
  if (r->goods->hs_code == NULL)
    {
      r->goods->hs_code = g_steal_pointer (&digits);
      r->hs_from = seg;
      return;
    }
  if (strncmp (digits, r->goods->hs_code, 6) != 0)
    warn (r, seg, element, _("the commodity code %s of goods item %u differs from %s (segment %u): "
                             "the first is kept"), digits, r->goods->item, r->goods->hs_code, r->hs_from->number);
}

/* PIA: item numbers of type HS (7143). */
static gboolean
read_pia (Reader                 *r,
          const DlEdifactSegment *seg,
          GError                **error)
{
  if (r->goods == NULL)
    return TRUE;
  for (guint e = 1; e < dl_edifact_segment_n_elements (seg); e++)
    {
      const char *code = dl_edifact_segment_get (seg, e, 0);

      if (code && g_strcmp0 (dl_edifact_segment_get (seg, e, 1), "HS") == 0)
        {
          take_hs (r, seg, e, code);
          break;
        }
    }
  return TRUE;
}

/* CST: the customs identity codes (C246, up to five: 7361 the code, 1131
 * its code list).  The commodity code is the one with no list, or of the
 * lists HS (7143's), 169 Harmonized system, 122 Commodity or 108 Tariff
 * schedule: CST++630411000, CST++630411000:HS, CST+1+8471300000:169.  A
 * code of another list (customs status, procedure …) is not the goods'. */
static gboolean
read_cst (Reader                 *r,
          const DlEdifactSegment *seg,
          GError                **error)
{
  static const char *lists[] = { "HS", "169", "122", "108", NULL };

  if (r->goods == NULL)
    return TRUE;
  for (guint e = 1; e < dl_edifact_segment_n_elements (seg) && e <= 5; e++)
    {
      const char *code = dl_edifact_segment_get (seg, e, 0);
      const char *list = dl_edifact_segment_get (seg, e, 1);
      g_autofree char *digits = commodity_digits (code);

      if (code == NULL || (list && !g_strv_contains (lists, list)))
        continue;
      /* with no list named, a code that is not digits is a status, not a commodity */
      if (list == NULL && digits == NULL)
        continue;
      take_hs (r, seg, e, code);
      break;
    }
  return TRUE;
}

/* FTX AAA: the goods description (C108, its lines joined by spaces). */
static gboolean
read_ftx (Reader                 *r,
          const DlEdifactSegment *seg,
          GError                **error)
{
  g_autofree char *text = NULL;
  char *joined;

  if (r->goods == NULL || r->within == WITHIN_DANGEROUS
      || g_strcmp0 (dl_edifact_segment_get (seg, 0, 0), "AAA") != 0)
    return TRUE;
  text = dl_edifact_segment_join (seg, 3, " ");
  if (text == NULL)
    return TRUE;
  if (r->goods->description == NULL)
    {
      r->goods->description = g_steal_pointer (&text);
      return TRUE;
    }
  joined = g_strconcat (r->goods->description, " ", text, NULL);
  g_free (r->goods->description);
  r->goods->description = joined;
  return TRUE;
}

/* @text (an EDIFACT number, read already) in @unit as kg, exactly: a
 * decimal unit moves the decimal point (1,250.75 TNE is 1250750 kg, not
 * 1250.75 × 1000 rounded twice); pounds are converted.  FALSE for a unit
 * not known. */
static gboolean
mass_in_kg (const char *text,
            const char *unit,
            double     *kg)
{
  static const struct { const char *unit; const char *exponent; double factor; } units[] = {
    { "KGM", "", 1 }, { "TNE", "e3", 1 }, { "GRM", "e-3", 1 }, { "LBR", "", 0.45359237 },
  };
  g_autofree char *copy = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_strcmp0 (unit, units[i].unit) == 0)
      {
        copy = g_strconcat (text, units[i].exponent, NULL);
        g_strdelimit (copy, ",", '.');
        *kg = g_ascii_strtod (copy, NULL) * units[i].factor;
        return TRUE;
      }
  return FALSE;
}

/* A MEA in a split goods placement (SGP-MEA): the mass of the goods item
 * in that equipment.  One that cannot be read is a warning; without one
 * per SGP the goods item's mass is not made of them. */
static gboolean
read_placed_mass (Reader                 *r,
                  const DlEdifactSegment *seg,
                  const char             *dimension,
                  const char             *unit,
                  const char             *value)
{
  double v, kg;

  if (g_strcmp0 (dimension, "G") != 0 && g_strcmp0 (dimension, "AAB") != 0)
    return TRUE;
  if (!dl_edifact_parse_number (value, &v) || !isfinite (v) || v < 0 || !mass_in_kg (value, unit, &kg)
      || !isfinite (kg) || kg > DL_MANIFEST_MAX_KG)
    {
      warn (r, seg, 2, _("the mass “%s %s” placed in the equipment cannot be read: it is left out"),
            value ? value : "", unit ? unit : "");
      return TRUE;
    }
  r->placed_kg += kg;
  r->n_placed_kg++;
  if (r->placement && isnan (r->placement->gross_kg))
    r->placement->gross_kg = kg;
  return TRUE;
}

/* Weight qualifiers (6313) that are not the gross mass of the goods item
 * and are left alone without a word: net, tare, volumes, dimensions. */
static gboolean
other_measure (const char *dimension)
{
  static const char *others[] = { "N", "T", "AAA", "AAC", "AAF", "AAL", "AAW", "AAX", "ABJ", "ABS",
                                  "HT", "LN", "WD", "VOL", "ACS", NULL };

  return dimension && g_strv_contains (others, dimension);
}

/* MEA WT or AAE, G (gross weight) or AAB (goods item gross weight): the
 * first one read.  A weight that cannot be read (another qualifier, an
 * unknown unit, not a number) leaves the mass absent, with a warning. */
static gboolean
read_mea (Reader                 *r,
          const DlEdifactSegment *seg,
          GError                **error)
{
  const char *purpose = dl_edifact_segment_get (seg, 0, 0);
  const char *dimension = dl_edifact_segment_get (seg, 1, 0);
  const char *unit = dl_edifact_segment_get (seg, 2, 0);
  const char *value = dl_edifact_segment_get (seg, 2, 1);
  double v, kg;

  if (r->goods == NULL || r->within == WITHIN_DANGEROUS
      || (g_strcmp0 (purpose, "WT") != 0 && g_strcmp0 (purpose, "AAE") != 0)
      || other_measure (dimension))
    return TRUE;
  if (r->within == WITHIN_PLACEMENT)
    return read_placed_mass (r, seg, dimension, unit, value);
  r->saw_weight = TRUE;
  if (r->have_gross)
    return TRUE;
  if (g_strcmp0 (dimension, "G") != 0 && g_strcmp0 (dimension, "AAB") != 0)
    {
      warn (r, seg, 1, _("the weight qualifier “%s” is not G or AAB (gross weight): "
                         "the mass of goods item %u is left absent"), dimension ? dimension : "", r->goods->item);
      return TRUE;
    }
  if (!dl_edifact_parse_number (value, &v) || !isfinite (v))
    {
      warn (r, seg, 2, _("the gross weight “%s” is not a number: the mass of goods item %u is left absent"),
            value ? value : "", r->goods->item);
      return TRUE;
    }
  if (v < 0)
    return refuse (seg, 2, error, _("the gross weight “%s” is less than zero"), value);
  if (!mass_in_kg (value, unit, &kg))
    {
      warn (r, seg, 2, _("the weight unit “%s” is not KGM, TNE, LBR or GRM: the mass of goods item %u is left absent"),
            unit ? unit : "", r->goods->item);
      return TRUE;
    }
  if (!isfinite (kg) || kg > DL_MANIFEST_MAX_KG)
    {
      warn (r, seg, 2, _("the gross weight “%s %s” is more than any cargo weighs: the mass of goods item %u is left absent"),
            value, unit, r->goods->item);
      return TRUE;
    }
  r->goods->gross_kg = kg;
  r->have_gross = TRUE;
  return TRUE;
}

/* SGP: a part of the goods item placed in one equipment (C237), with its
 * package count (7224) where given; the first one is the goods item's
 * container. */
static gboolean
read_sgp (Reader                 *r,
          const DlEdifactSegment *seg,
          GError                **error)
{
  const char *number = dl_edifact_segment_get (seg, 0, 0);
  const char *count = dl_edifact_segment_get (seg, 1, 0);
  guint packages = 0;

  if (r->goods == NULL)
    return TRUE;
  r->within = WITHIN_PLACEMENT;
  r->n_placed++;
  r->placement = NULL;
  if (number == NULL)
    {
      warn (r, seg, 0, _("the goods placement names no equipment: it is left out"));
      return TRUE;
    }
  if (count && !dl_edifact_parse_whole (count, &packages))
    {
      warn (r, seg, 1, _("the number of packages “%s” placed in %s is not a whole number: it is left out"),
            count, number);
      count = NULL;
    }
  r->placement = dl_manifest_goods_add_placement (r->goods, number, count ? (gint64) packages : -1,
                                                  DL_MANIFEST_NO_MASS);
  return TRUE;
}

/* DGS: class (C205) and UN number (C234). */
static gboolean
read_dgs (Reader                 *r,
          const DlEdifactSegment *seg,
          GError                **error)
{
  if (r->goods == NULL)
    return TRUE;
  r->within = WITHIN_DANGEROUS;
  set_once (&r->goods->hazard_class, dl_edifact_segment_get (seg, 1, 0));
  set_once (&r->goods->un_number, dl_edifact_segment_get (seg, 2, 0));
  return TRUE;
}

/* ---- messages ----------------------------------------------------------- */

/* What the message gives before any CNI (SG1 RFF, message-level NAD) is
 * each consignment's that gives none of its own; a message without CNI
 * groups or goods items but with such a document or party is one
 * consignment. */
static void
end_head (Reader *r)
{
  DlManifestConsignment *h = &r->head;

  if (r->m->consignments->len == 0 && (h->transport_document || h->consignor || h->consignee || h->notify_party))
    dl_manifest_add_consignment (r->m);
  for (guint i = 0; i < r->m->consignments->len; i++)
    {
      DlManifestConsignment *c = g_ptr_array_index (r->m->consignments, i);

      if (c->transport_document == NULL)
        {
          set_once (&c->transport_document, h->transport_document);
          set_once (&c->transport_document_kind, h->transport_document_kind);
        }
      set_once (&c->consignor, h->consignor);
      set_once (&c->consignee, h->consignee);
      set_once (&c->notify_party, h->notify_party);
    }
}

static void
clear_head (Reader *r)
{
  g_free (r->head.transport_document);
  g_free (r->head.transport_document_kind);
  g_free (r->head.consignor);
  g_free (r->head.consignee);
  g_free (r->head.notify_party);
}

static const struct
{
  const char  *tag;
  SegmentFunc  read;
} readers[] = {
  { "BGM", read_bgm }, { "DTM", read_dtm }, { "TDT", read_tdt }, { "LOC", read_loc },
  { "NAD", read_nad }, { "CNI", read_cni }, { "RFF", read_rff }, { "EQD", read_eqd },
  { "SEL", read_sel }, { "GID", read_gid }, { "PIA", read_pia }, { "FTX", read_ftx },
  { "MEA", read_mea }, { "SGP", read_sgp }, { "DGS", read_dgs }, { "CST", read_cst },
};

DlManifest *
dl_cuscar_read_message (const DlEdifactMessage  *message,
                        GError                 **error)
{
  g_autoptr(DlManifest) m = dl_manifest_new ();
  Reader r = { m };
  gboolean ok = TRUE;

  if (g_strcmp0 (message->type, "CUSCAR") != 0)
    {
      g_set_error (error, DL_EDIFACT_ERROR, DL_EDIFACT_ERROR_MESSAGE_TYPE,
                   _("message %s is of type %s, not CUSCAR"), message->reference, message->type);
      return NULL;
    }
  for (guint i = 0; ok && i < message->segments->len; i++)
    {
      const DlEdifactSegment *seg = g_ptr_array_index (message->segments, i);

      for (guint k = 0; k < G_N_ELEMENTS (readers); k++)
        if (strcmp (seg->tag, readers[k].tag) == 0)
          {
            ok = readers[k].read (&r, seg, error);
            break;
          }
    }
  if (ok)
    {
      const DlEdifactSegment *unh = g_ptr_array_index (message->segments, 0);

      end_goods (&r);
      if (!r.have_bgm)
        warn (&r, unh, 0, _("the message has no BGM: its reference %s is taken for the document number"),
              message->reference);
      set_once (&m->message_id, message->reference);
      set_once (&m->carrier, r.tdt_carrier);
      end_head (&r);
    }
  clear_head (&r);
  g_free (r.tdt_carrier);
  return ok ? g_steal_pointer (&m) : NULL;
}

/* The interchange's warnings (counts of UNT, UNE, UNZ): one inside a
 * message goes to its manifest, one of the envelope to every manifest. */
static void
add_envelope_warnings (GPtrArray                  *manifests,
                       const DlEdifactInterchange *interchange)
{
  for (guint k = 0; k < interchange->warnings->len; k++)
    {
      const DlEdifactWarning *w = g_ptr_array_index (interchange->warnings, k);
      int holder = dl_edifact_interchange_message_of (interchange, w->segment);

      for (guint i = 0; i < manifests->len; i++)
        if (holder < 0 || (guint) holder == i)
          dl_manifest_add_warning (g_ptr_array_index (manifests, i), w->segment, w->tag,
                                   w->position.line, w->position.column, w->message);
    }
  for (guint i = 0; i < manifests->len; i++)
    dl_manifest_warnings_sort (((DlManifest *) g_ptr_array_index (manifests, i))->warnings);
}

GPtrArray *
dl_cuscar_read_interchange (const DlEdifactInterchange  *interchange,
                            GError                     **error)
{
  g_autoptr(GPtrArray) manifests = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_manifest_unref);

  if (interchange->messages->len == 0)
    {
      g_set_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID,
                   _("the interchange holds no CUSCAR message"));
      return NULL;
    }
  for (guint i = 0; i < interchange->messages->len; i++)
    {
      DlManifest *m = dl_cuscar_read_message (g_ptr_array_index (interchange->messages, i), error);

      if (m == NULL)
        return NULL;
      g_ptr_array_add (manifests, m);
    }
  add_envelope_warnings (manifests, interchange);
  return g_steal_pointer (&manifests);
}

GPtrArray *
dl_cuscar_read (const char  *data,
                gsize        len,
                GError     **error)
{
  g_autoptr(DlEdifactInterchange) interchange = NULL;

  /* a wrong count, with every segment framed, is a warning: the content
   * can still be trusted */
  interchange = dl_edifact_parse (data, len, "CUSCAR", DL_EDIFACT_PARSE_COUNT_WARNINGS, error);
  if (interchange == NULL)
    return NULL;
  return dl_cuscar_read_interchange (interchange, error);
}
