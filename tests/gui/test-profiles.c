/* test-profiles.c — the real window under Xvfb: a scan no scanner profile
 * is for gets a banner with "Choose Profile…"; the profile chosen there is
 * used at once (the banner goes, the Image page names it, the classes are
 * made with its calibration) and remembered for the scanner, so its next
 * scan is not asked for again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "gui-test-util.h"
#include "../tiff-fixture.h"
#include "dl-material.h"
#include "dl-profile-dialog.h"
#include "dl-window.h"

#define W 400
#define H 200

static DlWindow *window;
static char *tmpdir;

static gboolean
scan_is (gpointer data)
{
  DlSession *s = dl_window_get_session (window);
  const char *path = dl_session_get_path (s);

  return path && g_str_has_suffix (path, data) && !dl_session_get_loading (s);
}

static gboolean
label_shown (gpointer data)
{
  return find_label_containing (GTK_WIDGET (window), data) != NULL;
}

/* The shown button below @widget whose action is @action. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *action)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_is_visible (widget)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, action);

      if (found)
        return found;
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  GListModel *tops = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (tops, i);

      if (DL_IS_PROFILE_DIALOG (w) && gtk_widget_get_mapped (GTK_WIDGET (w)))
        {
          *(DlProfileDialog **) data = DL_PROFILE_DIALOG (w);
          return TRUE;
        }
    }
  return FALSE;
}

static void
open_scan (const char *name)
{
  g_autofree char *path = g_build_filename (tmpdir, "lane", name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  g_assert_true (fixture_write_tiff (path, W, H, 2));
  dl_window_open_files (window, &file, 1);
  g_assert_true (wait_until (scan_is, (gpointer) name, 20000));
}

/* The classes of the scan shown are those of @profile's calibration, not
 * the generator's (which differ on this scan). */
static void
assert_classes_of (DlProfile *profile)
{
  DlScan *scan = dl_session_get_scan (dl_window_get_session (window));
  g_autoptr(GPtrArray) expected = dl_material_classify_scan_with (scan, profile->calibration);
  g_autoptr(GPtrArray) generator = dl_material_classify_scan_with (scan, dl_calibration_get_default ());
  DlPlane *high, *low;

  g_assert_true (dl_scan_get_energy_pair (scan, 0, &high, &low));
  g_assert_nonnull (dl_scan_get_classes (scan, 0));
  g_assert_cmpmem (dl_scan_get_classes (scan, 0), high->width * high->height,
                   g_ptr_array_index (expected, 0), high->width * high->height);
  g_assert_true (memcmp (g_ptr_array_index (generator, 0), g_ptr_array_index (expected, 0), high->width * high->height) != 0);
}

static void assert_display (double      low,
                            double      high,
                            const char *colormap);

static void
test_choose_from_banner (void)
{
  DlSession *session = dl_window_get_session (window);
  g_autofree char *choices = g_build_filename (tmpdir, "choices.ini", NULL);
  g_autofree char *saved = NULL;
  DlProfileDialog *dialog = NULL;
  DlProfileMatch how;
  DlProfile *profile;
  GtkWidget *button;

  open_scan ("first.tif");
  g_assert_null (dl_session_get_profile (session, NULL));
  g_assert_true (wait_until (label_shown, "No scanner profile is for this scan", 5000));
  button = find_button (GTK_WIDGET (window), "win.choose-profile");
  g_assert_nonnull (button);
  gtk_widget_activate (button);
  g_assert_true (wait_until (dialog_shown, &dialog, 5000));
  /* both profiles listed, none ticked: nothing to choose yet */
  g_assert_null (dl_profile_dialog_get_profile_id (dialog));
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "choose"));
  g_assert_false (dl_profile_dialog_select (dialog, "no-such-profile"));
  g_assert_true (dl_profile_dialog_select (dialog, "synthetic-6-4MeV"));
  g_assert_true (dl_profile_dialog_select (dialog, "synthetic-9-6MeV"));
  g_assert_cmpstr (dl_profile_dialog_get_profile_id (dialog), ==, "synthetic-9-6MeV");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "choose"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "choose");

  profile = dl_session_get_profile (session, &how);
  g_assert_nonnull (profile);
  g_assert_cmpstr (profile->id, ==, "synthetic-9-6MeV");
  g_assert_cmpint (how, ==, DL_PROFILE_MATCH_REMEMBERED);
  g_assert_true (wait_until (label_shown, "Scanner profile: Doorlicht generator, test chain", 5000));
  g_assert_null (find_label_containing (GTK_WIDGET (window), "No scanner profile is for this scan"));
  g_assert_null (find_button (GTK_WIDGET (window), "win.choose-profile"));
  assert_classes_of (profile);
  g_assert_true (g_file_get_contents (choices, &saved, NULL, NULL));
  g_assert_nonnull (strstr (saved, "profile=synthetic-9-6MeV"));

  /* the next scan of that scanner (here: its folder) is not asked for,
   * and opens with the profile's [display] window and colour map */
  open_scan ("second.tif");
  profile = dl_session_get_profile (session, &how);
  g_assert_nonnull (profile);
  g_assert_cmpstr (profile->id, ==, "synthetic-9-6MeV");
  g_assert_cmpint (how, ==, DL_PROFILE_MATCH_REMEMBERED);
  g_assert_null (find_label_containing (GTK_WIDGET (window), "No scanner profile is for this scan"));
  assert_classes_of (profile);
  assert_display (2000, 50000, "viridis");
}

