/* dl-window-marks.c — DlWindow's marks on the scan: the text tool's
 * words, deleting the mark selected, finishing or dropping the one being
 * drawn.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-window-marks"

#include "config.h"

#include <glib/gi18n.h>

#include "dl-window-private.h"

static void
on_text_response (AdwMessageDialog *dialog,
                  const char       *response,
                  DlWindow         *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  DlPoint *at = g_object_get_data (G_OBJECT (dialog), "point");
  guint view = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "view"));
  const char *text = gtk_editable_get_text (entry);

  g_assert (ADW_IS_MESSAGE_DIALOG (dialog));
  g_assert (DL_IS_WINDOW (self));

  if (g_str_equal (response, "add") && *text)
    dl_session_add_mark (self->session, DL_ANNOTATION_TEXT, view, at, 1, text);
}

/* The text tool asks for its words. */
static void
on_text_requested (DlScanView *view,
                   double      x,
                   double      y,
                   DlWindow   *self)
{
  GtkWidget *dialog, *entry;
  DlPoint *at;
  DlPlane *plane;

  g_assert (DL_IS_SCAN_VIEW (view));
  g_assert (DL_IS_WINDOW (self));

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Add Text"), NULL);
  entry = gtk_entry_new ();
  at = g_new (DlPoint, 1);
  plane = dl_scan_get_plane_at (dl_session_get_scan (self->session), dl_scan_view_get_plane_index (view));
  *at = (DlPoint) { x, y };
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Text"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "add", _("_Add"), NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "add");
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "add", ADW_RESPONSE_SUGGESTED);
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_object_set_data_full (G_OBJECT (dialog), "point", at, g_free);
  g_object_set_data (G_OBJECT (dialog), "view", GUINT_TO_POINTER (plane ? plane->view : 0));
  g_signal_connect (dialog, "response", G_CALLBACK (on_text_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Each scan view's text tool asks the window for its words. */
void
_dl_window_marks_watch_view (DlWindow   *self,
                             DlScanView *view)
{
  g_assert (DL_IS_WINDOW (self));
  g_assert (DL_IS_SCAN_VIEW (view));

  g_signal_connect_object (view, "text-requested", G_CALLBACK (on_text_requested), self, 0);
}

static void
delete_mark_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);

  g_assert (DL_IS_WINDOW (self));

  if (dl_annotations_remove (dl_session_get_annotations (self->session), dl_session_get_selected (self->session)))
    dl_session_set_selected (self->session, 0);
}

/* Enter closes the polygon being drawn; Escape drops it and selects, or
 * first of all stops the work on the case file running (the busy bar). */
static void
finish_mark_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  gboolean finish = g_str_equal (action_name, "win.finish-mark");

  g_assert (DL_IS_WINDOW (self));

  if (!finish && self->job_cancellable && !g_cancellable_is_cancelled (self->job_cancellable))
    {
      _dl_window_cancel_job (self);
      return;
    }
  for (guint i = 0; i < self->views->len; i++)
    {
      DlScanView *view = g_ptr_array_index (self->views, i);
      if (finish)
        dl_scan_view_finish_polygon (view);
      else
        dl_scan_view_cancel_draft (view);
    }
  if (!finish)
    dl_session_set_tool (self->session, DL_TOOL_SELECT);
}

void
_dl_window_marks_class_init (DlWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.delete-mark", NULL, delete_mark_action);
  gtk_widget_class_install_action (widget_class, "win.finish-mark", NULL, finish_mark_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-mark", NULL, finish_mark_action);
}
