/* dl-window-open.c — how scans come into DlWindow: the file chooser, the
 * recent files, a drop, the command line (dl_window_open_files ()), and
 * stepping through the files (or cases) opened.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-window-open"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "dl-settings.h"
#include "dl-window-private.h"

/* Case files are SQLite files: told by their first bytes, not the name. */
static gboolean
is_case_file (const char *path)
{
  static const char magic[16] = "SQLite format 3";
  char head[16] = { 0 };
  FILE *f = fopen (path, "rb");
  gboolean yes;

  if (f == NULL)
    return FALSE;
  yes = fread (head, 1, sizeof head, f) == sizeof head && memcmp (head, magic, sizeof magic) == 0;
  fclose (f);
  return yes;
}

/* A site store (a postgresql:// URI, the first of @files) or a case file
 * opens its queue; scans open as the session's list of files, the first
 * shown. */
void
_dl_window_open_files (DlWindow  *self,
                       GFile    **files,
                       guint      n_files)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  g_assert (DL_IS_WINDOW (self));

  if (n_files > 0 && (g_file_has_uri_scheme (files[0], "postgresql") || g_file_has_uri_scheme (files[0], "postgres")))
    {
      g_autofree char *uri = g_file_get_uri (files[0]);
      g_autoptr(GError) error = NULL;

      if (!_dl_window_open_site (self, uri, &error))
        _dl_window_show_error (self, _("Could not open the site store"), error);
      return;
    }
  for (guint i = 0; i < n_files; i++)
    {
      char *path = g_file_get_path (files[i]);
      if (path)
        g_ptr_array_add (paths, path);
    }
  if (paths->len == 0)
    return;
  if (is_case_file (g_ptr_array_index (paths, 0)))
    {
      g_autoptr(GError) error = NULL;

      if (!_dl_window_open_case_file (self, g_ptr_array_index (paths, 0), &error))
        _dl_window_show_error (self, _("Could not open the case file"), error);
      return;
    }

  g_ptr_array_add (paths, NULL);
  dl_session_set_files (self->session, (const char * const *) paths->pdata);
  dl_session_open (self->session, g_ptr_array_index (paths, 0));
}

static void
on_open_response (GtkNativeDialog *dialog,
                  int              response,
                  DlWindow        *self)
{
  g_assert (GTK_IS_NATIVE_DIALOG (dialog));
  g_assert (DL_IS_WINDOW (self));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      guint n = g_list_model_get_n_items (files);
      g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (array, g_list_model_get_item (files, i));
      _dl_window_open_files (self, (GFile **) array->pdata, array->len);
    }
  g_object_unref (dialog);
}

static void
add_scan_filters (GtkFileChooser *chooser)
{
  g_autoptr(GtkFileFilter) tiff = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_filter_set_name (tiff, _("TIFF scans"));
  gtk_file_filter_add_mime_type (tiff, "image/tiff");
  gtk_file_filter_add_suffix (tiff, "tif");
  gtk_file_filter_add_suffix (tiff, "tiff");
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (chooser, tiff);
  gtk_file_chooser_add_filter (chooser, all);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GFile) folder = NULL;

  g_assert (DL_IS_WINDOW (self));

  chooser = gtk_file_chooser_native_new (_("Open Scans"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  add_scan_filters (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  folder = dl_settings_dup_folder ("scans-folder");
  if (folder)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  g_signal_connect (chooser, "response", G_CALLBACK (on_open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
open_recent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  const char *path = g_variant_get_string (param, NULL);
  const char *paths[] = { path, NULL };

  g_assert (DL_IS_WINDOW (self));

  dl_session_set_files (self->session, paths);
  dl_session_open (self->session, path);
}

/* The next or previous case of the queue, when a case file is open, else
 * the next or previous of the files opened. */
static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  int delta = g_str_equal (action_name, "win.next") ? 1 : -1;

  g_assert (DL_IS_WINDOW (self));

  if (self->queue)
    {
      if (!dl_case_sidebar_step (self->case_sidebar, delta))
        _dl_window_toast (self, delta > 0 ? _("This is the last case") : _("This is the first case"));
      return;
    }
  if (!dl_session_step (self->session, delta))
    adw_toast_overlay_add_toast (self->toast_overlay,
                                 adw_toast_new (delta > 0 ? _("This is the last scan")
                                                          : _("This is the first scan")));
}

static void
cancel_load_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);

  g_assert (DL_IS_WINDOW (self));

  dl_session_cancel_load (self->session);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Opening cancelled")));
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         DlWindow      *self)
{
  GSList *list;
  g_autoptr(GPtrArray) files = g_ptr_array_new ();

  g_assert (GTK_IS_DROP_TARGET (target));
  g_assert (DL_IS_WINDOW (self));

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  list = g_value_get_boxed (value);
  for (GSList *l = list; l; l = l->next)
    g_ptr_array_add (files, l->data);
  _dl_window_open_files (self, (GFile **) files->pdata, files->len);
  return files->len > 0;
}

/* The menu's recent files, as the preferences keep them. */
void
_dl_window_update_recent_menu (DlWindow *self)
{
  g_auto(GStrv) recent = NULL;

  g_assert (DL_IS_WINDOW (self));

  recent = dl_settings_dup_recent ();
  g_menu_remove_all (self->recent_section);
  for (guint i = 0; recent[i]; i++)
    {
      g_autofree char *label = g_filename_display_basename (recent[i]);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "win.open-recent",
                                               g_variant_new_string (recent[i]));
      g_menu_append_item (self->recent_section, item);
    }
}

static void
on_recent_changed (DlWindow *self)
{
  g_assert (DL_IS_WINDOW (self));

  _dl_window_update_recent_menu (self);
}

static void
on_file_chosen (GtkNativeDialog *dialog,
                int              response,
                DlWindow        *self)
{
  DlWindowFileFunc func = g_object_get_data (G_OBJECT (dialog), "dl-func");

  g_assert (GTK_IS_NATIVE_DIALOG (dialog));
  g_assert (DL_IS_WINDOW (self));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path)
        func (self, path);
    }
  g_object_unref (dialog);
}

/* A modal chooser in the folder of the preference @folder_key; @func is
 * called with the path chosen. */
void
_dl_window_choose_file (DlWindow            *self,
                        const char          *title,
                        GtkFileChooserAction action,
                        const char          *folder_key,
                        const char          *suggested_name,
                        DlWindowFileFunc     func)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GFile) folder = NULL;

  g_assert (DL_IS_WINDOW (self));

  folder = dl_settings_dup_folder (folder_key);
  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action, NULL, NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (folder)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  if (suggested_name)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested_name);
  g_object_set_data (G_OBJECT (chooser), "dl-func", func);
  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_dl_window_open_class_init (DlWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.next", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.previous", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-load", NULL, cancel_load_action);
}

/* Files dropped on the window open; the recent files follow the
 * preferences. */
void
_dl_window_open_init (DlWindow *self)
{
  GtkDropTarget *drop;

  g_assert (DL_IS_WINDOW (self));

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  _dl_window_update_recent_menu (self);
  if (dl_settings_get ())
    g_signal_connect_object (dl_settings_get (), "changed::recent-files",
                             G_CALLBACK (on_recent_changed), self, G_CONNECT_SWAPPED);
}
