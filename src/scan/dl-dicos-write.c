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

/* GDCM writes @tmp; it is synced and renamed over @path. */
static gboolean
write_and_rename (const DlDicomDx  *dx,
                  const char       *tmp,
                  const char       *path,
                  char            **uid,
                  GError          **error)
{
  g_autofree char *detail = NULL;
  int fd, saved;

  if (!dl_dicom_write_dx (dx, tmp, uid, &detail))
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

static gboolean
write_file (DlScan     *scan,
            DlDicomDx  *dx,
            const char *path,
            GError    **error)
{
  g_autofree char *tmp = g_strdup_printf ("%s.XXXXXX", path);
  g_autofree char *uid = NULL;
  int fd = g_mkstemp_full (tmp, O_RDWR, 0644);
  int saved = errno;

  if (fd < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  if (!write_and_rename (dx, tmp, path, &uid, error))
    {
      g_unlink (tmp);
      return FALSE;
    }
  dl_scan_set_metadata (scan, "sop-instance-uid", uid);
  return TRUE;
}

gboolean
dl_dicos_write_dx (DlScan      *scan,
                   guint        view,
                   const char  *path,
                   GError     **error)
{
  g_autofree const guint16 **data = NULL;
  g_autofree const char **labels = NULL;
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
  return write_file (scan, &dx, path, error);
}
