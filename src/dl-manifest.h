/* dl-manifest.h — a cargo manifest: what is declared to be in the
 * containers or the trailer, as the project's JSON form and UN/EDIFACT
 * CUSCAR.
 *
 * The JSON form ("format": "doorlicht-manifest/1"):
 *
 *   {
 *     "format": "doorlicht-manifest/1",
 *     "message_id": "DL00000042",            document number (BGM)
 *     "date": "2026-11-22",                  document date (DTM 137)
 *     "transport": { "mode": "sea" | "road", "conveyance": "vessel or vehicle",
 *                    "voyage": "voyage or trip number" },
 *     "port_of_loading": "CNSHA", "port_of_discharge": "NLRTM",   UN/LOCODE
 *     "consignor": "…", "consignee": "…", "carrier": "…",
 *     "containers": [ { "number": "DLTU1234563",   ISO 6346, check digit included
 *                       "size_type": "42G1",      ISO 6346 size/type code
 *                       "full": true,
 *                       "seals": ["SL123456"] } ],
 *     "goods": [ { "item": 1, "container": "DLTU1234563",
 *                  "hs_code": "401110",           Harmonized System, 4–10 digits
 *                  "description": "New pneumatic tyres for cars",
 *                  "packages": 120, "package_kind": "PK",   UN/ECE rec. 21 code
 *                  "gross_kg": 1080.0 } ]
 *   }
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DL_MANIFEST_FORMAT "doorlicht-manifest/1"

#define DL_MANIFEST_ERROR (dl_manifest_error_quark ())

typedef enum
{
  DL_MANIFEST_ERROR_INVALID,
} DlManifestError;

GQuark dl_manifest_error_quark (void);

typedef struct
{
  char     *number;
  char     *size_type;
  gboolean  full;
  GStrv     seals;
} DlManifestContainer;

typedef struct
{
  guint     item;
  char     *container;
  char     *hs_code;
  char     *description;
  guint     packages;
  char     *package_kind;
  double    gross_kg;
} DlManifestGoods;

typedef struct
{
  char      *message_id;
  char      *date;
  char      *transport_mode;
  char      *conveyance;
  char      *voyage;
  char      *port_of_loading;
  char      *port_of_discharge;
  char      *consignor;
  char      *consignee;
  char      *carrier;
  GPtrArray *containers;   /* DlManifestContainer */
  GPtrArray *goods;        /* DlManifestGoods */
} DlManifest;

DlManifest          *dl_manifest_new            (void);
void                 dl_manifest_free           (DlManifest        *self);
DlManifestContainer *dl_manifest_add_container  (DlManifest        *self,
                                                 const char        *number,
                                                 const char        *size_type,
                                                 gboolean           full);
DlManifestGoods     *dl_manifest_add_goods      (DlManifest        *self,
                                                 const char        *container,
                                                 const char        *hs_code,
                                                 const char        *description,
                                                 guint              packages,
                                                 const char        *package_kind,
                                                 double             gross_kg);
double               dl_manifest_total_gross_kg (const DlManifest  *self);

char                *dl_manifest_to_json        (const DlManifest  *self);
DlManifest          *dl_manifest_from_json      (const char        *json,
                                                 GError           **error);
char                *dl_manifest_to_cuscar      (const DlManifest  *self);

/* ISO 6346 container numbers: 4 letters (owner, category), 6 digits, check digit */
int                  dl_iso6346_check_digit     (const char        *first_ten);
gboolean             dl_iso6346_is_valid        (const char        *number);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlManifest, dl_manifest_free)

G_END_DECLS
