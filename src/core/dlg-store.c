/* dlg-store.c - everything the user enters, kept durably in SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One connection, one writer. The database runs in WAL mode with
 * synchronous=FULL, so a write that returned is on disk: a crash or a
 * kill -9 right after loses nothing acknowledged. Each change is one
 * IMMEDIATE transaction that is rolled back on any error, so a failed write
 * (disk full, read-only medium) leaves what was saved before intact.
 *
 * Damage found while the store is in use (SQLite reports a damaged page or
 * a file that is no longer a database, a read cut short, or the file was
 * deleted or replaced behind our back) makes the store "damaged": the
 * property is notified once, and from then on nothing more is written to
 * the file (PRAGMA query_only, no checkpoint on close) and every failure
 * is that same error, so that the app can stop, say so, and restore the
 * last good copy without the damaged file changing any further.
 *
 * Questionnaires are kept by their exact bytes, keyed by SHA-256: an
 * assessment always reopens with the version it was started on. Answers are
 * kept one row per question, in the answers file format, and loaded back
 * through the same validating reader as an answers file.
 */

#define G_LOG_DOMAIN "dlg-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dlg-action-plan.h"
#include "dlg-diagnostic.h"
#include "dlg-evaluation.h"
#include "dlg-json.h"
#include "dlg-store.h"
#include "dlg-store-private.h"

struct _DlgStore
{
  GObject     parent_instance;

  sqlite3    *db;
  char       *path;
  char       *evidence_dir;
  int         schema_version;
  GHashTable *questionnaires;   /* checksum → DlgQuestionnaire */
  gint64      backup_mark;      /* total changes when the last copy began */
  dev_t       file_dev;         /* which file @path was when opened */
  ino_t       file_ino;
  gboolean    opened;           /* dlg_store_open() has returned it */
  gboolean    file_gone;        /* the commit hook found @path replaced */
  GError     *damage;           /* the first damage met, or NULL */
};

G_DEFINE_FINAL_TYPE (DlgStore, dlg_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DAMAGED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (dlg-store-error-quark, dlg_store_error)

/* Each migration takes the schema from version i to i + 1. Never edit one
 * that has shipped: add the next. */
static const char * const migrations[] = {
  /* 0 → 1 */
  "CREATE TABLE profile ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  name TEXT NOT NULL,"
  "  enterprise_number TEXT,"
  "  country TEXT,"
  "  contact_name TEXT,"
  "  contact_email TEXT,"
  "  roles INTEGER NOT NULL);"
  "CREATE TABLE questionnaires ("
  "  checksum TEXT PRIMARY KEY,"
  "  id TEXT NOT NULL,"
  "  version TEXT NOT NULL,"
  "  bytes BLOB NOT NULL,"
  "  imported INTEGER NOT NULL,"
  "  added_at INTEGER NOT NULL);"
  "CREATE TABLE assessments ("
  "  id TEXT PRIMARY KEY,"
  "  questionnaire_checksum TEXT NOT NULL REFERENCES questionnaires (checksum),"
  "  title TEXT NOT NULL,"
  "  period TEXT,"
  "  recipient TEXT,"
  "  quick_scan INTEGER NOT NULL,"
  "  state INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  trashed_at INTEGER,"
  "  level INTEGER NOT NULL,"
  "  score REAL,"
  "  progress REAL NOT NULL);"
  "CREATE TABLE answers ("
  "  assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,"
  "  question_id TEXT NOT NULL,"
  "  answer TEXT NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  PRIMARY KEY (assessment_id, question_id));",

  /* 1 → 2: corrective action plans and periods. A plan is kept in its
   * documented file format (docs/action-plan-format.md), one row per
   * assessment, and read back through the same validating reader, as
   * answers are. An answer carried over from the previous period is "to
   * confirm" until the user confirms or changes it; saving an answer
   * rewrites its row, which clears the mark. */
  "ALTER TABLE answers ADD COLUMN to_confirm INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE assessments ADD COLUMN previous_id TEXT"
  "  REFERENCES assessments (id) ON DELETE SET NULL;"
  "CREATE TABLE action_plans ("
  "  assessment_id TEXT PRIMARY KEY REFERENCES assessments (id) ON DELETE CASCADE,"
  "  plan TEXT NOT NULL,"
  "  updated_at INTEGER NOT NULL);",

  /* 2 → 3: sync. Signed reports and reviews as their exact bytes, the
   * outbox that sends them in order, and the inbox of received ones (see
   * dlg-store-sync.c). */
  "CREATE TABLE signed_documents ("
  "  id TEXT PRIMARY KEY,"
  "  kind INTEGER NOT NULL,"
  "  direction INTEGER NOT NULL,"
  "  assessment_id TEXT,"
  "  subject_id TEXT,"
  "  sender_id TEXT,"
  "  key_id TEXT,"
  "  sha256 TEXT NOT NULL,"
  "  bytes BLOB NOT NULL,"
  "  created_at INTEGER NOT NULL);"
  "CREATE TABLE outbox ("
  "  document_id TEXT PRIMARY KEY REFERENCES signed_documents (id),"
  "  position INTEGER NOT NULL UNIQUE,"
  "  state INTEGER NOT NULL,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt INTEGER NOT NULL,"
  "  last_error TEXT,"
  "  problem TEXT,"
  "  receipt TEXT,"
  "  delivered_at INTEGER,"
  "  queued_at INTEGER NOT NULL);"
  "CREATE TABLE inbox ("
  "  document_id TEXT PRIMARY KEY REFERENCES signed_documents (id),"
  "  via INTEGER NOT NULL,"
  "  received_at INTEGER NOT NULL,"
  "  server_received_at TEXT,"
  "  read_at INTEGER);",
};

void
dlg_profile_free (DlgProfile *profile)
{
  if (profile == NULL)
    return;
  g_free (profile->name);
  g_free (profile->enterprise_number);
  g_free (profile->country);
  g_free (profile->contact_name);
  g_free (profile->contact_email);
  g_free (profile);
}

DlgProfile *
dlg_profile_copy (const DlgProfile *profile)
{
  DlgProfile *copy = g_new0 (DlgProfile, 1);

  copy->name = g_strdup (profile->name);
  copy->enterprise_number = g_strdup (profile->enterprise_number);
  copy->country = g_strdup (profile->country);
  copy->contact_name = g_strdup (profile->contact_name);
  copy->contact_email = g_strdup (profile->contact_email);
  copy->roles = profile->roles;
  return copy;
}

void
dlg_assessment_info_free (DlgAssessmentInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->title);
  g_free (info->period);
  g_free (info->recipient);
  g_free (info->questionnaire_id);
  g_free (info->questionnaire_version);
  g_free (info->questionnaire_checksum);
  g_free (info->previous_id);
  g_free (info);
}

/* Whether an SQLite result means the file itself is damaged or unreadable,
 * as opposed to a full disk or a read-only medium, which go away. */
static gboolean
is_damage (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return TRUE;
    case SQLITE_IOERR:
      /* A read cut short (the file was truncated) or refused by the disk;
       * a failed write (EFBIG, EIO on write) leaves the file as it was. */
      return rc == SQLITE_IOERR_SHORT_READ || rc == SQLITE_IOERR_READ;
    default:
      return FALSE;
    }
}

/* The first damage met while the store is in use: everything that may
 * write stops, and whoever watches the store is told once. Later failures
 * all report this same error (see fail()). */
static void
mark_damaged (DlgStore     *self,
              const GError *damage)
{
  if (self->damage != NULL)
    return;

  self->damage = g_error_copy (damage);
  g_message ("The data file %s is damaged: %s", self->path, damage->message);

  /* SQLite itself then refuses every write, also those that do not go
   * through begin(), and closing does not copy the write-ahead log into
   * the damaged file: it stays as it was found, beside its log, for a
   * restore to set aside. */
  sqlite3_exec (self->db, "PRAGMA query_only = ON", NULL, NULL, NULL);
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);

  /* Only a store in use has anyone to tell; one that fails to open is
   * reported by dlg_store_open(). */
  if (self->opened)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DAMAGED]);
}

/* Damage met after opening: the message says what Diligence does about
 * it, in words; SQLite's own words go in parentheses for support. */
