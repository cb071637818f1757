/* dl-evaluate.c — detectors measured over a labelled set (dl-evaluate.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-evaluate"

#include "config.h"

#include <cairo.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "dl-detector.h"
#include "dl-evaluate.h"
#include "dl-format.h"
#include "dl-json-check.h"
#include "dl-regular-file.h"

#define TRUTH_SUFFIX ".truth.json"
#define TRUTH_MAX_BYTES (64 * 1024 * 1024)

static void
eval_scan_free (gpointer data)
{
  DlEvalScan *s = data;

  g_free (s->base);
  g_free (s->scene);
  for (guint i = 0; s->findings && i < s->findings->len; i++)
    g_free (g_array_index (s->findings, DlEvalFinding, i).detector);
  g_clear_pointer (&s->findings, g_array_unref);
  g_clear_pointer (&s->errors, g_ptr_array_unref);
  g_free (s);
}

void
dl_evaluation_free (DlEvaluation *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->detectors);
  g_array_unref (self->thresholds);
  g_ptr_array_unref (self->scans);
  g_ptr_array_unref (self->scenes);
  g_free (self);
}

/* ---- reading the set ---------------------------------------------------------- */

static gboolean
bad_truth (const char *path, const char *what, GError **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s: not a truth file: %s"), path, what);
  return FALSE;
}

