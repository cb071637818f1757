/* test-corpus.c — every TIFF of other projects' test suites, one test case
 * per file (so a failure names it): each valid file loads with exactly the
 * samples libtiff decodes (checked against an independent decode through
 * libtiff's scanline and tile API from the file, then the documented
 * mapping), or is refused with a reason that TIFF_INVENTORY.tsv makes
 * expected; each malformed file is refused or loaded safely, in under 2 s.
 * The corpus is $DL_CORPUS_DIR (set by tests/meson.build); without it every
 * case is skipped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>
#include <tiffio.h>

#include "dl-scan.h"

static char *corpus;
static GHashTable *inventory;   /* "tiff/valid/x.tif" → GStrv row */
static int col_photometric = -1, col_compression = -1, col_rc = -1, col_format = -1;

/* ---- the inventory ----------------------------------------------------- */

static void
load_inventory (void)
{
  g_autofree char *path = g_build_filename (corpus, "tiff", "TIFF_INVENTORY.tsv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  inventory = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return;

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] && lines[i][0]; i++)
    {
      char **cols = g_strsplit (lines[i], "\t", -1);

      if (i == 0)
        {
          for (int c = 0; cols[c]; c++)
            {
              if (g_str_equal (cols[c], "photometric")) col_photometric = c;
              if (g_str_equal (cols[c], "compression")) col_compression = c;
              if (g_str_equal (cols[c], "libtiff450_tiffinfo_D_rc")) col_rc = c;
              if (g_str_equal (cols[c], "sampleformat")) col_format = c;
            }
          g_strfreev (cols);
          continue;
        }
      g_hash_table_insert (inventory, g_strdup (cols[0]), cols);
    }
}

static const char *
inventory_field (const char *rel,
                 int         col)
{
  char **row = g_hash_table_lookup (inventory, rel);

  if (row == NULL || col < 0 || (guint) col >= g_strv_length (row))
    return NULL;
  return row[col];
}

/* ---- the reference decode ---------------------------------------------- */

static guint64
ref_bits (const guint8 *row, gsize index, guint bps)
{
  guint64 bit = (guint64) index * bps, v = 0;

  for (guint i = 0; i < bps; i++, bit++)
    v = (v << 1) | ((row[bit / 8] >> (7 - bit % 8)) & 1);
  return v;
}

static double
ref_half (guint16 h)
{
  double m = h & 0x3ff;
  int e = (h >> 10) & 0x1f;
  double v = e == 0 ? m / 1024.0 * pow (2, -14) : e == 31 ? (m ? NAN : INFINITY) : (1 + m / 1024.0) * pow (2, e - 15);
  return (h & 0x8000) ? -v : v;
}

static double
ref_float24 (guint32 f)
{
  double m = f & 0xffff;
  int e = (f >> 16) & 0x7f;
  double v = e == 0 ? m / 65536.0 * pow (2, -62) : e == 127 ? (m ? NAN : INFINITY) : (1 + m / 65536.0) * pow (2, e - 63);
  return (f & 0x800000) ? -v : v;
}

/* Sample @index of a scanline as the number it stands for. */
static double
ref_value (const guint8 *row, gsize index, guint bps, guint format)
{
  guint64 raw;

  switch (bps)
    {
    case 8: raw = row[index]; break;
    case 16: { guint16 v; memcpy (&v, row + index * 2, 2); raw = v; } break;
    case 32: { guint32 v; memcpy (&v, row + index * 4, 4); raw = v; } break;
    case 64: { guint64 v; memcpy (&v, row + index * 8, 8); raw = v; } break;
    case 24:
      {
        const guint8 *b = row + index * 3;
        raw = G_BYTE_ORDER == G_LITTLE_ENDIAN ? (b[0] | b[1] << 8 | (guint32) b[2] << 16)
                                              : (b[2] | b[1] << 8 | (guint32) b[0] << 16);
      }
      break;
    default: raw = ref_bits (row, index, bps); break;
    }

  if (format == SAMPLEFORMAT_IEEEFP)
    {
      if (bps == 16) return ref_half (raw);
      if (bps == 24) return ref_float24 (raw);
      if (bps == 32) { guint32 u = raw; float f; memcpy (&f, &u, 4); return f; }
      { double d; memcpy (&d, &raw, 8); return d; }
    }
  if (format == SAMPLEFORMAT_INT)
    {
      if (bps == 64) return (double) (gint64) raw;
      if (raw & (G_GUINT64_CONSTANT (1) << (bps - 1)))
        return (double) raw - ldexp (1, bps);
    }
  return (double) raw;
}

