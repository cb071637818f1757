/* test-cli-detect.c — detectors through doorlicht-cli: `detect --list`,
 * `detect SCAN --manifest M` (the same findings as `check`'s hints),
 * unknown detectors refused, and the case file's side: `case detect`,
 * `case findings`, `case finding --confirm|--dismiss`, carried by
 * export, verify and import.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "dl-detector.h"
#include "dl-dicos-tdr.h"
#include "dl-synth.h"

#include "cli-test-util.h"

static char *tmpdir;
static char *scan_path, *manifest_path;


static void
test_list (void)
{
  g_auto(Run) r = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *list;

  run_cli (&r, "detect", "--list", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, NULL));
  list = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (list), ==, 10);   /* weight … bay-plan, units, pockets, rings, scanner-tdr */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "name"), ==, "weight");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "version"), ==, "1");
  g_assert_true (json_object_has_member (json_object_get_object_member (json_array_get_object_element (list, 0),
                                                                          "parameters"), "min_score"));
}

/* The scene's weight hint, as a finding of the weight detector, alone
 * when only that detector is asked for. */
static void
test_detect (void)
{
  g_auto(Run) r = { 0 };
  g_auto(Run) bad = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  DlFinding *f;

  run_cli (&r, "detect", scan_path, "--manifest", manifest_path, "--detector", "weight", NULL);
  g_assert_cmpint (r.status, ==, 0);
  findings = dl_findings_from_json (r.out, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (findings->len, ==, 1);
  f = g_ptr_array_index (findings, 0);
  g_assert_cmpstr (f->kind, ==, "weight");
  g_assert_cmpstr (f->detector, ==, "weight");
  g_assert_nonnull (strstr (f->explanation, "more than"));
  g_assert_cmpfloat (f->score, >=, 0.5);
  g_assert_nonnull (strstr (r.out, "\"runs\""));

  run_cli (&bad, "detect", scan_path, "--detector", "nonesuch", NULL);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "nonesuch"));
}

/* Without a manifest the checks against it fail, each saying why, and
 * the exit status says so; no finding is made up (only units, which
 * compares the cargo with itself, may find something). */
static void
test_no_manifest (void)
{
  g_auto(Run) r = { 0 };
  g_autoptr(GPtrArray) findings = NULL;

  run_cli (&r, "detect", scan_path, NULL);
  g_assert_cmpint (r.status, ==, 1);
  findings = dl_findings_from_json (r.out, -1, NULL);
  g_assert_nonnull (findings);
  for (guint i = 0; i < findings->len; i++)
    g_assert_cmpstr (((DlFinding *) g_ptr_array_index (findings, i))->detector, ==, "units");
  g_assert_nonnull (strstr (r.err, "no manifest"));
}

static char *
write_probe_description (const char *dir,
                         const char *name)
{
  g_autofree char *path = g_build_filename (dir, "probe.json", NULL);
  g_autofree char *json = g_strdup_printf ("{\"format\": \"doorlicht-detector/1\", \"name\": \"%s\","
                                           " \"version\": \"0.1\", \"program\": \"%s\","
                                           " \"parameters\": {\"mode\": \"report\"},"
                                           " \"time_limit_s\": 20, \"memory_limit_mib\": 256}",
                                           name, g_getenv ("DL_DETECTOR_PROBE"));

  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  return g_steal_pointer (&path);
}

/* --external DIR adds the folder's detectors: listed with their program's
 * SHA-256, run beside the built-in ones; a bad description or a taken
 * name is refused naming it. */
