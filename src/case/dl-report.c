/* dl-report.c — the PDF case report.
 *
 * The scan is rendered through the engine (dl-render) exactly as the
 * viewer shows it, the marks drawn over it in the viewer's colours.  The
 * document is laid out twice on A4: once to count the pages, once to write
 * them with "page n of m".  Text is flowed line by line, so any paragraph
 * or table may cross a page; table headers are repeated on each page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-report"

#include "config.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>
#include <unistd.h>

#include "dl-enhance.h"
#include "dl-format.h"
#include "dl-render.h"
#include "dl-mark-draw.h"
#include "dl-report.h"
#include "dl-scan-prepare.h"

/* ---- the scan as the analyst sees it --------------------------------------- */

/* The viewer's colour of marks (app/dl-scan-view-draw.c), and a dark halo that
 * keeps captions readable on paper. */
#define MARK_R 1.0
#define MARK_G 0.85
#define MARK_B 0.1

static void
draw_caption (cairo_t    *cr,
              const char *caption,
              double      x,
              double      baseline,
              double      unit,
              int         width)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans Bold");
  PangoRectangle logical;

  pango_font_description_set_absolute_size (font, 13 * unit * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, caption, -1);
  pango_layout_get_pixel_extents (layout, NULL, &logical);

  x = MAX (0, MIN (x, width - logical.width));
  baseline -= pango_layout_get_baseline (layout) / (double) PANGO_SCALE;
  cairo_move_to (cr, x, MAX (baseline, 0));
  pango_cairo_layout_path (cr, layout);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.75);
  cairo_set_line_width (cr, 3 * unit);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke_preserve (cr);
  cairo_set_source_rgb (cr, MARK_R, MARK_G, MARK_B);
  cairo_fill (cr);
}

static void
draw_marks (cairo_surface_t  *surface,
            DlScan           *scan,
            guint             view,
            DlAnnotations    *annotations,
            const DlViewport *vp)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  /* The viewer's 2 px lines and 13 px captions are for a screen; an image
   * for paper is scaled to stay as legible at its size there. */
  double unit = MAX (1.0, MAX (width, height) / 800.0);
  double pitch_x = 0, pitch_y = 0;
  cairo_t *cr = cairo_create (surface);

  dl_scan_get_pixel_pitch (scan, &pitch_x, &pitch_y);
  for (guint i = 0; i < dl_annotations_get_n (annotations); i++)
    {
      const DlAnnotation *a = dl_annotations_get (annotations, i);
      const DlPoint *pts = (const DlPoint *) a->points->data;
      g_autofree char *caption = NULL;

      if (a->view != view || a->points->len == 0)
        continue;
      cairo_new_path (cr);
      dl_mark_path (cr, vp, a->kind, pts, a->points->len, unit);
      cairo_set_source_rgb (cr, MARK_R, MARK_G, MARK_B);
      cairo_set_line_width (cr, 2 * unit);
      cairo_stroke (cr);

      caption = dl_mark_caption (a, pitch_x, pitch_y);
      if (caption[0])
        draw_caption (cr, caption, (pts[0].x - vp->origin_x) * vp->zoom + 6 * unit,
                      (pts[0].y - vp->origin_y) * vp->zoom - 6 * unit, unit, width);
    }
  cairo_destroy (cr);
}

/* The window, overlays and enhancement of @state on @plane, into @out. */
static void
render_plane (DlScan           *scan,
              DlPlane          *plane,
              DlViewState      *state,
              const DlViewport *vp,
              guint32          *out,
              int               width,
              int               height,
              int               stride)
{
  g_autofree guint8 *lut = g_malloc (DL_LUT_SIZE);
  DlWindowing w;
  int enhance = DL_ENHANCE_NONE;

  dl_view_state_get_windowing (state, &w);
  if (!(w.i0 > 0))
    w.i0 = dl_plane_get_i0 (plane);
  dl_windowing_fill_lut (&w, lut);
  g_object_get (state, "enhance", &enhance, NULL);

  if (enhance != DL_ENHANCE_NONE || dl_view_state_has_overlay (state))
    {
      const guint8 *map = dl_scan_get_classes (scan, plane->view);
      g_autofree guint8 *band_lut = NULL;
      DlOverlay overlay;

      dl_view_state_get_overlay (state, &overlay);
      if (map == NULL)
        overlay.material = FALSE;
      if (overlay.n_bands)
        band_lut = dl_overlay_band_lut (&overlay, dl_plane_get_i0 (plane));
      dl_render_viewport_overlay (dl_plane_get_pyramid (plane), lut, overlay.material ? map : NULL,
                                  &overlay, band_lut, enhance, vp, out, width, height, stride);
      dl_overlay_clear (&overlay);
    }
  else
    dl_render_viewport (dl_plane_get_pyramid (plane), lut, vp, out, width, height, stride);
}

/**
 * dl_report_render_scan:
 * @view: the view; its first channel is shown (the high energy one of a
 *   dual-energy scan)
 *
 * The whole view, fitted: one output pixel per image pixel at most.
 */
cairo_surface_t *
dl_report_render_scan (DlScan        *scan,
                       guint          view,
                       DlViewState   *state,
                       DlAnnotations *annotations,
                       int            max_width,
                       int            max_height)
{
  cairo_surface_t *surface;
  DlPlane *plane;
  DlViewport vp;
  int width, height;

  g_return_val_if_fail (DL_IS_SCAN (scan), NULL);
  g_return_val_if_fail (DL_IS_VIEW_STATE (state), NULL);
  g_return_val_if_fail (annotations == NULL || DL_IS_ANNOTATIONS (annotations), NULL);
  g_return_val_if_fail (max_width > 0 && max_height > 0, NULL);

  plane = dl_scan_get_plane (scan, view, 0);
  g_return_val_if_fail (plane != NULL, NULL);
  if (dl_plane_get_pyramid (plane) == NULL)
    dl_scan_prepare (scan);

  vp.zoom = MIN (1.0, MIN ((double) max_width / plane->width, (double) max_height / plane->height));
  vp.origin_x = vp.origin_y = 0;
  width = CLAMP ((int) floor (plane->width * vp.zoom + 0.5), 1, max_width);
  height = CLAMP ((int) floor (plane->height * vp.zoom + 0.5), 1, max_height);

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_surface_flush (surface);
  render_plane (scan, plane, state, &vp, (guint32 *) cairo_image_surface_get_data (surface),
                width, height, cairo_image_surface_get_stride (surface));
  cairo_surface_mark_dirty (surface);

  if (annotations)
    draw_marks (surface, scan, view, annotations, &vp);
  return surface;
}

