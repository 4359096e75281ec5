/* test-key.c - Ed25519 keys: ids, formats, signatures, bad key files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "dlg-core.h"

/* RFC 8037, Appendix A.1 to A.3: an Ed25519 key pair and its RFC 7638
 * thumbprint. */
#define RFC8037_D   "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
#define RFC8037_X   "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
#define RFC8037_KID "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
/* Appendix A.4: the signature of this signing input. */
#define RFC8037_INPUT "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
#define RFC8037_SIG \
  "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"

/* Builds the PKCS#8 PEM of an Ed25519 private key by hand (RFC 8410: a
 * fixed DER prefix, then the 32-byte seed), independently of the code
 * under test. */
static char *
pkcs8_pem_from_seed (const char *d64)
{
  static const guint8 prefix[] = {
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
    0x04, 0x22, 0x04, 0x20,
  };
  g_autoptr(GBytes) d = dlg_base64url_decode (d64, strlen (d64), NULL);
  g_autoptr(GByteArray) der = g_byte_array_new ();
  g_autofree char *b64 = NULL;

  g_assert_nonnull (d);
  g_assert_cmpuint (g_bytes_get_size (d), ==, 32);
  g_byte_array_append (der, prefix, sizeof prefix);
  g_byte_array_append (der, g_bytes_get_data (d, NULL), 32);
  b64 = g_base64_encode (der->data, der->len);
  return g_strdup_printf ("-----BEGIN PRIVATE KEY-----\n%s\n-----END PRIVATE KEY-----\n", b64);
}