/* The concealed objects' boxes (4 doubles each) of one object list. */
static gboolean
read_objects (JsonArray *objects, const char *path, GArray *boxes, GError **error)
{
  for (guint i = 0; i < json_array_get_length (objects); i++)
    {
      JsonNode *node = json_array_get_element (objects, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonNode *concealed = o ? json_object_get_member (o, "concealed") : NULL;
      JsonNode *bbox = o ? json_object_get_member (o, "bbox_px") : NULL;
      JsonArray *bb;
      double box[4];

      if (o == NULL || concealed == NULL || json_node_get_value_type (concealed) != G_TYPE_BOOLEAN)
        return bad_truth (path, _("an object without a true or false “concealed”"), error);
      if (!json_node_get_boolean (concealed))
        continue;
      if (bbox == NULL || !JSON_NODE_HOLDS_ARRAY (bbox) || json_array_get_length (bb = json_node_get_array (bbox)) != 4)
        return bad_truth (path, _("a concealed object without a “bbox_px” of four numbers"), error);
      for (guint k = 0; k < 4; k++)
        {
          JsonNode *v = json_array_get_element (bb, k);
          if (!JSON_NODE_HOLDS_VALUE (v) || (json_node_get_value_type (v) != G_TYPE_INT64
                                             && json_node_get_value_type (v) != G_TYPE_DOUBLE))
            return bad_truth (path, _("a concealed object without a “bbox_px” of four numbers"), error);
          box[k] = json_node_get_double (v);
        }
      g_array_append_vals (boxes, box, 4);
    }
  return TRUE;
}

/* Reads @path: the scene, seed and the concealed objects' boxes. */
static gboolean
read_truth (const char *path, DlEvalScan *scan, GArray *boxes, GError **error)
{
  g_autoptr(GMappedFile) file = dl_map_regular_file (path, TRUTH_MAX_BYTES, error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonNode *objects, *scene, *seed;
  const char *text;
  gsize length;

  if (file == NULL)
    return FALSE;
  text = g_mapped_file_get_contents (file);
  length = g_mapped_file_get_length (file);
  if (text == NULL || dl_json_refused (text, length) || !json_parser_load_from_data (parser, text, length, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return bad_truth (path, _("it is not a JSON object"), error);
  root = json_node_get_object (json_parser_get_root (parser));
  scene = json_object_get_member (root, "scene");
  seed = json_object_get_member (root, "seed");
  objects = json_object_get_member (root, "objects");
  if (scene == NULL || json_node_get_value_type (scene) != G_TYPE_STRING)
    return bad_truth (path, _("no “scene”"), error);
  if (seed == NULL || json_node_get_value_type (seed) != G_TYPE_INT64)
    return bad_truth (path, _("no whole-number “seed”"), error);
  if (objects == NULL || !JSON_NODE_HOLDS_ARRAY (objects))
    return bad_truth (path, _("no “objects” list"), error);
  scan->scene = g_strdup (json_node_get_string (scene));
  scan->seed = json_node_get_int (seed);
  if (!read_objects (json_node_get_array (objects), path, boxes, error))
    return FALSE;
  scan->concealment = boxes->len > 0;
  return TRUE;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The truth files' BASEs in @dir, sorted. */
static GPtrArray *
list_bases (const char *dir, GError **error)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, error);
  g_autoptr(GPtrArray) bases = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (d == NULL)
    return NULL;
  while ((name = g_dir_read_name (d)))
    if (g_str_has_suffix (name, TRUTH_SUFFIX) && strlen (name) > strlen (TRUTH_SUFFIX))
      g_ptr_array_add (bases, g_strndup (name, strlen (name) - strlen (TRUTH_SUFFIX)));
  if (bases->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("%s: no truth file (BASE.truth.json) in it"), dir);
      return NULL;
    }
  g_ptr_array_sort (bases, compare_strings);
  return g_steal_pointer (&bases);
}

static DlManifest *
load_manifest (const char *path, GError **error)
{
  g_autoptr(GPtrArray) manifests = dl_manifest_load_file (path, error);

  if (manifests == NULL)
    return NULL;   /* the error names the file */
  if (manifests->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s: the file holds no manifest"), path);
      return NULL;
    }
  return dl_manifest_ref (g_ptr_array_index (manifests, 0));
}

static gboolean
box_overlaps (const double *f, const GArray *boxes)
{
  for (guint i = 0; i + 4 <= boxes->len; i += 4)
    {
      const double *t = &g_array_index (boxes, double, i);
      if (f[0] < t[2] && t[0] < f[2] && f[1] < t[3] && t[1] < f[3])
        return TRUE;
    }
  return FALSE;
}

static void
collect (DlEvalScan *scan, DlDetectReport *report, const GArray *boxes)
{
  for (guint i = 0; i < report->findings->len; i++)
    {
      const DlFinding *f = g_ptr_array_index (report->findings, i);
      DlEvalFinding e = { g_strdup (f->detector), f->score, FALSE };
      double box[4];

      e.located = f->view == 0 && dl_finding_get_bounds (f, box) && box_overlaps (box, boxes);
      g_array_append_val (scan->findings, e);
    }
  for (guint i = 0; i < report->runs->len; i++)
    {
      DlDetectorRun *r = g_ptr_array_index (report->runs, i);
      if (r->error)
        g_ptr_array_add (scan->errors, g_strdup_printf ("%s: %s", r->detector, r->error->message));
    }
}

/* Reads and runs one BASE of @dir. */
static DlEvalScan *
evaluate_one (const char *dir, const char *base, GPtrArray *detectors, const DlCalibration *calibration,
              GCancellable *cancellable, GError **error)
{
  g_autofree char *truth = g_strconcat (dir, G_DIR_SEPARATOR_S, base, TRUTH_SUFFIX, NULL);
  g_autofree char *tif = g_strconcat (dir, G_DIR_SEPARATOR_S, base, ".tif", NULL);
  g_autofree char *manifest_path = g_strconcat (dir, G_DIR_SEPARATOR_S, base, ".manifest.json", NULL);
  g_autoptr(GArray) boxes = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(DlScan) image = NULL;
  g_autoptr(DlManifest) manifest = NULL;
  g_autoptr(DlDetectInput) input = NULL;
  g_autoptr(DlDetectReport) report = NULL;
  DlEvalScan *scan = g_new0 (DlEvalScan, 1);

  scan->base = g_strdup (base);
  scan->findings = g_array_new (FALSE, FALSE, sizeof (DlEvalFinding));
  scan->errors = g_ptr_array_new_with_free_func (g_free);
  if (!read_truth (truth, scan, boxes, error)
      || (manifest = load_manifest (manifest_path, error)) == NULL)
    goto fail;
  if ((image = dl_scan_load_file (tif, NULL, NULL, NULL, cancellable, error)) == NULL)
    {
      g_prefix_error (error, "%s: ", tif);
      goto fail;
    }
  input = dl_detect_input_new (image, manifest, NULL, calibration, NULL);
  report = dl_detectors_run (detectors, input, cancellable);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto fail;
  collect (scan, report, boxes);
  return scan;

fail:
  eval_scan_free (scan);
  return NULL;
}

/* Each detector's "min_score" (its threshold), and the parameters it runs
 * with for the evaluation: min_score 0.  The old parameters go into @saved. */
static void
open_thresholds (GPtrArray *detectors, DlEvaluation *self, GPtrArray *saved)
{
  for (guint i = 0; i < detectors->len; i++)
    {
      DlDetector *d = g_ptr_array_index (detectors, i);
      JsonObject *params = dl_detector_get_parameters (d);
      JsonNode *min = json_object_get_member (params, "min_score");
      double t = min && JSON_NODE_HOLDS_VALUE (min) ? json_node_get_double (min) : 0;
      g_autoptr(JsonObject) zero = json_object_new ();

      g_ptr_array_add (self->detectors, g_strdup (dl_detector_get_name (d)));
      g_array_append_val (self->thresholds, t);
      g_ptr_array_add (saved, dl_json_object_copy (params));
      json_object_set_double_member (zero, "min_score", 0);
      if (min != NULL && !dl_detector_set_parameters (d, zero, NULL))
        g_warning ("detector %s: min_score could not be set to 0", dl_detector_get_name (d));
    }
}

static void
restore_parameters (GPtrArray *detectors, GPtrArray *saved)
{
  for (guint i = 0; i < detectors->len; i++)
    dl_detector_set_parameters (g_ptr_array_index (detectors, i), g_ptr_array_index (saved, i), NULL);
}

static void
list_scenes (DlEvaluation *self)
{
  for (guint i = 0; i < self->scans->len; i++)
    {
      const DlEvalScan *s = g_ptr_array_index (self->scans, i);
      if (!g_ptr_array_find_with_equal_func (self->scenes, s->scene, g_str_equal, NULL))
        g_ptr_array_add (self->scenes, g_strdup (s->scene));
    }
  g_ptr_array_sort (self->scenes, compare_strings);
}

DlEvaluation *
dl_evaluation_run (const char          *dir,
                   GPtrArray           *detectors,
                   const DlCalibration *calibration,
                   GCancellable        *cancellable,
                   GError             **error)
{
  g_autoptr(DlEvaluation) self = NULL;
  g_autoptr(GPtrArray) bases = NULL;
  g_autoptr(GPtrArray) saved = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  g_return_val_if_fail (dir != NULL && detectors != NULL && calibration != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((bases = list_bases (dir, error)) == NULL)
    return NULL;
  self = g_new0 (DlEvaluation, 1);
  self->detectors = g_ptr_array_new_with_free_func (g_free);
  self->thresholds = g_array_new (FALSE, FALSE, sizeof (double));
  self->scans = g_ptr_array_new_with_free_func (eval_scan_free);
  self->scenes = g_ptr_array_new_with_free_func (g_free);
  open_thresholds (detectors, self, saved);
  for (guint i = 0; i < bases->len; i++)
    {
      DlEvalScan *scan = evaluate_one (dir, g_ptr_array_index (bases, i), detectors, calibration,
                                       cancellable, error);
      if (scan == NULL)
        {
          restore_parameters (detectors, saved);
          return NULL;
        }
      g_ptr_array_add (self->scans, scan);
    }
  restore_parameters (detectors, saved);
  list_scenes (self);
  return g_steal_pointer (&self);
}

/* ---- counting ----------------------------------------------------------------- */

static int
detector_index (const DlEvaluation *self, const char *name)
{
  for (guint i = 0; i < self->detectors->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->detectors, i), name) == 0)
      return i;
  return -2;
}

/* Whether finding @f counts for @detector at @threshold (NAN: its own). */
static gboolean
counts (const DlEvaluation *self, const DlEvalFinding *f, int detector, double threshold)
{
  int index = detector_index (self, f->detector);

  if (index < 0 || (detector != DL_EVALUATION_ALL && index != detector))
    return FALSE;
  if (isnan (threshold))
    threshold = g_array_index (self->thresholds, double, index);
  return f->score >= threshold;
}

void
dl_evaluation_point (const DlEvaluation *self,
                     int                 detector,
                     const char         *scene,
                     double              threshold,
                     DlEvalPoint        *point)
{
  g_return_if_fail (self != NULL && point != NULL);
  g_return_if_fail (detector >= DL_EVALUATION_ALL && detector < (int) self->detectors->len);

  *point = (DlEvalPoint) { threshold, 0, 0, 0, 0, 0, 0 };
  for (guint i = 0; i < self->scans->len; i++)
    {
      const DlEvalScan *s = g_ptr_array_index (self->scans, i);
      guint hits = 0, located = 0;

      if (scene && g_strcmp0 (scene, s->scene) != 0)
        continue;
      for (guint k = 0; k < s->findings->len; k++)
        {
          const DlEvalFinding *f = &g_array_index (s->findings, DlEvalFinding, k);
          if (counts (self, f, detector, threshold))
            hits++, located += f->located;
        }
      if (s->concealment)
        {
          point->n_concealment++;
          point->detected += hits > 0;
          point->located += located > 0;
        }
      else
        {
          point->n_honest++;
          point->alerted += hits > 0;
          point->false_alarms += hits;
        }
    }
}

static int
compare_down (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x < y) - (x > y);
}

