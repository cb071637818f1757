/* dl-format.c — numbers, quantities and dates for people, in their locale.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-format"

#include "config.h"

#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dl-format.h"

#define NO_NUMBER "—"

/* printf writes in the locale's character set (a grouping space may be
 * one byte of ISO 8859); labels and the report want UTF-8. */
static char *
take_utf8 (char *text)
{
  char *utf8;

  if (g_get_charset (NULL))
    return text;
  utf8 = g_locale_to_utf8 (text, -1, NULL, NULL, NULL);
  g_free (text);
  return utf8 ? utf8 : g_strdup ("?");
}

/**
 * dl_format_number:
 * @decimals: digits after the decimal separator (at most 17)
 *
 * @value rounded to @decimals, with the locale's decimal separator and
 * digit grouping: “1.234,5” in nl_NL, “1,234.5” in en_US, “1234.5” in C.
 * A value that rounds to zero has no minus sign; a value that is not
 * finite gives “—”.
 */
char *
dl_format_number (double value,
                  guint  decimals)
{
  decimals = MIN (decimals, 17);
  if (!isfinite (value))
    return g_strdup (NO_NUMBER);
  if (fabs (value) < 0.5 * pow (10, -(double) decimals))
    value = 0;
  return take_utf8 (g_strdup_printf ("%'.*f", (int) decimals, value));
}

/* A whole number with the locale's digit grouping: “1.234.567” in nl_NL. */
char *
dl_format_count (guint64 n)
{
  return take_utf8 (g_strdup_printf ("%'" G_GUINT64_FORMAT, n));
}

/**
 * dl_format_quantity:
 * @unit: a unit symbol (“kg”, “mm”, “px”), the same in every language
 *
 * dl_format_number () and the unit after a space: “1.234,5 kg”.
 */
char *
dl_format_quantity (double      value,
                    guint       decimals,
                    const char *unit)
{
  g_autofree char *number = dl_format_number (value, decimals);

  return g_strdup_printf ("%s %s", number, unit);
}

/* A size in bytes as people read it: “8,5 MB” in nl_NL. */
char *
dl_format_bytes (guint64 size)
{
  return g_format_size (size);
}

/* The locale's date format (LC_TIME) with the year in full, since a case
 * outlives a century's two digits.  The C locale's “%m/%d/%y” is no
 * convention of anyone's: it gives ISO 8601 instead. */
static char *
date_format (void)
{
  const char *native = nl_langinfo (D_FMT);
  g_autofree char *utf8 = NULL;
  GString *out;

  if (native == NULL || native[0] == '\0' || strcmp (native, "%m/%d/%y") == 0)
    return g_strdup ("%Y-%m-%d");
  utf8 = g_locale_to_utf8 (native, -1, NULL, NULL, NULL);
  if (utf8 == NULL)
    return g_strdup ("%Y-%m-%d");

  out = g_string_new (NULL);
  for (const char *p = utf8; *p; p++)
    {
      g_string_append_c (out, *p);
      if (*p == '%' && p[1] != '\0')
        {
          p++;
          g_string_append_c (out, *p == 'y' ? 'Y' : *p);
        }
    }
  return g_string_free (out, FALSE);
}

/**
 * dl_format_date:
 *
 * The date of @dt (in its own time zone) in the locale's format:
 * “30-11-2026” in nl_NL, “11/30/2026” in en_US, “2026-11-30” in C.
 */
char *
dl_format_date (GDateTime *dt)
{
  g_autofree char *format = NULL;

  g_return_val_if_fail (dt != NULL, NULL);

  format = date_format ();
  return g_date_time_format (dt, format);
}

/**
 * dl_format_date_time:
 *
 * The date and time of @dt (in its own time zone: convert with
 * g_date_time_to_local () first to show local time) in the locale's
 * format: “30-11-2026 14:05:00” in nl_NL, “11/30/2026 02:05:00 PM” in
 * en_US, “2026-11-30 14:05:00” in C.
 */
char *
dl_format_date_time (GDateTime *dt)
{
  g_autofree char *date = NULL;
  g_autofree char *format = NULL;

  g_return_val_if_fail (dt != NULL, NULL);

  date = date_format ();
  format = g_strconcat (date, " %X", NULL);
  return g_date_time_format (dt, format);
}

/**
 * dl_format_iso_date:
 * @iso: a date as stored, “YYYY-MM-DD” (a manifest's date)
 *
 * That date in the locale's format (dl_format_date ()); anything that is
 * not such a date is returned as it is.
 */
char *
dl_format_iso_date (const char *iso)
{
  g_autoptr(GDateTime) dt = NULL;
  int y, m, d;

  g_return_val_if_fail (iso != NULL, NULL);

  if (strlen (iso) != 10 || iso[4] != '-' || iso[7] != '-')
    return g_strdup (iso);
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (iso[i]))
      return g_strdup (iso);
  y = atoi (iso);
  m = atoi (iso + 5);
  d = atoi (iso + 8);
  if (!g_date_valid_dmy (d, m, y))
    return g_strdup (iso);
  dt = g_date_time_new_utc (y, m, d, 0, 0, 0);
  return dt ? dl_format_date (dt) : g_strdup (iso);
}

/**
 * dl_format_list_separator:
 *
 * What separates numbers in a list: “, ”, or “; ” where the decimal
 * separator is a comma, so that “52,5; 102,5 mm” stays two numbers.
 */
const char *
dl_format_list_separator (void)
{
  const struct lconv *lc = localeconv ();

  return lc->decimal_point && strchr (lc->decimal_point, ',') ? "; " : ", ";
}
