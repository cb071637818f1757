/* test-edifact.c — UN/EDIFACT syntax: service string advice, release
 * character, line breaks, envelopes and their counts, character sets,
 * and broken input (never a crash, always an error naming the place).
 *
 * The shared samples are $DL_CORPUS_DIR/manifest/edifact (set by
 * tests/meson.build); without them those cases are skipped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "dl-edifact.h"

#define POSITION_RE "^segment [0-9]+ (\\([A-Z0-9]{3}\\) )?at line [0-9]+, column [0-9]+: "

static DlEdifactInterchange *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  DlEdifactInterchange *ix = dl_edifact_parse (text, strlen (text), NULL, DL_EDIFACT_PARSE_DEFAULT, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ix);
  return ix;
}

/* Parses @len bytes expecting @code; returns the message. */
static char *
parse_fails_len (const char *text,
                 gsize       len,
                 int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlEdifactInterchange) ix = dl_edifact_parse (text, len, NULL, DL_EDIFACT_PARSE_DEFAULT, &error);

  g_assert_null (ix);
  g_assert_error (error, DL_EDIFACT_ERROR, code);
  g_test_message ("%s", error->message);
  return g_strdup (error->message);
}

static char *
parse_fails (const char *text,
             int         code)
{
  return parse_fails_len (text, strlen (text), code);
}

static void
assert_names_place (const char *message)
{
  g_assert_true (g_regex_match_simple (POSITION_RE, message, 0, 0));
}

static const DlEdifactSegment *
find_segment (const DlEdifactInterchange *ix,
              const char                 *tag,
              guint                       nth)
{
  for (guint i = 0; i < ix->segments->len; i++)
    {
      const DlEdifactSegment *seg = g_ptr_array_index (ix->segments, i);
      if (strcmp (seg->tag, tag) == 0 && nth-- == 0)
        return seg;
    }
  g_assert_not_reached ();
  return NULL;
}

#define SIMPLE "UNB+UNOA:3+SENDER:ZZZ+RECEIVER+260101:1200+REF1'" \
               "UNH+M1+CUSCAR:D:95B:UN'BGM+85+DOC1+9'UNT+3+M1'UNZ+1+REF1'"

/* No UNA: the default separators; the envelope's fields. */
static void
test_defaults (void)
{
  g_autoptr(DlEdifactInterchange) ix = parse_ok (SIMPLE);
  const DlEdifactMessage *m;
  const DlEdifactSegment *bgm;

  g_assert_false (ix->has_una);
  g_assert_cmpint (ix->component_separator, ==, ':');
  g_assert_cmpint (ix->segment_terminator, ==, '\'');
  g_assert_cmpstr (ix->syntax, ==, "UNOA");
  g_assert_cmpstr (ix->syntax_version, ==, "3");
  g_assert_cmpstr (ix->sender, ==, "SENDER");
  g_assert_cmpstr (ix->recipient, ==, "RECEIVER");
  g_assert_cmpstr (ix->control_reference, ==, "REF1");
  g_assert_cmpuint (ix->segments->len, ==, 5);
  g_assert_cmpuint (ix->messages->len, ==, 1);

  m = g_ptr_array_index (ix->messages, 0);
  g_assert_cmpstr (m->reference, ==, "M1");
  g_assert_cmpstr (m->type, ==, "CUSCAR");
  g_assert_cmpstr (m->version, ==, "D");
  g_assert_cmpstr (m->release, ==, "95B");
  g_assert_cmpstr (m->agency, ==, "UN");
  g_assert_cmpuint (m->segments->len, ==, 3);

  bgm = find_segment (ix, "BGM", 0);
  g_assert_cmpuint (bgm->number, ==, 3);
  g_assert_cmpuint (dl_edifact_segment_n_elements (bgm), ==, 3);
  g_assert_cmpstr (dl_edifact_segment_get (bgm, 0, 0), ==, "85");
  g_assert_cmpstr (dl_edifact_segment_get (bgm, 1, 0), ==, "DOC1");
  g_assert_null (dl_edifact_segment_get (bgm, 1, 1));
  g_assert_null (dl_edifact_segment_get (bgm, 7, 0));
  g_assert_cmpuint (bgm->position.line, ==, 1);
  g_assert_cmpuint (bgm->position.offset, ==, strlen ("UNB+UNOA:3+SENDER:ZZZ+RECEIVER+260101:1200+REF1'UNH+M1+CUSCAR:D:95B:UN'"));
  g_assert_cmpuint (bgm->position.column, ==, bgm->position.offset + 1);
}

