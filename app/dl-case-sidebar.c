/* dl-case-sidebar.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-case-sidebar"

#include "config.h"

#include <glib/gi18n.h>

#include "dl-case-sidebar.h"
#include "dl-thumbnail-loader.h"
#include "dl-text.h"

struct _DlCaseSidebar
{
  GtkBox              parent_instance;

  DlCaseQueue        *queue;
  GtkSingleSelection *selection;
  char               *selected_id;   /* kept across reloads of the queue */
  gboolean            reloading;

  GtkSearchEntry     *search_entry;
  GtkDropDown        *filter_dropdown;
  GtkDropDown        *sort_dropdown;
  GtkListView        *list_view;
  GtkLabel           *count_label;

  DlThumbnailLoader  *thumbnails;
  guint               scroll_bench;  /* DOORLICHT_SCROLL_BENCH: its tick callback */
};

G_DEFINE_FINAL_TYPE (DlCaseSidebar, dl_case_sidebar, GTK_TYPE_BOX)

enum {
  CASE_SELECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const DlCaseFilter filters[] = {
  DL_CASE_FILTER_ALL, DL_CASE_FILTER_NEW, DL_CASE_FILTER_MINE,
  DL_CASE_FILTER_AWAITING_REVIEW, DL_CASE_FILTER_RETURNED, DL_CASE_FILTER_APPROVED,
};

static const DlCaseSort sorts[] = {
  DL_CASE_SORT_UPDATED, DL_CASE_SORT_CREATED, DL_CASE_SORT_TITLE,
};

static const char *
state_icon (DlCaseState state)
{
  switch (state)
    {
    case DL_CASE_STATE_NEW: return "mail-unread-symbolic";
    case DL_CASE_STATE_AWAITING_REVIEW: return "document-edit-symbolic";
    case DL_CASE_STATE_APPROVED: return "emblem-ok-symbolic";
    case DL_CASE_STATE_RETURNED: return "edit-undo-symbolic";
    default: return "image-missing-symbolic";
    }
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *thumb = gtk_picture_new ();
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *detail = gtk_label_new (NULL);

  g_assert (GTK_IS_SIGNAL_LIST_ITEM_FACTORY (factory));
  g_assert (GTK_IS_LIST_ITEM (item));

  gtk_widget_set_size_request (thumb, DL_THUMBNAIL_FRAME_WIDTH, DL_THUMBNAIL_FRAME_HEIGHT);
  gtk_picture_set_can_shrink (GTK_PICTURE (thumb), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (thumb), GTK_CONTENT_FIT_CONTAIN);
  gtk_widget_set_valign (thumb, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (thumb, "case-thumbnail");
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_add_css_class (title, "case-title");
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_add_css_class (detail, "caption");
  gtk_box_append (GTK_BOX (text), title);
  gtk_box_append (GTK_BOX (text), detail);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), thumb);
  gtk_box_append (GTK_BOX (box), text);
  gtk_list_item_set_child (item, box);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          DlCaseSidebar            *self)
{
  DlCaseItem *c = gtk_list_item_get_item (item);
  const DlCaseSummary *s = dl_case_item_get_summary (c);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *icon = gtk_widget_get_first_child (box);
  GtkWidget *thumb = gtk_widget_get_next_sibling (icon);
  GtkWidget *title = gtk_widget_get_first_child (gtk_widget_get_last_child (box));
  GtkWidget *detail = gtk_widget_get_next_sibling (title);
  g_autofree char *describe = dl_case_item_describe (c);
  g_autofree char *label = g_strdup_printf ("%s, %s", s->title, describe);
  /* the sender's text: its direction ends with it */
  g_autofree char *shown = dl_text_isolate (s->title);

  g_assert (GTK_IS_LIST_ITEM (item));
  g_assert (DL_IS_CASE_SIDEBAR (self));

  gtk_image_set_from_icon_name (GTK_IMAGE (icon), state_icon (s->state));
  gtk_label_set_label (GTK_LABEL (title), shown);
  gtk_label_set_label (GTK_LABEL (detail), describe);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  if (self->thumbnails)
    dl_thumbnail_loader_show (self->thumbnails, GTK_PICTURE (thumb), s->first_scan_id);
}

