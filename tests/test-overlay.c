/* test-overlay.c — colour maps, density bands, and the calibrated
 * dual-energy material classes, on generator scenes with ground truth.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "dl-enhance.h"
#include "dl-overlay.h"
#include "dl-synth-calibrate.h"

static DlCalibration *calibration;

static void
test_colormap_ends (void)
{
  const char * const *names = dl_colormap_builtin_names ();

  for (guint i = 0; names[i]; i++)
    {
      g_autoptr(DlColormap) map = dl_colormap_new_builtin (names[i]);

      for (int end = 0; end <= 255; end += 255)
        {
          double r, g, b;
          dl_colormap_eval (names[i], end / 255.0, &r, &g, &b);
          g_assert_cmpuint (map->rgb[end][0], ==, (guint) round (r * 255));
          g_assert_cmpuint (map->rgb[end][1], ==, (guint) round (g * 255));
          g_assert_cmpuint (map->rgb[end][2], ==, (guint) round (b * 255));
        }
    }
  {
    /* viridis runs from dark violet (#440154) to yellow (#fde725), within the fit */
    g_autoptr(DlColormap) v = dl_colormap_new_builtin ("viridis");
    g_autoptr(DlColormap) gray = dl_colormap_new_builtin ("gray");

    g_assert_cmpint (abs (v->rgb[0][0] - 0x44), <=, 4);
    g_assert_cmpint (abs (v->rgb[0][2] - 0x54), <=, 4);
    g_assert_cmpint (abs (v->rgb[255][0] - 0xfd), <=, 4);
    g_assert_cmpint (abs (v->rgb[255][1] - 0xe7), <=, 4);
    for (int i = 0; i < 256; i++)
      g_assert_cmpuint (gray->rgb[i][1], ==, i);
  }
  g_assert_null (dl_colormap_new_builtin ("sepia"));
}

static void
test_colormap_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dl-lut-XXXXXX", NULL);
  g_autofree char *good = g_build_filename (dir, "two.lut", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.lut", NULL);
  g_autoptr(DlColormap) map = NULL;
  g_autoptr(DlColormap) none = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (good, "# black to red\n0 0 0\n\n255 0 0\n", -1, NULL));
  map = dl_colormap_load (good, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (map->rgb[0][0], ==, 0);
  g_assert_cmpuint (map->rgb[255][0], ==, 255);
  g_assert_cmpuint (map->rgb[128][0], ==, 128);
  g_assert_cmpuint (map->rgb[128][1], ==, 0);

  g_assert_true (g_file_set_contents (bad, "0 0 0\n300 0 0\n", -1, NULL));
  none = dl_colormap_load (bad, &error);
  g_assert_null (none);
  g_assert_nonnull (strstr (error->message, "line 2"));
}

/* A band covers exactly the pixels whose density is in range. */
static void
test_band_exact (void)
{
  DlOverlay overlay;
  g_autofree guint8 *lut = NULL;
  guint16 values[2000];
  guint8 gray[2000], rgb[6000];
  double i0 = 60000;

  dl_overlay_init (&overlay);
  g_assert_true (dl_overlay_parse (&overlay, "band:1.5:2.25", NULL));
  overlay.band_opacity = 1.0;
  lut = dl_overlay_band_lut (&overlay, i0);
  for (guint i = 0; i < 2000; i++)
    {
      values[i] = i * 30;
      gray[i] = 77;
    }
  dl_overlay_row (&overlay, gray, values, NULL, lut, rgb, 2000);

  for (guint i = 0; i < 2000; i++)
    {
      double d = -log (MAX (values[i], 1) / i0);
      gboolean in = d >= 1.5 && d <= 2.25;
      gboolean painted = !(rgb[3 * i] == 77 && rgb[3 * i + 1] == 77 && rgb[3 * i + 2] == 77);
      g_assert_cmpint (in, ==, painted);
      if (in)
        g_assert_cmpuint (rgb[3 * i], ==, overlay.bands[0].rgb[0]);
    }
  dl_overlay_clear (&overlay);
}

