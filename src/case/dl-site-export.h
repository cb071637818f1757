/* dl-site-export.h — a site store's cases out to a signed case file and
 * back, its whole audit trail checked, and its cases listed, as the case
 * file does each (dl-case-file.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-case-file.h"
#include "dl-site.h"

G_BEGIN_DECLS

/* A signed export of @case_ids made exactly as dl_case_file_export ()
 * makes one (the same meta rows and signature, the events re-chained by
 * the site's identity), from the site's events of those cases, with their
 * rows and scan images.  Each event's content hash and signature are
 * checked as it is copied: a bad one stops the export with an error
 * naming it, and no file is left. */
gboolean        dl_site_export     (DlSite             *self,
                                    const char * const *case_ids,
                                    const char         *path,
                                    GError            **error);
/* Merges the signed export at @path, verified first as
 * dl_case_file_import () verifies it: its events the site lacks (by id)
 * appended with their rows after one "import" event of the site's
 * identity, in one transaction; only a supervisor may (the database
 * refuses anyone else).  *@n_added: how many events (0: nothing added). */
gboolean        dl_site_import     (DlSite             *self,
                                    const char         *path,
                                    guint              *n_added,
                                    GError            **error);
/* The site's whole chain checked as dl_case_file_verify () checks a case
 * file's: each event's content hash and signature, the chain hashes and
 * the appenders' signatures, each audited row against its event, every
 * scan image's SHA-256, and the chain head the site keeps. */
DlVerifyReport *dl_site_verify     (DlSite             *self,
                                    GError            **error);
/* The site's cases as dl_case_file_list_cases () lists a file's
 * (DlCaseSummary); "mine" means the connection's login unless
 * @query->mine_login says otherwise. */
GPtrArray      *dl_site_list_cases (DlSite             *self,
                                    const DlCaseQuery  *query,
                                    GError            **error);
/* The same, read a row at a time when asked for (the app's queue: 100 000
 * cases make no 100 000 summaries before the first frame). */
typedef struct _DlSiteCaseRows DlSiteCaseRows;

DlSiteCaseRows *dl_site_list_case_rows  (DlSite             *self,
                                         const DlCaseQuery  *query,
                                         GError            **error);
guint           dl_site_case_rows_get_n (DlSiteCaseRows     *rows);
/* Row @i's summary (a new one at each call). */
DlCaseSummary  *dl_site_case_rows_read  (DlSiteCaseRows     *rows,
                                         guint               i);
void            dl_site_case_rows_free  (DlSiteCaseRows     *rows);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlSiteCaseRows, dl_site_case_rows_free)

/* The verdict list as CSV, as dl_case_file_write_csv () writes a file's. */
gboolean        dl_site_write_csv  (DlSite             *self,
                                    const char         *path,
                                    GError            **error);
/* @case_id's PDF report as dl_case_file_write_report () writes it from a
 * case file (windowed automatically): the report names the site (without
 * a password) where the file's path would be, and the site's chain head. */
gboolean        dl_site_write_report (DlSite           *self,
                                      const char       *case_id,
                                      const char       *path,
                                      GError          **error);
/* @case_id's findings with the responses to them, as
 * dl_case_file_get_findings () gives a file's (DlCaseFinding). */
GPtrArray      *dl_site_get_findings (DlSite           *self,
                                      const char       *case_id,
                                      GError          **error);

G_END_DECLS
