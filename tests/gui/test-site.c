/* test-site.c — the real window on a site store (postgresql://…) under
 * Xvfb, on the throwaway PostgreSQL cluster of the site tests (skipped
 * without one: build-aux/check starts it for this suite too).
 *
 * - the site's cases listed in the queue, the first waiting one opened
 *   from its working copy, and held for the window's login;
 * - another process (doorlicht-cli as another analyst) records a verdict:
 *   the window's queue shows it within seconds, by notification;
 * - a verdict recorded in the window reaches the site, with its author;
 * - the server out of reach for the window's login (its connection cut,
 *   new ones refused): the verdict is kept, a banner says so, and once the
 *   server takes the login again the verdict is recorded and the banner
 *   goes;
 * - a scan written into the workstation's intake folder (the setting) is
 *   queued by the window's intake thread and listed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "gui-test-util.h"
#include "../tiff-fixture.h"
#include "../site/site-people.h"
#include "dl-case-queue.h"
#include "dl-case-sidebar.h"
#include "dl-manifest.h"
#include "dl-window.h"

#define N_CASES 3

static DlWindow *window;
static char *tmpdir, *ana, *ana2, *uri, *other_home;
static char *case_ids[N_CASES];
static char *first, *other, *second;   /* shown first; decided elsewhere; shown next */

static void
make_site (void)
{
  g_autoptr(DlSite) site = NULL;
  g_autoptr(GError) error = NULL;

  site_people_grant (ana, DL_SITE_ROLE_ANALYST);
  site_people_grant (ana2, DL_SITE_ROLE_ANALYST);
  site = site_people_open (ana2);
  for (guint i = 0; i < N_CASES; i++)
    {
      g_autofree char *scan = g_strdup_printf ("%s/site-scan%u.tif", tmpdir, i + 1);
      g_autofree char *ten = g_strdup_printf ("DLSU%06u", 700 + i);
      g_autofree char *number = g_strdup_printf ("%s%d", ten, dl_iso6346_check_digit (ten));
      g_autoptr(DlManifest) m = dl_manifest_new ();

      m->message_id = g_strdup ("DL-SITE-TEST");
      m->transport_mode = g_strdup ("sea");
      dl_manifest_add_container (m, number, "22G1", TRUE);
      dl_manifest_add_goods (m, number, "940360", "Wooden furniture", 12, "PK", 480.0);
      g_assert_true (fixture_write_tiff (scan, 300 + 10 * i, 100, 1));
      case_ids[i] = dl_site_add_case (site, NULL, number, scan, m, NULL, &error);
      g_assert_no_error (error);
    }
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_type (c, type);

      if (found)
        return found;
    }
  return NULL;
}

/* The queue the window's sidebar shows. */
static DlCaseQueue *
queue (void)
{
  GtkWidget *sidebar = find_type (GTK_WIDGET (window), DL_TYPE_CASE_SIDEBAR);

  g_assert_nonnull (sidebar);
  return dl_case_sidebar_get_queue (DL_CASE_SIDEBAR (sidebar));
}

static DlCaseState
listed_state (const char *case_id)
{
  DlCaseQueue *q = queue ();
  int at = q ? dl_case_queue_find (q, case_id) : -1;
  g_autoptr(DlCaseItem) item = at >= 0 ? g_list_model_get_item (G_LIST_MODEL (q), at) : NULL;

  return item ? dl_case_item_get_summary (item)->state : (DlCaseState) -1;
}

static gboolean
all_listed (gpointer data)
{
  DlCaseQueue *q = queue ();

  return q && g_list_model_get_n_items (G_LIST_MODEL (q)) == N_CASES;
}

static gboolean
case_ready (gpointer data)
{
  DlSession *s = dl_window_get_session (window);

  return dl_session_get_scan (s) != NULL && !dl_session_get_loading (s) && dl_session_get_case_id (s) != NULL
         && (data == NULL || g_strcmp0 (dl_session_get_case_id (s), data) == 0)
         && dl_session_get_check_summary (s) != NULL;
}

static gboolean
awaits_review (gpointer data)
{
  return listed_state (data) == DL_CASE_STATE_AWAITING_REVIEW;
}

