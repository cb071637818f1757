/* fuzz-dicom-wire.c — libFuzzer harness for the library's side of the
 * DICOM reader's answer (dl_dicom_from_answer (), dl-dicom-wire.h): what
 * a reader that GDCM got the better of might write.  The first two bytes
 * give the length of the memory file of decoded pixels beside it, the
 * rest is the answer.  An error, or a DlDicom whose every part can be
 * asked for and holds what it says.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz-common.h"
#include "dl-dicom-wire.h"

#define MAX_PIXELS (1 << 20)

static void
use (DlDicom *dicom)
{
  DlDicomImage image;
  DlDicomStatus status;
  g_autofree char *detail = NULL, *decode_detail = NULL, *tdr_detail = NULL, *text = NULL;
  g_autoptr(DlDicosTdr) tdr = dl_dicos_tdr_new ();

  text = dl_dicom_dup_string (dicom, 0x0008, 0x0016);
  if (text && !g_utf8_validate (text, -1, NULL))
    dl_fuzz_fail ("an element's text is not UTF-8");
  dl_dicom_has_element (dicom, 0x7fe0, 0x0010);
  if (dl_dicom_get_image (dicom, &image, &status, &detail) && image.buffer_length <= MAX_PIXELS)
    {
      g_autofree guint8 *buffer = g_malloc (MAX (image.buffer_length, 1));

      if (image.photometric == NULL || image.transfer_syntax_name == NULL)
        dl_fuzz_fail ("an image without its strings");
      dl_dicom_decode (dicom, buffer, image.buffer_length, &decode_detail);
    }
  if (dl_dicom_read_tdr (dicom, tdr, &tdr_detail))
    for (guint i = 0; i < tdr->threats->len; i++)
      {
        DlDicosThreat *t = g_ptr_array_index (tdr->threats, i);

        if (t->n_dims > 3)
          dl_fuzz_fail ("a threat of %u dimensions", t->n_dims);
      }
}

void
dl_fuzz_dicom_wire (const guint8 *data,
                    gsize         size)
{
  int fd = memfd_create ("fuzz-pixels", MFD_CLOEXEC);
  g_autoptr(DlDicom) dicom = NULL;
  g_autofree char *detail = NULL;
  DlDicomStatus status;

  if (fd < 0 || size < 2)
    {
      if (fd >= 0)
        close (fd);
      return;
    }
  if (ftruncate (fd, (off_t) (data[0] << 8 | data[1])) != 0)
    dl_fuzz_fail ("no memory file");
  dicom = dl_dicom_from_answer ((const char *) data + 2, size - 2, fd, &status, &detail);
  if (dicom == NULL && status == DL_DICOM_OK)
    dl_fuzz_fail ("refused, and the status says it is well");
  if (dicom == NULL && status == DL_DICOM_READER_FAILED && detail == NULL)
    dl_fuzz_fail ("an answer refused without saying why");
  if (detail && !g_utf8_validate (detail, -1, NULL))
    dl_fuzz_fail ("a detail that is not UTF-8");
  if (dicom)
    use (dicom);
  close (fd);
}

DL_FUZZ_DEFINE_MAIN (dl_fuzz_dicom_wire)
