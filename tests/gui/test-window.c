/* test-window.c — the real window under Xvfb: opening files, rendering
 * exact pixels, right-drag windowing with real (XTEST) input, presets,
 * side-by-side channels, refusing a bad file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <math.h>

#include "gui-test-util.h"
#include "../tiff-fixture.h"
#include "dl-histogram.h"
#include "dl-display-panel.h"
#include "dl-histogram-view.h"
#include "dl-preferences-window.h"
#include "dl-settings.h"
#include "dl-scan-view.h"
#include "dl-synth.h"
#include "dl-window.h"

#define W 600
#define H 300

static DlWindow *window;
static char *tmpdir;

/* Lets GTK lay out and paint @n more frames. */
static void
wait_frames (guint n)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  guint counts[2] = { 0, n };
  gulong id;

  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &counts[0]);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  g_assert_true (wait_until (frames_at_least, counts, 5000));
  g_signal_handler_disconnect (clock, id);
}

static gboolean
has_scan (gpointer data)
{
  DlSession *s = dl_window_get_session (window);
  return dl_session_get_scan (s) != NULL && !dl_session_get_loading (s);
}

static void
test_open_and_render (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "scan.tif", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guint8 *pixels = NULL;
  g_autofree char *png = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshot-view.png", NULL);
  DlSession *session = dl_window_get_session (window);
  DlViewState *state = dl_session_get_view_state (session);
  GtkWidget *view;
  DlWindowing w;
  int vw, vh;
  guint checked = 0, wrong = 0;

  dl_window_open_files (window, &file, 1);
  g_assert_true (wait_until (has_scan, NULL, 10000));
  wait_frames (2);

  view = dl_window_get_scan_view (window, 0);
  g_assert_nonnull (view);
  vw = gtk_widget_get_width (view);
  vh = gtk_widget_get_height (view);
  g_assert_cmpint (vw, >, 100);
  g_assert_cmpint (vh, >, 100);

  /* 1:1, focus in the middle of the scan, a known window in transmission
   * values (the scan opened in density, the default) */
  dl_view_state_get_windowing (state, &w);
  g_assert_cmpint (w.space, ==, DL_SPACE_DENSITY);
  dl_view_state_set_fit (state, FALSE);
  dl_view_state_set_zoom (state, 1.0);
  dl_view_state_set_focus (state, W / 2.0, H / 2.0);
  dl_view_state_set_space (state, DL_SPACE_VALUE);
  dl_view_state_set_window (state, 20000, 30000);
  wait_frames (2);

  dl_view_state_get_windowing (state, &w);
  texture = render_widget (view);
  g_assert_true (gdk_texture_save_to_png (texture, png));
  pixels = g_malloc ((gsize) vw * vh * 4);
  gdk_texture_download (texture, pixels, vw * 4);

  for (int j = 0; j < vh; j++)
    for (int i = 0; i < vw; i++)
      {
        double x = W / 2.0 - vw / 2.0 + i + 0.5, y = H / 2.0 - vh / 2.0 + j + 0.5;
        guint8 *px = pixels + ((gsize) j * vw + i) * 4;
        guint8 expected;

        if (x < 0 || y < 0 || x >= W || y >= H)
          continue;
        expected = dl_windowing_map (&w, fixture_value ((guint) x, (guint) y, 0));
        checked++;
        if (abs (px[0] - expected) > 1 || abs (px[1] - expected) > 1 || abs (px[2] - expected) > 1)
          wrong++;
      }

  g_test_message ("checked %u pixels against the window formula, %u differ", checked, wrong);
  g_assert_cmpuint (checked, >, 10000);
  g_assert_cmpuint (wrong, ==, 0);
}

typedef struct
{
  DlViewState *state;
  double       center;
  double       width;
} WindowWatch;

static gboolean
window_changed (gpointer data)
{
  WindowWatch *watch = data;
  DlWindowing w;

  dl_view_state_get_windowing (watch->state, &w);
  return w.center != watch->center && w.width != watch->width;
}

static gboolean
status_mentions_pitch (gpointer data)
{
  const char *status = dl_window_get_status (window);
  /* the fixture's two pages of one size are read as an energy pair */
  return status && strstr (status, "mm") && strstr (status, "high") && strstr (status, "low");
}

