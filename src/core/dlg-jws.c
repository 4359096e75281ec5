/* dlg-jws.c - compact JSON Web Signatures, EdDSA only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reports and reviews travel as compact JWS (RFC 7515) signed with Ed25519
 * (RFC 8037). The profile is deliberately narrow, because every option a
 * verifier honours is an option an attacker can choose:
 *
 * - "alg" must be "EdDSA". "none", the HMAC algorithms (which would let a
 *   public key be used as a shared secret), RSA and ECDSA are all refused.
 * - "crit" is refused whenever it is present: we implement no extension,
 *   and one we ignored could change what the signature means. "b64": false
 *   (RFC 7797, unencoded payloads) is refused too.
 * - "jku", "jwk", "x5u", "x5c" and friends are ignored: the verifying key
 *   always comes from the caller (the user's trust store), never from the
 *   document it is meant to check.
 * - "kid" is required and must be the verifying key's thumbprint.
 * - Every part must be canonical base64url (see dlg-base64url.c), the
 *   header a JSON object without duplicate members.
 *
 * The signature is checked over the bytes received, up to the second dot;
 * nothing is ever decoded and encoded again before checking.
 */

#define G_LOG_DOMAIN "dlg-jws"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <string.h>

#include "dlg-base64url.h"
#include "dlg-json.h"
#include "dlg-jws.h"

/* Headers are a few dozen bytes; a huge one is not ours. */
#define MAX_HEADER_SIZE (16 * 1024)
#define MAX_KID_LENGTH 256

struct _DlgJws
{
  GObject  parent_instance;

  GBytes  *bytes;            /* the compact serialisation, as given */
  gsize    signing_input;    /* length of header "." payload */
  char    *kid;
  char    *typ;
  GBytes  *payload;
  GBytes  *signature;
};

G_DEFINE_FINAL_TYPE (DlgJws, dlg_jws, G_TYPE_OBJECT)

G_DEFINE_QUARK (dlg-jws-error-quark, dlg_jws_error)

static void
dlg_jws_finalize (GObject *object)
{
  DlgJws *self = (DlgJws *) object;

  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->payload, g_bytes_unref);
  g_clear_pointer (&self->signature, g_bytes_unref);
  g_clear_pointer (&self->kid, g_free);
  g_clear_pointer (&self->typ, g_free);

  G_OBJECT_CLASS (dlg_jws_parent_class)->finalize (object);
}

static void
dlg_jws_class_init (DlgJwsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dlg_jws_finalize;
}

static void
dlg_jws_init (DlgJws *self)
{
}

/* A header value shown in a message: printable ASCII, cut short, so that a
 * hostile document cannot fill the screen or smuggle control characters. */
static char *
shown (const char *value,
       gsize       length,
       gsize       max)
{
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < length; i++)
    {
      guchar c = value[i];

      if (s->len >= max)
        {
          g_string_append (s, "…");
          break;
        }
      if (c >= 0x20 && c < 0x7f)
        g_string_append_c (s, c);
      else
        g_string_append_printf (s, "\\x%02x", c);
    }
  return g_string_free (s, FALSE);
}

static gboolean
is_token (const char *s,
          gsize       length,
          gsize       max)
{
  if (length == 0 || length > max)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if ((guchar) s[i] < 0x21 || (guchar) s[i] >= 0x7f || s[i] == '"' || s[i] == '\\')
      return FALSE;
  return TRUE;
}

/**
 * dlg_jws_sign:
 * @key: a key pair
 * @typ: (nullable): the media type of the document, e.g.
 *   %DLG_JWS_TYP_REPORT; printable ASCII without quotes
 * @payload: the bytes to sign
 * @error: a #GError
 *
 * Signs @payload. The protected header is
 * `{"alg":"EdDSA","kid":"<key id>","typ":"<typ>"}`, exactly so.
 *
 * Returns: (transfer full): the compact JWS, or %NULL with @error set
 */
