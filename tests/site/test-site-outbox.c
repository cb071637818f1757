/* test-site-outbox.c — a workstation's verdicts and reviews kept until the
 * site has them (dl-site-outbox.h): sent at once when the server is
 * there; kept while it cannot be reached (the login refused, its
 * connection cut) and sent once it can; kept across a crash; never
 * recorded twice when an answer was lost; and what the site refuses set
 * aside and said, never dropped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "dl-site-export.h"
#include "dl-site-outbox.h"
#include "site-people.h"
#include "../tiff-fixture.h"

static char *ana, *ana2, *sup;

/* The server out of reach for @login: its connections cut, new ones refused. */
static void
cut_off (const char *login,
         gboolean    cut)
{
  g_autofree char *alter = g_strdup_printf ("ALTER ROLE %s %s", login, cut ? "NOLOGIN" : "LOGIN");
  g_autofree char *kill = g_strdup_printf ("SELECT pg_terminate_backend (pid) FROM pg_stat_activity "
                                           "WHERE usename = '%s'", login);

  site_fixture_sql (alter);
  if (cut)
    site_fixture_sql (kill);
}

static int
n_verdicts (const char *case_id)
{
  g_autofree char *n = site_fixture_value ("SELECT count(*) FROM doorlicht.verdicts WHERE case_id = $1", case_id);

  return atoi (n);
}

static char *
new_outbox_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("site-outbox-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static guint
n_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;
  const char *name;

  while (d && (name = g_dir_read_name (d)) != NULL)
    n += g_str_has_suffix (name, ".json");
  return n;
}

static char *
new_case (const char *title)
{
  g_autoptr(DlSite) writer = site_people_open (ana);
  g_autoptr(GError) error = NULL;
  char *case_id = dl_site_new_case (writer, title, &error);

  g_assert_no_error (error);
  return case_id;
}

static void
test_sent (void)
{
  g_autofree char *dir = NULL, *case_id = NULL;
  g_autoptr(DlSite) site = NULL;
  g_autoptr(DlSiteOutbox) outbox = NULL;
  g_autoptr(GError) error = NULL;
  const char *reasons[] = { "density-anomaly", NULL };

  if (!site_fixture_have_cluster ())
    return;
  dir = new_outbox_dir ();
  case_id = new_case ("sent at once");
  site = site_people_open (ana);
  outbox = dl_site_outbox_new (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dl_site_outbox_verdict (outbox, site, &(DlSiteVerdict) { NULL, case_id, "inspect", reasons, "odd" },
                                           &error), ==, DL_SITE_SENT);
  g_assert_no_error (error);
  g_assert_cmpint (n_verdicts (case_id), ==, 1);
  g_assert_cmpuint (dl_site_outbox_get_n_waiting (outbox), ==, 0);
  g_assert_cmpuint (n_files (dir), ==, 0);
}

/* The server away while the verdict is recorded, and a crash before it
 * is back: the verdict waits in the folder, and a new outbox sends it. */
static void
test_kept (void)
{
  g_autofree char *dir = NULL, *case_id = NULL;
  g_autoptr(DlSite) site = NULL, later = NULL;
  g_autoptr(DlSiteOutbox) outbox = NULL, after_crash = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) refused = g_ptr_array_new_with_free_func (g_free);

  if (!site_fixture_have_cluster ())
    return;
  dir = new_outbox_dir ();
  case_id = new_case ("server away");
  site = site_people_open (ana);
  outbox = dl_site_outbox_new (dir, &error);
  cut_off (ana, TRUE);
  g_assert_cmpint (dl_site_outbox_verdict (outbox, site, &(DlSiteVerdict) { NULL, case_id, "clear" }, &error), ==,
                   DL_SITE_KEPT);
  g_assert_no_error (error);
  g_assert_cmpuint (dl_site_outbox_get_n_waiting (outbox), ==, 1);
  /* still away: still waiting */
  g_assert_cmpuint (dl_site_outbox_flush (outbox, site, refused), ==, 1);
  g_assert_cmpuint (refused->len, ==, 0);
  g_assert_cmpint (n_verdicts (case_id), ==, 0);
  /* the app killed: only the folder is left */
  g_clear_object (&outbox);
  g_clear_object (&site);
  cut_off (ana, FALSE);
  later = site_people_open (ana);
  after_crash = dl_site_outbox_new (dir, &error);
  g_assert_cmpuint (dl_site_outbox_get_n_waiting (after_crash), ==, 1);
  g_assert_cmpuint (dl_site_outbox_flush (after_crash, later, refused), ==, 0);
  g_assert_cmpuint (refused->len, ==, 0);
  g_assert_cmpint (n_verdicts (case_id), ==, 1);
  g_assert_cmpuint (n_files (dir), ==, 0);
}

