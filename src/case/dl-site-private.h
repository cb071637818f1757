/* dl-site-private.h — what the parts of the site store share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

#include "dl-case-private.h"
#include "dl-site.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

#define DL_SITE_SCHEMA_VERSION 3
/* pg_type oids of the columns the audited rows have */
#define DL_SITE_OID_INT8   20
#define DL_SITE_OID_INT2   21
#define DL_SITE_OID_INT4   23
#define DL_SITE_OID_FLOAT8 701
#define DL_SITE_ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* dl-site.c: the connection's parts, for the other files of the store */
PGconn      *dl_site_get_conn      (DlSite      *self);
const char  *dl_site_get_target    (DlSite      *self);   /* without a password */
DlIdentity  *dl_site_get_identity  (DlSite      *self);   /* or %NULL */
/* a connection the server dropped made again (same login) */
gboolean     dl_site_ensure_connected (DlSite   *self,
                                       GError  **error);
/* @res's error as a GError naming the target; always %FALSE */
gboolean     dl_site_fail          (DlSite         *self,
                                    const PGresult *res,
                                    GError        **error);
/* @sql with text parameters (%NULL: SQL NULL); %NULL with @error when it failed */
PGresult    *dl_site_exec          (DlSite             *self,
                                    const char         *sql,
                                    int                 n_params,
                                    const char * const *params,
                                    GError            **error);
gboolean     dl_site_exec_script   (DlSite      *self,
                                    const char  *sql,
                                    GError     **error);
gboolean     dl_site_begin         (DlSite      *self,
                                    GError     **error);
void         dl_site_rollback      (DlSite      *self);
/* commits when @ok, else rolls back */
gboolean     dl_site_end           (DlSite      *self,
                                    gboolean     ok,
                                    GError     **error);
gboolean     dl_site_need_identity (DlSite      *self,
                                    GError     **error);
/* @e appended after the chain head by the identity (the head stays
 * locked until the transaction ends) */
gboolean     dl_site_chain_append  (DlSite                   *self,
                                    const DlCaseEventContent *e,
                                    GError                  **error);
/* a new event's content by the connection's login, signed by the identity */
void         dl_site_event_content (DlSite             *self,
                                    DlCaseEventContent *e,
                                    const char         *kind,
                                    const char         *case_id,
                                    const char         *payload);
/* the image stored once by its SHA-256 (the database checks it) */
gboolean     dl_site_store_image   (DlSite      *self,
                                    const char  *sha256,
                                    GBytes      *bytes,
                                    GError     **error);
/* Rows with their events, in the caller's transaction (dl_site_begin ()):
 * a case, a scan (its image stored once), a row of a JSON table
 * ("manifests" of kind "manifest" …). */
gboolean     dl_site_insert_case   (DlSite      *self,
                                    const char  *id,
                                    const char  *title,
                                    GError     **error);
gboolean     dl_site_insert_scan   (DlSite      *self,
                                    const char  *id,
                                    const char  *case_id,
                                    const char  *path,
                                    GBytes      *bytes,
                                    GError     **error);
gboolean     dl_site_insert_json   (DlSite      *self,
                                    const char  *table,
                                    const char  *kind,
                                    const char  *id,
                                    const char  *case_id,
                                    const char  *json,
                                    GError     **error);
/* A row of @table: @columns given @values (%NULL-terminated columns; a
 * %NULL value is SQL NULL), the connection's author columns (created,
 * author_login, author_name, author_key), and its event @kind, in the
 * caller's transaction. */
gboolean     dl_site_insert_authored (DlSite             *self,
                                      const char         *table,
                                      const char         *kind,
                                      const char         *id,
                                      const char         *case_id,
                                      const char * const *columns,
                                      const char * const *values,
                                      GError            **error);

/* dl-site-schema.c */
const char          *dl_site_schema_roles     (void);
const char * const  *dl_site_schema_migration (guint version);

G_END_DECLS
