/* dl-dicos-write.c — a view of a scan as a DICOS DX image: what can be
 * written is checked here (in C, with translated errors), GDCM writes it
 * (dl_dicom_write_dx () in dl-dicom.cc).
 *
 * Two energies are one object of two frames, high and low as the scan's
 * channels are, named in the Frame Label Vector: the pyDICOS samples
 * carry one energy per single-frame object and say nothing of which
 * energy it is, so a file of this program names its frames instead
 * (dl-dicom-scan.c reads them back as the channels of one view).  The
 * samples are written as stored: the DX IOD fixes Rescale Slope at 1 and
 * Intercept at 0, so a plane whose stored values map to other values
 * (scale ≠ 1 or offset ≠ 0, from a float or signed source) is refused
 * rather than written with its values changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-dicom"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "dl-dicom.h"
#include "dl-dicos-write.h"
#include "dl-hash.h"

/* Pixel Data's length is 32 bits, even in explicit VR. */
#define MAX_PIXEL_BYTES (G_GUINT64_CONSTANT (0xfffffffe))

static gboolean
check_planes (DlScan      *scan,
              guint        view,
              const char  *path,
              GError     **error)
{
  guint n = dl_scan_get_n_channels (scan, view);
  const DlPlane *first = n ? dl_scan_get_plane (scan, view, 0) : NULL;

  if (first == NULL)
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED,
                   _("Cannot write “%s”: the scan has no view %u"), path, view);
      return FALSE;
    }
  if (first->width > G_MAXUINT16 || first->height > G_MAXUINT16
      || (guint64) first->width * first->height * n * 2 > MAX_PIXEL_BYTES)
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_TOO_LARGE,
                   _("Cannot write “%s”: a DICOS image holds at most 65 535 × 65 535 pixels and 4 GiB of samples, the view is %u × %u in %u channels"),
                   path, first->width, first->height, n);
      return FALSE;
    }
  for (guint c = 0; c < n; c++)
    {
      const DlPlane *p = dl_scan_get_plane (scan, view, c);

      if (p->width != first->width || p->height != first->height)
        {
          g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED,
                       _("Cannot write “%s”: the channels “%s” and “%s” differ in size, and the frames of one DICOS image cannot"),
                       path, first->name, p->name);
          return FALSE;
        }
      if (p->scale != 1 || p->offset != 0)
        {
          g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED,
                       _("Cannot write “%s”: the channel “%s” stands for values %g × sample + %g, and a DICOS DX image holds the samples’ own values only"),
                       path, p->name, p->scale, p->offset);
          return FALSE;
        }
    }
  return TRUE;
}

/* A channel's name as a Frame Label Vector value (SH: 16 characters, no
 * backslash, no control character). */
static gboolean
check_label (const char  *name,
             const char  *path,
             GError     **error)
{
  gboolean ok = g_utf8_strlen (name, -1) <= 16 && name[0] != '\0' && strlen (name) <= 64;

  for (const char *c = name; ok && *c; c++)
    ok = *c != '\\' && !g_ascii_iscntrl (*c);
  if (!ok)
    g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED,
                 _("Cannot write “%s”: the channel name “%s” is not a DICOM frame label (1 to 16 characters, no backslash)"),
                 path, name);
  return ok;
}

static gboolean
check_folder (const char  *path,
              GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               _("Cannot write “%s”: the folder “%s” does not exist"), path, dir);
  return FALSE;
}

static void
describe_dx (DlScan    *scan,
             guint      view,
             DlDicomDx *dx)
{
  const DlPlane *first = dl_scan_get_plane (scan, view, 0);
  double x = 0, y = 0;

  memset (dx, 0, sizeof *dx);
  dx->sop_class_uid = DL_DICOS_DX_PROCESSING_UID;
  dx->columns = first->width;
  dx->rows = first->height;
  dx->frames = dl_scan_get_n_channels (scan, view);
  if (dl_scan_get_pixel_pitch (scan, &x, &y))
    {
      dx->row_spacing_mm = y;
      dx->column_spacing_mm = x;
    }
  dx->manufacturer = dl_scan_get_metadata (scan, "make");
  dx->model = dl_scan_get_metadata (scan, "model");
  dx->serial = dl_scan_get_metadata (scan, "serial");
  dx->software = dl_scan_get_metadata (scan, "software");
  dx->description = dl_scan_get_metadata (scan, "description");
  dx->ooi_type = dl_scan_get_metadata (scan, "ooi-type");
  dx->ooi_id = dl_scan_get_metadata (scan, "ooi-id");
}

