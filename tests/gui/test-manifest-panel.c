/* test-manifest-panel.c — what the manifest's reader read past is shown
 * in the manifest panel: a small list above the declaration, each
 * warning with its place; a mass the manifest does not give is said so,
 * never shown as 0.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "gui-test-util.h"
#include "dl-cuscar.h"
#include "dl-findings-list.h"
#include "dl-manifest-panel.h"
#include "dl-session-findings.h"
#include "doorlicht-resources.h"

/* The text of every label under @root, in widget order, joined by "\n". */
static void
collect_labels (GtkWidget *root,
                GString   *out)
{
  if (GTK_IS_LABEL (root) && gtk_widget_is_visible (root))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (root)));
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_get_visible (c))
      collect_labels (c, out);
}

/* All text shown under @root (an AdwActionRow's title and subtitle are
 * labels too). */
static char *
shown_text (GtkWidget *root)
{
  GString *out = g_string_new (NULL);

  collect_labels (root, out);
  /* the isolates around the sender's text (dl_text_isolate) left out */
  g_string_replace (out, "\xE2\x81\xA8", "", 0);
  g_string_replace (out, "\xE2\x81\xA9", "", 0);
  return g_string_free (out, FALSE);
}

static DlManifest *
lenient_manifest (void)
{
  /* UN/EDIFACT D.95B CUSCAR (UNECE segment table), one segment a line:
   * a wrong UNT count, and a weight of qualifier AAG (6313: "gross weight
   * (item level)"), which the reader does not take */
  const char *edi =
    "UNB+UNOC:3+S+R+261122:0800+IC'\n"
    "UNH+1+CUSCAR:D:95B:UN'\n"
    "BGM+85+PANEL1+9'\n"
    "TDT+20+V1+1'\n"
    "EQD+CN+CSQU3054383+42G1+++5'\n"
    "CNI+1+BL1'\n"
    "GID+1+100:BG'\n"
    "FTX+AAA+++RICE'\n"
    "MEA+WT+AAG+KGM:12400'\n"
    "SGP+CSQU3054383+100'\n"
    "GID+2+10:CT'\n"
    "FTX+AAA+++TEA'\n"
    "MEA+WT+G+KGM:250'\n"
    "UNT+40+1'\n"
    "UNZ+1+IC'\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) manifests = dl_cuscar_read (edi, strlen (edi), &error);

  g_assert_no_error (error);
  return dl_manifest_ref (g_ptr_array_index (manifests, 0));
}

