/* dl-parallel.h — splitting work over the processors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Below this many pixels (or samples) of work, threads cost more than they save. */
#define DL_PARALLEL_MIN_WORK (1 << 18)

typedef void (*DlRangeFunc) (gpointer data,
                             int      start,
                             int      end);

void dl_parallel_ranges (int         n,
                         gsize       work,
                         DlRangeFunc func,
                         gpointer    data);

G_END_DECLS
