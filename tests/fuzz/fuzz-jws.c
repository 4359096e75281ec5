/* fuzz-jws.c - compact JWS parsing and verification, and base64url
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each input is tried three ways:
 *
 * 1. as base64url text: whatever decodes must encode back to exactly the
 *    same text, since the decoder accepts one spelling only;
 * 2. as a compact JWS, parsed and checked against a fixed key;
 * 3. when it starts with "{", as a protected header (up to the first line
 *    break) and a payload (the rest), which are signed with the fixed key
 *    and parsed back. The fuzzer cannot forge signatures, so without this
 *    the header checks behind a valid signature would stay out of reach.
 *    Whatever we sign and accept must verify, with the payload unchanged.
 *
 * A compact JWS never starts with "{", so the ways do not overlap.
 */

#include "config.h"

#include <string.h>

#include "dlg-core.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* A key made for this target only (diligence-tool keygen); its id is
 * tB3H0y6u2WtbdmCE1zgXM_jIurjPyujHEskObYSgz8Q. The seed corpus is signed
 * with it. */
static const char fuzz_key_pem[] =
  "-----BEGIN PRIVATE KEY-----\n"
  "MC4CAQAwBQYDK2VwBCIEIDGwivmKKHp0c3reUZM6HMS0YDx8VB0qXxMVmG4Du8Ph\n"
  "-----END PRIVATE KEY-----\n";

static DlgKey *
fuzz_key (void)
{
  static DlgKey *key;

  if (key == NULL)
    {
      g_autoptr(GError) error = NULL;

      key = dlg_key_new_from_pem (fuzz_key_pem, -1, &error);
      g_assert_no_error (error);
    }
  return key;
}

static void
check_error (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpuint (strlen (error->message), >, 0);
}

static void
try_base64url (const guint8 *data,
               size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) decoded = dlg_base64url_decode ((const char *) data, size, &error);

  if (decoded != NULL)
    {
      gsize n;
      const guint8 *bytes = g_bytes_get_data (decoded, &n);
      g_autofree char *again = dlg_base64url_encode (bytes, n);

      g_assert_cmpuint (strlen (again), ==, size);
      g_assert_true (memcmp (again, data, size) == 0);
    }
  else
    {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      check_error (error);
    }
}

static void
try_compact (const guint8 *data,
             size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgJws) jws = dlg_jws_parse ((const char *) data, size, &error);

  if (jws == NULL)
    {
      g_assert_true (error->domain == DLG_JWS_ERROR);
      check_error (error);
      return;
    }

  g_assert_no_error (error);
  g_assert_nonnull (dlg_jws_get_kid (jws));
  g_assert_nonnull (dlg_jws_get_payload (jws));
  g_assert_cmpuint (g_bytes_get_size (dlg_jws_get_bytes (jws)), ==, size);

  if (!dlg_jws_verify (jws, fuzz_key (), &error))
    {
      g_assert_true (g_error_matches (error, DLG_JWS_ERROR, DLG_JWS_ERROR_KEY_MISMATCH) ||
                     g_error_matches (error, DLG_JWS_ERROR, DLG_JWS_ERROR_BAD_SIGNATURE));
      check_error (error);
    }
}

static void
try_signed_header (const guint8 *data,
                   size_t        size)
{
  const guint8 *newline = memchr (data, '\n', size);
  gsize header_length = newline ? (gsize) (newline - data) : size;
  const guint8 *payload = newline ? newline + 1 : data + size;
  gsize payload_length = size - (payload - data);
  g_autofree char *header64 = dlg_base64url_encode (data, header_length);
  g_autofree char *payload64 = dlg_base64url_encode (payload, payload_length);
  g_autofree char *input = g_strconcat (header64, ".", payload64, NULL);
  g_autoptr(GBytes) signature = NULL;
  g_autofree char *signature64 = NULL;
  g_autofree char *compact = NULL;
  g_autoptr(DlgJws) jws = NULL;
  g_autoptr(GError) error = NULL;

  signature = dlg_key_sign (fuzz_key (), (const guint8 *) input, strlen (input), &error);
  g_assert_no_error (error);
  signature64 = dlg_base64url_encode (g_bytes_get_data (signature, NULL), g_bytes_get_size (signature));
  compact = g_strconcat (input, ".", signature64, NULL);

  jws = dlg_jws_parse (compact, -1, &error);
  if (jws == NULL)
    {
      /* Refused for its header, since the rest is well formed. */
      g_assert_true (g_error_matches (error, DLG_JWS_ERROR, DLG_JWS_ERROR_MALFORMED) ||
                     g_error_matches (error, DLG_JWS_ERROR, DLG_JWS_ERROR_UNSUPPORTED_ALGORITHM) ||
                     g_error_matches (error, DLG_JWS_ERROR, DLG_JWS_ERROR_UNSUPPORTED_CRITICAL));
      check_error (error);
      return;
    }

  g_assert_true (g_bytes_get_size (dlg_jws_get_payload (jws)) == payload_length &&
                 memcmp (g_bytes_get_data (dlg_jws_get_payload (jws), NULL), payload, payload_length) == 0);

  if (strcmp (dlg_jws_get_kid (jws), dlg_key_get_id (fuzz_key ())) == 0)
    {
      dlg_jws_verify (jws, fuzz_key (), &error);
      g_assert_no_error (error);
    }
  else
    {
      g_assert_false (dlg_jws_verify (jws, fuzz_key (), &error));
      g_assert_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_KEY_MISMATCH);
      check_error (error);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  try_base64url (data, size);
  try_compact (data, size);
  if (size > 0 && data[0] == '{')
    try_signed_header (data, size);

  return 0;
}