/* Writes one object of GDCM's (dl_dicom_write_dx () or _tdr ()) to @tmp. */
typedef gboolean (*WriteFunc) (gconstpointer   object,
                               const char     *tmp,
                               char          **uid,
                               char          **detail);

static gboolean
write_dx_object (gconstpointer   object,
                 const char     *tmp,
                 char          **uid,
                 char          **detail)
{
  return dl_dicom_write_dx (object, tmp, uid, detail);
}

static gboolean
write_tdr_object (gconstpointer   object,
                  const char     *tmp,
                  char          **uid,
                  char          **detail)
{
  return dl_dicom_write_tdr (object, "Doorlicht " PACKAGE_VERSION, tmp, uid, detail);
}

/* GDCM writes @tmp; it is synced and renamed over @path. */
static gboolean
write_and_rename (WriteFunc       write,
                  gconstpointer   object,
                  const char     *tmp,
                  const char     *path,
                  char          **uid,
                  GError        **error)
{
  g_autofree char *detail = NULL;
  int fd, saved;

  if (!write (object, tmp, uid, &detail))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not write “%s”: %s"), path, detail ? detail : "GDCM");
      return FALSE;
    }
  fd = g_open (tmp, O_RDONLY, 0);
  if (fd >= 0 && fsync (fd) == 0 && close (fd) == 0 && g_rename (tmp, path) == 0)
    return TRUE;
  saved = errno;
  if (fd >= 0)
    close (fd);
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               _("Could not write “%s”: %s"), path, g_strerror (saved));
  return FALSE;
}

/* @object written to @path atomically; its SOP Instance UID in @uid. */
static gboolean
write_file (WriteFunc       write,
            gconstpointer   object,
            const char     *path,
            char          **uid,
            GError        **error)
{
  g_autofree char *tmp = g_strdup_printf ("%s.XXXXXX", path);
  int fd = g_mkstemp_full (tmp, O_RDWR, 0644);
  int saved = errno;

  if (fd < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  if (!write_and_rename (write, object, tmp, path, uid, error))
    {
      g_unlink (tmp);
      return FALSE;
    }
  return TRUE;
}

/**
 * dl_dicos_uid_for_sha256:
 * @sha256: the lower-case hex SHA-256 of a scan file
 * @view: its view
 *
 * The SOP Instance UID of view @view of that scan as a DICOS image: "2.25."
 * and the first 128 bits of SHA-256 ("doorlicht-dicos-uid/1\n" @sha256
 * "\n" @view "\n") in decimal, as DICOM's UUID-derived UIDs are (at
 * most 44 characters).  The same file's view has always the same UID.
 */
char *
dl_dicos_uid_for_sha256 (const char *sha256,
                         guint       view)
{
  g_autofree char *text = NULL;
  guint8 digest[DL_SHA256_LENGTH];
  unsigned __int128 n = 0;
  char digits[48];
  int at = sizeof digits - 1;

  g_return_val_if_fail (sha256 != NULL, NULL);

  text = g_strdup_printf ("doorlicht-dicos-uid/1\n%s\n%u\n", sha256, view);
  dl_sha256_digest (text, strlen (text), digest);
  for (guint i = 0; i < 16; i++)
    n = n << 8 | digest[i];
  digits[at] = '\0';
  do
    digits[--at] = (char) ('0' + (int) (n % 10));
  while ((n /= 10) != 0);
  return g_strconcat ("2.25.", digits + at, NULL);
}

gboolean
dl_dicos_write_dx (DlScan      *scan,
                   guint        view,
                   const char  *path,
                   GError     **error)
{
  g_autofree const guint16 **data = NULL;
  g_autofree const char **labels = NULL;
  g_autofree char *derived = NULL;
  g_autofree char *uid = NULL;
  DlDicomDx dx;
  guint n;

  g_return_val_if_fail (DL_IS_SCAN (scan) && path != NULL, FALSE);

  if (!check_folder (path, error) || !check_planes (scan, view, path, error))
    return FALSE;
  n = dl_scan_get_n_channels (scan, view);
  data = g_new0 (const guint16 *, n);
  labels = g_new0 (const char *, n);
  for (guint c = 0; c < n; c++)
    {
      const DlPlane *p = dl_scan_get_plane (scan, view, c);

      if (!check_label (p->name, path, error))
        return FALSE;
      data[c] = p->data;
      labels[c] = p->name;
    }
  describe_dx (scan, view, &dx);
  dx.data = data;
  dx.labels = labels;
  if (dl_scan_get_sha256 (scan) != NULL)
    derived = dl_dicos_uid_for_sha256 (dl_scan_get_sha256 (scan), view);
  dx.sop_instance_uid = derived;
  if (!write_file (write_dx_object, &dx, path, &uid, error))
    return FALSE;
  dl_scan_set_metadata (scan, "sop-instance-uid", uid);
  return TRUE;
}

/* ---- threat detection reports -------------------------------------------- */

/* A UID: 1 to 64 digits and dots. */
static gboolean
is_uid (const char *s)
{
  gsize n = s ? strlen (s) : 0;

  if (n == 0 || n > 64)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]) && s[i] != '.')
      return FALSE;
  return TRUE;
}

