/* dl-cli-profile-fit.c — `doorlicht-cli profile fit SCAN --object
 * OBJECT.json -o PROFILE.ini`: a scanner profile fitted from one scan of
 * a step-wedge test object (dl-profile-fit.h); and the imaging chain of a
 * profile named on the command line, for synth and calibrate.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-cli-profile"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "dl-cli.h"
#include "dl-profile-fit.h"
#include "dl-synth.h"

/* @arg: a profile file (a path with a '/' or ending in .ini), else the id
 * of a known profile. */
gboolean
dl_cli_synth_imaging (const char      *arg,
                      DlSynthImaging  *imaging,
                      GError         **error)
{
  g_autoptr(DlProfile) profile = NULL;

  if (strchr (arg, '/') || g_str_has_suffix (arg, ".ini"))
    profile = dl_profile_load (arg, error);
  else if ((profile = dl_profiles_lookup (dl_profiles_get_default (), arg)) != NULL)
    dl_profile_ref (profile);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("No scanner profile “%s” (see doorlicht-cli profile list)"), arg);
  return profile != NULL && dl_synth_imaging_from_profile (profile, imaging, error);
}

/* The id a profile written to @output gets when none is given: its name
 * less “.ini”. */
static char *
default_id (const char *output)
{
  g_autofree char *base = g_path_get_basename (output);

  if (g_str_has_suffix (base, ".ini"))
    base[strlen (base) - 4] = '\0';
  return g_steal_pointer (&base);
}

static int
fit (const char *scan_path,
     const char *object_path,
     const char *output,
     const char *id,
     const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlTestObject) object = dl_test_object_load (object_path, &error);
  g_autoptr(DlScan) scan = NULL;
  g_autoptr(DlProfileFit) result = NULL;
  g_autofree char *report = NULL;

  if (object == NULL)
    return dl_cli_fail ("profile fit", error);
  scan = dl_scan_load_file (scan_path, NULL, NULL, NULL, NULL, &error);
  if (scan == NULL)
    return dl_cli_fail (scan_path, error);
  result = dl_profile_fit (scan, object, id, name, &error);
  if (result == NULL)
    return dl_cli_fail (scan_path, error);
  if (!dl_profile_fit_save (result, output, &error))
    return dl_cli_fail (output, error);
  report = dl_profile_fit_report (result, object);
  printf ("%s\n", report);
  return 0;
}

int
dl_cli_profile_fit (int    argc,
                    char **argv)
{
  g_autofree char *object = NULL;
  g_autofree char *output = NULL;
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  GOptionEntry entries[] = {
    { "object", 0, 0, G_OPTION_ARG_FILENAME, &object, N_("The test object the scan shows (doorlicht-test-object/1)"), N_("OBJECT.json") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Profile file to write"), N_("PROFILE.ini") },
    { "id", 0, 0, G_OPTION_ARG_STRING, &id, N_("The profile’s id (default: the file’s name less .ini)"), N_("ID") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The profile’s name for people (default: its id)"), N_("NAME") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("SCAN --object OBJECT.json -o PROFILE.ini — fit a scanner profile from a scan of a step-wedge test object"));
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      dl_cli_fail ("profile fit", error);
      return DL_CLI_EXIT_USAGE;
    }
  if (argc != 2 || object == NULL || output == NULL || (id != NULL && *id == '\0'))
    {
      g_printerr ("%s\n", _("doorlicht-cli profile fit: give one SCAN, --object OBJECT.json and -o PROFILE.ini"));
      return DL_CLI_EXIT_USAGE;
    }
  if (id == NULL)
    id = default_id (output);
  return fit (argv[1], object, output, id, name);
}
