/* dl-cli-evaluate.c — `doorlicht-cli evaluate DIR [--png FILE] [--json]
 * [--false-alarm-rate R] [--detector NAME]… [--external DIR]`: every
 * detector over a labelled set (dl-evaluate.h), a table per scene and
 * detector, curves drawn as PNG.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-cli-evaluate"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "dl-cli.h"
#include "dl-detector.h"
#include "dl-evaluate.h"
#include "dl-external.h"
#include "dl-format.h"

static char *
ratio (guint n, guint total)
{
  g_autofree char *a = dl_format_count (n);
  g_autofree char *b = dl_format_count (total);

  return total ? g_strdup_printf ("%s/%s", a, b) : g_strdup ("-");
}

static const char *
detector_name (const DlEvaluation *e, int d)
{
  return d == DL_EVALUATION_ALL ? _("all detectors") : g_ptr_array_index (e->detectors, d);
}

static void
print_row (const DlEvaluation *e, const char *scene, int d)
{
  DlEvalPoint p;
  g_autofree char *detected = NULL, *located = NULL, *alerted = NULL, *threshold = NULL;

  dl_evaluation_point (e, d, scene, NAN, &p);
  detected = ratio (p.detected, p.n_concealment);
  located = ratio (p.located, p.n_concealment);
  alerted = ratio (p.alerted, p.n_honest);
  threshold = d == DL_EVALUATION_ALL ? g_strdup ("-") : dl_format_number (g_array_index (e->thresholds, double, d), 2);
  g_print ("%-20s %-14s %9s %9s %9s %9s\n", scene ? scene : _("(all scenes)"), detector_name (e, d), threshold,
           detected, located, alerted);
}

static void
print_table (const DlEvaluation *e)
{
  /* TRANSLATORS: column heads of `doorlicht-cli evaluate`; keep them short */
  g_print ("%-20s %-14s %9s %9s %9s %9s\n", _("scene"), _("detector"), _("threshold"), _("detected"),
           _("located"), _("alerted"));
  for (guint i = 0; i <= e->scenes->len; i++)
    {
      const char *scene = i < e->scenes->len ? g_ptr_array_index (e->scenes, i) : NULL;

      for (int d = 0; d < (int) e->detectors->len; d++)
        print_row (e, scene, d);
      print_row (e, scene, DL_EVALUATION_ALL);
    }
}

static void
print_operating_points (const DlEvaluation *e,
                        double              rate)
{
  g_autofree char *r = dl_format_number (rate, 3);

  g_print ("\n");
  g_print (_("Operating points: the lowest threshold with at most %s false alarms per honest scan\n"), r);
  for (int d = 0; d < (int) e->detectors->len; d++)
    {
      DlEvalPoint p;
      g_autofree char *t = NULL, *detected = NULL, *located = NULL, *fa = NULL;

      if (!dl_evaluation_operating_point (e, d, rate, &p))
        {
          g_print ("%-14s %s\n", detector_name (e, d), _("no honest scan: no operating point"));
          continue;
        }
      t = isfinite (p.threshold) ? dl_format_number (p.threshold, 3) : g_strdup (_("none fires"));
      detected = ratio (p.detected, p.n_concealment);
      located = ratio (p.located, p.n_concealment);
      fa = dl_format_number ((double) p.false_alarms / p.n_honest, 3);
      /* TRANSLATORS: detector, threshold, detected n/N, located n/N, false alarms per scan */
      g_print (_("%-14s threshold %s: detected %s, located %s, %s false alarms per honest scan\n"),
               detector_name (e, d), t, detected, located, fa);
    }
}

/* Prints each detector error met; TRUE when there was one. */
static gboolean
report_errors (const DlEvaluation *e)
{
  gboolean any = FALSE;

  for (guint i = 0; i < e->scans->len; i++)
    {
      const DlEvalScan *s = g_ptr_array_index (e->scans, i);

      for (guint k = 0; k < s->errors->len; k++, any = TRUE)
        g_printerr (_("doorlicht-cli: evaluate: %s: %s\n"), s->base, (char *) g_ptr_array_index (s->errors, k));
    }
  return any;
}

static gboolean
parse_size (const char *text, guint *width, guint *height, GError **error)
{
  guint64 w = 0, h = 0;
  g_auto(GStrv) parts = text ? g_strsplit (text, "x", 2) : NULL;

  if (text == NULL)
    return TRUE;
  if (parts[1] == NULL || !g_ascii_string_to_unsigned (parts[0], 10, 1, 100000, &w, NULL)
      || !g_ascii_string_to_unsigned (parts[1], 10, 1, 100000, &h, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("“%s” is not a size such as 900x600"), text);
      return FALSE;
    }
  *width = w;
  *height = h;
  return TRUE;
}

