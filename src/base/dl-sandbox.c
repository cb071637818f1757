/* dl-sandbox.c — a program run in a bubblewrap sandbox (dl-sandbox.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-sandbox"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib-unix.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dl-sandbox.h"
#include "dl-text.h"

#define STDERR_TAIL 1000

static char *
find_bwrap (GError **error)
{
  char *bwrap = g_find_program_in_path ("bwrap");

  if (bwrap == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                         _("The sandbox program bwrap is not installed (install the Debian package “bubblewrap”)"));
  return bwrap;
}

static GPtrArray *
sandbox_argv (const char          *bwrap,
              const DlSandboxSpec *spec)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *dir = g_path_get_dirname (spec->bind_as);
  const char *const fixed[] = {
    "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--clearenv",
    "--ro-bind", "/usr", "/usr",
    "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin",
    "--dev", "/dev", "--tmpfs", "/tmp",
    "--setenv", "LC_ALL", "C.UTF-8", "--setenv", "PATH", "/usr/bin",
    "--chdir", "/tmp",
    NULL
  };

  g_ptr_array_add (argv, g_strdup (bwrap));
  for (guint i = 0; fixed[i]; i++)
    g_ptr_array_add (argv, g_strdup (fixed[i]));
  g_ptr_array_add (argv, g_strdup ("--dir"));
  g_ptr_array_add (argv, g_strdup (dir));
  g_ptr_array_add (argv, g_strdup ("--ro-bind"));
  g_ptr_array_add (argv, g_strdup (spec->program));
  g_ptr_array_add (argv, g_strdup (spec->bind_as));
  g_ptr_array_add (argv, g_strdup (spec->bind_as));
  for (guint i = 0; spec->args && spec->args[i]; i++)
    g_ptr_array_add (argv, g_strdup (spec->args[i]));
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* In the child before exec: a process group of its own (killed whole),
 * and the address-space limit every process of the sandbox inherits. */
static void
child_setup (gpointer data)
{
  rlim_t bytes = (rlim_t) GPOINTER_TO_SIZE (data) << 20;
  struct rlimit limit = { bytes, bytes };

  setpgid (0, 0);
  if (bytes != 0)
    setrlimit (RLIMIT_AS, &limit);
}

typedef struct
{
  const DlSandboxSpec *spec;
  DlSandboxResult     *result;
  GPid                 pid;
  int                  in, out, err;
  gsize                written;
} Child;

static void
child_close (Child *c)
{
  if (c->in >= 0)
    close (c->in);
  if (c->out >= 0)
    close (c->out);
  if (c->err >= 0)
    close (c->err);
  c->in = c->out = c->err = -1;
}

static GPtrArray *
plain_argv (const DlSandboxSpec *spec)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (argv, g_strdup (spec->program));
  for (guint i = 0; spec->args && spec->args[i]; i++)
    g_ptr_array_add (argv, g_strdup (spec->args[i]));
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* Whether the sandbox runs here, found out once per process. */
static gboolean
sandbox_available (void)
{
  static gsize once = 0;
  static gboolean available;

  if (g_once_init_enter (&once))
    {
      g_autoptr(GError) error = NULL;

      available = dl_sandbox_check (&error);
      if (!available)
        g_warning ("Programs that should run in a sandbox run without one: %s", error->message);
      g_once_init_leave (&once, 1);
    }
  return available;
}

static GPtrArray *
child_argv (const DlSandboxSpec *spec,
            GError             **error)
{
  g_autofree char *bwrap = NULL;

  if (spec->plain_when_unavailable && !sandbox_available ())
    return plain_argv (spec);
  if ((bwrap = find_bwrap (error)) == NULL)
    return NULL;
  return sandbox_argv (bwrap, spec);
}

