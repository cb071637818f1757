/* test-render.c — the viewport renderer: what lands on each screen pixel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "dl-render.h"
#include "dl-windowing.h"

#define W 300
#define H 200

typedef struct
{
  guint16   *data;
  DlPyramid *pyramid;
  guint8    *lut;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  user_data)
{
  DlWindowing w;

  f->data = g_new (guint16, W * H);
  for (guint y = 0; y < H; y++)
    for (guint x = 0; x < W; x++)
      f->data[y * W + x] = (guint16) ((x * 200 + y * 7) % 65536);
  f->pyramid = dl_pyramid_new (f->data, W, H);
  f->lut = g_malloc (DL_LUT_SIZE);
  dl_windowing_init (&w);
  w.center = 30000;
  w.width = 60000;
  dl_windowing_fill_lut (&w, f->lut);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  user_data)
{
  dl_pyramid_free (f->pyramid);
  g_free (f->data);
  g_free (f->lut);
}

static guint32
gray (Fixture *f,
      guint16  v)
{
  return 0xff000000u | (guint32) f->lut[v] * 0x010101u;
}

static void
test_one_to_one (Fixture       *f,
                 gconstpointer  user_data)
{
  DlViewport vp = { 1.0, 10, 20 };
  int ow = 100, oh = 50;
  g_autofree guint32 *out = g_new (guint32, ow * oh);

  dl_render_viewport (f->pyramid, f->lut, &vp, out, ow, oh, ow * 4);
  for (int j = 0; j < oh; j++)
    for (int i = 0; i < ow; i++)
      g_assert_cmphex (out[j * ow + i], ==, gray (f, f->data[(j + 20) * W + (i + 10)]));
}

/* Magnified: nearest neighbour, each image pixel a 3 × 3 block. */
static void
test_magnified_nearest (Fixture       *f,
                        gconstpointer  user_data)
{
  DlViewport vp = { 3.0, 5, 7 };
  int ow = 90, oh = 60;
  g_autofree guint32 *out = g_new (guint32, ow * oh);

  dl_render_viewport (f->pyramid, f->lut, &vp, out, ow, oh, ow * 4);
  for (int j = 0; j < oh; j++)
    for (int i = 0; i < ow; i++)
      g_assert_cmphex (out[j * ow + i], ==, gray (f, f->data[(7 + j / 3) * W + (5 + i / 3)]));
}

/* Reduced: samples come from the mean-downsampled level. */
static void
test_reduced_uses_level (Fixture       *f,
                         gconstpointer  user_data)
{
  DlViewport vp = { 0.5, 0, 0 };
  const DlPyramidLevel *l1 = &f->pyramid->levels[1];
  int ow = W / 2, oh = H / 2;
  g_autofree guint32 *out = g_new (guint32, ow * oh);
  g_autofree guint16 *row = g_new (guint16, l1->width);

  dl_render_viewport (f->pyramid, f->lut, &vp, out, ow, oh, ow * 4);
  for (int j = 0; j < oh; j++)
    {
      /* level 1 is worked out from level 0 as the means of its blocks */
      for (int i = 0; i < ow; i++)
        {
          const guint16 *r0 = f->data + (gsize) (2 * j) * W, *r1 = r0 + W;
          guint32 sum = (guint32) r0[2 * i] + r0[2 * i + 1] + r1[2 * i] + r1[2 * i + 1];

          row[i] = (guint16) ((sum + 2) / 4);
        }
      for (int i = 0; i < ow; i++)
        g_assert_cmphex (out[j * ow + i], ==, gray (f, row[i]));
    }
}

static void
test_outside_is_background (Fixture       *f,
                            gconstpointer  user_data)
{
  DlViewport vp = { 1.0, -10, -5 };
  int ow = W + 20, oh = H + 10, stride = (ow + 3) * 4;
  g_autofree guint32 *out = g_malloc0 ((gsize) stride * oh);

  dl_render_viewport (f->pyramid, f->lut, &vp, out, ow, oh, stride);
  for (int j = 0; j < oh; j++)
    for (int i = 0; i < ow; i++)
      {
        guint32 px = out[j * (stride / 4) + i];
        int x = i - 10, y = j - 5;

        if (x < 0 || y < 0 || x >= W || y >= H)
          g_assert_cmphex (px, ==, DL_RENDER_BACKGROUND);
        else
          g_assert_cmphex (px, ==, gray (f, f->data[y * W + x]));
      }
  /* the stride's padding is not written */
  g_assert_cmphex (out[stride / 4 - 1], ==, 0);
}

static void
test_large_threaded_matches_small (Fixture       *f,
                                   gconstpointer  user_data)
{
  DlViewport vp = { 4.0, 2, 1 };
  int ow = 1100, oh = 780;
  g_autofree guint32 *out = g_new (guint32, ow * oh);

  dl_render_viewport (f->pyramid, f->lut, &vp, out, ow, oh, ow * 4);
  for (int j = 0; j < oh; j += 13)
    for (int i = 0; i < ow; i += 7)
      {
        int x = 2 + i / 4, y = 1 + j / 4;
        g_assert_cmphex (out[j * ow + i], ==, gray (f, f->data[y * W + x]));
      }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/render/one-to-one", Fixture, NULL, fixture_setup, test_one_to_one, fixture_teardown);
  g_test_add ("/render/magnified-nearest", Fixture, NULL, fixture_setup, test_magnified_nearest, fixture_teardown);
  g_test_add ("/render/reduced-uses-level", Fixture, NULL, fixture_setup, test_reduced_uses_level, fixture_teardown);
  g_test_add ("/render/outside-is-background", Fixture, NULL, fixture_setup, test_outside_is_background, fixture_teardown);
  g_test_add ("/render/large-threaded", Fixture, NULL, fixture_setup, test_large_threaded_matches_small, fixture_teardown);

  return g_test_run ();
}