/* ---- formatting ------------------------------------------------------------ */

#define DASH "—"

static const char *
or_dash (const char *text)
{
  return text && text[0] ? text : DASH;
}

static char *
format_time (gint64 time)
{
  g_autoptr(GDateTime) dt = time > 0 ? g_date_time_new_from_unix_utc (time) : NULL;

  /* in the locale's format (LC_TIME), always in UTC: the column headings
   * say so */
  return dt ? dl_format_date_time (dt) : g_strdup (DASH);
}

static char *
format_date_long (gint64 time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (MAX (time, 0));

  /* Translators: the report date on the PDF report's first page, in UTC;
   * see g_date_time_format() for the codes. */
  return g_date_time_format (dt, _("%-d %B %Y, %H:%M UTC"));
}

/* Whole numbers and masses with the locale's digit grouping and decimal
 * separator. */
static char *
format_count (guint64 n)
{
  return dl_format_count (n);
}

/* A mass the manifest does not give is said so, never shown as 0. */
static char *
format_kg (double kg)
{
  if (isnan (kg))
    /* Translators: in the goods table, for a gross mass the manifest does not give */
    return g_strdup (_("not given"));
  return dl_format_number (kg, 1);
}

static char *
format_bytes (guint64 size)
{
  g_autofree char *exact = format_count (size);
  g_autofree char *human = dl_format_bytes (size);

  /* Translators: a file size, e.g. "8,469,609 bytes (8.5 MB)" */
  return g_strdup_printf (_("%s bytes (%s)"), exact, human);
}

static char *
format_length (double px,
               double pitch)
{
  return pitch > 0 ? dl_format_quantity (px * pitch, 0, "mm") : dl_format_quantity (px, 0, "px");
}

static const char *
kind_name (DlAnnotationKind kind)
{
  switch (kind)
    {
    case DL_ANNOTATION_RECTANGLE: return _("Rectangle");
    case DL_ANNOTATION_POLYGON: return _("Polygon");
    case DL_ANNOTATION_ARROW: return _("Arrow");
    case DL_ANNOTATION_TEXT: return _("Text");
    case DL_ANNOTATION_RULER: return _("Ruler");
    case DL_N_ANNOTATION_KINDS:
    default: return "?";
    }
}

/* The size of a mark: a length, the sides of its box, or nothing. */
static char *
mark_size (const DlAnnotation *a,
           const DlReportScan *scan)
{
  const DlPoint *p = (const DlPoint *) a->points->data;
  double px = scan->pitch_x_mm > 0 && scan->pitch_y_mm > 0 ? scan->pitch_x_mm : 0;
  double py = px > 0 ? scan->pitch_y_mm : 0;
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  g_autofree char *w = NULL;
  g_autofree char *h = NULL;

  switch (a->kind)
    {
    case DL_ANNOTATION_ARROW:
    case DL_ANNOTATION_RULER:
      return px > 0 ? dl_format_quantity (dl_annotation_length_mm (a, px, py), 0, "mm")
                    : dl_format_quantity (dl_annotation_length_mm (a, 1, 1), 0, "px");
    case DL_ANNOTATION_RECTANGLE:
    case DL_ANNOTATION_POLYGON:
      for (guint i = 0; i < a->points->len; i++)
        {
          x0 = MIN (x0, p[i].x);
          x1 = MAX (x1, p[i].x);
          y0 = MIN (y0, p[i].y);
          y1 = MAX (y1, p[i].y);
        }
      w = format_length (x1 - x0, px);
      h = format_length (y1 - y0, py);
      return g_strdup_printf ("%s × %s", w, h);
    case DL_ANNOTATION_TEXT:
    case DL_N_ANNOTATION_KINDS:
    default:
      return g_strdup (DASH);
    }
}

/* ---- the page -------------------------------------------------------------- */

/* A4 portrait in points; margins of 18 mm at the sides. */
#define PAGE_W        595.276
#define PAGE_H        841.890
#define MARGIN_X      51.0
#define CONTENT_W     (PAGE_W - 2 * MARGIN_X)
#define CONTENT_TOP   64.0
#define CONTENT_BOTTOM (PAGE_H - 76.0)
#define LABEL_W       118.0
#define MAX_IMAGE_H   330.0
/* Audit trails longer than this are summarised: counts, and the last
 * AUDIT_TAIL events. */
#define AUDIT_FULL_MAX 250
#define AUDIT_TAIL     200

#define FONT_BODY       "Sans 9.5"
#define FONT_BOLD       "Sans Bold 9.5"
#define FONT_SMALL      "Sans 8"
#define FONT_SMALL_BOLD "Sans Bold 8"
#define FONT_MONO       "Monospace 8.5"
#define FONT_MONO_SMALL "Monospace 7"
#define FONT_MONO_TABLE "Monospace 7.5"
#define FONT_HEADING    "Sans Bold 14"
#define FONT_SUBHEADING "Sans Bold 10.5"
#define FONT_TITLE      "Sans Bold 24"

typedef struct
{
  guint  page;
  double x, y, width, height;
} Placement;

typedef struct
{
  const DlReportCase *report;
  cairo_surface_t    *surface;
  cairo_t            *cr;
  PangoContext       *pango;     /* at 72 dpi: font sizes in points */
  guint               page;      /* current, from 1; 0 before the first */
  guint               n_pages;   /* known on the second pass, else 0 */
  double              y;         /* top of the free space on the page */
  Placement          *placements;  /* one per scan */
} Doc;

static void
set_ink (cairo_t *cr,
         double   gray)
{
  cairo_set_source_rgb (cr, gray, gray, gray);
}

static PangoLayout *
make_layout (Doc        *doc,
             const char *font,
             double      width,
             const char *text)
{
  PangoLayout *layout = pango_layout_new (doc->pango);
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, desc);
  if (width > 0)
    {
      pango_layout_set_width (layout, pango_units_from_double (width));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_text (layout, text ? text : "", -1);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  return pango_units_to_double (logical.height);
}

static void
show_layout_at (Doc         *doc,
                PangoLayout *layout,
                double       x,
                double       y)
{
  cairo_move_to (doc->cr, x, y);
  pango_cairo_show_layout (doc->cr, layout);
}

