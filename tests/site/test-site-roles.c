/* test-site-roles.c — what the database itself refuses: each role's
 * connection (plain SQL through libpq, as a program other than Doorlicht
 * would send it) tries what it must not and what it may, and the SQLSTATE
 * is checked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "dl-case-private.h"
#include "dl-site.h"
#include "site-fixture.h"

static char *ana, *ana2, *sup, *aud, *keys_dir;

#define STATE_OK     "00000"
#define STATE_DENIED "42501"   /* insufficient_privilege */
#define STATE_CHECK  "23514"   /* check_violation */

static void
assert_state (PGconn     *conn,
              const char *expected,
              const char *format,
              ...) G_GNUC_PRINTF (3, 4);

static void
assert_state (PGconn     *conn,
              const char *expected,
              const char *format,
              ...)
{
  g_autofree char *sql = NULL, *state = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  state = site_fixture_sqlstate (conn, sql);
  if (g_strcmp0 (state, expected) != 0)
    g_error ("%s: SQLSTATE %s, not %s (%s)", sql, state, expected, PQerrorMessage (conn));
}

static DlIdentity *
identity_of (const char *login)
{
  g_autofree char *dir = g_build_filename (keys_dir, login, NULL);
  g_autoptr(GError) error = NULL;
  DlIdentity *identity = dl_identity_load_from_dir (dir, login, login, &error);

  g_assert_no_error (error);
  return identity;
}

