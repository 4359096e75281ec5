/* dlg-store-sync.c - signed documents, the outbox and the inbox in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every signed document, sent or received, is kept as the exact bytes of
 * its compact JWS, keyed by its id: the same report arriving as a file and
 * by sync is one row, and the same id with other bytes is refused. Signing
 * a report stores it, queues it in the outbox and marks its assessment
 * signed in one transaction, so a crash can never leave a signed report
 * that will not be sent. The outbox never deletes: a delivered report keeps
 * its receipt, a rejected one its reason.
 */

#define G_LOG_DOMAIN "dlg-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dlg-jws.h"
#include "dlg-store-private.h"
#include "dlg-store-sync.h"

G_DEFINE_QUARK (dlg-sync-error-quark, dlg_sync_error)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

enum {
  DIRECTION_OUT = 0,
  DIRECTION_IN = 1,
};

/**
 * dlg_sync_error_is_retryable:
 *
 * Returns: %TRUE if trying again later may succeed with nothing changed:
 *   network trouble, timeouts, busy or failing servers
 */
gboolean
dlg_sync_error_is_retryable (const GError *error)
{
  if (error == NULL || error->domain != DLG_SYNC_ERROR)
    return FALSE;
  switch ((DlgSyncError) error->code)
    {
    case DLG_SYNC_ERROR_NETWORK:
    case DLG_SYNC_ERROR_TIMEOUT:
    case DLG_SYNC_ERROR_TLS:
    case DLG_SYNC_ERROR_SERVER:
    case DLG_SYNC_ERROR_BUSY:
    case DLG_SYNC_ERROR_PROTOCOL:
      return TRUE;
    case DLG_SYNC_ERROR_NOT_CONFIGURED:
    case DLG_SYNC_ERROR_INVALID_ENDPOINT:
    case DLG_SYNC_ERROR_UNAUTHORIZED:
    case DLG_SYNC_ERROR_FORBIDDEN:
    case DLG_SYNC_ERROR_NOT_FOUND:
    case DLG_SYNC_ERROR_CONFLICT:
    case DLG_SYNC_ERROR_TOO_LARGE:
    case DLG_SYNC_ERROR_UNKNOWN_KEY:
    case DLG_SYNC_ERROR_BAD_SIGNATURE:
    case DLG_SYNC_ERROR_UNKNOWN_RECIPIENT:
    case DLG_SYNC_ERROR_REJECTED:
    default:
      return FALSE;
    }
}

const char *
dlg_signed_kind_to_string (DlgSignedKind kind)
{
  return kind == DLG_SIGNED_REVIEW ? "review" : "report";
}

/**
 * dlg_organisation_id_normalise:
 * @id: an enterprise or VAT number as someone wrote it
 *
 * Enterprise and VAT numbers are written in many ways ("BE 0123.456.789",
 * "0123/456/789"); the server, its admin commands and the inbox compare
 * them without spaces, dots, dashes or slashes, in upper case.
 *
 * Returns: (transfer full): the one spelling compared
 */
char *
dlg_organisation_id_normalise (const char *id)
{
  GString *s = g_string_new (NULL);

  for (const char *p = id ? id : ""; *p; p++)
    if (*p != ' ' && *p != '.' && *p != '-' && *p != '/')
      g_string_append_c (s, g_ascii_toupper (*p));
  return g_string_free (s, FALSE);
}

DlgOutboxEntry *
dlg_outbox_entry_copy (const DlgOutboxEntry *entry)
{
  DlgOutboxEntry *copy = g_memdup2 (entry, sizeof *entry);

  copy->id = g_strdup (entry->id);
  copy->assessment_id = g_strdup (entry->assessment_id);
  copy->subject_id = g_strdup (entry->subject_id);
  copy->sha256 = g_strdup (entry->sha256);
  copy->last_error = g_strdup (entry->last_error);
  copy->problem = g_strdup (entry->problem);
  copy->receipt = g_strdup (entry->receipt);
  return copy;
}

void
dlg_outbox_entry_free (DlgOutboxEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->id);
  g_free (entry->assessment_id);
  g_free (entry->subject_id);
  g_free (entry->sha256);
  g_free (entry->last_error);
  g_free (entry->problem);
  g_free (entry->receipt);
  g_free (entry);
}

