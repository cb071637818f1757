/* test-decide.c — a decision bound to what was seen, keyboard only, in the
 * real window under Xvfb with real key events (XTEST): a verdict key
 * while a case opens decides nothing and says so; bursts of 2, 3 and 10
 * presses within 50 ms decide exactly one case; the verdict's event holds
 * the scan's SHA-256 and the display; Alt+3 moves the focus into the
 * verdict page; a key per reason (shown on it), one tab stop per reason;
 * Space and BackSpace in a check box or the note do not navigate; Seize
 * needs a reason; the review keys do not clash with editing the comment,
 * and a review moves on to the next case awaiting one.
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
#include "dl-case-seen.h"
#include "dl-case-sidebar.h"
#include "dl-verdict-panel.h"
#include "dl-window.h"

#define N_NEW    6    /* cases waiting for a verdict */
#define N_REVIEW 3    /* cases with a verdict by another person, waiting for review */

static DlWindow *window;
static char *tmpdir;
static char *case_path;
static char *case_ids[N_NEW + N_REVIEW];

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
  dl_manifest_add_container (m, number, "22G1", TRUE);
  dl_manifest_add_goods (m, number, "940360", "Wooden furniture", 12, "PK", 480.0);
  return m;
}

/* Cases with embedded scans and manifests; the last N_REVIEW decided by
 * Anna (another login), waiting for a review. */
static void
make_case_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlIdentity) anna = fixture_person (tmpdir, "anna", "Anna Analyst");
  g_autoptr(DlCaseFile) file = NULL;

  case_path = g_build_filename (tmpdir, "decide.dlcase", NULL);
  file = dl_case_file_create (case_path, anna, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_NEW + N_REVIEW; i++)
    {
      g_autofree char *number = container_number (300 + i);
      g_autofree char *scan = g_strdup_printf ("%s/scan%u.tif", tmpdir, i + 1);
      g_autoptr(DlManifest) manifest = make_manifest (number);
      g_autofree char *scan_id = NULL;

      /* one page: no dual energy, so the scans cannot be checked (two
       * pages of one size would be read as an energy pair) */
      g_assert_true (fixture_write_tiff (scan, 320 + 10 * i, 120, 1));
      case_ids[i] = dl_case_file_new_case (file, number, &error);
      g_assert_no_error (error);
      scan_id = dl_case_file_add_scan (file, case_ids[i], scan, TRUE, &error);
      g_assert_no_error (error);
      g_assert_true (dl_case_file_set_manifest (file, case_ids[i], manifest, &error));
      if (i >= N_NEW)
        g_free (dl_case_file_add_verdict (file, case_ids[i], DL_DECISION_INSPECT, NULL, "look inside", &error));
      g_assert_no_error (error);
    }
  g_assert_true (dl_case_file_close (file, &error));
}

static DlCaseFile *
case_file (void)
{
  return dl_session_get_case_file (dl_window_get_session (window));
}

static const char *
shown_case (void)
{
  return dl_session_get_case_id (dl_window_get_session (window));
}

static guint
n_verdicts (void)
{
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (case_ids); i++)
    {
      g_autoptr(GPtrArray) v = dl_case_file_get_verdicts (case_file (), case_ids[i], NULL);
      n += v ? v->len : 0;
    }
  return n;
}

/* The case's scan decoded and its check done. */
static gboolean
case_settled (gpointer data)
{
  DlSession *s = dl_window_get_session (window);

  return dl_session_get_scan (s) != NULL && !dl_session_get_loading (s) && shown_case () != NULL
         && (data == NULL || g_strcmp0 (shown_case (), data) == 0)
         && dl_session_get_check_summary (s) != NULL;
}

/* Settled and drawn: a few frames later. */
static void
wait_ready (const char *case_id)
{
  g_assert_true (wait_until (case_settled, (gpointer) case_id, 20000));
  wait_widget_frames (GTK_WIDGET (window), 3);
}

/* Presses @key @n times, @delay_ms apart (the main loop blocked meanwhile:
 * the window gets them as one burst). */
static void
press (const char *key,
       guint       n,
       guint       delay_ms)
{
  g_autoptr(GString) cmd = g_string_new (NULL);

  g_string_printf (cmd, "key --delay %u", delay_ms);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (cmd, " %s", key);
  g_assert_true (spawn_xdotool (cmd->str));
}

static GtkLabel *
find_mapped_label (GtkWidget  *widget,
                   const char *text)
{
  return find_label_by (widget, text, gtk_widget_get_mapped);
}

static gboolean
label_shown (gpointer data)
{
  return find_mapped_label (GTK_WIDGET (window), data) != NULL;
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_widget (c, type);

      if (found)
        return found;
    }
  return NULL;
}

