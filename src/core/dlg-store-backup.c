/* dlg-store-backup.c - last good copies of the store, and restoring one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A copy is made with SQLite's online backup API from a connection of its
 * own, in one read transaction that first runs the integrity check: the
 * copy is of exactly the state that was found intact, and the app goes on
 * saving meanwhile (in WAL mode readers and the writer do not wait for
 * each other). A damaged store is never copied, so the copies already kept
 * stay the last good ones.
 *
 * Each copy is written to a temporary file in the backups folder, checked
 * again as written, synced, and renamed to its final name (which carries
 * its date), and the folder is synced: a crash leaves a complete copy or
 * none. The last DLG_STORE_BACKUPS_KEPT are kept.
 *
 * Only the database is copied, not the evidence folder beside it. Evidence
 * files are named by the SHA-256 of their contents, written once and never
 * removed (removing an attachment only drops its reference; emptying the
 * trash leaves the files, as they may be shared), so every file a copy
 * refers to is still in the evidence folder when the copy is restored.
 */

#define G_LOG_DOMAIN "dlg-store-backup"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dlg-store-backup.h"
#include "dlg-store-private.h"

/* Pages copied between two looks at the cancellable. */
#define PAGES_PER_STEP 1024

/* One copy at a time in this process: two would remove each other's
 * unfinished files, and the second would copy the same data again. */
static GMutex backup_lock;

void
dlg_store_backup_free (DlgStoreBackup *backup)
{
  if (backup == NULL)
    return;
  g_free (backup->path);
  g_clear_pointer (&backup->made_at, g_date_time_unref);
  g_free (backup);
}

DlgStoreBackup *
dlg_store_backup_copy (const DlgStoreBackup *backup)
{
  DlgStoreBackup *copy = g_new0 (DlgStoreBackup, 1);

  copy->path = g_strdup (backup->path);
  copy->made_at = g_date_time_ref (backup->made_at);
  return copy;
}

static DlgStoreBackup *
backup_new (const char *path,
            GDateTime  *made_at)
{
  DlgStoreBackup *backup = g_new0 (DlgStoreBackup, 1);

  backup->path = g_strdup (path);
  backup->made_at = g_date_time_ref (made_at);
  return backup;
}

static DlgStoreError
code_from_errno (int saved_errno)
{
  switch (saved_errno)
    {
    case EROFS:
    case EACCES:
    case EPERM:
      return DLG_STORE_ERROR_READ_ONLY;
    case ENOSPC:
#ifdef EDQUOT
    case EDQUOT:
#endif
    case EFBIG:
      return DLG_STORE_ERROR_FULL;
    default:
      return DLG_STORE_ERROR_FAILED;
    }
}

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *path)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, DLG_STORE_ERROR, code_from_errno (saved_errno),
               _("“%s” could not be written: %s"), display, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
set_sqlite_error (GError     **error,
                  sqlite3     *db,
                  int          rc)
{
  const char *detail = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);
  DlgStoreError code;

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      code = DLG_STORE_ERROR_FULL;
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
      code = DLG_STORE_ERROR_READ_ONLY;
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = DLG_STORE_ERROR_CORRUPT;
      break;
    case SQLITE_CANTOPEN:
      code = DLG_STORE_ERROR_OPEN;
      break;
    default:
      code = DLG_STORE_ERROR_FAILED;
      break;
    }

  g_set_error (error, DLG_STORE_ERROR, code, _("The database reported an error: %s"), detail);
  return FALSE;
}

static gboolean
exec (sqlite3     *db,
      const char  *sql,
      GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  return rc == SQLITE_OK ? TRUE : set_sqlite_error (error, db, rc);
}

/* Runs integrity_check or quick_check; on damage, @error says what SQLite
 * found. */
static gboolean
check (sqlite3     *db,
       const char  *sql,
       GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  gboolean ok;

  if (rc != SQLITE_OK)
    return set_sqlite_error (error, db, rc);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (error, db, rc);
      sqlite3_finalize (stmt);
      return FALSE;
    }

  ok = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") == 0;
  if (!ok)
    g_set_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_CORRUPT,
                 _("The data file is damaged: %s"), sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return ok;
}