static void
test_warnings_shown (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *panel = dl_manifest_panel_new ();
  g_autoptr(DlManifest) m = lenient_manifest ();
  g_autoptr(DlManifest) clean = dl_manifest_new ();
  g_autofree char *text = NULL;
  g_autofree char *clean_text = NULL;
  const char *warning, *declaration;

  g_assert_cmpuint (m->warnings->len, ==, 2);
  gtk_window_set_default_size (GTK_WINDOW (window), 420, 900);
  gtk_window_set_child (GTK_WINDOW (window), panel);
  gtk_window_present (GTK_WINDOW (window));
  dl_manifest_panel_set_manifest (DL_MANIFEST_PANEL (panel), m);
  wait_widget_frames (panel, 2);

  text = shown_text (panel);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Read with 2 Warnings"));
  warning = strstr (text, "segment 9 (MEA) at line 9, column 8: ");
  g_assert_nonnull (warning);
  g_assert_nonnull (strstr (text, "segment 14 (UNT) at line 14, column 5: UNT counts 40 segments, there are 13"));
  /* above the declaration */
  declaration = strstr (text, "Declaration");
  g_assert_nonnull (declaration);
  g_assert_true (warning < declaration);
  /* the rice's mass is not given; not 0 kg, and no total pretending */
  g_assert_nonnull (strstr (text, "100 BG\nmass not given"));
  g_assert_null (strstr (text, "\n0.0 kg"));
  g_assert_nonnull (strstr (text, "10 CT\n250.0 kg"));
  g_assert_nonnull (strstr (text, "the gross mass of 1 goods line is not given"));

  /* a manifest read cleanly shows no such list */
  clean->message_id = g_strdup ("CLEAN");
  dl_manifest_current_consignment (clean)->transport_document = g_strdup ("CMR0042");
  dl_manifest_current_consignment (clean)->transport_document_kind = g_strdup ("CMR");
  dl_manifest_add_goods (clean, NULL, "090240", "Tea", 10, "CT", 250);
  dl_manifest_panel_set_manifest (DL_MANIFEST_PANEL (panel), clean);
  wait_widget_frames (panel, 2);
  clean_text = shown_text (panel);
  g_assert_null (strstr (clean_text, "Warning"));
  g_assert_null (strstr (clean_text, "segment "));
  /* the transport document with its kind, heading its consignment */
  g_assert_nonnull (strstr (clean_text, "Road consignment note · CMR0042\n"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Two consignments (an LCL container holding goods of both), each under
 * its document with consignor → consignee, its goods beneath; a goods
 * item split over two containers shows each placement. */
static void
test_consignments_shown (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *panel = dl_manifest_panel_new ();
  g_autoptr(DlManifest) m = dl_manifest_new ();
  DlManifestConsignment *c = dl_manifest_add_consignment (m);
  DlManifestGoods *g;
  g_autofree char *text = NULL;
  const char *first, *rice, *second, *tyres, *linen;

  m->message_id = g_strdup ("LCL");
  dl_manifest_add_container (m, "CSQU3054383", "42G1", TRUE);
  dl_manifest_add_container (m, "MSKU1234565", "22G1", TRUE);
  c->transport_document = g_strdup ("HBL0001");
  c->transport_document_kind = g_strdup ("BH");
  c->consignor = g_strdup ("Shanghai Textile Co");
  c->consignee = g_strdup ("Noordzee Import B.V.");
  c->notify_party = g_strdup ("Delta Logistics N.V.");
  g = dl_manifest_add_goods (m, "CSQU3054383", "100630", "Rice in bags", 900, "BG", 19800.5);
  dl_manifest_goods_add_placement (g, "CSQU3054383", 500, 11000);
  dl_manifest_goods_add_placement (g, "MSKU1234565", 400, 8800.5);
  g = dl_manifest_add_goods (m, "CSQU3054383", "630411", "Cotton bed linen", 0, "CT", 1250.75);
  g->has_packages = FALSE;
  c = dl_manifest_add_consignment (m);
  c->transport_document = g_strdup ("HBL0002");
  c->transport_document_kind = g_strdup ("BH");
  c->consignor = g_strdup ("Ningbo Tyres Ltd");
  c->consignee = g_strdup ("Van der Berg Handel B.V.");
  dl_manifest_add_goods (m, "CSQU3054383", "401110", "New pneumatic tyres", 120, "PK", 1080);

  gtk_window_set_default_size (GTK_WINDOW (window), 420, 1000);
  gtk_window_set_child (GTK_WINDOW (window), panel);
  gtk_window_present (GTK_WINDOW (window));
  dl_manifest_panel_set_manifest (DL_MANIFEST_PANEL (panel), m);
  wait_widget_frames (panel, 2);
  text = shown_text (panel);
  g_test_message ("%s", text);

  first = strstr (text, "House bill of lading · HBL0001\nShanghai Textile Co → Noordzee Import B.V. · notify Delta Logistics N.V.");
  rice = strstr (text, "Rice in bags");
  linen = strstr (text, "Cotton bed linen");
  second = strstr (text, "House bill of lading · HBL0002\nNingbo Tyres Ltd → Van der Berg Handel B.V.");
  tyres = strstr (text, "New pneumatic tyres");
  g_assert_nonnull (first);
  g_assert_nonnull (second);
  /* each consignment's goods beneath it */
  g_assert_true (first < rice && rice < linen && linen < second && second < tyres);
  /* the split goods item in each of its containers, not in the first only */
  g_assert_nonnull (strstr (text, "\nCSQU3054383 · 500 BG · 11000.0 kg\nMSKU1234565 · 400 BG · 8800.5 kg"));
  /* a count not given is said so, not shown as 0 */
  g_assert_nonnull (strstr (text, "packages not given\n1250.8 kg"));
  g_assert_null (strstr (text, "0 CT"));
  g_assert_nonnull (strstr (text, "the package count of 1 goods line is not given"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Without a manifest the panel says so, shows no declaration and no
 * checks against one, and still shows the findings (detectors that need
 * no manifest look at such a scan too). */
static void
test_no_manifest (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *panel = dl_manifest_panel_new ();
  g_autoptr(DlSessionFindings) findings = dl_session_findings_new ();
  g_autoptr(DlScan) scan = dl_scan_new ();
  g_autofree char *text = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), 420, 900);
  gtk_window_set_child (GTK_WINDOW (window), panel);
  gtk_window_present (GTK_WINDOW (window));
  dl_manifest_panel_set_manifest (DL_MANIFEST_PANEL (panel), NULL);
  /* an empty scan: the detectors run on it (and fail: no container) */
  dl_findings_list_set_findings (dl_manifest_panel_get_findings_list (DL_MANIFEST_PANEL (panel)), findings);
  dl_session_findings_set_scan (findings, scan, NULL, NULL, NULL, NULL, NULL);
  wait_widget_frames (panel, 2);
  text = shown_text (panel);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "No Manifest"));
  g_assert_nonnull (strstr (text, "Findings"));
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (dl_manifest_panel_get_findings_list (DL_MANIFEST_PANEL (panel)))));
  g_assert_null (strstr (text, "Declaration"));
  g_assert_null (strstr (text, "Checked Against the Scan"));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* links the resources in (the panel's template), as the window does */
  g_assert_nonnull (doorlicht_get_resource ());

  g_test_add_func ("/manifest-panel/warnings-shown", test_warnings_shown);
  g_test_add_func ("/manifest-panel/consignments-shown", test_consignments_shown);
  g_test_add_func ("/manifest-panel/no-manifest", test_no_manifest);

  return g_test_run ();
}
