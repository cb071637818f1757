/* dl-edifact.c — UN/EDIFACT syntax (ISO 9735): a tokenizer over the bytes,
 * one segment at a time, and the envelope checked as each segment comes.
 *
 * Positions are counted while reading: a line ends at LF, CR LF or a lone
 * CR, columns count characters (UTF-8 sequences, or bytes of an 8-bit
 * character set).  Text is made UTF-8 per component, so a position in an
 * error is always the input's own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-edifact"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dl-edifact.h"

G_DEFINE_QUARK (dl-edifact-error-quark, dl_edifact_error)

/* ---- segments and messages --------------------------------------------- */

static void
segment_free (gpointer data)
{
  DlEdifactSegment *seg = data;

  g_free (seg->tag);
  g_ptr_array_unref (seg->elements);
  g_array_unref (seg->element_positions);
  g_free (seg);
}

static DlEdifactSegment *
segment_new (guint                    number,
             const DlEdifactPosition *position)
{
  DlEdifactSegment *seg = g_new0 (DlEdifactSegment, 1);

  seg->number = number;
  seg->position = *position;
  seg->elements = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  seg->element_positions = g_array_new (FALSE, FALSE, sizeof (DlEdifactPosition));
  return seg;
}

static void
message_free (gpointer data)
{
  DlEdifactMessage *m = data;

  g_free (m->reference);
  g_free (m->type);
  g_free (m->version);
  g_free (m->release);
  g_free (m->agency);
  g_ptr_array_unref (m->segments);
  g_free (m);
}

void
dl_edifact_interchange_free (DlEdifactInterchange *interchange)
{
  if (interchange == NULL)
    return;
  g_free (interchange->syntax);
  g_free (interchange->syntax_version);
  g_free (interchange->sender);
  g_free (interchange->recipient);
  g_free (interchange->control_reference);
  g_ptr_array_unref (interchange->messages);
  g_ptr_array_unref (interchange->segments);
  g_ptr_array_unref (interchange->warnings);
  g_free (interchange);
}

guint
dl_edifact_segment_n_elements (const DlEdifactSegment *segment)
{
  return segment->elements->len;
}

const char *
dl_edifact_segment_get (const DlEdifactSegment *segment,
                        guint                   element,
                        guint                   component)
{
  GStrv components;

  if (element >= segment->elements->len)
    return NULL;
  components = g_ptr_array_index (segment->elements, element);
  if (component >= g_strv_length (components) || components[component][0] == '\0')
    return NULL;
  return components[component];
}

char *
dl_edifact_segment_join (const DlEdifactSegment *segment,
                         guint                   element,
                         const char             *separator)
{
  GString *s;
  GStrv components;

  if (element >= segment->elements->len)
    return NULL;
  components = g_ptr_array_index (segment->elements, element);
  s = g_string_new (NULL);
  for (guint i = 0; components[i]; i++)
    {
      if (components[i][0] == '\0')
        continue;
      if (s->len > 0)
        g_string_append (s, separator);
      g_string_append (s, components[i]);
    }
  if (s->len == 0)
    return (g_string_free (s, TRUE), NULL);
  return g_string_free (s, FALSE);
}

/* ---- errors ------------------------------------------------------------- */

static gboolean
fail_valist (GError                  **error,
             GQuark                    domain,
             int                       code,
             guint                     number,
             const char               *tag,
             const DlEdifactPosition  *pos,
             const char               *format,
             va_list                   ap) G_GNUC_PRINTF (7, 0);

static gboolean
fail_valist (GError                  **error,
             GQuark                    domain,
             int                       code,
             guint                     number,
             const char               *tag,
             const DlEdifactPosition  *pos,
             const char               *format,
             va_list                   ap)
{
  g_autofree char *raw = g_strdup_vprintf (format, ap);
  /* Quoted input may not be UTF-8 yet, or be cut inside a character by
   * "%.8s": the message must be valid UTF-8 all the same. */
  g_autofree char *what = g_utf8_make_valid (raw, -1);

  if (tag)
    g_set_error (error, domain, code, _("segment %u (%s) at line %u, column %u: %s"),
                 number, tag, pos->line, pos->column, what);
  else
    g_set_error (error, domain, code, _("segment %u at line %u, column %u: %s"),
                 number, pos->line, pos->column, what);
  return FALSE;
}

