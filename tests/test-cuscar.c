/* test-cuscar.c — reading manifests: CUSCAR over the EDIFACT parser (the
 * shared samples, our own writer's output read back), ISO 6346 numbers
 * and size/type codes, the CSV form, telling the forms apart, and the
 * JSON form against data/manifest.schema.json.
 *
 * The shared samples are $DL_CORPUS_DIR/manifest (set by
 * tests/meson.build); without them those cases are skipped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "dl-cuscar.h"
#include "dl-manifest.h"
#include "dl-synth.h"

#define POSITION_RE "^segment [0-9]+ (\\([A-Z0-9]{3}\\) )?at line [0-9]+, column [0-9]+: "

static char *corpus;

/* A manifest using every field. */
static DlManifest *
full_sample (void)
{
  DlManifest *m = dl_manifest_new ();
  DlManifestContainer *c;
  DlManifestGoods *g;

  m->message_id = g_strdup ("DL00000042");
  m->date = g_strdup ("2026-11-22");
  m->transport_mode = g_strdup ("sea");
  m->conveyance = g_strdup ("MV NOORDERLICHT");
  m->voyage = g_strdup ("042W");
  m->port_of_loading = g_strdup ("CNSHA");
  m->port_of_discharge = g_strdup ("NLRTM");
  dl_manifest_current_consignment (m)->consignor = g_strdup ("Smith + Sons: \"Exports\" ? Ltd.'s, Ünïcødé");
  dl_manifest_current_consignment (m)->consignee = g_strdup ("Noordzee Import B.V.");
  m->carrier = g_strdup ("DOORLICHT LINES");
  dl_manifest_current_consignment (m)->transport_document = g_strdup ("DLBL0042");
  dl_manifest_current_consignment (m)->transport_document_kind = g_strdup ("BM");
  c = dl_manifest_add_container (m, "CSQU3054383", "42G1", TRUE);
  g_strfreev (c->seals);
  c->seals = g_strsplit ("SL000001,SL000002", ",", -1);
  dl_manifest_add_container (m, "MSKU1234565", "22G1", FALSE);
  dl_manifest_add_goods (m, "CSQU3054383", "401110", "Tyres: new, 205/55 R16 + rims? no", 120, "PK", 1080.5);
  g = dl_manifest_add_goods (m, "CSQU3054383", "271012", "Motor spirit in drums, \"UN 1203\"", 40, "DR", 8000);
  g->un_number = g_strdup ("1203");
  g->hazard_class = g_strdup ("3");
  return m;
}

static void
assert_same_manifest (const DlManifest *a,
                      const DlManifest *b)
{
  g_autofree char *ja = dl_manifest_to_json (a);
  g_autofree char *jb = dl_manifest_to_json (b);

  g_assert_cmpstr (ja, ==, jb);
}

/* ---- CUSCAR ---------------------------------------------------------------------- */

static GPtrArray *
read_one (const char *edi)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *manifests = dl_cuscar_read (edi, strlen (edi), &error);

  g_assert_no_error (error);
  g_assert_nonnull (manifests);
  return manifests;
}

/* Our writer's output reads back as the same manifest. */
static void
test_round_trip (void)
{
  g_autoptr(DlManifest) m = full_sample ();
  g_autofree char *edi = dl_manifest_to_cuscar (m);
  g_autoptr(GPtrArray) back = read_one (edi);

  g_test_message ("%s", edi);
  g_assert_cmpuint (back->len, ==, 1);
  assert_same_manifest (m, g_ptr_array_index (back, 0));
  g_assert_true (dl_manifest_validate (g_ptr_array_index (back, 0), NULL));

  /* EDIFACT text holds no line breaks: the writer makes them spaces */
  {
    DlManifestGoods *g = g_ptr_array_index (m->goods, 0);
    g_autofree char *wrapped_edi = NULL;
    g_autoptr(GPtrArray) wrapped = NULL;

    g_free (g->description);
    g->description = g_strdup ("two\nlines");
    wrapped_edi = dl_manifest_to_cuscar (m);
    wrapped = read_one (wrapped_edi);
    g = g_ptr_array_index (((DlManifest *) g_ptr_array_index (wrapped, 0))->goods, 0);
    g_assert_cmpstr (g->description, ==, "two lines");
  }

  /* a road consignment without containers or parties */
  {
    g_autoptr(DlManifest) road = dl_manifest_new ();
    g_autofree char *road_edi = NULL;
    g_autoptr(GPtrArray) road_back = NULL;

    road->message_id = g_strdup ("R1");
    road->date = g_strdup ("2026-02-28");
    road->transport_mode = g_strdup ("road");
    road->conveyance = g_strdup ("NL-12-BDL");
    road->voyage = g_strdup ("T001");
    road->port_of_loading = g_strdup ("DEHAM");
    road->port_of_discharge = g_strdup ("NLRTM");
    dl_manifest_add_goods (road, NULL, "480256", "Paper", 10, "PK", 500);
    road_edi = dl_manifest_to_cuscar (road);
    road_back = read_one (road_edi);
    assert_same_manifest (road, g_ptr_array_index (road_back, 0));
  }
}

/* The synthetic scenes' CUSCAR reads back as their manifests. */
static void
test_synth_round_trip (void)
{
  const char *scenes[] = { "mixed", "truck", "empty", "tyres-concealment" };

  for (guint i = 0; i < G_N_ELEMENTS (scenes); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DlSynthOutput) out = dl_synth_generate (scenes[i], 3, FALSE, &error);
      g_autofree char *edi = NULL;
      g_autoptr(GPtrArray) back = NULL;
      g_autofree char *json = NULL;
      g_autoptr(GPtrArray) from_json = NULL;

      g_assert_no_error (error);
      edi = dl_manifest_to_cuscar (out->manifest);
      back = read_one (edi);
      g_assert_cmpuint (back->len, ==, 1);
      assert_same_manifest (out->manifest, g_ptr_array_index (back, 0));

      /* and the JSON form through the loader */
      json = dl_manifest_to_json (out->manifest);
      from_json = dl_manifest_load_bytes (json, strlen (json), &error);
      g_assert_no_error (error);
      assert_same_manifest (out->manifest, g_ptr_array_index (from_json, 0));
    }
}

