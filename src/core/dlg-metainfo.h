/* dlg-metainfo.h - release notes from the app's AppStream metainfo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DLG_METAINFO_ERROR (dlg_metainfo_error_quark ())

typedef enum
{
  DLG_METAINFO_ERROR_INVALID,
  DLG_METAINFO_ERROR_NO_RELEASE,
} DlgMetainfoError;

GQuark  dlg_metainfo_error_quark        (void);

char   *dlg_metainfo_get_release_notes  (GBytes             *metainfo,
                                         const char         *version,
                                         const char * const *languages,
                                         GError            **error);

G_END_DECLS