gboolean
dl_edifact_segment_set_error (const DlEdifactSegment  *segment,
                              int                      element,
                              GError                 **error,
                              GQuark                   domain,
                              int                      code,
                              const char              *format,
                              ...)
{
  const DlEdifactPosition *pos = &segment->position;
  va_list ap;

  if (element >= 0 && (guint) element < segment->element_positions->len)
    pos = &g_array_index (segment->element_positions, DlEdifactPosition, element);
  va_start (ap, format);
  fail_valist (error, domain, code, segment->number, segment->tag, pos, format, ap);
  va_end (ap);
  return FALSE;
}

static const DlEdifactPosition *
element_position (const DlEdifactSegment *segment,
                  int                     element)
{
  if (element >= 0 && (guint) element < segment->element_positions->len)
    return &g_array_index (segment->element_positions, DlEdifactPosition, element);
  return &segment->position;
}

DlEdifactWarning *
dl_edifact_warning_new (const DlEdifactSegment *segment,
                        int                     element,
                        const char             *format,
                        ...)
{
  DlEdifactWarning *w = g_new0 (DlEdifactWarning, 1);
  g_autofree char *raw = NULL;
  va_list ap;

  va_start (ap, format);
  raw = g_strdup_vprintf (format, ap);
  va_end (ap);
  w->segment = segment->number;
  w->tag = g_strdup (segment->tag);
  w->position = *element_position (segment, element);
  w->message = g_utf8_make_valid (raw, -1);
  return w;
}

void
dl_edifact_warning_free (DlEdifactWarning *warning)
{
  if (warning == NULL)
    return;
  g_free (warning->tag);
  g_free (warning->message);
  g_free (warning);
}

gboolean
dl_edifact_parse_number (const char *text,
                         double     *value)
{
  g_autofree char *copy = NULL;
  gboolean digits = FALSE, mark = FALSE;
  const char *p = text;

  if (text == NULL)
    return FALSE;
  if (*p == '-' || *p == '+')
    p++;
  for (; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        digits = TRUE;
      else if ((*p == '.' || *p == ',') && !mark)
        mark = TRUE;
      else
        return FALSE;
    }
  if (!digits)
    return FALSE;
  copy = g_strdup (text);
  g_strdelimit (copy, ",", '.');
  *value = g_ascii_strtod (copy, NULL);
  return TRUE;
}

/* ---- the parser ----------------------------------------------------------- */

typedef enum
{
  STATE_START,         /* nothing yet */
  STATE_INTERCHANGE,   /* after UNB */
  STATE_GROUP,         /* after UNG */
  STATE_MESSAGE,       /* after UNH */
  STATE_BARE,          /* after a message without UNB */
  STATE_END,           /* after UNZ */
} State;

typedef struct
{
  const char            *data;
  gsize                  len;
  gsize                  pos;
  DlEdifactPosition      here;
  DlEdifactParseFlags    flags;
  const char            *message_type;
  DlEdifactInterchange  *ix;
  gboolean               utf8;      /* the whole input is valid UTF-8 */
  const char            *charset;   /* otherwise its ISO 8859 part, once the UNB names one */

  State                  state;
  State                  outer;     /* where a message returns to at its UNT */
  DlEdifactMessage      *message;
  const DlEdifactSegment *unb, *ung, *unh;
  guint                  n_messages, n_groups, n_group_messages;
  guint                  n_loose;   /* messages outside functional groups */
  char                  *group_reference;
} Parser;

static gboolean
fail (Parser                  *p,
      GError                 **error,
      int                      code,
      guint                    number,
      const char              *tag,
      const DlEdifactPosition *pos,
      const char              *format,
      ...) G_GNUC_PRINTF (7, 8);

static gboolean
fail (Parser                  *p,
      GError                 **error,
      int                      code,
      guint                    number,
      const char              *tag,
      const DlEdifactPosition *pos,
      const char              *format,
      ...)
{
  va_list ap;

  va_start (ap, format);
  fail_valist (error, DL_EDIFACT_ERROR, code, number, tag, pos ? pos : &p->here, format, ap);
  va_end (ap);
  return FALSE;
}

static gboolean
is_service (const Parser *p,
            char          c)
{
  const DlEdifactInterchange *ix = p->ix;

  return c == ix->component_separator || c == ix->element_separator
         || c == ix->segment_terminator || (ix->release_character && c == ix->release_character);
}

/* Moves over one byte, counting lines and columns. */
static void
advance (Parser *p)
{
  guchar c = p->data[p->pos++];

  p->here.offset = p->pos;
  if (c == '\n' || (c == '\r' && (p->pos >= p->len || p->data[p->pos] != '\n')))
    {
      p->here.line++;
      p->here.column = 1;
    }
  else if (c != '\r' && !(p->utf8 && (c & 0xC0) == 0x80))
    p->here.column++;
}