/* The distinct scores of @detector's findings, highest first. */
static GArray *
distinct_scores (const DlEvaluation *self, int detector)
{
  GArray *scores = g_array_new (FALSE, FALSE, sizeof (double));
  guint n = 0;

  for (guint i = 0; i < self->scans->len; i++)
    {
      const DlEvalScan *s = g_ptr_array_index (self->scans, i);
      for (guint k = 0; k < s->findings->len; k++)
        {
          const DlEvalFinding *f = &g_array_index (s->findings, DlEvalFinding, k);
          if (counts (self, f, detector, -1))
            g_array_append_val (scores, f->score);
        }
    }
  g_array_sort (scores, compare_down);
  for (guint i = 0; i < scores->len; i++)
    if (n == 0 || g_array_index (scores, double, i) != g_array_index (scores, double, n - 1))
      g_array_index (scores, double, n++) = g_array_index (scores, double, i);
  g_array_set_size (scores, n);
  return scores;
}

GArray *
dl_evaluation_curve (const DlEvaluation *self,
                     int                 detector)
{
  g_autoptr(GArray) scores = NULL;
  GArray *curve;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (detector >= DL_EVALUATION_ALL && detector < (int) self->detectors->len, NULL);

  scores = distinct_scores (self, detector);
  curve = g_array_new (FALSE, FALSE, sizeof (DlEvalPoint));
  for (guint i = 0; i < scores->len; i++)
    {
      DlEvalPoint p;
      dl_evaluation_point (self, detector, NULL, g_array_index (scores, double, i), &p);
      g_array_append_val (curve, p);
    }
  return curve;
}

