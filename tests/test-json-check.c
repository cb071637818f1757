/* test-json-check.c — what json-glib is handed (dl-json-check.h): every
 * JSON value RFC 8259 allows and json-glib writes, nothing else; and on
 * whatever is accepted, json-glib parses without an error (its error
 * paths are where 1.6.6 leaks and mis-reads).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-json-check"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "dl-json-check.h"

static void
assert_parses (const char *text,
               gssize      len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, len, &error);
  g_assert_no_error (error);
}

/* Valid documents: accepted, and json-glib reads each. */
static void
test_valid (void)
{
  static const char *valid[] = {
    "{}", "[]", "  {\"a\": [1, 2, {\"b\": \"]}\"}]}\n", "true", "false", "null\n\n", "12.5", "-0", "0.5e-3",
    "1E+9", "-12", "\"text\"", " \"a\\\"]\" ", "{\"s\": \"[[[{{{\"}", "[\"\\\\\"]", "\"a/b // c /* d */\"",
    "\"\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00\"", "\"raw\ttab and \x1f\"", "\"één ✓ 😀\"", "\xef\xbb\xbf{\"bom\": 1}", "[ 1 ,\t2 ,\r\n3 ]",
    "{\"a\":{\"b\":{\"c\":[[],{}]}}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_test_message ("%s", valid[i]);
      g_assert_cmpint (dl_json_check (valid[i], -1, NULL), ==, DL_JSON_VALID);
      g_assert_null (dl_json_refusal (valid[i], -1));
      assert_parses (valid[i], -1);
    }
}

/* Not RFC 8259, though json-glib's scanner may read it: refused, each at
 * the byte given. */
static void
test_refused (void)
{
  static const struct { const char *text; gsize at; } refused[] = {
    { "true[[]", 4 }, { "{} {", 3 }, { "{}[[[[]]]", 2 }, { "[1] 2", 4 }, { "\"a\" \"b\"", 4 }, { "null x", 5 },
    { "{}}", 2 }, { "]", 0 }, { "{\"a\": 1}\n{\"a\": 2}", 9 }, { "", 0 }, { "   ", 3 },
    /* json-glib's comments run from one "/" to the next */
    { "{\"a\": 1} /* c */", 9 }, { "[1 // \"\n] [2]", 3 }, { "{\"a\": 1 / \" / }", 8 },
    { "'single'", 0 }, { "var a = {}", 0 }, { "{a: 1}", 1 }, { "[True]", 1 }, { "[nul]", 1 },
    { "[01]", 2 }, { "[1.]", 3 }, { "[.5]", 1 }, { "[1e]", 3 }, { "[0x10]", 2 }, { "[+1]", 1 }, { "[-]", 2 },
    { "[1,]", 3 }, { "{\"a\":1,}", 7 }, { "[,1]", 1 }, { "{\"a\" 1}", 5 }, { "{\"a\":}", 5 }, { "[1 2]", 3 },
    { "\"\\q\"", 2 }, { "\"\\101\"", 2 }, { "\"\\u12\"", 3 }, { "\"\\u12g4\"", 5 },
    /* surrogates alone, which json-glib leaks or reads past the quote */
    { "\"\\ud800\"", 7 }, { "\"\\ud800\\u0041\"", 13 }, { "\"\\udc00\"", 7 }, { "\"\\ud800x\"", 7 },
    { "\"open", 5 }, { "[1", 2 }, { "{\"a\":1", 6 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *why = dl_json_refusal (refused[i].text, -1);
      g_autofree char *where = g_strdup_printf (" %" G_GSIZE_FORMAT, refused[i].at);
      gsize at = G_MAXSIZE;

      g_test_message ("%s", refused[i].text);
      g_assert_cmpint (dl_json_check (refused[i].text, -1, &at), ==, DL_JSON_NOT_JSON);
      g_assert_cmpuint (at, ==, refused[i].at);
      g_assert_nonnull (why);
      g_assert_true (g_str_has_suffix (why, where));
    }
}

/* Bytes that are not UTF-8, and a NUL within the length: refused. */
static void
test_not_utf8 (void)
{
  gsize at = 0;

  g_assert_cmpint (dl_json_check ("[\"\xff\"]", -1, &at), ==, DL_JSON_NOT_UTF8);
  g_assert_cmpuint (at, ==, 2);
  g_assert_cmpint (dl_json_check ("[1]\0[2]", 7, &at), ==, DL_JSON_NOT_UTF8);
  g_assert_cmpuint (at, ==, 3);
  g_assert_cmpint (dl_json_check ("\"\xed\xa0\x80\"", -1, NULL), ==, DL_JSON_NOT_UTF8);
}

/* The length is honoured: what lies beyond it is not looked at. */
static void
test_length (void)
{
  const char *text = "[1] [2]";

  g_assert_cmpint (dl_json_check (text, 3, NULL), ==, DL_JSON_VALID);
  g_assert_true (dl_json_refused (text, -1));
}

static void
test_depth (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autofree char *why = NULL;

  for (guint i = 0; i < DL_JSON_MAX_DEPTH; i++)
    g_string_append (deep, i % 2 ? "[" : "{\"k\":");
  g_string_append (deep, "1");
  for (guint i = DL_JSON_MAX_DEPTH; i-- > 0;)
    g_string_append (deep, i % 2 ? "]" : "}");
  g_assert_cmpint (dl_json_check (deep->str, -1, NULL), ==, DL_JSON_VALID);
  g_string_prepend_c (deep, '[');
  g_string_append_c (deep, ']');
  g_assert_cmpint (dl_json_check (deep->str, -1, NULL), ==, DL_JSON_TOO_DEEP);
  why = dl_json_refusal (deep->str, -1);
  g_assert_nonnull (strstr (why, "64"));
}

/* What json-glib writes is accepted, pretty or not. */
static void
test_generated (void)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "text \"quoted\" \\ / \n\t\x01 é 😀");
  json_builder_add_string_value (b, "\x7f\x1f\r\b\f");
  json_builder_set_member_name (b, "numbers");
  json_builder_begin_array (b);
  json_builder_add_double_value (b, -1.25e-300);
  json_builder_add_double_value (b, 1e300);
  json_builder_add_int_value (b, G_MININT64);
  json_builder_add_null_value (b);
  json_builder_add_boolean_value (b, TRUE);
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  for (guint pretty = 0; pretty < 2; pretty++)
    {
      g_autoptr(JsonGenerator) g = json_generator_new ();
      g_autofree char *text = NULL;

      json_generator_set_pretty (g, pretty);
      json_generator_set_root (g, root);
      text = json_generator_to_data (g, NULL);
      g_test_message ("%s", text);
      g_assert_cmpint (dl_json_check (text, -1, NULL), ==, DL_JSON_VALID);
      assert_parses (text, -1);
    }
}

