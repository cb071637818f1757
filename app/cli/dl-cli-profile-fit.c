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
fit (const char                 *scan_path,
     const char                 *object_path,
     const char                 *output,
     const DlProfileFitIdentity *identity)
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
  result = dl_profile_fit (scan, object, identity, &error);
  if (result == NULL)
    return dl_cli_fail (scan_path, error);
  if (!dl_profile_fit_save (result, output, &error))
    return dl_cli_fail (output, error);
  report = dl_profile_fit_report (result, object);
  printf ("%s\n", report);
  return 0;
}

/* --energies HIGH,LOW in MeV: both, 0 < LOW < HIGH ≤ 50. */
static gboolean
parse_energies (const char            *text,
                DlProfileFitIdentity  *identity,
                GError               **error)
{
  g_auto(GStrv) parts = text ? g_strsplit (text, ",", -1) : NULL;
  char *end_high = NULL, *end_low = NULL;
  double high, low;

  if (text == NULL)
    return TRUE;
  if (g_strv_length (parts) == 2)
    {
      high = g_ascii_strtod (parts[0], &end_high);
      low = g_ascii_strtod (parts[1], &end_low);
      if (end_high != parts[0] && *end_high == '\0' && end_low != parts[1] && *end_low == '\0'
          && low > 0 && low < high && high <= 50)
        {
          identity->energy_high_mev = high;
          identity->energy_low_mev = low;
          return TRUE;
        }
    }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("--energies wants HIGH,LOW in MeV, the low below the high, at most 50 (“%s”)"), text);
  return FALSE;
}

int
dl_cli_profile_fit (int    argc,
                    char **argv)
{
  g_autofree char *object = NULL, *output = NULL, *id = NULL, *name = NULL;
  g_autofree char *make = NULL, *model = NULL, *serial = NULL, *energies = NULL;
  GOptionEntry entries[] = {
    { "object", 0, 0, G_OPTION_ARG_FILENAME, &object, N_("The test object the scan shows (doorlicht-test-object/1)"), N_("OBJECT.json") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Profile file to write"), N_("PROFILE.ini") },
    { "id", 0, 0, G_OPTION_ARG_STRING, &id, N_("The profile’s id (default: the file’s name less .ini)"), N_("ID") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The profile’s name for people (default: its id)"), N_("NAME") },
    { "make", 0, 0, G_OPTION_ARG_STRING, &make, N_("The scanner’s make (default: the scan’s own)"), N_("MAKE") },
    { "model", 0, 0, G_OPTION_ARG_STRING, &model, N_("The scanner’s model (default: the scan’s own)"), N_("MODEL") },
    { "serial", 0, 0, G_OPTION_ARG_STRING, &serial, N_("The scanner’s serial number (default: the scan’s own)"), N_("SERIAL") },
    { "energies", 0, 0, G_OPTION_ARG_STRING, &energies, N_("The scanner’s energies, high and low, in MeV"), N_("HIGH,LOW") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("SCAN --object OBJECT.json -o PROFILE.ini — fit a scanner profile from a scan of a step-wedge test object"));
  g_autoptr(GError) error = NULL;
  DlProfileFitIdentity identity = { 0 };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error)
      || !parse_energies (energies, &identity, &error))
    {
      dl_cli_fail ("profile fit", error);
      return DL_CLI_EXIT_USAGE;
    }
  if (argc != 2 || object == NULL || output == NULL || (id != NULL && *id == '\0'))
    {
      g_printerr ("%s\n", _("doorlicht-cli profile fit: give one SCAN, --object OBJECT.json and -o PROFILE.ini"));
      return DL_CLI_EXIT_USAGE;
    }
  if ((make == NULL) != (model == NULL) || (serial != NULL && make == NULL))
    {
      g_printerr ("%s\n", _("doorlicht-cli profile fit: give --make and --model together (and --serial only with them)"));
      return DL_CLI_EXIT_USAGE;
    }
  if (id == NULL)
    id = default_id (output);
  identity.id = id;
  identity.name = name;
  identity.make = make;
  identity.model = model;
  identity.serial = serial;
  return fit (argv[1], object, output, &identity);
}
