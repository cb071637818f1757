/* test-cases.c — the case queue in the real window under Xvfb: a case file
 * opens on the first case waiting for a verdict, its scan and manifest
 * show, a verdict key (real XTEST input) records and moves on, the
 * four-eyes rule holds in the window, a supervisor's review shows in the
 * queue, marks go into the case file, a changed image is flagged.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>

#include "gui-test-util.h"
#include "../case-fixture.h"
#include "../tiff-fixture.h"
#include "dl-case-file.h"
#include "dl-case-queue.h"
#include "dl-thumbnail-loader.h"
#include "dl-window.h"
#include "dl-window-private.h"

static DlWindow *window;
static char *tmpdir;
static char *case_path;
static char *case_ids[3];
static char *scan3_path;

static gboolean
scan_of_case_shown (gpointer data)
{
  DlSession *s = dl_window_get_session (window);
  return dl_session_get_scan (s) != NULL && !dl_session_get_loading (s)
         && g_strcmp0 (dl_session_get_case_id (s), data) == 0;
}

/* a case's scan is on screen, whichever case it is */
static gboolean
case_shown (gpointer data)
{
  DlSession *s = dl_window_get_session (window);
  return dl_session_get_scan (s) != NULL && !dl_session_get_loading (s) && dl_session_get_case_id (s) != NULL;
}

static gboolean
case_chosen (gpointer data)
{
  return dl_session_get_case_id (dl_window_get_session (window)) != NULL;
}

static char *
container_number (guint serial)
{
  g_autofree char *ten = g_strdup_printf ("DLTU%06u", serial);
  return g_strdup_printf ("%s%d", ten, dl_iso6346_check_digit (ten));
}

static DlManifest *
make_manifest (const char *number)
{
  DlManifest *m = dl_manifest_new ();

  m->message_id = g_strdup ("DL-TEST");
  m->transport_mode = g_strdup ("sea");
  m->conveyance = g_strdup ("MV TESTER");
  dl_manifest_add_container (m, number, "22G1", TRUE);
  dl_manifest_add_goods (m, number, "940360", "Wooden furniture", 12, "PK", 480.0);
  return m;
}

/* Three cases by the analyst: two with the image embedded, one pointing
 * at a file on disk. */
static void
make_case_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlIdentity) me = dl_identity_load_default ("Anna Analyst", &error);
  g_autoptr(DlCaseFile) file = NULL;

  g_assert_no_error (error);
  case_path = g_build_filename (tmpdir, "cases.dlcase", NULL);
  file = dl_case_file_create (case_path, me, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *number = container_number (100 + i);
      g_autofree char *scan = g_strdup_printf ("%s/scan%u.tif", tmpdir, i + 1);
      g_autoptr(DlManifest) manifest = make_manifest (number);
      g_autofree char *scan_id = NULL;

      g_assert_true (fixture_write_tiff (scan, 300 + 20 * i, 120, 2));
      case_ids[i] = dl_case_file_new_case (file, number, &error);
      g_assert_no_error (error);
      scan_id = dl_case_file_add_scan (file, case_ids[i], scan, i < 2, &error);
      g_assert_no_error (error);
      g_assert_true (dl_case_file_set_manifest (file, case_ids[i], manifest, &error));
      if (i == 2)
        scan3_path = g_strdup (scan);
    }
  g_assert_true (dl_case_file_close (file, &error));
}

static DlCaseQueue *
queue (void)
{
  GtkWidget *w = GTK_WIDGET (window);
  DlCaseFile *file = dl_session_get_case_file (dl_window_get_session (window));

  g_assert_nonnull (w);
  g_assert_nonnull (file);
  return g_object_get_data (G_OBJECT (window), "dl-test-queue");
}

