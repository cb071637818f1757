/* dl-bench.c — measurements for build-aux/bench.
 *
 *   dl-bench generate WIDTH HEIGHT OUT.tif   a cargo-like 16-bit LZW scan, streamed
 *   dl-bench frame FILE                      open-to-first-frame and window-change times
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <tiffio.h>

#include "dl-enhance.h"
#include "dl-histogram.h"
#include "dl-overlay.h"
#include "dl-presets.h"
#include "dl-pyramid.h"
#include "dl-render.h"
#include "dl-scan.h"

#define VIEW_W 1920
#define VIEW_H 1080

static guint64
splitmix (guint64 *state)
{
  guint64 z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* Air above and below, a steel wall band, boxes of varying density along
 * the length, and noise: enough structure that LZW has real work. */
static guint16
cargo_value (guint x, guint y, guint height, guint64 *rng)
{
  double t = 60000.0;
  guint box = x / 400;
  double box_density = 0.3 + 0.25 * ((box * 2654435761u) % 7);
  guint noise = splitmix (rng) % 601;

  if (y > height / 10 && y < height * 9 / 10)
    {
      t *= exp (-0.4);                                  /* walls */
      if ((x % 400) > 20 && y > height / 4)
        t *= exp (-box_density * (1.0 + 0.3 * sin (x * 0.01 + y * 0.02)));
    }
  return (guint16) CLAMP (t + noise - 300.0, 0, 65535);
}

