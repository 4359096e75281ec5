/* test-window-damage.c - the window when the data file is damaged or lost
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real application, on a real display. The data file is damaged
 * behind the running window while an assessment is open, and an answer is
 * changed: the save meets the damage, the window shows what happened in
 * words and offers the last good copy; restoring it brings the copy back
 * with the open assessment as the user left it. And a data file found
 * missing at start-up while a copy holds data is not silently replaced by
 * an empty one: the window offers the copy.
 */

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "dlg-application.h"
#include "dlg-assessment-page.h"
#include "dlg-core.h"
#include "dlg-store-private.h"
#include "dlg-window.h"
#include "window-test-util.h"
#include "test-util.h"

/* What the data was made with, for the steps to check. */
static char           *assessment_id;
static char           *question_id;
static char           *first_option;
static char           *second_option;
static DlgStoreBackup *copy;

static gboolean
message_dialog_shown (gpointer data)
{
  return find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

/* Answers the message dialog on screen, as a click on @response would,
 * and returns its body. */
static char *
respond (const char *response)
{
  GtkWindow *dialog;
  char *body;

  g_assert_true (wait_until (message_dialog_shown, NULL));
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  body = g_strdup (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)));
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), response));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_destroy (dialog);
  return body;
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

static char *
data_path (void)
{
  return g_build_filename (g_get_user_data_dir (), APP_ID, "diligence.sqlite", NULL);
}

static void
remove_data (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), APP_ID, NULL);

  remove_tree (dir);
  g_clear_pointer (&assessment_id, g_free);
  g_clear_pointer (&question_id, g_free);
  g_clear_pointer (&first_option, g_free);
  g_clear_pointer (&second_option, g_free);
  g_clear_pointer (&copy, dlg_store_backup_free);
}

/* A profile and an assessment with its first question answered, enough
 * assessments besides to fill many pages, and a last good copy of it all.
 * The profile is renamed after the copy, so that what came after the copy
 * can be told apart. */
static void
make_data (void)
{
  g_autofree char *path = data_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) builtin = dlg_builtin_load_questionnaires (&error);
  g_autoptr(DlgStore) store = NULL;
  g_autoptr(DlgAssessment) a = NULL;
  DlgProfile profile = { .name = (char *) "Copied Supplies SA", .roles = DLG_ROLE_SUPPLIER };
  DlgQuestionnaire *q;
  DlgQuestion *question = NULL;
  g_autofree char *comment = g_strnfill (2000, 'c');

  g_assert_no_error (error);
  q = g_ptr_array_index (builtin, 0);
  for (guint i = 0; question == NULL && i < dlg_questionnaire_get_n_questions (q); i++)
    if (dlg_question_is_choice (dlg_questionnaire_get_question (q, i)) &&
        dlg_questionnaire_get_question (q, i)->options->len >= 2)
      question = dlg_questionnaire_get_question (q, i);
  g_assert_nonnull (question);
  question_id = g_strdup (question->id);
  first_option = g_strdup (((DlgOption *) g_ptr_array_index (question->options, 0))->id);
  second_option = g_strdup (((DlgOption *) g_ptr_array_index (question->options, 1))->id);

  store = dlg_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (dlg_store_save_profile (store, &profile, &error));
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *id = dlg_store_create_assessment (store, q, i == 0 ? "Open One" : "Filling",
                                                         "2026", NULL, FALSE, &error);

      g_assert_no_error (error);
      g_clear_object (&a);
      a = dlg_assessment_new (q);
      g_assert_true (dlg_assessment_set_choice (a, question_id, first_option, NULL));
      g_assert_true (dlg_assessment_set_comment (a, question_id, comment, NULL));
      g_assert_true (dlg_store_save_answer (store, id, a, question_id, &error));
      g_assert_no_error (error);
      if (i == 0)
        assessment_id = g_steal_pointer (&id);
    }
  copy = dlg_store_backup (store, NULL, &error);
  g_assert_no_error (error);
  profile.name = (char *) "Later Supplies SA";
  g_assert_true (dlg_store_save_profile (store, &profile, &error));
}

/* Every page but the first overwritten in place behind the open store, and
 * the pages it had read dropped from its cache. */