#define HEAD "UNA:+.? '\nUNB+UNOC:3+S+R+260101:1200+IC'\nUNH+1+CUSCAR:D:95B:UN'\nBGM+85+DOC+9'\n"

/* HEAD, @body (segments each ending in "'\n"), UNT with the right count
 * and UNZ. */
static char *
wrap_message (const char *body)
{
  guint n = 0;

  for (const char *p = body; (p = strstr (p, "'\n")); p += 2)
    n++;
  return g_strdup_printf (HEAD "%sUNT+%u+1'\nUNZ+1+IC'\n", body, n + 3);
}

/* What the segments mean: units, qualifiers, groups. */
static void
test_segments (void)
{
  const char *body =
    "DTM+137:202602281530:203'\n"
    "NAD+CA+MAEU:172:20'\n"                      /* a carrier by code only */
    "TDT+10++1'\n"                               /* pre-carriage: not the main one */
    "TDT+20+V1+1++MAEU:172:20+++9321483:146:11:EMMA MAERSK'\n"
    "LOC+5+XXAAA'\nLOC+9+CNSHA:139:6'\nLOC+11+NLRTM'\nLOC+9+CNNGB'\n"
    "EQD+CN+CSQU3054383+45G1:102:5++2+5'\n"
    "SEL+S1+CA'\nSEL+S2+SH'\nSEL+S1+CU'\n"
    "EQD+CN+MSKU1234565+22G1+++4'\n"
    "EQD+PA+PALLET1'\nSEL+S9'\n"                 /* a pallet: not equipment we list, nor its seal */
    "CNI+1+DOC'\nRFF+BM:BL1?:2'\n"
    "NAD+CZ++ADDRESS LINE 1:LINE 2'\n"
    "NAD+CN+++NAME 1:NAME 2'\n"
    "GID+1+10:CT'\nFTX+AAA+++FIRST:SECOND'\nFTX+AAA+++THIRD'\nFTX+AAI+++NOT A DESCRIPTION'\n"
    "MEA+WT+G+TNE:1,5'\nMEA+WT+G+KGM:99'\nPIA+5+8471.30.00:HS'\nSGP+CSQU3054383+10'\n"
    "DGS+IMD+2.1+1950'\n"
    "GID+2+3:BX'\nMEA+AAE+AAB+LBR:100'\nPIA+1+ABC:SA+620342:HS'\n"
    "GID++1'\nMEA+WT+G+GRM:2500'\n";
  g_autofree char *edi = wrap_message (body);
  g_autoptr(GPtrArray) manifests = read_one (edi);
  DlManifest *m = g_ptr_array_index (manifests, 0);
  DlManifestContainer *c;
  DlManifestGoods *g;

  g_assert_cmpstr (m->message_id, ==, "DOC");
  g_assert_cmpstr (m->date, ==, "2026-02-28");
  g_assert_cmpstr (m->carrier, ==, "MAEU");
  g_assert_cmpstr (m->voyage, ==, "V1");
  g_assert_cmpstr (m->transport_mode, ==, "sea");
  g_assert_cmpstr (m->conveyance, ==, "EMMA MAERSK");
  g_assert_cmpstr (m->port_of_loading, ==, "CNSHA");
  g_assert_cmpstr (m->port_of_discharge, ==, "NLRTM");
  g_assert_cmpstr (dl_manifest_get_transport_document (m), ==, "BL1:2");
  g_assert_cmpstr (dl_manifest_get_transport_document_kind (m), ==, "BM");
  g_assert_cmpstr (dl_manifest_get_consignor (m), ==, "ADDRESS LINE 1, LINE 2");
  g_assert_cmpstr (dl_manifest_get_consignee (m), ==, "NAME 1 NAME 2");

  g_assert_cmpuint (m->containers->len, ==, 2);
  c = g_ptr_array_index (m->containers, 0);
  g_assert_cmpstr (c->size_type, ==, "45G1");
  g_assert_true (c->full);
  g_assert_cmpuint (g_strv_length (c->seals), ==, 2);
  g_assert_cmpstr (c->seals[1], ==, "S2");
  c = g_ptr_array_index (m->containers, 1);
  g_assert_false (c->full);
  g_assert_cmpuint (g_strv_length (c->seals), ==, 0);

  g_assert_cmpuint (m->goods->len, ==, 3);
  g = g_ptr_array_index (m->goods, 0);
  g_assert_cmpuint (g->item, ==, 1);
  g_assert_cmpuint (g->packages, ==, 10);
  g_assert_cmpstr (g->package_kind, ==, "CT");
  g_assert_cmpstr (g->description, ==, "FIRST SECOND THIRD");
  g_assert_cmpfloat (g->gross_kg, ==, 1500);      /* the first gross weight, in tonnes */
  g_assert_cmpstr (g->hs_code, ==, "84713000");
  g_assert_cmpstr (g->container, ==, "CSQU3054383");
  g_assert_cmpstr (g->un_number, ==, "1950");
  g_assert_cmpstr (g->hazard_class, ==, "2.1");
  g = g_ptr_array_index (m->goods, 1);
  g_assert_cmpfloat_with_epsilon (g->gross_kg, 45.359237, 1e-9);
  g_assert_cmpstr (g->hs_code, ==, "620342");
  g_assert_null (g->container);
  g_assert_null (g->un_number);
  g = g_ptr_array_index (m->goods, 2);
  g_assert_cmpuint (g->item, ==, 3);           /* no number: its place */
  g_assert_cmpfloat (g->gross_kg, ==, 2.5);
  g_assert_null (g->description);
}

