/* test-cli.c — doorlicht-cli as a user or script runs it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <png.h>

#include "../tiff-fixture.h"
#include "dl-manifest.h"
#include "dl-scan.h"
#include "dl-synth.h"
#include "dl-windowing.h"

#include "cli-test-util.h"

#define W 257
#define H 131

static char *tmpdir;
static char *scan_path;


static void
test_info (void)
{
  g_auto(Run) r = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *o;
  JsonArray *stats;

  run_cli (&r, "info", scan_path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));

  g_assert_cmpint (json_object_get_int_member (o, "width"), ==, W);
  g_assert_cmpint (json_object_get_int_member (o, "height"), ==, H);
  g_assert_cmpint (json_object_get_int_member (o, "channels"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (o, "bits"), ==, 16);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "pixel_pitch_mm"), 5.0, 1e-9);
  g_assert_nonnull (strstr (json_object_get_string_member (o, "pitch_source"), "per centimetre"));
  /* two pages of one size, no Doorlicht description: an energy pair */
  g_assert_true (g_str_has_prefix (json_object_get_string_member (o, "energy_order"), "by attenuation ratio"));

  stats = json_object_get_array_member (o, "stats");
  g_assert_cmpuint (json_array_get_length (stats), ==, 2);
  for (guint c = 0; c < 2; c++)
    {
      JsonObject *s = json_array_get_object_element (stats, c);
      guint min = G_MAXUINT, max = 0;
      double sum = 0;

      for (guint y = 0; y < H; y++)
        for (guint x = 0; x < W; x++)
          {
            guint v = fixture_value (x, y, c);
            min = MIN (min, v);
            max = MAX (max, v);
            sum += v;
          }
      g_assert_cmpint (json_object_get_int_member (s, "min"), ==, min);
      g_assert_cmpint (json_object_get_int_member (s, "max"), ==, max);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (s, "mean"), sum / (W * H), 1e-6);
      g_assert_true (json_object_get_boolean_member (json_object_get_object_member (s, "mapping"), "lossless"));
      g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (s, "mapping"), "scale"), ==, 1.0);
    }
}

static JsonObject *
parse_object (JsonParser *parser, const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

/* profile remember: the choice is kept for the scan's scanner (here its
 * folder: the fixture names no scanner) and profile match then gives it. */
static void
test_profile_remember (void)
{
  g_autofree char *choices = g_build_filename (tmpdir, "choices", "profile-choices.ini", NULL);
  g_autoptr(JsonParser) p1 = json_parser_new ();
  g_autoptr(JsonParser) p2 = json_parser_new ();
  g_auto(Run) before = { 0 };
  g_auto(Run) unknown = { 0 };
  g_auto(Run) remember = { 0 };
  g_auto(Run) after = { 0 };
  JsonObject *o;

  g_setenv ("DOORLICHT_PROFILE_CHOICES", choices, TRUE);
  run_cli (&before, "profile", "match", scan_path, NULL);
  g_assert_cmpint (before.status, ==, 0);
  g_assert_nonnull (strstr (before.out, "\"none\""));
  run_cli (&unknown, "profile", "remember", scan_path, "no-such-profile", NULL);
  g_assert_cmpint (unknown.status, ==, 1);
  g_assert_false (g_file_test (choices, G_FILE_TEST_EXISTS));

  run_cli (&remember, "profile", "remember", scan_path, "synthetic-6-4MeV", NULL);
  g_assert_cmpint (remember.status, ==, 0);
  o = parse_object (p1, remember.out);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (o, "identity"), "folder "));
  g_assert_true (g_file_test (choices, G_FILE_TEST_IS_REGULAR));

  run_cli (&after, "profile", "match", scan_path, NULL);
  g_assert_cmpint (after.status, ==, 0);
  g_assert_true (json_parser_load_from_data (p2, after.out, -1, NULL));
  o = json_array_get_object_element (json_node_get_array (json_parser_get_root (p2)), 0);
  g_assert_cmpstr (json_object_get_string_member (o, "match"), ==, "remembered");
  g_assert_cmpstr (json_object_get_string_member (o, "profile"), ==, "synthetic-6-4MeV");
  g_unsetenv ("DOORLICHT_PROFILE_CHOICES");
}

/* A machine threat detection report (the pyDICOS sample): its threats,
 * as pydicom reads them (MACHINE, CLEAR, one threat). */
static void
test_info_report (void)
{
  const char *corpus = g_getenv ("DL_CORPUS_DIR");
  g_autofree char *path = corpus ? g_build_filename (corpus, "dicos", "pyDICOS__TDRFiles__SimpleBaggageTDR.dcs", NULL)
                                 : NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(Run) r = { 0 };
  JsonObject *tdr;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the shared corpus has no dicos/pyDICOS__TDRFiles__SimpleBaggageTDR.dcs");
      return;
    }
  run_cli (&r, "info", path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, NULL));
  tdr = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "threat_detection_report");
  g_assert_nonnull (tdr);
  g_assert_cmpstr (json_object_get_string_member (tdr, "tdr_type"), ==, "MACHINE");
  g_assert_cmpstr (json_object_get_string_member (tdr, "alarm_decision"), ==, "CLEAR");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (tdr, "threats")), ==, 1);
}

static void
test_info_refuses (void)
{
  g_autofree char *bad = g_build_filename (tmpdir, "bad.tif", NULL);
  g_autofree char *text = g_build_filename (tmpdir, "notes.txt", NULL);
  g_auto(Run) r1 = { 0 };
  g_auto(Run) r2 = { 0 };
  g_auto(Run) r3 = { 0 };
  /* A big-endian TIFF header whose first directory (at offset 8) is cut off. */
  static const char truncated[] = { 'M', 'M', 0, 42, 0, 0, 0, 8, 0, 0, 0, 0 };

  g_assert_true (g_file_set_contents (bad, truncated, sizeof truncated, NULL));
  run_cli (&r1, "info", bad, NULL);
  g_assert_cmpint (r1.status, ==, 1);
  g_assert_cmpstr (r1.out, ==, "");
  g_assert_nonnull (strstr (r1.err, "bad.tif"));

  g_assert_true (g_file_set_contents (text, "hello", -1, NULL));
  run_cli (&r2, "info", text, NULL);
  g_assert_cmpint (r2.status, ==, 1);
  g_assert_nonnull (strstr (r2.err, "neither a TIFF nor a DICOM"));

  run_cli (&r3, "info", "/nonexistent/scan.tif", NULL);
  g_assert_cmpint (r3.status, ==, 1);
  g_assert_cmpstr (r3.err, !=, "");

  /* the memory cap: 257 × 131 × 2 channels × 2 bytes = 134 668 bytes */
  {
    g_auto(Run) small = { 0 };
    g_auto(Run) enough = { 0 };
    g_auto(Run) nonsense = { 0 };

    run_cli (&small, "info", "--max-memory", "100K", scan_path, NULL);
    g_assert_cmpint (small.status, ==, 1);
    g_assert_nonnull (strstr (small.err, "limit"));
    run_cli (&enough, "info", "--max-memory", "1M", scan_path, NULL);
    g_assert_cmpint (enough.status, ==, 0);
    run_cli (&nonsense, "info", "--max-memory", "lots", scan_path, NULL);
    g_assert_cmpint (nonsense.status, ==, 2);
  }
}

