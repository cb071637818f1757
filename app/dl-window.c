/* dl-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "doorlicht-resources.h"
#include "dl-colormap.h"
#include "dl-enhance.h"
#include "dl-presets.h"
#include "dl-scan-view.h"
#include "dl-settings.h"
#include "dl-window.h"
#include "dl-window-panel.h"

#define PAN_STEP 64.0

struct _DlWindow
{
  AdwApplicationWindow parent_instance;

  DlSession       *session;
  GPtrArray       *views;          /* DlScanView, those in views_box */
  GPtrArray       *user_presets;   /* DlUserPreset */
  char            *status;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;
  GtkBox          *views_box;
  AdwStatusPage   *empty_page;
  GtkWidget       *loading_box;
  GtkProgressBar  *progress_bar;
  GtkLabel        *status_label;
  DlWindowPanel   *panel;
  GMenu           *recent_section;
};

G_DEFINE_FINAL_TYPE (DlWindow, dl_window, ADW_TYPE_APPLICATION_WINDOW)

static void
set_status (DlWindow   *self,
            const char *text)
{
  g_free (self->status);
  self->status = g_strdup (text);
  gtk_label_set_label (self->status_label, text);
}

static void
show_state_status (DlWindow *self)
{
  g_autofree char *text = dl_session_describe_state (self->session);

  set_status (self, text);
  for (guint i = 0; i < self->views->len; i++)
    gtk_accessible_update_property (g_ptr_array_index (self->views, i),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

static void
on_pointer_moved (DlScanView *view,
                  double      x,
                  double      y,
                  DlWindow   *self)
{
  g_autofree char *text = dl_session_describe_point (self->session,
                                                     dl_scan_view_get_plane_index (view), x, y);
  if (text)
    set_status (self, text);
  else
    show_state_status (self);
}

static void
on_text_response (AdwMessageDialog *dialog,
                  const char       *response,
                  DlWindow         *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  DlPoint *at = g_object_get_data (G_OBJECT (dialog), "point");
  guint view = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "view"));
  const char *text = gtk_editable_get_text (entry);

  if (g_str_equal (response, "add") && *text)
    dl_session_set_selected (self->session,
                             dl_annotations_add (dl_session_get_annotations (self->session),
                                                 DL_ANNOTATION_TEXT, view, at, 1, text));
}

/* The text tool asks for its words. */
static void
on_text_requested (DlScanView *view,
                   double      x,
                   double      y,
                   DlWindow   *self)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Add Text"), NULL);
  GtkWidget *entry = gtk_entry_new ();
  DlPoint *at = g_new (DlPoint, 1);
  DlPlane *plane = dl_scan_get_plane_at (dl_session_get_scan (self->session),
                                         dl_scan_view_get_plane_index (view));

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

static void
clear_views (DlWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->views_box))))
    gtk_box_remove (self->views_box, child);
  g_ptr_array_set_size (self->views, 0);
}

static void
add_view (DlWindow *self,
          DlScan   *scan,
          guint     plane_index)
{
  GtkWidget *view = dl_scan_view_new (dl_session_get_view_state (self->session));

  const DlPlane *plane = dl_scan_get_plane_at (scan, plane_index);
  g_autofree char *text = dl_scan_get_n_views (scan) > 1
                          ? g_strdup_printf (_("View %u · %s"), plane->view + 1, plane->name)
                          : g_strdup (plane->name);
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *label = gtk_label_new (text);

  /* Which channel is which is never left to guess. */
  gtk_widget_add_css_class (label, "view-label");
  gtk_widget_set_halign (label, GTK_ALIGN_START);
  gtk_widget_set_valign (label, GTK_ALIGN_START);
  gtk_widget_set_can_target (label, FALSE);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), view);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), label);

  dl_scan_view_set_plane (DL_SCAN_VIEW (view), scan, plane_index);
  dl_scan_view_set_session (DL_SCAN_VIEW (view), self->session);
  g_signal_connect_object (view, "pointer-moved", G_CALLBACK (on_pointer_moved), self, 0);
  g_signal_connect_object (view, "text-requested", G_CALLBACK (on_text_requested), self, 0);
  gtk_box_append (self->views_box, overlay);
  g_ptr_array_add (self->views, view);
}

