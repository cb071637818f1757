/* test-format.c — numbers and dates for people follow the locale (nl_NL,
 * en_US, C); what programs read back never does: JSON, CSV, CUSCAR, the
 * scan description, the case file's hashed events and the command line's
 * JSON keep a '.' under a Dutch LC_NUMERIC.
 *
 * The nl_NL and en_US locales are compiled into the build folder with
 * localedef (LOCPATH), so the system is never touched; the tests that need
 * them skip when localedef or the locale sources (Debian package
 * "locales") are missing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "dl-case-file.h"
#include "dl-consistency.h"
#include "dl-format.h"
#include "dl-manifest.h"
#include "dl-mark-draw.h"
#include "dl-material.h"
#include "dl-session.h"
#include "dl-synth.h"

static char *tmpdir;
static char *locale_dir;
static gboolean have_nl;
static gboolean have_en;

/* ---- locales ------------------------------------------------------------------ */

/* Compiles @name (“nl_NL”) for UTF-8 into locale_dir; FALSE when it cannot. */
static gboolean
make_locale (const char *name)
{
  g_autofree char *source = g_build_filename ("/usr/share/i18n/locales", name, NULL);
  g_autofree char *localedef = g_find_program_in_path ("localedef");
  g_autofree char *target_name = g_strconcat (name, ".UTF-8", NULL);
  g_autofree char *target = g_build_filename (locale_dir, target_name, NULL);
  g_autofree char *numeric = g_build_filename (target, "LC_NUMERIC", NULL);
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { localedef, "-i", name, "-f", "UTF-8", target, NULL };
  int status = 0;

  if (localedef == NULL || !g_file_test (source, G_FILE_TEST_EXISTS))
    return FALSE;
  g_mkdir_with_parents (locale_dir, 0755);
  /* localedef exits 1 for mere warnings: what counts is the result */
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                     &status, &error))
    {
      g_test_message ("localedef: %s", error->message);
      return FALSE;
    }
  if (!g_file_test (numeric, G_FILE_TEST_EXISTS))
    {
      g_test_message ("localedef -i %s: %s", name, err);
      return FALSE;
    }
  return TRUE;
}

static gboolean
use_locale (const char *name)
{
  if (setlocale (LC_ALL, name) == NULL)
    {
      g_test_message ("setlocale (LC_ALL, \"%s\") failed", name);
      g_test_skip ("a locale could not be set");
      return FALSE;
    }
  return TRUE;
}

static gboolean
use_nl (void)
{
  if (!have_nl)
    {
      g_test_skip ("nl_NL.UTF-8 could not be made (localedef and the Debian package “locales”)");
      return FALSE;
    }
  return use_locale ("nl_NL.UTF-8");
}

/* 30 November 2026, 14:05:09 UTC */
static GDateTime *
sample_time (void)
{
  return g_date_time_new_utc (2026, 11, 30, 14, 5, 9);
}

/* The locale's own short date with the two-digit year written in full,
 * and its time: what dl_format_date_time () should give. */
static char *
expected_date_time (GDateTime *dt)
{
  g_autofree char *date = g_date_time_format (dt, "%x");
  g_autofree char *time = g_date_time_format (dt, "%X");
  g_auto(GStrv) parts = NULL;
  g_autofree char *full = NULL;

  if (strstr (date, "2026") == NULL)
    {
      parts = g_strsplit (date, "26", 2);
      g_assert_cmpuint (g_strv_length (parts), ==, 2);
      full = g_strjoin ("2026", parts[0], parts[1], NULL);
    }
  return g_strdup_printf ("%s %s", full ? full : date, time);
}

static void
assert_grouped (const char *got,
                const char *format,
                const char *sep,
                const char *point)
{
  /* @format spells the number with G for the grouping and P for the
   * decimal separator */
  g_autoptr(GString) expected = g_string_new (NULL);

  for (const char *p = format; *p; p++)
    {
      if (*p == 'G')
        g_string_append (expected, sep);
      else if (*p == 'P')
        g_string_append (expected, point);
      else
        g_string_append_c (expected, *p);
    }
  g_assert_cmpstr (got, ==, expected->str);
}

/* ---- for people ----------------------------------------------------------------- */