/* A UNA with unusual service characters; the usual ones are then text. */
static void
test_una_odd_separators (void)
{
  g_autoptr(DlEdifactInterchange) ix =
    parse_ok ("UNA|*,# ~\n"
              "UNB*UNOC|3*S*R*260101|1200*R1~\n"
              "UNH*1*ORDERS|D|96A|UN~\n"
              "FTX*AAA***a#*b#|c###~d|x+y:z'w~\n"
              "UNT*3*1~\n"
              "UNZ*1*R1~\n");
  const DlEdifactSegment *ftx = find_segment (ix, "FTX", 0);

  g_assert_true (ix->has_una);
  g_assert_cmpint (ix->component_separator, ==, '|');
  g_assert_cmpint (ix->element_separator, ==, '*');
  g_assert_cmpint (ix->decimal_mark, ==, ',');
  g_assert_cmpint (ix->release_character, ==, '#');
  g_assert_cmpint (ix->segment_terminator, ==, '~');
  g_assert_cmpstr (dl_edifact_segment_get (ftx, 3, 0), ==, "a*b|c#~d");
  g_assert_cmpstr (dl_edifact_segment_get (ftx, 3, 1), ==, "x+y:z'w");
  /* the UNA is not counted: UNB is segment 1, FTX 3 on line 4 */
  g_assert_cmpuint (ftx->number, ==, 3);
  g_assert_cmpuint (ftx->position.line, ==, 4);

  /* a space as release character: none */
  {
    g_autoptr(DlEdifactInterchange) none =
      parse_ok ("UNA:+.  'UNB+UNOA:3+S+R+1+R1'UNH+1+X:D:96A:UN'FTX+AAA+++a?b'UNT+3+1'UNZ+1+R1'");
    g_assert_cmpint (none->release_character, ==, 0);
    g_assert_cmpstr (dl_edifact_segment_get (find_segment (none, "FTX", 0), 3, 0), ==, "a?b");
  }
}

static void
test_una_refused (void)
{
  const char *bad[] = {
    "UNA:+.?",                                  /* cut short */
    "UNA:A.? 'UNB+UNOA:3+S+R+1+R'",             /* a letter as separator */
    "UNA::.? 'UNB+UNOA:3+S+R+1+R'",             /* the same character twice */
    "UNA:+x? 'UNB+UNOA:3+S+R+1+R'",             /* no decimal mark */
    "UNA:+.?  UNB+UNOA:3+S+R+1+R ",             /* a space as terminator */
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *msg = parse_fails (bad[i], DL_EDIFACT_ERROR_SYNTAX);
      g_assert_nonnull (strstr (msg, "UNA"));
    }
}

/* The release character before each service character and itself. */
static void
test_release (void)
{
  g_autoptr(DlEdifactInterchange) ix =
    parse_ok ("UNB+UNOA:3+S+R+1+R1'UNH+1+X:D:96A:UN'"
              "FTX+AAA+++a?+b?:c?'d?" "?e+??" "?'+?A'"
              "UNT+3+1'UNZ+1+R1'");
  const DlEdifactSegment *ftx = find_segment (ix, "FTX", 0);
  g_autofree char *end = NULL;

  g_assert_cmpstr (dl_edifact_segment_get (ftx, 3, 0), ==, "a+b:c'd?e");
  g_assert_cmpuint (dl_edifact_segment_n_elements (ftx), ==, 6);
  g_assert_cmpstr (dl_edifact_segment_get (ftx, 4, 0), ==, "?'");
  g_assert_cmpstr (dl_edifact_segment_get (ftx, 5, 0), ==, "A");

  end = parse_fails ("UNB+UNOA:3+S+R+1+R1'UNH+1+X:D:96A:UN'FTX+AAA?", DL_EDIFACT_ERROR_SYNTAX);
  assert_names_place (end);
  g_assert_nonnull (strstr (end, "(FTX)"));
  g_assert_nonnull (strstr (end, "release"));
}

/* Line breaks between and inside segments are not data; positions count
 * them. */
