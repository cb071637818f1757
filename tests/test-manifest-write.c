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
  const char *valid[] = { "CSQU3054383", "MSKU9070323", "MSKU1234565", "TCNU1234565", "HLXU1234561",
                          "MSCU1234566", NULL };
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
  dl_manifest_current_consignment (m)->consignor = g_strdup ("Smith + Sons: \"Exports\" ? Ltd.'s");
  dl_manifest_current_consignment (m)->consignee = g_strdup ("Noordzee Import B.V.");
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
  g_assert_cmpstr (dl_manifest_get_consignor (back), ==, dl_manifest_get_consignor (m));
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
    "{\"format\": \"doorlicht-manifest/1\", \"consignor\": 5}",
    "{\"format\": \"doorlicht-manifest/1\", \"transport\": []}",
    "{\"format\": \"doorlicht-manifest/1\", \"containers\": [{\"number\": \"CSQU3054383\", \"full\": \"yes\"}]}",
    "{\"format\": \"doorlicht-manifest/1\", \"containers\": [{\"number\": \"CSQU3054383\", \"seals\": [1]}]}",
    "{\"format\": \"doorlicht-manifest/1\", \"goods\": [{\"packages\": \"12\"}]}",
    "{\"format\": \"doorlicht-manifest/1\", \"goods\": [{\"packages\": 1.5}]}",
    "{\"format\": \"doorlicht-manifest/1\", \"goods\": [{\"item\": 0}]}",
    "{\"format\": \"doorlicht-manifest/1\", \"goods\": [{\"gross_kg\": -1}]}",
    /* more than any cargo weighs (json-glib would write it back as "1e+92.0") */
    "{\"format\": \"doorlicht-manifest/1\", \"goods\": [{\"gross_kg\": 1e92}]}",
    "{\"format\": 1}",
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
  g_assert_nonnull (strstr (edi, "PIA+5+401110:HS'"));
  g_assert_nonnull (strstr (edi, "SGP+CSQU3054383+120'"));
  g_assert_nonnull (strstr (edi, "TDT+20+042W+1++:::DOORLICHT LINES+++:::MV NOORDERLICHT'"));

  /* the segment table's order: equipment before the consignment, each
   * goods item's segments after its GID */
  g_assert_true (strstr (edi, "EQD+") < strstr (edi, "CNI+"));
  g_assert_true (strstr (edi, "TDT+") < strstr (edi, "EQD+"));
  g_assert_true (strstr (edi, "GID+1+120:PK'") < strstr (edi, "FTX+AAA+++Tyres"));
  g_assert_true (strstr (edi, "FTX+AAA+++Tyres") < strstr (edi, "GID+2+200:BG'"));

  /* every segment ends with an unescaped terminator, and no text
   * character outside the release rules is left unescaped */
  for (guint i = 1; lines[i] && *lines[i]; i++)
    {
      gsize len = strlen (lines[i]), releases = 0;

      g_assert_cmpint (lines[i][len - 1], ==, '\'');
      while (releases + 1 < len && lines[i][len - 2 - releases] == '?')
        releases++;
      g_assert_cmpuint (releases % 2, ==, 0);
    }
}

/* A road consignment: no containers, the vehicle by registration. */
static void
test_cuscar_road (void)
{
  g_autoptr(DlManifest) m = dl_manifest_new ();
  g_autofree char *edi = NULL;
  g_autoptr(GError) error = NULL;

  m->message_id = g_strdup ("R1");
  m->date = g_strdup ("2026-02-28");
  m->transport_mode = g_strdup ("road");
  m->conveyance = g_strdup ("NL-12-BDL");
  m->voyage = g_strdup ("T001");
  m->port_of_loading = g_strdup ("DEHAM");
  m->port_of_discharge = g_strdup ("NLRTM");
  dl_manifest_add_goods (m, NULL, "480256", "Paper", 10, "PK", 500);
  g_assert_true (dl_manifest_validate (m, &error));
  g_assert_no_error (error);

  edi = dl_manifest_to_cuscar (m);
  g_test_message ("%s", edi);
  /* no carrier, consignor or consignee: no NAD, no empty carrier element */
  g_assert_nonnull (strstr (edi, "TDT+20+T001+3+++++NL-12-BDL'"));
  g_assert_null (strstr (edi, "NAD+"));
  g_assert_null (strstr (edi, "EQD+"));
  g_assert_null (strstr (edi, "SGP+"));
  /* UNH BGM DTM TDT LOC LOC CNI GID PIA FTX MEA UNT */
  g_assert_nonnull (strstr (edi, "UNT+12+1'"));
}

