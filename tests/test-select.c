/* test-select.c — the k-th of n values is the value a sort puts at k,
 * whatever the order and however many values are equal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dl-select.h"

static int
compare_float (const void *a,
               const void *b)
{
  float x = *(const float *) a, y = *(const float *) b;

  return (x > y) - (x < y);
}

/* Every k of @v against a sorted copy; the partition property too. */
static void
assert_selects (const float *v,
                gsize        n)
{
  g_autofree float *sorted = g_memdup2 (v, n * sizeof (float));
  g_autofree float *work = g_new (float, n);

  qsort (sorted, n, sizeof (float), compare_float);
  for (gsize k = 0; k < n; k++)
    {
      float got;

      memcpy (work, v, n * sizeof (float));
      got = dl_select_float (work, n, k);
      g_assert_true (got == sorted[k]);
      for (gsize i = 0; i < k; i++)
        g_assert_true (work[i] <= got);
      for (gsize i = k + 1; i < n; i++)
        g_assert_true (work[i] >= got);
      /* the values are the same values, reordered */
      qsort (work, n, sizeof (float), compare_float);
      g_assert_cmpmem (work, n * sizeof (float), sorted, n * sizeof (float));
    }
}

static void
test_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (17);

  for (guint round = 0; round < 300; round++)
    {
      gsize n = 1 + g_rand_int_range (rand, 0, 200);
      g_autofree float *v = g_new (float, n);
      /* few distinct values in some rounds: many ties */
      int spread = round % 3 == 0 ? 4 : 100000;

      for (gsize i = 0; i < n; i++)
        v[i] = (float) g_rand_int_range (rand, -spread, spread) / 7.0f;
      assert_selects (v, n);
    }
}

/* Enough values for the pivot to come from a sample: every k, with and
 * without many ties, in random and in sorted order. */
static void
test_sampled (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (29);
  const gsize sizes[] = { 400, 401, 1000, 2048 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    for (guint round = 0; round < 3; round++)
      {
        gsize n = sizes[i];
        g_autofree float *v = g_new (float, n);
        int spread = round == 1 ? 6 : 1000000;

        for (gsize j = 0; j < n; j++)
          v[j] = round == 2 ? (float) j : (float) g_rand_int_range (rand, -spread, spread) / 3.0f;
        assert_selects (v, n);
      }
}

/* Orders that defeat a naive pivot: sorted, reversed, all equal, organ pipe. */
static void
test_orders (void)
{
  const gsize n = 257;
  g_autofree float *v = g_new (float, n);

  for (gsize i = 0; i < n; i++)
    v[i] = (float) i;
  assert_selects (v, n);
  for (gsize i = 0; i < n; i++)
    v[i] = (float) (n - i);
  assert_selects (v, n);
  for (gsize i = 0; i < n; i++)
    v[i] = 3.5f;
  assert_selects (v, n);
  for (gsize i = 0; i < n; i++)
    v[i] = (float) MIN (i, n - i);
  assert_selects (v, n);
  for (gsize i = 0; i < n; i++)
    v[i] = i % 2 ? -INFINITY : INFINITY;
  assert_selects (v, n);
}

/* A million values in pipe-organ order: finished, and right. */
static void
test_large (void)
{
  const gsize n = 1000000;
  g_autofree float *v = g_new (float, n);

  for (gsize i = 0; i < n; i++)
    v[i] = (float) MIN (i, n - i);
  g_assert_true (dl_select_float (v, n, n / 2) == (float) (n / 4));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/select/random", test_random);
  g_test_add_func ("/select/sampled", test_sampled);
  g_test_add_func ("/select/orders", test_orders);
  g_test_add_func ("/select/large", test_large);
  return g_test_run ();
}