static void
set_damage_error (DlgStore    *self,
                  int          rc,
                  GError     **error)
{
  g_autoptr(GError) damage = NULL;
  const char *detail = self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc);

  if (self->file_gone)
    damage = g_error_new (DLG_STORE_ERROR, DLG_STORE_ERROR_MISSING,
                          _("The data file was deleted or replaced by another program while Diligence "
                            "was using it. Nothing more is saved to it."));
  else
    damage = g_error_new (DLG_STORE_ERROR, DLG_STORE_ERROR_CORRUPT,
                          _("The data file was found damaged while Diligence was using it (%s). "
                            "Nothing more is saved to it, so that it is not damaged further."),
                          detail);
  mark_damaged (self, damage);
  g_propagate_error (error, g_error_copy (self->damage));
}

/* Turns an SQLite failure into an error a person can act on. */
static gboolean
fail (DlgStore    *self,
      int          rc,
      GError     **error)
{
  const char *detail = self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc);

  /* Once damaged, every failure (the writes query_only refuses included)
   * is the damage: one clear reason, not a list of consequences. */
  if (self->damage != NULL)
    {
      g_propagate_error (error, g_error_copy (self->damage));
      return FALSE;
    }
  if (self->opened && (self->file_gone || is_damage (rc)))
    {
      set_damage_error (self, rc, error);
      return FALSE;
    }

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      g_set_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_FULL,
                   _("The disk is full. Free some space; nothing saved before was lost."));
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
      g_set_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_READ_ONLY,
                   _("Your data cannot be written: the folder or disk is read-only (%s)."), detail);
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_CORRUPT,
                   _("The data file is damaged or is not a Diligence database (%s). It was left untouched."),
                   detail);
      break;
    case SQLITE_CANTOPEN:
      g_set_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_OPEN,
                   _("The data file cannot be opened (%s)."), detail);
      break;
    case SQLITE_IOERR:
      g_set_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_FAILED,
                   _("The disk reported an error while saving (%s)."), detail);
      break;
    default:
      g_set_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_FAILED,
                   _("The database reported an error: %s"), detail);
      break;
    }

  return FALSE;
}

static gboolean
exec (DlgStore    *self,
      const char  *sql,
      GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  return rc == SQLITE_OK ? TRUE : fail (self, rc, error);
}

static sqlite3_stmt *
prepare (DlgStore    *self,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      fail (self, rc, error);
      return NULL;
    }
  return stmt;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

static gboolean
begin (DlgStore  *self,
       GError   **error)
{
  /* Not even a lock is taken on a damaged file. */
  if (self->damage != NULL)
    {
      g_propagate_error (error, g_error_copy (self->damage));
      return FALSE;
    }
  return exec (self, "BEGIN IMMEDIATE", error);
}

static gboolean
commit (DlgStore  *self,
        GError   **error)
{
  if (exec (self, "COMMIT", error))
    return TRUE;
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

static gboolean
rollback (DlgStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
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

static gint64
now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
dlg_store_finalize (GObject *object)
{
  DlgStore *self = (DlgStore *)object;

  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->evidence_dir, g_free);
  g_clear_pointer (&self->questionnaires, g_hash_table_unref);
  g_clear_error (&self->damage);

  G_OBJECT_CLASS (dlg_store_parent_class)->finalize (object);
}

static void
dlg_store_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  DlgStore *self = DLG_STORE (object);

  switch (prop_id)
    {
    case PROP_DAMAGED:
      g_value_set_boolean (value, self->damage != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dlg_store_class_init (DlgStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dlg_store_finalize;
  object_class->get_property = dlg_store_get_property;

  /**
   * DlgStore:damaged:
   *
   * Whether the data file was found damaged, unreadable, deleted or
   * replaced while the store was in use. It becomes %TRUE once and stays
   * so: the store then writes nothing more, and every call that fails
   * reports dlg_store_get_damage(). It is notified from inside the call
   * that met the damage; a handler must not drop the last reference to
   * the store.
   */
  properties[PROP_DAMAGED] =
    g_param_spec_boolean ("damaged", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dlg_store_init (DlgStore *self)
{
  self->questionnaires = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

static gboolean
migrate (DlgStore  *self,
         GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "PRAGMA user_version", error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return fail (self, sqlite3_errcode (self->db), error);
  self->schema_version = sqlite3_column_int (stmt, 0);

  if (self->schema_version > (int) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_NEWER_SCHEMA,
                   _("Your data was written by a newer version of Diligence (format %d). "
                     "Update Diligence to open it; it was left untouched."),
                   self->schema_version);
      return FALSE;
    }

  while (self->schema_version < (int) G_N_ELEMENTS (migrations))
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", self->schema_version + 1);

      if (!begin (self, error) ||
          !exec (self, migrations[self->schema_version], error) ||
          !exec (self, bump, error))
        return rollback (self);
      if (!commit (self, error))
        return FALSE;
      self->schema_version++;
    }

  return TRUE;
}

/* Runs integrity_check or quick_check: both return the single row "ok"
 * for an intact database. */
static gboolean
run_check (DlgStore    *self,
           const char  *sql,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, sql, error);
  const char *result;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return fail (self, sqlite3_errcode (self->db), error);

  result = (const char *) sqlite3_column_text (stmt, 0);
  if (g_strcmp0 (result, "ok") != 0)
    {
      g_autoptr(GError) damage = g_error_new (DLG_STORE_ERROR, DLG_STORE_ERROR_CORRUPT,
                                              _("The data file is damaged: %s"), result);

      if (self->opened)
        mark_damaged (self, damage);
      g_propagate_error (error, g_steal_pointer (&damage));
      return FALSE;
    }
  return TRUE;
}

/* Refuses a file that is not a database, and a database of another
 * program: one with tables but no schema version of ours, which a
 * migration would otherwise fill with our tables. */
static gboolean
check_not_foreign (DlgStore  *self,
                   GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = prepare (self, "SELECT (SELECT count(*) FROM sqlite_master), (SELECT user_version FROM pragma_user_version)", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return fail (self, rc, error);

  if (sqlite3_column_int (stmt, 1) == 0 && sqlite3_column_int (stmt, 0) > 0)
    {
      g_autofree char *display = g_filename_display_name (self->path);

      g_set_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_CORRUPT,
                   _("The data file “%s” is not a Diligence database (it holds another program's tables). "
                     "It was left untouched."), display);
      return FALSE;
    }
  return TRUE;
}

/* A crash while a file was being attached leaves its temporary copy in
 * the evidence folder. The attachment was never recorded, so the copy is
 * garbage; the app is the store's only writer, so none is in progress. */
static void
remove_incoming_leftovers (DlgStore *self)
{
  g_autoptr(GDir) dir = g_dir_open (self->evidence_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, ".incoming-"))
      {
        g_autofree char *path = g_build_filename (self->evidence_dir, name, NULL);

        g_unlink (path);
      }
}

/* Before each commit: is @path still the file we opened? A file deleted
 * or replaced behind our back (a sync client, a restore done by hand)
 * would take every later write to a file no one will open again. Refusing
 * the commit rolls it back; fail() then reports the file as gone. */
static int
commit_hook_cb (void *user_data)
{
  DlgStore *self = user_data;
  GStatBuf st;

  if (self->file_gone)
    return 1;
  if (g_stat (self->path, &st) != 0)
    self->file_gone = errno == ENOENT || errno == ENOTDIR;
  else
    self->file_gone = st.st_dev != self->file_dev || st.st_ino != self->file_ino;
  return self->file_gone;
}

/**
 * dlg_store_open:
 * @path: the database file; its folder is created, private to the user
 * @error: a #GError
 *
 * Opens the store, creating or upgrading it as needed. A file that is not
 * a Diligence database, or one from a newer version, is refused and left as
 * it is.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
DlgStore *
dlg_store_open (const char  *path,
                GError     **error)
{
  g_autoptr(DlgStore) self = g_object_new (DLG_TYPE_STORE, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  int rc;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, DLG_STORE_ERROR,
                   saved_errno == EROFS || saved_errno == EACCES ? DLG_STORE_ERROR_READ_ONLY : DLG_STORE_ERROR_OPEN,
                   _("Cannot create the folder %s: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }

  self->path = g_strdup (path);
  self->evidence_dir = g_build_filename (dir, "evidence", NULL);

  rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK)
    {
      fail (self, rc, error);
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, 5000);

  {
    GStatBuf st;

    /* SQLite has the file open (created if need be) by now. */
    if (g_stat (path, &st) == 0)
      {
        self->file_dev = st.st_dev;
        self->file_ino = st.st_ino;
        sqlite3_commit_hook (self->db, commit_hook_cb, self);
      }
  }

  /* Never map the database into memory: another program truncating the
   * file (a sync client, a restore from elsewhere) would make a read of a
   * mapped page kill us with SIGBUS instead of returning an error.
   * Debian's SQLite already defaults to 0; saying so keeps it so on a
   * build that does not. */
  if (!exec (self, "PRAGMA mmap_size = 0", error))
    return NULL;

  /* Read before anything writes: a file that is not a database must fail
   * here, before WAL mode or a migration could touch it. */
  if (!check_not_foreign (self, error))
    return NULL;

  /* A page damaged inside (a failing disk, a bad copy) would go unnoticed
   * until something read it, and then look like a bug. Every page is read
   * now, before anything writes, so the user is told at once. It costs
   * about 6 ms per MB (0.4 s for 200,000 answers in 60 MB, measured). */
  if (!run_check (self, "PRAGMA quick_check", error))
    return NULL;

  if (!exec (self, "PRAGMA journal_mode = WAL", error) ||
      !exec (self, "PRAGMA synchronous = FULL", error) ||
      !exec (self, "PRAGMA foreign_keys = ON", error) ||
      !migrate (self, error))
    return NULL;

  remove_incoming_leftovers (self);
  self->opened = TRUE;
  return g_steal_pointer (&self);
}

