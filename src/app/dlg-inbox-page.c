/* dlg-inbox-page.c - reports and reviews others sent us
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Newest first, whether they came by sync or as a file: a report received
 * both ways is one row. Each says who sent it, when and how it came,
 * whether it is new, and what its signature says with the keys known now
 * (the list follows changes to the known keys). Activating a row marks it
 * read and emits ::open-document; the window decides what opening means.
 */

#define G_LOG_DOMAIN "dlg-inbox-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "dlg-inbox-page.h"
#include "dlg-inbox-row.h"

struct _DlgInboxPage
{
  GtkWidget       parent_instance;

  /* Template widgets */
  AdwWindowTitle *window_title;
  GtkButton      *check_button;
  GtkSpinner     *check_spinner;
  GtkStack       *stack;
  AdwStatusPage  *empty_page;
  GtkButton      *empty_button;
  AdwStatusPage  *unavailable_page;
  GtkListBox     *banner_list;
  AdwActionRow   *banner_row;
  GtkListBox     *list;

  /* Owned references */
  DlgSyncService *service;
  DlgInbox       *inbox;
};

G_DEFINE_FINAL_TYPE (DlgInboxPage, dlg_inbox_page, GTK_TYPE_WIDGET)

enum {
  OPEN_DOCUMENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
toast (DlgInboxPage *self,
       const char   *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
  else
    g_message ("%s", message);
}

static char *
sender_name (DlgInboxPage *self,
             DlgInboxItem *item)
{
  char *name = dlg_sync_service_get_sender_name (self->service, item);

  return name ? name : g_strdup (dlg_inbox_item_get_sender_id (item));
}

static const char *
via_label (DlgReceivedVia via)
{
  if ((via & DLG_RECEIVED_VIA_SYNC) && (via & DLG_RECEIVED_VIA_FILE))
    return _("by sync and as a file");
  if (via & DLG_RECEIVED_VIA_SYNC)
    return _("by sync");
  return _("as a file");
}

/* Our own report a review is about, by the title of its assessment. */
static char *
reviewed_title (DlgInboxPage *self,
                DlgInboxItem *item)
{
  const char *subject = dlg_inbox_item_get_subject_id (item);
  DlgOutboxItem *report = subject ? dlg_outbox_lookup (dlg_sync_service_get_outbox (self->service), subject) : NULL;
  const char *assessment_id = report ? dlg_outbox_item_get_assessment_id (report) : NULL;
  g_autoptr(DlgAssessmentInfo) info = NULL;

  if (assessment_id != NULL)
    info = dlg_store_get_assessment_info (dlg_sync_service_get_store (self->service), assessment_id, NULL);
  return info && info->title ? g_strdup (info->title) : NULL;
}

static char *
describe_title (DlgInboxPage *self,
                DlgInboxItem *item)
{
  g_autofree char *sender = sender_name (self, item);

  if (dlg_inbox_item_get_kind (item) == DLG_SIGNED_REVIEW)
    /* TRANSLATORS: %s is the organisation that reviewed one of our reports */
    return g_strdup_printf (_("Review from %s"), sender);
  /* TRANSLATORS: %s is the organisation that sent the report */
  return g_strdup_printf (_("Report from %s"), sender);
}

static char *
describe_subtitle (DlgInboxPage *self,
                   DlgInboxItem *item)
{
  g_autofree char *when = dlg_sync_format_time (dlg_inbox_item_get_received_at (item));
  g_autofree char *reviewed = NULL;
  g_autofree char *name = sender_name (self, item);
  GString *text = g_string_new (NULL);

  /* The number too, when the title shows a name. */
  if (!g_str_equal (name, dlg_inbox_item_get_sender_id (item)))
    g_string_append_printf (text, "%s · ", dlg_inbox_item_get_sender_id (item));
  /* TRANSLATORS: first %s is a time, e.g. "today at 14:05"; second is "by sync" or "as a file" */
  g_string_append_printf (text, _("received %s, %s"), when, via_label (dlg_inbox_item_get_via (item)));

  if (dlg_inbox_item_get_kind (item) == DLG_SIGNED_REVIEW)
    {
      reviewed = reviewed_title (self, item);
      g_string_append (text, "\n");
      if (reviewed != NULL)
        /* TRANSLATORS: %s is the title of one of our assessments */
        g_string_append_printf (text, _("About your report “%s”"), reviewed);
      else
        /* TRANSLATORS: %s is the start of a report's id */
        g_string_append_printf (text, _("About your report %.8s"), dlg_inbox_item_get_subject_id (item));
    }
  return g_string_free (text, FALSE);
}

static void
refresh_row (DlgInboxPage *self,
             DlgInboxRow  *row)
{
  DlgInboxItem *item = dlg_inbox_row_get_item (row);
  g_autofree char *title = describe_title (self, item);
  g_autofree char *subtitle = describe_subtitle (self, item);

  dlg_inbox_row_set_details (row, title, subtitle, dlg_sync_service_verify (self->service, item, NULL));
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  DlgInboxPage *self = user_data;
  GtkWidget *row = dlg_inbox_row_new (item);

  refresh_row (self, DLG_INBOX_ROW (row));
  g_signal_connect_swapped (row, "item-changed", G_CALLBACK (refresh_row), self);
  return row;
}

static void
verdicts_changed_cb (DlgInboxPage *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (DLG_IS_INBOX_ROW (row))
      refresh_row (self, DLG_INBOX_ROW (row));
}

static void
update_status (DlgInboxPage *self)
{
  gboolean configured = self->service && dlg_sync_service_get_configured (self->service);
  gboolean checking = self->service && dlg_sync_service_get_checking (self->service);
  const char *failure = self->service ? dlg_sync_service_get_last_check_error (self->service) : NULL;
  guint n = self->inbox ? g_list_model_get_n_items (G_LIST_MODEL (self->inbox)) : 0;
  guint unread = self->inbox ? dlg_inbox_get_n_unread (self->inbox) : 0;
  g_autofree char *subtitle = NULL;

  if (self->service != NULL && self->inbox == NULL)
    {
      adw_status_page_set_description (self->unavailable_page,
                                       dlg_sync_service_get_inbox_error (self->service)->message);
      gtk_stack_set_visible_child_name (self->stack, "unavailable");
    }
  else
    gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");

  adw_status_page_set_description (self->empty_page,
                                   configured
                                   ? _("Reports addressed to you and reviews of your reports appear here as they "
                                       "arrive from the server, and so do report files you open.")
                                   : _("Set up sync to receive reports and reviews from your buyers’ server. "
                                       "Report files you open appear here too."));
  gtk_widget_set_visible (GTK_WIDGET (self->empty_button), !configured);

  if (unread > 0)
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new", "%u new", unread), unread);
  else if (checking)
    subtitle = g_strdup (_("Checking…"));
  else if (self->service != NULL && dlg_sync_service_get_last_check (self->service) != NULL)
    {
      g_autofree char *when = dlg_sync_format_time (dlg_sync_service_get_last_check (self->service));

      /* TRANSLATORS: %s is a time, e.g. "today at 14:05" */
      subtitle = g_strdup_printf (_("Checked %s"), when);
    }
  adw_window_title_set_subtitle (self->window_title, subtitle ? subtitle : "");

  gtk_widget_set_visible (GTK_WIDGET (self->check_spinner), checking);
  gtk_spinner_set_spinning (self->check_spinner, checking);
  gtk_widget_set_visible (GTK_WIDGET (self->check_button), !checking);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inbox.check", configured && self->inbox && !checking);

  gtk_widget_set_visible (GTK_WIDGET (self->banner_list), failure != NULL && configured);
  if (failure != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (failure, -1);

      adw_action_row_set_subtitle (self->banner_row, escaped);
    }
}

static void
row_activated_cb (DlgInboxPage  *self,
                  GtkListBoxRow *row)
{
  DlgInboxItem *item = dlg_inbox_row_get_item (DLG_INBOX_ROW (row));
  g_autofree char *id = g_strdup (dlg_inbox_item_get_id (item));
  g_autoptr(GError) error = NULL;

  if (!dlg_inbox_mark_read (self->inbox, id, &error))
    g_message ("Could not mark %s read: %s", id, error->message);
  g_signal_emit (self, signals[OPEN_DOCUMENT], 0, id);
}

static void
checked_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(DlgInboxPage) self = user_data;
  g_autoptr(GPtrArray) refused = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint received;

