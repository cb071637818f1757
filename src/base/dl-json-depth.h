/* dl-json-depth.h — refusing JSON nested too deep before json-glib sees it.
 *
 * json-glib 1.6 (Debian 12) parses arrays and objects recursively with no
 * limit: about 100 000 nested "[" overflow the stack (found by
 * fuzz/fuzz-manifest; a case file's 4 MiB payloads are enough too).  Every
 * reader of JSON from elsewhere checks the depth first.  The scan follows
 * json-glib's scanner: "…" strings with backslash escapes, '…' strings
 * without, and C comments.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <string.h>

/* Far beyond anything Doorlicht writes (manifests nest 4 deep). */
#define DL_JSON_MAX_DEPTH 64

/* Whether @json (@len bytes, or NUL-terminated when -1) nests arrays and
 * objects deeper than DL_JSON_MAX_DEPTH. */
static inline gboolean
dl_json_too_deep (const char *json,
                  gssize      len)
{
  gsize n = len < 0 ? strlen (json) : (gsize) len;
  guint depth = 0;
  char quote = 0;      /* '"' or '\'' inside a string */
  gboolean comment = FALSE;

  for (gsize i = 0; i < n; i++)
    {
      char c = json[i];

      if (comment)
        {
          if (c == '*' && i + 1 < n && json[i + 1] == '/')
            comment = FALSE, i++;
        }
      else if (quote)
        {
          if (c == '\\' && quote == '"')
            i++;
          else if (c == quote)
            quote = 0;
        }
      else if (c == '"' || c == '\'')
        quote = c;
      else if (c == '/' && i + 1 < n && json[i + 1] == '*')
        comment = TRUE, i++;
      else if (c == '[' || c == '{')
        {
          if (++depth > DL_JSON_MAX_DEPTH)
            return TRUE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return FALSE;
}
