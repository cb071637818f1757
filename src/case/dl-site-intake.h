/* dl-site-intake.h — taking scans from the folders scanners export into
 * and queueing them as new cases of a site store (dl-site.h).
 *
 * A file is taken once it is complete.  Whether a scanner still has it
 * open for writing cannot be known portably (no lock is required of it),
 * so the rule is stability: its size and modification time (and those of
 * its sidecar manifest) unchanged over the settle interval.  A scanner
 * that pauses longer than that mid-file must write under a temporary name
 * (hidden, or ending in .part, .tmp, .partial or ~: never taken) and
 * rename it when done.
 *
 * Intake never modifies, moves or deletes a file.  A file taken is hashed
 * (SHA-256), read with the scan readers and matched with its manifest:
 *   1. a sidecar of the same basename: BASE.manifest.json, BASE.cuscar.edi,
 *      BASE.edi, BASE.csv (any form dl_manifest_load_bytes () reads);
 *   2. else an ISO 6346 container number with a valid check digit in the
 *      scan's metadata or in its file name, looked up among the other
 *      manifests of the same folder (files ending in .json, .edi, .csv,
 *      stable as scans must be).
 * It becomes one new case with its scan (the bytes stored by their
 * SHA-256) and its manifest, in one transaction with their signed events.
 * A manifest that comes after its scan was taken is attached later, once:
 * a settled manifest file naming a container that the title of a waiting
 * case without a manifest names (intake's titles and `case add`'s name
 * the container), or a sidecar that appears beside a scan already taken
 * while its case waits without one, is recorded for that case with its
 * signed event (the callback is told, with the manifest's path; its
 * sha256 is %NULL).
 * A file the readers refuse is queued all the same, its bytes stored, as
 * a case whose title says why.  A file whose SHA-256 the site already
 * holds (taken before, by any run or any intake) is not taken again.
 *
 * Files, not folders: sub-folders are not entered; what is not a regular
 * file is passed over.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "dl-manifest.h"
#include "dl-site.h"

G_BEGIN_DECLS

#define DL_SITE_INTAKE_DEFAULT_SETTLE 5

/* A file taken. */
typedef struct
{
  char     *case_id;
  char     *path;
  char     *sha256;     /* %NULL: a manifest attached later (path is its) */
  gboolean  readable;   /* FALSE: queued as a case saying why */
  char     *matched;    /* how its manifest was found, or why none / why unreadable */
} DlSiteIntakeItem;

void dl_site_intake_item_free (DlSiteIntakeItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlSiteIntakeItem, dl_site_intake_item_free)

/* Called for each file taken, and for each that could not be (@item
 * %NULL, @error set: the file is tried again on the next look). */
typedef void (*DlSiteIntakeFunc) (const DlSiteIntakeItem *item,
                                  const char             *path,
                                  const GError           *error,
                                  gpointer                user_data);

#define DL_TYPE_SITE_INTAKE (dl_site_intake_get_type ())
G_DECLARE_FINAL_TYPE (DlSiteIntake, dl_site_intake, DL, SITE_INTAKE, GObject)

/* @site must have an identity (dl_site_set_identity ()). */
DlSiteIntake *dl_site_intake_new        (DlSite            *site,
                                         guint              settle_seconds,
                                         DlSiteIntakeFunc   func,
                                         gpointer           user_data);
gboolean      dl_site_intake_add_folder (DlSiteIntake      *self,
                                         const char        *folder,
                                         GError           **error);
/* One look at the folders: each file unchanged since it was first seen
 * unchanged for the settle interval is taken.  Returns how many files
 * are still settling (or could not be taken). */
guint         dl_site_intake_poll       (DlSiteIntake      *self);
/* A look, the settle interval, a second look: one pass (--once).  Files
 * still changing are left for the next run; their paths in *@unsettled
 * (may be %NULL; not those that could not be taken, which the callback
 * was told of).  %FALSE when a file could not be taken. */
gboolean      dl_site_intake_run_once   (DlSiteIntake      *self,
                                         GPtrArray        **unsettled);
/* Watches the folders (GFileMonitor, and a look every @rescan_seconds
 * for what a monitor misses) from the thread-default main context until
 * dl_site_intake_stop (). */
gboolean      dl_site_intake_watch      (DlSiteIntake      *self,
                                         guint              rescan_seconds,
                                         GError           **error);
void          dl_site_intake_stop       (DlSiteIntake      *self);

/* dl-site-intake.c: the manifest recorded for @case_id (the latest
 * replaces earlier ones), with its signed event; its id. */
char         *dl_site_add_manifest      (DlSite            *site,
                                         const char        *case_id,
                                         const DlManifest  *manifest,
                                         GError           **error);

/* The first ISO 6346 container number with a valid check digit in
 * @text (upper-cased), or %NULL. */
char         *dl_site_intake_find_container (const char    *text);

G_END_DECLS
