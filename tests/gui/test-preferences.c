/* test-preferences.c — the preferences window under Xvfb against the
 * memory GSettings backend: a control changes its key, a key changes its
 * control, values survive closing and reopening the window, the folder
 * picker sets a folder; the view state and the application follow the
 * keys; each page is rendered to PNG in English and Dutch.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "gui-test-util.h"
#include "dl-application.h"
#include "dl-preferences-window.h"
#include "dl-settings.h"

static const char * const pages[] = { "appearance", "image", "files", "identity" };

static DlPreferencesWindow *
open_window (void)
{
  DlPreferencesWindow *window = dl_preferences_window_new (NULL);

  gtk_window_present (GTK_WINDOW (window));
  wait_widget_frames (GTK_WIDGET (window), 1);
  return window;
}

static void
close_window (DlPreferencesWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gpointer
child (DlPreferencesWindow *window,
       const char          *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (window), DL_TYPE_PREFERENCES_WINDOW, name);

  g_assert_nonnull (object);
  return object;
}

typedef struct
{
  GtkSwitch *sw;
  gboolean   was;
} Toggle;

static gboolean
toggled (gpointer data)
{
  Toggle *t = data;
  return gtk_switch_get_active (t->sw) != t->was;
}

/* As Enter, Space or a click does: the switch animates (on its page,
 * shown), then changes. */
static void
toggle_switch (GtkSwitch *sw)
{
  Toggle t = { sw, gtk_switch_get_active (sw) };
  GtkWidget *page = gtk_widget_get_ancestor (GTK_WIDGET (sw), ADW_TYPE_PREFERENCES_PAGE);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (sw));

  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (root), ADW_PREFERENCES_PAGE (page));
  wait_widget_frames (GTK_WIDGET (sw), 1);

  g_assert_true (gtk_widget_activate (GTK_WIDGET (sw)));
  g_assert_true (wait_until (toggled, &t, 5000));
}

static void
reset_all (void)
{
  GSettings *settings = dl_settings_get ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i]; i++)
    g_settings_reset (settings, keys[i]);
}

static void
test_defaults (void)
{
  GSettings *settings = dl_settings_get ();
  g_autofree char *style = NULL;
  g_autofree char *organic = NULL;
  g_autofree char *inorganic = NULL;
  g_autofree char *metal = NULL;
  g_autofree char *space = NULL;

  reset_all ();
  style = g_settings_get_string (settings, "style");
  organic = g_settings_get_string (settings, "organic-colour");
  inorganic = g_settings_get_string (settings, "inorganic-colour");
  metal = g_settings_get_string (settings, "metal-colour");
  g_assert_cmpstr (style, ==, "dark");
  g_assert_cmpstr (organic, ==, "#ff8c00");
  g_assert_cmpstr (inorganic, ==, "#28be3c");
  g_assert_cmpstr (metal, ==, "#286eff");
  g_assert_false (g_settings_get_boolean (settings, "remember-recent"));
  g_assert_true (g_settings_get_boolean (settings, "advance-after-verdict"));
  g_assert_cmpint (dl_settings_get_default_preset (), ==, DL_PRESET_AUTO);
  /* scans open in density, dense shown dark: the cargo shows at the first frame */
  space = g_settings_get_string (settings, "default-space");
  g_assert_cmpstr (space, ==, "density");
  g_assert_cmpint (dl_settings_get_default_space (), ==, DL_SPACE_DENSITY);
  g_assert_false (g_settings_get_boolean (settings, "dense-light"));
}

