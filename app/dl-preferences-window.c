/* dl-preferences-window.c
 *
 * Every control is bound to its GSettings key, both ways: the window has
 * no state of its own, and what another process (or gsettings set)
 * changes shows at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "dl-identity.h"
#include "dl-preferences-window.h"
#include "dl-presets.h"
#include "dl-settings.h"

struct _DlPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GtkFileChooserNative *chooser;
  char                 *fingerprint;

  AdwPreferencesPage   *appearance_page;
  AdwPreferencesPage   *image_page;
  AdwPreferencesPage   *files_page;
  AdwPreferencesPage   *identity_page;
  AdwComboRow          *style_row;
  AdwComboRow          *preset_row;
  AdwComboRow          *space_row;
  GtkSwitch            *dense_light_switch;
  GtkAdjustment        *opacity_adjustment;
  GtkScale             *opacity_scale;
  GtkColorButton       *organic_button;
  GtkColorButton       *inorganic_button;
  GtkColorButton       *metal_button;
  GtkColorButton       *band_button;
  AdwActionRow         *scans_row;
  AdwActionRow         *cases_row;
  AdwActionRow         *export_row;
  GtkSwitch            *remember_switch;
  AdwPreferencesGroup  *identity_group;
  AdwEntryRow          *display_name_row;
  AdwActionRow         *fingerprint_row;
  AdwActionRow         *key_folder_row;
  GtkSwitch            *advance_switch;
};

G_DEFINE_FINAL_TYPE (DlPreferencesWindow, dl_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The choices of the combo rows, in the order of their labels. */
static const char * const style_ids[] = { "dark", "light", "system", NULL };
static const char * const space_ids[] = { "transmission", "density", NULL };
static const char * const preset_ids[] = { "auto", "full", "high-penetration", "light-goods", NULL };

static const char * const colour_keys[] = { "organic-colour", "inorganic-colour", "metal-colour", "band-colour" };

/* Combo rows: the key's string ↔ the index of the row's item. */
static gboolean
id_to_index (GValue   *value,
             GVariant *variant,
             gpointer  user_data)
{
  const char * const *ids = user_data;
  const char *id = g_variant_get_string (variant, NULL);

  for (guint i = 0; ids[i]; i++)
    if (g_str_equal (ids[i], id))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
index_to_id (const GValue       *value,
             const GVariantType *type,
             gpointer            user_data)
{
  const char * const *ids = user_data;
  guint index = g_value_get_uint (value);

  if (index >= g_strv_length ((char **) ids))
    return NULL;
  return g_variant_new_string (ids[index]);
}

static void
bind_combo (AdwComboRow        *row,
            const char         *key,
            const char * const *ids,
            const char * const *labels)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (labels);

  adw_combo_row_set_model (row, G_LIST_MODEL (model));
  g_settings_bind_with_mapping (dl_settings_get (), key, row, "selected", G_SETTINGS_BIND_DEFAULT,
                                id_to_index, index_to_id, (gpointer) ids, NULL);
}

/* Colour buttons: "#rrggbb" ↔ GdkRGBA (opaque). */
static gboolean
text_to_rgba (GValue   *value,
              GVariant *variant,
              gpointer  user_data)
{
  GdkRGBA rgba;

  if (!gdk_rgba_parse (&rgba, g_variant_get_string (variant, NULL)))
    return FALSE;
  rgba.alpha = 1.0;
  g_value_set_boxed (value, &rgba);
  return TRUE;
}

static GVariant *
rgba_to_text (const GValue       *value,
              const GVariantType *type,
              gpointer            user_data)
{
  const GdkRGBA *rgba = g_value_get_boxed (value);
  g_autofree char *text = NULL;

  if (rgba == NULL)
    return NULL;
  text = g_strdup_printf ("#%02x%02x%02x",
                          (guint) CLAMP (rgba->red * 255.0 + 0.5, 0, 255),
                          (guint) CLAMP (rgba->green * 255.0 + 0.5, 0, 255),
                          (guint) CLAMP (rgba->blue * 255.0 + 0.5, 0, 255));
  return g_variant_new_string (text);
}

/* Folder rows show the folder, or that none was chosen. */
static gboolean
path_to_subtitle (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  const char *path = g_variant_get_string (variant, NULL);

  if (*path == '\0')
    g_value_set_string (value, _("Home folder"));
  else
    g_value_take_string (value, g_filename_display_name (path));
  return TRUE;
}

static char *
format_percent (GtkScale *scale,
                double    value,
                gpointer  user_data)
{
  /* TRANSLATORS: an opacity in per cent, as in “80 %” */
  return g_strdup_printf (_("%.0f %%"), value * 100.0);
}

