/* test-cli-bayplan.c — the bay plan through doorlicht-cli: `bayplan show`,
 * `check --bay-plan`, `case add --bay-plan` (messages written to the SMDG
 * BAPLIE 2.2 and 3.1 layouts, ../baplie-fixture.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "../baplie-fixture.h"
#include "dl-bay-plan-check.h"
#include "dl-case-file.h"
#include "dl-synth.h"

#include "cli-test-util.h"

static char *tmpdir;
static DlSynthOutput *scene;
static char *scan_path, *manifest_path;


/* A bay plan file (SMDG 2.2) of the scene's container with a VGM of
 * @factor × (its true cargo + the typical tare), and a second container,
 * with a wrong UNT count when @bad_count. */
static char *
write_bay_plan (const char *name,
                double      factor,
                gboolean    bad_count)
{
  const DlManifestContainer *c = g_ptr_array_index (scene->manifest->containers, 0);
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autofree char *body = NULL, *msg = NULL, *text = NULL;
  double tare;

  g_assert_true (dl_iso6346_typical_tare (c->size_type, &tare, NULL));
  body = g_strdup_printf (BAPLIE_22_HEADER
                          "LOC+147+0340782::5'\n"
                          "MEA+AAE+VGM+KGM:%.0f'\n"
                          "LOC+9+CNSHA'\nLOC+11+NLRTM'\nRFF+BM:1'\n"
                          "EQD+CN+%s+%s+++5'\n"
                          "LOC+147+0120084::5'\n"
                          "MEA+AAE+VGM+KGM:21000'\n"
                          "EQD+CN+CSQU3054383+22G1+++5'\n",
                          factor * (scene->cargo_kg + tare), c->number, c->size_type);
  msg = baplie_message ("1", "95B:UN:SMDG22", body, bad_count ? 99 : 0);
  text = baplie_interchange (msg, NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return g_steal_pointer (&path);
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *json)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_show (void)
{
  g_autofree char *path = write_bay_plan ("show.edi", 1.0, TRUE);
  g_autofree char *cuscar = g_build_filename (tmpdir, "scene.cuscar.edi", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) parser2 = json_parser_new ();
  g_auto(Run) shown = { 0 }, one = { 0 }, refused = { 0 }, usage = { 0 };
  JsonObject *o;
  JsonArray *containers;

  run_cli (&shown, "bayplan", "show", path, NULL);
  g_assert_cmpint (shown.status, ==, 0);
  o = parse_object (parser, shown.out);
  g_assert_cmpstr (json_object_get_string_member (o, "format"), ==, "doorlicht-bay-plan/1");
  g_assert_cmpstr (json_object_get_string_member (o, "vessel"), ==, "EXAMPLE VESSEL");
  containers = json_object_get_array_member (o, "containers");
  g_assert_cmpuint (json_array_get_length (containers), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (containers, 1), "vgm_kg"), ==, 21000);
  /* the wrong count: in the JSON and on stderr */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "warnings")), ==, 1);
  g_assert_nonnull (strstr (shown.err, "warning: segment"));
  g_assert_nonnull (strstr (shown.err, "UNT"));

  run_cli (&one, "bayplan", "show", "--container", "CSQU3054383", path, NULL);
  g_assert_cmpint (one.status, ==, 0);
  o = parse_object (parser2, one.out);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "containers")), ==, 1);

  /* a CUSCAR is not a bay plan */
  g_assert_true (g_file_test (cuscar, G_FILE_TEST_EXISTS));
  run_cli (&refused, "bayplan", "show", cuscar, NULL);
  g_assert_cmpint (refused.status, ==, 1);
  g_assert_nonnull (strstr (refused.err, "not BAPLIE"));
  run_cli (&usage, "bayplan", path, NULL);
  g_assert_cmpint (usage.status, ==, 2);
}

/* The hints of `check` on stdout, as JSON: how many have @part. */
static guint
count_hints (const char *json,
             const char *part)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *hints = json_object_get_array_member (parse_object (parser, json), "hints");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (hints); i++)
    n += strstr (json_object_get_string_member (json_array_get_object_element (hints, i), "message"), part) != NULL;
  return n;
}

