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
 *    comma); 6411 units KGM, TNE, GRM;
 *  - segment SGP (split goods placement, D.95B and D.01B): C237
 *    equipment identification, then 7224 number of packages; in the SARS
 *    guide's SG14 the MEA after an SGP is the mass placed in that
 *    equipment (SG17 SGP-MEA in the UN segment table).
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
  g_assert_cmpstr (dl_manifest_get_transport_document (m), ==, "WB2026-0042");
  g_assert_cmpstr (dl_manifest_get_transport_document_kind (m), ==, "AAM");
  g_assert_cmpstr (dl_manifest_get_consignor (m), ==, "SHIPPER GMBH");
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
  g_assert_cmpstr (dl_manifest_get_transport_document_kind (from_csv), ==, "AAM");
  g_assert_cmpstr (dl_manifest_get_transport_document_kind (g_ptr_array_index (from_edi, 0)), ==, "AAM");
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

      g_assert_cmpstr (dl_manifest_get_transport_document (m), ==, expected);
      g_assert_cmpstr (dl_manifest_get_transport_document_kind (m), ==, kinds[i]);
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
  g_assert_cmpstr (dl_manifest_get_transport_document (m), ==, "HBL0001");
  g_assert_cmpstr (dl_manifest_get_transport_document_kind (m), ==, "BH");
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

/* A goods item of 900 bags of rice split 500 + 400 over two containers,
 * to the SARS guide's D.01B layout (SG5 EQD at message level, SG14
 * GID-FTX-MEA-SGP-MEA-CST): @goods_mea the goods item's own MEA (or
 * NULL), @first and @second the SGP segments, each with its MEA or
 * not.  The UNT count is counted. */
static char *
split_message (const char *goods_mea,
               const char *first,
               const char *second)
{
  const char *segments[] = {
    "UNH+3+CUSCAR:D:01B:UN'", "BGM+85+MANSPLIT+9'", "DTM+137:20261122:102'",
    "TDT+20+V7+1++MAEU:172:20+++9321483:146:11:EMMA MAERSK'",
    "EQD+CN+CSQU3054383+42G1+++5'", "EQD+CN+MSKU1234565+22G1+++5'",
    "CNI+1+MBL0001:BOL'", "RFF+BH:HBL0001'",
    "GID+1+900:BG'", "FTX+AAA+++RICE IN BAGS'", goods_mea ? goods_mea : "", first, second,
    "CST++100630'",
  };
  GString *s = g_string_new ("UNB+UNOC:3+CARRIER+CUSTOMS+261122:0800+IC11'\n");
  guint n = 1;   /* UNT */

  for (guint i = 0; i < G_N_ELEMENTS (segments); i++)
    if (*segments[i])
      {
        g_string_append_printf (s, "%s\n", segments[i]);
        for (const char *c = segments[i]; *c; c++)
          n += *c == '\'';   /* a segment's terminator (none released here) */
      }
  g_string_append_printf (s, "UNT+%u+3'\nUNZ+1+IC11'\n", n);
  return g_string_free (s, FALSE);
}

static DlManifest *
read_split (const char *goods_mea,
            const char *first,
            const char *second)
{
  g_autofree char *edi = split_message (goods_mea, first, second);
  g_autoptr(GPtrArray) manifests = read_one (edi);
  DlManifest *m;

  g_assert_cmpuint (manifests->len, ==, 1);
  m = dl_manifest_ref (g_ptr_array_index (manifests, 0));
  for (guint i = 0; i < m->warnings->len; i++)
    {
      g_autofree char *text = dl_manifest_warning_to_string (g_ptr_array_index (m->warnings, i));
      g_test_message ("%s", text);
    }
  return m;
}

static void
assert_placement (const DlManifestGoods *g,
                  guint                  i,
                  const char            *container,
                  guint                  packages,
                  double                 kg)
{
  const DlManifestPlacement *p;

  g_assert_cmpuint (i, <, g->placements->len);
  p = g_ptr_array_index (g->placements, i);
  g_assert_cmpstr (p->container, ==, container);
  g_assert_true (p->has_packages);
  g_assert_cmpuint (p->packages, ==, packages);
  if (isnan (kg))
    g_assert_true (isnan (p->gross_kg));
  else
    g_assert_cmpfloat (p->gross_kg, ==, kg);
}

/* The two placements, through the model, JSON and CUSCAR alike. */
static void
assert_split (const DlManifest *m,
              double            first_kg,
              double            second_kg)
{
  g_autoptr(GError) error = NULL;
  const DlManifestGoods *g = goods (m, 0);

  g_assert_cmpuint (m->goods->len, ==, 1);
  g_assert_cmpuint (g->packages, ==, 900);
  g_assert_cmpstr (g->container, ==, "CSQU3054383");   /* the first placement, as before */
  g_assert_cmpuint (g->placements->len, ==, 2);
  assert_placement (g, 0, "CSQU3054383", 500, first_kg);
  assert_placement (g, 1, "MSKU1234565", 400, second_kg);
  g_assert_true (dl_manifest_goods_in_container (g, "MSKU1234565"));
  dl_manifest_validate (m, &error);
  g_assert_no_error (error);
}

