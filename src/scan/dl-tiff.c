/* dl-tiff.c — TIFF scans through libtiff, sample-exact.
 *
 * Decodes from memory (the bytes the caller hashed), strip by strip or tile
 * by tile with TIFFReadEncoded{Strip,Tile}: never the RGBA path, which
 * reduces 16-bit data to 8 bits.  Every size is checked before anything
 * is allocated (all pages' planes against the cap, each page against the
 * file's length); every libtiff error ends up in the GError.
 *
 * Samples become 16 bits, the mapping recorded per plane as
 * file value = stored × scale + offset:
 *  - unsigned integers of 1 … 16 bits: as they are (scale 1, offset 0);
 *  - signed 8/16-bit: stored = v + 2^(bits−1) (offset −2^(bits−1));
 *  - 24/32/64-bit integers and 16/24/32/64-bit floats: the finite
 *    [min, max] of the page's sample onto [0, 65535] (offset min, scale
 *    (max − min) / 65535), exact (scale 1, lossless) when the values are
 *    integers spanning at most 65535; NaN and −∞ become 0, +∞ 65535;
 *  - MinIsWhite: stored = maxval − that (maxval 2^bits − 1, or 65535 for
 *    the mapped types), scale negated, metadata "photometric".
 * Grayscale only: each sample of a pixel is a channel, alpha is dropped
 * ("dropped-samples").  Pages of the first page's size are channels of
 * view 0, another size starts a view; PageName "view=N;channel=NAME"
 * places a page.  A later page that is not supported (colour, say) is
 * skipped and listed in "skipped-pages"; reduced-resolution pages and
 * SubIFDs are not read; a file of more than MAX_PAGES pages is refused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-tiff"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <sys/mman.h>
#include <tiffio.h>
#include <unistd.h>

#include "dl-json-check.h"
#include "dl-pyramid.h"
#include "dl-regular-file.h"
#include "dl-tiff.h"
#include "dl-tiff-vendor.h"

#define MAX_PAGES   256
#define MAX_SIDE    (1u << 24)
#define MAX_SAMPLES 16
/* No codec this reader accepts packs image data tighter than this; a file
 * claiming more pixels than its bytes could hold is refused before any
 * allocation (uncompressed data must be there byte for byte). */
#define MAX_COMPRESSION_RATIO 4096

/* ---- memory stream ------------------------------------------------------ */

typedef struct
{
  const guint8 *data;
  gsize         length;
  toff_t        pos;
  gboolean      droppable;  /* a read-only file mapping: pages read may go */
} Stream;

/* Lets the kernel take back the pages of bytes @offset … + @count of a
 * mapped file once decoded, so that a scan costs its samples, not its
 * samples and its file (read again from the page cache if needed). */
static void
stream_release (const Stream *s,
                guint64       offset,
                guint64       count)
{
  static gsize page;
  guintptr start, end;

  if (!s->droppable || offset >= s->length)
    return;
  if (page == 0)
    page = (gsize) sysconf (_SC_PAGESIZE);
  count = MIN (count, s->length - offset);
  start = ((guintptr) s->data + offset + page - 1) & ~(guintptr) (page - 1);
  end = ((guintptr) s->data + offset + count) & ~(guintptr) (page - 1);
  if (end > start)
    madvise ((void *) start, end - start, MADV_DONTNEED);
}

static tmsize_t
stream_read (thandle_t handle, void *buf, tmsize_t size)
{
  Stream *s = (Stream *) handle;
  gsize n;

  if (size <= 0 || s->pos >= s->length)
    return 0;
  n = MIN ((gsize) size, s->length - s->pos);
  memcpy (buf, s->data + s->pos, n);
  s->pos += n;
  return (tmsize_t) n;
}

static tmsize_t
stream_write (thandle_t handle, void *buf, tmsize_t size)
{
  return -1;
}

static toff_t
stream_seek (thandle_t handle, toff_t offset, int whence)
{
  Stream *s = (Stream *) handle;
  guint64 base = whence == SEEK_CUR ? s->pos : whence == SEEK_END ? s->length : 0;

  /* toff_t is unsigned: a negative relative offset wraps, which is fine */
  s->pos = base + offset;
  return s->pos;
}

static int
stream_close (thandle_t handle)
{
  return 0;
}

static toff_t
stream_size (thandle_t handle)
{
  return ((Stream *) handle)->length;
}

static int
stream_map (thandle_t handle, void **base, toff_t *size)
{
  Stream *s = (Stream *) handle;

  *base = (void *) s->data;
  *size = s->length;
  return 1;
}

static void
stream_unmap (thandle_t handle, void *base, toff_t size)
{
}

/* ---- errors ------------------------------------------------------------- */

typedef struct
{
  char message[512];
  char warning[512];
} Diagnostics;

/* Keeps the first message of its kind: the one that explains the rest. */
static void
keep_first (char       *dest,
            gsize       size,
            const char *module,
            const char *fmt,
            va_list     ap)
{
  char text[400];

  if (dest[0] != '\0')
    return;
  g_vsnprintf (text, sizeof text, fmt, ap);
  g_snprintf (dest, size, "%s: %s", module ? module : "libtiff", text);
}

static int
on_tiff_error (TIFF *tif, void *user_data, const char *module, const char *fmt, va_list ap)
{
  Diagnostics *d = user_data;

  keep_first (d->message, sizeof d->message, module, fmt, ap);
  return 1;   /* handled: nothing on stderr */
}

/* Warnings (unknown tags and the like) are not the user's problem, but the
 * first one explains a failure that came without an error. */
static int
on_tiff_warning (TIFF *tif, void *user_data, const char *module, const char *fmt, va_list ap)
{
  Diagnostics *d = user_data;

  keep_first (d->warning, sizeof d->warning, module, fmt, ap);
  return 1;
}

static void
set_corrupt (GError           **error,
             const Diagnostics *d,
             const char        *what)
{
  if (d->message[0] || d->warning[0])
    g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_CORRUPT,
                 _("The TIFF file is damaged (%s): %s"), what, d->message[0] ? d->message : d->warning);
  else
    g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_CORRUPT,
                 _("The TIFF file is damaged (%s)"), what);
}

gboolean
dl_tiff_is_tiff (const guint8 *data,
                 gsize         length)
{
  if (length < 4)
    return FALSE;
  return (data[0] == 'I' && data[1] == 'I' && (data[2] == 42 || data[2] == 43) && data[3] == 0)
         || (data[0] == 'M' && data[1] == 'M' && data[2] == 0 && (data[3] == 42 || data[3] == 43));
}

/* ---- page description --------------------------------------------------- */

typedef struct
{
  guint32  width;
  guint32  height;
  guint16  spp;           /* samples per pixel */
  guint16  bps;           /* bits per sample */
  guint16  format;        /* SAMPLEFORMAT_* */
  guint16  photometric;
  guint16  planar;
  guint16  compression;
  gboolean tiled;
  guint16  n_channels;    /* samples kept (alpha dropped) */
  guint16  first_alpha;   /* index of the first dropped sample, spp if none */
  char    *page_name;
} Page;

static const char *
compression_name (guint16 compression)
{
  const TIFFCodec *codec;

  switch (compression)
    {
    case COMPRESSION_JP2000: return "JPEG 2000";
    case 34934: return "JPEG XR";
    case 34933: return "PNG";
    case 50000: return "Zstandard";
    case 50001: return "WebP";
    case 52546: return "JPEG XL";
    default: break;
    }
  codec = TIFFFindCODEC (compression);
  return codec ? codec->name : NULL;
}

static const char *
photometric_name (guint16 photometric)
{
  switch (photometric)
    {
    case PHOTOMETRIC_RGB: return _("colour (RGB)");
    case PHOTOMETRIC_PALETTE: return _("palette colour");
    case PHOTOMETRIC_SEPARATED: return _("CMYK (separated)");
    case PHOTOMETRIC_YCBCR: return _("colour (YCbCr)");
    case PHOTOMETRIC_CIELAB:
    case PHOTOMETRIC_ICCLAB:
    case PHOTOMETRIC_ITULAB: return _("colour (CIE L*a*b*)");
    case PHOTOMETRIC_MASK: return _("transparency mask");
    case PHOTOMETRIC_LOGL:
    case PHOTOMETRIC_LOGLUV: return _("LogLuv high dynamic range");
    default: return _("unknown");
    }
}

static gboolean
check_compression (const Page *p,
                   GError    **error)
{
  const char *name;

  if (TIFFIsCODECConfigured (p->compression))
    return TRUE;

  name = compression_name (p->compression);
  if (name)
    g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED,
                 _("%s compression is not supported by this libtiff"), name);
  else
    g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED,
                 _("Compression scheme %u is unknown to this libtiff"), p->compression);
  return FALSE;
}

static gboolean
check_sample_type (const Page *p,
                   GError    **error)
{
  gboolean ok = FALSE;

  switch (p->format)
    {
    case SAMPLEFORMAT_UINT:
      ok = (p->bps >= 1 && p->bps <= 16) || p->bps == 24 || p->bps == 32 || p->bps == 64;
      break;
    case SAMPLEFORMAT_INT:
      ok = p->bps == 8 || p->bps == 16 || p->bps == 24 || p->bps == 32 || p->bps == 64;
      break;
    case SAMPLEFORMAT_IEEEFP:
      ok = p->bps == 16 || p->bps == 24 || p->bps == 32 || p->bps == 64;
      break;
    default:
      break;
    }

  if (ok)
    return TRUE;

  switch (p->format)
    {
    case SAMPLEFORMAT_COMPLEXINT:
    case SAMPLEFORMAT_COMPLEXIEEEFP:
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED,
                   _("Complex-valued samples are not X-ray transmission values"));
      break;
    default:
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED,
                   _("%u-bit samples of format %u are not supported"), p->bps, p->format);
    }
  return FALSE;
}

/* Alpha samples are not image data; everything else is a channel. */
static void
find_alpha (TIFF *tif,
            Page *p)
{
  guint16 n_extra = 0, *extra = NULL;

  p->first_alpha = p->spp;
  if (p->spp > 1 && TIFFGetField (tif, TIFFTAG_EXTRASAMPLES, &n_extra, &extra) && n_extra <= p->spp)
    for (guint i = 0; i < n_extra; i++)
      if (extra[i] == EXTRASAMPLE_ASSOCALPHA || extra[i] == EXTRASAMPLE_UNASSALPHA)
        {
          p->first_alpha = MIN (p->first_alpha, p->spp - n_extra + i);
          break;
        }
  p->n_channels = p->first_alpha;
}

