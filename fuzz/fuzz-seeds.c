/* fuzz-seeds.c — writes the seeds that ../shared/corpus lacks:
 *
 *   OUTDIR/manifest/   each synthetic scene's manifest as JSON, CSV and
 *                      CUSCAR (dl_synth_generate, dl_manifest_to_json/csv/cuscar),
 *                      and one of two consignments (JSON v2 and v1, CSV, CUSCAR)
 *   OUTDIR/case-file/  a case file with a case, an embedded scan, a manifest,
 *                      a verdict and a review; a signed export of it; the
 *                      same with a trigger added (refused as hostile)
 *   OUTDIR/test-object/ the test-object scene's OBJECT.json
 *
 * Usage: fuzz-seeds OUTDIR.  Identities live in a temporary folder that is
 * removed again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>

#include "dl-case-file.h"
#include "dl-synth.h"

static void
check (gboolean    ok,
       GError     *error,
       const char *what)
{
  if (!ok)
    {
      g_printerr ("fuzz-seeds: %s: %s\n", what, error ? error->message : "failed");
      exit (1);
    }
}

static void
write_text (const char *dir,
            const char *name,
            const char *suffix,
            const char *text)
{
  g_autofree char *file = g_strconcat (name, suffix, NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GError) error = NULL;

  check (g_file_set_contents (path, text, -1, &error), error, path);
}

/* A message of two consignments, an LCL container holding goods of both
 * and a goods item split over two containers, one without a package
 * count: the version 2 JSON form's consignments, and version 1 of the
 * first alone. */
static void
write_consignments (const char *dir)
{
  g_autoptr(DlManifest) m = dl_manifest_new ();
  DlManifestConsignment *c = dl_manifest_add_consignment (m);
  DlManifestGoods *g;
  g_autofree char *json = NULL, *csv = NULL, *edi = NULL, *v1 = NULL;

  m->message_id = g_strdup ("LCL1");
  m->transport_mode = g_strdup ("sea");
  dl_manifest_add_container (m, "CSQU3054383", "42G1", TRUE);
  dl_manifest_add_container (m, "MSKU1234565", "22G1", TRUE);
  c->transport_document = g_strdup ("HBL0001");
  c->transport_document_kind = g_strdup ("BH");
  c->consignor = g_strdup ("A");
  c->consignee = g_strdup ("B");
  g = dl_manifest_add_goods (m, "CSQU3054383", "100630", "RICE", 900, "BG", 19800.5);
  dl_manifest_goods_add_placement (g, "CSQU3054383", 500, 11000);
  dl_manifest_goods_add_placement (g, "MSKU1234565", 400, 8800.5);
  g = dl_manifest_add_goods (m, "CSQU3054383", "630411", "LINEN", 0, "CT", 1250.75);
  g->has_packages = FALSE;
  v1 = dl_manifest_to_json_version (m, 1, NULL);
  c = dl_manifest_add_consignment (m);
  c->transport_document = g_strdup ("HBL0002");
  c->notify_party = g_strdup ("N");
  c->place_of_delivery = g_strdup ("DEDUI");
  dl_manifest_add_goods (m, "CSQU3054383", "401110", "TYRES", 120, "PK", 1080);
  json = dl_manifest_to_json (m);
  csv = dl_manifest_to_csv (m);
  edi = dl_manifest_to_cuscar (m);
  write_text (dir, "consignments", ".json", json);
  write_text (dir, "consignments", ".csv", csv);
  write_text (dir, "consignments", ".edi", edi);
  write_text (dir, "consignments-1", ".json", v1);
}

static void
write_manifests (const char *outdir)
{
  g_autofree char *dir = g_build_filename (outdir, "manifest", NULL);
  const DlSynthScene *scenes = dl_synth_get_scenes ();

  g_mkdir_with_parents (dir, 0755);
  for (guint i = 0; scenes[i].name != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DlSynthOutput) out = dl_synth_generate (scenes[i].name, 1, FALSE, &error);
      g_autofree char *json = NULL, *csv = NULL, *edi = NULL;

      check (out != NULL, error, scenes[i].name);
      json = dl_manifest_to_json (out->manifest);
      csv = dl_manifest_to_csv (out->manifest);
      edi = dl_manifest_to_cuscar (out->manifest);
      write_text (dir, scenes[i].name, ".json", json);
      write_text (dir, scenes[i].name, ".csv", csv);
      write_text (dir, scenes[i].name, ".edi", edi);
      if (out->object_json)
        {
          g_autofree char *objects = g_build_filename (outdir, "test-object", NULL);

          g_mkdir_with_parents (objects, 0755);
          write_text (objects, scenes[i].name, ".object.json", out->object_json);
        }
    }
  write_consignments (dir);
}

