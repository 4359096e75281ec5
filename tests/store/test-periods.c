/* test-periods.c - action plans in the store, the next period with its
 * carried-over answers and actions, progress over time, the upgrade from
 * a store without them, and what diligence-tool makes of it all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "dlg-core.h"
#include "../test-util.h"
#include "../test-questionnaires.h"

typedef struct
{
  char             *dir;
  char             *path;
  DlgQuestionnaire *q;
  DlgQuestionnaire *v2;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("dlg-periods-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "diligence.sqlite", NULL);
  f->q = load_questionnaire ("scoring.json");
  f->v2 = load_questionnaire ("scoring-v2.json");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->q);
  g_assert_finalize_object (f->v2);
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
  return store;
}

static GDate *
date (const char *iso)
{
  GDate *d = g_date_new ();

  g_assert_true (dlg_date_parse (iso, d));
  return d;
}

static const char * const answered[] = { "a1", "a2", "a3", "b1", "b2", "b3", "b4", NULL };

/* The 2025 period: findings of every kind, a plan with a done action, an
 * open one past its date, and a dismissed proposal. */
static char *
first_period (Fixture  *f,
              DlgStore *store)
{
  g_autoptr(DlgAssessment) a = dlg_assessment_new (f->q);
  g_autoptr(DlgEvaluation) ev = NULL;
  g_autoptr(DlgActionPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  const char *choices[] = { "x", "y", NULL };
  char *id;

  id = dlg_store_create_assessment (store, f->q, "Supplier 2025", "2025", "Stad Gent", FALSE, &error);
  g_assert_no_error (error);

  g_assert_true (dlg_assessment_set_choice (a, "a1", "m", NULL));
  g_assert_true (dlg_assessment_set_comment (a, "a1", "Audit of March 2025", NULL));
  g_assert_true (dlg_assessment_set_choice (a, "a2", "partly", NULL));
  g_assert_true (dlg_assessment_add_evidence (a, "a2", "policy.pdf",
                                              "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", NULL));
  g_assert_true (dlg_assessment_set_choices (a, "a3", choices, NULL));
  g_assert_true (dlg_assessment_set_choice (a, "b1", "yes", NULL));
  g_assert_true (dlg_assessment_set_number (a, "b2", 52, NULL));
  g_assert_true (dlg_assessment_set_text (a, "b3", "Two sites", NULL));
  g_assert_true (dlg_assessment_set_choice (a, "b4", "old", NULL));
  g_assert_true (dlg_store_save_answers (store, id, a, answered, &error));
  g_assert_no_error (error);

  plan = dlg_store_load_action_plan (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dlg_action_plan_get_n_actions (plan), ==, 0);
  ev = dlg_evaluate (a, FALSE);
  g_assert_cmpuint (dlg_action_plan_propose (plan, ev, "en"), ==, 6);

  for (guint i = 0; i < dlg_action_plan_get_n_actions (plan); i++)
    {
      DlgAction *action = dlg_action_plan_get_action (plan, i);

      if (dlg_action_answers_finding (action, "a2"))
        {
          g_assert_true (dlg_action_plan_dismiss (plan, action, "Accepted risk", &error));
          continue;
        }
      g_assert_true (dlg_action_plan_accept (plan, action, &error));
      g_assert_true (dlg_action_set_field (action, DLG_ACTION_FIELD_DUE_DATE, "2025-12-31", &error));
      if (dlg_action_answers_finding (action, "b1"))
        g_assert_true (dlg_action_set_status (action, DLG_ACTION_STATUS_DONE, &error));
      else if (dlg_action_answers_finding (action, "b2"))
        g_assert_true (dlg_action_set_status (action, DLG_ACTION_STATUS_IN_PROGRESS, &error));
      g_assert_no_error (error);
    }
  g_assert_true (dlg_store_save_action_plan (store, id, plan, &error));
  g_assert_no_error (error);
  return id;
}

static void
test_plan_round_trip (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(DlgStore) store = open_store (f);
  g_autoptr(DlgActionPlan) plan = NULL;
  g_autoptr(DlgActionPlan) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = first_period (f, store);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *source_path = g_build_filename (f->dir, "Closure audit.pdf", NULL);
  g_autoptr(GFile) source = NULL;
  g_autofree char *sha = NULL;
  sqlite3 *db;

  plan = dlg_store_load_action_plan (store, id, &error);
  g_assert_no_error (error);
  before = dlg_action_plan_to_data (plan, NULL);

  /* Evidence is copied into the store and named in the plan. */
  g_assert_true (g_file_set_contents (source_path, "closure audit", -1, NULL));
  source = g_file_new_for_path (source_path);
  g_assert_true (dlg_store_add_action_evidence (store, id, plan, dlg_action_plan_get_action (plan, 0),
                                                source, &sha, &error));
  g_assert_no_error (error);
  g_clear_pointer (&before, g_free);
  before = dlg_action_plan_to_data (plan, NULL);

  g_clear_object (&store);
  store = open_store (f);
  back = dlg_store_load_action_plan (store, id, &error);
  g_assert_no_error (error);
  after = dlg_action_plan_to_data (back, NULL);
  g_assert_cmpstr (after, ==, before);
  g_assert_true (g_file_test (g_file_peek_path (dlg_store_get_evidence_file (store, sha)), G_FILE_TEST_IS_REGULAR));

  g_assert_false (dlg_store_save_action_plan (store, "no-such-assessment", plan, &error));
  g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A damaged row is reported, not taken for an empty plan. */
  g_clear_object (&store);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE action_plans SET plan = '{\"format\":\"diligence-action-plan/1\"'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  store = open_store (f);
  g_clear_object (&back);
  back = dlg_store_load_action_plan (store, id, &error);
  g_assert_null (back);
  g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_FILE);
  g_test_message ("%s", error->message);
}

