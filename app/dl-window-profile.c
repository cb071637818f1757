/* dl-window-profile.c — DlWindow's scanner profile: the banner over a scan
 * no profile is for, and choosing one for it, remembered for its scanner;
 * a supervisor's choice of another for a case's scan, kept in the case.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-window-profile"

#include "config.h"

#include <glib/gi18n.h>

#include "dl-profile-dialog.h"
#include "dl-window-private.h"

/* The scanner as the scan names it, for the banner: make, model and
 * serial number as far as they are given. */
static char *
describe_scanner (DlScan *scan)
{
  const char *keys[] = { "make", "model", "serial" };
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *v = dl_scan_get_metadata (scan, keys[i]);

      if (v && *v)
        g_string_append_printf (out, "%s%s", out->len ? " " : "", v);
    }
  if (out->len == 0)
    return g_strdup (_("a scanner that does not name itself"));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A scan no profile is for: its material classes and weights come from
 * the generator's curves, and the analyst is told so over the scan. */
static void
update_profile_banner (DlWindow *self)
{
  DlScan *scan = dl_session_get_scan (self->session);
  g_autofree char *scanner = NULL, *text = NULL;

  if (scan == NULL || dl_session_get_profile (self->session, NULL) != NULL)
    {
      gtk_widget_set_visible (self->profile_banner_box, FALSE);
      return;
    }
  scanner = describe_scanner (scan);
  /* TRANSLATORS: %s names the scanner: its make, model and serial number */
  text = g_strdup_printf (_("No scanner profile is for this scan (%s): its material colours and the weight estimated from it "
                            "use the generator’s curves, not this scanner’s, and are not calibrated."), scanner);
  gtk_label_set_label (self->profile_banner, text);
  gtk_widget_set_visible (self->profile_banner_box, TRUE);
}

static void
on_profile_changed (DlSession  *session,
                    GParamSpec *pspec,
                    DlWindow   *self)
{
  g_assert (DL_IS_SESSION (session));
  g_assert (DL_IS_WINDOW (self));

  update_profile_banner (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.choose-profile",
                                 dl_session_get_scan (session) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.choose-case-profile",
                                 dl_session_get_scan (session) != NULL && dl_session_get_case_id (session) != NULL);
}

static void
on_choose_response (DlProfileDialog *dialog,
                    const char      *response,
                    DlWindow        *self)
{
  const char *id = dl_profile_dialog_get_profile_id (dialog);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  DlProfile *profile;

  g_assert (DL_IS_PROFILE_DIALOG (dialog));
  g_assert (DL_IS_WINDOW (self));

  if (!g_str_equal (response, "choose") || id == NULL || dl_session_get_scan (self->session) == NULL)
    return;
  if (!dl_session_remember_profile (self->session, id, &error))
    {
      _dl_window_show_error (self, _("The scanner profile was not remembered"), error);
      return;
    }
  profile = dl_session_get_profile (self->session, NULL);
  /* TRANSLATORS: %s is the name of a scanner profile */
  text = g_strdup_printf (_("This scanner’s scans now use the profile %s"), profile->name);
  _dl_window_toast (self, text);
}

/* Asks which profile the scans of this scanner are to use. */
static void
choose_profile_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  DlScan *scan = dl_session_get_scan (self->session);
  DlProfile *current = dl_session_get_profile (self->session, NULL);
  g_autofree char *scanner = NULL, *body = NULL;
  DlProfileDialog *dialog;

  if (scan == NULL)
    return;
  scanner = describe_scanner (scan);
  /* TRANSLATORS: %s names the scanner: its make, model and serial number */
  body = g_strdup_printf (_("The scan comes from %s. The profile chosen classifies and weighs its scans, and is "
                            "remembered for this scanner: its next scans use it without asking."), scanner);
  dialog = dl_profile_dialog_new (GTK_WINDOW (self), body, current ? current->id : NULL);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_choose_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_case_choice_response (DlProfileDialog *dialog,
                         const char      *response,
                         DlWindow        *self)
{
  const char *id = dl_profile_dialog_get_profile_id (dialog);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert (DL_IS_PROFILE_DIALOG (dialog));
  g_assert (DL_IS_WINDOW (self));

  if (!g_str_equal (response, "choose") || id == NULL || dl_session_get_scan (self->session) == NULL)
    return;
  if (!dl_session_choose_case_profile (self->session, id, &error))
    {
      _dl_window_show_error (self, _("The scanner profile was not chosen for this case"), error);
      return;
    }
  /* TRANSLATORS: %s is the name of a scanner profile */
  text = g_strdup_printf (_("The case records that this scan uses the profile %s"),
                          dl_session_get_profile (self->session, NULL)->name);
  _dl_window_toast (self, text);
}

/* A supervisor chooses another profile for the case's scan shown. */
static void
choose_case_profile_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);
  DlProfile *current = dl_session_get_profile (self->session, NULL);
  DlProfileDialog *dialog;

  if (dl_session_get_scan (self->session) == NULL || dl_session_get_case_id (self->session) == NULL)
    return;
  dialog = dl_profile_dialog_new (GTK_WINDOW (self),
                                  _("A supervisor’s choice for this case’s scan: it is recorded in the case file with "
                                    "your name, and its material classes and weight use the profile chosen."),
                                  current ? current->id : NULL);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_case_choice_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_dl_window_profile_class_init (DlWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.choose-profile", NULL, choose_profile_action);
  gtk_widget_class_install_action (widget_class, "win.choose-case-profile", NULL, choose_case_profile_action);
}

/* The banner and the choice follow the session's profile. */
void
_dl_window_profile_init (DlWindow *self)
{
  g_assert (DL_IS_WINDOW (self));

  g_signal_connect_object (self->session, "notify::profile", G_CALLBACK (on_profile_changed), self, 0);
  g_signal_connect_object (self->session, "notify::case-id", G_CALLBACK (on_profile_changed), self, 0);
  on_profile_changed (self->session, NULL, self);
}