/* The window of the scan shown is stored values @low … @high (in density,
 * as the view is), its colour map @colormap. */
static void
assert_display (double      low,
                double      high,
                const char *colormap)
{
  DlSession *session = dl_window_get_session (window);
  DlPlane *plane = dl_scan_get_plane_at (dl_session_get_scan (session), 0);
  double i0 = dl_plane_get_i0 (plane);
  g_autofree char *shown = NULL;
  DlWindowing w;

  dl_view_state_get_windowing (dl_session_get_view_state (session), &w);
  g_assert_cmpint (w.space, ==, DL_SPACE_DENSITY);
  g_assert_cmpfloat_with_epsilon (w.center - w.width / 2, dl_density (high, i0), 1e-9);
  g_assert_cmpfloat_with_epsilon (w.center + w.width / 2, dl_density (low, i0), 1e-9);
  g_object_get (dl_session_get_view_state (session), "colormap", &shown, NULL);
  g_assert_cmpstr (shown, ==, colormap);
}

/* A colour map the user picks stays on the next scan of the profile; a
 * scan shown before keeps the window it was left with. */
static void
test_user_choice_stays (void)
{
  DlSession *session = dl_window_get_session (window);
  DlViewState *state = dl_session_get_view_state (session);
  DlWindowing before, after;

  g_object_set (state, "colormap", "turbo", NULL);
  dl_view_state_set_window (state, 1.5, 0.5);
  dl_view_state_get_windowing (state, &before);
  open_scan ("third.tif");
  g_assert_cmpstr (dl_session_get_profile (session, NULL)->id, ==, "synthetic-9-6MeV");
  assert_display (2000, 50000, "turbo");
  open_scan ("second.tif");
  dl_view_state_get_windowing (state, &after);
  g_assert_cmpfloat (after.center, ==, before.center);
  g_assert_cmpfloat (after.width, ==, before.width);
}

/* A profile unknown to the workstation is refused, and nothing remembered. */
static void
test_unknown_refused (void)
{
  DlSession *session = dl_window_get_session (window);
  g_autoptr(GError) error = NULL;
  DlProfile *before = dl_session_get_profile (session, NULL);

  g_assert_false (dl_session_remember_profile (session, "no-such-profile", &error));
  g_assert_error (error, DL_PROFILE_ERROR, DL_PROFILE_ERROR_UNKNOWN);
  g_assert_nonnull (strstr (error->message, "no-such-profile"));
  g_assert_true (dl_session_get_profile (session, NULL) == before);
}

/* @text with its one @from replaced by @to. */
static char *
replace (const char *text,
         const char *from,
         const char *to)
{
  const char *at = strstr (text, from);

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, to, at + strlen (from));
}

int
main (int argc, char **argv)
{
  g_autofree char *home = NULL, *profiles = NULL, *lane = NULL, *choices = NULL, *source = NULL, *text = NULL, *copy = NULL, *display = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  /* the profiles and the choices of this test only, set before they are read */
  tmpdir = g_dir_make_tmp ("dl-gui-profiles-XXXXXX", NULL);
  profiles = g_build_filename (tmpdir, "profiles", NULL);
  lane = g_build_filename (tmpdir, "lane", NULL);
  choices = g_build_filename (tmpdir, "choices.ini", NULL);
  source = g_test_build_filename (G_TEST_DIST, "data", "synthetic-9-6MeV.ini", NULL);
  copy = g_build_filename (profiles, "synthetic-9-6MeV.ini", NULL);
  g_assert_cmpint (g_mkdir_with_parents (profiles, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (lane, 0700), ==, 0);
  g_assert_true (g_file_get_contents (source, &text, NULL, NULL));
  display = replace (text, "[display]\npreset=auto", "[display]\nwindow=2000;50000\ncolormap=viridis");
  g_assert_true (g_file_set_contents (copy, display, -1, NULL));
  g_setenv ("DOORLICHT_PROFILE_PATH", profiles, TRUE);
  g_setenv ("DOORLICHT_PROFILE_CHOICES", choices, TRUE);

  window = gui_test_start_window ("profiles", 1280, 700, &home);
  if (window == NULL)
    {
      g_test_skip ("no display");
      return g_test_run ();
    }
  g_test_add_func ("/profiles/choose-from-banner", test_choose_from_banner);
  g_test_add_func ("/profiles/user-choice-stays", test_user_choice_stays);
  g_test_add_func ("/profiles/unknown-refused", test_unknown_refused);
  ret = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  return ret;
}
