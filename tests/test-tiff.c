/* test-tiff.c — the TIFF reader on files this test writes, so every
 * expected sample is known: layouts, codecs, byte orders, depths, pages,
 * metadata, and the ways a file can be refused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>
#include <tiffio.h>

#include "dl-scan.h"

static char *tmpdir;

typedef struct
{
  const char *mode;         /* "w" little-endian, "wb" big-endian, "w8" BigTIFF */
  guint       width;
  guint       height;
  guint       bps;
  guint       format;       /* SAMPLEFORMAT_* */
  guint       spp;
  guint       planar;
  guint       compression;
  guint       predictor;
  guint       tile;         /* 0: strips of 7 rows */
  guint       photometric;
  guint       pages;
  const char *page_names[4];
  const char *description;
  double      xres;
  guint       resunit;
  const guint *page_widths; /* optional per-page width */
} Spec;

/* The value written at (x, y), sample s, page k: distinct and in range. */
static double
value_at (const Spec *spec, guint x, guint y, guint s, guint k)
{
  double v = (x * 31 + y * 17 + s * 1000 + k * 7) % 4099;

  switch (spec->format)
    {
    case SAMPLEFORMAT_IEEEFP: return v / 7.0 - 100.0;
    case SAMPLEFORMAT_INT: return fmod (v * 13, ldexp (1, spec->bps)) - ldexp (1, spec->bps - 1);
    default: return fmod (v * 13, ldexp (1, spec->bps));
    }
}

static void
put_sample (guint8 *row, gsize index, const Spec *spec, double v)
{
  if (spec->format == SAMPLEFORMAT_IEEEFP && spec->bps == 32)
    ((float *) row)[index] = v;
  else if (spec->format == SAMPLEFORMAT_IEEEFP)
    ((double *) row)[index] = v;
  else if (spec->bps == 8)
    row[index] = (guint8) (gint64) v;
  else if (spec->bps == 16)
    ((guint16 *) row)[index] = (guint16) (gint64) v;
  else if (spec->bps == 32)
    ((guint32 *) row)[index] = (guint32) (gint64) v;
  else
    {
      guint64 raw = (guint64) (gint64) v, bit = (guint64) index * spec->bps;
      for (gint b = spec->bps - 1; b >= 0; b--, bit++)
        if (raw >> b & 1)
          row[bit / 8] |= 0x80 >> (bit % 8);
    }
}