static int
generate (guint width, guint height, const char *path)
{
  TIFF *tif = TIFFOpen (path, width * (guint64) height * 2 > (1u << 31) ? "w8" : "w");
  g_autofree guint16 *strip = NULL;
  const guint rps = 16;
  guint64 rng = 42;

  if (tif == NULL)
    return 1;
  TIFFSetField (tif, TIFFTAG_IMAGEWIDTH, width);
  TIFFSetField (tif, TIFFTAG_IMAGELENGTH, height);
  TIFFSetField (tif, TIFFTAG_BITSPERSAMPLE, 16);
  TIFFSetField (tif, TIFFTAG_SAMPLESPERPIXEL, 1);
  TIFFSetField (tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
  TIFFSetField (tif, TIFFTAG_COMPRESSION, COMPRESSION_LZW);
  TIFFSetField (tif, TIFFTAG_PREDICTOR, 2);
  TIFFSetField (tif, TIFFTAG_ROWSPERSTRIP, rps);
  strip = g_new (guint16, (gsize) width * rps);

  for (guint y = 0; y < height; y += rps)
    {
      guint rows = MIN (rps, height - y);
      for (guint r = 0; r < rows; r++)
        for (guint x = 0; x < width; x++)
          strip[(gsize) r * width + x] = cargo_value (x, y + r, height, &rng);
      if (TIFFWriteEncodedStrip (tif, y / rps, strip, (tmsize_t) width * rows * 2) < 0)
        {
          TIFFClose (tif);
          return 1;
        }
    }
  TIFFClose (tif);
  return 0;
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* Median and 95th percentile of @n window changes at @zoom, each a new
 * LUT and a full 1920 × 1080 render, walking across the scan. */
static void
window_changes (const DlPlane *plane, const DlWindowing *base, double zoom, int n)
{
  g_autofree guint32 *out = g_new (guint32, VIEW_W * VIEW_H);
  g_autofree guint8 *lut = g_malloc (DL_LUT_SIZE);
  g_autofree double *times = g_new (double, n);

  for (int i = 0; i < n; i++)
    {
      DlWindowing w = *base;
      DlViewport vp = { zoom, 0, 0 };
      double visible_w = VIEW_W / zoom, visible_h = VIEW_H / zoom;
      double t0;

      w.center += (i % 20) * w.width / 100.0;
      w.width *= 1.0 + (i % 7) * 0.05;
      vp.origin_x = fmod (i * 977.0, MAX (plane->width - visible_w, 1.0));
      vp.origin_y = MAX (0, (plane->height - visible_h) / 2);

      t0 = now_ms ();
      dl_windowing_fill_lut (&w, lut);
      dl_render_viewport (dl_plane_get_pyramid (plane), lut, &vp, out, VIEW_W, VIEW_H, VIEW_W * 4);
      times[i] = now_ms () - t0;
    }

  qsort (times, n, sizeof (double), compare_doubles);
  printf ("  window change at zoom %-6g  median %6.2f ms   p95 %6.2f ms   (%d frames of %dx%d)\n",
          zoom, times[n / 2], times[(int) (n * 0.95)], n, VIEW_W, VIEW_H);
}

static void
report (const char *what, double *times, int n)
{
  qsort (times, n, sizeof (double), compare_doubles);
  printf ("  %-44s median %6.2f ms   p95 %6.2f ms\n", what, times[n / 2], times[(int) (n * 0.95)]);
}

/* The viewer's overlay path for one 1920 × 1080 frame: sample values and
 * classes, window, then material classes, a band and a colour map; and
 * each enhancement on its own. */
static void
overlay_frames (const DlPlane *plane, const guint8 *classes, const DlWindowing *base, double zoom, int n)
{
  gsize px = (gsize) VIEW_W * VIEW_H;
  g_autofree guint32 *argb = g_new (guint32, px);
  g_autofree guint8 *lut = g_malloc (DL_LUT_SIZE);
  g_autofree guint8 *band_lut = NULL;
  g_autofree double *t_overlay = g_new (double, n);
  g_autofree double *t_edges = g_new (double, n);
  g_autofree double *t_local = g_new (double, n);
  DlOverlay overlay;

  dl_overlay_init (&overlay);
  if (classes)
    dl_overlay_parse (&overlay, "material", NULL);
  dl_overlay_parse (&overlay, "band:1:2", NULL);
  dl_overlay_parse (&overlay, "colormap:viridis", NULL);
  band_lut = dl_overlay_band_lut (&overlay, dl_plane_get_i0 (plane));

  for (int i = 0; i < n; i++)
    {
      DlViewport vp = { zoom, fmod (i * 977.0, MAX (plane->width - VIEW_W / zoom, 1.0)), 0 };
      double t0 = now_ms ();

      dl_windowing_fill_lut (base, lut);
      dl_render_viewport_overlay (dl_plane_get_pyramid (plane), lut, classes, &overlay, band_lut,
                                  DL_ENHANCE_NONE, &vp, argb, VIEW_W, VIEW_H, VIEW_W * 4);
      t_overlay[i] = now_ms () - t0;

      t0 = now_ms ();
      dl_render_viewport_overlay (dl_plane_get_pyramid (plane), lut, classes, &overlay, band_lut,
                                  DL_ENHANCE_EDGES, &vp, argb, VIEW_W, VIEW_H, VIEW_W * 4);
      t_edges[i] = now_ms () - t0;
      t0 = now_ms ();
      dl_render_viewport_overlay (dl_plane_get_pyramid (plane), lut, classes, &overlay, band_lut,
                                  DL_ENHANCE_LOCAL_CONTRAST, &vp, argb, VIEW_W, VIEW_H, VIEW_W * 4);
      t_local[i] = now_ms () - t0;
    }
  dl_overlay_clear (&overlay);

  report (classes ? "overlays (material, band, colour map), 1:1" : "overlays (band, colour map), 1:1", t_overlay, n);
  /* while the view changes, frames are drawn without enhancement; it is
   * added in one frame once the view has been still for 120 ms */
  report ("settled frame with edges enhanced", t_edges, n);
  report ("settled frame with local contrast", t_local, n);
}

static int
frame (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlScan) scan = NULL;
  g_autofree guint32 *out = g_new (guint32, VIEW_W * VIEW_H);
  g_autofree guint8 *lut = g_malloc (DL_LUT_SIZE);
  struct rusage usage;
  double t0, t_decode, t_hist, t_pyr, t_first;
  DlPlane *plane;
  DlWindowing w;
  DlViewport vp;

  t0 = now_ms ();
  scan = dl_scan_load_file (path, NULL, NULL, NULL, NULL, &error);
  if (scan == NULL)
    {
      fprintf (stderr, "dl-bench: %s\n", error->message);
      return 1;
    }
  t_decode = now_ms ();
  plane = dl_scan_get_plane_at (scan, 0);
  dl_plane_ensure_histogram (plane);
  t_hist = now_ms ();
  dl_scan_prepare (scan);
  t_pyr = now_ms ();

  dl_windowing_init (&w);
  w.i0 = dl_plane_get_i0 (plane);
  dl_preset_compute (DL_PRESET_AUTO, dl_plane_get_histogram (plane), &w);
  dl_windowing_fill_lut (&w, lut);
  vp.zoom = MIN ((double) VIEW_W / plane->width, (double) VIEW_H / plane->height);
  vp.origin_x = plane->width / 2.0 - VIEW_W / 2.0 / vp.zoom;
  vp.origin_y = plane->height / 2.0 - VIEW_H / 2.0 / vp.zoom;
  dl_render_viewport (dl_plane_get_pyramid (plane), lut, &vp, out, VIEW_W, VIEW_H, VIEW_W * 4);
  t_first = now_ms ();

  printf ("%s  %ux%u\n", path, plane->width, plane->height);
  printf ("  open-to-first-frame %8.1f ms   (decode %.1f, histogram %.1f, pyramid and material classes %.1f, first render %.1f)\n",
          t_first - t0, t_decode - t0, t_hist - t_decode, t_pyr - t_hist, t_first - t_pyr);

  window_changes (plane, &w, vp.zoom, 200);
  window_changes (plane, &w, 1.0, 200);
  window_changes (plane, &w, 4.0, 200);
  overlay_frames (plane, dl_scan_get_classes (scan, plane->view), &w, 1.0, 50);

  getrusage (RUSAGE_SELF, &usage);
  {
    double raw = (double) plane->width * plane->height * 2 / 1048576.0;
    double peak = usage.ru_maxrss / 1024.0;
    printf ("  peak memory %8.1f MiB   raw samples %.1f MiB   ratio %.2f\n", peak, raw, peak / raw);
  }
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc == 5 && g_str_equal (argv[1], "generate"))
    return generate (atoi (argv[2]), atoi (argv[3]), argv[4]);
  if (argc == 3 && g_str_equal (argv[1], "frame"))
    return frame (argv[2]);

  fprintf (stderr, "usage: dl-bench generate WIDTH HEIGHT OUT.tif | dl-bench frame FILE\n");
  return 2;
}
