/* dl-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-session"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "dl-histogram.h"
#include "dl-bay-plan-check.h"
#include "dl-consistency.h"
#include "dl-format.h"
#include "dl-manifest.h"
#include "dl-material.h"
#include "dl-prefetch.h"
#include "dl-profile.h"
#include "dl-profile-choices.h"
#include "dl-scan-prepare.h"
#include "dl-session.h"
#include "dl-session-findings.h"

/* Shared between the session and the loading thread, which only ever
 * writes the fraction and hands over previews; the session polls it. */
typedef struct
{
  gatomicrefcount ref;
  gint            permille;
  GMutex          lock;
  DlScan         *preview;   /* the newest not taken yet */
} Progress;

struct _DlSession
{
  GObject       parent_instance;
  DlViewState  *view_state;
  DlScan       *scan;
  guint         active_index;
  gboolean      show_all;

  GCancellable *cancellable;
  Progress     *progress;
  guint         poll_id;
  DlScan       *preview;       /* while a huge scan decodes */
  GCancellable *classes_cancellable;  /* a huge dual-energy scan's classes, being computed */
  char         *loading_path;
  char         *path;
  char         *title;

  GPtrArray    *files;
  int           file_index;

  GHashTable   *annotations;    /* scan path → DlAnnotations, kept while the session lives */
  DlAnnotations *current_annotations;
  DlAnnotations *edit_marks;    /* the marks an edit is open on (dl_session_begin_mark_edit) */
  guint         edit_mark;      /* the mark that edit is about */
  DlTool        tool;
  guint         selected;

  /* how each scan was looked at, restored on coming back to it */
  GHashTable   *view_states;    /* scan key → GArray of GValue (view_state_keys) */
  char         *view_key;       /* the key of the scan shown */

  /* the case being worked on, when the scans come from a case file */
  DlCaseFile   *case_file;
  char         *case_id;
  char         *case_scan_id;
  char         *expected_sha256;   /* as the case recorded it */
  char         *integrity_problem;
  DlProfile    *profile;           /* the scan's scanner profile, NULL: none is for it */
  DlProfileMatch profile_match;
  DlManifest   *manifest;
  DlBayPlan    *bay_plan;          /* the case's bay plan entry, or NULL */
  DlPreset      default_preset;    /* DL_N_PRESETS: none chosen, the profile's */
  char         *profile_colormap;  /* the colour map a profile last gave the view */
  DlPrefetched *pending_case;      /* the case to show once its scan is decoded */
  DlPrefetch   *prefetch;          /* the next cases of the queue, made ready */
  char         *awaited_case;      /* opened while the prefetch was on it: shown when ready */
  guint         checkpoint_id;     /* a minute after the last change */

  /* the scan checked against the manifest, in a worker thread */
  GCancellable *check_cancellable;
  char         *check_summary;
  GStrv         hints;
  char         *check_json;     /* the check's result, for the verdict */
  GArray       *hint_regions;   /* DlSessionHintRegion, one per hint */
  gboolean      check_pending;

  /* the detectors' findings of the scan shown (dl-session-findings.c) */
  DlSessionFindings *findings;
};

G_DEFINE_FINAL_TYPE (DlSession, dl_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SCAN,
  PROP_ACTIVE_INDEX,
  PROP_SHOW_ALL,
  PROP_LOADING,
  PROP_PROGRESS,
  PROP_PATH,
  PROP_TITLE,
  PROP_FILE_INDEX,
  PROP_TOOL,
  PROP_SELECTED,
  PROP_CASE_ID,
  PROP_MANIFEST,
  PROP_INTEGRITY_PROBLEM,
  PROP_CHECK_SUMMARY,
  PROP_HINTS,
  PROP_PREVIEW,
  PROP_CLASSES_PENDING,
  PROP_CHECK_PENDING,
  PROP_PROFILE,
  N_PROPS
};

enum {
  LOAD_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static Progress *
progress_ref (Progress *p)
{
  g_atomic_ref_count_inc (&p->ref);
  return p;
}

static void
progress_unref (gpointer data)
{
  Progress *p = data;

  if (g_atomic_ref_count_dec (&p->ref))
    {
      g_clear_object (&p->preview);
      g_mutex_clear (&p->lock);
      g_free (p);
    }
}

/* In the loading thread: the newest preview waits for the next poll. */
static void
on_preview (DlScan  *preview,
            gpointer user_data)
{
  Progress *p = user_data;

  g_mutex_lock (&p->lock);
  g_set_object (&p->preview, preview);
  g_mutex_unlock (&p->lock);
}

static DlScan *
take_preview (Progress *p)
{
  DlScan *preview;

  g_mutex_lock (&p->lock);
  preview = g_steal_pointer (&p->preview);
  g_mutex_unlock (&p->lock);
  return preview;
}

static void
on_progress (double   fraction,
             gpointer user_data)
{
  Progress *p = user_data;

  g_atomic_int_set (&p->permille, (gint) CLAMP (fraction * 1000.0, 0, 1000));
}

static void
dl_session_dispose (GObject *object)
{
  DlSession *self = DL_SESSION (object);

  dl_session_end_mark_edit (self);
  dl_session_cancel_load (self);
  g_clear_handle_id (&self->checkpoint_id, g_source_remove);
  g_clear_object (&self->prefetch);
  g_clear_pointer (&self->pending_case, dl_prefetched_free);
  if (self->case_file)
    g_signal_handlers_disconnect_by_data (self->case_file, self);
  if (self->classes_cancellable)
    g_cancellable_cancel (self->classes_cancellable);
  g_clear_object (&self->classes_cancellable);
  if (self->check_cancellable)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  g_clear_object (&self->findings);   /* its run is cancelled */
  g_clear_object (&self->scan);
  g_clear_object (&self->view_state);
  g_clear_object (&self->case_file);

  G_OBJECT_CLASS (dl_session_parent_class)->dispose (object);
}

static void
dl_session_finalize (GObject *object)
{
  DlSession *self = DL_SESSION (object);

  g_clear_pointer (&self->files, g_ptr_array_unref);
  g_clear_pointer (&self->annotations, g_hash_table_unref);
  g_clear_pointer (&self->view_states, g_hash_table_unref);
  g_free (self->view_key);
  g_clear_object (&self->current_annotations);
  g_free (self->path);
  g_free (self->title);
  g_free (self->loading_path);
  g_free (self->case_id);
  g_free (self->case_scan_id);
  g_free (self->expected_sha256);
  g_free (self->integrity_problem);
  g_clear_pointer (&self->manifest, dl_manifest_unref);
  g_clear_pointer (&self->bay_plan, dl_bay_plan_unref);
  g_free (self->check_summary);
  g_clear_pointer (&self->profile, dl_profile_unref);
  g_free (self->profile_colormap);
  g_strfreev (self->hints);
  g_free (self->check_json);
  g_clear_pointer (&self->hint_regions, g_array_unref);

  G_OBJECT_CLASS (dl_session_parent_class)->finalize (object);
}

static void
dl_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DlSession *self = DL_SESSION (object);

