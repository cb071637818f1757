/* dl-cli-synth.c — `doorlicht-cli synth`: synthetic scans with ground truth.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-cli-synth"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "dl-cli.h"
#include "dl-synth.h"

/* The demo case: clean scans and concealments, small enough to make at
 * first run. */
static const char *demo_scenes[] = {
  "mixed", "tyres-concealment", "empty-20ft", "false-wall", "truck", "shielded-block", NULL,
};

static gboolean
make_one (const char           *scene,
          guint64               seed,
          const DlSynthOptions *options,
          const char           *dir,
          JsonBuilder          *index,
          GError              **error)
{
  g_autoptr(DlSynthOutput) out = dl_synth_generate_with_options (scene, seed, options, error);
  g_autofree char *base = NULL;

  if (out == NULL || !dl_synth_write (out, dir, error))
    return FALSE;

  base = dl_synth_basename (out);
  if (index)
    {
      g_autofree char *scan = g_strconcat (base, ".tif", NULL);
      g_autofree char *manifest = g_strconcat (base, ".manifest.json", NULL);
      g_autofree char *cuscar = g_strconcat (base, ".cuscar.edi", NULL);
      g_autofree char *labels = g_strconcat (base, ".labels.tif", NULL);
      g_autofree char *truth = g_strconcat (base, ".truth.json", NULL);

      json_builder_begin_object (index);
      json_builder_set_member_name (index, "scene");
      json_builder_add_string_value (index, scene);
      json_builder_set_member_name (index, "seed");
      json_builder_add_int_value (index, (gint64) seed);
      json_builder_set_member_name (index, "scan");
      json_builder_add_string_value (index, scan);
      json_builder_set_member_name (index, "manifest");
      json_builder_add_string_value (index, manifest);
      json_builder_set_member_name (index, "cuscar");
      json_builder_add_string_value (index, cuscar);
      json_builder_set_member_name (index, "labels");
      json_builder_add_string_value (index, labels);
      json_builder_set_member_name (index, "truth");
      json_builder_add_string_value (index, truth);
      json_builder_end_object (index);
    }
  g_print ("%s/%s.tif\n", dir, base);
  return TRUE;
}

static gboolean
write_index (JsonBuilder  *b,
             const char   *dir,
             GError      **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = g_build_filename (dir, "index.json", NULL);

  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, TRUE);
  return g_file_set_contents (path, text, -1, error);
}

/* "A-B" (or "A"): the seeds A … B. */
static gboolean
parse_seeds (const char  *text,
             guint64     *first,
             guint64     *last,
             GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, "-", 2);

  if (!g_ascii_string_to_unsigned (parts[0], 10, 0, G_MAXINT64, first, NULL)
      || !g_ascii_string_to_unsigned (parts[1] ? parts[1] : parts[0], 10, 0, G_MAXINT64, last, NULL)
      || *last < *first || *last - *first >= 100000)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a range of seeds (such as 2000-2019)"), text);
      return FALSE;
    }
  return TRUE;
}

/* Every scene at every seed of @range into @dir: a labelled set. */
static gboolean
make_set (const char           *range,
          const DlSynthOptions *options,
          const char           *dir,
          JsonBuilder          *index,
          GError              **error)
{
  guint64 first, last;

  if (!parse_seeds (range, &first, &last, error))
    return FALSE;
  for (guint64 seed = first; seed <= last; seed++)
    for (const DlSynthScene *s = dl_synth_get_scenes (); s->name; s++)
      if (!make_one (s->name, seed, options, dir, index, error))
        return FALSE;
  return TRUE;
}

static void
list_scenes (void)
{
  for (const DlSynthScene *s = dl_synth_get_scenes (); s->name; s++)
    printf ("%s\t%s\n", s->name, _(s->description));
  for (const DlSynthScene *s = dl_synth_get_test_scenes (); s->name; s++)
    printf ("%s\t%s\n", s->name, _(s->description));
}

