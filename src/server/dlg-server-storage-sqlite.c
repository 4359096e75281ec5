/* dlg-server-storage-sqlite.c - the server's storage in one SQLite file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The file runs in WAL mode. Making a commit durable costs one fsync of the
 * log, which caps single-row commits at a few thousand a second on ordinary
 * disks, so every write goes through one writer thread that takes all the
 * writes waiting in its queue and commits them together (group commit).
 * A write that fails (a duplicate organisation, say) is undone alone while
 * the others in its group are committed. The writer does not wait for the
 * disk: a syncer thread syncs the log behind it and only then answers the
 * writes it covered (see syncer_thread()). Nobody is told a write
 * succeeded before the COMMIT that holds it has returned and the log has
 * been synced after it.
 *
 * Reads use a pool of read-only connections, one per thread at a time;
 * in WAL mode they never wait for the writer and see only committed data.
 *
 * Copying the log back into the database (a checkpoint: some 16 MB and an
 * fsync) runs on a thread of its own, not inside a COMMIT as SQLite does by
 * itself: every submission waiting on that commit would wait for it too.
 */

#define G_LOG_DOMAIN "dlg-server-storage"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "dlg-server-storage-sqlite.h"

#define DEFAULT_MAX_BATCH 256

/* How long a commit may wait for more writes when several clients write
 * at once. */
#define COMMIT_DELAY_USEC 1000

/* The log's length, in pages, that starts a checkpoint (SQLite's own
 * default). */
#define CHECKPOINT_PAGES 1000

/* What the log adds to each page it holds (SQLite's file format). */
#define WAL_FRAME_HEADER 24

typedef struct _WriteOp WriteOp;

/* Runs in the writer thread, inside the batch's transaction. */
typedef gboolean (*WriteFunc) (DlgServerStorageSqlite  *self,
                               WriteOp                 *op,
                               GError                 **error);

struct _WriteOp
{
  WriteFunc       func;
  gpointer        data;
  GDestroyNotify  data_free;

  /* Results, read once the op completed. */
  int             result;
  gpointer        result_data;
  GDestroyNotify  result_free;
  GError         *error;

  /* Either a task to return, or a caller waiting on the condition. */
  GTask          *task;
  GMutex          mutex;
  GCond           cond;
  gboolean        done;

  gboolean        stop;           /* the last op: the writer exits after it */
  gboolean        bare;           /* runs alone, outside any transaction */
};

struct _DlgServerStorageSqlite
{
  GObject      parent_instance;

  char        *path;
  sqlite3     *writer_db;         /* used only by the writer thread after open */
  GHashTable  *writer_statements; /* of writer_db, as in Conn */
  GThread     *writer;
  GAsyncQueue *queue;             /* WriteOp * */
  guint        max_batch;         /* atomic */
  gint         commits;           /* atomic */
  gint         syncs;             /* atomic: of the log, by the syncer */
  int          page_size;         /* of writer_db, read once open */
  int          log_pages;         /* in the log after the last commit; writer only */

  GMutex       stats_lock;        /* protects the statistics below */
  guint64      log_bytes;         /* appended to the log by the writer's commits */
  gint64       commit_usec;       /* spent in COMMIT: writing the log and syncing it */

  GThread     *syncer;            /* NULL when COMMIT syncs by itself */
  GAsyncQueue *synced_queue;      /* GPtrArray * of committed ops, waiting for a sync */
  int          wal_fd;            /* the log, for the syncer */
  gint         sync_failed;       /* atomic: a sync failed, nothing more is written */

  GThread     *checkpointer;
  sqlite3     *checkpoint_db;     /* used only by the checkpointer after open */
  GMutex       checkpoint_lock;   /* protects the two below */
  GCond        checkpoint_cond;
  gboolean     checkpoint_wanted;
  gboolean     checkpoint_stop;

  GMutex       lock;              /* protects what follows */
  gboolean     closed;
  GAsyncQueue *idle_readers;      /* sqlite3 * */
  GPtrArray   *readers;           /* every read connection opened */
};

static void storage_iface_init (DlgServerStorageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DlgServerStorageSqlite, dlg_server_storage_sqlite, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (DLG_TYPE_SERVER_STORAGE, storage_iface_init))

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* Each migration takes the schema from version i to i + 1. Never edit one
 * that has shipped: add the next. */
static const char * const migrations[] = {
  /* 0 → 1 */
  "CREATE TABLE organisations ("
  "  id TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  roles INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL);"
  "CREATE TABLE tokens ("
  "  id TEXT PRIMARY KEY,"
  "  organisation_id TEXT NOT NULL REFERENCES organisations (id),"
  "  label TEXT,"
  "  hash BLOB NOT NULL CHECK (length (hash) = 32),"
  "  created_at INTEGER NOT NULL,"
  "  revoked_at INTEGER);"
  "CREATE INDEX tokens_by_organisation ON tokens (organisation_id);"
  "CREATE TABLE keys ("
  "  id TEXT PRIMARY KEY,"
  "  organisation_id TEXT NOT NULL REFERENCES organisations (id),"
  "  jwk TEXT NOT NULL,"
  "  added_at INTEGER NOT NULL,"
  "  revoked_at INTEGER);"
  "CREATE INDEX keys_by_organisation ON keys (organisation_id);"
  "CREATE TABLE documents ("
  "  sequence INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  kind INTEGER NOT NULL,"
  "  id TEXT NOT NULL,"
  "  sender_id TEXT NOT NULL REFERENCES organisations (id),"
  "  subject_id TEXT,"
  "  sha256 TEXT NOT NULL,"
  "  size INTEGER NOT NULL,"
  "  bytes BLOB NOT NULL,"
  "  received_at INTEGER NOT NULL,"
  "  UNIQUE (kind, id));"
  "CREATE TABLE recipients ("
  "  recipient_id TEXT NOT NULL,"
  "  kind INTEGER NOT NULL,"
  "  sequence INTEGER NOT NULL REFERENCES documents (sequence),"
  "  PRIMARY KEY (recipient_id, kind, sequence)) WITHOUT ROWID;"
  "CREATE TABLE questionnaires ("
  "  sha256 TEXT PRIMARY KEY,"
  "  id TEXT NOT NULL,"
  "  version TEXT NOT NULL,"
  "  title TEXT,"
  "  publisher_id TEXT NOT NULL REFERENCES organisations (id),"
  "  size INTEGER NOT NULL,"
  "  bytes BLOB NOT NULL,"
  "  published_at INTEGER NOT NULL);",

  /* 1 → 2: the directory's version, raised by every change to the
   * organisations, tokens and keys, by whatever makes it (the server, an
   * admin command, the sqlite3 shell), so that the server may keep them in
   * memory and know when it must read them again. */
  "CREATE TABLE directory_version ("
  "  only INTEGER PRIMARY KEY CHECK (only = 1),"
  "  version INTEGER NOT NULL);"
  "INSERT INTO directory_version VALUES (1, 0);"
  "CREATE TRIGGER organisations_inserted AFTER INSERT ON organisations"
  "  BEGIN UPDATE directory_version SET version = version + 1; END;"
  "CREATE TRIGGER organisations_updated AFTER UPDATE ON organisations"
  "  BEGIN UPDATE directory_version SET version = version + 1; END;"
  "CREATE TRIGGER organisations_deleted AFTER DELETE ON organisations"
  "  BEGIN UPDATE directory_version SET version = version + 1; END;"
  "CREATE TRIGGER tokens_inserted AFTER INSERT ON tokens"
  "  BEGIN UPDATE directory_version SET version = version + 1; END;"
  "CREATE TRIGGER tokens_updated AFTER UPDATE ON tokens"
  "  BEGIN UPDATE directory_version SET version = version + 1; END;"
  "CREATE TRIGGER tokens_deleted AFTER DELETE ON tokens"
  "  BEGIN UPDATE directory_version SET version = version + 1; END;"
  "CREATE TRIGGER keys_inserted AFTER INSERT ON keys"
  "  BEGIN UPDATE directory_version SET version = version + 1; END;"
  "CREATE TRIGGER keys_updated AFTER UPDATE ON keys"
  "  BEGIN UPDATE directory_version SET version = version + 1; END;"
  "CREATE TRIGGER keys_deleted AFTER DELETE ON keys"
  "  BEGIN UPDATE directory_version SET version = version + 1; END;",
};

/* ------------------------------------------------------------------------ */
/* SQLite helpers                                                           */
/* ------------------------------------------------------------------------ */

static gboolean
fail (sqlite3  *db,
      int       rc,
      GError  **error)
{
  const char *detail = db ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      g_set_error (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_FULL,
                   "The disk holding the database is full (%s)", detail);
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_CORRUPT,
                   "The database is damaged or is not a diligence-server database (%s)", detail);
      break;
    case SQLITE_CANTOPEN:
      g_set_error (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_OPEN,
                   "The database cannot be opened (%s)", detail);
      break;
    default:
      g_set_error (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_FAILED,
                   "The database reported an error: %s", detail);
      break;
    }
  return FALSE;
}