gboolean
dl_evaluation_operating_point (const DlEvaluation *self,
                               int                 detector,
                               double              rate,
                               DlEvalPoint        *point)
{
  g_autoptr(GArray) curve = NULL;

  g_return_val_if_fail (self != NULL && point != NULL, FALSE);

  /* above every score: nothing fires */
  dl_evaluation_point (self, detector, NULL, INFINITY, point);
  if (point->n_honest == 0)
    return FALSE;
  curve = dl_evaluation_curve (self, detector);
  for (guint i = 0; i < curve->len; i++)
    {
      const DlEvalPoint *p = &g_array_index (curve, DlEvalPoint, i);
      if ((double) p->false_alarms / p->n_honest > rate)
        break;
      *point = *p;
    }
  return TRUE;
}

/* ---- JSON ----------------------------------------------------------------------- */

static void
add_point (JsonBuilder *b, const DlEvalPoint *p)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "threshold");
  if (isfinite (p->threshold))
    json_builder_add_double_value (b, p->threshold);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "concealment_scans");
  json_builder_add_int_value (b, p->n_concealment);
  json_builder_set_member_name (b, "detected");
  json_builder_add_int_value (b, p->detected);
  json_builder_set_member_name (b, "located");
  json_builder_add_int_value (b, p->located);
  json_builder_set_member_name (b, "honest_scans");
  json_builder_add_int_value (b, p->n_honest);
  json_builder_set_member_name (b, "alerted");
  json_builder_add_int_value (b, p->alerted);
  json_builder_set_member_name (b, "false_alarms");
  json_builder_add_int_value (b, p->false_alarms);
  json_builder_end_object (b);
}