static void
sync_dir (const char *dir)
{
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

static gboolean
sync_file (const char  *path,
           GError     **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0 || fsync (fd) != 0)
    {
      int saved_errno = errno;

      if (fd >= 0)
        close (fd);
      return set_errno_error (error, saved_errno, path);
    }
  close (fd);
  return TRUE;
}

/* "diligence.sqlite" → "diligence": the copies of it are
 * "diligence-YYYYMMDD-HHMMSS-UUUUUU.sqlite". */
static char *
backup_stem (const char *store_path)
{
  char *base = g_path_get_basename (store_path);
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    *dot = '\0';
  return base;
}

/**
 * dlg_store_get_backup_dir:
 * @store_path: the store's database file
 *
 * Returns: (transfer full): the folder of the store's copies, "backups"
 *   beside its database
 */
char *
dlg_store_get_backup_dir (const char *store_path)
{
  g_autofree char *dir = NULL;

  g_return_val_if_fail (store_path != NULL, NULL);

  dir = g_path_get_dirname (store_path);
  return g_build_filename (dir, "backups", NULL);
}

/* The time in a copy's name, or %NULL for a file that is not one. */
static GDateTime *
parse_backup_name (const char *stem,
                   const char *name)
{
  static const char pattern[] = "dddddddd-dddddd-dddddd.sqlite";
  gsize stem_length = strlen (stem);
  const char *rest;
  int year, month, day, hour, minute, second, usec;

  if (strncmp (name, stem, stem_length) != 0 || name[stem_length] != '-')
    return NULL;
  rest = name + stem_length + 1;
  if (strlen (rest) != strlen (pattern))
    return NULL;
  for (gsize i = 0; pattern[i] != '\0'; i++)
    if (pattern[i] == 'd' ? !g_ascii_isdigit (rest[i]) : rest[i] != pattern[i])
      return NULL;

  if (sscanf (rest, "%4d%2d%2d-%2d%2d%2d-%6d", &year, &month, &day, &hour, &minute, &second, &usec) != 7)
    return NULL;
  /* NULL for a date that does not exist, such as month 13. */
  return g_date_time_new_utc (year, month, day, hour, minute, second + usec / (double) G_USEC_PER_SEC);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const DlgStoreBackup *x = *(DlgStoreBackup * const *) a;
  const DlgStoreBackup *y = *(DlgStoreBackup * const *) b;
  int order = g_date_time_compare (y->made_at, x->made_at);

  return order != 0 ? order : g_strcmp0 (y->path, x->path);
}

/**
 * dlg_store_list_backups:
 * @store_path: the store's database file
 * @error: a #GError
 *
 * Lists the last good copies of the store, newest first. Nothing is
 * opened: what a copy holds is checked when it is restored.
 *
 * Returns: (transfer full) (element-type DlgStoreBackup): the copies,
 *   empty when there are none, or %NULL if the folder cannot be read
 */
GPtrArray *
dlg_store_list_backups (const char  *store_path,
                        GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_store_backup_free);
  g_autofree char *dir_path = NULL;
  g_autofree char *stem = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_return_val_if_fail (store_path != NULL, NULL);

  dir_path = dlg_store_get_backup_dir (store_path);
  stem = backup_stem (store_path);
  dir = g_dir_open (dir_path, 0, &local_error);
  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&list);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autoptr(GDateTime) made_at = parse_backup_name (stem, name);
      g_autofree char *path = NULL;

      if (made_at == NULL)
        continue;
      path = g_build_filename (dir_path, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        g_ptr_array_add (list, backup_new (path, made_at));
    }

  g_ptr_array_sort (list, compare_newest_first);
  return g_steal_pointer (&list);
}

