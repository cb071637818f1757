/* dl-view-state.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-view-state"

#include "config.h"

#include <math.h>
#include <string.h>

#include "dl-enhance.h"
#include "dl-view-state.h"

struct _DlViewState
{
  GObject     parent_instance;
  DlWindowing windowing;
  double      zoom;
  double      focus_x;
  double      focus_y;
  gboolean    fit;

  /* overlays */
  gboolean    material;
  double      material_opacity;
  int         strip;
  char       *colormap;
  gboolean    band;
  double      band_low;
  double      band_high;
  GArray     *extra_bands;   /* DlBand kept with "add band" */
  int         enhance;
  guint8      colours[4][3]; /* organic, inorganic, metal, the current band */
};

G_DEFINE_FINAL_TYPE (DlViewState, dl_view_state, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CENTER,
  PROP_WIDTH,
  PROP_GAMMA,
  PROP_INVERT,
  PROP_DENSITY,
  PROP_I0,
  PROP_ZOOM,
  PROP_FIT,
  PROP_FOCUS_X,
  PROP_FOCUS_Y,
  PROP_MATERIAL,
  PROP_MATERIAL_OPACITY,
  PROP_STRIP,
  PROP_COLORMAP,
  PROP_BAND,
  PROP_BAND_LOW,
  PROP_BAND_HIGH,
  PROP_ENHANCE,
  PROP_ORGANIC_COLOUR,
  PROP_INORGANIC_COLOUR,
  PROP_METAL_COLOUR,
  PROP_BAND_COLOUR,
  PROP_DENSE_LIGHT,
  N_PROPS
};

#define N_COLOURS 4
#define COLOUR_INDEX(prop) ((prop) - PROP_ORGANIC_COLOUR)

/* The defaults, in property order: the industry's orange, green and blue;
 * red for the density band. */
static void
default_colour (guint   index,
                guint8 *rgb)
{
  static const guint8 band[3] = { 255, 40, 40 };
  static const DlMaterialClass classes[] = { DL_CLASS_ORGANIC, DL_CLASS_INORGANIC, DL_CLASS_METAL };

  if (index < G_N_ELEMENTS (classes))
    dl_overlay_class_colour (classes[index], rgb);
  else
    memcpy (rgb, band, 3);
}

static GParamSpec *properties[N_PROPS];