static void
test_wrapped_lines (void)
{
  const char *text = "UNB+UNOA:3+S+R+1+R1'\r\n"
                     "UNH+1+X:D:96A:UN'\r\n"
                     "FTX+AAA+++FIRST PART OF\r\n"
                     " A TEXT:SECOND\n"
                     "LINE'\r\n"
                     "UNT+3+1'\n"
                     "UNZ+1+R1'\r\n\r\n";
  g_autoptr(DlEdifactInterchange) ix = parse_ok (text);
  const DlEdifactSegment *ftx = find_segment (ix, "FTX", 0);
  const DlEdifactSegment *unt = find_segment (ix, "UNT", 0);
  const DlEdifactPosition *second = &g_array_index (ftx->element_positions, DlEdifactPosition, 1);

  g_assert_cmpstr (dl_edifact_segment_get (ftx, 3, 0), ==, "FIRST PART OF A TEXT");
  g_assert_cmpstr (dl_edifact_segment_get (ftx, 3, 1), ==, "SECONDLINE");
  g_assert_cmpuint (ftx->position.line, ==, 3);
  g_assert_cmpuint (ftx->position.column, ==, 1);
  g_assert_cmpuint (second->line, ==, 3);
  g_assert_cmpuint (second->column, ==, 9);
  g_assert_cmpuint (unt->position.line, ==, 6);

  /* an error in a wrapped segment names the line where it is */
  {
    g_autofree char *msg = parse_fails ("UNB+UNOA:3+S+R+1+R1'\r\nUNH+1+X:D:96A:UN'\r\nFTX+AAA'\r\nUNT\r\n+9+1'UNZ+1+R1'",
                                        DL_EDIFACT_ERROR_ENVELOPE);
    g_assert_true (g_str_has_prefix (msg, "segment 4 (UNT) at line 5, column 2: "));
  }
}

/* Several messages, in and out of functional groups. */
static void
test_several_messages (void)
{
  g_autoptr(DlEdifactInterchange) ix =
    parse_ok ("UNA:+.? 'UNB+UNOC:3+S+R+1+IC'"
              "UNH+A+CUSCAR:D:95B:UN'BGM+85+1'UNT+3+A'"
              "UNH+B+CUSCAR:D:95B:UN'BGM+85+2'DTM+137:20260101:102'UNT+4+B'"
              "UNH+C+CUSCAR:D:96A:UN'UNT+2+C'"
              "UNZ+3+IC'");
  g_autoptr(DlEdifactInterchange) grouped =
    parse_ok ("UNB+UNOC:3+S+R+1+IC'"
              "UNG+CUSCAR+S+R+1+G1+UN+D:95B'UNH+A+CUSCAR:D:95B:UN'UNT+2+A'UNH+B+CUSCAR:D:95B:UN'UNT+2+B'UNE+2+G1'"
              "UNG+CUSCAR+S+R+1+G2+UN+D:95B'UNH+C+CUSCAR:D:95B:UN'UNT+2+C'UNE+1+G2'"
              "UNZ+2+IC'");
  g_autoptr(DlEdifactInterchange) bare =
    parse_ok ("UNH+A+CUSCAR:D:95B:UN'BGM+85+1'UNT+3+A'UNH+B+CUSCAR:D:95B:UN'UNT+2+B'");

  g_assert_cmpuint (ix->messages->len, ==, 3);
  g_assert_cmpstr (((DlEdifactMessage *) g_ptr_array_index (ix->messages, 1))->reference, ==, "B");
  g_assert_cmpuint (((DlEdifactMessage *) g_ptr_array_index (ix->messages, 1))->segments->len, ==, 4);
  g_assert_cmpstr (((DlEdifactMessage *) g_ptr_array_index (ix->messages, 2))->release, ==, "96A");
  g_assert_cmpuint (grouped->messages->len, ==, 3);
  g_assert_cmpuint (bare->messages->len, ==, 2);
  g_assert_null (bare->syntax);
}

