/* dl-case-tdr.h — a case's scans with what the analyst made of them, as
 * DICOS Threat Detection Reports of type OPERATOR (dl-case-tdr.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-case-file.h"
#include "dl-dicos-tdr.h"

G_BEGIN_DECLS

DlDicosTdr *dl_case_file_make_tdr   (DlCaseFile         *self,
                                     const DlCaseScan   *scan,
                                     GError            **error);
GStrv       dl_case_file_write_tdrs (DlCaseFile         *self,
                                     const char * const *case_ids,
                                     const char         *folder,
                                     GError            **error);

G_END_DECLS
