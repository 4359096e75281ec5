/* test-trust-store.c - known organisations' keys: import, trust, persist,
 * and damaged files that must be left alone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "dlg-core.h"
#include "dlg-trust-store.h"
#include "test-util.h"

#define RFC8037_X   "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
#define RFC8037_KID "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"

typedef struct
{
  char   *dir;
  char   *path;
  DlgKey *a;
  DlgKey *b;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("dlg-trust-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "data", "trust.json", NULL);
  f->a = dlg_key_generate (NULL);
  f->b = dlg_key_generate (NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->a);
  g_clear_object (&f->b);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static DlgTrustStore *
open_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  DlgTrustStore *store = dlg_trust_store_open (f->path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GString    *log)
{
  g_string_append_printf (log, "%u-%u+%u;", position, removed, added);
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           GString    *log)
{
  g_string_append_printf (log, "%s;", pspec->name);
}

static void
test_default_path (void)
{
  g_autofree char *path = dlg_trust_store_get_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "io.github.diligence.Diligence",
                                                "trust.json", NULL);

  g_assert_cmpstr (path, ==, expected);
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(DlgTrustStore) store = open_store (f);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (store)) == DLG_TYPE_TRUSTED_KEY);
  g_assert_null (dlg_trust_store_lookup (store, RFC8037_KID));
  g_assert_cmpstr (dlg_trust_store_get_path (store), ==, f->path);

  /* Opening writes nothing. */
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
}

static void
test_add_and_reopen (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(DlgTrustStore) store = open_store (f);
  g_autoptr(DlgTrustStore) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(DlgTrustedKey) first = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *contents = NULL;
  DlgTrustedKey *item;
  DlgTrustedKey *reloaded;
  GStatBuf st;

  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), log);

  item = dlg_trust_store_add (store, f->a, "Réseau Informatique SA", "BE0123456789", TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (item);
  g_assert_cmpstr (dlg_trusted_key_get_id (item), ==, dlg_key_get_id (f->a));
  g_assert_cmpstr (dlg_trusted_key_get_organisation_name (item), ==, "Réseau Informatique SA");
  g_assert_cmpstr (dlg_trusted_key_get_organisation_id (item), ==, "BE0123456789");
  g_assert_true (dlg_trusted_key_get_trusted (item));
  g_assert_nonnull (dlg_trusted_key_get_added (item));
  /* Only the public half is ever kept. */
  g_assert_false (dlg_key_has_private (dlg_trusted_key_get_key (item)));

  item = dlg_trust_store_add (store, f->b, "Câbles & Fils SPRL", NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_null (dlg_trusted_key_get_organisation_id (item));
  g_assert_false (dlg_trusted_key_get_trusted (item));

  g_assert_cmpstr (log->str, ==, "0-0+1;1-0+1;");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  first = g_list_model_get_item (G_LIST_MODEL (store), 0);
  g_assert_cmpstr (dlg_trusted_key_get_id (first), ==, dlg_key_get_id (f->a));
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (store), 2));

  list = dlg_trust_store_list (store);
  g_assert_cmpuint (list->len, ==, 2);

  /* The folder is private; no private key is in the file. */
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_true (g_file_get_contents (f->path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\"format\" : \"diligence-trust/1\""));
  g_assert_null (strstr (contents, "\"d\""));

  again = open_store (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
  reloaded = dlg_trust_store_lookup (again, dlg_key_get_id (f->a));
  g_assert_nonnull (reloaded);
  g_assert_true (dlg_key_equal (dlg_trusted_key_get_key (reloaded), f->a));
  g_assert_cmpstr (dlg_trusted_key_get_organisation_name (reloaded), ==, "Réseau Informatique SA");
  g_assert_cmpstr (dlg_trusted_key_get_organisation_id (reloaded), ==, "BE0123456789");
  g_assert_true (dlg_trusted_key_get_trusted (reloaded));
  g_assert_true (g_date_time_equal (dlg_trusted_key_get_added (reloaded),
                                    dlg_trusted_key_get_added (dlg_trust_store_lookup (store, dlg_key_get_id (f->a)))));
  reloaded = dlg_trust_store_lookup (again, dlg_key_get_id (f->b));
  g_assert_false (dlg_trusted_key_get_trusted (reloaded));
  g_assert_null (dlg_trusted_key_get_organisation_id (reloaded));

  {
    g_autofree char *fp = dlg_trusted_key_get_fingerprint (reloaded);
    g_autofree char *expected = dlg_key_get_fingerprint (f->b);

    g_assert_cmpstr (fp, ==, expected);
  }
}

