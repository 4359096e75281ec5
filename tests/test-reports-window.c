/* test-reports-window.c - a report and its review, by files, both ways
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two organisations on one computer, each with its own data folder: the
 * supplier signs and releases an assessment (its key is made then, in a
 * 0600 file because no keyring can be reached here), saves the report
 * file, prints and exports it, and exports its public key. The buyer
 * opens the file: an unknown signer until the supplier's key is imported
 * and trusted, then verified; a copy with one byte changed is invalid.
 * The buyer reviews the plan and saves the signed review. The supplier
 * opens the review: each decision is in the plan, once. Then a
 * correction: a copy whose report supersedes the first. Last, the key is
 * replaced, and the first report still verifies as ours.
 *
 * Everything goes through files, as it would between two offices.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "dlg-action-plan-page.h"
#include "dlg-action-row.h"
#include "dlg-application.h"
#include "dlg-core.h"
#include "dlg-key-import-dialog.h"
#include "dlg-new-assessment-window.h"
#include "dlg-preferences-window.h"
#include "dlg-profile-editor.h"
#include "dlg-report-page.h"
#include "dlg-sign-window.h"
#include "dlg-welcome-page.h"
#include "dlg-window.h"
#include "window-test-util.h"
#include "test-util.h"

/* Shared between the runs, as the files would be between two offices. */
static char *work;
static char *supplier_dir;
static char *buyer_dir;
static char *report_path;
static char *tampered_path;
static char *review_path;
static char *supplier_jwk;
static char *buyer_jwk;
static char *assessment_id;
static char *action_id;
static char *report_id;

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

/* Counts the check buttons, switches and toggle buttons under @widget,
 * failing on any with two names: an accessible label and a labelled-by
 * relation, which GTK 4.8 reads one after the other ("Approve Approve"). */
static guint
assert_one_name (GtkWidget *widget)
{
  guint n = 0;

  if (GTK_IS_CHECK_BUTTON (widget) || GTK_IS_SWITCH (widget) || GTK_IS_TOGGLE_BUTTON (widget))
    {
      if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) &&
          gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
        g_error ("A %s is named twice, by a label and by another widget", G_OBJECT_TYPE_NAME (widget));
      n++;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    n += assert_one_name (child);
  return n;
}

/* Runs the whole application once, on @data_dir, with @step done in it. */
static void
run_app_in (const char *data_dir,
            Step        step)
{
  run_app_full (data_dir, step, NULL);
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

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

static void
set_profile (DlgWindow  *window,
             const char *name,
             const char *number,
             DlgRoles    roles)
{
  DlgWelcomePage *welcome = DLG_WELCOME_PAGE (find_descendant (GTK_WIDGET (window), DLG_TYPE_WELCOME_PAGE));
  DlgProfileEditor *editor = DLG_PROFILE_EDITOR (find_descendant (GTK_WIDGET (welcome), DLG_TYPE_PROFILE_EDITOR));
  DlgProfile profile = { 0 };

  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "welcome");
  profile.name = (char *) name;
  profile.enterprise_number = (char *) number;
  profile.country = (char *) "BE";
  profile.contact_name = (char *) "An Peeters";
  profile.roles = roles;
  dlg_profile_editor_set_profile (editor, &profile);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (welcome), "welcome.continue", NULL));
  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "home");
}

typedef struct
{
  DlgWindow *window;
  GBytes    *bytes;
} Shown;

/* The report page shows the document with these bytes, checked. */
static gboolean
document_shown (gpointer data)
{
  Shown *shown = data;
  DlgSignedDocument *doc = dlg_report_page_get_document (dlg_window_get_report_page (shown->window));

  return doc != NULL && g_bytes_equal (dlg_signed_document_get_bytes (doc), shown->bytes) &&
         dlg_signed_document_get_status (doc) != DLG_SIGNATURE_UNCHECKED &&
         !dlg_window_get_busy (shown->window) &&
         g_strcmp0 (dlg_window_get_visible_page (shown->window), "report") == 0;
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

/* Opens @path as the desktop would, and waits for its check. */
static DlgReportPage *
open_and_wait (DlgApplication *app,
               DlgWindow      *window,
               const char     *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GBytes) bytes = read_bytes (path);
  Shown shown = { window, bytes };

  g_application_open (G_APPLICATION (app), &file, 1, "");
  g_assert_true (wait_until (document_shown, &shown));
  return dlg_window_get_report_page (window);
}

