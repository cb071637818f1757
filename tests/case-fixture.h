/* case-fixture.h — what the case-file tests share: people with keys of
 * their own, editing a file behind Doorlicht's back with the sqlite3
 * command-line tool, and damaging it the way a failing disk would.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "dl-case-file.h"
#include "dl-identity.h"

/* Overwrites the b-tree page header of @table's root page, which SQLite's
 * quick check finds while the schema (page 1) still reads. */
static inline void
fixture_damage_table (const char *path,
                      const char *table)
{
  g_autofree char *bytes = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gsize length;
  int root, page_size;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT rootpage, (SELECT page_size FROM pragma_page_size) "
                                       "FROM sqlite_schema WHERE name = ?1", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  root = sqlite3_column_int (stmt, 0);
  page_size = sqlite3_column_int (stmt, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_assert_true (g_file_get_contents (path, &bytes, &length, NULL));
  g_assert_cmpint (root, >, 1);
  g_assert_cmpuint (length, >=, (gsize) root * page_size);
  memset (bytes + (gsize) (root - 1) * page_size, 0x77, 12);
  g_assert_true (g_file_set_contents (path, bytes, length, NULL));
}

/* A person @login (display name @name, or the one stored) with a key pair
 * kept below @dir/identities. */
static inline DlIdentity *
fixture_person (const char *dir,
                const char *login,
                const char *name)
{
  g_autofree char *home = g_build_filename (dir, "identities", login, NULL);
  g_autoptr(GError) error = NULL;
  DlIdentity *identity = dl_identity_load_from_dir (home, login, name, &error);

  g_assert_no_error (error);
  return identity;
}

/* Runs @sql on @path with the sqlite3 command-line tool: an edit made
 * outside Doorlicht. */
static inline void
sqlite3_cli (const char *path,
             const char *sql)
{
  const char *argv[] = { "sqlite3", path, sql, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("sqlite3 %s: %s", sql, err);
}

/* A case file at @path with a row in every audited table: a case by alice
 * with an embedded scan (its file removed again), a manifest, a mark,
 * consistency hints, a verdict and a second one superseding it; bob's
 * review of that.  Keys and the scan's file are kept below @dir. */
static inline void
fixture_fill_case_file (const char *path,
                        const char *dir)
{
  g_autoptr(DlIdentity) alice = fixture_person (dir, "alice", "Alice");
  g_autoptr(DlIdentity) bob = fixture_person (dir, "bob", "Bob");
  g_autofree char *scan = g_build_filename (dir, "fixture-scan.tif", NULL);
  g_autoptr(DlCaseFile) file = NULL;
  g_autoptr(DlManifest) manifest = dl_manifest_new ();
  g_autoptr(DlAnnotations) marks = dl_annotations_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL, *sid = NULL, *v1 = NULL, *v2 = NULL, *rid = NULL;
  const char * const reasons[] = { "density-anomaly", "manifest-mismatch", NULL };
  const DlPoint rect[2] = { { 10, 20 }, { 110, 220 } };

  g_assert_true (g_file_set_contents (scan, "II*\0 bytes of a scan", 20, NULL));
  file = dl_case_file_create (path, alice, &error);
  g_assert_no_error (error);
  id = dl_case_file_new_case (file, "CSQU3054383", &error);
  g_assert_no_error (error);
  sid = dl_case_file_add_scan (file, id, scan, TRUE, &error);
  g_assert_no_error (error);
  manifest->message_id = g_strdup ("DL00000042");
  dl_manifest_add_container (manifest, "CSQU3054383", "42G1", TRUE);
  g_assert_true (dl_case_file_set_manifest (file, id, manifest, &error));
  dl_annotations_add (marks, DL_ANNOTATION_RECTANGLE, 0, rect, 2, "dense block");
  g_assert_true (dl_case_file_set_annotations (file, sid, marks, &error));
  g_assert_true (dl_case_file_set_hints (file, id, "{\"hints\":[]}", &error));
  {
    g_autoptr(DlBayPlan) plan = dl_bay_plan_new ();

    dl_bay_plan_add_container (plan, "CSQU3054383")->vgm_kg = 21400;
    g_assert_true (dl_case_file_set_bay_plan (file, id, plan, &error));
  }
  v1 = dl_case_file_add_verdict (file, id, DL_DECISION_INSPECT, reasons, "look closer", &error);
  g_assert_no_error (error);
  v2 = dl_case_file_add_verdict (file, id, DL_DECISION_SEIZE, reasons, "dense block behind the engine", &error);
  g_assert_no_error (error);
  g_assert_true (dl_case_file_close (file, &error));
  g_clear_object (&file);

  file = dl_case_file_open (path, bob, &error);
  g_assert_no_error (error);
  rid = dl_case_file_add_review (file, id, DL_REVIEW_APPROVE, "agreed", &error);
  g_assert_no_error (error);
  g_assert_true (dl_case_file_close (file, &error));
  g_unlink (scan);
}
