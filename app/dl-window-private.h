/* dl-window-private.h — what the parts of DlWindow share: its instance
 * structure and the _dl_window_… functions of dl-window-*.c.
 *
 *   dl-window.c               lifecycle, template, side pages, public API
 *   dl-window-views.c         the scan views, title and status line, the
 *                             session's signals
 *   dl-window-open.c          opening scans: chooser, recent, drop, next
 *   dl-window-view-actions.c  zoom, pan, presets, channels, overlays
 *   dl-window-marks.c         marks: text, delete, finish, cancel
 *   dl-window-cases.c         the case file: queue, verdicts, reviews
 *   dl-window-decide.c        decisions only on what was seen: the gate
 *   dl-window-jobs.c          long work on the case file, its busy bar
 *   dl-window-layout.c        narrow windows: the queue and side panel fold
 *   dl-window-findings.c      the detectors' findings: drawn, stepped
 *                             through, confirmed or dismissed by key
 *   dl-window-site.c          a site store's queue (postgresql://…): its
 *                             cases, verdicts and reviews sent or kept
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-case-queue.h"
#include "dl-case-sidebar.h"
#include "dl-display-panel.h"
#include "dl-intake-thread.h"
#include "dl-manifest-panel.h"
#include "dl-scan-view.h"
#include "dl-site-outbox.h"
#include "dl-verdict-panel.h"
#include "dl-window.h"

G_BEGIN_DECLS

struct _DlWindow
{
  AdwApplicationWindow parent_instance;

  DlSession       *session;
  GPtrArray       *views;          /* DlScanView, those in views_box */
  GPtrArray       *user_presets;   /* DlUserPreset */
  char            *status;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;
  GtkBox          *views_box;
  AdwStatusPage   *empty_page;
  GtkWidget       *loading_box;
  GtkPicture      *preview_picture;
  GtkProgressBar  *progress_bar;
  GtkLabel        *status_label;
  DlDisplayPanel  *panel;
  DlManifestPanel *manifest_panel;
  GtkStack        *side_stack;
  DlCaseSidebar   *case_sidebar;
  DlVerdictPanel  *verdict_panel;
  GtkRevealer     *queue_revealer;
  AdwFlap         *queue_flap;     /* dl-window-layout.c: folds in a narrow window */
  AdwFlap         *side_flap;
  gboolean         queue_before_fold;
  GtkLabel        *integrity_label;
  GtkWidget       *profile_banner_box;  /* no scanner profile is for the scan shown */
  GtkLabel        *profile_banner;      /* … its text, beside "Choose Profile…" */
  char            *case_damaged;   /* the open case file failed its check */
  GtkWidget       *busy_box;
  GtkLabel        *busy_label;
  GtkProgressBar  *busy_bar;
  guint            busy_pulse;
  GCancellable    *job_cancellable;  /* the case-file job running, or NULL */
  DlCaseQueue     *queue;
  GMenu           *recent_section;

  /* dl-window-decide.c: a decision bound to what was seen */
  gboolean         case_ready;       /* scan drawn, check done: keys may decide */
  gboolean         case_decided;     /* a verdict was recorded in this visit */
  char            *scan_case;        /* the case the session's scan was set for */
  char            *prefetch_case;    /* the case whose next cases the prefetch was given */
  gint64           case_drawn_at;    /* monotonic time of its first full frame, or 0 */
  GPtrArray       *case_seen_scans;  /* SHA-256 of each scan shown in this visit */
  gulong           ready_paint_id;
  AdwToast        *ignored_toast;

  /* dl-window-site.c: on a site store instead of a case file */
  DlSite          *site;
  DlIdentity      *site_identity;    /* who signs: loaded once when the site opens */
  DlSiteOutbox    *outbox;           /* its verdicts and reviews until the site has them */
  char            *site_copies;      /* folder of the cases' working copies */
  char            *site_copy;        /* the working copy shown (removed when another is) */
  guint            site_retry;       /* sending what the outbox keeps again */
  char            *site_claimed;     /* the case held for this login, or NULL */
  DlIntakeThread  *intake;           /* the scanners' folders taken in (a site workstation) */
  GtkLabel        *site_label;       /* the server cannot be reached: what is kept */
  /* dl-window-findings.c */
  gboolean         show_findings;    /* drawn on the scan */
  guint            current_finding;  /* G_MAXUINT: none */
  AdwToast        *findings_toast;   /* the last said, replaced by the next */
};

