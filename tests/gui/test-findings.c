/* test-findings.c — a case whose scan has findings: they are listed on
 * the manifest page, a real j steps to one with the view zoomed onto its
 * box and its row selected, y confirms it in the case file, and h hides
 * and shows their drawing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "gui-test-util.h"
#include "../case-fixture.h"
#include "dl-findings-list.h"
#include "dl-manifest-panel.h"
#include "dl-scan-view.h"
#include "dl-synth.h"
#include "dl-window.h"

static DlWindow *window;
static char *tmpdir;
static char *case_path;
static char *case_id;

/* A case with a generated scene's scan (embedded) and its manifest. */
static void
make_case_file (const char *scene)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlIdentity) anna = fixture_person (tmpdir, "anna", "Anna Analyst");
  g_autoptr(DlSynthOutput) out = dl_synth_generate (scene, 1, FALSE, &error);
  g_autoptr(DlCaseFile) file = NULL;
  g_autofree char *base = NULL, *tif = NULL, *scan_id = NULL;

  g_assert_no_error (error);
  g_assert_true (dl_synth_write (out, tmpdir, &error));
  base = dl_synth_basename (out);
  tif = g_strdup_printf ("%s/%s.tif", tmpdir, base);
  case_path = g_build_filename (tmpdir, "findings.dlcase", NULL);
  file = dl_case_file_create (case_path, anna, &error);
  g_assert_no_error (error);
  case_id = dl_case_file_new_case (file, "MSKU9070323", &error);
  g_assert_no_error (error);
  scan_id = dl_case_file_add_scan (file, case_id, tif, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (dl_case_file_set_manifest (file, case_id, out->manifest, &error));
  g_assert_no_error (error);
  g_assert_true (dl_case_file_close (file, &error));
}

static GtkWidget *
find_of_type (GtkWidget *root,
              GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_of_type (c, type);
      if (found)
        return found;
    }
  return NULL;
}

static DlSessionFindings *
findings (void)
{
  return dl_session_get_findings (dl_window_get_session (window));
}

static gboolean
found (gpointer data)
{
  DlSession *s = dl_window_get_session (window);

  return dl_session_get_scan (s) != NULL && !dl_session_get_loading (s)
         && g_strcmp0 (dl_session_get_case_id (s), case_id) == 0
         && !dl_session_findings_get_running (findings ()) && dl_session_findings_get_n (findings ()) > 0;
}

static void
press (const char *key)
{
  g_autofree char *cmd = g_strdup_printf ("key %s", key);

  g_assert_true (spawn_xdotool (cmd));
}

static gboolean
current_is (gpointer data)
{
  return DL_IS_FINDINGS_LIST (data) && dl_findings_list_get_selected (data) != G_MAXUINT;
}

static gboolean
finding_response_stored (gpointer data)
{
  const char *id = data;
  g_autoptr(GPtrArray) stored = dl_case_file_get_findings (dl_session_get_case_file (dl_window_get_session (window)),
                                                           case_id, NULL);

  for (guint i = 0; stored && i < stored->len; i++)
    {
      DlCaseFinding *c = g_ptr_array_index (stored, i);

      if (g_str_equal (c->id, id))
        return c->response == DL_FINDING_RESPONSE_CONFIRMED;
    }
  return FALSE;
}

/* Pixels of @view in the current finding's soft orange (R 255, G 153,
 * B 89), or its red once confirmed (R 255, G 102, B 102). */
static guint
finding_pixels (GtkWidget *view)
{
  g_autoptr(GdkTexture) texture = render_widget (view);
  int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
  g_autofree guint8 *pixels = g_malloc ((gsize) w * h * 4);
  guint n = 0;

  gdk_texture_download (texture, pixels, w * 4);
  for (gsize i = 0; i < (gsize) w * h; i++)
    {
      const guint8 *px = pixels + i * 4;   /* B G R A */
      if (px[2] > 245 && ((abs (px[1] - 153) < 10 && abs (px[0] - 89) < 12)
                          || (abs (px[1] - 102) < 10 && abs (px[0] - 102) < 10)))
        n++;
    }
  return n;
}

static gboolean
findings_shown (gpointer view)
{
  return dl_scan_view_get_findings_shown (view);
}

static gboolean
findings_hidden (gpointer view)
{
  return !dl_scan_view_get_findings_shown (view);
}

static void
shoot (const char *name)
{
  g_autoptr(GdkTexture) texture = render_widget (GTK_WIDGET (window));
  g_autofree char *file = g_strdup_printf ("screenshot-findings-%s.png", name);
  g_autofree char *png = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), file, NULL);

  g_assert_true (gdk_texture_save_to_png (texture, png));
  g_test_message ("%s", png);
}

/* The index of the first finding with an outline, G_MAXUINT when none. */
static guint
first_with_outline (void)
{
  for (guint i = 0; i < dl_session_findings_get_n (findings ()); i++)
    if (dl_session_findings_get (findings (), i)->finding->outline)
      return i;
  return G_MAXUINT;
}

