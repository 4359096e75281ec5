/* test-jws.c - compact JWS: round trips, and everything we must refuse
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "dlg-core.h"

#define RFC8037_D   "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
#define RFC8037_KID "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
/* RFC 8037, Appendix A.4: a JWS signed with the key of A.1. */
#define RFC8037_JWS \
  "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc." \
  "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"

typedef struct
{
  DlgKey *key;
  DlgKey *other;
} Fixture;

static DlgKey *
rfc8037_key (void)
{
  static const guint8 prefix[] = {
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
    0x04, 0x22, 0x04, 0x20,
  };
  g_autoptr(GBytes) d = dlg_base64url_decode (RFC8037_D, strlen (RFC8037_D), NULL);
  g_autoptr(GByteArray) der = g_byte_array_new ();
  g_autofree char *b64 = NULL;
  g_autofree char *pem = NULL;
  g_autoptr(GError) error = NULL;
  DlgKey *key;

  g_byte_array_append (der, prefix, sizeof prefix);
  g_byte_array_append (der, g_bytes_get_data (d, NULL), 32);
  b64 = g_base64_encode (der->data, der->len);
  pem = g_strdup_printf ("-----BEGIN PRIVATE KEY-----\n%s\n-----END PRIVATE KEY-----\n", b64);
  key = dlg_key_new_from_pem (pem, -1, &error);
  g_assert_no_error (error);
  return key;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->key = dlg_key_generate (&error);
  g_assert_no_error (error);
  f->other = dlg_key_generate (&error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->key);
  g_assert_finalize_object (f->other);
}

/* Makes a JWS with any header we like, correctly signed by @key, so that
 * only the header can be the reason for a refusal. */
static char *
make_jws (DlgKey     *key,
          const char *header,
          const char *payload)
{
  g_autofree char *h = dlg_base64url_encode ((const guint8 *) header, strlen (header));
  g_autofree char *p = dlg_base64url_encode ((const guint8 *) payload, strlen (payload));
  g_autofree char *input = g_strconcat (h, ".", p, NULL);
  g_autoptr(GBytes) sig = dlg_key_sign (key, (const guint8 *) input, strlen (input), NULL);
  g_autofree char *s = dlg_base64url_encode (g_bytes_get_data (sig, NULL), g_bytes_get_size (sig));

  return g_strconcat (input, ".", s, NULL);
}

static char *
header_with (DlgKey     *key,
             const char *extra)
{
  return g_strdup_printf ("{\"alg\":\"EdDSA\",\"kid\":\"%s\"%s}", dlg_key_get_id (key), extra);
}

/* Asserts that @compact is refused with @code, at parsing or, if it parses,
 * at verifying with @key. */
