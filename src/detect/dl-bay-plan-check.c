/* dl-bay-plan-check.c — the bay plan's weights against the scan and the
 * manifest.
 *
 * The scan measures the cargo without the container (dl-consistency.c
 * removes the conveyance's own attenuation), so what it is compared with
 * is the bay plan's verified gross mass (SOLAS VI/2), or its gross weight
 * when it gives no VGM, less the tare: the bay plan's own tare where it
 * gives one, else the typical tare of the container's ISO 6346 size/type
 * (the table below), said so in the hint.
 *
 * Tolerances, in the spirit of the weight hint (dl-consistency.c: 2.5 σ
 * of what is uncertain):
 *  - scan against VGM less tare: 2.5 σ of the scan's estimate, the VGM
 *    (σ 2 % of it: the ±5 % that many administrations accept for a VGM
 *    is 2.5 σ) and the tare (σ 0 when the bay plan gives it, else the
 *    spread of the size type's tares), combined.  As in the weight hint,
 *    a scan showing less counts only when the estimate is no lower bound,
 *    and — with a side view alone, which loses mass in steel sheets
 *    edge-on to the beam — only when it falls short by 40 % or more;
 *  - the manifest's declared gross mass plus the tare against the VGM:
 *    5 % of the VGM or 500 kg, whichever is larger, plus 2.5 σ of an
 *    assumed tare.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-bay-plan-check"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "dl-bay-plan-check.h"

#define WEIGHT_K          2.5    /* σ a mass may be off before a hint, as dl-consistency.c */
#define SHORTFALL_MIN     0.4    /* as dl-consistency.c: a side view alone falls short by this */
#define VGM_REL_SIGMA     0.02   /* ±5 % accepted for a VGM taken as 2.5 σ */
#define DECLARED_REL_TOL  0.05   /* manifest against VGM: 5 % … */
#define DECLARED_MIN_TOL  500.0  /* … or 500 kg, whichever is larger */
#define MAX_NAMED         3      /* containers of the bay plan named in a hint */

/* Typical tares of the common ISO 6346 size/type codes, in kg, and the
 * spread (one σ) between makers and years of build.  From the container
 * specifications carriers publish for their fleets (Hapag-Lloyd's
 * "Container Specification" brochure, Maersk's and MSC's container
 * dimension pages: 20' standard 2 200–2 300 kg, 40' 3 700–3 800, 40' high
 * cube 3 800–4 000, 40' high cube reefer 4 400–4 800, 45' high cube
 * 4 700–4 900).  A container's own tare is on its CSC plate and door:
 * these are what is to be expected when the bay plan does not say it. */
static const struct
{
  const char *code;
  double      kg;
  double      sigma_kg;
} typical_tares[] = {
  { "22G1", 2230, 120 },   /* 20 ft × 8 ft 6 in, general purpose */
  { "22R1", 3050, 200 },   /* 20 ft reefer */
  { "22U1", 2350, 150 },   /* 20 ft open top */
  { "22T1", 3700, 400 },   /* 20 ft tank (frame and vessel vary most) */
  { "42G1", 3750, 150 },   /* 40 ft general purpose */
  { "42U1", 3850, 200 },   /* 40 ft open top */
  { "45G1", 3900, 150 },   /* 40 ft high cube */
  { "45R1", 4480, 250 },   /* 40 ft high cube reefer */
  { "L5G1", 4800, 250 },   /* 45 ft high cube */
};

gboolean
dl_iso6346_typical_tare (const char *size_type,
                         double     *kg,
                         double     *sigma_kg)
{
  for (guint i = 0; size_type && i < G_N_ELEMENTS (typical_tares); i++)
    if (g_ascii_strcasecmp (size_type, typical_tares[i].code) == 0)
      {
        if (kg)
          *kg = typical_tares[i].kg;
        if (sigma_kg)
          *sigma_kg = typical_tares[i].sigma_kg;
        return TRUE;
      }
  return FALSE;
}

/* What the comparison works with. */
typedef struct
{
  const DlBayPlanContainer *entry;
  const char *container;
  double      gross_kg;       /* the VGM, or the gross weight */
  gboolean    verified;       /* it is the VGM */
  double      tare_kg;
  double      tare_sigma;     /* 0 when the bay plan gives it */
  char       *tare_said;      /* how the tare was had, a sentence */
} Weights;

