/* dl-text.h — text from files made safe to show: control characters and
 * bidirectional formatting escaped for a terminal, isolated for the GUI.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  DL_TEXT_ESCAPE_DEFAULT = 0,
  DL_TEXT_KEEP_NEWLINES  = 1 << 0,   /* '\n' stays a line break */
  DL_TEXT_KEEP_TABS      = 1 << 1,   /* '\t' stays a tab */
  /* a backslash stays as it is (output that is already escaped, such as
   * JSON, whose \uXXXX then still means what it says) */
  DL_TEXT_KEEP_BACKSLASHES = 1 << 2,
} DlTextEscapeFlags;

gboolean  dl_text_needs_escape     (const char        *text,
                                    DlTextEscapeFlags  flags);
char     *dl_text_escape_terminal  (const char        *text,
                                    DlTextEscapeFlags  flags);
char     *dl_text_isolate          (const char        *text);

G_END_DECLS
