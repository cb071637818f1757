/* test-scanner-tdr.c — the "scanner-tdr" detector (dl-scanner-tdr.h): a
 * generator scan written as a DICOS DX, machine threat detection reports
 * written beside it; the threats of the report that names the scan are
 * its findings, with their outlines, scores and figures; a report about
 * another image is not; one that cannot be read is a note; a TIFF gets
 * nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "dl-detector.h"
#include "dl-dicos-write.h"
#include "dl-material.h"
#include "dl-scanner-tdr.h"
#include "dl-synth.h"

static char *tmpdir;

static DlDicosThreat *
threat (guint       id,
        const char *image_uid,
        const char *assessment,
        double      probability)
{
  DlDicosThreat *t = dl_dicos_threat_new ();

  t->id = id;
  t->referenced_sop_instance_uid = g_strdup (image_uid);
  t->referenced_sop_class_uid = g_strdup (DL_DICOS_DX_PROCESSING_UID);
  t->category = g_strdup ("ANOMALY");
  t->assessment = g_strdup (assessment);
  t->probability = probability;
  return t;
}

/* A machine report on @image_uid: a box threat (THREAT, 0.8), a polygon
 * threat (UNKNOWN, no probability) and one on another image. */
static void
write_report (const char *path,
              const char *image_uid)
{
  g_autoptr(DlDicosTdr) tdr = dl_dicos_tdr_new ();
  g_autoptr(GError) error = NULL;
  DlDicosThreat *box = threat (1, image_uid, "THREAT", 0.8);
  DlDicosThreat *polygon = threat (2, image_uid, "UNKNOWN", NAN);
  const double corners[] = { 100, 50, 180, 50, 140, 120 };

  tdr->tdr_type = g_strdup ("MACHINE");
  tdr->alarm_decision = g_strdup ("ALARM");
  tdr->ooi_type = g_strdup ("CARGO");
  box->n_dims = 2;
  box->base[0] = 300, box->base[1] = 40, box->extents[0] = 60, box->extents[1] = 30;
  polygon->polygon = g_array_new (FALSE, FALSE, sizeof (double));
  g_array_append_vals (polygon->polygon, corners, G_N_ELEMENTS (corners));
  polygon->n_dims = 2;
  g_ptr_array_add (tdr->threats, box);
  g_ptr_array_add (tdr->threats, polygon);
  g_ptr_array_add (tdr->threats, threat (3, "2.25.999", "THREAT", 0.9));
  g_assert_true (dl_dicos_write_tdr (tdr, path, &error));
  g_assert_no_error (error);
}

static DlScan *
dicos_scan (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSynthOutput) out = dl_synth_generate ("empty-20ft", 3, FALSE, &error);
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  DlScan *back;

  g_assert_no_error (error);
  g_assert_true (dl_dicos_write_dx (out->scan, 0, path, &error));
  g_assert_no_error (error);
  back = dl_scan_load_file (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (dl_scan_get_metadata (back, "sop-instance-uid"));
  return back;
}