/* A recycled row must not take the thumbnail still on its way. */
static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            DlCaseSidebar            *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);

  g_assert (GTK_IS_LIST_ITEM (item));
  g_assert (DL_IS_CASE_SIDEBAR (self));

  dl_thumbnail_loader_forget (GTK_PICTURE (gtk_widget_get_next_sibling (gtk_widget_get_first_child (box))));
}

static void
update_count (DlCaseSidebar *self)
{
  guint n = self->queue ? g_list_model_get_n_items (G_LIST_MODEL (self->queue)) : 0;
  g_autofree char *text = g_strdup_printf (ngettext ("%'u case", "%'u cases", n), n);

  gtk_label_set_label (self->count_label, text);
}

static void
on_selection_changed (GtkSingleSelection *selection,
                      GParamSpec         *pspec,
                      DlCaseSidebar      *self)
{
  DlCaseItem *item = gtk_single_selection_get_selected_item (selection);
  const char *id = item ? dl_case_item_get_id (item) : NULL;

  g_assert (GTK_IS_SINGLE_SELECTION (selection));
  g_assert (DL_IS_CASE_SIDEBAR (self));

  if (self->reloading || id == NULL || g_strcmp0 (id, self->selected_id) == 0)
    return;
  g_free (self->selected_id);
  self->selected_id = g_strdup (id);
  g_signal_emit (self, signals[CASE_SELECTED], 0, id);
}

/* A reload replaces every item: keep the selected case selected. */
static void
on_items_changed (GListModel    *model,
                  guint          position,
                  guint          removed,
                  guint          added,
                  DlCaseSidebar *self)
{
  int index = self->selected_id ? dl_case_queue_find (self->queue, self->selected_id) : -1;

  g_assert (G_IS_LIST_MODEL (model));
  g_assert (DL_IS_CASE_SIDEBAR (self));

  self->reloading = TRUE;
  gtk_single_selection_set_selected (self->selection, index >= 0 ? (guint) index : GTK_INVALID_LIST_POSITION);
  self->reloading = FALSE;
  update_count (self);
}

static void
on_search_changed (GtkSearchEntry *entry,
                   DlCaseSidebar  *self)
{
  g_assert (GTK_IS_SEARCH_ENTRY (entry));
  g_assert (DL_IS_CASE_SIDEBAR (self));

  if (self->queue)
    dl_case_queue_set_search (self->queue, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
on_filter_changed (GtkDropDown   *dropdown,
                   GParamSpec    *pspec,
                   DlCaseSidebar *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  g_assert (GTK_IS_DROP_DOWN (dropdown));
  g_assert (DL_IS_CASE_SIDEBAR (self));

  if (self->queue && i < G_N_ELEMENTS (filters))
    dl_case_queue_set_filter (self->queue, filters[i]);
}

static void
on_sort_changed (GtkDropDown   *dropdown,
                 GParamSpec    *pspec,
                 DlCaseSidebar *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  g_assert (GTK_IS_DROP_DOWN (dropdown));
  g_assert (DL_IS_CASE_SIDEBAR (self));

  if (self->queue && i < G_N_ELEMENTS (sorts))
    dl_case_queue_set_sort (self->queue, sorts[i]);
}

static void
dl_case_sidebar_dispose (GObject *object)
{
  DlCaseSidebar *self = DL_CASE_SIDEBAR (object);

  if (self->queue)
    g_signal_handlers_disconnect_by_data (self->queue, self);
  g_clear_object (&self->queue);
  g_clear_pointer (&self->thumbnails, dl_thumbnail_loader_close);
  g_clear_pointer (&self->selected_id, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), DL_TYPE_CASE_SIDEBAR);
  G_OBJECT_CLASS (dl_case_sidebar_parent_class)->dispose (object);
}

static void
dl_case_sidebar_class_init (DlCaseSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dl_case_sidebar_dispose;

  /**
   * DlCaseSidebar::case-selected:
   * @case_id: the case the analyst moved to
   */
  signals[CASE_SELECTED] = g_signal_new ("case-selected", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/doorlicht/Doorlicht/ui/dl-case-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, DlCaseSidebar, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DlCaseSidebar, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DlCaseSidebar, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DlCaseSidebar, list_view);
  gtk_widget_class_bind_template_child (widget_class, DlCaseSidebar, count_label);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_sort_changed);
}

