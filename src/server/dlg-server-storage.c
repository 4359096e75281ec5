/* dlg-server-storage.c - what diligence-server keeps, behind a small interface
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server only talks to this interface, so that another database can be
 * added beside SQLite without touching the HTTP side. A backend must make
 * every write durable before it returns, keep documents as their exact
 * bytes, and decide a submission (created, duplicate or conflict) atomically
 * with storing it.
 */

#define G_LOG_DOMAIN "dlg-server-storage"

#include "config.h"

#include <string.h>

#include "dlg-server-storage.h"

G_DEFINE_QUARK (dlg-server-storage-error-quark, dlg_server_storage_error)

G_DEFINE_INTERFACE (DlgServerStorage, dlg_server_storage, G_TYPE_OBJECT)

static void
dlg_server_storage_default_init (DlgServerStorageInterface *iface)
{
}

static const struct
{
  DlgServerRoles  role;
  const char     *name;
} role_names[] = {
  { DLG_SERVER_ROLE_SUPPLIER, "supplier" },
  { DLG_SERVER_ROLE_BUYER, "buyer" },
  { DLG_SERVER_ROLE_SIGNATORY, "signatory" },
  { DLG_SERVER_ROLE_CHARTER_BODY, "charter-body" },
};

/**
 * dlg_server_role_to_string:
 * @roles: exactly one role
 *
 * Returns: the role's name in the API, or %NULL
 */
const char *
dlg_server_role_to_string (DlgServerRoles roles)
{
  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (role_names[i].role == roles)
      return role_names[i].name;
  return NULL;
}

/**
 * dlg_server_roles_to_string:
 *
 * Returns: (transfer full): the roles' names separated by commas
 */
char *
dlg_server_roles_to_string (DlgServerRoles roles)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (roles & role_names[i].role)
      g_string_append_printf (s, "%s%s", s->len ? "," : "", role_names[i].name);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/**
 * dlg_server_roles_from_string:
 * @text: role names separated by commas, e.g. `supplier,buyer`
 *
 * Returns: %TRUE if every name is a role and there is at least one
 */
gboolean
dlg_server_roles_from_string (const char      *text,
                              DlgServerRoles  *roles,
                              GError         **error)
{
  g_auto(GStrv) parts = g_strsplit (text ? text : "", ",", -1);
  DlgServerRoles result = 0;

  for (guint i = 0; parts[i]; i++)
    {
      const char *name = g_strstrip (parts[i]);
      gboolean found = FALSE;

      if (*name == '\0')
        continue;
      for (guint j = 0; j < G_N_ELEMENTS (role_names); j++)
        if (g_str_equal (name, role_names[j].name) ||
            (role_names[j].role == DLG_SERVER_ROLE_CHARTER_BODY && g_str_equal (name, "charter_body")))
          {
            result |= role_names[j].role;
            found = TRUE;
          }
      if (!found)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "“%s” is not a role; the roles are supplier, buyer, signatory and charter-body",
                       name);
          return FALSE;
        }
    }

  if (result == 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "An organisation needs at least one role: supplier, buyer, signatory or charter-body");
      return FALSE;
    }

  *roles = result;
  return TRUE;
}

const char *
dlg_server_document_kind_to_string (DlgServerDocumentKind kind)
{
  return kind == DLG_SERVER_DOCUMENT_REVIEW ? "review" : "report";
}

DlgServerOrganisation *
dlg_server_organisation_copy (const DlgServerOrganisation *organisation)
{
  DlgServerOrganisation *copy = g_new0 (DlgServerOrganisation, 1);

  copy->id = g_strdup (organisation->id);
  copy->name = g_strdup (organisation->name);
  copy->roles = organisation->roles;
  copy->created_at = organisation->created_at;
  return copy;
}

void
dlg_server_organisation_free (DlgServerOrganisation *organisation)
{
  if (organisation == NULL)
    return;
  g_free (organisation->id);
  g_free (organisation->name);
  g_free (organisation);
}

DlgServerToken *
dlg_server_token_copy (const DlgServerToken *token)
{
  DlgServerToken *copy = g_new0 (DlgServerToken, 1);

  copy->id = g_strdup (token->id);
  copy->organisation_id = g_strdup (token->organisation_id);
  copy->label = g_strdup (token->label);
  memcpy (copy->hash, token->hash, sizeof copy->hash);
  copy->created_at = token->created_at;
  copy->revoked_at = token->revoked_at;
  return copy;
}