/* What the analyst does in the window reaches the keys. */
static void
test_widget_to_settings (void)
{
  GSettings *settings = dl_settings_get ();
  DlPreferencesWindow *window;
  g_autofree char *preset = NULL;
  g_autofree char *space = NULL;
  g_autofree char *name = NULL;
  g_autofree char *organic = NULL;
  g_autofree char *style = NULL;
  GdkRGBA rgba = { 0x12 / 255.0, 0x34 / 255.0, 0x56 / 255.0, 1.0 };

  reset_all ();
  window = open_window ();

  g_assert_true (gtk_switch_get_active (child (window, "advance_switch")));
  toggle_switch (child (window, "advance_switch"));
  g_assert_false (g_settings_get_boolean (settings, "advance-after-verdict"));

  toggle_switch (child (window, "remember_switch"));
  g_assert_true (g_settings_get_boolean (settings, "remember-recent"));

  adw_combo_row_set_selected (child (window, "preset_row"), 2);
  preset = g_settings_get_string (settings, "default-preset");
  g_assert_cmpstr (preset, ==, "high-penetration");

  /* density is the default and shown selected; both choices reach the key */
  g_assert_cmpuint (adw_combo_row_get_selected (child (window, "space_row")), ==, 1);
  adw_combo_row_set_selected (child (window, "space_row"), 0);
  space = g_settings_get_string (settings, "default-space");
  g_assert_cmpstr (space, ==, "transmission");
  g_assert_cmpint (dl_settings_get_default_space (), ==, DL_SPACE_VALUE);
  adw_combo_row_set_selected (child (window, "space_row"), 1);
  g_clear_pointer (&space, g_free);
  space = g_settings_get_string (settings, "default-space");
  g_assert_cmpstr (space, ==, "density");
  g_assert_cmpint (dl_settings_get_default_space (), ==, DL_SPACE_DENSITY);

  adw_combo_row_set_selected (child (window, "style_row"), 1);
  style = g_settings_get_string (settings, "style");
  g_assert_cmpstr (style, ==, "light");

  gtk_editable_set_text (child (window, "display_name_row"), "J. de Vries");
  name = g_settings_get_string (settings, "display-name");
  g_assert_cmpstr (name, ==, "J. de Vries");

  gtk_color_chooser_set_rgba (child (window, "organic_button"), &rgba);
  organic = g_settings_get_string (settings, "organic-colour");
  g_assert_cmpstr (organic, ==, "#123456");

  gtk_adjustment_set_value (child (window, "opacity_adjustment"), 0.45);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "overlay-opacity"), 0.45, 1e-9);

  /* the restore button puts the conventional colours back */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "prefs.reset-colours", NULL));
  g_clear_pointer (&organic, g_free);
  organic = g_settings_get_string (settings, "organic-colour");
  g_assert_cmpstr (organic, ==, "#ff8c00");

  close_window (window);
}

/* A key changed elsewhere (gsettings set, another window) shows at once. */
static void
test_settings_to_widget (void)
{
  GSettings *settings = dl_settings_get ();
  DlPreferencesWindow *window;
  GdkRGBA rgba;
  const char *home = _("Home folder");

  reset_all ();
  window = open_window ();

  g_assert_cmpuint (adw_combo_row_get_selected (child (window, "style_row")), ==, 0);
  g_settings_set_string (settings, "style", "system");
  g_assert_cmpuint (adw_combo_row_get_selected (child (window, "style_row")), ==, 2);

  g_settings_set_string (settings, "default-preset", "light-goods");
  g_assert_cmpuint (adw_combo_row_get_selected (child (window, "preset_row")), ==, 3);

  g_settings_set_boolean (settings, "advance-after-verdict", FALSE);
  g_assert_false (gtk_switch_get_active (child (window, "advance_switch")));

  g_settings_set_string (settings, "display-name", "A. Jansen");
  g_assert_cmpstr (gtk_editable_get_text (child (window, "display_name_row")), ==, "A. Jansen");

  g_settings_set_string (settings, "band-colour", "#00ff80");
  gtk_color_chooser_get_rgba (child (window, "band_button"), &rgba);
  g_assert_cmpfloat_with_epsilon (rgba.green, 1.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (rgba.blue, 128 / 255.0, 1e-6);

  g_settings_set_double (settings, "overlay-opacity", 0.3);
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (child (window, "opacity_adjustment")), 0.3, 1e-9);

  g_assert_cmpstr (adw_action_row_get_subtitle (child (window, "export_row")), ==, home);
  g_settings_set_string (settings, "export-folder", "/srv/douane/export");
  g_assert_cmpstr (adw_action_row_get_subtitle (child (window, "export_row")), ==, "/srv/douane/export");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "prefs.reset-folder", "s", "export-folder"));
  g_assert_cmpstr (adw_action_row_get_subtitle (child (window, "export_row")), ==, home);

  close_window (window);
}

