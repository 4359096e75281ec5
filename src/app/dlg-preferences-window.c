/* dlg-preferences-window.c - profile, style and language; signing keys
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Changes apply at once, as in every GNOME app: the profile is saved a
 * moment after the last keystroke, the style switches immediately, the
 * language at the next start (gettext cannot switch a running program).
 *
 * The Signatures page shows our signing key (loaded only when the page is
 * shown: the keyring may ask to be unlocked) and the known organisations'
 * keys, each with its fingerprint and a switch that says whether it was
 * checked with its owner.
 */

#define G_LOG_DOMAIN "dlg-preferences-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dlg-key-import-dialog.h"
#include "dlg-preferences-window.h"
#include "dlg-profile-editor.h"

#define SAVE_DELAY_MS 500

struct _DlgPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  DlgProfileEditor     *profile_editor;
  AdwComboRow          *style_row;
  AdwComboRow          *language_row;
  AdwPreferencesPage   *signatures_page;
  AdwActionRow         *key_row;
  GtkWidget            *copy_button;
  GtkWidget            *create_button;
  AdwActionRow         *storage_row;
  GtkWidget            *export_row;
  GtkWidget            *replace_row;
  GtkListBox           *trust_list;
  GtkWidget            *trust_group;

  /* Owned references */
  DlgStore             *store;
  GSettings            *settings;
  DlgKeyring           *keyring;
  DlgTrustStore        *trust;
  GCancellable         *cancellable;
  guint                 save_id;
  gboolean              loading;
  gboolean              keys_requested;
  gboolean              keys_busy;
};

