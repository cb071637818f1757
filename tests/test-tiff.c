/* test-tiff.c — the TIFF reader on files this test writes, so every
 * expected sample is known: layouts, codecs, byte orders, depths, pages,
 * metadata, and the ways a file can be refused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>
#include <tiffio.h>

#include <glib/gstdio.h>

#include "dl-histogram.h"
#include "dl-image-write.h"
#include "dl-pyramid.h"
#include "dl-scan.h"
#include "dl-tiff.h"

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
  guint       alpha;        /* EXTRASAMPLE_* of the last sample, 0: none */
  guint       rows_per_strip; /* 0: 7 */
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
      guint rps = spec->rows_per_strip ? spec->rows_per_strip : 7;
      guint th = spec->tile ? spec->tile : rps, tw = spec->tile ? spec->tile : width;
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
      if (spec->alpha)
        {
          guint16 extra = spec->alpha;
          TIFFSetField (tif, TIFFTAG_EXTRASAMPLES, 1, &extra);
        }

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

/* The histogram counted while strips of 16-bit-or-narrower samples
 * decode is the one counted from the whole plane afterwards. */
static void
check_histogram (DlPlane    *p,
                 const Spec *spec,
                 gboolean    invert)
{
  gboolean narrow = spec->format != SAMPLEFORMAT_IEEEFP && spec->bps <= 16;
  g_autoptr(DlHistogram) fresh = dl_histogram_new (p->data, (gsize) p->width * p->height);
  const DlHistogram *built;

  if (narrow && !invert && spec->tile == 0)
    g_assert_nonnull (p->counts);
  else
    g_assert_null (p->counts);
  built = dl_plane_ensure_histogram (p);
  g_assert_null (p->counts);
  g_assert_cmpmem (built->counts, sizeof built->counts, fresh->counts, sizeof fresh->counts);
  g_assert_cmpuint (built->total, ==, fresh->total);
  g_assert_cmpuint (built->min, ==, fresh->min);
  g_assert_cmpuint (built->max, ==, fresh->max);
  g_assert_cmpfloat (built->mean, ==, fresh->mean);
}

/* Level 2 of the pyramid, made while strips of 16-bit-or-narrower
 * samples decode, is the one made from the whole plane afterwards. */
static void
check_pyramid (DlPlane    *p,
               const Spec *spec,
               gboolean    invert)
{
  gboolean narrow = spec->format != SAMPLEFORMAT_IEEEFP && spec->bps <= 16;
  g_autoptr(DlPyramid) fresh = dl_pyramid_new (p->data, p->width, p->height);
  DlPyramid *built;

  if (!dl_pyramid_has_level2 (p->width, p->height))
    return;
  if (narrow && !invert && spec->tile == 0)
    g_assert_nonnull (p->level2);
  else
    g_assert_null (p->level2);
  p->pyramid = dl_pyramid_new_with_level2 (p->data, p->width, p->height, g_steal_pointer (&p->level2));
  built = p->pyramid;
  g_assert_cmpuint (built->n_levels, ==, fresh->n_levels);
  for (guint l = 2; l < fresh->n_levels; l++)
    g_assert_cmpmem (built->levels[l].data, (gsize) fresh->levels[l].width * fresh->levels[l].height * 2,
                     fresh->levels[l].data, (gsize) fresh->levels[l].width * fresh->levels[l].height * 2);
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
    /* signed samples with horizontal differencing, both byte orders */
    { "w", 61, 33, 16, SAMPLEFORMAT_INT, 1, 0, COMPRESSION_LZW, 2, 0, PHOTOMETRIC_MINISBLACK },
    { "wb", 61, 33, 16, SAMPLEFORMAT_INT, 1, 0, COMPRESSION_ADOBE_DEFLATE, 2, 0, PHOTOMETRIC_MINISBLACK },
    /* large enough for the parallel strip decoder */
    { "w", 1100, 1000, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_LZW, 2, 0, PHOTOMETRIC_MINISBLACK },
    { "wb", 700, 800, 16, SAMPLEFORMAT_UINT, 2, PLANARCONFIG_SEPARATE, COMPRESSION_ADOBE_DEFLATE, 2, 0, PHOTOMETRIC_MINISWHITE },
    /* and for the parallel tile decoder: edge tiles on both sides, contiguous and separate planes */
    { "w", 1111, 1003, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_LZW, 2, 64, PHOTOMETRIC_MINISBLACK },
    { "wb", 1030, 1020, 16, SAMPLEFORMAT_UINT, 2, PLANARCONFIG_SEPARATE, COMPRESSION_ADOBE_DEFLATE, 2, 128, PHOTOMETRIC_MINISBLACK },
    { "w", 1030, 1020, 16, SAMPLEFORMAT_UINT, 3, PLANARCONFIG_CONTIG, COMPRESSION_LZW, 0, 48, PHOTOMETRIC_MINISBLACK },
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
          check_histogram ((DlPlane *) p, spec, invert);
          check_pyramid ((DlPlane *) p, spec, invert);
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
  /* (the pitch from the description: test_description_pitch) */
  g_assert_cmpfloat (dl_scan_get_plane (s2, 0, 0)->air_value, ==, 0);
  g_assert_cmpstr (dl_scan_get_metadata (s2, "description"), ==, "{not json");
}

/* The pitch stated in the documented description (pitch_mm, one number or
 * [x, y]) is read, and wins over resolution tags (often a writer's
 * default); a pitch that is no length is not taken (and no pitch is made
 * up); without a description the tags give it. */
