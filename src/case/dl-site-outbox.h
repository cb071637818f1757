/* dl-site-outbox.h — a workstation's verdicts and reviews kept until the
 * site store has them.
 *
 * The server can stop while an analyst records a verdict (a restart, the
 * network).  A write goes into the outbox first: one file per write in a
 * folder of the workstation's (written whole and synced before it is
 * sent), with the id chosen for its row.  It is then sent; the file goes
 * once the site has the row.  Until then the outbox holds it, across a
 * crash or kill -9 of the app, and dl_site_outbox_flush () sends it again
 * when the server is back.  An answer lost on the way (the row written,
 * the connection gone before the reply) is recognised by the row's id:
 * nothing is recorded twice.  What the site refuses (the case is held by
 * another, four eyes, …) is never dropped in silence: the write is moved
 * to the folder's "refused/" and said.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-site.h"

G_BEGIN_DECLS

#define DL_TYPE_SITE_OUTBOX (dl_site_outbox_get_type ())
G_DECLARE_FINAL_TYPE (DlSiteOutbox, dl_site_outbox, DL, SITE_OUTBOX, GObject)

typedef enum
{
  DL_SITE_SENT,       /* the site has it */
  DL_SITE_KEPT,       /* the site could not be reached: kept, sent later */
  DL_SITE_REFUSED,    /* the site refused it (the error says why) */
} DlSiteDelivery;

/* The outbox in @dir (made, mode 0700, when missing). */
DlSiteOutbox  *dl_site_outbox_new        (const char    *dir,
                                          GError       **error);
/* A verdict (dl_site_record_verdict (); its id is chosen here, @verdict's
 * is not looked at) kept, then sent; %DL_SITE_REFUSED with @error, also
 * when it could not be kept. */
DlSiteDelivery dl_site_outbox_verdict    (DlSiteOutbox        *self,
                                          DlSite              *site,
                                          const DlSiteVerdict *verdict,
                                          GError             **error);
/* A review, with the marks the supervisor added (may be %NULL). */
DlSiteDelivery dl_site_outbox_review     (DlSiteOutbox       *self,
                                          DlSite             *site,
                                          const char         *case_id,
                                          const char         *decision,
                                          const char         *comment,
                                          GPtrArray          *marks,
                                          GError            **error);
/* Sends what waits, oldest first, connecting again first when needed.
 * Returns how many still wait (the server still away); each refused one
 * is moved aside and its message added to @refused (may be %NULL). */
guint          dl_site_outbox_flush      (DlSiteOutbox  *self,
                                          DlSite        *site,
                                          GPtrArray     *refused);
guint          dl_site_outbox_get_n_waiting (DlSiteOutbox *self);

G_END_DECLS
