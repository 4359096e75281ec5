/* test-store-backup.c - last good copies of the store, and restoring one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A copy is made only of an intact store, is itself intact, and only the
 * newest few are kept. A store damaged afterwards is replaced by its copy:
 * the damaged file is kept, what was saved before the copy is back, and
 * what came after is not.
 */

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "dlg-core.h"
#include "dlg-store-private.h"
#include "../test-util.h"
#include "../test-questionnaires.h"

typedef struct
{
  char             *dir;
  char             *path;
  char             *backup_dir;
  DlgQuestionnaire *q;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->q = load_questionnaire ("scoring.json");
  f->dir = g_dir_make_tmp ("dlg-store-backup-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "data", "diligence.sqlite", NULL);
  f->backup_dir = g_build_filename (f->dir, "data", "backups", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->q);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->backup_dir);
}

static DlgStore *
open_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  DlgStore *store = dlg_store_open (f->path, &error);

  g_assert_no_error (error);
  return store;
}

/* Creates an assessment with a1 answered @choice and a comment long
 * enough to fill pages. */
static char *
add_assessment (Fixture    *f,
                DlgStore   *store,
                const char *title,
                const char *choice,
                gsize       comment_size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgAssessment) a = dlg_assessment_new (f->q);
  g_autofree char *comment = g_strnfill (comment_size, 'c');
  char *id = dlg_store_create_assessment (store, f->q, title, "2026", NULL, FALSE, &error);

  g_assert_no_error (error);
  g_assert_true (dlg_assessment_set_choice (a, "a1", choice, NULL));
  g_assert_true (dlg_assessment_set_comment (a, "a1", comment, NULL));
  g_assert_true (dlg_assessment_set_text (a, "b3", comment, NULL));
  g_assert_true (dlg_store_save_answers (store, id, a, (const char * const[]) { "a1", "b3", NULL }, &error));
  g_assert_no_error (error);
  return id;
}

static guint
count_files (const char *path,
             const char *prefix)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir && (name = g_dir_read_name (dir)))
    n += g_str_has_prefix (name, prefix);
  return n;
}

/* A whole page in the middle of the file overwritten in place, as a
 * failing disk would do, while whoever has it open keeps it open. */
static void
damage_in_place (const char *path)
{
  g_autofree char *garbage = g_malloc (4096);
  GStatBuf st;
  int fd;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 3 * 4096);
  memset (garbage, 0xa5, 4096);
  fd = g_open (path, O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, garbage, 4096, (st.st_size / 4096 / 2) * 4096), ==, 4096);
  g_assert_cmpint (close (fd), ==, 0);
}

static char *
read_file (const char *path,
           gsize      *length)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, length, NULL));
  return contents;
}

/* Opens a copy as its own database, read-only: it must pass the integrity
 * check and hold @n_assessments. */
static void
assert_copy_intact (const char *path,
                    int         n_assessments)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *header = NULL;
  g_autofree char *wal = NULL;
  gsize length;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM assessments", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, n_assessments);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  /* In rollback mode (header bytes 18 and 19 are 1): readable without a
   * -wal or -shm file beside it, which reading it made none of. */
  header = read_file (path, &length);
  g_assert_cmpuint (length, >, 100);
  g_assert_cmpint (header[18], ==, 1);
  g_assert_cmpint (header[19], ==, 1);
  wal = g_strconcat (path, "-wal", NULL);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

/* ------------------------------------------------------------------------ */

