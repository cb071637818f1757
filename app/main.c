/* main.c — doorlicht, the GTK application.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "doorlicht"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "dl-application.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(DlApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* DOORLICHT_LOCALEDIR: translations of an uninstalled build (<build>/po) */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("DOORLICHT_LOCALEDIR") ? g_getenv ("DOORLICHT_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = dl_application_new (G_APPLICATION_DEFAULT_FLAGS);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
