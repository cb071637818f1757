/* dl-crash.c — what build-aux/crash-campaign needs that the command-line
 * tool cannot do: a seed case file whose verdicts were written by another
 * person, so that `doorlicht-cli case review` (four eyes) can review them.
 *
 *   dl-crash seed FILE IDENTITY-DIR N   N cases, each with one verdict by
 *                                       "analyst" (key kept in IDENTITY-DIR);
 *                                       prints the case ids, one a line
 *   dl-crash fault write|sync N FILE IDENTITY-DIR CASE TEXT
 *                                       records a verdict (TEXT) on CASE as
 *                                       "writer", with the Nth write or sync
 *                                       of SQLite failing (an I/O error from a
 *                                       VFS wrapped around the default one);
 *                                       exit 0 saved, 1 refused, 3 the Nth
 *                                       never came (saved, nothing failed;
 *                                       "calls C" on stderr: how many there were)
 *
 * Not installed; built beside dl-bench.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-crash"

#include "config.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dl-case-file.h"

/* -- a VFS whose Nth write or sync fails ------------------------------------- */

typedef struct
{
  sqlite3_file  base;
  sqlite3_file *real;    /* follows this struct */
} FaultFile;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs fault_vfs;
static sqlite3_io_methods fault_methods;
static gboolean fail_sync;   /* else writes */
static gint64 fail_at, calls;
static gboolean faulted;

static gboolean
fault_now (void)
{
  if (faulted || ++calls != fail_at)
    return FALSE;
  faulted = TRUE;
  return TRUE;
}

#define REAL(f) (((FaultFile *) (f))->real)

static int
fault_close (sqlite3_file *f)
{
  int rc = REAL (f)->pMethods ? REAL (f)->pMethods->xClose (REAL (f)) : SQLITE_OK;
  return rc;
}
static int
fault_read (sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
  return REAL (f)->pMethods->xRead (REAL (f), buf, n, off);
}
static int
fault_write (sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
  if (!fail_sync && fault_now ())
    return SQLITE_IOERR_WRITE;
  return REAL (f)->pMethods->xWrite (REAL (f), buf, n, off);
}
static int
fault_truncate (sqlite3_file *f, sqlite3_int64 size)
{
  return REAL (f)->pMethods->xTruncate (REAL (f), size);
}
static int
fault_sync (sqlite3_file *f, int flags)
{
  if (fail_sync && fault_now ())
    return SQLITE_IOERR_FSYNC;
  return REAL (f)->pMethods->xSync (REAL (f), flags);
}
static int
fault_size (sqlite3_file *f, sqlite3_int64 *size)
{
  return REAL (f)->pMethods->xFileSize (REAL (f), size);
}
static int
fault_lock (sqlite3_file *f, int level)
{
  return REAL (f)->pMethods->xLock (REAL (f), level);
}
static int
fault_unlock (sqlite3_file *f, int level)
{
  return REAL (f)->pMethods->xUnlock (REAL (f), level);
}
static int
fault_check_lock (sqlite3_file *f, int *out)
{
  return REAL (f)->pMethods->xCheckReservedLock (REAL (f), out);
}
static int
fault_control (sqlite3_file *f, int op, void *arg)
{
  return REAL (f)->pMethods->xFileControl (REAL (f), op, arg);
}
static int
fault_sector (sqlite3_file *f)
{
  return REAL (f)->pMethods->xSectorSize (REAL (f));
}
static int
fault_device (sqlite3_file *f)
{
  return REAL (f)->pMethods->xDeviceCharacteristics (REAL (f));
}
static int
fault_shm_map (sqlite3_file *f, int page, int size, int extend, void volatile **p)
{
  return REAL (f)->pMethods->xShmMap (REAL (f), page, size, extend, p);
}
static int
fault_shm_lock (sqlite3_file *f, int offset, int n, int flags)
{
  return REAL (f)->pMethods->xShmLock (REAL (f), offset, n, flags);
}
static void
fault_shm_barrier (sqlite3_file *f)
{
  REAL (f)->pMethods->xShmBarrier (REAL (f));
}
static int
fault_shm_unmap (sqlite3_file *f, int delete)
{
  return REAL (f)->pMethods->xShmUnmap (REAL (f), delete);
}
/* no memory-mapped I/O: every write goes through xWrite */
static int
fault_fetch (sqlite3_file *f, sqlite3_int64 off, int n, void **p)
{
  *p = NULL;
  return SQLITE_OK;
}
static int
fault_unfetch (sqlite3_file *f, sqlite3_int64 off, void *p)
{
  return SQLITE_OK;
}

