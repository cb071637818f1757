/* dl-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "doorlicht-resources.h"
#include "dl-colormap.h"
#include "dl-display-panel.h"
#include "dl-enhance.h"
#include "dl-case-sidebar.h"
#include "dl-report.h"
#include "dl-verdict-panel.h"
#include "dl-manifest-panel.h"
#include "dl-presets.h"
#include "dl-scan-view.h"
#include "dl-settings.h"
#include "dl-window.h"

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
  GtkPicture      *preview_picture;
  GtkProgressBar  *progress_bar;
  GtkLabel        *status_label;
  DlDisplayPanel  *panel;
  DlManifestPanel *manifest_panel;
  GtkStack        *side_stack;
  DlCaseSidebar   *case_sidebar;
  DlVerdictPanel  *verdict_panel;
  GtkRevealer     *queue_revealer;
  GtkLabel        *integrity_label;
  char            *case_damaged;   /* the open case file failed its check */
  GtkWidget       *busy_box;
  GtkLabel        *busy_label;
  GtkProgressBar  *busy_bar;
  guint            busy_pulse;
  GCancellable    *job_cancellable;  /* the case-file job running, or NULL */
  DlCaseQueue     *queue;
  GMenu           *recent_section;
};

G_DEFINE_FINAL_TYPE (DlWindow, dl_window, ADW_TYPE_APPLICATION_WINDOW)

static void     toast        (DlWindow *self, const char *text);
static void     update_case_actions (DlWindow *self);

static const char * const case_job_actions[] = {
  "win.export-report", "win.export-csv", "win.export-cases", "win.import-cases", "win.verify",
};
static void     show_error   (DlWindow *self, const char *heading, GError *error);
static gboolean is_case_file (const char *path);

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
  g_string_append_printf (subtitle, _("%s · %'u × %'u px"), plane->name, plane->width, plane->height);

  if (dl_session_get_case_id (self->session))
    {
      g_autoptr(DlCaseSummary) summary = dl_case_file_get_case (dl_session_get_case_file (self->session),
                                                                dl_session_get_case_id (self->session), NULL);
      if (summary)
        {
          g_string_prepend (subtitle, " · ");
          g_string_prepend (subtitle, dl_session_get_title (self->session));
          adw_window_title_set_title (self->window_title, summary->title);
          adw_window_title_set_subtitle (self->window_title, subtitle->str);
          gtk_window_set_title (GTK_WINDOW (self), summary->title);
          return;
        }
    }
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

/* A huge scan while it decodes: what is decoded so far, in the automatic
 * window, over the scan shown before (not a view: no zoom, no marks). */
static GdkTexture *
preview_texture (DlScan *preview)
{
  g_autoptr(DlViewState) state = dl_view_state_new ();
  DlPlane *plane = dl_scan_get_plane (preview, 0, 0);
  cairo_surface_t *surface;
  g_autoptr(GBytes) bytes = NULL;
  GdkTexture *texture;
  int w, h, stride;

  dl_scan_prepare (preview);
  g_object_set (state, "i0", dl_plane_get_i0 (plane), NULL);
  dl_view_state_apply_preset (state, DL_PRESET_AUTO, dl_plane_get_histogram (plane));
  surface = dl_report_render_scan (preview, 0, state, NULL, 2048, 1024);
  cairo_surface_flush (surface);
  w = cairo_image_surface_get_width (surface);
  h = cairo_image_surface_get_height (surface);
  stride = cairo_image_surface_get_stride (surface);
  /* RGB24 leaves the fourth byte undefined: make it opaque */
  for (int y = 0; y < h; y++)
    {
      guint32 *row = (guint32 *) (cairo_image_surface_get_data (surface) + (gsize) y * stride);

      for (int x = 0; x < w; x++)
        row[x] |= 0xff000000u;
    }
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface), (gsize) stride * h,
                                      (GDestroyNotify) cairo_surface_destroy, surface);
  texture = gdk_memory_texture_new (w, h, GDK_MEMORY_B8G8R8A8_PREMULTIPLIED, bytes, stride);
  return texture;
}

