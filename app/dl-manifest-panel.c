/* dl-manifest-panel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-manifest-panel"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "dl-findings-list.h"
#include "dl-format.h"
#include "dl-hs.h"
#include "dl-manifest-panel.h"
#include "dl-text.h"

struct _DlManifestPanel
{
  GtkBox       parent_instance;

  DlManifest  *manifest;
  GStrv        hints;
  gboolean     filling;      /* the hints list is being refilled: no hint-selected */
  char        *summary;
  gboolean     checking;    /* the check of the scan shown still runs */

  AdwStatusPage *empty_page;
  GtkWidget   *content_box;
  GtkWidget   *hints_box;
  GtkListBox  *hints_list;
  DlFindingsList *findings_list;
  GtkWidget   *warnings_box;
  GtkLabel    *warnings_heading;
  GtkListBox  *warnings_list;
  GtkListBox  *header_list;
  GtkLabel    *containers_heading;
  GtkListBox  *containers_list;
  GtkLabel    *goods_heading;
  GtkListBox  *goods_list;
  GtkLabel    *totals_label;
};

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
info_row (const char *title,
          const char *value)
{
  GtkWidget *row = adw_action_row_new ();
  /* the sender's text: its direction ends with it */
  g_autofree char *shown = value ? dl_text_isolate (value) : NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), shown);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static void
add_info (DlManifestPanel *self,
          const char      *title,
          const char      *value)
{
  if (value && *value)
    gtk_list_box_append (self->header_list, info_row (title, value));
}

static void
fill_header (DlManifestPanel *self)
{
  DlManifest *m = self->manifest;
  g_autoptr(GString) transport = g_string_new (NULL);
  g_autofree char *route = NULL;
  g_autofree char *document = NULL;
  g_autofree char *date = NULL;

  if (m->transport_mode)
    g_string_append (transport, dl_manifest_transport_mode_label (m->transport_mode));
  if (m->conveyance)
    g_string_append_printf (transport, "%s%s", transport->len ? " · " : "", m->conveyance);
  if (m->voyage)
    g_string_append_printf (transport, "%s%s", transport->len ? " · " : "", m->voyage);
  if (m->port_of_loading || m->port_of_discharge)
    route = g_strdup_printf ("%s → %s", m->port_of_loading ? m->port_of_loading : "?",
                             m->port_of_discharge ? m->port_of_discharge : "?");
  if (m->date)
    date = dl_format_iso_date (m->date);
  if (m->message_id || date)
    document = g_strdup_printf ("%s%s%s", m->message_id ? m->message_id : "",
                                m->message_id && date ? " · " : "", date ? date : "");

  add_info (self, _("Transport"), transport->str);
  add_info (self, _("Route"), route);
  add_info (self, _("Carrier"), m->carrier);
  add_info (self, _("Document"), document);
}

/* A consignment's heading in the goods list: its transport document and
 * kind, consignor → consignee (and the notify party). */
static GtkWidget *
consignment_row (const DlManifestConsignment *c,
                 guint                        index)
{
  const char *kind = dl_manifest_transport_document_kind_label (c->transport_document_kind);
  g_autofree char *document = c->transport_document ? dl_text_isolate (c->transport_document) : NULL;
  g_autofree char *from = dl_text_isolate (c->consignor ? c->consignor : "?");
  g_autofree char *to = dl_text_isolate (c->consignee ? c->consignee : "?");
  g_autofree char *title = NULL;
  g_autoptr(GString) parties = g_string_new (NULL);
  GtkWidget *row, *icon;

  if (document)
    /* TRANSLATORS: a transport document's kind and number: "Road consignment note · CMR123" */
    title = kind ? g_strdup_printf (_("%s · %s"), kind, document) : g_strdup (document);
  else
    /* TRANSLATORS: a consignment without a transport document, by its place in the manifest */
    title = g_strdup_printf (_("Consignment %u"), index + 1);
  if (c->consignor || c->consignee)
    g_string_append_printf (parties, "%s → %s", from, to);
  if (c->notify_party)
    {
      g_autofree char *notify = dl_text_isolate (c->notify_party);

      if (parties->len)
        g_string_append (parties, " · ");
      /* TRANSLATORS: the party to notify of a consignment's arrival */
      g_string_append_printf (parties, _("notify %s"), notify);
    }
  row = info_row (title, parties->len ? parties->str : NULL);
  /* the document the goods below travel under */
  icon = gtk_image_new_from_icon_name ("emblem-documents-symbolic");
  gtk_widget_add_css_class (icon, "dim-label");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_add_css_class (row, "consignment");
  return row;
}

