/* dl-baplie.c — BAPLIE messages into DlBayPlan, segment by segment.
 *
 * A message is read in order.  LOC 147 opens a stowage location's group,
 * which the next LOC 147 (or UNT) closes; an EQD in it opens the
 * container, whose segments follow until the next EQD or LOC 147.  What a
 * group says before its EQD (the 2.x layout: weights, ports) is kept for
 * the group and handed to its container when the group closes, if it has
 * exactly one; what follows an EQD (the 3.x layout) is the container's
 * own.  Where both say the same thing the container's own wins.  DGS opens
 * a dangerous goods group whose MEA (net explosive mass …) is not the
 * container's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-baplie"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dl-baplie.h"
#include "dl-regular-file.h"

typedef enum
{
  WEIGHT_GROSS,
  WEIGHT_VGM,
  WEIGHT_TARE,
  N_WEIGHTS,
} Weight;

/* What a location group says before its container, or a container's own. */
typedef struct
{
  double      kg[N_WEIGHTS];
  const DlEdifactSegment *from[N_WEIGHTS];
  char       *port_of_loading;
  char       *port_of_discharge;
  char       *vgm_date;
  char       *vgm_reference;
  char       *vgm_party;
} Facts;

typedef struct
{
  DlBayPlan          *plan;
  gboolean            have_bgm, have_transport;
  /* the location group */
  gboolean            in_group;
  const DlEdifactSegment *loc;      /* its LOC 147 */
  char               *position;
  Facts               group;        /* said before its first EQD */
  GPtrArray          *members;      /* DlBayPlanContainer of the group, borrowed */
  /* the container */
  DlBayPlanContainer *container;
  Facts               own;
  gboolean            dangerous;    /* within a DGS group */
  Facts              *after_vgm;    /* the facts whose VGM the DTM, RFF, NAD that follow describe */
  guint               last_segment;
} Reader;

typedef gboolean (*SegmentFunc) (Reader                 *r,
                                 const DlEdifactSegment *seg,
                                 GError                **error);

#define refuse(seg, element, error, ...) \
  dl_edifact_segment_set_error ((seg), (element), (error), DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID, __VA_ARGS__)

static void
add_warning (DlBayPlan              *plan,
             const DlEdifactWarning *w)
{
  dl_manifest_warnings_add (plan->warnings, w->segment, w->tag, w->position.line, w->position.column, w->message);
}

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
  add_warning (r->plan, w);
}

static void
facts_init (Facts *f)
{
  memset (f, 0, sizeof *f);
  for (guint i = 0; i < N_WEIGHTS; i++)
    f->kg[i] = NAN;
}

static void
facts_clear (Facts *f)
{
  g_free (f->port_of_loading);
  g_free (f->port_of_discharge);
  g_free (f->vgm_date);
  g_free (f->vgm_reference);
  g_free (f->vgm_party);
  facts_init (f);
}

static void
take (char **field,
      char **value)
{
  if (*field == NULL)
    *field = g_steal_pointer (value);
}

/* Gives @f to @c where it has nothing of its own. */
static void
facts_give (Facts              *f,
            DlBayPlanContainer *c)
{
  double *kg[N_WEIGHTS] = { &c->gross_kg, &c->vgm_kg, &c->tare_kg };

  for (guint i = 0; i < N_WEIGHTS; i++)
    if (isnan (*kg[i]))
      *kg[i] = f->kg[i];
  take (&c->port_of_loading, &f->port_of_loading);
  take (&c->port_of_discharge, &f->port_of_discharge);
  take (&c->vgm_date, &f->vgm_date);
  take (&c->vgm_reference, &f->vgm_reference);
  take (&c->vgm_party, &f->vgm_party);
}

static gboolean
facts_any (const Facts *f)
{
  for (guint i = 0; i < N_WEIGHTS; i++)
    if (!isnan (f->kg[i]))
      return TRUE;
  return f->port_of_loading || f->port_of_discharge;
}

/* The container being read ends: what it said is its own. */
static void
end_container (Reader *r)
{
  if (r->container)
    {
      facts_give (&r->own, r->container);
      r->container->last_segment = r->last_segment;
    }
  facts_clear (&r->own);
  r->container = NULL;
  r->dangerous = FALSE;
  r->after_vgm = NULL;
}

