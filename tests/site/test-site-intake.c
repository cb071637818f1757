/* test-site-intake.c — `doorlicht-cli site intake` over a scanner's folder
 * (generator scans with a sidecar manifest, one matched by the container
 * number in its name, a file that is no scan, a duplicate, a file still
 * being written, a connection the server drops while intake watches),
 * run as the real binary; a manifest that comes after its scan; and kill -9 of `case verdict`
 * while it writes: what it acknowledged is in the site, the chain verifies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "dl-hash.h"
#include "dl-site-intake.h"
#include "dl-synth.h"
#include "site-people.h"

static char *
uri_for (const char *login)
{
  return site_fixture_uri (login, NULL, site_fixture.dbname);
}

/* Runs the CLI with its identity in @home; its exit status and output. */
static int
run_cli (const char         *home,
         const char * const *args,
         char              **out)
{
  g_autofree char *err = NULL;
  int status = site_fixture_run_cli (home, args, out, &err);

  g_test_message ("%s: %s", args[1], err);
  return status;
}

/* The first column of @sql's rows (as the superuser), joined by "\n". */
static char *
site_column (const char *sql)
{
  PGconn *conn = site_fixture_connect (NULL);
  PGresult *res = PQexec (conn, sql);
  GString *out = g_string_new (NULL);

  g_assert_cmpint (PQresultStatus (res), ==, PGRES_TUPLES_OK);
  for (int r = 0; r < PQntuples (res); r++)
    g_string_append_printf (out, "%s%s", r ? "\n" : "", PQgetvalue (res, r, 0));
  PQclear (res);
  PQfinish (conn);
  return g_string_free (out, FALSE);
}

static int
site_count (const char *sql)
{
  g_autofree char *value = site_column (sql);

  return atoi (value);
}

/* A generator scan's bytes and its manifest's JSON. */
static GBytes *
generate (const char  *scene,
          guint64      seed,
          char       **manifest_json,
          char       **container)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlSynthOutput) out = dl_synth_generate (scene, seed, FALSE, &error);
  g_autofree char *dir = g_dir_make_tmp ("intake-gen-XXXXXX", NULL);
  g_autofree char *base = NULL, *tif = NULL, *json = NULL;
  char *data = NULL;
  gsize len = 0;

  g_assert_no_error (error);
  g_assert_true (dl_synth_write (out, dir, &error));
  base = dl_synth_basename (out);
  tif = g_strdup_printf ("%s/%s.tif", dir, base);
  json = g_strdup_printf ("%s/%s.manifest.json", dir, base);
  g_assert_true (g_file_get_contents (json, manifest_json, NULL, &error));
  *container = g_strdup (((DlManifestContainer *) g_ptr_array_index (out->manifest->containers, 0))->number);
  g_assert_true (g_file_get_contents (tif, &data, &len, &error));
  return g_bytes_new_take (data, len);
}

static void
put (const char *dir,
     const char *name,
     const void *data,
     gsize       len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, data, len, &error));
}

static void
test_container_numbers (void)
{
  g_autofree char *a = dl_site_intake_find_container ("scan-csqu3054383-2026.tif");
  g_autofree char *b = dl_site_intake_find_container ("CSQU3054384.tif");   /* wrong check digit */
  g_autofree char *c = dl_site_intake_find_container ("XCSQU3054383");      /* part of a longer word */

  g_assert_cmpstr (a, ==, "CSQU3054383");
  g_assert_null (b);
  g_assert_null (c);
}

typedef struct
{
  char   *path;
  GBytes *bytes;
} Writer;

/* Writes the file in five steps 0.3 s apart (under the 1 s settle). */
static gpointer
write_slowly (gpointer data)
{
  Writer *w = data;
  gsize len = 0;
  const char *bytes = g_bytes_get_data (w->bytes, &len);
  FILE *fp = fopen (w->path, "wb");

  g_assert_nonnull (fp);
  for (guint step = 0; step < 5; step++)
    {
      gsize from = len * step / 5, to = len * (step + 1) / 5;

      g_assert_cmpuint (fwrite (bytes + from, 1, to - from, fp), ==, to - from);
      fflush (fp);
      g_usleep (300000);
    }
  fclose (fp);
  return NULL;
}

