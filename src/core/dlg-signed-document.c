/* dlg-signed-document.c - a signed report or review, opened and checked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one way the app and diligence-tool open a `.dlgreport`, `.dlgreview`
 * or `.jws` file, so that both say the same thing about the same bytes.
 *
 * Opening parses the compact JWS and reads the payload without trusting
 * it, only to say what the document claims to be and who claims to have
 * signed it. Checking then looks for the key its "kid" names: keys given
 * as trusted, then our own keys (current and retired), then the known
 * organisations' keys. A key found decides: the signature, the "typ" and
 * the payload are verified together by the report or review reader, and
 * the document is valid (a confirmed key), untrusted (a key known but not
 * confirmed) or invalid with the reason. No key found leaves it signed by
 * an unknown signer: nothing in it can be believed, and the caller must
 * say so. The bytes are never re-serialised: what is shown, exported and
 * hashed is what was signed.
 */

#define G_LOG_DOMAIN "dlg-signed-document"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dlg-jws.h"
#include "dlg-signed-document.h"

struct _DlgSignedDocument
{
  GObject             parent_instance;

  GBytes             *bytes;
  char               *sha256;
  DlgJws             *jws;
  gboolean            has_kind;
  DlgSignedKind       kind;
  DlgReport          *report;      /* as read: verified once status is VALID or UNTRUSTED */
  DlgReview          *review;
  DlgKey             *key;         /* the key that verified it */
  gboolean            own;
  DlgSignatureStatus  status;
  GError             *error;
  GError             *payload_error;  /* the payload as read unverified */
};

G_DEFINE_FINAL_TYPE (DlgSignedDocument, dlg_signed_document, G_TYPE_OBJECT)

static void
dlg_signed_document_finalize (GObject *object)
{
  DlgSignedDocument *self = DLG_SIGNED_DOCUMENT (object);

  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->sha256, g_free);
  g_clear_object (&self->jws);
  g_clear_object (&self->report);
  g_clear_object (&self->review);
  g_clear_object (&self->key);
  g_clear_error (&self->error);
  g_clear_error (&self->payload_error);

  G_OBJECT_CLASS (dlg_signed_document_parent_class)->finalize (object);
}

static void
dlg_signed_document_class_init (DlgSignedDocumentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dlg_signed_document_finalize;
}

static void
dlg_signed_document_init (DlgSignedDocument *self)
{
}

/**
 * dlg_signature_status_to_string:
 *
 * Returns: the status as diligence-tool prints it: "valid", "untrusted",
 *   "unknown-signer", "invalid" or "unchecked"
 */
const char *
dlg_signature_status_to_string (DlgSignatureStatus status)
{
  switch (status)
    {
    case DLG_SIGNATURE_VALID: return "valid";
    case DLG_SIGNATURE_UNTRUSTED: return "untrusted";
    case DLG_SIGNATURE_UNKNOWN_SIGNER: return "unknown-signer";
    case DLG_SIGNATURE_INVALID: return "invalid";
    case DLG_SIGNATURE_UNCHECKED:
    default: return "unchecked";
    }
}

static void
set_invalid (DlgSignedDocument *self,
             GError            *error)
{
  g_clear_error (&self->error);
  self->error = error;
  self->status = DLG_SIGNATURE_INVALID;
  g_clear_object (&self->key);
  self->own = FALSE;
}

/**
 * dlg_signed_document_new:
 * @bytes: the exact contents of the file
 *
 * Reads what the document claims to be; nothing is verified yet (see
 * dlg_signed_document_check()). A file that is not a compact JWS of a
 * report or review gives a document whose status is
 * %DLG_SIGNATURE_INVALID, with the reason.
 *
 * Returns: (transfer full): the document
 */