  received = dlg_sync_service_check_inbox_finish (DLG_SYNC_SERVICE (source), result, &refused, &error);
  if (self->service == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    text = g_strdup (error->message);
  else if (refused != NULL && refused->len > 0)
    /* The reasons are in the log; the count says something was wrong. */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u new; %u could not be verified and was not kept",
                                         "%u new; %u could not be verified and were not kept", refused->len),
                            received, refused->len);
  else if (received == 0)
    text = g_strdup (_("Nothing new"));
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new report or review", "%u new reports or reviews",
                                         received), received);
  toast (self, text);
}

static void
check_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  DlgInboxPage *self = DLG_INBOX_PAGE (widget);

  if (self->service != NULL)
    dlg_sync_service_check_inbox_async (self->service, NULL, checked_cb, g_object_ref (self));
}

static void
dlg_inbox_page_dispose (GObject *object)
{
  DlgInboxPage *self = (DlgInboxPage *)object;
  GtkWidget *child;

  dlg_inbox_page_set_service (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DLG_TYPE_INBOX_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (dlg_inbox_page_parent_class)->dispose (object);
}

static void
dlg_inbox_page_class_init (DlgInboxPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dlg_inbox_page_dispose;

  /**
   * DlgInboxPage::open-document:
   * @id: the received document's id; its exact bytes are
   *   dlg_inbox_get_bytes()
   *
   * A row was activated (and marked read).
   */
  signals[OPEN_DOCUMENT] =
    g_signal_new ("open-document", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dlg-inbox-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DlgInboxPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, DlgInboxPage, check_button);
  gtk_widget_class_bind_template_child (widget_class, DlgInboxPage, check_spinner);
  gtk_widget_class_bind_template_child (widget_class, DlgInboxPage, stack);
  gtk_widget_class_bind_template_child (widget_class, DlgInboxPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, DlgInboxPage, empty_button);
  gtk_widget_class_bind_template_child (widget_class, DlgInboxPage, unavailable_page);
  gtk_widget_class_bind_template_child (widget_class, DlgInboxPage, banner_list);
  gtk_widget_class_bind_template_child (widget_class, DlgInboxPage, banner_row);
  gtk_widget_class_bind_template_child (widget_class, DlgInboxPage, list);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "inbox.check", NULL, check_action);
}