static gboolean
is_line_break (const Parser *p,
               char          c)
{
  return (c == '\r' || c == '\n') && !is_service (p, c);
}

/* ---- service string advice ------------------------------------------------ */

static gboolean
read_una (Parser  *p,
          GError **error)
{
  DlEdifactInterchange *ix = p->ix;
  const char *una = p->data + p->pos;
  char service[4];

  if (p->len - p->pos < 9)
    {
      g_set_error (error, DL_EDIFACT_ERROR, DL_EDIFACT_ERROR_SYNTAX,
                   _("the service string advice (UNA) at line %u, column %u is cut short: it needs six characters"),
                   p->here.line, p->here.column);
      return FALSE;
    }
  ix->has_una = TRUE;
  ix->component_separator = una[3];
  ix->element_separator = una[4];
  ix->decimal_mark = una[5];
  ix->release_character = una[6] == ' ' ? 0 : una[6];
  ix->segment_terminator = una[8];

  service[0] = una[3], service[1] = una[4], service[2] = una[6], service[3] = una[8];
  for (guint i = 0; i < 4; i++)
    {
      gboolean bad = (guchar) service[i] >= 0x80 || g_ascii_isalnum (service[i])
                     || (service[i] == ' ' && i != 2) || (service[i] < 0x20 && service[i] != '\r' && service[i] != '\n');

      for (guint k = 0; k < i; k++)
        bad = bad || (service[k] == service[i] && service[i] != ' ');
      if (bad)
        {
          g_set_error (error, DL_EDIFACT_ERROR, DL_EDIFACT_ERROR_SYNTAX,
                       _("the service string advice (UNA) at line %u, column %u is not usable: "
                         "the separators, release character and terminator must be four different "
                         "characters, neither letters nor digits"),
                       p->here.line, p->here.column);
          return FALSE;
        }
    }
  if (ix->decimal_mark != '.' && ix->decimal_mark != ',')
    {
      g_set_error (error, DL_EDIFACT_ERROR, DL_EDIFACT_ERROR_SYNTAX,
                   _("the service string advice (UNA) at line %u, column %u gives “%c” as decimal mark, not “.” or “,”"),
                   p->here.line, p->here.column, g_ascii_isprint (ix->decimal_mark) ? ix->decimal_mark : '?');
      return FALSE;
    }
  for (guint i = 0; i < 9; i++)
    advance (p);
  return TRUE;
}

/* ---- segments ------------------------------------------------------------- */

typedef struct
{
  DlEdifactSegment  *seg;
  GString           *component;
  DlEdifactPosition  component_start;
  gboolean           component_high;   /* has bytes ≥ 0x80 */
  GPtrArray         *element;          /* char *: the components so far */
  gboolean           in_tag;
} Building;

static gboolean
valid_tag (const char *tag)
{
  return strlen (tag) == 3 && g_ascii_isupper (tag[0])
         && (g_ascii_isupper (tag[1]) || g_ascii_isdigit (tag[1]))
         && (g_ascii_isupper (tag[2]) || g_ascii_isdigit (tag[2]));
}

static gboolean
finish_component (Parser    *p,
                  Building  *b,
                  GError   **error)
{
  char *text;

  if (b->component_high && p->charset)
    {
      g_autoptr(GError) local = NULL;

      text = g_convert (b->component->str, b->component->len, "UTF-8", p->charset, NULL, NULL, &local);
      if (text == NULL)
        return fail (p, error, DL_EDIFACT_ERROR_ENCODING, b->seg->number, b->seg->tag, &b->component_start,
                     _("the text is neither UTF-8 nor %s"), p->charset);
    }
  else
    text = g_strndup (b->component->str, b->component->len);

  if (b->element->len >= DL_EDIFACT_MAX_COMPONENTS)
    {
      g_free (text);
      return fail (p, error, DL_EDIFACT_ERROR_TOO_LARGE, b->seg->number, b->seg->tag, &b->component_start,
                   _("a data element has more than %u components"), DL_EDIFACT_MAX_COMPONENTS);
    }
  g_ptr_array_add (b->element, text);
  g_string_truncate (b->component, 0);
  b->component_high = FALSE;
  b->component_start = p->here;

  if (b->in_tag && b->element->len == 1)
    {
      if (!valid_tag (text))
        return fail (p, error, DL_EDIFACT_ERROR_SYNTAX, b->seg->number, NULL, &b->seg->position,
                     _("“%.8s” is not a segment tag (three capital letters or digits)"), text);
      b->seg->tag = g_strdup (text);
    }
  return TRUE;
}