static DlgKey *
rfc8037_key (void)
{
  g_autofree char *pem = pkcs8_pem_from_seed (RFC8037_D);
  g_autoptr(GError) error = NULL;
  DlgKey *key = dlg_key_new_from_pem (pem, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (key);
  return key;
}

static void
test_rfc8037 (void)
{
  g_autoptr(DlgKey) key = rfc8037_key ();
  g_autoptr(DlgKey) pub = NULL;
  g_autoptr(GBytes) x = NULL;
  g_autoptr(GBytes) sig = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autofree char *x64 = NULL;
  g_autofree char *jwk = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (dlg_key_has_private (key));
  g_assert_cmpstr (dlg_key_get_id (key), ==, RFC8037_KID);

  x = dlg_key_get_public_raw (key);
  x64 = dlg_base64url_encode (g_bytes_get_data (x, NULL), g_bytes_get_size (x));
  g_assert_cmpstr (x64, ==, RFC8037_X);

  jwk = dlg_key_to_public_jwk (key);
  g_assert_cmpstr (jwk, ==, "{\"crv\":\"Ed25519\",\"kid\":\"" RFC8037_KID "\",\"kty\":\"OKP\",\"x\":\"" RFC8037_X "\"}");

  /* Ed25519 is deterministic: we must produce the RFC's exact signature. */
  sig = dlg_key_sign (key, (const guint8 *) RFC8037_INPUT, strlen (RFC8037_INPUT), &error);
  g_assert_no_error (error);
  expected = dlg_base64url_decode (RFC8037_SIG, strlen (RFC8037_SIG), &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (sig, expected));

  /* And the public key alone, from the RFC's "x", verifies it. */
  pub = dlg_key_new_from_jwk ("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" RFC8037_X "\"}", -1, &error);
  g_assert_no_error (error);
  g_assert_false (dlg_key_has_private (pub));
  g_assert_cmpstr (dlg_key_get_id (pub), ==, RFC8037_KID);
  g_assert_true (dlg_key_equal (pub, key));
  g_assert_true (dlg_key_verify (pub, (const guint8 *) RFC8037_INPUT, strlen (RFC8037_INPUT),
                                 g_bytes_get_data (expected, NULL), 64));
  g_assert_false (dlg_key_verify (pub, (const guint8 *) RFC8037_INPUT, strlen (RFC8037_INPUT) - 1,
                                  g_bytes_get_data (expected, NULL), 64));
}

static void
test_fingerprint (void)
{
  g_autoptr(DlgKey) key = rfc8037_key ();
  g_autofree char *fp = dlg_key_get_fingerprint (key);
  g_autofree char *joined = NULL;
  g_auto(GStrv) groups = NULL;

  g_assert_cmpstr (fp, ==, "kPrK _qmx VWaY VA9w wBF6 Iuo3 vVzz 7TxH CTwX Bygr S4k");

  /* Removing the spaces gives the id back. */
  groups = g_strsplit (fp, " ", -1);
  joined = g_strjoinv ("", groups);
  g_assert_cmpstr (joined, ==, dlg_key_get_id (key));
}

static void
test_generate_sign_verify (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgKey) a = dlg_key_generate (&error);
  g_autoptr(DlgKey) b = NULL;
  g_autoptr(DlgKey) a_pub = NULL;
  g_autoptr(GBytes) sig = NULL;
  static const guint8 message[] = "Our suppliers were audited in 2026.";
  const guint8 *s;

  g_assert_no_error (error);
  b = dlg_key_generate (&error);
  g_assert_no_error (error);

  g_assert_true (dlg_key_has_private (a));
  g_assert_cmpuint (strlen (dlg_key_get_id (a)), ==, DLG_KEY_ID_LENGTH);
  g_assert_cmpstr (dlg_key_get_id (a), !=, dlg_key_get_id (b));
  g_assert_false (dlg_key_equal (a, b));

  sig = dlg_key_sign (a, message, sizeof message, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (sig), ==, DLG_KEY_SIGNATURE_LENGTH);
  s = g_bytes_get_data (sig, NULL);

  a_pub = dlg_key_get_public (a);
  g_assert_false (dlg_key_has_private (a_pub));
  g_assert_cmpstr (dlg_key_get_id (a_pub), ==, dlg_key_get_id (a));

  g_assert_true (dlg_key_verify (a, message, sizeof message, s, 64));
  g_assert_true (dlg_key_verify (a_pub, message, sizeof message, s, 64));
  g_assert_false (dlg_key_verify (b, message, sizeof message, s, 64));
  g_assert_false (dlg_key_verify (a_pub, message, sizeof message - 1, s, 64));
  g_assert_false (dlg_key_verify (a_pub, message, sizeof message, s, 63));
  g_assert_false (dlg_key_verify (a_pub, message, sizeof message, NULL, 0));

  /* Every single flipped bit of the signature is caught. */
  for (guint i = 0; i < 64 * 8; i++)
    {
      guint8 copy[64];

      memcpy (copy, s, 64);
      copy[i / 8] ^= 1 << (i % 8);
      g_assert_false (dlg_key_verify (a_pub, message, sizeof message, copy, 64));
    }

  /* The same signature with S + L in place of S passes the curve
   * equation as well; it must be refused, or a signed report would have a
   * second spelling, and the server's duplicate check (same id, same
   * bytes) would take the copy for a conflicting report. */
  {
    static const guint8 order[32] = {   /* L, little-endian */
      0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
    };
    guint8 copy[64];
    guint carry = 0;

    memcpy (copy, s, 64);
    for (guint i = 0; i < 32; i++)
      {
        carry += copy[32 + i] + order[i];
        copy[32 + i] = carry & 0xff;
        carry >>= 8;
      }
    /* S < L < 2^253, so S + L still fits in the 32 bytes. */
    g_assert_cmpuint (carry, ==, 0);
    g_assert_false (dlg_key_verify (a_pub, message, sizeof message, copy, 64));
  }

  /* An empty message can be signed too. */
  g_clear_pointer (&sig, g_bytes_unref);
  sig = dlg_key_sign (a, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_true (dlg_key_verify (a_pub, NULL, 0, g_bytes_get_data (sig, NULL), 64));

  g_assert_finalize_object (g_steal_pointer (&a_pub));
}

static void
test_public_only (void)
{
  g_autoptr(DlgKey) key = rfc8037_key ();
  g_autoptr(DlgKey) pub = dlg_key_get_public (key);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) sig = NULL;
  g_autofree char *pem = NULL;

  sig = dlg_key_sign (pub, (const guint8 *) "x", 1, &error);
  g_assert_error (error, DLG_KEY_ERROR, DLG_KEY_ERROR_NO_PRIVATE_KEY);
  g_assert_null (sig);
  g_clear_error (&error);

  pem = dlg_key_to_private_pem (pub, &error);
  g_assert_error (error, DLG_KEY_ERROR, DLG_KEY_ERROR_NO_PRIVATE_KEY);
  g_assert_null (pem);
}

