/* dl-report.h — the PDF report of one case: the scan as the analyst saw it
 * (window, overlays, marks), the marks listed, the manifest, the verdict and
 * its review, a summary of the audit trail and the hashes that tie the
 * report to the case file.
 *
 * The report knows nothing of the case file: the caller fills a
 * DlReportCase (plain data, borrowed for the call) and the report lays it
 * out with cairo and pango, A4 portrait, as many pages as it needs.  The
 * same data gives byte-identical PDFs (the creation date is the one given).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "dl-annotation.h"
#include "dl-case-file.h"
#include "dl-manifest.h"
#include "dl-scan.h"
#include "dl-view-state.h"

G_BEGIN_DECLS

typedef struct
{
  const char *path;      /* as recorded in the case */
  guint64     size;      /* bytes */
  const char *sha256;    /* lower-case hex */
  cairo_surface_t *image;  /* CAIRO_FORMAT_RGB24/ARGB32, the rendered scan, or NULL */
  const char *window;    /* how it was windowed, e.g. "density 0.20–2.40", or NULL */
  DlAnnotations *annotations;  /* or NULL */
  /* Pixel pitch of the scan, for the sizes of the marks in millimetres;
   * 0 when unknown (sizes are then given in pixels). */
  double      pitch_x_mm;
  double      pitch_y_mm;
} DlReportScan;

typedef struct
{
  const char *kind;      /* "verdict", "review", "annotation", … */
  const char *summary;   /* one line */
  const char *author;    /* display name (login) */
  gint64      time;      /* seconds since the epoch, UTC */
} DlReportEvent;

typedef struct
{
  const char   *case_id;        /* e.g. "C-000042" */
  const char   *title;          /* container number or other short title */
  const char   *case_file;      /* path of the case file, or the site */
  gboolean      from_site;      /* case_file names a site store (dl-site.h) */
  const DlReportScan *scans;
  guint         n_scans;
  const DlManifest *manifest;   /* or NULL */
  /* The verdict, or NULL fields when none was recorded. */
  const char   *verdict;        /* translated label: "Clear", "Physical inspection", … */
  const char   *verdict_reasons;/* reasons joined with ", " */
  const char   *verdict_text;   /* the analyst's free text */
  const char   *verdict_author;
  gint64        verdict_time;
  /* The review, or NULL fields when none was recorded. */
  const char   *review;         /* "Approved" or "Returned" (translated) */
  const char   *review_comment;
  const char   *review_author;
  gint64        review_time;
  /* Consistency hints (manifest against scan), translated lines, or NULL. */
  const char * const *hints;
  /* Detectors' findings with the responses to them, one translated line
   * each, or NULL. */
  const char * const *findings;
  const DlReportEvent *events;  /* the case's audit trail, oldest first */
  guint         n_events;
  const char   *chain_head;     /* hex hash of the last audit event */
  gint64        created;        /* report date, seconds since the epoch, UTC */
  const char   *author;         /* who made the report (display name), or NULL */
} DlReportCase;

/* Writes the report to @path (through a temporary file renamed into place,
 * so a failure leaves nothing half-written). */
gboolean         dl_report_write_pdf   (const DlReportCase *report,
                                        const char         *path,
                                        GError            **error);

/* Renders a whole view of @scan as the analyst sees it — @state's window,
 * overlays (material classes, bands, colour map) — scaled to fit within
 * @max_width × @max_height pixels, with @annotations (may be NULL) drawn on
 * top.  Returns a new CAIRO_FORMAT_RGB24 surface. */
cairo_surface_t *dl_report_render_scan (DlScan             *scan,
                                        guint               view,
                                        DlViewState        *state,
                                        DlAnnotations      *annotations,
                                        int                 max_width,
                                        int                 max_height);

/* Where dl_report_write_pdf() places the image of scan @index: its page
 * (from 1) and rectangle in points from the top left corner of the A4
 * page.  FALSE when that scan has no image. */
gboolean         dl_report_locate_scan (const DlReportCase *report,
                                        guint               index,
                                        guint              *page,
                                        double             *x,
                                        double             *y,
                                        double             *width,
                                        double             *height);

/* dl-case-report.c: the report of @case_id filled from its case file;
 * @view_state (nullable) gives the window the analyst used. */
gboolean dl_case_file_write_report (DlCaseFile         *file,
                                    const char         *case_id,
                                    DlViewState        *view_state,
                                    const char         *path,
                                    GError            **error);
/* The same report naming another origin (a site store's mirror,
 * dl-site-export.c): where the case is kept, the chain head of the whole
 * store, and who writes the report (%NULL: nobody named). */
typedef struct
{
  const char *source;
  const char *chain_head;
  DlIdentity *author;
  gboolean    is_site;     /* @source names a site store, not a file */
} DlReportOrigin;

gboolean dl_case_file_write_report_from (DlCaseFile           *file,
                                         const char           *case_id,
                                         DlViewState          *view_state,
                                         const DlReportOrigin *origin,
                                         const char           *path,
                                         GError              **error);

G_END_DECLS
