/* dl-case-queue.h — the cases of a case file as a list model for the
 * analyst's queue: filtered (new, mine, awaiting review, returned …),
 * searched by container number, sorted; reloaded when the file changes.
 * Or the cases of a site store (dl-site.h), the same way.
 *
 * Items are DlCaseItem objects, one per case, each wrapping the case's
 * DlCaseSummary.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "dl-case-file.h"
#include "dl-site.h"

G_BEGIN_DECLS

#define DL_TYPE_CASE_ITEM (dl_case_item_get_type ())
G_DECLARE_FINAL_TYPE (DlCaseItem, dl_case_item, DL, CASE_ITEM, GObject)

const DlCaseSummary *dl_case_item_get_summary  (DlCaseItem *self);
const char          *dl_case_item_get_id       (DlCaseItem *self);
const char          *dl_case_item_get_title    (DlCaseItem *self);
/* "Clear · A. Analyst", "New", … translated, for the list row */
char                *dl_case_item_describe     (DlCaseItem *self);

#define DL_TYPE_CASE_QUEUE (dl_case_queue_get_type ())
G_DECLARE_FINAL_TYPE (DlCaseQueue, dl_case_queue, DL, CASE_QUEUE, GObject)

DlCaseQueue  *dl_case_queue_new         (DlCaseFile   *case_file);
/* The cases of a site store: reloaded (keeping the order) within a
 * second of another workstation's change, told by LISTEN/NOTIFY. */
DlCaseQueue  *dl_case_queue_new_for_site (DlSite     *site,
                                          GError    **error);
/* The file or the site listed (the other is %NULL). */
DlCaseFile   *dl_case_queue_get_case_file (DlCaseQueue *self);
DlSite       *dl_case_queue_get_site    (DlCaseQueue  *self);
void          dl_case_queue_set_filter  (DlCaseQueue  *self,
                                         DlCaseFilter  filter);
DlCaseFilter  dl_case_queue_get_filter  (DlCaseQueue  *self);
void          dl_case_queue_set_search  (DlCaseQueue  *self,
                                         const char   *search);
const char   *dl_case_queue_get_search  (DlCaseQueue  *self);
void          dl_case_queue_set_sort    (DlCaseQueue  *self,
                                         DlCaseSort    sort);
DlCaseSort    dl_case_queue_get_sort    (DlCaseQueue  *self);
/* Queries the file again, in the order of the sort chosen.  When the file
 * reports a change the queue reloads by itself but keeps its order: the
 * cases listed stay where they are, new ones are appended. */
gboolean      dl_case_queue_reload      (DlCaseQueue  *self,
                                         GError      **error);
/* Position of @case_id in the list, or −1. */
int           dl_case_queue_find        (DlCaseQueue  *self,
                                         const char   *case_id);
/* The first case after position @from (wrapping around) that still needs
 * the analyst's verdict (new or returned), or −1. */
int           dl_case_queue_next_open   (DlCaseQueue  *self,
                                         int           from);

G_END_DECLS
