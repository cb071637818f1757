/* dl-prefetch.h — the next cases of the queue made ready while the analyst
 * looks at one: each case's scan decoded, pyramided and classified, and
 * checked against its manifest, in a worker thread, within a memory budget,
 * so that the next case shows at once after a verdict.
 *
 * The case file is read on the main thread (its connection is never
 * shared); the decoding and the check run in one worker, one case after the
 * other, in the order asked for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-annotation.h"
#include "dl-case-file.h"
#include "dl-consistency.h"
#include "dl-baplie.h"
#include "dl-manifest.h"
#include "dl-scan.h"

G_BEGIN_DECLS

/* A case made ready: what dl_session_open_case () would have read and
 * computed.  Owned by whoever took it (dl_prefetched_free ()). */
typedef struct
{
  char          *case_id;
  char          *scan_id;
  char          *scan_path;
  char          *sha256;       /* as the case recorded it */
  DlManifest    *manifest;     /* or NULL */
  DlBayPlan     *bay_plan;     /* the case's bay plan entry, or NULL */
  DlAnnotations *marks;
  DlScan        *scan;         /* prepared, with its classes */
  DlConsistency *check;        /* or NULL: no manifest, or check_error */
  char          *check_error;  /* why the check failed, or NULL */
  guint64        memory;       /* bytes the scan holds */
} DlPrefetched;

void dl_prefetched_free (DlPrefetched *prefetched);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlPrefetched, dl_prefetched_free)

/* The budget: an eighth of the physical memory, at most 1 GiB (and at
 * least 128 MiB).  Cases are made ready only while the scans held stay
 * within it: a scan larger than the budget is never prefetched. */
guint64 dl_prefetch_default_budget (void);

#define DL_TYPE_PREFETCH (dl_prefetch_get_type ())
G_DECLARE_FINAL_TYPE (DlPrefetch, dl_prefetch, DL, PREFETCH, GObject)

/* Signals: "ready" (const char *case_id) when a case has been made ready
 * (or failed: then dl_prefetch_take () gives NULL and it is read again the
 * ordinary way). */

DlPrefetch   *dl_prefetch_new         (DlCaseFile         *case_file,
                                       guint64             budget);
/* The cases wanted next, most wanted first (%NULL-ended, at most a few):
 * others made ready or under way are dropped. */
void          dl_prefetch_set_wanted  (DlPrefetch         *self,
                                       const char * const *case_ids);
/* The case if it is ready (and no longer held here), else %NULL. */
DlPrefetched *dl_prefetch_take        (DlPrefetch         *self,
                                       const char         *case_id);
/* Whether @case_id is being made ready now or waits its turn. */
gboolean      dl_prefetch_is_pending  (DlPrefetch         *self,
                                       const char         *case_id);
/* Bytes of the scans held ready (for build-aux/bench). */
guint64       dl_prefetch_get_memory  (DlPrefetch         *self);
guint64       dl_prefetch_get_budget  (DlPrefetch         *self);
/* Drops everything and stops the worker's current case soon. */
void          dl_prefetch_clear       (DlPrefetch         *self);

G_END_DECLS
