/* dl-edifact.h — UN/EDIFACT interchanges (ISO 9735), syntax only.
 *
 * dl_edifact_parse () splits an interchange into segments, data elements
 * and components, and checks its envelope:
 *
 *  - the service string advice (UNA: component separator, data element
 *    separator, decimal mark, release character, reserved, segment
 *    terminator), or the defaults : + . ? ' when there is none;
 *  - the release character before any service character, itself included;
 *  - line breaks (CR, LF) anywhere, between and inside segments, are
 *    ignored unless the UNA makes one of them a service character;
 *  - UNB … UNZ with any number of messages UNH … UNT, optionally in
 *    functional groups UNG … UNE; messages without UNB/UNZ around them
 *    are read too.  UNT counts its message's segments, UNE and UNZ count
 *    messages (or groups), and their references repeat the opening ones;
 *  - text is UTF-8.  Input that is not valid UTF-8 is read as the ISO 8859
 *    part the syntax identifier names (UNOC: 8859-1, UNOD: 8859-2 …), or
 *    refused.  Syntax identifiers UNOA … UNOY (and IATA's IATA, IATB) are
 *    accepted.
 *
 * Every error names the segment (its number in the interchange, from 1,
 * the UNA not counted, and its tag when known) and the place, e.g.
 * "segment 14 (MEA) at line 15, column 9: …".  Sizes are capped: larger
 * input is refused, never truncated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DL_EDIFACT_MAX_BYTES          (64u << 20)   /* the whole interchange */
#define DL_EDIFACT_MAX_SEGMENT_BYTES  (64u << 10)   /* one segment */
#define DL_EDIFACT_MAX_SEGMENTS       1000000u
#define DL_EDIFACT_MAX_ELEMENTS       255u          /* data elements in a segment */
#define DL_EDIFACT_MAX_COMPONENTS     255u          /* components in a data element */

#define DL_EDIFACT_ERROR (dl_edifact_error_quark ())

typedef enum
{
  DL_EDIFACT_ERROR_SYNTAX,        /* not UN/EDIFACT, or broken syntax */
  DL_EDIFACT_ERROR_ENCODING,      /* text that is neither UTF-8 nor the syntax's character set */
  DL_EDIFACT_ERROR_ENVELOPE,      /* UNB/UNG/UNH/UNT/UNE/UNZ: order, counts, references */
  DL_EDIFACT_ERROR_TOO_LARGE,     /* over one of the caps above */
  DL_EDIFACT_ERROR_MESSAGE_TYPE,  /* a message of another type than asked for */
} DlEdifactError;

GQuark dl_edifact_error_quark (void);

typedef enum
{
  DL_EDIFACT_PARSE_DEFAULT   = 0,
  /* Do not check the segment and message counts of UNT, UNE and UNZ (for
   * looking into damaged files; readers of manifests do check them). */
  DL_EDIFACT_PARSE_NO_COUNTS = 1 << 0,
  /* A UNT, UNE or UNZ count that is a number but not the right one is
   * kept as a warning (DlEdifactInterchange.warnings) instead of refused:
   * the segments were all framed, only the sender's tally is off.  A
   * count that is not a number, and a reference that does not repeat
   * the opening one, are refused all the same. */
  DL_EDIFACT_PARSE_COUNT_WARNINGS = 1 << 1,
} DlEdifactParseFlags;

typedef struct
{
  guint line;     /* from 1 */
  guint column;   /* in characters, from 1 */
  gsize offset;   /* in bytes from the start of the data */
} DlEdifactPosition;

/* Something read past: where (as in errors) and what. */
typedef struct
{
  guint              segment;    /* the segment's number in the interchange, from 1 */
  char              *tag;        /* its tag, or NULL when unknown */
  DlEdifactPosition  position;
  char              *message;    /* what, without the place; UTF-8 */
} DlEdifactWarning;

typedef struct
{
  char              *tag;        /* "UNH", "BGM" … */
  guint              number;     /* in the interchange, from 1; the UNA is not counted */
  DlEdifactPosition  position;   /* of the tag */
  GPtrArray         *elements;   /* the data elements after the tag: GStrv of
                                  * components, unescaped UTF-8 */
  GArray            *element_positions;   /* DlEdifactPosition of each element */
} DlEdifactSegment;