/* Close and reopen: the controls show what was chosen. */
static void
test_round_trip (void)
{
  DlPreferencesWindow *window;
  GdkRGBA rgba = { 1.0, 0.0, 1.0, 1.0 }, back;

  reset_all ();
  window = open_window ();
  adw_combo_row_set_selected (child (window, "style_row"), 1);
  adw_combo_row_set_selected (child (window, "preset_row"), 1);
  adw_combo_row_set_selected (child (window, "space_row"), 1);
  gtk_adjustment_set_value (child (window, "opacity_adjustment"), 0.6);
  gtk_color_chooser_set_rgba (child (window, "metal_button"), &rgba);
  toggle_switch (child (window, "remember_switch"));
  toggle_switch (child (window, "advance_switch"));
  gtk_editable_set_text (child (window, "display_name_row"), "P. Bakker");
  close_window (window);

  window = open_window ();
  g_assert_cmpuint (adw_combo_row_get_selected (child (window, "style_row")), ==, 1);
  g_assert_cmpuint (adw_combo_row_get_selected (child (window, "preset_row")), ==, 1);
  g_assert_cmpuint (adw_combo_row_get_selected (child (window, "space_row")), ==, 1);
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (child (window, "opacity_adjustment")), 0.6, 1e-9);
  gtk_color_chooser_get_rgba (child (window, "metal_button"), &back);
  g_assert_true (gdk_rgba_equal (&rgba, &back));
  g_assert_true (gtk_switch_get_active (child (window, "remember_switch")));
  g_assert_false (gtk_switch_get_active (child (window, "advance_switch")));
  g_assert_cmpstr (gtk_editable_get_text (child (window, "display_name_row")), ==, "P. Bakker");
  close_window (window);
}

static gboolean
find_chooser (gpointer data)
{
  GtkWidget **out = data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER_DIALOG (w) && gtk_widget_get_visible (w))
        {
          *out = w;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
key_is (gpointer data)
{
  g_autofree char *value = g_settings_get_string (dl_settings_get (), "scans-folder");
  return g_strcmp0 (value, data) == 0;
}

/* "Choose…" opens a folder picker (GTK's own dialog without a portal);
 * accepting it stores the folder. */
static void
test_choose_folder (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dl-prefs-scans-XXXXXX", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GFile) chosen = NULL;
  DlPreferencesWindow *window;
  GtkWidget *dialog = NULL;

  reset_all ();
  window = open_window ();
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "files");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "prefs.choose-folder", "s", "scans-folder"));
  if (!wait_until (find_chooser, &dialog, 5000))
    {
      g_test_skip ("no GTK file chooser dialog appeared (a portal?)");
      close_window (window);
      return;
    }
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (dialog)), ==, GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER);
  wait_widget_frames (dialog, 2);
  chosen = gtk_file_chooser_get_current_folder (GTK_FILE_CHOOSER (dialog));
  g_test_message ("chooser starts in %s", chosen ? g_file_peek_path (chosen) : "(none)");

  g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, NULL));
  wait_widget_frames (dialog, 2);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_assert_true (wait_until (key_is, dir, 5000));
  g_assert_cmpstr (adw_action_row_get_subtitle (child (window, "scans_row")), ==, dir);
  close_window (window);
  g_rmdir (dir);
}

