/* dl-case-file.h — the case file: one SQLite file holding a set of cases,
 * their scans, manifests, annotations, verdicts and reviews, and an audit
 * trail of signed, hash-chained events that covers every row.
 *
 * Nothing is changed in place: a new verdict supersedes the earlier one, a
 * review answers one verdict, and every change appends an event whose
 * payload holds the row it made, signed by its author's Ed25519 key
 * (DlIdentity).  dl_case_file_verify () recomputes the chain, compares the
 * data rows with the events, checks the scans' hashes and the signatures.
 *
 * Three ways to open: dl_case_file_create () a new file, dl_case_file_open ()
 * one's own file for writing (WAL while open, older versions migrated; on
 * close it is checkpointed back to one plain file), and
 * dl_case_file_open_untrusted () a file from elsewhere, read-only and with
 * SQLite hardened (integrity, application id, version and schema checked
 * before anything is read).
 *
 * Case ids are short stable strings ("C-3f9a1c02b7de"); every row has one
 * such id, so import merges without duplicating.  Times are seconds since
 * the epoch, UTC.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "dl-annotation.h"
#include "dl-identity.h"
#include "dl-baplie.h"
#include "dl-finding.h"
#include "dl-manifest.h"
#include "dl-scan.h"

G_BEGIN_DECLS

#define DL_CASE_FILE_ERROR (dl_case_file_error_quark ())

typedef enum
{
  DL_CASE_FILE_ERROR_NOT_OURS,    /* not a SQLite file, or another application's */
  DL_CASE_FILE_ERROR_TOO_NEW,     /* made by a newer Doorlicht */
  DL_CASE_FILE_ERROR_CORRUPT,     /* fails SQLite's integrity check */
  DL_CASE_FILE_ERROR_HOSTILE,     /* unexpected schema objects, oversized values */
  DL_CASE_FILE_ERROR_READ_ONLY,   /* a change to a file opened read-only */
  DL_CASE_FILE_ERROR_NOT_FOUND,   /* no such case, verdict or scan */
  DL_CASE_FILE_ERROR_FOUR_EYES,   /* a review of one's own verdict */
  DL_CASE_FILE_ERROR_INVALID,     /* a bad argument: empty title, unknown reason … */
  DL_CASE_FILE_ERROR_SIGNATURE,   /* an export's signature does not verify */
  DL_CASE_FILE_ERROR_EXISTS,      /* create over an existing file */
  DL_CASE_FILE_ERROR_FAILED,      /* SQLite or input/output */
  DL_CASE_FILE_ERROR_BUSY,        /* another program held the file locked past the wait */
  DL_CASE_FILE_ERROR_UNFINISHED,  /* left mid-write; to be opened for writing once to recover */
  DL_CASE_FILE_ERROR_FULL,        /* the disk holding the file is full; the change was not made */
} DlCaseFileError;

GQuark dl_case_file_error_quark (void);

/* The schema this build writes; files of versions 1 … this are read
 * (older ones migrated when opened for writing). */
#define DL_CASE_FILE_VERSION 6
/* The largest manifest (as JSON) a case holds, in bytes. */
#define DL_CASE_FILE_MAX_MANIFEST (4 * 1024 * 1024)
/* PRAGMA application_id: 'DLCF' */
#define DL_CASE_FILE_APPLICATION_ID 0x444c4346

typedef enum
{
  DL_DECISION_NONE,
  DL_DECISION_CLEAR,      /* "clear" */
  DL_DECISION_INSPECT,    /* "inspect": physical inspection */
  DL_DECISION_SEIZE,      /* "seize" */
  DL_DECISION_RESCAN,     /* "rescan": inconclusive, scan again */
  DL_N_DECISIONS
} DlDecision;

typedef enum
{
  DL_REVIEW_NONE,
  DL_REVIEW_APPROVE,      /* "approve" */
  DL_REVIEW_RETURN,       /* "return" */
} DlReviewDecision;

/* Where a case stands in the queue. */
typedef enum
{
  DL_CASE_STATE_NEW,              /* no verdict yet */
  DL_CASE_STATE_AWAITING_REVIEW,  /* the latest verdict has no review */
  DL_CASE_STATE_APPROVED,
  DL_CASE_STATE_RETURNED,
} DlCaseState;

