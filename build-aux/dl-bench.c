/* dl-bench.c — measurements for build-aux/bench.
 *
 *   dl-bench generate WIDTH HEIGHT [CHANNELS] OUT.tif
 *                                            a cargo-like 16-bit LZW scan, streamed strip by strip
 *                                            (2 channels: high and low energy pages)
 *   dl-bench frame FILE                      open-to-first-frame and window-change times, peak RSS
 *   dl-bench open FILE RUNS                  the same open RUNS times in one process, medians
 *   dl-bench convert IN OUT dicos|tiff|lzw   IN's view 0 as a DICOS DX, an uncompressed TIFF or an
 *                                            LZW TIFF (predictor 2): the same pixels in each
 *   dl-bench hash [MIB]                      SHA-256 throughput: GLib's GChecksum against dl-hash
 *                                            (libcrypto), same buffer, same run
 *   dl-bench profile FILE C:W OUT.pgm        where the time of `doorlicht-cli render` goes
 *   dl-bench compare A.pgm B.pgm             how two 8-bit PGM images differ
 *   dl-bench case-list N FILE                open + list of a case file of N cases (made when missing)
 *   dl-bench case-thumbs N FILE              the same with a small embedded scan and its thumbnail
 *                                            per case: listing, and one screen (30) of thumbnails
 *   dl-bench loop-cases N FILE               a queue of N generator cases (scan embedded, manifest,
 *                                            no verdict) for the app's DOORLICHT_NEXT_BENCH
 *
 * Every number printed is measured here with g_get_monotonic_time () or
 * getrusage (); nothing is estimated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-bench"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>
#include <tiffio.h>
#include <glib/gstdio.h>

#include "dl-case-file.h"
#include "dl-detector.h"
#include "dl-dicos-write.h"
#include "dl-enhance.h"
#include "dl-hash.h"
#include "dl-histogram.h"
#include "dl-image-write.h"
#include "dl-overlay.h"
#include "dl-parallel.h"
#include "dl-presets.h"
#include "dl-synth.h"
#include "dl-pyramid.h"
#include "dl-render.h"
#include "dl-scan.h"
#include "dl-scan-prepare.h"
#include "dl-material.h"
#include "dl-tiff.h"
#include "dl-tiff-write.h"
#include "dl-windowing.h"

#define VIEW_W 1920
#define VIEW_H 1080
#define N_WINDOW_CHANGES 200

/* ---------------------------------------------------------------- generate */

