/* dl-manifest.h — a cargo manifest: what is declared to be in the
 * containers or the trailer, as the project's JSON form and UN/EDIFACT
 * CUSCAR.
 *
 * The model is a reference-counted boxed type (dl_manifest_ref/unref);
 * its fields are public and owned by it (g_free'd strings, arrays that
 * free their elements).
 *
 * The model: a message (the header: document number, date, transport,
 * ports, carrier; its containers) holds consignments, each under its
 * transport document with its parties and places, each holding goods
 * items; a goods item is placed whole in one container or split over
 * several (placements).  An LCL container holds goods items of several
 * consignments; an FCL consignment may span several containers.
 *
 * The JSON form ("format": "doorlicht-manifest/2"); every member but
 * "format" may be absent or null, members not listed are ignored:
 *
 *   {
 *     "format": "doorlicht-manifest/2",
 *     "message_id": "DL00000042",            document number (BGM)
 *     "date": "2026-11-22",                  document date, YYYY-MM-DD (DTM 137)
 *     "transport": { "mode": "sea" | "road" | "rail" | "air",
 *                    "conveyance": "vessel name, or vehicle registration",
 *                    "voyage": "voyage or trip number" },
 *     "port_of_loading": "CNSHA", "port_of_discharge": "NLRTM",   UN/LOCODE
 *     "carrier": "…",
 *     "containers": [ { "number": "CSQU3054383",   ISO 6346, check digit included
 *                       "size_type": "42G1",      ISO 6346 size/type code
 *                       "full": true,             false: declared empty
 *                       "seals": ["SL123456"] } ],
 *     "consignments": [ {                    one per transport document (CUSCAR CNI)
 *         "transport_document": "MEDU1234567",  bill of lading or waybill (RFF BM/AWB …);
 *                                            left out when there is none
 *         "transport_document_kind": "BM",   its kind, the UN/EDIFACT 1153 code: BM bill
 *                                            of lading, MB master and BH house bill, AWB
 *                                            air waybill (MWB master, HWB house), AAM
 *                                            waybill, CMR road consignment note, RCN
 *                                            rail consignment note … (with the document)
 *         "consignor": "…", "consignee": "…",
 *         "notify_party": "…",               NAD NI; left out when none
 *         "place_of_loading": "CNSHA",       UN/LOCODE, where the message gives them per
 *         "place_of_discharge": "NLRTM",     consignment (LOC 9, 11, 7 in the CNI group);
 *         "place_of_delivery": "DEDUI",      each left out when none
 *         "goods": [ { "item": 1,            goods item number, ≥ 1, not repeated
 *                                            within the consignment
 *                  "container": "CSQU3054383",    null when not containerised
 *                  "hs_code": "401110",           Harmonized System, 4–10 digits
 *                  "description": "New pneumatic tyres for cars",
 *                  "packages": 120,               null when the declaration gives no
 *                                                 count (never 0 for "not given")
 *                  "package_kind": "PK",          UN/ECE rec. 21 code
 *                  "gross_kg": 1080.0,            gross mass, packaging included, as
 *                                                 declared (not rounded); null when the
 *                                                 declaration gives none that could be read
 *                  "un_number": "1090",           dangerous goods (DGS): UN number and
 *                  "hazard_class": "3",           IMDG class, both left out when none
 *                  "placements": [                split over several containers (SGP):
 *                    { "container": "CSQU3054383",  each with its package count and
 *                      "packages": 500,            gross mass where the declaration
 *                      "gross_kg": 11000.0 } ] } ] gives them (else left out, never 0);
 *       } ],                                     the first is "container"; the whole
 *                                                 member left out when the goods item
 *                                                 is whole in "container"
 *     "warnings": [ { "segment": 31,           what the reader read past (left out when
 *                     "tag": "UNT",            nothing): where in the EDIFACT interchange
 *                     "line": 31, "column": 5, (segment number from 1, tag, line, column;
 *                     "message": "UNT counts 313 segments, there are 30" } ]
 *                                              each null when not known) and what
 *   }
 *
 * Version 1 ("doorlicht-manifest/1") is still read and written where
 * asked (dl_manifest_to_json_version ()): it has one consignment's
 * "transport_document", "transport_document_kind", "consignor" and
 * "consignee" at message level and its "goods" beside "containers"; read,
 * they become one consignment.  What version 1 cannot say (a second
 * consignment, a notify party, places per consignment) is refused when
 * writing it, never dropped.
 *
 * The same as CSV (dl_manifest_to_csv): one row per goods line, and one
 * per container without goods, the header fields repeated on every row.
 * dl_manifest_load_bytes () reads any of JSON, CSV and UN/EDIFACT CUSCAR
 * (dl-cuscar.h), telling them apart by their content.
 *
 * dl_manifest_from_json () refuses what is not of this form (wrong types,
 * negative quantities); dl_manifest_validate () checks the content against
 * the rules (check digits, codes, references between goods and containers),
 * apart from reading, since a manifest breaking them is itself a finding.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <math.h>

G_BEGIN_DECLS

#define DL_MANIFEST_FORMAT "doorlicht-manifest/2"
#define DL_MANIFEST_FORMAT_1 "doorlicht-manifest/1"

#define DL_MANIFEST_ERROR (dl_manifest_error_quark ())

typedef enum
{
  DL_MANIFEST_ERROR_INVALID,       /* not the JSON form */
  DL_MANIFEST_ERROR_INCONSISTENT,  /* the form, but content breaking the rules */
  DL_MANIFEST_ERROR_TOO_LARGE,     /* a file over DL_MANIFEST_MAX_BYTES */
  DL_MANIFEST_ERROR_UNSUPPORTED,   /* a form that cannot say all of the manifest */
} DlManifestError;

