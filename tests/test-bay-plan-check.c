/* test-bay-plan-check.c — a generator scan (its mass known) checked
 * against bay plans written to SMDG BAPLIE 2.2 and 3.1 (baplie-fixture.h):
 * a VGM that matches raises nothing, one 15 % above or below does, the
 * tare is the bay plan's or the size type's (said so), and what cannot
 * be compared is said.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "baplie-fixture.h"
#include "dl-bay-plan-check.h"
#include "dl-synth.h"

static DlSynthOutput *scene;       /* "pallet-concealment", seed 4, with its top view: an estimate that is no lower bound */
static const char *number;         /* its container */
static const char *size_type;
static double typical_tare;

/* A bay plan (SMDG 2.2 layout) of @container with a VGM of @vgm_kg, the
 * size/type @type and, when @tare_kg > 0, a tare. */
static DlBayPlan *
bay_plan (const char *container,
          const char *type,
          double      vgm_kg,
          double      tare_kg)
{
  g_autofree char *vgm = g_strdup_printf ("MEA+AAE+VGM+KGM:%.0f'\n", vgm_kg);
  g_autofree char *tare = tare_kg > 0 ? g_strdup_printf ("MEA+WT+T+KGM:%.0f'\n", tare_kg) : g_strdup ("");
  g_autofree char *eqd = g_strdup_printf ("EQD+CN+%s+%s+++5'\n", container, type);
  g_autofree char *body = g_strconcat (BAPLIE_22_HEADER, "LOC+147+0340782::5'\n", vgm, tare,
                                       "LOC+9+CNSHA'\nLOC+11+NLRTM'\nRFF+BM:1'\n", eqd, NULL);
  g_autofree char *msg = baplie_message ("1", "95B:UN:SMDG22", body, 0);
  g_autofree char *text = baplie_interchange (msg, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) plans = dl_baplie_read (text, strlen (text), &error);

  g_assert_no_error (error);
  return dl_bay_plan_ref (g_ptr_array_index (plans, 0));
}

static DlConsistency *
check (const DlBayPlan *plan)
{
  g_autoptr(GError) error = NULL;
  DlConsistency *result = dl_consistency_check_with_bay_plan (scene->scan, dl_calibration_get_default (),
                                                              scene->manifest, NULL, plan, &error);

  g_assert_no_error (error);
  g_test_message ("cargo %.0f ± %.0f kg (true %.0f, declared %.0f), %u views%s", result->cargo_kg,
                  result->cargo_kg_sigma, scene->cargo_kg, result->declared_kg, result->n_views,
                  result->lower_bound ? ", a lower bound" : "");
  for (guint i = 0; i < result->hints->len; i++)
    g_test_message ("  %s", ((DlHint *) g_ptr_array_index (result->hints, i))->message);
  return result;
}

/* The hint whose message has @part, or NULL. */
static const DlHint *
hint_with (const DlConsistency *result,
           const char          *part)
{
  for (guint i = 0; i < result->hints->len; i++)
    {
      const DlHint *h = g_ptr_array_index (result->hints, i);

      if (strstr (h->message, part))
        return h;
    }
  return NULL;
}

static void
test_typical_tare (void)
{
  double kg, sigma;

  g_assert_true (dl_iso6346_typical_tare ("45G1", &kg, &sigma));
  g_assert_cmpfloat (kg, ==, 3900);
  g_assert_cmpfloat (sigma, >, 0);
  g_assert_true (dl_iso6346_typical_tare ("22G1", &kg, NULL));
  g_assert_cmpfloat (kg, ==, 2230);
  g_assert_true (dl_iso6346_typical_tare ("L5G1", NULL, NULL));
  g_assert_false (dl_iso6346_typical_tare ("22P3", &kg, NULL));
  g_assert_false (dl_iso6346_typical_tare (NULL, &kg, NULL));
}

/* VGM = the true cargo plus the typical tare: no hint beyond the plain
 * check's (which raises none on this honest scene). */
static void
test_matching (void)
{
  g_autoptr(DlBayPlan) plan = bay_plan (number, size_type, scene->cargo_kg + typical_tare, 0);
  g_autoptr(DlConsistency) result = check (plan);

  g_assert_cmpuint (result->hints->len, ==, 0);
}

/* VGM 15 % above what the cargo and tare weigh: the scan shows less than
 * the bay plan leaves, and the manifest (honest) declares less than the
 * VGM; both hints say the tare was assumed from the size type. */
