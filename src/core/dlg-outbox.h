/* dlg-outbox.h - signed reports waiting to be delivered, and their fate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dlg-store-sync.h"
#include "dlg-sync-client.h"

G_BEGIN_DECLS

#define DLG_TYPE_OUTBOX_ITEM (dlg_outbox_item_get_type ())

/* One signed document in the outbox; read-only, changed by the outbox. */
G_DECLARE_FINAL_TYPE (DlgOutboxItem, dlg_outbox_item, DLG, OUTBOX_ITEM, GObject)

const char     *dlg_outbox_item_get_id            (DlgOutboxItem *self);
DlgSignedKind   dlg_outbox_item_get_kind          (DlgOutboxItem *self);
const char     *dlg_outbox_item_get_assessment_id (DlgOutboxItem *self);
DlgOutboxState  dlg_outbox_item_get_state         (DlgOutboxItem *self);
guint           dlg_outbox_item_get_attempts      (DlgOutboxItem *self);
GDateTime      *dlg_outbox_item_get_next_attempt  (DlgOutboxItem *self);
const char     *dlg_outbox_item_get_last_error    (DlgOutboxItem *self);
const char     *dlg_outbox_item_get_hint          (DlgOutboxItem *self);
const char     *dlg_outbox_item_get_problem       (DlgOutboxItem *self);
const char     *dlg_outbox_item_get_receipt       (DlgOutboxItem *self);
const char     *dlg_outbox_item_get_received_at   (DlgOutboxItem *self);
GDateTime      *dlg_outbox_item_get_delivered_at  (DlgOutboxItem *self);

const char     *dlg_outbox_state_to_string        (DlgOutboxState state);
const char     *dlg_outbox_state_get_label        (DlgOutboxState state);
const char     *dlg_outbox_state_get_icon_name    (DlgOutboxState state);

const char     *dlg_outbox_problem_get_summary    (const char    *problem);
const char     *dlg_outbox_problem_get_advice     (const char    *problem);

#define DLG_TYPE_OUTBOX (dlg_outbox_get_type ())

/* A GListModel of DlgOutboxItem, in the order of sending. */
G_DECLARE_FINAL_TYPE (DlgOutbox, dlg_outbox, DLG, OUTBOX, GObject)

DlgOutbox      *dlg_outbox_new                    (DlgStore             *store,
                                                   GError              **error);
DlgStore       *dlg_outbox_get_store              (DlgOutbox            *self);
DlgSyncClient  *dlg_outbox_get_client             (DlgOutbox            *self);
void            dlg_outbox_set_client             (DlgOutbox            *self,
                                                   DlgSyncClient        *client);
guint           dlg_outbox_get_n_pending          (DlgOutbox            *self);
gboolean        dlg_outbox_get_blocked            (DlgOutbox            *self);
DlgOutboxItem  *dlg_outbox_lookup                 (DlgOutbox            *self,
                                                   const char           *id);

void            dlg_outbox_set_retry_delays       (DlgOutbox            *self,
                                                   guint                 base_ms,
                                                   guint                 max_ms);

DlgOutboxItem  *dlg_outbox_enqueue                (DlgOutbox            *self,
                                                   DlgSignedKind         kind,
                                                   const char           *id,
                                                   const char           *assessment_id,
                                                   const char           *subject_id,
                                                   GBytes               *jws,
                                                   GError              **error);
gboolean        dlg_outbox_retry                  (DlgOutbox            *self,
                                                   const char           *id,
                                                   GError              **error);
void            dlg_outbox_send_now               (DlgOutbox            *self);

void            dlg_outbox_flush_async            (DlgOutbox            *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean        dlg_outbox_flush_finish           (DlgOutbox            *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

G_END_DECLS