static void
on_preview_changed (DlSession  *session,
                    GParamSpec *pspec,
                    DlWindow   *self)
{
  DlScan *preview = dl_session_get_preview (session);

  if (preview)
    {
      g_autoptr(GdkTexture) texture = preview_texture (preview);

      gtk_picture_set_paintable (self->preview_picture, GDK_PAINTABLE (texture));
    }
  else
    gtk_picture_set_paintable (self->preview_picture, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->preview_picture), preview != NULL);
  /* the progress below the picture, not over it */
  gtk_widget_set_valign (self->loading_box, preview ? GTK_ALIGN_END : GTK_ALIGN_CENTER);
  gtk_widget_set_margin_bottom (self->loading_box, preview ? 48 : 0);
}

/* A huge dual-energy scan: its material classes come after it shows. */
static void
on_classes_pending (DlSession  *session,
                    GParamSpec *pspec,
                    DlWindow   *self)
{
  if (dl_session_get_classes_pending (session))
    toast (self, _("Working out the material classes of this large scan; the overlay follows"));
  else
    for (guint i = 0; i < self->views->len; i++)
      dl_scan_view_redraw (g_ptr_array_index (self->views, i));
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
  if (is_case_file (g_ptr_array_index (paths, 0)))
    {
      g_autoptr(GError) error = NULL;

      if (!dl_window_open_case_file (self, g_ptr_array_index (paths, 0), &error))
        show_error (self, _("Could not open the case file"), error);
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
  {
    g_autoptr(GFile) folder = dl_settings_dup_folder ("scans-folder");
    if (folder)
      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  }
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

  if (self->queue)
    {
      if (!dl_case_sidebar_step (self->case_sidebar, delta))
        toast (self, delta > 0 ? _("This is the last case") : _("This is the first case"));
      return;
    }
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
  dl_display_panel_set_user_presets (self->panel, presets);
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
  dl_display_panel_set_user_presets (self->panel, self->user_presets);
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

static void cancel_job_action (GtkWidget *widget, const char *action_name, GVariant *param);

/* Enter closes the polygon being drawn; Escape drops it and selects, or
 * first of all stops the work on the case file running (the busy bar). */
static void
finish_mark_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);

  if (g_str_equal (action_name, "win.cancel-mark") && self->job_cancellable
      && !g_cancellable_is_cancelled (self->job_cancellable))
    {
      cancel_job_action (widget, "win.cancel-job", NULL);
      return;
    }
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


/* ------------------------------------------------------------------ cases */

static void
toast (DlWindow   *self,
       const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
show_error (DlWindow   *self,
            const char *heading,
            GError     *error)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, error->message));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static DlCaseFile *
current_case_file (DlWindow *self)
{
  return dl_session_get_case_file (self->session);
}

static void
update_case_actions (DlWindow *self)
{
  DlCaseFile *file = current_case_file (self);
  gboolean has_case = file && dl_session_get_case_id (self->session);
  gboolean writable = file && !dl_case_file_is_read_only (file) && self->case_damaged == NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.verdict", has_case && writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.review", has_case && writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-report", has_case);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-csv", file != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-cases", file != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import-cases", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.verify", file != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-queue", file != NULL);
}

static void
on_case_selected (DlCaseSidebar *sidebar,
                  const char    *case_id,
                  DlWindow      *self)
{
  g_autoptr(GError) error = NULL;

  if (!dl_session_open_case (self->session, case_id, 0, &error))
    {
      g_autofree char *heading = g_strdup_printf (_("Could not open case %s"), case_id);
      show_error (self, heading, error);
    }
  dl_verdict_panel_set_case (self->verdict_panel, current_case_file (self), case_id);
  update_case_actions (self);
}

static void
on_integrity_changed (DlSession  *session,
                      GParamSpec *pspec,
                      DlWindow   *self)
{
  const char *problem = self->case_damaged ? self->case_damaged : dl_session_get_integrity_problem (session);

  gtk_label_set_label (self->integrity_label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->integrity_label), problem != NULL);
}

/* The quick check running beside the first view of a case file failed:
 * nothing was or will be changed; say so over the scan. */
static void
on_case_damaged (DlCaseFile *file,
                 const char *message,
                 DlWindow   *self)
{
  if (file != current_case_file (self))
    return;
  g_free (self->case_damaged);
  self->case_damaged = g_strdup_printf (_("The case file is damaged and nothing can be recorded in it: %s"),
                                        message);
  on_integrity_changed (self->session, NULL, self);
  update_case_actions (self);
}

