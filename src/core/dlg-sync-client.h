/* dlg-sync-client.h - talking to a diligence-server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dlg-key.h"
#include "dlg-store-sync.h"

G_BEGIN_DECLS

/* The seconds a request may go without progress before it is abandoned. */
#define DLG_SYNC_DEFAULT_TIMEOUT 30

/* The server's acknowledgement of a submission. */
typedef struct
{
  DlgSignedKind  kind;
  char          *id;
  char          *sha256;
  gsize          size;
  char          *received_at;   /* RFC 3339, the server's clock */
  gboolean       duplicate;     /* received before; this is the original receipt */
  char          *json;          /* the whole answer, as received */
} DlgSyncReceipt;

/* One entry of a listing of received documents. */
typedef struct
{
  DlgSignedKind  kind;
  char          *id;
  char          *sender_id;
  char          *report_id;     /* for reviews */
  char          *sha256;
  gsize          size;
  char          *received_at;
} DlgSyncListing;

/* Who the token belongs to. */
typedef struct
{
  char  *id;
  char  *name;
  char **roles;
  char **key_ids;               /* the organisation's enrolled, valid keys */
} DlgSyncAccount;

#define DLG_TYPE_SYNC_CLIENT (dlg_sync_client_get_type ())

G_DECLARE_FINAL_TYPE (DlgSyncClient, dlg_sync_client, DLG, SYNC_CLIENT, GObject)

void            dlg_sync_receipt_free            (DlgSyncReceipt  *receipt);
void            dlg_sync_listing_free            (DlgSyncListing  *listing);
void            dlg_sync_account_free            (DlgSyncAccount  *account);

DlgSyncClient  *dlg_sync_client_new              (const char      *endpoint,
                                                  const char      *token,
                                                  GError         **error);
const char     *dlg_sync_client_get_endpoint     (DlgSyncClient   *self);
void            dlg_sync_client_set_token        (DlgSyncClient   *self,
                                                  const char      *token);
guint           dlg_sync_client_get_timeout      (DlgSyncClient   *self);
void            dlg_sync_client_set_timeout      (DlgSyncClient   *self,
                                                  guint            seconds);
void            dlg_sync_client_set_tls_database (DlgSyncClient   *self,
                                                  GTlsDatabase    *database);

void            dlg_sync_client_submit_async     (DlgSyncClient        *self,
                                                  DlgSignedKind         kind,
                                                  GBytes               *jws,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
DlgSyncReceipt *dlg_sync_client_submit_finish    (DlgSyncClient        *self,
                                                  GAsyncResult         *result,
                                                  gint64               *retry_after,
                                                  char                **problem,
                                                  GError              **error);

void            dlg_sync_client_get_account_async  (DlgSyncClient      *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
DlgSyncAccount *dlg_sync_client_get_account_finish (DlgSyncClient      *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

void            dlg_sync_client_list_async       (DlgSyncClient        *self,
                                                  DlgSignedKind         kind,
                                                  const char           *cursor,
                                                  guint                 limit,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GPtrArray      *dlg_sync_client_list_finish      (DlgSyncClient        *self,
                                                  GAsyncResult         *result,
                                                  char                **next_cursor,
                                                  GError              **error);

void            dlg_sync_client_fetch_async      (DlgSyncClient        *self,
                                                  DlgSignedKind         kind,
                                                  const char           *id,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GBytes         *dlg_sync_client_fetch_finish     (DlgSyncClient        *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

void            dlg_sync_client_get_keys_async   (DlgSyncClient        *self,
                                                  const char           *organisation_id,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GPtrArray      *dlg_sync_client_get_keys_finish  (DlgSyncClient        *self,
                                                  GAsyncResult         *result,
                                                  char                **organisation_name,
                                                  GError              **error);

void            dlg_sync_client_enrol_key_async  (DlgSyncClient        *self,
                                                  DlgKey               *key,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean        dlg_sync_client_enrol_key_finish (DlgSyncClient        *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlgSyncReceipt, dlg_sync_receipt_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlgSyncListing, dlg_sync_listing_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlgSyncAccount, dlg_sync_account_free)

G_END_DECLS
