/* dl-json-build.h — the members Doorlicht's JSON writers add the same way
 * everywhere: a string that may be missing, a number that may not be
 * finite, each written as null then (JSON has no NaN).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <math.h>

static inline void
dl_json_set_string_or_null (JsonBuilder *b,
                            const char  *name,
                            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static inline void
dl_json_set_double_or_null (JsonBuilder *b,
                            const char  *name,
                            double       value)
{
  json_builder_set_member_name (b, name);
  if (isfinite (value))
    json_builder_add_double_value (b, value);
  else
    json_builder_add_null_value (b);
}
