/* dlg-server-storage.h - what diligence-server keeps, behind a small interface
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DLG_SERVER_STORAGE_ERROR (dlg_server_storage_error_quark ())

typedef enum
{
  DLG_SERVER_STORAGE_ERROR_OPEN,
  DLG_SERVER_STORAGE_ERROR_CORRUPT,
  DLG_SERVER_STORAGE_ERROR_NEWER_SCHEMA,
  DLG_SERVER_STORAGE_ERROR_NOT_FOUND,
  DLG_SERVER_STORAGE_ERROR_EXISTS,
  DLG_SERVER_STORAGE_ERROR_FULL,
  DLG_SERVER_STORAGE_ERROR_CLOSED,
  DLG_SERVER_STORAGE_ERROR_FAILED,
} DlgServerStorageError;

typedef enum
{
  DLG_SERVER_ROLE_SUPPLIER     = 1 << 0,
  DLG_SERVER_ROLE_BUYER        = 1 << 1,
  DLG_SERVER_ROLE_SIGNATORY    = 1 << 2,
  DLG_SERVER_ROLE_CHARTER_BODY = 1 << 3,
} DlgServerRoles;

#define DLG_SERVER_ROLE_ALL (DLG_SERVER_ROLE_SUPPLIER | DLG_SERVER_ROLE_BUYER | \
                             DLG_SERVER_ROLE_SIGNATORY | DLG_SERVER_ROLE_CHARTER_BODY)

/* Organisations are known by their enterprise or VAT number. */
typedef struct
{
  char           *id;
  char           *name;
  DlgServerRoles  roles;
  gint64          created_at;     /* µs since the epoch */
} DlgServerOrganisation;

/* A bearer token. Only a hash of its secret is kept. */
typedef struct
{
  char   *id;
  char   *organisation_id;
  char   *label;
  guint8  hash[32];               /* SHA-256 of the secret part */
  gint64  created_at;
  gint64  revoked_at;             /* 0 while valid */
} DlgServerToken;

/* A public signing key enrolled by an organisation, as a JWK. */
typedef struct
{
  char   *id;                     /* the JWK thumbprint, which JWS headers name as kid */
  char   *organisation_id;
  char   *jwk;
  gint64  added_at;
  gint64  revoked_at;             /* 0 while valid */
} DlgServerKey;

typedef enum
{
  DLG_SERVER_DOCUMENT_REPORT,
  DLG_SERVER_DOCUMENT_REVIEW,
} DlgServerDocumentKind;

/* A signed report or review, kept as the exact bytes received. */
typedef struct
{
  DlgServerDocumentKind   kind;
  char                   *id;
  char                   *sender_id;
  char                   *subject_id;   /* the report a review is about; NULL for reports */
  char                  **recipients;   /* organisation ids, NULL-terminated */
  char                   *sha256;       /* of the exact bytes */
  GBytes                 *bytes;        /* NULL in listings */
  gsize                   size;
  gint64                  sequence;     /* set by the storage, grows with every document */
  gint64                  received_at;  /* set by the storage, µs since the epoch */
} DlgServerDocument;

typedef enum
{
  DLG_SERVER_SUBMIT_CREATED,      /* new, now durable */
  DLG_SERVER_SUBMIT_DUPLICATE,    /* the same id with the same bytes, stored before */
  DLG_SERVER_SUBMIT_CONFLICT,     /* the same id with other bytes: nothing stored */
} DlgServerSubmitResult;

typedef struct
{
  char   *sha256;
  char   *id;
  char   *version;
  char   *title;
  char   *publisher_id;
  GBytes *bytes;                  /* NULL in listings */
  gsize   size;
  gint64  published_at;
} DlgServerQuestionnaire;

#define DLG_TYPE_SERVER_STORAGE (dlg_server_storage_get_type ())

G_DECLARE_INTERFACE (DlgServerStorage, dlg_server_storage, DLG, SERVER_STORAGE, GObject)

/* Every method may be called from any thread. Writes return once they are
 * durable. Lookups that find nothing return NULL with NOT_FOUND. */
struct _DlgServerStorageInterface
{
  GTypeInterface parent_iface;

  gboolean                (*check)                (DlgServerStorage             *self,
                                                   GError                      **error);
  void                    (*close)                (DlgServerStorage             *self);