static void
test_pem_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgKey) key = dlg_key_generate (&error);
  g_autoptr(DlgKey) again = NULL;
  g_autoptr(DlgKey) pub = NULL;
  g_autoptr(GBytes) sig = NULL;
  g_autofree char *priv_pem = NULL;
  g_autofree char *pub_pem = NULL;
  g_autofree char *pub_pem2 = NULL;

  g_assert_no_error (error);

  priv_pem = dlg_key_to_private_pem (key, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (priv_pem, "-----BEGIN PRIVATE KEY-----\n"));

  again = dlg_key_new_from_pem (priv_pem, -1, &error);
  g_assert_no_error (error);
  g_assert_true (dlg_key_has_private (again));
  g_assert_cmpstr (dlg_key_get_id (again), ==, dlg_key_get_id (key));

  /* The key read back signs exactly as the original. */
  sig = dlg_key_sign (again, (const guint8 *) "abc", 3, &error);
  g_assert_no_error (error);
  g_assert_true (dlg_key_verify (key, (const guint8 *) "abc", 3, g_bytes_get_data (sig, NULL), 64));

  pub_pem = dlg_key_to_public_pem (key);
  g_assert_true (g_str_has_prefix (pub_pem, "-----BEGIN PUBLIC KEY-----\n"));
  pub = dlg_key_new_from_pem (pub_pem, strlen (pub_pem), &error);
  g_assert_no_error (error);
  g_assert_false (dlg_key_has_private (pub));
  g_assert_cmpstr (dlg_key_get_id (pub), ==, dlg_key_get_id (key));
  pub_pem2 = dlg_key_to_public_pem (pub);
  g_assert_cmpstr (pub_pem2, ==, pub_pem);

  /* The RFC key, exported, is the same PKCS#8 we built by hand. */
  {
    g_autoptr(DlgKey) rfc = rfc8037_key ();
    g_autofree char *rfc_pem = dlg_key_to_private_pem (rfc, &error);
    g_autofree char *by_hand = pkcs8_pem_from_seed (RFC8037_D);

    g_assert_no_error (error);
    g_assert_cmpstr (rfc_pem, ==, by_hand);
  }
}

static void
test_jwk_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgKey) key = dlg_key_generate (&error);
  g_autoptr(DlgKey) pub = NULL;
  g_autoptr(DlgKey) detected = NULL;
  g_autofree char *jwk = NULL;
  g_autofree char *pem = NULL;

  g_assert_no_error (error);
  jwk = dlg_key_to_public_jwk (key);
  pub = dlg_key_new_from_jwk (jwk, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dlg_key_get_id (pub), ==, dlg_key_get_id (key));

  /* dlg_key_new_from_data() tells the two forms apart. */
  detected = dlg_key_new_from_data (jwk, -1, &error);
  g_assert_no_error (error);
  g_assert_true (dlg_key_equal (detected, key));
  g_clear_object (&detected);

  pem = dlg_key_to_public_pem (key);
  detected = dlg_key_new_from_data (pem, -1, &error);
  g_assert_no_error (error);
  g_assert_true (dlg_key_equal (detected, key));

  /* Members in any order, extra members, white space: all fine. */
  g_clear_object (&pub);
  pub = dlg_key_new_from_jwk ("\n { \"x\" : \"" RFC8037_X "\", \"use\": \"sig\", \"alg\": \"EdDSA\","
                              " \"kid\": \"" RFC8037_KID "\", \"crv\": \"Ed25519\", \"kty\": \"OKP\" }\n",
                              -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dlg_key_get_id (pub), ==, RFC8037_KID);
}

typedef struct
{
  const char  *json;
  DlgKeyError  code;
} BadJwk;

