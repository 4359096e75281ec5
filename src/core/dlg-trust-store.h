/* dlg-trust-store.h - the public keys of organisations we know
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dlg-key.h"

G_BEGIN_DECLS

#define DLG_TRUST_STORE_FORMAT "diligence-trust/1"

#define DLG_TRUST_STORE_ERROR (dlg_trust_store_error_quark ())

typedef enum
{
  DLG_TRUST_STORE_ERROR_CORRUPT,        /* trust.json cannot be read; it was left untouched */
  DLG_TRUST_STORE_ERROR_NEWER_FORMAT,   /* trust.json was written by a newer Diligence */
  DLG_TRUST_STORE_ERROR_EXISTS,         /* the key is known already */
  DLG_TRUST_STORE_ERROR_NOT_FOUND,      /* no key with this id */
  DLG_TRUST_STORE_ERROR_INVALID,        /* e.g. an empty organisation name */
  DLG_TRUST_STORE_ERROR_WRITE,          /* saving failed; nothing was changed */
} DlgTrustStoreError;

#define DLG_TYPE_TRUSTED_KEY (dlg_trusted_key_get_type ())

/* One known key: read-only; change it through the store. */
G_DECLARE_FINAL_TYPE (DlgTrustedKey, dlg_trusted_key, DLG, TRUSTED_KEY, GObject)

DlgKey      *dlg_trusted_key_get_key               (DlgTrustedKey *self);
const char  *dlg_trusted_key_get_id                (DlgTrustedKey *self);
char        *dlg_trusted_key_get_fingerprint       (DlgTrustedKey *self);
const char  *dlg_trusted_key_get_organisation_name (DlgTrustedKey *self);
const char  *dlg_trusted_key_get_organisation_id   (DlgTrustedKey *self);
gboolean     dlg_trusted_key_get_trusted           (DlgTrustedKey *self);
GDateTime   *dlg_trusted_key_get_added             (DlgTrustedKey *self);

#define DLG_TYPE_TRUST_STORE (dlg_trust_store_get_type ())

/* A GListModel of DlgTrustedKey, in the order they were added. */
G_DECLARE_FINAL_TYPE (DlgTrustStore, dlg_trust_store, DLG, TRUST_STORE, GObject)

GQuark         dlg_trust_store_error_quark      (void);

char          *dlg_trust_store_get_default_path (void);
DlgTrustStore *dlg_trust_store_open             (const char     *path,
                                                 GError        **error);
DlgTrustStore *dlg_trust_store_new_from_bytes   (GBytes         *bytes,
                                                 const char     *path,
                                                 GError        **error);
const char    *dlg_trust_store_get_path         (DlgTrustStore  *self);

DlgTrustedKey *dlg_trust_store_add              (DlgTrustStore  *self,
                                                 DlgKey         *key,
                                                 const char     *organisation_name,
                                                 const char     *organisation_id,
                                                 gboolean        trusted,
                                                 GError        **error);
DlgTrustedKey *dlg_trust_store_import_file      (DlgTrustStore  *self,
                                                 const char     *path,
                                                 const char     *organisation_name,
                                                 const char     *organisation_id,
                                                 gboolean        trusted,
                                                 GError        **error);
DlgTrustedKey *dlg_trust_store_lookup           (DlgTrustStore  *self,
                                                 const char     *key_id);
GPtrArray     *dlg_trust_store_list             (DlgTrustStore  *self);
gboolean       dlg_trust_store_set_trusted      (DlgTrustStore  *self,
                                                 const char     *key_id,
                                                 gboolean        trusted,
                                                 GError        **error);
gboolean       dlg_trust_store_set_organisation (DlgTrustStore  *self,
                                                 const char     *key_id,
                                                 const char     *organisation_name,
                                                 const char     *organisation_id,
                                                 GError        **error);
gboolean       dlg_trust_store_remove           (DlgTrustStore  *self,
                                                 const char     *key_id,
                                                 GError        **error);

G_END_DECLS
