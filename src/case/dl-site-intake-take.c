/* dl-site-intake-take.c — taking one settled file into the site: read
 * whole, hashed, read as a scan, matched with its manifest, and recorded
 * as a new case in one transaction; and a manifest that comes after its
 * scan attached to the scan's waiting case (dl-site-intake.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-site-intake"

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "dl-hash.h"
#include "dl-regular-file.h"
#include "dl-scan.h"
#include "dl-site-intake-private.h"
#include "dl-site-private.h"

#define MAX_TITLE_BYTES 200

void
dl_site_intake_item_free (DlSiteIntakeItem *item)
{
  if (item == NULL)
    return;
  g_free (item->case_id);
  g_free (item->path);
  g_free (item->sha256);
  g_free (item->matched);
  g_free (item);
}

char *
dl_site_intake_find_container (const char *text)
{
  gsize n = text ? strlen (text) : 0;

  for (gsize i = 0; i + 11 <= n; i++)
    {
      char number[12];
      gboolean shape = TRUE;

      if (i > 0 && g_ascii_isalnum (text[i - 1]))
        continue;
      for (guint k = 0; k < 11 && shape; k++)
        {
          number[k] = g_ascii_toupper (text[i + k]);
          shape = k < 4 ? g_ascii_isalpha (number[k]) : g_ascii_isdigit (number[k]);
        }
      number[11] = '\0';
      if (shape && (i + 11 == n || !g_ascii_isalnum (text[i + 11])) && dl_iso6346_is_valid (number))
        return g_strdup (number);
    }
  return NULL;
}

char *
dl_site_add_manifest (DlSite            *site,
                      const char        *case_id,
                      const DlManifest  *manifest,
                      GError           **error)
{
  g_autofree char *id = dl_case_new_id ('M');
  g_autofree char *json = NULL;
  gboolean ok;

  g_return_val_if_fail (DL_IS_SITE (site), NULL);
  g_return_val_if_fail (case_id != NULL && manifest != NULL, NULL);

  json = dl_manifest_to_json (manifest);
  ok = dl_site_need_identity (site, error) && dl_site_begin (site, error)
       && dl_site_end (site, dl_site_insert_json (site, "manifests", "manifest", id, case_id, json, error), error);
  return ok ? g_steal_pointer (&id) : NULL;
}

/* Reads @path whole, as it was when it settled (@size, @mtime): a file
 * that changed since is refused (G_IO_ERROR_BUSY), to be tried again. */
GBytes *
dl_site_intake_read (const char *path,
                     guint64     size,
                     gint64      mtime,
                     GError    **error)
{
  guint64 now_size = 0;
  int fd = dl_open_regular_file (path, &now_size, error);
  g_autofree char *data = NULL;
  gsize done = 0;
  struct stat st;

  if (fd < 0)
    return NULL;
  if (now_size > (guint64) DL_CASE_MAX_IMAGE)
    {
      close (fd);
      return g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE, _("“%s” is larger than 1 GiB"),
                          path), NULL;
    }
  data = g_malloc (now_size ? now_size : 1);
  while (done < now_size)
    {
      gssize got = read (fd, data + done, now_size - done);

      if (got < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      if (got <= 0)
        break;
      done += got;
    }
  if (fstat (fd, &st) != 0 || done != now_size || (guint64) st.st_size != size || now_size != size
      || dl_site_intake_mtime (&st) != mtime)
    {
      close (fd);
      return g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, _("“%s” changed while it was read"), path), NULL;
    }
  close (fd);
  return g_bytes_new_take (g_steal_pointer (&data), now_size);
}

/* Does the site hold a scan of these bytes already? */
static gboolean
already_taken (DlSite     *site,
               const char *sha256,
               gboolean   *taken,
               GError    **error)
{
  const char *params[] = { sha256 };
  g_autoptr(PGresult) res = dl_site_exec (site, "SELECT EXISTS (SELECT 1 FROM doorlicht.scans WHERE sha256 = $1)",
                                          1, params, error);

  if (res == NULL)
    return FALSE;
  *taken = strcmp (PQgetvalue (res, 0, 0), "t") == 0;
  return TRUE;
}