DlgInboxEntry *
dlg_inbox_entry_copy (const DlgInboxEntry *entry)
{
  DlgInboxEntry *copy = g_memdup2 (entry, sizeof *entry);

  copy->id = g_strdup (entry->id);
  copy->sender_id = g_strdup (entry->sender_id);
  copy->subject_id = g_strdup (entry->subject_id);
  copy->key_id = g_strdup (entry->key_id);
  copy->sha256 = g_strdup (entry->sha256);
  copy->bytes = entry->bytes ? g_bytes_ref (entry->bytes) : NULL;
  copy->server_received_at = g_strdup (entry->server_received_at);
  return copy;
}

void
dlg_inbox_entry_free (DlgInboxEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->id);
  g_free (entry->sender_id);
  g_free (entry->subject_id);
  g_free (entry->key_id);
  g_free (entry->sha256);
  g_clear_pointer (&entry->bytes, g_bytes_unref);
  g_free (entry->server_received_at);
  g_free (entry);
}

/* ------------------------------------------------------------------------ */
/* SQLite helpers                                                           */
/* ------------------------------------------------------------------------ */

static sqlite3_stmt *
prepare (DlgStore    *self,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (dlg_store_get_db (self), sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      dlg_store_fail (self, rc, error);
      return NULL;
    }
  return stmt;
}

static gboolean
exec (DlgStore    *self,
      const char  *sql,
      GError     **error)
{
  int rc = sqlite3_exec (dlg_store_get_db (self), sql, NULL, NULL, NULL);

  return rc == SQLITE_OK ? TRUE : dlg_store_fail (self, rc, error);
}

static gboolean
rollback (DlgStore *self)
{
  sqlite3 *db = dlg_store_get_db (self);

  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

static gboolean
commit (DlgStore  *self,
        GError   **error)
{
  if (exec (self, "COMMIT", error))
    return TRUE;
  return rollback (self);
}

static gboolean
step_done (DlgStore      *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  return rc == SQLITE_DONE ? TRUE : dlg_store_fail (self, rc, error);
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           index)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, index));
}

/* Looks up the stored bytes' digest of @id. Returns FALSE on error; sets
 * *sha256 to NULL when there is no such document. */
static gboolean
lookup_sha256 (DlgStore    *self,
               const char  *id,
               char       **sha256,
               int         *direction,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "SELECT sha256, direction FROM signed_documents WHERE id = ?", error);
  int rc;

  *sha256 = NULL;
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *sha256 = column_text (stmt, 0);
      if (direction != NULL)
        *direction = sqlite3_column_int (stmt, 1);
      return TRUE;
    }
  return rc == SQLITE_DONE ? TRUE : dlg_store_fail (self, rc, error);
}

