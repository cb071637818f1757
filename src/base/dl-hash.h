/* dl-hash.h — SHA-256, at the speed of the hardware: the one hashing API
 * of the engine (scans, case-file images, exports, identity fingerprints,
 * the audit chain).  Digests are those of GLib's GChecksum SHA-256, hex in
 * lower case.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DL_SHA256_LENGTH     32
#define DL_SHA256_HEX_LENGTH 64

typedef struct _DlSha256 DlSha256;

DlSha256 *dl_sha256_new         (void);
void      dl_sha256_update      (DlSha256     *self,
                                 const void   *data,
                                 gsize         length);
void      dl_sha256_finish      (DlSha256     *self,
                                 guint8        digest[DL_SHA256_LENGTH]);
char     *dl_sha256_finish_hex  (DlSha256     *self);
void      dl_sha256_free        (DlSha256     *self);

void      dl_sha256_digest      (const void   *data,
                                 gsize         length,
                                 guint8        digest[DL_SHA256_LENGTH]);
char     *dl_sha256_hex         (const void   *data,
                                 gsize         length);
char     *dl_sha256_hex_bytes   (GBytes       *bytes);
char     *dl_sha256_to_hex      (const guint8  digest[DL_SHA256_LENGTH]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlSha256, dl_sha256_free)

G_END_DECLS
