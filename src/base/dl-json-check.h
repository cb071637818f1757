/* dl-json-check.h — JSON from elsewhere checked before json-glib sees it.
 *
 * json-glib 1.6.6 (Debian 12) is a poor judge of hostile text:
 * - it parses arrays and objects recursively with no limit, so about
 *   100 000 nested "[" overflow the stack (found by fuzz/fuzz-manifest);
 * - it leaks what follows a first value ("{} {", "true[[]") and the
 *   string of a broken surrogate pair ("\ud800\u0041"), and takes two
 *   objects in a row as one of them without a word (found by
 *   fuzz/fuzz-dicom-wire);
 * - its scanner reads more than JSON: '…' strings, identifiers, octal
 *   escapes, and comments that run from one "/" to the next, so that any
 *   guess at where its value ends can be led astray.
 *
 * So every reader of JSON from elsewhere hands json-glib only what
 * dl_json_check () accepts: exactly one value of RFC 8259's grammar
 * (white space around it, a UTF-8 byte-order mark before it), valid UTF-8
 * without NUL, escapes as RFC 8259 writes them with surrogates in pairs,
 * nested at most DL_JSON_MAX_DEPTH deep.  One departure: control
 * characters within strings are taken unescaped, as json-glib writes
 * U+001F so.  On such text json-glib takes no
 * error path.  Everything Doorlicht and json-glib write passes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Far beyond anything Doorlicht writes (manifests nest 4 deep). */
#define DL_JSON_MAX_DEPTH 64

typedef enum
{
  DL_JSON_VALID,
  DL_JSON_TOO_DEEP,     /* arrays and objects nested deeper than DL_JSON_MAX_DEPTH */
  DL_JSON_NOT_UTF8,     /* not UTF-8, or a NUL byte */
  DL_JSON_NOT_JSON,     /* not one value of RFC 8259's grammar */
} DlJsonCheck;

/* Checks @json (@len bytes, or NUL-terminated when -1).  @offset (may be
 * %NULL) gets the byte at which it was refused. */
DlJsonCheck  dl_json_check     (const char *json,
                                gssize      len,
                                gsize      *offset);
/* Whether dl_json_check () refuses @json. */
gboolean     dl_json_refused   (const char *json,
                                gssize      len);
/* Why dl_json_check () refuses @json, translated, to follow "…: " in a
 * message ("it is not JSON (RFC 8259) at byte 12"); %NULL when it is
 * accepted. */
char        *dl_json_refusal   (const char *json,
                                gssize      len);

G_END_DECLS
