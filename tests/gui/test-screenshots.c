/* test-screenshots.c — the main window in English and in Dutch, compared
 * with the reference screenshots in data/screenshots/ (which the AppStream
 * metainfo shows): the scan with its window, the manifest beside it with
 * what the scan shows, and the case queue with the verdict page.
 *
 * A pixel counts as different when a channel differs by more than
 * CHANNEL_TOLERANCE; a screenshot passes with at most MAX_DIFFERENT_SHARE
 * of its pixels different.  On failure the new image and a difference
 * image are left in the build folder.  DL_UPDATE_SCREENSHOTS=1 (as
 * build-aux/update-screenshots does) writes the references instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "gui-test-util.h"
#include "dl-case-file.h"
#include "dl-synth.h"
#include "dl-thumbnail-loader.h"
#include "dl-window.h"

#define WIDTH  1280
#define HEIGHT 800
#define CHANNEL_TOLERANCE   40
#define MAX_DIFFERENT_SHARE 0.004

static char *tmpdir;

static const char *
language (void)
{
  const char *lang = g_getenv ("LANGUAGE");

  return lang && g_str_has_prefix (lang, "nl") ? "nl" : "en";
}

static char *
reference_path (const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s-%s.png", name, language ());

  return g_build_filename (DL_SOURCE_ROOT, "data", "screenshots", file, NULL);
}

static guchar *
pixels_of (GdkTexture *texture)
{
  int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
  guchar *data = g_malloc ((gsize) w * h * 4);

  gdk_texture_download (texture, data, (gsize) w * 4);
  return data;
}

/* Compares @shot with the reference @name; writes the shot (and where
 * they differ) into the build folder for a person to look at. */
static void
compare_with_reference (GdkTexture *shot,
                        const char *name)
{
  g_autofree char *reference = reference_path (name);
  g_autofree char *base = g_strdup_printf ("%s-%s", name, language ());
  g_autofree char *actual_png = g_strdup_printf ("%s/screenshot-%s.png", g_getenv ("G_TEST_BUILDDIR"), base);
  g_autofree char *diff_png = g_strdup_printf ("%s/screenshot-%s-diff.png", g_getenv ("G_TEST_BUILDDIR"), base);
  g_autoptr(GdkTexture) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guchar *a = NULL, *e = NULL;
  g_autoptr(GBytes) diff_bytes = NULL;
  g_autoptr(GdkTexture) diff = NULL;
  int w = gdk_texture_get_width (shot), h = gdk_texture_get_height (shot);
  guint64 different = 0;

  g_assert_true (gdk_texture_save_to_png (shot, actual_png));
  g_test_message ("%s", actual_png);
  if (g_getenv ("DL_UPDATE_SCREENSHOTS"))
    {
      g_assert_true (gdk_texture_save_to_png (shot, reference));
      g_test_message ("reference written: %s", reference);
      return;
    }

  expected = gdk_texture_new_from_filename (reference, &error);
  if (expected == NULL)
    g_error ("no reference screenshot %s (%s): run build-aux/update-screenshots and look at it",
             reference, error->message);
  g_assert_cmpint (gdk_texture_get_width (expected), ==, w);
  g_assert_cmpint (gdk_texture_get_height (expected), ==, h);

  a = pixels_of (shot);
  e = pixels_of (expected);
  for (gsize i = 0; i < (gsize) w * h; i++)
    {
      gboolean differs = FALSE;

      for (int c = 0; c < 4; c++)
        differs |= ABS ((int) a[i * 4 + c] - (int) e[i * 4 + c]) > CHANNEL_TOLERANCE;
      /* the difference image: red where it differs, the shot dimmed elsewhere */
      if (differs)
        {
          different++;
          a[i * 4 + 0] = a[i * 4 + 3] = 255;
          a[i * 4 + 1] = a[i * 4 + 2] = 0;
        }
      else
        for (int c = 0; c < 3; c++)
          a[i * 4 + c] /= 3;
    }
  g_test_message ("%s: %" G_GUINT64_FORMAT " of %d pixels differ", base, different, w * h);
  if (different > MAX_DIFFERENT_SHARE * w * h)
    {
      diff_bytes = g_bytes_new_take (g_steal_pointer (&a), (gsize) w * h * 4);
      diff = gdk_memory_texture_new (w, h, GDK_MEMORY_DEFAULT, diff_bytes, (gsize) w * 4);
      gdk_texture_save_to_png (diff, diff_png);
      g_error ("%s differs from %s in %" G_GUINT64_FORMAT " pixels (%.2f %%, at most %.2f %% allowed); "
               "see %s and %s", base, reference, different, 100.0 * different / ((double) w * h),
               100 * MAX_DIFFERENT_SHARE, actual_png, diff_png);
    }
}

