/* dlg-window-reports.c - the window: signing, opening and reviewing reports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Supplier: "Sign and Release" freezes the open assessment into a report,
 * signed with the organisation's key (made on first use), kept as its
 * exact bytes and queued for sync in one transaction, which also marks
 * the assessment signed; from then on it is read-only, and a correction
 * is a copy whose report supersedes this one.
 *
 * Buyer: a report file, opened, dropped on the window or handed over by
 * the desktop, is checked (dlg-signed-document.c) against the known
 * organisations' keys and our own; what the check says is the first thing
 * shown. A verified report of someone else's is kept in the inbox, and its
 * action plan can be reviewed; the review is signed and kept like a
 * report, and saved as a file to send back.
 *
 * Supplier again: a verified review of one of our reports has its
 * decisions recorded in that assessment's plan, once (the inbox marks it
 * read then), and the plan shows them.
 */

#define G_LOG_DOMAIN "dlg-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dlg-key-import-dialog.h"
#include "dlg-report-page.h"
#include "dlg-sign-window.h"
#include "dlg-sync-service.h"
#include "dlg-window-private.h"

#define REPORT_TYPE "application/vnd.diligence.report+jws"
#define REVIEW_TYPE "application/vnd.diligence.review+jws"
#define QUESTIONNAIRE_TYPE "application/vnd.diligence.questionnaire+json"

struct _DlgWindowReports
{
  DlgWindow     *window;          /* owns this */
  DlgReportPage *page;
  GCancellable  *cancellable;
  GtkWidget     *sign_window;     /* weak */
  gboolean       keyring_tried;   /* our keys were loaded, or could not be */
  guint          busy;            /* keyring operations under way */
  char          *review_assessment; /* where the review shown was recorded */
  gboolean       home_connected;  /* to the home page's open-received */
};

static void sign_review_cb (DlgWindow *self);
static void import_key_cb  (DlgWindow *self);
static void trust_key_cb   (DlgWindow *self);
static void show_plan_cb   (DlgWindow *self);
static void open_received_cb (DlgHomePage *page, const char *id, DlgWindow *self);

/* The report page is built the first time a document is shown, as the
 * window's own pages are (see dlg-window.c). */
static DlgReportPage *
get_page (DlgWindow *self)
{
  DlgWindowReports *r = dlg_window_get_reports (self);

  if (r->page == NULL)
    {
      r->page = DLG_REPORT_PAGE (dlg_report_page_new ());
      gtk_stack_add_named (dlg_window_get_main_stack (self), GTK_WIDGET (r->page), "report");
      g_signal_connect_swapped (r->page, "sign-review", G_CALLBACK (sign_review_cb), self);
      g_signal_connect_swapped (r->page, "import-key", G_CALLBACK (import_key_cb), self);
      g_signal_connect_swapped (r->page, "trust-key", G_CALLBACK (trust_key_cb), self);
      g_signal_connect_swapped (r->page, "show-plan", G_CALLBACK (show_plan_cb), self);
    }
  return r->page;
}

/* The document shown, if the page has ever shown one. */
static DlgSignedDocument *
get_shown (DlgWindow *self)
{
  DlgReportPage *page = dlg_window_get_reports (self)->page;

  return page ? dlg_report_page_get_document (page) : NULL;
}

/* The outbox learns of a newly signed document at once, not only at its
 * next refresh: the store queued it in the signing transaction. */
static void
notify_outbox (DlgWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  DlgSyncService *sync = app ? dlg_application_get_sync_service (DLG_APPLICATION (app)) : NULL;
  g_autoptr(GError) error = NULL;

  if (sync != NULL && dlg_sync_service_refresh_outbox (sync, &error) == 0 && error != NULL)
    g_warning ("The outbox could not be refreshed: %s", error->message);
}

static DlgApplication *
get_app (DlgWindow *self)
{
  return DLG_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
}

static void
toast (DlgWindow  *self,
       const char *text)
{
  dlg_window_add_toast (self, adw_toast_new (text));
}

static void show_document (DlgWindow         *self,
                           DlgSignedDocument *doc);

/* ------------------------------------------------------------------------ */
/* Signed documents in the store                                            */
/* ------------------------------------------------------------------------ */

/* The last report signed from @assessment_id, or the last review of
 * @report_id, as the outbox lists them: every document signed here is
 * queued there when it is kept. */
static DlgOutboxEntry *
find_signed (DlgStore      *store,
             DlgSignedKind  kind,
             const char    *assessment_id,
             const char    *subject_id)
{
  g_autoptr(GPtrArray) entries = dlg_store_list_outbox (store, NULL);
  DlgOutboxEntry *found = NULL;

  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      DlgOutboxEntry *entry = g_ptr_array_index (entries, i);

      if (entry->kind == kind &&
          (assessment_id == NULL || g_strcmp0 (entry->assessment_id, assessment_id) == 0) &&
          (subject_id == NULL || g_strcmp0 (entry->subject_id, subject_id) == 0))
        found = entry;
    }
  return found ? dlg_outbox_entry_copy (found) : NULL;
}

static DlgOutboxEntry *
find_report_by_id (DlgStore   *store,
                   const char *report_id)
{
  g_autoptr(GPtrArray) entries = dlg_store_list_outbox (store, NULL);

  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      DlgOutboxEntry *entry = g_ptr_array_index (entries, i);

      if (entry->kind == DLG_SIGNED_REPORT && g_strcmp0 (entry->id, report_id) == 0)
        return dlg_outbox_entry_copy (entry);
    }
  return NULL;
}