static char *
write_tiff (const char *name, const Spec *spec)
{
  char *path = g_build_filename (tmpdir, name, NULL);
  TIFF *tif = TIFFOpen (path, spec->mode ? spec->mode : "w");

  g_assert_nonnull (tif);
  for (guint k = 0; k < MAX (spec->pages, 1); k++)
    {
      guint width = spec->page_widths ? spec->page_widths[k] : spec->width;
      gboolean sep = spec->planar == PLANARCONFIG_SEPARATE;
      guint per = sep ? 1 : spec->spp;
      guint th = spec->tile ? spec->tile : 7, tw = spec->tile ? spec->tile : width;
      gsize row_bytes = ((gsize) tw * per * spec->bps + 7) / 8;
      g_autofree guint8 *buf = g_malloc0 (row_bytes * th);

      TIFFSetField (tif, TIFFTAG_IMAGEWIDTH, width);
      TIFFSetField (tif, TIFFTAG_IMAGELENGTH, spec->height);
      TIFFSetField (tif, TIFFTAG_BITSPERSAMPLE, spec->bps);
      TIFFSetField (tif, TIFFTAG_SAMPLEFORMAT, spec->format ? spec->format : SAMPLEFORMAT_UINT);
      TIFFSetField (tif, TIFFTAG_SAMPLESPERPIXEL, spec->spp);
      TIFFSetField (tif, TIFFTAG_PLANARCONFIG, spec->planar ? spec->planar : PLANARCONFIG_CONTIG);
      TIFFSetField (tif, TIFFTAG_PHOTOMETRIC, spec->photometric);
      TIFFSetField (tif, TIFFTAG_COMPRESSION, spec->compression ? spec->compression : COMPRESSION_NONE);
      if (spec->predictor)
        TIFFSetField (tif, TIFFTAG_PREDICTOR, spec->predictor);
      if (spec->page_names[k])
        TIFFSetField (tif, TIFFTAG_PAGENAME, spec->page_names[k]);
      if (spec->description && k == 0)
        TIFFSetField (tif, TIFFTAG_IMAGEDESCRIPTION, spec->description);
      if (spec->xres > 0)
        {
          TIFFSetField (tif, TIFFTAG_XRESOLUTION, spec->xres);
          TIFFSetField (tif, TIFFTAG_YRESOLUTION, spec->xres);
          TIFFSetField (tif, TIFFTAG_RESOLUTIONUNIT, spec->resunit);
        }
      if (spec->pages > 1)
        TIFFSetField (tif, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
      if (spec->photometric == PHOTOMETRIC_RGB)
        TIFFSetField (tif, TIFFTAG_EXTRASAMPLES, 0, NULL);

      if (spec->tile)
        {
          TIFFSetField (tif, TIFFTAG_TILEWIDTH, tw);
          TIFFSetField (tif, TIFFTAG_TILELENGTH, th);
        }
      else
        TIFFSetField (tif, TIFFTAG_ROWSPERSTRIP, th);

      for (guint s = 0; s < (sep ? spec->spp : 1); s++)
        for (guint y = 0; y < spec->height; y += th)
          for (guint x = 0; x < width; x += tw)
            {
              memset (buf, 0, row_bytes * th);
              for (guint j = 0; j < th && y + j < spec->height; j++)
                for (guint i = 0; i < tw && x + i < width; i++)
                  for (guint c = 0; c < per; c++)
                    put_sample (buf + j * row_bytes, (gsize) i * per + c, spec,
                                value_at (spec, x + i, y + j, s + c, k));
              if (spec->tile)
                g_assert_cmpint (TIFFWriteEncodedTile (tif, TIFFComputeTile (tif, x, y, 0, s), buf, row_bytes * th), >=, 0);
              else
                g_assert_cmpint (TIFFWriteEncodedStrip (tif, TIFFComputeStrip (tif, y, s), buf,
                                                        row_bytes * MIN (th, spec->height - y)), >=, 0);
            }
      g_assert_true (TIFFWriteDirectory (tif));
    }
  TIFFClose (tif);
  return path;
}

static DlScan *
load_ok (const char *path)
{
  g_autoptr(GError) error = NULL;
  DlScan *scan = dl_scan_load_file (path, NULL, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (scan);
  return scan;
}

/* Every sample, through the recorded mapping, equals what was written. */
static void
check_plane (const DlPlane *p, const Spec *spec, guint s, guint k, gboolean invert)
{
  double maxval = ldexp (1, spec->bps) - 1;
  double tolerance = fabs (p->scale) / 2 + 1e-9;

  for (guint y = 0; y < p->height; y++)
    for (guint x = 0; x < p->width; x++)
      {
        double want = value_at (spec, x, y, s, k);
        double got = p->data[y * p->width + x] * p->scale + p->offset;

        if (spec->format == SAMPLEFORMAT_IEEEFP && spec->bps == 32)
          want = (float) want;   /* what the file holds */
        if (fabs (got - want) > tolerance)
          g_error ("(%u, %u) sample %u page %u: got %g (stored %u), wrote %g",
                   x, y, s, k, got, p->data[y * p->width + x], want);
        if (invert && spec->format == SAMPLEFORMAT_UINT)
          g_assert_cmpuint (p->data[y * p->width + x], ==, (guint) (maxval - want));
      }
}

static void
test_layouts (void)
{
  static const Spec specs[] = {
    { "w", 97, 45, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_NONE, 0, 0, PHOTOMETRIC_MINISBLACK },
    { "wb", 97, 45, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_NONE, 0, 0, PHOTOMETRIC_MINISBLACK },
    { "w8", 97, 45, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_LZW, 2, 0, PHOTOMETRIC_MINISBLACK },
    { "wb", 97, 45, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_LZW, 2, 0, PHOTOMETRIC_MINISBLACK },
    { "w", 97, 45, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_ADOBE_DEFLATE, 2, 0, PHOTOMETRIC_MINISBLACK },
    { "w", 97, 45, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_PACKBITS, 0, 0, PHOTOMETRIC_MINISBLACK },
    { "w", 100, 70, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_ADOBE_DEFLATE, 0, 32, PHOTOMETRIC_MINISBLACK },
    { "wb", 100, 70, 16, SAMPLEFORMAT_UINT, 2, PLANARCONFIG_SEPARATE, COMPRESSION_LZW, 0, 16, PHOTOMETRIC_MINISBLACK },
    { "w", 61, 33, 16, SAMPLEFORMAT_UINT, 2, PLANARCONFIG_SEPARATE, COMPRESSION_NONE, 0, 0, PHOTOMETRIC_MINISBLACK },
    { "w", 61, 33, 16, SAMPLEFORMAT_UINT, 3, PLANARCONFIG_CONTIG, COMPRESSION_LZW, 0, 0, PHOTOMETRIC_MINISBLACK },
    { "w", 61, 33, 8, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_NONE, 0, 0, PHOTOMETRIC_MINISBLACK },
    { "w", 61, 33, 12, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_NONE, 0, 0, PHOTOMETRIC_MINISBLACK },
    { "wb", 61, 33, 10, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_LZW, 0, 0, PHOTOMETRIC_MINISBLACK },
    { "w", 61, 33, 4, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_NONE, 0, 0, PHOTOMETRIC_MINISBLACK },
    { "w", 61, 33, 16, SAMPLEFORMAT_INT, 1, 0, COMPRESSION_NONE, 0, 0, PHOTOMETRIC_MINISBLACK },
    { "wb", 61, 33, 8, SAMPLEFORMAT_INT, 1, 0, COMPRESSION_NONE, 0, 0, PHOTOMETRIC_MINISBLACK },
    { "w", 61, 33, 32, SAMPLEFORMAT_IEEEFP, 1, 0, COMPRESSION_ADOBE_DEFLATE, 3, 0, PHOTOMETRIC_MINISBLACK },
    { "wb", 61, 33, 64, SAMPLEFORMAT_IEEEFP, 1, 0, COMPRESSION_NONE, 0, 0, PHOTOMETRIC_MINISBLACK },
    { "w", 61, 33, 32, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_NONE, 0, 0, PHOTOMETRIC_MINISBLACK },
    { "w", 61, 33, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_NONE, 0, 0, PHOTOMETRIC_MINISWHITE },
    { "w", 61, 33, 12, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_NONE, 0, 16, PHOTOMETRIC_MINISWHITE },
    /* large enough for the parallel strip decoder */
    { "w", 1100, 1000, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_LZW, 2, 0, PHOTOMETRIC_MINISBLACK },
    { "wb", 700, 800, 16, SAMPLEFORMAT_UINT, 2, PLANARCONFIG_SEPARATE, COMPRESSION_ADOBE_DEFLATE, 2, 0, PHOTOMETRIC_MINISWHITE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      const Spec *spec = &specs[i];
      g_autofree char *name = g_strdup_printf ("layout-%u.tif", i);
      g_autofree char *path = write_tiff (name, spec);
      g_autoptr(DlScan) scan = load_ok (path);
      gboolean invert = spec->photometric == PHOTOMETRIC_MINISWHITE;

      g_test_message ("layout %u: %s %u-bit format %u spp %u planar %u compression %u tile %u%s",
                      i, spec->mode, spec->bps, spec->format, spec->spp, spec->planar,
                      spec->compression, spec->tile, invert ? " min-is-white" : "");
      g_assert_cmpuint (dl_scan_get_n_views (scan), ==, 1);
      g_assert_cmpuint (dl_scan_get_n_channels (scan, 0), ==, spec->spp);
      for (guint s = 0; s < spec->spp; s++)
        {
          const DlPlane *p = dl_scan_get_plane (scan, 0, s);

          g_assert_cmpuint (p->width, ==, spec->width);
          g_assert_cmpuint (p->height, ==, spec->height);
          g_assert_cmpuint (p->source_bits, ==, spec->bps);
          check_plane (p, spec, s, 0, invert);
          if (spec->format != SAMPLEFORMAT_IEEEFP && spec->bps <= 16)
            g_assert_true (p->lossless);
        }
      if (invert)
        g_assert_cmpstr (dl_scan_get_metadata (scan, "photometric"), ==, "min-is-white");
    }
}

/* 32-bit floats spread over a wide range: mapped onto 0 … 65535, the
 * mapping recorded, the order of values kept. */
static void
test_float_mapping (void)
{
  Spec spec = { "w", 40, 20, 32, SAMPLEFORMAT_IEEEFP, 1, 0, 0, 0, 0, PHOTOMETRIC_MINISBLACK };
  g_autofree char *path = write_tiff ("float.tif", &spec);
  g_autoptr(DlScan) scan = load_ok (path);
  const DlPlane *p = dl_scan_get_plane (scan, 0, 0);
  guint16 lo = 65535, hi = 0;

  g_assert_false (p->lossless);
  g_assert_cmpint (p->source_format, ==, DL_SAMPLE_FLOAT);
  for (guint i = 0; i < p->width * p->height; i++)
    {
      lo = MIN (lo, p->data[i]);
      hi = MAX (hi, p->data[i]);
    }
  g_assert_cmpuint (lo, ==, 0);
  g_assert_cmpuint (hi, ==, 65535);
  /* order is kept */
  for (guint i = 1; i < p->width; i++)
    {
      double a = value_at (&spec, i - 1, 0, 0, 0), b = value_at (&spec, i, 0, 0, 0);
      if (a < b)
        g_assert_cmpuint (p->data[i - 1], <=, p->data[i]);
    }
}

static void
test_pages_and_views (void)
{
  static const guint widths[] = { 80, 80, 50, 50 };
  Spec by_size = { "w", 80, 30, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_LZW, 2, 0,
                   PHOTOMETRIC_MINISBLACK, 4, { NULL }, NULL, 0, 0, widths };
  Spec named = { "w", 64, 30, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_NONE, 0, 0,
                 PHOTOMETRIC_MINISBLACK, 3,
                 { "view=0;channel=high", "view=0;channel=low", "view=1;channel=high" } };
  g_autofree char *p1 = write_tiff ("pages.tif", &by_size);
  g_autofree char *p2 = write_tiff ("named.tif", &named);
  g_autoptr(DlScan) s1 = load_ok (p1);
  g_autoptr(DlScan) s2 = load_ok (p2);

  g_assert_cmpuint (dl_scan_get_n_views (s1), ==, 2);
  g_assert_cmpuint (dl_scan_get_n_channels (s1, 0), ==, 2);
  g_assert_cmpuint (dl_scan_get_n_channels (s1, 1), ==, 2);
  g_assert_cmpuint (dl_scan_get_plane (s1, 1, 0)->width, ==, 50);
  check_plane (dl_scan_get_plane (s1, 0, 1), &by_size, 0, 1, FALSE);
  check_plane (dl_scan_get_plane (s1, 1, 1), &by_size, 0, 3, FALSE);

  g_assert_cmpuint (dl_scan_get_n_views (s2), ==, 2);
  g_assert_cmpstr (dl_scan_get_plane (s2, 0, 0)->name, ==, "high");
  g_assert_cmpstr (dl_scan_get_plane (s2, 0, 1)->name, ==, "low");
  g_assert_cmpstr (dl_scan_get_plane (s2, 1, 0)->name, ==, "high");
  check_plane (dl_scan_get_plane (s2, 1, 0), &named, 0, 2, FALSE);
}

static void
test_metadata (void)
{
  Spec spec = { "w", 20, 10, 16, SAMPLEFORMAT_UINT, 2, PLANARCONFIG_CONTIG, 0, 0, 0,
                PHOTOMETRIC_MINISBLACK, 1, { NULL },
                "{\"doorlicht\": {\"i0\": 61234, \"channels\": [{\"name\": \"channel 1\", \"i0\": 50000}]}}",
                50.8, RESUNIT_INCH };
  Spec bad_json = { "w", 20, 10, 16, SAMPLEFORMAT_UINT, 1, 0, 0, 0, 0, PHOTOMETRIC_MINISBLACK, 1,
                    { NULL }, "{not json", 4, RESUNIT_NONE };
  g_autofree char *p1 = write_tiff ("meta.tif", &spec);
  g_autofree char *p2 = write_tiff ("badjson.tif", &bad_json);
  g_autoptr(DlScan) s1 = load_ok (p1);
  g_autoptr(DlScan) s2 = load_ok (p2);
  g_autofree char *sha = NULL;
  g_autofree char *bytes = NULL;
  gsize len;
  double px, py;

  g_assert_true (dl_scan_get_pixel_pitch (s1, &px, &py));
  g_assert_cmpfloat_with_epsilon (px, 0.5, 1e-6);   /* 50.8 px/inch */
  g_assert_cmpfloat (dl_scan_get_plane (s1, 0, 0)->air_value, ==, 61234);
  g_assert_cmpfloat (dl_scan_get_plane (s1, 0, 1)->air_value, ==, 50000);
  g_assert_nonnull (strstr (dl_scan_get_metadata (s1, "description"), "61234"));

  /* the hash is of the very bytes in the file */
  g_assert_true (g_file_get_contents (p1, &bytes, &len, NULL));
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guint8 *) bytes, len);
  g_assert_cmpstr (dl_scan_get_sha256 (s1), ==, sha);

  /* unknown unit: no pitch; bad JSON: just text */
  g_assert_false (dl_scan_get_pixel_pitch (s2, NULL, NULL));
  g_assert_cmpfloat (dl_scan_get_plane (s2, 0, 0)->air_value, ==, 0);
  g_assert_cmpstr (dl_scan_get_metadata (s2, "description"), ==, "{not json");
}

static void
expect_error (const char *path, const DlLoadOptions *options, GCancellable *cancellable,
              GQuark domain, int code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlScan) scan = dl_scan_load_file (path, options, NULL, NULL, cancellable, &error);

  g_assert_null (scan);
  g_assert_error (error, domain, code);
  g_test_message ("%s: %s", path, error->message);
}

