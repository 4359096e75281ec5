/* test-store-damage.c - damage that appears while the store is in use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A page damaged, a file truncated, deleted or replaced behind an open
 * store: the first statement that meets it fails with a damage error, the
 * store says so once (DlgStore:damaged), and from then on writes nothing:
 * the damaged file and its write-ahead log stay byte for byte as found,
 * also when the store is closed, and the last good copy is neither
 * replaced nor rotated away. A full disk or a read-only medium is not
 * damage. Before opening, a store that is missing or empty although a copy
 * holds data is reported rather than silently started afresh.
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
  char             *wal;
  char             *backup_dir;
  DlgQuestionnaire *q;
  guint             n_damaged;  /* notify::damaged seen */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->q = load_questionnaire ("scoring.json");
  f->dir = g_dir_make_tmp ("dlg-store-damage-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "data", "diligence.sqlite", NULL);
  f->wal = g_strconcat (f->path, "-wal", NULL);
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
  g_free (f->wal);
  g_free (f->backup_dir);
}

static void
damaged_cb (DlgStore   *store,
            GParamSpec *pspec,
            Fixture    *f)
{
  g_assert_true (dlg_store_is_damaged (store));
  f->n_damaged++;
}

static DlgStore *
open_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  DlgStore *store = dlg_store_open (f->path, &error);

  g_assert_no_error (error);
  g_assert_false (dlg_store_is_damaged (store));
  g_assert_null (dlg_store_get_damage (store));
  g_signal_connect (store, "notify::damaged", G_CALLBACK (damaged_cb), f);
  return store;
}

static char *
add_assessment (Fixture    *f,
                DlgStore   *store,
                const char *title,
                gsize       comment_size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgAssessment) a = dlg_assessment_new (f->q);
  g_autofree char *comment = g_strnfill (comment_size, 'c');
  char *id = dlg_store_create_assessment (store, f->q, title, "2026", NULL, FALSE, &error);

  g_assert_no_error (error);
  g_assert_true (dlg_assessment_set_choice (a, "a1", "g", NULL));
  g_assert_true (dlg_assessment_set_comment (a, "a1", comment, NULL));
  g_assert_true (dlg_store_save_answers (store, id, a, (const char * const[]) { "a1", NULL }, &error));
  g_assert_no_error (error);
  return id;
}

/* A store with a profile and 20 assessments, all in the database file
 * (closed once, so the log was copied in), and one good copy of it. */
static DlgStoreBackup *
make_store_with_copy (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgStore) store = open_store (f);
  DlgProfile profile = { .name = (char *) "Fabrikam", .roles = DLG_ROLE_SUPPLIER };
  DlgStoreBackup *backup;

  g_assert_true (dlg_store_save_profile (store, &profile, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 20; i++)
    g_free (add_assessment (f, store, "Filling", 2000));
  backup = dlg_store_backup (store, NULL, &error);
  g_assert_no_error (error);
  return backup;
}

/* Every page but the first (the header and the schema, which the open
 * store has read already) overwritten in place, as a failing disk would do
 * behind the store's back; and the pages the store had read dropped from
 * its cache, so that the next statement reads the file. */
static void
damage_pages (const char *path,
              DlgStore   *store)
{
  g_autofree char *garbage = g_malloc (4096);
  GStatBuf st;
  int fd;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 3 * 4096);
  memset (garbage, 0xa5, 4096);
  fd = g_open (path, O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  for (goffset at = 4096; at < st.st_size; at += 4096)
    g_assert_cmpint (pwrite (fd, garbage, 4096, at), ==, 4096);
  g_assert_cmpint (close (fd), ==, 0);
  sqlite3_db_release_memory (dlg_store_get_db (store));
}

static GBytes *
read_bytes (const char *path)
{
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return NULL;
  return g_bytes_new_take (contents, length);
}

static void
assert_same_bytes (GBytes     *before,
                   const char *path)
{
  g_autoptr(GBytes) now = read_bytes (path);

  if (before == NULL)
    {
      g_assert_null (now);
      return;
    }
  g_assert_nonnull (now);
  g_assert_true (g_bytes_equal (before, now));
}

/* Every kind of write a session makes, on a damaged store: each fails with
 * @code and the same message as the first failure, and none is notified
 * again. */
