/* dl-annotation.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-annotation"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "dl-annotation.h"
#include "dl-json-check.h"

#define MAX_POINTS 1024

struct _DlAnnotations
{
  GObject    parent_instance;
  GPtrArray *items;   /* DlAnnotation */
  guint      next_id;
  guint      edit_depth;   /* dl_annotations_begin_edit () not yet ended */
  gboolean   edited;       /* changed since the outermost edit began */
};

G_DEFINE_FINAL_TYPE (DlAnnotations, dl_annotations, G_TYPE_OBJECT)

enum { CHANGED, EDIT_ENDED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char * const kind_ids[DL_N_ANNOTATION_KINDS] = {
  "rectangle", "polygon", "arrow", "text", "ruler",
};

static void
annotation_free (gpointer data)
{
  DlAnnotation *a = data;

  g_array_unref (a->points);
  g_free (a->label);
  g_free (a->author);
  g_free (a);
}

static void
dl_annotations_finalize (GObject *object)
{
  g_ptr_array_unref (DL_ANNOTATIONS (object)->items);
  G_OBJECT_CLASS (dl_annotations_parent_class)->finalize (object);
}

static void
dl_annotations_class_init (DlAnnotationsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dl_annotations_finalize;

  /* Emitted after any addition, removal or change. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Emitted once an edit that changed something ends: at once after a
   * change made outside dl_annotations_begin_edit () … end_edit (), else
   * when the outermost end_edit () comes.  What is recorded follows it. */
  signals[EDIT_ENDED] = g_signal_new ("edit-ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
emit_changed (DlAnnotations *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
  if (self->edit_depth > 0)
    self->edited = TRUE;
  else
    g_signal_emit (self, signals[EDIT_ENDED], 0);
}

static void
dl_annotations_init (DlAnnotations *self)
{
  self->items = g_ptr_array_new_with_free_func (annotation_free);
  self->next_id = 1;
}

DlAnnotations *
dl_annotations_new (void)
{
  return g_object_new (DL_TYPE_ANNOTATIONS, NULL);
}

const char *
dl_annotation_kind_to_id (DlAnnotationKind kind)
{
  g_return_val_if_fail (kind < DL_N_ANNOTATION_KINDS, NULL);
  return kind_ids[kind];
}

guint
dl_annotations_get_n (DlAnnotations *self)
{
  g_return_val_if_fail (DL_IS_ANNOTATIONS (self), 0);
  return self->items->len;
}

const DlAnnotation *
dl_annotations_get (DlAnnotations *self,
                    guint          index)
{
  g_return_val_if_fail (DL_IS_ANNOTATIONS (self), NULL);
  return index < self->items->len ? g_ptr_array_index (self->items, index) : NULL;
}

static DlAnnotation *
find (DlAnnotations *self,
      guint          id,
      guint         *index)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      DlAnnotation *a = g_ptr_array_index (self->items, i);
      if (a->id == id)
        {
          if (index)
            *index = i;
          return a;
        }
    }
  return NULL;
}

const DlAnnotation *
dl_annotations_lookup (DlAnnotations *self,
                       guint          id)
{
  g_return_val_if_fail (DL_IS_ANNOTATIONS (self), NULL);
  return find (self, id, NULL);
}

static gboolean
valid_count (DlAnnotationKind kind,
             guint            n)
{
  switch (kind)
    {
    case DL_ANNOTATION_TEXT: return n == 1;
    case DL_ANNOTATION_POLYGON: return n >= 3 && n <= MAX_POINTS;
    case DL_ANNOTATION_RECTANGLE:
    case DL_ANNOTATION_ARROW:
    case DL_ANNOTATION_RULER: return n == 2;
    case DL_N_ANNOTATION_KINDS:
    default: return FALSE;
    }
}

static guint
add_full (DlAnnotations    *self,
          guint             id,
          DlAnnotationKind  kind,
          guint             view,
          const DlPoint    *points,
          guint             n_points,
          const char       *label,
          const char       *author,
          gint64            created)
{
  DlAnnotation *a = g_new0 (DlAnnotation, 1);

  a->id = id;
  a->kind = kind;
  a->view = view;
  a->points = g_array_sized_new (FALSE, FALSE, sizeof (DlPoint), n_points);
  g_array_append_vals (a->points, points, n_points);
  a->label = g_strdup (label ? label : "");
  a->author = g_strdup (author);
  a->created = created;
  g_ptr_array_add (self->items, a);
  self->next_id = MAX (self->next_id, id + 1);
  return id;
}

/**
 * dl_annotations_add:
 *
 * Returns: the new annotation's id, or 0 when the points do not make one
 * of @kind (a rectangle, arrow or ruler has 2, a polygon 3 or more, a text 1).
 */
guint
dl_annotations_add (DlAnnotations    *self,
                    DlAnnotationKind  kind,
                    guint             view,
                    const DlPoint    *points,
                    guint             n_points,
                    const char       *label)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint id;

