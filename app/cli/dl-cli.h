/* dl-cli.h — the subcommands of doorlicht-cli.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses: 0 success, 1 the input was refused or the work failed,
 * 2 the command line was wrong. */
#define DL_CLI_EXIT_FAILURE 1
#define DL_CLI_EXIT_USAGE   2

int  dl_cli_info   (int    argc,
                    char **argv);
int  dl_cli_render (int    argc,
                    char **argv);
int  dl_cli_synth  (int    argc,
                    char **argv);
int  dl_cli_calibrate (int    argc,
                       char **argv);
int  dl_cli_manifest (int    argc,
                      char **argv);
int  dl_cli_case   (int    argc,
                    char **argv);
int  dl_cli_verify (int    argc,
                    char **argv);
int  dl_cli_check  (int    argc,
                    char **argv);
int  dl_cli_bayplan (int    argc,
                     char **argv);

int      dl_cli_fail        (const char  *prefix,
                             GError      *error);
gboolean dl_cli_parse_size  (const char  *text,
                             guint64     *bytes,
                             GError     **error);

G_END_DECLS
