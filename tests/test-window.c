/* test-window.c - the real application, on a real display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Walks the path of a new user: the first run asks for the profile; a
 * questionnaire is imported and an assessment started; answering a question
 * updates its section's level and is saved without a Save button; the
 * application quits and starts again, and the answer is still there.
 *
 * Then the red finding becomes an action plan submitted for approval, goes
 * to a spreadsheet and back, and into next year's assessment, whose answers
 * are to confirm and whose progress shows both years.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "dlg-action-editor.h"
#include "dlg-action-plan-page.h"
#include "dlg-application.h"
#include "dlg-core.h"
#include "dlg-progress-page.h"
#include "dlg-question-row.h"
#include "dlg-new-assessment-window.h"
#include "dlg-profile-editor.h"
#include "dlg-welcome-page.h"
#include "dlg-window.h"
#include "window-test-util.h"

static char *assessment_id;

/* Counts the check buttons and switches under @widget, failing on any with
 * two names: an accessible label and a labelled-by relation, which GTK 4.8
 * reads one after the other ("Supplier Supplier"). */
static guint
assert_one_name (GtkWidget *widget)
{
  guint n = 0;

  if (GTK_IS_CHECK_BUTTON (widget) || GTK_IS_SWITCH (widget))
    {
      gboolean labelled = gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                                            GTK_ACCESSIBLE_PROPERTY_LABEL);
      gboolean labelled_by = gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget),
                                                               GTK_ACCESSIBLE_RELATION_LABELLED_BY);

      if (labelled && labelled_by)
        g_error ("A %s is named twice, by a label and by another widget", G_OBJECT_TYPE_NAME (widget));
      g_assert_true (labelled || labelled_by || GTK_IS_CHECK_BUTTON (widget));
      n++;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += assert_one_name (child);
  return n;
}

static void
first_run_step (DlgApplication *app,
                DlgWindow      *window)
{
  DlgWelcomePage *welcome;
  DlgProfileEditor *editor;
  DlgProfile profile = { 0 };

  g_assert_nonnull (dlg_application_get_store (app));
  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "welcome");

  welcome = DLG_WELCOME_PAGE (find_descendant (GTK_WIDGET (window), DLG_TYPE_WELCOME_PAGE));
  editor = DLG_PROFILE_EDITOR (find_descendant (GTK_WIDGET (welcome), DLG_TYPE_PROFILE_EDITOR));
  g_assert_false (dlg_profile_editor_is_valid (editor));

  /* The roles' check buttons: each named once, by its row. */
  g_assert_cmpuint (assert_one_name (GTK_WIDGET (editor)), ==, 3);

  profile.name = (char *) "Example Supplies SA";
  profile.country = (char *) "BE";
  profile.roles = DLG_ROLE_SUPPLIER;
  dlg_profile_editor_set_profile (editor, &profile);
  g_assert_true (dlg_profile_editor_is_valid (editor));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (welcome), "welcome.continue", NULL));

  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "home");
}

static gboolean
new_assessment_shown (gpointer data)
{
  return find_toplevel (DLG_TYPE_NEW_ASSESSMENT_WINDOW) != NULL;
}

static gboolean
assessment_shown (gpointer data)
{
  return g_strcmp0 (dlg_window_get_visible_page (data), "assessment") == 0;
}

static gboolean
answer_stored (gpointer data)
{
  g_autoptr(DlgAssessment) stored = NULL;
  const DlgAnswer *answer;

  stored = dlg_store_load_assessment (dlg_application_get_store (data), assessment_id, NULL);
  if (stored == NULL)
    return FALSE;
  answer = dlg_assessment_get_answer (stored, "b1");
  return answer != NULL && answer->has_value && answer->comment != NULL;
}

