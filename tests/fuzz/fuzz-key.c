/* fuzz-key.c - key import: PEM (PKCS#8, SPKI) and JSON Web Keys
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * dlg_key_new_from_data() is what reads a key file given by the user or
 * received from another organisation. Whatever it accepts must be a
 * working Ed25519 key that survives export and import in every form.
 */

#include "config.h"

#include <string.h>

#include "dlg-core.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check_same (DlgKey     *key,
            const char *exported,
            gboolean    private)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgKey) again = dlg_key_new_from_data (exported, -1, &error);

  g_assert_no_error (error);
  g_assert_true (dlg_key_equal (key, again));
  g_assert_cmpstr (dlg_key_get_id (key), ==, dlg_key_get_id (again));
  g_assert_true (dlg_key_has_private (again) == private);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgKey) key = NULL;
  g_autofree char *jwk = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *fingerprint = NULL;

  key = dlg_key_new_from_data ((const char *) data, size, &error);
  if (key == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == DLG_KEY_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  g_assert_no_error (error);
  g_assert_cmpuint (strlen (dlg_key_get_id (key)), ==, DLG_KEY_ID_LENGTH);
  fingerprint = dlg_key_get_fingerprint (key);
  g_assert_true (g_utf8_validate (fingerprint, -1, NULL));

  jwk = dlg_key_to_public_jwk (key);
  check_same (key, jwk, FALSE);
  pem = dlg_key_to_public_pem (key);
  check_same (key, pem, FALSE);

  if (dlg_key_has_private (key))
    {
      g_autofree char *private_pem = dlg_key_to_private_pem (key, &error);
      g_autoptr(GBytes) signature = NULL;

      g_assert_no_error (error);
      check_same (key, private_pem, TRUE);
      memset (private_pem, 0, strlen (private_pem));

      signature = dlg_key_sign (key, data, size, &error);
      g_assert_no_error (error);
      g_assert_true (dlg_key_verify (key, data, size,
                                     g_bytes_get_data (signature, NULL), g_bytes_get_size (signature)));
    }

  return 0;
}