/* UNT, UNE and UNZ counts and references. */
static void
test_bad_counts (void)
{
  static const struct { const char *text; const char *where; } cases[] = {
    { "UNB+UNOA:3+S+R+1+R1'UNH+1+X:D:96A:UN'BGM+1'UNT+4+1'UNZ+1+R1'", "segment 4 (UNT) at line 1, column 48: " },
    { "UNB+UNOA:3+S+R+1+R1'UNH+1+X:D:96A:UN'BGM+1'UNT+3+2'UNZ+1+R1'", "segment 4 (UNT) at line 1, column 50: " },
    { "UNB+UNOA:3+S+R+1+R1'UNH+1+X:D:96A:UN'BGM+1'UNT+3+1'UNZ+2+R1'", "segment 5 (UNZ)" },
    { "UNB+UNOA:3+S+R+1+R1'UNH+1+X:D:96A:UN'BGM+1'UNT+3+1'UNZ+1+R2'", "segment 5 (UNZ)" },
    { "UNB+UNOA:3+S+R+1+R1'UNH+1+X:D:96A:UN'BGM+1'UNT+three+1'UNZ+1+R1'", "segment 4 (UNT)" },
    { "UNB+UNOA:3+S+R+1+R1'UNG+X+S+R+1+G1'UNH+1+X:D:96A:UN'UNT+2+1'UNE+2+G1'UNZ+1+R1'", "segment 5 (UNE)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *msg = parse_fails (cases[i].text, DL_EDIFACT_ERROR_ENVELOPE);
      g_autoptr(DlEdifactInterchange) lenient = NULL;

      assert_names_place (msg);
      g_assert_true (g_str_has_prefix (msg, cases[i].where));
      /* without count checks, the wrong counts pass (but not the references) */
      lenient = dl_edifact_parse (cases[i].text, strlen (cases[i].text), NULL, DL_EDIFACT_PARSE_NO_COUNTS, NULL);
      g_assert_true ((lenient != NULL) == (i == 0 || i == 2 || i == 5));
    }
}

/* The envelope's order. */
static void
test_envelope_order (void)
{
  static const char *cases[] = {
    "BGM+85+1'",                                                       /* not an interchange */
    "UNB+UNOA:3+S+R+1+R1'UNH+1+X:D:96A:UN'BGM+1'",                     /* no UNT */
    "UNB+UNOA:3+S+R+1+R1'UNH+1+X:D:96A:UN'UNH+2+X:D:96A:UN'UNT+2+2'UNZ+1+R1'",   /* UNH in a message */
    "UNB+UNOA:3+S+R+1+R1'UNH+1+X:D:96A:UN'UNT+2+1'",                   /* no UNZ */
    "UNB+UNOA:3+S+R+1+R1'UNH+1+X:D:96A:UN'UNT+2+1'UNZ+1+R1'BGM+1'",    /* after UNZ */
    "UNB+UNOA:3+S+R+1+R1'BGM+1'UNZ+0+R1'",                             /* outside a message */
    "UNB+UNOA:3+S+R+1+R1'UNA:+.? 'UNZ+0+R1'",                          /* a late UNA */
    "UNB+XXXX:3+S+R+1+R1'UNZ+0+R1'",                                   /* syntax identifier */
    "UNB+UNOA:3+S+R+1'UNZ+0+R1'",                                      /* no control reference */
    "UNB+UNOA:3+S+R+1+R1'UNH+1'UNT+2+1'UNZ+1+R1'",                     /* no message type */
    "UNB+UNOA:3+S+R+1+R1'UNG+X+S+R+1+G1'UNH+1+X:D:96A:UN'UNT+2+1'UNZ+1+R1'",   /* no UNE */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DlEdifactInterchange) ix = dl_edifact_parse (cases[i], strlen (cases[i]), NULL, 0, &error);

      g_assert_null (ix);
      g_assert_nonnull (error);
      g_test_message ("%s → %s", cases[i], error->message);
      assert_names_place (error->message);
    }
}

static void
test_message_type (void)
{
  g_autoptr(GError) error = NULL;
  const char *text = "UNB+UNOA:2+S+R+1+R1'\nUNH+7+BAPLIE:D:95B:UN:SMDG20'\nUNT+99+7'\nUNZ+1+R1'";
  g_autoptr(DlEdifactInterchange) ix = dl_edifact_parse (text, strlen (text), "CUSCAR", 0, &error);

  g_assert_null (ix);
  g_assert_error (error, DL_EDIFACT_ERROR, DL_EDIFACT_ERROR_MESSAGE_TYPE);
  /* refused at the UNH, before the wrong count in UNT is seen */
  g_assert_cmpstr (error->message, ==,
                   "segment 2 (UNH) at line 2, column 7: the message is of type BAPLIE (BAPLIE:D:95B:UN:SMDG20), not CUSCAR");
}

