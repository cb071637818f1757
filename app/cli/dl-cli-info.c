/* dl-cli-info.c — `doorlicht-cli info FILE`: what a scan holds, or a DICOS
 * threat detection report's threats, as JSON.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-cli-info"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "dl-cli.h"
#include "dl-dicom-wire.h"
#include "dl-dicos-tdr.h"
#include "dl-histogram.h"
#include "dl-json-build.h"
#include "dl-profile.h"
#include "dl-scan.h"

static JsonNode *
channel_stats (DlPlane *plane)
{
  const DlHistogram *h = dl_plane_ensure_histogram (plane);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, plane->name);
  json_builder_set_member_name (b, "min");
  json_builder_add_int_value (b, h->min);
  json_builder_set_member_name (b, "max");
  json_builder_add_int_value (b, h->max);
  json_builder_set_member_name (b, "mean");
  json_builder_add_double_value (b, h->mean);
  /* how the stored values relate to the file's: file = stored × scale + offset */
  json_builder_set_member_name (b, "mapping");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "scale");
  json_builder_add_double_value (b, plane->scale);
  json_builder_set_member_name (b, "offset");
  json_builder_add_double_value (b, plane->offset);
  json_builder_set_member_name (b, "lossless");
  json_builder_add_boolean_value (b, plane->lossless);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "air_value");
  if (plane->air_value > 0)
    json_builder_add_double_value (b, plane->air_value);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

static JsonNode *
views_node (DlScan *scan)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  for (guint v = 0; v < dl_scan_get_n_views (scan); v++)
    {
      DlPlane *p = dl_scan_get_plane (scan, v, 0);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "width");
      json_builder_add_int_value (b, p->width);
      json_builder_set_member_name (b, "height");
      json_builder_add_int_value (b, p->height);
      json_builder_set_member_name (b, "channels");
      json_builder_add_int_value (b, dl_scan_get_n_channels (scan, v));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  return json_builder_get_root (b);
}

/* "profile": the scanner profile the scan gets (its id, and how it was
 * chosen), null when none is for it: then its classes and mass are not
 * calibrated for its scanner. */
static void
add_profile (JsonBuilder *b,
             DlScan      *scan)
{
  DlProfileMatch how = DL_PROFILE_MATCH_NONE;
  DlProfile *p = dl_scan_choose_profile (scan, &how);

  json_builder_set_member_name (b, "profile");
  if (p == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, p->id);
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, dl_profile_match_describe (how));
  json_builder_end_object (b);
}

/* A metadata value under @member, null when the scan has none. */
static void
add_metadata (JsonBuilder *b,
              DlScan      *scan,
              const char  *member,
              const char  *key)
{
  dl_json_set_string_or_null (b, member, dl_scan_get_metadata (scan, key));
}

/* The scan as one JSON object: the first view's size, channels and their
 * statistics of the normalised 16-bit values. */
static JsonNode *
info_node (DlScan *scan)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  DlPlane *first = dl_scan_get_plane (scan, 0, 0);
  double px, py;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, dl_scan_get_source_path (scan));
  json_builder_set_member_name (b, "sha256");
  json_builder_add_string_value (b, dl_scan_get_sha256 (scan));
  json_builder_set_member_name (b, "width");
  json_builder_add_int_value (b, first->width);
  json_builder_set_member_name (b, "height");
  json_builder_add_int_value (b, first->height);
  json_builder_set_member_name (b, "channels");
  json_builder_add_int_value (b, dl_scan_get_n_channels (scan, 0));
  json_builder_set_member_name (b, "bits");
  json_builder_add_int_value (b, first->source_bits);
  json_builder_set_member_name (b, "lossless");
  json_builder_add_boolean_value (b, first->lossless);
  json_builder_set_member_name (b, "pixel_pitch_mm");
  if (dl_scan_get_pixel_pitch (scan, &px, &py))
    json_builder_add_double_value (b, px);
  else
    json_builder_add_null_value (b);
  add_metadata (b, scan, "pitch_source", "pitch-source");
  add_metadata (b, scan, "energy_order", "energy-order");
  json_builder_set_member_name (b, "views");
  json_builder_add_value (b, views_node (scan));
  add_profile (b, scan);
  json_builder_set_member_name (b, "stats");
  json_builder_begin_array (b);
  for (guint c = 0; c < dl_scan_get_n_channels (scan, 0); c++)
    json_builder_add_value (b, channel_stats (dl_scan_get_plane (scan, 0, c)));
  json_builder_end_array (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

/* When @error says @path holds no image and @path is a threat detection
 * report: the report printed, @error cleared, TRUE; else FALSE, @error
 * kept. */
static gboolean
print_report (const char  *path,
              GError     **error)
{
  g_autoptr(DlDicosTdr) tdr = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  if (!g_error_matches (*error, DL_SCAN_ERROR, DL_SCAN_ERROR_UNSUPPORTED)
      || (tdr = dl_dicos_tdr_load (path, NULL)) == NULL)
    return FALSE;
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, path);
  json_builder_set_member_name (b, "threat_detection_report");
  dl_dicom_wire_add_tdr (b, tdr);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json = json_to_string (root, TRUE);
  g_print ("%s\n", json);
  g_clear_error (error);
  return TRUE;
}

int
dl_cli_info (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE — print what a scan (or a threat detection report) holds, as JSON"));
  g_autofree char *max_memory = NULL;
  GOptionEntry entries[] = {
    { "max-memory", 'm', 0, G_OPTION_ARG_STRING, &max_memory,
      N_("Refuse scans needing more sample memory than this (default 4G)"), N_("SIZE") },
    { NULL }
  };
  DlLoadOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlScan) scan = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error)
      || !dl_cli_parse_size (max_memory, &options.max_memory, &error))
    {
      dl_cli_fail ("info", error);
      return DL_CLI_EXIT_USAGE;
    }

  if (argc != 2)
    {
      g_printerr ("%s\n", _("doorlicht-cli info: give exactly one FILE"));
      return DL_CLI_EXIT_USAGE;
    }

  scan = dl_scan_load_file (argv[1], &options, NULL, NULL, NULL, &error);
  if (scan == NULL)
    return print_report (argv[1], &error) ? 0 : dl_cli_fail (argv[1], error);

  root = info_node (scan);
  json = json_to_string (root, TRUE);
  g_print ("%s\n", json);

  return 0;
}