const char  *dl_decision_to_id            (DlDecision        decision);
DlDecision   dl_decision_from_id          (const char       *id);
const char  *dl_decision_get_label        (DlDecision        decision);  /* translated */
const char  *dl_review_decision_to_id     (DlReviewDecision  decision);
DlReviewDecision dl_review_decision_from_id (const char     *id);
const char  *dl_review_decision_get_label (DlReviewDecision  decision);  /* translated */
const char  *dl_case_state_get_label      (DlCaseState       state);     /* translated */

/* The fixed list of verdict reasons: ids ("density-anomaly", …), %NULL-ended. */
const char * const *dl_verdict_reason_ids (void);
/* Translated label of a reason id, or %NULL when the id is not on the list. */
const char  *dl_verdict_reason_get_label  (const char       *id);

/* Who wrote a row. */
typedef struct
{
  char *login;
  char *name;          /* display name */
  char *fingerprint;   /* of the author's public key */
} DlAuthor;

typedef struct
{
  char        *id;
  char        *title;             /* container number or other short title */
  gint64       created;
  gint64       updated;           /* the latest change to the case */
  DlAuthor     author;            /* who opened the case */
  DlDecision   verdict;           /* the latest verdict, or NONE */
  char        *verdict_id;
  DlAuthor     verdict_author;    /* fields %NULL without a verdict */
  DlCaseState  state;
  guint        n_scans;
  char        *first_scan_id;     /* the case's first scan (its thumbnail), or %NULL */
} DlCaseSummary;

typedef struct
{
  char     *id;
  char     *case_id;
  char     *path;        /* as given when added */
  guint64   size;
  char     *sha256;      /* lower-case hex */
  gboolean  embedded;    /* the image is held in the case file */
  gint64    created;
  DlAuthor  author;
} DlCaseScan;

typedef struct
{
  char       *id;
  char       *case_id;
  DlDecision  decision;
  GStrv       reasons;     /* reason ids, never %NULL */
  char       *text;        /* free text, never %NULL */
  char       *supersedes;  /* the verdict this one replaces, or %NULL */
  gint64      created;
  DlAuthor    author;
} DlVerdict;

typedef struct
{
  char             *id;
  char             *verdict_id;
  DlReviewDecision  decision;
  char             *comment;   /* never %NULL */
  gint64            created;
  DlAuthor          author;
} DlReview;

typedef struct
{
  gint64    seq;         /* position in the chain, from 1 */
  char     *id;
  gint64    time;
  char     *kind;        /* "case", "scan", "manifest", "annotation", "annotation-removed",
                          * "verdict", "review", "hints", "bay-plan", "finding",
                          * "finding-response", "profile-choice", "migrate", "import",
                          * "export" */
  char     *case_id;     /* or %NULL */
  char     *payload;     /* canonical JSON */
  char     *hash;        /* hex, chained */
  DlAuthor  author;
} DlCaseEvent;

void dl_case_summary_free (DlCaseSummary *summary);
void dl_case_scan_free    (DlCaseScan    *scan);
void dl_verdict_free      (DlVerdict     *verdict);
void dl_review_free       (DlReview      *review);
void dl_case_event_free   (DlCaseEvent   *event);

typedef enum
{
  DL_CASE_FILTER_ALL,
  DL_CASE_FILTER_NEW,
  DL_CASE_FILTER_MINE,              /* latest verdict by the file's identity (or opened by it, when new) */
  DL_CASE_FILTER_AWAITING_REVIEW,
  DL_CASE_FILTER_RETURNED,
  DL_CASE_FILTER_APPROVED,
} DlCaseFilter;

typedef enum
{
  DL_CASE_SORT_UPDATED,
  DL_CASE_SORT_CREATED,
  DL_CASE_SORT_TITLE,
} DlCaseSort;

typedef struct
{
  DlCaseFilter  filter;
  const char   *search;      /* substring of the title or id, case-insensitive; %NULL: all */
  DlCaseSort    sort;
  gboolean      descending;
  const char   *mine_login;  /* for FILTER_MINE; %NULL: the file's identity */
} DlCaseQuery;