static gboolean
finish_element (Parser    *p,
                Building  *b,
                GError   **error)
{
  if (!finish_component (p, b, error))
    return FALSE;
  if (b->in_tag)
    {
      b->in_tag = FALSE;
      g_ptr_array_set_size (b->element, 0);
      return TRUE;
    }
  if (b->seg->elements->len >= DL_EDIFACT_MAX_ELEMENTS)
    return fail (p, error, DL_EDIFACT_ERROR_TOO_LARGE, b->seg->number, b->seg->tag, NULL,
                 _("the segment has more than %u data elements"), DL_EDIFACT_MAX_ELEMENTS);
  g_ptr_array_add (b->element, NULL);
  g_ptr_array_add (b->seg->elements, g_ptr_array_steal (b->element, NULL));
  return TRUE;
}

/* Appends the character at the current position (a UTF-8 sequence, or
 * one byte of an 8-bit set) to the component. */
static gboolean
take_character (Parser    *p,
                Building  *b,
                GError   **error)
{
  guchar c = p->data[p->pos];
  gsize n = 1;

  if (c < 0x20 || c == 0x7F)
    return fail (p, error, DL_EDIFACT_ERROR_SYNTAX, b->seg->number, b->seg->tag, NULL,
                 _("a control character (byte 0x%02X) where text was expected"), c);
  if (c >= 0x80 && p->charset == NULL)
    {
      gunichar u = g_utf8_get_char_validated (p->data + p->pos, p->len - p->pos);

      if (u == (gunichar) -1 || u == (gunichar) -2)
        return fail (p, error, DL_EDIFACT_ERROR_ENCODING, b->seg->number, b->seg->tag, NULL,
                     _("byte 0x%02X is not UTF-8, and the syntax identifier names no other character set"), c);
      n = g_utf8_skip[c];
    }
  if (c >= 0x80)
    b->component_high = TRUE;
  g_string_append_len (b->component, p->data + p->pos, n);
  for (gsize i = 0; i < n; i++)
    advance (p);
  return TRUE;
}

static void
building_clear (Building *b)
{
  g_clear_pointer (&b->seg, segment_free);
  if (b->component)
    g_string_free (b->component, TRUE);
  g_clear_pointer (&b->element, g_ptr_array_unref);
}

/* Whether only blanks and line breaks are left. */
static gboolean
only_blanks_left (const Parser *p)
{
  for (gsize i = p->pos; i < p->len; i++)
    if (!is_line_break (p, p->data[i]) && p->data[i] != ' ' && p->data[i] != '\t')
      return FALSE;
  return TRUE;
}

/* Reads the next segment into *@out; *@out is NULL at the end of the data. */
static gboolean
read_segment (Parser            *p,
              DlEdifactSegment **out,
              GError           **error)
{
  DlEdifactInterchange *ix = p->ix;
  Building b = { 0 };
  gsize start;

  *out = NULL;
  if (only_blanks_left (p))
    return TRUE;
  while (is_line_break (p, p->data[p->pos]))
    advance (p);

  if (ix->segments->len >= DL_EDIFACT_MAX_SEGMENTS)
    return fail (p, error, DL_EDIFACT_ERROR_TOO_LARGE, ix->segments->len + 1, NULL, NULL,
                 _("the interchange has more than %u segments"), DL_EDIFACT_MAX_SEGMENTS);

  b.seg = segment_new (ix->segments->len + 1, &p->here);
  b.component = g_string_new (NULL);
  b.component_start = p->here;
  b.element = g_ptr_array_new_with_free_func (g_free);
  b.in_tag = TRUE;
  start = p->pos;

  while (p->pos < p->len)
    {
      char c = p->data[p->pos];
      gboolean ok = TRUE;

      if (p->pos - start > DL_EDIFACT_MAX_SEGMENT_BYTES)
        {
          fail (p, error, DL_EDIFACT_ERROR_TOO_LARGE, b.seg->number, b.seg->tag, &b.seg->position,
                _("the segment is longer than %u bytes"), DL_EDIFACT_MAX_SEGMENT_BYTES);
          building_clear (&b);
          return FALSE;
        }
      if (b.in_tag && b.element->len == 0 && b.component->len > 3)
        {
          fail (p, error, DL_EDIFACT_ERROR_SYNTAX, b.seg->number, NULL, &b.seg->position,
                _("“%.8s” is not a segment tag (three capital letters or digits)"), b.component->str);
          building_clear (&b);
          return FALSE;
        }

      if (is_line_break (p, c))
        advance (p);
      else if (ix->release_character && c == ix->release_character)
        {
          advance (p);
          while (p->pos < p->len && is_line_break (p, p->data[p->pos]))
            advance (p);
          if (p->pos >= p->len)
            ok = fail (p, error, DL_EDIFACT_ERROR_SYNTAX, b.seg->number, b.seg->tag, NULL,
                       _("the data ends with a release character “%c”"), ix->release_character);
          else if (is_service (p, p->data[p->pos]))
            {
              g_string_append_c (b.component, p->data[p->pos]);
              advance (p);
            }
          else
            ok = take_character (p, &b, error);
        }
      else if (c == ix->segment_terminator)
        {
          advance (p);
          if (!finish_element (p, &b, error))
            ok = FALSE;
          else
            {
              *out = g_steal_pointer (&b.seg);
              building_clear (&b);
              return TRUE;
            }
        }
      else if (c == ix->element_separator)
        {
          advance (p);
          ok = finish_element (p, &b, error);
          if (ok)
            g_array_append_val (b.seg->element_positions, p->here);
        }
      else if (c == ix->component_separator)
        {
          advance (p);
          ok = finish_component (p, &b, error);
        }
      else
        ok = take_character (p, &b, error);

      if (!ok)
        {
          building_clear (&b);
          return FALSE;
        }
    }

  fail (p, error, DL_EDIFACT_ERROR_SYNTAX, b.seg->number, valid_tag (b.component->str) ? b.component->str : b.seg->tag,
        &b.seg->position, _("the segment does not end: there is no segment terminator “%c” before the end of the data"),
        ix->segment_terminator);
  building_clear (&b);
  return FALSE;
}

