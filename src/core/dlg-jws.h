/* dlg-jws.h - compact JSON Web Signatures, EdDSA only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dlg-key.h"

G_BEGIN_DECLS

#define DLG_JWS_ERROR (dlg_jws_error_quark ())

typedef enum
{
  DLG_JWS_ERROR_MALFORMED,               /* not a compact JWS, or a header we cannot read */
  DLG_JWS_ERROR_UNSUPPORTED_ALGORITHM,   /* "alg" is not "EdDSA" (including "none") */
  DLG_JWS_ERROR_UNSUPPORTED_CRITICAL,    /* "crit" names an extension; "b64": false */
  DLG_JWS_ERROR_BAD_SIGNATURE,           /* empty, not 64 bytes, or does not verify */
  DLG_JWS_ERROR_KEY_MISMATCH,            /* "kid" names another key than the one given */
  DLG_JWS_ERROR_TOO_LARGE,               /* longer than DLG_JWS_MAX_SIZE */
} DlgJwsError;

/* Longer compact serialisations are refused before anything is decoded. */
#define DLG_JWS_MAX_SIZE (32 * 1024 * 1024)

#define DLG_JWS_TYP_REPORT "diligence-report+jws"
#define DLG_JWS_TYP_REVIEW "diligence-review+jws"

#define DLG_TYPE_JWS (dlg_jws_get_type ())

G_DECLARE_FINAL_TYPE (DlgJws, dlg_jws, DLG, JWS, GObject)

GQuark      dlg_jws_error_quark (void);

char       *dlg_jws_sign        (DlgKey       *key,
                                 const char   *typ,
                                 GBytes       *payload,
                                 GError      **error);
DlgJws     *dlg_jws_parse       (const char   *compact,
                                 gssize        length,
                                 GError      **error);
/* The getters return (transfer none) values owned by the DlgJws. */
const char *dlg_jws_get_kid     (DlgJws       *self);
const char *dlg_jws_get_typ     (DlgJws       *self);   /* NULL when the header has none */
GBytes     *dlg_jws_get_payload (DlgJws       *self);   /* the exact decoded payload */
GBytes     *dlg_jws_get_bytes   (DlgJws       *self);   /* the exact compact text parsed */
gboolean    dlg_jws_verify      (DlgJws       *self,
                                 DlgKey       *key,
                                 GError      **error);

char       *dlg_sha256_hex      (GBytes       *bytes);

G_END_DECLS