static char *
format_time (gint64 usec)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);

  return g_date_time_format (time, "%x %H:%M");
}

/* ------------------------------------------------------------------------ */
/* Opening files                                                            */
/* ------------------------------------------------------------------------ */

/* Reports and reviews are recognised by name (docs/file-types.md): every
 * compact JWS starts alike. The name also works where the file types are
 * not installed, e.g. when running from the build folder. */
static gboolean
is_signed_file (GFile      *file,
                const char *content_type)
{
  g_autofree char *name = g_file_get_basename (file);

  if (content_type != NULL &&
      (g_content_type_is_a (content_type, REPORT_TYPE) || g_content_type_is_a (content_type, REVIEW_TYPE)))
    return TRUE;
  return name != NULL &&
         (g_str_has_suffix (name, ".dlgreport") || g_str_has_suffix (name, ".dlgreview") ||
          g_str_has_suffix (name, ".jws"));
}

/* A questionnaire may be named *.dlgq.json or only *.json: every JSON file
 * goes to the importer, whose validator explains what is wrong with one
 * that is not a questionnaire. */
static gboolean
is_questionnaire_type (const char *content_type)
{
  return g_content_type_is_a (content_type, QUESTIONNAIRE_TYPE) ||
         g_content_type_is_a (content_type, "application/json");
}

static void
show_unsupported_file (DlgWindow  *self,
                       GFile      *file,
                       const char *content_type)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *type = g_content_type_get_description (content_type);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  /* TRANSLATORS: the heading of a dialog; %s is a file name */
  heading = g_strdup_printf (_("Diligence Cannot Open “%s”"), name);
  /* TRANSLATORS: %s is a kind of file, such as “plain text document” */
  body = g_strdup_printf (_("Its type, “%s”, is not one that Diligence opens. "
                            "Diligence opens questionnaires (files ending in .dlgq.json or .json), "
                            "signed reports (.dlgreport) and reviews (.dlgreview)."),
                          type);
  dlg_window_show_message (self, heading, body);
}

/**
 * dlg_window_open_file:
 *
 * Opens a file as its type says: a questionnaire is imported, a report or
 * review opened and checked; anything else is refused with its type.
 */
void
dlg_window_open_file (DlgWindow *self,
                      GFile     *file)
{
  g_autoptr(GFileInfo) info = NULL;
  const char *content_type;

  g_return_if_fail (DLG_IS_WINDOW (self));

  /* A file that cannot even be looked at (gone, unreadable) goes to the
   * importer too, which says why it cannot be read. */
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  content_type = info ? g_file_info_get_content_type (info) : NULL;

  if (is_signed_file (file, content_type))
    dlg_window_open_signed_file (self, file);
  else if (content_type == NULL || is_questionnaire_type (content_type))
    dlg_window_import_file (self, file);
  else
    show_unsupported_file (self, file, content_type);
}

/**
 * dlg_window_open_signed_file:
 *
 * Opens a signed report or review: checks it and shows it with what the
 * check says. A file that cannot be read is shown as invalid, with why.
 */
void
dlg_window_open_signed_file (DlgWindow *self,
                             GFile     *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (DLG_IS_WINDOW (self));

  if (path == NULL || !(bytes = dlg_file_read (path, DLG_JWS_MAX_SIZE, &error)))
    {
      g_autofree char *heading = g_strdup_printf (_("“%s” Cannot Be Opened"), name);

      dlg_window_show_message (self, heading, error ? error->message : _("Only local files can be opened."));
      return;
    }

  dlg_window_open_signed_bytes (self, bytes);
}

static void
keys_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DlgSignedDocument) doc = user_data;
  DlgWindow *self = g_object_get_data (G_OBJECT (doc), "window");
  g_autoptr(DlgKey) key = NULL;
  g_autoptr(GError) error = NULL;

  key = dlg_keyring_load_finish (DLG_KEYRING (object), result, &error);
  if (error != NULL)
    g_debug ("Our keys could not be loaded to check a document: %s", error->message);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || dlg_window_get_reports (self) == NULL)
    return;

  dlg_window_get_reports (self)->busy--;
  show_document (self, doc);
}

static void
check_document (DlgWindow         *self,
                DlgSignedDocument *doc)
{
  DlgWindowReports *r = dlg_window_get_reports (self);
  DlgApplication *app = get_app (self);
  DlgKeyring *keyring = dlg_application_get_keyring (app);
  g_autoptr(GError) error = NULL;
  DlgTrustStore *trust = dlg_application_get_trust_store (app, &error);

  if (trust == NULL)
    toast (self, error->message);

  /* Our own reports verify with our own keys, which are loaded once (the
   * keyring may ask to be unlocked) and only when another key is not
   * enough. */
  if (dlg_signed_document_check (doc, NULL, keyring, trust) == DLG_SIGNATURE_UNKNOWN_SIGNER &&
      dlg_keyring_get_current (keyring) == NULL && !r->keyring_tried)
    {
      r->keyring_tried = TRUE;
      r->busy++;
      /* The window is kept alive until the keyring answers. */
      g_object_set_data_full (G_OBJECT (doc), "window", g_object_ref (self), g_object_unref);
      dlg_keyring_load_async (keyring, r->cancellable, keys_loaded_cb, g_object_ref (doc));
      return;
    }

  show_document (self, doc);
}

/**
 * dlg_window_open_signed_bytes:
 * @bytes: a signed report or review, as its exact bytes
 *
 * Checks the document and shows it; the check may first load our own
 * keys, so the page appears when the check is done.
 */