static void
assert_round_trips (const DlManifest *m,
                    double            first_kg,
                    double            second_kg)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = dl_manifest_to_json (m);
  g_autoptr(DlManifest) from_json = dl_manifest_from_json (json, &error);
  g_autofree char *edi = NULL;
  g_autoptr(GPtrArray) from_edi = NULL;
  g_autofree char *again = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (strstr (json, "\"placements\""));
  assert_split (from_json, first_kg, second_kg);
  g_assert_cmpfloat (goods (from_json, 0)->gross_kg, ==, goods (m, 0)->gross_kg);

  edi = dl_manifest_to_cuscar (from_json);
  g_test_message ("%s", edi);
  from_edi = read_one (edi);
  assert_split (g_ptr_array_index (from_edi, 0), first_kg, second_kg);
  again = dl_manifest_to_json (g_ptr_array_index (from_edi, 0));
  g_assert_cmpstr (again, ==, json);

  /* and through CSV: the placements in their column, not dropped */
  {
    g_autofree char *csv = dl_manifest_to_csv (m);
    g_autoptr(DlManifest) from_csv = dl_manifest_from_csv (csv, strlen (csv), &error);
    g_autofree char *csv_json = NULL;

    g_test_message ("%s", csv);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (csv, "CSQU3054383:500:"));
    assert_split (from_csv, first_kg, second_kg);
    csv_json = dl_manifest_to_json (from_csv);
    g_assert_cmpstr (csv_json, ==, json);
  }
}

/* (a) the mass per container after each SGP (and the goods item's own):
 * each container is declared with the mass placed in it. */
static void
test_split_with_masses (void)
{
  g_autoptr(DlManifest) m = read_split ("MEA+AAE+G+KGM:19800.5'",
                                        "SGP+CSQU3054383+500'\nMEA+AAE+G+KGM:11000'",
                                        "SGP+MSKU1234565+400'\nMEA+AAE+G+KGM:8800.5'");

  g_assert_cmpuint (m->warnings->len, ==, 0);
  g_assert_cmpfloat (goods (m, 0)->gross_kg, ==, 19800.5);
  assert_split (m, 11000, 8800.5);
  assert_round_trips (m, 11000, 8800.5);
}

/* (b) no MEA after the SGPs: the placements have no mass (absent, not 0). */
static void
test_split_without_masses (void)
{
  g_autoptr(DlManifest) m = read_split ("MEA+AAE+G+KGM:19800'",
                                        "SGP+CSQU3054383+500'", "SGP+MSKU1234565+400'");

  g_assert_cmpuint (m->warnings->len, ==, 0);
  g_assert_cmpfloat (goods (m, 0)->gross_kg, ==, 19800);
  assert_split (m, NAN, NAN);
  assert_round_trips (m, NAN, NAN);
}

/* More packages placed than the goods item has is a contradiction the
 * validation names; a placement in a container the manifest does not
 * list, too. */
static void
test_split_contradictions (void)
{
  g_autoptr(DlManifest) over = read_split ("MEA+AAE+G+KGM:19800'",
                                           "SGP+CSQU3054383+500'", "SGP+MSKU1234565+401'");
  g_autoptr(DlManifest) elsewhere = read_split ("MEA+AAE+G+KGM:19800'",
                                                "SGP+CSQU3054383+500'", "SGP+TGHU1234560+400'");
  g_autoptr(GError) error = NULL;

  g_assert_false (dl_manifest_validate (over, &error));
  g_assert_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INCONSISTENT);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_false (dl_manifest_validate (elsewhere, &error));
  g_assert_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INCONSISTENT);
  g_test_message ("%s", error->message);
}

/* JSON: a first placement that is not "container" is refused, a goods
 * line without placements reads as before (none). */
static void
test_split_json (void)
{
  static const char contradicting[] =
    "{\"format\": \"doorlicht-manifest/1\", \"goods\": [{\"container\": \"CSQU3054383\", "
    "\"placements\": [{\"container\": \"MSKU1234565\", \"packages\": 5}]}]}";
  static const char whole[] =
    "{\"format\": \"doorlicht-manifest/1\", \"goods\": [{\"container\": \"CSQU3054383\", \"packages\": 5}]}";
  static const char bad_mass[] =
    "{\"format\": \"doorlicht-manifest/1\", \"goods\": [{\"placements\": "
    "[{\"container\": \"MSKU1234565\", \"gross_kg\": -1}]}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(DlManifest) none = NULL;
  g_autoptr(DlManifest) refused = dl_manifest_from_json (contradicting, &error);
  g_autofree char *json = NULL;

  g_assert_null (refused);
  g_assert_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (dl_manifest_from_json (bad_mass, &error));
  g_assert_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INVALID);
  g_clear_error (&error);
  none = dl_manifest_from_json (whole, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (goods (none, 0)->placements->len, ==, 0);
  json = dl_manifest_to_json (none);
  g_assert_null (strstr (json, "placements"));
}

