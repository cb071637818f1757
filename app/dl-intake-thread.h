/* dl-intake-thread.h — a site workstation's intake (dl-site-intake.h) in
 * a thread of its own, with a connection of its own: the folders scanners
 * export into watched while the window works, its reading and hashing of
 * scans never in the window's way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "dl-identity.h"

G_BEGIN_DECLS

typedef struct _DlIntakeThread DlIntakeThread;

/* Connects to @uri as @identity and watches @folders (settled over
 * @settle_seconds); each file taken, or not taken, is logged.  %NULL with
 * @error when the site or a folder cannot be opened. */
DlIntakeThread *dl_intake_thread_start (const char          *uri,
                                        DlIdentity          *identity,
                                        const char * const  *folders,
                                        guint                settle_seconds,
                                        GError             **error);
/* How many files it has taken so far. */
guint           dl_intake_thread_get_n_taken (DlIntakeThread *self);
/* Stops watching and waits for the thread. */
void            dl_intake_thread_stop  (DlIntakeThread      *self);

G_END_DECLS
