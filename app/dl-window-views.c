/* dl-window-views.c — DlWindow's scan views: one per plane shown, the
 * title, the status line, the loading page and its preview, all following
 * the session's signals.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-window-views"

#include "config.h"

#include <glib/gi18n.h>

#include "dl-report.h"
#include "dl-scan-prepare.h"
#include "dl-settings.h"
#include "dl-window-private.h"
#include "dl-text.h"

static void
set_status (DlWindow   *self,
            const char *text)
{
  g_free (self->status);
  self->status = g_strdup (text);
  gtk_label_set_label (self->status_label, text);
}

void
_dl_window_show_state_status (DlWindow *self)
{
  g_autofree char *text = NULL;

  g_assert (DL_IS_WINDOW (self));

  text = dl_session_describe_state (self->session);
  set_status (self, text);
  for (guint i = 0; i < self->views->len; i++)
    gtk_accessible_update_property (g_ptr_array_index (self->views, i),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

static void
on_pointer_moved (DlScanView *view,
                  double      x,
                  double      y,
                  DlWindow   *self)
{
  g_autofree char *text = NULL;

  g_assert (DL_IS_SCAN_VIEW (view));
  g_assert (DL_IS_WINDOW (self));

  text = dl_session_describe_point (self->session, dl_scan_view_get_plane_index (view), x, y);
  if (text)
    set_status (self, text);
  else
    _dl_window_show_state_status (self);
}

static void
clear_views (DlWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->views_box))))
    gtk_box_remove (self->views_box, child);
  g_ptr_array_set_size (self->views, 0);
}

static void
add_view (DlWindow *self,
          DlScan   *scan,
          guint     plane_index)
{
  GtkWidget *view = dl_scan_view_new (dl_session_get_view_state (self->session));

  const DlPlane *plane = dl_scan_get_plane_at (scan, plane_index);
  g_autofree char *text = dl_scan_get_n_views (scan) > 1
                          ? g_strdup_printf (_("View %u · %s"), plane->view + 1, plane->name)
                          : g_strdup (plane->name);
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *label = gtk_label_new (text);

  /* Which channel is which is never left to guess. */
  gtk_widget_add_css_class (label, "view-label");
  gtk_widget_set_halign (label, GTK_ALIGN_START);
  gtk_widget_set_valign (label, GTK_ALIGN_START);
  gtk_widget_set_can_target (label, FALSE);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), view);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), label);

  dl_scan_view_set_plane (DL_SCAN_VIEW (view), scan, plane_index);
  dl_scan_view_set_session (DL_SCAN_VIEW (view), self->session);
  g_signal_connect_object (view, "pointer-moved", G_CALLBACK (on_pointer_moved), self, 0);
  _dl_window_marks_watch_view (self, DL_SCAN_VIEW (view));
  _dl_window_findings_watch_view (self, DL_SCAN_VIEW (view));
  gtk_box_append (self->views_box, overlay);
  g_ptr_array_add (self->views, view);
}

/* One view of the active plane, or all planes side by side; long scans
 * (wider than tall) are stacked, tall ones placed next to each other. */
static void
rebuild_views (DlWindow *self)
{
  DlScan *scan = dl_session_get_scan (self->session);
  DlPlane *active = dl_session_get_active_plane (self->session);
  gboolean had_focus = self->views->len > 0
                       && gtk_widget_has_focus (g_ptr_array_index (self->views, 0));

  clear_views (self);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_page), scan == NULL);
  if (scan == NULL)
    return;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->views_box),
                                  active->width >= active->height ? GTK_ORIENTATION_VERTICAL
                                                                  : GTK_ORIENTATION_HORIZONTAL);
  if (dl_session_get_show_all (self->session))
    for (guint i = 0; i < dl_scan_get_n_planes (scan); i++)
      add_view (self, scan, i);
  else
    add_view (self, scan, dl_session_get_active_index (self->session));

  if (had_focus || !gtk_widget_get_focus_child (GTK_WIDGET (self->panel)))
    gtk_widget_grab_focus (g_ptr_array_index (self->views, 0));
}

/* A case's title, with the scan's name and size below it: FALSE when
 * no case is open (or it is not found). */
static gboolean
show_case_title (DlWindow *self,
                 GString  *subtitle)
{
  g_autoptr(DlCaseSummary) summary = NULL;

  if (dl_session_get_case_id (self->session) == NULL)
    return FALSE;
  summary = dl_case_file_get_case (dl_session_get_case_file (self->session),
                                   dl_session_get_case_id (self->session), NULL);
  if (summary == NULL)
    return FALSE;
  g_string_prepend (subtitle, " · ");
  g_string_prepend (subtitle, dl_session_get_title (self->session));
  {
    /* the sender's text: its direction ends with it */
    g_autofree char *title = dl_text_isolate (summary->title);

    adw_window_title_set_title (self->window_title, title);
  }
  adw_window_title_set_subtitle (self->window_title, subtitle->str);
  gtk_window_set_title (GTK_WINDOW (self), summary->title);
  return TRUE;
}