/* The site wrote the verdict but its answer never came back (the file
 * is still there): sent again, it is recognised and not recorded twice. */
static void
test_answer_lost (void)
{
  g_autofree char *dir = NULL, *case_id = NULL, *copy = NULL, *name = NULL, *path = NULL, *text = NULL;
  g_autoptr(DlSite) site = NULL;
  g_autoptr(DlSiteOutbox) outbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) d = NULL;
  gsize length;

  if (!site_fixture_have_cluster ())
    return;
  dir = new_outbox_dir ();
  case_id = new_case ("answer lost");
  site = site_people_open (ana);
  outbox = dl_site_outbox_new (dir, &error);
  cut_off (ana, TRUE);
  g_assert_cmpint (dl_site_outbox_verdict (outbox, site, &(DlSiteVerdict) { NULL, case_id, "rescan", NULL, "hidden" },
                                           &error), ==, DL_SITE_KEPT);
  cut_off (ana, FALSE);
  d = g_dir_open (dir, 0, NULL);
  while ((name = g_strdup (g_dir_read_name (d))) != NULL && !g_str_has_suffix (name, ".json"))
    g_free (name);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_get_contents (path, &text, &length, NULL));
  g_assert_cmpuint (dl_site_outbox_flush (outbox, site, NULL), ==, 0);
  g_assert_cmpint (n_verdicts (case_id), ==, 1);
  /* as if the app died after the site wrote it, before the file went */
  g_assert_true (g_file_set_contents (path, text, length, NULL));
  g_assert_cmpuint (dl_site_outbox_flush (outbox, site, NULL), ==, 0);
  g_assert_cmpint (n_verdicts (case_id), ==, 1);
  g_assert_cmpuint (n_files (dir), ==, 0);
}

/* Refused by the site (another holds the case; an analyst's review; a
 * file that is no write): set aside in refused/, and said. */
static void
test_refused (void)
{
  g_autofree char *dir = NULL, *case_id = NULL, *aside = NULL, *junk = NULL;
  g_autoptr(DlSite) site = NULL, other = NULL;
  g_autoptr(DlSiteOutbox) outbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) refused = g_ptr_array_new_with_free_func (g_free);

  if (!site_fixture_have_cluster ())
    return;
  dir = new_outbox_dir ();
  case_id = new_case ("held elsewhere");
  site = site_people_open (ana);
  other = site_people_open (ana2);
  g_assert_true (dl_site_claim_case (other, case_id, 600, &error));
  outbox = dl_site_outbox_new (dir, &error);
  g_assert_cmpint (dl_site_outbox_verdict (outbox, site, &(DlSiteVerdict) { NULL, case_id, "clear" }, &error), ==,
                   DL_SITE_REFUSED);
  g_assert_error (error, DL_SITE_ERROR, DL_SITE_ERROR_NOT_CLAIMED);
  g_clear_error (&error);
  g_assert_cmpint (dl_site_outbox_review (outbox, site, case_id, "approve", NULL, NULL, &error), ==, DL_SITE_REFUSED);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (dl_site_outbox_get_n_waiting (outbox), ==, 0);
  aside = g_build_filename (dir, "refused", NULL);
  g_assert_cmpuint (n_files (aside), ==, 2);

  junk = g_build_filename (dir, "junk.json", NULL);
  g_assert_true (g_file_set_contents (junk, "{\"kind\": \"verdict\"} // no", -1, NULL));
  g_assert_cmpuint (dl_site_outbox_flush (outbox, site, refused), ==, 0);
  g_assert_cmpuint (refused->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (refused, 0), "junk.json"));
  g_assert_cmpuint (n_files (aside), ==, 3);
  g_assert_cmpint (n_verdicts (case_id), ==, 0);
}