const char *
dlg_store_get_path (DlgStore *self)
{
  g_return_val_if_fail (DLG_IS_STORE (self), NULL);
  return self->path;
}

const char *
dlg_store_get_evidence_dir (DlgStore *self)
{
  g_return_val_if_fail (DLG_IS_STORE (self), NULL);
  return self->evidence_dir;
}

int
dlg_store_get_schema_version (DlgStore *self)
{
  g_return_val_if_fail (DLG_IS_STORE (self), 0);
  return self->schema_version;
}

/**
 * dlg_store_check_integrity:
 *
 * Runs SQLite's integrity check.
 *
 * Returns: %TRUE if the database is intact
 */
gboolean
dlg_store_check_integrity (DlgStore  *self,
                           GError   **error)
{
  g_return_val_if_fail (DLG_IS_STORE (self), FALSE);

  return run_check (self, "PRAGMA integrity_check", error);
}

/**
 * dlg_store_limit_size:
 * @max_bytes: the most the database may grow to, 0 for no more than now
 *
 * Makes the store behave as on a disk with that much room, for testing
 * what happens when the disk fills up. Lasts until the store is closed.
 */
void
dlg_store_limit_size (DlgStore *self,
                      gint64    max_bytes)
{
  g_autofree char *sql = NULL;

  g_return_if_fail (DLG_IS_STORE (self));

  /* max_page_count never goes below the current size. */
  sql = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, MAX (max_bytes / 4096, 1));
  sqlite3_exec (self->db, sql, NULL, NULL, NULL);
}

/**
 * dlg_store_set_read_only:
 *
 * Makes every write fail as on a read-only medium, for testing.
 */
void
dlg_store_set_read_only (DlgStore *self,
                         gboolean  read_only)
{
  g_return_if_fail (DLG_IS_STORE (self));

  /* A damaged store stays read-only (see mark_damaged()). */
  if (self->damage != NULL)
    return;
  sqlite3_exec (self->db, read_only ? "PRAGMA query_only = ON" : "PRAGMA query_only = OFF", NULL, NULL, NULL);
}

/**
 * dlg_store_is_damaged:
 *
 * Returns: whether damage was met since the store was opened (see
 *   #DlgStore:damaged)
 */
gboolean
dlg_store_is_damaged (DlgStore *self)
{
  g_return_val_if_fail (DLG_IS_STORE (self), FALSE);
  return self->damage != NULL;
}

/**
 * dlg_store_get_damage:
 *
 * Returns: (nullable): the damage met, %DLG_STORE_ERROR_CORRUPT or
 *   %DLG_STORE_ERROR_MISSING, or %NULL while the store is intact
 */
const GError *
dlg_store_get_damage (DlgStore *self)
{
  g_return_val_if_fail (DLG_IS_STORE (self), NULL);
  return self->damage;
}

/**
 * dlg_store_error_is_damage:
 * @error: (nullable): an error from the store
 *
 * Whether @error means the data file is damaged or gone, so that the way
 * out is restoring a last good copy or setting the file aside, rather
 * than freeing space or fixing permissions.
 */
gboolean
dlg_store_error_is_damage (const GError *error)
{
  return g_error_matches (error, DLG_STORE_ERROR, DLG_STORE_ERROR_CORRUPT) ||
         g_error_matches (error, DLG_STORE_ERROR, DLG_STORE_ERROR_MISSING);
}

/* ------------------------------------------------------------------------ */
/* Profile                                                                  */
/* ------------------------------------------------------------------------ */

/**
 * dlg_store_load_profile:
 *
 * Returns: (transfer full) (nullable): the profile, or %NULL with no error
 *   on the first run
 */
DlgProfile *
dlg_store_load_profile (DlgStore  *self,
                        GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  DlgProfile *profile;
  int rc;

  g_return_val_if_fail (DLG_IS_STORE (self), NULL);

  stmt = prepare (self, "SELECT name, enterprise_number, country, contact_name, contact_email, roles "
                        "FROM profile WHERE id = 1", error);
  if (stmt == NULL)
    return NULL;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      fail (self, rc, error);
      return NULL;
    }

  profile = g_new0 (DlgProfile, 1);
  profile->name = column_text (stmt, 0);
  profile->enterprise_number = column_text (stmt, 1);
  profile->country = column_text (stmt, 2);
  profile->contact_name = column_text (stmt, 3);
  profile->contact_email = column_text (stmt, 4);
  profile->roles = sqlite3_column_int (stmt, 5);
  return profile;
}

