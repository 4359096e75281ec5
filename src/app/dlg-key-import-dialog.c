/* dlg-key-import-dialog.c - adding an organisation's public key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A key is only worth what the check of its fingerprint is worth: the
 * dialog shows it in groups, asks who the key belongs to, and trusts it
 * only when the user says they compared it with the organisation's. Used
 * from Preferences (a key file someone sent) and from a report or review
 * signed by an unknown signer (the key file that came with it).
 */

#define G_LOG_DOMAIN "dlg-key-import-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "dlg-key-import-dialog.h"

struct _DlgKeyImportDialog
{
  AdwMessageDialog  parent_instance;

  GtkWidget        *name_entry;
  GtkWidget        *id_entry;
  GtkWidget        *trust_check;

  DlgTrustStore    *trust;
  DlgKey           *key;
};

G_DEFINE_FINAL_TYPE (DlgKeyImportDialog, dlg_key_import_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  IMPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
name_changed_cb (DlgKeyImportDialog *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry))));

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "add", *name != '\0');
}

static char *
field (GtkWidget *entry)
{
  char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

/**
 * dlg_key_import_dialog_import:
 *
 * Adds the key as the dialog's fields say, or, for a key known already,
 * brings its organisation and trust up to date. What the response "add"
 * does; tests call it directly.
 *
 * Returns: (transfer none): the entry, or %NULL with @error set
 */
DlgTrustedKey *
dlg_key_import_dialog_import (DlgKeyImportDialog  *self,
                              GError             **error)
{
  g_autofree char *name = field (self->name_entry);
  g_autofree char *id = field (self->id_entry);
  gboolean trusted = gtk_check_button_get_active (GTK_CHECK_BUTTON (self->trust_check));
  DlgTrustedKey *known = dlg_trust_store_lookup (self->trust, dlg_key_get_id (self->key));

  g_return_val_if_fail (DLG_IS_KEY_IMPORT_DIALOG (self), NULL);

  if (known == NULL)
    return dlg_trust_store_add (self->trust, self->key, name, id, trusted, error);

  if (!dlg_trust_store_set_organisation (self->trust, dlg_key_get_id (self->key), name, id, error))
    return NULL;
  /* Trust is given here, never taken away: that is the list's switch. */
  if (trusted && !dlg_trust_store_set_trusted (self->trust, dlg_key_get_id (self->key), TRUE, error))
    return NULL;
  return known;
}

static void
response_cb (DlgKeyImportDialog *self,
             const char         *response)
{
  g_autoptr(GError) error = NULL;
  DlgTrustedKey *entry;

  if (g_strcmp0 (response, "add") != 0)
    return;

  entry = dlg_key_import_dialog_import (self, &error);
  if (entry == NULL)
    {
      GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
      GtkWidget *dialog = adw_message_dialog_new (parent, _("The Key Was Not Added"), error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  g_signal_emit (self, signals[IMPORTED], 0, entry);
}

static void
dlg_key_import_dialog_dispose (GObject *object)
{
  DlgKeyImportDialog *self = DLG_KEY_IMPORT_DIALOG (object);

  g_clear_object (&self->trust);
  g_clear_object (&self->key);

  G_OBJECT_CLASS (dlg_key_import_dialog_parent_class)->dispose (object);
}

static void
dlg_key_import_dialog_class_init (DlgKeyImportDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dlg_key_import_dialog_dispose;

  /**
   * DlgKeyImportDialog::imported:
   * @entry: the key as the trust store now has it
   */
  signals[IMPORTED] =
    g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, DLG_TYPE_TRUSTED_KEY);
}

static GtkWidget *
labelled_entry (GtkWidget  *box,
                const char *label,
                const char *placeholder)
{
  GtkWidget *title = gtk_label_new (label);
  GtkWidget *entry = gtk_entry_new ();

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "caption-heading");
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_RELATION_LABELLED_BY, title, NULL, -1);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), entry);
  return entry;
}

