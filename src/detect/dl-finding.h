/* dl-finding.h — what a detector found in a scan: a finding, and the JSON
 * form findings travel in (between detectors, the case file, the CLI and
 * external detector programs).
 *
 * The JSON form, "doorlicht-findings/1" (C locale; read and written
 * exactly, a number read is the number written):
 *
 *   {"format": "doorlicht-findings/1",
 *    "findings": [
 *      {"kind": "weight" | "material" | "empty" | "dense" | "partition"
 *               | "anomaly" | "pocket" | … (a short lower-case word),
 *       "view": 0,                      the scan's view, from 0
 *       "outline": [[x, y], …] | null,  a polygon, ≥ 3 points, in pixels of
 *                                       the view (a rectangle: its 4
 *                                       corners); null for the whole scan
 *       "score": 0.73,                  0 (nothing) … 1 (certain)
 *       "explanation": "…",             one line an analyst reads
 *       "figures": {…},                 the numbers behind it, any JSON
 *       "detector": {"name": "weight", "version": "1",
 *                    "parameters": {…},
 *                    "sha256": "…" | null}}],   the program's, external only
 *    "runs": [                          optional: what each detector did
 *      {"detector": "weight", "version": "1", "seconds": 0.21,
 *       "error": null | "…", "notes": ["…"]}]}
 *
 * Reading refuses what is not this: another format, a score outside
 * [0, 1] or not a number, an outline of fewer than 3 points or with a
 * coordinate that is not a finite number, an explanation that is empty or
 * holds a line break, an unknown member's wrong type.  An external
 * program's output may leave "detector" out: the runner sets it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define DL_FINDINGS_FORMAT "doorlicht-findings/1"
/* The largest findings JSON read, in bytes. */
#define DL_FINDINGS_MAX_JSON (4 * 1024 * 1024)

typedef struct
{
  double x, y;
} DlFindingPoint;

typedef struct
{
  char       *kind;
  guint       view;
  GArray     *outline;          /* DlFindingPoint, NULL: the whole scan */
  double      score;            /* 0 … 1 */
  char       *explanation;      /* one line */
  JsonObject *figures;          /* never NULL */
  char       *detector;         /* name, NULL until the runner sets it */
  char       *detector_version;
  JsonObject *parameters;       /* never NULL */
  char       *program_sha256;   /* lower-case hex of an external program, NULL built in */
} DlFinding;

#define DL_TYPE_FINDING (dl_finding_get_type ())
GType       dl_finding_get_type    (void) G_GNUC_CONST;

/* A finding of @kind with @score and @explanation, no outline, empty
 * figures and parameters, no detector. */
DlFinding  *dl_finding_new         (const char      *kind,
                                    guint            view,
                                    double           score,
                                    const char      *explanation);
DlFinding  *dl_finding_copy        (const DlFinding *self);
void        dl_finding_free        (DlFinding       *self);

/* The outline a rectangle [x0, x1) × [y0, y1): its four corners. */
void        dl_finding_set_rectangle (DlFinding     *self,
                                      double         x0,
                                      double         y0,
                                      double         x1,
                                      double         y1);
/* Sets the detector's name, version, parameters (copied; NULL: none) and
 * program SHA-256 (NULL: built in). */
void        dl_finding_set_detector  (DlFinding        *self,
                                      const char       *name,
                                      const char       *version,
                                      JsonObject       *parameters,
                                      const char       *program_sha256);
/* The bounding box of the outline in @box (x0, y0, x1, y1); FALSE without one. */
gboolean    dl_finding_get_bounds    (const DlFinding  *self,
                                      double            box[4]);

/* One finding as a JSON object, and back (@where names the source in errors). */
JsonNode   *dl_finding_to_json_node   (const DlFinding *self);
DlFinding  *dl_finding_from_json_node (JsonNode        *node,
                                       const char      *where,
                                       GError         **error);

/* The whole form, with no "runs"; findings: DlFinding. */
char       *dl_findings_to_json    (GPtrArray       *findings);
/* The findings of a "doorlicht-findings/1" text (its "runs" are not
 * read), or NULL with @error. */
GPtrArray  *dl_findings_from_json  (const char      *json,
                                    gssize           length,
                                    GError         **error);

/* JSON object helpers shared by the detectors: a deep copy of @object, and
 * the canonical text of @object (members in the order they were set). */
JsonObject *dl_json_object_copy    (JsonObject      *object);
char       *dl_json_object_to_string (JsonObject    *object);
/* The object of @text, or NULL with @error (@what names it). */
JsonObject *dl_json_object_parse   (const char      *text,
                                    const char      *what,
                                    GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlFinding, dl_finding_free)

G_END_DECLS