/* One view of the active plane, or all planes side by side; long scans
 * (wider than tall) are stacked, tall ones placed next to each other. */
static void
rebuild_views (DlWindow *self)
{
  DlScan *scan = dl_session_get_scan (self->session);
  DlPlane *active = dl_session_get_active_plane (self->session);
  gboolean had_focus = self->views->len > 0
                       && gtk_widget_has_focus (g_ptr_array_index (self->views, 0));

  clear_views (self);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_page), scan == NULL);
  if (scan == NULL)
    return;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->views_box),
                                  active->width >= active->height ? GTK_ORIENTATION_VERTICAL
                                                                  : GTK_ORIENTATION_HORIZONTAL);
  if (dl_session_get_show_all (self->session))
    for (guint i = 0; i < dl_scan_get_n_planes (scan); i++)
      add_view (self, scan, i);
  else
    add_view (self, scan, dl_session_get_active_index (self->session));

  if (had_focus || !gtk_widget_get_focus_child (GTK_WIDGET (self->panel)))
    gtk_widget_grab_focus (g_ptr_array_index (self->views, 0));
}

static void
update_title (DlWindow *self)
{
  DlScan *scan = dl_session_get_scan (self->session);
  DlPlane *plane = dl_session_get_active_plane (self->session);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  int index = dl_session_get_file_index (self->session);

  if (scan == NULL)
    {
      adw_window_title_set_title (self->window_title, _("Doorlicht"));
      adw_window_title_set_subtitle (self->window_title, NULL);
      return;
    }

  if (index >= 0 && dl_session_get_n_files (self->session) > 1)
    g_string_append_printf (subtitle, _("%d of %u · "), index + 1, dl_session_get_n_files (self->session));
  g_string_append_printf (subtitle, _("%s · %u × %u px"), plane->name, plane->width, plane->height);

  adw_window_title_set_title (self->window_title, dl_session_get_title (self->session));
  adw_window_title_set_subtitle (self->window_title, subtitle->str);
  gtk_window_set_title (GTK_WINDOW (self), dl_session_get_title (self->session));
}

static void
update_recent_menu (DlWindow *self)
{
  g_auto(GStrv) recent = dl_settings_dup_recent ();

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
on_scan_changed (DlSession  *session,
                 GParamSpec *pspec,
                 DlWindow   *self)
{
  const char *path = dl_session_get_path (session);

  rebuild_views (self);
  update_title (self);
  show_state_status (self);
  if (path)
    {
      dl_settings_add_recent (path);
      update_recent_menu (self);
    }
}

static void
on_layout_changed (DlSession  *session,
                   GParamSpec *pspec,
                   DlWindow   *self)
{
  rebuild_views (self);
  update_title (self);
}

static void
on_view_state_changed (DlViewState *state,
                       GParamSpec  *pspec,
                       DlWindow    *self)
{
  show_state_status (self);
}

static void
on_loading_changed (DlSession  *session,
                    GParamSpec *pspec,
                    DlWindow   *self)
{
  gboolean loading = dl_session_get_loading (session);

  gtk_widget_set_visible (self->loading_box, loading);
  if (loading)
    gtk_widget_set_visible (GTK_WIDGET (self->empty_page), FALSE);
  else
    gtk_widget_set_visible (GTK_WIDGET (self->empty_page), dl_session_get_scan (session) == NULL);
}

static void
on_load_failed (DlSession  *session,
                const char *path,
                GError     *error,
                DlWindow   *self)
{
  AdwMessageDialog *dialog;
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *heading = g_strdup_printf (_("Could not open “%s”"), name);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, error->message));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
  set_status (self, error->message);
}

void
dl_window_open_files (DlWindow  *self,
                      GFile    **files,
                      guint      n_files)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  g_return_if_fail (DL_IS_WINDOW (self));

  for (guint i = 0; i < n_files; i++)
    {
      char *path = g_file_get_path (files[i]);
      if (path)
        g_ptr_array_add (paths, path);
    }
  if (paths->len == 0)
    return;

  g_ptr_array_add (paths, NULL);
  dl_session_set_files (self->session, (const char * const *) paths->pdata);
  dl_session_open (self->session, g_ptr_array_index (paths, 0));
}

