/* dl-scan-view.c — DlScanView's life (template, dispose), the view
 * state it follows and the settling that waits for it to be still, its
 * viewport, and its public API: plane, session, hint region, findings,
 * going to a region.  The frame is drawn in dl-scan-view-draw.c, the
 * pointer's work done in dl-scan-view-input.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-scan-view"

#include "config.h"

#include <string.h>

#include "dl-scan-view-private.h"

#define SETTLE_MS 120

G_DEFINE_FINAL_TYPE (DlScanView, dl_scan_view, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_STATE, N_PROPS };

static GParamSpec *properties[N_PROPS];
guint _dl_scan_view_signals[N_SIGNALS];

DlAnnotations *
_dl_scan_view_marks (DlScanView *self)
{
  return self->session ? dl_session_get_annotations (self->session) : NULL;
}

static void
invalidate (DlScanView *self)
{
  g_clear_object (&self->texture);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
on_settled (gpointer data)
{
  DlScanView *self = data;

  g_assert (DL_IS_SCAN_VIEW (self));

  self->settle_id = 0;
  self->settled = TRUE;
  invalidate (self);
  return G_SOURCE_REMOVE;
}

/* The view is changing: frames skip the (costly) enhancement until it has
 * been still for SETTLE_MS, then one frame adds it. */
static void
unsettle (DlScanView *self)
{
  self->settled = FALSE;
  g_clear_handle_id (&self->settle_id, g_source_remove);
  self->settle_id = g_timeout_add (SETTLE_MS, on_settled, self);
}

static void
on_state_notify (DlViewState *state,
                 GParamSpec  *pspec,
                 DlScanView  *self)
{
  const char *name = g_param_spec_get_name (pspec);

  g_assert (DL_IS_VIEW_STATE (state));
  g_assert (DL_IS_SCAN_VIEW (self));

  if (g_str_equal (name, "center") || g_str_equal (name, "width")
      || g_str_equal (name, "gamma") || g_str_equal (name, "invert")
      || g_str_equal (name, "density") || g_str_equal (name, "i0"))
    self->lut_valid = FALSE;

  unsettle (self);
  invalidate (self);
}

double
_dl_scan_view_fit_zoom (DlScanView *self)
{
  int w = gtk_widget_get_width (GTK_WIDGET (self));
  int h = gtk_widget_get_height (GTK_WIDGET (self));

  if (self->plane == NULL || w <= 0 || h <= 0)
    return 1.0;

  return CLAMP (MIN ((double) w / self->plane->width, (double) h / self->plane->height),
                DL_ZOOM_MIN, DL_ZOOM_MAX);
}

/* Screen pixels per image pixel, as drawn now. */
double
dl_scan_view_get_effective_zoom (DlScanView *self)
{
  g_return_val_if_fail (DL_IS_SCAN_VIEW (self), 1.0);

  if (dl_view_state_get_fit (self->state))
    return _dl_scan_view_fit_zoom (self);
  return dl_view_state_get_zoom (self->state);
}

/* The viewport in logical (widget) pixels. */
void
_dl_scan_view_get_viewport (DlScanView *self,
                            DlViewport *vp)
{
  double fx, fy;

  vp->zoom = dl_scan_view_get_effective_zoom (self);
  if (dl_view_state_get_fit (self->state) && self->plane)
    {
      fx = self->plane->width / 2.0;
      fy = self->plane->height / 2.0;
    }
  else
    dl_view_state_get_focus (self->state, &fx, &fy);

  vp->origin_x = fx - gtk_widget_get_width (GTK_WIDGET (self)) / 2.0 / vp->zoom;
  vp->origin_y = fy - gtk_widget_get_height (GTK_WIDGET (self)) / 2.0 / vp->zoom;
}

static void
dl_scan_view_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  DlScanView *self = DL_SCAN_VIEW (widget);

  g_clear_object (&self->texture);
  unsettle (self);
  if (self->plane && dl_view_state_get_fit (self->state))
    dl_view_state_set_zoom (self->state, _dl_scan_view_fit_zoom (self));
}