static void
on_chooser_response (GtkNativeDialog     *dialog,
                     int                  response,
                     DlPreferencesWindow *self)
{
  const char *key = g_object_get_data (G_OBJECT (dialog), "dl-key");

  g_assert (GTK_IS_NATIVE_DIALOG (dialog));
  g_assert (DL_IS_PREFERENCES_WINDOW (self));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = folder ? g_file_get_path (folder) : NULL;

      if (path)
        g_settings_set_string (dl_settings_get (), key, path);
      else if (folder)
        adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                          adw_toast_new (_("Only a local folder can be chosen")));
    }
  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->chooser);
}

static void
choose_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  DlPreferencesWindow *self = DL_PREFERENCES_WINDOW (widget);
  const char *key = g_variant_get_string (param, NULL);
  g_autoptr(GFile) current = dl_settings_dup_folder (key);
  const char *title = g_str_equal (key, "scans-folder") ? _("Folder for Scans")
                    : g_str_equal (key, "case-files-folder") ? _("Folder for Case Files")
                    : _("Folder for Exports and Reports");

  g_assert (DL_IS_PREFERENCES_WINDOW (self));

  if (self->chooser)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  self->chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), current, NULL);
  g_object_set_data_full (G_OBJECT (self->chooser), "dl-key", g_strdup (key), g_free);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
reset_folder_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  g_assert (DL_IS_PREFERENCES_WINDOW (widget));

  g_settings_reset (dl_settings_get (), g_variant_get_string (param, NULL));
}

static void
reset_colours_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  g_assert (DL_IS_PREFERENCES_WINDOW (widget));

  for (guint i = 0; i < G_N_ELEMENTS (colour_keys); i++)
    g_settings_reset (dl_settings_get (), colour_keys[i]);
}

static void
copy_fingerprint_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  DlPreferencesWindow *self = DL_PREFERENCES_WINDOW (widget);

  g_assert (DL_IS_PREFERENCES_WINDOW (self));

  if (self->fingerprint == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->fingerprint);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (_("Fingerprint copied")));
}

/* The fingerprint in groups of four, for reading it out over the phone. */
static char *
group_hex (const char *hex)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; hex[i]; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, hex[i]);
    }
  return g_string_free (out, FALSE);
}

static void
show_identity (DlPreferencesWindow *self)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "doorlicht", "identity", NULL);
  g_autofree char *dir_display = g_filename_display_name (dir);
  g_autofree char *description = NULL;
  g_autofree char *where = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlIdentity) identity = NULL;

  description = g_strdup_printf (_("Your name is recorded with every verdict, mark and export you sign. "
                                   "Left empty, your login “%s” is used."), g_get_user_name ());
  adw_preferences_group_set_description (self->identity_group, description);

  /* the stored name is left alone: the preference decides what is signed */
  identity = dl_identity_load_default (NULL, &error);
  if (identity)
    {
      g_autofree char *grouped = group_hex (dl_identity_get_fingerprint (identity));

      self->fingerprint = g_strdup (dl_identity_get_fingerprint (identity));
      adw_action_row_set_subtitle (self->fingerprint_row, grouped);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->fingerprint_row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->fingerprint, -1);
    }
  else
    {
      g_autofree char *message = g_strdup_printf (_("The key could not be read: %s"), error->message);
      adw_action_row_set_subtitle (self->fingerprint_row, message);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.copy-fingerprint", identity != NULL);

  where = g_strdup_printf (_("In %s, made on first use. The secret key is readable by you alone and never "
                             "leaves this computer; keep a copy in a safe place."), dir_display);
  adw_action_row_set_subtitle (self->key_folder_row, where);
}

static void
dl_preferences_window_dispose (GObject *object)
{
  DlPreferencesWindow *self = DL_PREFERENCES_WINDOW (object);

  if (self->chooser)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  g_clear_pointer (&self->fingerprint, g_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), DL_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (dl_preferences_window_parent_class)->dispose (object);
}

