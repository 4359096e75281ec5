/* dlg-store-sync.h - signed documents, the outbox and the inbox in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dlg-store.h"

G_BEGIN_DECLS

#define DLG_SYNC_ERROR (dlg_sync_error_quark ())

/* What went wrong while syncing. The first group is retried by the
 * outbox; the others need someone to act. */
typedef enum
{
  DLG_SYNC_ERROR_NETWORK,            /* the server could not be reached */
  DLG_SYNC_ERROR_TIMEOUT,            /* no answer in time */
  DLG_SYNC_ERROR_TLS,                /* the server's certificate was refused */
  DLG_SYNC_ERROR_SERVER,             /* 5xx */
  DLG_SYNC_ERROR_BUSY,               /* 408 or 429 */
  DLG_SYNC_ERROR_PROTOCOL,           /* an answer that cannot be read */

  DLG_SYNC_ERROR_NOT_CONFIGURED,     /* no endpoint or no token */
  DLG_SYNC_ERROR_INVALID_ENDPOINT,   /* not an https:// URL (plain http only to this computer) */
  DLG_SYNC_ERROR_UNAUTHORIZED,       /* 401: the token is wrong or revoked */
  DLG_SYNC_ERROR_FORBIDDEN,          /* 403: not allowed, or sent for another organisation */
  DLG_SYNC_ERROR_NOT_FOUND,          /* 404 */
  DLG_SYNC_ERROR_CONFLICT,           /* another document has this id */
  DLG_SYNC_ERROR_TOO_LARGE,          /* 413 */
  DLG_SYNC_ERROR_UNKNOWN_KEY,        /* the signing key is not enrolled, or not known here */
  DLG_SYNC_ERROR_BAD_SIGNATURE,      /* the signature does not verify */
  DLG_SYNC_ERROR_UNKNOWN_RECIPIENT,  /* a recipient is not registered on the server */
  DLG_SYNC_ERROR_REJECTED,           /* any other refusal */
} DlgSyncError;

typedef enum
{
  DLG_SIGNED_REPORT,
  DLG_SIGNED_REVIEW,
} DlgSignedKind;

typedef enum
{
  DLG_OUTBOX_QUEUED,      /* waiting to be sent, maybe until a retry time */
  DLG_OUTBOX_SENDING,     /* on its way; never stored: a restart queues it again */
  DLG_OUTBOX_DELIVERED,   /* the server acknowledged it durably; receipt kept */
  DLG_OUTBOX_REJECTED,    /* the server refused it; kept, with the reason */
} DlgOutboxState;

typedef enum
{
  DLG_RECEIVED_VIA_FILE = 1 << 0,
  DLG_RECEIVED_VIA_SYNC = 1 << 1,
} DlgReceivedVia;

/* A signed document waiting for, or done with, the uploader. */
typedef struct
{
  char           *id;
  DlgSignedKind   kind;
  char           *assessment_id;  /* the assessment a report was signed from, or NULL */
  char           *subject_id;     /* the report a review is about, or NULL */
  char           *sha256;
  gint64          position;       /* the order of sending */
  DlgOutboxState  state;
  guint           attempts;
  gint64          next_attempt;   /* µs since the epoch */
  char           *last_error;     /* what the last failure said */
  char           *problem;        /* the server's problem code when rejected */
  char           *receipt;        /* the server's acknowledgement, JSON */
  gint64          delivered_at;   /* µs since the epoch, 0 if not delivered */
  gint64          queued_at;
} DlgOutboxEntry;

/* A document received from someone else, by file or by sync. */
typedef struct
{
  char           *id;
  DlgSignedKind   kind;
  char           *sender_id;
  char           *subject_id;     /* the report a review is about */
  char           *key_id;         /* the key that signed it */
  char           *sha256;
  GBytes         *bytes;          /* NULL in listings */
  DlgReceivedVia  via;
  gint64          received_at;    /* µs since the epoch, first time it arrived here */
  char           *server_received_at;
  gint64          read_at;
} DlgInboxEntry;

GQuark           dlg_sync_error_quark          (void);
gboolean         dlg_sync_error_is_retryable   (const GError         *error);
const char      *dlg_signed_kind_to_string     (DlgSignedKind         kind);
char            *dlg_organisation_id_normalise (const char           *id);

DlgOutboxEntry  *dlg_outbox_entry_copy         (const DlgOutboxEntry *entry);
void             dlg_outbox_entry_free         (DlgOutboxEntry       *entry);
DlgInboxEntry   *dlg_inbox_entry_copy          (const DlgInboxEntry  *entry);
void             dlg_inbox_entry_free          (DlgInboxEntry        *entry);

gboolean         dlg_store_add_signed          (DlgStore             *self,
                                                DlgSignedKind         kind,
                                                const char           *id,
                                                const char           *assessment_id,
                                                const char           *subject_id,
                                                GBytes               *jws,
                                                gboolean              enqueue,
                                                DlgOutboxEntry      **entry,
                                                GError              **error);
GBytes          *dlg_store_get_signed_bytes    (DlgStore             *self,
                                                const char           *id,
                                                GError              **error);
GPtrArray       *dlg_store_list_outbox         (DlgStore             *self,
                                                GError              **error);
gboolean         dlg_store_update_outbox       (DlgStore             *self,
                                                const DlgOutboxEntry *entry,
                                                GError              **error);

gboolean         dlg_store_add_received        (DlgStore             *self,
                                                const DlgInboxEntry  *entry,
                                                gboolean             *is_new,
                                                GError              **error);
gboolean         dlg_store_has_document        (DlgStore             *self,
                                                const char           *id);
GPtrArray       *dlg_store_list_inbox          (DlgStore             *self,
                                                GError              **error);
DlgInboxEntry   *dlg_store_get_inbox_entry     (DlgStore             *self,
                                                const char           *id,
                                                GError              **error);
gboolean         dlg_store_mark_read           (DlgStore             *self,
                                                const char           *id,
                                                GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlgOutboxEntry, dlg_outbox_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlgInboxEntry, dlg_inbox_entry_free)

G_END_DECLS