/* Several messages: several manifests; without BGM, the message reference. */
static void
test_several_messages (void)
{
  const char *edi =
    "UNB+UNOC:3+S+R+260101:1200+IC'"
    "UNH+A+CUSCAR:D:95B:UN'GID+1+1:PK'UNT+3+A'"
    "UNH+B+CUSCAR:D:96B:UN'BGM+85+SECOND'GID+1+2:PK'GID+2+3:PK'UNT+5+B'"
    "UNZ+2+IC'";
  g_autoptr(GPtrArray) manifests = read_one (edi);

  g_assert_cmpuint (manifests->len, ==, 2);
  g_assert_cmpstr (((DlManifest *) g_ptr_array_index (manifests, 0))->message_id, ==, "A");
  g_assert_cmpstr (((DlManifest *) g_ptr_array_index (manifests, 1))->message_id, ==, "SECOND");
  g_assert_cmpuint (((DlManifest *) g_ptr_array_index (manifests, 1))->goods->len, ==, 2);
}

/* Values that cannot be read: refused, naming the segment and place. */
static void
test_refused (void)
{
  /* (a mass or a date that cannot be read is absent, with a warning:
   * test-cuscar-lenient.c) */
  static const struct { const char *body; const char *where; } cases[] = {
    { "GID+1+1:PK'\nMEA+WT+G+KGM:-4'\n", "segment 5 (MEA) at line 6, column 10: " },
    { "GID+one+1:PK'\n", "segment 4 (GID) at line 5, column 5: " },
    { "GID+1+1.5:PK'\n", "segment 4 (GID) at line 5, column 7: " },
    { "EQD+CN'\n", "segment 4 (EQD) at line 5, column 1: " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *edi = wrap_message (cases[i].body);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) manifests = dl_cuscar_read (edi, strlen (edi), &error);

      g_assert_null (manifests);
      g_assert_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, cases[i].where));
    }

  /* another message type, and an interchange without messages */
  {
    const char *orders = "UNB+UNOC:3+S+R+1+IC'UNH+1+ORDERS:D:96A:UN'UNT+2+1'UNZ+1+IC'";
    const char *none = "UNB+UNOC:3+S+R+1+IC'UNZ+0+IC'";
    g_autoptr(GError) e1 = NULL;
    g_autoptr(GError) e2 = NULL;

    g_assert_null (dl_cuscar_read (orders, strlen (orders), &e1));
    g_assert_error (e1, DL_EDIFACT_ERROR, DL_EDIFACT_ERROR_MESSAGE_TYPE);
    g_assert_nonnull (strstr (e1->message, "not CUSCAR"));
    g_assert_null (dl_cuscar_read (none, strlen (none), &e2));
    g_assert_error (e2, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID);
  }
}

/* Every shared sample: a manifest, or an error naming the segment and
 * place; BAPLIE (and other non-CUSCAR messages) refused as not CUSCAR. */
static void
test_corpus (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(GDir) d = NULL;
  const char *name;
  guint parsed = 0, refused = 0, other_type = 0;

  if (corpus == NULL)
    {
      g_test_skip ("DL_CORPUS_DIR is not set: no EDIFACT samples to test against");
      return;
    }
  dir = g_build_filename (corpus, "manifest", "edifact", NULL);
  d = g_dir_open (dir, 0, NULL);
  if (d == NULL)
    {
      g_test_skip ("no manifest/edifact folder in the corpus");
      return;
    }
  while ((name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) manifests = dl_manifest_load_file (path, &error);

      if (manifests)
        {
          parsed++;
          g_test_message ("%s: %u manifest(s)", name, manifests->len);
          continue;
        }
      refused++;
      g_test_message ("%s: %s", name, error->message);
      g_assert_true (g_regex_match_simple (POSITION_RE, error->message, 0, 0));
      if (g_error_matches (error, DL_EDIFACT_ERROR, DL_EDIFACT_ERROR_MESSAGE_TYPE))
        {
          other_type++;
          g_assert_nonnull (strstr (error->message, "not CUSCAR"));
        }
      if (strstr (name, "BAPLIE") || strstr (name, "COARRI"))
        {
          g_assert_error (error, DL_EDIFACT_ERROR, DL_EDIFACT_ERROR_MESSAGE_TYPE);
          g_assert_nonnull (strstr (error->message, strstr (name, "BAPLIE") ? "type BAPLIE" : "type COARRI"));
        }
    }
  g_test_message ("%u parsed, %u refused (%u of them not CUSCAR)", parsed, refused, other_type);
  g_assert_cmpuint (parsed + refused, >, 0);
}