/* Reads a binary PGM: returns the pixels, FALSE when it is not one. */
static guint8 *
read_pgm (const char *path,
          guint      *w,
          guint      *h)
{
  g_autofree char *data = NULL;
  gsize len;
  int offset = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpint (sscanf (data, "P5\n%u %u\n255\n%n", w, h, &offset), ==, 2);
  g_assert_cmpuint (len, ==, offset + (gsize) *w * *h);
  return g_memdup2 (data + offset, (gsize) *w * *h);
}

static guint8 *
read_png (const char *path,
          guint      *w,
          guint      *h)
{
  png_image image = { .version = PNG_IMAGE_VERSION };
  guint8 *pixels;

  g_assert_true (png_image_begin_read_from_file (&image, path));
  g_assert_cmpuint (image.format, ==, PNG_FORMAT_GRAY);
  pixels = g_malloc (PNG_IMAGE_SIZE (image));
  g_assert_true (png_image_finish_read (&image, NULL, pixels, 0, NULL));
  *w = image.width;
  *h = image.height;
  return pixels;
}

static void
check_render (const char  *ext,
              guint        channel,
              gboolean     density,
              double       c,
              double       w)
{
  g_autofree char *out = g_strdup_printf ("%s/out-%u-%d.%s", tmpdir, channel, density, ext);
  g_autofree char *window = g_strdup_printf ("%g:%g", c, w);
  g_autofree char *channel_arg = g_strdup_printf ("%u", channel);
  g_autofree guint8 *pixels = NULL;
  g_auto(Run) r = { 0 };
  DlWindowing win;
  double i0 = 0;
  guint ow, oh;

  if (density)
    run_cli (&r, "render", scan_path, "--window", window, "--channel", channel_arg, "--density", "-o", out, NULL);
  else
    run_cli (&r, "render", scan_path, "--window", window, "--channel", channel_arg, "-o", out, NULL);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);

  pixels = g_str_equal (ext, "pgm") ? read_pgm (out, &ow, &oh) : read_png (out, &ow, &oh);
  g_assert_cmpuint (ow, ==, W);
  g_assert_cmpuint (oh, ==, H);

  if (density)
    {
      /* I0 is the 99.9th percentile (nearest rank) when the file has none */
      g_autofree guint16 *sorted = g_new (guint16, W * H);
      for (guint i = 0; i < W * H; i++)
        sorted[i] = fixture_value (i % W, i / W, channel);
      for (guint i = 1; i < W * H; i++)
        for (guint j = i; j > 0 && sorted[j - 1] > sorted[j]; j--)
          {
            guint16 t = sorted[j]; sorted[j] = sorted[j - 1]; sorted[j - 1] = t;
          }
      i0 = sorted[(guint) ceil (0.999 * W * H) - 1];
    }

  dl_windowing_init (&win);
  win.center = c;
  win.width = w;
  win.space = density ? DL_SPACE_DENSITY : DL_SPACE_VALUE;
  win.i0 = density ? i0 : 65535;

  for (guint y = 0; y < H; y++)
    for (guint x = 0; x < W; x++)
      {
        double v = fixture_value (x, y, channel);
        double t;

        if (density)
          v = -log (MAX (v, 1) / i0);
        t = CLAMP ((v - (c - w / 2)) / w, 0, 1);
        g_assert_cmpuint (pixels[y * W + x], ==, (guint8) round (t * 255));
      }
}

static void
test_render_exact (void)
{
  check_render ("pgm", 0, FALSE, 20000, 30000);
  check_render ("png", 0, FALSE, 12345.5, 777);
  check_render ("pgm", 1, FALSE, 40000, 20000);
  check_render ("png", 1, TRUE, 0.5, 1.0);
}

/* SHA-256 of the file at @path. */
static char *
file_sha256 (const char *path)
{
  g_autofree char *data = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, length);
}

/* A single-page scan is rendered from its strips as they decode, not
 * read whole: the bytes are those the whole-image render wrote (digests
 * written by doorlicht-cli before it streamed), in PNG and PGM, for a
 * height that is no multiple of the 16 rows a strip, and a window in
 * density with a given I0. */
static void
test_render_streamed_same_bytes (void)
{
  static const struct { const char *ext; gboolean density; const char *sha256; } expected[] = {
    { "pgm", FALSE, "5ff17f59c533a254b0521f7811c171744a26f0b95a8e388556b4d6fbc7e2307f" },
    { "png", FALSE, "d957fdaebec331608bdc31decc4592c91816e269bcfa778a2f16fc9d82a34f17" },
    { "pgm", TRUE, "5f96de39125c1524b05c0c27e956b593f6cf0fedaee1f89292dd09bf38b2e4fe" },
    { "png", TRUE, "2a31bec3276098de5e70e06e16b2800cd25ce508133cdfc07fd0c96ab6237ba0" },
  };
  g_autofree char *single = g_build_filename (tmpdir, "single.tif", NULL);

  g_assert_true (fixture_write_tiff (single, 1000, 203, 1));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *out = g_strdup_printf ("%s/streamed-%u.%s", tmpdir, i, expected[i].ext);
      g_autofree char *sha = NULL;
      g_auto(Run) r = { 0 };

      if (expected[i].density)
        run_cli (&r, "render", single, "--window", "1.2:2.5", "--density", "--i0", "61000", "--gamma", "0.8",
                 "--invert", "-o", out, NULL);
      else
        run_cli (&r, "render", single, "--window", "33000:50000", "-o", out, NULL);
      g_assert_cmpstr (r.err, ==, "");
      g_assert_cmpint (r.status, ==, 0);
      sha = file_sha256 (out);
      g_test_message ("%s density %d: %s", expected[i].ext, expected[i].density, sha);
      g_assert_cmpstr (sha, ==, expected[i].sha256);
    }
}

/* A damaged strip fails the streamed render as it failed the whole one:
 * the file named, the damage said, nothing written. */
