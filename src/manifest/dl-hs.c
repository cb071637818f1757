/* dl-hs.c — Harmonized System chapters and what they look like in X-ray.
 *
 * The names are this project's own short wording of the HS 2022 chapter
 * titles.  The materials are what the dual-energy classes show for the
 * bulk of a chapter's goods (dl-material.h): organic for low atomic
 * number, inorganic for glass, stone, ceramics and aluminium (which the
 * ratio puts with them), metal for iron and heavier.  A chapter whose
 * goods go either way is "mixed"; so is anything unknown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-hs"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dl-hs.h"

typedef struct
{
  const char   *name;
  DlHsMaterial  material;
} Chapter;

/* Chapters 01–99, by number − 1.  77 is reserved in the nomenclature;
 * 98 and 99 are left to national use (99 appears in trade statistics). */
static const Chapter chapters[99] = {
  /* 01 */ { N_("Live animals"), DL_HS_MATERIAL_ORGANIC },
  /* 02 */ { N_("Meat and edible offal"), DL_HS_MATERIAL_ORGANIC },
  /* 03 */ { N_("Fish, crustaceans and molluscs"), DL_HS_MATERIAL_ORGANIC },
  /* 04 */ { N_("Dairy, eggs, honey and other animal foods"), DL_HS_MATERIAL_ORGANIC },
  /* 05 */ { N_("Other products of animal origin"), DL_HS_MATERIAL_ORGANIC },
  /* 06 */ { N_("Live plants and cut flowers"), DL_HS_MATERIAL_ORGANIC },
  /* 07 */ { N_("Vegetables, roots and tubers"), DL_HS_MATERIAL_ORGANIC },
  /* 08 */ { N_("Fruit and nuts"), DL_HS_MATERIAL_ORGANIC },
  /* 09 */ { N_("Coffee, tea, maté and spices"), DL_HS_MATERIAL_ORGANIC },
  /* 10 */ { N_("Cereals"), DL_HS_MATERIAL_ORGANIC },
  /* 11 */ { N_("Milling products, malt and starches"), DL_HS_MATERIAL_ORGANIC },
  /* 12 */ { N_("Oil seeds, grains and fodder plants"), DL_HS_MATERIAL_ORGANIC },
  /* 13 */ { N_("Gums, resins and plant extracts"), DL_HS_MATERIAL_ORGANIC },
  /* 14 */ { N_("Plaiting materials and other plant products"), DL_HS_MATERIAL_ORGANIC },
  /* 15 */ { N_("Animal and vegetable fats and oils"), DL_HS_MATERIAL_ORGANIC },
  /* 16 */ { N_("Preparations of meat, fish or insects"), DL_HS_MATERIAL_ORGANIC },
  /* 17 */ { N_("Sugars and confectionery"), DL_HS_MATERIAL_ORGANIC },
  /* 18 */ { N_("Cocoa and cocoa preparations"), DL_HS_MATERIAL_ORGANIC },
  /* 19 */ { N_("Preparations of cereals, flour or milk; bakery goods"), DL_HS_MATERIAL_ORGANIC },
  /* 20 */ { N_("Preparations of vegetables, fruit or nuts"), DL_HS_MATERIAL_ORGANIC },
  /* 21 */ { N_("Miscellaneous food preparations"), DL_HS_MATERIAL_ORGANIC },
  /* 22 */ { N_("Beverages, spirits and vinegar"), DL_HS_MATERIAL_ORGANIC },
  /* 23 */ { N_("Food industry residues and animal feed"), DL_HS_MATERIAL_ORGANIC },
  /* 24 */ { N_("Tobacco and nicotine products"), DL_HS_MATERIAL_ORGANIC },
  /* 25 */ { N_("Salt, sulphur, earths, stone, lime and cement"), DL_HS_MATERIAL_INORGANIC },
  /* 26 */ { N_("Ores, slag and ash"), DL_HS_MATERIAL_MIXED },
  /* 27 */ { N_("Mineral fuels and oils"), DL_HS_MATERIAL_ORGANIC },
  /* 28 */ { N_("Inorganic chemicals"), DL_HS_MATERIAL_MIXED },
  /* 29 */ { N_("Organic chemicals"), DL_HS_MATERIAL_ORGANIC },
  /* 30 */ { N_("Pharmaceutical products"), DL_HS_MATERIAL_ORGANIC },
  /* 31 */ { N_("Fertilisers"), DL_HS_MATERIAL_MIXED },
  /* 32 */ { N_("Dyes, pigments, paints and inks"), DL_HS_MATERIAL_MIXED },
  /* 33 */ { N_("Essential oils, perfumes and cosmetics"), DL_HS_MATERIAL_ORGANIC },
  /* 34 */ { N_("Soap, detergents, waxes and candles"), DL_HS_MATERIAL_ORGANIC },
  /* 35 */ { N_("Proteins, modified starches, glues and enzymes"), DL_HS_MATERIAL_ORGANIC },
  /* 36 */ { N_("Explosives, fireworks and matches"), DL_HS_MATERIAL_ORGANIC },
  /* 37 */ { N_("Photographic and cinematographic goods"), DL_HS_MATERIAL_MIXED },
  /* 38 */ { N_("Other chemical products"), DL_HS_MATERIAL_MIXED },
  /* 39 */ { N_("Plastics and articles thereof"), DL_HS_MATERIAL_ORGANIC },
  /* 40 */ { N_("Rubber and articles thereof"), DL_HS_MATERIAL_ORGANIC },
  /* 41 */ { N_("Raw hides, skins and leather"), DL_HS_MATERIAL_ORGANIC },
  /* 42 */ { N_("Leather goods, bags and travel goods"), DL_HS_MATERIAL_ORGANIC },
  /* 43 */ { N_("Furskins and artificial fur"), DL_HS_MATERIAL_ORGANIC },
  /* 44 */ { N_("Wood and articles of wood; charcoal"), DL_HS_MATERIAL_ORGANIC },
  /* 45 */ { N_("Cork and articles of cork"), DL_HS_MATERIAL_ORGANIC },
  /* 46 */ { N_("Basketwork and wickerwork"), DL_HS_MATERIAL_ORGANIC },
  /* 47 */ { N_("Wood pulp and recovered paper"), DL_HS_MATERIAL_ORGANIC },
  /* 48 */ { N_("Paper and paperboard, and articles thereof"), DL_HS_MATERIAL_ORGANIC },
  /* 49 */ { N_("Printed books, newspapers and pictures"), DL_HS_MATERIAL_ORGANIC },
  /* 50 */ { N_("Silk"), DL_HS_MATERIAL_ORGANIC },
  /* 51 */ { N_("Wool and animal hair"), DL_HS_MATERIAL_ORGANIC },
  /* 52 */ { N_("Cotton"), DL_HS_MATERIAL_ORGANIC },
  /* 53 */ { N_("Other vegetable textile fibres"), DL_HS_MATERIAL_ORGANIC },
  /* 54 */ { N_("Man-made filaments"), DL_HS_MATERIAL_ORGANIC },
  /* 55 */ { N_("Man-made staple fibres"), DL_HS_MATERIAL_ORGANIC },
  /* 56 */ { N_("Wadding, felt, nonwovens, twine and rope"), DL_HS_MATERIAL_ORGANIC },
  /* 57 */ { N_("Carpets and other textile floor coverings"), DL_HS_MATERIAL_ORGANIC },
  /* 58 */ { N_("Special woven fabrics, lace and embroidery"), DL_HS_MATERIAL_ORGANIC },
  /* 59 */ { N_("Coated and technical textile fabrics"), DL_HS_MATERIAL_ORGANIC },
  /* 60 */ { N_("Knitted or crocheted fabrics"), DL_HS_MATERIAL_ORGANIC },
  /* 61 */ { N_("Knitted or crocheted clothing"), DL_HS_MATERIAL_ORGANIC },
  /* 62 */ { N_("Clothing, not knitted or crocheted"), DL_HS_MATERIAL_ORGANIC },
  /* 63 */ { N_("Other made-up textile articles; worn clothing"), DL_HS_MATERIAL_ORGANIC },
  /* 64 */ { N_("Footwear"), DL_HS_MATERIAL_ORGANIC },
  /* 65 */ { N_("Headgear"), DL_HS_MATERIAL_ORGANIC },
  /* 66 */ { N_("Umbrellas, walking sticks and whips"), DL_HS_MATERIAL_MIXED },
  /* 67 */ { N_("Feathers, down, artificial flowers and human hair"), DL_HS_MATERIAL_ORGANIC },
  /* 68 */ { N_("Articles of stone, plaster, cement or mica"), DL_HS_MATERIAL_INORGANIC },
  /* 69 */ { N_("Ceramic products"), DL_HS_MATERIAL_INORGANIC },
  /* 70 */ { N_("Glass and glassware"), DL_HS_MATERIAL_INORGANIC },
  /* 71 */ { N_("Pearls, precious stones and precious metals"), DL_HS_MATERIAL_MIXED },
  /* 72 */ { N_("Iron and steel"), DL_HS_MATERIAL_METAL },
  /* 73 */ { N_("Articles of iron or steel"), DL_HS_MATERIAL_METAL },
  /* 74 */ { N_("Copper and articles thereof"), DL_HS_MATERIAL_METAL },
  /* 75 */ { N_("Nickel and articles thereof"), DL_HS_MATERIAL_METAL },
  /* 76 */ { N_("Aluminium and articles thereof"), DL_HS_MATERIAL_INORGANIC },
  /* 77 */ { N_("(Reserved for future use)"), DL_HS_MATERIAL_MIXED },
  /* 78 */ { N_("Lead and articles thereof"), DL_HS_MATERIAL_METAL },
  /* 79 */ { N_("Zinc and articles thereof"), DL_HS_MATERIAL_METAL },
  /* 80 */ { N_("Tin and articles thereof"), DL_HS_MATERIAL_METAL },
  /* 81 */ { N_("Other base metals and cermets"), DL_HS_MATERIAL_METAL },
  /* 82 */ { N_("Tools, cutlery and implements of base metal"), DL_HS_MATERIAL_METAL },
  /* 83 */ { N_("Miscellaneous articles of base metal"), DL_HS_MATERIAL_METAL },
  /* 84 */ { N_("Machinery and mechanical appliances"), DL_HS_MATERIAL_METAL },
  /* 85 */ { N_("Electrical machinery and equipment"), DL_HS_MATERIAL_METAL },
  /* 86 */ { N_("Railway and tramway equipment"), DL_HS_MATERIAL_METAL },
  /* 87 */ { N_("Vehicles other than railway rolling stock"), DL_HS_MATERIAL_METAL },
  /* 88 */ { N_("Aircraft and spacecraft"), DL_HS_MATERIAL_MIXED },
  /* 89 */ { N_("Ships and boats"), DL_HS_MATERIAL_METAL },
  /* 90 */ { N_("Optical, measuring and medical instruments"), DL_HS_MATERIAL_MIXED },
  /* 91 */ { N_("Clocks and watches"), DL_HS_MATERIAL_MIXED },
  /* 92 */ { N_("Musical instruments"), DL_HS_MATERIAL_MIXED },
  /* 93 */ { N_("Arms and ammunition"), DL_HS_MATERIAL_METAL },
  /* 94 */ { N_("Furniture, bedding, lamps and prefabricated buildings"), DL_HS_MATERIAL_MIXED },
  /* 95 */ { N_("Toys, games and sports equipment"), DL_HS_MATERIAL_MIXED },
  /* 96 */ { N_("Miscellaneous manufactured articles"), DL_HS_MATERIAL_MIXED },
  /* 97 */ { N_("Works of art and antiques"), DL_HS_MATERIAL_MIXED },
  /* 98 */ { N_("(Reserved for national use)"), DL_HS_MATERIAL_MIXED },
  /* 99 */ { N_("Goods not classified by kind"), DL_HS_MATERIAL_MIXED },
};