/* The check's declared mass per container, on a generator scan (what it
 * measures does not matter here, what it compares with does). */
static DlConsistency *
check_container (DlSynthOutput    *out,
                 const DlManifest *m,
                 const char       *container)
{
  g_autoptr(GError) error = NULL;
  DlConsistency *c = dl_consistency_check_container (out->scan, dl_calibration_get_default (), m,
                                                     container, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < c->hints->len; i++)
    g_test_message ("%s: %s", container, ((DlHint *) g_ptr_array_index (c->hints, i))->message);
  return c;
}

static const DlHint *
weight_hint (const DlConsistency *c)
{
  for (guint i = 0; i < c->hints->len; i++)
    if (((DlHint *) g_ptr_array_index (c->hints, i))->kind == DL_HINT_WEIGHT)
      return g_ptr_array_index (c->hints, i);
  return NULL;
}

static void
test_split_declared_mass (void)
{
  g_autoptr(DlSynthOutput) out = dl_synth_generate ("mixed", 4, FALSE, NULL);
  g_autoptr(DlManifest) with = read_split ("MEA+AAE+G+KGM:19800.5'",
                                           "SGP+CSQU3054383+500'\nMEA+AAE+G+KGM:11000'",
                                           "SGP+MSKU1234565+400'\nMEA+AAE+G+KGM:8800.5'");
  g_autoptr(DlManifest) without = read_split ("MEA+AAE+G+KGM:19800'",
                                              "SGP+CSQU3054383+500'", "SGP+MSKU1234565+400'");
  g_autoptr(DlManifest) unknown = read_split ("MEA+AAE+G+KGM:19800'",
                                              "SGP+CSQU3054383'", "SGP+MSKU1234565+400'");
  g_autoptr(DlConsistency) a1 = check_container (out, with, "CSQU3054383");
  g_autoptr(DlConsistency) a2 = check_container (out, with, "MSKU1234565");
  g_autoptr(DlConsistency) b1 = check_container (out, without, "CSQU3054383");
  g_autoptr(DlConsistency) b2 = check_container (out, without, "MSKU1234565");
  g_autoptr(DlConsistency) c1 = check_container (out, unknown, "CSQU3054383");
  g_autoptr(DlConsistency) c2 = check_container (out, unknown, "MSKU1234565");
  const DlHint *h;

  /* (a) the mass placed in each */
  g_assert_cmpfloat (a1->declared_kg, ==, 11000);
  g_assert_cmpfloat (a2->declared_kg, ==, 8800.5);
  /* (b) 19800 kg shared 500 : 400 */
  g_assert_cmpfloat_with_epsilon (b1->declared_kg, 11000, 1e-9);
  g_assert_cmpfloat_with_epsilon (b2->declared_kg, 8800, 1e-9);
  /* this scan holds more than the second container's share: the hint
   * says how the share was had, and only when it was shared */
  h = weight_hint (b2);
  g_assert_nonnull (h);
  g_assert_cmpint (h->severity, !=, DL_HINT_SEVERITY_INFO);
  g_assert_cmpfloat_with_epsilon (h->declared, 8800, 1e-9);
  g_assert_nonnull (strstr (h->message, "shared among them by package count"));
  h = weight_hint (a2);
  g_assert_nonnull (h);
  g_assert_cmpfloat (h->declared, ==, 8800.5);
  g_assert_null (strstr (h->message, "package count"));
  /* (c) the first placement gives neither mass nor count: its share is
   * not known, the weight not checked, in either container */
  g_assert_true (isnan (c1->declared_kg));
  g_assert_true (isnan (c2->declared_kg));
  h = weight_hint (c1);
  g_assert_nonnull (h);
  g_assert_cmpint (h->severity, ==, DL_HINT_SEVERITY_INFO);
  g_assert_nonnull (strstr (h->message, "not checked"));
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
  g_test_add_func ("/cuscar-published/split-with-masses", test_split_with_masses);
  g_test_add_func ("/cuscar-published/split-without-masses", test_split_without_masses);
  g_test_add_func ("/cuscar-published/split-contradictions", test_split_contradictions);
  g_test_add_func ("/cuscar-published/split-json", test_split_json);
  g_test_add_func ("/cuscar-published/split-declared-mass", test_split_declared_mass);

  return g_test_run ();
}
