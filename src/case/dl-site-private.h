/* dl-site-private.h — what the parts of the site store share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "dl-site.h"

G_BEGIN_DECLS

#define DL_SITE_SCHEMA_VERSION 1
#define DL_SITE_ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* dl-site-schema.c */
const char          *dl_site_schema_roles     (void);
const char * const  *dl_site_schema_migration (guint version);

G_END_DECLS
