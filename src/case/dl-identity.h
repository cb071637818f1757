/* dl-identity.h — who is working: the local login, a chosen display name
 * and an Ed25519 key pair (libsodium) that signs what they record.
 *
 * The key pair is made on first use under
 * $XDG_DATA_HOME/doorlicht/identity/ (secret.key, mode 0600; public.key;
 * name).  A secret key file that others may read, or that is a symbolic
 * link, is refused.  The fingerprint is the lower-case hex SHA-256 of the
 * 32-byte public key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define DL_IDENTITY_ERROR (dl_identity_error_quark ())

typedef enum
{
  DL_IDENTITY_ERROR_KEY,          /* key file unreadable, malformed or unsafe */
  DL_IDENTITY_ERROR_SIGNATURE,    /* a signature does not verify */
} DlIdentityError;

GQuark dl_identity_error_quark (void);

#define DL_IDENTITY_PUBLIC_KEY_BYTES 32
#define DL_IDENTITY_SIGNATURE_BYTES  64

#define DL_TYPE_IDENTITY (dl_identity_get_type ())
G_DECLARE_FINAL_TYPE (DlIdentity, dl_identity, DL, IDENTITY, GObject)

/* The user's identity from $XDG_DATA_HOME/doorlicht/identity, made on
 * first use.  @display_name, when not %NULL, replaces the stored one (and
 * is saved); the default display name is the login. */
DlIdentity *dl_identity_load_default      (const char   *display_name,
                                           GError      **error);
/* The same from @dir (made, mode 0700, when missing); @login %NULL means
 * g_get_user_name (). */
DlIdentity *dl_identity_load_from_dir     (const char   *dir,
                                           const char   *login,
                                           const char   *display_name,
                                           GError      **error);

const char *dl_identity_get_login         (DlIdentity   *self);
const char *dl_identity_get_display_name  (DlIdentity   *self);
/* Lower-case hex of the 32-byte public key (64 characters). */
const char *dl_identity_get_public_key    (DlIdentity   *self);
/* Lower-case hex SHA-256 of the public key (64 characters). */
const char *dl_identity_get_fingerprint   (DlIdentity   *self);

/* A detached Ed25519 signature of @data, as lower-case hex (128 characters). */
char       *dl_identity_sign              (DlIdentity   *self,
                                           const void   *data,
                                           gsize         length);

/* Checks @signature_hex over @data with @public_key_hex; FALSE with
 * DL_IDENTITY_ERROR_SIGNATURE when it does not verify or is malformed. */
gboolean    dl_identity_verify            (const char   *public_key_hex,
                                           const void   *data,
                                           gsize         length,
                                           const char   *signature_hex,
                                           GError      **error);
/* The fingerprint of @public_key_hex, or %NULL when it is not 64 hex digits. */
char       *dl_identity_fingerprint_of    (const char   *public_key_hex);

G_END_DECLS