static gboolean
read_page (TIFF    *tif,
           Page    *p,
           GError **error)
{
  char *name = NULL;

  memset (p, 0, sizeof *p);
  if (!TIFFGetField (tif, TIFFTAG_IMAGEWIDTH, &p->width)
      || !TIFFGetField (tif, TIFFTAG_IMAGELENGTH, &p->height))
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_CORRUPT, _("The TIFF page has no size"));
      return FALSE;
    }
  TIFFGetFieldDefaulted (tif, TIFFTAG_SAMPLESPERPIXEL, &p->spp);
  TIFFGetFieldDefaulted (tif, TIFFTAG_BITSPERSAMPLE, &p->bps);
  TIFFGetFieldDefaulted (tif, TIFFTAG_SAMPLEFORMAT, &p->format);
  /* "void" (untyped) samples are unsigned integers to every reader */
  if (p->format == SAMPLEFORMAT_VOID)
    p->format = SAMPLEFORMAT_UINT;
  TIFFGetFieldDefaulted (tif, TIFFTAG_PLANARCONFIG, &p->planar);
  TIFFGetFieldDefaulted (tif, TIFFTAG_COMPRESSION, &p->compression);
  if (!TIFFGetField (tif, TIFFTAG_PHOTOMETRIC, &p->photometric))
    p->photometric = PHOTOMETRIC_MINISBLACK;
  p->tiled = TIFFIsTiled (tif);
  if (TIFFGetField (tif, TIFFTAG_PAGENAME, &name) && name)
    p->page_name = g_strdup (name);

  if (p->spp > MAX_SAMPLES)
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED,
                   _("The TIFF page has %u samples per pixel; a scan has at most %u channels"),
                   p->spp, MAX_SAMPLES);
      return FALSE;
    }
  if (p->width == 0 || p->height == 0 || p->spp == 0)
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_CORRUPT,
                   _("The TIFF page has no pixels (%u × %u, %u samples)"), p->width, p->height, p->spp);
      return FALSE;
    }
  if (p->width > MAX_SIDE || p->height > MAX_SIDE)
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_TOO_LARGE,
                   _("The TIFF page is %u × %u pixels, larger than any scan this program opens"),
                   p->width, p->height);
      return FALSE;
    }
  if (p->photometric != PHOTOMETRIC_MINISBLACK && p->photometric != PHOTOMETRIC_MINISWHITE)
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED,
                   _("%s images are not X-ray scans: only grayscale (MinIsBlack or MinIsWhite) is supported"),
                   photometric_name (p->photometric));
      return FALSE;
    }
  if (!check_compression (p, error) || !check_sample_type (p, error))
    return FALSE;

  find_alpha (tif, p);
  if (p->n_channels == 0)
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED, _("The TIFF page holds only transparency"));
      return FALSE;
    }
  return TRUE;
}

/* ---- sample extraction -------------------------------------------------- */

/* Sample @index of a decoded row (libtiff has already put whole-byte
 * samples in host order; sub-byte and odd widths stay packed MSB-first). */
static inline guint64
raw_sample (const guint8 *row,
            gsize         index,
            guint         bps)
{
  switch (bps)
    {
    case 8: return row[index];
    case 16: return ((const guint16 *) row)[index];
    case 32: return ((const guint32 *) row)[index];
    case 64: return ((const guint64 *) row)[index];
    case 24:
      {
        const guint8 *b = row + index * 3;
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
        return b[0] | (b[1] << 8) | ((guint32) b[2] << 16);
#else
        return b[2] | (b[1] << 8) | ((guint32) b[0] << 16);
#endif
      }
    default:
      {
        guint64 bit = (guint64) index * bps, v = 0;
        for (guint i = 0; i < bps; i++, bit++)
          v = (v << 1) | ((row[bit >> 3] >> (7 - (bit & 7))) & 1);
        return v;
      }
    }
}

static double
half_to_double (guint16 h)
{
  int exponent = (h >> 10) & 0x1f;
  int mantissa = h & 0x3ff;
  double v;

  if (exponent == 0)
    v = ldexp (mantissa, -24);
  else if (exponent == 31)
    v = mantissa ? NAN : INFINITY;
  else
    v = ldexp (mantissa + 1024, exponent - 25);
  return (h & 0x8000) ? -v : v;
}

/* 24-bit floats (Adobe): 1 sign, 7 exponent (bias 63), 16 mantissa bits. */
static double
float24_to_double (guint32 f)
{
  int exponent = (f >> 16) & 0x7f;
  int mantissa = f & 0xffff;
  double v;

  if (exponent == 0)
    v = ldexp (mantissa, -62 - 16);
  else if (exponent == 127)
    v = mantissa ? NAN : INFINITY;
  else
    v = ldexp (mantissa + 65536, exponent - 63 - 16);
  return (f & 0x800000) ? -v : v;
}

/* The value a sample stands for, for the wide types mapped in two passes. */
static double
sample_as_double (guint64 raw,
                  guint   bps,
                  guint16 format)
{
  if (format == SAMPLEFORMAT_IEEEFP)
    {
      if (bps == 16)
        return half_to_double (raw);
      if (bps == 24)
        return float24_to_double (raw);
      if (bps == 32)
        {
          guint32 u = raw;
          float f;
          memcpy (&f, &u, 4);
          return f;
        }
      {
        double d;
        memcpy (&d, &raw, 8);
        return d;
      }
    }
  if (format == SAMPLEFORMAT_INT)
    {
      if (bps == 64)
        return (double) (gint64) raw;
      return (double) ((gint64) (raw << (64 - bps)) >> (64 - bps));
    }
  return (double) raw;
}

/* Whether samples go straight into 16 bits (with at most an offset). */
static gboolean
is_narrow (const Page *p)
{
  return p->format != SAMPLEFORMAT_IEEEFP && p->bps <= 16;
}

/* ---- decoding ------------------------------------------------------------ */

static TIFF *open_stream (Stream *stream, Diagnostics *diag, const DlLoadOptions *options);

typedef struct
{
  const Page     *page;
  gboolean        first_page;   /* the scan's first planes (a preview may be made) */
  guint16       **level2;       /* per channel: the pyramid's level 2, made while decoding, or NULL */
  guint64       **counts;       /* per channel: its histogram's bins, counted while decoding, or NULL */
  gboolean        accumulate;   /* rows come with their horizontal differences: see take_predictor () */
  guint16       **narrow;   /* per channel, width × height, for narrow types */
  double        **wide;     /* per channel, for wide types */
  DlProgressFunc  progress;
  gpointer        progress_data;
  GCancellable   *cancellable;
  gsize           file_length;
  const Stream   *stream;   /* for the decoding threads' own handles */
  const DlLoadOptions *options;
  double          done;     /* fraction of the whole file before this page */
  double          share;    /* fraction this page is of the whole */
  double          reported; /* the last fraction given to progress, −1 before */
} Decode;

/* Puts sample @s of each of @n_pixels pixels of one decoded row of a
 * narrow (≤ 16-bit integer) page, @step samples apart, into @dst. */
static void
store_narrow (const Page   *p,
              const guint8 *row,
              guint         s,
              guint         step,
              gboolean      accumulate,
              guint16      *dst,
              guint         n_pixels)
{
  guint offset = p->format == SAMPLEFORMAT_INT ? 1u << (p->bps - 1) : 0;
  guint64 mask = (G_GUINT64_CONSTANT (1) << p->bps) - 1;

  if (accumulate)
    {
      /* horizontal differences of 16-bit samples (predictor 2), undone
       * while copying: a running sum in a register, modulo 2^16 */
      const guint16 *diff = (const guint16 *) row;
      guint16 sum = 0;

      g_assert (p->bps == 16 && step == 1);
      for (guint x = 0; x < n_pixels; x++)
        {
          sum += diff[x];
          dst[x] = (guint16) (sum + offset);
        }
    }
  else if (p->bps == 16 && step == 1 && offset == 0)
    memcpy (dst, row, n_pixels * 2);
  else if (p->bps == 8 && step == 1 && offset == 0)
    for (guint x = 0; x < n_pixels; x++)
      dst[x] = row[x];
  else
    for (guint x = 0; x < n_pixels; x++)
      {
        guint64 raw = raw_sample (row, (gsize) x * step + s, p->bps);
        /* signed: v + 2^(bits−1) is the raw pattern + 2^(bits−1) mod 2^bits */
        dst[x] = (guint16) ((raw + offset) & mask);
      }
}

/* Puts @n_pixels samples of one decoded row (sample @sample_base of each
 * pixel, @step samples apart) into the destination at @dst_index. */
static void
store_row (Decode       *d,
           const guint8 *row,
           guint         first_sample,
           guint         n_samples,
           guint         step,
           gsize         dst_index,
           guint         n_pixels)
{
  const Page *p = d->page;

  for (guint s = 0; s < n_samples; s++)
    {
      guint channel = first_sample + s;

      if (channel >= p->n_channels)
        continue;

      if (is_narrow (p))
        store_narrow (p, row, s, step, d->accumulate, d->narrow[channel] + dst_index, n_pixels);
      else
        {
          double *dst = d->wide[channel] + dst_index;
          for (guint x = 0; x < n_pixels; x++)
            dst[x] = sample_as_double (raw_sample (row, (gsize) x * step + s, p->bps), p->bps, p->format);
        }
    }
}

/* Calls progress with the fraction of the whole file, at most once per
 * percent (a file of single-row strips would otherwise call it per row). */
static void
emit_progress (Decode *d,
               double  fraction)
{
  double total = MIN (d->done + d->share * fraction, 1.0);

  if (d->progress == NULL || total < d->reported
      || (total < d->reported + 0.01 && fraction < 1.0))
    return;
  d->reported = total;
  d->progress (total, d->progress_data);
}

/* Checked again once progress is said: a caller who cancels from its
 * progress callback, even at the end, gets the load cancelled, however
 * far the decoding threads had got. */
static gboolean
report (Decode  *d,
        double   fraction,
        GError **error)
{
  if (g_cancellable_set_error_if_cancelled (d->cancellable, error))
    return FALSE;
  emit_progress (d, fraction);
  return !g_cancellable_set_error_if_cancelled (d->cancellable, error);
}

/* Strips are decoded in parallel: each worker has its own libtiff handle
 * on the same bytes, positioned on the same page, and fills disjoint rows. */
