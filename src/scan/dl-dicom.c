/* dl-dicom.c — DICOM and DICOS read by the DICOM reader program in the
 * sandbox (dl-dicom.h): the file handed over as a sealed memory file,
 * the pixels back in another, the rest as "doorlicht-dicom-read/1" JSON,
 * checked before anything of it is used.
 *
 * The program is $DOORLICHT_DICOM_READER when set, the build tree's for a
 * program run from the build tree, else the installed one in the libexec
 * folder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#define G_LOG_DOMAIN "dl-dicom"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dl-dicom-wire.h"
#include "dl-json-check.h"
#include "dl-sandbox.h"

#define MiB (G_GUINT64_CONSTANT (1) << 20)

struct _DlDicom
{
  GHashTable    *elements;        /* (group << 16 | element) → its text, or NULL */
  DlDicomStatus  image_status;
  char          *image_detail;
  DlDicomImage   image;
  gboolean       have_image;
  gboolean       decoded;         /* the reader decoded the pixels into pixels_fd */
  DlDicomStatus  decode_status;
  char          *decode_detail;
  int            pixels_fd;
  DlDicosTdr    *tdr;
  char          *tdr_detail;
};

static DlDicom *
dicom_new (void)
{
  DlDicom *self = g_new0 (DlDicom, 1);

  self->elements = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->pixels_fd = -1;
  return self;
}

void
dl_dicom_free (DlDicom *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->elements);
  g_free (self->image_detail);
  dl_dicom_wire_image_clear (&self->image);
  g_free (self->decode_detail);
  if (self->pixels_fd >= 0)
    close (self->pixels_fd);
  g_clear_pointer (&self->tdr, dl_dicos_tdr_free);
  g_free (self->tdr_detail);
  g_free (self);
}

/* ---- running the reader ------------------------------------------------------------ */

/* $DOORLICHT_DICOM_READER; the build tree's reader for a program run from
 * the build tree; else the installed one. */
static char *
reader_program (void)
{
  const char *env = g_getenv ("DOORLICHT_DICOM_READER");
  g_autofree char *self = NULL;

  if (env && *env)
    return g_strdup (env);
  self = g_file_read_link ("/proc/self/exe", NULL);
  if (self && g_str_has_prefix (self, DL_BUILD_ROOT "/"))
    return g_build_filename (DL_BUILD_ROOT, "src", "doorlicht-dicom-reader", NULL);
  return g_build_filename (DL_LIBEXECDIR, "doorlicht-dicom-reader", NULL);
}

