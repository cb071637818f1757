/* test-evaluate.c — dl-evaluate's counts against counts made here, from
 * the detectors' own findings and the truth files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "dl-detector.h"
#include "dl-evaluate.h"
#include "dl-synth.h"

/* 20 ft scenes at seeds no other test uses: honest, and concealments. */
static const char *scenes[] = { "empty-20ft", "metal-in-organic", "empty-concealment", "shielded-block" };
#define SEED0 7100
#define N_SEEDS 2

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static char *
make_set (void)
{
  char *dir = g_dir_make_tmp ("dl-evaluate-XXXXXX", NULL);
  DlSynthOptions options = { FALSE, TRUE };

  for (guint i = 0; i < G_N_ELEMENTS (scenes); i++)
    for (guint64 seed = SEED0; seed < SEED0 + N_SEEDS; seed++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(DlSynthOutput) out = dl_synth_generate_with_options (scenes[i], seed, &options, &error);

        g_assert_no_error (error);
        g_assert_true (dl_synth_write (out, dir, &error));
        g_assert_no_error (error);
      }
  return dir;
}

/* What this test counts itself for one detector at one threshold. */
typedef struct
{
  guint concealment, detected, located, honest, alerted, false_alarms;
} Counts;

static GArray *
concealed_boxes (const char *truth_json, gboolean *any)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *objects;
  GArray *boxes = g_array_new (FALSE, FALSE, sizeof (double));

  g_assert_true (json_parser_load_from_data (parser, truth_json, -1, NULL));
  objects = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "objects");
  for (guint i = 0; i < json_array_get_length (objects); i++)
    {
      JsonObject *o = json_array_get_object_element (objects, i);
      JsonArray *bb = json_object_get_array_member (o, "bbox_px");

      if (!json_object_get_boolean_member (o, "concealed"))
        continue;
      for (guint k = 0; k < 4; k++)
        {
          double v = json_array_get_int_element (bb, k);
          g_array_append_val (boxes, v);
        }
    }
  *any = boxes->len > 0;
  return boxes;
}

static gboolean
overlaps (const DlFinding *f, GArray *boxes)
{
  double b[4];

  if (f->view != 0 || !dl_finding_get_bounds (f, b))
    return FALSE;
  for (guint i = 0; i < boxes->len; i += 4)
    {
      const double *t = &g_array_index (boxes, double, i);
      if (b[0] < t[2] && t[0] < b[2] && b[1] < t[3] && t[1] < b[3])
        return TRUE;
    }
  return FALSE;
}

/* Runs @detector itself over every scan of the set, as generated. */
static void
count_directly (DlDetector *detector, double threshold, Counts *c, guint *n_located_checked)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  DlSynthOptions options = { FALSE, TRUE };

  g_ptr_array_add (one, detector);
  memset (c, 0, sizeof *c);
  for (guint i = 0; i < G_N_ELEMENTS (scenes); i++)
    for (guint64 seed = SEED0; seed < SEED0 + N_SEEDS; seed++)
      {
        g_autoptr(DlSynthOutput) out = dl_synth_generate_with_options (scenes[i], seed, &options, NULL);
        g_autoptr(DlDetectInput) input = dl_detect_input_new (out->scan, out->manifest, NULL,
                                                              dl_calibration_get_default (), NULL);
        g_autoptr(DlDetectReport) report = dl_detectors_run (one, input, NULL);
        gboolean concealment;
        g_autoptr(GArray) boxes = concealed_boxes (out->truth_json, &concealment);
        guint hits = 0, located = 0;

        for (guint k = 0; k < report->findings->len; k++)
          {
            const DlFinding *f = g_ptr_array_index (report->findings, k);
            if (f->score < threshold)
              continue;
            hits++;
            if (overlaps (f, boxes))
              located++, (*n_located_checked)++;
          }
        if (concealment)
          c->concealment++, c->detected += hits > 0, c->located += located > 0;
        else
          c->honest++, c->alerted += hits > 0, c->false_alarms += hits;
        if (g_strcmp0 (scenes[i], "empty-20ft") == 0)
          g_assert_false (concealment);
      }
}