static void
test_c_locale (void)
{
  g_autoptr(GDateTime) dt = sample_time ();
  g_autofree char *number = NULL, *zero = NULL, *none = NULL, *count = NULL, *quantity = NULL;
  g_autofree char *date = NULL, *date_time = NULL;
  /* what dl_format_iso_date () leaves as it is */
  const char *not_dates[] = { "", "2026-11-3", "2026-13-01", "2026-02-30", "2026/11/30", "20261130xx",
                              "tomorrow" };

  if (!use_locale ("C"))
    return;
  number = dl_format_number (1234.5, 1);
  zero = dl_format_number (-0.04, 1);
  none = dl_format_number (NAN, 2);
  count = dl_format_count (1234567);
  quantity = dl_format_quantity (12192, 0, "mm");
  date = dl_format_date (dt);
  date_time = dl_format_date_time (dt);

  g_assert_cmpstr (number, ==, "1234.5");
  g_assert_cmpstr (zero, ==, "0.0");
  g_assert_cmpstr (none, ==, "—");
  g_assert_cmpstr (count, ==, "1234567");
  g_assert_cmpstr (quantity, ==, "12192 mm");
  /* the C locale has no convention of its own: ISO 8601 */
  g_assert_cmpstr (date, ==, "2026-11-30");
  g_assert_cmpstr (date_time, ==, "2026-11-30 14:05:09");
  g_assert_cmpstr (dl_format_list_separator (), ==, ", ");
  for (guint i = 0; i < G_N_ELEMENTS (not_dates); i++)
    {
      g_autofree char *same = dl_format_iso_date (not_dates[i]);

      g_assert_cmpstr (same, ==, not_dates[i]);
    }
}

static void
test_nl (void)
{
  g_autoptr(GDateTime) dt = sample_time ();
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *sep = NULL, *point = NULL, *number = NULL, *count = NULL, *kg = NULL;
  g_autofree char *date_time = NULL, *expected = NULL, *expected_local = NULL, *local_text = NULL;
  g_autoptr(DlAnnotations) marks = dl_annotations_new ();
  const DlPoint ruler[] = { { 10.25, 40 }, { 2010.25, 40 } };
  g_autofree char *caption = NULL, *manifest_date = NULL;

  if (!use_nl ())
    return;
  point = g_strdup (localeconv ()->decimal_point);
  sep = g_strdup (localeconv ()->thousands_sep);
  g_test_message ("nl_NL: decimal point “%s”, thousands separator “%s”", point, sep);
  /* the decimal comma itself, and some grouping (glibc: “.”) */
  g_assert_cmpstr (point, ==, ",");
  g_assert_cmpstr (sep, !=, "");

  number = dl_format_number (1234.5, 1);
  count = dl_format_count (1234567);
  kg = dl_format_quantity (21800.25, 2, "kg");
  assert_grouped (number, "1G234P5", sep, point);
  g_assert_nonnull (strstr (number, ",5"));
  assert_grouped (count, "1G234G567", sep, point);
  assert_grouped (kg, "21G800P25 kg", sep, point);
  g_assert_cmpstr (dl_format_list_separator (), ==, "; ");

  /* a ruler of 2 000 px at 5 mm: 10 000 mm, grouped */
  dl_annotations_add (marks, DL_ANNOTATION_RULER, 0, ruler, 2, "");
  caption = dl_mark_caption (dl_annotations_get (marks, 0), 5, 5);
  assert_grouped (caption, "10G000 mm", sep, point);

  /* the date in nl_NL's order (LC_TIME: %d-%m-%y), the year in full */
  date_time = dl_format_date_time (dt);
  expected = expected_date_time (dt);
  g_assert_cmpstr (date_time, ==, expected);
  g_assert_true (g_str_has_prefix (date_time, "30-11-2026 "));
  manifest_date = dl_format_iso_date ("2026-11-30");
  g_assert_true (g_str_has_prefix (expected, manifest_date));
  g_assert_cmpstr (manifest_date, ==, "30-11-2026");
  /* shown in local time when converted first: the time zone, not the format */
  local = g_date_time_to_local (dt);
  local_text = dl_format_date_time (local);
  expected_local = expected_date_time (local);
  g_assert_cmpstr (local_text, ==, expected_local);
}

static void
test_en (void)
{
  g_autoptr(GDateTime) dt = sample_time ();
  g_autofree char *sep = NULL, *point = NULL, *number = NULL, *count = NULL;
  g_autofree char *date_time = NULL, *expected = NULL, *manifest_date = NULL;

  if (!have_en)
    {
      g_test_skip ("en_US.UTF-8 could not be made (localedef and the Debian package “locales”)");
      return;
    }
  if (!use_locale ("en_US.UTF-8"))
    return;
  point = g_strdup (localeconv ()->decimal_point);
  sep = g_strdup (localeconv ()->thousands_sep);
  g_assert_cmpstr (point, ==, ".");

  number = dl_format_number (1234.5, 1);
  count = dl_format_count (1234567);
  assert_grouped (number, "1G234P5", sep, point);
  assert_grouped (count, "1G234G567", sep, point);
  g_assert_cmpstr (dl_format_list_separator (), ==, ", ");

  date_time = dl_format_date_time (dt);
  expected = expected_date_time (dt);
  g_assert_cmpstr (date_time, ==, expected);
  g_assert_nonnull (strstr (date_time, "2026"));
  manifest_date = dl_format_iso_date ("2026-11-30");
  g_assert_true (g_str_has_prefix (expected, manifest_date));
}

