/* test-presets.c — the window presets give a useful picture of the cargo,
 * in either space, on every scene the generator makes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "dl-cargo.h"
#include "dl-presets.h"
#include "dl-synth.h"

/* What a window leaves of the cargo: the range of gray levels its middle
 * 90 % spans (P5 … P95: one load of cartons is even, a mixed load is not,
 * and either should be spread over the grays), and the share of it pinned
 * at either end. */
typedef struct
{
  int    spread;
  double black;
  double white;
} Spread;

static Spread
measure (const DlWindowing *w,
         const guint16     *data,
         const guint16     *ids,
         gsize              n,
         guint16            first_id)
{
  guint64 counts[256] = { 0 }, total = 0, cumulative = 0;
  guint8 lut[DL_LUT_SIZE];
  int q1 = -1, q3 = -1;   /* P5, P95 */

  dl_windowing_fill_lut (w, lut);
  for (gsize i = 0; i < n; i++)
    if (ids[i] >= first_id)
      {
        counts[lut[data[i]]]++;
        total++;
      }
  g_assert_cmpuint (total, >, 0);
  for (int g = 0; g < 256; g++)
    {
      cumulative += counts[g];
      if (q1 < 0 && cumulative * 20 >= total)
        q1 = g;
      if (q3 < 0 && cumulative * 20 >= 19 * total)
        q3 = g;
    }
  return (Spread) { q3 - q1, (double) counts[0] / total, (double) counts[255] / total };
}

static void
check_scene (const char *scene)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSynthOutput) out = dl_synth_generate (scene, 101, FALSE, &error);
  DlPlane *plane;
  gsize n;
  guint16 first_id = 2;

  g_assert_no_error (error);
  plane = dl_scan_get_plane (out->scan, 0, 0);
  n = (gsize) plane->width * plane->height;
  /* an empty conveyance: its walls are what there is to see */
  for (gsize i = 0; i < n && first_id == 2; i++)
    first_id = out->ids[i] >= 2 ? 2 : first_id;
  if (first_id == 2)
    {
      gboolean any = FALSE;
      for (gsize i = 0; i < n && !any; i++)
        any = out->ids[i] >= 2;
      if (!any)
        first_id = 1;
    }

  for (int space = 0; space < 2; space++)
    for (DlPreset p = 0; p < DL_N_PRESETS; p++)
      {
        DlWindowing w;
        Spread s;

        dl_windowing_init (&w);
        w.space = space ? DL_SPACE_DENSITY : DL_SPACE_VALUE;
        w.i0 = dl_plane_get_i0 (plane);
        dl_preset_compute (p, dl_plane_ensure_histogram (plane), &w);
        s = measure (&w, plane->data, out->ids, n, first_id);
        g_test_message ("%-20s %-12s %-17s P5–P95 %3d gray levels, %4.1f %% black, %4.1f %% white",
                        scene, space ? "density" : "transmission", dl_preset_get_id (p),
                        s.spread, 100 * s.black, 100 * s.white);
        /* all figures first, then fail */
        if (s.spread < 8 || s.black >= 0.5 || s.white >= 0.5)
          g_test_fail_printf ("%s, %s, %s: P5–P95 %d, %.1f %% black, %.1f %% white",
                              scene, space ? "density" : "transmission", dl_preset_get_id (p),
                              s.spread, 100 * s.black, 100 * s.white);
      }
}

static void
test_presets_every_scene (void)
{
  for (const DlSynthScene *s = dl_synth_get_scenes (); s->name; s++)
    check_scene (s->name);
}

/* A made-up image, no generator: air around, a faint veil (walls seen face
 * on), two dense one-pixel lines (edge on) and a block of cargo. */