static void
assert_writes_refused (Fixture      *f,
                       DlgStore     *store,
                       const char   *id,
                       int           code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgAssessment) a = dlg_assessment_new (f->q);
  g_autoptr(DlgActionPlan) plan = dlg_action_plan_new (dlg_questionnaire_get_id (f->q),
                                                       dlg_questionnaire_get_version (f->q));
  DlgProfile profile = { .name = (char *) "Contoso", .roles = DLG_ROLE_BUYER };
  const char *message = dlg_store_get_damage (store)->message;
  char *new_id;

  g_assert_true (dlg_assessment_set_choice (a, "a1", "r", NULL));
  g_assert_false (dlg_store_save_answer (store, id, a, "a1", &error));
  g_assert_error (error, DLG_STORE_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
  g_clear_error (&error);

  g_assert_false (dlg_store_save_profile (store, &profile, &error));
  g_assert_error (error, DLG_STORE_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
  g_clear_error (&error);

  new_id = dlg_store_create_assessment (store, f->q, "After", NULL, NULL, FALSE, &error);
  g_assert_null (new_id);
  g_assert_error (error, DLG_STORE_ERROR, code);
  g_clear_error (&error);

  g_assert_false (dlg_store_set_state (store, id, DLG_ASSESSMENT_STATE_COMPLETE, &error));
  g_assert_error (error, DLG_STORE_ERROR, code);
  g_clear_error (&error);

  g_assert_false (dlg_store_trash_assessment (store, id, &error));
  g_assert_error (error, DLG_STORE_ERROR, code);
  g_clear_error (&error);

  g_assert_false (dlg_store_save_action_plan (store, id, plan, &error));
  g_assert_error (error, DLG_STORE_ERROR, code);
  g_clear_error (&error);

  /* A test switching read-only off again does not reopen it to writes. */
  dlg_store_set_read_only (store, FALSE);
  g_assert_false (dlg_store_save_profile (store, &profile, &error));
  g_assert_error (error, DLG_STORE_ERROR, code);
  g_clear_error (&error);

  g_assert_true (dlg_store_is_damaged (store));
  g_assert_cmpuint (f->n_damaged, ==, 1);
}

/* The copy is neither replaced nor joined by a copy of the damaged store,
 * and is not due either. */
static void
assert_copy_kept (Fixture              *f,
                  DlgStore             *store,
                  const DlgStoreBackup *backup,
                  GBytes               *copy_bytes,
                  int                   code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  DlgStoreBackup *bad;

  g_assert_false (dlg_store_changed_since_backup (store));
  g_assert_false (dlg_store_backup_is_due (store, 0));
  bad = dlg_store_backup (store, NULL, &error);
  g_assert_null (bad);
  g_assert_error (error, DLG_STORE_ERROR, code);
  g_assert_nonnull (strstr (error->message, "copies made before are kept"));
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  list = dlg_store_list_backups (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((DlgStoreBackup *) g_ptr_array_index (list, 0))->path, ==, backup->path);
  assert_same_bytes (copy_bytes, backup->path);
}

/* ------------------------------------------------------------------------ */

static void
test_page_damaged (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgStoreBackup) backup = make_store_with_copy (f);
  g_autoptr(GBytes) copy_bytes = read_bytes (backup->path);
  g_autoptr(DlgStore) store = open_store (f);
  g_autoptr(DlgStore) restored = NULL;
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(DlgAssessment) a = dlg_assessment_new (f->q);
  g_autoptr(GBytes) db_bytes = NULL;
  g_autoptr(GBytes) wal_bytes = NULL;
  g_autofree char *id = add_assessment (f, store, "Open", 10);
  g_autofree char *damaged = NULL;
  g_autofree char *damaged_wal = NULL;
  gint64 changes;

  damage_pages (f->path, store);

  /* The first save meets the damage: a damage error, in words, said once. */
  g_assert_true (dlg_assessment_set_choice (a, "a1", "r", NULL));
  g_assert_false (dlg_store_save_answer (store, id, a, "a1", &error));
  g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_CORRUPT);
  g_assert_true (dlg_store_error_is_damage (error));
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "damaged"));
  g_assert_nonnull (strstr (error->message, "Nothing more is saved"));
  g_assert_cmpuint (f->n_damaged, ==, 1);
  g_assert_true (dlg_store_is_damaged (store));
  g_assert_error (dlg_store_get_damage (store), DLG_STORE_ERROR, DLG_STORE_ERROR_CORRUPT);
  g_assert_cmpstr (dlg_store_get_damage (store)->message, ==, error->message);
  g_clear_error (&error);

  /* From now on nothing is written: not the file, not its log. */
  db_bytes = read_bytes (f->path);
  wal_bytes = read_bytes (f->wal);
  g_assert_nonnull (wal_bytes);
  changes = sqlite3_total_changes64 (dlg_store_get_db (store));
  assert_writes_refused (f, store, id, DLG_STORE_ERROR_CORRUPT);
  g_assert_cmpint (sqlite3_total_changes64 (dlg_store_get_db (store)), ==, changes);

  /* Reading meets the same error, and is not notified again either. */
  infos = dlg_store_list_assessments (store, &error);
  if (infos == NULL)
    g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_false (dlg_store_check_integrity (store, &error));
  g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_cmpuint (f->n_damaged, ==, 1);

  assert_copy_kept (f, store, backup, copy_bytes, DLG_STORE_ERROR_CORRUPT);

  /* Closing does not copy the log into the damaged file, nor delete it. */
  g_assert_finalize_object (g_steal_pointer (&store));
  assert_same_bytes (db_bytes, f->path);
  assert_same_bytes (wal_bytes, f->wal);

  /* The copy comes back; the damaged file and its log are kept as found. */
  restored = dlg_store_restore_backup (f->path, backup, &damaged, &error);
  g_assert_no_error (error);
  g_assert_nonnull (restored);
  g_clear_pointer (&infos, g_ptr_array_unref);
  infos = dlg_store_list_assessments (restored, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (infos->len, ==, 20);
  assert_same_bytes (db_bytes, damaged);
  damaged_wal = g_strconcat (damaged, "-wal", NULL);
  assert_same_bytes (wal_bytes, damaged_wal);
  g_assert_false (dlg_store_is_damaged (restored));
}