static void
assert_refused (const char *compact,
                gssize      length,
                DlgKey     *key,
                DlgJwsError code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgJws) jws = dlg_jws_parse (compact, length, &error);

  if (jws != NULL)
    {
      g_assert_false (dlg_jws_verify (jws, key, &error));
    }
  g_assert_nonnull (error);
  g_test_message ("refused: %s", error->message);
  g_assert_error (error, DLG_JWS_ERROR, (int) code);
  g_assert_cmpuint (strlen (error->message), >, 10);
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  static const char payload[] = "{\"format\":\"diligence-report/1\",\"id\":\"x\"}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (payload, strlen (payload));
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgJws) jws = NULL;
  g_autoptr(DlgKey) pub = dlg_key_get_public (f->key);
  g_autofree char *compact = NULL;
  g_autofree char *header = NULL;
  g_autoptr(GBytes) header_bytes = NULL;
  g_auto(GStrv) parts = NULL;

  compact = dlg_jws_sign (f->key, DLG_JWS_TYP_REPORT, bytes, &error);
  g_assert_no_error (error);

  /* The header is exactly what the contract says, nothing more. */
  parts = g_strsplit (compact, ".", -1);
  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  header_bytes = dlg_base64url_decode (parts[0], strlen (parts[0]), &error);
  g_assert_no_error (error);
  header = g_strndup (g_bytes_get_data (header_bytes, NULL), g_bytes_get_size (header_bytes));
  {
    g_autofree char *expected = g_strdup_printf ("{\"alg\":\"EdDSA\",\"kid\":\"%s\",\"typ\":\"diligence-report+jws\"}",
                                                 dlg_key_get_id (f->key));
    g_assert_cmpstr (header, ==, expected);
  }

  jws = dlg_jws_parse (compact, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dlg_jws_get_kid (jws), ==, dlg_key_get_id (f->key));
  g_assert_cmpstr (dlg_jws_get_typ (jws), ==, DLG_JWS_TYP_REPORT);
  g_assert_true (g_bytes_equal (dlg_jws_get_payload (jws), bytes));
  g_assert_cmpmem (g_bytes_get_data (dlg_jws_get_bytes (jws), NULL), g_bytes_get_size (dlg_jws_get_bytes (jws)),
                   compact, strlen (compact));

  /* Verifying needs only the public key. */
  g_assert_true (dlg_jws_verify (jws, pub, &error));
  g_assert_no_error (error);
  g_assert_true (dlg_jws_verify (jws, f->key, &error));
  g_assert_no_error (error);

  /* Signed by another key: the kid says so. */
  g_assert_false (dlg_jws_verify (jws, f->other, &error));
  g_assert_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_KEY_MISMATCH);
  g_clear_error (&error);

  /* Not nul-terminated: the length given is what counts. */
  {
    g_autofree char *longer = g_strconcat (compact, "garbage", NULL);
    g_autoptr(DlgJws) again = dlg_jws_parse (longer, strlen (compact), &error);

    g_assert_no_error (error);
    g_assert_true (dlg_jws_verify (again, pub, &error));
    g_assert_cmpuint (g_bytes_get_size (dlg_jws_get_bytes (again)), ==, strlen (compact));
  }
}

static void
test_variants (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  guint8 binary[256];
  g_autoptr(GBytes) binary_bytes = NULL;

  /* No typ, and an empty payload. */
  {
    g_autofree char *compact = dlg_jws_sign (f->key, NULL, empty, &error);
    g_autoptr(DlgJws) jws = NULL;

    g_assert_no_error (error);
    jws = dlg_jws_parse (compact, -1, &error);
    g_assert_no_error (error);
    g_assert_null (dlg_jws_get_typ (jws));
    g_assert_cmpuint (g_bytes_get_size (dlg_jws_get_payload (jws)), ==, 0);
    g_assert_true (dlg_jws_verify (jws, f->key, &error));
  }

  /* Any bytes as payload. */
  for (guint i = 0; i < 256; i++)
    binary[i] = 255 - i;
  binary_bytes = g_bytes_new (binary, sizeof binary);
  {
    g_autofree char *compact = dlg_jws_sign (f->key, DLG_JWS_TYP_REVIEW, binary_bytes, &error);
    g_autoptr(DlgJws) jws = NULL;

    g_assert_no_error (error);
    jws = dlg_jws_parse (compact, -1, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (dlg_jws_get_typ (jws), ==, DLG_JWS_TYP_REVIEW);
    g_assert_true (g_bytes_equal (dlg_jws_get_payload (jws), binary_bytes));
    g_assert_true (dlg_jws_verify (jws, f->key, &error));
  }

  /* Other JOSE libraries order and space the header differently, and may
   * add members we ignore, such as "jku" or "x5u": the signature covers
   * their spelling, which is never rewritten. */
  {
    g_autofree char *header = g_strdup_printf ("{ \"kid\" : \"%s\",\n \"alg\": \"EdDSA\", \"cty\": \"json\","
                                               " \"jku\": \"https://evil.example/keys\","
                                               " \"x5u\": \"https://evil.example/cert\", \"b64\": true }",
                                               dlg_key_get_id (f->key));
    g_autofree char *compact = make_jws (f->key, header, "hello");
    g_autoptr(DlgJws) jws = dlg_jws_parse (compact, -1, &error);

    g_assert_no_error (error);
    g_assert_true (dlg_jws_verify (jws, f->key, &error));
    g_assert_no_error (error);
  }

  /* A type we could not read back is never signed. */
  {
    g_autofree char *compact = dlg_jws_sign (f->key, "bad \"type\"", empty, &error);

    g_assert_null (compact);
    g_assert_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_MALFORMED);
    g_clear_error (&error);
  }

  /* A public key cannot sign. */
  {
    g_autoptr(DlgKey) pub = dlg_key_get_public (f->key);
    g_autofree char *compact = dlg_jws_sign (pub, NULL, empty, &error);

    g_assert_null (compact);
    g_assert_error (error, DLG_KEY_ERROR, DLG_KEY_ERROR_NO_PRIVATE_KEY);
  }
}