/* A sealed memory file holding @data. */
static int
file_fd (const guint8 *data,
         gsize         length,
         char        **detail)
{
  int fd = memfd_create ("doorlicht-dicom", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  gsize done = 0;

  while (fd >= 0 && done < length)
    {
      gssize n = write (fd, data + done, MIN (length - done, 1 << 24));

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          close (fd);
          fd = -1;
          break;
        }
      done += (gsize) n;
    }
  if (fd < 0 || fcntl (fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0)
    {
      *detail = g_strdup_printf ("the file could not be handed to the DICOM reader: %s", g_strerror (errno));
      if (fd >= 0)
        close (fd);
      return -1;
    }
  return fd;
}

/* Why the reader did not answer, or NULL when it ended well. */
static char *
reader_failure (const DlSandboxResult *r,
                const DlSandboxSpec   *spec)
{
  g_autofree char *tail = dl_sandbox_stderr_tail (r);
  int signal = dl_sandbox_result_signal (r);

  if (r->timed_out)
    return g_strdup_printf ("it did not finish within %.0f s and was stopped%s", spec->time_limit_s, tail);
  if (r->too_long)
    return g_strdup_printf ("it wrote more than %u MiB and was stopped", (guint) (spec->max_stdout / MiB));
  if (signal != 0)
    return g_strdup_printf ("it was stopped by signal %d (%s) within its memory limit of %" G_GUINT64_FORMAT " MiB%s",
                            signal, g_strsignal (signal), spec->memory_limit_mib, tail);
  if (!WIFEXITED (r->status) || WEXITSTATUS (r->status) != 0)
    return g_strdup_printf ("it ended with exit status %d%s", WIFEXITED (r->status) ? WEXITSTATUS (r->status) : -1,
                            tail);
  return NULL;
}

/* Room for GDCM's copy of the file, its decoding and the decoded pixels. */
static guint64
memory_limit_mib (gsize   length,
                  guint64 max_decode)
{
  return 512 + (3 * (guint64) length + 3 * max_decode) / MiB;
}

static gboolean
run_reader (int              fds[2],
            gsize            length,
            guint64          max_decode,
            GCancellable    *cancellable,
            DlSandboxResult *result,
            DlDicomStatus   *status,
            char           **detail)
{
  g_autofree char *program = reader_program ();
  g_autofree char *arg = g_strdup_printf ("--max-decode=%" G_GUINT64_FORMAT, max_decode);
  const char *args[] = { arg, NULL };
  const DlSandboxSpec spec = {
    .program = program, .bind_as = "/reader/doorlicht-dicom-reader", .args = args, .fds = fds, .n_fds = 2,
    .time_limit_s = 30 + 0.5 * (double) length / MiB, .memory_limit_mib = memory_limit_mib (length, max_decode),
    .max_stdout = DL_DICOM_WIRE_MAX_OUTPUT, .plain_when_unavailable = TRUE,
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;

  if (g_file_test (program, G_FILE_TEST_IS_EXECUTABLE) && !dl_sandbox_run (&spec, result, cancellable, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      *status = DL_DICOM_READER_FAILED;
      *detail = g_strdup (error->message);
      return FALSE;
    }
  if (error || !g_file_test (program, G_FILE_TEST_IS_EXECUTABLE))
    {
      *status = DL_DICOM_NO_READER;
      *detail = g_strdup_printf ("%s: %s", program, error ? error->message : "no such program");
      return FALSE;
    }
  if ((why = reader_failure (result, &spec)) != NULL)
    {
      *status = DL_DICOM_READER_FAILED;
      *detail = g_strdup_printf ("the DICOM reader failed on it: %s", why);
      return FALSE;
    }
  return TRUE;
}

/* ---- what it said ---------------------------------------------------------------- */

static gboolean
take_elements (DlDicom   *self,
               JsonArray *elements)
{
  for (guint i = 0; i < json_array_get_length (elements); i++)
    {
      JsonNode *node = json_array_get_element (elements, i);
      JsonArray *e = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
      JsonNode *value = e && json_array_get_length (e) == 3 ? json_array_get_element (e, 2) : NULL;
      gint64 group, element;

      if (value == NULL || json_node_get_value_type (json_array_get_element (e, 0)) != G_TYPE_INT64
          || json_node_get_value_type (json_array_get_element (e, 1)) != G_TYPE_INT64)
        return FALSE;
      group = json_array_get_int_element (e, 0);
      element = json_array_get_int_element (e, 1);
      if (group < 0 || group > 0xffff || element < 0 || element > 0xffff
          || !(JSON_NODE_HOLDS_NULL (value) || json_node_get_value_type (value) == G_TYPE_STRING))
        return FALSE;
      g_hash_table_insert (self->elements, GUINT_TO_POINTER ((guint) (group << 16 | element)),
                           JSON_NODE_HOLDS_NULL (value) ? NULL : g_strdup (json_node_get_string (value)));
    }
  return TRUE;
}

static JsonObject *
member_object (JsonObject *o,
               const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gboolean
member_is_null (JsonObject *o,
                const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  return node != NULL && JSON_NODE_HOLDS_NULL (node);
}

/* The decoded pixels: exactly the image's length in the memory file. */
static gboolean
take_decode (DlDicom    *self,
             JsonObject *root,
             int         pixels_fd)
{
  JsonObject *decode = member_object (root, "decode");
  struct stat st;

  if (decode == NULL)
    return member_is_null (root, "decode");
  if (!self->have_image || !dl_dicom_wire_read_status (decode, &self->decode_status, &self->decode_detail))
    return FALSE;
  if (self->decode_status != DL_DICOM_OK)
    return TRUE;
  if (fstat (pixels_fd, &st) != 0 || (guint64) st.st_size != self->image.buffer_length)
    return FALSE;
  self->decoded = TRUE;
  self->pixels_fd = dup (pixels_fd);
  return self->pixels_fd >= 0;
}

static gboolean
take_image (DlDicom    *self,
            JsonObject *root,
            int         pixels_fd)
{
  JsonObject *image = member_object (root, "image"), *description = member_object (root, "description");

  if (image == NULL || !dl_dicom_wire_read_status (image, &self->image_status, &self->image_detail))
    return FALSE;
  if (self->image_status == DL_DICOM_OK)
    {
      if (description == NULL || !dl_dicom_wire_read_image (description, &self->image))
        return FALSE;
      self->have_image = TRUE;
    }
  else if (!member_is_null (root, "description"))
    return FALSE;
  return take_decode (self, root, pixels_fd);
}

static gboolean
take_tdr (DlDicom    *self,
          JsonObject *root)
{
  JsonObject *tdr = member_object (root, "tdr");
  DlDicomStatus status;

  if (tdr == NULL)
    return member_is_null (root, "tdr");
  if (json_object_has_member (tdr, "status"))
    return dl_dicom_wire_read_status (tdr, &status, &self->tdr_detail) && self->tdr_detail != NULL;
  self->tdr = dl_dicom_wire_read_tdr (tdr);
  return self->tdr != NULL;
}

static JsonObject *
parse_answer (const char *text,
              gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (dl_json_refused (text, length) || !json_parser_load_from_data (parser, text, length, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return root && JSON_NODE_HOLDS_OBJECT (root) ? json_object_ref (json_node_get_object (root)) : NULL;
}

/* The answer taken in, or FALSE with @status and @detail. */
static gboolean
take_answer (DlDicom       *self,
             const char    *text,
             gsize          length,
             int            pixels_fd,
             DlDicomStatus *status,
             char         **detail)
{
  g_autoptr(JsonObject) root = parse_answer (text, length);
  JsonObject *open = root ? member_object (root, "open") : NULL;
  JsonNode *elements = root ? json_object_get_member (root, "elements") : NULL;
  const char *protocol = root && json_object_has_member (root, "protocol")
                         && json_node_get_value_type (json_object_get_member (root, "protocol")) == G_TYPE_STRING
                         ? json_object_get_string_member (root, "protocol") : NULL;

  if (open == NULL || g_strcmp0 (protocol, DL_DICOM_WIRE_PROTOCOL) != 0
      || !dl_dicom_wire_read_status (open, status, detail))
    goto bad;
  if (*status != DL_DICOM_OK)
    return FALSE;
  if (elements == NULL || !JSON_NODE_HOLDS_ARRAY (elements) || !take_elements (self, json_node_get_array (elements))
      || !take_image (self, root, pixels_fd) || !take_tdr (self, root))
    goto bad;
  return TRUE;

bad:
  g_clear_pointer (detail, g_free);
  *status = DL_DICOM_READER_FAILED;
  *detail = g_strdup ("the DICOM reader's answer is not what it should write (" DL_DICOM_WIRE_PROTOCOL ")");
  return FALSE;
}

DlDicom *
dl_dicom_from_answer (const char    *answer,
                      gsize          length,
                      int            pixels_fd,
                      DlDicomStatus *status,
                      char         **detail)
{
  g_autoptr(DlDicom) self = dicom_new ();

  if (!take_answer (self, answer, length, pixels_fd, status, detail))
    return NULL;
  return g_steal_pointer (&self);
}

DlDicom *
dl_dicom_open (const guint8  *data,
               gsize          length,
               guint64        max_decode,
               GCancellable  *cancellable,
               DlDicomStatus *status,
               char         **detail)
{
  DlSandboxResult result = { 0 };
  int fds[2] = { file_fd (data, length, detail), memfd_create ("doorlicht-pixels", MFD_CLOEXEC) };
  DlDicom *self = NULL;

  *status = DL_DICOM_NO_READER;
  if (fds[0] >= 0 && fds[1] < 0)
    *detail = g_strdup_printf ("no memory file for the decoded pixels: %s", g_strerror (errno));
  if (fds[0] >= 0 && fds[1] >= 0 && run_reader (fds, length, max_decode, cancellable, &result, status, detail))
    self = dl_dicom_from_answer ((const char *) result.stdout_bytes->data, result.stdout_bytes->len, fds[1],
                                 status, detail);
  dl_sandbox_result_clear (&result);
  for (guint i = 0; i < 2; i++)
    if (fds[i] >= 0)
      close (fds[i]);
  return self;
}

/* ---- the API ----------------------------------------------------------------------- */

gboolean
dl_dicom_has_element (DlDicom *self,
                      guint16  group,
                      guint16  element)
{
  return g_hash_table_contains (self->elements, GUINT_TO_POINTER ((guint) group << 16 | element));
}

char *
dl_dicom_dup_string (DlDicom *self,
                     guint16  group,
                     guint16  element)
{
  const char *value = g_hash_table_lookup (self->elements, GUINT_TO_POINTER ((guint) group << 16 | element));

  return value && *value ? g_strdup (value) : NULL;
}

gboolean
dl_dicom_get_image (DlDicom       *self,
                    DlDicomImage  *image,
                    DlDicomStatus *status,
                    char         **detail)
{
  *status = self->image_status;
  if (!self->have_image)
    {
      if (detail && self->image_detail)
        *detail = g_strdup (self->image_detail);
      return FALSE;
    }
  *image = self->image;   /* its strings stay self's */
  return TRUE;
}

static gboolean
read_pixels (int    fd,
             void  *buffer,
             gsize  length)
{
  gsize done = 0;

  while (done < length)
    {
      gssize n = pread (fd, (guint8 *) buffer + done, MIN (length - done, 1 << 26), (off_t) done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      done += (gsize) n;
    }
  return TRUE;
}

DlDicomStatus
dl_dicom_decode (DlDicom *self,
                 void    *buffer,
                 gsize    length,
                 char   **detail)
{
  if (!self->have_image || length != self->image.buffer_length)
    {
      *detail = g_strdup ("the decoded size is not the image's");
      return DL_DICOM_DECODE_FAILED;
    }
  if (self->decode_status != DL_DICOM_OK)
    {
      *detail = g_strdup (self->decode_detail);
      return self->decode_status;
    }
  if (!self->decoded)
    {
      *detail = g_strdup ("the image is larger than the memory allowed for it");
      return DL_DICOM_NO_MEMORY;
    }
  if (!read_pixels (self->pixels_fd, buffer, length))
    {
      *detail = g_strdup_printf ("the decoded pixels could not be read back: %s", g_strerror (errno));
      return DL_DICOM_DECODE_FAILED;
    }
  return DL_DICOM_OK;
}

gboolean
dl_dicom_read_tdr (DlDicom    *self,
                   DlDicosTdr *tdr,
                   char      **detail)
{
  DlDicosTdr *read = self->tdr, before;

  if (read == NULL)
    {
      *detail = g_strdup (self->tdr_detail ? self->tdr_detail : "it is not a threat detection report");
      return FALSE;
    }
  /* the report read goes into @tdr; what @tdr held is freed with the shell */
  before = *tdr;
  *tdr = *read;
  *read = before;
  dl_dicos_tdr_free (read);
  self->tdr = NULL;
  return TRUE;
}