static void
on_hints_changed (DlSession  *session,
                  GParamSpec *pspec,
                  DlWindow   *self)
{
  dl_manifest_panel_set_hints (self->manifest_panel, dl_session_get_check_summary (session),
                               dl_session_get_hints (session));
}

/* A container chosen in the manifest: its own case, when the queue has
 * one titled with its number. */
static void
on_container_selected (DlManifestPanel *panel,
                       const char      *number,
                       DlWindow        *self)
{
  guint n = self->queue ? g_list_model_get_n_items (G_LIST_MODEL (self->queue)) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DlCaseItem) item = g_list_model_get_item (G_LIST_MODEL (self->queue), i);

      if (g_strcmp0 (dl_case_item_get_title (item), number) == 0)
        {
          if (g_strcmp0 (dl_case_item_get_id (item), dl_session_get_case_id (self->session)) != 0)
            dl_case_sidebar_select (self->case_sidebar, dl_case_item_get_id (item));
          return;
        }
    }
}

static void
on_queue_failed (DlCaseQueue *queue,
                 GError      *error,
                 DlWindow    *self)
{
  toast (self, error->message);
}

/* DOORLICHT_TIMING=1: say how long a case file took from opening to the
 * first frame that shows its queue (build-aux/bench reads it). */
static void
on_queue_painted (GdkFrameClock *clock,
                  gpointer       user_data)
{
  gint64 *start = user_data;

  g_printerr ("doorlicht: case file opened and listed on screen in %.1f ms\n",
              (g_get_monotonic_time () - *start) / 1000.0);
  g_signal_handlers_disconnect_by_func (clock, on_queue_painted, user_data);
  g_free (start);
}

static void
time_to_first_frame (DlWindow *self,
                     gint64    start)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  gint64 *data;

  if (clock == NULL || g_getenv ("DOORLICHT_TIMING") == NULL)
    return;
  data = g_new (gint64, 1);
  *data = start;
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_queue_painted), data);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
select_first_case (DlWindow *self)
{
  int first;

  if (self->queue == NULL || dl_session_get_case_id (self->session))
    return;
  first = dl_case_queue_next_open (self->queue, -1);
  if (first < 0 && g_list_model_get_n_items (G_LIST_MODEL (self->queue)) > 0)
    first = 0;
  if (first >= 0)
    {
      g_autoptr(DlCaseItem) item = g_list_model_get_item (G_LIST_MODEL (self->queue), first);
      dl_case_sidebar_select (self->case_sidebar, dl_case_item_get_id (item));
    }
}

static void
on_queue_shown (GdkFrameClock *clock,
                DlWindow      *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_queue_shown, self);
  select_first_case (self);
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
  g_autoptr(DlIdentity) identity = NULL;
  g_autoptr(DlCaseFile) file = NULL;
  g_autofree char *name = NULL;
  gint64 start = g_get_monotonic_time ();
  GdkFrameClock *clock;

  g_return_val_if_fail (DL_IS_WINDOW (self), FALSE);

  if ((identity = dl_settings_load_identity (error)) == NULL)
    return FALSE;
  if ((file = dl_case_file_open_checking (path, identity, error)) == NULL)
    return FALSE;
  if (g_getenv ("DOORLICHT_TIMING"))
    g_printerr ("doorlicht: opened in %.1f ms\n", (g_get_monotonic_time () - start) / 1000.0);

  dl_session_set_files (self->session, NULL);
  g_clear_pointer (&self->case_damaged, g_free);
  dl_session_set_case_file (self->session, file);
  g_signal_connect_object (file, "damaged", G_CALLBACK (on_case_damaged), self, 0);
  on_integrity_changed (self->session, NULL, self);
  if (self->queue)
    g_signal_handlers_disconnect_by_data (self->queue, self);
  g_clear_object (&self->queue);
  if (g_getenv ("DOORLICHT_TIMING"))
    g_printerr ("doorlicht: session in %.1f ms\n", (g_get_monotonic_time () - start) / 1000.0);
  self->queue = dl_case_queue_new (file);
  g_signal_connect_object (self->queue, "failed", G_CALLBACK (on_queue_failed), self, 0);
  if (g_getenv ("DOORLICHT_TIMING"))
    g_printerr ("doorlicht: queue in %.1f ms\n", (g_get_monotonic_time () - start) / 1000.0);
  dl_case_sidebar_set_queue (self->case_sidebar, self->queue);
  if (g_getenv ("DOORLICHT_TIMING"))
    g_printerr ("doorlicht: sidebar in %.1f ms\n", (g_get_monotonic_time () - start) / 1000.0);
  /* at once, not sliding in: the first frame shows the queue */
  gtk_revealer_set_transition_type (self->queue_revealer, GTK_REVEALER_TRANSITION_TYPE_NONE);
  gtk_revealer_set_reveal_child (self->queue_revealer, TRUE);
  gtk_revealer_set_transition_type (self->queue_revealer, GTK_REVEALER_TRANSITION_TYPE_SLIDE_RIGHT);
  gtk_stack_set_visible_child_name (self->side_stack, "case");
  dl_verdict_panel_set_case (self->verdict_panel, file, NULL);

  name = g_filename_display_basename (path);
  update_case_actions (self);
  time_to_first_frame (self, start);
  /* The queue shows first; the first case waiting (its image decoded on
   * both cores) follows once that frame is on screen. */
  clock = gtk_widget_get_mapped (GTK_WIDGET (self)) ? gtk_widget_get_frame_clock (GTK_WIDGET (self)) : NULL;
  if (clock)
    {
      g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_queue_shown), self, 0);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  else
    select_first_case (self);
  return TRUE;
}

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

