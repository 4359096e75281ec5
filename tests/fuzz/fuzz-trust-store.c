/* fuzz-trust-store.c - the list of known keys (trust.json), from any bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * trust.json is written by Diligence, but it lives in the user's folder,
 * may be restored from a backup or edited by hand, and decides whose
 * reports are believed: reading it must refuse anything odd, and what it
 * accepts must be consistent.
 */

#include "config.h"

#include <string.h>

#include "dlg-core.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgTrustStore) store = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  /* Never saved: nothing here changes the list. */
  store = dlg_trust_store_new_from_bytes (bytes, "/nonexistent/fuzz/trust.json", &error);
  if (store == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == DLG_TRUST_STORE_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  g_assert_no_error (error);
  items = dlg_trust_store_list (store);
  g_assert_cmpuint (items->len, ==, g_list_model_get_n_items (G_LIST_MODEL (store)));

  for (guint i = 0; i < items->len; i++)
    {
      DlgTrustedKey *item = g_ptr_array_index (items, i);
      DlgKey *key = dlg_trusted_key_get_key (item);
      const char *id = dlg_trusted_key_get_id (item);
      const char *name = dlg_trusted_key_get_organisation_name (item);
      const char *org_id = dlg_trusted_key_get_organisation_id (item);
      g_autofree char *fingerprint = dlg_trusted_key_get_fingerprint (item);

      /* Ids are computed from the keys, unique, and found again. */
      g_assert_false (dlg_key_has_private (key));
      g_assert_cmpstr (id, ==, dlg_key_get_id (key));
      g_assert_true (g_hash_table_add (ids, (gpointer) id));
      g_assert_true (dlg_trust_store_lookup (store, id) == item);

      g_assert_true (name != NULL && *name != '\0' && g_utf8_validate (name, -1, NULL));
      g_assert_true (org_id == NULL || g_utf8_validate (org_id, -1, NULL));
      g_assert_nonnull (dlg_trusted_key_get_added (item));
      g_assert_true (g_utf8_validate (fingerprint, -1, NULL));
    }

  return 0;
}
