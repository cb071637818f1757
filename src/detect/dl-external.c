/* dl-external.c — external detector programs in a bubblewrap sandbox
 * (dl-external.h, docs/detector-protocol.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-external"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dl-external.h"
#include "dl-hash.h"
#include "dl-json-check.h"
#include "dl-regular-file.h"
#include "dl-sandbox.h"
#include "dl-text.h"
#include "dl-tiff.h"
#include "dl-tiff-write.h"

#define MAX_DESCRIPTION (1024 * 1024)

typedef struct
{
  char    *program;
  double   time_limit_s;
  gint64   memory_limit_mib;
} External;

static void
external_free (gpointer data)
{
  External *e = data;

  g_free (e->program);
  g_free (e);
}

static gboolean external_run (DlDetector *, DlDetectInput *, JsonObject *, GPtrArray *, GPtrArray *,
                              GCancellable *, GError **);

static const DlDetectorVTable external_vtable = { external_run };

gboolean
dl_detector_is_external (DlDetector *detector)
{
  g_return_val_if_fail (DL_IS_DETECTOR (detector), FALSE);
  return dl_detector_get_program_sha256 (detector) != NULL;
}

/* ---- the description ------------------------------------------------------------- */

static gboolean
valid_name (const char *name)
{
  if (name == NULL || !g_ascii_islower (name[0]) || strlen (name) > 32)
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

static gboolean
bad (GError    **error,
     const char *path,
     const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("The detector description “%s” is not valid: %s"), path, what);
  return FALSE;
}

/* The SHA-256 of the file at @path, or NULL with @error. */
static char *
hash_file (const char *path,
           GError    **error)
{
  g_autoptr(GMappedFile) map = dl_map_regular_file (path, 0, error);

  if (map == NULL)
    return NULL;
  return dl_sha256_hex (g_mapped_file_get_contents (map), g_mapped_file_get_length (map));
}

static gboolean
check_members (JsonObject *root,
               const char *path,
               GError    **error)
{
  static const char *const known[] = { "format", "name", "version", "summary", "program", "parameters",
                                       "time_limit_s", "memory_limit_mib", NULL };
  g_autoptr(GList) names = json_object_get_members (root);

  for (GList *l = names; l; l = l->next)
    if (!g_strv_contains (known, l->data))
      {
        g_autofree char *what = g_strdup_printf (_("unknown member “%s”"), (const char *) l->data);
        return bad (error, path, what);
      }
  return TRUE;
}