static void
dlg_key_import_dialog_init (DlgKeyImportDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  self->name_entry = labelled_entry (box, _("Organisation"), _("Its name"));
  self->id_entry = labelled_entry (box, _("Enterprise or VAT Number"), _("e.g. BE0123456789"));
  self->trust_check = gtk_check_button_new_with_mnemonic (_("I compared the fingerprint with the organisation's: _trust this key"));
  gtk_widget_set_margin_top (self->trust_check, 6);
  gtk_box_append (GTK_BOX (box), self->trust_check);
  g_signal_connect_swapped (self->name_entry, "changed", G_CALLBACK (name_changed_cb), self);

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self),
                                    "cancel", _("_Cancel"),
                                    "add", _("_Add Key"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "add", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "add", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), "add");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self), "cancel");
  g_signal_connect (self, "response", G_CALLBACK (response_cb), NULL);
}

/**
 * dlg_key_import_dialog_new:
 * @key: the public key to add
 * @organisation_name: (nullable): who it belongs to, as far as is known
 * @organisation_id: (nullable): their enterprise or VAT number
 */
GtkWidget *
dlg_key_import_dialog_new (GtkWindow     *parent,
                           DlgTrustStore *trust,
                           DlgKey        *key,
                           const char    *organisation_name,
                           const char    *organisation_id)
{
  DlgKeyImportDialog *self;
  g_autofree char *fingerprint = NULL;
  g_autofree char *body = NULL;
  DlgTrustedKey *known;

  g_return_val_if_fail (DLG_IS_TRUST_STORE (trust), NULL);
  g_return_val_if_fail (DLG_IS_KEY (key), NULL);

  fingerprint = dlg_key_get_fingerprint (key);
  body = g_strdup_printf (_("Fingerprint:\n%s\n\nCompare every group with the fingerprint the organisation gave "
                            "you by another way — a call, a letter, the contract — before you trust the key."),
                          fingerprint);
  self = g_object_new (DLG_TYPE_KEY_IMPORT_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       "heading", _("Add an Organisation’s Key?"),
                       "body", body,
                       NULL);
  self->trust = g_object_ref (trust);
  self->key = dlg_key_get_public (key);

  known = dlg_trust_store_lookup (trust, dlg_key_get_id (key));
  if (known != NULL)
    {
      organisation_name = dlg_trusted_key_get_organisation_name (known);
      organisation_id = dlg_trusted_key_get_organisation_id (known);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (self->trust_check), dlg_trusted_key_get_trusted (known));
    }
  dlg_key_import_dialog_set_organisation (self, organisation_name, organisation_id);
  return GTK_WIDGET (self);
}

/**
 * dlg_key_import_dialog_new_for_file:
 * @file: a public key (JWK or PEM); of a private key only the public half
 *   is kept
 *
 * Returns: (transfer floating) (nullable): the dialog, or %NULL with
 *   @error set when the file is not a key
 */
GtkWidget *
dlg_key_import_dialog_new_for_file (GtkWindow      *parent,
                                    DlgTrustStore  *trust,
                                    GFile          *file,
                                    const char     *organisation_name,
                                    const char     *organisation_id,
                                    GError        **error)
{
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(DlgKey) key = NULL;

  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Only local files can be opened."));
      return NULL;
    }
  if (!(bytes = dlg_file_read (path, DLG_KEY_MAX_FILE_SIZE, error)) ||
      !(key = dlg_key_new_from_data (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error)))
    return NULL;

  return dlg_key_import_dialog_new (parent, trust, key, organisation_name, organisation_id);
}

void
dlg_key_import_dialog_set_trusted (DlgKeyImportDialog *self,
                                   gboolean            trusted)
{
  g_return_if_fail (DLG_IS_KEY_IMPORT_DIALOG (self));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->trust_check), trusted);
}

void
dlg_key_import_dialog_set_organisation (DlgKeyImportDialog *self,
                                        const char         *name,
                                        const char         *id)
{
  g_return_if_fail (DLG_IS_KEY_IMPORT_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), name ? name : "");
  gtk_editable_set_text (GTK_EDITABLE (self->id_entry), id ? id : "");
  name_changed_cb (self);
}
