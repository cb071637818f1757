/* dl-case-queue.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-case-queue"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "dl-case-queue.h"
#include "dl-site-export.h"

struct _DlCaseItem
{
  GObject        parent_instance;
  DlCaseSummary *summary;
};

G_DEFINE_FINAL_TYPE (DlCaseItem, dl_case_item, G_TYPE_OBJECT)

static void
dl_case_item_finalize (GObject *object)
{
  DlCaseItem *self = DL_CASE_ITEM (object);

  g_clear_pointer (&self->summary, dl_case_summary_free);
  G_OBJECT_CLASS (dl_case_item_parent_class)->finalize (object);
}

static void
dl_case_item_class_init (DlCaseItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dl_case_item_finalize;
}

static void
dl_case_item_init (DlCaseItem *self)
{
}

static DlCaseItem *
dl_case_item_new (DlCaseSummary *summary)   /* (transfer full) */
{
  DlCaseItem *self = g_object_new (DL_TYPE_CASE_ITEM, NULL);

  self->summary = summary;
  return self;
}

const DlCaseSummary *
dl_case_item_get_summary (DlCaseItem *self)
{
  g_return_val_if_fail (DL_IS_CASE_ITEM (self), NULL);
  return self->summary;
}

const char *
dl_case_item_get_id (DlCaseItem *self)
{
  g_return_val_if_fail (DL_IS_CASE_ITEM (self), NULL);
  return self->summary->id;
}

const char *
dl_case_item_get_title (DlCaseItem *self)
{
  g_return_val_if_fail (DL_IS_CASE_ITEM (self), NULL);
  return self->summary->title;
}

char *
dl_case_item_describe (DlCaseItem *self)
{
  const DlCaseSummary *s;

  g_return_val_if_fail (DL_IS_CASE_ITEM (self), NULL);

  s = self->summary;
  if (s->verdict == DL_DECISION_NONE)
    return g_strdup (dl_case_state_get_label (s->state));
  /* TRANSLATORS: verdict · who gave it · where the case stands, e.g.
   * "Seize · Anna Jansen · Awaiting review" */
  return g_strdup_printf (_("%s · %s · %s"), dl_decision_get_label (s->verdict),
                          s->verdict_author.name ? s->verdict_author.name : "?",
                          dl_case_state_get_label (s->state));
}

struct _DlCaseQueue
{
  GObject       parent_instance;

  DlCaseFile   *case_file;  /* the cases of a file, or */
  DlSite       *site;       /* those of a site store, told of changes by NOTIFY */
  guint         site_reload;
  guint         site_reload_ms;  /* how long the last reload took */
  DlSiteCaseRows *rows;        /* a site's rows whose summaries are read when asked for */
  GPtrArray    *summaries;  /* DlCaseSummary, in list order */
  GPtrArray    *items;      /* DlCaseItem or NULL: made when first asked for */
  DlCaseFilter  filter;
  DlCaseSort    sort;
  char         *search;
  gboolean      keep_order;   /* reloading after a change: the places stay */
};

static void dl_case_queue_list_model_init (GListModelInterface *iface);

/* Both arrays hold NULL where a summary moved into its item. */
static void
unref_item (gpointer item)
{
  if (item)
    g_object_unref (item);
}

static void
free_summary (gpointer summary)
{
  if (summary)
    dl_case_summary_free (summary);
}

G_DEFINE_FINAL_TYPE_WITH_CODE (DlCaseQueue, dl_case_queue, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, dl_case_queue_list_model_init))

enum {
  PROP_0,
  PROP_FILTER,
  PROP_SEARCH,
  PROP_SORT,
  PROP_N_ITEMS,
  N_PROPS
};

