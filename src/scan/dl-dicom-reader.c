/* dl-dicom-reader.c — doorlicht-dicom-reader, the program that runs GDCM
 * on a DICOM or DICOS file for the library (dl-dicom.c), in the sandbox,
 * so that whatever GDCM does with a damaged file happens here.
 *
 *   doorlicht-dicom-reader --max-decode=BYTES
 *
 * The file is file descriptor 3 (read only); the decoded pixels, when the
 * image is at most BYTES long, go into file descriptor 4 (an empty memory
 * file, made that long); one JSON object "doorlicht-dicom-read/1" on
 * stdout says the rest (dl-dicom-wire.h, docs/dicom-reader.md).  Exit 0
 * when it wrote that object, whatever the file held.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-dicom-reader"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dl-dicom-wire.h"
#include "dl-gdcm.h"

#define FILE_FD   3
#define PIXELS_FD 4

static void
add_element (guint16     group,
             guint16     element,
             const char *value,
             gpointer    user_data)
{
  JsonBuilder *b = user_data;

  json_builder_begin_array (b);
  json_builder_add_int_value (b, group);
  json_builder_add_int_value (b, element);
  dl_dicom_wire_add_text (b, value);
  json_builder_end_array (b);
}

/* The pixels decoded into PIXELS_FD, made image->buffer_length long. */
static DlDicomStatus
decode (DlGdcm             *gdcm,
        const DlDicomImage *image,
        char              **detail)
{
  gsize length = (gsize) image->buffer_length;
  DlDicomStatus status;
  void *map;

  if (length == 0)
    return dl_gdcm_decode (gdcm, NULL, 0, detail);
  if (ftruncate (PIXELS_FD, (off_t) length) != 0
      || (map = mmap (NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, PIXELS_FD, 0)) == MAP_FAILED)
    {
      *detail = g_strdup_printf ("no room for the decoded pixels: %s", g_strerror (errno));
      return DL_DICOM_NO_MEMORY;
    }
  status = dl_gdcm_decode (gdcm, map, length, detail);
  munmap (map, length);
  return status;
}

static void
add_image (JsonBuilder *b,
           DlGdcm      *gdcm,
           guint64      max_decode)
{
  DlDicomImage image = { 0 };
  DlDicomStatus status;
  g_autofree char *detail = NULL, *decode_detail = NULL;
  gboolean have = dl_gdcm_get_image (gdcm, &image, &status, &detail);

  json_builder_set_member_name (b, "image");
  dl_dicom_wire_add_status (b, status, detail);
  json_builder_set_member_name (b, "description");
  if (have)
    dl_dicom_wire_add_image (b, &image);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "decode");
  if (have && image.buffer_length <= max_decode)
    {
      status = decode (gdcm, &image, &decode_detail);
      dl_dicom_wire_add_status (b, status, decode_detail);
    }
  else
    json_builder_add_null_value (b);
}

static void
add_tdr (JsonBuilder *b,
         DlGdcm      *gdcm)
{
  g_autofree char *sop_class = dl_gdcm_dup_string (gdcm, 0x0008, 0x0016);
  g_autoptr(DlDicosTdr) tdr = NULL;
  g_autofree char *detail = NULL;

  json_builder_set_member_name (b, "tdr");
  if (g_strcmp0 (sop_class, DL_DICOS_TDR_SOP_CLASS) != 0)
    {
      json_builder_add_null_value (b);
      return;
    }
  tdr = dl_dicos_tdr_new ();
  if (dl_gdcm_read_tdr (gdcm, tdr, &detail))
    dl_dicom_wire_add_tdr (b, tdr);
  else
    dl_dicom_wire_add_status (b, DL_DICOM_DAMAGED, detail ? detail : "the report could not be read");
}

static void
add_parsed (JsonBuilder  *b,
            const guint8 *data,
            gsize         length,
            guint64       max_decode)
{
  DlDicomStatus status;
  g_autofree char *detail = NULL;
  g_autoptr(DlGdcm) gdcm = dl_gdcm_open (data, length, &status, &detail);

  json_builder_set_member_name (b, "open");
  dl_dicom_wire_add_status (b, status, detail);
  if (gdcm == NULL)
    return;
  json_builder_set_member_name (b, "elements");
  json_builder_begin_array (b);
  dl_gdcm_foreach_element (gdcm, DL_DICOM_WIRE_MAX_VALUE, add_element, b);
  json_builder_end_array (b);
  add_image (b, gdcm, max_decode);
  add_tdr (b, gdcm);
}

static gboolean
parse_args (int      argc,
            char   **argv,
            guint64 *max_decode)
{
  const char *prefix = "--max-decode=";
  char *end = NULL;

  if (argc != 2 || !g_str_has_prefix (argv[1], prefix))
    return FALSE;
  errno = 0;
  *max_decode = g_ascii_strtoull (argv[1] + strlen (prefix), &end, 10);
  return errno == 0 && end && *end == '\0' && end != argv[1] + strlen (prefix);
}

static const guint8 *
map_file (gsize *length)
{
  struct stat st;
  void *map;

  *length = 0;
  if (fstat (FILE_FD, &st) != 0 || !S_ISREG (st.st_mode))
    return NULL;
  if (st.st_size == 0)
    return (const guint8 *) "";
  map = mmap (NULL, (gsize) st.st_size, PROT_READ, MAP_PRIVATE, FILE_FD, 0);
  if (map == MAP_FAILED)
    return NULL;
  *length = (gsize) st.st_size;
  return map;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  guint64 max_decode = 0;
  const guint8 *data;
  gsize length;

  if (!parse_args (argc, argv, &max_decode))
    {
      fprintf (stderr, "usage: doorlicht-dicom-reader --max-decode=BYTES (the file as fd 3, pixels to fd 4)\n");
      return 2;
    }
  if ((data = map_file (&length)) == NULL)
    {
      fprintf (stderr, "doorlicht-dicom-reader: file descriptor 3 is not a file to read: %s\n", g_strerror (errno));
      return 2;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "protocol");
  json_builder_add_string_value (b, DL_DICOM_WIRE_PROTOCOL);
  add_parsed (b, data, length, max_decode);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  return fputs (text, stdout) >= 0 && fflush (stdout) == 0 ? 0 : 1;
}