static void
test_counts (void)
{
  g_autofree char *dir = make_set ();
  g_autoptr(GPtrArray) detectors = dl_detectors_builtin ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DlEvaluation) e = NULL;
  g_autoptr(JsonObject) raised = json_object_new ();
  DlDetector *dense = dl_detectors_find (detectors, "dense");
  int dense_index = -1;
  guint located_checked = 0;

  /* a shipped threshold other than 0: the evaluation sees below it, counts above it */
  json_object_set_double_member (raised, "min_score", 0.7);
  g_assert_true (dl_detector_set_parameters (dense, raised, NULL));

  e = dl_evaluation_run (dir, detectors, dl_calibration_get_default (), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (e->scans->len, ==, G_N_ELEMENTS (scenes) * N_SEEDS);
  g_assert_cmpuint (e->scenes->len, ==, G_N_ELEMENTS (scenes));
  g_assert_cmpfloat (json_object_get_double_member (dl_detector_get_parameters (dense), "min_score"), ==, 0.7);

  for (guint d = 0; d < e->detectors->len; d++)
    {
      DlDetector *detector = dl_detectors_find (detectors, g_ptr_array_index (e->detectors, d));
      double threshold = json_object_get_double_member (dl_detector_get_parameters (detector), "min_score");
      g_autoptr(JsonObject) zero = json_object_new ();
      g_autoptr(JsonObject) back = json_object_new ();
      DlEvalPoint p;
      Counts c;

      if (detector == dense)
        dense_index = d;
      g_assert_cmpfloat (g_array_index (e->thresholds, double, d), ==, threshold);
      /* counted here with min_score 0, cut at the threshold here */
      json_object_set_double_member (zero, "min_score", 0);
      json_object_set_double_member (back, "min_score", threshold);
      g_assert_true (dl_detector_set_parameters (detector, zero, NULL));
      count_directly (detector, threshold, &c, &located_checked);
      g_assert_true (dl_detector_set_parameters (detector, back, NULL));

      dl_evaluation_point (e, d, NULL, NAN, &p);
      g_test_message ("%s (t %.2f): detected %u/%u, located %u, alerted %u/%u, false alarms %u",
                      dl_detector_get_name (detector), threshold, p.detected, p.n_concealment, p.located,
                      p.alerted, p.n_honest, p.false_alarms);
      g_assert_cmpuint (p.n_concealment, ==, c.concealment);
      g_assert_cmpuint (p.n_honest, ==, c.honest);
      g_assert_cmpuint (p.detected, ==, c.detected);
      g_assert_cmpuint (p.located, ==, c.located);
      g_assert_cmpuint (p.alerted, ==, c.alerted);
      g_assert_cmpuint (p.false_alarms, ==, c.false_alarms);
      g_assert_cmpuint (p.located, <=, p.detected);
    }
  g_assert_cmpint (dense_index, >=, 0);
  g_assert_cmpuint (located_checked, >, 0);   /* some finding did overlap the truth */

  /* an honest empty container: no false alarm at the shipped thresholds */
  {
    DlEvalPoint p;

    dl_evaluation_point (e, DL_EVALUATION_ALL, "empty-20ft", NAN, &p);
    g_assert_cmpuint (p.n_honest, ==, N_SEEDS);
    g_assert_cmpuint (p.false_alarms, ==, 0);
  }
  /* an operating point keeps its false alarms within the rate, and the
   * curve's false alarms rise as its threshold falls */
  for (int d = DL_EVALUATION_ALL; d < (int) e->detectors->len; d++)
    {
      g_autoptr(GArray) curve = dl_evaluation_curve (e, d);
      DlEvalPoint op;

      g_assert_true (dl_evaluation_operating_point (e, d, 0.5, &op));
      g_assert_cmpfloat ((double) op.false_alarms / op.n_honest, <=, 0.5);
      for (guint i = 1; i < curve->len; i++)
        {
          g_assert_cmpfloat (g_array_index (curve, DlEvalPoint, i).threshold, <,
                             g_array_index (curve, DlEvalPoint, i - 1).threshold);
          g_assert_cmpuint (g_array_index (curve, DlEvalPoint, i).false_alarms, >=,
                            g_array_index (curve, DlEvalPoint, i - 1).false_alarms);
          g_assert_cmpuint (g_array_index (curve, DlEvalPoint, i).detected, >=,
                            g_array_index (curve, DlEvalPoint, i - 1).detected);
        }
    }
  remove_tree (dir);
}