enum {
  FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static GType
dl_case_queue_get_item_type (GListModel *model)
{
  return DL_TYPE_CASE_ITEM;
}

static guint
dl_case_queue_get_n_items (GListModel *model)
{
  return DL_CASE_QUEUE (model)->items->len;
}

/* A site's summary read from its row when first asked for. */
static DlCaseSummary *
summary_read (DlCaseQueue *self,
              guint        position)
{
  if (g_ptr_array_index (self->summaries, position) == NULL)
    g_ptr_array_index (self->summaries, position) = dl_site_case_rows_read (self->rows, position);
  return g_ptr_array_index (self->summaries, position);
}

/* A list view asks for the rows it shows: 10 000 cases make no 10 000
 * objects. */
static DlCaseItem *
item_at (DlCaseQueue *self,
         guint        position)
{
  DlCaseItem *item = g_ptr_array_index (self->items, position);

  if (item == NULL)
    {
      item = dl_case_item_new (summary_read (self, position));
      g_ptr_array_index (self->summaries, position) = NULL;
      g_ptr_array_index (self->items, position) = item;
    }
  return item;
}

static gpointer
dl_case_queue_get_item (GListModel *model,
                        guint       position)
{
  DlCaseQueue *self = DL_CASE_QUEUE (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (item_at (self, position));
}

static const DlCaseSummary *
summary_at (DlCaseQueue *self,
            guint        position)
{
  DlCaseItem *item = g_ptr_array_index (self->items, position);

  return item ? dl_case_item_get_summary (item) : summary_read (self, position);
}

static void
dl_case_queue_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = dl_case_queue_get_item_type;
  iface->get_n_items = dl_case_queue_get_n_items;
  iface->get_item = dl_case_queue_get_item;
}

static void
reload_quietly (DlCaseQueue *self)
{
  g_autoptr(GError) error = NULL;

  if (!dl_case_queue_reload (self, &error))
    g_signal_emit (self, signals[FAILED], 0, error);
}

/* @cases (the query's order) put in the order the list has now: the cases
 * listed keep their places, new ones come after them in the query's
 * order, those the filter no longer takes leave. */
static GPtrArray *
keep_order (DlCaseQueue *self,
            GPtrArray   *cases)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *ordered = g_ptr_array_new_full (cases->len, free_summary);

  for (guint i = 0; i < cases->len; i++)
    g_hash_table_insert (by_id, ((DlCaseSummary *) g_ptr_array_index (cases, i))->id, GUINT_TO_POINTER (i + 1));
  for (guint i = 0; i < self->items->len; i++)
    {
      guint at = GPOINTER_TO_UINT (g_hash_table_lookup (by_id, summary_at (self, i)->id));

      if (at == 0)
        continue;
      g_ptr_array_add (ordered, g_steal_pointer (&g_ptr_array_index (cases, at - 1)));
    }
  for (guint i = 0; i < cases->len; i++)
    if (g_ptr_array_index (cases, i) != NULL)
      g_ptr_array_add (ordered, g_steal_pointer (&g_ptr_array_index (cases, i)));
  return ordered;
}

static gboolean
same_row (const DlCaseSummary *a,
          const DlCaseSummary *b)
{
  return g_strcmp0 (a->id, b->id) == 0 && a->updated == b->updated && a->state == b->state
         && g_strcmp0 (a->verdict_id, b->verdict_id) == 0 && g_strcmp0 (a->title, b->title) == 0
         && a->n_scans == b->n_scans && g_strcmp0 (a->first_scan_id, b->first_scan_id) == 0;
}

/* The same cases in the same places: only the rows that changed are
 * replaced, so the list (and its selection) stays as it is. */
static gboolean
update_rows (DlCaseQueue *self,
             GPtrArray   *cases)
{
  if (cases->len != self->items->len)
    return FALSE;
  for (guint i = 0; i < cases->len; i++)
    if (g_strcmp0 (((DlCaseSummary *) g_ptr_array_index (cases, i))->id, summary_at (self, i)->id) != 0)
      return FALSE;
  for (guint i = 0; i < cases->len; i++)
    {
      if (same_row (g_ptr_array_index (cases, i), summary_at (self, i)))
        continue;
      g_clear_pointer (&g_ptr_array_index (self->items, i), g_object_unref);
      free_summary (g_ptr_array_index (self->summaries, i));
      g_ptr_array_index (self->summaries, i) = g_steal_pointer (&g_ptr_array_index (cases, i));
      g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 1);
    }
  return TRUE;
}

/* While the analyst works the list keeps its order (a case decided does
 * not jump to the top): only choosing a sort, filter or search orders it
 * again. */
static void
on_file_changed (DlCaseFile  *file,
                 const char  *case_id,
                 DlCaseQueue *self)
{
  g_autoptr(GError) error = NULL;

  self->keep_order = TRUE;
  if (!dl_case_queue_reload (self, &error))
    g_signal_emit (self, signals[FAILED], 0, error);
  self->keep_order = FALSE;
}

static void
dl_case_queue_dispose (GObject *object)
{
  DlCaseQueue *self = DL_CASE_QUEUE (object);

  if (self->case_file)
    g_signal_handlers_disconnect_by_data (self->case_file, self);
  g_clear_object (&self->case_file);
  if (self->site)
    dl_site_unwatch (self->site);
  g_clear_object (&self->site);
  g_clear_handle_id (&self->site_reload, g_source_remove);
  G_OBJECT_CLASS (dl_case_queue_parent_class)->dispose (object);
}

static void
dl_case_queue_finalize (GObject *object)
{
  DlCaseQueue *self = DL_CASE_QUEUE (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->summaries, g_ptr_array_unref);
  g_clear_pointer (&self->rows, dl_site_case_rows_free);
  g_free (self->search);
  G_OBJECT_CLASS (dl_case_queue_parent_class)->finalize (object);
}