void
dlg_window_open_signed_bytes (DlgWindow *self,
                              GBytes    *bytes)
{
  g_autoptr(DlgSignedDocument) doc = NULL;

  g_return_if_fail (DLG_IS_WINDOW (self));
  g_return_if_fail (bytes != NULL);

  doc = dlg_signed_document_new (bytes);
  check_document (self, doc);
}

/* ------------------------------------------------------------------------ */
/* A review of one of our reports                                           */
/* ------------------------------------------------------------------------ */

static DlgReviewState
decision_to_state (DlgDecision decision)
{
  switch (decision)
    {
    case DLG_DECISION_APPROVED: return DLG_REVIEW_APPROVED;
    case DLG_DECISION_CHANGES_REQUESTED: return DLG_REVIEW_CHANGES_REQUESTED;
    case DLG_DECISION_REJECTED:
    default: return DLG_REVIEW_REJECTED;
    }
}

/* Records the review's decisions in @plan: each action decided on, then
 * the plan, which gives its decision to the actions left. The plan's
 * rules want a reason for every decision; an approval without one gets
 * the review's own reason, or says so. */
static gboolean
apply_review (DlgActionPlan  *plan,
              DlgReview      *review,
              GError        **error)
{
  const DlgParty *reviewer = dlg_review_get_reviewer (review);
  g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (dlg_review_get_created_at (review), NULL);
  const char *plan_reason = dlg_review_get_reason (review);
  const char *fallback = plan_reason ? plan_reason : _("Approved in the buyer’s review, without a comment");

  for (guint i = 0; i < dlg_review_get_n_actions (review); i++)
    {
      const DlgActionDecision *d = dlg_review_get_action (review, i);
      DlgAction *action = dlg_action_plan_lookup_action (plan, d->action_id);

      /* An action the plan no longer has, or one already decided, keeps
       * what it has; the review stays readable on its page. */
      if (action == NULL || dlg_action_get_review_state (action) != DLG_REVIEW_SUBMITTED)
        continue;
      if (!dlg_action_decide (action, decision_to_state (d->decision), d->reason ? d->reason : fallback,
                              reviewer->name, when, error))
        return FALSE;
    }

  return dlg_action_plan_decide (plan, decision_to_state (dlg_review_get_decision (review)),
                                 plan_reason ? plan_reason : fallback, reviewer->name, when, error);
}

/* What a verified review means for our plans, in words for its page. */
static char *
handle_review (DlgWindow          *self,
               DlgSignedDocument  *doc,
               DlgInboxItem       *item,
               DlgActionPlan     **out_plan)
{
  DlgWindowReports *r = dlg_window_get_reports (self);
  DlgStore *store = dlg_window_get_store (self);
  DlgReview *review = dlg_signed_document_get_review (doc);
  const DlgParty *reviewer = dlg_review_get_reviewer (review);
  g_autoptr(DlgOutboxEntry) report = find_report_by_id (store, dlg_review_get_report_id (review));
  g_autoptr(DlgAssessmentInfo) info = NULL;
  g_autoptr(GBytes) report_bytes = NULL;
  g_autoptr(DlgActionPlan) own_plan = NULL;
  g_autoptr(GError) error = NULL;
  DlgActionPlan *plan;
  gboolean open_here;

  g_clear_pointer (&r->review_assessment, g_free);

  if (report == NULL || report->assessment_id == NULL)
    return g_strdup (_("This review is about a report that was not signed here."));

  report_bytes = dlg_store_get_signed_bytes (store, report->id, NULL);
  if (report_bytes == NULL || !dlg_review_is_for_report (review, report_bytes))
    return g_strdup (_("This review names one of your reports, but not the version signed here: its hash does not "
                       "match. The decisions were not recorded."));

  info = dlg_store_get_assessment_info (store, report->assessment_id, NULL);
  open_here = g_strcmp0 (dlg_window_get_assessment_id (self), report->assessment_id) == 0;
  if (open_here)
    plan = dlg_window_get_action_plan (self);
  else
    plan = own_plan = dlg_store_load_action_plan (store, report->assessment_id, &error);
  if (plan == NULL)
    return g_strdup_printf (_("The action plan it reviews could not be opened: %s"),
                            error ? error->message : _("it was deleted"));

  *out_plan = g_object_ref (plan);
  r->review_assessment = g_strdup (report->assessment_id);

  if (dlg_signed_document_get_status (doc) != DLG_SIGNATURE_VALID)
    return g_strdup (_("Trust the reviewer’s key to record these decisions in your action plan."));

  if (item != NULL && dlg_inbox_item_get_read (item))
    return g_strdup_printf (_("These decisions were recorded in the action plan of “%s” when the review first arrived."),
                            info ? info->title : report->assessment_id);

  if (dlg_action_plan_get_review_state (plan) != DLG_REVIEW_SUBMITTED)
    return g_strdup_printf (_("Your action plan is not waiting for a decision (it is “%s”), so these decisions are "
                              "shown here but were not recorded in it."),
                            dlg_review_state_get_label (dlg_action_plan_get_review_state (plan)));

  if (!apply_review (plan, review, &error))
    return g_strdup_printf (_("The decisions could not be recorded in your action plan: %s"), error->message);

  /* On disk before saying so; a plan shown in the window is saved by it. */
  if (open_here ? !dlg_window_flush (self) : !dlg_store_save_action_plan (store, report->assessment_id, plan, &error))
    return g_strdup_printf (_("The decisions were recorded but not saved yet: %s"),
                            error ? error->message : _("saving is retried"));

  if (item != NULL)
    {
      DlgInbox *inbox = dlg_application_get_inbox (get_app (self), NULL);

      if (inbox != NULL && !dlg_inbox_mark_read (inbox, dlg_inbox_item_get_id (item), &error))
        g_warning ("Could not mark review %s read: %s", dlg_inbox_item_get_id (item), error->message);
    }

  {
    /* TRANSLATORS: a toast: the reviewer and their decision */
    g_autofree char *text = g_strdup_printf (_("Review from %s: %s"), reviewer->name,
                                             dlg_decision_get_label (dlg_review_get_decision (review)));
    AdwToast *t = adw_toast_new (text);

    adw_toast_set_priority (t, ADW_TOAST_PRIORITY_HIGH);
    dlg_window_add_toast (self, t);
  }

  return g_strdup_printf (_("Recorded in the action plan of “%s”: each action shows its decision."),
                          info ? info->title : report->assessment_id);
}