/* UTF-8 text; 8-bit text in the syntax's ISO 8859 part; invalid bytes
 * refused where they are. */
static void
test_character_sets (void)
{
  g_autoptr(DlEdifactInterchange) utf8 =
    parse_ok ("UNB+UNOW:4+S+R+1+R1'UNH+1+X:D:96A:UN'FTX+AAA+++Müller – 日本?+✓'UNT+3+1'UNZ+1+R1'");
  g_autoptr(DlEdifactInterchange) latin1 =
    parse_ok ("UNB+UNOC:3+S+R+1+R1'UNH+1+X:D:96A:UN'FTX+AAA+++M\xFCller Stra\xDF" "e'UNT+3+1'UNZ+1+R1'");
  g_autoptr(DlEdifactInterchange) latin2 =
    parse_ok ("UNB+UNOD:3+S+R+1+R1'UNH+1+X:D:96A:UN'FTX+AAA+++\xA3\xF3\x64\xBC'UNT+3+1'UNZ+1+R1'");
  g_autofree char *bad = NULL;
  g_autofree char *column = NULL;

  g_assert_cmpstr (dl_edifact_segment_get (find_segment (utf8, "FTX", 0), 3, 0), ==, "Müller – 日本+✓");
  g_assert_cmpstr (dl_edifact_segment_get (find_segment (latin1, "FTX", 0), 3, 0), ==, "Müller Straße");
  g_assert_cmpstr (dl_edifact_segment_get (find_segment (latin2, "FTX", 0), 3, 0), ==, "Łódź");

  /* invalid UTF-8, and the syntax names no 8-bit set */
  bad = parse_fails ("UNB+UNOA:3+S+R+1+R1'\nUNH+1+X:D:96A:UN'\nFTX+AAA+++ab\xC3(x'UNT+3+1'UNZ+1+R1'",
                     DL_EDIFACT_ERROR_ENCODING);
  g_assert_true (g_str_has_prefix (bad, "segment 3 (FTX) at line 3, column 13: "));

  /* columns count characters, not bytes */
  column = parse_fails ("UNB+UNOW:4+S+R+1+R1'UNH+1+X:D:96A:UN'FTX+ÄÖÜ+\x01'", DL_EDIFACT_ERROR_SYNTAX);
  g_assert_true (g_str_has_prefix (column, "segment 3 (FTX) at line 1, column 46: "));
}

static void
test_unterminated (void)
{
  g_autofree char *msg = parse_fails ("UNB+UNOA:3+S+R+1+R1'UNH+1+X:D:96A:UN'UNT+2+1'UNZ+1+R1",
                                      DL_EDIFACT_ERROR_SYNTAX);

  g_assert_true (g_str_has_prefix (msg, "segment 4 (UNZ) at line 1, column 46: "));
  g_assert_nonnull (strstr (msg, "terminator"));
}

static void
test_empty (void)
{
  g_autofree char *empty = parse_fails_len ("", 0, DL_EDIFACT_ERROR_SYNTAX);
  g_autofree char *blank = parse_fails ("\r\n\r\n", DL_EDIFACT_ERROR_SYNTAX);
  g_autofree char *una_only = parse_fails ("UNA:+.? '", DL_EDIFACT_ERROR_SYNTAX);
  g_autoptr(GError) error = NULL;

  g_assert_null (dl_edifact_parse (NULL, 0, NULL, 0, &error));
  g_assert_error (error, DL_EDIFACT_ERROR, DL_EDIFACT_ERROR_SYNTAX);
}

