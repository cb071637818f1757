/* test-narrow.c — a narrow window (1 024 × 700): the scan in zoom-to-fit
 * re-fits when the queue is hidden, and the status line tells the zoom
 * the view really draws at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <math.h>
#include <string.h>

#include "gui-test-util.h"
#include "../tiff-fixture.h"
#include "dl-case-file.h"
#include "dl-identity.h"
#include "dl-scan-view.h"
#include "dl-window.h"

static DlWindow *window;
static char *tmpdir;

static gboolean
scan_shown (gpointer data)
{
  DlSession *s = dl_window_get_session (window);
  return dl_session_get_scan (s) != NULL && !dl_session_get_loading (s)
         && dl_session_get_case_id (s) != NULL && dl_window_get_scan_view (window, 0) != NULL;
}

static char *
make_case_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlIdentity) me = dl_identity_load_default ("Anna Analyst", &error);
  g_autoptr(DlCaseFile) file = NULL;
  char *path = g_build_filename (tmpdir, "narrow.dlcase", NULL);

  g_assert_no_error (error);
  file = dl_case_file_create (path, me, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *scan = g_strdup_printf ("%s/scan%u.tif", tmpdir, i + 1);
      g_autofree char *title = g_strdup_printf ("Case %u", i + 1);
      g_autofree char *id = NULL;
      g_autofree char *scan_id = NULL;

      /* a long scan, as containers are: its fit follows the view's width */
      g_assert_true (fixture_write_tiff (scan, 1600, 300, 2));
      id = dl_case_file_new_case (file, title, &error);
      g_assert_no_error (error);
      scan_id = dl_case_file_add_scan (file, id, scan, TRUE, &error);
      g_assert_no_error (error);
    }
  g_assert_true (dl_case_file_close (file, &error));
  return path;
}

/* The percentage in "…, zoom 42 %, …" of the status line, -1 without one. */
static int
status_zoom (void)
{
  const char *status = dl_window_get_status (window);
  const char *z = status ? strstr (status, "zoom ") : NULL;

  return z ? atoi (z + 5) : -1;
}

typedef struct
{
  GtkWidget *view;
  int        width;
} WidthWatch;

static gboolean
view_widened (gpointer data)
{
  WidthWatch *w = data;
  return gtk_widget_get_width (w->view) > w->width + 100;
}

static gboolean
status_matches_view (gpointer data)
{
  double zoom = dl_scan_view_get_effective_zoom (data);
  return status_zoom () == (int) round (zoom * 100);
}

static void
test_narrow_refit (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = make_case_file ();
  DlSession *session = dl_window_get_session (window);
  DlViewState *state = dl_session_get_view_state (session);
  GtkWidget *view;
  WidthWatch watch;
  double before, after;

  if (g_find_program_in_path ("xdotool") == NULL
      || !GDK_IS_X11_SURFACE (gtk_native_get_surface (GTK_NATIVE (window))))
    {
      g_test_skip ("needs xdotool and the X11 backend (Xvfb)");
      return;
    }

  g_assert_true (dl_window_open_case_file (window, path, &error));
  g_assert_no_error (error);
  g_assert_true (wait_until (scan_shown, NULL, 10000));
  view = dl_window_get_scan_view (window, 0);
  wait_widget_frames (view, 2);

  /* zoom to fit, the queue shown: the status tells the view's zoom */
  g_assert_true (dl_view_state_get_fit (state));
  before = dl_scan_view_get_effective_zoom (DL_SCAN_VIEW (view));
  g_test_message ("queue shown: view %d px wide, zoom %.3f, status: %s", gtk_widget_get_width (view),
                  before, dl_window_get_status (window));
  g_assert_cmpfloat_with_epsilon (before * 1600, gtk_widget_get_width (view), 1.0);
  g_assert_true (wait_until (status_matches_view, view, 5000));

  /* F9 hides the queue: the scan gets the width and re-fits to it */
  watch.view = view;
  watch.width = gtk_widget_get_width (view);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (spawn_xdotool ("key --clearmodifiers F9"));
  g_assert_true (wait_until (view_widened, &watch, 5000));
  wait_widget_frames (view, 3);
  after = dl_scan_view_get_effective_zoom (DL_SCAN_VIEW (view));
  g_test_message ("queue hidden: view %d px wide, zoom %.3f, status: %s", gtk_widget_get_width (view),
                  after, dl_window_get_status (window));
  g_assert_true (dl_view_state_get_fit (state));
  g_assert_cmpfloat (after, >, before * 1.1);
  g_assert_cmpfloat_with_epsilon (after * 1600, gtk_widget_get_width (view), 1.0);
  g_assert_cmpfloat_with_epsilon (dl_view_state_get_zoom (state), after, 1e-9);
  g_assert_true (wait_until (status_matches_view, view, 5000));
}

int
main (int argc, char **argv)
{
  g_autofree char *config = NULL;
  g_autofree char *data = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("dl-gui-narrow-XXXXXX", NULL);
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

  window = dl_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
  gtk_window_present (GTK_WINDOW (window));

  g_test_add_func ("/narrow/refit-when-queue-hidden", test_narrow_refit);

  ret = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  return ret;
}