/* The result of dl_case_file_verify (). */
typedef enum
{
  DL_VERIFY_CHAIN,       /* an event changed, deleted, inserted or reordered */
  DL_VERIFY_ROW,         /* a data row that no event made, or that differs from it */
  DL_VERIFY_SCAN,        /* an image that does not match its SHA-256 */
  DL_VERIFY_SIGNATURE,   /* an event's or the export's signature */
  DL_VERIFY_THUMBNAIL,   /* a cached thumbnail not made from its scan's recorded image */
} DlVerifyKind;

typedef struct
{
  DlVerifyKind  kind;
  gint64        seq;       /* the event concerned, or 0 */
  char         *table;     /* the table concerned, or %NULL */
  char         *row_id;    /* the row concerned, or %NULL */
  char         *message;   /* translated, exact: what differs */
} DlVerifyProblem;

typedef struct
{
  GPtrArray *problems;       /* DlVerifyProblem, empty when all is well */
  guint      n_events;
  guint      n_rows;
  guint      n_scans_checked;  /* images hashed (embedded or on disk) */
  char      *chain_head;     /* hash of the last event, or %NULL */
  /* An export's signature, when the file is one. */
  gboolean   exported;
  gboolean   export_valid;
  DlAuthor   export_signer;
  gint64     export_time;
} DlVerifyReport;

void dl_verify_report_free (DlVerifyReport *report);

#define DL_TYPE_CASE_FILE (dl_case_file_get_type ())
G_DECLARE_FINAL_TYPE (DlCaseFile, dl_case_file, DL, CASE_FILE, GObject)

/* Signals: "changed" (const char *case_id, or %NULL for many) after every
 * committed change made through this object; "damaged" (const char
 * *message) once, when a check of dl_case_file_open_checking () fails
 * (the first to find the damage says it), in the main context that opened
 * the file. */

DlCaseFile     *dl_case_file_create          (const char        *path,
                                              DlIdentity        *identity,
                                              GError           **error);
DlCaseFile     *dl_case_file_open            (const char        *path,
                                              DlIdentity        *identity,
                                              GError           **error);
DlCaseFile     *dl_case_file_open_untrusted  (const char        *path,
                                              GError           **error);
/* As dl_case_file_open (), but SQLite's quick check of the whole file runs
 * on a connection of its own in another thread while the file is read;
 * nothing is changed before it passed (a change waits for it and fails
 * with DL_CASE_FILE_ERROR_CORRUPT when it did not).  Beside it, on a
 * read-only connection of its own, dl_case_file_verify () checks the audit
 * chain, the rows and the signatures; "damaged" says what failed (changes
 * are not refused for that: the window stops offering them). */
DlCaseFile     *dl_case_file_open_checking   (const char        *path,
                                              DlIdentity        *identity,
                                              GError           **error);
/* A second connection to @self's file, for another thread (a connection
 * is never shared between threads): read-only and checked in full when
 * @self is read-only; else with @self's identity, the schema checked but
 * not SQLite's check of the whole file again (done when @self was opened,
 * or running beside it).  For caches: the queue's thumbnails. */
DlCaseFile     *dl_case_file_open_again      (DlCaseFile        *self,
                                              GError           **error);
/* Long work on the file (verify, export, import, the verdict list, a
 * report) reports how far it is through @progress (0…1, from the thread
 * doing the work, at most a few hundred times) and stops soon after
 * @cancellable is cancelled, failing with G_IO_ERROR_CANCELLED and leaving
 * nothing half done: no partial export, no part of an import.  %NULL for
 * both ends it. */
void            dl_case_file_set_monitor     (DlCaseFile        *self,
                                              GCancellable      *cancellable,
                                              DlProgressFunc     progress,
                                              gpointer           user_data);
/* Waits for that check; %TRUE at once for files opened otherwise. */
gboolean        dl_case_file_wait_checked    (DlCaseFile        *self,
                                              GError           **error);
/* Makes the changes until dl_case_file_commit () one transaction: all of
 * them are saved, or (dl_case_file_rollback (), a failed commit, a crash)
 * none.  Takes the file's write lock at once, waiting for another writer
 * for the busy timeout (then DL_CASE_FILE_ERROR_BUSY).  "changed" is
 * emitted once, after the commit.  Nests: only the outermost commits. */