static void
test_render_streamed_damaged (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "damaged.tif", NULL);
  g_autofree char *out = g_build_filename (tmpdir, "damaged.pgm", NULL);
  g_autofree char *data = NULL;
  g_auto(Run) r = { 0 };
  gsize length;
  TIFF *tif;
  guint64 offset;

  g_assert_true (fixture_write_tiff (path, 1000, 203, 1));
  tif = TIFFOpen (path, "r");
  g_assert_nonnull (tif);
  offset = TIFFGetStrileOffset (tif, 9);
  TIFFClose (tif);
  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  memset (data + offset, 0xff, 64);
  g_assert_true (g_file_set_contents (path, data, length, NULL));

  run_cli (&r, "render", path, "--window", "33000:50000", "-o", out, NULL);
  g_assert_cmpint (r.status, !=, 0);
  g_assert_true (g_str_has_prefix (r.err, "doorlicht-cli: "));
  g_assert_nonnull (strstr (r.err, "damaged.tif: "));
  g_assert_nonnull (strstr (r.err, "strip"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

static void
test_render_usage_errors (void)
{
  g_autofree char *out = g_build_filename (tmpdir, "x.pgm", NULL);
  g_autofree char *jpg = g_build_filename (tmpdir, "x.jpg", NULL);
  g_auto(Run) r1 = { 0 };
  g_auto(Run) r2 = { 0 };
  g_auto(Run) r3 = { 0 };
  g_auto(Run) r4 = { 0 };
  g_auto(Run) r5 = { 0 };

  run_cli (&r1, "render", scan_path, "--window", "100:0", "-o", out, NULL);
  g_assert_cmpint (r1.status, ==, 2);
  g_assert_nonnull (strstr (r1.err, "width"));

  run_cli (&r2, "render", scan_path, "--window", "100:50", NULL);
  g_assert_cmpint (r2.status, ==, 2);

  run_cli (&r3, "render", scan_path, "--window", "100:50", "--channel", "5", "-o", out, NULL);
  g_assert_cmpint (r3.status, ==, 2);
  g_assert_nonnull (strstr (r3.err, "channel 5"));

  run_cli (&r4, "render", scan_path, "--window", "100:50", "-o", jpg, NULL);
  g_assert_cmpint (r4.status, ==, 1);
  g_assert_false (g_file_test (jpg, G_FILE_TEST_EXISTS));

  run_cli (&r5, "frobnicate", NULL);
  g_assert_cmpint (r5.status, ==, 2);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

static void
test_synth (void)
{
  g_autofree char *dir = g_build_filename (tmpdir, "synth", NULL);
  const char *ext[] = { ".tif", ".labels.tif", ".manifest.json", ".cuscar.edi", ".truth.json" };
  g_auto(Run) list = { 0 };
  g_auto(Run) one = { 0 };
  g_auto(Run) bad = { 0 };
  g_auto(Run) batch = { 0 };
  g_auto(Run) info = { 0 };
  g_auto(GStrv) lines = NULL;
  g_autofree char *scan = NULL;
  g_autofree char *index = NULL;

  run_cli (&list, "synth", "--list", NULL);
  g_assert_cmpint (list.status, ==, 0);
  lines = g_strsplit (g_strstrip (list.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 12);
  for (guint i = 0; lines[i]; i++)
    g_assert_nonnull (strchr (lines[i], '\t'));
  g_assert_true (g_str_has_prefix (lines[0], "empty\t"));

  run_cli (&one, "synth", "--scene", "false-wall", "--seed", "5", "-o", dir, NULL);
  g_assert_cmpint (one.status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (ext); i++)
    {
      g_autofree char *name = g_strconcat ("false-wall-5", ext[i], NULL);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }
  scan = g_build_filename (dir, "false-wall-5.tif", NULL);
  run_cli (&info, "info", scan, NULL);
  g_assert_cmpint (info.status, ==, 0);
  g_assert_nonnull (strstr (info.out, "\"channels\" : 2"));
  g_assert_nonnull (strstr (info.out, "\"pixel_pitch_mm\" : 5.0"));

  run_cli (&bad, "synth", "--scene", "nonsense", "-o", dir, NULL);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "nonsense"));

  run_cli (&batch, "synth", "--batch", "3", "--seed", "20", "-o", dir, NULL);
  g_assert_cmpint (batch.status, ==, 0);
  index = g_build_filename (dir, "index.json", NULL);
  g_assert_true (g_file_test (index, G_FILE_TEST_IS_REGULAR));
  {
    g_autofree char *name = g_build_filename (dir, "mixed-22.tif", NULL);   /* third scene, seed 22 */
    g_assert_true (g_file_test (name, G_FILE_TEST_IS_REGULAR));
  }
}

static guint8 *
read_png_rgb (const char *path, guint *w, guint *h)
{
  png_image image = { .version = PNG_IMAGE_VERSION };
  guint8 *pixels;

  g_assert_true (png_image_begin_read_from_file (&image, path));
  g_assert_cmpuint (image.format, ==, PNG_FORMAT_RGB);
  pixels = g_malloc (PNG_IMAGE_SIZE (image));
  g_assert_true (png_image_finish_read (&image, NULL, pixels, 0, NULL));
  *w = image.width;
  *h = image.height;
  return pixels;
}

/* render --overlay writes what the overlay defines: a band paints exactly
 * its pixels; a colour map maps the gray; a gray-only format is refused. */
static void
test_render_overlay (void)
{
  g_autofree char *band = g_build_filename (tmpdir, "band.png", NULL);
  g_autofree char *cmap = g_build_filename (tmpdir, "cmap.png", NULL);
  g_autofree char *pgm = g_build_filename (tmpdir, "overlay.pgm", NULL);
  g_autofree char *synth_dir = g_build_filename (tmpdir, "ov", NULL);
  g_autofree char *scan = g_build_filename (synth_dir, "mixed-3.tif", NULL);
  g_autofree char *material = g_build_filename (tmpdir, "material.png", NULL);
  g_autofree guint8 *px = NULL;
  g_auto(Run) r1 = { 0 };
  g_auto(Run) r2 = { 0 };
  g_auto(Run) r3 = { 0 };
  g_auto(Run) r4 = { 0 };
  g_auto(Run) r5 = { 0 };
  guint w, h, painted = 0, orange = 0;

  /* I0 given, so the band's densities are known: d in [0.5, 0.9] */
  run_cli (&r1, "render", scan_path, "--window", "30000:60000", "--i0", "60000",
           "--overlay", "band:0.5:0.9", "-o", band, NULL);
  g_assert_cmpint (r1.status, ==, 0);
  px = read_png_rgb (band, &w, &h);
  for (guint y = 0; y < H; y++)
    for (guint x = 0; x < W; x++)
      {
        guint16 v = fixture_value (x, y, 0);
        double d = -log (MAX (v, 1) / 60000.0);
        const guint8 *p = px + 3 * (y * W + x);
        gboolean is_gray = p[0] == p[1] && p[1] == p[2];

        g_assert_cmpint (d >= 0.5 && d <= 0.9, ==, !is_gray);
        painted += !is_gray;
      }
  g_assert_cmpuint (painted, >, 0);
  g_clear_pointer (&px, g_free);

  run_cli (&r2, "render", scan_path, "--window", "30000:60000", "--overlay", "colormap:viridis", "-o", cmap, NULL);
  g_assert_cmpint (r2.status, ==, 0);
  px = read_png_rgb (cmap, &w, &h);
  g_assert_cmpuint (w, ==, W);
  g_clear_pointer (&px, g_free);

  run_cli (&r3, "render", scan_path, "--window", "30000:60000", "--overlay", "colormap:viridis", "-o", pgm, NULL);
  g_assert_cmpint (r3.status, ==, 1);
  g_assert_false (g_file_test (pgm, G_FILE_TEST_EXISTS));

  run_cli (&r4, "synth", "--scene", "mixed", "--seed", "3", "-o", synth_dir, NULL);
  g_assert_cmpint (r4.status, ==, 0);
  run_cli (&r5, "render", scan, "--preset", "light-goods", "--overlay", "material", "-o", material, NULL);
  g_assert_cmpint (r5.status, ==, 0);
  px = read_png_rgb (material, &w, &h);
  for (guint i = 0; i < w * h; i++)
    orange += px[3 * i] > px[3 * i + 1] + 20 && px[3 * i + 1] > px[3 * i + 2] + 10;   /* organic: orange hues */
  g_test_message ("orange pixels: %u of %u", orange, w * h);
  g_assert_cmpuint (orange, >, w * h / 50);
}

/* `manifest FILE`: the JSON form of any manifest form, told by content;
 * refused files exit 1 naming the segment and place. */
/* --format-version: 2 by default, 1 where asked, refused with a clear
 * error when version 1 cannot say it (two consignments: two CNI groups,
 * UN/EDIFACT D.95B CUSCAR segment table, SG7 CNI). */
static void
test_manifest_format_version (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "two.edi", NULL);
  g_autofree char *one_path = g_build_filename (tmpdir, "one.edi", NULL);
  const char *head = "UNB+UNOC:3+S+R+1+IC'\nUNH+1+CUSCAR:D:95B:UN'\nBGM+85+TWO+9'\n"
                     "CNI+1'\nRFF+BM:BL1'\nGID+1+1:PK'\nMEA+WT+G+KGM:5'\n";
  g_autofree char *two = g_strconcat (head, "CNI+2'\nRFF+BM:BL2'\nGID+1+2:PK'\nMEA+WT+G+KGM:7'\n",
                                      "UNT+11+1'\nUNZ+1+IC'\n", NULL);
  g_autofree char *one = g_strconcat (head, "UNT+7+1'\nUNZ+1+IC'\n", NULL);
  g_auto(Run) v2 = { 0 };
  g_auto(Run) v1 = { 0 };
  g_auto(Run) v1_one = { 0 };
  g_auto(Run) v3 = { 0 };

  g_assert_true (g_file_set_contents (path, two, -1, NULL));
  g_assert_true (g_file_set_contents (one_path, one, -1, NULL));
  run_cli (&v2, "manifest", path, NULL);
  g_assert_cmpint (v2.status, ==, 0);
  g_assert_nonnull (strstr (v2.out, "\"format\" : \"doorlicht-manifest/2\""));
  g_assert_nonnull (strstr (v2.out, "\"transport_document\" : \"BL2\""));
  run_cli (&v1, "manifest", "--format-version", "1", path, NULL);
  g_test_message ("%s", v1.err);
  g_assert_cmpint (v1.status, ==, 1);
  g_assert_cmpstr (v1.out, ==, "");
  g_assert_nonnull (strstr (v1.err, "2 consignments"));
  run_cli (&v1_one, "manifest", "--format-version=1", one_path, NULL);
  g_assert_cmpint (v1_one.status, ==, 0);
  g_assert_nonnull (strstr (v1_one.out, "\"format\" : \"doorlicht-manifest/1\""));
  g_assert_nonnull (strstr (v1_one.out, "\"transport_document\" : \"BL1\""));
  run_cli (&v3, "manifest", "--format-version", "3", path, NULL);
  g_assert_cmpint (v3.status, ==, 2);
  g_assert_nonnull (strstr (v3.err, "1 or 2"));
}

static void
test_manifest (void)
{
  g_autoptr(DlManifest) m = dl_manifest_new ();
  g_autofree char *edi = NULL;
  g_autofree char *json = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *edi_path = g_build_filename (tmpdir, "cuscar.json", NULL);
  g_autofree char *csv_path = g_build_filename (tmpdir, "manifest.edi", NULL);
  g_autofree char *bad_path = g_build_filename (tmpdir, "bad.edi", NULL);
  g_autofree char *baplie_path = g_build_filename (tmpdir, "baplie.edi", NULL);
  g_auto(Run) good = { 0 };
  g_auto(Run) from_csv = { 0 };
  g_auto(Run) bad = { 0 };
  g_auto(Run) baplie = { 0 };
  g_auto(Run) missing = { 0 };
  g_auto(Run) none = { 0 };
  g_auto(Run) two = { 0 };
  g_auto(Run) option = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();

  m->message_id = g_strdup ("CLI1");
  m->date = g_strdup ("2026-03-01");
  m->transport_mode = g_strdup ("sea");
  dl_manifest_add_container (m, "CSQU3054383", "42G1", TRUE);
  dl_manifest_add_goods (m, "CSQU3054383", "401110", "Tyres", 12, "PK", 108);
  edi = dl_manifest_to_cuscar (m);
  json = dl_manifest_to_json (m);
  csv = dl_manifest_to_csv (m);
  g_assert_true (g_file_set_contents (edi_path, edi, -1, NULL));
  g_assert_true (g_file_set_contents (csv_path, csv, -1, NULL));

  run_cli (&good, "manifest", edi_path, NULL);
  g_assert_cmpint (good.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, good.out, -1, NULL));
  g_assert_true (g_str_has_prefix (good.out, json));
  g_assert_cmpstr (good.out + strlen (json), ==, "\n");

  run_cli (&from_csv, "manifest", csv_path, NULL);
  g_assert_cmpint (from_csv.status, ==, 0);
  g_assert_cmpstr (from_csv.out, ==, good.out);

  g_assert_true (g_file_set_contents (bad_path,
                                      "UNB+UNOC:3+S+R+1+IC'\nUNH+1+CUSCAR:D:95B:UN'\nGID+1+1:PK'\n"
                                      "MEA+WT+G+KGM:-4'\nUNT+4+1'\nUNZ+1+IC'\n", -1, NULL));
  run_cli (&bad, "manifest", bad_path, NULL);
  g_assert_cmpint (bad.status, ==, 1);
  g_assert_cmpstr (bad.out, ==, "");
  g_assert_nonnull (strstr (bad.err, "segment 4 (MEA) at line 4, column 10"));

  /* read past: a mass that is not a number (absent, not 0) and a wrong
   * UNT count, said on stderr and kept in the JSON */
  {
    g_autofree char *lenient_path = g_build_filename (tmpdir, "lenient.edi", NULL);
    g_auto(Run) lenient = { 0 };
    g_autoptr(JsonParser) p = json_parser_new ();
    JsonObject *root, *goods;

    g_assert_true (g_file_set_contents (lenient_path,
                                        "UNB+UNOC:3+S+R+1+IC'\nUNH+1+CUSCAR:D:95B:UN'\nBGM+85+L1+9'\nGID+1+1:PK'\n"
                                        "MEA+WT+G+KGM:heavy'\nUNT+9+1'\nUNZ+1+IC'\n", -1, NULL));
    run_cli (&lenient, "manifest", lenient_path, NULL);
    g_test_message ("%s", lenient.err);
    g_assert_cmpint (lenient.status, ==, 0);
    g_assert_nonnull (strstr (lenient.err, "warning: segment 5 (MEA) at line 5, column 10: "));
    g_assert_nonnull (strstr (lenient.err, "warning: segment 6 (UNT) at line 6, column 5: UNT counts 9 segments, there are 5"));
    g_assert_true (json_parser_load_from_data (p, lenient.out, -1, NULL));
    root = json_node_get_object (json_parser_get_root (p));
    goods = json_array_get_object_element (json_object_get_array_member (json_array_get_object_element (
              json_object_get_array_member (root, "consignments"), 0), "goods"), 0);
    g_assert_true (json_node_is_null (json_object_get_member (goods, "gross_kg")));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "warnings")), ==, 2);
  }

  g_assert_true (g_file_set_contents (baplie_path,
                                      "UNB+UNOA:2+S+R+1+IC'UNH+1+BAPLIE:D:95B:UN:SMDG20'UNT+2+1'UNZ+1+IC'", -1, NULL));
  run_cli (&baplie, "manifest", baplie_path, NULL);
  g_assert_cmpint (baplie.status, ==, 1);
  g_assert_nonnull (strstr (baplie.err, "segment 2 (UNH)"));
  g_assert_nonnull (strstr (baplie.err, "not CUSCAR"));

  run_cli (&missing, "manifest", "/nonexistent/manifest.edi", NULL);
  g_assert_cmpint (missing.status, ==, 1);
  run_cli (&none, "manifest", NULL);
  g_assert_cmpint (none.status, ==, 2);
  run_cli (&two, "manifest", edi_path, csv_path, NULL);
  g_assert_cmpint (two.status, ==, 2);
  run_cli (&option, "manifest", "--frobnicate", edi_path, NULL);
  g_assert_cmpint (option.status, ==, 2);
}

