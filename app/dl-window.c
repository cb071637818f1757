/* dl-window.c — DlWindow's life (template, parts, dispose), its side
 * pages, toasts and error dialogs, and its public API.  The parts are in
 * dl-window-*.c; dl-window-private.h lists them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-window"

#include "config.h"

#include <glib/gi18n.h>

#include "doorlicht-resources.h"
#include "dl-settings.h"
#include "dl-window-private.h"

G_DEFINE_FINAL_TYPE (DlWindow, dl_window, ADW_TYPE_APPLICATION_WINDOW)

void
_dl_window_toast (DlWindow   *self,
                  const char *text)
{
  g_assert (DL_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

void
_dl_window_show_error (DlWindow   *self,
                       const char *heading,
                       GError     *error)
{
  AdwMessageDialog *dialog;

  g_assert (DL_IS_WINDOW (self));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, error->message));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
side_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DlWindow *self = DL_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  g_assert (DL_IS_WINDOW (self));

  if (gtk_stack_get_child_by_name (self->side_stack, name) == NULL)
    return;
  gtk_stack_set_visible_child_name (self->side_stack, name);
  _dl_window_layout_show_side_panel (self);
  /* the key that opens a page takes the focus into it */
  if (g_str_equal (name, "case"))
    dl_verdict_panel_focus (self->verdict_panel);
  else
    gtk_widget_child_focus (gtk_stack_get_child_by_name (self->side_stack, name), GTK_DIR_TAB_FORWARD);
}

/* The preferences that shape how scans open. */
static void
apply_settings (DlWindow *self)
{
  g_assert (DL_IS_WINDOW (self));

  /* a preset the user chose wins over a profile's [display] */
  dl_session_set_default_preset (self->session, dl_settings_has_default_preset ()
                                                ? dl_settings_get_default_preset () : DL_N_PRESETS);
  dl_view_state_set_space (dl_session_get_view_state (self->session), dl_settings_get_default_space ());
}

static void
dl_window_dispose (GObject *object)
{
  DlWindow *self = DL_WINDOW (object);

  if (self->session)
    {
      g_autoptr(GError) error = NULL;

      /* the thumbnails' connection first, then the file: one plain file
       * again, which a copy of the .dlcase alone carries whole */
      if (self->case_sidebar)
        dl_case_sidebar_set_queue (self->case_sidebar, NULL);
      if (!dl_session_close_case_file (self->session, &error))
        g_warning ("%s", error->message);
      dl_session_cancel_load (self->session);
    }
  g_clear_pointer (&self->views, g_ptr_array_unref);
  g_clear_pointer (&self->user_presets, g_ptr_array_unref);
  if (self->queue)
    g_signal_handlers_disconnect_by_data (self->queue, self);
  g_clear_object (&self->queue);
  g_clear_handle_id (&self->busy_pulse, g_source_remove);
  if (self->job_cancellable)
    g_cancellable_cancel (self->job_cancellable);
  g_clear_object (&self->job_cancellable);
  g_clear_pointer (&self->case_damaged, g_free);
  g_clear_object (&self->findings_toast);
  _dl_window_decide_dispose (self);
  _dl_window_site_dispose (self);
  g_clear_object (&self->session);
  g_clear_pointer (&self->status, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), DL_TYPE_WINDOW);

  G_OBJECT_CLASS (dl_window_parent_class)->dispose (object);
}