/* @text cut to the title's limit on a character boundary, with an
 * ellipsis where it was cut. */
static char *
fit_title (const char *text)
{
  const char *end;

  if (strlen (text) <= MAX_TITLE_BYTES)
    return g_strdup (text);
  end = g_utf8_find_prev_char (text, text + MAX_TITLE_BYTES - strlen ("…") + 1);
  return g_strdup_printf ("%.*s…", (int) (end - text), text);
}

/* The manifest of @list naming @container, else the first; %NULL when none. */
static DlManifest *
pick_manifest (GPtrArray  *list,
               const char *container)
{
  for (guint i = 0; container && list && i < list->len; i++)
    if (dl_manifest_find_container (g_ptr_array_index (list, i), container) != NULL)
      return dl_manifest_ref (g_ptr_array_index (list, i));
  return list && list->len ? dl_manifest_ref (g_ptr_array_index (list, 0)) : NULL;
}

/* The container number of the scan's metadata, else of the file's name. */
static char *
scan_container (DlScan     *scan,
                const char *path)
{
  g_autofree char *name = g_path_get_basename (path);

  if (scan != NULL)
    {
      g_auto(GStrv) keys = dl_scan_dup_metadata_keys (scan);

      for (guint i = 0; keys && keys[i]; i++)
        {
          char *found = dl_site_intake_find_container (dl_scan_get_metadata (scan, keys[i]));

          if (found)
            return found;
        }
    }
  return dl_site_intake_find_container (name);
}

/* The manifest for the file: its sidecar's, else the folder's naming its
 * container; *@matched says how (or why none). */
static DlManifest *
match_manifest (DlSiteIntakeTake *t,
                const char       *container,
                char            **matched)
{
  g_autoptr(GError) error = NULL;

  if (t->sidecar != NULL)
    {
      g_autoptr(GPtrArray) list = dl_manifest_load_file (t->sidecar, &error);
      g_autofree char *base = g_path_get_basename (t->sidecar);

      if (list == NULL)
        {
          *matched = g_strdup_printf (_("its sidecar %s is not a manifest the readers take: %s"), base,
                                      error->message);
          return NULL;
        }
      *matched = g_strdup_printf (_("manifest %s (sidecar)"), base);
      return pick_manifest (list, container);
    }
  if (container == NULL)
    return *matched = g_strdup (_("no manifest (no sidecar, no container number)")), NULL;
  for (guint i = 0; t->manifests && i < t->manifests->len; i++)
    {
      DlSiteIntakeManifest *m = g_ptr_array_index (t->manifests, i);
      DlManifest *found = pick_manifest (m->list, container);

      if (found && dl_manifest_find_container (found, container) != NULL)
        {
          g_autofree char *base = g_path_get_basename (m->path);

          *matched = g_strdup_printf (_("manifest %s (container %s)"), base, container);
          return found;
        }
      g_clear_pointer (&found, dl_manifest_unref);
    }
  *matched = g_strdup_printf (_("no manifest (container %s is in none of the folder’s manifests)"), container);
  return NULL;
}

/* The case's title: the container or file, or why it could not be read. */
static char *
case_title (const char   *path,
            const char   *container,
            const GError *read_error)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *text = NULL;

  if (read_error != NULL)
    text = g_strdup_printf (_("Unreadable scan %s: %s"), base, read_error->message);
  else if (container != NULL)
    text = g_strdup_printf (_("Container %s (scan %s)"), container, base);
  else
    text = g_strdup_printf (_("Scan %s"), base);
  return fit_title (text);
}

/* The case, its scan and manifest in one transaction, unless another
 * intake took the same bytes first (*@case_id stays %NULL then). */
