/* dl-window-view-actions.c — what DlWindow does to the view: zoom, pan,
 * window presets (built in and the user's), channels, colour map,
 * material stripping, enhancement, density bands; and the stateful
 * actions bound to the view state's properties.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-window-view-actions"

#include "config.h"

#include <glib/gi18n.h>

#include "dl-colormap.h"
#include "dl-enhance.h"
#include "dl-presets.h"
#include "dl-window-private.h"

#define PAN_STEP 64.0

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
  DlViewState *state;
  DlScanView *view;

  g_assert (DL_IS_WINDOW (self));

  state = dl_session_get_view_state (self->session);
  view = first_view (self);
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

  g_assert (DL_IS_WINDOW (self));

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

  g_assert (DL_IS_WINDOW (self));

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
  DlViewState *state;
  const DlUserPreset *p;
  DlWindowing w, nw;

  g_assert (DL_IS_WINDOW (self));

  state = dl_session_get_view_state (self->session);
  if (index >= self->user_presets->len)
    return;

  /* a preset keeps its window, not the scan's air value */
  dl_view_state_get_windowing (state, &w);
  p = g_ptr_array_index (self->user_presets, index);
  nw = p->windowing;
  nw.i0 = w.i0;
  dl_view_state_set_windowing (state, &nw);
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

  g_assert (ADW_IS_MESSAGE_DIALOG (dialog));
  g_assert (DL_IS_WINDOW (self));

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

  g_assert (DL_IS_WINDOW (self));

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
  DlScan *scan;

  g_assert (DL_IS_WINDOW (self));

  scan = dl_session_get_scan (self->session);
  if (scan == NULL)
    return;
  dl_session_set_active_index (self->session,
                               (dl_session_get_active_index (self->session) + 1)
                               % dl_scan_get_n_planes (scan));
}

static void
cycle_colormap (DlViewState *state)
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

/* V cycles the colour map, S the material stripping, E the enhancement. */
static void
cycle_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  DlViewState *state;

  g_assert (DL_IS_WINDOW (self));

  state = dl_session_get_view_state (self->session);
  if (g_str_equal (action_name, "win.cycle-enhance"))
    {
      int enhance;

      g_object_get (state, "enhance", &enhance, NULL);
      g_object_set (state, "enhance", (enhance + 1) % DL_N_ENHANCE, NULL);
    }
  else if (g_str_equal (action_name, "win.cycle-colormap"))
    cycle_colormap (state);
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
  g_assert (GTK_IS_NATIVE_DIALOG (dialog));
  g_assert (DL_IS_WINDOW (self));

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

  g_assert (DL_IS_WINDOW (self));

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
  DlViewState *state;

  g_assert (DL_IS_WINDOW (self));

  state = dl_session_get_view_state (self->session);
  if (g_str_equal (action_name, "win.add-band"))
    {
      if (!dl_view_state_add_band (state))
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("No more bands can be kept")));
    }
  else
    dl_view_state_clear_bands (state);
}

static void
add_property_actions (DlWindow *self)
{
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

void
_dl_window_view_actions_class_init (DlWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-fit", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-one", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.pan", "(ii)", pan_action);
  gtk_widget_class_install_action (widget_class, "win.preset", "s", preset_action);
  gtk_widget_class_install_action (widget_class, "win.user-preset", "u", user_preset_action);
  gtk_widget_class_install_action (widget_class, "win.save-preset", NULL, save_preset_action);
  gtk_widget_class_install_action (widget_class, "win.next-channel", NULL, next_channel_action);
  gtk_widget_class_install_action (widget_class, "win.cycle-colormap", NULL, cycle_action);
  gtk_widget_class_install_action (widget_class, "win.cycle-strip", NULL, cycle_action);
  gtk_widget_class_install_action (widget_class, "win.cycle-enhance", NULL, cycle_action);
  gtk_widget_class_install_action (widget_class, "win.load-colormap", NULL, load_colormap_action);
  gtk_widget_class_install_action (widget_class, "win.add-band", NULL, band_action);
  gtk_widget_class_install_action (widget_class, "win.clear-bands", NULL, band_action);
}

/* A hint selected in the manifest page: its region outlined on every view
 * of the scan's view it is in, and the first of them goes to it. */
static void
on_hint_selected (DlManifestPanel *panel,
                  guint            index,
                  DlWindow        *self)
{
  const DlSessionHintRegion *r;
  gboolean gone = FALSE;

  g_assert (DL_IS_MANIFEST_PANEL (panel));
  g_assert (DL_IS_WINDOW (self));

  /* the list empties as the window goes */
  if (self->session == NULL)
    return;
  r = dl_session_get_hint_region (self->session, index);

  for (guint i = 0; i < self->views->len; i++)
    {
      DlScanView *view = g_ptr_array_index (self->views, i);
      DlScan *scan = dl_session_get_scan (self->session);
      DlPlane *plane = scan ? dl_scan_get_plane_at (scan, dl_scan_view_get_plane_index (view)) : NULL;

      dl_scan_view_set_hint_region (view, r ? r->view : 0, r ? r->box : NULL);
      if (r && !gone && plane && plane->view == r->view)
        {
          dl_scan_view_go_to_region (view, r->box);
          gone = TRUE;
        }
    }
}

/* The stateful actions, and the user's presets in the display panel. */
void
_dl_window_view_actions_init (DlWindow *self)
{
  g_assert (DL_IS_WINDOW (self));

  add_property_actions (self);
  load_user_presets (self);
  g_signal_connect_object (self->manifest_panel, "hint-selected", G_CALLBACK (on_hint_selected), self, 0);
}