/**
 * dlg_store_backup_is_due:
 * @max_age: how old the newest copy may be, e.g. %DLG_STORE_BACKUP_INTERVAL
 *
 * Returns: %TRUE if the store has no copy younger than @max_age
 */
gboolean
dlg_store_backup_is_due (DlgStore  *self,
                         GTimeSpan  max_age)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GDateTime) now = NULL;
  DlgStoreBackup *newest;
  GTimeSpan age;

  g_return_val_if_fail (DLG_IS_STORE (self), FALSE);

  /* A damaged store is not copied (see refuse_damaged()). */
  if (dlg_store_is_damaged (self))
    return FALSE;

  list = dlg_store_list_backups (dlg_store_get_path (self), NULL);
  if (list == NULL || list->len == 0)
    return TRUE;

  newest = g_ptr_array_index (list, 0);
  now = g_date_time_new_now_utc ();
  age = g_date_time_difference (now, newest->made_at);
  /* A copy from the future means the clock was changed since: its date
   * says nothing about how recent it is. */
  return age >= max_age || age < 0;
}

/**
 * dlg_store_changed_since_backup:
 *
 * Returns: %TRUE if this store was written to since it was opened, or
 *   since its last copy was begun
 */
gboolean
dlg_store_changed_since_backup (DlgStore *self)
{
  g_return_val_if_fail (DLG_IS_STORE (self), FALSE);

  if (dlg_store_is_damaged (self))
    return FALSE;
  return sqlite3_total_changes64 (dlg_store_get_db (self)) > dlg_store_get_backup_mark (self);
}

/* Removes what a copy interrupted by a crash left: the app is the only one
 * making copies, and it holds backup_lock. */
static void
remove_leftovers (const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, ".incoming-"))
      {
        g_autofree char *path = g_build_filename (dir_path, name, NULL);

        g_unlink (path);
      }
}

static void
unlink_database (const char *path)
{
  static const char * const suffixes[] = { "", "-journal", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (path, suffixes[i], NULL);

      g_unlink (name);
    }
}

/* Keeps the copy just made and the newest others, up to
 * DLG_STORE_BACKUPS_KEPT in all. The one just made is kept even if the
 * clock was set back and it looks oldest. */
static void
rotate (const char *store_path,
        const char *made)
{
  g_autoptr(GPtrArray) list = dlg_store_list_backups (store_path, NULL);
  guint kept = 1;

  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      DlgStoreBackup *backup = g_ptr_array_index (list, i);

      if (g_strcmp0 (backup->path, made) == 0)
        continue;
      if (kept < DLG_STORE_BACKUPS_KEPT)
        kept++;
      else if (g_unlink (backup->path) != 0)
        g_debug ("Could not remove the old copy %s: %s", backup->path, g_strerror (errno));
    }
}

/* Copies the store at @store_path, in whatever thread; see the top of the
 * file. */