static void
test_parse (void)
{
  const char *bad[] = { "material:metal", "band:2", "band:3:1", "band:a:b", "colormap:nope", "glow" };
  DlOverlay o;

  dl_overlay_init (&o);
  g_assert_true (dl_overlay_parse (&o, "material:organic", NULL));
  g_assert_true (o.material);
  g_assert_cmpint (o.strip, ==, DL_STRIP_ORGANIC_ONLY);
  g_assert_true (dl_overlay_parse (&o, "colormap:turbo", NULL));
  g_assert_cmpstr (o.colormap->name, ==, "turbo");
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_false (dl_overlay_parse (&o, bad[i], &error));
      g_assert_nonnull (error);
    }
  dl_overlay_clear (&o);
}

/* Slabs of one material, from thin to thick: ≥ 95 % of the pixels away
 * from the slab's edge get the material's class, or "too dense" where the
 * calibration says the signal is gone. */
static void
test_classes_on_slabs (void)
{
  static const struct { DlMaterial m; double cm[4]; } cases[] = {
    { DL_MATERIAL_WATER, { 10, 25, 60, 100 } },   /* cm along the beam */
    { DL_MATERIAL_POLYETHYLENE, { 12, 30, 70, 100 } },
    { DL_MATERIAL_WOOD, { 20, 50, 100, 150 } },
    { DL_MATERIAL_COCAINE, { 10, 25, 50, 80 } },
    { DL_MATERIAL_ALUMINIUM, { 10, 20, 35, 45 } },
    { DL_MATERIAL_GLASS, { 10, 20, 35, 45 } },
    { DL_MATERIAL_STEEL, { 10, 5, 8, 12 } },
    { DL_MATERIAL_LEAD, { 10, 2, 4, 6 } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint t = 0; t < 4; t++)
      {
        const DlMaterialInfo *mi = dl_material_get (cases[i].m);
        g_autoptr(DlSynthOutput) slab = dl_synth_slab (cases[i].m, cases[i].cm[t], 77 + t);
        g_autofree guint8 *classes = dl_material_classify (dl_scan_get_plane (slab->scan, 0, 0),
                                                           dl_scan_get_plane (slab->scan, 0, 1),
                                                           calibration);
        guint expected = mi->klass == DL_CLASS_HEAVY ? DL_CLASS_METAL : mi->klass;
        guint right = 0, dense = 0, total = 0;
        double a = mi->mu_high * mi->density * cases[i].cm[t];

        /* the slab spans 16 … 47; its outer pixels mix with air through the
         * detector blur (σ 0.8 px) and the smoothing (radius 3) */
        for (guint y = 22; y < 42; y++)
          for (guint x = 22; x < 42; x++)
            {
              guint8 c = classes[y * 64 + x];
              right += c == expected;
              dense += c == DL_CLASS_TOO_DENSE || c == DL_CLASS_NONE;
              total++;
            }
        g_test_message ("%s %.0f cm (A %.2f, calibrated %.2f … %.2f): %.1f %% right, %.1f %% left unclassified",
                        mi->name, cases[i].cm[t], a, calibration->a_min, calibration->a_max,
                        100.0 * right / total, 100.0 * dense / total);
        /* never a wrong class: right, or honestly too thin or too dense to tell */
        g_assert_cmpfloat ((double) (right + dense) / total, >=, 0.95);
        /* and well inside the calibrated range, right */
        if (a > 1.25 * calibration->a_min && a < 0.8 * calibration->a_max)
          g_assert_cmpfloat ((double) right / total, >=, 0.95);
      }
}

/* The measure, on generator scenes: pixels where at least 10 cm of
 * a single material class gives ≥ 90 % of the attenuation along the ray,
 * away from any edge (within the smoothing's and the blur's reach the class
 * and its path stay the same, ± 20 %), inside the calibrated range: ≥ 95 %
 * get that class. */
static void
test_classes_on_scenes (void)
{
  const char *scenes[] = { "mixed", "vehicles", "truck", "shielded-block", "metal-in-organic",
                           "tyres-concealment", "organic-in-metal", "pallet-concealment" };
  guint right = 0, total = 0;

  for (guint s = 0; s < G_N_ELEMENTS (scenes); s++)
    {
      g_autoptr(DlSynthOutput) out = dl_synth_generate (scenes[s], 21, FALSE, NULL);
      g_autofree guint8 *classes = dl_material_classify (dl_scan_get_plane (out->scan, 0, 0),
                                                         dl_scan_get_plane (out->scan, 0, 1), calibration);
      const DlPlane *high = dl_scan_get_plane (out->scan, 0, 0);
      int r = calibration->smooth_radius + 2, w = out->width;
      guint s_right = 0, s_total = 0;

      for (int y = r; y < (int) out->height - r; y++)
        for (int x = r; x < w - r; x++)
          {
            gsize k = (gsize) y * w + x;
            guint klass = out->ray_class[k];
            double a = log (DL_SYNTH_I0 / MAX (high->data[k], 1));
            gboolean pure = TRUE;

            if (out->ray_share[k] < 0.9 || out->ray_path_cm[k] < 10
                || a < calibration->a_min || a > calibration->a_max)
              continue;
            for (int dy = -r; pure && dy <= r; dy++)
              for (int dx = -r; pure && dx <= r; dx++)
                {
                  gsize q = k + dy * w + dx;
                  pure = out->ray_class[q] == klass && out->ray_share[q] >= 0.9
                         && fabs (out->ray_path_cm[q] - out->ray_path_cm[k]) <= 0.2 * out->ray_path_cm[k];
                }
            if (!pure)
              continue;
            if (klass == DL_CLASS_HEAVY)
              klass = DL_CLASS_METAL;
            s_total++;
            s_right += classes[k] == klass;
          }
      g_test_message ("%s: %u of %u pixels right", scenes[s], s_right, s_total);
      right += s_right;
      total += s_total;
    }
  g_test_message ("all scenes: %u of %u pixels right (%.1f %%)", right, total, 100.0 * right / total);
  g_assert_cmpuint (total, >, 10000);
  g_assert_cmpfloat ((double) right / total, >=, 0.95);
}

/* Organic bricks hidden among machinery show as organic where they are:
 * at every pixel whose smoothing window lies inside a brick (the rims mix
 * with their surroundings through the detector blur). */
static void
test_organic_concealment_found (void)
{
  g_autoptr(DlSynthOutput) out = dl_synth_generate ("organic-in-metal", 4, FALSE, NULL);
  g_autofree guint8 *classes = dl_material_classify (dl_scan_get_plane (out->scan, 0, 0),
                                                     dl_scan_get_plane (out->scan, 0, 1), calibration);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) hidden = g_hash_table_new (NULL, NULL);
  int r = calibration->smooth_radius, w = out->width;
  guint organic = 0, total = 0;
  JsonArray *objects;

  g_assert_true (json_parser_load_from_data (parser, out->truth_json, -1, NULL));
  objects = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "objects");
  for (guint i = 0; i < json_array_get_length (objects); i++)
    {
      JsonObject *o = json_array_get_object_element (objects, i);
      if (json_object_get_boolean_member (o, "concealed"))
        g_hash_table_add (hidden, GUINT_TO_POINTER (json_object_get_int_member (o, "id")));
    }
  g_assert_cmpuint (g_hash_table_size (hidden), ==, 12);

  for (int y = r; y < (int) out->height - r; y++)
    for (int x = r; x < w - r; x++)
      {
        guint id = out->ids[y * w + x];
        gboolean inside = g_hash_table_contains (hidden, GUINT_TO_POINTER (id));

        for (int dy = -r; inside && dy <= r; dy++)
          for (int dx = -r; inside && dx <= r; dx++)
            inside = out->ids[(y + dy) * w + x + dx] == id;
        if (!inside)
          continue;
        total++;
        organic += classes[y * w + x] == DL_CLASS_ORGANIC;
      }
  g_test_message ("inside the concealed bricks: %u pixels, %u classified organic", total, organic);
  g_assert_cmpuint (total, >, 1000);
  g_assert_cmpfloat ((double) organic / total, >=, 0.9);
}