void
dlg_server_token_free (DlgServerToken *token)
{
  if (token == NULL)
    return;
  g_free (token->id);
  g_free (token->organisation_id);
  g_free (token->label);
  /* The hash is not the secret, but there is no reason to leave it around. */
  memset (token->hash, 0, sizeof token->hash);
  g_free (token);
}

DlgServerKey *
dlg_server_key_copy (const DlgServerKey *key)
{
  DlgServerKey *copy = g_new0 (DlgServerKey, 1);

  copy->id = g_strdup (key->id);
  copy->organisation_id = g_strdup (key->organisation_id);
  copy->jwk = g_strdup (key->jwk);
  copy->added_at = key->added_at;
  copy->revoked_at = key->revoked_at;
  return copy;
}

void
dlg_server_key_free (DlgServerKey *key)
{
  if (key == NULL)
    return;
  g_free (key->id);
  g_free (key->organisation_id);
  g_free (key->jwk);
  g_free (key);
}

DlgServerDocument *
dlg_server_document_copy (const DlgServerDocument *document)
{
  DlgServerDocument *copy = g_new0 (DlgServerDocument, 1);

  copy->kind = document->kind;
  copy->id = g_strdup (document->id);
  copy->sender_id = g_strdup (document->sender_id);
  copy->subject_id = g_strdup (document->subject_id);
  copy->recipients = g_strdupv (document->recipients);
  copy->sha256 = g_strdup (document->sha256);
  copy->bytes = document->bytes ? g_bytes_ref (document->bytes) : NULL;
  copy->size = document->size;
  copy->sequence = document->sequence;
  copy->received_at = document->received_at;
  return copy;
}

void
dlg_server_document_free (DlgServerDocument *document)
{
  if (document == NULL)
    return;
  g_free (document->id);
  g_free (document->sender_id);
  g_free (document->subject_id);
  g_strfreev (document->recipients);
  g_free (document->sha256);
  g_clear_pointer (&document->bytes, g_bytes_unref);
  g_free (document);
}

void
dlg_server_questionnaire_free (DlgServerQuestionnaire *questionnaire)
{
  if (questionnaire == NULL)
    return;
  g_free (questionnaire->sha256);
  g_free (questionnaire->id);
  g_free (questionnaire->version);
  g_free (questionnaire->title);
  g_free (questionnaire->publisher_id);
  g_clear_pointer (&questionnaire->bytes, g_bytes_unref);
  g_free (questionnaire);
}

#define IFACE(self) (DLG_SERVER_STORAGE_GET_IFACE (self))

gboolean
dlg_server_storage_check (DlgServerStorage  *self,
                          GError           **error)
{
  g_return_val_if_fail (DLG_IS_SERVER_STORAGE (self), FALSE);
  return IFACE (self)->check (self, error);
}

/**
 * dlg_server_storage_close:
 *
 * Waits for the writes under way, then refuses new ones. Reads and writes
 * after this fail with %DLG_SERVER_STORAGE_ERROR_CLOSED.
 */
void
dlg_server_storage_close (DlgServerStorage *self)
{
  g_return_if_fail (DLG_IS_SERVER_STORAGE (self));
  IFACE (self)->close (self);
}

/**
 * dlg_server_storage_get_directory_version:
 *
 * The directory is the organisations, tokens and keys. Its version changes
 * with every change to them, made through this storage or any other way
 * (another process, say an admin command), and never goes back; what was
 * read after the version was read is at least that new. The server keeps
 * the directory in memory for as long as the version stays.
 *
 * Returns: the version, or -1 (with @error set if it could not be read)
 *   when the storage cannot tell; then nothing may be kept
 */
gint64
dlg_server_storage_get_directory_version (DlgServerStorage  *self,
                                          GError           **error)
{
  g_return_val_if_fail (DLG_IS_SERVER_STORAGE (self), -1);
  if (IFACE (self)->get_directory_version == NULL)
    return -1;
  return IFACE (self)->get_directory_version (self, error);
}

gboolean
dlg_server_storage_add_organisation (DlgServerStorage             *self,
                                     const DlgServerOrganisation  *organisation,
                                     GError                      **error)
{
  g_return_val_if_fail (DLG_IS_SERVER_STORAGE (self), FALSE);
  g_return_val_if_fail (organisation != NULL && organisation->id != NULL, FALSE);
  return IFACE (self)->add_organisation (self, organisation, error);
}