typedef struct
{
  guint32  width, height;
  guint16  spp, bps, format, planar, photometric;
  double  *values;    /* spp planes of width × height */
} RefPage;

static gboolean
ref_read_page (TIFF *tif, RefPage *r)
{
  gsize n;
  g_autofree guint8 *buf = NULL;

  TIFFGetField (tif, TIFFTAG_IMAGEWIDTH, &r->width);
  TIFFGetField (tif, TIFFTAG_IMAGELENGTH, &r->height);
  TIFFGetFieldDefaulted (tif, TIFFTAG_SAMPLESPERPIXEL, &r->spp);
  TIFFGetFieldDefaulted (tif, TIFFTAG_BITSPERSAMPLE, &r->bps);
  TIFFGetFieldDefaulted (tif, TIFFTAG_SAMPLEFORMAT, &r->format);
  TIFFGetFieldDefaulted (tif, TIFFTAG_PLANARCONFIG, &r->planar);
  if (!TIFFGetField (tif, TIFFTAG_PHOTOMETRIC, &r->photometric))
    r->photometric = PHOTOMETRIC_MINISBLACK;
  n = (gsize) r->width * r->height;
  r->values = g_new0 (double, n * r->spp);

  if (TIFFIsTiled (tif))
    {
      guint32 tw, th;
      gboolean sep = r->planar == PLANARCONFIG_SEPARATE;
      guint per = sep ? 1 : r->spp;
      gsize row_bytes;

      TIFFGetField (tif, TIFFTAG_TILEWIDTH, &tw);
      TIFFGetField (tif, TIFFTAG_TILELENGTH, &th);
      row_bytes = ((gsize) tw * per * r->bps + 7) / 8;
      buf = g_malloc (TIFFTileSize (tif));
      for (guint s = 0; s < (sep ? r->spp : 1); s++)
        for (guint32 y = 0; y < r->height; y += th)
          for (guint32 x = 0; x < r->width; x += tw)
            {
              if (TIFFReadTile (tif, buf, x, y, 0, s) < 0)
                return FALSE;
              for (guint32 j = 0; j < th && y + j < r->height; j++)
                for (guint32 i = 0; i < tw && x + i < r->width; i++)
                  for (guint k = 0; k < per; k++)
                    r->values[(s + k) * n + (gsize) (y + j) * r->width + x + i] =
                      ref_value (buf + j * row_bytes, (gsize) i * per + k, r->bps, r->format);
            }
      return TRUE;
    }

  buf = g_malloc (TIFFScanlineSize (tif) + 16);
  if (r->planar == PLANARCONFIG_SEPARATE)
    {
      for (guint s = 0; s < r->spp; s++)
        for (guint32 y = 0; y < r->height; y++)
          {
            if (TIFFReadScanline (tif, buf, y, s) < 0)
              return FALSE;
            for (guint32 x = 0; x < r->width; x++)
              r->values[s * n + (gsize) y * r->width + x] = ref_value (buf, x, r->bps, r->format);
          }
      return TRUE;
    }

  for (guint32 y = 0; y < r->height; y++)
    {
      if (TIFFReadScanline (tif, buf, y, 0) < 0)
        return FALSE;
      for (guint32 x = 0; x < r->width; x++)
        for (guint s = 0; s < r->spp; s++)
          r->values[s * n + (gsize) y * r->width + x] = ref_value (buf, (gsize) x * r->spp + s, r->bps, r->format);
    }
  return TRUE;
}

/* The documented mapping for samples of at most 16 integer bits, exact:
 * unsigned as-is, signed v + 2^(bits−1); MinIsWhite 2^bits − 1 − that. */
static gboolean
narrow_expected (const RefPage *r, double value, guint *stored)
{
  double maxval = ldexp (1, r->bps) - 1;
  double v = value;

  if (r->format == SAMPLEFORMAT_IEEEFP || r->bps > 16)
    return FALSE;
  if (r->format == SAMPLEFORMAT_INT)
    v += ldexp (1, r->bps - 1);
  if (r->photometric == PHOTOMETRIC_MINISWHITE)
    v = maxval - v;
  *stored = (guint) v;
  return TRUE;
}

/* Wide samples: NaN and −∞ are 0 and +∞ is 65535 (MinIsWhite: the other
 * way round); finite values go through the recorded linear mapping. */