G_DEFINE_FINAL_TYPE (DlgPreferencesWindow, dlg_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* Languages with complete translations, by code; their names are written
 * in their own language, as a person looking for theirs expects. */
static const struct {
  const char *code;
  const char *name;
} languages[] = {
  { "", NULL },
  { "en", "English" },
  { "fr", "Français" },
  { "nl", "Nederlands" },
  { "de", "Deutsch" },
};

static gboolean
save_profile_cb (gpointer user_data)
{
  DlgPreferencesWindow *self = user_data;
  g_autoptr(DlgProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  self->save_id = 0;

  if (!dlg_profile_editor_is_valid (self->profile_editor))
    return G_SOURCE_REMOVE;

  profile = dlg_profile_editor_get_profile (self->profile_editor);
  if (!dlg_store_save_profile (self->store, profile, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Could not save the profile: %s"), error->message);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
    }

  return G_SOURCE_REMOVE;
}

static void
profile_changed_cb (DlgPreferencesWindow *self)
{
  if (self->loading || self->store == NULL)
    return;

  g_clear_handle_id (&self->save_id, g_source_remove);
  self->save_id = g_timeout_add (SAVE_DELAY_MS, save_profile_cb, self);
}

static void
style_changed_cb (DlgPreferencesWindow *self)
{
  if (self->loading || self->settings == NULL)
    return;
  g_settings_set_enum (self->settings, "color-scheme", adw_combo_row_get_selected (self->style_row));
}

static void
language_changed_cb (DlgPreferencesWindow *self)
{
  guint i = adw_combo_row_get_selected (self->language_row);

  if (self->loading || self->settings == NULL || i >= G_N_ELEMENTS (languages))
    return;
  g_settings_set_string (self->settings, "language", languages[i].code);
}

static gboolean
close_request_cb (GtkWindow *window)
{
  DlgPreferencesWindow *self = DLG_PREFERENCES_WINDOW (window);

  /* Save what was typed last rather than lose it. */
  if (self->save_id != 0)
    {
      g_clear_handle_id (&self->save_id, g_source_remove);
      save_profile_cb (self);
    }

  return GTK_WINDOW_CLASS (dlg_preferences_window_parent_class)->close_request (window);
}

/* ------------------------------------------------------------------------ */
/* Our signing key                                                          */
/* ------------------------------------------------------------------------ */

static void
toast (DlgPreferencesWindow *self,
       const char           *text)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
}

static void
error_dialog (DlgPreferencesWindow *self,
              const char           *heading,
              const char           *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static char *
describe_storage (DlgKeyring *keyring)
{
  g_autofree char *file = dlg_keyring_get_key_file (keyring);
  const char *reason = dlg_keyring_get_fallback_reason (keyring);

  switch (dlg_keyring_get_storage (keyring))
    {
    case DLG_KEYRING_STORAGE_SECRET_SERVICE:
      return g_strdup (_("The desktop keyring, protected by your login password"));
    case DLG_KEYRING_STORAGE_FILE:
      {
        g_autofree char *display = g_filename_display_name (file ? file : "");

        if (reason != NULL)
          /* TRANSLATORS: %s is a file, then what the keyring library said */
          return g_strdup_printf (_("A file readable only by you, %s, because no keyring could be reached: %s"),
                                  display, reason);
        return g_strdup_printf (_("A file readable only by you, %s, because no keyring could be reached when the key was made. Back it up with your data."),
                                display);
      }
    case DLG_KEYRING_STORAGE_NONE:
    default:
      return g_strdup ("—");
    }
}

static void
update_key (DlgPreferencesWindow *self,
            const GError         *error)
{
  DlgKey *key = self->keyring ? dlg_keyring_get_current (self->keyring) : NULL;
  g_autofree char *storage = NULL;
  g_autofree char *fingerprint = NULL;
  gboolean no_key = error != NULL && g_error_matches (error, DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_NOT_FOUND);

  if (self->keys_busy)
    adw_action_row_set_subtitle (self->key_row, _("Loading…"));
  else if (key != NULL)
    {
      fingerprint = dlg_key_get_fingerprint (key);
      adw_action_row_set_subtitle (self->key_row, fingerprint);
    }
  else if (no_key || error == NULL)
    adw_action_row_set_subtitle (self->key_row, _("No key yet. One is made the first time you sign a report, or now."));
  else
    adw_action_row_set_subtitle (self->key_row, error->message);

  gtk_widget_set_visible (self->copy_button, key != NULL);
  gtk_widget_set_visible (self->create_button, key == NULL && !self->keys_busy && (no_key || error == NULL));
  gtk_widget_set_visible (GTK_WIDGET (self->storage_row), key != NULL);
  gtk_widget_set_visible (self->export_row, key != NULL);
  gtk_widget_set_visible (self->replace_row, key != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "keys.create", key == NULL && !self->keys_busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "keys.replace", key != NULL && !self->keys_busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "keys.export", key != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "keys.copy-fingerprint", key != NULL);

  if (key != NULL)
    {
      g_autoptr(GPtrArray) keys = dlg_keyring_list_keys (self->keyring);
      g_autofree char *replace = NULL;

      storage = describe_storage (self->keyring);
      adw_action_row_set_subtitle (self->storage_row, storage);
      if (keys->len > 1)
        replace = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "After a computer was lost, or if the key may be known to others. The %u earlier key is kept, so that what it signed stays verifiable.",
                                                "After a computer was lost, or if the key may be known to others. The %u earlier keys are kept, so that what they signed stays verifiable.",
                                                keys->len - 1),
                                   keys->len - 1);
      else
        replace = g_strdup (_("After a computer was lost, or if the key may be known to others. Reports signed with the old key stay verifiable."));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->replace_row), replace);
    }
}

static void
key_loaded_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DlgPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgKey) key = NULL;
  DlgKeyring *keyring = DLG_KEYRING (object);
  if (g_task_get_source_tag (G_TASK (result)) == dlg_keyring_load_async)
    key = dlg_keyring_load_finish (keyring, result, &error);
  else if (g_task_get_source_tag (G_TASK (result)) == dlg_keyring_load_or_create_async)
    key = dlg_keyring_load_or_create_finish (keyring, result, &error);
  else
    key = dlg_keyring_rotate_finish (keyring, result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->keys_busy = FALSE;
  update_key (self, error);

  if (key != NULL && g_task_get_source_tag (G_TASK (result)) != dlg_keyring_load_async)
    {
      const char *reason = dlg_keyring_get_fallback_reason (keyring);

      if (dlg_keyring_get_storage (keyring) == DLG_KEYRING_STORAGE_FILE && reason != NULL)
        {
          g_autofree char *text = g_strdup_printf (_("No keyring could be reached (%s): the key is kept in a file readable only by you."),
                                                   reason);
          toast (self, text);
        }
      else
        toast (self, g_task_get_source_tag (G_TASK (result)) == dlg_keyring_rotate_async
                     ? _("New key made. Send its public key to the organisations you report to.")
                     : _("Signing key made"));
    }
  else if (error != NULL && !g_error_matches (error, DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_NOT_FOUND) &&
           g_task_get_source_tag (G_TASK (result)) != dlg_keyring_load_async)
    error_dialog (self, _("The Key Was Not Changed"), error->message);
}

