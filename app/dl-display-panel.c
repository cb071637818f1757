/* dl-display-panel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-display-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "dl-display-panel.h"
#include "dl-histogram-view.h"

struct _DlDisplayPanel
{
  GtkBox           parent_instance;

  DlSession       *session;
  GPtrArray       *bindings;

  DlHistogramView *histogram_view;
  GtkSpinButton   *center_spin;
  GtkSpinButton   *width_spin;
  GtkSpinButton   *gamma_spin;
  GtkSwitch       *invert_switch;
  GtkSwitch       *density_switch;
  GtkLabel        *units_label;
  GtkLabel        *i0_label;
  GtkLabel        *profile_label;
  GtkWidget       *case_profile_button;
  GMenu           *user_presets_section;
  GtkSwitch       *material_switch;
  GtkScale        *opacity_scale;
  GtkLabel        *legend_organic;
  GtkLabel        *legend_inorganic;
  GtkLabel        *legend_metal;
  GtkLabel        *legend_too_dense;
  GtkDropDown     *strip_dropdown;
  GtkDropDown     *colormap_dropdown;
  GtkSwitch       *band_switch;
  GtkSpinButton   *band_low_spin;
  GtkSpinButton   *band_high_spin;
  GtkDropDown     *enhance_dropdown;
  GtkEntry        *label_entry;
  gboolean         updating_label;
};

static const char * const colormap_ids[] = { "gray", "viridis", "turbo" };

G_DEFINE_FINAL_TYPE (DlDisplayPanel, dl_display_panel, GTK_TYPE_BOX)

/* Value space counts in whole steps; density in thousandths. */
static void
update_units (DlDisplayPanel *self)
{
  DlViewState *state = dl_session_get_view_state (self->session);
  gboolean density;
  double i0;
  g_autofree char *i0_text = NULL;

  g_object_get (state, "density", &density, "i0", &i0, NULL);

  for (guint i = 0; i < 2; i++)
    {
      GtkSpinButton *spin = i == 0 ? self->center_spin : self->width_spin;
      gtk_spin_button_set_digits (spin, density ? 3 : 0);
      gtk_spin_button_set_increments (spin, density ? 0.01 : 10, density ? 0.1 : 1000);
    }

  gtk_label_set_label (self->units_label,
                       density ? _("Window in density, −ln(I/I₀)") : _("Window in transmission value"));
  i0_text = g_strdup_printf (_("Air value I₀: %.0f"), i0);
  gtk_label_set_label (self->i0_label, i0_text);
}

/* Which scanner profile classifies and weighs the scan, and how it was
 * chosen; or that none does. */
static void
update_profile (DlDisplayPanel *self)
{
  DlProfileMatch how = DL_PROFILE_MATCH_NONE;
  DlProfile *profile = dl_session_get_profile (self->session, &how);
  g_autofree char *text = NULL;

  if (dl_session_get_scan (self->session) == NULL)
    text = g_strdup ("");
  else if (profile == NULL)
    text = g_strdup (_("Scanner profile: none is for this scan, so material classes and weights are not calibrated"));
  else
    /* TRANSLATORS: the profile's name, then how it was chosen ("by the scanner’s make and model") */
    text = g_strdup_printf (_("Scanner profile: %s, %s"), profile->name, dl_profile_match_describe (how));
  gtk_label_set_label (self->profile_label, text);
  /* a case's scan: a supervisor may choose another (win.choose-case-profile) */
  gtk_widget_set_visible (self->case_profile_button,
                          dl_session_get_scan (self->session) != NULL && dl_session_get_case_id (self->session) != NULL);
}

static void
on_profile_notify (DlSession      *session,
                  GParamSpec     *pspec,
                  DlDisplayPanel *self)
{
  g_assert (DL_IS_SESSION (session));
  g_assert (DL_IS_DISPLAY_PANEL (self));

  update_profile (self);
}

static void
on_state_notify (DlViewState    *state,
                 GParamSpec     *pspec,
                 DlDisplayPanel *self)
{
  g_assert (DL_IS_VIEW_STATE (state));
  g_assert (DL_IS_DISPLAY_PANEL (self));

  update_units (self);
}