static void
test_queue (void)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *held = NULL;

  if (!site_fixture_have_cluster () || window == NULL)
    return;
  make_site ();
  file = g_file_new_for_commandline_arg (uri);
  dl_window_open_files (window, &file, 1);
  g_assert_true (wait_until (all_listed, NULL, 10000));
  for (guint i = 0; i < N_CASES; i++)
    g_assert_cmpint (listed_state (case_ids[i]), ==, DL_CASE_STATE_NEW);
  /* the first waiting case shown, from its working copy, and held */
  if (!wait_until (case_ready, NULL, 20000))
    g_error ("no case shown: %s (case %s, scan %p, loading %d)", dl_window_get_status (window),
             dl_session_get_case_id (dl_window_get_session (window)),
             (void *) dl_session_get_scan (dl_window_get_session (window)),
             dl_session_get_loading (dl_window_get_session (window)));
  first = g_strdup (dl_session_get_case_id (dl_window_get_session (window)));
  g_assert_true (g_strv_contains ((const char * const *) case_ids, first));
  held = site_fixture_value ("SELECT claimed_by FROM doorlicht.queue WHERE case_id = $1", first);
  g_assert_cmpstr (held, ==, ana);
  /* the others: one for another workstation, one for this one */
  for (guint i = 0; i < N_CASES; i++)
    if (g_strcmp0 (case_ids[i], first) != 0 && other == NULL)
      other = g_strdup (case_ids[i]);
    else if (g_strcmp0 (case_ids[i], first) != 0)
      second = g_strdup (case_ids[i]);
}

/* Another process's verdict shows in the queue, without asking. */
static void
test_other_verdict (void)
{
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { "case", "verdict", uri, other, "inspect", NULL };
  g_autofree char *other_uri = NULL;
  gint64 start;

  if (!site_fixture_have_cluster () || window == NULL)
    return;
  other_uri = site_fixture_uri (ana2, NULL, site_fixture.dbname);
  args[2] = other_uri;
  g_assert_cmpint (site_fixture_run_cli (other_home, args, &out, &err), ==, 0);
  start = g_get_monotonic_time ();
  g_assert_true (wait_until (awaits_review, other, 10000));
  g_test_message ("another workstation's verdict listed after %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
}

/* The working copies under $XDG_CACHE_HOME/doorlicht/site/KEY/. */
static guint
n_copies (void)
{
  g_autofree char *root = g_build_filename (g_get_user_cache_dir (), "doorlicht", "site", NULL);
  g_autoptr(GDir) sites = g_dir_open (root, 0, NULL);
  const char *key;
  guint n = 0;

  while (sites && (key = g_dir_read_name (sites)) != NULL)
    {
      g_autofree char *folder = g_build_filename (root, key, NULL);
      g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
      const char *name;

      while (dir && (name = g_dir_read_name (dir)) != NULL)
        n += g_str_has_suffix (name, ".dlcase");
    }
  return n;
}

/* A verdict recorded in the window reaches the site. */
static void
test_verdict_sent (void)
{
  g_autofree char *author = NULL;

  if (!site_fixture_have_cluster () || window == NULL)
    return;
  g_assert_true (wait_until (case_ready, first, 20000));
  wait_widget_frames (GTK_WIDGET (window), 3);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.verdict", "s", "clear");
  g_assert_true (wait_until (awaits_review, first, 10000));
  author = site_fixture_value ("SELECT author_login FROM doorlicht.verdicts WHERE case_id = $1", first);
  g_assert_cmpstr (author, ==, ana);
}

static gboolean
banner_shown (gpointer data)
{
  GtkLabel *label = find_label_containing (GTK_WIDGET (window), "cannot be reached");

  return (label != NULL && gtk_widget_get_visible (GTK_WIDGET (label))) == GPOINTER_TO_INT (data);
}

static gboolean
site_has_verdict (gpointer data)
{
  g_autofree char *n = site_fixture_value ("SELECT count(*) FROM doorlicht.verdicts WHERE case_id = $1", data);

  return g_strcmp0 (n, "1") == 0;
}

/* The server away for the window's login: the verdict kept and said,
 * recorded once the login is taken again. */
static void
test_server_away (void)
{
  g_autofree char *nologin = NULL, *login = NULL, *cut = NULL;

  if (!site_fixture_have_cluster () || window == NULL)
    return;
  /* on to the one case still waiting; the copy of the case left is gone */
  g_assert_true (wait_until (case_ready, second, 20000));
  g_assert_cmpuint (n_copies (), ==, 1);
  wait_widget_frames (GTK_WIDGET (window), 3);
  nologin = g_strdup_printf ("ALTER ROLE %s NOLOGIN", ana);
  login = g_strdup_printf ("ALTER ROLE %s LOGIN", ana);
  cut = g_strdup_printf ("SELECT pg_terminate_backend (pid) FROM pg_stat_activity WHERE usename = '%s'", ana);
  site_fixture_sql (nologin);
  site_fixture_sql (cut);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-reason", "i", 5);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.verdict", "s", "seize");
  g_assert_true (wait_until (banner_shown, GINT_TO_POINTER (TRUE), 10000));
  g_assert_false (site_has_verdict (second));
  site_fixture_sql (login);
  g_assert_true (wait_until (site_has_verdict, second, 15000));
  g_assert_true (wait_until (banner_shown, GINT_TO_POINTER (FALSE), 10000));
  {
    g_autofree char *decision = site_fixture_value ("SELECT decision FROM doorlicht.verdicts WHERE case_id = $1", second);
    g_assert_cmpstr (decision, ==, "seize");
  }
}

