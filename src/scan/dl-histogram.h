/* dl-histogram.h — a 65536-bin histogram of a plane's stored values.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-scan.h"

G_BEGIN_DECLS

struct _DlHistogram
{
  guint64 counts[65536];
  guint64 total;
  guint16 min;
  guint16 max;
  double  mean;
  /* the histogram of the cargo alone (dl-cargo.h), where the automatic
   * windows are set; %NULL when not looked for or none was found */
  DlHistogram *cargo;
};

DlHistogram *dl_histogram_new         (const guint16     *data,
                                       gsize              n);
DlHistogram *dl_histogram_new_from_counts (const guint64 *counts);
void         dl_histogram_free        (DlHistogram       *self);
guint16      dl_histogram_percentile  (const DlHistogram *self,
                                       double             percent);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlHistogram, dl_histogram_free)

G_END_DECLS