static GPtrArray *
run (DlScan     *scan,
     double      min_score,
     GPtrArray **notes)
{
  g_autoptr(DlDetector) detector = dl_scanner_tdr_detector_new ();
  g_autoptr(DlDetectInput) input = dl_detect_input_new (scan, NULL, NULL, dl_calibration_get_default (), NULL);
  g_autoptr(JsonObject) parameters = json_object_new ();
  g_autoptr(GPtrArray) said = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GPtrArray *findings;

  json_object_set_double_member (parameters, "min_score", min_score);
  g_assert_true (dl_detector_set_parameters (detector, parameters, &error));
  findings = dl_detector_run (detector, input, said, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (findings);
  if (notes)
    *notes = g_steal_pointer (&said);
  return findings;
}

static const DlFinding *
by_id (GPtrArray *findings,
       gint64     id)
{
  for (guint i = 0; i < findings->len; i++)
    {
      const DlFinding *f = g_ptr_array_index (findings, i);

      if (json_object_get_int_member (f->figures, "threat_id") == id)
        return f;
    }
  return NULL;
}

static void
test_findings (void)
{
  g_autoptr(DlScan) scan = dicos_scan ("scan.dcs");
  const char *uid = dl_scan_get_metadata (scan, "sop-instance-uid");
  g_autofree char *report = g_build_filename (tmpdir, "scan-atr.dcs", NULL);
  g_autofree char *other = g_build_filename (tmpdir, "other-atr.dcs", NULL);
  g_autoptr(GPtrArray) notes = NULL, findings = NULL, strict = NULL;
  const DlFinding *box, *polygon;
  double bounds[4];

  write_report (report, uid);
  write_report (other, "2.25.12345");
  findings = run (scan, 0, &notes);
  g_assert_cmpuint (findings->len, ==, 2);
  g_assert_cmpuint (notes->len, ==, 0);
  box = by_id (findings, 1);
  polygon = by_id (findings, 2);
  g_assert_nonnull (box);
  g_assert_nonnull (polygon);
  g_assert_cmpstr (box->kind, ==, "threat");
  g_assert_cmpfloat_with_epsilon (box->score, 0.8, 1e-9);
  g_assert_true (dl_finding_get_bounds (box, bounds));
  g_assert_cmpfloat (bounds[0], ==, 300);
  g_assert_cmpfloat (bounds[1], ==, 40);
  g_assert_cmpfloat (bounds[2], ==, 360);
  g_assert_cmpfloat (bounds[3], ==, 70);
  g_assert_cmpstr (json_object_get_string_member (box->figures, "report"), ==, "scan-atr.dcs");
  g_assert_cmpstr (json_object_get_string_member (box->figures, "report_type"), ==, "MACHINE");
  g_assert_nonnull (strstr (box->explanation, "THREAT"));
  g_assert_nonnull (strstr (box->explanation, "ANOMALY"));
  g_assert_cmpuint (polygon->outline->len, ==, 3);
  g_assert_cmpfloat (g_array_index (polygon->outline, DlFindingPoint, 2).x, ==, 140);
  g_assert_cmpfloat (g_array_index (polygon->outline, DlFindingPoint, 2).y, ==, 120);
  g_assert_cmpfloat (polygon->score, ==, 0.5);
  /* min_score leaves out the unknown one */
  strict = run (scan, 0.6, NULL);
  g_assert_cmpuint (strict->len, ==, 1);
  g_unlink (report);
  g_unlink (other);
}

/* A report that names the scan but is cut short: a note, no finding. */
static void
test_damaged_report (void)
{
  g_autoptr(DlScan) scan = dicos_scan ("scan2.dcs");
  const char *uid = dl_scan_get_metadata (scan, "sop-instance-uid");
  g_autofree char *report = g_build_filename (tmpdir, "scan2-atr.dcs", NULL);
  g_autoptr(GPtrArray) notes = NULL, findings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize length;

  write_report (report, uid);
  g_assert_true (g_file_get_contents (report, &data, &length, &error));
  g_assert_nonnull (memmem (data, length, uid, strlen (uid)));
  /* the threats' sequence cut in the middle, the UID still in it */
  g_assert_true (g_file_set_contents (report, data, (gssize) (length - 40), &error));
  findings = run (scan, 0, &notes);
  g_assert_cmpuint (findings->len, ==, 0);
  g_assert_cmpuint (notes->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (notes, 0), "scan2-atr.dcs"));
  g_unlink (report);
}

/* A scan read from no DICOM file (no SOP Instance UID) gets nothing. */
static void
test_not_dicom (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSynthOutput) out = dl_synth_generate ("empty-20ft", 3, FALSE, &error);
  g_autoptr(GPtrArray) findings = NULL;

  g_assert_no_error (error);
  findings = run (out->scan, 0, NULL);
  g_assert_cmpuint (findings->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("test-scanner-tdr-XXXXXX", NULL);
  g_test_add_func ("/scanner-tdr/findings", test_findings);
  g_test_add_func ("/scanner-tdr/damaged-report", test_damaged_report);
  g_test_add_func ("/scanner-tdr/not-dicom", test_not_dicom);
  status = g_test_run ();
  g_rmdir (tmpdir);
  return status;
}