  switch (prop_id)
    {
    case PROP_SCAN: g_value_set_object (value, self->scan); break;
    case PROP_ACTIVE_INDEX: g_value_set_uint (value, self->active_index); break;
    case PROP_SHOW_ALL: g_value_set_boolean (value, self->show_all); break;
    case PROP_LOADING: g_value_set_boolean (value, self->cancellable != NULL); break;
    case PROP_PROGRESS: g_value_set_double (value, dl_session_get_progress (self)); break;
    case PROP_PREVIEW: g_value_set_object (value, self->preview); break;
    case PROP_CLASSES_PENDING: g_value_set_boolean (value, self->classes_cancellable != NULL); break;
    case PROP_PATH: g_value_set_string (value, self->path); break;
    case PROP_TITLE: g_value_set_string (value, dl_session_get_title (self)); break;
    case PROP_FILE_INDEX: g_value_set_int (value, self->file_index); break;
    case PROP_TOOL: g_value_set_int (value, self->tool); break;
    case PROP_SELECTED: g_value_set_uint (value, self->selected); break;
    case PROP_CASE_ID: g_value_set_string (value, self->case_id); break;
    case PROP_MANIFEST: g_value_set_boxed (value, self->manifest); break;
    case PROP_INTEGRITY_PROBLEM: g_value_set_string (value, self->integrity_problem); break;
    case PROP_CHECK_SUMMARY: g_value_set_string (value, self->check_summary); break;
    case PROP_HINTS: g_value_set_boxed (value, self->hints); break;
    case PROP_CHECK_PENDING: g_value_set_boolean (value, self->check_pending); break;
    case PROP_PROFILE: g_value_set_boxed (value, self->profile); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dl_session_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  DlSession *self = DL_SESSION (object);

  switch (prop_id)
    {
    case PROP_ACTIVE_INDEX: dl_session_set_active_index (self, g_value_get_uint (value)); break;
    case PROP_SHOW_ALL: dl_session_set_show_all (self, g_value_get_boolean (value)); break;
    case PROP_TOOL: dl_session_set_tool (self, g_value_get_int (value)); break;
    case PROP_SELECTED: dl_session_set_selected (self, g_value_get_uint (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dl_session_class_init (DlSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = dl_session_dispose;
  object_class->finalize = dl_session_finalize;
  object_class->get_property = dl_session_get_property;
  object_class->set_property = dl_session_set_property;

  properties[PROP_SCAN] = g_param_spec_object ("scan", NULL, NULL, DL_TYPE_SCAN, ro);
  properties[PROP_ACTIVE_INDEX] = g_param_spec_uint ("active-index", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[PROP_SHOW_ALL] = g_param_spec_boolean ("show-all", NULL, NULL, FALSE, rw);
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, ro);
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, 0, 1, 0, ro);
  properties[PROP_PREVIEW] = g_param_spec_object ("preview", NULL, NULL, DL_TYPE_SCAN, ro);
  properties[PROP_CLASSES_PENDING] = g_param_spec_boolean ("classes-pending", NULL, NULL, FALSE, ro);
  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, ro);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, ro);
  properties[PROP_FILE_INDEX] = g_param_spec_int ("file-index", NULL, NULL, -1, G_MAXINT, -1, ro);
  properties[PROP_TOOL] = g_param_spec_int ("tool", NULL, NULL, 0, DL_N_TOOLS - 1, DL_TOOL_SELECT, rw);
  properties[PROP_SELECTED] = g_param_spec_uint ("selected", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[PROP_CASE_ID] = g_param_spec_string ("case-id", NULL, NULL, NULL, ro);
  properties[PROP_MANIFEST] = g_param_spec_boxed ("manifest", NULL, NULL, DL_TYPE_MANIFEST, ro);
  properties[PROP_INTEGRITY_PROBLEM] = g_param_spec_string ("integrity-problem", NULL, NULL, NULL, ro);
  properties[PROP_CHECK_SUMMARY] = g_param_spec_string ("check-summary", NULL, NULL, NULL, ro);
  properties[PROP_HINTS] = g_param_spec_boxed ("hints", NULL, NULL, G_TYPE_STRV, ro);
  /* TRUE while the scan shown is being checked against its manifest */
  properties[PROP_CHECK_PENDING] = g_param_spec_boolean ("check-pending", NULL, NULL, FALSE, ro);
  /* the scanner profile of the scan shown (dl_session_get_profile ()) */
  properties[PROP_PROFILE] = g_param_spec_boxed ("profile", NULL, NULL, DL_TYPE_PROFILE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted with a message a person can read when a scan cannot be opened;
   * the scan that was shown stays. */
  signals[LOAD_FAILED] = g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);
}

static void
dl_session_init (DlSession *self)
{
  self->view_state = dl_view_state_new ();
  self->files = g_ptr_array_new_with_free_func (g_free);
  self->file_index = -1;
  self->default_preset = DL_N_PRESETS;
  self->annotations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->view_states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);
  self->current_annotations = dl_annotations_new ();
  self->findings = dl_session_findings_new ();
}

DlSession *
dl_session_new (void)
{
  return g_object_new (DL_TYPE_SESSION, NULL);
}

DlViewState *
dl_session_get_view_state (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), NULL);
  return self->view_state;
}

DlScan *
dl_session_get_scan (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), NULL);
  return self->scan;
}

DlPlane *
dl_session_get_active_plane (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), NULL);

  if (self->scan == NULL)
    return NULL;
  return dl_scan_get_plane_at (self->scan, self->active_index);
}

guint
dl_session_get_active_index (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), 0);
  return self->active_index;
}

/* Makes plane @index the one the window and I0 follow. */
void
dl_session_set_active_index (DlSession *self,
                             guint      index)
{
  DlPlane *plane;

  g_return_if_fail (DL_IS_SESSION (self));

  if (self->scan == NULL || index >= dl_scan_get_n_planes (self->scan))
    return;
  if (index == self->active_index)
    return;

  self->active_index = index;
  plane = dl_session_get_active_plane (self);
  if (plane->histogram != NULL)
    g_object_set (self->view_state, "i0", dl_plane_get_i0 (plane), NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_INDEX]);
}

gboolean
dl_session_get_show_all (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), FALSE);
  return self->show_all;
}

void
dl_session_set_show_all (DlSession *self,
                         gboolean   show_all)
{
  g_return_if_fail (DL_IS_SESSION (self));

  show_all = !!show_all;
  if (self->show_all == show_all)
    return;
  self->show_all = show_all;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_ALL]);
}

void
dl_session_apply_preset (DlSession *self,
                         DlPreset   preset)
{
  DlPlane *plane;

  g_return_if_fail (DL_IS_SESSION (self));

  plane = dl_session_get_active_plane (self);
  if (plane == NULL || plane->histogram == NULL)
    return;
  dl_view_state_apply_preset (self->view_state, preset, plane->histogram);
}

static void
set_manifest (DlSession  *self,
              DlManifest *manifest)   /* (transfer full) */
{
  if (manifest == self->manifest)
    {
      g_clear_pointer (&manifest, dl_manifest_unref);
      return;
    }
  g_clear_pointer (&self->manifest, dl_manifest_unref);
  self->manifest = manifest;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MANIFEST]);
}

/* A scan opened on its own brings the declaration written beside it, as
 * the generator and most scanner exports do: BASE.manifest.json,
 * BASE.cuscar.edi, BASE.edi or BASE.csv for BASE.tif. */
static DlManifest *
find_sibling_manifest (const char *scan_path)
{
  static const char * const suffixes[] = { ".manifest.json", ".cuscar.edi", ".edi", ".csv" };
  g_autofree char *base = NULL;
  const char *dot;

  if (scan_path == NULL)
    return NULL;
  dot = strrchr (scan_path, '.');
  base = dot && !strchr (dot, G_DIR_SEPARATOR) ? g_strndup (scan_path, dot - scan_path) : g_strdup (scan_path);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (base, suffixes[i], NULL);
      g_autoptr(GPtrArray) manifests = NULL;

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      manifests = dl_manifest_load_file (path, NULL);
      if (manifests && manifests->len > 0)
        return dl_manifest_ref (g_ptr_array_index (manifests, 0));
    }
  return NULL;
}

/* A case's scan must be the bytes the case recorded. */
static void
check_integrity (DlSession *self)
{
  const char *actual = self->scan ? dl_scan_get_sha256 (self->scan) : NULL;
  char *problem = NULL;

  if (self->scan && self->expected_sha256 && g_strcmp0 (actual, self->expected_sha256) != 0)
    problem = g_strdup_printf (_("This image is not the one recorded in the case: its SHA-256 is %s, "
                                 "the case recorded %s"), actual ? actual : "?", self->expected_sha256);
  if (g_strcmp0 (problem, self->integrity_problem) == 0)
    {
      g_free (problem);
      return;
    }
  g_free (self->integrity_problem);
  self->integrity_problem = problem;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTEGRITY_PROBLEM]);
}

