/* dl-identity.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dl-identity"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dl-hash.h"
#include "dl-identity.h"
#include "dl-regular-file.h"

#define MAX_NAME 200

struct _DlIdentity
{
  GObject  parent_instance;
  char    *login;
  char    *display_name;
  char    *public_hex;
  char    *fingerprint;
  guint8   secret[crypto_sign_SECRETKEYBYTES];
};

G_DEFINE_FINAL_TYPE (DlIdentity, dl_identity, G_TYPE_OBJECT)
G_DEFINE_QUARK (dl-identity-error-quark, dl_identity_error)

static void
dl_identity_finalize (GObject *object)
{
  DlIdentity *self = DL_IDENTITY (object);

  sodium_memzero (self->secret, sizeof self->secret);
  g_free (self->login);
  g_free (self->display_name);
  g_free (self->public_hex);
  g_free (self->fingerprint);
  G_OBJECT_CLASS (dl_identity_parent_class)->finalize (object);
}

static void
dl_identity_class_init (DlIdentityClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dl_identity_finalize;
}

static void
dl_identity_init (DlIdentity *self)
{
}

static gboolean
ensure_sodium (GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error_literal (error, DL_IDENTITY_ERROR, DL_IDENTITY_ERROR_KEY,
                           _("The cryptography library could not be initialised"));
      return FALSE;
    }
  return TRUE;
}

static char *
to_hex (const guint8 *data,
        gsize         length)
{
  char *hex = g_malloc (length * 2 + 1);

  sodium_bin2hex (hex, length * 2 + 1, data, length);
  return hex;
}

static gboolean
from_hex (const char *hex,
          guint8     *out,
          gsize       length)
{
  size_t n = 0;

  if (hex == NULL || strlen (hex) != length * 2)
    return FALSE;
  for (const char *p = hex; *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return sodium_hex2bin (out, length, hex, length * 2, NULL, &n, NULL) == 0 && n == length;
}

char *
dl_identity_fingerprint_of (const char *public_key_hex)
{
  guint8 pk[DL_IDENTITY_PUBLIC_KEY_BYTES];

  if (!from_hex (public_key_hex, pk, sizeof pk))
    return NULL;
  return dl_sha256_hex (pk, sizeof pk);
}

/* Writes @data to a new file @path, mode 0600, never following a link. */
static gboolean
write_private (const char   *path,
               const guint8 *data,
               gsize         length,
               GError      **error)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  gboolean ok;

  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create the key file “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  ok = write (fd, data, length) == (ssize_t) length && fsync (fd) == 0;
  if (close (fd) != 0)
    ok = FALSE;
  if (!ok)
    {
      g_unlink (path);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not write the key file “%s”"), path);
    }
  return ok;
}

/* Reads the secret key, refusing links, other owners and modes that let
 * others read it. */
