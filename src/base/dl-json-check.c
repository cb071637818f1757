/* dl-json-check.c — one value of RFC 8259's grammar, or refused (see
 * dl-json-check.h for why json-glib is not asked).
 *
 * A recursive descent over the bytes, its depth bounded by
 * DL_JSON_MAX_DEPTH; UTF-8 is checked by GLib first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dl-json-check.h"

typedef struct
{
  const char *p, *start, *end;
  gboolean    too_deep;
} Scan;

static gboolean value (Scan *s, guint depth);

static void
skip_space (Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static gboolean
take (Scan *s,
      char  c)
{
  if (s->p >= s->end || *s->p != c)
    return FALSE;
  s->p++;
  return TRUE;
}

static gboolean
take_word (Scan       *s,
           const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    return FALSE;
  s->p += n;
  return TRUE;
}

static gboolean
digits (Scan *s)
{
  const char *from = s->p;

  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
  return s->p > from;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static gboolean
number (Scan *s)
{
  take (s, '-');
  if (!take (s, '0') && (s->p >= s->end || *s->p < '1' || *s->p > '9' || !digits (s)))
    return FALSE;
  if (take (s, '.') && !digits (s))
    return FALSE;
  if (take (s, 'e') || take (s, 'E'))
    {
      if (!take (s, '+'))
        take (s, '-');
      return digits (s);
    }
  return TRUE;
}

/* The four hex digits after "\u", or -1. */
static int
hex4 (Scan *s)
{
  int v = 0;

  if (s->end - s->p < 4)
    return -1;
  for (guint i = 0; i < 4; i++, s->p++)
    {
      if (!g_ascii_isxdigit (*s->p))
        return -1;
      v = v << 4 | g_ascii_xdigit_value (*s->p);
    }
  return v;
}

/* After "\u": a code point, a high surrogate followed by "\u" and its
 * low one, never a surrogate alone. */
static gboolean
unicode_escape (Scan *s)
{
  int u = hex4 (s), low;

  if (u < 0 || (u >= 0xdc00 && u <= 0xdfff))
    return FALSE;
  if (u < 0xd800 || u > 0xdbff)
    return TRUE;
  if (!take (s, '\\') || !take (s, 'u'))
    return FALSE;
  low = hex4 (s);
  return low >= 0xdc00 && low <= 0xdfff;
}

static gboolean
escape (Scan *s)
{
  if (s->p >= s->end)
    return FALSE;
  if (strchr ("\"\\/bfnrt", *s->p) != NULL && *s->p != '\0')
    {
      s->p++;
      return TRUE;
    }
  return take (s, 'u') && unicode_escape (s);
}

/* Control characters within are taken as they are, unlike RFC 8259:
 * json-glib 1.6 writes U+001F unescaped, and its scanner reads them. */
static gboolean
string (Scan *s)
{
  if (!take (s, '"'))
    return FALSE;
  while (s->p < s->end)
    {
      guchar c = (guchar) *s->p;

      if (c == '"')
        return s->p++, TRUE;
      s->p++;
      if (c == '\\' && !escape (s))
        return FALSE;
    }
  return FALSE;
}

/* The members or elements between @open and @close, each read by
 * @member. */
static gboolean
sequence (Scan     *s,
          guint     depth,
          char      open,
          char      close,
          gboolean (*member) (Scan *, guint))
{
  if (depth >= DL_JSON_MAX_DEPTH)
    {
      s->too_deep = TRUE;
      return FALSE;
    }
  take (s, open);
  skip_space (s);
  if (take (s, close))
    return TRUE;
  do
    {
      skip_space (s);
      if (!member (s, depth + 1))
        return FALSE;
      skip_space (s);
    }
  while (take (s, ','));
  return take (s, close);
}

static gboolean
object_member (Scan *s,
               guint depth)
{
  if (!string (s))
    return FALSE;
  skip_space (s);
  if (!take (s, ':'))
    return FALSE;
  skip_space (s);
  return value (s, depth);
}

static gboolean
value (Scan *s,
       guint depth)
{
  if (s->p >= s->end)
    return FALSE;
  switch (*s->p)
    {
    case '{':
      return sequence (s, depth, '{', '}', object_member);
    case '[':
      return sequence (s, depth, '[', ']', value);
    case '"':
      return string (s);
    case 't':
      return take_word (s, "true");
    case 'f':
      return take_word (s, "false");
    case 'n':
      return take_word (s, "null");
    default:
      return number (s);
    }
}

DlJsonCheck
dl_json_check (const char *json,
               gssize      len,
               gsize      *offset)
{
  gsize n = len < 0 ? strlen (json) : (gsize) len;
  const char *bad = NULL;
  Scan s = { json, json, json + n, FALSE };
  gboolean ok;

  if (!g_utf8_validate (json, (gssize) n, &bad))
    {
      if (offset)
        *offset = (gsize) (bad - json);
      return DL_JSON_NOT_UTF8;
    }
  if (n >= 3 && memcmp (json, "\xef\xbb\xbf", 3) == 0)
    s.p += 3;
  skip_space (&s);
  if ((ok = value (&s, 0)))
    skip_space (&s);
  if (offset)
    *offset = (gsize) (s.p - s.start);
  if (ok && s.p == s.end)
    return DL_JSON_VALID;
  return s.too_deep ? DL_JSON_TOO_DEEP : DL_JSON_NOT_JSON;
}

gboolean
dl_json_refused (const char *json,
                 gssize      len)
{
  return dl_json_check (json, len, NULL) != DL_JSON_VALID;
}

char *
dl_json_refusal (const char *json,
                 gssize      len)
{
  gsize at = 0;

  switch (dl_json_check (json, len, &at))
    {
    case DL_JSON_VALID:
      return NULL;
    case DL_JSON_TOO_DEEP:
      return g_strdup_printf (_("arrays and objects are nested deeper than %d levels"), DL_JSON_MAX_DEPTH);
    case DL_JSON_NOT_UTF8:
      return g_strdup_printf (_("the text is not UTF-8 (or holds a NUL byte) at byte %lu"), (gulong) at);
    case DL_JSON_NOT_JSON:
    default:
      return g_strdup_printf (_("it is not JSON as RFC 8259 writes it, at byte %lu"), (gulong) at);
    }
}
