/* dlg-outbox-page.c - every signed document and what became of it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Newest first. Nothing leaves this list: a document is queued, sending,
 * delivered (with the server's receipt) or rejected (with the reason and
 * what to do), and any of them can be saved as a file, the way out when
 * no server will take it. A banner above says when nothing can be sent at
 * all (no server set up, or the token refused) and leads to Preferences.
 */

#define G_LOG_DOMAIN "dlg-outbox-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "dlg-outbox-page.h"
#include "dlg-outbox-row.h"

struct _DlgOutboxPage
{
  GtkWidget       parent_instance;

  /* Template widgets */
  AdwWindowTitle *window_title;
  GtkButton      *send_all_button;
  GtkStack       *stack;
  GtkListBox     *banner_list;
  AdwActionRow   *banner_row;
  GtkListBox     *list;

  /* Owned references */
  DlgSyncService *service;
  DlgOutbox      *outbox;
  GHashTable     *entries;      /* id → DlgOutboxEntry, as the store has it */
};

G_DEFINE_FINAL_TYPE (DlgOutboxPage, dlg_outbox_page, GTK_TYPE_WIDGET)

static void
toast (DlgOutboxPage *self,
       const char    *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
  else
    g_message ("%s", message);
}

/* What the store knows of each document and the item does not say: when
 * it was signed, and the report a review is about. */
static void
load_entries (DlgOutboxPage *self)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  g_hash_table_remove_all (self->entries);
  entries = dlg_store_list_outbox (dlg_sync_service_get_store (self->service), &error);
  if (entries == NULL)
    {
      g_message ("The outbox could not be read: %s", error->message);
      return;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      DlgOutboxEntry *entry = g_ptr_array_index (entries, i);

      g_hash_table_insert (self->entries, g_strdup (entry->id), dlg_outbox_entry_copy (entry));
    }
}

static void
describe (DlgOutboxPage  *self,
          DlgOutboxItem  *item,
          char          **title,
          char          **subtitle)
{
  DlgStore *store = dlg_sync_service_get_store (self->service);
  const char *id = dlg_outbox_item_get_id (item);
  DlgOutboxEntry *entry = g_hash_table_lookup (self->entries, id);
  g_autoptr(GString) more = g_string_new (NULL);

  if (entry == NULL)
    {
      load_entries (self);
      entry = g_hash_table_lookup (self->entries, id);
    }

  if (dlg_outbox_item_get_kind (item) == DLG_SIGNED_REPORT)
    {
      const char *assessment_id = dlg_outbox_item_get_assessment_id (item);
      g_autoptr(DlgAssessmentInfo) info = assessment_id ? dlg_store_get_assessment_info (store, assessment_id, NULL)
                                                        : NULL;

      if (info != NULL && info->title != NULL && *info->title != '\0')
        *title = g_strdup (info->title);
      else
        /* TRANSLATORS: %s is the start of a report's id */
        *title = g_strdup_printf (_("Report %.8s"), id);
      g_string_append (more, _("Report"));
      if (info != NULL && info->period != NULL && *info->period != '\0')
        g_string_append_printf (more, " · %s", info->period);
      if (info != NULL && info->recipient != NULL && *info->recipient != '\0')
        /* TRANSLATORS: %s is the buyer or contract a report is for */
        g_string_append_printf (more, " · %s", info->recipient);
    }
  else
    {
      const char *subject = entry ? entry->subject_id : NULL;
      DlgInbox *inbox = dlg_sync_service_get_inbox (self->service);
      DlgInboxItem *report = subject && inbox ? dlg_inbox_lookup (inbox, subject) : NULL;
      g_autofree char *sender = report ? dlg_sync_service_get_sender_name (self->service, report) : NULL;

      if (sender == NULL && report != NULL)
        sender = g_strdup (dlg_inbox_item_get_sender_id (report));
      if (sender != NULL)
        /* TRANSLATORS: %s is the organisation whose report was reviewed */
        *title = g_strdup_printf (_("Review of the report from %s"), sender);
      else
        /* TRANSLATORS: %s is the start of a report's id */
        *title = g_strdup_printf (_("Review of report %.8s"), subject ? subject : "");
      g_string_append (more, _("Review"));
    }

  if (entry != NULL && entry->queued_at > 0)
    {
      g_autoptr(GDateTime) signed_at = g_date_time_new_from_unix_local (entry->queued_at / G_USEC_PER_SEC);
      g_autofree char *when = dlg_sync_format_time (signed_at);

      /* TRANSLATORS: %s is a time, e.g. "today at 14:05" */
      g_string_append_printf (more, " · ");
      g_string_append_printf (more, _("signed %s"), when);
    }
  *subtitle = g_string_free (g_steal_pointer (&more), FALSE);
}