static void
answer_step (DlgApplication *app,
             DlgWindow      *window)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "valid", "scoring.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(DlgAssessment) stored = NULL;
  g_autoptr(GError) error = NULL;
  DlgAssessmentPage *page;
  DlgAssessment *assessment;
  DlgEvaluation *ev;
  GtkWindow *dialog;
  DlgQuestionnaire *q;
  const DlgAnswer *answer;

  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "home");

  /* Importing a questionnaire offers to start an assessment of it. */
  dlg_window_import_file (window, file);
  g_assert_true (wait_until (new_assessment_shown, NULL));
  dialog = find_toplevel (DLG_TYPE_NEW_ASSESSMENT_WINDOW);
  g_assert_nonnull (dialog);
  g_assert_nonnull (gtk_window_get_default_widget (dialog));
  g_assert_true (gtk_widget_get_sensitive (gtk_window_get_default_widget (dialog)));
  g_signal_emit_by_name (gtk_window_get_default_widget (dialog), "clicked");
  g_assert_true (wait_until (assessment_shown, window));

  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "assessment");
  assessment_id = g_strdup (dlg_window_get_assessment_id (window));
  g_assert_nonnull (assessment_id);

  page = dlg_window_get_assessment_page (window);
  assessment = dlg_assessment_page_get_assessment (page);
  q = dlg_assessment_get_questionnaire (assessment);
  g_assert_cmpstr (dlg_questionnaire_get_id (q), ==, "org.example.scoring");

  /* A critical red answer turns its section red at once. */
  ev = dlg_assessment_page_get_evaluation (page);
  g_assert_cmpint (ev->sections[1].level, ==, DLG_LEVEL_INCOMPLETE);
  g_assert_true (dlg_assessment_set_choice (assessment, "b1", "yes", &error));
  g_assert_no_error (error);
  ev = dlg_assessment_page_get_evaluation (page);
  g_assert_cmpint (ev->sections[1].level, ==, DLG_LEVEL_RED);
  g_assert_true (dlg_assessment_set_comment (assessment, "b1", "Found at one site in March", &error));

  /* Saved by the debounce alone, without asking: nothing here flushes. */
  g_assert_true (wait_until (answer_stored, app));
  stored = dlg_store_load_assessment (dlg_application_get_store (app), assessment_id, &error);
  g_assert_no_error (error);
  answer = dlg_assessment_get_answer (stored, "b1");
  g_assert_nonnull (answer);
  g_assert_cmpstr (answer->string, ==, "yes");
  g_assert_cmpstr (answer->comment, ==, "Found at one site in March");
}

static void
restart_step (DlgApplication *app,
              DlgWindow      *window)
{
  DlgAssessmentPage *page;
  DlgAssessment *assessment;
  const DlgAnswer *answer;

  /* The profile is known: straight to the list. */
  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "home");

  dlg_window_open_assessment (window, assessment_id);
  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "assessment");

  page = dlg_window_get_assessment_page (window);
  assessment = dlg_assessment_page_get_assessment (page);
  answer = dlg_assessment_get_answer (assessment, "b1");
  g_assert_nonnull (answer);
  g_assert_cmpstr (answer->string, ==, "yes");
  g_assert_cmpstr (answer->comment, ==, "Found at one site in March");
  g_assert_cmpint (dlg_assessment_page_get_evaluation (page)->level, ==, DLG_LEVEL_RED);

  /* Keyboard navigation between sections works from the page. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "page.next-section", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "page.next-unanswered", NULL));
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

/* Answers the message dialog on screen, as a click on @response would. */
static void
respond (const char *response)
{
  GtkWindow *dialog;

  g_assert_true (wait_until (message_dialog_shown, NULL));
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), response));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_destroy (dialog);
}

static DlgAction *
action_for (DlgActionPlan *plan,
            const char    *question_id)
{
  for (guint i = 0; i < dlg_action_plan_get_n_actions (plan); i++)
    if (dlg_action_answers_finding (dlg_action_plan_get_action (plan, i), question_id))
      return dlg_action_plan_get_action (plan, i);
  return NULL;
}