/* ---- the envelope ------------------------------------------------------- */

static gboolean
envelope_error (Parser                 *p,
                const DlEdifactSegment *seg,
                int                     element,
                GError                **error,
                const char             *format,
                ...) G_GNUC_PRINTF (5, 6);

static gboolean
envelope_error (Parser                 *p,
                const DlEdifactSegment *seg,
                int                     element,
                GError                **error,
                const char             *format,
                ...)
{
  const DlEdifactPosition *pos = &seg->position;
  va_list ap;

  if (element >= 0 && (guint) element < seg->element_positions->len)
    pos = &g_array_index (seg->element_positions, DlEdifactPosition, element);
  va_start (ap, format);
  fail_valist (error, DL_EDIFACT_ERROR, DL_EDIFACT_ERROR_ENVELOPE, seg->number, seg->tag, pos, format, ap);
  va_end (ap);
  return FALSE;
}

/* A whole number of 1 to 9 digits, nothing else. */
gboolean
dl_edifact_parse_whole (const char *text,
                        guint      *value)
{
  gsize n = text ? strlen (text) : 0;

  if (n == 0 || n > 9)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  *value = (guint) g_ascii_strtoull (text, NULL, 10);
  return TRUE;
}

/* A count of UNT, UNE or UNZ. */
static gboolean
read_count (const DlEdifactSegment *seg,
            guint                  *count)
{
  return dl_edifact_parse_whole (dl_edifact_segment_get (seg, 0, 0), count);
}

/* Checks the count (element 0) and reference (element 1) of a closing
 * segment against @expected and @reference. */
static gboolean
check_trailer (Parser                 *p,
               const DlEdifactSegment *seg,
               guint                   expected,
               const char             *what,
               const char             *reference,
               GError                **error)
{
  const char *ref = dl_edifact_segment_get (seg, 1, 0);
  guint count;

  if (!read_count (seg, &count))
    return envelope_error (p, seg, 0, error, _("the count “%s” is not a number"),
                           dl_edifact_segment_get (seg, 0, 0) ? dl_edifact_segment_get (seg, 0, 0) : "");
  if (count != expected && (p->flags & DL_EDIFACT_PARSE_COUNT_WARNINGS))
    g_ptr_array_add (p->ix->warnings,
                     /* TRANSLATORS: "UNT counts 31 segments, there are 30" */
                     dl_edifact_warning_new (seg, 0, _("%s counts %u %s, there are %u"), seg->tag, count, what, expected));
  else if (count != expected && !(p->flags & DL_EDIFACT_PARSE_NO_COUNTS))
    /* TRANSLATORS: "UNT counts 31 segments, there are 30" */
    return envelope_error (p, seg, 0, error, _("%s counts %u %s, there are %u"), seg->tag, count, what, expected);
  if (g_strcmp0 (ref, reference) != 0)
    return envelope_error (p, seg, 1, error, _("the reference “%s” does not repeat the opening one, “%s”"),
                           ref ? ref : "", reference ? reference : "");
  return TRUE;
}

