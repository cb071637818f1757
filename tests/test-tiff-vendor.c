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

#include "dl-profile.h"
#include "dl-profile-choices.h"
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
  const char *serial;    /* NULL: "SN-4711" */
  gboolean anonymous;    /* no make, model or serial */
  gboolean floats;       /* 32-bit float transmission (0 … 1), not 16-bit counts */
  gboolean mirrored;     /* the second page's wedge thickens the other way: not one object */
} Vendor;

/* Air around a wedge thickening along x, with noise; pixels at the far
 * end are opaque (0) in both. */
static guint16
pixel (const Vendor *v, gboolean low, gboolean second, guint x, guint y, GRand *rand)
{
  guint along = v->mirrored && second ? W - 5 - MIN (x, W - 5) : x;
  double t = along < 10 ? 0 : (along - 10) * 0.5;
  double mu = low ? v->mu_low : v->mu_high;
  double value = I0 * exp (-mu * t) + g_rand_double_range (rand, -30, 30);

  if (x >= W - 4)
    return 0;
  return (guint16) CLAMP (value, 0, 65535);
}

static void
write_page (TIFF *tif, const Vendor *v, gboolean low, gboolean second, GRand *rand)
{
  guint16 row[W];
  float frow[W];

  TIFFSetField (tif, TIFFTAG_IMAGEWIDTH, W);
  TIFFSetField (tif, TIFFTAG_IMAGELENGTH, H);
  TIFFSetField (tif, TIFFTAG_BITSPERSAMPLE, v->floats ? 32 : 16);
  if (v->floats)
    TIFFSetField (tif, TIFFTAG_SAMPLEFORMAT, SAMPLEFORMAT_IEEEFP);
  TIFFSetField (tif, TIFFTAG_SAMPLESPERPIXEL, 1);
  TIFFSetField (tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
  TIFFSetField (tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField (tif, TIFFTAG_ROWSPERSTRIP, 16);
  if (!v->anonymous)
    {
      TIFFSetField (tif, TIFFTAG_MAKE, "Acme Imaging");
      TIFFSetField (tif, TIFFTAG_MODEL, "CargoView 9");
      TIFFSetField (tif, TIFFTAG_CAMERASERIALNUMBER, v->serial ? v->serial : "SN-4711");
    }
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
        {
          row[x] = pixel (v, low, second, x, y, rand);
          frow[x] = row[x] / (float) I0;
        }
      g_assert_cmpint (TIFFWriteScanline (tif, v->floats ? (void *) frow : (void *) row, y, 0), >=, 0);
    }
  g_assert_true (TIFFWriteDirectory (tif));
}

static DlScan *
load_vendor_in (const Vendor *v, const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "scan.tif", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (18);
  g_autoptr(GError) error = NULL;
  TIFF *tif = TIFFOpen (path, "w");
  DlScan *scan;

  g_assert_nonnull (tif);
  write_page (tif, v, v->low_first, FALSE, rand);
  write_page (tif, v, !v->low_first, TRUE, rand);
  TIFFClose (tif);
  scan = dl_scan_load_file (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_unlink (path);
  return scan;
}

static DlScan *
load_vendor (const Vendor *v)
{
  g_autofree char *dir = g_dir_make_tmp ("dl-vendor-XXXXXX", NULL);
  DlScan *scan = load_vendor_in (v, dir);

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

/* Float pages are mapped each onto its own 16-bit range: the order is
 * settled on the file's values, not the stored ones. */
static void
test_order_floats (void)
{
  Vendor v = { TRUE, RESUNIT_NONE, 0, NULL, 0.08, 0.07, NULL, FALSE, TRUE };
  g_autoptr(DlScan) scan = load_vendor (&v);

  check_order (scan, TRUE);
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

/* Two pages whose means differ but that are not one object (the wedge
 * the other way round on the second) are not guessed into an order. */
static void
test_order_not_one_object (void)
{
  Vendor v = { TRUE, RESUNIT_NONE, 0, NULL, 0.08, 0.05, NULL, FALSE, FALSE, TRUE };
  g_autoptr(DlScan) scan = load_vendor (&v);
  DlPlane *high, *low;

  g_assert_false (dl_scan_get_energy_pair (scan, 0, &high, &low));
  g_assert_cmpstr (dl_scan_get_plane (scan, 0, 1)->name, ==, "channel 1");
  g_assert_nonnull (strstr (dl_scan_get_metadata (scan, "energy-order"), "may not be one object"));
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

/* A set of the built-in profile alone, consulting @choices. */
static DlProfiles *
profiles_with_choices (const char *choices)
{
  DlProfiles *ps = dl_profiles_new ();
  DlProfile *builtin = dl_profiles_lookup (dl_profiles_get_default (), "synthetic-6-4MeV");

  g_assert_nonnull (builtin);
  dl_profiles_add (ps, builtin);
  dl_profiles_set_choices (ps, choices);
  return ps;
}

static DlProfileMatch
match_id (DlProfiles *ps, DlScan *scan, const char **id)
{
  DlProfileMatch how = DL_PROFILE_MATCH_NONE;
  DlProfile *p = dl_profiles_match (ps, scan, &how);

  *id = p ? p->id : NULL;
  return how;
}

/* Remembered once per make, model and serial: another serial is another
 * scanner; case and surrounding space are not. */
static void
test_remember_identity (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dl-choices-XXXXXX", NULL);
  g_autofree char *choices = g_build_filename (dir, "sub", "profile-choices.ini", NULL);
  g_autofree char *sub = g_path_get_dirname (choices);
  g_autoptr(DlProfiles) ps = profiles_with_choices (choices);
  Vendor v = { FALSE, RESUNIT_NONE, 0, NULL, 0.08, 0.05 };
  Vendor other = { FALSE, RESUNIT_NONE, 0, NULL, 0.08, 0.05, "SN-4712" };
  Vendor same = { FALSE, RESUNIT_NONE, 0, NULL, 0.08, 0.05, "  sn-4711 " };
  g_autoptr(DlScan) scan = load_vendor (&v);
  g_autoptr(DlScan) scan_other = load_vendor (&other);
  g_autoptr(DlScan) scan_same = load_vendor (&same);
  g_autoptr(GError) error = NULL;
  const char *id;

  g_assert_cmpint (match_id (ps, scan, &id), ==, DL_PROFILE_MATCH_NONE);
  g_assert_true (dl_profile_choices_remember (choices, scan, "synthetic-6-4MeV", &error));
  g_assert_no_error (error);
  g_assert_cmpint (match_id (ps, scan, &id), ==, DL_PROFILE_MATCH_REMEMBERED);
  g_assert_cmpstr (id, ==, "synthetic-6-4MeV");
  g_assert_cmpint (match_id (ps, scan_same, &id), ==, DL_PROFILE_MATCH_REMEMBERED);
  g_assert_cmpint (match_id (ps, scan_other, &id), ==, DL_PROFILE_MATCH_NONE);
  /* remembering again replaces the entry rather than adding one */
  g_assert_true (dl_profile_choices_remember (choices, scan_same, "synthetic-6-4MeV", &error));
  {
    g_autoptr(GKeyFile) kf = g_key_file_new ();
    gsize n;
    g_auto(GStrv) groups = NULL;

    g_assert_true (g_key_file_load_from_file (kf, choices, 0, NULL));
    groups = g_key_file_get_groups (kf, &n);
    g_assert_cmpuint (n, ==, 1);
  }
  g_unlink (choices);
  g_rmdir (sub);
  g_rmdir (dir);
}

/* A scan that names no scanner is remembered by its folder. */
static void
test_remember_folder (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dl-choices-XXXXXX", NULL);
  g_autofree char *choices = g_build_filename (dir, "profile-choices.ini", NULL);
  g_autofree char *lane1 = g_build_filename (dir, "lane-1", NULL);
  g_autofree char *lane2 = g_build_filename (dir, "lane-2", NULL);
  g_autoptr(DlProfiles) ps = profiles_with_choices (choices);
  Vendor v = { FALSE, RESUNIT_NONE, 0, NULL, 0.08, 0.05, NULL, TRUE };
  g_autoptr(DlScan) a = NULL, b = NULL, c = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *identity = NULL;
  const char *id;

  g_assert_cmpint (g_mkdir (lane1, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (lane2, 0700), ==, 0);
  a = load_vendor_in (&v, lane1);
  b = load_vendor_in (&v, lane1);
  c = load_vendor_in (&v, lane2);
  identity = dl_profile_choices_identity (a);
  g_assert_true (g_str_has_prefix (identity, "folder "));
  g_assert_true (dl_profile_choices_remember (choices, a, "synthetic-6-4MeV", &error));
  g_assert_no_error (error);
  g_assert_cmpint (match_id (ps, b, &id), ==, DL_PROFILE_MATCH_REMEMBERED);
  g_assert_cmpint (match_id (ps, c, &id), ==, DL_PROFILE_MATCH_NONE);
  g_unlink (choices);
  g_rmdir (lane1);
  g_rmdir (lane2);
  g_rmdir (dir);
}

/* A choices file that is not a key file is refused, and left as it was. */
static void
test_remember_damaged (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dl-choices-XXXXXX", NULL);
  g_autofree char *choices = g_build_filename (dir, "profile-choices.ini", NULL);
  const char *junk = "this is [not a key file\n";
  Vendor v = { FALSE, RESUNIT_NONE, 0, NULL, 0.08, 0.05 };
  g_autoptr(DlScan) scan = load_vendor (&v);
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;

  g_assert_true (g_file_set_contents (choices, junk, -1, NULL));
  g_assert_false (dl_profile_choices_remember (choices, scan, "synthetic-6-4MeV", &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_assert_true (g_file_get_contents (choices, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, junk);
  g_assert_null (dl_profile_choices_lookup (choices, scan));
  g_unlink (choices);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tiff-vendor/order/low-second", test_order_low_second);
  g_test_add_func ("/tiff-vendor/order/low-first", test_order_low_first);
  g_test_add_func ("/tiff-vendor/order/floats", test_order_floats);
  g_test_add_func ("/tiff-vendor/order/not-one-object", test_order_not_one_object);
  g_test_add_func ("/tiff-vendor/order/not-settled", test_order_not_settled);
  g_test_add_func ("/tiff-vendor/pitch/units", test_pitch_units);
  g_test_add_func ("/tiff-vendor/pitch/description-wins", test_pitch_description_wins);
  g_test_add_func ("/tiff-vendor/identity", test_identity);
  g_test_add_func ("/tiff-vendor/remember/identity", test_remember_identity);
  g_test_add_func ("/tiff-vendor/remember/folder", test_remember_folder);
  g_test_add_func ("/tiff-vendor/remember/damaged", test_remember_damaged);
  return g_test_run ();
}