static void
verdict_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  DlCaseFile *file = current_case_file (self);
  const char *case_id = dl_session_get_case_id (self->session);
  DlDecision decision = dl_decision_from_id (g_variant_get_string (param, NULL));
  g_auto(GStrv) reasons = dl_verdict_panel_dup_reasons (self->verdict_panel);
  g_autofree char *verdict_id = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  if (file == NULL || case_id == NULL || decision == DL_DECISION_NONE)
    return;

  /* marks drawn so far go in before the verdict that rests on them */
  verdict_id = dl_case_file_add_verdict (file, case_id, decision, (const char * const *) reasons,
                                         dl_verdict_panel_get_note (self->verdict_panel), &error);
  if (verdict_id == NULL)
    {
      show_error (self, _("The verdict was not recorded"), error);
      return;
    }
  /* TRANSLATORS: "Seize recorded for MSCU1234565" */
  text = g_strdup_printf (_("%s recorded for %s"), dl_decision_get_label (decision),
                          gtk_window_get_title (GTK_WINDOW (self)));
  toast (self, text);
  dl_verdict_panel_clear_input (self->verdict_panel);
  dl_verdict_panel_refresh (self->verdict_panel);

  if (dl_settings_get_advance_after_verdict () && self->queue)
    {
      int next = dl_case_queue_next_open (self->queue, dl_case_queue_find (self->queue, case_id));

      if (next >= 0)
        {
          g_autoptr(DlCaseItem) item = g_list_model_get_item (G_LIST_MODEL (self->queue), next);
          dl_case_sidebar_select (self->case_sidebar, dl_case_item_get_id (item));
        }
      else
        toast (self, _("No case is waiting for a verdict"));
    }
}

static void
review_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  DlCaseFile *file = current_case_file (self);
  const char *case_id = dl_session_get_case_id (self->session);
  DlReviewDecision decision = dl_review_decision_from_id (g_variant_get_string (param, NULL));
  g_autofree char *review_id = NULL;
  g_autoptr(GError) error = NULL;

  if (file == NULL || case_id == NULL || decision == DL_REVIEW_NONE)
    return;
  review_id = dl_case_file_add_review (file, case_id, decision,
                                       dl_verdict_panel_get_comment (self->verdict_panel), &error);
  if (review_id == NULL)
    {
      show_error (self, _("The review was not recorded"), error);
      return;
    }
  toast (self, decision == DL_REVIEW_APPROVE ? _("Verdict approved") : _("Verdict returned to the analyst"));
  dl_verdict_panel_clear_input (self->verdict_panel);
  dl_verdict_panel_refresh (self->verdict_panel);
}

static void
show_queue_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  gboolean shown = gtk_revealer_get_reveal_child (self->queue_revealer);

  gtk_revealer_set_reveal_child (self->queue_revealer, !shown);
  if (!shown)
    dl_case_sidebar_focus_search (self->case_sidebar);
}

typedef void (*FileChosenFunc) (DlWindow *self, const char *path);