/* A review kept while away, sent when back, the supervisor's own. */
static void
test_review (void)
{
  g_autofree char *dir = NULL, *case_id = NULL, *verdict = NULL;
  g_autoptr(DlSite) analyst = NULL, supervisor = NULL;
  g_autoptr(DlSiteOutbox) outbox = NULL;
  g_autoptr(GError) error = NULL;

  if (!site_fixture_have_cluster ())
    return;
  dir = new_outbox_dir ();
  case_id = new_case ("reviewed");
  analyst = site_people_open (ana);
  verdict = dl_site_add_verdict (analyst, case_id, "inspect", NULL, NULL, &error);
  g_assert_no_error (error);
  supervisor = site_people_open (sup);
  outbox = dl_site_outbox_new (dir, &error);
  cut_off (sup, TRUE);
  g_assert_cmpint (dl_site_outbox_review (outbox, supervisor, case_id, "return", "look again", NULL, &error), ==,
                   DL_SITE_KEPT);
  cut_off (sup, FALSE);
  g_assert_cmpuint (dl_site_outbox_flush (outbox, supervisor, NULL), ==, 0);
  {
    PGconn *conn = site_fixture_connect (NULL);
    const char *params[] = { verdict };
    PGresult *res = PQexecParams (conn, "SELECT decision, comment FROM doorlicht.reviews WHERE verdict_id = $1",
                                  1, NULL, params, NULL, NULL, 0);

    g_assert_cmpint (PQntuples (res), ==, 1);
    g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "return");
    g_assert_cmpstr (PQgetvalue (res, 0, 1), ==, "look again");
    PQclear (res);
    PQfinish (conn);
  }
}

static DlCaseMark *
mark (const char *id,
      const char *scan_id,
      const char *label)
{
  DlCaseMark *m = g_new0 (DlCaseMark, 1);

  m->id = g_strdup (id);
  m->scan_id = g_strdup (scan_id);
  m->geometry = g_strdup ("{\"kind\":\"rectangle\",\"view\":0,\"points\":[[10.0,4.0],[30.0,12.0]]}");
  m->label = g_strdup (label);
  return m;
}

/* The marks a verdict rests on go with it, kept while away, once each,
 * and the site's audit chain still checks. */
