/* dl-cuscar.h — UN/EDIFACT CUSCAR (customs cargo report, D.95B and
 * later) read into manifests.
 *
 * One DlManifest per CUSCAR message of an interchange.  Read: BGM
 * (document number → message_id), DTM 137 (document date), TDT (voyage,
 * mode, carrier, vessel or vehicle), LOC 9 and 11 (ports of loading and
 * discharge), NAD CZ, CN and CA (consignor, consignee, carrier), CNI and
 * RFF BM/AWB (transport document), EQD CN/TE with SEL (containers and
 * trailers, size/type, full or empty, seals), GID (goods item, packages)
 * with PIA (HS code), FTX AAA (description), MEA WT/AAE G or AAB (gross
 * mass in KGM, TNE, LBR or GRM, as kg), SGP (the container) and DGS (UN
 * number, class).  Other segments are skipped.  A message of another type
 * (BAPLIE, COARRI …) is refused, as is a value that cannot be read (a
 * mass that is not a number, an unknown mass unit, a broken date); the
 * error names the segment and its position.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-edifact.h"
#include "dl-manifest.h"

G_BEGIN_DECLS

/* An array of DlManifest (freeing them), at least one; NULL and @error
 * (DL_EDIFACT_ERROR or DL_MANIFEST_ERROR_INVALID) when refused. */
GPtrArray *dl_cuscar_read             (const char                  *data,
                                       gsize                        len,
                                       GError                     **error);
/* The same from a parsed interchange (its messages must all be CUSCAR). */
GPtrArray *dl_cuscar_read_interchange (const DlEdifactInterchange  *interchange,
                                       GError                     **error);
/* One message. */
DlManifest *dl_cuscar_read_message    (const DlEdifactMessage      *message,
                                       GError                     **error);

G_END_DECLS
