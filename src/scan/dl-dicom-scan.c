/* dl-dicom-scan.c — DICOM radiographs (DX, CR, RG, XA, CT) and DICOS images
 * (NEMA IIC 1: DX, CT) as scans; GDCM parses and decodes (dl-dicom.cc),
 * this file decides what the samples become.
 *
 * Grayscale only (MONOCHROME1/2, one sample a pixel, 8 or 16 bits
 * allocated, 1 … 16 stored, the high bit at bits stored − 1): palette
 * colour, RGB and YBR are refused.  A sample is the bits-stored bits of
 * its word (bits above are not pixel data, PS3.5 8.1.1); then
 *  - signed (Pixel Representation 1): stored = v + 2^(bits−1);
 *  - MONOCHROME1 (white is low transmission) and CT (values are
 *    attenuation): stored = 2^bits − 1 − that, so that larger is always
 *    more transmission, as DlPlane has it; metadata "photometric";
 *  - scale and offset such that stored × scale + offset is the modality
 *    value, Rescale Slope × v + Rescale Intercept (a Modality LUT Sequence
 *    is not applied: metadata "modality-lut").
 * Frames: each frame of a DX/CR is a view of its own (DICOS writes one
 * energy per object, and nothing in a frame says which energy it is, so
 * no frames are guessed into an energy pair) — unless the Frame Label
 * Vector (0018,2002) names every frame, each differently, as
 * dl-dicos-write.c writes two energies: then the frames are the channels
 * of view 0, named by their labels ("HIGH" and "LOW" in any case as the
 * energy channels "high" and "low").  A CT (several frames, or
 * a DICOS CT) is a volume: its slices are views 1 … N, and view 0 is a
 * projection to look at, the mean of each slice's rows (along y, the
 * beam of a top view), one row per slice; metadata "ct-slices".
 * Pitch from Imager Pixel Spacing (0018,1164), else Pixel Spacing
 * (0028,0030): row spacing is y, column spacing x.  The decoded buffer
 * counts against the memory cap while the planes are filled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-dicom"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "dl-dicom.h"
#include "dl-dicom-scan.h"
#include "dl-tiff.h"

/* No codec DICOM has packs pixels tighter than this: a file declaring
 * more decoded bytes than its own length × this is refused unread. */
#define MAX_COMPRESSION_RATIO 4096

typedef struct
{
  const char   *display;
  DlDicomImage  image;
  guint         bits;
  guint32       mask;
  gboolean      invert;
  gboolean      volume;        /* CT: a projection, then slices */
  double        scale;
  double        offset;
  char        **labels;        /* frames as the channels of one view, or NULL */
} Layout;

gboolean
dl_dicom_is_dicom (const guint8 *data,
                   gsize         length)
{
  return dl_dicom_sniff (data, length);
}

static const char *
status_reason (DlDicomStatus status)
{
  switch (status)
    {
    case DL_DICOM_DAMAGED: return _("damaged or truncated");
    case DL_DICOM_NO_PIXEL_DATA: return _("no pixel data");
    case DL_DICOM_NOT_IMAGE: return _("no image description");
    case DL_DICOM_DECODE_FAILED: return _("the pixel data could not be decoded");
    case DL_DICOM_NO_MEMORY: return _("out of memory");
    case DL_DICOM_READER_FAILED: return _("the DICOM reader stopped on it");
    case DL_DICOM_NO_READER: return _("the DICOM reader could not be started");
    case DL_DICOM_OK:
    default: return "";
    }
}

static void
set_status_error (GError       **error,
                  const char    *display,
                  DlDicomStatus  status,
                  const char    *detail)
{
  int code = status == DL_DICOM_NO_MEMORY ? DL_SCAN_ERROR_TOO_LARGE
             : status == DL_DICOM_NO_READER ? DL_SCAN_ERROR_IO : DL_SCAN_ERROR_CORRUPT;

  if (detail)
    g_set_error (error, DL_SCAN_ERROR, code, _("“%s” is not a DICOM image that can be read (%s): %s"),
                 display, status_reason (status), detail);
  else
    g_set_error (error, DL_SCAN_ERROR, code, _("“%s” is not a DICOM image that can be read (%s)"),
                 display, status_reason (status));
}