static void
check_sample (const char *path, guint page, guint s, gsize i,
              const RefPage *r, const DlPlane *p, double ref)
{
  guint16 got_stored = p->data[i];
  gboolean white = r->photometric == PHOTOMETRIC_MINISWHITE;
  guint want;

  if (narrow_expected (r, ref, &want))
    {
      if (got_stored != want)
        g_error ("%s: page %u sample %u pixel %" G_GSIZE_FORMAT ": stored %u, libtiff %.17g (expected %u)",
                 path, page, s, i, got_stored, ref, want);
      return;
    }

  if (!isfinite (ref))
    {
      want = ref == INFINITY ? 65535 : 0;
      if (white)
        want = 65535 - want;
      if (got_stored != want)
        g_error ("%s: page %u sample %u pixel %" G_GSIZE_FORMAT ": stored %u for %g, expected %u",
                 path, page, s, i, got_stored, ref, want);
      return;
    }

  {
    double got = got_stored * p->scale + p->offset;
    double tolerance = fabs (p->scale) / 2 + 1e-9 * MAX (1.0, fabs (ref));

    if (fabs (got - ref) > tolerance)
      g_error ("%s: page %u sample %u pixel %" G_GSIZE_FORMAT ": reader %.17g (stored %u), libtiff %.17g",
               path, page, s, i, got, got_stored, ref);
  }
}

/* The samples the reader keeps: all but alpha and what follows it. */
static guint
kept_samples (TIFF *tif, guint spp)
{
  guint16 n_extra = 0, *extra = NULL;
  guint kept = spp;

  if (spp > 1 && TIFFGetField (tif, TIFFTAG_EXTRASAMPLES, &n_extra, &extra) && n_extra <= spp)
    for (guint i = 0; i < n_extra; i++)
      if (extra[i] == EXTRASAMPLE_ASSOCALPHA || extra[i] == EXTRASAMPLE_UNASSALPHA)
        {
          kept = MIN (kept, spp - n_extra + i);
          break;
        }
  return kept;
}

static gboolean
is_reduced_page (TIFF *tif, guint page)
{
  guint32 subfile = 0;

  return page > 0 && TIFFGetField (tif, TIFFTAG_SUBFILETYPE, &subfile) && (subfile & FILETYPE_REDUCEDIMAGE);
}

/* Whether page @page (from 1) is listed in "skipped-pages": "N: why; …". */
static gboolean
page_skipped (DlScan *scan, guint page)
{
  const char *note = dl_scan_get_metadata (scan, "skipped-pages");
  g_auto(GStrv) items = note ? g_strsplit (note, "; ", -1) : NULL;

  for (guint i = 0; items && items[i]; i++)
    if (g_ascii_strtoull (items[i], NULL, 10) == page)
      return TRUE;
  return FALSE;
}

/* A page may be skipped only when the reader could not take it alone:
 * not grayscale, complex samples, or a codec this libtiff lacks. */
static void
check_skip (const char *path, TIFF *tif, guint page)
{
  guint16 photometric = PHOTOMETRIC_MINISBLACK, format = SAMPLEFORMAT_UINT, compression = COMPRESSION_NONE;

  TIFFGetField (tif, TIFFTAG_PHOTOMETRIC, &photometric);
  TIFFGetFieldDefaulted (tif, TIFFTAG_SAMPLEFORMAT, &format);
  TIFFGetFieldDefaulted (tif, TIFFTAG_COMPRESSION, &compression);
  if ((photometric == PHOTOMETRIC_MINISBLACK || photometric == PHOTOMETRIC_MINISWHITE)
      && format != SAMPLEFORMAT_COMPLEXINT && format != SAMPLEFORMAT_COMPLEXIEEEFP
      && TIFFIsCODECConfigured (compression))
    g_error ("%s: page %u is grayscale, yet was skipped", path, page);
}

/* Compares every channel the reader made with the reference, in file
 * order (reduced-resolution pages after the first are not pages, and
 * unsupported later pages are skipped and listed). */
