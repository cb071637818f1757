/* dl-cli-profile.c — `doorlicht-cli profile list|show ID|match SCAN…|
 * remember SCAN ID`: the scanner profiles this workstation knows (built
 * in, then the folders of dl_profiles_default_folders ()), which one a
 * scan gets, and a choice remembered for the scan's scanner.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-cli-profile"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "dl-cli.h"
#include "dl-json-build.h"
#include "dl-profile.h"
#include "dl-profile-choices.h"

static const char *match_ids[] = { "none", "chosen", "named", "serial", "model", "remembered", "folder" };

static void
add_number (JsonBuilder *b,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (b, name);
  if (value > 0)
    json_builder_add_double_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_identity (JsonBuilder     *b,
              const DlProfile *p)
{
  json_builder_set_member_name (b, "identity");
  json_builder_begin_object (b);
  dl_json_set_string_or_null (b, "named", p->named);
  dl_json_set_string_or_null (b, "make", p->make);
  dl_json_set_string_or_null (b, "model", p->model);
  dl_json_set_string_or_null (b, "serial", p->serial);
  json_builder_set_member_name (b, "folders");
  json_builder_begin_array (b);
  for (guint i = 0; p->folders && p->folders[i]; i++)
    json_builder_add_string_value (b, p->folders[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
add_imaging (JsonBuilder     *b,
             const DlProfile *p)
{
  json_builder_set_member_name (b, "imaging");
  json_builder_begin_object (b);
  add_number (b, "energy_high_mev", p->energy_high_mev);
  add_number (b, "energy_low_mev", p->energy_low_mev);
  add_number (b, "i0", p->i0);
  add_number (b, "pitch_x_mm", p->pitch_x_mm);
  add_number (b, "pitch_y_mm", p->pitch_y_mm);
  add_number (b, "blur_sigma_px", p->blur_sigma_px);
  add_number (b, "effective_high_mev", p->effective_high_mev);
  add_number (b, "effective_low_mev", p->effective_low_mev);
  add_number (b, "photons_high", p->photons_high);
  add_number (b, "photons_low", p->photons_low);
  add_number (b, "noise_floor", p->noise_floor);
  json_builder_end_object (b);
  dl_json_set_string_or_null (b, "display_preset", p->display_preset);
  dl_json_set_string_or_null (b, "display_colormap", p->display_colormap);
  json_builder_set_member_name (b, "display_window");
  if (p->has_display_window)
    {
      json_builder_begin_array (b);
      json_builder_add_double_value (b, p->display_low);
      json_builder_add_double_value (b, p->display_high);
      json_builder_end_array (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "mass_coefficients");
  json_builder_add_boolean_value (b, p->calibration->has_mass);
}

static JsonNode *
profile_node (const DlProfile *p)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  dl_json_set_string_or_null (b, "id", p->id);
  dl_json_set_string_or_null (b, "name", p->name);
  dl_json_set_string_or_null (b, "file", p->path);
  add_identity (b, p);
  add_imaging (b, p);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static int
print_node (JsonNode *node)
{
  g_autofree char *json = json_to_string (node, TRUE);

  g_print ("%s\n", json);
  json_node_unref (node);
  return 0;
}

static int
list (DlProfiles *profiles)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  GPtrArray *all = dl_profiles_list (profiles);

  json_builder_begin_array (b);
  for (guint i = 0; i < all->len; i++)
    json_builder_add_value (b, profile_node (g_ptr_array_index (all, i)));
  json_builder_end_array (b);
  return print_node (json_builder_get_root (b));
}

static int
show (DlProfiles *profiles,
      const char *id)
{
  DlProfile *p = dl_profiles_lookup (profiles, id);

  if (p == NULL)
    {
      g_printerr (_("doorlicht-cli profile: no scanner profile “%s” (see doorlicht-cli profile list)\n"), id);
      return DL_CLI_EXIT_FAILURE;
    }
  return print_node (profile_node (p));
}

/* One scan's profile: which, and how it was chosen; null when none. */
static JsonNode *
match_node (DlProfiles *profiles,
            const char *path,
            GError    **error)
{
  g_autoptr(DlScan) scan = dl_scan_load_file (path, NULL, NULL, NULL, NULL, error);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  DlProfileMatch how = DL_PROFILE_MATCH_NONE;
  DlProfile *p;

  if (scan == NULL)
    return NULL;
  p = dl_profiles_match (profiles, scan, &how);
  json_builder_begin_object (b);
  dl_json_set_string_or_null (b, "file", path);
  dl_json_set_string_or_null (b, "make", dl_scan_get_metadata (scan, "make"));
  dl_json_set_string_or_null (b, "model", dl_scan_get_metadata (scan, "model"));
  dl_json_set_string_or_null (b, "serial", dl_scan_get_metadata (scan, "serial"));
  dl_json_set_string_or_null (b, "profile", p ? p->id : NULL);
  dl_json_set_string_or_null (b, "match", match_ids[how]);
  dl_json_set_string_or_null (b, "reason", dl_profile_match_describe (how));
  json_builder_set_member_name (b, "calibrated");
  json_builder_add_boolean_value (b, p != NULL);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static int
match (DlProfiles  *profiles,
       int          argc,
       char       **argv)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  int status = 0;

  json_builder_begin_array (b);
  for (int i = 2; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      JsonNode *node = match_node (profiles, argv[i], &error);

      if (node == NULL)
        status = dl_cli_fail (argv[i], error);
      else
        json_builder_add_value (b, node);
    }
  json_builder_end_array (b);
  print_node (json_builder_get_root (b));
  return status;
}