static DlgStoreBackup *
make_backup (const char    *store_path,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&backup_lock);
  g_autofree char *dir = dlg_store_get_backup_dir (store_path);
  g_autofree char *stem = backup_stem (store_path);
  g_autofree char *tmp_path = NULL;
  g_autofree char *final_path = NULL;
  g_autoptr(GDateTime) made_at = NULL;
  g_autoptr(GError) damage = NULL;
  DlgStoreBackup *result = NULL;
  sqlite3 *src = NULL;
  sqlite3 *dst = NULL;
  sqlite3_backup *backup;
  int fd;
  int rc;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (dir);

      g_set_error (error, DLG_STORE_ERROR, code_from_errno (saved_errno),
                   _("No copy of your data could be made in “%s”: %s"), display, g_strerror (saved_errno));
      return NULL;
    }
  remove_leftovers (dir);

  /* Without SQLITE_OPEN_CREATE: a store that is gone is not recreated
   * empty here. The connection only reads. */
  rc = sqlite3_open_v2 (store_path, &src, SQLITE_OPEN_READWRITE, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, src, rc);
      goto out;
    }
  sqlite3_extended_result_codes (src, TRUE);
  sqlite3_busy_timeout (src, 5000);
  if (!exec (src, "PRAGMA query_only = ON", error) ||
      !exec (src, "PRAGMA mmap_size = 0", error) ||
      !exec (src, "BEGIN", error))
    goto out;

  if (!check (src, "PRAGMA integrity_check", &damage))
    {
      g_set_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_CORRUPT,
                   _("No copy of your data was made, because it is damaged (%s). "
                     "The copies made before are kept."), damage->message);
      goto out;
    }

  tmp_path = g_build_filename (dir, ".incoming-XXXXXX", NULL);
  fd = g_mkstemp_full (tmp_path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      set_errno_error (error, errno, dir);
      g_clear_pointer (&tmp_path, g_free);
      goto out;
    }
  close (fd);

  rc = sqlite3_open_v2 (tmp_path, &dst, SQLITE_OPEN_READWRITE, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, dst, rc);
      goto out;
    }
  sqlite3_extended_result_codes (dst, TRUE);
  /* The temporary file is thrown away unless it is complete, so it needs
   * no journal, and it is synced once at the end. */
  if (!exec (dst, "PRAGMA journal_mode = OFF", error) ||
      !exec (dst, "PRAGMA synchronous = OFF", error))
    goto out;

  backup = sqlite3_backup_init (dst, "main", src, "main");
  if (backup == NULL)
    {
      set_sqlite_error (error, dst, sqlite3_errcode (dst));
      goto out;
    }
  /* In steps, to notice a cancellation; the read transaction opened by
   * the check holds the same state for every step. */
  do
    rc = sqlite3_backup_step (backup, PAGES_PER_STEP);
  while (rc == SQLITE_OK && !g_cancellable_is_cancelled (cancellable));
  sqlite3_backup_finish (backup);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, dst, rc);
      goto out;
    }
  exec (src, "COMMIT", NULL);
  g_clear_pointer (&src, sqlite3_close);

  /* The copy takes the store's WAL mode with its pages. A copy in
   * rollback mode can be checked and read later without a -wal or -shm
   * file beside it, even in a read-only folder. Then it is read back as
   * written. */
  if (!exec (dst, "PRAGMA journal_mode = DELETE", error) ||
      !check (dst, "PRAGMA quick_check", error))
    goto out;
  rc = sqlite3_close (dst);
  dst = NULL;
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, NULL, rc);
      goto out;
    }
  if (!sync_file (tmp_path, error))
    goto out;

  /* Named by its time, to the microsecond; never over another copy. */
  for (;;)
    {
      g_autofree char *stamp = NULL;
      g_autofree char *name = NULL;

      g_clear_pointer (&made_at, g_date_time_unref);
      made_at = g_date_time_new_now_utc ();
      stamp = g_date_time_format (made_at, "%Y%m%d-%H%M%S-%f");
      name = g_strdup_printf ("%s-%s.sqlite", stem, stamp);
      g_free (final_path);
      final_path = g_build_filename (dir, name, NULL);
      if (!g_file_test (final_path, G_FILE_TEST_EXISTS))
        break;
      g_usleep (1);
    }

  if (g_rename (tmp_path, final_path) != 0)
    {
      set_errno_error (error, errno, final_path);
      goto out;
    }
  g_clear_pointer (&tmp_path, g_free);
  sync_dir (dir);

  rotate (store_path, final_path);
  result = backup_new (final_path, made_at);

out:
  if (dst != NULL)
    sqlite3_close (dst);
  if (src != NULL)
    sqlite3_close (src);
  if (tmp_path != NULL)
    unlink_database (tmp_path);
  return result;
}

/**
 * dlg_store_backup:
 * @cancellable: (nullable): a #GCancellable
 * @error: a #GError
 *
 * Makes a last good copy of the store, if SQLite's integrity check finds
 * it intact, and removes the oldest copies beyond
 * %DLG_STORE_BACKUPS_KEPT. A damaged store is not copied
 * (%DLG_STORE_ERROR_CORRUPT) and the copies made before are kept.
 *
 * This reads the whole database twice; see dlg_store_backup_async().
 *
 * Returns: (transfer full): the copy made, or %NULL with @error set
 */