static DlSite *
open_as (const char *login)
{
  g_autofree char *uri = site_fixture_conninfo (login, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlIdentity) identity = NULL;
  DlSite *site = dl_site_open (uri, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (dl_site_get_login (site), ==, login ? login : site_fixture.admin);
  identity = identity_of (login ? login : site_fixture.admin);
  dl_site_set_identity (site, identity);
  return site;
}

/* A case with a verdict by @login; returns the case id. */
static char *
case_with_verdict (const char *login)
{
  g_autoptr(DlSite) site = open_as (login);
  g_autoptr(GError) error = NULL;
  g_autofree char *verdict = NULL;
  char *case_id = dl_site_new_case (site, "MSCU 123456-7", &error);

  g_assert_no_error (error);
  verdict = dl_site_add_verdict (site, case_id, "inspect", NULL, "dense block behind the doors", &error);
  g_assert_no_error (error);
  return case_id;
}

static char *
latest_verdict (PGconn     *conn,
                const char *case_id)
{
  const char *params[] = { case_id };
  PGresult *res = PQexecParams (conn, "SELECT id FROM doorlicht.verdicts WHERE case_id = $1", 1, NULL, params,
                                NULL, NULL, 0);
  char *id;

  g_assert_cmpint (PQntuples (res), ==, 1);
  id = g_strdup (PQgetvalue (res, 0, 0));
  PQclear (res);
  return id;
}

static void
test_analyst (void)
{
  PGconn *conn;
  g_autofree char *case_id = NULL, *verdict = NULL;

  if (!site_fixture_have_cluster ())
    return;
  case_id = case_with_verdict (ana);
  conn = site_fixture_connect (ana2);
  verdict = latest_verdict (conn, case_id);
  /* no reviews, however the row is put */
  assert_state (conn, STATE_DENIED, "INSERT INTO doorlicht.reviews VALUES ('R-x', '%s', 'approve', '', 0, '%s', "
                "'n', 'k')", verdict, ana2);
  /* nothing in another person's name */
  assert_state (conn, STATE_DENIED, "INSERT INTO doorlicht.cases VALUES ('C-forged', 't', 0, '%s', 'n', 'k')", ana);
  assert_state (conn, STATE_OK, "INSERT INTO doorlicht.cases VALUES ('C-own-%s', 't', 0, '%s', 'n', 'k')",
                ana2, ana2);
  /* audited rows stay as they were written */
  assert_state (conn, STATE_DENIED, "UPDATE doorlicht.verdicts SET decision = 'clear' WHERE id = '%s'", verdict);
  assert_state (conn, STATE_DENIED, "DELETE FROM doorlicht.cases WHERE id = '%s'", case_id);
  assert_state (conn, STATE_DENIED, "UPDATE doorlicht.events SET kind = 'x'");
  assert_state (conn, STATE_DENIED, "DELETE FROM doorlicht.events");
  assert_state (conn, STATE_DENIED, "TRUNCATE doorlicht.events");
  assert_state (conn, STATE_DENIED, "UPDATE doorlicht.chain_head SET seq = 0");
  assert_state (conn, STATE_DENIED, "UPDATE doorlicht.queue SET state = 'done' WHERE case_id = '%s'", case_id);
  assert_state (conn, STATE_OK, "SELECT count (*) FROM doorlicht.events");
  PQfinish (conn);
}

static void
test_supervisor (void)
{
  PGconn *conn;
  g_autoptr(DlSite) site = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *theirs = NULL, *own = NULL, *own_verdict = NULL, *review = NULL;

  if (!site_fixture_have_cluster ())
    return;
  theirs = case_with_verdict (ana);
  own = case_with_verdict (sup);
  conn = site_fixture_connect (sup);
  own_verdict = latest_verdict (conn, own);
  /* four eyes: not one's own verdict, by any way in */
  assert_state (conn, STATE_CHECK, "INSERT INTO doorlicht.reviews VALUES ('R-own', '%s', 'approve', '', 0, '%s', "
                "'n', 'k')", own_verdict, sup);
  site = open_as (sup);
  g_assert_null (dl_site_add_review (site, own, "approve", NULL, &error));
  g_assert_error (error, DL_SITE_ERROR, DL_SITE_ERROR_FOUR_EYES);
  g_clear_error (&error);
  /* … another's, yes; and once only */
  review = dl_site_add_review (site, theirs, "return", "look at the doors again", &error);
  g_assert_no_error (error);
  g_assert_nonnull (review);
  g_free (review);
  review = dl_site_add_review (site, theirs, "approve", NULL, &error);
  g_assert_null (review);
  g_assert_error (error, DL_SITE_ERROR, DL_SITE_ERROR_FAILED);
  PQfinish (conn);
}

static void
test_auditor (void)
{
  PGconn *conn;
  g_autofree char *case_id = NULL, *verdict = NULL;

  if (!site_fixture_have_cluster ())
    return;
  case_id = case_with_verdict (ana);
  conn = site_fixture_connect (aud);
  verdict = latest_verdict (conn, case_id);
  assert_state (conn, STATE_OK, "SELECT * FROM doorlicht.events");
  assert_state (conn, STATE_OK, "SELECT * FROM doorlicht.queue");
  assert_state (conn, STATE_DENIED, "INSERT INTO doorlicht.cases VALUES ('C-aud', 't', 0, '%s', 'n', 'k')", aud);
  assert_state (conn, STATE_DENIED, "INSERT INTO doorlicht.reviews VALUES ('R-aud', '%s', 'approve', '', 0, '%s', "
                "'n', 'k')", verdict, aud);
  assert_state (conn, STATE_DENIED, "UPDATE doorlicht.queue SET claimed_by = '%s', lease_until = now () "
                "WHERE case_id = '%s'", aud, case_id);
  assert_state (conn, STATE_DENIED, "SELECT * FROM doorlicht.lock_chain_head ()");
  assert_state (conn, STATE_DENIED, "DELETE FROM doorlicht.events");
  PQfinish (conn);
}

/* Even the schema's owner, on a normal connection, changes no event. */
static void
test_owner (void)
{
  PGconn *conn;
  g_autofree char *case_id = NULL;

  if (!site_fixture_have_cluster ())
    return;
  case_id = case_with_verdict (ana);
  conn = site_fixture_connect (NULL);
  assert_state (conn, STATE_DENIED, "UPDATE doorlicht.events SET kind = 'x' WHERE case_id = '%s'", case_id);
  assert_state (conn, STATE_DENIED, "DELETE FROM doorlicht.events WHERE case_id = '%s'", case_id);
  assert_state (conn, STATE_DENIED, "TRUNCATE doorlicht.events CASCADE");
  assert_state (conn, STATE_DENIED, "UPDATE doorlicht.verdicts SET decision = 'clear' WHERE case_id = '%s'",
                case_id);
  assert_state (conn, STATE_DENIED, "DELETE FROM doorlicht.verdicts WHERE case_id = '%s'", case_id);
  PQfinish (conn);
}

/* An event put in by hand: @bad names what to get wrong. */
static char *
hand_event (PGconn     *conn,
            const char *login,
            const char *bad)
{
  g_autoptr(DlIdentity) id = identity_of (login);
  g_auto(DlCaseEventContent) e = { 0 };
  PGresult *head = PQexec (conn, "SELECT seq, hash FROM doorlicht.chain_head");
  gint64 seq = g_ascii_strtoll (PQgetvalue (head, 0, 0), NULL, 10) + 1;
  g_autofree char *prev = g_strdup (strcmp (bad, "prev") == 0 ? "0000000000000000000000000000000000000000000000000000000000000000" : PQgetvalue (head, 0, 1));
  g_autofree char *hash = NULL, *seq_text = NULL, *time_text = NULL, *chain_sig = NULL;
  char *state;

  PQclear (head);
  e.id = dl_case_new_id ('E');
  e.time = 1700000000;
  e.login = g_strdup (strcmp (bad, "author") == 0 ? ana : login);
  e.name = g_strdup (login);
  e.key = g_strdup (dl_identity_get_public_key (id));
  e.kind = g_strdup ("note");
  e.payload = g_strdup ("{}");
  e.content_hash = dl_case_event_content_hash (&e);
  e.signature = dl_identity_sign (id, e.content_hash, strlen (e.content_hash));
  if (strcmp (bad, "content") == 0)
    e.content_hash[0] = e.content_hash[0] == 'a' ? 'b' : 'a';
  if (strcmp (bad, "seq") == 0)
    seq++;
  hash = dl_case_chain_hash (seq, e.content_hash, e.signature, prev, e.key);
  if (strcmp (bad, "hash") == 0)
    hash[0] = hash[0] == 'a' ? 'b' : 'a';
  chain_sig = dl_identity_sign (id, hash, strlen (hash));
  seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);
  time_text = g_strdup_printf ("%" G_GINT64_FORMAT, e.time);
  {
    const char *params[] = { seq_text, e.id, time_text, e.login, e.name, e.key, e.kind, NULL, e.payload,
                             e.content_hash, e.signature, prev, hash, e.key, chain_sig };
    PGresult *res = PQexecParams (conn, "INSERT INTO doorlicht.events VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                                        "$10, $11, $12, $13, $14, $15)", 15, NULL, params, NULL, NULL, 0);
    const char *code = PQresultErrorField (res, PG_DIAG_SQLSTATE);

    state = g_strdup (PQresultStatus (res) == PGRES_COMMAND_OK ? STATE_OK : code);
    PQclear (res);
  }
  return state;
}

