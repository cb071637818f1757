/* dl-dicom.cc — DICOM and DICOS parsed and decoded by GDCM, behind a C API
 * (dl-gdcm.h, run only in the sandboxed reader program, dl-dicom-reader.c)
 * and written (dl-dicom.h); the only C++ in Doorlicht.
 *
 * GDCM (Debian libgdcm-dev) rather than DCMTK: it decodes every codec a
 * scanner writes (JPEG baseline, 12-bit and lossless, JPEG-LS, JPEG 2000
 * through OpenJPEG, RLE) into one buffer through one call
 * (gdcm::Image::GetBuffer), where DCMTK 3.6.7 as Debian ships it has no
 * JPEG 2000 at all and a codec registry per family.
 *
 * The file is read from memory (the bytes the caller hashed, through a
 * streambuf over them: no copy, no second open), GDCM's trace output is
 * off (its words come back in @detail instead), and every function
 * catches every exception: nothing C++ crosses into C.  What the pixels
 * become is decided in C (dl-dicom-scan.c); this file only reports what
 * the file says and decodes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-dicom"

#include "config.h"

#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <istream>
#include <mutex>
#include <new>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include <gdcmImageReader.h>
#include <gdcmPrivateTag.h>
#include <gdcmSequenceOfItems.h>
#include <gdcmStringFilter.h>
#include <gdcmTrace.h>
#include <gdcmUIDGenerator.h>
#include <gdcmUIDs.h>
#include <gdcmWriter.h>

extern "C" {
#include "dl-dicom.h"
#include "dl-gdcm.h"
}

/* Debian builds GDCM with assert () on, and some of its assertions are
 * reached by damaged files (a meta group cut short, a VR GDCM did not
 * expect): abort () would end the program over a bad file.  While GDCM
 * runs on a thread's behalf, an assertion there jumps back to the call
 * into GDCM instead, which fails with the assertion's text; the objects
 * GDCM was building are abandoned (leaked, never touched again).  Any
 * other assertion in the process is reported and aborts as glibc's does. */
namespace {
thread_local sigjmp_buf *assert_jump;
thread_local const char *assert_text;
}

extern "C" [[noreturn]] void dl_dicom_assert_fail (const char *assertion, const char *file,
                                                   unsigned int line, const char *function)
  __asm__ ("__assert_fail");

extern "C" [[noreturn]] void
dl_dicom_assert_fail (const char   *assertion,
                      const char   *file,
                      unsigned int  line,
                      const char   *function)
{
  if (assert_jump != nullptr)
    {
      assert_text = assertion;
      siglongjmp (*assert_jump, 1);
    }
  fprintf (stderr, "%s:%u: %s: Assertion `%s' failed.\n", file, line, function, assertion);
  abort ();
}

/* Runs @body with GDCM's assertions caught: when one fires, @jumped is
 * set and the assertion goes into @detail. */
#define GUARDED(jumped, body, detail)                                          \
  do                                                                      \
    {                                                                     \
      sigjmp_buf jump_;                                                   \
      sigjmp_buf *volatile outer_ = assert_jump;                          \
      if (sigsetjmp (jump_, 0) == 0)                                      \
        {                                                                 \
          assert_jump = &jump_;                                           \
          body;                                                           \
          assert_jump = outer_;                                           \
        }                                                                 \
      else                                                                \
        {                                                                 \
          assert_jump = outer_;                                           \
          (jumped) = true;                                                \
          if ((detail) && *(detail) == nullptr)                           \
            *(detail) = g_strdup_printf ("GDCM failed its own check (%s)", assert_text); \
        }                                                                 \
    }                                                                     \
  while (0)

namespace {

/* A read-only stream over bytes in memory, seekable, as gdcm::Reader needs. */
class MemoryBuf : public std::streambuf
{
public:
  MemoryBuf (const guint8 *data, gsize length)
  {
    char *begin = reinterpret_cast<char *> (const_cast<guint8 *> (data));
    setg (begin, begin, begin + length);
  }

protected:
  pos_type
  seekoff (off_type off, std::ios_base::seekdir dir, std::ios_base::openmode which) override
  {
    off_type base;

    if (dir == std::ios_base::beg)
      base = 0;
    else if (dir == std::ios_base::cur)
      base = gptr () - eback ();
    else
      base = egptr () - eback ();
    return seekpos (pos_type (base + off), which);
  }