static void
test_bad_jwk (void)
{
  static const BadJwk cases[] = {
    { "", DLG_KEY_ERROR_INVALID },
    { "{", DLG_KEY_ERROR_INVALID },
    { "[]", DLG_KEY_ERROR_INVALID },
    { "\"OKP\"", DLG_KEY_ERROR_INVALID },
    { "{}", DLG_KEY_ERROR_INVALID },
    { "{\"crv\":\"Ed25519\",\"x\":\"" RFC8037_X "\"}", DLG_KEY_ERROR_INVALID },
    { "{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}", DLG_KEY_ERROR_UNSUPPORTED },
    { "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AAAA\",\"y\":\"AAAA\"}", DLG_KEY_ERROR_UNSUPPORTED },
    { "{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"" RFC8037_X "\"}", DLG_KEY_ERROR_UNSUPPORTED },
    { "{\"kty\":\"OKP\",\"crv\":\"Ed448\",\"x\":\"" RFC8037_X "\"}", DLG_KEY_ERROR_UNSUPPORTED },
    { "{\"kty\":\"OKP\",\"x\":\"" RFC8037_X "\"}", DLG_KEY_ERROR_UNSUPPORTED },
    { "{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}", DLG_KEY_ERROR_UNSUPPORTED },
    /* A private JWK is refused rather than quietly stripped. */
    { "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" RFC8037_X "\",\"d\":\"" RFC8037_D "\"}", DLG_KEY_ERROR_INVALID },
    { "{\"kty\":\"OKP\",\"crv\":\"Ed25519\"}", DLG_KEY_ERROR_INVALID },
    { "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":42}", DLG_KEY_ERROR_INVALID },
    { "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" RFC8037_X "=\"}", DLG_KEY_ERROR_INVALID },
    { "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}", DLG_KEY_ERROR_INVALID },
    { "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURp\"}", DLG_KEY_ERROR_INVALID },
    { "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHUR\"}", DLG_KEY_ERROR_INVALID },
    { "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" RFC8037_X "AA\"}", DLG_KEY_ERROR_INVALID },
    { "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"\"}", DLG_KEY_ERROR_INVALID },
    { "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" RFC8037_X "\",\"kid\":\"my-key\"}", DLG_KEY_ERROR_INVALID },
    { "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" RFC8037_X "\",\"kid\":7}", DLG_KEY_ERROR_INVALID },
    { "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" RFC8037_X "\",\"use\":\"enc\"}", DLG_KEY_ERROR_UNSUPPORTED },
    { "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" RFC8037_X "\",\"alg\":\"ES256\"}", DLG_KEY_ERROR_UNSUPPORTED },
    /* Two "x" could mean two keys, depending on who reads it. */
    { "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" RFC8037_X "\",\"x\":\"" RFC8037_KID "\"}", DLG_KEY_ERROR_INVALID },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DlgKey) key = NULL;

      g_test_message ("case %u: %s", i, cases[i].json);
      key = dlg_key_new_from_jwk (cases[i].json, -1, &error);
      g_assert_null (key);
      g_assert_error (error, DLG_KEY_ERROR, (int) cases[i].code);
      g_assert_nonnull (error->message);
      g_test_message ("→ %s", error->message);
    }
}

static char *
export_foreign_key (gnutls_pk_algorithm_t algo,
                    unsigned int          bits)
{
  gnutls_x509_privkey_t key;
  gnutls_datum_t out = { NULL, 0 };
  char *pem;

  g_assert_cmpint (gnutls_x509_privkey_init (&key), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_generate (key, algo, bits, 0), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN, &out), ==, 0);
  pem = g_strndup ((const char *) out.data, out.size);
  gnutls_free (out.data);
  gnutls_x509_privkey_deinit (key);
  return pem;
}

