/* dl-detector.h — one interface for every detector: built in (today's
 * consistency checks, dl-detectors-builtin.c; later ones beside them) and
 * external programs (dl-external.h).
 *
 * A detector is a final GObject with a table of functions (a vtable), not
 * a GObject interface: a built-in detector is one row of a table — name,
 * version, default parameters, a run function — with no GType of its
 * own; an external detector is the same type with its own run function
 * and the program's description as data.  The object gives reference
 * counting, so a detector can be handed to a worker thread.
 *
 * Running: dl_detector_run () may take a second on a 40 ft scan; it
 * touches nothing but its input and the detector, so it is called off the
 * UI thread, and it stops with G_IO_ERROR_CANCELLED when @cancellable
 * is cancelled (between steps: a step already begun finishes).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "dl-baplie.h"
#include "dl-consistency.h"
#include "dl-finding.h"
#include "dl-manifest.h"
#include "dl-material.h"
#include "dl-scan.h"

G_BEGIN_DECLS

/* ---- what detectors read ----------------------------------------------------- */

/* The scan, its manifest (or none), the container it shows (or NULL: the
 * manifest's only one), the calibration and the bay plan (or none).
 * Reference counted, shared by the detectors of one run: what several
 * built-in detectors need (the consistency measurement) is computed once. */
typedef struct _DlDetectInput DlDetectInput;

/* Takes references to @scan, @manifest and @bay_plan; @calibration is
 * borrowed and must outlive the input. */
DlDetectInput       *dl_detect_input_new     (DlScan               *scan,
                                              DlManifest           *manifest,
                                              const char           *container,
                                              const DlCalibration  *calibration,
                                              DlBayPlan            *bay_plan);
DlDetectInput       *dl_detect_input_ref     (DlDetectInput        *self);
void                 dl_detect_input_unref   (DlDetectInput        *self);
DlScan              *dl_detect_input_get_scan        (DlDetectInput *self);
DlManifest          *dl_detect_input_get_manifest    (DlDetectInput *self);   /* or NULL */
const char          *dl_detect_input_get_container   (DlDetectInput *self);   /* or NULL */
const DlCalibration *dl_detect_input_get_calibration (DlDetectInput *self);
DlBayPlan           *dl_detect_input_get_bay_plan    (DlDetectInput *self);   /* or NULL */
/* dl_consistency_check () of the input (its container), made once for
 * all detectors of the input and then shared (read only); NULL with
 * @error when the scan cannot be measured or there is no manifest. */
const DlConsistency *dl_detect_input_get_consistency (DlDetectInput *self,
                                                      GError       **error);

/* The cargo of view 0 alone (dl-consistency.h): the consistency
 * measurement's when there is one, else measured once without a manifest
 * and shared; NULL with @error when the scan cannot be measured. */
const DlCargoImage  *dl_detect_input_get_cargo_image (DlDetectInput *self,
                                                      GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlDetectInput, dl_detect_input_unref)

/* ---- the detector ------------------------------------------------------------ */

#define DL_TYPE_DETECTOR (dl_detector_get_type ())
G_DECLARE_FINAL_TYPE (DlDetector, dl_detector, DL, DETECTOR, GObject)

/* Runs the detector with @parameters (its defaults with the caller's
 * values over them); appends findings (DlFinding) to @findings and
 * sentences about what was not checked to @notes (char *).  FALSE with
 * @error when it could not run; it adds no findings then. */
typedef gboolean (*DlDetectorRunFunc) (DlDetector    *detector,
                                       DlDetectInput *input,
                                       JsonObject    *parameters,
                                       GPtrArray     *findings,
                                       GPtrArray     *notes,
                                       GCancellable  *cancellable,
                                       GError       **error);

typedef struct
{
  DlDetectorRunFunc run;
} DlDetectorVTable;

