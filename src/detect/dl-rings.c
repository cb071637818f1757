/* dl-rings.c — ring-shaped units (tyres standing up to the beam, coils,
 * rolls, drums seen end on) compared with each other, hollow and wall.
 *
 * A tyre standing in the beam shows as a ring around its hollow, and the
 * hollow of a stack of tyres is air however many stand behind each other.
 * Goods hidden in them change that: a package in the hollow, under the
 * tread, or in the wall.  Unlike a comparison along the load (dl-units),
 * which needs the units at one repeat, rings are found one by one,
 * wherever they stand and whatever their number, and each is compared
 * with the rings of its own size.
 *
 * 1. The hollows: 4-connected regions of air in the cargo image (excess
 *    attenuation under max (AIR_A, AIR_NOISE × the noise)) enclosed by
 *    cargo (not touching the cargo space's edge), HOLE_MIN_CM to
 *    HOLE_MAX_CM across.  A circle is fitted to each one's edge, robustly
 *    (what is hidden in a hollow cuts a chord off it): a hollow is a
 *    ring's when most of its edge lies on the circle and it fills most of
 *    the disc.  Gaps between drums or sacks, windows of vehicles are not
 *    round and are left out.
 * 2. Each ring is sampled in polar bins out to RHO_MAX hollow radii
 *    (N_RHO × N_THETA bins of the mean attenuation), so rings of one size
 *    compare bin for bin wherever they stand.
 * 3. A ring's peers are the rings of its size (within SIZE_TOLERANCE),
 *    the nearest MAX_PEERS of them; with at least MIN_PEERS, each bin's
 *    reference is the peers' median (its wall scaled by the ring's own
 *    wall over theirs: a stack one tyre shallower is no finding) and its
 *    spread their median absolute deviation, the noise of a bin's mean as
 *    a floor.
 * 4. Bins more than "z" spreads and MIN_EXCESS_A above their reference
 *    form regions (neighbouring bins, round the ring); one holding at
 *    least "min_kg" more than the peers is a finding, its outline the
 *    box of its bins' pixels, with the ring, its peers and the figures.
 *
 * The score rises from 0.5 at "z" spreads to 1 at twice that, held down
 * below 1 kg by the square root of the mass in kg, as the units
 * detector's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-rings"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dl-format.h"
#include "dl-regions.h"
#include "dl-rings.h"
#include "dl-select.h"

#define RINGS_VERSION   "1"
#define AIR_A           0.03
#define AIR_NOISE       4.0
#define HOLE_MIN_CM     8.0
#define HOLE_MAX_CM     120.0
#define FIT_TOLERANCE   1.5     /* pixels off the circle an edge pixel may be */
#define MIN_ON_CIRCLE   0.5     /* share of the edge on the circle */
#define MIN_FILL        0.6     /* share of the disc the hollow fills */
#define MAX_OUTSIDE     0.05    /* share of the hollow outside the circle */
#define RHO_MAX         1.4     /* in hollow radii */
#define N_RHO           14
#define N_THETA         24
#define N_BINS          (N_RHO * N_THETA)
#define WALL_RHO        1.1     /* bins from here out are the ring's wall */
#define SIZE_TOLERANCE  0.08
#define MIN_PEERS       4
#define MAX_PEERS       12
#define MIN_EXCESS_A    0.05
#define DEFAULT_Z       6.0
#define DEFAULT_MIN_KG  0.3

typedef struct
{
  double cx, cy, r;             /* in cm from the cargo image's corner */
  float  mean[N_BINS];          /* attenuation, NAN without pixels */
  guint  count[N_BINS];
} Ring;

typedef struct
{
  const DlCargoImage *img;
  guint   w, h;
  double  cm_x, cm_y;
  float   noise;
  GArray *rings;                /* Ring */
} Rings;

/* The pairs the noise is measured on: where there is next to nothing. */
static gboolean
next_to_nothing (float a,
                 float b)
{
  return fabsf (a) < 0.2f && fabsf (b) < 0.2f;
}