static void
dl_case_queue_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DlCaseQueue *self = DL_CASE_QUEUE (object);

  switch (prop_id)
    {
    case PROP_FILTER: g_value_set_int (value, self->filter); break;
    case PROP_SEARCH: g_value_set_string (value, self->search); break;
    case PROP_SORT: g_value_set_int (value, self->sort); break;
    case PROP_N_ITEMS: g_value_set_uint (value, self->items->len); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dl_case_queue_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  DlCaseQueue *self = DL_CASE_QUEUE (object);

  switch (prop_id)
    {
    case PROP_FILTER: dl_case_queue_set_filter (self, g_value_get_int (value)); break;
    case PROP_SEARCH: dl_case_queue_set_search (self, g_value_get_string (value)); break;
    case PROP_SORT: dl_case_queue_set_sort (self, g_value_get_int (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dl_case_queue_class_init (DlCaseQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = dl_case_queue_dispose;
  object_class->finalize = dl_case_queue_finalize;
  object_class->get_property = dl_case_queue_get_property;
  object_class->set_property = dl_case_queue_set_property;

  properties[PROP_FILTER] = g_param_spec_int ("filter", NULL, NULL, DL_CASE_FILTER_ALL,
                                              DL_CASE_FILTER_APPROVED, DL_CASE_FILTER_ALL, rw);
  properties[PROP_SEARCH] = g_param_spec_string ("search", NULL, NULL, NULL, rw);
  properties[PROP_SORT] = g_param_spec_int ("sort", NULL, NULL, DL_CASE_SORT_UPDATED,
                                            DL_CASE_SORT_TITLE, DL_CASE_SORT_UPDATED, rw);
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The file could not be listed (it went away, say); the list stays. */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
dl_case_queue_init (DlCaseQueue *self)
{
  self->items = g_ptr_array_new_with_free_func (unref_item);
  self->summaries = g_ptr_array_new_with_free_func (free_summary);
  self->filter = DL_CASE_FILTER_ALL;
  self->sort = DL_CASE_SORT_UPDATED;
}

DlCaseQueue *
dl_case_queue_new (DlCaseFile *case_file)
{
  DlCaseQueue *self;

  g_return_val_if_fail (DL_IS_CASE_FILE (case_file), NULL);

  self = g_object_new (DL_TYPE_CASE_QUEUE, NULL);
  self->case_file = g_object_ref (case_file);
  g_signal_connect_object (case_file, "changed", G_CALLBACK (on_file_changed), self, 0);
  reload_quietly (self);
  return self;
}

/* A burst of notifications (an intake of 100 scans, 20 workstations
 * deciding) makes one reload, at most one per twice the time a reload
 * takes (a site of 100 000 cases): the window stays free between them,
 * and a change shows within a second. */
static gboolean
reload_site (gpointer data)
{
  DlCaseQueue *self = data;
  gint64 start = g_get_monotonic_time ();

  self->site_reload = 0;
  on_file_changed (NULL, NULL, self);
  self->site_reload_ms = (guint) ((g_get_monotonic_time () - start) / 1000);
  return G_SOURCE_REMOVE;
}

static void
on_site_changed (DlSite     *site,
                 const char *case_id,
                 gpointer    data)
{
  DlCaseQueue *self = data;

  if (self->site_reload == 0)
    self->site_reload = g_timeout_add (CLAMP (2 * self->site_reload_ms, 50, 800), reload_site, self);
}

DlCaseQueue *
dl_case_queue_new_for_site (DlSite  *site,
                            GError **error)
{
  g_autoptr(DlCaseQueue) self = NULL;

  g_return_val_if_fail (DL_IS_SITE (site), NULL);

  self = g_object_new (DL_TYPE_CASE_QUEUE, NULL);
  self->site = g_object_ref (site);
  if (dl_site_watch (site, on_site_changed, self, NULL, error) == 0 || !dl_case_queue_reload (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

DlSite *
dl_case_queue_get_site (DlCaseQueue *self)
{
  g_return_val_if_fail (DL_IS_CASE_QUEUE (self), NULL);
  return self->site;
}

DlCaseFile *
dl_case_queue_get_case_file (DlCaseQueue *self)
{
  g_return_val_if_fail (DL_IS_CASE_QUEUE (self), NULL);
  return self->case_file;
}

/* Every row replaced by @cases (taken; NULL entries are a site's rows
 * read when asked for). */
static void
replace_all (DlCaseQueue *self,
             GPtrArray   *cases)
{
  g_autoptr(GPtrArray) old = g_steal_pointer (&self->items);
  guint n_old = old->len;

  g_ptr_array_unref (self->summaries);
  self->summaries = cases;
  g_ptr_array_set_free_func (self->summaries, free_summary);
  self->items = g_ptr_array_new_full (self->summaries->len, unref_item);
  g_ptr_array_set_size (self->items, self->summaries->len);

  g_list_model_items_changed (G_LIST_MODEL (self), 0, n_old, self->items->len);
  if (n_old != self->items->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* A site's list, its summaries read as they are asked for. */
static gboolean
take_rows (DlCaseQueue    *self,
           DlSiteCaseRows *rows)
{
  GPtrArray *cases;

  if (rows == NULL)
    return FALSE;
  g_clear_pointer (&self->rows, dl_site_case_rows_free);
  self->rows = rows;
  cases = g_ptr_array_new_full (dl_site_case_rows_get_n (rows), free_summary);
  g_ptr_array_set_size (cases, dl_site_case_rows_get_n (rows));
  replace_all (self, cases);
  return TRUE;
}

gboolean
dl_case_queue_reload (DlCaseQueue  *self,
                      GError      **error)
{
  DlCaseQuery query = { 0 };
  g_autoptr(GPtrArray) cases = NULL;

  g_return_val_if_fail (DL_IS_CASE_QUEUE (self), FALSE);

  query.filter = self->filter;
  query.search = self->search;
  query.sort = self->sort;
  query.descending = self->sort != DL_CASE_SORT_TITLE;
  if (self->site && !self->keep_order)
    return take_rows (self, dl_site_list_case_rows (self->site, &query, error));
  cases = self->site ? dl_site_list_cases (self->site, &query, error)
                     : dl_case_file_list_cases (self->case_file, &query, error);
  if (cases == NULL)
    return FALSE;
  if (self->keep_order)
    {
      GPtrArray *ordered = keep_order (self, cases);

      g_ptr_array_unref (g_steal_pointer (&cases));
      cases = ordered;
      if (update_rows (self, cases))
        return TRUE;
    }

  replace_all (self, g_steal_pointer (&cases));
  g_clear_pointer (&self->rows, dl_site_case_rows_free);
  return TRUE;
}

void
dl_case_queue_set_filter (DlCaseQueue  *self,
                          DlCaseFilter  filter)
{
  g_return_if_fail (DL_IS_CASE_QUEUE (self));

  if (self->filter == filter)
    return;
  self->filter = filter;
  reload_quietly (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTER]);
}

DlCaseFilter
dl_case_queue_get_filter (DlCaseQueue *self)
{
  g_return_val_if_fail (DL_IS_CASE_QUEUE (self), DL_CASE_FILTER_ALL);
  return self->filter;
}

void
dl_case_queue_set_search (DlCaseQueue *self,
                          const char  *search)
{
  g_return_if_fail (DL_IS_CASE_QUEUE (self));

  if (search && *search == '\0')
    search = NULL;
  if (g_strcmp0 (self->search, search) == 0)
    return;
  g_free (self->search);
  self->search = g_strdup (search);
  reload_quietly (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);
}

const char *
dl_case_queue_get_search (DlCaseQueue *self)
{
  g_return_val_if_fail (DL_IS_CASE_QUEUE (self), NULL);
  return self->search;
}

void
dl_case_queue_set_sort (DlCaseQueue *self,
                        DlCaseSort   sort)
{
  g_return_if_fail (DL_IS_CASE_QUEUE (self));

  if (self->sort == sort)
    return;
  self->sort = sort;
  reload_quietly (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORT]);
}

DlCaseSort
dl_case_queue_get_sort (DlCaseQueue *self)
{
  g_return_val_if_fail (DL_IS_CASE_QUEUE (self), DL_CASE_SORT_UPDATED);
  return self->sort;
}

int
dl_case_queue_find (DlCaseQueue *self,
                    const char  *case_id)
{
  g_return_val_if_fail (DL_IS_CASE_QUEUE (self), -1);

  for (guint i = 0; case_id && i < self->items->len; i++)
    if (g_strcmp0 (summary_at (self, i)->id, case_id) == 0)
      return i;
  return -1;
}

int
dl_case_queue_next_open (DlCaseQueue *self,
                         int          from)
{
  guint n;

  g_return_val_if_fail (DL_IS_CASE_QUEUE (self), -1);

  n = self->items->len;
  for (guint k = 1; k <= n; k++)
    {
      guint i = (guint) ((from + (int) k) % (int) n + (int) n) % n;
      const DlCaseSummary *s = summary_at (self, i);

      if (s->state == DL_CASE_STATE_NEW || s->state == DL_CASE_STATE_RETURNED)
        return i;
    }
  return -1;
}
