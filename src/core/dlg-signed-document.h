/* dlg-signed-document.h - a signed report or review, opened and checked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dlg-key.h"
#include "dlg-keyring.h"
#include "dlg-report.h"
#include "dlg-review.h"
#include "dlg-store-sync.h"
#include "dlg-trust-store.h"

G_BEGIN_DECLS

/**
 * DlgSignatureStatus:
 * @DLG_SIGNATURE_UNCHECKED: not checked yet
 * @DLG_SIGNATURE_VALID: the signature verifies with a key someone here
 *   confirmed: one of our own, a trusted organisation's, or one given as
 *   trusted (the command line's --trusted-key)
 * @DLG_SIGNATURE_UNTRUSTED: the signature verifies with a known key that
 *   nobody here has confirmed yet (its fingerprint was not compared)
 * @DLG_SIGNATURE_UNKNOWN_SIGNER: the document is well formed, but signed
 *   with a key not known here, so its signature cannot be checked
 * @DLG_SIGNATURE_INVALID: not a signed report or review, damaged, or
 *   changed since it was signed; see dlg_signed_document_get_error()
 */
typedef enum
{
  DLG_SIGNATURE_UNCHECKED,
  DLG_SIGNATURE_VALID,
  DLG_SIGNATURE_UNTRUSTED,
  DLG_SIGNATURE_UNKNOWN_SIGNER,
  DLG_SIGNATURE_INVALID,
} DlgSignatureStatus;

#define DLG_TYPE_SIGNED_DOCUMENT (dlg_signed_document_get_type ())

G_DECLARE_FINAL_TYPE (DlgSignedDocument, dlg_signed_document, DLG, SIGNED_DOCUMENT, GObject)

const char         *dlg_signature_status_to_string       (DlgSignatureStatus  status);

DlgSignedDocument  *dlg_signed_document_new              (GBytes             *bytes);
gboolean            dlg_signed_document_verify           (DlgSignedDocument  *self,
                                                          DlgKey             *key,
                                                          gboolean            trusted,
                                                          const char         *organisation_id);
DlgSignatureStatus  dlg_signed_document_check            (DlgSignedDocument  *self,
                                                          GPtrArray          *trusted_keys,
                                                          DlgKeyring         *keyring,
                                                          DlgTrustStore      *trust);

DlgSignatureStatus  dlg_signed_document_get_status       (DlgSignedDocument  *self);
const GError       *dlg_signed_document_get_error        (DlgSignedDocument  *self);
GBytes             *dlg_signed_document_get_bytes        (DlgSignedDocument  *self);
const char         *dlg_signed_document_get_sha256       (DlgSignedDocument  *self);
gboolean            dlg_signed_document_get_kind         (DlgSignedDocument  *self,
                                                          DlgSignedKind      *kind);
const char         *dlg_signed_document_get_key_id       (DlgSignedDocument  *self);
char               *dlg_signed_document_get_fingerprint  (DlgSignedDocument  *self);
DlgKey             *dlg_signed_document_get_key          (DlgSignedDocument  *self);
gboolean            dlg_signed_document_get_own          (DlgSignedDocument  *self);
const char         *dlg_signed_document_get_id           (DlgSignedDocument  *self);
const char         *dlg_signed_document_get_signer_name  (DlgSignedDocument  *self);
const char         *dlg_signed_document_get_signer_id    (DlgSignedDocument  *self);
DlgReport          *dlg_signed_document_get_report       (DlgSignedDocument  *self);
DlgReview          *dlg_signed_document_get_review       (DlgSignedDocument  *self);

G_END_DECLS
