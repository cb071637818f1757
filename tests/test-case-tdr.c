/* test-case-tdr.c — the operator's threat detection report of a scan
 * (dl-case-tdr.c): the case's findings with their outlines and responses,
 * the analyst's rectangles and polygons and the verdict, read back by
 * dl_dicos_tdr_load () and, the same values, by pydicom
 * (tests/tdr-reference.py, skipped when it cannot run); the image it
 * refers to is the one doorlicht-cli convert writes for a TIFF scan, a
 * DICOS scan's own; what DICOM cannot hold is refused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "case-fixture.h"
#include "dl-case-tdr.h"
#include "dl-dicos-write.h"
#include "dl-synth.h"
#include "dl-tiff-write.h"

#define PYTHON "/usr/bin/python3"

static char *tmpdir;

typedef struct
{
  DlCaseFile *file;
  char       *case_id;
  char       *tiff;         /* the TIFF scan's path */
  char       *dicos_uid;    /* the DICOS scan's own SOP Instance UID */
  char       *tdr_folder;
} Fixture;

static char *
write_tiff (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSynthOutput) out = dl_synth_generate ("empty-20ft", 5, FALSE, &error);
  char *path = g_build_filename (tmpdir, "scan.tif", NULL);

  g_assert_no_error (error);
  g_assert_true (dl_tiff_write_scan (out->scan, path, &error));
  g_assert_no_error (error);
  return path;
}

/* A small DICOS DX; its SOP Instance UID in @uid. */
static char *
write_dicos (char **uid)
{
  g_autoptr(DlScan) scan = dl_scan_new ();
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmpdir, "scan.dcs", NULL);
  DlPlane *p = dl_scan_add_plane (scan, 0, "high", 64, 32, 0, &error);

  g_assert_no_error (error);
  for (gsize i = 0; i < 64 * 32; i++)
    p->data[i] = (guint16) (i * 37);
  g_assert_true (dl_dicos_write_dx (scan, 0, path, &error));
  g_assert_no_error (error);
  *uid = g_strdup (dl_scan_get_metadata (scan, "sop-instance-uid"));
  return path;
}

static void
add_findings (DlCaseFile *file,
              const char *scan_id)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_finding_free);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  DlFinding *f = dl_finding_new ("dense", 0, 0.75, "A region of 162 cm² measures as metal");

  dl_finding_set_rectangle (f, 100.5, 20, 180, 64.25);
  dl_finding_set_detector (f, "dense", "1", NULL, NULL);
  g_ptr_array_add (found, f);
  f = dl_finding_new ("weight", 0, 0.5, "The scan weighs 12 % more than declared");
  dl_finding_set_detector (f, "weight", "1", NULL, NULL);
  g_ptr_array_add (found, f);
  ids = dl_case_file_add_findings (file, scan_id, found, &error);
  g_assert_no_error (error);
  g_assert_true (dl_case_file_respond_to_finding (file, ids[0], DL_FINDING_RESPONSE_CONFIRMED, NULL, &error));
  g_assert_true (dl_case_file_respond_to_finding (file, ids[1], DL_FINDING_RESPONSE_DISMISSED, "tare", &error));
  g_assert_no_error (error);
}