static float
estimate_noise (const Rings *s)
{
  return dl_regions_noise (s->img->excess_high, s->w, s->h, next_to_nothing, 100);
}

/* The circle through points (cm) by least squares on x² + y² + Dx + Ey + F,
 * over the points @use marks; FALSE when they are degenerate. */
static gboolean
fit_circle (const double *xy,
            guint         n,
            const guint8 *use,
            double       *cx,
            double       *cy,
            double       *r)
{
  double m[3][4] = { { 0 } };
  guint used = 0;

  for (guint i = 0; i < n; i++)
    if (use[i])
      {
        double x = xy[2 * i], y = xy[2 * i + 1], z = -(x * x + y * y), v[3] = { x, y, 1 };

        for (int a = 0; a < 3; a++)
          {
            for (int b = 0; b < 3; b++)
              m[a][b] += v[a] * v[b];
            m[a][3] += v[a] * z;
          }
        used++;
      }
  if (used < 8)
    return FALSE;
  /* Gauss–Jordan with partial pivoting */
  for (int c = 0; c < 3; c++)
    {
      int p = c;
      for (int a = c + 1; a < 3; a++)
        if (fabs (m[a][c]) > fabs (m[p][c]))
          p = a;
      if (fabs (m[p][c]) < 1e-12)
        return FALSE;
      for (int b = 0; b < 4; b++)
        {
          double t = m[c][b];
          m[c][b] = m[p][b];
          m[p][b] = t;
        }
      for (int a = 0; a < 3; a++)
        if (a != c)
          {
            double f = m[a][c] / m[c][c];
            for (int b = c; b < 4; b++)
              m[a][b] -= f * m[c][b];
          }
    }
  *cx = -m[0][3] / m[0][0] / 2;
  *cy = -m[1][3] / m[1][1] / 2;
  *r = *cx * *cx + *cy * *cy - m[2][3] / m[2][2];
  if (!(*r > 0))
    return FALSE;
  *r = sqrt (*r);
  return TRUE;
}

/* The circle through three points; FALSE when they are in a line. */
static gboolean
circle_through (const double *a,
                const double *b,
                const double *c,
                double       *cx,
                double       *cy,
                double       *r)
{
  double bx = b[0] - a[0], by = b[1] - a[1], qx = c[0] - a[0], qy = c[1] - a[1];
  double d = 2 * (bx * qy - by * qx), b2 = bx * bx + by * by, q2 = qx * qx + qy * qy;

  if (fabs (d) < 1e-9)
    return FALSE;
  *cx = a[0] + (qy * b2 - by * q2) / d;
  *cy = a[1] + (bx * q2 - qx * b2) / d;
  *r = hypot (*cx - a[0], *cy - a[1]);
  return TRUE;
}

/* Marks the points within @tolerance of the circle; how many. */
static guint
mark_on (const double *xy,
         guint         n,
         double        cx,
         double        cy,
         double        r,
         double        tolerance,
         guint8       *use)
{
  guint on = 0;

  for (guint i = 0; i < n; i++)
    {
      use[i] = fabs (hypot (xy[2 * i] - cx, xy[2 * i + 1] - cy) - r) <= tolerance;
      on += use[i];
    }
  return on;
}

static int
compare_angle (gconstpointer a,
               gconstpointer b)
{
  double da = ((const double *) a)[2], db = ((const double *) b)[2];

  return (da > db) - (da < db);
}

/* The circle most of the edge lies on, whatever cuts a chord off it:
 * circles through three edge points a third of the way round from each
 * other, each start in turn, the one the most points lie on refitted by
 * least squares to them; the share of the edge on it. */