static const char *
syntax_charset (const char *syntax)
{
  /* ISO 9735 syntax identifiers with an 8-bit character set: the ISO 8859 part */
  static const char *parts[][2] = {
    { "UNOC", "ISO-8859-1" }, { "UNOD", "ISO-8859-2" }, { "UNOE", "ISO-8859-5" },
    { "UNOF", "ISO-8859-7" }, { "UNOG", "ISO-8859-3" }, { "UNOH", "ISO-8859-4" },
    { "UNOI", "ISO-8859-6" }, { "UNOJ", "ISO-8859-8" }, { "UNOK", "ISO-8859-9" },
    { "UNOL", "ISO-8859-15" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (g_strcmp0 (syntax, parts[i][0]) == 0)
      return parts[i][1];
  return NULL;
}

static gboolean
handle_unb (Parser                 *p,
            const DlEdifactSegment *seg,
            GError                **error)
{
  DlEdifactInterchange *ix = p->ix;
  const char *syntax = dl_edifact_segment_get (seg, 0, 0);

  if (syntax == NULL
      || !((strlen (syntax) == 4 && g_str_has_prefix (syntax, "UNO") && syntax[3] >= 'A' && syntax[3] <= 'Y')
           || g_strcmp0 (syntax, "IATA") == 0 || g_strcmp0 (syntax, "IATB") == 0))
    return envelope_error (p, seg, 0, error, _("the syntax identifier “%s” is not one of UNOA to UNOY"),
                           syntax ? syntax : "");
  if (dl_edifact_segment_get (seg, 4, 0) == NULL)
    return envelope_error (p, seg, -1, error, _("the interchange has no control reference"));

  ix->syntax = g_strdup (syntax);
  ix->syntax_version = g_strdup (dl_edifact_segment_get (seg, 0, 1));
  ix->sender = g_strdup (dl_edifact_segment_get (seg, 1, 0));
  ix->recipient = g_strdup (dl_edifact_segment_get (seg, 2, 0));
  ix->control_reference = g_strdup (dl_edifact_segment_get (seg, 4, 0));
  if (!p->utf8)
    p->charset = syntax_charset (syntax);
  p->unb = seg;
  p->state = STATE_INTERCHANGE;
  return TRUE;
}

static gboolean
handle_unh (Parser                 *p,
            const DlEdifactSegment *seg,
            GError                **error)
{
  DlEdifactMessage *m;
  const char *type = dl_edifact_segment_get (seg, 1, 0);

  if (dl_edifact_segment_get (seg, 0, 0) == NULL)
    return envelope_error (p, seg, -1, error, _("the message has no reference number"));
  if (type == NULL)
    return envelope_error (p, seg, 1, error, _("the message has no type"));
  if (p->message_type && g_strcmp0 (type, p->message_type) != 0)
    {
      g_autofree char *version = dl_edifact_segment_join (seg, 1, ":");

      dl_edifact_segment_set_error (seg, 1, error, DL_EDIFACT_ERROR, DL_EDIFACT_ERROR_MESSAGE_TYPE,
                                    /* TRANSLATORS: "the message is of type BAPLIE (BAPLIE:D:95B:UN), not CUSCAR" */
                                    _("the message is of type %s (%s), not %s"), type, version, p->message_type);
      return FALSE;
    }

  m = g_new0 (DlEdifactMessage, 1);
  m->reference = g_strdup (dl_edifact_segment_get (seg, 0, 0));
  m->type = g_strdup (type);
  m->version = g_strdup (dl_edifact_segment_get (seg, 1, 1));
  m->release = g_strdup (dl_edifact_segment_get (seg, 1, 2));
  m->agency = g_strdup (dl_edifact_segment_get (seg, 1, 3));
  m->segments = g_ptr_array_new ();
  g_ptr_array_add (m->segments, (gpointer) seg);
  g_ptr_array_add (p->ix->messages, m);
  p->message = m;
  p->unh = seg;
  p->outer = p->state == STATE_START ? STATE_BARE : p->state;
  p->state = STATE_MESSAGE;
  return TRUE;
}

static gboolean
handle_in_message (Parser                 *p,
                   const DlEdifactSegment *seg,
                   GError                **error)
{
  static const char *envelope[] = { "UNB", "UNG", "UNH", "UNE", "UNZ", NULL };

  if (g_strv_contains (envelope, seg->tag))
    return envelope_error (p, seg, -1, error, _("message %s (segment %u) has no UNT before this %s"),
                           p->message->reference, p->unh->number, seg->tag);
  g_ptr_array_add (p->message->segments, (gpointer) seg);
  if (strcmp (seg->tag, "UNT") != 0)
    return TRUE;

  if (!check_trailer (p, seg, p->message->segments->len, _("segments"), p->message->reference, error))
    return FALSE;
  p->message = NULL;
  p->n_messages++;
  p->n_group_messages++;
  if (p->outer == STATE_INTERCHANGE)
    p->n_loose++;
  p->state = p->outer;
  return TRUE;
}

static gboolean
handle_group (Parser                 *p,
              const DlEdifactSegment *seg,
              GError                **error)
{
  if (strcmp (seg->tag, "UNG") == 0)
    {
      if (dl_edifact_segment_get (seg, 4, 0) == NULL)
        return envelope_error (p, seg, -1, error, _("the functional group has no reference number"));
      g_free (p->group_reference);
      p->group_reference = g_strdup (dl_edifact_segment_get (seg, 4, 0));
      p->n_group_messages = 0;
      p->ung = seg;
      p->state = STATE_GROUP;
      return TRUE;
    }
  /* UNE */
  if (!check_trailer (p, seg, p->n_group_messages, _("messages"), p->group_reference, error))
    return FALSE;
  p->n_groups++;
  p->state = STATE_INTERCHANGE;
  return TRUE;
}

static gboolean
handle_segment (Parser                 *p,
                const DlEdifactSegment *seg,
                GError                **error)
{
  const char *tag = seg->tag;

  if (strcmp (tag, "UNA") == 0)
    return envelope_error (p, seg, -1, error, _("a service string advice (UNA) can only come first"));

  switch (p->state)
    {
    case STATE_START:
      if (strcmp (tag, "UNB") == 0)
        return handle_unb (p, seg, error);
      if (strcmp (tag, "UNH") == 0)
        return handle_unh (p, seg, error);
      return envelope_error (p, seg, -1, error, _("an interchange begins with UNB or UNH, not %s"), tag);
    case STATE_INTERCHANGE:
      if (strcmp (tag, "UNH") == 0)
        return p->n_groups == 0 ? handle_unh (p, seg, error)
               : envelope_error (p, seg, -1, error, _("a message outside the functional groups"));
      if (strcmp (tag, "UNG") == 0)
        return p->n_loose == 0 ? handle_group (p, seg, error)
               : envelope_error (p, seg, -1, error, _("a functional group after messages outside groups"));
      if (strcmp (tag, "UNZ") == 0)
        {
          p->state = STATE_END;
          return check_trailer (p, seg, p->n_groups > 0 ? p->n_groups : p->n_messages,
                                p->n_groups > 0 ? _("functional groups") : _("messages"),
                                p->ix->control_reference, error);
        }
      return envelope_error (p, seg, -1, error, _("%s outside a message (UNH … UNT)"), tag);
    case STATE_GROUP:
      if (strcmp (tag, "UNH") == 0)
        return handle_unh (p, seg, error);
      if (strcmp (tag, "UNE") == 0)
        return handle_group (p, seg, error);
      if (strcmp (tag, "UNZ") == 0)
        return envelope_error (p, seg, -1, error, _("the functional group (segment %u) has no UNE before this UNZ"),
                               p->ung->number);
      return envelope_error (p, seg, -1, error, _("%s outside a message (UNH … UNT)"), tag);
    case STATE_MESSAGE:
      return handle_in_message (p, seg, error);
    case STATE_BARE:
      if (strcmp (tag, "UNH") == 0)
        return handle_unh (p, seg, error);
      return envelope_error (p, seg, -1, error, _("%s outside a message (UNH … UNT)"), tag);
    case STATE_END:
    default:
      return envelope_error (p, seg, -1, error, _("%s after the end of the interchange (UNZ)"), tag);
    }
}

/* At the end of the data: every message and the interchange closed. */
static gboolean
check_end (Parser  *p,
           GError **error)
{
  switch (p->state)
    {
    case STATE_START:
      g_set_error (error, DL_EDIFACT_ERROR, DL_EDIFACT_ERROR_SYNTAX,
                   _("there are no UN/EDIFACT segments in the data"));
      return FALSE;
    case STATE_MESSAGE:
      return envelope_error (p, p->unh, -1, error, _("message %s has no UNT before the end of the data"),
                             p->message->reference);
    case STATE_GROUP:
      return envelope_error (p, p->ung, -1, error, _("the functional group has no UNE before the end of the data"));
    case STATE_INTERCHANGE:
      return envelope_error (p, p->unb, -1, error, _("the interchange has no UNZ before the end of the data"));
    case STATE_BARE:
    case STATE_END:
    default:
      return TRUE;
    }
}

/* Whether the data, after a byte order mark and line breaks, begins like
 * an interchange. */
static gboolean
looks_like_edifact (Parser  *p,
                    GError **error)
{
  if (p->len - p->pos >= 3 && memcmp (p->data + p->pos, "\xEF\xBB\xBF", 3) == 0)
    {
      p->pos += 3;
      p->here.offset = p->pos;
    }
  while (p->pos < p->len && (p->data[p->pos] == '\r' || p->data[p->pos] == '\n'))
    advance (p);
  if (p->pos >= p->len)
    {
      g_set_error (error, DL_EDIFACT_ERROR, DL_EDIFACT_ERROR_SYNTAX, _("the data is empty"));
      return FALSE;
    }
  if (p->len - p->pos < 4
      || !(memcmp (p->data + p->pos, "UNA", 3) == 0 || memcmp (p->data + p->pos, "UNB", 3) == 0
           || memcmp (p->data + p->pos, "UNH", 3) == 0))
    return fail (p, error, DL_EDIFACT_ERROR_SYNTAX, 1, NULL, NULL,
                 _("this is not UN/EDIFACT: it does not begin with UNA, UNB or UNH"));
  return TRUE;
}

static DlEdifactInterchange *
interchange_new (void)
{
  DlEdifactInterchange *ix = g_new0 (DlEdifactInterchange, 1);

  ix->component_separator = ':';
  ix->element_separator = '+';
  ix->decimal_mark = '.';
  ix->release_character = '?';
  ix->segment_terminator = '\'';
  ix->segments = g_ptr_array_new_with_free_func (segment_free);
  ix->messages = g_ptr_array_new_with_free_func (message_free);
  ix->warnings = g_ptr_array_new_with_free_func ((GDestroyNotify) dl_edifact_warning_free);
  return ix;
}

static gboolean
parse (Parser  *p,
       GError **error)
{
  if (!looks_like_edifact (p, error))
    return FALSE;
  if (memcmp (p->data + p->pos, "UNA", 3) == 0 && !read_una (p, error))
    return FALSE;

  for (;;)
    {
      DlEdifactSegment *seg = NULL;

      if (!read_segment (p, &seg, error))
        return FALSE;
      if (seg == NULL)
        break;
      g_ptr_array_add (p->ix->segments, seg);
      if (!handle_segment (p, seg, error))
        return FALSE;
    }
  return check_end (p, error);
}

DlEdifactInterchange *
dl_edifact_parse (const char           *data,
                  gsize                 len,
                  const char           *message_type,
                  DlEdifactParseFlags   flags,
                  GError              **error)
{
  g_autoptr(DlEdifactInterchange) ix = interchange_new ();
  Parser p = { 0 };
  gboolean ok;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len > DL_EDIFACT_MAX_BYTES)
    {
      g_set_error (error, DL_EDIFACT_ERROR, DL_EDIFACT_ERROR_TOO_LARGE,
                   _("the interchange is %llu bytes long, more than the %u bytes read"),
                   (unsigned long long) len, DL_EDIFACT_MAX_BYTES);
      return NULL;
    }

  p.data = data ? data : "";
  p.len = len;
  p.here.line = 1;
  p.here.column = 1;
  p.flags = flags;
  p.message_type = message_type;
  p.ix = ix;
  p.utf8 = g_utf8_validate_len (p.data, len, NULL);
  p.state = STATE_START;

  ok = parse (&p, error);
  g_free (p.group_reference);
  if (!ok)
    return NULL;
  return g_steal_pointer (&ix);
}

int
dl_edifact_interchange_message_of (const DlEdifactInterchange *self,
                                   guint                       number)
{
  g_return_val_if_fail (self != NULL, -1);

  for (guint i = 0; i < self->messages->len; i++)
    {
      const DlEdifactMessage *msg = g_ptr_array_index (self->messages, i);
      const DlEdifactSegment *first = g_ptr_array_index (msg->segments, 0);
      const DlEdifactSegment *last = g_ptr_array_index (msg->segments, msg->segments->len - 1);

      if (number >= first->number && number <= last->number)
        return i;
    }
  return -1;
}
