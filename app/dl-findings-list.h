/* dl-findings-list.h — the detectors' findings of the scan shown, listed
 * with the hints on the manifest page: each its kind, score, explanation,
 * detector and the analyst's response; "Looking for findings…" while the
 * detectors run, "No findings" when there are none, a detector's error in
 * one line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "dl-session-findings.h"

G_BEGIN_DECLS

#define DL_TYPE_FINDINGS_LIST (dl_findings_list_get_type ())
G_DECLARE_FINAL_TYPE (DlFindingsList, dl_findings_list, DL, FINDINGS_LIST, GtkBox)

GtkWidget *dl_findings_list_new          (void);
/* The findings listed (followed as they change); NULL: none. */
void       dl_findings_list_set_findings (DlFindingsList    *self,
                                          DlSessionFindings *findings);
/* Selects finding @index's row (G_MAXUINT: none) without
 * "finding-selected"; the selected one, or G_MAXUINT. */
void       dl_findings_list_select       (DlFindingsList    *self,
                                          guint              index);
guint      dl_findings_list_get_selected (DlFindingsList    *self);
/* A translated name of a finding's @kind (the word itself, isolated,
 * for a kind it does not know). */
char      *dl_findings_list_kind_name    (const char        *kind);

G_END_DECLS