static gboolean
spawn_child (Child   *c,
             GError **error)
{
  g_autoptr(GPtrArray) argv = child_argv (c->spec, error);
  g_autofree int *target = g_new (int, MAX (c->spec->n_fds, 1));

  if (argv == NULL)
    return FALSE;
  for (guint i = 0; i < c->spec->n_fds; i++)
    target[i] = 3 + (int) i;
  return g_spawn_async_with_pipes_and_fds (NULL, (const char *const *) argv->pdata, NULL,
                                           G_SPAWN_DO_NOT_REAP_CHILD, child_setup,
                                           GSIZE_TO_POINTER ((gsize) c->spec->memory_limit_mib),
                                           -1, -1, -1, c->spec->fds, target, c->spec->n_fds,
                                           &c->pid, &c->in, &c->out, &c->err, error);
}

static void
kill_child (Child *c)
{
  kill (-c->pid, SIGKILL);
  kill (c->pid, SIGKILL);
}

static void
read_stream (int     *fd,
             Child   *c,
             gboolean is_stdout)
{
  DlSandboxResult *r = c->result;
  char buffer[65536];
  gssize n = read (*fd, buffer, sizeof buffer);

  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return;
  if (n <= 0)
    {
      close (*fd);
      *fd = -1;
      return;
    }
  if (!is_stdout)
    {
      g_string_append_len (r->stderr_text, buffer, n);
      if (r->stderr_text->len > DL_SANDBOX_MAX_STDERR)
        g_string_erase (r->stderr_text, 0, r->stderr_text->len - DL_SANDBOX_MAX_STDERR);
    }
  else if (r->stdout_bytes->len + (gsize) n > c->spec->max_stdout)
    r->too_long = TRUE;
  else
    g_byte_array_append (r->stdout_bytes, (const guint8 *) buffer, n);
}

/* write () to a program that closed its stdin: EPIPE, and SIGPIPE held
 * back and discarded for this thread instead of ending the process. */
static gssize
write_no_sigpipe (int         fd,
                  const char *data,
                  gsize       length)
{
  sigset_t pipe_set, old_set;
  struct timespec none = { 0, 0 };
  gssize n;
  int saved;

  sigemptyset (&pipe_set);
  sigaddset (&pipe_set, SIGPIPE);
  pthread_sigmask (SIG_BLOCK, &pipe_set, &old_set);
  n = write (fd, data, length);
  saved = errno;
  if (n < 0 && saved == EPIPE)
    while (sigtimedwait (&pipe_set, NULL, &none) < 0 && errno == EINTR)
      ;
  pthread_sigmask (SIG_SETMASK, &old_set, NULL);
  errno = saved;
  return n;
}

static void
write_request (Child *c)
{
  const char *request = c->spec->request ? c->spec->request : "";
  gsize left = strlen (request) - c->written;
  gssize n = left ? write_no_sigpipe (c->in, request + c->written, MIN (left, 65536)) : 0;

  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return;
  if (n > 0)
    c->written += n;
  if (n < 0 || c->written == strlen (request))
    {
      close (c->in);
      c->in = -1;
    }
}

/* Feeds the request, reads the output, until both output streams end,
 * the time is up, the output is too long or @cancellable fires. */