static void
dl_scan_view_set_state (DlScanView  *self,
                        DlViewState *state)
{
  g_assert (self->state == NULL);
  self->state = g_object_ref (state);
  g_signal_connect_object (state, "notify", G_CALLBACK (on_state_notify), self, 0);
}

static void
dl_scan_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  DlScanView *self = DL_SCAN_VIEW (object);

  switch (prop_id)
    {
    case PROP_STATE: g_value_set_object (value, self->state); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dl_scan_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  DlScanView *self = DL_SCAN_VIEW (object);

  switch (prop_id)
    {
    case PROP_STATE: dl_scan_view_set_state (self, g_value_get_object (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dl_scan_view_dispose (GObject *object)
{
  DlScanView *self = DL_SCAN_VIEW (object);

  g_clear_handle_id (&self->settle_id, g_source_remove);
  g_clear_object (&self->texture);
  g_clear_object (&self->scan);
  g_clear_object (&self->state);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), DL_TYPE_SCAN_VIEW);

  G_OBJECT_CLASS (dl_scan_view_parent_class)->dispose (object);
}

static void
dl_scan_view_finalize (GObject *object)
{
  g_free (DL_SCAN_VIEW (object)->lut);
  g_array_unref (DL_SCAN_VIEW (object)->polygon);
  G_OBJECT_CLASS (dl_scan_view_parent_class)->finalize (object);
}

static void
dl_scan_view_class_init (DlScanViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dl_scan_view_dispose;
  object_class->finalize = dl_scan_view_finalize;
  object_class->get_property = dl_scan_view_get_property;
  object_class->set_property = dl_scan_view_set_property;
  widget_class->snapshot = _dl_scan_view_snapshot;
  widget_class->size_allocate = dl_scan_view_size_allocate;

  properties[PROP_STATE] =
    g_param_spec_object ("state", NULL, NULL, DL_TYPE_VIEW_STATE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Image coordinates under the pointer; (−1, −1) when it leaves. */
  _dl_scan_view_signals[POINTER_MOVED] =
    g_signal_new ("pointer-moved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
  /* The text tool was clicked at these image coordinates. */
  _dl_scan_view_signals[TEXT_REQUESTED] =
    g_signal_new ("text-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_DOUBLE);

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/doorlicht/Doorlicht/ui/dl-scan-view.ui");
  _dl_scan_view_input_class_init (klass);
  gtk_widget_class_set_css_name (widget_class, "scanview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
dl_scan_view_init (DlScanView *self)
{
  self->lut = g_malloc (DL_LUT_SIZE);
  self->polygon = g_array_new (FALSE, FALSE, sizeof (DlPoint));
  self->show_findings = TRUE;
  self->current_finding = G_MAXUINT;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "crosshair");
}

GtkWidget *
dl_scan_view_new (DlViewState *state)
{
  g_return_val_if_fail (DL_IS_VIEW_STATE (state), NULL);

  return g_object_new (DL_TYPE_SCAN_VIEW, "state", state, NULL);
}

/* Shows plane @plane_index of @scan (prepared), or nothing for a %NULL scan. */
void
dl_scan_view_set_plane (DlScanView *self,
                        DlScan     *scan,
                        guint       plane_index)
{
  g_return_if_fail (DL_IS_SCAN_VIEW (self));

  g_set_object (&self->scan, scan);
  self->plane_index = plane_index;
  self->plane = scan ? dl_scan_get_plane_at (scan, plane_index) : NULL;
  unsettle (self);
  if (self->plane)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, self->plane->name, -1);
  invalidate (self);
}

/* Draws again from the scan (its material classes arrived, say). */
void
dl_scan_view_redraw (DlScanView *self)
{
  g_return_if_fail (DL_IS_SCAN_VIEW (self));
  invalidate (self);
}

guint
dl_scan_view_get_plane_index (DlScanView *self)
{
  g_return_val_if_fail (DL_IS_SCAN_VIEW (self), 0);
  return self->plane_index;
}

static void
on_marks_changed (DlScanView *self)
{
  g_assert (DL_IS_SCAN_VIEW (self));

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The session whose tool, marks and selection this view works with. */
void
dl_scan_view_set_session (DlScanView *self,
                          DlSession  *session)
{
  g_return_if_fail (DL_IS_SCAN_VIEW (self));

  g_set_object (&self->session, session);
  if (session)
    {
      g_signal_connect_object (dl_session_get_annotations (session), "changed",
                               G_CALLBACK (on_marks_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::selected", G_CALLBACK (on_marks_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (dl_session_get_findings (session), "changed",
                               G_CALLBACK (on_marks_changed), self, G_CONNECT_SWAPPED);
    }
}

DlViewState *
dl_scan_view_get_state (DlScanView *self)
{
  g_return_val_if_fail (DL_IS_SCAN_VIEW (self), NULL);
  return self->state;
}

/* Outlines @box (x0, y0, x1, y1 in pixels of the scan's @view, end
 * exclusive) as the region of a hint; NULL removes the outline. */
void
dl_scan_view_set_hint_region (DlScanView *self,
                              guint       view,
                              const int  *box)
{
  g_return_if_fail (DL_IS_SCAN_VIEW (self));

  self->has_hint = box != NULL;
  self->hint_view = view;
  if (box)
    memcpy (self->hint_box, box, sizeof self->hint_box);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
dl_scan_view_get_hint_region (DlScanView *self,
                              int         box[4])
{
  g_return_val_if_fail (DL_IS_SCAN_VIEW (self), FALSE);

  if (self->has_hint && box)
    memcpy (box, self->hint_box, sizeof self->hint_box);
  return self->has_hint;
}

/* What the view shows, in pixels of its plane: x0, y0, x1, y1. */
void
dl_scan_view_get_visible_rect (DlScanView *self,
                               double      rect[4])
{
  DlViewport vp;

  g_return_if_fail (DL_IS_SCAN_VIEW (self));

  _dl_scan_view_get_viewport (self, &vp);
  rect[0] = vp.origin_x;
  rect[1] = vp.origin_y;
  rect[2] = vp.origin_x + gtk_widget_get_width (GTK_WIDGET (self)) / vp.zoom;
  rect[3] = vp.origin_y + gtk_widget_get_height (GTK_WIDGET (self)) / vp.zoom;
}

/* Zooms and pans so @box (pixels of the plane) is in the middle of the
 * view with room around it: about two thirds of the view, never closer
 * than 2:1 (or the fit, when that is closer). */
void
dl_scan_view_go_to_region (DlScanView *self,
                           const int  *box)
{
  int w, h;
  double rw, rh, zoom;

  g_return_if_fail (DL_IS_SCAN_VIEW (self));
  g_return_if_fail (box != NULL);

  w = gtk_widget_get_width (GTK_WIDGET (self));
  h = gtk_widget_get_height (GTK_WIDGET (self));
  if (self->plane == NULL || w <= 0 || h <= 0)
    return;

  rw = MAX (box[2] - box[0], 1);
  rh = MAX (box[3] - box[1], 1);
  zoom = MIN (w / (rw * 1.5), h / (rh * 1.5));
  zoom = CLAMP (zoom, DL_ZOOM_MIN, MAX (2.0, _dl_scan_view_fit_zoom (self)));
  g_object_freeze_notify (G_OBJECT (self->state));
  dl_view_state_set_fit (self->state, FALSE);
  dl_view_state_set_zoom (self->state, zoom);
  dl_view_state_set_focus (self->state, (box[0] + box[2]) / 2.0, (box[1] + box[3]) / 2.0);
  g_object_thaw_notify (G_OBJECT (self->state));
}

/* Whether the session's findings are drawn, and which of them is the
 * current one (drawn stronger; G_MAXUINT: none). */
void
dl_scan_view_set_findings_shown (DlScanView *self,
                                 gboolean    shown,
                                 guint       current)
{
  g_return_if_fail (DL_IS_SCAN_VIEW (self));

  self->show_findings = shown;
  self->current_finding = current;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
dl_scan_view_get_findings_shown (DlScanView *self)
{
  g_return_val_if_fail (DL_IS_SCAN_VIEW (self), FALSE);
  return self->show_findings;
}
