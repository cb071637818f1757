/* test-baplie.c — BAPLIE bay plans read as the SMDG user manuals lay them
 * out (BAPLIE 2.1 and 2.2 on D.95B, 3.1 on D.13B: see baplie-fixture.h),
 * leniently where the content can be trusted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "baplie-fixture.h"
#include "dl-baplie.h"

static GPtrArray *
read_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *plans = dl_baplie_read (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (plans);
  return plans;
}

/* The warning of @plan about segment tag @tag whose message has @part. */
static const DlManifestWarning *
find_warning (const DlBayPlan *plan,
              const char      *tag,
              const char      *part)
{
  for (guint i = 0; i < plan->warnings->len; i++)
    {
      const DlManifestWarning *w = g_ptr_array_index (plan->warnings, i);

      if (g_strcmp0 (w->tag, tag) == 0 && strstr (w->message, part))
        return w;
    }
  return NULL;
}

static void
dump_warnings (const DlBayPlan *plan)
{
  for (guint i = 0; i < plan->warnings->len; i++)
    {
      g_autofree char *text = dl_manifest_warning_to_string (g_ptr_array_index (plan->warnings, i));

      g_test_message ("warning: %s", text);
    }
}

/* SMDG 2.2: two locations, one container each; the VGM with when, which
 * document and who; the other container empty with its gross weight
 * alone, in tonnes. */
static const char smdg22_body[] =
  BAPLIE_22_HEADER
  "LOC+147+0340782::5'\n"
  "MEA+WT++KGM:27800'\n"
  "MEA+AAE+VGM+KGM:27950.5'\n"
  "DTM+798:202611191030:203'\n"
  "RFF+AOJ:VGM-2026-0042'\n"
  "NAD+SPC+++SHIPPER B.V.'\n"
  "LOC+9+CNSHA'\n"
  "LOC+11+NLRTM'\n"
  "RFF+BM:1'\n"
  "EQD+CN+MSKU9070323+45G1+++5'\n"
  "NAD+CA+MSK:172:20'\n"
  "LOC+147+0120084::5'\n"
  "MEA+WT++TNE:2,23'\n"
  "LOC+9+CNSHA'\n"
  "LOC+11+DEHAM'\n"
  "RFF+BM:1'\n"
  "EQD+CN+CSQU3054383+22G1+++4'\n"
  "NAD+CA+MSK:172:20'\n";

static void
test_smdg22_vgm (void)
{
  g_autofree char *msg = baplie_message ("1", "95B:UN:SMDG22", smdg22_body, 0);
  g_autofree char *text = baplie_interchange (msg, NULL);
  g_autoptr(GPtrArray) plans = read_ok (text);
  DlBayPlan *plan = g_ptr_array_index (plans, 0);
  DlBayPlanContainer *a, *b;

  dump_warnings (plan);
  g_assert_cmpuint (plans->len, ==, 1);
  g_assert_cmpuint (plan->warnings->len, ==, 0);
  g_assert_cmpstr (plan->message_id, ==, "BP0042");
  g_assert_cmpstr (plan->version, ==, "SMDG22");
  g_assert_cmpstr (plan->voyage, ==, "0123E");
  g_assert_cmpstr (plan->carrier, ==, "MSK");
  g_assert_cmpstr (plan->vessel_id, ==, "PDHR");
  g_assert_cmpstr (plan->vessel, ==, "EXAMPLE VESSEL");
  g_assert_cmpuint (plan->containers->len, ==, 2);

  a = dl_bay_plan_find (plan, "MSKU9070323");
  g_assert_nonnull (a);
  g_assert_cmpstr (a->size_type, ==, "45G1");
  g_assert_true (a->has_full && a->full);
  g_assert_cmpstr (a->position, ==, "0340782");
  g_assert_cmpstr (a->port_of_loading, ==, "CNSHA");
  g_assert_cmpstr (a->port_of_discharge, ==, "NLRTM");
  g_assert_cmpfloat (a->gross_kg, ==, 27800);
  g_assert_cmpfloat (a->vgm_kg, ==, 27950.5);
  g_assert_true (isnan (a->tare_kg));
  g_assert_cmpstr (a->vgm_date, ==, "2026-11-19T10:30");
  g_assert_cmpstr (a->vgm_reference, ==, "AOJ:VGM-2026-0042");
  g_assert_cmpstr (a->vgm_party, ==, "SPC: SHIPPER B.V.");

  b = dl_bay_plan_find (plan, "csqu3054383");
  g_assert_nonnull (b);
  g_assert_true (b->has_full && !b->full);
  g_assert_cmpstr (b->position, ==, "0120084");
  g_assert_cmpstr (b->port_of_discharge, ==, "DEHAM");
  /* 2,23 t exactly, with the comma as decimal mark */
  g_assert_cmpfloat (b->gross_kg, ==, 2230);
  g_assert_true (isnan (b->vgm_kg));
  g_assert_null (b->vgm_date);
}