/* Right-drag with real pointer events: right = wider, down = higher level. */
static void
test_right_drag (void)
{
  DlSession *session = dl_window_get_session (window);
  DlViewState *state = dl_session_get_view_state (session);
  GtkWidget *view = dl_window_get_scan_view (window, 0);
  const DlHistogram *h = dl_plane_get_histogram (dl_session_get_active_plane (session));
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *path = g_find_program_in_path ("xdotool");
  g_autofree char *move = NULL;
  graphene_point_t p;
  double tx, ty, unit, span;
  WindowWatch watch = { state };
  DlWindowing w;

  if (path == NULL || !GDK_IS_X11_SURFACE (surface))
    {
      g_test_skip ("needs xdotool and the X11 backend (Xvfb)");
      return;
    }

  /* in density, the default: a full-range change of density per 600 px */
  dl_view_state_set_space (state, DL_SPACE_DENSITY);
  dl_view_state_get_windowing (state, &w);
  span = dl_density (MAX (h->min, 1), w.i0) - dl_density (MAX (h->max, 1), w.i0);
  g_assert_cmpfloat (span, >, 0.1);
  dl_view_state_set_window (state, dl_density (MAX (h->max, 1), w.i0) + span / 2, span / 2);
  dl_view_state_get_windowing (state, &w);
  g_assert_cmpint (w.space, ==, DL_SPACE_DENSITY);
  watch.center = w.center;
  watch.width = w.width;

  /* the middle of the view shows the middle of the scan */
  g_assert_true (gtk_widget_compute_point (view, GTK_WIDGET (window),
                                           &GRAPHENE_POINT_INIT (gtk_widget_get_width (view) / 2.0,
                                                                 gtk_widget_get_height (view) / 2.0),
                                           &p));
  gtk_native_get_surface_transform (GTK_NATIVE (window), &tx, &ty);
  move = g_strdup_printf ("mousemove --sync --window %lu %d %d", (gulong) gdk_x11_surface_get_xid (surface),
                          (int) (p.x + tx), (int) (p.y + ty));

  g_assert_true (spawn_xdotool (move));
  if (!wait_until (status_mentions_pitch, NULL, 5000))
    g_error ("no status for the pointer after “%s”: “%s”", move, dl_window_get_status (window));
  g_test_message ("status line: %s", dl_window_get_status (window));

  g_assert_true (spawn_xdotool ("mousedown 3"));
  wait_frames (1);
  g_assert_true (spawn_xdotool ("mousemove_relative --sync 90 30"));
  wait_frames (1);
  g_assert_true (spawn_xdotool ("mouseup 3"));
  g_assert_true (wait_until (window_changed, &watch, 5000));
  wait_frames (1);

  unit = span / 600.0;
  dl_view_state_get_windowing (state, &w);
  g_test_message ("window %g:%g → %g:%g (unit %g)", watch.center, watch.width, w.center, w.width, unit);
  g_assert_cmpfloat_with_epsilon (w.width - watch.width, 90 * unit, unit * 1.01);
  g_assert_cmpfloat_with_epsilon (w.center - watch.center, 30 * unit, unit * 1.01);
  g_assert_cmpint (w.space, ==, DL_SPACE_DENSITY);
}


/* Moves the real pointer to (@x, @y) in @widget's coordinates. */
static gboolean
pointer_to (GtkWidget *widget,
            double     x,
            double     y)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *move = NULL;
  graphene_point_t p;
  double tx, ty;

  if (!gtk_widget_compute_point (widget, GTK_WIDGET (window), &GRAPHENE_POINT_INIT (x, y), &p))
    return FALSE;
  gtk_native_get_surface_transform (GTK_NATIVE (window), &tx, &ty);
  move = g_strdup_printf ("mousemove --sync --window %lu %d %d", (gulong) gdk_x11_surface_get_xid (surface),
                          (int) round (p.x + tx), (int) round (p.y + ty));
  return spawn_xdotool (move);
}

typedef struct
{
  DlViewState *state;
  double       zoom;
  double       fx;
  double       fy;
} ViewWatch;

static gboolean
view_changed (gpointer data)
{
  ViewWatch *w = data;
  double fx, fy;

  dl_view_state_get_focus (w->state, &fx, &fy);
  return dl_view_state_get_zoom (w->state) != w->zoom || fx != w->fx || fy != w->fy;
}