static void
test_open_case_file (void)
{
  g_autoptr(GError) error = NULL;
  DlSession *session = dl_window_get_session (window);
  DlManifest *manifest;
  DlCaseFile *file;
  g_autoptr(DlCaseQueue) q = NULL;

  make_case_file ();
  g_assert_true (dl_window_open_case_file (window, case_path, &error));
  g_assert_no_error (error);

  file = dl_session_get_case_file (session);
  g_assert_nonnull (file);
  g_assert_false (dl_case_file_is_read_only (file));
  q = dl_case_queue_new (file);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (q)), ==, 3);
  g_object_set_data_full (G_OBJECT (window), "dl-test-queue", g_object_ref (q), g_object_unref);

  /* the first case waiting for a verdict is shown, once the queue is on
   * screen: all three are new, the queue lists the latest change first */
  g_assert_true (wait_until (case_chosen, NULL, 5000));
  g_assert_true (wait_until (scan_of_case_shown, (gpointer) dl_session_get_case_id (session), 10000));
  manifest = dl_session_get_manifest (session);
  g_assert_nonnull (manifest);
  g_assert_cmpuint (manifest->containers->len, ==, 1);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==,
                   ((DlManifestContainer *) g_ptr_array_index (manifest->containers, 0))->number);
  g_assert_null (dl_session_get_integrity_problem (session));
}

static void
collect_thumbnails (GtkWidget *widget,
                    GPtrArray *pictures)
{
  if (GTK_IS_PICTURE (widget) && gtk_widget_has_css_class (widget, "case-thumbnail")
      && gtk_widget_get_mapped (widget))
    g_ptr_array_add (pictures, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_thumbnails (c, pictures);
}

static gboolean
thumbnails_loaded (gpointer data)
{
  g_autoptr(GPtrArray) pictures = g_ptr_array_new ();
  guint n = 0;

  collect_thumbnails (GTK_WIDGET (window), pictures);
  for (guint i = 0; i < pictures->len; i++)
    n += dl_thumbnail_loader_get_texture (g_ptr_array_index (pictures, i)) != NULL;
  return n == GPOINTER_TO_UINT (data);
}

/* Each row of the queue shows its scan's thumbnail, made on a worker
 * thread (embedded and on-disk scans alike), stored in the case file, and
 * the texture shown is the one stored. */
static void
test_thumbnails (void)
{
  DlCaseFile *file = dl_session_get_case_file (dl_window_get_session (window));
  g_autoptr(GPtrArray) pictures = g_ptr_array_new ();
  g_autoptr(DlCaseQueue) q = dl_case_queue_new (file);

  g_assert_true (wait_until (thumbnails_loaded, GUINT_TO_POINTER (3), 10000));
  collect_thumbnails (GTK_WIDGET (window), pictures);
  g_assert_cmpuint (pictures->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(DlCaseItem) item = g_list_model_get_item (G_LIST_MODEL (q), i);
      const char *scan_id = dl_case_item_get_summary (item)->first_scan_id;
      g_autoptr(GBytes) png = NULL;
      g_autoptr(GdkTexture) stored = NULL;
      gboolean found = FALSE;
      guint w = 0, h = 0;

      g_assert_nonnull (scan_id);
      png = dl_case_file_get_thumbnail (file, scan_id, &w, &h, NULL);
      g_assert_nonnull (png);
      /* 300…340 × 120 fitted into 128 × 48 */
      g_assert_cmpuint (w, <=, DL_THUMBNAIL_MAX_WIDTH);
      g_assert_cmpuint (h, <=, DL_THUMBNAIL_MAX_HEIGHT);
      g_assert_true (w == DL_THUMBNAIL_MAX_WIDTH || h == DL_THUMBNAIL_MAX_HEIGHT);
      stored = gdk_texture_new_from_bytes (png, NULL);
      for (guint p = 0; p < pictures->len && !found; p++)
        {
          GdkTexture *shown = dl_thumbnail_loader_get_texture (g_ptr_array_index (pictures, p));
          g_autoptr(GBytes) a = NULL, b = NULL;

          if (gdk_texture_get_width (shown) != (int) w || gdk_texture_get_height (shown) != (int) h)
            continue;
          a = gdk_texture_save_to_png_bytes (shown);
          b = gdk_texture_save_to_png_bytes (stored);
          found = g_bytes_equal (a, b);
        }
      g_assert_true (found);
    }
  /* one frame size for every row, whatever the scan's proportions */
  for (guint p = 0; p < pictures->len; p++)
    g_assert_cmpint (gtk_widget_get_width (g_ptr_array_index (pictures, p)), ==,
                     gtk_widget_get_width (g_ptr_array_index (pictures, 0)));
}

static gboolean
has_verdict (gpointer data)
{
  DlCaseFile *file = dl_session_get_case_file (dl_window_get_session (window));
  g_autoptr(DlVerdict) v = dl_case_file_get_verdict (file, data, NULL);

  g_main_context_iteration (NULL, FALSE);
  return v != NULL;
}

/* The case shown is drawn and checked: its verdict keys act. */
static gboolean
case_ready (gpointer data)
{
  return window->case_ready;
}

static gboolean
case_changed (gpointer data)
{
  return g_strcmp0 (dl_session_get_case_id (dl_window_get_session (window)), data) != 0;
}

/* F6 on the keyboard: "physical inspection" recorded, and on to the next
 * case that needs a verdict. */
static void
test_verdict_key (void)
{
  DlSession *session = dl_window_get_session (window);
  DlCaseFile *file = dl_session_get_case_file (session);
  g_autofree char *first = g_strdup (dl_session_get_case_id (session));
  g_autoptr(DlVerdict) verdict = NULL;
  g_autoptr(DlCaseSummary) summary = NULL;

  if (!have_xdotool ())
    return;

  gui_test_activate (GTK_WINDOW (window));
  /* a key while the case still opens is ignored (test-decide): wait */
  g_assert_true (wait_until (case_ready, NULL, 20000));
  g_assert_true (spawn_xdotool ("key F6"));
  g_assert_true (wait_until (has_verdict, first, 5000));

  verdict = dl_case_file_get_verdict (file, first, NULL);
  g_assert_cmpint (verdict->decision, ==, DL_DECISION_INSPECT);
  g_assert_cmpstr (verdict->author.name, ==, "Anna Analyst");
  summary = dl_case_file_get_case (file, first, NULL);
  g_assert_cmpint (summary->state, ==, DL_CASE_STATE_AWAITING_REVIEW);

  /* moved on by itself, to a case still waiting */
  g_assert_true (wait_until (case_changed, first, 5000));
  g_assert_cmpstr (dl_session_get_case_id (session), !=, first);
  g_object_set_data_full (G_OBJECT (window), "dl-test-first", g_steal_pointer (&first), g_free);
}

static void
close_dialogs (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i - 1);
      if (ADW_IS_MESSAGE_DIALOG (w))
        gtk_window_destroy (w);
    }
}