static guint64
splitmix (guint64 *state)
{
  guint64 z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static double
uniform (guint64 *state)
{
  return (splitmix (state) >> 11) * (1.0 / 9007199254740992.0);
}

#define MU_STEPS   4096          /* attenuation quantised to 1/4096 */
#define MU_MAX     9.0
#define N_GAUSS    65536
#define AIR        60000.0

typedef struct
{
  guint  x0, x1;         /* columns of this cargo item */
  guint  y0, y1;         /* its rows (top, bottom) */
  float  mu;             /* its attenuation (−ln transmission) */
  float  texture;        /* depth of its internal texture */
  guint  ix0, ix1, iy0, iy1;   /* a dense object inside, or empty */
  float  imu;
} Item;

typedef struct
{
  guint    width, height;
  guint    top, bottom;          /* container floor/roof rows: air outside */
  float   *wall;                 /* per column: corrugated walls and posts */
  float   *col_tex, *row_tex;    /* smooth texture, separable */
  Item    *items;
  guint    n_items;
  float   *exp_table;            /* AIR · e^(−μ) for μ = k / MU_STEPS */
  float   *sigma_table;          /* noise σ for a transmission t, by t >> 4 */
  float   *gauss;                /* N(0, 1) samples */
  guint64  rng;
} Scene;

/* A container seen from the side: air above and below, a steel roof and
 * floor, corrugated side walls with posts every few metres, and a row of
 * cargo items of different sizes and densities (some with a dense object
 * inside), plus photon noise growing with the square root of the signal.
 * Values run from about 60 000 (air) down to a few hundred (steel). */
static void
scene_init (Scene *s, guint width, guint height)
{
  guint64 rng = 0x5eed;
  guint x = 0;

  s->width = width;
  s->height = height;
  s->top = height / 12;
  s->bottom = height - height / 12;
  s->wall = g_new (float, width);
  s->col_tex = g_new (float, width);
  s->row_tex = g_new (float, height);
  s->exp_table = g_new (float, (gsize) (MU_MAX * MU_STEPS) + 1);
  s->sigma_table = g_new (float, 4096);
  s->gauss = g_new (float, N_GAUSS);
  s->items = NULL;
  s->n_items = 0;
  s->rng = 42;

  for (guint k = 0; k <= (guint) (MU_MAX * MU_STEPS); k++)
    s->exp_table[k] = AIR * exp (-(double) k / MU_STEPS);
  for (guint k = 0; k < 4096; k++)
    s->sigma_table[k] = 0.6 * sqrt (k * 16.0 + 8.0);
  for (guint k = 0; k < N_GAUSS; k += 2)
    {
      /* Box–Muller */
      double u1 = MAX (uniform (&rng), 1e-12), u2 = uniform (&rng);
      double r = sqrt (-2.0 * log (u1));
      s->gauss[k] = r * cos (2 * G_PI * u2);
      s->gauss[k + 1] = r * sin (2 * G_PI * u2);
    }

  for (guint i = 0; i < width; i++)
    {
      double corrugation = 0.5 + 0.5 * sin (2 * G_PI * i / 36.0);
      gboolean post = (i % 6000) < 90 || i < 60 || i + 60 >= width;
      s->wall[i] = 0.25 + 0.12 * corrugation + (post ? 1.6 : 0.0);
      s->col_tex[i] = sin (i * 0.013) * 0.6 + sin (i * 0.071 + 1.0) * 0.4;
    }
  for (guint j = 0; j < height; j++)
    s->row_tex[j] = sin (j * 0.019) * 0.7 + sin (j * 0.113 + 2.0) * 0.3;

  /* cargo items side by side, with gaps */
  x = 150;
  while (x + 200 < width)
    {
      Item it;
      guint len = 300 + (guint) (uniform (&rng) * 2200);
      guint inner = s->bottom - s->top;

      it.x0 = x;
      it.x1 = MIN (x + len, width - 100);
      it.y1 = s->bottom - inner / 40;
      it.y0 = it.y1 - (guint) (inner * (0.25 + 0.7 * uniform (&rng)));
      it.mu = 0.15 + 2.4 * pow (uniform (&rng), 1.5);
      it.texture = 0.05 + 0.25 * uniform (&rng);
      if (uniform (&rng) < 0.4)
        {
          guint w = 20 + (guint) (uniform (&rng) * (it.x1 - it.x0) / 3);
          guint h = 10 + (guint) (uniform (&rng) * (it.y1 - it.y0) / 3);
          it.ix0 = it.x0 + (guint) (uniform (&rng) * (it.x1 - it.x0 - w));
          it.ix1 = it.ix0 + w;
          it.iy0 = it.y0 + (guint) (uniform (&rng) * (it.y1 - it.y0 - h));
          it.iy1 = it.iy0 + h;
          it.imu = 1.5 + 4.0 * uniform (&rng);     /* steel, lead… */
        }
      else
        {
          it.ix0 = it.ix1 = it.iy0 = it.iy1 = 0;
          it.imu = 0;
        }
      s->items = g_renew (Item, s->items, s->n_items + 1);
      s->items[s->n_items++] = it;
      x = it.x1 + 20 + (guint) (uniform (&rng) * 400);
    }
}

static void
scene_clear (Scene *s)
{
  g_free (s->wall);
  g_free (s->col_tex);
  g_free (s->row_tex);
  g_free (s->items);
  g_free (s->exp_table);
  g_free (s->sigma_table);
  g_free (s->gauss);
}

static void
scene_row (Scene *s, guint y, guint16 *out, float *mu)
{
  gboolean inside = y >= s->top && y < s->bottom;
  gboolean roof = inside && (y < s->top + s->height / 100 || y + s->height / 100 >= s->bottom);

  /* attenuation of the row */
  for (guint x = 0; x < s->width; x++)
    mu[x] = inside ? (roof ? 2.2f : s->wall[x]) : 0.0f;
  if (inside && !roof)
    for (guint i = 0; i < s->n_items; i++)
      {
        const Item *it = &s->items[i];
        if (y < it->y0 || y >= it->y1)
          continue;
        for (guint x = it->x0; x < it->x1; x++)
          {
            float m = it->mu * (1.0f + it->texture * (s->col_tex[x] + s->row_tex[y]));
            if (y >= it->iy0 && y < it->iy1 && x >= it->ix0 && x < it->ix1)
              m += it->imu;
            mu[x] += m;
          }
      }

  /* transmission plus noise */
  for (guint x = 0; x < s->width; x++)
    {
      guint k = (guint) (CLAMP (mu[x], 0.0f, (float) MU_MAX) * MU_STEPS);
      float t = s->exp_table[k];
      guint64 r = splitmix (&s->rng);
      float v;

      /* two noise draws per random number */
      v = t + s->sigma_table[(guint) t >> 4] * s->gauss[r & (N_GAUSS - 1)];
      out[x] = (guint16) CLAMP (v + 0.5f, 0.0f, 65535.0f);
      if (++x < s->width)
        {
          k = (guint) (CLAMP (mu[x], 0.0f, (float) MU_MAX) * MU_STEPS);
          t = s->exp_table[k];
          v = t + s->sigma_table[(guint) t >> 4] * s->gauss[(r >> 16) & (N_GAUSS - 1)];
          out[x] = (guint16) CLAMP (v + 0.5f, 0.0f, 65535.0f);
        }
    }
}

static int
generate (guint width, guint height, guint channels, const char *path)
{
  const guint rps = 16;
  g_autofree char *tmp = g_strconcat (path, ".part", NULL);
  g_autofree guint16 *strip = NULL;
  g_autofree float *mu = NULL;
  double t0 = g_get_monotonic_time ();
  Scene scene;
  TIFF *tif;

  if (width < 256 || height < 64)
    {
      fprintf (stderr, "dl-bench: the scan must be at least 256 × 64\n");
      return 2;
    }
  /* classic TIFF holds up to 4 GiB; the compressed file may exceed the raw size a little */
  tif = TIFFOpen (tmp, (guint64) width * height * 2 * channels > (G_GUINT64_CONSTANT (3) << 30) ? "w8" : "w");
  if (tif == NULL)
    return 1;
  for (guint c = 0; c < channels; c++)
  {
  TIFFSetField (tif, TIFFTAG_IMAGEWIDTH, width);
  TIFFSetField (tif, TIFFTAG_IMAGELENGTH, height);
  if (channels > 1)
    TIFFSetField (tif, TIFFTAG_PAGENAME, c == 0 ? "view=0;channel=high" : "view=0;channel=low");
  scene_init (&scene, width, height);
  TIFFSetField (tif, TIFFTAG_BITSPERSAMPLE, 16);
  TIFFSetField (tif, TIFFTAG_SAMPLESPERPIXEL, 1);
  TIFFSetField (tif, TIFFTAG_SAMPLEFORMAT, SAMPLEFORMAT_UINT);
  TIFFSetField (tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
  TIFFSetField (tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField (tif, TIFFTAG_COMPRESSION, COMPRESSION_LZW);
  TIFFSetField (tif, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL);
  TIFFSetField (tif, TIFFTAG_ROWSPERSTRIP, rps);
  TIFFSetField (tif, TIFFTAG_SOFTWARE, "doorlicht dl-bench generate");

  strip = g_new (guint16, (gsize) width * rps);
  mu = g_new (float, width);

  for (guint y = 0; y < height; y += rps)
    {
      guint rows = MIN (rps, height - y);
      for (guint r = 0; r < rows; r++)
        scene_row (&scene, y + r, strip + (gsize) r * width, mu);
      /* the low-energy channel: more attenuated, T_low = T_high^1.35 */
      if (c > 0)
        for (gsize i = 0; i < (gsize) width * rows; i++)
          strip[i] = (guint16) (65535.0 * pow (strip[i] / 65535.0, 1.35) + 0.5);
      if (TIFFWriteEncodedStrip (tif, y / rps, strip, (tmsize_t) width * rows * 2) < 0)
        {
          TIFFClose (tif);
          scene_clear (&scene);
          remove (tmp);
          return 1;
        }
    }
  scene_clear (&scene);
  if (c + 1 < channels)
    TIFFWriteDirectory (tif);
  }
  TIFFClose (tif);
  if (rename (tmp, path) != 0)
    {
      fprintf (stderr, "dl-bench: %s: %s\n", path, g_strerror (errno));
      return 1;
    }
  printf ("generate  %ux%u  %s  %.1f s\n", width, height, path, (g_get_monotonic_time () - t0) / 1e6);
  return 0;
}

/* ------------------------------------------------------------------- frame */

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static double
peak_rss_mib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;   /* kilobytes on Linux */
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted @t. */
static double
percentile (const double *t, int n, double p)
{
  int rank = (int) ceil (p / 100.0 * n);
  return t[CLAMP (rank, 1, n) - 1];
}

typedef struct
{
  const char *label;
  double      zoom;
} ZoomCase;

/* @n window changes at @zoom, each a new LUT and a full 1920 × 1080
 * render, at positions walking across the scan.  Returns the p95. */
static double
window_changes (const char *tag, const DlPlane *plane, const DlWindowing *base,
                const ZoomCase *zc, int n, double *worst_max)
{
  g_autofree guint32 *out = g_new (guint32, VIEW_W * VIEW_H);
  g_autofree guint8 *lut = g_malloc (DL_LUT_SIZE);
  g_autofree double *times = g_new (double, n);
  const DlPyramid *pyramid = dl_plane_get_pyramid (plane);
  double visible_w = VIEW_W / zc->zoom, visible_h = VIEW_H / zc->zoom;
  double p95;

  for (int i = 0; i < n; i++)
    {
      DlWindowing w = *base;
      DlViewport vp = { zc->zoom, 0, 0 };
      double t0;

      /* a drag on the window: centre and width change every frame */
      w.center += ((i % 40) - 20) * w.width / 200.0;
      w.width *= 0.8 + (i % 13) * 0.03;
      /* a few positions: spread along the scan, and up and down */
      if (visible_w < plane->width)
        vp.origin_x = (plane->width - visible_w) * ((i * 7) % 10) / 9.0;
      else
        vp.origin_x = plane->width / 2.0 - visible_w / 2.0;
      if (visible_h < plane->height)
        vp.origin_y = (plane->height - visible_h) * ((i * 3) % 4) / 3.0;
      else
        vp.origin_y = plane->height / 2.0 - visible_h / 2.0;

      t0 = now_ms ();
      dl_windowing_fill_lut (&w, lut);
      dl_render_viewport (pyramid, lut, &vp, out, VIEW_W, VIEW_H, VIEW_W * 4);
      times[i] = now_ms () - t0;
    }

  qsort (times, n, sizeof (double), compare_doubles);
  p95 = percentile (times, n, 95);
  printf ("frame  %s  window change  zoom %-12s level %u  median %6.2f ms  p95 %6.2f ms  max %6.2f ms  (%d frames of %dx%d, LUT + render)\n",
          tag, zc->label, dl_pyramid_level_for (pyramid, zc->zoom), percentile (times, n, 50), p95,
          times[n - 1], n, VIEW_W, VIEW_H);
  *worst_max = MAX (*worst_max, times[n - 1]);
  return p95;
}

/* The viewer's overlay path for one 1920 × 1080 frame at 1:1 (band and
 * colour map, material classes when the scan has an energy pair), and the
 * settled frame with each enhancement; informational. */
static void
overlay_frames (const char *tag, const DlPlane *plane, const guint8 *classes,
                const DlWindowing *base, int n)
{
  gsize px = (gsize) VIEW_W * VIEW_H;
  g_autofree guint32 *argb = g_new (guint32, px);
  g_autofree guint8 *lut = g_malloc (DL_LUT_SIZE);
  g_autofree guint8 *band_lut = NULL;
  double *t[3] = { g_new (double, n), g_new (double, n), g_new (double, n) };
  const int enhance[3] = { DL_ENHANCE_NONE, DL_ENHANCE_EDGES, DL_ENHANCE_LOCAL_CONTRAST };
  const char *what[3] = { classes ? "overlays (material, band, colour map)" : "overlays (band, colour map)",
                          "settled, edges enhanced", "settled, local contrast" };
  DlOverlay overlay;

  dl_overlay_init (&overlay);
  if (classes)
    dl_overlay_parse (&overlay, "material", NULL);
  dl_overlay_parse (&overlay, "band:1:2", NULL);
  dl_overlay_parse (&overlay, "colormap:viridis", NULL);
  band_lut = dl_overlay_band_lut (&overlay, dl_plane_get_i0 (plane));

  for (int i = 0; i < n; i++)
    {
      DlViewport vp = { 1.0, MAX (plane->width - (double) VIEW_W, 0) * (i % 10) / 9.0, 0 };
      for (int e = 0; e < 3; e++)
        {
          double t0 = now_ms ();
          dl_windowing_fill_lut (base, lut);
          dl_render_viewport_overlay (dl_plane_get_pyramid (plane), lut, classes, &overlay, band_lut,
                                      enhance[e], &vp, argb, VIEW_W, VIEW_H, VIEW_W * 4);
          t[e][i] = now_ms () - t0;
        }
    }
  dl_overlay_clear (&overlay);

  for (int e = 0; e < 3; e++)
    {
      qsort (t[e], n, sizeof (double), compare_doubles);
      printf ("frame  %s  %-39s zoom 1  median %6.2f ms  p95 %6.2f ms  max %6.2f ms  (%d frames)\n",
              tag, what[e], percentile (t[e], n, 50), percentile (t[e], n, 95), t[e][n - 1], n);
      g_free (t[e]);
    }
}

typedef struct
{
  double first_ms;   /* when the first preview came, 0: none */
  guint  n;
} PreviewClock;

static void
on_bench_preview (DlScan  *preview,
                  gpointer data)
{
  PreviewClock *c = data;

  if (c->n++ == 0)
    c->first_ms = now_ms ();
}

static int
frame (const char *path)
{
  PreviewClock previews = { 0 };
  DlLoadOptions options = { 0, on_bench_preview, &previews };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlScan) scan = NULL;
  g_autofree guint32 *out = g_new (guint32, VIEW_W * VIEW_H);
  g_autofree guint8 *lut = g_malloc (DL_LUT_SIZE);
  g_autofree char *tag = NULL;
  double t0, t_decode, t_hist, t_pyr, t_lut, t_first, rss_first, rss_end, raw, fit;
  double p95_worst = 0, max_worst = 0;
  DlPlane *plane;
  DlWindowing w;
  DlViewport vp;

  t0 = now_ms ();
  scan = dl_scan_load_file (path, &options, NULL, NULL, NULL, &error);
  if (scan == NULL)
    {
      fprintf (stderr, "dl-bench: %s\n", error->message);
      return 1;
    }
  t_decode = now_ms ();
  plane = dl_scan_get_plane_at (scan, 0);
  dl_plane_ensure_histogram (plane);
  t_hist = now_ms ();
  dl_scan_prepare_display (scan);     /* the pyramid (and small scans' material classes) */
  t_pyr = now_ms ();

  dl_windowing_init (&w);
  w.i0 = dl_plane_get_i0 (plane);
  dl_preset_compute (DL_PRESET_AUTO, dl_plane_get_histogram (plane), &w);
  dl_windowing_fill_lut (&w, lut);
  t_lut = now_ms ();
  fit = MIN ((double) VIEW_W / plane->width, (double) VIEW_H / plane->height);
  vp.zoom = fit;
  vp.origin_x = plane->width / 2.0 - VIEW_W / 2.0 / vp.zoom;
  vp.origin_y = plane->height / 2.0 - VIEW_H / 2.0 / vp.zoom;
  dl_render_viewport (dl_plane_get_pyramid (plane), lut, &vp, out, VIEW_W, VIEW_H, VIEW_W * 4);
  t_first = now_ms ();
  rss_first = peak_rss_mib ();

  tag = g_strdup_printf ("%ux%u", plane->width, plane->height);
  raw = 0;
  for (guint i = 0; i < dl_scan_get_n_planes (scan); i++)
    raw += (double) dl_scan_get_plane_at (scan, i)->width * dl_scan_get_plane_at (scan, i)->height * 2 / 1048576.0;

  printf ("frame  %s  file %s  (%u plane(s), raw samples %.1f MiB)\n", tag, path, dl_scan_get_n_planes (scan), raw);
  printf ("frame  %s  open-to-first-frame  %7.1f ms  (decode %.1f, histogram %.1f, pyramid %.1f, preset+LUT %.1f, render %.1f)\n",
          tag, t_first - t0, t_decode - t0, t_hist - t_decode, t_pyr - t_hist, t_lut - t_pyr, t_first - t_lut);
  if (previews.n)
    printf ("frame  %s  first preview after   %7.1f ms  (%u previews while decoding; the app shows them)\n",
            tag, previews.first_ms - t0, previews.n);
  if (dl_scan_needs_classes (scan))
    {
      double t_classes = now_ms ();

      dl_scan_install_classes (scan, dl_material_classify_scan (scan));
      printf ("frame  %s  material classes      %7.1f ms  after the first frame (in the background in the app)\n",
              tag, now_ms () - t_classes);
    }

  {
    g_autofree char *fit_label = g_strdup_printf ("fit(%.4g)", fit);
    ZoomCase cases[] = {
      { fit_label, fit },
      { "0.5", 0.5 },
      { "1:1", 1.0 },
      { "4:1", 4.0 },
    };
    for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
      {
        /* not inside MAX (), which would evaluate it twice */
        double p95 = window_changes (tag, plane, &w, &cases[c], N_WINDOW_CHANGES, &max_worst);
        p95_worst = MAX (p95_worst, p95);
      }
  }
  printf ("frame  %s  window change  worst p95 %.2f ms  worst max %.2f ms\n", tag, p95_worst, max_worst);

  overlay_frames (tag, plane, dl_scan_get_classes (scan, plane->view), &w, 30);

  rss_end = peak_rss_mib ();
  printf ("frame  %s  peak RSS  %.1f MiB at first frame, %.1f MiB at the end  (raw samples %.1f MiB, ratio %.2f)\n",
          tag, rss_first, rss_end, raw, rss_end / raw);
  return 0;
}

/* -------------------------------------------------------------------- open */

static double
cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec * 1e3 + usage.ru_utime.tv_usec / 1e3
         + usage.ru_stime.tv_sec * 1e3 + usage.ru_stime.tv_usec / 1e3;
}

enum { OPEN_DECODE, OPEN_HIST, OPEN_PYRAMID, OPEN_FRAME, OPEN_TOTAL, OPEN_CPU, N_OPEN };

/* One open as the viewer does it, its phases' times (ms) into @t. */
static gboolean
open_once (const char *path,
           double     *t)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlScan) scan = NULL;
  g_autofree guint32 *out = g_new (guint32, VIEW_W * VIEW_H);
  g_autofree guint8 *lut = g_malloc (DL_LUT_SIZE);
  double t0 = now_ms (), c0 = cpu_ms (), t1, t2, t3;
  DlPlane *plane;
  DlWindowing w;
  DlViewport vp;

  scan = dl_scan_load_file (path, NULL, NULL, NULL, NULL, &error);
  if (scan == NULL)
    {
      fprintf (stderr, "dl-bench: %s\n", error->message);
      return FALSE;
    }
  t1 = now_ms ();
  plane = dl_scan_get_plane_at (scan, 0);
  dl_plane_ensure_histogram (plane);
  t2 = now_ms ();
  dl_scan_prepare_display (scan);
  t3 = now_ms ();
  dl_windowing_init (&w);
  w.i0 = dl_plane_get_i0 (plane);
  dl_preset_compute (DL_PRESET_AUTO, dl_plane_get_histogram (plane), &w);
  dl_windowing_fill_lut (&w, lut);
  vp.zoom = MIN ((double) VIEW_W / plane->width, (double) VIEW_H / plane->height);
  vp.origin_x = plane->width / 2.0 - VIEW_W / 2.0 / vp.zoom;
  vp.origin_y = plane->height / 2.0 - VIEW_H / 2.0 / vp.zoom;
  dl_render_viewport (dl_plane_get_pyramid (plane), lut, &vp, out, VIEW_W, VIEW_H, VIEW_W * 4);
  t[OPEN_DECODE] = t1 - t0;
  t[OPEN_HIST] = t2 - t1;
  t[OPEN_PYRAMID] = t3 - t2;
  t[OPEN_FRAME] = now_ms () - t3;
  t[OPEN_TOTAL] = now_ms () - t0;
  t[OPEN_CPU] = cpu_ms () - c0;
  return TRUE;
}