static void
on_open_response (GtkNativeDialog *dialog,
                  int              response,
                  DlWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      guint n = g_list_model_get_n_items (files);
      g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (array, g_list_model_get_item (files, i));
      dl_window_open_files (self, (GFile **) array->pdata, array->len);
    }
  g_object_unref (dialog);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) tiff = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Open Scans"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_file_filter_set_name (tiff, _("TIFF scans"));
  gtk_file_filter_add_mime_type (tiff, "image/tiff");
  gtk_file_filter_add_suffix (tiff, "tif");
  gtk_file_filter_add_suffix (tiff, "tiff");
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), tiff);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
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

  dl_session_set_files (self->session, paths);
  dl_session_open (self->session, path);
}

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  int delta = g_str_equal (action_name, "win.next") ? 1 : -1;

  if (!dl_session_step (self->session, delta))
    adw_toast_overlay_add_toast (self->toast_overlay,
                                 adw_toast_new (delta > 0 ? _("This is the last scan")
                                                          : _("This is the first scan")));
}

static DlScanView *
first_view (DlWindow *self)
{
  return self->views->len ? g_ptr_array_index (self->views, 0) : NULL;
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  DlViewState *state = dl_session_get_view_state (self->session);
  DlScanView *view = first_view (self);

  if (view == NULL)
    return;

  if (g_str_equal (action_name, "win.zoom-in"))
    dl_scan_view_zoom_step (view, 1.25);
  else if (g_str_equal (action_name, "win.zoom-out"))
    dl_scan_view_zoom_step (view, 1 / 1.25);
  else if (g_str_equal (action_name, "win.zoom-fit"))
    dl_view_state_set_fit (state, TRUE);
  else
    {
      dl_scan_view_zoom_step (view, 1.0);
      dl_view_state_set_zoom (state, 1.0);
    }
}

static void
pan_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  int dx, dy;

  g_variant_get (param, "(ii)", &dx, &dy);
  if (first_view (self))
    dl_scan_view_pan_by (first_view (self), dx * PAN_STEP, dy * PAN_STEP);
}

static void
preset_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  DlPreset preset;

  if (dl_preset_from_id (g_variant_get_string (param, NULL), &preset))
    dl_session_apply_preset (self->session, preset);
}

static void
user_preset_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  guint index = g_variant_get_uint32 (param);
  DlViewState *state = dl_session_get_view_state (self->session);
  DlWindowing w;

  if (index >= self->user_presets->len)
    return;

  /* a preset keeps its window, not the scan's air value */
  dl_view_state_get_windowing (state, &w);
  {
    const DlUserPreset *p = g_ptr_array_index (self->user_presets, index);
    DlWindowing nw = p->windowing;
    nw.i0 = w.i0;
    dl_view_state_set_windowing (state, &nw);
  }
}

static void
load_user_presets (DlWindow *self)
{
  g_autofree char *path = dl_user_presets_default_path ();
  g_autoptr(GError) error = NULL;
  GPtrArray *presets = dl_user_presets_load (path, &error);

  if (presets == NULL)
    {
      g_autofree char *msg = g_strdup_printf (_("Your presets could not be read: %s"), error->message);
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (msg));
      presets = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_user_preset_free);
    }
  g_clear_pointer (&self->user_presets, g_ptr_array_unref);
  self->user_presets = presets;
  dl_window_panel_set_user_presets (self->panel, presets);
}

static void
on_save_preset_response (AdwMessageDialog *dialog,
                         const char       *response,
                         DlWindow         *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  g_autofree char *path = dl_user_presets_default_path ();
  g_autoptr(GError) error = NULL;
  const char *name = gtk_editable_get_text (entry);
  DlUserPreset *p;

  if (!g_str_equal (response, "save") || *name == '\0')
    return;

  p = g_new0 (DlUserPreset, 1);
  p->name = g_strdup (name);
  dl_view_state_get_windowing (dl_session_get_view_state (self->session), &p->windowing);
  g_ptr_array_add (self->user_presets, p);

  if (!dl_user_presets_save (path, self->user_presets, &error))
    {
      g_autofree char *msg = g_strdup_printf (_("The preset could not be saved: %s"), error->message);
      g_ptr_array_remove_index (self->user_presets, self->user_presets->len - 1);
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (msg));
      return;
    }
  dl_window_panel_set_user_presets (self->panel, self->user_presets);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Preset saved")));
}