  g_return_val_if_fail (DL_IS_ANNOTATIONS (self), 0);

  if (kind >= DL_N_ANNOTATION_KINDS || !valid_count (kind, n_points))
    return 0;
  for (guint i = 0; i < n_points; i++)
    if (!isfinite (points[i].x) || !isfinite (points[i].y))
      return 0;

  id = add_full (self, self->next_id, kind, view, points, n_points, label,
                 g_get_user_name (), g_date_time_to_unix (now));
  emit_changed (self);
  return id;
}

gboolean
dl_annotations_remove (DlAnnotations *self,
                       guint          id)
{
  guint index;

  g_return_val_if_fail (DL_IS_ANNOTATIONS (self), FALSE);

  if (find (self, id, &index) == NULL)
    return FALSE;
  g_ptr_array_remove_index (self->items, index);
  emit_changed (self);
  return TRUE;
}

gboolean
dl_annotations_move (DlAnnotations *self,
                     guint          id,
                     double         dx,
                     double         dy)
{
  DlAnnotation *a;

  g_return_val_if_fail (DL_IS_ANNOTATIONS (self), FALSE);

  if ((a = find (self, id, NULL)) == NULL || !isfinite (dx) || !isfinite (dy))
    return FALSE;
  for (guint i = 0; i < a->points->len; i++)
    {
      DlPoint *p = &g_array_index (a->points, DlPoint, i);
      p->x += dx;
      p->y += dy;
    }
  emit_changed (self);
  return TRUE;
}

gboolean
dl_annotations_set_label (DlAnnotations *self,
                          guint          id,
                          const char    *label)
{
  DlAnnotation *a;

  g_return_val_if_fail (DL_IS_ANNOTATIONS (self), FALSE);

  if ((a = find (self, id, NULL)) == NULL)
    return FALSE;
  g_free (a->label);
  a->label = g_strdup (label ? label : "");
  emit_changed (self);
  return TRUE;
}

void
dl_annotations_clear (DlAnnotations *self)
{
  g_return_if_fail (DL_IS_ANNOTATIONS (self));

  g_ptr_array_set_size (self->items, 0);
  emit_changed (self);
}

/* ---- hit testing ---------------------------------------------------------- */

static double
segment_distance (const DlPoint *a, const DlPoint *b, double x, double y)
{
  double dx = b->x - a->x, dy = b->y - a->y, len2 = dx * dx + dy * dy, t;

  t = len2 > 0 ? CLAMP (((x - a->x) * dx + (y - a->y) * dy) / len2, 0.0, 1.0) : 0;
  return hypot (x - (a->x + t * dx), y - (a->y + t * dy));
}

static gboolean
inside_polygon (const GArray *pts, double x, double y)
{
  gboolean in = FALSE;

  for (guint i = 0, j = pts->len - 1; i < pts->len; j = i++)
    {
      const DlPoint *a = &g_array_index (pts, DlPoint, i), *b = &g_array_index (pts, DlPoint, j);
      if ((a->y > y) != (b->y > y) && x < (b->x - a->x) * (y - a->y) / (b->y - a->y) + a->x)
        in = !in;
    }
  return in;
}