static void
test_bad_tags (void)
{
  const char *cases[] = {
    "UNB+UNOA:3+S+R+1+R1'UNH+1+X:D:96A:UN'bgm+1'UNT+3+1'UNZ+1+R1'",
    "UNB+UNOA:3+S+R+1+R1'UNH+1+X:D:96A:UN'BGMX+1'UNT+3+1'UNZ+1+R1'",
    "UNB+UNOA:3+S+R+1+R1'UNH+1+X:D:96A:UN''UNT+3+1'UNZ+1+R1'",
    "UNB+UNOA:3+S+R+1+R1'UNH+1+X:D:96A:UN' BGM+1'UNT+3+1'UNZ+1+R1'",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *msg = parse_fails (cases[i], DL_EDIFACT_ERROR_SYNTAX);

      g_assert_true (g_str_has_prefix (msg, "segment 3 at line 1, column 38: "));
      g_assert_nonnull (strstr (msg, "not a segment tag"));
    }
}

/* Random bytes, and a good interchange cut or damaged anywhere: an
 * error naming the place, or (for damage that keeps the syntax) a result;
 * never a crash or a hang.  Every cut is refused: nothing is truncated
 * silently. */
static void
test_garbage (void)
{
  const char *good = "UNA:+.? 'UNB+UNOC:3+S+R+260101:1200+R1'\nUNH+1+CUSCAR:D:95B:UN'\nBGM+85+D?+1+9'\n"
                     "FTX+AAA+++TEXT:MORE'\nMEA+WT+G+KGM:12.5'\nUNT+5+1'\nUNZ+1+R1'";
  gsize len = strlen (good);
  g_autoptr(GRand) rand = g_rand_new_with_seed (6346);
  guint8 buf[512];

  for (gsize cut = 0; cut < len; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DlEdifactInterchange) ix = dl_edifact_parse (good, cut, NULL, 0, &error);

      g_assert_null (ix);
      g_assert_nonnull (error);
      if (cut > 9)
        assert_names_place (error->message);
    }

  for (guint round = 0; round < 3000; round++)
    {
      g_autofree char *copy = g_strdup (good);
      g_autoptr(GError) error = NULL;
      g_autoptr(DlEdifactInterchange) ix = NULL;
      guint flips = 1 + g_rand_int_range (rand, 0, 4);

      for (guint k = 0; k < flips; k++)
        copy[g_rand_int_range (rand, 0, len)] = (char) g_rand_int_range (rand, 0, 256);
      ix = dl_edifact_parse (copy, len, NULL, 0, &error);
      g_assert_true ((ix == NULL) != (error == NULL));
      if (error && error->code != DL_EDIFACT_ERROR_SYNTAX)
        assert_names_place (error->message);
    }

  for (guint round = 0; round < 500; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DlEdifactInterchange) ix = NULL;
      gsize n = g_rand_int_range (rand, 1, sizeof buf);

      for (gsize k = 0; k < n; k++)
        buf[k] = g_rand_int_range (rand, 0, 256);
      if (round % 2)
        memcpy (buf, "UNB+", MIN (n, 4));
      ix = dl_edifact_parse ((const char *) buf, n, NULL, 0, &error);
      g_assert_null (ix);
      g_assert_nonnull (error);
    }
}

/* Over the caps: refused, naming the segment. */
static void
test_huge (void)
{
  GString *s = g_string_new ("UNB+UNOA:3+S+R+1+R1'UNH+1+X:D:96A:UN'FTX+AAA+++");
  g_autofree char *msg = NULL;
  g_autofree char *many = NULL;
  g_autofree char *deep = NULL;
  g_autofree char *whole = NULL;
  g_autofree char *big = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (s, 'A');
  g_string_append (s, "'UNT+3+1'UNZ+1+R1'");
  msg = parse_fails_len (s->str, s->len, DL_EDIFACT_ERROR_TOO_LARGE);
  g_assert_true (g_str_has_prefix (msg, "segment 3 (FTX) at line 1, column 38: "));
  g_string_free (s, TRUE);

  s = g_string_new ("UNB+UNOA:3+S+R+1+R1'UNH+1+X:D:96A:UN'FTX");
  for (guint i = 0; i < 300; i++)
    g_string_append (s, "+A");
  g_string_append (s, "'UNT+3+1'UNZ+1+R1'");
  many = parse_fails_len (s->str, s->len, DL_EDIFACT_ERROR_TOO_LARGE);
  assert_names_place (many);
  g_string_free (s, TRUE);

  s = g_string_new ("UNB+UNOA:3+S+R+1+R1'UNH+1+X:D:96A:UN'FTX+");
  for (guint i = 0; i < 300; i++)
    g_string_append (s, "A:");
  g_string_append (s, "'UNT+3+1'UNZ+1+R1'");
  deep = parse_fails_len (s->str, s->len, DL_EDIFACT_ERROR_TOO_LARGE);
  assert_names_place (deep);
  g_string_free (s, TRUE);

  /* the whole interchange over the cap: refused before it is read */
  big = g_malloc0 ((gsize) DL_EDIFACT_MAX_BYTES + 1);
  memcpy (big, SIMPLE, strlen (SIMPLE));
  whole = parse_fails_len (big, (gsize) DL_EDIFACT_MAX_BYTES + 1, DL_EDIFACT_ERROR_TOO_LARGE);
}