static gboolean
scan_shown (gpointer data)
{
  DlSession *s = dl_window_get_session (data);

  return dl_session_get_scan (s) != NULL && !dl_session_get_loading (s);
}

static gboolean
hints_known (gpointer data)
{
  return dl_session_get_check_summary (dl_window_get_session (data)) != NULL;
}

static gboolean
case_shown (gpointer data)
{
  DlSession *s = dl_window_get_session (data);

  return dl_session_get_case_id (s) != NULL && scan_shown (data) && hints_known (data);
}

static DlWindow *
new_window (void)
{
  DlWindow *window = dl_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (widget_is_mapped, window, 5000));
  return window;
}

/* Still: every animation over. */
static GdkTexture *
settle_and_render (DlWindow *window)
{
  wait_ms (700);
  wait_widget_frames (GTK_WIDGET (window), 2);
  return render_widget (GTK_WIDGET (window));
}

static char *
write_scene (const char *scene,
             guint64     seed)
{
  g_autoptr(DlSynthOutput) out = dl_synth_generate (scene, seed, FALSE, NULL);
  g_autofree char *dir = g_build_filename (tmpdir, scene, NULL);
  g_autofree char *base = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (out);
  g_assert_true (dl_synth_write (out, dir, &error));
  g_assert_no_error (error);
  base = dl_synth_basename (out);
  return g_strdup_printf ("%s/%s.tif", dir, base);
}

/* A scan opened on its own, with the manifest written beside it, its
 * material classes shown. */
static void
test_scan_and_manifest (void)
{
  g_autofree char *scan = write_scene ("false-wall", 1);
  g_autoptr(GFile) file = g_file_new_for_path (scan);
  DlWindow *window = new_window ();
  g_autoptr(GdkTexture) image = NULL, manifest = NULL;

  dl_window_open_files (window, &file, 1);
  g_assert_true (wait_until (scan_shown, window, 30000));
  g_assert_true (wait_until (hints_known, window, 30000));
  /* with the dual-energy material classes over it (M) */
  g_object_set (dl_session_get_view_state (dl_window_get_session (window)), "material", TRUE, NULL);
  image = settle_and_render (window);
  compare_with_reference (image, "scan");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.side-page", "s", "manifest"));
  manifest = settle_and_render (window);
  compare_with_reference (manifest, "manifest");
  gtk_window_destroy (GTK_WINDOW (window));
}

static guint
count_thumbnails (GtkWidget *widget)
{
  guint n = GTK_IS_PICTURE (widget) && gtk_widget_has_css_class (widget, "case-thumbnail")
            && dl_thumbnail_loader_get_texture (GTK_PICTURE (widget)) != NULL;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    n += count_thumbnails (c);
  return n;
}

/* Every row of the queue shows its thumbnail (made on a worker thread). */
static gboolean
thumbnails_shown (gpointer data)
{
  return count_thumbnails (data) == 4;
}

