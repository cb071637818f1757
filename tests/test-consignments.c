/* test-consignments.c — a message holding several consignments, each
 * under its transport document with its parties and places, through the
 * model, the JSON form (version 2, and version 1 where it can say it),
 * CUSCAR and CSV; a package count not given stays not given; no date is
 * invented.
 *
 * The message is written here to the published guides, not to this
 * reader:
 *  - UN/EDIFACT D.95B and D.97B CUSCAR, UNECE UNTDID "4.3.1 Segment
 *    table": UNH BGM DTM, SG2 NAD, SG4 TDT-LOC-DTM, SG5 EQD-…-SEL, then
 *    per consignment SG7 CNI (0350: 1490 consolidation item number, C503
 *    document details) with its references (RFF), places (LOC), parties
 *    (NAD) and goods items (GID, FTX, MEA, SGP …); the Australian ICS
 *    CUSCAR guide v2.1 nests the same SG7 CNI-SG8 (RFF-LOC-GIS-SG14 GID);
 *  - the SARS CUSCAR message implementation guide 2.1
 *    (tools.sars.gov.za/EDI_Downloads/MIGS/CUSCAR_2_1_HTML), D.01B-based:
 *    SG7 CNI-CNT-SG8 (RFF-LOC-GEI-SG9-SG11-SG14), CNI's C503 1004 the
 *    master transport document with 1373 BOL ("CNI+1+112233445566778899:
 *    BOL:::20170601'"), SG14 GID-FTX-MEA-SGP-DGS-PCI-CST, "SGP+CNU1234567890+9'";
 *  - code list 3035 (party function): CZ consignor, CN consignee, NI
 *    notify party, CA carrier; code list 3227 (location function): 9
 *    place of loading, 11 place of discharge, 7 place of delivery; code
 *    list 1153: BH house bill of lading;
 *  - GID C213 (number and type of packages): 7224 the count, conditional,
 *    so "GID+2+:CT'" gives a kind of package but no count.
 *
 * An LCL container (CSQU3054383) holds goods of both consignments; the
 * first consignment's rice spans it and MSKU1234565 (500 + 400 bags).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "dl-consistency.h"
#include "dl-cuscar.h"
#include "dl-manifest.h"
#include "dl-synth.h"

static const char lcl[] =
  "UNA:+.? '\n"
  "UNB+UNOC:3+CARRIER+CUSTOMS+261122:0800+IC21'\n"                /*  1 */
  "UNH+21+CUSCAR:D:01B:UN'\n"                                     /*  2 */
  "BGM+85+MANLCL+9'\n"
  "DTM+137:20261122:102'\n"
  "NAD+CA+++OCEAN LINE'\n"
  "TDT+20+V21+1++MAEU:172:20+++9321483:146:11:EMMA MAERSK'\n"
  "LOC+9+CNSHA'\n"
  "LOC+11+NLRTM'\n"
  "EQD+CN+CSQU3054383+42G1+++5'\n"
  "SEL+SL000001+CA'\n"
  "EQD+CN+MSKU1234565+22G1+++5'\n"
  "CNI+1+MBL0001:BOL'\n"                                          /* the first consignment */
  "RFF+BH:HBL0001'\n"
  "LOC+7+DEDUI'\n"
  "NAD+CZ+++SHANGHAI TEXTILE CO'\n"
  "NAD+CN+++NOORDZEE IMPORT BV'\n"
  "NAD+NI+++DELTA LOGISTICS NV'\n"
  "GID+1+900:BG'\n"
  "FTX+AAA+++RICE IN BAGS'\n"
  "MEA+WT+G+KGM:19800.5'\n"
  "SGP+CSQU3054383+500'\n"
  "MEA+WT+G+KGM:11000'\n"
  "SGP+MSKU1234565+400'\n"
  "MEA+WT+G+KGM:8800.5'\n"
  "CST++100630'\n"
  "GID+2+:CT'\n"                                                  /* no package count */
  "FTX+AAA+++COTTON BED LINEN'\n"
  "MEA+WT+G+KGM:1250.75'\n"
  "SGP+CSQU3054383'\n"
  "CST++630411'\n"
  "CNI+2+MBL0001:BOL'\n"                                          /* the second */
  "RFF+BH:HBL0002'\n"
  "LOC+9+CNNGB'\n"
  "NAD+CZ+++NINGBO TYRES LTD'\n"
  "NAD+CN+++VAN DER BERG HANDEL BV'\n"
  "GID+1+120:PK'\n"
  "FTX+AAA+++NEW PNEUMATIC TYRES'\n"
  "MEA+WT+G+KGM:1080'\n"
  "SGP+CSQU3054383+120'\n"
  "CST++401110'\n"
  "UNT+40+21'\n"
  "UNZ+1+IC21'\n";

