/* dl-profile-choices.c — remembered profile choices, one group per scanner:
 *
 *   [choice 1]
 *   make=Acme Imaging
 *   model=CargoView 9
 *   serial=SN-4711
 *   profile=acme-cargoview-9
 *
 * or, for scans that do not say their scanner, "folder=/srv/scans/lane-2".
 * A scanner's identity is its make, model and serial number as the scan
 * gives them (compared without case, surrounding space ignored); only when
 * it gives neither make nor model is it the folder the scan came from.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-profile"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "dl-profile-choices.h"

static const char *identity_keys[] = { "make", "model", "serial", "folder" };

char *
dl_profile_choices_default_path (void)
{
  const char *env = g_getenv ("DOORLICHT_PROFILE_CHOICES");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_config_dir (), "doorlicht", "profile-choices.ini", NULL);
}

static char *
normalised (const char *value)
{
  g_autofree char *stripped = value ? g_strstrip (g_strdup (value)) : NULL;

  return stripped && *stripped ? g_utf8_casefold (stripped, -1) : NULL;
}

/* The identity's four values (NULL where not part of it). */
static void
identity_of (DlScan *scan,
             char   *values[4])
{
  const char *path = dl_scan_get_source_path (scan);

  values[0] = normalised (dl_scan_get_metadata (scan, "make"));
  values[1] = normalised (dl_scan_get_metadata (scan, "model"));
  values[2] = values[0] || values[1] ? normalised (dl_scan_get_metadata (scan, "serial")) : NULL;
  values[3] = NULL;
  if (!values[0] && !values[1] && path != NULL)
    {
      g_autofree char *canonical = g_canonicalize_filename (path, NULL);

      values[3] = g_path_get_dirname (canonical);
    }
}

static void
identity_clear (char *values[4])
{
  for (guint i = 0; i < 4; i++)
    g_clear_pointer (&values[i], g_free);
}

char *
dl_profile_choices_identity (DlScan *scan)
{
  g_autoptr(GString) s = g_string_new (NULL);
  char *values[4];

  g_return_val_if_fail (DL_IS_SCAN (scan), NULL);

  identity_of (scan, values);
  for (guint i = 0; i < 4; i++)
    if (values[i])
      g_string_append_printf (s, "%s%s %s", s->len ? ", " : "", identity_keys[i], values[i]);
  identity_clear (values);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Whether @group of @kf is the scanner of @values. */
static gboolean
group_is (GKeyFile   *kf,
          const char *group,
          char       *values[4])
{
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *raw = g_key_file_get_string (kf, group, identity_keys[i], NULL);
      /* folders are compared as they are, names without case */
      g_autofree char *stored = i == 3 ? g_strdup (raw) : normalised (raw);

      if (g_strcmp0 (stored, values[i]) != 0)
        return FALSE;
    }
  return TRUE;
}

static char *
find_group (GKeyFile *kf,
            char     *values[4])
{
  g_auto(GStrv) groups = g_key_file_get_groups (kf, NULL);

  for (guint i = 0; groups[i]; i++)
    if (group_is (kf, groups[i], values))
      return g_strdup (groups[i]);
  return NULL;
}

/* The file as it is, empty when it does not exist yet; an error (and
 * nothing written) when it exists but is not a key file. */
static GKeyFile *
load_choices (const char *path,
              GError    **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) local = NULL;

  if (g_key_file_load_from_file (kf, path, G_KEY_FILE_KEEP_COMMENTS, &local))
    return g_steal_pointer (&kf);
  if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    return g_steal_pointer (&kf);
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
               _("The remembered profile choices in “%s” cannot be read: %s"), path, local->message);
  return NULL;
}

static char *
new_group_name (GKeyFile *kf)
{
  for (guint n = 1;; n++)
    {
      char *name = g_strdup_printf ("choice %u", n);

      if (!g_key_file_has_group (kf, name))
        return name;
      g_free (name);
    }
}

static gboolean
write_choices (GKeyFile   *kf,
               const char *path,
               GError    **error)
{
  g_autofree char *folder = g_path_get_dirname (path);

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not create the folder “%s”: %s"), folder, g_strerror (saved));
      return FALSE;
    }
  return g_key_file_save_to_file (kf, path, error);
}

gboolean
dl_profile_choices_remember (const char  *path,
                             DlScan      *scan,
                             const char  *profile_id,
                             GError     **error)
{
  g_autoptr(GKeyFile) kf = NULL;
  g_autofree char *group = NULL;
  char *values[4];

  g_return_val_if_fail (path != NULL && DL_IS_SCAN (scan) && profile_id != NULL, FALSE);

  kf = load_choices (path, error);
  if (kf == NULL)
    return FALSE;
  identity_of (scan, values);
  if (!values[0] && !values[1] && !values[3])
    {
      identity_clear (values);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("The scan names no scanner and comes from no folder: there is nothing to remember the choice under"));
      return FALSE;
    }
  group = find_group (kf, values);
  if (group == NULL)
    group = new_group_name (kf);
  for (guint i = 0; i < 4; i++)
    if (values[i])
      g_key_file_set_string (kf, group, identity_keys[i], values[i]);
  g_key_file_set_string (kf, group, "profile", profile_id);
  identity_clear (values);
  return write_choices (kf, path, error);
}

char *
dl_profile_choices_lookup (const char *path,
                           DlScan     *scan)
{
  g_autoptr(GKeyFile) kf = NULL;
  g_autofree char *group = NULL;
  char *values[4];

  g_return_val_if_fail (DL_IS_SCAN (scan), NULL);

  if (path == NULL || (kf = load_choices (path, NULL)) == NULL)
    return NULL;
  identity_of (scan, values);
  group = values[0] || values[1] || values[3] ? find_group (kf, values) : NULL;
  identity_clear (values);
  return group ? g_key_file_get_string (kf, group, "profile", NULL) : NULL;
}
