/* dl-sandbox.h — a program run in a bubblewrap sandbox: no network, no
 * file system but /usr, an empty /tmp and the program itself, no
 * environment, within a time and an address-space limit; given file
 * descriptors from 3 on and a request on stdin, its stdout and the end of
 * its stderr read back.
 *
 * Used for other people's detectors (dl-external.c) and for the DICOM
 * reader (dl-dicom.c), whose library is not trusted with damaged files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The most of a program's stderr kept. */
#define DL_SANDBOX_MAX_STDERR (64 * 1024)

typedef struct
{
  const char         *program;       /* an absolute path, bound read-only */
  const char         *bind_as;       /* where the program sees itself, "/detector/program" */
  const char * const *args;          /* more arguments, or NULL */
  const int          *fds;           /* given to the program as 3, 4, … */
  guint               n_fds;
  const char         *request;       /* written to its stdin (NUL-terminated), or NULL */
  double              time_limit_s;
  guint64             memory_limit_mib;  /* RLIMIT_AS; 0: none */
  gsize               max_stdout;
  /* when the sandbox cannot run here (dl_sandbox_check ()), run the
   * program as it is, in a process of its own within the same limits,
   * and say so once (g_warning); else that is an error */
  gboolean            plain_when_unavailable;
} DlSandboxSpec;

typedef struct
{
  GByteArray *stdout_bytes;
  GString    *stderr_text;   /* the last DL_SANDBOX_MAX_STDERR bytes */
  gboolean    timed_out;
  gboolean    too_long;      /* stdout passed max_stdout: stopped */
  int         status;        /* as waitpid () gives it */
} DlSandboxResult;

void      dl_sandbox_result_clear (DlSandboxResult     *result);

/* Runs @spec's program to its end (or its limits, or @cancellable); FALSE
 * only when it could not be started or was cancelled.  @result is filled
 * either way (dl_sandbox_result_clear () it). */
gboolean  dl_sandbox_run          (const DlSandboxSpec *spec,
                                   DlSandboxResult     *result,
                                   GCancellable        *cancellable,
                                   GError             **error);
/* The signal that ended the program, or 0: bwrap passes a signal on as
 * exit status 128 + its number, as a shell does. */
int       dl_sandbox_result_signal (const DlSandboxResult *result);
/* The last lines of the program's stderr, safe to show, as
 * " — its stderr ends: …", or "" when it wrote none. */
char     *dl_sandbox_stderr_tail  (const DlSandboxResult *result);
/* Whether the sandbox can run here; FALSE with @error saying why (bwrap
 * missing, or no user namespaces). */
gboolean  dl_sandbox_check        (GError             **error);

G_END_DECLS