static GtkWidget *
create_row (DlgOutboxPage *self,
            DlgOutboxItem *item)
{
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  describe (self, item, &title, &subtitle);
  return dlg_outbox_row_new (item, title, subtitle);
}

static void
update_status (DlgOutboxPage *self)
{
  guint n = self->outbox ? g_list_model_get_n_items (G_LIST_MODEL (self->outbox)) : 0;
  guint pending = self->service ? dlg_sync_service_get_n_pending (self->service) : 0;
  guint rejected = self->service ? dlg_sync_service_get_n_rejected (self->service) : 0;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  const char *title = NULL, *detail = NULL;

  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");

  if (pending > 0)
    g_string_append_printf (subtitle, g_dngettext (GETTEXT_PACKAGE, "%u waiting", "%u waiting", pending), pending);
  if (rejected > 0)
    {
      if (subtitle->len > 0)
        g_string_append (subtitle, " · ");
      g_string_append_printf (subtitle, g_dngettext (GETTEXT_PACKAGE, "%u refused", "%u refused", rejected), rejected);
    }
  if (n > 0 && pending == 0 && rejected == 0)
    g_string_append (subtitle, _("All delivered"));
  adw_window_title_set_subtitle (self->window_title, subtitle->str);

  gtk_widget_set_sensitive (GTK_WIDGET (self->send_all_button),
                            pending > 0 && self->service && dlg_sync_service_get_configured (self->service));

  /* Why nothing moves, where that is not one document's problem. */
  if (self->service != NULL && !dlg_sync_service_get_configured (self->service) && pending > 0)
    {
      title = _("No Server Set Up");
      detail = _("Signed reports wait here. Enter the server address and your token in Preferences, or save "
                 "them as files and send those.");
    }
  else if (self->outbox != NULL && dlg_outbox_get_blocked (self->outbox))
    {
      title = _("The Server Refused the Token");
      detail = _("Nothing is sent until the token is fixed. Check it in Preferences, or ask the server’s "
                 "administrator for a new one.");
    }

  gtk_widget_set_visible (GTK_WIDGET (self->banner_list), title != NULL);
  if (title != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (detail, -1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->banner_row), title);
      adw_action_row_set_subtitle (self->banner_row, escaped);
    }
}

static void
rebuild (DlgOutboxPage *self)
{
  GtkWidget *child;
  guint n;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))))
    gtk_list_box_remove (self->list, child);

  if (self->outbox == NULL)
    return;

  load_entries (self);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->outbox));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DlgOutboxItem) item = g_list_model_get_item (G_LIST_MODEL (self->outbox), i);

      gtk_list_box_prepend (self->list, create_row (self, item));
    }
}

static void
items_changed_cb (GListModel    *model,
                  guint          position,
                  guint          removed,
                  guint          added,
                  DlgOutboxPage *self)
{
  /* The outbox only ever grows at its end: newest on top. */
  if (removed == 0 && position + added == g_list_model_get_n_items (model))
    {
      for (guint i = position; i < position + added; i++)
        {
          g_autoptr(DlgOutboxItem) item = g_list_model_get_item (model, i);

          gtk_list_box_prepend (self->list, create_row (self, item));
        }
    }
  else
    rebuild (self);

  update_status (self);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  DlgOutboxPage *self = DLG_OUTBOX_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (self->outbox == NULL)
    return;
  if (!dlg_outbox_retry (self->outbox, g_variant_get_string (parameter, NULL), &error))
    toast (self, error->message);
  else if (!dlg_sync_service_get_configured (self->service))
    toast (self, _("No server is set up: it is sent once one is"));
}

static void
send_all_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  DlgOutboxPage *self = DLG_OUTBOX_PAGE (widget);

  if (self->outbox != NULL)
    dlg_outbox_send_now (self->outbox);
}

static void
save_response_cb (GtkNativeDialog *chooser,
                  int              response,
                  DlgOutboxPage   *self)
{
  const char *id = g_object_get_data (G_OBJECT (chooser), "id");

  if (response == GTK_RESPONSE_ACCEPT && self->service != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (!dlg_outbox_page_save_file (self, id, path, &error))
        {
          g_autofree char *message = g_strdup_printf (_("The file was not saved: %s"), error->message);
          toast (self, message);
        }
      else
        toast (self, _("Saved. Send the file to its recipients: it is the same signed document."));
    }

  g_object_unref (chooser);
  g_object_unref (self);
}