/* The scan views' state follows the overlay keys. */
static void
test_view_state_follows (void)
{
  GSettings *settings = dl_settings_get ();
  g_autoptr(DlViewState) state = dl_view_state_new ();
  g_autofree char *organic = NULL;
  g_autofree char *band = NULL;
  double opacity;
  DlOverlay overlay;

  reset_all ();
  g_settings_set_double (settings, "overlay-opacity", 0.55);
  dl_settings_bind_view_state (state);
  g_object_get (state, "material-opacity", &opacity, NULL);
  g_assert_cmpfloat_with_epsilon (opacity, 0.55, 1e-9);

  g_settings_set_string (settings, "organic-colour", "#aabbcc");
  g_settings_set_string (settings, "band-colour", "#010203");
  g_object_get (state, "organic-colour", &organic, "band-colour", &band, NULL);
  g_assert_cmpstr (organic, ==, "#aabbcc");
  g_assert_cmpstr (band, ==, "#010203");
  dl_view_state_get_overlay (state, &overlay);
  g_assert_cmpuint (overlay.class_rgb[DL_CLASS_ORGANIC][0], ==, 0xaa);
  dl_overlay_clear (&overlay);

  /* the panel may change the opacity without touching the preference */
  g_object_set (state, "material-opacity", 0.9, NULL);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "overlay-opacity"), 0.55, 1e-9);
}

/* Turning "remember recent" off forgets the list; while off nothing is kept. */
static void
test_recent_off_forgets (void)
{
  GSettings *settings = dl_settings_get ();
  g_auto(GStrv) recent = NULL;
  g_auto(GStrv) stored = NULL;

  reset_all ();
  dl_settings_add_recent ("/tmp/a.tif");
  recent = dl_settings_dup_recent ();
  g_assert_cmpuint (g_strv_length (recent), ==, 0);   /* off by default */
  g_clear_pointer (&recent, g_strfreev);

  g_settings_set_boolean (settings, "remember-recent", TRUE);
  dl_settings_add_recent ("/tmp/a.tif");
  dl_settings_add_recent ("/tmp/b.tif");
  recent = dl_settings_dup_recent ();
  g_assert_cmpuint (g_strv_length (recent), ==, 2);

  g_settings_set_boolean (settings, "remember-recent", FALSE);
  stored = g_settings_get_strv (settings, "recent-files");
  g_assert_cmpuint (g_strv_length (stored), ==, 0);
}

/* Display name: the preference, else the login; the identity signs with it. */
static void
test_identity (void)
{
  GSettings *settings = dl_settings_get ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DlIdentity) identity = NULL;
  g_autofree char *name = NULL;
  g_autofree char *joined = NULL;
  g_auto(GStrv) groups = NULL;
  DlPreferencesWindow *window;
  const char *shown;

  reset_all ();
  name = dl_settings_dup_display_name ();
  g_assert_cmpstr (name, ==, g_get_user_name ());

  g_settings_set_string (settings, "display-name", "  R. Smit ");
  identity = dl_settings_load_identity (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (dl_identity_get_display_name (identity), ==, "R. Smit");

  /* the window shows this key's fingerprint, in groups of four */
  window = open_window ();
  shown = adw_action_row_get_subtitle (child (window, "fingerprint_row"));
  groups = g_strsplit (shown, " ", -1);
  g_assert_cmpuint (g_strv_length (groups), ==, 16);
  joined = g_strjoinv ("", groups);
  g_assert_cmpstr (joined, ==, dl_identity_get_fingerprint (identity));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (child (window, "key_folder_row")), "identity"));
  close_window (window);
}

/* The application: dark by default, the style key applied, the action and
 * its accelerator. */
static void
test_application (void)
{
  GSettings *settings = dl_settings_get ();
  g_autoptr(DlApplication) app = NULL;
  g_auto(GStrv) accels = NULL;
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autoptr(GError) error = NULL;

  reset_all ();
  app = dl_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  g_settings_set_string (settings, "style", "light");
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_settings_set_string (settings, "style", "system");
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_DEFAULT);
  g_settings_set_string (settings, "style", "dark");
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_DARK);

  /* an old "dark-style" = false counts while "style" was never set */
  g_settings_reset (settings, "style");
  g_settings_set_boolean (settings, "dark-style", FALSE);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_settings_reset (settings, "dark-style");
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_DARK);

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "preferences"));
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.preferences");
  g_assert_cmpuint (g_strv_length (accels), ==, 1);
  g_assert_cmpstr (accels[0], ==, "<Control>comma");
}