static gboolean
insert_document (DlgStore       *self,
                 const char     *id,
                 DlgSignedKind   kind,
                 int             direction,
                 const char     *assessment_id,
                 const char     *subject_id,
                 const char     *sender_id,
                 const char     *key_id,
                 const char     *sha256,
                 GBytes         *bytes,
                 GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gsize length;
  gconstpointer data = g_bytes_get_data (bytes, &length);

  stmt = prepare (self, "INSERT INTO signed_documents (id, kind, direction, assessment_id, subject_id, "
                        "sender_id, key_id, sha256, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, kind);
  sqlite3_bind_int (stmt, 3, direction);
  bind_text (stmt, 4, assessment_id);
  bind_text (stmt, 5, subject_id);
  bind_text (stmt, 6, sender_id);
  bind_text (stmt, 7, key_id);
  bind_text (stmt, 8, sha256);
  sqlite3_bind_blob64 (stmt, 9, data ? data : "", length, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 10, g_get_real_time ());
  return step_done (self, stmt, error);
}

/* ------------------------------------------------------------------------ */
/* Signed documents and the outbox                                          */
/* ------------------------------------------------------------------------ */

#define OUTBOX_COLUMNS \
  "d.id, d.kind, d.assessment_id, d.subject_id, d.sha256, o.position, o.state, o.attempts, " \
  "o.next_attempt, o.last_error, o.problem, o.receipt, coalesce (o.delivered_at, 0), o.queued_at"

static DlgOutboxEntry *
outbox_entry_from_row (sqlite3_stmt *stmt)
{
  DlgOutboxEntry *entry = g_new0 (DlgOutboxEntry, 1);

  entry->id = column_text (stmt, 0);
  entry->kind = sqlite3_column_int (stmt, 1);
  entry->assessment_id = column_text (stmt, 2);
  entry->subject_id = column_text (stmt, 3);
  entry->sha256 = column_text (stmt, 4);
  entry->position = sqlite3_column_int64 (stmt, 5);
  entry->state = sqlite3_column_int (stmt, 6);
  entry->attempts = sqlite3_column_int (stmt, 7);
  entry->next_attempt = sqlite3_column_int64 (stmt, 8);
  entry->last_error = column_text (stmt, 9);
  entry->problem = column_text (stmt, 10);
  entry->receipt = column_text (stmt, 11);
  entry->delivered_at = sqlite3_column_int64 (stmt, 12);
  entry->queued_at = sqlite3_column_int64 (stmt, 13);
  return entry;
}

static DlgOutboxEntry *
get_outbox_entry (DlgStore    *self,
                  const char  *id,
                  GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = prepare (self, "SELECT " OUTBOX_COLUMNS " FROM outbox o JOIN signed_documents d ON d.id = o.document_id "
                        "WHERE d.id = ?", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return outbox_entry_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_NOT_FOUND, _("This report is not in the outbox"));
  else
    dlg_store_fail (self, rc, error);
  return NULL;
}

/**
 * dlg_store_add_signed:
 * @id: the document's id, as inside its payload
 * @assessment_id: (nullable): the assessment a report was signed from; it
 *   is marked signed in the same transaction
 * @subject_id: (nullable): the report a review is about
 * @jws: the exact compact JWS
 * @enqueue: whether to queue it in the outbox for sending
 * @entry: (out) (optional): its outbox entry, when queued
 *
 * Keeps a document signed here. Adding the same bytes again changes
 * nothing; other bytes under the same id are refused with
 * %DLG_SYNC_ERROR_CONFLICT.
 */
gboolean
dlg_store_add_signed (DlgStore         *self,
                      DlgSignedKind     kind,
                      const char       *id,
                      const char       *assessment_id,
                      const char       *subject_id,
                      GBytes           *jws,
                      gboolean          enqueue,
                      DlgOutboxEntry  **entry,
                      GError          **error)
{
  g_autofree char *sha256 = NULL;
  g_autofree char *existing = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (DLG_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL && jws != NULL, FALSE);

  sha256 = dlg_sha256_hex (jws);

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!lookup_sha256 (self, id, &existing, NULL, error))
    return rollback (self);
  if (existing != NULL && !g_str_equal (existing, sha256))
    {
      g_set_error (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_CONFLICT,
                   _("Another signed document with the id %s is kept already"), id);
      return rollback (self);
    }
  if (existing == NULL &&
      !insert_document (self, id, kind, DIRECTION_OUT, assessment_id, subject_id, NULL, NULL, sha256, jws, error))
    return rollback (self);

  if (enqueue)
    {
      gint64 now = g_get_real_time ();

      /* Queued once: the conflict clause keeps a second enqueue of the
       * same document from moving it. */
      stmt = prepare (self, "INSERT INTO outbox (document_id, position, state, next_attempt, queued_at) "
                            "VALUES (?1, (SELECT coalesce (max (position), 0) + 1 FROM outbox), ?2, ?3, ?3) "
                            "ON CONFLICT (document_id) DO NOTHING", error);
      if (stmt == NULL)
        return rollback (self);
      bind_text (stmt, 1, id);
      sqlite3_bind_int (stmt, 2, DLG_OUTBOX_QUEUED);
      sqlite3_bind_int64 (stmt, 3, now);
      if (!step_done (self, stmt, error))
        return rollback (self);
      g_clear_pointer (&stmt, sqlite3_finalize);
    }

  if (assessment_id != NULL)
    {
      stmt = prepare (self, "UPDATE assessments SET state = ? WHERE id = ?", error);
      if (stmt == NULL)
        return rollback (self);
      sqlite3_bind_int (stmt, 1, DLG_ASSESSMENT_STATE_SIGNED);
      bind_text (stmt, 2, assessment_id);
      if (!step_done (self, stmt, error))
        return rollback (self);
      if (sqlite3_changes (dlg_store_get_db (self)) == 0)
        {
          g_set_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_NOT_FOUND, _("There is no such assessment"));
          return rollback (self);
        }
      g_clear_pointer (&stmt, sqlite3_finalize);
    }

  if (!commit (self, error))
    return FALSE;

  if (entry != NULL)
    *entry = enqueue ? get_outbox_entry (self, id, error) : NULL;
  return !enqueue || entry == NULL || *entry != NULL;
}

/**
 * dlg_store_get_signed_bytes:
 *
 * Returns: (transfer full): the exact bytes of a signed document, sent or
 *   received
 */
GBytes *
dlg_store_get_signed_bytes (DlgStore    *self,
                            const char  *id,
                            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (DLG_IS_STORE (self), NULL);

  stmt = prepare (self, "SELECT bytes FROM signed_documents WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  if (rc == SQLITE_DONE)
    g_set_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_NOT_FOUND, _("There is no such signed document"));
  else
    dlg_store_fail (self, rc, error);
  return NULL;
}