/* The wheel zooms around the cursor: the image point under it stays. */
static void
test_wheel_zoom_keeps_point (void)
{
  DlViewState *state = dl_session_get_view_state (dl_window_get_session (window));
  GtkWidget *view = dl_window_get_scan_view (window, 0);
  double vw = gtk_widget_get_width (view), vh = gtk_widget_get_height (view);
  double sx = round (vw * 0.3), sy = round (vh * 0.6), before_x, before_y, fx, fy, zoom;   /* whole pixels, as the pointer moves */
  ViewWatch watch = { state };

  if (!have_xdotool ())
    return;

  dl_view_state_set_fit (state, FALSE);
  dl_view_state_set_zoom (state, 1.0);
  dl_view_state_set_focus (state, W / 2.0, H / 2.0);
  wait_frames (1);
  before_x = W / 2.0 - vw / 2.0 + sx;
  before_y = H / 2.0 - vh / 2.0 + sy;

  g_assert_true (pointer_to (view, sx, sy));
  wait_frames (1);
  watch.zoom = 1.0;
  dl_view_state_get_focus (state, &watch.fx, &watch.fy);
  g_assert_true (spawn_xdotool ("click 4"));   /* wheel up */
  g_assert_true (wait_until (view_changed, &watch, 5000));

  zoom = dl_view_state_get_zoom (state);
  dl_view_state_get_focus (state, &fx, &fy);
  g_assert_cmpfloat_with_epsilon (zoom, 1.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (fx - vw / 2.0 / zoom + sx / zoom, before_x, 0.01);
  g_assert_cmpfloat_with_epsilon (fy - vh / 2.0 / zoom + sy / zoom, before_y, 0.01);
}

/* Left-drag pans: the image follows the pointer. */
static void
test_pan_drag (void)
{
  DlViewState *state = dl_session_get_view_state (dl_window_get_session (window));
  GtkWidget *view = dl_window_get_scan_view (window, 0);
  ViewWatch watch = { state };
  double fx, fy;

  if (!have_xdotool ())
    return;

  dl_view_state_set_fit (state, FALSE);
  dl_view_state_set_zoom (state, 2.0);
  dl_view_state_set_focus (state, W / 2.0, H / 2.0);
  wait_frames (1);
  watch.zoom = 2.0;
  watch.fx = W / 2.0;
  watch.fy = H / 2.0;

  g_assert_true (pointer_to (view, 100, 100));
  g_assert_true (spawn_xdotool ("mousedown 1"));
  wait_frames (1);
  g_assert_true (spawn_xdotool ("mousemove_relative --sync 40 20"));
  wait_frames (1);
  g_assert_true (spawn_xdotool ("mouseup 1"));
  g_assert_true (wait_until (view_changed, &watch, 5000));
  wait_frames (1);

  dl_view_state_get_focus (state, &fx, &fy);
  g_assert_cmpfloat_with_epsilon (fx, W / 2.0 - 40 / 2.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (fy, H / 2.0 - 20 / 2.0, 1e-6);
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

/* Dragging the histogram's upper handle moves only the upper bound. */
static void
test_histogram_handle (void)
{
  DlSession *session = dl_window_get_session (window);
  DlViewState *state = dl_session_get_view_state (session);
  GtkWidget *hv = find_of_type (GTK_WIDGET (window), DL_TYPE_HISTOGRAM_VIEW);
  const DlHistogram *h = dl_plane_get_histogram (dl_session_get_active_plane (session));
  WindowWatch watch = { state };
  DlWindowing w;
  double lo, hi, x_hi, unit;

  if (!have_xdotool ())
    return;
  g_assert_nonnull (hv);

  /* measured in transmission values (scans open in density, the default) */
  dl_view_state_set_space (state, DL_SPACE_VALUE);
  /* a window in the middle of the data, so both handles are inside */
  lo = h->min + (h->max - h->min) * 0.25;
  hi = h->min + (h->max - h->min) * 0.75;
  dl_view_state_set_window (state, (lo + hi) / 2, hi - lo);
  wait_frames (1);
  dl_view_state_get_windowing (state, &w);
  watch.center = w.center;
  watch.width = w.width;
  x_hi = dl_histogram_view_x_for (DL_HISTOGRAM_VIEW (hv), hi);
  unit = (double) (h->max - h->min) / gtk_widget_get_width (hv);

  g_assert_true (pointer_to (hv, x_hi, gtk_widget_get_height (hv) / 2.0));
  g_assert_true (spawn_xdotool ("mousedown 1"));
  wait_frames (1);
  g_assert_true (spawn_xdotool ("mousemove_relative --sync -- -30 0"));
  wait_frames (1);
  g_assert_true (spawn_xdotool ("mouseup 1"));
  g_assert_true (wait_until (window_changed, &watch, 5000));

  dl_view_state_get_windowing (state, &w);
  g_test_message ("window %g … %g → %g … %g", lo, hi, w.center - w.width / 2, w.center + w.width / 2);
  g_assert_cmpfloat_with_epsilon (w.center - w.width / 2, lo, 1e-6);
  g_assert_cmpfloat_with_epsilon (w.center + w.width / 2, hi - 30 * unit, unit);
}

static void
test_presets_and_layout (void)
{
  DlSession *session = dl_window_get_session (window);
  DlViewState *state = dl_session_get_view_state (session);
  const DlHistogram *h = dl_plane_get_histogram (dl_session_get_active_plane (session));
  DlWindowing w;

  /* full range in transmission values: the histogram's extremes */
  dl_view_state_set_space (state, DL_SPACE_VALUE);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.preset", "s", "full");
  dl_view_state_get_windowing (state, &w);
  g_assert_cmpfloat_with_epsilon (w.center - w.width / 2, h->min, 1e-9);
  g_assert_cmpfloat_with_epsilon (w.center + w.width / 2, h->max, 1e-9);

  g_assert_null (dl_window_get_scan_view (window, 1));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-all", NULL);
  wait_frames (1);
  g_assert_nonnull (dl_window_get_scan_view (window, 1));
  g_assert_null (dl_window_get_scan_view (window, 2));
  g_assert_cmpuint (dl_scan_view_get_plane_index (DL_SCAN_VIEW (dl_window_get_scan_view (window, 1))), ==, 1);
  /* synchronised: both views share one state */
  g_assert_true (dl_scan_view_get_state (DL_SCAN_VIEW (dl_window_get_scan_view (window, 0)))
                 == dl_scan_view_get_state (DL_SCAN_VIEW (dl_window_get_scan_view (window, 1))));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-all", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.next-channel", NULL);
  g_assert_cmpuint (dl_session_get_active_index (session), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.invert", NULL);
  dl_view_state_get_windowing (state, &w);
  g_assert_true (w.invert);
  wait_frames (1);
}


static gboolean
scan_is (gpointer data)
{
  DlSession *s = dl_window_get_session (window);
  return !dl_session_get_loading (s) && g_strcmp0 (dl_session_get_title (s), data) == 0;
}

/* Coloured (not gray) pixels of the first view, as rendered. */
static guint
coloured_pixels (guint8 min_r_minus_b)
{
  GtkWidget *view;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guint8 *px = NULL;
  guint n = 0;
  int w, h;

  wait_frames (2);   /* new views are laid out first */
  view = dl_window_get_scan_view (window, 0);
  w = gtk_widget_get_width (view);
  h = gtk_widget_get_height (view);
  g_assert_cmpint (w, >, 0);
  texture = render_widget (view);
  px = g_malloc ((gsize) w * h * 4);
  gdk_texture_download (texture, px, w * 4);
  for (gsize k = 0; k < (gsize) w * h; k++)
    {
      guint8 b = px[4 * k], g = px[4 * k + 1], r = px[4 * k + 2];   /* BGRA */
      if (abs (r - g) > min_r_minus_b || abs (g - b) > min_r_minus_b || abs (r - b) > min_r_minus_b)
        n++;
    }
  return n;
}

/* The legend label for one class: its name, in the text, and its colour,
 * in the pixels drawn. */
static GtkLabel *
legend_label (const char *name)
{
  GtkWidget *panel = find_of_type (GTK_WIDGET (window), DL_TYPE_DISPLAY_PANEL);
  GObject *label;

  g_assert_nonnull (panel);
  label = gtk_widget_get_template_child (panel, DL_TYPE_DISPLAY_PANEL, name);
  g_assert_true (GTK_IS_LABEL (label));
  return GTK_LABEL (label);
}

/* Whether @label draws a pixel within 24 of @rgb on every channel. */
static gboolean
label_shows_colour (GtkLabel     *label,
                    const guint8 *rgb)
{
  g_autoptr(GdkTexture) texture = render_widget (GTK_WIDGET (label));
  int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
  g_autofree guint8 *pixels = g_malloc ((gsize) w * h * 4);

  gdk_texture_download (texture, pixels, w * 4);
  for (gsize i = 0; i < (gsize) w * h; i++)
    {
      /* GDK_MEMORY_DEFAULT: B G R A, premultiplied; the theme draws labels
       * at 80 % opacity, so the swatch's colour is unpremultiplied */
      const guint8 *px = pixels + i * 4;
      int a = px[3];

      if (a >= 128
          && abs (px[2] * 255 / a - rgb[0]) < 24
          && abs (px[1] * 255 / a - rgb[1]) < 24
          && abs (px[0] * 255 / a - rgb[2]) < 24)
        return TRUE;
    }
  return FALSE;
}

static gboolean
legend_names_colour (gpointer data)
{
  return strstr (gtk_label_get_label (legend_label ("legend_organic")), data) != NULL;
}

/* The legend beside the overlay control names the four classes in the
 * colours set in Preferences, and follows a colour changed there. */
static void
test_legend_follows_preferences (void)
{
  static const char * const names[] = { "legend_organic", "legend_inorganic", "legend_metal", "legend_too_dense" };
  static const char * const meanings[] = { "Organic", "Inorganic", "Metal", "Too dense" };
  static const guint8 defaults[][3] = { { 0xff, 0x8c, 0x00 }, { 0x28, 0xbe, 0x3c }, { 0x28, 0x6e, 0xff } };
  static const guint8 chosen[3] = { 0xc0, 0x20, 0xa0 };
  GdkRGBA rgba = { 0xc0 / 255.0, 0x20 / 255.0, 0xa0 / 255.0, 1.0 };
  DlPreferencesWindow *prefs;
  GObject *button;

  /* as the application does for each of its windows */
  dl_settings_bind_view_state (dl_session_get_view_state (dl_window_get_session (window)));

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GtkLabel *label = legend_label (names[i]);
      g_assert_true (gtk_widget_is_visible (GTK_WIDGET (label)));
      g_assert_nonnull (strstr (gtk_label_get_text (label), meanings[i]));
    }
  wait_frames (1);
  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    g_assert_true (label_shows_colour (legend_label (names[i]), defaults[i]));
  g_assert_false (label_shows_colour (legend_label ("legend_organic"), chosen));

  /* the analyst picks another colour for organic in Preferences (its
   * button, as the colour chooser dialog sets it) */
  prefs = dl_preferences_window_new (NULL);
  button = gtk_widget_get_template_child (GTK_WIDGET (prefs), DL_TYPE_PREFERENCES_WINDOW, "organic_button");
  g_assert_true (GTK_IS_COLOR_CHOOSER (button));
  gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (button), &rgba);
  gtk_window_destroy (GTK_WINDOW (prefs));
  g_assert_true (wait_until (legend_names_colour, "#c020a0", 5000));
  wait_frames (1);

  g_assert_true (label_shows_colour (legend_label ("legend_organic"), chosen));
  g_assert_false (label_shows_colour (legend_label ("legend_organic"), defaults[0]));
  g_assert_nonnull (strstr (gtk_label_get_label (legend_label ("legend_organic")), "#c020a0"));
  /* the others keep theirs */
  g_assert_true (label_shows_colour (legend_label ("legend_metal"), defaults[2]));

  g_settings_reset (dl_settings_get (), "organic-colour");
  g_assert_true (wait_until (legend_names_colour, "#ff8c00", 5000));
  wait_frames (1);
  g_assert_true (label_shows_colour (legend_label ("legend_organic"), defaults[0]));
}

/* Each overlay, toggled as the analyst does, changes what the view shows. */
static void
test_overlays (void)
{
  DlSession *session = dl_window_get_session (window);
  DlViewState *state = dl_session_get_view_state (session);
  g_autoptr(DlSynthOutput) out = dl_synth_generate ("mixed", 5, FALSE, NULL);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  guint plain, material, band, cmap;

  g_assert_true (dl_synth_write (out, tmpdir, NULL));
  path = g_build_filename (tmpdir, "mixed-5.tif", NULL);
  file = g_file_new_for_path (path);
  dl_window_open_files (window, &file, 1);
  g_assert_true (wait_until (scan_is, "mixed-5.tif", 20000));
  g_assert_nonnull (dl_scan_get_classes (dl_session_get_scan (session), 0));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.preset", "s", "light-goods");

  plain = coloured_pixels (8);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.material", NULL);
  material = coloured_pixels (8);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.material", NULL);
  g_object_set (state, "band-low", 0.5, "band-high", 1.5, NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.band", NULL);
  band = coloured_pixels (8);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.band", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.cycle-colormap", NULL);
  cmap = coloured_pixels (8);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.cycle-colormap", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.cycle-colormap", NULL);

  /* enhancement changes the gray, not its colour */
  {
    GtkWidget *view = dl_window_get_scan_view (window, 0);
    g_autoptr(GdkTexture) before = NULL;
    g_autoptr(GdkTexture) after = NULL;
    g_autofree guint8 *a = NULL;
    g_autofree guint8 *b = NULL;
    int vw = gtk_widget_get_width (view), vh = gtk_widget_get_height (view);
    guint changed = 0;

    wait_frames (2);
    before = render_widget (view);
    gtk_widget_activate_action (GTK_WIDGET (window), "win.cycle-enhance", NULL);
    g_assert_cmpuint (coloured_pixels (8), ==, 0);
    /* enhancement comes once the view has been still for a moment */
    {
      gint64 end = g_get_monotonic_time () + 300 * 1000;
      while (g_get_monotonic_time () < end)
        g_main_context_iteration (NULL, FALSE);
    }
    wait_frames (2);
    after = render_widget (dl_window_get_scan_view (window, 0));
    a = g_malloc ((gsize) vw * vh * 4);
    b = g_malloc ((gsize) vw * vh * 4);
    gdk_texture_download (before, a, vw * 4);
    gdk_texture_download (after, b, vw * 4);
    for (gsize k = 0; k < (gsize) vw * vh * 4; k++)
      changed += a[k] != b[k];
    g_test_message ("enhancement changed %u bytes", changed);
    g_assert_cmpuint (changed, >, 1000);
    gtk_widget_activate_action (GTK_WIDGET (window), "win.cycle-enhance", NULL);
    gtk_widget_activate_action (GTK_WIDGET (window), "win.cycle-enhance", NULL);
  }

  g_test_message ("coloured pixels: plain %u, material %u, band %u, colour map %u", plain, material, band, cmap);
  g_assert_cmpuint (plain, ==, 0);
  g_assert_cmpuint (material, >, 1000);
  g_assert_cmpuint (band, >, 1000);
  g_assert_cmpuint (cmap, >, 10000);
  g_assert_false (dl_view_state_has_overlay (state));
  g_assert_cmpuint (coloured_pixels (8), ==, 0);
}