typedef struct
{
  const char   *prefix;   /* heading (4 digits) or subheading (6) */
  DlHsMaterial  material;
} Override;

/* Headings and subheadings whose goods look unlike their chapter's. */
static const Override overrides[] = {
  { "2203", DL_HS_MATERIAL_MIXED },      /* beer: glass bottles, cans */
  { "2204", DL_HS_MATERIAL_MIXED },      /* wine: glass bottles */
  { "2205", DL_HS_MATERIAL_MIXED },      /* vermouth */
  { "2206", DL_HS_MATERIAL_MIXED },      /* cider and other fermented drinks */
  { "2208", DL_HS_MATERIAL_MIXED },      /* spirits: glass bottles */
  { "2501", DL_HS_MATERIAL_INORGANIC },  /* salt */
  { "2710", DL_HS_MATERIAL_ORGANIC },    /* petroleum oils */
  { "2801", DL_HS_MATERIAL_INORGANIC },  /* halogens */
  { "2818", DL_HS_MATERIAL_INORGANIC },  /* corundum, alumina */
  { "2836", DL_HS_MATERIAL_INORGANIC },  /* carbonates */
  { "3102", DL_HS_MATERIAL_ORGANIC },    /* nitrogen fertilisers: urea, nitrates */
  { "3104", DL_HS_MATERIAL_INORGANIC },  /* potash */
  { "3208", DL_HS_MATERIAL_ORGANIC },    /* paints on synthetic polymers */
  { "3209", DL_HS_MATERIAL_ORGANIC },
  { "3824", DL_HS_MATERIAL_INORGANIC },  /* binders for foundry moulds, mortars */
  { "4011", DL_HS_MATERIAL_MIXED },      /* new tyres: steel belts and beads */
  { "4012", DL_HS_MATERIAL_MIXED },      /* retreaded and used tyres */
  { "7113", DL_HS_MATERIAL_METAL },      /* jewellery of precious metal */
  { "7114", DL_HS_MATERIAL_METAL },
  { "7118", DL_HS_MATERIAL_METAL },      /* coin */
  { "7108", DL_HS_MATERIAL_METAL },      /* gold */
  { "7106", DL_HS_MATERIAL_METAL },      /* silver */
  { "8523", DL_HS_MATERIAL_MIXED },      /* recording media */
  { "8471", DL_HS_MATERIAL_MIXED },      /* computers: plastics, boards, steel */
  { "8517", DL_HS_MATERIAL_MIXED },      /* telephones */
  { "8528", DL_HS_MATERIAL_MIXED },      /* monitors and television sets */
  { "8539", DL_HS_MATERIAL_MIXED },      /* lamps */
  { "8544", DL_HS_MATERIAL_METAL },      /* insulated wire and cable: copper */
  { "8712", DL_HS_MATERIAL_METAL },      /* bicycles */
  { "9401", DL_HS_MATERIAL_MIXED },      /* seats */
  { "940330", DL_HS_MATERIAL_ORGANIC },  /* wooden furniture */
  { "940340", DL_HS_MATERIAL_ORGANIC },
  { "940350", DL_HS_MATERIAL_ORGANIC },
  { "940360", DL_HS_MATERIAL_ORGANIC },
  { "940310", DL_HS_MATERIAL_METAL },    /* metal furniture */
  { "940320", DL_HS_MATERIAL_METAL },
  { "9404", DL_HS_MATERIAL_ORGANIC },    /* mattresses, bedding */
  { "9406", DL_HS_MATERIAL_METAL },      /* prefabricated buildings */
  { "9503", DL_HS_MATERIAL_ORGANIC },    /* toys */
};

