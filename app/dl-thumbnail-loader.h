/* dl-thumbnail-loader.h — the queue's thumbnails, loaded off the main
 * thread: each GtkPicture of a list row asks for its scan's thumbnail; it
 * is read from the case file's cache, or made (decoded, rendered and
 * stored), on a worker thread with a case-file connection of its own, and
 * shown only if the row still shows that scan when it arrives.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "dl-case-file.h"

G_BEGIN_DECLS

typedef struct _DlThumbnailLoader DlThumbnailLoader;

/* Every thumbnail is shown in a frame of this size (a thumbnail of up to
 * 128 × 48 scaled down into it), whatever the scan's proportions. */
#define DL_THUMBNAIL_FRAME_WIDTH  96
#define DL_THUMBNAIL_FRAME_HEIGHT 36

/* For @file (opened again on the worker with dl_case_file_open_again ();
 * nothing more is loaded once @file reports itself "damaged"). */
DlThumbnailLoader *dl_thumbnail_loader_new   (DlCaseFile        *file);
/* Work asked for waits until this is called (the sidebar calls it once
 * its first frame is on screen, so that opening a file is not slowed). */
void               dl_thumbnail_loader_start (DlThumbnailLoader *self);
/* Stops: work queued is dropped, nothing more is shown; frees @self. */
void               dl_thumbnail_loader_close (DlThumbnailLoader *self);
/* Shows @scan_id's thumbnail in @picture: at once when loaded before,
 * else a placeholder until it arrives.  %NULL @scan_id: the placeholder. */
void               dl_thumbnail_loader_show  (DlThumbnailLoader *self,
                                              GtkPicture        *picture,
                                              const char        *scan_id);
/* The thumbnail @picture shows, or %NULL while it shows a placeholder. */
GdkTexture        *dl_thumbnail_loader_get_texture (GtkPicture  *picture);
/* @picture no longer shows what it was asked to (its row was recycled). */
void               dl_thumbnail_loader_forget (GtkPicture       *picture);

G_END_DECLS