static void
test_chain (void)
{
  PGconn *conn;
  static const struct { const char *bad, *state; } cases[] = {
    { "prev", STATE_CHECK }, { "seq", STATE_CHECK }, { "content", STATE_CHECK }, { "hash", STATE_CHECK },
    { "author", STATE_DENIED }, { "none", STATE_OK }, { "none", STATE_OK },
  };

  if (!site_fixture_have_cluster ())
    return;
  conn = site_fixture_connect (ana2);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *state = hand_event (conn, ana2, cases[i].bad);

      g_test_message ("an event with a wrong %s: %s", cases[i].bad, state);
      g_assert_cmpstr (state, ==, cases[i].state);
    }
  PQfinish (conn);
}

static void
test_claims (void)
{
  PGconn *conn;
  g_autoptr(DlSite) site = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *claimed = NULL, *free_case = NULL;

  if (!site_fixture_have_cluster ())
    return;
  site = open_as (ana);
  free_case = dl_site_new_case (site, "free", &error);
  g_assert_no_error (error);
  /* take every waiting case, so that ours is the one left */
  conn = site_fixture_connect (NULL);
  assert_state (conn, STATE_OK, "UPDATE doorlicht.queue SET claimed_by = 'someone', lease_until = now () + "
                "interval '1 hour' WHERE state IN ('waiting', 'returned') AND case_id <> '%s'", free_case);
  PQfinish (conn);
  g_assert_true (dl_site_claim (site, NULL, 600, &claimed, &error));
  g_assert_cmpstr (claimed, ==, free_case);

  conn = site_fixture_connect (ana2);
  /* another's live claim is not taken over: no row is there to update */
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE doorlicht.queue SET claimed_by = '%s' WHERE case_id = '%s'",
                                            ana2, claimed);
    PGresult *res = PQexec (conn, sql);

    g_assert_cmpint (PQresultStatus (res), ==, PGRES_COMMAND_OK);
    g_assert_cmpstr (PQcmdTuples (res), ==, "0");
    PQclear (res);
  }
  /* nor a claim made in another's name */
  g_assert_false (dl_site_claim (site, ana2, 60, &claimed, &error));
  g_assert_error (error, DL_SITE_ERROR, DL_SITE_ERROR_DENIED);
  PQfinish (conn);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(DlSite) admin = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  site_fixture_setup ("test_site_roles");
  if (site_fixture.host)
    {
      g_autofree char *uri = site_fixture_conninfo (NULL, NULL);

      keys_dir = g_dir_make_tmp ("site-roles-XXXXXX", &error);
      g_assert_no_error (error);
      ana = site_fixture_name ("ana");
      ana2 = site_fixture_name ("ana2");
      sup = site_fixture_name ("sup");
      aud = site_fixture_name ("aud");
      admin = dl_site_open (uri, &error);
      g_assert_no_error (error);
      g_assert_true (dl_site_init (admin, &error)
                     && dl_site_grant (admin, ana, DL_SITE_ROLE_ANALYST, &error)
                     && dl_site_grant (admin, ana2, DL_SITE_ROLE_ANALYST, &error)
                     && dl_site_grant (admin, sup, DL_SITE_ROLE_SUPERVISOR, &error)
                     && dl_site_grant (admin, aud, DL_SITE_ROLE_AUDITOR, &error));
      g_assert_no_error (error);
    }
  g_test_add_func ("/site-roles/analyst", test_analyst);
  g_test_add_func ("/site-roles/supervisor", test_supervisor);
  g_test_add_func ("/site-roles/auditor", test_auditor);
  g_test_add_func ("/site-roles/owner", test_owner);
  g_test_add_func ("/site-roles/chain", test_chain);
  g_test_add_func ("/site-roles/claims", test_claims);
  status = g_test_run ();
  g_clear_object (&admin);
  site_fixture_teardown ();
  return status;
}