static void
load_keys (DlgPreferencesWindow *self)
{
  if (self->keyring == NULL || self->keys_requested)
    return;
  self->keys_requested = TRUE;

  if (dlg_keyring_get_current (self->keyring) != NULL)
    {
      update_key (self, NULL);
      return;
    }

  self->keys_busy = TRUE;
  update_key (self, NULL);
  dlg_keyring_load_async (self->keyring, self->cancellable, key_loaded_cb, g_object_ref (self));
}

static void
visible_page_cb (DlgPreferencesWindow *self)
{
  if (adw_preferences_window_get_visible_page (ADW_PREFERENCES_WINDOW (self)) == ADW_PREFERENCES_PAGE (self->signatures_page))
    load_keys (self);
}

static void
create_key_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  DlgPreferencesWindow *self = DLG_PREFERENCES_WINDOW (widget);

  if (self->keyring == NULL || self->keys_busy)
    return;

  self->keys_busy = TRUE;
  update_key (self, NULL);
  dlg_keyring_load_or_create_async (self->keyring, self->cancellable, key_loaded_cb, g_object_ref (self));
}

static void
replace_response_cb (AdwMessageDialog     *dialog,
                     const char           *response,
                     DlgPreferencesWindow *self)
{
  if (g_strcmp0 (response, "replace") != 0 || self->keyring == NULL || self->keys_busy)
    return;

  self->keys_busy = TRUE;
  update_key (self, NULL);
  dlg_keyring_rotate_async (self->keyring, self->cancellable, key_loaded_cb, g_object_ref (self));
}

static void
replace_key_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  DlgPreferencesWindow *self = DLG_PREFERENCES_WINDOW (widget);
  GtkWidget *dialog;

  if (self->keyring == NULL || dlg_keyring_get_current (self->keyring) == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Replace Your Signing Key?"),
                                   _("A new key will sign your reports and reviews from now on. The current key "
                                     "is retired: its private half is deleted, so that it can never sign again, "
                                     "and its public half is kept, so that the reports it signed stay verifiable.\n\n"
                                     "Send the new public key to the organisations you report to, and read its "
                                     "fingerprint to them."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "replace", _("_Replace Key"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "replace", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (replace_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
copy_fingerprint_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  DlgPreferencesWindow *self = DLG_PREFERENCES_WINDOW (widget);
  DlgKey *key = self->keyring ? dlg_keyring_get_current (self->keyring) : NULL;
  g_autofree char *fingerprint = NULL;

  if (key == NULL)
    return;
  fingerprint = dlg_key_get_fingerprint (key);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), fingerprint);
  toast (self, _("Fingerprint copied"));
}

/**
 * dlg_preferences_window_export_key:
 * @pem: SPKI PEM rather than a JSON Web Key
 *
 * Writes our current public key to @file, atomically.
 */
gboolean
dlg_preferences_window_export_key (DlgPreferencesWindow  *self,
                                   GFile                 *file,
                                   gboolean               pem,
                                   GError               **error)
{
  DlgKey *key = self->keyring ? dlg_keyring_get_current (self->keyring) : NULL;
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *text = NULL;

  g_return_val_if_fail (DLG_IS_PREFERENCES_WINDOW (self), FALSE);

  if (key == NULL || path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           key == NULL ? _("There is no signing key yet.") : _("Only local files can be written."));
      return FALSE;
    }

  if (pem)
    text = dlg_key_to_public_pem (key);
  else
    {
      g_autofree char *jwk = dlg_key_to_public_jwk (key);

      text = g_strconcat (jwk, "\n", NULL);
    }
  return dlg_file_write (path, text, strlen (text), error);
}

