/* fuzz-baplie.c — libFuzzer harness for the BAPLIE reader and the bay
 * plan's JSON form: dl_baplie_read (); each plan read back from its JSON
 * form unchanged, each container's extract (what a case keeps) likewise;
 * and the input itself as the JSON form.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "fuzz-common.h"
#include "dl-baplie.h"

/* @plan's JSON form reads back, and writes the same again. */
static void
round_trip (const DlBayPlan *plan)
{
  g_autofree char *json = dl_bay_plan_to_json (plan);
  g_autofree char *again = NULL;
  g_autoptr(DlBayPlan) back = NULL;
  GError *error = NULL;

  back = dl_bay_plan_from_json (json, &error);
  if (back == NULL && error != NULL)
    dl_fuzz_fail ("a bay plan's own JSON form was refused: %s\n%s", error->message, json);
  dl_fuzz_check ("dl_bay_plan_from_json (its own JSON)", back != NULL, &error);
  if (back == NULL)
    dl_fuzz_fail ("a bay plan's own JSON form was refused");
  again = dl_bay_plan_to_json (back);
  if (strcmp (json, again) != 0)
    dl_fuzz_fail ("a bay plan's JSON form does not read back the same:\n%s\n%s", json, again);
}

static void
check_plan (const DlBayPlan *plan)
{
  round_trip (plan);
  for (guint i = 0; i < plan->containers->len; i++)
    {
      const DlBayPlanContainer *c = g_ptr_array_index (plan->containers, i);
      g_autoptr(DlBayPlan) one = dl_bay_plan_extract (plan, c->number);

      if (one == NULL || one->containers->len != 1)
        dl_fuzz_fail ("no extract of container %s", c->number);
      /* nothing unknown becomes 0: a mass is absent or above zero */
      if (c->vgm_kg == 0 || c->gross_kg == 0 || c->tare_kg == 0)
        dl_fuzz_fail ("container %s has a mass of 0 kg", c->number);
      round_trip (one);
    }
}

void
dl_fuzz_baplie (const guint8 *data,
                gsize         size)
{
  g_autoptr(GPtrArray) plans = NULL;
  g_autoptr(DlBayPlan) from_json = NULL;
  g_autofree char *text = NULL;
  GError *error = NULL;

  plans = dl_baplie_read ((const char *) data, size, &error);
  dl_fuzz_check ("dl_baplie_read", plans != NULL, &error);
  for (guint i = 0; plans && i < plans->len; i++)
    check_plan (g_ptr_array_index (plans, i));

  text = g_strndup ((const char *) data, size);
  from_json = dl_bay_plan_from_json (text, &error);
  dl_fuzz_check ("dl_bay_plan_from_json", from_json != NULL, &error);
  if (from_json)
    round_trip (from_json);
}

DL_FUZZ_DEFINE_MAIN (dl_fuzz_baplie)
