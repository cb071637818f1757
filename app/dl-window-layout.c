/* dl-window-layout.c — DlWindow in a narrow window: below FOLD_BELOW
 * pixels the queue and the side panel fold away (AdwFlap) and the scan
 * takes the width; F9 brings the queue back over the scan, Shift+F9 (or
 * Alt+1…3) the side panel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-window-layout"

#include "config.h"

#include "dl-window-private.h"

#define FOLD_BELOW 1280

static gboolean
is_folded (DlWindow *self)
{
  return adw_flap_get_fold_policy (self->side_flap) == ADW_FLAP_FOLD_POLICY_ALWAYS;
}

/* The queue's revealer (F9) says whether the queue is wanted; folded,
 * its flap lies over the scan while it is. */
static void
on_queue_revealer_notify (GtkRevealer *revealer,
                          GParamSpec  *pspec,
                          DlWindow    *self)
{
  g_assert (DL_IS_WINDOW (self));

  adw_flap_set_reveal_flap (self->queue_flap, !is_folded (self) || gtk_revealer_get_reveal_child (revealer));
}

/* Folded, a click on the scan or Escape closes the flap: the queue is then
 * no longer wanted, so the next F9 brings it back. */
static void
on_queue_flap_notify (AdwFlap    *flap,
                      GParamSpec *pspec,
                      DlWindow   *self)
{
  g_assert (DL_IS_WINDOW (self));

  if (is_folded (self) && !adw_flap_get_reveal_flap (flap))
    gtk_revealer_set_reveal_child (self->queue_revealer, FALSE);
}

static void
set_folded (DlWindow *self,
            gboolean  folded)
{
  AdwFlapFoldPolicy policy = folded ? ADW_FLAP_FOLD_POLICY_ALWAYS : ADW_FLAP_FOLD_POLICY_NEVER;

  if (adw_flap_get_fold_policy (self->side_flap) == policy)
    return;

  if (folded)
    self->queue_before_fold = gtk_revealer_get_reveal_child (self->queue_revealer);
  adw_flap_set_fold_policy (self->side_flap, policy);
  adw_flap_set_fold_policy (self->queue_flap, policy);
  adw_flap_set_reveal_flap (self->side_flap, !folded);
  gtk_revealer_set_reveal_child (self->queue_revealer, folded ? FALSE : self->queue_before_fold);
  on_queue_revealer_notify (self->queue_revealer, NULL, self);
}

static void
on_width_notify (DlWindow   *self,
                 GParamSpec *pspec,
                 gpointer    data)
{
  int width, height;

  g_assert (DL_IS_WINDOW (self));

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width > 0)
    set_folded (self, width < FOLD_BELOW);
}

static void
show_side_panel_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  DlWindow *self = DL_WINDOW (widget);

  g_assert (DL_IS_WINDOW (self));

  adw_flap_set_reveal_flap (self->side_flap, !adw_flap_get_reveal_flap (self->side_flap));
}

/* The side panel shown, as a key that opens one of its pages needs. */
void
_dl_window_layout_show_side_panel (DlWindow *self)
{
  g_assert (DL_IS_WINDOW (self));

  adw_flap_set_reveal_flap (self->side_flap, TRUE);
}

void
_dl_window_layout_class_init (DlWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.show-side-panel", NULL, show_side_panel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, GDK_SHIFT_MASK, "win.show-side-panel", NULL);
}

void
_dl_window_layout_init (DlWindow *self)
{
  g_assert (DL_IS_WINDOW (self));

  g_signal_connect_object (self->queue_revealer, "notify::reveal-child",
                           G_CALLBACK (on_queue_revealer_notify), self, 0);
  g_signal_connect_object (self->queue_flap, "notify::reveal-flap", G_CALLBACK (on_queue_flap_notify), self, 0);
  g_signal_connect (self, "notify::default-width", G_CALLBACK (on_width_notify), NULL);
  on_width_notify (self, NULL, NULL);
}