/* SMDG 2.1 (D.95B, SMDG21): no VGM yet, the gross weight alone. */
static void
test_smdg21_gross_only (void)
{
  g_autofree char *msg = baplie_message ("7", "95B:UN:SMDG21",
                                         BAPLIE_22_HEADER
                                         "LOC+147+0340782::5'\n"
                                         "MEA+WT++KGM:21500'\n"
                                         "LOC+9+CNSHA'\n"
                                         "LOC+11+NLRTM'\n"
                                         "RFF+BM:1'\n"
                                         "EQD+CN+TGHU1234567+42G1+++5'\n", 0);
  g_autofree char *text = baplie_interchange (msg, NULL);
  g_autoptr(GPtrArray) plans = read_ok (text);
  DlBayPlan *plan = g_ptr_array_index (plans, 0);
  DlBayPlanContainer *c = dl_bay_plan_find (plan, "TGHU1234567");

  g_assert_cmpuint (plan->warnings->len, ==, 0);
  g_assert_nonnull (c);
  g_assert_cmpfloat (c->gross_kg, ==, 21500);
  g_assert_true (isnan (c->vgm_kg));
  g_assert_true (isnan (c->tare_kg));
}

/* SMDG 3.1 (D.13B): the weights after the EQD, the tare given, a
 * dangerous goods group whose MEA is not the container's. */
static const char smdg31_body[] =
  BAPLIE_31_HEADER
  "LOC+147+0340782::5'\n"
  "EQD+CN+MSCU7654329:6346:5+45R1:6346:5+++5'\n"
  "NAD+CF+MSC:LINES:306'\n"
  "MEA+AAE+VGM+KGM:24100'\n"
  "DTM+798:202611181645:203'\n"
  "NAD+SPC+++REEFER EXPORTS LTD'\n"
  "MEA+AAE+T+KGM:4520'\n"
  "TMP+2+-18:CEL'\n"
  "LOC+9+CNSHA:139:6'\n"
  "LOC+11+NLRTM:139:6'\n"
  "DGS+IMD+3+1263'\n"
  "MEA+AAE+AAF+KGM:1200'\n"
  "FTX+AAD+++PAINT'\n";

static void
test_smdg31_tare (void)
{
  g_autofree char *msg = baplie_message ("BP0043", "13B:UN:SMDG31", smdg31_body, 0);
  g_autofree char *text = baplie_interchange (msg, NULL);
  g_autoptr(GPtrArray) plans = read_ok (text);
  DlBayPlan *plan = g_ptr_array_index (plans, 0);
  DlBayPlanContainer *c = dl_bay_plan_find (plan, "MSCU7654329");

  dump_warnings (plan);
  g_assert_cmpuint (plan->warnings->len, ==, 0);
  g_assert_cmpstr (plan->version, ==, "SMDG31");
  g_assert_cmpstr (plan->vessel_id, ==, "9321483");
  g_assert_cmpstr (plan->vessel, ==, "EXAMPLE VESSEL");
  g_assert_nonnull (c);
  g_assert_cmpstr (c->size_type, ==, "45R1");
  g_assert_cmpstr (c->position, ==, "0340782");
  g_assert_cmpfloat (c->vgm_kg, ==, 24100);
  g_assert_cmpfloat (c->tare_kg, ==, 4520);
  g_assert_true (isnan (c->gross_kg));
  g_assert_cmpstr (c->vgm_date, ==, "2026-11-18T16:45");
  g_assert_cmpstr (c->vgm_party, ==, "SPC: REEFER EXPORTS LTD");
  g_assert_cmpstr (c->port_of_loading, ==, "CNSHA");
  g_assert_cmpstr (c->port_of_discharge, ==, "NLRTM");
}