/* Watching (no --once): the file growing is taken once, whole. */
static void
check_growing (const char *uri,
               const char *home,
               const char *dir,
               GBytes     *bytes)
{
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "XDG_DATA_HOME", home, TRUE);
  const char *argv[] = { g_getenv ("DL_CLI"), "site", "intake", uri, dir, "--settle", "1", NULL };
  g_autofree char *sha = dl_sha256_hex_bytes (bytes), *sql = NULL, *title = NULL;
  Writer w = { g_build_filename (dir, "growing.tif", NULL), bytes };
  g_autoptr(GError) error = NULL;
  GThread *writer;
  GPid pid;
  int status = -1;

  g_assert_true (g_spawn_async (NULL, (char **) argv, env, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                              &pid, &error));
  g_assert_no_error (error);
  writer = g_thread_new ("writer", write_slowly, &w);
  g_thread_join (writer);
  sql = g_strdup_printf ("SELECT count(*) FROM doorlicht.scans WHERE sha256 = '%s'", sha);
  for (guint i = 0; i < 200 && site_count (sql) == 0; i++)
    g_usleep (100000);
  kill (pid, SIGTERM);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  /* taken once, whole: no case of a part of it */
  g_assert_cmpint (site_count (sql), ==, 1);
  g_assert_cmpint (site_count ("SELECT count(*) FROM doorlicht.cases"), ==, 4);
  g_assert_cmpint (site_count ("SELECT count(*) FROM doorlicht.scans"), ==, 4);
  g_free (sql);
  sql = g_strdup_printf ("SELECT c.title FROM doorlicht.cases c JOIN doorlicht.scans s ON s.case_id = c.id "
                         "WHERE s.sha256 = '%s'", sha);
  title = site_column (sql);
  g_assert_null (strstr (title, "Unreadable"));
  g_free (w.path);
}

/* Watching: the server ends intake's connection (as a restart does); a
 * file arriving after that is taken all the same, on a new connection. */
static void
check_reconnect (const char *uri,
                 const char *home,
                 const char *dir,
                 const char *login)
{
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "XDG_DATA_HOME", home, TRUE);
  const char *argv[] = { g_getenv ("DL_CLI"), "site", "intake", uri, dir, "--settle", "1", NULL };
  g_autofree char *backends = g_strdup_printf ("SELECT count(*) FROM pg_stat_activity WHERE usename = '%s'", login);
  g_autofree char *end = g_strdup_printf ("SELECT count(pg_terminate_backend (pid)) FROM pg_stat_activity "
                                          "WHERE usename = '%s'", login);
  const char late[] = "arrived after the server dropped intake's connection";
  g_autofree char *sha = dl_sha256_hex (late, strlen (late)), *sql = NULL;
  g_autoptr(GError) error = NULL;
  GPid pid;
  int status = -1;

  g_assert_true (g_spawn_async (NULL, (char **) argv, env, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 200 && site_count (backends) == 0; i++)
    g_usleep (50000);
  g_usleep (1500000);   /* its first look done */
  g_assert_cmpint (site_count (end), ==, 1);
  put (dir, "late.txt", late, strlen (late));
  sql = g_strdup_printf ("SELECT count(*) FROM doorlicht.scans WHERE sha256 = '%s'", sha);
  for (guint i = 0; i < 200 && site_count (sql) == 0; i++)
    g_usleep (100000);
  kill (pid, SIGTERM);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_cmpint (site_count (sql), ==, 1);
  g_assert_cmpint (site_count ("SELECT count(*) FROM doorlicht.cases"), ==, 5);
}

