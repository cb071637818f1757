/* test-fuzz-regressions.c — every input in tests/fuzz-regressions/TARGET/
 * run through the same entry point as the libFuzzer harness fuzz/fuzz-TARGET.c
 * (compiled in here without libFuzzer), so a crash, hang or broken error
 * that fuzzing once found stays fixed without clang.
 *
 * The folders hold the reproducers build-aux/fuzz saved (renamed after what
 * they show) and inputs made by hand: truncated EDIFACT, NUL bytes, JSON
 * nested 120 000 deep, a case file with a trigger, changes to a case file
 * that verify must find.  Each must give a result or a clean GError
 * (fuzz/fuzz-common.h aborts otherwise).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>

#include "fuzz-common.h"

typedef void (*FuzzFunc) (const guint8 *data,
                          gsize         size);

static const struct
{
  const char *name;
  FuzzFunc    func;
} targets[] = {
  { "tiff", dl_fuzz_tiff },
  { "edifact", dl_fuzz_edifact },
  { "baplie", dl_fuzz_baplie },
  { "manifest", dl_fuzz_manifest },
  { "case-file", dl_fuzz_case_file },
  { "case-verify", dl_fuzz_case_verify },
  { "test-object", dl_fuzz_test_object },
  { "dicom", dl_fuzz_dicom },
  { "dicom-wire", dl_fuzz_dicom_wire },
};

typedef struct
{
  FuzzFunc  func;
  char     *path;
} Case;

static void
case_free (gpointer data)
{
  Case *c = data;

  g_free (c->path);
  g_free (c);
}

static void
test_input (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize size = 0;

  g_assert_true (g_file_get_contents (c->path, &contents, &size, &error));
  g_assert_no_error (error);
  c->func ((const guint8 *) contents, size);
}

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Adds one test per file of @dir, in name order; returns how many. */
static guint
add_folder (const char *target,
            FuzzFunc    func,
            const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *test_path = g_strdup_printf ("/fuzz-regressions/%s/%s", target,
                                                    (const char *) names->pdata[i]);
      Case *c = g_new0 (Case, 1);

      c->func = func;
      c->path = g_build_filename (dir, names->pdata[i], NULL);
      g_test_add_data_func_full (test_path, c, test_input, case_free);
    }
  return names->len;
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  /* as under libFuzzer: warnings from hostile input are expected and
   * quiet, criticals abort */
  dl_fuzz_setup_logging ();

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "fuzz-regressions",
                                                     targets[i].name, NULL);

      if (add_folder (targets[i].name, targets[i].func, dir) == 0)
        g_error ("no inputs in %s", dir);
    }

  status = g_test_run ();
  dl_fuzz_case_file_cleanup ();
  dl_fuzz_case_verify_cleanup ();
  return status;
}
