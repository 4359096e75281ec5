/* dlg-inbox.h - reports and reviews received, by file or by sync
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dlg-store-sync.h"
#include "dlg-sync-client.h"
#include "dlg-trust-store.h"

G_BEGIN_DECLS

#define DLG_TYPE_INBOX_ITEM (dlg_inbox_item_get_type ())

/* One received document; read-only. */
G_DECLARE_FINAL_TYPE (DlgInboxItem, dlg_inbox_item, DLG, INBOX_ITEM, GObject)

const char     *dlg_inbox_item_get_id                 (DlgInboxItem *self);
DlgSignedKind   dlg_inbox_item_get_kind               (DlgInboxItem *self);
const char     *dlg_inbox_item_get_sender_id          (DlgInboxItem *self);
const char     *dlg_inbox_item_get_subject_id         (DlgInboxItem *self);
const char     *dlg_inbox_item_get_key_id             (DlgInboxItem *self);
const char     *dlg_inbox_item_get_sha256             (DlgInboxItem *self);
DlgReceivedVia  dlg_inbox_item_get_via                (DlgInboxItem *self);
GDateTime      *dlg_inbox_item_get_received_at        (DlgInboxItem *self);
const char     *dlg_inbox_item_get_server_received_at (DlgInboxItem *self);
gboolean        dlg_inbox_item_get_read               (DlgInboxItem *self);

#define DLG_TYPE_INBOX (dlg_inbox_get_type ())

/* A GListModel of DlgInboxItem, newest first. */
G_DECLARE_FINAL_TYPE (DlgInbox, dlg_inbox, DLG, INBOX, GObject)

DlgInbox       *dlg_inbox_new          (DlgStore             *store,
                                        DlgTrustStore        *trust,
                                        GError              **error);
DlgInboxItem   *dlg_inbox_lookup       (DlgInbox             *self,
                                        const char           *id);
guint           dlg_inbox_get_n_unread (DlgInbox             *self);
gboolean        dlg_inbox_is_trusted   (DlgInbox             *self,
                                        DlgInboxItem         *item);
GBytes         *dlg_inbox_get_bytes    (DlgInbox             *self,
                                        const char           *id,
                                        GError              **error);
gboolean        dlg_inbox_mark_read    (DlgInbox             *self,
                                        const char           *id,
                                        GError              **error);

DlgInboxItem   *dlg_inbox_add_file     (DlgInbox             *self,
                                        GBytes               *jws,
                                        GError              **error);

void            dlg_inbox_pull_async   (DlgInbox             *self,
                                        DlgSyncClient        *client,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
guint           dlg_inbox_pull_finish  (DlgInbox             *self,
                                        GAsyncResult         *result,
                                        GPtrArray           **refused,
                                        GError              **error);

G_END_DECLS