static void
damage_pages (DlgStore *store)
{
  g_autofree char *garbage = g_malloc (4096);
  GStatBuf st;
  int fd;

  g_assert_cmpint (g_stat (dlg_store_get_path (store), &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 3 * 4096);
  memset (garbage, 0xa5, 4096);
  fd = g_open (dlg_store_get_path (store), O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  for (goffset at = 4096; at < st.st_size; at += 4096)
    g_assert_cmpint (pwrite (fd, garbage, 4096, at), ==, 4096);
  g_assert_cmpint (close (fd), ==, 0);
  sqlite3_db_release_memory (dlg_store_get_db (store));
}

static const char *
choice_of (DlgAssessment *assessment)
{
  const DlgAnswer *answer = dlg_assessment_get_answer (assessment, question_id);

  g_assert_nonnull (answer);
  g_assert_true (answer->has_value);
  if (answer->choices != NULL)
    {
      g_assert_cmpuint (answer->choices->len, >=, 1);
      return g_ptr_array_index (answer->choices, 0);
    }
  return answer->string;
}

static gboolean
error_page_shown (gpointer data)
{
  return g_strcmp0 (dlg_window_get_visible_page (data), "error") == 0;
}

/* The error page offers both ways out, each a named button that the
 * keyboard reaches, the copy by its date. */
static void
assert_recovery_offered (DlgWindow *window)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (copy->made_at);
  g_autofree char *date = g_date_time_format (local, "%x %H:%M");
  GtkWidget *restore = find_action_button (GTK_WIDGET (window), "win.restore-backup");
  GtkWidget *aside = find_action_button (GTK_WIDGET (window), "win.set-damaged-data-aside");

  g_assert_nonnull (restore);
  g_assert_nonnull (aside);
  g_assert_nonnull (strstr (gtk_button_get_label (GTK_BUTTON (restore)), date));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (aside)), !=, "");
  g_assert_true (gtk_widget_get_focusable (restore) && gtk_widget_is_sensitive (restore));
  g_assert_true (gtk_widget_get_focusable (aside) && gtk_widget_is_sensitive (aside));
}

static const char *
error_description (DlgWindow *window)
{
  GtkWidget *restore = find_action_button (GTK_WIDGET (window), "win.restore-backup");
  AdwStatusPage *page;

  /* The status page that holds the way out. */
  g_assert_nonnull (restore);
  page = ADW_STATUS_PAGE (gtk_widget_get_ancestor (restore, ADW_TYPE_STATUS_PAGE));
  g_assert_nonnull (page);
  return adw_status_page_get_description (page);
}

/* ------------------------------------------------------------------------ */

