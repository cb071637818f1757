/* dl-presets.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-presets"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "dl-presets.h"
#include "dl-regular-file.h"

static const struct
{
  const char *id;
  const char *label;
} builtin[DL_N_PRESETS] = {
  { "full", N_("Full range") },
  { "auto", N_("Auto") },
  { "high-penetration", N_("High penetration") },
  { "light-goods", N_("Light goods") },
};

const char *
dl_preset_get_id (DlPreset preset)
{
  g_return_val_if_fail (preset < DL_N_PRESETS, NULL);
  return builtin[preset].id;
}

const char *
dl_preset_get_label (DlPreset preset)
{
  g_return_val_if_fail (preset < DL_N_PRESETS, NULL);
  return _(builtin[preset].label);
}

gboolean
dl_preset_from_id (const char *id,
                   DlPreset   *preset)
{
  for (guint i = 0; i < DL_N_PRESETS; i++)
    if (g_strcmp0 (id, builtin[i].id) == 0)
      {
        *preset = i;
        return TRUE;
      }
  return FALSE;
}

/* Sets centre and width so the window spans [lo, hi] in the windowing's
 * own space; a degenerate span gets the smallest useful width. */
static void
set_span (DlWindowing *w,
          double       lo,
          double       hi)
{
  double min_width = w->space == DL_SPACE_DENSITY ? 1e-3 : 1.0;

  if (hi < lo)
    {
      double t = lo;
      lo = hi;
      hi = t;
    }

  w->width = MAX (hi - lo, min_width);
  w->center = (lo + hi) / 2.0;
}

/* Value bounds → the windowing's space. */
static void
set_value_span (DlWindowing *w,
                double       v_lo,
                double       v_hi)
{
  if (w->space == DL_SPACE_DENSITY)
    set_span (w, dl_density (v_hi, w->i0), dl_density (v_lo, w->i0));
  else
    set_span (w, v_lo, v_hi);
}

/**
 * dl_preset_compute:
 *
 * Sets @windowing's centre and width for @preset from @histogram, in the
 * space (and with the I0) @windowing already has.  All but the full range
 * are set on the cargo (@histogram's cargo histogram, dl-cargo.h, when it
 * has one): with P(q) the cargo's q-th percentile of stored value (dense
 * is low),
 *
 *   auto              P(0.5) … P(99.5)
 *   high penetration  P(0.1) … P(85): all but the thinnest 15 %
 *   light goods       P(5) … P(99.9): all but the densest 5 %: the thin goods
 *   full range        P(0) … the image's maximum (air): everything from
 *                     air to the densest cargo; the detector's dark floor
 *                     (opaque posts, floor edges) does not take half of it
 *
 * as values, or as the densities of those values, d = −ln (v / I0).
 */
void
dl_preset_compute (DlPreset           preset,
                   const DlHistogram *histogram,
                   DlWindowing       *windowing)
{
  const DlHistogram *cargo = histogram->cargo ? histogram->cargo : histogram;
  const double *q;
  static const double bounds[DL_N_PRESETS][2] = {
    [DL_PRESET_AUTO] = { 0.5, 99.5 },
    [DL_PRESET_HIGH_PENETRATION] = { 0.1, 85.0 },
    [DL_PRESET_LIGHT_GOODS] = { 5.0, 99.9 },
  };

  g_return_if_fail (preset < DL_N_PRESETS);

  if (windowing->i0 <= 0)
    windowing->i0 = 65535.0;
  if (preset == DL_PRESET_FULL_RANGE)
    {
      set_value_span (windowing, cargo->min, histogram->max);
      return;
    }
  q = bounds[preset];
  set_value_span (windowing, dl_histogram_percentile (cargo, q[0]), dl_histogram_percentile (cargo, q[1]));
}

void
dl_user_preset_free (DlUserPreset *preset)
{
  g_free (preset->name);
  g_free (preset);
}

char *
dl_user_presets_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "doorlicht", "presets.ini", NULL);
}

static DlUserPreset *
read_preset (GKeyFile    *kf,
             const char  *group,
             GError     **error)
{
  g_autoptr(DlUserPreset) p = g_new0 (DlUserPreset, 1);
  g_autofree char *space = NULL;
  GError *local = NULL;

  dl_windowing_init (&p->windowing);
  p->name = g_key_file_get_string (kf, group, "name", &local);
  if (local == NULL)
    p->windowing.center = g_key_file_get_double (kf, group, "center", &local);
  if (local == NULL)
    p->windowing.width = g_key_file_get_double (kf, group, "width", &local);
  if (local != NULL)
    {
      g_propagate_prefixed_error (error, local, _("Preset “%s”: "), group);
      return NULL;
    }

  if (g_key_file_has_key (kf, group, "gamma", NULL))
    p->windowing.gamma = g_key_file_get_double (kf, group, "gamma", NULL);
  p->windowing.invert = g_key_file_get_boolean (kf, group, "invert", NULL);
  space = g_key_file_get_string (kf, group, "space", NULL);
  p->windowing.space = g_strcmp0 (space, "density") == 0 ? DL_SPACE_DENSITY : DL_SPACE_VALUE;

  if (!dl_windowing_is_valid (&p->windowing))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _("Preset “%s” has an invalid window (width and gamma must be positive)"),
                   p->name);
      return NULL;
    }

  return g_steal_pointer (&p);
}

/**
 * dl_user_presets_load:
 *
 * Returns: (transfer full): the presets in @path; an empty array when the
 * file does not exist, %NULL with @error when it is unreadable or wrong.
 */
GPtrArray *
dl_user_presets_load (const char  *path,
                      GError     **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_user_preset_free);
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_auto(GStrv) groups = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&result);

  /* a named pipe or a device is refused before a read that would wait on it */
  file = dl_map_regular_file (path, 0, error);
  bytes = file ? g_mapped_file_get_bytes (file) : NULL;
  if (bytes == NULL || !g_key_file_load_from_bytes (kf, bytes, G_KEY_FILE_NONE, error))
    return NULL;

  groups = g_key_file_get_groups (kf, NULL);
  for (guint i = 0; groups[i]; i++)
    {
      DlUserPreset *p = read_preset (kf, groups[i], error);
      if (p == NULL)
        return NULL;
      g_ptr_array_add (result, p);
    }

  return g_steal_pointer (&result);
}

gboolean
dl_user_presets_save (const char  *path,
                      GPtrArray   *presets,
                      GError     **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autofree char *dir = g_path_get_dirname (path);

  for (guint i = 0; i < presets->len; i++)
    {
      const DlUserPreset *p = g_ptr_array_index (presets, i);
      g_autofree char *group = g_strdup_printf ("preset-%u", i);

      g_key_file_set_string (kf, group, "name", p->name);
      g_key_file_set_double (kf, group, "center", p->windowing.center);
      g_key_file_set_double (kf, group, "width", p->windowing.width);
      g_key_file_set_double (kf, group, "gamma", p->windowing.gamma);
      g_key_file_set_boolean (kf, group, "invert", p->windowing.invert);
      g_key_file_set_string (kf, group, "space",
                             p->windowing.space == DL_SPACE_DENSITY ? "density" : "value");
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  return g_key_file_save_to_file (kf, path, error);
}