static void
on_file_chosen (GtkNativeDialog *dialog,
                int              response,
                DlWindow        *self)
{
  FileChosenFunc func = g_object_get_data (G_OBJECT (dialog), "dl-func");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path)
        func (self, path);
    }
  g_object_unref (dialog);
}

static void
choose_file (DlWindow            *self,
             const char          *title,
             GtkFileChooserAction action,
             const char          *folder_key,
             const char          *suggested_name,
             FileChosenFunc       func)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GFile) folder = dl_settings_dup_folder (folder_key);

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

static void
open_case_file_chosen (DlWindow   *self,
                       const char *path)
{
  g_autoptr(GError) error = NULL;

  if (!dl_window_open_case_file (self, path, &error))
    show_error (self, _("Could not open the case file"), error);
}

static void
open_case_file_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  choose_file (DL_WINDOW (widget), _("Open Case File"), GTK_FILE_CHOOSER_ACTION_OPEN,
               "case-files-folder", NULL, open_case_file_chosen);
}

/* Work on the case file that can take a while (reports, exports, imports,
 * verification) runs in a worker thread on a connection of its own, so
 * the window stays live; a pulsing bar says it is busy. */
typedef struct _CaseJob CaseJob;
typedef gboolean (*CaseJobFunc) (CaseJob *job, DlCaseFile *file, GError **error);

struct _CaseJob
{
  DlWindow    *window;
  char        *case_path;
  DlIdentity  *identity;     /* NULL: open the file read-only */
  CaseJobFunc  func;
  char        *path;         /* the file chosen */
  char        *case_id;
  GStrv        case_ids;
  DlViewState *view_state;
  char        *failed;       /* heading when it fails */
  GCancellable *cancellable;
  double       fraction;     /* how far, from the worker (atomic) */
  guint        progress_idle;
  /* results */
  char        *toast;
  char        *heading;      /* set: a dialog with body */
  char        *body;
  gboolean     changed;      /* the case file changed: reload the queue */
};

static void
case_job_free (CaseJob *job)
{
  g_clear_object (&job->window);
  g_clear_object (&job->identity);
  g_clear_object (&job->view_state);
  g_clear_object (&job->cancellable);
  g_free (job->case_path);
  g_free (job->path);
  g_free (job->case_id);
  g_strfreev (job->case_ids);
  g_free (job->failed);
  g_free (job->toast);
  g_free (job->heading);
  g_free (job->body);
  g_free (job);
}

static gboolean
pulse_busy (gpointer data)
{
  DlWindow *self = data;

  gtk_progress_bar_pulse (self->busy_bar);
  return G_SOURCE_CONTINUE;
}

static void
set_busy (DlWindow     *self,
          const char   *label,
          GCancellable *cancellable)
{
  gtk_widget_set_visible (self->busy_box, label != NULL);
  g_clear_handle_id (&self->busy_pulse, g_source_remove);
  g_set_object (&self->job_cancellable, cancellable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-job", cancellable != NULL);
  if (label)
    {
      gtk_label_set_label (self->busy_label, label);
      gtk_progress_bar_set_fraction (self->busy_bar, 0);
      /* it pulses until the work says how far it is */
      self->busy_pulse = g_timeout_add (100, pulse_busy, self);
    }
  /* one job at a time */
  for (guint i = 0; i < G_N_ELEMENTS (case_job_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), case_job_actions[i], label == NULL);
  if (label == NULL)
    update_case_actions (self);
}

/* In the main thread: the worker's latest fraction on the bar. */
static gboolean
show_job_progress (gpointer data)
{
  g_autoptr(GTask) task = data;
  CaseJob *job = g_task_get_task_data (task);
  DlWindow *self = job->window;

  g_atomic_int_set (&job->progress_idle, 0);
  if (self->job_cancellable != job->cancellable)
    return G_SOURCE_REMOVE;
  g_clear_handle_id (&self->busy_pulse, g_source_remove);
  gtk_progress_bar_set_fraction (self->busy_bar, job->fraction);
  return G_SOURCE_REMOVE;
}

/* In the worker: at most one update waiting in the main loop. */
static void
on_job_progress (double   fraction,
                 gpointer data)
{
  GTask *task = data;
  CaseJob *job = g_task_get_task_data (task);

  job->fraction = fraction;
  if (g_atomic_int_compare_and_exchange (&job->progress_idle, 0, 1))
    g_idle_add (show_job_progress, g_object_ref (task));
}

static void
cancel_job_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);

  if (self->job_cancellable)
    {
      g_cancellable_cancel (self->job_cancellable);
      gtk_label_set_label (self->busy_label, _("Cancelling…"));
    }
}

