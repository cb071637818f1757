/* dl-manifest-panel.c — DlManifestPanel's life (template, dispose), its
 * property and signals, the consistency hints and the reader's warnings
 * listed, and its public API.  The rows of the declaration itself are made
 * in dl-manifest-panel-rows.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-manifest-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "dl-manifest-panel-private.h"
#include "dl-text.h"

G_DEFINE_FINAL_TYPE (DlManifestPanel, dl_manifest_panel, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_MANIFEST,
  N_PROPS
};

enum {
  CONTAINER_SELECTED,
  HINT_SELECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))))
    gtk_list_box_remove (list, child);
}

static GtkWidget *
hint_row (const char *text,
          const char *icon_name,
          const char *css_class)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (icon, css_class);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

/* A hint's row: selecting it (click, or Space on it) shows its region on
 * the scan, so its text is not a selectable label that would take the click. */
static GtkWidget *
hint_row_for (DlManifestPanel *self,
              guint            index)
{
  GtkWidget *row = hint_row (self->hints[index], "dialog-warning-symbolic", "warning");
  GtkWidget *label = gtk_widget_get_last_child (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)));

  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  g_object_set_data (G_OBJECT (row), "hint-index", GUINT_TO_POINTER (index + 1));
  return row;
}

static void
fill_hints (DlManifestPanel *self)
{
  guint n = self->hints ? g_strv_length (self->hints) : 0;

  self->filling = TRUE;
  clear_list (self->hints_list);
  for (guint i = 0; i < n; i++)
    gtk_list_box_append (self->hints_list, hint_row_for (self, i));
  if (self->summary)
    {
      g_autofree char *text = n ? g_strdup (self->summary)
                                : g_strdup_printf ("%s %s", _("No disagreement found."), self->summary);
      GtkWidget *row = hint_row (text, n ? "dialog-information-symbolic" : "emblem-ok-symbolic",
                                 n ? "dim-label" : "success");

      gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_append (self->hints_list, row);
    }
  else if (self->checking)
    gtk_list_box_append (self->hints_list, hint_row (_("Checking against the scan…"),
                                                     "content-loading-symbolic", "dim-label"));
  self->filling = FALSE;
  g_signal_emit (self, signals[HINT_SELECTED], 0, G_MAXUINT);
  gtk_widget_set_visible (self->hints_box, self->manifest && (n > 0 || self->summary || self->checking));
}

/* What the reader read past: a calm list above the declaration, one
 * row each, the place in the file included. */
static void
fill_warnings (DlManifestPanel *self)
{
  GPtrArray *warnings = self->manifest ? self->manifest->warnings : NULL;
  guint n = warnings ? warnings->len : 0;
  g_autofree char *heading = NULL;

  clear_list (self->warnings_list);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = dl_manifest_warning_to_string (g_ptr_array_index (warnings, i));
      g_autofree char *shown = dl_text_isolate (text);
      GtkWidget *row = hint_row (shown, "dialog-information-symbolic", "dim-label");

      gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_append (self->warnings_list, row);
    }
  heading = g_strdup_printf (ngettext ("Read with %u Warning", "Read with %u Warnings", n), n);
  gtk_label_set_label (self->warnings_heading, heading);
  gtk_widget_set_visible (self->warnings_box, self->manifest && n > 0);
}

static void
refresh (DlManifestPanel *self)
{
  clear_list (self->header_list);
  clear_list (self->containers_list);
  clear_list (self->goods_list);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_page), self->manifest == NULL);
  /* the findings are there with or without a manifest: not every
   * detector needs one (rings, units, pockets, the scanner's reports) */
  gtk_widget_set_visible (self->declaration_box, self->manifest != NULL);
  if (self->manifest)
    {
      _dl_manifest_panel_fill_header (self);
      _dl_manifest_panel_fill_lists (self);
    }
  fill_warnings (self);
  fill_hints (self);
}

static void
on_container_activated (GtkListBox      *list,
                        GtkListBoxRow   *row,
                        DlManifestPanel *self)
{
  const char *number = g_object_get_data (G_OBJECT (row), "container");

  g_assert (GTK_IS_LIST_BOX (list));
  g_assert (DL_IS_MANIFEST_PANEL (self));

  if (number)
    g_signal_emit (self, signals[CONTAINER_SELECTED], 0, number);
}

static void
on_hint_selected (GtkListBox      *list,
                  GtkListBoxRow   *row,
                  DlManifestPanel *self)
{
  guint index = row ? GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "hint-index")) : 0;

  g_assert (GTK_IS_LIST_BOX (list));
  g_assert (DL_IS_MANIFEST_PANEL (self));

  if (!self->filling)
    g_signal_emit (self, signals[HINT_SELECTED], 0, index ? index - 1 : G_MAXUINT);
}

static void
dl_manifest_panel_dispose (GObject *object)
{
  DlManifestPanel *self = DL_MANIFEST_PANEL (object);

  g_clear_pointer (&self->manifest, dl_manifest_unref);
  g_clear_pointer (&self->hints, g_strfreev);
  g_clear_pointer (&self->summary, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), DL_TYPE_MANIFEST_PANEL);
  G_OBJECT_CLASS (dl_manifest_panel_parent_class)->dispose (object);
}

