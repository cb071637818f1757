/* dl-profile.c — scanner profiles as data, and the choice of a scan's
 * profile by what the scan says of its scanner.
 *
 * A profile is a key file (docs/scanner-profiles.md): [profile] its id
 * and name, [identity] how its scans are recognised, [imaging] energies,
 * air value, pitch and blur, [display] defaults, [calibration] the
 * material boundaries (dl-material.h) and [mass] the mass attenuation
 * coefficients.  Everything but [profile] and [calibration] may be left
 * out; what is present must be right, or the file is refused whole.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-profile"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "dl-profile.h"
#include "dl-profile-choices.h"
#include "dl-regular-file.h"
#include "profile-resources.h"

G_DEFINE_QUARK (dl-profile-error-quark, dl_profile_error)
G_DEFINE_BOXED_TYPE (DlProfile, dl_profile, dl_profile_ref, dl_profile_unref)

#define PROFILE_MAX_BYTES (1 << 20)

DlProfile *
dl_profile_ref (DlProfile *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
dl_profile_unref (DlProfile *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->id);
  g_free (self->name);
  g_free (self->path);
  g_free (self->named);
  g_free (self->make);
  g_free (self->model);
  g_free (self->serial);
  g_strfreev (self->folders);
  g_free (self->display_preset);
  g_free (self->display_colormap);
  g_clear_pointer (&self->calibration, dl_calibration_free);
  g_free (self);
}

/* ---- reading ------------------------------------------------------------------ */

static gboolean
invalid (GError     **error,
         const char  *name,
         const char  *what)
{
  g_set_error (error, DL_PROFILE_ERROR, DL_PROFILE_ERROR_INVALID, _("The scanner profile %s is not valid: %s"),
               name, what);
  return FALSE;
}

/* A string of @group, NULL when absent; FALSE when present but empty. */
static gboolean
read_text (GKeyFile    *kf,
           const char  *group,
           const char  *key,
           char       **out,
           const char  *name,
           GError     **error)
{
  g_autofree char *what = NULL;

  if (!g_key_file_has_key (kf, group, key, NULL))
    return TRUE;
  *out = g_key_file_get_string (kf, group, key, NULL);
  if (*out != NULL && **out != '\0' && g_utf8_validate (*out, -1, NULL))
    return TRUE;
  g_clear_pointer (out, g_free);
  what = g_strdup_printf (_("“%s” in [%s] is empty or not text"), key, group);
  return invalid (error, name, what);
}

/* A number of [imaging] in (0, @max], 0 when absent. */
static gboolean
read_number (GKeyFile    *kf,
             const char  *key,
             double       max,
             double      *out,
             const char  *name,
             GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *what = NULL;

  *out = 0;
  if (!g_key_file_has_key (kf, "imaging", key, NULL))
    return TRUE;
  *out = g_key_file_get_double (kf, "imaging", key, &local);
  if (local == NULL && *out > 0 && *out <= max && isfinite (*out))
    return TRUE;
  what = g_strdup_printf (_("“%s” in [imaging] must be a number above 0 and at most %g"), key, max);
  return invalid (error, name, what);
}

/* pitch_mm: one number (square pixels) or x;y. */
static gboolean
read_pitch (GKeyFile    *kf,
            DlProfile   *self,
            const char  *name,
            GError     **error)
{
  g_autofree double *list = NULL;
  gsize n = 0;

  if (!g_key_file_has_key (kf, "imaging", "pitch_mm", NULL))
    return TRUE;
  list = g_key_file_get_double_list (kf, "imaging", "pitch_mm", &n, NULL);
  if (list == NULL || (n != 1 && n != 2) || !(list[0] > 0 && list[0] <= 1000)
      || !(list[n - 1] > 0 && list[n - 1] <= 1000))
    return invalid (error, name, _("“pitch_mm” in [imaging] must be one or two numbers of millimetres (x;y)"));
  self->pitch_x_mm = list[0];
  self->pitch_y_mm = list[n - 1];
  return TRUE;
}