static void
test_cargo_ignores_air_and_walls (void)
{
  const guint w = 400, h = 200;
  g_autofree guint16 *data = g_new (guint16, w * h);
  g_autoptr(DlHistogram) cargo = NULL;

  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        double d = 0;
        if (x >= 20 && x < 380 && y >= 20 && y < 180)
          d = 0.12 + 0.02 * ((x / 7) % 2);                 /* corrugated walls */
        if ((y == 22 || y == 170) && x >= 20 && x < 380)
          d = 6.0;                                          /* roof and floor */
        if (x >= 100 && x < 250 && y >= 60 && y < 170)
          d = 1.0 + 2.0 * (x - 100) / 150.0;                /* the cargo */
        data[y * w + x] = (guint16) round (60000 * exp (-d));
      }

  cargo = dl_cargo_histogram_new (data, w, h, 60000);
  g_assert_nonnull (cargo);
  /* only the block: densities 1 … 3 */
  g_assert_cmpfloat (dl_density (cargo->max, 60000), >, 0.99);
  g_assert_cmpfloat (dl_density (cargo->min, 60000), <, 3.01);
  g_assert_cmpfloat (dl_density (dl_histogram_percentile (cargo, 50), 60000), >, 1.7);
  g_assert_cmpfloat (dl_density (dl_histogram_percentile (cargo, 50), 60000), <, 2.3);
}

static void
test_cargo_none (void)
{
  guint16 air[64];

  for (guint i = 0; i < 64; i++)
    air[i] = 60000 - (i % 3);
  g_assert_null (dl_cargo_histogram_new (air, 8, 8, 60000));
}

/* SHA-256 of the cargo mask of @data and, when there is cargo, of its
 * histogram's counts. */
static char *
cargo_digest (const guint16 *data,
              guint          width,
              guint          height)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(DlHistogram) cargo = dl_cargo_histogram_new (data, width, height, 60000);
  guint stride;
  g_autofree guint8 *mask = dl_cargo_mask_new (data, width, height, 60000, &stride);

  g_checksum_update (sum, mask, (gsize) ((width + stride - 1) / stride) * ((height + stride - 1) / stride));
  if (cargo)
    g_checksum_update (sum, (const guchar *) cargo->counts, sizeof cargo->counts);
  return g_strdup (g_checksum_get_string (sum));
}

/* The cargo found on every scene (seed 101, both channels) is what the
 * first version, which sorted for each quantile, found: digests written
 * by that code.  Its quantiles are now selected, not sorted. */
