/* test-site-queue.c — claims with a lease, the queue, notifications in a
 * main loop, and the audit events the writes append (checked as the case
 * file's are: hashes recomputed, signatures verified).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dl-case-private.h"
#include "dl-case-queue.h"
#include "dl-hash.h"
#include "dl-site.h"
#include "site-people.h"

static char *ana, *ana2, *sup;

/* Every case waiting now is taken by someone else (each test starts
 * from a queue of its own cases). */
static void
hold_all_waiting (void)
{
  site_fixture_sql ("UPDATE doorlicht.queue SET claimed_by = 'elsewhere', lease_until = now () + interval '1 day' "
             "WHERE state IN ('waiting', 'returned') AND (claimed_by IS NULL OR lease_until < now ())");
}

static char *
claim (DlSite *site)
{
  g_autoptr(GError) error = NULL;
  char *case_id = NULL;

  g_assert_true (dl_site_claim (site, NULL, 600, &case_id, &error));
  g_assert_no_error (error);
  return case_id;
}

static void
test_claim_lease (void)
{
  g_autoptr(DlSite) a = NULL, b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL, *second = NULL, *got = NULL, *again = NULL, *none = NULL;

  if (!site_fixture_have_cluster ())
    return;
  hold_all_waiting ();
  a = site_people_open (ana);
  b = site_people_open (ana2);
  first = dl_site_new_case (a, "first", &error);
  second = dl_site_new_case (a, "second", &error);
  g_assert_no_error (error);

  /* oldest first, each to one claimer */
  got = claim (a);
  g_assert_cmpstr (got, ==, first);
  again = claim (b);
  g_assert_cmpstr (again, ==, second);
  none = claim (b);
  g_assert_null (none);

  /* b's lease runs out: the case is claimable again, and b's renewal fails */
  site_fixture_sql ("UPDATE doorlicht.queue SET lease_until = now () - interval '1 second' WHERE claimed_by IS NOT NULL "
             "AND claimed_by <> 'elsewhere'");
  g_clear_pointer (&got, g_free);
  got = claim (a);
  g_assert_true (g_strcmp0 (got, first) == 0 || g_strcmp0 (got, second) == 0);
  g_assert_false (dl_site_renew (b, second, 600, &error));
  g_assert_error (error, DL_SITE_ERROR, DL_SITE_ERROR_NOT_CLAIMED);
  g_clear_error (&error);

  /* one's own claim renewed and released; another's not released */
  g_assert_true (dl_site_renew (a, got, 600, &error));
  g_assert_false (dl_site_release (b, got, &error));
  g_assert_error (error, DL_SITE_ERROR, DL_SITE_ERROR_NOT_CLAIMED);
  g_clear_error (&error);
  g_assert_true (dl_site_release (a, got, &error));
  g_assert_no_error (error);
  g_free (again);
  again = claim (b);
  g_assert_cmpstr (again, ==, got);

  g_assert_false (dl_site_claim (a, NULL, 0, &none, &error));
  g_assert_error (error, DL_SITE_ERROR, DL_SITE_ERROR_INVALID);
}

static gboolean
in_queue (GPtrArray  *items,
          const char *case_id,
          const char *state)
{
  for (guint i = 0; i < items->len; i++)
    {
      DlSiteQueueItem *item = g_ptr_array_index (items, i);

      if (strcmp (item->case_id, case_id) == 0)
        return strcmp (item->state, state) == 0;
    }
  return FALSE;
}

static void
test_verdict_ends_claim (void)
{
  g_autoptr(DlSite) a = NULL, s = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) queue = NULL;
  g_autofree char *case_id = NULL, *got = NULL, *verdict = NULL, *review = NULL, *back = NULL;
  const char * const reasons[] = { "density-anomaly", NULL };

  if (!site_fixture_have_cluster ())
    return;
  hold_all_waiting ();
  a = site_people_open (ana);
  s = site_people_open (sup);
  case_id = dl_site_new_case (a, "to decide", &error);
  got = claim (a);
  g_assert_cmpstr (got, ==, case_id);
  verdict = dl_site_add_verdict (a, case_id, "inspect", reasons, "dense block", &error);
  g_assert_no_error (error);
  /* the claim ended: the lease is gone, the case awaits review */
  g_assert_false (dl_site_release (a, case_id, &error));
  g_clear_error (&error);
  queue = dl_site_list_queue (s, &error);
  g_assert_no_error (error);
  g_assert_true (in_queue (queue, case_id, "review"));
  g_assert_null (dl_site_add_verdict (a, case_id, "clear", NULL, NULL, &error));
  g_assert_error (error, DL_SITE_ERROR, DL_SITE_ERROR_NOT_CLAIMED);
  g_clear_error (&error);
  g_assert_null (dl_site_add_verdict (a, case_id, "maybe", NULL, NULL, &error));
  g_assert_error (error, DL_SITE_ERROR, DL_SITE_ERROR_INVALID);
  g_clear_error (&error);

  /* returned: back in the supervisors' list and claimable again */
  review = dl_site_add_review (s, case_id, "return", "the doors", &error);
  g_assert_no_error (error);
  g_clear_pointer (&queue, g_ptr_array_unref);
  queue = dl_site_list_queue (s, &error);
  g_assert_true (in_queue (queue, case_id, "returned"));
  back = claim (a);
  g_assert_cmpstr (back, ==, case_id);
}