static gboolean
not_busy (gpointer data)
{
  return !dlg_window_get_busy (data);
}

static char *
read_pdf_info (const char *path)
{
  g_autofree char *pdfinfo = g_find_program_in_path ("pdfinfo");
  const char *argv[] = { pdfinfo, path, NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status;

  if (pdfinfo == NULL)
    return NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  return out;
}

/* ------------------------------------------------------------------------ */
/* The supplier signs                                                       */
/* ------------------------------------------------------------------------ */

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
sign_window_shown (gpointer data)
{
  return dlg_window_get_sign_window (data) != NULL && gtk_widget_get_mapped (dlg_window_get_sign_window (data));
}

static gboolean
assessment_signed (gpointer data)
{
  DlgWindow *window = data;
  DlgApplication *app = DLG_APPLICATION (gtk_window_get_application (GTK_WINDOW (window)));
  g_autoptr(DlgAssessmentInfo) info = dlg_store_get_assessment_info (dlg_application_get_store (app), assessment_id, NULL);

  return info != NULL && info->state == DLG_ASSESSMENT_STATE_SIGNED && !dlg_window_get_busy (window) &&
         g_strcmp0 (dlg_window_get_visible_page (window), "report") == 0;
}

static gboolean
preferences_key_loaded (gpointer data)
{
  return dlg_preferences_window_get_key (data) != NULL;
}

static void
answer_and_plan (DlgWindow *window)
{
  DlgAssessmentPage *page = dlg_window_get_assessment_page (window);
  DlgAssessment *assessment = dlg_assessment_page_get_assessment (page);
  DlgActionPlanPage *plan_page = dlg_assessment_page_get_action_plan_page (page);
  g_autoptr(GError) error = NULL;
  DlgActionPlan *plan;
  DlgAction *action = NULL;

  g_assert_true (dlg_assessment_set_choice (assessment, "a1", "g", &error));
  g_assert_true (dlg_assessment_set_choice (assessment, "a2", "yes", &error));
  g_assert_true (dlg_assessment_set_choice (assessment, "b1", "yes", &error));
  g_assert_true (dlg_assessment_set_number (assessment, "b2", 40, &error));
  g_assert_true (dlg_assessment_set_choice (assessment, "b4", "new", &error));
  g_assert_true (dlg_assessment_set_date (assessment, "c1", "2026-01-15", &error));
  g_assert_true (dlg_assessment_set_comment (assessment, "b1", "Found at one site in March", &error));
  g_assert_no_error (error);
  g_assert_true (dlg_assessment_page_get_evaluation (page)->complete);

  /* The red finding's proposal goes into the plan; the others are
   * dismissed; the plan is submitted for the buyer's approval. */
  dlg_assessment_page_show_page (page, "actions");
  plan = dlg_window_get_action_plan (window);
  for (guint i = 0; i < dlg_action_plan_get_n_actions (plan); i++)
    if (dlg_action_answers_finding (dlg_action_plan_get_action (plan, i), "b1"))
      action = dlg_action_plan_get_action (plan, i);
  g_assert_nonnull (action);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (plan_page), "plan.accept", "s", dlg_action_get_id (action)));
  g_assert_true (dlg_action_set_field (action, DLG_ACTION_FIELD_CORRECTIVE_ACTION, "Return every passport", &error));
  g_assert_true (dlg_action_set_field (action, DLG_ACTION_FIELD_OWNER_NAME, "An Peeters", &error));
  g_assert_true (dlg_action_set_field (action, DLG_ACTION_FIELD_DUE_DATE, "2030-06-30", &error));
  g_assert_no_error (error);
  action_id = g_strdup (dlg_action_get_id (action));

  for (guint i = 0; i < dlg_action_plan_get_n_actions (plan); i++)
    {
      DlgAction *other = dlg_action_plan_get_action (plan, i);

      if (dlg_action_get_disposition (other) == DLG_DISPOSITION_PROPOSED)
        g_assert_true (dlg_action_plan_dismiss (plan, other, "Not applicable to our sites", &error));
    }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (plan_page), "plan.submit", NULL));
  g_assert_cmpint (dlg_action_plan_get_review_state (plan), ==, DLG_REVIEW_SUBMITTED);
}

