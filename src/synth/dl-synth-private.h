/* dl-synth-private.h — shared between the generator's files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-synth.h"

G_BEGIN_DECLS

extern const DlMaterialInfo dl_synth_material_table[DL_N_MATERIALS];

G_END_DECLS
