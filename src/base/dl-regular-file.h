/* dl-regular-file.h — opening a file someone named without hanging on it:
 * a named pipe, a device or a folder is refused before anything is read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sys/stat.h>

G_BEGIN_DECLS

/* What a file of @mode is, for a message ("a named pipe (FIFO)", "a
 * folder" …), translated; %NULL for a regular file. */
const char  *dl_file_kind_name     (mode_t       mode);
/* The kind of what @path names (lstat: a symbolic link is named as one),
 * as above; %NULL for a regular file or when nothing is there. */
const char  *dl_path_kind_name     (const char  *path);
/* Opens @path for reading (O_NONBLOCK, so a FIFO without a writer does not
 * block; cleared again for a regular file), refusing anything that is not
 * a regular file with G_IO_ERROR_NOT_REGULAR_FILE and a message saying
 * what it is.  Returns the descriptor, or -1; @size gets its length. */
int          dl_open_regular_file  (const char  *path,
                                    guint64     *size,
                                    GError     **error);
/* The same, mapped; refused with G_IO_ERROR_MESSAGE_TOO_LARGE when longer
 * than @max bytes (0: no limit), before any of it is read. */
GMappedFile *dl_map_regular_file   (const char  *path,
                                    guint64      max,
                                    GError     **error);

G_END_DECLS