/* One line of small text, left or right aligned at @x. */
static void
show_small (Doc        *doc,
            const char *font,
            const char *text,
            double      x,
            double      y,
            gboolean    right)
{
  g_autoptr(PangoLayout) layout = make_layout (doc, font, 0, text);
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  show_layout_at (doc, layout, right ? x - pango_units_to_double (logical.width) : x, y);
}

static void
hairline (Doc   *doc,
          double y,
          double gray)
{
  cairo_move_to (doc->cr, MARGIN_X, y);
  cairo_line_to (doc->cr, PAGE_W - MARGIN_X, y);
  cairo_set_line_width (doc->cr, 0.5);
  set_ink (doc->cr, gray);
  cairo_stroke (doc->cr);
}

/* The header and footer of every page: the case, the page number and the
 * hashes that tie the page to the case file. */
static void
draw_page_frame (Doc *doc)
{
  const DlReportCase *r = doc->report;
  g_autofree char *left = r->title && r->title[0]
    ? g_strdup_printf (_("Doorlicht case report · %s · %s"), or_dash (r->case_id), r->title)
    : g_strdup_printf (_("Doorlicht case report · %s"), or_dash (r->case_id));
  g_autofree char *page = doc->n_pages
    ? g_strdup_printf (_("Page %u of %u"), doc->page, doc->n_pages)
    : g_strdup_printf (_("Page %u"), doc->page);
  g_autofree char *chain = g_strdup_printf (_("Audit chain head: %s"), or_dash (r->chain_head));
  g_autofree char *date = format_date_long (r->created);
  double fy = CONTENT_BOTTOM + 18;

  cairo_save (doc->cr);
  set_ink (doc->cr, 0.35);
  show_small (doc, FONT_SMALL_BOLD, left, MARGIN_X, 30, FALSE);
  show_small (doc, FONT_SMALL, date, PAGE_W - MARGIN_X, 30, TRUE);
  hairline (doc, 44, 0.6);

  hairline (doc, fy, 0.6);
  set_ink (doc->cr, 0.35);
  show_small (doc, FONT_MONO_SMALL, chain, MARGIN_X, fy + 6, FALSE);
  for (guint i = 0; i < MIN (r->n_scans, 2u); i++)
    if (r->scans[i].sha256)
      {
        g_autofree char *line = g_strdup_printf (_("Scan %u SHA-256: %s"), i + 1, r->scans[i].sha256);
        show_small (doc, FONT_MONO_SMALL, line, MARGIN_X, fy + 15 + 9 * i, FALSE);
      }
  show_small (doc, FONT_SMALL_BOLD, page, PAGE_W - MARGIN_X, fy + 6, TRUE);
  cairo_restore (doc->cr);
}

static void
new_page (Doc *doc)
{
  if (doc->page > 0)
    cairo_show_page (doc->cr);
  doc->page++;
  doc->y = CONTENT_TOP;
  draw_page_frame (doc);
}

/* Makes room for @height points, on a new page when this one is full (and
 * not empty: what is taller than a page is drawn anyway). */
static void
ensure (Doc    *doc,
        double  height)
{
  if (doc->page == 0 || (doc->y + height > CONTENT_BOTTOM && doc->y > CONTENT_TOP))
    new_page (doc);
}

static void
space (Doc    *doc,
       double  points)
{
  doc->y = MIN (doc->y + points, CONTENT_BOTTOM);
}

/* Draws @layout at @x line by line from the current position, breaking
 * the page between lines. */
