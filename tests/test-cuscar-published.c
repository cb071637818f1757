/* test-cuscar-published.c — CUSCAR read as published: commodity codes
 * from CST as well as PIA, every transport document kind with its kind,
 * weights exact through the model, JSON, CSV, CUSCAR and the case file,
 * and the segment group layouts of D.95B and D.01B.
 *
 * The messages are written here to the published guides, not to this
 * reader:
 *  - UN/EDIFACT D.95B and D.97B CUSCAR, UNECE UNTDID "4.3.1 Segment
 *    table" (UNH BGM DTM, SG1 RFF-DTM, SG2 NAD, SG4 TDT-LOC-DTM, SG5 EQD
 *    with its MEA and SEL, then the consignments: CNI, RFF, NAD, GID …);
 *  - the SARS CUSCAR message implementation guide 2.1
 *    (tools.sars.gov.za/EDI_Downloads/MIGS/CUSCAR_2_1_HTML), D.01B-based:
 *    SG5 EQD-MEA-SEL at message level, SG7 CNI-CNT-SG8 (RFF-LOC-GEI …
 *    SG14 GID-FTX-MEA-SGP-DGS-PCI-CST); its CST example is
 *    "CST++630411000'", its SGP example "SGP+CNU1234567890+9'";
 *  - segment CST (D.97A/D.99B): 1496 goods item number, then up to five
 *    C246 customs identity codes (7361 code, 1131 code list, 3055
 *    agency); code list 1131: 169 Harmonized system, 122 Commodity;
 *  - code list 1153 (reference code qualifier): BM bill of lading, MB
 *    master and BH house bill of lading, AWB air waybill, MWB master air
 *    waybill, HWB house waybill, AAM waybill, CMR road consignment note,
 *    RCN railway consignment note, WY rail waybill;
 *  - ISO 9735: the UNA's third character is the decimal mark (here a
 *    comma); 6411 units KGM, TNE, GRM.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "dl-cuscar.h"
#include "dl-manifest.h"

static GPtrArray *
read_one (const char *edi)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *manifests = dl_cuscar_read (edi, strlen (edi), &error);

  g_assert_no_error (error);
  g_assert_nonnull (manifests);
  return manifests;
}

static const DlManifestGoods *
goods (const DlManifest *m,
       guint             i)
{
  g_assert_cmpuint (i, <, m->goods->len);
  return g_ptr_array_index (m->goods, i);
}

/* D.95B, a road consignment under a waybill, the UNA making the comma
 * the decimal mark; one segment a line. */
static const char d95b[] =
  "UNA:+,? '\n"
  "UNB+UNOC:3+CARRIER+CUSTOMS+261122:0800+IC9'\n"                /*  1 */
  "UNH+1+CUSCAR:D:95B:UN'\n"                                      /*  2 */
  "BGM+85+MAN95B+9'\n"                                            /*  3 */
  "DTM+137:20261122:102'\n"                                       /*  4 */
  "RFF+AAM:WB2026-0042'\n"                                        /*  5: SG1, the waybill */
  "NAD+CA+++ROAD CARRIER BV'\n"                                   /*  6 */
  "TDT+20+T042+3++CARR:172:20+++NL-12-BDL'\n"                     /*  7 */
  "LOC+9+DEHAM'\n"                                                /*  8 */
  "LOC+11+NLRTM'\n"                                               /*  9 */
  "CNI+1+WB2026-0042'\n"                                          /* 10 */
  "NAD+CZ+++SHIPPER GMBH'\n"                                      /* 11 */
  "NAD+CN+++RECEIVER BV'\n"                                       /* 12 */
  "GID+1+50:BG'\n"                                                /* 13 */
  "FTX+AAA+++COTTON:BED LINEN'\n"                                 /* 14 */
  "MEA+WT+G+KGM:1250,75'\n"                                       /* 15 */
  "CST++630411000'\n"                                             /* 16 */
  "GID+2+3:PK'\n"                                                 /* 17 */
  "MEA+WT+G+KGM:0,75'\n"                                          /* 18 */
  "CST++630411000:HS'\n"                                          /* 19 */
  "GID+3+10:CT'\n"                                                /* 20 */
  "MEA+WT+G+KGM:987,654'\n"                                       /* 21 */
  "CST+3+847130:169'\n"                                           /* 22 */
  "GID+4+1:PK'\n"                                                 /* 23 */
  "MEA+WT+G+TNE:1,25075'\n"                                       /* 24: 1250.75 kg */
  "PIA+5+401110:HS'\n"                                            /* 25 */
  "CST++401120:HS'\n"                                             /* 26: not the PIA's */
  "GID+5+2:PK'\n"                                                 /* 27 */
  "MEA+WT+G+GRM:750'\n"                                           /* 28: 0.75 kg */
  "CST++T1+6304.11.00:122'\n"                                     /* 29: a status, then the commodity */
  "UNT+29+1'\n"                                                   /* 30 */
  "UNZ+1+IC9'\n";

