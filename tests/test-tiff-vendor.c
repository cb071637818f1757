/* test-tiff-vendor.c — vendor TIFFs without Doorlicht's description: two
 * pages as the two energies (which is which by their attenuation), the
 * pitch from the description or the resolution tags, the scanner's identity.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <tiffio.h>

#include "dl-scan.h"

#define W 80
#define H 60
#define I0 60000.0

typedef struct
{
  gboolean low_first;    /* page 1 is the low energy */
  guint16  unit;         /* RESUNIT_NONE: no resolution tags */
  float    resolution;
  const char *description;
  double   mu_low, mu_high;  /* per mm of the object */
} Vendor;

/* Air around a wedge thickening along x, with noise; pixels at the far
 * end are opaque (0) in both. */
static guint16
pixel (const Vendor *v, gboolean low, guint x, guint y, GRand *rand)
{
  double t = x < 10 ? 0 : (x - 10) * 0.5;
  double mu = low ? v->mu_low : v->mu_high;
  double value = I0 * exp (-mu * t) + g_rand_double_range (rand, -30, 30);

  if (x >= W - 4)
    return 0;
  return (guint16) CLAMP (value, 0, 65535);
}

static void
write_page (TIFF *tif, const Vendor *v, gboolean low, GRand *rand)
{
  guint16 row[W];

  TIFFSetField (tif, TIFFTAG_IMAGEWIDTH, W);
  TIFFSetField (tif, TIFFTAG_IMAGELENGTH, H);
  TIFFSetField (tif, TIFFTAG_BITSPERSAMPLE, 16);
  TIFFSetField (tif, TIFFTAG_SAMPLESPERPIXEL, 1);
  TIFFSetField (tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
  TIFFSetField (tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField (tif, TIFFTAG_ROWSPERSTRIP, 16);
  TIFFSetField (tif, TIFFTAG_MAKE, "Acme Imaging");
  TIFFSetField (tif, TIFFTAG_MODEL, "CargoView 9");
  TIFFSetField (tif, TIFFTAG_CAMERASERIALNUMBER, "SN-4711");
  TIFFSetField (tif, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
  if (v->description)
    TIFFSetField (tif, TIFFTAG_IMAGEDESCRIPTION, v->description);
  if (v->unit != RESUNIT_NONE)
    {
      TIFFSetField (tif, TIFFTAG_RESOLUTIONUNIT, v->unit);
      TIFFSetField (tif, TIFFTAG_XRESOLUTION, v->resolution);
      TIFFSetField (tif, TIFFTAG_YRESOLUTION, v->resolution);
    }
  for (guint y = 0; y < H; y++)
    {
      for (guint x = 0; x < W; x++)
        row[x] = pixel (v, low, x, y, rand);
      g_assert_cmpint (TIFFWriteScanline (tif, row, y, 0), >=, 0);
    }
  g_assert_true (TIFFWriteDirectory (tif));
}

static DlScan *
load_vendor (const Vendor *v)
{
  g_autofree char *dir = g_dir_make_tmp ("dl-vendor-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "scan.tif", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (18);
  g_autoptr(GError) error = NULL;
  TIFF *tif = TIFFOpen (path, "w");
  DlScan *scan;

  g_assert_nonnull (tif);
  write_page (tif, v, v->low_first, rand);
  write_page (tif, v, !v->low_first, rand);
  TIFFClose (tif);
  scan = dl_scan_load_file (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_unlink (path);
  g_rmdir (dir);
  return scan;
}

/* The low page is the one whose pixels are the wedge's low-energy ones. */
static void
check_order (DlScan *scan, gboolean low_first)
{
  DlPlane *high, *low;
  const char *order = dl_scan_get_metadata (scan, "energy-order");

  g_assert_true (dl_scan_get_energy_pair (scan, 0, &high, &low));
  g_assert_cmpuint (low->channel, ==, low_first ? 0 : 1);
  g_assert_cmpuint (high->channel, ==, low_first ? 1 : 0);
  /* at x = 30 the wedge is 10 mm: the low energy lets less through */
  g_assert_cmpuint (low->data[20 * W + 30], <, high->data[20 * W + 30]);
  g_assert_nonnull (order);
  g_assert_nonnull (strstr (order, low_first ? "page 1 is low" : "page 2 is low"));
}

static void
test_order_low_second (void)
{
  Vendor v = { FALSE, RESUNIT_NONE, 0, NULL, 0.08, 0.05 };
  g_autoptr(DlScan) scan = load_vendor (&v);

  check_order (scan, FALSE);
}

static void
test_order_low_first (void)
{
  Vendor v = { TRUE, RESUNIT_NONE, 0, NULL, 0.30, 0.24 };
  g_autoptr(DlScan) scan = load_vendor (&v);

  check_order (scan, TRUE);
}

/* Two pages that attenuate alike are not guessed into an order. */
static void
test_order_not_settled (void)
{
  Vendor v = { TRUE, RESUNIT_NONE, 0, NULL, 0.05, 0.05 };
  g_autoptr(DlScan) scan = load_vendor (&v);
  DlPlane *high, *low;

  g_assert_false (dl_scan_get_energy_pair (scan, 0, &high, &low));
  g_assert_cmpstr (dl_scan_get_plane (scan, 0, 0)->name, ==, "channel 0");
  g_assert_nonnull (strstr (dl_scan_get_metadata (scan, "energy-order"), "not settled"));
}

static void
check_pitch (DlScan *scan, double want, const char *source_part)
{
  double px, py;

  g_assert_true (dl_scan_get_pixel_pitch (scan, &px, &py));
  g_assert_cmpfloat_with_epsilon (px, want, 1e-6);
  g_assert_cmpfloat_with_epsilon (py, want, 1e-6);
  g_assert_nonnull (strstr (dl_scan_get_metadata (scan, "pitch-source"), source_part));
}

static void
test_pitch_units (void)
{
  Vendor inch = { FALSE, RESUNIT_INCH, 254.0f, NULL, 0.08, 0.05 };
  Vendor cm = { FALSE, RESUNIT_CENTIMETER, 20.0f, NULL, 0.08, 0.05 };
  Vendor none = { FALSE, RESUNIT_NONE, 0, NULL, 0.08, 0.05 };
  g_autoptr(DlScan) a = load_vendor (&inch);
  g_autoptr(DlScan) b = load_vendor (&cm);
  g_autoptr(DlScan) c = load_vendor (&none);

  check_pitch (a, 0.1, "per inch");
  check_pitch (b, 0.5, "per centimetre");
  g_assert_false (dl_scan_get_pixel_pitch (c, NULL, NULL));
  g_assert_null (dl_scan_get_metadata (c, "pitch-source"));
}

/* The description's pitch_mm wins over the resolution tags, and says so;
 * a Doorlicht description leaves the channels as they are named. */
static void
test_pitch_description_wins (void)
{
  Vendor v = { FALSE, RESUNIT_INCH, 72.0f, "{\"doorlicht\": {\"pitch_mm\": 2.5}}", 0.08, 0.05 };
  g_autoptr(DlScan) scan = load_vendor (&v);

  check_pitch (scan, 2.5, "description");
  g_assert_nonnull (strstr (dl_scan_get_metadata (scan, "pitch-source"), "resolution tags"));
  g_assert_null (dl_scan_get_metadata (scan, "energy-order"));
}

static void
test_identity (void)
{
  Vendor v = { FALSE, RESUNIT_NONE, 0, "Acme raw export", 0.08, 0.05 };
  g_autoptr(DlScan) scan = load_vendor (&v);

  g_assert_cmpstr (dl_scan_get_metadata (scan, "make"), ==, "Acme Imaging");
  g_assert_cmpstr (dl_scan_get_metadata (scan, "model"), ==, "CargoView 9");
  g_assert_cmpstr (dl_scan_get_metadata (scan, "serial"), ==, "SN-4711");
  /* a description that is not Doorlicht's does not stop the ordering */
  check_order (scan, FALSE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tiff-vendor/order/low-second", test_order_low_second);
  g_test_add_func ("/tiff-vendor/order/low-first", test_order_low_first);
  g_test_add_func ("/tiff-vendor/order/not-settled", test_order_not_settled);
  g_test_add_func ("/tiff-vendor/pitch/units", test_pitch_units);
  g_test_add_func ("/tiff-vendor/pitch/description-wins", test_pitch_description_wins);
  g_test_add_func ("/tiff-vendor/identity", test_identity);
  return g_test_run ();
}
