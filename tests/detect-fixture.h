/* detect-fixture.h — what the detector tests share: the concealed
 * objects of a generator scan's truth and whether a finding lies on one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "dl-finding.h"
#include "dl-synth.h"

/* The concealed objects' boxes of @out's truth, 4 ints each. */
static inline GArray *
concealed_boxes (DlSynthOutput *out)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  GArray *boxes = g_array_new (FALSE, FALSE, sizeof (int));
  JsonArray *objects;

  g_assert_true (json_parser_load_from_data (parser, out->truth_json, -1, NULL));
  objects = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "objects");
  for (guint i = 0; i < json_array_get_length (objects); i++)
    {
      JsonObject *o = json_array_get_object_element (objects, i);
      JsonArray *b = json_object_get_array_member (o, "bbox_px");

      if (!json_object_get_boolean_member (o, "concealed"))
        continue;
      for (guint k = 0; k < 4; k++)
        {
          int v = json_array_get_int_element (b, k);
          g_array_append_val (boxes, v);
        }
    }
  return boxes;
}

static inline gboolean
overlaps_concealed (const DlFinding *f,
                    GArray          *boxes)
{
  double b[4];

  g_assert_true (dl_finding_get_bounds (f, b));
  for (guint i = 0; i + 3 < boxes->len; i += 4)
    {
      const int *c = &g_array_index (boxes, int, i);
      if (b[0] < c[2] && b[2] > c[0] && b[1] < c[3] && b[3] > c[1])
        return TRUE;
    }
  return FALSE;
}