static void
add_marks (DlCaseFile *file,
           const char *scan_id)
{
  g_autoptr(DlAnnotations) a = dl_annotations_new ();
  g_autoptr(GError) error = NULL;
  DlPoint rect[] = { { 10, 12 }, { 40, 30 } };
  DlPoint poly[] = { { 200, 5 }, { 260.5, 9 }, { 230, 70 } };
  DlPoint arrow[] = { { 1, 1 }, { 5, 5 } };

  dl_annotations_add (a, DL_ANNOTATION_RECTANGLE, 0, rect, 2, "tyre too dense");
  dl_annotations_add (a, DL_ANNOTATION_POLYGON, 0, poly, 3, "false wall? \\ back");
  dl_annotations_add (a, DL_ANNOTATION_ARROW, 0, arrow, 2, NULL);
  g_assert_true (dl_case_file_set_annotations (file, scan_id, a, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(DlIdentity) anna = fixture_person (tmpdir, "anna", "Anna Analyst");
  g_autofree char *path = g_build_filename (tmpdir, "tdr.dlcase", NULL);
  g_autofree char *dicos = write_dicos (&fx->dicos_uid);
  g_autofree char *tiff_id = NULL, *dicos_id = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *verdict = NULL;

  g_unlink (path);
  fx->tiff = write_tiff ();
  fx->file = dl_case_file_create (path, anna, &error);
  g_assert_no_error (error);
  fx->case_id = dl_case_file_new_case (fx->file, "MSKU9070323", &error);
  tiff_id = dl_case_file_add_scan (fx->file, fx->case_id, fx->tiff, FALSE, &error);
  dicos_id = dl_case_file_add_scan (fx->file, fx->case_id, dicos, TRUE, &error);
  g_assert_no_error (error);
  add_findings (fx->file, tiff_id);
  add_marks (fx->file, tiff_id);
  verdict = dl_case_file_add_verdict (fx->file, fx->case_id, DL_DECISION_INSPECT, NULL, NULL, &error);
  g_assert_no_error (error);
  fx->tdr_folder = g_build_filename (tmpdir, "tdr", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fx->tdr_folder, 0700), ==, 0);
}

static void
remove_folder (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_unlink (path);
    }
  g_rmdir (folder);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  g_autofree char *dicos = g_build_filename (tmpdir, "scan.dcs", NULL);

  g_clear_object (&fx->file);
  remove_folder (fx->tdr_folder);
  g_unlink (fx->tiff);
  g_unlink (dicos);
  g_free (fx->tiff);
  g_free (fx->case_id);
  g_free (fx->dicos_uid);
  g_free (fx->tdr_folder);
}

static GStrv
write_tdrs (Fixture *fx)
{
  const char *ids[] = { fx->case_id, NULL };
  g_autoptr(GError) error = NULL;
  GStrv written = dl_case_file_write_tdrs (fx->file, ids, fx->tdr_folder, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (written), ==, 2);
  return written;
}

/* The UID doorlicht-cli convert gives the TIFF scan's view 0. */
static char *
converted_uid (const char *tiff)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlScan) scan = dl_scan_load_file (tiff, NULL, NULL, NULL, NULL, &error);
  g_autofree char *out = g_build_filename (tmpdir, "converted.dcs", NULL);
  g_autoptr(DlScan) back = NULL;

  g_assert_no_error (error);
  g_assert_true (dl_dicos_write_dx (scan, 0, out, &error));
  g_assert_no_error (error);
  back = dl_scan_load_file (out, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_unlink (out);
  return g_strdup (dl_scan_get_metadata (back, "sop-instance-uid"));
}

static char *
numbers (const GArray *a)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; a && i < a->len; i++)
    g_string_append_printf (s, "%s%g", i ? "\\" : "", g_array_index (a, double, i));
  return g_string_free (s, FALSE);
}

static const DlDicosThreat *
threat (const DlDicosTdr *tdr,
        guint             i)
{
  return g_ptr_array_index (tdr->threats, i);
}

