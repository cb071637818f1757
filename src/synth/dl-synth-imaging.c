/* dl-synth-imaging.c — how the generator images: the built-in chain
 * (the profile synthetic-6-4MeV's) and one taken from any profile's
 * [imaging].
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-synth"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dl-synth.h"

/* The built-in chain: the profile synthetic-6-4MeV's [imaging]. */
static const DlSynthImaging builtin_imaging = {
  .profile = "synthetic-6-4MeV",
  .energy_high_mev = 3.0,
  .energy_low_mev = 1.5,
  .i0 = DL_SYNTH_I0,
  .pitch_mm = DL_SYNTH_PITCH_MM,
  .blur_sigma_px = 0.8,
  .photons_high = 50000.0,
  .photons_low = 30000.0,
  .noise_floor = 3.0,
};

const DlSynthImaging *
dl_synth_imaging_default (void)
{
  return &builtin_imaging;
}

double dl_synth_energy_low_mev (void) { return builtin_imaging.energy_low_mev; }
double dl_synth_energy_high_mev (void) { return builtin_imaging.energy_high_mev; }

/**
 * dl_synth_imaging_from_profile:
 *
 * The chain that images as @profile's [imaging] says.
 */
gboolean
dl_synth_imaging_from_profile (const DlProfile *profile,
                               DlSynthImaging  *imaging,
                               GError         **error)
{
  const DlSynthImaging *builtin = dl_synth_imaging_default ();
  const char *what = NULL;

  g_return_val_if_fail (profile != NULL && imaging != NULL, FALSE);
  if (!(profile->effective_high_mev >= DL_SYNTH_MIN_MEV && profile->effective_high_mev <= DL_SYNTH_MAX_MEV
        && profile->effective_low_mev >= DL_SYNTH_MIN_MEV && profile->effective_low_mev <= DL_SYNTH_MAX_MEV))
    what = "effective_high_mev, effective_low_mev (1 … 6 MeV)";
  else if (!(profile->i0 >= 100))
    what = "i0 (at least 100)";
  else if (!(profile->pitch_x_mm > 0 && profile->pitch_x_mm == profile->pitch_y_mm))
    what = "pitch_mm (one pitch for x and y)";
  else if (!(profile->blur_sigma_px > 0 && profile->blur_sigma_px <= DL_SYNTH_MAX_BLUR))
    what = "blur_sigma_px (above 0, at most 2.6)";
  else if (strlen (profile->id) >= sizeof imaging->profile)
    what = "an id of at most 63 bytes";
  if (what)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The generator cannot image as the profile “%s”: its [imaging] needs %s"),
                   profile->id, what);
      return FALSE;
    }
  g_strlcpy (imaging->profile, profile->id, sizeof imaging->profile);
  imaging->energy_high_mev = profile->effective_high_mev;
  imaging->energy_low_mev = profile->effective_low_mev;
  imaging->i0 = profile->i0;
  imaging->pitch_mm = profile->pitch_x_mm;
  imaging->blur_sigma_px = profile->blur_sigma_px;
  imaging->photons_high = profile->photons_high > 0 ? profile->photons_high : builtin->photons_high;
  imaging->photons_low = profile->photons_low > 0 ? profile->photons_low : builtin->photons_low;
  imaging->noise_floor = profile->noise_floor > 0 ? profile->noise_floor : builtin->noise_floor;
  return TRUE;
}