static void
export_response_cb (GtkNativeDialog      *chooser,
                    int                   response,
                    DlgPreferencesWindow *self)
{
  gboolean pem = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "pem"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;

      if (!dlg_preferences_window_export_key (self, file, pem, &error))
        error_dialog (self, _("The Public Key Was Not Saved"), error->message);
      else
        toast (self, _("Public key saved"));
    }

  g_object_unref (chooser);
}

static void
export_key_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  DlgPreferencesWindow *self = DLG_PREFERENCES_WINDOW (widget);
  gboolean pem = g_strcmp0 (g_variant_get_string (parameter, NULL), "pem") == 0;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(DlgProfile) profile = self->store ? dlg_store_load_profile (self->store, NULL) : NULL;
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  /* TRANSLATORS: the suggested name of an exported public key; %s is the organisation */
  name = g_strdup_printf (_("%s public key.%s"), profile ? profile->name : _("Organisation"), pem ? "pem" : "jwk");
  g_strdelimit (name, "/\\:", '-');

  chooser = gtk_file_chooser_native_new (_("Export Public Key"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_filter_set_name (filter, pem ? _("Public keys (PEM)") : _("Public keys (JWK)"));
  gtk_file_filter_add_suffix (filter, pem ? "pem" : "jwk");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data (G_OBJECT (chooser), "pem", GINT_TO_POINTER (pem));
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ------------------------------------------------------------------------ */
/* Known organisations                                                      */
/* ------------------------------------------------------------------------ */

static gboolean
trust_switch_cb (GtkSwitch            *button,
                 gboolean              state,
                 DlgPreferencesWindow *self)
{
  DlgTrustedKey *entry = g_object_get_data (G_OBJECT (button), "entry");
  g_autoptr(GError) error = NULL;

  if (state == dlg_trusted_key_get_trusted (entry))
    return FALSE;
  if (!dlg_trust_store_set_trusted (self->trust, dlg_trusted_key_get_id (entry), state, &error))
    {
      error_dialog (self, _("The Change Was Not Saved"), error->message);
      return TRUE;
    }
  return FALSE;
}

static void
remove_response_cb (AdwMessageDialog     *dialog,
                    const char           *response,
                    DlgPreferencesWindow *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "key-id");
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "remove") != 0 || self->trust == NULL)
    return;
  if (!dlg_trust_store_remove (self->trust, id, &error))
    error_dialog (self, _("The Key Was Not Removed"), error->message);
}