gboolean
dlg_store_save_profile (DlgStore          *self,
                        const DlgProfile  *profile,
                        GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (DLG_IS_STORE (self), FALSE);
  g_return_val_if_fail (profile != NULL && profile->name != NULL, FALSE);

  stmt = prepare (self, "INSERT OR REPLACE INTO profile "
                        "(id, name, enterprise_number, country, contact_name, contact_email, roles) "
                        "VALUES (1, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, profile->name);
  bind_text (stmt, 2, profile->enterprise_number);
  bind_text (stmt, 3, profile->country);
  bind_text (stmt, 4, profile->contact_name);
  bind_text (stmt, 5, profile->contact_email);
  sqlite3_bind_int (stmt, 6, profile->roles);

  rc = sqlite3_step (stmt);
  return rc == SQLITE_DONE ? TRUE : fail (self, rc, error);
}

/* ------------------------------------------------------------------------ */
/* Questionnaires                                                           */
/* ------------------------------------------------------------------------ */

static gboolean
insert_questionnaire (DlgStore          *self,
                      DlgQuestionnaire  *q,
                      gboolean           imported,
                      GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GBytes *bytes = dlg_questionnaire_get_bytes (q);
  gsize length;
  const void *data = g_bytes_get_data (bytes, &length);
  int rc;

  /* An import of a built-in questionnaire keeps it built-in. */
  stmt = prepare (self, "INSERT INTO questionnaires (checksum, id, version, bytes, imported, added_at) "
                        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (checksum) DO NOTHING", error);
  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, dlg_questionnaire_get_checksum (q));
  bind_text (stmt, 2, dlg_questionnaire_get_id (q));
  bind_text (stmt, 3, dlg_questionnaire_get_version (q));
  sqlite3_bind_blob64 (stmt, 4, data, length, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, imported);
  sqlite3_bind_int64 (stmt, 6, now ());

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return fail (self, rc, error);

  if (!g_hash_table_contains (self->questionnaires, dlg_questionnaire_get_checksum (q)))
    g_hash_table_insert (self->questionnaires, g_strdup (dlg_questionnaire_get_checksum (q)), g_object_ref (q));
  return TRUE;
}

/**
 * dlg_store_add_questionnaire:
 * @imported: whether the user imported it (rather than it being built in)
 *
 * Keeps the questionnaire's exact bytes. Adding it again does nothing.
 */
gboolean
dlg_store_add_questionnaire (DlgStore          *self,
                             DlgQuestionnaire  *questionnaire,
                             gboolean           imported,
                             GError           **error)
{
  g_return_val_if_fail (DLG_IS_STORE (self), FALSE);
  g_return_val_if_fail (DLG_IS_QUESTIONNAIRE (questionnaire), FALSE);

  return insert_questionnaire (self, questionnaire, imported, error);
}

static DlgQuestionnaire *
questionnaire_from_row (DlgStore      *self,
                        sqlite3_stmt  *stmt,
                        int            checksum_column,
                        int            bytes_column,
                        GError       **error)
{
  const char *checksum = (const char *) sqlite3_column_text (stmt, checksum_column);
  DlgQuestionnaire *q = g_hash_table_lookup (self->questionnaires, checksum);
  g_autoptr(GBytes) bytes = NULL;

  if (q != NULL)
    return g_object_ref (q);

  bytes = g_bytes_new (sqlite3_column_blob (stmt, bytes_column), sqlite3_column_bytes (stmt, bytes_column));
  q = dlg_questionnaire_new_from_bytes (bytes, NULL, error);
  if (q == NULL)
    return NULL;

  g_hash_table_insert (self->questionnaires, g_strdup (checksum), g_object_ref (q));
  return q;
}

/**
 * dlg_store_list_imported_questionnaires:
 *
 * Returns: (transfer full) (element-type DlgQuestionnaire): the imported
 *   questionnaires, newest first
 */
GPtrArray *
dlg_store_list_imported_questionnaires (DlgStore  *self,
                                        GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  g_return_val_if_fail (DLG_IS_STORE (self), NULL);

  stmt = prepare (self, "SELECT checksum, bytes FROM questionnaires WHERE imported = 1 "
                        "ORDER BY added_at DESC", error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DlgQuestionnaire *q = questionnaire_from_row (self, stmt, 0, 1, NULL);

      /* Imports were validated; a row that no longer loads is skipped
       * rather than hiding every other questionnaire. */
      if (q != NULL)
        g_ptr_array_add (list, q);
    }

  if (rc != SQLITE_DONE)
    {
      fail (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&list);
}

DlgQuestionnaire *
dlg_store_load_questionnaire (DlgStore    *self,
                              const char  *checksum,
                              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (DLG_IS_STORE (self), NULL);

  if (g_hash_table_contains (self->questionnaires, checksum))
    return g_object_ref (g_hash_table_lookup (self->questionnaires, checksum));

  stmt = prepare (self, "SELECT checksum, bytes FROM questionnaires WHERE checksum = ?", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, checksum);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_NOT_FOUND,
                   _("The questionnaire this assessment was started on is missing"));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      fail (self, rc, error);
      return NULL;
    }

  return questionnaire_from_row (self, stmt, 0, 1, error);
}

/* ------------------------------------------------------------------------ */
/* Assessments                                                              */
/* ------------------------------------------------------------------------ */

/**
 * dlg_store_create_assessment:
 * @recipient: (nullable): the buyer or contract the assessment is for
 *
 * Returns: (transfer full): the new assessment's id, or %NULL
 */
char *
dlg_store_create_assessment (DlgStore          *self,
                             DlgQuestionnaire  *questionnaire,
                             const char        *title,
                             const char        *period,
                             const char        *recipient,
                             gboolean           quick_scan,
                             GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(DlgAssessment) empty = NULL;
  g_autoptr(DlgEvaluation) ev = NULL;
  g_autofree char *id = g_uuid_string_random ();
  gint64 t = now ();
  int rc;

  g_return_val_if_fail (DLG_IS_STORE (self), NULL);
  g_return_val_if_fail (DLG_IS_QUESTIONNAIRE (questionnaire), NULL);
  g_return_val_if_fail (title != NULL, NULL);

  empty = dlg_assessment_new (questionnaire);
  ev = dlg_evaluate (empty, quick_scan);

  if (!begin (self, error))
    return NULL;

  if (!insert_questionnaire (self, questionnaire, FALSE, error))
    {
      rollback (self);
      return NULL;
    }

  stmt = prepare (self, "INSERT INTO assessments (id, questionnaire_checksum, title, period, recipient, "
                        "quick_scan, state, created_at, updated_at, level, score, progress) "
                        "VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, NULL, ?)", error);
  if (stmt == NULL)
    {
      rollback (self);
      return NULL;
    }

  bind_text (stmt, 1, id);
  bind_text (stmt, 2, dlg_questionnaire_get_checksum (questionnaire));
  bind_text (stmt, 3, title);
  bind_text (stmt, 4, period);
  bind_text (stmt, 5, recipient);
  sqlite3_bind_int (stmt, 6, quick_scan);
  sqlite3_bind_int64 (stmt, 7, t);
  sqlite3_bind_int64 (stmt, 8, t);
  sqlite3_bind_int (stmt, 9, ev->level);
  sqlite3_bind_double (stmt, 10, dlg_evaluation_get_progress (ev));

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      fail (self, rc, error);
      rollback (self);
      return NULL;
    }

  if (!commit (self, error))
    return NULL;

  return g_steal_pointer (&id);
}

#define INFO_COLUMNS \
  "a.id, a.title, a.period, a.recipient, q.id, q.version, a.questionnaire_checksum, " \
  "a.quick_scan, a.state, a.created_at, a.updated_at, a.level, a.score, a.progress, a.previous_id"

static DlgAssessmentInfo *
info_from_row (sqlite3_stmt *stmt)
{
  DlgAssessmentInfo *info = g_new0 (DlgAssessmentInfo, 1);

  info->id = column_text (stmt, 0);
  info->title = column_text (stmt, 1);
  info->period = column_text (stmt, 2);
  info->recipient = column_text (stmt, 3);
  info->questionnaire_id = column_text (stmt, 4);
  info->questionnaire_version = column_text (stmt, 5);
  info->questionnaire_checksum = column_text (stmt, 6);
  info->quick_scan = sqlite3_column_int (stmt, 7);
  info->state = sqlite3_column_int (stmt, 8);
  info->created_at = sqlite3_column_int64 (stmt, 9);
  info->updated_at = sqlite3_column_int64 (stmt, 10);
  info->level = CLAMP (sqlite3_column_int (stmt, 11), DLG_LEVEL_NONE, DLG_LEVEL_INCOMPLETE);
  info->has_score = sqlite3_column_type (stmt, 12) != SQLITE_NULL;
  info->score = sqlite3_column_double (stmt, 12);
  info->progress = sqlite3_column_double (stmt, 13);
  info->previous_id = column_text (stmt, 14);
  return info;
}

/**
 * dlg_store_list_assessments:
 *
 * Returns: (transfer full) (element-type DlgAssessmentInfo): the assessments
 *   not in the trash, most recently changed first
 */
GPtrArray *
dlg_store_list_assessments (DlgStore  *self,
                            GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_assessment_info_free);
  int rc;

  g_return_val_if_fail (DLG_IS_STORE (self), NULL);

  stmt = prepare (self, "SELECT " INFO_COLUMNS " FROM assessments a "
                        "JOIN questionnaires q ON q.checksum = a.questionnaire_checksum "
                        "WHERE a.trashed_at IS NULL ORDER BY a.updated_at DESC, a.rowid DESC", error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, info_from_row (stmt));

  if (rc != SQLITE_DONE)
    {
      fail (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&list);
}

DlgAssessmentInfo *
dlg_store_get_assessment_info (DlgStore    *self,
                               const char  *id,
                               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (DLG_IS_STORE (self), NULL);

  stmt = prepare (self, "SELECT " INFO_COLUMNS " FROM assessments a "
                        "JOIN questionnaires q ON q.checksum = a.questionnaire_checksum WHERE a.id = ?", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return info_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_NOT_FOUND, _("There is no such assessment"));
  else
    fail (self, rc, error);
  return NULL;
}

static char *
json_quote (const char *text)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), text ? text : "");

  return json_to_string (node, FALSE);
}

/**
 * dlg_store_load_assessment:
 *
 * Loads an assessment with the exact questionnaire it was started on.
 *
 * Returns: (transfer full): the assessment, or %NULL
 */
