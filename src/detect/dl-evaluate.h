/* dl-evaluate.h — detectors measured over a labelled set: the generator's
 * scans with their truth files (doorlicht-cli synth --set DIR …).
 *
 * A set is a folder of BASE.truth.json, each with BASE.tif (the scan) and
 * BASE.manifest.json beside it.  Every detector runs over every scan with
 * its "min_score" parameter at 0, so that every finding is seen; the
 * detector's own "min_score" (0 when it has none) is its current
 * threshold.
 *
 * Definitions:
 *   a scan is a concealment scan when its truth has an object with
 *       "concealed": true, else an honest scan;
 *   at threshold t a concealment scan is detected by a detector when it
 *       has a finding with score ≥ t, and located when such a finding of
 *       view 0 has an outline whose bounding box overlaps a concealed
 *       object's "bbox_px" (the intersection of the two rectangles, both
 *       end-exclusive, has a positive area; a finding of the whole scan
 *       locates nothing);
 *   a false alarm is a finding with score ≥ t on an honest scan; false
 *       alarms per scan are their number over the number of honest scans;
 *       the alert rate is the share of honest scans with any finding ≥ t;
 *   all detectors together: the findings of every detector as one (a
 *       scan's highest score over all detectors decides whether it is
 *       detected); at "the current thresholds" each detector's findings
 *       are cut at its own threshold.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "dl-material.h"

G_BEGIN_DECLS

/* The detector index standing for all detectors together. */
#define DL_EVALUATION_ALL (-1)

typedef struct
{
  char     *detector;
  double    score;
  gboolean  located;     /* view 0, its box overlaps a concealed object's */
} DlEvalFinding;

typedef struct
{
  char     *base;        /* BASE, the files' common name */
  char     *scene;
  gint64    seed;
  gboolean  concealment;
  GArray   *findings;    /* DlEvalFinding, every detector's, scores from 0 */
  GPtrArray *errors;     /* char *: "detector: message" of a detector that failed on it */
} DlEvalScan;

typedef struct
{
  GPtrArray *detectors;  /* char *, the names, in the order run */
  GArray    *thresholds; /* double, each detector's current threshold */
  GPtrArray *scans;      /* DlEvalScan, in the order of their names */
  GPtrArray *scenes;     /* char *, the scenes met, sorted */
} DlEvaluation;

typedef struct
{
  double threshold;      /* NAN: each detector's own */
  guint  n_concealment, detected, located;
  guint  n_honest, alerted, false_alarms;
} DlEvalPoint;

/* Runs @detectors (DlDetector; their parameters are left as they were)
 * over every labelled scan in @dir; NULL with @error (naming the file)
 * when a truth file cannot be read or its scan or manifest is missing or
 * unreadable, or when @dir holds no truth file. */
DlEvaluation *dl_evaluation_run      (const char          *dir,
                                      GPtrArray           *detectors,
                                      const DlCalibration *calibration,
                                      GCancellable        *cancellable,
                                      GError             **error);
void          dl_evaluation_free     (DlEvaluation        *self);

/* The counts for @detector (an index, or DL_EVALUATION_ALL) over the scans
 * of @scene (NULL: all) at @threshold (NAN: the current threshold, each
 * detector's own for DL_EVALUATION_ALL). */
void          dl_evaluation_point    (const DlEvaluation  *self,
                                      int                  detector,
                                      const char          *scene,
                                      double               threshold,
                                      DlEvalPoint         *point);
/* The curve of @detector over all scans: a DlEvalPoint at each distinct
 * score found, from the highest threshold down (false alarms rising). */
GArray       *dl_evaluation_curve    (const DlEvaluation  *self,
                                      int                  detector);
/* The lowest threshold at which @detector's false alarms per honest scan
 * are ≤ @rate, with its counts; FALSE when there is no honest scan. */
gboolean      dl_evaluation_operating_point (const DlEvaluation *self,
                                             int                 detector,
                                             double              rate,
                                             DlEvalPoint        *point);

/* The whole evaluation as JSON ("doorlicht-evaluation/1", C locale). */
char         *dl_evaluation_to_json  (const DlEvaluation  *self);
/* Detection rate (y) against false alarms per honest scan (x), one curve
 * per detector and one for all together, as a @width × @height PNG. */
gboolean      dl_evaluation_write_png (const DlEvaluation *self,
                                       const char         *path,
                                       guint               width,
                                       guint               height,
                                       GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlEvaluation, dl_evaluation_free)

G_END_DECLS