/* A case file of four containers, one with a verdict. */
static void
test_case_queue (void)
{
  static const char *scenes[] = { "mixed", "false-wall", "vehicles", "shielded-block" };
  g_autofree char *path = g_build_filename (tmpdir, "cases.dlcase", NULL);
  g_autoptr(DlIdentity) me = dl_identity_load_default ("Anna de Vries", NULL);
  g_autoptr(DlCaseFile) file = dl_case_file_create (path, me, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) shot = NULL;
  DlWindow *window;

  g_assert_nonnull (file);
  for (guint i = 0; i < G_N_ELEMENTS (scenes); i++)
    {
      g_autofree char *scan = write_scene (scenes[i], 10 + i);
      g_autofree char *manifest_path = g_strdup_printf ("%.*s.manifest.json", (int) strlen (scan) - 4, scan);
      g_autoptr(GPtrArray) manifests = NULL;
      g_autofree char *id = NULL;
      DlManifest *m;

      manifests = dl_manifest_load_file (manifest_path, &error);
      g_assert_no_error (error);
      m = g_ptr_array_index (manifests, 0);
      id = dl_case_file_new_case (file, ((DlManifestContainer *) g_ptr_array_index (m->containers, 0))->number,
                                  &error);
      g_free (dl_case_file_add_scan (file, id, scan, TRUE, &error));
      g_assert_true (dl_case_file_set_manifest (file, id, m, &error));
      g_assert_no_error (error);
      if (i == 0)
        g_free (dl_case_file_add_verdict (file, id, DL_DECISION_CLEAR, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (dl_case_file_close (file, &error));

  window = new_window ();
  g_assert_true (dl_window_open_case_file (window, path, &error));
  g_assert_no_error (error);
  g_assert_true (wait_until (case_shown, window, 30000));
  g_assert_true (wait_until (thumbnails_shown, window, 30000));
  shot = settle_and_render (window);
  compare_with_reference (shot, "cases");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Every screenshot the metainfo shows is one of the references, for
 * both languages. */
static void
test_metainfo_lists_them (void)
{
  g_autofree char *metainfo = g_build_filename (DL_SOURCE_ROOT, "resources",
                                                "nl.doorlicht.Doorlicht.metainfo.xml.in", NULL);
  g_autofree char *text = NULL;
  const char *names[] = { "scan", "manifest", "cases" };
  const char *langs[] = { "en", "nl" };

  g_assert_true (g_file_get_contents (metainfo, &text, NULL, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    for (guint l = 0; l < G_N_ELEMENTS (langs); l++)
      {
        g_autofree char *png = g_strdup_printf ("%s/data/screenshots/%s-%s.png", DL_SOURCE_ROOT, names[i], langs[l]);
        g_autoptr(GdkTexture) shot = gdk_texture_new_from_filename (png, NULL);
        g_autofree char *entry = NULL;

        g_assert_nonnull (shot);
        /* listed with the size it has */
        entry = g_strdup_printf ("width=\"%d\" height=\"%d\"%s>https://doorlicht.invalid/screenshots/%s-%s.png<",
                                 gdk_texture_get_width (shot), gdk_texture_get_height (shot),
                                 l ? " xml:lang=\"nl\"" : "", names[i], langs[l]);
        g_assert_nonnull (strstr (text, entry));
      }
}

int
main (int argc, char **argv)
{
  g_autofree char *data = NULL;
  g_autofree char *config = NULL;
  int ret;

  /* meson runs this twice, the second time with LANGUAGE=nl and, for
   * numbers and dates, LC_ALL=nl_NL.UTF-8 */
  if (setlocale (LC_ALL, "") == NULL)
    g_error ("the locale %s is missing (LOCPATH %s): the Dutch references have Dutch numbers",
             g_getenv ("LC_ALL"), g_getenv ("LOCPATH"));
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("DOORLICHT_LOCALEDIR") ? g_getenv ("DOORLICHT_LOCALEDIR")
                                                                    : DL_BUILD_ROOT "/po");
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("dl-screenshots-XXXXXX", NULL);
  data = g_build_filename (tmpdir, "data", NULL);
  config = g_build_filename (tmpdir, "config", NULL);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return g_test_run ();
    }
  adw_init ();
  /* as the application starts: dark, for dim rooms */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);

  g_test_add_func ("/screenshots/scan-and-manifest", test_scan_and_manifest);
  g_test_add_func ("/screenshots/case-queue", test_case_queue);
  g_test_add_func ("/screenshots/metainfo", test_metainfo_lists_them);
  ret = g_test_run ();

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
    (void) !system (cmd);
  }
  g_free (tmpdir);
  return ret;
}