/* open-to-first-frame @runs times in one process: the median of each
 * phase, the best total and the CPU time (both cores' work). */
static int
open_bench (const char *path,
            int         runs)
{
  g_autofree double *t = g_new0 (double, (gsize) runs * N_OPEN);
  double median[N_OPEN], column[64], best = G_MAXDOUBLE;

  runs = CLAMP (runs, 1, 64);
  for (int r = 0; r < runs; r++)
    {
      if (!open_once (path, t + r * N_OPEN))
        return 1;
      best = MIN (best, t[r * N_OPEN + OPEN_TOTAL]);
    }
  for (int k = 0; k < N_OPEN; k++)
    {
      for (int r = 0; r < runs; r++)
        column[r] = t[r * N_OPEN + k];
      qsort (column, runs, sizeof (double), compare_doubles);
      median[k] = column[runs / 2];
    }
  printf ("open  %s  open-to-first-frame  median %.1f ms  best %.1f ms  first %.1f ms  (%d runs; median decode %.1f, histogram %.1f, pyramid %.1f, LUT+render %.1f; CPU %.1f ms)\n",
          path, median[OPEN_TOTAL], best, t[OPEN_TOTAL], runs, median[OPEN_DECODE],
          median[OPEN_HIST], median[OPEN_PYRAMID], median[OPEN_FRAME], median[OPEN_CPU]);
  return 0;
}