static void
damaged_in_use_step (DlgApplication *app,
                     DlgWindow      *window)
{
  DlgStore *store = dlg_application_get_store (app);
  g_autoptr(DlgStore) restored_ref = NULL;
  g_autoptr(DlgAssessment) stored = NULL;
  g_autoptr(DlgProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  DlgAssessment *assessment;
  GtkWidget *restore;
  DlgStore *restored;
  DlgWindow *other;
  const char *description;

  g_assert_nonnull (store);
  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "home");
  /* A second window, on the home page, sees the damage too. */
  other = dlg_window_new (app);
  gtk_window_present (GTK_WINDOW (other));
  dlg_window_open_assessment (window, assessment_id);
  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "assessment");
  assessment = dlg_assessment_page_get_assessment (dlg_window_get_assessment_page (window));
  g_assert_nonnull (assessment);

  /* The disk fails under the running window; then an answer changes. */
  damage_pages (store);
  g_assert_true (dlg_assessment_set_choice (assessment, question_id, second_option, NULL));

  /* The save meets the damage, and the window says so, in words. */
  g_assert_true (wait_until (error_page_shown, window));
  g_assert_true (wait_until (error_page_shown, other));
  g_assert_true (dlg_store_is_damaged (store));
  description = error_description (window);
  g_test_message ("%s", description);
  g_assert_nonnull (strstr (description, "damaged while you were working"));
  g_assert_nonnull (strstr (description, "changes are kept"));
  g_assert_null (strstr (description, "malformed"));
  assert_recovery_offered (window);
  /* The way out has the focus. */
  restore = find_action_button (GTK_WIDGET (window), "win.restore-backup");
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (window)) == restore);

  /* The change is kept in memory, and the page cannot be left for one
   * that would drop it. */
  g_assert_cmpstr (choice_of (assessment), ==, second_option);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-home", NULL);
  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "error");
  g_assert_false (dlg_window_flush (window));

  /* Restoring asks first, saying what is lost. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.restore-backup", NULL));
  g_clear_pointer (&body, g_free);
  body = respond ("restore");
  g_assert_nonnull (strstr (body, "Changes made after that are lost"));

  /* The copy is back, intact; what was saved after it is not... */
  restored = dlg_application_get_store (app);
  g_assert_nonnull (restored);
  restored_ref = g_object_ref (restored);
  g_assert_false (dlg_store_is_damaged (restored));
  g_assert_true (dlg_store_check_integrity (restored, &error));
  g_assert_no_error (error);
  profile = dlg_store_load_profile (restored, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (profile->name, ==, "Copied Supplies SA");

  /* ...but the assessment that was open is, as the user left it, open. */
  stored = dlg_store_load_assessment (restored, assessment_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (choice_of (stored), ==, second_option);
  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "assessment");
  g_assert_cmpstr (dlg_window_get_assessment_id (window), ==, assessment_id);
  g_clear_pointer (&body, g_free);
  body = respond ("close");
  g_assert_nonnull (strstr (body, "“Open One”, is kept as you left it"));

  /* Saving works again, into the restored store. */
  assessment = dlg_assessment_page_get_assessment (dlg_window_get_assessment_page (window));
  g_assert_true (dlg_assessment_set_choice (assessment, question_id, first_option, NULL));
  g_assert_true (dlg_window_flush (window));
  g_clear_object (&stored);
  stored = dlg_store_load_assessment (restored, assessment_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (choice_of (stored), ==, first_option);

  /* And the page can be left again. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-home", NULL);
  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "home");

  /* The other window's way out finds the data recovered already: it
   * shows it, and restores nothing a second time. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (other), "win.restore-backup", NULL));
  g_free (respond ("restore"));
  g_assert_true (dlg_application_get_store (app) == restored);
  g_assert_cmpstr (dlg_window_get_visible_page (other), ==, "home");
  g_assert_false (message_dialog_shown (NULL));
  gtk_window_destroy (GTK_WINDOW (other));
}

static void
test_damaged_in_use (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), APP_ID, NULL);
  guint n_damaged = 0;
  g_autoptr(GDir) listing = NULL;
  const char *name;

  remove_data ();
  make_data ();
  run_app (damaged_in_use_step);

  /* The damaged file was set aside, not deleted. */
  listing = g_dir_open (dir, 0, NULL);
  while (listing && (name = g_dir_read_name (listing)))
    n_damaged += g_str_has_prefix (name, "diligence.sqlite.damaged-") &&
                 !g_str_has_suffix (name, "-wal") && !g_str_has_suffix (name, "-shm");
  g_assert_cmpuint (n_damaged, >=, 1);
  remove_data ();
}

static void
missing_step (DlgApplication *app,
              DlgWindow      *window)
{
  g_autofree char *path = data_path ();
  g_autoptr(DlgProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  const char *description;

  /* Nothing was made in the place of the lost file: the user is asked. */
  g_assert_null (dlg_application_get_store (app));
  g_assert_error ((GError *) dlg_application_get_store_error (app), DLG_STORE_ERROR, DLG_STORE_ERROR_MISSING);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "error");
  description = error_description (window);
  g_test_message ("%s", description);
  g_assert_nonnull (strstr (description, "missing or empty"));
  assert_recovery_offered (window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.restore-backup", NULL));
  body = respond ("restore");
  g_assert_nonnull (strstr (body, "Changes made after that are lost"));

  g_assert_nonnull (dlg_application_get_store (app));
  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "home");
  profile = dlg_store_load_profile (dlg_application_get_store (app), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (profile->name, ==, "Copied Supplies SA");
  g_clear_pointer (&body, g_free);
  body = respond ("close");
}

/* The data file deleted between two runs (or emptied), with a copy that
 * holds data: offered, not silently started afresh. */
static void
test_missing_at_start (void)
{
  g_autofree char *path = data_path ();

  remove_data ();
  make_data ();
  g_assert_cmpint (g_unlink (path), ==, 0);
  run_app (missing_step);
  remove_data ();
}

static void
emptied_step (DlgApplication *app,
              DlgWindow      *window)
{
  g_assert_null (dlg_application_get_store (app));
  g_assert_error ((GError *) dlg_application_get_store_error (app), DLG_STORE_ERROR, DLG_STORE_ERROR_MISSING);
  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "error");
  assert_recovery_offered (window);

  /* Starting afresh instead is the user's choice, and keeps the copy. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.set-damaged-data-aside", NULL));
  g_free (respond ("cancel"));
  dlg_window_set_damaged_data_aside (window);
  g_assert_nonnull (dlg_application_get_store (app));
  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "welcome");
  g_assert_true (g_file_test (copy->path, G_FILE_TEST_IS_REGULAR));
}

static void
test_emptied_at_start (void)
{
  g_autofree char *path = data_path ();

  remove_data ();
  make_data ();
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  run_app (emptied_step);
  remove_data ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = g_dir_make_tmp ("dlg-window-damage-XXXXXX", NULL);
  g_autofree char *data = g_build_filename (home, "data", NULL);
  g_autofree char *cache = g_build_filename (home, "cache", NULL);

  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_setenv ("GTK_A11Y", "test", TRUE);

  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/window-damage/damaged-in-use", test_damaged_in_use);
  g_test_add_func ("/window-damage/missing-at-start", test_missing_at_start);
  g_test_add_func ("/window-damage/emptied-at-start", test_emptied_at_start);

  return g_test_run ();
}