/* ---- what the file holds ------------------------------------------------- */

static gboolean
check_not_report (DlDicom     *dicom,
                  const char  *display,
                  GError     **error)
{
  g_autofree char *sop_class = dl_dicom_dup_string (dicom, 0x0008, 0x0016);
  g_autofree char *modality = dl_dicom_dup_string (dicom, 0x0008, 0x0060);

  if (g_strcmp0 (sop_class, DL_DICOS_TDR_SOP_CLASS) == 0 || g_strcmp0 (modality, "TDR") == 0)
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED,
                   _("“%s” is a threat detection report, not an image"), display);
      return FALSE;
    }
  if (!dl_dicom_has_element (dicom, 0x7fe0, 0x0010))
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED,
                   _("“%s” holds no image: it has no Pixel Data (a DICOM object of modality %s)"),
                   display, modality ? modality : "?");
      return FALSE;
    }
  return TRUE;
}

/* Before GDCM builds the image (its palette code asserts on bad LUTs). */
static gboolean
check_photometric (DlDicom     *dicom,
                   const char  *display,
                   GError     **error)
{
  g_autofree char *photometric = dl_dicom_dup_string (dicom, 0x0028, 0x0004);
  g_autofree char *samples = dl_dicom_dup_string (dicom, 0x0028, 0x0002);

  if ((g_strcmp0 (photometric, "MONOCHROME1") == 0 || g_strcmp0 (photometric, "MONOCHROME2") == 0)
      && (samples == NULL || strcmp (samples, "1") == 0))
    return TRUE;
  g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED,
               _("“%s” is a %s image of %s samples a pixel: only grayscale (MONOCHROME1 or MONOCHROME2) is an X-ray scan"),
               display, photometric ? photometric : "?", samples ? samples : "?");
  return FALSE;
}

static gboolean
check_grayscale (const Layout *l,
                 GError      **error)
{
  const DlDicomImage *im = &l->image;

  if (im->samples_per_pixel != 1
      || (strcmp (im->photometric, "MONOCHROME1") != 0 && strcmp (im->photometric, "MONOCHROME2") != 0))
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED,
                   _("“%s” is a %s image of %s samples a pixel: only grayscale (MONOCHROME1 or MONOCHROME2) is an X-ray scan"),
                   l->display, im->photometric[0] ? im->photometric : "?", "≠ 1");
      return FALSE;
    }
  if ((im->bits_allocated != 8 && im->bits_allocated != 16)
      || im->bits_stored < 1 || im->bits_stored > im->bits_allocated
      || im->high_bit != im->bits_stored - 1)
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED,
                   _("“%s” stores %u bits in %u (high bit %u): only up to 16 bits from bit 0 are supported"),
                   l->display, im->bits_stored, im->bits_allocated, im->high_bit);
      return FALSE;
    }
  if (!isfinite (im->slope) || im->slope == 0 || !isfinite (im->intercept))
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_CORRUPT,
                   _("“%s” has a Rescale Slope of %g: no value can be read through it"),
                   l->display, im->slope);
      return FALSE;
    }
  return TRUE;
}

/* The sizes agree with each other and with the file, before anything
 * is allocated. */