typedef struct
{
  Decode        *d;
  const Stream  *stream;
  const DlLoadOptions *options;
  tdir_t         dir;
  TIFF          *main_tif;
  guint32        rps;
  tmsize_t       row_bytes;
  gboolean       separate;
  guint          n_jobs;         /* (plane, strip row) or (plane, tile) pairs */
  guint          strips_per_plane;
  /* tiled pages: a job is one tile */
  gboolean       tiled;
  guint32        tw, th, tiles_across;
  tmsize_t       tile_bytes;
  gint           next_job;       /* atomic: the next job a thread takes */
  gint          *job_done;       /* atomic flags, per job, set once its rows are stored; or NULL */
  struct _Preview *preview;      /* or NULL */
  struct _Level2  *level2;       /* or NULL */
  guint64      **counts;         /* per channel, 65536 bins, or NULL: see count_rows () */
  gint           done;           /* atomic: jobs finished */
  gint           failed;         /* atomic: a worker stopped */
  GMutex         lock;
  GCond          changed;        /* with lock: a worker finished a job, or failed */
  GError        *error;          /* the first failure */
} StripPlan;

typedef struct
{
  StripPlan *plan;
} StripWorker;

/* A thread's histogram bins (65536 a channel), 32 bits wide to stay in
 * the cache beside the rows, added into the page's 64-bit ones before
 * they could overflow and at the end. */
typedef struct
{
  guint32 *bins;
  guint64  counted;   /* samples in bins since they were last added */
} Bins;

/* The preview (DlLoadOptions): rows of factor × factor means, built by
 * the calling thread in order as the strips under them are decoded (each
 * marked done, atomically, after its rows are stored). */
typedef struct _Preview
{
  guint     factor, width, height;
  guint16  *data;
  guint     rows_built, rows_sent;
  gint64    last_sent;
} Preview;

static Preview *
preview_new (const Page *p)
{
  Preview *pv = g_new0 (Preview, 1);

  pv->factor = 2;
  while ((p->width + pv->factor - 1) / pv->factor > DL_PREVIEW_MAX_SIDE
         || (p->height + pv->factor - 1) / pv->factor > DL_PREVIEW_MAX_SIDE)
    pv->factor *= 2;
  pv->width = (p->width + pv->factor - 1) / pv->factor;
  pv->height = (p->height + pv->factor - 1) / pv->factor;
  pv->data = g_new0 (guint16, (gsize) pv->width * pv->height);
  pv->last_sent = g_get_monotonic_time ();
  return pv;
}

static void
preview_free (Preview *pv)
{
  g_free (pv->data);
  g_free (pv);
}

/* One preview row: the mean of each block of the first channel, rounded
 * to nearest; for 2 × 2 blocks as the pyramid's level 1 has them (the
 * same means, edges too, in a loop the compiler vectorises). */
static void
preview_build_row (Preview        *pv,
                   const guint16  *src,
                   guint           width,
                   guint           height)
{
  guint y0 = pv->rows_built * pv->factor, y1 = MIN (y0 + pv->factor, height);
  guint16 *out = pv->data + (gsize) pv->rows_built * pv->width;
  g_autofree guint64 *sums = NULL;

  if (pv->factor == 2)
    {
      DlPyramidLevel level0 = { width, height, src };

      dl_pyramid_halve_row (&level0, pv->rows_built, 0, pv->width, out);
      return;
    }
  sums = g_new0 (guint64, pv->width);
  /* block by block (not a division a sample) */
  for (guint y = y0; y < y1; y++)
    {
      const guint16 *row = src + (gsize) y * width;

      for (guint px = 0, x = 0; px < pv->width; px++)
        {
          guint end = MIN (x + pv->factor, width);
          guint64 sum = 0;

          for (; x < end; x++)
            sum += row[x];
          sums[px] += sum;
        }
    }
  for (guint px = 0; px < pv->width; px++)
    {
      guint cols = MIN (pv->factor, width - px * pv->factor);
      guint64 n = (guint64) cols * (y1 - y0);

      out[px] = (guint16) ((sums[px] + n / 2) / n);
    }
}

static void
preview_send (Preview             *pv,
              const DlLoadOptions *options)
{
  g_autoptr(DlScan) preview = dl_scan_new ();
  g_autofree char *factor = g_strdup_printf ("%u", pv->factor);
  DlPlane *plane = dl_scan_add_plane (preview, 0, "preview", pv->width, pv->height, 0, NULL);

  if (plane == NULL)
    return;
  /* the last, whole one takes the rows themselves (nothing is built after it) */
  if (pv->rows_built == pv->height)
    {
      g_free (plane->data);
      plane->data = g_steal_pointer (&pv->data);
    }
  else
    memcpy (plane->data, pv->data, (gsize) pv->width * pv->height * sizeof (guint16));
  dl_scan_set_metadata (preview, "preview-factor", factor);
  options->preview (preview, options->preview_data);
  pv->rows_sent = pv->rows_built;
  pv->last_sent = g_get_monotonic_time ();
}

/* In the calling thread, between its own jobs: the rows now ready, and
 * a new preview when the last is 250 ms old. */
static void
preview_step (StripPlan *plan)
{
  Preview *pv = plan->preview;
  const Page *p = plan->d->page;

  if (pv == NULL)
    return;
  while (pv->rows_built < pv->height)
    {
      guint y0 = pv->rows_built * pv->factor, y1 = MIN (y0 + pv->factor, p->height);
      gboolean ready = TRUE;

      for (guint s = y0 / plan->rps; s <= (y1 - 1) / plan->rps && ready; s++)
        ready = g_atomic_int_get (&plan->job_done[s]);
      if (!ready)
        break;
      preview_build_row (pv, plan->d->narrow[0], p->width, p->height);
      pv->rows_built++;
    }
  if (pv->rows_built > pv->rows_sent && (pv->rows_built == pv->height
                                          || g_get_monotonic_time () - pv->last_sent >= 250000))
    preview_send (pv, plan->options);
}

static void
plan_fail (StripPlan *plan,
           GError    *error)
{
  g_mutex_lock (&plan->lock);
  if (plan->error == NULL)
    plan->error = error;
  else
    g_error_free (error);
  g_atomic_int_set (&plan->failed, 1);
  g_cond_signal (&plan->changed);
  g_mutex_unlock (&plan->lock);
}

/* Job @job of a tiled page: one tile, decoded into @buf and stored (edge
 * tiles are padded: only their inside is image). */
static gboolean
decode_tile_job (StripPlan   *plan,
                 TIFF        *tif,
                 Diagnostics *diag,
                 guint        job,
                 guint8      *buf,
                 Bins        *counts,
                 GError     **error)
{
  Decode *d = plan->d;
  const Page *p = d->page;
  guint samples = plan->separate ? 1 : p->spp;
  guint plane = job / plan->strips_per_plane;
  guint index = job % plan->strips_per_plane;
  guint32 x = (index % plan->tiles_across) * plan->tw, y = (index / plan->tiles_across) * plan->th;
  guint32 cols = MIN (plan->tw, p->width - x), rows = MIN (plan->th, p->height - y);
  ttile_t tile = TIFFComputeTile (tif, x, y, 0, plan->separate ? plane : 0);

  if (TIFFReadEncodedTile (tif, tile, buf, plan->tile_bytes) < 0)
    {
      g_autofree char *what = g_strdup_printf (_("tile %u"), (guint) tile);
      set_corrupt (error, diag, what);
      return FALSE;
    }
  stream_release (plan->stream, TIFFGetStrileOffset (tif, tile), TIFFGetStrileByteCount (tif, tile));
  for (guint32 r = 0; r < rows; r++)
    store_row (d, buf + r * plan->row_bytes, plan->separate ? plane : 0, samples, samples,
               (gsize) (y + r) * p->width + x, cols);
  return TRUE;
}

static void add_counts (StripPlan *plan, Bins *b);

/* Counts @n stored samples of each channel from @first (@n_samples of
 * them) at @index into this thread's bins: the histogram comes with the
 * page, counted while each row is in the cache, not in a pass of its
 * own afterwards. */
static void
count_row (StripPlan *plan,
           Bins      *b,
           guint      first,
           guint      n_samples,
           gsize      index,
           gsize      n)
{
  const Page *p = plan->d->page;

  if (b->counted + (guint64) n * n_samples > G_MAXUINT32)
    add_counts (plan, b);
  b->counted += (guint64) n * n_samples;
  for (guint c = first; c < MIN (first + n_samples, p->n_channels); c++)
    {
      const guint16 *data = plan->d->narrow[c] + index;
      guint32 *bins = b->bins + (gsize) c * 65536;

      for (gsize i = 0; i < n; i++)
        bins[data[i]]++;
    }
}

/* Job @job of a page in strips: one strip, decoded into @buf and stored
 * (and counted into @counts, when not %NULL). */
static gboolean
decode_strip_job (StripPlan   *plan,
                  TIFF        *tif,
                  Diagnostics *diag,
                  guint        job,
                  guint8      *buf,
                  Bins        *counts,
                  GError     **error)
{
  Decode *d = plan->d;
  const Page *p = d->page;
  guint samples = plan->separate ? 1 : p->spp;
  guint plane = job / plan->strips_per_plane;
  guint32 row = (job % plan->strips_per_plane) * plan->rps;
  guint32 rows = MIN (plan->rps, p->height - row);
  tstrip_t strip = TIFFComputeStrip (tif, row, plan->separate ? plane : 0);

  if (TIFFReadEncodedStrip (tif, strip, buf, plan->row_bytes * rows) < plan->row_bytes * rows)
    {
      g_autofree char *what = g_strdup_printf (_("strip %u"), (guint) strip);
      set_corrupt (error, diag, what);
      return FALSE;
    }
  stream_release (plan->stream, TIFFGetStrileOffset (tif, strip), TIFFGetStrileByteCount (tif, strip));
  for (guint32 r = 0; r < rows; r++)
    {
      store_row (d, buf + r * plan->row_bytes, plan->separate ? plane : 0, samples, samples,
                 (gsize) (row + r) * p->width, p->width);
      if (counts)
        count_row (plan, counts, plan->separate ? plane : 0, samples, (gsize) (row + r) * p->width, p->width);
    }
  /* the preview and the pyramid may use these rows now */
  if (plan->job_done)
    g_atomic_int_set (&plan->job_done[job], 1);
  return TRUE;
}

/* The pyramid's level 2 of every channel, made by the calling thread in
 * order as the strips under its rows are decoded, so the pyramid is
 * nearly whole when the page is. */
typedef struct _Level2
{
  guint     width, height;
  guint16 **data;         /* per channel */
  guint16  *scratch;      /* two rows of level 1 */
  guint     rows_built;
} Level2;