static void
dl_manifest_panel_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  DlManifestPanel *self = DL_MANIFEST_PANEL (object);

  switch (prop_id)
    {
    case PROP_MANIFEST: g_value_set_boxed (value, self->manifest); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dl_manifest_panel_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  DlManifestPanel *self = DL_MANIFEST_PANEL (object);

  switch (prop_id)
    {
    case PROP_MANIFEST: dl_manifest_panel_set_manifest (self, g_value_get_boxed (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dl_manifest_panel_class_init (DlManifestPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dl_manifest_panel_dispose;
  object_class->get_property = dl_manifest_panel_get_property;
  object_class->set_property = dl_manifest_panel_set_property;

  properties[PROP_MANIFEST] = g_param_spec_boxed ("manifest", NULL, NULL, DL_TYPE_MANIFEST,
                                                  G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DlManifestPanel::container-selected:
   * @number: the container's ISO 6346 number
   *
   * The analyst chose a container: its scan should be shown.
   */
  signals[CONTAINER_SELECTED] = g_signal_new ("container-selected", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * DlManifestPanel::hint-selected:
   * @index: the hint's index in those set, G_MAXUINT when none is selected
   *
   * The analyst selected a hint (or none): its region should be shown.
   */
  signals[HINT_SELECTED] = g_signal_new ("hint-selected", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_UINT);

  g_type_ensure (DL_TYPE_FINDINGS_LIST);
  gtk_widget_class_set_template_from_resource (widget_class, "/nl/doorlicht/Doorlicht/ui/dl-manifest-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, DlManifestPanel, empty_page);
  gtk_widget_class_bind_template_child (widget_class, DlManifestPanel, content_box);
  gtk_widget_class_bind_template_child (widget_class, DlManifestPanel, declaration_box);
  gtk_widget_class_bind_template_child (widget_class, DlManifestPanel, hints_box);
  gtk_widget_class_bind_template_child (widget_class, DlManifestPanel, hints_list);
  gtk_widget_class_bind_template_child (widget_class, DlManifestPanel, findings_list);
  gtk_widget_class_bind_template_child (widget_class, DlManifestPanel, warnings_box);
  gtk_widget_class_bind_template_child (widget_class, DlManifestPanel, warnings_heading);
  gtk_widget_class_bind_template_child (widget_class, DlManifestPanel, warnings_list);
  gtk_widget_class_bind_template_child (widget_class, DlManifestPanel, header_list);
  gtk_widget_class_bind_template_child (widget_class, DlManifestPanel, containers_heading);
  gtk_widget_class_bind_template_child (widget_class, DlManifestPanel, containers_list);
  gtk_widget_class_bind_template_child (widget_class, DlManifestPanel, goods_heading);
  gtk_widget_class_bind_template_child (widget_class, DlManifestPanel, goods_list);
  gtk_widget_class_bind_template_child (widget_class, DlManifestPanel, totals_label);
}

static void
dl_manifest_panel_init (DlManifestPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self->containers_list, "row-activated", G_CALLBACK (on_container_activated), self);
  g_signal_connect (self->hints_list, "row-selected", G_CALLBACK (on_hint_selected), self);
  refresh (self);
}

GtkWidget *
dl_manifest_panel_new (void)
{
  return g_object_new (DL_TYPE_MANIFEST_PANEL, NULL);
}

void
dl_manifest_panel_set_manifest (DlManifestPanel *self,
                                DlManifest      *manifest)
{
  g_return_if_fail (DL_IS_MANIFEST_PANEL (self));

  if (manifest == self->manifest)
    return;
  g_clear_pointer (&self->manifest, dl_manifest_unref);
  self->manifest = manifest ? dl_manifest_ref (manifest) : NULL;
  refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MANIFEST]);
}

DlManifest *
dl_manifest_panel_get_manifest (DlManifestPanel *self)
{
  g_return_val_if_fail (DL_IS_MANIFEST_PANEL (self), NULL);
  return self->manifest;
}

void
dl_manifest_panel_set_hints (DlManifestPanel    *self,
                             const char         *summary,
                             const char * const *hints)
{
  g_return_if_fail (DL_IS_MANIFEST_PANEL (self));

  g_free (self->summary);
  self->summary = g_strdup (summary);
  g_clear_pointer (&self->hints, g_strfreev);
  self->hints = hints && hints[0] ? g_strdupv ((char **) hints) : NULL;
  fill_hints (self);
}

const char *
dl_manifest_panel_get_selected_container (DlManifestPanel *self)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (DL_IS_MANIFEST_PANEL (self), NULL);
  row = gtk_list_box_get_selected_row (self->containers_list);
  return row ? g_object_get_data (G_OBJECT (row), "container") : NULL;
}

/* While the scan is being checked against the manifest, the place of the
 * result says so. */
void
dl_manifest_panel_set_checking (DlManifestPanel *self,
                                gboolean         checking)
{
  g_return_if_fail (DL_IS_MANIFEST_PANEL (self));

  if (self->checking == !!checking)
    return;
  self->checking = !!checking;
  fill_hints (self);
}

/* The detectors' findings, listed below the hints (dl-findings-list.h). */
DlFindingsList *
dl_manifest_panel_get_findings_list (DlManifestPanel *self)
{
  g_return_val_if_fail (DL_IS_MANIFEST_PANEL (self), NULL);
  return self->findings_list;
}
