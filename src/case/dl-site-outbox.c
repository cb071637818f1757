/* dl-site-outbox.c — verdicts and reviews kept in a folder until the site
 * store has them (see dl-site-outbox.h).
 *
 * One JSON file per write, <id>.json: {"kind": "verdict"|"review", "id",
 * "case_id", "decision", "text", "marks" (those it rests on, as the
 * working copy stores them), for verdicts "reasons", "seen" and "hints"
 * (JSON as text); "kept" (µs since 1970, the order they are sent in)}.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-site-outbox"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "dl-case-private.h"
#include "dl-json-build.h"
#include "dl-json-check.h"
#include "dl-site-outbox.h"

struct _DlSiteOutbox
{
  GObject  parent_instance;
  char    *dir;
};

G_DEFINE_FINAL_TYPE (DlSiteOutbox, dl_site_outbox, G_TYPE_OBJECT)

static void
dl_site_outbox_finalize (GObject *object)
{
  g_free (DL_SITE_OUTBOX (object)->dir);
  G_OBJECT_CLASS (dl_site_outbox_parent_class)->finalize (object);
}

static void
dl_site_outbox_class_init (DlSiteOutboxClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dl_site_outbox_finalize;
}

static void
dl_site_outbox_init (DlSiteOutbox *self)
{
}

DlSiteOutbox *
dl_site_outbox_new (const char  *dir,
                    GError     **error)
{
  DlSiteOutbox *self;
  g_autofree char *refused = g_build_filename (dir, "refused", NULL);

  if (g_mkdir_with_parents (refused, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot make the folder of writes kept for the site, %s: %s"), dir, g_strerror (saved));
      return NULL;
    }
  self = g_object_new (DL_TYPE_SITE_OUTBOX, NULL);
  self->dir = g_strdup (dir);
  return self;
}

/* -- one write ----------------------------------------------------------------------- */

typedef struct
{
  char      *kind, *id, *case_id, *decision, *text, *seen, *hints;
  GStrv      reasons;
  GPtrArray *marks;    /* DlCaseMark: those a verdict rests on */
  gint64     kept;
  char      *path;
} Write;

static void
write_free (Write *w)
{
  g_free (w->kind);
  g_free (w->id);
  g_free (w->case_id);
  g_free (w->decision);
  g_free (w->text);
  g_free (w->seen);
  g_free (w->hints);
  g_strfreev (w->reasons);
  g_clear_pointer (&w->marks, g_ptr_array_unref);
  g_free (w->path);
  g_free (w);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Write, write_free)

static char *
write_to_json (const Write *w)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  dl_json_set_string_or_null (b, "kind", w->kind);
  dl_json_set_string_or_null (b, "id", w->id);
  dl_json_set_string_or_null (b, "case_id", w->case_id);
  dl_json_set_string_or_null (b, "decision", w->decision);
  dl_json_set_string_or_null (b, "text", w->text);
  dl_json_set_string_or_null (b, "seen", w->seen);
  dl_json_set_string_or_null (b, "hints", w->hints);
  json_builder_set_member_name (b, "reasons");
  json_builder_begin_array (b);
  for (guint i = 0; w->reasons && w->reasons[i]; i++)
    json_builder_add_string_value (b, w->reasons[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "marks");
  json_builder_begin_array (b);
  for (guint i = 0; w->marks && i < w->marks->len; i++)
    {
      const DlCaseMark *m = g_ptr_array_index (w->marks, i);

      json_builder_begin_object (b);
      dl_json_set_string_or_null (b, "id", m->id);
      dl_json_set_string_or_null (b, "scan_id", m->scan_id);
      dl_json_set_string_or_null (b, "geometry", m->geometry);
      dl_json_set_string_or_null (b, "label", m->label);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "kept");
  json_builder_add_int_value (b, w->kept);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static char *
member_string (JsonObject *o,
               const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  return node && json_node_get_value_type (node) == G_TYPE_STRING ? g_strdup (json_node_get_string (node)) : NULL;
}

static GStrv
member_strings (JsonObject *o,
                const char *name)
{
  JsonNode *node = json_object_get_member (o, name);
  JsonArray *a = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  for (guint i = 0; a && i < json_array_get_length (a); i++)
    if (json_node_get_value_type (json_array_get_element (a, i)) == G_TYPE_STRING)
      g_strv_builder_add (b, json_array_get_string_element (a, i));
  return g_strv_builder_end (b);
}

static GPtrArray *
member_marks (JsonObject *o)
{
  JsonNode *node = json_object_get_member (o, "marks");
  JsonArray *a = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  GPtrArray *marks = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_case_mark_free);

  for (guint i = 0; a && i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      JsonObject *mo = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
      DlCaseMark *m;

      if (mo == NULL)
        continue;
      m = g_new0 (DlCaseMark, 1);
      m->id = member_string (mo, "id");
      m->scan_id = member_string (mo, "scan_id");
      m->geometry = member_string (mo, "geometry");
      m->label = member_string (mo, "label");
      g_ptr_array_add (marks, m);
    }
  return marks;
}

