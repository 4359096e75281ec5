/* dlg-key.h - an organisation's Ed25519 signing key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DLG_KEY_ERROR (dlg_key_error_quark ())

typedef enum
{
  DLG_KEY_ERROR_INVALID,          /* not a key, or a damaged one */
  DLG_KEY_ERROR_UNSUPPORTED,      /* a key, but not a plain Ed25519 one */
  DLG_KEY_ERROR_NO_PRIVATE_KEY,   /* signing or exporting with a public key */
  DLG_KEY_ERROR_FAILED,           /* the crypto library failed */
} DlgKeyError;

/* The length of a key id: base64url of a SHA-256, without padding. */
#define DLG_KEY_ID_LENGTH 43

#define DLG_KEY_SIGNATURE_LENGTH 64
#define DLG_KEY_PUBLIC_LENGTH 32

/* Key files are small; anything larger is refused before parsing. */
#define DLG_KEY_MAX_FILE_SIZE (64 * 1024)

#define DLG_TYPE_KEY (dlg_key_get_type ())

/* An Ed25519 key: a key pair, or a public key only. */
G_DECLARE_FINAL_TYPE (DlgKey, dlg_key, DLG, KEY, GObject)

GQuark      dlg_key_error_quark         (void);

DlgKey     *dlg_key_generate            (GError        **error);
DlgKey     *dlg_key_new_from_pem        (const char     *pem,
                                         gssize          length,
                                         GError        **error);
DlgKey     *dlg_key_new_from_jwk        (const char     *json,
                                         gssize          length,
                                         GError        **error);
DlgKey     *dlg_key_new_from_raw_public (const guint8   *x,
                                         gsize           length,
                                         GError        **error);

gboolean    dlg_key_has_private         (DlgKey         *self);
char       *dlg_key_to_private_pem      (DlgKey         *self,
                                         GError        **error);
char       *dlg_key_to_public_pem       (DlgKey         *self);
char       *dlg_key_to_public_jwk       (DlgKey         *self);
GBytes     *dlg_key_get_public_raw      (DlgKey         *self);
DlgKey     *dlg_key_get_public          (DlgKey         *self);

const char *dlg_key_get_id              (DlgKey         *self);
char       *dlg_key_get_fingerprint     (DlgKey         *self);
gboolean    dlg_key_equal               (DlgKey         *a,
                                         DlgKey         *b);

GBytes     *dlg_key_sign                (DlgKey         *self,
                                         const guint8   *data,
                                         gsize           length,
                                         GError        **error);
gboolean    dlg_key_verify              (DlgKey         *self,
                                         const guint8   *data,
                                         gsize           length,
                                         const guint8   *signature,
                                         gsize           signature_length);

DlgKey     *dlg_key_new_from_data       (const char     *data,
                                         gssize          length,
                                         GError        **error);

G_END_DECLS
