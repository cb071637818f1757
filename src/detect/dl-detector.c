/* dl-detector.c — the detector type, its input, and running several
 * detectors over one scan (dl-detector.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-detector"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "dl-detector.h"

/* ---- the input ------------------------------------------------------------------ */

struct _DlDetectInput
{
  gatomicrefcount      ref;
  DlScan              *scan;
  DlManifest          *manifest;
  char                *container;
  const DlCalibration *calibration;
  DlBayPlan           *bay_plan;
  GMutex               lock;          /* guards the three below */
  gboolean             measured;
  DlConsistency       *consistency;
  GError              *consistency_error;
  DlCargoImage        *image;         /* measured alone, when there is no consistency */
  GError              *image_error;
};

DlDetectInput *
dl_detect_input_new (DlScan              *scan,
                     DlManifest          *manifest,
                     const char          *container,
                     const DlCalibration *calibration,
                     DlBayPlan           *bay_plan)
{
  DlDetectInput *self;

  g_return_val_if_fail (DL_IS_SCAN (scan), NULL);
  g_return_val_if_fail (calibration != NULL, NULL);

  self = g_new0 (DlDetectInput, 1);
  g_atomic_ref_count_init (&self->ref);
  self->scan = g_object_ref (scan);
  self->manifest = manifest ? dl_manifest_ref (manifest) : NULL;
  self->container = g_strdup (container);
  self->calibration = calibration;
  self->bay_plan = bay_plan ? dl_bay_plan_ref (bay_plan) : NULL;
  g_mutex_init (&self->lock);
  return self;
}

DlDetectInput *
dl_detect_input_ref (DlDetectInput *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref);
  return self;
}

void
dl_detect_input_unref (DlDetectInput *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref))
    return;
  g_object_unref (self->scan);
  g_clear_pointer (&self->manifest, dl_manifest_unref);
  g_free (self->container);
  g_clear_pointer (&self->bay_plan, dl_bay_plan_unref);
  g_clear_pointer (&self->consistency, dl_consistency_free);
  g_clear_error (&self->consistency_error);
  g_clear_pointer (&self->image, dl_cargo_image_free);
  g_clear_error (&self->image_error);
  g_mutex_clear (&self->lock);
  g_free (self);
}

DlScan *
dl_detect_input_get_scan (DlDetectInput *self)
{
  return self->scan;
}

DlManifest *
dl_detect_input_get_manifest (DlDetectInput *self)
{
  return self->manifest;
}

const char *
dl_detect_input_get_container (DlDetectInput *self)
{
  return self->container;
}

const DlCalibration *
dl_detect_input_get_calibration (DlDetectInput *self)
{
  return self->calibration;
}

DlBayPlan *
dl_detect_input_get_bay_plan (DlDetectInput *self)
{
  return self->bay_plan;
}

static void
measure_input (DlDetectInput *self)
{
  if (self->manifest == NULL)
    {
      g_set_error_literal (&self->consistency_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("This detector compares the scan with its manifest, and there is no manifest"));
      return;
    }
  self->consistency = self->container
                      ? dl_consistency_check_container (self->scan, self->calibration, self->manifest,
                                                        self->container, &self->consistency_error)
                      : dl_consistency_check (self->scan, self->calibration, self->manifest,
                                              &self->consistency_error);
}

const DlConsistency *
dl_detect_input_get_consistency (DlDetectInput *self,
                                 GError       **error)
{
  const DlConsistency *result;

  g_return_val_if_fail (self != NULL, NULL);

  g_mutex_lock (&self->lock);
  if (!self->measured)
    {
      measure_input (self);
      self->measured = TRUE;
    }
  result = self->consistency;
  if (result == NULL && error)
    *error = g_error_copy (self->consistency_error);
  g_mutex_unlock (&self->lock);
  return result;
}

const DlCargoImage *
dl_detect_input_get_cargo_image (DlDetectInput *self,
                                 GError       **error)
{
  const DlConsistency *c;
  const DlCargoImage *result;

  g_return_val_if_fail (self != NULL, NULL);

  if ((c = dl_detect_input_get_consistency (self, NULL)) != NULL && c->image != NULL)
    return c->image;
  g_mutex_lock (&self->lock);
  if (self->image == NULL && self->image_error == NULL)
    self->image = dl_cargo_image_measure (self->scan, self->calibration, &self->image_error);
  result = self->image;
  if (result == NULL && error)
    *error = g_error_copy (self->image_error);
  g_mutex_unlock (&self->lock);
  return result;
}

/* ---- the detector ------------------------------------------------------------------ */

struct _DlDetector
{
  GObject                 parent_instance;
  char                   *name;
  char                   *version;
  char                   *summary;
  JsonObject             *defaults;
  JsonObject             *parameters;
  char                   *program_sha256;
  const DlDetectorVTable *vtable;
  gpointer                data;
  GDestroyNotify          destroy;
};

G_DEFINE_FINAL_TYPE (DlDetector, dl_detector, G_TYPE_OBJECT)