/* The analyst cannot approve her own verdict in the window; a supervisor
 * (another key) can, and the queue shows it. */
static void
test_four_eyes (void)
{
  const char *first = g_object_get_data (G_OBJECT (window), "dl-test-first");
  DlSession *session = dl_window_get_session (window);
  DlCaseFile *file = dl_session_get_case_file (session);
  g_autoptr(DlVerdict) verdict = NULL;
  g_autoptr(DlReview) review = NULL;
  g_autoptr(DlIdentity) supervisor = NULL;
  g_autoptr(DlCaseFile) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (tmpdir, "supervisor", NULL);
  g_autofree char *review_id = NULL;
  DlCaseQueue *q = queue ();
  int index;

  if (first == NULL)
    {
      g_test_skip ("needs the verdict of the previous test");
      return;
    }

  g_assert_true (dl_session_open_case (session, first, 0, &error));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.review", "s", "approve");
  verdict = dl_case_file_get_verdict (file, first, NULL);
  review = dl_case_file_get_review (file, verdict->id, &error);
  g_assert_no_error (error);
  g_assert_null (review);
  close_dialogs ();

  supervisor = dl_identity_load_from_dir (dir, "piet", "Piet Supervisor", &error);
  g_assert_no_error (error);
  other = dl_case_file_open (case_path, supervisor, &error);
  g_assert_no_error (error);
  review_id = dl_case_file_add_review (other, first, DL_REVIEW_APPROVE, "Agreed", &error);
  g_assert_no_error (error);
  g_assert_true (dl_case_file_close (other, &error));

  g_assert_true (dl_case_queue_reload (q, &error));
  index = dl_case_queue_find (q, first);
  g_assert_cmpint (index, >=, 0);
  {
    g_autoptr(DlCaseItem) item = g_list_model_get_item (G_LIST_MODEL (q), index);
    g_assert_cmpint (dl_case_item_get_summary (item)->state, ==, DL_CASE_STATE_APPROVED);
  }
  dl_case_queue_set_filter (q, DL_CASE_FILTER_AWAITING_REVIEW);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (q)), ==, 0);
  dl_case_queue_set_filter (q, DL_CASE_FILTER_NEW);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (q)), ==, 2);
  dl_case_queue_set_filter (q, DL_CASE_FILTER_ALL);
  dl_case_queue_set_search (q, "DLTU000101");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (q)), ==, 1);
  dl_case_queue_set_search (q, NULL);
}