typedef struct
{
  char      *reference;    /* UNH 0062, message reference number */
  char      *type;         /* 0065, "CUSCAR" */
  char      *version;      /* 0052, "D" */
  char      *release;      /* 0054, "95B" */
  char      *agency;       /* 0051, "UN" */
  GPtrArray *segments;     /* DlEdifactSegment, UNH … UNT; the interchange's */
} DlEdifactMessage;

typedef struct
{
  char       component_separator;   /* ':' */
  char       element_separator;     /* '+' */
  char       decimal_mark;          /* '.' */
  char       release_character;     /* '?', or 0 for none */
  char       segment_terminator;    /* '\'' */
  gboolean   has_una;
  char      *syntax;                /* UNB 0001, "UNOC"; NULL without UNB */
  char      *syntax_version;        /* 0002, "3" */
  char      *sender;                /* 0004 */
  char      *recipient;             /* 0010 */
  char      *control_reference;     /* 0020 */
  GPtrArray *segments;              /* DlEdifactSegment, all (UNB … UNZ) */
  GPtrArray *messages;              /* DlEdifactMessage */
  GPtrArray *warnings;              /* DlEdifactWarning, in the order met; never NULL */
} DlEdifactInterchange;

/* Parses @data (@len bytes; need not be NUL-terminated).  When
 * @message_type is not NULL, a message of another type is refused
 * (DL_EDIFACT_ERROR_MESSAGE_TYPE) at its UNH, before anything else in it
 * is checked. */
DlEdifactInterchange *dl_edifact_parse              (const char                 *data,
                                                     gsize                       len,
                                                     const char                 *message_type,
                                                     DlEdifactParseFlags         flags,
                                                     GError                    **error);
void                  dl_edifact_interchange_free   (DlEdifactInterchange       *interchange);

/* Component @component (from 0) of data element @element (from 0, the
 * first after the tag), or NULL when it is absent or empty. */
const char           *dl_edifact_segment_get        (const DlEdifactSegment     *segment,
                                                     guint                       element,
                                                     guint                       component);
guint                 dl_edifact_segment_n_elements (const DlEdifactSegment     *segment);
/* The components of @element, non-empty ones joined with @separator;
 * NULL when all are empty or the element is absent. */
char                 *dl_edifact_segment_join       (const DlEdifactSegment     *segment,
                                                     guint                       element,
                                                     const char                 *separator);

/* Sets @error to "segment N (TAG) at line L, column C: MESSAGE", placed at
 * data element @element (from 0), or at the tag when @element is −1 or
 * beyond the segment's elements.  Returns FALSE. */
gboolean              dl_edifact_segment_set_error  (const DlEdifactSegment     *segment,
                                                     int                         element,
                                                     GError                    **error,
                                                     GQuark                      domain,
                                                     int                         code,
                                                     const char                 *format,
                                                     ...) G_GNUC_PRINTF (6, 7);

/* A warning placed at data element @element of @segment (or at its tag,
 * as dl_edifact_segment_set_error ()), to be freed with
 * dl_edifact_warning_free (). */
DlEdifactWarning     *dl_edifact_warning_new        (const DlEdifactSegment     *segment,
                                                     int                         element,
                                                     const char                 *format,
                                                     ...) G_GNUC_PRINTF (3, 4);
void                  dl_edifact_warning_free       (DlEdifactWarning           *warning);

/* The index of the message of @self holding segment @number, or −1 when
 * none does (a segment of the envelope: UNB, UNG, UNE, UNZ). */
int                   dl_edifact_interchange_message_of (const DlEdifactInterchange *self,
                                                         guint                       number);

/* A numeric data element: digits with an optional sign and one decimal
 * mark, full stop or comma (ISO 9735 allows either).  FALSE for anything
 * else (exponents, spaces, empty). */
gboolean              dl_edifact_parse_number       (const char                 *text,
                                                     double                     *value);
/* A whole number of 1 to 9 digits and nothing else (counts, item numbers). */
gboolean              dl_edifact_parse_whole        (const char                 *text,
                                                     guint                      *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlEdifactInterchange, dl_edifact_interchange_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlEdifactWarning, dl_edifact_warning_free)

G_END_DECLS