static const char *
string_member (JsonObject *root,
               const char *name)
{
  JsonNode *n = json_object_get_member (root, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gboolean
number_member (JsonObject *root,
               const char *name,
               double     *value)
{
  JsonNode *n = json_object_get_member (root, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n)
      || (json_node_get_value_type (n) != G_TYPE_INT64 && json_node_get_value_type (n) != G_TYPE_DOUBLE))
    return FALSE;
  *value = json_node_get_double (n);
  return isfinite (*value);
}

static gboolean
read_limits (JsonObject *root,
             const char *path,
             External   *e,
             GError    **error)
{
  double mib;

  if (!number_member (root, "time_limit_s", &e->time_limit_s) || e->time_limit_s <= 0 || e->time_limit_s > 3600)
    return bad (error, path, _("“time_limit_s” must be a number of seconds above 0 and at most 3600"));
  if (!number_member (root, "memory_limit_mib", &mib) || mib != floor (mib) || mib < 16 || mib > 1024 * 1024)
    return bad (error, path, _("“memory_limit_mib” must be a whole number of MiB from 16 to 1048576"));
  e->memory_limit_mib = (gint64) mib;
  return TRUE;
}

static gboolean
check_program (const char *program,
               const char *path,
               GError    **error)
{
  g_autofree char *what = NULL;

  if (program == NULL || !g_path_is_absolute (program))
    return bad (error, path, _("“program” must be an absolute path"));
  if (!g_file_test (program, G_FILE_TEST_IS_REGULAR) || !g_file_test (program, G_FILE_TEST_IS_EXECUTABLE))
    {
      what = g_strdup_printf (_("the program “%s” is not an executable file"), program);
      return bad (error, path, what);
    }
  return TRUE;
}

static DlDetector *
detector_from_object (JsonObject *root,
                      const char *path,
                      GError    **error)
{
  External limits = { NULL, 0, 0 }, *e;
  const char *name = string_member (root, "name"), *version = string_member (root, "version");
  JsonNode *params = json_object_get_member (root, "parameters");
  g_autofree char *sha = NULL;
  DlDetector *d;

  if (!check_members (root, path, error))
    return NULL;
  if (g_strcmp0 (string_member (root, "format"), DL_EXTERNAL_FORMAT) != 0)
    return bad (error, path, _("“format” is not “doorlicht-detector/1”")), NULL;
  if (!valid_name (name))
    return bad (error, path, _("“name” must be a short lower-case word (a–z, 0–9, “-”, “_”)")), NULL;
  if (version == NULL || *version == '\0' || strlen (version) > 64 || strpbrk (version, "\n\r") != NULL)
    return bad (error, path, _("“version” must be a short string")), NULL;
  if (json_object_has_member (root, "summary") && string_member (root, "summary") == NULL)
    return bad (error, path, _("“summary” must be a string")), NULL;
  if (params != NULL && !JSON_NODE_HOLDS_OBJECT (params))
    return bad (error, path, _("“parameters” must be an object")), NULL;
  if (!read_limits (root, path, &limits, error) || !check_program (string_member (root, "program"), path, error))
    return NULL;
  if ((sha = hash_file (string_member (root, "program"), error)) == NULL)
    return NULL;
  e = g_memdup2 (&limits, sizeof limits);
  e->program = g_strdup (string_member (root, "program"));
  d = dl_detector_new (name, version, string_member (root, "summary"), params ? json_node_get_object (params) : NULL,
                       &external_vtable, e, external_free);
  dl_detector_set_program_sha256 (d, sha);
  return d;
}

DlDetector *
dl_external_detector_load (const char *path,
                           GError    **error)
{
  g_autoptr(GMappedFile) map = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if ((map = dl_map_regular_file (path, MAX_DESCRIPTION, &local)) == NULL)
    {
      g_set_error (error, local->domain, local->code, _("The detector description “%s”: %s"), path, local->message);
      return NULL;
    }
  text = g_strndup (g_mapped_file_get_contents (map), g_mapped_file_get_length (map));
  if (strlen (text) != g_mapped_file_get_length (map) || !g_utf8_validate (text, -1, NULL))
    return bad (error, path, _("it is not UTF-8 text")), NULL;
  if ((root = dl_json_object_parse (text, _("The text"), &local)) == NULL)
    return bad (error, path, local->message), NULL;
  return detector_from_object (root, path, error);
}

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

GPtrArray *
dl_external_detectors_load_dir (const char *dir,
                                GError    **error)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) detectors = g_ptr_array_new_with_free_func (g_object_unref);
  const char *name;

  if (d == NULL)
    return NULL;
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      DlDetector *det = dl_external_detector_load (g_ptr_array_index (names, i), error);

      if (det == NULL)
        return NULL;
      if (dl_detectors_find (detectors, dl_detector_get_name (det)))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       _("The detector description “%s” names the detector “%s” a second time"),
                       (const char *) g_ptr_array_index (names, i), dl_detector_get_name (det));
          g_object_unref (det);
          return NULL;
        }
      g_ptr_array_add (detectors, det);
    }
  return g_steal_pointer (&detectors);
}

/* ---- the scan handed over ----------------------------------------------------------- */

typedef struct
{
  int     fd;
  guint64 size;
  char   *sha256;
} ScanFile;

static void
scan_file_clear (ScanFile *f)
{
  if (f->fd >= 0)
    close (f->fd);
  f->fd = -1;
  g_clear_pointer (&f->sha256, g_free);
}

/* The scan's own file when it is a TIFF with the bytes the scan was read
 * from; FALSE (no error) when it is not. */