static gboolean
exec (sqlite3     *db,
      const char  *sql,
      GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  return rc == SQLITE_OK ? TRUE : fail (db, rc, error);
}

static sqlite3_stmt *
prepare (sqlite3     *db,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      fail (db, rc, error);
      return NULL;
    }
  return stmt;
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

static GBytes *
column_bytes (sqlite3_stmt *stmt,
              int           index)
{
  const void *data = sqlite3_column_blob (stmt, index);
  int length = sqlite3_column_bytes (stmt, index);

  return g_bytes_new (data, length);
}

static gboolean
not_found (GError     **error,
           const char  *what)
{
  g_set_error (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_NOT_FOUND, "No such %s", what);
  return FALSE;
}

static gboolean
closed_error (GError **error)
{
  g_set_error_literal (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_CLOSED,
                       "The storage is closed");
  return FALSE;
}

static gboolean
pragma_int (sqlite3     *db,
            const char  *sql,
            int         *value,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return fail (db, sqlite3_errcode (db), error);
  *value = sqlite3_column_int (stmt, 0);
  return TRUE;
}

static gboolean
sync_failed_error (GError **error)
{
  g_set_error_literal (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_FAILED,
                       "The database's log could not be synced to disk; nothing is written until "
                       "the server restarts");
  return FALSE;
}

static sqlite3 *
open_connection (const char  *path,
                 gboolean     reader,
                 GError     **error)
{
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | (reader ? 0 : SQLITE_OPEN_CREATE) |
                            SQLITE_OPEN_NOMUTEX, NULL);

  if (rc != SQLITE_OK)
    {
      fail (db, rc, error);
      sqlite3_close_v2 (db);
      return NULL;
    }

  sqlite3_extended_result_codes (db, TRUE);
  /* The admin commands may write while the server runs. */
  sqlite3_busy_timeout (db, 10000);

  if (reader)
    {
      if (!exec (db, "PRAGMA query_only = ON", error))
        {
          sqlite3_close_v2 (db);
          return NULL;
        }
    }
  return db;
}

/* ------------------------------------------------------------------------ */
/* Connections and their prepared statements                                */
/* ------------------------------------------------------------------------ */

/* A connection with the statements prepared on it. Preparing costs more
 * than running the small queries of a request, so each statement is
 * prepared once per connection and reset between uses. The SQL texts are
 * string literals: their addresses are the keys. */
typedef struct
{
  sqlite3    *db;
  GHashTable *statements;   /* const char * → sqlite3_stmt * */
} Conn;

static void
statement_free (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static Conn *
conn_new (sqlite3 *db)
{
  Conn *conn = g_new0 (Conn, 1);

  conn->db = db;
  conn->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                            statement_free);
  return conn;
}

static void
conn_free (Conn *conn)
{
  g_clear_pointer (&conn->statements, g_hash_table_unref);
  sqlite3_close_v2 (conn->db);
  g_free (conn);
}

/* Returns the statement for @sql, reset and unbound; owned by @conn. */
static sqlite3_stmt *
cached (Conn        *conn,
        const char  *sql,
        GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (conn->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (conn->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      fail (conn->db, rc, error);
      return NULL;
    }
  g_hash_table_insert (conn->statements, (gpointer) sql, stmt);
  return stmt;
}

/* Ends every statement's run, so that the connection holds no read
 * snapshot (which would keep the log from being checkpointed). */
static void
conn_reset (Conn *conn)
{
  GHashTableIter iter;
  gpointer stmt;

  g_hash_table_iter_init (&iter, conn->statements);
  while (g_hash_table_iter_next (&iter, NULL, &stmt))
    sqlite3_reset (stmt);
}

/* ------------------------------------------------------------------------ */
/* Readers                                                                  */
/* ------------------------------------------------------------------------ */

static Conn *
reader_acquire (DlgServerStorageSqlite  *self,
                GError                 **error)
{
  Conn *conn;
  sqlite3 *db;

  g_mutex_lock (&self->lock);
  if (self->closed)
    {
      g_mutex_unlock (&self->lock);
      closed_error (error);
      return NULL;
    }
  conn = g_async_queue_try_pop (self->idle_readers);
  g_mutex_unlock (&self->lock);

  if (conn != NULL)
    return conn;

  db = open_connection (self->path, TRUE, error);
  if (db == NULL)
    return NULL;
  conn = conn_new (db);

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->readers, conn);
  g_mutex_unlock (&self->lock);
  return conn;
}

static void
reader_release (DlgServerStorageSqlite *self,
                Conn                   *conn)
{
  conn_reset (conn);
  g_async_queue_push (self->idle_readers, conn);
}

/* ------------------------------------------------------------------------ */
/* The writer                                                               */
/* ------------------------------------------------------------------------ */

static void
write_op_clear_result (WriteOp *op)
{
  if (op->result_data != NULL && op->result_free != NULL)
    op->result_free (op->result_data);
  op->result_data = NULL;
}

static void
write_op_free (WriteOp *op)
{
  write_op_clear_result (op);
  if (op->data != NULL && op->data_free != NULL)
    op->data_free (op->data);
  g_clear_error (&op->error);
  g_clear_object (&op->task);
  g_mutex_clear (&op->mutex);
  g_cond_clear (&op->cond);
  g_free (op);
}

static WriteOp *
write_op_new (WriteFunc       func,
              gpointer        data,
              GDestroyNotify  data_free)
{
  WriteOp *op = g_new0 (WriteOp, 1);

  op->func = func;
  op->data = data;
  op->data_free = data_free;
  g_mutex_init (&op->mutex);
  g_cond_init (&op->cond);
  return op;
}

static void
write_op_complete (WriteOp *op)
{
  if (op->task != NULL)
    {
      GTask *task = g_steal_pointer (&op->task);

      /* The task owns the op from here; its callback reads the results. */
      g_task_set_task_data (task, op, (GDestroyNotify) write_op_free);
      if (op->error != NULL)
        g_task_return_error (task, g_steal_pointer (&op->error));
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  g_mutex_lock (&op->mutex);
  op->done = TRUE;
  g_cond_signal (&op->cond);
  g_mutex_unlock (&op->mutex);
}

static gboolean
complete_ops_cb (gpointer data)
{
  GPtrArray *ops = data;

  for (guint i = 0; i < ops->len; i++)
    write_op_complete (g_ptr_array_index (ops, i));
  g_ptr_array_set_size (ops, 0);
  return G_SOURCE_REMOVE;
}

static void
complete_ops_in (GPtrArray    *ops,
                 GMainContext *context)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, complete_ops_cb, ops, (GDestroyNotify) g_ptr_array_unref);
  g_source_set_static_name (source, "[dlg-server-storage] commit");
  g_source_attach (source, context);
  g_source_unref (source);
}

/* Hands the ops of a finished batch back. A task returned from this
 * thread wakes its caller's context once per op; instead, the tasks of one
 * context return together from one source there (where GTask calls their
 * callbacks at once), so a commit of a dozen submissions wakes the
 * server's thread once. */
static void
complete_batch (GPtrArray *batch)
{
  GPtrArray *group = NULL;
  GMainContext *group_context = NULL;

  for (guint i = 0; i < batch->len; i++)
    {
      WriteOp *op = g_ptr_array_index (batch, i);
      GMainContext *context;

      if (op->task == NULL)
        {
          write_op_complete (op);
          continue;
        }

      context = g_task_get_context (op->task);
      if (group != NULL && context != group_context)
        complete_ops_in (g_steal_pointer (&group), group_context);
      if (group == NULL)
        {
          group = g_ptr_array_sized_new (batch->len - i);
          group_context = context;
        }
      g_ptr_array_add (group, op);
    }
  if (group != NULL)
    complete_ops_in (group, group_context);
}

/* Runs one of the statements that frame the writer's transactions: BEGIN
 * and COMMIT for every group, SAVEPOINT and RELEASE for every write of a
 * group that runs again. Parsing them each time cost more than running
 * them: each is prepared once. */
