/* dl-external.h — other people's detectors: a program described by a JSON
 * file, run in a bubblewrap sandbox (docs/detector-protocol.md).
 *
 * The description, "doorlicht-detector/1":
 *
 *   {"format": "doorlicht-detector/1", "name": "pocket", "version": "1.2",
 *    "summary": "…" (optional), "program": "/absolute/path",
 *    "parameters": {…defaults}, "time_limit_s": 30, "memory_limit_mib": 1024}
 *
 * The program gets the request on stdin and the scan as the read-only
 * file descriptor 3, and writes "doorlicht-findings/1" on stdout.  It runs
 * with no network, no file system but /usr, an empty /tmp and itself, no
 * environment, within its time and memory limits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-detector.h"
#include "dl-sandbox.h"

G_BEGIN_DECLS

#define DL_EXTERNAL_FORMAT   "doorlicht-detector/1"
#define DL_EXTERNAL_PROTOCOL "doorlicht-detector/1"
/* The most of a program's stdout read, and of its stderr kept. */
#define DL_EXTERNAL_MAX_STDOUT DL_FINDINGS_MAX_JSON
#define DL_EXTERNAL_MAX_STDERR DL_SANDBOX_MAX_STDERR

/* The detector @path describes, or NULL with @error naming @path. */
DlDetector *dl_external_detector_load    (const char  *path,
                                          GError     **error);
/* The detectors of the descriptions (*.json) in @dir, in name order, or
 * NULL with @error naming the first bad file. */
GPtrArray  *dl_external_detectors_load_dir (const char *dir,
                                            GError    **error);
/* Whether @detector is an external one. */
gboolean    dl_detector_is_external      (DlDetector  *detector);
/* Whether the sandbox can run here; FALSE with @error saying why (bwrap
 * missing, or no user namespaces). */
gboolean    dl_external_sandbox_check    (GError     **error);

G_END_DECLS