static double
fit_robustly (const double *xy,
              guint         n,
              double        tolerance,
              double       *cx,
              double       *cy,
              double       *r)
{
  g_autofree double *round = g_new (double, 3 * (gsize) n);
  g_autofree guint8 *use = g_new (guint8, n);
  double mx = 0, my = 0, best[3] = { 0 };
  guint best_on = 0, step = MAX (1, n / 36);

  if (n < 8)
    return 0;
  for (guint i = 0; i < n; i++)
    mx += xy[2 * i] / n, my += xy[2 * i + 1] / n;
  /* the edge in order round its centroid */
  for (guint i = 0; i < n; i++)
    {
      round[3 * i] = xy[2 * i];
      round[3 * i + 1] = xy[2 * i + 1];
      round[3 * i + 2] = atan2 (xy[2 * i + 1] - my, xy[2 * i] - mx);
    }
  qsort (round, n, 3 * sizeof (double), compare_angle);
  for (guint i = 0; i < n; i += step)
    {
      double c[3];
      guint on;

      if (!circle_through (&round[3 * i], &round[3 * ((i + n / 3) % n)], &round[3 * ((i + 2 * n / 3) % n)],
                           &c[0], &c[1], &c[2]))
        continue;
      if ((on = mark_on (xy, n, c[0], c[1], c[2], tolerance, use)) > best_on)
        {
          best_on = on;
          memcpy (best, c, sizeof best);
        }
    }
  if (best_on < 8)
    return 0;
  mark_on (xy, n, best[0], best[1], best[2], tolerance, use);
  if (!fit_circle (xy, n, use, cx, cy, r))
    return 0;
  return (double) mark_on (xy, n, *cx, *cy, *r, tolerance, use) / n;
}

/* The edge pixels of region @label (a 4-neighbour outside it), as cm. */
static double *
edge_of (const Rings   *s,
         const guint32 *labels,
         guint32        label,
         const DlRegion *r,
         guint         *n_edge)
{
  GArray *xy = g_array_new (FALSE, FALSE, sizeof (double));

  for (int y = r->box[1]; y < r->box[3]; y++)
    for (int x = r->box[0]; x < r->box[2]; x++)
      {
        gsize k = (gsize) y * s->w + x;

        if (labels[k] != label)
          continue;
        if (labels[k - 1] != label || labels[k + 1] != label || labels[k - s->w] != label
            || labels[k + s->w] != label)
          {
            double p[2] = { (x + 0.5) * s->cm_x, (y + 0.5) * s->cm_y };
            g_array_append_vals (xy, p, 2);
          }
      }
  *n_edge = xy->len / 2;
  return (double *) g_array_free (xy, FALSE);
}

/* The pixels of region @label outside the circle by more than the tolerance. */
static guint
outside_circle (const Rings    *s,
                const guint32  *labels,
                guint32         label,
                const DlRegion *r,
                const Ring     *ring,
                double          tolerance)
{
  guint n = 0;

  for (int y = r->box[1]; y < r->box[3]; y++)
    for (int x = r->box[0]; x < r->box[2]; x++)
      if (labels[(gsize) y * s->w + x] == label
          && hypot ((x + 0.5) * s->cm_x - ring->cx, (y + 0.5) * s->cm_y - ring->cy) > ring->r + tolerance)
        n++;
  return n;
}

/* Whether region @i of the air is a ring's hollow; sets @ring's circle. */
static gboolean
is_hollow (const Rings    *s,
           const guint32  *labels,
           guint           i,
           const DlRegion *r,
           Ring           *ring)
{
  double tolerance = FIT_TOLERANCE * MAX (s->cm_x, s->cm_y), disc;
  double min_r = HOLE_MIN_CM / 2, max_r = HOLE_MAX_CM / 2;
  g_autofree double *xy = NULL;
  guint n_edge;

  if (r->box[0] == 0 || r->box[1] == 0 || r->box[2] == (int) s->w || r->box[3] == (int) s->h)
    return FALSE;   /* open to the cargo space's edge: not enclosed */
  if ((r->box[2] - r->box[0]) * s->cm_x < 2 * min_r * MIN_FILL
      || (r->box[2] - r->box[0]) * s->cm_x > 2 * max_r || (r->box[3] - r->box[1]) * s->cm_y > 2 * max_r)
    return FALSE;
  xy = edge_of (s, labels, i + 1, r, &n_edge);
  if (fit_robustly (xy, n_edge, tolerance, &ring->cx, &ring->cy, &ring->r) < MIN_ON_CIRCLE
      || ring->r < min_r || ring->r > max_r)
    return FALSE;
  disc = G_PI * ring->r * ring->r / s->img->pixel_cm2;
  return r->area >= MIN_FILL * disc
         && outside_circle (s, labels, i + 1, r, ring, tolerance) <= MAX_OUTSIDE * r->area;
}

