/* case-fixture.h — damaging a case file the way a failing disk would,
 * for the core and GUI tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
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