/* ------------------------------------------------------------------------ */
/* Showing a document                                                       */
/* ------------------------------------------------------------------------ */

static void
show_document (DlgWindow         *self,
               DlgSignedDocument *doc)
{
  DlgSignatureStatus status = dlg_signed_document_get_status (doc);
  g_autoptr(DlgActionPlan) own_plan = NULL;
  g_autofree char *note = NULL;
  DlgInboxItem *item = NULL;
  DlgSignedKind kind = DLG_SIGNED_REPORT;

  dlg_signed_document_get_kind (doc, &kind);

  /* Someone else's document, checked with a known key, is kept: it
   * comes back from the list of received documents, and sync knows it. */
  if ((status == DLG_SIGNATURE_VALID || status == DLG_SIGNATURE_UNTRUSTED) && !dlg_signed_document_get_own (doc))
    {
      g_autoptr(GError) error = NULL;
      DlgInbox *inbox = dlg_application_get_inbox (get_app (self), &error);

      if (inbox != NULL)
        item = dlg_inbox_add_file (inbox, dlg_signed_document_get_bytes (doc), &error);
      if (item == NULL)
        {
          g_autofree char *text = g_strdup_printf (_("Not kept with your received documents: %s"), error->message);
          toast (self, text);
        }
    }

  if (kind == DLG_SIGNED_REVIEW && dlg_signed_document_get_review (doc) != NULL &&
      (status == DLG_SIGNATURE_VALID || status == DLG_SIGNATURE_UNTRUSTED))
    note = handle_review (self, doc, item, &own_plan);
  else if (kind == DLG_SIGNED_REPORT && item != NULL && !dlg_inbox_item_get_read (item))
    {
      /* A report is read once it has been shown; a review, once its
       * decisions are recorded (handle_review()). */
      g_autoptr(GError) error = NULL;
      DlgInbox *inbox = dlg_application_get_inbox (get_app (self), NULL);

      if (!dlg_inbox_mark_read (inbox, dlg_inbox_item_get_id (item), &error))
        g_warning ("Could not mark report %s read: %s", dlg_inbox_item_get_id (item), error->message);
    }

  dlg_report_page_set_document (get_page (self), doc, own_plan, note);

  /* A report we reviewed before offers our review again. */
  if (kind == DLG_SIGNED_REPORT && status == DLG_SIGNATURE_VALID && !dlg_signed_document_get_own (doc))
    {
      DlgStore *store = dlg_window_get_store (self);
      g_autoptr(DlgOutboxEntry) ours = find_signed (store, DLG_SIGNED_REVIEW, NULL, dlg_signed_document_get_id (doc));
      g_autoptr(GBytes) bytes = ours ? dlg_store_get_signed_bytes (store, ours->id, NULL) : NULL;

      if (bytes != NULL)
        {
          g_autofree char *when = format_time (ours->queued_at);
          g_autofree char *text = g_strdup_printf (_("You reviewed this report on %s. Save your review as a file to send "
                                                     "it back, or review it again: the newest review counts."),
                                                   when);
          dlg_report_page_set_signed_review (get_page (self), bytes, text);
        }
    }

  gtk_stack_set_visible_child_name (dlg_window_get_main_stack (self), "report");
}

/**
 * dlg_window_get_report_page:
 *
 * Returns: (transfer none): the page that shows reports and reviews
 */
DlgReportPage *
dlg_window_get_report_page (DlgWindow *self)
{
  g_return_val_if_fail (DLG_IS_WINDOW (self), NULL);
  return get_page (self);
}

/**
 * dlg_window_get_busy:
 *
 * Returns: whether a signature or a check is waiting for the keyring
 */
gboolean
dlg_window_get_busy (DlgWindow *self)
{
  g_return_val_if_fail (DLG_IS_WINDOW (self), FALSE);
  return dlg_window_get_reports (self)->busy > 0;
}

/**
 * dlg_window_get_sign_window:
 *
 * Returns: (transfer none) (nullable): the "Sign and Release" window,
 *   while it is open
 */
GtkWidget *
dlg_window_get_sign_window (DlgWindow *self)
{
  g_return_val_if_fail (DLG_IS_WINDOW (self), NULL);
  return dlg_window_get_reports (self)->sign_window;
}

/* ------------------------------------------------------------------------ */
/* Keys of the organisations we hear from                                   */
/* ------------------------------------------------------------------------ */

static void
recheck_shown (DlgWindow *self)
{
  DlgSignedDocument *shown = get_shown (self);

  if (shown != NULL)
    dlg_window_open_signed_bytes (self, dlg_signed_document_get_bytes (shown));
}

static void
key_imported_cb (DlgKeyImportDialog *dialog,
                 DlgTrustedKey      *entry,
                 DlgWindow          *self)
{
  g_autofree char *text = g_strdup_printf (_("Key of %s added"), dlg_trusted_key_get_organisation_name (entry));

  toast (self, text);
  recheck_shown (self);
}