/* The digits of @hs_code, spaces and dots skipped, in @out (up to 10);
 * FALSE when anything else is in it or fewer than two digits. */
static gboolean
digits_of (const char *hs_code,
           char       *out,
           gsize       size)
{
  gsize n = 0;

  if (hs_code == NULL)
    return FALSE;
  for (const char *p = hs_code; *p; p++)
    {
      if (*p == ' ' || *p == '.')
        continue;
      if (!g_ascii_isdigit (*p) || n + 1 >= size)
        return FALSE;
      out[n++] = *p;
    }
  out[n] = '\0';
  return n >= 2;
}

guint
dl_hs_chapter (const char *hs_code)
{
  char digits[16];

  if (!digits_of (hs_code, digits, sizeof digits))
    return 0;
  return (digits[0] - '0') * 10 + (digits[1] - '0');
}

const char *
dl_hs_chapter_name (const char *hs_code)
{
  guint chapter = dl_hs_chapter (hs_code);

  if (chapter < 1 || chapter > G_N_ELEMENTS (chapters))
    return NULL;
  return _(chapters[chapter - 1].name);
}

char *
dl_hs_describe (const char *hs_code)
{
  const char *name = dl_hs_chapter_name (hs_code);

  if (name == NULL)
    return NULL;
  /* TRANSLATORS: an HS chapter number and its name, "40 Rubber and articles thereof" */
  return g_strdup_printf (_("%02u %s"), dl_hs_chapter (hs_code), name);
}