/* A file cut short behind the store's back: the read that finds it short
 * is damage too. */
static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgStoreBackup) backup = make_store_with_copy (f);
  g_autoptr(DlgStore) store = open_store (f);
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GPtrArray) list = NULL;

  g_assert_cmpint (truncate (f->path, 2 * 4096), ==, 0);
  sqlite3_db_release_memory (dlg_store_get_db (store));

  infos = dlg_store_list_assessments (store, &error);
  g_assert_null (infos);
  g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_CORRUPT);
  g_test_message ("%s", error->message);
  g_assert_cmpuint (f->n_damaged, ==, 1);
  list = dlg_store_list_backups (f->path, NULL);
  g_assert_cmpuint (list->len, ==, 1);
}

/* The file deleted, or replaced by another, while the store has it open:
 * the write is refused (it would go to a file no one opens again) and
 * reported as missing data, once; the file put in its place is left as it
 * is, and not copied over the last good copy. */
static void
test_file_gone (Fixture       *f,
                gconstpointer  data)
{
  gboolean replace = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgStoreBackup) backup = make_store_with_copy (f);
  g_autoptr(GBytes) copy_bytes = read_bytes (backup->path);
  g_autoptr(DlgStore) store = open_store (f);
  g_autoptr(DlgAssessment) a = dlg_assessment_new (f->q);
  g_autoptr(GBytes) in_place = NULL;
  g_autofree char *id = add_assessment (f, store, "Open", 10);

  g_assert_cmpint (g_unlink (f->path), ==, 0);
  if (replace)
    g_assert_true (g_file_set_contents (f->path, "someone else's file", -1, NULL));
  in_place = read_bytes (f->path);

  g_assert_true (dlg_assessment_set_choice (a, "a1", "r", NULL));
  g_assert_false (dlg_store_save_answer (store, id, a, "a1", &error));
  g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_MISSING);
  g_assert_true (dlg_store_error_is_damage (error));
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "deleted or replaced"));
  g_assert_cmpuint (f->n_damaged, ==, 1);
  g_clear_error (&error);

  assert_writes_refused (f, store, id, DLG_STORE_ERROR_MISSING);
  assert_copy_kept (f, store, backup, copy_bytes, DLG_STORE_ERROR_MISSING);
  g_assert_finalize_object (g_steal_pointer (&store));
  assert_same_bytes (in_place, f->path);
}