static void
test_numbers (void)
{
  double v = 0;

  g_assert_true (dl_edifact_parse_number ("12.5", &v));
  g_assert_cmpfloat (v, ==, 12.5);
  g_assert_true (dl_edifact_parse_number ("12,5", &v));
  g_assert_cmpfloat (v, ==, 12.5);
  g_assert_true (dl_edifact_parse_number ("-3", &v));
  g_assert_cmpfloat (v, ==, -3);
  g_assert_true (dl_edifact_parse_number (".5", &v));
  g_assert_cmpfloat (v, ==, 0.5);
  g_assert_false (dl_edifact_parse_number ("1e5", &v));
  g_assert_false (dl_edifact_parse_number ("1.2.3", &v));
  g_assert_false (dl_edifact_parse_number ("", &v));
  g_assert_false (dl_edifact_parse_number ("-", &v));
  g_assert_false (dl_edifact_parse_number (" 1", &v));
  g_assert_false (dl_edifact_parse_number (NULL, &v));
}

/* ---- the shared samples ------------------------------------------------------ */

static char *corpus;

static char *
read_sample (const char *name,
             gsize      *len)
{
  g_autofree char *path = g_build_filename (corpus, "manifest", "edifact", name, NULL);
  char *data = NULL;

  if (!g_file_get_contents (path, &data, len, NULL))
    return NULL;
  return data;
}

/* Every sample is UN/EDIFACT by syntax (counts aside); with counts
 * checked it parses or names the segment and place. */
static void
test_corpus_syntax (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(GDir) d = NULL;
  const char *name;
  guint n = 0;

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
      gsize len;
      g_autofree char *data = read_sample (name, &len);
      g_autoptr(GError) error = NULL;
      g_autoptr(DlEdifactInterchange) lenient = dl_edifact_parse (data, len, NULL, DL_EDIFACT_PARSE_NO_COUNTS, &error);
      g_autoptr(DlEdifactInterchange) strict = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (lenient->messages->len, >=, 1);
      strict = dl_edifact_parse (data, len, NULL, 0, &error);
      g_test_message ("%s: %u segments, %u messages; %s", name, lenient->segments->len,
                      lenient->messages->len, strict ? "counts right" : error->message);
      if (strict == NULL)
        {
          g_assert_error (error, DL_EDIFACT_ERROR, DL_EDIFACT_ERROR_ENVELOPE);
          assert_names_place (error->message);
        }
      n++;
    }
  g_assert_cmpuint (n, >, 0);
}