/* A mark drawn on a case's scan is in the case file at once. */
static void
test_marks_stored (void)
{
  DlSession *session = dl_window_get_session (window);
  DlCaseFile *file = dl_session_get_case_file (session);
  const char *case_id;
  DlPoint points[2] = { { 10, 10 }, { 60, 40 } };
  g_autoptr(GPtrArray) scans = NULL;
  g_autoptr(DlAnnotations) stored = NULL;
  g_autoptr(GError) error = NULL;

  /* the case the previous test opened: the session names it once its
   * scan is on screen (one case at a time) */
  g_assert_true (wait_until (case_shown, NULL, 10000));
  case_id = dl_session_get_case_id (session);
  g_assert_true (scan_of_case_shown ((gpointer) case_id));
  dl_annotations_add (dl_session_get_annotations (session), DL_ANNOTATION_RECTANGLE, 0,
                      points, 2, "dense block");

  scans = dl_case_file_get_scans (file, case_id, &error);
  g_assert_no_error (error);
  stored = dl_case_file_get_annotations (file, ((DlCaseScan *) g_ptr_array_index (scans, 0))->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dl_annotations_get_n (stored), ==, 1);
  g_assert_cmpstr (dl_annotations_get (stored, 0)->label, ==, "dense block");
}

static gboolean
integrity_flagged (gpointer data)
{
  return dl_session_get_integrity_problem (dl_window_get_session (window)) != NULL;
}

/* The third case's image lives on disk: changed there, it is flagged. */
static void
test_changed_image_flagged (void)
{
  DlSession *session = dl_window_get_session (window);
  g_autoptr(GError) error = NULL;

  g_assert_true (fixture_write_tiff (scan3_path, 340, 120, 1));
  g_assert_true (dl_session_open_case (session, case_ids[2], 0, &error));
  g_assert_no_error (error);
  g_assert_true (wait_until (scan_of_case_shown, case_ids[2], 10000));
  g_assert_true (wait_until (integrity_flagged, NULL, 2000));
  g_assert_nonnull (strstr (dl_session_get_integrity_problem (session), "SHA-256"));

  /* and a case whose image is intact clears the flag */
  g_assert_true (dl_session_open_case (session, case_ids[1], 0, &error));
  g_assert_true (wait_until (scan_of_case_shown, case_ids[1], 10000));
  g_assert_null (dl_session_get_integrity_problem (session));
}

static gboolean
verify_dialog_shown (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w))
        {
          char **out = data;

          out[0] = g_strdup (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (w)));
          out[1] = g_strdup (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (w)));
          return TRUE;
        }
    }
  return FALSE;
}

/* Verify from the menu runs beside the window and reports in a dialog:
 * the image changed on disk is named; put back, everything done so far
 * (verdicts, a review by another key, marks) verifies. */
