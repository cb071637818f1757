/* test-report.c — the PDF case report: the scan rendered as the analyst
 * sees it, and a report that opens, shows that scan on its first page,
 * carries the case's facts and hashes as text, paginates, and is written
 * the same way twice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "dl-report.h"
#include "dl-scan-prepare.h"
#include "dl-synth.h"

#define SCAN_MAX_W 1200
#define SCAN_MAX_H 600
#define N_EVENTS   200
#define SHA256     "3f1c0a9e5b7d2468ace13579bdf02468ace13579bdf02468ace13579bdf0abcd"
#define CHAIN_HEAD "9b2e4d6f8a0c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b"
#define CASE_ID    "C-000042"

static DlSynthOutput *synth;

/* A density window that shows the cargo, as an analyst would set it. */
static DlViewState *
new_state (void)
{
  DlViewState *state = dl_view_state_new ();
  DlPlane *plane = dl_scan_get_plane (synth->scan, 0, 0);

  g_object_set (state, "i0", dl_plane_get_i0 (plane), NULL);
  dl_view_state_set_space (state, DL_SPACE_DENSITY);
  dl_view_state_apply_preset (state, DL_PRESET_AUTO, dl_plane_get_histogram (plane));
  return state;
}

static DlAnnotations *
new_marks (void)
{
  DlAnnotations *marks = dl_annotations_new ();
  guint w = synth->width, h = synth->height;
  DlPoint rect[] = { { w * 0.30, h * 0.25 }, { w * 0.45, h * 0.70 } };
  DlPoint poly[] = { { w * 0.60, h * 0.30 }, { w * 0.70, h * 0.35 }, { w * 0.65, h * 0.60 } };
  DlPoint arrow[] = { { w * 0.10, h * 0.15 }, { w * 0.25, h * 0.40 } };
  DlPoint text[] = { { w * 0.80, h * 0.20 } };
  DlPoint ruler[] = { { w * 0.20, h * 0.85 }, { w * 0.50, h * 0.85 } };

  dl_annotations_add (marks, DL_ANNOTATION_RECTANGLE, 0, rect, 2, "dense block");
  dl_annotations_add (marks, DL_ANNOTATION_POLYGON, 0, poly, 3, "void behind wall?");
  dl_annotations_add (marks, DL_ANNOTATION_ARROW, 0, arrow, 2, NULL);
  dl_annotations_add (marks, DL_ANNOTATION_TEXT, 0, text, 1, "Seal intact");
  dl_annotations_add (marks, DL_ANNOTATION_RULER, 0, ruler, 2, NULL);
  return marks;
}

static double
luma (guint32 p)
{
  return 0.299 * ((p >> 16) & 0xff) + 0.587 * ((p >> 8) & 0xff) + 0.114 * (p & 0xff);
}

static guint32
pixel (cairo_surface_t *s,
       int              x,
       int              y)
{
  const guint8 *row = cairo_image_surface_get_data (s) + (gsize) y * cairo_image_surface_get_stride (s);
  return ((const guint32 *) row)[x] & 0xffffff;
}

static guint
count_differences (cairo_surface_t *a,
                   cairo_surface_t *b)
{
  int w = cairo_image_surface_get_width (a), h = cairo_image_surface_get_height (a);
  guint n = 0;

  g_assert_cmpint (w, ==, cairo_image_surface_get_width (b));
  g_assert_cmpint (h, ==, cairo_image_surface_get_height (b));
  cairo_surface_flush (a);
  cairo_surface_flush (b);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      n += pixel (a, x, y) != pixel (b, x, y);
  return n;
}

static void
test_render_fit (void)
{
  g_autoptr(DlViewState) state = new_state ();
  cairo_surface_t *s = dl_report_render_scan (synth->scan, 0, state, NULL, 300, 300);
  double aspect = (double) synth->width / synth->height;
  double mean = 0, var = 0;
  int w = cairo_image_surface_get_width (s), h = cairo_image_surface_get_height (s);

  g_assert_cmpint (cairo_image_surface_get_format (s), ==, CAIRO_FORMAT_RGB24);
  g_assert_cmpint (w, ==, 300);   /* the scan is long: the width limits */
  g_assert_cmpint (h, <=, 300);
  g_assert_cmpfloat (fabs ((double) w / h - aspect), <, 0.05 * aspect);

  /* the windowed scan, not a flat fill */
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      mean += luma (pixel (s, x, y));
  mean /= (double) w * h;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      var += pow (luma (pixel (s, x, y)) - mean, 2);
  g_assert_cmpfloat (sqrt (var / ((double) w * h)), >, 20);
  cairo_surface_destroy (s);
}