static void
add_detector (JsonBuilder *b, const DlEvaluation *self, int d)
{
  g_autoptr(GArray) curve = dl_evaluation_curve (self, d);
  DlEvalPoint p;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  if (d == DL_EVALUATION_ALL)
    json_builder_add_null_value (b);
  else
    json_builder_add_string_value (b, g_ptr_array_index (self->detectors, d));
  json_builder_set_member_name (b, "threshold");
  if (d == DL_EVALUATION_ALL)
    json_builder_add_null_value (b);
  else
    json_builder_add_double_value (b, g_array_index (self->thresholds, double, d));
  json_builder_set_member_name (b, "scenes");
  json_builder_begin_object (b);
  for (guint i = 0; i < self->scenes->len; i++)
    {
      json_builder_set_member_name (b, g_ptr_array_index (self->scenes, i));
      dl_evaluation_point (self, d, g_ptr_array_index (self->scenes, i), NAN, &p);
      add_point (b, &p);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "total");
  dl_evaluation_point (self, d, NULL, NAN, &p);
  add_point (b, &p);
  json_builder_set_member_name (b, "curve");
  json_builder_begin_array (b);
  for (guint i = 0; i < curve->len; i++)
    add_point (b, &g_array_index (curve, DlEvalPoint, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
add_scan (JsonBuilder *b, const DlEvalScan *s)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "base");
  json_builder_add_string_value (b, s->base);
  json_builder_set_member_name (b, "scene");
  json_builder_add_string_value (b, s->scene);
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, s->seed);
  json_builder_set_member_name (b, "concealment");
  json_builder_add_boolean_value (b, s->concealment);
  json_builder_set_member_name (b, "findings");
  json_builder_begin_array (b);
  for (guint k = 0; k < s->findings->len; k++)
    {
      const DlEvalFinding *f = &g_array_index (s->findings, DlEvalFinding, k);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "detector");
      json_builder_add_string_value (b, f->detector);
      json_builder_set_member_name (b, "score");
      json_builder_add_double_value (b, f->score);
      json_builder_set_member_name (b, "located");
      json_builder_add_boolean_value (b, f->located);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "errors");
  json_builder_begin_array (b);
  for (guint k = 0; k < s->errors->len; k++)
    json_builder_add_string_value (b, g_ptr_array_index (s->errors, k));
  json_builder_end_array (b);
  json_builder_end_object (b);
}

char *
dl_evaluation_to_json (const DlEvaluation *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "doorlicht-evaluation/1");
  json_builder_set_member_name (b, "detectors");
  json_builder_begin_array (b);
  for (int d = 0; d < (int) self->detectors->len; d++)
    add_detector (b, self, d);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "all");
  add_detector (b, self, DL_EVALUATION_ALL);
  json_builder_set_member_name (b, "scans");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->scans->len; i++)
    add_scan (b, g_ptr_array_index (self->scans, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, TRUE);
}

/* ---- the PNG -------------------------------------------------------------------- */

typedef struct
{
  double left, top, width, height;   /* the plot area */
  double x_max;                      /* false alarms per scan at the right edge */
} Frame;

static void
plot_xy (const Frame *f, double fa, double rate, double *x, double *y)
{
  *x = f->left + f->width * MIN (fa, f->x_max) / f->x_max;
  *y = f->top + f->height * (1 - rate);
}

static double
largest_false_alarm_rate (const DlEvaluation *self)
{
  DlEvalPoint p;

  dl_evaluation_point (self, DL_EVALUATION_ALL, NULL, 0, &p);
  return p.n_honest ? MAX (1.0, ceil ((double) p.false_alarms / p.n_honest)) : 1.0;
}

static void
draw_axes (cairo_t *cr, const Frame *f)
{
  g_autofree char *x_label = g_strdup (_("False alarms per honest scan"));
  g_autofree char *y_label = g_strdup (_("Concealment scans detected"));
  cairo_text_extents_t ext;

  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, f->left, f->top, f->width, f->height);
  cairo_stroke (cr);
  cairo_set_font_size (cr, 12);
  for (int i = 0; i <= 5; i++)
    {
      double x, y;
      g_autofree char *xs = dl_format_number (f->x_max * i / 5, f->x_max >= 5 ? 0 : 1);
      g_autofree char *ys = dl_format_number (i / 5.0, 1);

      plot_xy (f, f->x_max * i / 5, i / 5.0, &x, &y);
      cairo_move_to (cr, x, f->top + f->height);
      cairo_line_to (cr, x, f->top + f->height + 5);
      cairo_move_to (cr, f->left - 5, y);
      cairo_line_to (cr, f->left, y);
      cairo_stroke (cr);
      cairo_text_extents (cr, xs, &ext);
      cairo_move_to (cr, x - ext.width / 2, f->top + f->height + 20);
      cairo_show_text (cr, xs);
      cairo_text_extents (cr, ys, &ext);
      cairo_move_to (cr, f->left - 10 - ext.width, y + ext.height / 2);
      cairo_show_text (cr, ys);
    }
  cairo_set_font_size (cr, 14);
  cairo_text_extents (cr, x_label, &ext);
  cairo_move_to (cr, f->left + (f->width - ext.width) / 2, f->top + f->height + 42);
  cairo_show_text (cr, x_label);
  cairo_save (cr);
  cairo_text_extents (cr, y_label, &ext);
  cairo_move_to (cr, 22, f->top + (f->height + ext.width) / 2);
  cairo_rotate (cr, -G_PI / 2);
  cairo_show_text (cr, y_label);
  cairo_restore (cr);
}