char *
dlg_jws_sign (DlgKey      *key,
              const char  *typ,
              GBytes      *payload,
              GError     **error)
{
  g_autofree char *header = NULL;
  g_autofree char *header64 = NULL;
  g_autofree char *payload64 = NULL;
  g_autofree char *signature64 = NULL;
  g_autoptr(GString) input = NULL;
  g_autoptr(GBytes) signature = NULL;
  gsize payload_size;

  g_return_val_if_fail (DLG_IS_KEY (key), NULL);
  g_return_val_if_fail (payload != NULL, NULL);

  if (typ != NULL && !is_token (typ, strlen (typ), 128))
    {
      g_set_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_MALFORMED,
                   _("“%s” cannot be the type of a signed document."), typ);
      return NULL;
    }

  /* Never make a signature that our own reader would refuse. */
  payload_size = g_bytes_get_size (payload);
  if (payload_size / 3 * 4 + 4 + 512 > DLG_JWS_MAX_SIZE)
    {
      g_set_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_TOO_LARGE,
                   _("The document is too large to be signed (at most %u MiB once encoded)."),
                   DLG_JWS_MAX_SIZE / (1024 * 1024));
      return NULL;
    }

  if (!dlg_key_has_private (key))
    {
      g_set_error (error, DLG_KEY_ERROR, DLG_KEY_ERROR_NO_PRIVATE_KEY,
                   _("This is a public key; signing needs the private key."));
      return NULL;
    }

  if (typ != NULL)
    header = g_strdup_printf ("{\"alg\":\"EdDSA\",\"kid\":\"%s\",\"typ\":\"%s\"}", dlg_key_get_id (key), typ);
  else
    header = g_strdup_printf ("{\"alg\":\"EdDSA\",\"kid\":\"%s\"}", dlg_key_get_id (key));

  header64 = dlg_base64url_encode ((const guint8 *) header, strlen (header));
  payload64 = dlg_base64url_encode (g_bytes_get_data (payload, NULL), payload_size);

  input = g_string_sized_new (strlen (header64) + strlen (payload64) + 90);
  g_string_append (input, header64);
  g_string_append_c (input, '.');
  g_string_append (input, payload64);

  signature = dlg_key_sign (key, (const guint8 *) input->str, input->len, error);
  if (signature == NULL)
    return NULL;

  signature64 = dlg_base64url_encode (g_bytes_get_data (signature, NULL), g_bytes_get_size (signature));
  g_string_append_c (input, '.');
  g_string_append (input, signature64);

  return g_string_free (g_steal_pointer (&input), FALSE);
}

static gboolean
check_header (DlgJws      *self,
              const char  *data,
              gsize        length,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) decoded = NULL;
  g_autoptr(DlgJsonDoc) doc = NULL;
  const DlgJsonValue *root;
  const DlgJsonValue *alg;
  const DlgJsonValue *crit;
  const DlgJsonValue *b64;
  const DlgJsonValue *kid;
  const DlgJsonValue *typ;

  if (length == 0)
    {
      g_set_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_MALFORMED,
                   _("The signed document has an empty header."));
      return FALSE;
    }

  if (length > MAX_HEADER_SIZE)
    {
      g_set_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_MALFORMED,
                   _("The header of the signed document is too large (%u bytes)."),
                   (guint) MIN (length, G_MAXUINT));
      return FALSE;
    }

  decoded = dlg_base64url_decode (data, length, &local_error);
  if (decoded == NULL)
    {
      g_set_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_MALFORMED,
                   _("The header of the signed document is not valid base64url: %s."),
                   local_error->message);
      return FALSE;
    }

  doc = dlg_json_doc_parse (g_bytes_get_data (decoded, NULL), g_bytes_get_size (decoded),
                            NULL, NULL, &local_error);
  if (doc == NULL)
    {
      g_set_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_MALFORMED,
                   _("The header of the signed document is not valid JSON: %s."),
                   local_error->message);
      return FALSE;
    }

  root = dlg_json_doc_get_root (doc);
  if (!dlg_json_is_object (root))
    {
      g_set_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_MALFORMED,
                   _("The header of the signed document must be a JSON object, not %s."),
                   dlg_json_type_name (root));
      return FALSE;
    }

  /* The algorithm first: it is what an attacker would play with. */
  alg = dlg_json_get (root, "alg");
  if (alg == NULL || !dlg_json_is_string (alg))
    {
      g_set_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_MALFORMED,
                   _("The header of the signed document does not name its algorithm (“alg”)."));
      return FALSE;
    }
  if (alg->length == 4 && memcmp (alg->string, "none", 4) == 0)
    {
      g_set_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_UNSUPPORTED_ALGORITHM,
                   _("The document is not signed (its algorithm is “none”); "
                     "only EdDSA (Ed25519) signatures are accepted."));
      return FALSE;
    }
  if (alg->length != 5 || memcmp (alg->string, "EdDSA", 5) != 0)
    {
      g_autofree char *name = shown (alg->string, alg->length, 40);

      g_set_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_UNSUPPORTED_ALGORITHM,
                   _("The document is signed with “%s”; only EdDSA (Ed25519) signatures are accepted."),
                   name);
      return FALSE;
    }

  /* RFC 7515 §4.1.11: "crit" lists extensions the verifier must understand
   * or refuse. We understand none, so any well-formed "crit" is refused,
   * and an ill-formed one is a malformed header. */
  crit = dlg_json_get (root, "crit");
  if (crit != NULL)
    {
      g_autofree char *first = NULL;

      if (!dlg_json_is_array (crit) || crit->length == 0)
        {
          g_set_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_MALFORMED,
                       _("The header's “crit” must be a non-empty list of names."));
          return FALSE;
        }
      for (guint i = 0; i < crit->length; i++)
        if (!dlg_json_is_string (crit->elements[i]))
          {
            g_set_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_MALFORMED,
                         _("The header's “crit” must list names (strings), but item %u is %s."),
                         i + 1, dlg_json_type_name (crit->elements[i]));
            return FALSE;
          }

      first = shown (crit->elements[0]->string, crit->elements[0]->length, 60);
      g_set_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_UNSUPPORTED_CRITICAL,
                   _("The document requires the extension “%s” (in “crit”), which Diligence does not support."),
                   first);
      return FALSE;
    }

  /* RFC 7797: an unencoded payload changes what the signature covers. */
  b64 = dlg_json_get (root, "b64");
  if (b64 != NULL && !(dlg_json_is_boolean (b64) && b64->boolean))
    {
      g_set_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_UNSUPPORTED_CRITICAL,
                   _("The document uses an unencoded payload (“b64”: false), which Diligence does not support."));
      return FALSE;
    }

  kid = dlg_json_get (root, "kid");
  if (kid == NULL)
    {
      g_set_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_MALFORMED,
                   _("The header of the signed document does not name its key (“kid”)."));
      return FALSE;
    }
  if (!dlg_json_is_string (kid) || !is_token (kid->string, kid->length, MAX_KID_LENGTH))
    {
      g_set_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_MALFORMED,
                   _("The key id (“kid”) in the header of the signed document is not a valid key id."));
      return FALSE;
    }

  typ = dlg_json_get (root, "typ");
  if (typ != NULL && (!dlg_json_is_string (typ) || !is_token (typ->string, typ->length, 128)))
    {
      g_set_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_MALFORMED,
                   _("The type (“typ”) in the header of the signed document is not a valid type."));
      return FALSE;
    }

  self->kid = g_strndup (kid->string, kid->length);
  self->typ = typ ? g_strndup (typ->string, typ->length) : NULL;
  return TRUE;
}