/* ----------------------------------------------------------------- convert */

/* View 0 of @scan as a TIFF of one page a channel, as dl_tiff_write_scan ()
 * names them, in @compression. */
static gboolean
write_tiff (DlScan *scan, const char *path, DlTiffCompression compression, GError **error)
{
  g_autoptr(DlTiffWriter) writer = dl_tiff_writer_new (path, error);
  double x = 0, y = 0;

  if (writer == NULL)
    return FALSE;
  dl_tiff_writer_set_compression (writer, compression, compression != DL_TIFF_COMPRESSION_NONE);
  dl_scan_get_pixel_pitch (scan, &x, &y);
  for (guint c = 0; c < dl_scan_get_n_channels (scan, 0); c++)
    {
      const DlPlane *p = dl_scan_get_plane (scan, 0, c);
      g_autofree char *name = g_strdup_printf ("view=0;channel=%s", p->name);

      if (!dl_tiff_writer_add_page_u16 (writer, p->data, p->width, p->height, name, NULL, x, error))
        return FALSE;
    }
  return dl_tiff_writer_close (writer, error);
}

static int
convert (const char *in, const char *out, const char *format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlScan) scan = dl_scan_load_file (in, NULL, NULL, NULL, NULL, &error);
  gboolean ok = FALSE;

  if (scan && g_str_equal (format, "dicos"))
    ok = dl_dicos_write_dx (scan, 0, out, &error);
  else if (scan && g_str_equal (format, "tiff"))
    ok = write_tiff (scan, out, DL_TIFF_COMPRESSION_NONE, &error);
  else if (scan && g_str_equal (format, "lzw"))
    ok = write_tiff (scan, out, DL_TIFF_COMPRESSION_LZW, &error);
  else if (scan)
    fprintf (stderr, "dl-bench: convert to dicos, tiff or lzw, not %s\n", format);
  if (error)
    fprintf (stderr, "dl-bench: %s\n", error->message);
  return ok ? 0 : 1;
}

/* -------------------------------------------------------------------- hash */

/* Best of @runs wall times of @func over @data, in ms. */
static double
time_hash (char *(*func) (const guint8 *, gsize), const guint8 *data, gsize length, int runs, char **hex)
{
  double best = G_MAXDOUBLE;

  for (int r = 0; r < runs; r++)
    {
      double t0 = now_ms ();
      g_autofree char *sum = func (data, length);

      best = MIN (best, now_ms () - t0);
      if (r == 0)
        *hex = g_steal_pointer (&sum);
    }
  return best;
}

static char *
hash_gchecksum (const guint8 *data, gsize length)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, length);
}

static char *
hash_dl (const guint8 *data, gsize length)
{
  return dl_sha256_hex (data, length);
}

/* SHA-256 of @mib MiB of noise, GChecksum and dl-hash in turn, best of 5
 * each, in the same run; the two digests must agree. */
static int
hash_bench (guint mib)
{
  gsize length = (gsize) mib << 20;
  g_autofree guint8 *data = g_malloc (length);
  g_autofree char *hex_glib = NULL, *hex_dl = NULL;
  guint64 state = 7;
  double t_glib, t_dl;

  for (gsize i = 0; i + 8 <= length; i += 8)
    {
      guint64 v = splitmix (&state);
      memcpy (data + i, &v, 8);
    }
  t_dl = time_hash (hash_dl, data, length, 1, &hex_dl);           /* warm-up: pages, the fetch */
  g_clear_pointer (&hex_dl, g_free);
  t_glib = time_hash (hash_gchecksum, data, length, 5, &hex_glib);
  t_dl = time_hash (hash_dl, data, length, 5, &hex_dl);
  printf ("hash  SHA-256 of %u MiB, best of 5, one thread\n", mib);
  printf ("hash    GLib GChecksum             %8.1f ms  %8.0f MB/s\n", t_glib, length / 1e3 / t_glib);
  printf ("hash    dl-hash (libcrypto EVP)    %8.1f ms  %8.0f MB/s  (%.1f × GChecksum)\n", t_dl,
          length / 1e3 / t_dl, t_glib / t_dl);
  printf ("hash    same digest: %s\n", g_str_equal (hex_glib, hex_dl) ? "yes" : "NO");
  return g_str_equal (hex_glib, hex_dl) ? 0 : 1;
}