static gboolean
record (DlSiteIntakeTake *t,
        GBytes           *bytes,
        const char       *sha256,
        const char       *title,
        DlManifest       *manifest,
        char            **case_id,
        GError          **error)
{
  g_autofree char *id = dl_case_new_id ('C'), *scan_id = dl_case_new_id ('S');
  g_autofree char *manifest_id = dl_case_new_id ('M'), *json = NULL;
  const char *params[] = { sha256 };
  g_autoptr(PGresult) lock = NULL;
  gboolean taken = FALSE, ok;

  if (!dl_site_begin (t->site, error))
    return FALSE;
  /* two intakes over one folder: the second waits, then finds it taken */
  lock = dl_site_exec (t->site, "SELECT pg_advisory_xact_lock (hashtextextended ($1, 6346))", 1, params, error);
  ok = lock != NULL && already_taken (t->site, sha256, &taken, error);
  if (ok && !taken)
    {
      json = manifest ? dl_manifest_to_json (manifest) : NULL;
      ok = dl_site_insert_case (t->site, id, title, error)
           && dl_site_insert_scan (t->site, scan_id, id, t->path, bytes, error)
           && (json == NULL || dl_site_insert_json (t->site, "manifests", "manifest", manifest_id, id, json, error));
    }
  if (!dl_site_end (t->site, ok, error))
    return FALSE;
  *case_id = taken ? NULL : g_steal_pointer (&id);
  return TRUE;
}

static gboolean attach_sidecar (DlSiteIntakeTake  *t,
                                const char        *sha256,
                                DlSiteIntakeItem **item,
                                GError           **error);

/* Takes the file.  %TRUE with *@item %NULL when the site had it already
 * (an item when its sidecar came later and was attached). */
gboolean
dl_site_intake_take (DlSiteIntakeTake  *t,
                     DlSiteIntakeItem **item,
                     GError           **error)
{
  g_autoptr(GBytes) bytes = dl_site_intake_read (t->path, t->size, t->mtime, error);
  g_autoptr(GError) read_error = NULL;
  g_autoptr(DlScan) scan = NULL;
  g_autoptr(DlManifest) manifest = NULL;
  g_autofree char *sha = NULL, *container = NULL, *matched = NULL, *title = NULL, *case_id = NULL;
  gboolean taken = FALSE;

  *item = NULL;
  if (bytes == NULL)
    return FALSE;
  sha = dl_sha256_hex_bytes (bytes);
  if (!already_taken (t->site, sha, &taken, error))
    return FALSE;
  /* taken before: its sidecar may have come since */
  if (taken)
    return t->sidecar == NULL || attach_sidecar (t, sha, item, error);
  scan = dl_scan_load_bytes (bytes, t->path, NULL, NULL, NULL, NULL, &read_error);
  container = scan_container (scan, t->path);
  manifest = match_manifest (t, container, &matched);
  title = case_title (t->path, container, read_error);
  if (read_error != NULL)
    g_free (matched), matched = g_strdup_printf (_("unreadable: %s"), read_error->message);
  if (!record (t, bytes, sha, title, manifest, &case_id, error))
    return FALSE;
  if (case_id == NULL)
    return TRUE;
  *item = g_new0 (DlSiteIntakeItem, 1);
  (*item)->case_id = g_steal_pointer (&case_id);
  (*item)->path = g_strdup (t->path);
  (*item)->sha256 = g_steal_pointer (&sha);
  (*item)->readable = read_error == NULL;
  (*item)->matched = g_steal_pointer (&matched);
  return TRUE;
}

/* -- manifests that come after their scans ---------------------------------- */

static DlSiteIntakeItem *
late_item (const char *case_id,
           const char *path,
           const char *container)
{
  DlSiteIntakeItem *item = g_new0 (DlSiteIntakeItem, 1);
  g_autofree char *base = g_path_get_basename (path);

  item->case_id = g_strdup (case_id);
  item->path = g_strdup (path);
  item->readable = TRUE;
  item->matched = container ? g_strdup_printf (_("manifest %s, arrived after the scan (container %s)"), base, container)
                            : g_strdup_printf (_("manifest %s, arrived after the scan (sidecar)"), base);
  return item;
}

/* In the caller's transaction: @manifest recorded for each case of @res
 * (id, title) whose title names @container (any, when %NULL). */