static void
set_check_pending (DlSession *self,
                   gboolean   pending)
{
  if (self->check_pending == pending)
    return;
  self->check_pending = pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECK_PENDING]);
}

static void
set_check_result (DlSession  *self,
                  char       *summary,   /* (transfer full) */
                  GStrv       hints,     /* (transfer full) */
                  GArray     *regions)   /* (transfer full) (nullable): one per hint */
{
  g_free (self->check_summary);
  self->check_summary = summary;
  g_strfreev (self->hints);
  self->hints = hints;
  g_clear_pointer (&self->check_json, g_free);
  g_clear_pointer (&self->hint_regions, g_array_unref);
  self->hint_regions = regions;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECK_SUMMARY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HINTS]);
}

typedef struct
{
  DlScan     *scan;
  DlManifest *manifest;
  DlBayPlan  *bay_plan;     /* or NULL */
  DlProfile  *profile;      /* the session's choice for the scan, or NULL */
} CheckData;

static void
check_data_free (gpointer data)
{
  CheckData *cd = data;

  g_object_unref (cd->scan);
  dl_manifest_unref (cd->manifest);
  g_clear_pointer (&cd->bay_plan, dl_bay_plan_unref);
  g_clear_pointer (&cd->profile, dl_profile_unref);
  g_free (cd);
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CheckData *cd = task_data;
  GError *error = NULL;
  DlConsistency *result;

  /* weighed with the profile the summary names (describe_check ()) */
  result = dl_consistency_check_with_bay_plan (cd->scan,
                                               cd->profile ? cd->profile->calibration : dl_calibration_get_default (),
                                               cd->manifest, NULL,
                                               cd->bay_plan, &error);
  if (result)
    g_task_return_pointer (task, result, (GDestroyNotify) dl_consistency_free);
  else
    g_task_return_error (task, error);
}

static char *
describe_estimate (const DlConsistency *c)
{
  if (c->declared_kg > 0)
    /* TRANSLATORS: the cargo mass estimated from the scan, its uncertainty, the declared mass */
    return g_strdup_printf (_("Estimated from the scan: %'.0f ± %'.0f kg (two standard deviations)%s; declared %'.0f kg."),
                            c->cargo_kg, 2 * c->cargo_kg_sigma,
                            c->lower_bound ? _(" (at least: much of it is too dense to see through)") : "",
                            c->declared_kg);
  return g_strdup_printf (_("Estimated from the scan: %'.0f ± %'.0f kg (two standard deviations)%s."), c->cargo_kg, 2 * c->cargo_kg_sigma,
                          c->lower_bound ? _(" (at least: much of it is too dense to see through)") : "");
}

/* The estimate, said to be uncalibrated when no profile is for the scan:
 * it was weighed with the generator's coefficients, not this scanner's. */
static char *
describe_check (DlSession           *self,
                const DlConsistency *c)
{
  g_autofree char *estimate = describe_estimate (c);

  if (self->profile != NULL)
    return g_steal_pointer (&estimate);
  return g_strdup_printf ("%s %s", estimate,
                          _("Not calibrated: no scanner profile is for this scan, so it was weighed with the generator’s coefficients."));
}

/* The check's result where the manifest page shows it; @c %NULL: it
 * failed with @message. */
static void
show_check (DlSession           *self,
            const DlConsistency *c,
            const char          *message)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (c)
    {
      GArray *regions = g_array_new (FALSE, TRUE, sizeof (DlSessionHintRegion));

      for (guint i = 0; i < c->hints->len; i++)
        {
          const DlHint *h = g_ptr_array_index (c->hints, i);
          DlSessionHintRegion r = { h->has_region, c->view, { 0 } };

          memcpy (r.box, h->region, sizeof r.box);
          g_strv_builder_add (builder, h->message);
          g_array_append_val (regions, r);
        }
      set_check_result (self, describe_check (self, c), g_strv_builder_end (builder), regions);
      /* kept for the verdict: viewing writes nothing to the case file */
      self->check_json = dl_consistency_to_json (c);
    }
  else if (message)
    set_check_result (self, g_strdup_printf (_("Not checked against the scan: %s"), message),
                      g_strv_builder_end (builder), NULL);
  else
    set_check_result (self, NULL, NULL, NULL);
}

static void
on_checked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  DlSession *self = user_data;
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  g_autoptr(GError) error = NULL;
  DlConsistency *c = g_task_propagate_pointer (G_TASK (result), &error);

  if (cancellable == self->check_cancellable && !g_cancellable_is_cancelled (cancellable))
    {
      show_check (self, c, error ? error->message : NULL);
      set_check_pending (self, FALSE);
    }
  if (c)
    dl_consistency_free (c);
  g_object_unref (self);
}

/* Checks the scan against its manifest (0.2–0.5 s) away from the screen. */
static void
start_check (DlSession *self)
{
  g_autoptr(GTask) task = NULL;
  CheckData *cd;

  if (self->check_cancellable)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  set_check_result (self, NULL, NULL, NULL);
  set_check_pending (self, FALSE);
  if (self->scan == NULL || self->manifest == NULL)
    return;

  set_check_pending (self, TRUE);
  self->check_cancellable = g_cancellable_new ();
  cd = g_new0 (CheckData, 1);
  cd->scan = g_object_ref (self->scan);
  cd->manifest = dl_manifest_ref (self->manifest);
  cd->bay_plan = self->bay_plan ? dl_bay_plan_ref (self->bay_plan) : NULL;
  cd->profile = self->profile ? dl_profile_ref (self->profile) : NULL;
  task = g_task_new (NULL, self->check_cancellable, on_checked, g_object_ref (self));
  g_task_set_task_data (task, cd, check_data_free);
  g_task_run_in_thread (task, check_thread);
}

DlProfile *
dl_session_get_profile (DlSession      *self,
                        DlProfileMatch *how)
{
  g_return_val_if_fail (DL_IS_SESSION (self), NULL);
  if (how)
    *how = self->profile_match;
  return self->profile;
}

static void start_classes (DlSession *self,
                           gboolean   again);

/* The scan shown is classified, weighed and shown with @profile, from
 * now on: its classes are made again, and its check. */
static void
use_profile (DlSession      *self,
             DlProfile      *profile,
             DlProfileMatch  how)
{
  dl_profile_ref (profile);
  g_clear_pointer (&self->profile, dl_profile_unref);
  self->profile = profile;
  self->profile_match = how;
  start_classes (self, TRUE);
  start_check (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
}

static DlProfile *
lookup_profile (const char  *profile_id,
                GError     **error)
{
  DlProfile *profile = dl_profiles_lookup (dl_profiles_get_default (), profile_id);

  if (profile == NULL)
    g_set_error (error, DL_PROFILE_ERROR, DL_PROFILE_ERROR_UNKNOWN,
                 _("No scanner profile has the id “%s”"), profile_id);
  return profile;
}

/**
 * dl_session_remember_profile:
 *
 * Remembers @profile_id for the scanner of the scan shown
 * (dl_profile_choices_remember () in the default profiles' choices), so that
 * its next scans are not asked for again, and uses it for this scan at once.
 */
gboolean
dl_session_remember_profile (DlSession   *self,
                             const char  *profile_id,
                             GError     **error)
{
  const char *choices = dl_profiles_get_choices (dl_profiles_get_default ());
  DlProfile *profile;

  g_return_val_if_fail (DL_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->scan != NULL && profile_id != NULL, FALSE);

  profile = lookup_profile (profile_id, error);
  if (profile == NULL)
    return FALSE;
  if (!dl_profile_choices_remember (choices, self->scan, profile_id, error))
    return FALSE;
  use_profile (self, profile, DL_PROFILE_MATCH_REMEMBERED);
  return TRUE;
}

/**
 * dl_session_choose_case_profile:
 *
 * A supervisor's choice of @profile_id for the case's scan shown, recorded
 * in the case file (dl_case_file_choose_profile (): refused unless the case
 * has a verdict someone else recorded) and used at once; reopening the
 * case uses it too.
 */
gboolean
dl_session_choose_case_profile (DlSession   *self,
                                const char  *profile_id,
                                GError     **error)
{
  DlProfile *profile;

  g_return_val_if_fail (DL_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->scan != NULL && profile_id != NULL, FALSE);

  if (self->case_file == NULL || self->case_scan_id == NULL)
    {
      g_set_error_literal (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_NOT_FOUND,
                           _("The scan shown is not a case’s scan"));
      return FALSE;
    }
  profile = lookup_profile (profile_id, error);
  if (profile == NULL
      || !dl_case_file_choose_profile (self->case_file, self->case_scan_id, profile->id, profile->name, error))
    return FALSE;
  use_profile (self, profile, DL_PROFILE_MATCH_CHOSEN);
  return TRUE;
}

const char *
dl_session_get_check_summary (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), NULL);
  return self->check_summary;
}