static void
save_preset_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  GtkWidget *dialog, *entry;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save Window Preset"),
                                   _("The current centre, width, gamma, invert and density setting are kept under this name."));
  entry = gtk_entry_new ();
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Preset name"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect (dialog, "response", G_CALLBACK (on_save_preset_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
next_channel_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  DlScan *scan = dl_session_get_scan (self->session);

  if (scan == NULL)
    return;
  dl_session_set_active_index (self->session,
                               (dl_session_get_active_index (self->session) + 1)
                               % dl_scan_get_n_planes (scan));
}

/* V cycles the colour map, S the material stripping, E the enhancement. */
static void
cycle_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  DlViewState *state = dl_session_get_view_state (self->session);

  if (g_str_equal (action_name, "win.cycle-enhance"))
    {
      int enhance;

      g_object_get (state, "enhance", &enhance, NULL);
      g_object_set (state, "enhance", (enhance + 1) % DL_N_ENHANCE, NULL);
    }
  else if (g_str_equal (action_name, "win.cycle-colormap"))
    {
      static const char * const order[] = { "gray", "viridis", "turbo" };
      g_autofree char *current = NULL;
      guint next = 1;

      g_object_get (state, "colormap", &current, NULL);
      for (guint i = 0; i < G_N_ELEMENTS (order); i++)
        if (g_strcmp0 (current, order[i]) == 0)
          next = (i + 1) % G_N_ELEMENTS (order);
      g_object_set (state, "colormap", order[next], NULL);
    }
  else
    {
      int strip;

      g_object_get (state, "strip", &strip, NULL);
      g_object_set (state, "strip", (strip + 1) % 3, "material", TRUE, NULL);
    }
}

static void
on_colormap_chosen (GtkNativeDialog *dialog,
                    int              response,
                    DlWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(DlColormap) map = path ? dl_colormap_load (path, &error) : NULL;

      if (map)
        g_object_set (dl_session_get_view_state (self->session), "colormap", path, NULL);
      else if (error)
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
    }
  g_object_unref (dialog);
}

/* A user's colour table file, checked before it is used. */
static void
load_colormap_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Colour Table"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_colormap_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
band_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  DlViewState *state = dl_session_get_view_state (self->session);

  if (g_str_equal (action_name, "win.add-band"))
    {
      if (!dl_view_state_add_band (state))
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("No more bands can be kept")));
    }
  else
    dl_view_state_clear_bands (state);
}

static void
delete_mark_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);

  if (dl_annotations_remove (dl_session_get_annotations (self->session), dl_session_get_selected (self->session)))
    dl_session_set_selected (self->session, 0);
}

/* Enter closes the polygon being drawn; Escape drops it and selects. */
static void
finish_mark_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);

  for (guint i = 0; i < self->views->len; i++)
    {
      DlScanView *view = g_ptr_array_index (self->views, i);
      if (g_str_equal (action_name, "win.finish-mark"))
        dl_scan_view_finish_polygon (view);
      else
        dl_scan_view_cancel_draft (view);
    }
  if (g_str_equal (action_name, "win.cancel-mark"))
    dl_session_set_tool (self->session, DL_TOOL_SELECT);
}

static void
cancel_load_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);

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

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  list = g_value_get_boxed (value);
  for (GSList *l = list; l; l = l->next)
    g_ptr_array_add (files, l->data);
  dl_window_open_files (self, (GFile **) files->pdata, files->len);
  return files->len > 0;
}