static guint
count_assessments (DlgStore *store)
{
  g_autoptr(GPtrArray) list = dlg_store_list_assessments (store, NULL);

  return list->len;
}

static void
test_next_period (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(DlgStore) store = open_store (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = first_period (f, store);
  g_autofree char *second = NULL;
  g_autoptr(GPtrArray) not_carried = NULL;
  g_autoptr(DlgAssessmentInfo) info = NULL;
  g_autoptr(DlgAssessment) before = NULL;
  g_autoptr(DlgAssessment) after = NULL;
  g_autoptr(DlgActionPlan) plan = NULL;
  g_autoptr(GHashTable) unconfirmed = NULL;
  g_autoptr(JsonNode) before_json = NULL;
  g_autoptr(JsonNode) after_json = NULL;
  const char *confirm[] = { "a1", NULL };

  second = dlg_store_start_next_period (store, first, NULL, "Supplier 2026", "2026", &not_carried, &error);
  g_assert_no_error (error);
  g_assert_nonnull (second);
  g_assert_cmpuint (not_carried->len, ==, 0);

  info = dlg_store_get_assessment_info (store, second, &error);
  g_assert_cmpstr (info->previous_id, ==, first);
  g_assert_cmpstr (info->recipient, ==, "Stad Gent");
  g_assert_cmpstr (info->period, ==, "2026");
  g_assert_cmpstr (info->questionnaire_version, ==, "1");

  /* The same answers, comments and evidence, each to confirm. */
  before = dlg_store_load_assessment (store, first, &error);
  after = dlg_store_load_assessment (store, second, &error);
  g_assert_no_error (error);
  before_json = dlg_assessment_to_json (before);
  after_json = dlg_assessment_to_json (after);
  g_assert_true (json_node_equal (before_json, after_json));
  unconfirmed = dlg_store_list_unconfirmed (store, second, &error);
  g_assert_cmpuint (g_hash_table_size (unconfirmed), ==, g_strv_length ((char **) answered));
  for (guint i = 0; answered[i]; i++)
    g_assert_true (g_hash_table_contains (unconfirmed, answered[i]));
  g_clear_pointer (&unconfirmed, g_hash_table_unref);
  unconfirmed = dlg_store_list_unconfirmed (store, first, &error);
  g_assert_cmpuint (g_hash_table_size (unconfirmed), ==, 0);
  g_clear_pointer (&unconfirmed, g_hash_table_unref);

  /* Confirming, or changing, clears the mark. */
  g_assert_true (dlg_store_confirm_answers (store, second, confirm, &error));
  g_assert_true (dlg_assessment_set_number (after, "b2", 47, NULL));
  g_assert_true (dlg_store_save_answer (store, second, after, "b2", &error));
  g_assert_no_error (error);
  unconfirmed = dlg_store_list_unconfirmed (store, second, &error);
  g_assert_false (g_hash_table_contains (unconfirmed, "a1"));
  g_assert_false (g_hash_table_contains (unconfirmed, "b2"));
  g_assert_true (g_hash_table_contains (unconfirmed, "b1"));

  /* The open actions came along; the done one and the dismissed proposal
   * stayed in 2025. */
  plan = dlg_store_load_action_plan (store, second, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dlg_action_plan_get_n_actions (plan), ==, 4);
  for (guint i = 0; i < dlg_action_plan_get_n_actions (plan); i++)
    {
      DlgAction *action = dlg_action_plan_get_action (plan, i);
      GPtrArray *notes = dlg_action_get_notes (action);

      g_assert_nonnull (dlg_action_get_carried_from (action));
      g_assert_true (dlg_action_is_open (action));
      g_assert_false (dlg_action_answers_finding (action, "b1"));
      g_assert_cmpstr (((DlgProgressNote *) g_ptr_array_index (notes, notes->len - 1))->text, ==,
                       "Carried over from period 2025");
    }
  g_assert_cmpint (dlg_action_plan_get_review_state (plan), ==, DLG_REVIEW_DRAFT);

  /* A period that does not exist. */
  g_assert_null (dlg_store_start_next_period (store, "nope", NULL, "x", "x", NULL, &error));
  g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_NOT_FOUND);
}