static gboolean
check_sizes (const Layout *l,
             gsize         file_length,
             GError      **error)
{
  const DlDicomImage *im = &l->image;
  guint64 expected = (guint64) im->columns * im->rows * im->frames * (im->bits_allocated / 8);

  if (im->columns == 0 || im->rows == 0 || im->frames == 0)
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_CORRUPT,
                   _("“%s” has no pixels (%u × %u, %u frames)"), l->display, im->columns, im->rows, im->frames);
      return FALSE;
    }
  if (im->buffer_length != expected)
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_CORRUPT,
                   _("“%s” is inconsistent: %u × %u pixels in %u frames need %llu bytes, the decoder would give %llu"),
                   l->display, im->columns, im->rows, im->frames, (unsigned long long) expected, (unsigned long long) im->buffer_length);
      return FALSE;
    }
  if (!im->encapsulated && im->pixel_data_length < expected)
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_CORRUPT,
                   _("“%s” is truncated: its pixel data does not hold the %llu bytes its size needs"),
                   l->display, (unsigned long long) expected);
      return FALSE;
    }
  if (im->encapsulated && expected / MAX_COMPRESSION_RATIO > file_length)
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_CORRUPT,
                   _("“%s” declares %u × %u pixels in %u frames, more than its %llu bytes can hold"),
                   l->display, im->columns, im->rows, im->frames, (unsigned long long) file_length);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_memory (const Layout *l,
              guint64       max_memory,
              GError      **error)
{
  const DlDicomImage *im = &l->image;
  guint64 planes = (guint64) im->columns * im->rows * im->frames * sizeof (guint16);
  guint64 need;

  if (l->volume)
    planes += (guint64) im->columns * im->frames * sizeof (guint16);
  need = planes + im->buffer_length;
  if (need > max_memory)
    {
      g_autofree char *need_text = g_format_size (need);
      g_autofree char *cap = g_format_size (max_memory);
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_TOO_LARGE,
                   _("“%s” needs %s of memory to decode, more than the limit of %s (%u × %u pixels, %u frames)"),
                   l->display, need_text, cap, im->columns, im->rows, im->frames);
      return FALSE;
    }
  return TRUE;
}

/* How a word of the file becomes a stored sample, and back (see the top). */
static void
plan_mapping (Layout  *l,
              DlDicom *dicom)
{
  const DlDicomImage *im = &l->image;
  g_autofree char *modality = dl_dicom_dup_string (dicom, 0x0008, 0x0060);
  g_autofree char *sop_class = dl_dicom_dup_string (dicom, 0x0008, 0x0016);
  double min = im->is_signed ? -ldexp (1.0, (int) im->bits_stored - 1) : 0.0;

  l->bits = im->bits_stored;
  l->mask = (guint32) ((G_GUINT64_CONSTANT (1) << l->bits) - 1);
  l->volume = g_strcmp0 (modality, "CT") == 0
              && (im->frames > 1 || g_strcmp0 (sop_class, "1.2.840.10008.5.1.4.1.1.501.1") == 0);
  l->invert = strcmp (im->photometric, "MONOCHROME1") == 0 || g_strcmp0 (modality, "CT") == 0;
  if (l->invert)
    {
      l->scale = -im->slope;
      l->offset = (l->mask + min) * im->slope + im->intercept;
    }
  else
    {
      l->scale = im->slope;
      l->offset = min * im->slope + im->intercept;
    }
}

/* ---- samples ------------------------------------------------------------- */

static inline guint16
map_word (const Layout *l,
          guint32       word)
{
  guint32 v = word & l->mask;

  if (l->image.is_signed)
    v ^= 1u << (l->bits - 1);
  return (guint16) (l->invert ? l->mask - v : v);
}

static void
fill_frame (const Layout *l,
            const guint8 *buffer,
            guint         frame,
            guint16      *out)
{
  gsize n = (gsize) l->image.columns * l->image.rows;

  if (l->image.bits_allocated == 8)
    {
      const guint8 *in = buffer + n * frame;
      for (gsize i = 0; i < n; i++)
        out[i] = map_word (l, in[i]);
    }
  else
    {
      const guint16 *in = (const guint16 *) buffer + n * frame;
      for (gsize i = 0; i < n; i++)
        out[i] = map_word (l, in[i]);
    }
}

static void
describe_plane (const Layout *l,
                DlPlane      *plane,
                gboolean      lossless)
{
  plane->source_bits = l->image.bits_stored;
  plane->source_format = l->image.is_signed ? DL_SAMPLE_INT : DL_SAMPLE_UINT;
  plane->scale = l->scale;
  plane->offset = l->offset;
  plane->lossless = lossless;
  plane->air_value = 0;
}