/* Text for a single-valued LO/PN/CS: at most @max characters, no
 * backslash (the value separator), no control character. */
static gboolean
is_short_text (const char *s,
               glong       max)
{
  if (s == NULL)
    return TRUE;
  if (!g_utf8_validate (s, -1, NULL) || g_utf8_strlen (s, -1) > max)
    return FALSE;
  for (const char *c = s; *c; c++)
    if (*c == '\\' || g_ascii_iscntrl (*c))
      return FALSE;
  return TRUE;
}

static gboolean
check_threat (const DlDicosThreat  *t,
              const char           *path,
              GError              **error)
{
  const char *why = NULL;

  if (!is_uid (t->referenced_sop_instance_uid) || !is_uid (t->referenced_sop_class_uid))
    why = _("its image’s SOP class or instance UID is missing or not a UID");
  else if (t->id > G_MAXUINT16)
    why = _("its number is over 65 535");
  else if (t->n_dims == 1 || t->n_dims > 3)
    why = _("its box has neither 2 nor 3 dimensions");
  else if (t->polygon && t->polygon->len % 2 != 0)
    why = _("its outline has an odd number of coordinates");
  else if (!is_short_text (t->source, 64) || !is_short_text (t->responder, 64)
           || !is_short_text (t->response, 16) || !is_short_text (t->category, 16)
           || !is_short_text (t->assessment, 16))
    why = _("a name or code in it is longer than DICOM holds or contains a backslash");
  else if (t->category_description && (!g_utf8_validate (t->category_description, -1, NULL)
                                       || strlen (t->category_description) > 10240))
    why = _("its description is over 10 240 bytes");
  if (why == NULL)
    return TRUE;
  g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED,
               _("Cannot write “%s”: threat %u: %s"), path, t->id, why);
  return FALSE;
}

static gboolean
check_tdr (const DlDicosTdr  *tdr,
           const char        *path,
           GError           **error)
{
  if (tdr->tdr_type == NULL || !is_short_text (tdr->tdr_type, 16)
      || !is_short_text (tdr->alarm_decision, 16) || !is_short_text (tdr->verdict, 16)
      || !is_short_text (tdr->operator_id, 64) || !is_short_text (tdr->ooi_type, 16))
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED,
                   _("Cannot write “%s”: the report’s type, decision, operator or object type is missing, too long or contains a backslash"),
                   path);
      return FALSE;
    }
  if (tdr->threats->len > G_MAXUINT16)
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_TOO_LARGE,
                   _("Cannot write “%s”: a threat detection report holds at most 65 535 threats, this one has %u"),
                   path, tdr->threats->len);
      return FALSE;
    }
  for (guint i = 0; i < tdr->threats->len; i++)
    if (!check_threat (g_ptr_array_index (tdr->threats, i), path, error))
      return FALSE;
  return TRUE;
}

/**
 * dl_dicos_write_tdr:
 * @tdr: the report; its sop_instance_uid is replaced by the one written
 *
 * Writes @tdr to @path as a DICOS Threat Detection Report, atomically.
 * What DICOM cannot hold as it is (a name over 64 characters, a
 * backslash in a single value, an odd outline, more than 65 535 threats)
 * is refused, never cut.
 */
gboolean
dl_dicos_write_tdr (DlDicosTdr  *tdr,
                    const char  *path,
                    GError     **error)
{
  g_autofree char *uid = NULL;

  g_return_val_if_fail (tdr != NULL && path != NULL, FALSE);

  if (!check_folder (path, error) || !check_tdr (tdr, path, error)
      || !write_file (write_tdr_object, tdr, path, &uid, error))
    return FALSE;
  g_free (tdr->sop_instance_uid);
  tdr->sop_instance_uid = g_steal_pointer (&uid);
  return TRUE;
}