DlHsMaterial
dl_hs_expected_material (const char *hs_code)
{
  char digits[16];
  gsize best = 0;
  DlHsMaterial material = DL_HS_MATERIAL_MIXED;
  guint chapter = dl_hs_chapter (hs_code);

  if (chapter < 1 || chapter > G_N_ELEMENTS (chapters))
    return DL_HS_MATERIAL_MIXED;
  digits_of (hs_code, digits, sizeof digits);
  material = chapters[chapter - 1].material;
  /* the longest override that is a prefix of the code */
  for (guint i = 0; i < G_N_ELEMENTS (overrides); i++)
    {
      gsize len = strlen (overrides[i].prefix);

      if (len > best && g_str_has_prefix (digits, overrides[i].prefix))
        {
          best = len;
          material = overrides[i].material;
        }
    }
  return material;
}

const char *
dl_hs_material_to_string (DlHsMaterial material)
{
  static const char *names[] = { "mixed", "organic", "inorganic", "metal" };

  g_return_val_if_fail (material < G_N_ELEMENTS (names), "mixed");
  return names[material];
}

const char *
dl_hs_material_display_name (DlHsMaterial material)
{
  static const char *names[] = { N_("mixed or unknown"), N_("organic"), N_("inorganic"), N_("metal") };

  g_return_val_if_fail (material < G_N_ELEMENTS (names), _(names[0]));
  return _(names[material]);
}