static void
test_d95b (void)
{
  g_autoptr(GPtrArray) manifests = read_one (d95b);
  DlManifest *m = g_ptr_array_index (manifests, 0);
  const DlManifestWarning *w;

  g_assert_cmpstr (m->message_id, ==, "MAN95B");
  g_assert_cmpstr (m->transport_mode, ==, "road");
  g_assert_cmpstr (m->conveyance, ==, "NL-12-BDL");
  g_assert_cmpstr (m->transport_document, ==, "WB2026-0042");
  g_assert_cmpstr (m->transport_document_kind, ==, "AAM");
  g_assert_cmpstr (m->consignor, ==, "SHIPPER GMBH");
  g_assert_cmpstr (m->carrier, ==, "ROAD CARRIER BV");

  g_assert_cmpuint (m->goods->len, ==, 5);
  g_assert_cmpstr (goods (m, 0)->hs_code, ==, "630411000");
  g_assert_cmpstr (goods (m, 1)->hs_code, ==, "630411000");
  g_assert_cmpstr (goods (m, 2)->hs_code, ==, "847130");
  g_assert_cmpstr (goods (m, 3)->hs_code, ==, "401110");   /* PIA came first */
  g_assert_cmpstr (goods (m, 4)->hs_code, ==, "63041100");
  /* exactly, not to 0.1 kg */
  g_assert_cmpfloat (goods (m, 0)->gross_kg, ==, 1250.75);
  g_assert_cmpfloat (goods (m, 1)->gross_kg, ==, 0.75);
  g_assert_cmpfloat (goods (m, 2)->gross_kg, ==, 987.654);
  g_assert_cmpfloat (goods (m, 3)->gross_kg, ==, 1250.75);
  g_assert_cmpfloat (goods (m, 4)->gross_kg, ==, 0.75);

  /* the only warning: the CST that disagrees with the PIA */
  g_assert_cmpuint (m->warnings->len, ==, 1);
  w = g_ptr_array_index (m->warnings, 0);
  g_assert_cmpuint (w->segment, ==, 26);
  g_assert_cmpstr (w->tag, ==, "CST");
  g_assert_nonnull (strstr (w->message, "401120"));
  g_assert_nonnull (strstr (w->message, "401110"));
}

/* The masses exactly through every form the manifest takes: the JSON
 * text (as the case file keeps it), CSV, our own CUSCAR. */
