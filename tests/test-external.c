/* test-external.c — external detectors (dl-external.h): descriptions read
 * strictly, and the probe program (tests/detector-probe.c) run in the
 * sandbox: every escape it tries fails, its report comes back as figures,
 * and the time limit, the memory limit, bad output and a failing exit each
 * give their error with no findings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "dl-external.h"
#include "dl-hash.h"
#include "dl-synth.h"
#include "dl-tiff-write.h"

static const char *
probe_path (void)
{
  const char *path = g_getenv ("DL_DETECTOR_PROBE");

  g_assert_nonnull (path);
  return path;
}

/* A description of the probe in @dir as @file, with @time_s and @mib. */
static char *
write_description (const char *dir,
                   const char *file,
                   const char *name,
                   double      time_s,
                   int         mib)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  char seconds[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_dtostr (seconds, sizeof seconds, time_s);
  json = g_strdup_printf ("{\"format\": \"doorlicht-detector/1\", \"name\": \"%s\", \"version\": \"0.1\","
                          " \"program\": \"%s\", \"parameters\": {\"mode\": \"report\", \"build\": \"\","
                          " \"home\": \"\"}, \"time_limit_s\": %s, \"memory_limit_mib\": %d}",
                          name, probe_path (), seconds, mib);
  g_file_set_contents (path, json, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static char *
make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("test-external-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static DlDetector *
load_probe (double time_s,
            int    mib)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = write_description (dir, "probe.json", "probe", time_s, mib);
  g_autoptr(GError) error = NULL;
  DlDetector *d = dl_external_detector_load (path, &error);

  g_assert_no_error (error);
  remove_dir (dir);
  return d;
}

static gboolean
sandbox_or_skip (void)
{
  g_autoptr(GError) error = NULL;

  if (dl_external_sandbox_check (&error))
    return TRUE;
  g_test_skip (error->message);
  return FALSE;
}

static void
set_mode (DlDetector *d,
          const char *mode)
{
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (values, "mode", mode);
  json_object_set_string_member (values, "build", g_getenv ("G_TEST_BUILDDIR"));
  json_object_set_string_member (values, "home", g_get_home_dir ());
  g_assert_true (dl_detector_set_parameters (d, values, &error));
  g_assert_no_error (error);
}

static DlDetectInput *
slab_input (void)
{
  g_autoptr(DlSynthOutput) out = dl_synth_slab (DL_MATERIAL_WATER, 10, 1);

  return dl_detect_input_new (out->scan, NULL, NULL, dl_calibration_get_default (), NULL);
}

static GPtrArray *
run_probe (DlDetector    *d,
           DlDetectInput *input,
           GError       **error)
{
  return dl_detector_run (d, input, NULL, NULL, error);
}

/* Every escape the probe tries is refused; its report is the finding. */
static void
assert_contained (GPtrArray *findings)
{
  const char *const tried[] = { "tcp", "udp", "/etc/passwd", "/root", "/home", "/proc/self/status", "/sys",
                                "build", "home", NULL };
  DlFinding *f;

  g_assert_cmpuint (findings->len, ==, 1);
  f = g_ptr_array_index (findings, 0);
  g_assert_cmpstr (f->kind, ==, "probe");
  g_assert_cmpstr (json_object_get_string_member (f->figures, "scan"), ==, "TIFF, read-only");
  for (guint i = 0; tried[i]; i++)
    {
      const char *what = json_object_get_string_member_with_default (f->figures, tried[i], "missing");

      g_test_message ("%s: %s", tried[i], what);
      g_assert_true (g_str_has_prefix (what, "refused: "));
    }
  g_assert_cmpstr (json_object_get_string_member (f->figures, "env_home"), ==, "unset");
}

static void
test_contained (void)
{
  g_autoptr(DlDetector) d = NULL;
  g_autoptr(DlDetectInput) input = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  DlFinding *f;

  if (!sandbox_or_skip ())
    return;
  d = load_probe (20, 256);
  set_mode (d, "report");
  input = slab_input ();
  findings = run_probe (d, input, &error);
  g_assert_no_error (error);
  assert_contained (findings);
  g_assert_true (g_file_get_contents (probe_path (), &contents, &length, NULL));
  sha = dl_sha256_hex (contents, length);
  f = g_ptr_array_index (findings, 0);
  g_assert_cmpstr (f->program_sha256, ==, sha);
  g_assert_cmpstr (f->detector, ==, "probe");
  g_assert_cmpstr (f->detector_version, ==, "0.1");
  g_assert_cmpstr (json_object_get_string_member (f->parameters, "mode"), ==, "report");
}

/* A scan read from a TIFF file is handed over as that file. */
static void
test_scan_file (void)
{
  g_autoptr(DlSynthOutput) out = dl_synth_slab (DL_MATERIAL_WATER, 10, 1);
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "scan.tiff", NULL);
  g_autoptr(DlScan) scan = NULL;
  g_autoptr(DlDetector) d = NULL;
  g_autoptr(DlDetectInput) input = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;

  if (!sandbox_or_skip ())
    return;
  g_assert_true (dl_tiff_write_scan (out->scan, path, &error));
  scan = dl_scan_load_file (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  d = load_probe (20, 256);
  set_mode (d, "report");
  input = dl_detect_input_new (scan, NULL, NULL, dl_calibration_get_default (), NULL);
  findings = run_probe (d, input, &error);
  g_assert_no_error (error);
  assert_contained (findings);
  remove_dir (dir);
}

/* @mode gives an error naming the detector and containing @expect. */
static void
assert_fails (const char *mode,
              double      time_s,
              int         mib,
              const char *expect,
              const char *expect_stderr)
{
  g_autoptr(DlDetector) d = NULL;
  g_autoptr(DlDetectInput) input = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;

  if (!sandbox_or_skip ())
    return;
  d = load_probe (time_s, mib);
  set_mode (d, mode);
  input = slab_input ();
  findings = run_probe (d, input, &error);
  g_assert_null (findings);
  g_assert_nonnull (error);
  g_test_message ("%s: %s", mode, error->message);
  g_assert_nonnull (strstr (error->message, "“probe”"));
  g_assert_nonnull (strstr (error->message, expect));
  if (expect_stderr)
    g_assert_nonnull (strstr (error->message, expect_stderr));
}

/* The probe sleeps forever: stopped at its limit (were it not, the test
 * would hang until meson's timeout fails it). */
static void
test_timeout (void)
{
  assert_fails ("sleep", 1, 256, "time limit of 1 s", "probe: mode sleep");
}

static void
test_memory_limit (void)
{
  assert_fails ("alloc", 20, 64, "memory limit is 64 MiB", "cannot allocate 2 GiB");
}

static void
test_garbage (void)
{
  assert_fails ("garbage", 20, 256, "not valid “doorlicht-findings/1” JSON", NULL);
}

static void
test_exit_status (void)
{
  assert_fails ("exit3", 20, 256, "exit status 3", "giving up with status 3");
}

/* A crash is said as the signal, though bubblewrap passes it on as exit
 * status 128 + 11. */
static void
test_crash (void)
{
  assert_fails ("crash", 20, 256, "stopped by signal 11", "probe: crashing");
}

/* A program that does not read its request (here longer than a pipe
 * holds) answers all the same; writing to it does not end Doorlicht with
 * SIGPIPE. */
static void
test_unread_request (void)
{
  g_autoptr(DlDetector) d = NULL;
  g_autoptr(DlDetectInput) input = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *long_path = g_strnfill (256 * 1024, 'x');

  if (!sandbox_or_skip ())
    return;
  d = load_probe (20, 256);
  json_object_set_string_member (values, "mode", "noread");
  json_object_set_string_member (values, "build", long_path);
  g_assert_true (dl_detector_set_parameters (d, values, &error));
  input = slab_input ();
  findings = run_probe (d, input, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (findings->len, ==, 0);
}

/* Without bwrap on PATH: an error naming the Debian package. */
static void
test_no_bwrap (void)
{
  g_autofree char *old = g_strdup (g_getenv ("PATH"));
  g_autoptr(DlDetector) d = load_probe (5, 256);
  g_autoptr(DlDetectInput) input = slab_input ();
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;

  g_setenv ("PATH", "/nonexistent", TRUE);
  findings = run_probe (d, input, &error);
  g_setenv ("PATH", old, TRUE);
  g_assert_null (findings);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "bubblewrap"));
}

/* Bad descriptions: a clear error naming the file, never a detector. */
static void
test_bad_descriptions (void)
{
  const char *const bad[] = {
    "not json",
    "[]",
    "{\"format\": \"doorlicht-detector/2\", \"name\": \"a\", \"version\": \"1\", \"program\": \"/usr/bin/true\", \"time_limit_s\": 1, \"memory_limit_mib\": 64}",
    "{\"format\": \"doorlicht-detector/1\", \"name\": \"A b\", \"version\": \"1\", \"program\": \"/usr/bin/true\", \"time_limit_s\": 1, \"memory_limit_mib\": 64}",
    "{\"format\": \"doorlicht-detector/1\", \"name\": \"a\", \"version\": \"1\", \"program\": \"true\", \"time_limit_s\": 1, \"memory_limit_mib\": 64}",
    "{\"format\": \"doorlicht-detector/1\", \"name\": \"a\", \"version\": \"1\", \"program\": \"/nonexistent\", \"time_limit_s\": 1, \"memory_limit_mib\": 64}",
    "{\"format\": \"doorlicht-detector/1\", \"name\": \"a\", \"version\": \"1\", \"program\": \"/usr/bin/true\", \"time_limit_s\": 0, \"memory_limit_mib\": 64}",
    "{\"format\": \"doorlicht-detector/1\", \"name\": \"a\", \"version\": \"1\", \"program\": \"/usr/bin/true\", \"time_limit_s\": 1, \"memory_limit_mib\": \"64\"}",
    "{\"format\": \"doorlicht-detector/1\", \"name\": \"a\", \"version\": \"1\", \"program\": \"/usr/bin/true\", \"time_limit_s\": 1}",
    "{\"format\": \"doorlicht-detector/1\", \"name\": \"a\", \"version\": \"1\", \"program\": \"/usr/bin/true\", \"time_limit_s\": 1, \"memory_limit_mib\": 64, \"parameters\": []}",
    "{\"format\": \"doorlicht-detector/1\", \"name\": \"a\", \"version\": \"1\", \"program\": \"/usr/bin/true\", \"time_limit_s\": 1, \"memory_limit_mib\": 64, \"tiem_limit\": 3}",
  };
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "bad.json", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) detectors = NULL;

      g_assert_true (g_file_set_contents (path, bad[i], -1, NULL));
      detectors = dl_external_detectors_load_dir (dir, &error);
      g_test_message ("%s", error ? error->message : "(loaded)");
      g_assert_null (detectors);
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, path));
    }
  remove_dir (dir);
}