  pos_type
  seekpos (pos_type pos, std::ios_base::openmode which) override
  {
    off_type at = off_type (pos);

    if (!(which & std::ios_base::in) || at < 0 || at > egptr () - eback ())
      return pos_type (off_type (-1));
    setg (eback (), eback () + at, egptr ());
    return pos;
  }
};

void
quiet_gdcm (void)
{
  static std::once_flag once;

  std::call_once (once, [] {
    gdcm::Trace::SetDebug (false);
    gdcm::Trace::SetWarning (false);
    gdcm::Trace::SetError (false);
  });
}

char *
dup_trimmed (const std::string &s)
{
  std::string::size_type end = s.find_last_not_of (std::string (" \t\r\n\0", 5));

  if (end == std::string::npos)
    return nullptr;
  return g_strndup (s.data (), end + 1);
}

void
set_detail (char **detail, const char *text)
{
  if (detail && *detail == nullptr)
    *detail = g_strdup (text);
}

const gdcm::Tag pixel_data_tag (0x7fe0, 0x0010);

/* The file meta group (0002), explicit VR little endian, element by
 * element within the file: GDCM asserts ("Should not happen") on a meta
 * group cut short or with a VR that is no VR, so those never reach it. */
bool
meta_group_sound (const guint8 *data, gsize length)
{
  static const char long_vrs[][3] = { "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV" };
  gsize at = 132;

  if (length < 132 || memcmp (data + 128, "DICM", 4) != 0)
    return true;
  while (at + 8 <= length && data[at] == 0x02 && data[at + 1] == 0x00)
    {
      const char vr[3] = { (char) data[at + 4], (char) data[at + 5], 0 };
      guint64 value;
      bool is_long = false;

      if (!g_ascii_isupper (vr[0]) || !g_ascii_isupper (vr[1]))
        return false;
      for (const auto &l : long_vrs)
        is_long = is_long || strcmp (l, vr) == 0;
      if (is_long)
        {
          if (at + 12 > length)
            return false;
          value = GUINT32_FROM_LE (*(const guint32 *) (const void *) (data + at + 8));
          at += 12;
        }
      else
        {
          value = data[at + 6] | (data[at + 7] << 8);
          at += 8;
        }
      if (value > length - at)
        return false;
      at += value;
    }
  return at + 8 <= length;
}

/* GDCM is built with assertions: an element of the image pixel module
 * with another VR than the dictionary's aborts the process inside
 * gdcm::Attribute.  These are checked before GDCM reads the image; a
 * Number of Frames written as US (as pyDICOS does) is rewritten as IS. */
const struct { guint16 element; gdcm::VR::VRType vr; } pixel_module[] = {
  { 0x0002, gdcm::VR::US }, { 0x0006, gdcm::VR::US }, { 0x0008, gdcm::VR::IS },
  { 0x0010, gdcm::VR::US }, { 0x0011, gdcm::VR::US }, { 0x0100, gdcm::VR::US },
  { 0x0101, gdcm::VR::US }, { 0x0102, gdcm::VR::US }, { 0x0103, gdcm::VR::US },
};

bool
fix_pixel_module (gdcm::DataSet &ds, std::string &why)
{
  for (const auto &entry : pixel_module)
    {
      gdcm::Tag tag (0x0028, entry.element);
      if (!ds.FindDataElement (tag))
        continue;
      const gdcm::DataElement &de = ds.GetDataElement (tag);
      const gdcm::ByteValue *bv = de.GetByteValue ();
      gdcm::VR vr = de.GetVR ();

      if (vr == gdcm::VR::INVALID || vr == entry.vr)
        {
          if (entry.vr == gdcm::VR::US && (bv == nullptr || bv->GetLength () != 2))
            {
              why = "element " + tag.PrintAsPipeSeparatedString () + " is not one 16-bit value";
              return false;
            }
          continue;
        }
      if (entry.element == 0x0008 && vr == gdcm::VR::US && bv && bv->GetLength () == 2)
        {
          const guint8 *b = reinterpret_cast<const guint8 *> (bv->GetPointer ());
          std::string n = std::to_string (b[0] | (b[1] << 8));
          gdcm::DataElement fixed (tag);

          if (n.size () % 2)
            n += ' ';
          fixed.SetVR (gdcm::VR::IS);
          fixed.SetByteValue (n.data (), (guint32) n.size ());
          ds.Replace (fixed);
          continue;
        }
      why = "element " + tag.PrintAsPipeSeparatedString () + " has the wrong VR";
      return false;
    }
  return true;
}

/* The image is read once the data set is known to be safe for it; DICOS
 * SOP classes are unknown to GDCM's media storage table, so they are read
 * as the DICOM class of the same image (DX as DX, CT as enhanced CT,
 * which has frames). */
class Reader : public gdcm::ImageReader
{
public:
  bool
  ReadDataSetOnly ()
  {
    return gdcm::Reader::Read ();
  }

  bool
  ReadImageAs (const std::string &sop_class)
  {
    const std::string dicos = "1.2.840.10008.5.1.4.1.1.501.";
    gdcm::MediaStorage ms;

    /* as gdcm::PixmapReader::Read () does before reading the image */
    PixelData->SetTransferSyntax (GetFile ().GetHeader ().GetDataSetTransferSyntax ());
    if (sop_class.compare (0, dicos.size (), dicos) == 0)
      {
        if (sop_class == dicos + "1" || sop_class == dicos + "1.1")
          return ReadImage (gdcm::MediaStorage::EnhancedCTImageStorage);
        if (sop_class.compare (0, dicos.size () + 1, dicos + "2") == 0)
          return ReadImage (gdcm::MediaStorage::DigitalXRayImageStorageForProcessing);
        return false;
      }
    ms.SetFromFile (GetFile ());
    if (gdcm::MediaStorage::IsImage (ms))
      return ReadImage (ms);
    if (GetFile ().GetHeader ().IsEmpty ())
      return ReadACRNEMAImage ();
    return false;
  }
};

} /* namespace */

struct _DlGdcm
{
  MemoryBuf          buf;
  std::istream       stream;
  Reader             reader;
  gboolean           have_image;
  gboolean           image_tried;
  gboolean           abandoned;     /* GDCM failed an assertion inside */
  std::string        why_not;
  std::string        photometric;
  std::string        transfer_syntax;
  std::string        transfer_syntax_name;
  const void        *data;
  gsize              length;

  _DlGdcm (const guint8 *bytes, gsize n)
    : buf (bytes, n), stream (&buf), have_image (FALSE), image_tried (FALSE), abandoned (FALSE),
      data (bytes), length (n)
  {
  }
};

/* The DICM magic after the 128-byte preamble, or a dataset without one
 * that starts with a group 0002 or 0008 element in little endian (the old
 * ACR-NEMA style GDCM also reads). */
gboolean
dl_dicom_sniff (const guint8 *data,
                gsize         length)
{
  if (length >= 132 && memcmp (data + 128, "DICM", 4) == 0)
    return TRUE;
  if (length < 8)
    return FALSE;
  return (data[0] == 0x08 || data[0] == 0x02) && data[1] == 0x00 && data[3] == 0x00;
}

static bool
read_data_set (DlGdcm *self,
               char   **detail,
               bool    *jumped)
{
  volatile bool ok = false, jump = false;

  GUARDED (jump, ok = self->reader.ReadDataSetOnly (), detail);
  *jumped = jump;
  return ok;
}