static Level2 *
level2_new (const Page *p)
{
  Level2 *l2 = g_new0 (Level2, 1);
  guint w1 = (p->width + 1) / 2, h1 = (p->height + 1) / 2;

  l2->width = (w1 + 1) / 2;
  l2->height = (h1 + 1) / 2;
  l2->data = g_new0 (guint16 *, p->n_channels);
  for (guint c = 0; c < p->n_channels; c++)
    l2->data[c] = g_new (guint16, (gsize) l2->width * l2->height);
  l2->scratch = g_new (guint16, (gsize) 2 * w1);
  return l2;
}

static void
level2_free (Level2 *l2,
             guint   n_channels)
{
  for (guint c = 0; c < n_channels; c++)
    g_free (l2->data[c]);
  g_free (l2->data);
  g_free (l2->scratch);
  g_free (l2);
}

static gboolean
rows_decoded (StripPlan *plan,
              guint      y0,
              guint      y1)
{
  guint planes = plan->separate ? plan->d->page->n_channels : 1;

  for (guint k = 0; k < planes; k++)
    for (guint s = y0 / plan->rps; s <= (y1 - 1) / plan->rps; s++)
      if (!g_atomic_int_get (&plan->job_done[k * plan->strips_per_plane + s]))
        return FALSE;
  return TRUE;
}

static void
level2_step (StripPlan *plan)
{
  Level2 *l2 = plan->level2;
  const Page *p = plan->d->page;

  if (l2 == NULL)
    return;
  while (l2->rows_built < l2->height
         && rows_decoded (plan, l2->rows_built * 4, MIN (l2->rows_built * 4 + 4, p->height)))
    {
      for (guint c = 0; c < p->n_channels; c++)
        {
          DlPyramidLevel level0 = { p->width, p->height, plan->d->narrow[c] };

          dl_pyramid_quarter_row (&level0, l2->rows_built, l2->data[c] + (gsize) l2->rows_built * l2->width,
                                  l2->scratch);
        }
      l2->rows_built++;
    }
}

/* Wakes the calling thread (run_plan ()) to look at the jobs done. */
static void
plan_signal (StripPlan *plan)
{
  g_mutex_lock (&plan->lock);
  g_cond_signal (&plan->changed);
  g_mutex_unlock (&plan->lock);
}

/* Until a worker signals, or 10 ms at most (for progress and cancelling). */
static void
plan_wait (StripPlan *plan)
{
  g_mutex_lock (&plan->lock);
  if ((guint) g_atomic_int_get (&plan->done) < plan->n_jobs && !g_atomic_int_get (&plan->failed))
    g_cond_wait_until (&plan->changed, &plan->lock, g_get_monotonic_time () + 10 * G_TIME_SPAN_MILLISECOND);
  g_mutex_unlock (&plan->lock);
}

/* Adds a thread's bins into the page's, and empties them. */
static void
add_counts (StripPlan *plan,
            Bins      *b)
{
  g_mutex_lock (&plan->lock);
  for (guint c = 0; c < plan->d->page->n_channels; c++)
    for (guint v = 0; v < 65536; v++)
      plan->counts[c][v] += b->bins[(gsize) c * 65536 + v];
  g_mutex_unlock (&plan->lock);
  memset (b->bins, 0, (gsize) plan->d->page->n_channels * 65536 * sizeof (guint32));
  b->counted = 0;
}

/* Takes jobs (strips or tiles) in order until none is left (so the page
 * fills from the top, whichever thread decodes what). */
static gboolean
decode_strip_range (StripPlan   *plan,
                    TIFF        *tif,
                    Diagnostics *diag,
                    GError     **error)
{
  Decode *d = plan->d;
  g_autofree guint8 *buf = g_try_malloc (plan->tiled ? plan->tile_bytes : plan->row_bytes * plan->rps);
  g_autofree guint32 *bins = plan->counts ? g_new0 (guint32, (gsize) d->page->n_channels * 65536) : NULL;
  Bins counts = { bins, 0 };

  if (buf == NULL)
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_TOO_LARGE,
                   plan->tiled ? _("A TIFF tile is too large to decode") : _("A TIFF strip is too large to decode"));
      return FALSE;
    }

  for (guint job; (job = (guint) g_atomic_int_add (&plan->next_job, 1)) < plan->n_jobs;)
    {
      if (g_atomic_int_get (&plan->failed) || g_cancellable_is_cancelled (d->cancellable))
        return TRUE;   /* the caller reports */
      /* the calling thread reports progress (the others only decode) */
      if (tif == plan->main_tif
          && !report (d, (double) g_atomic_int_get (&plan->done) / plan->n_jobs, error))
        return FALSE;
      if (!(plan->tiled ? decode_tile_job : decode_strip_job) (plan, tif, diag, job, buf, bins ? &counts : NULL, error))
        return FALSE;
      g_atomic_int_inc (&plan->done);
      if (tif == plan->main_tif)
        {
          preview_step (plan);
          level2_step (plan);
        }
      else
        plan_signal (plan);
    }
  if (bins)
    add_counts (plan, &counts);
  return TRUE;
}

static gpointer
strip_worker (gpointer data)
{
  StripWorker *w = data;
  Stream stream = *w->plan->stream;
  Diagnostics diag = { "", "" };
  GError *error = NULL;
  TIFF *tif;

  stream.pos = 0;
  tif = open_stream (&stream, &diag, w->plan->options);
  if (tif == NULL || !TIFFSetDirectory (tif, w->plan->dir)
      || (w->plan->d->accumulate && !TIFFSetField (tif, TIFFTAG_PREDICTOR, PREDICTOR_NONE)))
    set_corrupt (&error, &diag, _("page"));
  else
    decode_strip_range (w->plan, tif, &diag, &error);

  if (tif)
    TIFFClose (tif);
  if (error)
    plan_fail (w->plan, error);
  return NULL;
}

/* Decodes the jobs of @plan on up to 8 cores, each thread with its own
 * libtiff handle on the same bytes; this thread reports progress. */
static gboolean
run_plan (StripPlan   *plan,
          TIFF        *tif,
          Diagnostics *diag,
          GError     **error)
{
  Decode *d = plan->d;
  const Page *p = d->page;
  guint n_threads = CLAMP (g_get_num_processors (), 1, 8);
  GThread *threads[8] = { NULL, };
  StripWorker workers[8];
  GError *local = NULL;

  g_mutex_init (&plan->lock);
  g_cond_init (&plan->changed);

  /* small pages are not worth a thread */
  if ((guint64) p->width * p->height < (1u << 20) || plan->n_jobs < 2 * n_threads)
    n_threads = 1;

  for (guint t = 1; t < n_threads; t++)
    {
      workers[t] = (StripWorker) { plan };
      threads[t] = g_thread_new ("dl-tiff", strip_worker, &workers[t]);
    }

  /* this thread decodes too, then reports progress until all are done */
  if (!decode_strip_range (plan, tif, diag, &local))
    plan_fail (plan, local);
  while (n_threads > 1 && (guint) g_atomic_int_get (&plan->done) < plan->n_jobs
         && !g_atomic_int_get (&plan->failed) && !g_cancellable_is_cancelled (d->cancellable))
    {
      emit_progress (d, (double) g_atomic_int_get (&plan->done) / plan->n_jobs);
      preview_step (plan);
      level2_step (plan);
      plan_wait (plan);
    }
  for (guint t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);
  g_mutex_clear (&plan->lock);
  g_cond_clear (&plan->changed);

  if (plan->error)
    {
      g_propagate_error (error, plan->error);
      return FALSE;
    }
  return report (d, 1.0, error);
}

static guint64 **
counts_new (guint n_channels)
{
  guint64 **counts = g_new0 (guint64 *, n_channels);

  for (guint c = 0; c < n_channels; c++)
    counts[c] = g_new0 (guint64, 65536);
  return counts;
}

static void
counts_free (guint64 **counts,
             guint     n_channels)
{
  if (counts == NULL)
    return;
  for (guint c = 0; c < n_channels; c++)
    g_free (counts[c]);
  g_free (counts);
}

/* A page of 16-bit samples, one a pixel in each row, stored with
 * horizontal differencing (predictor 2): libtiff undoes the differences
 * sample by sample through memory, the slowest part of decoding such a
 * page after the codec itself.  Told there is no predictor, libtiff
 * hands over the differences (byte-swapped to host order as for any
 * 16-bit page), and store_narrow () sums them up as it copies the rows.
 * Must be called before the first strip of the page is read. */
static gboolean
predictor_is_ours (TIFF       *tif,
                   const Page *p,
                   gboolean    separate)
{
  guint16 predictor = PREDICTOR_NONE;

  if (p->tiled || p->bps != 16 || !is_narrow (p) || (p->spp > 1 && !separate))
    return FALSE;
  return TIFFGetField (tif, TIFFTAG_PREDICTOR, &predictor) && predictor == PREDICTOR_HORIZONTAL;
}

static gboolean
take_predictor (TIFF       *tif,
                const Page *p,
                gboolean    separate)
{
  return predictor_is_ours (tif, p, separate) && TIFFSetField (tif, TIFFTAG_PREDICTOR, PREDICTOR_NONE) == 1;
}

static gboolean
decode_strips (TIFF        *tif,
               Decode      *d,
               Diagnostics *diag,
               GError     **error)
{
  const Page *p = d->page;
  StripPlan plan = { d, d->stream, d->options, TIFFCurrentDirectory (tif), tif };
  guint n_planes;
  gboolean ok;

  TIFFGetFieldDefaulted (tif, TIFFTAG_ROWSPERSTRIP, &plan.rps);
  plan.rps = CLAMP (plan.rps, 1, p->height);
  plan.separate = p->planar == PLANARCONFIG_SEPARATE && p->spp > 1;
  n_planes = plan.separate ? p->n_channels : 1;
  plan.row_bytes = plan.separate ? ((tmsize_t) p->width * p->bps + 7) / 8 : TIFFScanlineSize (tif);
  if (plan.row_bytes <= 0 || plan.row_bytes > G_MAXSSIZE / (tmsize_t) plan.rps)
    {
      set_corrupt (error, diag, _("row size"));
      return FALSE;
    }
  plan.strips_per_plane = (p->height + plan.rps - 1) / plan.rps;
  plan.n_jobs = plan.strips_per_plane * n_planes;
  if (d->options && d->options->preview && d->first_page && is_narrow (p)
      && (guint64) p->width * p->height >= DL_PREVIEW_MIN_SAMPLES)
    plan.preview = preview_new (p);
  /* level 2 as the rows come (not for min-is-white pages: they are
   * inverted after decoding) */
  if (is_narrow (p) && p->photometric != PHOTOMETRIC_MINISWHITE && dl_pyramid_has_level2 (p->width, p->height))
    plan.level2 = level2_new (p);
  if (plan.preview || plan.level2)
    plan.job_done = g_new0 (gint, plan.n_jobs);
  /* the histogram as the rows come (not where the samples change after
   * decoding) */
  if (is_narrow (p) && p->photometric != PHOTOMETRIC_MINISWHITE)
    plan.counts = counts_new (p->n_channels);
  d->accumulate = take_predictor (tif, p, plan.separate);
  ok = run_plan (&plan, tif, diag, error);
  d->accumulate = FALSE;
  if (ok && plan.counts)
    d->counts = g_steal_pointer (&plan.counts);
  counts_free (plan.counts, p->n_channels);
  if (ok && plan.preview)
    /* the whole page, last of all (the scan itself follows soon after) */
    preview_step (&plan);
  if (ok && plan.level2)
    {
      level2_step (&plan);
      g_assert (plan.level2->rows_built == plan.level2->height);
      d->level2 = g_steal_pointer (&plan.level2->data);
      plan.level2->data = g_new0 (guint16 *, p->n_channels);
    }
  g_clear_pointer (&plan.preview, preview_free);
  if (plan.level2)
    level2_free (plan.level2, p->n_channels);
  g_free (plan.job_done);
  return ok;
}