DlgSignedDocument *
dlg_signed_document_new (GBytes *bytes)
{
  DlgSignedDocument *self;
  GError *error = NULL;
  const char *data;
  const char *typ;
  gsize length;

  g_return_val_if_fail (bytes != NULL, NULL);

  self = g_object_new (DLG_TYPE_SIGNED_DOCUMENT, NULL);
  self->bytes = g_bytes_ref (bytes);
  self->sha256 = dlg_sha256_hex (bytes);

  data = g_bytes_get_data (bytes, &length);
  self->jws = dlg_jws_parse (data ? data : "", length, &error);
  if (self->jws == NULL)
    {
      set_invalid (self, error);
      return self;
    }

  typ = dlg_jws_get_typ (self->jws);
  if (g_strcmp0 (typ, DLG_JWS_TYP_REPORT) == 0)
    {
      self->has_kind = TRUE;
      self->kind = DLG_SIGNED_REPORT;
      self->report = dlg_report_new_from_payload (dlg_jws_get_payload (self->jws), &error);
    }
  else if (g_strcmp0 (typ, DLG_JWS_TYP_REVIEW) == 0)
    {
      self->has_kind = TRUE;
      self->kind = DLG_SIGNED_REVIEW;
      self->review = dlg_review_new_from_payload (dlg_jws_get_payload (self->jws), &error);
    }
  else
    {
      set_invalid (self, g_error_new (DLG_SYNC_ERROR, DLG_SYNC_ERROR_REJECTED,
                                      _("This is not a signed report or review (its type is “%s”)."),
                                      typ ? typ : ""));
      return self;
    }

  /* A payload that cannot be read is reported once the signature is
   * checked, if the key is known: "changed since signing" says more than
   * the reader's complaint about what the change broke. */
  self->payload_error = error;
  return self;
}

/* Enterprise numbers compared as the inbox and the server compare them. */
static char *
normalise_organisation_id (const char *id)
{
  GString *s = g_string_new (NULL);

  for (const char *p = id ? id : ""; *p; p++)
    if (*p != ' ' && *p != '.' && *p != '-' && *p != '/')
      g_string_append_c (s, g_ascii_toupper (*p));
  return g_string_free (s, FALSE);
}

/**
 * dlg_signed_document_verify:
 * @key: the public key the document's "kid" names
 * @trusted: whether someone here confirmed @key
 * @organisation_id: (nullable): the enterprise number @key belongs to;
 *   a document that says it is from another organisation is invalid
 *
 * Verifies the signature, the type and the payload with @key.
 *
 * Returns: %TRUE if the document is valid or untrusted now
 */
gboolean
dlg_signed_document_verify (DlgSignedDocument *self,
                            DlgKey            *key,
                            gboolean           trusted,
                            const char        *organisation_id)
{
  g_autoptr(DlgReport) report = NULL;
  g_autoptr(DlgReview) review = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *author = NULL;
  GError *error = NULL;

  g_return_val_if_fail (DLG_IS_SIGNED_DOCUMENT (self), FALSE);
  g_return_val_if_fail (DLG_IS_KEY (key), FALSE);

  if (self->jws == NULL || !self->has_kind)
    return FALSE;

  if (self->kind == DLG_SIGNED_REPORT)
    report = dlg_report_new_from_jws (self->jws, key, &error);
  else
    review = dlg_review_new_from_jws (self->jws, key, &error);

  if (error != NULL)
    {
      set_invalid (self, error);
      return FALSE;
    }

  /* A key known for one organisation does not vouch for another. */
  owner = normalise_organisation_id (organisation_id);
  author = normalise_organisation_id (report ? dlg_report_get_organisation_id (report)
                                             : dlg_review_get_reviewer (review)->id);
  if (*owner != '\0' && strcmp (owner, author) != 0)
    {
      set_invalid (self, g_error_new (DLG_SYNC_ERROR, DLG_SYNC_ERROR_FORBIDDEN,
                                      _("It says it is from %s, but it is signed with a key of %s."),
                                      report ? dlg_report_get_organisation_id (report)
                                             : dlg_review_get_reviewer (review)->id,
                                      organisation_id));
      return FALSE;
    }

  g_set_object (&self->report, report);
  g_set_object (&self->review, review);
  g_set_object (&self->key, key);
  g_clear_error (&self->error);
  g_clear_error (&self->payload_error);
  self->status = trusted ? DLG_SIGNATURE_VALID : DLG_SIGNATURE_UNTRUSTED;
  return TRUE;
}