DlgAssessment *
dlg_store_load_assessment (DlgStore    *self,
                           const char  *id,
                           GError     **error)
{
  g_autoptr(DlgAssessmentInfo) info = NULL;
  g_autoptr(DlgQuestionnaire) q = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) json = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) diagnostics = dlg_diagnostics_new ();
  g_autofree char *qid = NULL, *version = NULL;
  DlgAssessment *assessment;
  gboolean first = TRUE;
  int rc;

  g_return_val_if_fail (DLG_IS_STORE (self), NULL);

  if (!(info = dlg_store_get_assessment_info (self, id, error)) ||
      !(q = dlg_store_load_questionnaire (self, info->questionnaire_checksum, error)))
    return NULL;

  stmt = prepare (self, "SELECT question_id, answer FROM answers WHERE assessment_id = ?", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, id);

  /* Rebuild an answers file and read it with the validating reader: stored
   * answers meet exactly the checks an imported file would. */
  qid = json_quote (dlg_questionnaire_get_id (q));
  version = json_quote (dlg_questionnaire_get_version (q));
  json = g_string_new (NULL);
  g_string_append_printf (json, "{\"format\":\"%s\",\"questionnaire\":{\"id\":%s,\"version\":%s},"
                                "\"answers\":{", DLG_ANSWERS_FORMAT, qid, version);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *question = json_quote ((const char *) sqlite3_column_text (stmt, 0));

      g_string_append_printf (json, "%s%s:%s", first ? "" : ",", question,
                              (const char *) sqlite3_column_text (stmt, 1));
      first = FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      fail (self, rc, error);
      return NULL;
    }
  g_string_append (json, "}}");

  bytes = g_bytes_new (json->str, json->len);
  assessment = dlg_assessment_new_from_answers (q, bytes, diagnostics, error);
  if (assessment == NULL && error != NULL && *error != NULL && diagnostics->len > 0)
    {
      g_autofree char *first_problem = dlg_diagnostic_format (g_ptr_array_index (diagnostics, 0), NULL);
      g_prefix_error (error, _("Stored answers could not be read (%s): "), first_problem);
    }
  return assessment;
}

static gboolean
write_answer (DlgStore       *self,
              const char     *assessment_id,
              DlgAssessment  *assessment,
              const char     *question_id,
              GError        **error)
{
  const DlgAnswer *answer = dlg_assessment_get_answer (assessment, question_id);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (answer == NULL)
    {
      stmt = prepare (self, "DELETE FROM answers WHERE assessment_id = ? AND question_id = ?", error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, assessment_id);
      bind_text (stmt, 2, question_id);
    }
  else
    {
      g_autoptr(JsonNode) node = dlg_answer_to_json (answer);
      g_autofree char *text = json_to_string (node, FALSE);

      stmt = prepare (self, "INSERT OR REPLACE INTO answers (assessment_id, question_id, answer, updated_at) "
                            "VALUES (?, ?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, assessment_id);
      bind_text (stmt, 2, question_id);
      bind_text (stmt, 3, text);
      sqlite3_bind_int64 (stmt, 4, now ());
    }

  rc = sqlite3_step (stmt);
  return rc == SQLITE_DONE ? TRUE : fail (self, rc, error);
}

static gboolean
update_summary (DlgStore       *self,
                const char     *assessment_id,
                DlgAssessment  *assessment,
                GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(DlgEvaluation) ev = NULL;
  gboolean quick_scan;
  int rc;

  stmt = prepare (self, "SELECT quick_scan FROM assessments WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, assessment_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_NOT_FOUND, _("There is no such assessment"));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return fail (self, rc, error);
  quick_scan = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (g_steal_pointer (&stmt));

  ev = dlg_evaluate (assessment, quick_scan);

  stmt = prepare (self, "UPDATE assessments SET updated_at = ?, level = ?, score = ?, progress = ? "
                        "WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now ());
  sqlite3_bind_int (stmt, 2, ev->level);
  if (ev->has_score)
    sqlite3_bind_double (stmt, 3, ev->score);
  else
    sqlite3_bind_null (stmt, 3);
  sqlite3_bind_double (stmt, 4, dlg_evaluation_get_progress (ev));
  bind_text (stmt, 5, assessment_id);

  rc = sqlite3_step (stmt);
  return rc == SQLITE_DONE ? TRUE : fail (self, rc, error);
}

/**
 * dlg_store_save_answers:
 * @question_ids: the questions whose answers changed, %NULL-terminated
 *
 * Writes those answers as they are in @assessment (deleting the ones that
 * are gone) and the cached level, score and progress, in one transaction.
 * Returns once the data is on disk.
 */
gboolean
dlg_store_save_answers (DlgStore            *self,
                        const char          *assessment_id,
                        DlgAssessment       *assessment,
                        const char * const  *question_ids,
                        GError             **error)
{
  g_return_val_if_fail (DLG_IS_STORE (self), FALSE);
  g_return_val_if_fail (DLG_IS_ASSESSMENT (assessment), FALSE);

  if (!begin (self, error))
    return FALSE;

  for (guint i = 0; question_ids && question_ids[i]; i++)
    if (!write_answer (self, assessment_id, assessment, question_ids[i], error))
      return rollback (self);

  if (!update_summary (self, assessment_id, assessment, error))
    return rollback (self);

  return commit (self, error);
}

gboolean
dlg_store_save_answer (DlgStore       *self,
                       const char     *assessment_id,
                       DlgAssessment  *assessment,
                       const char     *question_id,
                       GError        **error)
{
  const char *ids[] = { question_id, NULL };

  return dlg_store_save_answers (self, assessment_id, assessment, ids, error);
}

static gboolean
update_one (DlgStore    *self,
            const char  *sql,
            const char  *id,
            gint64       value,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, value);
  bind_text (stmt, 2, id);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return fail (self, rc, error);
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_NOT_FOUND, _("There is no such assessment"));
      return FALSE;
    }
  return TRUE;
}

gboolean
dlg_store_set_state (DlgStore            *self,
                     const char          *id,
                     DlgAssessmentState   state,
                     GError             **error)
{
  g_return_val_if_fail (DLG_IS_STORE (self), FALSE);
  return update_one (self, "UPDATE assessments SET state = ? WHERE id = ?", id, state, error);
}

/**
 * dlg_store_trash_assessment:
 *
 * Moves an assessment to the trash, from where
 * dlg_store_restore_assessment() brings it back until
 * dlg_store_purge_trash() deletes it.
 */
gboolean
dlg_store_trash_assessment (DlgStore    *self,
                            const char  *id,
                            GError     **error)
{
  g_return_val_if_fail (DLG_IS_STORE (self), FALSE);
  return update_one (self, "UPDATE assessments SET trashed_at = ? WHERE id = ?", id, now (), error);
}

gboolean
dlg_store_restore_assessment (DlgStore    *self,
                              const char  *id,
                              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (DLG_IS_STORE (self), FALSE);

  stmt = prepare (self, "UPDATE assessments SET trashed_at = NULL WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  return rc == SQLITE_DONE ? TRUE : fail (self, rc, error);
}

gboolean
dlg_store_purge_trash (DlgStore  *self,
                       GError   **error)
{
  g_return_val_if_fail (DLG_IS_STORE (self), FALSE);

  /* Answers go with their assessment (ON DELETE CASCADE). Evidence files
   * are content-addressed and may be shared, so they stay. */
  return exec (self, "DELETE FROM assessments WHERE trashed_at IS NOT NULL", error);
}

/* ------------------------------------------------------------------------ */
/* Evidence                                                                 */
/* ------------------------------------------------------------------------ */

GFile *
dlg_store_get_evidence_file (DlgStore   *self,
                             const char *sha256)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (DLG_IS_STORE (self), NULL);

  path = g_build_filename (self->evidence_dir, sha256, NULL);
  return g_file_new_for_path (path);
}

/* Copies @source into the evidence folder under its SHA-256, through a
 * temporary file that is synced and renamed: the stored file is complete
 * or absent, never half-written. */