static void
update_title (DlWindow *self)
{
  DlScan *scan = dl_session_get_scan (self->session);
  DlPlane *plane = dl_session_get_active_plane (self->session);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  int index = dl_session_get_file_index (self->session);

  if (scan == NULL)
    {
      adw_window_title_set_title (self->window_title, _("Doorlicht"));
      adw_window_title_set_subtitle (self->window_title, NULL);
      return;
    }

  if (index >= 0 && dl_session_get_n_files (self->session) > 1)
    g_string_append_printf (subtitle, _("%d of %u · "), index + 1, dl_session_get_n_files (self->session));
  g_string_append_printf (subtitle, _("%s · %'u × %'u px"), plane->name, plane->width, plane->height);

  if (show_case_title (self, subtitle))
    return;
  adw_window_title_set_title (self->window_title, dl_session_get_title (self->session));
  adw_window_title_set_subtitle (self->window_title, subtitle->str);
  gtk_window_set_title (GTK_WINDOW (self), dl_session_get_title (self->session));
}

/* The next one or two cases waiting in the queue after the one shown are
 * made ready in the background (dl_session_set_next_cases ()) — once the
 * case shown is on screen (dl-window-decide.c), so that their work does
 * not take the two cores from its first frame. */
void
_dl_window_prefetch_next_cases (DlWindow *self)
{
  const char *current = dl_session_get_case_id (self->session);
  const char *next[3] = { NULL, NULL, NULL };
  int here, at;
  guint n = 0;

  /* DOORLICHT_NO_PREFETCH=1: for build-aux/bench's before and the tests */
  if (self->queue == NULL || current == NULL)
    return;
  /* a site's case is read from a copy of its own (dl-window-site.c) */
  if (g_getenv ("DOORLICHT_NO_PREFETCH") || self->site)
    {
      dl_session_set_next_cases (self->session, next);
      return;
    }
  here = at = dl_case_queue_find (self->queue, current);
  for (guint k = 0; k < 2; k++)
    {
      g_autoptr(DlCaseItem) item = NULL;

      at = dl_case_queue_next_open (self->queue, at);
      if (at < 0 || at == here)
        break;
      item = g_list_model_get_item (G_LIST_MODEL (self->queue), at);
      if (n > 0 && g_strcmp0 (next[0], dl_case_item_get_id (item)) == 0)
        break;
      next[n++] = dl_case_item_get_id (item);
    }
  dl_session_set_next_cases (self->session, next);
}

static void
on_scan_changed (DlSession  *session,
                 GParamSpec *pspec,
                 DlWindow   *self)
{
  const char *path;

  g_assert (DL_IS_SESSION (session));
  g_assert (DL_IS_WINDOW (self));

  path = dl_session_get_path (session);
  rebuild_views (self);
  update_title (self);
  _dl_window_show_state_status (self);
  if (dl_session_get_scan (session) == NULL)
    _dl_window_prefetch_next_cases (self);
  if (path)
    {
      dl_settings_add_recent (path);
      _dl_window_update_recent_menu (self);
    }
}

static void
on_layout_changed (DlSession  *session,
                   GParamSpec *pspec,
                   DlWindow   *self)
{
  g_assert (DL_IS_SESSION (session));
  g_assert (DL_IS_WINDOW (self));

  rebuild_views (self);
  update_title (self);
}

static void
on_view_state_changed (DlViewState *state,
                       GParamSpec  *pspec,
                       DlWindow    *self)
{
  g_assert (DL_IS_VIEW_STATE (state));
  g_assert (DL_IS_WINDOW (self));

  _dl_window_show_state_status (self);
}

static void
on_loading_changed (DlSession  *session,
                    GParamSpec *pspec,
                    DlWindow   *self)
{
  gboolean loading;

  g_assert (DL_IS_SESSION (session));
  g_assert (DL_IS_WINDOW (self));

  loading = dl_session_get_loading (session);
  gtk_widget_set_visible (self->loading_box, loading);
  if (loading)
    gtk_widget_set_visible (GTK_WIDGET (self->empty_page), FALSE);
  else
    gtk_widget_set_visible (GTK_WIDGET (self->empty_page), dl_session_get_scan (session) == NULL);
}

/* RGB24 leaves the fourth byte undefined: make it opaque */
static void
make_opaque (cairo_surface_t *surface)
{
  int w = cairo_image_surface_get_width (surface);
  int h = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);

  for (int y = 0; y < h; y++)
    {
      guint32 *row = (guint32 *) (cairo_image_surface_get_data (surface) + (gsize) y * stride);

      for (int x = 0; x < w; x++)
        row[x] |= 0xff000000u;
    }
}

/* A huge scan while it decodes: what is decoded so far, in the automatic
 * window, over the scan shown before (not a view: no zoom, no marks). */