static void
test_bad_pem (void)
{
  g_autofree char *ecdsa = export_foreign_key (GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1));
  g_autofree char *ed448 = export_foreign_key (GNUTLS_PK_EDDSA_ED448, GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_ED448));
  g_autofree char *rsa = export_foreign_key (GNUTLS_PK_RSA, 2048);
  g_autofree char *good = pkcs8_pem_from_seed (RFC8037_D);
  g_autofree char *damaged = g_strdup (good);
  g_autofree char *truncated = g_strndup (good, strlen (good) / 2);
  g_autofree char *huge = g_strnfill (DLG_KEY_MAX_FILE_SIZE + 1, 'A');
  struct {
    const char  *pem;
    DlgKeyError  code;
  } cases[] = {
    { "", DLG_KEY_ERROR_INVALID },
    { "hello", DLG_KEY_ERROR_INVALID },
    { "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", DLG_KEY_ERROR_INVALID },
    { "-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n", DLG_KEY_ERROR_INVALID },
    { "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", DLG_KEY_ERROR_UNSUPPORTED },
    { "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", DLG_KEY_ERROR_UNSUPPORTED },
    { "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n", DLG_KEY_ERROR_UNSUPPORTED },
    { ecdsa, DLG_KEY_ERROR_UNSUPPORTED },
    { ed448, DLG_KEY_ERROR_UNSUPPORTED },
    { rsa, DLG_KEY_ERROR_UNSUPPORTED },
    { damaged, DLG_KEY_ERROR_INVALID },
    { truncated, DLG_KEY_ERROR_INVALID },
    { huge, DLG_KEY_ERROR_INVALID },
  };

  /* Break the DER inside: the OID of Ed25519 (2b 65 70) becomes Ed448's
   * neighbour, which is no algorithm at all. */
  {
    char *p = strstr (damaged, "\n") + 1;
    p[10] = p[10] == 'Z' ? 'Y' : 'Z';
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DlgKey) key = NULL;

      g_test_message ("case %u", i);
      key = dlg_key_new_from_pem (cases[i].pem, -1, &error);
      g_assert_null (key);
      g_assert_error (error, DLG_KEY_ERROR, (int) cases[i].code);
      g_test_message ("→ %s", error->message);
    }
}

static void
test_bad_raw (void)
{
  static const guint8 bytes[33] = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgKey) key = NULL;

  key = dlg_key_new_from_raw_public (bytes, 31, &error);
  g_assert_error (error, DLG_KEY_ERROR, DLG_KEY_ERROR_INVALID);
  g_assert_null (key);
  g_clear_error (&error);

  key = dlg_key_new_from_raw_public (bytes, 33, &error);
  g_assert_error (error, DLG_KEY_ERROR, DLG_KEY_ERROR_INVALID);
  g_assert_null (key);
}

static void
test_base64url (void)
{
  static const struct {
    const char *text;
    const char *bytes;
  } good[] = {
    { "", "" },
    { "Zg", "f" },
    { "Zm8", "fo" },
    { "Zm9v", "foo" },
    { "Zm9vYg", "foob" },
    { "Zm9vYmE", "fooba" },
    { "Zm9vYmFy", "foobar" },
    { "-_8", "\xfb\xff" },
  };
  static const char * const bad[] = {
    "Zg==", "Zg=", "Zm9v\n", " Zm9v", "Zm 9v", "Zm9v+", "Zm9v/", "Z", "Zm9vY",
    "Zh", "Zm9", "Zm-", "Zm8\t", "Zm9v.", "Zm9v\x80",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = dlg_base64url_decode (good[i].text, strlen (good[i].text), &error);
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                       good[i].bytes, strlen (good[i].bytes));
      text = dlg_base64url_encode ((const guint8 *) good[i].bytes, strlen (good[i].bytes));
      g_assert_cmpstr (text, ==, good[i].text);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = dlg_base64url_decode (bad[i], strlen (bad[i]), &error);

      g_test_message ("bad %u: %s", i, error ? error->message : "(accepted)");
      g_assert_null (bytes);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    }

  /* A nul byte inside is refused too, not taken as the end. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) bytes = dlg_base64url_decode ("Zm\0v", 4, &error);

    g_assert_null (bytes);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  }

  /* Every byte value survives a round trip. */
  {
    guint8 all[256];
    g_autofree char *text = NULL;
    g_autoptr(GBytes) back = NULL;

    for (guint i = 0; i < 256; i++)
      all[i] = i;
    for (guint n = 0; n <= 256; n++)
      {
        g_clear_pointer (&text, g_free);
        g_clear_pointer (&back, g_bytes_unref);
        text = dlg_base64url_encode (all, n);
        g_assert_cmpuint (strlen (text), ==, (n * 4 + 2) / 3);
        back = dlg_base64url_decode (text, strlen (text), NULL);
        g_assert_cmpmem (g_bytes_get_data (back, NULL), g_bytes_get_size (back), all, n);
      }
  }
}

/* diligence-tool keygen and pubkey */

