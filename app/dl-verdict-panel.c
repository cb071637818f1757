/* dl-verdict-panel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-verdict-panel"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "dl-format.h"
#include "dl-verdict-panel.h"
#include "dl-text.h"

struct _DlVerdictPanel
{
  GtkBox         parent_instance;

  DlCaseFile    *case_file;
  char          *case_id;

  AdwStatusPage *empty_page;
  GtkWidget     *content_box;
  GtkLabel      *title_label;
  GtkLabel      *state_label;
  GtkWidget     *verdict_box;
  GtkLabel      *verdict_label;
  GtkLabel      *verdict_detail;
  GtkWidget     *review_box;
  GtkLabel      *review_label;
  GtkEntry      *comment_entry;
  GtkWidget     *review_buttons;
  GtkWidget     *four_eyes_label;
  GtkLabel      *record_heading;
  GtkGrid       *reasons_box;
  GtkWidget     *reason_needed_label;
  GtkEntry      *note_entry;
  GPtrArray     *reason_checks;   /* GtkCheckButton, in dl_verdict_reason_ids () order */
};

G_DEFINE_FINAL_TYPE (DlVerdictPanel, dl_verdict_panel, GTK_TYPE_BOX)

static char *
format_time (gint64 time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time);
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  /* local time, in the locale's format (LC_TIME) */
  return local ? dl_format_date_time (local) : g_strdup ("?");
}

static const char *
decision_class (DlDecision decision)
{
  switch (decision)
    {
    case DL_DECISION_CLEAR: return "verdict-clear";
    case DL_DECISION_INSPECT: return "verdict-inspect";
    case DL_DECISION_SEIZE: return "verdict-seize";
    default: return "verdict-rescan";
    }
}

static char *
describe_verdict (const DlVerdict *v)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *when = format_time (v->created);

  for (guint i = 0; v->reasons[i]; i++)
    {
      const char *label = dl_verdict_reason_get_label (v->reasons[i]);
      g_string_append_printf (s, "%s%s", i ? ", " : "", label ? label : v->reasons[i]);
    }
  if (*v->text)
    g_string_append_printf (s, "%s“%s”", s->len ? "\n" : "", v->text);
  /* TRANSLATORS: who recorded a verdict and when: "Anna Jansen (anna), 2026-11-30 14:05" */
  g_string_append_printf (s, "%s", s->len ? "\n" : "");
  g_string_append_printf (s, _("%s (%s), %s"), v->author.name, v->author.login, when);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
show_review (DlVerdictPanel  *self,
             const DlVerdict *verdict)
{
  g_autoptr(DlReview) review = NULL;
  g_autoptr(GError) error = NULL;
  DlIdentity *me = dl_case_file_get_identity (self->case_file);
  gboolean own;

  review = dl_case_file_get_review (self->case_file, verdict->id, &error);
  own = me && (g_strcmp0 (dl_identity_get_fingerprint (me), verdict->author.fingerprint) == 0 ||
               g_strcmp0 (dl_identity_get_login (me), verdict->author.login) == 0);

  if (review)
    {
      g_autofree char *when = format_time (review->created);
      g_autofree char *text = NULL;

      /* TRANSLATORS: "Approved by Piet de Vries (piet), 2026-11-30 15:10" and the comment */
      text = g_strdup_printf (_("%s by %s (%s), %s%s%s"), dl_review_decision_get_label (review->decision),
                              review->author.name, review->author.login, when,
                              *review->comment ? "\n" : "", review->comment);
      gtk_label_set_label (self->review_label, text);
    }
  else
    gtk_label_set_label (self->review_label, error ? error->message : _("Not reviewed yet"));

  gtk_widget_set_visible (GTK_WIDGET (self->comment_entry), review == NULL && !own);
  gtk_widget_set_visible (self->review_buttons, review == NULL && !own);
  gtk_widget_set_visible (self->four_eyes_label, review == NULL && own);
  gtk_widget_set_visible (self->review_box, TRUE);
}

static void
show_verdict (DlVerdictPanel *self)
{
  g_autoptr(DlVerdict) verdict = NULL;
  g_autoptr(GError) error = NULL;

  for (guint d = DL_DECISION_CLEAR; d < DL_N_DECISIONS; d++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_label), decision_class (d));

  verdict = dl_case_file_get_verdict (self->case_file, self->case_id, &error);
  if (verdict == NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->verdict_label), "dim-label");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_label), "dim-label");
  if (verdict == NULL)
    {
      gtk_label_set_label (self->verdict_label, error ? error->message : _("No verdict yet"));
      gtk_label_set_label (self->verdict_detail, "");
      gtk_widget_set_visible (self->review_box, FALSE);
      gtk_label_set_label (self->record_heading, _("Record a Verdict"));
      return;
    }

  {
    g_autofree char *detail = describe_verdict (verdict);

    gtk_label_set_label (self->verdict_label, dl_decision_get_label (verdict->decision));
    gtk_widget_add_css_class (GTK_WIDGET (self->verdict_label), decision_class (verdict->decision));
    gtk_label_set_label (self->verdict_detail, detail);
  }
  gtk_label_set_label (self->record_heading, _("Record a New Verdict"));
  show_review (self, verdict);
}