DlGdcm *
dl_gdcm_open (const guint8  *data,
               gsize          length,
               DlDicomStatus *status,
               char         **detail)
{
  DlGdcm *self = nullptr;

  quiet_gdcm ();
  if (!meta_group_sound (data, length))
    {
      set_detail (detail, "the file meta information is cut short or malformed");
      *status = DL_DICOM_DAMAGED;
      return nullptr;
    }
  try
    {
      bool ok, jumped = false;

      self = new _DlGdcm (data, length);
      self->reader.SetStream (self->stream);
      ok = read_data_set (self, detail, &jumped);
      if (jumped)
        {
          *status = DL_DICOM_DAMAGED;
          return nullptr;   /* abandoned: see GUARDED */
        }
      if (!ok || self->reader.GetFile ().GetDataSet ().IsEmpty ())
        {
          set_detail (detail, "GDCM could not read the whole data set");
          *status = DL_DICOM_DAMAGED;
          delete self;
          return nullptr;
        }
      *status = DL_DICOM_OK;
      return self;
    }
  catch (const std::bad_alloc &)
    {
      *status = DL_DICOM_NO_MEMORY;
    }
  catch (const std::exception &e)
    {
      set_detail (detail, e.what ());
      *status = DL_DICOM_DAMAGED;
    }
  catch (...)
    {
      set_detail (detail, "unknown exception in GDCM");
      *status = DL_DICOM_DAMAGED;
    }
  delete self;
  return nullptr;
}

void
dl_gdcm_free (DlGdcm *self)
{
  if (self == nullptr || self->abandoned)
    return;   /* GDCM's state after a failed assertion is not to be touched */
  try
    {
      delete self;
    }
  catch (...)
    {
    }
}

gboolean
dl_gdcm_has_element (DlGdcm *self,
                      guint16  group,
                      guint16  element)
{
  try
    {
      return self->reader.GetFile ().GetDataSet ().FindDataElement (gdcm::Tag (group, element));
    }
  catch (...)
    {
      return FALSE;
    }
}

char *
dl_gdcm_dup_string (DlGdcm *self,
                     guint16  group,
                     guint16  element)
{
  try
    {
      const gdcm::DataSet &ds = self->reader.GetFile ().GetDataSet ();
      gdcm::Tag tag (group, element);
      gdcm::StringFilter sf;

      if (!ds.FindDataElement (tag) || ds.GetDataElement (tag).IsEmpty ())
        return nullptr;
      sf.SetFile (self->reader.GetFile ());
      return dup_trimmed (sf.ToString (tag));
    }
  catch (...)
    {
      return nullptr;
    }
}

void
dl_gdcm_foreach_element (DlGdcm             *self,
                         gsize               max_value,
                         DlGdcmElementFunc   func,
                         gpointer            user_data)
{
  try
    {
      const gdcm::DataSet &ds = self->reader.GetFile ().GetDataSet ();

      for (const gdcm::DataElement &de : ds.GetDES ())
        {
          const gdcm::Tag &tag = de.GetTag ();
          g_autofree char *value = nullptr;
          bool binary = de.GetVR () & (gdcm::VR::SQ | gdcm::VR::OB | gdcm::VR::OW | gdcm::VR::OF | gdcm::VR::OD
                                       | gdcm::VR::OL | gdcm::VR::UN);

          if (tag == pixel_data_tag || tag.IsGroupLength ())
            binary = true;
          if (!binary && !de.IsEmpty () && de.GetVL ().IsUndefined () == false && de.GetVL () <= max_value)
            value = dl_gdcm_dup_string (self, tag.GetGroup (), tag.GetElement ());
          func (tag.GetGroup (), tag.GetElement (), value, user_data);
        }
    }
  catch (...)
    {
    }
}

static bool
read_image_guarded (DlGdcm     *self,
                    const char  *sop_class,
                    char       **assertion)
{
  volatile bool jumped = false;

  GUARDED (jumped, self->have_image = self->reader.ReadImageAs (sop_class), assertion);
  return !jumped;
}

static bool
read_image (DlGdcm *self)
{
  if (!self->image_tried)
    {
      gdcm::StringFilter sf;
      g_autofree char *sop_class = nullptr;

      self->image_tried = TRUE;
      if (!fix_pixel_module (self->reader.GetFile ().GetDataSet (), self->why_not))
        return false;
      char *assertion = nullptr;

      sf.SetFile (self->reader.GetFile ());
      sop_class = dup_trimmed (sf.ToString (gdcm::Tag (0x0008, 0x0016)));
      if (!read_image_guarded (self, sop_class ? sop_class : "", &assertion))
        {
          self->abandoned = TRUE;
          self->have_image = FALSE;
          self->why_not = assertion ? assertion : "GDCM failed";
          g_free (assertion);
        }
      else if (!self->have_image)
        self->why_not = "GDCM found no image it could describe";
    }
  return self->have_image;
}

/* GDCM keeps the declared length of a value cut short by the end of the
 * file: the native Pixel Data is looked for in the bytes (its tag and that
 * length, explicit or implicit VR, either byte order) and must end within
 * them. */
static bool
native_pixels_in_file (DlGdcm *self,
                       guint64  declared)
{
  const guint8 *data = reinterpret_cast<const guint8 *> (self->data);
  gsize length = self->length;

  for (gsize at = length >= 8 ? length - 8 : 0; at + 8 <= length && length >= 8; at--)
    {
      bool le = data[at] == 0xe0 && data[at + 1] == 0x7f && data[at + 2] == 0x10 && data[at + 3] == 0x00;
      bool be = data[at] == 0x7f && data[at + 1] == 0xe0 && data[at + 2] == 0x00 && data[at + 3] == 0x10;

      if (le || be)
        {
          gsize starts[2] = { at + 12, at + 8 };   /* explicit OB/OW; implicit */
          for (gsize start : starts)
            {
              if (start > length)
                continue;
              const guint8 *l = data + start - 4;
              guint64 v = le ? (l[0] | l[1] << 8 | l[2] << 16 | (guint64) l[3] << 24)
                             : (l[3] | l[2] << 8 | l[1] << 16 | (guint64) l[0] << 24);
              if (v == declared)
                return declared <= length - start;
            }
        }
      if (at == 0)
        break;
    }
  return false;
}