static void
test_enhance_flat_stays_flat (void)
{
  for (int mode = DL_ENHANCE_EDGES; mode < DL_N_ENHANCE; mode++)
    {
      guint8 img[120 * 70];

      memset (img, 137, sizeof img);
      dl_enhance_apply (mode, img, 120, 70, 120);
      for (guint i = 1; i < sizeof img; i++)
        g_assert_cmpuint (img[i], ==, img[0]);
    }
}

static void
test_enhance_does_its_job (void)
{
  guint8 step[64 * 32], ramp[256 * 64];
  int lo, hi;

  /* unsharp: a step gets over- and undershoot beside the edge */
  for (int y = 0; y < 32; y++)
    for (int x = 0; x < 64; x++)
      step[y * 64 + x] = x < 32 ? 100 : 150;
  dl_enhance_unsharp (step, 64, 32, 64, 2, 1.0);
  g_assert_cmpuint (step[16 * 64 + 31], <, 100);
  g_assert_cmpuint (step[16 * 64 + 32], >, 150);
  g_assert_cmpuint (step[16 * 64 + 5], ==, 100);   /* far from the edge, unchanged */

  /* local contrast: a faint ramp (100 … 115) is stretched */
  for (int y = 0; y < 64; y++)
    for (int x = 0; x < 256; x++)
      ramp[y * 256 + x] = 100 + x * 16 / 256;
  dl_enhance_local_contrast (ramp, 256, 64, 256, 4, 8.0);
  lo = ramp[32 * 256 + 2];
  hi = ramp[32 * 256 + 253];
  g_test_message ("ramp 100 … 115 became %d … %d", lo, hi);
  g_assert_cmpint (hi - lo, >=, 15 * 3 / 2);   /* contrast-limited, but clearly stretched */
  /* (adaptive equalisation is only locally monotonic: tiles map differently) */
}