/* A size/type code that is no ISO 6346 code: kept, with a warning naming
 * the EQD and its place. */
static void
test_unknown_size_type (void)
{
  g_autofree char *msg = baplie_message ("1", "95B:UN:SMDG22",
                                         BAPLIE_22_HEADER
                                         "LOC+147+0340782::5'\n"
                                         "MEA+AAE+VGM+KGM:20000'\n"
                                         "EQD+CN+TGHU1234567+9QX9+++5'\n", 0);
  g_autofree char *text = baplie_interchange (msg, NULL);
  g_autoptr(GPtrArray) plans = read_ok (text);
  DlBayPlan *plan = g_ptr_array_index (plans, 0);
  const DlManifestWarning *w = find_warning (plan, "EQD", "9QX9");

  g_assert_nonnull (w);
  g_assert_cmpuint (w->segment, ==, 13);
  g_assert_cmpuint (w->line, ==, 14);   /* the UNA is line 1 */
  g_assert_cmpuint (w->column, >, 1);
  g_assert_cmpstr (((DlBayPlanContainer *) g_ptr_array_index (plan->containers, 0))->size_type, ==, "9QX9");
  g_assert_cmpfloat (((DlBayPlanContainer *) g_ptr_array_index (plan->containers, 0))->vgm_kg, ==, 20000);
}

/* A wrong UNT count, with every segment framed: read, with a warning. */
static void
test_wrong_unt (void)
{
  g_autofree char *msg = baplie_message ("1", "95B:UN:SMDG22", smdg22_body, 99);
  g_autofree char *text = baplie_interchange (msg, NULL);
  g_autoptr(GPtrArray) plans = read_ok (text);
  DlBayPlan *plan = g_ptr_array_index (plans, 0);

  dump_warnings (plan);
  g_assert_cmpuint (plan->containers->len, ==, 2);
  g_assert_cmpuint (plan->warnings->len, ==, 1);
  g_assert_nonnull (find_warning (plan, "UNT", "99"));
}

/* Weights that cannot be read are absent, never 0, each with a warning:
 * an unknown unit, not a number, zero, an unknown qualifier. */
static void
test_unreadable_weights (void)
{
  g_autofree char *msg = baplie_message ("1", "95B:UN:SMDG22",
                                         BAPLIE_22_HEADER
                                         "LOC+147+0340782::5'\n"
                                         "MEA+AAE+VGM+ONZ:900000'\n"
                                         "MEA+WT++KGM:heavy'\n"
                                         "MEA+AAE+T+KGM:0'\n"
                                         "MEA+AAE+ZZZ+KGM:1000'\n"
                                         "EQD+CN+TGHU1234567+42G1+++5'\n", 0);
  g_autofree char *text = baplie_interchange (msg, NULL);
  g_autoptr(GPtrArray) plans = read_ok (text);
  DlBayPlan *plan = g_ptr_array_index (plans, 0);
  DlBayPlanContainer *c = g_ptr_array_index (plan->containers, 0);
  g_autofree char *json = dl_bay_plan_to_json (plan);

  dump_warnings (plan);
  g_assert_true (isnan (c->vgm_kg));
  g_assert_true (isnan (c->gross_kg));
  g_assert_true (isnan (c->tare_kg));
  g_assert_nonnull (find_warning (plan, "MEA", "ONZ"));
  g_assert_nonnull (find_warning (plan, "MEA", "heavy"));
  g_assert_nonnull (find_warning (plan, "MEA", "tare"));
  g_assert_nonnull (find_warning (plan, "MEA", "ZZZ"));
  g_assert_cmpuint (plan->warnings->len, ==, 4);
  /* absent, not 0, in the JSON form too */
  g_assert_null (strstr (json, "vgm_kg"));
  g_assert_null (strstr (json, "gross_kg"));
}

