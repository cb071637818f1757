/* dl-view-state.h — what the analyst is looking at: window, zoom and pan.
 * One DlViewState shared by several scan views keeps them synchronised.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-overlay.h"
#include "dl-presets.h"
#include "dl-windowing.h"

G_BEGIN_DECLS

#define DL_ZOOM_MIN (1.0 / 256.0)
#define DL_ZOOM_MAX 64.0

#define DL_TYPE_VIEW_STATE (dl_view_state_get_type ())
G_DECLARE_FINAL_TYPE (DlViewState, dl_view_state, DL, VIEW_STATE, GObject)

DlViewState *dl_view_state_new            (void);
void         dl_view_state_get_windowing  (DlViewState       *self,
                                           DlWindowing       *windowing);
void         dl_view_state_set_windowing  (DlViewState       *self,
                                           const DlWindowing *windowing);
void         dl_view_state_set_window     (DlViewState       *self,
                                           double             center,
                                           double             width);
void         dl_view_state_apply_preset   (DlViewState       *self,
                                           DlPreset           preset,
                                           const DlHistogram *histogram);
void         dl_view_state_adjust_window  (DlViewState       *self,
                                           double             d_center,
                                           double             d_width);
void         dl_view_state_set_space      (DlViewState       *self,
                                           DlSpace            space);
gboolean     dl_view_state_get_dense_light (DlViewState     *self);
void         dl_view_state_set_dense_light (DlViewState     *self,
                                            gboolean         light);
double       dl_view_state_get_zoom       (DlViewState       *self);
void         dl_view_state_set_zoom       (DlViewState       *self,
                                           double             zoom);
gboolean     dl_view_state_get_fit        (DlViewState       *self);
void         dl_view_state_set_fit        (DlViewState       *self,
                                           gboolean           fit);
void         dl_view_state_get_focus      (DlViewState       *self,
                                           double            *x,
                                           double            *y);
void         dl_view_state_set_focus      (DlViewState       *self,
                                           double             x,
                                           double             y);
void         dl_view_state_zoom_at        (DlViewState       *self,
                                           double             factor,
                                           double             image_x,
                                           double             image_y);

gboolean     dl_view_state_has_overlay    (DlViewState       *self);
gboolean     dl_view_state_add_band       (DlViewState       *self);
void         dl_view_state_clear_bands    (DlViewState       *self);
guint        dl_view_state_get_bands      (DlViewState       *self,
                                           DlBand            *bands,
                                           guint              max);
void         dl_view_state_get_overlay    (DlViewState       *self,
                                           DlOverlay         *overlay);

G_END_DECLS