  gboolean                (*add_organisation)     (DlgServerStorage             *self,
                                                   const DlgServerOrganisation  *organisation,
                                                   GError                      **error);
  gboolean                (*update_organisation)  (DlgServerStorage             *self,
                                                   const DlgServerOrganisation  *organisation,
                                                   GError                      **error);
  DlgServerOrganisation  *(*get_organisation)     (DlgServerStorage             *self,
                                                   const char                   *id,
                                                   GError                      **error);
  GPtrArray              *(*list_organisations)   (DlgServerStorage             *self,
                                                   GError                      **error);

  gboolean                (*add_token)            (DlgServerStorage             *self,
                                                   const DlgServerToken         *token,
                                                   GError                      **error);
  DlgServerToken         *(*get_token)            (DlgServerStorage             *self,
                                                   const char                   *id,
                                                   GError                      **error);
  GPtrArray              *(*list_tokens)          (DlgServerStorage             *self,
                                                   const char                   *organisation_id,
                                                   GError                      **error);
  gboolean                (*revoke_token)         (DlgServerStorage             *self,
                                                   const char                   *id,
                                                   GError                      **error);

  gboolean                (*add_key)              (DlgServerStorage             *self,
                                                   const DlgServerKey           *key,
                                                   GError                      **error);
  DlgServerKey           *(*get_key)              (DlgServerStorage             *self,
                                                   const char                   *id,
                                                   GError                      **error);
  GPtrArray              *(*list_keys)            (DlgServerStorage             *self,
                                                   const char                   *organisation_id,
                                                   gboolean                      include_revoked,
                                                   GError                      **error);
  gboolean                (*revoke_key)           (DlgServerStorage             *self,
                                                   const char                   *id,
                                                   GError                      **error);

  void                    (*submit_async)         (DlgServerStorage             *self,
                                                   const DlgServerDocument      *document,
                                                   GCancellable                 *cancellable,
                                                   GAsyncReadyCallback           callback,
                                                   gpointer                      user_data);
  DlgServerSubmitResult   (*submit_finish)        (DlgServerStorage             *self,
                                                   GAsyncResult                 *result,
                                                   DlgServerDocument           **stored,
                                                   GError                      **error);
  GPtrArray              *(*list_documents)       (DlgServerStorage             *self,
                                                   DlgServerDocumentKind         kind,
                                                   const char                   *recipient_id,
                                                   gint64                        before_sequence,
                                                   guint                         limit,
                                                   GError                      **error);
  DlgServerDocument      *(*get_document)         (DlgServerStorage             *self,
                                                   DlgServerDocumentKind         kind,
                                                   const char                   *id,
                                                   const char                   *reader_id,
                                                   GError                      **error);

  gboolean                (*publish_questionnaire) (DlgServerStorage            *self,
                                                   const DlgServerQuestionnaire *questionnaire,
                                                   gboolean                     *created,
                                                   GError                      **error);
  GPtrArray              *(*list_questionnaires)  (DlgServerStorage             *self,
                                                   GError                      **error);
  DlgServerQuestionnaire *(*get_questionnaire)    (DlgServerStorage             *self,
                                                   const char                   *sha256,
                                                   GError                      **error);

  /* Optional: without it, the server reads the directory for each request. */
  gint64                  (*get_directory_version) (DlgServerStorage            *self,
                                                   GError                      **error);
};

GQuark                   dlg_server_storage_error_quark        (void);

const char              *dlg_server_role_to_string             (DlgServerRoles                roles);
char                    *dlg_server_roles_to_string            (DlgServerRoles                roles);
gboolean                 dlg_server_roles_from_string          (const char                   *text,
                                                                DlgServerRoles               *roles,
                                                                GError                      **error);
const char              *dlg_server_document_kind_to_string    (DlgServerDocumentKind         kind);

DlgServerOrganisation   *dlg_server_organisation_copy          (const DlgServerOrganisation  *organisation);
void                     dlg_server_organisation_free          (DlgServerOrganisation        *organisation);
DlgServerToken          *dlg_server_token_copy                 (const DlgServerToken         *token);
void                     dlg_server_token_free                 (DlgServerToken               *token);
DlgServerKey            *dlg_server_key_copy                   (const DlgServerKey           *key);
void                     dlg_server_key_free                   (DlgServerKey                 *key);
DlgServerDocument       *dlg_server_document_copy              (const DlgServerDocument      *document);
void                     dlg_server_document_free              (DlgServerDocument            *document);
void                     dlg_server_questionnaire_free         (DlgServerQuestionnaire       *questionnaire);