GQuark dl_manifest_error_quark (void);

typedef struct
{
  char     *number;      /* ISO 6346 equipment number, e.g. "CSQU3054383" */
  char     *size_type;   /* ISO 6346 size/type code, e.g. "22G1", "42G1" */
  gboolean  full;        /* FALSE: declared empty */
  GStrv     seals;       /* never NULL */
} DlManifestContainer;

/* Something the reader read past but the analyst should know: a wrong
 * segment count, an unknown code, a weight left absent.  @segment is 0
 * (and @tag NULL) when it names no segment. */
typedef struct
{
  guint     segment;       /* in the interchange, from 1; 0: none */
  char     *tag;           /* "MEA", or NULL */
  guint     line;          /* from 1; 0: not known */
  guint     column;
  char     *message;       /* what, without the place */
} DlManifestWarning;

/* The gross mass of a goods item that the declaration does not give, or
 * gives in a form that could not be read: never 0, which is a mass. */
#define DL_MANIFEST_NO_MASS NAN
/* More than any cargo weighs (the largest ship carries some 6 × 10^8 kg):
 * a mass above it is a misread field, refused or left absent by every
 * reader (and JSON writers mangle numbers past 10^17). */
#define DL_MANIFEST_MAX_KG 1e12

/* A part of a goods item placed in one container (CUSCAR SGP, with the
 * MEA that follows it). */
typedef struct
{
  char     *container;     /* equipment number, never NULL */
  gboolean  has_packages;  /* the SGP gives a package count */
  guint     packages;      /* … this one; 0 when it gives none */
  double    gross_kg;      /* in kg; DL_MANIFEST_NO_MASS (NaN) when not given */
} DlManifestPlacement;

/* A consignment: the goods under one transport document (CUSCAR CNI
 * group), with its parties and the places given for it. */
typedef struct
{
  char     *transport_document;        /* bill of lading or waybill number, or NULL */
  char     *transport_document_kind;   /* its UN/EDIFACT 1153 code ("BM", "AWB", "AAM" …), or NULL */
  char     *consignor;
  char     *consignee;
  char     *notify_party;
  char     *place_of_loading;          /* UN/LOCODE, where given per consignment */
  char     *place_of_discharge;
  char     *place_of_delivery;
} DlManifestConsignment;