gboolean        dl_case_file_begin           (DlCaseFile        *self,
                                              GError           **error);
gboolean        dl_case_file_commit          (DlCaseFile        *self,
                                              GError           **error);
void            dl_case_file_rollback        (DlCaseFile        *self);
/* Copies what the write-ahead log holds into the file itself and empties
 * the log (TRUNCATE), leaving the file open: a copy of the .dlcase alone
 * then carries every change.  For an idle minute; %TRUE for read-only files. */
gboolean        dl_case_file_checkpoint      (DlCaseFile        *self,
                                              GError           **error);
/* Waits for the check of the audit chain that dl_case_file_open_checking ()
 * started beside the work; its "damaged", if any, is then due in the main
 * context the file was opened in. */
void            dl_case_file_wait_chain_checked (DlCaseFile     *self);
/* Checkpoints and leaves one plain file (journal_mode DELETE); done on
 * finalize too, but without a way to report failure.  Every committed
 * change is saved either way: when the log cannot be folded back in (a
 * full disk, an I/O error), DL_CASE_FILE_ERROR_UNFINISHED says so. */
gboolean        dl_case_file_close           (DlCaseFile        *self,
                                              GError           **error);

const char     *dl_case_file_get_path        (DlCaseFile        *self);
gboolean        dl_case_file_is_read_only    (DlCaseFile        *self);
DlIdentity     *dl_case_file_get_identity    (DlCaseFile        *self);  /* or %NULL */
/* The schema version the file had when opened (before any migration). */
guint           dl_case_file_get_opened_version (DlCaseFile     *self);

/* Cases: a GPtrArray of DlCaseSummary (owning them). */
GPtrArray      *dl_case_file_list_cases      (DlCaseFile        *self,
                                              const DlCaseQuery *query,
                                              GError           **error);
DlCaseSummary  *dl_case_file_get_case        (DlCaseFile        *self,
                                              const char        *case_id,
                                              GError           **error);
/* Returns the new case's id. */
char           *dl_case_file_new_case        (DlCaseFile        *self,
                                              const char        *title,
                                              GError           **error);

/* Reads @path, records its size and SHA-256 and, when @embed, the bytes.
 * Returns the scan id. */
char           *dl_case_file_add_scan        (DlCaseFile        *self,
                                              const char        *case_id,
                                              const char        *path,
                                              gboolean           embed,
                                              GError           **error);
GPtrArray      *dl_case_file_get_scans       (DlCaseFile        *self,   /* DlCaseScan */
                                              const char        *case_id,
                                              GError           **error);
/* The embedded image; %NULL without error when not embedded. */
GBytes         *dl_case_file_get_scan_image  (DlCaseFile        *self,
                                              const char        *scan_id,
                                              GError           **error);

/* Thumbnails: a cache of derived images (no audit events), each PNG at
 * most DL_THUMBNAIL_MAX_WIDTH × DL_THUMBNAIL_MAX_HEIGHT, the whole first
 * view in the automatic window, kept with the SHA-256 of the image it was
 * made from.  dl_case_file_get_thumbnail () returns the cached PNG only
 * when that SHA-256 is the scan's recorded one (and the PNG's header
 * states the stored size within the limits); %NULL without error when
 * there is none, or it is stale.  @width and @height may be %NULL. */
#define DL_THUMBNAIL_MAX_WIDTH  128
#define DL_THUMBNAIL_MAX_HEIGHT 48

GBytes         *dl_case_file_get_thumbnail   (DlCaseFile        *self,
                                              const char        *scan_id,
                                              guint             *width,
                                              guint             *height,
                                              GError           **error);
/* Decodes the scan (embedded, or from its path), checks it against its
 * recorded SHA-256, renders the thumbnail and stores it (replacing any
 * earlier one) unless the file is read-only.  Returns the PNG.  Slow: call
 * it from a worker thread, on a connection of that thread's own. */
GBytes         *dl_case_file_make_thumbnail  (DlCaseFile        *self,
                                              const char        *scan_id,
                                              GError           **error);
/* Ids of the scans without a current thumbnail, oldest first. */
GStrv           dl_case_file_list_missing_thumbnails (DlCaseFile *self,
                                                      GError    **error);