/* Tiled pages: a job is a tile; compressed tiles decode in parallel. */
static gboolean
decode_tiles (TIFF        *tif,
              Decode      *d,
              Diagnostics *diag,
              GError     **error)
{
  const Page *p = d->page;
  StripPlan plan = { d, d->stream, d->options, TIFFCurrentDirectory (tif), tif };
  guint n_planes, samples;
  guint64 per_plane;

  plan.tiled = TRUE;
  plan.separate = p->planar == PLANARCONFIG_SEPARATE && p->spp > 1;
  samples = plan.separate ? 1 : p->spp;
  n_planes = plan.separate ? p->n_channels : 1;
  if (!TIFFGetField (tif, TIFFTAG_TILEWIDTH, &plan.tw) || !TIFFGetField (tif, TIFFTAG_TILELENGTH, &plan.th)
      || plan.tw == 0 || plan.th == 0 || plan.tw > MAX_SIDE || plan.th > MAX_SIDE)
    {
      set_corrupt (error, diag, _("tile size"));
      return FALSE;
    }
  plan.row_bytes = ((tmsize_t) plan.tw * samples * p->bps + 7) / 8;
  plan.tile_bytes = TIFFTileSize (tif);
  if (plan.tile_bytes <= 0 || plan.tile_bytes < plan.row_bytes * (tmsize_t) plan.th)
    {
      set_corrupt (error, diag, _("tile size"));
      return FALSE;
    }
  plan.tiles_across = (p->width + plan.tw - 1) / plan.tw;
  per_plane = (guint64) plan.tiles_across * ((p->height + plan.th - 1) / plan.th);
  if (per_plane * n_planes > G_MAXUINT)
    {
      set_corrupt (error, diag, _("tile size"));
      return FALSE;
    }
  plan.strips_per_plane = (guint) per_plane;
  plan.n_jobs = plan.strips_per_plane * n_planes;
  plan.rps = plan.th;
  return run_plan (&plan, tif, diag, error);
}

/* ---- mapping into the plane -------------------------------------------- */

/* Wide samples → 16 bits: an offset when the integer span fits (lossless),
 * else a linear map of the finite [min, max] onto 0 … 65535.  NaN and −∞
 * become 0, +∞ 65535. */
static void
map_wide (const double *src,
          gsize         n,
          DlPlane      *plane)
{
  double min = INFINITY, max = -INFINITY, scale;
  gboolean integral = TRUE;

  for (gsize i = 0; i < n; i++)
    if (isfinite (src[i]))
      {
        min = MIN (min, src[i]);
        max = MAX (max, src[i]);
        integral = integral && src[i] == floor (src[i]);
      }
  if (!isfinite (min))
    min = max = 0;

  if (integral && max - min <= 65535)
    scale = 1.0;
  else if (isfinite (max - min))
    scale = (max - min) / 65535.0;
  else  /* e.g. −1e308 … 1e308: the span itself overflows, and ∞ / ∞ is NaN */
    scale = max / 65535.0 - min / 65535.0;
  if (scale == 0)
    scale = 1.0;

  plane->scale = scale;
  plane->offset = min;
  plane->lossless = integral && max - min <= 65535;

  for (gsize i = 0; i < n; i++)
    {
      double v = src[i];
      if (isnan (v) || v == -INFINITY)
        plane->data[i] = 0;
      else if (v == INFINITY)
        plane->data[i] = 65535;
      else
        plane->data[i] = (guint16) CLAMP (round ((v - min) / scale), 0, 65535);
    }
}

static void
set_narrow_mapping (const Page *p,
                    DlPlane    *plane)
{
  plane->scale = 1.0;
  plane->offset = p->format == SAMPLEFORMAT_INT ? -(double) (1u << (p->bps - 1)) : 0.0;
  plane->lossless = TRUE;
}

/* MinIsWhite: larger must mean more transmission.  The recorded mapping
 * stays exact: file value = stored × scale + offset. */
static double
min_is_white_max (const Page *p)
{
  return is_narrow (p) ? (double) ((1u << p->bps) - 1) : 65535.0;
}

static void
invert_samples (const Page *p,
                guint16    *data,
                gsize       n)
{
  double maxval = min_is_white_max (p);

  for (gsize i = 0; i < n; i++)
    data[i] = (guint16) (maxval - data[i]);
}

static void
invert_min_is_white (const Page *p,
                     DlPlane    *plane)
{
  double maxval = min_is_white_max (p);

  invert_samples (p, plane->data, (gsize) plane->width * plane->height);
  plane->offset += maxval * plane->scale;
  plane->scale = -plane->scale;
}

/* ---- placement ----------------------------------------------------------- */

/* "view=N;channel=NAME" (in either order; the view is required, a view
 * beyond 63 is not a placement).  Returns FALSE for any other name. */
static gboolean
parse_page_name (const char  *text,
                 guint       *view,
                 char       **name)
{
  g_auto(GStrv) parts = NULL;
  gboolean have_view = FALSE;

  *name = NULL;
  if (text == NULL || strstr (text, "view=") == NULL)
    return FALSE;

  parts = g_strsplit (text, ";", 8);
  for (guint i = 0; parts[i]; i++)
    {
      const char *part = g_strstrip (parts[i]);
      guint64 v;

      if (g_str_has_prefix (part, "view="))
        {
          have_view = g_ascii_string_to_unsigned (part + 5, 10, 0, 63, &v, NULL);
          if (!have_view)
            break;
          *view = v;
        }
      else if (g_str_has_prefix (part, "channel=") && part[8])
        {
          g_free (*name);
          *name = g_utf8_make_valid (part + 8, -1);
        }
    }
  if (!have_view)
    g_clear_pointer (name, g_free);
  return have_view;
}

/* Pages of the first page's size are channels of view 0; another size
 * joins the view that has it, or starts a new one. */
static guint
view_for_size (DlScan *scan,
               guint   width,
               guint   height)
{
  guint n_views = dl_scan_get_n_views (scan);

  for (guint v = 0; v < n_views; v++)
    {
      DlPlane *first = dl_scan_get_plane (scan, v, 0);
      if (first && first->width == width && first->height == height)
        return v;
    }
  return n_views;
}

/* ---- metadata ------------------------------------------------------------ */

/* Text as the user will see it: invalid UTF-8 (Latin-1 from old
 * software) is repaired rather than dropped. */
static void
set_text (DlScan     *scan,
          const char *key,
          const char *value)
{
  g_autofree char *valid = NULL;

  if (value == NULL || value[0] == '\0')
    return;
  valid = g_utf8_make_valid (value, -1);
  dl_scan_set_metadata (scan, key, valid);
}

/* The first page that has a tag gives its value; PageName is kept per
 * page, as "page-name-N" (N counting the file's pages from 0). */
static void
read_text_tags (TIFF   *tif,
                DlScan *scan,
                guint   index)
{
  static const struct { ttag_t tag; const char *key; } tags[] = {
    { TIFFTAG_IMAGEDESCRIPTION, "description" },
    { TIFFTAG_SOFTWARE, "software" },
    { TIFFTAG_DATETIME, "datetime" },
    { TIFFTAG_MAKE, "make" },
    { TIFFTAG_MODEL, "model" },
    { TIFFTAG_CAMERASERIALNUMBER, "serial" },
    { TIFFTAG_ARTIST, "artist" },
    { TIFFTAG_DOCUMENTNAME, "document-name" },
  };
  g_autofree char *page_key = g_strdup_printf ("page-name-%u", index);
  char *value = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (tags); i++)
    {
      value = NULL;
      if (dl_scan_get_metadata (scan, tags[i].key) == NULL
          && TIFFGetField (tif, tags[i].tag, &value))
        set_text (scan, tags[i].key, value);
    }

  value = NULL;
  if (TIFFGetField (tif, TIFFTAG_PAGENAME, &value))
    set_text (scan, page_key, value);
}

static void
read_pitch (TIFF   *tif,
            DlScan *scan)
{
  float xres = 0, yres = 0;
  guint16 unit = RESUNIT_NONE;
  double mm;

  if (dl_scan_get_pixel_pitch (scan, NULL, NULL))
    return;
  if (!TIFFGetField (tif, TIFFTAG_XRESOLUTION, &xres) || !TIFFGetField (tif, TIFFTAG_YRESOLUTION, &yres))
    return;
  TIFFGetFieldDefaulted (tif, TIFFTAG_RESOLUTIONUNIT, &unit);

  if (unit == RESUNIT_INCH)
    mm = 25.4;
  else if (unit == RESUNIT_CENTIMETER)
    mm = 10.0;
  else
    return;

  if (isfinite (xres) && isfinite (yres) && xres > 0 && yres > 0)
    {
      dl_scan_set_pixel_pitch (scan, mm / xres, mm / yres);
      dl_scan_set_metadata (scan, "pitch-source", unit == RESUNIT_INCH
                            ? _("the resolution tags (pixels per inch)")
                            : _("the resolution tags (pixels per centimetre)"));
    }
}

/* A member that is a number, else FALSE: the description is the file's
 * word, so anything else in it is ignored rather than trusted. */
static gboolean
json_member_number (JsonObject *object,
                    const char *member,
                    double     *value)
{
  JsonNode *node = json_object_get_member (object, member);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_double (node);
  return TRUE;
}

