/* test-application.c — the real application as a user starts it: the
 * command line opens the file, the shortcuts window is attached, the app
 * actions exist, and it quits cleanly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "../tiff-fixture.h"
#include "dl-application.h"
#include "dl-window.h"

typedef struct
{
  GtkApplication *app;
  gboolean        had_scan;
  gboolean        had_help;
  gboolean        had_about;
  char           *title;
  guint           ticks;
} Probe;

static gboolean
probe (gpointer data)
{
  Probe *p = data;
  GtkWindow *window = gtk_application_get_active_window (p->app);

  if (window && DL_IS_WINDOW (window))
    {
      DlSession *s = dl_window_get_session (DL_WINDOW (window));

      if (dl_session_get_scan (s) && !dl_session_get_loading (s))
        {
          p->had_scan = TRUE;
          p->had_help = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)) != NULL;
          p->title = g_strdup (gtk_window_get_title (window));
          p->had_about = g_action_group_has_action (G_ACTION_GROUP (p->app), "about");
          g_action_group_activate_action (G_ACTION_GROUP (p->app), "quit", NULL);
          return G_SOURCE_REMOVE;
        }
    }

  if (++p->ticks > 500)   /* 10 s */
    {
      g_application_quit (G_APPLICATION (p->app));
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
test_start_open_quit (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dl-app-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "container.tif", NULL);
  g_autoptr(DlApplication) app = dl_application_new (G_APPLICATION_NON_UNIQUE);
  char *argv[] = { "doorlicht", path, NULL };
  Probe p = { GTK_APPLICATION (app) };
  int status;

  g_assert_true (fixture_write_tiff (path, 320, 200, 1));
  g_timeout_add (20, probe, &p);
  status = g_application_run (G_APPLICATION (app), 2, argv);

  g_assert_cmpint (status, ==, 0);
  g_assert_true (p.had_scan);
  g_assert_true (p.had_help);
  g_assert_cmpstr (p.title, ==, "container.tif");
  g_assert_true (p.had_about);
  g_free (p.title);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/application/start-open-quit", test_start_open_quit);
  return g_test_run ();
}
