/* dl-manifest-panel.h — the declared cargo beside the scan: transport and
 * parties, containers with their seals and check-digit badge, goods lines,
 * and the consistency hints that compare them with the image.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "dl-findings-list.h"
#include "dl-manifest.h"

G_BEGIN_DECLS

#define DL_TYPE_MANIFEST_PANEL (dl_manifest_panel_get_type ())
G_DECLARE_FINAL_TYPE (DlManifestPanel, dl_manifest_panel, DL, MANIFEST_PANEL, GtkBox)

GtkWidget  *dl_manifest_panel_new          (void);
/* @manifest may be NULL: the panel says there is none. */
void        dl_manifest_panel_set_manifest (DlManifestPanel  *self,
                                            DlManifest       *manifest);
DlManifest *dl_manifest_panel_get_manifest (DlManifestPanel  *self);
/* What the scan showed against the declaration: a summary of the
 * measurement and the hints where they disagree (both may be NULL). */
void        dl_manifest_panel_set_hints    (DlManifestPanel  *self,
                                            const char       *summary,
                                            const char * const *hints);
/* The container whose row is selected, or NULL. */
const char *dl_manifest_panel_get_selected_container (DlManifestPanel *self);

/* While the check still runs: "Checking against the scan…" in its place. */
void        dl_manifest_panel_set_checking (DlManifestPanel  *self,
                                            gboolean          checking);

/* The findings of the scan, listed below the hints. */
DlFindingsList *dl_manifest_panel_get_findings_list (DlManifestPanel *self);

G_END_DECLS