/**
 * dlg_store_list_outbox:
 *
 * Returns: (transfer full) (element-type DlgOutboxEntry): every entry, in
 *   the order of sending
 */
GPtrArray *
dlg_store_list_outbox (DlgStore  *self,
                       GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  g_return_val_if_fail (DLG_IS_STORE (self), NULL);

  stmt = prepare (self, "SELECT " OUTBOX_COLUMNS " FROM outbox o JOIN signed_documents d ON d.id = o.document_id "
                        "ORDER BY o.position", error);
  if (stmt == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_outbox_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DlgOutboxEntry *entry = outbox_entry_from_row (stmt);

      /* Sending is never stored; whatever was under way when the app
       * stopped is simply queued again. */
      if (entry->state == DLG_OUTBOX_SENDING)
        entry->state = DLG_OUTBOX_QUEUED;
      g_ptr_array_add (list, entry);
    }
  if (rc != SQLITE_DONE)
    {
      dlg_store_fail (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/**
 * dlg_store_update_outbox:
 *
 * Writes @entry's state, attempts, retry time, error, problem, receipt and
 * delivery time. %DLG_OUTBOX_SENDING is written as queued.
 */
gboolean
dlg_store_update_outbox (DlgStore              *self,
                         const DlgOutboxEntry  *entry,
                         GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  gboolean ok;

  g_return_val_if_fail (DLG_IS_STORE (self), FALSE);
  g_return_val_if_fail (entry != NULL && entry->id != NULL, FALSE);

  db = dlg_store_get_db (self);
  stmt = prepare (self, "UPDATE outbox SET state = ?, attempts = ?, next_attempt = ?, last_error = ?, problem = ?, "
                        "receipt = ?, delivered_at = nullif (?, 0) WHERE document_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, entry->state == DLG_OUTBOX_SENDING ? DLG_OUTBOX_QUEUED : entry->state);
  sqlite3_bind_int (stmt, 2, entry->attempts);
  sqlite3_bind_int64 (stmt, 3, entry->next_attempt);
  bind_text (stmt, 4, entry->last_error);
  bind_text (stmt, 5, entry->problem);
  bind_text (stmt, 6, entry->receipt);
  sqlite3_bind_int64 (stmt, 7, entry->delivered_at);
  bind_text (stmt, 8, entry->id);

  /* Atomic, but not synced: an outbox's state can always be had again
   * from the server, which answers a document sent twice with its original
   * receipt (or refusal). Losing the last few updates to a power cut costs
   * a resend, and sparing an fsync per report halves the time to empty a
   * long queue. The documents themselves are written with a full sync. */
  sqlite3_exec (db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
  ok = step_done (self, stmt, error);
  sqlite3_exec (db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
  if (!ok)
    return FALSE;

  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_NOT_FOUND, _("This report is not in the outbox"));
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* The inbox                                                                */
/* ------------------------------------------------------------------------ */

/**
 * dlg_store_add_received:
 * @entry: the document, with its bytes, digest, sender and how it came
 * @is_new: (out) (optional): %FALSE when it had arrived before
 *
 * Keeps a document received from someone else, after it was verified. The
 * same bytes arriving again, by file or by sync, are the same document:
 * only the ways it came are added. Other bytes under a known id are
 * refused with %DLG_SYNC_ERROR_CONFLICT.
 */
gboolean
dlg_store_add_received (DlgStore             *self,
                        const DlgInboxEntry  *entry,
                        gboolean             *is_new,
                        GError              **error)
{
  g_autofree char *existing = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int direction = DIRECTION_IN;

  g_return_val_if_fail (DLG_IS_STORE (self), FALSE);
  g_return_val_if_fail (entry != NULL && entry->id != NULL && entry->bytes != NULL && entry->sha256 != NULL, FALSE);

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!lookup_sha256 (self, entry->id, &existing, &direction, error))
    return rollback (self);
  if (existing != NULL && (!g_str_equal (existing, entry->sha256) || direction != DIRECTION_IN))
    {
      g_set_error (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_CONFLICT,
                   _("A different %s with the id %s was received before; this one was not kept"),
                   dlg_signed_kind_to_string (entry->kind), entry->id);
      return rollback (self);
    }

  if (existing == NULL)
    {
      if (!insert_document (self, entry->id, entry->kind, DIRECTION_IN, NULL, entry->subject_id,
                            entry->sender_id, entry->key_id, entry->sha256, entry->bytes, error))
        return rollback (self);

      stmt = prepare (self, "INSERT INTO inbox (document_id, via, received_at, server_received_at) "
                            "VALUES (?, ?, ?, ?)", error);
      if (stmt == NULL)
        return rollback (self);
      bind_text (stmt, 1, entry->id);
      sqlite3_bind_int (stmt, 2, entry->via);
      sqlite3_bind_int64 (stmt, 3, entry->received_at ? entry->received_at : g_get_real_time ());
      bind_text (stmt, 4, entry->server_received_at);
    }
  else
    {
      stmt = prepare (self, "UPDATE inbox SET via = via | ?, server_received_at = coalesce (server_received_at, ?) "
                            "WHERE document_id = ?", error);
      if (stmt == NULL)
        return rollback (self);
      sqlite3_bind_int (stmt, 1, entry->via);
      bind_text (stmt, 2, entry->server_received_at);
      bind_text (stmt, 3, entry->id);
    }
  if (!step_done (self, stmt, error))
    return rollback (self);

  if (!commit (self, error))
    return FALSE;
  if (is_new != NULL)
    *is_new = existing == NULL;
  return TRUE;
}

/**
 * dlg_store_has_document:
 *
 * Returns: %TRUE if a signed document with this id is kept, sent or received
 */
gboolean
dlg_store_has_document (DlgStore   *self,
                        const char *id)
{
  g_autofree char *sha256 = NULL;

  g_return_val_if_fail (DLG_IS_STORE (self), FALSE);
  return lookup_sha256 (self, id, &sha256, NULL, NULL) && sha256 != NULL;
}

#define INBOX_COLUMNS \
  "d.id, d.kind, d.sender_id, d.subject_id, d.key_id, d.sha256, i.via, i.received_at, " \
  "i.server_received_at, coalesce (i.read_at, 0)"

static DlgInboxEntry *
inbox_entry_from_row (sqlite3_stmt *stmt)
{
  DlgInboxEntry *entry = g_new0 (DlgInboxEntry, 1);

  entry->id = column_text (stmt, 0);
  entry->kind = sqlite3_column_int (stmt, 1);
  entry->sender_id = column_text (stmt, 2);
  entry->subject_id = column_text (stmt, 3);
  entry->key_id = column_text (stmt, 4);
  entry->sha256 = column_text (stmt, 5);
  entry->via = sqlite3_column_int (stmt, 6);
  entry->received_at = sqlite3_column_int64 (stmt, 7);
  entry->server_received_at = column_text (stmt, 8);
  entry->read_at = sqlite3_column_int64 (stmt, 9);
  return entry;
}

/**
 * dlg_store_list_inbox:
 *
 * Returns: (transfer full) (element-type DlgInboxEntry): every received
 *   document without its bytes, newest first
 */
GPtrArray *
dlg_store_list_inbox (DlgStore  *self,
                      GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  g_return_val_if_fail (DLG_IS_STORE (self), NULL);

  stmt = prepare (self, "SELECT " INBOX_COLUMNS " FROM inbox i JOIN signed_documents d ON d.id = i.document_id "
                        "ORDER BY i.received_at DESC, d.id", error);
  if (stmt == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_inbox_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, inbox_entry_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      dlg_store_fail (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/**
 * dlg_store_get_inbox_entry:
 *
 * Returns: (transfer full): the received document with its bytes
 */
DlgInboxEntry *
dlg_store_get_inbox_entry (DlgStore    *self,
                           const char  *id,
                           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  DlgInboxEntry *entry;
  int rc;

  g_return_val_if_fail (DLG_IS_STORE (self), NULL);

  stmt = prepare (self, "SELECT " INBOX_COLUMNS ", d.bytes FROM inbox i JOIN signed_documents d "
                        "ON d.id = i.document_id WHERE d.id = ?", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_NOT_FOUND, _("There is no such received document"));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      dlg_store_fail (self, rc, error);
      return NULL;
    }
  entry = inbox_entry_from_row (stmt);
  entry->bytes = g_bytes_new (sqlite3_column_blob (stmt, 10), sqlite3_column_bytes (stmt, 10));
  return entry;
}

gboolean
dlg_store_mark_read (DlgStore    *self,
                     const char  *id,
                     GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (DLG_IS_STORE (self), FALSE);

  stmt = prepare (self, "UPDATE inbox SET read_at = coalesce (read_at, ?) WHERE document_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
  bind_text (stmt, 2, id);
  return step_done (self, stmt, error);
}
