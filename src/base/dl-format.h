/* dl-format.h — numbers, quantities and dates for people, in their locale.
 *
 * Everything here follows the process locale: LC_NUMERIC for the decimal
 * separator and digit grouping (“1.234,5” in nl_NL, “1,234.5” in en_US,
 * “1234.5” in C), LC_TIME for dates.  It is for text people read: labels,
 * the status line, hints, the PDF report.  Never use it for what a program
 * reads back (JSON, CSV, EDIFACT, the case file, hashed or signed text):
 * those use g_ascii_dtostr ()/g_ascii_formatd () or json-glib, which write
 * “1.5” whatever the locale.  Inside a translatable sentence, the printf
 * flag ' (“%'.1f”, “%'u”) gives the same digits as these functions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char       *dl_format_number         (double      value,
                                      guint       decimals);
char       *dl_format_count          (guint64     n);
char       *dl_format_quantity       (double      value,
                                      guint       decimals,
                                      const char *unit);
char       *dl_format_bytes          (guint64     size);
char       *dl_format_date           (GDateTime  *dt);
char       *dl_format_date_time      (GDateTime  *dt);
char       *dl_format_iso_date       (const char *iso);
const char *dl_format_list_separator (void);

G_END_DECLS