/* The CUSCAR sample, read past its wrong UNT count. */
static void
test_corpus_cuscar_content (void)
{
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlEdifactInterchange) ix = NULL;
  g_autoptr(GPtrArray) manifests = NULL;
  DlManifest *m;
  DlManifestGoods *g;
  gsize len;

  if (corpus == NULL)
    {
      g_test_skip ("DL_CORPUS_DIR is not set: no EDIFACT samples to test against");
      return;
    }
  path = g_build_filename (corpus, "manifest", "edifact", "edifact-cuscar-tools__simple.edi", NULL);
  if (!g_file_get_contents (path, &data, &len, NULL))
    {
      g_test_skip ("no edifact-cuscar-tools__simple.edi in the corpus");
      return;
    }
  ix = dl_edifact_parse (data, len, "CUSCAR", DL_EDIFACT_PARSE_NO_COUNTS, &error);
  g_assert_no_error (error);
  manifests = dl_cuscar_read_interchange (ix, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (manifests->len, ==, 1);
  m = g_ptr_array_index (manifests, 0);

  g_assert_cmpstr (m->message_id, ==, "DOCREF1234");
  g_assert_cmpstr (m->date, ==, "2019-10-21");
  g_assert_cmpstr (m->transport_mode, ==, "sea");
  g_assert_cmpstr (m->voyage, ==, "TRANS1234");
  g_assert_cmpstr (m->conveyance, ==, "TEST SHIP");
  g_assert_cmpstr (m->carrier, ==, "SOMEONE");
  g_assert_cmpstr (m->port_of_loading, ==, "CRMOB");
  g_assert_cmpstr (m->port_of_discharge, ==, "GBPME");
  g_assert_cmpstr (dl_manifest_get_consignee (m), ==, "ANOTHER PERSON, A COMPANY, SOMEWHERE");
  g_assert_cmpstr (dl_manifest_get_consignor (m), ==, "ANOTHER DIFFERENT PERSON, ANOTHER COMPANY, SOMEWHERE ELSE");
  g_assert_cmpstr (dl_manifest_get_transport_document (m), ==, "DOCV373MOB909999");
  g_assert_cmpstr (dl_manifest_get_transport_document_kind (m), ==, "BM");
  g_assert_cmpuint (m->containers->len, ==, 0);   /* EQD+BL: blocks, not a container */
  g_assert_cmpuint (m->goods->len, ==, 1);
  g = g_ptr_array_index (m->goods, 0);
  g_assert_cmpuint (g->packages, ==, 2880);
  g_assert_cmpstr (g->description, ==, "FREETEXT DESC, DETAILS");
  g_assert_cmpfloat (g->gross_kg, ==, 55814);
  g_assert_cmpstr (g->container, ==, "EQ123456");
}

/* ---- ISO 6346 ----------------------------------------------------------------- */

static void
test_iso6346_numbers (void)
{
  const char *valid[] = { "CSQU3054383", "MSKU9070323", "TCNU1234565", "HLXU1234561", "FCIU9908030",
                          "CBHU6192031", "OOLU4293959", "MOEU0710945", "TEMU7359214", NULL };
  const char *invalid[] = { "CSQU3054384", "CSQU305438", "CSQX3054383", "csqu3054383", "CSQU 305438 3",
                            "EQ123456", "CSQU30543833", "", NULL };

  for (guint i = 0; valid[i]; i++)
    g_assert_true (dl_iso6346_is_valid (valid[i]));
  for (guint i = 0; invalid[i]; i++)
    g_assert_false (dl_iso6346_is_valid (invalid[i]));
}

static void
test_size_type (void)
{
  DlContainerSizeType st;
  g_autofree char *d42 = dl_iso6346_describe_size_type ("42G1");
  g_autofree char *d45 = dl_iso6346_describe_size_type ("45G1");
  g_autofree char *dl5 = dl_iso6346_describe_size_type ("L5G1");
  g_autofree char *d29 = dl_iso6346_describe_size_type ("29P0");
  g_autofree char *d2e = dl_iso6346_describe_size_type ("2EG0");
  g_autofree char *d26 = dl_iso6346_describe_size_type ("26T8");
  const char *bad[] = { "4G1", "42X1", "72G1", "47G1", "42GX", "42g1", "42G10", "", NULL };

  g_assert_cmpstr (d42, ==, "40 ft, 8 ft 6 in high, general purpose");
  g_assert_cmpstr (d45, ==, "40 ft, 9 ft 6 in high, general purpose");
  g_assert_cmpstr (dl5, ==, "45 ft, 9 ft 6 in high, general purpose");
  g_assert_cmpstr (d29, ==, "20 ft, 4 ft or less high, platform or flat rack");
  g_assert_cmpstr (d2e, ==, "20 ft, 9 ft 6 in high, wide, general purpose");
  g_assert_cmpstr (d26, ==, "20 ft, over 9 ft 6 in high, tank for gas");

  g_assert_true (dl_iso6346_decode_size_type ("22R1", &st));
  g_assert_cmpuint (st.length_mm, ==, 6058);
  g_assert_cmpuint (st.height_mm, ==, 2591);
  g_assert_cmpint (st.group, ==, DL_CONTAINER_REFRIGERATED);
  g_assert_true (dl_iso6346_decode_size_type ("22U6", &st));
  g_assert_cmpint (st.group, ==, DL_CONTAINER_HARD_TOP);
  for (guint i = 0; bad[i]; i++)
    {
      g_assert_false (dl_iso6346_decode_size_type (bad[i], &st));
      g_assert_null (dl_iso6346_describe_size_type (bad[i]));
    }
  g_assert_false (dl_iso6346_decode_size_type (NULL, NULL));
}