/* The latest manifest recorded for the case replaces earlier ones. */
gboolean        dl_case_file_set_manifest    (DlCaseFile        *self,
                                              const char        *case_id,
                                              const DlManifest  *manifest,
                                              GError           **error);
/* %NULL without error when the case has none. */
DlManifest     *dl_case_file_get_manifest    (DlCaseFile        *self,
                                              const char        *case_id,
                                              GError           **error);

/* The bay plan's entry of the case's container (dl_bay_plan_extract ()),
 * stored as its JSON form; the latest replaces earlier ones. */
gboolean        dl_case_file_set_bay_plan    (DlCaseFile        *self,
                                              const char        *case_id,
                                              const DlBayPlan   *plan,
                                              GError           **error);
/* %NULL without error when the case has none (or the file, read as it
 * is, is of a version before bay plans). */
DlBayPlan      *dl_case_file_get_bay_plan    (DlCaseFile        *self,
                                              const char        *case_id,
                                              GError           **error);

/* -- findings (dl-case-findings.c) -- */

typedef enum
{
  DL_FINDING_RESPONSE_NONE,
  DL_FINDING_RESPONSE_CONFIRMED,
  DL_FINDING_RESPONSE_DISMISSED,
} DlFindingResponse;

/* "confirmed", "dismissed" (NULL for NONE), and back (NONE for another word). */
const char       *dl_finding_response_to_string   (DlFindingResponse response);
DlFindingResponse dl_finding_response_from_string (const char       *text);

/* A stored finding with the latest response to it. */
typedef struct
{
  char              *id;
  char              *case_id;
  char              *scan_id;
  char              *run_id;          /* the findings stored together by one run */
  gint64             created;
  DlAuthor           author;          /* who ran the detectors */
  DlFinding         *finding;
  DlFindingResponse  response;        /* the latest, NONE when none */
  char              *response_note;   /* "" without a note, NULL without a response */
  gint64             response_time;
  DlAuthor           response_author; /* fields NULL without a response */
} DlCaseFinding;

void            dl_case_finding_free         (DlCaseFinding     *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlCaseFinding, dl_case_finding_free)

/* Stores @findings (DlFinding, each with its detector's name and version)
 * of one run of detectors over @scan_id, one audited row each, all or
 * none; returns their ids in order (an empty list for no findings). */
GStrv           dl_case_file_add_findings    (DlCaseFile        *self,
                                              const char        *scan_id,
                                              GPtrArray         *findings,
                                              GError           **error);
/* The case's findings (DlCaseFinding), oldest first, each with its latest
 * response; an empty list for a file, read as it is, of a version before
 * findings. */
GPtrArray      *dl_case_file_get_findings    (DlCaseFile        *self,
                                              const char        *case_id,
                                              GError           **error);
/* The analyst's response to a finding (@note NULL: none), an audited row;
 * earlier responses stay in the audit trail, the latest counts. */
gboolean        dl_case_file_respond_to_finding (DlCaseFile     *self,
                                                 const char     *finding_id,
                                                 DlFindingResponse response,
                                                 const char     *note,
                                                 GError        **error);

/* Makes the stored annotations of @scan_id equal to @annotations: marks
 * that are new or changed are added, those gone are removed (each an
 * event).  Author and time of stored marks are kept. */
gboolean        dl_case_file_set_annotations (DlCaseFile        *self,
                                              const char        *scan_id,
                                              DlAnnotations     *annotations,
                                              GError           **error);
DlAnnotations  *dl_case_file_get_annotations (DlCaseFile        *self,
                                              const char        *scan_id,
                                              GError           **error);

/* A mark's row as it is stored (dl_case_file_get_marks ()). */
typedef struct
{
  char *id;
  char *scan_id;
  char *geometry;   /* JSON, as stored */
  char *label;
} DlCaseMark;

void            dl_case_mark_free            (DlCaseMark        *mark);
/* The marks of every scan of @case_id, as stored (DlCaseMark), oldest first. */
GPtrArray      *dl_case_file_get_marks       (DlCaseFile        *self,
                                              const char        *case_id,
                                              GError           **error);

/* Records a verdict superseding the case's earlier ones; @reasons are ids
 * from dl_verdict_reason_ids () (may be %NULL), @text may be %NULL.
 * Returns the verdict id. */