static gboolean
writer_exec (DlgServerStorageSqlite  *self,
             const char              *sql,
             GError                 **error)
{
  Conn writer = { self->writer_db, self->writer_statements };
  sqlite3_stmt *stmt = cached (&writer, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      fail (self->writer_db, rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

typedef enum
{
  OPS_DONE,           /* every op ran; with savepoints, some may have failed alone */
  OPS_OP_FAILED,      /* without savepoints: an op failed, the rest did not run */
  OPS_BATCH_FAILED,   /* nothing of the batch can be kept */
} OpsOutcome;

/* Runs the ops of @batch in the open transaction. With @savepoints, each
 * runs in a savepoint of its own, so that one that fails is undone alone
 * and the others go on. */
static OpsOutcome
run_ops (DlgServerStorageSqlite  *self,
         GPtrArray               *batch,
         gboolean                 savepoints,
         GError                 **batch_error)
{
  for (guint i = 0; i < batch->len; i++)
    {
      WriteOp *op = g_ptr_array_index (batch, i);

      if (op->func == NULL)
        continue;

      if (savepoints && !writer_exec (self, "SAVEPOINT op", batch_error))
        return OPS_BATCH_FAILED;
      if (op->func (self, op, &op->error))
        {
          if (savepoints && !writer_exec (self, "RELEASE op", batch_error))
            return OPS_BATCH_FAILED;
          continue;
        }

      write_op_clear_result (op);
      /* Some failures (a full disk, an I/O error) make SQLite roll the
       * whole transaction back: nothing of this batch is kept, and every
       * op in it fails for that reason. */
      if (sqlite3_get_autocommit (self->writer_db))
        {
          *batch_error = g_error_copy (op->error);
          return OPS_BATCH_FAILED;
        }
      if (!savepoints)
        return OPS_OP_FAILED;
      if (!writer_exec (self, "ROLLBACK TO op", batch_error) ||
          !writer_exec (self, "RELEASE op", batch_error))
        return OPS_BATCH_FAILED;
    }
  return OPS_DONE;
}

static void
run_batch (DlgServerStorageSqlite *self,
           GPtrArray              *batch)
{
  sqlite3 *db = self->writer_db;
  g_autoptr(GError) batch_error = NULL;
  OpsOutcome outcome;

  if (batch->len == 1 && ((WriteOp *) g_ptr_array_index (batch, 0))->bare)
    {
      WriteOp *op = g_ptr_array_index (batch, 0);

      op->func (self, op, &op->error);
      write_op_complete (op);
      return;
    }

  if (g_atomic_int_get (&self->sync_failed))
    {
      sync_failed_error (&batch_error);
      goto out;
    }

  if (!writer_exec (self, "BEGIN IMMEDIATE", &batch_error))
    goto out;

  /* A savepoint for each op costs a copy of every page the op changes
   * (the statement journal) and about a third of the writer's
   * instructions, while an op almost never fails: submissions decide
   * duplicates and conflicts without failing. So the ops first run
   * without; if one fails, the whole group is undone and runs again with
   * a savepoint for each. Every op can run twice: it only reads its data,
   * and its results are cleared in between. */
  outcome = run_ops (self, batch, FALSE, &batch_error);
  if (outcome == OPS_OP_FAILED)
    {
      if (!writer_exec (self, "ROLLBACK", &batch_error))
        goto out;
      for (guint i = 0; i < batch->len; i++)
        {
          WriteOp *op = g_ptr_array_index (batch, i);

          write_op_clear_result (op);
          g_clear_error (&op->error);
        }
      if (!writer_exec (self, "BEGIN IMMEDIATE", &batch_error))
        goto out;
      outcome = run_ops (self, batch, TRUE, &batch_error);
    }
  g_assert (outcome != OPS_OP_FAILED);
  g_assert ((outcome == OPS_BATCH_FAILED) == (batch_error != NULL));

  if (batch_error == NULL)
    {
      gint64 start = g_get_monotonic_time ();

      if (writer_exec (self, "COMMIT", &batch_error))
        {
          g_atomic_int_inc (&self->commits);
          g_mutex_lock (&self->stats_lock);
          self->commit_usec += g_get_monotonic_time () - start;
          g_mutex_unlock (&self->stats_lock);
        }
    }

out:
  if (batch_error != NULL)
    {
      /* Nothing of this batch is durable: every op fails, none is told
       * otherwise. */
      if (!sqlite3_get_autocommit (db))
        sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      for (guint i = 0; i < batch->len; i++)
        {
          WriteOp *op = g_ptr_array_index (batch, i);

          write_op_clear_result (op);
          g_clear_error (&op->error);
          op->error = g_error_copy (batch_error);
        }
    }

  if (batch_error == NULL && self->syncer != NULL)
    g_async_queue_push (self->synced_queue, g_ptr_array_copy (batch, NULL, NULL));
  else
    complete_batch (batch);
}

/* The syncer makes what the writer committed durable, then answers.
 *
 * The writer's connection commits with synchronous=NORMAL: COMMIT writes
 * the group's pages to the log and returns, without waiting for the disk.
 * The committed group is handed to this thread, which syncs the log
 * (fdatasync) and only then completes the group's writes: nothing is
 * acknowledged before the sync that follows its COMMIT has returned, as
 * with synchronous=FULL, where COMMIT itself syncs. The difference is that
 * the writer does not wait: it runs the next group while this one syncs,
 * and one sync covers every group committed before it started. (SQLite
 * still syncs the log's header when the log starts over, and checkpoints
 * sync the log before copying it, as with FULL.)
 *
 * Readers may see a committed document for the millisecond before it is
 * durable; nobody is told it was stored before then. A resubmission seen
 * as a duplicate of it is answered after a later sync, which covers the
 * first. If a sync fails, what it covered may be lost: those writes fail,
 * and so does every write after it until the server restarts and SQLite
 * recovers the log as the disk has it. A later sync that succeeds proves
 * nothing: the failed one may have dropped the pages it could not write,
 * and recovery stops at the first frame missing from the log, whatever
 * follows it. */
static gpointer
syncer_thread (gpointer data)
{
  DlgServerStorageSqlite *self = data;
  g_autoptr(GPtrArray) batches = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  gboolean stop = FALSE;

  while (!stop)
    {
      GPtrArray *batch = g_async_queue_pop (self->synced_queue);
      int rc;

      g_ptr_array_set_size (batches, 0);
      do
        {
          if (batch->len == 0)
            {
              stop = TRUE;
              g_ptr_array_unref (batch);
            }
          else
            g_ptr_array_add (batches, batch);
        }
      while ((batch = g_async_queue_try_pop (self->synced_queue)) != NULL);

      if (batches->len == 0)
        break;

      if (g_atomic_int_get (&self->sync_failed))
        {
          /* Committed before the writer knew, after frames that may be
           * lost: recovery stops at the first missing frame of the log,
           * so these would be lost with them, synced or not. */
          rc = -1;
        }
      else
        {
          do
            rc = fdatasync (self->wal_fd);
          while (rc != 0 && errno == EINTR);
          g_atomic_int_inc (&self->syncs);
          if (rc != 0)
            {
              int saved_errno = errno;

              g_warning ("Syncing the database's log failed: %s. Nothing more is written until the "
                         "server restarts.", g_strerror (saved_errno));
              g_atomic_int_set (&self->sync_failed, TRUE);
            }
        }

      for (guint i = 0; i < batches->len; i++)
        {
          GPtrArray *ops = g_ptr_array_index (batches, i);

          if (rc != 0)
            for (guint j = 0; j < ops->len; j++)
              {
                WriteOp *op = g_ptr_array_index (ops, j);

                write_op_clear_result (op);
                g_clear_error (&op->error);
                sync_failed_error (&op->error);
              }
          complete_batch (ops);
        }
    }
  return NULL;
}

static gpointer
writer_thread (gpointer data)
{
  DlgServerStorageSqlite *self = data;
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  gboolean stop = FALSE;
  guint last_batch = 0;

  while (!stop)
    {
      WriteOp *op = g_async_queue_pop (self->queue);
      guint max_batch = g_atomic_int_get (&self->max_batch);
      gint64 deadline;

      g_ptr_array_set_size (batch, 0);
      g_ptr_array_add (batch, op);
      stop = op->stop;

      /* Whatever arrived while the last commit was syncing goes into this
       * one. When writes come from several clients at once (the last
       * commit held more than one), wait a moment for as many as last
       * time: a commit costs an fsync, and the processor time of the
       * fsync is paid per commit, not per row. Never longer than
       * COMMIT_DELAY_USEC, and not at all for a lone writer, say one
       * app's outbox. */
      deadline = g_get_monotonic_time () + (last_batch > 1 ? COMMIT_DELAY_USEC : 0);
      while (!stop && !op->bare && batch->len < max_batch)
        {
          gint64 left = batch->len < last_batch ? deadline - g_get_monotonic_time () : 0;

          op = left > 0 ? g_async_queue_timeout_pop (self->queue, left) : g_async_queue_try_pop (self->queue);
          if (op == NULL)
            break;
          if (op->bare)
            {
              /* Its turn comes next, alone. */
              g_async_queue_push_front (self->queue, op);
              break;
            }
          g_ptr_array_add (batch, op);
          stop = op->stop;
        }

      last_batch = batch->len;
      run_batch (self, batch);
    }

  return NULL;
}

/* Called by SQLite in the writer thread after each commit. Replaces
 * SQLite's automatic checkpoint. */
static int
wal_hook_cb (void       *data,
             sqlite3    *db,
             const char *name,
             int         pages)
{
  DlgServerStorageSqlite *self = data;
  /* The log starts over after a complete checkpoint: then every page in it
   * is new. */
  int appended = pages >= self->log_pages ? pages - self->log_pages : pages;

  self->log_pages = pages;
  g_mutex_lock (&self->stats_lock);
  self->log_bytes += (guint64) appended * (self->page_size + WAL_FRAME_HEADER);
  g_mutex_unlock (&self->stats_lock);

  if (pages >= CHECKPOINT_PAGES)
    {
      g_mutex_lock (&self->checkpoint_lock);
      self->checkpoint_wanted = TRUE;
      g_cond_signal (&self->checkpoint_cond);
      g_mutex_unlock (&self->checkpoint_lock);
    }
  return SQLITE_OK;
}

/* A passive checkpoint never waits for the writer or the readers, and
 * the writer goes on appending to the log meanwhile; the log starts over
 * from its beginning at the first commit after a complete one. One that
 * fails (a full disk) loses nothing: the log keeps it all, and the next
 * commit asks again. */
static gpointer
checkpointer_thread (gpointer data)
{
  DlgServerStorageSqlite *self = data;

  for (;;)
    {
      int rc;

      g_mutex_lock (&self->checkpoint_lock);
      while (!self->checkpoint_wanted && !self->checkpoint_stop)
        g_cond_wait (&self->checkpoint_cond, &self->checkpoint_lock);
      if (self->checkpoint_stop)
        {
          g_mutex_unlock (&self->checkpoint_lock);
          break;
        }
      self->checkpoint_wanted = FALSE;
      g_mutex_unlock (&self->checkpoint_lock);

      rc = sqlite3_wal_checkpoint_v2 (self->checkpoint_db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
      if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        g_debug ("A checkpoint failed: %s", sqlite3_errmsg (self->checkpoint_db));
    }
  return NULL;
}

static gboolean
queue_op (DlgServerStorageSqlite *self,
          WriteOp                *op)
{
  g_mutex_lock (&self->lock);
  if (self->closed)
    {
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  g_async_queue_push (self->queue, op);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/* Runs @func in the writer and waits until its batch is committed. */
static gboolean
run_write_full (DlgServerStorageSqlite  *self,
                WriteFunc                func,
                gpointer                 data,
                gboolean                 bare,
                int                     *result,
                GError                 **error)
{
  WriteOp *op = write_op_new (func, data, NULL);
  gboolean ok;

  op->bare = bare;

  if (!queue_op (self, op))
    {
      write_op_free (op);
      return closed_error (error);
    }

  g_mutex_lock (&op->mutex);
  while (!op->done)
    g_cond_wait (&op->cond, &op->mutex);
  g_mutex_unlock (&op->mutex);

  ok = op->error == NULL;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&op->error));
  else if (result != NULL)
    *result = op->result;
  write_op_free (op);
  return ok;
}

static gboolean
run_write (DlgServerStorageSqlite  *self,
           WriteFunc                func,
           gpointer                 data,
           int                     *result,
           GError                 **error)
{
  return run_write_full (self, func, data, FALSE, result, error);
}

/* ------------------------------------------------------------------------ */
/* Opening and closing                                                      */
/* ------------------------------------------------------------------------ */

static gboolean
migrate (sqlite3  *db,
         GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (db, "PRAGMA user_version", error);
  int version;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return fail (db, sqlite3_errcode (db), error);
  version = sqlite3_column_int (stmt, 0);

  if (version > (int) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_NEWER_SCHEMA,
                   "The database was written by a newer diligence-server (schema %d); "
                   "it was left untouched", version);
      return FALSE;
    }

  while (version < (int) G_N_ELEMENTS (migrations))
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (!exec (db, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!exec (db, migrations[version], error) ||
          !exec (db, bump, error) ||
          !exec (db, "COMMIT", error))
        {
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
      version++;
    }

  return TRUE;
}

/**
 * dlg_server_storage_sqlite_open:
 * @path: the database file, created if missing
 *
 * Returns: (transfer full): the storage, or %NULL with @error set
 */
DlgServerStorage *
dlg_server_storage_sqlite_open (const char  *path,
                                GError     **error)
{
  g_autoptr(DlgServerStorageSqlite) self = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_return_val_if_fail (path != NULL, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_OPEN,
                   "Cannot create the folder %s: %s", dir, g_strerror (saved_errno));
      return NULL;
    }

  self = g_object_new (DLG_TYPE_SERVER_STORAGE_SQLITE, NULL);
  self->path = g_strdup (path);

  self->writer_db = open_connection (path, FALSE, error);
  if (self->writer_db == NULL)
    return NULL;

  /* Read before anything writes: a file that is not a database fails here,
   * untouched. */
  if (!exec (self->writer_db, "SELECT count(*) FROM sqlite_master", error) ||
      /* Reports are tens of kilobytes: larger pages mean fewer overflow
       * pages, log frames and system calls per report. Only takes effect
       * on a new file, before it turns to WAL. */
      !exec (self->writer_db, "PRAGMA page_size = 16384", error) ||
      !exec (self->writer_db, "PRAGMA journal_mode = WAL", error) ||
      !exec (self->writer_db, "PRAGMA synchronous = FULL", error) ||
      !exec (self->writer_db, "PRAGMA foreign_keys = ON", error) ||
      /* Each write of a group runs in a savepoint, which keeps the pages
       * it changes in a statement journal. Past 64 KB (four pages) SQLite
       * moves that journal to a temporary file, created, written page by
       * page and deleted in every commit; in memory it is a copy. It is
       * never needed after a crash, so nothing is lost by keeping it in
       * memory. */
      !exec (self->writer_db, "PRAGMA temp_store = MEMORY", error) ||
      !migrate (self->writer_db, error) ||
      !pragma_int (self->writer_db, "PRAGMA page_size", &self->page_size, error))
    return NULL;

  /* The checkpointer's own connection; synchronous=FULL for it too, so
   * that the database file is synced before the log is reused. */
  self->checkpoint_db = open_connection (path, FALSE, error);
  if (self->checkpoint_db == NULL ||
      !exec (self->checkpoint_db, "PRAGMA synchronous = FULL", error))
    return NULL;
  sqlite3_wal_hook (self->writer_db, wal_hook_cb, self);
  /* Thread names longer than 15 bytes are silently not set. */
  self->checkpointer = g_thread_new ("dlg-db-ckpt", checkpointer_thread, self);

  /* The log's own descriptor, for the syncer. While this storage is open
   * the log is this same file: SQLite deletes it only when the last
   * connection to the database closes, and ours stay open. Where it cannot
   * be opened, COMMIT syncs by itself (synchronous=FULL), as slowly as
   * before. */
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);

    self->wal_fd = open (wal, O_RDONLY | O_CLOEXEC);
    if (self->wal_fd >= 0 && exec (self->writer_db, "PRAGMA synchronous = NORMAL", NULL))
      self->syncer = g_thread_new ("dlg-db-sync", syncer_thread, self);
  }

  self->writer_statements = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                                   statement_free);
  /* Thread names longer than 15 bytes are silently not set. */
  self->writer = g_thread_new ("dlg-db-writer", writer_thread, self);
  return DLG_SERVER_STORAGE (g_steal_pointer (&self));
}

