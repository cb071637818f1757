/* dl-settings.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GSettings *dl_settings_get          (void);
void       dl_settings_add_recent   (const char *path);
GStrv      dl_settings_dup_recent   (void);

G_END_DECLS
