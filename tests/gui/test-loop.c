/* test-loop.c — the analyst's loop in the real window under Xvfb, with
 * real key presses (XTEST): switching cases quickly never shows one case's
 * declaration, check or verdict page over another's scan (checked at every
 * frame); a label typed key by key is one audit event; a tampered audit
 * chain is said over the scan and the verdict keys do nothing; after the
 * window closes the .dlcase alone holds every verdict.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <string.h>

#include "gui-test-util.h"
#include "../case-fixture.h"
#include "../tiff-fixture.h"
#include "dl-case-file.h"
#include "dl-synth.h"
#include "dl-verdict-panel.h"
#include "dl-window.h"
#include "dl-window-private.h"

#define N_CASES 6

static DlWindow *window;
static char *tmpdir;
static char *case_path;
static char *case_ids[N_CASES];
static char *titles[N_CASES];
static char *shas[N_CASES];      /* of each case's scan */
static char *numbers[N_CASES];   /* each case's declared container */
static char *checks[N_CASES];    /* each case's check as the page first showed it */

/* Generator scenes, each with its own declaration (so its own check). */
static void
make_case_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlIdentity) me = dl_identity_load_default ("Anna Analyst", &error);
  g_autoptr(DlCaseFile) file = NULL;
  const DlSynthScene *scenes = dl_synth_get_scenes ();
  guint n_scenes = 0;

  while (scenes[n_scenes].name)
    n_scenes++;

  g_assert_no_error (error);
  case_path = g_build_filename (tmpdir, "loop.dlcase", NULL);
  file = dl_case_file_create (case_path, me, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_CASES; i++)
    {
      DlSynthOutput *out = dl_synth_generate (scenes[i % n_scenes].name, 700 + i, FALSE, &error);
      g_autofree char *base = NULL;
      g_autofree char *scan = NULL;
      g_autoptr(GPtrArray) scans = NULL;

      g_assert_no_error (error);
      g_assert_true (dl_synth_write (out, tmpdir, &error));
      base = dl_synth_basename (out);
      scan = g_strdup_printf ("%s/%s.tif", tmpdir, base);
      titles[i] = g_strdup_printf ("MSKU%07u", 3000 + i);
      case_ids[i] = dl_case_file_new_case (file, titles[i], &error);
      g_assert_no_error (error);
      g_free (dl_case_file_add_scan (file, case_ids[i], scan, TRUE, &error));
      g_assert_no_error (error);
      g_assert_true (dl_case_file_set_manifest (file, case_ids[i], out->manifest, &error));
      scans = dl_case_file_get_scans (file, case_ids[i], &error);
      shas[i] = g_strdup (((DlCaseScan *) g_ptr_array_index (scans, 0))->sha256);
      numbers[i] = g_strdup (((DlManifestContainer *) g_ptr_array_index (out->manifest->containers, 0))->number);
      dl_synth_output_free (out);
    }
  g_assert_true (dl_case_file_close (file, &error));
}

static int
case_index (const char *case_id)
{
  for (guint i = 0; i < N_CASES; i++)
    if (g_strcmp0 (case_ids[i], case_id) == 0)
      return i;
  return -1;
}

static gboolean
scan_shown (gpointer data)
{
  DlSession *s = dl_window_get_session (window);

  return dl_session_get_scan (s) != NULL && !dl_session_get_loading (s) && dl_session_get_case_id (s) != NULL
         && (data == NULL || g_strcmp0 (dl_session_get_case_id (s), data) == 0);
}


static GtkWidget *
find_list_view (GtkWidget *widget)
{
  if (GTK_IS_LIST_VIEW (widget))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_list_view (c);

      if (found)
        return found;
    }
  return NULL;
}

static gboolean
loading (gpointer data)
{
  return dl_session_get_loading (dl_window_get_session (window));
}

typedef struct
{
  guint frames;
  guint checked;      /* frames whose check result was on the page */
  guint loading_frames;  /* frames while a case's scan was being decoded */
  guint cases_seen;
  int   last_case;
  GString *wrong;
} Watch;

/* After every frame: the scan, the declaration, the check's result (which
 * states the declared mass) and the verdict page are of one case. */
