/* dl-settings.c — the application's GSettings, tolerant of a missing
 * schema (an uninstalled build without GSETTINGS_SCHEMA_DIR) so that the
 * program still runs, without remembering anything.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-settings"

#include "config.h"

#include "dl-settings.h"

#define MAX_RECENT 10

/* Turning the list off forgets it. */
static void
on_remember_recent_changed (GSettings  *settings,
                            const char *key)
{
  g_assert (G_IS_SETTINGS (settings));

  if (!g_settings_get_boolean (settings, key))
    g_settings_reset (settings, "recent-files");
}

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
        {
          settings = g_settings_new_full (schema, NULL, NULL);
          g_signal_connect (settings, "changed::remember-recent", G_CALLBACK (on_remember_recent_changed), NULL);
        }
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

  g_return_if_fail (path != NULL);

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

/* The colours as "#rrggbb" strings go straight to the view state's
 * properties of the same name; a malformed one gives the default there. */
void
dl_settings_bind_view_state (DlViewState *state)
{
  static const char * const colours[] = { "organic-colour", "inorganic-colour", "metal-colour", "band-colour" };
  GSettings *settings = dl_settings_get ();

  g_return_if_fail (DL_IS_VIEW_STATE (state));

  if (settings == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (colours); i++)
    g_settings_bind (settings, colours[i], state, colours[i], G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "dense-light", state, "dense-light", G_SETTINGS_BIND_GET);
  /* the starting opacity: the panel changes the state, not the preference */
  g_settings_bind (settings, "overlay-opacity", state, "material-opacity", G_SETTINGS_BIND_GET);
}

DlPreset
dl_settings_get_default_preset (void)
{
  GSettings *settings = dl_settings_get ();
  g_autofree char *id = settings ? g_settings_get_string (settings, "default-preset") : NULL;
  DlPreset preset;

  if (id == NULL || !dl_preset_from_id (id, &preset))
    preset = DL_PRESET_AUTO;
  return preset;
}

/* Whether the user chose the default preset (else a scan's profile may). */
gboolean
dl_settings_has_default_preset (void)
{
  GSettings *settings = dl_settings_get ();
  g_autoptr(GVariant) value = settings ? g_settings_get_user_value (settings, "default-preset") : NULL;

  return value != NULL;
}

DlSpace
dl_settings_get_default_space (void)
{
  GSettings *settings = dl_settings_get ();
  g_autofree char *id = settings ? g_settings_get_string (settings, "default-space") : NULL;

  /* density by default: it is where the cargo shows at the first frame */
  return g_strcmp0 (id, "transmission") == 0 ? DL_SPACE_VALUE : DL_SPACE_DENSITY;
}

/* Space first: the preset is computed in the space it is shown in. */
void
dl_settings_apply_view_defaults (DlViewState       *state,
                                 const DlHistogram *histogram)
{
  g_return_if_fail (DL_IS_VIEW_STATE (state));

  dl_view_state_set_space (state, dl_settings_get_default_space ());
  if (histogram)
    dl_view_state_apply_preset (state, dl_settings_get_default_preset (), histogram);
}

GFile *
dl_settings_dup_folder (const char *key)
{
  GSettings *settings = dl_settings_get ();
  g_autofree char *path = NULL;

  g_return_val_if_fail (key != NULL, NULL);

  path = settings ? g_settings_get_string (settings, key) : NULL;
  if (path == NULL || *path == '\0' || !g_file_test (path, G_FILE_TEST_IS_DIR))
    return g_file_new_for_path (g_get_home_dir ());
  return g_file_new_for_path (path);
}

gboolean
dl_settings_get_advance_after_verdict (void)
{
  GSettings *settings = dl_settings_get ();

  return settings ? g_settings_get_boolean (settings, "advance-after-verdict") : TRUE;
}

char *
dl_settings_dup_display_name (void)
{
  GSettings *settings = dl_settings_get ();
  g_autofree char *name = settings ? g_settings_get_string (settings, "display-name") : NULL;

  if (name)
    g_strstrip (name);
  if (name == NULL || *name == '\0')
    return g_strdup (g_get_user_name ());
  return g_steal_pointer (&name);
}

/* A name set in the preferences replaces the one stored with the key; an
 * empty preference keeps the stored one (set by `doorlicht-cli … --name`,
 * the login by default). */
DlIdentity *
dl_settings_load_identity (GError **error)
{
  GSettings *settings = dl_settings_get ();
  g_autofree char *name = settings ? g_settings_get_string (settings, "display-name") : NULL;

  if (name)
    g_strstrip (name);
  return dl_identity_load_default (name && *name ? name : NULL, error);
}