static void
test_step_confirm_toggle (void)
{
  g_autoptr(GError) error = NULL;
  DlSession *session = dl_window_get_session (window);
  DlViewState *state = dl_session_get_view_state (session);
  GtkWidget *panel, *view;
  DlFindingsList *list;
  const DlSessionFinding *f;
  g_autofree char *id = NULL;
  double box[4], rect[4];
  guint target, steps = 0, before;

  if (!have_xdotool ())
    return;
  make_case_file ("empty-concealment");
  gui_test_activate (GTK_WINDOW (window));
  g_assert_true (dl_window_open_case_file (window, case_path, &error));
  g_assert_no_error (error);

  /* the detectors run on the case's scan; the findings are listed */
  g_assert_true (wait_until (found, NULL, 60000));
  target = first_with_outline ();
  g_assert_cmpuint (target, !=, G_MAXUINT);
  panel = find_of_type (GTK_WIDGET (window), DL_TYPE_MANIFEST_PANEL);
  list = dl_manifest_panel_get_findings_list (DL_MANIFEST_PANEL (panel));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (list)));
  g_assert_cmpuint (dl_findings_list_get_selected (list), ==, G_MAXUINT);
  /* and stored in the case as they were found */
  g_assert_nonnull (dl_session_findings_get (findings (), target)->id);

  /* zoomed into a corner far away */
  view = dl_window_get_scan_view (window, 0);
  dl_view_state_set_fit (state, FALSE);
  dl_view_state_set_zoom (state, 4.0);
  dl_view_state_set_focus (state, 10, 10);
  wait_widget_frames (view, 2);
  f = dl_session_findings_get (findings (), target);
  g_assert_true (dl_finding_get_bounds (f->finding, box));
  dl_scan_view_get_visible_rect (DL_SCAN_VIEW (view), rect);
  g_assert_false (rect[0] <= box[0] && rect[2] >= box[2] && rect[1] <= box[1] && rect[3] >= box[3]);

  /* j steps until the finding with a box is current */
  while (dl_findings_list_get_selected (list) != target && steps++ <= dl_session_findings_get_n (findings ()))
    {
      press ("j");
      g_assert_true (wait_until (current_is, list, 5000));
    }
  g_assert_cmpuint (dl_findings_list_get_selected (list), ==, target);
  /* the manifest page shows, the finding's row on it */
  g_assert_true (wait_until (widget_is_mapped, list, 5000));
  wait_widget_frames (view, 2);
  dl_scan_view_get_visible_rect (DL_SCAN_VIEW (view), rect);
  g_test_message ("finding %.0f,%.0f–%.0f,%.0f; visible %.0f,%.0f–%.0f,%.0f", box[0], box[1], box[2], box[3],
                  rect[0], rect[1], rect[2], rect[3]);
  /* the box in view, in its middle, with room around it but filling much of it */
  g_assert_true (rect[0] <= box[0] && rect[2] >= box[2] && rect[1] <= box[1] && rect[3] >= box[3]);
  g_assert_cmpfloat (fabs ((rect[0] + rect[2]) / 2 - (box[0] + box[2]) / 2), <, (rect[2] - rect[0]) * 0.05 + 1);
  g_assert_true ((box[2] - box[0]) > 0.4 * (rect[2] - rect[0]) || (box[3] - box[1]) > 0.4 * (rect[3] - rect[1])
                 || dl_scan_view_get_effective_zoom (DL_SCAN_VIEW (view)) >= 2.0 - 1e-9);
  before = finding_pixels (view);
  g_test_message ("finding pixels: %u", before);
  g_assert_cmpuint (before, >, 40);
  shoot ("current");

  /* y confirms it: the case file holds the response */
  id = g_strdup (f->id);
  press ("y");
  g_assert_true (wait_until (finding_response_stored, id, 5000));
  g_assert_cmpint (dl_session_findings_get (findings (), target)->response, ==, DL_FINDING_RESPONSE_CONFIRMED);

  /* h hides the drawing, and h again shows it */
  g_assert_true (dl_scan_view_get_findings_shown (DL_SCAN_VIEW (view)));
  wait_widget_frames (view, 2);
  g_assert_cmpuint (finding_pixels (view), >, 40);
  press ("h");
  g_assert_true (wait_until (findings_hidden, view, 5000));
  press ("j");   /* stepping shows them again, on the current one */
  g_assert_true (wait_until (findings_shown, view, 5000));
  press ("h");
  g_assert_true (wait_until (findings_hidden, view, 5000));
  wait_widget_frames (view, 2);
  g_assert_cmpuint (finding_pixels (view), ==, 0);
  press ("h");
  g_assert_true (wait_until (findings_shown, view, 5000));
  wait_widget_frames (view, 2);
  g_assert_cmpuint (finding_pixels (view), >, 40);
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  window = gui_test_start_window ("findings", 1280, 800, &tmpdir);
  if (window == NULL)
    {
      g_test_skip ("no display");
      return g_test_run ();
    }
  g_setenv ("DOORLICHT_NO_PREFETCH", "1", TRUE);

  g_test_add_func ("/findings/step-confirm-toggle", test_step_confirm_toggle);

  ret = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  return ret;
}