static gboolean
plan_stored_as_submitted (gpointer data)
{
  g_autoptr(DlgActionPlan) stored = dlg_store_load_action_plan (dlg_application_get_store (data), assessment_id, NULL);

  return stored != NULL && dlg_action_plan_get_review_state (stored) == DLG_REVIEW_SUBMITTED;
}

static gboolean
plan_stored_in_progress (gpointer data)
{
  g_autoptr(DlgActionPlan) stored = dlg_store_load_action_plan (dlg_application_get_store (data), assessment_id, NULL);
  DlgAction *action = stored ? action_for (stored, "b1") : NULL;

  return action != NULL && dlg_action_get_status (action) == DLG_ACTION_STATUS_IN_PROGRESS &&
         dlg_action_get_notes (action)->len == 1;
}

static gboolean
progress_shown (gpointer data)
{
  DlgProgressPage *page = data;

  return dlg_progress_page_get_periods (page) != NULL && dlg_progress_page_get_periods (page)->len == 2;
}

static gboolean
done_suggested (gpointer data)
{
  return g_strcmp0 (dlg_action_plan_page_get_done_finding (data), "b1") == 0;
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  return find_descendant (widget, type);
}

static void
action_plan_step (DlgApplication *app,
                  DlgWindow      *window)
{
  g_autofree char *dir = g_dir_make_tmp ("dlg-window-csv-XXXXXX", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "plan.csv", NULL);
  g_autoptr(GFile) csv_file = g_file_new_for_path (csv_path);
  g_autofree char *csv = NULL;
  g_autoptr(GString) edited = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *action_id = NULL;
  DlgLevel level;
  DlgAssessmentPage *page;
  DlgActionPlanPage *plan_page;
  DlgActionPlan *plan;
  DlgAction *action;
  GtkWidget *editor;

  dlg_window_open_assessment (window, assessment_id);
  page = dlg_window_get_assessment_page (window);
  plan_page = dlg_assessment_page_get_action_plan_page (page);
  dlg_assessment_page_show_page (page, "actions");
  g_assert_cmpstr (dlg_assessment_page_get_visible_page (page), ==, "actions");

  /* The critical red answer was proposed an action of priority. */
  plan = dlg_window_get_action_plan (window);
  g_assert_nonnull (plan);
  action = action_for (plan, "b1");
  g_assert_nonnull (action);
  g_assert_cmpint (dlg_action_get_disposition (action), ==, DLG_DISPOSITION_PROPOSED);
  g_assert_cmpint (dlg_action_get_priority (action), ==, DLG_PRIORITY_PRIORITY);

  /* Accept it and fill it in, in the editor. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (plan_page), "plan.accept", "s", dlg_action_get_id (action)));
  g_assert_cmpint (dlg_action_get_disposition (action), ==, DLG_DISPOSITION_ACCEPTED);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (plan_page), "plan.edit", "s", dlg_action_get_id (action)));
  editor = dlg_action_plan_page_get_editor (plan_page);
  g_assert_nonnull (editor);
  g_assert_true (dlg_action_editor_get_action (DLG_ACTION_EDITOR (editor)) == action);
  g_assert_true (dlg_action_set_field (action, DLG_ACTION_FIELD_CORRECTIVE_ACTION, "Return every passport", &error));
  g_assert_true (dlg_action_set_field (action, DLG_ACTION_FIELD_OWNER_NAME, "An Peeters", &error));
  g_assert_true (dlg_action_set_field (action, DLG_ACTION_FIELD_DUE_DATE, "2030-06-30", &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (editor));

  /* Every other proposal is dismissed, each with its reason. */
  for (guint i = 0; i < dlg_action_plan_get_n_actions (plan); i++)
    {
      DlgAction *other = dlg_action_plan_get_action (plan, i);
      GtkWindow *dialog;
      GtkWidget *entry;

      if (dlg_action_get_disposition (other) != DLG_DISPOSITION_PROPOSED)
        continue;
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (plan_page), "plan.dismiss", "s", dlg_action_get_id (other)));
      g_assert_true (wait_until (message_dialog_shown, NULL));
      dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
      g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "dismiss"));
      entry = find_widget (GTK_WIDGET (dialog), GTK_TYPE_ENTRY);
      gtk_editable_set_text (GTK_EDITABLE (entry), "Not applicable to our sites");
      respond ("dismiss");
      g_assert_cmpint (dlg_action_get_disposition (other), ==, DLG_DISPOSITION_DISMISSED);
    }

  /* Submitted for approval, and saved without a Save button. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (plan_page), "plan.submit", NULL));
  g_assert_cmpint (dlg_action_plan_get_review_state (plan), ==, DLG_REVIEW_SUBMITTED);
  g_assert_true (wait_until (plan_stored_as_submitted, app));

  /* To a spreadsheet and back: progress is taken while the plan waits. */
  g_assert_true (dlg_window_export_action_plan (window, csv_file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  edited = g_string_new (csv);
  g_assert_cmpuint (g_string_replace (edited, ",not_started,", ",In progress,", 0), ==, 1);
  g_assert_true (g_str_has_suffix (edited->str, ",\r\n"));
  g_string_truncate (edited, edited->len - 2);
  g_string_append (edited, "\"Met the agency, \"\"all\"\" documents\nreturned\"\r\n");
  g_assert_true (g_file_set_contents (csv_path, edited->str, -1, &error));
  dlg_window_import_action_plan (window, csv_file);
  respond ("import");
  g_assert_cmpint (dlg_action_get_status (action), ==, DLG_ACTION_STATUS_IN_PROGRESS);
  g_assert_true (wait_until (plan_stored_in_progress, app));
  g_unlink (csv_path);
  g_rmdir (dir);

  /* Next year: the answers are to confirm, the open action comes along.
   * This year's plan is closed with its assessment. */
  action_id = g_strdup (dlg_action_get_id (action));
  action = NULL;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.start-next-period", NULL));
  respond ("start");
  g_assert_cmpstr (dlg_window_get_assessment_id (window), !=, assessment_id);
  g_assert_true (dlg_assessment_page_is_unconfirmed (page, "b1"));
  plan = dlg_window_get_action_plan (window);
  g_assert_cmpuint (dlg_action_plan_get_n_actions (plan), >=, 1);
  g_assert_cmpstr (dlg_action_get_carried_from (action_for (plan, "b1")), ==, action_id);

  /* Confirming one answer clears its mark, in the store too. */
  dlg_assessment_page_show_question (page, dlg_questionnaire_lookup_question (
                                       dlg_assessment_get_questionnaire (dlg_assessment_page_get_assessment (page)), "b1"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "page.confirm-section", NULL));
  g_assert_false (dlg_assessment_page_is_unconfirmed (page, "b1"));
  {
    g_autoptr(GHashTable) unconfirmed = dlg_store_list_unconfirmed (dlg_application_get_store (app),
                                                                    dlg_window_get_assessment_id (window), &error);
    g_assert_false (g_hash_table_contains (unconfirmed, "b1"));
  }

  /* The trend: both years, in the chart and the table. */
  dlg_assessment_page_show_page (page, "progress");
  g_assert_true (wait_until (progress_shown, find_widget (GTK_WIDGET (page), DLG_TYPE_PROGRESS_PAGE)));

  /* Done: the score stays, and the page offers the answer to review. */
  dlg_assessment_page_show_page (page, "actions");
  level = dlg_assessment_page_get_evaluation (page)->level;
  g_assert_true (dlg_action_set_status (action_for (plan, "b1"), DLG_ACTION_STATUS_DONE, &error));
  g_assert_true (wait_until (done_suggested, plan_page));
  g_assert_cmpint (dlg_assessment_page_get_evaluation (page)->level, ==, level);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (plan_page), "plan.show-done-finding", NULL));
  g_assert_cmpstr (dlg_assessment_page_get_visible_page (page), ==, "questions");
}