/* The bin of the pixel at (@x, @y) in @ring, or -1 beyond it. */
static int
bin_of (const Rings *s,
        const Ring  *ring,
        int          x,
        int          y)
{
  double dx = (x + 0.5) * s->cm_x - ring->cx, dy = (y + 0.5) * s->cm_y - ring->cy;
  double rho = hypot (dx, dy) / ring->r, theta = atan2 (dy, dx) + G_PI;
  int i_rho = (int) (rho * N_RHO / RHO_MAX), i_theta = (int) (theta * N_THETA / (2 * G_PI));

  if (i_rho >= N_RHO)
    return -1;
  return i_rho * N_THETA + MIN (i_theta, N_THETA - 1);
}

/* The pixel box around @ring out to RHO_MAX radii, clipped to the image. */
static void
ring_box (const Rings *s,
          const Ring  *ring,
          int          box[4])
{
  double reach = RHO_MAX * ring->r;

  box[0] = MAX (0, (int) floor ((ring->cx - reach) / s->cm_x));
  box[1] = MAX (0, (int) floor ((ring->cy - reach) / s->cm_y));
  box[2] = MIN ((int) s->w, (int) ceil ((ring->cx + reach) / s->cm_x) + 1);
  box[3] = MIN ((int) s->h, (int) ceil ((ring->cy + reach) / s->cm_y) + 1);
}

static void
sample_ring (const Rings *s,
             Ring        *ring)
{
  double sum[N_BINS] = { 0 };
  int box[4];

  ring_box (s, ring, box);
  memset (ring->count, 0, sizeof ring->count);
  for (int y = box[1]; y < box[3]; y++)
    for (int x = box[0]; x < box[2]; x++)
      {
        int b = bin_of (s, ring, x, y);

        if (b >= 0 && s->img->usable[x])
          {
            sum[b] += s->img->excess_high[(gsize) y * s->w + x];
            ring->count[b]++;
          }
      }
  for (guint b = 0; b < N_BINS; b++)
    ring->mean[b] = ring->count[b] ? sum[b] / ring->count[b] : NAN;
}

static void
find_rings (Rings *s)
{
  gsize n = (gsize) s->w * s->h;
  float air = MAX (AIR_A, AIR_NOISE * s->noise);
  g_autofree guint8 *mask = g_new (guint8, n);
  g_autofree guint32 *labels = g_new (guint32, n);
  g_autoptr(GArray) regions = NULL;

  for (gsize k = 0; k < n; k++)
    mask[k] = s->img->usable[k % s->w] && s->img->excess_high[k] < air;
  regions = dl_regions_label (mask, s->w, s->h, labels);
  for (guint i = 0; i < regions->len; i++)
    {
      Ring ring = { 0 };

      if (is_hollow (s, labels, i, &g_array_index (regions, DlRegion, i), &ring))
        {
          sample_ring (s, &ring);
          g_array_append_val (s->rings, ring);
        }
    }
}

typedef struct
{
  guint  ring;
  guint  peers[MAX_PEERS];
  guint  n_peers;
  float  residual[N_BINS];      /* NAN where not compared */
  float  z[N_BINS];
} Comparison;

typedef struct
{
  double distance;
  guint  index;
} Near;

static int
compare_near (gconstpointer a,
              gconstpointer b)
{
  double da = ((const Near *) a)->distance, db = ((const Near *) b)->distance;

  return (da > db) - (da < db);
}