int
dl_cli_evaluate (int    argc,
                 char **argv)
{
  g_autofree char *png = NULL, *size = NULL, *external_dir = NULL, *calibration_path = NULL;
  g_auto(GStrv) names = NULL;
  gboolean json = FALSE;
  double rate = -1;
  guint width = 900, height = 600;
  GOptionEntry entries[] = {
    { "png", 0, 0, G_OPTION_ARG_FILENAME, &png,
      N_("Draw detection rate against false alarms per scan, one curve per detector, into FILE"), N_("FILE") },
    { "size", 0, 0, G_OPTION_ARG_STRING, &size, N_("Size of the PNG (default 900x600)"), N_("WxH") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the whole evaluation as JSON instead of the table"), NULL },
    { "false-alarm-rate", 'r', 0, G_OPTION_ARG_DOUBLE, &rate,
      N_("Print each detector's lowest threshold with at most R false alarms per honest scan"), N_("R") },
    { "detector", 'd', 0, G_OPTION_ARG_STRING_ARRAY, &names, N_("Evaluate this detector (repeatable; default: all)"),
      N_("NAME") },
    { "external", 'e', 0, G_OPTION_ARG_FILENAME, &external_dir,
      N_("Add the external detectors described in this folder (docs/detector-protocol.md)"), N_("DIR") },
    { "calibration", 0, 0, G_OPTION_ARG_FILENAME, &calibration_path,
      N_("Material calibration file (default: the built-in synthetic profile)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("DIR — measure the detectors over a labelled set"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = dl_detectors_builtin ();
  g_autoptr(GPtrArray) detectors = NULL;
  g_autoptr(DlCalibration) own_calibration = NULL;
  g_autoptr(DlEvaluation) e = NULL;
  gboolean failed;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context, _(
    "DIR holds BASE.truth.json files with BASE.tif and BASE.manifest.json beside each (doorlicht-cli synth "
    "--set DIR --seeds 2000-2019 --varied makes one; the tests use seeds below 1000, the demo 1000–1005).\n\n"
    "A scan is a concealment scan when its truth has a concealed object, else honest. At threshold t a "
    "concealment scan is detected when a finding scores ≥ t, and located when such a finding's outline "
    "bounding box overlaps a concealed object's bbox_px (an intersection of positive area). A false alarm "
    "is a finding scoring ≥ t on an honest scan; the alert rate is the share of honest scans with one. "
    "“all detectors” takes every detector's findings together. The table uses each detector's current "
    "threshold, its min_score (0 when it has none)."));
  if (!g_option_context_parse (context, &argc, &argv, &error) || !parse_size (size, &width, &height, &error))
    {
      dl_cli_fail ("evaluate", error);
      return DL_CLI_EXIT_USAGE;
    }
  if (argc != 2 || (rate != -1 && !(rate >= 0 && isfinite (rate))))
    {
      g_printerr ("%s\n", _("doorlicht-cli evaluate: give exactly one DIR (and a --false-alarm-rate of 0 or more)"));
      return DL_CLI_EXIT_USAGE;
    }
  if (external_dir && !dl_cli_add_external_detectors (all, external_dir, &error))
    return dl_cli_fail (external_dir, error);
  if ((detectors = dl_cli_pick_detectors (all, names, &error)) == NULL)
    {
      dl_cli_fail ("evaluate", error);
      return DL_CLI_EXIT_USAGE;
    }
  if (calibration_path && (own_calibration = dl_calibration_load (calibration_path, &error)) == NULL)
    return dl_cli_fail (calibration_path, error);
  e = dl_evaluation_run (argv[1], detectors, own_calibration ? own_calibration : dl_calibration_get_default (),
                         NULL, &error);
  if (e == NULL)
    return dl_cli_fail ("evaluate", error);
  failed = report_errors (e);

  if (json)
    {
      g_autofree char *text = dl_evaluation_to_json (e);
      g_print ("%s\n", text);
    }
  else
    {
      print_table (e);
      if (rate >= 0)
        print_operating_points (e, rate);
    }
  if (png && !dl_evaluation_write_png (e, png, width, height, &error))
    return dl_cli_fail ("evaluate", error);
  return failed ? DL_CLI_EXIT_FAILURE : 0;
}