static void
test_window_new_user (void)
{
  run_app (first_run_step);
  run_app (answer_step);
  run_app (restart_step);
  run_app (action_plan_step);
  g_clear_pointer (&assessment_id, g_free);
}

/* The visible button that activates @action, or %NULL. */
static GtkWidget *
find_action_button (GtkWidget  *widget,
                    const char *action)
{
  if (!gtk_widget_get_visible (widget))
    return NULL;
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
damaged_step (DlgApplication *app,
              DlgWindow      *window)
{
  g_autofree char *path = g_build_filename (dlg_application_get_data_dir (app), "diligence.sqlite", NULL);
  g_autoptr(GDir) dir = NULL;
  const char *name;
  gboolean kept = FALSE;

  /* The damaged file is reported, and only then can it be set aside.
   * There is no copy to restore, so none is offered. */
  g_assert_null (dlg_application_get_store (app));
  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "error");
  g_assert_null (find_action_button (GTK_WIDGET (window), "win.restore-backup"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.set-damaged-data-aside", NULL));

  dlg_window_set_damaged_data_aside (window);
  g_assert_nonnull (dlg_application_get_store (app));
  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "welcome");

  /* Nothing was deleted: the damaged bytes are still there, renamed. */
  dir = g_dir_open (dlg_application_get_data_dir (app), 0, NULL);
  while (dir && (name = g_dir_read_name (dir)))
    if (g_str_has_prefix (name, "diligence.sqlite.damaged-") && !g_str_has_suffix (name, "-wal") &&
        !g_str_has_suffix (name, "-shm"))
      {
        g_autofree char *aside = g_build_filename (dlg_application_get_data_dir (app), name, NULL);
        g_autofree char *contents = NULL;

        g_assert_true (g_file_get_contents (aside, &contents, NULL, NULL));
        g_assert_cmpstr (contents, ==, "damaged beyond repair");
        kept = TRUE;
        g_unlink (aside);
      }
  g_assert_true (kept);
  g_unlink (path);
}

/* A data file that is not a database: the window says so and offers to set
 * it aside, keeping it, and to start with empty data. */
static void
test_window_damaged_data (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), APP_ID, NULL);
  g_autofree char *path = g_build_filename (dir, "diligence.sqlite", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "damaged beyond repair", -1, NULL));
  run_app (damaged_step);
}