static gboolean
read_folders (GKeyFile    *kf,
              DlProfile   *self,
              const char  *name,
              GError     **error)
{
  if (!g_key_file_has_key (kf, "identity", "folders", NULL))
    return TRUE;
  self->folders = g_key_file_get_string_list (kf, "identity", "folders", NULL, NULL);
  for (guint i = 0; self->folders && self->folders[i]; i++)
    if (!g_path_is_absolute (self->folders[i]))
      return invalid (error, name, _("the folders in [identity] must be absolute paths"));
  return TRUE;
}

static gboolean
read_identity (GKeyFile    *kf,
               DlProfile   *self,
               const char  *name,
               GError     **error)
{
  return read_text (kf, "identity", "named", &self->named, name, error)
         && read_text (kf, "identity", "make", &self->make, name, error)
         && read_text (kf, "identity", "model", &self->model, name, error)
         && read_text (kf, "identity", "serial", &self->serial, name, error)
         && read_folders (kf, self, name, error);
}

static gboolean
read_imaging (GKeyFile    *kf,
              DlProfile   *self,
              const char  *name,
              GError     **error)
{
  if (!read_number (kf, "energy_high_mev", 50, &self->energy_high_mev, name, error)
      || !read_number (kf, "energy_low_mev", 50, &self->energy_low_mev, name, error)
      || !read_number (kf, "i0", 65535, &self->i0, name, error)
      || !read_number (kf, "blur_sigma_px", 10, &self->blur_sigma_px, name, error)
      || !read_number (kf, "effective_high_mev", 50, &self->effective_high_mev, name, error)
      || !read_number (kf, "effective_low_mev", 50, &self->effective_low_mev, name, error)
      || !read_number (kf, "photons_high", 1e9, &self->photons_high, name, error)
      || !read_number (kf, "photons_low", 1e9, &self->photons_low, name, error)
      || !read_number (kf, "noise_floor", 1000, &self->noise_floor, name, error)
      || !read_pitch (kf, self, name, error))
    return FALSE;
  if (self->energy_low_mev > 0 && self->energy_high_mev > 0 && !(self->energy_low_mev < self->energy_high_mev))
    return invalid (error, name, _("the low energy must be below the high one"));
  if (self->effective_low_mev > 0 && self->effective_high_mev > 0
      && !(self->effective_low_mev < self->effective_high_mev))
    return invalid (error, name, _("the low effective energy must be below the high one"));
  return TRUE;
}

/* Material must not depend on render (HACKING): these are render's
 * presets and built-in colour maps, which tests/test-profile.c keeps equal. */
static const char * const display_presets[] = { "full", "auto", "high-penetration", "light-goods", NULL };
static const char * const display_colormaps[] = { "gray", "viridis", "turbo", NULL };

const char * const *
dl_profile_display_presets (void)
{
  return display_presets;
}

const char * const *
dl_profile_display_colormaps (void)
{
  return display_colormaps;
}

/* @key of [display], when present, one of @names. */
static gboolean
read_name (GKeyFile           *kf,
           const char         *key,
           const char * const *names,
           char              **out,
           const char         *name,
           GError            **error)
{
  g_autofree char *list = NULL, *what = NULL;

  if (!read_text (kf, "display", key, out, name, error))
    return FALSE;
  if (*out == NULL || g_strv_contains (names, *out))
    return TRUE;
  list = g_strjoinv (", ", (char **) names);
  what = g_strdup_printf (_("“%s” in [display] is “%s”, not one of %s"), key, *out, list);
  g_clear_pointer (out, g_free);
  return invalid (error, name, what);
}

/* window=LOW;HIGH: stored values, 0 ≤ LOW < HIGH ≤ 65535, HIGH above 1 (a
 * density window, −ln (max (v, 1) / I0), is not empty). */
static gboolean
read_window (GKeyFile    *kf,
             DlProfile   *self,
             const char  *name,
             GError     **error)
{
  g_autofree double *list = NULL;
  gsize n = 0;

  if (!g_key_file_has_key (kf, "display", "window", NULL))
    return TRUE;
  list = g_key_file_get_double_list (kf, "display", "window", &n, NULL);
  if (list == NULL || n != 2 || !(list[0] >= 0 && list[0] < list[1] && list[1] > 1 && list[1] <= 65535))
    return invalid (error, name, _("“window” in [display] must be two stored values LOW;HIGH, 0 ≤ LOW < HIGH ≤ 65535 and HIGH above 1"));
  self->has_display_window = TRUE;
  self->display_low = list[0];
  self->display_high = list[1];
  return TRUE;
}

