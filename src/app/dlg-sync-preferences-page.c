/* dlg-sync-preferences-page.c - the server, the token and how sync goes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The address and the token apply when Enter is pressed (or the apply
 * button clicked), as they cause a request each. The token is never shown
 * back: its row stays empty, and the row below says whether one is kept,
 * and where. Test Connection asks the server who the token belongs to,
 * which answers at once whether the server is reachable, whether its
 * certificate holds and whether it takes the token.
 */

#define G_LOG_DOMAIN "dlg-sync-preferences-page"

#include "config.h"

#include <glib/gi18n.h>

#include "dlg-sync-preferences-page.h"

struct _DlgSyncPreferencesPage
{
  AdwPreferencesPage   parent_instance;

  /* Template widgets */
  AdwEntryRow         *endpoint_row;
  AdwActionRow        *endpoint_error_row;
  AdwPasswordEntryRow *token_row;
  AdwActionRow        *token_status_row;
  GtkImage            *token_status_icon;
  GtkButton           *forget_button;
  AdwActionRow        *test_row;
  GtkImage            *test_icon;
  GtkSpinner          *test_spinner;
  GtkButton           *test_button;
  AdwActionRow        *outbox_row;
  GtkButton           *send_button;
  AdwActionRow        *inbox_row;
  GtkSpinner          *check_spinner;
  GtkButton           *check_button;

  /* Owned references */
  DlgSyncService      *service;
  GCancellable        *cancellable;
};

G_DEFINE_FINAL_TYPE (DlgSyncPreferencesPage, dlg_sync_preferences_page, ADW_TYPE_PREFERENCES_PAGE)

static void
toast (DlgSyncPreferencesPage *self,
       const char             *message)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_PREFERENCES_WINDOW);

  if (window != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window), adw_toast_new (message));
}

static void
set_subtitle (AdwActionRow *row,
              const char   *text)
{
  g_autofree char *escaped = g_markup_escape_text (text ? text : "", -1);

  adw_action_row_set_subtitle (row, escaped);
}

static void
update_token (DlgSyncPreferencesPage *self)
{
  const char *problem = dlg_sync_service_get_keyring_problem (self->service);
  const char *title, *icon;

  switch (dlg_sync_service_get_token_storage (self->service))
    {
    case DLG_TOKEN_STORAGE_KEYRING:
      title = _("Token kept in your keyring");
      icon = "channel-secure-symbolic";
      break;
    case DLG_TOKEN_STORAGE_SESSION:
      title = _("Token kept until Diligence quits");
      icon = "dialog-warning-symbolic";
      break;
    case DLG_TOKEN_STORAGE_NONE:
    default:
      if (dlg_sync_service_get_has_token (self->service))
        {
          title = _("Token set");
          icon = "channel-secure-symbolic";
        }
      else if (dlg_sync_service_get_endpoint (self->service) == NULL)
        {
          title = _("No token: enter the server address first");
          icon = "channel-insecure-symbolic";
        }
      else
        {
          title = _("No token for this server");
          icon = "channel-insecure-symbolic";
        }
      break;
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->token_status_row), title);
  set_subtitle (self->token_status_row, problem);
  gtk_image_set_from_icon_name (self->token_status_icon, icon);
  gtk_widget_set_visible (GTK_WIDGET (self->forget_button), dlg_sync_service_get_has_token (self->service));
  gtk_widget_set_sensitive (GTK_WIDGET (self->token_row), dlg_sync_service_get_endpoint (self->service) != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), dlg_sync_service_get_endpoint (self->service) != NULL);
}

static void update_outbox (DlgSyncPreferencesPage *self);
static void update_inbox (DlgSyncPreferencesPage *self);

static void
update_all (DlgSyncPreferencesPage *self)
{
  update_token (self);
  update_outbox (self);
  update_inbox (self);
}

static void
update_endpoint (DlgSyncPreferencesPage *self)
{
  const char *endpoint = dlg_sync_service_get_endpoint (self->service);

  gtk_editable_set_text (GTK_EDITABLE (self->endpoint_row), endpoint ? endpoint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->endpoint_error_row), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->endpoint_row), "error");
  update_all (self);
}