const char *
dl_session_get_check_json (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), NULL);
  return self->check_json;
}

const char * const *
dl_session_get_hints (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), NULL);
  return (const char * const *) self->hints;
}

const DlSessionHintRegion *
dl_session_get_hint_region (DlSession *self,
                            guint      index)
{
  const DlSessionHintRegion *r;

  g_return_val_if_fail (DL_IS_SESSION (self), NULL);

  if (self->hint_regions == NULL || index >= self->hint_regions->len)
    return NULL;
  r = &g_array_index (self->hint_regions, DlSessionHintRegion, index);
  return r->has_region ? r : NULL;
}

/* -- a huge dual-energy scan's material classes, after it shows ------------------ */

typedef struct
{
  DlScan    *scan;
  DlProfile *profile;   /* whose calibration; NULL: the scan's own (dl_calibration_for_scan ()) */
  gboolean   replace;   /* another profile was chosen: the classes the scan has give way */
} ClassesJob;

static void
classes_job_free (gpointer data)
{
  ClassesJob *job = data;

  g_object_unref (job->scan);
  g_clear_pointer (&job->profile, dl_profile_unref);
  g_free (job);
}

static GPtrArray *
classes_job_run (ClassesJob *job)
{
  if (job->profile)
    return dl_material_classify_scan_with (job->scan, job->profile->calibration);
  return dl_material_classify_scan (job->scan);
}

static void
classes_job_install (ClassesJob *job,
                     GPtrArray  *classes)
{
  if (job->replace)
    dl_scan_replace_classes (job->scan, classes);
  else
    dl_scan_install_classes (job->scan, classes);
}

static void
classes_thread (GTask        *task,
                gpointer      source,
                gpointer      job,
                GCancellable *cancellable)
{
  g_task_return_pointer (task, classes_job_run (job), (GDestroyNotify) g_ptr_array_unref);
}

static void
on_classes_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DlSession *self = DL_SESSION (source);
  ClassesJob *job = g_task_get_task_data (G_TASK (result));
  GPtrArray *classes = g_task_propagate_pointer (G_TASK (result), NULL);

  if (classes == NULL)
    return;   /* cancelled: another scan took over */
  classes_job_install (job, classes);
  if (job->scan == self->scan)
    {
      g_clear_object (&self->classes_cancellable);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLASSES_PENDING]);
    }
}

static void
start_classes_thread (DlSession  *self,
                      ClassesJob *job)
{
  g_autoptr(GTask) task = NULL;

  self->classes_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->classes_cancellable, on_classes_done, NULL);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_set_task_data (task, job, classes_job_free);
  g_task_run_in_thread (task, classes_thread);
}

/* The classes of the scan shown: those still to be computed, or, with
 * @again, all of them again with the session's profile (a huge scan's
 * in a worker thread, with "classes-pending"). */
static void
start_classes (DlSession *self,
               gboolean   again)
{
  gboolean was_pending = self->classes_cancellable != NULL;
  ClassesJob *job;

  if (self->classes_cancellable)
    g_cancellable_cancel (self->classes_cancellable);
  g_clear_object (&self->classes_cancellable);
  if (self->scan && (again || dl_scan_needs_classes (self->scan)))
    {
      job = g_new0 (ClassesJob, 1);
      job->scan = g_object_ref (self->scan);
      job->profile = again && self->profile ? dl_profile_ref (self->profile) : NULL;
      job->replace = again;
      if (again && !dl_scan_classes_take_long (self->scan))
        {
          classes_job_install (job, classes_job_run (job));
          classes_job_free (job);
        }
      else
        start_classes_thread (self, job);
    }
  if (was_pending || self->classes_cancellable)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLASSES_PENDING]);
}

gboolean
dl_session_get_classes_pending (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), FALSE);
  return self->classes_cancellable != NULL;
}

/* -- how each scan was looked at (kept for the session) ------------------------- */

/* What the analyst set for one scan; not the preferences (colours,
 * opacity) that every scan shares.  The space first: it converts the
 * window; fit before zoom. */
static const char * const view_state_keys[] = {
  "density", "center", "width", "gamma", "invert", "fit", "zoom", "focus-x", "focus-y",
  "material", "strip", "colormap", "band", "band-low", "band-high", "enhance",
};

static void
clear_value (gpointer data)
{
  g_value_unset (data);
}

static void
save_view_state (DlSession *self)
{
  GArray *values;

  if (self->scan == NULL || self->view_key == NULL)
    return;
  values = g_array_sized_new (FALSE, TRUE, sizeof (GValue), G_N_ELEMENTS (view_state_keys));
  g_array_set_clear_func (values, clear_value);
  g_array_set_size (values, G_N_ELEMENTS (view_state_keys));
  for (guint i = 0; i < G_N_ELEMENTS (view_state_keys); i++)
    g_object_get_property (G_OBJECT (self->view_state), view_state_keys[i], &g_array_index (values, GValue, i));
  g_hash_table_replace (self->view_states, g_strdup (self->view_key), values);
}

/* FALSE when the scan was not shown before in this session. */
static gboolean
restore_view_state (DlSession *self)
{
  GArray *values = self->view_key ? g_hash_table_lookup (self->view_states, self->view_key) : NULL;

  if (values == NULL)
    return FALSE;
  g_object_setv (G_OBJECT (self->view_state), G_N_ELEMENTS (view_state_keys),
                 (const char **) view_state_keys, (const GValue *) values->data);
  return TRUE;
}

/* The window of @p's [display], stored values LOW … HIGH, in the space
 * the view state is in (more counts, less density). */
static void
apply_profile_window (DlSession       *self,
                      const DlProfile *p,
                      double           i0)
{
  DlWindowing w;
  double low = p->display_low, high = p->display_high;

  dl_view_state_get_windowing (self->view_state, &w);
  if (w.space == DL_SPACE_DENSITY)
    {
      low = dl_density (p->display_high, i0);
      high = dl_density (p->display_low, i0);
    }
  dl_view_state_set_window (self->view_state, (low + high) / 2, high - low);
}

/* The window a scan first opens with: the preset the user chose as the
 * default, else its profile's [display] window or preset, else auto. */
static void
apply_default_window (DlSession *self,
                      DlPlane   *plane)
{
  DlPreset preset = self->default_preset;
  const DlProfile *p = self->profile;

  if (preset == DL_N_PRESETS)
    {
      preset = DL_PRESET_AUTO;
      if (p && p->has_display_window)
        {
          apply_profile_window (self, p, dl_plane_get_i0 (plane));
          return;
        }
      if (p && p->display_preset && !dl_preset_from_id (p->display_preset, &preset))
        preset = DL_PRESET_AUTO;
    }
  dl_view_state_apply_preset (self->view_state, preset, plane->histogram);
}

/* The colour map of the scan's profile ([display] colormap), unless the
 * user chose one: the one shown is neither the plain one nor the last a
 * profile gave. A profile without one gives back the plain gray. */