/* Failures that go away are not damage: after them the store saves again. */
static void
test_not_damage (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgStore) store = open_store (f);
  g_autoptr(DlgAssessment) a = dlg_assessment_new (f->q);
  g_autofree char *id = add_assessment (f, store, "Open", 10);
  g_autofree char *big = g_strnfill (64 * 1024, 'x');

  dlg_store_set_read_only (store, TRUE);
  g_assert_true (dlg_assessment_set_choice (a, "a1", "r", NULL));
  g_assert_false (dlg_store_save_answer (store, id, a, "a1", &error));
  g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_READ_ONLY);
  g_assert_false (dlg_store_error_is_damage (error));
  g_clear_error (&error);
  dlg_store_set_read_only (store, FALSE);

  dlg_store_limit_size (store, 0);
  g_assert_true (dlg_assessment_set_comment (a, "a1", big, NULL));
  g_assert_false (dlg_store_save_answer (store, id, a, "a1", &error));
  g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_FULL);
  g_clear_error (&error);

  g_assert_false (dlg_store_is_damaged (store));
  g_assert_cmpuint (f->n_damaged, ==, 0);
  g_assert_true (dlg_assessment_set_comment (a, "a1", "short", NULL));
  g_assert_true (dlg_store_save_answer (store, id, a, "a1", &error));
  g_assert_no_error (error);
}

/* Before opening: a store that is missing or empty while its last good
 * copy holds data is reported; one that never held data is not. */
static void
test_not_lost (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgStoreBackup) backup = NULL;
  g_autofree char *garbage = NULL;

  /* The first start: nothing anywhere. */
  g_assert_true (dlg_store_check_not_lost (f->path, &error));
  g_assert_no_error (error);

  /* A copy of a store that was never used (made at the first start). */
  {
    g_autoptr(DlgStore) store = open_store (f);
    g_autoptr(DlgStoreBackup) empty = dlg_store_backup (store, NULL, &error);

    g_assert_no_error (error);
  }
  g_assert_cmpint (g_unlink (f->path), ==, 0);
  g_assert_true (dlg_store_check_not_lost (f->path, &error));
  g_assert_no_error (error);

  /* Data saved, copied, and then the file deleted: reported. */
  g_usleep (G_USEC_PER_SEC / 500);
  backup = make_store_with_copy (f);
  g_assert_true (dlg_store_check_not_lost (f->path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_unlink (f->path), ==, 0);
  g_assert_false (dlg_store_check_not_lost (f->path, &error));
  g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_MISSING);
  g_assert_true (dlg_store_error_is_damage (error));
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "missing or empty"));
  g_clear_error (&error);
  /* Nothing was made in its place. */
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));

  /* Emptied instead: the same, and the empty file is left as it is. */
  g_assert_true (g_file_set_contents (f->path, "", 0, NULL));
  g_assert_false (dlg_store_check_not_lost (f->path, &error));
  g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_MISSING);
  g_clear_error (&error);
  g_assert_true (g_file_test (f->path, G_FILE_TEST_IS_REGULAR));

  /* A store with something in it is opened as usual, damaged or not. */
  g_assert_true (g_file_set_contents (f->path, "not empty", -1, NULL));
  g_assert_true (dlg_store_check_not_lost (f->path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_unlink (f->path), ==, 0);

  /* Restoring the copy gives the data back, and then all is well. */
  {
    g_autoptr(DlgStore) store = dlg_store_restore_backup (f->path, backup, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (store);
  }
  g_assert_true (dlg_store_check_not_lost (f->path, &error));
  g_assert_no_error (error);

  /* A newest copy that cannot be read says nothing; the one before does. */
  g_assert_cmpint (g_unlink (f->path), ==, 0);
  garbage = g_build_filename (f->backup_dir, "diligence-29990101-000000-000000.sqlite", NULL);
  g_assert_true (g_file_set_contents (garbage, "garbage, not a database", -1, NULL));
  g_assert_false (dlg_store_check_not_lost (f->path, &error));
  g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_MISSING);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, data, func) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("/store-damage/page-damaged", NULL, test_page_damaged);
  ADD ("/store-damage/truncated", NULL, test_truncated);
  ADD ("/store-damage/file-deleted", GINT_TO_POINTER (FALSE), test_file_gone);
  ADD ("/store-damage/file-replaced", GINT_TO_POINTER (TRUE), test_file_gone);
  ADD ("/store-damage/not-damage", NULL, test_not_damage);
  ADD ("/store-damage/not-lost", NULL, test_not_lost);

#undef ADD

  return g_test_run ();
}