static void
test_external (void)
{
  g_autofree char *dir = g_build_filename (tmpdir, "external", NULL);
  g_autofree char *description = NULL;
  g_auto(Run) listed = { 0 }, ran = { 0 }, taken = { 0 }, broken = { 0 };
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  DlFinding *f;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  description = write_probe_description (dir, "probe");
  run_cli (&listed, "detect", "--external", dir, "--list", NULL);
  g_assert_cmpint (listed.status, ==, 0);
  g_assert_nonnull (strstr (listed.out, "\"probe\""));
  run_cli (&ran, "detect", scan_path, "--external", dir, "--detector", "probe", NULL);
  g_assert_cmpint (ran.status, ==, 0);
  findings = dl_findings_from_json (ran.out, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (findings->len, ==, 1);
  f = g_ptr_array_index (findings, 0);
  g_assert_cmpstr (f->detector, ==, "probe");
  g_assert_cmpuint (strlen (f->program_sha256), ==, 64);
  g_assert_cmpstr (json_object_get_string_member (f->figures, "udp"), !=, "ALLOWED");

  g_free (write_probe_description (dir, "weight"));
  run_cli (&taken, "detect", scan_path, "--external", dir, NULL);
  g_assert_cmpint (taken.status, !=, 0);
  g_assert_nonnull (strstr (taken.err, "built-in"));
  g_assert_true (g_file_set_contents (description, "{", -1, NULL));
  run_cli (&broken, "detect", scan_path, "--external", dir, NULL);
  g_assert_cmpint (broken.status, !=, 0);
  g_assert_nonnull (strstr (broken.err, description));
  g_unlink (description);
  g_rmdir (dir);
}

static char *
first_finding_id (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *list;

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  list = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (list), >, 0);
  return g_strdup (json_object_get_string_member (json_array_get_object_element (list, 0), "id"));
}

/* The one report export --tdr printed: the confirmed finding, by Alice. */
static void
assert_tdr (const char *printed,
            const char *finding_id)
{
  g_autofree char *path = g_strstrip (g_strdup (printed));
  g_autoptr(GError) error = NULL;
  g_autoptr(DlDicosTdr) tdr = NULL;
  const DlDicosThreat *t;

  g_assert_true (g_str_has_suffix (path, "-tdr.dcs"));
  g_assert_null (strchr (path, '\n'));
  tdr = dl_dicos_tdr_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tdr->tdr_type, ==, "OPERATOR");
  g_assert_cmpstr (tdr->alarm_decision, ==, "UNKNOWN");   /* no verdict yet */
  g_assert_cmpuint (tdr->threats->len, ==, 1);
  t = g_ptr_array_index (tdr->threats, 0);
  g_assert_cmpstr (t->source, ==, "weight");
  g_assert_cmpstr (t->response, ==, "confirmed");
  g_assert_cmpstr (t->assessment, ==, "THREAT");
  g_assert_nonnull (strstr (t->responder, "Alice Analyst"));
  g_assert_nonnull (finding_id);
  g_unlink (path);
}

/* --tdr into a folder that is not there: refused before anything is written. */
static void
test_tdr_folder (void)
{
  g_autofree char *cf = g_build_filename (tmpdir, "none.dlcase", NULL);
  g_autofree char *ex = g_build_filename (tmpdir, "none-export.dlcase", NULL);
  g_autofree char *folder = g_build_filename (tmpdir, "no-such-folder", NULL);
  g_auto(Run) exported = { 0 };

  run_cli (&exported, "case", "export", cf, "--cases", "C-1", "-o", ex, "--tdr", folder, NULL);
  g_assert_cmpint (exported.status, ==, 2);
  g_assert_nonnull (strstr (exported.err, "no-such-folder"));
  g_assert_false (g_file_test (ex, G_FILE_TEST_EXISTS));
}

