/* test-text.c — text from files made safe for a terminal and the GUI.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dl-text.h"

static void
assert_escaped (const char *in,
                const char *expected)
{
  g_autofree char *out = dl_text_escape_terminal (in, DL_TEXT_ESCAPE_DEFAULT);

  g_assert_cmpstr (out, ==, expected);
  g_assert_true (g_utf8_validate (out, -1, NULL));
  g_assert_cmpint (dl_text_needs_escape (in, DL_TEXT_ESCAPE_DEFAULT), ==, strcmp (in, expected) != 0);
}

static void
test_terminal_controls (void)
{
  /* set the terminal's title, clear the screen, ring the bell */
  assert_escaped ("\x1b]0;pwned\x07\x1b[2JTyres", "\\x1b]0;pwned\\x07\\x1b[2JTyres");
  assert_escaped ("a\rb\bc\td\ne", "a\\rb\\x08c\\td\\ne");
  assert_escaped ("del\x7f", "del\\x7f");
  /* C1 controls, as UTF-8: CSI (U+009B) starts a sequence on many terminals */
  assert_escaped ("\xc2\x9b" "2J", "\\u009b2J");
  assert_escaped ("back\\slash", "back\\\\slash");
}

static void
test_terminal_text_kept (void)
{
  /* letters of every script stay as they are */
  assert_escaped ("Banden — Reifen, шины, إطارات, 轮胎 ✓", "Banden — Reifen, шины, إطارات, 轮胎 ✓");
  assert_escaped ("", "");
}

static void
test_terminal_bidi (void)
{
  assert_escaped ("invoice \xe2\x80\xae" "fdp.exe", "invoice \\u202efdp.exe");
  assert_escaped ("\xe2\x81\xa6x\xe2\x81\xa9\xe2\x80\x8f", "\\u2066x\\u2069\\u200f");
  assert_escaped ("line\xe2\x80\xa8sep", "line\\u2028sep");
}

static void
test_terminal_invalid_utf8 (void)
{
  assert_escaped ("clear\xff", "clear\\xff");
  assert_escaped ("\xc3(", "\\xc3(");
  assert_escaped ("\xed\xa0\x80", "\\xed\\xa0\\x80");   /* a surrogate, encoded */
}

static void
test_terminal_newlines (void)
{
  g_autofree char *kept = dl_text_escape_terminal ("one\ntwo\x1b", DL_TEXT_KEEP_NEWLINES);

  g_assert_cmpstr (kept, ==, "one\ntwo\\x1b");
  g_assert_false (dl_text_needs_escape ("one\ntwo", DL_TEXT_KEEP_NEWLINES));
  g_assert_true (dl_text_needs_escape ("one\ntwo", DL_TEXT_ESCAPE_DEFAULT));
}

/* what doorlicht-cli prints goes through this: TSV and JSON stay intact */
static void
test_terminal_output_layer (void)
{
  DlTextEscapeFlags flags = DL_TEXT_KEEP_NEWLINES | DL_TEXT_KEEP_TABS | DL_TEXT_KEEP_BACKSLASHES;
  g_autofree char *tsv = dl_text_escape_terminal ("id\tTyres \\x1b\n", flags);
  g_autofree char *json = dl_text_escape_terminal ("{\"title\": \"a\\\"b\\u001b \xe2\x80\xae\xc2\x9b\"}", flags);

  g_assert_cmpstr (tsv, ==, "id\tTyres \\x1b\n");
  /* JSON's own escapes are kept, and what JSON leaves raw becomes a JSON escape */
  g_assert_cmpstr (json, ==, "{\"title\": \"a\\\"b\\u001b \\u202e\\u009b\"}");
  g_assert_false (dl_text_needs_escape ("a\tb\\c\n", flags));
}

static void
test_isolate (void)
{
  g_autofree char *plain = dl_text_isolate ("Tyres");
  g_autofree char *rlo = dl_text_isolate ("\xe2\x80\xae" "raelc");
  g_autofree char *bad = dl_text_isolate ("a\xff");

  g_assert_cmpstr (plain, ==, "\xe2\x81\xa8Tyres\xe2\x81\xa9");
  /* the override is kept (it is the title) but closed by the isolate */
  g_assert_true (g_str_has_prefix (rlo, "\xe2\x81\xa8\xe2\x80\xae"));
  g_assert_true (g_str_has_suffix (rlo, "raelc\xe2\x81\xa9"));
  g_assert_true (g_utf8_validate (bad, -1, NULL));
  g_assert_cmpstr (bad, ==, "\xe2\x81\xa8" "a\xef\xbf\xbd\xe2\x81\xa9");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/text/terminal/controls", test_terminal_controls);
  g_test_add_func ("/text/terminal/text-kept", test_terminal_text_kept);
  g_test_add_func ("/text/terminal/bidi", test_terminal_bidi);
  g_test_add_func ("/text/terminal/invalid-utf8", test_terminal_invalid_utf8);
  g_test_add_func ("/text/terminal/newlines", test_terminal_newlines);
  g_test_add_func ("/text/terminal/output-layer", test_terminal_output_layer);
  g_test_add_func ("/text/isolate", test_isolate);
  return g_test_run ();
}