static void
fill_image (DlGdcm      *self,
            DlDicomImage *image)
{
  const gdcm::Image &img = self->reader.GetImage ();
  const gdcm::PixelFormat &pf = img.GetPixelFormat ();
  const gdcm::TransferSyntax &ts = self->reader.GetFile ().GetHeader ().GetDataSetTransferSyntax ();
  const gdcm::DataSet &ds = self->reader.GetFile ().GetDataSet ();
  gdcm::UIDs uid;

  memset (image, 0, sizeof *image);
  image->columns = img.GetDimension (0);
  image->rows = img.GetDimension (1);
  image->frames = img.GetNumberOfDimensions () > 2 ? img.GetDimension (2) : 1;
  image->samples_per_pixel = pf.GetSamplesPerPixel ();
  image->bits_allocated = pf.GetBitsAllocated ();
  image->bits_stored = pf.GetBitsStored ();
  image->high_bit = pf.GetHighBit ();
  image->is_signed = pf.GetPixelRepresentation () != 0;
  image->slope = img.GetSlope ();
  image->intercept = img.GetIntercept ();
  self->photometric = img.GetPhotometricInterpretation ().GetString ()
                      ? img.GetPhotometricInterpretation ().GetString () : "";
  self->photometric.erase (self->photometric.find_last_not_of (' ') + 1);
  image->photometric = self->photometric.c_str ();
  self->transfer_syntax = ts.GetString () ? ts.GetString () : "";
  if (uid.SetFromUID (self->transfer_syntax.c_str ()) && uid.GetName ())
    self->transfer_syntax_name = uid.GetName ();
  else
    self->transfer_syntax_name = self->transfer_syntax;
  image->transfer_syntax = self->transfer_syntax.c_str ();
  image->transfer_syntax_name = self->transfer_syntax_name.c_str ();
  image->encapsulated = ds.FindDataElement (pixel_data_tag)
                        && ds.GetDataElement (pixel_data_tag).GetSequenceOfFragments () != nullptr;
  image->lossy = ts.IsLossy ();
  image->buffer_length = img.GetBufferLength ();
  if (!image->encapsulated && ds.FindDataElement (pixel_data_tag))
    {
      const gdcm::ByteValue *bv = ds.GetDataElement (pixel_data_tag).GetByteValue ();
      image->pixel_data_length = bv ? (guint32) bv->GetLength () : 0;
      if (!native_pixels_in_file (self, image->pixel_data_length))
        image->pixel_data_length = 0;
    }
}

gboolean
dl_gdcm_get_image (DlGdcm       *self,
                    DlDicomImage  *image,
                    DlDicomStatus *status,
                    char         **detail)
{
  try
    {
      if (!self->reader.GetFile ().GetDataSet ().FindDataElement (pixel_data_tag))
        {
          *status = DL_DICOM_NO_PIXEL_DATA;
          return FALSE;
        }
      if (!read_image (self))
        {
          set_detail (detail, self->why_not.c_str ());
          *status = DL_DICOM_NOT_IMAGE;
          return FALSE;
        }
      fill_image (self, image);
      *status = DL_DICOM_OK;
      return TRUE;
    }
  catch (const std::exception &e)
    {
      set_detail (detail, e.what ());
    }
  catch (...)
    {
      set_detail (detail, "unknown exception in GDCM");
    }
  *status = DL_DICOM_NOT_IMAGE;
  return FALSE;
}

DlDicomStatus
dl_gdcm_decode (DlGdcm *self,
                 void    *buffer,
                 gsize    length,
                 char   **detail)
{
  try
    {
      const gdcm::Image &img = self->reader.GetImage ();

      if (self->abandoned || !self->have_image || img.GetBufferLength () != length)
        {
          set_detail (detail, "the decoded size is not the image's");
          return DL_DICOM_DECODE_FAILED;
        }
      volatile bool ok = false, jumped = false;

      GUARDED (jumped, ok = img.GetBuffer (static_cast<char *> (buffer)), detail);
      if (jumped)
        {
          self->abandoned = TRUE;
          return DL_DICOM_DECODE_FAILED;
        }
      if (!ok)
        {
          set_detail (detail, "GDCM could not decode the pixel data");
          return DL_DICOM_DECODE_FAILED;
        }
      return DL_DICOM_OK;
    }
  catch (const std::bad_alloc &)
    {
      return DL_DICOM_NO_MEMORY;
    }
  catch (const std::exception &e)
    {
      set_detail (detail, e.what ());
    }
  catch (...)
    {
      set_detail (detail, "unknown exception in GDCM");
    }
  return DL_DICOM_DECODE_FAILED;
}

/* ---- threat detection reports ------------------------------------------- */

namespace {

struct Items
{
  const gdcm::StringFilter &sf;

  /* The text of @tag in @ds, or NULL. */
  char *
  text (const gdcm::DataSet &ds, guint16 group, guint16 element) const
  {
    gdcm::Tag tag (group, element);

    if (!ds.FindDataElement (tag) || ds.GetDataElement (tag).IsEmpty ())
      return nullptr;
    return dup_trimmed (sf.ToString (ds.GetDataElement (tag)));
  }

  /* The numbers of @tag, '\\'-separated, at most @max (all when 0). */
  GArray *
  numbers (const gdcm::DataSet &ds, guint16 group, guint16 element, guint max) const
  {
    g_autofree char *s = text (ds, group, element);
    g_auto(GStrv) parts = nullptr;
    GArray *out;

    if (s == nullptr)
      return nullptr;
    parts = g_strsplit (s, "\\", -1);
    out = g_array_new (FALSE, FALSE, sizeof (double));
    for (guint i = 0; parts[i] && (max == 0 || i < max); i++)
      {
        char *end = nullptr;
        double v = g_ascii_strtod (parts[i], &end);

        if (end == parts[i] || !std::isfinite (v))
          {
            g_array_unref (out);
            return nullptr;
          }
        g_array_append_val (out, v);
      }
    return out;
  }

  /* The text of element @element of Doorlicht's private block, or NULL. */
  char *
  private_text (const gdcm::DataSet &ds, guint8 element) const
  {
    gdcm::PrivateTag tag (DL_DICOS_PRIVATE_GROUP, element, DL_DICOS_PRIVATE_CREATOR);

    if (!ds.FindDataElement (tag) || ds.GetDataElement (tag).IsEmpty ())
      return nullptr;
    return dup_trimmed (sf.ToString (ds.GetDataElement (tag)));
  }

