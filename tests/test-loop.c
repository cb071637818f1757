/* test-loop.c — the analyst's loop through a case file, headless: the next
 * case made ready beforehand and shown whole at once, a case never shown
 * half (its declaration over the scan before), marks recorded once per
 * edit, each scan's zoom and window kept, the queue keeping its order, the
 * file one plain file after a checkpoint or a close, and a tampered audit
 * chain found in the background.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "case-fixture.h"
#include "tiff-fixture.h"
#include "dl-case-queue.h"
#include "dl-session.h"

#define N_CASES 4

static char *tmpdir;
static DlIdentity *me;

typedef struct
{
  char       *path;
  DlCaseFile *file;
  char       *ids[N_CASES];
} Cases;

static DlManifest *
make_manifest (const char *number,
               double      kg)
{
  DlManifest *m = dl_manifest_new ();

  m->message_id = g_strdup ("DL-LOOP");
  m->transport_mode = g_strdup ("sea");
  dl_manifest_add_container (m, number, "22G1", TRUE);
  dl_manifest_add_goods (m, number, "940360", "Wooden furniture", 12, "PK", kg);
  return m;
}

/* N_CASES cases, each with an embedded scan of its own size and a
 * declaration of its own mass. */
static void
cases_make (Cases      *c,
            const char *name)
{
  g_autoptr(GError) error = NULL;

  c->path = g_build_filename (tmpdir, name, NULL);
  c->file = dl_case_file_create (c->path, me, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_CASES; i++)
    {
      g_autofree char *title = g_strdup_printf ("MSKU%07u", 2000 + i);
      g_autofree char *scan = g_strdup_printf ("%s/%s-%u.tif", tmpdir, name, i);
      g_autoptr(DlManifest) m = make_manifest (title, 100.0 * (i + 1));

      g_assert_true (fixture_write_tiff (scan, 200 + 10 * i, 90, 2));
      c->ids[i] = dl_case_file_new_case (c->file, title, &error);
      g_assert_no_error (error);
      g_free (dl_case_file_add_scan (c->file, c->ids[i], scan, TRUE, &error));
      g_assert_no_error (error);
      g_assert_true (dl_case_file_set_manifest (c->file, c->ids[i], m, &error));
    }
}

static void
cases_clear (Cases *c)
{
  if (c->file)
    dl_case_file_close (c->file, NULL);
  g_clear_object (&c->file);
  for (guint i = 0; i < N_CASES; i++)
    g_free (c->ids[i]);
  g_free (c->path);
}

static gboolean
case_shown (DlSession  *s,
            const char *case_id)
{
  return !dl_session_get_loading (s) && dl_session_get_scan (s) != NULL
         && g_strcmp0 (dl_session_get_case_id (s), case_id) == 0;
}

static void
wait_shown (DlSession  *s,
            const char *case_id)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!case_shown (s, case_id))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
wait_checked (DlSession *s)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (dl_session_get_check_pending (s))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
}

static const char *
declared_number (DlSession *s)
{
  DlManifest *m = dl_session_get_manifest (s);

  g_assert_nonnull (m);
  return ((DlManifestContainer *) g_ptr_array_index (m->containers, 0))->number;
}

/* The scan shown is the case's own: its width says which. */
static void
assert_one_case (DlSession  *s,
                 const Cases *c)
{
  const char *id = dl_session_get_case_id (s);
  g_autoptr(DlCaseSummary) summary = NULL;
  guint i;

  for (i = 0; i < N_CASES && g_strcmp0 (c->ids[i], id) != 0; i++)
    ;
  g_assert_cmpuint (i, <, N_CASES);
  summary = dl_case_file_get_case (c->file, id, NULL);
  g_assert_cmpstr (declared_number (s), ==, summary->title);
  g_assert_cmpuint (dl_scan_get_plane_at (dl_session_get_scan (s), 0)->width, ==, 200 + 10 * i);
}

/* Opening a case not made ready keeps the one shown, whole, until the new
 * scan is decoded; then id, declaration, scan and check change together. */
static void
test_case_shown_whole (void)
{
  Cases c = { 0 };
  g_autoptr(DlSession) s = dl_session_new ();
  g_autoptr(GError) error = NULL;

  cases_make (&c, "whole.dlcase");
  dl_session_set_case_file (s, c.file);
  g_assert_true (dl_session_open_case (s, c.ids[0], 0, &error));
  g_assert_no_error (error);
  wait_shown (s, c.ids[0]);
  wait_checked (s);
  g_assert_nonnull (dl_session_get_check_summary (s));

  g_assert_true (dl_session_open_case (s, c.ids[1], 0, &error));
  g_assert_true (dl_session_get_loading (s));
  /* still the first case, all of it */
  g_assert_cmpstr (dl_session_get_case_id (s), ==, c.ids[0]);
  assert_one_case (s, &c);
  g_assert_nonnull (dl_session_get_check_summary (s));
  wait_shown (s, c.ids[1]);
  assert_one_case (s, &c);
  /* the first case's check is gone with it; the new one is under way */
  g_assert_true (dl_session_get_check_pending (s) || dl_session_get_check_summary (s) != NULL);
  wait_checked (s);
  g_assert_nonnull (dl_session_get_check_summary (s));
  cases_clear (&c);
}