static void
import_key_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        DlgWindow       *self)
{
  DlgSignedDocument *doc = get_shown (self);
  g_autoptr(GError) error = NULL;
  DlgTrustStore *trust = dlg_application_get_trust_store (get_app (self), &error);

  if (response == GTK_RESPONSE_ACCEPT && doc != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      GtkWidget *dialog = NULL;

      if (trust != NULL)
        dialog = dlg_key_import_dialog_new_for_file (GTK_WINDOW (self), trust, file,
                                                     dlg_signed_document_get_signer_name (doc),
                                                     dlg_signed_document_get_signer_id (doc), &error);
      if (dialog == NULL)
        dlg_window_show_message (self, _("The Key Was Not Added"), error->message);
      else
        {
          g_signal_connect_object (dialog, "imported", G_CALLBACK (key_imported_cb), self, 0);
          gtk_window_present (GTK_WINDOW (dialog));
        }
    }

  g_object_unref (chooser);
}

static void
import_key_cb (DlgWindow *self)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Import the Signer’s Key"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Public keys (JWK or PEM)"));
  gtk_file_filter_add_suffix (filter, "jwk");
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_filter_add_suffix (filter, "pem");
  gtk_file_filter_add_suffix (filter, "pub");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (import_key_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
trust_key_cb (DlgWindow *self)
{
  DlgSignedDocument *doc = get_shown (self);
  g_autoptr(GError) error = NULL;
  DlgTrustStore *trust = dlg_application_get_trust_store (get_app (self), &error);
  DlgKey *key = doc ? dlg_signed_document_get_key (doc) : NULL;
  GtkWidget *dialog;

  if (trust == NULL || key == NULL)
    return;

  dialog = dlg_key_import_dialog_new (GTK_WINDOW (self), trust, key, dlg_signed_document_get_signer_name (doc),
                                      dlg_signed_document_get_signer_id (doc));
  dlg_key_import_dialog_set_trusted (DLG_KEY_IMPORT_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "imported", G_CALLBACK (key_imported_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_plan_cb (DlgWindow *self)
{
  DlgWindowReports *r = dlg_window_get_reports (self);
  g_autofree char *id = g_strdup (r->review_assessment);

  if (id == NULL)
    return;
  if (g_strcmp0 (dlg_window_get_assessment_id (self), id) != 0)
    dlg_window_open_assessment (self, id);
  else
    gtk_stack_set_visible_child_name (dlg_window_get_main_stack (self), "assessment");
  dlg_assessment_page_show_page (dlg_window_get_assessment_page (self), "actions");
}

/* ------------------------------------------------------------------------ */
/* Signing                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct
{
  DlgWindow *window;
  GtkWidget *sign_window;   /* for a report; NULL for a review */
  DlgReview *review;        /* for a review */
  char      *assessment_id;
} SignData;

static void
sign_data_free (SignData *data)
{
  g_clear_object (&data->window);
  g_clear_object (&data->sign_window);
  g_clear_object (&data->review);
  g_free (data->assessment_id);
  g_free (data);
}

/* A key made now, in a file because no keyring answered, is news the user
 * must hear, with the reason: it needs a backup like their data. */
static void
key_storage_details_cb (AdwToast  *t,
                        DlgWindow *self)
{
  dlg_window_show_message (self, _("Your Signing Key Is Kept in a File"), g_object_get_data (G_OBJECT (t), "details"));
}

static void
tell_key_storage (DlgWindow  *self,
                  DlgKeyring *keyring)
{
  const char *reason = dlg_keyring_get_fallback_reason (keyring);
  g_autofree char *file = dlg_keyring_get_key_file (keyring);
  g_autofree char *display = NULL;
  AdwToast *t;

  if (dlg_keyring_get_storage (keyring) != DLG_KEYRING_STORAGE_FILE || reason == NULL)
    return;

  display = g_filename_display_name (file ? file : "");
  t = adw_toast_new (_("No keyring: your new signing key is kept in a file"));
  adw_toast_set_priority (t, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (t, 0);
  adw_toast_set_button_label (t, _("_Details"));
  g_object_set_data_full (G_OBJECT (t), "details",
                          g_strdup_printf (_("No desktop keyring could be reached (%s), so your organisation’s new signing "
                                             "key was saved in %s, readable only by you. Back it up with the rest of "
                                             "your data: a lost key cannot be recovered, and your buyers know you by it."),
                                           reason, display),
                          g_free);
  g_signal_connect (t, "button-clicked", G_CALLBACK (key_storage_details_cb), self);
  dlg_window_add_toast (self, t);
}

static char *
signed_note (DlgStore   *store,
             const char *assessment_id)
{
  g_autoptr(DlgOutboxEntry) entry = find_signed (store, DLG_SIGNED_REPORT, assessment_id, NULL);
  g_autofree char *when = NULL;

  if (entry == NULL)
    return g_strdup (_("Signed and released. The answers can no longer change; to correct them, start a correction, "
                       "whose report will replace this one."));
  when = format_time (entry->queued_at);
  /* TRANSLATORS: when a report was signed, then its id */
  return g_strdup_printf (_("Signed on %s as report %s. The answers can no longer change; to correct them, start a "
                            "correction, whose report will replace this one."),
                          when, entry->id);
}

/**
 * dlg_window_reports_assessment_opened:
 *
 * Makes a signed assessment read-only, and says which report it became.
 */
void
dlg_window_reports_assessment_opened (DlgWindow *self)
{
  DlgStore *store = dlg_window_get_store (self);
  const char *id = dlg_window_get_assessment_id (self);
  g_autoptr(DlgAssessmentInfo) info = id ? dlg_store_get_assessment_info (store, id, NULL) : NULL;
  g_autofree char *note = NULL;

  if (info != NULL && info->state == DLG_ASSESSMENT_STATE_SIGNED)
    note = signed_note (store, id);
  dlg_assessment_page_set_signed (dlg_window_get_assessment_page (self), note);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-report", note != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.correct-report", note != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-report", info != NULL && note == NULL);
}

/**
 * dlg_window_reports_home_shown:
 *
 * Lists the documents received on the home page.
 */
void
dlg_window_reports_home_shown (DlgWindow *self)
{
  DlgWindowReports *r = dlg_window_get_reports (self);
  DlgApplication *app = get_app (self);
  g_autoptr(GError) error = NULL;
  DlgInbox *inbox = app ? dlg_application_get_inbox (app, &error) : NULL;

  if (inbox == NULL && error != NULL)
    g_message ("The received documents cannot be listed: %s", error->message);
  if (!r->home_connected)
    {
      g_signal_connect (dlg_window_get_home_page (self), "open-received", G_CALLBACK (open_received_cb), self);
      r->home_connected = TRUE;
    }
  dlg_home_page_set_received (dlg_window_get_home_page (self), inbox ? G_LIST_MODEL (inbox) : NULL,
                              app ? dlg_application_get_trust_store (app, NULL) : NULL);
}

/* The report this one corrects: the signed report of the assessment this
 * one was copied from for a correction (the same period). */
static DlgOutboxEntry *
find_superseded (DlgStore                *store,
                 const DlgAssessmentInfo *info)
{
  g_autoptr(DlgAssessmentInfo) previous = NULL;

  if (info->previous_id == NULL ||
      !(previous = dlg_store_get_assessment_info (store, info->previous_id, NULL)) ||
      previous->state != DLG_ASSESSMENT_STATE_SIGNED || g_strcmp0 (previous->period, info->period) != 0)
    return NULL;
  return find_signed (store, DLG_SIGNED_REPORT, previous->id, NULL);
}

static void
report_key_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  SignData *data = user_data;
  DlgWindow *self = data->window;
  DlgSignWindow *sign_window = DLG_SIGN_WINDOW (data->sign_window);
  DlgKeyring *keyring = DLG_KEYRING (object);
  DlgStore *store = dlg_window_get_store (self);
  g_autoptr(DlgKey) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgAssessmentInfo) info = NULL;
  g_autoptr(DlgProfile) profile = NULL;
  g_autoptr(DlgEvaluation) evaluation = NULL;
  g_autoptr(DlgReport) report = NULL;
  g_autoptr(GPtrArray) recipients = NULL;
  g_autoptr(JsonNode) plan_node = NULL;
  g_autoptr(DlgOutboxEntry) superseded = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *period = NULL;
  DlgActionPlan *plan;
  DlgAssessment *assessment;
  char *jws;

  key = dlg_keyring_load_or_create_finish (keyring, result, &error);
  if (dlg_window_get_reports (self) == NULL)
    {
      sign_data_free (data);
      return;
    }
  dlg_window_get_reports (self)->busy--;
  dlg_sign_window_set_busy (sign_window, FALSE);

  if (key == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        dlg_window_show_message (self, _("The Report Was Not Signed"), error->message);
      sign_data_free (data);
      return;
    }
  tell_key_storage (self, keyring);

  /* The assessment may have been closed while the keyring was asked. */
  if (g_strcmp0 (dlg_window_get_assessment_id (self), data->assessment_id) != 0 ||
      !(info = dlg_store_get_assessment_info (store, data->assessment_id, &error)) ||
      !(profile = dlg_store_load_profile (store, &error)))
    {
      dlg_window_show_message (self, _("The Report Was Not Signed"),
                               error ? error->message : _("The assessment was closed. Open it and sign again."));
      sign_data_free (data);
      return;
    }

  assessment = dlg_assessment_page_get_assessment (dlg_window_get_assessment_page (self));
  plan = dlg_window_get_action_plan (self);
  evaluation = dlg_evaluate (assessment, info->quick_scan);
  recipients = dlg_sign_window_get_recipients (sign_window);
  period = dlg_sign_window_get_period (sign_window);
  plan_node = plan ? dlg_action_plan_to_json (plan) : NULL;
  superseded = find_superseded (store, info);

  report = dlg_report_new (assessment, evaluation, profile, recipients, period, dlg_sign_window_get_language (sign_window),
                           plan_node, superseded ? superseded->id : NULL, &error);
  if (report == NULL || !(jws = dlg_report_sign (report, key, &error)))
    {
      dlg_window_show_message (self, _("The Report Was Not Signed"), error->message);
      sign_data_free (data);
      return;
    }

  /* The exact bytes, kept and queued for sync in one transaction that
   * also marks the assessment signed. */
  bytes = g_bytes_new_take (jws, strlen (jws));
  if (!dlg_store_add_signed (store, DLG_SIGNED_REPORT, dlg_report_get_id (report), data->assessment_id, NULL,
                             bytes, TRUE, NULL, &error))
    {
      dlg_window_show_message (self, _("The Report Was Not Kept"), error->message);
      sign_data_free (data);
      return;
    }

  notify_outbox (self);
  gtk_window_destroy (GTK_WINDOW (sign_window));
  dlg_window_reports_assessment_opened (self);
  toast (self, _("Report signed and released. Save the report file to send it, or let sync deliver it."));
  dlg_window_open_signed_bytes (self, bytes);
  sign_data_free (data);
}

static void
sign_cb (DlgSignWindow *sign_window,
         DlgWindow     *self)
{
  DlgWindowReports *r = dlg_window_get_reports (self);
  SignData *data = g_new0 (SignData, 1);

  data->window = g_object_ref (self);
  data->sign_window = g_object_ref (GTK_WIDGET (sign_window));
  data->assessment_id = g_strdup (g_object_get_data (G_OBJECT (sign_window), "assessment-id"));

  /* What is on screen is what gets signed. */
  if (!dlg_window_flush (self))
    {
      dlg_window_show_message (self, _("The Report Was Not Signed"),
                               _("The latest changes are not saved yet; try again once they are."));
      sign_data_free (data);
      return;
    }

  dlg_sign_window_set_busy (sign_window, TRUE);
  r->busy++;
  dlg_keyring_load_or_create_async (dlg_application_get_keyring (get_app (self)), r->cancellable, report_key_cb, data);
}

static void
sign_report_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  DlgWindow *self = DLG_WINDOW (widget);
  DlgWindowReports *r = dlg_window_get_reports (self);
  DlgStore *store = dlg_window_get_store (self);
  const char *id = dlg_window_get_assessment_id (self);
  g_autoptr(DlgAssessmentInfo) info = NULL;
  g_autoptr(DlgProfile) profile = NULL;
  g_autoptr(DlgOutboxEntry) superseded = NULL;
  g_autofree char *supersedes_note = NULL;
  DlgEvaluation *evaluation;
  GtkWidget *sign_window;

  if (id == NULL || store == NULL || !(info = dlg_store_get_assessment_info (store, id, NULL)))
    return;
  if (info->state == DLG_ASSESSMENT_STATE_SIGNED)
    {
      gtk_widget_activate_action (widget, "win.show-report", NULL);
      return;
    }

  profile = dlg_store_load_profile (store, NULL);
  if (profile == NULL || profile->enterprise_number == NULL || *profile->enterprise_number == '\0')
    {
      dlg_window_show_message (self, _("Your Enterprise Number Is Needed"),
                               _("A report says who it is from by your organisation’s enterprise or VAT number. "
                                 "Add it in Preferences (Ctrl+,), then sign again."));
      return;
    }

  superseded = find_superseded (store, info);
  if (superseded != NULL)
    {
      g_autofree char *when = format_time (superseded->queued_at);
      /* TRANSLATORS: a report's id, then when it was signed */
      supersedes_note = g_strdup_printf (_("This report replaces report %s, signed on %s. That report stays as it was sent."),
                                         superseded->id, when);
    }

  evaluation = dlg_assessment_page_get_evaluation (dlg_window_get_assessment_page (self));
  sign_window = dlg_sign_window_new (GTK_WINDOW (self), evaluation, dlg_window_get_action_plan (self),
                                     info->period, supersedes_note);
  /* The buyer named when the assessment was made, whose number is still
   * to give. */
  if (info->recipient != NULL && *info->recipient != '\0')
    dlg_sign_window_add_recipient (DLG_SIGN_WINDOW (sign_window), info->recipient, NULL);
  g_object_set_data_full (G_OBJECT (sign_window), "assessment-id", g_strdup (id), g_free);
  g_signal_connect_object (sign_window, "sign", G_CALLBACK (sign_cb), self, 0);

  if (r->sign_window != NULL)
    gtk_window_destroy (GTK_WINDOW (r->sign_window));
  r->sign_window = sign_window;
  g_object_add_weak_pointer (G_OBJECT (sign_window), (gpointer *) &r->sign_window);
  gtk_window_present (GTK_WINDOW (sign_window));
}

static void
show_report_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  DlgWindow *self = DLG_WINDOW (widget);
  DlgStore *store = dlg_window_get_store (self);
  const char *id = dlg_window_get_assessment_id (self);
  g_autoptr(DlgOutboxEntry) entry = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  if (id == NULL || !(entry = find_signed (store, DLG_SIGNED_REPORT, id, NULL)))
    return;
  if (!(bytes = dlg_store_get_signed_bytes (store, entry->id, &error)))
    {
      dlg_window_show_message (self, _("The Report Cannot Be Shown"), error->message);
      return;
    }
  dlg_window_open_signed_bytes (self, bytes);
}