gboolean                 dlg_server_storage_check              (DlgServerStorage             *self,
                                                                GError                      **error);
void                     dlg_server_storage_close              (DlgServerStorage             *self);
gint64                   dlg_server_storage_get_directory_version (DlgServerStorage          *self,
                                                                GError                      **error);

gboolean                 dlg_server_storage_add_organisation   (DlgServerStorage             *self,
                                                                const DlgServerOrganisation  *organisation,
                                                                GError                      **error);
gboolean                 dlg_server_storage_update_organisation (DlgServerStorage            *self,
                                                                const DlgServerOrganisation  *organisation,
                                                                GError                      **error);
DlgServerOrganisation   *dlg_server_storage_get_organisation   (DlgServerStorage             *self,
                                                                const char                   *id,
                                                                GError                      **error);
GPtrArray               *dlg_server_storage_list_organisations (DlgServerStorage             *self,
                                                                GError                      **error);

gboolean                 dlg_server_storage_add_token          (DlgServerStorage             *self,
                                                                const DlgServerToken         *token,
                                                                GError                      **error);
DlgServerToken          *dlg_server_storage_get_token          (DlgServerStorage             *self,
                                                                const char                   *id,
                                                                GError                      **error);
GPtrArray               *dlg_server_storage_list_tokens        (DlgServerStorage             *self,
                                                                const char                   *organisation_id,
                                                                GError                      **error);
gboolean                 dlg_server_storage_revoke_token       (DlgServerStorage             *self,
                                                                const char                   *id,
                                                                GError                      **error);

gboolean                 dlg_server_storage_add_key            (DlgServerStorage             *self,
                                                                const DlgServerKey           *key,
                                                                GError                      **error);
DlgServerKey            *dlg_server_storage_get_key            (DlgServerStorage             *self,
                                                                const char                   *id,
                                                                GError                      **error);
GPtrArray               *dlg_server_storage_list_keys          (DlgServerStorage             *self,
                                                                const char                   *organisation_id,
                                                                gboolean                      include_revoked,
                                                                GError                      **error);
gboolean                 dlg_server_storage_revoke_key         (DlgServerStorage             *self,
                                                                const char                   *id,
                                                                GError                      **error);

void                     dlg_server_storage_submit_async       (DlgServerStorage             *self,
                                                                const DlgServerDocument      *document,
                                                                GCancellable                 *cancellable,
                                                                GAsyncReadyCallback           callback,
                                                                gpointer                      user_data);
DlgServerSubmitResult    dlg_server_storage_submit_finish      (DlgServerStorage             *self,
                                                                GAsyncResult                 *result,
                                                                DlgServerDocument           **stored,
                                                                GError                      **error);
GPtrArray               *dlg_server_storage_list_documents     (DlgServerStorage             *self,
                                                                DlgServerDocumentKind         kind,
                                                                const char                   *recipient_id,
                                                                gint64                        before_sequence,
                                                                guint                         limit,
                                                                GError                      **error);
DlgServerDocument       *dlg_server_storage_get_document       (DlgServerStorage             *self,
                                                                DlgServerDocumentKind         kind,
                                                                const char                   *id,
                                                                const char                   *reader_id,
                                                                GError                      **error);

gboolean                 dlg_server_storage_publish_questionnaire (DlgServerStorage          *self,
                                                                const DlgServerQuestionnaire *questionnaire,
                                                                gboolean                     *created,
                                                                GError                      **error);
GPtrArray               *dlg_server_storage_list_questionnaires (DlgServerStorage            *self,
                                                                GError                      **error);
DlgServerQuestionnaire  *dlg_server_storage_get_questionnaire  (DlgServerStorage             *self,
                                                                const char                   *sha256,
                                                                GError                      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlgServerOrganisation, dlg_server_organisation_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlgServerToken, dlg_server_token_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlgServerKey, dlg_server_key_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlgServerDocument, dlg_server_document_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlgServerQuestionnaire, dlg_server_questionnaire_free)

G_END_DECLS