static void
case_job_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  CaseJob *job = task_data;
  g_autoptr(DlCaseFile) file = NULL;
  GError *error = NULL;

  if (job->identity)
    file = dl_case_file_open (job->case_path, job->identity, &error);
  else
    file = dl_case_file_open_untrusted (job->case_path, &error);
  if (file)
    dl_case_file_set_monitor (file, job->cancellable, on_job_progress, task);
  if (file == NULL || !job->func (job, file, &error) || !dl_case_file_close (file, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
case_job_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  CaseJob *job = g_task_get_task_data (G_TASK (result));
  DlWindow *self = job->window;
  g_autoptr(GError) error = NULL;

  set_busy (self, NULL, NULL);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, _("Cancelled: nothing was changed or written"));
      else
        show_error (self, job->failed, error);
      return;
    }
  if (job->changed && self->queue)
    {
      g_autoptr(GError) reload_error = NULL;

      if (!dl_case_queue_reload (self->queue, &reload_error))
        toast (self, reload_error->message);
      dl_verdict_panel_refresh (self->verdict_panel);
    }
  if (job->heading)
    {
      AdwMessageDialog *dialog;

      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), job->heading, job->body));
      adw_message_dialog_add_response (dialog, "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
  if (job->toast)
    toast (self, job->toast);
}

static void
run_case_job (DlWindow    *self,
              CaseJob     *job,
              const char  *busy_label,
              gboolean     writable)
{
  DlCaseFile *file = current_case_file (self);
  g_autoptr(GTask) task = NULL;

  job->window = g_object_ref (self);
  job->case_path = g_strdup (dl_case_file_get_path (file));
  if (writable && dl_case_file_get_identity (file))
    job->identity = g_object_ref (dl_case_file_get_identity (file));
  job->cancellable = g_cancellable_new ();
  set_busy (self, busy_label, job->cancellable);
  task = g_task_new (NULL, NULL, case_job_done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) case_job_free);
  g_task_run_in_thread (task, case_job_thread);
}

static gboolean
report_job (CaseJob     *job,
            DlCaseFile  *file,
            GError     **error)
{
  g_autofree char *name = g_filename_display_basename (job->path);

  if (!dl_case_file_write_report (file, job->case_id, job->view_state, job->path, error))
    return FALSE;
  job->toast = g_strdup_printf (_("Report written to %s"), name);
  return TRUE;
}

static void
report_chosen (DlWindow   *self,
               const char *path)
{
  CaseJob *job = g_new0 (CaseJob, 1);
  DlViewState *shown = dl_session_get_view_state (self->session);
  double center, width;
  gboolean density, invert;

  /* the window as the analyst has it now, for the worker to use */
  g_object_get (shown, "center", &center, "width", &width, "density", &density, "invert", &invert, NULL);
  job->view_state = dl_view_state_new ();
  g_object_set (job->view_state, "density", density, "center", center, "width", width,
                "invert", invert, NULL);
  job->func = report_job;
  job->path = g_strdup (path);
  job->case_id = g_strdup (dl_session_get_case_id (self->session));
  job->failed = g_strdup (_("The report was not written"));
  run_case_job (self, job, _("Writing the report…"), FALSE);
}

static void
export_report_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  g_autofree char *name = g_strdup_printf ("%s.pdf", gtk_window_get_title (GTK_WINDOW (self)));

  choose_file (self, _("Export Report"), GTK_FILE_CHOOSER_ACTION_SAVE, "export-folder", name, report_chosen);
}

static gboolean
csv_job (CaseJob     *job,
         DlCaseFile  *file,
         GError     **error)
{
  if (!dl_case_file_write_csv (file, job->path, error))
    return FALSE;
  job->toast = g_strdup (_("Verdict list written"));
  return TRUE;
}

static void
csv_chosen (DlWindow   *self,
            const char *path)
{
  CaseJob *job = g_new0 (CaseJob, 1);

  job->func = csv_job;
  job->path = g_strdup (path);
  job->failed = g_strdup (_("The verdict list was not written"));
  run_case_job (self, job, _("Writing the verdict list…"), FALSE);
}