static void
test_made (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgStore) store = open_store (f);
  g_autoptr(DlgStoreBackup) backup = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *id = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;

  /* None yet, and no folder for them either. */
  list = dlg_store_list_backups (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_assert_true (dlg_store_backup_is_due (store, DLG_STORE_BACKUP_INTERVAL));

  id = add_assessment (f, store, "Copied", "g", 100);
  g_assert_true (dlg_store_changed_since_backup (store));

  backup = dlg_store_backup (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (backup);

  /* In "backups" beside the database, named by its date. */
  dir = g_path_get_dirname (backup->path);
  g_assert_cmpstr (dir, ==, f->backup_dir);
  name = g_path_get_basename (backup->path);
  g_assert_true (g_str_has_prefix (name, "diligence-"));
  g_assert_true (g_str_has_suffix (name, ".sqlite"));
  now = g_date_time_new_now_utc ();
  g_assert_cmpint (g_date_time_difference (now, backup->made_at), >=, 0);
  g_assert_cmpint (g_date_time_difference (now, backup->made_at), <, 60 * G_TIME_SPAN_SECOND);

  list = dlg_store_list_backups (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((DlgStoreBackup *) g_ptr_array_index (list, 0))->path, ==, backup->path);
  g_assert_true (g_date_time_equal (((DlgStoreBackup *) g_ptr_array_index (list, 0))->made_at, backup->made_at));

  assert_copy_intact (backup->path, 1);
  /* Only the copy: nothing left of its making. */
  g_assert_cmpuint (count_files (f->backup_dir, ""), ==, 1);

  /* Not due again for a day, and nothing changed since. */
  g_assert_false (dlg_store_backup_is_due (store, DLG_STORE_BACKUP_INTERVAL));
  g_assert_true (dlg_store_backup_is_due (store, 0));
  g_assert_false (dlg_store_changed_since_backup (store));
  g_clear_pointer (&id, g_free);
  id = add_assessment (f, store, "After", "r", 100);
  g_assert_true (dlg_store_changed_since_backup (store));

  /* The store itself is untouched by being copied. */
  g_assert_true (dlg_store_check_integrity (store, &error));
  g_assert_no_error (error);
}

static void
test_rotated (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgStore) store = open_store (f);
  g_autoptr(GPtrArray) made = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_store_backup_free);
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *notes = g_build_filename (f->backup_dir, "notes.txt", NULL);
  g_autofree char *lookalike = g_build_filename (f->backup_dir, "diligence-2026.sqlite", NULL);

  g_assert_cmpint (g_mkdir_with_parents (f->backup_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (notes, "mine", -1, NULL));
  g_assert_true (g_file_set_contents (lookalike, "mine too", -1, NULL));

  for (guint i = 0; i < DLG_STORE_BACKUPS_KEPT + 2; i++)
    {
      g_autofree char *title = g_strdup_printf ("Assessment %u", i);
      g_autofree char *id = add_assessment (f, store, title, "g", 10);
      DlgStoreBackup *backup = dlg_store_backup (store, NULL, &error);

      g_assert_no_error (error);
      g_ptr_array_add (made, backup);
    }

  /* The newest are kept, newest first; each holds what it should. */
  list = dlg_store_list_backups (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, DLG_STORE_BACKUPS_KEPT);
  for (guint i = 0; i < DLG_STORE_BACKUPS_KEPT; i++)
    {
      DlgStoreBackup *listed = g_ptr_array_index (list, i);
      DlgStoreBackup *expected = g_ptr_array_index (made, made->len - 1 - i);

      g_assert_cmpstr (listed->path, ==, expected->path);
      assert_copy_intact (listed->path, made->len - i);
    }
  for (guint i = 0; i < made->len - DLG_STORE_BACKUPS_KEPT; i++)
    g_assert_false (g_file_test (((DlgStoreBackup *) g_ptr_array_index (made, i))->path, G_FILE_TEST_EXISTS));

  /* Files that are not copies of ours are left alone. */
  g_assert_true (g_file_test (notes, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (lookalike, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (f->backup_dir, ""), ==, DLG_STORE_BACKUPS_KEPT + 2);
}

static void
test_damaged_not_copied (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgStore) store = open_store (f);
  g_autoptr(DlgStoreBackup) good = NULL;
  g_autoptr(DlgStoreBackup) bad = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_length, after_length;

  for (guint i = 0; i < 20; i++)
    g_free (add_assessment (f, store, "Filling", "m", 2000));
  good = dlg_store_backup (store, NULL, &error);
  g_assert_no_error (error);
  before = read_file (good->path, &before_length);

  /* Written to the database file itself, then damaged while the store is
   * open, as a failing disk would do behind its back. */
  g_clear_object (&store);
  store = open_store (f);
  damage_in_place (f->path);

  bad = dlg_store_backup (store, NULL, &error);
  g_assert_null (bad);
  g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_CORRUPT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "copies made before are kept"));
  g_clear_error (&error);

  /* The good copy is still the only one, as it was, and no temporary
   * file was left. */
  list = dlg_store_list_backups (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  after = read_file (good->path, &after_length);
  g_assert_cmpmem (after, after_length, before, before_length);
  g_assert_cmpuint (count_files (f->backup_dir, ""), ==, 1);
}