/* The location group ends: what it said before its container is that
 * container's, when it has one; with several it belongs to none. */
static void
end_group (Reader *r)
{
  end_container (r);
  if (r->in_group && facts_any (&r->group))
    {
      if (r->members->len == 1)
        facts_give (&r->group, g_ptr_array_index (r->members, 0));
      else if (r->members->len == 0)
        warn (r, r->loc, 1, _("the stowage location %s has weights or ports but no container (EQD): "
                              "they are left out"), r->position ? r->position : "");
      else
        warn (r, r->loc, 1, _("the stowage location %s holds %u containers: the weights and ports given "
                              "before them belong to none and are left out"),
              r->position ? r->position : "", r->members->len);
    }
  for (guint i = 0; i < r->members->len; i++)
    ((DlBayPlanContainer *) g_ptr_array_index (r->members, i))->last_segment = r->last_segment;
  facts_clear (&r->group);
  g_ptr_array_set_size (r->members, 0);
  g_clear_pointer (&r->position, g_free);
  r->in_group = FALSE;
  r->loc = NULL;
}

/* The facts the segment being read adds to: the container's, else the
 * location group's; NULL in the header. */
static Facts *
current_facts (Reader *r)
{
  if (r->container)
    return &r->own;
  return r->in_group ? &r->group : NULL;
}

/* ---- header ------------------------------------------------------------- */

static gboolean
read_bgm (Reader                 *r,
          const DlEdifactSegment *seg,
          GError                **error)
{
  r->have_bgm = TRUE;
  if (r->plan->message_id == NULL)
    r->plan->message_id = g_strdup (dl_edifact_segment_get (seg, 1, 0));
  return TRUE;
}

static void
set_once (char       **field,
          const char  *value)
{
  if (*field == NULL && value != NULL)
    *field = g_strdup (value);
}

/* TDT 20: voyage (8028), carrier (C040 3127), vessel (C222: 8213 its
 * identification, call sign or IMO number, 8212 its name). */
static gboolean
read_tdt (Reader                 *r,
          const DlEdifactSegment *seg,
          GError                **error)
{
  const char *stage = dl_edifact_segment_get (seg, 0, 0);

  if (r->have_transport || r->in_group || (stage && strcmp (stage, "20") != 0))
    return TRUE;
  r->have_transport = TRUE;
  set_once (&r->plan->voyage, dl_edifact_segment_get (seg, 1, 0));
  set_once (&r->plan->carrier, dl_edifact_segment_get (seg, 4, 0));
  set_once (&r->plan->vessel_id, dl_edifact_segment_get (seg, 7, 0));
  set_once (&r->plan->vessel, dl_edifact_segment_get (seg, 7, 3));
  return TRUE;
}

/* ---- locations and containers -------------------------------------------- */

static gboolean
read_loc (Reader                 *r,
          const DlEdifactSegment *seg,
          GError                **error)
{
  const char *qualifier = dl_edifact_segment_get (seg, 0, 0);
  const char *place = dl_edifact_segment_get (seg, 1, 0);
  Facts *f;

  r->after_vgm = NULL;
  if (g_strcmp0 (qualifier, "147") == 0)
    {
      end_group (r);
      r->in_group = TRUE;
      r->loc = seg;
      r->position = g_strdup (place);
      if (place == NULL)
        warn (r, seg, 1, _("the stowage location gives no position: its container has none"));
      return TRUE;
    }
  if ((f = current_facts (r)) == NULL || r->dangerous || place == NULL)
    return TRUE;
  if (g_strcmp0 (qualifier, "9") == 0)
    set_once (&f->port_of_loading, place);
  else if (g_strcmp0 (qualifier, "11") == 0)
    set_once (&f->port_of_discharge, place);
  return TRUE;
}