/* A mass no container has (5 000 t; 10^92 kg) is refused like a missing
 * one, and the JSON form, which json-glib would write as "1e+92.0",
 * reads back. */
static void
test_impossible_weights (void)
{
  g_autofree char *digits = g_strnfill (93, '9');
  g_autofree char *body = g_strdup_printf (BAPLIE_22_HEADER
                                           "LOC+147+0340782::5'\n"
                                           "MEA+WT++TNE:5000'\n"
                                           "MEA+AAE+VGM+KGM:%s'\n"
                                           "MEA+AAE+T+KGM:2200'\n"
                                           "EQD+CN+TGHU1234567+42G1+++5'\n", digits);
  g_autofree char *msg = baplie_message ("1", "95B:UN:SMDG22", body, 0);
  g_autofree char *text = baplie_interchange (msg, NULL);
  g_autoptr(GPtrArray) plans = read_ok (text);
  DlBayPlan *plan = g_ptr_array_index (plans, 0);
  DlBayPlanContainer *c = g_ptr_array_index (plan->containers, 0);
  g_autofree char *json = dl_bay_plan_to_json (plan);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlBayPlan) back = dl_bay_plan_from_json (json, &error);

  dump_warnings (plan);
  g_assert_true (isnan (c->gross_kg));
  g_assert_true (isnan (c->vgm_kg));
  g_assert_cmpfloat (c->tare_kg, ==, 2200);
  g_assert_nonnull (find_warning (plan, "MEA", "5000"));
  g_assert_nonnull (find_warning (plan, "MEA", digits));
  g_assert_no_error (error);
  g_assert_nonnull (back);
}

/* The VGM as some 2.2 senders write it (6311 VGM), a bad check digit. */
static void
test_vgm_purpose_and_check_digit (void)
{
  g_autofree char *msg = baplie_message ("1", "95B:UN:SMDG22",
                                         BAPLIE_22_HEADER
                                         "LOC+147+0340782::5'\n"
                                         "MEA+VGM++KGM:18250'\n"
                                         "EQD+CN+TGHU1234568+22G1+++5'\n", 0);
  g_autofree char *text = baplie_interchange (msg, NULL);
  g_autoptr(GPtrArray) plans = read_ok (text);
  DlBayPlan *plan = g_ptr_array_index (plans, 0);
  DlBayPlanContainer *c = g_ptr_array_index (plan->containers, 0);

  g_assert_cmpfloat (c->vgm_kg, ==, 18250);
  g_assert_nonnull (find_warning (plan, "EQD", "check digit"));
}

/* Two messages in one interchange: a plan each, found across them. */
static void
test_two_messages (void)
{
  g_autofree char *m1 = baplie_message ("1", "95B:UN:SMDG22", smdg22_body, 0);
  g_autofree char *m2 = baplie_message ("2", "13B:UN:SMDG31", smdg31_body, 0);
  g_autofree char *text = baplie_interchange (m1, m2, NULL);
  g_autoptr(GPtrArray) plans = read_ok (text);
  DlBayPlan *in = NULL;
  DlBayPlanContainer *c;

  g_assert_cmpuint (plans->len, ==, 2);
  g_assert_cmpstr (((DlBayPlan *) g_ptr_array_index (plans, 1))->reference, ==, "2");
  c = dl_bay_plans_find (plans, "MSCU7654329", &in);
  g_assert_nonnull (c);
  g_assert_true (in == g_ptr_array_index (plans, 1));
  g_assert_cmpfloat (c->vgm_kg, ==, 24100);
  g_assert_null (dl_bay_plans_find (plans, "HLXU1122330", NULL));
}

