/* dl-findings-list.c — the findings listed on the manifest page (see the
 * header).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-findings-list"

#include "config.h"

#include <glib/gi18n.h>

#include "dl-findings-list.h"
#include "dl-format.h"
#include "dl-text.h"

struct _DlFindingsList
{
  GtkBox             parent_instance;

  DlSessionFindings *findings;
  guint              selected;   /* G_MAXUINT: none */
  gboolean           filling;    /* the list is being refilled: no finding-selected */

  GtkListBox        *findings_list;
};

G_DEFINE_FINAL_TYPE (DlFindingsList, dl_findings_list, GTK_TYPE_BOX)

enum { FINDING_SELECTED, N_SIGNALS };

static guint signals[N_SIGNALS];

static const struct { const char *kind; const char *name; } kind_names[] = {
  { "weight", N_("Weight") },
  { "material", N_("Material") },
  { "empty", N_("Not empty") },
  { "dense", N_("Dense region") },
  { "partition", N_("Partition") },
  { "anomaly", N_("Anomaly") },
  { "pocket", N_("Pocket") },
  { "threat", N_("Reported threat") },
};

char *
dl_findings_list_kind_name (const char *kind)
{
  g_return_val_if_fail (kind != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_str_equal (kind, kind_names[i].kind))
      return g_strdup (_(kind_names[i].name));
  /* an external detector's own word */
  return dl_text_isolate (kind);
}

static GtkWidget *
small_label (const char *text,
             const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
  if (css_class)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static const char *
response_text (DlFindingResponse response)
{
  switch (response)
    {
    case DL_FINDING_RESPONSE_CONFIRMED: return _("Confirmed");
    case DL_FINDING_RESPONSE_DISMISSED: return _("Dismissed");
    case DL_FINDING_RESPONSE_NONE:
    default: return C_("finding response", "Open");
    }
}

/* "Dense region · 72 %", the response at the end. */
static GtkWidget *
title_box (const DlSessionFinding *f)
{
  static const char * const response_class[] = { "dim-label", "warning", "dim-label" };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  g_autofree char *kind = dl_findings_list_kind_name (f->finding->kind);
  g_autofree char *number = dl_format_number (f->finding->score * 100, 0);
  /* TRANSLATORS: a finding's score as a percentage */
  g_autofree char *score = g_strdup_printf (_("%s %%"), number);
  GtkWidget *kind_label = small_label (kind, "heading");
  GtkWidget *score_label = small_label (score, "numeric");
  GtkWidget *response = small_label (response_text (f->response), response_class[f->response % 3]);
  GtkWidget *bar = gtk_level_bar_new_for_interval (0, 1);

  gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), f->finding->score);
  gtk_widget_set_size_request (bar, 40, -1);
  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (kind_label, TRUE);
  gtk_widget_add_css_class (response, "caption");
  gtk_box_append (GTK_BOX (box), kind_label);
  gtk_box_append (GTK_BOX (box), bar);
  gtk_box_append (GTK_BOX (box), score_label);
  gtk_box_append (GTK_BOX (box), response);
  return box;
}

static GtkWidget *
finding_row (const DlSessionFinding *f,
             guint                   index)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  g_autofree char *explanation = dl_text_isolate (f->finding->explanation);
  g_autofree char *name = dl_text_isolate (f->finding->detector ? f->finding->detector : "?");
  /* TRANSLATORS: the detector that made a finding, and its version */
  g_autofree char *detector = g_strdup_printf (_("Detector %s %s"), name,
                                               f->finding->detector_version ? f->finding->detector_version : "");
  GtkWidget *detector_label = small_label (detector, "dim-label");

  gtk_widget_add_css_class (detector_label, "caption");
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_box_append (GTK_BOX (box), title_box (f));
  gtk_box_append (GTK_BOX (box), small_label (explanation, NULL));
  gtk_box_append (GTK_BOX (box), detector_label);
  if (f->response == DL_FINDING_RESPONSE_DISMISSED)
    gtk_widget_set_opacity (box, 0.6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  g_object_set_data (G_OBJECT (row), "finding-index", GUINT_TO_POINTER (index + 1));
  return row;
}

/* A row that only says something: the run, "No findings", an error. */
static GtkWidget *
message_row (const char *text,
             const char *icon_name,
             const char *css_class,
             gboolean    spinning)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = spinning ? gtk_spinner_new () : gtk_image_new_from_icon_name (icon_name);
  GtkWidget *label = small_label (text, css_class);

  if (spinning)
    gtk_spinner_start (GTK_SPINNER (icon));
  else
    gtk_widget_add_css_class (icon, css_class);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static void