static void
test_cargo_same_as_sorting_scenes (void)
{
  static const struct { const char *scene; guint channel; const char *sha256; } expected[] = {
    { "empty", 0, "e2860278c26e141d7919bcaf004090d4aa0e2e57a336cf2e03f9b34ac3638a13" },
    { "empty", 1, "ddcf57c33a6429f97088774822bac85a2a07717ad693be8acfbbf503f86b358d" },
    { "empty-20ft", 0, "c642bf2e2818fd755280e45afeadc233f63f2bc79abe7a919bbb924be0915bdb" },
    { "empty-20ft", 1, "a735e3a0b22370238ac35fc849b436c91cde6bbb9396a511c303919254db87e2" },
    { "mixed", 0, "c954313b6d0b68fc4bec9c61af29b53ac27f18cce2ae6a4a728039705bc03a9c" },
    { "mixed", 1, "5725a78f4a05aebc601ba24c61b8173df1792d11a85278314a4d339f2d20d4ea" },
    { "tyres-concealment", 0, "21b9668b6fce8ac760832606988f2696178defd18f6ee843fde1862d51e53230" },
    { "tyres-concealment", 1, "5e677049fb0f5d15af1aa84c5137c4df48d9f3d9e56c62cd70ca6e351e08f278" },
    { "false-wall", 0, "6a682e310cdd720ffd59d99db08a6008a6b4efe2d7b2bfacb184a515fe5f2e58" },
    { "false-wall", 1, "2e06a187bd88eb1aebd3c78e6e9b836d9db160e8a3a13e253627dea0c976929d" },
    { "organic-in-metal", 0, "baf30a0473f050f3d3b0b7198bf5b07ad289921563f42577c152d5c688647077" },
    { "organic-in-metal", 1, "9c5e43bf33dae882ef64fd7d62b112b910f075410a19ac97c005f0c10784ad8b" },
    { "metal-in-organic", 0, "2acc976f8eb608c94312f50a7112023349825a53a3c1c020916ddce4e20932ed" },
    { "metal-in-organic", 1, "9807c6368965f91ae161bf78fcdbbca3437ac1747e6ff8e227c9114d3fb7a234" },
    { "shielded-block", 0, "66ba124ed138235087379dcb2ee5ef6ce6108c9a6256bf8ee53412f59e041339" },
    { "shielded-block", 1, "c0d478efec735ef1e6db0e3a51f1d78cfd5839d14bb0adb168f7b70a612b6c0c" },
    { "vehicles", 0, "dbfc8299b75fa1c4c661d6518ae05817d997a6cb42ec9e332766c03f5ee4c87c" },
    { "vehicles", 1, "2ba5e4370b6f24c27541a3daf4f545886ce169a1c58c7b02a0cd266987d4495a" },
    { "truck", 0, "1f6f050a0acf1d5ae1b12209e1d2185279074b3dbfa4ed2c3911abaaeb9f6bc2" },
    { "truck", 1, "2ab3dbc20cca6de80daf4a6e8e0657042c353ff2f2a25c252052f2f7ca561893" },
    { "undeclared", 0, "29a3796e570701f1eca877736ce890d828977236faf037f4fcfbffb7827ea747" },
    { "undeclared", 1, "f0fe005c4f59f1780359329c531e76c3e64b649bc6799b5db21d2eaf620868af" },
    { "pallet-concealment", 0, "604ed24c431cafe1eb2187721c054873753de67540fcb5884bea8fa9ce68e128" },
    { "pallet-concealment", 1, "059f80ccb159442cff37375fcfcd6928371a52c808e56b0f8531c457cf1623f5" },
    { "empty-concealment", 0, "7f7f49071b8cd4d55fcf530a690668491a1d416ee3c4cbc8bd7bb755a1207ffb" },
    { "empty-concealment", 1, "ae669ca890d2f36d92f32aacf0ee671601812d4a63717e9fb44faa99441c5791" },
    { "misdeclared", 0, "5543cbe528e062d0e9790e35aedcb3ad0854c734aad9c94144c2aebaf4e12d6a" },
    { "misdeclared", 1, "83d116fb1f0c8789bf41dd08b8e8c92ca5d24aaebd644c86780e87f1ea984ca5" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DlSynthOutput) out = dl_synth_generate (expected[i].scene, 101, FALSE, &error);
      DlPlane *plane;
      g_autofree char *digest = NULL;

      g_assert_no_error (error);
      plane = dl_scan_get_plane (out->scan, 0, expected[i].channel);
      digest = cargo_digest (plane->data, plane->width, plane->height);
      g_test_message ("%s channel %u", expected[i].scene, expected[i].channel);
      g_assert_cmpstr (digest, ==, expected[i].sha256);
    }
}

/* Patterns a selection can trip on: 0 a ramp along x, 1 a ramp down y
 * (sorted lines), 2 all alike, 3 organ pipes (up then down, a bad order
 * for a median-of-three pivot), 4 hashed noise. */
static guint16
pattern_value (guint kind,
               guint x,
               guint y,
               guint w,
               guint h)
{
  gboolean inside = y >= h / 10 && y < h - h / 10 && x >= 8 && x + 8 < w;
  guint32 z;
  guint k;

  if (!inside)
    return 60000;
  switch (kind)
    {
    case 0:
      return (guint16) (2000 + x * 40000 / w);
    case 1:
      return (guint16) (2000 + y * 40000 / h);
    case 2:
      return 20000;
    case 3:
      k = (x + y * w) % 4096;
      return (guint16) (4000 + (k < 2048 ? k : 4095 - k) * 16);
    default:
      z = (x * 73856093u) ^ (y * 19349663u);
      z ^= z >> 13;
      z *= 0x5bd1e995u;
      z ^= z >> 15;
      return (guint16) (3000 + z % 45000);
    }
}

