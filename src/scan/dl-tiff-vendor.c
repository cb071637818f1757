/* dl-tiff-vendor.c — the energies of a vendor's two-page TIFF.
 *
 * A view of exactly two channels that nothing named (no Doorlicht
 * description, no PageName "view=…;channel=…") is taken as a dual-energy
 * pair.  The low-energy image attenuates more: over the pixels that are
 * neither air nor opaque in both channels, the mean of −ln(I/I0) is larger.
 * The channels are then named "high" and "low", and the metadata key
 * "energy-order" says how; when the two attenuate alike (or too few pixels
 * tell), nothing is guessed and "energy-order" says so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-tiff"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "dl-tiff-vendor.h"

/* air: above this share of I0; opaque: below I0 / OPAQUE_RATIO */
#define AIR_SHARE    0.9
#define OPAQUE_RATIO 500.0
#define MIN_PIXELS   64

/* A stored sample as the file's value (stored × scale + offset), the
 * intensity that attenuation is measured in; a negated scale (MinIsWhite)
 * has made the stored sample the intensity already. */
static inline double
intensity (const DlPlane *p,
           double         stored)
{
  return p->scale > 0 ? stored * p->scale + p->offset : stored;
}

/* I0: the stated air value, else the 99.9th percentile of the samples. */
static double
plane_i0 (const DlPlane *p)
{
  gsize n = (gsize) p->width * p->height, seen = 0, want;
  g_autofree guint32 *counts = NULL;

  if (p->air_value > 0)
    return intensity (p, p->air_value);
  counts = g_new0 (guint32, 65536);
  for (gsize i = 0; i < n; i++)
    counts[p->data[i]]++;
  want = n - n / 1000;
  for (guint v = 0; v < 65536; v++)
    {
      seen += counts[v];
      if (seen >= want)
        return intensity (p, v);
    }
  return 65535.0;
}

static gboolean
informative (double v,
             double i0)
{
  return i0 > 0 && v > 0 && v < AIR_SHARE * i0 && v > i0 / OPAQUE_RATIO;
}

/* The mean attenuations of @a and @b over the pixels informative in both,
 * and the share of those where @a attenuates more; FALSE when too few are. */
static gboolean
mean_attenuations (const DlPlane *a,
                   const DlPlane *b,
                   double        *mean_a,
                   double        *mean_b,
                   double        *a_more)
{
  double ia = plane_i0 (a), ib = plane_i0 (b), sa = 0, sb = 0;
  gsize n = (gsize) a->width * a->height, count = 0, more = 0;

  for (gsize i = 0; i < n; i++)
    {
      double va = intensity (a, a->data[i]), vb = intensity (b, b->data[i]);

      if (informative (va, ia) && informative (vb, ib))
        {
          double ta = -log (va / ia), tb = -log (vb / ib);

          sa += ta;
          sb += tb;
          more += ta > tb;
          count++;
        }
    }
  if (count < MIN_PIXELS)
    return FALSE;
  *mean_a = sa / count;
  *mean_b = sb / count;
  *a_more = (double) more / count;
  return TRUE;
}

static gboolean
unnamed_pair (DlScan   *scan,
              guint     view,
              DlPlane **a,
              DlPlane **b)
{
  if (dl_scan_get_n_channels (scan, view) != 2)
    return FALSE;
  *a = dl_scan_get_plane (scan, view, 0);
  *b = dl_scan_get_plane (scan, view, 1);
  return g_str_equal ((*a)->name, "channel 0") && g_str_equal ((*b)->name, "channel 1")
         && (*a)->width == (*b)->width && (*a)->height == (*b)->height;
}

static void
set_name (DlPlane    *p,
          const char *name)
{
  g_free (p->name);
  p->name = g_strdup (name);
}

/* "page 2" when each page is one channel, else "channel 2". */
static char *
which (DlScan *scan,
       guint   n_pages,
       guint   view,
       guint   channel)
{
  if (dl_scan_get_n_views (scan) == 1 && dl_scan_get_n_planes (scan) == n_pages)
    return g_strdup_printf (_("page %u"), channel + 1);
  if (view == 0)
    return g_strdup_printf (_("channel %u"), channel + 1);
  return g_strdup_printf (_("channel %u of view %u"), channel + 1, view + 1);
}

static char *
order_view (DlScan *scan,
            guint   n_pages,
            guint   view)
{
  DlPlane *a, *b;
  double ma, mb, a_more, agree;
  g_autofree char *low = NULL;
  char sa[32], sb[32];

  if (!unnamed_pair (scan, view, &a, &b))
    return NULL;
  if (!mean_attenuations (a, b, &ma, &mb, &a_more))
    return g_strdup (_("not settled: too few pixels are neither air nor opaque"));
  g_snprintf (sa, sizeof sa, "%.3f", ma);
  g_snprintf (sb, sizeof sb, "%.3f", mb);
  if (fabs (ma - mb) < DL_TIFF_VENDOR_MIN_CONTRAST * MAX (ma, mb))
    return g_strdup_printf (_("not settled: the two channels attenuate alike (mean −ln(I/I0) %s and %s)"), sa, sb);
  /* one object at two energies: the low one attenuates more nearly
   * everywhere, not only on the whole */
  agree = ma > mb ? a_more : 1.0 - a_more;
  if (agree < DL_TIFF_VENDOR_MIN_AGREEMENT)
    return g_strdup_printf (_("not settled: the channel that attenuates more on the whole does so in only %.0f %% of the pixels, "
                              "so they may not be one object at two energies"), 100 * agree);

  set_name (ma > mb ? a : b, "low");
  set_name (ma > mb ? b : a, "high");
  low = which (scan, n_pages, view, ma > mb ? 0 : 1);
  return g_strdup_printf (_("by attenuation ratio, %s is low (mean −ln(I/I0) %s and %s)"), low, sa, sb);
}

void
_dl_tiff_vendor_name_energies (DlScan *scan,
                               guint   n_pages)
{
  g_autoptr(GString) all = g_string_new (NULL);

  for (guint v = 0; v < dl_scan_get_n_views (scan); v++)
    {
      g_autofree char *said = order_view (scan, n_pages, v);

      if (said == NULL)
        continue;
      if (all->len > 0)
        g_string_append (all, "; ");
      if (dl_scan_get_n_views (scan) > 1)
        g_string_append_printf (all, _("view %u: "), v + 1);
      g_string_append (all, said);
    }
  if (all->len > 0)
    dl_scan_set_metadata (scan, "energy-order", all->str);
}