static DlManifest *
read_lcl (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) manifests = dl_cuscar_read (lcl, strlen (lcl), &error);
  DlManifest *m;

  g_assert_no_error (error);
  g_assert_cmpuint (manifests->len, ==, 1);
  m = dl_manifest_ref (g_ptr_array_index (manifests, 0));
  for (guint i = 0; i < m->warnings->len; i++)
    {
      g_autofree char *text = dl_manifest_warning_to_string (g_ptr_array_index (m->warnings, i));
      g_test_message ("warning: %s", text);
    }
  return m;
}

static const DlManifestGoods *
goods (const DlManifest *m,
       guint             i)
{
  g_assert_cmpuint (i, <, m->goods->len);
  return g_ptr_array_index (m->goods, i);
}

static const DlManifestConsignment *
consignment (const DlManifest *m,
             guint             i)
{
  g_assert_cmpuint (i, <, m->consignments->len);
  return g_ptr_array_index (m->consignments, i);
}

/* What the message says, as the model has it. */
static void
assert_lcl (const DlManifest *m)
{
  const DlManifestConsignment *c0, *c1;
  const DlManifestPlacement *p;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (m->warnings->len, ==, 0);
  g_assert_cmpstr (m->message_id, ==, "MANLCL");
  g_assert_cmpstr (m->port_of_loading, ==, "CNSHA");
  g_assert_cmpstr (m->carrier, ==, "OCEAN LINE");
  g_assert_cmpuint (m->containers->len, ==, 2);
  g_assert_cmpuint (m->consignments->len, ==, 2);

  c0 = consignment (m, 0);
  g_assert_cmpstr (c0->transport_document, ==, "HBL0001");
  g_assert_cmpstr (c0->transport_document_kind, ==, "BH");
  g_assert_cmpstr (c0->consignor, ==, "SHANGHAI TEXTILE CO");
  g_assert_cmpstr (c0->consignee, ==, "NOORDZEE IMPORT BV");
  g_assert_cmpstr (c0->notify_party, ==, "DELTA LOGISTICS NV");
  g_assert_cmpstr (c0->place_of_delivery, ==, "DEDUI");
  g_assert_null (c0->place_of_loading);
  c1 = consignment (m, 1);
  g_assert_cmpstr (c1->transport_document, ==, "HBL0002");
  g_assert_cmpstr (c1->consignor, ==, "NINGBO TYRES LTD");
  g_assert_cmpstr (c1->consignee, ==, "VAN DER BERG HANDEL BV");
  g_assert_null (c1->notify_party);
  g_assert_cmpstr (c1->place_of_loading, ==, "CNNGB");
  /* "the" document, for callers that want one: the first consignment's */
  g_assert_cmpstr (dl_manifest_get_transport_document (m), ==, "HBL0001");
  g_assert_cmpstr (dl_manifest_get_consignee (m), ==, "NOORDZEE IMPORT BV");

  g_assert_cmpuint (m->goods->len, ==, 3);
  g_assert_true (goods (m, 0)->consignment == c0);
  g_assert_true (goods (m, 1)->consignment == c0);
  g_assert_true (goods (m, 2)->consignment == c1);
  g_assert_cmpuint (dl_manifest_consignment_n_goods (m, c0), ==, 2);
  g_assert_cmpuint (dl_manifest_consignment_n_goods (m, c1), ==, 1);
  /* numbered within their consignment */
  g_assert_cmpuint (goods (m, 2)->item, ==, 1);

  /* the split goods item: each placement with its count and mass */
  g_assert_cmpfloat (goods (m, 0)->gross_kg, ==, 19800.5);
  g_assert_cmpuint (goods (m, 0)->placements->len, ==, 2);
  p = g_ptr_array_index (goods (m, 0)->placements, 1);
  g_assert_cmpstr (p->container, ==, "MSKU1234565");
  g_assert_true (p->has_packages);
  g_assert_cmpuint (p->packages, ==, 400);
  g_assert_cmpfloat (p->gross_kg, ==, 8800.5);

  /* no package count: not given, not 0 */
  g_assert_false (goods (m, 1)->has_packages);
  g_assert_cmpstr (goods (m, 1)->package_kind, ==, "CT");
  g_assert_cmpstr (goods (m, 1)->container, ==, "CSQU3054383");
  g_assert_cmpuint (goods (m, 1)->placements->len, ==, 0);
  g_assert_true (goods (m, 2)->has_packages);
  g_assert_cmpuint (goods (m, 2)->packages, ==, 120);

  /* a goods item without a package count breaks a rule, and says which */
  g_assert_false (dl_manifest_validate (m, &error));
  g_assert_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INCONSISTENT);
  g_assert_nonnull (strstr (error->message, "goods item 2 has no package count"));
}

