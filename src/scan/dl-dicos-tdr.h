/* dl-dicos-tdr.h — a DICOS Threat Detection Report (NEMA IIC 1, SOP class
 * 1.2.840.10008.5.1.4.1.1.501.3) read as a list of threats: what a machine
 * (or an operator) found in a scan, for src/detect/ to turn into findings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DL_DICOS_TDR_SOP_CLASS "1.2.840.10008.5.1.4.1.1.501.3"

/* Doorlicht's private block (docs/dicos.md): its creator in (0009,0010),
 * its elements (0009,10xx) in threat items and at the top level. */
#define DL_DICOS_PRIVATE_GROUP         0x0009
#define DL_DICOS_PRIVATE_CREATOR       "DOORLICHT 1"
#define DL_DICOS_PRIVATE_SOURCE        0x01   /* LO: "mark" or a finding's kind */
#define DL_DICOS_PRIVATE_RESPONSE      0x02   /* CS: "confirmed", "dismissed" */
#define DL_DICOS_PRIVATE_RESPONDER     0x03   /* LO: who responded or marked */
#define DL_DICOS_PRIVATE_RESPONSE_TIME 0x04   /* DT: when */
#define DL_DICOS_PRIVATE_VERDICT       0x10   /* CS: the case's decision id */

/* One Potential Threat Object (an item of the Threat Sequence 4010,1011). */
typedef struct
{
  guint    id;                      /* Potential Threat Object ID */
  char    *category;                /* Threat Category (4010,1012): "PI", "ANOMALY", … */
  char    *category_description;    /* (4010,1013), or NULL */
  char    *assessment;              /* ATD Assessment Flag (4010,1015): "THREAT", "NO_THREAT", … */
  char    *ability;                 /* ATD Ability Assessment (4010,1014), or NULL */
  double   probability;             /* ATD Assessment Probability (4010,1016), NaN when absent */
  char    *referenced_sop_instance_uid;  /* the image it is in, or NULL */
  char    *location;                /* PTO Location Description (4010,1078), or NULL */
  guint    n_dims;                  /* 2 or 3 when the box is known, 0 otherwise */
  double   base[3];                 /* Threat ROI Base (4010,1004), in pixels of the image */
  double   extents[3];              /* Threat ROI Extents (4010,1005) */
  GArray  *polygon;                 /* Bounding Polygon (4010,101D) as doubles, or NULL */
  guint    bitmap_bytes;            /* length of the Threat ROI Bitmap, 0 when none */
  double   mass;                    /* (4010,1017), NaN when absent */
  double   density;                 /* (4010,1018), NaN when absent */
  char    *referenced_sop_class_uid;     /* or NULL */
  /* Doorlicht's private block in the threat item (creator "DOORLICHT 1",
   * group 0009; docs/dicos.md): what the operator made of it */
  char    *source;                  /* "mark" or the finding's kind, or NULL */
  char    *response;                /* "confirmed", "dismissed", or NULL */
  char    *responder;               /* who responded (or marked), or NULL */
  gint64   response_time;           /* seconds since the epoch, UTC; 0 when absent */
} DlDicosThreat;

typedef struct
{
  char      *sop_instance_uid;
  char      *tdr_type;              /* TDR Type (4010,1027): "MACHINE", "OPERATOR", "GROUND_TRUTH" */
  char      *alarm_decision;        /* (4010,1031): "ALARM", "CLEAR", … */
  char      *algorithm;             /* Threat Detection Algorithm and Version, '\\'-separated */
  char      *ooi_type;              /* OOI Type (4010,1042): "BAGGAGE", … */
  char      *operator_id;           /* Operators' Name (0008,1070), or NULL */
  gint64     alarm_decision_time;   /* (4010,102B), seconds since the epoch UTC; 0 when absent */
  char      *verdict;               /* Doorlicht's private block: the case's decision id, or NULL */
  guint      n_alarm_objects;       /* as the report states it */
  guint      n_total_objects;
  GPtrArray *threats;               /* DlDicosThreat */
} DlDicosTdr;

DlDicosTdr    *dl_dicos_tdr_new        (void);
DlDicosThreat *dl_dicos_threat_new     (void);
/* DICOM DT text ("YYYYMMDDHHMMSS", a fraction and offset allowed) as
 * seconds since the epoch, and back ("YYYYMMDDHHMMSS+0000"); 0 / NULL
 * when not a date-time. */
gint64         dl_dicos_parse_datetime (const char    *text);
char          *dl_dicos_format_datetime (gint64        time);
void        dl_dicos_tdr_free       (DlDicosTdr    *self);
void        dl_dicos_threat_free    (DlDicosThreat *threat);
DlDicosTdr *dl_dicos_tdr_load       (const char    *path,
                                     GError       **error);
DlDicosTdr *dl_dicos_tdr_load_bytes (GBytes        *bytes,
                                     const char    *name,
                                     GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlDicosTdr, dl_dicos_tdr_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlDicosThreat, dl_dicos_threat_free)

G_END_DECLS