static void
screenshot_pages (const char *lang)
{
  DlPreferencesWindow *window;

  reset_all ();
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  window = open_window ();
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *png = g_strdup_printf ("%s/preferences-%s-%s.png", g_getenv ("G_TEST_BUILDDIR"), pages[i], lang);
      g_autoptr(GdkTexture) texture = NULL;

      adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), pages[i]);
      g_assert_cmpstr (adw_preferences_window_get_visible_page_name (ADW_PREFERENCES_WINDOW (window)), ==, pages[i]);
      wait_ms (500);
      wait_widget_frames (GTK_WIDGET (window), 2);
      texture = render_widget (GTK_WIDGET (window));
      g_assert_cmpint (gdk_texture_get_width (texture), >=, 500);
      g_assert_true (gdk_texture_save_to_png (texture, png));
      g_test_message ("%s", png);
    }
  close_window (window);
}

static void
test_screenshots_en (void)
{
  screenshot_pages ("en");
}

/* In a child started with LANGUAGE=nl: GLib decides once per process
 * whether library strings (the preset names) are translated. */
static void
test_screenshots_nl (void)
{
  if (g_test_subprocess ())
    {
      if (g_str_equal (_("Preferences"), "Preferences"))
        g_test_message ("no Dutch catalogue for the preferences yet (po/pending-preferences.json)");
      screenshot_pages ("nl");
      return;
    }
  g_setenv ("LANGUAGE", "nl", TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, 0);
  g_unsetenv ("LANGUAGE");
  g_test_trap_assert_passed ();
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir)
    {
      while ((name = g_dir_read_name (dir)))
        {
          g_autofree char *sub = g_build_filename (path, name, NULL);
          remove_tree (sub);
        }
      g_dir_close (dir);
    }
  g_remove (path);
}

int
main (int argc, char **argv)
{
  g_autofree char *tmpdir = NULL;
  g_autofree char *data = NULL;
  g_autofree char *config = NULL;
  int ret;

  setlocale (LC_ALL, "");
  /* DOORLICHT_LOCALEDIR: translations elsewhere than this build's */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("DOORLICHT_LOCALEDIR") ? g_getenv ("DOORLICHT_LOCALEDIR")
                                                                    : DL_BUILD_ROOT "/po");
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);
  /* the identity's key pair and the presets go here, not to $HOME (not
   * G_TEST_OPTION_ISOLATE_DIRS: it hides the system's icons and MIME data) */
  tmpdir = g_dir_make_tmp ("dl-prefs-XXXXXX", NULL);
  data = g_build_filename (tmpdir, "data", NULL);
  config = g_build_filename (tmpdir, "config", NULL);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return g_test_run ();
    }
  adw_init ();
  if (dl_settings_get () == NULL)
    {
      g_test_skip ("no GSettings schema (GSETTINGS_SCHEMA_DIR)");
      return g_test_run ();
    }

  g_test_add_func ("/preferences/defaults", test_defaults);
  g_test_add_func ("/preferences/widget-to-settings", test_widget_to_settings);
  g_test_add_func ("/preferences/settings-to-widget", test_settings_to_widget);
  g_test_add_func ("/preferences/round-trip", test_round_trip);
  g_test_add_func ("/preferences/choose-folder", test_choose_folder);
  g_test_add_func ("/preferences/view-state-follows", test_view_state_follows);
  g_test_add_func ("/preferences/recent-off-forgets", test_recent_off_forgets);
  g_test_add_func ("/preferences/identity", test_identity);
  g_test_add_func ("/preferences/application", test_application);
  g_test_add_func ("/preferences/screenshots-en", test_screenshots_en);
  g_test_add_func ("/preferences/screenshots-nl", test_screenshots_nl);

  ret = g_test_run ();
  remove_tree (tmpdir);
  return ret;
}