/* "■ Organic": a swatch in the colour drawn, and what it means. */
static void
set_legend_entry (GtkLabel    *label,
                  const char  *rgb,
                  const char  *meaning)
{
  g_autofree char *markup = g_markup_printf_escaped ("<span foreground=\"%s\">■</span> %s", rgb, meaning);

  gtk_label_set_markup (label, markup);
}

static void
update_legend (DlDisplayPanel *self)
{
  DlViewState *state = dl_session_get_view_state (self->session);
  g_autofree char *organic = NULL, *inorganic = NULL, *metal = NULL, *too_dense = NULL;
  guint8 rgb[3];

  g_object_get (state, "organic-colour", &organic, "inorganic-colour", &inorganic,
                "metal-colour", &metal, NULL);
  dl_overlay_class_colour (DL_CLASS_TOO_DENSE, rgb);
  too_dense = dl_overlay_format_rgb (rgb);
  set_legend_entry (self->legend_organic, organic, _("Organic"));
  set_legend_entry (self->legend_inorganic, inorganic, _("Inorganic"));
  set_legend_entry (self->legend_metal, metal, _("Metal"));
  /* TRANSLATORS: a material colour's meaning: too little X-ray got through to tell the material */
  set_legend_entry (self->legend_too_dense, too_dense, _("Too dense"));
}

static void
on_colour_notify (DlViewState    *state,
                  GParamSpec     *pspec,
                  DlDisplayPanel *self)
{
  g_assert (DL_IS_VIEW_STATE (state));
  g_assert (DL_IS_DISPLAY_PANEL (self));

  update_legend (self);
}

static void
on_active_changed (DlSession      *session,
                   GParamSpec     *pspec,
                   DlDisplayPanel *self)
{
  DlPlane *plane = dl_session_get_active_plane (session);

  g_assert (DL_IS_SESSION (session));
  g_assert (DL_IS_DISPLAY_PANEL (self));

  dl_histogram_view_set_histogram (self->histogram_view,
                                   plane ? dl_plane_get_histogram (plane) : NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self), plane != NULL);
}

static void
bind (DlDisplayPanel *self,
      gpointer        source,
      const char     *source_property,
      gpointer        target,
      const char     *target_property)
{
  GBinding *b = g_object_bind_property (source, source_property, target, target_property,
                                        G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_ptr_array_add (self->bindings, g_object_ref (b));
}

static gboolean
colormap_to_index (GBinding     *binding,
                   const GValue *from,
                   GValue       *to,
                   gpointer      data)
{
  const char *id = g_value_get_string (from);
  guint index = 0;

  for (guint i = 0; i < G_N_ELEMENTS (colormap_ids); i++)
    if (g_strcmp0 (id, colormap_ids[i]) == 0)
      index = i;
  if (id && index == 0 && !g_str_equal (id, "gray"))
    index = G_N_ELEMENTS (colormap_ids);   /* "From file" */
  g_value_set_uint (to, index);
  return TRUE;
}

static gboolean
index_to_colormap (GBinding     *binding,
                   const GValue *from,
                   GValue       *to,
                   gpointer      data)
{
  guint index = g_value_get_uint (from);

  /* the last entry is a table file chosen with "Colour table…": keep it */
  if (index >= G_N_ELEMENTS (colormap_ids))
    return FALSE;
  g_value_set_string (to, colormap_ids[index]);
  return TRUE;
}

static void
unbind_all (DlDisplayPanel *self)
{
  for (guint i = 0; i < self->bindings->len; i++)
    g_binding_unbind (g_ptr_array_index (self->bindings, i));
  g_ptr_array_set_size (self->bindings, 0);
}

/* The label entry follows the selected mark, and edits its label. */
static void
on_selected_changed (DlSession      *session,
                     GParamSpec     *pspec,
                     DlDisplayPanel *self)
{
  const DlAnnotation *a = dl_annotations_lookup (dl_session_get_annotations (session),
                                                 dl_session_get_selected (session));

  g_assert (DL_IS_SESSION (session));
  g_assert (DL_IS_DISPLAY_PANEL (self));

  self->updating_label = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->label_entry), a ? a->label : "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->label_entry), a != NULL);
  self->updating_label = FALSE;
}