static void
test_read (void)
{
  g_autoptr(DlManifest) m = read_lcl ();
  g_autoptr(GError) error = NULL;
  DlManifestGoods *g;

  assert_lcl (m);
  /* given a count, it keeps the rules: item 1 in each consignment is no
   * repeat, but twice in one is */
  g = g_ptr_array_index (m->goods, 1);
  g->has_packages = TRUE;
  g->packages = 40;
  g_assert_true (dl_manifest_validate (m, &error));
  g_assert_no_error (error);
  g->item = 1;
  g_assert_false (dl_manifest_validate (m, &error));
  g_assert_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INCONSISTENT);
  g_assert_nonnull (strstr (error->message, "goods item 1 is listed twice"));
}

/* JSON v2 ⇄ CUSCAR ⇄ CSV: all of it through each, the same JSON after. */
static void
test_round_trips (void)
{
  g_autoptr(DlManifest) m = read_lcl ();
  g_autofree char *json = dl_manifest_to_json (m);
  g_autofree char *edi = dl_manifest_to_cuscar (m);
  g_autofree char *csv = dl_manifest_to_csv (m);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlManifest) from_json = dl_manifest_from_json (json, &error);
  g_autoptr(GPtrArray) from_edi = NULL;
  g_autoptr(DlManifest) from_csv = NULL;
  g_autofree char *json_json = NULL, *edi_json = NULL, *csv_json = NULL;
  g_autofree char *edi_edi = NULL, *csv_csv = NULL;

  g_test_message ("%s\n%s\n%s", json, edi, csv);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (json, "{\n  \"format\" : \"doorlicht-manifest/2\""));
  from_edi = dl_cuscar_read (edi, strlen (edi), &error);
  g_assert_no_error (error);
  from_csv = dl_manifest_from_csv (csv, strlen (csv), &error);
  g_assert_no_error (error);

  assert_lcl (from_json);
  assert_lcl (g_ptr_array_index (from_edi, 0));
  assert_lcl (from_csv);
  json_json = dl_manifest_to_json (from_json);
  edi_json = dl_manifest_to_json (g_ptr_array_index (from_edi, 0));
  csv_json = dl_manifest_to_json (from_csv);
  g_assert_cmpstr (json_json, ==, json);
  g_assert_cmpstr (edi_json, ==, json);
  g_assert_cmpstr (csv_json, ==, json);
  /* and the other forms reproduce themselves */
  edi_edi = dl_manifest_to_cuscar (g_ptr_array_index (from_edi, 0));
  csv_csv = dl_manifest_to_csv (from_csv);
  g_assert_cmpstr (edi_edi, ==, edi);
  g_assert_cmpstr (csv_csv, ==, csv);

  /* one CNI group per consignment, each with its document */
  g_assert_nonnull (strstr (edi, "CNI+1+HBL0001'\nRFF+BH:HBL0001'\nLOC+7+DEDUI'\n"));
  g_assert_nonnull (strstr (edi, "CNI+2+HBL0002'\nRFF+BH:HBL0002'\nLOC+9+CNNGB'\n"));
  g_assert_nonnull (strstr (edi, "NAD+NI+++DELTA LOGISTICS NV'\n"));
  /* the count left out, the kind kept */
  g_assert_nonnull (strstr (edi, "GID+2+:CT'\n"));
  g_assert_nonnull (strstr (json, "\"packages\" : null"));
}

/* The check weighs each container against what is placed in it, of
 * whichever consignment: the LCL container's goods of both. */