  double
  number (const gdcm::DataSet &ds, guint16 group, guint16 element) const
  {
    GArray *a = numbers (ds, group, element, 1);
    double v = a && a->len == 1 ? g_array_index (a, double, 0) : NAN;

    if (a)
      g_array_unref (a);
    return v;
  }
};

/* The first item of sequence @tag in @ds, or NULL. */
const gdcm::DataSet *
first_item (const gdcm::DataSet &ds, guint16 group, guint16 element)
{
  gdcm::Tag tag (group, element);

  if (!ds.FindDataElement (tag))
    return nullptr;
  gdcm::SmartPointer<gdcm::SequenceOfItems> sq = ds.GetDataElement (tag).GetValueAsSQ ();
  if (!sq || sq->GetNumberOfItems () == 0)
    return nullptr;
  return &sq->GetItem (1).GetNestedDataSet ();
}

void
read_box (const Items &in, const gdcm::DataSet &pto, DlDicosThreat *t)
{
  const gdcm::DataSet *voxel = first_item (pto, 0x4010, 0x1001);
  GArray *base, *extents;

  if (voxel == nullptr)
    return;
  base = in.numbers (*voxel, 0x4010, 0x1004, 3);
  extents = in.numbers (*voxel, 0x4010, 0x1005, 3);
  if (base && extents && base->len == extents->len && base->len >= 2)
    {
      t->n_dims = base->len;
      for (guint i = 0; i < base->len; i++)
        {
          t->base[i] = g_array_index (base, double, i);
          t->extents[i] = g_array_index (extents, double, i);
        }
    }
  if (base)
    g_array_unref (base);
  if (extents)
    g_array_unref (extents);
  gdcm::Tag bitmap (0x4010, 0x1006);
  if (voxel->FindDataElement (bitmap))
    {
      const gdcm::VL vl = voxel->GetDataElement (bitmap).GetVL ();
      t->bitmap_bytes = vl.IsUndefined () ? 0 : (guint) (guint32) vl;
    }
}

DlDicosThreat *
read_threat (const Items &in, const gdcm::DataSet &item)
{
  DlDicosThreat *t = dl_dicos_threat_new ();
  const gdcm::DataSet *pto = first_item (item, 0x4010, 0x1037);
  const gdcm::DataSet *atd = first_item (item, 0x4010, 0x1038);
  double id = in.number (item, 0x4010, 0x1010);
  g_autofree char *when = in.private_text (item, DL_DICOS_PRIVATE_RESPONSE_TIME);

  t->id = std::isfinite (id) && id >= 0 && id <= G_MAXUINT ? (guint) id : 0;
  t->source = in.private_text (item, DL_DICOS_PRIVATE_SOURCE);
  t->response = in.private_text (item, DL_DICOS_PRIVATE_RESPONSE);
  t->responder = in.private_text (item, DL_DICOS_PRIVATE_RESPONDER);
  t->response_time = dl_dicos_parse_datetime (when);
  if (atd)
    {
      t->category = in.text (*atd, 0x4010, 0x1012);
      t->category_description = in.text (*atd, 0x4010, 0x1013);
      t->ability = in.text (*atd, 0x4010, 0x1014);
      t->assessment = in.text (*atd, 0x4010, 0x1015);
      t->probability = in.number (*atd, 0x4010, 0x1016);
    }
  if (pto)
    {
      const gdcm::DataSet *ref = first_item (*pto, 0x0008, 0x114a);

      if (ref)
        {
          t->referenced_sop_class_uid = in.text (*ref, 0x0008, 0x1150);
          t->referenced_sop_instance_uid = in.text (*ref, 0x0008, 0x1155);
        }
      read_box (in, *pto, t);
      t->polygon = in.numbers (*pto, 0x4010, 0x101d, 0);
      t->mass = in.number (*pto, 0x4010, 0x1017);
      t->density = in.number (*pto, 0x4010, 0x1018);
      t->location = in.text (*pto, 0x4010, 0x1078);
    }
  return t;
}

} /* namespace */

gboolean
dl_gdcm_read_tdr (DlGdcm    *self,
                   DlDicosTdr *tdr,
                   char      **detail)
{
  try
    {
      const gdcm::DataSet &ds = self->reader.GetFile ().GetDataSet ();
      gdcm::StringFilter sf;
      Items in { sf };
      gdcm::Tag threats (0x4010, 0x1011);
      double n;

      sf.SetFile (self->reader.GetFile ());
      tdr->sop_instance_uid = in.text (ds, 0x0008, 0x0018);
      tdr->tdr_type = in.text (ds, 0x4010, 0x1027);
      tdr->alarm_decision = in.text (ds, 0x4010, 0x1031);
      tdr->algorithm = in.text (ds, 0x4010, 0x1029);
      tdr->ooi_type = in.text (ds, 0x4010, 0x1042);
      tdr->operator_id = in.text (ds, 0x0008, 0x1070);
      tdr->verdict = in.private_text (ds, DL_DICOS_PRIVATE_VERDICT);
      g_autofree char *when = in.text (ds, 0x4010, 0x102b);
      tdr->alarm_decision_time = dl_dicos_parse_datetime (when);
      n = in.number (ds, 0x4010, 0x1034);
      tdr->n_alarm_objects = std::isfinite (n) && n >= 0 && n <= G_MAXUINT ? (guint) n : 0;
      n = in.number (ds, 0x4010, 0x1033);
      tdr->n_total_objects = std::isfinite (n) && n >= 0 && n <= G_MAXUINT ? (guint) n : 0;
      if (!ds.FindDataElement (threats))
        return TRUE;
      gdcm::SmartPointer<gdcm::SequenceOfItems> sq = ds.GetDataElement (threats).GetValueAsSQ ();
      if (!sq)
        return TRUE;
      for (gdcm::SequenceOfItems::SizeType i = 1; i <= sq->GetNumberOfItems (); i++)
        g_ptr_array_add (tdr->threats, read_threat (in, sq->GetItem (i).GetNestedDataSet ()));
      return TRUE;
    }
  catch (const std::exception &e)
    {
      set_detail (detail, e.what ());
    }
  catch (...)
    {
      set_detail (detail, "unknown exception in GDCM");
    }
  return FALSE;
}