typedef struct
{
  guint     item;          /* goods item number, from 1 (within its consignment) */
  DlManifestConsignment *consignment;   /* the one it belongs to (of the same manifest) */
  char     *container;     /* equipment number, NULL when not containerised */
  char     *hs_code;
  char     *description;
  gboolean  has_packages;  /* the declaration gives a package count */
  guint     packages;      /* … this one; 0 when it gives none */
  char     *package_kind;  /* UN/ECE recommendation 21 code: PK, BG, DR, CT … */
  double    gross_kg;      /* as declared, in kg; DL_MANIFEST_NO_MASS (NaN) when not given */
  char     *un_number;     /* dangerous goods: UN number, 4 digits; NULL when none */
  char     *hazard_class;  /* dangerous goods: IMDG class, e.g. "3", "2.1" */
  GPtrArray *placements;   /* DlManifestPlacement, never NULL: the containers the goods
                            * item is split over, the first one @container; empty when
                            * it is whole in @container (or not containerised) */
} DlManifestGoods;

typedef struct
{
  char      *message_id;
  char      *date;               /* YYYY-MM-DD */
  char      *transport_mode;     /* "sea", "road", "rail", "air" */
  char      *conveyance;         /* vessel name or vehicle registration */
  char      *voyage;
  char      *port_of_loading;    /* UN/LOCODE */
  char      *port_of_discharge;
  char      *carrier;
  GPtrArray *containers;   /* DlManifestContainer */
  GPtrArray *consignments; /* DlManifestConsignment, never NULL */
  GPtrArray *goods;        /* DlManifestGoods of all consignments, each knowing its own */
  GPtrArray *warnings;     /* DlManifestWarning, in the order found; never NULL */

  /*< private >*/
  gatomicrefcount ref_count;
} DlManifest;

#define DL_TYPE_MANIFEST (dl_manifest_get_type ())
GType                dl_manifest_get_type       (void) G_GNUC_CONST;

/* The transport documents' UN/EDIFACT 1153 codes, NULL-terminated. */
const char * const  *dl_manifest_transport_document_kinds (void);
/* "Bill of lading", "Road consignment note" … (translated) for a 1153
 * code of a transport document, else NULL. */
const char          *dl_manifest_transport_document_kind_label (const char *kind);
/* "Sea", "Road", "Rail", "Air" (translated) for a transport mode, else @mode. */
const char          *dl_manifest_transport_mode_label (const char *mode);
DlManifest          *dl_manifest_new            (void);
DlManifest          *dl_manifest_ref            (DlManifest        *self);
void                 dl_manifest_unref          (DlManifest        *self);
/* The same as dl_manifest_unref (). */
void                 dl_manifest_free           (DlManifest        *self);

DlManifestContainer *dl_manifest_add_container  (DlManifest        *self,
                                                 const char        *number,
                                                 const char        *size_type,
                                                 gboolean           full);
/* Appends a consignment; goods items added after it belong to it. */
DlManifestConsignment *dl_manifest_add_consignment (DlManifest     *self);
/* The consignment goods items are added to: the last one, added when
 * there is none. */
DlManifestConsignment *dl_manifest_current_consignment (DlManifest *self);
/* "The" consignment for callers that want one: the first, or NULL. */
const DlManifestConsignment *dl_manifest_main_consignment (const DlManifest *self);
/* The first consignment's fields, NULL when there is none. */
const char          *dl_manifest_get_consignor  (const DlManifest  *self);
const char          *dl_manifest_get_consignee  (const DlManifest  *self);
const char          *dl_manifest_get_transport_document (const DlManifest *self);
const char          *dl_manifest_get_transport_document_kind (const DlManifest *self);
/* How many goods items @consignment holds. */
guint                dl_manifest_consignment_n_goods (const DlManifest            *self,
                                                      const DlManifestConsignment *consignment);