static void
update_outbox (DlgSyncPreferencesPage *self)
{
  guint pending = dlg_sync_service_get_n_pending (self->service);
  guint rejected = dlg_sync_service_get_n_rejected (self->service);
  g_autofree char *last = dlg_sync_format_time (dlg_sync_service_get_last_delivery (self->service));
  g_autoptr(GString) text = g_string_new (NULL);

  if (pending == 0 && rejected == 0)
    g_string_append (text, _("Nothing waiting to be sent."));
  if (pending > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u report waiting to be sent.",
                                               "%u reports waiting to be sent.", pending), pending);
  if (rejected > 0)
    {
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u refused by the server: see the Outbox.",
                                                 "%u refused by the server: see the Outbox.", rejected), rejected);
    }
  g_string_append_c (text, '\n');
  /* TRANSLATORS: %s is a time, e.g. "today at 14:05", or "never" */
  g_string_append_printf (text, _("Last delivered: %s"), last);

  set_subtitle (self->outbox_row, text->str);
  gtk_widget_set_sensitive (GTK_WIDGET (self->send_button),
                            pending > 0 && dlg_sync_service_get_configured (self->service));
}

static void
update_inbox (DlgSyncPreferencesPage *self)
{
  const char *failure = dlg_sync_service_get_last_check_error (self->service);
  gboolean checking = dlg_sync_service_get_checking (self->service);
  guint unread = dlg_sync_service_get_n_unread (self->service);
  g_autofree char *last = dlg_sync_format_time (dlg_sync_service_get_last_check (self->service));
  g_autoptr(GString) text = g_string_new (NULL);

  if (dlg_sync_service_get_inbox (self->service) == NULL)
    g_string_append (text, dlg_sync_service_get_inbox_error (self->service)->message);
  else
    {
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u new report or review.",
                                                 "%u new reports or reviews.", unread), unread);
      g_string_append_c (text, '\n');
      if (checking)
        g_string_append (text, _("Checking for new reports…"));
      else if (failure != NULL)
        /* TRANSLATORS: %s says why, in the server's or the network's words */
        g_string_append_printf (text, _("The last check failed: %s"), failure);
      else
        /* TRANSLATORS: %s is a time, e.g. "today at 14:05", or "never" */
        g_string_append_printf (text, _("Last checked: %s"), last);
    }

  set_subtitle (self->inbox_row, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->check_spinner), checking);
  gtk_spinner_set_spinning (self->check_spinner, checking);
  gtk_widget_set_sensitive (GTK_WIDGET (self->check_button),
                            !checking && dlg_sync_service_get_configured (self->service) &&
                            dlg_sync_service_get_inbox (self->service) != NULL);
}


static void
endpoint_changed_cb (DlgSyncPreferencesPage *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->endpoint_row), "error");
}

static void
endpoint_apply_cb (DlgSyncPreferencesPage *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->endpoint_row)));
  g_autoptr(GError) error = NULL;

  if (!dlg_sync_service_set_endpoint (self->service, text, &error))
    {
      set_subtitle (self->endpoint_error_row, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->endpoint_error_row), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->endpoint_row), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->endpoint_row));
      return;
    }

  update_endpoint (self);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->test_row), _("Connection"));
  set_subtitle (self->test_row, _("Not tested yet"));
  toast (self, dlg_sync_service_get_endpoint (self->service) ? _("Server address saved")
                                                             : _("No server: reports travel by file only"));
}

static void
token_set_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(DlgSyncPreferencesPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!dlg_sync_service_set_token_finish (DLG_SYNC_SERVICE (source), result, &error))
    {
      if (self->service != NULL)
        toast (self, error->message);
      return;
    }
  if (self->service == NULL)
    return;

  update_token (self);
  if (dlg_sync_service_get_has_token (self->service))
    dlg_sync_preferences_page_test_connection (self);
}

static void
token_apply_cb (DlgSyncPreferencesPage *self)
{
  g_autofree char *token = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->token_row)));

  /* The token is not shown again, nor kept in the entry's buffer. */
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  if (*token == '\0')
    return;
  dlg_sync_service_set_token_async (self->service, token, NULL, token_set_cb, g_object_ref (self));
}

