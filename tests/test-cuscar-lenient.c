/* test-cuscar-lenient.c — CUSCAR read where the content can still be
 * trusted, with warnings naming segment and place; refused where not.
 *
 * The messages are written here to the published segment tables, not to
 * this reader: UN/EDIFACT D.95B and D.97B CUSCAR (UNECE, UNTDID, "4.3.1
 * Segment table": UNH BGM DTM, SG4 TDT-LOC-DTM, SG5 EQD-…-SEL,
 * SG7 CNI with its references, parties and goods items), the SARS CUSCAR
 * message implementation guide 2.1 (tools.sars.gov.za, EDI_Downloads/
 * MIGS/CUSCAR_2_1_HTML: SG14 GID-FTX-MEA-SGP-DGS-PCI-CST), the service
 * segments of ISO 9735 (UNT 0074 counts the segments of its message, UNH
 * and UNT included; UNE 0060 and UNZ 0036 count messages or groups) and
 * the UN/EDIFACT code list 6313 (measured attribute: G gross weight, AAG
 * "gross weight (item level)", which this reader does not take as a goods
 * item's gross mass).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "dl-cuscar.h"
#include "dl-manifest.h"

static char *corpus;

static GPtrArray *
read_one (const char *edi)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *manifests = dl_cuscar_read (edi, strlen (edi), &error);

  g_assert_no_error (error);
  g_assert_nonnull (manifests);
  return manifests;
}

/* The warning about segment @segment, or NULL. */
static const DlManifestWarning *
warning_at (const DlManifest *m,
            guint             segment)
{
  for (guint i = 0; i < m->warnings->len; i++)
    {
      const DlManifestWarning *w = g_ptr_array_index (m->warnings, i);

      if (w->segment == segment)
        return w;
    }
  return NULL;
}

static void
assert_warning (const DlManifest *m,
                guint             segment,
                const char       *tag,
                guint             line,
                const char       *words)
{
  const DlManifestWarning *w = warning_at (m, segment);
  g_autofree char *text = NULL;

  g_assert_nonnull (w);
  text = dl_manifest_warning_to_string (w);
  g_test_message ("%s", text);
  g_assert_cmpstr (w->tag, ==, tag);
  g_assert_cmpuint (w->line, ==, line);
  g_assert_cmpuint (w->column, >, 0);
  g_assert_nonnull (strstr (w->message, words));
  g_assert_true (g_str_has_prefix (text, "segment "));
}

/* One line per segment, so that segment n (UNB is 1) is on line n. */
static const char message[] =
  "UNB+UNOC:3+CARRIER+CUSTOMS+261122:0800+IC7'\n"              /*  1 */
  "UNH+M1+CUSCAR:D:95B:UN'\n"                                   /*  2 */
  "BGM+85+MAN0007+9'\n"                                         /*  3 */
  "DTM+137:20260230:102'\n"                                     /*  4: 30 February */
  "TDT+20+V12+9++CARR:172:20'\n"                                /*  5: mode 9 is not in 8067 as read */
  "LOC+9+CNSHA'\n"                                              /*  6 */
  "LOC+11+NLRTM'\n"                                             /*  7 */
  "EQD+CN+CSQU3054383+42G1+++5'\n"                              /*  8 */
  "CNI+1+BL7'\n"                                                /*  9 */
  "GID+1+100:BG'\n"                                             /* 10 */
  "FTX+AAA+++RICE IN BAGS'\n"                                   /* 11 */
  "MEA+WT+AAG+KGM:12400'\n"                                     /* 12: a qualifier not taken */
  "SGP+CSQU3054383+100'\n"                                      /* 13 */
  "GID+2+10:CT'\n"                                              /* 14 */
  "MEA+WT+G+KGM:heavy'\n"                                       /* 15: not a number */
  "GID+3+5:PK'\n"                                               /* 16 */
  "MEA+WT+G+OZA:12'\n"                                          /* 17: an unknown unit */
  "GID+4+1:PK'\n"                                               /* 18: no MEA at all */
  "FTX+AAA+++SPARE PARTS'\n"                                    /* 19 */
  "GID+5+2:PK'\n"                                               /* 20 */
  "MEA+WT+G+KGM:250.5'\n"                                       /* 21: read */
  "UNT+99+M1'\n"                                                /* 22: counts 99, there are 21 */
  "UNZ+1+IC7'\n";                                               /* 23 */