static const char *
json_member_string (JsonObject *object,
                    const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonNode *
json_member_of_type (JsonObject   *object,
                     const char   *member,
                     JsonNodeType  type)
{
  JsonNode *node = json_object_get_member (object, member);

  return node && JSON_NODE_TYPE (node) == type ? node : NULL;
}

/* An air value in stored units: positive, finite, within 16 bits. */
static gboolean
valid_i0 (double i0)
{
  return isfinite (i0) && i0 > 0 && i0 <= 65535;
}

/* A pixel pitch in millimetres: positive, finite, and under 10 m. */
static gboolean
valid_pitch (double mm)
{
  return isfinite (mm) && mm > 0 && mm < 10000;
}

/* "pitch_mm": P (square pixels) or [PX, PY], each valid. */
static gboolean
description_pitch (JsonObject *dl,
                   double     *x,
                   double     *y)
{
  JsonNode *node = json_member_of_type (dl, "pitch_mm", JSON_NODE_ARRAY);
  JsonArray *array;

  if (node == NULL)
    {
      if (!json_member_number (dl, "pitch_mm", x) || !valid_pitch (*x))
        return FALSE;
      *y = *x;
      return TRUE;
    }
  array = json_node_get_array (node);
  if (json_array_get_length (array) != 2)
    return FALSE;
  for (guint i = 0; i < 2; i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      GType type = JSON_NODE_HOLDS_VALUE (e) ? json_node_get_value_type (e) : G_TYPE_INVALID;
      double v;

      if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
        return FALSE;
      v = json_node_get_double (e);
      if (!valid_pitch (v))
        return FALSE;
      *(i == 0 ? x : y) = v;
    }
  return TRUE;
}

/* {"name": …, "i0": N}: the I0 of the channels of that name. */
static void
apply_channel_i0 (DlScan   *scan,
                  JsonNode *node)
{
  const char *name;
  double i0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return;
  name = json_member_string (json_node_get_object (node), "name");
  if (name == NULL || !json_member_number (json_node_get_object (node), "i0", &i0) || !valid_i0 (i0))
    return;

  for (guint k = 0; k < dl_scan_get_n_planes (scan); k++)
    {
      DlPlane *plane = dl_scan_get_plane_at (scan, k);
      if (g_strcmp0 (plane->name, name) == 0)
        plane->air_value = i0;
    }
}

/* An ImageDescription of {"doorlicht": {"i0": N, "pitch_mm": P or [PX, PY],
 * "channels": [{"name": …, "i0": N}, …]}} states the air value (I0, in
 * stored units) of every plane and of named channels, and the pixel pitch.
 * Anything else is just text.  TRUE when the description is Doorlicht's.
 * Also for the DICOS images Doorlicht writes (dl-dicom-scan.c). */
gboolean
dl_tiff_apply_description (DlScan *scan)
{
  const char *text = dl_scan_get_metadata (scan, "description");
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root, *dl, *channels;
  double i0, pitch, pitch_y;

  if (text == NULL || text[0] != '{' || dl_json_refused (text, -1))
    return FALSE;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, -1, NULL))
    return FALSE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  dl = json_member_of_type (json_node_get_object (root), "doorlicht", JSON_NODE_OBJECT);
  if (dl == NULL)
    return FALSE;

  if (json_member_string (json_node_get_object (dl), "profile") != NULL)
    set_text (scan, "profile", json_member_string (json_node_get_object (dl), "profile"));
  if (json_member_number (json_node_get_object (dl), "i0", &i0) && valid_i0 (i0))
    for (guint i = 0; i < dl_scan_get_n_planes (scan); i++)
      dl_scan_get_plane_at (scan, i)->air_value = i0;
  /* the pitch stated in the description wins over the resolution tags:
   * they are often a writer's default (72 dpi, with the unit defaulting
   * to inches), while "pitch_mm" is the scanner's own statement */
  if (description_pitch (json_node_get_object (dl), &pitch, &pitch_y))
    {
      dl_scan_set_metadata (scan, "pitch-source", dl_scan_get_metadata (scan, "pitch-source")
                            ? _("the description (pitch_mm), over the resolution tags")
                            : _("the description (pitch_mm)"));
      dl_scan_set_pixel_pitch (scan, pitch, pitch_y);
    }

  channels = json_member_of_type (json_node_get_object (dl), "channels", JSON_NODE_ARRAY);
  if (channels != NULL)
    {
      JsonArray *array = json_node_get_array (channels);

      for (guint i = 0; i < json_array_get_length (array); i++)
        apply_channel_i0 (scan, json_array_get_element (array, i));
    }
  return TRUE;
}

/* ---- the file ------------------------------------------------------------ */

static void
page_clear (Page *p)
{
  g_free (p->page_name);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Page, page_clear)

/* All of the page's channels must fit under the cap, and the file must be
 * large enough to hold them: checked before the first allocation. */
static gboolean
check_page_size (const Page  *p,
                 DlScan      *scan,
                 gsize        file_length,
                 guint64      max_memory,
                 GError     **error)
{
  guint64 samples = (guint64) p->width * p->height * p->spp;
  guint64 need = dl_scan_get_memory_size (scan) + (guint64) p->width * p->height * p->n_channels * 2;
  guint64 ratio = p->compression == COMPRESSION_NONE ? 1 : MAX_COMPRESSION_RATIO;

  if (need > max_memory)
    {
      g_autofree char *need_text = g_format_size (need);
      g_autofree char *cap = g_format_size (max_memory);
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_TOO_LARGE,
                   _("The scan needs %s of memory, more than the limit of %s (%u × %u pixels, %u channels)"),
                   need_text, cap, p->width, p->height, p->n_channels);
      return FALSE;
    }

  if (samples / 8 * p->bps > (guint64) file_length * ratio)
    {
      g_autofree char *size = g_format_size_full (file_length, G_FORMAT_SIZE_LONG_FORMAT);
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_CORRUPT,
                   _("The TIFF file is damaged: it claims %u × %u pixels but holds only %s"),
                   p->width, p->height, size);
      return FALSE;
    }
  return TRUE;
}

/* The view a page goes to: its PageName's when that names one (views are
 * numbered without gaps, and a view's channels share a size), else the
 * first view of its size, else a new one. */
static guint
choose_view (DlScan     *scan,
             const Page *p,
             char      **explicit_name)
{
  guint view = 0;
  DlPlane *first;

  if (!parse_page_name (p->page_name, &view, explicit_name))
    return view_for_size (scan, p->width, p->height);

  first = dl_scan_get_plane (scan, view, 0);
  if (first && (first->width != p->width || first->height != p->height))
    return view_for_size (scan, p->width, p->height);
  return MIN (view, dl_scan_get_n_views (scan));
}

static DlSampleFormat
sample_format (const Page *p)
{
  switch (p->format)
    {
    case SAMPLEFORMAT_INT: return DL_SAMPLE_INT;
    case SAMPLEFORMAT_IEEEFP: return DL_SAMPLE_FLOAT;
    default: return DL_SAMPLE_UINT;
    }
}

/* The scratch space of wide types (a double per sample while the range
 * is found) counts against the cap too. */
static gboolean
check_scratch_size (const Page *p,
                    DlScan     *scan,
                    guint64     max_memory,
                    GError    **error)
{
  guint64 need = dl_scan_get_memory_size (scan)
                 + (guint64) p->width * p->height * p->n_channels * (sizeof (guint16) + sizeof (double));

  if (is_narrow (p) || need <= max_memory)
    return TRUE;

  {
    g_autofree char *cap = g_format_size (max_memory);
    g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_TOO_LARGE,
                 _("Converting this %u × %u scan needs more memory than the limit of %s"),
                 p->width, p->height, cap);
  }
  return FALSE;
}

/* Adds one plane per kept sample to @view, and for wide types the
 * scratch arrays; on failure what was allocated here is freed. */
static gboolean
add_planes (DlScan      *scan,
            const Page  *p,
            guint        view,
            const char  *explicit_name,
            guint64      max_memory,
            DlPlane    **planes,
            double     **wide,
            GError     **error)
{
  for (guint c = 0; c < p->n_channels; c++)
    {
      g_autofree char *name = NULL;

      if (explicit_name && p->n_channels == 1)
        name = g_strdup (explicit_name);
      else if (explicit_name)
        name = g_strdup_printf ("%s %u", explicit_name, c);

      planes[c] = dl_scan_add_plane (scan, view, name, p->width, p->height, max_memory, error);
      if (planes[c] == NULL)
        return FALSE;
      planes[c]->source_bits = p->bps;
      planes[c]->source_format = sample_format (p);
      if (is_narrow (p))
        continue;

      wide[c] = g_try_new (double, (gsize) p->width * p->height);
      if (wide[c] == NULL)
        {
          g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_TOO_LARGE,
                       _("Could not allocate memory to convert the samples"));
          return FALSE;
        }
    }
  return TRUE;
}

/* Records each plane's mapping (mapping wide samples into it), inverts
 * MinIsWhite, and notes what the metadata must say. */
static void
finish_planes (DlScan     *scan,
               const Page *p,
               DlPlane   **planes,
               double    **wide)
{
  for (guint c = 0; c < p->n_channels; c++)
    {
      if (is_narrow (p))
        set_narrow_mapping (p, planes[c]);
      else
        map_wide (wide[c], (gsize) p->width * p->height, planes[c]);
      if (p->photometric == PHOTOMETRIC_MINISWHITE)
        invert_min_is_white (p, planes[c]);
    }

  if (p->photometric == PHOTOMETRIC_MINISWHITE)
    dl_scan_set_metadata (scan, "photometric", "min-is-white");
  if (p->first_alpha < p->spp)
    dl_scan_set_metadata (scan, "dropped-samples", "alpha");
}

static void
free_scratch (double **wide,
              guint    n)
{
  for (guint c = 0; c < n; c++)
    g_free (wide[c]);
  g_free (wide);
}