static void
apply_default_colormap (DlSession *self)
{
  const char *want = self->profile ? self->profile->display_colormap : NULL;
  g_autofree char *now = NULL;

  g_object_get (self->view_state, "colormap", &now, NULL);
  if (now && g_strcmp0 (now, "gray") != 0 && g_strcmp0 (now, self->profile_colormap) != 0)
    return;
  if (want || self->profile_colormap)
    g_object_set (self->view_state, "colormap", want ? want : "gray", NULL);
  g_free (self->profile_colormap);
  self->profile_colormap = g_strdup (want);
}

static void
reset_view_state (DlSession *self,
                  DlScan    *scan)
{
  DlPlane *plane = dl_scan_get_plane_at (scan, 0);

  g_object_freeze_notify (G_OBJECT (self->view_state));
  g_object_set (self->view_state, "i0", dl_plane_get_i0 (plane), NULL);
  if (!restore_view_state (self))
    {
      apply_default_window (self, plane);
      apply_default_colormap (self);
      dl_view_state_set_focus (self->view_state, plane->width / 2.0, plane->height / 2.0);
      dl_view_state_set_fit (self->view_state, TRUE);
    }
  g_object_thaw_notify (G_OBJECT (self->view_state));
}

/* each scan keeps its own marks while the session lives */
static void
take_marks (DlSession *self)
{
  DlAnnotations *marks = g_hash_table_lookup (self->annotations, self->path);

  if (marks == NULL)
    {
      marks = dl_annotations_new ();
      g_hash_table_insert (self->annotations, g_strdup (self->path), marks);
    }
  self->current_annotations = g_object_ref (marks);
}

/* The profile a supervisor chose for the case's scan shown (recorded in
 * the case file), when it is one the workstation has. */
static DlProfile *
case_profile (DlSession *self)
{
  g_autoptr(DlProfileChoice) choice = NULL;
  g_autoptr(GError) error = NULL;
  DlProfile *profile;

  if (self->case_file == NULL || self->case_scan_id == NULL)
    return NULL;
  choice = dl_case_file_get_profile_choice (self->case_file, self->case_scan_id, &error);
  if (choice == NULL)
    {
      if (error)
        g_debug ("The scanner profile chosen for scan %s: %s", self->case_scan_id, error->message);
      return NULL;
    }
  profile = dl_profiles_lookup (dl_profiles_get_default (), choice->profile_id);
  if (profile == NULL)
    g_warning ("Scan %s: the scanner profile chosen for it in the case, %s, is not installed here",
               self->case_scan_id, choice->profile_id);
  return profile;
}

/* The profile of the scan shown, chosen once as it is shown: the case's
 * choice, else its identity's (dl_scan_choose_profile ()). TRUE when the
 * case's is not the one the scan was classified with as it loaded. */
static gboolean
choose_profile (DlSession *self,
                DlScan    *scan)
{
  DlProfile *profile, *chosen;

  g_clear_pointer (&self->profile, dl_profile_unref);
  self->profile_match = DL_PROFILE_MATCH_NONE;
  if (scan == NULL)
    return FALSE;
  profile = dl_scan_choose_profile (scan, &self->profile_match);
  chosen = case_profile (self);
  if (chosen != NULL)
    self->profile_match = DL_PROFILE_MATCH_CHOSEN;
  self->profile = chosen ? dl_profile_ref (chosen) : profile ? dl_profile_ref (profile) : NULL;
  return chosen != NULL && chosen != profile;
}

/* Shows @scan; the check against the manifest is @ready's when given (a
 * case made ready beforehand), else it starts now. */
static void
show_scan (DlSession          *self,
           DlScan             *scan,
           const DlPrefetched *ready)
{
  gboolean chosen;

  if (scan == self->scan)
    return;
  dl_session_end_mark_edit (self);
  save_view_state (self);
  g_set_object (&self->scan, scan);

  self->active_index = 0;
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->view_key, g_free);

  self->selected = 0;
  g_clear_object (&self->current_annotations);
  chosen = choose_profile (self, scan);

  if (scan != NULL)
    {
      dl_scan_prepare_display (scan);
      self->path = g_strdup (dl_scan_get_source_path (scan));
      self->view_key = g_strdup (self->case_scan_id ? self->case_scan_id : self->path);
      if (self->path)
        take_marks (self);
      reset_view_state (self, scan);
    }

  if (self->current_annotations == NULL)
    self->current_annotations = dl_annotations_new ();

  start_classes (self, chosen);
  check_integrity (self);
  if (self->case_file == NULL)
    {
      g_clear_pointer (&self->bay_plan, dl_bay_plan_unref);
      set_manifest (self, scan ? find_sibling_manifest (self->path) : NULL);
    }
  if (ready && scan && !chosen)   /* made ready with the scan's own profile */
    {
      if (self->check_cancellable)
        g_cancellable_cancel (self->check_cancellable);
      g_clear_object (&self->check_cancellable);
      set_check_pending (self, FALSE);
      show_check (self, ready->check, ready->check_error);
    }
  else
    start_check (self);
  if (self->findings)
    dl_session_findings_set_scan (self->findings, scan, self->manifest, self->bay_plan,
                                  self->case_file, self->case_id, self->case_scan_id);

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCAN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_INDEX]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATH]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * dl_session_set_scan:
 *
 * Shows @scan (prepared with dl_scan_prepare()): the first channel becomes
 * active, I0 comes from it, the window is the auto preset in the space
 * already chosen, and the view fits the window — or, for a scan shown
 * before in this session, its window, zoom and overlays as they were left.
 */
void
dl_session_set_scan (DlSession *self,
                     DlScan    *scan)
{
  g_return_if_fail (DL_IS_SESSION (self));
  g_return_if_fail (scan == NULL || DL_IS_SCAN (scan));

  show_scan (self, scan, NULL);
}

static void
set_loading (DlSession    *self,
             GCancellable *cancellable)
{
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_pointer (&self->progress, progress_unref);
  g_clear_object (&self->cancellable);
  if (cancellable)
    self->cancellable = g_object_ref (cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
  if (self->preview)
    {
      g_clear_object (&self->preview);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREVIEW]);
    }
}

static gboolean
poll_progress (gpointer user_data)
{
  DlSession *self = user_data;
  DlScan *preview = self->progress ? take_preview (self->progress) : NULL;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
  if (preview)
    {
      g_clear_object (&self->preview);
      self->preview = preview;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREVIEW]);
    }
  return G_SOURCE_CONTINUE;
}

typedef struct
{
  DlSession    *session;   /* weak: cleared on dispose via cancellable */
  GCancellable *cancellable;
  char         *path;
} OpenData;

static void
open_data_free (OpenData *od)
{
  g_object_unref (od->session);
  g_object_unref (od->cancellable);
  g_free (od->path);
  g_free (od);
}

static void on_case_marks_edited (DlAnnotations *marks,
                                  DlSession     *self);

/* Everything of one case at once, in one round of notifications (so one
 * frame): its id, declaration, marks, scan and, when @p was made ready
 * beforehand (@checked), the check of that scan. */