void
dl_verdict_panel_refresh (DlVerdictPanel *self)
{
  g_autoptr(DlCaseSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  gboolean writable;

  g_return_if_fail (DL_IS_VERDICT_PANEL (self));

  if (self->case_file && self->case_id)
    summary = dl_case_file_get_case (self->case_file, self->case_id, &error);

  gtk_widget_set_visible (GTK_WIDGET (self->empty_page), summary == NULL);
  gtk_widget_set_visible (self->content_box, summary != NULL);
  if (summary == NULL)
    {
      if (error)
        adw_status_page_set_description (self->empty_page, error->message);
      return;
    }

  writable = !dl_case_file_is_read_only (self->case_file);
  {
    g_autofree char *title = dl_text_isolate (summary->title);

    gtk_label_set_label (self->title_label, title);
  }
  gtk_label_set_label (self->state_label, writable ? dl_case_state_get_label (summary->state)
                                                   : _("Read only: this case file came from elsewhere"));
  show_verdict (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reasons_box), writable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->note_entry), writable);
}

static void
dl_verdict_panel_dispose (GObject *object)
{
  DlVerdictPanel *self = DL_VERDICT_PANEL (object);

  g_clear_object (&self->case_file);
  g_clear_pointer (&self->case_id, g_free);
  g_clear_pointer (&self->reason_checks, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), DL_TYPE_VERDICT_PANEL);
  G_OBJECT_CLASS (dl_verdict_panel_parent_class)->dispose (object);
}

static void
dl_verdict_panel_class_init (DlVerdictPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dl_verdict_panel_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/doorlicht/Doorlicht/ui/dl-verdict-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, DlVerdictPanel, empty_page);
  gtk_widget_class_bind_template_child (widget_class, DlVerdictPanel, content_box);
  gtk_widget_class_bind_template_child (widget_class, DlVerdictPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, DlVerdictPanel, state_label);
  gtk_widget_class_bind_template_child (widget_class, DlVerdictPanel, verdict_box);
  gtk_widget_class_bind_template_child (widget_class, DlVerdictPanel, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, DlVerdictPanel, verdict_detail);
  gtk_widget_class_bind_template_child (widget_class, DlVerdictPanel, review_box);
  gtk_widget_class_bind_template_child (widget_class, DlVerdictPanel, review_label);
  gtk_widget_class_bind_template_child (widget_class, DlVerdictPanel, comment_entry);
  gtk_widget_class_bind_template_child (widget_class, DlVerdictPanel, review_buttons);
  gtk_widget_class_bind_template_child (widget_class, DlVerdictPanel, four_eyes_label);
  gtk_widget_class_bind_template_child (widget_class, DlVerdictPanel, record_heading);
  gtk_widget_class_bind_template_child (widget_class, DlVerdictPanel, reasons_box);
  gtk_widget_class_bind_template_child (widget_class, DlVerdictPanel, note_entry);
  gtk_widget_class_bind_template_child (widget_class, DlVerdictPanel, reason_needed_label);
}

static void
on_reason_toggled (GtkCheckButton *check,
                   DlVerdictPanel *self)
{
  g_assert (GTK_IS_CHECK_BUTTON (check));
  g_assert (DL_IS_VERDICT_PANEL (self));

  if (gtk_check_button_get_active (check))
    gtk_widget_set_visible (self->reason_needed_label, FALSE);
}

/* Each reason is one tab stop, and shows its key (Ctrl+1 … Ctrl+0). */
static GtkWidget *
new_reason_check (DlVerdictPanel *self,
                  const char     *id,
                  guint           index)
{
  g_autofree char *key = gtk_accelerator_get_label (dl_verdict_panel_reason_key (index), GDK_CONTROL_MASK);
  /* TRANSLATORS: a verdict reason and its key: "Density anomaly · Ctrl+1" */
  g_autofree char *text = g_strdup_printf (_("%s · %s"), dl_verdict_reason_get_label (id), key);
  GtkWidget *check = gtk_check_button_new_with_label (text);

  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  dl_verdict_reason_get_label (id), GTK_ACCESSIBLE_PROPERTY_KEY_SHORTCUTS, key, -1);
  g_signal_connect_object (check, "toggled", G_CALLBACK (on_reason_toggled), self, 0);
  return check;
}