/* A step curve from (0, 0) through each point of @d's curve. */
static void
draw_curve (cairo_t *cr, const DlEvaluation *self, const Frame *f, int d)
{
  g_autoptr(GArray) curve = dl_evaluation_curve (self, d);
  double x, y;

  plot_xy (f, 0, 0, &x, &y);
  cairo_move_to (cr, x, y);
  for (guint i = 0; i < curve->len; i++)
    {
      const DlEvalPoint *p = &g_array_index (curve, DlEvalPoint, i);
      double fa = p->n_honest ? (double) p->false_alarms / p->n_honest : 0;
      double rate = p->n_concealment ? (double) p->detected / p->n_concealment : 0;

      plot_xy (f, fa, rate, &x, &y);
      cairo_line_to (cr, x, y);
    }
  cairo_stroke (cr);
  /* a dot at the lowest threshold: a curve along the axis stays visible */
  cairo_arc (cr, x, y, 4, 0, 2 * G_PI);
  cairo_fill (cr);
}

static void
set_colour (cairo_t *cr, int d)
{
  static const double colours[][3] = {
    { 0.12, 0.47, 0.71 }, { 1.0, 0.5, 0.05 }, { 0.17, 0.63, 0.17 }, { 0.84, 0.15, 0.16 },
    { 0.58, 0.4, 0.74 }, { 0.55, 0.34, 0.29 }, { 0.89, 0.47, 0.76 }, { 0.5, 0.5, 0.5 },
  };

  if (d == DL_EVALUATION_ALL)
    {
      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_set_line_width (cr, 3);
      return;
    }
  cairo_set_source_rgb (cr, colours[d % 8][0], colours[d % 8][1], colours[d % 8][2]);
  cairo_set_line_width (cr, 2);
}

static void
draw_legend (cairo_t *cr, const DlEvaluation *self, const Frame *f)
{
  int n = self->detectors->len;

  cairo_set_font_size (cr, 13);
  for (int d = DL_EVALUATION_ALL; d < n; d++)
    {
      double y = f->top + f->height - 18 * (n - d) - 8, x = f->left + f->width - 190;
      const char *name = d == DL_EVALUATION_ALL ? _("all detectors") : g_ptr_array_index (self->detectors, d);

      set_colour (cr, d);
      cairo_move_to (cr, x, y);
      cairo_line_to (cr, x + 30, y);
      cairo_stroke (cr);
      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_move_to (cr, x + 38, y + 4);
      cairo_show_text (cr, name);
    }
}

gboolean
dl_evaluation_write_png (const DlEvaluation *self,
                         const char         *path,
                         guint               width,
                         guint               height,
                         GError            **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  Frame f = { 80, 20, width - 110.0, height - 90.0, 1 };

  g_return_val_if_fail (self != NULL && path != NULL, FALSE);
  if (width < 320 || height < 240 || width > 8000 || height > 8000)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%s: a plot of %u × %u pixels is refused (320 × 240 to 8000 × 8000)"), path, width, height);
      return FALSE;
    }
  f.x_max = largest_false_alarm_rate (self);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  draw_axes (cr, &f);
  for (int d = DL_EVALUATION_ALL; d < (int) self->detectors->len; d++)
    {
      set_colour (cr, d);
      draw_curve (cr, self, &f, d);
    }
  draw_legend (cr, self, &f);
  cairo_destroy (cr);
  status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("%s: the PNG could not be written: %s"), path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