/* Issue 14: a verdict turned from inspect into clear with the sqlite3
 * program, one byte that is not UTF-8 appended to its text: verify names
 * both columns instead of "All is well." */
static void
test_verify_invalid_utf8 (void)
{
  g_autofree char *cf = g_build_filename (tmpdir, "utf8.dlcase", NULL);
  g_autofree char *home = g_build_filename (tmpdir, "utf8-data", NULL);
  g_autofree char *case_id = NULL;
  g_auto(Run) made = { 0 }, added = { 0 }, verdict = { 0 }, tampered = { 0 };
  const char *sqlite_argv[] = { "sqlite3", cf, "UPDATE verdicts SET decision = 'clear', "
                                "text = text || CAST (X'FF' AS TEXT);", NULL };
  int status = 0;

  g_setenv ("XDG_DATA_HOME", home, TRUE);
  run_cli (&made, "case", "new", cf, "--name", "Alice Analyst", NULL);
  run_cli (&added, "case", "add", cf, scan_path, "--embed", "--title", "CSQU3054383", NULL);
  g_assert_cmpint (added.status, ==, 0);
  case_id = g_strstrip (g_strdup (added.out));
  run_cli (&verdict, "case", "verdict", cf, case_id, "inspect", "--text", "open the left door", NULL);
  g_assert_cmpint (verdict.status, ==, 0);

  g_assert_true (g_spawn_sync (NULL, (char **) sqlite_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                               &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  run_cli (&tampered, "verify", cf, NULL);
  g_assert_cmpint (tampered.status, ==, 1);
  g_assert_null (strstr (tampered.out, "All is well."));
  g_assert_nonnull (strstr (tampered.out, "decision is \"clear\" in the file but \"inspect\""));
  g_assert_nonnull (strstr (tampered.out, "text is \"open the left door\\xFF\" (not valid UTF-8) in the file"));
  g_assert_nonnull (strstr (tampered.out, "Problems found: 2"));
  g_unsetenv ("XDG_DATA_HOME");
}

/* The case commands and verify: a case is made, judged, refused a review
 * by its own analyst, exported signed, imported twice without duplicates,
 * listed, written as CSV and as a PDF report; an edit made with the
 * sqlite3 program is found by verify. */
static void
test_case (void)
{
  g_autofree char *cf = g_build_filename (tmpdir, "cases.dlcase", NULL);
  g_autofree char *ex = g_build_filename (tmpdir, "cases-export.dlcase", NULL);
  g_autofree char *other = g_build_filename (tmpdir, "other.dlcase", NULL);
  g_autofree char *csv = g_build_filename (tmpdir, "verdicts.csv", NULL);
  g_autofree char *pdf = g_build_filename (tmpdir, "report.pdf", NULL);
  g_autofree char *png_prefix = g_build_filename (tmpdir, "report-page", NULL);
  g_autofree char *png_page = g_strconcat (png_prefix, "-1.png", NULL);
  g_autofree char *alice = g_build_filename (tmpdir, "alice-data", NULL);
  g_autofree char *bob = g_build_filename (tmpdir, "bob-data", NULL);
  g_autofree char *case_id = NULL, *csv_text = NULL, *edit = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(Run) made = { 0 }, added = { 0 }, listed = { 0 }, verdict = { 0 }, bad_verdict = { 0 }, own_review = { 0 };
  g_auto(Run) no_reason = { 0 };
  g_auto(Run) verified = { 0 }, exported = { 0 }, ex_verified = { 0 }, created = { 0 }, imported = { 0 };
  g_auto(Run) again = { 0 }, csv_run = { 0 }, report = { 0 }, tampered = { 0 }, refused = { 0 };
  JsonObject *first;
  const char *sqlite_argv[] = { "sqlite3", cf, "UPDATE verdicts SET decision = 'inspect';", NULL };
  const char *pdftoppm_argv[] = { "pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", pdf, png_prefix, NULL };
  int status = 0;

  g_setenv ("XDG_DATA_HOME", alice, TRUE);
  run_cli (&made, "case", "new", cf, "--name", "Alice Analyst", NULL);
  g_assert_cmpint (made.status, ==, 0);
  run_cli (&added, "case", "add", cf, scan_path, "--embed", "--title", "CSQU3054383", NULL);
  g_assert_cmpint (added.status, ==, 0);
  case_id = g_strstrip (g_strdup (added.out));
  g_assert_true (g_str_has_prefix (case_id, "C-"));

  run_cli (&listed, "case", "list", cf, "--json", "--filter", "new", NULL);
  g_assert_cmpint (listed.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, listed.out, -1, NULL));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))), ==, 1);
  first = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "id"), ==, case_id);
  g_assert_cmpstr (json_object_get_string_member (first, "title"), ==, "CSQU3054383");
  g_assert_cmpstr (json_object_get_string_member (first, "state"), ==, "new");
  g_assert_cmpint (json_object_get_int_member (first, "scans"), ==, 1);

  run_cli (&bad_verdict, "case", "verdict", cf, case_id, "maybe", NULL);
  g_assert_cmpint (bad_verdict.status, ==, 2);
  /* goods are not seized without a reason: refused, nothing recorded */
  run_cli (&no_reason, "case", "verdict", cf, case_id, "seize", "--text", "no reason", NULL);
  g_assert_cmpint (no_reason.status, !=, 0);
  g_assert_nonnull (strstr (no_reason.err, "at least one reason"));
  run_cli (&verdict, "case", "verdict", cf, case_id, "seize", "--reason", "density-anomaly",
           "--reason", "manifest-mismatch", "--text", "dense block behind the tyres", NULL);
  g_assert_cmpint (verdict.status, ==, 0);
  g_assert_true (g_str_has_prefix (verdict.out, "V-"));

  /* another key of the same login is still the same person: four eyes */
  g_setenv ("XDG_DATA_HOME", bob, TRUE);
  run_cli (&own_review, "case", "review", cf, case_id, "approve", NULL);
  g_assert_cmpint (own_review.status, ==, 1);
  g_assert_nonnull (strstr (own_review.err, "four eyes"));

  run_cli (&verified, "verify", cf, NULL);
  g_assert_cmpint (verified.status, ==, 0);
  g_assert_nonnull (strstr (verified.out, "3 events, 3 rows"));
  g_assert_nonnull (strstr (verified.out, "All is well."));

  g_setenv ("XDG_DATA_HOME", alice, TRUE);
  run_cli (&exported, "case", "export", cf, "--cases", case_id, "-o", ex, NULL);
  g_assert_cmpint (exported.status, ==, 0);
  run_cli (&ex_verified, "verify", ex, NULL);
  g_assert_cmpint (ex_verified.status, ==, 0);
  g_assert_nonnull (strstr (ex_verified.out, "Export signed by Alice Analyst"));
  g_assert_nonnull (strstr (ex_verified.out, ": valid"));

  g_setenv ("XDG_DATA_HOME", bob, TRUE);
  run_cli (&created, "case", "new", other, "--name", "Bob Supervisor", NULL);
  run_cli (&imported, "case", "import", other, ex, NULL);
  g_assert_cmpint (imported.status, ==, 0);
  g_assert_cmpstr (imported.out, ==, "Events imported: 3\n");
  run_cli (&again, "case", "import", other, ex, NULL);
  g_assert_cmpstr (again.out, ==, "Events imported: 0\n");
  run_cli (&refused, "case", "import", other, cf, NULL);
  g_assert_cmpint (refused.status, ==, 1);
  g_assert_nonnull (strstr (refused.err, "not a signed export"));

  run_cli (&csv_run, "case", "csv", cf, "-o", csv, NULL);
  g_assert_cmpint (csv_run.status, ==, 0);
  g_assert_true (g_file_get_contents (csv, &csv_text, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv_text, "case,title,verdict,decision,reasons,"));
  g_assert_nonnull (strstr (csv_text, ",seize,density-anomaly;manifest-mismatch,dense block behind the tyres,"));

  /* the PDF report opens and page 1 renders */
  run_cli (&report, "case", "report", cf, case_id, "-o", pdf, NULL);
  g_assert_cmpint (report.status, ==, 0);
  g_assert_true (g_spawn_sync (NULL, (char **) pdftoppm_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                               &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_file_test (png_page, G_FILE_TEST_IS_REGULAR));

  /* an edit outside the application */
  g_assert_true (g_spawn_sync (NULL, (char **) sqlite_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                               &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  run_cli (&tampered, "verify", cf, NULL);
  g_assert_cmpint (tampered.status, ==, 1);
  edit = g_strdup_printf ("row: verdicts row %.14s: decision is \"inspect\" in the file but \"seize\" in event 3",
                          verdict.out);
  g_assert_nonnull (strstr (tampered.out, edit));
  g_assert_nonnull (strstr (tampered.out, "Problems found: 1"));
  g_unsetenv ("XDG_DATA_HOME");
}

/* case thumbnails: makes what the file lacks, then nothing; a thumbnail
 * made stale with the sqlite3 program is named by verify and made again;
 * a scan that cannot be read is reported and the exit status says so. */
static void
test_case_thumbnails (void)
{
  g_autofree char *cf = g_build_filename (tmpdir, "thumbs.dlcase", NULL);
  g_autofree char *copy = g_build_filename (tmpdir, "thumbs-scan.tif", NULL);
  g_autofree char *data = g_build_filename (tmpdir, "thumbs-data", NULL);
  g_autofree char *bytes = NULL;
  gsize length = 0;
  g_auto(Run) made = { 0 }, added = { 0 }, added2 = { 0 }, thumbs = { 0 }, none = { 0 }, stale = { 0 };
  g_auto(Run) repaired = { 0 }, whole = { 0 }, unreadable = { 0 };
  const char *sqlite_argv[] = { "sqlite3", cf, "UPDATE thumbnails SET sha256 = lower (hex (zeroblob (32)));", NULL };
  int status = 0;

  g_assert_true (g_file_get_contents (scan_path, &bytes, &length, NULL));
  g_assert_true (g_file_set_contents (copy, bytes, length, NULL));
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  run_cli (&made, "case", "new", cf, "--name", "Alice Analyst", NULL);
  run_cli (&added, "case", "add", cf, scan_path, "--embed", "--title", "CSQU3054383", NULL);
  run_cli (&added2, "case", "add", cf, copy, "--title", "MSKU9070323", NULL);
  g_assert_cmpint (added2.status, ==, 0);

  run_cli (&thumbs, "case", "thumbnails", cf, NULL);
  g_assert_cmpint (thumbs.status, ==, 0);
  g_assert_cmpstr (thumbs.out, ==, "2 thumbnails made\n");
  run_cli (&none, "case", "thumbnails", cf, NULL);
  g_assert_cmpstr (none.out, ==, "0 thumbnails made\n");

  g_assert_true (g_spawn_sync (NULL, (char **) sqlite_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                               &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  run_cli (&stale, "verify", cf, NULL);
  g_assert_cmpint (stale.status, ==, 1);
  g_assert_nonnull (strstr (stale.out, "thumbnail: thumbnail of scan S-"));
  g_assert_nonnull (strstr (stale.out, "stale or planted"));
  g_assert_nonnull (strstr (stale.out, "Problems found: 2"));

  /* the scan on disk is gone: its thumbnail cannot be made again */
  g_assert_cmpint (g_unlink (copy), ==, 0);
  run_cli (&unreadable, "case", "thumbnails", cf, NULL);
  g_assert_cmpint (unreadable.status, ==, 1);
  g_assert_cmpstr (unreadable.out, ==, "1 thumbnail made; 1 scan could not be read\n");
  g_assert_nonnull (strstr (unreadable.err, "thumbs-scan.tif"));

  g_assert_true (g_file_set_contents (copy, bytes, length, NULL));
  run_cli (&repaired, "case", "thumbnails", cf, NULL);
  g_assert_cmpint (repaired.status, ==, 0);
  g_assert_cmpstr (repaired.out, ==, "1 thumbnail made\n");
  run_cli (&whole, "verify", cf, NULL);
  g_assert_cmpint (whole.status, ==, 0);
  g_assert_nonnull (strstr (whole.out, "All is well."));
  g_unsetenv ("XDG_DATA_HOME");
}

/* A validly signed case file whose title would take over the terminal:
 * set its title (OSC 0), clear the screen, a CSI as a C1 character, a
 * right-to-left override, a tab and a line break that would shift the
 * listing's columns.  Nothing reaches the output raw; JSON still reads
 * back the very title. */
static void
test_case_list_escapes (void)
{
  const char *hostile = "\x1b]0;owned\x07\x1b[2J\xc2\x9b" "1mTyres\xe2\x80\xae" "fdp\tx\ny";
  g_autofree char *cf = g_build_filename (tmpdir, "hostile.dlcase", NULL);
  g_autofree char *alice = g_build_filename (tmpdir, "alice-data", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(Run) made = { 0 }, added = { 0 }, listed = { 0 }, as_json = { 0 };
  g_auto(GStrv) columns = NULL;
  JsonObject *first;

  g_setenv ("XDG_DATA_HOME", alice, TRUE);
  run_cli (&made, "case", "new", cf, "--name", "Alice Analyst", NULL);
  g_assert_cmpint (made.status, ==, 0);
  run_cli (&added, "case", "add", cf, scan_path, "--title", hostile, NULL);
  g_assert_cmpint (added.status, ==, 0);

  run_cli (&listed, "case", "list", cf, NULL);
  g_assert_cmpint (listed.status, ==, 0);
  g_assert_null (strchr (listed.out, '\x1b'));
  g_assert_null (strchr (listed.out, '\x07'));
  g_assert_null (strstr (listed.out, "\xc2\x9b"));
  g_assert_null (strstr (listed.out, "\xe2\x80\xae"));
  g_assert_nonnull (strstr (listed.out, "\\x1b]0;owned\\x07\\x1b[2J\\u009b1mTyres\\u202efdp\\tx\\ny"));
  /* one line, six columns */
  g_assert_cmpint (strchr (listed.out, '\n') - listed.out, ==, (int) strlen (listed.out) - 1);
  columns = g_strsplit (g_strchomp (listed.out), "\t", -1);
  g_assert_cmpuint (g_strv_length (columns), ==, 6);

  run_cli (&as_json, "case", "list", cf, "--json", NULL);
  g_assert_cmpint (as_json.status, ==, 0);
  g_assert_null (strchr (as_json.out, '\x1b'));
  g_assert_null (strstr (as_json.out, "\xe2\x80\xae"));
  g_assert_true (json_parser_load_from_data (parser, as_json.out, -1, NULL));
  first = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "title"), ==, hostile);
  g_unsetenv ("XDG_DATA_HOME");
}

/* evaluate over a tiny varied set: the table names its scenes, the PNG
 * is a PNG of the size asked; synth --set refuses a backward range. */
static void
test_evaluate (void)
{
  g_autofree char *dir = g_build_filename (tmpdir, "evaluate-set", NULL);
  g_autofree char *png = g_build_filename (tmpdir, "evaluate.png", NULL);
  g_auto(Run) a = { 0 };
  g_auto(Run) b = { 0 };
  g_auto(Run) e = { 0 };
  g_auto(Run) bad = { 0 };
  g_autofree char *data = NULL;
  gsize length;
  const guchar *p;

  run_cli (&a, "synth", "--scene", "empty-20ft", "--seed", "7200", "--varied", "-o", dir, NULL);
  g_assert_cmpint (a.status, ==, 0);
  run_cli (&b, "synth", "--scene", "shielded-block", "--seed", "7200", "--varied", "-o", dir, NULL);
  g_assert_cmpint (b.status, ==, 0);
  run_cli (&e, "evaluate", dir, "--png", png, "--size", "640x400", "--false-alarm-rate", "0.1", NULL);
  g_assert_cmpint (e.status, ==, 0);
  g_assert_nonnull (strstr (e.out, "empty-20ft "));
  g_assert_nonnull (strstr (e.out, "shielded-block "));
  g_assert_nonnull (strstr (e.out, "dense"));
  g_assert_nonnull (strstr (e.out, "Operating points"));

  g_assert_true (g_file_get_contents (png, &data, &length, NULL));
  g_assert_cmpuint (length, >, 33);
  p = (const guchar *) data;
  g_assert_cmpmem (p, 8, "\x89PNG\r\n\x1a\n", 8);
  g_assert_cmpmem (p + 12, 4, "IHDR", 4);
  g_assert_cmpuint ((guint) p[16] << 24 | p[17] << 16 | p[18] << 8 | p[19], ==, 640);
  g_assert_cmpuint ((guint) p[20] << 24 | p[21] << 16 | p[22] << 8 | p[23], ==, 400);

  run_cli (&bad, "synth", "--set", dir, "--seeds", "9-3", NULL);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "9-3"));
}

/* convert: the same samples, names and pitch back from the DICOS file;
 * refusals in words, nothing written. */
static void
test_convert (void)
{
  g_auto(Run) ok = { 0 }, no_folder = { 0 }, no_output = { 0 }, no_view = { 0 };
  g_autofree char *dcs = g_build_filename (tmpdir, "convert.dcs", NULL);
  g_autofree char *missing = g_build_filename (tmpdir, "nowhere", "scan.dcs", NULL);
  g_autoptr(DlScan) a = NULL;
  g_autoptr(DlScan) b = NULL;
  g_autoptr(GError) error = NULL;
  double ax, ay, bx, by;

  run_cli (&ok, "convert", scan_path, "-o", dcs, NULL);
  g_assert_cmpint (ok.status, ==, 0);
  a = dl_scan_load_file (scan_path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  b = dl_scan_load_file (dcs, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dl_scan_get_n_channels (b, 0), ==, dl_scan_get_n_channels (a, 0));
  for (guint c = 0; c < dl_scan_get_n_channels (a, 0); c++)
    {
      DlPlane *p = dl_scan_get_plane (a, 0, c), *q = dl_scan_get_plane (b, 0, c);
      g_assert_cmpstr (q->name, ==, p->name);
      g_assert_cmpuint (q->width, ==, W);
      g_assert_cmpuint (q->height, ==, H);
      g_assert_cmpmem (q->data, (gsize) W * H * 2, p->data, (gsize) W * H * 2);
    }
  g_assert_true (dl_scan_get_pixel_pitch (a, &ax, &ay));
  g_assert_true (dl_scan_get_pixel_pitch (b, &bx, &by));
  g_assert_cmpfloat_with_epsilon (bx, ax, 1e-9);
  g_assert_cmpfloat_with_epsilon (by, ay, 1e-9);

  run_cli (&no_folder, "convert", scan_path, "-o", missing, NULL);
  g_assert_cmpint (no_folder.status, ==, 1);
  g_assert_nonnull (strstr (no_folder.err, "nowhere"));
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  run_cli (&no_output, "convert", scan_path, NULL);
  g_assert_cmpint (no_output.status, ==, 2);
  run_cli (&no_view, "convert", scan_path, "-o", dcs, "--view", "3", NULL);
  g_assert_cmpint (no_view.status, ==, 1);
  g_assert_nonnull (strstr (no_view.err, "view 3"));
  g_unlink (dcs);
}

/* A copy of the built-in profile as @id, identified by @identity. */
static void
write_profile (const char *dir,
               const char *id,
               const char *identity)
{
  g_autofree char *builtin = g_build_filename (DL_SOURCE_ROOT, "data", "profiles", "synthetic-6-4MeV.ini", NULL);
  g_autofree char *text = NULL;
  g_autofree char *name = g_strconcat (id, ".ini", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *id_line = g_strconcat ("\nid=", id, "\n", NULL);
  g_autoptr(GString) s = NULL;

  g_assert_true (g_file_get_contents (builtin, &text, NULL, NULL));
  s = g_string_new (text);
  g_assert_cmpuint (g_string_replace (s, "\nid=synthetic-6-4MeV\n", id_line, 0), ==, 1);
  g_assert_cmpuint (g_string_replace (s, "named=synthetic-6-4MeV", identity, 0), ==, 1);
  g_assert_true (g_file_set_contents (path, s->str, -1, NULL));
}

static char *
matched (const char *scan,
         const char *key)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(Run) r = { 0 };
  JsonObject *o;

  run_cli (&r, "profile", "match", scan, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, NULL));
  o = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0);
  return json_object_get_null_member (o, key) ? NULL : g_strdup (json_object_get_string_member (o, key));
}