typedef struct
{
  GMainLoop *loop;
  GPtrArray *seen;
  const char *waiting_for;
} WatchState;

static void
on_queue_changed (DlSite     *site,
                  const char *case_id,
                  gpointer    data)
{
  WatchState *state = data;

  g_ptr_array_add (state->seen, g_strdup (case_id));
  if (g_strcmp0 (case_id, state->waiting_for) == 0)
    g_main_loop_quit (state->loop);
}

static gboolean
on_too_long (gpointer data)
{
  g_error ("no notification came (waited for %s)", ((WatchState *) data)->waiting_for);
  return G_SOURCE_REMOVE;
}

static void
test_watch (void)
{
  g_autoptr(DlSite) watcher = NULL, writer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *case_id = NULL, *got = NULL, *verdict = NULL;
  WatchState state = { loop, seen, NULL };
  guint guard;

  if (!site_fixture_have_cluster ())
    return;
  hold_all_waiting ();
  watcher = site_people_open (sup);
  writer = site_people_open (ana);
  g_assert_cmpuint (dl_site_watch (watcher, on_queue_changed, &state, NULL, &error), >, 0);
  g_assert_no_error (error);
  /* a hang guard, not a measure */
  guard = g_timeout_add_seconds (60, on_too_long, &state);

  case_id = dl_site_new_case (writer, "watched", &error);
  state.waiting_for = case_id;
  g_main_loop_run (loop);
  g_assert_cmpuint (seen->len, ==, 1);
  got = claim (writer);
  g_assert_cmpstr (got, ==, case_id);
  verdict = dl_site_add_verdict (writer, case_id, "clear", NULL, NULL, &error);
  g_assert_no_error (error);
  /* the claim and the verdict: two more */
  while (seen->len < 3)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < seen->len; i++)
    g_assert_cmpstr (g_ptr_array_index (seen, i), ==, case_id);
  g_source_remove (guard);
}

/* A chosen case claimed: only when waiting and nobody else holds it. */
static void
test_claim_case (void)
{
  g_autoptr(DlSite) a = NULL, b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *case_id = NULL, *verdict = NULL;

  if (!site_fixture_have_cluster ())
    return;
  a = site_people_open (ana);
  b = site_people_open (ana2);
  case_id = dl_site_new_case (a, "chosen", &error);
  g_assert_no_error (error);
  g_assert_true (dl_site_claim_case (a, case_id, 600, &error));
  g_assert_no_error (error);
  /* again by its holder: the lease renewed */
  g_assert_true (dl_site_claim_case (a, case_id, 600, &error));
  g_assert_false (dl_site_claim_case (b, case_id, 600, &error));
  g_assert_error (error, DL_SITE_ERROR, DL_SITE_ERROR_NOT_CLAIMED);
  g_assert_nonnull (strstr (error->message, ana));
  g_clear_error (&error);
  verdict = dl_site_add_verdict (a, case_id, "clear", NULL, NULL, &error);
  g_assert_no_error (error);
  /* decided: in review, no longer claimable */
  g_assert_false (dl_site_claim_case (b, case_id, 600, &error));
  g_assert_error (error, DL_SITE_ERROR, DL_SITE_ERROR_NOT_CLAIMED);
  g_clear_error (&error);
  g_assert_false (dl_site_claim_case (b, "no-such-case", 600, &error));
  g_assert_error (error, DL_SITE_ERROR, DL_SITE_ERROR_NOT_FOUND);
}

