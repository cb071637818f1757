/* dl-synth-test-object.c — the generator's step-wedge test object, after
 * the test objects of IEC 62523 and ANSI N42.46 for cargo scanners: step
 * wedges of an organic (polyethylene, water, wood), light inorganic
 * (aluminium, glass), steel and lead, a steel penetration series and a
 * steel contrast-sensitivity series, in millimetres.
 *
 * The steps of each wedge run from about 0.3 to 7 of high-energy
 * attenuation at 3 MeV (6 at 4 MeV), the range a material calibration needs; the
 * penetration plates from 50 to 400 mm of steel with a 10 mm steel
 * feature behind each; the contrast series a 150 mm steel plate with
 * features of 1 to 8 mm.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-synth"

#include "config.h"

#include <string.h>

#include "dl-synth.h"
#include "dl-synth-private.h"

#define N_STEPS 13

typedef struct
{
  DlMaterial material;
  double     steps_mm[N_STEPS];
} Wedge;

static const Wedge wedges[] = {
  { DL_MATERIAL_POLYETHYLENE, { 80, 130, 200, 260, 400, 520, 650, 780, 920, 1050, 1300, 1570, 1830 } },
  { DL_MATERIAL_WATER,        { 75, 125, 190, 250, 380, 500, 630, 750, 880, 1000, 1250, 1510, 1760 } },
  { DL_MATERIAL_WOOD,         { 130, 220, 330, 440, 650, 870, 1080, 1300, 1520, 1730, 2170, 2600, 3030 } },
  { DL_MATERIAL_ALUMINIUM,    { 30, 50, 80, 105, 155, 210, 260, 315, 365, 420, 525, 630, 735 } },
  { DL_MATERIAL_GLASS,        { 35, 55, 85, 110, 165, 220, 275, 335, 390, 445, 555, 665, 775 } },
  { DL_MATERIAL_STEEL,        { 11, 18, 26, 35, 53, 70, 88, 105, 123, 140, 175, 210, 245 } },
  { DL_MATERIAL_LEAD,         { 6, 10, 16, 21, 31, 42, 52, 62, 73, 83, 104, 125, 146 } },
};

static const double penetration_mm[] = { 50, 100, 150, 200, 250, 300, 350, 400 };
static const double contrast_mm[] = { 1, 2, 3, 4, 6, 8 };

#define ROW_MM       400.0   /* a series every 400 mm from the top */
#define HEIGHT_MM    300.0
#define STEP_MM      200.0
#define PLATE_MM     200.0
#define GAP_MM        50.0
#define FEATURE_MM    50.0

static guint
material_of (DlTestObject *t,
             DlMaterial    m,
             guint        *index)
{
  const DlMaterialInfo *info = dl_material_get (m);

  if (index[m] == G_MAXUINT)
    index[m] = dl_test_object_add_material (t, info->name, info->density,
                                            info->klass);
  return index[m];
}

static void
add_plates (DlTestObject     *t,
            DlTestSeriesKind  kind,
            guint             steel,
            double            y,
            const double     *plates,
            const double     *features,
            guint             n)
{
  DlTestSeries *s = dl_test_object_add_series (t, kind, steel);

  s->y_mm = y;
  s->block_width_mm = PLATE_MM;
  s->height_mm = HEIGHT_MM;
  s->gap_mm = GAP_MM;
  s->n_blocks = n;
  s->feature_size_mm = FEATURE_MM;
  for (guint b = 0; b < n; b++)
    {
      s->thickness_mm[b] = plates[kind == DL_TEST_SERIES_CONTRAST ? 0 : b];
      s->feature_mm[b] = features[kind == DL_TEST_SERIES_CONTRAST ? b : 0];
    }
}

DlTestObject *
dl_synth_test_object (void)
{
  DlTestObject *t = dl_test_object_new ("Doorlicht step-wedge test object");
  static const double steel_10[] = { 10 }, steel_150[] = { 150 };
  guint index[DL_N_MATERIALS];
  guint row = 0, steel;

  memset (index, 0xff, sizeof index);
  for (guint w = 0; w < G_N_ELEMENTS (wedges); w++, row++)
    {
      DlTestSeries *s = dl_test_object_add_series (t, DL_TEST_SERIES_WEDGE,
                                                   material_of (t, wedges[w].material, index));

      s->y_mm = row * ROW_MM;
      s->block_width_mm = STEP_MM;
      s->height_mm = HEIGHT_MM;
      s->gap_mm = GAP_MM;
      s->n_blocks = N_STEPS;
      memcpy (s->thickness_mm, wedges[w].steps_mm, sizeof wedges[w].steps_mm);
    }
  steel = material_of (t, DL_MATERIAL_STEEL, index);
  add_plates (t, DL_TEST_SERIES_PENETRATION, steel, row++ * ROW_MM, penetration_mm, steel_10,
              G_N_ELEMENTS (penetration_mm));
  add_plates (t, DL_TEST_SERIES_CONTRAST, steel, row++ * ROW_MM, steel_150, contrast_mm,
              G_N_ELEMENTS (contrast_mm));
  return t;
}