/* The group a corpus description names, or −1. */
static int
group_in_description (const char *d)
{
  static const struct { const char *word; DlContainerGroup group; } words[] = {
    { "TANK FOR GAS", DL_CONTAINER_GAS_TANK }, { "TANK", DL_CONTAINER_TANK },
    { "REEFER", DL_CONTAINER_REFRIGERATED }, { "INSULATED", DL_CONTAINER_INSULATED },
    { "HARDTOP", DL_CONTAINER_HARD_TOP }, { "OPEN TOP", DL_CONTAINER_OPEN_TOP },
    { "FLAT", DL_CONTAINER_PLATFORM }, { "PLATFORM", DL_CONTAINER_PLATFORM },
    { "BULK", DL_CONTAINER_BULK }, { "VENTILATED", DL_CONTAINER_VENTILATED },
    { "VE-HALF", DL_CONTAINER_VENTILATED }, { "NAMED CARGO", DL_CONTAINER_NAMED_CARGO },
    { "GENERAL PURPOSE", DL_CONTAINER_GENERAL }, { "GP", DL_CONTAINER_GENERAL },
    { "CUBE", DL_CONTAINER_GENERAL }, { "STANDARD", DL_CONTAINER_GENERAL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (strstr (d, words[i].word))
      return words[i].group;
  return -1;
}

/* Every size/type code of the corpus's ISO 6346 table decodes, to the
 * group, height and width its description names. */
static void
test_size_type_corpus (void)
{
  g_autofree char *path = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GRegex) row = g_regex_new ("\\(\\d+, '([0-9A-Z]{4})', '([^']*)'\\)", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  guint n = 0;

  if (corpus == NULL)
    {
      g_test_skip ("DL_CORPUS_DIR is not set: no ISO 6346 table to test against");
      return;
    }
  path = g_build_filename (corpus, "manifest", "containers", "Roskus-iso__002_container_freight_transport_data.sql", NULL);
  if (!g_file_get_contents (path, &sql, NULL, NULL))
    {
      g_test_skip ("no ISO 6346 size/type table in the corpus");
      return;
    }
  for (g_regex_match (row, sql, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *code = g_match_info_fetch (match, 1);
      g_autofree char *desc = g_match_info_fetch (match, 2);
      g_autofree char *text = dl_iso6346_describe_size_type (code);
      DlContainerSizeType st;
      int group = group_in_description (desc);

      g_test_message ("%s %s → %s", code, desc, text ? text : "(none)");
      g_assert_true (dl_iso6346_decode_size_type (code, &st));
      g_assert_nonnull (text);
      /* "TANK CONTAINER" also names the gas tanks T7 … T9 */
      if (group == DL_CONTAINER_TANK && st.group == DL_CONTAINER_GAS_TANK)
        g_assert_cmpint (code[3], >=, '7');
      else if (group >= 0)
        g_assert_cmpint (st.group, ==, group);
      if (strstr (desc, "SUPER HIGH CUBE"))
        g_assert_true (st.height_over);
      else if (strstr (desc, "HIGH CUBE") || strstr (desc, "HIGHCUBE"))
        g_assert_cmpuint (st.height_mm, ==, 2895);
      if (strstr (desc, "HALF"))
        g_assert_cmpuint (st.height_mm, <=, 1295);
      if (strstr (desc, "2.5"))
        g_assert_true (st.wide);
      g_assert_true (code[0] != '2' || strstr (text, "20 ft"));
      g_assert_true (code[0] != '4' || strstr (text, "40 ft"));
      g_assert_true (code[0] != 'L' || strstr (text, "45 ft"));
      n++;
    }
  g_assert_cmpuint (n, >, 50);
}

/* ---- CSV ----------------------------------------------------------------------- */

static void
test_csv_round_trip (void)
{
  g_autoptr(DlManifest) m = full_sample ();
  g_autofree char *csv = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlManifest) back = NULL;
  g_auto(GStrv) lines = NULL;
  DlManifestGoods *g = g_ptr_array_index (m->goods, 1);

  /* CSV keeps line breaks in text */
  g_free (g->description);
  g->description = g_strdup ("Motor spirit\r\nin drums, \"UN 1203\"");
  csv = dl_manifest_to_csv (m);
  lines = g_strsplit (csv, "\r\n", -1);
  back = dl_manifest_from_csv (csv, strlen (csv), &error);

  g_test_message ("%s", csv);
  g_assert_no_error (error);
  assert_same_manifest (m, back);
  g_assert_true (g_str_has_prefix (csv, "message_id,date,transport_mode,"));
  /* quoted: commas, quotes, line breaks */
  g_assert_nonnull (strstr (csv, "\"Smith + Sons: \"\"Exports\"\" ? Ltd.'s, Ünïcødé\""));
  g_assert_nonnull (strstr (csv, "\"Motor spirit\r\nin drums, \"\"UN 1203\"\"\""));
  g_assert_nonnull (strstr (csv, ",42G1,true,SL000001;SL000002,,,,,,1\r\n"));
  /* header, two goods lines (one of two lines), the empty container, and the end */
  g_assert_cmpuint (g_strv_length (lines), ==, 5 + 1);
  g_assert_true (g_str_has_suffix (lines[4], ",MSKU1234565,,,,,,,,22G1,false,,,,,,,"));

  /* nothing but the header fields */
  {
    g_autoptr(DlManifest) bare = dl_manifest_new ();
    g_autofree char *bare_csv = NULL;
    g_autoptr(DlManifest) bare_back = NULL;

    bare->message_id = g_strdup ("X");
    bare_csv = dl_manifest_to_csv (bare);
    bare_back = dl_manifest_from_csv (bare_csv, strlen (bare_csv), &error);
    g_assert_no_error (error);
    assert_same_manifest (bare, bare_back);
  }

  /* a spreadsheet's CSV: LF line ends, columns in another order, an
   * unknown column, header fields given once */
  {
    const char *sheet = "\xEF\xBB\xBFitem,gross_kg,remarks,message_id,container,full\n"
                        "1,10.5,x,M1,CSQU3054383,true\n"
                        "2,3,,,CSQU3054383,\n\n";
    g_autoptr(DlManifest) s = dl_manifest_from_csv (sheet, strlen (sheet), &error);

    g_assert_no_error (error);
    g_assert_cmpstr (s->message_id, ==, "M1");
    g_assert_cmpuint (s->goods->len, ==, 2);
    g_assert_cmpuint (s->containers->len, ==, 1);
    g_assert_cmpfloat (dl_manifest_total_gross_kg (s), ==, 13.5);
  }
}

static void
test_csv_refused (void)
{
  static const struct { const char *csv; const char *what; } cases[] = {
    { "item,description\n1,\"open\n", "line 2" },
    { "item,description\n1,a,b\n", "line 2" },
    { "item,packages\n1,many\n", "line 2" },
    { "item,packages\n1,-3\n", "line 2" },
    { "item,gross_kg\n1,1e999\n", "line 2" },
    { "item,gross_kg\n1,-1\n", "line 2" },
    { "item,container,full\n1,CSQU3054383,maybe\n", "line 2" },
    { "item,message_id\n1,A\n2,B\n", "line 3" },
    { "item,container,size_type\n1,CSQU3054383,42G1\n2,CSQU3054383,22G1\n", "line 3" },
    { "item,description\n1,\"a\"b\n", "line 2" },
    { "item,description\n1,a\"b\n", "line 2" },
    { "item,item\n1,1\n", "line 1" },
    { "item,description\n", "line 1" },
    { "item,description\n0,x\n", "line 2" },
    { "item,description\n,x\n", "line 2" },
    { "item,size_type\n1,42G1\n", "line 2" },
    { "item,description\n1,\xC3(\n", "line 2" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DlManifest) m = dl_manifest_from_csv (cases[i].csv, strlen (cases[i].csv), &error);

      g_assert_null (m);
      g_assert_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].what));
    }
}

