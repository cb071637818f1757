/* test-dicom-reader.c — DICOM read through the sandboxed reader program
 * (dl-dicom.h, dl-dicom-wire.h): its answers checked before use, a
 * reader that crashes, runs out of memory or writes nonsense contained
 * and reported, the sandbox closed to files and the network, and the
 * real reader on small files of its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dl-dicom-scan.h"
#include "dl-dicom-wire.h"
#include "dl-sandbox.h"
#include "dl-scan.h"

static const guint8 pixels[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

static int
pixels_fd (gsize length)
{
  int fd = memfd_create ("test-pixels", MFD_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, pixels, MIN (length, sizeof pixels)), ==, (gssize) MIN (length, sizeof pixels));
  g_assert_cmpint (ftruncate (fd, (off_t) length), ==, 0);
  return fd;
}

/* An answer as the reader writes one for a 4 × 2 16-bit image, with
 * @change applied to its root. */
typedef void (*Change) (JsonObject *root);

static char *
answer (Change change)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  DlDicomImage image = { 4, 2, 1, 1, 16, 12, 11, FALSE, "MONOCHROME1", 1, 0, "1.2.840.10008.1.2.1",
                         "Explicit VR Little Endian", FALSE, FALSE, 16, 16 };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "protocol");
  json_builder_add_string_value (b, DL_DICOM_WIRE_PROTOCOL);
  json_builder_set_member_name (b, "open");
  dl_dicom_wire_add_status (b, DL_DICOM_OK, NULL);
  json_builder_set_member_name (b, "elements");
  json_builder_begin_array (b);
  json_builder_begin_array (b);
  json_builder_add_int_value (b, 0x0008);
  json_builder_add_int_value (b, 0x0060);
  json_builder_add_string_value (b, "DX");
  json_builder_end_array (b);
  json_builder_begin_array (b);
  json_builder_add_int_value (b, 0x7fe0);
  json_builder_add_int_value (b, 0x0010);
  json_builder_add_null_value (b);
  json_builder_end_array (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "image");
  dl_dicom_wire_add_status (b, DL_DICOM_OK, NULL);
  json_builder_set_member_name (b, "description");
  dl_dicom_wire_add_image (b, &image);
  json_builder_set_member_name (b, "decode");
  dl_dicom_wire_add_status (b, DL_DICOM_OK, NULL);
  json_builder_set_member_name (b, "tdr");
  json_builder_add_null_value (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  if (change)
    change (json_node_get_object (root));
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static void
test_answer_valid (void)
{
  g_autofree char *text = answer (NULL), *detail = NULL, *modality = NULL;
  int fd = pixels_fd (16);
  DlDicomStatus status;
  g_autoptr(DlDicom) dicom = dl_dicom_from_answer (text, strlen (text), fd, &status, &detail);
  DlDicomImage image;
  guint8 out[16];

  close (fd);   /* what was taken is the library's own copy of the descriptor */
  g_assert_nonnull (dicom);
  modality = dl_dicom_dup_string (dicom, 0x0008, 0x0060);
  g_assert_cmpstr (modality, ==, "DX");
  g_assert_true (dl_dicom_has_element (dicom, 0x7fe0, 0x0010));
  g_assert_null (dl_dicom_dup_string (dicom, 0x7fe0, 0x0010));
  g_assert_false (dl_dicom_has_element (dicom, 0x0028, 0x3000));
  g_assert_true (dl_dicom_get_image (dicom, &image, &status, &detail));
  g_assert_cmpuint (image.columns, ==, 4);
  g_assert_cmpuint (image.bits_stored, ==, 12);
  g_assert_cmpstr (image.photometric, ==, "MONOCHROME1");
  g_assert_cmpuint (dl_dicom_decode (dicom, out, sizeof out, &detail), ==, DL_DICOM_OK);
  g_assert_cmpmem (out, sizeof out, pixels, sizeof pixels);
}

static void
no_description (JsonObject *root)
{
  json_object_set_null_member (root, "description");
}

static void
wrong_protocol (JsonObject *root)
{
  json_object_set_string_member (root, "protocol", "doorlicht-dicom-read/9");
}

static void
bad_tag (JsonObject *root)
{
  JsonArray *e = json_array_get_array_element (json_object_get_array_member (root, "elements"), 0);

  json_array_remove_element (e, 0);
  json_array_add_int_element (e, 0x10000);
}

static void
columns_text (JsonObject *root)
{
  json_object_set_string_member (json_object_get_object_member (root, "description"), "columns", "4");
}

static void
negative_length (JsonObject *root)
{
  json_object_set_int_member (json_object_get_object_member (root, "description"), "buffer_length", -16);
}

static void
unknown_status (JsonObject *root)
{
  json_object_set_string_member (json_object_get_object_member (root, "decode"), "status", "fine");
}

static void
tdr_not_one (JsonObject *root)
{
  json_object_set_array_member (root, "tdr", json_array_new ());
}

static void
assert_answer_refused (const char *text,
                       gsize       pixels_length)
{
  int fd = pixels_fd (pixels_length);
  g_autofree char *detail = NULL, *shown = g_strescape (text, NULL);
  DlDicomStatus status = DL_DICOM_OK;
  DlDicom *dicom = dl_dicom_from_answer (text, strlen (text), fd, &status, &detail);

  close (fd);
  g_test_message ("%.60s: %s", shown, detail ? detail : "(none)");
  g_assert_null (dicom);
  g_assert_cmpuint (status, ==, DL_DICOM_READER_FAILED);
  g_assert_nonnull (strstr (detail, DL_DICOM_WIRE_PROTOCOL));
}

/* Each change makes an answer the library refuses, naming the protocol;
 * so do texts that are no answer, and a good answer beside a memory file
 * one byte short of the image. */
static void
test_answer_refused (void)
{
  const Change changes[] = { no_description, wrong_protocol, bad_tag, columns_text, negative_length,
                             unknown_status, tdr_not_one };
  const char *texts[] = { "", "{", "[]", "{\"protocol\": \"doorlicht-dicom-read/1\"}", "\xff\xfe{}" };
  g_autofree char *good = answer (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
    {
      g_autofree char *text = answer (changes[i]);

      assert_answer_refused (text, 16);
    }
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    assert_answer_refused (texts[i], 16);
  assert_answer_refused (good, 15);
}

/* ---- a reader that fails ------------------------------------------------------------ */

static void
use_probe (void)
{
  const char *probe = g_getenv ("DL_DICOM_READER_PROBE");

  g_assert_nonnull (probe);
  g_setenv ("DOORLICHT_DICOM_READER", probe, TRUE);
}

static char *
open_refused (const char    *content,
              DlDicomStatus  expected)
{
  DlDicomStatus status = DL_DICOM_OK;
  char *detail = NULL;
  DlDicom *dicom = dl_dicom_open ((const guint8 *) content, strlen (content), 1 << 20, NULL, &status, &detail);

  g_assert_null (dicom);
  g_assert_cmpuint (status, ==, expected);
  g_assert_nonnull (detail);
  g_test_message ("%s: %s", content, detail);
  return detail;
}

static void
test_contained (void)
{
  g_autofree char *reader = g_strdup (g_getenv ("DOORLICHT_DICOM_READER"));
  g_autofree char *aborted = NULL, *segv = NULL, *exited = NULL, *junk = NULL, *silent = NULL, *hog = NULL;

  use_probe ();
  aborted = open_refused ("abort", DL_DICOM_READER_FAILED);
  g_assert_nonnull (strstr (aborted, "signal 6"));
  segv = open_refused ("segv", DL_DICOM_READER_FAILED);
  g_assert_nonnull (strstr (segv, "signal 11"));
  exited = open_refused ("exit3", DL_DICOM_READER_FAILED);
  g_assert_nonnull (strstr (exited, "exit status 3"));
  junk = open_refused ("junk", DL_DICOM_READER_FAILED);
  g_assert_nonnull (strstr (junk, DL_DICOM_WIRE_PROTOCOL));
  silent = open_refused ("silent", DL_DICOM_READER_FAILED);
  g_assert_nonnull (strstr (silent, DL_DICOM_WIRE_PROTOCOL));
  /* the limit is 512 MiB and some for so small a file: malloc fails there */
  hog = open_refused ("hog", DL_DICOM_READER_FAILED);
  g_assert_nonnull (strstr (hog, "exit status 7"));
  g_setenv ("DOORLICHT_DICOM_READER", reader, TRUE);
}

static gpointer
cancel_soon (gpointer data)
{
  g_usleep (300 * G_TIME_SPAN_MILLISECOND);
  g_cancellable_cancel (data);
  return NULL;
}

/* A reader that runs on is stopped when the caller cancels (the analyst
 * went on to the next scan), and the scan reader says "cancelled". */
static void
test_cancelled (void)
{
  g_autofree char *reader = g_strdup (g_getenv ("DOORLICHT_DICOM_READER"));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) bytes = g_bytes_new_static ("sleep", 5);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  GThread *thread;
  DlScan *scan;

  use_probe ();
  thread = g_thread_new ("cancel", cancel_soon, cancellable);
  scan = dl_dicom_load_bytes (bytes, "sleep.dcm", NULL, NULL, NULL, cancellable, &error);
  g_thread_join (thread);
  g_assert_null (scan);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* the probe sleeps a minute: it was stopped, not waited for */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_TIME_SPAN_SECOND);
  g_setenv ("DOORLICHT_DICOM_READER", reader, TRUE);
}

