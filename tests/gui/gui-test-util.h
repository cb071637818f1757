/* gui-test-util.h — what every GUI test needs: waiting on the main loop
 * for a condition, counting painted frames, real input through xdotool.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <gtk/gtk.h>

#include "dl-window.h"

typedef gboolean (*Condition) (gpointer data);

/* Runs the main loop until @condition holds; FALSE after @timeout_ms. */
static inline gboolean
wait_until (Condition condition,
            gpointer  data,
            guint     timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

static inline gboolean
time_passed (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

/* Runs the main loop for @ms (transitions, animations finish). */
static inline void
wait_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  wait_until (time_passed, &end, ms + 1000);
}

/* What @widget shows now, rendered by its window's renderer. */
static inline GdkTexture *
render_widget (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
}

/* GdkFrameClock::after-paint handler counting frames into *@frames. */
static inline void
on_after_paint (GdkFrameClock *clock,
                guint         *frames)
{
  (*frames)++;
}

/* For wait_until: f[0] (frames painted) has reached f[1]. */
static inline gboolean
frames_at_least (gpointer data)
{
  guint *f = data;
  return f[0] >= f[1];
}

/* Runs `xdotool ARGS`; FALSE (with a test message) when it fails. */
static inline gboolean
spawn_xdotool (const char *args)
{
  g_autofree char *cmd = g_strdup_printf ("xdotool %s", args);
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_command_line_sync (cmd, NULL, NULL, &status, &error))
    {
      g_test_message ("xdotool: %s", error->message);
      return FALSE;
    }
  return g_spawn_check_wait_status (status, NULL);
}

/* TRUE when real key presses can be sent (xdotool on X11), else the test
 * is skipped, saying why. */
static inline gboolean
have_xdotool (void)
{
  g_autofree char *path = g_find_program_in_path ("xdotool");

  if (path == NULL || !GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    {
      g_test_skip ("needs xdotool and the X11 backend (Xvfb)");
      return FALSE;
    }
  return TRUE;
}

/* Gives @window the keyboard, as a click on it would. */
static inline void
gui_test_activate (GtkWindow *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *cmd = g_strdup_printf ("windowactivate --sync %lu", (gulong) gdk_x11_surface_get_xid (surface));

  spawn_xdotool (cmd);
}

/* The first label below @widget that @shown says is shown and whose
 * text holds @text. */
static inline GtkLabel *
find_label_by (GtkWidget  *widget,
               const char *text,
               gboolean  (*shown) (GtkWidget *))
{
  if (GTK_IS_LABEL (widget) && shown (widget)
      && strstr (gtk_label_get_label (GTK_LABEL (widget)), text))
    return GTK_LABEL (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkLabel *found = find_label_by (c, text, shown);

      if (found)
        return found;
    }
  return NULL;
}

/* … visible (it and all above it) */
static inline GtkLabel *
find_label_containing (GtkWidget  *widget,
                       const char *text)
{
  return find_label_by (widget, text, gtk_widget_is_visible);
}

static inline gboolean
widget_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* Lets GTK lay out and paint @n more frames of @widget's window (each
 * one asked for: an idle window paints nothing). */
static inline void
wait_widget_frames (GtkWidget *widget,
                    guint      n)
{
  GdkFrameClock *clock;
  guint counts[2] = { 0, 0 };
  gulong id;

  g_assert_true (wait_until (widget_is_mapped, widget, 5000));
  clock = gtk_widget_get_frame_clock (widget);
  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &counts[0]);
  for (counts[1] = 1; counts[1] <= n; counts[1]++)
    {
      gtk_widget_queue_draw (widget);
      g_assert_true (wait_until (frames_at_least, counts, 5000));
    }
  g_signal_handler_disconnect (clock, id);
}

/* The start of a test program that drives a window: the analyst's settings
 * and key in a new folder (@tmpdir, set before GLib caches the XDG folders),
 * settings in memory, GTK and libadwaita up, and a window of @width ×
 * @height shown.  %NULL when there is no display: the caller skips. */
static inline DlWindow *
gui_test_start_window (const char  *name,
                       int          width,
                       int          height,
                       char       **tmpdir)
{
  g_autofree char *template = g_strdup_printf ("dl-gui-%s-XXXXXX", name);
  g_autofree char *config = NULL;
  g_autofree char *data = NULL;
  DlWindow *window;

  *tmpdir = g_dir_make_tmp (template, NULL);
  config = g_build_filename (*tmpdir, "config", NULL);
  data = g_build_filename (*tmpdir, "data", NULL);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (!gtk_init_check ())
    return NULL;
  adw_init ();
  window = dl_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}