/* ----------------------------------------------------------------- profile */

static gpointer
hash_thread (gpointer bytes)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

/* The 8-bit image through @lut, written as PGM with one fwrite a row and
 * no fsync (what `vips … out.pgm` does). */
static gboolean
write_pgm_plain (const DlPlane *plane, const guint8 *lut, const char *path)
{
  g_autofree guint8 *row = g_malloc (plane->width);
  FILE *fp = fopen (path, "wb");

  if (fp == NULL)
    return FALSE;
  fprintf (fp, "P5\n%u %u\n255\n", plane->width, plane->height);
  for (guint y = 0; y < plane->height; y++)
    {
      const guint16 *src = plane->data + (gsize) y * plane->width;
      for (guint x = 0; x < plane->width; x++)
        row[x] = lut[src[x]];
      fwrite (row, 1, plane->width, fp);
    }
  return fclose (fp) == 0;
}

/* Prototype: the LUT applied on every core, 256 rows at a time, then one
 * fwrite a block; optionally fsync like dl_image_write_windowed (). */
typedef struct
{
  const DlPlane *plane;
  const guint8  *lut;
  guint8        *block;
  guint          y0;
} LutJob;

static void
lut_rows (gpointer data, int start, int end)
{
  const LutJob *job = data;
  guint width = job->plane->width;

  for (int r = start; r < end; r++)
    {
      const guint16 *src = job->plane->data + (gsize) (job->y0 + r) * width;
      guint8 *dst = job->block + (gsize) r * width;
      for (guint x = 0; x < width; x++)
        dst[x] = job->lut[src[x]];
    }
}

static gboolean
write_pgm_parallel (const DlPlane *plane, const guint8 *lut, const char *path, gboolean sync)
{
  const guint block_rows = 256;
  g_autofree guint8 *block = g_malloc ((gsize) plane->width * block_rows);
  FILE *fp = fopen (path, "wb");
  gboolean ok = TRUE;

  if (fp == NULL)
    return FALSE;
  fprintf (fp, "P5\n%u %u\n255\n", plane->width, plane->height);
  for (guint y = 0; y < plane->height && ok; y += block_rows)
    {
      guint rows = MIN (block_rows, plane->height - y);
      LutJob job = { plane, lut, block, y };
      dl_parallel_ranges (rows, (gsize) rows * plane->width, lut_rows, &job);
      ok = fwrite (block, 1, (gsize) rows * plane->width, fp) == (gsize) rows * plane->width;
    }
  if (sync)
    ok = ok && fflush (fp) == 0 && fsync (fileno (fp)) == 0;
  return fclose (fp) == 0 && ok;
}

/* Touches one byte a page of a new mapping of @path: the page-fault cost a
 * fresh process pays (GMappedFile maps without MAP_POPULATE). */
static double
touch_mapping_ms (const char *path, gboolean populate)
{
  struct stat st;
  volatile guint8 sink = 0;
  double t0 = now_ms (), t;
  int fd = open (path, O_RDONLY);
  guint8 *p;

  if (fd < 0 || fstat (fd, &st) != 0)
    return -1;
  p = mmap (NULL, st.st_size, PROT_READ, MAP_PRIVATE | (populate ? MAP_POPULATE : 0), fd, 0);
  close (fd);
  if (p == MAP_FAILED)
    return -1;
  for (off_t i = 0; i < st.st_size; i += 4096)
    sink += p[i];
  t = now_ms () - t0;
  munmap (p, st.st_size);
  (void) sink;
  return t;
}

static gpointer
hash_thread_dl (gpointer bytes)
{
  return dl_sha256_hex_bytes (bytes);
}

/* Best of @runs of each step of `doorlicht-cli render FILE --window C:W -o OUT`,
 * taken apart, and of prototyped alternatives.  Reads the file warm. */
static int
profile (const char *path, const char *window, const char *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree guint8 *lut = g_malloc (DL_LUT_SIZE);
  double best[13];
  const int runs = 3;
  DlWindowing w;

  for (guint k = 0; k < G_N_ELEMENTS (best); k++)
    best[k] = G_MAXDOUBLE;
  dl_windowing_init (&w);
  if (!dl_windowing_parse (&w, window, &error))
    {
      fprintf (stderr, "dl-bench: %s\n", error->message);
      return 2;
    }
  mapped = g_mapped_file_new (path, FALSE, &error);
  if (mapped == NULL)
    {
      fprintf (stderr, "dl-bench: %s\n", error->message);
      return 1;
    }
  bytes = g_mapped_file_get_bytes (mapped);

  for (int r = 0; r < runs; r++)
    {
      g_autoptr(DlScan) scan = NULL;
      g_autofree char *sum = NULL;
      GThread *hasher;
      double t0;

      t0 = now_ms ();
      sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
      best[0] = MIN (best[0], now_ms () - t0);

      t0 = now_ms ();
      scan = dl_tiff_load_bytes (bytes, NULL, NULL, NULL, NULL, &error);
      best[1] = MIN (best[1], now_ms () - t0);
      if (r == 0)
        best[11] = now_ms () - t0;
      if (scan == NULL)
        {
          fprintf (stderr, "dl-bench: %s\n", error->message);
          return 1;
        }
      g_clear_object (&scan);

      /* as dl_scan_load_file () does it: hash on another thread meanwhile */
      t0 = now_ms ();
      hasher = g_thread_new ("bench-sha256", hash_thread, bytes);
      scan = dl_tiff_load_bytes (bytes, NULL, NULL, NULL, NULL, &error);
      g_free (g_thread_join (hasher));
      best[2] = MIN (best[2], now_ms () - t0);

      t0 = now_ms ();
      if (!dl_image_write_windowed (dl_scan_get_plane_at (scan, 0), &w, out, &error))
        {
          fprintf (stderr, "dl-bench: %s\n", error->message);
          return 1;
        }
      best[3] = MIN (best[3], now_ms () - t0);

      t0 = now_ms ();
      dl_windowing_fill_lut (&w, lut);
      if (!write_pgm_plain (dl_scan_get_plane_at (scan, 0), lut, out))
        return 1;
      best[4] = MIN (best[4], now_ms () - t0);

      t0 = now_ms ();
      dl_windowing_fill_lut (&w, lut);
      best[5] = MIN (best[5], now_ms () - t0);

      t0 = now_ms ();
      dl_windowing_fill_lut (&w, lut);
      write_pgm_parallel (dl_scan_get_plane_at (scan, 0), lut, out, TRUE);
      best[6] = MIN (best[6], now_ms () - t0);

      t0 = now_ms ();
      dl_windowing_fill_lut (&w, lut);
      write_pgm_parallel (dl_scan_get_plane_at (scan, 0), lut, out, FALSE);
      best[12] = MIN (best[12], now_ms () - t0);

      best[7] = MIN (best[7], touch_mapping_ms (path, FALSE));
      best[8] = MIN (best[8], touch_mapping_ms (path, TRUE));

      g_clear_object (&scan);
      t0 = now_ms ();
      g_free (hash_thread_dl (bytes));
      best[9] = MIN (best[9], now_ms () - t0);

      t0 = now_ms ();
      hasher = g_thread_new ("bench-sha256", hash_thread_dl, bytes);
      scan = dl_tiff_load_bytes (bytes, NULL, NULL, NULL, NULL, &error);
      g_free (g_thread_join (hasher));
      best[10] = MIN (best[10], now_ms () - t0);
    }

  printf ("profile  %s  best of %d, warm file\n", path, runs);
  printf ("profile    SHA-256 of the file alone, GChecksum          %8.1f ms  (what Doorlicht used before dl-hash)\n", best[0]);
  printf ("profile    TIFF decode alone (dl_tiff_load_bytes)        %8.1f ms\n", best[1]);
  printf ("profile    TIFF decode alone, first run in the process   %8.1f ms\n", best[11]);
  printf ("profile    decode + GChecksum SHA-256 meanwhile          %8.1f ms  (as the CLI did before dl-hash)\n", best[2]);
  printf ("profile    LUT + PGM write, dl_image_write_windowed      %8.1f ms  (temporary file, fsync, rename)\n", best[3]);
  printf ("profile    LUT + PGM write, plain fwrite, no fsync       %8.1f ms  (prototype)\n", best[4]);
  printf ("profile    LUT + PGM write, 2 threads a block, fsync     %8.1f ms  (prototype)\n", best[6]);
  printf ("profile    LUT + PGM write, 2 threads a block, no fsync  %8.1f ms  (prototype)\n", best[12]);
  printf ("profile    LUT fill alone                                %8.1f ms\n", best[5]);
  printf ("profile    first touch of a new mapping of the file      %8.1f ms  (page faults a fresh process pays)\n", best[7]);
  printf ("profile    same, mmap with MAP_POPULATE                  %8.1f ms  (prototype)\n", best[8]);
  printf ("profile    SHA-256 alone, dl-hash (libcrypto, SHA-NI)    %8.1f ms\n", best[9]);
  printf ("profile    decode + dl-hash SHA-256 meanwhile            %8.1f ms  (as the CLI does)\n", best[10]);
  return 0;
}