static gboolean
read_secret (const char *path,
             guint8     *secret,
             GError    **error)
{
  struct stat st;
  /* O_NONBLOCK: a named pipe in its place is refused below, not waited on */
  int fd = open (path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
  guint8 buffer[crypto_sign_SECRETKEYBYTES + 1];
  ssize_t n;

  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, DL_IDENTITY_ERROR, DL_IDENTITY_ERROR_KEY,
                   _("Could not open the key file “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  if (fstat (fd, &st) == 0 && !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, DL_IDENTITY_ERROR, DL_IDENTITY_ERROR_KEY,
                   _("The key file “%s” is %s, not a file"), path, dl_file_kind_name (st.st_mode));
      return FALSE;
    }
  if (fstat (fd, &st) != 0 || st.st_uid != getuid () || (st.st_mode & 077) != 0)
    {
      close (fd);
      g_set_error (error, DL_IDENTITY_ERROR, DL_IDENTITY_ERROR_KEY,
                   _("The key file “%s” may be read by others or is not yours; it must have mode 0600"),
                   path);
      return FALSE;
    }
  n = read (fd, buffer, sizeof buffer);
  close (fd);
  memcpy (secret, buffer, crypto_sign_SECRETKEYBYTES);
  sodium_memzero (buffer, sizeof buffer);
  if (n != crypto_sign_SECRETKEYBYTES)
    {
      g_set_error (error, DL_IDENTITY_ERROR, DL_IDENTITY_ERROR_KEY,
                   _("The key file “%s” is not an Ed25519 secret key"), path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
load_or_make_key (DlIdentity *self,
                  const char *dir,
                  GError    **error)
{
  g_autofree char *path = g_build_filename (dir, "secret.key", NULL);
  guint8 pk[crypto_sign_PUBLICKEYBYTES];

  if (!g_file_test (path, G_FILE_TEST_EXISTS) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      crypto_sign_keypair (pk, self->secret);
      if (!write_private (path, self->secret, sizeof self->secret, error))
        return FALSE;
    }
  else if (!read_secret (path, self->secret, error))
    return FALSE;

  crypto_sign_ed25519_sk_to_pk (pk, self->secret);
  self->public_hex = to_hex (pk, sizeof pk);
  self->fingerprint = dl_sha256_hex (pk, sizeof pk);
  return TRUE;
}

/* The stored display name, or NULL. */
static char *
read_name (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "name", NULL);
  /* a named pipe or a device in its place is not waited on */
  g_autoptr(GMappedFile) file = dl_map_regular_file (path, MAX_NAME, NULL);
  g_autofree char *text = NULL;
  gsize length = file ? g_mapped_file_get_length (file) : 0;

  if (file == NULL)
    return NULL;
  text = g_strndup (length ? g_mapped_file_get_contents (file) : "", length);
  if (strlen (text) != length || !g_utf8_validate (text, length, NULL))
    return NULL;
  g_strstrip (text);
  return *text ? g_steal_pointer (&text) : NULL;
}

DlIdentity *
dl_identity_load_from_dir (const char *dir,
                           const char *login,
                           const char *display_name,
                           GError    **error)
{
  g_autoptr(DlIdentity) self = NULL;
  g_autofree char *stored = NULL;

  g_return_val_if_fail (dir != NULL, NULL);

  if (!ensure_sodium (error))
    return NULL;
  if (display_name && (!g_utf8_validate (display_name, -1, NULL) || strlen (display_name) > MAX_NAME))
    {
      g_set_error_literal (error, DL_IDENTITY_ERROR, DL_IDENTITY_ERROR_KEY,
                           _("The display name is not valid text of at most 200 bytes"));
      return NULL;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved));
      return NULL;
    }

  self = g_object_new (DL_TYPE_IDENTITY, NULL);
  self->login = g_strdup (login ? login : g_get_user_name ());
  if (!load_or_make_key (self, dir, error))
    return NULL;

  if (display_name && *display_name)
    {
      g_autofree char *path = g_build_filename (dir, "name", NULL);

      self->display_name = g_strstrip (g_strdup (display_name));
      g_file_set_contents (path, self->display_name, -1, NULL);
    }
  else if ((stored = read_name (dir)) != NULL)
    self->display_name = g_steal_pointer (&stored);
  else
    self->display_name = g_strdup (self->login);

  return g_steal_pointer (&self);
}

DlIdentity *
dl_identity_load_default (const char *display_name,
                          GError    **error)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "doorlicht", "identity", NULL);

  return dl_identity_load_from_dir (dir, NULL, display_name, error);
}

const char *
dl_identity_get_login (DlIdentity *self)
{
  g_return_val_if_fail (DL_IS_IDENTITY (self), NULL);
  return self->login;
}

const char *
dl_identity_get_display_name (DlIdentity *self)
{
  g_return_val_if_fail (DL_IS_IDENTITY (self), NULL);
  return self->display_name;
}

const char *
dl_identity_get_public_key (DlIdentity *self)
{
  g_return_val_if_fail (DL_IS_IDENTITY (self), NULL);
  return self->public_hex;
}

const char *
dl_identity_get_fingerprint (DlIdentity *self)
{
  g_return_val_if_fail (DL_IS_IDENTITY (self), NULL);
  return self->fingerprint;
}

char *
dl_identity_sign (DlIdentity *self,
                  const void *data,
                  gsize       length)
{
  guint8 sig[crypto_sign_BYTES];

  g_return_val_if_fail (DL_IS_IDENTITY (self), NULL);
  crypto_sign_detached (sig, NULL, data, length, self->secret);
  return to_hex (sig, sizeof sig);
}

gboolean
dl_identity_verify (const char *public_key_hex,
                    const void *data,
                    gsize       length,
                    const char *signature_hex,
                    GError    **error)
{
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  guint8 sig[crypto_sign_BYTES];

  if (!ensure_sodium (error))
    return FALSE;
  if (!from_hex (public_key_hex, pk, sizeof pk) || !from_hex (signature_hex, sig, sizeof sig)
      || crypto_sign_verify_detached (sig, data, length, pk) != 0)
    {
      g_set_error_literal (error, DL_IDENTITY_ERROR, DL_IDENTITY_ERROR_SIGNATURE,
                           _("the signature does not verify"));
      return FALSE;
    }
  return TRUE;
}