static gboolean
read_display (GKeyFile    *kf,
              DlProfile   *self,
              const char  *name,
              GError     **error)
{
  if (!read_name (kf, "preset", display_presets, &self->display_preset, name, error)
      || !read_name (kf, "colormap", display_colormaps, &self->display_colormap, name, error)
      || !read_window (kf, self, name, error))
    return FALSE;
  if (self->display_preset && self->has_display_window)
    return invalid (error, name, _("[display] gives both a preset and a window: give one"));
  return TRUE;
}

static gboolean
read_calibration (GKeyFile    *kf,
                  DlProfile   *self,
                  const char  *name,
                  GError     **error)
{
  g_autoptr(GError) local = NULL;

  if (!g_key_file_has_group (kf, "calibration"))
    return invalid (error, name, _("it has no [calibration]"));
  self->calibration = dl_calibration_from_key_file (kf, &local);
  if (self->calibration == NULL)
    return invalid (error, name, local->message);
  /* the calibration is known by the profile's id, whatever it says */
  g_free (self->calibration->profile);
  self->calibration->profile = g_strdup (self->id);
  if (self->calibration->has_mass && self->calibration->blur_sigma == 0)
    self->calibration->blur_sigma = self->blur_sigma_px;
  return TRUE;
}

static DlProfile *
profile_from_key_file (GKeyFile    *kf,
                       const char  *name,
                       GError     **error)
{
  g_autoptr(DlProfile) self = g_new0 (DlProfile, 1);

  g_atomic_ref_count_init (&self->ref_count);
  if (!read_text (kf, "profile", "id", &self->id, name, error)
      || !read_text (kf, "profile", "name", &self->name, name, error))
    return NULL;
  if (self->id == NULL)
    return invalid (error, name, _("it has no id in [profile]")), NULL;
  if (self->name == NULL)
    self->name = g_strdup (self->id);
  if (!read_identity (kf, self, name, error) || !read_imaging (kf, self, name, error)
      || !read_display (kf, self, name, error)
      || !read_calibration (kf, self, name, error))
    return NULL;
  return g_steal_pointer (&self);
}

DlProfile *
dl_profile_load_bytes (GBytes      *bytes,
                       const char  *name,
                       GError     **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (bytes != NULL && name != NULL, NULL);

  if (!g_key_file_load_from_bytes (kf, bytes, G_KEY_FILE_NONE, &local))
    return invalid (error, name, local->message), NULL;
  return profile_from_key_file (kf, name, error);
}

DlProfile *
dl_profile_load (const char  *path,
                 GError     **error)
{
  g_autoptr(GMappedFile) file = dl_map_regular_file (path, PROFILE_MAX_BYTES, error);
  g_autoptr(GBytes) bytes = file ? g_mapped_file_get_bytes (file) : NULL;
  DlProfile *self;

  if (bytes == NULL)
    return NULL;
  self = dl_profile_load_bytes (bytes, path, error);
  if (self)
    self->path = g_strdup (path);
  return self;
}

const char *
dl_profile_match_describe (DlProfileMatch match)
{
  switch (match)
    {
    case DL_PROFILE_MATCH_CHOSEN: return _("chosen by a person");
    case DL_PROFILE_MATCH_NAMED: return _("named by the scan");
    case DL_PROFILE_MATCH_SERIAL: return _("by the scanner’s make, model and serial number");
    case DL_PROFILE_MATCH_MODEL: return _("by the scanner’s make and model");
    case DL_PROFILE_MATCH_REMEMBERED: return _("chosen before for this scanner, and remembered");
    case DL_PROFILE_MATCH_FOLDER: return _("by the folder the scan came from");
    case DL_PROFILE_MATCH_NONE:
    default: return _("no profile is for this scan");
    }
}

/* ---- the profiles a workstation knows ---------------------------------------- */

struct _DlProfiles
{
  GPtrArray *profiles;   /* DlProfile, in the order added */
  GPtrArray *problems;   /* char *, NULL-terminated */
  char      *choices;    /* the remembered choices' file, or NULL */
};

DlProfiles *
dl_profiles_new (void)
{
  DlProfiles *self = g_new0 (DlProfiles, 1);

  self->profiles = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_profile_unref);
  self->problems = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  return self;
}