static void
save_file_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DlgOutboxPage *self = DLG_OUTBOX_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  DlgOutboxItem *item = self->outbox ? dlg_outbox_lookup (self->outbox, id) : NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;
  gboolean review;

  if (item == NULL)
    return;

  review = dlg_outbox_item_get_kind (item) == DLG_SIGNED_REVIEW;
  describe (self, item, &title, &subtitle);
  name = g_strconcat (title, review ? ".dlgreview" : ".dlgreport", NULL);
  g_strdelimit (name, "/\\:", '-');

  chooser = gtk_file_chooser_native_new (review ? _("Save Review File") : _("Save Report File"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_filter_set_name (filter, review ? _("Signed reviews") : _("Signed reports"));
  gtk_file_filter_add_mime_type (filter, review ? "application/vnd.diligence.review+jws"
                                                : "application/vnd.diligence.report+jws");
  gtk_file_filter_add_suffix (filter, review ? "dlgreview" : "dlgreport");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data_full (G_OBJECT (chooser), "id", g_strdup (id), g_free);
  g_signal_connect (chooser, "response", G_CALLBACK (save_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
dlg_outbox_page_dispose (GObject *object)
{
  DlgOutboxPage *self = (DlgOutboxPage *)object;
  GtkWidget *child;

  dlg_outbox_page_set_service (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DLG_TYPE_OUTBOX_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_pointer (&self->entries, g_hash_table_unref);

  G_OBJECT_CLASS (dlg_outbox_page_parent_class)->dispose (object);
}

static void
dlg_outbox_page_class_init (DlgOutboxPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dlg_outbox_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dlg-outbox-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DlgOutboxPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, DlgOutboxPage, send_all_button);
  gtk_widget_class_bind_template_child (widget_class, DlgOutboxPage, stack);
  gtk_widget_class_bind_template_child (widget_class, DlgOutboxPage, banner_list);
  gtk_widget_class_bind_template_child (widget_class, DlgOutboxPage, banner_row);
  gtk_widget_class_bind_template_child (widget_class, DlgOutboxPage, list);

  gtk_widget_class_install_action (widget_class, "outbox.retry", "s", retry_action);
  gtk_widget_class_install_action (widget_class, "outbox.save-file", "s", save_file_action);
  gtk_widget_class_install_action (widget_class, "outbox.send-all", NULL, send_all_action);
}

static void
dlg_outbox_page_init (DlgOutboxPage *self)
{
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) dlg_outbox_entry_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  update_status (self);
}

GtkWidget *
dlg_outbox_page_new (void)
{
  return g_object_new (DLG_TYPE_OUTBOX_PAGE, NULL);
}

/**
 * dlg_outbox_page_set_service:
 * @service: (nullable): the application's sync service
 */
void
dlg_outbox_page_set_service (DlgOutboxPage  *self,
                             DlgSyncService *service)
{
  g_return_if_fail (DLG_IS_OUTBOX_PAGE (self));
  g_return_if_fail (service == NULL || DLG_IS_SYNC_SERVICE (service));

  if (self->service == service)
    return;

  if (self->outbox != NULL)
    g_signal_handlers_disconnect_by_data (self->outbox, self);
  if (self->service != NULL)
    g_signal_handlers_disconnect_by_data (self->service, self);
  g_clear_object (&self->outbox);
  g_clear_object (&self->service);

  if (service != NULL)
    {
      self->service = g_object_ref (service);
      self->outbox = g_object_ref (dlg_sync_service_get_outbox (service));
      g_signal_connect (self->outbox, "items-changed", G_CALLBACK (items_changed_cb), self);
      g_signal_connect_swapped (self->outbox, "notify::blocked", G_CALLBACK (update_status), self);
      g_signal_connect_swapped (service, "notify::configured", G_CALLBACK (update_status), self);
      g_signal_connect_swapped (service, "notify::n-pending", G_CALLBACK (update_status), self);
      g_signal_connect_swapped (service, "notify::n-rejected", G_CALLBACK (update_status), self);
    }

  if (gtk_widget_get_first_child (GTK_WIDGET (self->list)) != NULL || self->outbox != NULL)
    rebuild (self);
  update_status (self);
}

/**
 * dlg_outbox_page_save_file:
 * @id: a document in the outbox
 * @path: where to write it
 *
 * Writes the document's exact signed bytes to @path, atomically: the file
 * a recipient opens is the same document the server would have received.
 */
gboolean
dlg_outbox_page_save_file (DlgOutboxPage  *self,
                           const char     *id,
                           const char     *path,
                           GError        **error)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize length;
  const char *data;

  g_return_val_if_fail (DLG_IS_OUTBOX_PAGE (self), FALSE);
  g_return_val_if_fail (self->service != NULL, FALSE);

  bytes = dlg_store_get_signed_bytes (dlg_sync_service_get_store (self->service), id, error);
  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &length);
  return dlg_file_write (path, data, length, error);
}