/**
 * dlg_jws_parse:
 * @compact: (array length=length): a compact JWS: three base64url parts
 *   separated by dots, with nothing before, between or after them (not
 *   even a line break)
 * @length: the length of @compact, or -1 if it is nul-terminated
 * @error: a #GError in %DLG_JWS_ERROR
 *
 * Checks the syntax and the header, and decodes the payload. No key is
 * needed, so the caller can read "kid" to find the key, then call
 * dlg_jws_verify(). Nothing in the payload may be trusted before that.
 *
 * Returns: (transfer full): the parsed JWS, or %NULL with @error set
 */
DlgJws *
dlg_jws_parse (const char  *compact,
               gssize       length,
               GError     **error)
{
  g_autoptr(DlgJws) self = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *dot1;
  const char *dot2;
  const char *end;
  guint n_dots = 0;

  g_return_val_if_fail (compact != NULL || length == 0, NULL);

  if (length < 0)
    length = strlen (compact);

  if ((gsize) length > DLG_JWS_MAX_SIZE)
    {
      g_set_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_TOO_LARGE,
                   _("The signed document is too large (more than %u MiB)."),
                   DLG_JWS_MAX_SIZE / (1024 * 1024));
      return NULL;
    }

  if (length == 0)
    {
      g_set_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_MALFORMED,
                   _("The signed document is empty."));
      return NULL;
    }

  end = compact + length;
  for (const char *p = compact; (p = memchr (p, '.', end - p)) != NULL; p++)
    n_dots++;

  if (n_dots != 2)
    {
      g_set_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_MALFORMED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "This is not a compact JSON Web Signature: it has %u part separated by dots, not 3.",
                                "This is not a compact JSON Web Signature: it has %u parts separated by dots, not 3.",
                                n_dots + 1),
                   n_dots + 1);
      return NULL;
    }

  dot1 = memchr (compact, '.', length);
  dot2 = memchr (dot1 + 1, '.', end - (dot1 + 1));

  self = g_object_new (DLG_TYPE_JWS, NULL);

  if (!check_header (self, compact, dot1 - compact, error))
    return NULL;

  self->payload = dlg_base64url_decode (dot1 + 1, dot2 - (dot1 + 1), &local_error);
  if (self->payload == NULL)
    {
      g_set_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_MALFORMED,
                   _("The content of the signed document is not valid base64url: %s."),
                   local_error->message);
      return NULL;
    }

  if (dot2 + 1 == end)
    {
      g_set_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_BAD_SIGNATURE,
                   _("The document has no signature."));
      return NULL;
    }

  self->signature = dlg_base64url_decode (dot2 + 1, end - (dot2 + 1), &local_error);
  if (self->signature == NULL)
    {
      g_set_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_MALFORMED,
                   _("The signature is not valid base64url: %s."), local_error->message);
      return NULL;
    }

  if (g_bytes_get_size (self->signature) != DLG_KEY_SIGNATURE_LENGTH)
    {
      g_set_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_BAD_SIGNATURE,
                   _("The signature has %u bytes; an Ed25519 signature has 64."),
                   (guint) MIN (g_bytes_get_size (self->signature), G_MAXUINT));
      return NULL;
    }

  self->bytes = g_bytes_new (compact, length);
  self->signing_input = dot2 - compact;

  return g_steal_pointer (&self);
}