static void
dl_case_sidebar_init (DlCaseSidebar *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);
  gtk_list_view_set_factory (self->list_view, factory);

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect (self->selection, "notify::selected", G_CALLBACK (on_selection_changed), self);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_object_unref (self->selection);   /* the list view holds it */
  update_count (self);
}

/* Thumbnails are loaded once the queue's first frame is on screen. */
static void
on_first_frame (GdkFrameClock *clock,
                DlCaseSidebar *self)
{
  g_assert (GDK_IS_FRAME_CLOCK (clock));
  g_assert (DL_IS_CASE_SIDEBAR (self));

  g_signal_handlers_disconnect_by_func (clock, on_first_frame, self);
  if (self->thumbnails)
    dl_thumbnail_loader_start (self->thumbnails);
}

static void
start_thumbnails_after_frame (DlCaseSidebar *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (clock == NULL)
    {
      dl_thumbnail_loader_start (self->thumbnails);
      return;
    }
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_first_frame), self, 0);
}

/* -- DOORLICHT_SCROLL_BENCH=PIXELS: a scripted scroll for build-aux/bench ---------- */

#define BENCH_WARM_UP 30    /* frames before measuring: the window's first ones */
#define BENCH_FRAMES  600   /* ten seconds at 60 frames a second */

typedef struct
{
  GArray *intervals;  /* ms between frames */
  gint64  last;
  guint   frames;
  double  step;       /* pixels a frame */
} ScrollBench;

static void
scroll_bench_free (gpointer data)
{
  ScrollBench *b = data;

  g_array_unref (b->intervals);
  g_free (b);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static guint
count_textures (GtkWidget *widget)
{
  guint n = GTK_IS_PICTURE (widget) && dl_thumbnail_loader_get_texture (GTK_PICTURE (widget)) != NULL;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    n += count_textures (c);
  return n;
}

static void
scroll_bench_report (ScrollBench *b,
                     GtkWidget   *list_view,
                     double       value)
{
  GArray *v = b->intervals;
  double p50, p95, max;

  if (v->len == 0)
    return;
  g_array_sort (v, compare_double);
  p50 = g_array_index (v, double, v->len / 2);
  p95 = g_array_index (v, double, MIN (v->len - 1, (guint) (v->len * 0.95)));
  max = g_array_index (v, double, v->len - 1);
  g_printerr ("doorlicht: queue scroll: %u frames over %.0f px (%.0f rows), frame interval p50 %.1f p95 %.1f "
              "max %.1f ms; %u list rows built showing a thumbnail\n", v->len, value, value / 44, p50, p95, max,
              count_textures (list_view));
}

static gboolean
scroll_tick (GtkWidget     *list_view,
             GdkFrameClock *clock,
             gpointer       data)
{
  ScrollBench *b = data;
  GtkAdjustment *adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list_view));
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  double value = gtk_adjustment_get_value (adj);
  double end = gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj);

  g_assert (GTK_IS_SCROLLABLE (list_view));
  g_assert (GDK_IS_FRAME_CLOCK (clock));

  if (++b->frames <= BENCH_WARM_UP || end <= 0)
    return G_SOURCE_CONTINUE;
  if (b->last)
    {
      double ms = (now - b->last) / 1000.0;

      g_array_append_val (b->intervals, ms);
    }
  b->last = now;
  if (value >= end || b->intervals->len >= BENCH_FRAMES)
    {
      scroll_bench_report (b, list_view, value);
      return G_SOURCE_REMOVE;
    }
  gtk_adjustment_set_value (adj, MIN (value + b->step, end));
  return G_SOURCE_CONTINUE;
}

