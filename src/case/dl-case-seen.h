/* dl-case-seen.h — a verdict bound to what was seen: the SHA-256 of each
 * scan on screen, the window, space, overlays and enhancement in effect
 * and how long the case was shown, recorded in the verdict's signed audit
 * event (an optional "seen" member of its payload, beside the row: older
 * files, whose verdict events have none, stay verifiable).
 *
 * The record, canonical JSON:
 *   {"version": 1, "scans": ["<sha256>", …], "shown_ms": N,
 *    "view": {"density": bool, "center": x, "width": x, "gamma": x,
 *             "invert": bool, "material": bool, "material-opacity": x,
 *             "strip": n, "colormap": "…"|null, "band": bool, "band-low": x,
 *             "band-high": x, "enhance": n, "…-colour": "#rrggbb"}}
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-case-file.h"
#include "dl-view-state.h"

G_BEGIN_DECLS

typedef struct
{
  const char * const *scans_sha256;  /* each scan shown, %NULL-ended */
  DlViewState        *view;          /* the display when decided */
  gint64              shown_ms;      /* from the case's first full frame to the verdict */
} DlVerdictSeen;

/* The record as canonical JSON. */
char     *dl_verdict_seen_to_json      (const DlVerdictSeen *seen);
/* Sets @view's window, space, overlays and enhancement to those of the
 * record; geometry (zoom, focus, i0) is left alone. */
gboolean  dl_verdict_seen_apply        (const char          *seen_json,
                                        DlViewState         *view,
                                        GError             **error);
/* How long the case was on screen, in ms; -1 when the record has none. */
gint64    dl_verdict_seen_get_shown_ms (const char          *seen_json);

/* As dl_case_file_add_verdict (), with @seen_json (from
 * dl_verdict_seen_to_json (), may be %NULL) in the verdict's event and the
 * consistency hints found while the case was looked at (@hints_json, may
 * be %NULL) stored in the same transaction, unless the case has them
 * already: viewing alone writes nothing. */
char     *dl_case_file_add_seen_verdict (DlCaseFile         *self,
                                         const char         *case_id,
                                         DlDecision          decision,
                                         const char * const *reasons,
                                         const char         *text,
                                         const char         *seen_json,
                                         const char         *hints_json,
                                         GError            **error);
/* The record in the event of @verdict_id; %NULL without error when it
 * has none (recorded by an older version, or by the CLI). */
char     *dl_case_file_get_verdict_seen (DlCaseFile         *self,
                                         const char         *verdict_id,
                                         GError            **error);

G_END_DECLS