static GdkTexture *
preview_texture (DlScan *preview)
{
  g_autoptr(DlViewState) state = dl_view_state_new ();
  DlPlane *plane = dl_scan_get_plane (preview, 0, 0);
  cairo_surface_t *surface;
  g_autoptr(GBytes) bytes = NULL;
  int w, h, stride;

  dl_scan_prepare (preview);
  g_object_set (state, "i0", dl_plane_get_i0 (plane), NULL);
  dl_view_state_apply_preset (state, DL_PRESET_AUTO, dl_plane_get_histogram (plane));
  surface = dl_report_render_scan (preview, 0, state, NULL, 2048, 1024);
  cairo_surface_flush (surface);
  make_opaque (surface);
  w = cairo_image_surface_get_width (surface);
  h = cairo_image_surface_get_height (surface);
  stride = cairo_image_surface_get_stride (surface);
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface), (gsize) stride * h,
                                      (GDestroyNotify) cairo_surface_destroy, surface);
  return gdk_memory_texture_new (w, h, GDK_MEMORY_B8G8R8A8_PREMULTIPLIED, bytes, stride);
}

static void
on_preview_changed (DlSession  *session,
                    GParamSpec *pspec,
                    DlWindow   *self)
{
  DlScan *preview;

  g_assert (DL_IS_SESSION (session));
  g_assert (DL_IS_WINDOW (self));

  preview = dl_session_get_preview (session);
  if (preview)
    {
      g_autoptr(GdkTexture) texture = preview_texture (preview);

      gtk_picture_set_paintable (self->preview_picture, GDK_PAINTABLE (texture));
    }
  else
    gtk_picture_set_paintable (self->preview_picture, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->preview_picture), preview != NULL);
  /* the progress below the picture, not over it */
  gtk_widget_set_valign (self->loading_box, preview ? GTK_ALIGN_END : GTK_ALIGN_CENTER);
  gtk_widget_set_margin_bottom (self->loading_box, preview ? 48 : 0);
}

/* A huge dual-energy scan: its material classes come after it shows. */
static void
on_classes_pending (DlSession  *session,
                    GParamSpec *pspec,
                    DlWindow   *self)
{
  g_assert (DL_IS_SESSION (session));
  g_assert (DL_IS_WINDOW (self));

  if (dl_session_get_classes_pending (session))
    _dl_window_toast (self, _("Working out the material classes of this large scan; the overlay follows"));
  else
    for (guint i = 0; i < self->views->len; i++)
      dl_scan_view_redraw (g_ptr_array_index (self->views, i));
}

static void
on_load_failed (DlSession  *session,
                const char *path,
                GError     *error,
                DlWindow   *self)
{
  g_autofree char *name = NULL;
  g_autofree char *heading = NULL;

  g_assert (DL_IS_SESSION (session));
  g_assert (DL_IS_WINDOW (self));

  name = g_filename_display_basename (path);
  heading = g_strdup_printf (_("Could not open “%s”"), name);
  _dl_window_show_error (self, heading, error);
  set_status (self, error->message);
}

/* The verdict panel shows the case the session shows: it changes with
 * the scan, the declaration and the check, never before them. */
static void
on_case_changed (DlSession  *session,
                 GParamSpec *pspec,
                 DlWindow   *self)
{
  g_assert (DL_IS_SESSION (session));
  g_assert (DL_IS_WINDOW (self));

  if (dl_session_get_case_file (session) == NULL)
    return;
  dl_verdict_panel_set_case (self->verdict_panel, dl_session_get_case_file (session),
                             dl_session_get_case_id (session));
  _dl_window_update_case_actions (self);
}

static void
on_check_pending (DlSession  *session,
                  GParamSpec *pspec,
                  DlWindow   *self)
{
  g_assert (DL_IS_SESSION (session));
  g_assert (DL_IS_WINDOW (self));

  dl_manifest_panel_set_checking (self->manifest_panel, dl_session_get_check_pending (session));
}

/* The views, title and status follow the session and its view state. */
void
_dl_window_views_init (DlWindow *self)
{
  g_assert (DL_IS_WINDOW (self));

  g_signal_connect_object (self->session, "notify::scan", G_CALLBACK (on_scan_changed), self, 0);
  g_signal_connect_object (self->session, "notify::show-all", G_CALLBACK (on_layout_changed), self, 0);
  g_signal_connect_object (self->session, "notify::active-index", G_CALLBACK (on_layout_changed), self, 0);
  g_signal_connect_object (self->session, "notify::loading", G_CALLBACK (on_loading_changed), self, 0);
  g_signal_connect_object (self->session, "notify::preview", G_CALLBACK (on_preview_changed), self, 0);
  g_signal_connect_object (self->session, "notify::classes-pending", G_CALLBACK (on_classes_pending), self, 0);
  g_signal_connect_object (self->session, "load-failed", G_CALLBACK (on_load_failed), self, 0);
  g_signal_connect_object (self->session, "notify::case-id", G_CALLBACK (on_case_changed), self, 0);
  g_signal_connect_object (self->session, "notify::check-pending", G_CALLBACK (on_check_pending), self, 0);
  g_signal_connect_object (dl_session_get_view_state (self->session), "notify",
                           G_CALLBACK (on_view_state_changed), self, 0);
  g_object_bind_property (self->session, "progress", self->progress_bar, "fraction", G_BINDING_DEFAULT);
  g_object_bind_property (self->session, "manifest", self->manifest_panel, "manifest", G_BINDING_SYNC_CREATE);
}