/* Several containers at one location, weights before them: the weights
 * belong to none (a warning), never to the first. */
static void
test_shared_location (void)
{
  g_autofree char *msg = baplie_message ("1", "95B:UN:SMDG22",
                                         BAPLIE_22_HEADER
                                         "LOC+147+0340782::5'\n"
                                         "MEA+WT++KGM:30000'\n"
                                         "EQD+CN+TGHU1234567+22G1+++5'\n"
                                         "EQD+CN+CSQU3054383+22G1+++5'\n", 0);
  g_autofree char *text = baplie_interchange (msg, NULL);
  g_autoptr(GPtrArray) plans = read_ok (text);
  DlBayPlan *plan = g_ptr_array_index (plans, 0);

  g_assert_cmpuint (plan->containers->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_true (isnan (((DlBayPlanContainer *) g_ptr_array_index (plan->containers, i))->gross_kg));
  g_assert_nonnull (find_warning (plan, "LOC", "2 containers"));
}

/* Broken syntax, another message type, a container without a number:
 * refused, naming the place. */
static void
test_refused (void)
{
  g_autofree char *cuscar = g_strdup ("UNH+1+CUSCAR:D:95B:UN'\nBGM+85+X+9'\nUNT+3+1'\n");
  g_autofree char *nonumber = baplie_message ("1", "95B:UN:SMDG22",
                                              BAPLIE_22_HEADER "LOC+147+0340782::5'\nEQD+CN++22G1'\n", 0);
  const char *broken = "UNH+1+BAPLIE:D:95B:UN:SMDG22'\nBGM++X+9'\nEQD+CN+TGHU1234567";
  g_autoptr(GError) error = NULL;

  g_assert_null (dl_baplie_read (cuscar, strlen (cuscar), &error));
  g_assert_error (error, DL_EDIFACT_ERROR, DL_EDIFACT_ERROR_MESSAGE_TYPE);
  g_clear_error (&error);
  g_assert_null (dl_baplie_read (nonumber, strlen (nonumber), &error));
  g_assert_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "segment 11 (EQD)"));
  g_clear_error (&error);
  g_assert_null (dl_baplie_read (broken, strlen (broken), &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_null (dl_baplie_read ("", 0, &error));
  g_assert_nonnull (error);
}

/* The JSON form reads back the same; a case's extract keeps the one
 * container and the warnings about it or the whole message. */
static void
test_json_and_extract (void)
{
  g_autofree char *msg = baplie_message ("1", "95B:UN:SMDG22", smdg22_body, 30);
  g_autofree char *text = baplie_interchange (msg, NULL);
  g_autoptr(GPtrArray) plans = read_ok (text);
  DlBayPlan *plan = g_ptr_array_index (plans, 0);
  g_autofree char *json = dl_bay_plan_to_json (plan);
  g_autoptr(DlBayPlan) back = NULL;
  g_autoptr(DlBayPlan) one = NULL;
  g_autofree char *again = NULL;
  g_autoptr(GError) error = NULL;

  back = dl_bay_plan_from_json (json, &error);
  g_assert_no_error (error);
  again = dl_bay_plan_to_json (back);
  g_assert_cmpstr (again, ==, json);

  one = dl_bay_plan_extract (plan, "CSQU3054383");
  g_assert_nonnull (one);
  g_assert_cmpuint (one->containers->len, ==, 1);
  g_assert_cmpfloat (((DlBayPlanContainer *) g_ptr_array_index (one->containers, 0))->gross_kg, ==, 2230);
  g_assert_cmpstr (one->vessel, ==, "EXAMPLE VESSEL");
  /* the UNT count is about the whole message: kept */
  g_assert_cmpuint (one->warnings->len, ==, 1);
  g_assert_null (dl_bay_plan_extract (plan, "HLXU1122330"));

  g_assert_null (dl_bay_plan_from_json ("{\"format\":\"doorlicht-manifest/1\"}", &error));
  g_assert_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (dl_bay_plan_from_json ("{\"format\":\"doorlicht-bay-plan/1\",\"containers\":[{\"number\":\"X\","
                                        "\"vgm_kg\":-5}]}", &error));
  g_assert_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID);
}