/* 8169: 5 full, 4 empty. */
static void
read_full_empty (Reader                 *r,
                 const DlEdifactSegment *seg,
                 DlBayPlanContainer     *c)
{
  const char *status = dl_edifact_segment_get (seg, 5, 0);

  if (status == NULL)
    return;
  if (strcmp (status, "5") == 0 || strcmp (status, "4") == 0)
    {
      c->has_full = TRUE;
      c->full = status[0] == '5';
      return;
    }
  warn (r, seg, 5, _("the full/empty indicator “%s” of %s is not 5 (full) or 4 (empty): it is left out"),
        status, c->number);
}

static void
check_equipment (Reader                 *r,
                 const DlEdifactSegment *seg,
                 DlBayPlanContainer     *c)
{
  DlContainerSizeType st;

  if (!dl_iso6346_is_valid (c->number))
    {
      int digit = dl_iso6346_check_digit (c->number);

      if (digit >= 0 && strlen (c->number) == 11)
        warn (r, seg, 1, _("the container number %s has a wrong check digit (it should be %d)"), c->number, digit);
      else
        warn (r, seg, 1, _("“%s” is not an ISO 6346 container number"), c->number);
    }
  if (c->size_type && !dl_iso6346_decode_size_type (c->size_type, &st))
    warn (r, seg, 2, _("the size/type code “%s” of %s is not a known ISO 6346 code"), c->size_type, c->number);
}

/* EQD CN: a container (C237 its number, C224 its size/type, 8169 full or
 * empty).  Other equipment (break bulk, …) is not read. */
static gboolean
read_eqd (Reader                 *r,
          const DlEdifactSegment *seg,
          GError                **error)
{
  const char *number = dl_edifact_segment_get (seg, 1, 0);
  DlBayPlanContainer *c;

  end_container (r);
  if (g_strcmp0 (dl_edifact_segment_get (seg, 0, 0), "CN") != 0)
    return TRUE;
  if (number == NULL)
    return refuse (seg, 1, error, _("the container has no identification number"));
  if (dl_bay_plan_find (r->plan, number))
    warn (r, seg, 1, _("the container %s is listed again: the first entry is the one found"), number);
  c = dl_bay_plan_add_container (r->plan, number);
  c->size_type = g_strdup (dl_edifact_segment_get (seg, 2, 0));
  c->position = g_strdup (r->position);
  c->first_segment = r->in_group ? r->loc->number : seg->number;
  read_full_empty (r, seg, c);
  check_equipment (r, seg, c);
  r->container = c;
  if (r->in_group)
    g_ptr_array_add (r->members, c);
  return TRUE;
}

static gboolean
read_dgs (Reader                 *r,
          const DlEdifactSegment *seg,
          GError                **error)
{
  r->dangerous = TRUE;
  r->after_vgm = NULL;
  return TRUE;
}

/* ---- weights ------------------------------------------------------------ */

/* @text (a number already) in @unit as kg, exactly: a decimal unit moves
 * the decimal point; pounds are converted.  FALSE for another unit. */