/* Remembers @id for the scanner of the scan at @path. */
static int
remember (DlProfiles *profiles,
          const char *path,
          const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlScan) scan = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *file = dl_profile_choices_default_path ();
  g_autofree char *identity = NULL;

  if (dl_profiles_lookup (profiles, id) == NULL)
    return show (profiles, id);
  scan = dl_scan_load_file (path, NULL, NULL, NULL, NULL, &error);
  if (scan == NULL || !dl_profile_choices_remember (file, scan, id, &error))
    return dl_cli_fail (path, error);
  identity = dl_profile_choices_identity (scan);
  json_builder_begin_object (b);
  dl_json_set_string_or_null (b, "identity", identity);
  dl_json_set_string_or_null (b, "profile", id);
  dl_json_set_string_or_null (b, "choices", file);
  json_builder_end_object (b);
  return print_node (json_builder_get_root (b));
}

int
dl_cli_profile (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("list | show ID | match SCAN… | remember SCAN ID | fit SCAN --object OBJECT.json -o PROFILE.ini — the scanner profiles, which one a scan gets, a choice remembered for a scanner, a profile fitted from a test object"));
  g_autoptr(GError) error = NULL;
  DlProfiles *profiles;

  if (argc >= 2 && strcmp (argv[1], "fit") == 0)
    return dl_cli_profile_fit (argc - 1, argv + 1);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return dl_cli_fail ("profile", error), DL_CLI_EXIT_USAGE;
  profiles = dl_profiles_get_default ();
  if (argc == 2 && strcmp (argv[1], "list") == 0)
    return list (profiles);
  if (argc == 3 && strcmp (argv[1], "show") == 0)
    return show (profiles, argv[2]);
  if (argc >= 3 && strcmp (argv[1], "match") == 0)
    return match (profiles, argc, argv);
  if (argc == 4 && strcmp (argv[1], "remember") == 0)
    return remember (profiles, argv[2], argv[3]);
  g_printerr ("%s\n", _("doorlicht-cli profile: give list, show ID, match SCAN…, remember SCAN ID or fit SCAN --object OBJECT.json -o PROFILE.ini"));
  return DL_CLI_EXIT_USAGE;
}
