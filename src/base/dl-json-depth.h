/* dl-json-depth.h — refusing JSON nested too deep before json-glib sees it.
 *
 * json-glib 1.6 (Debian 12) parses arrays and objects recursively with no
 * limit: about 100 000 nested "[" overflow the stack (found by
 * fuzz/fuzz-manifest; a case file's 4 MiB payloads are enough too).  Every
 * reader of JSON from elsewhere checks the depth first.  The scan follows
 * json-glib's scanner: "…" strings with backslash escapes, '…' strings
 * without, and C comments.
 *
 * json-glib 1.6.6 also leaks the arrays and objects of a document that
 * fails after its root value ("true[[]", "{} {"): a reader refuses text
 * after the root (dl_json_trailing ()) before json-glib sees it, so a
 * hostile file costs no memory, and says why.
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

static inline gboolean
dl_json_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Whether anything but white space and comments follows the first value
 * of @json (@len bytes, or NUL-terminated when -1), or a bracket closes
 * that never opened.  Strings and comments are scanned as by
 * dl_json_too_deep () ("//" is no comment to json-glib: it is refused). */
static inline gboolean
dl_json_trailing (const char *json,
                  gssize      len)
{
  gsize n = len < 0 ? strlen (json) : (gsize) len;
  guint depth = 0;
  char quote = 0;
  gboolean comment = FALSE, scalar = FALSE, done = FALSE;

  for (gsize i = 0; i < n; i++)
    {
      char c = json[i];
      gboolean opens_comment = c == '/' && i + 1 < n && json[i + 1] == '*';

      if (comment)
        {
          if (c == '*' && i + 1 < n && json[i + 1] == '/')
            comment = FALSE, i++;
          continue;
        }
      if (quote)
        {
          if (c == '\\' && quote == '"')
            i++;
          else if (c == quote && (quote = 0, depth == 0))
            done = TRUE;
          continue;
        }
      if (dl_json_space (c) || opens_comment)
        {
          if (scalar && depth == 0)
            done = TRUE, scalar = FALSE;
          if (opens_comment)
            comment = TRUE, i++;
          continue;
        }
      if (done || (scalar && depth == 0 && (c == '"' || c == '\'' || c == '[' || c == '{')))
        return TRUE;
      if (c == '"' || c == '\'')
        quote = c;
      else if (c == '[' || c == '{')
        depth++;
      else if (c == ']' || c == '}')
        {
          if (depth == 0)
            return TRUE;
          if (--depth == 0)
            done = TRUE;
        }
      else if (depth == 0)
        scalar = TRUE;
    }
  return FALSE;
}

/* Whether @json is refused before json-glib parses it: nested too deep
 * or followed by more (see above). */
static inline gboolean
dl_json_refused (const char *json,
                 gssize      len)
{
  return dl_json_too_deep (json, len) || dl_json_trailing (json, len);
}