static gboolean
mass_in_kg (const char *text,
            const char *unit,
            double     *kg)
{
  static const struct { const char *unit; const char *exponent; double factor; } units[] = {
    { "KGM", "", 1 }, { "TNE", "e3", 1 }, { "GRM", "e-3", 1 }, { "LBR", "", 0.45359237 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_strcmp0 (unit, units[i].unit) == 0)
      {
        g_autofree char *copy = g_strconcat (text, units[i].exponent, NULL);

        g_strdelimit (copy, ",", '.');
        *kg = g_ascii_strtod (copy, NULL) * units[i].factor;
        return TRUE;
      }
  return FALSE;
}

/* Measured attributes (6313) of a weight that are not the container's
 * gross, verified or tare mass, left alone without a word: net, the
 * goods', dangerous goods', volumes and dimensions. */
static gboolean
other_measure (const char *dimension)
{
  static const char *others[] = { "N", "AAA", "AAB", "AAC", "AAF", "AAL", "AAW", "AAX", "ABJ", "ABS",
                                  "HT", "LN", "WD", "VOL", "ACS", "AET", NULL };

  return dimension && g_strv_contains (others, dimension);
}

/* Which weight a MEA gives: 6311 WT or AAE with 6313 empty or G (gross),
 * VGM, T (tare); or 6311 VGM.  FALSE for other measurements, with a
 * warning for a weight qualifier not known. */
static gboolean
weight_kind (Reader                 *r,
             const DlEdifactSegment *seg,
             Weight                 *kind)
{
  const char *purpose = dl_edifact_segment_get (seg, 0, 0);
  const char *dimension = dl_edifact_segment_get (seg, 1, 0);

  if (g_strcmp0 (purpose, "VGM") == 0)
    return *kind = WEIGHT_VGM, TRUE;
  if (g_strcmp0 (purpose, "WT") != 0 && g_strcmp0 (purpose, "AAE") != 0)
    return FALSE;
  if (dimension == NULL || strcmp (dimension, "G") == 0)
    return *kind = WEIGHT_GROSS, TRUE;
  if (strcmp (dimension, "VGM") == 0)
    return *kind = WEIGHT_VGM, TRUE;
  if (strcmp (dimension, "T") == 0)
    return *kind = WEIGHT_TARE, TRUE;
  if (!other_measure (dimension))
    warn (r, seg, 1, _("the weight qualifier “%s” is not G (gross), VGM (verified gross mass) or T (tare): "
                       "the weight is left out"), dimension);
  return FALSE;
}

static const char *
weight_name (Weight kind)
{
  const char *names[] = { N_("gross weight"), N_("verified gross mass"), N_("tare") };

  return _(names[kind]);
}

/* No container weighs more: ISO 668's heaviest is rated 36 t and a
 * heavy-lift flat rack some 100 t; a thousand tonnes is a misread field
 * (and JSON writers mangle numbers past 10^17). */
#define MAX_CONTAINER_KG 1e6

/* The weight of @seg in kg; NAN, with a warning, when it cannot be read:
 * not a number, an unknown unit, less than or equal to zero (no
 * container weighs nothing) or more than any container weighs. */
static double
weight_value (Reader                 *r,
              const DlEdifactSegment *seg,
              Weight                  kind)
{
  const char *unit = dl_edifact_segment_get (seg, 2, 0);
  const char *value = dl_edifact_segment_get (seg, 2, 1);
  double v, kg;

  if (!dl_edifact_parse_number (value, &v) || !isfinite (v))
    warn (r, seg, 2, _("the %s “%s” is not a number: it is left absent"), weight_name (kind), value ? value : "");
  else if (!mass_in_kg (value, unit, &kg) || !isfinite (kg))
    warn (r, seg, 2, _("the weight unit “%s” is not KGM, TNE, LBR or GRM: the %s is left absent"),
          unit ? unit : "", weight_name (kind));
  else if (!(kg > 0) || kg > MAX_CONTAINER_KG)
    warn (r, seg, 2, _("the %s “%s %s” is no mass a container has: it is left absent"),
          weight_name (kind), value, unit);
  else
    return kg;
  return NAN;
}

static gboolean
read_mea (Reader                 *r,
          const DlEdifactSegment *seg,
          GError                **error)
{
  Facts *f = current_facts (r);
  Weight kind;
  double kg;

  r->after_vgm = NULL;
  if (f == NULL || r->dangerous || !weight_kind (r, seg, &kind))
    return TRUE;
  kg = weight_value (r, seg, kind);
  if (isnan (kg))
    return TRUE;
  if (!isnan (f->kg[kind]))
    {
      if (kg != f->kg[kind])
        warn (r, seg, 2, _("a second %s differs from the first (segment %u): the first is kept"),
              weight_name (kind), f->from[kind]->number);
      return TRUE;
    }
  f->kg[kind] = kg;
  f->from[kind] = seg;
  if (kind == WEIGHT_VGM)
    r->after_vgm = f;
  return TRUE;
}

/* A date of format 102 (CCYYMMDD) or 203 (CCYYMMDDHHMM), as ISO 8601;
 * NULL when it is not one. */
static char *
iso_date (const char *value,
          const char *format)
{
  gsize n = strlen (value);
  guint y, mo, d, h = 0, mi = 0;

  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (value[i]))
      return NULL;
  if (!((g_strcmp0 (format, "102") == 0 && n == 8) || (g_strcmp0 (format, "203") == 0 && n == 12)))
    return NULL;
  if (sscanf (value, "%4u%2u%2u", &y, &mo, &d) != 3 || !g_date_valid_dmy (d, mo, y))
    return NULL;
  if (n == 8)
    return g_strdup_printf ("%04u-%02u-%02u", y, mo, d);
  if (sscanf (value + 8, "%2u%2u", &h, &mi) != 2 || h > 23 || mi > 59)
    return NULL;
  return g_strdup_printf ("%04u-%02u-%02uT%02u:%02u", y, mo, d, h, mi);
}