static void
test_rfc8037 (void)
{
  g_autoptr(DlgKey) key = rfc8037_key ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgJws) jws = NULL;
  const char *dot = strrchr (RFC8037_JWS, '.');
  g_autoptr(GBytes) sig = dlg_base64url_decode (dot + 1, strlen (dot + 1), NULL);

  /* The RFC's signature is valid for its signing input, with our code. */
  g_assert_true (dlg_key_verify (key, (const guint8 *) RFC8037_JWS, dot - RFC8037_JWS,
                                 g_bytes_get_data (sig, NULL), g_bytes_get_size (sig)));

  /* But its header names no key, which our profile requires. */
  jws = dlg_jws_parse (RFC8037_JWS, -1, &error);
  g_assert_null (jws);
  g_assert_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "kid"));
  g_clear_error (&error);

  /* With a kid, the same key and payload make a JWS we accept. */
  {
    g_autoptr(GBytes) payload = g_bytes_new_static ("Example of Ed25519 signing", 26);
    g_autofree char *compact = dlg_jws_sign (key, NULL, payload, &error);

    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (compact, "eyJhbGciOiJFZERTQSIsImtpZCI6ImtQcktfcW14VldhWVZBOXd3QkY2SXVvM3ZWeno3VHhIQ1R3WEJ5Z3JTNGsifQ."
                                     "RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."));
    jws = dlg_jws_parse (compact, -1, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (dlg_jws_get_kid (jws), ==, RFC8037_KID);
    g_assert_true (dlg_jws_verify (jws, key, &error));
  }
}

static void
test_algorithms (Fixture       *f,
                 gconstpointer  data)
{
  static const char * const algs[] = {
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "ES512",
    "ES256K", "Ed25519", "eddsa", "EDDSA", "EdDSA ", " EdDSA", "EdDS", "EdDSA\\n", "none ", "None", "NONE", "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (algs); i++)
    {
      g_autofree char *header = g_strdup_printf ("{\"alg\":\"%s\",\"kid\":\"%s\"}", algs[i], dlg_key_get_id (f->key));
      g_autofree char *compact = make_jws (f->key, header, "{}");
      g_autoptr(GError) error = NULL;
      g_autoptr(DlgJws) jws = dlg_jws_parse (compact, -1, &error);

      g_test_message ("alg %s", algs[i]);
      g_assert_null (jws);
      g_assert_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_UNSUPPORTED_ALGORITHM);
      g_assert_nonnull (strstr (error->message, "EdDSA (Ed25519)"));
    }

  /* The message names the algorithm found. */
  {
    g_autofree char *header = g_strdup_printf ("{\"alg\":\"HS256\",\"kid\":\"%s\"}", dlg_key_get_id (f->key));
    g_autofree char *compact = make_jws (f->key, header, "{}");
    g_autoptr(GError) error = NULL;
    g_autoptr(DlgJws) jws = dlg_jws_parse (compact, -1, &error);

    g_assert_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_UNSUPPORTED_ALGORITHM);
    g_assert_cmpstr (error->message, ==,
                     "The document is signed with “HS256”; only EdDSA (Ed25519) signatures are accepted.");
  }

  /* "none", with or without a signature: an unsigned document. */
  {
    g_autofree char *header = g_strdup_printf ("{\"alg\":\"none\",\"kid\":\"%s\"}", dlg_key_get_id (f->key));
    g_autofree char *h = dlg_base64url_encode ((const guint8 *) header, strlen (header));
    g_autofree char *unsigned_jws = g_strconcat (h, ".e30.", NULL);
    g_autofree char *signed_jws = make_jws (f->key, header, "{}");

    assert_refused (unsigned_jws, -1, f->key, DLG_JWS_ERROR_UNSUPPORTED_ALGORITHM);
    assert_refused (signed_jws, -1, f->key, DLG_JWS_ERROR_UNSUPPORTED_ALGORITHM);
  }

  /* The HMAC trick: the public key used as the HMAC secret. */
  {
    g_autofree char *header = g_strdup_printf ("{\"alg\":\"HS256\",\"kid\":\"%s\"}", dlg_key_get_id (f->key));
    g_autofree char *h = dlg_base64url_encode ((const guint8 *) header, strlen (header));
    g_autofree char *input = g_strconcat (h, ".e30", NULL);
    g_autoptr(GBytes) secret = dlg_key_get_public_raw (f->key);
    g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, g_bytes_get_data (secret, NULL), 32);
    guint8 digest[32];
    gsize digest_len = 32;
    g_autofree char *m = NULL;
    g_autofree char *compact = NULL;

    g_hmac_update (hmac, (const guint8 *) input, strlen (input));
    g_hmac_get_digest (hmac, digest, &digest_len);
    m = dlg_base64url_encode (digest, digest_len);
    compact = g_strconcat (input, ".", m, NULL);
    assert_refused (compact, -1, f->key, DLG_JWS_ERROR_UNSUPPORTED_ALGORITHM);
  }

  /* "alg" missing or not a string. */
  {
    g_autofree char *no_alg = g_strdup_printf ("{\"kid\":\"%s\"}", dlg_key_get_id (f->key));
    g_autofree char *num_alg = g_strdup_printf ("{\"alg\":1,\"kid\":\"%s\"}", dlg_key_get_id (f->key));
    g_autofree char *arr_alg = g_strdup_printf ("{\"alg\":[\"EdDSA\"],\"kid\":\"%s\"}", dlg_key_get_id (f->key));
    g_autofree char *a = make_jws (f->key, no_alg, "{}");
    g_autofree char *b = make_jws (f->key, num_alg, "{}");
    g_autofree char *c = make_jws (f->key, arr_alg, "{}");

    assert_refused (a, -1, f->key, DLG_JWS_ERROR_MALFORMED);
    assert_refused (b, -1, f->key, DLG_JWS_ERROR_MALFORMED);
    assert_refused (c, -1, f->key, DLG_JWS_ERROR_MALFORMED);
  }
}