static gboolean
attach_rows (DlSite           *site,
             PGresult         *res,
             const DlManifest *manifest,
             const char       *path,
             const char       *container,
             GPtrArray        *items,
             GError          **error)
{
  g_autofree char *json = dl_manifest_to_json (manifest);

  for (int r = 0; r < PQntuples (res); r++)
    {
      g_autofree char *named = container ? dl_site_intake_find_container (PQgetvalue (res, r, 1)) : NULL;
      g_autofree char *id = dl_case_new_id ('M');

      if (container && g_strcmp0 (named, container) != 0)
        continue;
      if (!dl_site_insert_json (site, "manifests", "manifest", id, PQgetvalue (res, r, 0), json, error))
        return FALSE;
      g_ptr_array_add (items, late_item (PQgetvalue (res, r, 0), path, container));
    }
  return TRUE;
}

/* The waiting cases without a manifest, one transaction per @key (two
 * intakes attaching the same manifest wait for each other, and the
 * second finds it attached); @sql selects them, $1 bound to @value. */
static gboolean
attach_waiting (DlSite           *site,
                const char       *key,
                const char       *sql,
                const char       *value,
                const DlManifest *manifest,
                const char       *path,
                const char       *container,
                GPtrArray        *items,
                GError          **error)
{
  const char *params[] = { key }, *values[] = { value };
  g_autoptr(PGresult) lock = NULL, res = NULL;
  guint before = items->len;
  gboolean ok;

  if (!dl_site_begin (site, error))
    return FALSE;
  lock = dl_site_exec (site, "SELECT pg_advisory_xact_lock (hashtextextended ($1, 6347))", 1, params, error);
  ok = lock != NULL && (res = dl_site_exec (site, sql, 1, values, error)) != NULL
       && attach_rows (site, res, manifest, path, container, items, error);
  if (!dl_site_end (site, ok, error))
    return g_ptr_array_set_size (items, before), FALSE;
  return TRUE;
}

#define WAITING_WITHOUT_MANIFEST \
  "SELECT c.id, c.title FROM doorlicht.cases c JOIN doorlicht.queue q ON q.case_id = c.id " \
  "WHERE q.state = 'waiting' AND NOT EXISTS (SELECT 1 FROM doorlicht.manifests m WHERE m.case_id = c.id) "

gboolean
dl_site_intake_attach (DlSite     *site,
                       const char *path,
                       GPtrArray  *list,
                       GPtrArray  *items,
                       GError    **error)
{
  for (guint i = 0; i < list->len; i++)
    {
      const DlManifest *manifest = g_ptr_array_index (list, i);

      for (guint k = 0; k < manifest->containers->len; k++)
        {
          const char *number = ((DlManifestContainer *) g_ptr_array_index (manifest->containers, k))->number;
          g_autofree char *container = dl_site_intake_find_container (number);

          if (container && !attach_waiting (site, container, WAITING_WITHOUT_MANIFEST
                                            "AND strpos (upper (c.title), $1) > 0 ORDER BY c.created, c.id",
                                            container, manifest, path, container, items, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* The sidecar of a scan the site holds already: its manifest for the
 * scan's case when that waits without one. */
static gboolean
attach_sidecar (DlSiteIntakeTake  *t,
                const char        *sha256,
                DlSiteIntakeItem **item,
                GError           **error)
{
  g_autoptr(GPtrArray) list = dl_manifest_load_file (t->sidecar, NULL);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_site_intake_item_free);

  /* one the readers refuse is no manifest: the case stays as it is */
  if (list == NULL || list->len == 0)
    return TRUE;
  if (!attach_waiting (t->site, sha256, WAITING_WITHOUT_MANIFEST
                       "AND c.id IN (SELECT case_id FROM doorlicht.scans WHERE sha256 = $1) ORDER BY c.created, c.id",
                       sha256, g_ptr_array_index (list, 0), t->sidecar, NULL, items, error))
    return FALSE;
  *item = items->len ? g_ptr_array_steal_index (items, 0) : NULL;
  return TRUE;
}
