/* test-store.c - the local store: durability, versions, bad files, crashes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "dlg-core.h"
#include "../test-util.h"
#include "../test-questionnaires.h"

typedef struct
{
  char             *dir;
  char             *path;
  DlgQuestionnaire *q;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("dlg-store-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "sub", "diligence.sqlite", NULL);
  f->q = load_questionnaire ("scoring.json");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->q);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static DlgStore *
open_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  DlgStore *store = dlg_store_open (f->path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static void
test_open (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(DlgStore) store = open_store (f);
  g_autoptr(DlgStore) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  GStatBuf st;

  g_assert_cmpint (dlg_store_get_schema_version (store), ==, 3);
  g_assert_true (dlg_store_check_integrity (store, &error));
  g_assert_no_error (error);

  /* The folder is private to the user; the journal is a write-ahead log. */
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));

  g_assert_null (dlg_store_load_profile (store, &error));
  g_assert_no_error (error);

  g_clear_object (&store);
  again = open_store (f);
  g_assert_cmpint (dlg_store_get_schema_version (again), ==, 3);
}

static void
test_profile (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(DlgStore) store = open_store (f);
  g_autoptr(DlgProfile) loaded = NULL;
  g_autoptr(GError) error = NULL;
  DlgProfile profile = { (char *) "Exemple SA — Groupe “Nord”", (char *) "BE0123456789", (char *) "BE",
                         NULL, (char *) "ops@example.org", DLG_ROLE_SUPPLIER | DLG_ROLE_SIGNATORY };

  g_assert_true (dlg_store_save_profile (store, &profile, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  store = open_store (f);
  loaded = dlg_store_load_profile (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->name, ==, profile.name);
  g_assert_cmpstr (loaded->enterprise_number, ==, "BE0123456789");
  g_assert_cmpstr (loaded->country, ==, "BE");
  g_assert_null (loaded->contact_name);
  g_assert_cmpint (loaded->roles, ==, DLG_ROLE_SUPPLIER | DLG_ROLE_SIGNATORY);
}

static void
test_assessments (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(DlgStore) store = open_store (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  a = dlg_store_create_assessment (store, f->q, "Supplier A 2026", "2026", "City of Ghent", FALSE, &error);
  g_assert_no_error (error);
  b = dlg_store_create_assessment (store, f->q, "Quick scan", "2026", NULL, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a, !=, b);

  list = dlg_store_list_assessments (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  /* Newest first. */
  g_assert_cmpstr (((DlgAssessmentInfo *) g_ptr_array_index (list, 0))->id, ==, b);
  g_assert_true (((DlgAssessmentInfo *) g_ptr_array_index (list, 0))->quick_scan);
  g_assert_cmpstr (((DlgAssessmentInfo *) g_ptr_array_index (list, 1))->recipient, ==, "City of Ghent");
  g_assert_cmpstr (((DlgAssessmentInfo *) g_ptr_array_index (list, 1))->questionnaire_id, ==, "org.example.scoring");
  g_assert_cmpint (((DlgAssessmentInfo *) g_ptr_array_index (list, 1))->level, ==, DLG_LEVEL_INCOMPLETE);
  g_clear_pointer (&list, g_ptr_array_unref);

  g_assert_true (dlg_store_set_state (store, a, DLG_ASSESSMENT_STATE_COMPLETE, &error));
  g_assert_true (dlg_store_trash_assessment (store, a, &error));
  list = dlg_store_list_assessments (store, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Undo brings it back; purging after another delete removes it for good. */
  g_assert_true (dlg_store_restore_assessment (store, a, &error));
  list = dlg_store_list_assessments (store, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);

  g_assert_true (dlg_store_trash_assessment (store, a, &error));
  g_assert_true (dlg_store_purge_trash (store, &error));
  g_assert_no_error (error);
  g_assert_null (dlg_store_get_assessment_info (store, a, &error));
  g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (dlg_store_trash_assessment (store, "no-such-id", &error));
  g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_NOT_FOUND);
}

static void
test_answers_round_trip (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(DlgStore) store = open_store (f);
  g_autoptr(DlgAssessment) a = dlg_assessment_new (f->q);
  g_autoptr(DlgAssessment) back = NULL;
  g_autoptr(DlgEvaluation) ev = NULL;
  g_autoptr(DlgAssessmentInfo) info = NULL;
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  const char *choices[] = { "x", "y", NULL };
  const char *ids[] = { "a1", "a2", "a3", "b1", "b2", "b3", "c1", NULL };

  id = dlg_store_create_assessment (store, f->q, "Round trip", "2026", NULL, FALSE, &error);
  g_assert_no_error (error);

  g_assert_true (dlg_assessment_set_choice (a, "a1", "r", NULL));
  g_assert_true (dlg_assessment_set_choice (a, "a2", "partly", NULL));
  g_assert_true (dlg_assessment_set_choices (a, "a3", choices, NULL));
  g_assert_true (dlg_assessment_set_choice (a, "b1", "no", NULL));
  g_assert_true (dlg_assessment_set_number (a, "b2", 52.5, NULL) || dlg_assessment_set_number (a, "b2", 52, NULL));
  g_assert_true (dlg_assessment_set_text (a, "b3", "Deux sites, « Gand » et Łódź\nligne 2", NULL));
  g_assert_true (dlg_assessment_set_date (a, "c1", "2026-06-30", NULL));
  g_assert_true (dlg_assessment_set_comment (a, "a1", "Audit \"2026\"", NULL));
  g_assert_true (dlg_assessment_add_evidence (a, "a2", "policy.pdf",
                                              "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", NULL));

  g_assert_true (dlg_store_save_answers (store, id, a, ids, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  store = open_store (f);
  back = dlg_store_load_assessment (store, id, &error);
  g_assert_no_error (error);

  before = dlg_assessment_to_json (a);
  after = dlg_assessment_to_json (back);
  g_assert_true (json_node_equal (before, after));

  /* The list shows the cached evaluation. */
  ev = dlg_evaluate (a, FALSE);
  info = dlg_store_get_assessment_info (store, id, &error);
  g_assert_cmpint (info->level, ==, ev->level);
  g_assert_cmpfloat_with_epsilon (info->progress, dlg_evaluation_get_progress (ev), 1e-9);
  g_assert_cmpfloat_with_epsilon (info->score, ev->score, 1e-9);

  /* Clearing an answer deletes it. */
  g_assert_true (dlg_assessment_clear_value (a, "b3", NULL));
  g_assert_true (dlg_store_save_answer (store, id, a, "b3", &error));
  g_clear_object (&back);
  back = dlg_store_load_assessment (store, id, &error);
  g_assert_null (dlg_assessment_get_answer (back, "b3"));
}

static void
test_exact_version (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(DlgStore) store = open_store (f);
  g_autoptr(DlgQuestionnaire) v2 = NULL;
  g_autoptr(DlgAssessment) loaded = NULL;
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *changed = NULL;
  g_autofree char *id = NULL;
  gsize length;

  id = dlg_store_create_assessment (store, f->q, "v1", "2026", NULL, FALSE, &error);
  g_assert_no_error (error);

  /* A newer version of the same questionnaire arrives. */
  contents = g_strdup (g_bytes_get_data (dlg_questionnaire_get_bytes (f->q), &length));
  {
    g_auto(GStrv) parts = g_strsplit (contents, "\"version\": \"1\"", 2);
    changed = g_strjoinv ("\"version\": \"2\"", parts);
  }
  v2 = dlg_questionnaire_new_from_data (changed, strlen (changed), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dlg_questionnaire_get_version (v2), ==, "2");
  g_assert_true (dlg_store_add_questionnaire (store, v2, TRUE, &error));
  g_assert_true (dlg_store_add_questionnaire (store, v2, TRUE, &error));
  g_assert_no_error (error);

  imported = dlg_store_list_imported_questionnaires (store, &error);
  g_assert_cmpuint (imported->len, ==, 1);

  g_clear_object (&store);
  store = open_store (f);
  loaded = dlg_store_load_assessment (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dlg_questionnaire_get_version (dlg_assessment_get_questionnaire (loaded)), ==, "1");
}

static void
test_evidence (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(DlgStore) store = open_store (f);
  g_autoptr(DlgAssessment) a = dlg_assessment_new (f->q);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *source_path = g_build_filename (f->dir, "Audit report.pdf", NULL);
  g_autofree char *expected = NULL;
  g_autofree char *stored_contents = NULL;
  g_autoptr(GFile) source = NULL;
  g_autoptr(GFile) stored = NULL;
  g_autoptr(GFile) missing = NULL;
  g_autofree char *stored_path = NULL;
  const char *content = "%PDF-1.4 not really a PDF";
  GStatBuf st;

  id = dlg_store_create_assessment (store, f->q, "Evidence", "2026", NULL, FALSE, &error);
  g_assert_true (g_file_set_contents (source_path, content, -1, NULL));
  source = g_file_new_for_path (source_path);

  g_assert_true (dlg_store_add_evidence (store, id, a, "a2", source, &sha, &error));
  g_assert_no_error (error);
  expected = g_compute_checksum_for_string (G_CHECKSUM_SHA256, content, -1);
  g_assert_cmpstr (sha, ==, expected);

  stored = dlg_store_get_evidence_file (store, sha);
  stored_path = g_file_get_path (stored);
  g_assert_true (g_file_get_contents (stored_path, &stored_contents, NULL, NULL));
  g_assert_cmpstr (stored_contents, ==, content);
  g_assert_cmpint (g_stat (stored_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_cmpstr (((DlgEvidenceRef *) g_ptr_array_index (dlg_assessment_get_answer (a, "a2")->evidence, 0))->name,
                   ==, "Audit report.pdf");

  /* A source that is gone is a clean error and changes nothing. */
  missing = g_file_new_for_path ("/nonexistent/file.pdf");
  g_assert_false (dlg_store_add_evidence (store, id, a, "a2", missing, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (dlg_assessment_get_answer (a, "a2")->evidence->len, ==, 1);

  g_assert_true (dlg_store_remove_evidence (store, id, a, "a2", sha, &error));
  g_assert_no_error (error);
  g_assert_null (dlg_assessment_get_answer (a, "a2"));
}

static void
test_not_a_database (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgStore) store = NULL;
  g_autofree char *after = NULL;
  const char *garbage = "This is a text file, not SQLite. It must survive being opened.\n";

  g_mkdir_with_parents (dir, 0700);
  g_assert_true (g_file_set_contents (f->path, garbage, -1, NULL));

  store = dlg_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_CORRUPT);
  g_test_message ("%s", error->message);

  g_assert_true (g_file_get_contents (f->path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, garbage);
}

/* A store that cannot be opened is moved aside whole, never deleted, and a
 * new one can take its place; a second time does not overwrite the first. */
static void
test_set_aside (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *aside = NULL;
  g_autofree char *aside_wal = NULL;
  g_autofree char *again = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgStore) store = NULL;
  g_autoptr(DlgProfile) profile = NULL;
  const char *garbage = "Damaged: not an SQLite file any more.\n";

  g_mkdir_with_parents (dir, 0700);
  g_assert_true (g_file_set_contents (f->path, garbage, -1, NULL));
  g_assert_null (dlg_store_open (f->path, &error));
  g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_CORRUPT);
  g_clear_error (&error);
  /* A write-ahead log, as a crash would leave beside the database. */
  g_assert_true (g_file_set_contents (wal, "recent transactions", -1, NULL));

  g_assert_true (dlg_store_set_aside (f->path, &aside, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (aside, f->path));
  g_assert_nonnull (strstr (aside, ".damaged-"));
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (aside, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, garbage);
  aside_wal = g_strconcat (aside, "-wal", NULL);
  g_assert_true (g_file_test (aside_wal, G_FILE_TEST_IS_REGULAR));

  /* A new, empty store opens where the damaged one was. */
  store = dlg_store_open (f->path, &error);
  g_assert_no_error (error);
  profile = dlg_store_load_profile (store, &error);
  g_assert_no_error (error);
  g_assert_null (profile);
  g_clear_object (&store);

  /* Setting aside again, within the same second, keeps both copies. */
  g_assert_true (g_file_set_contents (f->path, garbage, -1, NULL));
  g_assert_true (dlg_store_set_aside (f->path, &again, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (again, !=, aside);
  g_assert_true (g_file_test (aside, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (again, G_FILE_TEST_IS_REGULAR));
}

static void
test_newer_schema (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(DlgStore) store = open_store (f);
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  g_clear_object (&store);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 999", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = dlg_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_NEWER_SCHEMA);
}

static void
test_disk_full (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(DlgStore) store = open_store (f);
  g_autoptr(DlgAssessment) a = dlg_assessment_new (f->q);
  g_autoptr(DlgAssessment) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *huge = NULL;
  const char *ids[] = { "b3", "a1", NULL };

  id = dlg_store_create_assessment (store, f->q, "Full disk", "2026", NULL, FALSE, &error);
  g_assert_true (dlg_assessment_set_choice (a, "a1", "g", NULL));
  g_assert_true (dlg_store_save_answer (store, id, a, "a1", &error));
  g_assert_no_error (error);

  /* No room left: the next large write fails as on a full disk. */
  dlg_store_limit_size (store, 0);
  huge = g_strnfill (4 * 1024 * 1024, 'x');
  g_assert_true (dlg_assessment_set_text (a, "b3", huge, NULL));
  g_assert_true (dlg_assessment_set_choice (a, "a1", "r", NULL));
  g_assert_false (dlg_store_save_answers (store, id, a, ids, &error));
  g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_FULL);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* What was saved before is intact, and nothing of the failed write. */
  g_clear_object (&store);
  store = open_store (f);
  g_assert_true (dlg_store_check_integrity (store, &error));
  back = dlg_store_load_assessment (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dlg_assessment_get_answer (back, "a1")->string, ==, "g");
  g_assert_null (dlg_assessment_get_answer (back, "b3"));
}

static void
test_read_only (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(DlgStore) store = open_store (f);
  g_autoptr(DlgAssessment) a = dlg_assessment_new (f->q);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  id = dlg_store_create_assessment (store, f->q, "Read-only", "2026", NULL, FALSE, &error);
  g_assert_true (dlg_assessment_set_choice (a, "a1", "g", NULL));

  /* As on a read-only medium (chmod does not stop root, who runs CI). */
  dlg_store_set_read_only (store, TRUE);
  g_assert_false (dlg_store_save_answer (store, id, a, "a1", &error));
  g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);

  dlg_store_set_read_only (store, FALSE);
  g_assert_true (dlg_store_save_answer (store, id, a, "a1", &error));
  g_assert_no_error (error);
}

/* The crash test's child: saves answers one by one, acknowledging each on
 * standard output only once the store has returned. */
static void
crash_child (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgStore) store = dlg_store_open (path, &error);
  g_autofree char *qpath = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "data", "valid", "scoring.json", NULL);
  g_autoptr(DlgQuestionnaire) q = NULL;
  g_autoptr(DlgAssessment) a = NULL;
  g_autofree char *id = NULL;

  g_assert_no_error (error);
  /* Not a GLib test itself: g_test_build_filename() is not available. */
  q = read_questionnaire (qpath);
  id = dlg_store_create_assessment (store, q, "Crash", "2026", NULL, FALSE, &error);
  g_assert_no_error (error);
  a = dlg_assessment_new (q);
  printf ("ID %s\n", id);
  fflush (stdout);

  for (guint n = 1; ; n++)
    {
      g_autofree char *text = g_strdup_printf ("answer %u", n);

      g_assert_true (dlg_assessment_set_text (a, "b3", text, NULL));
      g_assert_true (dlg_assessment_set_number (a, "b2", n % 169, NULL));
      if (!dlg_store_save_answers (store, id, a, (const char * const[]) { "b3", "b2", NULL }, &error))
        g_error ("%s", error->message);
      printf ("ACK %u\n", n);
      fflush (stdout);
    }
}

static void
test_crash (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (424242);
  const char *self_path = g_getenv ("DLG_TEST_STORE_BINARY");
  guint iterations = 100;

  g_assert_nonnull (self_path);

  for (guint i = 0; i < iterations; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/crash-%u.sqlite", f->dir, i);
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GDataInputStream) out = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(DlgStore) store = NULL;
      g_autoptr(DlgAssessment) a = NULL;
      g_autofree char *id = NULL;
      guint acked = 0;
      guint target = g_rand_int_range (rand, 1, 40);
      const DlgAnswer *answer;
      char *line;

      child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                self_path, "--crash-child", path, NULL);
      g_assert_no_error (error);
      out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));

      /* Read acknowledgements until a random one, then kill -9 at once:
       * the child is usually in the middle of its next write. */
      while ((line = g_data_input_stream_read_line (out, NULL, NULL, &error)))
        {
          if (g_str_has_prefix (line, "ID "))
            id = g_strdup (line + 3);
          else if (g_str_has_prefix (line, "ACK "))
            acked = atoi (line + 4);
          g_free (line);
          if (acked >= target)
            break;
        }
      g_subprocess_send_signal (child, SIGKILL);
      g_subprocess_wait (child, NULL, NULL);
      g_assert_nonnull (id);

      store = dlg_store_open (path, &error);
      g_assert_no_error (error);
      g_assert_true (dlg_store_check_integrity (store, &error));
      a = dlg_store_load_assessment (store, id, &error);
      g_assert_no_error (error);

      /* Every acknowledged answer is there (a later one may be too). */
      answer = dlg_assessment_get_answer (a, "b3");
      g_assert_nonnull (answer);
      g_assert_cmpuint (atoi (answer->string + strlen ("answer ")), >=, acked);
    }
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && strcmp (argv[1], "--crash-child") == 0)
    {
      crash_child (argv[2]);
      return 0;
    }

  g_setenv ("DLG_TEST_STORE_BINARY", argv[0], TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/store/open", test_open);
  ADD ("/store/profile", test_profile);
  ADD ("/store/assessments", test_assessments);
  ADD ("/store/answers-round-trip", test_answers_round_trip);
  ADD ("/store/exact-version", test_exact_version);
  ADD ("/store/evidence", test_evidence);
  ADD ("/store/not-a-database", test_not_a_database);
  ADD ("/store/set-aside", test_set_aside);
  ADD ("/store/newer-schema", test_newer_schema);
  ADD ("/store/disk-full", test_disk_full);
  ADD ("/store/read-only", test_read_only);
  ADD ("/store/crash", test_crash);

#undef ADD

  return g_test_run ();
}