static void
test_ref_and_type (void)
{
  DlManifest *m = dl_manifest_new ();
  DlManifest *again = dl_manifest_ref (m);
  DlManifest *copy;
  GValue value = G_VALUE_INIT;

  g_assert_true (again == m);
  dl_manifest_unref (again);
  g_assert_true (G_TYPE_IS_BOXED (DL_TYPE_MANIFEST));
  g_value_init (&value, DL_TYPE_MANIFEST);
  g_value_set_boxed (&value, m);
  copy = g_value_dup_boxed (&value);
  g_assert_true (copy == m);
  dl_manifest_unref (copy);
  g_value_unset (&value);
  dl_manifest_unref (m);
}

/* The content rules, apart from reading. */
static void
test_validate (void)
{
  g_autoptr(DlManifest) good = sample ();
  g_autoptr(GError) error = NULL;
  static const char *cases[] = {
    "message id", "mode", "date", "check digit", "size type", "hs code", "container",
    "empty", "packages", "item", "mass", "twice",
  };

  g_assert_true (dl_manifest_validate (good, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dl_manifest_total_packages (good), ==, 320);
  g_assert_nonnull (dl_manifest_find_container (good, "CSQU3054383"));
  g_assert_null (dl_manifest_find_container (good, "CSQU3054384"));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DlManifest) m = sample ();
      g_autoptr(GError) e = NULL;
      DlManifestContainer *c = g_ptr_array_index (m->containers, 0);
      DlManifestGoods *g = g_ptr_array_index (m->goods, 1);

      switch (i)
        {
        case 0: g_clear_pointer (&m->message_id, g_free); break;
        case 1: g_free (m->transport_mode); m->transport_mode = g_strdup ("teleport"); break;
        case 2: g_free (m->date); m->date = g_strdup ("2026-02-30"); break;
        case 3: g_free (c->number); c->number = g_strdup ("CSQU3054384"); break;
        case 4: g_free (c->size_type); c->size_type = g_strdup ("4G1"); break;
        case 5: g_free (g->hs_code); g->hs_code = g_strdup ("10.06"); break;
        case 6: g_free (g->container); g->container = g_strdup ("MSKU1234565"); break;
        case 7: c->full = FALSE; break;
        case 8: g->packages = 0; break;
        case 9: g->item = 1; break;
        case 10: g->gross_kg = 0; break;
        case 11: dl_manifest_add_container (m, "CSQU3054383", "22G1", TRUE); break;
        default: g_assert_not_reached ();
        }
      g_assert_false (dl_manifest_validate (m, &e));
      g_assert_error (e, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INCONSISTENT);
      g_test_message ("%s: %s", cases[i], e->message);
    }
}


int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/manifest/iso6346", test_iso6346);
  g_test_add_func ("/manifest/json-round-trip", test_json_round_trip);
  g_test_add_func ("/manifest/json-refuses", test_json_refuses);
  g_test_add_func ("/manifest/cuscar-structure", test_cuscar_structure);
  g_test_add_func ("/manifest/cuscar-road", test_cuscar_road);
  g_test_add_func ("/manifest/ref-and-type", test_ref_and_type);
  g_test_add_func ("/manifest/validate", test_validate);

  return g_test_run ();
}