static void
test_description_pitch (void)
{
  Spec only = { "w", 20, 10, 16, SAMPLEFORMAT_UINT, 1, 0, 0, 0, 0, PHOTOMETRIC_MINISBLACK, 1,
                { NULL }, "{\"doorlicht\": {\"i0\": 60000, \"pitch_mm\": 4.5}}", 0, RESUNIT_NONE };
  Spec both = { "w", 20, 10, 16, SAMPLEFORMAT_UINT, 1, 0, 0, 0, 0, PHOTOMETRIC_MINISBLACK, 1,
                { NULL }, "{\"doorlicht\": {\"pitch_mm\": 4.5}}", 2, RESUNIT_CENTIMETER };
  Spec bad = { "w", 20, 10, 16, SAMPLEFORMAT_UINT, 1, 0, 0, 0, 0, PHOTOMETRIC_MINISBLACK, 1,
               { NULL }, "{\"doorlicht\": {\"pitch_mm\": -3}}", 0, RESUNIT_NONE };
  Spec text = { "w", 20, 10, 16, SAMPLEFORMAT_UINT, 1, 0, 0, 0, 0, PHOTOMETRIC_MINISBLACK, 1,
                { NULL }, "{\"doorlicht\": {\"pitch_mm\": \"5\"}}", 0, RESUNIT_NONE };
  Spec pair = { "w", 20, 10, 16, SAMPLEFORMAT_UINT, 1, 0, 0, 0, 0, PHOTOMETRIC_MINISBLACK, 1,
                { NULL }, "{\"doorlicht\": {\"pitch_mm\": [4.5, 6]}}", 72, RESUNIT_INCH };
  Spec tags = { "w", 20, 10, 16, SAMPLEFORMAT_UINT, 1, 0, 0, 0, 0, PHOTOMETRIC_MINISBLACK, 1,
                { NULL }, "{\"doorlicht\": {\"pitch_mm\": [4.5, 0]}}", 2, RESUNIT_CENTIMETER };
  g_autofree char *p_only = write_tiff ("pitch-only.tif", &only);
  g_autofree char *p_both = write_tiff ("pitch-both.tif", &both);
  g_autofree char *p_bad = write_tiff ("pitch-bad.tif", &bad);
  g_autofree char *p_text = write_tiff ("pitch-text.tif", &text);
  g_autofree char *p_pair = write_tiff ("pitch-pair.tif", &pair);
  g_autofree char *p_tags = write_tiff ("pitch-tags.tif", &tags);
  g_autoptr(DlScan) s_only = load_ok (p_only);
  g_autoptr(DlScan) s_both = load_ok (p_both);
  g_autoptr(DlScan) s_bad = load_ok (p_bad);
  g_autoptr(DlScan) s_text = load_ok (p_text);
  g_autoptr(DlScan) s_pair = load_ok (p_pair);
  g_autoptr(DlScan) s_tags = load_ok (p_tags);
  double px = 0, py = 0;

  g_assert_true (dl_scan_get_pixel_pitch (s_only, &px, &py));
  g_assert_cmpfloat (px, ==, 4.5);
  g_assert_cmpfloat (py, ==, 4.5);
  g_assert_true (dl_scan_get_pixel_pitch (s_both, &px, &py));
  g_assert_cmpfloat (px, ==, 4.5);   /* not the tags' 2 px/cm */
  g_assert_true (dl_scan_get_pixel_pitch (s_pair, &px, &py));
  g_assert_cmpfloat (px, ==, 4.5);   /* not 72 dpi */
  g_assert_cmpfloat (py, ==, 6.0);
  g_assert_true (dl_scan_get_pixel_pitch (s_tags, &px, &py));
  g_assert_cmpfloat_with_epsilon (px, 5.0, 1e-6);   /* an invalid pair: the tags' 2 px/cm */
  g_assert_false (dl_scan_get_pixel_pitch (s_bad, NULL, NULL));
  g_assert_false (dl_scan_get_pixel_pitch (s_text, NULL, NULL));
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
  /* libtiff writes the directory last: half the file has none */
  g_assert_true (g_file_set_contents (p_trunc, contents, len / 2, NULL));
  expect_error (p_trunc, NULL, NULL, DL_SCAN_ERROR, DL_SCAN_ERROR_CORRUPT);

  g_assert_true (g_file_set_contents (p_garbage, "II*\0\x08\0\0\0\xff\xff garbage", 19, NULL));
  expect_error (p_garbage, NULL, NULL, DL_SCAN_ERROR, DL_SCAN_ERROR_CORRUPT);
  for (guint cut = 0; cut < 8; cut++)
    {
      g_assert_true (g_file_set_contents (p_garbage, "II*\0\x08\0\0\0", cut, NULL));
      expect_error (p_garbage, NULL, NULL, DL_SCAN_ERROR,
                    cut == 0 ? DL_SCAN_ERROR_CORRUPT      /* empty */
                    : cut < 4 ? DL_SCAN_ERROR_UNSUPPORTED /* no TIFF magic */
                    : DL_SCAN_ERROR_CORRUPT);
    }
  g_assert_true (g_file_set_contents (p_garbage, "not an image at all", -1, NULL));
  expect_error (p_garbage, NULL, NULL, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED);

  g_cancellable_cancel (cancelled);
  expect_error (p_big, NULL, cancelled, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}


/* ---- hand-made files: what libtiff would not write ---------------------- */

static void
put_entry (GByteArray *a, guint16 tag, guint16 type, guint32 count, guint32 value)
{
  guint8 e[12];

  e[0] = tag; e[1] = tag >> 8;
  e[2] = type; e[3] = type >> 8;
  e[4] = count; e[5] = count >> 8; e[6] = count >> 16; e[7] = count >> 24;
  e[8] = value; e[9] = value >> 8; e[10] = value >> 16; e[11] = value >> 24;
  g_byte_array_append (a, e, 12);
}

/* A little-endian one-strip grayscale TIFF whose directory comes first,
 * declaring @declared bytes of strip data of which @present are there,
 * starting @skip bytes after where they do. */
static char *
write_raw_tiff_at (const char *name, guint32 width, guint32 height, guint bps,
                   guint compression, guint32 declared, guint32 present, guint32 skip)
{
  static const guint8 header[] = { 'I', 'I', 42, 0, 8, 0, 0, 0 };
  g_autoptr(GByteArray) a = g_byte_array_new ();
  char *path = g_build_filename (tmpdir, name, NULL);
  guint32 data_offset = 8 + 2 + 9 * 12 + 4;
  guint8 n_entries[2] = { 9, 0 }, next[4] = { 0 };

  g_byte_array_append (a, header, sizeof header);
  g_byte_array_append (a, n_entries, 2);
  put_entry (a, TIFFTAG_IMAGEWIDTH, TIFF_LONG, 1, width);
  put_entry (a, TIFFTAG_IMAGELENGTH, TIFF_LONG, 1, height);
  put_entry (a, TIFFTAG_BITSPERSAMPLE, TIFF_SHORT, 1, bps);
  put_entry (a, TIFFTAG_COMPRESSION, TIFF_SHORT, 1, compression);
  put_entry (a, TIFFTAG_PHOTOMETRIC, TIFF_SHORT, 1, PHOTOMETRIC_MINISBLACK);
  put_entry (a, TIFFTAG_STRIPOFFSETS, TIFF_LONG, 1, data_offset + skip);
  put_entry (a, TIFFTAG_SAMPLESPERPIXEL, TIFF_SHORT, 1, 1);
  put_entry (a, TIFFTAG_ROWSPERSTRIP, TIFF_LONG, 1, height);
  put_entry (a, TIFFTAG_STRIPBYTECOUNTS, TIFF_LONG, 1, declared);
  g_byte_array_append (a, next, 4);
  g_assert_cmpuint (a->len, ==, data_offset);
  for (guint32 i = 0; i < present; i++)
    {
      guint8 b = i * 7;
      g_byte_array_append (a, &b, 1);
    }
  g_assert_true (g_file_set_contents (path, (char *) a->data, a->len, NULL));
  return path;
}

static char *
write_raw_tiff (const char *name, guint32 width, guint32 height, guint bps,
                guint compression, guint32 declared, guint32 present)
{
  return write_raw_tiff_at (name, width, height, bps, compression, declared, present, 0);
}

static void
count_calls (double fraction, gpointer data)
{
  (*(guint *) data)++;
}

/* Over the cap, or larger than the file could hold: refused from the
 * directories alone, before any sample memory is allocated or decoded. */
static void
test_size_checks (void)
{
  static const guint widths[] = { 100, 100, 100 };
  Spec three = { "w", 100, 100, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_LZW, 0, 0,
                 PHOTOMETRIC_MINISBLACK, 3, { NULL }, NULL, 0, 0, widths };
  g_autofree char *p_three = write_tiff ("three.tif", &three);
  g_autofree char *p_huge = write_raw_tiff ("huge.tif", 50000, 50000, 16, COMPRESSION_NONE, 4096, 4096);
  g_autofree char *p_claims = write_raw_tiff ("claims.tif", 30000, 30000, 16, COMPRESSION_NONE, 4096, 4096);
  g_autofree char *p_cut = write_raw_tiff ("cut.tif", 64, 64, 16, COMPRESSION_NONE, 64 * 64 * 2, 3000);
  g_autofree char *p_short = write_raw_tiff_at ("short.tif", 64, 64, 8, COMPRESSION_NONE, 4096, 4096, 2000);
  g_autofree char *p_whole = write_raw_tiff ("whole.tif", 64, 64, 16, COMPRESSION_NONE, 64 * 64 * 2, 64 * 64 * 2);
  g_autofree char *p_j2k = write_raw_tiff ("j2k.tif", 64, 64, 16, COMPRESSION_JP2000, 100, 100);
  DlLoadOptions two_pages = { .max_memory = 2 * 100 * 100 * 2 + 100 };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlScan) scan = NULL;
  guint calls = 0;
  gint64 start;

  /* three pages of 20 000 bytes against a cap of 40 100: no page decoded */
  scan = dl_scan_load_file (p_three, &two_pages, count_calls, &calls, NULL, &error);
  g_assert_null (scan);
  g_assert_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_TOO_LARGE);
  g_assert_cmpuint (calls, ==, 0);
  g_test_message ("three pages: %s", error->message);
  g_clear_error (&error);

  /* the default cap: 50 000² × 2 bytes = 5 GB, in a file of 4 KiB */
  start = g_get_monotonic_time ();
  expect_error (p_huge, NULL, NULL, DL_SCAN_ERROR, DL_SCAN_ERROR_TOO_LARGE);
  /* 1.8 GB claimed by 4 KiB of uncompressed data */
  expect_error (p_claims, NULL, NULL, DL_SCAN_ERROR, DL_SCAN_ERROR_CORRUPT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  /* the directory is whole, the strip is cut short: less file than the
   * pixels need, or a strip running past the end of the file */
  expect_error (p_cut, NULL, NULL, DL_SCAN_ERROR, DL_SCAN_ERROR_CORRUPT);
  expect_error (p_short, NULL, NULL, DL_SCAN_ERROR, DL_SCAN_ERROR_CORRUPT);
  scan = load_ok (p_whole);
  g_assert_cmpuint (dl_scan_get_plane (scan, 0, 0)->data[0], ==, 0 | (7 << 8));

  /* a codec this libtiff lacks is named */
  scan = dl_scan_load_file (p_j2k, NULL, NULL, NULL, NULL, &error);
  g_assert_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "JPEG 2000"));
}