static void
show_case (DlSession    *self,
           DlPrefetched *p,
           gboolean      checked)
{
  g_object_freeze_notify (G_OBJECT (self));
  dl_session_end_mark_edit (self);
  g_free (self->case_id);
  self->case_id = g_steal_pointer (&p->case_id);
  g_free (self->case_scan_id);
  self->case_scan_id = g_steal_pointer (&p->scan_id);
  g_free (self->expected_sha256);
  self->expected_sha256 = g_steal_pointer (&p->sha256);
  g_clear_pointer (&self->bay_plan, dl_bay_plan_unref);
  self->bay_plan = g_steal_pointer (&p->bay_plan);
  set_manifest (self, g_steal_pointer (&p->manifest));
  g_object_set_data_full (G_OBJECT (p->marks), "dl-case-scan", g_strdup (self->case_scan_id), g_free);
  g_signal_connect_object (p->marks, "edit-ended", G_CALLBACK (on_case_marks_edited), self, 0);
  g_hash_table_replace (self->annotations, g_strdup (p->scan_path), g_object_ref (p->marks));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASE_ID]);
  if (p->scan == NULL && self->scan != NULL)
    show_scan (self, NULL, NULL);
  else
    show_scan (self, p->scan, checked ? p : NULL);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  OpenData *od = user_data;
  DlSession *self = od->session;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlScan) scan = dl_scan_load_finish (result, &error);

  /* A newer open (or a cancel) took over: this result is not wanted. */
  if (self->cancellable == od->cancellable)
    {
      g_autoptr(DlPrefetched) pending = g_steal_pointer (&self->pending_case);

      set_loading (self, NULL);
      if (pending && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* the case comes with its scan, or without one when it failed:
           * never its declaration over the scan before */
          pending->scan = g_steal_pointer (&scan);
          show_case (self, pending, FALSE);
        }
      else if (scan != NULL)
        dl_session_set_scan (self, scan);
      if (error && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_signal_emit (self, signals[LOAD_FAILED], 0, od->path, error);
    }

  open_data_free (od);
}

/**
 * dl_session_open:
 *
 * Starts decoding @path in a worker thread (any earlier load is cancelled).
 * On success the scan is shown; on failure "load-failed" is emitted and
 * the scan on screen stays.
 */
static void
start_load (DlSession  *self,
            const char *path,
            GBytes     *bytes)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  DlLoadOptions options = { 0 };
  OpenData *od;

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);

  set_loading (self, cancellable);
  self->progress = g_new0 (Progress, 1);
  g_atomic_ref_count_init (&self->progress->ref);
  g_mutex_init (&self->progress->lock);
  self->poll_id = g_timeout_add (50, poll_progress, self);

  od = g_new0 (OpenData, 1);
  od->session = g_object_ref (self);
  od->cancellable = g_object_ref (cancellable);
  od->path = g_strdup (path);

  /* a huge scan shows while it decodes (the preview holds no reference:
   * the progress outlives the load, see below) */
  options.preview = on_preview;
  options.preview_data = self->progress;
  if (bytes)
    dl_scan_load_bytes_async (bytes, path, &options, on_progress, progress_ref (self->progress),
                              cancellable, on_loaded, od);
  else
    dl_scan_load_async (path, &options, on_progress, progress_ref (self->progress),
                        cancellable, on_loaded, od);
  /* the thread's reference to the progress is dropped with the task data */
  g_object_set_data_full (G_OBJECT (cancellable), "dl-progress", self->progress, progress_unref);
}

static void
leave_case (DlSession *self)
{
  g_clear_pointer (&self->pending_case, dl_prefetched_free);
  /* waiting for a case of the file left: no longer */
  if (self->awaited_case)
    dl_session_cancel_load (self);
  if (self->case_id == NULL)
    return;
  g_clear_pointer (&self->case_id, g_free);
  g_clear_pointer (&self->case_scan_id, g_free);
  g_clear_pointer (&self->expected_sha256, g_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASE_ID]);
}

/**
 * dl_session_open:
 *
 * Starts decoding @path in a worker thread (any earlier load is cancelled).
 * On success the scan is shown; on failure "load-failed" is emitted and
 * the scan on screen stays.
 */
void
dl_session_open (DlSession  *self,
                 const char *path)
{
  g_return_if_fail (DL_IS_SESSION (self));
  g_return_if_fail (path != NULL);

  leave_case (self);
  for (guint i = 0; i < self->files->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->files, i), path) == 0)
      {
        self->file_index = i;
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE_INDEX]);
      }
  start_load (self, path, NULL);
}

/* Marks drawn on a case's scan are recorded in the case file when an
 * edit ends (a rectangle drawn, a label typed and confirmed): one audit
 * event per mark added or removed by the edit, not one per key. */
static void
on_case_marks_edited (DlAnnotations *marks,
                      DlSession     *self)
{
  const char *scan_id = g_object_get_data (G_OBJECT (marks), "dl-case-scan");
  g_autoptr(GError) error = NULL;

  if (self->case_file == NULL || scan_id == NULL || dl_case_file_is_read_only (self->case_file))
    return;
  if (!dl_case_file_set_annotations (self->case_file, scan_id, marks, &error))
    g_signal_emit (self, signals[LOAD_FAILED], 0, dl_case_file_get_path (self->case_file), error);
}

/* A minute after the last change the write-ahead log goes into the file:
 * a copy of the .dlcase alone, made while the app runs, has everything. */
static gboolean
checkpoint_when_idle (gpointer data)
{
  DlSession *self = data;
  g_autoptr(GError) error = NULL;

  self->checkpoint_id = 0;
  if (self->case_file && !dl_case_file_checkpoint (self->case_file, &error))
    g_warning ("%s", error->message);
  return G_SOURCE_REMOVE;
}

static void
on_case_file_changed (DlCaseFile *file,
                      const char *case_id,
                      DlSession  *self)
{
  g_clear_handle_id (&self->checkpoint_id, g_source_remove);
  self->checkpoint_id = g_timeout_add_seconds (DL_SESSION_CHECKPOINT_SECONDS, checkpoint_when_idle, self);
}

void
dl_session_set_case_file (DlSession  *self,
                          DlCaseFile *case_file)
{
  g_return_if_fail (DL_IS_SESSION (self));
  g_return_if_fail (case_file == NULL || DL_IS_CASE_FILE (case_file));

  if (case_file == self->case_file)
    return;
  dl_session_end_mark_edit (self);
  leave_case (self);
  g_clear_object (&self->prefetch);
  g_clear_handle_id (&self->checkpoint_id, g_source_remove);
  if (self->case_file)
    g_signal_handlers_disconnect_by_data (self->case_file, self);
  g_set_object (&self->case_file, case_file);
  /* findings are never stored in a file other than their case's */
  if (self->findings)
    dl_session_findings_set_scan (self->findings, NULL, NULL, NULL, NULL, NULL, NULL);
  if (case_file)
    g_signal_connect_object (case_file, "changed", G_CALLBACK (on_case_file_changed), self, 0);
}

DlCaseFile *
dl_session_get_case_file (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), NULL);
  return self->case_file;
}

const char *
dl_session_get_case_id (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), NULL);
  return self->case_id;
}

/* A case without the scan asked for is still the case shown: its
 * declaration, and no image (nothing of the case before stays). */
static void
show_case_without_scan (DlSession  *self,
                        const char *case_id,
                        DlManifest *manifest)
{
  dl_session_cancel_load (self);
  g_clear_pointer (&self->pending_case, dl_prefetched_free);
  g_object_freeze_notify (G_OBJECT (self));
  dl_session_end_mark_edit (self);
  g_free (self->case_id);
  self->case_id = g_strdup (case_id);
  g_clear_pointer (&self->case_scan_id, g_free);
  g_clear_pointer (&self->expected_sha256, g_free);
  g_clear_pointer (&self->bay_plan, dl_bay_plan_unref);
  set_manifest (self, manifest);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASE_ID]);
  show_scan (self, NULL, NULL);
  g_object_thaw_notify (G_OBJECT (self));
}

/* What dl_session_open_case () shows of the case, read now; the scan
 * follows in a worker thread. */