static void
test_marks (void)
{
  g_autofree char *dir = NULL, *scan = NULL, *case_id = NULL, *verdict = NULL, *n = NULL;
  g_autoptr(DlSite) site = NULL, other = NULL;
  g_autoptr(DlSiteOutbox) outbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) marks = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_case_mark_free);
  g_autoptr(DlVerifyReport) report = NULL;
  g_autofree char *scan_id = NULL;
  const char *seize_reasons[] = { "concealment", NULL };
  const char *hints = "[{\"kind\": \"weight\"}]";
  DlSiteVerdict first = { .decision = "inspect", .seen_json = "{\"scans\": []}", .hints_json = hints };
  DlSiteVerdict second = { .decision = "seize", .reasons = seize_reasons, .hints_json = hints };

  if (!site_fixture_have_cluster ())
    return;
  dir = new_outbox_dir ();
  scan = g_build_filename (dir, "marked.tif", NULL);
  g_assert_true (fixture_write_tiff (scan, 60, 30, 1));
  site = site_people_open (ana);
  case_id = dl_site_add_case (site, NULL, "marked", scan, NULL, NULL, &error);
  g_assert_no_error (error);
  {
    PGconn *conn = site_fixture_connect (NULL);
    const char *params[] = { case_id };
    PGresult *res = PQexecParams (conn, "SELECT id FROM doorlicht.scans WHERE case_id = $1", 1, NULL, params,
                                  NULL, NULL, 0);

    scan_id = g_strdup (PQgetvalue (res, 0, 0));
    PQclear (res);
    PQfinish (conn);
  }
  first.case_id = second.case_id = case_id;
  first.marks = second.marks = marks;
  g_ptr_array_add (marks, mark ("A-0000000000a1", scan_id, "tyre, too dense"));
  g_ptr_array_add (marks, mark ("A-0000000000a2", scan_id, ""));
  outbox = dl_site_outbox_new (dir, &error);
  cut_off (ana, TRUE);
  g_assert_cmpint (dl_site_outbox_verdict (outbox, site, &first, &error), ==,
                   DL_SITE_KEPT);
  cut_off (ana, FALSE);
  g_assert_cmpuint (dl_site_outbox_flush (outbox, site, NULL), ==, 0);
  n = site_fixture_value ("SELECT count(*) FROM doorlicht.annotations WHERE case_id = $1", case_id);
  g_assert_cmpstr (n, ==, "2");
  g_clear_pointer (&n, g_free);
  n = site_fixture_value ("SELECT label FROM doorlicht.annotations WHERE id = $1", "A-0000000000a1");
  g_assert_cmpstr (n, ==, "tyre, too dense");
  g_clear_pointer (&n, g_free);

  /* returned, decided again with the same marks and one more: only the new one is added */
  other = site_people_open (sup);
  {
    g_autoptr(GPtrArray) sup_marks = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_case_mark_free);

    /* the supervisor's own mark goes with the review, as theirs */
    g_ptr_array_add (sup_marks, mark ("A-0000000000b1", scan_id, "look here"));
    g_assert_cmpint (dl_site_outbox_review (outbox, other, case_id, "return", NULL, sup_marks, &error), ==,
                     DL_SITE_SENT);
    g_assert_no_error (error);
    n = site_fixture_value ("SELECT author_login FROM doorlicht.annotations WHERE id = $1", "A-0000000000b1");
    g_assert_cmpstr (n, ==, sup);
    g_clear_pointer (&n, g_free);
  }
  g_ptr_array_add (marks, mark ("A-0000000000a3", scan_id, "false wall"));
  /* no seizure without a reason, as in a case file */
  g_assert_cmpint (dl_site_outbox_verdict (outbox, site, &(DlSiteVerdict) { NULL, case_id, "seize" }, &error), ==,
                   DL_SITE_REFUSED);
  g_assert_error (error, DL_SITE_ERROR, DL_SITE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (dl_site_outbox_verdict (outbox, site, &second, &error), ==,
                   DL_SITE_SENT);
  g_assert_no_error (error);
  n = site_fixture_value ("SELECT count(*) FROM doorlicht.annotations WHERE case_id = $1", case_id);
  g_assert_cmpstr (n, ==, "4");
  g_clear_pointer (&n, g_free);
  /* the same hints twice: one row; what was seen in the first verdict's event */
  n = site_fixture_value ("SELECT count(*) FROM doorlicht.hints WHERE case_id = $1", case_id);
  g_assert_cmpstr (n, ==, "1");
  g_clear_pointer (&n, g_free);
  n = site_fixture_value ("SELECT count(*) FROM doorlicht.events WHERE kind = 'verdict' AND case_id = $1 "
                      "AND payload LIKE '%\"seen\":{\"scans\": []}%'", case_id);
  g_assert_cmpstr (n, ==, "1");
  report = dl_site_verify (other, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < report->problems->len; i++)
    g_test_message ("problem: %s", ((DlVerifyProblem *) g_ptr_array_index (report->problems, i))->message);
  g_assert_cmpuint (report->problems->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  site_fixture_setup ("test_site_outbox");
  if (site_fixture.host)
    {
      ana = site_fixture_name ("oana");
      ana2 = site_fixture_name ("oana2");
      sup = site_fixture_name ("osup");
      site_people_grant (ana, DL_SITE_ROLE_ANALYST);
      site_people_grant (ana2, DL_SITE_ROLE_ANALYST);
      site_people_grant (sup, DL_SITE_ROLE_SUPERVISOR);
    }
  g_test_add_func ("/site-outbox/sent", test_sent);
  g_test_add_func ("/site-outbox/kept", test_kept);
  g_test_add_func ("/site-outbox/answer-lost", test_answer_lost);
  g_test_add_func ("/site-outbox/refused", test_refused);
  g_test_add_func ("/site-outbox/review", test_review);
  g_test_add_func ("/site-outbox/marks", test_marks);
  status = g_test_run ();
  site_fixture_teardown ();
  return status;
}
