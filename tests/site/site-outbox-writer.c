/* site-outbox-writer.c — a workstation for test-site-crash: records a
 * verdict through the outbox (dl-site-outbox.h) for each case id read from
 * stdin, as the window does, and prints "CASE_ID sent|kept|refused" once
 * the outbox has answered: a line printed is a verdict acknowledged to
 * the analyst.  It first sends what an earlier writer left kept, and at
 * the end keeps trying until nothing waits.
 *
 * Usage: site-outbox-writer CONNINFO LOGIN KEYS_DIR OUTBOX_DIR
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "dl-site-outbox.h"

static const char *names[] = { "sent", "kept", "refused" };

static DlSite *
open_site (const char *conninfo,
           const char *login,
           const char *keys)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlIdentity) identity = dl_identity_load_from_dir (keys, login, login, &error);
  DlSite *site;

  /* the server may be away when the writer starts: it waits for it */
  for (guint i = 0; (site = dl_site_open (conninfo, NULL)) == NULL && i < 600; i++)
    g_usleep (50 * 1000);
  if (site == NULL || identity == NULL)
    {
      fprintf (stderr, "site-outbox-writer: cannot connect or no identity\n");
      exit (1);
    }
  dl_site_set_identity (site, identity);
  return site;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSite) site = NULL;
  g_autoptr(DlSiteOutbox) outbox = NULL;
  char line[128];

  if (argc != 5)
    return 2;
  site = open_site (argv[1], argv[2], argv[3]);
  if ((outbox = dl_site_outbox_new (argv[4], &error)) == NULL)
    return fprintf (stderr, "site-outbox-writer: %s\n", error->message), 1;
  dl_site_outbox_flush (outbox, site, NULL);
  while (fgets (line, sizeof line, stdin))
    {
      DlSiteDelivery d;

      g_strchomp (line);
      d = dl_site_outbox_verdict (outbox, site, &(DlSiteVerdict) { NULL, line, "clear" }, &error);
      printf ("%s %s\n", line, names[d]);
      fflush (stdout);
      g_clear_error (&error);
      if (d == DL_SITE_KEPT)
        dl_site_outbox_flush (outbox, site, NULL);
    }
  for (guint i = 0; dl_site_outbox_flush (outbox, site, NULL) > 0; i++)
    {
      if (i > 1200)
        return fprintf (stderr, "site-outbox-writer: the server did not come back\n"), 1;
      g_usleep (50 * 1000);
    }
  return 0;
}
