/* dl-cli-render.c — `doorlicht-cli render FILE --window C:W -o OUT`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-cli-render"

#include "config.h"

#include <glib/gi18n.h>

#include "dl-cli.h"
#include "dl-histogram.h"
#include "dl-image-write.h"
#include "dl-overlay.h"
#include "dl-presets.h"
#include "dl-scan.h"
#include "dl-synth-calibrate.h"
#include "dl-tiff.h"

typedef struct
{
  char    *window;
  char    *preset;
  char    *output;
  char    *max_memory;
  char   **overlays;
  char    *calibration;
  int      channel;
  int      view;
  gboolean density;
  gboolean invert;
  double   gamma;
  double   i0;
} RenderOptions;

static void
render_options_clear (RenderOptions *o)
{
  g_free (o->window);
  g_free (o->preset);
  g_free (o->output);
  g_free (o->max_memory);
  g_strfreev (o->overlays);
  g_free (o->calibration);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RenderOptions, render_options_clear)

static gboolean
check_options (const RenderOptions  *o,
               int                   argc,
               GError              **error)
{
  if (argc != 2)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _("give exactly one FILE"));
  else if (o->output == NULL)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _("give the output file with -o"));
  else if ((o->window == NULL) == (o->preset == NULL))
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                 _("give either --window CENTRE:WIDTH or --preset NAME"));
  else if (o->channel < 0 || o->view < 0)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 _("channel and view numbers start at 0"));
  else if (!(o->gamma > 0))
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("gamma must be positive"));
  else
    return TRUE;

  return FALSE;
}

typedef struct
{
  const DlPlane   *plane;
  const DlOverlay *overlay;
  const guint8    *lut;
  const guint8    *band_lut;
  const guint8    *classes;
  guint8          *gray;
} OverlayRows;

static void
fill_overlay_row (guint    y,
                  guint8  *rgb,
                  gpointer data)
{
  OverlayRows *o = data;
  gsize offset = (gsize) y * o->plane->width;
  const guint16 *values = o->plane->data + offset;

  for (guint x = 0; x < o->plane->width; x++)
    o->gray[x] = o->lut[values[x]];
  dl_overlay_row (o->overlay, o->gray, values, o->classes ? o->classes + offset : NULL,
                  o->band_lut, rgb, o->plane->width);
}

/* The high- and low-energy channels of @plane's view: named so, or else
 * its first two channels. */
static gboolean
energy_pair (DlScan         *scan,
             const DlPlane  *plane,
             const DlPlane **high,
             const DlPlane **low,
             GError        **error)
{
  *high = *low = NULL;
  for (guint c = 0; c < dl_scan_get_n_channels (scan, plane->view); c++)
    {
      const DlPlane *p = dl_scan_get_plane (scan, plane->view, c);
      if (g_str_equal (p->name, "high"))
        *high = p;
      else if (g_str_equal (p->name, "low"))
        *low = p;
    }
  if (*high == NULL || *low == NULL)
    {
      *high = dl_scan_get_plane (scan, plane->view, 0);
      *low = dl_scan_get_plane (scan, plane->view, 1);
    }
  if (*low == NULL || (*high)->width != (*low)->width || (*high)->height != (*low)->height)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("the material overlay needs a high- and a low-energy channel of the same size"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
render_overlay (DlScan              *scan,
                DlPlane             *plane,
                const RenderOptions *o,
                const DlWindowing   *w,
                GError             **error)
{
  DlOverlay overlay;
  g_autofree guint8 *lut = g_malloc (DL_LUT_SIZE);
  g_autofree guint8 *band_lut = NULL;
  g_autofree guint8 *classes = NULL;
  g_autofree guint8 *gray = g_malloc (plane->width);
  OverlayRows rows;
  gboolean ok = FALSE;

  dl_overlay_init (&overlay);
  for (guint i = 0; o->overlays[i]; i++)
    if (!dl_overlay_parse (&overlay, o->overlays[i], error))
      goto out;

  dl_windowing_fill_lut (w, lut);
  if (overlay.n_bands)
    {
      dl_plane_ensure_histogram (plane);
      band_lut = dl_overlay_band_lut (&overlay, o->i0 > 0 ? o->i0 : dl_plane_get_i0 (plane));
    }
  if (overlay.material)
    {
      g_autoptr(DlCalibration) cal = NULL;
      const DlPlane *high, *low;

      if (!energy_pair (scan, plane, &high, &low, error))
        goto out;
      cal = o->calibration ? dl_calibration_load (o->calibration, error) : dl_calibration_fit_synthetic ();
      if (cal == NULL)
        goto out;
      if (high->width != plane->width || high->height != plane->height)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("the material overlay needs a channel of the energy pair's view"));
          goto out;
        }
      classes = dl_material_classify (high, low, cal);
    }

  rows = (OverlayRows) { plane, &overlay, lut, band_lut, classes, gray };
  ok = dl_image_write_rgb (o->output, plane->width, plane->height, fill_overlay_row, &rows, error);

out:
  dl_overlay_clear (&overlay);
  return ok;
}

static DlPlane *
find_plane (DlScan               *scan,
            const RenderOptions  *o,
            GError              **error)
{
  DlPlane *plane = dl_scan_get_plane (scan, o->view, o->channel);

  if (plane == NULL)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 _("the scan has no channel %d in view %d (it has %u view(s); view %d has %u channel(s))"),
                 o->channel, o->view, dl_scan_get_n_views (scan), o->view,
                 dl_scan_get_n_channels (scan, o->view));
  return plane;
}

/* The windowing the options describe, on this plane: the window is in
 * density when --density is given, with I0 from the option, the file, or
 * the 99.9th percentile. */