static void
correct_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     DlgWindow        *self)
{
  g_autoptr(DlgAssessmentInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *id = NULL;
  const char *current = dlg_window_get_assessment_id (self);

  if (g_strcmp0 (response, "correct") != 0 || current == NULL ||
      !(info = dlg_store_get_assessment_info (dlg_window_get_store (self), current, NULL)))
    return;

  /* TRANSLATORS: the title of a corrected copy of an assessment */
  title = g_strdup_printf (_("%s (correction)"), info->title);
  id = dlg_window_start_next_period (self, NULL, title, info->period, &error);
  if (id == NULL)
    dlg_window_show_message (self, _("The Correction Was Not Started"), error->message);
  else
    toast (self, _("Correct the answers, then sign again: the new report will say which one it replaces."));
}

static void
correct_report_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  DlgWindow *self = DLG_WINDOW (widget);
  GtkWidget *dialog;

  if (dlg_window_get_assessment_id (self) == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Correct This Report?"),
                                   _("A signed report never changes. A correction is a copy of this assessment, "
                                     "with every answer to confirm or change, and the open actions; signed, its "
                                     "report says that it replaces this one, which stays as it was sent."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "correct", _("_Start Correction"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "correct", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "correct");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (correct_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------------ */
/* Reviewing                                                                */
/* ------------------------------------------------------------------------ */

static void
review_key_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  SignData *data = user_data;
  DlgWindow *self = data->window;
  DlgKeyring *keyring = DLG_KEYRING (object);
  DlgStore *store = dlg_window_get_store (self);
  g_autoptr(DlgKey) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *jws;

  key = dlg_keyring_load_or_create_finish (keyring, result, &error);
  if (dlg_window_get_reports (self) == NULL)
    {
      sign_data_free (data);
      return;
    }
  dlg_window_get_reports (self)->busy--;

  if (key == NULL || !(jws = dlg_review_sign (data->review, key, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        dlg_window_show_message (self, _("The Review Was Not Signed"), error->message);
      sign_data_free (data);
      return;
    }
  tell_key_storage (self, keyring);

  bytes = g_bytes_new_take (jws, strlen (jws));
  if (!dlg_store_add_signed (store, DLG_SIGNED_REVIEW, dlg_review_get_id (data->review), NULL,
                             dlg_review_get_report_id (data->review), bytes, TRUE, NULL, &error))
    {
      dlg_window_show_message (self, _("The Review Was Not Kept"), error->message);
      sign_data_free (data);
      return;
    }

  notify_outbox (self);
  dlg_report_page_set_signed_review (get_page (self), bytes,
                                     _("Your review is signed and kept. Save it as a file and send it back to the "
                                       "supplier, or let sync deliver it."));
  toast (self, _("Review signed"));
  sign_data_free (data);
}

static void
sign_review_cb (DlgWindow *self)
{
  DlgWindowReports *r = dlg_window_get_reports (self);
  g_autoptr(DlgProfile) profile = dlg_store_load_profile (dlg_window_get_store (self), NULL);
  g_autoptr(DlgParty) reviewer = NULL;
  g_autoptr(GError) error = NULL;
  SignData *data;
  DlgReview *review;

  if (profile == NULL || profile->enterprise_number == NULL || *profile->enterprise_number == '\0')
    {
      dlg_window_show_message (self, _("Your Enterprise Number Is Needed"),
                               _("A review says who it is from by your organisation’s enterprise or VAT number. "
                                 "Add it in Preferences (Ctrl+,), then sign again."));
      return;
    }

  reviewer = dlg_party_new (profile->name, profile->enterprise_number);
  review = dlg_report_page_build_review (get_page (self), reviewer, &error);
  if (review == NULL)
    {
      dlg_window_show_message (self, _("The Review Cannot Be Signed Yet"), error->message);
      return;
    }

  data = g_new0 (SignData, 1);
  data->window = g_object_ref (self);
  data->review = review;
  r->busy++;
  dlg_keyring_load_or_create_async (dlg_application_get_keyring (get_app (self)), r->cancellable, review_key_cb, data);
}

/* ------------------------------------------------------------------------ */
/* Opening, dropping                                                        */
/* ------------------------------------------------------------------------ */

static void
open_response_cb (GtkNativeDialog *chooser,
                  int              response,
                  DlgWindow       *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      dlg_window_open_signed_file (self, file);
    }

  g_object_unref (chooser);
}

static void
open_signed_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  DlgWindow *self = DLG_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Open Report or Review"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Signed reports and reviews"));
  gtk_file_filter_add_mime_type (filter, REPORT_TYPE);
  gtk_file_filter_add_mime_type (filter, REVIEW_TYPE);
  gtk_file_filter_add_suffix (filter, "dlgreport");
  gtk_file_filter_add_suffix (filter, "dlgreview");
  gtk_file_filter_add_suffix (filter, "jws");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (open_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
open_received_cb (DlgHomePage *page,
                  const char  *id,
                  DlgWindow   *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = dlg_store_get_signed_bytes (dlg_window_get_store (self), id, &error);

  if (bytes == NULL)
    {
      dlg_window_show_message (self, _("The Document Cannot Be Shown"), error->message);
      return;
    }
  dlg_window_open_signed_bytes (self, bytes);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         DlgWindow     *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = g_value_get_boxed (value);
  for (GSList *l = files; l != NULL; l = l->next)
    dlg_window_open_file (self, l->data);
  return files != NULL;
}

/* ------------------------------------------------------------------------ */
/* Set-up                                                                   */
/* ------------------------------------------------------------------------ */

void
dlg_window_reports_class_init (GtkWidgetClass *widget_class)
{
  g_type_ensure (DLG_TYPE_REPORT_PAGE);

  gtk_widget_class_install_action (widget_class, "win.open-signed", NULL, open_signed_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.open-signed", NULL);
  gtk_widget_class_install_action (widget_class, "win.sign-report", NULL, sign_report_action);
  gtk_widget_class_install_action (widget_class, "win.show-report", NULL, show_report_action);
  gtk_widget_class_install_action (widget_class, "win.correct-report", NULL, correct_report_action);
}

DlgWindowReports *
dlg_window_reports_new (DlgWindow *self)
{
  DlgWindowReports *r = g_new0 (DlgWindowReports, 1);
  GtkDropTarget *target;

  r->window = self;
  r->cancellable = g_cancellable_new ();

  /* Files dropped anywhere on the window open as if chosen. */
  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-report", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.correct-report", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-report", FALSE);
  return r;
}

void
dlg_window_reports_free (DlgWindowReports *r)
{
  g_cancellable_cancel (r->cancellable);
  g_clear_object (&r->cancellable);
  if (r->sign_window != NULL)
    gtk_window_destroy (GTK_WINDOW (r->sign_window));
  g_free (r->review_assessment);
  g_free (r);
}