/* A store found damaged while in use is never copied, not even if the
 * copy's own integrity check would pass: its file may since have been
 * replaced by another (see dlg_store_get_damage()), and a copy of that
 * would push the last good copy out of the folder. */
static gboolean
refuse_damaged (DlgStore  *self,
                GError   **error)
{
  const GError *damage = dlg_store_get_damage (self);

  if (damage == NULL)
    return TRUE;
  g_set_error_literal (error, DLG_STORE_ERROR, damage->code,
                       _("No copy of your data was made, because the data file was found damaged or "
                         "replaced while in use. The copies made before are kept."));
  return FALSE;
}

DlgStoreBackup *
dlg_store_backup (DlgStore      *self,
                  GCancellable  *cancellable,
                  GError       **error)
{
  gint64 mark;
  DlgStoreBackup *backup;

  g_return_val_if_fail (DLG_IS_STORE (self), NULL);

  if (!refuse_damaged (self, error))
    return NULL;

  mark = sqlite3_total_changes64 (dlg_store_get_db (self));
  backup = make_backup (dlg_store_get_path (self), cancellable, error);
  if (backup != NULL)
    dlg_store_set_backup_mark (self, mark);
  return backup;
}

typedef struct
{
  char   *path;
  gint64  mark;
} BackupData;

static void
backup_data_free (BackupData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
backup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  BackupData *data = task_data;
  GError *error = NULL;
  DlgStoreBackup *backup = make_backup (data->path, cancellable, &error);

  if (backup != NULL)
    g_task_return_pointer (task, backup, (GDestroyNotify) dlg_store_backup_free);
  else
    g_task_return_error (task, error);
}

/**
 * dlg_store_backup_async:
 *
 * Does what dlg_store_backup() does in a thread, on a connection of its
 * own: the store can be used meanwhile.
 */