static void
on_label_changed (GtkEditable    *editable,
                  DlDisplayPanel *self)
{
  g_assert (GTK_IS_EDITABLE (editable));
  g_assert (DL_IS_DISPLAY_PANEL (self));

  if (self->updating_label || self->session == NULL)
    return;
  /* the label typed is one edit: recorded once confirmed (Enter), or when
   * the analyst moves on (dl_session_begin_mark_edit ()) */
  dl_session_begin_mark_edit (self->session);
  dl_annotations_set_label (dl_session_get_annotations (self->session),
                            dl_session_get_selected (self->session),
                            gtk_editable_get_text (editable));
}

/* Enter, or leaving the field, confirms the label: its edit ends. */
static void
on_label_done (gpointer        source,
               DlDisplayPanel *self)
{
  g_assert (DL_IS_DISPLAY_PANEL (self));

  if (self->session)
    dl_session_end_mark_edit (self->session);
}

void
dl_display_panel_set_session (DlDisplayPanel *self,
                              DlSession      *session)
{
  GtkEventController *focus;
  DlViewState *state;

  g_return_if_fail (DL_IS_DISPLAY_PANEL (self));
  g_return_if_fail (DL_IS_SESSION (session));
  g_return_if_fail (self->session == NULL);

  self->session = g_object_ref (session);
  state = dl_session_get_view_state (session);

  dl_histogram_view_set_state (self->histogram_view, state);
  bind (self, state, "center", gtk_spin_button_get_adjustment (self->center_spin), "value");
  bind (self, state, "width", gtk_spin_button_get_adjustment (self->width_spin), "value");
  bind (self, state, "gamma", gtk_spin_button_get_adjustment (self->gamma_spin), "value");
  bind (self, state, "dense-light", self->invert_switch, "active");
  bind (self, state, "density", self->density_switch, "active");
  bind (self, state, "material", self->material_switch, "active");
  bind (self, state, "material-opacity", gtk_range_get_adjustment (GTK_RANGE (self->opacity_scale)), "value");
  bind (self, state, "strip", self->strip_dropdown, "selected");
  bind (self, state, "band", self->band_switch, "active");
  bind (self, state, "enhance", self->enhance_dropdown, "selected");
  bind (self, state, "band-low", gtk_spin_button_get_adjustment (self->band_low_spin), "value");
  bind (self, state, "band-high", gtk_spin_button_get_adjustment (self->band_high_spin), "value");
  g_ptr_array_add (self->bindings,
                   g_object_ref (g_object_bind_property_full (state, "colormap", self->colormap_dropdown, "selected",
                                                              G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                                              colormap_to_index, index_to_colormap, NULL, NULL)));

  g_signal_connect_object (state, "notify::density", G_CALLBACK (on_state_notify), self, 0);
  g_signal_connect_object (state, "notify::i0", G_CALLBACK (on_state_notify), self, 0);
  g_signal_connect_object (state, "notify::organic-colour", G_CALLBACK (on_colour_notify), self, 0);
  g_signal_connect_object (state, "notify::inorganic-colour", G_CALLBACK (on_colour_notify), self, 0);
  g_signal_connect_object (state, "notify::metal-colour", G_CALLBACK (on_colour_notify), self, 0);
  g_signal_connect_object (session, "notify::scan", G_CALLBACK (on_active_changed), self, 0);
  g_signal_connect_object (session, "notify::active-index", G_CALLBACK (on_active_changed), self, 0);

  g_signal_connect_object (session, "notify::profile", G_CALLBACK (on_profile_notify), self, 0);
  g_signal_connect_object (session, "notify::selected", G_CALLBACK (on_selected_changed), self, 0);
  g_signal_connect_object (session, "notify::scan", G_CALLBACK (on_selected_changed), self, 0);
  g_signal_connect (self->label_entry, "changed", G_CALLBACK (on_label_changed), self);
  g_signal_connect (self->label_entry, "activate", G_CALLBACK (on_label_done), self);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "leave", G_CALLBACK (on_label_done), self);
  gtk_widget_add_controller (GTK_WIDGET (self->label_entry), focus);

  update_units (self);
  update_legend (self);
  update_profile (self);
  on_active_changed (session, NULL, self);
}

