/* dl-detectors-builtin.c — today's consistency checks as detectors:
 * weight (more or less than declared), material, empty, dense,
 * partition, and the bay plan's weights.  Each wraps dl-consistency's
 * (or dl-bay-plan-check's) own code, unchanged: the measurement is made
 * once per input (dl_detect_input_get_consistency ()) and each detector
 * turns the hints of its kind into findings, with the hint's message as
 * the explanation and its figures.  A hint of severity "info" (what was
 * not checked, and why) is a note of the run, not a finding.
 *
 * The score, from the hint's figures — the checks fire at a threshold,
 * and the score is 0.5 there, rising to 1 at twice the distance:
 *   weight, bay-plan: z = |measured − declared| / σ (the hint's
 *       uncertainty), threshold 2.5 σ: score = min (1, z / 5);
 *   material: z = (measured share − the share the declaration leaves room
 *       for) / 0.1 (the hint's uncertainty), threshold 3: min (1, z / 6);
 *   empty: r = measured kg / max (50 kg, 3 σ), threshold 1: min (1, r / 2);
 *   dense, partition: the checks state no distance from a threshold, so
 *       the hint's severity: 0.9 for an alert, 0.6 for a warning.
 * The parameter "min_score" leaves out findings scoring below it: an
 * operating point chosen by evaluation.  Every built-in detector's
 * default is its shipped threshold (dl_detectors_get_operating_points ()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-detectors-builtin"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "dl-bay-plan-check.h"
#include "detector-resources.h"
#include "dl-detector.h"
#include "dl-pockets.h"
#include "dl-rings.h"
#include "dl-scanner-tdr.h"
#include "dl-units.h"

#define BUILTIN_VERSION "1"

typedef enum
{
  PICK_WEIGHT,
  PICK_MATERIAL,
  PICK_EMPTY,
  PICK_DENSE,       /* dense hints but the partition ones */
  PICK_PARTITION,
  PICK_BAY_PLAN,    /* the hints dl_bay_plan_check () adds */
} Pick;

typedef struct
{
  const char *name;
  const char *summary;
  Pick        pick;
} Builtin;

static const Builtin builtins[] = {
  { "weight", N_("The declared gross mass against the mass the scan measures, more or less"), PICK_WEIGHT },
  { "material", N_("The measured material shares against what the declared goods explain"), PICK_MATERIAL },
  { "empty", N_("A container declared empty that holds something"), PICK_EMPTY },
  { "dense", N_("Regions denser than anything declared"), PICK_DENSE },
  { "partition", N_("A wall across the cargo space that the manifest does not explain"), PICK_PARTITION },
  { "bay-plan", N_("The scan and the manifest against the bay plan’s verified gross mass"), PICK_BAY_PLAN },
};

static double
score_of (const DlHint *h,
          Pick          pick)
{
  double z;

  switch (pick)
    {
    case PICK_WEIGHT:
    case PICK_BAY_PLAN:
      z = h->uncertainty > 0 && isfinite (h->declared) ? fabs (h->measured - h->declared) / h->uncertainty : 0;
      return isfinite (z) ? MIN (1, z / 5) : 1;
    case PICK_MATERIAL:
      z = (h->measured - h->declared) / MAX (h->uncertainty, 1e-6);
      return CLAMP (z / 6, 0, 1);
    case PICK_EMPTY:
      z = h->measured / MAX (50.0, 3 * h->uncertainty);
      return CLAMP (z / 2, 0, 1);
    case PICK_DENSE:
    case PICK_PARTITION:
    default:
      return h->severity == DL_HINT_SEVERITY_ALERT ? 0.9 : 0.6;
    }
}

static void
set_number (JsonObject *o,
            const char *name,
            double      value)
{
  if (isfinite (value))
    json_object_set_double_member (o, name, value);
  else
    json_object_set_null_member (o, name);
}

static DlFinding *
finding_of (const DlHint  *h,
            guint          view,
            const char    *kind,
            double         score)
{
  DlFinding *f = dl_finding_new (kind, view, score, h->message);

  if (h->has_region)
    dl_finding_set_rectangle (f, h->region[0], h->region[1], h->region[2], h->region[3]);
  json_object_set_string_member (f->figures, "severity", dl_hint_severity_to_string (h->severity));
  json_object_set_string_member (f->figures, "unit", h->unit);
  set_number (f->figures, "measured", h->measured);
  set_number (f->figures, "uncertainty", h->uncertainty);
  set_number (f->figures, "declared", h->declared);
  if (h->container)
    json_object_set_string_member (f->figures, "container", h->container);
  return f;
}

static gboolean
wanted (const DlHint *h,
        Pick          pick)
{
  switch (pick)
    {
    case PICK_WEIGHT: return h->kind == DL_HINT_WEIGHT;
    case PICK_MATERIAL: return h->kind == DL_HINT_MATERIAL;
    case PICK_EMPTY: return h->kind == DL_HINT_EMPTY;
    case PICK_DENSE: return h->kind == DL_HINT_DENSE && !h->partition;
    case PICK_PARTITION: return h->kind == DL_HINT_DENSE && h->partition;
    case PICK_BAY_PLAN: return TRUE;
    default: return FALSE;
    }
}