/* After a VGM: DTM (798, when it was determined), RFF (its document) and
 * NAD (who verified it), as SMDG 2.2 and 3.x place them. */
static gboolean
read_dtm (Reader                 *r,
          const DlEdifactSegment *seg,
          GError                **error)
{
  const char *value = dl_edifact_segment_get (seg, 0, 1);
  const char *format = dl_edifact_segment_get (seg, 0, 2);
  g_autofree char *date = NULL;

  if (r->after_vgm == NULL || value == NULL || r->after_vgm->vgm_date != NULL)
    return TRUE;
  if (format == NULL)
    format = strlen (value) == 12 ? "203" : "102";
  date = iso_date (value, format);
  if (date == NULL)
    warn (r, seg, 0, _("“%s” is not a date of format %s (102 or 203 are read): the date of the verified "
                       "gross mass is left out"), value, format);
  r->after_vgm->vgm_date = g_steal_pointer (&date);
  return TRUE;
}

static gboolean
read_rff (Reader                 *r,
          const DlEdifactSegment *seg,
          GError                **error)
{
  char *text;

  if (r->after_vgm == NULL || r->after_vgm->vgm_reference != NULL)
    return TRUE;
  text = dl_edifact_segment_join (seg, 0, ":");
  r->after_vgm->vgm_reference = text;
  return TRUE;
}

static gboolean
read_nad (Reader                 *r,
          const DlEdifactSegment *seg,
          GError                **error)
{
  const char *qualifier = dl_edifact_segment_get (seg, 0, 0);
  g_autofree char *name = NULL;

  /* a NAD of the container (its operator, CF) ends what the VGM says */
  if (r->after_vgm == NULL || r->after_vgm->vgm_party != NULL || g_strcmp0 (qualifier, "CF") == 0)
    return (r->after_vgm = NULL), TRUE;
  name = dl_edifact_segment_join (seg, 3, " ");
  if (name == NULL)
    name = dl_edifact_segment_join (seg, 2, ", ");
  if (name == NULL)
    name = g_strdup (dl_edifact_segment_get (seg, 1, 0));
  r->after_vgm->vgm_party = g_strdup_printf ("%s: %s", qualifier ? qualifier : "", name ? name : "");
  return TRUE;
}

/* ---- messages ----------------------------------------------------------- */

static const struct
{
  const char  *tag;
  SegmentFunc  read;
} readers[] = {
  { "BGM", read_bgm }, { "TDT", read_tdt }, { "LOC", read_loc }, { "EQD", read_eqd }, { "DGS", read_dgs },
  { "MEA", read_mea }, { "DTM", read_dtm }, { "RFF", read_rff }, { "NAD", read_nad },
};

static gboolean
read_segment (Reader                 *r,
              const DlEdifactSegment *seg,
              GError                **error)
{
  for (guint k = 0; k < G_N_ELEMENTS (readers); k++)
    if (strcmp (seg->tag, readers[k].tag) == 0)
      return readers[k].read (r, seg, error);
  /* any other segment ends what the VGM's DTM, RFF and NAD say */
  r->after_vgm = NULL;
  return TRUE;
}

static void
read_header (DlBayPlan              *plan,
             const DlEdifactMessage *message)
{
  const DlEdifactSegment *unh = g_ptr_array_index (message->segments, 0);

  plan->reference = g_strdup (message->reference);
  /* S009 0057: the association code, SMDG's version ("SMDG22", "SMDG31") */
  plan->version = g_strdup (dl_edifact_segment_get (unh, 1, 4));
}