/* Overlays change the picture; the material overlay colours it. */
static void
test_render_overlays (void)
{
  g_autoptr(DlViewState) state = new_state ();
  cairo_surface_t *plain = dl_report_render_scan (synth->scan, 0, state, NULL, 400, 400);
  cairo_surface_t *material, *colormap;
  int w = cairo_image_surface_get_width (plain), h = cairo_image_surface_get_height (plain);
  guint coloured = 0;

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 p = pixel (plain, x, y);
        g_assert_true (((p >> 16) & 0xff) == (p & 0xff) && ((p >> 8) & 0xff) == (p & 0xff));
      }

  g_object_set (state, "material", TRUE, NULL);
  material = dl_report_render_scan (synth->scan, 0, state, NULL, 400, 400);
  g_assert_cmpuint (count_differences (plain, material), >, (guint) (w * h / 20));
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 p = pixel (material, x, y);
        coloured += ((p >> 16) & 0xff) != (p & 0xff) || ((p >> 8) & 0xff) != (p & 0xff);
      }
  g_assert_cmpuint (coloured, >, (guint) (w * h / 20));

  g_object_set (state, "material", FALSE, "colormap", "turbo", NULL);
  colormap = dl_report_render_scan (synth->scan, 0, state, NULL, 400, 400);
  g_assert_cmpuint (count_differences (plain, colormap), >, (guint) (w * h / 2));

  cairo_surface_destroy (plain);
  cairo_surface_destroy (material);
  cairo_surface_destroy (colormap);
}

/* The marks are drawn where they are, in the viewer's yellow, and nowhere
 * else. */
static void
test_render_marks (void)
{
  g_autoptr(DlViewState) state = new_state ();
  g_autoptr(DlAnnotations) marks = new_marks ();
  g_autoptr(DlAnnotations) other_view = dl_annotations_new ();
  DlPoint rect[] = { { 10, 10 }, { 100, 100 } };
  cairo_surface_t *plain = dl_report_render_scan (synth->scan, 0, state, NULL, 800, 400);
  cairo_surface_t *marked = dl_report_render_scan (synth->scan, 0, state, marks, 800, 400);
  cairo_surface_t *unmarked;
  int w = cairo_image_surface_get_width (plain), h = cairo_image_surface_get_height (plain);
  double zoom = (double) w / synth->width;
  const DlAnnotation *r = dl_annotations_get (marks, 0);
  const DlPoint *p = (const DlPoint *) r->points->data;
  int left = (int) round (p[0].x * zoom), mid_y = (int) round ((p[0].y + p[1].y) / 2 * zoom);
  guint32 edge = pixel (marked, left, mid_y);

  /* the left edge of the rectangle, yellow */
  g_assert_cmpuint (pixel (plain, left, mid_y), !=, edge);
  g_assert_cmpuint ((edge >> 16) & 0xff, >, 200);
  g_assert_cmpuint ((edge >> 8) & 0xff, >, 170);
  g_assert_cmpuint (edge & 0xff, <, 80);
  /* inside the rectangle, away from its caption: untouched */
  g_assert_cmpuint (pixel (plain, (int) round ((p[0].x + p[1].x) / 2 * zoom), mid_y + 20), ==,
                    pixel (marked, (int) round ((p[0].x + p[1].x) / 2 * zoom), mid_y + 20));
  /* the bottom right corner has no mark */
  g_assert_cmpuint (pixel (plain, w - 3, h - 3), ==, pixel (marked, w - 3, h - 3));
  g_assert_cmpuint (count_differences (plain, marked), >, 500);

  /* marks of another view are not drawn on this one */
  dl_annotations_add (other_view, DL_ANNOTATION_RECTANGLE, 1, rect, 2, "top view");
  unmarked = dl_report_render_scan (synth->scan, 0, state, other_view, 800, 400);
  g_assert_cmpuint (count_differences (plain, unmarked), ==, 0);

  cairo_surface_destroy (plain);
  cairo_surface_destroy (marked);
  cairo_surface_destroy (unmarked);
}