static void
storage_close (DlgServerStorage *storage)
{
  DlgServerStorageSqlite *self = DLG_SERVER_STORAGE_SQLITE (storage);
  WriteOp *stop;
  Conn *conn;

  g_mutex_lock (&self->lock);
  if (self->closed)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  self->closed = TRUE;

  /* Everything queued before runs; nothing can be queued after. */
  stop = write_op_new (NULL, NULL, NULL);
  stop->stop = TRUE;
  g_async_queue_push (self->queue, stop);
  g_mutex_unlock (&self->lock);

  if (self->writer != NULL)
    g_thread_join (g_steal_pointer (&self->writer));
  /* Every committed group is queued for the syncer: the empty one ends
   * it once they are synced. */
  if (self->syncer != NULL)
    {
      g_async_queue_push (self->synced_queue, g_ptr_array_new ());
      g_thread_join (g_steal_pointer (&self->syncer));
    }
  /* The stop op has no task and nobody waits on it; the syncer may have
   * held it in the last group. */
  write_op_free (stop);

  if (self->checkpointer != NULL)
    {
      g_mutex_lock (&self->checkpoint_lock);
      self->checkpoint_stop = TRUE;
      g_cond_signal (&self->checkpoint_cond);
      g_mutex_unlock (&self->checkpoint_lock);
      g_thread_join (g_steal_pointer (&self->checkpointer));
    }
  /* The last connection to close checkpoints what is left. */
  g_clear_pointer (&self->checkpoint_db, sqlite3_close_v2);

  g_clear_pointer (&self->writer_statements, g_hash_table_unref);
  g_clear_pointer (&self->writer_db, sqlite3_close_v2);

  while ((conn = g_async_queue_try_pop (self->idle_readers)) != NULL)
    {
      g_ptr_array_remove (self->readers, conn);
      conn_free (conn);
    }
  if (self->readers->len > 0)
    g_warning ("%u database readers were still in use at close", self->readers->len);
}

