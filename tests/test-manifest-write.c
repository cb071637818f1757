/* test-manifest-write.c — the manifest model: ISO 6346 numbers, the JSON
 * form both ways, and CUSCAR structure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "dl-manifest.h"

static void
test_iso6346 (void)
{
  /* CSQU3054383 is the standard's own example; the others were checked with an
   * independent implementation of the algorithm */
  const char *valid[] = { "CSQU3054383", "MSKU9070323", "TCNU1234565", "HLXU1234561", "MSCU1234566", NULL };
  const char *invalid[] = { "CSQU3054384", "CSQU305438", "CSQX3054383", "csqu3054383", "1SQU3054383",
                            "CSQU30543A3", "TCNU1234560", "", NULL };

  for (guint i = 0; valid[i]; i++)
    {
      g_test_message ("%s", valid[i]);
      g_assert_true (dl_iso6346_is_valid (valid[i]));
    }
  for (guint i = 0; invalid[i]; i++)
    g_assert_false (dl_iso6346_is_valid (invalid[i]));

  g_assert_cmpint (dl_iso6346_check_digit ("CSQU305438"), ==, 3);
  g_assert_cmpint (dl_iso6346_check_digit ("CSQU30543"), ==, -1);
  g_assert_false (dl_iso6346_is_valid (NULL));
}

static DlManifest *
sample (void)
{
  DlManifest *m = dl_manifest_new ();
  DlManifestContainer *c;

  m->message_id = g_strdup ("DL00000042");
  m->date = g_strdup ("2026-11-22");
  m->transport_mode = g_strdup ("sea");
  m->conveyance = g_strdup ("MV NOORDERLICHT");
  m->voyage = g_strdup ("042W");
  m->port_of_loading = g_strdup ("CNSHA");
  m->port_of_discharge = g_strdup ("NLRTM");
  m->consignor = g_strdup ("Smith + Sons: \"Exports\" ? Ltd.'s");
  m->consignee = g_strdup ("Noordzee Import B.V.");
  m->carrier = g_strdup ("DOORLICHT LINES");
  c = dl_manifest_add_container (m, "CSQU3054383", "42G1", TRUE);
  g_strfreev (c->seals);
  c->seals = g_strsplit ("SL000001,SL000002", ",", -1);
  dl_manifest_add_goods (m, "CSQU3054383", "401110", "Tyres: new, 205/55 R16 + rims? no", 120, "PK", 1080.5);
  dl_manifest_add_goods (m, "CSQU3054383", "100630", "Rice, milled", 200, "BG", 10000);
  return m;
}

static void
test_json_round_trip (void)
{
  g_autoptr(DlManifest) m = sample ();
  g_autofree char *json = dl_manifest_to_json (m);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlManifest) back = dl_manifest_from_json (json, &error);
  g_autofree char *again = NULL;
  DlManifestGoods *g;

  g_assert_no_error (error);
  g_assert_cmpstr (back->consignor, ==, m->consignor);
  g_assert_cmpstr (back->conveyance, ==, "MV NOORDERLICHT");
  g_assert_cmpuint (back->containers->len, ==, 1);
  g_assert_cmpstrv (((DlManifestContainer *) g_ptr_array_index (back->containers, 0))->seals,
                    ((DlManifestContainer *) g_ptr_array_index (m->containers, 0))->seals);
  g_assert_cmpuint (back->goods->len, ==, 2);
  g = g_ptr_array_index (back->goods, 0);
  g_assert_cmpstr (g->hs_code, ==, "401110");
  g_assert_cmpuint (g->packages, ==, 120);
  g_assert_cmpfloat (g->gross_kg, ==, 1080.5);
  g_assert_cmpfloat (dl_manifest_total_gross_kg (back), ==, 11080.5);

  again = dl_manifest_to_json (back);
  g_assert_cmpstr (again, ==, json);
}

static void
test_json_refuses (void)
{
  const char *bad[] = {
    "", "[1, 2]", "{\"format\": \"other/1\"}", "{\"containers\": []}",
    "{\"format\": \"doorlicht-manifest/1\", \"containers\": 5}",
    "{\"format\": \"doorlicht-manifest/1\", \"containers\": [{\"size_type\": \"22G1\"}]}",
    "{\"format\": \"doorlicht-manifest/1\", \"goods\": [{\"packages\": -4}]}",
    "{\"format\": \"doorlicht-manifest/1\", \"goods\": [7]}",
    "{\"format\": \"doorlicht-manifest/1\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DlManifest) m = dl_manifest_from_json (bad[i], &error);

      g_assert_null (m);
      g_assert_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID);
      g_test_message ("%s → %s", bad[i], error->message);
    }
}

static void
test_cuscar_structure (void)
{
  g_autoptr(DlManifest) m = sample ();
  g_autofree char *edi = dl_manifest_to_cuscar (m);
  g_auto(GStrv) lines = g_strsplit (edi, "\n", -1);
  guint n = g_strv_length (lines), first = 0, last = 0, unt_count = 0;

  g_test_message ("%s", edi);
  g_assert_true (g_str_has_prefix (edi, "UNA:+.? '\n"));
  g_assert_true (g_str_has_prefix (lines[1], "UNB+UNOC:3+"));
  g_assert_cmpstr (lines[n - 1], ==, "");
  g_assert_true (g_str_has_prefix (lines[n - 2], "UNZ+1+DL00000042'"));

  for (guint i = 0; lines[i]; i++)
    {
      if (g_str_has_prefix (lines[i], "UNH+1+CUSCAR:D:95B:UN'"))
        first = i;
      if (g_str_has_prefix (lines[i], "UNT+"))
        {
          last = i;
          g_assert_cmpint (sscanf (lines[i], "UNT+%u+1'", &unt_count), ==, 1);
        }
    }
  g_assert_cmpuint (first, >, 0);
  /* UNT counts the segments from UNH to UNT, both included */
  g_assert_cmpuint (unt_count, ==, last - first + 1);

  /* release character before + : ' ? in text */
  g_assert_nonnull (strstr (edi, "NAD+CZ+++Smith ?+ Sons?: \"Exports\" ?? Ltd.?'s'"));
  g_assert_nonnull (strstr (edi, "FTX+AAA+++Tyres?: new, 205/55 R16 ?+ rims?? no'"));
  g_assert_nonnull (strstr (edi, "EQD+CN+CSQU3054383+42G1:102:5+++5'"));
  g_assert_nonnull (strstr (edi, "SEL+SL000002+CA'"));
  g_assert_nonnull (strstr (edi, "MEA+WT+G+KGM:1080.5'"));
  g_assert_nonnull (strstr (edi, "DTM+137:20261122:102'"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/manifest/iso6346", test_iso6346);
  g_test_add_func ("/manifest/json-round-trip", test_json_round_trip);
  g_test_add_func ("/manifest/json-refuses", test_json_refuses);
  g_test_add_func ("/manifest/cuscar-structure", test_cuscar_structure);

  return g_test_run ();
}