/* Marks drawn with the real pointer: a rectangle and a ruler, then the
 * rectangle selected by a click, and deleted with the Delete key. */
static void
test_marks (void)
{
  DlSession *session = dl_window_get_session (window);
  DlViewState *state = dl_session_get_view_state (session);
  DlAnnotations *marks;
  GtkWidget *view;
  const DlAnnotation *a;
  double vw, vh, fx, fy, zoom;
  guint rect;

  if (!have_xdotool ())
    return;

  dl_view_state_set_fit (state, FALSE);
  dl_view_state_set_zoom (state, 1.0);
  wait_frames (2);
  view = dl_window_get_scan_view (window, 0);
  vw = gtk_widget_get_width (view);
  vh = gtk_widget_get_height (view);
  dl_view_state_get_focus (state, &fx, &fy);
  zoom = dl_view_state_get_zoom (state);
  marks = dl_session_get_annotations (session);
  g_assert_cmpuint (dl_annotations_get_n (marks), ==, 0);

  /* rectangle: from 100 px left and 40 up of the centre, 80 × 30 pixels */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.tool", "i", DL_TOOL_RECTANGLE);
  g_assert_true (pointer_to (view, round (vw / 2) - 100, round (vh / 2) - 40));
  g_assert_true (spawn_xdotool ("mousedown 1"));
  wait_frames (1);
  g_assert_true (spawn_xdotool ("mousemove_relative --sync 80 30"));
  wait_frames (1);
  g_assert_true (spawn_xdotool ("mouseup 1"));
  wait_frames (2);
  g_assert_cmpuint (dl_annotations_get_n (marks), ==, 1);
  a = dl_annotations_get (marks, 0);
  rect = a->id;
  g_assert_cmpint (a->kind, ==, DL_ANNOTATION_RECTANGLE);
  g_assert_cmpfloat_with_epsilon (g_array_index (a->points, DlPoint, 0).x, fx - vw / 2 / zoom + (round (vw / 2) - 100) / zoom, 1.0);
  g_assert_cmpfloat_with_epsilon (g_array_index (a->points, DlPoint, 1).x - g_array_index (a->points, DlPoint, 0).x, 80 / zoom, 1.0);
  g_assert_cmpfloat_with_epsilon (g_array_index (a->points, DlPoint, 1).y - g_array_index (a->points, DlPoint, 0).y, 30 / zoom, 1.0);

  /* ruler: 60 × 80 screen pixels at zoom 1 and 5 mm pitch = 500 mm */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.tool", "i", DL_TOOL_RULER);
  g_assert_true (pointer_to (view, round (vw / 2) + 50, round (vh / 2) - 60));
  g_assert_true (spawn_xdotool ("mousedown 1"));
  wait_frames (1);
  g_assert_true (spawn_xdotool ("mousemove_relative --sync 60 80"));
  wait_frames (1);
  g_assert_true (spawn_xdotool ("mouseup 1"));
  wait_frames (2);
  g_assert_cmpuint (dl_annotations_get_n (marks), ==, 2);
  a = dl_annotations_get (marks, 1);
  g_assert_cmpint (a->kind, ==, DL_ANNOTATION_RULER);
  g_assert_cmpfloat_with_epsilon (dl_annotation_length_mm (a, 5, 5), 500, 8);

  /* select the rectangle by a click, delete it with the key */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-mark", NULL);
  g_assert_cmpint (dl_session_get_tool (session), ==, DL_TOOL_SELECT);
  g_assert_true (pointer_to (view, round (vw / 2) - 60, round (vh / 2) - 25));
  g_assert_true (spawn_xdotool ("click 1"));
  wait_frames (2);
  g_assert_cmpuint (dl_session_get_selected (session), ==, rect);
  {
    g_autofree char *png = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshot-marks.png", NULL);
    g_autoptr(GdkTexture) shot = render_widget (GTK_WIDGET (window));
    gdk_texture_save_to_png (shot, png);
  }
  g_assert_true (spawn_xdotool ("key Delete"));
  wait_frames (2);
  g_assert_cmpuint (dl_annotations_get_n (marks), ==, 1);
  g_assert_null (dl_annotations_lookup (marks, rect));
}