void
dl_profiles_free (DlProfiles *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->profiles);
  g_ptr_array_unref (self->problems);
  g_free (self->choices);
  g_free (self);
}

/* Adds @profile, in place of one with the same id. */
void
dl_profiles_add (DlProfiles *self,
                 DlProfile  *profile)
{
  for (guint i = 0; i < self->profiles->len; i++)
    if (strcmp (((DlProfile *) g_ptr_array_index (self->profiles, i))->id, profile->id) == 0)
      {
        g_ptr_array_remove_index (self->profiles, i);
        break;
      }
  g_ptr_array_add (self->profiles, dl_profile_ref (profile));
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/* Adds every *.ini of @folder (in name order); a file that is no profile
 * is left out and said in the problems.  Returns how many were added. */
guint
dl_profiles_add_folder (DlProfiles *self,
                        const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *entry;
  guint added = 0;

  while (dir && (entry = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (entry, ".ini"))
      g_ptr_array_add (names, g_build_filename (folder, entry, NULL));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DlProfile) p = dl_profile_load (g_ptr_array_index (names, i), &error);

      if (p == NULL)
        {
          g_ptr_array_add (self->problems, g_strdup (error->message));
          continue;
        }
      dl_profiles_add (self, p);
      added++;
    }
  return added;
}

GPtrArray *
dl_profiles_list (DlProfiles *self)
{
  return self->profiles;
}

void
dl_profiles_set_choices (DlProfiles *self,
                         const char *path)
{
  g_free (self->choices);
  self->choices = g_strdup (path);
}

const char *
dl_profiles_get_choices (DlProfiles *self)
{
  return self->choices;
}

const char * const *
dl_profiles_get_problems (DlProfiles *self)
{
  static const char * const none[] = { NULL };

  /* a null-terminated array that never held anything has no pdata yet */
  return self->problems->pdata ? (const char * const *) self->problems->pdata : none;
}

DlProfile *
dl_profiles_lookup (DlProfiles *self,
                    const char *id)
{
  for (guint i = 0; id && i < self->profiles->len; i++)
    {
      DlProfile *p = g_ptr_array_index (self->profiles, i);

      if (strcmp (p->id, id) == 0)
        return p;
    }
  return NULL;
}

/* ---- matching ------------------------------------------------------------------ */

static gboolean
matches (const char *pattern,
         const char *value)
{
  g_autofree char *p = NULL, *v = NULL, *stripped = NULL;

  if (pattern == NULL || value == NULL)
    return FALSE;
  p = g_utf8_casefold (pattern, -1);
  stripped = g_strstrip (g_strdup (value));
  v = g_utf8_casefold (stripped, -1);
  return g_pattern_match_simple (p, v);
}

/* Whether @path lies below @folder. */
static gboolean
below (const char *folder,
       const char *path)
{
  g_autofree char *f = g_canonicalize_filename (folder, NULL);
  g_autofree char *p = path ? g_canonicalize_filename (path, NULL) : NULL;
  gsize n = strlen (f);

  return p && strncmp (p, f, n) == 0 && (p[n] == '/' || (n > 0 && f[n - 1] == '/'));
}

static DlProfileMatch
match_one (const DlProfile *p,
           DlScan          *scan,
           const char      *named)
{
  const char *make = dl_scan_get_metadata (scan, "make");
  const char *model = dl_scan_get_metadata (scan, "model");
  const char *serial = dl_scan_get_metadata (scan, "serial");

  if (p->named && named && strcmp (p->named, named) == 0)
    return DL_PROFILE_MATCH_NAMED;
  if (p->make && p->model && matches (p->make, make) && matches (p->model, model))
    {
      if (p->serial == NULL)
        return DL_PROFILE_MATCH_MODEL;
      if (matches (p->serial, serial))
        return DL_PROFILE_MATCH_SERIAL;
    }
  for (guint i = 0; p->folders && p->folders[i]; i++)
    if (below (p->folders[i], dl_scan_get_source_path (scan)))
      return DL_PROFILE_MATCH_FOLDER;
  return DL_PROFILE_MATCH_NONE;
}

/* What the scan's description calls its profile ({"doorlicht": {"profile": …}}). */
static char *
named_profile (DlScan *scan)
{
  const char *text = dl_scan_get_metadata (scan, "profile");

  return g_strdup (text);
}