static DlIdentity *
person (const char *tmp,
        const char *login)
{
  g_autofree char *dir = g_build_filename (tmp, login, NULL);
  g_autoptr(GError) error = NULL;
  DlIdentity *identity = dl_identity_load_from_dir (dir, login, login, &error);

  check (identity != NULL, error, login);
  return identity;
}

/* A case with every kind of row; returns its id. */
static char *
fill_case_file (const char *path,
                const char *tmp,
                DlIdentity *alice,
                DlIdentity *bob)
{
  g_autofree char *scan = g_build_filename (tmp, "scan.tif", NULL);
  g_autoptr(DlCaseFile) file = dl_case_file_create (path, alice, NULL);
  g_autoptr(DlCaseFile) again = NULL;
  g_autoptr(DlSynthOutput) out = dl_synth_generate ("mixed", 1, FALSE, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL, *scan_id = NULL, *verdict = NULL, *review = NULL;
  static const char * const reasons[] = { "density-anomaly", NULL };

  check (file != NULL, NULL, path);
  check (g_file_set_contents (scan, "II*\0fuzz seed scan", 18, &error), error, scan);
  check ((id = dl_case_file_new_case (file, "CSQU3054383", &error)) != NULL, error, "case");
  check ((scan_id = dl_case_file_add_scan (file, id, scan, TRUE, &error)) != NULL, error, "scan");
  if (out != NULL)
    check (dl_case_file_set_manifest (file, id, out->manifest, &error), error, "manifest");
  check ((verdict = dl_case_file_add_verdict (file, id, DL_DECISION_INSPECT, reasons,
                                              "seed", &error)) != NULL, error, "verdict");
  check (dl_case_file_close (file, &error), error, "close");

  again = dl_case_file_open (path, bob, &error);
  check (again != NULL, error, "open as bob");
  check ((review = dl_case_file_add_review (again, id, DL_REVIEW_APPROVE, "ok", &error)) != NULL,
         error, "review");
  check (dl_case_file_close (again, &error), error, "close");
  g_unlink (scan);
  return g_steal_pointer (&id);
}

static void
add_trigger (const char *from,
             const char *to)
{
  g_autofree char *contents = NULL;
  gsize size = 0;
  sqlite3 *db = NULL;

  check (g_file_get_contents (from, &contents, &size, NULL), NULL, from);
  check (g_file_set_contents (to, contents, size, NULL), NULL, to);
  check (sqlite3_open (to, &db) == SQLITE_OK, NULL, to);
  check (sqlite3_exec (db, "CREATE TRIGGER steal AFTER INSERT ON verdicts "
                           "BEGIN DELETE FROM reviews; END;", NULL, NULL, NULL) == SQLITE_OK,
         NULL, "trigger");
  sqlite3_close (db);
}

static void
write_case_files (const char *outdir)
{
  g_autofree char *dir = g_build_filename (outdir, "case-file", NULL);
  g_autofree char *tmp = g_dir_make_tmp ("dl-fuzz-seeds-XXXXXX", NULL);
  g_autofree char *plain = g_build_filename (dir, "case.dlcase", NULL);
  g_autofree char *export = g_build_filename (dir, "export.dlcase", NULL);
  g_autofree char *trigger = g_build_filename (dir, "trigger.dlcase", NULL);
  g_autofree char *rm = NULL;
  g_autoptr(DlIdentity) alice = NULL, bob = NULL;
  g_autoptr(DlCaseFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  const char *ids[2] = { NULL, NULL };

  check (tmp != NULL, NULL, "temporary folder");
  g_mkdir_with_parents (dir, 0755);
  g_unlink (plain);
  g_unlink (export);
  g_unlink (trigger);
  alice = person (tmp, "alice");
  bob = person (tmp, "bob");
  id = fill_case_file (plain, tmp, alice, bob);

  ids[0] = id;
  file = dl_case_file_open (plain, alice, &error);
  check (file != NULL, error, plain);
  check (dl_case_file_export (file, ids, export, &error), error, "export");
  check (dl_case_file_close (file, &error), error, "close");
  add_trigger (plain, trigger);

  g_clear_object (&alice);
  g_clear_object (&bob);
  rm = g_strdup_printf ("rm -rf '%s'", tmp);
  check (system (rm) == 0, NULL, rm);
}

int
main (int   argc,
      char *argv[])
{
  if (argc != 2)
    {
      g_printerr ("Usage: %s OUTDIR\n", argv[0]);
      return 2;
    }
  write_manifests (argv[1]);
  write_case_files (argv[1]);
  return 0;
}
