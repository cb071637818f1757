/* dl-test-object.h — a step-wedge test object, as OBJECT.json describes
 * it (format doorlicht-test-object/1, docs/scanner-profiles.md): in
 * millimetres and materials, not in pixels of one scan.
 *
 * The object stands in air, seen from the side: x to the right, y down
 * from its top, thickness along the beam.  It is a set of series, each a
 * row of rectangular blocks of one material left to right, block_width_mm
 * wide and height_mm high, gap_mm of air between them: step wedges
 * (blocks of rising thickness), a penetration series (plates of rising
 * thickness with a square feature behind each) and a contrast series
 * (plates of one thickness with features of rising thickness).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-material.h"

G_BEGIN_DECLS

#define DL_TEST_OBJECT_FORMAT "doorlicht-test-object/1"
#define DL_TEST_OBJECT_MAX_BLOCKS 64

typedef struct
{
  char            *name;       /* "steel" */
  double           density;    /* g/cm³ */
  DlMaterialClass  klass;      /* organic, inorganic, metal or heavy */
} DlTestMaterial;

typedef enum
{
  DL_TEST_SERIES_WEDGE,
  DL_TEST_SERIES_PENETRATION,
  DL_TEST_SERIES_CONTRAST,
} DlTestSeriesKind;

typedef struct
{
  DlTestSeriesKind kind;
  guint    material;             /* index into the object's materials */
  double   x_mm, y_mm;           /* the first block's top left corner */
  double   block_width_mm, height_mm, gap_mm;
  guint    n_blocks;
  double   thickness_mm[DL_TEST_OBJECT_MAX_BLOCKS];   /* along the beam */
  /* penetration and contrast series: a square feature centred on each
   * block, behind it */
  guint    feature_material;
  double   feature_size_mm;
  double   feature_mm[DL_TEST_OBJECT_MAX_BLOCKS];     /* its thickness */
} DlTestSeries;

typedef struct
{
  char      *name;
  GPtrArray *materials;   /* DlTestMaterial */
  GPtrArray *series;      /* DlTestSeries, top to bottom as listed */
} DlTestObject;

DlTestObject *dl_test_object_new         (const char          *name);
void          dl_test_object_free        (DlTestObject        *self);
guint         dl_test_object_add_material (DlTestObject       *self,
                                          const char          *name,
                                          double               density,
                                          DlMaterialClass      klass);
DlTestSeries *dl_test_object_add_series  (DlTestObject        *self,
                                          DlTestSeriesKind     kind,
                                          guint                material);
const DlTestMaterial *dl_test_object_material (const DlTestObject *self,
                                               guint               index);
/* Block @b of @series: x0, y0, x1, y1 in mm. */
void          dl_test_series_block       (const DlTestSeries  *series,
                                          guint                b,
                                          double              *box);
/* The object's extent: x0, y0, x1, y1 in mm. */
void          dl_test_object_extent      (const DlTestObject  *self,
                                          double              *box);
gboolean      dl_test_object_check       (const DlTestObject  *self,
                                          GError             **error);
DlTestObject *dl_test_object_load        (const char          *path,
                                          GError             **error);
DlTestObject *dl_test_object_from_json   (const char          *json,
                                          gssize               length,
                                          GError             **error);
char         *dl_test_object_to_json     (const DlTestObject  *self);
const char   *dl_test_series_kind_to_string (DlTestSeriesKind  kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlTestObject, dl_test_object_free)

G_END_DECLS