/* ---- writing a DICOS DX ---------------------------------------------------- */

namespace {

/* An element of @vr holding @text, padded to even length (UI with a NUL,
 * the rest with a space). */
void
put_text (gdcm::DataSet &ds, guint16 group, guint16 element, gdcm::VR::VRType vr, const char *text)
{
  gdcm::DataElement de (gdcm::Tag (group, element));
  std::string s = text ? text : "";

  if (s.size () % 2)
    s += vr == gdcm::VR::UI ? '\0' : ' ';
  de.SetVR (vr);
  de.SetByteValue (s.data (), (guint32) s.size ());
  ds.Replace (de);
}

void
put_binary (gdcm::DataSet &ds, guint16 group, guint16 element, gdcm::VR::VRType vr,
            const void *bytes, guint32 length)
{
  gdcm::DataElement de (gdcm::Tag (group, element));

  de.SetVR (vr);
  de.SetByteValue (static_cast<const char *> (bytes), length);
  ds.Replace (de);
}

void
put_us (gdcm::DataSet &ds, guint16 element, guint16 value)
{
  guint16 le = GUINT16_TO_LE (value);

  put_binary (ds, 0x0028, element, gdcm::VR::US, &le, 2);
}

std::string
decimal (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* DS holds 16 characters: %.10g keeps a pitch's digits within them */
  g_ascii_formatd (buf, sizeof buf, "%.10g", v);
  return buf;
}

/* Dates and times of creation, study, series and content: now, in UTC. */
void
put_dates (gdcm::DataSet &ds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format (now, "%Y%m%d");
  g_autofree char *time = g_date_time_format (now, "%H%M%S");
  static const guint16 dates[] = { 0x0012, 0x0020, 0x0021, 0x0023 };
  static const guint16 times[] = { 0x0013, 0x0030, 0x0031, 0x0033 };

  for (guint16 e : dates)
    put_text (ds, 0x0008, e, gdcm::VR::DA, date);
  for (guint16 e : times)
    put_text (ds, 0x0008, e, gdcm::VR::TM, time);
  put_text (ds, 0x0008, 0x0201, gdcm::VR::SH, "+0000");
}

/* The general, equipment and DICOS modules, as the pyDICOS samples have them. */
void
put_identity (gdcm::DataSet &ds, const DlDicomDx *dx, const std::string &instance)
{
  gdcm::UIDGenerator uids;

  put_text (ds, 0x0008, 0x0005, gdcm::VR::CS, "ISO_IR 192");   /* UTF-8 */
  put_text (ds, 0x0008, 0x0008, gdcm::VR::CS, "ORIGINAL\\INTENSITY");
  put_text (ds, 0x0008, 0x0016, gdcm::VR::UI, dx->sop_class_uid);
  put_text (ds, 0x0008, 0x0018, gdcm::VR::UI, instance.c_str ());
  put_text (ds, 0x0008, 0x0060, gdcm::VR::CS, "XRAY");
  put_text (ds, 0x0008, 0x0068, gdcm::VR::CS, "FOR PROCESSING");
  put_text (ds, 0x0008, 0x0070, gdcm::VR::LO, dx->manufacturer);
  put_text (ds, 0x0008, 0x1090, gdcm::VR::LO, dx->model);
  /* Series Description is one LO value (64 characters, no backslash); the
   * whole description, Doorlicht's JSON with the profile's name and the
   * air values, goes in Image Comments (LT) */
  if (dx->description && g_utf8_strlen (dx->description, -1) <= 64 && !strchr (dx->description, '\\'))
    put_text (ds, 0x0008, 0x103e, gdcm::VR::LO, dx->description);
  if (dx->description)
    put_text (ds, 0x0020, 0x4000, gdcm::VR::LT, dx->description);
  put_text (ds, 0x0010, 0x0020, gdcm::VR::LO, dx->ooi_id);
  put_text (ds, 0x0018, 0x1000, gdcm::VR::LO, dx->serial);
  if (dx->software)
    put_text (ds, 0x0018, 0x1020, gdcm::VR::LO, dx->software);
  put_text (ds, 0x0020, 0x000d, gdcm::VR::UI, uids.Generate ());
  put_text (ds, 0x0020, 0x000e, gdcm::VR::UI, uids.Generate ());
  put_text (ds, 0x0020, 0x0010, gdcm::VR::SH, "");
  put_text (ds, 0x0020, 0x0013, gdcm::VR::IS, "1");
  put_text (ds, 0x4010, 0x103a, gdcm::VR::CS, "V03");
  put_text (ds, 0x4010, 0x1042, gdcm::VR::CS, dx->ooi_type ? dx->ooi_type : "CARGO");
  put_text (ds, 0x4010, 0x1044, gdcm::VR::CS, "SUCCESSFUL");
  put_text (ds, 0x4010, 0x1048, gdcm::VR::CS, "OPERATIONAL");
  put_dates (ds);
}

/* Image pixel, multi-frame, DX image and detector modules, and the pixels. */
void
put_image (gdcm::DataSet &ds, const DlDicomDx *dx)
{
  gsize frame = (gsize) dx->columns * dx->rows;
  std::string labels, frames = std::to_string (dx->frames);
  std::vector<guint16> pixels (frame * dx->frames);
  const guint32 pointer = GUINT32_TO_LE (0x0018u | (0x2002u << 16));   /* (0018,2002) */

  for (guint f = 0; f < dx->frames; f++)
    {
      labels += (f ? "\\" : "") + std::string (dx->labels[f]);
      for (gsize i = 0; i < frame; i++)
        pixels[f * frame + i] = GUINT16_TO_LE (dx->data[f][i]);
    }
  put_text (ds, 0x0018, 0x2002, gdcm::VR::SH, labels.c_str ());
  if (dx->row_spacing_mm > 0 && dx->column_spacing_mm > 0)
    {
      std::string spacing = decimal (dx->row_spacing_mm) + "\\" + decimal (dx->column_spacing_mm);
      put_text (ds, 0x0018, 0x1164, gdcm::VR::DS, spacing.c_str ());
      put_text (ds, 0x0028, 0x0030, gdcm::VR::DS, spacing.c_str ());
    }
  put_us (ds, 0x0002, 1);
  put_text (ds, 0x0028, 0x0004, gdcm::VR::CS, "MONOCHROME2");
  put_text (ds, 0x0028, 0x0008, gdcm::VR::IS, frames.c_str ());
  put_binary (ds, 0x0028, 0x0009, gdcm::VR::AT, &pointer, 4);
  put_us (ds, 0x0010, (guint16) dx->rows);
  put_us (ds, 0x0011, (guint16) dx->columns);
  put_us (ds, 0x0100, 16);
  put_us (ds, 0x0101, 16);
  put_us (ds, 0x0102, 15);
  put_us (ds, 0x0103, 0);
  put_text (ds, 0x0028, 0x1040, gdcm::VR::CS, "LIN");
  put_text (ds, 0x0028, 0x1052, gdcm::VR::DS, "0");
  put_text (ds, 0x0028, 0x1053, gdcm::VR::DS, "1");
  put_text (ds, 0x0028, 0x1054, gdcm::VR::LO, "US");
  put_text (ds, 0x0028, 0x2110, gdcm::VR::CS, "00");
  put_text (ds, 0x2050, 0x0020, gdcm::VR::CS, "IDENTITY");
  put_binary (ds, 0x7fe0, 0x0010, gdcm::VR::OW, pixels.data (), (guint32) (pixels.size () * 2));
}

} /* namespace */