static void
remove_key_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  DlgPreferencesWindow *self = DLG_PREFERENCES_WINDOW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  DlgTrustedKey *entry = self->trust ? dlg_trust_store_lookup (self->trust, id) : NULL;
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (entry == NULL)
    return;

  heading = g_strdup_printf (_("Remove the Key of %s?"), dlg_trusted_key_get_organisation_name (entry));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("Reports and reviews signed with it can no longer be checked here until "
                                     "the key is imported again. Those received already stay in your inbox."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "key-id", g_strdup (id), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (remove_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
trusted_to_label (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  g_value_set_string (to, g_value_get_boolean (from) ? _("Trusted") : _("Not trusted"));
  return TRUE;
}

static GtkWidget *
create_trust_row (gpointer item,
                  gpointer user_data)
{
  DlgPreferencesWindow *self = user_data;
  DlgTrustedKey *entry = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  const char *name = dlg_trusted_key_get_organisation_name (entry);
  const char *number = dlg_trusted_key_get_organisation_id (entry);
  g_autofree char *fingerprint = dlg_trusted_key_get_fingerprint (entry);
  g_autofree char *escaped = g_markup_escape_text (name, -1);
  g_autofree char *subtitle = NULL;
  g_autofree char *trust_label = g_strdup_printf (_("Trust the key of %s"), name);
  g_autofree char *remove_label = g_strdup_printf (_("Remove the key of %s"), name);

  subtitle = g_markup_printf_escaped ("%s\n%s", number ? number : _("No enterprise number"), fingerprint);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);

  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (toggle, _("Trusted: its fingerprint was compared with the organisation’s"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, trust_label, -1);
  g_object_set_data_full (G_OBJECT (toggle), "entry", g_object_ref (entry), g_object_unref);
  g_object_bind_property (entry, "trusted", toggle, "active", G_BINDING_SYNC_CREATE);
  g_signal_connect (toggle, "state-set", G_CALLBACK (trust_switch_cb), self);

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "keys.remove");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "s", dlg_trusted_key_get_id (entry));

  {
    GtkWidget *label = gtk_label_new (NULL);

    /* The word beside the switch says the state, not only its position. */
    gtk_widget_add_css_class (label, "dim-label");
    gtk_accessible_update_state (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
    g_object_bind_property_full (entry, "trusted", label, "label", G_BINDING_SYNC_CREATE,
                                 trusted_to_label, NULL, NULL, NULL);
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  /* The row makes its title the switch's name as well; GTK 4.8 would join
   * it to the label above ("Trust the key of Acme Acme"). One name. */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  return row;
}

static void
imported_cb (DlgKeyImportDialog   *dialog,
             DlgTrustedKey        *entry,
             DlgPreferencesWindow *self)
{
  g_autofree char *text = g_strdup_printf (_("Key of %s added"), dlg_trusted_key_get_organisation_name (entry));

  toast (self, text);
}

static void
import_response_cb (GtkNativeDialog      *chooser,
                    int                   response,
                    DlgPreferencesWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->trust != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;
      GtkWidget *dialog = dlg_key_import_dialog_new_for_file (GTK_WINDOW (self), self->trust, file, NULL, NULL, &error);

      if (dialog == NULL)
        error_dialog (self, _("This Is Not a Key"), error->message);
      else
        {
          g_signal_connect_object (dialog, "imported", G_CALLBACK (imported_cb), self, 0);
          gtk_window_present (GTK_WINDOW (dialog));
        }
    }

  g_object_unref (chooser);
}

static void
import_key_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  DlgPreferencesWindow *self = DLG_PREFERENCES_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  if (self->trust == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Import an Organisation’s Key"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Public keys (JWK or PEM)"));
  gtk_file_filter_add_suffix (filter, "jwk");
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_filter_add_suffix (filter, "pem");
  gtk_file_filter_add_suffix (filter, "pub");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (import_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static GtkWidget *
empty_trust_row (void)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No organisations yet"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Import the public key an organisation sent you, or the signer’s key from a report or review you opened."));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  return row;
}

static void
trust_changed_cb (DlgPreferencesWindow *self)
{
  gtk_list_box_set_placeholder (self->trust_list, empty_trust_row ());
}

/**
 * dlg_preferences_window_set_keys:
 * @keyring: (nullable): our signing keys
 * @trust: (nullable): the known organisations' keys
 * @trust_error: (nullable): why @trust could not be read
 */
void
dlg_preferences_window_set_keys (DlgPreferencesWindow *self,
                                 DlgKeyring           *keyring,
                                 DlgTrustStore        *trust,
                                 const GError         *trust_error)
{
  g_return_if_fail (DLG_IS_PREFERENCES_WINDOW (self));

  g_set_object (&self->keyring, keyring);
  g_set_object (&self->trust, trust);

  if (trust != NULL)
    {
      gtk_list_box_bind_model (self->trust_list, G_LIST_MODEL (trust), create_trust_row, self, NULL);
      trust_changed_cb (self);
    }
  else
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("The list of known keys cannot be read"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), trust_error ? trust_error->message : "");
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 6);
      gtk_list_box_append (self->trust_list, row);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "keys.import", trust != NULL);

  self->keys_requested = FALSE;
  update_key (self, NULL);
  visible_page_cb (self);
}

/**
 * dlg_preferences_window_show_signatures:
 *
 * Shows the Signatures page, which loads the signing key.
 */
void
dlg_preferences_window_show_signatures (DlgPreferencesWindow *self)
{
  g_return_if_fail (DLG_IS_PREFERENCES_WINDOW (self));
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (self->signatures_page));
  load_keys (self);
}

/**
 * dlg_preferences_window_get_key:
 *
 * Returns: (transfer none) (nullable): the signing key shown
 */
DlgKey *
dlg_preferences_window_get_key (DlgPreferencesWindow *self)
{
  g_return_val_if_fail (DLG_IS_PREFERENCES_WINDOW (self), NULL);
  return self->keyring && !self->keys_busy ? dlg_keyring_get_current (self->keyring) : NULL;
}