/* "CSQU3054383 · 500 BG · 11,000.0 kg": one placement of a split goods
 * item, what it gives of packages and mass. */
static void
append_placement (GString                   *s,
                  const DlManifestGoods     *g,
                  const DlManifestPlacement *p)
{
  g_string_append_printf (s, "\n%s", p->container);
  if (p->has_packages)
    g_string_append_printf (s, " · %'u %s", p->packages, g->package_kind ? g->package_kind : "");
  if (!isnan (p->gross_kg))
    g_string_append_printf (s, " · %'.1f kg", p->gross_kg);
}

static GtkWidget *
check_digit_badge (const char *number)
{
  gboolean valid = dl_iso6346_is_valid (number);
  GtkWidget *badge = gtk_label_new (valid ? _("✓ Check digit") : _("✗ Check digit"));

  gtk_widget_add_css_class (badge, "badge");
  gtk_widget_add_css_class (badge, valid ? "success" : "error");
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (badge, valid ? _("The ISO 6346 check digit is right")
                                            : _("The ISO 6346 check digit is wrong: the number was mistyped or forged"));
  return badge;
}

static GtkWidget *
container_row (const DlManifestContainer *c)
{
  GtkWidget *row = adw_action_row_new ();
  g_autoptr(GString) subtitle = g_string_new (c->size_type ? c->size_type : "");
  g_autofree char *seals = g_strjoinv (", ", c->seals);
  g_autofree char *size_type = c->size_type ? dl_iso6346_describe_size_type (c->size_type) : NULL;

  if (size_type)
    g_string_append_printf (subtitle, " (%s)", size_type);
  if (!c->full)
    g_string_append_printf (subtitle, "%s%s", subtitle->len ? " · " : "", _("declared empty"));
  if (*seals)
    g_string_append_printf (subtitle, "%s%s %s", subtitle->len ? " · " : "", _("seals"), seals);
  else
    g_string_append_printf (subtitle, "%s%s", subtitle->len ? " · " : "", _("no seals"));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), c->number);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), check_digit_badge (c->number));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "container", g_strdup (c->number), g_free);
  return row;
}

static char *
format_hs (const char *code)
{
  gsize n = code ? strlen (code) : 0;

  if (n >= 6)
    return g_strdup_printf ("%.4s.%.2s%s", code, code + 4, code + 6);
  return g_strdup (code ? code : "");
}

/* Packages and gross mass, on two lines; what is not given said so. */
static char *
amount (const DlManifestGoods *g)
{
  g_autofree char *packages = NULL;

  if (g->has_packages)
    packages = g_strdup_printf ("%'u %s", g->packages, g->package_kind ? g->package_kind : "");
  else
    /* TRANSLATORS: the manifest gives no package count for a goods item */
    packages = g_strdup (_("packages not given"));
  if (dl_manifest_goods_has_mass (g))
    /* TRANSLATORS: packages (count and kind), gross mass */
    return g_strdup_printf (_("%s\n%'.1f kg"), packages, g->gross_kg);
  /* TRANSLATORS: packages (count and kind); the manifest gives no gross mass */
  return g_strdup_printf (_("%s\nmass not given"), packages);
}