static void
flow (Doc         *doc,
      PangoLayout *layout,
      double       x,
      double       gray)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);

  do
    {
      PangoLayoutLine *line = pango_layout_iter_get_line_readonly (iter);
      PangoRectangle logical;
      double top, baseline, height;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      top = pango_units_to_double (logical.y);
      height = pango_units_to_double (logical.height);
      baseline = pango_units_to_double (pango_layout_iter_get_baseline (iter)) - top;
      ensure (doc, height);
      set_ink (doc->cr, gray);
      cairo_move_to (doc->cr, x + pango_units_to_double (logical.x), doc->y + baseline);
      pango_cairo_show_layout_line (doc->cr, line);
      doc->y += height;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

static void
paragraph (Doc        *doc,
           const char *font,
           const char *text,
           double      gray)
{
  g_autoptr(PangoLayout) layout = make_layout (doc, font, CONTENT_W, text);

  flow (doc, layout, MARGIN_X, gray);
}

static void
outline (Doc        *doc,
         const char *title,
         int         parent,
         int        *id)
{
  g_autofree char *link = NULL;
  int made;

  if (doc->n_pages == 0)
    return;
  /* integers: the link syntax wants a '.' that a locale may not give */
  link = g_strdup_printf ("page=%u pos=[%d %d]", doc->page, (int) MARGIN_X, (int) doc->y);
  made = cairo_pdf_surface_add_outline (doc->surface, parent, title, link, 0);
  if (id)
    *id = made;
}

/* A section heading, kept with at least @keep points of what follows. */
static void
heading (Doc        *doc,
         const char *text,
         double      keep)
{
  g_autoptr(PangoLayout) layout = make_layout (doc, FONT_HEADING, CONTENT_W, text);
  double height = layout_height (layout);

  if (doc->y > CONTENT_TOP)
    space (doc, 16);
  ensure (doc, height + 8 + keep);
  outline (doc, text, CAIRO_PDF_OUTLINE_ROOT, NULL);
  set_ink (doc->cr, 0.1);
  show_layout_at (doc, layout, MARGIN_X, doc->y);
  doc->y += height + 2;
  cairo_move_to (doc->cr, MARGIN_X, doc->y);
  cairo_line_to (doc->cr, PAGE_W - MARGIN_X, doc->y);
  cairo_set_line_width (doc->cr, 1.0);
  set_ink (doc->cr, 0.1);
  cairo_stroke (doc->cr);
  doc->y += 7;
}

static void
subheading (Doc        *doc,
            const char *text,
            double      keep)
{
  g_autoptr(PangoLayout) layout = make_layout (doc, FONT_SUBHEADING, CONTENT_W, text);
  double height = layout_height (layout);

  if (doc->y > CONTENT_TOP)
    space (doc, 8);
  ensure (doc, height + 4 + keep);
  set_ink (doc->cr, 0.15);
  show_layout_at (doc, layout, MARGIN_X, doc->y);
  doc->y += height + 4;
}

/* A label and its value side by side; the value wraps and may cross a
 * page. */
static void
field (Doc        *doc,
       const char *label,
       const char *value,
       const char *font)
{
  g_autoptr(PangoLayout) l = make_layout (doc, FONT_SMALL_BOLD, LABEL_W - 8, label);
  g_autoptr(PangoLayout) v = make_layout (doc, font ? font : FONT_BODY, CONTENT_W - LABEL_W, or_dash (value));
  PangoLayoutLine *first = pango_layout_get_line_readonly (v, 0);
  PangoRectangle logical;
  double top, label_bottom;
  guint page;

  pango_layout_line_get_extents (first, NULL, &logical);
  ensure (doc, MAX (pango_units_to_double (logical.height), layout_height (l)));
  top = doc->y;
  page = doc->page;
  /* the label's first baseline on the value's */
  set_ink (doc->cr, 0.4);
  show_layout_at (doc, l, MARGIN_X,
                  top + pango_units_to_double (pango_layout_get_baseline (v) - pango_layout_get_baseline (l)));
  label_bottom = top + layout_height (l);
  flow (doc, v, MARGIN_X + LABEL_W, 0.1);
  if (doc->page == page)
    doc->y = MAX (doc->y, label_bottom);
  doc->y += 3;
}

/* ---- tables ---------------------------------------------------------------- */

typedef struct
{
  const char *title;
  double      width;   /* fraction of the content width */
  gboolean    right;   /* numbers */
  const char *font;    /* NULL: the body font, small */
} Column;

typedef struct
{
  Doc          *doc;
  const Column *columns;
  guint         n;
  guint         row;   /* rows drawn since the header, for the stripes */
} Table;

#define CELL_PAD_X 4.0
#define CELL_PAD_Y 2.6
#define CELL_MAX_LINES 8

static double
column_x (const Table *t,
          guint        c)
{
  double x = MARGIN_X;

  for (guint i = 0; i < c; i++)
    x += t->columns[i].width * CONTENT_W;
  return x;
}

static PangoLayout *
cell_layout (Table      *t,
             guint       c,
             const char *text,
             gboolean    bold)
{
  const Column *col = &t->columns[c];
  const char *font = bold ? FONT_SMALL_BOLD : (col->font ? col->font : FONT_SMALL);
  PangoLayout *layout = make_layout (t->doc, font, col->width * CONTENT_W - 2 * CELL_PAD_X, text);

  pango_layout_set_alignment (layout, col->right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
  /* a cell never runs away with the page */
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_height (layout, -CELL_MAX_LINES);
  return layout;
}

/* How far cell @c moves down so that the first lines of all cells (in
 * different fonts) share a baseline. */
static double
baseline_shift (PangoLayout **cells,
                guint         n,
                guint         c)
{
  int baseline = 0;

  for (guint i = 0; i < n; i++)
    baseline = MAX (baseline, pango_layout_get_baseline (cells[i]));
  return pango_units_to_double (baseline - pango_layout_get_baseline (cells[c]));
}

static double
cells_height (PangoLayout **cells,
              guint         n)
{
  double height = 0;

  for (guint c = 0; c < n; c++)
    height = MAX (height, baseline_shift (cells, n, c) + layout_height (cells[c]));
  return height + 2 * CELL_PAD_Y;
}

/* Draws one row of cells; a header row is shaded and ruled. */
static void
draw_row (Table              *t,
          PangoLayout       **cells,
          double              height,
          gboolean            header,
          gboolean            total)
{
  cairo_t *cr = t->doc->cr;

  if (header || total || t->row % 2 == 1)
    {
      cairo_rectangle (cr, MARGIN_X, t->doc->y, CONTENT_W, height);
      set_ink (cr, header ? 0.88 : total ? 0.92 : 0.965);
      cairo_fill (cr);
    }
  for (guint c = 0; c < t->n; c++)
    {
      set_ink (cr, header ? 0.15 : 0.1);
      show_layout_at (t->doc, cells[c], column_x (t, c) + CELL_PAD_X,
                      t->doc->y + CELL_PAD_Y + baseline_shift (cells, t->n, c));
    }
  if (header || total)
    {
      double y = header ? t->doc->y + height : t->doc->y;
      cairo_move_to (cr, MARGIN_X, y);
      cairo_line_to (cr, PAGE_W - MARGIN_X, y);
      cairo_set_line_width (cr, 0.6);
      set_ink (cr, 0.45);
      cairo_stroke (cr);
    }
  t->doc->y += height;
}

static void
free_cells (PangoLayout **cells,
            guint         n)
{
  for (guint c = 0; c < n; c++)
    g_object_unref (cells[c]);
  g_free (cells);
}

static void
table_header (Table *t)
{
  PangoLayout **cells = g_new (PangoLayout *, t->n);
  double height;

  for (guint c = 0; c < t->n; c++)
    cells[c] = cell_layout (t, c, t->columns[c].title, TRUE);
  height = cells_height (cells, t->n);
  draw_row (t, cells, height, TRUE, FALSE);
  t->row = 0;
  free_cells (cells, t->n);
}

/* Starts a table, its header kept with its first row. */
static void
table_begin (Table        *t,
             Doc          *doc,
             const Column *columns,
             guint         n)
{
  *t = (Table) { doc, columns, n, 0 };
  ensure (doc, 36);
  table_header (t);
}

static void
table_row_full (Table              *t,
                const char * const *texts,
                gboolean            total)
{
  PangoLayout **cells = g_new (PangoLayout *, t->n);
  double height;

  for (guint c = 0; c < t->n; c++)
    cells[c] = cell_layout (t, c, texts[c] ? texts[c] : DASH, total);
  height = cells_height (cells, t->n);
  if (t->doc->y + height > CONTENT_BOTTOM)
    {
      new_page (t->doc);
      table_header (t);
    }
  draw_row (t, cells, height, FALSE, total);
  t->row++;
  free_cells (cells, t->n);
}

static void
table_row (Table              *t,
           const char * const *texts)
{
  table_row_full (t, texts, FALSE);
}

static void
table_end (Table *t)
{
  hairline (t->doc, t->doc->y, 0.6);
  space (t->doc, 4);
}

/* ---- sections -------------------------------------------------------------- */

static void
section_title (Doc *doc)
{
  const DlReportCase *r = doc->report;
  g_autoptr(PangoLayout) title = make_layout (doc, FONT_TITLE, CONTENT_W, _("Case report"));
  g_autofree char *case_line = r->title && r->title[0]
    ? g_strdup_printf ("%s · %s", or_dash (r->case_id), r->title) : g_strdup (or_dash (r->case_id));
  g_autoptr(PangoLayout) sub = make_layout (doc, "Sans 14", CONTENT_W, case_line);
  g_autofree char *date = format_date_long (r->created);
  g_autofree char *verdict = NULL;
  g_autofree char *review = NULL;

  ensure (doc, 120);
  outline (doc, _("Case report"), CAIRO_PDF_OUTLINE_ROOT, NULL);
  set_ink (doc->cr, 0.05);
  show_layout_at (doc, title, MARGIN_X, doc->y);
  doc->y += layout_height (title) + 1;
  set_ink (doc->cr, 0.25);
  show_layout_at (doc, sub, MARGIN_X, doc->y);
  doc->y += layout_height (sub) + 10;

  field (doc, _("Case"), r->case_id, FONT_BOLD);
  /* TRANSLATORS: the report's field naming the site store the case is kept in */
  field (doc, r->from_site ? _("Site") : _("Case file"), r->case_file, NULL);
  field (doc, _("Report date"), date, NULL);
  if (r->author)
    field (doc, _("Report made by"), r->author, NULL);
  if (r->verdict)
    {
      g_autofree char *when = format_time (r->verdict_time);
      verdict = g_strdup_printf (_("%s — %s, %s UTC"), r->verdict, or_dash (r->verdict_author), when);
    }
  field (doc, _("Verdict"), verdict ? verdict : _("No verdict recorded"), FONT_BOLD);
  if (r->review)
    {
      g_autofree char *when = format_time (r->review_time);
      review = g_strdup_printf (_("%s — %s, %s UTC"), r->review, or_dash (r->review_author), when);
    }
  field (doc, _("Review"), review ? review : _("Not reviewed"), FONT_BOLD);
}

static void
annotations_table (Doc                *doc,
                   const DlReportScan *scan)
{
  const Column columns[] = {
    { _("#"), 0.05, TRUE, NULL },
    { _("Kind"), 0.12, FALSE, NULL },
    { _("Label"), 0.25, FALSE, NULL },
    { _("Size"), 0.21, FALSE, NULL },
    { _("Author"), 0.16, FALSE, NULL },
    { _("Time (UTC)"), 0.21, FALSE, NULL },
  };
  guint n = scan->annotations ? dl_annotations_get_n (scan->annotations) : 0;
  Table t;

  subheading (doc, _("Marks"), 30);
  if (n == 0)
    {
      paragraph (doc, FONT_BODY, _("No marks on this scan."), 0.3);
      return;
    }
  table_begin (&t, doc, columns, G_N_ELEMENTS (columns));
  for (guint i = 0; i < n; i++)
    {
      const DlAnnotation *a = dl_annotations_get (scan->annotations, i);
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      g_autofree char *size = mark_size (a, scan);
      g_autofree char *when = format_time (a->created);
      g_autofree char *kind = a->view > 0
        ? g_strdup_printf (_("%s (view %u)"), kind_name (a->kind), a->view + 1)
        : g_strdup (kind_name (a->kind));
      const char *cells[] = { number, kind, or_dash (a->label), size, or_dash (a->author), when };

      table_row (&t, cells);
    }
  table_end (&t);
}

/* The image, framed, fitted to the width (or to MAX_IMAGE_H when tall). */
static void
scan_image (Doc                *doc,
            guint               index,
            cairo_surface_t    *image)
{
  int iw = cairo_image_surface_get_width (image);
  int ih = cairo_image_surface_get_height (image);
  double w = CONTENT_W, h, x;
  cairo_t *cr = doc->cr;

  if (iw <= 0 || ih <= 0)
    return;
  h = w * ih / iw;
  if (h > MAX_IMAGE_H)
    {
      h = MAX_IMAGE_H;
      w = h * iw / ih;
    }
  x = MARGIN_X + (CONTENT_W - w) / 2;
  ensure (doc, h + 4);

  cairo_save (cr);
  cairo_rectangle (cr, x, doc->y, w, h);
  cairo_clip (cr);
  cairo_translate (cr, x, doc->y);
  cairo_scale (cr, w / iw, h / ih);
  cairo_set_source_surface (cr, image, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_paint (cr);
  cairo_restore (cr);

  cairo_rectangle (cr, x, doc->y, w, h);
  cairo_set_line_width (cr, 0.5);
  set_ink (cr, 0.3);
  cairo_stroke (cr);

  if (doc->placements)
    doc->placements[index] = (Placement) { doc->page, x, doc->y, w, h };
  doc->y += h + 6;
}

static void
section_scans (Doc *doc)
{
  const DlReportCase *r = doc->report;

  heading (doc, r->n_scans == 1 ? _("Scan") : _("Scans"), 60);
  if (r->n_scans == 0)
    paragraph (doc, FONT_BODY, _("The case has no scan."), 0.3);

  for (guint i = 0; i < r->n_scans; i++)
    {
      const DlReportScan *s = &r->scans[i];
      g_autofree char *size = format_bytes (s->size);
      g_autofree char *title = g_strdup_printf (_("Scan %u of %u"), i + 1, r->n_scans);

      if (r->n_scans > 1)
        subheading (doc, title, 60);
      if (s->image)
        scan_image (doc, i, s->image);
      else
        paragraph (doc, FONT_BODY, _("(no image of this scan)"), 0.3);
      field (doc, _("File"), s->path, NULL);
      field (doc, _("Size"), size, NULL);
      field (doc, _("SHA-256"), s->sha256, FONT_MONO);
      field (doc, _("Window"), s->window, NULL);
      annotations_table (doc, s);
    }
}

static void
section_verdict (Doc *doc)
{
  const DlReportCase *r = doc->report;

  heading (doc, _("Verdict and review"), 40);
  subheading (doc, _("Verdict"), 80);
  if (r->verdict)
    {
      g_autofree char *when = format_time (r->verdict_time);
      g_autofree char *time = g_strdup_printf ("%s UTC", when);

      field (doc, _("Decision"), r->verdict, FONT_BOLD);
      field (doc, _("Reasons"), r->verdict_reasons, NULL);
      field (doc, _("Analyst’s notes"), r->verdict_text, NULL);
      field (doc, _("Recorded by"), r->verdict_author, NULL);
      field (doc, _("Time"), time, NULL);
    }
  else
    paragraph (doc, FONT_BODY, _("No verdict recorded."), 0.3);

  subheading (doc, _("Review"), 64);
  if (r->review)
    {
      g_autofree char *when = format_time (r->review_time);
      g_autofree char *time = g_strdup_printf ("%s UTC", when);

      field (doc, _("Decision"), r->review, FONT_BOLD);
      field (doc, _("Comment"), r->review_comment, NULL);
      field (doc, _("Reviewed by"), r->review_author, NULL);
      field (doc, _("Time"), time, NULL);
    }
  else
    paragraph (doc, FONT_BODY, _("Not reviewed."), 0.3);

  if (r->hints && r->hints[0])
    {
      subheading (doc, _("Consistency hints"), 30);
      for (guint i = 0; r->hints[i]; i++)
        {
          g_autofree char *line = g_strdup_printf ("•  %s", r->hints[i]);
          paragraph (doc, FONT_BODY, line, 0.1);
          space (doc, 2);
        }
    }
  if (r->findings && r->findings[0])
    {
      subheading (doc, _("Findings"), 30);
      for (guint i = 0; r->findings[i]; i++)
        {
          g_autofree char *line = g_strdup_printf ("•  %s", r->findings[i]);
          paragraph (doc, FONT_BODY, line, 0.1);
          space (doc, 2);
        }
    }
}

static void
containers_table (Doc              *doc,
                  const DlManifest *m)
{
  const Column columns[] = {
    { _("Container"), 0.20, FALSE, FONT_MONO_TABLE },
    { _("Size/type"), 0.12, FALSE, NULL },
    { _("Status"), 0.12, FALSE, NULL },
    { _("Seals"), 0.36, FALSE, NULL },
    { _("Check digit"), 0.20, FALSE, NULL },
  };
  Table t;

  subheading (doc, _("Containers"), 30);
  if (m->containers == NULL || m->containers->len == 0)
    {
      paragraph (doc, FONT_BODY, _("No containers declared."), 0.3);
      return;
    }
  table_begin (&t, doc, columns, G_N_ELEMENTS (columns));
  for (guint i = 0; i < m->containers->len; i++)
    {
      const DlManifestContainer *c = g_ptr_array_index (m->containers, i);
      g_autofree char *seals = c->seals ? g_strjoinv (", ", c->seals) : NULL;
      const char *cells[] = {
        c->number, c->size_type, c->full ? _("Full") : _("Empty"), seals,
        /* Translators: the ISO 6346 check digit of a container number */
        dl_iso6346_is_valid (c->number) ? _("valid") : _("INVALID"),
      };
      table_row (&t, cells);
    }
  table_end (&t);
}

/* A goods item's package count and kind; "not given" when it has none. */
static char *
format_packages (gboolean    has_packages,
                 guint       packages,
                 const char *kind)
{
  g_autofree char *count = NULL;

  if (!has_packages)
    /* Translators: in the goods table, for a package count the manifest does not give */
    return g_strdup (_("not given"));
  count = format_count (packages);
  return kind ? g_strdup_printf ("%s %s", count, kind) : g_steal_pointer (&count);
}

/* The rows of a goods item split over containers: one per placement. */
static void
placement_rows (Table                 *t,
                const DlManifestGoods *g)
{
  for (guint i = 0; i < g->placements->len; i++)
    {
      const DlManifestPlacement *p = g_ptr_array_index (g->placements, i);
      g_autofree char *packages = format_packages (p->has_packages, p->packages, g->package_kind);
      g_autofree char *kg = format_kg (p->gross_kg);
      /* Translators: a row under a goods item split over containers: the part in one of them */
      g_autofree char *what = g_strdup_printf (_("part of item %u"), g->item);
      const char *cells[] = { "", p->container, "", what, packages, kg };

      table_row (t, cells);
    }
}

/* The goods items of @c, each split one with its placements, and their
 * total. */
static void
goods_table (Doc                         *doc,
             const DlManifest            *m,
             const DlManifestConsignment *c)
{
  const Column columns[] = {
    { _("Item"), 0.07, TRUE, NULL },
    { _("Container"), 0.17, FALSE, FONT_MONO_TABLE },
    { _("HS code"), 0.11, FALSE, NULL },
    { _("Description"), 0.35, FALSE, NULL },
    { _("Packages"), 0.14, TRUE, NULL },
    { _("Gross kg"), 0.16, TRUE, NULL },
  };
  g_autofree char *total_packages = NULL;
  g_autofree char *total_kg = NULL;
  guint64 packages = 0;
  gboolean all_counted = TRUE;
  double kg = 0;
  Table t;

  if (dl_manifest_consignment_n_goods (m, c) == 0)
    {
      paragraph (doc, FONT_BODY, _("No goods declared."), 0.3);
      return;
    }
  table_begin (&t, doc, columns, G_N_ELEMENTS (columns));
  for (guint i = 0; i < m->goods->len; i++)
    {
      const DlManifestGoods *g = g_ptr_array_index (m->goods, i);
      g_autofree char *item = g_strdup_printf ("%u", g->item);
      g_autofree char *count = format_packages (g->has_packages, g->packages, g->package_kind);
      g_autofree char *gkg = format_kg (g->gross_kg);
      const char *cells[] = { item, g->container, g->hs_code, g->description, count, gkg };

      if (g->consignment != c)
        continue;
      table_row (&t, cells);
      placement_rows (&t, g);
      packages += g->packages;
      all_counted &= g->has_packages;
      kg += g->gross_kg;   /* NaN when one has none: the total is not given */
    }
  /* a count not given makes the total not given, as a mass not given does */
  total_packages = all_counted ? format_count (packages) : format_packages (FALSE, 0, NULL);
  total_kg = format_kg (kg);
  {
    const char *cells[] = { "", "", "", _("Total"), total_packages, total_kg };
    table_row_full (&t, cells, TRUE);
  }
  table_end (&t);
}

/* Each consignment: its document, parties and places, then its goods. */
static void
consignments (Doc              *doc,
              const DlManifest *m)
{
  subheading (doc, _("Goods"), 30);
  if (m->consignments->len == 0)
    {
      paragraph (doc, FONT_BODY, _("No goods declared."), 0.3);
      return;
    }
  for (guint i = 0; i < m->consignments->len; i++)
    {
      const DlManifestConsignment *c = g_ptr_array_index (m->consignments, i);
      const char *kind = dl_manifest_transport_document_kind_label (c->transport_document_kind);
      /* Translators: a transport document's kind and number: "Road consignment note CMR123" */
      g_autofree char *document = c->transport_document && kind ? g_strdup_printf (_("%s %s"), kind, c->transport_document)
                                                                : g_strdup (c->transport_document);
      /* Translators: a heading over one consignment's goods: "Consignment 2: Bill of lading MEDU1234567" */
      g_autofree char *title = document ? g_strdup_printf (_("Consignment %u: %s"), i + 1, document)
                                        : g_strdup_printf (_("Consignment %u"), i + 1);

      subheading (doc, title, 30);
      field (doc, _("Consignor"), c->consignor, NULL);
      field (doc, _("Consignee"), c->consignee, NULL);
      if (c->notify_party)
        field (doc, _("Notify party"), c->notify_party, NULL);
      if (c->place_of_loading)
        field (doc, _("Place of loading"), c->place_of_loading, NULL);
      if (c->place_of_discharge)
        field (doc, _("Place of discharge"), c->place_of_discharge, NULL);
      if (c->place_of_delivery)
        field (doc, _("Place of delivery"), c->place_of_delivery, NULL);
      goods_table (doc, m, c);
    }
}

/* What the manifest's reader read past, each with its place in the file. */
static void
manifest_warnings (Doc              *doc,
                   const DlManifest *m)
{
  if (m->warnings == NULL || m->warnings->len == 0)
    return;
  subheading (doc, _("Read with warnings"), 30);
  for (guint i = 0; i < m->warnings->len; i++)
    {
      g_autofree char *text = dl_manifest_warning_to_string (g_ptr_array_index (m->warnings, i));

      paragraph (doc, FONT_BODY, text, 0.3);
    }
}

static void
section_manifest (Doc *doc)
{
  const DlManifest *m = doc->report->manifest;
  g_autoptr(GString) transport = NULL;
  g_autofree char *date = NULL;
  const char *mode;

  heading (doc, _("Manifest"), 60);
  if (m == NULL)
    {
      paragraph (doc, FONT_BODY, _("No manifest is attached to the case."), 0.3);
      return;
    }

  transport = g_string_new (NULL);
  mode = dl_manifest_transport_mode_label (m->transport_mode);
  {
    const char *parts[] = { mode, m->conveyance, m->voyage };

    for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
      if (parts[i] && parts[i][0])
        g_string_append_printf (transport, "%s%s", transport->len ? " · " : "", parts[i]);
  }

  field (doc, _("Document"), m->message_id, NULL);
  date = m->date ? dl_format_iso_date (m->date) : NULL;
  field (doc, _("Date"), date, NULL);
  field (doc, _("Transport"), transport->str, NULL);
  field (doc, _("Port of loading"), m->port_of_loading, NULL);
  field (doc, _("Port of discharge"), m->port_of_discharge, NULL);
  field (doc, _("Carrier"), m->carrier, NULL);
  manifest_warnings (doc, m);
  containers_table (doc, m);
  consignments (doc, m);
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

/* How many events of each kind, by kind. */
static void
audit_counts (Doc *doc)
{
  const DlReportCase *r = doc->report;
  const Column columns[] = {
    { _("Kind of event"), 0.35, FALSE, NULL },
    { _("Events"), 0.15, TRUE, NULL },
    { "", 0.5, FALSE, NULL },
  };
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) kinds = g_ptr_array_new ();
  Table t;

  for (guint i = 0; i < r->n_events; i++)
    {
      const char *kind = or_dash (r->events[i].kind);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, kind));

      if (n == 0)
        g_ptr_array_add (kinds, (gpointer) kind);
      g_hash_table_insert (counts, (gpointer) kind, GUINT_TO_POINTER (n + 1));
    }
  g_ptr_array_sort (kinds, compare_strings);

  table_begin (&t, doc, columns, G_N_ELEMENTS (columns));
  for (guint i = 0; i < kinds->len; i++)
    {
      const char *kind = g_ptr_array_index (kinds, i);
      g_autofree char *n = format_count (GPOINTER_TO_UINT (g_hash_table_lookup (counts, kind)));
      const char *cells[] = { kind, n, "" };

      table_row (&t, cells);
    }
  {
    g_autofree char *n = format_count (r->n_events);
    const char *cells[] = { _("All events"), n, "" };
    table_row_full (&t, cells, TRUE);
  }
  table_end (&t);
}

static void
events_table (Doc   *doc,
              guint  first)
{
  const DlReportCase *r = doc->report;
  const Column columns[] = {
    { _("#"), 0.07, TRUE, NULL },
    { _("Time (UTC)"), 0.20, FALSE, NULL },
    { _("Kind"), 0.13, FALSE, NULL },
    { _("Summary"), 0.40, FALSE, NULL },
    { _("Author"), 0.20, FALSE, NULL },
  };
  Table t;

  table_begin (&t, doc, columns, G_N_ELEMENTS (columns));
  for (guint i = first; i < r->n_events; i++)
    {
      const DlReportEvent *e = &r->events[i];
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      g_autofree char *when = format_time (e->time);
      const char *cells[] = { number, when, e->kind, e->summary, e->author };

      table_row (&t, cells);
    }
  table_end (&t);
}

static void
section_audit (Doc *doc)
{
  const DlReportCase *r = doc->report;
  guint first = r->n_events > AUDIT_FULL_MAX ? r->n_events - AUDIT_TAIL : 0;
  g_autofree char *count = format_count (r->n_events);

  heading (doc, _("Audit trail"), 60);
  if (r->n_events == 0)
    {
      paragraph (doc, FONT_BODY, _("The audit trail has no events."), 0.3);
      field (doc, _("Chain head"), r->chain_head, FONT_MONO);
      return;
    }
  {
    g_autofree char *from = format_time (r->events[0].time);
    g_autofree char *to = format_time (r->events[r->n_events - 1].time);
    g_autofree char *span = g_strdup_printf (_("%s to %s UTC"), from, to);

    field (doc, _("Events"), count, NULL);
    field (doc, _("Period"), span, NULL);
    field (doc, _("Chain head"), r->chain_head, FONT_MONO);
  }
  space (doc, 4);
  audit_counts (doc);

  if (first > 0)
    {
      g_autofree char *shown = format_count (r->n_events - first);
      g_autofree char *left_out = format_count (first);
      /* Translators: the first %s is the number of events shown, the second
       * how many earlier ones are left out of the PDF report */
      g_autofree char *title = g_strdup_printf (_("The last %s events (%s earlier ones are counted above; "
                                                  "the case file holds them all)"), shown, left_out);
      subheading (doc, title, 30);
    }
  else
    subheading (doc, _("Events"), 30);
  events_table (doc, first);
}

static void
section_hashes (Doc *doc)
{
  const DlReportCase *r = doc->report;
  const Column columns[] = {
    { _("Item"), 0.28, FALSE, NULL },
    { _("SHA-256"), 0.72, FALSE, FONT_MONO_TABLE },
  };
  Table t;

  heading (doc, _("Integrity"), 60);
  paragraph (doc, FONT_BODY,
             _("These hashes tie this report to the case file. Each scan file must have the SHA-256 given "
               "here, and the audit trail must end in this chain head; “doorlicht-cli verify” checks both."),
             0.2);
  space (doc, 6);
  table_begin (&t, doc, columns, G_N_ELEMENTS (columns));
  for (guint i = 0; i < r->n_scans; i++)
    {
      g_autofree char *item = g_strdup_printf (_("Scan %u: %s"), i + 1, or_dash (r->scans[i].path));
      const char *cells[] = { item, r->scans[i].sha256 };

      table_row (&t, cells);
    }
  {
    const char *cells[] = { _("Audit chain head"), r->chain_head };
    table_row (&t, cells);
  }
  table_end (&t);
}

static void
lay_out (Doc *doc)
{
  section_title (doc);
  section_scans (doc);
  section_verdict (doc);
  section_manifest (doc);
  section_audit (doc);
  section_hashes (doc);
}

/* ---- the file -------------------------------------------------------------- */

static void
set_metadata (cairo_surface_t    *surface,
              const DlReportCase *r)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (MAX (r->created, 0));
  g_autofree char *date = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *title = g_strdup_printf (_("Case report %s"), or_dash (r->case_id));
  const char *author = r->author ? r->author : r->verdict_author;

  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  if (author)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, author);
  if (r->title)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, r->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Doorlicht " PACKAGE_VERSION);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_MOD_DATE, date);
}