static void
test_exact_everywhere (void)
{
  g_autoptr(GPtrArray) manifests = read_one (d95b);
  DlManifest *m = g_ptr_array_index (manifests, 0);
  g_autofree char *json = dl_manifest_to_json (m);
  g_autofree char *csv = dl_manifest_to_csv (m);
  g_autofree char *edi = dl_manifest_to_cuscar (m);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlManifest) from_json = NULL;
  g_autoptr(DlManifest) from_csv = NULL;
  g_autoptr(GPtrArray) from_edi = NULL;
  const double kg[] = { 1250.75, 0.75, 987.654, 1250.75, 0.75 };

  g_test_message ("%s", json);
  g_assert_nonnull (strstr (json, "\"gross_kg\" : 1250.75\n"));
  g_assert_nonnull (strstr (json, "\"gross_kg\" : 0.75\n"));
  g_assert_nonnull (strstr (json, "\"gross_kg\" : 987.654\n"));
  g_assert_nonnull (strstr (json, "\"transport_document_kind\" : \"AAM\""));
  g_assert_nonnull (strstr (csv, ",987.654,"));
  g_assert_nonnull (strstr (edi, "MEA+WT+G+KGM:987.654'"));
  g_assert_nonnull (strstr (edi, "RFF+AAM:WB2026-0042'"));

  from_json = dl_manifest_from_json (json, &error);
  g_assert_no_error (error);
  from_csv = dl_manifest_from_csv (csv, strlen (csv), &error);
  g_assert_no_error (error);
  from_edi = read_one (edi);
  g_assert_cmpstr (from_csv->transport_document_kind, ==, "AAM");
  g_assert_cmpstr (((DlManifest *) g_ptr_array_index (from_edi, 0))->transport_document_kind, ==, "AAM");
  for (guint i = 0; i < G_N_ELEMENTS (kg); i++)
    {
      g_assert_cmpfloat (goods (from_json, i)->gross_kg, ==, kg[i]);
      g_assert_cmpfloat (goods (from_csv, i)->gross_kg, ==, kg[i]);
      g_assert_cmpfloat (goods (g_ptr_array_index (from_edi, 0), i)->gross_kg, ==, kg[i]);
    }
  /* the case file keeps the JSON text above: tests/test-case-file.c reads
   * 987.654 back from one */
}

/* Every transport document kind of 1153 taken, with its kind; another
 * reference (ZZZ mutually defined, CU consignor's reference) is not a
 * transport document. */
static void
test_document_kinds (void)
{
  const char *kinds[] = { "BM", "MB", "BH", "AWB", "MWB", "HWB", "AAM", "CMR", "RCN", "WY" };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *edi = g_strdup_printf ("UNB+UNOC:3+S+R+1+IC'UNH+1+CUSCAR:D:95B:UN'BGM+85+K+9'"
                                              "RFF+ZZZ:NOT1'RFF+CU:NOT2'CNI+1'RFF+%s:DOC-%s'"
                                              "GID+1+1:PK'MEA+WT+G+KGM:1'UNT+9+1'UNZ+1+IC'",
                                              kinds[i], kinds[i]);
      g_autofree char *expected = g_strdup_printf ("DOC-%s", kinds[i]);
      g_autoptr(GPtrArray) manifests = read_one (edi);
      DlManifest *m = g_ptr_array_index (manifests, 0);

      g_assert_cmpstr (m->transport_document, ==, expected);
      g_assert_cmpstr (m->transport_document_kind, ==, kinds[i]);
      g_assert_nonnull (dl_manifest_transport_document_kind_label (kinds[i]));
      g_assert_cmpuint (m->warnings->len, ==, 0);
    }
  g_assert_null (dl_manifest_transport_document_kind_label ("ZZZ"));
}

/* D.01B, to the SARS guide's layout: equipment with its own MEA at
 * message level (not goods masses), a consignment under a house bill,
 * a goods item placed in two containers with the mass per container
 * after each SGP and no MEA of its own, dangerous goods with their own
 * MEA and FTX after DGS, and CST after PCI. */