static DlPrefetched *
read_case (DlSession   *self,
           const char  *case_id,
           guint        scan_index,
           GBytes     **bytes,
           GError     **error)
{
  g_autoptr(GPtrArray) scans = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(DlPrefetched) p = g_new0 (DlPrefetched, 1);
  DlCaseScan *scan;

  scans = dl_case_file_get_scans (self->case_file, case_id, error);
  if (scans == NULL)
    return NULL;
  p->manifest = dl_case_file_get_manifest (self->case_file, case_id, &local_error);
  if (local_error)
    return g_propagate_error (error, g_steal_pointer (&local_error)), NULL;
  p->bay_plan = dl_case_file_get_bay_plan (self->case_file, case_id, &local_error);
  if (local_error)
    return g_propagate_error (error, g_steal_pointer (&local_error)), NULL;
  if (scan_index >= scans->len)
    {
      show_case_without_scan (self, case_id, g_steal_pointer (&p->manifest));
      return g_set_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_NOT_FOUND,
                          _("The case has no scan %u"), scan_index + 1), NULL;
    }
  scan = g_ptr_array_index (scans, scan_index);
  if ((p->marks = dl_case_file_get_annotations (self->case_file, scan->id, error)) == NULL)
    return NULL;
  if (scan->embedded && (*bytes = dl_case_file_get_scan_image (self->case_file, scan->id, error)) == NULL)
    return NULL;
  p->case_id = g_strdup (case_id);
  p->scan_id = g_strdup (scan->id);
  p->scan_path = g_strdup (scan->path);
  p->sha256 = g_strdup (scan->sha256);
  return g_steal_pointer (&p);
}

/**
 * dl_session_open_case:
 * @scan_index: which of the case's scans, from 0
 *
 * Shows a case of the session's case file: its declaration, its scan
 * (embedded, or the file it was added from) and the marks recorded for it,
 * all together once the scan is decoded — at once when the case was made
 * ready beforehand (dl_session_set_next_cases ()), with its check.  Until
 * then the case shown before stays, whole.  The image is checked against
 * the SHA-256 the case recorded ("integrity-problem").
 */
gboolean
dl_session_open_case (DlSession   *self,
                      const char  *case_id,
                      guint        scan_index,
                      GError     **error)
{
  g_autoptr(DlPrefetched) ready = NULL;
  g_autoptr(GBytes) bytes = NULL;
  DlPrefetched *p;

  g_return_val_if_fail (DL_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->case_file != NULL, FALSE);
  g_return_val_if_fail (case_id != NULL, FALSE);

  dl_session_end_mark_edit (self);
  g_clear_pointer (&self->awaited_case, g_free);
  if (scan_index == 0 && self->prefetch && (ready = dl_prefetch_take (self->prefetch, case_id)))
    {
      dl_session_cancel_load (self);
      g_clear_pointer (&self->pending_case, dl_prefetched_free);
      show_case (self, ready, TRUE);
      return TRUE;
    }
  /* half made ready: finished, not started again */
  if (scan_index == 0 && self->prefetch && dl_prefetch_is_pending (self->prefetch, case_id))
    {
      g_autoptr(GCancellable) waiting = g_cancellable_new ();

      if (self->cancellable)
        g_cancellable_cancel (self->cancellable);
      g_clear_pointer (&self->pending_case, dl_prefetched_free);
      set_loading (self, waiting);
      self->awaited_case = g_strdup (case_id);
      return TRUE;
    }
  if ((p = read_case (self, case_id, scan_index, &bytes, error)) == NULL)
    return FALSE;
  g_clear_pointer (&self->pending_case, dl_prefetched_free);
  self->pending_case = p;
  start_load (self, p->scan_path, bytes);
  return TRUE;
}

/* The case awaited is ready: shown, checked; or, when the prefetch gave
 * up on it, read the ordinary way. */
static void
on_prefetch_ready (DlPrefetch *prefetch,
                   const char *case_id,
                   DlSession  *self)
{
  g_autoptr(DlPrefetched) ready = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  if (g_strcmp0 (case_id, self->awaited_case) != 0)
    return;
  id = g_steal_pointer (&self->awaited_case);
  set_loading (self, NULL);
  if ((ready = dl_prefetch_take (prefetch, id)))
    show_case (self, ready, TRUE);
  else if (!dl_session_open_case (self, id, 0, &error))
    g_signal_emit (self, signals[LOAD_FAILED], 0, dl_case_file_get_path (self->case_file), error);
}

/**
 * dl_session_set_next_cases:
 * @case_ids: (nullable): the cases likely to be opened next, most likely
 *   first (the next one or two waiting in the queue), %NULL-ended
 *
 * Makes them ready in the background (see dl-prefetch.h), within the
 * memory budget of dl_prefetch_default_budget ().
 */
void
dl_session_set_next_cases (DlSession          *self,
                           const char * const *case_ids)
{
  g_return_if_fail (DL_IS_SESSION (self));

  if (self->case_file == NULL)
    return;
  if (self->prefetch == NULL)
    {
      self->prefetch = dl_prefetch_new (self->case_file, 0);
      g_signal_connect_object (self->prefetch, "ready", G_CALLBACK (on_prefetch_ready), self, 0);
    }
  if (self->awaited_case)
    {
      /* the case awaited stays wanted until it shows */
      g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
      g_auto(GStrv) ids = NULL;

      g_strv_builder_add (b, self->awaited_case);
      g_strv_builder_addv (b, (const char **) case_ids);
      ids = g_strv_builder_end (b);
      dl_prefetch_set_wanted (self->prefetch, (const char * const *) ids);
      return;
    }
  dl_prefetch_set_wanted (self->prefetch, case_ids);
}

/* The prefetch's bytes held, for build-aux/bench; 0 without a case file. */
guint64
dl_session_get_prefetch_memory (DlSession *self,
                                guint64   *budget)
{
  g_return_val_if_fail (DL_IS_SESSION (self), 0);

  if (budget)
    *budget = self->prefetch ? dl_prefetch_get_budget (self->prefetch) : dl_prefetch_default_budget ();
  return self->prefetch ? dl_prefetch_get_memory (self->prefetch) : 0;
}

/**
 * dl_session_close_case_file:
 *
 * Ends the edit of marks open (recording it), stops the work on the next
 * cases, and closes the session's case file, which leaves one plain file
 * (see dl_case_file_close ()).  %TRUE without a case file.
 */
gboolean
dl_session_close_case_file (DlSession  *self,
                            GError    **error)
{
  g_autoptr(DlCaseFile) file = NULL;

  g_return_val_if_fail (DL_IS_SESSION (self), FALSE);

  if (self->case_file == NULL)
    return TRUE;
  file = g_object_ref (self->case_file);
  dl_session_cancel_load (self);
  dl_session_set_case_file (self, NULL);
  return dl_case_file_close (file, error);
}

gboolean
dl_session_get_check_pending (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), FALSE);
  return self->check_pending;
}

DlManifest *
dl_session_get_manifest (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), NULL);
  return self->manifest;
}

const char *
dl_session_get_integrity_problem (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), NULL);
  return self->integrity_problem;
}

void
dl_session_cancel_load (DlSession *self)
{
  g_return_if_fail (DL_IS_SESSION (self));

  g_clear_pointer (&self->awaited_case, g_free);
  if (self->cancellable == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  set_loading (self, NULL);
}

gboolean
dl_session_get_loading (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), FALSE);
  return self->cancellable != NULL;
}

DlScan *
dl_session_get_preview (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), NULL);
  return self->preview;
}

double
dl_session_get_progress (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), 0);

  if (self->progress == NULL)
    return 0;
  return g_atomic_int_get (&self->progress->permille) / 1000.0;
}

const char *
dl_session_get_path (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), NULL);
  return self->path;
}

const char *
dl_session_get_title (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), NULL);

  if (self->title == NULL && self->path != NULL)
    self->title = g_filename_display_basename (self->path);
  return self->title;
}

/* The window every scan opens with; DL_N_PRESETS (as a new session has):
 * none chosen, the one its profile's [display] gives, else auto. */
void
dl_session_set_default_preset (DlSession *self,
                               DlPreset   preset)
{
  g_return_if_fail (DL_IS_SESSION (self));
  self->default_preset = preset;
}

/* The scans that next/previous step through, in order. */
void
dl_session_set_files (DlSession          *self,
                      const char * const *paths)
{
  g_return_if_fail (DL_IS_SESSION (self));

  g_ptr_array_set_size (self->files, 0);
  for (guint i = 0; paths && paths[i]; i++)
    g_ptr_array_add (self->files, g_strdup (paths[i]));
  self->file_index = -1;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE_INDEX]);
}

guint
dl_session_get_n_files (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), 0);
  return self->files->len;
}