static void
info (DlConsistency *result,
      const char    *container,
      char          *message)
{
  dl_consistency_add_hint (result, DL_HINT_WEIGHT, DL_HINT_SEVERITY_INFO, container, message);
}

static char *
name_others (const DlBayPlan  *plan,
             const DlManifest *manifest)
{
  g_autoptr(GString) names = g_string_new (NULL);
  guint n = 0;

  for (guint i = 0; i < plan->containers->len; i++)
    {
      const DlBayPlanContainer *c = g_ptr_array_index (plan->containers, i);

      if (dl_manifest_find_container (manifest, c->number))
        continue;
      if (n++ < MAX_NAMED)
        g_string_append_printf (names, "%s%s", names->len ? ", " : "", c->number);
    }
  if (n == 0)
    return NULL;
  if (n > MAX_NAMED)
    /* TRANSLATORS: "MSKU9070323, TGHU1234567, … and 41 more" */
    g_string_append_printf (names, ngettext (" and %u more", " and %u more", n - MAX_NAMED), n - MAX_NAMED);
  return g_string_free (g_steal_pointer (&names), FALSE);
}

/* No entry for the container checked: said, with the bay plan's
 * containers the manifest does not list. */
static void
no_entry (DlConsistency    *result,
          const DlManifest *manifest,
          const char       *container,
          const DlBayPlan  *plan)
{
  g_autofree char *others = name_others (plan, manifest);

  if (others)
    info (result, container,
          g_strdup_printf (_("The bay plan has no entry for container %s; it lists %s, which the manifest "
                             "does not: the bay plan's weights are not compared"), container, others));
  else
    info (result, container,
          g_strdup_printf (_("The bay plan has no entry for container %s: its weights are not compared"), container));
}

/* The tare: the bay plan's, else the size type's typical one; FALSE
 * (with an info hint) when neither is known. */
static gboolean
find_tare (DlConsistency    *result,
           const DlManifest *manifest,
           Weights          *w)
{
  const DlManifestContainer *mc = dl_manifest_find_container (manifest, w->container);
  const char *size_type = w->entry->size_type ? w->entry->size_type : mc ? mc->size_type : NULL;

  if (!isnan (w->entry->tare_kg))
    {
      w->tare_kg = w->entry->tare_kg;
      w->tare_said = g_strdup_printf (_("Tare as the bay plan gives it: %'.0f kg."), w->tare_kg);
      return TRUE;
    }
  if (dl_iso6346_typical_tare (size_type, &w->tare_kg, &w->tare_sigma))
    {
      w->tare_said = g_strdup_printf (_("Tare assumed from the size type %s: %'.0f kg."), size_type, w->tare_kg);
      return TRUE;
    }
  if (size_type)
    info (result, w->container,
          g_strdup_printf (_("The bay plan gives no tare for %s, and its size type %s has no typical tare here: "
                             "the bay plan's weight is not compared"), w->container, size_type));
  else
    info (result, w->container,
          g_strdup_printf (_("The bay plan gives no tare and no size type for %s: the bay plan's weight is not "
                             "compared"), w->container));
  return FALSE;
}

/* Appends @w's tare sentence (and whose weight) to @h's message. */
static void
say_tare (DlHint        *h,
          const Weights *w)
{
  char *with = w->verified
               ? g_strconcat (h->message, ". ", w->tare_said, NULL)
               : g_strconcat (h->message, ". ", w->tare_said, " ",
                              _("(The bay plan gives no verified gross mass: its gross weight is used.)"), NULL);

  g_free (h->message);
  h->message = with;
}

