/* dl-manifest-panel-private.h — what the parts of DlManifestPanel share:
 * its instance structure and the _dl_manifest_panel_… functions.
 *
 *   dl-manifest-panel.c       lifecycle, template, signals, the hints and
 *                             the reader's warnings, public API
 *   dl-manifest-panel-rows.c  the declaration's rows: transport and route,
 *                             containers with their check-digit badge,
 *                             consignments and goods lines, the totals
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "dl-findings-list.h"
#include "dl-manifest-panel.h"

G_BEGIN_DECLS

struct _DlManifestPanel
{
  GtkBox       parent_instance;

  DlManifest  *manifest;
  GStrv        hints;
  gboolean     filling;      /* the hints list is being refilled: no hint-selected */
  char        *summary;
  gboolean     checking;    /* the check of the scan shown still runs */

  AdwStatusPage *empty_page;
  GtkWidget   *content_box;
  GtkWidget   *declaration_box;   /* the declaration's own rows: only with a manifest */
  GtkWidget   *hints_box;
  GtkListBox  *hints_list;
  DlFindingsList *findings_list;
  GtkWidget   *warnings_box;
  GtkLabel    *warnings_heading;
  GtkListBox  *warnings_list;
  GtkListBox  *header_list;
  GtkLabel    *containers_heading;
  GtkListBox  *containers_list;
  GtkLabel    *goods_heading;
  GtkListBox  *goods_list;
  GtkLabel    *totals_label;
};

/* dl-manifest-panel-rows.c: the header list, and the containers and goods
 * lists with their headings and totals, filled from self->manifest */
void _dl_manifest_panel_fill_header (DlManifestPanel *self);
void _dl_manifest_panel_fill_lists  (DlManifestPanel *self);

G_END_DECLS
