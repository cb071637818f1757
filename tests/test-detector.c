/* test-detector.c — the detector interface: findings and their JSON form
 * read and written exactly, parameters, the runner (errors per detector,
 * cancelling), and today's consistency checks as built-in detectors
 * giving the same hints as findings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "dl-detector.h"
#include "dl-synth.h"

static DlFinding *
sample_finding (void)
{
  DlFinding *f = dl_finding_new ("pocket", 1, 0.1 + 0.2, "Organic among machinery, “quoted” \\ and ünïcode");
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonObject) nested = json_object_new ();

  dl_finding_set_rectangle (f, 10.25, 20, 1e-7, 3.0e9);
  json_object_set_double_member (f->figures, "kg", 123.456789012345678);
  json_object_set_int_member (f->figures, "pixels", 4096);
  json_object_set_null_member (f->figures, "declared");
  json_object_set_double_member (nested, "sigma", 2.5);
  json_object_set_object_member (f->figures, "nested", g_steal_pointer (&nested));
  json_object_set_double_member (params, "min_score", 0.3);
  json_object_set_string_member (params, "mode", "strict");
  dl_finding_set_detector (f, "probe", "2.1", params, "ab12cd34");
  return f;
}

static void
assert_findings_equal (const DlFinding *a,
                       const DlFinding *b)
{
  g_autoptr(JsonNode) na = dl_finding_to_json_node (a);
  g_autoptr(JsonNode) nb = dl_finding_to_json_node (b);

  g_assert_cmpstr (a->kind, ==, b->kind);
  g_assert_cmpuint (a->view, ==, b->view);
  g_assert_true (a->score == b->score);
  g_assert_cmpstr (a->explanation, ==, b->explanation);
  g_assert_cmpstr (a->detector, ==, b->detector);
  g_assert_cmpstr (a->detector_version, ==, b->detector_version);
  g_assert_cmpstr (a->program_sha256, ==, b->program_sha256);
  g_assert_cmpint (a->outline == NULL, ==, b->outline == NULL);
  for (guint i = 0; a->outline && i < a->outline->len; i++)
    {
      g_assert_true (g_array_index (a->outline, DlFindingPoint, i).x == g_array_index (b->outline, DlFindingPoint, i).x);
      g_assert_true (g_array_index (a->outline, DlFindingPoint, i).y == g_array_index (b->outline, DlFindingPoint, i).y);
    }
  g_assert_true (json_node_equal (na, nb));
}

/* Written, read, written again: the same finding and the same text. */
static void
test_round_trip (void)
{
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_finding_free);
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL, *again = NULL;

  g_ptr_array_add (findings, sample_finding ());
  g_ptr_array_add (findings, dl_finding_new ("weight", 0, 1.0, "The whole scan"));
  json = dl_findings_to_json (findings);
  g_assert_nonnull (strstr (json, "\"format\" : \"doorlicht-findings/1\""));
  back = dl_findings_from_json (json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    assert_findings_equal (g_ptr_array_index (findings, i), g_ptr_array_index (back, i));
  g_assert_null (((DlFinding *) g_ptr_array_index (back, 1))->outline);
  g_assert_null (((DlFinding *) g_ptr_array_index (back, 1))->program_sha256);
  again = dl_findings_to_json (back);
  g_assert_cmpstr (json, ==, again);
}