DlBayPlan *
dl_baplie_read_message (const DlEdifactMessage  *message,
                        GError                 **error)
{
  g_autoptr(DlBayPlan) plan = NULL;
  g_autoptr(GPtrArray) members = g_ptr_array_new ();
  Reader r = { 0 };
  gboolean ok = TRUE;

  g_return_val_if_fail (message != NULL, NULL);

  if (g_strcmp0 (message->type, "BAPLIE") != 0)
    {
      g_set_error (error, DL_EDIFACT_ERROR, DL_EDIFACT_ERROR_MESSAGE_TYPE,
                   _("message %s is of type %s, not BAPLIE"), message->reference, message->type);
      return NULL;
    }
  plan = dl_bay_plan_new ();
  read_header (plan, message);
  r.plan = plan;
  r.members = members;
  facts_init (&r.group);
  facts_init (&r.own);
  for (guint i = 0; ok && i < message->segments->len; i++)
    {
      const DlEdifactSegment *seg = g_ptr_array_index (message->segments, i);

      /* the UNT ends the last group; it is not in it */
      if (strcmp (seg->tag, "UNT") != 0)
        r.last_segment = seg->number;
      ok = read_segment (&r, seg, error);
    }
  end_group (&r);
  g_free (r.position);
  facts_clear (&r.group);
  facts_clear (&r.own);
  if (!ok)
    return NULL;
  if (!r.have_bgm)
    warn (&r, g_ptr_array_index (message->segments, 0), 0,
          _("the message has no BGM: its reference %s is taken for the document number"), message->reference);
  set_once (&plan->message_id, message->reference);
  return g_steal_pointer (&plan);
}

/* The interchange's warnings (counts of UNT, UNE, UNZ): one inside a
 * message goes to its plan, one of the envelope to every plan. */
static void
add_envelope_warnings (GPtrArray                  *plans,
                       const DlEdifactInterchange *interchange)
{
  for (guint k = 0; k < interchange->warnings->len; k++)
    {
      const DlEdifactWarning *w = g_ptr_array_index (interchange->warnings, k);
      int holder = dl_edifact_interchange_message_of (interchange, w->segment);

      for (guint i = 0; i < plans->len; i++)
        if (holder < 0 || (guint) holder == i)
          add_warning (g_ptr_array_index (plans, i), w);
    }
  for (guint i = 0; i < plans->len; i++)
    dl_manifest_warnings_sort (((DlBayPlan *) g_ptr_array_index (plans, i))->warnings);
}

GPtrArray *
dl_baplie_read_interchange (const DlEdifactInterchange  *interchange,
                            GError                     **error)
{
  g_autoptr(GPtrArray) plans = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_bay_plan_unref);

  g_return_val_if_fail (interchange != NULL, NULL);

  if (interchange->messages->len == 0)
    {
      g_set_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID, _("the interchange holds no BAPLIE message"));
      return NULL;
    }
  for (guint i = 0; i < interchange->messages->len; i++)
    {
      DlBayPlan *plan = dl_baplie_read_message (g_ptr_array_index (interchange->messages, i), error);

      if (plan == NULL)
        return NULL;
      g_ptr_array_add (plans, plan);
    }
  add_envelope_warnings (plans, interchange);
  return g_steal_pointer (&plans);
}

GPtrArray *
dl_baplie_read (const char  *data,
                gsize        len,
                GError     **error)
{
  g_autoptr(DlEdifactInterchange) interchange = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  /* a wrong count, with every segment framed, is a warning */
  interchange = dl_edifact_parse (data ? data : "", len, "BAPLIE", DL_EDIFACT_PARSE_COUNT_WARNINGS, error);
  if (interchange == NULL)
    return NULL;
  return dl_baplie_read_interchange (interchange, error);
}

GPtrArray *
dl_baplie_read_file (const char  *path,
                     GError     **error)
{
  g_autoptr(GMappedFile) file = NULL;
  gsize len;

  g_return_val_if_fail (path != NULL, NULL);

  file = dl_map_regular_file (path, DL_EDIFACT_MAX_BYTES, error);
  if (file == NULL)
    return NULL;
  len = g_mapped_file_get_length (file);
  return dl_baplie_read (len ? g_mapped_file_get_contents (file) : "", len, error);
}