/* Appends a goods item to the current consignment, with @packages given. */
DlManifestGoods     *dl_manifest_add_goods      (DlManifest        *self,
                                                 const char        *container,
                                                 const char        *hs_code,
                                                 const char        *description,
                                                 guint              packages,
                                                 const char        *package_kind,
                                                 double             gross_kg);
/* Appends a placement of @goods in @container (the first one also sets
 * @goods->container when it has none); @packages −1 when not given,
 * @gross_kg DL_MANIFEST_NO_MASS. */
DlManifestPlacement *dl_manifest_goods_add_placement (DlManifestGoods *goods,
                                                      const char      *container,
                                                      gint64           packages,
                                                      double           gross_kg);
/* Whether @goods is (in whole or in part) in @container. */
gboolean             dl_manifest_goods_in_container  (const DlManifestGoods *goods,
                                                      const char            *container);
DlManifestContainer *dl_manifest_find_container (const DlManifest  *self,
                                                 const char        *number);
/* Appends a warning; @tag may be NULL (and @segment, @line 0). */
DlManifestWarning   *dl_manifest_add_warning    (DlManifest        *self,
                                                 guint              segment,
                                                 const char        *tag,
                                                 guint              line,
                                                 guint              column,
                                                 const char        *message);
/* The warnings of a message read (DlManifestWarning), a manifest's or a
 * bay plan's: a new list, a warning appended, the list in segment order
 * (warnings of one segment keep theirs). */
GPtrArray           *dl_manifest_warnings_new   (void);
DlManifestWarning   *dl_manifest_warnings_add   (GPtrArray         *warnings,
                                                 guint              segment,
                                                 const char        *tag,
                                                 guint              line,
                                                 guint              column,
                                                 const char        *message);
void                 dl_manifest_warnings_sort  (GPtrArray         *warnings);
/* "segment 31 (UNT) at line 31, column 5: UNT counts …", or the message
 * alone when it names no segment (translated). */
char                *dl_manifest_warning_to_string (const DlManifestWarning *warning);
gboolean             dl_manifest_goods_has_mass (const DlManifestGoods *goods);
/* The sum of the goods items' gross mass; DL_MANIFEST_NO_MASS when any
 * of them has none (a sum of the rest would pass for the whole). */
double               dl_manifest_total_gross_kg (const DlManifest  *self);
/* How many goods items have no gross mass. */
guint                dl_manifest_n_goods_without_mass (const DlManifest *self);
/* A number as the shortest text that reads back as the same double, in
 * the C locale ("1250.75", "987.654", "1080"): for machine formats. */
char                *dl_manifest_format_number  (double             value);
guint                dl_manifest_total_packages (const DlManifest  *self);

/* Checks the content (DL_MANIFEST_ERROR_INCONSISTENT naming the first
 * problem): a message id; a known transport mode; a valid YYYY-MM-DD date
 * when given; container numbers valid under ISO 6346 and not repeated;
 * four-character size/type codes; goods items numbered from 1 without
 * repeats within their consignment, each of a consignment of the
 * manifest, with a 4–10 digit HS code, a package count of at least one, a positive
 * mass, and a container listed in the manifest (when there are
 * containers); no goods in a container declared empty; placements in
 * listed containers, with no more packages and no more mass between
 * them than the goods item has. */
gboolean             dl_manifest_validate       (const DlManifest  *self,
                                                 GError           **error);

/* The JSON form, version 2. */
char                *dl_manifest_to_json        (const DlManifest  *self);
/* The JSON form of @version 1 or 2; NULL with DL_MANIFEST_ERROR_UNSUPPORTED
 * when version 1 cannot say all of it (several consignments, a notify
 * party, places per consignment). */
char                *dl_manifest_to_json_version (const DlManifest *self,
                                                  guint             version,
                                                  GError          **error);
DlManifest          *dl_manifest_from_json      (const char        *json,
                                                 GError           **error);
/* One UN/EDIFACT interchange holding one CUSCAR (D.95B) message. */
char                *dl_manifest_to_cuscar      (const DlManifest  *self);