/* A truth file without its scan, or a folder without truth: an error
 * naming the file, not a crash or an empty evaluation. */
/* Honest loads the shipped thresholds were not chosen on (seeds of their
 * own): each built-in detector's threshold is its shipped one, and at it
 * the detector raises about the false alarms its stated rate allows — at
 * most that many per scan plus three standard deviations (Poisson) and
 * one, on these few scans. */
static void
test_shipped_thresholds (void)
{
  static const char *honest[] = { "truck", "mixed", "vehicles" };
  g_autofree char *dir = g_dir_make_tmp ("dl-evaluate-honest-XXXXXX", NULL);
  g_autoptr(GPtrArray) detectors = dl_detectors_builtin ();
  JsonObject *points = dl_detectors_get_operating_points ();
  DlSynthOptions options = { FALSE, TRUE };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlEvaluation) e = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (honest); i++)
    for (guint64 seed = 7200; seed < 7203; seed++)
      {
        g_autoptr(DlSynthOutput) out = dl_synth_generate_with_options (honest[i], seed, &options, &error);

        g_assert_no_error (error);
        g_assert_true (dl_synth_write (out, dir, &error));
      }
  e = dl_evaluation_run (dir, detectors, dl_calibration_get_default (), NULL, &error);
  g_assert_no_error (error);
  for (guint d = 0; d < detectors->len; d++)
    {
      const char *name = dl_detector_get_name (g_ptr_array_index (detectors, d));
      JsonObject *point = json_object_get_object_member (points, name);
      JsonNode *rate = json_object_get_member (point, "false_alarm_rate");
      double threshold = json_object_get_double_member (point, "threshold"), expected;
      DlEvalPoint p;

      g_assert_cmpfloat (json_object_get_double_member (dl_detector_get_defaults (g_ptr_array_index (detectors, d)),
                                                        "min_score"), ==, threshold);
      g_assert_cmpfloat (g_array_index (e->thresholds, double, d), ==, threshold);
      dl_evaluation_point (e, d, NULL, NAN, &p);
      g_assert_cmpuint (p.n_honest, ==, G_N_ELEMENTS (honest) * 3);
      g_test_message ("%s: %u false alarms on %u honest scans at %.3f", name, p.false_alarms, p.n_honest, threshold);
      if (JSON_NODE_HOLDS_NULL (rate))
        continue;   /* not measured by the evaluation: no bay plan */
      expected = json_node_get_double (rate) * p.n_honest;
      g_assert_cmpfloat (p.false_alarms, <=, expected + 3 * sqrt (expected) + 1);
    }
  remove_tree (dir);
}

static void
test_refused (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dl-evaluate-bad-XXXXXX", NULL);
  g_autofree char *truth = g_build_filename (dir, "lonely-1.truth.json", NULL);
  g_autoptr(GPtrArray) detectors = dl_detectors_builtin ();
  g_autoptr(GError) error = NULL;
  DlEvaluation *e;

  e = dl_evaluation_run (dir, detectors, dl_calibration_get_default (), NULL, &error);
  g_assert_null (e);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (truth, "{\"scene\": \"x\", \"seed\": 1, \"objects\": []}", -1, NULL));
  e = dl_evaluation_run (dir, detectors, dl_calibration_get_default (), NULL, &error);
  g_assert_null (e);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "lonely-1"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (truth, "{\"scene\": \"x\", \"seed\": 1, \"objects\": [{\"concealed\": 3}]}",
                                      -1, NULL));
  e = dl_evaluation_run (dir, detectors, dl_calibration_get_default (), NULL, &error);
  g_assert_null (e);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "lonely-1.truth.json"));
  remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/evaluate/counts", test_counts);
  g_test_add_func ("/evaluate/refused", test_refused);
  g_test_add_func ("/evaluate/shipped-thresholds", test_shipped_thresholds);
  return g_test_run ();
}
