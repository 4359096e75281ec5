/* dlg-sync-service.h - the application's outbox, inbox and server settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dlg-core.h"

G_BEGIN_DECLS

/* Where the token is kept. */
typedef enum
{
  DLG_TOKEN_STORAGE_NONE,      /* there is no token */
  DLG_TOKEN_STORAGE_KEYRING,   /* in the desktop keyring, through libsecret */
  DLG_TOKEN_STORAGE_SESSION,   /* no keyring could be reached: in memory until Diligence quits */
} DlgTokenStorage;

/* What a received document's signature says, with the keys known now. */
typedef enum
{
  DLG_VERDICT_VERIFIED,        /* signed by a key someone here confirmed */
  DLG_VERDICT_UNKNOWN_SIGNER,  /* the signature holds, but nobody here confirmed the key */
  DLG_VERDICT_INVALID,         /* it does not verify, or cannot be read */
} DlgVerdict;

/* Seconds an upload under way may take to finish when Diligence quits. */
#define DLG_SYNC_QUIT_GRACE 10

/* Minutes between two checks for new reports and reviews. */
#define DLG_SYNC_CHECK_INTERVAL 15

#define DLG_TYPE_SYNC_SERVICE (dlg_sync_service_get_type ())

G_DECLARE_FINAL_TYPE (DlgSyncService, dlg_sync_service, DLG, SYNC_SERVICE, GObject)

DlgSyncService  *dlg_sync_service_new                 (DlgStore             *store,
                                                       DlgTrustStore        *trust,
                                                       GSettings            *settings,
                                                       GError              **error);

DlgStore        *dlg_sync_service_get_store           (DlgSyncService       *self);
DlgOutbox       *dlg_sync_service_get_outbox          (DlgSyncService       *self);
DlgInbox        *dlg_sync_service_get_inbox           (DlgSyncService       *self);
const GError    *dlg_sync_service_get_inbox_error     (DlgSyncService       *self);
DlgTrustStore   *dlg_sync_service_get_trust_store     (DlgSyncService       *self);
DlgSyncClient   *dlg_sync_service_get_client          (DlgSyncService       *self);

const char      *dlg_sync_service_get_endpoint        (DlgSyncService       *self);
gboolean         dlg_sync_service_set_endpoint        (DlgSyncService       *self,
                                                       const char           *endpoint,
                                                       GError              **error);
gboolean         dlg_sync_service_get_has_token       (DlgSyncService       *self);
DlgTokenStorage  dlg_sync_service_get_token_storage   (DlgSyncService       *self);
const char      *dlg_sync_service_get_keyring_problem (DlgSyncService       *self);
void             dlg_sync_service_set_token_async     (DlgSyncService       *self,
                                                       const char           *token,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean         dlg_sync_service_set_token_finish    (DlgSyncService       *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
gboolean         dlg_sync_service_get_configured      (DlgSyncService       *self);
void             dlg_sync_service_set_tls_database    (DlgSyncService       *self,
                                                       GTlsDatabase         *database);

void             dlg_sync_service_test_connection_async  (DlgSyncService    *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
DlgSyncAccount  *dlg_sync_service_test_connection_finish (DlgSyncService    *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

DlgOutboxItem   *dlg_sync_service_enqueue             (DlgSyncService       *self,
                                                       DlgSignedKind         kind,
                                                       const char           *id,
                                                       const char           *assessment_id,
                                                       const char           *subject_id,
                                                       GBytes               *jws,
                                                       GError              **error);
guint            dlg_sync_service_refresh_outbox      (DlgSyncService       *self,
                                                       GError              **error);
gboolean         dlg_sync_service_get_sending         (DlgSyncService       *self);
gboolean         dlg_sync_service_get_busy            (DlgSyncService       *self);
guint            dlg_sync_service_get_n_pending       (DlgSyncService       *self);
guint            dlg_sync_service_get_n_rejected      (DlgSyncService       *self);
GDateTime       *dlg_sync_service_get_last_delivery   (DlgSyncService       *self);

void             dlg_sync_service_check_inbox_async   (DlgSyncService       *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
guint            dlg_sync_service_check_inbox_finish  (DlgSyncService       *self,
                                                       GAsyncResult         *result,
                                                       GPtrArray           **refused,
                                                       GError              **error);
gboolean         dlg_sync_service_get_checking        (DlgSyncService       *self);
GDateTime       *dlg_sync_service_get_last_check      (DlgSyncService       *self);
const char      *dlg_sync_service_get_last_check_error (DlgSyncService      *self);
guint            dlg_sync_service_get_n_unread        (DlgSyncService       *self);

DlgVerdict       dlg_sync_service_verify              (DlgSyncService       *self,
                                                       DlgInboxItem         *item,
                                                       char                **detail);
char            *dlg_sync_service_get_sender_name     (DlgSyncService       *self,
                                                       DlgInboxItem         *item);

void             dlg_sync_service_pause               (DlgSyncService       *self,
                                                       guint                 grace_seconds);
void             dlg_sync_service_resume              (DlgSyncService       *self);

const char      *dlg_verdict_get_label                (DlgVerdict            verdict);
const char      *dlg_verdict_get_icon_name            (DlgVerdict            verdict);

char            *dlg_sync_format_time                 (GDateTime            *time);

G_END_DECLS