static void
assert_threats (const DlDicosTdr *tdr,
                const char       *uid)
{
  g_autofree char *rect = numbers (threat (tdr, 0)->polygon);
  g_autofree char *mark = numbers (threat (tdr, 2)->polygon);
  g_autofree char *poly = numbers (threat (tdr, 3)->polygon);

  g_assert_cmpuint (tdr->threats->len, ==, 4);    /* the arrow outlines nothing */
  for (guint i = 0; i < 4; i++)
    {
      g_assert_cmpuint (threat (tdr, i)->id, ==, i + 1);
      g_assert_cmpstr (threat (tdr, i)->referenced_sop_instance_uid, ==, uid);
    }
  g_assert_cmpstr (rect, ==, "100.5\\20\\180\\20\\180\\64.25\\100.5\\64.25");
  g_assert_cmpuint (threat (tdr, 0)->n_dims, ==, 2);
  g_assert_cmpfloat (threat (tdr, 0)->base[0], ==, 100.5);
  g_assert_cmpfloat (threat (tdr, 0)->extents[1], ==, 44.25);
  g_assert_cmpstr (threat (tdr, 0)->assessment, ==, "THREAT");
  g_assert_cmpstr (threat (tdr, 0)->response, ==, "confirmed");
  g_assert_cmpstr (threat (tdr, 0)->responder, ==, "Anna Analyst (anna)");
  g_assert_cmpint (threat (tdr, 0)->response_time, >, 0);
  g_assert_cmpfloat_with_epsilon (threat (tdr, 0)->probability, 0.75, 1e-6);
  g_assert_cmpstr (threat (tdr, 0)->source, ==, "dense");
  g_assert_cmpstr (threat (tdr, 0)->category_description, ==, "A region of 162 cm² measures as metal");
  g_assert_null (threat (tdr, 1)->polygon);
  g_assert_cmpuint (threat (tdr, 1)->n_dims, ==, 0);
  g_assert_cmpstr (threat (tdr, 1)->assessment, ==, "NO_THREAT");
  g_assert_cmpstr (threat (tdr, 1)->response, ==, "dismissed");
  g_assert_cmpstr (mark, ==, "10\\12\\40\\12\\40\\30\\10\\30");
  g_assert_cmpstr (threat (tdr, 2)->source, ==, "mark");
  g_assert_cmpstr (threat (tdr, 2)->category_description, ==, "tyre too dense");
  g_assert_cmpstr (threat (tdr, 2)->responder, ==, "Anna Analyst (anna)");
  g_assert_cmpstr (poly, ==, "200\\5\\260.5\\9\\230\\70");
  g_assert_cmpstr (threat (tdr, 3)->category_description, ==, "false wall? \\ back");
}

static void
test_read_back (Fixture       *fx,
                gconstpointer  data)
{
  g_auto(GStrv) written = write_tdrs (fx);
  g_autofree char *uid = converted_uid (fx->tiff);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlDicosTdr) tdr = dl_dicos_tdr_load (written[0], &error);
  g_autoptr(DlDicosTdr) dicos = NULL;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (uid, "2.25."));
  g_assert_cmpstr (tdr->tdr_type, ==, "OPERATOR");
  g_assert_cmpstr (tdr->alarm_decision, ==, "ALARM");
  g_assert_cmpstr (tdr->verdict, ==, "inspect");
  g_assert_cmpstr (tdr->operator_id, ==, "anna");
  g_assert_cmpint (tdr->alarm_decision_time, >, 0);
  g_assert_cmpuint (tdr->n_total_objects, ==, 4);
  g_assert_cmpuint (tdr->n_alarm_objects, ==, 1);
  g_assert_cmpstr (threat (tdr, 0)->referenced_sop_class_uid, ==, DL_DICOS_DX_PROCESSING_UID);
  assert_threats (tdr, uid);

  dicos = dl_dicos_tdr_load (written[1], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dicos->threats->len, ==, 0);
  g_assert_cmpstr (dicos->alarm_decision, ==, "ALARM");
  g_assert_nonnull (fx->dicos_uid);
}