static void
dlg_inbox_page_init (DlgInboxPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_status (self);
}

GtkWidget *
dlg_inbox_page_new (void)
{
  return g_object_new (DLG_TYPE_INBOX_PAGE, NULL);
}

/**
 * dlg_inbox_page_set_service:
 * @service: (nullable): the application's sync service
 */
void
dlg_inbox_page_set_service (DlgInboxPage   *self,
                            DlgSyncService *service)
{
  g_return_if_fail (DLG_IS_INBOX_PAGE (self));
  g_return_if_fail (service == NULL || DLG_IS_SYNC_SERVICE (service));

  if (self->service == service)
    return;

  if (self->inbox != NULL)
    g_signal_handlers_disconnect_by_data (self->inbox, self);
  if (self->service != NULL)
    g_signal_handlers_disconnect_by_data (self->service, self);
  gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->inbox);
  g_clear_object (&self->service);

  if (service != NULL)
    {
      self->service = g_object_ref (service);
      if (dlg_sync_service_get_inbox (service) != NULL)
        {
          self->inbox = g_object_ref (dlg_sync_service_get_inbox (service));
          gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->inbox), create_row_cb, self, NULL);
          g_signal_connect_swapped (self->inbox, "items-changed", G_CALLBACK (update_status), self);
          g_signal_connect_swapped (self->inbox, "notify::n-unread", G_CALLBACK (update_status), self);
        }
      g_signal_connect_swapped (service, "verdicts-changed", G_CALLBACK (verdicts_changed_cb), self);
      g_signal_connect_swapped (service, "notify::configured", G_CALLBACK (update_status), self);
      g_signal_connect_swapped (service, "notify::checking", G_CALLBACK (update_status), self);
      g_signal_connect_swapped (service, "notify::last-check", G_CALLBACK (update_status), self);
      g_signal_connect_swapped (service, "notify::last-check-error", G_CALLBACK (update_status), self);
    }

  update_status (self);
}

static void
add_detail (GtkListBox *list,
            const char *label,
            const char *value)
{
  GtkWidget *row;

  if (value == NULL || *value == '\0')
    return;

  /* The value large and selectable (ids are copied), its name below. */
  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), value);
  adw_preferences_row_set_title_selectable (ADW_PREFERENCES_ROW (row), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), label);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, value, -1);
  gtk_list_box_append (list, row);
}

/* What the signed payload says, read only from a document whose signature
 * holds with a key we know. */