/* What the scan reader makes of it: an error that says the reader
 * stopped, or that it is missing, with the file's name. */
static void
test_scan_error (void)
{
  g_autofree char *reader = g_strdup (g_getenv ("DOORLICHT_DICOM_READER"));
  g_autoptr(GError) error = NULL, missing = NULL;
  static const char crash[] = "not a word of the probe's";
  g_autoptr(GByteArray) file = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  static const guint8 zeros[128];
  DlScan *scan;

  g_byte_array_append (file, zeros, sizeof zeros);
  g_byte_array_append (file, (const guint8 *) "DICM", 4);
  g_byte_array_append (file, (const guint8 *) crash, sizeof crash);
  bytes = g_bytes_new (file->data, file->len);
  use_probe ();
  /* the probe reads the word at the start: zeros are none of its words, so it exits 8 */
  scan = dl_scan_load_bytes (bytes, "crash.dcm", NULL, NULL, NULL, NULL, &error);
  g_assert_null (scan);
  g_assert_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "crash.dcm"));
  g_assert_nonnull (strstr (error->message, "the DICOM reader stopped on it"));
  g_setenv ("DOORLICHT_DICOM_READER", "/nonexistent/doorlicht-dicom-reader", TRUE);
  scan = dl_scan_load_bytes (bytes, "crash.dcm", NULL, NULL, NULL, NULL, &missing);
  g_assert_null (scan);
  g_assert_error (missing, DL_SCAN_ERROR, DL_SCAN_ERROR_IO);
  g_assert_nonnull (strstr (missing->message, "/nonexistent/doorlicht-dicom-reader"));
  g_setenv ("DOORLICHT_DICOM_READER", reader, TRUE);
}

