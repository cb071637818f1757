/* fuzz-common.h — what the libFuzzer harnesses and test-fuzz-regressions
 * share: one entry point per target, taking the untrusted bytes, and the
 * contract every reader is held to.
 *
 * Each fuzz-TARGET.c defines dl_fuzz_TARGET () and, unless DL_FUZZ_NO_MAIN
 * is defined, LLVMFuzzerTestOneInput () calling it.  The regression test
 * compiles the same files with DL_FUZZ_NO_MAIN and runs every file of
 * tests/fuzz-regressions/TARGET/ through the same function.
 *
 * The contract: a reader returns a result without an error, or no result
 * and a GError with a non-empty, valid UTF-8 message.  Anything else (both,
 * neither, a critical from a g_return_if_fail) aborts, so libFuzzer and
 * the test both see it as a crash.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stdlib.h>

G_BEGIN_DECLS

void dl_fuzz_tiff      (const guint8 *data,
                        gsize         size);
void dl_fuzz_baplie    (const guint8 *data,
                       gsize         size);
void dl_fuzz_edifact   (const guint8 *data,
                        gsize         size);
void dl_fuzz_manifest  (const guint8 *data,
                        gsize         size);
void dl_fuzz_case_file (const guint8 *data,
                        gsize         size);
void dl_fuzz_case_verify (const guint8 *data,
                          gsize         size);
void dl_fuzz_dicom     (const guint8 *data,
                       gsize         size);
void dl_fuzz_dicom_wire (const guint8 *data,
                         gsize         size);
void dl_fuzz_test_object (const guint8 *data,
                          gsize         size);
/* Remove the case-file and case-verify targets' folders (also done at exit). */
void dl_fuzz_case_file_cleanup (void);
void dl_fuzz_case_verify_cleanup (void);

/* Quiet logging below critical; criticals and errors abort. */
static inline GLogWriterOutput
dl_fuzz_log_writer (GLogLevelFlags   level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  if ((level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) == 0
      && g_getenv ("DL_FUZZ_VERBOSE") == NULL)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static inline void
dl_fuzz_setup_logging (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL);
      g_log_set_writer_func (dl_fuzz_log_writer, NULL, NULL);
      g_once_init_leave (&done, 1);
    }
}

/* Checks the contract for one call: @ok is what the reader said (a
 * result, or TRUE), *@error what it set; clears *@error. */
#define dl_fuzz_check(what, ok, error) \
  dl_fuzz_check_impl ((what), (ok), (error), G_STRLOC)

/* abort () rather than g_error (): libFuzzer saves the input on SIGABRT,
 * not on the SIGTRAP g_error () may raise. */
#define dl_fuzz_fail(...) \
  G_STMT_START { g_printerr (__VA_ARGS__); g_printerr ("\n"); abort (); } G_STMT_END

static inline void
dl_fuzz_check_impl (const char  *what,
                    gboolean     ok,
                    GError     **errorp,
                    const char  *where)
{
  GError *error = *errorp;

  if (ok && error != NULL)
    dl_fuzz_fail ("%s: %s succeeded but set an error: %s", where, what, error->message);
  if (!ok && error == NULL)
    dl_fuzz_fail ("%s: %s failed without an error", where, what);
  if (error != NULL
      && (error->message == NULL || error->message[0] == '\0'
          || !g_utf8_validate (error->message, -1, NULL)))
    {
      g_autofree char *shown = error->message ? g_strescape (error->message, NULL) : NULL;

      dl_fuzz_fail ("%s: %s failed with an empty or invalid UTF-8 message: \"%s\"",
                    where, what, shown ? shown : "(null)");
    }
  g_clear_error (errorp);
}

#ifndef DL_FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

/* The libFuzzer entry point for @func (one of the above). */
#define DL_FUZZ_DEFINE_MAIN(func)                        \
  int                                                    \
  LLVMFuzzerTestOneInput (const guint8 *data,            \
                          size_t        size)            \
  {                                                      \
    dl_fuzz_setup_logging ();                            \
    func (data, size);                                   \
    return 0;                                            \
  }
#else
#define DL_FUZZ_DEFINE_MAIN(func)
#endif

G_END_DECLS
