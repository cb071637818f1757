/* dl-baplie.h — UN/EDIFACT BAPLIE (bay plan / stowage plan) read for the
 * containers on board and their weights: a second source beside the
 * manifest.
 *
 * Read as the SMDG user manuals publish it: BAPLIE 2.1 and 2.2 (on
 * D.95B, association codes SMDG20 … SMDG22) and BAPLIE 3.x (on D.13B or
 * D.16A, SMDG30 … SMDG31):
 *
 *  - BGM (document number), TDT 20 (voyage 8028, carrier C040, the vessel
 *    C222: its identification — call sign in 2.x, IMO number in 3.x —
 *    and name);
 *  - each stowage location's group, from LOC 147 (its position, ISO
 *    bay/row/tier "0340782") to the next: EQD CN (number, ISO 6346
 *    size/type, 8169 full (5) or empty (4)), LOC 9 and 11 (ports of
 *    loading and discharge) and its weights.  In 2.x the weights and
 *    ports come before the EQD (LOC-GID-GDS-FTX-MEA-…-LOC-RFF-EQD), in
 *    3.x after it (EQD-NAD-MEA-…-LOC): a location with one container
 *    gives them to it either way.  An EQD outside any LOC 147 group is a
 *    container without a position.
 *  - Weights (MEA, 6311 WT or AAE): the gross weight (WT with no
 *    qualifier, as 2.1 writes it, or G), the verified gross mass (SOLAS
 *    VI/2: 6313 VGM; or 6311 VGM, as some 2.2 senders write it) with the
 *    DTM, RFF and NAD that follow it (when, which document, who), and the
 *    tare (T).  Units KGM, TNE, LBR, GRM, as kg, exactly.  A MEA of a
 *    dangerous goods group (DGS) is not the container's.
 *
 * Leniency as dl-cuscar.h: a wrong UNT/UNE/UNZ count, an unknown code
 * (size/type, full/empty status, weight qualifier), a weight in an unknown
 * unit, not a number or below zero (then absent: NAN, never 0), a bad
 * check digit, a weight that belongs to no container (a location with
 * several): read, with a warning (DlManifestWarning) naming the segment
 * and its position.  Broken syntax, a message of another type, a message
 * that cannot be framed, an EQD without a number: refused.
 *
 * The JSON form ("format": "doorlicht-bay-plan/1"), every member but
 * "format" optional:
 *
 *   { "format": "doorlicht-bay-plan/1",
 *     "message_id": "BP0042", "reference": "1", "version": "SMDG22",
 *     "voyage": "0123E", "vessel": "EXAMPLE VESSEL", "vessel_id": "PDHR",
 *     "carrier": "MSK",
 *     "containers": [ { "number": "MSKU9070323", "size_type": "45G1",
 *                       "full": true,             null when not said
 *                       "position": "0340782",    LOC 147
 *                       "port_of_loading": "CNSHA", "port_of_discharge": "NLRTM",
 *                       "gross_kg": 27800, "vgm_kg": 27950, "tare_kg": 3900,
 *                                                 each left out when not given
 *                       "vgm_date": "2026-11-20T14:30", "vgm_reference": "…",
 *                       "vgm_party": "SPC: Shipper B.V." } ],
 *     "warnings": [ … as in the manifest's JSON form … ] }
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "dl-edifact.h"
#include "dl-manifest.h"

G_BEGIN_DECLS

#define DL_BAY_PLAN_FORMAT "doorlicht-bay-plan/1"

/* One container of a bay plan.  Masses in kg, NAN when not given. */
typedef struct
{
  char     *number;            /* ISO 6346, as given */
  char     *size_type;         /* ISO 6346 size/type code, or NULL */
  gboolean  has_full;          /* the message says full or empty */
  gboolean  full;
  char     *position;          /* stowage position (LOC 147), or NULL */
  char     *port_of_loading;   /* UN/LOCODE (LOC 9), or NULL */
  char     *port_of_discharge; /* LOC 11 */
  double    gross_kg;          /* gross weight as declared */
  double    vgm_kg;            /* verified gross mass */
  char     *vgm_date;          /* YYYY-MM-DD or YYYY-MM-DDTHH:MM, or NULL */
  char     *vgm_reference;     /* the document behind it: "QUALIFIER:number" */
  char     *vgm_party;         /* who verified it: "QUALIFIER: name" */
  double    tare_kg;           /* tare given by the message */

  /*< private >*/
  guint     first_segment;     /* its location group's (or EQD's) segments */
  guint     last_segment;
} DlBayPlanContainer;

typedef struct
{
  char      *message_id;       /* BGM 1004 */
  char      *reference;        /* UNH 0062 */
  char      *version;          /* UNH 0057, "SMDG22", or NULL */
  char      *voyage;
  char      *vessel;           /* name */
  char      *vessel_id;        /* call sign, IMO number … */
  char      *carrier;
  GPtrArray *containers;       /* DlBayPlanContainer */
  GPtrArray *warnings;         /* DlManifestWarning, by segment; never NULL */

  /*< private >*/
  gatomicrefcount ref_count;
} DlBayPlan;

#define DL_TYPE_BAY_PLAN (dl_bay_plan_get_type ())
GType                dl_bay_plan_get_type    (void) G_GNUC_CONST;

DlBayPlan           *dl_bay_plan_new         (void);
DlBayPlan           *dl_bay_plan_ref         (DlBayPlan         *self);
void                 dl_bay_plan_unref       (DlBayPlan         *self);
DlBayPlanContainer  *dl_bay_plan_add_container (DlBayPlan       *self,
                                                const char      *number);
DlBayPlanContainer  *dl_bay_plan_find        (const DlBayPlan   *self,
                                              const char        *number);
/* The container @number and the plan it is in, among @plans (an array of
 * DlBayPlan); NULL when none has it. */
DlBayPlanContainer  *dl_bay_plans_find       (GPtrArray         *plans,
                                              const char        *number,
                                              DlBayPlan        **plan);
/* A new plan with the header of @self and its container @number alone,
 * with the warnings about that container and the message's own (the
 * envelope, the header): what a case keeps.  NULL when @self has no
 * container @number. */
DlBayPlan           *dl_bay_plan_extract     (const DlBayPlan   *self,
                                              const char        *number);

/* An array of DlBayPlan (one per message, freeing them), at least one;
 * NULL and @error (DL_EDIFACT_ERROR or DL_MANIFEST_ERROR_INVALID) when
 * refused. */
GPtrArray           *dl_baplie_read          (const char        *data,
                                              gsize              len,
                                              GError           **error);
GPtrArray           *dl_baplie_read_interchange (const DlEdifactInterchange *interchange,
                                                 GError                    **error);
DlBayPlan           *dl_baplie_read_message  (const DlEdifactMessage *message,
                                              GError                **error);
/* dl_baplie_read () of a regular file of at most DL_EDIFACT_MAX_BYTES. */
GPtrArray           *dl_baplie_read_file     (const char        *path,
                                              GError           **error);

char                *dl_bay_plan_to_json     (const DlBayPlan   *self);
/* NULL and DL_MANIFEST_ERROR_INVALID when @json is not the JSON form. */
DlBayPlan           *dl_bay_plan_from_json   (const char        *json,
                                              GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlBayPlan, dl_bay_plan_unref)

G_END_DECLS