/* A density band set by right-dragging across the histogram, and a colour
 * table from a file. */
static void
test_band_from_histogram_and_lut_file (void)
{
  DlSession *session = dl_window_get_session (window);
  DlViewState *state = dl_session_get_view_state (session);
  GtkWidget *hv = find_of_type (GTK_WIDGET (window), DL_TYPE_HISTOGRAM_VIEW);
  g_autofree char *lut = g_build_filename (tmpdir, "red.lut", NULL);
  double lo, hi;
  gboolean band;
  guint marks;

  if (!have_xdotool ())
    return;

  g_object_set (state, "band", FALSE, "density", TRUE, NULL);
  marks = coloured_pixels (8);   /* the marks left by the test before */
  g_assert_true (pointer_to (hv, gtk_widget_get_width (hv) * 0.3, gtk_widget_get_height (hv) / 2.0));
  g_assert_true (spawn_xdotool ("mousedown 3"));
  wait_frames (1);
  g_assert_true (spawn_xdotool ("mousemove_relative --sync 60 0"));
  wait_frames (1);
  g_assert_true (spawn_xdotool ("mouseup 3"));
  wait_frames (2);
  g_object_get (state, "band", &band, "band-low", &lo, "band-high", &hi, NULL);
  g_test_message ("band from the histogram: %g … %g", lo, hi);
  g_assert_true (band);
  g_assert_cmpfloat (hi, >, lo);
  g_assert_cmpuint (coloured_pixels (8), >, marks);
  g_object_set (state, "band", FALSE, "density", FALSE, NULL);

  g_assert_true (g_file_set_contents (lut, "0 0 0\n255 0 0\n", -1, NULL));
  g_object_set (state, "colormap", lut, NULL);
  g_assert_cmpuint (coloured_pixels (8), >, marks + 10000);
  g_object_set (state, "colormap", NULL, NULL);
  g_assert_cmpuint (coloured_pixels (8), ==, marks);
}