/* Unsharp mask of an image large enough to be cut into bands for every
 * core is, pixel for pixel, the mask computed directly (box sums of the
 * clamped neighbourhood); each band reads only rows of its own window
 * (under ASan a read past it fails the test). */
static void
test_enhance_unsharp_bands (void)
{
  const int w = 1500, h = 1203, stride = 1504, r = 2;
  const double amount = 1.5;
  g_autofree guint8 *img = g_new0 (guint8, (gsize) stride * h);
  g_autofree guint8 *want = g_new0 (guint8, (gsize) stride * h);
  int area = (2 * r + 1) * (2 * r + 1);
  gint64 inverse = ((gint64) (int) round (amount * 256) << 16) / area;
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);

  for (gsize i = 0; i < (gsize) stride * h; i++)
    img[i] = g_rand_int_range (rand, 0, 256);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        int sum = 0, g = img[(gsize) y * stride + x], v;

        for (int dy = -r; dy <= r; dy++)
          for (int dx = -r; dx <= r; dx++)
            sum += img[(gsize) CLAMP (y + dy, 0, h - 1) * stride + CLAMP (x + dx, 0, w - 1)];
        v = g + (int) ((inverse * (g * area - sum) + (1 << 23)) >> 24);
        want[(gsize) y * stride + x] = (guint8) CLAMP (v, 0, 255);
      }
  dl_enhance_unsharp (img, w, h, stride, r, amount);
  for (int y = 0; y < h; y++)
    g_assert_cmpmem (img + (gsize) y * stride, w, want + (gsize) y * stride, w);
}

/* The calibration shipped as data is what the fit gives. */
static void
test_shipped_calibration (void)
{
  const DlCalibration *shipped = dl_calibration_get_default ();

  g_assert_cmpuint (shipped->n_points, ==, calibration->n_points);
  g_assert_cmpfloat (shipped->a_min, ==, calibration->a_min);
  g_assert_cmpfloat (shipped->a_max, ==, calibration->a_max);
  for (guint i = 0; i < shipped->n_points; i++)
    {
      g_assert_cmpfloat_with_epsilon (shipped->organic_inorganic[i], calibration->organic_inorganic[i], 1e-9);
      g_assert_cmpfloat_with_epsilon (shipped->inorganic_metal[i], calibration->inorganic_metal[i], 1e-9);
    }
}