/* ----------------------------------------------------------------- compare */

static guint8 *
read_pgm (const char *path, guint *width, guint *height)
{
  g_autofree char *contents = NULL;
  gsize length, pos = 2;
  guint vals[3];

  if (!g_file_get_contents (path, &contents, &length, NULL) || length < 2 || memcmp (contents, "P5", 2) != 0)
    return NULL;
  for (int k = 0; k < 3; k++)
    {
      while (pos < length && (g_ascii_isspace (contents[pos]) || contents[pos] == '#'))
        {
          if (contents[pos] == '#')
            while (pos < length && contents[pos] != '\n')
              pos++;
          else
            pos++;
        }
      vals[k] = 0;
      while (pos < length && g_ascii_isdigit (contents[pos]))
        vals[k] = vals[k] * 10 + (contents[pos++] - '0');
    }
  pos++;   /* the single whitespace after maxval */
  if (vals[2] != 255 || pos + (gsize) vals[0] * vals[1] > length)
    return NULL;
  *width = vals[0];
  *height = vals[1];
  return g_memdup2 (contents + pos, (gsize) vals[0] * vals[1]);
}

static int
compare (const char *a, const char *b)
{
  guint wa, ha, wb, hb;
  g_autofree guint8 *pa = read_pgm (a, &wa, &ha);
  g_autofree guint8 *pb = read_pgm (b, &wb, &hb);
  guint64 differ = 0, hist[256] = { 0 };
  int max_diff = 0;
  gsize n;

  if (pa == NULL || pb == NULL)
    {
      fprintf (stderr, "dl-bench: could not read %s as an 8-bit PGM\n", pa == NULL ? a : b);
      return 1;
    }
  if (wa != wb || ha != hb)
    {
      printf ("compare  sizes differ: %ux%u vs %ux%u\n", wa, ha, wb, hb);
      return 1;
    }
  n = (gsize) wa * ha;
  for (gsize i = 0; i < n; i++)
    {
      int d = abs ((int) pa[i] - (int) pb[i]);
      if (d)
        differ++;
      hist[d]++;
      max_diff = MAX (max_diff, d);
    }
  printf ("compare  %ux%u  %" G_GUINT64_FORMAT " of %" G_GSIZE_FORMAT " pixels differ (%.3f %%), max |difference| %d",
          wa, ha, differ, n, 100.0 * differ / n, max_diff);
  if (max_diff > 0)
    printf (", %.3f %% by 1", 100.0 * hist[1] / n);
  printf ("\n");
  return 0;
}

/* A case file of @n cases like a day's queue: half with a verdict, a
 * quarter of those reviewed (approved or returned) by a second person. */
static gboolean
make_cases (guint       n,
            const char *path,
            const char *dir)
{
  g_autofree char *dir_a = g_build_filename (dir, "analyst", NULL);
  g_autofree char *dir_s = g_build_filename (dir, "supervisor", NULL);
  g_autoptr(DlIdentity) analyst = dl_identity_load_from_dir (dir_a, "analyst", "Analyst", NULL);
  g_autoptr(DlIdentity) supervisor = dl_identity_load_from_dir (dir_s, "supervisor", "Supervisor", NULL);
  g_autoptr(DlCaseFile) file = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *reasons[] = { "density-anomaly", NULL };

  if ((file = dl_case_file_create (path, analyst, &error)) == NULL)
    goto fail;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = g_strdup_printf ("MSKU%07u", i);
      char *id = dl_case_file_new_case (file, title, &error);
      g_autofree char *verdict = NULL;

      if (id == NULL)
        goto fail;
      g_ptr_array_add (ids, id);
      if (i % 2 == 0
          && (verdict = dl_case_file_add_verdict (file, id, 1 + i % 4, reasons, NULL, &error)) == NULL)
        goto fail;
    }
  if (!dl_case_file_close (file, &error))
    goto fail;
  g_clear_object (&file);
  if ((file = dl_case_file_open (path, supervisor, &error)) == NULL)
    goto fail;
  for (guint i = 0; i < n; i += 8)
    {
      g_autofree char *review = dl_case_file_add_review (file, g_ptr_array_index (ids, i),
                                                         i % 16 ? DL_REVIEW_APPROVE : DL_REVIEW_RETURN,
                                                         "look again", &error);
      if (review == NULL)
        goto fail;
    }
  return dl_case_file_close (file, &error);

fail:
  fprintf (stderr, "dl-bench: %s\n", error->message);
  return FALSE;
}

static int
case_list (guint       n,
           const char *path)
{
  g_autofree char *dir = g_dir_make_tmp ("dl-bench-XXXXXX", NULL);
  g_autofree char *dir_a = g_build_filename (dir, "analyst", NULL);
  g_autoptr(DlIdentity) me = NULL;
  double best_open = G_MAXDOUBLE, best_list = G_MAXDOUBLE, best_filtered = G_MAXDOUBLE;
  guint listed = 0, filtered = 0;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      gint64 t0 = g_get_monotonic_time ();

      if (!make_cases (n, path, dir))
        return 1;
      printf ("made %u cases in %.1f s\n", n, (g_get_monotonic_time () - t0) / 1e6);
    }
  me = dl_identity_load_from_dir (dir_a, "analyst", "Analyst", NULL);
  for (int run = 0; run < 5; run++)
    {
      DlCaseQuery all = { DL_CASE_FILTER_ALL, NULL, DL_CASE_SORT_UPDATED, TRUE, NULL };
      DlCaseQuery awaiting = { DL_CASE_FILTER_AWAITING_REVIEW, "MSKU00", DL_CASE_SORT_TITLE, FALSE, NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(DlCaseFile) file = NULL;
      g_autoptr(GPtrArray) list = NULL, list2 = NULL;
      gint64 t0 = g_get_monotonic_time (), t1, t2, t3;

      file = dl_case_file_open (path, me, &error);
      t1 = g_get_monotonic_time ();
      list = file ? dl_case_file_list_cases (file, &all, &error) : NULL;
      t2 = g_get_monotonic_time ();
      list2 = list ? dl_case_file_list_cases (file, &awaiting, &error) : NULL;
      t3 = g_get_monotonic_time ();
      if (list2 == NULL)
        {
          fprintf (stderr, "dl-bench: %s\n", error->message);
          return 1;
        }
      listed = list->len;
      filtered = list2->len;
      best_open = MIN (best_open, (t1 - t0) / 1e3);
      best_list = MIN (best_list, (t2 - t1) / 1e3);
      best_filtered = MIN (best_filtered, (t3 - t2) / 1e3);
    }
  printf ("case file: %s\n", path);
  printf ("open (checks, WAL):        %8.1f ms\n", best_open);
  printf ("list all %u cases:       %8.1f ms\n", listed, best_list);
  printf ("list awaiting + search (%u): %6.1f ms\n", filtered, best_filtered);
  printf ("open + list:               %8.1f ms (goal < 200 ms): %s\n", best_open + best_list,
          best_open + best_list < 200 ? "PASS" : "MISS");
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
    if (system (cmd) != 0)
      return 1;
  }
  return 0;
}