static void
test_refusals (void)
{
  Spec rgb = { "w", 20, 10, 8, SAMPLEFORMAT_UINT, 3, 0, 0, 0, 0, PHOTOMETRIC_RGB };
  Spec big = { "w", 300, 200, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_LZW, 0, 0, PHOTOMETRIC_MINISBLACK };
  g_autofree char *p_rgb = write_tiff ("rgb.tif", &rgb);
  g_autofree char *p_big = write_tiff ("big.tif", &big);
  g_autofree char *p_trunc = g_build_filename (tmpdir, "truncated.tif", NULL);
  g_autofree char *p_garbage = g_build_filename (tmpdir, "garbage.tif", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  DlLoadOptions small = { .max_memory = 100 * 1024 };
  gsize len;

  expect_error (p_rgb, NULL, NULL, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED);
  /* 300 × 200 × 2 bytes = 120 000 > 100 KiB: refused before allocating */
  expect_error (p_big, &small, NULL, DL_SCAN_ERROR, DL_SCAN_ERROR_TOO_LARGE);

  g_assert_true (g_file_get_contents (p_big, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (p_trunc, contents, len / 2, NULL));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DlScan) scan = dl_scan_load_file (p_trunc, NULL, NULL, NULL, NULL, &error);
    g_assert_null (scan);
    g_assert_true (error->domain == DL_SCAN_ERROR);
    g_test_message ("truncated: %s", error->message);
  }

  g_assert_true (g_file_set_contents (p_garbage, "II*\0\x08\0\0\0\xff\xff garbage", 19, NULL));
  expect_error (p_garbage, NULL, NULL, DL_SCAN_ERROR, DL_SCAN_ERROR_CORRUPT);

  g_cancellable_cancel (cancelled);
  expect_error (p_big, NULL, cancelled, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
on_progress (double fraction, gpointer data)
{
  double *last = data;

  g_assert_cmpfloat (fraction, >=, *last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  *last = fraction;
}

static void
test_progress (void)
{
  Spec spec = { "w", 64, 300, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_LZW, 0, 0,
                PHOTOMETRIC_MINISBLACK, 2 };
  g_autofree char *path = write_tiff ("progress.tif", &spec);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlScan) scan = NULL;
  double last = 0;

  scan = dl_scan_load_file (path, NULL, on_progress, &last, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (last, ==, 1.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("dl-tiff-XXXXXX", NULL);

  g_test_add_func ("/tiff/layouts", test_layouts);
  g_test_add_func ("/tiff/float-mapping", test_float_mapping);
  g_test_add_func ("/tiff/pages-and-views", test_pages_and_views);
  g_test_add_func ("/tiff/metadata", test_metadata);
  g_test_add_func ("/tiff/refusals", test_refusals);
  g_test_add_func ("/tiff/progress", test_progress);

  return g_test_run ();
}