static void
dl_detector_finalize (GObject *object)
{
  DlDetector *self = DL_DETECTOR (object);

  g_free (self->name);
  g_free (self->version);
  g_free (self->summary);
  json_object_unref (self->defaults);
  json_object_unref (self->parameters);
  g_free (self->program_sha256);
  if (self->destroy)
    self->destroy (self->data);
  G_OBJECT_CLASS (dl_detector_parent_class)->finalize (object);
}

static void
dl_detector_class_init (DlDetectorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dl_detector_finalize;
}

static void
dl_detector_init (DlDetector *self)
{
}

DlDetector *
dl_detector_new (const char             *name,
                 const char             *version,
                 const char             *summary,
                 JsonObject             *defaults,
                 const DlDetectorVTable *vtable,
                 gpointer                data,
                 GDestroyNotify          destroy)
{
  DlDetector *self;

  g_return_val_if_fail (name != NULL && version != NULL && vtable != NULL && vtable->run != NULL, NULL);

  self = g_object_new (DL_TYPE_DETECTOR, NULL);
  self->name = g_strdup (name);
  self->version = g_strdup (version);
  self->summary = g_strdup (summary ? summary : "");
  self->defaults = dl_json_object_copy (defaults);
  self->parameters = dl_json_object_copy (defaults);
  self->vtable = vtable;
  self->data = data;
  self->destroy = destroy;
  return self;
}

const char *
dl_detector_get_name (DlDetector *self)
{
  g_return_val_if_fail (DL_IS_DETECTOR (self), NULL);
  return self->name;
}

const char *
dl_detector_get_version (DlDetector *self)
{
  g_return_val_if_fail (DL_IS_DETECTOR (self), NULL);
  return self->version;
}

const char *
dl_detector_get_summary (DlDetector *self)
{
  g_return_val_if_fail (DL_IS_DETECTOR (self), NULL);
  return self->summary;
}

gpointer
dl_detector_get_data (DlDetector *self)
{
  g_return_val_if_fail (DL_IS_DETECTOR (self), NULL);
  return self->data;
}

JsonObject *
dl_detector_get_defaults (DlDetector *self)
{
  g_return_val_if_fail (DL_IS_DETECTOR (self), NULL);
  return self->defaults;
}

JsonObject *
dl_detector_get_parameters (DlDetector *self)
{
  g_return_val_if_fail (DL_IS_DETECTOR (self), NULL);
  return self->parameters;
}

const char *
dl_detector_get_program_sha256 (DlDetector *self)
{
  g_return_val_if_fail (DL_IS_DETECTOR (self), NULL);
  return self->program_sha256;
}

void
dl_detector_set_program_sha256 (DlDetector *self,
                                const char *sha256)
{
  g_return_if_fail (DL_IS_DETECTOR (self));
  g_free (self->program_sha256);
  self->program_sha256 = g_strdup (sha256);
}

/* Whether @value may stand where @like is: the same JSON type, numbers
 * of either kind for each other. */
static gboolean
same_kind (JsonNode *like,
           JsonNode *value)
{
  GType a, b;

  if (JSON_NODE_TYPE (like) != JSON_NODE_TYPE (value))
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (like))
    return TRUE;
  a = json_node_get_value_type (like);
  b = json_node_get_value_type (value);
  if ((a == G_TYPE_INT64 || a == G_TYPE_DOUBLE) && (b == G_TYPE_INT64 || b == G_TYPE_DOUBLE))
    return TRUE;
  return a == b;
}

gboolean
dl_detector_set_parameters (DlDetector *self,
                            JsonObject *values,
                            GError    **error)
{
  g_autoptr(JsonObject) merged = NULL;
  g_autoptr(GList) names = NULL;

  g_return_val_if_fail (DL_IS_DETECTOR (self), FALSE);

  merged = dl_json_object_copy (self->defaults);
  names = values ? json_object_get_members (values) : NULL;
  for (GList *l = names; l; l = l->next)
    {
      JsonNode *like = json_object_get_member (self->defaults, l->data);
      JsonNode *value = json_object_get_member (values, l->data);

      if (like == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("The detector “%s” has no parameter “%s”"), self->name, (const char *) l->data);
          return FALSE;
        }
      if (!same_kind (like, value))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("The parameter “%s” of the detector “%s” has the wrong type"),
                       (const char *) l->data, self->name);
          return FALSE;
        }
      json_object_set_member (merged, l->data, json_node_copy (value));
    }
  json_object_unref (self->parameters);
  self->parameters = g_steal_pointer (&merged);
  return TRUE;
}

GPtrArray *
dl_detector_run (DlDetector    *self,
                 DlDetectInput *input,
                 GPtrArray     *notes,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_finding_free);
  g_autoptr(GPtrArray) own_notes = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (DL_IS_DETECTOR (self), NULL);
  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (!self->vtable->run (self, input, self->parameters, findings, notes ? notes : own_notes, cancellable, error))
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  for (guint i = 0; i < findings->len; i++)
    dl_finding_set_detector (g_ptr_array_index (findings, i), self->name, self->version, self->parameters,
                             self->program_sha256);
  return g_steal_pointer (&findings);
}