/* The nearest rings of @i's size, at most MAX_PEERS. */
static void
choose_peers (const Rings *s,
              Comparison  *c)
{
  const Ring *me = &g_array_index (s->rings, Ring, c->ring);
  g_autofree Near *near = g_new (Near, s->rings->len);
  guint n = 0;

  for (guint j = 0; j < s->rings->len; j++)
    {
      const Ring *o = &g_array_index (s->rings, Ring, j);

      if (j != c->ring && fabs (o->r - me->r) <= SIZE_TOLERANCE * me->r)
        near[n++] = (Near) { hypot (o->cx - me->cx, o->cy - me->cy), j };
    }
  qsort (near, n, sizeof *near, compare_near);
  c->n_peers = MIN (n, MAX_PEERS);
  for (guint i = 0; i < c->n_peers; i++)
    c->peers[i] = near[i].index;
}

/* The peers' median of bin @b (NAN with fewer than MIN_PEERS), and
 * their median absolute deviation from it. */
static float
peer_median (const Rings      *s,
             const Comparison *c,
             guint             b,
             float            *mad)
{
  float v[MAX_PEERS], med;
  guint n = 0;

  for (guint i = 0; i < c->n_peers; i++)
    {
      float m = g_array_index (s->rings, Ring, c->peers[i]).mean[b];
      if (!isnan (m))
        v[n++] = m;
    }
  if (n < MIN_PEERS)
    return NAN;
  med = dl_select_float (v, n, n / 2);
  for (guint i = 0; i < n; i++)
    v[i] = fabsf (v[i] - med);
  *mad = dl_select_float (v, n, n / 2);
  return med;
}

/* The ring's wall over its peers': the median ratio of the wall's bins. */
static double
wall_scale (const Ring  *me,
            const float *reference)
{
  float ratios[N_BINS];
  guint n = 0;

  for (guint b = (guint) ceil (WALL_RHO * N_RHO / RHO_MAX) * N_THETA; b < N_BINS; b++)
    if (!isnan (reference[b]) && !isnan (me->mean[b]) && reference[b] > 0.1f)
      ratios[n++] = me->mean[b] / reference[b];
  if (n < N_THETA / 2)
    return 1;
  return CLAMP (dl_select_float (ratios, n, n / 2), 0.5, 2.0);
}

static void
compare_ring (const Rings *s,
              Comparison  *c)
{
  const Ring *me = &g_array_index (s->rings, Ring, c->ring);
  float reference[N_BINS], mad[N_BINS];
  double scale;

  for (guint b = 0; b < N_BINS; b++)
    reference[b] = peer_median (s, c, b, &mad[b]);
  scale = wall_scale (me, reference);
  for (guint b = 0; b < N_BINS; b++)
    {
      double ref = reference[b] * (reference[b] > 0 ? scale : 1);
      double spread = MAX (1.4826 * mad[b] * scale, s->noise / sqrt (MAX (me->count[b], 1)));

      c->residual[b] = isnan (ref) || isnan (me->mean[b]) ? NAN : me->mean[b] - ref;
      c->z[b] = isnan (c->residual[b]) ? NAN : c->residual[b] / spread;
    }
}

typedef struct
{
  double kg;
  double z;                     /* the bins' mean, weighted by their pixels */
  guint  pixels;
  guint  hollow_pixels;         /* of them inside the hollow's radius */
  int    box[4];
} Excess;

static gboolean
stands_out (const Comparison *c,
            guint             b,
            double            z_min)
{
  return !isnan (c->z[b]) && c->z[b] > z_min && c->residual[b] > MIN_EXCESS_A;
}

/* Grows the region of bins standing out from @start (round the ring in θ). */
static void
grow_bins (const Comparison *c,
           double            z_min,
           guint             start,
           guint8           *region,
           guint8            label)
{
  guint stack[N_BINS], n = 0;

  stack[n++] = start;
  region[start] = label;
  while (n > 0)
    {
      guint b = stack[--n], rho = b / N_THETA, th = b % N_THETA, next[4], nn = 0;

      next[nn++] = rho * N_THETA + (th + 1) % N_THETA;
      next[nn++] = rho * N_THETA + (th + N_THETA - 1) % N_THETA;
      if (rho > 0)
        next[nn++] = b - N_THETA;
      if (rho + 1 < N_RHO)
        next[nn++] = b + N_THETA;
      for (guint i = 0; i < nn; i++)
        if (region[next[i]] == 0 && stands_out (c, next[i], z_min))
          {
            region[next[i]] = label;
            stack[n++] = next[i];
          }
    }
}