/* ---- the PDF --------------------------------------------------------------- */

typedef struct
{
  DlViewState     *state;
  DlAnnotations   *marks;
  cairo_surface_t *image;
  DlReportScan     scan;
  DlReportEvent   *events;
  char           **summaries;
  const char      *hints[3];
  DlReportCase     report;
} Report;

static const char * const kinds[] = { "annotation", "verdict", "review", "scan", "manifest" };

static Report *
report_new (guint n_events)
{
  Report *r = g_new0 (Report, 1);
  double px, py;

  r->state = new_state ();
  g_object_set (r->state, "material", TRUE, NULL);
  r->marks = new_marks ();
  r->image = dl_report_render_scan (synth->scan, 0, r->state, r->marks, SCAN_MAX_W, SCAN_MAX_H);
  g_assert_true (dl_scan_get_pixel_pitch (synth->scan, &px, &py));
  r->scan = (DlReportScan) {
    .path = "/srv/scans/2026/11/mixed-5.tif",
    .size = 8469609,
    .sha256 = SHA256,
    .image = r->image,
    .window = "density, auto preset, material overlay",
    .annotations = r->marks,
    .pitch_x_mm = px,
    .pitch_y_mm = py,
  };

  r->events = g_new0 (DlReportEvent, MAX (n_events, 1));
  r->summaries = g_new0 (char *, n_events + 1);
  for (guint i = 0; i < n_events; i++)
    {
      r->summaries[i] = g_strdup_printf ("event number %u of the case", i + 1);
      r->events[i] = (DlReportEvent) { kinds[i % G_N_ELEMENTS (kinds)], r->summaries[i],
                                       i % 2 ? "Jan de Vries (jvries)" : "Ans Bakker (abakker)",
                                       1795000000 + 60 * i };
    }

  r->hints[0] = "Declared 1 200 kg of rice; the scan suggests about 3 400 kg of cargo.";
  r->hints[1] = "A dense object in container 1 is not on the manifest.";
  r->report = (DlReportCase) {
    .case_id = CASE_ID,
    .title = "mixed cargo",
    .case_file = "/srv/cases/rotterdam-2026.doorlicht",
    .scans = &r->scan,
    .n_scans = 1,
    .manifest = synth->manifest,
    .verdict = "Physical inspection",
    .verdict_reasons = "density anomaly, undeclared goods",
    .verdict_text = "A dense block behind the front wall does not match the declared furniture.",
    .verdict_author = "Ans Bakker (abakker)",
    .verdict_time = 1795003600,
    .review = "Approved",
    .review_comment = "Agreed, open the container.",
    .review_author = "Jan de Vries (jvries)",
    .review_time = 1795007200,
    .hints = r->hints,
    .events = r->events,
    .n_events = n_events,
    .chain_head = CHAIN_HEAD,
    .created = 1795010000,
    .author = "Ans Bakker (abakker)",
  };
  return r;
}

static void
report_free (Report *r)
{
  g_object_unref (r->state);
  g_object_unref (r->marks);
  cairo_surface_destroy (r->image);
  g_free (r->events);
  g_strfreev (r->summaries);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Report, report_free)

static gboolean
have_poppler (void)
{
  g_autofree char *a = g_find_program_in_path ("pdftoppm");
  g_autofree char *b = g_find_program_in_path ("pdftotext");
  g_autofree char *c = g_find_program_in_path ("pdfinfo");

  if (a && b && c)
    return TRUE;
  g_test_skip ("pdftoppm, pdftotext or pdfinfo (poppler-utils) is missing");
  return FALSE;
}

static char *
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s: %s\n%s", argv[0], error->message, err);
  return out;
}

static guint
pdf_pages (const char *path)
{
  const char *argv[] = { "pdfinfo", path, NULL };
  g_autofree char *info = run (argv);
  const char *line = strstr (info, "\nPages:");

  g_assert_nonnull (line);
  return (guint) g_ascii_strtoull (line + strlen ("\nPages:") + strspn (line + strlen ("\nPages:"), " "), NULL, 10);
}