static void
test_bad_additions (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(DlgTrustStore) store = open_store (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgKey) pub = dlg_key_get_public (f->a);

  g_assert_nonnull (dlg_trust_store_add (store, f->a, "Org A", NULL, FALSE, &error));
  g_assert_no_error (error);

  /* The same key again, even public only, under another name. */
  g_assert_null (dlg_trust_store_add (store, pub, "Someone else", NULL, TRUE, &error));
  g_assert_error (error, DLG_TRUST_STORE_ERROR, DLG_TRUST_STORE_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "Org A"));
  g_clear_error (&error);

  g_assert_null (dlg_trust_store_add (store, f->b, "", NULL, TRUE, &error));
  g_assert_error (error, DLG_TRUST_STORE_ERROR, DLG_TRUST_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_null (dlg_trust_store_add (store, f->b, NULL, NULL, TRUE, &error));
  g_assert_error (error, DLG_TRUST_STORE_ERROR, DLG_TRUST_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_null (dlg_trust_store_add (store, f->b, "Org B", "\xff", TRUE, &error));
  g_assert_error (error, DLG_TRUST_STORE_ERROR, DLG_TRUST_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
}

static char *
write_temp (Fixture    *f,
            const char *name,
            const char *contents)
{
  char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static void
test_import (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(DlgTrustStore) store = open_store (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *jwk = dlg_key_to_public_jwk (f->a);
  g_autofree char *pem = dlg_key_to_public_pem (f->b);
  g_autoptr(DlgKey) c = dlg_key_generate (NULL);
  g_autofree char *private_pem = dlg_key_to_private_pem (c, NULL);
  g_autofree char *jwk_path = write_temp (f, "a.jwk", jwk);
  g_autofree char *pem_path = write_temp (f, "b.pem", pem);
  g_autofree char *private_path = write_temp (f, "c.pem", private_pem);
  g_autofree char *rfc_path = write_temp (f, "rfc.jwk", "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" RFC8037_X "\"}\n");
  g_autofree char *bad_path = write_temp (f, "bad.jwk", "{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}");
  g_autofree char *garbage_path = write_temp (f, "garbage.pem", "not a key at all");
  g_autofree char *missing_path = g_build_filename (f->dir, "missing.pem", NULL);
  g_autofree char *contents = NULL;
  DlgTrustedKey *item;

  item = dlg_trust_store_import_file (store, jwk_path, "Org A", "BE0000000097", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dlg_trusted_key_get_id (item), ==, dlg_key_get_id (f->a));

  item = dlg_trust_store_import_file (store, pem_path, "Org B", NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dlg_trusted_key_get_id (item), ==, dlg_key_get_id (f->b));

  item = dlg_trust_store_import_file (store, private_path, "Org C", NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_false (dlg_key_has_private (dlg_trusted_key_get_key (item)));

  item = dlg_trust_store_import_file (store, rfc_path, "RFC 8037", NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dlg_trusted_key_get_id (item), ==, RFC8037_KID);
  g_assert_true (dlg_trust_store_lookup (store, RFC8037_KID) == item);

  g_assert_null (dlg_trust_store_import_file (store, bad_path, "RSA", NULL, FALSE, &error));
  g_assert_error (error, DLG_KEY_ERROR, DLG_KEY_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "bad.jwk"));
  g_clear_error (&error);

  g_assert_null (dlg_trust_store_import_file (store, garbage_path, "Garbage", NULL, FALSE, &error));
  g_assert_error (error, DLG_KEY_ERROR, DLG_KEY_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_null (dlg_trust_store_import_file (store, missing_path, "Missing", NULL, FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_null (dlg_trust_store_import_file (store, jwk_path, "Org A again", NULL, FALSE, &error));
  g_assert_error (error, DLG_TRUST_STORE_ERROR, DLG_TRUST_STORE_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 4);

  /* The private key that came with Org C's file never reaches the list. */
  g_assert_true (g_file_get_contents (f->path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "PRIVATE"));
}

static void
test_change_and_remove (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(DlgTrustStore) store = open_store (f);
  g_autoptr(DlgTrustStore) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) notifications = g_string_new (NULL);
  g_autoptr(GString) changes = g_string_new (NULL);
  DlgTrustedKey *item;

  item = dlg_trust_store_add (store, f->a, "Org A", NULL, FALSE, &error);
  g_assert_no_error (error);
  dlg_trust_store_add (store, f->b, "Org B", NULL, FALSE, &error);
  g_assert_no_error (error);

  g_signal_connect (item, "notify", G_CALLBACK (notify_cb), notifications);
  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), changes);

  g_assert_true (dlg_trust_store_set_trusted (store, dlg_key_get_id (f->a), TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (dlg_trusted_key_get_trusted (item));
  /* Setting the same value again changes nothing and says nothing. */
  g_assert_true (dlg_trust_store_set_trusted (store, dlg_key_get_id (f->a), TRUE, &error));

  g_assert_true (dlg_trust_store_set_organisation (store, dlg_key_get_id (f->a), "Org A (new name)", "BE0123456789", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (notifications->str, ==, "trusted;organisation-name;organisation-id;");

  g_assert_false (dlg_trust_store_set_organisation (store, dlg_key_get_id (f->a), "", NULL, &error));
  g_assert_error (error, DLG_TRUST_STORE_ERROR, DLG_TRUST_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (dlg_trust_store_set_trusted (store, RFC8037_KID, TRUE, &error));
  g_assert_error (error, DLG_TRUST_STORE_ERROR, DLG_TRUST_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (dlg_trust_store_set_organisation (store, RFC8037_KID, "X", NULL, &error));
  g_assert_error (error, DLG_TRUST_STORE_ERROR, DLG_TRUST_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (dlg_trust_store_remove (store, RFC8037_KID, &error));
  g_assert_error (error, DLG_TRUST_STORE_ERROR, DLG_TRUST_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  again = open_store (f);
  item = dlg_trust_store_lookup (again, dlg_key_get_id (f->a));
  g_assert_true (dlg_trusted_key_get_trusted (item));
  g_assert_cmpstr (dlg_trusted_key_get_organisation_name (item), ==, "Org A (new name)");
  g_assert_cmpstr (dlg_trusted_key_get_organisation_id (item), ==, "BE0123456789");
  g_clear_object (&again);

  g_assert_true (dlg_trust_store_remove (store, dlg_key_get_id (f->a), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (changes->str, ==, "0-1+0;");
  g_assert_null (dlg_trust_store_lookup (store, dlg_key_get_id (f->a)));

  again = open_store (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);
  g_assert_null (dlg_trust_store_lookup (again, dlg_key_get_id (f->a)));
  g_assert_nonnull (dlg_trust_store_lookup (again, dlg_key_get_id (f->b)));
}

/* Every change that cannot be saved leaves memory and disk as they were.
 * The folder is replaced by a file: unlike chmod, that stops root too. */
static void
test_write_failure (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(DlgTrustStore) store = open_store (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *moved = g_strconcat (dir, ".moved", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GString) changes = g_string_new (NULL);
  DlgTrustedKey *item;

  item = dlg_trust_store_add (store, f->a, "Org A", NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (f->path, &before, NULL, NULL));
  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), changes);

  g_assert_cmpint (g_rename (dir, moved), ==, 0);
  g_assert_true (g_file_set_contents (dir, "in the way", -1, NULL));

  g_assert_null (dlg_trust_store_add (store, f->b, "Org B", NULL, FALSE, &error));
  g_assert_error (error, DLG_TRUST_STORE_ERROR, DLG_TRUST_STORE_ERROR_WRITE);
  g_clear_error (&error);
  g_assert_false (dlg_trust_store_set_trusted (store, dlg_key_get_id (f->a), TRUE, &error));
  g_assert_error (error, DLG_TRUST_STORE_ERROR, DLG_TRUST_STORE_ERROR_WRITE);
  g_clear_error (&error);
  g_assert_false (dlg_trust_store_set_organisation (store, dlg_key_get_id (f->a), "Renamed", "X", &error));
  g_assert_error (error, DLG_TRUST_STORE_ERROR, DLG_TRUST_STORE_ERROR_WRITE);
  g_clear_error (&error);
  g_assert_false (dlg_trust_store_remove (store, dlg_key_get_id (f->a), &error));
  g_assert_error (error, DLG_TRUST_STORE_ERROR, DLG_TRUST_STORE_ERROR_WRITE);
  g_clear_error (&error);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_true (dlg_trust_store_lookup (store, dlg_key_get_id (f->a)) == item);
  g_assert_false (dlg_trusted_key_get_trusted (item));
  g_assert_cmpstr (dlg_trusted_key_get_organisation_name (item), ==, "Org A");
  g_assert_null (dlg_trusted_key_get_organisation_id (item));
  g_assert_cmpstr (changes->str, ==, "");

  g_assert_cmpint (g_unlink (dir), ==, 0);
  g_assert_cmpint (g_rename (moved, dir), ==, 0);
  g_assert_true (g_file_get_contents (f->path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, before);

  /* Once the disk is back, the next change works. */
  g_assert_true (dlg_trust_store_set_trusted (store, dlg_key_get_id (f->a), TRUE, &error));
  g_assert_no_error (error);
}

static void
test_corrupt (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(DlgKey) key = dlg_key_generate (NULL);
  g_autoptr(GBytes) raw = dlg_key_get_public_raw (key);
  g_autofree char *x = dlg_base64url_encode (g_bytes_get_data (raw, NULL), 32);
  g_autofree char *dir = g_path_get_dirname (f->path);
#define ENTRY(kid, x, extra) \
  "{\"kid\":\"" kid "\",\"x\":\"" x "\",\"organisation\":{\"name\":\"Org\",\"id\":null}," \
  "\"trusted\":true,\"added_at\":\"2026-01-15T10:00:00Z\"" extra "}"
  g_autofree char *valid = g_strdup ("{\"format\":\"diligence-trust/1\",\"keys\":[" ENTRY (RFC8037_KID, RFC8037_X, "") "]}");
  g_autofree char *wrong_kid = g_strdup_printf ("{\"format\":\"diligence-trust/1\",\"keys\":["
                                                "{\"kid\":\"%s\",\"x\":\"%s\",\"organisation\":{\"name\":\"Org\"},"
                                                "\"trusted\":true,\"added_at\":\"2026-01-15T10:00:00Z\"}]}",
                                                RFC8037_KID, x);
  struct {
    const char         *contents;
    DlgTrustStoreError  code;
  } cases[] = {
    { "", DLG_TRUST_STORE_ERROR_CORRUPT },
    { "{", DLG_TRUST_STORE_ERROR_CORRUPT },
    { "\0\0\0\0", DLG_TRUST_STORE_ERROR_CORRUPT },
    { "[]", DLG_TRUST_STORE_ERROR_CORRUPT },
    { "{}", DLG_TRUST_STORE_ERROR_CORRUPT },
    { "{\"format\":\"diligence-answers/1\",\"keys\":[]}", DLG_TRUST_STORE_ERROR_CORRUPT },
    { "{\"format\":\"diligence-trust/2\",\"keys\":[],\"new\":1}", DLG_TRUST_STORE_ERROR_NEWER_FORMAT },
    { "{\"format\":\"diligence-trust/1\"}", DLG_TRUST_STORE_ERROR_CORRUPT },
    { "{\"format\":\"diligence-trust/1\",\"keys\":{}}", DLG_TRUST_STORE_ERROR_CORRUPT },
    { "{\"format\":\"diligence-trust/1\",\"keys\":[1]}", DLG_TRUST_STORE_ERROR_CORRUPT },
    { "{\"format\":\"diligence-trust/1\",\"keys\":[{}]}", DLG_TRUST_STORE_ERROR_CORRUPT },
    { "{\"format\":\"diligence-trust/1\",\"format\":\"diligence-trust/1\",\"keys\":[]}", DLG_TRUST_STORE_ERROR_CORRUPT },
    { "{\"format\":\"diligence-trust/1\",\"keys\":[" ENTRY (RFC8037_KID, RFC8037_X, "") "," ENTRY (RFC8037_KID, RFC8037_X, "") "]}",
      DLG_TRUST_STORE_ERROR_CORRUPT },
    { "{\"format\":\"diligence-trust/1\",\"keys\":[" ENTRY (RFC8037_KID, "AAAA", "") "]}", DLG_TRUST_STORE_ERROR_CORRUPT },
    { "{\"format\":\"diligence-trust/1\",\"keys\":[" ENTRY (RFC8037_KID, RFC8037_X "=", "") "]}", DLG_TRUST_STORE_ERROR_CORRUPT },
    { "{\"format\":\"diligence-trust/1\",\"keys\":[" ENTRY ("other", RFC8037_X, "") "]}", DLG_TRUST_STORE_ERROR_CORRUPT },
    { wrong_kid, DLG_TRUST_STORE_ERROR_CORRUPT },
    { "{\"format\":\"diligence-trust/1\",\"keys\":[{\"kid\":\"" RFC8037_KID "\",\"x\":\"" RFC8037_X "\","
      "\"organisation\":{\"name\":\"Org\"},\"trusted\":\"yes\",\"added_at\":\"2026-01-15T10:00:00Z\"}]}",
      DLG_TRUST_STORE_ERROR_CORRUPT },
    { "{\"format\":\"diligence-trust/1\",\"keys\":[{\"kid\":\"" RFC8037_KID "\",\"x\":\"" RFC8037_X "\","
      "\"organisation\":{\"name\":\"Org\"},\"trusted\":true,\"added_at\":\"yesterday\"}]}",
      DLG_TRUST_STORE_ERROR_CORRUPT },
    { "{\"format\":\"diligence-trust/1\",\"keys\":[{\"kid\":\"" RFC8037_KID "\",\"x\":\"" RFC8037_X "\","
      "\"organisation\":{\"name\":\"\"},\"trusted\":true,\"added_at\":\"2026-01-15T10:00:00Z\"}]}",
      DLG_TRUST_STORE_ERROR_CORRUPT },
    { "{\"format\":\"diligence-trust/1\",\"keys\":[{\"kid\":\"" RFC8037_KID "\",\"x\":\"" RFC8037_X "\","
      "\"organisation\":{\"name\":\"Org\",\"id\":5},\"trusted\":true,\"added_at\":\"2026-01-15T10:00:00Z\"}]}",
      DLG_TRUST_STORE_ERROR_CORRUPT },
    { "{\"format\":\"diligence-trust/1\",\"keys\":[{\"kid\":\"" RFC8037_KID "\",\"x\":\"" RFC8037_X "\","
      "\"organisation\":\"Org\",\"trusted\":true,\"added_at\":\"2026-01-15T10:00:00Z\"}]}",
      DLG_TRUST_STORE_ERROR_CORRUPT },
  };
#undef ENTRY

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);

  /* First, the valid file of which the cases are variations. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DlgTrustStore) store = NULL;

    g_assert_true (g_file_set_contents (f->path, valid, -1, NULL));
    store = dlg_trust_store_open (f->path, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DlgTrustStore) store = NULL;
      g_autofree char *after = NULL;
      gsize length = i == 2 ? 4 : strlen (cases[i].contents);
      gsize after_length;

      g_test_message ("case %u", i);
      g_assert_true (g_file_set_contents (f->path, cases[i].contents, length, NULL));
      store = dlg_trust_store_open (f->path, &error);
      g_assert_null (store);
      g_assert_error (error, DLG_TRUST_STORE_ERROR, (int) cases[i].code);
      g_test_message ("→ %s", error->message);
      g_assert_nonnull (strstr (error->message, "trust.json"));

      /* Left exactly as it was. */
      g_assert_true (g_file_get_contents (f->path, &after, &after_length, NULL));
      g_assert_cmpmem (after, after_length, cases[i].contents, length);
    }

  /* A folder where the file should be. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DlgTrustStore) store = NULL;

    g_unlink (f->path);
    g_assert_cmpint (g_mkdir (f->path, 0700), ==, 0);
    store = dlg_trust_store_open (f->path, &error);
    g_assert_null (store);
    g_assert_nonnull (error);
    g_assert_true (g_file_test (f->path, G_FILE_TEST_IS_DIR));
    g_rmdir (f->path);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/trust-store/default-path", test_default_path);
  ADD ("/trust-store/empty", test_empty);
  ADD ("/trust-store/add-and-reopen", test_add_and_reopen);
  ADD ("/trust-store/bad-additions", test_bad_additions);
  ADD ("/trust-store/import", test_import);
  ADD ("/trust-store/change-and-remove", test_change_and_remove);
  ADD ("/trust-store/write-failure", test_write_failure);
  ADD ("/trust-store/corrupt", test_corrupt);

#undef ADD

  return g_test_run ();
}