/* A folder's descriptions, in name order; a name twice is refused. */
static void
test_load_dir (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *a = write_description (dir, "b.json", "second", 5, 64);
  g_autofree char *b = write_description (dir, "a.json", "first", 5, 64);
  g_autofree char *c = NULL;
  g_autoptr(GPtrArray) detectors = NULL;
  g_autoptr(GError) error = NULL;

  detectors = dl_external_detectors_load_dir (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (detectors->len, ==, 2);
  g_assert_cmpstr (dl_detector_get_name (g_ptr_array_index (detectors, 0)), ==, "first");
  g_assert_true (dl_detector_is_external (g_ptr_array_index (detectors, 0)));
  g_assert_nonnull (dl_detector_get_program_sha256 (g_ptr_array_index (detectors, 1)));
  g_clear_pointer (&detectors, g_ptr_array_unref);
  c = write_description (dir, "c.json", "first", 5, 64);
  detectors = dl_external_detectors_load_dir (dir, &error);
  g_assert_null (detectors);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/external/descriptions/bad", test_bad_descriptions);
  g_test_add_func ("/external/descriptions/dir", test_load_dir);
  g_test_add_func ("/external/sandbox/contained", test_contained);
  g_test_add_func ("/external/sandbox/scan-file", test_scan_file);
  g_test_add_func ("/external/sandbox/timeout", test_timeout);
  g_test_add_func ("/external/sandbox/memory-limit", test_memory_limit);
  g_test_add_func ("/external/sandbox/garbage", test_garbage);
  g_test_add_func ("/external/sandbox/exit-status", test_exit_status);
  g_test_add_func ("/external/sandbox/crash", test_crash);
  g_test_add_func ("/external/sandbox/unread-request", test_unread_request);
  g_test_add_func ("/external/no-bwrap", test_no_bwrap);
  return g_test_run ();
}
