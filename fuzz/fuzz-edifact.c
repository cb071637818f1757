/* fuzz-edifact.c — libFuzzer harness for the UN/EDIFACT parser and the
 * CUSCAR reader: dl_edifact_parse () with and without count checks and with
 * a message type, the segment accessors on what it returns, and
 * dl_cuscar_read ().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"
#include "dl-cuscar.h"
#include "dl-edifact.h"

/* Reads every element and component of every segment, as readers do. */
static void
walk_segments (const DlEdifactInterchange *ix)
{
  for (guint i = 0; i < ix->segments->len; i++)
    {
      const DlEdifactSegment *segment = g_ptr_array_index (ix->segments, i);
      guint n = dl_edifact_segment_n_elements (segment);

      for (guint e = 0; e <= n; e++)
        {
          g_autofree char *joined = dl_edifact_segment_join (segment, e, ":");
          const char *first = dl_edifact_segment_get (segment, e, 0);
          double value;

          /* NULL when every component is empty, never "" */
          g_assert_true (joined == NULL || joined[0] != '\0');
          if (first != NULL)
            (void) dl_edifact_parse_number (first, &value);
          (void) dl_edifact_segment_get (segment, e, 1);
          (void) dl_edifact_segment_get (segment, e, G_MAXUINT);
        }
      (void) dl_edifact_segment_get (segment, G_MAXUINT, 0);
    }
}

static void
parse_once (const guint8        *data,
            gsize                size,
            const char          *message_type,
            DlEdifactParseFlags  flags)
{
  g_autoptr(DlEdifactInterchange) ix = NULL;
  GError *error = NULL;

  ix = dl_edifact_parse ((const char *) data, size, message_type, flags, &error);
  dl_fuzz_check ("dl_edifact_parse", ix != NULL, &error);
  if (ix != NULL)
    walk_segments (ix);
}

void
dl_fuzz_edifact (const guint8 *data,
                 gsize         size)
{
  g_autoptr(GPtrArray) manifests = NULL;
  GError *error = NULL;

  parse_once (data, size, NULL, DL_EDIFACT_PARSE_DEFAULT);
  parse_once (data, size, "CUSCAR", DL_EDIFACT_PARSE_NO_COUNTS);

  manifests = dl_cuscar_read ((const char *) data, size, &error);
  dl_fuzz_check ("dl_cuscar_read", manifests != NULL, &error);
}

DL_FUZZ_DEFINE_MAIN (dl_fuzz_edifact)