static void
test_lcl_declared_mass (void)
{
  g_autoptr(DlManifest) m = read_lcl ();
  g_autoptr(DlSynthOutput) out = dl_synth_generate ("mixed", 4, FALSE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlConsistency) lcl_check = dl_consistency_check_container (out->scan, dl_calibration_get_default (),
                                                                        m, "CSQU3054383", &error);
  g_autoptr(DlConsistency) other = NULL;

  g_assert_no_error (error);
  g_assert_cmpfloat (lcl_check->declared_kg, ==, 11000 + 1250.75 + 1080);
  other = dl_consistency_check_container (out->scan, dl_calibration_get_default (), m, "MSKU1234565", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (other->declared_kg, ==, 8800.5);
}

/* Version 1 is written where asked, and refused where it cannot say it
 * all; read, it is one consignment. */
static void
test_version_1 (void)
{
  g_autoptr(DlManifest) m = read_lcl ();
  g_autoptr(GError) error = NULL;
  g_autofree char *refused = dl_manifest_to_json_version (m, 1, &error);
  g_autofree char *v1 = NULL;
  g_autofree char *v2 = NULL;
  g_autoptr(DlManifest) back = NULL;
  DlManifestConsignment *c;

  g_assert_null (refused);
  g_assert_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "2 consignments"));
  g_clear_error (&error);

  /* the first consignment alone, but with a notify party: still refused */
  g_ptr_array_set_size (m->goods, 2);
  g_ptr_array_set_size (m->consignments, 1);
  refused = dl_manifest_to_json_version (m, 1, &error);
  g_assert_null (refused);
  g_assert_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  c = g_ptr_array_index (m->consignments, 0);
  g_clear_pointer (&c->notify_party, g_free);
  g_clear_pointer (&c->place_of_delivery, g_free);
  v1 = dl_manifest_to_json_version (m, 1, &error);
  g_assert_no_error (error);
  g_test_message ("%s", v1);
  g_assert_nonnull (strstr (v1, "\"format\" : \"doorlicht-manifest/1\""));
  g_assert_nonnull (strstr (v1, "\"consignor\" : \"SHANGHAI TEXTILE CO\""));
  g_assert_null (strstr (v1, "consignments"));
  back = dl_manifest_from_json (v1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->consignments->len, ==, 1);
  g_assert_cmpuint (back->goods->len, ==, 2);
  g_assert_cmpstr (dl_manifest_get_transport_document (back), ==, "HBL0001");
  g_assert_false (goods (back, 1)->has_packages);
  v2 = dl_manifest_to_json (m);
  {
    g_autofree char *back_json = dl_manifest_to_json (back);
    g_assert_cmpstr (back_json, ==, v2);
  }
}

/* Version 2 refuses version 1's members at message level (they would be
 * lost), and other formats; a consignment's members of the wrong type. */
static void
test_version_2_refused (void)
{
  const char *cases[] = {
    "{\"format\": \"doorlicht-manifest/2\", \"goods\": [{\"item\": 1}]}",
    "{\"format\": \"doorlicht-manifest/2\", \"consignor\": \"X\"}",
    "{\"format\": \"doorlicht-manifest/2\", \"consignments\": {}}",
    "{\"format\": \"doorlicht-manifest/2\", \"consignments\": [5]}",
    "{\"format\": \"doorlicht-manifest/2\", \"consignments\": [{\"notify_party\": 5}]}",
    "{\"format\": \"doorlicht-manifest/2\", \"consignments\": [{\"goods\": [{\"packages\": -1}]}]}",
    "{\"format\": \"doorlicht-manifest/3\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DlManifest) m = dl_manifest_from_json (cases[i], &error);

      g_test_message ("%s: %s", cases[i], error ? error->message : "(read)");
      g_assert_null (m);
      g_assert_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID);
    }
}