/* A detector @name (a short lower-case word: it is stored with its
 * findings) of @version, whose parameters default to @defaults (copied;
 * NULL: none).  @vtable is static; @data is the run function's
 * (dl_detector_get_data ()), freed with @destroy. */
DlDetector   *dl_detector_new            (const char             *name,
                                          const char             *version,
                                          const char             *summary,
                                          JsonObject             *defaults,
                                          const DlDetectorVTable *vtable,
                                          gpointer                data,
                                          GDestroyNotify          destroy);
const char   *dl_detector_get_name       (DlDetector   *self);
const char   *dl_detector_get_version    (DlDetector   *self);
const char   *dl_detector_get_summary    (DlDetector   *self);
gpointer      dl_detector_get_data       (DlDetector   *self);
/* The shipped defaults, and the parameters it runs with (the defaults
 * until set). */
JsonObject   *dl_detector_get_defaults   (DlDetector   *self);
JsonObject   *dl_detector_get_parameters (DlDetector   *self);
/* Sets the parameters it runs with: @values over the defaults.  A member
 * the defaults do not have, or of another type than the default's
 * (numbers are numbers, integer or not), is refused with @error. */
gboolean      dl_detector_set_parameters (DlDetector   *self,
                                          JsonObject   *values,
                                          GError      **error);
/* The SHA-256 of an external detector's program, NULL for a built-in one. */
const char   *dl_detector_get_program_sha256 (DlDetector *self);
void          dl_detector_set_program_sha256 (DlDetector *self,
                                              const char *sha256);

/* Runs it over @input: its findings, each stamped with the detector's
 * name, version, parameters and program SHA-256; NULL with @error when
 * it could not run.  @notes (NULL: dropped) gets what was not checked. */
GPtrArray    *dl_detector_run            (DlDetector    *self,
                                          DlDetectInput *input,
                                          GPtrArray     *notes,
                                          GCancellable  *cancellable,
                                          GError       **error);

/* ---- the registry and running several ------------------------------------------ */

/* The built-in detectors (dl-detectors-builtin.c), a new array of new
 * detectors: weight, material, empty, dense, partition, bay-plan. */
GPtrArray    *dl_detectors_builtin       (void);
/* The shipped operating points (data/detectors/thresholds.json, compiled
 * in): a member per built-in detector, {"false_alarm_rate": R,
 * "threshold": T}, T the lowest score at which the detector raised at
 * most R false alarms per honest scan in the evaluation the file names.
 * dl_detectors_builtin () makes T each detector's default "min_score". */
JsonObject   *dl_detectors_get_operating_points (void);
/* The detector of @detectors called @name, or NULL. */
DlDetector   *dl_detectors_find          (GPtrArray     *detectors,
                                          const char    *name);

/* What one detector of a run did. */
typedef struct
{
  char    *detector;
  char    *version;
  double   seconds;     /* the time it took */
  guint    n_findings;
  GError  *error;       /* NULL when it ran */
  GStrv    notes;       /* never NULL */
} DlDetectorRun;

typedef struct
{
  GPtrArray *findings;  /* DlFinding, detector by detector in the order given */
  GPtrArray *runs;      /* DlDetectorRun, one per detector, in the order given */
  double     seconds;   /* the whole run */
} DlDetectReport;

void          dl_detect_report_free      (DlDetectReport *self);
/* Whether any detector failed. */
gboolean      dl_detect_report_has_errors (const DlDetectReport *self);
/* "doorlicht-findings/1" with its "runs". */
char         *dl_detect_report_to_json   (const DlDetectReport *self);

/* Runs each of @detectors (DlDetector) over @input, each in a thread of
 * its own (what they share is computed once), and collects the findings
 * and, per detector, the time it took or its error.  One detector failing
 * does not stop the others; cancelling stops all of them (their runs say
 * so). */
DlDetectReport *dl_detectors_run         (GPtrArray     *detectors,
                                          DlDetectInput *input,
                                          GCancellable  *cancellable);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlDetectReport, dl_detect_report_free)

G_END_DECLS
