/* test-pyramid.c — mean-downsampled levels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "dl-pyramid.h"

static guint16 *
random_image (guint w,
              guint h,
              guint seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint16 *data = g_new (guint16, (gsize) w * h);

  for (gsize i = 0; i < (gsize) w * h; i++)
    data[i] = g_rand_int_range (rand, 0, 65536);
  return data;
}

/* Each level pixel is the rounded mean of the existing 2 × 2 block below
 * (edge pixels of odd sizes repeat, as the level definition says). */
static void
check_level (const DlPyramidLevel *src,
             const DlPyramidLevel *dst)
{
  g_assert_cmpuint (dst->width, ==, (src->width + 1) / 2);
  g_assert_cmpuint (dst->height, ==, (src->height + 1) / 2);

  for (guint y = 0; y < dst->height; y++)
    for (guint x = 0; x < dst->width; x++)
      {
        guint x0 = 2 * x, y0 = 2 * y;
        guint x1 = MIN (x0 + 1, src->width - 1), y1 = MIN (y0 + 1, src->height - 1);
        guint32 sum = (guint32) src->data[y0 * src->width + x0] + src->data[y0 * src->width + x1]
                      + src->data[y1 * src->width + x0] + src->data[y1 * src->width + x1];

        g_assert_cmpuint (dst->data[y * dst->width + x], ==, (sum + 2) / 4);
      }
}

/* Level @l as data, level 1 worked out from level 0 (it is not kept). */
static DlPyramidLevel
level_of (const DlPyramid *p,
          guint            l,
          guint16        **owned)
{
  DlPyramidLevel level = p->levels[l];

  if (level.data == NULL)
    {
      *owned = g_new (guint16, (gsize) level.width * level.height);
      for (guint y = 0; y < level.height; y++)
        {
          const guint16 *row = dl_pyramid_row (p, &p->levels[l], y, 0, level.width,
                                                *owned + (gsize) y * level.width);

          g_assert_true (row == *owned + (gsize) y * level.width);
        }
      level.data = *owned;
    }
  return level;
}

static void
test_levels (void)
{
  const guint sizes[][2] = { { 1000, 300 }, { 257, 129 }, { 64, 64 }, { 1, 500 }, { 3000, 700 } };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      guint w = sizes[i][0], h = sizes[i][1];
      g_autofree guint16 *data = random_image (w, h, i);
      g_autoptr(DlPyramid) p = dl_pyramid_new (data, w, h);
      const DlPyramidLevel *last;

      g_assert_true (p->levels[0].data == data);   /* level 0 is not copied */
      if (p->n_levels > 1)
        g_assert_null (p->levels[1].data);           /* nor level 1 kept */
      for (guint l = 1; l < p->n_levels; l++)
        {
          g_autofree guint16 *a = NULL, *b = NULL;
          DlPyramidLevel below = level_of (p, l - 1, &a), level = level_of (p, l, &b);

          check_level (&below, &level);
        }

      last = &p->levels[p->n_levels - 1];
      g_assert_true (MAX (last->width, last->height) <= DL_PYRAMID_MIN_SIDE
                     || last->width < 2 || last->height < 2);
    }
}

static void
test_flat_stays_flat (void)
{
  guint w = 999, h = 333;
  g_autofree guint16 *data = g_new (guint16, w * h);
  g_autoptr(DlPyramid) p = NULL;

  for (guint i = 0; i < w * h; i++)
    data[i] = 40000;
  p = dl_pyramid_new (data, w, h);
  for (guint l = 1; l < p->n_levels; l++)
    {
      g_autofree guint16 *owned = NULL;
      DlPyramidLevel level = level_of (p, l, &owned);

      for (guint i = 0; i < level.width * level.height; i++)
        g_assert_cmpuint (level.data[i], ==, 40000);
    }
}

static void
test_level_for_zoom (void)
{
  guint w = 4096, h = 1024;
  g_autofree guint16 *data = g_new0 (guint16, w * h);
  g_autoptr(DlPyramid) p = dl_pyramid_new (data, w, h);

  g_assert_cmpuint (p->n_levels, ==, 7);   /* 4096 → 64 */
  g_assert_cmpuint (dl_pyramid_level_for (p, 4.0), ==, 0);
  g_assert_cmpuint (dl_pyramid_level_for (p, 1.0), ==, 0);
  g_assert_cmpuint (dl_pyramid_level_for (p, 0.6), ==, 0);
  g_assert_cmpuint (dl_pyramid_level_for (p, 0.5), ==, 1);
  g_assert_cmpuint (dl_pyramid_level_for (p, 0.3), ==, 1);
  g_assert_cmpuint (dl_pyramid_level_for (p, 0.25), ==, 2);
  g_assert_cmpuint (dl_pyramid_level_for (p, 1e-4), ==, 6);
  /* levels 2 and up: a twelfth of the samples, level 1 not kept */
  g_assert_cmpuint (dl_pyramid_extra_bytes (p), <=, (guint64) w * h * 2 / 12);
  g_assert_cmpuint (dl_pyramid_extra_bytes (p), >=, (guint64) w * h * 2 / 16);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pyramid/levels", test_levels);
  g_test_add_func ("/pyramid/flat-stays-flat", test_flat_stays_flat);
  g_test_add_func ("/pyramid/level-for-zoom", test_level_for_zoom);

  return g_test_run ();
}