static void
test_read_with_warnings (void)
{
  g_autoptr(GPtrArray) manifests = read_one (message);
  DlManifest *m = g_ptr_array_index (manifests, 0);
  const DlManifestGoods *g;

  g_assert_cmpuint (manifests->len, ==, 1);
  g_assert_cmpstr (m->message_id, ==, "MAN0007");
  g_assert_null (m->date);
  g_assert_null (m->transport_mode);
  g_assert_cmpstr (m->voyage, ==, "V12");
  g_assert_cmpuint (m->goods->len, ==, 5);

  for (guint i = 0; i < 4; i++)
    {
      g = g_ptr_array_index (m->goods, i);
      g_assert_false (dl_manifest_goods_has_mass (g));
      g_assert_true (isnan (g->gross_kg));
    }
  g = g_ptr_array_index (m->goods, 4);
  g_assert_cmpfloat (g->gross_kg, ==, 250.5);
  g = g_ptr_array_index (m->goods, 0);
  g_assert_cmpstr (g->container, ==, "CSQU3054383");
  g_assert_cmpuint (g->packages, ==, 100);

  assert_warning (m, 4, "DTM", 4, "20260230");
  assert_warning (m, 5, "TDT", 5, "“9”");
  assert_warning (m, 12, "MEA", 12, "AAG");
  assert_warning (m, 15, "MEA", 15, "“heavy”");
  assert_warning (m, 17, "MEA", 17, "OZA");
  assert_warning (m, 18, "GID", 18, "goods item 4 has no gross weight");
  assert_warning (m, 22, "UNT", 22, "UNT counts 99 segments, there are 21");
  g_assert_cmpuint (m->warnings->len, ==, 7);
  /* in the order of the message */
  for (guint i = 1; i < m->warnings->len; i++)
    g_assert_cmpuint (((DlManifestWarning *) g_ptr_array_index (m->warnings, i - 1))->segment, <,
                      ((DlManifestWarning *) g_ptr_array_index (m->warnings, i))->segment);

  /* the totals do not pass a part for the whole */
  g_assert_true (isnan (dl_manifest_total_gross_kg (m)));
  g_assert_cmpuint (dl_manifest_n_goods_without_mass (m), ==, 4);

  /* a manifest without masses breaks the rules: that is a finding, apart */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (dl_manifest_validate (m, &error));
    g_assert_error (error, DL_MANIFEST_ERROR, DL_MANIFEST_ERROR_INCONSISTENT);
  }
}

/* Absent stays absent, and the warnings stay, through the JSON form (the
 * case file keeps a manifest as its JSON form) and CSV and CUSCAR. */