void
dlg_store_backup_async (DlgStore            *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  BackupData *data;

  g_return_if_fail (DLG_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dlg_store_backup_async);

  if (!refuse_damaged (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* What is written from now on may miss the copy: it counts as not
   * copied yet. */
  data = g_new0 (BackupData, 1);
  data->path = g_strdup (dlg_store_get_path (self));
  data->mark = sqlite3_total_changes64 (dlg_store_get_db (self));
  g_task_set_task_data (task, data, (GDestroyNotify) backup_data_free);
  g_task_run_in_thread (task, backup_thread);
}

/**
 * dlg_store_backup_finish:
 *
 * Returns: (transfer full): the copy made, or %NULL with @error set
 */
DlgStoreBackup *
dlg_store_backup_finish (DlgStore      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  DlgStoreBackup *backup;

  g_return_val_if_fail (DLG_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dlg_store_backup_async, NULL);

  backup = g_task_propagate_pointer (G_TASK (result), error);
  if (backup != NULL)
    dlg_store_set_backup_mark (self, ((BackupData *) g_task_get_task_data (G_TASK (result)))->mark);
  return backup;
}

/* ------------------------------------------------------------------------ */
/* Restoring                                                                */
/* ------------------------------------------------------------------------ */

/* Whether nothing is at @path that SQLite would read: no file, or an empty
 * one with no write-ahead log holding its pages. */
static gboolean
is_missing_or_empty (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return errno == ENOENT;
  if (!S_ISREG (st.st_mode) || st.st_size > 0)
    return FALSE;
  return g_stat (wal, &st) != 0 || st.st_size == 0;
}

/* 1 if the copy holds a profile or an assessment, 0 if it holds nothing
 * the user entered (a copy made at the first start), -1 if it cannot be
 * read. */
static int
backup_holds_data (const DlgStoreBackup *backup)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int result = -1;

  if (sqlite3_open_v2 (backup->path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_exec (db, "PRAGMA mmap_size = 0", NULL, NULL, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, "SELECT EXISTS (SELECT 1 FROM profile) OR EXISTS (SELECT 1 FROM assessments)",
                          -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    result = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return result;
}

/**
 * dlg_store_check_not_lost:
 * @store_path: the store's database file, not opened yet
 * @error: a #GError
 *
 * SQLite opens a missing or empty file as a new, empty database, so a
 * store emptied or deleted by something else would silently start afresh.
 * Before opening, this looks for that: when nothing is at @store_path but
 * a last good copy holds a profile or an assessment, the data was lost
 * outside Diligence, and the user should be asked before a new store is
 * made (and the newest copy offered, see dlg_store_restore_backup()).
 * Nothing is changed.
 *
 * Returns: %FALSE with %DLG_STORE_ERROR_MISSING if the data once saved is
 *   gone; %TRUE if opening @store_path is right (it holds something, or
 *   there never was data to lose)
 */
gboolean
dlg_store_check_not_lost (const char  *store_path,
                          GError     **error)
{
  g_autoptr(GPtrArray) backups = NULL;

  g_return_val_if_fail (store_path != NULL, FALSE);

  if (!is_missing_or_empty (store_path))
    return TRUE;

  /* A folder that cannot be listed is left for dlg_store_open() to
   * report. The newest readable copy tells whether there was data. */
  backups = dlg_store_list_backups (store_path, NULL);
  for (guint i = 0; backups != NULL && i < backups->len; i++)
    {
      DlgStoreBackup *backup = g_ptr_array_index (backups, i);
      int holds = backup_holds_data (backup);
      g_autoptr(GDateTime) local = NULL;
      g_autofree char *date = NULL;
      g_autofree char *display = NULL;

      if (holds < 0)
        continue;
      if (holds == 0)
        return TRUE;

      local = g_date_time_to_local (backup->made_at);
      date = g_date_time_format (local, "%x %H:%M");
      display = g_filename_display_name (store_path);
      g_set_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_MISSING,
                   _("Your data file “%s” is missing or empty, although Diligence had saved data in it: "
                     "something outside Diligence deleted or emptied it. A copy of your data from %s is kept."),
                   display, date);
      return FALSE;
    }
  return TRUE;
}

/* Checks a copy before anything is moved: it must be a Diligence database
 * that passes the integrity check. */
static gboolean
check_backup (const DlgStoreBackup  *backup,
              GError               **error)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (backup->made_at);
  g_autofree char *date = g_date_time_format (local, "%x %H:%M");
  g_autoptr(GError) local_error = NULL;
  sqlite3 *db = NULL;
  int rc;
  gboolean ok = FALSE;

  rc = sqlite3_open_v2 (backup->path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_extended_result_codes (db, TRUE);
      ok = exec (db, "PRAGMA mmap_size = 0", &local_error) &&
           check (db, "PRAGMA integrity_check", &local_error);
    }
  else
    set_sqlite_error (&local_error, db, rc);

  if (ok)
    {
      sqlite3_stmt *stmt = NULL;

      /* A file of another program with our name would pass the check. */
      ok = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
           sqlite3_step (stmt) == SQLITE_ROW &&
           sqlite3_column_int (stmt, 0) > 0;
      sqlite3_finalize (stmt);
      if (!ok)
        g_set_error_literal (&local_error, DLG_STORE_ERROR, DLG_STORE_ERROR_CORRUPT,
                             _("It is not a Diligence database."));
    }
  sqlite3_close (db);

  if (!ok)
    g_set_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_CORRUPT,
                 _("The copy of %s cannot be used, so nothing was changed: %s"),
                 date, local_error->message);
  return ok;
}

/* Copies @from to a new temporary file in @dir, synced. */
static char *
copy_to_temp (const char  *from,
              const char  *dir,
              GError     **error)
{
  g_autofree char *tmp_path = g_build_filename (dir, ".restoring-XXXXXX", NULL);
  g_autofree guint8 *buffer = g_malloc (64 * 1024);
  int in, out;

  in = g_open (from, O_RDONLY | O_CLOEXEC, 0);
  if (in < 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (from);

      g_set_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_OPEN,
                   _("The copy “%s” cannot be read: %s"), display, g_strerror (saved_errno));
      return NULL;
    }
  out = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC, 0600);
  if (out < 0)
    {
      set_errno_error (error, errno, dir);
      close (in);
      return NULL;
    }

  for (;;)
    {
      gssize n = read (in, buffer, 64 * 1024);
      gssize written = 0;

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;
          g_autofree char *display = g_filename_display_name (from);

          g_set_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_FAILED,
                       _("The copy “%s” cannot be read: %s"), display, g_strerror (saved_errno));
          goto fail;
        }
      if (n == 0)
        break;
      while (written < n)
        {
          gssize w = write (out, buffer + written, n - written);

          if (w < 0 && errno == EINTR)
            continue;
          if (w < 0)
            {
              set_errno_error (error, errno, tmp_path);
              goto fail;
            }
          written += w;
        }
    }

  if (fsync (out) != 0)
    {
      set_errno_error (error, errno, tmp_path);
      goto fail;
    }
  close (in);
  if (close (out) != 0)
    {
      set_errno_error (error, errno, tmp_path);
      g_unlink (tmp_path);
      return NULL;
    }
  return g_steal_pointer (&tmp_path);