/* A scan's threats refer to the DICOS scan's own UID. */
static void
test_dicos_scan (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scans = dl_case_file_get_scans (fx->file, fx->case_id, &error);
  g_autoptr(DlAnnotations) a = dl_annotations_new ();
  g_autoptr(DlDicosTdr) tdr = NULL;
  const DlCaseScan *s = g_ptr_array_index (scans, 1);
  DlPoint rect[] = { { 1, 2 }, { 30, 20 } };

  dl_annotations_add (a, DL_ANNOTATION_RECTANGLE, 0, rect, 2, "here");
  g_assert_true (dl_case_file_set_annotations (fx->file, s->id, a, &error));
  tdr = dl_case_file_make_tdr (fx->file, s, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tdr->threats->len, ==, 1);
  g_assert_cmpstr (threat (tdr, 0)->referenced_sop_instance_uid, ==, fx->dicos_uid);
  g_assert_cmpstr (threat (tdr, 0)->referenced_sop_class_uid, ==, DL_DICOS_DX_PROCESSING_UID);
}

/* The image behind the case's back: refused, nothing written. */
static void
test_changed_image (Fixture       *fx,
                    gconstpointer  data)
{
  const char *ids[] = { fx->case_id, NULL };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) written = NULL;
  g_autoptr(GDir) dir = NULL;

  g_assert_true (g_file_set_contents (fx->tiff, "other bytes", -1, NULL));
  written = dl_case_file_write_tdrs (fx->file, ids, fx->tdr_folder, &error);
  g_assert_null (written);
  g_assert_error (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_CORRUPT);
  dir = g_dir_open (fx->tdr_folder, 0, NULL);
  g_assert_null (g_dir_read_name (dir));
}

static GHashTable *
run_reference (const char *path)
{
  g_autofree char *script = g_build_filename (DL_SOURCE_ROOT, "tests", "tdr-reference.py", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { PYTHON, script, path, NULL };
  GHashTable *info;
  int status;

  if (!g_file_test (PYTHON, G_FILE_TEST_IS_EXECUTABLE))
    return NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &text, NULL, &status, &error));
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 77);
      return NULL;
    }
  info = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      char *eq = strchr (lines[i], '=');
      if (eq)
        g_hash_table_insert (info, g_strndup (lines[i], eq - lines[i]), g_strdup (eq + 1));
    }
  return info;
}

#define REF(key) ((const char *) g_hash_table_lookup (info, (key)))

static void
test_pydicom (Fixture       *fx,
              gconstpointer  data)
{
  g_auto(GStrv) written = write_tdrs (fx);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlDicosTdr) tdr = dl_dicos_tdr_load (written[0], &error);
  g_autoptr(GHashTable) info = run_reference (written[0]);

  g_assert_no_error (error);
  if (info == NULL)
    {
      g_test_skip ("no python3 with pydicom");
      return;
    }
  g_assert_cmpstr (REF ("sop_class"), ==, DL_DICOS_TDR_SOP_CLASS);
  g_assert_cmpstr (REF ("sop_instance"), ==, tdr->sop_instance_uid);
  g_assert_cmpstr (REF ("modality"), ==, "TDR");
  g_assert_cmpstr (REF ("tdr_type"), ==, "OPERATOR");
  g_assert_cmpstr (REF ("alarm_decision"), ==, "ALARM");
  g_assert_cmpstr (REF ("operator"), ==, "anna");
  g_assert_cmpstr (REF ("verdict"), ==, "inspect");
  g_assert_cmpstr (REF ("threats"), ==, "4");
  g_assert_cmpstr (REF ("total"), ==, "4");
  g_assert_cmpstr (REF ("alarms"), ==, "1");
  g_assert_cmpint (dl_dicos_parse_datetime (REF ("alarm_decision_time")), ==, tdr->alarm_decision_time);
  for (guint i = 0; i < 4; i++)
    {
      const DlDicosThreat *t = threat (tdr, i);
      g_autofree char *polygon = numbers (t->polygon);
#define KEY(name) (g_strdup_printf ("threat%u_%s", i, (name)))
      g_autofree char *k_uid = KEY ("ref_uid"), *k_poly = KEY ("polygon"), *k_flag = KEY ("assessment");
      g_autofree char *k_src = KEY ("source"), *k_who = KEY ("responder"), *k_desc = KEY ("description");
      g_autofree char *k_resp = KEY ("response"), *k_when = KEY ("response_time");
#undef KEY

      g_assert_cmpstr (REF (k_uid), ==, t->referenced_sop_instance_uid);
      g_assert_cmpstr (REF (k_poly), ==, polygon);
      g_assert_cmpstr (REF (k_flag), ==, t->assessment);
      g_assert_cmpstr (REF (k_src), ==, t->source);
      g_assert_cmpstr (REF (k_who), ==, t->responder ? t->responder : "");
      g_assert_cmpstr (REF (k_resp), ==, t->response ? t->response : "");
      g_assert_cmpstr (REF (k_desc), ==, t->category_description ? t->category_description : "");
      g_assert_cmpint (dl_dicos_parse_datetime (REF (k_when)), ==, t->response_time);
    }
}