static void
communicate (Child        *c,
             GCancellable *cancellable)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (c->spec->time_limit_s * G_USEC_PER_SEC);
  GPollFD cancel_fd = { -1, 0, 0 };
  gboolean has_cancel = g_cancellable_make_pollfd (cancellable, &cancel_fd);

  g_unix_set_fd_nonblocking (c->in, TRUE, NULL);
  g_unix_set_fd_nonblocking (c->out, TRUE, NULL);
  g_unix_set_fd_nonblocking (c->err, TRUE, NULL);
  while ((c->out >= 0 || c->err >= 0) && !c->result->too_long && !g_cancellable_is_cancelled (cancellable))
    {
      struct pollfd fds[4] = { { c->in, POLLOUT, 0 }, { c->out, POLLIN, 0 }, { c->err, POLLIN, 0 },
                               { has_cancel ? cancel_fd.fd : -1, POLLIN, 0 } };
      gint64 left = deadline - g_get_monotonic_time ();

      if (left <= 0)
        {
          c->result->timed_out = TRUE;
          break;
        }
      if (poll (fds, 4, (int) MIN (left / 1000 + 1, 1000)) < 0 && errno != EINTR)
        break;
      if (c->in >= 0 && (fds[0].revents & (POLLOUT | POLLERR | POLLHUP)))
        write_request (c);
      if (c->out >= 0 && (fds[1].revents & (POLLIN | POLLERR | POLLHUP)))
        read_stream (&c->out, c, TRUE);
      if (c->err >= 0 && (fds[2].revents & (POLLIN | POLLERR | POLLHUP)))
        read_stream (&c->err, c, FALSE);
    }
  if (has_cancel)
    g_cancellable_release_fd (cancellable);
  if (c->out >= 0 || c->err >= 0)
    kill_child (c);
  kill (-c->pid, SIGKILL);   /* whatever the program left behind in its group */
  while (waitpid (c->pid, &c->result->status, 0) < 0 && errno == EINTR)
    ;
  g_spawn_close_pid (c->pid);
}

void
dl_sandbox_result_clear (DlSandboxResult *result)
{
  g_clear_pointer (&result->stdout_bytes, g_byte_array_unref);
  if (result->stderr_text)
    g_string_free (result->stderr_text, TRUE);
  result->stderr_text = NULL;
}

gboolean
dl_sandbox_run (const DlSandboxSpec *spec,
                DlSandboxResult     *result,
                GCancellable        *cancellable,
                GError             **error)
{
  Child c = { spec, result, 0, -1, -1, -1, 0 };

  g_return_val_if_fail (spec != NULL && spec->program != NULL && spec->bind_as != NULL, FALSE);
  g_return_val_if_fail (g_path_is_absolute (spec->bind_as), FALSE);

  *result = (DlSandboxResult) { g_byte_array_new (), g_string_new (NULL), FALSE, FALSE, 0 };
  if (!spawn_child (&c, error))
    {
      child_close (&c);
      return FALSE;
    }
  communicate (&c, cancellable);
  child_close (&c);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

int
dl_sandbox_result_signal (const DlSandboxResult *result)
{
  if (WIFSIGNALED (result->status))
    return WTERMSIG (result->status);
  if (WIFEXITED (result->status) && WEXITSTATUS (result->status) > 128 && WEXITSTATUS (result->status) < 128 + 65)
    return WEXITSTATUS (result->status) - 128;
  return 0;
}

char *
dl_sandbox_stderr_tail (const DlSandboxResult *result)
{
  const char *text = result->stderr_text ? result->stderr_text->str : "";
  gsize length = strlen (text);
  g_autofree char *valid = NULL, *safe = NULL;

  if (length > STDERR_TAIL)
    text += length - STDERR_TAIL;
  valid = g_utf8_make_valid (text, -1);
  g_strstrip (valid);
  if (*valid == '\0')
    return g_strdup ("");
  safe = dl_text_escape_terminal (valid, DL_TEXT_ESCAPE_DEFAULT);
  return g_strdup_printf (_(" — its stderr ends: %s"), safe);
}

gboolean
dl_sandbox_check (GError **error)
{
  g_autofree char *bwrap = find_bwrap (error);
  g_autofree char *err = NULL;
  int status = 0;
  const char *argv[] = { NULL, "--unshare-all", "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib",
                         "--symlink", "usr/lib64", "/lib64", "/usr/bin/true", NULL };

  if (bwrap == NULL)
    return FALSE;
  argv[0] = bwrap;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_strstrip (err);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The sandbox cannot run here (bwrap: %s); user namespaces may be turned off"), err);
      return FALSE;
    }
  return TRUE;
}