static void
test_intake (void)
{
  g_autofree char *login = site_fixture_name ("intake"), *uri = NULL, *out = NULL, *value = NULL;
  g_autofree char *home = g_dir_make_tmp ("intake-home-XXXXXX", NULL);
  g_autofree char *dir = g_dir_make_tmp ("intake-in-XXXXXX", NULL);
  g_autofree char *m1 = NULL, *c1 = NULL, *m2 = NULL, *c2 = NULL, *m3 = NULL, *c3 = NULL, *name2 = NULL;
  g_autofree char *sha1 = NULL, *sha2 = NULL, *sha3 = NULL;
  g_autoptr(GBytes) good = NULL, by_number = NULL, growing = NULL;
  const char broken[] = "not a scan: a scanner's error log";
  g_auto(GStrv) lines = NULL;

  if (!site_fixture_have_cluster ())
    return;
  site_people_grant (login, DL_SITE_ROLE_ANALYST);
  uri = uri_for (login);
  good = generate ("mixed", 1, &m1, &c1);
  by_number = generate ("mixed", 2, &m2, &c2);
  growing = generate ("empty", 3, &m3, &c3);
  g_assert_cmpstr (c1, !=, c2);
  put (dir, "good.tif", g_bytes_get_data (good, NULL), g_bytes_get_size (good));
  put (dir, "good.manifest.json", m1, strlen (m1));
  name2 = g_strdup_printf ("scan-%s.tif", c2);
  put (dir, name2, g_bytes_get_data (by_number, NULL), g_bytes_get_size (by_number));
  put (dir, "voyage-42.json", m2, strlen (m2));
  put (dir, "broken.tif", broken, strlen (broken));
  put (dir, "zz-again.tif", g_bytes_get_data (good, NULL), g_bytes_get_size (good));
  {
    const char *args[] = { "site", "intake", uri, dir, "--once", "--settle", "1", NULL };

    g_assert_cmpint (run_cli (home, args, &out), ==, 0);
  }
  g_test_message ("%s", out);
  lines = g_strsplit (g_strchomp (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  for (guint i = 0; lines[i]; i++)
    g_assert_true (g_str_has_prefix (lines[i], "C-"));
  g_assert_nonnull (strstr (out, "good.manifest.json (sidecar)"));
  g_assert_nonnull (strstr (out, c2));
  g_assert_null (strstr (out, "zz-again"));

  sha1 = dl_sha256_hex_bytes (good);
  sha2 = dl_sha256_hex_bytes (by_number);
  sha3 = dl_sha256_hex (broken, strlen (broken));
  value = site_column ("SELECT sha256 FROM doorlicht.scans ORDER BY sha256");
  g_assert_nonnull (strstr (value, sha1));
  g_assert_nonnull (strstr (value, sha2));
  g_assert_nonnull (strstr (value, sha3));
  g_assert_cmpint (site_count ("SELECT count(*) FROM doorlicht.scans"), ==, 3);
  g_assert_cmpint (site_count ("SELECT count(*) FROM doorlicht.cases"), ==, 3);
  g_assert_cmpint (site_count ("SELECT count(*) FROM doorlicht.queue WHERE state = 'waiting'"), ==, 3);
  g_clear_pointer (&value, g_free);
  value = site_column ("SELECT c.title FROM doorlicht.cases c JOIN doorlicht.scans s ON s.case_id = c.id "
                       "WHERE s.path LIKE '%broken.tif'");
  g_assert_nonnull (strstr (value, "Unreadable"));
  g_assert_nonnull (strstr (value, "neither a TIFF nor a DICOM"));
  g_clear_pointer (&value, g_free);
  /* each readable scan's case holds its own manifest */
  g_assert_cmpint (site_count ("SELECT count(*) FROM doorlicht.manifests"), ==, 2);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM doorlicht.manifests m JOIN doorlicht.scans s "
                                            "ON s.case_id = m.case_id WHERE (s.sha256 = '%s' AND m.json LIKE "
                                            "'%%%s%%') OR (s.sha256 = '%s' AND m.json LIKE '%%%s%%')",
                                            sha1, c1, sha2, c2);

    g_assert_cmpint (site_count (sql), ==, 2);
  }
  value = site_column ("SELECT DISTINCT author_login FROM doorlicht.cases");
  g_assert_cmpstr (value, ==, login);
  g_clear_pointer (&value, g_free);
  g_assert_cmpint (site_count ("SELECT count(*) FROM doorlicht.events WHERE kind IN ('case', 'scan', 'manifest')"),
                   ==, 8);

  /* a second run takes nothing */
  g_clear_pointer (&out, g_free);
  {
    const char *args[] = { "site", "intake", uri, dir, "--once", "--settle", "0", NULL };

    g_assert_cmpint (run_cli (home, args, &out), ==, 0);
  }
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpint (site_count ("SELECT count(*) FROM doorlicht.cases"), ==, 3);

  check_growing (uri, home, dir, growing);
  check_reconnect (uri, home, dir, login);
  /* every row intake wrote matches its signed event, the chain holds */
  g_clear_pointer (&out, g_free);
  {
    const char *args[] = { "verify", uri, NULL };

    g_assert_cmpint (run_cli (home, args, &out), ==, 0);
  }
}

