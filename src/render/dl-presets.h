/* dl-presets.h — window presets: built-in ones computed from the histogram,
 * and the user's own, kept in a key file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-histogram.h"
#include "dl-windowing.h"

G_BEGIN_DECLS

typedef enum
{
  DL_PRESET_FULL_RANGE,        /* the densest cargo … air */
  DL_PRESET_AUTO,              /* 0.5 … 99.5 percentiles of the cargo */
  DL_PRESET_HIGH_PENETRATION,  /* the densest 85 % of the cargo */
  DL_PRESET_LIGHT_GOODS,       /* all but the densest 5 % of the cargo */
  DL_N_PRESETS
} DlPreset;

const char *dl_preset_get_id    (DlPreset           preset);
gboolean    dl_preset_from_id   (const char        *id,
                                 DlPreset          *preset);
const char *dl_preset_get_label (DlPreset           preset);
void        dl_preset_compute   (DlPreset           preset,
                                 const DlHistogram *histogram,
                                 DlWindowing       *windowing);

typedef struct
{
  char       *name;
  DlWindowing windowing;
} DlUserPreset;

void        dl_user_preset_free (DlUserPreset      *preset);
GPtrArray  *dl_user_presets_load (const char       *path,
                                  GError          **error);
gboolean    dl_user_presets_save (const char       *path,
                                  GPtrArray        *presets,
                                  GError          **error);
char       *dl_user_presets_default_path (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlUserPreset, dl_user_preset_free)

G_END_DECLS