static void
assert_refused (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = dl_findings_from_json (json, -1, &error);

  g_test_message ("%s → %s", json, error ? error->message : "(read)");
  g_assert_null (findings);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

#define ONE(body) "{\"format\":\"doorlicht-findings/1\",\"findings\":[" body "]}"

/* What is not the form is refused, never read as something else. */
static void
test_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ok = dl_findings_from_json (ONE ("{\"kind\":\"dense\",\"score\":0,\"explanation\":\"x\"}"),
                                                   -1, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (ok->len, ==, 1);
  assert_refused ("");
  assert_refused ("[]");
  assert_refused ("{\"format\":\"doorlicht-findings/2\",\"findings\":[]}");
  assert_refused ("{\"format\":\"doorlicht-findings/1\"}");
  assert_refused (ONE ("{\"kind\":\"dense\",\"score\":1.5,\"explanation\":\"x\"}"));
  assert_refused (ONE ("{\"kind\":\"dense\",\"score\":-0.1,\"explanation\":\"x\"}"));
  assert_refused (ONE ("{\"kind\":\"dense\",\"score\":\"0.5\",\"explanation\":\"x\"}"));
  assert_refused (ONE ("{\"kind\":\"dense\",\"explanation\":\"x\"}"));
  assert_refused (ONE ("{\"kind\":\"\",\"score\":0.5,\"explanation\":\"x\"}"));
  assert_refused (ONE ("{\"kind\":\"dense\",\"score\":0.5,\"explanation\":\"two\\nlines\"}"));
  assert_refused (ONE ("{\"kind\":\"dense\",\"score\":0.5,\"explanation\":\"x\",\"outline\":[[0,0],[1,1]]}"));
  assert_refused (ONE ("{\"kind\":\"dense\",\"score\":0.5,\"explanation\":\"x\",\"outline\":[[0,0],[1,1],[2]]}"));
  assert_refused (ONE ("{\"kind\":\"dense\",\"score\":0.5,\"explanation\":\"x\",\"outline\":[[0,0],[1,1],[2,\"a\"]]}"));
  assert_refused (ONE ("{\"kind\":\"dense\",\"score\":0.5,\"explanation\":\"x\",\"view\":-1}"));
  assert_refused (ONE ("{\"kind\":\"dense\",\"score\":0.5,\"explanation\":\"x\",\"figures\":[]}"));
  assert_refused (ONE ("{\"kind\":\"dense\",\"score\":0.5,\"explanation\":\"x\",\"detector\":{\"name\":3}}"));
}

/* ---- a detector of the test's own ---------------------------------------------------- */

static gboolean
run_fake (DlDetector    *detector,
          DlDetectInput *input,
          JsonObject    *parameters,
          GPtrArray     *findings,
          GPtrArray     *notes,
          GCancellable  *cancellable,
          GError       **error)
{
  const char *mode = json_object_get_string_member (parameters, "mode");

  if (strcmp (mode, "fail") == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "it failed on purpose");
      return FALSE;
    }
  g_ptr_array_add (findings, dl_finding_new ("anomaly", 0, json_object_get_double_member (parameters, "score"),
                                             "A fake finding"));
  g_ptr_array_add (notes, g_strdup ("a note"));
  return TRUE;
}

static const DlDetectorVTable fake_vtable = { run_fake };

static DlDetector *
fake_detector (const char *name,
               const char *mode)
{
  g_autoptr(JsonObject) defaults = json_object_new ();
  DlDetector *d;

  json_object_set_string_member (defaults, "mode", "ok");
  json_object_set_double_member (defaults, "score", 0.25);
  d = dl_detector_new (name, "7", "fake", defaults, &fake_vtable, NULL, NULL);
  if (mode)
    {
      g_autoptr(JsonObject) values = json_object_new ();
      json_object_set_string_member (values, "mode", mode);
      g_assert_true (dl_detector_set_parameters (d, values, NULL));
    }
  return d;
}

static DlDetectInput *
slab_input (void)
{
  g_autoptr(DlSynthOutput) out = dl_synth_slab (DL_MATERIAL_WATER, 10, 1);

  return dl_detect_input_new (out->scan, NULL, NULL, dl_calibration_get_default (), NULL);
}

