/* baplie-fixture.h — BAPLIE messages for the tests, written to the SMDG
 * user manuals' segment layouts (each says which).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <string.h>

/* One message UNH … UNT around @body (segments ending in "'", one a line),
 * with UNT counting right unless @unt_count is not 0. */
static inline char *
baplie_message (const char *reference,
                const char *release,       /* "95B:UN:SMDG22" */
                const char *body,
                guint       unt_count)
{
  guint n = 2;

  for (const char *p = body; *p; p++)
    n += *p == '\'';
  return g_strdup_printf ("UNH+%s+BAPLIE:D:%s'\n%sUNT+%u+%s'\n", reference, release, body,
                          unt_count ? unt_count : n, reference);
}

/* An interchange of the messages given (NULL-terminated), UNZ counting them. */
static inline char *
baplie_interchange (const char *first,
                    ...)
{
  GString *s = g_string_new ("UNA:+.? '\nUNB+UNOA:2+MSK+NLRTMECT+261120:1430+BP0042'\n");
  guint n = 0;
  va_list ap;

  va_start (ap, first);
  for (const char *m = first; m; m = va_arg (ap, const char *))
    {
      g_string_append (s, m);
      n++;
    }
  va_end (ap);
  g_string_append_printf (s, "UNZ+%u+BP0042'\n", n);
  return g_string_free (s, FALSE);
}

/* SMDG BAPLIE 2.2 (D.95B, association code SMDG22): the header (BGM, DTM
 * 137, TDT 20 with the vessel's call sign and name in C222, LOC 5 and 61,
 * DTM 178/136/132), then per stowage location the group LOC 147 – MEA –
 * LOC 9/11 – RFF BM – EQD – NAD CA, the weights before the container:
 * the gross weight as MEA+WT++KGM (2.1's form, kept in 2.2) and the VGM
 * as MEA+AAE+VGM+KGM followed by the DTM (798), RFF and NAD (SPC) of its
 * verification. */
#define BAPLIE_22_HEADER \
  "BGM++BP0042+9'\n" \
  "DTM+137:2611201430:201'\n" \
  "TDT+20+0123E+++MSK:172:20+++PDHR:103::EXAMPLE VESSEL'\n" \
  "LOC+5+CNSHA:139:6'\n" \
  "LOC+61+NLRTM:139:6'\n" \
  "DTM+178:2611181200:201'\n" \
  "DTM+136:2611201400:201'\n" \
  "DTM+132:2612051200:201'\n"

/* SMDG BAPLIE 3.1 (D.13B, SMDG31): BGM 659, the vessel by its IMO number
 * in C222 (8213, its list "IMO"), and per stowage location LOC 147 (the
 * ISO bay/row/tier position) – EQD (number and size/type qualified by
 * 6346, 8169 full/empty) – NAD CF (operator) – MEA AAE VGM – DTM 798 –
 * RFF – NAD SPC – MEA AAE T – LOC 9/11 – DGS with its own MEA (the net
 * explosive mass), the weights after the container. */
#define BAPLIE_31_HEADER \
  "BGM+659+BP0043+9'\n" \
  "DTM+137:202611201430:203'\n" \
  "TDT+20+0123E+++MSK:172:ZZZ+++9321483:IMO:ZZZ:EXAMPLE VESSEL'\n" \
  "LOC+5+CNSHA:139:6'\n" \
  "LOC+61+NLRTM:139:6'\n"