static gboolean
hits (const DlAnnotation *a, double x, double y, double tol)
{
  const DlPoint *p = &g_array_index (a->points, DlPoint, 0);

  switch (a->kind)
    {
    case DL_ANNOTATION_RECTANGLE:
      {
        const DlPoint *q = &g_array_index (a->points, DlPoint, 1);
        return x >= MIN (p->x, q->x) - tol && x <= MAX (p->x, q->x) + tol
               && y >= MIN (p->y, q->y) - tol && y <= MAX (p->y, q->y) + tol;
      }
    case DL_ANNOTATION_POLYGON:
      if (inside_polygon (a->points, x, y))
        return TRUE;
      for (guint i = 0; i < a->points->len; i++)
        if (segment_distance (&g_array_index (a->points, DlPoint, i),
                              &g_array_index (a->points, DlPoint, (i + 1) % a->points->len), x, y) <= tol)
          return TRUE;
      return FALSE;
    case DL_ANNOTATION_ARROW:
    case DL_ANNOTATION_RULER:
      return segment_distance (p, &g_array_index (a->points, DlPoint, 1), x, y) <= tol;
    case DL_ANNOTATION_TEXT:
      return hypot (x - p->x, y - p->y) <= MAX (tol, 1.0) * 3;
    case DL_N_ANNOTATION_KINDS:
    default:
      return FALSE;
    }
}

/* The topmost (latest) annotation of @view at (x, y), within @tolerance
 * image pixels; 0 for none. */
guint
dl_annotations_hit (DlAnnotations *self,
                    guint          view,
                    double         x,
                    double         y,
                    double         tolerance)
{
  g_return_val_if_fail (DL_IS_ANNOTATIONS (self), 0);

  for (guint i = self->items->len; i-- > 0;)
    {
      const DlAnnotation *a = g_ptr_array_index (self->items, i);
      if (a->view == view && hits (a, x, y, tolerance))
        return a->id;
    }
  return 0;
}

double
dl_annotation_length_mm (const DlAnnotation *a,
                         double              pitch_x_mm,
                         double              pitch_y_mm)
{
  const DlPoint *p, *q;

  if (a->points->len < 2)
    return 0;
  p = &g_array_index (a->points, DlPoint, 0);
  q = &g_array_index (a->points, DlPoint, 1);
  return hypot ((q->x - p->x) * pitch_x_mm, (q->y - p->y) * pitch_y_mm);
}

/* ---- JSON ------------------------------------------------------------------ */

char *
dl_annotations_to_json (DlAnnotations *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (DL_IS_ANNOTATIONS (self), NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "doorlicht-annotations/1");
  json_builder_set_member_name (b, "annotations");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->items->len; i++)
    {
      const DlAnnotation *a = g_ptr_array_index (self->items, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, a->id);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, kind_ids[a->kind]);
      json_builder_set_member_name (b, "view");
      json_builder_add_int_value (b, a->view);
      json_builder_set_member_name (b, "points");
      json_builder_begin_array (b);
      for (guint k = 0; k < a->points->len; k++)
        {
          const DlPoint *p = &g_array_index (a->points, DlPoint, k);
          json_builder_begin_array (b);
          json_builder_add_double_value (b, p->x);
          json_builder_add_double_value (b, p->y);
          json_builder_end_array (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "label");
      json_builder_add_string_value (b, a->label);
      json_builder_set_member_name (b, "author");
      json_builder_add_string_value (b, a->author ? a->author : "");
      json_builder_set_member_name (b, "created");
      json_builder_add_int_value (b, a->created);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  return json_to_string (root, TRUE);
}

static gboolean
bad (GError **error, const char *why)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The annotations are not valid: %s"), why);
  return FALSE;
}

static gboolean
read_points (JsonArray *array,
             GArray    *points,
             GError   **error)
{
  for (guint k = 0; k < json_array_get_length (array) && k < MAX_POINTS + 1; k++)
    {
      JsonNode *n = json_array_get_element (array, k);
      JsonArray *xy;
      DlPoint p;

      if (!JSON_NODE_HOLDS_ARRAY (n) || json_array_get_length (xy = json_node_get_array (n)) != 2)
        return bad (error, _("a point is not a pair of numbers"));
      p.x = json_array_get_double_element (xy, 0);
      p.y = json_array_get_double_element (xy, 1);
      if (!isfinite (p.x) || !isfinite (p.y))
        return bad (error, _("a point is not a pair of numbers"));
      g_array_append_val (points, p);
    }
  return TRUE;
}