const char *
dlg_jws_get_kid (DlgJws *self)
{
  g_return_val_if_fail (DLG_IS_JWS (self), NULL);

  return self->kid;
}

const char *
dlg_jws_get_typ (DlgJws *self)
{
  g_return_val_if_fail (DLG_IS_JWS (self), NULL);

  return self->typ;
}

/**
 * dlg_jws_get_payload:
 * @self: a parsed JWS
 *
 * Returns: (transfer none): the exact decoded payload bytes; not to be
 *   trusted before dlg_jws_verify() succeeded
 */
GBytes *
dlg_jws_get_payload (DlgJws *self)
{
  g_return_val_if_fail (DLG_IS_JWS (self), NULL);

  return self->payload;
}

/**
 * dlg_jws_get_bytes:
 * @self: a parsed JWS
 *
 * Returns: (transfer none): the exact compact serialisation parsed, for
 *   hashing (a review names the report it reviews by this SHA-256)
 */
GBytes *
dlg_jws_get_bytes (DlgJws *self)
{
  g_return_val_if_fail (DLG_IS_JWS (self), NULL);

  return self->bytes;
}

/**
 * dlg_jws_verify:
 * @self: a parsed JWS
 * @key: the key the caller trusts for this document
 * @error: a #GError in %DLG_JWS_ERROR
 *
 * Checks that "kid" names @key and that the signature is valid for the
 * exact bytes received.
 *
 * Returns: %TRUE if the document is signed by @key and unchanged
 */
gboolean
dlg_jws_verify (DlgJws  *self,
                DlgKey  *key,
                GError **error)
{
  g_return_val_if_fail (DLG_IS_JWS (self), FALSE);
  g_return_val_if_fail (DLG_IS_KEY (key), FALSE);

  if (strcmp (self->kid, dlg_key_get_id (key)) != 0)
    {
      g_autofree char *kid = shown (self->kid, strlen (self->kid), 60);

      g_set_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_KEY_MISMATCH,
                   _("The document was signed with the key %s, not with the key %s."),
                   kid, dlg_key_get_id (key));
      return FALSE;
    }

  if (!dlg_key_verify (key,
                       g_bytes_get_data (self->bytes, NULL), self->signing_input,
                       g_bytes_get_data (self->signature, NULL), g_bytes_get_size (self->signature)))
    {
      g_set_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_BAD_SIGNATURE,
                   _("The signature is not valid: the document was changed after it was signed, "
                     "or it was not signed with this key."));
      return FALSE;
    }

  return TRUE;
}

/**
 * dlg_sha256_hex:
 * @bytes: some bytes
 *
 * Returns: (transfer full): their SHA-256, in lower-case hex
 */
char *
dlg_sha256_hex (GBytes *bytes)
{
  static const char hex[] = "0123456789abcdef";
  guint8 digest[32];
  gsize length;
  gconstpointer data;
  char *text;

  g_return_val_if_fail (bytes != NULL, NULL);

  /* GnuTLS's SHA-256 uses the processor's instructions where there are
   * some: several times faster than GChecksum on a 20 KB report, which the
   * server and the outbox hash for every one. */
  data = g_bytes_get_data (bytes, &length);
  if (gnutls_hash_fast (GNUTLS_DIG_SHA256, data ? data : "", length, digest) != 0)
    return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);

  text = g_malloc (65);
  for (guint i = 0; i < 32; i++)
    {
      text[2 * i] = hex[digest[i] >> 4];
      text[2 * i + 1] = hex[digest[i] & 0xf];
    }
  text[64] = '\0';
  return text;
}