static int
fault_open (sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f, int flags, int *out_flags)
{
  FaultFile *ff = (FaultFile *) f;
  int rc;

  ff->real = (sqlite3_file *) (ff + 1);
  rc = real_vfs->xOpen (real_vfs, name, ff->real, flags, out_flags);
  /* SQLite calls xClose only when pMethods is set */
  f->pMethods = ff->real->pMethods ? &fault_methods : NULL;
  return rc;
}

static void
fault_vfs_install (gboolean sync,
                   gint64   at)
{
  real_vfs = sqlite3_vfs_find (NULL);
  fail_sync = sync;
  fail_at = at;
  fault_methods = (sqlite3_io_methods) {
    3, fault_close, fault_read, fault_write, fault_truncate, fault_sync, fault_size, fault_lock,
    fault_unlock, fault_check_lock, fault_control, fault_sector, fault_device, fault_shm_map,
    fault_shm_lock, fault_shm_barrier, fault_shm_unmap, fault_fetch, fault_unfetch,
  };
  fault_vfs = *real_vfs;
  fault_vfs.zName = "dl-fault";
  fault_vfs.szOsFile = (int) sizeof (FaultFile) + real_vfs->szOsFile;
  fault_vfs.xOpen = fault_open;
  fault_vfs.pNext = NULL;
  sqlite3_vfs_register (&fault_vfs, 1);
}

static int
fault (const char *kind,
       gint64      at,
       const char *path,
       const char *identity_dir,
       const char *case_id,
       const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlIdentity) writer = dl_identity_load_from_dir (identity_dir, "writer", "Writer", &error);
  g_autoptr(DlCaseFile) file = NULL;
  g_autofree char *id = NULL;
  const char *reasons[] = { "other", NULL };

  if (writer == NULL)
    {
      fprintf (stderr, "dl-crash fault: %s\n", error->message);
      return 2;
    }
  fault_vfs_install (strcmp (kind, "sync") == 0, at);
  if ((file = dl_case_file_open (path, writer, &error)) == NULL
      || (id = dl_case_file_add_verdict (file, case_id, DL_DECISION_SEIZE, reasons, text, &error)) == NULL
      || (!dl_case_file_close (file, &error)
          /* saved, the log not folded back in: as doorlicht-cli, a warning */
          && !(g_error_matches (error, DL_CASE_FILE_ERROR, DL_CASE_FILE_ERROR_UNFINISHED)
               && fprintf (stderr, "dl-crash fault: %s\n", error->message) > 0)))
    {
      fprintf (stderr, "dl-crash fault: %s %" G_GINT64_FORMAT "%s: %s\n", kind, at, faulted ? "" : " (not reached)",
               error->message);
      return 1;
    }
  printf ("%s\n", id);
  if (!faulted)
    fprintf (stderr, "calls %" G_GINT64_FORMAT "\n", calls);
  return faulted ? 0 : 3;
}

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
  if (argc == 8 && strcmp (argv[1], "fault") == 0 && (strcmp (argv[2], "write") == 0 || strcmp (argv[2], "sync") == 0))
    return fault (argv[2], g_ascii_strtoll (argv[3], NULL, 10), argv[4], argv[5], argv[6], argv[7]);
  fprintf (stderr, "Usage: dl-crash seed FILE IDENTITY-DIR N\n"
                   "       dl-crash fault write|sync N FILE IDENTITY-DIR CASE TEXT\n");
  return 2;
}