static gboolean
build_windowing (const RenderOptions  *o,
                 DlPlane              *plane,
                 DlWindowing          *w,
                 GError              **error)
{
  dl_windowing_init (w);
  w->space = o->density ? DL_SPACE_DENSITY : DL_SPACE_VALUE;
  w->gamma = o->gamma;
  w->invert = o->invert;

  if (o->i0 > 0)
    w->i0 = o->i0;
  else if (o->density || o->preset)
    {
      dl_plane_ensure_histogram (plane);
      w->i0 = dl_plane_get_i0 (plane);
    }

  if (o->preset)
    {
      DlPreset preset;

      if (!dl_preset_from_id (o->preset, &preset))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("unknown preset “%s” (known: full, auto, high-penetration, light-goods)"),
                       o->preset);
          return FALSE;
        }
      dl_preset_compute (preset, dl_plane_ensure_histogram (plane), w);
      return TRUE;
    }

  return dl_windowing_parse (w, o->window, error);
}

static gboolean
next_band (gpointer        source,
           const guint16 **rows,
           guint          *n_rows,
           GError        **error)
{
  return dl_tiff_rows_next_band (source, rows, n_rows, error);
}

/* A plain window on view 0 needs nothing of the scan but its rows: they
 * are streamed, in bounded memory, when the file allows it (else, or on
 * any doubt about the options, the scan is read whole, as before, and
 * that path says what is wrong).  Returns -1 when it did not stream. */
static int
render_streamed (const char          *path,
                 const RenderOptions *o,
                 const DlLoadOptions *options)
{
  g_autoptr(DlTiffRows) rows = NULL;
  g_autoptr(GError) error = NULL;
  DlWindowing w;

  if ((o->overlays && o->overlays[0]) || o->preset || o->view != 0 || (o->density && !(o->i0 > 0))
      || !build_windowing (o, NULL, &w, NULL) || !dl_image_write_windowed_check (&w, o->output, NULL)
      || (rows = dl_tiff_rows_new_for_file (path, options, o->channel)) == NULL)
    return -1;

  if (!dl_image_write_windowed_bands (dl_tiff_rows_get_width (rows), dl_tiff_rows_get_height (rows),
                                      next_band, rows, &w, o->output, &error))
    /* the file's fault or the output's, named as reading it whole would */
    return dl_cli_fail (error->domain == DL_SCAN_ERROR ? path : NULL, error);
  return 0;
}

int
dl_cli_render (int    argc,
               char **argv)
{
  g_auto(RenderOptions) o = { .gamma = 1.0 };
  GOptionEntry entries[] = {
    { "window", 'w', 0, G_OPTION_ARG_STRING, &o.window, N_("Window centre and width"), N_("C:W") },
    { "preset", 'p', 0, G_OPTION_ARG_STRING, &o.preset, N_("Window preset: full, auto, high-penetration, light-goods"), N_("NAME") },
    { "channel", 'c', 0, G_OPTION_ARG_INT, &o.channel, N_("Channel to render (default 0)"), N_("N") },
    { "view", 0, 0, G_OPTION_ARG_INT, &o.view, N_("View to render (default 0)"), N_("N") },
    { "density", 'd', 0, G_OPTION_ARG_NONE, &o.density, N_("Apply the window in density, −ln(v/I0)"), NULL },
    { "i0", 0, 0, G_OPTION_ARG_DOUBLE, &o.i0, N_("Air value I0 (default: from the file, else the 99.9th percentile)"), N_("VALUE") },
    { "invert", 0, 0, G_OPTION_ARG_NONE, &o.invert, N_("Invert the gray scale"), NULL },
    { "gamma", 0, 0, G_OPTION_ARG_DOUBLE, &o.gamma, N_("Gamma (default 1)"), N_("G") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output, N_("Output file, .png or .pgm"), N_("OUT") },
    { "max-memory", 'm', 0, G_OPTION_ARG_STRING, &o.max_memory,
      N_("Refuse scans needing more sample memory than this (default 4G)"), N_("SIZE") },
    { "overlay", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.overlays,
      N_("material[:organic|:inorganic], band:A:B (densities) or colormap:NAME|FILE; repeatable"), N_("OVERLAY") },
    { "calibration", 0, 0, G_OPTION_ARG_FILENAME, &o.calibration,
      N_("Material calibration file (default: the synthetic 6/4 MeV profile)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE — write the windowed 8-bit image"));
  g_autoptr(GError) error = NULL;
  g_autoptr(DlScan) scan = NULL;
  DlLoadOptions options = { 0 };
  DlWindowing w;
  DlPlane *plane;
  int status;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error)
      || !check_options (&o, argc, &error)
      || !dl_cli_parse_size (o.max_memory, &options.max_memory, &error))
    {
      dl_cli_fail ("render", error);
      return DL_CLI_EXIT_USAGE;
    }

  if ((status = render_streamed (argv[1], &o, &options)) >= 0)
    return status;

  scan = dl_scan_load_file (argv[1], &options, NULL, NULL, NULL, &error);
  if (scan == NULL)
    return dl_cli_fail (argv[1], error);

  if ((plane = find_plane (scan, &o, &error)) == NULL
      || !build_windowing (&o, plane, &w, &error))
    {
      dl_cli_fail ("render", error);
      return DL_CLI_EXIT_USAGE;
    }

  if (o.overlays && o.overlays[0])
    {
      if (!render_overlay (scan, plane, &o, &w, &error))
        return dl_cli_fail ("render", error);
    }
  else if (!dl_image_write_windowed (plane, &w, o.output, &error))
    return dl_cli_fail (NULL, error);

  return 0;
}
