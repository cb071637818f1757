/* dl-settings.c — the application's GSettings, tolerant of a missing
 * schema (an uninstalled build without GSETTINGS_SCHEMA_DIR) so that the
 * program still runs, without remembering anything.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dl-settings.h"

#define MAX_RECENT 10

/* Returns: (transfer none) (nullable): the settings, or %NULL. */
GSettings *
dl_settings_get (void)
{
  static GSettings *settings;
  static gsize done;

  if (g_once_init_enter (&done))
    {
      GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
      g_autoptr(GSettingsSchema) schema = NULL;

      if (source)
        schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
      if (schema)
        settings = g_settings_new_full (schema, NULL, NULL);
      else
        g_warning ("GSettings schema %s not found: preferences will not be kept", APP_ID);
      g_once_init_leave (&done, 1);
    }

  return settings;
}

/* The application's own list (never the user-wide recent files), kept only
 * while "remember-recent" is on. */
void
dl_settings_add_recent (const char *path)
{
  GSettings *settings = dl_settings_get ();
  g_auto(GStrv) old = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) list = NULL;
  guint n = 1;

  if (settings == NULL || !g_settings_get_boolean (settings, "remember-recent"))
    return;

  old = g_settings_get_strv (settings, "recent-files");
  builder = g_strv_builder_new ();
  g_strv_builder_add (builder, path);
  for (guint i = 0; old[i] && n < MAX_RECENT; i++)
    if (g_strcmp0 (old[i], path) != 0)
      {
        g_strv_builder_add (builder, old[i]);
        n++;
      }
  list = g_strv_builder_end (builder);
  g_settings_set_strv (settings, "recent-files", (const char * const *) list);
}

GStrv
dl_settings_dup_recent (void)
{
  GSettings *settings = dl_settings_get ();

  if (settings == NULL || !g_settings_get_boolean (settings, "remember-recent"))
    return g_new0 (char *, 1);
  return g_settings_get_strv (settings, "recent-files");
}