/* convert keeps the profile: a generator scan's named profile and air
 * values, a scan matched by its folder given its profile's scanner
 * identity; a warning when the profile gives none. */
static void
test_convert_profile (void)
{
  g_autofree char *profiles = g_build_filename (tmpdir, "convert-profiles", NULL);
  g_autofree char *acme = g_build_filename (tmpdir, "acme-scans", NULL);
  g_autofree char *other = g_build_filename (tmpdir, "other-scans", NULL);
  g_autofree char *acme_scan = g_build_filename (acme, "scan.tif", NULL);
  g_autofree char *other_scan = g_build_filename (other, "scan.tif", NULL);
  g_autofree char *acme_identity = g_strdup_printf ("make=Acme\nmodel=Eagle\nserial=SN-7\nfolders=%s", acme);
  g_autofree char *other_identity = g_strdup_printf ("folders=%s", other);
  g_autofree char *out = g_build_filename (tmpdir, "convert-profile.dcs", NULL);
  g_autofree char *profile = NULL, *how = NULL, *make = NULL;
  g_auto(Run) a = { 0 }, b = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (profiles, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (acme, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (other, 0700), ==, 0);
  write_profile (profiles, "acme-eagle", acme_identity);
  write_profile (profiles, "folder-only", other_identity);
  g_assert_true (fixture_write_tiff (acme_scan, W, H, 2));
  g_assert_true (fixture_write_tiff (other_scan, W, H, 2));
  g_setenv ("DOORLICHT_PROFILE_PATH", profiles, TRUE);

  how = matched (acme_scan, "match");
  g_assert_cmpstr (how, ==, "folder");
  run_cli (&a, "convert", acme_scan, "-o", out, NULL);
  g_assert_cmpint (a.status, ==, 0);
  g_assert_cmpstr (a.err, ==, "");
  g_clear_pointer (&how, g_free);
  profile = matched (out, "profile");
  how = matched (out, "match");
  make = matched (out, "make");
  g_assert_cmpstr (profile, ==, "acme-eagle");
  g_assert_cmpstr (how, ==, "serial");
  g_assert_cmpstr (make, ==, "Acme");

  run_cli (&b, "convert", other_scan, "-o", out, NULL);
  g_assert_cmpint (b.status, ==, 0);
  g_assert_nonnull (strstr (b.err, "warning"));
  g_assert_nonnull (strstr (b.err, "folder-only"));
  g_unsetenv ("DOORLICHT_PROFILE_PATH");
  g_unlink (out);
}

/* A generator scan converted: still its named profile, its air values. */
static void
test_convert_named (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSynthOutput) scene = dl_synth_generate ("empty-20ft", 4, FALSE, &error);
  g_autofree char *base = dl_synth_basename (scene);
  g_autofree char *dir = g_build_filename (tmpdir, "convert-named", NULL);
  g_autofree char *tif = NULL;
  g_autofree char *out = g_build_filename (dir, "named.dcs", NULL);
  g_autofree char *profile = NULL, *how = NULL;
  g_autoptr(DlScan) a = NULL, b = NULL;
  g_auto(Run) r = { 0 };

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (dl_synth_write (scene, dir, &error));
  tif = g_strconcat (dir, G_DIR_SEPARATOR_S, base, ".tif", NULL);
  run_cli (&r, "convert", tif, "-o", out, NULL);
  g_assert_cmpint (r.status, ==, 0);
  profile = matched (out, "profile");
  how = matched (out, "match");
  g_assert_cmpstr (profile, ==, "synthetic-6-4MeV");
  g_assert_cmpstr (how, ==, "named");
  a = dl_scan_load_file (tif, NULL, NULL, NULL, NULL, &error);
  b = dl_scan_load_file (out, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint c = 0; c < 2; c++)
    {
      g_assert_cmpfloat (dl_scan_get_plane (a, 0, c)->air_value, >, 0);
      g_assert_cmpfloat (dl_scan_get_plane (b, 0, c)->air_value, ==, dl_scan_get_plane (a, 0, c)->air_value);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  tmpdir = g_dir_make_tmp ("dl-cli-XXXXXX", NULL);
  scan_path = g_build_filename (tmpdir, "scan.tif", NULL);
  g_assert_true (fixture_write_tiff (scan_path, W, H, 2));

  g_test_add_func ("/cli/info", test_info);
  g_test_add_func ("/cli/info-refuses", test_info_refuses);
  g_test_add_func ("/cli/info-report", test_info_report);
  g_test_add_func ("/cli/profile-remember", test_profile_remember);
  g_test_add_func ("/cli/render-exact", test_render_exact);
  g_test_add_func ("/cli/render-usage-errors", test_render_usage_errors);
  g_test_add_func ("/cli/render-streamed-same-bytes", test_render_streamed_same_bytes);
  g_test_add_func ("/cli/render-streamed-damaged", test_render_streamed_damaged);
  g_test_add_func ("/cli/convert", test_convert);
  g_test_add_func ("/cli/convert-profile", test_convert_profile);
  g_test_add_func ("/cli/convert-named", test_convert_named);
  g_test_add_func ("/cli/synth", test_synth);
  g_test_add_func ("/cli/render-overlay", test_render_overlay);
  g_test_add_func ("/cli/manifest", test_manifest);
  g_test_add_func ("/cli/manifest-format-version", test_manifest_format_version);
  g_test_add_func ("/cli/case", test_case);
  g_test_add_func ("/cli/verify-invalid-utf8", test_verify_invalid_utf8);
  g_test_add_func ("/cli/case-thumbnails", test_case_thumbnails);
  g_test_add_func ("/cli/case-list-escapes", test_case_list_escapes);
  g_test_add_func ("/cli/evaluate", test_evaluate);

  return g_test_run ();
}