gboolean
dlg_server_storage_update_organisation (DlgServerStorage             *self,
                                        const DlgServerOrganisation  *organisation,
                                        GError                      **error)
{
  g_return_val_if_fail (DLG_IS_SERVER_STORAGE (self), FALSE);
  g_return_val_if_fail (organisation != NULL && organisation->id != NULL, FALSE);
  return IFACE (self)->update_organisation (self, organisation, error);
}

DlgServerOrganisation *
dlg_server_storage_get_organisation (DlgServerStorage  *self,
                                     const char        *id,
                                     GError           **error)
{
  g_return_val_if_fail (DLG_IS_SERVER_STORAGE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  return IFACE (self)->get_organisation (self, id, error);
}

/**
 * dlg_server_storage_list_organisations:
 *
 * Returns: (transfer full) (element-type DlgServerOrganisation): every
 *   organisation, by id
 */
GPtrArray *
dlg_server_storage_list_organisations (DlgServerStorage  *self,
                                       GError           **error)
{
  g_return_val_if_fail (DLG_IS_SERVER_STORAGE (self), NULL);
  return IFACE (self)->list_organisations (self, error);
}

gboolean
dlg_server_storage_add_token (DlgServerStorage      *self,
                              const DlgServerToken  *token,
                              GError               **error)
{
  g_return_val_if_fail (DLG_IS_SERVER_STORAGE (self), FALSE);
  g_return_val_if_fail (token != NULL && token->id != NULL && token->organisation_id != NULL, FALSE);
  return IFACE (self)->add_token (self, token, error);
}

/**
 * dlg_server_storage_get_token:
 *
 * Returns: (transfer full): the token, revoked or not
 */
DlgServerToken *
dlg_server_storage_get_token (DlgServerStorage  *self,
                              const char        *id,
                              GError           **error)
{
  g_return_val_if_fail (DLG_IS_SERVER_STORAGE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  return IFACE (self)->get_token (self, id, error);
}

/**
 * dlg_server_storage_list_tokens:
 * @organisation_id: (nullable): only this organisation's tokens
 *
 * Returns: (transfer full) (element-type DlgServerToken): tokens, oldest first
 */
GPtrArray *
dlg_server_storage_list_tokens (DlgServerStorage  *self,
                                const char        *organisation_id,
                                GError           **error)
{
  g_return_val_if_fail (DLG_IS_SERVER_STORAGE (self), NULL);
  return IFACE (self)->list_tokens (self, organisation_id, error);
}

gboolean
dlg_server_storage_revoke_token (DlgServerStorage  *self,
                                 const char        *id,
                                 GError           **error)
{
  g_return_val_if_fail (DLG_IS_SERVER_STORAGE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  return IFACE (self)->revoke_token (self, id, error);
}

gboolean
dlg_server_storage_add_key (DlgServerStorage    *self,
                            const DlgServerKey  *key,
                            GError             **error)
{
  g_return_val_if_fail (DLG_IS_SERVER_STORAGE (self), FALSE);
  g_return_val_if_fail (key != NULL && key->id != NULL && key->organisation_id != NULL && key->jwk != NULL, FALSE);
  return IFACE (self)->add_key (self, key, error);
}

DlgServerKey *
dlg_server_storage_get_key (DlgServerStorage  *self,
                            const char        *id,
                            GError           **error)
{
  g_return_val_if_fail (DLG_IS_SERVER_STORAGE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  return IFACE (self)->get_key (self, id, error);
}

/**
 * dlg_server_storage_list_keys:
 * @organisation_id: (nullable): only this organisation's keys
 *
 * Returns: (transfer full) (element-type DlgServerKey): keys, oldest first
 */
GPtrArray *
dlg_server_storage_list_keys (DlgServerStorage  *self,
                              const char        *organisation_id,
                              gboolean           include_revoked,
                              GError           **error)
{
  g_return_val_if_fail (DLG_IS_SERVER_STORAGE (self), NULL);
  return IFACE (self)->list_keys (self, organisation_id, include_revoked, error);
}

gboolean
dlg_server_storage_revoke_key (DlgServerStorage  *self,
                               const char        *id,
                               GError           **error)
{
  g_return_val_if_fail (DLG_IS_SERVER_STORAGE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  return IFACE (self)->revoke_key (self, id, error);
}

/**
 * dlg_server_storage_submit_async:
 * @document: a document with its bytes, sender and recipients
 *
 * Stores @document unless one of the same kind and id is stored already.
 * The callback runs in the thread-default main context of the caller once
 * the outcome is durable.
 */
void
dlg_server_storage_submit_async (DlgServerStorage         *self,
                                 const DlgServerDocument  *document,
                                 GCancellable             *cancellable,
                                 GAsyncReadyCallback       callback,
                                 gpointer                  user_data)
{
  g_return_if_fail (DLG_IS_SERVER_STORAGE (self));
  g_return_if_fail (document != NULL && document->id != NULL && document->bytes != NULL);
  IFACE (self)->submit_async (self, document, cancellable, callback, user_data);
}

/**
 * dlg_server_storage_submit_finish:
 * @stored: (out) (optional): the stored document (without its bytes): the
 *   new one, the earlier duplicate, or the conflicting one
 *
 * Returns: what happened, or %DLG_SERVER_SUBMIT_CONFLICT with @error set
 *   when nothing could be decided
 */
DlgServerSubmitResult
dlg_server_storage_submit_finish (DlgServerStorage   *self,
                                  GAsyncResult       *result,
                                  DlgServerDocument **stored,
                                  GError            **error)
{
  g_return_val_if_fail (DLG_IS_SERVER_STORAGE (self), DLG_SERVER_SUBMIT_CONFLICT);
  return IFACE (self)->submit_finish (self, result, stored, error);
}

/**
 * dlg_server_storage_list_documents:
 * @recipient_id: the organisation the documents are addressed to
 * @before_sequence: only documents older than this, 0 for the newest
 *
 * Returns: (transfer full) (element-type DlgServerDocument): up to @limit
 *   documents without their bytes, newest first
 */
GPtrArray *
dlg_server_storage_list_documents (DlgServerStorage       *self,
                                   DlgServerDocumentKind   kind,
                                   const char             *recipient_id,
                                   gint64                  before_sequence,
                                   guint                   limit,
                                   GError                **error)
{
  g_return_val_if_fail (DLG_IS_SERVER_STORAGE (self), NULL);
  g_return_val_if_fail (recipient_id != NULL, NULL);
  return IFACE (self)->list_documents (self, kind, recipient_id, before_sequence, limit, error);
}

/**
 * dlg_server_storage_get_document:
 * @reader_id: the organisation asking: its sender or one of its recipients
 *
 * Returns: (transfer full): the document with its bytes, or %NULL with
 *   NOT_FOUND when it does not exist or @reader_id may not read it (the
 *   two are told apart nowhere)
 */
DlgServerDocument *
dlg_server_storage_get_document (DlgServerStorage       *self,
                                 DlgServerDocumentKind   kind,
                                 const char             *id,
                                 const char             *reader_id,
                                 GError                **error)
{
  g_return_val_if_fail (DLG_IS_SERVER_STORAGE (self), NULL);
  g_return_val_if_fail (id != NULL && reader_id != NULL, NULL);
  return IFACE (self)->get_document (self, kind, id, reader_id, error);
}

/**
 * dlg_server_storage_publish_questionnaire:
 * @created: (out) (optional): %FALSE when the same bytes were published before
 */
gboolean
dlg_server_storage_publish_questionnaire (DlgServerStorage              *self,
                                          const DlgServerQuestionnaire  *questionnaire,
                                          gboolean                      *created,
                                          GError                       **error)
{
  g_return_val_if_fail (DLG_IS_SERVER_STORAGE (self), FALSE);
  g_return_val_if_fail (questionnaire != NULL && questionnaire->sha256 != NULL && questionnaire->bytes != NULL, FALSE);
  return IFACE (self)->publish_questionnaire (self, questionnaire, created, error);
}

/**
 * dlg_server_storage_list_questionnaires:
 *
 * Returns: (transfer full) (element-type DlgServerQuestionnaire): every
 *   published questionnaire without its bytes, newest first
 */
GPtrArray *
dlg_server_storage_list_questionnaires (DlgServerStorage  *self,
                                        GError           **error)
{
  g_return_val_if_fail (DLG_IS_SERVER_STORAGE (self), NULL);
  return IFACE (self)->list_questionnaires (self, error);
}

DlgServerQuestionnaire *
dlg_server_storage_get_questionnaire (DlgServerStorage  *self,
                                      const char        *sha256,
                                      GError           **error)
{
  g_return_val_if_fail (DLG_IS_SERVER_STORAGE (self), NULL);
  g_return_val_if_fail (sha256 != NULL, NULL);
  return IFACE (self)->get_questionnaire (self, sha256, error);
}
