/* test-site-race.c — claimers in separate processes racing over 1 000
 * cases never get the same one, and all are claimed; `doorlicht-cli case
 * claim` prints the case it claimed, and a lease that ran out (in real
 * time) lets another claim the case.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>
#include <sys/wait.h>

#include "dl-site.h"
#include "site-people.h"

#define N_CASES    1000
#define N_CLAIMERS 4

static char *
spawn_output (const char * const *argv,
              int                *exit_status,
              char              **err)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int wait_status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, err,
                               &wait_status, &error));
  g_assert_no_error (error);
  *exit_status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  return out;
}

static void
test_race (void)
{
  g_autoptr(DlSite) maker = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) made = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) claimed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GSubprocess *claimers[N_CLAIMERS];
  const char *claimer = g_getenv ("DL_SITE_CLAIMER");

  if (!site_fixture_have_cluster ())
    return;
  g_assert_nonnull (claimer);
  for (guint i = 0; i < N_CLAIMERS; i++)
    {
      g_autofree char *login = g_strdup_printf ("racer%u_%d", i, (int) getpid ());

      site_people_grant (login, DL_SITE_ROLE_ANALYST);
    }
  maker = site_people_open (NULL);
  for (guint i = 0; i < N_CASES; i++)
    {
      g_autofree char *title = g_strdup_printf ("race %u", i);
      char *id = dl_site_new_case (maker, title, &error);

      g_assert_no_error (error);
      g_hash_table_add (made, id);
    }

  /* all started before any reads its output */
  for (guint i = 0; i < N_CLAIMERS; i++)
    {
      g_autofree char *login = g_strdup_printf ("racer%u_%d", i, (int) getpid ());
      g_autofree char *uri = site_fixture_conninfo (login, NULL);

      claimers[i] = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, claimer, uri, NULL);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < N_CLAIMERS; i++)
    {
      g_autofree char *out = NULL;
      g_auto(GStrv) lines = NULL;
      guint n = 0;

      g_assert_true (g_subprocess_communicate_utf8 (claimers[i], NULL, NULL, &out, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_successful (claimers[i]));
      lines = g_strsplit (out, "\n", -1);
      for (guint l = 0; lines[l]; l++)
        if (*lines[l])
          {
            g_assert_true (g_hash_table_contains (made, lines[l]));
            /* never one case twice */
            g_assert_true (g_hash_table_add (claimed, g_strdup (lines[l])));
            n++;
          }
      g_test_message ("claimer %u claimed %u cases", i, n);
      g_object_unref (claimers[i]);
    }
  g_assert_cmpuint (g_hash_table_size (claimed), ==, N_CASES);
}

static void
test_cli_claim (void)
{
  g_autoptr(DlSite) maker = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *login = site_fixture_name ("clia"), *other = site_fixture_name ("clib");
  g_autofree char *uri = NULL, *other_uri = NULL, *admin_uri = site_fixture_conninfo (NULL, NULL);
  g_autofree char *case_id = NULL, *out = NULL, *err = NULL, *bad = NULL;
  const char *cli = g_getenv ("DL_CLI");
  int status = -1;

  if (!site_fixture_have_cluster ())
    return;
  uri = site_fixture_conninfo (login, NULL);
  other_uri = site_fixture_conninfo (other, NULL);
  {
    const char *argv[] = { cli, "site", "init", admin_uri, NULL };
    const char *grant_a[] = { cli, "site", "grant", admin_uri, login, "--role", "analyst", NULL };
    const char *grant_b[] = { cli, "site", "grant", admin_uri, other, "--role", "analyst", NULL };
    const char *grant_bad[] = { cli, "site", "grant", admin_uri, other, "--role", "boss", NULL };

    g_free (spawn_output (argv, &status, NULL));
    g_assert_cmpint (status, ==, 0);
    g_free (spawn_output (grant_a, &status, NULL));
    g_assert_cmpint (status, ==, 0);
    g_free (spawn_output (grant_b, &status, NULL));
    g_assert_cmpint (status, ==, 0);
    g_free (spawn_output (grant_bad, &status, NULL));
    g_assert_cmpint (status, ==, 2);
  }
  /* every case claimed but a new one, which the CLI claims for a second */
  {
    const char *drain[] = { g_getenv ("DL_SITE_CLAIMER"), other_uri, NULL };

    g_free (spawn_output (drain, &status, NULL));
    g_assert_cmpint (status, ==, 0);
  }
  maker = site_people_open (NULL);
  case_id = dl_site_new_case (maker, "claimed on the command line", &error);
  g_assert_no_error (error);
  {
    const char *argv[] = { cli, "case", "claim", uri, "--lease", "1", NULL };
    const char *again[] = { cli, "case", "claim", other_uri, NULL };

    out = spawn_output (argv, &status, NULL);
    g_assert_cmpint (status, ==, 0);
    g_assert_true (g_str_has_prefix (out, case_id));
    g_assert_cmpstr (out + strlen (case_id), ==, "\n");
    g_clear_pointer (&out, g_free);
    out = spawn_output (again, &status, &err);
    g_assert_cmpint (status, ==, 3);
    g_assert_cmpstr (out, ==, "");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    /* the one-second lease runs out in real time: the other may take it */
    g_usleep (2500 * 1000);
    out = spawn_output (again, &status, NULL);
    g_assert_cmpint (status, ==, 0);
    g_assert_true (g_str_has_prefix (out, case_id));
  }
  /* a store that is not there: said without the password */
  bad = g_strdup_printf ("host=%s user=%s dbname=no_such_db password=s3cr3t-pw", site_fixture.host, login);
  {
    const char *argv[] = { cli, "case", "claim", bad, NULL };

    g_free (spawn_output (argv, &status, &err));
    g_assert_cmpint (status, ==, 1);
    g_assert_nonnull (strstr (err, "no_such_db"));
    g_assert_null (strstr (err, "s3cr3t-pw"));
  }
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  site_fixture_setup ("test_site_race");
  g_test_add_func ("/site-race/claimers", test_race);
  g_test_add_func ("/site-race/cli-claim", test_cli_claim);
  status = g_test_run ();
  site_fixture_teardown ();
  return status;
}