static void
test_critical (Fixture       *f,
               gconstpointer  data)
{
  static const struct {
    const char  *extra;
    DlgJwsError  code;
  } cases[] = {
    { ",\"crit\":[\"exp\"],\"exp\":1", DLG_JWS_ERROR_UNSUPPORTED_CRITICAL },
    { ",\"crit\":[\"b64\"],\"b64\":false", DLG_JWS_ERROR_UNSUPPORTED_CRITICAL },
    { ",\"crit\":[\"b64\"],\"b64\":true", DLG_JWS_ERROR_UNSUPPORTED_CRITICAL },
    { ",\"crit\":[\"http://example.com/x\",\"y\"]", DLG_JWS_ERROR_UNSUPPORTED_CRITICAL },
    { ",\"b64\":false", DLG_JWS_ERROR_UNSUPPORTED_CRITICAL },
    { ",\"b64\":\"false\"", DLG_JWS_ERROR_UNSUPPORTED_CRITICAL },
    { ",\"b64\":0", DLG_JWS_ERROR_UNSUPPORTED_CRITICAL },
    { ",\"b64\":null", DLG_JWS_ERROR_UNSUPPORTED_CRITICAL },
    /* "crit" that is not a non-empty list of names is malformed. */
    { ",\"crit\":[]", DLG_JWS_ERROR_MALFORMED },
    { ",\"crit\":\"exp\"", DLG_JWS_ERROR_MALFORMED },
    { ",\"crit\":{}", DLG_JWS_ERROR_MALFORMED },
    { ",\"crit\":null", DLG_JWS_ERROR_MALFORMED },
    { ",\"crit\":[1]", DLG_JWS_ERROR_MALFORMED },
    { ",\"crit\":[\"exp\",null]", DLG_JWS_ERROR_MALFORMED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *header = header_with (f->key, cases[i].extra);
      g_autofree char *compact = make_jws (f->key, header, "{}");

      g_test_message ("header %s", header);
      assert_refused (compact, -1, f->key, cases[i].code);
    }
}

static void
test_embedded_keys (Fixture       *f,
                    gconstpointer  data)
{
  /* An attacker signs with their own key and offers it in the header.
   * Whatever the header says, only the key the caller gives counts. */
  g_autoptr(GError) error = NULL;
  g_autofree char *attacker_jwk = dlg_key_to_public_jwk (f->other);
  g_autofree char *x5u = g_strdup_printf (",\"jwk\":%s,\"jku\":\"https://evil.example/jwks\","
                                          "\"x5u\":\"https://evil.example/c\",\"x5c\":[\"AAAA\"]",
                                          attacker_jwk);
  g_autofree char *own_kid = header_with (f->other, x5u);
  g_autofree char *claimed = g_strdup_printf ("{\"alg\":\"EdDSA\",\"kid\":\"%s\"%s}", dlg_key_get_id (f->key), x5u);
  g_autofree char *a = make_jws (f->other, own_kid, "{\"pwned\":true}");
  g_autofree char *b = make_jws (f->other, claimed, "{\"pwned\":true}");

  /* With the attacker's kid: not the key we trust. */
  assert_refused (a, -1, f->key, DLG_JWS_ERROR_KEY_MISMATCH);
  /* With our kid: the signature does not verify with our key. */
  assert_refused (b, -1, f->key, DLG_JWS_ERROR_BAD_SIGNATURE);
}

static void
test_header_shapes (Fixture       *f,
                    gconstpointer  data)
{
  const char *kid = dlg_key_get_id (f->key);
  g_autofree char *dup_alg = g_strdup_printf ("{\"alg\":\"none\",\"alg\":\"EdDSA\",\"kid\":\"%s\"}", kid);
  g_autofree char *dup_alg2 = g_strdup_printf ("{\"alg\":\"EdDSA\",\"kid\":\"%s\",\"alg\":\"HS256\"}", kid);
  g_autofree char *dup_kid = g_strdup_printf ("{\"alg\":\"EdDSA\",\"kid\":\"%s\",\"kid\":\"other\"}", kid);
  g_autofree char *no_kid = g_strdup ("{\"alg\":\"EdDSA\"}");
  g_autofree char *num_kid = g_strdup ("{\"alg\":\"EdDSA\",\"kid\":42}");
  g_autofree char *empty_kid = g_strdup ("{\"alg\":\"EdDSA\",\"kid\":\"\"}");
  g_autofree char *bad_typ = g_strdup_printf ("{\"alg\":\"EdDSA\",\"kid\":\"%s\",\"typ\":7}", kid);
  g_autofree char *trailing = g_strdup_printf ("{\"alg\":\"EdDSA\",\"kid\":\"%s\"} x", kid);
  const char *not_objects[] = { "[]", "\"EdDSA\"", "1", "null", "true", "{", "", "{\"alg\":\"EdDSA\",}", "\xff\xfe" };
  const char *malformed[] = { dup_alg, dup_alg2, dup_kid, no_kid, num_kid, empty_kid, bad_typ, trailing };

  for (guint i = 0; i < G_N_ELEMENTS (not_objects); i++)
    {
      g_autofree char *compact = make_jws (f->key, not_objects[i], "{}");

      g_autofree char *escaped = g_strescape (not_objects[i], NULL);

      g_test_message ("header %s", escaped);
      assert_refused (compact, -1, f->key, DLG_JWS_ERROR_MALFORMED);
    }

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autofree char *compact = make_jws (f->key, malformed[i], "{}");

      g_test_message ("header %s", malformed[i]);
      assert_refused (compact, -1, f->key, DLG_JWS_ERROR_MALFORMED);
    }
}

