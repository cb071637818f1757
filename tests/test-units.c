/* test-units.c — like for like (dl-units) and pockets (dl-pockets): what
 * they find lies on what was concealed, honest loads give nothing, their
 * parameters count; and the regions both are made of (dl-regions).
 *
 * Seeds here are 2, 3 and 511: evaluations use others.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "detect-fixture.h"
#include "dl-pockets.h"
#include "dl-regions.h"
#include "dl-synth.h"
#include "dl-units.h"

/* Runs @detector (with @parameters over its defaults, NULL none) on
 * @scene at @seed, @varied or plain, with its manifest or without. */
static GPtrArray *
run_on_scene (DlDetector    *detector,
              const char    *scene,
              guint64        seed,
              gboolean       varied,
              gboolean       with_manifest,
              const char    *parameters,
              DlSynthOutput **out_ret,
              GPtrArray     *notes)
{
  g_autoptr(GError) error = NULL;
  DlSynthOptions options = { .varied = varied };
  DlSynthOutput *out = dl_synth_generate_with_options (scene, seed, &options, &error);
  g_autoptr(DlDetectInput) input = NULL;
  GPtrArray *findings;

  g_assert_no_error (error);
  if (parameters)
    {
      g_autoptr(JsonObject) values = dl_json_object_parse (parameters, "parameters", &error);
      g_assert_no_error (error);
      g_assert_true (dl_detector_set_parameters (detector, values, &error));
    }
  input = dl_detect_input_new (out->scan, with_manifest ? out->manifest : NULL, NULL,
                               dl_calibration_get_default (), NULL);
  findings = dl_detector_run (detector, input, notes, NULL, &error);
  g_assert_no_error (error);
  *out_ret = out;
  return findings;
}

static GPtrArray *
run_on (DlDetector    *detector,
        const char    *scene,
        guint64        seed,
        gboolean       with_manifest,
        const char    *parameters,
        DlSynthOutput **out_ret,
        GPtrArray     *notes)
{
  return run_on_scene (detector, scene, seed, FALSE, with_manifest, parameters, out_ret, notes);
}

/* Packages hidden in some pallets: found without the manifest, every
 * finding on one of them, each with the peers it was compared with. */
static void
test_units_pallets (void)
{
  g_autoptr(DlDetector) units = dl_units_detector_new ();
  g_autoptr(DlSynthOutput) out = NULL;
  g_autoptr(GPtrArray) findings = run_on (units, "pallet-concealment", 2, FALSE, NULL, &out, NULL);
  g_autoptr(GArray) boxes = concealed_boxes (out);

  g_assert_cmpuint (findings->len, >, 0);
  for (guint i = 0; i < findings->len; i++)
    {
      DlFinding *f = g_ptr_array_index (findings, i);

      g_test_message ("%.2f %s", f->score, f->explanation);
      g_assert_cmpstr (f->kind, ==, "anomaly");
      g_assert_cmpstr (f->detector, ==, "units");
      g_assert_true (overlaps_concealed (f, boxes));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (f->figures, "peers")), >=, 3);
      g_assert_cmpfloat (json_object_get_double_member (f->figures, "excess_kg"), >, 0.3);
      g_assert_cmpfloat (json_object_get_double_member (f->figures, "repeat_cm"), >=, 25);
      g_assert_cmpfloat (f->score, >, 0);
      g_assert_cmpfloat (f->score, <=, 1);
    }
}

/* Organic bricks in one of the machinery crates: found, on them. */
static void
test_units_crates (void)
{
  g_autoptr(DlDetector) units = dl_units_detector_new ();
  g_autoptr(DlSynthOutput) out = NULL;
  g_autoptr(GPtrArray) findings = run_on (units, "organic-in-metal", 3, TRUE, NULL, &out, NULL);
  g_autoptr(GArray) boxes = concealed_boxes (out);

  g_assert_cmpuint (findings->len, >, 0);
  for (guint i = 0; i < findings->len; i++)
    g_assert_true (overlaps_concealed (g_ptr_array_index (findings, i), boxes));
}

/* Honest loads of repeated units, and of mixed goods: nothing. */
static void
test_units_honest (gconstpointer data)
{
  g_autoptr(DlDetector) units = dl_units_detector_new ();
  g_autoptr(DlSynthOutput) out = NULL;
  g_autoptr(GPtrArray) findings = run_on (units, data, 2, TRUE, NULL, &out, NULL);

  for (guint i = 0; i < findings->len; i++)
    g_test_message ("%s: %s", (const char *) data, ((DlFinding *) g_ptr_array_index (findings, i))->explanation);
  g_assert_cmpuint (findings->len, ==, 0);
}

/* An honest varied load (mixed, seed 511) whose pallets repeat otherwise
 * than the cartons on them: a pallet's bearer block is more than its
 * "peers" hold, the gaps one carton repeat away, unlike it beside it in
 * its own rows as well.  With the check beside the region (its default
 * "beside_max"), nothing; without it, that block, at full score. */
static void
test_units_beside (void)
{
  g_autoptr(DlDetector) units = dl_units_detector_new ();
  g_autoptr(DlSynthOutput) out = NULL, out_without = NULL;
  g_autoptr(GPtrArray) findings = run_on_scene (units, "mixed", 511, TRUE, TRUE, NULL, &out, NULL);
  g_autoptr(GPtrArray) without = run_on_scene (units, "mixed", 511, TRUE, TRUE, "{\"beside_max\": 1e9}", &out_without, NULL);
  double best = 0;

  g_assert_cmpuint (findings->len, ==, 0);
  g_assert_cmpuint (without->len, >, 0);
  for (guint i = 0; i < without->len; i++)
    best = MAX (best, ((DlFinding *) g_ptr_array_index (without, i))->score);
  g_assert_cmpfloat (best, >, 0.9);
}

