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
  GString        *unbound;    /* accelerators the shortcuts window lists that nothing handles */
  guint           n_listed;
} Probe;

/* Does @trigger (or one of its alternatives) fire for @keyval + @mods? */
static gboolean
trigger_matches (GtkShortcutTrigger *trigger,
                 guint               keyval,
                 GdkModifierType     mods)
{
  if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    return trigger_matches (gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)), keyval, mods)
           || trigger_matches (gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)), keyval, mods);
  if (GTK_IS_KEYVAL_TRIGGER (trigger))
    return gdk_keyval_to_lower (gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger))) == gdk_keyval_to_lower (keyval)
           && gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == mods;
  return FALSE;
}

/* Bound by a shortcut controller of @widget or of a widget inside it. */
static gboolean
widget_binds (GtkWidget      *widget,
              guint           keyval,
              GdkModifierType mods)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_SHORTCUT_CONTROLLER (c))
        for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (c)); k++)
          {
            g_autoptr(GtkShortcut) sc = g_list_model_get_item (G_LIST_MODEL (c), k);

            if (trigger_matches (gtk_shortcut_get_trigger (sc), keyval, mods))
              return TRUE;
          }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (widget_binds (child, keyval, mods))
      return TRUE;
  return FALSE;
}

/* Every key the shortcuts window (Ctrl+?) lists does something: the
 * window, a widget in it or the application binds it. */
static void
check_listed_shortcuts (Probe     *p,
                        GtkWindow *window)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/nl/doorlicht/Doorlicht/gtk/help-overlay.ui");
  g_autoptr(GSList) objects = gtk_builder_get_objects (builder);

  p->unbound = g_string_new (NULL);
  for (GSList *l = objects; l; l = l->next)
    {
      g_autofree char *accelerator = NULL;
      g_auto(GStrv) keys = NULL;

      if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data))
        continue;
      g_object_get (l->data, "accelerator", &accelerator, NULL);
      if (accelerator == NULL || *accelerator == '\0')
        continue;   /* a gesture */
      keys = g_strsplit (accelerator, " ", -1);
      for (guint i = 0; keys[i]; i++)
        {
          g_auto(GStrv) actions = gtk_application_get_actions_for_accel (p->app, keys[i]);
          guint keyval = 0;
          GdkModifierType mods = 0;

          p->n_listed++;
          if (!gtk_accelerator_parse (keys[i], &keyval, &mods))
            g_string_append_printf (p->unbound, "  %s (not an accelerator)\n", keys[i]);
          else if ((actions == NULL || actions[0] == NULL) && !widget_binds (GTK_WIDGET (window), keyval, mods))
            g_string_append_printf (p->unbound, "  %s\n", keys[i]);
        }
    }
  gtk_window_destroy (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
}

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
          check_listed_shortcuts (p, window);
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
  g_test_message ("%u keys listed in the shortcuts window", p.n_listed);
  g_assert_cmpuint (p.n_listed, >, 40);
  if (p.unbound->len)
    g_error ("the shortcuts window lists keys nothing handles:\n%s", p.unbound->str);
  g_string_free (p.unbound, TRUE);
  g_free (p.title);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/application/start-open-quit", test_start_open_quit);
  return g_test_run ();
}