/* ---- any form ---------------------------------------------------------------- */

/* The form is told by the content: files named for another form still
 * read as what they are. */
static void
test_detect (void)
{
  g_autoptr(DlManifest) m = full_sample ();
  g_autofree char *dir = g_dir_make_tmp ("dl-manifest-XXXXXX", NULL);
  g_autofree char *json = dl_manifest_to_json (m);
  g_autofree char *csv = dl_manifest_to_csv (m);
  g_autofree char *edi = dl_manifest_to_cuscar (m);
  const char *forms[][2] = { { "a.csv", json }, { "b.edi", csv }, { "c.json", edi } };
  const char *bad[] = { "", "   \n", "hello, world\n", "\x89PNG\r\n\x1a\n", "[]", "[1]", "{\"format\": \"x\"}",
                        "UNB+UNOC:3+S+R+1+R'", "{\"format\": \"doorlicht-manifest/1\"}\0{" };

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autofree char *path = g_build_filename (dir, forms[i][0], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) manifests = NULL;

      g_assert_true (g_file_set_contents (path, forms[i][1], -1, NULL));
      manifests = dl_manifest_load_file (path, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (manifests->len, ==, 1);
      assert_same_manifest (m, g_ptr_array_index (manifests, 0));
      g_unlink (path);
    }

  /* a list of manifests in JSON */
  {
    g_autofree char *list = g_strdup_printf ("[%s, %s]", json, json);
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) manifests = dl_manifest_load_bytes (list, strlen (list), &error);

    g_assert_no_error (error);
    g_assert_cmpuint (manifests->len, ==, 2);
  }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      gsize len = i == G_N_ELEMENTS (bad) - 1 ? 39 : strlen (bad[i]);
      g_autoptr(GPtrArray) manifests = dl_manifest_load_bytes (bad[i], len, &error);

      g_assert_null (manifests);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
    }

  {
    g_autoptr(GError) error = NULL;
    g_assert_null (dl_manifest_load_file ("/nonexistent/manifest.json", &error));
    g_assert_nonnull (error);
  }
  g_rmdir (dir);
}

/* ---- the JSON schema ---------------------------------------------------------------- */

static gboolean
type_matches (JsonNode   *node,
              const char *type)
{
  GType vt = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  if (strcmp (type, "null") == 0)
    return JSON_NODE_HOLDS_NULL (node);
  if (strcmp (type, "object") == 0)
    return JSON_NODE_HOLDS_OBJECT (node);
  if (strcmp (type, "array") == 0)
    return JSON_NODE_HOLDS_ARRAY (node);
  if (strcmp (type, "string") == 0)
    return vt == G_TYPE_STRING;
  if (strcmp (type, "boolean") == 0)
    return vt == G_TYPE_BOOLEAN;
  if (strcmp (type, "integer") == 0)
    return vt == G_TYPE_INT64;
  if (strcmp (type, "number") == 0)
    return vt == G_TYPE_INT64 || vt == G_TYPE_DOUBLE;
  g_error ("unknown schema type %s", type);
  return FALSE;
}

/* A small validator for what the schema uses: type (one or a list),
 * required, properties, additionalProperties: false, items, enum,
 * pattern, minimum.  @path names the place in failures. */
static void
validate (JsonObject *schema,
          JsonNode   *node,
          const char *path)
{
  if (json_object_has_member (schema, "type"))
    {
      JsonNode *t = json_object_get_member (schema, "type");
      gboolean ok = FALSE;

      if (JSON_NODE_HOLDS_ARRAY (t))
        for (guint i = 0; i < json_array_get_length (json_node_get_array (t)); i++)
          ok = ok || type_matches (node, json_array_get_string_element (json_node_get_array (t), i));
      else
        ok = type_matches (node, json_node_get_string (t));
      if (!ok)
        g_error ("%s: not of the schema's type", path);
    }
  if (JSON_NODE_HOLDS_NULL (node))
    return;
  if (json_object_has_member (schema, "enum"))
    {
      JsonArray *values = json_object_get_array_member (schema, "enum");
      gboolean found = FALSE;

      for (guint i = 0; i < json_array_get_length (values); i++)
        found = found || json_node_equal (json_array_get_element (values, i), node);
      if (!found)
        g_error ("%s: not one of the schema's values", path);
    }
  if (json_object_has_member (schema, "pattern") && JSON_NODE_HOLDS_VALUE (node))
    if (!g_regex_match_simple (json_object_get_string_member (schema, "pattern"), json_node_get_string (node), 0, 0))
      g_error ("%s: '%s' does not match the schema's pattern", path, json_node_get_string (node));
  if (json_object_has_member (schema, "minimum")
      && json_node_get_double (node) < json_object_get_double_member (schema, "minimum"))
    g_error ("%s: below the schema's minimum", path);

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *o = json_node_get_object (node);
      JsonObject *props = json_object_has_member (schema, "properties")
                          ? json_object_get_object_member (schema, "properties") : NULL;
      JsonArray *required = json_object_has_member (schema, "required")
                            ? json_object_get_array_member (schema, "required") : NULL;
      g_autoptr(GList) members = json_object_get_members (o);

      for (guint i = 0; required && i < json_array_get_length (required); i++)
        if (!json_object_has_member (o, json_array_get_string_element (required, i)))
          g_error ("%s: the required member '%s' is missing", path, json_array_get_string_element (required, i));
      for (GList *l = members; l; l = l->next)
        {
          g_autofree char *sub = g_strdup_printf ("%s.%s", path, (const char *) l->data);

          if (props && json_object_has_member (props, l->data))
            validate (json_object_get_object_member (props, l->data), json_object_get_member (o, l->data), sub);
          else if (json_object_has_member (schema, "additionalProperties")
                   && !json_object_get_boolean_member (schema, "additionalProperties"))
            g_error ("%s: a member the schema does not know", sub);
        }
    }
  if (JSON_NODE_HOLDS_ARRAY (node) && json_object_has_member (schema, "items"))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
      {
        g_autofree char *sub = g_strdup_printf ("%s[%u]", path, i);
        validate (json_object_get_object_member (schema, "items"),
                  json_array_get_element (json_node_get_array (node), i), sub);
      }
}