static void
test_vgm_above (void)
{
  g_autoptr(DlBayPlan) plan = bay_plan (number, size_type, 1.15 * (scene->cargo_kg + typical_tare), 0);
  g_autoptr(DlConsistency) result = check (plan);
  g_autofree char *said = g_strdup_printf ("Tare assumed from the size type %s", size_type);
  const DlHint *scan_hint = hint_with (result, "The scan shows");
  const DlHint *manifest_hint = hint_with (result, "The manifest declares");

  g_assert_nonnull (scan_hint);
  g_assert_nonnull (strstr (scan_hint->message, "less than the"));
  g_assert_cmpint (scan_hint->kind, ==, DL_HINT_WEIGHT);
  g_assert_cmpint (scan_hint->severity, >=, DL_HINT_SEVERITY_WARNING);
  g_assert_cmpstr (scan_hint->container, ==, number);
  g_assert_cmpfloat (scan_hint->measured, ==, result->cargo_kg);
  g_assert_cmpfloat (fabs (scan_hint->declared - (1.15 * (scene->cargo_kg + typical_tare) - typical_tare)), <, 1);
  g_assert_nonnull (strstr (scan_hint->message, said));
  g_assert_nonnull (manifest_hint);
  g_assert_nonnull (strstr (manifest_hint->message, said));
  g_assert_cmpfloat (manifest_hint->declared, <, manifest_hint->measured);
}

/* VGM 15 % below: the scan shows more. */
static void
test_vgm_below (void)
{
  g_autoptr(DlBayPlan) plan = bay_plan (number, size_type, 0.85 * (scene->cargo_kg + typical_tare), 0);
  g_autoptr(DlConsistency) result = check (plan);
  const DlHint *h = hint_with (result, "The scan shows");

  g_assert_nonnull (h);
  g_assert_nonnull (strstr (h->message, "more than the"));
  g_assert_cmpint (h->severity, >=, DL_HINT_SEVERITY_WARNING);
  g_assert_cmpfloat (h->declared, <, h->measured);
}

/* The bay plan's own tare is used, and said: a VGM that matches with the
 * typical tare is 2 t too heavy with a tare 2 t lighter given. */
static void
test_tare_given (void)
{
  double tare = typical_tare - 2000;
  g_autoptr(DlBayPlan) matching = bay_plan (number, size_type, scene->cargo_kg + tare, tare);
  g_autoptr(DlBayPlan) heavy = bay_plan (number, size_type, scene->cargo_kg + typical_tare, tare);
  g_autoptr(DlConsistency) ok = check (matching);
  g_autoptr(DlConsistency) off = check (heavy);
  const DlHint *h = hint_with (off, "The scan shows");

  g_assert_cmpuint (ok->hints->len, ==, 0);
  g_assert_nonnull (h);
  g_assert_nonnull (strstr (h->message, "less than the"));
  g_assert_nonnull (strstr (h->message, "Tare as the bay plan gives it: "));
}

/* A size type without a typical tare: not compared, an info hint why. */
static void
test_unknown_size_type (void)
{
  g_autoptr(DlBayPlan) plan = bay_plan (number, "22P3", 1.5 * (scene->cargo_kg + typical_tare), 0);
  g_autoptr(DlConsistency) result = check (plan);
  const DlHint *h = hint_with (result, "no typical tare");

  g_assert_nonnull (h);
  g_assert_cmpint (h->severity, ==, DL_HINT_SEVERITY_INFO);
  g_assert_nonnull (strstr (h->message, "22P3"));
  g_assert_true (isnan (h->declared));
  g_assert_null (hint_with (result, "The scan shows"));
}

/* No entry for the scanned container; the bay plan's container is not in
 * the manifest: an info hint naming it, nothing compared. */
static void
test_no_entry (void)
{
  g_autoptr(DlBayPlan) plan = bay_plan ("HLXU1122330", "42G1", 40000, 0);
  g_autoptr(DlConsistency) result = check (plan);
  const DlHint *h = hint_with (result, "no entry for container");

  g_assert_nonnull (h);
  g_assert_cmpint (h->severity, ==, DL_HINT_SEVERITY_INFO);
  g_assert_nonnull (strstr (h->message, "HLXU1122330"));
  g_assert_cmpuint (result->hints->len, ==, 1);
}

/* Without a bay plan the check is the plain one. */
static void
test_without (void)
{
  g_autoptr(DlConsistency) result = check (NULL);

  g_assert_cmpuint (result->hints->len, ==, 0);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  DlManifestContainer *c;
  int status;

  g_test_init (&argc, &argv, NULL);
  scene = dl_synth_generate ("pallet-concealment", 4, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scene->manifest->containers->len, ==, 1);
  c = g_ptr_array_index (scene->manifest->containers, 0);
  number = c->number;
  size_type = c->size_type;
  g_assert_true (dl_iso6346_typical_tare (size_type, &typical_tare, NULL));

  g_test_add_func ("/bay-plan-check/typical-tare", test_typical_tare);
  g_test_add_func ("/bay-plan-check/matching", test_matching);
  g_test_add_func ("/bay-plan-check/vgm-above", test_vgm_above);
  g_test_add_func ("/bay-plan-check/vgm-below", test_vgm_below);
  g_test_add_func ("/bay-plan-check/tare-given", test_tare_given);
  g_test_add_func ("/bay-plan-check/unknown-size-type", test_unknown_size_type);
  g_test_add_func ("/bay-plan-check/no-entry", test_no_entry);
  g_test_add_func ("/bay-plan-check/without", test_without);

  status = g_test_run ();
  dl_synth_output_free (scene);
  return status;
}