static void
test_verify_from_window (void)
{
  char *shown[2] = { NULL, NULL };

  close_dialogs ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.verify", NULL));
  g_assert_true (wait_until (verify_dialog_shown, shown, 20000));
  g_assert_cmpstr (shown[0], ==, "The Case File Does Not Verify");
  g_assert_nonnull (strstr (shown[1], "scan3.tif"));
  g_clear_pointer (&shown[0], g_free);
  g_clear_pointer (&shown[1], g_free);
  close_dialogs ();

  g_assert_true (fixture_write_tiff (scan3_path, 340, 120, 2));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.verify", NULL));
  g_assert_true (wait_until (verify_dialog_shown, shown, 20000));
  g_assert_cmpstr (shown[0], ==, "The Case File Verifies");
  g_free (shown[0]);
  g_free (shown[1]);
  close_dialogs ();
}

/* A control a person can reach, and what names it for a screen reader:
 * its accessible label, a labelling widget, or its own visible text. */
static gboolean
is_control (GtkWidget *w)
{
  return GTK_IS_BUTTON (w) || GTK_IS_MENU_BUTTON (w) || GTK_IS_SWITCH (w) || GTK_IS_SCALE (w)
         || GTK_IS_SPIN_BUTTON (w) || GTK_IS_ENTRY (w) || GTK_IS_SEARCH_ENTRY (w) || GTK_IS_DROP_DOWN (w)
         || GTK_IS_CHECK_BUTTON (w) || GTK_IS_TEXT_VIEW (w) || GTK_IS_LIST_VIEW (w);
}

static gboolean
has_own_text (GtkWidget *w)
{
  const char *label = NULL;

  if (GTK_IS_BUTTON (w))
    label = gtk_button_get_label (GTK_BUTTON (w));
  else if (GTK_IS_CHECK_BUTTON (w))
    label = gtk_check_button_get_label (GTK_CHECK_BUTTON (w));
  else if (GTK_IS_MENU_BUTTON (w))
    label = gtk_menu_button_get_label (GTK_MENU_BUTTON (w));
  if (label && *label && (!GTK_IS_BUTTON (w) || gtk_button_get_icon_name (GTK_BUTTON (w)) == NULL))
    return TRUE;
  /* a button whose child is a label (or a box with one) */
  if (GTK_IS_BUTTON (w) && gtk_button_get_child (GTK_BUTTON (w)))
    {
      GtkWidget *child = gtk_button_get_child (GTK_BUTTON (w));

      if (GTK_IS_LABEL (child) || (ADW_IS_BUTTON_CONTENT (child) && adw_button_content_get_label (ADW_BUTTON_CONTENT (child))))
        return TRUE;
    }
  return FALSE;
}

static void
collect_unnamed (GtkWidget *widget,
                 GString   *out)
{
  if (!gtk_widget_get_visible (widget))
    return;
  /* the parts of composite controls (a spin button's text, a search
   * entry's, a drop-down's button) are named through their control */
  if (is_control (widget) && !GTK_IS_TEXT (widget)
      && !gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL)
      && !gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY)
      && !has_own_text (widget))
    {
      const char *tip = gtk_widget_get_tooltip_text (widget);

      g_string_append_printf (out, "  %s (%s)%s%s\n", G_OBJECT_TYPE_NAME (widget),
                              gtk_widget_get_name (widget), tip ? ", tooltip: " : "", tip ? tip : "");
    }
  if (GTK_IS_SPIN_BUTTON (widget) || GTK_IS_DROP_DOWN (widget) || GTK_IS_SEARCH_ENTRY (widget)
      || GTK_IS_ENTRY (widget) || GTK_IS_MENU_BUTTON (widget))
    return;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_unnamed (c, out);
}

/* Every control of the window, on every side page, has an accessible
 * name a screen reader can say. */
static void
test_accessible_names (void)
{
  const char *pages[] = { "image", "manifest", "case" };
  g_autoptr(GString) unnamed = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.side-page", "s", pages[i]));
      wait_widget_frames (GTK_WIDGET (window), 1);
      collect_unnamed (GTK_WIDGET (window), unnamed);
    }
  if (unnamed->len)
    g_error ("controls without an accessible name:\n%s", unnamed->str);
}

