/* dl-session.h — the analyst's session: the scan being looked at, how it
 * is shown, and the list of scans to step through.  Widgets bind to it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-annotation.h"
#include "dl-case-file.h"
#include "dl-manifest.h"
#include "dl-profile.h"
#include "dl-scan.h"
#include "dl-session-findings.h"
#include "dl-view-state.h"

G_BEGIN_DECLS

#define DL_TYPE_SESSION (dl_session_get_type ())
G_DECLARE_FINAL_TYPE (DlSession, dl_session, DL, SESSION, GObject)

DlSession   *dl_session_new               (void);
DlViewState *dl_session_get_view_state    (DlSession    *self);
DlScan      *dl_session_get_scan          (DlSession    *self);
void         dl_session_set_scan          (DlSession    *self,
                                           DlScan       *scan);
DlPlane     *dl_session_get_active_plane  (DlSession    *self);
guint        dl_session_get_active_index  (DlSession    *self);
void         dl_session_set_active_index  (DlSession    *self,
                                           guint         index);
gboolean     dl_session_get_show_all      (DlSession    *self);
void         dl_session_set_show_all      (DlSession    *self,
                                           gboolean      show_all);

void         dl_session_open              (DlSession    *self,
                                           const char   *path);
void         dl_session_cancel_load       (DlSession    *self);

/* Cases (see dl-case-file.h) */
void         dl_session_set_case_file     (DlSession    *self,
                                           DlCaseFile   *case_file);
DlCaseFile  *dl_session_get_case_file     (DlSession    *self);
gboolean     dl_session_open_case         (DlSession    *self,
                                           const char   *case_id,
                                           guint         scan_index,
                                           GError      **error);
/* The cases likely next (made ready in the background, dl-prefetch.h). */
void         dl_session_set_next_cases    (DlSession    *self,
                                           const char * const *case_ids);
guint64      dl_session_get_prefetch_memory (DlSession  *self,
                                           guint64      *budget);
/* Closes the case file (one plain file again); also a minute after the
 * last change its write-ahead log is checkpointed into it. */
#define DL_SESSION_CHECKPOINT_SECONDS 60
gboolean     dl_session_close_case_file   (DlSession    *self,
                                           GError      **error);
const char  *dl_session_get_case_id       (DlSession    *self);
/* The declaration of the case, or the one found beside a scan opened on its own. */
DlManifest  *dl_session_get_manifest      (DlSession    *self);
/* Set when the image shown is not the one the case recorded. */
const char  *dl_session_get_integrity_problem (DlSession *self);
/* The scanner profile of the scan shown and how it was chosen (it
 * changes with "scan"); %NULL when none is for it: its material classes
 * and mass then come from the generator's curves, not calibrated. */
DlProfile   *dl_session_get_profile       (DlSession      *self,
                                           DlProfileMatch *how);
/* Remembers @profile_id for the scanner of the scan shown and uses it at
 * once ("profile" changes; the classes and the check are made again). */
gboolean     dl_session_remember_profile  (DlSession      *self,
                                           const char     *profile_id,
                                           GError        **error);
/* A supervisor's choice of @profile_id for the case's scan shown: recorded
 * in the case file as an audited event and used at once, and whenever the
 * case is opened again. */
gboolean     dl_session_choose_case_profile (DlSession    *self,
                                           const char     *profile_id,
                                           GError        **error);
/* The scan checked against the manifest (done in the background once a
 * scan with a manifest is shown): the estimate, and the hints where they
 * disagree ("check-summary", "hints"). */
const char  *dl_session_get_check_summary (DlSession   *self);
const char * const *dl_session_get_hints  (DlSession   *self);
/* The check's result as JSON (dl_consistency_to_json ()), stored with the
 * verdict; %NULL until the check succeeded. */
const char  *dl_session_get_check_json    (DlSession   *self);
/* Where hint @index (of "hints") points on the scan, NULL when nowhere. */
typedef struct
{
  gboolean has_region;
  guint    view;     /* the scan's view the box is in */
  int      box[4];   /* x0, y0, x1, y1 in pixels of that view, end exclusive */
} DlSessionHintRegion;
const DlSessionHintRegion *dl_session_get_hint_region (DlSession *self,
                                                       guint      index);
/* The detectors' findings of the scan shown (NULL once disposed). */
DlSessionFindings *dl_session_get_findings (DlSession *self);
/* "check-pending": the check of the scan shown is still running. */
gboolean     dl_session_get_check_pending (DlSession    *self);
gboolean     dl_session_get_loading       (DlSession    *self);
double       dl_session_get_progress      (DlSession    *self);
/* While a huge scan decodes: a small picture of it so far ("preview"). */
DlScan      *dl_session_get_preview       (DlSession    *self);
/* A huge dual-energy scan shows before its material classes are known;
 * "classes-pending" is TRUE until they are (the overlay then follows). */
gboolean     dl_session_get_classes_pending (DlSession  *self);
const char  *dl_session_get_path          (DlSession    *self);
const char  *dl_session_get_title         (DlSession    *self);

void         dl_session_set_files         (DlSession    *self,
                                           const char * const *paths);
guint        dl_session_get_n_files       (DlSession    *self);
int          dl_session_get_file_index    (DlSession    *self);
gboolean     dl_session_step              (DlSession    *self,
                                           int           delta);

/* The window scans open with; DL_N_PRESETS (the default): none chosen,
 * the one their profile's [display] gives (a window or a preset), else auto. */
void         dl_session_set_default_preset (DlSession   *self,
                                           DlPreset      preset);
void         dl_session_apply_preset      (DlSession    *self,
                                           DlPreset      preset);
char        *dl_session_describe_point    (DlSession    *self,
                                           guint         plane_index,
                                           double        x,
                                           double        y);
char        *dl_session_describe_state    (DlSession    *self);

/* What a left-drag on the scan does. */
typedef enum
{
  DL_TOOL_SELECT,      /* select and move marks; elsewhere, pan */
  DL_TOOL_RECTANGLE,
  DL_TOOL_POLYGON,
  DL_TOOL_ARROW,
  DL_TOOL_TEXT,
  DL_TOOL_RULER,
  DL_N_TOOLS
} DlTool;

DlAnnotations *dl_session_get_annotations (DlSession    *self);
DlTool       dl_session_get_tool          (DlSession    *self);
void         dl_session_set_tool          (DlSession    *self,
                                           DlTool        tool);
guint        dl_session_get_selected      (DlSession    *self);
void         dl_session_set_selected      (DlSession    *self,
                                           guint         id);
/* Marks are recorded per edit, not per change (see the .c). */
guint        dl_session_add_mark          (DlSession    *self,
                                           DlAnnotationKind kind,
                                           guint         view,
                                           const DlPoint *points,
                                           guint         n_points,
                                           const char   *label);
void         dl_session_begin_mark_edit   (DlSession    *self);
void         dl_session_end_mark_edit     (DlSession    *self);

G_END_DECLS