/* Its parameters are what it runs with: a region must stand out by "z". */
static void
test_units_parameters (void)
{
  g_autoptr(DlDetector) units = dl_units_detector_new ();
  g_autoptr(DlSynthOutput) out = NULL;
  g_autoptr(GPtrArray) findings = run_on (units, "pallet-concealment", 2, FALSE, "{\"z\": 1000000}", &out, NULL);

  g_assert_cmpuint (findings->len, ==, 0);
}

/* An empty container has no repeated units: a note, no finding. */
static void
test_units_nothing_repeated (void)
{
  g_autoptr(DlDetector) units = dl_units_detector_new ();
  g_autoptr(DlSynthOutput) out = NULL;
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) findings = run_on (units, "empty", 2, TRUE, NULL, &out, notes);

  g_assert_cmpuint (findings->len, ==, 0);
  g_assert_cmpuint (notes->len, ==, 1);
}

/* Steel parts among rice sacks: metal pockets on them; the material and
 * the figures said. */
static void
test_pockets_metal (void)
{
  g_autoptr(DlDetector) pockets = dl_pockets_detector_new ();
  g_autoptr(DlSynthOutput) out = NULL;
  g_autoptr(GPtrArray) findings = run_on (pockets, "metal-in-organic", 2, TRUE, NULL, &out, NULL);
  g_autoptr(GArray) boxes = concealed_boxes (out);

  g_assert_cmpuint (findings->len, >, 0);
  for (guint i = 0; i < findings->len; i++)
    {
      DlFinding *f = g_ptr_array_index (findings, i);

      g_test_message ("%.2f %s", f->score, f->explanation);
      g_assert_cmpstr (f->kind, ==, "pocket");
      g_assert_cmpstr (json_object_get_string_member (f->figures, "material"), ==, "metal");
      g_assert_cmpfloat (json_object_get_double_member (f->figures, "density_g_cm2"), >,
                         json_object_get_double_member (f->figures, "threshold_g_cm2"));
      g_assert_true (overlaps_concealed (f, boxes));
    }
}

/* Honest loads: nothing; where the goods explain metal (oil in drums,
 * cars), a note says nothing was looked for. */
static void
test_pockets_honest (void)
{
  static const char * const scenes[] = { "mixed", "vehicles", "truck" };

  for (guint i = 0; i < G_N_ELEMENTS (scenes); i++)
    {
      g_autoptr(DlDetector) pockets = dl_pockets_detector_new ();
      g_autoptr(DlSynthOutput) out = NULL;
      g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) findings = run_on (pockets, scenes[i], 3, TRUE, NULL, &out, notes);

      g_assert_cmpuint (findings->len, ==, 0);
      if (i < 2)
        g_assert_cmpuint (notes->len, ==, 1);
    }
}

/* Without a manifest pockets cannot run, and says why. */
static void
test_pockets_no_manifest (void)
{
  g_autoptr(DlDetector) pockets = dl_pockets_detector_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSynthOutput) out = dl_synth_generate ("mixed", 2, FALSE, &error);
  g_autoptr(DlDetectInput) input = dl_detect_input_new (out->scan, NULL, NULL, dl_calibration_get_default (), NULL);
  g_autoptr(GPtrArray) findings = dl_detector_run (pockets, input, NULL, NULL, &error);

  g_assert_null (findings);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
}

/* Two regions, 4-connected (a diagonal does not join), in row order,
 * with their areas, boxes and labels. */
static void
test_regions (void)
{
  static const guint8 mask[] = {
    1, 1, 0, 0, 0,
    0, 1, 0, 0, 1,
    0, 0, 1, 0, 1,
    0, 0, 0, 0, 1,
  };
  guint32 labels[G_N_ELEMENTS (mask)];
  g_autoptr(GArray) regions = dl_regions_label (mask, 5, 4, labels);
  const DlRegion *r;

  g_assert_cmpuint (regions->len, ==, 3);
  r = &g_array_index (regions, DlRegion, 0);
  g_assert_cmpuint (r->area, ==, 3);
  g_assert_cmpint (r->box[0], ==, 0); g_assert_cmpint (r->box[1], ==, 0);
  g_assert_cmpint (r->box[2], ==, 2); g_assert_cmpint (r->box[3], ==, 2);
  r = &g_array_index (regions, DlRegion, 1);
  g_assert_cmpuint (r->area, ==, 3);
  g_assert_cmpint (r->box[0], ==, 4); g_assert_cmpint (r->box[3], ==, 4);
  g_assert_cmpuint (g_array_index (regions, DlRegion, 2).area, ==, 1);   /* the diagonal one */
  g_assert_cmpuint (labels[0], ==, 1);
  g_assert_cmpuint (labels[9], ==, 2);
  g_assert_cmpuint (labels[12], ==, 3);
  g_assert_cmpuint (labels[2], ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/units/pallets", test_units_pallets);
  g_test_add_func ("/units/crates", test_units_crates);
  g_test_add_data_func ("/units/honest/truck", "truck", test_units_honest);
  g_test_add_data_func ("/units/honest/mixed", "mixed", test_units_honest);
  g_test_add_data_func ("/units/honest/vehicles", "vehicles", test_units_honest);
  g_test_add_func ("/units/beside", test_units_beside);
  g_test_add_func ("/units/parameters", test_units_parameters);
  g_test_add_func ("/units/nothing-repeated", test_units_nothing_repeated);
  g_test_add_func ("/pockets/metal", test_pockets_metal);
  g_test_add_func ("/pockets/honest", test_pockets_honest);
  g_test_add_func ("/pockets/no-manifest", test_pockets_no_manifest);
  g_test_add_func ("/regions", test_regions);
  return g_test_run ();
}