static GtkWidget *
goods_row (const DlManifestGoods *g,
           gboolean               show_container)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *amount_label;
  g_autofree char *hs = format_hs (g->hs_code);
  g_autofree char *subtitle = NULL;
  g_autofree char *amount_text = NULL;
  const char *chapter = dl_hs_chapter_name (g->hs_code);

  /* TRANSLATORS: an HS code and its chapter: "HS 4011.10 · ch. 40 Rubber and articles thereof" */
  subtitle = chapter ? g_strdup_printf (_("HS %s · ch. %02u %s"), hs, dl_hs_chapter (g->hs_code), chapter)
                     : g_strdup_printf (_("HS %s"), hs);
  if (g->placements->len > 0)
    {
      /* split over containers: each placement on a line of its own */
      GString *with = g_string_new (subtitle);

      for (guint i = 0; i < g->placements->len; i++)
        append_placement (with, g, g_ptr_array_index (g->placements, i));
      g_free (subtitle);
      subtitle = g_string_free (with, FALSE);
    }
  else if (show_container && g->container)
    {
      char *with = g_strdup_printf ("%s · %s", subtitle, g->container);
      g_free (subtitle);
      subtitle = with;
    }
  amount_text = amount (g);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  {
    g_autofree char *description = dl_text_isolate (g->description ? g->description : "");

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), description);
  }
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3 + g->placements->len);
  amount_label = gtk_label_new (amount_text);
  gtk_label_set_xalign (GTK_LABEL (amount_label), 1);
  gtk_label_set_justify (GTK_LABEL (amount_label), GTK_JUSTIFY_RIGHT);
  gtk_widget_add_css_class (amount_label, "numeric");
  gtk_widget_add_css_class (amount_label, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), amount_label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

/* How many goods items give no package count. */
static guint
n_without_count (const DlManifest *m)
{
  guint n = 0;

  for (guint i = 0; i < m->goods->len; i++)
    n += !((const DlManifestGoods *) g_ptr_array_index (m->goods, i))->has_packages;
  return n;
}

static void
fill_lists (DlManifestPanel *self)
{
  DlManifest *m = self->manifest;
  g_autofree char *containers = NULL;
  g_autofree char *goods = NULL;
  g_autofree char *totals = NULL;

  for (guint i = 0; i < m->containers->len; i++)
    gtk_list_box_append (self->containers_list, container_row (g_ptr_array_index (m->containers, i)));
  for (guint k = 0; k < m->consignments->len; k++)
    {
      const DlManifestConsignment *c = g_ptr_array_index (m->consignments, k);
      gtk_list_box_append (self->goods_list, consignment_row (c, k));
      for (guint i = 0; i < m->goods->len; i++)
        {
          const DlManifestGoods *g = g_ptr_array_index (m->goods, i);

          if (g->consignment == c)
            gtk_list_box_append (self->goods_list, goods_row (g, m->containers->len > 1));
        }
    }

  containers = g_strdup_printf (ngettext ("%u Container", "%u Containers", m->containers->len),
                                m->containers->len);
  goods = g_strdup_printf (ngettext ("%u Goods Line", "%u Goods Lines", m->goods->len), m->goods->len);
  if (dl_manifest_n_goods_without_mass (m) == 0)
    totals = g_strdup_printf (_("Total %'u packages, %'.1f kg gross"),
                              dl_manifest_total_packages (m), dl_manifest_total_gross_kg (m));
  else
    totals = g_strdup_printf (ngettext ("Total %'u packages; the gross mass of %u goods line is not given",
                                        "Total %'u packages; the gross mass of %u goods lines is not given",
                                        dl_manifest_n_goods_without_mass (m)),
                              dl_manifest_total_packages (m), dl_manifest_n_goods_without_mass (m));
  if (n_without_count (m) > 0)
    {
      guint n = n_without_count (m);
      /* TRANSLATORS: appended to the totals: "Total 1,020 packages, 22,131.2 kg gross; the package count of 1 goods line is not given" */
      char *more = g_strdup_printf (ngettext ("%s; the package count of %u goods line is not given",
                                              "%s; the package count of %u goods lines is not given", n),
                                    totals, n);
      g_free (totals);
      totals = more;
    }
  gtk_label_set_label (self->containers_heading, containers);
  gtk_label_set_label (self->goods_heading, goods);
  gtk_label_set_label (self->totals_label, totals);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->containers_list)), m->containers->len > 0);
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
  gtk_widget_set_visible (self->hints_box, n > 0 || self->summary || self->checking);
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
  gtk_widget_set_visible (self->warnings_box, n > 0);
}

static void
refresh (DlManifestPanel *self)
{
  clear_list (self->header_list);
  clear_list (self->containers_list);
  clear_list (self->goods_list);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_page), self->manifest == NULL);
  gtk_widget_set_visible (self->content_box, self->manifest != NULL);
  if (self->manifest)
    {
      fill_header (self);
      fill_lists (self);
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