static DlVerdictPanel *
verdict_panel (void)
{
  GtkWidget *w = find_widget (GTK_WIDGET (window), DL_TYPE_VERDICT_PANEL);

  g_assert_nonnull (w);
  return DL_VERDICT_PANEL (w);
}

/* DL_DECIDE_SHOTS=DIR: the window as it is now, for a person to look at. */
static void
shoot (const char *name)
{
  const char *dir = g_getenv ("DL_DECIDE_SHOTS");
  g_autoptr(GdkTexture) shot = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  wait_widget_frames (GTK_WIDGET (window), 2);
  shot = render_widget (GTK_WIDGET (window));
  path = g_strdup_printf ("%s/%s.png", dir, name);
  gdk_texture_save_to_png (shot, path);
}

static GtkWidget *
focus (void)
{
  return gtk_root_get_focus (GTK_ROOT (window));
}

static gboolean
case_is (gpointer data)
{
  return g_strcmp0 (shown_case (), data) == 0;
}

static gboolean
case_is_not (gpointer data)
{
  return g_strcmp0 (shown_case (), data) != 0;
}

static gboolean
has_n_verdicts (gpointer data)
{
  return n_verdicts () == GPOINTER_TO_UINT (data);
}

/* The file opens on the first case; F5 at once, while its scan is still
 * opening, decides nothing and says it was ignored; once drawn, F5 decides. */
static gboolean
session_loading (gpointer data)
{
  return dl_session_get_loading (dl_window_get_session (window));
}

static void
test_key_while_opening (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;

  if (!have_xdotool ())
    return;
  make_case_file ();
  gui_test_activate (GTK_WINDOW (window));
  g_assert_true (dl_window_open_case_file (window, case_path, &error));
  g_assert_no_error (error);
  /* the first case's scan decodes (the case is named once it is shown) */
  g_assert_true (wait_until (session_loading, NULL, 5000));
  press ("F5", 1, 0);
  g_assert_true (wait_until (label_shown, "Ignored", 5000));
  shoot ("ignored");
  g_assert_cmpuint (n_verdicts (), ==, N_REVIEW);
  wait_ready (NULL);
  first = g_strdup (shown_case ());
  wait_ms (300);
  g_assert_cmpuint (n_verdicts (), ==, N_REVIEW);
  g_assert_true (case_is (first));

  press ("F5", 1, 0);
  g_assert_true (wait_until (has_n_verdicts, GUINT_TO_POINTER (N_REVIEW + 1), 5000));
  g_assert_true (wait_until (case_is_not, first, 5000));
}

static void
burst (guint n)
{
  guint before;
  g_autofree char *decided = NULL;

  wait_ready (NULL);
  before = n_verdicts ();
  decided = g_strdup (shown_case ());
  press ("F5", n, n > 1 ? 45 / (n - 1) : 0);
  /* on to the next case, which opens, is drawn and checked: no key is left */
  g_assert_true (wait_until (case_is_not, decided, 5000));
  wait_ready (NULL);
  wait_ms (300);
  g_assert_cmpuint (n_verdicts (), ==, before + 1);
  {
    g_autoptr(DlVerdict) v = dl_case_file_get_verdict (case_file (), decided, NULL);
    g_assert_nonnull (v);
    g_assert_cmpint (v->decision, ==, DL_DECISION_CLEAR);
  }
}

/* 2, 3 and 10 presses within 50 ms: one case decided each time. */
static void
test_bursts (void)
{
  if (!have_xdotool () || case_file () == NULL)
    return;
  burst (2);
  burst (3);
  burst (10);
}

/* The verdict's event says what was on screen: the scan's SHA-256, the
 * display in effect, the time shown. */
