/* dl-cuscar.h — UN/EDIFACT CUSCAR (customs cargo report, D.95B and
 * later) read into manifests.
 *
 * One DlManifest per CUSCAR message of an interchange.  Read: BGM
 * (document number → message_id), DTM 137 (document date), TDT (voyage,
 * mode, carrier, vessel or vehicle), LOC 9 and 11 (ports of loading and
 * discharge), NAD CA (carrier); each CNI group a consignment (D.95B and
 * D.01B: CNI, then its RFF, LOC, NAD and GID groups) with RFF of a
 * transport document qualifier of code list 1153 (BM, MB, BH, AWB, MWB,
 * HWB, AAM, CMR, RCN …: the document and its kind), LOC 9, 11 and 7
 * (its places of loading, discharge, delivery), NAD CZ, CN and NI
 * (consignor, consignee, notify party); a document or party given before
 * any CNI is each consignment's that gives none; EQD CN/TE
 * with SEL (containers and trailers, size/type, full or empty, seals),
 * GID (goods item, packages: no count given is none, not 0) with PIA and CST (HS or national commodity
 * code), FTX AAA (description), MEA WT/AAE G or AAB (gross mass in KGM,
 * TNE, LBR or GRM, as kg, exactly), SGP (the container; a MEA after it is
 * the mass placed there, which makes the goods item's mass when it has
 * none of its own) and DGS (UN number, class; its own MEA and FTX are
 * not the goods item's).  Other segments are skipped.  A message of another type
 * (BAPLIE, COARRI …) is refused, as are a message that cannot be framed
 * (dl-edifact.h), a negative mass, a goods item number or package count
 * that is not a whole number; the error names the segment and its
 * position.  Where the content can still be trusted the message is read
 * and what was read past is a warning (DlManifest.warnings) naming the
 * segment and its position: a wrong UNT/UNE/UNZ count, a weight of
 * another qualifier, in an unknown unit or not a number (the mass is
 * then absent, DL_MANIFEST_NO_MASS, never 0), a goods item without a
 * weight, an unknown mode of transport, a date that cannot be read, a
 * message without BGM.
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