/* What is done with the file chosen in _dl_window_choose_file (). */
typedef void (*DlWindowFileFunc) (DlWindow   *self,
                                  const char *path);

/* dl-window.c */
void     _dl_window_toast                    (DlWindow            *self,
                                              const char          *text);
void     _dl_window_show_error               (DlWindow            *self,
                                              const char          *heading,
                                              GError              *error);

/* dl-window-views.c */
void     _dl_window_views_init               (DlWindow            *self);
void     _dl_window_show_state_status        (DlWindow            *self);

/* dl-window-open.c */
void     _dl_window_open_class_init          (DlWindowClass       *klass);
void     _dl_window_open_init                (DlWindow            *self);
void     _dl_window_open_files               (DlWindow            *self,
                                              GFile              **files,
                                              guint                n_files);
void     _dl_window_update_recent_menu       (DlWindow            *self);
void     _dl_window_choose_file              (DlWindow            *self,
                                              const char          *title,
                                              GtkFileChooserAction action,
                                              const char          *folder_key,
                                              const char          *suggested_name,
                                              DlWindowFileFunc     func);

/* dl-window-view-actions.c */
void     _dl_window_view_actions_class_init  (DlWindowClass       *klass);
void     _dl_window_view_actions_init        (DlWindow            *self);

/* dl-window-layout.c */
void     _dl_window_layout_class_init        (DlWindowClass       *klass);
void     _dl_window_layout_init              (DlWindow            *self);
void     _dl_window_layout_show_side_panel   (DlWindow            *self);

/* dl-window-marks.c */
void     _dl_window_marks_class_init         (DlWindowClass       *klass);
void     _dl_window_marks_watch_view         (DlWindow            *self,
                                              DlScanView          *view);

/* dl-window-cases.c */
void     _dl_window_cases_class_init         (DlWindowClass       *klass);
void     _dl_window_cases_init               (DlWindow            *self);
gboolean _dl_window_open_case_file           (DlWindow            *self,
                                              const char          *path,
                                              GError             **error);
void     _dl_window_update_case_actions      (DlWindow            *self);
void     _dl_window_show_queue               (DlWindow            *self,
                                              DlCaseQueue         *queue);
void     _dl_window_select_first_case_when_shown (DlWindow        *self);
void     _dl_window_time_step                (const char          *step,
                                              gint64               start);
void     _dl_window_time_to_first_frame      (DlWindow            *self,
                                              gint64               start,
                                              const char          *what);

/* dl-window-decide.c */
void     _dl_window_decide_init              (DlWindow            *self);
void     _dl_window_decide_dispose           (DlWindow            *self);
gboolean _dl_window_may_decide               (DlWindow            *self);
void     _dl_window_case_decided             (DlWindow            *self);
void     _dl_window_prefetch_next_cases      (DlWindow            *self);
char    *_dl_window_dup_seen                 (DlWindow            *self);

/* dl-window-jobs.c */
void     _dl_window_jobs_class_init          (DlWindowClass       *klass);
void     _dl_window_jobs_init                (DlWindow            *self);
void     _dl_window_cancel_job               (DlWindow            *self);

/* dl-window-profile.c */
void     _dl_window_profile_class_init       (DlWindowClass       *klass);
void     _dl_window_profile_init             (DlWindow            *self);

/* dl-window-site.c */
gboolean _dl_window_open_site                (DlWindow            *self,
                                              const char          *uri,
                                              GError             **error);
gboolean _dl_window_site_open_case           (DlWindow            *self,
                                              const char          *case_id,
                                              GError             **error);
gboolean _dl_window_site_send_verdict        (DlWindow            *self,
                                              const char          *case_id,
                                              const char          *decision,
                                              const char * const  *reasons,
                                              const char          *text,
                                              const char          *seen_json,
                                              const char          *hints_json);
gboolean _dl_window_site_send_review         (DlWindow            *self,
                                              const char          *case_id,
                                              const char          *decision,
                                              const char          *comment);
void     _dl_window_site_dispose             (DlWindow            *self);
/* dl-window-findings.c */
void     _dl_window_findings_class_init      (DlWindowClass       *klass);
void     _dl_window_findings_init            (DlWindow            *self);
void     _dl_window_findings_watch_view      (DlWindow            *self,
                                              DlScanView          *view);

G_END_DECLS
