/* test-cli-site-uri.c — the case subcommands that do not yet work on a
 * site store (all but add, claim, verdict, review, list, export, import,
 * csv, report, findings, finding and verify: tests/site) refuse a postgresql:// URI in words, never show its
 * password, and make no file named after it (issue 19); those that do,
 * given a site that is not there, fail saying so, without the password.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

static const char *const uris[] = {
  "postgresql://alice:s3cretPW@localhost/doorlicht",
  "postgres://alice:s3cretPW@localhost/doorlicht",
};

static int
run_cli (const char *const *args,
         char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, (char *) g_getenv ("DL_CLI"));
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                               NULL, err, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
expect_refused (const char *const *args,
                const char        *uri)
{
  g_autofree char *err = NULL;
  int status = run_cli (args, &err);

  g_test_message ("%s %s: %d %s", args[0], args[1], status, err);
  g_assert_cmpint (status, ==, 1);
  /* said why, naming the site without its password */
  g_assert_nonnull (strstr (err, "site store"));
  g_assert_nonnull (strstr (err, "user=alice"));
  g_assert_null (strstr (err, "connect"));
  g_assert_null (strstr (err, "s3cretPW"));
  g_assert_false (g_file_test (uri, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test ("postgresql:", G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test ("postgres:", G_FILE_TEST_EXISTS));
}

/* No server answers there (the tests' clusters listen on no TCP port). */
static void
expect_unreachable (const char *const *args,
                    const char        *uri)
{
  g_autofree char *err = NULL;
  int status = run_cli (args, &err);

  g_test_message ("%s %s: %d %s", args[0], args[1], status, err);
  g_assert_cmpint (status, ==, 1);
  g_assert_null (strstr (err, "not on a site store"));
  g_assert_nonnull (strstr (err, "site store"));
  g_assert_nonnull (strstr (err, "user=alice"));
  g_assert_null (strstr (err, "s3cretPW"));
  g_assert_false (g_file_test (uri, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test ("postgresql:", G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test ("postgres:", G_FILE_TEST_EXISTS));
}

static void
test_refused (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dl-site-uri-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (dir, "out.dlcase", NULL);

  g_assert_nonnull (dir);
  g_assert_cmpint (g_chdir (dir), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      const char *u = uris[i];
      const char *const cmds[][8] = {
        { "case", "thumbnails", u, NULL },
        { "case", "new", u, NULL },
        { "case", "recover", u, NULL },
        /* a file is imported, and exported into, never a site */
        { "case", "import", out, u, NULL },
        { "case", "export", out, "--cases", "C-1", "-o", u, NULL },
      };
      const char *const unreachable[][8] = {
        { "case", "list", u, NULL },
        { "case", "add", u, "scan.tif", NULL },
        { "case", "csv", u, "-o", out, NULL },
        { "case", "report", u, "C-1", "-o", out, NULL },
        { "case", "findings", u, "C-1", NULL },
        { "case", "detect", u, "C-1", NULL },
        { "case", "finding", u, "F-1", "--confirm", NULL },
        { "case", "export", u, "--cases", "C-1", "-o", out, NULL },
        { "case", "import", u, out, NULL },
        { "verify", u, NULL },
      };

      for (guint c = 0; c < G_N_ELEMENTS (cmds); c++)
        expect_refused (cmds[c], u);
      for (guint c = 0; c < G_N_ELEMENTS (unreachable); c++)
        expect_unreachable (unreachable[c], u);
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli-site-uri/refused", test_refused);
  return g_test_run ();
}