static void
test_calibration_round_trip (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dl-cal-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cal.ini", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlCalibration) back = NULL;

  g_assert_true (dl_calibration_save (calibration, path, &error));
  back = dl_calibration_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->n_points, ==, calibration->n_points);
  for (guint i = 0; i < back->n_points; i++)
    {
      g_assert_cmpfloat (back->a[i], ==, calibration->a[i]);
      g_assert_cmpfloat (back->organic_inorganic[i], ==, calibration->organic_inorganic[i]);
      g_assert_cmpfloat (back->inorganic_metal[i], ==, calibration->inorganic_metal[i]);
    }
  /* the boundaries sit between the classes' table ratios */
  g_assert_cmpfloat (back->organic_inorganic[0], >, 0.692);
  g_assert_cmpfloat (back->organic_inorganic[0], <, 0.705);
  g_assert_cmpfloat (back->inorganic_metal[0], >, 0.708);
  g_assert_cmpfloat (back->inorganic_metal[0], <, 0.741);

  g_assert_true (g_file_set_contents (path, "[calibration]\nprofile=x\na_min=1\na_max=0.5\nsmooth_radius=3\n"
                                      "a=1;2\norganic_inorganic=0.7;0.7\ninorganic_metal=0.72;0.72\n", -1, NULL));
  g_clear_pointer (&back, dl_calibration_free);
  back = dl_calibration_load (path, &error);
  g_assert_null (back);
  g_assert_nonnull (error);
}

/* Dense metal drawn at gray 0 keeps its colour; thin material at 255
 * is not washed out to white. */
static void
test_overlay_lightness_floor (void)
{
  DlOverlay o;
  guint8 gray[2] = { 0, 255 }, classes[2] = { DL_CLASS_METAL, DL_CLASS_ORGANIC }, rgb[6];
  guint16 values[2] = { 0, 0 };
  guint8 metal[3], organic[3];

  dl_overlay_init (&o);
  o.material = TRUE;
  o.material_opacity = 1.0;
  dl_overlay_class_colour (DL_CLASS_METAL, metal);
  dl_overlay_class_colour (DL_CLASS_ORGANIC, organic);
  memcpy (o.class_rgb[DL_CLASS_METAL], metal, 3);
  memcpy (o.class_rgb[DL_CLASS_ORGANIC], organic, 3);
  dl_overlay_row (&o, gray, values, classes, NULL, rgb, 2);
  /* the blue of metal at about the floor's share of its brightness */
  g_assert_cmpint (rgb[2], >=, metal[2] * DL_OVERLAY_LIGHTNESS_FLOOR / 255 - 2);
  g_assert_cmpint (rgb[2], >, 80);
  g_assert_cmpint (rgb[2], >, rgb[0]);
  /* orange stays orange, not white */
  g_assert_cmpint (rgb[3 + 2], <, 40);
  dl_overlay_clear (&o);
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  calibration = dl_calibration_fit_synthetic ();

  g_test_add_func ("/overlay/colormap-ends", test_colormap_ends);
  g_test_add_func ("/overlay/colormap-file", test_colormap_file);
  g_test_add_func ("/overlay/band-exact", test_band_exact);
  g_test_add_func ("/overlay/parse", test_parse);
  g_test_add_func ("/overlay/classes-on-slabs", test_classes_on_slabs);
  g_test_add_func ("/overlay/classes-on-scenes", test_classes_on_scenes);
  g_test_add_func ("/overlay/organic-concealment-found", test_organic_concealment_found);
  g_test_add_func ("/overlay/calibration-round-trip", test_calibration_round_trip);
  g_test_add_func ("/overlay/shipped-calibration", test_shipped_calibration);
  g_test_add_func ("/overlay/enhance-flat-stays-flat", test_enhance_flat_stays_flat);
  g_test_add_func ("/overlay/enhance-does-its-job", test_enhance_does_its_job);
  g_test_add_func ("/enhance/unsharp-bands", test_enhance_unsharp_bands);
  g_test_add_func ("/overlay/lightness-floor", test_overlay_lightness_floor);

  ret = g_test_run ();
  dl_calibration_free (calibration);
  return ret;
}