static void
on_frame (GdkFrameClock *clock,
          Watch         *w)
{
  DlSession *s = dl_window_get_session (window);
  DlScan *scan = dl_session_get_scan (s);
  int i = case_index (dl_session_get_case_id (s));
  DlManifest *m = dl_manifest_panel_get_manifest (window->manifest_panel);
  GtkLabel *check;

  w->frames++;
  w->loading_frames += dl_session_get_loading (s);
  if (i != w->last_case)
    w->cases_seen++;
  w->last_case = i;
  if (i < 0 || scan == NULL)
    return;
  if (g_strcmp0 (dl_scan_get_sha256 (scan), shas[i]) != 0)
    g_string_append_printf (w->wrong, "frame %u: scan of another case than %s; ", w->frames, titles[i]);
  if (m == NULL || g_strcmp0 (((DlManifestContainer *) g_ptr_array_index (m->containers, 0))->number, numbers[i]) != 0)
    g_string_append_printf (w->wrong, "frame %u: declaration not of %s; ", w->frames, titles[i]);
  if (g_strcmp0 (dl_verdict_panel_get_case_id (window->verdict_panel), case_ids[i]) != 0)
    g_string_append_printf (w->wrong, "frame %u: verdict page not of %s; ", w->frames, titles[i]);
  /* each case's check, once seen, is the only one its frames show */
  /* (in the hints' list: the findings below it may say "declared" too) */
  if ((check = find_label_containing (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window->manifest_panel),
                                                                                 DL_TYPE_MANIFEST_PANEL, "hints_list")),
                                      "declared")))
    {
      w->checked++;
      if (checks[i] == NULL)
        checks[i] = g_strdup (gtk_label_get_label (check));
      else if (g_strcmp0 (checks[i], gtk_label_get_label (check)) != 0)
        g_string_append_printf (w->wrong, "frame %u: check of another case than %s: %s; ", w->frames,
                                titles[i], gtk_label_get_label (check));
      for (guint k = 0; k < N_CASES; k++)
        if ((int) k != i && g_strcmp0 (checks[k], gtk_label_get_label (check)) == 0)
          g_string_append_printf (w->wrong, "frame %u: %s's check over %s; ", w->frames, titles[k], titles[i]);
    }
}

static gboolean
may_decide (gpointer data)
{
  return _dl_window_may_decide (window);
}

/* Ctrl+Page Down pressed again and again, fast and slow, back and forth:
 * at no frame do two cases mix. */
static void
test_one_case_every_frame (void)
{
  DlSession *session = dl_window_get_session (window);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  Watch w = { 0 };
  GtkWidget *list;
  gulong id;

  if (!have_xdotool ())
    return;
  w.wrong = g_string_new (NULL);
  w.last_case = -1;
  g_assert_true (wait_until (scan_shown, NULL, 20000));
  gui_test_activate (GTK_WINDOW (window));
  list = find_list_view (GTK_WIDGET (window->case_sidebar));
  g_assert_nonnull (list);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_frame), &w);
  for (guint round = 0; round < 6; round++)
    {
      /* half of it without the next cases made ready: each one decoded
       * after the key, while the one before stays on screen */
      if (round == 0)
        g_setenv ("DOORLICHT_NO_PREFETCH", "1", TRUE);
      if (round == 3)
        g_unsetenv ("DOORLICHT_NO_PREFETCH");
      /* F8 (rescan) records and moves on; back to a case decided, by
       * choosing it in the queue */
      if (round % 3 == 2)
        dl_case_sidebar_select (window->case_sidebar, case_ids[0]);
      else
        {
          /* a verdict key acts only once the case is drawn and checked
           * (dl-window-decide.c): pressed before, it is ignored */
          g_assert_true (wait_until (may_decide, NULL, 20000));
          g_assert_true (spawn_xdotool ("key F8"));
        }
      /* a frame painted while the next scan decodes */
      if (round < 3 && wait_until (loading, NULL, 2000))
        wait_widget_frames (GTK_WIDGET (window), 1);
      /* sometimes on before the scan is in, sometimes after its check */
      if (round % 2)
        g_assert_true (wait_until (scan_shown, NULL, 20000));
      wait_widget_frames (GTK_WIDGET (window), 3);
      g_test_message ("round %u: case %d, focus %s", round, case_index (dl_session_get_case_id (session)),
                      G_OBJECT_TYPE_NAME (gtk_root_get_focus (GTK_ROOT (window))));
      g_assert_cmpstr (w.wrong->str, ==, "");
    }
  g_assert_cmpuint (w.loading_frames, >, 0);
  g_assert_cmpuint (w.cases_seen, >=, 3);
  g_assert_true (wait_until (scan_shown, NULL, 20000));
  while (dl_session_get_check_pending (session))
    g_main_context_iteration (NULL, TRUE);
  wait_widget_frames (GTK_WIDGET (window), 3);
  g_signal_handler_disconnect (clock, id);
  g_test_message ("%u frames, %u with a check result; check: %s", w.frames, w.checked,
                  dl_session_get_check_summary (session));
  g_assert_cmpstr (w.wrong->str, ==, "");
  g_assert_cmpuint (w.checked, >, 0);
  g_string_free (w.wrong, TRUE);
}