static char *
copy_evidence (DlgStore  *self,
               GFile     *source,
               GError   **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *tmp_path = NULL;
  g_autofree char *final_path = NULL;
  g_autofree guint8 *buffer = g_malloc (64 * 1024);
  char *sha256;
  int fd;

  if (g_mkdir_with_parents (self->evidence_dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s: %s", self->evidence_dir, g_strerror (saved_errno));
      return NULL;
    }

  /* Only regular files: a device (/dev/zero) would fill the disk, a pipe
   * would block for ever. */
  info = g_file_query_info (source, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                            G_FILE_QUERY_INFO_NONE, NULL, error);
  if (info == NULL)
    return NULL;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("“%s” is not a regular file and cannot be attached"),
                   g_file_info_get_display_name (info));
      return NULL;
    }

  if (!(in = g_file_read (source, NULL, error)))
    return NULL;

  tmp_path = g_build_filename (self->evidence_dir, ".incoming-XXXXXX", NULL);
  fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s: %s", self->evidence_dir, g_strerror (saved_errno));
      return NULL;
    }

  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (in), buffer, 64 * 1024, NULL, error);
      gssize written = 0;

      if (n < 0)
        goto fail;
      if (n == 0)
        break;

      g_checksum_update (checksum, buffer, n);
      while (written < n)
        {
          gssize w = write (fd, buffer + written, n - written);

          if (w < 0 && errno == EINTR)
            continue;
          if (w < 0)
            {
              int saved_errno = errno;
              g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           _("Could not store the file: %s"), g_strerror (saved_errno));
              goto fail;
            }
          written += w;
        }
    }

  if (fsync (fd) != 0 || close (fd) != 0)
    {
      int saved_errno = errno;
      fd = -1;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not store the file: %s"), g_strerror (saved_errno));
      goto fail;
    }
  fd = -1;

  sha256 = g_strdup (g_checksum_get_string (checksum));
  final_path = g_build_filename (self->evidence_dir, sha256, NULL);
  if (g_rename (tmp_path, final_path) != 0)
    {
      int saved_errno = errno;
      g_free (sha256);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not store the file: %s"), g_strerror (saved_errno));
      goto fail;
    }

  return sha256;

fail:
  if (fd >= 0)
    close (fd);
  g_unlink (tmp_path);
  return NULL;
}

/**
 * dlg_store_add_evidence:
 * @source: the file to attach
 * @out_sha256: (out) (optional): the file's SHA-256
 *
 * Copies @source into the store, adds it to the question's answer and saves
 * the answer.
 */
gboolean
dlg_store_add_evidence (DlgStore       *self,
                        const char     *assessment_id,
                        DlgAssessment  *assessment,
                        const char     *question_id,
                        GFile          *source,
                        char          **out_sha256,
                        GError        **error)
{
  g_autofree char *sha256 = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (DLG_IS_STORE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (source), FALSE);

  /* The name is shown to people: a file name that is not UTF-8 is shown
   * as the file chooser shows it. It is checked before anything is
   * copied, so a refused name leaves no file behind. */
  basename = g_file_get_basename (source);
  name = basename ? g_filename_display_name (basename) : NULL;
  if (!dlg_evidence_name_check (name, error) ||
      !(sha256 = copy_evidence (self, source, error)))
    return FALSE;

  if (!dlg_assessment_add_evidence (assessment, question_id, name, sha256, error) ||
      !dlg_store_save_answer (self, assessment_id, assessment, question_id, error))
    return FALSE;

  if (out_sha256 != NULL)
    *out_sha256 = g_steal_pointer (&sha256);
  return TRUE;
}

gboolean
dlg_store_remove_evidence (DlgStore       *self,
                           const char     *assessment_id,
                           DlgAssessment  *assessment,
                           const char     *question_id,
                           const char     *sha256,
                           GError        **error)
{
  g_return_val_if_fail (DLG_IS_STORE (self), FALSE);

  return dlg_assessment_remove_evidence (assessment, question_id, sha256, error) &&
         dlg_store_save_answer (self, assessment_id, assessment, question_id, error);
}

/* ------------------------------------------------------------------------ */
/* Action plans and periods                                                 */
/* ------------------------------------------------------------------------ */

void
dlg_not_carried_free (DlgNotCarried *item)
{
  if (item == NULL)
    return;
  g_free (item->question_id);
  g_free (item->question_text);
  g_free (item->reason);
  g_free (item);
}

static void
section_summary_free (DlgSectionSummary *summary)
{
  g_free (summary->section_id);
  g_free (summary->title);
  g_free (summary);
}

void
dlg_period_summary_free (DlgPeriodSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->assessment_id);
  g_free (summary->title);
  g_free (summary->period);
  g_free (summary->recipient);
  g_free (summary->questionnaire_version);
  g_clear_pointer (&summary->sections, g_ptr_array_unref);
  g_free (summary);
}

/**
 * dlg_store_load_action_plan:
 *
 * Loads the assessment's action plan, through the same validating reader
 * as a plan file. An assessment that has none yet gets a new, empty plan.
 *
 * Returns: (transfer full): the plan, or %NULL
 */