static void
start_scroll_bench (DlCaseSidebar *self)
{
  ScrollBench *b = g_new0 (ScrollBench, 1);

  b->intervals = g_array_new (FALSE, FALSE, sizeof (double));
  b->step = g_ascii_strtod (g_getenv ("DOORLICHT_SCROLL_BENCH"), NULL);
  if (b->step <= 0)
    b->step = 66;
  if (self->scroll_bench)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->list_view), self->scroll_bench);
  self->scroll_bench = gtk_widget_add_tick_callback (GTK_WIDGET (self->list_view), scroll_tick, b,
                                                     scroll_bench_free);
}

void
dl_case_sidebar_set_queue (DlCaseSidebar *self,
                           DlCaseQueue   *queue)
{
  g_return_if_fail (DL_IS_CASE_SIDEBAR (self));

  if (self->queue)
    g_signal_handlers_disconnect_by_data (self->queue, self);
  g_set_object (&self->queue, queue);
  g_clear_pointer (&self->selected_id, g_free);
  g_clear_pointer (&self->thumbnails, dl_thumbnail_loader_close);
  if (queue)
    {
      /* a site's cases show no thumbnails: their images stay at the site */
      if (dl_case_queue_get_case_file (queue))
        {
          self->thumbnails = dl_thumbnail_loader_new (dl_case_queue_get_case_file (queue));
          start_thumbnails_after_frame (self);
        }
      dl_case_queue_set_search (queue, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
      dl_case_queue_set_filter (queue, filters[MIN (gtk_drop_down_get_selected (self->filter_dropdown),
                                                    G_N_ELEMENTS (filters) - 1)]);
      g_signal_connect (queue, "items-changed", G_CALLBACK (on_items_changed), self);
    }
  self->reloading = TRUE;
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (queue));
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  self->reloading = FALSE;
  update_count (self);
  if (queue && g_getenv ("DOORLICHT_SCROLL_BENCH"))
    start_scroll_bench (self);
}

DlCaseQueue *
dl_case_sidebar_get_queue (DlCaseSidebar *self)
{
  g_return_val_if_fail (DL_IS_CASE_SIDEBAR (self), NULL);
  return self->queue;
}

gboolean
dl_case_sidebar_select (DlCaseSidebar *self,
                        const char    *case_id)
{
  int index;

  g_return_val_if_fail (DL_IS_CASE_SIDEBAR (self), FALSE);

  index = self->queue ? dl_case_queue_find (self->queue, case_id) : -1;
  if (index < 0)
    return FALSE;
  gtk_single_selection_set_selected (self->selection, index);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", (guint) index);
  return TRUE;
}

gboolean
dl_case_sidebar_step (DlCaseSidebar *self,
                      int            delta)
{
  guint n, current;
  int next;

  g_return_val_if_fail (DL_IS_CASE_SIDEBAR (self), FALSE);

  n = self->queue ? g_list_model_get_n_items (G_LIST_MODEL (self->queue)) : 0;
  current = gtk_single_selection_get_selected (self->selection);
  next = current == GTK_INVALID_LIST_POSITION ? (delta > 0 ? 0 : (int) n - 1) : (int) current + delta;
  if (n == 0 || next < 0 || next >= (int) n)
    return FALSE;
  gtk_single_selection_set_selected (self->selection, next);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", (guint) next);
  return TRUE;
}

const char *
dl_case_sidebar_get_selected (DlCaseSidebar *self)
{
  g_return_val_if_fail (DL_IS_CASE_SIDEBAR (self), NULL);
  return self->selected_id;
}

void
dl_case_sidebar_focus_search (DlCaseSidebar *self)
{
  g_return_if_fail (DL_IS_CASE_SIDEBAR (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}
