/* dl-select.h — the k-th smallest of n values without sorting them all:
 * a quantile in linear time, the same value a sort would put at k; and
 * the comparisons such a sort takes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

float dl_select_float (float *v,
                       gsize  n,
                       gsize  k);

/* For qsort () and g_array_sort (): ascending, NaN-free values. */
int   dl_compare_float  (gconstpointer a,
                         gconstpointer b);
int   dl_compare_double (gconstpointer a,
                         gconstpointer b);

G_END_DECLS