char           *dl_case_file_add_verdict     (DlCaseFile        *self,
                                              const char        *case_id,
                                              DlDecision         decision,
                                              const char * const *reasons,
                                              const char        *text,
                                              GError           **error);
/* The latest verdict, %NULL without error when there is none. */
DlVerdict      *dl_case_file_get_verdict     (DlCaseFile        *self,
                                              const char        *case_id,
                                              GError           **error);
/* All verdicts, oldest first (DlVerdict). */
GPtrArray      *dl_case_file_get_verdicts    (DlCaseFile        *self,
                                              const char        *case_id,
                                              GError           **error);

/* Reviews the case's latest verdict; refused (FOUR_EYES) when the
 * reviewer's key or login wrote it, and when it was reviewed already.
 * Returns the review id. */
char           *dl_case_file_add_review      (DlCaseFile        *self,
                                              const char        *case_id,
                                              DlReviewDecision   decision,
                                              const char        *comment,
                                              GError           **error);
/* The review of @verdict_id, %NULL without error when none. */
DlReview       *dl_case_file_get_review      (DlCaseFile        *self,
                                              const char        *verdict_id,
                                              GError           **error);

/* A supervisor's choice of scanner profile for a case's scan (an audited
 * event, dl-case-profile-choice.c): refused (FOUR_EYES) unless the case
 * has a verdict recorded by someone else, whose review it is. */
typedef struct
{
  char     *event_id;
  char     *scan_id;
  char     *profile_id;
  char     *profile_name;   /* as the profile called itself when chosen */
  gint64    created;
  DlAuthor  author;
} DlProfileChoice;

void            dl_profile_choice_free       (DlProfileChoice   *choice);
gboolean        dl_case_file_choose_profile  (DlCaseFile        *self,
                                              const char        *scan_id,
                                              const char        *profile_id,
                                              const char        *profile_name,
                                              GError           **error);
/* The latest choice for @scan_id, %NULL without error when none. */
DlProfileChoice *dl_case_file_get_profile_choice (DlCaseFile    *self,
                                              const char        *scan_id,
                                              GError           **error);

/* Consistency hints (JSON text, opaque here); the latest replaces earlier. */
gboolean        dl_case_file_set_hints       (DlCaseFile        *self,
                                              const char        *case_id,
                                              const char        *json,
                                              GError           **error);
char           *dl_case_file_get_hints       (DlCaseFile        *self,
                                              const char        *case_id,
                                              GError           **error);

/* The audit trail, oldest first (DlCaseEvent); @case_id %NULL: all. */
GPtrArray      *dl_case_file_get_events      (DlCaseFile        *self,
                                              const char        *case_id,
                                              GError           **error);
/* Hash of the last event, %NULL when there is none. */
char           *dl_case_file_get_chain_head  (DlCaseFile        *self,
                                              GError           **error);

DlVerifyReport *dl_case_file_verify          (DlCaseFile        *self,
                                              GError           **error);
/* Verifies the file at @path (opened untrusted) and, when it is an export,
 * its signature over the exact bytes. */
DlVerifyReport *dl_case_file_verify_path     (const char        *path,
                                              GError           **error);

/* Writes @case_ids (%NULL-ended) with their rows, images (embedded) and
 * events to a new case file at @path, signed by the file's identity. */
gboolean        dl_case_file_export          (DlCaseFile        *self,
                                              const char * const *case_ids,
                                              const char        *path,
                                              GError           **error);
/* Merges the signed export at @path (refused unless its signature and
 * chain verify); rows already present are skipped.  @n_added (may be
 * %NULL) gets the number of new events. */
gboolean        dl_case_file_import          (DlCaseFile        *self,
                                              const char        *path,
                                              guint             *n_added,
                                              GError           **error);
/* The verdict list as CSV (RFC 4180, header row, ISO 8601 UTC times). */
gboolean        dl_case_file_write_csv       (DlCaseFile        *self,
                                              const char        *path,
                                              GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlCaseSummary, dl_case_summary_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlCaseScan, dl_case_scan_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlVerdict, dl_verdict_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlReview, dl_review_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlProfileChoice, dl_profile_choice_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlCaseEvent, dl_case_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlVerifyReport, dl_verify_report_free)

G_END_DECLS