static gboolean
no_job_running (gpointer data)
{
  return find_label_containing (GTK_WIDGET (window), data) == NULL;
}

/* Cancel (the busy bar's button, Escape) stops a verification at once:
 * no report dialog, the bar goes, the next job can start. */
static void
test_cancel_verify (void)
{
  char *shown[2] = { NULL, NULL };

  close_dialogs ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.verify", NULL));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (window), "Verifying"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-job", NULL));
  g_assert_true (wait_until (no_job_running, "Cancelling", 20000));
  g_assert_null (find_label_containing (GTK_WIDGET (window), "Verifying"));
  g_assert_false (wait_until (verify_dialog_shown, shown, 500));

  /* Escape (the window's shortcut, whatever has the focus) does the same */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.verify", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-mark", NULL));
  g_assert_true (wait_until (no_job_running, "Cancelling", 20000));
  g_assert_false (wait_until (verify_dialog_shown, shown, 500));

  /* and it runs again, to the end */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.verify", NULL));
  g_assert_true (wait_until (verify_dialog_shown, shown, 20000));
  g_assert_cmpstr (shown[0], ==, "The Case File Verifies");
  g_free (shown[0]);
  g_free (shown[1]);
  close_dialogs ();
}

static gboolean
damage_shown (gpointer data)
{
  return find_label_containing (GTK_WIDGET (window), data) != NULL;
}

/* A damaged case file opens at once (its quick check runs beside the
 * queue), then says over the scan that it is damaged; no verdict can be
 * recorded. */
static void
test_damaged_case_file (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "damaged.dlcase", NULL);
  g_autoptr(DlIdentity) me = dl_identity_load_default (NULL, NULL);
  g_autoptr(DlCaseFile) file = dl_case_file_create (path, me, NULL);
  g_autoptr(GError) error = NULL;
  DlSession *session = dl_window_get_session (window);
  GtkLabel *label;

  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *number = container_number (200 + i);

      g_free (dl_case_file_new_case (file, number, &error));
      g_assert_no_error (error);
    }
  g_assert_true (dl_case_file_close (file, NULL));
  fixture_damage_table (path, "events");

  close_dialogs ();
  g_assert_true (dl_window_open_case_file (window, path, &error));
  g_assert_no_error (error);
  g_assert_true (wait_until (damage_shown, "damaged", 10000));
  label = find_label_containing (GTK_WIDGET (window), "damaged");
  g_assert_nonnull (strstr (gtk_label_get_label (label), "damaged.dlcase"));
  g_assert_true (wait_until (case_chosen, NULL, 5000));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.verdict", "s", "clear");
  close_dialogs ();
  g_assert_null (dl_case_file_get_verdict (dl_session_get_case_file (session),
                                           dl_session_get_case_id (session), NULL));
}

/* A case file changed outside Doorlicht (a verdict made "clear" with the
 * sqlite3 shell, SQLite itself content) opens, then says over the scan
 * that its audit trail does not verify; no verdict can be recorded. */
static void
test_tampered_case_file (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "tampered.dlcase", NULL);
  g_autoptr(DlIdentity) me = dl_identity_load_default (NULL, NULL);
  g_autoptr(DlCaseFile) file = dl_case_file_create (path, me, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autofree char *first = NULL;
  DlSession *session = dl_window_get_session (window);
  GtkLabel *label;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *number = container_number (300 + i);
      g_autofree char *id = dl_case_file_new_case (file, number, &error);

      g_assert_no_error (error);
      if (i == 0)
        first = g_strdup (id);
    }
  g_free (dl_case_file_add_verdict (file, first, DL_DECISION_INSPECT, NULL, "dense block", &error));
  g_assert_no_error (error);
  g_assert_true (dl_case_file_close (file, NULL));
  sqlite3_cli (path, "UPDATE verdicts SET decision = 'clear';");

  close_dialogs ();
  g_assert_true (dl_window_open_case_file (window, path, &error));
  g_assert_no_error (error);
  g_assert_true (wait_until (damage_shown, "audit trail", 20000));
  label = find_label_containing (GTK_WIDGET (window), "audit trail");
  g_assert_nonnull (strstr (gtk_label_get_label (label), "tampered.dlcase"));
  g_assert_true (wait_until (case_chosen, NULL, 5000));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.verdict", "s", "clear");
  close_dialogs ();
  verdicts = dl_case_file_get_verdicts (dl_session_get_case_file (session), dl_session_get_case_id (session), &error);
  g_assert_no_error (error);
  /* only the verdict made before (on the first case), none recorded now */
  g_assert_cmpuint (verdicts->len, ==, g_strcmp0 (dl_session_get_case_id (session), first) == 0 ? 1 : 0);
}

