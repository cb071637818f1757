/* dl-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-application"

#include "config.h"

#include <glib/gi18n.h>

#include "dl-application.h"
#include "dl-preferences-window.h"
#include "dl-settings.h"
#include "dl-window.h"

struct _DlApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (DlApplication, dl_application, ADW_TYPE_APPLICATION)

static DlWindow *
get_window (DlApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (dl_window_new (GTK_APPLICATION (self)));
  return DL_WINDOW (window);
}

static void
dl_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (get_window (DL_APPLICATION (app))));
}

typedef struct
{
  DlWindow  *window;
  GPtrArray *files;   /* GFile */
} PendingOpen;

static void
pending_open_free (PendingOpen *p)
{
  g_object_unref (p->window);
  g_ptr_array_unref (p->files);
  g_free (p);
}

/* The files open once the window has shown itself: it appears at once,
 * and what it opens comes on the next frame. */
static void
open_after_first_frame (GdkFrameClock *clock,
                        PendingOpen   *p)
{
  g_assert (GDK_IS_FRAME_CLOCK (clock));
  g_assert (DL_IS_WINDOW (p->window));

  g_signal_handlers_disconnect_by_func (clock, open_after_first_frame, p);
  dl_window_open_files (p->window, (GFile **) p->files->pdata, p->files->len);
  pending_open_free (p);
}

static void
dl_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  DlWindow *window = get_window (DL_APPLICATION (app));
  GdkFrameClock *clock;
  PendingOpen *p;

  gtk_window_present (GTK_WINDOW (window));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  if (clock == NULL)
    {
      dl_window_open_files (window, files, n_files);
      return;
    }
  p = g_new0 (PendingOpen, 1);
  p->window = g_object_ref (window);
  p->files = g_ptr_array_new_with_free_func (g_object_unref);
  for (int i = 0; i < n_files; i++)
    g_ptr_array_add (p->files, g_object_ref (files[i]));
  g_signal_connect (clock, "after-paint", G_CALLBACK (open_after_first_frame), p);
}

/* Image analysis is done in dim rooms: dark unless the user chose light or
 * the desktop's choice ("style"; the older "dark-style" counts while
 * "style" was never set). */
static void
apply_style (void)
{
  GSettings *settings = dl_settings_get ();
  g_autoptr(GVariant) user = settings ? g_settings_get_user_value (settings, "style") : NULL;
  g_autofree char *style = settings ? g_settings_get_string (settings, "style") : NULL;
  AdwColorScheme scheme = ADW_COLOR_SCHEME_FORCE_DARK;

  if (settings && user == NULL && !g_settings_get_boolean (settings, "dark-style"))
    scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
  else if (g_strcmp0 (style, "light") == 0)
    scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
  else if (g_strcmp0 (style, "system") == 0)
    scheme = ADW_COLOR_SCHEME_DEFAULT;   /* the desktop's, light when it has none */

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), scheme);
}

static void
on_style_changed (GSettings  *settings,
                  const char *key,
                  gpointer    user_data)
{
  g_assert (G_IS_SETTINGS (settings));

  apply_style ();
}

/* Every window's view state follows the overlay preferences. */
static void
on_window_added (GtkApplication *app,
                 GtkWindow      *window)
{
  g_assert (GTK_IS_APPLICATION (app));
  g_assert (GTK_IS_WINDOW (window));

  if (DL_IS_WINDOW (window))
    dl_settings_bind_view_state (dl_session_get_view_state (dl_window_get_session (DL_WINDOW (window))));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  g_assert (G_IS_SIMPLE_ACTION (action));
  g_assert (GTK_IS_APPLICATION (user_data));

  gtk_window_present (GTK_WINDOW (dl_preferences_window_new (parent)));
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  GtkApplication *app = user_data;
  const char *developers[] = { "The Doorlicht developers", NULL };
  GtkWidget *about;

  g_assert (G_IS_SIMPLE_ACTION (action));
  g_assert (GTK_IS_APPLICATION (app));

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("Doorlicht"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "comments", _("Vendor-neutral workstation for customs X-ray image analysis"),
                        "developers", developers,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  GList *windows;

  g_assert (G_IS_SIMPLE_ACTION (action));
  g_assert (G_IS_APPLICATION (user_data));

  /* each window closes its case file (checkpointed, one plain file):
   * quitting alone would leave the day's work in the -wal beside it */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (user_data))) != NULL)
    gtk_window_destroy (windows->data);
  g_application_quit (G_APPLICATION (user_data));
}

static void
dl_application_startup (GApplication *app)
{
  static const GActionEntry entries[] = {
    { "about", about_action },
    { "preferences", preferences_action },
    { "quit", quit_action },
  };
  static const struct { const char *action; const char *accels[3]; } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "win.open", { "<Control>o", NULL } },
    { "win.zoom-in", { "<Control>plus", "<Control>equal", NULL } },
    { "win.zoom-out", { "<Control>minus", NULL } },
    { "win.next", { "<Control>Page_Down", NULL } },
    { "win.previous", { "<Control>Page_Up", NULL } },
    { "window.close", { "<Control>w", NULL } },
  };

  G_APPLICATION_CLASS (dl_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action, accels[i].accels);

  apply_style ();
  if (dl_settings_get ())
    {
      g_signal_connect (dl_settings_get (), "changed::style", G_CALLBACK (on_style_changed), NULL);
      g_signal_connect (dl_settings_get (), "changed::dark-style", G_CALLBACK (on_style_changed), NULL);
    }
  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added), NULL);
}

static void
dl_application_class_init (DlApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = dl_application_activate;
  app_class->open = dl_application_open;
  app_class->startup = dl_application_startup;
}

static void
dl_application_init (DlApplication *self)
{
}

DlApplication *
dl_application_new (GApplicationFlags flags)
{
  return g_object_new (DL_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", flags | G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/nl/doorlicht/Doorlicht",
                       NULL);
}