add_messages (DlFindingsList *self)
{
  const char * const *errors = dl_session_findings_get_errors (self->findings);
  const char *note = dl_session_findings_get_note (self->findings);

  if (dl_session_findings_get_running (self->findings))
    gtk_list_box_append (self->findings_list, message_row (_("Looking for findings…"), NULL, "dim-label", TRUE));
  else if (note)
    gtk_list_box_append (self->findings_list, message_row (note, "dialog-information-symbolic", "dim-label", FALSE));
  else if (dl_session_findings_get_n (self->findings) == 0)
    gtk_list_box_append (self->findings_list, message_row (_("No findings"), "emblem-ok-symbolic", "success", FALSE));
  for (guint i = 0; errors[i]; i++)
    {
      g_autofree char *line = dl_text_isolate (errors[i]);

      gtk_list_box_append (self->findings_list, message_row (line, "dialog-error-symbolic", "error", FALSE));
    }
}

static void
refill (DlFindingsList *self)
{
  GtkWidget *child;
  guint n = self->findings ? dl_session_findings_get_n (self->findings) : 0;

  self->filling = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->findings_list))))
    gtk_list_box_remove (self->findings_list, child);
  for (guint i = 0; i < n; i++)
    gtk_list_box_append (self->findings_list, finding_row (dl_session_findings_get (self->findings, i), i));
  if (self->findings)
    add_messages (self);
  if (self->selected >= n)
    self->selected = G_MAXUINT;
  if (self->selected != G_MAXUINT)
    gtk_list_box_select_row (self->findings_list, gtk_list_box_get_row_at_index (self->findings_list,
                                                                                 (int) self->selected));
  self->filling = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self), self->findings && dl_session_findings_get_active (self->findings));
}

static void
on_findings_changed (DlFindingsList *self)
{
  g_assert (DL_IS_FINDINGS_LIST (self));

  refill (self);
}

static void
on_row_selected (GtkListBox     *list,
                 GtkListBoxRow  *row,
                 DlFindingsList *self)
{
  guint index = row ? GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "finding-index")) : 0;

  g_assert (GTK_IS_LIST_BOX (list));
  g_assert (DL_IS_FINDINGS_LIST (self));

  if (self->filling)
    return;
  self->selected = index ? index - 1 : G_MAXUINT;
  g_signal_emit (self, signals[FINDING_SELECTED], 0, self->selected);
}

static void
dl_findings_list_dispose (GObject *object)
{
  DlFindingsList *self = DL_FINDINGS_LIST (object);

  if (self->findings)
    g_signal_handlers_disconnect_by_data (self->findings, self);
  g_clear_object (&self->findings);
  gtk_widget_dispose_template (GTK_WIDGET (self), DL_TYPE_FINDINGS_LIST);
  G_OBJECT_CLASS (dl_findings_list_parent_class)->dispose (object);
}

static void
dl_findings_list_class_init (DlFindingsListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dl_findings_list_dispose;

  /**
   * DlFindingsList::finding-selected:
   * @index: the finding's index, G_MAXUINT when none is selected
   *
   * The analyst selected a finding's row (or none).
   */
  signals[FINDING_SELECTED] = g_signal_new ("finding-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/doorlicht/Doorlicht/ui/dl-findings-list.ui");
  gtk_widget_class_bind_template_child (widget_class, DlFindingsList, findings_list);
}

static void
dl_findings_list_init (DlFindingsList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->selected = G_MAXUINT;
  g_signal_connect (self->findings_list, "row-selected", G_CALLBACK (on_row_selected), self);
}

GtkWidget *
dl_findings_list_new (void)
{
  return g_object_new (DL_TYPE_FINDINGS_LIST, NULL);
}

void
dl_findings_list_set_findings (DlFindingsList    *self,
                               DlSessionFindings *findings)
{
  g_return_if_fail (DL_IS_FINDINGS_LIST (self));
  g_return_if_fail (findings == NULL || DL_IS_SESSION_FINDINGS (findings));

  if (self->findings)
    g_signal_handlers_disconnect_by_data (self->findings, self);
  g_set_object (&self->findings, findings);
  if (findings)
    g_signal_connect_swapped (findings, "changed", G_CALLBACK (on_findings_changed), self);
  self->selected = G_MAXUINT;
  refill (self);
}

void
dl_findings_list_select (DlFindingsList *self,
                         guint           index)
{
  GtkListBoxRow *row;

  g_return_if_fail (DL_IS_FINDINGS_LIST (self));

  row = index == G_MAXUINT ? NULL : gtk_list_box_get_row_at_index (self->findings_list, (int) index);
  self->filling = TRUE;
  if (row && g_object_get_data (G_OBJECT (row), "finding-index"))
    {
      self->selected = index;
      gtk_list_box_select_row (self->findings_list, row);
    }
  else
    {
      self->selected = G_MAXUINT;
      gtk_list_box_unselect_all (self->findings_list);
    }
  self->filling = FALSE;
}

guint
dl_findings_list_get_selected (DlFindingsList *self)
{
  g_return_val_if_fail (DL_IS_FINDINGS_LIST (self), G_MAXUINT);
  return self->selected;
}