/* Every visible label holding @text has it isolated (FSI … PDI); counts them. */
static guint
count_isolated (GtkWidget  *widget,
                const char *text,
                guint      *raw)
{
  guint n = 0;

  if (GTK_IS_LABEL (widget) && gtk_widget_is_visible (widget))
    {
      const char *label = gtk_label_get_label (GTK_LABEL (widget));
      const char *at = strstr (label, text);

      if (at && at >= label + 3 && strncmp (at - 3, "\xe2\x81\xa8", 3) == 0
          && strstr (at, "\xe2\x81\xa9"))
        n++;
      else if (at)
        (*raw)++;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    n += count_isolated (c, text, raw);
  return n;
}

static gboolean
title_shown (gpointer data)
{
  guint raw = 0;

  return count_isolated (GTK_WIDGET (window), data, &raw) >= 2;
}

/* A title that would reverse what stands after it (U+202E) is shown in
 * the queue, the header and the verdict page, but isolated: its direction
 * ends with it. */
static void
test_title_isolated (void)
{
  const char *hostile = "\xe2\x80\xae" "raelc DLTU0001010";
  g_autofree char *path = g_build_filename (tmpdir, "bidi.dlcase", NULL);
  g_autoptr(DlIdentity) me = dl_identity_load_default (NULL, NULL);
  g_autoptr(DlCaseFile) file = dl_case_file_create (path, me, NULL);
  g_autoptr(GError) error = NULL;
  guint raw = 0;

  g_free (dl_case_file_new_case (file, hostile, &error));
  g_assert_no_error (error);
  g_assert_true (dl_case_file_close (file, NULL));

  close_dialogs ();
  g_assert_true (dl_window_open_case_file (window, path, &error));
  g_assert_no_error (error);
  g_assert_true (wait_until (case_chosen, NULL, 5000));
  g_assert_true (wait_until (title_shown, (gpointer) hostile, 5000));
  count_isolated (GTK_WIDGET (window), hostile, &raw);
  g_assert_cmpuint (raw, ==, 0);
  close_dialogs ();
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  /* wide enough that the queue and the side panel do not fold (dl-window-layout.c) */
  window = gui_test_start_window ("cases", 1280, 760, &tmpdir);
  if (window == NULL)
    {
      g_test_skip ("no display");
      return g_test_run ();
    }

  g_test_add_func ("/cases/open-case-file", test_open_case_file);
  g_test_add_func ("/cases/thumbnails", test_thumbnails);
  g_test_add_func ("/cases/verdict-key", test_verdict_key);
  g_test_add_func ("/cases/four-eyes", test_four_eyes);
  g_test_add_func ("/cases/marks-stored", test_marks_stored);
  g_test_add_func ("/cases/changed-image-flagged", test_changed_image_flagged);
  g_test_add_func ("/cases/verify-from-window", test_verify_from_window);
  g_test_add_func ("/cases/cancel-verify", test_cancel_verify);
  g_test_add_func ("/cases/accessible-names", test_accessible_names);
  g_test_add_func ("/cases/damaged-case-file", test_damaged_case_file);
  g_test_add_func ("/cases/tampered-case-file", test_tampered_case_file);
  g_test_add_func ("/cases/title-isolated", test_title_isolated);

  ret = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  return ret;
}