static void
export_csv_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  choose_file (DL_WINDOW (widget), _("Export Verdicts"), GTK_FILE_CHOOSER_ACTION_SAVE,
               "export-folder", _("verdicts.csv"), csv_chosen);
}

static gboolean
export_job (CaseJob     *job,
            DlCaseFile  *file,
            GError     **error)
{
  guint n = g_strv_length (job->case_ids);

  if (!dl_case_file_export (file, (const char * const *) job->case_ids, job->path, error))
    return FALSE;
  job->toast = g_strdup_printf (ngettext ("%u case exported and signed", "%u cases exported and signed", n), n);
  return TRUE;
}

static void
export_cases_chosen (DlWindow   *self,
                     const char *path)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->queue));
  CaseJob *job = g_new0 (CaseJob, 1);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DlCaseItem) item = g_list_model_get_item (G_LIST_MODEL (self->queue), i);
      g_strv_builder_add (ids, dl_case_item_get_id (item));
    }
  job->case_ids = g_strv_builder_end (ids);
  job->func = export_job;
  job->path = g_strdup (path);
  job->failed = g_strdup (_("The cases were not exported"));
  /* the export is signed with the user's key: opened as theirs */
  run_case_job (self, job, _("Exporting and signing the cases…"), TRUE);
}

static void
export_cases_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  /* the cases listed now, with the queue's filter and search */
  choose_file (DL_WINDOW (widget), _("Export Cases"), GTK_FILE_CHOOSER_ACTION_SAVE,
               "export-folder", _("export.dlcase"), export_cases_chosen);
}

static gboolean
import_job (CaseJob     *job,
            DlCaseFile  *file,
            GError     **error)
{
  guint added = 0;

  if (!dl_case_file_import (file, job->path, &added, error))
    return FALSE;
  job->changed = TRUE;
  job->toast = g_strdup_printf (ngettext ("Imported: %u new event", "Imported: %u new events", added), added);
  return TRUE;
}

static void
import_chosen (DlWindow   *self,
               const char *path)
{
  CaseJob *job = g_new0 (CaseJob, 1);

  job->func = import_job;
  job->path = g_strdup (path);
  job->failed = g_strdup (_("The cases were not imported"));
  run_case_job (self, job, _("Checking and importing the cases…"), TRUE);
}

static void
import_cases_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  choose_file (DL_WINDOW (widget), _("Import Cases"), GTK_FILE_CHOOSER_ACTION_OPEN,
               "case-files-folder", NULL, import_chosen);
}

static gboolean
verify_job (CaseJob     *job,
            DlCaseFile  *file,
            GError     **error)
{
  g_autoptr(DlVerifyReport) report = dl_case_file_verify (file, error);
  g_autoptr(GString) body = g_string_new (NULL);

  if (report == NULL)
    return FALSE;
  g_string_append_printf (body, _("%'u events, %'u rows and %'u images checked."),
                          report->n_events, report->n_rows, report->n_scans_checked);
  for (guint i = 0; i < report->problems->len && i < 20; i++)
    g_string_append_printf (body, "\n• %s", ((DlVerifyProblem *) g_ptr_array_index (report->problems, i))->message);
  if (report->problems->len > 20)
    g_string_append_printf (body, "\n%s", _("… and more: run “doorlicht-cli verify” for the whole list."));
  job->heading = g_strdup (report->problems->len ? _("The Case File Does Not Verify")
                                                 : _("The Case File Verifies"));
  job->body = g_string_free (g_steal_pointer (&body), FALSE);
  return TRUE;
}

static void
verify_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  CaseJob *job = g_new0 (CaseJob, 1);

  job->func = verify_job;
  job->failed = g_strdup (_("The case file could not be verified"));
  run_case_job (self, job, _("Verifying the case file…"), FALSE);
}

static void
side_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DlWindow *self = DL_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (gtk_stack_get_child_by_name (self->side_stack, name))
    gtk_stack_set_visible_child_name (self->side_stack, name);
}

/* The preferences that shape how scans open. */
static void
apply_settings (DlWindow *self)
{
  dl_session_set_default_preset (self->session, dl_settings_get_default_preset ());
  dl_view_state_set_space (dl_session_get_view_state (self->session), dl_settings_get_default_space ());
}

static void
on_recent_changed (DlWindow *self)
{
  update_recent_menu (self);
}