static void
test_cargo_same_as_sorting_patterns (void)
{
  static const struct { guint kind, width, height; const char *sha256; } expected[] = {
    { 0, 1024, 512, "dadf9b13a76b48f06220acd79ed976a68ab5cbfa3f79e3c100c1e73846fd7e84" },
    { 1, 1024, 512, "fa58ab0fa36d037a3be7f50db4b610a395ecc71881ed80e3ae1724b26ef144d1" },
    { 2, 1024, 512, "002c6eb618d2edceb867201a045990038ffad62b5d4db02d0172048a6ea511e3" },
    { 3, 1024, 512, "79e14ab1e001306915d1e0ffaa4f9afb723a34cc63c1f334245c6a9c386a2cf1" },
    { 4, 1024, 512, "4918bf31d0b9dd0f53ca96625646f4aec4612f2eaf687e1ec57327e02bff3ff4" },
    { 0, 3000, 700, "c0882eb82c89c9f0ed30fb27ab2cdecf4f9cd67240ecaa9c81f557172083f4d4" },
    { 1, 3000, 700, "71862c41cfd071e9bcff2437dbe2fa619a6e5abc2c6f21c00f133eda8d7db7b3" },
    { 2, 3000, 700, "a7078dda6f3369c671ff9438689754a696ddebb1a1e6efd266c4cb8e6ed76c88" },
    { 3, 3000, 700, "d2f307846028aa387b7d0978985e5b45677c129f940e071f1b36ff6593e17588" },
    { 4, 3000, 700, "5da4f113c87ca33feb356ea260d4830803821573690726e00d19f1d1cd5b1dac" },
    { 0, 40, 4000, "377ebc04bb55dac99b0d27f82e2c1859d6f33079ea195f069f4ed2e6ef4301a4" },
    { 1, 40, 4000, "ce65e84c6d036ba373660288fe16f32519b7ee31ab8edf08648b8cce7a98ffdc" },
    { 2, 40, 4000, "4ee6fae617f02cbada064f2394108a1d85f332161ca12a8f388ad1bfd9cef1e8" },
    { 3, 40, 4000, "7d3c075f0f2ed7d8ad2b66d95786fe3eef670d75297fc243cdaebb94ad917393" },
    { 4, 40, 4000, "b9e3c9044b3cc9b8e09d6f6403e01f5652dfbd9be6b8cf2c274ddc32fd67f615" },
    { 0, 4000, 1, "44dd170b41d5f63fc6212602e8ca181bc0403bec3d8d6676a872f397ba83acc7" },
    { 1, 4000, 1, "26051966c0377b26da17a2259f1df7ae6cbb96f19cac28f56e3cbca28975e830" },
    { 2, 4000, 1, "0555b9c1f415307e028b68841f542cd3726ef69d58260249d85b44b37c1a8d9e" },
    { 3, 4000, 1, "aec99799477c3b66311f8b243c2e43d799d7ce1187b6d51702783cda1eca69e8" },
    { 4, 4000, 1, "9df5546c86bdcdd18e2f0ff29ff594310caf85b5b73fa975d14570107e3a2cc8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      guint w = expected[i].width, h = expected[i].height;
      g_autofree guint16 *data = g_new (guint16, (gsize) w * h);
      g_autofree char *digest = NULL;

      for (guint y = 0; y < h; y++)
        for (guint x = 0; x < w; x++)
          data[(gsize) y * w + x] = pattern_value (expected[i].kind, x, y, w, h);
      digest = cargo_digest (data, w, h);
      g_test_message ("pattern %u, %u × %u", expected[i].kind, w, h);
      g_assert_cmpstr (digest, ==, expected[i].sha256);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/presets/every-scene", test_presets_every_scene);
  g_test_add_func ("/presets/cargo-ignores-air-and-walls", test_cargo_ignores_air_and_walls);
  g_test_add_func ("/presets/cargo-none", test_cargo_none);
  g_test_add_func ("/presets/cargo-same-as-sorting/scenes", test_cargo_same_as_sorting_scenes);
  g_test_add_func ("/presets/cargo-same-as-sorting/patterns", test_cargo_same_as_sorting_patterns);
  return g_test_run ();
}