/* Half floats: 1 sign, 5 exponent, 10 mantissa bits. */
static void
test_float16 (void)
{
  static const guint16 halves[] = { 0x3c00 /* 1 */, 0x4000 /* 2 */, 0xc000 /* −2 */,
                                    0x3800 /* 0.5 */, 0x0000 /* 0 */, 0x7e00 /* NaN */ };
  static const double values[] = { 1, 2, -2, 0.5, 0, NAN };
  g_autofree char *path = g_build_filename (tmpdir, "half.tif", NULL);
  TIFF *tif = TIFFOpen (path, "w");
  g_autoptr(DlScan) scan = NULL;
  const DlPlane *p;

  TIFFSetField (tif, TIFFTAG_IMAGEWIDTH, G_N_ELEMENTS (halves));
  TIFFSetField (tif, TIFFTAG_IMAGELENGTH, 1);
  TIFFSetField (tif, TIFFTAG_BITSPERSAMPLE, 16);
  TIFFSetField (tif, TIFFTAG_SAMPLEFORMAT, SAMPLEFORMAT_IEEEFP);
  TIFFSetField (tif, TIFFTAG_SAMPLESPERPIXEL, 1);
  TIFFSetField (tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
  TIFFSetField (tif, TIFFTAG_ROWSPERSTRIP, 1);
  g_assert_cmpint (TIFFWriteEncodedStrip (tif, 0, (void *) halves, sizeof halves), ==, sizeof halves);
  TIFFClose (tif);

  scan = load_ok (path);
  p = dl_scan_get_plane (scan, 0, 0);
  g_assert_cmpint (p->source_format, ==, DL_SAMPLE_FLOAT);
  g_assert_cmpuint (p->source_bits, ==, 16);
  g_assert_false (p->lossless);
  /* finite values span [−2, 2] onto [0, 65535]; NaN is 0 */
  g_assert_cmpuint (p->data[2], ==, 0);
  g_assert_cmpuint (p->data[1], ==, 65535);
  g_assert_cmpuint (p->data[5], ==, 0);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpfloat_with_epsilon (p->data[i] * p->scale + p->offset, values[i], fabs (p->scale) / 2 + 1e-12);
}

/* Wide integers: a span that fits 16 bits is kept exactly, with an
 * offset; a wider one is scaled. */
static void
test_wide_integers (void)
{
  Spec fits = { "w", 61, 33, 32, SAMPLEFORMAT_INT, 1, 0, COMPRESSION_NONE, 0, 0, PHOTOMETRIC_MINISBLACK };
  g_autofree char *p1 = write_tiff ("int32.tif", &fits);
  g_autofree char *p2 = g_build_filename (tmpdir, "uint32-wide.tif", NULL);
  g_autoptr(DlScan) s1 = load_ok (p1);
  g_autoptr(DlScan) s2 = NULL;
  const guint32 wide[4] = { 5, 100000, 4000000000u, 70000 };
  const DlPlane *p;
  TIFF *tif;

  p = dl_scan_get_plane (s1, 0, 0);
  g_assert_true (p->lossless);
  g_assert_cmpfloat (p->scale, ==, 1.0);
  g_assert_cmpint (p->source_format, ==, DL_SAMPLE_INT);
  check_plane (p, &fits, 0, 0, FALSE);

  tif = TIFFOpen (p2, "w");
  TIFFSetField (tif, TIFFTAG_IMAGEWIDTH, 4);
  TIFFSetField (tif, TIFFTAG_IMAGELENGTH, 1);
  TIFFSetField (tif, TIFFTAG_BITSPERSAMPLE, 32);
  TIFFSetField (tif, TIFFTAG_SAMPLESPERPIXEL, 1);
  TIFFSetField (tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
  g_assert_cmpint (TIFFWriteEncodedStrip (tif, 0, (void *) wide, sizeof wide), ==, sizeof wide);
  TIFFClose (tif);
  s2 = load_ok (p2);
  p = dl_scan_get_plane (s2, 0, 0);
  g_assert_false (p->lossless);
  g_assert_cmpuint (p->data[0], ==, 0);
  g_assert_cmpuint (p->data[2], ==, 65535);
  g_assert_cmpuint (p->data[3], <, p->data[1]);
  g_assert_cmpuint (p->data[3], >, 0);
  g_assert_cmpfloat (p->offset, ==, 5);
}

/* Signed samples: stored = v + 2^(bits−1), recorded as offset −2^(bits−1);
 * MinIsWhite: stored = 2^bits − 1 − v. */
static void
test_explicit_mappings (void)
{
  Spec s16 = { "w", 61, 33, 16, SAMPLEFORMAT_INT, 1, 0, COMPRESSION_NONE, 0, 0, PHOTOMETRIC_MINISBLACK };
  Spec w8 = { "w", 61, 33, 8, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_PACKBITS, 0, 0, PHOTOMETRIC_MINISWHITE };
  Spec bilevel = { "w", 61, 33, 1, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_CCITTFAX4, 0, 0, PHOTOMETRIC_MINISWHITE };
  g_autofree char *p1 = write_tiff ("s16.tif", &s16);
  g_autofree char *p2 = write_tiff ("w8.tif", &w8);
  g_autofree char *p3 = write_tiff ("g4.tif", &bilevel);
  g_autoptr(DlScan) a = load_ok (p1);
  g_autoptr(DlScan) b = load_ok (p2);
  g_autoptr(DlScan) c = load_ok (p3);
  const DlPlane *p;

  p = dl_scan_get_plane (a, 0, 0);
  g_assert_cmpfloat (p->offset, ==, -32768);
  g_assert_cmpfloat (p->scale, ==, 1);
  g_assert_cmpint (p->source_format, ==, DL_SAMPLE_INT);
  for (guint i = 0; i < 61; i++)
    g_assert_cmpint (p->data[i], ==, (gint) value_at (&s16, i, 0, 0, 0) + 32768);

  p = dl_scan_get_plane (b, 0, 0);
  g_assert_cmpfloat (p->scale, ==, -1);
  g_assert_cmpfloat (p->offset, ==, 255);
  for (guint i = 0; i < 61; i++)
    g_assert_cmpint (p->data[i], ==, 255 - (gint) value_at (&w8, i, 0, 0, 0));

  p = dl_scan_get_plane (c, 0, 0);
  g_assert_cmpuint (p->source_bits, ==, 1);
  check_plane (p, &bilevel, 0, 0, TRUE);
  g_assert_cmpstr (dl_scan_get_metadata (c, "photometric"), ==, "min-is-white");
}

/* Two samples where the second is alpha: one channel, and a note. */
static void
test_alpha_dropped (void)
{
  Spec spec = { "w", 30, 20, 16, SAMPLEFORMAT_UINT, 2, PLANARCONFIG_CONTIG, COMPRESSION_NONE, 0, 0,
                PHOTOMETRIC_MINISBLACK, 1, { NULL }, NULL, 0, 0, NULL, EXTRASAMPLE_UNASSALPHA };
  g_autofree char *path = write_tiff ("alpha.tif", &spec);
  g_autoptr(DlScan) scan = load_ok (path);

  g_assert_cmpuint (dl_scan_get_n_planes (scan), ==, 1);
  check_plane (dl_scan_get_plane (scan, 0, 0), &spec, 0, 0, FALSE);
  g_assert_cmpstr (dl_scan_get_metadata (scan, "dropped-samples"), ==, "alpha");
}

/* Codecs this libtiff was built with, beyond the common ones. */
static void
test_more_codecs (void)
{
  static const guint codecs[] = { COMPRESSION_LZMA, COMPRESSION_ZSTD, COMPRESSION_DEFLATE };

  for (guint i = 0; i < G_N_ELEMENTS (codecs); i++)
    {
      Spec spec = { "wb", 70, 50, 16, SAMPLEFORMAT_UINT, 1, 0, codecs[i], 2, 32, PHOTOMETRIC_MINISBLACK };
      g_autofree char *name = g_strdup_printf ("codec-%u.tif", codecs[i]);
      g_autofree char *path = NULL;
      g_autoptr(DlScan) scan = NULL;

      if (!TIFFIsCODECConfigured (codecs[i]))
        {
          g_test_message ("codec %u is not in this libtiff", codecs[i]);
          continue;
        }
      path = write_tiff (name, &spec);
      scan = load_ok (path);
      check_plane (dl_scan_get_plane (scan, 0, 0), &spec, 0, 0, FALSE);
    }
}

/* Page names in either order, kept in the metadata; other text tags;
 * resolution in centimetres; JSON of the wrong shapes is only text. */
static void
test_more_metadata (void)
{
  Spec named = { "w", 20, 10, 16, SAMPLEFORMAT_UINT, 1, 0, 0, 0, 0, PHOTOMETRIC_MINISBLACK, 2,
                 { "channel=low;view=0", "scout image" },
                 "{\"doorlicht\": {\"i0\": \"bright\", \"channels\": [1, null, {\"name\": 5},"
                 " {\"name\": \"low\", \"i0\": {}}, {\"name\": \"low\", \"i0\": 1e300}]}}",
                 20, RESUNIT_CENTIMETER };
  g_autofree char *path = write_tiff ("named2.tif", &named);
  g_autoptr(DlScan) scan = NULL;
  TIFF *tif;
  double px, py;

  /* add the other text tags to the first page */
  tif = TIFFOpen (path, "r+");
  TIFFSetField (tif, TIFFTAG_SOFTWARE, "doorlicht test");
  TIFFSetField (tif, TIFFTAG_MAKE, "Make\xe9");   /* Latin-1: repaired */
  TIFFSetField (tif, TIFFTAG_MODEL, "M1");
  TIFFSetField (tif, TIFFTAG_ARTIST, "A");
  TIFFSetField (tif, TIFFTAG_DATETIME, "2026:11:22 10:00:00");
  TIFFSetField (tif, TIFFTAG_DOCUMENTNAME, "case 7");
  TIFFRewriteDirectory (tif);
  TIFFClose (tif);

  scan = load_ok (path);
  g_assert_cmpstr (dl_scan_get_plane (scan, 0, 0)->name, ==, "low");
  g_assert_cmpstr (dl_scan_get_plane (scan, 0, 1)->name, ==, "channel 1");
  g_assert_cmpfloat (dl_scan_get_plane (scan, 0, 0)->air_value, ==, 0);
  g_assert_cmpstr (dl_scan_get_metadata (scan, "page-name-0"), ==, "channel=low;view=0");
  g_assert_cmpstr (dl_scan_get_metadata (scan, "page-name-1"), ==, "scout image");
  g_assert_cmpstr (dl_scan_get_metadata (scan, "software"), ==, "doorlicht test");
  g_assert_true (g_utf8_validate (dl_scan_get_metadata (scan, "make"), -1, NULL));
  g_assert_true (g_str_has_prefix (dl_scan_get_metadata (scan, "make"), "Make"));
  g_assert_cmpstr (dl_scan_get_metadata (scan, "model"), ==, "M1");
  g_assert_cmpstr (dl_scan_get_metadata (scan, "artist"), ==, "A");
  g_assert_cmpstr (dl_scan_get_metadata (scan, "datetime"), ==, "2026:11:22 10:00:00");
  g_assert_cmpstr (dl_scan_get_metadata (scan, "document-name"), ==, "case 7");
  g_assert_true (dl_scan_get_pixel_pitch (scan, &px, &py));
  g_assert_cmpfloat_with_epsilon (px, 0.5, 1e-6);   /* 20 px/cm */
  g_assert_cmpfloat_with_epsilon (py, 0.5, 1e-6);
}

static void
write_page (TIFF *tif, guint photometric, guint spp, guint8 value)
{
  guint8 row[8 * 3];

  memset (row, value, sizeof row);
  TIFFSetField (tif, TIFFTAG_IMAGEWIDTH, 8);
  TIFFSetField (tif, TIFFTAG_IMAGELENGTH, 4);
  TIFFSetField (tif, TIFFTAG_BITSPERSAMPLE, 8);
  TIFFSetField (tif, TIFFTAG_SAMPLESPERPIXEL, spp);
  TIFFSetField (tif, TIFFTAG_PHOTOMETRIC, photometric);
  TIFFSetField (tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField (tif, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
  for (guint y = 0; y < 4; y++)
    g_assert_cmpint (TIFFWriteScanline (tif, row, y, 0), ==, 1);
  g_assert_true (TIFFWriteDirectory (tif));
}

/* A colour page after the first is skipped and listed; a colour first
 * page refuses the file. */
static void
test_colour_pages (void)
{
  g_autofree char *p1 = g_build_filename (tmpdir, "gray-then-rgb.tif", NULL);
  g_autofree char *p2 = g_build_filename (tmpdir, "rgb-then-gray.tif", NULL);
  g_autoptr(DlScan) scan = NULL;
  TIFF *tif;

  tif = TIFFOpen (p1, "w");
  write_page (tif, PHOTOMETRIC_MINISBLACK, 1, 10);
  write_page (tif, PHOTOMETRIC_RGB, 3, 20);
  write_page (tif, PHOTOMETRIC_MINISBLACK, 1, 30);
  TIFFClose (tif);
  tif = TIFFOpen (p2, "w");
  write_page (tif, PHOTOMETRIC_RGB, 3, 20);
  write_page (tif, PHOTOMETRIC_MINISBLACK, 1, 30);
  TIFFClose (tif);

  scan = load_ok (p1);
  g_assert_cmpuint (dl_scan_get_n_planes (scan), ==, 2);
  g_assert_cmpuint (dl_scan_get_plane (scan, 0, 0)->data[0], ==, 10);
  g_assert_cmpuint (dl_scan_get_plane (scan, 0, 1)->data[31], ==, 30);
  g_assert_true (g_str_has_prefix (dl_scan_get_metadata (scan, "skipped-pages"), "2: "));
  g_assert_nonnull (strstr (dl_scan_get_metadata (scan, "skipped-pages"), "RGB"));

  expect_error (p2, NULL, NULL, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED);
}

static void
cancel_on_progress (double fraction, gpointer data)
{
  g_cancellable_cancel (data);
}

/* Cancelled while decoding (from the progress callback): strips on
 * several threads, and tiles. */
static void
test_cancel_midway (void)
{
  Spec strips = { "w", 1100, 1000, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_LZW, 2, 0, PHOTOMETRIC_MINISBLACK };
  Spec tiles = { "w", 300, 300, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_NONE, 0, 16, PHOTOMETRIC_MINISBLACK };
  const Spec *specs[] = { &strips, &tiles };

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      g_autofree char *name = g_strdup_printf ("cancel-%u.tif", i);
      g_autofree char *path = write_tiff (name, specs[i]);
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(DlScan) scan = NULL;

      scan = dl_scan_load_file (path, NULL, cancel_on_progress, cancellable, cancellable, &error);
      g_assert_null (scan);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    }
}

/* Strips of one row: progress is called about once per percent. */
static void
test_progress_rate (void)
{
  Spec spec = { "w", 16, 3000, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_NONE, 0, 0,
                PHOTOMETRIC_MINISBLACK, 1, { NULL }, NULL, 0, 0, NULL, 0, 1 };
  g_autofree char *path = write_tiff ("rows.tif", &spec);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlScan) scan = NULL;
  guint calls = 0;

  scan = dl_scan_load_file (path, NULL, count_calls, &calls, NULL, &error);
  g_assert_no_error (error);
  check_plane (dl_scan_get_plane (scan, 0, 0), &spec, 0, 0, FALSE);
  g_test_message ("%u progress calls for 3000 strips", calls);
  g_assert_cmpuint (calls, >=, 2);
  g_assert_cmpuint (calls, <=, 110);
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

/* libtiff's messages while this test writes files (the reader has its
 * own handlers and never reaches these). */
static void
log_tiff_message (const char *module, const char *fmt, va_list ap)
{
  g_autofree char *text = g_strdup_vprintf (fmt, ap);

  g_test_message ("libtiff (writing): %s: %s", module ? module : "", text);
}

static void
remove_tmpdir (void)
{
  g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (tmpdir, name, NULL);
      g_remove (path);
    }
  g_rmdir (tmpdir);
}

typedef struct
{
  GPtrArray *previews;
} PreviewWatch;

static void
keep_preview (DlScan  *preview,
              gpointer data)
{
  PreviewWatch *w = data;

  g_ptr_array_add (w->previews, g_object_ref (preview));
}

/* slows the decoding down (on the reporting thread) so that previews,
 * every 250 ms, come while it runs */
static void
slow_progress (double   fraction,
               gpointer data)
{
  g_usleep (8000);
}

/* The mean of the (up to) @f × @f block of @full at preview pixel (x, y),
 * rounded to nearest. */
static guint
block_mean (const DlPlane *full,
            guint          f,
            guint          x,
            guint          y)
{
  guint64 sum = 0, n = 0;

  for (guint j = y * f; j < MIN ((y + 1) * f, full->height); j++)
    for (guint i = x * f; i < MIN ((x + 1) * f, full->width); i++, n++)
      sum += full->data[(gsize) j * full->width + i];
  return (guint) ((sum + n / 2) / n);
}

/* A first page of @width × @height (16 M samples or more) decodes with
 * previews reduced by @factor: each one a top-down prefix of exact
 * @factor × @factor means of the final image, growing, the last one
 * whole. */
static void
check_previews (guint width,
                guint height,
                guint factor)
{
  Spec spec = { "w", width, height, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_LZW, 2, 0,
                PHOTOMETRIC_MINISBLACK, 1, { NULL }, NULL, 0, 0, NULL, 0, 16 };
  g_autofree char *path = write_tiff ("preview.tif", &spec);
  g_autofree char *factor_text = g_strdup_printf ("%u", factor);
  PreviewWatch w = { g_ptr_array_new_with_free_func (g_object_unref) };
  DlLoadOptions options = { 0, keep_preview, &w };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlScan) scan = dl_scan_load_file (path, &options, slow_progress, NULL, NULL, &error);
  const DlPlane *full;
  guint last_rows = 0;

  g_assert_no_error (error);
  full = dl_scan_get_plane (scan, 0, 0);
  g_test_message ("%u previews", w.previews->len);
  g_assert_cmpuint (w.previews->len, >=, 1);
  for (guint i = 0; i < w.previews->len; i++)
    {
      DlScan *preview = g_ptr_array_index (w.previews, i);
      const DlPlane *pv = dl_scan_get_plane (preview, 0, 0);
      guint rows = 0;

      g_assert_cmpstr (dl_scan_get_metadata (preview, "preview-factor"), ==, factor_text);
      g_assert_cmpuint (pv->width, ==, (width + factor - 1) / factor);
      g_assert_cmpuint (pv->height, ==, (height + factor - 1) / factor);
      for (guint y = 0; y < pv->height; y++)
        {
          gboolean built = y < rows || y == rows;

          for (guint x = 0; x < pv->width && built; x++)
            if (pv->data[(gsize) y * pv->width + x] != block_mean (full, factor, x, y))
              {
                /* not built yet: the rest of the preview is empty */
                g_assert_cmpuint (x, ==, 0);
                built = FALSE;
              }
          if (built)
            rows = y + 1;
          else
            for (guint x = 0; x < pv->width; x++)
              g_assert_cmpuint (pv->data[(gsize) y * pv->width + x], ==, 0);
        }
      g_test_message ("preview %u: %u of %u rows", i, rows, pv->height);
      g_assert_cmpuint (rows, >, last_rows);
      g_assert_cmpuint (rows, ==, i + 1 == w.previews->len ? pv->height : rows);
      last_rows = rows;
    }
  g_ptr_array_unref (w.previews);
}

/* 2 × 2 means of a square page, 4 × 4 of a long one (over 8 192 samples
 * wide), and blocks cut by the edges of a page of odd sides; none below
 * DL_PREVIEW_MIN_SAMPLES. */
static void
test_preview (void)
{
  Spec spec = { "w", 4096, 4096, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_LZW, 2, 0,
                PHOTOMETRIC_MINISBLACK, 1, { NULL }, NULL, 0, 0, NULL, 0, 16 };

  check_previews (4096, 4096, 2);
  check_previews (16384, 1024, 4);
  check_previews (4097, 4099, 2);
  check_previews (16383, 1027, 4);

  /* a page below DL_PREVIEW_MIN_SAMPLES has none */
  {
    PreviewWatch w = { g_ptr_array_new_with_free_func (g_object_unref) };
    DlLoadOptions options = { 0, keep_preview, &w };
    g_autoptr(GError) error = NULL;
    Spec small = spec;
    g_autofree char *small_path = NULL;
    g_autoptr(DlScan) small_scan = NULL;

    small.height = 1024;
    small_path = write_tiff ("no-preview.tif", &small);
    small_scan = dl_scan_load_file (small_path, &options, slow_progress, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (w.previews->len, ==, 0);
    g_ptr_array_unref (w.previews);
  }
}

/* -- rows streamed (dl_tiff_rows), as doorlicht-cli render reads them ---------- */

/* All the bands of channel @channel of @path, end to end, or NULL when
 * the file is not streamed. */
static guint16 *
read_all_bands (const char *path,
                guint       channel,
                guint      *width,
                guint      *height)
{
  g_autoptr(DlTiffRows) rows = dl_tiff_rows_new_for_file (path, NULL, channel);
  g_autoptr(GError) error = NULL;
  const guint16 *band;
  guint16 *all;
  guint n, y = 0;

  if (rows == NULL)
    return NULL;
  *width = dl_tiff_rows_get_width (rows);
  *height = dl_tiff_rows_get_height (rows);
  all = g_new (guint16, (gsize) *width * *height);
  while (dl_tiff_rows_next_band (rows, &band, &n, &error))
    {
      g_assert_cmpuint (n, >, 0);
      g_assert_cmpuint (y + n, <=, *height);
      memcpy (all + (gsize) y * *width, band, (gsize) n * *width * sizeof (guint16));
      y += n;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (y, ==, *height);
  /* after the last band, still nothing */
  g_assert_false (dl_tiff_rows_next_band (rows, &band, &n, &error));
  g_assert_no_error (error);
  return all;
}

static gboolean
rows_band (gpointer source, const guint16 **rows, guint *n_rows, GError **error)
{
  return dl_tiff_rows_next_band (source, rows, n_rows, error);
}

static GBytes *
file_bytes (const char *path)
{
  g_autofree char *data = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  return g_bytes_new_take (g_steal_pointer (&data), length);
}

/* The image written from the whole plane and the one written from the
 * streamed bands are the same bytes, in @ext. */
static void
check_same_image (const char *path, const DlPlane *plane, const char *ext)
{
  g_autofree char *whole = g_strdup_printf ("%s.whole.%s", path, ext);
  g_autofree char *streamed = g_strdup_printf ("%s.streamed.%s", path, ext);
  g_autoptr(DlTiffRows) rows = dl_tiff_rows_new_for_file (path, NULL, plane->channel);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) a = NULL, b = NULL;
  DlWindowing w;

  dl_windowing_init (&w);
  w.center = 2000;
  w.width = 3000;
  w.gamma = 1.4;
  g_assert_nonnull (rows);
  g_assert_true (dl_image_write_windowed (plane, &w, whole, &error));
  g_assert_no_error (error);
  g_assert_true (dl_image_write_windowed_bands (plane->width, plane->height, rows_band, rows, &w, streamed, &error));
  g_assert_no_error (error);
  a = file_bytes (whole);
  b = file_bytes (streamed);
  g_assert_true (g_bytes_equal (a, b));
  g_unlink (whole);
  g_unlink (streamed);
}

/* Every page that can be streamed gives, band by band, the samples its
 * plane gets when the file is read whole, and the same image; those that
 * cannot (tiles, wide samples, several pages, no such channel) give NULL. */
static void
test_rows_streamed (void)
{
  static const Spec specs[] = {
    { "w", 97, 45, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_NONE, 0, 0, PHOTOMETRIC_MINISBLACK },
    { "wb", 97, 45, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_LZW, 2, 0, PHOTOMETRIC_MINISBLACK },
    { "w8", 97, 45, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_LZW, 2, 0, PHOTOMETRIC_MINISBLACK },
    { "w", 97, 45, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_ADOBE_DEFLATE, 2, 0, PHOTOMETRIC_MINISBLACK },
    { "w", 61, 33, 16, SAMPLEFORMAT_UINT, 2, PLANARCONFIG_SEPARATE, COMPRESSION_NONE, 0, 0, PHOTOMETRIC_MINISBLACK },
    { "w", 61, 33, 16, SAMPLEFORMAT_UINT, 3, PLANARCONFIG_CONTIG, COMPRESSION_LZW, 0, 0, PHOTOMETRIC_MINISBLACK },
    { "w", 61, 33, 8, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_NONE, 0, 0, PHOTOMETRIC_MINISBLACK },
    { "w", 61, 33, 12, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_NONE, 0, 0, PHOTOMETRIC_MINISBLACK },
    { "wb", 61, 33, 10, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_LZW, 0, 0, PHOTOMETRIC_MINISBLACK },
    { "w", 61, 33, 4, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_NONE, 0, 0, PHOTOMETRIC_MINISBLACK },
    { "w", 61, 33, 16, SAMPLEFORMAT_INT, 1, 0, COMPRESSION_NONE, 0, 0, PHOTOMETRIC_MINISBLACK },
    { "wb", 61, 33, 8, SAMPLEFORMAT_INT, 1, 0, COMPRESSION_NONE, 0, 0, PHOTOMETRIC_MINISBLACK },
    { "w", 61, 33, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_NONE, 0, 0, PHOTOMETRIC_MINISWHITE },
    { "wb", 700, 800, 16, SAMPLEFORMAT_UINT, 2, PLANARCONFIG_SEPARATE, COMPRESSION_ADOBE_DEFLATE, 2, 0, PHOTOMETRIC_MINISWHITE },
    /* many strips a band, the last band short (1003 rows of 16), one row a strip, one strip */
    { "w", 1100, 1003, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_LZW, 2, 0, PHOTOMETRIC_MINISBLACK, .rows_per_strip = 16 },
    { "w", 300, 203, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_LZW, 2, 0, PHOTOMETRIC_MINISBLACK, .rows_per_strip = 1 },
    { "w", 300, 203, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_LZW, 2, 0, PHOTOMETRIC_MINISBLACK, .rows_per_strip = 500 },
    /* one strip more than a band's 1 MiB: a band a strip, many bands */
    { "w", 40000, 101, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_LZW, 2, 0, PHOTOMETRIC_MINISBLACK, .rows_per_strip = 16 },
    /* not streamed */
    { "w", 100, 70, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_ADOBE_DEFLATE, 0, 32, PHOTOMETRIC_MINISBLACK },
    { "w", 61, 33, 32, SAMPLEFORMAT_IEEEFP, 1, 0, COMPRESSION_ADOBE_DEFLATE, 3, 0, PHOTOMETRIC_MINISBLACK },
    { "w", 61, 33, 32, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_NONE, 0, 0, PHOTOMETRIC_MINISBLACK },
    { "w", 61, 33, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_NONE, 0, 0, PHOTOMETRIC_MINISBLACK, .pages = 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      const Spec *spec = &specs[i];
      g_autofree char *name = g_strdup_printf ("rows-%u.tif", i);
      g_autofree char *path = write_tiff (name, spec);
      g_autoptr(DlScan) scan = load_ok (path);
      gboolean streams = spec->tile == 0 && spec->bps <= 16 && spec->format != SAMPLEFORMAT_IEEEFP && spec->pages <= 1;

      g_test_message ("rows %u: %s %u × %u, %u-bit format %u spp %u planar %u compression %u rows a strip %u tile %u",
                      i, spec->mode, spec->width, spec->height, spec->bps, spec->format, spec->spp, spec->planar,
                      spec->compression, spec->rows_per_strip, spec->tile);
      for (guint c = 0; c < spec->spp; c++)
        {
          const DlPlane *plane = dl_scan_get_plane (scan, 0, c);
          guint w = 0, h = 0;
          g_autofree guint16 *all = read_all_bands (path, c, &w, &h);

          if (!streams)
            {
              g_assert_null (all);
              continue;
            }
          g_assert_nonnull (all);
          g_assert_cmpuint (w, ==, plane->width);
          g_assert_cmpuint (h, ==, plane->height);
          g_assert_cmpmem (all, (gsize) w * h * 2, plane->data, (gsize) w * h * 2);
          if (c == spec->spp - 1)
            {
              check_same_image (path, plane, "pgm");
              check_same_image (path, plane, "png");
            }
        }
      /* no such channel: read whole, which says so */
      g_assert_null (dl_tiff_rows_new_for_file (path, NULL, spec->spp));
    }
}

/* Not a TIFF, not a file, over the memory cap: NULL (the whole read says why). */
static void
test_rows_not_streamed (void)
{
  static const Spec spec = { "w", 300, 203, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_LZW, 2, 0, PHOTOMETRIC_MINISBLACK };
  g_autofree char *path = write_tiff ("rows-cap.tif", &spec);
  g_autofree char *text = g_build_filename (tmpdir, "rows-not.tif", NULL);
  DlLoadOptions small = { 300 * 203 * 2 - 1 };

  g_assert_true (g_file_set_contents (text, "not a scan", -1, NULL));
  g_assert_null (dl_tiff_rows_new_for_file (text, NULL, 0));
  g_assert_null (dl_tiff_rows_new_for_file (tmpdir, NULL, 0));
  g_assert_null (dl_tiff_rows_new_for_file (path, &small, 0));
  small.max_memory++;
  {
    g_autoptr(DlTiffRows) rows = dl_tiff_rows_new_for_file (path, &small, 0);
    g_assert_nonnull (rows);
  }
}

/* A damaged strip half-way: the streamed image fails with the error the
 * whole read gives, and nothing is left at the output's name. */
static void
test_rows_damaged (void)
{
  static const Spec spec = { "w", 2000, 700, 16, SAMPLEFORMAT_UINT, 1, 0, COMPRESSION_LZW, 2, 0,
                             PHOTOMETRIC_MINISBLACK, .rows_per_strip = 16 };
  g_autofree char *path = write_tiff ("rows-damaged.tif", &spec);
  g_autofree char *out = g_build_filename (tmpdir, "rows-damaged.pgm", NULL);
  g_autoptr(GError) whole_error = NULL, error = NULL;
  g_autoptr(DlScan) scan = NULL;
  g_autoptr(DlTiffRows) rows = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *data = NULL;
  const char *entry;
  gsize length;
  guint64 offset;
  TIFF *tif = TIFFOpen (path, "r");
  DlWindowing w;

  /* garble the LZW codes of strip 30 of 44 */
  g_assert_nonnull (tif);
  offset = TIFFGetStrileOffset (tif, 30);
  TIFFClose (tif);
  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  memset (data + offset, 0xff, 64);
  g_assert_true (g_file_set_contents (path, data, length, NULL));

  scan = dl_scan_load_file (path, NULL, NULL, NULL, NULL, &whole_error);
  g_assert_null (scan);
  g_assert_error (whole_error, DL_SCAN_ERROR, DL_SCAN_ERROR_CORRUPT);

  dl_windowing_init (&w);
  rows = dl_tiff_rows_new_for_file (path, NULL, 0);
  g_assert_nonnull (rows);
  g_assert_false (dl_image_write_windowed_bands (2000, 700, rows_band, rows, &w, out, &error));
  g_assert_error (error, DL_SCAN_ERROR, DL_SCAN_ERROR_CORRUPT);
  g_assert_cmpstr (error->message, ==, whole_error->message);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  dir = g_dir_open (tmpdir, 0, NULL);
  while ((entry = g_dir_read_name (dir)))
    g_assert_false (g_str_has_prefix (entry, "rows-damaged.pgm"));
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  TIFFSetWarningHandler (log_tiff_message);
  tmpdir = g_dir_make_tmp ("dl-tiff-XXXXXX", NULL);

  g_test_add_func ("/tiff/layouts", test_layouts);
  g_test_add_func ("/tiff/float-mapping", test_float_mapping);
  g_test_add_func ("/tiff/pages-and-views", test_pages_and_views);
  g_test_add_func ("/tiff/metadata", test_metadata);
  g_test_add_func ("/tiff/description-pitch", test_description_pitch);
  g_test_add_func ("/tiff/refusals", test_refusals);
  g_test_add_func ("/tiff/progress", test_progress);
  g_test_add_func ("/tiff/size-checks", test_size_checks);
  g_test_add_func ("/tiff/float16", test_float16);
  g_test_add_func ("/tiff/wide-integers", test_wide_integers);
  g_test_add_func ("/tiff/explicit-mappings", test_explicit_mappings);
  g_test_add_func ("/tiff/alpha-dropped", test_alpha_dropped);
  g_test_add_func ("/tiff/more-codecs", test_more_codecs);
  g_test_add_func ("/tiff/more-metadata", test_more_metadata);
  g_test_add_func ("/tiff/progress-rate", test_progress_rate);
  g_test_add_func ("/tiff/colour-pages", test_colour_pages);
  g_test_add_func ("/tiff/cancel-midway", test_cancel_midway);
  g_test_add_func ("/tiff/preview", test_preview);
  g_test_add_func ("/tiff/rows/streamed", test_rows_streamed);
  g_test_add_func ("/tiff/rows/not-streamed", test_rows_not_streamed);
  g_test_add_func ("/tiff/rows/damaged", test_rows_damaged);

  ret = g_test_run ();
  remove_tmpdir ();
  return ret;
}