static void
test_seen_recorded (void)
{
  DlSession *s = dl_window_get_session (window);
  g_autoptr(GPtrArray) scans = NULL;
  g_autoptr(DlVerdict) v = NULL;
  g_autoptr(DlViewState) back = dl_view_state_new ();
  g_autofree char *seen = NULL, *hints = NULL;
  g_autofree char *case_id = NULL;
  DlCaseScan *scan;
  double center, width, shown_center, shown_width;
  gboolean density, shown_density;

  if (!have_xdotool () || case_file () == NULL)
    return;
  wait_ready (NULL);
  case_id = g_strdup (shown_case ());
  g_assert_null (dl_case_file_get_hints (case_file (), case_id, NULL));
  g_object_get (dl_session_get_view_state (s), "center", &shown_center, "width", &shown_width,
                "density", &shown_density, NULL);
  wait_ms (200);
  press ("F6", 1, 0);
  g_assert_true (wait_until (case_is_not, case_id, 5000));
  v = dl_case_file_get_verdict (case_file (), case_id, NULL);
  g_assert_nonnull (v);
  seen = dl_case_file_get_verdict_seen (case_file (), v->id, NULL);
  g_assert_nonnull (seen);
  g_test_message ("%s", seen);
  scans = dl_case_file_get_scans (case_file (), case_id, NULL);
  scan = g_ptr_array_index (scans, 0);
  g_assert_nonnull (strstr (seen, scan->sha256));
  g_assert_cmpint (dl_verdict_seen_get_shown_ms (seen), >=, 200);
  g_assert_true (dl_verdict_seen_apply (seen, back, NULL));
  g_object_get (back, "center", &center, "width", &width, "density", &density, NULL);
  g_assert_cmpfloat_with_epsilon (center, shown_center, 1e-6);
  g_assert_cmpfloat_with_epsilon (width, shown_width, 1e-6);
  g_assert_true (density == shown_density);
  /* these scans cannot be checked (no dual energy): the visible failure
   * lets the verdict through and stores no hints (test-verdict-seen checks
   * that a successful check's hints go in with the verdict) */
  hints = dl_case_file_get_hints (case_file (), case_id, NULL);
  g_assert_null (hints);
}

static GtkCheckButton *
reason_check (guint index)
{
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();
  GtkWidget *w = GTK_WIDGET (verdict_panel ());
  GQueue todo = G_QUEUE_INIT;

  g_queue_push_tail (&todo, w);
  while (!g_queue_is_empty (&todo))
    {
      GtkWidget *x = g_queue_pop_head (&todo);

      if (GTK_IS_CHECK_BUTTON (x))
        g_ptr_array_add (checks, x);
      for (GtkWidget *c = gtk_widget_get_last_child (x); c; c = gtk_widget_get_prev_sibling (c))
        g_queue_push_head (&todo, c);
    }
  g_assert_cmpuint (index, <, checks->len);
  return g_ptr_array_index (checks, index);
}

static gboolean
focus_in_check (gpointer data)
{
  GtkWidget *f = focus ();
  return f && f == data;
}

/* Alt+3 takes the focus into the verdict page, onto the first reason;
 * Tab goes from reason to reason (one stop each); Ctrl+2 ticks the second
 * (its key is on it); Space ticks the one with the focus and BackSpace
 * does nothing there: neither moves to another scan. */
static void
test_keyboard_reasons (void)
{
  g_autofree char *case_id = NULL;
  GtkCheckButton *first, *second;

  if (!have_xdotool () || case_file () == NULL)
    return;
  wait_ready (NULL);
  case_id = g_strdup (shown_case ());
  first = reason_check (0);
  second = reason_check (1);
  g_assert_nonnull (strstr (gtk_check_button_get_label (second), "Ctrl+2"));

  press ("alt+3", 1, 0);
  g_assert_true (wait_until (focus_in_check, first, 2000));
  press ("Tab", 1, 0);
  g_assert_true (wait_until (focus_in_check, second, 2000));
  press ("space", 1, 0);
  wait_widget_frames (GTK_WIDGET (window), 2);
  g_assert_true (gtk_check_button_get_active (second));
  press ("BackSpace", 1, 0);
  press ("ctrl+1", 1, 0);
  wait_widget_frames (GTK_WIDGET (window), 2);
  g_assert_true (gtk_check_button_get_active (first));
  press ("ctrl+2", 1, 0);
  wait_widget_frames (GTK_WIDGET (window), 2);
  g_assert_false (gtk_check_button_get_active (second));
  wait_ms (300);
  g_assert_true (case_is (case_id));

  /* n: the note; BackSpace edits it, nothing else */
  press ("n", 1, 0);
  wait_widget_frames (GTK_WIDGET (window), 2);
  g_assert_true (GTK_IS_TEXT (focus ()));
  press ("a b c BackSpace", 1, 0);
  wait_widget_frames (GTK_WIDGET (window), 2);
  g_assert_cmpstr (dl_verdict_panel_get_note (verdict_panel ()), ==, "ab");
  g_assert_true (case_is (case_id));
  dl_verdict_panel_clear_input (verdict_panel ());
}

/* F7 without a reason records nothing and says one is needed; with one
 * (Ctrl+5) it records the seizure with it. */
