/* test-corpus.c — every TIFF of other projects' test suites: each valid
 * file loads with exactly the samples libtiff decodes (checked against an
 * independent decode through libtiff's scanline and tile API from the
 * file), or is refused with a reason; each malformed file is refused or
 * loaded safely, in under 2 s.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>
#include <tiffio.h>

#include "dl-scan.h"

static char *corpus;
static GHashTable *inventory;   /* "tiff/valid/x.tif" → GStrv row */
static int col_photometric = -1, col_compression = -1, col_rc = -1;

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
  guint16  spp, bps, format, planar;
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

/* Compares every channel the reader made with the reference, through the
 * mapping the reader recorded: file value = stored × scale + offset. */
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
      guint32 subfile = 0;
      guint16 n_extra = 0, *extra = NULL, kept;

      if (page++ > 0 && TIFFGetField (tif, TIFFTAG_SUBFILETYPE, &subfile) && (subfile & FILETYPE_REDUCEDIMAGE))
        continue;
      if (!ref_read_page (tif, &r))
        {
          *why = g_strdup ("the reference decode failed");
          g_free (r.values);
          TIFFClose (tif);
          return 0;
        }

      kept = r.spp;
      if (TIFFGetField (tif, TIFFTAG_EXTRASAMPLES, &n_extra, &extra))
        for (guint i = 0; i < n_extra; i++)
          if (extra[i] == EXTRASAMPLE_ASSOCALPHA || extra[i] == EXTRASAMPLE_UNASSALPHA)
            {
              kept = MIN (kept, r.spp - n_extra + i);
              break;
            }

      for (guint s = 0; s < kept; s++, plane_index++)
        {
          const DlPlane *p = dl_scan_get_plane_at (scan, plane_index);
          gsize n = (gsize) r.width * r.height;
          double tolerance = fabs (p->scale) / 2 + 1e-9;

          g_assert_nonnull (p);
          g_assert_cmpuint (p->width, ==, r.width);
          g_assert_cmpuint (p->height, ==, r.height);
          if (p->lossless)
            g_assert_cmpfloat (fabs (p->scale), ==, 1.0);

          for (gsize i = 0; i < n; i++)
            {
              double ref = r.values[s * n + i];
              double got = p->data[i] * p->scale + p->offset;

              if (!isfinite (ref))
                continue;
              if (fabs (got - ref) > tolerance + 1e-9 * fabs (ref))
                g_error ("%s: page %u sample %u pixel %" G_GSIZE_FORMAT ": reader %.17g (stored %u), libtiff %.17g",
                         path, page, s, i, got, p->data[i], ref);
              compared++;
            }
        }
      g_free (r.values);
    }
  while (TIFFReadDirectory (tif));

  TIFFClose (tif);
  g_assert_cmpuint (plane_index, ==, dl_scan_get_n_planes (scan));
  return compared;
}

/* ---- the tests ----------------------------------------------------------- */

static void
quiet_handler (const char *module, const char *fmt, va_list ap)
{
}