static void
test_json_keeps_them (void)
{
  g_autoptr(GPtrArray) manifests = read_one (message);
  DlManifest *m = g_ptr_array_index (manifests, 0);
  g_autofree char *json = dl_manifest_to_json (m);
  g_autoptr(JsonNode) root = json_from_string (json, NULL);
  JsonObject *o = json_node_get_object (root);
  JsonArray *goods = json_object_get_array_member (json_array_get_object_element (
                       json_object_get_array_member (o, "consignments"), 0), "goods");
  JsonArray *warnings = json_object_get_array_member (o, "warnings");
  JsonObject *first;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlManifest) back = NULL;
  g_autofree char *again = NULL;

  g_test_message ("%s", json);
  g_assert_true (json_node_get_node_type (json_object_get_member (json_array_get_object_element (goods, 0),
                                                                  "gross_kg")) == JSON_NODE_NULL);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (goods, 4), "gross_kg"), ==, 250.5);
  g_assert_nonnull (warnings);
  g_assert_cmpuint (json_array_get_length (warnings), ==, 7);
  first = json_array_get_object_element (warnings, 0);
  g_assert_cmpint (json_object_get_int_member (first, "segment"), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (first, "tag"), ==, "DTM");
  g_assert_cmpint (json_object_get_int_member (first, "line"), ==, 4);
  g_assert_nonnull (strstr (json_object_get_string_member (first, "message"), "20260230"));

  back = dl_manifest_from_json (json, &error);
  g_assert_no_error (error);
  again = dl_manifest_to_json (back);
  g_assert_cmpstr (json, ==, again);
  g_assert_false (dl_manifest_goods_has_mass (g_ptr_array_index (back->goods, 0)));

  /* CSV: an empty field; read back, still absent */
  {
    g_autofree char *csv = dl_manifest_to_csv (m);
    g_autoptr(DlManifest) from_csv = dl_manifest_from_csv (csv, strlen (csv), &error);

    g_assert_no_error (error);
    g_assert_false (dl_manifest_goods_has_mass (g_ptr_array_index (from_csv->goods, 0)));
    g_assert_cmpfloat (((DlManifestGoods *) g_ptr_array_index (from_csv->goods, 4))->gross_kg, ==, 250.5);
  }

  /* CUSCAR: no MEA rather than a made-up one */
  {
    g_autofree char *edi = dl_manifest_to_cuscar (m);
    g_autoptr(GPtrArray) reread = read_one (edi);
    DlManifest *r = g_ptr_array_index (reread, 0);

    g_assert_false (dl_manifest_goods_has_mass (g_ptr_array_index (r->goods, 0)));
    g_assert_cmpfloat (((DlManifestGoods *) g_ptr_array_index (r->goods, 4))->gross_kg, ==, 250.5);
  }

  /* a JSON manifest without "gross_kg" has none, not 0 */
  {
    const char *without = "{\"format\": \"doorlicht-manifest/1\", \"goods\": [{\"item\": 1}]}";
    g_autoptr(DlManifest) j = dl_manifest_from_json (without, &error);

    g_assert_no_error (error);
    g_assert_false (dl_manifest_goods_has_mass (g_ptr_array_index (j->goods, 0)));
    g_assert_cmpuint (j->warnings->len, ==, 0);
  }
}

/* UNE and UNZ counts: a warning of the envelope goes with every message;
 * one of a message with that message only. */
static void
test_envelope_counts (void)
{
  const char *edi =
    "UNB+UNOC:3+S+R+260101:1200+IC'\n"
    "UNG+CUSCAR+S+R+260101:1200+G1+UN+D:95B'\n"
    "UNH+A+CUSCAR:D:95B:UN'\nBGM+85+A1+9'\nGID+1+1:PK'\nMEA+WT+G+KGM:1'\nUNT+5+A'\n"
    "UNH+B+CUSCAR:D:95B:UN'\nBGM+85+B1+9'\nGID+1+1:PK'\nMEA+WT+G+KGM:2'\nUNT+7+B'\n"
    "UNE+3+G1'\n"
    "UNZ+4+IC'\n";
  g_autoptr(GPtrArray) manifests = read_one (edi);
  DlManifest *a = g_ptr_array_index (manifests, 0);
  DlManifest *b = g_ptr_array_index (manifests, 1);

  g_assert_cmpuint (manifests->len, ==, 2);
  g_assert_cmpuint (a->warnings->len, ==, 2);
  g_assert_cmpuint (b->warnings->len, ==, 3);
  assert_warning (a, 13, "UNE", 13, "UNE counts 3 messages, there are 2");
  assert_warning (a, 14, "UNZ", 14, "UNZ counts 4 functional groups, there are 1");
  assert_warning (b, 12, "UNT", 12, "UNT counts 7 segments, there are 5");
  assert_warning (b, 13, "UNE", 13, "UNE");
  assert_warning (b, 14, "UNZ", 14, "UNZ");
  g_assert_null (warning_at (a, 12));
}

