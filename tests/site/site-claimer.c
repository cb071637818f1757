/* site-claimer.c — a claimer for test-site-race: claims cases of the
 * site store at argv[1] until none is waiting, one id a line on stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "dl-site.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSite) site = NULL;

  if (argc != 2)
    return 2;
  if ((site = dl_site_open (argv[1], &error)) == NULL)
    {
      fprintf (stderr, "site-claimer: %s\n", error->message);
      return 1;
    }
  for (;;)
    {
      g_autofree char *case_id = NULL;

      if (!dl_site_claim (site, NULL, 3600, &case_id, &error))
        {
          fprintf (stderr, "site-claimer: %s\n", error->message);
          return 1;
        }
      if (case_id == NULL)
        return 0;
      printf ("%s\n", case_id);
    }
}
