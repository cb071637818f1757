/* dl-cli.h — the subcommands of doorlicht-cli.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "dl-case-file.h"
#include "dl-synth.h"

G_BEGIN_DECLS

/* Exit statuses: 0 success, 1 the input was refused or the work failed,
 * 2 the command line was wrong. */
#define DL_CLI_EXIT_FAILURE 1
#define DL_CLI_EXIT_USAGE   2

int  dl_cli_info   (int    argc,
                    char **argv);
int  dl_cli_render (int    argc,
                    char **argv);
int  dl_cli_convert (int    argc,
                     char **argv);
int  dl_cli_synth  (int    argc,
                    char **argv);
int  dl_cli_profile   (int    argc,
                      char **argv);
int  dl_cli_calibrate (int    argc,
                       char **argv);
/* dl-cli-profile-fit.c: `profile fit`, and a profile (a file or an id)
 * as the generator's imaging chain, for synth and calibrate */
int  dl_cli_profile_fit (int    argc,
                         char **argv);
gboolean dl_cli_synth_imaging (const char      *arg,
                               DlSynthImaging  *imaging,
                               GError         **error);
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

int  dl_cli_detect (int    argc,
                    char **argv);
int  dl_cli_evaluate (int    argc,
                      char **argv);
/* dl-cli-site.c: `site init|grant`, and `case claim URI` */
int  dl_cli_site       (int    argc,
                        char **argv);
int  dl_cli_case_claim (int    argc,
                        char **argv);
/* dl-cli-site-intake.c: `site intake URI FOLDER…` */
int  dl_cli_site_intake (int    argc,
                         char **argv);
/* dl-cli-case-site.c: is @arg a postgresql:// (or postgres://) URI; and,
 * when an argument of @argv names a site store, say that @command does not
 * yet work on one (the password never shown) and return TRUE. */
gboolean dl_cli_is_site_uri (const char   *arg);
gboolean dl_cli_refuse_site (const char   *command,
                             int           argc,
                             char * const *argv);
/* `case verdict` and `case review` on a site store (@uri): the row and its
 * signed event written, the new id printed; the exit status. */
int      dl_cli_site_verdict (const char         *uri,
                              const char         *case_id,
                              const char         *decision,
                              const char * const *reasons,
                              const char         *text,
                              const char         *name);
/* `case detect URI CASE`: on a working copy of the case, its findings
 * then added to the site (dl_site_add_findings ()). */
int      dl_cli_site_detect  (const char         *uri,
                              const char         *case_id,
                              const char         *name);
int      dl_cli_detect_and_store (DlCaseFile     *file,
                                  const char     *case_id,
                                  const char     *path,
                                  GStrv          *stored);
void     dl_cli_print_stored_findings (GStrv      ids);
int      dl_cli_site_review  (const char         *uri,
                              const char         *case_id,
                              const char         *decision,
                              const char         *comment,
                              const char         *name);
/* `case export` and `case import` on a site store; the exit status. */
int      dl_cli_site_export  (const char         *uri,
                              const char * const *case_ids,
                              const char         *output,
                              const char         *name);
int      dl_cli_site_import  (const char         *uri,
                              const char         *path,
                              const char         *name);
/* `case add`, `case csv` and `case report` on a site store; the exit
 * status.  @case_id or @title: see dl_site_add_case (). */
int      dl_cli_site_add     (const char         *uri,
                              const char         *case_id,
                              const char         *title,
                              const char         *scan,
                              DlManifest         *manifest,
                              DlBayPlan          *bay_plan,
                              const char         *name);
int      dl_cli_site_csv     (const char         *uri,
                              const char         *output);
int      dl_cli_site_report  (const char         *uri,
                              const char         *case_id,
                              const char         *output);
/* `case list` and `verify` on a site store: what the file's print. */
GPtrArray      *dl_cli_site_list_cases (const char        *uri,
                                        const DlCaseQuery *query,
                                        GError           **error);
DlVerifyReport *dl_cli_site_verify     (const char        *uri,
                                        GError           **error);
/* `case findings` on a site store: what the file's print. */
GPtrArray      *dl_cli_site_findings   (const char        *uri,
                                        const char        *case_id,
                                        GError           **error);
/* `case finding` on a site store (@confirm, else dismiss); the exit status. */
int             dl_cli_site_finding    (const char        *uri,
                                        const char        *finding_id,
                                        gboolean           confirm,
                                        const char        *note,
                                        const char        *name);
/* The site store @uri names, without its password, for messages. */
char           *dl_cli_site_label      (const char        *uri);
/* dl-cli-detect.c: `case detect`, `case findings`, `case finding` */
int  dl_cli_case_detect   (int    argc,
                           char **argv);
int  dl_cli_case_findings (int    argc,
                           char **argv);
int  dl_cli_case_finding  (int    argc,
                           char **argv);
/* dl-cli-detect.c, for detect and evaluate: the detectors named (all when
 * none), or NULL with @error; the external detectors of @dir added to
 * @all, FALSE with @error on a bad description or a name already taken. */
GPtrArray *dl_cli_pick_detectors         (GPtrArray  *all,
                                          char      **names,
                                          GError    **error);
gboolean   dl_cli_add_external_detectors (GPtrArray  *all,
                                          const char *dir,
                                          GError    **error);

/* dl-cli-case-record.c: `case add`, `case verdict`, `case review` */
int  dl_cli_case_add      (int    argc,
                           char **argv);
int  dl_cli_case_verdict  (int    argc,
                           char **argv);
int  dl_cli_case_review   (int    argc,
                           char **argv);
/* dl-cli-case-exchange.c: `case list`, `case export`, `case import`,
 * `case csv`, `case report` */
int  dl_cli_case_list     (int    argc,
                           char **argv);
int  dl_cli_case_export   (int    argc,
                           char **argv);
int  dl_cli_case_import   (int    argc,
                           char **argv);
int  dl_cli_case_csv      (int    argc,
                           char **argv);
int  dl_cli_case_report   (int    argc,
                           char **argv);

/* dl-cli-case.c: options parsed, FALSE (usage printed) unless exactly
 * @n_args remain; a case file opened for writing as oneself, and closed;
 * a Unix time as ISO 8601 in UTC ("-" when it is none) */
gboolean    dl_cli_case_parse    (const char   *parameters,
                                  GOptionEntry *entries,
                                  int          *argc,
                                  char       ***argv,
                                  int           n_args);
DlCaseFile *dl_cli_open_writable (const char   *path,
                                  const char   *name,
                                  GError      **error);
gboolean    dl_cli_close_written (DlCaseFile   *file,
                                  GError      **error);
char       *dl_cli_iso_time      (gint64        t);

int      dl_cli_fail        (const char  *prefix,
                             GError      *error);
gboolean dl_cli_parse_size  (const char  *text,
                             guint64     *bytes,
                             GError     **error);

G_END_DECLS
