/* fuzz-test-object.c — libFuzzer harness for OBJECT.json, the step-wedge
 * test object's description (dl_test_object_from_json ()).  What it
 * accepts is checked (dl_test_object_check ()), measured when the check
 * passes (its extent, every block's box, all finite) and must survive its own JSON form: what
 * dl_test_object_to_json () writes is read back, and written again the same.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "fuzz-common.h"
#include "dl-test-object.h"

static void
measure (const DlTestObject *object)
{
  double box[4];

  dl_test_object_extent (object, box);
  for (guint k = 0; k < 4; k++)
    if (!isfinite (box[k]))
      dl_fuzz_fail ("dl_test_object_extent gave a coordinate that is not finite");
  for (guint i = 0; i < object->series->len; i++)
    {
      const DlTestSeries *s = g_ptr_array_index (object->series, i);

      for (guint b = 0; b < s->n_blocks; b++)
        {
          dl_test_series_block (s, b, box);
          for (guint k = 0; k < 4; k++)
            if (!isfinite (box[k]))
              dl_fuzz_fail ("dl_test_series_block gave a coordinate that is not finite");
        }
    }
}

static void
round_trip (const DlTestObject *object)
{
  g_autofree char *json = dl_test_object_to_json (object);
  g_autofree char *again = NULL;
  g_autoptr(DlTestObject) back = NULL;
  GError *error = NULL;

  back = dl_test_object_from_json (json, -1, &error);
  if (back == NULL)
    dl_fuzz_fail ("dl_test_object_to_json wrote what dl_test_object_from_json refuses (%s):\n%s",
                  error ? error->message : "no error", json);
  again = dl_test_object_to_json (back);
  if (strcmp (json, again) != 0)
    dl_fuzz_fail ("OBJECT.json read back is written otherwise:\n%s\n---\n%s", json, again);
}

void
dl_fuzz_test_object (const guint8 *data,
                     gsize         size)
{
  g_autoptr(DlTestObject) object = NULL;
  GError *error = NULL;
  gboolean ok;

  object = dl_test_object_from_json ((const char *) data, (gssize) size, &error);
  dl_fuzz_check ("dl_test_object_from_json", object != NULL, &error);
  if (object == NULL)
    return;
  ok = dl_test_object_check (object, &error);
  dl_fuzz_check ("dl_test_object_check", ok, &error);
  if (ok)
    measure (object);
  round_trip (object);
}

DL_FUZZ_DEFINE_MAIN (dl_fuzz_test_object)