/* The mean of each slice's rows: one row of the projection a slice. */
static void
fill_projection (const Layout *l,
                 DlScan       *scan,
                 DlPlane      *projection)
{
  guint w = l->image.columns, h = l->image.rows;

  for (guint z = 0; z < l->image.frames; z++)
    {
      const DlPlane *slice = dl_scan_get_plane (scan, z + 1, 0);
      guint16 *row = projection->data + (gsize) z * w;

      for (guint x = 0; x < w; x++)
        {
          guint64 sum = 0;
          for (guint y = 0; y < h; y++)
            sum += slice->data[(gsize) y * w + x];
          row[x] = (guint16) ((sum + h / 2) / h);
        }
    }
}

static gboolean
cancelled (GCancellable *cancellable,
           GError      **error)
{
  return g_cancellable_set_error_if_cancelled (cancellable, error);
}

static gboolean
fill_planes (const Layout        *l,
             DlScan              *scan,
             const guint8        *buffer,
             guint64              max_memory,
             DlProgressFunc       progress,
             gpointer             user_data,
             GCancellable        *cancellable,
             GError             **error)
{
  const DlDicomImage *im = &l->image;
  DlPlane *projection = NULL;
  guint first_view = l->volume ? 1 : 0;

  if (l->volume
      && (projection = dl_scan_add_plane (scan, 0, "projection", im->columns, im->frames, max_memory, error)) == NULL)
    return FALSE;
  for (guint f = 0; f < im->frames; f++)
    {
      g_autofree char *name = l->labels ? g_strdup (l->labels[f])
                                        : g_strdup_printf (l->volume ? "slice %u" : "channel 0", f);
      DlPlane *plane = dl_scan_add_plane (scan, l->labels ? 0 : first_view + f, name,
                                          im->columns, im->rows, max_memory, error);

      if (plane == NULL || cancelled (cancellable, error))
        return FALSE;
      fill_frame (l, buffer, f, plane->data);
      describe_plane (l, plane, TRUE);
      if (progress)
        progress (0.5 + 0.5 * (f + 1) / im->frames, user_data);
    }
  if (projection)
    {
      fill_projection (l, scan, projection);
      describe_plane (l, projection, FALSE);
    }
  return TRUE;
}

/* ---- metadata ------------------------------------------------------------ */

static void
set_string (DlScan     *scan,
            DlDicom    *dicom,
            const char *key,
            guint16     group,
            guint16     element)
{
  g_autofree char *value = dl_dicom_dup_string (dicom, group, element);
  g_autofree char *valid = NULL;

  if (value == NULL)
    return;
  valid = g_utf8_make_valid (value, -1);
  dl_scan_set_metadata (scan, key, valid);
}