static guint64
compare_file (const char *path, DlScan *scan, char **why)
{
  TIFF *tif = TIFFOpen (path, "r");
  guint plane_index = 0, page = 0;
  guint64 compared = 0;

  g_assert_nonnull (tif);
  do
    {
      RefPage r = { 0 };
      gsize n;

      if (is_reduced_page (tif, page++))
        continue;
      if (page_skipped (scan, page))
        {
          g_test_message ("%s: page %u skipped", path, page);
          check_skip (path, tif, page);
          continue;
        }
      if (!ref_read_page (tif, &r))
        {
          *why = g_strdup_printf ("the reference decode of page %u failed", page);
          g_free (r.values);
          TIFFClose (tif);
          return 0;
        }

      n = (gsize) r.width * r.height;
      for (guint s = 0; s < kept_samples (tif, r.spp); s++, plane_index++)
        {
          const DlPlane *p = dl_scan_get_plane_at (scan, plane_index);

          if (p == NULL)
            g_error ("%s: page %u sample %u: the reader made no plane", path, page, s);
          g_assert_cmpuint (p->width, ==, r.width);
          g_assert_cmpuint (p->height, ==, r.height);
          g_assert_cmpuint (p->source_bits, ==, r.bps);
          if (p->lossless)
            g_assert_cmpfloat (fabs (p->scale), ==, 1.0);

          for (gsize i = 0; i < n; i++)
            check_sample (path, page, s, i, &r, p, r.values[s * n + i]);
          compared += n;
        }
      g_free (r.values);
    }
  while (TIFFReadDirectory (tif));

  TIFFClose (tif);
  g_assert_cmpuint (plane_index, ==, dl_scan_get_n_planes (scan));
  return compared;
}

/* Whether libtiff itself can decode every page (through the reference path). */
static gboolean
reference_decodes (const char *path)
{
  TIFF *tif = TIFFOpen (path, "r");
  gboolean ok = tif != NULL;

  while (ok)
    {
      RefPage r = { 0 };
      ok = ref_read_page (tif, &r);
      g_free (r.values);
      if (!TIFFReadDirectory (tif))
        break;
    }
  if (tif)
    TIFFClose (tif);
  return ok;
}

/* ---- expectations from the inventory ------------------------------------ */

static int
compression_code (const char *name)
{
  static const struct { const char *name; int code; } codes[] = {
    { "NONE", COMPRESSION_NONE }, { "CCITTRLE", COMPRESSION_CCITTRLE },
    { "CCITT_T4", COMPRESSION_CCITTFAX3 }, { "CCITT_T6", COMPRESSION_CCITTFAX4 },
    { "LZW", COMPRESSION_LZW }, { "OJPEG", COMPRESSION_OJPEG }, { "JPEG", COMPRESSION_JPEG },
    { "ADOBE_DEFLATE", COMPRESSION_ADOBE_DEFLATE }, { "DEFLATE", COMPRESSION_DEFLATE },
    { "PACKBITS", COMPRESSION_PACKBITS }, { "THUNDERSCAN", COMPRESSION_THUNDERSCAN },
    { "SGILOG", COMPRESSION_SGILOG }, { "SGILOG24", COMPRESSION_SGILOG24 },
    { "LZMA", COMPRESSION_LZMA }, { "ZSTD", COMPRESSION_ZSTD }, { "WEBP", COMPRESSION_WEBP },
    { "JPEG2000", COMPRESSION_JP2000 }, { "LERC", COMPRESSION_LERC },
    { "JPEGXR", 34934 }, { "PNG", 34933 }, { "JBIG", COMPRESSION_JBIG },
  };

  for (guint i = 0; name && i < G_N_ELEMENTS (codes); i++)
    if (g_str_equal (name, codes[i].name))
      return codes[i].code;
  return -1;
}

static gboolean
is_gray (const char *rel)
{
  const char *photometric = inventory_field (rel, col_photometric);

  return g_strcmp0 (photometric, "MINISBLACK") == 0 || g_strcmp0 (photometric, "MINISWHITE") == 0;
}

/* Colour and the like: must be refused as unsupported. */
static gboolean
must_refuse (const char *rel)
{
  const char *colour[] = { "RGB", "PALETTE", "YCBCR", "SEPARATED", "CIELAB", "ICCLAB",
                           "ITULAB", "LOGL", "LOGLUV", "MASK", "CFA", NULL };
  const char *photometric = inventory_field (rel, col_photometric);

  return photometric && g_strv_contains (colour, photometric);
}

/* Grayscale whose codec this libtiff lacks: refused, naming the codec. */
static gboolean
codec_missing (const char *rel)
{
  int code = compression_code (inventory_field (rel, col_compression));

  return code >= 0 && !TIFFIsCODECConfigured (code);
}