static void
dlg_server_storage_sqlite_finalize (GObject *object)
{
  DlgServerStorageSqlite *self = (DlgServerStorageSqlite *) object;

  if (self->writer != NULL || self->writer_db != NULL || self->checkpoint_db != NULL)
    storage_close (DLG_SERVER_STORAGE (self));

  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_clear_pointer (&self->synced_queue, g_async_queue_unref);
  if (self->wal_fd >= 0)
    close (self->wal_fd);
  g_clear_pointer (&self->idle_readers, g_async_queue_unref);
  g_clear_pointer (&self->readers, g_ptr_array_unref);
  g_clear_pointer (&self->path, g_free);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->checkpoint_lock);
  g_cond_clear (&self->checkpoint_cond);
  g_mutex_clear (&self->stats_lock);

  G_OBJECT_CLASS (dlg_server_storage_sqlite_parent_class)->finalize (object);
}

static void
dlg_server_storage_sqlite_class_init (DlgServerStorageSqliteClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dlg_server_storage_sqlite_finalize;
}

static void
dlg_server_storage_sqlite_init (DlgServerStorageSqlite *self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->checkpoint_lock);
  g_cond_init (&self->checkpoint_cond);
  g_mutex_init (&self->stats_lock);
  self->queue = g_async_queue_new ();
  self->synced_queue = g_async_queue_new ();
  self->wal_fd = -1;
  self->idle_readers = g_async_queue_new ();
  self->readers = g_ptr_array_new ();
  self->max_batch = DEFAULT_MAX_BATCH;
}

/**
 * dlg_server_storage_sqlite_set_max_batch:
 * @max_batch: the most writes one commit holds; 1 commits each on its own
 *
 * Bounds group commit. One write per commit is much slower; it is there to
 * measure what grouping gains.
 */
void
dlg_server_storage_sqlite_set_max_batch (DlgServerStorageSqlite *self,
                                         guint                   max_batch)
{
  g_return_if_fail (DLG_IS_SERVER_STORAGE_SQLITE (self));
  g_atomic_int_set (&self->max_batch, MAX (max_batch, 1));
}

/**
 * dlg_server_storage_sqlite_get_commits:
 *
 * Returns: how many transactions the writer committed
 */
guint64
dlg_server_storage_sqlite_get_commits (DlgServerStorageSqlite *self)
{
  g_return_val_if_fail (DLG_IS_SERVER_STORAGE_SQLITE (self), 0);
  return (guint) g_atomic_int_get (&self->commits);
}

/**
 * dlg_server_storage_sqlite_get_syncs:
 *
 * Returns: how many times the log was synced to make commits durable: one
 *   sync may cover several commits (or, where the storage cannot sync
 *   behind the writer, each commit syncs by itself)
 */
guint64
dlg_server_storage_sqlite_get_syncs (DlgServerStorageSqlite *self)
{
  g_return_val_if_fail (DLG_IS_SERVER_STORAGE_SQLITE (self), 0);
  if (self->syncer == NULL)
    return dlg_server_storage_sqlite_get_commits (self);
  return (guint) g_atomic_int_get (&self->syncs);
}

/**
 * dlg_server_storage_sqlite_get_log_stats:
 * @log_bytes: (out) (optional): bytes the writer's commits appended to the
 *   log (the write-ahead log), page headers included
 * @commit_usec: (out) (optional): time spent in COMMIT, in µs: writing
 *   the log (and syncing it, where the storage cannot sync behind the
 *   writer)
 *
 * What the commits cost, for measuring: the bytes are what each commit
 * writes and syncs.
 */
void
dlg_server_storage_sqlite_get_log_stats (DlgServerStorageSqlite *self,
                                         guint64                *log_bytes,
                                         gint64                 *commit_usec)
{
  g_return_if_fail (DLG_IS_SERVER_STORAGE_SQLITE (self));
  g_mutex_lock (&self->stats_lock);
  if (log_bytes != NULL)
    *log_bytes = self->log_bytes;
  if (commit_usec != NULL)
    *commit_usec = self->commit_usec;
  g_mutex_unlock (&self->stats_lock);
}

static gboolean
limit_size_op (DlgServerStorageSqlite  *self,
               WriteOp                 *op,
               GError                 **error)
{
  gint64 max_bytes = *(gint64 *) op->data;
  g_autofree char *sql = NULL;

  /* max_page_count never goes below the current size; a large value lifts
   * the limit. */
  sql = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT,
                         max_bytes > 0 ? MAX (max_bytes / self->page_size, 1) : G_GINT64_CONSTANT (1073741823));
  return exec (self->writer_db, sql, error);
}

/**
 * dlg_server_storage_sqlite_limit_size:
 * @max_bytes: the most the database may grow to; 0 lifts the limit
 *
 * Makes writes behave as on a disk with that much room, for testing what
 * the server does when its disk fills up.
 */
void
dlg_server_storage_sqlite_limit_size (DlgServerStorageSqlite *self,
                                      gint64                  max_bytes)
{
  g_return_if_fail (DLG_IS_SERVER_STORAGE_SQLITE (self));
  run_write_full (self, limit_size_op, &max_bytes, TRUE, NULL, NULL);
}

static gboolean
read_only_op (DlgServerStorageSqlite  *self,
              WriteOp                 *op,
              GError                 **error)
{
  return exec (self->writer_db, GPOINTER_TO_INT (op->data) ? "PRAGMA query_only = ON" : "PRAGMA query_only = OFF",
               error);
}

/**
 * dlg_server_storage_sqlite_set_read_only:
 *
 * Makes every write fail as on a read-only medium, for testing what the
 * server answers when its storage fails.
 */
void
dlg_server_storage_sqlite_set_read_only (DlgServerStorageSqlite *self,
                                         gboolean                read_only)
{
  g_return_if_fail (DLG_IS_SERVER_STORAGE_SQLITE (self));
  run_write_full (self, read_only_op, GINT_TO_POINTER (read_only), TRUE, NULL, NULL);
}

/* ------------------------------------------------------------------------ */
/* Health                                                                   */
/* ------------------------------------------------------------------------ */

static gboolean
storage_check (DlgServerStorage  *storage,
               GError           **error)
{
  DlgServerStorageSqlite *self = DLG_SERVER_STORAGE_SQLITE (storage);
  Conn *conn = reader_acquire (self, error);
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  int rc;

  if (conn == NULL)
    return FALSE;
  if (g_atomic_int_get (&self->sync_failed))
    {
      reader_release (self, conn);
      return sync_failed_error (error);
    }

  stmt = cached (conn, "SELECT count(*) FROM organisations", error);
  if (stmt != NULL)
    {
      rc = sqlite3_step (stmt);
      ok = rc == SQLITE_ROW ? TRUE : fail (conn->db, rc, error);
    }
  reader_release (self, conn);
  return ok;
}

/* ------------------------------------------------------------------------ */
/* Organisations                                                            */
/* ------------------------------------------------------------------------ */

static gboolean
is_constraint (sqlite3 *db,
               int      rc)
{
  return (rc & 0xff) == SQLITE_CONSTRAINT;
}

