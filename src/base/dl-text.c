/* dl-text.c — text from files made safe to show.
 *
 * Anything a case file, a manifest or a scan's description says is the
 * sender's text, signed or not: printed raw it can move a terminal's
 * cursor, set its title or clear the screen (C0 and C1 controls, ESC
 * sequences), and shown raw a right-to-left override (U+202E) reorders
 * what stands after it.  For a terminal every such character is written as
 * a visible escape (\x1b, \u202e), as are bytes that are not UTF-8 (\xff)
 * and the backslash itself (\\), so the output says exactly what the file
 * holds.  For the GUI a text is isolated (FSI … PDI, Unicode's UAX #9),
 * so its direction cannot leak into the label around it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-text"

#include "config.h"

#include <string.h>

#include "dl-text.h"

/* The bidirectional formatting characters: marks, embeddings, overrides,
 * isolates (they reorder text without being seen). */
static gboolean
is_bidi_control (gunichar c)
{
  return c == 0x061C || c == 0x200E || c == 0x200F
         || (c >= 0x202A && c <= 0x202E)
         || (c >= 0x2066 && c <= 0x2069);
}

static gboolean
is_escaped (gunichar          c,
            DlTextEscapeFlags flags)
{
  if (c == '\n')
    return !(flags & DL_TEXT_KEEP_NEWLINES);
  if (c == '\t')
    return !(flags & DL_TEXT_KEEP_TABS);
  if (c == '\\')
    return !(flags & DL_TEXT_KEEP_BACKSLASHES);
  return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)
         || is_bidi_control (c) || c == 0x2028 || c == 0x2029;
}

static void
append_escape (GString  *out,
               gunichar  c)
{
  switch (c)
    {
    case '\n': g_string_append (out, "\\n"); break;
    case '\r': g_string_append (out, "\\r"); break;
    case '\t': g_string_append (out, "\\t"); break;
    case '\\': g_string_append (out, "\\\\"); break;
    default:
      if (c < 0x80)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_printf (out, "\\u%04x", c);
    }
}

/* TRUE when dl_text_escape_terminal () would change @text. */
gboolean
dl_text_needs_escape (const char        *text,
                      DlTextEscapeFlags  flags)
{
  const char *end;

  g_return_val_if_fail (text != NULL, FALSE);

  if (!g_utf8_validate (text, -1, &end))
    return TRUE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (is_escaped (g_utf8_get_char (p), flags))
      return TRUE;
  return FALSE;
}

/**
 * dl_text_escape_terminal:
 *
 * @text with every control character, bidirectional formatting character,
 * backslash and byte that is not UTF-8 written as a visible escape; valid
 * UTF-8 that needs none comes back unchanged.  Never fails.
 */
char *
dl_text_escape_terminal (const char        *text,
                         DlTextEscapeFlags  flags)
{
  GString *out;
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (strlen (text));
  for (p = text; *p; )
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02x", (guchar) *p);
          p++;
          continue;
        }
      if (is_escaped (c, flags))
        append_escape (out, c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}

/**
 * dl_text_isolate:
 *
 * @text between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, so that
 * whatever direction it has or sets ends with it; bytes that are not UTF-8
 * are replaced (U+FFFD), as a label needs valid text.
 */
char *
dl_text_isolate (const char *text)
{
  g_autofree char *valid = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  valid = g_utf8_make_valid (text, -1);
  return g_strconcat ("\xE2\x81\xA8", valid, "\xE2\x81\xA9", NULL);
}