/* The names in @schema's "properties" and the members of @o are the same. */
static void
assert_same_names (JsonObject *schema,
                   JsonObject *o,
                   const char *what)
{
  JsonObject *props = json_object_get_object_member (schema, "properties");
  g_autoptr(GList) names = json_object_get_members (props);
  g_autoptr(GList) members = json_object_get_members (o);

  for (GList *l = names; l; l = l->next)
    if (!json_object_has_member (o, l->data))
      g_error ("%s: the schema's '%s' is not written by dl_manifest_to_json", what, (const char *) l->data);
  for (GList *l = members; l; l = l->next)
    if (!json_object_has_member (props, l->data))
      g_error ("%s: '%s' is written but not in the schema", what, (const char *) l->data);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static JsonNode *
load_schema_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", name, NULL);
  g_autofree char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return parse_json (text);
}

static JsonNode *
load_schema (void)
{
  return load_schema_file ("manifest.schema.json");
}

/* Version 1, still written where asked: against its own schema. */
static void
check_schema_1 (DlManifest *m)
{
  g_autoptr(JsonNode) schema_node = load_schema_file ("manifest-1.schema.json");
  g_autoptr(GError) error = NULL;
  g_autofree char *json = dl_manifest_to_json_version (m, 1, &error);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *schema, *root, *props;

  g_assert_no_error (error);
  node = parse_json (json);
  schema = json_node_get_object (schema_node);
  root = json_node_get_object (node);
  props = json_object_get_object_member (schema, "properties");
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "doorlicht-manifest/1");
  assert_same_names (schema, root, "manifest 1");
  assert_same_names (json_object_get_object_member (json_object_get_object_member (props, "goods"), "items"),
                     json_array_get_object_element (json_object_get_array_member (root, "goods"), 1),
                     "goods line 1");
  validate (schema, node, "sample 1");
}

static void
test_schema (void)
{
  g_autoptr(JsonNode) schema_node = load_schema ();
  g_autoptr(DlManifest) m = full_sample ();
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *schema, *root, *props, *consignment, *consignment_props;
  const char *scenes[] = { "mixed", "empty", "truck" };

  /* warnings are written only when there are any */
  dl_manifest_add_warning (m, 31, "UNT", 31, 5, "UNT counts 313 segments, there are 30");
  dl_manifest_add_warning (m, 0, NULL, 0, 0, "no place");
  /* placements are written only for a goods item split over containers:
   * one with a mass, one without */
  dl_manifest_goods_add_placement (g_ptr_array_index (m->goods, 1), "CSQU3054383", 30, 6000);
  dl_manifest_goods_add_placement (g_ptr_array_index (m->goods, 1), "MSKU1234565", 10, DL_MANIFEST_NO_MASS);
  check_schema_1 (m);
  /* the members written only when given */
  {
    DlManifestConsignment *c = g_ptr_array_index (m->consignments, 0);

    c->notify_party = g_strdup ("Notify B.V.");
    c->place_of_loading = g_strdup ("CNSHA");
    c->place_of_discharge = g_strdup ("NLRTM");
    c->place_of_delivery = g_strdup ("DEDUI");
  }
  json = dl_manifest_to_json (m);
  node = parse_json (json);
  schema = json_node_get_object (schema_node);
  root = json_node_get_object (node);
  props = json_object_get_object_member (schema, "properties");
  consignment = json_array_get_object_element (json_object_get_array_member (root, "consignments"), 0);
  consignment_props = json_object_get_object_member (json_object_get_object_member (
                        json_object_get_object_member (props, "consignments"), "items"), "properties");

  /* every field the writer has, and only those, with the schema's types */
  assert_same_names (schema, root, "manifest");
  assert_same_names (json_object_get_object_member (props, "transport"),
                     json_object_get_object_member (root, "transport"), "transport");
  assert_same_names (json_object_get_object_member (json_object_get_object_member (props, "containers"), "items"),
                     json_array_get_object_element (json_object_get_array_member (root, "containers"), 0),
                     "container");
  assert_same_names (json_object_get_object_member (json_object_get_object_member (props, "consignments"), "items"),
                     consignment, "consignment");
  assert_same_names (json_object_get_object_member (json_object_get_object_member (consignment_props, "goods"), "items"),
                     json_array_get_object_element (json_object_get_array_member (consignment, "goods"), 1),
                     "goods line");
  {
    JsonObject *goods_props = json_object_get_object_member (json_object_get_object_member (
                                json_object_get_object_member (consignment_props, "goods"), "items"), "properties");
    JsonObject *line = json_array_get_object_element (json_object_get_array_member (consignment, "goods"), 1);

    assert_same_names (json_object_get_object_member (json_object_get_object_member (goods_props, "placements"), "items"),
                       json_array_get_object_element (json_object_get_array_member (line, "placements"), 0),
                       "placement");
  }
  assert_same_names (json_object_get_object_member (json_object_get_object_member (props, "warnings"), "items"),
                     json_array_get_object_element (json_object_get_array_member (root, "warnings"), 0),
                     "warning");
  validate (schema, node, "sample");

  /* a mass left absent is null, which the schema allows */
  {
    DlManifestGoods *g = g_ptr_array_index (m->goods, 0);
    g_autofree char *absent_json = NULL;
    g_autoptr(JsonNode) absent = NULL;

    g->gross_kg = DL_MANIFEST_NO_MASS;
    absent_json = dl_manifest_to_json (m);
    absent = parse_json (absent_json);
    validate (schema, absent, "absent mass");
  }

  /* the generator's manifests, and what the readers make of them */
  for (guint i = 0; i < G_N_ELEMENTS (scenes); i++)
    {
      g_autoptr(DlSynthOutput) out = dl_synth_generate (scenes[i], 5, FALSE, NULL);
      g_autofree char *synth_json = dl_manifest_to_json (out->manifest);
      g_autofree char *edi = dl_manifest_to_cuscar (out->manifest);
      g_autoptr(GPtrArray) back = dl_cuscar_read (edi, strlen (edi), NULL);
      g_autofree char *back_json = dl_manifest_to_json (g_ptr_array_index (back, 0));
      g_autoptr(JsonNode) n1 = parse_json (synth_json);
      g_autoptr(JsonNode) n2 = parse_json (back_json);

      validate (schema, n1, scenes[i]);
      validate (schema, n2, scenes[i]);
    }
}