static gboolean
prefetched (DlSession *s)
{
  return dl_session_get_prefetch_memory (s, NULL) > 0;
}

/* The next case made ready in the background shows at once, checked. */
static void
test_prefetch (void)
{
  Cases c = { 0 };
  g_autoptr(DlSession) s = dl_session_new ();
  g_autoptr(GError) error = NULL;
  const char *next[] = { NULL, NULL, NULL };
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint64 budget = 0;

  cases_make (&c, "prefetch.dlcase");
  dl_session_set_case_file (s, c.file);
  g_assert_true (dl_session_open_case (s, c.ids[0], 0, &error));
  wait_shown (s, c.ids[0]);
  next[0] = c.ids[1];
  next[1] = c.ids[2];
  dl_session_set_next_cases (s, next);
  while (dl_session_get_prefetch_memory (s, &budget) < 2 * 200 * 90 * sizeof (guint16))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_true (prefetched (s));
  g_assert_cmpuint (budget, >=, 128 << 20);
  g_assert_cmpuint (budget, <=, 1024 << 20);

  /* no decoding, no waiting: shown and checked on return */
  g_assert_true (dl_session_open_case (s, c.ids[1], 0, &error));
  g_assert_no_error (error);
  g_assert_true (case_shown (s, c.ids[1]));
  assert_one_case (s, &c);
  g_assert_false (dl_session_get_check_pending (s));
  g_assert_nonnull (dl_session_get_check_summary (s));
  g_assert_null (dl_session_get_integrity_problem (s));

  /* a case no longer wanted is dropped */
  next[0] = c.ids[3];
  next[1] = NULL;
  dl_session_set_next_cases (s, next);
  g_assert_true (dl_session_open_case (s, c.ids[2], 0, &error));
  g_assert_true (dl_session_get_loading (s));
  wait_shown (s, c.ids[2]);
  assert_one_case (s, &c);
  cases_clear (&c);
}

static guint
count_events (DlCaseFile *file,
              const char *case_id,
              const char *kind)
{
  g_autoptr(GPtrArray) events = dl_case_file_get_events (file, case_id, NULL);
  guint n = 0;

  for (guint i = 0; i < events->len; i++)
    n += g_strcmp0 (((DlCaseEvent *) g_ptr_array_index (events, i))->kind, kind) == 0;
  return n;
}

/* A rectangle drawn and its 23-character label typed key by key, then
 * confirmed: one event.  A move (a drag of 10 steps): one removal, one
 * addition. */
static void
test_marks_per_edit (void)
{
  static const char label[] = "dense block behind wall";
  Cases c = { 0 };
  g_autoptr(DlSession) s = dl_session_new ();
  g_autoptr(GError) error = NULL;
  DlPoint points[2] = { { 10, 10 }, { 60, 40 } };
  DlAnnotations *marks;
  guint id;

  g_assert_cmpuint (strlen (label), ==, 23);
  cases_make (&c, "marks.dlcase");
  dl_session_set_case_file (s, c.file);
  g_assert_true (dl_session_open_case (s, c.ids[0], 0, &error));
  wait_shown (s, c.ids[0]);
  marks = dl_session_get_annotations (s);

  id = dl_session_add_mark (s, DL_ANNOTATION_RECTANGLE, 0, points, 2, NULL);
  g_assert_cmpuint (id, >, 0);
  for (guint n = 1; n <= strlen (label); n++)
    {
      g_autofree char *typed = g_strndup (label, n);

      dl_session_begin_mark_edit (s);   /* as the label field does on each key */
      g_assert_true (dl_annotations_set_label (marks, id, typed));
    }
  g_assert_cmpuint (count_events (c.file, c.ids[0], "annotation"), ==, 0);
  dl_session_end_mark_edit (s);   /* Enter */
  g_assert_cmpuint (count_events (c.file, c.ids[0], "annotation"), ==, 1);
  g_assert_cmpuint (count_events (c.file, c.ids[0], "annotation-removed"), ==, 0);

  dl_session_begin_mark_edit (s);
  for (guint k = 0; k < 10; k++)
    g_assert_true (dl_annotations_move (marks, id, 1, 1));
  dl_session_end_mark_edit (s);
  g_assert_cmpuint (count_events (c.file, c.ids[0], "annotation"), ==, 2);
  g_assert_cmpuint (count_events (c.file, c.ids[0], "annotation-removed"), ==, 1);

  /* a mark drawn and left (another one selected) is recorded then */
  id = dl_session_add_mark (s, DL_ANNOTATION_ARROW, 0, points, 2, NULL);
  g_assert_cmpuint (count_events (c.file, c.ids[0], "annotation"), ==, 2);
  dl_session_set_selected (s, 0);
  g_assert_cmpuint (count_events (c.file, c.ids[0], "annotation"), ==, 3);

  /* and one still open when the case changes goes in first */
  dl_session_add_mark (s, DL_ANNOTATION_RULER, 0, points, 2, NULL);
  g_assert_true (dl_session_open_case (s, c.ids[1], 0, &error));
  g_assert_cmpuint (count_events (c.file, c.ids[0], "annotation"), ==, 4);
  cases_clear (&c);
}

