/* test-hints.c — a hint that names a region of the scan outlines it when
 * the analyst selects the hint, and the view goes to it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <math.h>

#include "gui-test-util.h"
#include "dl-manifest-panel.h"
#include "dl-scan-view.h"
#include "dl-synth.h"
#include "dl-window.h"

static DlWindow *window;
static char *tmpdir;

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

static gboolean
checked (gpointer data)
{
  DlSession *s = dl_window_get_session (window);
  return dl_session_get_scan (s) != NULL && !dl_session_get_loading (s)
         && dl_session_get_check_summary (s) != NULL;
}

/* The first hint with a region, G_MAXUINT when none. */
static guint
hint_with_region (DlSession *session)
{
  const char * const *hints = dl_session_get_hints (session);

  for (guint i = 0; hints && hints[i]; i++)
    if (dl_session_get_hint_region (session, i))
      return i;
  return G_MAXUINT;
}

static gboolean
rect_contains (const double *rect,
               const int    *box)
{
  return rect[0] <= box[0] && rect[1] <= box[1] && rect[2] >= box[2] && rect[3] >= box[3];
}

/* Clicks (real pointer events) at the middle of @widget's left edge + 20. */
static gboolean
click (GtkWidget *widget)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *move = NULL;
  graphene_point_t p;
  double tx, ty;

  if (!gtk_widget_compute_point (widget, GTK_WIDGET (window),
                                 &GRAPHENE_POINT_INIT (20, gtk_widget_get_height (widget) / 2.0), &p))
    return FALSE;
  gtk_native_get_surface_transform (GTK_NATIVE (window), &tx, &ty);
  move = g_strdup_printf ("mousemove --sync --window %lu %d %d", (gulong) gdk_x11_surface_get_xid (surface),
                          (int) round (p.x + tx), (int) round (p.y + ty));
  return spawn_xdotool (move) && spawn_xdotool ("click 1");
}

static gboolean
outlined (gpointer data)
{
  return dl_scan_view_get_hint_region (data, NULL);
}

/* How many pixels of @view are the outline's lavender (R 204, G 194, B 255). */
static guint
outline_pixels (GtkWidget *view)
{
  g_autoptr(GdkTexture) texture = render_widget (view);
  int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
  g_autofree guint8 *pixels = g_malloc ((gsize) w * h * 4);
  guint n = 0;

  gdk_texture_download (texture, pixels, w * 4);
  for (gsize i = 0; i < (gsize) w * h; i++)
    {
      const guint8 *px = pixels + i * 4;   /* B G R A */
      if (abs (px[2] - 204) < 12 && abs (px[1] - 194) < 12 && px[0] > 240)
        n++;
    }
  return n;
}

static void
test_hint_region (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSynthOutput) out = dl_synth_generate ("false-wall", 1, TRUE, &error);
  g_autofree char *base = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  DlSession *session = dl_window_get_session (window);
  DlViewState *state = dl_session_get_view_state (session);
  GtkWidget *view, *panel, *row;
  GtkListBox *list;
  const DlSessionHintRegion *r;
  double rect[4];
  int box[4];
  guint index;

  if (g_find_program_in_path ("xdotool") == NULL
      || !GDK_IS_X11_SURFACE (gtk_native_get_surface (GTK_NATIVE (window))))
    {
      g_test_skip ("needs xdotool and the X11 backend (Xvfb)");
      return;
    }
  g_assert_no_error (error);
  g_assert_true (dl_synth_write (out, tmpdir, &error));
  g_assert_no_error (error);
  base = dl_synth_basename (out);
  path = g_strdup_printf ("%s/%s.tif", tmpdir, base);
  file = g_file_new_for_path (path);

  /* the scan opens with the declaration beside it, and is checked */
  dl_window_open_files (window, &file, 1);
  g_assert_true (wait_until (checked, NULL, 30000));
  index = hint_with_region (session);
  g_test_message ("%s", dl_session_get_check_summary (session));
  g_assert_cmpuint (index, !=, G_MAXUINT);
  r = dl_session_get_hint_region (session, index);
  g_test_message ("hint %u: %s — region %d,%d–%d,%d", index, dl_session_get_hints (session)[index],
                  r->box[0], r->box[1], r->box[2], r->box[3]);
  g_assert_cmpuint (r->view, ==, 0);

  /* the analyst has zoomed into a corner far from the region */
  view = dl_window_get_scan_view (window, 0);
  dl_view_state_set_fit (state, FALSE);
  dl_view_state_set_zoom (state, 4.0);
  dl_view_state_set_focus (state, 10, 10);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.side-page", "s", "manifest");
  panel = find_of_type (GTK_WIDGET (window), DL_TYPE_MANIFEST_PANEL);
  list = GTK_LIST_BOX (gtk_widget_get_template_child (panel, DL_TYPE_MANIFEST_PANEL, "hints_list"));
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (list, (int) index));
  g_assert_nonnull (row);
  g_assert_true (wait_until ((Condition) gtk_widget_get_mapped, row, 5000));
  wait_widget_frames (view, 2);
  dl_scan_view_get_visible_rect (DL_SCAN_VIEW (view), rect);
  g_assert_false (rect_contains (rect, r->box));
  g_assert_false (dl_scan_view_get_hint_region (DL_SCAN_VIEW (view), NULL));
  g_assert_cmpuint (outline_pixels (view), ==, 0);

  /* a click on the hint outlines its region, and the view goes to it */
  g_assert_true (click (row));
  g_assert_true (wait_until (outlined, view, 5000));
  wait_widget_frames (view, 2);
  g_assert_true (gtk_list_box_row_is_selected (GTK_LIST_BOX_ROW (row)));
  g_assert_true (dl_scan_view_get_hint_region (DL_SCAN_VIEW (view), box));
  g_assert_cmpmem (box, sizeof box, r->box, sizeof r->box);
  dl_scan_view_get_visible_rect (DL_SCAN_VIEW (view), rect);
  g_test_message ("visible %.0f,%.0f–%.0f,%.0f", rect[0], rect[1], rect[2], rect[3]);
  g_assert_true (rect_contains (rect, r->box));
  g_assert_cmpuint (outline_pixels (view), >, 40);
  {
    g_autoptr(GdkTexture) texture = render_widget (GTK_WIDGET (window));
    g_autofree char *png = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshot-hint-region.png", NULL);
    g_assert_true (gdk_texture_save_to_png (texture, png));
    g_test_message ("%s", png);
  }

  /* the hint unselected, the outline goes (as it does with the next case) */
  gtk_list_box_unselect_all (list);
  g_assert_false (dl_scan_view_get_hint_region (DL_SCAN_VIEW (view), NULL));
}

int
main (int argc, char **argv)
{
  g_autofree char *config = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("dl-gui-hints-XXXXXX", NULL);
  config = g_build_filename (tmpdir, "config", NULL);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return g_test_run ();
    }
  adw_init ();

  window = dl_window_new (NULL);
  /* wide enough that the queue and the side panel do not fold (dl-window-layout.c) */
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 760);
  gtk_window_present (GTK_WINDOW (window));

  g_test_add_func ("/hints/region-outlined-and-shown", test_hint_region);

  ret = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  return ret;
}