/* A small 16-bit scan, 256 × 64, a container-like pattern varied by @seed. */
static gboolean
write_small_scan (const char *path,
                  guint       seed)
{
  const guint width = 256, height = 64;
  TIFF *tif = TIFFOpen (path, "w");
  guint16 row[256];

  if (tif == NULL)
    return FALSE;
  TIFFSetField (tif, TIFFTAG_IMAGEWIDTH, width);
  TIFFSetField (tif, TIFFTAG_IMAGELENGTH, height);
  TIFFSetField (tif, TIFFTAG_BITSPERSAMPLE, 16);
  TIFFSetField (tif, TIFFTAG_SAMPLESPERPIXEL, 1);
  TIFFSetField (tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
  TIFFSetField (tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField (tif, TIFFTAG_ROWSPERSTRIP, height);
  TIFFSetField (tif, TIFFTAG_COMPRESSION, COMPRESSION_LZW);
  for (guint y = 0; y < height; y++)
    {
      for (guint x = 0; x < width; x++)
        {
          /* walls, a load whose place and density follow the seed, noise */
          gboolean wall = y < 4 || y >= height - 4 || x < 3 || x >= width - 3;
          guint load_x = 20 + seed * 37 % 160;
          gboolean load = x >= load_x && x < load_x + 40 + seed % 50 && y > 12 && y < 56;
          guint v = wall ? 9000 : load ? 14000 + seed * 131 % 20000 : 52000;

          row[x] = (guint16) (v + (x * 7 + y * 13 + seed) % 900);
        }
      if (TIFFWriteScanline (tif, row, y, 0) < 0)
        {
          TIFFClose (tif);
          return FALSE;
        }
    }
  TIFFClose (tif);
  return TRUE;
}

/* @n cases, each with its embedded scan and thumbnail: one transaction
 * and event per case and per scan, as the engine writes them. */
static gboolean
make_thumb_cases (guint       n,
                  const char *path,
                  const char *dir)
{
  g_autofree char *dir_a = g_build_filename (dir, "analyst", NULL);
  g_autofree char *scan = g_build_filename (dir, "scan.tif", NULL);
  g_autoptr(DlIdentity) analyst = dl_identity_load_from_dir (dir_a, "analyst", "Analyst", NULL);
  g_autoptr(DlCaseFile) file = NULL;
  g_autoptr(GError) error = NULL;
  gint64 t_scans = 0, t_thumbs = 0;

  if ((file = dl_case_file_create (path, analyst, &error)) == NULL)
    goto fail;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = g_strdup_printf ("MSKU%07u", i);
      g_autofree char *id = NULL, *scan_id = NULL;
      g_autoptr(GBytes) png = NULL;
      gint64 t0 = g_get_monotonic_time (), t1;

      if (!write_small_scan (scan, i)
          || (id = dl_case_file_new_case (file, title, &error)) == NULL
          || (scan_id = dl_case_file_add_scan (file, id, scan, TRUE, &error)) == NULL)
        goto fail;
      t1 = g_get_monotonic_time ();
      if ((png = dl_case_file_make_thumbnail (file, scan_id, &error)) == NULL)
        goto fail;
      t_scans += t1 - t0;
      t_thumbs += g_get_monotonic_time () - t1;
    }
  printf ("cases with embedded scans: %.1f s; thumbnails made: %.1f s (%.2f ms each)\n", t_scans / 1e6,
          t_thumbs / 1e6, t_thumbs / 1e3 / MAX (n, 1));
  return dl_case_file_close (file, &error);

fail:
  fprintf (stderr, "dl-bench: %s\n", error ? error->message : "cannot write the scan");
  return FALSE;
}

static int
case_thumbs (guint       n,
             const char *path)
{
  g_autofree char *dir = g_dir_make_tmp ("dl-bench-XXXXXX", NULL);
  g_autofree char *dir_a = g_build_filename (dir, "analyst", NULL);
  g_autoptr(DlIdentity) me = NULL;
  double best_open = G_MAXDOUBLE, best_list = G_MAXDOUBLE, best_fetch = G_MAXDOUBLE, worst_fetch = 0;
  guint listed = 0, fetched = 0;
  gsize png_bytes = 0;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      gint64 t0 = g_get_monotonic_time ();

      if (!make_thumb_cases (n, path, dir))
        return 1;
      printf ("made %u cases with scans and thumbnails in %.1f s\n", n, (g_get_monotonic_time () - t0) / 1e6);
    }
  me = dl_identity_load_from_dir (dir_a, "analyst", "Analyst", NULL);
  for (int run = 0; run < 5; run++)
    {
      DlCaseQuery all = { DL_CASE_FILTER_ALL, NULL, DL_CASE_SORT_UPDATED, TRUE, NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(DlCaseFile) file = NULL;
      g_autoptr(GPtrArray) list = NULL;
      gint64 t0 = g_get_monotonic_time (), t1, t2;

      file = dl_case_file_open (path, me, &error);
      t1 = g_get_monotonic_time ();
      list = file ? dl_case_file_list_cases (file, &all, &error) : NULL;
      t2 = g_get_monotonic_time ();
      if (list == NULL)
        {
          fprintf (stderr, "dl-bench: %s\n", error->message);
          return 1;
        }
      listed = list->len;
      best_open = MIN (best_open, (t1 - t0) / 1e3);
      best_list = MIN (best_list, (t2 - t1) / 1e3);
      /* one screen of rows, at a different place each run */
      for (guint screen = 0; screen < 4; screen++)
        {
          guint first = (guint) ((run * 4 + screen) * 0.047 * list->len) % MAX (list->len, 30);
          gint64 s0 = g_get_monotonic_time ();
          double ms;

          fetched = 0;
          png_bytes = 0;
          for (guint i = first; i < first + 30 && i < list->len; i++)
            {
              DlCaseSummary *c = g_ptr_array_index (list, i);
              g_autoptr(GBytes) png = c->first_scan_id
                                      ? dl_case_file_get_thumbnail (file, c->first_scan_id, NULL, NULL, NULL)
                                      : NULL;
              if (png)
                {
                  fetched++;
                  png_bytes += g_bytes_get_size (png);
                }
            }
          ms = (g_get_monotonic_time () - s0) / 1e3;
          best_fetch = MIN (best_fetch, ms);
          worst_fetch = MAX (worst_fetch, ms);
        }
    }
  printf ("case file: %s\n", path);
  printf ("open (checks, WAL):           %8.1f ms\n", best_open);
  printf ("list all %u cases (+ first scan id): %8.1f ms\n", listed, best_list);
  printf ("30 thumbnails from the cache (%u found, %" G_GSIZE_FORMAT " bytes of PNG): best %.2f ms, worst %.2f ms\n",
          fetched, png_bytes, best_fetch, worst_fetch);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
    if (system (cmd) != 0)
      return 1;
  }
  return 0;
}