static void
test_check (void)
{
  g_autofree char *matching = write_bay_plan ("matching.edi", 1.0, FALSE);
  g_autofree char *heavy = write_bay_plan ("heavy.edi", 1.15, FALSE);
  g_auto(Run) plain = { 0 }, ok = { 0 }, off = { 0 }, bad = { 0 };

  /* the second argument still works, and without a bay plan nothing of it */
  run_cli (&plain, "check", scan_path, manifest_path, NULL);
  g_assert_cmpint (plain.status, ==, 0);
  g_assert_cmpuint (count_hints (plain.out, "bay plan"), ==, 0);
  run_cli (&ok, "check", scan_path, "--manifest", manifest_path, "--bay-plan", matching, NULL);
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_cmpuint (count_hints (ok.out, "bay plan"), ==, 0);
  run_cli (&off, "check", scan_path, "--manifest", manifest_path, "--bay-plan", heavy, NULL);
  g_assert_cmpint (off.status, ==, 0);
  g_assert_cmpuint (count_hints (off.out, "Tare assumed from the size type"), ==, 2);
  /* a bay plan that is not one: refused, naming the file */
  run_cli (&bad, "check", scan_path, "--manifest", manifest_path, "--bay-plan", manifest_path, NULL);
  g_assert_cmpint (bad.status, ==, 1);
  g_assert_nonnull (strstr (bad.err, manifest_path));
}

static void
test_case_add (void)
{
  g_autofree char *heavy = write_bay_plan ("case.edi", 1.15, FALSE);
  g_autofree char *cf = g_build_filename (tmpdir, "bay.dlcase", NULL);
  g_autofree char *data = g_build_filename (tmpdir, "alice-data", NULL);
  g_autofree char *case_id = NULL;
  g_auto(Run) made = { 0 }, added = { 0 }, no_manifest = { 0 };
  g_autoptr(DlCaseFile) file = NULL;
  g_autoptr(DlBayPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  const DlManifestContainer *c = g_ptr_array_index (scene->manifest->containers, 0);
  DlBayPlanContainer *entry;

  g_setenv ("XDG_DATA_HOME", data, TRUE);
  run_cli (&made, "case", "new", cf, "--name", "Alice Analyst", NULL);
  g_assert_cmpint (made.status, ==, 0);
  run_cli (&added, "case", "add", cf, scan_path, "--manifest", manifest_path, "--bay-plan", heavy, NULL);
  g_assert_cmpint (added.status, ==, 0);
  case_id = g_strstrip (g_strdup (added.out));

  /* a bay plan needs the container it is kept for: refused, nothing added */
  run_cli (&no_manifest, "case", "add", cf, scan_path, "--bay-plan", heavy, NULL);
  g_assert_cmpint (no_manifest.status, ==, 1);

  file = dl_case_file_open_untrusted (cf, &error);
  g_assert_no_error (error);
  plan = dl_case_file_get_bay_plan (file, case_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (plan);
  /* the entry of its container alone */
  g_assert_cmpuint (plan->containers->len, ==, 1);
  entry = g_ptr_array_index (plan->containers, 0);
  g_assert_cmpstr (entry->number, ==, c->number);
  g_assert_false (isnan (entry->vgm_kg));
  {
    DlCaseQuery query = { 0 };
    g_autoptr(GPtrArray) cases = dl_case_file_list_cases (file, &query, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (cases->len, ==, 1);
  }
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("dl-cli-bayplan-XXXXXX", &error);
  g_assert_no_error (error);
  /* an estimate that is no lower bound, with its top view (see test-bay-plan-check.c) */
  scene = dl_synth_generate ("pallet-concealment", 4, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (dl_synth_write (scene, tmpdir, &error));
  base = dl_synth_basename (scene);
  scan_path = g_strconcat (tmpdir, G_DIR_SEPARATOR_S, base, ".tif", NULL);
  manifest_path = g_strconcat (tmpdir, G_DIR_SEPARATOR_S, base, ".manifest.json", NULL);
  {
    g_autofree char *cuscar = g_strconcat (tmpdir, G_DIR_SEPARATOR_S, base, ".cuscar.edi", NULL);
    g_autofree char *plain = g_build_filename (tmpdir, "scene.cuscar.edi", NULL);

    g_assert_true (g_rename (cuscar, plain) == 0);
  }

  g_test_add_func ("/cli/bayplan/show", test_show);
  g_test_add_func ("/cli/bayplan/check", test_check);
  g_test_add_func ("/cli/bayplan/case-add", test_case_add);

  status = g_test_run ();
  dl_synth_output_free (scene);
  return status;
}