static void
supplier_signs_step (DlgApplication *app,
                     DlgWindow      *window)
{
  g_autofree char *questionnaire = g_test_build_filename (G_TEST_DIST, "data", "valid", "scoring.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (questionnaire);
  g_autoptr(GFile) report_file = g_file_new_for_path (report_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) saved = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autofree char *pdf = g_build_filename (work, "report.pdf", NULL);
  g_autofree char *printed = g_build_filename (work, "printed.pdf", NULL);
  g_autofree char *csv = g_build_filename (work, "report.csv", NULL);
  g_autofree char *info = NULL;
  g_autoptr(GFile) pdf_file = g_file_new_for_path (pdf);
  g_autoptr(GFile) csv_file = g_file_new_for_path (csv);
  g_autoptr(GFile) jwk_file = g_file_new_for_path (supplier_jwk);
  DlgKeyring *keyring = dlg_application_get_keyring (app);
  DlgSignWindow *sign_window;
  DlgReportPage *page;
  DlgSignedDocument *doc;
  GtkWindow *dialog;
  GtkWidget *preferences;
  g_autofree char *key_file = NULL;
  GStatBuf st;

  set_profile (window, "Example Supplies SA", "BE0123456789", DLG_ROLE_SUPPLIER);

  dlg_window_import_file (window, file);
  g_assert_true (wait_until (new_assessment_shown, NULL));
  dialog = find_toplevel (DLG_TYPE_NEW_ASSESSMENT_WINDOW);
  g_signal_emit_by_name (gtk_window_get_default_widget (dialog), "clicked");
  g_assert_true (wait_until (assessment_shown, window));
  assessment_id = g_strdup (dlg_window_get_assessment_id (window));
  g_assert_false (dlg_assessment_page_get_read_only (dlg_window_get_assessment_page (window)));

  answer_and_plan (window);

  /* Sign and Release: the dialog says what will be frozen and asks for
   * the recipients; a half-filled recipient is not accepted. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-report", NULL));
  g_assert_true (wait_until (sign_window_shown, window));
  sign_window = DLG_SIGN_WINDOW (dlg_window_get_sign_window (window));
  dlg_sign_window_add_recipient (sign_window, "City of Example", NULL);
  g_assert_false (dlg_sign_window_get_ready (sign_window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (sign_window), "window.close", NULL));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-report", NULL));
  g_assert_true (wait_until (sign_window_shown, window));
  sign_window = DLG_SIGN_WINDOW (dlg_window_get_sign_window (window));
  g_assert_true (dlg_sign_window_get_ready (sign_window));
  dlg_sign_window_add_recipient (sign_window, "City of Example", "BE0207335822");
  g_assert_true (dlg_sign_window_get_ready (sign_window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (sign_window), "sign.sign", NULL));
  g_assert_true (wait_until (assessment_signed, window));

  /* The key was made on first signing; no keyring answers here, so it is
   * in a file only the user can read, and the app knows why. */
  g_assert_nonnull (dlg_keyring_get_current (keyring));
  g_assert_cmpint (dlg_keyring_get_storage (keyring), ==, DLG_KEYRING_STORAGE_FILE);
  g_assert_nonnull (dlg_keyring_get_fallback_reason (keyring));
  key_file = dlg_keyring_get_key_file (keyring);
  g_assert_cmpint (g_stat (key_file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The signed report is ours, verified, and kept and queued in one go. */
  page = dlg_window_get_report_page (window);
  doc = dlg_report_page_get_document (page);
  g_assert_cmpint (dlg_signed_document_get_status (doc), ==, DLG_SIGNATURE_VALID);
  g_assert_true (dlg_signed_document_get_own (doc));
  g_assert_true (g_str_has_prefix (dlg_report_page_get_status_text (page), "Verified — signed by your organisation"));
  g_assert_false (dlg_report_page_get_can_review (page));
  report_id = g_strdup (dlg_signed_document_get_id (doc));
  g_assert_cmpuint (dlg_report_get_n_recipients (dlg_signed_document_get_report (doc)), ==, 1);
  g_assert_nonnull (dlg_report_get_action_plan (dlg_signed_document_get_report (doc)));
  outbox = dlg_store_list_outbox (dlg_application_get_store (app), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 1);
  g_assert_cmpstr (((DlgOutboxEntry *) g_ptr_array_index (outbox, 0))->id, ==, report_id);
  g_assert_cmpstr (((DlgOutboxEntry *) g_ptr_array_index (outbox, 0))->assessment_id, ==, assessment_id);
  g_assert_cmpint (((DlgOutboxEntry *) g_ptr_array_index (outbox, 0))->state, ==, DLG_OUTBOX_QUEUED);

  /* Saved as a file: exactly the bytes signed. */
  g_assert_true (dlg_report_page_save_file (page, report_file, &error));
  g_assert_no_error (error);
  saved = read_bytes (report_path);
  g_assert_true (g_bytes_equal (saved, dlg_signed_document_get_bytes (doc)));

  /* Exported and printed, with the same renderer. */
  g_assert_true (dlg_report_page_export (page, "pdf", pdf_file, &error));
  g_assert_true (dlg_report_page_export (page, "csv", csv_file, &error));
  g_assert_no_error (error);
  g_assert_true (dlg_report_page_print (page, printed, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (printed, G_FILE_TEST_IS_REGULAR));
  if ((info = read_pdf_info (printed)) != NULL)
    {
      g_autofree char *exported_info = read_pdf_info (pdf);
      const char *pages = strstr (info, "Pages:");
      const char *exported_pages = strstr (exported_info, "Pages:");

      g_assert_nonnull (pages);
      g_assert_nonnull (exported_pages);
      /* As many pages printed as exported. */
      g_assert_cmpint (atoi (pages + 6), ==, atoi (exported_pages + 6));
      g_assert_cmpint (atoi (pages + 6), >, 1);
    }

  /* Back in the workspace, the answers are frozen. */
  dlg_window_open_assessment (window, assessment_id);
  g_assert_true (dlg_assessment_page_get_read_only (dlg_window_get_assessment_page (window)));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-report", NULL);
  g_assert_null (dlg_window_get_sign_window (window));

  /* The public key, from Preferences, for the buyer. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = GTK_WIDGET (find_toplevel (DLG_TYPE_PREFERENCES_WINDOW));
  g_assert_nonnull (preferences);
  dlg_preferences_window_show_signatures (DLG_PREFERENCES_WINDOW (preferences));
  g_assert_true (wait_until (preferences_key_loaded, preferences));
  g_assert_true (dlg_key_equal (dlg_preferences_window_get_key (DLG_PREFERENCES_WINDOW (preferences)),
                                dlg_keyring_get_current (keyring)));
  g_assert_true (dlg_preferences_window_export_key (DLG_PREFERENCES_WINDOW (preferences), jwk_file, FALSE, &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (preferences));
}

/* ------------------------------------------------------------------------ */
/* The buyer checks and reviews                                             */
/* ------------------------------------------------------------------------ */

static void
buyer_reviews_step (DlgApplication *app,
                    DlgWindow      *window)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GFile) review_file = g_file_new_for_path (review_path);
  g_autoptr(GFile) jwk_file = g_file_new_for_path (supplier_jwk);
  DlgTrustStore *trust;
  DlgInbox *inbox;
  DlgReportPage *page;
  DlgSignedDocument *doc;
  GtkWidget *dialog;
  DlgTrustedKey *entry;

  set_profile (window, "City of Example", "BE0207335822", DLG_ROLE_BUYER);

  /* Before the supplier's key is known, nothing in the report can be
   * believed: an unknown signer, not kept, not reviewable. */
  page = open_and_wait (app, window, report_path);
  doc = dlg_report_page_get_document (page);
  g_assert_cmpint (dlg_signed_document_get_status (doc), ==, DLG_SIGNATURE_UNKNOWN_SIGNER);
  g_assert_cmpstr (dlg_report_page_get_status_text (page), ==, "Unknown Signer");
  g_assert_false (dlg_report_page_get_can_review (page));
  inbox = dlg_application_get_inbox (app, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (inbox)), ==, 0);

  /* The key the supplier sent, its fingerprint compared, trusted. */
  trust = dlg_application_get_trust_store (app, &error);
  g_assert_no_error (error);
  dialog = dlg_key_import_dialog_new_for_file (GTK_WINDOW (window), trust, jwk_file,
                                               dlg_signed_document_get_signer_name (doc),
                                               dlg_signed_document_get_signer_id (doc), &error);
  g_assert_no_error (error);
  dlg_key_import_dialog_set_trusted (DLG_KEY_IMPORT_DIALOG (dialog), TRUE);
  entry = dlg_key_import_dialog_import (DLG_KEY_IMPORT_DIALOG (dialog), &error);
  g_assert_no_error (error);
  g_assert_nonnull (entry);
  g_assert_true (dlg_trusted_key_get_trusted (entry));
  g_assert_cmpstr (dlg_trusted_key_get_organisation_id (entry), ==, "BE0123456789");
  gtk_window_destroy (GTK_WINDOW (dialog));

  page = open_and_wait (app, window, report_path);
  doc = dlg_report_page_get_document (page);
  g_assert_cmpint (dlg_signed_document_get_status (doc), ==, DLG_SIGNATURE_VALID);
  g_assert_false (dlg_signed_document_get_own (doc));
  g_assert_cmpstr (dlg_report_page_get_status_text (page), ==, "Verified — signed by Example Supplies SA (BE0123456789)");
  g_assert_true (dlg_report_page_get_can_review (page));
  /* Kept with what was received: it comes back from the list. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (inbox)), ==, 1);
  g_assert_nonnull (dlg_inbox_lookup (inbox, report_id));

  /* One changed byte anywhere, and it is invalid, with nothing shown. */
  {
    g_autoptr(GBytes) original = read_bytes (report_path);
    gsize length;
    char *copy = g_memdup2 (g_bytes_get_data (original, &length), g_bytes_get_size (original));

    length = g_bytes_get_size (original);
    copy[length / 2] = copy[length / 2] == 'A' ? 'B' : 'A';
    g_assert_true (g_file_set_contents (tampered_path, copy, length, &error));
    g_free (copy);
  }
  page = open_and_wait (app, window, tampered_path);
  g_assert_cmpint (dlg_signed_document_get_status (dlg_report_page_get_document (page)), ==, DLG_SIGNATURE_INVALID);
  g_assert_true (g_str_has_prefix (dlg_report_page_get_status_text (page), "Invalid"));
  g_assert_false (dlg_report_page_get_can_review (page));
  {
    g_autofree char *pdf = g_build_filename (work, "changed.pdf", NULL);
    g_autoptr(GFile) pdf_file = g_file_new_for_path (pdf);

    g_assert_false (dlg_report_page_export (DLG_REPORT_PAGE (page), "pdf", pdf_file, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (inbox)), ==, 1);

  /* The review: a decision without its reason is not enough. Each
   * decision's button is named once. */
  page = open_and_wait (app, window, report_path);
  g_assert_cmpuint (assert_one_name (GTK_WIDGET (page)), >=, 3);
  g_assert_true (dlg_report_page_set_decision (page, action_id, DLG_DECISION_REJECTED, NULL));
  g_assert_true (dlg_report_page_set_decision (page, NULL, DLG_DECISION_CHANGES_REQUESTED, "Rework the plan"));
  g_assert_false (dlg_report_page_get_review_ready (page));
  g_assert_false (dlg_report_page_set_decision (page, "no-such-action", DLG_DECISION_APPROVED, NULL));
  g_assert_true (dlg_report_page_set_decision (page, action_id, DLG_DECISION_REJECTED,
                                               "Returning passports is not enough: end the practice at the agency"));
  g_assert_true (dlg_report_page_get_review_ready (page));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "report.sign-review", NULL));
  g_assert_true (wait_until (not_busy, window));
  g_assert_true (dlg_report_page_save_review (page, review_file, &error));
  g_assert_no_error (error);

  /* Signed with the buyer's new key, and kept for sync. */
  bytes = read_bytes (review_path);
  {
    g_autoptr(DlgSignedDocument) review = dlg_signed_document_new (bytes);
    DlgKey *key = dlg_keyring_get_current (dlg_application_get_keyring (app));
    g_autofree char *jwk = dlg_key_to_public_jwk (key);

    g_assert_true (dlg_signed_document_verify (review, key, TRUE, "BE0207335822"));
    g_autoptr(GBytes) report_bytes = read_bytes (report_path);

    g_assert_true (dlg_review_is_for_report (dlg_signed_document_get_review (review), report_bytes));
    g_assert_cmpint (dlg_review_get_decision (dlg_signed_document_get_review (review)), ==, DLG_DECISION_CHANGES_REQUESTED);
    g_assert_true (g_file_set_contents (buyer_jwk, jwk, -1, &error));
  }

  /* In Preferences, the supplier's key is trusted; its switch says
   * "Trust the key of …", once. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  dialog = GTK_WIDGET (find_toplevel (DLG_TYPE_PREFERENCES_WINDOW));
  g_assert_nonnull (dialog);
  dlg_preferences_window_show_signatures (DLG_PREFERENCES_WINDOW (dialog));
  g_assert_cmpuint (assert_one_name (dialog), >=, 1);
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* The received report is listed at home. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-home", NULL));
  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "home");
}

/* ------------------------------------------------------------------------ */
/* The supplier reads the review                                            */
/* ------------------------------------------------------------------------ */

static const char *
decision_text_shown (DlgActionPlanPage *plan_page)
{
  DlgActionRow *row = DLG_ACTION_ROW (find_descendant (GTK_WIDGET (plan_page), DLG_TYPE_ACTION_ROW));

  for (; row != NULL; row = DLG_IS_ACTION_ROW (gtk_widget_get_next_sibling (GTK_WIDGET (row)))
                             ? DLG_ACTION_ROW (gtk_widget_get_next_sibling (GTK_WIDGET (row))) : NULL)
    if (g_strcmp0 (dlg_action_get_id (dlg_action_row_get_action (row)), action_id) == 0)
      {
        for (GtkWidget *w = gtk_widget_get_first_child (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)));
             w != NULL; w = gtk_widget_get_next_sibling (w))
          if (GTK_IS_LABEL (w) && gtk_widget_has_css_class (w, "decision-reason"))
            return gtk_label_get_label (GTK_LABEL (w));
      }
  return NULL;
}

