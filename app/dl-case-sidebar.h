/* dl-case-sidebar.h — the case queue beside the scan: search by container
 * number, filters (new, mine, awaiting review, returned, approved), sort,
 * and the list of cases.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "dl-case-queue.h"

G_BEGIN_DECLS

#define DL_TYPE_CASE_SIDEBAR (dl_case_sidebar_get_type ())
G_DECLARE_FINAL_TYPE (DlCaseSidebar, dl_case_sidebar, DL, CASE_SIDEBAR, GtkBox)

void         dl_case_sidebar_set_queue    (DlCaseSidebar *self,
                                           DlCaseQueue   *queue);
DlCaseQueue *dl_case_sidebar_get_queue    (DlCaseSidebar *self);
/* Selects the case (and emits "case-selected"); FALSE when not listed. */
gboolean     dl_case_sidebar_select       (DlCaseSidebar *self,
                                           const char    *case_id);
/* Moves the selection by @delta rows; FALSE at an end. */
gboolean     dl_case_sidebar_step         (DlCaseSidebar *self,
                                           int            delta);
const char  *dl_case_sidebar_get_selected (DlCaseSidebar *self);
void         dl_case_sidebar_focus_search (DlCaseSidebar *self);

G_END_DECLS