static char *
tool_run (int          *status,
          char        **err,
          const char   *first,
          ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  const char *tool = g_getenv ("DILIGENCE_TOOL");
  char *out = NULL;
  const char *arg;
  va_list ap;

  g_assert_nonnull (tool);
  g_ptr_array_add (args, (gpointer) tool);
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  proc = g_subprocess_newv ((const char * const *) args->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  *status = g_subprocess_get_exit_status (proc);
  g_test_message ("status %d\nstdout: %s\nstderr: %s", *status, out, *err);
  return out;
}

static void
test_tool (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dlg-key-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "org.pem", NULL);
  g_autofree char *pub_path = g_build_filename (dir, "org.pub.pem", NULL);
  g_autofree char *pem = NULL;
  g_autofree char *pem_again = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(DlgKey) key = NULL;
  g_autoptr(DlgKey) pub = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *jwk = NULL;
  GStatBuf st;
  int status;

  /* keygen writes a private file and prints the key id. */
  out = tool_run (&status, &err, "keygen", "--output", path, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (path, &pem, NULL, NULL));
  key = dlg_key_new_from_pem (pem, -1, &error);
  g_assert_no_error (error);
  g_assert_true (dlg_key_has_private (key));
  g_assert_nonnull (strstr (out, dlg_key_get_id (key)));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* It never overwrites a key by accident: losing a private key is final. */
  out = tool_run (&status, &err, "keygen", "--output", path, NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "--force"));
  g_assert_true (g_file_get_contents (path, &pem_again, NULL, NULL));
  g_assert_cmpstr (pem_again, ==, pem);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&pem_again, g_free);

  /* pubkey prints the public JWK, with nothing private in it. */
  out = tool_run (&status, &err, "pubkey", path, NULL);
  g_assert_cmpint (status, ==, 0);
  jwk = dlg_key_to_public_jwk (key);
  g_assert_cmpstr (g_strchomp (out), ==, jwk);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* --pem prints SPKI, which pubkey reads back as well. */
  out = tool_run (&status, &err, "pubkey", "--pem", path, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_prefix (out, "-----BEGIN PUBLIC KEY-----"));
  g_assert_true (g_file_set_contents (pub_path, out, -1, NULL));
  pub = dlg_key_new_from_pem (out, -1, &error);
  g_assert_no_error (error);
  g_assert_true (dlg_key_equal (pub, key));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = tool_run (&status, &err, "pubkey", pub_path, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (g_strchomp (out), ==, jwk);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* --force replaces the key, still private to the user. */
  out = tool_run (&status, &err, "keygen", "--force", "--output", path, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_file_get_contents (path, &pem_again, NULL, NULL));
  g_assert_cmpstr (pem_again, !=, pem);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Bad input: not a key (1), no such file (2), no argument (2). */
  out = tool_run (&status, &err, "pubkey", g_test_get_filename (G_TEST_DIST, "test-key.c", NULL), NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "test-key.c"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = tool_run (&status, &err, "pubkey", "/nonexistent/key.pem", NULL);
  g_assert_cmpint (status, ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = tool_run (&status, &err, "keygen", NULL);
  g_assert_cmpint (status, ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = tool_run (&status, &err, "keygen", "--output", "/nonexistent/dir/key.pem", NULL);
  g_assert_cmpint (status, ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = tool_run (&status, &err, "--help", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "keygen"));
  g_assert_nonnull (strstr (out, "pubkey"));

  g_unlink (path);
  g_unlink (pub_path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/key/rfc8037", test_rfc8037);
  g_test_add_func ("/key/fingerprint", test_fingerprint);
  g_test_add_func ("/key/generate-sign-verify", test_generate_sign_verify);
  g_test_add_func ("/key/public-only", test_public_only);
  g_test_add_func ("/key/pem-round-trip", test_pem_round_trip);
  g_test_add_func ("/key/jwk-round-trip", test_jwk_round_trip);
  g_test_add_func ("/key/bad-jwk", test_bad_jwk);
  g_test_add_func ("/key/bad-pem", test_bad_pem);
  g_test_add_func ("/key/bad-raw", test_bad_raw);
  g_test_add_func ("/key/base64url", test_base64url);
  g_test_add_func ("/key/tool", test_tool);

  return g_test_run ();
}