static void
test_case (void)
{
  g_autofree char *data = g_build_filename (tmpdir, "xdg", NULL);
  g_autofree char *cf = g_build_filename (tmpdir, "detect.dlcase", NULL);
  g_autofree char *ex = g_build_filename (tmpdir, "detect-export.dlcase", NULL);
  g_autofree char *other = g_build_filename (tmpdir, "detect-other.dlcase", NULL);
  g_auto(Run) made = { 0 }, added = { 0 }, detected = { 0 }, listed = { 0 }, confirmed = { 0 };
  g_auto(Run) missing = { 0 }, shown = { 0 }, exported = { 0 }, verified = { 0 }, created = { 0 };
  g_auto(Run) imported = { 0 }, again = { 0 }, verified_other = { 0 };
  g_autofree char *case_id = NULL, *finding_id = NULL, *pdftotext = NULL;

  g_setenv ("XDG_DATA_HOME", data, TRUE);
  run_cli (&made, "case", "new", cf, "--name", "Alice Analyst", NULL);
  g_assert_cmpint (made.status, ==, 0);
  run_cli (&added, "case", "add", cf, scan_path, "--manifest", manifest_path, "--embed", NULL);
  g_assert_cmpint (added.status, ==, 0);
  case_id = g_strstrip (g_strdup (added.out));

  run_cli (&detected, "case", "detect", cf, case_id, NULL);
  g_assert_cmpint (detected.status, ==, 0);
  g_assert_nonnull (strstr (detected.out, "1 finding stored"));
  run_cli (&listed, "case", "findings", cf, case_id, "--json", NULL);
  g_assert_cmpint (listed.status, ==, 0);
  finding_id = first_finding_id (listed.out);
  g_assert_nonnull (strstr (listed.out, "\"response\" : null"));

  run_cli (&confirmed, "case", "finding", cf, finding_id, "--confirm", "--note", "weighed: 8 t", NULL);
  g_assert_cmpint (confirmed.status, ==, 0);
  run_cli (&missing, "case", "finding", cf, "F-nonesuch", "--dismiss", NULL);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_nonnull (strstr (missing.err, "F-nonesuch"));
  run_cli (&shown, "case", "findings", cf, case_id, NULL);
  g_assert_nonnull (strstr (shown.out, "confirmed by Alice Analyst: weighed: 8 t"));

  /* the report lists it with its response */
  if ((pdftotext = g_find_program_in_path ("pdftotext")) != NULL)
    {
      g_autofree char *pdf = g_build_filename (tmpdir, "detect.pdf", NULL);
      g_autofree char *text = NULL;
      g_auto(Run) reported = { 0 };
      const char *argv[] = { "pdftotext", pdf, "-", NULL };

      run_cli (&reported, "case", "report", cf, case_id, "--output", pdf, NULL);
      g_assert_cmpint (reported.status, ==, 0);
      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                                   NULL, NULL, &text, NULL, NULL, NULL));
      g_assert_nonnull (strstr (text, "Findings"));
      g_assert_nonnull (strstr (text, "weight (detector weight 1, score"));
      g_assert_nonnull (strstr (text, "confirmed by Alice Analyst"));
    }
  run_cli (&exported, "case", "export", cf, "--cases", case_id, "--output", ex, "--tdr", tmpdir, NULL);
  g_assert_cmpint (exported.status, ==, 0);
  assert_tdr (exported.out, finding_id);
  run_cli (&verified, "verify", ex, NULL);
  g_assert_cmpint (verified.status, ==, 0);
  run_cli (&created, "case", "new", other, NULL);
  run_cli (&imported, "case", "import", other, ex, NULL);
  g_assert_cmpint (imported.status, ==, 0);
  run_cli (&again, "case", "findings", other, case_id, NULL);
  g_assert_nonnull (strstr (again.out, finding_id));
  g_assert_nonnull (strstr (again.out, "confirmed by Alice Analyst: weighed: 8 t"));
  run_cli (&verified_other, "verify", other, NULL);
  g_assert_cmpint (verified_other.status, ==, 0);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSynthOutput) scene = NULL;
  g_autofree char *base = NULL;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("dl-cli-detect-XXXXXX", &error);
  g_assert_no_error (error);
  /* more cargo than declared: one weight hint (test-consistency.c) */
  scene = dl_synth_generate ("undeclared", 1, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (dl_synth_write (scene, tmpdir, &error));
  base = dl_synth_basename (scene);
  scan_path = g_strconcat (tmpdir, G_DIR_SEPARATOR_S, base, ".tif", NULL);
  manifest_path = g_strconcat (tmpdir, G_DIR_SEPARATOR_S, base, ".manifest.json", NULL);

  g_test_add_func ("/cli/detect/list", test_list);
  g_test_add_func ("/cli/detect/detect", test_detect);
  g_test_add_func ("/cli/detect/no-manifest", test_no_manifest);
  g_test_add_func ("/cli/detect/case", test_case);
  g_test_add_func ("/cli/detect/tdr-folder", test_tdr_folder);
  g_test_add_func ("/cli/detect/external", test_external);
  return g_test_run ();
}