int
dl_cli_synth (int    argc,
              char **argv)
{
  g_autofree char *scene = NULL;
  g_autofree char *output = NULL;
  g_autofree char *set = NULL;
  g_autofree char *seeds = NULL;
  g_autofree char *profile = NULL;
  DlSynthImaging imaging;
  gint64 seed = 1;
  int batch = 0;
  gboolean list = FALSE, demo = FALSE, top_view = FALSE, varied = FALSE;
  DlSynthOptions options = { FALSE, FALSE, NULL };
  GOptionEntry entries[] = {
    { "list", 'l', 0, G_OPTION_ARG_NONE, &list, N_("List the scenes, one a line, name first"), NULL },
    { "scene", 's', 0, G_OPTION_ARG_STRING, &scene, N_("Scene to generate"), N_("NAME") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Seed (default 1): the same seed gives the same bytes"), N_("N") },
    { "top-view", 't', 0, G_OPTION_ARG_NONE, &top_view, N_("Add a second view from the top"), NULL },
    { "batch", 'b', 0, G_OPTION_ARG_INT, &batch, N_("Make N scans, cycling through the scenes, seeds SEED, SEED+1, …"), N_("N") },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo, N_("Make the demo case, with an index.json"), NULL },
    { "varied", 0, 0, G_OPTION_ARG_NONE, &varied,
      N_("Vary the cargo, the detector and the concealments (harder to overfit; see dl-synth.h)"), NULL },
    { "set", 0, 0, G_OPTION_ARG_FILENAME, &set,
      N_("Make a labelled set in DIR: every scene at every seed of --seeds, with an index.json"), N_("DIR") },
    { "seeds", 0, 0, G_OPTION_ARG_STRING, &seeds, N_("The seeds of --set, A-B (default 2000-2019)"), N_("A-B") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Folder to write into"), N_("DIR") },
    { "profile", 'p', 0, G_OPTION_ARG_FILENAME, &profile,
      N_("Image as this scanner profile does (a profile file, or the id of a known one; see docs/scanner-profiles.md)"),
      N_("PROFILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— generate synthetic cargo scans with ground truth"));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) index = NULL;
  guint n_scenes = 0;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
                                    _("The tests use seeds below 1000 and the demo 1000–1005: evaluate a "
                                      "detector on a set of other seeds (doorlicht-cli synth --set DIR "
                                      "--seeds 2000-2019 --varied, then doorlicht-cli evaluate DIR)."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      dl_cli_fail ("synth", error);
      return DL_CLI_EXIT_USAGE;
    }
  if (set)
    {
      if (output == NULL)
        output = g_strdup (set);
      else if (g_strcmp0 (output, set) != 0)
        output = NULL;   /* two folders: the usage message below */
    }
  options.top_view = top_view;
  options.varied = varied;
  if (profile)
    {
      if (!dl_cli_synth_imaging (profile, &imaging, &error))
        {
          dl_cli_fail (profile, error);
          return DL_CLI_EXIT_FAILURE;
        }
      options.imaging = &imaging;
    }
  if (list)
    {
      list_scenes ();
      return 0;
    }
  if (output == NULL || (scene != NULL) + (batch != 0) + (demo != FALSE) + (set != NULL) != 1 || batch < 0
      || seed < 0 || (seeds != NULL && set == NULL))
    {
      g_printerr ("%s\n", _("doorlicht-cli synth: give one of --scene NAME, --batch N, --set DIR or --demo, "
                            "and -o DIR (--seeds goes with --set)"));
      return DL_CLI_EXIT_USAGE;
    }

  while (dl_synth_get_scenes ()[n_scenes].name)
    n_scenes++;

  index = json_builder_new ();
  json_builder_begin_object (index);
  json_builder_set_member_name (index, "format");
  json_builder_add_string_value (index, "doorlicht-case-index/1");
  json_builder_set_member_name (index, "scans");
  json_builder_begin_array (index);

  if (demo)
    {
      DlSynthOptions plain = { FALSE, FALSE, options.imaging };

      for (guint i = 0; demo_scenes[i]; i++)
        if (!make_one (demo_scenes[i], 1000 + i, &plain, output, index, &error))
          return dl_cli_fail ("synth", error);
    }
  else if (batch > 0)
    {
      for (int i = 0; i < batch; i++)
        if (!make_one (dl_synth_get_scenes ()[i % n_scenes].name, seed + i, &options, output, index, &error))
          return dl_cli_fail ("synth", error);
    }
  else if (set)
    {
      if (!make_set (seeds ? seeds : "2000-2019", &options, output, index, &error))
        {
          gboolean usage = g_error_matches (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
          dl_cli_fail ("synth", error);
          return usage ? DL_CLI_EXIT_USAGE : DL_CLI_EXIT_FAILURE;
        }
    }
  else if (!make_one (scene, seed, &options, output, NULL, &error))
    {
      gboolean usage = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      dl_cli_fail ("synth", error);
      return usage ? DL_CLI_EXIT_USAGE : DL_CLI_EXIT_FAILURE;
    }

  if ((demo || batch > 0 || set) && !write_index (index, output, &error))
    return dl_cli_fail ("synth", error);
  return 0;
}