/**
 * dlg_signed_document_check:
 * @trusted_keys: (nullable) (element-type DlgKey): keys to trust, tried
 *   first
 * @keyring: (nullable): our own keys, loaded; reports we signed verify
 *   with them, even after the key was replaced
 * @trust: (nullable): the known organisations' keys
 *
 * Finds the key the document names and verifies the document with it.
 *
 * Returns: the status
 */
DlgSignatureStatus
dlg_signed_document_check (DlgSignedDocument *self,
                           GPtrArray         *trusted_keys,
                           DlgKeyring        *keyring,
                           DlgTrustStore     *trust)
{
  const char *kid;
  DlgTrustedKey *known;
  DlgKey *own;

  g_return_val_if_fail (DLG_IS_SIGNED_DOCUMENT (self), DLG_SIGNATURE_INVALID);

  if (self->status == DLG_SIGNATURE_INVALID)
    return self->status;

  kid = dlg_jws_get_kid (self->jws);
  self->own = FALSE;

  for (guint i = 0; trusted_keys != NULL && i < trusted_keys->len; i++)
    {
      DlgKey *key = g_ptr_array_index (trusted_keys, i);

      if (strcmp (dlg_key_get_id (key), kid) == 0)
        {
          dlg_signed_document_verify (self, key, TRUE, NULL);
          return self->status;
        }
    }

  if (keyring != NULL && (own = dlg_keyring_lookup_public (keyring, kid)) != NULL)
    {
      self->own = dlg_signed_document_verify (self, own, TRUE, NULL);
      return self->status;
    }

  if (trust != NULL && (known = dlg_trust_store_lookup (trust, kid)) != NULL)
    {
      dlg_signed_document_verify (self, dlg_trusted_key_get_key (known), dlg_trusted_key_get_trusted (known),
                                  dlg_trusted_key_get_organisation_id (known));
      return self->status;
    }

  if (self->payload_error != NULL)
    set_invalid (self, g_error_copy (self->payload_error));
  else
    {
      self->status = DLG_SIGNATURE_UNKNOWN_SIGNER;
      g_clear_object (&self->key);
    }
  return self->status;
}

DlgSignatureStatus
dlg_signed_document_get_status (DlgSignedDocument *self)
{
  g_return_val_if_fail (DLG_IS_SIGNED_DOCUMENT (self), DLG_SIGNATURE_INVALID);
  return self->status;
}

/**
 * dlg_signed_document_get_error:
 *
 * Returns: (nullable): why the document is invalid
 */
const GError *
dlg_signed_document_get_error (DlgSignedDocument *self)
{
  g_return_val_if_fail (DLG_IS_SIGNED_DOCUMENT (self), NULL);
  return self->error;
}

/**
 * dlg_signed_document_get_bytes:
 *
 * Returns: (transfer none): the exact bytes opened
 */
GBytes *
dlg_signed_document_get_bytes (DlgSignedDocument *self)
{
  g_return_val_if_fail (DLG_IS_SIGNED_DOCUMENT (self), NULL);
  return self->bytes;
}

/**
 * dlg_signed_document_get_sha256:
 *
 * Returns: the SHA-256 of the bytes, as a review names its report
 */
const char *
dlg_signed_document_get_sha256 (DlgSignedDocument *self)
{
  g_return_val_if_fail (DLG_IS_SIGNED_DOCUMENT (self), NULL);
  return self->sha256;
}

/**
 * dlg_signed_document_get_kind:
 * @kind: (out): a report or a review
 *
 * Returns: %FALSE when the document is neither
 */
gboolean
dlg_signed_document_get_kind (DlgSignedDocument *self,
                              DlgSignedKind     *kind)
{
  g_return_val_if_fail (DLG_IS_SIGNED_DOCUMENT (self), FALSE);

  if (self->has_kind && kind != NULL)
    *kind = self->kind;
  return self->has_kind;
}

/**
 * dlg_signed_document_get_key_id:
 *
 * Returns: (nullable): the "kid" of its header, %NULL when it could not
 *   be read
 */