static void
forget_clicked_cb (DlgSyncPreferencesPage *self)
{
  dlg_sync_service_set_token_async (self->service, NULL, NULL, token_set_cb, g_object_ref (self));
  toast (self, _("Token forgotten"));
}

static char *
describe_account (DlgSyncAccount *account)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *roles = g_strjoinv (", ", account->roles);
  guint n_keys = account->key_ids ? g_strv_length (account->key_ids) : 0;

  /* TRANSLATORS: an organisation's name and its enterprise number */
  g_string_append_printf (text, _("Connected as %s (%s)."), account->name, account->id);
  g_string_append_c (text, ' ');
  /* TRANSLATORS: %s lists roles, e.g. "supplier, signatory" */
  g_string_append_printf (text, _("Roles: %s."), *roles ? roles : _("none"));
  g_string_append_c (text, ' ');
  if (n_keys == 0)
    g_string_append (text, _("No signing key is enrolled yet: ask the server’s administrator to enrol yours, "
                             "or reports will be refused."));
  else
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u signing key enrolled.",
                                               "%u signing keys enrolled.", n_keys), n_keys);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The error in words that say what to do. */
static char *
describe_failure (const GError *error)
{
  if (g_error_matches (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_NOT_CONFIGURED))
    return g_strdup (_("Enter the server address and your token, then test again."));
  if (g_error_matches (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_UNAUTHORIZED))
    return g_strdup_printf ("%s %s", _("The server was reached, but it refused the token. Check it, or ask "
                                       "the server’s administrator for a new one."), error->message);
  if (g_error_matches (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_TLS))
    return g_strdup_printf ("%s %s", error->message, _("Check the address, or ask the server’s administrator "
                                                       "about its certificate."));
  if (g_error_matches (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_NETWORK) ||
      g_error_matches (error, DLG_SYNC_ERROR, DLG_SYNC_ERROR_TIMEOUT))
    return g_strdup_printf ("%s %s", error->message, _("Check the address and your network. Reports you sign "
                                                       "meanwhile wait in the Outbox."));
  return g_strdup (error->message);
}

static void
tested_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(DlgSyncPreferencesPage) self = user_data;
  g_autoptr(DlgSyncAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  account = dlg_sync_service_test_connection_finish (DLG_SYNC_SERVICE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->service == NULL)
    return;

  gtk_spinner_set_spinning (self->test_spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), TRUE);

  if (account != NULL)
    {
      text = describe_account (account);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->test_row), _("Connection works"));
      gtk_image_set_from_icon_name (self->test_icon, "emblem-ok-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (self->test_icon), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->test_icon), "success");
    }
  else
    {
      text = describe_failure (error);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->test_row), _("Connection failed"));
      gtk_image_set_from_icon_name (self->test_icon, "dialog-error-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (self->test_icon), "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->test_icon), "error");
    }
  set_subtitle (self->test_row, text);
}

/**
 * dlg_sync_preferences_page_test_connection:
 *
 * Asks the server who the token belongs to, and shows the answer.
 */
void
dlg_sync_preferences_page_test_connection (DlgSyncPreferencesPage *self)
{
  g_return_if_fail (DLG_IS_SYNC_PREFERENCES_PAGE (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->test_row), _("Testing the connection…"));
  set_subtitle (self->test_row, dlg_sync_service_get_endpoint (self->service));
  gtk_image_set_from_icon_name (self->test_icon, "network-server-symbolic");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_icon), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), TRUE);
  gtk_spinner_set_spinning (self->test_spinner, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), FALSE);

  dlg_sync_service_test_connection_async (self->service, self->cancellable, tested_cb, g_object_ref (self));
}

static void
test_clicked_cb (DlgSyncPreferencesPage *self)
{
  dlg_sync_preferences_page_test_connection (self);
}

static void
send_clicked_cb (DlgSyncPreferencesPage *self)
{
  dlg_outbox_send_now (dlg_sync_service_get_outbox (self->service));
}

static void
checked_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(DlgSyncPreferencesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  guint received;

  received = dlg_sync_service_check_inbox_finish (DLG_SYNC_SERVICE (source), result, NULL, &error);
  if (self->service == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    toast (self, error->message);
  else if (received == 0)
    toast (self, _("Nothing new"));
  else
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new report or review",
                                                            "%u new reports or reviews", received), received);
      toast (self, text);
    }
}