/* A long section: the list shows the rows that fit first and all of them
 * a frame later; comments and guidance are made only when needed, and
 * still show and save what they should. */
static GtkWidget *
find_row_for (GtkWidget  *widget,
              const char *question_id)
{
  if (DLG_IS_QUESTION_ROW (widget))
    {
      const DlgQuestion *q = dlg_question_row_get_question (DLG_QUESTION_ROW (widget));

      return q != NULL && strcmp (q->id, question_id) == 0 ? widget : NULL;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row_for (child, question_id);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
whole_section_listed (gpointer data)
{
  GtkWidget *grid = find_descendant (data, GTK_TYPE_GRID_VIEW);

  return grid != NULL &&
         g_list_model_get_n_items (G_LIST_MODEL (gtk_grid_view_get_model (GTK_GRID_VIEW (grid)))) == 40;
}

typedef struct {
  GtkWidget  *page;
  const char *id;
} RowQuery;

static gboolean
row_shown (gpointer data)
{
  RowQuery *query = data;

  return find_row_for (query->page, query->id) != NULL;
}

static gboolean
comment_saved (gpointer data)
{
  const DlgAnswer *answer = dlg_assessment_get_answer (data, "q2");

  return answer != NULL && g_strcmp0 (answer->comment, "Checked on site") == 0;
}

static void
test_window_long_section (void)
{
  g_autoptr(GString) json = g_string_new ("{\"format\":\"diligence-questionnaire/1\",\"id\":\"test.long\","
                                          "\"version\":\"1\",\"kind\":\"custom\",\"default_language\":\"en\","
                                          "\"languages\":[\"en\"],\"title\":\"Long\",\"publisher\":\"Test\","
                                          "\"sections\":[{\"id\":\"s\",\"title\":\"Everything\",\"questions\":[");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(DlgQuestionnaire) q = NULL;
  g_autoptr(DlgAssessment) assessment = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = dlg_assessment_page_new ();
  GtkWidget *row, *expander, *view;
  RowQuery query = { page, "q1" };
  GtkTextBuffer *buffer;

  for (guint i = 0; i < 40; i++)
    g_string_append_printf (json, "%s{\"id\":\"q%u\",\"type\":\"yes_no\",\"text\":\"Question %u?\","
                                  "\"guidance\":\"Guidance for %u.\",\"options\":["
                                  "{\"id\":\"yes\",\"label\":\"Yes\",\"level\":\"green\"},"
                                  "{\"id\":\"no\",\"label\":\"No\",\"level\":\"red\"}]}",
                            i ? "," : "", i, i, i);
  g_string_append (json, "]}]}");
  bytes = g_bytes_new (json->str, json->len);
  q = dlg_questionnaire_new_from_bytes (bytes, NULL, &error);
  g_assert_no_error (error);
  assessment = dlg_assessment_new (q);
  g_assert_true (dlg_assessment_set_comment (assessment, "q1", "Seen in the 2025 audit", &error));
  g_assert_no_error (error);

  dlg_assessment_page_set_assessment (DLG_ASSESSMENT_PAGE (page), assessment, FALSE, "Long");
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 680);
  gtk_window_present (GTK_WINDOW (window));

  g_assert_true (wait_until (whole_section_listed, page));
  g_assert_true (wait_until (row_shown, &query));

  /* A stored comment is shown in an open comment field. */
  row = find_row_for (page, "q1");
  expander = find_descendant (row, GTK_TYPE_EXPANDER);
  g_assert_nonnull (expander);
  view = find_descendant (row, GTK_TYPE_TEXT_VIEW);
  g_assert_nonnull (view);
  {
    GtkTextIter start, end;
    g_autofree char *text = NULL;

    buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
    gtk_text_buffer_get_bounds (buffer, &start, &end);
    text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (text, ==, "Seen in the 2025 audit");
  }

  /* Without a comment there is no field until the user opens it; what
   * they type then goes to the assessment. */
  query.id = "q2";
  g_assert_true (wait_until (row_shown, &query));
  row = find_row_for (page, "q2");
  g_assert_null (find_descendant (row, GTK_TYPE_TEXT_VIEW));
  for (expander = gtk_widget_get_first_child (row); expander != NULL; expander = gtk_widget_get_next_sibling (expander))
    if (GTK_IS_EXPANDER (expander) && g_strcmp0 (gtk_expander_get_label (GTK_EXPANDER (expander)), "Comment") == 0)
      break;
  g_assert_nonnull (expander);
  gtk_expander_set_expanded (GTK_EXPANDER (expander), TRUE);
  view = find_descendant (row, GTK_TYPE_TEXT_VIEW);
  g_assert_nonnull (view);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), "Checked on site", -1);
  g_assert_true (wait_until (comment_saved, assessment));
  g_assert_cmpstr (dlg_assessment_get_answer (assessment, "q1")->comment, ==, "Seen in the 2025 audit");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
