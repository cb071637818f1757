/* dl-scanner-tdr.h — the threats a scanner's own detection (or another
 * operator) reported for a DICOS or DICOM scan, in Threat Detection
 * Reports beside it, as findings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-detector.h"

G_BEGIN_DECLS

/* The most files of the scan's folder looked at, and the largest. */
#define DL_SCANNER_TDR_MAX_FILES 20000
#define DL_SCANNER_TDR_MAX_BYTES (64 << 20)

/* The "scanner-tdr" detector: for a scan with a SOP Instance UID read
 * from a file, every Threat Detection Report in that file's folder
 * (*.dcs, *.dcm, *.dicom) that refers to it gives each of its threats
 * (those that refer to that instance, or to none) as a finding of kind
 * "threat": its outline the threat's Bounding Polygon, else its box
 * (ROI base and extents; a CT box on the projection, columns by slices),
 * else the whole scan; its score the report's probability, else 1 for
 * THREAT, 0.5 for UNKNOWN, 0.1 for NO_THREAT; figures the report's SOP
 * Instance UID, type, algorithm, category, assessment and file.  A report
 * that cannot be read is a note of the run.  Parameter "min_score". */
DlDetector *dl_scanner_tdr_detector_new (void);

G_END_DECLS
