/* dl-site-intake-private.h — what the two halves of intake share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sys/stat.h>

#include "dl-site-intake.h"

G_BEGIN_DECLS

/* A manifest file of a folder, read. */
typedef struct
{
  char      *path;
  GPtrArray *list;   /* DlManifest */
} DlSiteIntakeManifest;

/* One settled file to take. */
typedef struct
{
  DlSite     *site;
  const char *path;
  guint64     size;
  gint64      mtime;       /* ns */
  const char *sidecar;     /* or %NULL */
  GPtrArray  *manifests;   /* DlSiteIntakeManifest of its folder */
} DlSiteIntakeTake;

static inline gint64
dl_site_intake_mtime (const struct stat *st)
{
  return (gint64) st->st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st->st_mtim.tv_nsec;
}

GBytes   *dl_site_intake_read (const char        *path,
                               guint64            size,
                               gint64             mtime,
                               GError           **error);
gboolean  dl_site_intake_take (DlSiteIntakeTake  *t,
                               DlSiteIntakeItem **item,
                               GError           **error);
/* The manifests of @list (read from @path) recorded, with their events,
 * for the waiting cases that have none and whose title names one of
 * their containers (ISO 6346, its check digit valid); a
 * DlSiteIntakeItem for each added to @items. */
gboolean  dl_site_intake_attach (DlSite            *site,
                                 const char        *path,
                                 GPtrArray         *list,
                                 GPtrArray         *items,
                                 GError           **error);

G_END_DECLS
