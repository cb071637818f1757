/* dl-bench-detect.c — how long the built-in detectors take on a 40 ft
 * scan (build-aux/bench runs it): for each scene given, the generator's
 * varied scan at seed 9000 is checked against its manifest RUNS times,
 * each time from a fresh input (the shared measurement included), and
 * the median of the whole run and of each detector's own time printed
 * (each from its start, so it includes waiting for the measurement they
 * share), with the CPU time a run took (on a busy machine the steadier
 * figure: on two cores a run's wall time is at least half of it).
 *
 *   dl-bench-detect RUNS SCENE…
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "dl-detector.h"
#include "dl-synth.h"

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *v,
        guint   n)
{
  qsort (v, n, sizeof *v, compare_doubles);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The process's CPU time so far (user and system), ms. */
static double
cpu_ms (void)
{
  struct rusage u;

  getrusage (RUSAGE_SELF, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

static gboolean
bench_scene (const char *scene,
             guint       runs)
{
  g_autoptr(GError) error = NULL;
  DlSynthOptions options = { FALSE, TRUE };
  g_autoptr(DlSynthOutput) out = dl_synth_generate_with_options (scene, 9000, &options, &error);
  g_autoptr(GPtrArray) detectors = dl_detectors_builtin ();
  g_autofree double *total = g_new (double, runs);
  g_autofree double *each = g_new (double, (gsize) runs * detectors->len);
  double cpu_start;

  if (out == NULL)
    {
      fprintf (stderr, "dl-bench-detect: %s\n", error->message);
      return FALSE;
    }
  cpu_start = cpu_ms ();
  for (guint r = 0; r < runs; r++)
    {
      g_autoptr(DlDetectInput) input = dl_detect_input_new (out->scan, out->manifest, NULL,
                                                            dl_calibration_get_default (), NULL);
      g_autoptr(DlDetectReport) report = dl_detectors_run (detectors, input, NULL);

      total[r] = report->seconds * 1000;
      for (guint d = 0; d < report->runs->len; d++)
        each[(gsize) d * runs + r] = ((DlDetectorRun *) g_ptr_array_index (report->runs, d))->seconds * 1000;
    }
  printf ("%-20s %u × %u px: all detectors %.0f ms wall (median of %u), %.0f ms CPU each;", scene, out->width,
          out->height, median (total, runs), runs, (cpu_ms () - cpu_start) / runs);
  for (guint d = 0; d < detectors->len; d++)
    printf (" %s %.0f", dl_detector_get_name (g_ptr_array_index (detectors, d)), median (each + (gsize) d * runs, runs));
  printf (" ms\n");
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  guint runs;

  if (argc < 3 || (runs = (guint) g_ascii_strtoull (argv[1], NULL, 10)) == 0)
    {
      fprintf (stderr, "usage: dl-bench-detect RUNS SCENE…\n");
      return 2;
    }
  for (int i = 2; i < argc; i++)
    if (!bench_scene (argv[i], runs))
      return 1;
  return 0;
}