static void
test_seize_needs_reason (void)
{
  g_autofree char *case_id = NULL;
  g_autoptr(DlVerdict) v = NULL;
  guint before;

  if (!have_xdotool () || case_file () == NULL)
    return;
  wait_ready (NULL);
  case_id = g_strdup (shown_case ());
  before = n_verdicts ();
  press ("F7", 1, 0);
  g_assert_true (wait_until (label_shown, "needs at least one reason", 2000));
  shoot ("seize-needs-reason");
  wait_ms (200);
  g_assert_cmpuint (n_verdicts (), ==, before);
  press ("ctrl+5", 1, 0);
  press ("F7", 1, 0);
  g_assert_true (wait_until (has_n_verdicts, GUINT_TO_POINTER (before + 1), 5000));
  v = dl_case_file_get_verdict (case_file (), case_id, NULL);
  g_assert_nonnull (v);
  g_assert_cmpint (v->decision, ==, DL_DECISION_SEIZE);
  g_assert_cmpstr (v->reasons[0], ==, "concealment");
}

static GtkEditable *
comment_entry (void)
{
  GtkLabel *l = find_mapped_label (GTK_WIDGET (verdict_panel ()), "Not reviewed yet");
  GtkWidget *w;

  g_assert_nonnull (l);
  for (w = gtk_widget_get_next_sibling (GTK_WIDGET (l)); w && !GTK_IS_ENTRY (w); w = gtk_widget_get_next_sibling (w))
    ;
  g_assert_nonnull (w);
  return GTK_EDITABLE (w);
}

static DlReviewDecision
review_of (const char *case_id)
{
  g_autoptr(DlVerdict) v = dl_case_file_get_verdict (case_file (), case_id, NULL);
  g_autoptr(DlReview) r = v ? dl_case_file_get_review (case_file (), v->id, NULL) : NULL;

  return r ? r->decision : DL_REVIEW_NONE;
}

static gboolean
focus_is_text (gpointer data)
{
  return GTK_IS_TEXT (focus ());
}

/* A supervisor on a case decided by Anna: Ctrl+BackSpace in the comment
 * deletes a word and returns nothing; Ctrl+Return approves and goes on to
 * another case awaiting review; Ctrl+Shift+Return returns that one with
 * the comment. */
static void
test_review_keys (void)
{
  const char *a = case_ids[N_NEW];
  GtkWidget *sidebar = find_widget (GTK_WIDGET (window), DL_TYPE_CASE_SIDEBAR);
  g_autofree char *next = NULL;
  g_autoptr(DlVerdict) v = NULL;
  g_autoptr(DlReview) r = NULL;

  if (!have_xdotool () || case_file () == NULL)
    return;
  g_assert_nonnull (sidebar);
  dl_case_sidebar_select (DL_CASE_SIDEBAR (sidebar), a);
  wait_ready (a);

  press ("alt+3", 1, 0);
  g_assert_true (wait_until (focus_is_text, NULL, 2000));
  press ("l o o k s space f i n e", 1, 0);
  press ("ctrl+BackSpace", 1, 0);
  wait_widget_frames (GTK_WIDGET (window), 2);
  g_assert_cmpstr (gtk_editable_get_text (comment_entry ()), ==, "looks ");
  shoot ("review");
  wait_ms (200);
  g_assert_cmpint (review_of (a), ==, DL_REVIEW_NONE);

  press ("ctrl+Return", 1, 0);
  g_assert_true (wait_until (case_is_not, (gpointer) a, 5000));
  g_assert_cmpint (review_of (a), ==, DL_REVIEW_APPROVE);
  next = g_strdup (shown_case ());
  g_assert_true (g_strcmp0 (next, case_ids[N_NEW + 1]) == 0 || g_strcmp0 (next, case_ids[N_NEW + 2]) == 0);

  wait_ready (next);
  press ("alt+3", 1, 0);
  g_assert_true (wait_until (focus_is_text, NULL, 2000));
  press ("r e c h e c k", 1, 0);
  press ("ctrl+shift+Return", 1, 0);
  g_assert_true (wait_until (case_is_not, next, 5000));
  v = dl_case_file_get_verdict (case_file (), next, NULL);
  r = dl_case_file_get_review (case_file (), v->id, NULL);
  g_assert_nonnull (r);
  g_assert_cmpint (r->decision, ==, DL_REVIEW_RETURN);
  g_assert_cmpstr (r->comment, ==, "recheck");
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  window = gui_test_start_window ("decide", 1280, 800, &tmpdir);
  if (window == NULL)
    {
      g_test_skip ("no display");
      return g_test_run ();
    }

  g_test_add_func ("/decide/key-while-opening", test_key_while_opening);
  g_test_add_func ("/decide/bursts", test_bursts);
  g_test_add_func ("/decide/seen-recorded", test_seen_recorded);
  g_test_add_func ("/decide/keyboard-reasons", test_keyboard_reasons);
  g_test_add_func ("/decide/seize-needs-reason", test_seize_needs_reason);
  g_test_add_func ("/decide/review-keys", test_review_keys);

  ret = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  return ret;
}
