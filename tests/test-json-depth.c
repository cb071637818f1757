/* test-json-depth.c — what is refused before json-glib parses it: JSON
 * nested too deep, and text after the root value (which json-glib 1.6.6
 * leaks the arrays of), and that nothing valid is refused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-json-depth"

#include "config.h"

#include <json-glib/json-glib.h>

#include "dl-json-depth.h"

/* Valid documents, each of which json-glib reads: none is refused. */
static void
test_valid (void)
{
  static const char *valid[] = {
    "{}", "[]", "  {\"a\": [1, 2, {\"b\": \"]}\"}]}\n", "true", "12.5", "\"text\"", " \"a\\\"]\" ",
    "{\"a\": 1} /* a comment */", "/* first */ [1]", "null\n\n",
    "{\"s\": \"[[[{{{\"}", "'single'", "[\"\\\\\"]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      g_test_message ("%s", valid[i]);
      g_assert_true (json_parser_load_from_data (parser, valid[i], -1, NULL));
      g_assert_false (dl_json_trailing (valid[i], -1));
      g_assert_false (dl_json_refused (valid[i], -1));
    }
}

/* Text after the root, or a bracket that never opened: refused.  These
 * are not JSON (RFC 8259 has one value a text); json-glib refuses most,
 * leaking what follows the root, and takes two objects in a row as one
 * of them without a word, which is worse. */
static void
test_trailing (void)
{
  static const char *trailing[] = {
    "true[[]", "{} {", "{}[[[[]]]", "[1] 2", "12 [", "\"a\" \"b\"", "\"a\"[", "null x", "{}}", "]",
    "{\"a\": 1}\n{\"a\": 2}", "1 /* c */ 2", "[] // c\n[", "{} // c",
  };

  for (guint i = 0; i < G_N_ELEMENTS (trailing); i++)
    {
      g_test_message ("%s", trailing[i]);
      g_assert_true (dl_json_trailing (trailing[i], -1));
      g_assert_true (dl_json_refused (trailing[i], -1));
    }
}

/* The length is honoured: what lies beyond it is not looked at. */
static void
test_length (void)
{
  const char *text = "[1] [2]";

  g_assert_false (dl_json_trailing (text, 3));
  g_assert_true (dl_json_trailing (text, -1));
}

static void
test_depth (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);

  for (guint i = 0; i < DL_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < DL_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep, ']');
  g_assert_false (dl_json_refused (deep->str, -1));
  g_string_prepend_c (deep, '[');
  g_string_append_c (deep, ']');
  g_assert_true (dl_json_too_deep (deep->str, -1));
  g_assert_true (dl_json_refused (deep->str, -1));
  g_assert_false (dl_json_trailing (deep->str, -1));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json-depth/valid", test_valid);
  g_test_add_func ("/json-depth/trailing", test_trailing);
  g_test_add_func ("/json-depth/length", test_length);
  g_test_add_func ("/json-depth/depth", test_depth);
  return g_test_run ();
}