static gboolean
n_listed (gpointer data)
{
  DlCaseQueue *q = queue ();

  return q && g_list_model_get_n_items (G_LIST_MODEL (q)) == GPOINTER_TO_UINT (data);
}

/* A site workstation's intake folder (the setting): a scan a scanner
 * writes there is queued by the window's intake and listed. */
static void
test_intake (void)
{
  g_autofree char *part = NULL, *scan = NULL, *title = NULL;

  if (!site_fixture_have_cluster () || window == NULL)
    return;
  part = g_build_filename (tmpdir, "intake", "DLSU7777770.tif.part", NULL);
  scan = g_build_filename (tmpdir, "intake", "DLSU7777770.tif", NULL);
  g_assert_true (fixture_write_tiff (part, 280, 90, 1));
  g_assert_cmpint (g_rename (part, scan), ==, 0);
  g_assert_true (wait_until (n_listed, GUINT_TO_POINTER (N_CASES + 1), 30000));
  title = site_fixture_value ("SELECT title FROM doorlicht.cases WHERE title LIKE $1", "%7777770%");
  g_assert_nonnull (title);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  site_fixture_setup ("gui_test_site");
  if (site_fixture.host)
    {
      g_autofree char *cache = g_dir_make_tmp ("dl-gui-site-cache-XXXXXX", NULL);

      ana = site_fixture_name ("gana");
      ana2 = site_fixture_name ("gana2");
      uri = site_fixture_uri (ana, NULL, site_fixture.dbname);

      /* the working copies, before GLib caches the folder */
      g_setenv ("XDG_CACHE_HOME", cache, TRUE);
      window = gui_test_start_window ("site", 1280, 800, &tmpdir);
      other_home = g_build_filename (tmpdir, "other", NULL);
      if (window)
        {
          g_autoptr(GSettings) settings = g_settings_new ("nl.doorlicht.Doorlicht");
          g_autofree char *intake = g_build_filename (tmpdir, "intake", NULL);
          const char *folders[] = { intake, NULL };

          g_assert_cmpint (g_mkdir (intake, 0700), ==, 0);
          g_settings_set_strv (settings, "site-intake-folders", folders);
          g_settings_set_uint (settings, "site-intake-settle", 1);
        }
    }
  g_test_add_func ("/site/queue", test_queue);
  g_test_add_func ("/site/other-verdict", test_other_verdict);
  g_test_add_func ("/site/verdict-sent", test_verdict_sent);
  g_test_add_func ("/site/server-away", test_server_away);
  g_test_add_func ("/site/intake", test_intake);
  status = g_test_run ();
  if (window)
    gtk_window_destroy (GTK_WINDOW (window));
  site_fixture_teardown ();
  return status;
}