/* The mass, z and pixel box of the bins labelled @label. */
static Excess
measure_excess (const Rings      *s,
                const Comparison *c,
                const guint8     *region,
                guint8            label)
{
  const Ring *me = &g_array_index (s->rings, Ring, c->ring);
  double mu = s->img->mu[DL_HS_MATERIAL_MIXED];
  Excess e = { 0, 0, 0, 0, { G_MAXINT, G_MAXINT, 0, 0 } };
  int box[4];

  for (guint b = 0; b < N_BINS; b++)
    if (region[b] == label)
      {
        e.kg += c->residual[b] * me->count[b] * s->img->pixel_cm2 / mu / 1000;
        e.z += c->z[b] * me->count[b];
        e.pixels += me->count[b];
        if ((b / N_THETA + 0.5) * RHO_MAX / N_RHO < 1)
          e.hollow_pixels += me->count[b];
      }
  e.z /= MAX (e.pixels, 1);
  ring_box (s, me, box);
  for (int y = box[1]; y < box[3]; y++)
    for (int x = box[0]; x < box[2]; x++)
      {
        int b = bin_of (s, me, x, y);

        if (b >= 0 && region[b] == label && s->img->usable[x])
          {
            e.box[0] = MIN (e.box[0], x);
            e.box[1] = MIN (e.box[1], y);
            e.box[2] = MAX (e.box[2], x + 1);
            e.box[3] = MAX (e.box[3], y + 1);
          }
      }
  return e;
}

static JsonArray *
circle_box (const Rings *s,
            const Ring  *ring)
{
  JsonArray *box = json_array_new ();

  json_array_add_int_element (box, s->img->x0 + (int) floor ((ring->cx - ring->r) / s->cm_x));
  json_array_add_int_element (box, s->img->y0 + (int) floor ((ring->cy - ring->r) / s->cm_y));
  json_array_add_int_element (box, s->img->x0 + (int) ceil ((ring->cx + ring->r) / s->cm_x));
  json_array_add_int_element (box, s->img->y0 + (int) ceil ((ring->cy + ring->r) / s->cm_y));
  return box;
}

static DlFinding *
finding_of (const Rings      *s,
            const Comparison *c,
            const Excess     *e,
            double            z_min)
{
  const Ring *me = &g_array_index (s->rings, Ring, c->ring);
  double score = CLAMP (0.5 + 0.5 * (e->z - z_min) / z_min, 0, 1) * MIN (1.0, sqrt (e->kg));
  gboolean hollow = e->hollow_pixels * 2 > e->pixels;
  g_autofree char *kg = dl_format_quantity (e->kg, 1, "kg");
  g_autofree char *size = dl_format_quantity (2 * me->r, 0, "cm");
  g_autofree char *text = NULL;
  JsonArray *peers = json_array_new ();
  DlFinding *f;

  /* TRANSLATORS: "%1$s" is a mass ("2.4 kg"), "%3$s" a length ("40 cm"): the hollow's diameter */
  text = hollow ? g_strdup_printf (ngettext ("%1$s more in the hollow of a ring-shaped unit than in the %2$u ring like it (hollow %3$s across)",
                                             "%1$s more in the hollow of a ring-shaped unit than in the %2$u rings like it (hollow %3$s across)",
                                             c->n_peers), kg, c->n_peers, size)
                : g_strdup_printf (ngettext ("%1$s more in the wall of a ring-shaped unit than in the %2$u ring like it (hollow %3$s across)",
                                             "%1$s more in the wall of a ring-shaped unit than in the %2$u rings like it (hollow %3$s across)",
                                             c->n_peers), kg, c->n_peers, size);
  f = dl_finding_new ("anomaly", s->img->view, score, text);
  dl_finding_set_rectangle (f, s->img->x0 + e->box[0], s->img->y0 + e->box[1],
                            s->img->x0 + e->box[2], s->img->y0 + e->box[3]);
  json_object_set_double_member (f->figures, "excess_kg", e->kg);
  json_object_set_double_member (f->figures, "z", e->z);
  json_object_set_string_member (f->figures, "where", hollow ? "hollow" : "wall");
  json_object_set_double_member (f->figures, "hollow_diameter_cm", 2 * me->r);
  json_object_set_array_member (f->figures, "ring", circle_box (s, me));
  for (guint i = 0; i < c->n_peers; i++)
    json_array_add_array_element (peers, circle_box (s, &g_array_index (s->rings, Ring, c->peers[i])));
  json_object_set_array_member (f->figures, "peers", peers);
  return f;
}