/* Lays the report out on a PDF surface writing through @write (NULL:
 * nowhere); returns the pages, and the cairo status in @status. */
static guint
render_document (const DlReportCase *r,
                 guint               n_pages,
                 Placement          *placements,
                 cairo_write_func_t  write,
                 gpointer            closure,
                 cairo_status_t     *status)
{
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (write, closure, PAGE_W, PAGE_H);
  Doc doc = { r, surface, NULL, NULL, 0, n_pages, CONTENT_TOP, placements };

  set_metadata (surface, r);
  doc.cr = cairo_create (surface);
  doc.pango = pango_cairo_create_context (doc.cr);
  pango_cairo_context_set_resolution (doc.pango, 72);
  pango_context_set_round_glyph_positions (doc.pango, FALSE);
  lay_out (&doc);
  g_object_unref (doc.pango);
  cairo_show_page (doc.cr);
  *status = cairo_status (doc.cr);
  cairo_destroy (doc.cr);
  cairo_surface_finish (surface);
  if (*status == CAIRO_STATUS_SUCCESS)
    *status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  return doc.page;
}

gboolean
dl_report_locate_scan (const DlReportCase *report,
                       guint               index,
                       guint              *page,
                       double             *x,
                       double             *y,
                       double             *width,
                       double             *height)
{
  g_autofree Placement *placements = NULL;
  cairo_status_t status;

  g_return_val_if_fail (report != NULL, FALSE);

  if (index >= report->n_scans || report->scans[index].image == NULL)
    return FALSE;
  placements = g_new0 (Placement, report->n_scans);
  render_document (report, 0, placements, NULL, NULL, &status);
  if (placements[index].page == 0)
    return FALSE;
  *page = placements[index].page;
  *x = placements[index].x;
  *y = placements[index].y;
  *width = placements[index].width;
  *height = placements[index].height;
  return TRUE;
}

