/* site-people.h — logins of the site tests, each with a signing identity
 * of its own in a temporary folder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-site.h"
#include "site-fixture.h"

static char *site_people_keys;

static inline DlSite *
site_people_open (const char *login)
{
  g_autofree char *uri = site_fixture_conninfo (login, NULL);
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlIdentity) identity = NULL;
  DlSite *site;

  if (site_people_keys == NULL)
    {
      site_people_keys = g_dir_make_tmp ("site-people-XXXXXX", &error);
      g_assert_no_error (error);
    }
  site = dl_site_open (uri, &error);
  g_assert_no_error (error);
  dir = g_build_filename (site_people_keys, dl_site_get_login (site), NULL);
  identity = dl_identity_load_from_dir (dir, dl_site_get_login (site), dl_site_get_login (site), &error);
  g_assert_no_error (error);
  dl_site_set_identity (site, identity);
  return site;
}

/* The store set up, and @login granted @role. */
static inline void
site_people_grant (const char *login,
                   DlSiteRole  role)
{
  g_autoptr(DlSite) admin = site_people_open (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (dl_site_init (admin, &error));
  g_assert_true (dl_site_grant (admin, login, role, &error));
  g_assert_no_error (error);
}