static const char d01b[] =
  "UNB+UNOC:3+CARRIER+CUSTOMS+261122:0800+IC10'\n"                /*  1 */
  "UNH+2+CUSCAR:D:01B:UN'\n"                                      /*  2 */
  "BGM+85+MAN01B+9'\n"                                            /*  3 */
  "TDT+20+V7+1++MAEU:172:20+++9321483:146:11:EMMA MAERSK'\n"      /*  4 */
  "EQD+CN+CSQU3054383+42G1+++5'\n"                                /*  5 */
  "MEA+AAE+G+KGM:28000'\n"                                        /*  6: the container's */
  "MEA+AAE+T+KGM:3800'\n"                                         /*  7 */
  "SEL+SEAL1+CA'\n"                                               /*  8 */
  "EQD+CN+MSKU1234565+22G1+++5'\n"                                /*  9 */
  "MEA+AAE+G+KGM:12000'\n"                                        /* 10 */
  "CNI+1+MBL0001:BOL'\n"                                          /* 11 */
  "CNT+7:21000:KGM'\n"                                            /* 12 */
  "RFF+BH:HBL0001'\n"                                             /* 13 */
  "LOC+9+CNSHA'\n"                                                /* 14 */
  "GID+1+900:BG'\n"                                               /* 15 */
  "FTX+AAA+++RICE IN BAGS'\n"                                     /* 16 */
  "SGP+CSQU3054383+500'\n"                                        /* 17 */
  "MEA+AAE+G+KGM:11000'\n"                                        /* 18: placed in the first */
  "SGP+MSKU1234565+400'\n"                                        /* 19 */
  "MEA+AAE+G+KGM:8800,5'\n"                                       /* 20: in the second */
  "DGS+IMD+9+3077'\n"                                             /* 21 */
  "MEA+AAE+G+KGM:5'\n"                                            /* 22: the dangerous goods' */
  "FTX+AAA+++NOT THE DESCRIPTION'\n"                              /* 23 */
  "PCI+24+MARKS'\n"                                               /* 24 */
  "CST++100630'\n"                                                /* 25 */
  "GID+2+10:CT'\n"                                                /* 26 */
  "FTX+AAA+++TEA'\n"                                              /* 27 */
  "MEA+AAE+G+KGM:1200'\n"                                         /* 28 */
  "SGP+CSQU3054383+10'\n"                                         /* 29 */
  "MEA+AAE+G+KGM:1200'\n"                                         /* 30 */
  "CST++0902.40:HS'\n"                                            /* 31 */
  "UNT+31+2'\n"                                                   /* 32 */
  "UNZ+1+IC10'\n";

static void
test_d01b_layout (void)
{
  g_autoptr(GPtrArray) manifests = read_one (d01b);
  DlManifest *m = g_ptr_array_index (manifests, 0);

  for (guint i = 0; i < m->warnings->len; i++)
    {
      g_autofree char *text = dl_manifest_warning_to_string (g_ptr_array_index (m->warnings, i));
      g_test_message ("%s", text);
    }
  g_assert_cmpuint (m->warnings->len, ==, 0);
  g_assert_cmpstr (m->message_id, ==, "MAN01B");
  g_assert_cmpstr (m->conveyance, ==, "EMMA MAERSK");
  g_assert_cmpstr (m->transport_document, ==, "HBL0001");
  g_assert_cmpstr (m->transport_document_kind, ==, "BH");
  g_assert_cmpuint (m->containers->len, ==, 2);
  g_assert_cmpuint (m->goods->len, ==, 2);

  g_assert_cmpstr (goods (m, 0)->description, ==, "RICE IN BAGS");
  g_assert_cmpfloat (goods (m, 0)->gross_kg, ==, 19800.5);   /* 11000 + 8800.5, not 28000 nor 5 */
  g_assert_cmpstr (goods (m, 0)->hs_code, ==, "100630");
  g_assert_cmpstr (goods (m, 0)->un_number, ==, "3077");
  g_assert_cmpstr (goods (m, 0)->hazard_class, ==, "9");
  g_assert_cmpstr (goods (m, 0)->container, ==, "CSQU3054383");
  g_assert_cmpuint (goods (m, 0)->packages, ==, 900);

  g_assert_cmpstr (goods (m, 1)->description, ==, "TEA");
  g_assert_cmpfloat (goods (m, 1)->gross_kg, ==, 1200);
  g_assert_cmpstr (goods (m, 1)->hs_code, ==, "090240");
}

/* Shortest text that reads back the same, never an exponent. */
static void
test_format_number (void)
{
  const struct { double value; const char *text; } cases[] = {
    { 1250.75, "1250.75" }, { 0.75, "0.75" }, { 987.654, "987.654" }, { 1080, "1080" },
    { 0.1 + 0.2, "0.30000000000000004" }, { 1e-7, "0.0000001" }, { 12345678901234567890.0, "12345678901234567168" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = dl_manifest_format_number (cases[i].value);

      g_assert_cmpstr (text, ==, cases[i].text);
      g_assert_cmpfloat (g_ascii_strtod (text, NULL), ==, cases[i].value);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cuscar-published/d95b", test_d95b);
  g_test_add_func ("/cuscar-published/exact-everywhere", test_exact_everywhere);
  g_test_add_func ("/cuscar-published/document-kinds", test_document_kinds);
  g_test_add_func ("/cuscar-published/d01b-layout", test_d01b_layout);
  g_test_add_func ("/cuscar-published/format-number", test_format_number);

  return g_test_run ();
}