/* dl_site_add_manifest (): the row with its event, as the case file
 * writes it (a later one replaces it there). */
static void
test_add_manifest (void)
{
  g_autofree char *login = site_fixture_name ("manifester"), *json = NULL, *container = NULL, *id = NULL;
  g_autofree char *case_id = NULL, *sql = NULL;
  g_autoptr(GBytes) scan = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(DlSite) site = NULL;
  g_autoptr(GError) error = NULL;

  if (!site_fixture_have_cluster ())
    return;
  site_people_grant (login, DL_SITE_ROLE_ANALYST);
  site = site_people_open (login);
  scan = generate ("empty-20ft", 7, &json, &container);
  list = dl_manifest_load_bytes (json, strlen (json), &error);
  g_assert_no_error (error);
  case_id = dl_site_new_case (site, "declared by hand", &error);
  g_assert_no_error (error);
  id = dl_site_add_manifest (site, case_id, g_ptr_array_index (list, 0), &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (id, "M-"));
  sql = g_strdup_printf ("SELECT count(*) FROM doorlicht.manifests m JOIN doorlicht.events e ON e.kind = "
                         "'manifest' AND e.case_id = m.case_id AND e.author_login = '%s' WHERE m.id = '%s' "
                         "AND m.case_id = '%s' AND m.json LIKE '%%%s%%'", login, id, case_id, container);
  g_assert_cmpint (site_count (sql), ==, 1);
  /* a case that is not there: refused, nothing written */
  g_clear_pointer (&id, g_free);
  id = dl_site_add_manifest (site, "C-000000000000", g_ptr_array_index (list, 0), &error);
  g_assert_null (id);
  g_assert_error (error, DL_SITE_ERROR, DL_SITE_ERROR_NOT_FOUND);
  g_assert_cmpint (site_count ("SELECT count(*) FROM doorlicht.manifests WHERE case_id = 'C-000000000000'"), ==, 0);
}