/* In the sandbox the reader sees no file but /usr and cannot reach the
 * network: the probe tries a file beside this test and a socket. */
static void
test_sandboxed (void)
{
  g_autofree char *reader = g_strdup (g_getenv ("DOORLICHT_DICOM_READER"));
  g_autofree char *here = g_test_build_filename (G_TEST_BUILT, "test-dicom-reader", NULL);
  g_autofree char *content = g_strdup_printf ("escape %s\n", here);
  g_autofree char *detail = NULL;
  g_autoptr(GError) error = NULL;

  if (!dl_sandbox_check (&error))
    {
      g_test_skip (error->message);
      return;
    }
  use_probe ();
  detail = open_refused (content, DL_DICOM_DAMAGED);
  g_assert_nonnull (strstr (detail, "No such file or directory"));
  g_assert_null (strstr (detail, "opened"));
  g_assert_null (strstr (detail, "connected"));
  g_setenv ("DOORLICHT_DICOM_READER", reader, TRUE);
}

/* ---- the real reader ------------------------------------------------------------------- */

static GBytes *
regression_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fuzz-regressions", "dicom", name, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &data, &length, &error));
  return g_bytes_new_take (data, length);
}

static void
test_real_reader (void)
{
  g_autoptr(GBytes) valid = regression_file ("tiny-valid.dcm"), lie = regression_file ("rows-lie.dcm");
  g_autoptr(GError) error = NULL, refused = NULL;
  g_autoptr(DlScan) scan = dl_scan_load_bytes (valid, "tiny-valid.dcm", NULL, NULL, NULL, NULL, &error);
  g_autoptr(DlDicom) small = NULL;
  g_autofree char *detail = NULL;
  DlDicomImage image;
  DlDicomStatus status;
  guint8 out[32];
  DlScan *none;

  g_assert_no_error (error);
  g_assert_cmpuint (dl_scan_get_plane_at (scan, 0)->width, ==, 4);
  g_assert_cmpuint (dl_scan_get_plane_at (scan, 0)->height, ==, 4);
  none = dl_scan_load_bytes (lie, "rows-lie.dcm", NULL, NULL, NULL, NULL, &refused);
  g_assert_null (none);
  g_assert_error (refused, DL_SCAN_ERROR, DL_SCAN_ERROR_CORRUPT);
  /* decoding is left out above the limit given, and said so */
  small = dl_dicom_open (g_bytes_get_data (valid, NULL), g_bytes_get_size (valid), 8, NULL, &status, &detail);
  g_assert_nonnull (small);
  g_assert_true (dl_dicom_get_image (small, &image, &status, &detail));
  g_assert_cmpuint (image.buffer_length, ==, 32);
  g_assert_cmpuint (dl_dicom_decode (small, out, sizeof out, &detail), ==, DL_DICOM_NO_MEMORY);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dicom-reader/answer/valid", test_answer_valid);
  g_test_add_func ("/dicom-reader/answer/refused", test_answer_refused);
  g_test_add_func ("/dicom-reader/contained", test_contained);
  g_test_add_func ("/dicom-reader/scan-error", test_scan_error);
  g_test_add_func ("/dicom-reader/cancelled", test_cancelled);
  g_test_add_func ("/dicom-reader/sandboxed", test_sandboxed);
  g_test_add_func ("/dicom-reader/real", test_real_reader);
  return g_test_run ();
}