static guint
count_events (const char *case_id,
              const char *kind)
{
  DlCaseFile *file = dl_session_get_case_file (dl_window_get_session (window));
  g_autoptr(GPtrArray) events = dl_case_file_get_events (file, case_id, NULL);
  guint n = 0;

  for (guint i = 0; i < events->len; i++)
    n += g_strcmp0 (((DlCaseEvent *) g_ptr_array_index (events, i))->kind, kind) == 0;
  return n;
}

static GtkWidget *
find_entry (GtkWidget *widget)
{
  if (GTK_IS_ENTRY (widget) && gtk_widget_get_sensitive (widget) && gtk_widget_is_visible (widget))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_entry (c);

      if (found)
        return found;
    }
  return NULL;
}

static gboolean
events_at_least (gpointer data)
{
  guint *want = data;

  g_main_context_iteration (NULL, FALSE);
  return count_events (dl_session_get_case_id (dl_window_get_session (window)), "annotation") >= *want;
}

/* A rectangle drawn, its 23-character label typed (real keys) and Enter:
 * one "annotation" event, none removed. */
static void
test_label_one_event (void)
{
  DlSession *session = dl_window_get_session (window);
  DlPoint points[2] = { { 10, 10 }, { 80, 50 } };
  const char *case_id;
  GtkWidget *entry;
  guint want = 1;

  if (!have_xdotool ())
    return;
  g_assert_true (wait_until (scan_shown, NULL, 20000));
  case_id = dl_session_get_case_id (session);
  g_assert_cmpuint (count_events (case_id, "annotation"), ==, 0);
  g_assert_cmpuint (dl_session_add_mark (session, DL_ANNOTATION_RECTANGLE, 0, points, 2, NULL), >, 0);
  gtk_stack_set_visible_child_name (window->side_stack, "image");
  wait_widget_frames (GTK_WIDGET (window), 2);
  entry = find_entry (GTK_WIDGET (window->panel));
  g_assert_nonnull (entry);
  gui_test_activate (GTK_WINDOW (window));
  gtk_widget_grab_focus (entry);
  wait_widget_frames (GTK_WIDGET (window), 2);
  g_assert_true (spawn_xdotool ("type --delay 20 'dense block behind wall'"));
  g_assert_true (spawn_xdotool ("key Return"));
  g_assert_true (wait_until (events_at_least, &want, 5000));
  wait_ms (300);
  g_assert_cmpuint (count_events (case_id, "annotation"), ==, 1);
  g_assert_cmpuint (count_events (case_id, "annotation-removed"), ==, 0);
  {
    const DlAnnotation *a = dl_annotations_get (dl_session_get_annotations (session), 0);
    g_assert_cmpstr (a->label, ==, "dense block behind wall");
  }
  gtk_stack_set_visible_child_name (window->side_stack, "case");
}

static guint
count_all_verdicts (void)
{
  DlCaseFile *file = dl_session_get_case_file (dl_window_get_session (window));
  g_autoptr(GPtrArray) events = dl_case_file_get_events (file, NULL, NULL);
  guint n = 0;

  for (guint i = 0; events && i < events->len; i++)
    n += g_strcmp0 (((DlCaseEvent *) g_ptr_array_index (events, i))->kind, "verdict") == 0;
  return n;
}

static gboolean
has_verdict_events (gpointer data)
{
  g_main_context_iteration (NULL, FALSE);
  return count_all_verdicts () >= GPOINTER_TO_UINT (data);
}

/* Verdicts by key, the window closed: the .dlcase copied alone (no -wal
 * beside it) has every one. */