remove_data (void)
{
  g_autofree char *dir_path = g_build_filename (g_get_user_data_dir (), APP_ID, NULL);
  g_autofree char *backups_path = g_build_filename (dir_path, "backups", NULL);
  const char *paths[] = { dir_path, backups_path };

  for (guint i = G_N_ELEMENTS (paths); i-- > 0; )
    {
      g_autoptr(GDir) dir = g_dir_open (paths[i], 0, NULL);
      const char *name;

      while (dir && (name = g_dir_read_name (dir)))
        {
          g_autofree char *path = g_build_filename (paths[i], name, NULL);

          if (!g_file_test (path, G_FILE_TEST_IS_DIR))
            g_unlink (path);
        }
    }
  g_rmdir (backups_path);
}

static DlgStoreBackup *restored_backup;

static void
restore_step (DlgApplication *app,
              DlgWindow      *window)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (restored_backup->made_at);
  g_autofree char *date = g_date_time_format (local, "%x %H:%M");
  g_autoptr(DlgProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  GtkWidget *button;
  GtkWindow *dialog;
  const char *body;
  const char *aside;
  const char *end;

  /* The error page offers the copy, by its date, before setting aside. */
  g_assert_null (dlg_application_get_store (app));
  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "error");
  button = find_action_button (GTK_WIDGET (window), "win.restore-backup");
  g_assert_nonnull (button);
  g_assert_nonnull (strstr (gtk_button_get_label (GTK_BUTTON (button)), date));
  g_assert_nonnull (find_action_button (GTK_WIDGET (window), "win.set-damaged-data-aside"));

  /* It asks first, saying what is lost. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.restore-backup", NULL));
  g_assert_true (wait_until (message_dialog_shown, NULL));
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), date));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "Changes made after that are lost"));
  respond ("restore");

  /* The data is back as it was when copied. */
  g_assert_nonnull (dlg_application_get_store (app));
  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "home");
  profile = dlg_store_load_profile (dlg_application_get_store (app), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (profile->name, ==, "Copied Supplies SA");
  g_assert_true (dlg_store_check_integrity (dlg_application_get_store (app), &error));
  g_assert_no_error (error);

  /* Then it says so, with the date and where the damaged file is kept. */
  g_assert_true (wait_until (message_dialog_shown, NULL));
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog));
  g_assert_nonnull (strstr (body, date));
  aside = strstr (body, "kept as ");
  g_assert_nonnull (aside);
  aside += strlen ("kept as ");
  end = strrchr (aside, '.');
  {
    g_autofree char *path = g_strndup (aside, end - aside);

    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "damaged beyond repair");
  }
  respond ("close");
}

