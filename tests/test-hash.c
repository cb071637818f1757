/* test-hash.c — SHA-256 through dl-hash: the published vectors, streaming
 * in odd pieces, and the very digests GLib's GChecksum gave (the case
 * files, exports and audit chains already written hold those).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dl-hash.h"

/* FIPS 180-2 appendix B and the NIST example values */
#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define ABC_SHA256   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define TWO_BLOCK_SHA256 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
#define MILLION_A_SHA256 "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"

static char *
glib_sha256 (const guint8 *data,
             gsize         length)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, length);
}

/* @data hashed in pieces of the lengths @pieces gives in turn (0 among them). */
static char *
streamed (const guint8 *data,
          gsize         length,
          const gsize  *pieces,
          guint         n_pieces)
{
  g_autoptr(DlSha256) sum = dl_sha256_new ();
  gsize at = 0;

  for (guint i = 0; at < length; i = (i + 1) % n_pieces)
    {
      gsize n = MIN (pieces[i], length - at);

      dl_sha256_update (sum, data + at, n);
      at += n;
    }
  return dl_sha256_finish_hex (sum);
}

static void
test_vectors (void)
{
  g_autofree char *empty = dl_sha256_hex ("", 0);
  g_autofree char *empty_null = dl_sha256_hex (NULL, 0);
  g_autofree char *abc = dl_sha256_hex ("abc", 3);
  g_autofree char *two = dl_sha256_hex ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56);
  g_autofree guint8 *million = g_malloc (1000000);
  g_autofree char *a = NULL;

  memset (million, 'a', 1000000);
  a = dl_sha256_hex (million, 1000000);
  g_assert_cmpstr (empty, ==, EMPTY_SHA256);
  g_assert_cmpstr (empty_null, ==, EMPTY_SHA256);
  g_assert_cmpstr (abc, ==, ABC_SHA256);
  g_assert_cmpstr (two, ==, TWO_BLOCK_SHA256);
  g_assert_cmpstr (a, ==, MILLION_A_SHA256);
}

/* The million 'a's one byte at a time, and in pieces across block edges. */
static void
test_streamed_vector (void)
{
  g_autofree guint8 *million = g_malloc (1000000);
  const gsize ones[] = { 1 };
  const gsize odd[] = { 7, 0, 63, 1, 65, 127, 4093, 3 };
  g_autofree char *by_byte = NULL, *by_odd = NULL;

  memset (million, 'a', 1000000);
  by_byte = streamed (million, 1000000, ones, G_N_ELEMENTS (ones));
  by_odd = streamed (million, 1000000, odd, G_N_ELEMENTS (odd));
  g_assert_cmpstr (by_byte, ==, MILLION_A_SHA256);
  g_assert_cmpstr (by_odd, ==, MILLION_A_SHA256);
}

static void
fill_random (guint8 *data,
             gsize   length)
{
  for (gsize i = 0; i < length; i++)
    data[i] = (guint8) g_test_rand_int_range (0, 256);
}

/* Random buffers of every length around the block and padding edges, and
 * a few large ones: one-shot, streamed and GChecksum all agree. */
static void
test_same_as_gchecksum (void)
{
  const gsize sizes[] = { 1, 54, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4096, 65537, 1 << 20 };
  const gsize odd[] = { 3, 61, 1, 0, 777, 64, 13 };
  g_autofree guint8 *data = g_malloc (1 << 20);

  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    for (guint round = 0; round < 3; round++)
      {
        gsize n = sizes[k] - (round == 2 && sizes[k] > 1);
        g_autofree char *expected = NULL, *one_shot = NULL, *pieces = NULL, *from_bytes = NULL;
        g_autoptr(GBytes) bytes = NULL;
        guint8 digest[DL_SHA256_LENGTH];
        g_autofree char *digest_hex = NULL;

        fill_random (data, n);
        bytes = g_bytes_new_static (data, n);
        expected = glib_sha256 (data, n);
        one_shot = dl_sha256_hex (data, n);
        pieces = streamed (data, n, odd, G_N_ELEMENTS (odd));
        from_bytes = dl_sha256_hex_bytes (bytes);
        dl_sha256_digest (data, n, digest);
        digest_hex = dl_sha256_to_hex (digest);
        g_assert_cmpstr (one_shot, ==, expected);
        g_assert_cmpstr (pieces, ==, expected);
        g_assert_cmpstr (from_bytes, ==, expected);
        g_assert_cmpstr (digest_hex, ==, expected);
      }
}

/* The 32 bytes are those GChecksum gives, and the hex is theirs in lower case. */
static void
test_digest_bytes (void)
{
  g_autoptr(GChecksum) reference = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(DlSha256) sum = dl_sha256_new ();
  guint8 expected[32], digest[DL_SHA256_LENGTH];
  gsize length = sizeof expected;
  g_autofree char *hex = NULL;

  g_checksum_update (reference, (const guchar *) "abc", 3);
  g_checksum_get_digest (reference, expected, &length);
  g_assert_cmpuint (length, ==, DL_SHA256_LENGTH);
  dl_sha256_update (sum, "ab", 2);
  dl_sha256_update (sum, "c", 1);
  dl_sha256_finish (sum, digest);
  g_assert_cmpmem (digest, sizeof digest, expected, sizeof expected);
  hex = dl_sha256_to_hex (digest);
  g_assert_cmpstr (hex, ==, ABC_SHA256);
  g_assert_cmpuint (strlen (hex), ==, DL_SHA256_HEX_LENGTH);
}

/* A finished context takes no more: the digest cannot be changed after
 * it was given out (a programming error, said as a critical warning). */
static void
test_no_update_after_finish (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(DlSha256) sum = dl_sha256_new ();
      g_autofree char *hex = dl_sha256_finish_hex (sum);

      dl_sha256_update (sum, "x", 1);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*finished*");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hash/vectors", test_vectors);
  g_test_add_func ("/hash/streamed-vector", test_streamed_vector);
  g_test_add_func ("/hash/same-as-gchecksum", test_same_as_gchecksum);
  g_test_add_func ("/hash/digest-bytes", test_digest_bytes);
  g_test_add_func ("/hash/no-update-after-finish", test_no_update_after_finish);
  return g_test_run ();
}
