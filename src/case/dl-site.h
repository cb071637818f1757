/* dl-site.h — the site store: a port's shared case queue on PostgreSQL.
 *
 * A site (several scanners, a team of analysts and supervisors) keeps
 * its cases in one PostgreSQL database instead of one case file each:
 * the same cases, scans (by SHA-256), manifests, verdicts, reviews,
 * hints and findings, and the same signed, hash-chained audit events as
 * the case file writes (dl-case-audit.c), in the schema `doorlicht`.
 * Who may do what is enforced by the database (dl-site-schema.c): a
 * person connects as their own login role, a member of
 * doorlicht_analyst, doorlicht_supervisor or doorlicht_auditor.
 *
 * A connection string (a postgresql:// URI or key=value conninfo) may
 * hold a password: no message of this file quotes it
 * (dl_site_describe_target ()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "dl-baplie.h"
#include "dl-case-file.h"
#include "dl-identity.h"
#include "dl-manifest.h"

G_BEGIN_DECLS

#define DL_SITE_ERROR (dl_site_error_quark ())

typedef enum
{
  DL_SITE_ERROR_CONNECT,      /* no connection (refused, bad address or login) */
  DL_SITE_ERROR_URI,          /* not a connection string */
  DL_SITE_ERROR_FAILED,       /* a statement failed (the server's message) */
  DL_SITE_ERROR_DENIED,       /* the role may not (SQLSTATE 42501) */
  DL_SITE_ERROR_FOUR_EYES,    /* a review by the verdict's author */
  DL_SITE_ERROR_NOT_INITIALISED, /* no doorlicht schema: dl_site_init () first */
  DL_SITE_ERROR_TOO_NEW,      /* a schema of a newer Doorlicht */
  DL_SITE_ERROR_NOT_FOUND,    /* no such case, verdict … */
  DL_SITE_ERROR_NOT_CLAIMED,  /* the case is not (or no longer) one's own */
  DL_SITE_ERROR_INVALID,      /* an argument the store cannot hold */
  DL_SITE_ERROR_NO_IDENTITY,  /* a write without dl_site_set_identity () */
} DlSiteError;

GQuark dl_site_error_quark (void);

typedef enum
{
  DL_SITE_ROLE_ANALYST,
  DL_SITE_ROLE_SUPERVISOR,
  DL_SITE_ROLE_AUDITOR,
} DlSiteRole;

/* "analyst", "supervisor", "auditor"; -1 when @name is none of them. */
int          dl_site_role_from_name (const char *name);
const char  *dl_site_role_to_name   (DlSiteRole  role);

/* A case in the queue. */
typedef struct
{
  char   *case_id;
  char   *title;
  char   *state;         /* "waiting", "review", "returned", "done" */
  char   *claimed_by;    /* or %NULL */
  gint64  lease_until;   /* Unix time; 0 when not claimed */
} DlSiteQueueItem;

void         dl_site_queue_item_free (DlSiteQueueItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlSiteQueueItem, dl_site_queue_item_free)

#define DL_TYPE_SITE (dl_site_get_type ())
G_DECLARE_FINAL_TYPE (DlSite, dl_site, DL, SITE, GObject)

/* @uri describes the target without any password: "host … dbname … user …"
 * (%NULL when it is not a connection string at all). */
char        *dl_site_describe_target (const char  *uri);

/* Connects.  A store not yet made is no error here (dl_site_init ()
 * makes it); the writes and reads say so. */
DlSite      *dl_site_open      (const char  *uri,
                                GError     **error);
/* The login the connection works as (session_user). */
const char  *dl_site_get_login (DlSite      *self);
/* Who signs what this connection writes; the events' author login is
 * the connection's (the database checks it), the name and key @identity's. */
void         dl_site_set_identity (DlSite     *self,
                                   DlIdentity *identity);

/* Makes (or brings up to date) the schema and the group roles; run by a
 * role that may create roles and schemas.  Idempotent, and safe when two
 * run at once. */
gboolean     dl_site_init      (DlSite      *self,
                                GError     **error);
/* Makes the login role @login (when missing) a member of @role's group. */
gboolean     dl_site_grant     (DlSite      *self,
                                const char  *login,
                                DlSiteRole   role,
                                GError     **error);

/* The next waiting (or returned) case, held by this connection's login
 * (@login, when not %NULL, must be it) for @lease_seconds.  %TRUE with
 * *@case_id %NULL when none is waiting. */
gboolean     dl_site_claim     (DlSite      *self,
                                const char  *login,
                                guint        lease_seconds,
                                char       **case_id,
                                GError     **error);
/* Claims the case @case_id (waiting or returned, and held by nobody, by
 * this login, or by a lease that ran out) for @lease_seconds. */
gboolean     dl_site_claim_case (DlSite     *self,
                                 const char *case_id,
                                 guint       lease_seconds,
                                 GError    **error);
gboolean     dl_site_renew     (DlSite      *self,
                                const char  *case_id,
                                guint        lease_seconds,
                                GError     **error);
gboolean     dl_site_release   (DlSite      *self,
                                const char  *case_id,
                                GError     **error);