/* What DICOM cannot hold as it is, refused before a file is made. */
static void
test_refused (void)
{
  g_autoptr(DlDicosTdr) tdr = dl_dicos_tdr_new ();
  g_autofree char *path = g_build_filename (tmpdir, "refused.dcs", NULL);
  g_autoptr(GError) error = NULL;
  DlDicosThreat *t = dl_dicos_threat_new ();
  double odd[] = { 1, 2, 3 };

  tdr->tdr_type = g_strdup ("OPERATOR");
  t->referenced_sop_class_uid = g_strdup (DL_DICOS_DX_PROCESSING_UID);
  t->referenced_sop_instance_uid = g_strdup ("2.25.1");
  t->polygon = g_array_new (FALSE, FALSE, sizeof (double));
  g_array_append_vals (t->polygon, odd, 3);
  g_ptr_array_add (tdr->threats, t);
  g_assert_false (dl_dicos_write_tdr (tdr, path, &error));
  g_assert_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  g_array_set_size (t->polygon, 2);
  t->responder = g_strdup ("a\\b");
  g_assert_false (dl_dicos_write_tdr (tdr, path, &error));
  g_assert_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_clear_pointer (&t->responder, g_free);
  g_free (t->referenced_sop_instance_uid);
  t->referenced_sop_instance_uid = g_strdup ("not a uid");
  g_assert_false (dl_dicos_write_tdr (tdr, path, &error));
  g_assert_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_datetime (void)
{
  g_autofree char *text = dl_dicos_format_datetime (1764778797);

  g_assert_cmpstr (text, ==, "20251203161957+0000");
  g_assert_cmpint (dl_dicos_parse_datetime (text), ==, 1764778797);
  g_assert_cmpint (dl_dicos_parse_datetime ("20251203171957.5+0100"), ==, 1764778797);
  g_assert_cmpint (dl_dicos_parse_datetime ("20251203"), ==, 0);
  g_assert_cmpint (dl_dicos_parse_datetime ("2025120316195x"), ==, 0);
  g_assert_cmpint (dl_dicos_parse_datetime ("20251303161957"), ==, 0);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("dl-test-case-tdr-XXXXXX", NULL);
  g_test_add ("/case-tdr/read-back", Fixture, NULL, fixture_set_up, test_read_back, fixture_tear_down);
  g_test_add ("/case-tdr/dicos-scan", Fixture, NULL, fixture_set_up, test_dicos_scan, fixture_tear_down);
  g_test_add ("/case-tdr/changed-image", Fixture, NULL, fixture_set_up, test_changed_image, fixture_tear_down);
  g_test_add ("/case-tdr/pydicom", Fixture, NULL, fixture_set_up, test_pydicom, fixture_tear_down);
  g_test_add_func ("/case-tdr/refused", test_refused);
  g_test_add_func ("/case-tdr/datetime", test_datetime);
  status = g_test_run ();
  {
    const char *rm[] = { "rm", "-rf", tmpdir, NULL };
    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  g_free (tmpdir);
  return status;
}