/* Adds the page's channels to @scan and decodes them into it. */
static gboolean
load_page (TIFF                *tif,
           DlScan              *scan,
           const DlLoadOptions *options,
           Decode              *d,
           Diagnostics         *diag,
           GError             **error)
{
  g_auto(Page) p;
  g_autofree DlPlane **planes = NULL;
  g_autofree guint16 **narrow = NULL;
  g_autofree char *explicit_name = NULL;
  guint64 max_memory = options && options->max_memory ? options->max_memory : DL_DEFAULT_MAX_MEMORY;
  double **wide;
  guint view;
  gboolean ok;

  if (!read_page (tif, &p, error))
    return FALSE;
  view = choose_view (scan, &p, &explicit_name);
  if (!check_page_size (&p, scan, d->file_length, max_memory, error)
      || !check_scratch_size (&p, scan, max_memory, error))
    return FALSE;

  planes = g_new0 (DlPlane *, p.n_channels);
  wide = g_new0 (double *, p.n_channels);
  ok = add_planes (scan, &p, view, explicit_name, max_memory, planes, wide, error);
  if (ok)
    {
      narrow = g_new0 (guint16 *, p.n_channels);
      for (guint c = 0; c < p.n_channels; c++)
        narrow[c] = planes[c]->data;
      d->page = &p;
      d->first_page = dl_scan_get_n_planes (scan) == p.n_channels;
      d->narrow = narrow;
      d->wide = wide;
      ok = p.tiled ? decode_tiles (tif, d, diag, error) : decode_strips (tif, d, diag, error);
      d->page = NULL;
    }
  if (ok)
    finish_planes (scan, &p, planes, wide);
  if (d->level2)
    {
      for (guint c = 0; c < p.n_channels; c++)
        if (ok)
          planes[c]->level2 = d->level2[c];
        else
          g_free (d->level2[c]);
      g_clear_pointer (&d->level2, g_free);
    }
  if (d->counts)
    {
      for (guint c = 0; c < p.n_channels; c++)
        if (ok)
          planes[c]->counts = g_steal_pointer (&d->counts[c]);
      counts_free (g_steal_pointer (&d->counts), p.n_channels);
    }
  free_scratch (wide, p.n_channels);
  return ok;
}

/* A later page this program does not handle (a colour photograph or
 * preview beside the X-ray pages) is skipped, and said so in the metadata
 * ("skipped-pages": "N: reason; …", N counting from 1); the first page
 * decides whether the file is a scan at all.  Only a page refused before
 * any of its planes was added can be skipped. */
static gboolean
load_page_or_skip (TIFF                *tif,
                   DlScan              *scan,
                   const DlLoadOptions *options,
                   Decode              *d,
                   Diagnostics         *diag,
                   guint                index,
                   GError             **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *note = NULL;
  guint n_planes = dl_scan_get_n_planes (scan);
  const char *before;

  if (load_page (tif, scan, options, d, diag, &local))
    return TRUE;
  if (index == 0 || !g_error_matches (local, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED)
      || dl_scan_get_n_planes (scan) != n_planes)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }

  before = dl_scan_get_metadata (scan, "skipped-pages");
  note = before ? g_strdup_printf ("%s; %u: %s", before, index + 1, local->message)
                : g_strdup_printf ("%u: %s", index + 1, local->message);
  dl_scan_set_metadata (scan, "skipped-pages", note);
  return TRUE;
}

/* Reduced-resolution copies (pyramid levels, thumbnails) are not pages. */
static gboolean
is_reduced (TIFF *tif)
{
  guint32 type = 0;

  return TIFFGetField (tif, TIFFTAG_SUBFILETYPE, &type) && (type & FILETYPE_REDUCEDIMAGE);
}

/* What the survey of the pages found. */
typedef struct
{
  guint   n_pages;
  guint64 bytes;      /* sample memory of all the pages read */
  guint   n_planes;
  guint32 width;      /* of the largest page */
  guint32 height;
} Survey;

/* Adds the sample memory the current page will take, unless it will be
 * refused (or skipped) anyway: read_page () says why when it gets there. */
static void
survey_page (TIFF   *tif,
             guint   index,
             Survey *survey)
{
  Page p = { 0 };
  guint64 pixels;

  if ((index > 0 && is_reduced (tif))
      || !TIFFGetField (tif, TIFFTAG_IMAGEWIDTH, &p.width)
      || !TIFFGetField (tif, TIFFTAG_IMAGELENGTH, &p.height))
    return;
  TIFFGetFieldDefaulted (tif, TIFFTAG_SAMPLESPERPIXEL, &p.spp);
  if (!TIFFGetField (tif, TIFFTAG_PHOTOMETRIC, &p.photometric))
    p.photometric = PHOTOMETRIC_MINISBLACK;
  if (p.spp > MAX_SAMPLES
      || (p.photometric != PHOTOMETRIC_MINISBLACK && p.photometric != PHOTOMETRIC_MINISWHITE))
    return;

  find_alpha (tif, &p);
  pixels = (guint64) p.width * p.height;
  survey->bytes += pixels * p.n_channels * sizeof (guint16);
  survey->n_planes += p.n_channels;
  if (pixels > (guint64) survey->width * survey->height)
    {
      survey->width = p.width;
      survey->height = p.height;
    }
}

/* Counts the pages (up to MAX_PAGES + 1) and adds up the memory all of
 * them need, so that a scan over the cap is refused before the first
 * allocation rather than after decoding most of it. */
static void
survey_pages (TIFF   *tif,
              Survey *survey)
{
  memset (survey, 0, sizeof *survey);
  do
    survey_page (tif, survey->n_pages++, survey);
  while (survey->n_pages <= MAX_PAGES && TIFFReadDirectory (tif));
  TIFFSetDirectory (tif, 0);
}

static gboolean
check_survey (const Survey *survey,
              guint64       max_memory,
              GError      **error)
{
  if (survey->n_pages > MAX_PAGES)
    {
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED,
                   _("The TIFF file has more than %u pages; a scan has far fewer"), MAX_PAGES);
      return FALSE;
    }
  if (survey->bytes > max_memory)
    {
      g_autofree char *need = g_format_size (survey->bytes);
      g_autofree char *cap = g_format_size (max_memory);
      g_set_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_TOO_LARGE,
                   _("The scan needs %s of memory, more than the limit of %s (%u × %u pixels, %u channels)"),
                   need, cap, survey->width, survey->height, survey->n_planes);
      return FALSE;
    }
  return TRUE;
}

static TIFF *
open_stream (Stream              *stream,
             Diagnostics         *diag,
             const DlLoadOptions *options)
{
  TIFFOpenOptions *opts = TIFFOpenOptionsAlloc ();
  guint64 max_memory = options && options->max_memory ? options->max_memory : DL_DEFAULT_MAX_MEMORY;
  TIFF *tif;

  TIFFOpenOptionsSetErrorHandlerExtR (opts, on_tiff_error, diag);
  TIFFOpenOptionsSetWarningHandlerExtR (opts, on_tiff_warning, diag);
  TIFFOpenOptionsSetMaxSingleMemAlloc (opts, (tmsize_t) MIN (max_memory, (guint64) G_MAXSSIZE));
  tif = TIFFClientOpenExt ("scan", "r", (thandle_t) stream, stream_read, stream_write,
                           stream_seek, stream_close, stream_size, stream_map, stream_unmap, opts);
  TIFFOpenOptionsFree (opts);
  return tif;
}