static void
dl_window_dispose (GObject *object)
{
  DlWindow *self = DL_WINDOW (object);

  if (self->session)
    dl_session_cancel_load (self->session);
  g_clear_pointer (&self->views, g_ptr_array_unref);
  g_clear_pointer (&self->user_presets, g_ptr_array_unref);
  g_clear_object (&self->session);
  g_clear_pointer (&self->status, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), DL_TYPE_WINDOW);

  G_OBJECT_CLASS (dl_window_parent_class)->dispose (object);
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
  g_type_ensure (DL_TYPE_WINDOW_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class, "/nl/doorlicht/Doorlicht/ui/dl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DlWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, views_box);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, loading_box);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, panel);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, recent_section);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.next", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.previous", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-fit", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-one", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.pan", "(ii)", pan_action);
  gtk_widget_class_install_action (widget_class, "win.preset", "s", preset_action);
  gtk_widget_class_install_action (widget_class, "win.user-preset", "u", user_preset_action);
  gtk_widget_class_install_action (widget_class, "win.save-preset", NULL, save_preset_action);
  gtk_widget_class_install_action (widget_class, "win.next-channel", NULL, next_channel_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-load", NULL, cancel_load_action);
  gtk_widget_class_install_action (widget_class, "win.cycle-colormap", NULL, cycle_action);
  gtk_widget_class_install_action (widget_class, "win.cycle-strip", NULL, cycle_action);
  gtk_widget_class_install_action (widget_class, "win.cycle-enhance", NULL, cycle_action);
  gtk_widget_class_install_action (widget_class, "win.delete-mark", NULL, delete_mark_action);
  gtk_widget_class_install_action (widget_class, "win.load-colormap", NULL, load_colormap_action);
  gtk_widget_class_install_action (widget_class, "win.add-band", NULL, band_action);
  gtk_widget_class_install_action (widget_class, "win.clear-bands", NULL, band_action);
  gtk_widget_class_install_action (widget_class, "win.finish-mark", NULL, finish_mark_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-mark", NULL, finish_mark_action);
}

static void
add_property_actions (DlWindow *self)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  DlViewState *state = dl_session_get_view_state (self->session);
  g_autoptr(GPropertyAction) invert = g_property_action_new ("invert", state, "invert");
  g_autoptr(GPropertyAction) density = g_property_action_new ("density", state, "density");
  g_autoptr(GPropertyAction) show_all = g_property_action_new ("show-all", self->session, "show-all");
  g_autoptr(GPropertyAction) material = g_property_action_new ("material", state, "material");
  g_autoptr(GPropertyAction) band = g_property_action_new ("band", state, "band");
  g_autoptr(GPropertyAction) tool = g_property_action_new ("tool", self->session, "tool");

  /* The window is a GActionMap (GtkApplicationWindow): stateful actions
   * bound to the model's properties live beside the class actions. */
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (invert));
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (density));
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (show_all));
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (material));
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (band));
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (tool));
}

static void
dl_window_init (DlWindow *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->views = g_ptr_array_new ();
  self->session = dl_session_new ();
  dl_window_panel_set_session (self->panel, self->session);
  add_property_actions (self);

  g_signal_connect_object (self->session, "notify::scan", G_CALLBACK (on_scan_changed), self, 0);
  g_signal_connect_object (self->session, "notify::show-all", G_CALLBACK (on_layout_changed), self, 0);
  g_signal_connect_object (self->session, "notify::active-index", G_CALLBACK (on_layout_changed), self, 0);
  g_signal_connect_object (self->session, "notify::loading", G_CALLBACK (on_loading_changed), self, 0);
  g_signal_connect_object (self->session, "load-failed", G_CALLBACK (on_load_failed), self, 0);
  g_signal_connect_object (dl_session_get_view_state (self->session), "notify",
                           G_CALLBACK (on_view_state_changed), self, 0);
  g_object_bind_property (self->session, "progress", self->progress_bar, "fraction", G_BINDING_DEFAULT);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  load_user_presets (self);
  update_recent_menu (self);
  show_state_status (self);
}

DlWindow *
dl_window_new (GtkApplication *application)
{
  return g_object_new (DL_TYPE_WINDOW, "application", application, NULL);
}

DlSession *
dl_window_get_session (DlWindow *self)
{
  g_return_val_if_fail (DL_IS_WINDOW (self), NULL);
  return self->session;
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