typedef struct
{
  int     width;
  int     height;
  guint8 *data;
} Gray;

static void
gray_free (Gray *g)
{
  g_free (g->data);
  g_free (g);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Gray, gray_free)

/* A binary PGM as pdftoppm -gray writes it. */
static Gray *
read_pgm (const char *path)
{
  g_autofree char *bytes = NULL;
  gsize length;
  Gray *g = g_new0 (Gray, 1);
  int maxval, offset = 0;

  g_assert_true (g_file_get_contents (path, &bytes, &length, NULL));
  g_assert_cmpint (sscanf (bytes, "P5 %d %d %d%n", &g->width, &g->height, &maxval, &offset), ==, 3);
  g_assert_cmpint (maxval, ==, 255);
  offset++;   /* the single white space after the header */
  g_assert_cmpuint (length, >=, (gsize) offset + (gsize) g->width * g->height);
  g->data = g_memdup2 (bytes + offset, (gsize) g->width * g->height);
  return g;
}

/* Page @page rendered at @dpi, gray. */
static Gray *
render_page (const char *pdf,
             guint       page,
             int         dpi,
             const char *dir)
{
  g_autofree char *prefix = g_build_filename (dir, "page", NULL);
  g_autofree char *pgm = g_strconcat (prefix, ".pgm", NULL);
  g_autofree char *res = g_strdup_printf ("%d", dpi);
  g_autofree char *n = g_strdup_printf ("%u", page);
  const char *argv[] = { "pdftoppm", "-r", res, "-f", n, "-l", n, "-gray", "-singlefile", pdf, prefix, NULL };
  g_autofree char *out = run (argv);

  return read_pgm (pgm);
}

/* Pearson correlation of the page's pixels inside the rectangle with the
 * luma of @image averaged over the same areas. */
static double
correlate (const Gray      *page,
           cairo_surface_t *image,
           double           x,
           double           y,
           double           w,
           double           h,
           double           scale,
           double          *page_sd)
{
  int iw = cairo_image_surface_get_width (image), ih = cairo_image_surface_get_height (image);
  int x0 = (int) ceil (x * scale) + 1, y0 = (int) ceil (y * scale) + 1;
  int x1 = (int) floor ((x + w) * scale) - 1, y1 = (int) floor ((y + h) * scale) - 1;
  double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0, n = 0;

  g_assert_cmpint (x1 - x0, >, 20);
  g_assert_cmpint (y1 - y0, >, 5);
  g_assert_cmpint (x1, <=, page->width);
  g_assert_cmpint (y1, <=, page->height);
  for (int j = y0; j < y1; j++)
    for (int i = x0; i < x1; i++)
      {
        /* the image pixels under page pixel (i, j) */
        int u0 = (int) floor ((i / scale - x) / w * iw), u1 = (int) ceil (((i + 1) / scale - x) / w * iw);
        int v0 = (int) floor ((j / scale - y) / h * ih), v1 = (int) ceil (((j + 1) / scale - y) / h * ih);
        double a = page->data[(gsize) j * page->width + i], b = 0;
        int count = 0;

        for (int v = MAX (v0, 0); v < MIN (v1, ih); v++)
          for (int u = MAX (u0, 0); u < MIN (u1, iw); u++, count++)
            b += luma (pixel (image, u, v));
        b /= MAX (count, 1);
        sa += a;
        sb += b;
        saa += a * a;
        sbb += b * b;
        sab += a * b;
        n++;
      }
  *page_sd = sqrt (MAX (saa / n - (sa / n) * (sa / n), 0));
  return (sab / n - sa / n * sb / n)
         / sqrt (MAX (saa / n - (sa / n) * (sa / n), 1e-9) * MAX (sbb / n - (sb / n) * (sb / n), 1e-9));
}