/* A damaged data file with a last good copy: the window offers to restore
 * it, and does, keeping the damaged file. */
static void
test_window_restore_backup (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), APP_ID, NULL);
  g_autofree char *path = g_build_filename (dir, "diligence.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  DlgProfile profile = { .name = (char *) "Copied Supplies SA", .roles = DLG_ROLE_SUPPLIER };

  remove_data ();
  {
    g_autoptr(DlgStore) store = dlg_store_open (path, &error);

    g_assert_no_error (error);
    g_assert_true (dlg_store_save_profile (store, &profile, &error));
    restored_backup = dlg_store_backup (store, NULL, &error);
    g_assert_no_error (error);
    /* Saved after the copy, so lost with the damaged file. */
    profile.name = (char *) "Later Supplies SA";
    g_assert_true (dlg_store_save_profile (store, &profile, &error));
  }
  g_assert_true (g_file_set_contents (path, "damaged beyond repair", -1, NULL));

  run_app (restore_step);

  g_clear_pointer (&restored_backup, dlg_store_backup_free);
  remove_data ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = g_dir_make_tmp ("dlg-window-XXXXXX", NULL);
  g_autofree char *data = g_build_filename (home, "data", NULL);
  g_autofree char *cache = g_build_filename (home, "cache", NULL);

  /* A new user: nothing stored yet. GLib reads these once, so set them
   * before anything asks. */
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  /* Accessible names are recorded, for the tests to read, only by GTK's
   * test context; "none" keeps nothing. */
  g_setenv ("GTK_A11Y", "test", TRUE);

  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/window/damaged-data", test_window_damaged_data);
  g_test_add_func ("/window/restore-backup", test_window_restore_backup);
  g_test_add_func ("/window/new-user", test_window_new_user);
  g_test_add_func ("/window/long-section", test_window_long_section);

  return g_test_run ();
}