static void
backup_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  DlgStoreBackup **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = dlg_store_backup_finish (DLG_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgStore) store = open_store (f);
  g_autoptr(DlgStoreBackup) backup = NULL;
  g_autofree char *first = add_assessment (f, store, "Before", "g", 5000);
  g_autofree char *second = NULL;

  dlg_store_backup_async (store, NULL, backup_done_cb, &backup);
  /* The store goes on saving while the copy is made on a connection of
   * its own. Whether this lands in the copy depends on timing, so the
   * store counts it as not copied. */
  second = add_assessment (f, store, "Meanwhile", "r", 5000);
  while (backup == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (g_file_test (backup->path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (dlg_store_changed_since_backup (store));
  g_assert_true (dlg_store_check_integrity (store, &error));
  g_assert_no_error (error);

  /* The copy's worker thread lets go of its task, and so of the store and
   * the questionnaire it holds, only after the result is back, a moment
   * later on a loaded machine (under AddressSanitizer, often); the fixture
   * checks that the questionnaire is freed. */
  {
    gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

    g_clear_object (&store);
    while (g_atomic_int_get (&G_OBJECT (f->q)->ref_count) > 1 && g_get_monotonic_time () < end)
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    g_assert_cmpuint (g_atomic_int_get (&G_OBJECT (f->q)->ref_count), ==, 1);
  }
}

static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgStore) store = open_store (f);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *id = add_assessment (f, store, "Cancelled", "g", 10);

  g_cancellable_cancel (cancellable);
  g_assert_null (dlg_store_backup (store, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count_files (f->backup_dir, ""), ==, 0);
  g_assert_true (dlg_store_changed_since_backup (store));
}

/* The backups folder cannot be made (a file has its name): the copy fails
 * with an error, and the store is as it was. */
static void
test_cannot_write (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgStore) store = open_store (f);
  g_autofree char *id = add_assessment (f, store, "Blocked", "g", 10);

  g_assert_true (g_file_set_contents (f->backup_dir, "not a folder", -1, NULL));
  g_assert_null (dlg_store_backup (store, NULL, &error));
  g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_true (dlg_store_changed_since_backup (store));
  g_assert_true (dlg_store_check_integrity (store, &error));
  g_assert_no_error (error);
}

/* The copy of a store of 50 assessments, as the app makes it once a day
 * and on quitting. The time is reported, not asserted. */
static void
test_fifty (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgStore) store = open_store (f);
  g_autoptr(DlgStoreBackup) backup = NULL;
  GStatBuf st;
  gint64 start;

  for (guint i = 0; i < 50; i++)
    g_free (add_assessment (f, store, "Fifty", i % 2 ? "g" : "r", 12 * 1024));

  start = g_get_monotonic_time ();
  backup = dlg_store_backup (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (backup->path, &st), ==, 0);
  g_test_message ("copy of 50 assessments (%" G_GINT64_FORMAT " KB): %.1f ms",
                  (gint64) st.st_size / 1024, (g_get_monotonic_time () - start) / 1000.0);
  assert_copy_intact (backup->path, 50);
}

/* ------------------------------------------------------------------------ */
/* Restoring                                                                */
/* ------------------------------------------------------------------------ */

static void
test_restore (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgStore) store = open_store (f);
  g_autoptr(DlgStoreBackup) backup = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(DlgAssessment) a = NULL;
  g_autoptr(DlgAssessmentInfo) info = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *later = NULL;
  g_autofree char *damaged = NULL;
  g_autofree char *damaged_bytes = NULL;
  g_autofree char *kept_bytes = NULL;
  g_autofree char *copy_before = NULL;
  g_autofree char *copy_after = NULL;
  gsize damaged_length, kept_length, copy_before_length, copy_after_length;
  DlgProfile profile = { .name = (char *) "Fabrikam", .roles = DLG_ROLE_SUPPLIER };

  g_assert_true (dlg_store_save_profile (store, &profile, &error));
  for (guint i = 0; i < 10; i++)
    g_free (add_assessment (f, store, "Filling", "m", 2000));
  kept = add_assessment (f, store, "Kept", "g", 100);
  backup = dlg_store_backup (store, NULL, &error);
  g_assert_no_error (error);
  copy_before = read_file (backup->path, &copy_before_length);

  /* After the copy: a new assessment, and a changed answer. */
  later = add_assessment (f, store, "Later", "r", 100);
  a = dlg_store_load_assessment (store, kept, &error);
  g_assert_no_error (error);
  g_assert_true (dlg_assessment_set_choice (a, "a1", "r", NULL));
  g_assert_true (dlg_store_save_answer (store, kept, a, "a1", &error));
  g_assert_no_error (error);
  g_clear_object (&a);
  g_clear_object (&store);

  damage_in_place (f->path);
  damaged_bytes = read_file (f->path, &damaged_length);
  store = dlg_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_CORRUPT);
  g_clear_error (&error);

  list = dlg_store_list_backups (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);

  store = dlg_store_restore_backup (f->path, g_ptr_array_index (list, 0), &damaged, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);

  /* The restored store is intact and as it was when copied. */
  g_assert_true (dlg_store_check_integrity (store, &error));
  g_assert_no_error (error);
  {
    g_autoptr(DlgProfile) restored = dlg_store_load_profile (store, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (restored->name, ==, "Fabrikam");
  }
  a = dlg_store_load_assessment (store, kept, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dlg_assessment_get_answer (a, "a1")->string, ==, "g");
  info = dlg_store_get_assessment_info (store, later, &error);
  g_assert_null (info);
  g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The damaged file is kept, byte for byte, where the caller is told. */
  g_assert_nonnull (damaged);
  g_assert_true (g_str_has_prefix (damaged, f->path));
  g_assert_nonnull (strstr (damaged, ".damaged-"));
  kept_bytes = read_file (damaged, &kept_length);
  g_assert_cmpmem (kept_bytes, kept_length, damaged_bytes, damaged_length);

  /* The copy stays for another time, unchanged, and nothing temporary is
   * left beside the store. */
  copy_after = read_file (backup->path, &copy_after_length);
  g_assert_cmpmem (copy_after, copy_after_length, copy_before, copy_before_length);
  {
    g_autofree char *data_dir = g_path_get_dirname (f->path);

    g_assert_cmpuint (count_files (data_dir, ".restoring-"), ==, 0);
  }

  /* It is a store like any other: it saves, and survives a reopen. */
  g_clear_object (&a);
  g_free (add_assessment (f, store, "After restore", "g", 10));
  g_clear_object (&store);
  store = open_store (f);
  g_assert_true (dlg_store_check_integrity (store, &error));
  g_assert_no_error (error);
}