DlDetector *
dl_detectors_find (GPtrArray  *detectors,
                   const char *name)
{
  g_return_val_if_fail (detectors != NULL && name != NULL, NULL);

  for (guint i = 0; i < detectors->len; i++)
    if (strcmp (dl_detector_get_name (g_ptr_array_index (detectors, i)), name) == 0)
      return g_ptr_array_index (detectors, i);
  return NULL;
}

/* ---- running several ------------------------------------------------------------- */

static void
detector_run_free (gpointer data)
{
  DlDetectorRun *r = data;

  g_free (r->detector);
  g_free (r->version);
  g_clear_error (&r->error);
  g_strfreev (r->notes);
  g_free (r);
}

void
dl_detect_report_free (DlDetectReport *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->findings);
  g_ptr_array_unref (self->runs);
  g_free (self);
}

gboolean
dl_detect_report_has_errors (const DlDetectReport *self)
{
  for (guint i = 0; i < self->runs->len; i++)
    if (((DlDetectorRun *) g_ptr_array_index (self->runs, i))->error)
      return TRUE;
  return FALSE;
}

typedef struct
{
  DlDetector    *detector;
  DlDetectInput *input;
  GCancellable  *cancellable;
  GPtrArray     *findings;     /* its result, or NULL */
  GPtrArray     *notes;
  GError        *error;
  double         seconds;
} Job;

static gpointer
run_job (gpointer data)
{
  Job *job = data;
  gint64 start = g_get_monotonic_time ();

  job->findings = dl_detector_run (job->detector, job->input, job->notes, job->cancellable, &job->error);
  job->seconds = (g_get_monotonic_time () - start) / 1e6;
  return NULL;
}

static DlDetectorRun *
job_finish (Job       *job,
            GPtrArray *findings)
{
  DlDetectorRun *r = g_new0 (DlDetectorRun, 1);

  r->detector = g_strdup (dl_detector_get_name (job->detector));
  r->version = g_strdup (dl_detector_get_version (job->detector));
  r->seconds = job->seconds;
  r->error = g_steal_pointer (&job->error);
  g_ptr_array_add (job->notes, NULL);
  r->notes = (GStrv) g_ptr_array_free (g_steal_pointer (&job->notes), FALSE);
  for (guint i = 0; job->findings && i < job->findings->len; i++)
    g_ptr_array_add (findings, g_steal_pointer (&job->findings->pdata[i]));
  r->n_findings = job->findings ? job->findings->len : 0;
  if (job->findings)
    {
      g_ptr_array_set_free_func (job->findings, NULL);
      g_ptr_array_unref (job->findings);
    }
  return r;
}

DlDetectReport *
dl_detectors_run (GPtrArray     *detectors,
                  DlDetectInput *input,
                  GCancellable  *cancellable)
{
  gint64 start = g_get_monotonic_time ();
  DlDetectReport *report;
  g_autofree Job *jobs = NULL;
  g_autofree GThread **threads = NULL;

  g_return_val_if_fail (detectors != NULL && input != NULL, NULL);

  jobs = g_new0 (Job, detectors->len);
  threads = g_new0 (GThread *, detectors->len);
  for (guint i = 0; i < detectors->len; i++)
    {
      jobs[i].detector = g_ptr_array_index (detectors, i);
      jobs[i].input = input;
      jobs[i].cancellable = cancellable;
      jobs[i].notes = g_ptr_array_new_with_free_func (g_free);
      threads[i] = g_thread_new ("dl-detector", run_job, &jobs[i]);
    }
  report = g_new0 (DlDetectReport, 1);
  report->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_finding_free);
  report->runs = g_ptr_array_new_with_free_func (detector_run_free);
  for (guint i = 0; i < detectors->len; i++)
    {
      g_thread_join (threads[i]);
      g_ptr_array_add (report->runs, job_finish (&jobs[i], report->findings));
    }
  report->seconds = (g_get_monotonic_time () - start) / 1e6;
  return report;
}

static void
add_run_node (JsonBuilder         *b,
              const DlDetectorRun *r)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "detector");
  json_builder_add_string_value (b, r->detector);
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, r->version);
  json_builder_set_member_name (b, "seconds");
  json_builder_add_double_value (b, round (r->seconds * 1000) / 1000);
  json_builder_set_member_name (b, "error");
  if (r->error)
    json_builder_add_string_value (b, r->error->message);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "notes");
  json_builder_begin_array (b);
  for (guint i = 0; r->notes[i]; i++)
    json_builder_add_string_value (b, r->notes[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

char *
dl_detect_report_to_json (const DlDetectReport *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, DL_FINDINGS_FORMAT);
  json_builder_set_member_name (b, "findings");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->findings->len; i++)
    json_builder_add_value (b, dl_finding_to_json_node (g_ptr_array_index (self->findings, i)));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "runs");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->runs->len; i++)
    add_run_node (b, g_ptr_array_index (self->runs, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}