static void
check_clicked_cb (DlgSyncPreferencesPage *self)
{
  dlg_sync_service_check_inbox_async (self->service, NULL, checked_cb, g_object_ref (self));
}

static void
dlg_sync_preferences_page_dispose (GObject *object)
{
  DlgSyncPreferencesPage *self = (DlgSyncPreferencesPage *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->service != NULL)
    g_signal_handlers_disconnect_by_data (self->service, self);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (dlg_sync_preferences_page_parent_class)->dispose (object);
}

static void
dlg_sync_preferences_page_class_init (DlgSyncPreferencesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dlg_sync_preferences_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dlg-sync-preferences-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DlgSyncPreferencesPage, endpoint_row);
  gtk_widget_class_bind_template_child (widget_class, DlgSyncPreferencesPage, endpoint_error_row);
  gtk_widget_class_bind_template_child (widget_class, DlgSyncPreferencesPage, token_row);
  gtk_widget_class_bind_template_child (widget_class, DlgSyncPreferencesPage, token_status_row);
  gtk_widget_class_bind_template_child (widget_class, DlgSyncPreferencesPage, token_status_icon);
  gtk_widget_class_bind_template_child (widget_class, DlgSyncPreferencesPage, forget_button);
  gtk_widget_class_bind_template_child (widget_class, DlgSyncPreferencesPage, test_row);
  gtk_widget_class_bind_template_child (widget_class, DlgSyncPreferencesPage, test_icon);
  gtk_widget_class_bind_template_child (widget_class, DlgSyncPreferencesPage, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, DlgSyncPreferencesPage, test_button);
  gtk_widget_class_bind_template_child (widget_class, DlgSyncPreferencesPage, outbox_row);
  gtk_widget_class_bind_template_child (widget_class, DlgSyncPreferencesPage, send_button);
  gtk_widget_class_bind_template_child (widget_class, DlgSyncPreferencesPage, inbox_row);
  gtk_widget_class_bind_template_child (widget_class, DlgSyncPreferencesPage, check_spinner);
  gtk_widget_class_bind_template_child (widget_class, DlgSyncPreferencesPage, check_button);
  gtk_widget_class_bind_template_callback (widget_class, endpoint_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, endpoint_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, token_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, forget_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, test_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, send_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, check_clicked_cb);
}

static void
dlg_sync_preferences_page_init (DlgSyncPreferencesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * dlg_sync_preferences_page_new:
 * @service: the application's sync service
 */
GtkWidget *
dlg_sync_preferences_page_new (DlgSyncService *service)
{
  DlgSyncPreferencesPage *self;

  g_return_val_if_fail (DLG_IS_SYNC_SERVICE (service), NULL);

  self = g_object_new (DLG_TYPE_SYNC_PREFERENCES_PAGE, NULL);
  self->service = g_object_ref (service);
  self->cancellable = g_cancellable_new ();

  g_signal_connect_swapped (service, "notify::endpoint", G_CALLBACK (update_endpoint), self);
  g_signal_connect_swapped (service, "notify::has-token", G_CALLBACK (update_all), self);
  g_signal_connect_swapped (service, "notify::token-storage", G_CALLBACK (update_token), self);
  g_signal_connect_swapped (service, "notify::keyring-problem", G_CALLBACK (update_token), self);
  g_signal_connect_swapped (service, "notify::n-pending", G_CALLBACK (update_outbox), self);
  g_signal_connect_swapped (service, "notify::n-rejected", G_CALLBACK (update_outbox), self);
  g_signal_connect_swapped (service, "notify::last-delivery", G_CALLBACK (update_outbox), self);
  g_signal_connect_swapped (service, "notify::checking", G_CALLBACK (update_inbox), self);
  g_signal_connect_swapped (service, "notify::last-check", G_CALLBACK (update_inbox), self);
  g_signal_connect_swapped (service, "notify::last-check-error", G_CALLBACK (update_inbox), self);
  g_signal_connect_swapped (service, "notify::n-unread", G_CALLBACK (update_inbox), self);

  update_endpoint (self);
  return GTK_WIDGET (self);
}