/* kill -9 of `case verdict` at random moments while it writes. */
static void
test_killed_verdicts (void)
{
  g_autofree char *login = site_fixture_name ("killed"), *uri = NULL, *out = NULL;
  g_autofree char *home = g_dir_make_tmp ("intake-kill-XXXXXX", NULL);
  g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(DlSite) site = NULL;
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "XDG_DATA_HOME", home, TRUE);
  g_autoptr(GError) error = NULL;

  if (!site_fixture_have_cluster ())
    return;
  site_people_grant (login, DL_SITE_ROLE_ANALYST);
  uri = uri_for (login);
  site = site_people_open (NULL);
  for (guint i = 0; i < 24; i++)
    {
      g_autofree char *case_id = NULL, *claimed = NULL, *got = NULL, *sql = NULL;
      const char *claim[] = { "case", "claim", uri, NULL };
      int fd = -1, status = -1;
      GPid pid;

      case_id = dl_site_new_case (site, "killed while deciding", &error);
      g_assert_no_error (error);
      g_assert_cmpint (run_cli (home, claim, &claimed), ==, 0);
      g_strchomp (claimed);
      {
        const char *argv[] = { g_getenv ("DL_CLI"), "case", "verdict", uri, claimed, "clear", NULL };

        g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, env, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                                 &pid, NULL, &fd, NULL, &error));
      }
      /* from before it connects to after it is done; the last one not killed */
      g_usleep (g_test_rand_int_range (0, 20000) + 25000 * i);
      if (i < 23)
        kill (pid, SIGKILL);
      waitpid (pid, &status, 0);
      g_spawn_close_pid (pid);
      {
        g_autoptr(GIOChannel) ch = g_io_channel_unix_new (fd);

        g_io_channel_set_close_on_unref (ch, TRUE);
        g_io_channel_read_to_end (ch, &got, NULL, NULL);
      }
      if (got && g_str_has_prefix (got, "V-"))
        g_ptr_array_add (acknowledged, g_strdup (g_strchomp (got)));
      /* nothing half-written: a verdict row always has its event */
      sql = g_strdup_printf ("SELECT count(*) FROM doorlicht.verdicts v WHERE v.case_id = '%s' AND NOT EXISTS "
                             "(SELECT 1 FROM doorlicht.events e WHERE e.kind = 'verdict' AND e.payload LIKE "
                             "'%%' || v.id || '%%')", claimed);
      g_assert_cmpint (site_count (sql), ==, 0);
    }
  g_test_message ("%u of 24 verdicts acknowledged before the kill", acknowledged->len);
  g_assert_cmpuint (acknowledged->len, >=, 1);
  for (guint i = 0; i < acknowledged->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM doorlicht.verdicts WHERE id = '%s'",
                                              (char *) g_ptr_array_index (acknowledged, i));

      g_assert_cmpint (site_count (sql), ==, 1);
    }
  {
    const char *args[] = { "verify", uri, NULL };

    g_assert_cmpint (run_cli (home, args, &out), ==, 0);
  }
}

/* One `site intake --once` over @dir; its output. */
static char *
intake_once (const char *uri,
             const char *home,
             const char *dir)
{
  const char *args[] = { "site", "intake", uri, dir, "--once", "--settle", "0", NULL };
  char *out = NULL;

  g_assert_cmpint (run_cli (home, args, &out), ==, 0);
  g_test_message ("intake: %s", out);
  return out;
}

/* How many manifests, and manifest events, the case of the scan @sha256 has. */
static int
manifests_of (const char *sha256)
{
  g_autofree char *sql = g_strdup_printf ("SELECT (SELECT count(*) FROM doorlicht.manifests m WHERE m.case_id = "
                                          "s.case_id) * 100 + (SELECT count(*) FROM doorlicht.events e WHERE "
                                          "e.kind = 'manifest' AND e.case_id = s.case_id) FROM doorlicht.scans s "
                                          "WHERE s.sha256 = '%s'", sha256);

  return site_count (sql);
}

/* A manifest that comes after its scan was taken: attached to the waiting
 * case by the container its title names, or as a sidecar that appears
 * beside the scan; once; never to a case decided already. */