/* Replaces the annotations with those in @json; on error nothing changes. */
gboolean
dl_annotations_load_json (DlAnnotations  *self,
                          const char     *json,
                          GError        **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(DlAnnotations) staged = dl_annotations_new ();
  g_autofree char *why = NULL;
  JsonObject *root;
  JsonArray *items;

  g_return_val_if_fail (DL_IS_ANNOTATIONS (self), FALSE);

  if ((why = dl_json_refusal (json, -1)) != NULL)
    return bad (error, why);
  if (!json_parser_load_from_data (parser, json, -1, error))
    return FALSE;
  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return bad (error, _("not a JSON object"));
  root = json_node_get_object (json_parser_get_root (parser));
  if (g_strcmp0 (json_object_get_string_member_with_default (root, "format", ""), "doorlicht-annotations/1") != 0)
    return bad (error, _("unknown format"));
  if (!json_object_has_member (root, "annotations")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "annotations")))
    return bad (error, _("no list of annotations"));

  items = json_object_get_array_member (root, "annotations");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *n = json_array_get_element (items, i);
      g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (DlPoint));
      JsonObject *o;
      const char *kind_id;
      gint64 id;
      guint kind;

      if (!JSON_NODE_HOLDS_OBJECT (n))
        return bad (error, _("an annotation is not an object"));
      o = json_node_get_object (n);
      kind_id = json_object_get_string_member_with_default (o, "kind", "");
      for (kind = 0; kind < DL_N_ANNOTATION_KINDS; kind++)
        if (g_str_equal (kind_id, kind_ids[kind]))
          break;
      id = json_object_get_int_member_with_default (o, "id", 0);
      if (kind == DL_N_ANNOTATION_KINDS || id <= 0 || id > G_MAXINT || find (staged, id, NULL))
        return bad (error, _("an annotation has no known kind or a duplicate id"));
      if (!json_object_has_member (o, "points") || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "points"))
          || !read_points (json_object_get_array_member (o, "points"), points, error))
        return error && *error ? FALSE : bad (error, _("an annotation has no points"));
      if (!valid_count (kind, points->len))
        return bad (error, _("an annotation has the wrong number of points"));
      if (json_object_get_int_member_with_default (o, "view", 0) < 0
          || json_object_get_int_member_with_default (o, "view", 0) > 63)
        return bad (error, _("an annotation is on a view that cannot exist"));

      add_full (staged, id, kind, json_object_get_int_member_with_default (o, "view", 0),
                (DlPoint *) points->data, points->len,
                json_object_get_string_member_with_default (o, "label", ""),
                json_object_get_string_member_with_default (o, "author", NULL),
                json_object_get_int_member_with_default (o, "created", 0));
    }

  g_ptr_array_unref (self->items);
  self->items = g_steal_pointer (&staged->items);
  staged->items = g_ptr_array_new ();
  self->next_id = staged->next_id;
  emit_changed (self);
  return TRUE;
}

/* ---- edits ---------------------------------------------------------------- */

/**
 * dl_annotations_begin_edit:
 *
 * Starts an edit (a drag, a label being typed): the changes until the
 * matching dl_annotations_end_edit () emit "changed" each, and
 * "edit-ended" once at the end.  Edits nest.
 */
void
dl_annotations_begin_edit (DlAnnotations *self)
{
  g_return_if_fail (DL_IS_ANNOTATIONS (self));

  if (self->edit_depth++ == 0)
    self->edited = FALSE;
}

void
dl_annotations_end_edit (DlAnnotations *self)
{
  g_return_if_fail (DL_IS_ANNOTATIONS (self));
  g_return_if_fail (self->edit_depth > 0);

  if (--self->edit_depth > 0 || !self->edited)
    return;
  self->edited = FALSE;
  g_signal_emit (self, signals[EDIT_ENDED], 0);
}

gboolean
dl_annotations_in_edit (DlAnnotations *self)
{
  g_return_val_if_fail (DL_IS_ANNOTATIONS (self), FALSE);
  return self->edit_depth > 0;
}