/* The write kept at @path, or %NULL when it is not one. */
static Write *
write_read (const char  *path,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  g_autoptr(Write) w = g_new0 (Write, 1);
  JsonObject *o;
  JsonNode *kept;

  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  if (dl_json_refused (text, -1) || !json_parser_load_from_data (parser, text, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                        _("%s is not a write kept for the site"), path), NULL;
  o = json_node_get_object (json_parser_get_root (parser));
  w->kind = member_string (o, "kind");
  w->id = member_string (o, "id");
  w->case_id = member_string (o, "case_id");
  w->decision = member_string (o, "decision");
  w->text = member_string (o, "text");
  w->seen = member_string (o, "seen");
  w->hints = member_string (o, "hints");
  w->reasons = member_strings (o, "reasons");
  w->marks = member_marks (o);
  kept = json_object_get_member (o, "kept");
  w->kept = kept && json_node_get_value_type (kept) == G_TYPE_INT64 ? json_node_get_int (kept) : 0;
  w->path = g_strdup (path);
  if (w->id == NULL || w->case_id == NULL || w->decision == NULL
      || (g_strcmp0 (w->kind, "verdict") != 0 && g_strcmp0 (w->kind, "review") != 0))
    return g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                        _("%s is not a write kept for the site"), path), NULL;
  return g_steal_pointer (&w);
}