/* The validator can fail: a wrong type, a missing required member, a
 * value not listed, a pattern. */
static void
test_schema_catches (void)
{
  static const struct { const char *json; const char *message; } cases[] = {
    { "{\"format\": \"doorlicht-manifest/2\", \"consignments\": [{\"goods\": [{\"item\": \"1\"}]}]}",
      "*wrong.consignments[0].goods[0].item: not of the schema's type*" },
    { "{\"goods\": []}", "*the required member 'format' is missing*" },
    { "{\"format\": \"doorlicht-manifest/2\", \"transport\": {\"mode\": \"teleport\"}}",
      "*wrong.transport.mode: not one of the schema's values*" },
    { "{\"format\": \"doorlicht-manifest/2\", \"containers\": [{\"number\": \"C\", \"size_type\": \"4\"}]}",
      "*size_type: '4' does not match*" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      if (g_test_subprocess ())
        {
          g_autoptr(JsonNode) schema = load_schema ();
          g_autoptr(JsonNode) wrong = NULL;
          const char *which = g_getenv ("DL_SCHEMA_CASE");

          if (which == NULL || (guint) atoi (which) != i)
            continue;
          wrong = parse_json (cases[i].json);
          validate (json_node_get_object (schema), wrong, "wrong");
          return;
        }
      {
        g_autofree char *index = g_strdup_printf ("%u", i);
        g_setenv ("DL_SCHEMA_CASE", index, TRUE);
        g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDIN);
        g_test_trap_assert_failed ();
        g_test_trap_assert_stderr (cases[i].message);
      }
    }
}

/* A mass more than any cargo weighs (10^93 kg) is left absent with a
 * warning, and the JSON form reads back. */
static void
test_impossible_mass (void)
{
  g_autofree char *digits = g_strnfill (93, '9');
  g_autofree char *body = g_strdup_printf ("EQD+CN+CSQU3054383+45G1+++5'\n"
                                           "CNI+1+DOC'\n"
                                           "GID+1+10:CT'\nMEA+WT+G+KGM:%s'\nSGP+CSQU3054383+10'\n", digits);
  g_autofree char *edi = wrap_message (body);
  g_autoptr(GPtrArray) manifests = read_one (edi);
  DlManifest *m = g_ptr_array_index (manifests, 0);
  DlManifestGoods *g = g_ptr_array_index (m->goods, 0);
  g_autofree char *json = dl_manifest_to_json (m);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlManifest) back = dl_manifest_from_json (json, &error);
  gboolean said = FALSE;

  g_assert_true (isnan (g->gross_kg));
  for (guint i = 0; i < m->warnings->len; i++)
    said |= strstr (((DlManifestWarning *) g_ptr_array_index (m->warnings, i))->message, "more than any cargo") != NULL;
  g_assert_true (said);
  g_assert_no_error (error);
  g_assert_nonnull (back);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  corpus = g_strdup (g_getenv ("DL_CORPUS_DIR"));
  if (corpus && !g_file_test (corpus, G_FILE_TEST_IS_DIR))
    g_clear_pointer (&corpus, g_free);

  g_test_add_func ("/cuscar/round-trip", test_round_trip);
  g_test_add_func ("/cuscar/impossible-mass", test_impossible_mass);
  g_test_add_func ("/cuscar/synth-round-trip", test_synth_round_trip);
  g_test_add_func ("/cuscar/segments", test_segments);
  g_test_add_func ("/cuscar/several-messages", test_several_messages);
  g_test_add_func ("/cuscar/refused", test_refused);
  g_test_add_func ("/cuscar/corpus", test_corpus);
  g_test_add_func ("/cuscar/corpus-cuscar-content", test_corpus_cuscar_content);
  g_test_add_func ("/cuscar/iso6346-numbers", test_iso6346_numbers);
  g_test_add_func ("/cuscar/size-type", test_size_type);
  g_test_add_func ("/cuscar/size-type-corpus", test_size_type_corpus);
  g_test_add_func ("/cuscar/csv-round-trip", test_csv_round_trip);
  g_test_add_func ("/cuscar/csv-refused", test_csv_refused);
  g_test_add_func ("/cuscar/detect", test_detect);
  g_test_add_func ("/cuscar/schema", test_schema);
  g_test_add_func ("/cuscar/schema-catches", test_schema_catches);

  return g_test_run ();
}