static void
bind_template (GtkWidgetClass *widget_class)
{
  gtk_widget_class_set_template_from_resource (widget_class, "/nl/doorlicht/Doorlicht/ui/dl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DlWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, views_box);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, loading_box);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, preview_picture);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, panel);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, manifest_panel);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, side_stack);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, case_sidebar);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, verdict_panel);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, queue_revealer);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, queue_flap);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, side_flap);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, integrity_label);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, site_label);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, profile_banner);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, profile_banner_box);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, busy_box);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, busy_label);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, busy_bar);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, recent_section);
}

static void
dl_window_class_init (DlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dl_window_dispose;

  /* Referencing the bundle links it in from the static library; its
   * constructor registers it. */
  g_assert (doorlicht_get_resource () != NULL);
  g_type_ensure (DL_TYPE_DISPLAY_PANEL);
  g_type_ensure (DL_TYPE_MANIFEST_PANEL);
  g_type_ensure (DL_TYPE_CASE_SIDEBAR);
  g_type_ensure (DL_TYPE_VERDICT_PANEL);
  bind_template (widget_class);

  /* each part its actions and keys, in this order: the keys of the jobs
   * (Escape), the cases (F5…F9, Ctrl+Return, Ctrl+Shift+Return, Ctrl+digits, n) and the
   * side pages (Alt+1…3) are bound as they always were */
  _dl_window_open_class_init (klass);
  _dl_window_view_actions_class_init (klass);
  _dl_window_layout_class_init (klass);
  _dl_window_marks_class_init (klass);
  gtk_widget_class_install_action (widget_class, "win.side-page", "s", side_page_action);
  _dl_window_jobs_class_init (klass);
  _dl_window_cases_class_init (klass);
  _dl_window_findings_class_init (klass);
  _dl_window_profile_class_init (klass);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.side-page", "s", "image");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.side-page", "s", "manifest");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.side-page", "s", "case");
}

static void
dl_window_init (DlWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->views = g_ptr_array_new ();
  self->session = dl_session_new ();
  dl_display_panel_set_session (self->panel, self->session);
  _dl_window_view_actions_init (self);
  _dl_window_layout_init (self);
  _dl_window_views_init (self);
  _dl_window_cases_init (self);
  _dl_window_decide_init (self);
  _dl_window_open_init (self);
  _dl_window_update_case_actions (self);
  _dl_window_jobs_init (self);
  _dl_window_findings_init (self);
  _dl_window_profile_init (self);
  apply_settings (self);
  if (dl_settings_get ())
    {
      g_signal_connect_object (dl_settings_get (), "changed::default-preset",
                               G_CALLBACK (apply_settings), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (dl_settings_get (), "changed::default-space",
                               G_CALLBACK (apply_settings), self, G_CONNECT_SWAPPED);
    }
  _dl_window_show_state_status (self);
}

DlWindow *
dl_window_new (GtkApplication *application)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (DL_TYPE_WINDOW, "application", application, NULL);
}

DlSession *
dl_window_get_session (DlWindow *self)
{
  g_return_val_if_fail (DL_IS_WINDOW (self), NULL);
  return self->session;
}

/**
 * dl_window_open_files:
 *
 * Opens @files: a case file (the first of them) for work, else scans,
 * the first shown and the others a step away.
 */
void
dl_window_open_files (DlWindow  *self,
                      GFile    **files,
                      guint      n_files)
{
  g_return_if_fail (DL_IS_WINDOW (self));
  g_return_if_fail (files != NULL || n_files == 0);

  _dl_window_open_files (self, files, n_files);
}

/* Returns: (transfer none) (nullable): the scan view at @index */
GtkWidget *
dl_window_get_scan_view (DlWindow *self,
                         guint     index)
{
  g_return_val_if_fail (DL_IS_WINDOW (self), NULL);
  return index < self->views->len ? g_ptr_array_index (self->views, index) : NULL;
}

const char *
dl_window_get_status (DlWindow *self)
{
  g_return_val_if_fail (DL_IS_WINDOW (self), NULL);
  return self->status;
}

/**
 * dl_window_open_case_file:
 *
 * Opens the analyst's own case file at @path for work (older versions are
 * migrated), shows its queue and moves to the first case that still needs
 * a verdict.
 */
gboolean
dl_window_open_case_file (DlWindow    *self,
                          const char  *path,
                          GError     **error)
{
  g_return_val_if_fail (DL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return _dl_window_open_case_file (self, path, error);
}
