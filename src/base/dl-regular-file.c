/* dl-regular-file.c — opening a file someone named without hanging on it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-regular-file"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <unistd.h>

#include "dl-regular-file.h"

const char *
dl_file_kind_name (mode_t mode)
{
  if (S_ISREG (mode))
    return NULL;
  if (S_ISFIFO (mode))
    return _("a named pipe (FIFO)");
  if (S_ISDIR (mode))
    return _("a folder");
  if (S_ISCHR (mode))
    return _("a character device");
  if (S_ISBLK (mode))
    return _("a block device");
  if (S_ISSOCK (mode))
    return _("a socket");
  if (S_ISLNK (mode))
    return _("a symbolic link");
  return _("not a regular file");
}

const char *
dl_path_kind_name (const char *path)
{
  struct stat st;

  if (lstat (path, &st) != 0)
    return NULL;
  return dl_file_kind_name (st.st_mode);
}

static int
refuse_kind (const char *path,
             mode_t      mode,
             GError    **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
               _("“%s” is %s, not a file: give the path of a file"), path, dl_file_kind_name (mode));
  return -1;
}

int
dl_open_regular_file (const char *path,
                      guint64    *size,
                      GError    **error)
{
  struct stat st;
  int fd, saved;

  g_return_val_if_fail (path != NULL, -1);

  fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    {
      saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Could not open “%s”: %s"), path,
                   g_strerror (saved));
      return -1;
    }
  if (fstat (fd, &st) == 0 && !S_ISREG (st.st_mode))
    {
      close (fd);
      return refuse_kind (path, st.st_mode, error);
    }
  /* a regular file: reads block again as they should */
  if (fcntl (fd, F_SETFL, 0) != 0 || fstat (fd, &st) != 0)
    {
      saved = errno;
      close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Could not read “%s”: %s"), path,
                   g_strerror (saved));
      return -1;
    }
  if (size)
    *size = (guint64) st.st_size;
  return fd;
}

GMappedFile *
dl_map_regular_file (const char *path,
                     guint64     max,
                     GError    **error)
{
  g_autoptr(GError) local = NULL;
  GMappedFile *file;
  guint64 size = 0;
  int fd = dl_open_regular_file (path, &size, error);

  if (fd < 0)
    return NULL;
  if (max > 0 && size > max)
    {
      close (fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   _("“%s” is larger than %llu bytes (it has %llu)"), path, (unsigned long long) max,
                   (unsigned long long) size);
      return NULL;
    }
  file = g_mapped_file_new_from_fd (fd, FALSE, &local);
  close (fd);
  if (file == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not read “%s”: %s"), path, local->message);
  return file;
}