/* A new object filled by @fill (given its SOP Instance UID: @preset, or a
 * fresh one when NULL), written
 * to @path in explicit VR little endian; nothing C++ escapes. */
template <typename Fill> gboolean
write_object (Fill fill, const char *preset, const char *path, char **sop_instance_uid, char **detail)
{
  quiet_gdcm ();
  try
    {
      gdcm::Writer writer;
      gdcm::UIDGenerator uids;
      std::string instance = preset ? preset : uids.Generate ();

      fill (writer.GetFile ().GetDataSet (), instance);
      writer.GetFile ().GetHeader ().SetDataSetTransferSyntax (gdcm::TransferSyntax::ExplicitVRLittleEndian);
      writer.SetFileName (path);
      if (!writer.Write ())
        {
          set_detail (detail, "GDCM could not write the file");
          return FALSE;
        }
      if (sop_instance_uid)
        *sop_instance_uid = g_strdup (instance.c_str ());
      return TRUE;
    }
  catch (const std::bad_alloc &)
    {
      set_detail (detail, "out of memory");
    }
  catch (const std::exception &e)
    {
      set_detail (detail, e.what ());
    }
  catch (...)
    {
      set_detail (detail, "unknown exception in GDCM");
    }
  return FALSE;
}

gboolean
dl_dicom_write_dx (const DlDicomDx *dx,
                   const char      *path,
                   char           **sop_instance_uid,
                   char           **detail)
{
  return write_object ([dx] (gdcm::DataSet &ds, const std::string &instance)
                         {
                           put_identity (ds, dx, instance);
                           put_image (ds, dx);
                         }, dx->sop_instance_uid, path, sop_instance_uid, detail);
}

/* ---- writing a DICOS TDR --------------------------------------------------- */

