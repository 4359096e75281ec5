/* dlg-application.h - the application: app-wide actions, the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dlg-core.h"
#include "dlg-sync-service.h"

G_BEGIN_DECLS

#define DLG_TYPE_APPLICATION (dlg_application_get_type ())

G_DECLARE_FINAL_TYPE (DlgApplication, dlg_application, DLG, APPLICATION, AdwApplication)

DlgApplication *dlg_application_new                (void);
DlgApplication *dlg_application_new_for_data_dir   (const char     *data_dir);
GPtrArray      *dlg_application_get_questionnaires (DlgApplication *self);
DlgStore       *dlg_application_get_store          (DlgApplication *self);
const GError   *dlg_application_get_store_error    (DlgApplication *self);
const char     *dlg_application_get_data_dir       (DlgApplication *self);
gboolean        dlg_application_start_afresh       (DlgApplication *self,
                                                    char          **out_path,
                                                    GError        **error);
DlgStoreBackup *dlg_application_get_last_backup    (DlgApplication *self);
gboolean        dlg_application_restore_backup     (DlgApplication *self,
                                                    DlgStoreBackup **out_backup,
                                                    char          **out_damaged_path,
                                                    GError        **error);
void            dlg_application_close_damaged_store (DlgApplication *self);
GSettings      *dlg_application_get_settings       (DlgApplication *self);
DlgKeyring     *dlg_application_get_keyring        (DlgApplication *self);
void            dlg_application_set_keyring        (DlgApplication *self,
                                                    DlgKeyring     *keyring);
DlgTrustStore  *dlg_application_get_trust_store    (DlgApplication *self,
                                                    GError        **error);
DlgInbox       *dlg_application_get_inbox          (DlgApplication *self,
                                                    GError        **error);
DlgSyncService *dlg_application_get_sync_service   (DlgApplication *self);

G_END_DECLS