static void
supplier_reads_review_step (DlgApplication *app,
                            DlgWindow      *window)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgActionPlan) stored = NULL;
  DlgTrustStore *trust;
  DlgReportPage *page;
  DlgActionPlan *plan;
  DlgActionPlanPage *plan_page;
  DlgAction *action;
  guint n_history;
  const char *shown;

  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "home");

  /* The buyer's key is not known yet: nothing is recorded. */
  page = open_and_wait (app, window, review_path);
  g_assert_cmpint (dlg_signed_document_get_status (dlg_report_page_get_document (page)), ==, DLG_SIGNATURE_UNKNOWN_SIGNER);
  stored = dlg_store_load_action_plan (dlg_application_get_store (app), assessment_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dlg_action_plan_get_review_state (stored), ==, DLG_REVIEW_SUBMITTED);
  g_clear_object (&stored);

  trust = dlg_application_get_trust_store (app, &error);
  g_assert_no_error (error);
  g_assert_nonnull (dlg_trust_store_import_file (trust, buyer_jwk, "City of Example", "BE0207335822", TRUE, &error));
  g_assert_no_error (error);

  /* Verified: each decision goes into the plan, with its reason. */
  page = open_and_wait (app, window, review_path);
  g_assert_cmpint (dlg_signed_document_get_status (dlg_report_page_get_document (page)), ==, DLG_SIGNATURE_VALID);
  g_assert_cmpstr (dlg_report_page_get_status_text (page), ==, "Verified — signed by City of Example (BE0207335822)");
  stored = dlg_store_load_action_plan (dlg_application_get_store (app), assessment_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dlg_action_plan_get_review_state (stored), ==, DLG_REVIEW_CHANGES_REQUESTED);
  action = dlg_action_plan_lookup_action (stored, action_id);
  g_assert_cmpint (dlg_action_get_review_state (action), ==, DLG_REVIEW_REJECTED);
  n_history = dlg_action_plan_get_history (stored)->len;

  /* Opened again, it is not recorded twice. */
  g_clear_object (&stored);
  page = open_and_wait (app, window, review_path);
  stored = dlg_store_load_action_plan (dlg_application_get_store (app), assessment_id, &error);
  g_assert_cmpuint (dlg_action_plan_get_history (stored)->len, ==, n_history);

  /* The plan shows the decision in words, with the reason. */
  g_signal_emit_by_name (page, "show-plan");
  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "assessment");
  g_assert_cmpstr (dlg_window_get_assessment_id (window), ==, assessment_id);
  plan = dlg_window_get_action_plan (window);
  g_assert_cmpint (dlg_action_plan_get_review_state (plan), ==, DLG_REVIEW_CHANGES_REQUESTED);
  plan_page = dlg_assessment_page_get_action_plan_page (dlg_window_get_assessment_page (window));
  dlg_action_plan_page_update (plan_page);
  shown = decision_text_shown (plan_page);
  g_assert_nonnull (shown);
  g_assert_nonnull (strstr (shown, "Rejected"));
  g_assert_nonnull (strstr (shown, "end the practice at the agency"));
}

