/* dl-crash.c — what build-aux/crash-campaign needs that the command-line
 * tool cannot do: a seed case file whose verdicts were written by another
 * person, so that `doorlicht-cli case review` (four eyes) can review them.
 *
 *   dl-crash seed FILE IDENTITY-DIR N   N cases, each with one verdict by
 *                                       "analyst" (key kept in IDENTITY-DIR);
 *                                       prints the case ids, one a line
 *
 * Not installed; built beside dl-bench.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-crash"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dl-case-file.h"

static int
seed (const char *path,
      const char *identity_dir,
      guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlIdentity) analyst = dl_identity_load_from_dir (identity_dir, "analyst", "Ana Lyst", &error);
  g_autoptr(DlCaseFile) file = analyst ? dl_case_file_create (path, analyst, &error) : NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  if (file == NULL || !dl_case_file_begin (file, &error))
    goto fail;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = g_strdup_printf ("SEED%07u", i);
      g_autofree char *verdict = NULL;
      char *id = dl_case_file_new_case (file, title, &error);

      if (id == NULL)
        goto fail;
      g_ptr_array_add (ids, id);
      verdict = dl_case_file_add_verdict (file, id, DL_DECISION_INSPECT, NULL, "seeded", &error);
      if (verdict == NULL)
        goto fail;
    }
  if (!dl_case_file_commit (file, &error) || !dl_case_file_close (file, &error))
    goto fail;
  for (guint i = 0; i < ids->len; i++)
    printf ("%s\n", (const char *) g_ptr_array_index (ids, i));
  return 0;

fail:
  fprintf (stderr, "dl-crash seed: %s\n", error ? error->message : "failed");
  return 1;
}

int
main (int    argc,
      char **argv)
{
  if (argc == 5 && strcmp (argv[1], "seed") == 0)
    return seed (argv[2], argv[3], (guint) g_ascii_strtoull (argv[4], NULL, 10));
  fprintf (stderr, "Usage: dl-crash seed FILE IDENTITY-DIR N\n");
  return 2;
}