static void
dl_window_dispose (GObject *object)
{
  DlWindow *self = DL_WINDOW (object);

  if (self->session)
    dl_session_cancel_load (self->session);
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
  g_type_ensure (DL_TYPE_DISPLAY_PANEL);
  g_type_ensure (DL_TYPE_MANIFEST_PANEL);
  g_type_ensure (DL_TYPE_CASE_SIDEBAR);
  g_type_ensure (DL_TYPE_VERDICT_PANEL);
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
  gtk_widget_class_bind_template_child (widget_class, DlWindow, integrity_label);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, busy_box);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, busy_label);
  gtk_widget_class_bind_template_child (widget_class, DlWindow, busy_bar);
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
  gtk_widget_class_install_action (widget_class, "win.side-page", "s", side_page_action);
  gtk_widget_class_install_action (widget_class, "win.open-case-file", NULL, open_case_file_action);
  gtk_widget_class_install_action (widget_class, "win.verdict", "s", verdict_action);
  gtk_widget_class_install_action (widget_class, "win.review", "s", review_action);
  gtk_widget_class_install_action (widget_class, "win.show-queue", NULL, show_queue_action);
  gtk_widget_class_install_action (widget_class, "win.export-report", NULL, export_report_action);
  gtk_widget_class_install_action (widget_class, "win.export-csv", NULL, export_csv_action);
  gtk_widget_class_install_action (widget_class, "win.export-cases", NULL, export_cases_action);
  gtk_widget_class_install_action (widget_class, "win.import-cases", NULL, import_cases_action);
  gtk_widget_class_install_action (widget_class, "win.verify", NULL, verify_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-job", NULL, cancel_job_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel-job", NULL);

  /* one key per verdict, the analyst's hand never leaves the keyboard */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.verdict", "s", "clear");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F6, 0, "win.verdict", "s", "inspect");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F7, 0, "win.verdict", "s", "seize");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F8, 0, "win.verdict", "s", "rescan");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "win.review", "s", "approve");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, GDK_CONTROL_MASK, "win.review", "s", "return");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.show-queue", NULL);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.side-page", "s", "image");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.side-page", "s", "manifest");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.side-page", "s", "case");
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
  dl_display_panel_set_session (self->panel, self->session);
  add_property_actions (self);

  g_signal_connect_object (self->session, "notify::scan", G_CALLBACK (on_scan_changed), self, 0);
  g_signal_connect_object (self->session, "notify::show-all", G_CALLBACK (on_layout_changed), self, 0);
  g_signal_connect_object (self->session, "notify::active-index", G_CALLBACK (on_layout_changed), self, 0);
  g_signal_connect_object (self->session, "notify::loading", G_CALLBACK (on_loading_changed), self, 0);
  g_signal_connect_object (self->session, "notify::preview", G_CALLBACK (on_preview_changed), self, 0);
  g_signal_connect_object (self->session, "notify::classes-pending", G_CALLBACK (on_classes_pending), self, 0);
  g_signal_connect_object (self->session, "load-failed", G_CALLBACK (on_load_failed), self, 0);
  g_signal_connect_object (dl_session_get_view_state (self->session), "notify",
                           G_CALLBACK (on_view_state_changed), self, 0);
  g_object_bind_property (self->session, "progress", self->progress_bar, "fraction", G_BINDING_DEFAULT);
  g_object_bind_property (self->session, "manifest", self->manifest_panel, "manifest", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->session, "notify::integrity-problem", G_CALLBACK (on_integrity_changed), self, 0);
  g_signal_connect_object (self->session, "notify::hints", G_CALLBACK (on_hints_changed), self, 0);
  g_signal_connect (self->case_sidebar, "case-selected", G_CALLBACK (on_case_selected), self);
  g_signal_connect (self->manifest_panel, "container-selected", G_CALLBACK (on_container_selected), self);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  load_user_presets (self);
  update_recent_menu (self);
  update_case_actions (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-job", FALSE);
  apply_settings (self);
  if (dl_settings_get ())
    {
      g_signal_connect_object (dl_settings_get (), "changed::recent-files",
                               G_CALLBACK (on_recent_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (dl_settings_get (), "changed::default-preset",
                               G_CALLBACK (apply_settings), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (dl_settings_get (), "changed::default-space",
                               G_CALLBACK (apply_settings), self, G_CONNECT_SWAPPED);
    }
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