static void
test_pdf (void)
{
  g_autoptr(Report) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dl-report-XXXXXX", NULL);
  g_autofree char *pdf = g_build_filename (dir, "C-000042.pdf", NULL);
  g_autofree char *bytes = NULL;
  g_autofree char *text = NULL;
  g_autoptr(Gray) page = NULL;
  const DlManifestContainer *container;
  double x, y, w, h, sd, rho;
  guint where;
  gsize length;

  if (!have_poppler ())
    return;
  r = report_new (N_EVENTS);
  g_assert_true (dl_report_write_pdf (&r->report, pdf, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (pdf, &bytes, &length, NULL));
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (g_str_has_prefix (bytes, "%PDF-"));
  g_assert_cmpuint (pdf_pages (pdf), >, 1);

  /* page 1 shows the scan where the layout put it */
  g_assert_true (dl_report_locate_scan (&r->report, 0, &where, &x, &y, &w, &h));
  g_assert_cmpuint (where, ==, 1);
  page = render_page (pdf, 1, 40, dir);
  rho = correlate (page, r->image, x, y, w, h, 40 / 72.0, &sd);
  g_test_message ("scan on page 1: sd %.1f, correlation %.3f", sd, rho);
  g_assert_cmpfloat (sd, >, 15);
  g_assert_cmpfloat (rho, >, 0.85);
  /* and a page without it correlates with nothing there */
  {
    g_autoptr(Gray) last = render_page (pdf, pdf_pages (pdf), 40, dir);
    double last_sd;
    double last_rho = correlate (last, r->image, x, y, w, h, 40 / 72.0, &last_sd);
    g_assert_cmpfloat (fabs (last_rho), <, 0.5);
  }

  /* the facts, as text */
  {
    const char *argv[] = { "pdftotext", "-layout", pdf, "-", NULL };
    text = run (argv);
  }
  container = g_ptr_array_index (synth->manifest->containers, 0);
  for (const char * const *s = (const char * const[]) { CASE_ID, "Physical inspection", "Approved",
                                                        container->number, SHA256, CHAIN_HEAD,
                                                        "event number 1 of the case",
                                                        "event number 200 of the case",
                                                        "dense block", "Verdict and review",
                                                        "Audit trail", NULL }; *s; s++)
    if (strstr (text, *s) == NULL)
      g_error ("“%s” is not in the text of the report:\n%s", *s, text);
  g_assert_nonnull (strstr (text, "Page 1 of"));

  g_unlink (pdf);
  g_rmdir (dir);
}

/* Long trails are summarised: the last events, all counted. */
static void
test_pdf_long_trail (void)
{
  g_autoptr(Report) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dl-report-XXXXXX", NULL);
  g_autofree char *pdf = g_build_filename (dir, "long.pdf", NULL);
  g_autofree char *text = NULL;

  if (!have_poppler ())
    return;
  r = report_new (600);
  g_assert_true (dl_report_write_pdf (&r->report, pdf, &error));
  g_assert_no_error (error);
  {
    const char *argv[] = { "pdftotext", pdf, "-", NULL };
    text = run (argv);
  }
  g_assert_nonnull (strstr (text, "event number 600 of the case"));
  g_assert_nonnull (strstr (text, "event number 401 of the case"));
  g_assert_null (strstr (text, "event number 400 of the case"));
  g_assert_null (strstr (text, "event number 1 of the case\n"));
  g_assert_nonnull (strstr (text, "600"));
  g_unlink (pdf);
  g_rmdir (dir);
}

static void
test_pdf_reproducible (void)
{
  g_autoptr(Report) r = report_new (N_EVENTS);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dl-report-XXXXXX", NULL);
  g_autofree char *a = g_build_filename (dir, "a.pdf", NULL);
  g_autofree char *b = g_build_filename (dir, "b.pdf", NULL);
  g_autofree char *c = g_build_filename (dir, "c.pdf", NULL);
  g_autofree char *da = NULL, *db = NULL, *dc = NULL;
  gsize la, lb, lc;

  g_assert_true (dl_report_write_pdf (&r->report, a, &error));
  g_assert_true (dl_report_write_pdf (&r->report, b, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (a, &da, &la, NULL));
  g_assert_true (g_file_get_contents (b, &db, &lb, NULL));
  g_assert_cmpmem (da, la, db, lb);

  /* and it is the input that is written: a later date changes the file */
  r->report.created += 86400;
  g_assert_true (dl_report_write_pdf (&r->report, c, &error));
  g_assert_true (g_file_get_contents (c, &dc, &lc, NULL));
  g_assert_false (la == lc && memcmp (da, dc, la) == 0);

  g_unlink (a);
  g_unlink (b);
  g_unlink (c);
  g_rmdir (dir);
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (d))
    n++;
  return n;
}

static void
test_pdf_unwritable (void)
{
  g_autoptr(Report) r = report_new (3);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dl-report-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "r.pdf", NULL);
  g_autofree char *taken = g_build_filename (dir, "r.pdf", NULL);
  g_autofree char *inside = g_build_filename (taken, "keep", NULL);

  /* a folder that does not exist */
  g_assert_false (dl_report_write_pdf (&r->report, missing, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "r.pdf"));
  g_clear_error (&error);

  /* a path taken by a folder (root may write anywhere, but not there):
   * the temporary file is written, the rename fails, nothing is left */
  g_assert_cmpint (g_mkdir (taken, 0755), ==, 0);
  g_assert_true (g_file_set_contents (inside, "x", 1, NULL));
  g_assert_false (dl_report_write_pdf (&r->report, taken, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "r.pdf"));
  g_assert_cmpuint (count_entries (dir), ==, 1);
  g_assert_true (g_file_test (inside, G_FILE_TEST_IS_REGULAR));

  g_unlink (inside);
  g_rmdir (taken);
  g_rmdir (dir);
}