static void
test_syntax (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GBytes) payload = g_bytes_new_static ("{\"a\":1}", 7);
  g_autofree char *good = dlg_jws_sign (f->key, DLG_JWS_TYP_REPORT, payload, NULL);
  g_auto(GStrv) p = g_strsplit (good, ".", -1);
  g_autofree char *h_pad = g_strconcat (p[0], "=", NULL);
  const char *cases[] = {
    "", ".", "..", "...", "a.b", "a.b.c.d", "a.b.c.d.e",
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };
  guint n = 7;

  g_assert_nonnull (good);

  /* Parts missing or added. */
  cases[n++] = g_strconcat (p[0], ".", p[1], NULL);
  cases[n++] = g_strconcat (good, ".", p[2], NULL);
  cases[n++] = g_strconcat (good, ".", NULL);
  cases[n++] = g_strconcat (".", good, NULL);
  /* Padding, plain base64 characters, white space, anywhere. */
  cases[n++] = g_strconcat (h_pad, ".", p[1], ".", p[2], NULL);
  cases[n++] = g_strconcat (p[0], ".", p[1], "==.", p[2], NULL);
  cases[n++] = g_strconcat (good, "\n", NULL);
  cases[n++] = g_strconcat (" ", good, NULL);
  cases[n++] = g_strconcat (p[0], ". ", p[1], ".", p[2], NULL);
  cases[n++] = g_strconcat (p[0], ".", p[1], ".", p[2], "\r\n", NULL);
  {
    char *plus = g_strdup (good);
    char *c = strchr (plus, '.') + 2;

    *c = '+';
    cases[n++] = plus;
  }
  {
    char *slash = g_strdup (good);

    slash[3] = '/';
    cases[n++] = slash;
  }
  /* A payload of 7 bytes is 10 characters: the last one has 2 spare bits.
   * Setting them spells the same bytes differently. */
  {
    char *noncanonical = g_strdup (good);
    char *last = strrchr (noncanonical, '.') - 1;

    g_assert_cmpuint (strlen (p[1]), ==, 10);
    *last = *last == 'Q' ? 'R' : *last + 1;
    cases[n++] = noncanonical;
  }
  g_assert_cmpuint (n, <=, G_N_ELEMENTS (cases));

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *escaped = g_strescape (cases[i], NULL);

      g_test_message ("case %u: “%s”", i, escaped);
      assert_refused (cases[i], -1, f->key, DLG_JWS_ERROR_MALFORMED);
    }
  for (guint i = 7; i < n; i++)
    g_free ((char *) cases[i]);

  /* A nul byte inside, when the length says there is more. */
  {
    g_autofree char *with_nul = g_strdup (good);

    with_nul[5] = '\0';
    assert_refused (with_nul, strlen (good), f->key, DLG_JWS_ERROR_MALFORMED);
  }
}