namespace {

void
put_floats (gdcm::DataSet &ds, guint16 group, guint16 element, const double *v, guint n)
{
  std::vector<float> f (n);

  for (guint i = 0; i < n; i++)
    {
      float x = (float) v[i];
      guint32 bits;

      memcpy (&bits, &x, 4);
      bits = GUINT32_TO_LE (bits);
      memcpy (&f[i], &bits, 4);
    }
  put_binary (ds, group, element, gdcm::VR::FL, f.data (), n * 4);
}

void
put_ushort (gdcm::DataSet &ds, guint16 group, guint16 element, guint value)
{
  guint16 le = GUINT16_TO_LE ((guint16) MIN (value, G_MAXUINT16));

  put_binary (ds, group, element, gdcm::VR::US, &le, 2);
}

/* A sequence of the one item @item at @tag. */
void
put_item (gdcm::DataSet &ds, guint16 group, guint16 element, const gdcm::DataSet &nested)
{
  gdcm::SmartPointer<gdcm::SequenceOfItems> sq = new gdcm::SequenceOfItems ();
  gdcm::Item item;
  gdcm::DataElement de (gdcm::Tag (group, element));

  item.SetVLToUndefined ();
  item.SetNestedDataSet (nested);
  sq->SetLengthToUndefined ();
  sq->AddItem (item);
  de.SetVR (gdcm::VR::SQ);
  de.SetValue (*sq);
  de.SetVLToUndefined ();
  ds.Replace (de);
}

/* Doorlicht's private element @element (its creator first), when @text is set. */
void
put_private (gdcm::DataSet &ds, guint8 element, gdcm::VR::VRType vr, const char *text)
{
  if (text == nullptr)
    return;
  put_text (ds, DL_DICOS_PRIVATE_GROUP, 0x0010, gdcm::VR::LO, DL_DICOS_PRIVATE_CREATOR);
  put_text (ds, DL_DICOS_PRIVATE_GROUP, 0x1000 | element, vr, text);
}

void
put_threat_box (gdcm::DataSet &pto, const DlDicosThreat *t)
{
  gdcm::DataSet voxel;

  if (t->n_dims < 2)
    return;
  put_floats (voxel, 0x4010, 0x1004, t->base, t->n_dims);
  put_floats (voxel, 0x4010, 0x1005, t->extents, t->n_dims);
  put_item (pto, 0x4010, 0x1001, voxel);
}

/* The PTO Representation Sequence's item: the image, the box, the polygon. */
void
put_representation (gdcm::DataSet &item, const DlDicosThreat *t)
{
  gdcm::DataSet pto, ref;

  put_text (ref, 0x0008, 0x1150, gdcm::VR::UI, t->referenced_sop_class_uid);
  put_text (ref, 0x0008, 0x1155, gdcm::VR::UI, t->referenced_sop_instance_uid);
  put_item (pto, 0x0008, 0x114a, ref);
  put_threat_box (pto, t);
  if (t->polygon && t->polygon->len > 0)
    put_floats (pto, 0x4010, 0x101d, (const double *) t->polygon->data, t->polygon->len);
  put_item (item, 0x4010, 0x1037, pto);
}

void
put_assessment (gdcm::DataSet &item, const DlDicosThreat *t)
{
  gdcm::DataSet atd;

  put_text (atd, 0x4010, 0x1012, gdcm::VR::CS, t->category ? t->category : "ANOMALY");
  if (t->category_description)
    put_text (atd, 0x4010, 0x1013, gdcm::VR::LT, t->category_description);
  put_text (atd, 0x4010, 0x1014, gdcm::VR::CS, t->ability ? t->ability : "NO_INTERFERENCE");
  put_text (atd, 0x4010, 0x1015, gdcm::VR::CS, t->assessment ? t->assessment : "UNKNOWN");
  if (std::isfinite (t->probability))
    put_floats (atd, 0x4010, 0x1016, &t->probability, 1);
  put_item (item, 0x4010, 0x1038, atd);
}

gdcm::Item
threat_item (const DlDicosThreat *t)
{
  gdcm::Item item;
  gdcm::DataSet &ds = item.GetNestedDataSet ();
  g_autofree char *when = t->response_time ? dl_dicos_format_datetime (t->response_time) : nullptr;

  item.SetVLToUndefined ();
  put_ushort (ds, 0x4010, 0x1010, t->id);
  put_representation (ds, t);
  put_assessment (ds, t);
  put_private (ds, DL_DICOS_PRIVATE_SOURCE, gdcm::VR::LO, t->source);
  put_private (ds, DL_DICOS_PRIVATE_RESPONSE, gdcm::VR::CS, t->response);
  put_private (ds, DL_DICOS_PRIVATE_RESPONDER, gdcm::VR::LO, t->responder);
  put_private (ds, DL_DICOS_PRIVATE_RESPONSE_TIME, gdcm::VR::DT, when);
  return item;
}

void
put_threats (gdcm::DataSet &ds, const DlDicosTdr *tdr)
{
  gdcm::SmartPointer<gdcm::SequenceOfItems> sq = new gdcm::SequenceOfItems ();
  gdcm::DataElement de (gdcm::Tag (0x4010, 0x1011));

  sq->SetLengthToUndefined ();
  for (guint i = 0; i < tdr->threats->len; i++)
    sq->AddItem (threat_item (static_cast<const DlDicosThreat *> (g_ptr_array_index (tdr->threats, i))));
  de.SetVR (gdcm::VR::SQ);
  de.SetValue (*sq);
  de.SetVLToUndefined ();
  ds.Replace (de);
}

/* The general, equipment, OOI and TDR modules, as the pyDICOS samples have them. */
void
put_report (gdcm::DataSet &ds, const DlDicosTdr *tdr, const char *software, const std::string &instance)
{
  gdcm::UIDGenerator uids;
  g_autofree char *decided = tdr->alarm_decision_time ? dl_dicos_format_datetime (tdr->alarm_decision_time) : nullptr;

  put_text (ds, 0x0008, 0x0005, gdcm::VR::CS, "ISO_IR 192");   /* UTF-8 */
  put_text (ds, 0x0008, 0x0016, gdcm::VR::UI, DL_DICOS_TDR_SOP_CLASS);
  put_text (ds, 0x0008, 0x0018, gdcm::VR::UI, instance.c_str ());
  put_text (ds, 0x0008, 0x0060, gdcm::VR::CS, "TDR");
  put_text (ds, 0x0008, 0x0070, gdcm::VR::LO, "Doorlicht");
  put_text (ds, 0x0008, 0x1090, gdcm::VR::LO, "doorlicht");
  if (tdr->operator_id)
    put_text (ds, 0x0008, 0x1070, gdcm::VR::PN, tdr->operator_id);
  put_text (ds, 0x0010, 0x0020, gdcm::VR::LO, "");
  put_text (ds, 0x0018, 0x1000, gdcm::VR::LO, "");
  put_text (ds, 0x0018, 0x1020, gdcm::VR::LO, software);
  put_text (ds, 0x0020, 0x000d, gdcm::VR::UI, uids.Generate ());
  put_text (ds, 0x0020, 0x000e, gdcm::VR::UI, uids.Generate ());
  put_text (ds, 0x0020, 0x0010, gdcm::VR::SH, "");
  put_text (ds, 0x0020, 0x0013, gdcm::VR::IS, "1");
  put_text (ds, 0x4010, 0x1024, gdcm::VR::CS, "SUCCESS");
  put_text (ds, 0x4010, 0x1027, gdcm::VR::CS, tdr->tdr_type);
  put_text (ds, 0x4010, 0x1029, gdcm::VR::LO, tdr->algorithm ? tdr->algorithm : "");
  put_text (ds, 0x4010, 0x102b, gdcm::VR::DT, decided ? decided : "");
  put_text (ds, 0x4010, 0x1031, gdcm::VR::CS, tdr->alarm_decision ? tdr->alarm_decision : "UNKNOWN");
  put_ushort (ds, 0x4010, 0x1033, tdr->n_total_objects);
  put_ushort (ds, 0x4010, 0x1034, tdr->n_alarm_objects);
  put_text (ds, 0x4010, 0x103a, gdcm::VR::CS, "V03");
  put_text (ds, 0x4010, 0x1042, gdcm::VR::CS, tdr->ooi_type ? tdr->ooi_type : "CARGO");
  put_text (ds, 0x4010, 0x1044, gdcm::VR::CS, "SUCCESSFUL");
  put_text (ds, 0x4010, 0x1048, gdcm::VR::CS, "OPERATIONAL");
  put_private (ds, DL_DICOS_PRIVATE_VERDICT, gdcm::VR::CS, tdr->verdict);
  put_dates (ds);
  put_threats (ds, tdr);
}

} /* namespace */

gboolean
dl_dicom_write_tdr (const DlDicosTdr *tdr,
                    const char       *software,
                    const char       *path,
                    char            **sop_instance_uid,
                    char            **detail)
{
  return write_object ([tdr, software] (gdcm::DataSet &ds, const std::string &instance)
                         {
                           put_report (ds, tdr, software, instance);
                         }, nullptr, path, sop_instance_uid, detail);
}