/* Where the content cannot be trusted, still refused, naming the place. */
static void
test_still_refused (void)
{
  static const struct { const char *edi; GQuark domain; int code; const char *where; } cases[] = {
    /* a UNT whose reference is another message's: cannot be framed */
    { "UNB+UNOC:3+S+R+1+IC'\nUNH+1+CUSCAR:D:95B:UN'\nBGM+85+X+9'\nUNT+3+2'\nUNZ+1+IC'\n",
      0, DL_EDIFACT_ERROR_ENVELOPE, "segment 4 (UNT) at line 4" },
    /* a count that is not a number */
    { "UNB+UNOC:3+S+R+1+IC'\nUNH+1+CUSCAR:D:95B:UN'\nBGM+85+X+9'\nUNT+three+1'\nUNZ+1+IC'\n",
      0, DL_EDIFACT_ERROR_ENVELOPE, "segment 4 (UNT) at line 4" },
    /* no UNT: the message does not end */
    { "UNB+UNOC:3+S+R+1+IC'\nUNH+1+CUSCAR:D:95B:UN'\nBGM+85+X+9'\nUNZ+1+IC'\n",
      0, DL_EDIFACT_ERROR_ENVELOPE, "segment 4 (UNZ) at line 4" },
    /* broken syntax: a segment without its terminator */
    { "UNB+UNOC:3+S+R+1+IC'\nUNH+1+CUSCAR:D:95B:UN'\nBGM+85+X+9",
      0, DL_EDIFACT_ERROR_SYNTAX, "segment 3" },
    /* a negative mass: a quantity that contradicts itself */
    { "UNB+UNOC:3+S+R+1+IC'\nUNH+1+CUSCAR:D:95B:UN'\nGID+1+1:PK'\nMEA+WT+G+KGM:-4'\nUNT+4+1'\nUNZ+1+IC'\n",
      1, DL_MANIFEST_ERROR_INVALID, "segment 4 (MEA) at line 4" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) manifests = dl_cuscar_read (cases[i].edi, strlen (cases[i].edi), &error);

      g_assert_null (manifests);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_true (error->domain == (cases[i].domain ? DL_MANIFEST_ERROR : DL_EDIFACT_ERROR));
      g_assert_cmpint (error->code, ==, cases[i].code);
      g_assert_true (g_str_has_prefix (error->message, cases[i].where));
    }
}

/* The corpus's third-party sample has a wrong UNT count (313 for 30
 * segments) though every segment parses: read, with that warning. */
static void
test_corpus_sample (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) manifests = NULL;
  DlManifest *m;

  if (corpus == NULL)
    {
      g_test_skip ("DL_CORPUS_DIR is not set: no EDIFACT samples to test against");
      return;
    }
  path = g_build_filename (corpus, "manifest", "edifact", "edifact-cuscar-tools__simple.edi", NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_test_skip ("no edifact-cuscar-tools__simple.edi in the corpus");
      return;
    }
  manifests = dl_manifest_load_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (manifests->len, ==, 1);
  m = g_ptr_array_index (manifests, 0);
  g_assert_cmpstr (m->message_id, ==, "DOCREF1234");
  g_assert_cmpuint (m->goods->len, ==, 1);
  g_assert_cmpfloat (((DlManifestGoods *) g_ptr_array_index (m->goods, 0))->gross_kg, ==, 55814);
  assert_warning (m, 31, "UNT", 31, "UNT counts 313 segments, there are 30");
  g_assert_cmpuint (m->warnings->len, ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  corpus = g_strdup (g_getenv ("DL_CORPUS_DIR"));
  if (corpus && !g_file_test (corpus, G_FILE_TEST_IS_DIR))
    g_clear_pointer (&corpus, g_free);

  g_test_add_func ("/cuscar-lenient/read-with-warnings", test_read_with_warnings);
  g_test_add_func ("/cuscar-lenient/json-keeps-them", test_json_keeps_them);
  g_test_add_func ("/cuscar-lenient/envelope-counts", test_envelope_counts);
  g_test_add_func ("/cuscar-lenient/still-refused", test_still_refused);
  g_test_add_func ("/cuscar-lenient/corpus-sample", test_corpus_sample);

  return g_test_run ();
}
