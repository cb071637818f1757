/* dl-tiff-vendor.h — a vendor's TIFF (no Doorlicht description): its two
 * pages of one size taken as the two energies, which is which settled by
 * their attenuation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dl-scan.h"

G_BEGIN_DECLS

/* Minimum relative difference of the two mean attenuations for an order. */
#define DL_TIFF_VENDOR_MIN_CONTRAST 0.02
/* … and where it attenuates more than the other in this share of the pixels */
#define DL_TIFF_VENDOR_MIN_AGREEMENT 0.75

void _dl_tiff_vendor_name_energies (DlScan *scan,
                                    guint   n_pages);

G_END_DECLS
