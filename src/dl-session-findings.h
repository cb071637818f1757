/* dl-session-findings.h — the findings of the scan the session shows:
 * the built-in detectors run over it in a worker thread once it and its
 * manifest are there (cancelled when the scan changes), or, for a scan of
 * a case, the findings the case file already holds for it; a run's
 * findings are stored in the case, and the analyst's responses go to the
 * case file, audited.  Without a case, findings are shown and a response
 * is refused with an error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "dl-case-file.h"
#include "dl-finding.h"
#include "dl-manifest.h"
#include "dl-scan.h"

G_BEGIN_DECLS

#define DL_SESSION_FINDINGS_ERROR (dl_session_findings_error_quark ())

typedef enum
{
  DL_SESSION_FINDINGS_ERROR_NO_CASE,      /* a response without a case to record it in */
  DL_SESSION_FINDINGS_ERROR_NOT_STORED,   /* the finding is not in the case file */
  DL_SESSION_FINDINGS_ERROR_INVALID,      /* no such finding, or not a response */
} DlSessionFindingsError;

GQuark dl_session_findings_error_quark (void);

/* One finding shown. */
typedef struct
{
  DlFinding         *finding;
  char              *id;         /* its id in the case file, NULL when not stored */
  DlFindingResponse  response;   /* the latest, NONE when none */
} DlSessionFinding;

#define DL_TYPE_SESSION_FINDINGS (dl_session_findings_get_type ())
G_DECLARE_FINAL_TYPE (DlSessionFindings, dl_session_findings, DL, SESSION_FINDINGS, GObject)

DlSessionFindings      *dl_session_findings_new         (void);
/* The detectors run (DlDetector; the built-in ones until set). */
void                    dl_session_findings_set_detectors (DlSessionFindings *self,
                                                           GPtrArray         *detectors);
/* The scan shown (NULL: none), its manifest and bay plan (or NULL), and,
 * for a case's scan, the case file and the ids of the case and the scan
 * (else NULL).  Any run of the scan before is cancelled; "changed" is
 * emitted at once (no findings, or the stored ones) and again when a run
 * ends. */
void                    dl_session_findings_set_scan    (DlSessionFindings *self,
                                                         DlScan            *scan,
                                                         DlManifest        *manifest,
                                                         DlBayPlan         *bay_plan,
                                                         DlCaseFile        *case_file,
                                                         const char        *case_id,
                                                         const char        *scan_id);
/* "running": detectors are at work on the scan shown. */
gboolean                dl_session_findings_get_running (DlSessionFindings *self);
/* Whether there is a scan to have findings (a run, stored findings or
 * no manifest to run against: dl_session_findings_get_note ()). */
gboolean                dl_session_findings_get_active  (DlSessionFindings *self);
guint                   dl_session_findings_get_n       (DlSessionFindings *self);
const DlSessionFinding *dl_session_findings_get         (DlSessionFindings *self,
                                                         guint              index);
/* One line per detector that failed, or the findings could not be stored
 * or read (NULL-ended, never NULL). */
const char * const     *dl_session_findings_get_errors  (DlSessionFindings *self);
/* Why nothing was looked for (no manifest), or NULL. */
const char             *dl_session_findings_get_note    (DlSessionFindings *self);
/* Records the analyst's @response (CONFIRMED or DISMISSED) to finding
 * @index in the case file (audited, by the file's identity); FALSE with
 * @error without a case, for a read-only file or a finding not stored. */
gboolean                dl_session_findings_respond     (DlSessionFindings *self,
                                                         guint              index,
                                                         DlFindingResponse  response,
                                                         GError           **error);

G_END_DECLS
