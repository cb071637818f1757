/* test-hs.c — the Harmonized System chapter table: names, expected
 * materials, heading overrides, and every chapter of the HS 2022 corpus.
 *
 * The corpus is $DL_CORPUS_DIR/manifest/hs (set by tests/meson.build);
 * without it that case is skipped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <string.h>

#include "dl-hs.h"

static void
test_lookup (void)
{
  g_autofree char *rubber = dl_hs_describe ("401110");
  g_autofree char *spaced = dl_hs_describe ("4011.10");
  g_autofree char *live = dl_hs_describe ("01");

  g_assert_cmpstr (rubber, ==, "40 Rubber and articles thereof");
  g_assert_cmpstr (spaced, ==, rubber);
  g_assert_cmpstr (live, ==, "01 Live animals");
  g_assert_cmpuint (dl_hs_chapter ("870323"), ==, 87);
  g_assert_cmpuint (dl_hs_chapter ("7"), ==, 0);
  g_assert_cmpuint (dl_hs_chapter ("A1"), ==, 0);
  g_assert_cmpuint (dl_hs_chapter (NULL), ==, 0);
  g_assert_null (dl_hs_chapter_name ("00"));
  g_assert_null (dl_hs_chapter_name ("x"));
  g_assert_null (dl_hs_describe ("12a4"));
}

static void
test_materials (void)
{
  static const struct { const char *code; DlHsMaterial material; } cases[] = {
    { "100630", DL_HS_MATERIAL_ORGANIC },    /* rice */
    { "4016", DL_HS_MATERIAL_ORGANIC },      /* other articles of rubber */
    { "401110", DL_HS_MATERIAL_MIXED },      /* tyres: steel belts */
    { "690721", DL_HS_MATERIAL_INORGANIC },  /* tiles */
    { "7005", DL_HS_MATERIAL_INORGANIC },    /* float glass */
    { "2501", DL_HS_MATERIAL_INORGANIC },
    { "730890", DL_HS_MATERIAL_METAL },
    { "7601", DL_HS_MATERIAL_INORGANIC },    /* aluminium shows with glass */
    { "780600", DL_HS_MATERIAL_METAL },
    { "847989", DL_HS_MATERIAL_METAL },
    { "870323", DL_HS_MATERIAL_METAL },
    { "220421", DL_HS_MATERIAL_MIXED },      /* wine in glass */
    { "220110", DL_HS_MATERIAL_ORGANIC },    /* water */
    { "2836", DL_HS_MATERIAL_INORGANIC },    /* a heading override in a mixed chapter */
    { "2803", DL_HS_MATERIAL_MIXED },
    { "940360", DL_HS_MATERIAL_ORGANIC },    /* a subheading override */
    { "940310", DL_HS_MATERIAL_METAL },
    { "9403", DL_HS_MATERIAL_MIXED },
    { "77", DL_HS_MATERIAL_MIXED },
    { "nonsense", DL_HS_MATERIAL_MIXED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].code);
      g_assert_cmpint (dl_hs_expected_material (cases[i].code), ==, cases[i].material);
    }
  g_assert_cmpstr (dl_hs_material_to_string (DL_HS_MATERIAL_METAL), ==, "metal");
  g_assert_nonnull (dl_hs_material_display_name (DL_HS_MATERIAL_ORGANIC));
}

/* Chapters 01–97 all have a name; 77, reserved, too. */
static void
test_every_chapter (void)
{
  for (guint c = 1; c <= 97; c++)
    {
      char code[3];
      g_autofree char *described = NULL;

      g_snprintf (code, sizeof code, "%02u", c);
      g_assert_nonnull (dl_hs_chapter_name (code));
      described = dl_hs_describe (code);
      g_assert_true (g_str_has_prefix (described, code));
    }
  g_assert_cmpint (dl_hs_expected_material ("7700"), ==, DL_HS_MATERIAL_MIXED);
}

/* Every chapter (level 2) of the HS 2022 table in the corpus is known. */
static void
test_corpus (void)
{
  const char *corpus = g_getenv ("DL_CORPUS_DIR");
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint chapters = 0;

  if (corpus == NULL)
    {
      g_test_skip ("DL_CORPUS_DIR is not set: no HS table to test against");
      return;
    }
  path = g_build_filename (corpus, "manifest", "hs", "datasets-harmonized-system__harmonized-system.csv", NULL);
  if (!g_file_get_contents (path, &text, NULL, NULL))
    {
      g_autofree char *why = g_strdup_printf ("%s is absent: no HS table to test against", path);
      g_test_skip (why);
      return;
    }
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i]; i++)
    {
      const char *line = g_strchomp (lines[i]);
      const char *code = strchr (line, ',');

      if (!g_str_has_suffix (line, ",2") || code == NULL || !g_ascii_isdigit (code[1]) || code[3] != ',')
        continue;
      {
        char chapter[3] = { code[1], code[2], '\0' };
        g_autofree char *described = dl_hs_describe (chapter);

        g_test_message ("%s", described);
        g_assert_nonnull (described);
        (void) dl_hs_expected_material (chapter);
        chapters++;
      }
    }
  g_assert_cmpuint (chapters, >=, 96);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hs/lookup", test_lookup);
  g_test_add_func ("/hs/materials", test_materials);
  g_test_add_func ("/hs/every-chapter", test_every_chapter);
  g_test_add_func ("/hs/corpus", test_corpus);

  return g_test_run ();
}