static void
dl_verdict_panel_init (DlVerdictPanel *self)
{
  const char * const *ids = dl_verdict_reason_ids ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->reason_checks = g_ptr_array_new ();
  for (guint i = 0; ids[i]; i++)
    {
      GtkWidget *check = new_reason_check (self, ids[i], i);

      gtk_grid_attach (self->reasons_box, check, 0, i, 1, 1);
      g_ptr_array_add (self->reason_checks, check);
    }
  dl_verdict_panel_refresh (self);
}

guint
dl_verdict_panel_reason_key (guint index)
{
  return index < 9 ? GDK_KEY_1 + index : GDK_KEY_0;
}

void
dl_verdict_panel_toggle_reason (DlVerdictPanel *self,
                                guint           index)
{
  GtkCheckButton *check;

  g_return_if_fail (DL_IS_VERDICT_PANEL (self));

  if (index >= self->reason_checks->len || !gtk_widget_is_sensitive (GTK_WIDGET (self->reasons_box)))
    return;
  check = g_ptr_array_index (self->reason_checks, index);
  gtk_check_button_set_active (check, !gtk_check_button_get_active (check));
}

/* The first thing to do on the page: review (a supervisor's comment) or
 * the first reason of a verdict. */
void
dl_verdict_panel_focus (DlVerdictPanel *self)
{
  g_return_if_fail (DL_IS_VERDICT_PANEL (self));

  if (gtk_widget_get_visible (GTK_WIDGET (self->comment_entry)) && gtk_widget_get_visible (self->review_box))
    gtk_widget_grab_focus (GTK_WIDGET (self->comment_entry));
  else if (!gtk_widget_grab_focus (g_ptr_array_index (self->reason_checks, 0)))
    gtk_widget_child_focus (GTK_WIDGET (self), GTK_DIR_TAB_FORWARD);
}

void
dl_verdict_panel_focus_note (DlVerdictPanel *self)
{
  g_return_if_fail (DL_IS_VERDICT_PANEL (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->note_entry));
}

/* Seize was asked for without a reason: say so, and go to the reasons. */
void
dl_verdict_panel_ask_reason (DlVerdictPanel *self)
{
  g_return_if_fail (DL_IS_VERDICT_PANEL (self));

  gtk_widget_set_visible (self->reason_needed_label, TRUE);
  gtk_widget_grab_focus (g_ptr_array_index (self->reason_checks, 0));
}

gboolean
dl_verdict_panel_get_asking_reason (DlVerdictPanel *self)
{
  g_return_val_if_fail (DL_IS_VERDICT_PANEL (self), FALSE);
  return gtk_widget_get_visible (self->reason_needed_label);
}

void
dl_verdict_panel_set_case (DlVerdictPanel *self,
                           DlCaseFile     *case_file,
                           const char     *case_id)
{
  g_return_if_fail (DL_IS_VERDICT_PANEL (self));

  g_set_object (&self->case_file, case_file);
  g_free (self->case_id);
  self->case_id = g_strdup (case_id);
  dl_verdict_panel_clear_input (self);
  dl_verdict_panel_refresh (self);
}

GStrv
dl_verdict_panel_dup_reasons (DlVerdictPanel *self)
{
  const char * const *ids = dl_verdict_reason_ids ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (DL_IS_VERDICT_PANEL (self), NULL);

  for (guint i = 0; i < self->reason_checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->reason_checks, i)))
      g_strv_builder_add (builder, ids[i]);
  return g_strv_builder_end (builder);
}

const char *
dl_verdict_panel_get_note (DlVerdictPanel *self)
{
  g_return_val_if_fail (DL_IS_VERDICT_PANEL (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->note_entry));
}

const char *
dl_verdict_panel_get_comment (DlVerdictPanel *self)
{
  g_return_val_if_fail (DL_IS_VERDICT_PANEL (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->comment_entry));
}

void
dl_verdict_panel_clear_input (DlVerdictPanel *self)
{
  g_return_if_fail (DL_IS_VERDICT_PANEL (self));

  for (guint i = 0; i < self->reason_checks->len; i++)
    gtk_check_button_set_active (g_ptr_array_index (self->reason_checks, i), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->comment_entry), "");
  gtk_widget_set_visible (self->reason_needed_label, FALSE);
}

/* The case shown (tests check it is the session's at every frame). */
const char *
dl_verdict_panel_get_case_id (DlVerdictPanel *self)
{
  g_return_val_if_fail (DL_IS_VERDICT_PANEL (self), NULL);
  return self->case_id;
}