static void
on_load_failed (DlSession  *session,
                const char *path,
                GError     *error,
                char      **message)
{
  *message = g_strdup (error->message);
}

static gboolean
have_message (gpointer data)
{
  return *(char **) data != NULL;
}

static gboolean
label_shown (gpointer data)
{
  return find_label_containing (GTK_WIDGET (window), data) != NULL;
}

/* A scan no scanner profile is for (a TIFF with no description) gets a
 * banner over it, the display panel says it is not calibrated and the
 * weight estimate too; the generator's scan names its profile: no banner,
 * and the panel says which profile and how it was chosen. */
static void
test_profile_shown (void)
{
  DlSession *session = dl_window_get_session (window);
  g_autoptr(DlSynthOutput) out = dl_synth_generate ("mixed", 7, FALSE, NULL);
  g_autofree char *synth = NULL, *plain = g_build_filename (tmpdir, "scan.tif", NULL);
  g_autoptr(GFile) plain_file = g_file_new_for_path (plain);
  g_autoptr(GFile) synth_file = NULL;
  GtkLabel *banner;

  dl_window_open_files (window, &plain_file, 1);
  g_assert_true (wait_until (scan_is, "scan.tif", 20000));
  g_assert_null (dl_session_get_profile (session, NULL));
  g_assert_true (wait_until (label_shown, "No scanner profile is for this scan", 5000));
  banner = find_label_containing (GTK_WIDGET (window), "No scanner profile is for this scan");
  g_assert_nonnull (strstr (gtk_label_get_label (banner), "not calibrated"));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (window), "Scanner profile: none is for this scan"));

  g_assert_true (dl_synth_write (out, tmpdir, NULL));
  synth = g_build_filename (tmpdir, "mixed-7.tif", NULL);
  synth_file = g_file_new_for_path (synth);
  dl_window_open_files (window, &synth_file, 1);
  g_assert_true (wait_until (scan_is, "mixed-7.tif", 20000));
  g_assert_nonnull (dl_session_get_profile (session, NULL));
  g_assert_null (find_label_containing (GTK_WIDGET (window), "No scanner profile"));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (window), ", named by the scan"));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (window), dl_session_get_profile (session, NULL)->name));
}