static void
test_signature_shapes (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GBytes) payload = g_bytes_new_static ("{}", 2);
  g_autofree char *good = dlg_jws_sign (f->key, NULL, payload, NULL);
  char *dot = strrchr (good, '.');
  g_autofree char *input = g_strndup (good, dot - good);
  guint8 sig[65] = { 0 };
  g_autofree char *empty = g_strconcat (input, ".", NULL);
  g_autofree char *s63 = dlg_base64url_encode (sig, 63);
  g_autofree char *s65 = dlg_base64url_encode (sig, 65);
  g_autofree char *s64 = dlg_base64url_encode (sig, 64);
  g_autofree char *short_sig = g_strconcat (input, ".", s63, NULL);
  g_autofree char *long_sig = g_strconcat (input, ".", s65, NULL);
  g_autofree char *zero_sig = g_strconcat (input, ".", s64, NULL);
  g_autofree char *other_sig = NULL;

  assert_refused (empty, -1, f->key, DLG_JWS_ERROR_BAD_SIGNATURE);
  assert_refused (short_sig, -1, f->key, DLG_JWS_ERROR_BAD_SIGNATURE);
  assert_refused (long_sig, -1, f->key, DLG_JWS_ERROR_BAD_SIGNATURE);
  assert_refused (zero_sig, -1, f->key, DLG_JWS_ERROR_BAD_SIGNATURE);

  /* The right kid but another key's signature. */
  {
    g_autoptr(GBytes) s = dlg_key_sign (f->other, (const guint8 *) input, strlen (input), NULL);
    g_autofree char *s_text = dlg_base64url_encode (g_bytes_get_data (s, NULL), 64);

    other_sig = g_strconcat (input, ".", s_text, NULL);
    assert_refused (other_sig, -1, f->key, DLG_JWS_ERROR_BAD_SIGNATURE);
  }
}

/* Changes every byte of a small JWS in turn, to every base64url
 * character and a few others, and checks that each change is caught. */
