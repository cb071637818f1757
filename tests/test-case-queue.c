/* test-case-queue.c — the case queue as a list model: every case listed,
 * filters, search, the next case waiting for a verdict, and a change to
 * the file showing without being asked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "dl-case-queue.h"

static char *tmpdir;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *calls)
{
  (*calls)++;
}

static void
test_queue (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "queue.dlcase", NULL);
  g_autofree char *dir = g_build_filename (tmpdir, "analyst", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlIdentity) me = dl_identity_load_from_dir (dir, "anna", "Anna", &error);
  g_autoptr(DlCaseFile) file = NULL;
  g_autoptr(DlCaseQueue) queue = NULL;
  char *ids[5] = { NULL };
  g_autofree char *verdict = NULL;
  guint calls = 0;
  int next;

  g_assert_no_error (error);
  file = dl_case_file_create (path, me, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *title = g_strdup_printf ("MSKU%07u", 1000 + i);
      ids[i] = dl_case_file_new_case (file, title, &error);
      g_assert_no_error (error);
    }

  queue = dl_case_queue_new (file);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (queue)) == DL_TYPE_CASE_ITEM);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 5);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (queue), 5));
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(DlCaseItem) item = g_list_model_get_item (G_LIST_MODEL (queue), i);
      g_autoptr(DlCaseItem) again = g_list_model_get_item (G_LIST_MODEL (queue), i);
      g_autofree char *text = dl_case_item_describe (item);

      g_assert_true (item == again);
      g_assert_cmpint (dl_case_queue_find (queue, dl_case_item_get_id (item)), ==, i);
      g_assert_cmpstr (text, ==, dl_case_state_get_label (DL_CASE_STATE_NEW));
    }
  g_assert_cmpint (dl_case_queue_find (queue, "C-nonexistent"), ==, -1);

  /* a verdict made through the file reaches the queue by itself */
  g_signal_connect (queue, "items-changed", G_CALLBACK (on_items_changed), &calls);
  verdict = dl_case_file_add_verdict (file, ids[2], DL_DECISION_SEIZE, (const char * const []) { "concealment", NULL }, "false wall", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (calls, >=, 1);
  {
    g_autoptr(DlCaseItem) item = g_list_model_get_item (G_LIST_MODEL (queue),
                                                        dl_case_queue_find (queue, ids[2]));
    g_autofree char *text = dl_case_item_describe (item);

    g_assert_cmpint (dl_case_item_get_summary (item)->state, ==, DL_CASE_STATE_AWAITING_REVIEW);
    g_assert_nonnull (strstr (text, dl_decision_get_label (DL_DECISION_SEIZE)));
    g_assert_nonnull (strstr (text, "Anna"));
  }

  /* the next case waiting skips the one awaiting review */
  next = dl_case_queue_next_open (queue, dl_case_queue_find (queue, ids[2]) - 1);
  g_assert_cmpint (next, >=, 0);
  g_assert_cmpint (next, !=, dl_case_queue_find (queue, ids[2]));

  dl_case_queue_set_filter (queue, DL_CASE_FILTER_AWAITING_REVIEW);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 1);
  dl_case_queue_set_filter (queue, DL_CASE_FILTER_NEW);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 4);
  dl_case_queue_set_filter (queue, DL_CASE_FILTER_ALL);
  dl_case_queue_set_search (queue, "msku0001003");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 1);
  dl_case_queue_set_search (queue, "");
  g_assert_null (dl_case_queue_get_search (queue));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 5);

  dl_case_queue_set_sort (queue, DL_CASE_SORT_TITLE);
  {
    g_autoptr(DlCaseItem) first = g_list_model_get_item (G_LIST_MODEL (queue), 0);
    g_assert_cmpstr (dl_case_item_get_title (first), ==, "MSKU0001000");
  }

  /* with everything decided, nothing is waiting */
  for (guint i = 0; i < 5; i++)
    if (i != 2)
      g_free (dl_case_file_add_verdict (file, ids[i], DL_DECISION_CLEAR, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dl_case_queue_next_open (queue, -1), ==, -1);
  for (guint i = 0; i < 5; i++)
    g_free (ids[i]);
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("dl-queue-XXXXXX", NULL);
  g_test_add_func ("/case-queue/queue", test_queue);
  ret = g_test_run ();
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
    if (system (cmd) != 0)
      g_warning ("could not remove %s", tmpdir);
  }
  return ret;
}