static void
test_one_file_when_closed (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (case_path, "-wal", NULL);
  g_autofree char *copy = g_build_filename (tmpdir, "copy.dlcase", NULL);
  g_autofree char *bytes = NULL;
  g_autoptr(DlCaseFile) copied = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  gsize length;
  guint n = 0, decided = 0, base;

  if (!have_xdotool ())
    return;
  gui_test_activate (GTK_WINDOW (window));
  base = count_all_verdicts ();
  for (guint k = 0; k < 3; k++)
    {
      g_assert_true (wait_until (scan_shown, NULL, 20000));
      wait_widget_frames (GTK_WIDGET (window), 2);
      g_assert_true (spawn_xdotool (k == 1 ? "key F8" : "key F5"));
      g_assert_true (wait_until (has_verdict_events, GUINT_TO_POINTER (base + k + 1), 10000));
    }
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  {
    DlCaseFile *file = dl_session_get_case_file (dl_window_get_session (window));
    g_autoptr(GPtrArray) live = dl_case_file_list_cases (file, NULL, NULL);

    for (guint i = 0; i < live->len; i++)
      decided += ((DlCaseSummary *) g_ptr_array_index (live, i))->verdict != DL_DECISION_NONE;
  }
  g_assert_cmpuint (decided, >=, 3);

  gtk_window_destroy (GTK_WINDOW (window));
  window = NULL;
  /* the queue's thumbnail worker may still have its own connection for a
   * moment: the last one closed leaves the plain file */
  {
    gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    while (g_file_test (wal, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < end)
      {
        g_main_context_iteration (NULL, FALSE);
        g_usleep (10000);
      }
  }
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (case_path, &bytes, &length, NULL));
  g_assert_true (g_file_set_contents (copy, bytes, length, NULL));
  copied = dl_case_file_open_untrusted (copy, &error);
  g_assert_no_error (error);
  cases = dl_case_file_list_cases (copied, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < cases->len; i++)
    n += ((DlCaseSummary *) g_ptr_array_index (cases, i))->verdict != DL_DECISION_NONE;
  g_assert_cmpuint (n, ==, decided);
}

/* A verdict's decision changed with sqlite3: the banner over the scan says
 * the audit trail does not verify, and F5 records nothing. */
static void
test_tampered_chain (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "tampered.dlcase", NULL);
  g_autofree char *sql = NULL;
  g_autofree char *bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlCaseFile) file = NULL;
  DlSession *session;
  GtkLabel *label;
  gsize length;

  if (!have_xdotool ())
    return;
  g_assert_true (g_file_get_contents (case_path, &bytes, &length, NULL));
  g_assert_true (g_file_set_contents (path, bytes, length, NULL));
  sql = g_strdup_printf ("UPDATE verdicts SET decision = 'seize' WHERE decision = 'clear'");
  sqlite3_cli (path, sql);

  window = dl_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  session = dl_window_get_session (window);
  g_assert_true (dl_window_open_case_file (window, path, &error));
  g_assert_no_error (error);
  {
    gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

    while ((label = find_label_containing (GTK_WIDGET (window), "audit trail")) == NULL)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, end);
        g_main_context_iteration (NULL, TRUE);
      }
  }
  g_test_message ("%s", gtk_label_get_label (label));
  g_assert_nonnull (strstr (gtk_label_get_label (label), "tampered.dlcase"));
  g_assert_true (wait_until (scan_shown, NULL, 20000));
  gui_test_activate (GTK_WINDOW (window));
  {
    const char *case_id = dl_session_get_case_id (session);
    g_autoptr(DlVerdict) before = dl_case_file_get_verdict (dl_session_get_case_file (session), case_id, NULL);
    g_autoptr(DlVerdict) after = NULL;

    g_assert_true (spawn_xdotool ("key F6"));
    wait_ms (500);
    after = dl_case_file_get_verdict (dl_session_get_case_file (session), case_id, NULL);
    g_assert_cmpstr (before ? before->id : NULL, ==, after ? after->id : NULL);
  }
}

int
main (int argc, char **argv)
{
  g_autofree char *config = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("dl-gui-loop-XXXXXX", NULL);
  config = g_build_filename (tmpdir, "config", NULL);
  data = g_build_filename (tmpdir, "data", NULL);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return g_test_run ();
    }
  adw_init ();

  make_case_file ();
  window = dl_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (dl_window_open_case_file (window, case_path, &error));
  g_assert_no_error (error);

  g_test_add_func ("/loop/one-case-every-frame", test_one_case_every_frame);
  g_test_add_func ("/loop/label-one-event", test_label_one_event);
  g_test_add_func ("/loop/one-file-when-closed", test_one_file_when_closed);
  g_test_add_func ("/loop/tampered-chain", test_tampered_chain);

  ret = g_test_run ();
  if (window)
    gtk_window_destroy (GTK_WINDOW (window));
  return ret;
}
