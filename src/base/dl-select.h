/* dl-select.h — the k-th smallest of n values without sorting them all:
 * a quantile in linear time, the same value a sort would put at k.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

float dl_select_float (float *v,
                       gsize  n,
                       gsize  k);

G_END_DECLS
