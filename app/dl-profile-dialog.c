/* dl-profile-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-profile-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "dl-profile.h"
#include "dl-profile-dialog.h"
#include "dl-text.h"

struct _DlProfileDialog
{
  AdwMessageDialog parent_instance;

  GtkListBox      *profile_list;
  GPtrArray       *checks;      /* GtkCheckButton, one a profile, in list order */
  GPtrArray       *ids;         /* char *, the profiles' ids, in list order */
};

G_DEFINE_FINAL_TYPE (DlProfileDialog, dl_profile_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
on_check_toggled (GtkCheckButton  *check,
                  DlProfileDialog *self)
{
  g_assert (DL_IS_PROFILE_DIALOG (self));

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "choose",
                                           dl_profile_dialog_get_profile_id (self) != NULL);
}

/* One row: the profile's name (text from its file, isolated) over its id. */
static void
add_row (DlProfileDialog *self,
         const DlProfile *profile,
         GtkCheckButton  *group)
{
  g_autofree char *name = dl_text_isolate (profile->name);
  g_autofree char *id = dl_text_isolate (profile->id);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), id);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  if (group)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  g_signal_connect_object (check, "toggled", G_CALLBACK (on_check_toggled), self, 0);
  gtk_list_box_append (self->profile_list, row);
  g_ptr_array_add (self->checks, check);
  g_ptr_array_add (self->ids, g_strdup (profile->id));
}

static void
fill (DlProfileDialog *self)
{
  GPtrArray *profiles = dl_profiles_list (dl_profiles_get_default ());

  for (guint i = 0; i < profiles->len; i++)
    add_row (self, g_ptr_array_index (profiles, i),
             self->checks->len ? g_ptr_array_index (self->checks, 0) : NULL);
}

static void
dl_profile_dialog_finalize (GObject *object)
{
  DlProfileDialog *self = DL_PROFILE_DIALOG (object);

  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_pointer (&self->ids, g_ptr_array_unref);
  G_OBJECT_CLASS (dl_profile_dialog_parent_class)->finalize (object);
}

static void
dl_profile_dialog_class_init (DlProfileDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = dl_profile_dialog_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, "/nl/doorlicht/Doorlicht/ui/dl-profile-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DlProfileDialog, profile_list);
}

static void
dl_profile_dialog_init (DlProfileDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->checks = g_ptr_array_new ();
  self->ids = g_ptr_array_new_with_free_func (g_free);
}

DlProfileDialog *
dl_profile_dialog_new (GtkWindow  *parent,
                       const char *body,
                       const char *current_id)
{
  DlProfileDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  self = g_object_new (DL_TYPE_PROFILE_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body ? body : "");
  fill (self);
  if (current_id)
    dl_profile_dialog_select (self, current_id);
  on_check_toggled (NULL, self);
  return self;
}

const char *
dl_profile_dialog_get_profile_id (DlProfileDialog *self)
{
  g_return_val_if_fail (DL_IS_PROFILE_DIALOG (self), NULL);

  for (guint i = 0; i < self->checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
      return g_ptr_array_index (self->ids, i);
  return NULL;
}

gboolean
dl_profile_dialog_select (DlProfileDialog *self,
                          const char      *id)
{
  g_return_val_if_fail (DL_IS_PROFILE_DIALOG (self), FALSE);

  for (guint i = 0; i < self->ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->ids, i), id) == 0)
      {
        gtk_check_button_set_active (g_ptr_array_index (self->checks, i), TRUE);
        return TRUE;
      }
  return FALSE;
}