static DlScan *
load (GBytes              *bytes,
      gboolean             mapped,
      const DlLoadOptions *options,
      DlProgressFunc       progress,
      gpointer             user_data,
      GCancellable        *cancellable,
      GError             **error)
{
  g_autoptr(DlScan) scan = dl_scan_new ();
  Diagnostics diag = { "" };
  Stream stream = { 0 };
  Decode d = { 0 };
  guint64 max_memory = options && options->max_memory ? options->max_memory : DL_DEFAULT_MAX_MEMORY;
  Survey survey;
  guint n_pages, index = 0;
  gboolean ok = TRUE;
  TIFF *tif;

  stream.data = g_bytes_get_data (bytes, &stream.length);
  stream.droppable = mapped;
  tif = open_stream (&stream, &diag, options);
  if (tif == NULL)
    {
      set_corrupt (error, &diag, _("header"));
      return NULL;
    }

  survey_pages (tif, &survey);
  if (!check_survey (&survey, max_memory, error))
    {
      TIFFClose (tif);
      return NULL;
    }
  n_pages = survey.n_pages;

  d.progress = progress;
  d.progress_data = user_data;
  d.cancellable = cancellable;
  d.share = 1.0 / n_pages;
  d.file_length = stream.length;
  d.stream = &stream;
  d.options = options;
  d.reported = -1.0;

  do
    {
      diag.message[0] = diag.warning[0] = '\0';
      if (!is_reduced (tif) || index == 0)
        {
          ok = load_page_or_skip (tif, scan, options, &d, &diag, index, error);
          if (ok)
            {
              read_text_tags (tif, scan, index);
              read_pitch (tif, scan);
            }
        }
      d.done = (double) ++index / n_pages;
    }
  while (ok && index < n_pages && TIFFReadDirectory (tif));

  TIFFClose (tif);
  if (!ok)
    {
      if (error && *error && g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return NULL;
      if (n_pages > 1 && error && *error)
        g_prefix_error (error, _("Page %u of %u: "), index, n_pages);
      return NULL;
    }

  if (!dl_tiff_apply_description (scan))
    _dl_tiff_vendor_name_energies (scan, n_pages);
  if (progress)
    progress (1.0, user_data);
  return g_steal_pointer (&scan);
}

DlScan *
dl_tiff_load_bytes (GBytes              *bytes,
                    const DlLoadOptions *options,
                    DlProgressFunc       progress,
                    gpointer             user_data,
                    GCancellable        *cancellable,
                    GError             **error)
{
  return load (bytes, FALSE, options, progress, user_data, cancellable, error);
}

DlScan *
dl_tiff_load_mapped (GBytes              *bytes,
                     const DlLoadOptions *options,
                     DlProgressFunc       progress,
                     gpointer             user_data,
                     GCancellable        *cancellable,
                     GError             **error)
{
  return load (bytes, TRUE, options, progress, user_data, cancellable, error);
}

/* ---- rows, streamed ------------------------------------------------------ */

/* A band is whole strips, about 1 MiB of samples; there are two bands in
 * flight a decoding thread, so memory is a few MiB whatever the scan. */
#define BAND_BYTES (1u << 20)

typedef enum { SLOT_FREE, SLOT_READY } SlotState;

struct _DlTiffRows
{
  GMappedFile  *file;
  Stream        stream;
  Page          page;
  guint         channel;
  guint32       rps;
  tmsize_t      row_bytes;
  gboolean      separate;
  gboolean      accumulate;   /* the workers undo the predictor: see take_predictor () */

  guint         band_rows;
  guint         n_bands;
  guint         n_slots;
  guint16     **slots;        /* band b goes to slot b % n_slots */
  SlotState    *state;

  GMutex        lock;
  GCond         cond;
  guint         next_band;    /* the next band a worker takes */
  guint         released;     /* bands the reader is done with */
  gboolean      stop;
  GError       *error;        /* the first failure of a worker */
  GThread      *threads[8];
  guint         n_threads;

  guint         next_read;    /* the band the reader gets next */
  gboolean      holding;      /* it holds band next_read − 1 */
  DlLoadOptions load_options;
};

/* The page decodes row by row into 16 bits exactly as dl_tiff_load_* ()
 * would decode it into its plane: a single page (so no other page can
 * fail the file or change the placement), in strips, of narrow samples,
 * within the memory cap and not claiming more pixels than the file holds. */
static gboolean
rows_page_streamable (DlTiffRows *self,
                      TIFF       *tif,
                      guint64     max_memory)
{
  g_autoptr(DlScan) empty = dl_scan_new ();
  Survey survey;

  survey_pages (tif, &survey);
  if (survey.n_pages != 1 || !check_survey (&survey, max_memory, NULL)
      || !read_page (tif, &self->page, NULL)
      || self->page.tiled || !is_narrow (&self->page) || self->channel >= self->page.n_channels
      || !check_page_size (&self->page, empty, self->stream.length, max_memory, NULL))
    return FALSE;

  TIFFGetFieldDefaulted (tif, TIFFTAG_ROWSPERSTRIP, &self->rps);
  self->rps = CLAMP (self->rps, 1, self->page.height);
  self->separate = self->page.planar == PLANARCONFIG_SEPARATE && self->page.spp > 1;
  self->row_bytes = self->separate ? ((tmsize_t) self->page.width * self->page.bps + 7) / 8 : TIFFScanlineSize (tif);
  self->accumulate = predictor_is_ours (tif, &self->page, self->separate);
  return self->row_bytes > 0 && self->row_bytes <= G_MAXSSIZE / (tmsize_t) self->rps;
}

/* Decodes the strips of band @band into @out (band_rows × width). */
static gboolean
rows_decode_band (DlTiffRows  *self,
                  TIFF        *tif,
                  Diagnostics *diag,
                  guint8      *buf,
                  guint        band,
                  guint16     *out,
                  GError     **error)
{
  const Page *p = &self->page;
  guint32 y0 = band * self->band_rows, y1 = MIN (y0 + self->band_rows, p->height);

  for (guint32 row = y0; row < y1; row += self->rps)
    {
      guint32 rows = MIN (self->rps, p->height - row);
      tstrip_t strip = TIFFComputeStrip (tif, row, self->separate ? self->channel : 0);
      guint16 *dst = out + (gsize) (row - y0) * p->width;

      if (TIFFReadEncodedStrip (tif, strip, buf, self->row_bytes * rows) < self->row_bytes * rows)
        {
          g_autofree char *what = g_strdup_printf (_("strip %u"), (guint) strip);
          set_corrupt (error, diag, what);
          return FALSE;
        }
      stream_release (&self->stream, TIFFGetStrileOffset (tif, strip), TIFFGetStrileByteCount (tif, strip));
      for (guint32 r = 0; r < rows; r++)
        store_narrow (p, buf + r * self->row_bytes, self->separate ? 0 : self->channel,
                      self->separate ? 1 : p->spp, self->accumulate, dst + (gsize) r * p->width, p->width);
      if (p->photometric == PHOTOMETRIC_MINISWHITE)
        invert_samples (p, dst, (gsize) rows * p->width);
    }
  return TRUE;
}

/* Takes the next band, waits for its slot to be free, decodes it. */
static gboolean
rows_work_one (DlTiffRows  *self,
               TIFF        *tif,
               Diagnostics *diag,
               guint8      *buf)
{
  GError *error = NULL;
  gboolean more;
  guint band;

  g_mutex_lock (&self->lock);
  band = self->next_band;
  if (band < self->n_bands)
    self->next_band++;
  while (!self->stop && band < self->n_bands && band >= self->released + self->n_slots)
    g_cond_wait (&self->cond, &self->lock);
  if (self->stop || band >= self->n_bands)
    {
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  g_mutex_unlock (&self->lock);

  if (rows_decode_band (self, tif, diag, buf, band, self->slots[band % self->n_slots], &error))
    {
      g_mutex_lock (&self->lock);
      self->state[band % self->n_slots] = SLOT_READY;
    }
  else
    {
      g_mutex_lock (&self->lock);
      if (self->error == NULL)
        self->error = g_steal_pointer (&error);
      g_clear_error (&error);
      self->stop = TRUE;
    }
  more = !self->stop;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  return more;
}

static gpointer
rows_worker (gpointer data)
{
  DlTiffRows *self = data;
  Stream stream = self->stream;
  Diagnostics diag = { "", "" };
  g_autofree guint8 *buf = g_try_malloc (self->row_bytes * self->rps);
  TIFF *tif;

  stream.pos = 0;
  tif = open_stream (&stream, &diag, &self->load_options);
  if (tif == NULL || buf == NULL || !TIFFSetDirectory (tif, 0)
      || (self->accumulate && !TIFFSetField (tif, TIFFTAG_PREDICTOR, PREDICTOR_NONE)))
    {
      GError *error = NULL;

      if (buf == NULL)
        g_set_error_literal (&error, DL_SCAN_ERROR, DL_SCAN_ERROR_TOO_LARGE, _("A TIFF strip is too large to decode"));
      else
        set_corrupt (&error, &diag, _("page"));
      g_mutex_lock (&self->lock);
      if (self->error == NULL)
        self->error = error;
      else
        g_error_free (error);
      self->stop = TRUE;
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->lock);
    }
  else
    while (rows_work_one (self, tif, &diag, buf))
      ;
  if (tif)
    TIFFClose (tif);
  return NULL;
}

static void
rows_start (DlTiffRows *self)
{
  const Page *p = &self->page;
  gsize strip_bytes = (gsize) self->rps * p->width * sizeof (guint16);
  guint strips = (guint) MAX (1, BAND_BYTES / strip_bytes);

  self->band_rows = (guint) MIN ((guint64) strips * self->rps, p->height);
  self->n_bands = (p->height + self->band_rows - 1) / self->band_rows;
  self->n_threads = MIN (CLAMP (g_get_num_processors (), 1, 8), self->n_bands);
  self->n_slots = MIN (2 * self->n_threads, self->n_bands);
  self->slots = g_new0 (guint16 *, self->n_slots);
  self->state = g_new0 (SlotState, self->n_slots);
  for (guint i = 0; i < self->n_slots; i++)
    self->slots[i] = g_new (guint16, (gsize) self->band_rows * p->width);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  for (guint t = 0; t < self->n_threads; t++)
    self->threads[t] = g_thread_new ("dl-tiff-rows", rows_worker, self);
}

/**
 * dl_tiff_rows_new_for_file:
 * @channel: the channel of view 0 to read
 *
 * The rows of channel @channel of the scan in @path, to be read from top
 * to bottom in bands, decoded ahead on every core, with the memory of a
 * few bands (and the file's pages given back as they are decoded): the
 * same 16-bit samples dl_scan_load_file () puts in that plane.
 *
 * Returns: (nullable): %NULL when the file cannot be read that way
 *   (not a regular file, not a TIFF, more than one page, tiles, wide or
 *   floating-point samples, over the memory cap, damaged before its
 *   first strip): dl_scan_load_file () then reads it whole, and says
 *   what is wrong with it.
 */
DlTiffRows *
dl_tiff_rows_new_for_file (const char          *path,
                           const DlLoadOptions *options,
                           guint                channel)
{
  g_autoptr(DlTiffRows) self = g_new0 (DlTiffRows, 1);
  guint64 max_memory = options && options->max_memory ? options->max_memory : DL_DEFAULT_MAX_MEMORY;
  Diagnostics diag = { "", "" };
  TIFF *tif;
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);

  self->channel = channel;
  if (options)
    self->load_options.max_memory = options->max_memory;
  if ((self->file = dl_map_regular_file (path, 0, NULL)) == NULL)
    return NULL;
  self->stream.data = (const guint8 *) g_mapped_file_get_contents (self->file);
  self->stream.length = g_mapped_file_get_length (self->file);
  self->stream.droppable = TRUE;
  if (!dl_tiff_is_tiff (self->stream.data, self->stream.length)
      || (tif = open_stream (&self->stream, &diag, &self->load_options)) == NULL)
    return NULL;
  ok = rows_page_streamable (self, tif, max_memory);
  TIFFClose (tif);
  if (!ok)
    return NULL;
  rows_start (self);
  return g_steal_pointer (&self);
}

guint
dl_tiff_rows_get_width (DlTiffRows *self)
{
  return self->page.width;
}

guint
dl_tiff_rows_get_height (DlTiffRows *self)
{
  return self->page.height;
}

/**
 * dl_tiff_rows_next_band:
 * @rows: (out) (transfer none): the band's samples, width × @n_rows, valid
 *   until the next call
 * @n_rows: (out): how many rows it has (the last band may have fewer)
 *
 * Gives the next band of rows, from the top; the previous band's memory
 * is then reused.  A strip that cannot be decoded fails it, with the
 * error dl_scan_load_file () gives for it.
 *
 * Returns: %FALSE with @error set on failure, %FALSE without it after
 *   the last band.
 */
gboolean
dl_tiff_rows_next_band (DlTiffRows      *self,
                        const guint16  **rows,
                        guint           *n_rows,
                        GError         **error)
{
  guint band;

  g_return_val_if_fail (self != NULL, FALSE);

  g_mutex_lock (&self->lock);
  if (self->holding)
    {
      self->state[(self->next_read - 1) % self->n_slots] = SLOT_FREE;
      self->released++;
      self->holding = FALSE;
      g_cond_broadcast (&self->cond);
    }
  band = self->next_read;
  while (band < self->n_bands && self->state[band % self->n_slots] != SLOT_READY && !self->stop)
    g_cond_wait (&self->cond, &self->lock);
  if (band >= self->n_bands || self->state[band % self->n_slots] != SLOT_READY)
    {
      if (band < self->n_bands && self->error)
        g_propagate_error (error, g_error_copy (self->error));
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  self->next_read++;
  self->holding = TRUE;
  g_mutex_unlock (&self->lock);
  *rows = self->slots[band % self->n_slots];
  *n_rows = MIN (self->band_rows, self->page.height - band * self->band_rows);
  return TRUE;
}

void
dl_tiff_rows_free (DlTiffRows *self)
{
  if (self == NULL)
    return;
  if (self->slots)
    {
      g_mutex_lock (&self->lock);
      self->stop = TRUE;
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->lock);
      for (guint t = 0; t < self->n_threads; t++)
        g_thread_join (self->threads[t]);
      for (guint i = 0; i < self->n_slots; i++)
        g_free (self->slots[i]);
      g_free (self->slots);
      g_free (self->state);
      g_clear_error (&self->error);
      g_mutex_clear (&self->lock);
      g_cond_clear (&self->cond);
    }
  page_clear (&self->page);
  g_clear_pointer (&self->file, g_mapped_file_unref);
  g_free (self);
}