/* With the Dutch translation the headings are Dutch. */
static void
test_pdf_dutch (void)
{
  g_autoptr(Report) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dl-report-XXXXXX", NULL);
  g_autofree char *pdf = g_build_filename (dir, "nl.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *heading = NULL;

  if (!have_poppler ())
    return;
  /* DOORLICHT_LOCALEDIR: translations elsewhere than this build's */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("DOORLICHT_LOCALEDIR") ? g_getenv ("DOORLICHT_LOCALEDIR")
                                                                    : DL_BUILD_ROOT "/po");
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_setenv ("LANGUAGE", "nl", TRUE);
  setlocale (LC_ALL, "");
  heading = g_strdup (g_dgettext (GETTEXT_PACKAGE, "Verdict and review"));
  if (g_str_equal (heading, "Verdict and review"))
    {
      g_unsetenv ("LANGUAGE");
      setlocale (LC_ALL, "");
      g_rmdir (dir);
      g_test_skip ("the Dutch translation of the report is not built (po/nl.po)");
      return;
    }

  r = report_new (3);
  g_assert_true (dl_report_write_pdf (&r->report, pdf, &error));
  g_assert_no_error (error);
  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "");
  {
    const char *argv[] = { "pdftotext", pdf, "-", NULL };
    text = run (argv);
  }
  g_assert_nonnull (strstr (text, heading));
  g_assert_null (strstr (text, "Verdict and review"));
  g_assert_null (strstr (text, "Audit trail"));
  g_unlink (pdf);
  g_rmdir (dir);
}

/* A manifest read with warnings: they are printed with their place, and
 * a mass it does not give is "not given", never 0. */
static void
test_pdf_manifest_warnings (void)
{
  g_autoptr(Report) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlManifest) m = NULL;
  g_autofree char *json = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dl-report-XXXXXX", NULL);
  g_autofree char *pdf = g_build_filename (dir, "warnings.pdf", NULL);
  g_autofree char *text = NULL;

  if (!have_poppler ())
    return;
  json = dl_manifest_to_json (synth->manifest);
  m = dl_manifest_from_json (json, &error);
  g_assert_no_error (error);
  dl_manifest_add_warning (m, 31, "UNT", 31, 5, "UNT counts 313 segments, there are 30");
  ((DlManifestGoods *) g_ptr_array_index (m->goods, 0))->gross_kg = DL_MANIFEST_NO_MASS;
  r = report_new (3);
  r->report.manifest = m;
  g_assert_true (dl_report_write_pdf (&r->report, pdf, &error));
  g_assert_no_error (error);
  {
    const char *argv[] = { "pdftotext", pdf, "-", NULL };
    text = run (argv);
  }
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Read with warnings"));
  g_assert_nonnull (strstr (text, "segment 31 (UNT) at line 31, column 5: UNT counts 313 segments, there are 30"));
  g_assert_nonnull (strstr (text, "not given"));
  g_unlink (pdf);
  g_rmdir (dir);
}

