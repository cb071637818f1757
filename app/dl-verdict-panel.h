/* dl-verdict-panel.h — the case page beside the scan: the verdict so far,
 * recording one (reasons, a note, one key per decision) and, for a
 * supervisor, reviewing it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "dl-case-file.h"

G_BEGIN_DECLS

#define DL_TYPE_VERDICT_PANEL (dl_verdict_panel_get_type ())
G_DECLARE_FINAL_TYPE (DlVerdictPanel, dl_verdict_panel, DL, VERDICT_PANEL, GtkBox)

/* Shows @case_id of @case_file (both may be NULL: no case). */
void   dl_verdict_panel_set_case     (DlVerdictPanel *self,
                                      DlCaseFile     *case_file,
                                      const char     *case_id);
void   dl_verdict_panel_refresh      (DlVerdictPanel *self);
/* The reasons ticked (ids), %NULL-ended; free with g_strfreev. */
GStrv  dl_verdict_panel_dup_reasons  (DlVerdictPanel *self);
const char *dl_verdict_panel_get_note    (DlVerdictPanel *self);
const char *dl_verdict_panel_get_comment (DlVerdictPanel *self);
/* Empties the reasons, note and comment (after they were recorded). */
void   dl_verdict_panel_clear_input  (DlVerdictPanel *self);
/* The key (with Ctrl) of reason @index of dl_verdict_reason_ids (): 1 … 9, 0. */
guint  dl_verdict_panel_reason_key   (guint           index);
void   dl_verdict_panel_toggle_reason (DlVerdictPanel *self,
                                       guint           index);
/* Focus into the page: the review comment, or the first reason. */
void   dl_verdict_panel_focus        (DlVerdictPanel *self);
void   dl_verdict_panel_focus_note   (DlVerdictPanel *self);
/* Seize without a reason: says that one is needed, focus on the reasons. */
void   dl_verdict_panel_ask_reason   (DlVerdictPanel *self);
gboolean dl_verdict_panel_get_asking_reason (DlVerdictPanel *self);
const char *dl_verdict_panel_get_case_id (DlVerdictPanel *self);

G_END_DECLS