static void
dl_view_state_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DlViewState *self = DL_VIEW_STATE (object);

  switch (prop_id)
    {
    case PROP_CENTER: g_value_set_double (value, self->windowing.center); break;
    case PROP_WIDTH: g_value_set_double (value, self->windowing.width); break;
    case PROP_GAMMA: g_value_set_double (value, self->windowing.gamma); break;
    case PROP_INVERT: g_value_set_boolean (value, self->windowing.invert); break;
    case PROP_DENSITY: g_value_set_boolean (value, self->windowing.space == DL_SPACE_DENSITY); break;
    case PROP_I0: g_value_set_double (value, self->windowing.i0); break;
    case PROP_DENSE_LIGHT: g_value_set_boolean (value, dl_view_state_get_dense_light (self)); break;
    case PROP_ZOOM: g_value_set_double (value, self->zoom); break;
    case PROP_FIT: g_value_set_boolean (value, self->fit); break;
    case PROP_FOCUS_X: g_value_set_double (value, self->focus_x); break;
    case PROP_FOCUS_Y: g_value_set_double (value, self->focus_y); break;
    case PROP_MATERIAL: g_value_set_boolean (value, self->material); break;
    case PROP_MATERIAL_OPACITY: g_value_set_double (value, self->material_opacity); break;
    case PROP_STRIP: g_value_set_int (value, self->strip); break;
    case PROP_COLORMAP: g_value_set_string (value, self->colormap); break;
    case PROP_BAND: g_value_set_boolean (value, self->band); break;
    case PROP_BAND_LOW: g_value_set_double (value, self->band_low); break;
    case PROP_BAND_HIGH: g_value_set_double (value, self->band_high); break;
    case PROP_ENHANCE: g_value_set_int (value, self->enhance); break;
    case PROP_ORGANIC_COLOUR:
    case PROP_INORGANIC_COLOUR:
    case PROP_METAL_COLOUR:
    case PROP_BAND_COLOUR:
      g_value_take_string (value, dl_overlay_format_rgb (self->colours[COLOUR_INDEX (prop_id)]));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* "#rrggbb"; %NULL or anything else means the default colour. */
static void
set_colour (DlViewState *self,
            guint        prop,
            const char  *text)
{
  guint8 *field = self->colours[COLOUR_INDEX (prop)];
  guint8 rgb[3];

  if (!dl_overlay_parse_rgb (text, rgb))
    default_colour (COLOUR_INDEX (prop), rgb);
  if (memcmp (field, rgb, 3) == 0)
    return;
  memcpy (field, rgb, 3);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_double (DlViewState *self,
            double      *field,
            double       value,
            guint        prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_boolean (DlViewState *self,
             gboolean    *field,
             gboolean     value,
             guint        prop)
{
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
dl_view_state_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  DlViewState *self = DL_VIEW_STATE (object);

  switch (prop_id)
    {
    case PROP_CENTER: set_double (self, &self->windowing.center, g_value_get_double (value), prop_id); break;
    case PROP_WIDTH: set_double (self, &self->windowing.width, g_value_get_double (value), prop_id); break;
    case PROP_GAMMA: set_double (self, &self->windowing.gamma, g_value_get_double (value), prop_id); break;
    case PROP_INVERT:
      g_object_freeze_notify (object);
      if (self->windowing.invert != !!g_value_get_boolean (value))
        g_object_notify_by_pspec (object, properties[PROP_DENSE_LIGHT]);
      set_boolean (self, &self->windowing.invert, g_value_get_boolean (value), prop_id);
      g_object_thaw_notify (object);
      break;
    case PROP_DENSITY:
      dl_view_state_set_space (self, g_value_get_boolean (value) ? DL_SPACE_DENSITY : DL_SPACE_VALUE);
      break;
    case PROP_I0: set_double (self, &self->windowing.i0, g_value_get_double (value), prop_id); break;
    case PROP_DENSE_LIGHT: dl_view_state_set_dense_light (self, g_value_get_boolean (value)); break;
    case PROP_ZOOM: dl_view_state_set_zoom (self, g_value_get_double (value)); break;
    case PROP_FIT: dl_view_state_set_fit (self, g_value_get_boolean (value)); break;
    case PROP_FOCUS_X: set_double (self, &self->focus_x, g_value_get_double (value), prop_id); break;
    case PROP_FOCUS_Y: set_double (self, &self->focus_y, g_value_get_double (value), prop_id); break;
    case PROP_MATERIAL: set_boolean (self, &self->material, g_value_get_boolean (value), prop_id); break;
    case PROP_MATERIAL_OPACITY: set_double (self, &self->material_opacity, g_value_get_double (value), prop_id); break;
    case PROP_STRIP:
      if (self->strip != g_value_get_int (value))
        {
          self->strip = g_value_get_int (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_COLORMAP:
      if (g_strcmp0 (self->colormap, g_value_get_string (value)) != 0)
        {
          g_free (self->colormap);
          self->colormap = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_BAND: set_boolean (self, &self->band, g_value_get_boolean (value), prop_id); break;
    case PROP_BAND_LOW: set_double (self, &self->band_low, g_value_get_double (value), prop_id); break;
    case PROP_BAND_HIGH: set_double (self, &self->band_high, g_value_get_double (value), prop_id); break;
    case PROP_ENHANCE:
      if (self->enhance != g_value_get_int (value))
        {
          self->enhance = g_value_get_int (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_ORGANIC_COLOUR:
    case PROP_INORGANIC_COLOUR:
    case PROP_METAL_COLOUR:
    case PROP_BAND_COLOUR:
      set_colour (self, prop_id, g_value_get_string (value));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
double_spec (const char *name,
             double      min,
             double      max,
             double      def)
{
  return g_param_spec_double (name, NULL, NULL, min, max, def,
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
boolean_spec (const char *name)
{
  return g_param_spec_boolean (name, NULL, NULL, FALSE,
                               G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void dl_view_state_finalize (GObject *object);

static void
dl_view_state_class_init (DlViewStateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dl_view_state_finalize;
  object_class->get_property = dl_view_state_get_property;
  object_class->set_property = dl_view_state_set_property;

  /* Window centre and width, in the current space (value or density). */
  properties[PROP_CENTER] = double_spec ("center", -1e6, 1e6, 32767.5);
  properties[PROP_WIDTH] = double_spec ("width", 1e-6, 1e6, 65535.0);
  properties[PROP_GAMMA] = double_spec ("gamma", 0.1, 10.0, 1.0);
  properties[PROP_INVERT] = boolean_spec ("invert");
  properties[PROP_DENSITY] = boolean_spec ("density");
  /* Whether dense material is shown light (FALSE: dark, as on film and
   * most vendors' displays), in either space: the windowing's invert is
   * set from it, and switching space keeps it. */
  properties[PROP_DENSE_LIGHT] = boolean_spec ("dense-light");
  properties[PROP_I0] = double_spec ("i0", 1.0, 65535.0, 65535.0);
  properties[PROP_ZOOM] = double_spec ("zoom", DL_ZOOM_MIN, DL_ZOOM_MAX, 1.0);
  properties[PROP_FIT] = boolean_spec ("fit");
  /* The image coordinate shown at the centre of the view. */
  properties[PROP_FOCUS_X] = double_spec ("focus-x", -1e9, 1e9, 0.0);
  properties[PROP_FOCUS_Y] = double_spec ("focus-y", -1e9, 1e9, 0.0);
  /* Overlays: dual-energy material classes, a density band, a colour map. */
  properties[PROP_MATERIAL] = boolean_spec ("material");
  properties[PROP_MATERIAL_OPACITY] = double_spec ("material-opacity", 0.0, 1.0, 0.8);
  properties[PROP_STRIP] = g_param_spec_int ("strip", NULL, NULL, DL_STRIP_NONE, DL_STRIP_INORGANIC_ONLY, DL_STRIP_NONE,
                                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLORMAP] = g_param_spec_string ("colormap", NULL, NULL, NULL,
                                                   G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BAND] = boolean_spec ("band");
  properties[PROP_BAND_LOW] = double_spec ("band-low", 0.0, 20.0, 1.0);
  properties[PROP_BAND_HIGH] = double_spec ("band-high", 0.0, 20.0, 2.0);
  /* DlEnhance: none, edges, local contrast */
  properties[PROP_ENHANCE] = g_param_spec_int ("enhance", NULL, NULL, DL_ENHANCE_NONE, DL_N_ENHANCE - 1, DL_ENHANCE_NONE,
                                               G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Overlay colours as "#rrggbb": material classes (metal covers heavy
   * metals too) and the current density band; anything else (or %NULL)
   * restores the default. */
  properties[PROP_ORGANIC_COLOUR] = g_param_spec_string ("organic-colour", NULL, NULL, "#ff8c00",
                                                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INORGANIC_COLOUR] = g_param_spec_string ("inorganic-colour", NULL, NULL, "#28be3c",
                                                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_METAL_COLOUR] = g_param_spec_string ("metal-colour", NULL, NULL, "#286eff",
                                                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BAND_COLOUR] = g_param_spec_string ("band-colour", NULL, NULL, "#ff2828",
                                                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dl_view_state_init (DlViewState *self)
{
  dl_windowing_init (&self->windowing);
  self->zoom = 1.0;
  self->fit = TRUE;
  self->material_opacity = 0.8;
  self->band_low = 1.0;
  self->band_high = 2.0;
  self->extra_bands = g_array_new (FALSE, FALSE, sizeof (DlBand));
  for (guint i = 0; i < N_COLOURS; i++)
    default_colour (i, self->colours[i]);
}

/* Keeps the current band and lets a new one be set: several at once,
 * each in its own colour (up to 8). */
gboolean
dl_view_state_add_band (DlViewState *self)
{
  static const guint8 colours[][3] = { { 255, 220, 0 }, { 0, 220, 255 }, { 255, 0, 200 }, { 120, 255, 60 },
                                       { 255, 140, 0 }, { 150, 110, 255 }, { 255, 255, 255 } };
  DlBand band;

  g_return_val_if_fail (DL_IS_VIEW_STATE (self), FALSE);

  if (self->extra_bands->len >= G_N_ELEMENTS (colours) || self->band_high < self->band_low)
    return FALSE;
  band = (DlBand) { self->band_low, self->band_high, { 0, 0, 0 } };
  memcpy (band.rgb, colours[self->extra_bands->len], 3);
  g_array_append_val (self->extra_bands, band);
  self->band = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BAND]);
  return TRUE;
}

void
dl_view_state_clear_bands (DlViewState *self)
{
  g_return_if_fail (DL_IS_VIEW_STATE (self));

  g_array_set_size (self->extra_bands, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BAND]);
}

/* The bands drawn: the current one first (when on), then those kept. */
guint
dl_view_state_get_bands (DlViewState *self,
                         DlBand      *bands,
                         guint        max)
{
  DlOverlay overlay;
  guint n;

  g_return_val_if_fail (DL_IS_VIEW_STATE (self), 0);

  dl_view_state_get_overlay (self, &overlay);
  n = MIN (overlay.n_bands, max);
  memcpy (bands, overlay.bands, n * sizeof (DlBand));
  dl_overlay_clear (&overlay);
  return n;
}

static void
dl_view_state_finalize (GObject *object)
{
  g_array_unref (DL_VIEW_STATE (object)->extra_bands);
  g_free (DL_VIEW_STATE (object)->colormap);
  G_OBJECT_CLASS (dl_view_state_parent_class)->finalize (object);
}

/* Whether anything is drawn over the gray image. */
gboolean
dl_view_state_has_overlay (DlViewState *self)
{
  g_return_val_if_fail (DL_IS_VIEW_STATE (self), FALSE);
  return self->material || self->band || (self->colormap && g_strcmp0 (self->colormap, "gray") != 0);
}

/* The overlay the state describes (dl_overlay_clear() it after use). */
void
dl_view_state_get_overlay (DlViewState *self,
                           DlOverlay   *overlay)
{
  g_return_if_fail (DL_IS_VIEW_STATE (self));

  dl_overlay_init (overlay);
  overlay->material = self->material;
  overlay->material_opacity = self->material_opacity;
  overlay->strip = self->strip;
  memcpy (overlay->class_rgb[DL_CLASS_ORGANIC], self->colours[0], 3);
  memcpy (overlay->class_rgb[DL_CLASS_INORGANIC], self->colours[1], 3);
  memcpy (overlay->class_rgb[DL_CLASS_METAL], self->colours[2], 3);
  memcpy (overlay->class_rgb[DL_CLASS_HEAVY], self->colours[2], 3);
  /* a builtin name, or the path of a colour table file */
  if (self->colormap && (overlay->colormap = dl_colormap_new_builtin (self->colormap)) == NULL)
    {
      g_autoptr(GError) error = NULL;
      overlay->colormap = dl_colormap_load (self->colormap, &error);
      if (overlay->colormap == NULL)
        g_warning ("Colour table %s: %s", self->colormap, error->message);
    }
  if (self->band && self->band_high >= self->band_low)
    {
      overlay->bands[0] = (DlBand) { self->band_low, self->band_high, { 0, 0, 0 } };
      memcpy (overlay->bands[0].rgb, self->colours[3], 3);
      overlay->n_bands = 1;
      for (guint i = 0; i < self->extra_bands->len && overlay->n_bands < G_N_ELEMENTS (overlay->bands); i++)
        overlay->bands[overlay->n_bands++] = g_array_index (self->extra_bands, DlBand, i);
    }
}

DlViewState *
dl_view_state_new (void)
{
  return g_object_new (DL_TYPE_VIEW_STATE, NULL);
}

void
dl_view_state_get_windowing (DlViewState *self,
                             DlWindowing *windowing)
{
  g_return_if_fail (DL_IS_VIEW_STATE (self));
  *windowing = self->windowing;
}

void
dl_view_state_set_windowing (DlViewState       *self,
                             const DlWindowing *w)
{
  g_return_if_fail (DL_IS_VIEW_STATE (self));
  g_return_if_fail (dl_windowing_is_valid (w));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->windowing.space != w->space || self->windowing.invert != !!w->invert)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DENSE_LIGHT]);
  set_double (self, &self->windowing.i0, w->i0, PROP_I0);
  if (self->windowing.space != w->space)
    {
      self->windowing.space = w->space;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DENSITY]);
    }
  set_double (self, &self->windowing.center, w->center, PROP_CENTER);
  set_double (self, &self->windowing.width, w->width, PROP_WIDTH);
  set_double (self, &self->windowing.gamma, w->gamma, PROP_GAMMA);
  set_boolean (self, &self->windowing.invert, w->invert, PROP_INVERT);
  g_object_thaw_notify (G_OBJECT (self));
}

void
dl_view_state_set_window (DlViewState *self,
                          double       center,
                          double       width)
{
  DlWindowing w;

  g_return_if_fail (DL_IS_VIEW_STATE (self));

  w = self->windowing;
  w.center = center;
  w.width = width;
  if (dl_windowing_is_valid (&w))
    dl_view_state_set_windowing (self, &w);
}

void
dl_view_state_apply_preset (DlViewState       *self,
                            DlPreset           preset,
                            const DlHistogram *histogram)
{
  DlWindowing w;

  g_return_if_fail (DL_IS_VIEW_STATE (self));

  w = self->windowing;
  dl_preset_compute (preset, histogram, &w);
  dl_view_state_set_windowing (self, &w);
}

/* Relative change, as right-drag does: the steps are in the current
 * space's units; the width never drops to zero. */
void
dl_view_state_adjust_window (DlViewState *self,
                             double       d_center,
                             double       d_width)
{
  double min_width;

  g_return_if_fail (DL_IS_VIEW_STATE (self));

  min_width = self->windowing.space == DL_SPACE_DENSITY ? 1e-3 : 1.0;
  dl_view_state_set_window (self,
                            self->windowing.center + d_center,
                            MAX (self->windowing.width + d_width, min_width));
}

/* Switches value ↔ density, keeping the same stretch of the image visible:
 * the window's bounds are converted through d = −ln (v / I0); dense stays
 * dark (or light): the formula's polarity turns with the space, so invert
 * turns too. */
void
dl_view_state_set_space (DlViewState *self,
                         DlSpace      space)
{
  DlWindowing w;
  double lo, hi, a, b;

  g_return_if_fail (DL_IS_VIEW_STATE (self));

  if (self->windowing.space == space)
    return;

  w = self->windowing;
  lo = w.center - w.width / 2.0;
  hi = w.center + w.width / 2.0;
  if (space == DL_SPACE_DENSITY)
    {
      a = dl_density (MAX (hi, 1.0), w.i0);
      b = dl_density (MAX (lo, 1.0), w.i0);
    }
  else
    {
      a = dl_density_to_value (hi, w.i0);
      b = dl_density_to_value (lo, w.i0);
    }

  w.space = space;
  w.invert = !w.invert;
  w.center = (a + b) / 2.0;
  w.width = MAX (b - a, space == DL_SPACE_DENSITY ? 1e-3 : 1.0);
  dl_view_state_set_windowing (self, &w);
}

/* Dense is light: in value space the formula shows dense dark, so this is
 * invert there; in density it shows dense light, so it is the opposite. */
gboolean
dl_view_state_get_dense_light (DlViewState *self)
{
  g_return_val_if_fail (DL_IS_VIEW_STATE (self), FALSE);
  return self->windowing.invert != (self->windowing.space == DL_SPACE_DENSITY);
}

void
dl_view_state_set_dense_light (DlViewState *self,
                               gboolean     light)
{
  g_return_if_fail (DL_IS_VIEW_STATE (self));

  if (dl_view_state_get_dense_light (self) == !!light)
    return;
  g_object_set (self, "invert", !self->windowing.invert, NULL);
}

double
dl_view_state_get_zoom (DlViewState *self)
{
  g_return_val_if_fail (DL_IS_VIEW_STATE (self), 1.0);
  return self->zoom;
}

void
dl_view_state_set_zoom (DlViewState *self,
                        double       zoom)
{
  g_return_if_fail (DL_IS_VIEW_STATE (self));

  if (!isfinite (zoom))
    return;
  set_double (self, &self->zoom, CLAMP (zoom, DL_ZOOM_MIN, DL_ZOOM_MAX), PROP_ZOOM);
}

gboolean
dl_view_state_get_fit (DlViewState *self)
{
  g_return_val_if_fail (DL_IS_VIEW_STATE (self), FALSE);
  return self->fit;
}

void
dl_view_state_set_fit (DlViewState *self,
                       gboolean     fit)
{
  g_return_if_fail (DL_IS_VIEW_STATE (self));
  set_boolean (self, &self->fit, fit, PROP_FIT);
}

void
dl_view_state_get_focus (DlViewState *self,
                         double      *x,
                         double      *y)
{
  g_return_if_fail (DL_IS_VIEW_STATE (self));
  *x = self->focus_x;
  *y = self->focus_y;
}

void
dl_view_state_set_focus (DlViewState *self,
                         double       x,
                         double       y)
{
  g_return_if_fail (DL_IS_VIEW_STATE (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_double (self, &self->focus_x, x, PROP_FOCUS_X);
  set_double (self, &self->focus_y, y, PROP_FOCUS_Y);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Zooms by @factor keeping the image point (@image_x, @image_y) where it is
 * on screen, as the wheel does under the cursor.  Leaves fit mode. */
void
dl_view_state_zoom_at (DlViewState *self,
                       double       factor,
                       double       image_x,
                       double       image_y)
{
  double old_zoom, new_zoom, keep;

  g_return_if_fail (DL_IS_VIEW_STATE (self));

  old_zoom = self->zoom;
  new_zoom = CLAMP (old_zoom * factor, DL_ZOOM_MIN, DL_ZOOM_MAX);
  keep = old_zoom / new_zoom;

  g_object_freeze_notify (G_OBJECT (self));
  dl_view_state_set_fit (self, FALSE);
  dl_view_state_set_focus (self,
                           image_x + (self->focus_x - image_x) * keep,
                           image_y + (self->focus_y - image_y) * keep);
  dl_view_state_set_zoom (self, new_zoom);
  g_object_thaw_notify (G_OBJECT (self));
}