static void
test_next_period_new_version (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(DlgStore) store = open_store (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = first_period (f, store);
  g_autofree char *second = NULL;
  g_autoptr(GPtrArray) not_carried = NULL;
  g_autoptr(DlgAssessmentInfo) info = NULL;
  g_autoptr(DlgAssessment) next = NULL;
  g_autoptr(GHashTable) unconfirmed = NULL;
  g_autoptr(DlgActionPlan) plan = NULL;
  const DlgAnswer *answer;
  const char *expected[] = { "a1", "a3", "b3" };

  second = dlg_store_start_next_period (store, first, f->v2, "Supplier 2026", "2026", &not_carried, &error);
  g_assert_no_error (error);

  /* a1's option "m" is gone, a3 is gone, b3 takes a number now. */
  g_assert_cmpuint (not_carried->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      DlgNotCarried *item = g_ptr_array_index (not_carried, i);

      g_assert_cmpstr (item->question_id, ==, expected[i]);
      g_assert_nonnull (item->question_text);
      g_assert_nonnull (item->reason);
      g_test_message ("%s (%s): %s", item->question_id, item->question_text, item->reason);
    }
  g_assert_nonnull (strstr (((DlgNotCarried *) g_ptr_array_index (not_carried, 1))->reason, "version 2"));

  info = dlg_store_get_assessment_info (store, second, &error);
  g_assert_cmpstr (info->questionnaire_version, ==, "2");
  next = dlg_store_load_assessment (store, second, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dlg_questionnaire_get_version (dlg_assessment_get_questionnaire (next)), ==, "2");

  /* What fits is carried; a1 keeps its comment without its value. */
  g_assert_cmpstr (dlg_assessment_get_answer (next, "b1")->string, ==, "yes");
  g_assert_cmpfloat (dlg_assessment_get_answer (next, "b2")->number, ==, 52);
  g_assert_cmpuint (dlg_assessment_get_answer (next, "a2")->evidence->len, ==, 1);
  answer = dlg_assessment_get_answer (next, "a1");
  g_assert_nonnull (answer);
  g_assert_false (answer->has_value);
  g_assert_cmpstr (answer->comment, ==, "Audit of March 2025");
  g_assert_null (dlg_assessment_get_answer (next, "a3"));
  g_assert_null (dlg_assessment_get_answer (next, "b3"));

  unconfirmed = dlg_store_list_unconfirmed (store, second, &error);
  g_assert_true (g_hash_table_contains (unconfirmed, "a1"));
  g_assert_true (g_hash_table_contains (unconfirmed, "b4"));
  g_assert_false (g_hash_table_contains (unconfirmed, "a3"));

  plan = dlg_store_load_action_plan (store, second, &error);
  g_assert_cmpstr (dlg_action_plan_get_questionnaire_version (plan), ==, "2");
  g_assert_cmpuint (dlg_action_plan_get_n_actions (plan), ==, 4);
}

static void
test_next_period_atomic (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(DlgStore) store = open_store (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = first_period (f, store);
  g_autofree char *second = NULL;
  guint n = count_assessments (store);

  dlg_store_set_read_only (store, TRUE);
  second = dlg_store_start_next_period (store, first, f->v2, "Supplier 2026", "2026", NULL, &error);
  g_assert_null (second);
  g_assert_error (error, DLG_STORE_ERROR, DLG_STORE_ERROR_READ_ONLY);
  dlg_store_set_read_only (store, FALSE);

  g_assert_cmpuint (count_assessments (store), ==, n);
  g_assert_true (dlg_store_check_integrity (store, NULL));
}

static void
test_progress (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(DlgStore) store = open_store (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = first_period (f, store);
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autofree char *earliest = NULL;
  g_autofree char *quick = NULL;
  g_autoptr(DlgAssessment) a = NULL;
  g_autoptr(DlgActionPlan) plan = NULL;
  g_autoptr(GPtrArray) periods = NULL;
  g_autoptr(GDate) today = date ("2026-01-15");
  const char *order[] = { "2024", "2025", "2026", "2027" };
  DlgPeriodSummary *p;

  second = dlg_store_start_next_period (store, first, NULL, "Supplier 2026", "2026", NULL, &error);
  third = dlg_store_start_next_period (store, second, f->v2, "Supplier 2027", "2027", NULL, &error);
  g_assert_no_error (error);
  earliest = dlg_store_create_assessment (store, f->q, "Entered late", "2024", NULL, FALSE, &error);
  quick = dlg_store_create_assessment (store, f->q, "Quick scan", "2025", NULL, TRUE, &error);
  g_assert_no_error (error);

  /* 2026 improves: the red answers become green, one action is closed. */
  a = dlg_store_load_assessment (store, second, &error);
  g_assert_true (dlg_assessment_set_choice (a, "b1", "no", NULL));
  g_assert_true (dlg_assessment_set_number (a, "b2", 40, NULL));
  g_assert_true (dlg_store_save_answers (store, second, a, (const char *[]) { "b1", "b2", NULL }, &error));
  plan = dlg_store_load_action_plan (store, second, &error);
  g_assert_true (dlg_action_set_status (dlg_action_plan_get_action (plan, 0), DLG_ACTION_STATUS_DONE, &error));
  g_assert_true (dlg_store_save_action_plan (store, second, plan, &error));
  g_assert_no_error (error);

  periods = dlg_store_list_periods (store, "org.example.scoring", FALSE, "en", today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (periods->len, ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    g_assert_cmpstr (((DlgPeriodSummary *) g_ptr_array_index (periods, i))->period, ==, order[i]);

  /* 2025: red (critical), four open actions past their date, one closed. */
  p = g_ptr_array_index (periods, 1);
  g_assert_cmpstr (p->assessment_id, ==, first);
  g_assert_cmpint (p->level, ==, DLG_LEVEL_RED);
  g_assert_cmpuint (p->n_open, ==, 4);
  g_assert_cmpuint (p->n_overdue, ==, 4);
  g_assert_cmpuint (p->n_closed, ==, 1);
  g_assert_cmpuint (p->sections->len, ==, 4);
  g_assert_cmpstr (((DlgSectionSummary *) g_ptr_array_index (p->sections, 1))->title, ==, "Worst-answer section");
  g_assert_cmpint (((DlgSectionSummary *) g_ptr_array_index (p->sections, 1))->level, ==, DLG_LEVEL_RED);

  /* 2026: no longer red, one action closed and three still open. */
  p = g_ptr_array_index (periods, 2);
  g_assert_cmpint (p->level, !=, DLG_LEVEL_RED);
  g_assert_cmpint (((DlgSectionSummary *) g_ptr_array_index (p->sections, 1))->level, !=, DLG_LEVEL_RED);
  g_assert_cmpuint (p->n_open, ==, 3);
  g_assert_cmpuint (p->n_closed, ==, 1);

  /* 2027 is on version 2. */
  p = g_ptr_array_index (periods, 3);
  g_assert_cmpstr (p->questionnaire_version, ==, "2");

  /* Quick scans are their own series. */
  g_clear_pointer (&periods, g_ptr_array_unref);
  periods = dlg_store_list_periods (store, "org.example.scoring", TRUE, "en", today, &error);
  g_assert_cmpuint (periods->len, ==, 1);
  g_clear_pointer (&periods, g_ptr_array_unref);
  periods = dlg_store_list_periods (store, "org.example.other", FALSE, "en", today, &error);
  g_assert_cmpuint (periods->len, ==, 0);
}

/* The schema as version 1 shipped it, frozen: the upgrade must keep
 * everything in it. */
static const char v1_schema[] =
  "CREATE TABLE profile (id INTEGER PRIMARY KEY CHECK (id = 1), name TEXT NOT NULL,"
  "  enterprise_number TEXT, country TEXT, contact_name TEXT, contact_email TEXT, roles INTEGER NOT NULL);"
  "CREATE TABLE questionnaires (checksum TEXT PRIMARY KEY, id TEXT NOT NULL, version TEXT NOT NULL,"
  "  bytes BLOB NOT NULL, imported INTEGER NOT NULL, added_at INTEGER NOT NULL);"
  "CREATE TABLE assessments (id TEXT PRIMARY KEY,"
  "  questionnaire_checksum TEXT NOT NULL REFERENCES questionnaires (checksum),"
  "  title TEXT NOT NULL, period TEXT, recipient TEXT, quick_scan INTEGER NOT NULL,"
  "  state INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
  "  trashed_at INTEGER, level INTEGER NOT NULL, score REAL, progress REAL NOT NULL);"
  "CREATE TABLE answers (assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,"
  "  question_id TEXT NOT NULL, answer TEXT NOT NULL, updated_at INTEGER NOT NULL,"
  "  PRIMARY KEY (assessment_id, question_id));"
  "PRAGMA user_version = 1;";

static void
test_upgrade (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(DlgStore) store = NULL;
  g_autoptr(DlgAssessment) a = NULL;
  g_autoptr(DlgActionPlan) plan = NULL;
  g_autoptr(GHashTable) unconfirmed = NULL;
  g_autoptr(DlgAssessmentInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  GBytes *bytes = dlg_questionnaire_get_bytes (f->q);
  sqlite3_stmt *stmt;
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, v1_schema, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO questionnaires VALUES (?, 'org.example.scoring', '1', ?, 1, 0)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, dlg_questionnaire_get_checksum (f->q), -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 2, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO assessments VALUES ('old', ?, 'Old', '2024', NULL, 0, 0, 0, 0,"
                                       " NULL, 5, NULL, 0)", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, dlg_questionnaire_get_checksum (f->q), -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO answers VALUES ('old', 'b1', '{\"value\":\"yes\"}', 0)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = open_store (f);
  g_assert_cmpint (dlg_store_get_schema_version (store), ==, 3);
  g_assert_true (dlg_store_check_integrity (store, &error));

  a = dlg_store_load_assessment (store, "old", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dlg_assessment_get_answer (a, "b1")->string, ==, "yes");
  info = dlg_store_get_assessment_info (store, "old", &error);
  g_assert_null (info->previous_id);
  unconfirmed = dlg_store_list_unconfirmed (store, "old", &error);
  g_assert_cmpuint (g_hash_table_size (unconfirmed), ==, 0);
  plan = dlg_store_load_action_plan (store, "old", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dlg_action_plan_get_n_actions (plan), ==, 0);
  g_assert_cmpstr (dlg_action_plan_get_questionnaire_id (plan), ==, "org.example.scoring");

  /* And the old assessment goes on to a new period. */
  next = dlg_store_start_next_period (store, "old", NULL, "New", "2025", NULL, &error);
  g_assert_no_error (error);

  /* Deleting the older period for good leaves the newer one whole. */
  g_assert_true (dlg_store_trash_assessment (store, "old", &error));
  g_assert_true (dlg_store_purge_trash (store, &error));
  g_clear_pointer (&info, dlg_assessment_info_free);
  info = dlg_store_get_assessment_info (store, next, &error);
  g_assert_no_error (error);
  g_assert_null (info->previous_id);
}

/* ------------------------------------------------------------------------ */
/* diligence-tool                                                           */
/* ------------------------------------------------------------------------ */

typedef struct
{
  int   status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *r)
{
  g_free (r->out);
  g_free (r->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static void
run (Result             *r,
     const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  const char *tool = g_getenv ("DILIGENCE_TOOL");

  g_assert_nonnull (tool);
  g_ptr_array_add (argv, (gpointer) tool);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  r->status = g_subprocess_get_exit_status (proc);
  g_test_message ("status %d\nstdout: %s\nstderr: %s", r->status, r->out, r->err);
}

static void
test_tool (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(DlgStore) store = open_store (f);
  g_autofree char *first = first_period (f, store);
  g_autofree char *prefix = g_strndup (first, 8);
  g_autofree char *out_path = g_build_filename (f->dir, "open.csv", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "none.sqlite", NULL);
  g_autofree char *written = NULL;
  g_autoptr(DlgActionPlan) plan = NULL;
  g_autoptr(DlgActionPlan) from_json = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDate) today = date ("2026-01-15");
  g_auto(Result) list = { 0 };
  g_auto(Result) csv = { 0 };
  g_auto(Result) open_only = { 0 };
  g_auto(Result) json = { 0 };
  g_auto(Result) progress = { 0 };
  g_auto(Result) unknown = { 0 };
  g_auto(Result) no_store = { 0 };
  g_auto(Result) bad_format = { 0 };
  g_auto(Result) help = { 0 };
  g_autofree char *expected = NULL;

  plan = dlg_store_load_action_plan (store, first, &error);
  g_assert_no_error (error);

  run (&list, (const char *[]) { "assessments", "--store", f->path, NULL });
  g_assert_cmpint (list.status, ==, 0);
  g_assert_true (g_str_has_prefix (list.out, first));
  g_assert_nonnull (strstr (list.out, "\t2025\torg.example.scoring\t1\tred\t"));

  /* The CSV is exactly what the app exports, byte for byte. */
  run (&csv, (const char *[]) { "actions", "export", "--store", f->path, "--today", "2026-01-15", prefix, NULL });
  g_assert_cmpint (csv.status, ==, 0);
  expected = dlg_action_plan_to_csv (plan, f->q, "en", today, DLG_PLAN_CSV_NONE, NULL);
  g_assert_cmpstr (csv.out, ==, expected);

  run (&open_only, (const char *[]) { "actions", "export", "--store", f->path, "--open-only", "--bom",
                                      "-o", out_path, first, NULL });
  g_assert_cmpint (open_only.status, ==, 0);
  g_assert_cmpstr (open_only.out, ==, "");
  g_assert_true (g_file_get_contents (out_path, &written, NULL, NULL));
  g_assert_true (g_str_has_prefix (written, "\xef\xbb\xbf"));
  records = dlg_csv_parse (written, strlen (written), NULL, NULL);
  g_assert_cmpuint (records->len, ==, 1 + 4);

  run (&json, (const char *[]) { "actions", "export", "--format", "json", "--store", f->path, first, NULL });
  g_assert_cmpint (json.status, ==, 0);
  from_json = dlg_action_plan_new_from_data (json.out, strlen (json.out), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dlg_action_plan_get_n_actions (from_json), ==, dlg_action_plan_get_n_actions (plan));

  run (&progress, (const char *[]) { "progress", "--json", "--store", f->path, "--today", "2026-01-15", first, NULL });
  g_assert_cmpint (progress.status, ==, 0);
  g_assert_nonnull (strstr (progress.out, "\"overdue\" : 4"));

  run (&unknown, (const char *[]) { "actions", "export", "--store", f->path, "ffffffff", NULL });
  g_assert_cmpint (unknown.status, ==, 1);
  g_assert_nonnull (strstr (unknown.err, "no such assessment"));

  /* A path without data is reported, and not created. */
  run (&no_store, (const char *[]) { "assessments", "--store", missing, NULL });
  g_assert_cmpint (no_store.status, ==, 2);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

  run (&bad_format, (const char *[]) { "actions", "export", "--format", "xlsx", "--store", f->path, first, NULL });
  g_assert_cmpint (bad_format.status, ==, 2);

  run (&help, (const char *[]) { "actions", "export", "--help", NULL });
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "--store"));
  g_assert_nonnull (strstr (help.out, "--format"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/periods/plan-round-trip", test_plan_round_trip);
  ADD ("/periods/next-period", test_next_period);
  ADD ("/periods/next-period-new-version", test_next_period_new_version);
  ADD ("/periods/next-period-atomic", test_next_period_atomic);
  ADD ("/periods/progress", test_progress);
  ADD ("/periods/upgrade", test_upgrade);
  ADD ("/periods/tool", test_tool);

#undef ADD

  return g_test_run ();
}