/* Written whole and synced before anything is sent. */
static gboolean
write_keep (DlSiteOutbox *self,
            Write        *w,
            GError      **error)
{
  g_autofree char *json = write_to_json (w);
  g_autofree char *name = g_strconcat (w->id, ".json", NULL);

  w->path = g_build_filename (self->dir, name, NULL);
  return g_file_set_contents_full (w->path, json, -1, G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

static gboolean
write_record (Write   *w,
              DlSite  *site,
              GError **error)
{
  if (g_strcmp0 (w->kind, "verdict") == 0)
    {
      DlSiteVerdict v = { w->id, w->case_id, w->decision, (const char * const *) w->reasons, w->text, w->seen,
                          w->hints, w->marks };

      return dl_site_record_verdict (site, &v, error);
    }
  return dl_site_record_review (site, w->id, w->case_id, w->decision, w->text, w->marks, error);
}

static void
set_aside (DlSiteOutbox *self,
           const char   *path)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *aside = g_build_filename (self->dir, "refused", base, NULL);

  if (g_rename (path, aside) != 0)
    g_warning ("Cannot move %s aside: %s", path, g_strerror (errno));
}

/* Sends @w.  @again: it may have reached the site before (its answer
 * lost), so the site is asked first. */
static DlSiteDelivery
write_send (DlSiteOutbox *self,
            Write        *w,
            DlSite       *site,
            gboolean      again,
            GError      **error)
{
  g_autoptr(GError) local = NULL;
  gboolean found = FALSE;

  if (!dl_site_reconnect (site, NULL))
    return DL_SITE_KEPT;
  if ((again && !dl_site_has_record (site, w->id, &found, &local)) || (!found && !write_record (w, site, &local)))
    {
      if (!dl_site_is_connected (site))
        return DL_SITE_KEPT;
      set_aside (self, w->path);
      g_propagate_error (error, g_steal_pointer (&local));
      return DL_SITE_REFUSED;
    }
  if (g_unlink (w->path) != 0)
    g_warning ("Cannot remove %s, which the site has: %s", w->path, g_strerror (errno));
  return DL_SITE_SENT;
}

static DlSiteDelivery
keep_and_send (DlSiteOutbox *self,
               DlSite       *site,
               Write        *w,
               GError      **error)
{
  w->kept = g_get_real_time ();
  if (!write_keep (self, w, error))
    return DL_SITE_REFUSED;
  return write_send (self, w, site, FALSE, error);
}

DlSiteDelivery
dl_site_outbox_verdict (DlSiteOutbox        *self,
                        DlSite              *site,
                        const DlSiteVerdict *v,
                        GError             **error)
{
  g_autoptr(Write) w = g_new0 (Write, 1);

  g_return_val_if_fail (DL_IS_SITE_OUTBOX (self), DL_SITE_REFUSED);
  g_return_val_if_fail (DL_IS_SITE (site), DL_SITE_REFUSED);

  w->kind = g_strdup ("verdict");
  w->id = dl_case_new_id ('V');
  w->case_id = g_strdup (v->case_id);
  w->decision = g_strdup (v->decision);
  w->reasons = g_strdupv ((char **) v->reasons);
  w->text = g_strdup (v->text);
  w->seen = g_strdup (v->seen_json);
  w->hints = g_strdup (v->hints_json);
  w->marks = v->marks ? g_ptr_array_ref ((GPtrArray *) v->marks) : NULL;
  return keep_and_send (self, site, w, error);
}

DlSiteDelivery
dl_site_outbox_review (DlSiteOutbox *self,
                       DlSite       *site,
                       const char   *case_id,
                       const char   *decision,
                       const char   *comment,
                       GPtrArray    *marks,
                       GError      **error)
{
  g_autoptr(Write) w = g_new0 (Write, 1);

  g_return_val_if_fail (DL_IS_SITE_OUTBOX (self), DL_SITE_REFUSED);
  g_return_val_if_fail (DL_IS_SITE (site), DL_SITE_REFUSED);

  w->kind = g_strdup ("review");
  w->id = dl_case_new_id ('R');
  w->case_id = g_strdup (case_id);
  w->decision = g_strdup (decision);
  w->text = g_strdup (comment);
  w->marks = marks ? g_ptr_array_ref (marks) : NULL;
  return keep_and_send (self, site, w, error);
}

/* -- what waits ---------------------------------------------------------------------- */

static int
by_kept (gconstpointer a,
         gconstpointer b)
{
  const Write *x = *(Write * const *) a, *y = *(Write * const *) b;

  return x->kept < y->kept ? -1 : x->kept > y->kept ? 1 : g_strcmp0 (x->id, y->id);
}

/* The writes waiting, oldest first; a file that is none is set aside. */
static GPtrArray *
list_waiting (DlSiteOutbox *self,
              GPtrArray    *refused)
{
  g_autoptr(GDir) dir = g_dir_open (self->dir, 0, NULL);
  GPtrArray *writes = g_ptr_array_new_with_free_func ((GDestroyNotify) write_free);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (self->dir, name, NULL);
      g_autoptr(GError) error = NULL;
      Write *w;

      if (!g_str_has_suffix (name, ".json") || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      if ((w = write_read (path, &error)) != NULL)
        {
          g_ptr_array_add (writes, w);
          continue;
        }
      set_aside (self, path);
      if (refused)
        g_ptr_array_add (refused, g_strdup (error->message));
    }
  g_ptr_array_sort (writes, by_kept);
  return writes;
}

guint
dl_site_outbox_flush (DlSiteOutbox *self,
                      DlSite       *site,
                      GPtrArray    *refused)
{
  g_autoptr(GPtrArray) writes = NULL;
  guint waiting = 0;

  g_return_val_if_fail (DL_IS_SITE_OUTBOX (self), 0);
  g_return_val_if_fail (DL_IS_SITE (site), 0);

  writes = list_waiting (self, refused);
  for (guint i = 0; i < writes->len; i++)
    {
      Write *w = g_ptr_array_index (writes, i);
      g_autoptr(GError) error = NULL;

      /* the rest wait too, in their order */
      if (waiting > 0 || write_send (self, w, site, TRUE, &error) == DL_SITE_KEPT)
        waiting++;
      else if (error && refused)
        g_ptr_array_add (refused, g_strdup_printf (g_strcmp0 (w->kind, "verdict") == 0
                                                   ? _("The site refused the verdict kept for case %s: %s")
                                                   : _("The site refused the review kept for case %s: %s"),
                                                   w->case_id, error->message));
    }
  return waiting;
}

guint
dl_site_outbox_get_n_waiting (DlSiteOutbox *self)
{
  g_autoptr(GPtrArray) writes = NULL;

  g_return_val_if_fail (DL_IS_SITE_OUTBOX (self), 0);

  writes = list_waiting (self, NULL);
  return writes->len;
}