static gboolean
open_source (DlScan   *scan,
             ScanFile *f)
{
  const char *path = dl_scan_get_source_path (scan), *sha = dl_scan_get_sha256 (scan);
  g_autoptr(GMappedFile) map = NULL;
  g_autofree char *have = NULL;

  if (path == NULL || sha == NULL || (map = dl_map_regular_file (path, 0, NULL)) == NULL)
    return FALSE;
  if (!dl_tiff_is_tiff ((const guint8 *) g_mapped_file_get_contents (map), g_mapped_file_get_length (map)))
    return FALSE;
  have = dl_sha256_hex (g_mapped_file_get_contents (map), g_mapped_file_get_length (map));
  if (g_ascii_strcasecmp (have, sha) != 0 || (f->fd = open (path, O_RDONLY | O_CLOEXEC)) < 0)
    return FALSE;
  f->size = g_mapped_file_get_length (map);
  f->sha256 = g_steal_pointer (&have);
  return TRUE;
}

/* Otherwise the scan written as a TIFF to a file removed at once. */
static gboolean
write_scan (DlScan   *scan,
            ScanFile *f,
            GError  **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GMappedFile) map = NULL;
  int fd = g_file_open_tmp ("doorlicht-scan-XXXXXX.tiff", &path, error);

  if (fd < 0)
    return FALSE;
  close (fd);
  if (!dl_tiff_write_scan (scan, path, error) || (map = dl_map_regular_file (path, 0, error)) == NULL)
    {
      g_unlink (path);
      return FALSE;
    }
  f->fd = open (path, O_RDONLY | O_CLOEXEC);
  g_unlink (path);
  if (f->fd < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s", g_strerror (errno));
      return FALSE;
    }
  f->size = g_mapped_file_get_length (map);
  f->sha256 = dl_sha256_hex (g_mapped_file_get_contents (map), f->size);
  return TRUE;
}

/* ---- the request ------------------------------------------------------------------ */

static void
add_scan (JsonBuilder    *b,
          DlScan         *scan,
          const ScanFile *f)
{
  DlPlane *plane = dl_scan_get_plane_at (scan, 0);
  double px = 0, py = 0;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "fd");
  json_builder_add_int_value (b, 3);
  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, (gint64) f->size);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "tiff");
  json_builder_set_member_name (b, "sha256");
  json_builder_add_string_value (b, f->sha256);
  json_builder_set_member_name (b, "width");
  json_builder_add_int_value (b, plane ? plane->width : 0);
  json_builder_set_member_name (b, "height");
  json_builder_add_int_value (b, plane ? plane->height : 0);
  json_builder_set_member_name (b, "views");
  json_builder_add_int_value (b, dl_scan_get_n_views (scan));
  json_builder_set_member_name (b, "pitch_mm");
  if (dl_scan_get_pixel_pitch (scan, &px, &py))
    {
      json_builder_begin_array (b);
      json_builder_add_double_value (b, px);
      json_builder_add_double_value (b, py);
      json_builder_end_array (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
}

static char *
make_request (DlDetectInput  *input,
              const ScanFile *f,
              JsonObject     *parameters,
              GError        **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  DlManifest *manifest = dl_detect_input_get_manifest (input);
  JsonNode *params = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (params, dl_json_object_copy (parameters));
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "protocol");
  json_builder_add_string_value (b, DL_EXTERNAL_PROTOCOL);
  json_builder_set_member_name (b, "scan");
  add_scan (b, dl_detect_input_get_scan (input), f);
  json_builder_set_member_name (b, "manifest");
  if (manifest)
    {
      g_autofree char *text = dl_manifest_to_json (manifest);
      g_autoptr(JsonObject) object = dl_json_object_parse (text, "manifest", error);
      JsonNode *node;

      if (object == NULL)
        return json_node_unref (params), NULL;
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_set_object (node, object);
      json_builder_add_value (b, node);
    }
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "parameters");
  json_builder_add_value (b, params);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

/* ---- what came back ------------------------------------------------------------------ */

/* What went wrong, in a sentence without the detector's name; NULL when
 * the program ended well. */
static char *
child_failure (const DlSandboxResult *c,
               const External        *e)
{
  int signal = dl_sandbox_result_signal (c);

  if (c->timed_out)
    return g_strdup_printf (_("it did not finish within its time limit of %g s and was stopped"), e->time_limit_s);
  if (c->too_long)
    return g_strdup_printf (_("it wrote more than %u MiB on stdout and was stopped"),
                            (guint) (DL_EXTERNAL_MAX_STDOUT >> 20));
  if (signal != 0)
    return g_strdup_printf (_("it was stopped by signal %d (%s); its memory limit is %u MiB"),
                            signal, g_strsignal (signal), (guint) e->memory_limit_mib);
  if (!WIFEXITED (c->status) || WEXITSTATUS (c->status) != 0)
    return g_strdup_printf (_("it ended with exit status %d (its memory limit is %u MiB)"),
                            WIFEXITED (c->status) ? WEXITSTATUS (c->status) : -1, (guint) e->memory_limit_mib);
  return NULL;
}