static void
dl_preferences_window_class_init (DlPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dl_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/doorlicht/Doorlicht/ui/dl-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DlPreferencesWindow, appearance_page);
  gtk_widget_class_bind_template_child (widget_class, DlPreferencesWindow, image_page);
  gtk_widget_class_bind_template_child (widget_class, DlPreferencesWindow, files_page);
  gtk_widget_class_bind_template_child (widget_class, DlPreferencesWindow, identity_page);
  gtk_widget_class_bind_template_child (widget_class, DlPreferencesWindow, style_row);
  gtk_widget_class_bind_template_child (widget_class, DlPreferencesWindow, preset_row);
  gtk_widget_class_bind_template_child (widget_class, DlPreferencesWindow, space_row);
  gtk_widget_class_bind_template_child (widget_class, DlPreferencesWindow, dense_light_switch);
  gtk_widget_class_bind_template_child (widget_class, DlPreferencesWindow, opacity_adjustment);
  gtk_widget_class_bind_template_child (widget_class, DlPreferencesWindow, opacity_scale);
  gtk_widget_class_bind_template_child (widget_class, DlPreferencesWindow, organic_button);
  gtk_widget_class_bind_template_child (widget_class, DlPreferencesWindow, inorganic_button);
  gtk_widget_class_bind_template_child (widget_class, DlPreferencesWindow, metal_button);
  gtk_widget_class_bind_template_child (widget_class, DlPreferencesWindow, band_button);
  gtk_widget_class_bind_template_child (widget_class, DlPreferencesWindow, scans_row);
  gtk_widget_class_bind_template_child (widget_class, DlPreferencesWindow, cases_row);
  gtk_widget_class_bind_template_child (widget_class, DlPreferencesWindow, export_row);
  gtk_widget_class_bind_template_child (widget_class, DlPreferencesWindow, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, DlPreferencesWindow, identity_group);
  gtk_widget_class_bind_template_child (widget_class, DlPreferencesWindow, display_name_row);
  gtk_widget_class_bind_template_child (widget_class, DlPreferencesWindow, fingerprint_row);
  gtk_widget_class_bind_template_child (widget_class, DlPreferencesWindow, key_folder_row);
  gtk_widget_class_bind_template_child (widget_class, DlPreferencesWindow, advance_switch);

  gtk_widget_class_install_action (widget_class, "prefs.choose-folder", "s", choose_folder_action);
  gtk_widget_class_install_action (widget_class, "prefs.reset-folder", "s", reset_folder_action);
  gtk_widget_class_install_action (widget_class, "prefs.reset-colours", NULL, reset_colours_action);
  gtk_widget_class_install_action (widget_class, "prefs.copy-fingerprint", NULL, copy_fingerprint_action);
}

static void
bind_settings (DlPreferencesWindow *self,
               GSettings           *settings)
{
  const char *style_labels[] = { _("Dark"), _("Light"), _("Follow the desktop"), NULL };
  const char *space_labels[] = { _("Transmission"), _("Density, −ln(I/I₀)"), NULL };
  const char *preset_labels[G_N_ELEMENTS (preset_ids)] = { NULL };
  GtkColorButton *colour_buttons[] = { self->organic_button, self->inorganic_button, self->metal_button, self->band_button };
  const struct { AdwActionRow *row; const char *key; } folders[] = {
    { self->scans_row, "scans-folder" },
    { self->cases_row, "case-files-folder" },
    { self->export_row, "export-folder" },
  };

  for (guint i = 0; preset_ids[i]; i++)
    {
      DlPreset preset = DL_PRESET_AUTO;

      dl_preset_from_id (preset_ids[i], &preset);
      preset_labels[i] = dl_preset_get_label (preset);
    }

  bind_combo (self->style_row, "style", style_ids, style_labels);
  bind_combo (self->preset_row, "default-preset", preset_ids, preset_labels);
  bind_combo (self->space_row, "default-space", space_ids, space_labels);
  g_settings_bind (settings, "dense-light", self->dense_light_switch, "active", G_SETTINGS_BIND_DEFAULT);

  g_settings_bind (settings, "overlay-opacity", self->opacity_adjustment, "value", G_SETTINGS_BIND_DEFAULT);
  for (guint i = 0; i < G_N_ELEMENTS (colour_keys); i++)
    g_settings_bind_with_mapping (settings, colour_keys[i], colour_buttons[i], "rgba", G_SETTINGS_BIND_DEFAULT,
                                  text_to_rgba, rgba_to_text, NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
    g_settings_bind_with_mapping (settings, folders[i].key, folders[i].row, "subtitle",
                                  G_SETTINGS_BIND_GET | G_SETTINGS_BIND_NO_SENSITIVITY,
                                  path_to_subtitle, NULL, NULL, NULL);

  g_settings_bind (settings, "remember-recent", self->remember_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "display-name", self->display_name_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "advance-after-verdict", self->advance_switch, "active", G_SETTINGS_BIND_DEFAULT);
}

static void
dl_preferences_window_init (DlPreferencesWindow *self)
{
  GSettings *settings = dl_settings_get ();

  gtk_widget_init_template (GTK_WIDGET (self));

  show_identity (self);
  gtk_scale_set_format_value_func (self->opacity_scale, format_percent, NULL, NULL);

  if (settings)
    {
      bind_settings (self, settings);
      return;
    }

  /* an uninstalled build without its schema: nothing could be kept */
  gtk_widget_set_sensitive (GTK_WIDGET (self->appearance_page), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->image_page), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->files_page), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->identity_page), FALSE);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (_("Preferences cannot be kept: the settings schema is missing")));
}

DlPreferencesWindow *
dl_preferences_window_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (DL_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       NULL);
}