/* The regions of @c's bins that stand out, as findings. */
static void
find_excess (const Rings      *s,
             const Comparison *c,
             JsonObject       *parameters,
             GPtrArray        *findings)
{
  double z_min = json_object_get_double_member_with_default (parameters, "z", DEFAULT_Z);
  double min_kg = json_object_get_double_member_with_default (parameters, "min_kg", DEFAULT_MIN_KG);
  double min_score = json_object_get_double_member_with_default (parameters, "min_score", 0);
  guint8 region[N_BINS] = { 0 }, label = 0;

  for (guint b = 0; b < N_BINS && label < G_MAXUINT8; b++)
    if (region[b] == 0 && stands_out (c, b, z_min))
      {
        Excess e;
        DlFinding *f;

        grow_bins (c, z_min, b, region, ++label);
        e = measure_excess (s, c, region, label);
        if (e.kg < min_kg || e.pixels == 0)
          continue;
        f = finding_of (s, c, &e, z_min);
        if (f->score >= min_score)
          g_ptr_array_add (findings, f);
        else
          dl_finding_free (f);
      }
}

guint
dl_rings_find (const DlCargoImage *image,
               JsonObject         *parameters,
               GPtrArray          *findings)
{
  g_autoptr(GArray) rings = g_array_new (FALSE, TRUE, sizeof (Ring));
  Rings s = { image, image->width, image->height, image->pitch_x_mm / 10.0, image->pitch_y_mm / 10.0, 0, rings };
  gint64 start = g_get_monotonic_time ();
  guint compared = 0;

  if (s.w < 3 || s.h < 3)
    return 0;
  s.noise = estimate_noise (&s);
  find_rings (&s);
  for (guint i = 0; i < rings->len; i++)
    {
      Comparison c = { i };

      choose_peers (&s, &c);
      if (c.n_peers < MIN_PEERS)
        continue;
      compare_ring (&s, &c);
      find_excess (&s, &c, parameters, findings);
      compared++;
    }
  g_debug ("%u rings, %u compared, noise %.4f, %.1f ms", rings->len, compared, s.noise,
           (g_get_monotonic_time () - start) / 1000.0);
  return compared;
}

static gboolean
run_rings (DlDetector    *detector,
           DlDetectInput *input,
           JsonObject    *parameters,
           GPtrArray     *findings,
           GPtrArray     *notes,
           GCancellable  *cancellable,
           GError       **error)
{
  const DlCargoImage *img = dl_detect_input_get_cargo_image (input, error);

  if (img == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (dl_rings_find (img, parameters, findings) == 0)
    g_ptr_array_add (notes, g_strdup (_("No ring-shaped units with enough others of their size were found: no rings were compared")));
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static const DlDetectorVTable rings_vtable = { run_rings };

DlDetector *
dl_rings_detector_new (void)
{
  g_autoptr(JsonObject) defaults = json_object_new ();

  json_object_set_double_member (defaults, "min_score", 0.0);
  json_object_set_double_member (defaults, "z", DEFAULT_Z);
  json_object_set_double_member (defaults, "min_kg", DEFAULT_MIN_KG);
  return dl_detector_new ("rings", RINGS_VERSION,
                          _("A ring-shaped unit (a tyre standing in the beam) holding more than the rings of its size"),
                          defaults, &rings_vtable, NULL, NULL);
}
