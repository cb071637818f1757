/* dl-hs.h — Harmonized System (HS 2022) chapters: a short name for each,
 * and the material class their goods show under a dual-energy X-ray.
 *
 * A code is looked up by its digits (spaces and dots ignored): the first
 * two give the chapter, and headings (4 digits) or subheadings (6) that
 * differ from their chapter override it — tyres are rubber with steel
 * belts, wine comes in glass, aluminium shows as light inorganic.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a dual-energy scanner is expected to see of a chapter's goods. */
typedef enum
{
  DL_HS_MATERIAL_MIXED = 0,   /* mixed or unknown: anything goes */
  DL_HS_MATERIAL_ORGANIC,     /* low Z: food, plastics, wood, paper, textiles */
  DL_HS_MATERIAL_INORGANIC,   /* light inorganic: stone, ceramics, glass, aluminium */
  DL_HS_MATERIAL_METAL,       /* iron, steel, copper and heavier */
} DlHsMaterial;

#define DL_HS_N_MATERIALS (DL_HS_MATERIAL_METAL + 1)

/* The chapter number (1–99) of @hs_code, or 0 when it does not start with
 * two digits. */
guint        dl_hs_chapter                (const char   *hs_code);
/* The chapter's short name, translated; NULL for a code without a chapter
 * or a chapter the nomenclature does not have. */
const char  *dl_hs_chapter_name           (const char   *hs_code);
/* "40 Rubber and articles thereof", translated; NULL as above. */
char        *dl_hs_describe               (const char   *hs_code);
/* The expected material: the most specific heading or chapter entry;
 * DL_HS_MATERIAL_MIXED for an unknown code. */
DlHsMaterial dl_hs_expected_material      (const char   *hs_code);
/* "organic", "inorganic", "metal", "mixed" (not translated: for files). */
const char  *dl_hs_material_to_string     (DlHsMaterial  material);
/* Translated, for people. */
const char  *dl_hs_material_display_name  (DlHsMaterial  material);

G_END_DECLS