int
dl_session_get_file_index (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), -1);
  return self->file_index;
}

/* Opens the next (+1) or previous (−1) scan of the list; FALSE at an end. */
gboolean
dl_session_step (DlSession *self,
                 int        delta)
{
  int next;

  g_return_val_if_fail (DL_IS_SESSION (self), FALSE);

  next = self->file_index + delta;
  if (self->files->len == 0 || next < 0 || next >= (int) self->files->len)
    return FALSE;

  dl_session_open (self, g_ptr_array_index (self->files, next));
  return TRUE;
}

static void
append_sample (GString       *s,
               const DlPlane *plane,
               guint          x,
               guint          y,
               double         i0)
{
  guint16 v = plane->data[(gsize) y * plane->width + x];

  /* the raw value without grouping, as the window's numeric fields show it */
  g_string_append_printf (s, " · %s %u", plane->name, v);
  if (i0 > 0)
    {
      g_autofree char *density = dl_format_number (dl_density (v, i0), 3);

      g_string_append_printf (s, " (%s %s)", _("density"), density);
    }
}

/* “x 10, y 20 px (52.5, 102.5 mm)”, in the locale's digits: “x 1.234,
 * y 20 px (6.172,5; 102,5 mm)” in nl_NL. */
static void
append_position (GString *s,
                 guint    ix,
                 guint    iy,
                 double   px,
                 double   py)
{
  g_autofree char *x = dl_format_count (ix);
  g_autofree char *y = dl_format_count (iy);
  g_autofree char *x_mm = NULL;
  g_autofree char *y_mm = NULL;

  g_string_append_printf (s, "x %s, y %s px", x, y);
  if (px <= 0)
    return;
  x_mm = dl_format_number ((ix + 0.5) * px, 1);
  y_mm = dl_format_number ((iy + 0.5) * py, 1);
  g_string_append_printf (s, " (%s%s%s mm)", x_mm, dl_format_list_separator (), y_mm);
}

/**
 * dl_session_describe_point:
 *
 * The status line for image point (@x, @y) of plane @plane_index: pixel
 * and millimetre position, then every channel of that view with its raw
 * value and density.  %NULL outside the image.
 */
char *
dl_session_describe_point (DlSession *self,
                           guint      plane_index,
                           double     x,
                           double     y)
{
  g_autoptr(GString) s = NULL;
  DlPlane *plane;
  double px, py;
  guint ix, iy;

  g_return_val_if_fail (DL_IS_SESSION (self), NULL);

  if (self->scan == NULL || (plane = dl_scan_get_plane_at (self->scan, plane_index)) == NULL)
    return NULL;
  if (!(x >= 0 && y >= 0 && x < plane->width && y < plane->height))
    return NULL;

  ix = (guint) floor (x);
  iy = (guint) floor (y);
  s = g_string_new (NULL);
  if (!dl_scan_get_pixel_pitch (self->scan, &px, &py))
    px = py = 0;
  append_position (s, ix, iy, px, py);

  for (guint c = 0; c < dl_scan_get_n_channels (self->scan, plane->view); c++)
    {
      const DlPlane *p = dl_scan_get_plane (self->scan, plane->view, c);

      if (ix < p->width && iy < p->height)
        append_sample (s, p, ix, iy, p->histogram ? dl_plane_get_i0 (p) : 0);
    }

  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* What the view shows, as text: for assistive technologies and tests. */
char *
dl_session_describe_state (DlSession *self)
{
  DlWindowing w;
  DlPlane *plane;
  gboolean dense_light;

  g_return_val_if_fail (DL_IS_SESSION (self), NULL);

  plane = dl_session_get_active_plane (self);
  if (plane == NULL)
    return g_strdup (_("No scan open"));

  dl_view_state_get_windowing (self->view_state, &w);
  /* dense is dark unless said: light in density space uninverted, or in
   * transmission inverted */
  dense_light = (w.space == DL_SPACE_DENSITY) != w.invert;
  if (w.space == DL_SPACE_DENSITY)
    return g_strdup_printf (_("%s, %s, %'u × %'u pixels, zoom %.0f %%, density window centre %.3f width %.3f%s"),
                            dl_session_get_title (self), plane->name, plane->width, plane->height,
                            dl_view_state_get_zoom (self->view_state) * 100.0, w.center, w.width,
                            dense_light ? _(", dense material light") : "");
  return g_strdup_printf (_("%s, %s, %'u × %'u pixels, zoom %.0f %%, window centre %.0f width %.0f%s"),
                          dl_session_get_title (self), plane->name, plane->width, plane->height,
                          dl_view_state_get_zoom (self->view_state) * 100.0, w.center, w.width,
                          dense_light ? _(", dense material light") : "");
}

/* The marks on the scan shown (an empty set before any scan). */
DlAnnotations *
dl_session_get_annotations (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), NULL);
  return self->current_annotations;
}

DlTool
dl_session_get_tool (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), DL_TOOL_SELECT);
  return self->tool;
}

void
dl_session_set_tool (DlSession *self,
                     DlTool     tool)
{
  g_return_if_fail (DL_IS_SESSION (self));

  if (tool >= DL_N_TOOLS || tool == self->tool)
    return;
  dl_session_end_mark_edit (self);
  self->tool = tool;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL]);
}

guint
dl_session_get_selected (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), 0);
  return self->selected;
}

void
dl_session_set_selected (DlSession *self,
                         guint      id)
{
  g_return_if_fail (DL_IS_SESSION (self));

  if (self->selected == id)
    return;
  if (self->edit_marks && id != self->edit_mark)
    dl_session_end_mark_edit (self);
  self->selected = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

/* -- edits of marks ------------------------------------------------------------ */

/**
 * dl_session_begin_mark_edit:
 *
 * Opens an edit of the marks shown, about the mark selected (a label being
 * typed, a mark being moved): what it changes is recorded once, when
 * dl_session_end_mark_edit () ends it — or when another mark is selected,
 * the tool or the scan changes, or the case file closes.  Does nothing
 * while an edit is open.
 */
void
dl_session_begin_mark_edit (DlSession *self)
{
  g_return_if_fail (DL_IS_SESSION (self));

  if (self->edit_marks != NULL || self->current_annotations == NULL)
    return;
  self->edit_marks = g_object_ref (self->current_annotations);
  self->edit_mark = self->selected;
  dl_annotations_begin_edit (self->edit_marks);
}

void
dl_session_end_mark_edit (DlSession *self)
{
  g_autoptr(DlAnnotations) marks = NULL;

  g_return_if_fail (DL_IS_SESSION (self));

  if (self->edit_marks == NULL)
    return;
  marks = g_steal_pointer (&self->edit_marks);
  self->edit_mark = 0;
  dl_annotations_end_edit (marks);
}

/**
 * dl_session_add_mark:
 *
 * Adds a mark to the scan shown and selects it; the edit stays open for
 * its label, so a mark drawn and labelled is one event.  Returns its id,
 * 0 when the points do not make one.
 */
guint
dl_session_add_mark (DlSession        *self,
                     DlAnnotationKind  kind,
                     guint             view,
                     const DlPoint    *points,
                     guint             n_points,
                     const char       *label)
{
  guint id;

  g_return_val_if_fail (DL_IS_SESSION (self), 0);

  dl_session_end_mark_edit (self);
  dl_session_begin_mark_edit (self);
  id = dl_annotations_add (self->current_annotations, kind, view, points, n_points, label);
  if (id == 0)
    {
      dl_session_end_mark_edit (self);
      return 0;
    }
  self->edit_mark = id;
  dl_session_set_selected (self, id);
  return id;
}

/**
 * dl_session_get_findings:
 *
 * Returns: (transfer none): the detectors' findings of the scan shown:
 * looked for once the scan and its manifest are there, or read from the
 * case (see dl-session-findings.h).
 */
DlSessionFindings *
dl_session_get_findings (DlSession *self)
{
  g_return_val_if_fail (DL_IS_SESSION (self), NULL);
  return self->findings;
}