/* The supervisors' queue: the site's cases awaiting review and returned
 * ones, oldest first (DlSiteQueueItem). */
GPtrArray   *dl_site_list_queue (DlSite     *self,
                                 GError    **error);

/* Writes: each row with its signed audit event, in one transaction.
 * They return the new row's id. */
char        *dl_site_new_case    (DlSite      *self,
                                  const char  *title,
                                  GError     **error);
/* The image (@bytes) stored once by its SHA-256; @path is where it was
 * read (kept, as the case file keeps it). */
char        *dl_site_add_scan    (DlSite      *self,
                                  const char  *case_id,
                                  const char  *path,
                                  GBytes      *bytes,
                                  GError     **error);
/* What `case add` adds (dl-site-add.c): the scan read from @path (its
 * canonical path kept, as the case file keeps it), with @manifest and
 * @bay_plan (each may be %NULL), to the case @case_id, or to a new case
 * titled @title when @case_id is %NULL (give exactly one of them): all in
 * one transaction, each row with its signed event.  Returns the case's id. */
char        *dl_site_add_case    (DlSite           *self,
                                  const char       *case_id,
                                  const char       *title,
                                  const char       *path,
                                  const DlManifest *manifest,
                                  const DlBayPlan  *bay_plan,
                                  GError          **error);
/* The findings @ids that detectors stored in @copy, a working copy of the
 * site's case (dl_site_export ()), added to the site as they are, each
 * with its signed event, in one transaction (`case detect URI`). */
gboolean     dl_site_add_findings (DlSite             *self,
                                   DlCaseFile         *copy,
                                   const char * const *ids,
                                   GError            **error);
/* `case finding`'s response (confirmed or dismissed; @note may be %NULL)
 * to the finding @finding_id, with its signed event. */
gboolean     dl_site_respond_to_finding (DlSite            *self,
                                         const char        *finding_id,
                                         DlFindingResponse  response,
                                         const char        *note,
                                         GError           **error);
/* @decision "clear", "inspect", "seize", "rescan"; @reasons ids of
 * dl_verdict_reason_ids () (may be %NULL). */
char        *dl_site_add_verdict (DlSite      *self,
                                  const char  *case_id,
                                  const char  *decision,
                                  const char * const *reasons,
                                  const char  *text,
                                  GError     **error);
/* @decision "approve" or "return", of the case's latest verdict. */
char        *dl_site_add_review  (DlSite      *self,
                                  const char  *case_id,
                                  const char  *decision,
                                  const char  *comment,
                                  GError     **error);

/* A verdict as a workstation records it (dl_site_record_verdict ()). */
typedef struct
{
  const char         *id;          /* chosen beforehand (dl_case_new_id ('V')) */
  const char         *case_id;
  const char         *decision;    /* "clear", "inspect", "seize", "rescan" */
  const char * const *reasons;     /* may be %NULL */
  const char         *text;        /* may be %NULL */
  const char         *seen_json;   /* what was on screen (dl-case-seen.h), or %NULL */
  const char         *hints_json;  /* the check's hints, or %NULL */
  const GPtrArray    *marks;       /* DlCaseMark it rests on, or %NULL */
} DlSiteVerdict;

/* The same, with the id the workstation chose beforehand, so that a write
 * sent again after a lost answer can be recognised (dl_site_has_record ());
 * with what was seen (in its event, as a case file's verdict event holds
 * it), the hints (a row unless the site has them already) and the marks
 * the site lacks (by id), in one transaction, each with its event. */
gboolean     dl_site_record_verdict (DlSite              *self,
                                     const DlSiteVerdict *verdict,
                                     GError             **error);
/* A review with the id chosen beforehand, and the marks the supervisor
 * added (DlCaseMark, may be %NULL; those the site lacks, by id). */
gboolean     dl_site_record_review  (DlSite             *self,
                                     const char         *id,
                                     const char         *case_id,
                                     const char         *decision,
                                     const char         *comment,
                                     const GPtrArray    *marks,
                                     GError            **error);
/* Whether the site holds a verdict or review of id @id. */
gboolean     dl_site_has_record     (DlSite             *self,
                                     const char         *id,
                                     gboolean           *found,
                                     GError            **error);

/* A change in the queue: the case it concerns. */
typedef void (*DlSiteWatchFunc) (DlSite     *site,
                                 const char *case_id,
                                 gpointer    user_data);

/* LISTEN doorlicht_queue on this connection; @func is called from the
 * thread-default main context for each notification, without polling
 * (the connection's socket is watched).  Returns the GSource id. */
guint        dl_site_watch     (DlSite          *self,
                                DlSiteWatchFunc  func,
                                gpointer         user_data,
                                GDestroyNotify   destroy,
                                GError         **error);

/* Stops dl_site_watch ()'s notifications (its @destroy is called). */
void         dl_site_unwatch   (DlSite          *self);

/* Whether the connection is up.  When the server closes a watched
 * connection, DlSite::disconnected is emitted. */
gboolean     dl_site_is_connected (DlSite       *self);
/* Connects again after the server or the network went away (nothing when
 * connected), the watch listening again on the new connection. */
gboolean     dl_site_reconnect (DlSite          *self,
                                GError         **error);

G_END_DECLS