static void
test_late_manifest (void)
{
  g_autofree char *login = site_fixture_name ("late"), *uri = NULL, *out = NULL;
  g_autofree char *home = g_dir_make_tmp ("late-home-XXXXXX", NULL);
  g_autofree char *dir = g_dir_make_tmp ("late-in-XXXXXX", NULL);
  g_autofree char *ma = NULL, *ca = NULL, *mb = NULL, *cb = NULL, *mo = NULL, *co = NULL, *md = NULL, *cd = NULL;
  g_autofree char *name_a = NULL, *name_d = NULL, *sha_a = NULL, *sha_b = NULL, *sha_d = NULL, *case_d = NULL;
  g_autofree char *sql = NULL, *claimed = NULL, *verdict = NULL;
  g_autoptr(GBytes) a = NULL, b = NULL, other = NULL, d = NULL;
  g_autoptr(DlSite) site = NULL;
  g_autoptr(GError) error = NULL;

  if (!site_fixture_have_cluster ())
    return;
  site_people_grant (login, DL_SITE_ROLE_ANALYST);
  uri = uri_for (login);
  a = generate ("mixed", 41, &ma, &ca);
  b = generate ("empty-20ft", 42, &mb, &cb);
  other = generate ("empty-20ft", 43, &mo, &co);
  d = generate ("mixed", 44, &md, &cd);
  sha_a = dl_sha256_hex_bytes (a);
  sha_b = dl_sha256_hex_bytes (b);
  sha_d = dl_sha256_hex_bytes (d);
  name_a = g_strdup_printf ("late-%s.tif", ca);
  name_d = g_strdup_printf ("late-%s.tif", cd);
  put (dir, name_a, g_bytes_get_data (a, NULL), g_bytes_get_size (a));
  put (dir, "no-number.tif", g_bytes_get_data (b, NULL), g_bytes_get_size (b));
  put (dir, name_d, g_bytes_get_data (d, NULL), g_bytes_get_size (d));
  out = intake_once (uri, home, dir);
  g_assert_cmpint (manifests_of (sha_a), ==, 0);
  g_assert_cmpint (manifests_of (sha_b), ==, 0);

  /* D decided before its manifest comes: it stays without */
  sql = g_strdup_printf ("SELECT case_id FROM doorlicht.scans WHERE sha256 = '%s'", sha_d);
  case_d = site_column (sql);
  site = site_people_open (login);
  while (g_strcmp0 (claimed, case_d) != 0)
    {
      g_clear_pointer (&claimed, g_free);
      g_assert_true (dl_site_claim (site, NULL, 600, &claimed, &error));
      g_assert_no_error (error);
      g_assert_nonnull (claimed);
    }
  verdict = dl_site_add_verdict (site, case_d, "clear", NULL, NULL, &error);
  g_assert_no_error (error);

  /* A's manifest and D's come in one file; B's sidecar names another container */
  {
    g_autofree char *both = g_strdup_printf ("[%s,%s]", ma, md);
    g_autoptr(GPtrArray) list = dl_manifest_load_bytes (both, strlen (both), NULL);

    /* a list of manifests is what a voyage's JSON may hold; else one file each */
    if (list != NULL && list->len == 2)
      put (dir, "voyage-late.json", both, strlen (both));
    else
      {
        put (dir, "voyage-late-a.json", ma, strlen (ma));
        put (dir, "voyage-late-d.json", md, strlen (md));
      }
  }
  put (dir, "no-number.manifest.json", mo, strlen (mo));
  g_clear_pointer (&out, g_free);
  out = intake_once (uri, home, dir);
  g_assert_nonnull (strstr (out, "after the scan"));
  g_assert_nonnull (strstr (out, ca));
  g_assert_nonnull (strstr (out, "no-number.manifest.json"));
  g_assert_cmpint (manifests_of (sha_a), ==, 101);
  g_assert_cmpint (manifests_of (sha_b), ==, 101);
  g_assert_cmpint (manifests_of (sha_d), ==, 0);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM doorlicht.manifests m JOIN doorlicht.scans s ON s.case_id = m.case_id "
                         "WHERE (s.sha256 = '%s' AND m.json LIKE '%%%s%%') OR (s.sha256 = '%s' AND m.json LIKE "
                         "'%%%s%%')", sha_a, ca, sha_b, co);
  g_assert_cmpint (site_count (sql), ==, 2);

  /* once: neither this run nor another adds them again */
  g_clear_pointer (&out, g_free);
  out = intake_once (uri, home, dir);
  g_assert_null (strstr (out, "after the scan"));
  g_assert_cmpint (manifests_of (sha_a), ==, 101);
  g_assert_cmpint (manifests_of (sha_b), ==, 101);
  {
    const char *args[] = { "verify", uri, NULL };

    g_clear_pointer (&out, g_free);
    g_assert_cmpint (run_cli (home, args, &out), ==, 0);
  }
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  site_fixture_setup ("test_site_intake");
  g_test_add_func ("/site-intake/container-numbers", test_container_numbers);
  g_test_add_func ("/site-intake/folder", test_intake);
  g_test_add_func ("/site-intake/add-manifest", test_add_manifest);
  g_test_add_func ("/site-intake/killed-verdicts", test_killed_verdicts);
  g_test_add_func ("/site-intake/late-manifest", test_late_manifest);
  status = g_test_run ();
  site_fixture_teardown ();
  return status;
}