static void
convert_hints (GPtrArray  *hints,
               guint       view,
               Pick        pick,
               const char *kind,
               double      min_score,
               GPtrArray  *findings,
               GPtrArray  *notes)
{
  for (guint i = 0; i < hints->len; i++)
    {
      const DlHint *h = g_ptr_array_index (hints, i);
      double score;

      if (!wanted (h, pick))
        continue;
      if (h->severity == DL_HINT_SEVERITY_INFO)
        {
          g_ptr_array_add (notes, g_strdup (h->message));
          continue;
        }
      score = score_of (h, pick);
      if (score >= min_score)
        g_ptr_array_add (findings, finding_of (h, view, kind, score));
    }
}

/* The bay plan's hints alone: dl_bay_plan_check () over a copy of the
 * measurement with no hints of its own. */
static GPtrArray *
bay_plan_hints (DlDetectInput       *input,
                const DlConsistency *measured)
{
  DlConsistency copy = *measured;
  DlManifest *manifest = dl_detect_input_get_manifest (input);
  const char *container = dl_detect_input_get_container (input);

  copy.hints = g_ptr_array_new_with_free_func (NULL);
  if (container == NULL && manifest->containers->len == 1)
    container = ((DlManifestContainer *) g_ptr_array_index (manifest->containers, 0))->number;
  dl_bay_plan_check (&copy, manifest, container, dl_detect_input_get_bay_plan (input));
  return copy.hints;
}

static void
free_hint (gpointer data)
{
  DlHint *h = data;

  g_free (h->message);
  g_free (h->container);
  g_free (h);
}

static gboolean
run_builtin (DlDetector    *detector,
             DlDetectInput *input,
             JsonObject    *parameters,
             GPtrArray     *findings,
             GPtrArray     *notes,
             GCancellable  *cancellable,
             GError       **error)
{
  const Builtin *b = dl_detector_get_data (detector);
  double min_score = json_object_get_double_member_with_default (parameters, "min_score", 0);
  const DlConsistency *measured;
  const char *kind = b->pick == PICK_BAY_PLAN ? "weight" : b->name;

  if (b->pick == PICK_BAY_PLAN && dl_detect_input_get_bay_plan (input) == NULL)
    {
      g_ptr_array_add (notes, g_strdup (_("There is no bay plan: nothing was compared")));
      return TRUE;
    }
  if ((measured = dl_detect_input_get_consistency (input, error)) == NULL
      || g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (b->pick == PICK_BAY_PLAN)
    {
      g_autoptr(GPtrArray) hints = bay_plan_hints (input, measured);

      g_ptr_array_set_free_func (hints, free_hint);
      convert_hints (hints, measured->view, b->pick, kind, min_score, findings, notes);
    }
  else
    convert_hints (measured->hints, measured->view, b->pick, kind, min_score, findings, notes);
  return TRUE;
}

static const DlDetectorVTable builtin_vtable = { run_builtin };

static JsonObject *
load_operating_points (void)
{
  g_autoptr(GBytes) bytes = g_resource_lookup_data (dl_detectors_get_resource (),
                                                    "/nl/doorlicht/libdoorlicht/detectors/thresholds.json",
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) file = NULL;
  JsonObject *points;

  if (bytes == NULL
      || (file = dl_json_object_parse (g_bytes_get_data (bytes, NULL), "thresholds.json", &error)) == NULL
      || g_strcmp0 (json_object_get_string_member_with_default (file, "format", ""),
                    "doorlicht-detector-thresholds/1") != 0
      || !json_object_has_member (file, "detectors")
      || (points = json_object_get_object_member (file, "detectors")) == NULL)
    /* compiled into the library: only a broken build gets here */
    g_error ("The shipped detector thresholds are unusable (%s)", error ? error->message : "not that format");
  return json_object_ref (points);
}

JsonObject *
dl_detectors_get_operating_points (void)
{
  static JsonObject *points;

  if (g_once_init_enter (&points))
    g_once_init_leave (&points, load_operating_points ());
  return points;
}

/* Makes @detector's shipped threshold (0 when the file has none for it)
 * its default. */
static void
apply_shipped_threshold (DlDetector *detector)
{
  JsonObject *points = dl_detectors_get_operating_points ();
  const char *name = dl_detector_get_name (detector);
  JsonObject *point = json_object_has_member (points, name) ? json_object_get_object_member (points, name) : NULL;

  double threshold = point ? json_object_get_double_member_with_default (point, "threshold", 0) : 0;

  /* a new detector runs with its defaults: both */
  json_object_set_double_member (dl_detector_get_defaults (detector), "min_score", threshold);
  json_object_set_double_member (dl_detector_get_parameters (detector), "min_score", threshold);
}

GPtrArray *
dl_detectors_builtin (void)
{
  GPtrArray *detectors = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < G_N_ELEMENTS (builtins); i++)
    {
      g_autoptr(JsonObject) defaults = json_object_new ();

      json_object_set_double_member (defaults, "min_score", 0.0);
      g_ptr_array_add (detectors, dl_detector_new (builtins[i].name, BUILTIN_VERSION, _(builtins[i].summary),
                                                   defaults, &builtin_vtable, (gpointer) &builtins[i], NULL));
    }
  g_ptr_array_add (detectors, dl_units_detector_new ());
  g_ptr_array_add (detectors, dl_pockets_detector_new ());
  g_ptr_array_add (detectors, dl_rings_detector_new ());
  g_ptr_array_add (detectors, dl_scanner_tdr_detector_new ());
  for (guint i = 0; i < detectors->len; i++)
    apply_shipped_threshold (g_ptr_array_index (detectors, i));
  return detectors;
}
