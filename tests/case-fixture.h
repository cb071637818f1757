/* case-fixture.h — what the case-file tests share: people with keys of
 * their own, editing a file behind Doorlicht's back with the sqlite3
 * command-line tool, and damaging it the way a failing disk would.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "dl-identity.h"
#include <sqlite3.h>
#include <string.h>

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