fail:
  close (in);
  close (out);
  g_unlink (tmp_path);
  return NULL;
}

/**
 * dlg_store_restore_backup:
 * @store_path: the store's database file, which could not be opened
 * @backup: the copy to put in its place
 * @out_damaged_path: (out) (optional) (nullable): where the store's file
 *   was set aside, or %NULL if there was none
 * @error: a #GError
 *
 * Puts a last good copy in the place of a store that cannot be opened.
 * The copy is checked first; a copy that is not intact changes nothing.
 * The store's files are then set aside as dlg_store_set_aside() does, never
 * deleted, and a copy of @backup (which stays) is renamed into place,
 * synced, opened and checked again.
 *
 * Everything written after @backup was made is not in the restored store;
 * it may still be read from the file set aside.
 *
 * Returns: (transfer full): the restored store, or %NULL with @error set
 */
DlgStore *
dlg_store_restore_backup (const char            *store_path,
                          const DlgStoreBackup  *backup,
                          char                 **out_damaged_path,
                          GError               **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *tmp_path = NULL;
  g_autofree char *damaged = NULL;
  g_autoptr(DlgStore) store = NULL;
  gboolean had_store;

  g_return_val_if_fail (store_path != NULL, NULL);
  g_return_val_if_fail (backup != NULL, NULL);

  dir = g_path_get_dirname (store_path);
  if (!check_backup (backup, error))
    return NULL;

  /* Copied in full before anything is moved: a full disk stops here with
   * nothing changed. */
  if (!(tmp_path = copy_to_temp (backup->path, dir, error)))
    return NULL;

  had_store = g_file_test (store_path, G_FILE_TEST_EXISTS);
  if (!dlg_store_set_aside (store_path, &damaged, error))
    {
      g_unlink (tmp_path);
      return NULL;
    }

  /* Between the set-aside and this rename a crash would leave no store at
   * @store_path, but both the damaged file and the copy are kept. */
  if (g_rename (tmp_path, store_path) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (store_path);

      g_unlink (tmp_path);
      g_set_error (error, DLG_STORE_ERROR, code_from_errno (saved_errno),
                   _("The copy could not be put in place as “%s”: %s"), display, g_strerror (saved_errno));
      return NULL;
    }
  sync_dir (dir);

  if (!(store = dlg_store_open (store_path, error)) ||
      !dlg_store_check_integrity (store, error))
    return NULL;

  if (out_damaged_path != NULL)
    *out_damaged_path = had_store ? g_steal_pointer (&damaged) : NULL;
  return g_steal_pointer (&store);
}
