/* test-cli.c — doorlicht-cli as a user or script runs it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <json-glib/json-glib.h>
#include <math.h>
#include <png.h>

#include "../tiff-fixture.h"
#include "dl-windowing.h"

#define W 257
#define H 131

static char *tmpdir;
static char *scan_path;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *r)
{
  g_free (r->out);
  g_free (r->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs doorlicht-cli with @args (NULL-terminated); fills @r. */
static void
run_cli (Run        *r,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("DL_CLI");
  va_list ap;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  va_start (ap, first);
  for (const char *a = first; a; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &r->out, &r->err, &r->status, &error));
  g_assert_no_error (error);
  r->status = WIFEXITED (r->status) ? WEXITSTATUS (r->status) : -1;
}

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
  g_assert_nonnull (strstr (r2.err, "not a TIFF"));

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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  tmpdir = g_dir_make_tmp ("dl-cli-XXXXXX", NULL);
  scan_path = g_build_filename (tmpdir, "scan.tif", NULL);
  g_assert_true (fixture_write_tiff (scan_path, W, H, 2));

  g_test_add_func ("/cli/info", test_info);
  g_test_add_func ("/cli/info-refuses", test_info_refuses);
  g_test_add_func ("/cli/render-exact", test_render_exact);
  g_test_add_func ("/cli/render-usage-errors", test_render_usage_errors);
  g_test_add_func ("/cli/synth", test_synth);
  g_test_add_func ("/cli/render-overlay", test_render_overlay);

  return g_test_run ();
}
