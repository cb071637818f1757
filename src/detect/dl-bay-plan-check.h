/* dl-bay-plan-check.h — the scan and its manifest checked against the bay
 * plan's weights (BAPLIE, dl-baplie.h): the scan's cargo mass against the
 * verified gross mass less the tare, and the manifest's declared gross
 * mass (with the tare) against the verified gross mass.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-baplie.h"
#include "dl-consistency.h"

G_BEGIN_DECLS

/* The typical tare of an ISO 6346 size/type code and how far single
 * containers of it are off it (one standard deviation), in kg; FALSE when
 * the code is not in the table (dl-bay-plan-check.c says where it comes
 * from). */
gboolean        dl_iso6346_typical_tare  (const char          *size_type,
                                          double              *kg,
                                          double              *sigma_kg);

/* Adds to @result (the check of @container in @manifest) the hints of
 * the bay plan @plan: its entry for @container weighed against the scan
 * and the manifest.  No entry for @container, no container named, a
 * weight or tare not known: an info hint saying what was not compared.
 * @plan NULL: nothing. */
void            dl_bay_plan_check        (DlConsistency       *result,
                                          const DlManifest    *manifest,
                                          const char          *container,
                                          const DlBayPlan     *plan);

/* dl_consistency_check_container () (or dl_consistency_check () when
 * @container is NULL), then dl_bay_plan_check () with the container
 * checked. */
DlConsistency  *dl_consistency_check_with_bay_plan (DlScan              *scan,
                                                    const DlCalibration *calibration,
                                                    const DlManifest    *manifest,
                                                    const char          *container,
                                                    const DlBayPlan     *plan,
                                                    GError             **error);

G_END_DECLS
