/* dl-histogram-view.h — the histogram of the active channel with the
 * window drawn over it; its two handles and the band between them drag.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "dl-histogram.h"
#include "dl-view-state.h"

G_BEGIN_DECLS

#define DL_TYPE_HISTOGRAM_VIEW (dl_histogram_view_get_type ())
G_DECLARE_FINAL_TYPE (DlHistogramView, dl_histogram_view, DL, HISTOGRAM_VIEW, GtkWidget)

void dl_histogram_view_set_state     (DlHistogramView   *self,
                                      DlViewState       *state);
void dl_histogram_view_set_histogram (DlHistogramView   *self,
                                      const DlHistogram *histogram);
double dl_histogram_view_x_for       (DlHistogramView   *self,
                                      double             x_in_space);

G_END_DECLS