/* The scan's cargo against the bay plan's mass less the tare. */
static void
compare_scan (DlConsistency *result,
              const Weights *w)
{
  double expected = w->gross_kg - w->tare_kg;
  double diff = expected - result->cargo_kg;
  double vgm_sigma = VGM_REL_SIGMA * w->gross_kg;
  double sigma = sqrt (result->cargo_kg_sigma * result->cargo_kg_sigma + vgm_sigma * vgm_sigma
                       + w->tare_sigma * w->tare_sigma);
  DlHint *h;

  if (fabs (diff) <= WEIGHT_K * sigma)
    return;
  /* the scan shows less: behind opaque pixels may be any mass, and one
   * side view loses mass in sheets edge-on to the beam */
  if (diff > 0 && (result->lower_bound || (result->n_views < 2 && diff < SHORTFALL_MIN * expected)))
    return;
  h = dl_consistency_add_hint (result, DL_HINT_WEIGHT,
                               fabs (diff) > 2 * WEIGHT_K * sigma ? DL_HINT_SEVERITY_ALERT : DL_HINT_SEVERITY_WARNING,
                               w->container,
                               diff < 0
                               ? g_strdup_printf (_("The scan shows about %'.0f ± %'.0f kg of cargo, %'.0f kg more than "
                                                    "the bay plan's %'.0f kg less the tare, %'.0f kg"),
                                                  result->cargo_kg, result->cargo_kg_sigma, -diff, w->gross_kg, expected)
                               : g_strdup_printf (_("The scan shows about %'.0f ± %'.0f kg of cargo, %'.0f kg less than "
                                                    "the bay plan's %'.0f kg less the tare, %'.0f kg"),
                                                  result->cargo_kg, result->cargo_kg_sigma, diff, w->gross_kg, expected));
  h->measured = result->cargo_kg;
  h->uncertainty = result->cargo_kg_sigma;
  h->declared = expected;
  say_tare (h, w);
}

/* The manifest's declared gross mass with the tare against the bay
 * plan's. */
static void
compare_manifest (DlConsistency *result,
                  const Weights *w)
{
  double declared, diff, tolerance;
  DlHint *h;

  if (!(result->declared_kg >= 0))
    return;
  declared = result->declared_kg + w->tare_kg;
  diff = declared - w->gross_kg;
  tolerance = MAX (DECLARED_REL_TOL * w->gross_kg, DECLARED_MIN_TOL) + WEIGHT_K * w->tare_sigma;
  if (fabs (diff) <= tolerance)
    return;
  h = dl_consistency_add_hint (result, DL_HINT_WEIGHT, DL_HINT_SEVERITY_WARNING, w->container,
                               diff > 0
                               ? g_strdup_printf (_("The manifest declares %'.0f kg of goods, %'.0f kg with the tare: "
                                                    "%'.0f kg more than the bay plan's %'.0f kg (%'.0f kg allowed)"),
                                                  result->declared_kg, declared, diff, w->gross_kg, tolerance)
                               : g_strdup_printf (_("The manifest declares %'.0f kg of goods, %'.0f kg with the tare: "
                                                    "%'.0f kg less than the bay plan's %'.0f kg (%'.0f kg allowed)"),
                                                  result->declared_kg, declared, -diff, w->gross_kg, tolerance));
  h->measured = w->gross_kg;
  h->uncertainty = tolerance / WEIGHT_K;
  h->declared = declared;
  say_tare (h, w);
}

void
dl_bay_plan_check (DlConsistency    *result,
                   const DlManifest *manifest,
                   const char       *container,
                   const DlBayPlan  *plan)
{
  Weights w = { 0 };

  g_return_if_fail (result != NULL && manifest != NULL);

  if (plan == NULL)
    return;
  if (container == NULL)
    {
      info (result, NULL, g_strdup (_("The manifest names no container: the bay plan's weights are not compared")));
      return;
    }
  if ((w.entry = dl_bay_plan_find (plan, container)) == NULL)
    {
      no_entry (result, manifest, container, plan);
      return;
    }
  w.container = container;
  w.verified = !isnan (w.entry->vgm_kg);
  w.gross_kg = w.verified ? w.entry->vgm_kg : w.entry->gross_kg;
  if (isnan (w.gross_kg))
    {
      info (result, container, g_strdup_printf (_("The bay plan gives no weight that could be read for %s: "
                                                  "it is not compared"), container));
      return;
    }
  if (!find_tare (result, manifest, &w))
    return;
  compare_scan (result, &w);
  compare_manifest (result, &w);
  g_free (w.tare_said);
}

DlConsistency *
dl_consistency_check_with_bay_plan (DlScan              *scan,
                                    const DlCalibration *calibration,
                                    const DlManifest    *manifest,
                                    const char          *container,
                                    const DlBayPlan     *plan,
                                    GError             **error)
{
  DlConsistency *result;

  g_return_val_if_fail (manifest != NULL, NULL);

  result = container
           ? dl_consistency_check_container (scan, calibration, manifest, container, error)
           : dl_consistency_check (scan, calibration, manifest, error);
  if (result == NULL)
    return NULL;
  if (container == NULL && manifest->containers->len == 1)
    container = ((DlManifestContainer *) g_ptr_array_index (manifest->containers, 0))->number;
  dl_bay_plan_check (result, manifest, container, plan);
  return result;
}