/* ---- for programs ----------------------------------------------------------------- */

static DlManifest *
sample_manifest (void)
{
  DlManifest *m = dl_manifest_new ();

  m->message_id = g_strdup ("DL00000042");
  m->date = g_strdup ("2026-11-22");
  m->port_of_loading = g_strdup ("CNSHA");
  m->port_of_discharge = g_strdup ("NLRTM");
  dl_manifest_add_container (m, "CSQU3054383", "42G1", TRUE);
  dl_manifest_add_goods (m, "CSQU3054383", "401110", "New pneumatic tyres", 120, "PK", 1080.5);
  dl_manifest_add_goods (m, "CSQU3054383", "100630", "Rice, milled", 200, "BG", 10000.25);
  return m;
}

static void
assert_goods_kg (GPtrArray *manifests)
{
  DlManifest *m;

  g_assert_nonnull (manifests);
  g_assert_cmpuint (manifests->len, ==, 1);
  m = g_ptr_array_index (manifests, 0);
  g_assert_cmpuint (m->goods->len, ==, 2);
  g_assert_cmpfloat (((DlManifestGoods *) g_ptr_array_index (m->goods, 0))->gross_kg, ==, 1080.5);
  /* CUSCAR carries one decimal; JSON and CSV all of it */
  g_assert_cmpfloat (fabs (((DlManifestGoods *) g_ptr_array_index (m->goods, 1))->gross_kg - 10000.25), <=, 0.05);
}

/* JSON, CSV and CUSCAR: byte for byte the same in nl_NL as in C, and read
 * back as written. */
static void
test_manifest_formats (void)
{
  g_autoptr(DlManifest) m = sample_manifest ();
  g_autofree char *json_c = NULL, *csv_c = NULL, *edi_c = NULL;
  g_autofree char *json_nl = NULL, *csv_nl = NULL, *edi_nl = NULL;
  const char *texts[3];

  if (!use_locale ("C"))
    return;
  json_c = dl_manifest_to_json (m);
  csv_c = dl_manifest_to_csv (m);
  edi_c = dl_manifest_to_cuscar (m);
  if (!use_nl ())
    return;
  json_nl = dl_manifest_to_json (m);
  csv_nl = dl_manifest_to_csv (m);
  edi_nl = dl_manifest_to_cuscar (m);

  g_assert_nonnull (strstr (json_nl, "1080.5"));
  g_assert_nonnull (strstr (csv_nl, "1080.5"));
  g_assert_nonnull (strstr (edi_nl, "KGM:1080.5"));
  g_assert_null (strstr (edi_nl, "1080,5"));
  g_assert_cmpstr (json_nl, ==, json_c);
  g_assert_cmpstr (csv_nl, ==, csv_c);
  g_assert_cmpstr (edi_nl, ==, edi_c);

  texts[0] = json_nl;
  texts[1] = csv_nl;
  texts[2] = edi_nl;
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) back = dl_manifest_load_bytes (texts[i], strlen (texts[i]), &error);

      g_assert_no_error (error);
      assert_goods_kg (back);
    }
}

/* The synthetic scan's description is JSON the TIFF reader parses for I0:
 * made in nl_NL it is the same text, and still gives I0 = 60 000. */