/* A consignment without goods survives JSON and CSV. */
static void
test_consignment_without_goods (void)
{
  g_autoptr(DlManifest) m = dl_manifest_new ();
  DlManifestConsignment *c;
  g_autofree char *json = NULL, *csv = NULL, *back_json = NULL, *csv_json = NULL;
  g_autoptr(DlManifest) back = NULL, from_csv = NULL;
  g_autoptr(GError) error = NULL;

  m->message_id = g_strdup ("M");
  dl_manifest_add_goods (m, NULL, "1006", "RICE", 3, "BG", 30);
  c = dl_manifest_add_consignment (m);
  c->transport_document = g_strdup ("CMR0042");
  c->transport_document_kind = g_strdup ("CMR");
  json = dl_manifest_to_json (m);
  csv = dl_manifest_to_csv (m);
  back = dl_manifest_from_json (json, &error);
  g_assert_no_error (error);
  from_csv = dl_manifest_from_csv (csv, strlen (csv), &error);
  g_assert_no_error (error);
  back_json = dl_manifest_to_json (back);
  csv_json = dl_manifest_to_json (from_csv);
  g_test_message ("%s\n%s", json, csv);
  g_assert_cmpuint (back->consignments->len, ==, 2);
  g_assert_cmpstr (back_json, ==, json);
  g_assert_cmpstr (csv_json, ==, json);
}

/* No date in the manifest: no DTM in its CUSCAR, and none read back. */
static void
test_no_invented_date (void)
{
  g_autoptr(DlManifest) m = dl_manifest_new ();
  g_autofree char *edi = NULL;
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GError) error = NULL;

  m->message_id = g_strdup ("NODATE");
  dl_manifest_add_goods (m, NULL, "1006", "RICE", 3, "BG", 30);
  edi = dl_manifest_to_cuscar (m);
  g_test_message ("%s", edi);
  g_assert_null (strstr (edi, "DTM"));
  back = dl_cuscar_read (edi, strlen (edi), &error);
  g_assert_no_error (error);
  g_assert_null (((DlManifest *) g_ptr_array_index (back, 0))->date);

  m->date = g_strdup ("2026-11-22");
  g_free (edi);
  edi = dl_manifest_to_cuscar (m);
  g_assert_nonnull (strstr (edi, "DTM+137:20261122:102'"));
}

/* CSV groups rows into consignments by document and parties, the rows
 * in any order. */
static void
test_csv_grouping (void)
{
  const char *sheet = "item,container,transport_document,consignor,packages,gross_kg\n"
                      "1,,HBL1,A,2,10\n"
                      "1,,HBL2,B,,20\n"
                      "2,,HBL1,A,3,30\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(DlManifest) m = dl_manifest_from_csv (sheet, strlen (sheet), &error);

  g_assert_no_error (error);
  g_assert_cmpuint (m->consignments->len, ==, 2);
  g_assert_cmpuint (dl_manifest_consignment_n_goods (m, consignment (m, 0)), ==, 2);
  g_assert_true (goods (m, 2)->consignment == consignment (m, 0));
  g_assert_cmpstr (consignment (m, 1)->consignor, ==, "B");
  g_assert_false (goods (m, 1)->has_packages);

  /* two consignments alike (no document, no parties) stay two through
   * CSV: its "consignment" column numbers them */
  {
    g_autoptr(DlManifest) twins = dl_manifest_new ();
    g_autofree char *csv = NULL, *json = NULL, *back_json = NULL;
    g_autoptr(DlManifest) back = NULL;

    dl_manifest_add_goods (twins, NULL, "1006", "RICE", 3, "BG", 30);
    dl_manifest_add_consignment (twins);
    dl_manifest_add_goods (twins, NULL, "1006", "RICE", 3, "BG", 30);
    csv = dl_manifest_to_csv (twins);
    json = dl_manifest_to_json (twins);
    back = dl_manifest_from_csv (csv, strlen (csv), &error);
    g_assert_no_error (error);
    back_json = dl_manifest_to_json (back);
    g_assert_cmpstr (back_json, ==, json);
  }
  /* rows of one consignment number must describe it alike */
  {
    const char *contradicts = "item,transport_document,consignment\n1,HBL1,1\n2,HBL2,1\n";
    g_autoptr(DlManifest) no = dl_manifest_from_csv (contradicts, strlen (contradicts), &error);

    g_assert_null (no);
    g_assert_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "line 3"));
    g_clear_error (&error);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/consignments/read", test_read);
  g_test_add_func ("/consignments/round-trips", test_round_trips);
  g_test_add_func ("/consignments/lcl-declared-mass", test_lcl_declared_mass);
  g_test_add_func ("/consignments/version-1", test_version_1);
  g_test_add_func ("/consignments/version-2-refused", test_version_2_refused);
  g_test_add_func ("/consignments/without-goods", test_consignment_without_goods);
  g_test_add_func ("/consignments/no-invented-date", test_no_invented_date);
  g_test_add_func ("/consignments/csv-grouping", test_csv_grouping);

  return g_test_run ();
}