static void
test_bad_file_keeps_scan (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "broken.tif", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  DlSession *session = dl_window_get_session (window);
  DlScan *before = dl_session_get_scan (session);
  g_autofree char *message = NULL;
  gulong id;

  g_assert_true (g_file_set_contents (path, "II*\0garbage that is no TIFF at all", 36, NULL));
  id = g_signal_connect (session, "load-failed", G_CALLBACK (on_load_failed), &message);
  dl_window_open_files (window, &file, 1);
  g_assert_true (wait_until (have_message, &message, 10000));
  g_signal_handler_disconnect (session, id);

  g_test_message ("refused: %s", message);
  g_assert_cmpstr (message, !=, "");
  g_assert_true (dl_session_get_scan (session) == before);
  g_assert_false (dl_session_get_loading (session));
}

int
main (int argc, char **argv)
{
  g_autofree char *scan = NULL;
  g_autofree char *config = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("dl-gui-XXXXXX", NULL);
  config = g_build_filename (tmpdir, "config", NULL);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return g_test_run ();
    }
  adw_init ();

  scan = g_build_filename (tmpdir, "scan.tif", NULL);
  g_assert_true (fixture_write_tiff (scan, W, H, 2));

  window = dl_window_new (NULL);
  /* wide enough that the queue and the side panel do not fold (dl-window-layout.c) */
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 700);
  gtk_window_present (GTK_WINDOW (window));

  g_test_add_func ("/window/open-and-render", test_open_and_render);
  g_test_add_func ("/window/right-drag", test_right_drag);
  g_test_add_func ("/window/wheel-zoom-keeps-point", test_wheel_zoom_keeps_point);
  g_test_add_func ("/window/pan-drag", test_pan_drag);
  g_test_add_func ("/window/histogram-handle", test_histogram_handle);
  g_test_add_func ("/window/presets-and-layout", test_presets_and_layout);
  g_test_add_func ("/window/overlays", test_overlays);
  g_test_add_func ("/window/legend-follows-preferences", test_legend_follows_preferences);
  g_test_add_func ("/window/marks", test_marks);
  g_test_add_func ("/window/band-from-histogram-and-lut-file", test_band_from_histogram_and_lut_file);
  g_test_add_func ("/window/profile-shown", test_profile_shown);
  g_test_add_func ("/window/bad-file-keeps-scan", test_bad_file_keeps_scan);

  ret = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  return ret;
}