/* ISO 6346 container numbers: owner code (3 letters), equipment category
 * (U, J or Z), 6-digit serial number, check digit.  The check digit of the
 * first ten characters, or −1 unless they are four capital letters and six
 * digits. */
int                  dl_iso6346_check_digit     (const char        *first_ten);
gboolean             dl_iso6346_is_valid        (const char        *number);

/* ISO 6346 size/type codes (the 1995 four-character form, "42G1"): the
 * first character the length, the second width and height, the last two
 * the type.  FALSE unless @code is such a code with a known length and
 * height and a known type group. */
typedef enum
{
  DL_CONTAINER_GENERAL,       /* G: general purpose */
  DL_CONTAINER_VENTILATED,    /* V */
  DL_CONTAINER_BULK,          /* B: dry bulk */
  DL_CONTAINER_NAMED_CARGO,   /* S: livestock, cars … */
  DL_CONTAINER_REFRIGERATED,  /* R */
  DL_CONTAINER_INSULATED,     /* H: insulated or heated */
  DL_CONTAINER_OPEN_TOP,      /* U0 … U5 */
  DL_CONTAINER_HARD_TOP,      /* U6 */
  DL_CONTAINER_PLATFORM,      /* P: platforms and flat racks */
  DL_CONTAINER_TANK,          /* T0 … T6: liquids */
  DL_CONTAINER_GAS_TANK,      /* T7 … T9 */
  DL_CONTAINER_AIR_SURFACE,   /* A */
} DlContainerGroup;

typedef struct
{
  guint             length_mm;     /* 6058 for 20 ft */
  guint             height_mm;     /* 2591 for 8 ft 6 in; the upper bound for "4 ft or less" */
  gboolean          height_over;   /* the height is more than height_mm (code 6, F, P) */
  gboolean          wide;          /* wider than 2438 mm (codes C … F, L … P) */
  DlContainerGroup  group;
} DlContainerSizeType;

gboolean             dl_iso6346_decode_size_type   (const char          *code,
                                                    DlContainerSizeType *out);
/* A short translated description, "40 ft, 8 ft 6 in high, general
 * purpose", or NULL when the code cannot be decoded. */
char                *dl_iso6346_describe_size_type (const char          *code);

/* ---- other forms (dl-manifest-io.c) ---- */

#define DL_MANIFEST_MAX_BYTES (64u << 20)

/* The CSV form (RFC 4180, CRLF line ends, UTF-8), columns:
 *   message_id, date, transport_mode, conveyance, voyage, port_of_loading,
 *   port_of_discharge, consignor, consignee, carrier, transport_document,
 *   transport_document_kind, item, container, hs_code, description, packages, package_kind,
 *   gross_kg, un_number, hazard_class, size_type, full, seals, placements,
 *   notify_party, place_of_loading, place_of_discharge, place_of_delivery,
 *   consignment
 * where size_type, full ("true"/"false") and seals (separated by ";")
 * describe the row's container, and consignor, consignee, transport_document,
 * transport_document_kind, notify_party and the place_of_ columns the
 * goods line's consignment, numbered (from 1) in "consignment": rows of
 * one number are one consignment (and must describe it alike); without a
 * number, rows with the same transport document, parties and places are.  An empty packages field is no count (not
 * 0).  A row with no item is a container without goods.  The reader takes the columns in any order, by name,
 * and ignores unknown ones; "item" is required. */
char                *dl_manifest_to_csv            (const DlManifest    *self);
DlManifest          *dl_manifest_from_csv          (const char          *csv,
                                                    gsize                len,
                                                    GError             **error);

/* One or more DlManifest (the array frees them) from JSON (one object, or
 * a list of them), CSV or UN/EDIFACT CUSCAR (one per message), the format
 * told by the content, never by the file name. */
GPtrArray           *dl_manifest_load_bytes        (const char          *data,
                                                    gsize                len,
                                                    GError             **error);
GPtrArray           *dl_manifest_load_file         (const char          *path,
                                                    GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlManifest, dl_manifest_unref)

G_END_DECLS