static gboolean
all_digits (const char *s,
            guint       n)
{
  for (guint i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* "YYYYMMDD" and "HHMMSS.frac" as "YYYY-MM-DD HH:MM:SS", or NULL (an old
 * ACR-NEMA "1993.04.26" is not guessed at). */
static char *
format_datetime (const char *date,
                 const char *time)
{
  if (date == NULL || strlen (date) != 8 || !all_digits (date, 8))
    return NULL;
  if (time == NULL || strlen (time) < 6 || !all_digits (time, 6))
    return g_strdup_printf ("%.4s-%.2s-%.2s", date, date + 4, date + 6);
  return g_strdup_printf ("%.4s-%.2s-%.2s %.2s:%.2s:%.2s", date, date + 4, date + 6, time, time + 2, time + 4);
}

static void
set_acquisition_time (DlScan  *scan,
                      DlDicom *dicom)
{
  g_autofree char *date = dl_dicom_dup_string (dicom, 0x0008, 0x0022);
  g_autofree char *time = dl_dicom_dup_string (dicom, 0x0008, 0x0032);
  g_autofree char *text = NULL;

  if (date == NULL)
    {
      g_free (time);
      date = dl_dicom_dup_string (dicom, 0x0008, 0x0023);
      time = dl_dicom_dup_string (dicom, 0x0008, 0x0033);
    }
  if ((text = format_datetime (date, time)) != NULL && g_utf8_validate (text, -1, NULL))
    dl_scan_set_metadata (scan, "datetime", text);
}

static void
read_metadata (DlScan       *scan,
               DlDicom      *dicom,
               const Layout *l)
{
  static const struct { const char *key; guint16 group, element; } tags[] = {
    { "modality", 0x0008, 0x0060 },
    { "sop-class-uid", 0x0008, 0x0016 },
    { "sop-instance-uid", 0x0008, 0x0018 },
    { "study-uid", 0x0020, 0x000d },
    { "series-uid", 0x0020, 0x000e },
    { "make", 0x0008, 0x0070 },
    { "model", 0x0008, 0x1090 },
    { "serial", 0x0018, 0x1000 },
    { "software", 0x0018, 0x1020 },
    { "description", 0x0008, 0x103e },
    { "ooi-type", 0x4010, 0x1042 },
    { "ooi-id", 0x0010, 0x0020 },
    { "image-type", 0x0008, 0x0008 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (tags); i++)
    set_string (scan, dicom, tags[i].key, tags[i].group, tags[i].element);
  set_acquisition_time (scan, dicom);
  dl_scan_set_metadata (scan, "transfer-syntax", l->image.transfer_syntax_name);
  if (l->image.lossy)
    dl_scan_set_metadata (scan, "lossy-compression", "yes");
  if (strcmp (l->image.photometric, "MONOCHROME1") == 0)
    dl_scan_set_metadata (scan, "photometric", "monochrome1");
  if (dl_dicom_has_element (dicom, 0x0028, 0x3000))
    dl_scan_set_metadata (scan, "modality-lut", "sequence (not applied)");
  if (l->volume)
    {
      g_autofree char *n = g_strdup_printf ("%u", l->image.frames);
      dl_scan_set_metadata (scan, "ct-slices", n);
    }
}

/* Image Comments holding Doorlicht's JSON description (as dl-dicos-write.c
 * writes it) is the description: the profile it names, the air values. */
static void
read_description (DlScan  *scan,
                  DlDicom *dicom)
{
  g_autofree char *comments = dl_dicom_dup_string (dicom, 0x0020, 0x4000);

  if (comments == NULL || comments[0] != '{' || !g_utf8_validate (comments, -1, NULL))
    return;
  dl_scan_set_metadata (scan, "description", comments);
  if (!dl_tiff_apply_description (scan))
    set_string (scan, dicom, "description", 0x0008, 0x103e);
}

/* "row\\column" spacing in mm, both finite and positive, or FALSE. */
static gboolean
parse_spacing (const char *text,
               double     *row,
               double     *column)
{
  g_auto(GStrv) parts = NULL;
  char *end = NULL;

  if (text == NULL)
    return FALSE;
  parts = g_strsplit (text, "\\", 3);
  if (g_strv_length (parts) != 2)
    return FALSE;
  *row = g_ascii_strtod (g_strstrip (parts[0]), &end);
  if (end == parts[0] || *end != '\0')
    return FALSE;
  *column = g_ascii_strtod (g_strstrip (parts[1]), &end);
  if (end == parts[1] || *end != '\0')
    return FALSE;
  return isfinite (*row) && isfinite (*column) && *row > 0 && *column > 0;
}

static void
read_pitch (DlScan  *scan,
            DlDicom *dicom)
{
  g_autofree char *imager = dl_dicom_dup_string (dicom, 0x0018, 0x1164);
  g_autofree char *pixel = dl_dicom_dup_string (dicom, 0x0028, 0x0030);
  double row, column;

  if (parse_spacing (imager, &row, &column) || parse_spacing (pixel, &row, &column))
    dl_scan_set_pixel_pitch (scan, column, row);
}

/* ---- loading --------------------------------------------------------------- */

/* The frames' labels when they name the channels of one view (see the
 * top), else NULL. */
static char **
read_labels (const Layout *l,
             DlDicom      *dicom)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;

  if (l->volume || l->image.frames < 2 || (text = dl_dicom_dup_string (dicom, 0x0018, 0x2002)) == NULL)
    return NULL;
  parts = g_strsplit (text, "\\", -1);
  if (g_strv_length (parts) != l->image.frames)
    return NULL;
  for (guint i = 0; parts[i]; i++)
    {
      g_strstrip (parts[i]);
      if (parts[i][0] == '\0' || !g_utf8_validate (parts[i], -1, NULL))
        return NULL;
      if (g_ascii_strcasecmp (parts[i], "high") == 0 || g_ascii_strcasecmp (parts[i], "low") == 0)
        for (char *c = parts[i]; *c; c++)
          *c = g_ascii_tolower (*c);
      for (guint j = 0; j < i; j++)
        if (g_str_equal (parts[i], parts[j]))
          return NULL;
    }
  return g_steal_pointer (&parts);
}

static gboolean
describe (Layout      *l,
          DlDicom     *dicom,
          gsize        file_length,
          guint64      max_memory,
          GError     **error)
{
  DlDicomStatus status;
  g_autofree char *detail = NULL;

  if (!check_not_report (dicom, l->display, error) || !check_photometric (dicom, l->display, error))
    return FALSE;
  if (!dl_dicom_get_image (dicom, &l->image, &status, &detail))
    {
      set_status_error (error, l->display, status, detail);
      return FALSE;
    }
  if (!check_grayscale (l, error) || !check_sizes (l, file_length, error))
    return FALSE;
  plan_mapping (l, dicom);
  return check_memory (l, max_memory, error);
}

static gboolean
decode_into_scan (Layout              *l,
                  DlDicom             *dicom,
                  DlScan              *scan,
                  guint64              max_memory,
                  DlProgressFunc       progress,
                  gpointer             user_data,
                  GCancellable        *cancellable,
                  GError             **error)
{
  g_autofree guint8 *buffer = g_try_malloc (MAX (l->image.buffer_length, 1));
  g_autofree char *detail = NULL;
  DlDicomStatus status;

  if (buffer == NULL)
    {
      set_status_error (error, l->display, DL_DICOM_NO_MEMORY, NULL);
      return FALSE;
    }
  status = dl_dicom_decode (dicom, buffer, l->image.buffer_length, &detail);
  if (status != DL_DICOM_OK)
    {
      g_autofree char *what = g_strdup_printf ("%s, %s", l->image.transfer_syntax_name, detail ? detail : "");
      set_status_error (error, l->display, status, what);
      return FALSE;
    }
  if (progress)
    progress (0.5, user_data);
  return fill_planes (l, scan, buffer, max_memory, progress, user_data, cancellable, error);
}

/**
 * dl_dicom_load_bytes:
 * @name: the file name, for messages
 *
 * Reads a DICOM or DICOS image (see the top of this file); the caller
 * records the source and its hash.
 */
DlScan *
dl_dicom_load_bytes (GBytes              *bytes,
                     const char          *name,
                     const DlLoadOptions *options,
                     DlProgressFunc       progress,
                     gpointer             user_data,
                     GCancellable        *cancellable,
                     GError             **error)
{
  g_autoptr(DlScan) scan = dl_scan_new ();
  g_autoptr(DlDicom) dicom = NULL;
  g_autofree char *display = g_filename_display_name (name);
  g_autofree char *detail = NULL;
  guint64 max_memory = options && options->max_memory ? options->max_memory : DL_DEFAULT_MAX_MEMORY;
  Layout l = { display };
  g_auto(GStrv) labels = NULL;
  DlDicomStatus status;
  const guint8 *data;
  gsize length;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &length);
  if (cancelled (cancellable, error))
    return NULL;
  if ((dicom = dl_dicom_open (data, length, max_memory, cancellable, &status, &detail)) == NULL)
    {
      if (!cancelled (cancellable, error))
        set_status_error (error, display, status, detail);
      return NULL;
    }
  if (!describe (&l, dicom, length, max_memory, error))
    return NULL;
  l.labels = labels = read_labels (&l, dicom);
  if (cancelled (cancellable, error)
      || !decode_into_scan (&l, dicom, scan, max_memory, progress, user_data, cancellable, error))
    return NULL;

  read_metadata (scan, dicom, &l);
  read_pitch (scan, dicom);
  read_description (scan, dicom);
  if (progress)
    progress (1.0, user_data);
  return g_steal_pointer (&scan);
}