static gboolean
add_organisation_op (DlgServerStorageSqlite  *self,
                     WriteOp                 *op,
                     GError                 **error)
{
  const DlgServerOrganisation *org = op->data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = prepare (self->writer_db, "INSERT INTO organisations (id, name, roles, created_at) VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, org->id);
  bind_text (stmt, 2, org->name ? org->name : org->id);
  sqlite3_bind_int (stmt, 3, org->roles);
  sqlite3_bind_int64 (stmt, 4, org->created_at ? org->created_at : g_get_real_time ());

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (is_constraint (self->writer_db, rc))
    {
      g_set_error (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_EXISTS,
                   "There is already an organisation %s", org->id);
      return FALSE;
    }
  return fail (self->writer_db, rc, error);
}

static gboolean
storage_add_organisation (DlgServerStorage             *storage,
                          const DlgServerOrganisation  *organisation,
                          GError                      **error)
{
  return run_write (DLG_SERVER_STORAGE_SQLITE (storage), add_organisation_op,
                    (gpointer) organisation, NULL, error);
}

static gboolean
update_organisation_op (DlgServerStorageSqlite  *self,
                        WriteOp                 *op,
                        GError                 **error)
{
  const DlgServerOrganisation *org = op->data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = prepare (self->writer_db, "UPDATE organisations SET name = coalesce (?, name), roles = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, org->name);
  sqlite3_bind_int (stmt, 2, org->roles);
  bind_text (stmt, 3, org->id);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return fail (self->writer_db, rc, error);
  if (sqlite3_changes (self->writer_db) == 0)
    return not_found (error, "organisation");
  return TRUE;
}

static gboolean
storage_update_organisation (DlgServerStorage             *storage,
                             const DlgServerOrganisation  *organisation,
                             GError                      **error)
{
  return run_write (DLG_SERVER_STORAGE_SQLITE (storage), update_organisation_op,
                    (gpointer) organisation, NULL, error);
}

static DlgServerOrganisation *
organisation_from_row (sqlite3_stmt *stmt)
{
  DlgServerOrganisation *org = g_new0 (DlgServerOrganisation, 1);

  org->id = column_text (stmt, 0);
  org->name = column_text (stmt, 1);
  org->roles = sqlite3_column_int (stmt, 2);
  org->created_at = sqlite3_column_int64 (stmt, 3);
  return org;
}

/* Runs a query on a pooled reader and collects its rows. */
typedef gpointer (*RowFunc) (sqlite3_stmt *stmt);
typedef void     (*BindFunc) (sqlite3_stmt *stmt, gconstpointer data);

static GPtrArray *
query (DlgServerStorageSqlite  *self,
       const char              *sql,
       BindFunc                 bind,
       gconstpointer            bind_data,
       RowFunc                  row,
       GDestroyNotify           row_free,
       GError                 **error)
{
  Conn *conn = reader_acquire (self, error);
  sqlite3_stmt *stmt;
  g_autoptr(GPtrArray) rows = NULL;
  int rc;

  if (conn == NULL)
    return NULL;

  stmt = cached (conn, sql, error);
  if (stmt == NULL)
    {
      reader_release (self, conn);
      return NULL;
    }
  if (bind != NULL)
    bind (stmt, bind_data);

  rows = g_ptr_array_new_with_free_func (row_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, row (stmt));

  if (rc != SQLITE_DONE)
    {
      fail (conn->db, rc, error);
      g_clear_pointer (&rows, g_ptr_array_unref);
    }

  reader_release (self, conn);
  return g_steal_pointer (&rows);
}

static gpointer
query_one (DlgServerStorageSqlite  *self,
           const char              *sql,
           BindFunc                 bind,
           gconstpointer            bind_data,
           RowFunc                  row,
           GDestroyNotify           row_free,
           const char              *what,
           GError                 **error)
{
  g_autoptr(GPtrArray) rows = query (self, sql, bind, bind_data, row, row_free, error);

  if (rows == NULL)
    return NULL;
  if (rows->len == 0)
    {
      not_found (error, what);
      return NULL;
    }
  return g_ptr_array_steal_index (rows, 0);
}

static void
bind_one_text (sqlite3_stmt  *stmt,
               gconstpointer  data)
{
  bind_text (stmt, 1, data);
}

static DlgServerOrganisation *
storage_get_organisation (DlgServerStorage  *storage,
                          const char        *id,
                          GError           **error)
{
  return query_one (DLG_SERVER_STORAGE_SQLITE (storage),
                    "SELECT id, name, roles, created_at FROM organisations WHERE id = ?",
                    bind_one_text, id, (RowFunc) organisation_from_row,
                    (GDestroyNotify) dlg_server_organisation_free, "organisation", error);
}

static GPtrArray *
storage_list_organisations (DlgServerStorage  *storage,
                            GError           **error)
{
  return query (DLG_SERVER_STORAGE_SQLITE (storage),
                "SELECT id, name, roles, created_at FROM organisations ORDER BY id",
                NULL, NULL, (RowFunc) organisation_from_row,
                (GDestroyNotify) dlg_server_organisation_free, error);
}

/* ------------------------------------------------------------------------ */
/* Tokens                                                                   */
/* ------------------------------------------------------------------------ */

static gboolean
organisation_exists (sqlite3     *db,
                     const char  *id,
                     GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (db, "SELECT 1 FROM organisations WHERE id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_NOT_FOUND,
                   "There is no organisation %s", id);
      return FALSE;
    }
  return fail (db, rc, error);
}

static gboolean
add_token_op (DlgServerStorageSqlite  *self,
              WriteOp                 *op,
              GError                 **error)
{
  const DlgServerToken *token = op->data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!organisation_exists (self->writer_db, token->organisation_id, error))
    return FALSE;

  stmt = prepare (self->writer_db, "INSERT INTO tokens (id, organisation_id, label, hash, created_at) "
                                   "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, token->id);
  bind_text (stmt, 2, token->organisation_id);
  bind_text (stmt, 3, token->label);
  sqlite3_bind_blob (stmt, 4, token->hash, sizeof token->hash, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, token->created_at ? token->created_at : g_get_real_time ());

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (is_constraint (self->writer_db, rc))
    {
      g_set_error (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_EXISTS,
                   "There is already a token %s", token->id);
      return FALSE;
    }
  return fail (self->writer_db, rc, error);
}

static gboolean
storage_add_token (DlgServerStorage      *storage,
                   const DlgServerToken  *token,
                   GError               **error)
{
  return run_write (DLG_SERVER_STORAGE_SQLITE (storage), add_token_op, (gpointer) token, NULL, error);
}

static DlgServerToken *
token_from_row (sqlite3_stmt *stmt)
{
  DlgServerToken *token = g_new0 (DlgServerToken, 1);
  const void *hash = sqlite3_column_blob (stmt, 3);

  token->id = column_text (stmt, 0);
  token->organisation_id = column_text (stmt, 1);
  token->label = column_text (stmt, 2);
  if (hash != NULL && sqlite3_column_bytes (stmt, 3) == sizeof token->hash)
    memcpy (token->hash, hash, sizeof token->hash);
  token->created_at = sqlite3_column_int64 (stmt, 4);
  token->revoked_at = sqlite3_column_int64 (stmt, 5);
  return token;
}

#define TOKEN_COLUMNS "id, organisation_id, label, hash, created_at, coalesce (revoked_at, 0)"

static DlgServerToken *
storage_get_token (DlgServerStorage  *storage,
                   const char        *id,
                   GError           **error)
{
  return query_one (DLG_SERVER_STORAGE_SQLITE (storage),
                    "SELECT " TOKEN_COLUMNS " FROM tokens WHERE id = ?",
                    bind_one_text, id, (RowFunc) token_from_row,
                    (GDestroyNotify) dlg_server_token_free, "token", error);
}

static GPtrArray *
storage_list_tokens (DlgServerStorage  *storage,
                     const char        *organisation_id,
                     GError           **error)
{
  return query (DLG_SERVER_STORAGE_SQLITE (storage),
                "SELECT " TOKEN_COLUMNS " FROM tokens WHERE ?1 IS NULL OR organisation_id = ?1 "
                "ORDER BY created_at, id",
                bind_one_text, organisation_id, (RowFunc) token_from_row,
                (GDestroyNotify) dlg_server_token_free, error);
}

/* Sets revoked_at on one row of @table, once; revoking twice is harmless. */
static gboolean
revoke_op (DlgServerStorageSqlite  *self,
           const char              *table,
           const char              *what,
           const char              *id,
           GError                 **error)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE %s SET revoked_at = coalesce (revoked_at, ?) WHERE id = ?", table);
  g_autoptr(sqlite3_stmt) stmt = prepare (self->writer_db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
  bind_text (stmt, 2, id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return fail (self->writer_db, rc, error);
  if (sqlite3_changes (self->writer_db) == 0)
    return not_found (error, what);
  return TRUE;
}

static gboolean
revoke_token_op (DlgServerStorageSqlite  *self,
                 WriteOp                 *op,
                 GError                 **error)
{
  return revoke_op (self, "tokens", "token", op->data, error);
}

static gboolean
storage_revoke_token (DlgServerStorage  *storage,
                      const char        *id,
                      GError           **error)
{
  return run_write (DLG_SERVER_STORAGE_SQLITE (storage), revoke_token_op, (gpointer) id, NULL, error);
}

/* ------------------------------------------------------------------------ */
/* Keys                                                                     */
/* ------------------------------------------------------------------------ */

static gboolean
add_key_op (DlgServerStorageSqlite  *self,
            WriteOp                 *op,
            GError                 **error)
{
  const DlgServerKey *key = op->data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!organisation_exists (self->writer_db, key->organisation_id, error))
    return FALSE;

  stmt = prepare (self->writer_db, "INSERT INTO keys (id, organisation_id, jwk, added_at) VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, key->id);
  bind_text (stmt, 2, key->organisation_id);
  bind_text (stmt, 3, key->jwk);
  sqlite3_bind_int64 (stmt, 4, key->added_at ? key->added_at : g_get_real_time ());

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (is_constraint (self->writer_db, rc))
    {
      /* A key belongs to one organisation, once. */
      g_set_error (error, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_EXISTS,
                   "The key %s is enrolled already", key->id);
      return FALSE;
    }
  return fail (self->writer_db, rc, error);
}

static gboolean
storage_add_key (DlgServerStorage    *storage,
                 const DlgServerKey  *key,
                 GError             **error)
{
  return run_write (DLG_SERVER_STORAGE_SQLITE (storage), add_key_op, (gpointer) key, NULL, error);
}

static DlgServerKey *
key_from_row (sqlite3_stmt *stmt)
{
  DlgServerKey *key = g_new0 (DlgServerKey, 1);

  key->id = column_text (stmt, 0);
  key->organisation_id = column_text (stmt, 1);
  key->jwk = column_text (stmt, 2);
  key->added_at = sqlite3_column_int64 (stmt, 3);
  key->revoked_at = sqlite3_column_int64 (stmt, 4);
  return key;
}

#define KEY_COLUMNS "id, organisation_id, jwk, added_at, coalesce (revoked_at, 0)"

static DlgServerKey *
storage_get_key (DlgServerStorage  *storage,
                 const char        *id,
                 GError           **error)
{
  return query_one (DLG_SERVER_STORAGE_SQLITE (storage),
                    "SELECT " KEY_COLUMNS " FROM keys WHERE id = ?",
                    bind_one_text, id, (RowFunc) key_from_row,
                    (GDestroyNotify) dlg_server_key_free, "key", error);
}

typedef struct
{
  const char *organisation_id;
  gboolean    include_revoked;
} KeyFilter;

static void
bind_key_filter (sqlite3_stmt  *stmt,
                 gconstpointer  data)
{
  const KeyFilter *filter = data;

  bind_text (stmt, 1, filter->organisation_id);
  sqlite3_bind_int (stmt, 2, filter->include_revoked);
}

static GPtrArray *
storage_list_keys (DlgServerStorage  *storage,
                   const char        *organisation_id,
                   gboolean           include_revoked,
                   GError           **error)
{
  KeyFilter filter = { organisation_id, include_revoked };

  return query (DLG_SERVER_STORAGE_SQLITE (storage),
                "SELECT " KEY_COLUMNS " FROM keys "
                "WHERE (?1 IS NULL OR organisation_id = ?1) AND (?2 OR revoked_at IS NULL) "
                "ORDER BY added_at, id",
                bind_key_filter, &filter, (RowFunc) key_from_row,
                (GDestroyNotify) dlg_server_key_free, error);
}

static gboolean
revoke_key_op (DlgServerStorageSqlite  *self,
               WriteOp                 *op,
               GError                 **error)
{
  return revoke_op (self, "keys", "key", op->data, error);
}

static gboolean
storage_revoke_key (DlgServerStorage  *storage,
                    const char        *id,
                    GError           **error)
{
  return run_write (DLG_SERVER_STORAGE_SQLITE (storage), revoke_key_op, (gpointer) id, NULL, error);
}

/* ------------------------------------------------------------------------ */
/* Documents                                                                */
/* ------------------------------------------------------------------------ */

#define DOCUMENT_COLUMNS "d.sequence, d.kind, d.id, d.sender_id, d.subject_id, d.sha256, d.size, d.received_at"

static DlgServerDocument *
document_from_row (sqlite3_stmt *stmt)
{
  DlgServerDocument *doc = g_new0 (DlgServerDocument, 1);

  doc->sequence = sqlite3_column_int64 (stmt, 0);
  doc->kind = sqlite3_column_int (stmt, 1);
  doc->id = column_text (stmt, 2);
  doc->sender_id = column_text (stmt, 3);
  doc->subject_id = column_text (stmt, 4);
  doc->sha256 = column_text (stmt, 5);
  doc->size = sqlite3_column_int64 (stmt, 6);
  doc->received_at = sqlite3_column_int64 (stmt, 7);
  return doc;
}

static gboolean
submit_op (DlgServerStorageSqlite  *self,
           WriteOp                 *op,
           GError                 **error)
{
  const DlgServerDocument *doc = op->data;
  sqlite3 *db = self->writer_db;
  Conn writer = { self->writer_db, self->writer_statements };
  sqlite3_stmt *stmt;
  g_autoptr(DlgServerDocument) stored = NULL;
  gsize size;
  gconstpointer data = g_bytes_get_data (doc->bytes, &size);
  int rc;

  /* The id is the key: decide against what is stored, in the same
   * transaction as the insert, so that two submissions of one id can never
   * both be created. */
  stmt = cached (&writer, "SELECT " DOCUMENT_COLUMNS " FROM documents d WHERE d.kind = ? AND d.id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, doc->kind);
  bind_text (stmt, 2, doc->id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      stored = document_from_row (stmt);
      sqlite3_reset (stmt);
      op->result = g_str_equal (stored->sha256, doc->sha256) && stored->size == size
                   ? DLG_SERVER_SUBMIT_DUPLICATE : DLG_SERVER_SUBMIT_CONFLICT;
      op->result_data = g_steal_pointer (&stored);
      op->result_free = (GDestroyNotify) dlg_server_document_free;
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    return fail (db, rc, error);

  stored = dlg_server_document_copy (doc);
  g_clear_pointer (&stored->bytes, g_bytes_unref);
  stored->size = size;
  stored->received_at = g_get_real_time ();

  stmt = cached (&writer, "INSERT INTO documents (kind, id, sender_id, subject_id, sha256, size, bytes, received_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, doc->kind);
  bind_text (stmt, 2, doc->id);
  bind_text (stmt, 3, doc->sender_id);
  bind_text (stmt, 4, doc->subject_id);
  bind_text (stmt, 5, doc->sha256);
  sqlite3_bind_int64 (stmt, 6, size);
  sqlite3_bind_blob64 (stmt, 7, data, size, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, stored->received_at);
  rc = sqlite3_step (stmt);
  /* The blob was bound without a copy: unbind before the op's data goes. */
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    return fail (db, rc, error);
  stored->sequence = sqlite3_last_insert_rowid (db);

  stmt = cached (&writer, "INSERT OR IGNORE INTO recipients (recipient_id, kind, sequence) VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; doc->recipients && doc->recipients[i]; i++)
    {
      sqlite3_reset (stmt);
      bind_text (stmt, 1, doc->recipients[i]);
      sqlite3_bind_int (stmt, 2, doc->kind);
      sqlite3_bind_int64 (stmt, 3, stored->sequence);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        return fail (db, rc, error);
    }

  op->result = DLG_SERVER_SUBMIT_CREATED;
  op->result_data = g_steal_pointer (&stored);
  op->result_free = (GDestroyNotify) dlg_server_document_free;
  return TRUE;
}

static void
storage_submit_async (DlgServerStorage         *storage,
                      const DlgServerDocument  *document,
                      GCancellable             *cancellable,
                      GAsyncReadyCallback       callback,
                      gpointer                  user_data)
{
  DlgServerStorageSqlite *self = DLG_SERVER_STORAGE_SQLITE (storage);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  WriteOp *op;

  g_task_set_source_tag (task, storage_submit_async);
  /* A submission is not abandoned half-way: once queued it is decided,
   * whether or not the caller still listens. */
  g_task_set_check_cancellable (task, FALSE);

  op = write_op_new (submit_op, dlg_server_document_copy (document), (GDestroyNotify) dlg_server_document_free);
  op->task = g_object_ref (task);
  if (!queue_op (self, op))
    {
      g_clear_object (&op->task);
      write_op_free (op);
      g_task_return_new_error (task, DLG_SERVER_STORAGE_ERROR, DLG_SERVER_STORAGE_ERROR_CLOSED,
                               "The storage is closed");
    }
}

static DlgServerSubmitResult
storage_submit_finish (DlgServerStorage   *storage,
                       GAsyncResult       *result,
                       DlgServerDocument **stored,
                       GError            **error)
{
  WriteOp *op;

  g_return_val_if_fail (g_task_is_valid (result, storage), DLG_SERVER_SUBMIT_CONFLICT);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return DLG_SERVER_SUBMIT_CONFLICT;

  op = g_task_get_task_data (G_TASK (result));
  if (stored != NULL)
    *stored = dlg_server_document_copy (op->result_data);
  return op->result;
}

typedef struct
{
  DlgServerDocumentKind  kind;
  const char            *recipient_id;
  gint64                 before;
  guint                  limit;
} DocumentFilter;

static void
bind_document_filter (sqlite3_stmt  *stmt,
                      gconstpointer  data)
{
  const DocumentFilter *filter = data;

  bind_text (stmt, 1, filter->recipient_id);
  sqlite3_bind_int (stmt, 2, filter->kind);
  sqlite3_bind_int64 (stmt, 3, filter->before > 0 ? filter->before : G_MAXINT64);
  sqlite3_bind_int (stmt, 4, filter->limit);
}

static GPtrArray *
storage_list_documents (DlgServerStorage       *storage,
                        DlgServerDocumentKind   kind,
                        const char             *recipient_id,
                        gint64                  before_sequence,
                        guint                   limit,
                        GError                **error)
{
  DocumentFilter filter = { kind, recipient_id, before_sequence, limit };

  return query (DLG_SERVER_STORAGE_SQLITE (storage),
                "SELECT " DOCUMENT_COLUMNS " FROM recipients r JOIN documents d ON d.sequence = r.sequence "
                "WHERE r.recipient_id = ?1 AND r.kind = ?2 AND r.sequence < ?3 "
                "ORDER BY r.sequence DESC LIMIT ?4",
                bind_document_filter, &filter, (RowFunc) document_from_row,
                (GDestroyNotify) dlg_server_document_free, error);
}

static DlgServerDocument *
storage_get_document (DlgServerStorage       *storage,
                      DlgServerDocumentKind   kind,
                      const char             *id,
                      const char             *reader_id,
                      GError                **error)
{
  DlgServerStorageSqlite *self = DLG_SERVER_STORAGE_SQLITE (storage);
  Conn *conn = reader_acquire (self, error);
  sqlite3 *db = conn ? conn->db : NULL;
  sqlite3_stmt *stmt;
  g_autoptr(DlgServerDocument) doc = NULL;
  g_autoptr(GPtrArray) recipients = NULL;
  int rc;

  if (conn == NULL)
    return NULL;

  /* Readable by its sender and its recipients; anyone else gets the same
   * answer as for a document that does not exist. */
  stmt = cached (conn, "SELECT " DOCUMENT_COLUMNS ", d.bytes FROM documents d "
                      "WHERE d.kind = ?1 AND d.id = ?2 AND (d.sender_id = ?3 OR EXISTS "
                      "(SELECT 1 FROM recipients r WHERE r.recipient_id = ?3 AND r.kind = ?1 "
                      " AND r.sequence = d.sequence))", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_int (stmt, 1, kind);
  bind_text (stmt, 2, id);
  bind_text (stmt, 3, reader_id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      not_found (error, dlg_server_document_kind_to_string (kind));
      goto out;
    }
  if (rc != SQLITE_ROW)
    {
      fail (db, rc, error);
      goto out;
    }
  doc = document_from_row (stmt);
  doc->bytes = column_bytes (stmt, 8);
  sqlite3_reset (stmt);

  stmt = cached (conn, "SELECT recipient_id FROM recipients WHERE kind = ? AND sequence = ? ORDER BY recipient_id", error);
  if (stmt == NULL)
    {
      g_clear_pointer (&doc, dlg_server_document_free);
      goto out;
    }
  sqlite3_bind_int (stmt, 1, kind);
  sqlite3_bind_int64 (stmt, 2, doc->sequence);
  recipients = g_ptr_array_new ();
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (recipients, column_text (stmt, 0));
  g_ptr_array_add (recipients, NULL);
  doc->recipients = (char **) g_ptr_array_free (g_steal_pointer (&recipients), FALSE);
  if (rc != SQLITE_DONE)
    {
      fail (db, rc, error);
      g_clear_pointer (&doc, dlg_server_document_free);
    }

out:
  reader_release (self, conn);
  return g_steal_pointer (&doc);
}

/* ------------------------------------------------------------------------ */
/* Questionnaires                                                           */
/* ------------------------------------------------------------------------ */

static gboolean
publish_questionnaire_op (DlgServerStorageSqlite  *self,
                          WriteOp                 *op,
                          GError                 **error)
{
  const DlgServerQuestionnaire *q = op->data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gsize size;
  gconstpointer data = g_bytes_get_data (q->bytes, &size);
  int rc;

  if (!organisation_exists (self->writer_db, q->publisher_id, error))
    return FALSE;

  /* The same bytes published twice are one questionnaire. */
  stmt = prepare (self->writer_db,
                  "INSERT INTO questionnaires (sha256, id, version, title, publisher_id, size, bytes, published_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, q->sha256);
  bind_text (stmt, 2, q->id);
  bind_text (stmt, 3, q->version);
  bind_text (stmt, 4, q->title);
  bind_text (stmt, 5, q->publisher_id);
  sqlite3_bind_int64 (stmt, 6, size);
  sqlite3_bind_blob64 (stmt, 7, data, size, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, q->published_at ? q->published_at : g_get_real_time ());

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return fail (self->writer_db, rc, error);
  op->result = sqlite3_changes (self->writer_db) > 0;
  return TRUE;
}

static gboolean
storage_publish_questionnaire (DlgServerStorage              *storage,
                               const DlgServerQuestionnaire  *questionnaire,
                               gboolean                      *created,
                               GError                       **error)
{
  int result = 0;

  if (!run_write (DLG_SERVER_STORAGE_SQLITE (storage), publish_questionnaire_op,
                  (gpointer) questionnaire, &result, error))
    return FALSE;
  if (created != NULL)
    *created = result;
  return TRUE;
}

static DlgServerQuestionnaire *
questionnaire_from_row (sqlite3_stmt *stmt)
{
  DlgServerQuestionnaire *q = g_new0 (DlgServerQuestionnaire, 1);

  q->sha256 = column_text (stmt, 0);
  q->id = column_text (stmt, 1);
  q->version = column_text (stmt, 2);
  q->title = column_text (stmt, 3);
  q->publisher_id = column_text (stmt, 4);
  q->size = sqlite3_column_int64 (stmt, 5);
  q->published_at = sqlite3_column_int64 (stmt, 6);
  if (sqlite3_column_count (stmt) > 7)
    q->bytes = column_bytes (stmt, 7);
  return q;
}

#define QUESTIONNAIRE_COLUMNS "sha256, id, version, title, publisher_id, size, published_at"

static GPtrArray *
storage_list_questionnaires (DlgServerStorage  *storage,
                             GError           **error)
{
  return query (DLG_SERVER_STORAGE_SQLITE (storage),
                "SELECT " QUESTIONNAIRE_COLUMNS " FROM questionnaires ORDER BY published_at DESC, sha256",
                NULL, NULL, (RowFunc) questionnaire_from_row,
                (GDestroyNotify) dlg_server_questionnaire_free, error);
}

static DlgServerQuestionnaire *
storage_get_questionnaire (DlgServerStorage  *storage,
                           const char        *sha256,
                           GError           **error)
{
  return query_one (DLG_SERVER_STORAGE_SQLITE (storage),
                    "SELECT " QUESTIONNAIRE_COLUMNS ", bytes FROM questionnaires WHERE sha256 = ?",
                    bind_one_text, sha256, (RowFunc) questionnaire_from_row,
                    (GDestroyNotify) dlg_server_questionnaire_free, "questionnaire", error);
}

static gint64
storage_get_directory_version (DlgServerStorage  *storage,
                               GError           **error)
{
  DlgServerStorageSqlite *self = DLG_SERVER_STORAGE_SQLITE (storage);
  Conn *conn = reader_acquire (self, error);
  sqlite3_stmt *stmt;
  gint64 version = -1;
  int rc;

  if (conn == NULL)
    return -1;

  stmt = cached (conn, "SELECT version FROM directory_version", error);
  if (stmt != NULL)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        version = sqlite3_column_int64 (stmt, 0);
      else
        fail (conn->db, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, error);
    }
  reader_release (self, conn);
  return version;
}

static void
storage_iface_init (DlgServerStorageInterface *iface)
{
  iface->check = storage_check;
  iface->close = storage_close;
  iface->add_organisation = storage_add_organisation;
  iface->update_organisation = storage_update_organisation;
  iface->get_organisation = storage_get_organisation;
  iface->list_organisations = storage_list_organisations;
  iface->add_token = storage_add_token;
  iface->get_token = storage_get_token;
  iface->list_tokens = storage_list_tokens;
  iface->revoke_token = storage_revoke_token;
  iface->add_key = storage_add_key;
  iface->get_key = storage_get_key;
  iface->list_keys = storage_list_keys;
  iface->revoke_key = storage_revoke_key;
  iface->submit_async = storage_submit_async;
  iface->submit_finish = storage_submit_finish;
  iface->list_documents = storage_list_documents;
  iface->get_document = storage_get_document;
  iface->publish_questionnaire = storage_publish_questionnaire;
  iface->list_questionnaires = storage_list_questionnaires;
  iface->get_questionnaire = storage_get_questionnaire;
  iface->get_directory_version = storage_get_directory_version;
}