static GPtrArray *
list_dir (const char *sub)
{
  g_autofree char *dir_path = g_build_filename (corpus, "tiff", sub, NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    g_ptr_array_add (files, g_strdup (name));
  g_ptr_array_sort (files, (GCompareFunc) g_strcmp0);
  return files;
}

static gboolean
must_load (const char *rel)
{
  const char *photometric = inventory_field (rel, col_photometric);
  const char *rc = inventory_field (rel, col_rc);

  return g_strcmp0 (rc, "0") == 0
         && (g_strcmp0 (photometric, "MINISBLACK") == 0 || g_strcmp0 (photometric, "MINISWHITE") == 0);
}

static gboolean
must_refuse (const char *rel)
{
  const char *colour[] = { "RGB", "PALETTE", "YCBCR", "SEPARATED", "CIELAB", "ICCLAB",
                           "ITULAB", "LOGL", "LOGLUV", "MASK", "CFA", NULL };
  const char *photometric = inventory_field (rel, col_photometric);

  return photometric && g_strv_contains (colour, photometric);
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

static void
test_valid (void)
{
  g_autoptr(GPtrArray) files = list_dir ("valid");
  g_autoptr(GHashTable) reasons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint loaded = 0, refused = 0, unexpected = 0;
  guint64 samples = 0;

  if (files->len == 0)
    {
      g_test_skip ("the shared corpus is not here (../shared/corpus/tiff/valid)");
      return;
    }

  for (guint i = 0; i < files->len; i++)
    {
      const char *name = g_ptr_array_index (files, i);
      g_autofree char *rel = g_strdup_printf ("tiff/valid/%s", name);
      g_autofree char *path = g_build_filename (corpus, rel, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(DlScan) scan = dl_scan_load_file (path, NULL, NULL, NULL, NULL, &error);

      if (scan)
        {
          g_autofree char *why = NULL;
          guint64 n = compare_file (path, scan, &why);

          if (why)
            g_test_message ("%s: loaded, but %s: not compared", name, why);
          if (must_refuse (rel))
            {
              g_test_message ("UNEXPECTED: %s (%s) loaded", name, inventory_field (rel, col_photometric));
              unexpected++;
            }
          samples += n;
          loaded++;
        }
      else
        {
          g_autofree char *reason = NULL;
          char *colon;

          g_assert_true (error->domain == DL_SCAN_ERROR);
          g_assert_cmpstr (error->message, !=, "");
          g_test_message ("%s: refused: %s", name, error->message);
          /* a file libtiff cannot decode either may be refused as damaged */
          if (must_load (rel) && !g_error_matches (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED)
              && reference_decodes (path))
            {
              g_test_message ("UNEXPECTED: %s should load: %s", name, error->message);
              unexpected++;
            }
          if (must_refuse (rel))
            g_assert_true (g_error_matches (error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED));

          /* group by reason, without file-specific detail */
          reason = g_strdup (error->message);
          if ((colon = strstr (reason, ": ")) && g_str_has_prefix (reason, "The TIFF file is damaged"))
            *colon = '\0';
          {
            guint count = GPOINTER_TO_UINT (g_hash_table_lookup (reasons, reason));
            g_hash_table_insert (reasons, g_steal_pointer (&reason), GUINT_TO_POINTER (count + 1));
          }
          refused++;
        }
    }

  g_test_message ("valid corpus: %u files, %u loaded (%" G_GUINT64_FORMAT " samples equal to libtiff's), %u refused",
                  files->len, loaded, samples, refused);
  {
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init (&it, reasons);
    while (g_hash_table_iter_next (&it, &k, &v))
      g_test_message ("  refused %ux: %s", GPOINTER_TO_UINT (v), (char *) k);
  }
  g_assert_cmpuint (unexpected, ==, 0);
  g_assert_cmpuint (loaded, >, 100);
}

static void
test_malformed (void)
{
  g_autoptr(GPtrArray) files = list_dir ("malformed");
  guint loaded = 0, refused = 0;
  double slowest = 0;
  const char *slowest_name = NULL;

  if (files->len == 0)
    {
      g_test_skip ("the shared corpus is not here (../shared/corpus/tiff/malformed)");
      return;
    }

  for (guint i = 0; i < files->len; i++)
    {
      const char *name = g_ptr_array_index (files, i);
      g_autofree char *path = g_build_filename (corpus, "tiff", "malformed", name, NULL);
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      g_autoptr(DlScan) scan = dl_scan_load_file (path, NULL, NULL, NULL, NULL, &error);
      double seconds = (g_get_monotonic_time () - start) / 1e6;

      if (seconds > slowest)
        {
          slowest = seconds;
          slowest_name = name;
        }
      if (seconds >= 2.0)
        g_error ("%s took %.2f s", name, seconds);

      if (scan)
        {
          /* loaded safely: every plane is whole */
          for (guint k = 0; k < dl_scan_get_n_planes (scan); k++)
            g_assert_nonnull (dl_scan_get_plane_at (scan, k)->data);
          loaded++;
        }
      else
        {
          g_assert_nonnull (error);
          g_assert_cmpstr (error->message, !=, "");
          refused++;
        }
    }

  g_test_message ("malformed corpus: %u files, %u refused, %u loaded safely, slowest %.3f s (%s)",
                  files->len, refused, loaded, slowest, slowest_name);
}

/* The real radiographs: 16-bit, some MinIsWhite, tiled, big-endian. */
static void
test_radiographs (void)
{
  g_autofree char *dir_path = g_build_filename (corpus, "xray", "derived_tiff16", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  if (dir == NULL)
    {
      g_test_skip ("the shared corpus is not here (../shared/corpus/xray/derived_tiff16)");
      return;
    }

  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(DlScan) scan = dl_scan_load_file (path, NULL, NULL, NULL, NULL, &error);
      g_autofree char *why = NULL;
      const DlPlane *p;

      g_assert_no_error (error);
      p = dl_scan_get_plane_at (scan, 0);
      g_assert_cmpuint (p->source_bits, ==, 16);
      g_assert_true (p->lossless);
      g_assert_cmpuint (compare_file (path, scan, &why), ==, (guint64) p->width * p->height);
      g_assert_null (why);
      if (strstr (name, "miniswhite"))
        {
          g_assert_cmpstr (dl_scan_get_metadata (scan, "photometric"), ==, "min-is-white");
          g_assert_cmpfloat (p->scale, ==, -1.0);
        }
      n++;
    }
  g_assert_cmpuint (n, >, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  corpus = g_strdup (g_getenv ("DL_CORPUS_DIR"));
  if (corpus == NULL)
    corpus = g_build_filename (g_get_current_dir (), "..", "shared", "corpus", NULL);
  TIFFSetErrorHandler (quiet_handler);
  TIFFSetWarningHandler (quiet_handler);
  load_inventory ();

  g_test_add_func ("/corpus/valid", test_valid);
  g_test_add_func ("/corpus/malformed", test_malformed);
  g_test_add_func ("/corpus/radiographs", test_radiographs);

  return g_test_run ();
}
