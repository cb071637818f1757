/* dl-scan.h — an X-ray scan: views, each with one or more channels of
 * 16-bit samples, where larger means more transmission.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DL_SCAN_ERROR (dl_scan_error_quark ())

typedef enum
{
  DL_SCAN_ERROR_UNSUPPORTED,   /* a valid file this program does not handle */
  DL_SCAN_ERROR_CORRUPT,       /* truncated, inconsistent or hostile data */
  DL_SCAN_ERROR_TOO_LARGE,     /* over the configured memory cap */
  DL_SCAN_ERROR_IO,            /* could not read the file */
} DlScanError;

GQuark dl_scan_error_quark (void);

/* How the stored 16-bit value relates to the value in the file:
 * file value = stored * scale + offset. */
typedef enum
{
  DL_SAMPLE_UINT,
  DL_SAMPLE_INT,
  DL_SAMPLE_FLOAT,
} DlSampleFormat;

typedef struct _DlPlane DlPlane;
typedef struct _DlHistogram DlHistogram;
typedef struct _DlPyramid DlPyramid;

struct _DlPlane
{
  guint           width;
  guint           height;
  guint16        *data;         /* width * height, row-major, normalised */
  guint           view;         /* index of the view this plane belongs to */
  guint           channel;      /* index of the channel within its view */
  char           *name;         /* "high", "low", "channel 0", … */
  guint           source_bits;  /* bits per sample in the file */
  DlSampleFormat  source_format;
  double          scale;        /* file value = stored * scale + offset */
  double          offset;
  gboolean        lossless;     /* TRUE when the mapping loses nothing */
  double          air_value;    /* I0 stated by the file, 0 when unknown */

  /*< private >*/
  DlHistogram    *histogram;    /* built by dl_scan_prepare_planes () */
  DlPyramid      *pyramid;
  guint16        *level2;       /* the pyramid's level 2, made while decoding, until it is built */
  guint64        *counts;       /* 65536 bins of data, counted while decoding, until the histogram is built */
};

#define DL_DEFAULT_MAX_MEMORY (G_GUINT64_CONSTANT (4) << 30)

struct _DlScan;

/* Called from the loading thread with a small picture of the scan being
 * decoded (transfer none: ref it to keep it); see DlLoadOptions. */
typedef void (*DlPreviewFunc) (struct _DlScan *preview,
                               gpointer        user_data);

typedef struct
{
  guint64       max_memory;    /* bytes of sample memory allowed, 0 = default */
  /* For a first page of DL_PREVIEW_MIN_SAMPLES or more (16-bit, in
   * strips): a scan of one plane, the first channel reduced by the power
   * of two in its metadata "preview-factor" (means of factor × factor
   * blocks; rows not decoded yet are 0), given about four times a second
   * while the page decodes, so a huge scan shows long before it is whole. */
  DlPreviewFunc preview;
  gpointer      preview_data;
} DlLoadOptions;

#define DL_PREVIEW_MIN_SAMPLES (G_GUINT64_CONSTANT (16) << 20)
#define DL_PREVIEW_MAX_SIDE    4096

/* Called from the loading thread with a fraction in [0, 1]. */
typedef void (*DlProgressFunc) (double   fraction,
                                gpointer user_data);

#define DL_TYPE_SCAN (dl_scan_get_type ())
G_DECLARE_FINAL_TYPE (DlScan, dl_scan, DL, SCAN, GObject)

DlScan        *dl_scan_new                (void);
DlPlane       *dl_scan_add_plane          (DlScan        *self,
                                           guint          view,
                                           const char    *name,
                                           guint          width,
                                           guint          height,
                                           guint64        max_memory,
                                           GError       **error);
guint          dl_scan_get_n_planes       (DlScan        *self);
DlPlane       *dl_scan_get_plane_at       (DlScan        *self,
                                           guint          index);
guint          dl_scan_get_n_views        (DlScan        *self);
guint          dl_scan_get_n_channels     (DlScan        *self,
                                           guint          view);
DlPlane       *dl_scan_get_plane          (DlScan        *self,
                                           guint          view,
                                           guint          channel);
guint64        dl_scan_get_memory_size    (DlScan        *self);

void           dl_scan_set_pixel_pitch    (DlScan        *self,
                                           double         x_mm,
                                           double         y_mm);
gboolean       dl_scan_get_pixel_pitch    (DlScan        *self,
                                           double        *x_mm,
                                           double        *y_mm);

void           dl_scan_set_metadata       (DlScan        *self,
                                           const char    *key,
                                           const char    *value);
const char    *dl_scan_get_metadata       (DlScan        *self,
                                           const char    *key);
GStrv          dl_scan_dup_metadata_keys  (DlScan        *self);

void           dl_scan_set_source         (DlScan        *self,
                                           const char    *path,
                                           const char    *sha256);
const char    *dl_scan_get_source_path    (DlScan        *self);
const char    *dl_scan_get_sha256         (DlScan        *self);

/* Builds each plane's histogram and pyramid (once; call from the loading
 * thread, after which the scan is only read). */
void           dl_scan_prepare_planes     (DlScan        *self);
/* Above this many pixels a view's material classes take seconds: shown
 * scans get them in the background (dl_scan_prepare_display ()). */
#define DL_SCAN_DEFER_CLASSES_PIXELS (G_GUINT64_CONSTANT (16) << 20)
gboolean       dl_scan_get_energy_pair    (DlScan        *self,
                                           guint          view,
                                           DlPlane      **high,
                                           DlPlane      **low);
gboolean       dl_scan_needs_classes      (DlScan        *self);
gboolean       dl_scan_classes_take_long  (DlScan        *self);
gboolean       dl_scan_has_classes        (DlScan        *self);
void           dl_scan_install_classes    (DlScan        *self,
                                           GPtrArray     *classes);
void           dl_scan_replace_classes    (DlScan        *self,
                                           GPtrArray     *classes);
const guint8  *dl_scan_get_classes        (DlScan        *self,
                                           guint          view);
const DlHistogram *dl_plane_get_histogram (const DlPlane *plane);
const DlHistogram *dl_plane_ensure_histogram (DlPlane *plane);
const DlPyramid   *dl_plane_get_pyramid   (const DlPlane *plane);
double         dl_plane_get_i0            (const DlPlane *plane);

/* Loading, whatever the format (detected from the content). */
DlScan        *dl_scan_load_file          (const char          *path,
                                           const DlLoadOptions *options,
                                           DlProgressFunc       progress,
                                           gpointer             user_data,
                                           GCancellable        *cancellable,
                                           GError             **error);
DlScan        *dl_scan_load_bytes         (GBytes              *bytes,
                                           const char          *name,
                                           const DlLoadOptions *options,
                                           DlProgressFunc       progress,
                                           gpointer             user_data,
                                           GCancellable        *cancellable,
                                           GError             **error);
G_END_DECLS
