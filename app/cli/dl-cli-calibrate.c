/* dl-cli-calibrate.c — `doorlicht-cli calibrate -o FILE`: fit the material
 * boundaries from step-wedge scans of known materials.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-cli-calibrate"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "dl-cli.h"
#include "dl-synth-calibrate.h"

int
dl_cli_calibrate (int    argc,
                  char **argv)
{
  g_autofree char *output = NULL;
  g_autofree char *profile = NULL;
  DlSynthImaging imaging = *dl_synth_imaging_default ();
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Calibration file to write"), N_("FILE") },
    { "profile", 'p', 0, G_OPTION_ARG_FILENAME, &profile,
      N_("Image the wedges as this scanner profile does, and add its [mass] (a profile file or the id of a known one)"),
      N_("PROFILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("— fit material boundaries from generated step wedges (profile synthetic-6-4MeV)"));
  g_autoptr(GError) error = NULL;
  g_autoptr(DlCalibration) cal = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      dl_cli_fail ("calibrate", error);
      return DL_CLI_EXIT_USAGE;
    }
  if (output == NULL || argc != 1)
    {
      g_printerr ("%s\n", _("doorlicht-cli calibrate: give the output file with -o"));
      return DL_CLI_EXIT_USAGE;
    }

  if (profile && !dl_cli_synth_imaging (profile, &imaging, &error))
    return dl_cli_fail (profile, error);
  cal = dl_calibration_fit_synthetic_for (&imaging);
  if (profile)
    dl_synth_mass_coefficients (&imaging, cal);
  if (!dl_calibration_save (cal, output, &error))
    return dl_cli_fail ("calibrate", error);

  printf (_("%s: classifiable for A_high %.2f … %.2f, %u points\n"), output, cal->a_min, cal->a_max, cal->n_points);
  return 0;
}