static void
test_parameters (void)
{
  g_autoptr(DlDetector) d = fake_detector ("fake", NULL);
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(JsonObject) wrong = json_object_new ();
  g_autoptr(JsonObject) unknown = json_object_new ();
  g_autoptr(GError) error = NULL;

  json_object_set_int_member (values, "score", 1);    /* an integer is a number */
  g_assert_true (dl_detector_set_parameters (d, values, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (json_object_get_double_member (dl_detector_get_parameters (d), "score"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (dl_detector_get_parameters (d), "mode"), ==, "ok");
  g_assert_cmpfloat (json_object_get_double_member (dl_detector_get_defaults (d), "score"), ==, 0.25);

  json_object_set_string_member (wrong, "score", "high");
  g_assert_false (dl_detector_set_parameters (d, wrong, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  json_object_set_double_member (unknown, "threshold", 3);
  g_assert_false (dl_detector_set_parameters (d, unknown, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  /* what was refused changed nothing */
  g_assert_cmpfloat (json_object_get_double_member (dl_detector_get_parameters (d), "score"), ==, 1);
}

/* One detector failing leaves the others' findings; each finding carries
 * its detector; each run its time or its error. */
static void
test_runner (void)
{
  g_autoptr(GPtrArray) detectors = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(DlDetectInput) input = slab_input ();
  g_autoptr(DlDetectReport) report = NULL;
  g_autoptr(GPtrArray) back = NULL;
  g_autofree char *json = NULL;
  DlDetectorRun *r;
  DlFinding *f;

  g_ptr_array_add (detectors, fake_detector ("one", NULL));
  g_ptr_array_add (detectors, fake_detector ("broken", "fail"));
  g_ptr_array_add (detectors, fake_detector ("two", NULL));
  report = dl_detectors_run (detectors, input, NULL);
  g_assert_cmpuint (report->findings->len, ==, 2);
  g_assert_cmpuint (report->runs->len, ==, 3);
  f = g_ptr_array_index (report->findings, 0);
  g_assert_cmpstr (f->detector, ==, "one");
  g_assert_cmpstr (f->detector_version, ==, "7");
  g_assert_cmpstr (json_object_get_string_member (f->parameters, "mode"), ==, "ok");
  g_assert_cmpstr (((DlFinding *) g_ptr_array_index (report->findings, 1))->detector, ==, "two");
  r = g_ptr_array_index (report->runs, 1);
  g_assert_cmpstr (r->detector, ==, "broken");
  g_assert_error (r->error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpuint (r->n_findings, ==, 0);
  r = g_ptr_array_index (report->runs, 0);
  g_assert_no_error (r->error);
  g_assert_cmpuint (r->n_findings, ==, 1);
  g_assert_cmpstr (r->notes[0], ==, "a note");
  g_assert_cmpfloat (r->seconds, >=, 0);
  g_assert_true (dl_detect_report_has_errors (report));

  json = dl_detect_report_to_json (report);
  g_assert_nonnull (strstr (json, "it failed on purpose"));
  back = dl_findings_from_json (json, -1, NULL);
  g_assert_nonnull (back);
  g_assert_cmpuint (back->len, ==, 2);
}

static void
test_cancelled (void)
{
  g_autoptr(GPtrArray) detectors = dl_detectors_builtin ();
  g_autoptr(DlDetectInput) input = slab_input ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(DlDetectReport) report = NULL;

  g_ptr_array_add (detectors, fake_detector ("fake", NULL));
  g_cancellable_cancel (cancellable);
  report = dl_detectors_run (detectors, input, cancellable);
  g_assert_cmpuint (report->findings->len, ==, 0);
  for (guint i = 0; i < report->runs->len; i++)
    g_assert_error (((DlDetectorRun *) g_ptr_array_index (report->runs, i))->error,
                    G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Whether @detector compares the scan with its manifest (units does not). */
static gboolean
needs_manifest (const char *detector)
{
  return strcmp (detector, "units") != 0 && strcmp (detector, "rings") != 0;
}

/* Whether @detector turns dl_consistency_check ()'s hints into findings. */
static gboolean
wraps_hints (const DlFinding *f)
{
  return strcmp (f->detector, "units") != 0 && strcmp (f->detector, "pockets") != 0
         && strcmp (f->detector, "rings") != 0 && strcmp (f->detector, "scanner-tdr") != 0;
}

/* Without a manifest the checks against it say so, each, and find nothing. */
static void
test_no_manifest (void)
{
  g_autoptr(GPtrArray) detectors = dl_detectors_builtin ();
  g_autoptr(DlDetectInput) input = slab_input ();
  g_autoptr(DlDetectReport) report = dl_detectors_run (detectors, input, NULL);

  g_assert_cmpuint (report->findings->len, ==, 0);
  g_assert_cmpuint (report->runs->len, ==, detectors->len);
  for (guint i = 0; i < report->runs->len; i++)
    {
      DlDetectorRun *r = g_ptr_array_index (report->runs, i);

      if (strcmp (r->detector, "bay-plan") == 0)
        {
          g_assert_no_error (r->error);    /* no bay plan: a note */
          g_assert_nonnull (r->notes[0]);
        }
      else if (strcmp (r->detector, "scanner-tdr") == 0)
        g_assert_no_error (r->error);      /* read from no DICOS file: no report to look for */
      else if (!needs_manifest (r->detector))
        /* it needs no manifest, but a slab is no container to measure */
        g_assert_error (r->error, G_IO_ERROR, G_IO_ERROR_FAILED);
      else
        g_assert_error (r->error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
    }
}

static void
test_registry (void)
{
  static const char * const names[] = { "weight", "material", "empty", "dense", "partition", "bay-plan",
                                        "units", "pockets", "rings", "scanner-tdr" };
  g_autoptr(GPtrArray) detectors = dl_detectors_builtin ();

  g_assert_cmpuint (detectors->len, ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      DlDetector *d = dl_detectors_find (detectors, names[i]);

      g_assert_nonnull (d);
      g_assert_cmpstr (dl_detector_get_version (d), ==, g_str_equal (names[i], "units") ? "2" : "1");
      g_assert_true (json_object_has_member (dl_detector_get_defaults (d), "min_score"));
      g_assert_null (dl_detector_get_program_sha256 (d));
    }
  g_assert_null (dl_detectors_find (detectors, "nonesuch"));
}

/* ---- today's checks as detectors ------------------------------------------------ */

static const char *
kind_of_hint (const DlHint *h)
{
  return h->partition ? "partition" : dl_hint_kind_to_string (h->kind);
}

/* Every hint that is not an info of dl_consistency_check () is one
 * finding of the detector of its kind, with its message, its region and a
 * score at or above 0.5 where the score is a distance from the threshold;
 * and those detectors find nothing besides. */
static void
test_builtin_scene (gconstpointer data)
{
  const char *scene = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSynthOutput) out = dl_synth_generate (scene, 1, TRUE, &error);
  /* a scanner whose ratio does not drift (the plain generator's): the
   * material shares are judged as measured, so misdeclared goods show */
  g_autoptr(DlCalibration) stable = dl_calibration_copy (dl_calibration_get_default ());
  g_autoptr(DlConsistency) hints = NULL;
  g_autoptr(GPtrArray) detectors = dl_detectors_builtin ();
  g_autoptr(DlDetectInput) input = NULL;
  g_autoptr(DlDetectReport) report = NULL;
  g_autofree gboolean *used = NULL;
  guint n = 0;

  g_assert_no_error (error);
  stable->ratio_margin = 0;
  hints = dl_consistency_check (out->scan, stable, out->manifest, &error);
  g_assert_no_error (error);
  /* every hint, whatever its score: not the shipped thresholds */
  for (guint i = 0; i < detectors->len; i++)
    {
      g_autoptr(JsonObject) all = json_object_new ();

      json_object_set_double_member (all, "min_score", 0);
      g_assert_true (dl_detector_set_parameters (g_ptr_array_index (detectors, i), all, NULL));
    }
  input = dl_detect_input_new (out->scan, out->manifest, NULL, stable, NULL);
  report = dl_detectors_run (detectors, input, NULL);
  g_assert_false (dl_detect_report_has_errors (report));
  used = g_new0 (gboolean, report->findings->len);
  for (guint i = 0; i < hints->hints->len; i++)
    {
      const DlHint *h = g_ptr_array_index (hints->hints, i);
      gboolean found = FALSE;

      if (h->severity == DL_HINT_SEVERITY_INFO)
        continue;
      n++;
      g_test_message ("%s: %s %s", scene, kind_of_hint (h), h->message);
      for (guint j = 0; j < report->findings->len && !found; j++)
        {
          DlFinding *f = g_ptr_array_index (report->findings, j);
          double box[4];

          if (used[j] || strcmp (f->explanation, h->message) != 0)
            continue;
          found = used[j] = TRUE;
          g_assert_cmpstr (f->kind, ==, kind_of_hint (h));
          g_assert_cmpstr (f->detector, ==, kind_of_hint (h));
          g_assert_cmpfloat (f->score, >=, h->kind == DL_HINT_DENSE ? 0.6 : 0.5);
          g_assert_cmpfloat (f->score, <=, 1);
          g_assert_cmpint (dl_finding_get_bounds (f, box), ==, h->has_region);
          if (h->has_region)
            for (guint k = 0; k < 4; k++)
              g_assert_cmpfloat (box[k], ==, h->region[k]);
          g_assert_cmpfloat (json_object_get_double_member (f->figures, "measured"), ==, h->measured);
        }
      g_assert_true (found);
    }
  g_assert_cmpuint (n, >, 0);
  for (guint j = 0; j < report->findings->len; j++)
    if (wraps_hints (g_ptr_array_index (report->findings, j)))
      g_assert_true (used[j]);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/detector/finding-round-trip", test_round_trip);
  g_test_add_func ("/detector/finding-refused", test_refused);
  g_test_add_func ("/detector/parameters", test_parameters);
  g_test_add_func ("/detector/runner", test_runner);
  g_test_add_func ("/detector/cancelled", test_cancelled);
  g_test_add_func ("/detector/no-manifest", test_no_manifest);
  g_test_add_func ("/detector/registry", test_registry);
  g_test_add_data_func ("/detector/builtin/false-wall", "false-wall", test_builtin_scene);
  g_test_add_data_func ("/detector/builtin/undeclared", "undeclared", test_builtin_scene);
  g_test_add_data_func ("/detector/builtin/misdeclared", "misdeclared", test_builtin_scene);
  g_test_add_data_func ("/detector/builtin/empty-concealment", "empty-concealment", test_builtin_scene);
  g_test_add_data_func ("/detector/builtin/metal-in-organic", "metal-in-organic", test_builtin_scene);
  return g_test_run ();
}