/* -- the analyst's loop: a queue of generator cases for the app ------------------ */

/* @n cases, each a generator scene (all scenes in turn, seeds no test
 * uses) with its scan embedded and its declaration, none decided: what
 * DOORLICHT_NEXT_BENCH in the app works through.  Made once, kept. */
static int
loop_cases (guint       n,
            const char *path)
{
  g_autofree char *dir = g_strconcat (path, ".d", NULL);
  g_autofree char *keys = g_build_filename (dir, "analyst", NULL);
  g_autofree char *tmp = g_strconcat (path, ".part", NULL);
  g_autoptr(DlIdentity) analyst = NULL;
  g_autoptr(DlCaseFile) file = NULL;
  g_autoptr(GError) error = NULL;
  const DlSynthScene *scenes = dl_synth_get_scenes ();
  guint n_scenes = 0;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      printf ("loop cases: %s (kept)\n", path);
      return 0;
    }
  while (scenes[n_scenes].name)
    n_scenes++;
  g_mkdir_with_parents (dir, 0700);
  g_unlink (tmp);
  if ((analyst = dl_identity_load_from_dir (keys, "analyst", "Analyst", &error)) == NULL
      || (file = dl_case_file_create (tmp, analyst, &error)) == NULL)
    goto fail;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) local = NULL;
      DlSynthOutput *out = dl_synth_generate (scenes[i % n_scenes].name, 9000 + i, FALSE, &error);
      g_autofree char *base = NULL;
      g_autofree char *scan = NULL;
      g_autofree char *id = NULL;
      g_autofree char *scan_id = NULL;
      gboolean ok;

      if (out == NULL || !dl_synth_write (out, dir, &error))
        goto fail;
      base = dl_synth_basename (out);
      scan = g_strdup_printf ("%s/%s.tif", dir, base);
      ok = (id = dl_case_file_new_case (file, base, &local)) != NULL
           && (scan_id = dl_case_file_add_scan (file, id, scan, TRUE, &local)) != NULL
           && dl_case_file_set_manifest (file, id, out->manifest, &local);
      dl_synth_output_free (out);
      if (!ok)
        {
          g_propagate_error (&error, g_steal_pointer (&local));
          goto fail;
        }
    }
  if (!dl_case_file_close (file, &error) || g_rename (tmp, path) != 0)
    goto fail;
  printf ("loop cases: %u generator cases in %s\n", n, path);
  return 0;

fail:
  fprintf (stderr, "dl-bench: %s\n", error ? error->message : g_strerror (errno));
  return 1;
}

/* ------------------------------------------------------------------ detect */

/* The built-in detectors on the generator's varied 40 ft scan of @scene
 * (seed 9000) against its manifest, @runs times from a fresh input each
 * (the measurement they share included): the median of the whole run and
 * of each detector's own time (from its start, so waiting for the shared
 * measurement counts), and the CPU time a run took (on a busy machine
 * the steadier figure: on two cores a run's wall time is at least half
 * of it). */
static gboolean
detect_scene (const char *scene,
              int         runs)
{
  g_autoptr(GError) error = NULL;
  DlSynthOptions options = { FALSE, TRUE };
  g_autoptr(DlSynthOutput) out = dl_synth_generate_with_options (scene, 9000, &options, &error);
  g_autoptr(GPtrArray) detectors = dl_detectors_builtin ();
  g_autofree double *total = g_new (double, runs);
  g_autofree double *each = g_new (double, (gsize) runs * detectors->len);
  double cpu_start = cpu_ms ();

  if (out == NULL)
    {
      fprintf (stderr, "dl-bench detect: %s\n", error->message);
      return FALSE;
    }
  for (int r = 0; r < runs; r++)
    {
      g_autoptr(DlDetectInput) input = dl_detect_input_new (out->scan, out->manifest, NULL,
                                                            dl_calibration_get_default (), NULL);
      g_autoptr(DlDetectReport) report = dl_detectors_run (detectors, input, NULL);

      total[r] = report->seconds * 1000;
      for (guint d = 0; d < report->runs->len; d++)
        each[(gsize) d * runs + r] = ((DlDetectorRun *) g_ptr_array_index (report->runs, d))->seconds * 1000;
    }
  qsort (total, runs, sizeof (double), compare_doubles);
  printf ("%-20s %u × %u px: all detectors %.0f ms wall (median of %d), %.0f ms CPU each;", scene, out->width,
          out->height, percentile (total, runs, 50), runs, (cpu_ms () - cpu_start) / runs);
  for (guint d = 0; d < detectors->len; d++)
    {
      double *t = each + (gsize) d * runs;

      qsort (t, runs, sizeof (double), compare_doubles);
      printf (" %s %.0f", dl_detector_get_name (g_ptr_array_index (detectors, d)), percentile (t, runs, 50));
    }
  printf (" ms\n");
  return TRUE;
}

static int
detect_bench (int          runs,
              int          n_scenes,
              char * const *scenes)
{
  for (int i = 0; i < n_scenes; i++)
    if (!detect_scene (scenes[i], MAX (runs, 1)))
      return 1;
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc == 5 && g_str_equal (argv[1], "generate"))
    return generate (atoi (argv[2]), atoi (argv[3]), 1, argv[4]);
  if (argc == 6 && g_str_equal (argv[1], "generate"))
    return generate (atoi (argv[2]), atoi (argv[3]), CLAMP (atoi (argv[4]), 1, 4), argv[5]);
  if (argc == 3 && g_str_equal (argv[1], "frame"))
    return frame (argv[2]);
  if (argc == 5 && g_str_equal (argv[1], "convert"))
    return convert (argv[2], argv[3], argv[4]);
  if (argc == 4 && g_str_equal (argv[1], "open"))
    return open_bench (argv[2], atoi (argv[3]));
  if ((argc == 2 || argc == 3) && g_str_equal (argv[1], "hash"))
    return hash_bench (argc == 3 ? CLAMP (atoi (argv[2]), 1, 4096) : 32);
  if (argc == 5 && g_str_equal (argv[1], "profile"))
    return profile (argv[2], argv[3], argv[4]);
  if (argc == 4 && g_str_equal (argv[1], "compare"))
    return compare (argv[2], argv[3]);
  if (argc == 4 && g_str_equal (argv[1], "case-list"))
    return case_list (atoi (argv[2]), argv[3]);
  if (argc == 4 && g_str_equal (argv[1], "loop-cases"))
    return loop_cases (atoi (argv[2]), argv[3]);
  if (argc == 4 && g_str_equal (argv[1], "case-thumbs"))
    return case_thumbs (atoi (argv[2]), argv[3]);
  if (argc >= 4 && g_str_equal (argv[1], "detect"))
    return detect_bench (atoi (argv[2]), argc - 3, argv + 3);

  fprintf (stderr,
           "usage: dl-bench generate WIDTH HEIGHT [CHANNELS] OUT.tif\n"
           "       dl-bench frame FILE\n"
           "       dl-bench convert IN OUT dicos|tiff|lzw\n"
           "       dl-bench open FILE RUNS\n"
           "       dl-bench hash [MIB]\n"
           "       dl-bench profile FILE C:W OUT.pgm\n"
           "       dl-bench compare A.pgm B.pgm\n"
           "       dl-bench case-list N FILE\n"
           "       dl-bench case-thumbs N FILE\n"
           "       dl-bench detect RUNS SCENE…\n");
  return 2;
}