/* What particular samples hold. */
static void
test_corpus_content (void)
{
  gsize len;
  g_autofree char *release = NULL, *multiline = NULL, *wrapped = NULL, *utf8 = NULL, *multi = NULL;

  if (corpus == NULL)
    {
      g_test_skip ("DL_CORPUS_DIR is not set: no EDIFACT samples to test against");
      return;
    }

  release = read_sample ("php-edifact__example_release_character.edi", &len);
  if (release)
    {
      g_autoptr(DlEdifactInterchange) ix = dl_edifact_parse (release, len, NULL, DL_EDIFACT_PARSE_NO_COUNTS, NULL);

      g_assert_cmpstr (dl_edifact_segment_get (find_segment (ix, "IFT", 3), 1, 0), ==, "NO MORE ' FLIGHTS 3");
      g_assert_cmpstr (dl_edifact_segment_get (find_segment (ix, "IFT", 4), 1, 0), ==, "NO MORE ? FLIGHTS 3");
      g_assert_cmpstr (dl_edifact_segment_get (find_segment (ix, "IFT", 5), 1, 0), ==, "NO MORE ?' FLIGHTS 3");
      g_assert_cmpstr (dl_edifact_segment_get (find_segment (ix, "IFT", 7), 1, 0), ==, "FIELD 1?");
      g_assert_cmpstr (dl_edifact_segment_get (find_segment (ix, "IFT", 7), 2, 0), ==, "FIELD 2");
      g_assert_cmpstr (dl_edifact_segment_get (find_segment (ix, "IFT", 8), 1, 0), ==, "FIELD 1?+FIELD 2");
      g_assert_cmpstr (dl_edifact_segment_get (find_segment (ix, "IFT", 11), 1, 0), ==, "FIELD 1.1?:FIELD 1.2");
    }

  multiline = read_sample ("php-edifact__example_multiline.edi", &len);
  if (multiline)
    {
      g_autoptr(DlEdifactInterchange) ix = dl_edifact_parse (multiline, len, NULL, DL_EDIFACT_PARSE_NO_COUNTS, NULL);
      const DlEdifactSegment *ftx = find_segment (ix, "FTX", 2);

      g_assert_true (g_str_has_suffix (dl_edifact_segment_get (ftx, 3, 0), "COSTS/DELAYS OCCUR"));
      g_assert_cmpstr (dl_edifact_segment_get (ftx, 3, 1), ==, "DUE TO INTERVENTION OF CUSTOMS.");
    }

  wrapped = read_sample ("php-edifact__example_wrapped.edi", &len);
  if (wrapped)
    {
      g_autoptr(DlEdifactInterchange) ix = dl_edifact_parse (wrapped, len, NULL, 0, NULL);

      g_assert_nonnull (ix);
      g_assert_cmpuint (ix->segments->len, ==, 15);
      g_assert_cmpstr (ix->syntax, ==, "IATB");
      g_assert_cmpuint (find_segment (ix, "UNZ", 0)->position.line, ==, 1);
    }

  utf8 = read_sample ("php-edifact__example_utf8.edi", &len);
  if (utf8)
    {
      g_autoptr(DlEdifactInterchange) ix = dl_edifact_parse (utf8, len, NULL, 0, NULL);

      g_assert_nonnull (ix);
      g_assert_cmpstr (dl_edifact_segment_get (find_segment (ix, "IMD", 0), 2, 3), ==, "MUNCIË THE MIDDLE");
    }

  multi = read_sample ("php-edifact__exampleMulti.edi", &len);
  if (multi)
    {
      g_autoptr(DlEdifactInterchange) ix = dl_edifact_parse (multi, len, NULL, 0, NULL);

      g_assert_nonnull (ix);
      g_assert_cmpuint (ix->messages->len, ==, 2);
      g_assert_cmpstr (((DlEdifactMessage *) g_ptr_array_index (ix->messages, 1))->reference, ==, "2");
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  corpus = g_strdup (g_getenv ("DL_CORPUS_DIR"));
  if (corpus && !g_file_test (corpus, G_FILE_TEST_IS_DIR))
    g_clear_pointer (&corpus, g_free);

  g_test_add_func ("/edifact/defaults", test_defaults);
  g_test_add_func ("/edifact/una-odd-separators", test_una_odd_separators);
  g_test_add_func ("/edifact/una-refused", test_una_refused);
  g_test_add_func ("/edifact/release", test_release);
  g_test_add_func ("/edifact/wrapped-lines", test_wrapped_lines);
  g_test_add_func ("/edifact/several-messages", test_several_messages);
  g_test_add_func ("/edifact/bad-counts", test_bad_counts);
  g_test_add_func ("/edifact/envelope-order", test_envelope_order);
  g_test_add_func ("/edifact/message-type", test_message_type);
  g_test_add_func ("/edifact/character-sets", test_character_sets);
  g_test_add_func ("/edifact/unterminated", test_unterminated);
  g_test_add_func ("/edifact/empty", test_empty);
  g_test_add_func ("/edifact/bad-tags", test_bad_tags);
  g_test_add_func ("/edifact/garbage", test_garbage);
  g_test_add_func ("/edifact/huge", test_huge);
  g_test_add_func ("/edifact/numbers", test_numbers);
  g_test_add_func ("/edifact/corpus-syntax", test_corpus_syntax);
  g_test_add_func ("/edifact/corpus-content", test_corpus_content);

  return g_test_run ();
}