/* A manifest of two consignments: each under its heading with its
 * document and parties, its goods beneath, a goods item split over two
 * containers with a row per placement, a count not given said so. */
static void
test_pdf_consignments (void)
{
  g_autoptr(Report) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlManifest) m = dl_manifest_new ();
  g_autofree char *dir = g_dir_make_tmp ("dl-report-XXXXXX", NULL);
  g_autofree char *pdf = g_build_filename (dir, "consignments.pdf", NULL);
  g_autofree char *text = NULL;
  DlManifestConsignment *c;
  DlManifestGoods *g;
  const char *first, *second, *rice, *tyres;

  if (!have_poppler ())
    return;
  m->message_id = g_strdup ("LCL");
  dl_manifest_add_container (m, "CSQU3054383", "42G1", TRUE);
  dl_manifest_add_container (m, "MSKU1234565", "22G1", TRUE);
  c = dl_manifest_add_consignment (m);
  c->transport_document = g_strdup ("HBL0001");
  c->transport_document_kind = g_strdup ("BH");
  c->consignor = g_strdup ("Shanghai Textile Co");
  c->notify_party = g_strdup ("Delta Logistics");
  g = dl_manifest_add_goods (m, "CSQU3054383", "100630", "Rice in bags", 900, "BG", 19800.5);
  dl_manifest_goods_add_placement (g, "CSQU3054383", 500, 11000);
  dl_manifest_goods_add_placement (g, "MSKU1234565", 400, 8800.5);
  c = dl_manifest_add_consignment (m);
  c->transport_document = g_strdup ("HBL0002");
  c->transport_document_kind = g_strdup ("BH");
  c->consignor = g_strdup ("Ningbo Tyres Ltd");
  g = dl_manifest_add_goods (m, "CSQU3054383", "401110", "New pneumatic tyres", 0, "PK", 1080);
  g->has_packages = FALSE;
  r = report_new (3);
  r->report.manifest = m;
  g_assert_true (dl_report_write_pdf (&r->report, pdf, &error));
  g_assert_no_error (error);
  {
    const char *argv[] = { "pdftotext", pdf, "-", NULL };
    text = run (argv);
  }
  g_test_message ("%s", text);
  first = strstr (text, "Consignment 1: House bill of lading HBL0001");
  rice = strstr (text, "Rice in bags");
  second = strstr (text, "Consignment 2: House bill of lading HBL0002");
  tyres = strstr (text, "New pneumatic tyres");
  g_assert_nonnull (first);
  g_assert_nonnull (second);
  g_assert_true (first < rice && rice < second && second < tyres);
  g_assert_nonnull (strstr (text, "Delta Logistics"));
  g_assert_nonnull (strstr (text, "Ningbo Tyres Ltd"));
  g_assert_nonnull (strstr (text, "part of item 1"));
  g_assert_nonnull (strstr (text, "MSKU1234565"));
  g_assert_nonnull (strstr (text, "not given"));
  g_unlink (pdf);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  /* one small scene with a container, prepared as the viewer has it */
  synth = dl_synth_generate ("mixed", 5, FALSE, &error);
  g_assert_no_error (error);
  dl_scan_prepare (synth->scan);
  g_assert_cmpuint (synth->manifest->containers->len, >, 0);

  g_test_add_func ("/report/render-fit", test_render_fit);
  g_test_add_func ("/report/render-overlays", test_render_overlays);
  g_test_add_func ("/report/render-marks", test_render_marks);
  g_test_add_func ("/report/pdf", test_pdf);
  g_test_add_func ("/report/pdf-long-trail", test_pdf_long_trail);
  g_test_add_func ("/report/pdf-reproducible", test_pdf_reproducible);
  g_test_add_func ("/report/pdf-unwritable", test_pdf_unwritable);
  g_test_add_func ("/report/pdf-dutch", test_pdf_dutch);
  g_test_add_func ("/report/pdf-manifest-warnings", test_pdf_manifest_warnings);
  g_test_add_func ("/report/pdf-consignments", test_pdf_consignments);
  status = g_test_run ();
  dl_synth_output_free (synth);
  return status;
}