/* Coming back to a case: its zoom, window and overlays as they were left;
 * a case not seen before opens in the defaults. */
static void
test_view_kept (void)
{
  Cases c = { 0 };
  g_autoptr(DlSession) s = dl_session_new ();
  g_autoptr(GError) error = NULL;
  DlViewState *state = dl_session_get_view_state (s);
  double center, width, zoom, fresh_center;
  gboolean fit, material;

  cases_make (&c, "view.dlcase");
  dl_session_set_case_file (s, c.file);
  g_assert_true (dl_session_open_case (s, c.ids[0], 0, &error));
  wait_shown (s, c.ids[0]);
  g_object_get (state, "center", &fresh_center, NULL);
  g_object_set (state, "center", 1234.0, "width", 567.0, "material", TRUE, NULL);
  dl_view_state_set_fit (state, FALSE);
  dl_view_state_set_zoom (state, 3.0);

  g_assert_true (dl_session_open_case (s, c.ids[1], 0, &error));
  wait_shown (s, c.ids[1]);
  g_object_get (state, "fit", &fit, "zoom", &zoom, "center", &center, NULL);
  g_assert_true (fit);
  g_assert_cmpfloat (center, !=, 1234.0);
  dl_view_state_set_zoom (state, 0.5);

  g_assert_true (dl_session_open_case (s, c.ids[0], 0, &error));
  wait_shown (s, c.ids[0]);
  g_object_get (state, "center", &center, "width", &width, "zoom", &zoom, "fit", &fit,
                "material", &material, NULL);
  g_assert_cmpfloat_with_epsilon (center, 1234.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (width, 567.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (zoom, 3.0, 1e-9);
  g_assert_false (fit);
  g_assert_true (material);
  cases_clear (&c);
}

static char *
item_id (DlCaseQueue *q,
         guint        i)
{
  g_autoptr(DlCaseItem) item = g_list_model_get_item (G_LIST_MODEL (q), i);

  return g_strdup (dl_case_item_get_id (item));
}

/* A verdict does not move its case to the top; a new case is appended;
 * choosing a sort orders the list again. */
static void
test_queue_keeps_order (void)
{
  Cases c = { 0 };
  g_autoptr(DlCaseQueue) q = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *new_id = NULL;
  char *before[N_CASES];

  cases_make (&c, "order.dlcase");
  q = dl_case_queue_new (c.file);
  for (guint i = 0; i < N_CASES; i++)
    before[i] = item_id (q, i);
  g_free (dl_case_file_add_verdict (c.file, before[N_CASES - 1], DL_DECISION_CLEAR, NULL, NULL, &error));
  g_assert_no_error (error);
  g_free (dl_case_file_add_verdict (c.file, before[1], DL_DECISION_INSPECT, NULL, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < N_CASES; i++)
    {
      g_autofree char *now = item_id (q, i);
      g_assert_cmpstr (now, ==, before[i]);
    }
  new_id = dl_case_file_new_case (c.file, "MSKU0009999", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (q)), ==, N_CASES + 1);
  {
    g_autofree char *last = item_id (q, N_CASES);
    g_autofree char *first = item_id (q, 0);
    g_assert_cmpstr (last, ==, new_id);
    g_assert_cmpstr (first, ==, before[0]);
  }

  /* asked for: the latest change first */
  dl_case_queue_set_sort (q, DL_CASE_SORT_TITLE);
  dl_case_queue_set_sort (q, DL_CASE_SORT_UPDATED);
  {
    g_autofree char *first = item_id (q, 0);
    g_assert_cmpstr (first, ==, new_id);
  }
  for (guint i = 0; i < N_CASES; i++)
    g_free (before[i]);
  cases_clear (&c);
}

static guint
count_verdicts (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlCaseFile) copy = dl_case_file_open_untrusted (path, &error);
  g_autoptr(GPtrArray) cases = NULL;
  guint n = 0;

  g_assert_no_error (error);
  cases = dl_case_file_list_cases (copy, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < cases->len; i++)
    n += ((DlCaseSummary *) g_ptr_array_index (cases, i))->verdict != DL_DECISION_NONE;
  return n;
}

static char *
copy_alone (const char *path,
            const char *name)
{
  g_autofree char *bytes = NULL;
  gsize length;
  char *copy = g_build_filename (tmpdir, name, NULL);

  g_assert_true (g_file_get_contents (path, &bytes, &length, NULL));
  g_assert_true (g_file_set_contents (copy, bytes, length, NULL));
  return copy;
}

/* The verdicts are in the .dlcase itself after a checkpoint (the idle
 * minute) and after the close, which leaves no -wal beside it. */
static void
test_one_file (void)
{
  Cases c = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *copy1 = NULL;
  g_autofree char *copy2 = NULL;

  cases_make (&c, "onefile.dlcase");
  wal = g_strconcat (c.path, "-wal", NULL);
  for (guint i = 0; i < 3; i++)
    g_free (dl_case_file_add_verdict (c.file, c.ids[i], DL_DECISION_CLEAR, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (dl_case_file_checkpoint (c.file, &error));
  g_assert_no_error (error);
  copy1 = copy_alone (c.path, "onefile-copy1.dlcase");
  g_assert_cmpuint (count_verdicts (copy1), ==, 3);

  g_free (dl_case_file_add_verdict (c.file, c.ids[3], DL_DECISION_SEIZE, (const char * const []) { "concealment", NULL }, "wall", &error));
  g_assert_no_error (error);
  g_assert_true (dl_case_file_close (c.file, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  copy2 = copy_alone (c.path, "onefile-copy2.dlcase");
  g_assert_cmpuint (count_verdicts (copy2), ==, 4);
  cases_clear (&c);
}

static void
on_damaged (DlCaseFile *file,
            const char *message,
            char      **out)
{
  g_free (*out);
  *out = g_strdup (message);
}

/* A verdict changed behind Doorlicht's back: the check beside the open
 * file says so, naming what failed; an untouched file says nothing. */
static void
test_chain_checked (void)
{
  Cases c = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlCaseFile) file = NULL;
  g_autofree char *message = NULL;
  g_autofree char *sql = NULL;
  gint64 end;

  cases_make (&c, "tampered.dlcase");
  g_free (dl_case_file_add_verdict (c.file, c.ids[0], DL_DECISION_SEIZE, (const char * const []) { "concealment", NULL }, "wall", &error));
  g_assert_no_error (error);
  g_assert_true (dl_case_file_close (c.file, &error));

  /* untouched: no word */
  file = dl_case_file_open_checking (c.path, me, &error);
  g_assert_no_error (error);
  g_signal_connect (file, "damaged", G_CALLBACK (on_damaged), &message);
  g_assert_true (dl_case_file_close (file, &error));
  end = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (message);
  g_clear_object (&file);

  sql = g_strdup_printf ("UPDATE verdicts SET decision = 'clear' WHERE case_id = '%s'", c.ids[0]);
  sqlite3_cli (c.path, sql);
  file = dl_case_file_open_checking (c.path, me, &error);
  g_assert_no_error (error);
  g_signal_connect (file, "damaged", G_CALLBACK (on_damaged), &message);
  end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (message == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, "tampered.dlcase"));
  g_assert_nonnull (strstr (message, "audit trail"));
  g_assert_true (dl_case_file_close (file, &error));
  cases_clear (&c);
}

int
main (int argc, char **argv)
{
  g_autofree char *home = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("dl-loop-XXXXXX", NULL);
  me = fixture_person (tmpdir, "anna", "Anna Analyst");

  g_test_add_func ("/loop/case-shown-whole", test_case_shown_whole);
  g_test_add_func ("/loop/prefetch", test_prefetch);
  g_test_add_func ("/loop/marks-per-edit", test_marks_per_edit);
  g_test_add_func ("/loop/view-kept", test_view_kept);
  g_test_add_func ("/loop/queue-keeps-order", test_queue_keeps_order);
  g_test_add_func ("/loop/one-file", test_one_file);
  g_test_add_func ("/loop/chain-checked", test_chain_checked);

  ret = g_test_run ();
  g_object_unref (me);
  return ret;
}