/* Grayscale, real-valued, that libtiff reads without error, with a codec
 * it has: must load (a refusal must be one libtiff's own decode shares). */
static gboolean
must_load (const char *rel)
{
  const char *format = inventory_field (rel, col_format);

  return is_gray (rel) && g_strcmp0 (inventory_field (rel, col_rc), "0") == 0
         && !codec_missing (rel) && format && !g_str_has_prefix (format, "COMPLEX");
}

/* ---- the summary --------------------------------------------------------- */

static guint n_loaded, n_refused, n_malformed_loaded, n_malformed_refused;
static guint64 n_samples;
static GHashTable *reasons;   /* reason → count */
static double slowest;
static char *slowest_name;

/* Groups refusals by reason, without file-specific detail. */
static void
count_reason (const GError *error)
{
  g_autofree char *reason = g_strdup (error->message);
  char *cut;

  if (g_str_has_prefix (reason, "Page ") && (cut = strstr (reason, ": ")))
    memmove (reason, cut + 2, strlen (cut + 2) + 1);
  if (g_str_has_prefix (reason, "The TIFF file is damaged") && (cut = strstr (reason, " (")))
    *cut = '\0';
  if (g_str_has_prefix (reason, "The TIFF file is damaged") && (cut = strstr (reason, ": ")))
    *cut = '\0';
  g_hash_table_insert (reasons, g_steal_pointer (&reason),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (reasons, reason)) + 1));
}

/* ---- the tests ----------------------------------------------------------- */

static gboolean
have_corpus (void)
{
  if (corpus == NULL)
    {
      g_test_skip ("DL_CORPUS_DIR is not set: no TIFF corpus to test against");
      return FALSE;
    }
  return TRUE;
}

static void
expect_refusal (const char *rel, const char *path, const GError *error)
{
  g_test_message ("%s: refused: %s", rel, error->message);
  if (error->domain != DL_SCAN_ERROR)
    g_error ("%s: refused outside DL_SCAN_ERROR: %s", rel, error->message);
  if (error->message[0] == '\0')
    g_error ("%s: refused without a message", rel);

  if (must_refuse (rel) && !g_error_matches (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED))
    g_error ("%s (%s): should be refused as unsupported, not: %s",
             rel, inventory_field (rel, col_photometric), error->message);
  if (is_gray (rel) && codec_missing (rel)
      && (!g_error_matches (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED)
          || strstr (error->message, "compression") == NULL))
    g_error ("%s: a missing codec should be named: %s", rel, error->message);
  /* a file libtiff cannot decode either may be refused as damaged */
  if (must_load (rel) && reference_decodes (path))
    g_error ("%s: grayscale that libtiff decodes, yet refused: %s", rel, error->message);
}

static void
test_valid_file (gconstpointer data)
{
  const char *name = data;
  g_autofree char *rel = g_strdup_printf ("tiff/valid/%s", name);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlScan) scan = NULL;
  g_autofree char *why = NULL;

  if (!have_corpus ())
    return;
  path = g_build_filename (corpus, rel, NULL);
  scan = dl_scan_load_file (path, NULL, NULL, NULL, NULL, &error);
  if (scan == NULL)
    {
      expect_refusal (rel, path, error);
      count_reason (error);
      n_refused++;
      return;
    }

  if (must_refuse (rel))
    g_error ("%s (%s): loaded, but should be refused", rel, inventory_field (rel, col_photometric));
  n_samples += compare_file (path, scan, &why);
  if (why)
    g_error ("%s: loaded, but %s", rel, why);
  n_loaded++;
}

static void
test_malformed_file (gconstpointer data)
{
  const char *name = data;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlScan) scan = NULL;
  gint64 start;
  double seconds;

  if (!have_corpus ())
    return;
  path = g_build_filename (corpus, "tiff", "malformed", name, NULL);
  start = g_get_monotonic_time ();
  scan = dl_scan_load_file (path, NULL, NULL, NULL, NULL, &error);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  if (seconds > slowest)
    {
      slowest = seconds;
      g_free (slowest_name);
      slowest_name = g_strdup (name);
    }
  if (seconds >= 2.0)
    g_error ("%s: took %.2f s (the limit is 2 s)", name, seconds);

  if (scan)
    {
      /* loaded safely: every plane whole and of its stated size */
      for (guint k = 0; k < dl_scan_get_n_planes (scan); k++)
        {
          const DlPlane *p = dl_scan_get_plane_at (scan, k);
          g_assert_nonnull (p->data);
          g_assert_cmpuint ((guint64) p->width * p->height, >, 0);
        }
      g_assert_cmpuint (dl_scan_get_n_planes (scan), >, 0);
      g_test_message ("%s: loaded (%u planes) in %.3f s", name, dl_scan_get_n_planes (scan), seconds);
      n_malformed_loaded++;
    }
  else
    {
      if (error == NULL || error->message[0] == '\0')
        g_error ("%s: refused without a message", name);
      if (error->domain != DL_SCAN_ERROR)
        g_error ("%s: refused outside DL_SCAN_ERROR: %s", name, error->message);
      g_test_message ("%s: refused in %.3f s: %s", name, seconds, error->message);
      n_malformed_refused++;
    }
}