static int
queue_row (DlCaseQueue *queue,
           const char  *case_id,
           DlCaseState *state)
{
  int at = dl_case_queue_find (queue, case_id);

  if (at >= 0)
    {
      g_autoptr(DlCaseItem) item = g_list_model_get_item (G_LIST_MODEL (queue), at);
      *state = dl_case_item_get_summary (item)->state;
    }
  return at;
}

/* The app's queue on a site: another workstation's new case and verdict
 * show in it by notification, without asking, the row keeping its place. */
static void
test_case_queue (void)
{
  g_autoptr(DlSite) watcher = NULL, writer = NULL;
  g_autoptr(DlCaseQueue) queue = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *case_id = NULL, *verdict = NULL;
  DlCaseState state = DL_CASE_STATE_NEW;
  gint64 start;
  int at;

  if (!site_fixture_have_cluster ())
    return;
  watcher = site_people_open (sup);
  writer = site_people_open (ana);
  queue = dl_case_queue_new_for_site (watcher, &error);
  g_assert_no_error (error);
  g_assert_true (dl_case_queue_get_site (queue) == watcher);
  g_assert_null (dl_case_queue_get_case_file (queue));
  case_id = dl_site_new_case (writer, "seen from afar", &error);
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  while (queue_row (queue, case_id, &state) < 0 && g_get_monotonic_time () - start < 30 * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, TRUE);
  at = queue_row (queue, case_id, &state);
  g_assert_cmpint (at, >=, 0);
  g_assert_cmpint (state, ==, DL_CASE_STATE_NEW);
  g_test_message ("a new case listed %" G_GINT64_FORMAT " ms after it was made",
                  (g_get_monotonic_time () - start) / 1000);

  verdict = dl_site_add_verdict (writer, case_id, "clear", NULL, NULL, &error);
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  while ((queue_row (queue, case_id, &state), state == DL_CASE_STATE_NEW)
         && g_get_monotonic_time () - start < 30 * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (state, ==, DL_CASE_STATE_AWAITING_REVIEW);
  g_assert_cmpint (queue_row (queue, case_id, &state), ==, at);
}

/* The server drops the connection: the watcher is told, connects again,
 * and hears the next change. */
static void
test_reconnect (void)
{
  g_autoptr(DlSite) watcher = NULL, writer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *kill_sql = NULL, *case_id = NULL;
  WatchState state = { loop, seen, NULL };
  gboolean lost = FALSE;
  guint guard;

  if (!site_fixture_have_cluster ())
    return;
  watcher = site_people_open (sup);
  writer = site_people_open (ana);
  g_assert_cmpuint (dl_site_watch (watcher, on_queue_changed, &state, NULL, &error), >, 0);
  g_signal_connect_swapped (watcher, "disconnected", G_CALLBACK (g_main_loop_quit), loop);
  guard = g_timeout_add_seconds (60, on_too_long, &state);
  kill_sql = g_strdup_printf ("SELECT pg_terminate_backend (pid) FROM pg_stat_activity WHERE usename = '%s'", sup);
  {
    PGconn *conn = site_fixture_connect (NULL);
    PQclear (PQexec (conn, kill_sql));
    PQfinish (conn);
  }
  g_main_loop_run (loop);
  lost = !dl_site_is_connected (watcher);
  g_assert_true (lost);
  g_assert_true (dl_site_reconnect (watcher, &error));
  g_assert_no_error (error);
  g_assert_true (dl_site_is_connected (watcher));
  case_id = dl_site_new_case (writer, "after the drop", &error);
  g_assert_no_error (error);
  state.waiting_for = case_id;
  g_main_loop_run (loop);
  g_assert_cmpstr (g_ptr_array_index (seen, seen->len - 1), ==, case_id);
  g_source_remove (guard);
}

/* Every event as the case file's verify checks it. */
static void
test_events (void)
{
  g_autoptr(DlSite) a = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) image = g_bytes_new_static ("not really a TIFF\0\x01\x02", 20);
  g_autofree char *case_id = NULL, *scan = NULL, *scan2 = NULL;
  g_autofree char *prev = g_strdup ("0000000000000000000000000000000000000000000000000000000000000000");
  PGconn *conn;
  PGresult *res;

  if (!site_fixture_have_cluster ())
    return;
  a = site_people_open (ana);
  case_id = dl_site_new_case (a, "Zeecontainer “ÆØÅ” ✓", &error);
  scan = dl_site_add_scan (a, case_id, "/scans/a.tiff", image, &error);
  scan2 = dl_site_add_scan (a, case_id, "/scans/copy-of-a.tiff", image, &error);
  g_assert_no_error (error);
  g_assert_null (dl_site_add_scan (a, "C-nosuchcase", "/scans/b.tiff", image, &error));
  g_assert_error (error, DL_SITE_ERROR, DL_SITE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  conn = site_fixture_connect (NULL);
  res = PQexec (conn, "SELECT count (*) FROM doorlicht.images");
  g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "1");
  PQclear (res);
  res = PQexec (conn, "SELECT seq, id, time, author_login, author_name, author_key, kind, case_id, payload, "
                      "content_hash, signature, prev_hash, hash, appender_key, chain_signature "
                      "FROM doorlicht.events ORDER BY seq");
  g_assert_cmpint (PQntuples (res), >=, 3);
  for (int r = 0; r < PQntuples (res); r++)
    {
      DlCaseEventContent e = {
        .id = PQgetvalue (res, r, 1), .time = g_ascii_strtoll (PQgetvalue (res, r, 2), NULL, 10),
        .login = PQgetvalue (res, r, 3), .name = PQgetvalue (res, r, 4), .key = PQgetvalue (res, r, 5),
        .kind = PQgetvalue (res, r, 6), .case_id = PQgetisnull (res, r, 7) ? NULL : PQgetvalue (res, r, 7),
        .payload = PQgetvalue (res, r, 8),
      };
      g_autofree char *content = dl_case_event_content_hash (&e);
      g_autofree char *chain = dl_case_chain_hash (g_ascii_strtoll (PQgetvalue (res, r, 0), NULL, 10), content,
                                                   PQgetvalue (res, r, 10), prev, PQgetvalue (res, r, 13));

      g_assert_cmpstr (content, ==, PQgetvalue (res, r, 9));
      g_assert_cmpstr (prev, ==, PQgetvalue (res, r, 11));
      g_assert_cmpstr (chain, ==, PQgetvalue (res, r, 12));
      g_assert_true (dl_identity_verify (e.key, content, strlen (content), PQgetvalue (res, r, 10), &error));
      g_assert_true (dl_identity_verify (PQgetvalue (res, r, 13), chain, strlen (chain), PQgetvalue (res, r, 14),
                                         &error));
      g_assert_no_error (error);
      g_free (prev);
      prev = g_strdup (chain);
    }
  PQclear (res);

  /* the scan's event records its row as the case file's does */
  {
    const char *params[] = { scan };
    g_autofree char *expected = NULL, *sha = NULL;

    res = PQexecParams (conn, "SELECT e.payload, s.created, s.author_key FROM doorlicht.events e JOIN "
                              "doorlicht.scans s ON s.id = $1 WHERE e.kind = 'scan' AND e.payload LIKE '%' || $1 || '%'",
                        1, NULL, params, NULL, NULL, 0);
    g_assert_cmpint (PQntuples (res), ==, 1);
    sha = dl_sha256_hex (g_bytes_get_data (image, NULL), g_bytes_get_size (image));
    expected = g_strdup_printf ("{\"table\":\"scans\",\"row\":{\"id\":\"%s\",\"case_id\":\"%s\",\"path\":"
                                "\"/scans/a.tiff\",\"size\":20,\"sha256\":\"%s\",\"created\":%s,\"author_login\":"
                                "\"%s\",\"author_name\":\"%s\",\"author_key\":\"%s\"}}",
                                scan, case_id, sha, PQgetvalue (res, 0, 1), ana, ana, PQgetvalue (res, 0, 2));
    g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, expected);
    PQclear (res);
  }
  PQfinish (conn);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  site_fixture_setup ("test_site_queue");
  if (site_fixture.host)
    {
      ana = site_fixture_name ("qana");
      ana2 = site_fixture_name ("qana2");
      sup = site_fixture_name ("qsup");
      site_people_grant (ana, DL_SITE_ROLE_ANALYST);
      site_people_grant (ana2, DL_SITE_ROLE_ANALYST);
      site_people_grant (sup, DL_SITE_ROLE_SUPERVISOR);
    }
  g_test_add_func ("/site-queue/claim-lease", test_claim_lease);
  g_test_add_func ("/site-queue/verdict-ends-claim", test_verdict_ends_claim);
  g_test_add_func ("/site-queue/watch", test_watch);
  g_test_add_func ("/site-queue/claim-case", test_claim_case);
  g_test_add_func ("/site-queue/case-queue", test_case_queue);
  g_test_add_func ("/site-queue/reconnect", test_reconnect);
  g_test_add_func ("/site-queue/events", test_events);
  status = g_test_run ();
  site_fixture_teardown ();
  return status;
}