/* The profile whose identity fits @scan best (named, then serial, make
 * and model, then folder; the later-added among equals), or NULL. */
DlProfile *
dl_profiles_match (DlProfiles     *self,
                   DlScan         *scan,
                   DlProfileMatch *how)
{
  g_autofree char *named = named_profile (scan);
  DlProfileMatch best = DL_PROFILE_MATCH_NONE;
  DlProfile *found = NULL;

  for (guint i = 0; i < self->profiles->len; i++)
    {
      DlProfile *p = g_ptr_array_index (self->profiles, i);
      DlProfileMatch m = match_one (p, scan, named);

      if (m != DL_PROFILE_MATCH_NONE && (best == DL_PROFILE_MATCH_NONE || m <= best))
        best = m, found = p;
    }
  if (best == DL_PROFILE_MATCH_NONE || best > DL_PROFILE_MATCH_REMEMBERED)
    {
      g_autofree char *id = dl_profile_choices_lookup (self->choices, scan);
      DlProfile *chosen = dl_profiles_lookup (self, id);

      if (chosen != NULL)
        best = DL_PROFILE_MATCH_REMEMBERED, found = chosen;
    }
  if (how)
    *how = best;
  return found;
}

/* ---- the workstation's profiles -------------------------------------------------- */

char **
dl_profiles_default_folders (void)
{
  const char *env = g_getenv ("DOORLICHT_PROFILE_PATH");
  const char * const *system = g_get_system_config_dirs ();
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  if (env != NULL)
    return g_strsplit (env, G_SEARCHPATH_SEPARATOR_S, -1);
  /* the system's first, so that a user's own may replace them */
  for (guint i = 0; system[i]; i++)
    {
      g_autofree char *folder = g_build_filename (system[i], "doorlicht", "profiles", NULL);

      g_strv_builder_add (b, folder);
    }
  {
    g_autofree char *own = g_build_filename (g_get_user_config_dir (), "doorlicht", "profiles", NULL);

    g_strv_builder_add (b, own);
  }
  return g_strv_builder_end (b);
}

static void
add_builtin (DlProfiles *self)
{
  static const char *builtin[] = { "synthetic-6-4MeV.ini" };

  for (guint i = 0; i < G_N_ELEMENTS (builtin); i++)
    {
      g_autofree char *path = g_strconcat ("/nl/doorlicht/libdoorlicht/profiles/", builtin[i], NULL);
      g_autoptr(GBytes) bytes = g_resource_lookup_data (dl_profiles_get_resource (), path, 0, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(DlProfile) p = bytes ? dl_profile_load_bytes (bytes, builtin[i], &error) : NULL;

      if (p == NULL)
        g_error ("The built-in scanner profile %s is unusable (%s)", builtin[i], error ? error->message : "missing");
      dl_profiles_add (self, p);
    }
}

static DlProfiles *
load_default (void)
{
  DlProfiles *self = dl_profiles_new ();
  g_auto(GStrv) folders = dl_profiles_default_folders ();
  g_autofree char *choices = dl_profile_choices_default_path ();

  add_builtin (self);
  dl_profiles_set_choices (self, choices);
  for (guint i = 0; folders[i]; i++)
    if (*folders[i] != '\0')
      dl_profiles_add_folder (self, folders[i]);
  for (guint i = 0; i < self->problems->len; i++)
    g_warning ("%s", (const char *) g_ptr_array_index (self->problems, i));
  return self;
}

DlProfiles *
dl_profiles_get_default (void)
{
  static DlProfiles *profiles;

  if (g_once_init_enter (&profiles))
    g_once_init_leave (&profiles, load_default ());
  return profiles;
}

DlProfile *
dl_scan_choose_profile (DlScan         *scan,
                        DlProfileMatch *how)
{
  return dl_profiles_match (dl_profiles_get_default (), scan, how);
}

const DlCalibration *
dl_calibration_for_scan (DlScan   *scan,
                         gboolean *calibrated)
{
  DlProfile *p = dl_scan_choose_profile (scan, NULL);

  if (calibrated)
    *calibrated = p != NULL;
  return p ? p->calibration : dl_calibration_get_default ();
}