/* A BAPLIE nobody here wrote: php-edifact's test file (D.95B, SMDG 2.0,
 * OOCL BEIJING; ../shared/corpus, PROVENANCE.tsv), three containers with
 * their gross weights and ISO 6346:1984 size codes (4200, 4500) the 1995
 * table does not have, said in warnings. */
static void
test_corpus_sample (void)
{
  const char *corpus = g_getenv ("DL_CORPUS_DIR");
  g_autofree char *path = corpus ? g_build_filename (corpus, "manifest", "edifact", "php-edifact__D95BBAPLIE.edi", NULL) : NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) plans = NULL;
  gsize length;
  DlBayPlan *plan;
  DlBayPlanContainer *c;

  if (path == NULL || !g_file_get_contents (path, &text, &length, NULL))
    {
      g_test_skip ("the shared corpus is not here");
      return;
    }
  plans = read_ok (text);
  g_assert_cmpuint (plans->len, ==, 1);
  plan = g_ptr_array_index (plans, 0);
  g_assert_cmpstr (plan->message_id, ==, "391651645");
  g_assert_cmpstr (plan->version, ==, "SMDG20");
  g_assert_cmpstr (plan->voyage, ==, "042");
  g_assert_cmpstr (plan->vessel, ==, "OOCL BEIJING");
  g_assert_cmpuint (plan->containers->len, ==, 3);
  c = dl_bay_plan_find (plan, "OOLU4293959");
  g_assert_nonnull (c);
  g_assert_cmpstr (c->size_type, ==, "4200");
  g_assert_true (c->has_full && !c->full);
  g_assert_cmpstr (c->position, ==, "0780690");
  g_assert_cmpstr (c->port_of_loading, ==, "USLGB");
  g_assert_cmpstr (c->port_of_discharge, ==, "CNYTN");
  g_assert_cmpfloat (c->gross_kg, ==, 3833);
  g_assert_true (isnan (c->vgm_kg));
  c = dl_bay_plan_find (plan, "MOEU0710945");
  g_assert_nonnull (c);
  g_assert_cmpstr (c->size_type, ==, "L5G1");
  g_assert_cmpfloat (c->gross_kg, ==, 3983);
  c = dl_bay_plan_find (plan, "OOLU8757889");
  g_assert_nonnull (c);
  g_assert_true (c->has_full && c->full);
  g_assert_cmpfloat (c->gross_kg, ==, 26000);
  g_assert_nonnull (find_warning (plan, "EQD", "4200"));
  g_assert_nonnull (find_warning (plan, "EQD", "4500"));
  g_assert_cmpuint (plan->warnings->len, ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/baplie/smdg22-vgm", test_smdg22_vgm);
  g_test_add_func ("/baplie/smdg21-gross-only", test_smdg21_gross_only);
  g_test_add_func ("/baplie/smdg31-tare", test_smdg31_tare);
  g_test_add_func ("/baplie/unknown-size-type", test_unknown_size_type);
  g_test_add_func ("/baplie/wrong-unt", test_wrong_unt);
  g_test_add_func ("/baplie/unreadable-weights", test_unreadable_weights);
  g_test_add_func ("/baplie/impossible-weights", test_impossible_weights);
  g_test_add_func ("/baplie/vgm-purpose-check-digit", test_vgm_purpose_and_check_digit);
  g_test_add_func ("/baplie/two-messages", test_two_messages);
  g_test_add_func ("/baplie/shared-location", test_shared_location);
  g_test_add_func ("/baplie/refused", test_refused);
  g_test_add_func ("/baplie/json-and-extract", test_json_and_extract);
  g_test_add_func ("/baplie/corpus-sample", test_corpus_sample);

  return g_test_run ();
}