static void
add_content (DlgInboxPage *self,
             DlgInboxItem *item,
             GtkListBox   *list)
{
  g_autoptr(GBytes) bytes = dlg_inbox_get_bytes (self->inbox, dlg_inbox_item_get_id (item), NULL);
  g_autoptr(DlgJws) jws = NULL;
  DlgTrustedKey *key;
  gsize length;
  const char *data;

  if (bytes == NULL)
    return;
  data = g_bytes_get_data (bytes, &length);
  jws = dlg_jws_parse (data ? data : "", length, NULL);
  key = jws ? dlg_trust_store_lookup (dlg_sync_service_get_trust_store (self->service), dlg_jws_get_kid (jws)) : NULL;
  if (key == NULL)
    return;

  if (dlg_inbox_item_get_kind (item) == DLG_SIGNED_REPORT)
    {
      g_autoptr(DlgReport) report = dlg_report_new_from_jws (jws, dlg_trusted_key_get_key (key), NULL);
      g_autofree char *questionnaire = NULL;

      if (report == NULL)
        return;
      /* TRANSLATORS: a questionnaire's title and its version */
      questionnaire = g_strdup_printf (_("%s, version %s"), dlg_report_get_questionnaire_title (report),
                                       dlg_report_get_questionnaire_version (report));
      add_detail (list, _("Questionnaire"), questionnaire);
      add_detail (list, _("Period"), dlg_report_get_period (report));
      add_detail (list, _("Overall level"), dlg_level_get_label (dlg_report_get_level (report)));
    }
  else
    {
      g_autoptr(DlgReview) review = dlg_review_new_from_jws (jws, dlg_trusted_key_get_key (key), NULL);
      g_autofree char *reviewed = NULL;

      if (review == NULL)
        return;
      reviewed = reviewed_title (self, item);
      add_detail (list, _("About your report"), reviewed);
      add_detail (list, _("Report id"), dlg_review_get_report_id (review));
      add_detail (list, _("Decision"), dlg_decision_get_label (dlg_review_get_decision (review)));
      add_detail (list, _("Reason"), dlg_review_get_reason (review));
    }
}

/**
 * dlg_inbox_page_show_details:
 * @id: a received document
 *
 * Shows who sent it, what it is, what its signature says and when it
 * came, in a dialog; and, when its signature holds, what it says in
 * brief.
 */
void
dlg_inbox_page_show_details (DlgInboxPage *self,
                             const char   *id)
{
  DlgInboxItem *item;
  g_autofree char *title = NULL;
  g_autofree char *name = NULL;
  g_autofree char *sender = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *received = NULL;
  g_autofree char *when = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GDateTime) server_time = NULL;
  g_autofree char *server_when = NULL;
  DlgVerdict verdict;
  GtkWidget *dialog, *list;

  g_return_if_fail (DLG_IS_INBOX_PAGE (self));

  item = self->inbox ? dlg_inbox_lookup (self->inbox, id) : NULL;
  if (item == NULL)
    return;

  title = describe_title (self, item);
  name = sender_name (self, item);
  sender = g_str_equal (name, dlg_inbox_item_get_sender_id (item))
           ? g_strdup (name) : g_strdup_printf ("%s (%s)", name, dlg_inbox_item_get_sender_id (item));
  verdict = dlg_sync_service_verify (self->service, item, &detail);
  /* TRANSLATORS: a verdict such as "Verified", then the reason in a sentence */
  body = g_strdup_printf (_("%s. %s"), dlg_verdict_get_label (verdict), detail);
  received = dlg_sync_format_time (dlg_inbox_item_get_received_at (item));
  when = g_strdup_printf ("%s, %s", received, via_label (dlg_inbox_item_get_via (item)));
  if (dlg_inbox_item_get_server_received_at (item) != NULL)
    {
      server_time = g_date_time_new_from_iso8601 (dlg_inbox_item_get_server_received_at (item), NULL);
      server_when = server_time ? dlg_sync_format_time (server_time) : NULL;
    }

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  add_detail (GTK_LIST_BOX (list), _("Sender"), sender);
  add_detail (GTK_LIST_BOX (list), _("Kind"),
              dlg_inbox_item_get_kind (item) == DLG_SIGNED_REVIEW ? _("Review") : _("Report"));
  add_detail (GTK_LIST_BOX (list), _("Signature"), dlg_verdict_get_label (verdict));
  add_detail (GTK_LIST_BOX (list), _("Received"), when);
  add_detail (GTK_LIST_BOX (list), _("Stored by the server"), server_when);
  add_detail (GTK_LIST_BOX (list), dlg_inbox_item_get_kind (item) == DLG_SIGNED_REVIEW ? _("Review id")
                                                                                         : _("Report id"), id);
  if (verdict != DLG_VERDICT_INVALID)
    add_content (self, item, GTK_LIST_BOX (list));

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), title, body);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}