const char *
dlg_signed_document_get_key_id (DlgSignedDocument *self)
{
  g_return_val_if_fail (DLG_IS_SIGNED_DOCUMENT (self), NULL);
  return self->jws ? dlg_jws_get_kid (self->jws) : NULL;
}

/**
 * dlg_signed_document_get_fingerprint:
 *
 * The fingerprint of the key the header names, in groups of four as
 * dlg_key_get_fingerprint() writes it, whether or not that key is known.
 *
 * Returns: (transfer full) (nullable): the fingerprint
 */
char *
dlg_signed_document_get_fingerprint (DlgSignedDocument *self)
{
  const char *kid;
  GString *out;

  g_return_val_if_fail (DLG_IS_SIGNED_DOCUMENT (self), NULL);

  if (self->key != NULL)
    return dlg_key_get_fingerprint (self->key);
  if ((kid = dlg_signed_document_get_key_id (self)) == NULL)
    return NULL;

  out = g_string_new (NULL);
  for (gsize i = 0; kid[i] != '\0'; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, kid[i]);
    }
  return g_string_free (out, FALSE);
}

/**
 * dlg_signed_document_get_key:
 *
 * Returns: (transfer none) (nullable): the key that verified it
 */
DlgKey *
dlg_signed_document_get_key (DlgSignedDocument *self)
{
  g_return_val_if_fail (DLG_IS_SIGNED_DOCUMENT (self), NULL);
  return self->key;
}

/**
 * dlg_signed_document_get_own:
 *
 * Returns: %TRUE when it verified with one of our own keys
 */
gboolean
dlg_signed_document_get_own (DlgSignedDocument *self)
{
  g_return_val_if_fail (DLG_IS_SIGNED_DOCUMENT (self), FALSE);
  return self->own;
}

/**
 * dlg_signed_document_get_id:
 *
 * Returns: (nullable): the report's or review's id, as the payload says
 */
const char *
dlg_signed_document_get_id (DlgSignedDocument *self)
{
  g_return_val_if_fail (DLG_IS_SIGNED_DOCUMENT (self), NULL);

  if (self->report != NULL)
    return dlg_report_get_id (self->report);
  if (self->review != NULL)
    return dlg_review_get_id (self->review);
  return NULL;
}

/**
 * dlg_signed_document_get_signer_name:
 *
 * Returns: (nullable): the organisation the payload says it is from;
 *   believe it only once the status is valid
 */
const char *
dlg_signed_document_get_signer_name (DlgSignedDocument *self)
{
  g_return_val_if_fail (DLG_IS_SIGNED_DOCUMENT (self), NULL);

  if (self->report != NULL)
    return dlg_report_get_organisation_name (self->report);
  if (self->review != NULL)
    return dlg_review_get_reviewer (self->review)->name;
  return NULL;
}

/**
 * dlg_signed_document_get_signer_id:
 *
 * Returns: (nullable): the enterprise number the payload says it is from
 */
const char *
dlg_signed_document_get_signer_id (DlgSignedDocument *self)
{
  g_return_val_if_fail (DLG_IS_SIGNED_DOCUMENT (self), NULL);

  if (self->report != NULL)
    return dlg_report_get_organisation_id (self->report);
  if (self->review != NULL)
    return dlg_review_get_reviewer (self->review)->id;
  return NULL;
}

/**
 * dlg_signed_document_get_report:
 *
 * Returns: (transfer none) (nullable): the report, as read; verified only
 *   when the status is valid or untrusted
 */
DlgReport *
dlg_signed_document_get_report (DlgSignedDocument *self)
{
  g_return_val_if_fail (DLG_IS_SIGNED_DOCUMENT (self), NULL);
  return self->report;
}

/**
 * dlg_signed_document_get_review:
 *
 * Returns: (transfer none) (nullable): the review, as read; verified only
 *   when the status is valid or untrusted
 */
DlgReview *
dlg_signed_document_get_review (DlgSignedDocument *self)
{
  g_return_val_if_fail (DLG_IS_SIGNED_DOCUMENT (self), NULL);
  return self->review;
}
