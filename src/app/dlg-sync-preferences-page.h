/* dlg-sync-preferences-page.h - the server, the token and how sync goes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dlg-sync-service.h"

G_BEGIN_DECLS

#define DLG_TYPE_SYNC_PREFERENCES_PAGE (dlg_sync_preferences_page_get_type ())

G_DECLARE_FINAL_TYPE (DlgSyncPreferencesPage, dlg_sync_preferences_page, DLG, SYNC_PREFERENCES_PAGE,
                      AdwPreferencesPage)

GtkWidget *dlg_sync_preferences_page_new             (DlgSyncService         *service);
void       dlg_sync_preferences_page_test_connection (DlgSyncPreferencesPage *self);

G_END_DECLS