static gboolean
fail (DlDetector            *detector,
      const DlSandboxResult *c,
      const char            *what,
      GError               **error)
{
  g_autofree char *tail = c ? dl_sandbox_stderr_tail (c) : g_strdup ("");

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The external detector “%s” failed: %s%s"),
               dl_detector_get_name (detector), what, tail);
  return FALSE;
}

static gboolean
read_findings (DlDetector            *detector,
               const DlSandboxResult *c,
               GPtrArray             *findings,
               GError               **error)
{
  g_autoptr(GPtrArray) read = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *what = NULL, *why = NULL;
  const char *text = (const char *) c->stdout_bytes->data;
  gsize n = c->stdout_bytes->len;

  if (n == 0)
    return fail (detector, c, _("it wrote nothing"), error);
  if ((why = dl_json_refusal (text, n)) == NULL && (read = dl_findings_from_json (text, n, &local)) == NULL)
    why = g_strdup (local->message);
  if (why)
    {
      what = g_strdup_printf (_("its output is not valid “doorlicht-findings/1” JSON: %s"), why);
      return fail (detector, c, what, error);
    }
  for (guint i = 0; i < read->len; i++)
    g_ptr_array_add (findings, g_steal_pointer (&read->pdata[i]));
  g_ptr_array_set_free_func (read, NULL);
  return TRUE;
}

static gboolean
run_sandboxed (DlDetector     *detector,
               const External *e,
               const ScanFile *f,
               const char     *request,
               GPtrArray      *findings,
               GCancellable   *cancellable,
               GError        **error)
{
  const DlSandboxSpec spec = {
    .program = e->program, .bind_as = "/detector/program", .fds = &f->fd, .n_fds = 1,
    .request = request, .time_limit_s = e->time_limit_s, .memory_limit_mib = (guint64) e->memory_limit_mib,
    .max_stdout = DL_EXTERNAL_MAX_STDOUT,
  };
  DlSandboxResult c = { 0 };
  g_autoptr(GError) local = NULL;
  g_autofree char *what = NULL;
  gboolean ok;

  if (!dl_sandbox_run (&spec, &c, cancellable, &local))
    {
      dl_sandbox_result_clear (&c);
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      return fail (detector, NULL, local->message, error);
    }
  if ((what = child_failure (&c, e)) != NULL)
    ok = fail (detector, &c, what, error);
  else
    ok = read_findings (detector, &c, findings, error);
  dl_sandbox_result_clear (&c);
  return ok;
}

static gboolean
external_run (DlDetector    *detector,
              DlDetectInput *input,
              JsonObject    *parameters,
              GPtrArray     *findings,
              GPtrArray     *notes,
              GCancellable  *cancellable,
              GError       **error)
{
  const External *e = dl_detector_get_data (detector);
  ScanFile f = { -1, 0, NULL };
  g_autoptr(GError) local = NULL;
  g_autofree char *sha = NULL, *request = NULL;
  gboolean ok;

  if ((sha = hash_file (e->program, &local)) == NULL)
    return fail (detector, NULL, local->message, error);
  if (strcmp (sha, dl_detector_get_program_sha256 (detector)) != 0)
    return fail (detector, NULL, _("its program changed since it was loaded (its SHA-256 differs)"), error);
  if (!open_source (dl_detect_input_get_scan (input), &f) && !write_scan (dl_detect_input_get_scan (input), &f, &local))
    return fail (detector, NULL, local->message, error);
  if ((request = make_request (input, &f, parameters, &local)) == NULL)
    ok = fail (detector, NULL, local->message, error);
  else
    ok = run_sandboxed (detector, e, &f, request, findings, cancellable, error);
  scan_file_clear (&f);
  return ok;
}

/* ---- whether it can run here -------------------------------------------------------- */

gboolean
dl_external_sandbox_check (GError **error)
{
  return dl_sandbox_check (error);
}