static DlSynthOutput *
synth_in_both (const char *dir)
{
  g_autoptr(DlSynthOutput) in_c = NULL;
  g_autoptr(DlSynthOutput) in_nl = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *description;

  g_assert_nonnull (setlocale (LC_ALL, "C"));
  in_c = dl_synth_generate ("empty-20ft", 1, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (setlocale (LC_ALL, "nl_NL.UTF-8"));
  in_nl = dl_synth_generate ("empty-20ft", 1, FALSE, &error);
  g_assert_no_error (error);

  description = dl_scan_get_metadata (in_nl->scan, "description");
  g_test_message ("%s", description);
  g_assert_cmpstr (description, ==, dl_scan_get_metadata (in_c->scan, "description"));
  g_assert_nonnull (strstr (description, "\"low\": 1.5"));
  g_assert_true (json_parser_load_from_data (parser, description, -1, &error));
  g_assert_no_error (error);
  g_assert_true (dl_synth_write (in_nl, dir, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&in_nl);
}

static gboolean
not_loading (gpointer data)
{
  return !dl_session_get_loading (data);
}

/* The status line in nl_NL: grouped pixels, decimal commas, and the two
 * millimetre figures kept apart by “; ”. */
static void
assert_status_line (const char *path)
{
  g_autoptr(DlSession) s = dl_session_new ();
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  g_autofree char *point = NULL;
  g_autofree char *sep = g_strdup (localeconv ()->thousands_sep);
  g_autoptr(GString) expected = g_string_new (NULL);

  dl_session_open (s, path);
  while (!not_loading (s))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_nonnull (dl_session_get_scan (s));
  point = dl_session_describe_point (s, 0, 1234.7, 20.2);
  g_test_message ("%s", point);
  g_string_append_printf (expected, "x 1%s234, y 20 px (6%s172,5; 102,5 mm)", sep, sep);
  g_assert_true (g_str_has_prefix (point, expected->str));
  g_assert_nonnull (strstr (point, "(density "));
}

/* A case file written in nl_NL: the manifest, marks and hints in its
 * hashed events keep their '.', and it verifies, also in C. */
static void
assert_case_file (const char    *dir,
                  const char    *scan_path,
                  DlConsistency *result)
{
  g_autofree char *id_dir = g_build_filename (dir, "identity", NULL);
  g_autofree char *path = g_build_filename (dir, "nl.dlcase", NULL);
  g_autoptr(DlIdentity) me = NULL;
  g_autoptr(DlCaseFile) file = NULL;
  g_autoptr(DlManifest) m = sample_manifest ();
  g_autoptr(DlAnnotations) marks = dl_annotations_new ();
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(DlManifest) back = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *case_id = NULL, *scan_id = NULL, *hints = NULL, *stored = NULL;
  char kg[G_ASCII_DTOSTR_BUF_SIZE];
  const DlPoint ruler[] = { { 10.25, 40.75 }, { 2010.25, 40.75 } };
  gboolean seen_manifest = FALSE, seen_mark = FALSE, seen_hints = FALSE;

  me = dl_identity_load_from_dir (id_dir, "anna", "Anna Jansen", &error);
  g_assert_no_error (error);
  file = dl_case_file_create (path, me, &error);
  g_assert_no_error (error);
  case_id = dl_case_file_new_case (file, "CSQU3054383", &error);
  g_assert_no_error (error);
  scan_id = dl_case_file_add_scan (file, case_id, scan_path, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (dl_case_file_set_manifest (file, case_id, m, &error));
  g_assert_no_error (error);
  dl_annotations_add (marks, DL_ANNOTATION_RULER, 0, ruler, 2, "wand");
  g_assert_true (dl_case_file_set_annotations (file, scan_id, marks, &error));
  g_assert_no_error (error);
  hints = dl_consistency_to_json (result);
  g_assert_true (dl_case_file_set_hints (file, case_id, hints, &error));
  g_assert_no_error (error);

  events = dl_case_file_get_events (file, case_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      const DlCaseEvent *e = g_ptr_array_index (events, i);

      g_test_message ("%s: %.200s", e->kind, e->payload);
      if (g_str_equal (e->kind, "manifest"))
        {
          seen_manifest = TRUE;
          g_assert_nonnull (strstr (e->payload, "1080.5"));
          g_assert_null (strstr (e->payload, "1080,5"));
        }
      else if (g_str_equal (e->kind, "annotation"))
        {
          seen_mark = TRUE;
          g_assert_nonnull (strstr (e->payload, "10.25"));
          g_assert_nonnull (strstr (e->payload, "40.75"));
          g_assert_null (strstr (e->payload, "10,25"));
        }
      else if (g_str_equal (e->kind, "hints"))
        {
          seen_hints = TRUE;
          g_ascii_formatd (kg, sizeof kg, "%.1f", round (result->cargo_kg * 10) / 10);
          g_assert_nonnull (strstr (e->payload, kg));
        }
    }
  g_assert_true (seen_manifest && seen_mark && seen_hints);
  stored = dl_case_file_get_hints (file, case_id, &error);
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, stored, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (json_object_get_double_member (json_node_get_object (json_parser_get_root (parser)), "cargo_kg"),
                     ==, round (result->cargo_kg * 10) / 10);

  back = dl_case_file_get_manifest (file, case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (((DlManifestGoods *) g_ptr_array_index (back->goods, 0))->gross_kg, ==, 1080.5);
  g_assert_true (dl_case_file_close (file, &error));
  g_assert_no_error (error);

  /* the hashes and signatures made in nl_NL hold in either locale */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(DlVerifyReport) r = NULL;

      g_assert_nonnull (setlocale (LC_ALL, i == 0 ? "nl_NL.UTF-8" : "C"));
      r = dl_case_file_verify_path (path, &error);
      g_assert_no_error (error);
      for (guint k = 0; k < r->problems->len; k++)
        g_test_message ("%s", ((DlVerifyProblem *) g_ptr_array_index (r->problems, k))->message);
      g_assert_cmpuint (r->problems->len, ==, 0);
      g_assert_cmpuint (r->n_events, >=, 5);
    }
}

/* `doorlicht-cli info` in nl_NL prints JSON with '.' (its own setlocale
 * (LC_ALL, "") takes nl_NL from the environment). */
static void
assert_cli_info (const char *scan_path)
{
  const char *cli = g_getenv ("DL_CLI");
  const char *argv[] = { cli, "info", scan_path, NULL };
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  JsonObject *root;
  int status = 0;

  if (cli == NULL || !g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_message ("no doorlicht-cli (DL_CLI): its JSON is not checked");
      return;
    }
  envp = g_environ_setenv (envp, "LC_ALL", "nl_NL.UTF-8", TRUE);
  envp = g_environ_setenv (envp, "LOCPATH", locale_dir, TRUE);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, envp, 0, NULL, NULL, &out, &err,
                               &status, &error));
  g_assert_no_error (error);
  g_test_message ("%s", err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpfloat (json_object_get_double_member (root, "pixel_pitch_mm"), ==, 5.0);
  g_assert_nonnull (strstr (out, "\"pixel_pitch_mm\" : 5.0"));
  /* the air value comes from the description written in nl_NL */
  g_assert_nonnull (strstr (out, "\"air_value\" : 60000.0"));
}

static void
test_scan_formats (void)
{
  g_autofree char *dir = g_build_filename (tmpdir, "scan", NULL);
  g_autoptr(DlSynthOutput) out = NULL;
  g_autoptr(DlScan) scan = NULL;
  g_autoptr(DlConsistency) result = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL, *tif = NULL, *tif_name = NULL, *json = NULL;
  JsonObject *root;

  if (!use_nl ())
    return;
  out = synth_in_both (dir);
  base = dl_synth_basename (out);
  tif_name = g_strconcat (base, ".tif", NULL);
  tif = g_build_filename (dir, tif_name, NULL);

  scan = dl_scan_load_file (tif, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (dl_plane_get_i0 (dl_scan_get_plane (scan, 0, 0)), ==, 60000);

  /* the consistency check's JSON (`doorlicht-cli check`) */
  result = dl_consistency_check (scan, dl_calibration_get_default (), out->manifest, &error);
  g_assert_no_error (error);
  json = dl_consistency_to_json (result);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpfloat (result->cargo_kg, >, 0);
  g_assert_cmpfloat (json_object_get_double_member (root, "cargo_kg"), ==, round (result->cargo_kg * 10) / 10);
  g_assert_cmpfloat (json_object_get_double_member (root, "cargo_kg_sigma"), ==,
                     round (result->cargo_kg_sigma * 10) / 10);

  assert_status_line (tif);
  assert_case_file (dir, tif, result);
  assert_cli_info (tif);
}

int
main (int argc, char **argv)
{
  const char *builddir;
  int status;

  g_test_init (&argc, &argv, NULL);

  tmpdir = g_dir_make_tmp ("dl-format-XXXXXX", NULL);
  builddir = g_getenv ("G_TEST_BUILDDIR");
  locale_dir = builddir ? g_build_filename (builddir, "locale", NULL)
                        : g_build_filename (tmpdir, "locale", NULL);
  have_nl = make_locale ("nl_NL");
  have_en = make_locale ("en_US");
  /* from here setlocale () finds locales only there (and "C") */
  g_setenv ("LOCPATH", locale_dir, TRUE);

  g_test_add_func ("/format/c", test_c_locale);
  g_test_add_func ("/format/nl", test_nl);
  g_test_add_func ("/format/en", test_en);
  g_test_add_func ("/format/machine/manifest", test_manifest_formats);
  g_test_add_func ("/format/machine/scan-case-cli", test_scan_formats);

  status = g_test_run ();
  setlocale (LC_ALL, "C");
  if (tmpdir)
    {
      const char *rm[] = { "rm", "-rf", tmpdir, NULL };

      g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
    }
  g_free (tmpdir);
  g_free (locale_dir);
  return status;
}