static void
dlg_preferences_window_dispose (GObject *object)
{
  DlgPreferencesWindow *self = (DlgPreferencesWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->keyring);
  g_clear_object (&self->trust);
  g_clear_handle_id (&self->save_id, g_source_remove);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (dlg_preferences_window_parent_class)->dispose (object);
}

static void
dlg_preferences_window_class_init (DlgPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = dlg_preferences_window_dispose;
  window_class->close_request = close_request_cb;

  g_type_ensure (DLG_TYPE_PROFILE_EDITOR);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dlg-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DlgPreferencesWindow, profile_editor);
  gtk_widget_class_bind_template_child (widget_class, DlgPreferencesWindow, style_row);
  gtk_widget_class_bind_template_child (widget_class, DlgPreferencesWindow, language_row);
  gtk_widget_class_bind_template_child (widget_class, DlgPreferencesWindow, signatures_page);
  gtk_widget_class_bind_template_child (widget_class, DlgPreferencesWindow, key_row);
  gtk_widget_class_bind_template_child (widget_class, DlgPreferencesWindow, copy_button);
  gtk_widget_class_bind_template_child (widget_class, DlgPreferencesWindow, create_button);
  gtk_widget_class_bind_template_child (widget_class, DlgPreferencesWindow, storage_row);
  gtk_widget_class_bind_template_child (widget_class, DlgPreferencesWindow, export_row);
  gtk_widget_class_bind_template_child (widget_class, DlgPreferencesWindow, replace_row);
  gtk_widget_class_bind_template_child (widget_class, DlgPreferencesWindow, trust_list);
  gtk_widget_class_bind_template_child (widget_class, DlgPreferencesWindow, trust_group);
  gtk_widget_class_bind_template_callback (widget_class, profile_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, style_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, language_changed_cb);

  gtk_widget_class_install_action (widget_class, "keys.create", NULL, create_key_action);
  gtk_widget_class_install_action (widget_class, "keys.replace", NULL, replace_key_action);
  gtk_widget_class_install_action (widget_class, "keys.export", "s", export_key_action);
  gtk_widget_class_install_action (widget_class, "keys.copy-fingerprint", NULL, copy_fingerprint_action);
  gtk_widget_class_install_action (widget_class, "keys.import", NULL, import_key_action);
  gtk_widget_class_install_action (widget_class, "keys.remove", "s", remove_key_action);
}

static void
dlg_preferences_window_init (DlgPreferencesWindow *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    gtk_string_list_append (names, languages[i].name ? languages[i].name : _("System Default"));
  adw_combo_row_set_model (self->language_row, G_LIST_MODEL (names));

  self->cancellable = g_cancellable_new ();
  g_signal_connect (self, "notify::visible-page", G_CALLBACK (visible_page_cb), NULL);
  gtk_list_box_set_placeholder (self->trust_list, empty_trust_row ());
  update_key (self, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "keys.import", FALSE);
}

/**
 * dlg_preferences_window_new:
 * @store: (nullable): where the profile is kept
 * @settings: (nullable): the application's settings
 */
GtkWidget *
dlg_preferences_window_new (GtkWindow *parent,
                            DlgStore  *store,
                            GSettings *settings)
{
  DlgPreferencesWindow *self = g_object_new (DLG_TYPE_PREFERENCES_WINDOW,
                                             "transient-for", parent,
                                             "modal", TRUE,
                                             NULL);

  self->loading = TRUE;

  if (store != NULL)
    {
      g_autoptr(DlgProfile) profile = dlg_store_load_profile (store, NULL);

      self->store = g_object_ref (store);
      dlg_profile_editor_set_profile (self->profile_editor, profile);
    }

  if (settings != NULL)
    {
      g_autofree char *language = g_settings_get_string (settings, "language");

      self->settings = g_object_ref (settings);
      adw_combo_row_set_selected (self->style_row, g_settings_get_enum (settings, "color-scheme"));
      for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
        if (g_strcmp0 (languages[i].code, language) == 0)
          adw_combo_row_set_selected (self->language_row, i);
    }
  else
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->style_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->language_row), FALSE);
    }

  self->loading = FALSE;
  return GTK_WIDGET (self);
}