static void
test_every_byte (Fixture       *f,
                 gconstpointer  data)
{
  static const char others[] = ".=+/ \n\t\"{}";
  g_autoptr(GBytes) payload = g_bytes_new_static ("{\"level\":\"green\"}", 17);
  g_autofree char *good = dlg_jws_sign (f->key, DLG_JWS_TYP_REPORT, payload, NULL);
  g_autofree char *copy = g_strdup (good);
  gsize length = strlen (good);
  guint n_refused = 0;

  g_assert_nonnull (good);

  for (gsize i = 0; i < length; i++)
    {
      for (guint c = 0; c < 64 + sizeof others - 1 + 3; c++)
        {
          char value;
          g_autoptr(GError) error = NULL;
          g_autoptr(DlgJws) jws = NULL;

          if (c < 64)
            value = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[c];
          else if (c < 64 + sizeof others - 1)
            value = others[c - 64];
          else
            value = (char) (c == 64 + sizeof others - 1 ? 0x00 : c == 64 + sizeof others ? 0x80 : 0xff);

          if (value == good[i])
            continue;

          copy[i] = value;
          jws = dlg_jws_parse (copy, length, &error);
          if (jws != NULL)
            g_assert_false (dlg_jws_verify (jws, f->key, &error));
          if (error == NULL)
            g_error ("changing byte %" G_GSIZE_FORMAT " to 0x%02x went unnoticed", i, (guchar) value);
          g_assert_true (error->domain == DLG_JWS_ERROR);
          n_refused++;
        }
      copy[i] = good[i];
    }

  /* Cut short by any amount, or with a byte added anywhere. */
  for (gsize i = 0; i < length; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DlgJws) jws = dlg_jws_parse (good, i, &error);
      g_autofree char *longer = g_strdup_printf ("%.*sA%s", (int) i, good, good + i);
      g_autoptr(DlgJws) jws2 = NULL;

      if (jws != NULL)
        g_assert_false (dlg_jws_verify (jws, f->key, &error));
      g_assert_nonnull (error);
      g_clear_error (&error);

      jws2 = dlg_jws_parse (longer, -1, &error);
      if (jws2 != NULL)
        g_assert_false (dlg_jws_verify (jws2, f->key, &error));
      g_assert_nonnull (error);
    }

  g_test_message ("%u changed documents refused", n_refused);

  /* And unchanged, it is fine. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DlgJws) jws = dlg_jws_parse (copy, length, &error);

    g_assert_no_error (error);
    g_assert_true (dlg_jws_verify (jws, f->key, &error));
  }
}

static void
test_too_large (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gsize size = DLG_JWS_MAX_SIZE + 1;
  g_autofree char *huge = g_malloc (size + 1);
  g_autoptr(DlgJws) jws = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autofree char *compact = NULL;

  memset (huge, 'A', size);
  huge[10] = '.';
  huge[20] = '.';
  huge[size] = '\0';

  jws = dlg_jws_parse (huge, size, &error);
  g_assert_null (jws);
  g_assert_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* We never sign what we would refuse to read. */
  payload = g_bytes_new_take (g_steal_pointer (&huge), DLG_JWS_MAX_SIZE / 4 * 3 + 1);
  compact = dlg_jws_sign (f->key, DLG_JWS_TYP_REPORT, payload, &error);
  g_assert_null (compact);
  g_assert_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_TOO_LARGE);
}

static void
test_sha256 (void)
{
  g_autoptr(GBytes) abc = g_bytes_new_static ("abc", 3);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autofree char *a = dlg_sha256_hex (abc);
  g_autofree char *e = dlg_sha256_hex (empty);

  g_assert_cmpstr (a, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  g_assert_cmpstr (e, ==, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/jws/round-trip", test_round_trip);
  ADD ("/jws/variants", test_variants);
  g_test_add_func ("/jws/rfc8037", test_rfc8037);
  ADD ("/jws/algorithms", test_algorithms);
  ADD ("/jws/critical", test_critical);
  ADD ("/jws/embedded-keys", test_embedded_keys);
  ADD ("/jws/header-shapes", test_header_shapes);
  ADD ("/jws/syntax", test_syntax);
  ADD ("/jws/signature-shapes", test_signature_shapes);
  ADD ("/jws/every-byte", test_every_byte);
  ADD ("/jws/too-large", test_too_large);
  g_test_add_func ("/jws/sha256", test_sha256);

#undef ADD

  return g_test_run ();
}