/* Lists the user's presets (DlUserPreset) as win.user-preset items. */
void
dl_display_panel_set_user_presets (DlDisplayPanel *self,
                                   GPtrArray      *presets)
{
  g_return_if_fail (DL_IS_DISPLAY_PANEL (self));

  g_menu_remove_all (self->user_presets_section);
  for (guint i = 0; presets && i < presets->len; i++)
    {
      const DlUserPreset *p = g_ptr_array_index (presets, i);
      g_autoptr(GMenuItem) item = g_menu_item_new (p->name, NULL);

      g_menu_item_set_action_and_target (item, "win.user-preset", "u", i);
      g_menu_append_item (self->user_presets_section, item);
    }
}

static void
dl_display_panel_dispose (GObject *object)
{
  DlDisplayPanel *self = DL_DISPLAY_PANEL (object);

  if (self->bindings)
    unbind_all (self);
  g_clear_pointer (&self->bindings, g_ptr_array_unref);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), DL_TYPE_DISPLAY_PANEL);

  G_OBJECT_CLASS (dl_display_panel_parent_class)->dispose (object);
}

static void
dl_display_panel_class_init (DlDisplayPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dl_display_panel_dispose;

  g_type_ensure (DL_TYPE_HISTOGRAM_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/nl/doorlicht/Doorlicht/ui/dl-display-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, DlDisplayPanel, histogram_view);
  gtk_widget_class_bind_template_child (widget_class, DlDisplayPanel, center_spin);
  gtk_widget_class_bind_template_child (widget_class, DlDisplayPanel, width_spin);
  gtk_widget_class_bind_template_child (widget_class, DlDisplayPanel, gamma_spin);
  gtk_widget_class_bind_template_child (widget_class, DlDisplayPanel, invert_switch);
  gtk_widget_class_bind_template_child (widget_class, DlDisplayPanel, density_switch);
  gtk_widget_class_bind_template_child (widget_class, DlDisplayPanel, units_label);
  gtk_widget_class_bind_template_child (widget_class, DlDisplayPanel, i0_label);
  gtk_widget_class_bind_template_child (widget_class, DlDisplayPanel, profile_label);
  gtk_widget_class_bind_template_child (widget_class, DlDisplayPanel, case_profile_button);
  gtk_widget_class_bind_template_child (widget_class, DlDisplayPanel, user_presets_section);
  gtk_widget_class_bind_template_child (widget_class, DlDisplayPanel, material_switch);
  gtk_widget_class_bind_template_child (widget_class, DlDisplayPanel, opacity_scale);
  gtk_widget_class_bind_template_child (widget_class, DlDisplayPanel, legend_organic);
  gtk_widget_class_bind_template_child (widget_class, DlDisplayPanel, legend_inorganic);
  gtk_widget_class_bind_template_child (widget_class, DlDisplayPanel, legend_metal);
  gtk_widget_class_bind_template_child (widget_class, DlDisplayPanel, legend_too_dense);
  gtk_widget_class_bind_template_child (widget_class, DlDisplayPanel, strip_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DlDisplayPanel, colormap_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DlDisplayPanel, band_switch);
  gtk_widget_class_bind_template_child (widget_class, DlDisplayPanel, band_low_spin);
  gtk_widget_class_bind_template_child (widget_class, DlDisplayPanel, band_high_spin);
  gtk_widget_class_bind_template_child (widget_class, DlDisplayPanel, enhance_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DlDisplayPanel, label_entry);
}

static void
dl_display_panel_init (DlDisplayPanel *self)
{
  self->bindings = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_widget_init_template (GTK_WIDGET (self));
}
