/* dl-profile.h — scanner profiles: what Doorlicht knows of one scanner
 * (its identity, energies, air value, pitch, blur, display defaults,
 * material calibration and mass attenuation coefficients), as data, one
 * key file each, and the choice of a scan's profile by its identity.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-material.h"

G_BEGIN_DECLS

#define DL_PROFILE_ERROR (dl_profile_error_quark ())

typedef enum
{
  DL_PROFILE_ERROR_INVALID,  /* a profile file that is not one */
  DL_PROFILE_ERROR_UNKNOWN,  /* no profile of that name */
} DlProfileError;

GQuark dl_profile_error_quark (void);

/* How a scan's profile was chosen, from the surest. */
typedef enum
{
  DL_PROFILE_MATCH_NONE,         /* no profile is for this scan */
  DL_PROFILE_MATCH_CHOSEN,       /* chosen by a person (dl_profiles_choose ()) */
  DL_PROFILE_MATCH_NAMED,        /* the scan names its profile (its description's "profile") */
  DL_PROFILE_MATCH_SERIAL,       /* make, model and serial number */
  DL_PROFILE_MATCH_MODEL,        /* make and model */
  DL_PROFILE_MATCH_REMEMBERED,   /* a choice remembered for the scanner (dl-profile-choices.h) */
  DL_PROFILE_MATCH_FOLDER,       /* the folder the scan came from */
} DlProfileMatch;

typedef struct
{
  char          *id;             /* unique: "synthetic-6-4MeV" */
  char          *name;           /* for people */
  char          *path;           /* the file it was read from, NULL when built in */
  /* identity: which scans are this scanner's (NULL: not a criterion) */
  char          *named;          /* what a scan's description calls its profile */
  char          *make;           /* glob patterns, compared without case */
  char          *model;
  char          *serial;
  char         **folders;        /* absolute folders; scans below them */
  /* imaging; 0 where the profile does not say */
  double         energy_high_mev;
  double         energy_low_mev;
  double         i0;
  double         pitch_x_mm, pitch_y_mm;
  double         blur_sigma_px;
  /* how the generator images as this scanner (docs/scanner-profiles.md);
   * 0 where the profile does not say */
  double         effective_high_mev;  /* the effective energies of the two beams */
  double         effective_low_mev;
  double         photons_high;        /* photons an air pixel receives, per channel */
  double         photons_low;
  double         noise_floor;         /* electronic noise, counts (standard deviation) */
  /* how its scans open ([display]); at most one of preset and window */
  char          *display_preset; /* a preset id (dl-presets.h), NULL: the default */
  gboolean       has_display_window;
  double         display_low, display_high;  /* the window, in stored values (counts) */
  char          *display_colormap;           /* a built-in colour map (dl-colormap.h), NULL: none */
  DlCalibration *calibration;    /* with mass coefficients when the file gives them */

  /*< private >*/
  gatomicrefcount ref_count;
} DlProfile;

#define DL_TYPE_PROFILE (dl_profile_get_type ())
GType          dl_profile_get_type      (void) G_GNUC_CONST;
DlProfile     *dl_profile_ref           (DlProfile     *self);
void           dl_profile_unref         (DlProfile     *self);
DlProfile     *dl_profile_load          (const char    *path,
                                         GError       **error);
DlProfile     *dl_profile_load_bytes    (GBytes        *bytes,
                                         const char    *name,
                                         GError       **error);
const char    *dl_profile_match_describe (DlProfileMatch match);
/* What [display] accepts: the presets' ids (dl_preset_get_id ()) and the
 * built-in colour maps' names (dl_colormap_builtin_names ()), %NULL-ended. */
const char * const *dl_profile_display_presets   (void);
const char * const *dl_profile_display_colormaps (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlProfile, dl_profile_unref)

/* The profiles a workstation knows: the built-in ones, then those in
 * folders (later ones with the same id replace earlier ones). */
typedef struct _DlProfiles DlProfiles;

DlProfiles    *dl_profiles_new          (void);
void           dl_profiles_free         (DlProfiles    *self);
void           dl_profiles_add          (DlProfiles    *self,
                                         DlProfile     *profile);
guint          dl_profiles_add_folder   (DlProfiles    *self,
                                         const char    *folder);
GPtrArray     *dl_profiles_list         (DlProfiles    *self);
/* The file of remembered choices consulted after named, serial and
 * model matches (NULL: none, the default of dl_profiles_new ()). */
void           dl_profiles_set_choices  (DlProfiles    *self,
                                         const char    *path);
const char    *dl_profiles_get_choices  (DlProfiles    *self);
const char * const *dl_profiles_get_problems (DlProfiles    *self);
DlProfile     *dl_profiles_lookup       (DlProfiles    *self,
                                         const char    *id);
DlProfile     *dl_profiles_match        (DlProfiles    *self,
                                         DlScan        *scan,
                                         DlProfileMatch *how);
/* The workstation's: built in, then $DOORLICHT_PROFILE_PATH (folders
 * separated by ':') when set, else the system's and the user's
 * configuration folders' doorlicht/profiles; loaded once, shared; its
 * remembered choices those of dl_profile_choices_default_path (). */
DlProfiles    *dl_profiles_get_default  (void);
char         **dl_profiles_default_folders (void);

/* The profile of @scan among the default profiles (dl_profiles_match ()). */
DlProfile     *dl_scan_choose_profile   (DlScan         *scan,
                                         DlProfileMatch *how);
/* The calibration to classify and weigh @scan with: its profile's, else
 * the generator's, with @calibrated FALSE (not this scanner's curves). */
const DlCalibration *dl_calibration_for_scan (DlScan   *scan,
                                              gboolean *calibrated);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlProfiles, dl_profiles_free)

G_END_DECLS
