/* dl-manifest-panel-rows.c — DlManifestPanel's rows of the declaration:
 * transport, route, carrier and document; each container with its seals
 * and ISO 6346 check-digit badge; each consignment's heading and its goods
 * lines (HS code and chapter, packages and mass, placements); the totals.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-manifest-panel-rows"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "dl-format.h"
#include "dl-hs.h"
#include "dl-manifest-panel-private.h"
#include "dl-text.h"

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

void
_dl_manifest_panel_fill_header (DlManifestPanel *self)
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

void
_dl_manifest_panel_fill_lists (DlManifestPanel *self)
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
