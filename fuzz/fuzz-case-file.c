/* fuzz-case-file.c — libFuzzer harness for opening case files from
 * elsewhere: the input is written to a file, then opened with
 * dl_case_file_open_untrusted () (and its cases and audit trail listed),
 * checked with dl_case_file_verify_path () and merged with
 * dl_case_file_import () into a scratch case file.
 *
 * Everything lives in one temporary folder, made on first use: XDG_DATA_HOME
 * points into it, the identity is a fixed one in
 * XDG_DATA_HOME/doorlicht/identity, and the scratch case file is made again
 * whenever an import changed it, so every input meets the same file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <stdlib.h>

#include "fuzz-common.h"
#include "dl-case-file.h"

static char *fuzz_dir;
static char *input_path;
static char *scratch_path;
static DlIdentity *identity;
static DlCaseFile *scratch;

static void
remove_with_side_files (const char *path)
{
  static const char * const suffixes[] = { "", "-journal", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *side = g_strconcat (path, suffixes[i], NULL);

      g_unlink (side);
    }
}

static void
make_scratch (void)
{
  g_autoptr(GError) error = NULL;

  if (scratch != NULL)
    {
      dl_case_file_close (scratch, NULL);
      g_clear_object (&scratch);
    }
  remove_with_side_files (scratch_path);
  scratch = dl_case_file_create (scratch_path, identity, &error);
  if (scratch == NULL)
    g_error ("fuzz-case-file: cannot make the scratch case file: %s", error->message);
}

static void
setup (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;
  g_autofree char *identity_dir = NULL;

  fuzz_dir = g_dir_make_tmp ("dl-fuzz-case-XXXXXX", &error);
  if (fuzz_dir == NULL)
    g_error ("fuzz-case-file: %s", error->message);
  data_home = g_build_filename (fuzz_dir, "data", NULL);
  identity_dir = g_build_filename (data_home, "doorlicht", "identity", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  identity = dl_identity_load_from_dir (identity_dir, "fuzz", "Fuzz", &error);
  if (identity == NULL)
    g_error ("fuzz-case-file: cannot make the identity: %s", error->message);

  input_path = g_build_filename (fuzz_dir, "input.dlcase", NULL);
  scratch_path = g_build_filename (fuzz_dir, "scratch.dlcase", NULL);
  make_scratch ();
  atexit (dl_fuzz_case_file_cleanup);
}

/* Removes @path and, when it is a folder, everything in it. */
static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_remove (path);
}

void
dl_fuzz_case_file_cleanup (void)
{
  if (fuzz_dir == NULL)
    return;
  if (scratch != NULL)
    dl_case_file_close (scratch, NULL);
  g_clear_object (&scratch);
  g_clear_object (&identity);
  remove_tree (fuzz_dir);
  g_clear_pointer (&fuzz_dir, g_free);
  g_clear_pointer (&input_path, g_free);
  g_clear_pointer (&scratch_path, g_free);
}

/* What a reader of a file from elsewhere does first: the case list and the
 * audit trail. */
static void
read_untrusted (void)
{
  g_autoptr(DlCaseFile) file = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GPtrArray) events = NULL;
  const DlCaseQuery query = { .filter = DL_CASE_FILTER_ALL };
  GError *error = NULL;

  file = dl_case_file_open_untrusted (input_path, &error);
  dl_fuzz_check ("dl_case_file_open_untrusted", file != NULL, &error);
  if (file == NULL)
    return;
  cases = dl_case_file_list_cases (file, &query, &error);
  dl_fuzz_check ("dl_case_file_list_cases", cases != NULL, &error);
  events = dl_case_file_get_events (file, NULL, &error);
  dl_fuzz_check ("dl_case_file_get_events", events != NULL, &error);
}

void
dl_fuzz_case_file (const guint8 *data,
                   gsize         size)
{
  g_autoptr(DlVerifyReport) report = NULL;
  g_autoptr(GError) write_error = NULL;
  GError *error = NULL;
  guint n_added = 0;
  gboolean imported;

  if (fuzz_dir == NULL)
    setup ();

  remove_with_side_files (input_path);
  if (!g_file_set_contents (input_path, (const char *) data, size, &write_error))
    g_error ("fuzz-case-file: %s", write_error->message);

  read_untrusted ();

  report = dl_case_file_verify_path (input_path, &error);
  dl_fuzz_check ("dl_case_file_verify_path", report != NULL, &error);

  imported = dl_case_file_import (scratch, input_path, &n_added, &error);
  dl_fuzz_check ("dl_case_file_import", imported, &error);
  if (imported && n_added > 0)
    make_scratch ();
}

DL_FUZZ_DEFINE_MAIN (dl_fuzz_case_file)