/* A copy damaged too: nothing is moved, nothing changed. */
static void
test_restore_damaged_copy (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgStore) store = open_store (f);
  g_autoptr(DlgStoreBackup) backup = NULL;
  g_autoptr(DlgStore) restored = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *damaged = NULL;
  g_autofree char *data_dir = g_path_get_dirname (f->path);
  gsize before_length, after_length;

  for (guint i = 0; i < 20; i++)
    g_free (add_assessment (f, store, "Filling", "m", 2000));
  backup = dlg_store_backup (store, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  damage_in_place (backup->path);
  damage_in_place (f->path);
  before = read_file (f->path, &before_length);

  restored = dlg_store_restore_backup (f->path, backup, &damaged, &error);
  g_assert_null (restored);
  g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_CORRUPT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "nothing was changed"));
  g_assert_null (damaged);

  after = read_file (f->path, &after_length);
  g_assert_cmpmem (after, after_length, before, before_length);
  g_assert_cmpuint (count_files (data_dir, "diligence.sqlite.damaged-"), ==, 0);
  g_assert_cmpuint (count_files (data_dir, ".restoring-"), ==, 0);
}

/* A file of another program in the backups folder, with a copy's name,
 * is not restored. */
static void
test_restore_foreign_copy (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(DlgStore) restored = NULL;
  g_autofree char *foreign = g_build_filename (f->backup_dir, "diligence-20260101-120000-000000.sqlite", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (g_mkdir_with_parents (f->backup_dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (foreign, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE other (x)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (g_file_set_contents (f->path, "damaged beyond repair", -1, NULL));

  list = dlg_store_list_backups (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  restored = dlg_store_restore_backup (f->path, g_ptr_array_index (list, 0), NULL, &error);
  g_assert_null (restored);
  g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_CORRUPT);
  g_assert_true (g_file_test (f->path, G_FILE_TEST_EXISTS));
}

/* The store's file is gone altogether: the copy is put in its place, and
 * there is nothing to set aside. */
static void
test_restore_missing (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgStore) store = open_store (f);
  g_autoptr(DlgStoreBackup) backup = NULL;
  g_autofree char *id = add_assessment (f, store, "Only", "g", 10);
  g_autofree char *damaged = g_strdup ("not set");
  g_autoptr(DlgAssessmentInfo) info = NULL;

  backup = dlg_store_backup (store, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (g_unlink (f->path), ==, 0);

  g_clear_pointer (&damaged, g_free);
  store = dlg_store_restore_backup (f->path, backup, &damaged, &error);
  g_assert_no_error (error);
  g_assert_null (damaged);
  info = dlg_store_get_assessment_info (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->title, ==, "Only");
}

/* SQLite never maps the database: a file truncated behind its back would
 * make a read raise SIGBUS. */
static void
test_no_mmap (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(DlgStore) store = open_store (f);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (dlg_store_get_db (store), "PRAGMA mmap_size", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, 0);
  sqlite3_finalize (stmt);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/store-backup/made", test_made);
  ADD ("/store-backup/rotated", test_rotated);
  ADD ("/store-backup/damaged-not-copied", test_damaged_not_copied);
  ADD ("/store-backup/async", test_async);
  ADD ("/store-backup/cancelled", test_cancelled);
  ADD ("/store-backup/cannot-write", test_cannot_write);
  ADD ("/store-backup/fifty", test_fifty);
  ADD ("/store-backup/restore", test_restore);
  ADD ("/store-backup/restore-damaged-copy", test_restore_damaged_copy);
  ADD ("/store-backup/restore-foreign-copy", test_restore_foreign_copy);
  ADD ("/store-backup/restore-missing", test_restore_missing);
  ADD ("/store-backup/no-mmap", test_no_mmap);

#undef ADD

  return g_test_run ();
}