/* ------------------------------------------------------------------------ */
/* A correction                                                             */
/* ------------------------------------------------------------------------ */

static void
supplier_corrects_step (DlgApplication *app,
                        DlgWindow      *window)
{
  DlgAssessmentPage *page = dlg_window_get_assessment_page (window);
  DlgSignWindow *sign_window;
  DlgSignedDocument *doc;
  g_autoptr(GError) error = NULL;

  dlg_window_open_assessment (window, assessment_id);
  g_assert_true (dlg_assessment_page_get_read_only (page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.correct-report", NULL));
  respond ("correct");
  g_assert_cmpstr (dlg_window_get_assessment_id (window), !=, assessment_id);
  g_assert_false (dlg_assessment_page_get_read_only (page));

  /* The corrected answers, confirmed, and signed again. */
  g_assert_true (dlg_assessment_set_number (dlg_assessment_page_get_assessment (page), "b2", 38, &error));
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-report", NULL));
  g_assert_true (wait_until (sign_window_shown, window));
  sign_window = DLG_SIGN_WINDOW (dlg_window_get_sign_window (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (sign_window), "sign.sign", NULL));
  g_assert_true (wait_until (not_busy, window));
  g_assert_cmpstr (dlg_window_get_visible_page (window), ==, "report");

  doc = dlg_report_page_get_document (dlg_window_get_report_page (window));
  g_assert_cmpint (dlg_signed_document_get_status (doc), ==, DLG_SIGNATURE_VALID);
  g_assert_cmpstr (dlg_signed_document_get_id (doc), !=, report_id);
  g_assert_cmpstr (dlg_report_get_supersedes (dlg_signed_document_get_report (doc)), ==, report_id);
}

/* ------------------------------------------------------------------------ */
/* A new key                                                                */
/* ------------------------------------------------------------------------ */

static gboolean
key_replaced (gpointer data)
{
  DlgPreferencesWindow *preferences = data;
  DlgKey *key = dlg_preferences_window_get_key (preferences);
  const char *old_id = g_object_get_data (G_OBJECT (preferences), "old-id");

  return key != NULL && g_strcmp0 (dlg_key_get_id (key), old_id) != 0;
}

static void
supplier_rotates_step (DlgApplication *app,
                       DlgWindow      *window)
{
  DlgKeyring *keyring = dlg_application_get_keyring (app);
  g_autoptr(GPtrArray) keys = NULL;
  GtkWidget *preferences;
  DlgReportPage *page;
  DlgSignedDocument *doc;
  g_autofree char *old_id = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = GTK_WIDGET (find_toplevel (DLG_TYPE_PREFERENCES_WINDOW));
  dlg_preferences_window_show_signatures (DLG_PREFERENCES_WINDOW (preferences));
  g_assert_true (wait_until (preferences_key_loaded, preferences));
  old_id = g_strdup (dlg_key_get_id (dlg_preferences_window_get_key (DLG_PREFERENCES_WINDOW (preferences))));
  g_object_set_data_full (G_OBJECT (preferences), "old-id", g_strdup (old_id), g_free);

  /* Replacing asks first, saying what becomes of the old key. */
  g_assert_true (gtk_widget_activate_action (preferences, "keys.replace", NULL));
  respond ("replace");
  g_assert_true (wait_until (key_replaced, preferences));
  keys = dlg_keyring_list_keys (keyring);
  g_assert_cmpuint (keys->len, ==, 2);
  g_assert_true (((DlgKeyringEntry *) g_ptr_array_index (keys, 0))->current);
  g_assert_cmpstr (dlg_key_get_id (((DlgKeyringEntry *) g_ptr_array_index (keys, 1))->key), ==, old_id);
  gtk_window_destroy (GTK_WINDOW (preferences));

  /* What the old key signed is still ours, and still verified. */
  page = open_and_wait (app, window, report_path);
  doc = dlg_report_page_get_document (page);
  g_assert_cmpint (dlg_signed_document_get_status (doc), ==, DLG_SIGNATURE_VALID);
  g_assert_true (dlg_signed_document_get_own (doc));
  g_assert_cmpstr (dlg_signed_document_get_key_id (doc), ==, old_id);
}

static void
test_reports_by_files (void)
{
  run_app_in (supplier_dir, supplier_signs_step);
  run_app_in (buyer_dir, buyer_reviews_step);
  run_app_in (supplier_dir, supplier_reads_review_step);
  run_app_in (supplier_dir, supplier_corrects_step);
  run_app_in (supplier_dir, supplier_rotates_step);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  work = g_dir_make_tmp ("dlg-reports-window-XXXXXX", NULL);
  supplier_dir = g_build_filename (work, "supplier", NULL);
  buyer_dir = g_build_filename (work, "buyer", NULL);
  report_path = g_build_filename (work, "Example Supplies 2026.dlgreport", NULL);
  tampered_path = g_build_filename (work, "changed.dlgreport", NULL);
  review_path = g_build_filename (work, "City of Example review.dlgreview", NULL);
  supplier_jwk = g_build_filename (work, "supplier.jwk", NULL);
  buyer_jwk = g_build_filename (work, "buyer.jwk", NULL);

  /* No keyring can be reached, as on a desktop without one: keys go to
   * 0600 files, and the app must say so. Set before anything connects. */
  g_setenv ("SECRET_BACKEND", "service", TRUE);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/diligence-test-bus", TRUE);
  /* Accessible names are recorded, for the tests to read, only by GTK's
   * test context; "none" keeps nothing. */
  g_setenv ("GTK_A11Y", "test", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/reports-window/by-files", test_reports_by_files);
  status = g_test_run ();

  /* What a failed run leaves is kept, to look at. */
  if (status == 0)
    remove_tree (work);
  g_free (assessment_id);
  g_free (action_id);
  g_free (report_id);
  return status;
}
