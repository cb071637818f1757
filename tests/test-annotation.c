/* test-annotation.c — the analyst's marks: adding, hit testing, moving,
 * deleting, the ruler in millimetres, and the JSON round trip.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "dl-annotation.h"

static void
count_changed (DlAnnotations *a, guint *n)
{
  (*n)++;
}

static DlAnnotations *
sample (void)
{
  DlAnnotations *a = dl_annotations_new ();
  DlPoint rect[] = { { 10, 10 }, { 50, 30 } };
  DlPoint poly[] = { { 100, 100 }, { 140, 100 }, { 120, 140 } };
  DlPoint arrow[] = { { 200, 20 }, { 260, 50 } };
  DlPoint text[] = { { 300, 40 } };
  DlPoint ruler[] = { { 0, 0 }, { 30, 40 } };

  g_assert_cmpuint (dl_annotations_add (a, DL_ANNOTATION_RECTANGLE, 0, rect, 2, "tyre too dense"), ==, 1);
  g_assert_cmpuint (dl_annotations_add (a, DL_ANNOTATION_POLYGON, 0, poly, 3, "false wall?"), ==, 2);
  g_assert_cmpuint (dl_annotations_add (a, DL_ANNOTATION_ARROW, 1, arrow, 2, NULL), ==, 3);
  g_assert_cmpuint (dl_annotations_add (a, DL_ANNOTATION_TEXT, 0, text, 1, "“Zeug” & <stuff>"), ==, 4);
  g_assert_cmpuint (dl_annotations_add (a, DL_ANNOTATION_RULER, 0, ruler, 2, NULL), ==, 5);
  return a;
}

static void
test_add_and_refuse (void)
{
  g_autoptr(DlAnnotations) a = sample ();
  DlPoint two[] = { { 1, 1 }, { 2, 2 } };
  DlPoint nan_point[] = { { NAN, 1 }, { 2, 2 } };

  g_assert_cmpuint (dl_annotations_get_n (a), ==, 5);
  g_assert_cmpuint (dl_annotations_add (a, DL_ANNOTATION_POLYGON, 0, two, 2, NULL), ==, 0);
  g_assert_cmpuint (dl_annotations_add (a, DL_ANNOTATION_TEXT, 0, two, 2, NULL), ==, 0);
  g_assert_cmpuint (dl_annotations_add (a, DL_ANNOTATION_RECTANGLE, 0, nan_point, 2, NULL), ==, 0);
  g_assert_cmpuint (dl_annotations_get_n (a), ==, 5);
  g_assert_cmpstr (dl_annotations_lookup (a, 1)->author, ==, g_get_user_name ());
  g_assert_cmpint (dl_annotations_lookup (a, 1)->created, >, 1700000000);
}

static void
test_hit_move_delete (void)
{
  g_autoptr(DlAnnotations) a = sample ();
  guint changes = 0;

  g_signal_connect (a, "changed", G_CALLBACK (count_changed), &changes);
  g_assert_cmpuint (dl_annotations_hit (a, 0, 30, 20, 1), ==, 1);     /* inside the rectangle */
  g_assert_cmpuint (dl_annotations_hit (a, 0, 120, 110, 1), ==, 2);   /* inside the triangle */
  g_assert_cmpuint (dl_annotations_hit (a, 0, 100, 139, 1), ==, 0);   /* outside it */
  g_assert_cmpuint (dl_annotations_hit (a, 0, 230, 35, 2), ==, 0);    /* the arrow is on view 1 */
  g_assert_cmpuint (dl_annotations_hit (a, 1, 230, 35, 2), ==, 3);
  g_assert_cmpuint (dl_annotations_hit (a, 0, 15, 20.5, 1), ==, 5);   /* the ruler crosses the rectangle: latest wins */

  g_assert_true (dl_annotations_move (a, 1, 100, 0));
  g_assert_cmpuint (dl_annotations_hit (a, 0, 130, 20, 1), ==, 1);
  g_assert_cmpuint (dl_annotations_hit (a, 0, 30, 20, 1), ==, 0);
  g_assert_true (dl_annotations_set_label (a, 1, "moved"));
  g_assert_cmpstr (dl_annotations_lookup (a, 1)->label, ==, "moved");
  g_assert_true (dl_annotations_remove (a, 1));
  g_assert_false (dl_annotations_remove (a, 1));
  g_assert_null (dl_annotations_lookup (a, 1));
  g_assert_cmpuint (changes, ==, 3);
}

static void
test_ruler_mm (void)
{
  g_autoptr(DlAnnotations) a = sample ();

  /* 30 × 40 pixels at 5 mm: 250 mm */
  g_assert_cmpfloat_with_epsilon (dl_annotation_length_mm (dl_annotations_lookup (a, 5), 5, 5), 250, 1e-9);
  g_assert_cmpfloat_with_epsilon (dl_annotation_length_mm (dl_annotations_lookup (a, 5), 2, 3), hypot (60, 120), 1e-9);
}

static void
test_json_round_trip (void)
{
  g_autoptr(DlAnnotations) a = sample ();
  g_autoptr(DlAnnotations) b = dl_annotations_new ();
  g_autofree char *json = dl_annotations_to_json (a);
  g_autofree char *again = NULL;
  g_autoptr(GError) error = NULL;
  DlPoint p[] = { { 1, 1 } };

  g_assert_true (dl_annotations_load_json (b, json, &error));
  g_assert_no_error (error);
  again = dl_annotations_to_json (b);
  g_assert_cmpstr (again, ==, json);
  g_assert_cmpstr (dl_annotations_lookup (b, 4)->label, ==, "“Zeug” & <stuff>");
  /* new ids continue after the loaded ones */
  g_assert_cmpuint (dl_annotations_add (b, DL_ANNOTATION_TEXT, 0, p, 1, "x"), ==, 6);
}

static void
test_json_refuses (void)
{
  const char *bad[] = {
    "", "[]", "{\"format\": \"other\"}",
    "{\"format\": \"doorlicht-annotations/1\", \"annotations\": [{\"id\": 1, \"kind\": \"blob\", \"points\": [[1,2]]}]}",
    "{\"format\": \"doorlicht-annotations/1\", \"annotations\": [{\"id\": 1, \"kind\": \"text\", \"points\": [[1,2],[3,4]]}]}",
    "{\"format\": \"doorlicht-annotations/1\", \"annotations\": [{\"id\": 1, \"kind\": \"text\", \"points\": [[1]]}]}",
    "{\"format\": \"doorlicht-annotations/1\", \"annotations\": [{\"id\": 1, \"kind\": \"text\", \"points\": [[1,2]]},"
      " {\"id\": 1, \"kind\": \"text\", \"points\": [[1,2]]}]}",
    "{\"format\": \"doorlicht-annotations/1\", \"annotations\": [{\"id\": 1, \"kind\": \"text\", \"view\": -1, \"points\": [[1,2]]}]}",
  };
  g_autoptr(DlAnnotations) a = sample ();

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_false (dl_annotations_load_json (a, bad[i], &error));
      g_assert_nonnull (error);
      g_assert_cmpuint (dl_annotations_get_n (a), ==, 5);   /* nothing lost */
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/annotation/add-and-refuse", test_add_and_refuse);
  g_test_add_func ("/annotation/hit-move-delete", test_hit_move_delete);
  g_test_add_func ("/annotation/ruler-mm", test_ruler_mm);
  g_test_add_func ("/annotation/json-round-trip", test_json_round_trip);
  g_test_add_func ("/annotation/json-refuses", test_json_refuses);

  return g_test_run ();
}