typedef struct
{
  int fd;
  int error;   /* errno of the first failed write */
} Sink;

static cairo_status_t
sink_write (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  Sink *sink = closure;

  while (length > 0 && sink->error == 0)
    {
      ssize_t n = write (sink->fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          sink->error = n < 0 ? errno : ENOSPC;
          break;
        }
      data += n;
      length -= n;
    }
  return sink->error ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static gboolean
fail_errno (const char  *path,
            int          errsv,
            GError     **error)
{
  g_autofree char *name = g_filename_display_name (path);

  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
               _("Could not write the report “%s”: %s"), name, g_strerror (errsv));
  return FALSE;
}

/* Writes the document into the open temporary file. */
static gboolean
write_to_fd (const DlReportCase *r,
             int                 fd,
             const char         *path,
             GError            **error)
{
  Sink sink = { fd, 0 };
  cairo_status_t status;
  guint n_pages;

  n_pages = render_document (r, 0, NULL, NULL, NULL, &status);
  if (status == CAIRO_STATUS_SUCCESS)
    render_document (r, n_pages, NULL, sink_write, &sink, &status);
  if (sink.error)
    return fail_errno (path, sink.error, error);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_autofree char *name = g_filename_display_name (path);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write the report “%s”: %s"),
                   name, cairo_status_to_string (status));
      return FALSE;
    }
  if (fsync (fd) != 0)
    return fail_errno (path, errno, error);
  return TRUE;
}

gboolean
dl_report_write_pdf (const DlReportCase *report,
                     const char         *path,
                     GError            **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp = NULL;
  gboolean ok;
  int fd;

  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  tmp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0)
    return fail_errno (path, errno, error);

  ok = write_to_fd (report, fd, path, error);
  if (close (fd) != 0 && ok)
    ok = fail_errno (path, errno, error);
  if (ok && g_rename (tmp, path) != 0)
    ok = fail_errno (path, errno, error);
  if (!ok)
    {
      g_unlink (tmp);
      return FALSE;
    }

  /* the rename itself survives a crash */
  fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
  return TRUE;
}