/* Documents changed byte by byte at random: whatever is accepted,
 * json-glib parses without an error. */
static void
test_mutated (void)
{
  static const char *seeds[] = {
    "{\"a\": [1, -2.5e3, \"x\\u00e9\\ud83d\\ude00\"], \"b\": {\"c\": null, \"d\": true}}",
    "[[], {}, \"/ * //\", 0, false]",
  };
  static const char alphabet[] = "{}[]\",:\\/*' \n0123456789.-+eEtrufalsnxu";
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261204);
  guint accepted = 0;

  for (guint i = 0; i < 40000; i++)
    {
      g_autoptr(GString) text = g_string_new (seeds[i % G_N_ELEMENTS (seeds)]);

      for (guint k = g_rand_int_range (rand, 1, 4); k > 0; k--)
        {
          guint at = g_rand_int_range (rand, 0, (gint32) text->len);
          char c = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];

          switch (g_rand_int_range (rand, 0, 3))
            {
            case 0: text->str[at] = c; break;
            case 1: g_string_insert_c (text, at, c); break;
            default: g_string_erase (text, at, 1); break;
            }
        }
      if (dl_json_check (text->str, (gssize) text->len, NULL) != DL_JSON_VALID)
        continue;
      accepted++;
      assert_parses (text->str, (gssize) text->len);
    }
  g_test_message ("%u of 40000 changed documents accepted", accepted);
  g_assert_cmpuint (accepted, >, 1000);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json-check/valid", test_valid);
  g_test_add_func ("/json-check/refused", test_refused);
  g_test_add_func ("/json-check/not-utf8", test_not_utf8);
  g_test_add_func ("/json-check/length", test_length);
  g_test_add_func ("/json-check/depth", test_depth);
  g_test_add_func ("/json-check/generated", test_generated);
  g_test_add_func ("/json-check/mutated", test_mutated);
  return g_test_run ();
}