/* The real radiographs: 16-bit, some MinIsWhite, tiled, big-endian. */
static void
test_radiograph (gconstpointer data)
{
  const char *path = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlScan) scan = NULL;
  g_autofree char *why = NULL;
  const DlPlane *p;

  scan = dl_scan_load_file (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  p = dl_scan_get_plane_at (scan, 0);
  g_assert_cmpuint (p->source_bits, ==, 16);
  g_assert_true (p->lossless);
  g_assert_cmpuint (compare_file (path, scan, &why), ==, (guint64) p->width * p->height);
  g_assert_null (why);
  if (strstr (path, "miniswhite"))
    {
      g_assert_cmpstr (dl_scan_get_metadata (scan, "photometric"), ==, "min-is-white");
      g_assert_cmpfloat (p->scale, ==, -1.0);
    }
}

static void
test_summary (void)
{
  GHashTableIter it;
  gpointer k, v;

  if (!have_corpus ())
    return;

  g_test_message ("valid corpus: %u files, %u loaded (%" G_GUINT64_FORMAT " samples equal to libtiff's), %u refused",
                  n_loaded + n_refused, n_loaded, n_samples, n_refused);
  g_hash_table_iter_init (&it, reasons);
  while (g_hash_table_iter_next (&it, &k, &v))
    g_test_message ("  %u refused: %s", GPOINTER_TO_UINT (v), (char *) k);
  g_test_message ("malformed corpus: %u files, %u refused, %u loaded safely, slowest %.3f s (%s)",
                  n_malformed_loaded + n_malformed_refused, n_malformed_refused,
                  n_malformed_loaded, slowest, slowest_name ? slowest_name : "none");

  /* the run did go through the corpus (not under -p of a single case) */
  if (n_loaded + n_refused > 0)
    g_assert_cmpuint (n_loaded, >, 100);
}

static void
quiet_handler (const char *module, const char *fmt, va_list ap)
{
}

/* One case per file of tiff/@sub, named after it. */
static void
add_folder (const char *sub, GTestDataFunc func)
{
  g_autofree char *dir_path = g_build_filename (corpus, "tiff", sub, NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  if (names->len == 0)
    g_error ("DL_CORPUS_DIR has no files in %s", dir_path);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *test_path = g_strdup_printf ("/corpus/%s/%s", sub, (char *) names->pdata[i]);
      g_test_add_data_func_full (test_path, names->pdata[i], func, g_free);
    }
}

static void
add_radiographs (void)
{
  g_autofree char *dir_path = g_build_filename (corpus, "xray", "derived_tiff16", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *test_path = g_strdup_printf ("/corpus/radiographs/%s", name);
      g_test_add_data_func_full (test_path, g_build_filename (dir_path, name, NULL),
                                 test_radiograph, g_free);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  /* the reference decode must not fill the log with libtiff's warnings */
  TIFFSetErrorHandler (quiet_handler);
  TIFFSetWarningHandler (quiet_handler);
  reasons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  corpus = g_strdup (g_getenv ("DL_CORPUS_DIR"));
  if (corpus && !g_file_test (corpus, G_FILE_TEST_IS_DIR))
    g_clear_pointer (&corpus, g_free);

  if (corpus == NULL)
    {
      g_test_add_func ("/corpus/skipped", test_summary);
      return g_test_run ();
    }

  load_inventory ();
  add_folder ("valid", test_valid_file);
  add_folder ("malformed", test_malformed_file);
  add_radiographs ();
  /* a suite runs its own cases before its sub-suites: this one comes last */
  g_test_add_func ("/corpus/summary/all", test_summary);

  return g_test_run ();
}