DlgActionPlan *
dlg_store_load_action_plan (DlgStore    *self,
                            const char  *assessment_id,
                            GError     **error)
{
  g_autoptr(DlgAssessmentInfo) info = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  DlgActionPlan *plan;
  int rc;

  g_return_val_if_fail (DLG_IS_STORE (self), NULL);

  if (!(info = dlg_store_get_assessment_info (self, assessment_id, error)))
    return NULL;

  stmt = prepare (self, "SELECT plan FROM action_plans WHERE assessment_id = ?", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, assessment_id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return dlg_action_plan_new (info->questionnaire_id, info->questionnaire_version);
  if (rc != SQLITE_ROW)
    {
      fail (self, rc, error);
      return NULL;
    }

  plan = dlg_action_plan_new_from_data ((const char *) sqlite3_column_text (stmt, 0),
                                        sqlite3_column_bytes (stmt, 0), error);
  if (plan == NULL && error != NULL && *error != NULL)
    g_prefix_error (error, _("The stored action plan could not be read: "));
  return plan;
}

static gboolean
write_plan (DlgStore       *self,
            const char     *assessment_id,
            DlgActionPlan  *plan,
            GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *data = NULL;
  gsize length;
  int rc;

  data = dlg_action_plan_to_data (plan, &length);
  stmt = prepare (self, "INSERT OR REPLACE INTO action_plans (assessment_id, plan, updated_at) "
                        "VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, assessment_id);
  sqlite3_bind_text (stmt, 2, data, length, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now ());

  rc = sqlite3_step (stmt);
  return rc == SQLITE_DONE ? TRUE : fail (self, rc, error);
}

/**
 * dlg_store_save_action_plan:
 *
 * Writes the whole plan in one transaction; it is on disk when this
 * returns.
 */
gboolean
dlg_store_save_action_plan (DlgStore       *self,
                            const char     *assessment_id,
                            DlgActionPlan  *plan,
                            GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (DLG_IS_STORE (self), FALSE);
  g_return_val_if_fail (DLG_IS_ACTION_PLAN (plan), FALSE);

  if (!begin (self, error))
    return FALSE;

  stmt = prepare (self, "SELECT 1 FROM assessments WHERE id = ?", error);
  if (stmt == NULL)
    return rollback (self);
  bind_text (stmt, 1, assessment_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_NOT_FOUND, _("There is no such assessment"));
      return rollback (self);
    }
  if (rc != SQLITE_ROW)
    {
      fail (self, rc, error);
      return rollback (self);
    }

  if (!write_plan (self, assessment_id, plan, error))
    return rollback (self);

  return commit (self, error);
}

/**
 * dlg_store_add_action_evidence:
 * @source: the file to attach
 * @out_sha256: (out) (optional): the file's SHA-256
 *
 * Copies @source into the store, as evidence for answers is, adds it to
 * @action and saves the plan.
 */
gboolean
dlg_store_add_action_evidence (DlgStore       *self,
                               const char     *assessment_id,
                               DlgActionPlan  *plan,
                               DlgAction      *action,
                               GFile          *source,
                               char          **out_sha256,
                               GError        **error)
{
  g_autofree char *sha256 = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (DLG_IS_STORE (self), FALSE);
  g_return_val_if_fail (DLG_IS_ACTION (action) && dlg_action_get_plan (action) == plan, FALSE);
  g_return_val_if_fail (G_IS_FILE (source), FALSE);

  name = g_file_get_basename (source);
  if (name == NULL || !(sha256 = copy_evidence (self, source, error)))
    return FALSE;

  if (!dlg_action_add_evidence (action, name, sha256, error) ||
      !dlg_store_save_action_plan (self, assessment_id, plan, error))
    return FALSE;

  if (out_sha256 != NULL)
    *out_sha256 = g_steal_pointer (&sha256);
  return TRUE;
}

/**
 * dlg_store_list_unconfirmed:
 *
 * Returns: (transfer full) (element-type utf8 utf8): the set of question
 *   ids whose answers were carried over and are still to confirm
 */
GHashTable *
dlg_store_list_unconfirmed (DlgStore    *self,
                            const char  *assessment_id,
                            GError     **error)
{
  g_autoptr(GHashTable) set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (DLG_IS_STORE (self), NULL);

  stmt = prepare (self, "SELECT question_id FROM answers WHERE assessment_id = ? AND to_confirm = 1", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, assessment_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (set, column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      fail (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&set);
}

/**
 * dlg_store_confirm_answers:
 * @question_ids: %NULL-terminated
 *
 * Marks carried-over answers as confirmed, as they are.
 */
gboolean
dlg_store_confirm_answers (DlgStore            *self,
                           const char          *assessment_id,
                           const char * const  *question_ids,
                           GError             **error)
{
  g_return_val_if_fail (DLG_IS_STORE (self), FALSE);

  if (!begin (self, error))
    return FALSE;

  for (guint i = 0; question_ids && question_ids[i]; i++)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;
      int rc;

      stmt = prepare (self, "UPDATE answers SET to_confirm = 0 WHERE assessment_id = ? AND question_id = ?", error);
      if (stmt == NULL)
        return rollback (self);
      bind_text (stmt, 1, assessment_id);
      bind_text (stmt, 2, question_ids[i]);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        {
          fail (self, rc, error);
          return rollback (self);
        }
    }

  return commit (self, error);
}

static void
not_carried (GPtrArray        *list,
             DlgQuestionnaire *q,
             const DlgQuestion *question,
             const char       *reason)
{
  DlgNotCarried *item = g_new0 (DlgNotCarried, 1);

  item->question_id = g_strdup (question->id);
  item->question_text = g_strdup (dlg_text_get (question->text, dlg_language_pick (dlg_questionnaire_get_languages (q))));
  item->reason = g_strdup (reason);
  g_ptr_array_add (list, item);
}

/* Copies one answer into @next, by question id. Returns FALSE and says why
 * when the value cannot be carried; the comment and evidence still are. */
static gboolean
carry_answer (DlgAssessment    *next,
              const DlgAnswer  *answer,
              char            **reason)
{
  const char *qid = answer->question->id;
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  if (answer->has_value)
    {
      g_autoptr(JsonNode) node = dlg_answer_to_json (answer);
      g_autofree char *text = json_to_string (node, FALSE);
      g_autoptr(DlgJsonDoc) doc = dlg_json_doc_parse (text, strlen (text), NULL, NULL, &error);
      const DlgJsonValue *value = doc ? dlg_json_get (dlg_json_doc_get_root (doc), "value") : NULL;

      if (value == NULL || !dlg_assessment_set_value (next, qid, value, &error))
        {
          *reason = g_strdup_printf (_("The answer does not fit the new version of the question: %s"),
                                     error ? error->message : "");
          ok = FALSE;
        }
    }

  if (answer->comment != NULL)
    dlg_assessment_set_comment (next, qid, answer->comment, NULL);
  for (guint i = 0; answer->evidence && i < answer->evidence->len; i++)
    {
      DlgEvidenceRef *ref = g_ptr_array_index (answer->evidence, i);

      dlg_assessment_add_evidence (next, qid, ref->name, ref->sha256, NULL);
    }

  return ok;
}

/**
 * dlg_store_start_next_period:
 * @previous_id: the assessment of the period that ends
 * @questionnaire: (nullable): a newer version of its questionnaire (same
 *   id), or %NULL to keep the version it was answered with
 * @title: the new assessment's title
 * @period: the new period, e.g. "2027"
 * @not_carried: (out) (optional) (transfer full) (element-type DlgNotCarried):
 *   the answers that could not be carried over, and why
 *
 * Creates the next period's assessment, for the same recipient and scope.
 * Every answer is carried over by question id and marked "to confirm"
 * until the user confirms or changes it; an answer whose question is gone,
 * or whose value the new version no longer accepts, is listed in
 * @not_carried instead. The open actions of the plan carry over into a new
 * draft plan. All of it is one transaction.
 *
 * Returns: (transfer full): the new assessment's id, or %NULL
 */
char *
dlg_store_start_next_period (DlgStore          *self,
                             const char        *previous_id,
                             DlgQuestionnaire  *questionnaire,
                             const char        *title,
                             const char        *period,
                             GPtrArray        **not_carried_out,
                             GError           **error)
{
  g_autoptr(DlgAssessmentInfo) info = NULL;
  g_autoptr(DlgAssessment) previous = NULL;
  g_autoptr(DlgAssessment) next = NULL;
  g_autoptr(DlgActionPlan) previous_plan = NULL;
  g_autoptr(DlgActionPlan) next_plan = NULL;
  g_autoptr(DlgEvaluation) ev = NULL;
  g_autoptr(GPtrArray) skipped = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_not_carried_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *note = NULL;
  DlgQuestionnaire *old_q, *new_q;
  gint64 t = now ();
  int rc;

  g_return_val_if_fail (DLG_IS_STORE (self), NULL);
  g_return_val_if_fail (questionnaire == NULL || DLG_IS_QUESTIONNAIRE (questionnaire), NULL);
  g_return_val_if_fail (title != NULL, NULL);

  if (!(info = dlg_store_get_assessment_info (self, previous_id, error)) ||
      !(previous = dlg_store_load_assessment (self, previous_id, error)) ||
      !(previous_plan = dlg_store_load_action_plan (self, previous_id, error)))
    return NULL;

  old_q = dlg_assessment_get_questionnaire (previous);
  new_q = questionnaire ? questionnaire : old_q;
  g_return_val_if_fail (g_strcmp0 (dlg_questionnaire_get_id (old_q), dlg_questionnaire_get_id (new_q)) == 0, NULL);

  next = dlg_assessment_new (new_q);
  for (guint i = 0; i < dlg_questionnaire_get_n_questions (old_q); i++)
    {
      const DlgQuestion *question = dlg_questionnaire_get_question (old_q, i);
      const DlgAnswer *answer = dlg_assessment_get_answer (previous, question->id);
      g_autofree char *reason = NULL;

      if (answer == NULL)
        continue;

      if (dlg_questionnaire_lookup_question (new_q, question->id) == NULL)
        {
          reason = g_strdup_printf (_("The question is not in version %s of the questionnaire"),
                                    dlg_questionnaire_get_version (new_q));
          not_carried (skipped, old_q, question, reason);
        }
      else if (!carry_answer (next, answer, &reason))
        not_carried (skipped, old_q, question, reason);
    }

  /* TRANSLATORS: a progress note on each action carried into a new period */
  note = g_strdup_printf (_("Carried over from period %s"), info->period ? info->period : info->title);
  next_plan = dlg_action_plan_carry_over (previous_plan, dlg_questionnaire_get_id (new_q),
                                          dlg_questionnaire_get_version (new_q), note);
  ev = dlg_evaluate (next, info->quick_scan);

  if (!begin (self, error))
    return NULL;

  if (!insert_questionnaire (self, new_q, FALSE, error))
    goto fail;

  stmt = prepare (self, "INSERT INTO assessments (id, questionnaire_checksum, title, period, recipient, "
                        "quick_scan, state, created_at, updated_at, level, score, progress, previous_id) "
                        "VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, NULL, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  bind_text (stmt, 1, id);
  bind_text (stmt, 2, dlg_questionnaire_get_checksum (new_q));
  bind_text (stmt, 3, title);
  bind_text (stmt, 4, period);
  bind_text (stmt, 5, info->recipient);
  sqlite3_bind_int (stmt, 6, info->quick_scan);
  sqlite3_bind_int64 (stmt, 7, t);
  sqlite3_bind_int64 (stmt, 8, t);
  sqlite3_bind_int (stmt, 9, ev->level);
  sqlite3_bind_double (stmt, 10, dlg_evaluation_get_progress (ev));
  bind_text (stmt, 11, previous_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      fail (self, rc, error);
      goto fail;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  for (guint i = 0; i < dlg_questionnaire_get_n_questions (new_q); i++)
    {
      const DlgQuestion *question = dlg_questionnaire_get_question (new_q, i);

      if (dlg_assessment_get_answer (next, question->id) != NULL &&
          !write_answer (self, id, next, question->id, error))
        goto fail;
    }

  stmt = prepare (self, "UPDATE answers SET to_confirm = 1 WHERE assessment_id = ?", error);
  if (stmt == NULL)
    goto fail;
  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      fail (self, rc, error);
      goto fail;
    }

  if (!update_summary (self, id, next, error) ||
      !write_plan (self, id, next_plan, error) ||
      !commit (self, error))
    goto fail;

  if (not_carried_out != NULL)
    *not_carried_out = g_steal_pointer (&skipped);
  return g_steal_pointer (&id);

fail:
  rollback (self);
  return NULL;
}

static gint
compare_periods (gconstpointer a,
                 gconstpointer b)
{
  const char *ka = g_object_get_data (*(GObject **) a, "key");
  const char *kb = g_object_get_data (*(GObject **) b, "key");

  return strcmp (ka, kb);
}

/**
 * dlg_store_list_periods:
 * @questionnaire_id: the questionnaire, in any version
 * @quick_scan: the quick scans, or the full assessments
 * @language: (nullable): the language of section titles
 * @today: the date overdue actions are counted from
 *
 * Every period of the user's organisation (everything in this store is
 * the profile's) for one questionnaire: its overall and section results
 * and its actions, oldest period first. Periods are ordered by their name,
 * numbers compared as numbers ("2025" before "2026", "Q2" before "Q10"),
 * then by creation.
 *
 * Returns: (transfer full) (element-type DlgPeriodSummary): the periods
 */
GPtrArray *
dlg_store_list_periods (DlgStore     *self,
                        const char   *questionnaire_id,
                        gboolean      quick_scan,
                        const char   *language,
                        const GDate  *today,
                        GError      **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_period_summary_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (DLG_IS_STORE (self), NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  stmt = prepare (self, "SELECT a.id, a.period, a.created_at FROM assessments a "
                        "JOIN questionnaires q ON q.checksum = a.questionnaire_checksum "
                        "WHERE q.id = ? AND a.quick_scan = ? AND a.trashed_at IS NULL", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, questionnaire_id);
  sqlite3_bind_int (stmt, 2, quick_scan);

  /* A plain object carries the id and its sort key. */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GObject *entry = g_object_new (G_TYPE_OBJECT, NULL);
      const char *period = (const char *) sqlite3_column_text (stmt, 1);
      g_autofree char *collate = g_utf8_collate_key_for_filename (period ? period : "", -1);

      g_object_set_data_full (entry, "id", column_text (stmt, 0), g_free);
      g_object_set_data_full (entry, "key",
                              g_strdup_printf ("%s\x01%020" G_GINT64_FORMAT, collate, (gint64) sqlite3_column_int64 (stmt, 2)),
                              g_free);
      g_ptr_array_add (ids, entry);
    }
  if (rc != SQLITE_DONE)
    {
      fail (self, rc, error);
      return NULL;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  g_ptr_array_sort (ids, compare_periods);

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_object_get_data (g_ptr_array_index (ids, i), "id");
      g_autoptr(DlgAssessmentInfo) info = NULL;
      g_autoptr(DlgAssessment) assessment = NULL;
      g_autoptr(DlgActionPlan) plan = NULL;
      g_autoptr(DlgEvaluation) ev = NULL;
      DlgPeriodSummary *summary;

      if (!(info = dlg_store_get_assessment_info (self, id, error)) ||
          !(assessment = dlg_store_load_assessment (self, id, error)) ||
          !(plan = dlg_store_load_action_plan (self, id, error)))
        return NULL;

      ev = dlg_evaluate (assessment, info->quick_scan);
      summary = g_new0 (DlgPeriodSummary, 1);
      summary->assessment_id = g_strdup (id);
      summary->title = g_strdup (info->title);
      summary->period = g_strdup (info->period);
      summary->recipient = g_strdup (info->recipient);
      summary->questionnaire_version = g_strdup (info->questionnaire_version);
      summary->quick_scan = info->quick_scan;
      summary->complete = ev->complete;
      summary->level = ev->level;
      summary->has_score = ev->has_score;
      summary->score = ev->score;
      summary->sections = g_ptr_array_new_with_free_func ((GDestroyNotify) section_summary_free);
      for (guint s = 0; s < ev->n_sections; s++)
        {
          const DlgSectionResult *sr = &ev->sections[s];
          DlgSectionSummary *section = g_new0 (DlgSectionSummary, 1);

          section->section_id = g_strdup (sr->section->id);
          section->title = g_strdup (dlg_text_get (sr->section->title, language));
          section->visible = sr->visible;
          section->complete = sr->complete;
          section->level = sr->level;
          section->has_score = sr->has_score;
          section->score = sr->score;
          g_ptr_array_add (summary->sections, section);
        }
      dlg_action_plan_count (plan, today, &summary->n_open, &summary->n_overdue,
                             &summary->n_closed, &summary->n_proposed);
      g_ptr_array_add (list, summary);
    }

  return g_steal_pointer (&list);
}

/* ------------------------------------------------------------------------ */
/* For the other files of the store (dlg-store-private.h)                   */
/* ------------------------------------------------------------------------ */

sqlite3 *
dlg_store_get_db (DlgStore *self)
{
  g_return_val_if_fail (DLG_IS_STORE (self), NULL);
  return self->db;
}

gboolean
dlg_store_fail (DlgStore  *self,
                int        rc,
                GError   **error)
{
  return fail (self, rc, error);
}

gint64
dlg_store_get_backup_mark (DlgStore *self)
{
  g_return_val_if_fail (DLG_IS_STORE (self), 0);
  return self->backup_mark;
}

void
dlg_store_set_backup_mark (DlgStore *self,
                           gint64    mark)
{
  g_return_if_fail (DLG_IS_STORE (self));
  self->backup_mark = mark;
}

/* ------------------------------------------------------------------------ */
/* Starting again after damage                                              */
/* ------------------------------------------------------------------------ */

/**
 * dlg_store_set_aside:
 * @path: the store's database file
 * @out_path: (out) (optional): where the database file is now
 * @error: a #GError
 *
 * Moves a store that cannot be opened out of the way, so that a new, empty
 * one can be made at @path. Nothing is deleted: the database and its
 * write-ahead log and index keep their names with a ".damaged-DATE" suffix
 * in the same folder, where recovery tools (or support) can still read
 * them. The WAL goes with its database, since it may hold the most recent
 * transactions.
 *
 * Returns: %TRUE if @path is free for a new store
 */
gboolean
dlg_store_set_aside (const char  *path,
                     char       **out_path,
                     GError     **error)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *base = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);

  /* Never overwrite an earlier set-aside copy, even twice in one second. */
  for (guint n = 0; base == NULL; n++)
    {
      g_autofree char *candidate = n == 0 ? g_strdup_printf ("%s.damaged-%s", path, stamp)
                                          : g_strdup_printf ("%s.damaged-%s-%u", path, stamp, n);
      gboolean taken = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *name = g_strconcat (candidate, suffixes[i], NULL);
          taken |= g_file_test (name, G_FILE_TEST_EXISTS);
        }
      if (!taken)
        base = g_steal_pointer (&candidate);
    }

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (base, suffixes[i], NULL);

      if (!g_file_test (from, G_FILE_TEST_EXISTS))
        continue;
      if (g_rename (from, to) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, DLG_STORE_ERROR,
                       saved_errno == EROFS || saved_errno == EACCES || saved_errno == EPERM
                         ? DLG_STORE_ERROR_READ_ONLY : DLG_STORE_ERROR_FAILED,
                       _("“%s” could not be moved aside: %s"), from, g_strerror (saved_errno));
          return FALSE;
        }
    }

  /* Make the new names durable before a new store takes the old one. */
  fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }

  if (out_path != NULL)
    *out_path = g_steal_pointer (&base);
  return TRUE;
}
