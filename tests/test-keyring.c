/* test-keyring.c - our signing keys in the keyring and in 0600 files:
 * creating, loading, rotating, and everything that can go missing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Secret Service is libsecret's file backend (SECRET_BACKEND=file,
 * available in libsecret 0.20 when built with gcrypt, as Debian's is): a
 * real keyring file encrypted with SECRET_FILE_TEST_PASSWORD, at
 * SECRET_FILE_TEST_PATH, so the tests need no keyring daemon and never
 * touch the user's. main() sets these before libsecret is first used.
 * The 0600 fallback is forced with DLG_KEYRING_FLAGS_FILE_ONLY, and the
 * automatic fallback is tested in subprocesses where no keyring can be
 * reached at all.
 *
 * libsecret 0.20.5's file backend leaks the previous etag each time it
 * rewrites its file (fixed upstream in 0.21.2, commit 3c97587,
 * "secret-file-collection: Improve etag tracking"); the real Secret
 * Service path does not. Under AddressSanitizer the tests that write
 * through that backend therefore run with leak detection paused; the same
 * code of ours is leak-checked by the file-only tests, and objects are
 * checked with g_assert_finalize_object().
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "dlg-core.h"
#include "test-util.h"

#if defined(__SANITIZE_ADDRESS__)
# define HAVE_LSAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define HAVE_LSAN 1
# endif
#endif
#ifdef HAVE_LSAN
# include <sanitizer/lsan_interface.h>
#endif

static const SecretSchema schema = {
  .name = DLG_KEYRING_SCHEMA_NAME,
  .flags = SECRET_SCHEMA_NONE,
  .attributes = { { "key-id", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } },
};

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *tmp = g_dir_make_tmp ("dlg-keyring-XXXXXX", NULL);

  f->dir = g_build_filename (tmp, "keys", NULL);
}

/* For the tests that write through libsecret's file backend; see above. */
static void
fixture_set_up_libsecret (Fixture       *f,
                          gconstpointer  data)
{
#ifdef HAVE_LSAN
  __lsan_disable ();
#endif
  fixture_set_up (f, data);
}


static void
fixture_tear_down_libsecret (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *parent = g_path_get_dirname (f->dir);

  remove_tree (parent);
  g_free (f->dir);
#ifdef HAVE_LSAN
  __lsan_enable ();
#endif
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *parent = g_path_get_dirname (f->dir);

  remove_tree (parent);
  g_free (f->dir);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert (*out == NULL);
  *out = g_object_ref (result);
}

typedef enum { LOAD, LOAD_OR_CREATE, ROTATE } Which;

static DlgKey *
run (DlgKeyring    *keyring,
     Which          which,
     GCancellable  *cancellable,
     GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  switch (which)
    {
    case LOAD:
      dlg_keyring_load_async (keyring, cancellable, store_result_cb, &result);
      break;
    case LOAD_OR_CREATE:
      dlg_keyring_load_or_create_async (keyring, cancellable, store_result_cb, &result);
      break;
    case ROTATE:
    default:
      dlg_keyring_rotate_async (keyring, cancellable, store_result_cb, &result);
      break;
    }

  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  switch (which)
    {
    case LOAD:
      return dlg_keyring_load_finish (keyring, result, error);
    case LOAD_OR_CREATE:
      return dlg_keyring_load_or_create_finish (keyring, result, error);
    case ROTATE:
    default:
      return dlg_keyring_rotate_finish (keyring, result, error);
    }
}

static char *
lookup_secret (const char *kid)
{
  g_autoptr(GError) error = NULL;
  char *pem = secret_password_lookup_sync (&schema, NULL, &error, "key-id", kid, NULL);

  g_assert_no_error (error);
  return pem;
}

/* No file in the keys folder may hold a private key. */
static void
assert_no_private_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;

      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_assert_null (strstr (contents, "PRIVATE"));
    }
}

static void
assert_mode (const char *path,
             guint       mode)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, mode);
}

static void
test_secret_service (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(DlgKeyring) keyring = dlg_keyring_new (f->dir, DLG_KEYRING_FLAGS_NONE);
  g_autoptr(DlgKeyring) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgKey) key = NULL;
  g_autoptr(DlgKey) loaded = NULL;
  g_autoptr(DlgKey) second = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GBytes) sig = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *index = g_build_filename (f->dir, "keys.json", NULL);

  g_assert_cmpint (dlg_keyring_get_storage (keyring), ==, DLG_KEYRING_STORAGE_NONE);
  g_assert_null (dlg_keyring_get_current (keyring));
  g_assert_cmpstr (dlg_keyring_get_directory (keyring), ==, f->dir);

  /* Nothing yet: load says so, and writes nothing. */
  key = run (keyring, LOAD, NULL, &error);
  g_assert_error (error, DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_NOT_FOUND);
  g_assert_null (key);
  g_clear_error (&error);
  g_assert_false (g_file_test (f->dir, G_FILE_TEST_EXISTS));

  key = run (keyring, LOAD_OR_CREATE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dlg_key_has_private (key));
  g_assert_true (dlg_keyring_get_current (keyring) == key);
  g_assert_cmpint (dlg_keyring_get_storage (keyring), ==, DLG_KEYRING_STORAGE_SECRET_SERVICE);
  g_assert_null (dlg_keyring_get_fallback_reason (keyring));
  g_assert_null (dlg_keyring_get_key_file (keyring));

  /* The private key is in the keyring, and nowhere in the folder. */
  pem = lookup_secret (dlg_key_get_id (key));
  g_assert_nonnull (pem);
  g_assert_true (g_str_has_prefix (pem, "-----BEGIN PRIVATE KEY-----"));
  assert_no_private_files (f->dir);
  assert_mode (f->dir, 0700);
  g_assert_true (g_file_test (index, G_FILE_TEST_IS_REGULAR));

  /* Loading again, from a new object, finds the same key. */
  second = run (keyring, LOAD_OR_CREATE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dlg_key_get_id (second), ==, dlg_key_get_id (key));

  again = dlg_keyring_new (f->dir, DLG_KEYRING_FLAGS_NONE);
  loaded = run (again, LOAD, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dlg_key_get_id (loaded), ==, dlg_key_get_id (key));
  g_assert_cmpint (dlg_keyring_get_storage (again), ==, DLG_KEYRING_STORAGE_SECRET_SERVICE);

  /* It signs as the original. */
  sig = dlg_key_sign (loaded, (const guint8 *) "report", 6, &error);
  g_assert_no_error (error);
  g_assert_true (dlg_key_verify (key, (const guint8 *) "report", 6, g_bytes_get_data (sig, NULL), 64));

  list = dlg_keyring_list_keys (again);
  g_assert_cmpuint (list->len, ==, 1);
  {
    DlgKeyringEntry *e = g_ptr_array_index (list, 0);

    g_assert_true (e->current);
    g_assert_false (dlg_key_has_private (e->key));
    g_assert_true (dlg_key_equal (e->key, key));
    g_assert_cmpint (e->storage, ==, DLG_KEYRING_STORAGE_SECRET_SERVICE);
    g_assert_nonnull (e->created);
    g_assert_null (e->retired);
  }

  g_assert_finalize_object (g_steal_pointer (&again));
  g_assert_finalize_object (g_steal_pointer (&keyring));
}

static void
check_rotation (Fixture         *f,
                DlgKeyringFlags  flags,
                DlgKeyringStorage storage)
{
  g_autoptr(DlgKeyring) keyring = dlg_keyring_new (f->dir, flags);
  g_autoptr(DlgKeyring) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgKey) first = NULL;
  g_autoptr(DlgKey) second = NULL;
  g_autoptr(DlgKey) third = NULL;
  g_autoptr(DlgKey) loaded = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GBytes) payload = g_bytes_new_static ("{\"period\":\"2025\"}", 17);
  g_autofree char *old_report = NULL;
  g_autofree char *first_file = NULL;
  g_autoptr(DlgJws) jws = NULL;

  /* Nothing to rotate yet. */
  first = run (keyring, ROTATE, NULL, &error);
  g_assert_error (error, DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_NOT_FOUND);
  g_clear_error (&error);

  first = run (keyring, LOAD_OR_CREATE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dlg_keyring_get_storage (keyring), ==, storage);
  old_report = dlg_jws_sign (first, DLG_JWS_TYP_REPORT, payload, &error);
  g_assert_no_error (error);
  first_file = g_strconcat (f->dir, "/", dlg_key_get_id (first), ".pem", NULL);

  second = run (keyring, ROTATE, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (dlg_key_equal (first, second));
  g_assert_true (dlg_keyring_get_current (keyring) == second);
  g_assert_cmpint (dlg_keyring_get_storage (keyring), ==, storage);

  /* The old private key is gone from where it was kept. */
  if (storage == DLG_KEYRING_STORAGE_SECRET_SERVICE)
    {
      g_autofree char *old = lookup_secret (dlg_key_get_id (first));
      g_autofree char *current = lookup_secret (dlg_key_get_id (second));

      g_assert_null (old);
      g_assert_nonnull (current);
    }
  else
    g_assert_false (g_file_test (first_file, G_FILE_TEST_EXISTS));

  third = run (keyring, ROTATE, NULL, &error);
  g_assert_no_error (error);

  /* Newest first, the old ones still listed with their public key. */
  again = dlg_keyring_new (f->dir, flags);
  loaded = run (again, LOAD, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dlg_key_equal (loaded, third));
  list = dlg_keyring_list_keys (again);
  g_assert_cmpuint (list->len, ==, 3);
  {
    DlgKeyringEntry *e0 = g_ptr_array_index (list, 0);
    DlgKeyringEntry *e1 = g_ptr_array_index (list, 1);
    DlgKeyringEntry *e2 = g_ptr_array_index (list, 2);

    g_assert_true (e0->current && dlg_key_equal (e0->key, third));
    g_assert_null (e0->retired);
    g_assert_true (!e1->current && dlg_key_equal (e1->key, second));
    g_assert_true (!e2->current && dlg_key_equal (e2->key, first));
    g_assert_nonnull (e1->retired);
    g_assert_nonnull (e2->retired);
    g_assert_cmpint (e1->storage, ==, DLG_KEYRING_STORAGE_NONE);
    g_assert_cmpint (g_date_time_compare (e2->retired, e1->retired), <=, 0);
  }

  /* A report signed before the rotation still verifies. */
  jws = dlg_jws_parse (old_report, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (dlg_keyring_lookup_public (again, dlg_jws_get_kid (jws)));
  g_assert_true (dlg_jws_verify (jws, dlg_keyring_lookup_public (again, dlg_jws_get_kid (jws)), &error));
  g_assert_no_error (error);
  g_assert_null (dlg_keyring_lookup_public (again, "nope"));

  g_clear_pointer (&list, g_ptr_array_unref);
  g_assert_finalize_object (g_steal_pointer (&again));
  g_assert_finalize_object (g_steal_pointer (&keyring));
}

static void
test_rotate_secret_service (Fixture       *f,
                            gconstpointer  data)
{
  check_rotation (f, DLG_KEYRING_FLAGS_NONE, DLG_KEYRING_STORAGE_SECRET_SERVICE);
}

static void
test_rotate_file (Fixture       *f,
                  gconstpointer  data)
{
  check_rotation (f, DLG_KEYRING_FLAGS_FILE_ONLY, DLG_KEYRING_STORAGE_FILE);
}

static void
test_file (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(DlgKeyring) keyring = dlg_keyring_new (f->dir, DLG_KEYRING_FLAGS_FILE_ONLY);
  g_autoptr(DlgKeyring) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgKey) key = NULL;
  g_autoptr(DlgKey) loaded = NULL;
  g_autoptr(DlgKey) from_file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *secret = NULL;

  key = run (keyring, LOAD_OR_CREATE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dlg_keyring_get_storage (keyring), ==, DLG_KEYRING_STORAGE_FILE);
  /* Asked for, not a fallback: there is no reason to explain. */
  g_assert_null (dlg_keyring_get_fallback_reason (keyring));

  path = dlg_keyring_get_key_file (keyring);
  g_assert_nonnull (path);
  g_assert_true (g_str_has_prefix (path, f->dir));
  assert_mode (path, 0600);
  assert_mode (f->dir, 0700);

  /* An ordinary PKCS#8 file, usable by other tools. */
  g_assert_true (g_file_get_contents (path, &pem, NULL, NULL));
  from_file = dlg_key_new_from_pem (pem, -1, &error);
  g_assert_no_error (error);
  g_assert_true (dlg_key_equal (from_file, key));
  g_assert_true (dlg_key_has_private (from_file));

  /* And not in the keyring. */
  secret = lookup_secret (dlg_key_get_id (key));
  g_assert_null (secret);

  /* Loaded again; a file made readable by others is made private again. */
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  again = dlg_keyring_new (f->dir, DLG_KEYRING_FLAGS_FILE_ONLY);
  loaded = run (again, LOAD, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dlg_key_equal (loaded, key));
  g_assert_cmpint (dlg_keyring_get_storage (again), ==, DLG_KEYRING_STORAGE_FILE);
  assert_mode (path, 0600);
  g_clear_object (&loaded);
  g_clear_object (&again);

  /* A key kept in a file is found without the FILE_ONLY flag too. */
  again = dlg_keyring_new (f->dir, DLG_KEYRING_FLAGS_NONE);
  loaded = run (again, LOAD, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dlg_key_equal (loaded, key));
  g_assert_cmpint (dlg_keyring_get_storage (again), ==, DLG_KEYRING_STORAGE_FILE);

  g_assert_finalize_object (g_steal_pointer (&again));
  g_assert_finalize_object (g_steal_pointer (&keyring));
}

/* Where no keyring can be reached, the key goes to a 0600 file, and the
 * caller learns why. Run in a subprocess: libsecret picks its backend
 * once per process. */
static void
check_fallback (Fixture *f)
{
  g_autoptr(DlgKeyring) keyring = dlg_keyring_new (f->dir, DLG_KEYRING_FLAGS_NONE);
  g_autoptr(DlgKeyring) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgKey) key = NULL;
  g_autoptr(DlgKey) loaded = NULL;
  g_autofree char *path = NULL;

  key = run (keyring, LOAD_OR_CREATE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dlg_keyring_get_storage (keyring), ==, DLG_KEYRING_STORAGE_FILE);
  g_assert_nonnull (dlg_keyring_get_fallback_reason (keyring));
  g_test_message ("fallback reason: %s", dlg_keyring_get_fallback_reason (keyring));
  path = dlg_keyring_get_key_file (keyring);
  assert_mode (path, 0600);

  again = dlg_keyring_new (f->dir, DLG_KEYRING_FLAGS_NONE);
  loaded = run (again, LOAD, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dlg_key_equal (loaded, key));
  g_assert_cmpint (dlg_keyring_get_storage (again), ==, DLG_KEYRING_STORAGE_FILE);
}

static void
test_fallback_no_bus (Fixture       *f,
                      gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      /* The real Secret Service, on a session bus that does not exist. */
      g_setenv ("SECRET_BACKEND", "service", TRUE);
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/diligence-test-bus", TRUE);
      check_fallback (f);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_fallback_locked_backend (Fixture       *f,
                              gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      /* libsecret's file backend without a way to get its password. */
      g_unsetenv ("SECRET_FILE_TEST_PASSWORD");
      check_fallback (f);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* A key that keys.json says is in the keyring is never replaced by a new
 * one when the keyring cannot give it back. */
static void
test_missing (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(DlgKeyring) keyring = dlg_keyring_new (f->dir, DLG_KEYRING_FLAGS_NONE);
  g_autoptr(DlgKeyring) file_only = NULL;
  g_autoptr(DlgKeyring) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgKey) key = NULL;
  g_autoptr(DlgKey) other = NULL;
  g_autofree char *index = g_build_filename (f->dir, "keys.json", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  key = run (keyring, LOAD_OR_CREATE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (index, &before, NULL, NULL));

  /* Told not to use the keyring, but the key is there. */
  file_only = dlg_keyring_new (f->dir, DLG_KEYRING_FLAGS_FILE_ONLY);
  other = run (file_only, LOAD_OR_CREATE, NULL, &error);
  g_assert_error (error, DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_UNAVAILABLE);
  g_assert_null (other);
  g_clear_error (&error);

  /* Gone from the keyring. */
  g_assert_true (secret_password_clear_sync (&schema, NULL, &error, "key-id", dlg_key_get_id (key), NULL));
  g_assert_no_error (error);

  again = dlg_keyring_new (f->dir, DLG_KEYRING_FLAGS_NONE);
  other = run (again, LOAD_OR_CREATE, NULL, &error);
  g_assert_error (error, DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_MISSING);
  g_assert_nonnull (strstr (error->message, dlg_key_get_id (key)));
  g_assert_null (other);
  g_assert_null (dlg_keyring_get_current (again));
  g_clear_error (&error);

  g_assert_true (g_file_get_contents (index, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, before);
}

static void
test_missing_file (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(DlgKeyring) keyring = dlg_keyring_new (f->dir, DLG_KEYRING_FLAGS_FILE_ONLY);
  g_autoptr(DlgKeyring) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgKey) key = NULL;
  g_autoptr(DlgKey) other = NULL;
  g_autoptr(DlgKey) stranger = dlg_key_generate (NULL);
  g_autofree char *path = NULL;
  g_autofree char *stranger_pem = dlg_key_to_private_pem (stranger, NULL);
  g_autofree char *index = g_build_filename (f->dir, "keys.json", NULL);
  g_autofree char *moved = g_build_filename (f->dir, "keys.json.moved", NULL);

  key = run (keyring, LOAD_OR_CREATE, NULL, &error);
  g_assert_no_error (error);
  path = dlg_keyring_get_key_file (keyring);

  /* The key file holds another key. */
  g_assert_true (g_file_set_contents (path, stranger_pem, -1, NULL));
  again = dlg_keyring_new (f->dir, DLG_KEYRING_FLAGS_FILE_ONLY);
  other = run (again, LOAD_OR_CREATE, NULL, &error);
  g_assert_error (error, DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_CORRUPT);
  g_clear_error (&error);

  /* The key file is damaged. */
  g_assert_true (g_file_set_contents (path, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", -1, NULL));
  other = run (again, LOAD, NULL, &error);
  g_assert_error (error, DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_CORRUPT);
  g_clear_error (&error);

  /* The key file holds a public key only. */
  {
    g_autofree char *pub = dlg_key_to_public_pem (key);

    g_assert_true (g_file_set_contents (path, pub, -1, NULL));
    other = run (again, LOAD, NULL, &error);
    g_assert_error (error, DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_CORRUPT);
    g_clear_error (&error);
  }

  /* The key file is gone. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  other = run (again, LOAD_OR_CREATE, NULL, &error);
  g_assert_error (error, DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_MISSING);
  g_clear_error (&error);

  /* keys.json is gone but a key file is there: no new key over it. */
  g_assert_true (g_file_set_contents (path, stranger_pem, -1, NULL));
  g_assert_cmpint (g_rename (index, moved), ==, 0);
  other = run (again, LOAD_OR_CREATE, NULL, &error);
  g_assert_error (error, DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_MISSING);
  g_assert_null (other);
  g_assert_false (g_file_test (index, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  other = run (again, LOAD, NULL, &error);
  g_assert_error (error, DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_NOT_FOUND);
  g_clear_error (&error);
}

static void
test_corrupt_index (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(DlgKey) a = dlg_key_generate (NULL);
  g_autoptr(DlgKey) b = dlg_key_generate (NULL);
  g_autoptr(GBytes) raw = dlg_key_get_public_raw (a);
  g_autoptr(GBytes) raw_b = dlg_key_get_public_raw (b);
  g_autofree char *x = dlg_base64url_encode (g_bytes_get_data (raw, NULL), 32);
  g_autofree char *x_b = dlg_base64url_encode (g_bytes_get_data (raw_b, NULL), 32);
  g_autofree char *index = g_build_filename (f->dir, "keys.json", NULL);
  g_autofree char *two_current = g_strdup_printf (
    "{\"format\":\"diligence-keys/1\",\"keys\":["
    "{\"kid\":\"%s\",\"x\":\"%s\",\"created_at\":\"2026-01-01T00:00:00Z\",\"retired_at\":null,\"storage\":\"file\"},"
    "{\"kid\":\"%s\",\"x\":\"%s\",\"created_at\":\"2026-01-01T00:00:00Z\",\"retired_at\":null,\"storage\":\"file\"}]}",
    dlg_key_get_id (a), x, dlg_key_get_id (b), x_b);
  g_autofree char *listed_twice = g_strdup_printf (
    "{\"format\":\"diligence-keys/1\",\"keys\":["
    "{\"kid\":\"%s\",\"x\":\"%s\",\"created_at\":\"2026-01-01T00:00:00Z\",\"retired_at\":\"2026-02-01T00:00:00Z\"},"
    "{\"kid\":\"%s\",\"x\":\"%s\",\"created_at\":\"2026-01-01T00:00:00Z\",\"retired_at\":null,\"storage\":\"file\"}]}",
    dlg_key_get_id (a), x, dlg_key_get_id (a), x);
  g_autofree char *wrong_kid = g_strdup_printf (
    "{\"format\":\"diligence-keys/1\",\"keys\":["
    "{\"kid\":\"kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k\",\"x\":\"%s\",\"created_at\":\"2026-01-01T00:00:00Z\","
    "\"retired_at\":null,\"storage\":\"file\"}]}", x);
  g_autofree char *bad_storage = g_strdup_printf (
    "{\"format\":\"diligence-keys/1\",\"keys\":["
    "{\"kid\":\"%s\",\"x\":\"%s\",\"created_at\":\"2026-01-01T00:00:00Z\",\"retired_at\":null,\"storage\":\"usb\"}]}",
    dlg_key_get_id (a), x);
  g_autofree char *bad_date = g_strdup_printf (
    "{\"format\":\"diligence-keys/1\",\"keys\":["
    "{\"kid\":\"%s\",\"x\":\"%s\",\"created_at\":\"soon\",\"retired_at\":null,\"storage\":\"file\"}]}",
    dlg_key_get_id (a), x);
  const char *cases[] = {
    "", "{", "[]", "{\"format\":\"diligence-keys/2\",\"keys\":[]}", "{\"format\":\"diligence-keys/1\"}",
    "{\"format\":\"diligence-keys/1\",\"keys\":[{}]}", two_current, listed_twice, wrong_kid, bad_storage, bad_date,
  };

  g_assert_cmpint (g_mkdir_with_parents (f->dir, 0700), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DlgKeyring) keyring = dlg_keyring_new (f->dir, DLG_KEYRING_FLAGS_FILE_ONLY);
      g_autoptr(GError) error = NULL;
      g_autoptr(DlgKey) key = NULL;
      g_autofree char *after = NULL;

      g_test_message ("case %u", i);
      g_assert_true (g_file_set_contents (index, cases[i], -1, NULL));

      key = run (keyring, LOAD_OR_CREATE, NULL, &error);
      g_assert_error (error, DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_CORRUPT);
      g_test_message ("→ %s", error->message);
      g_assert_null (key);
      g_clear_error (&error);

      key = run (keyring, ROTATE, NULL, &error);
      g_assert_error (error, DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_CORRUPT);
      g_clear_error (&error);

      /* Never overwritten. */
      g_assert_true (g_file_get_contents (index, &after, NULL, NULL));
      g_assert_cmpstr (after, ==, cases[i]);
    }
}

static guint
count_secrets (void)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GList *items = secret_password_searchv_sync (&schema, attributes, SECRET_SEARCH_ALL, NULL, &error);
  guint n = g_list_length (items);

  g_assert_no_error (error);
  g_list_free_full (items, g_object_unref);
  return n;
}

/* Writes that fail leave the previous state current. Root, who runs CI,
 * ignores permissions, so the failures are made otherwise: a keys folder
 * that is a dangling symbolic link (reads find nothing, writes fail), and
 * a file size limit. */
static void
test_write_failure (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *parent = g_path_get_dirname (f->dir);
  g_autofree char *dangling = g_build_filename (parent, "dangling", NULL);
  g_autofree char *absent = g_build_filename (parent, "absent", "keys", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgKey) key = NULL;
  guint n_secrets;

  g_assert_cmpint (symlink (absent, dangling), ==, 0);

  {
    g_autoptr(DlgKeyring) keyring = dlg_keyring_new (dangling, DLG_KEYRING_FLAGS_FILE_ONLY);

    key = run (keyring, LOAD_OR_CREATE, NULL, &error);
    g_assert_error (error, DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_WRITE);
    g_test_message ("→ %s", error->message);
    g_assert_null (key);
    g_assert_null (dlg_keyring_get_current (keyring));
    g_assert_cmpint (dlg_keyring_get_storage (keyring), ==, DLG_KEYRING_STORAGE_NONE);
    g_clear_error (&error);
  }

  /* Stored in the keyring, but keys.json cannot be written: the new key
   * is taken out of the keyring again. */
  {
    g_autoptr(DlgKeyring) keyring = dlg_keyring_new (dangling, DLG_KEYRING_FLAGS_NONE);

    n_secrets = count_secrets ();
    key = run (keyring, LOAD_OR_CREATE, NULL, &error);
    g_assert_error (error, DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_WRITE);
    g_assert_null (key);
    g_clear_error (&error);
    g_assert_cmpuint (count_secrets (), ==, n_secrets);
  }

  g_assert_false (g_file_test (absent, G_FILE_TEST_EXISTS));

  /* A rotation that cannot save keeps the previous key current, on disk
   * and in memory. */
  {
    g_autoptr(DlgKeyring) keyring = dlg_keyring_new (f->dir, DLG_KEYRING_FLAGS_FILE_ONLY);
    g_autoptr(DlgKeyring) again = NULL;
    g_autoptr(DlgKey) second = NULL;
    g_autoptr(DlgKey) loaded = NULL;
    struct rlimit saved, small;

    key = run (keyring, LOAD_OR_CREATE, NULL, &error);
    g_assert_no_error (error);

    g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
    small = saved;
    small.rlim_cur = 64;
    signal (SIGXFSZ, SIG_IGN);
    g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &small), ==, 0);

    second = run (keyring, ROTATE, NULL, &error);

    g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
    signal (SIGXFSZ, SIG_DFL);

    g_assert_error (error, DLG_KEYRING_ERROR, DLG_KEYRING_ERROR_WRITE);
    g_test_message ("→ %s", error->message);
    g_assert_null (second);
    g_assert_true (dlg_keyring_get_current (keyring) == key);
    g_clear_error (&error);

    again = dlg_keyring_new (f->dir, DLG_KEYRING_FLAGS_FILE_ONLY);
    loaded = run (again, LOAD, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (dlg_key_equal (loaded, key));
    {
      g_autoptr(GPtrArray) list = dlg_keyring_list_keys (again);

      g_assert_cmpuint (list->len, ==, 1);
    }
  }
}

static void
cancel_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_cancel_and_busy (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(DlgKeyring) keyring = dlg_keyring_new (f->dir, DLG_KEYRING_FLAGS_FILE_ONLY);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgKey) key = NULL;
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(DlgKey) k1 = NULL;
  g_autoptr(DlgKey) k2 = NULL;

  g_cancellable_cancel (cancellable);
  key = run (keyring, LOAD_OR_CREATE, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (key);
  g_assert_false (g_file_test (f->dir, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* One operation at a time. */
  dlg_keyring_load_or_create_async (keyring, NULL, cancel_cb, &first);
  dlg_keyring_load_or_create_async (keyring, NULL, cancel_cb, &second);
  while (first == NULL || second == NULL)
    g_main_context_iteration (NULL, TRUE);
  k1 = dlg_keyring_load_or_create_finish (keyring, first, &error);
  g_assert_no_error (error);
  k2 = dlg_keyring_load_or_create_finish (keyring, second, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_assert_null (k2);
  g_clear_error (&error);

  /* And the next one works. */
  key = run (keyring, LOAD, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dlg_key_equal (key, k1));
}

static void
test_default_directory (void)
{
  g_autofree char *dir = dlg_keyring_get_default_directory ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "io.github.diligence.Diligence", "keys", NULL);
  g_autoptr(DlgKeyring) keyring = dlg_keyring_new (NULL, DLG_KEYRING_FLAGS_NONE);

  g_assert_cmpstr (dir, ==, expected);
  g_assert_cmpstr (dlg_keyring_get_directory (keyring), ==, expected);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *secrets_dir = NULL;
  g_autofree char *secrets = NULL;
  int status;

  /* A private keyring file for this run; see the comment at the top. */
  secrets_dir = g_dir_make_tmp ("dlg-secrets-XXXXXX", NULL);
  secrets = g_build_filename (secrets_dir, "test.keyring", NULL);
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  if (g_getenv ("SECRET_FILE_TEST_PATH") == NULL)
    g_setenv ("SECRET_FILE_TEST_PATH", secrets, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "diligence-test", TRUE);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
#define ADD_LIBSECRET(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up_libsecret, func, fixture_tear_down_libsecret)

  g_test_add_func ("/keyring/default-directory", test_default_directory);
  ADD_LIBSECRET ("/keyring/secret-service", test_secret_service);
  ADD_LIBSECRET ("/keyring/rotate-secret-service", test_rotate_secret_service);
  ADD ("/keyring/file", test_file);
  ADD ("/keyring/rotate-file", test_rotate_file);
  ADD ("/keyring/fallback-no-bus", test_fallback_no_bus);
  ADD ("/keyring/fallback-locked-backend", test_fallback_locked_backend);
  ADD_LIBSECRET ("/keyring/missing", test_missing);
  ADD ("/keyring/missing-file", test_missing_file);
  ADD ("/keyring/corrupt-index", test_corrupt_index);
  ADD_LIBSECRET ("/keyring/write-failure", test_write_failure);
  ADD ("/keyring/cancel-and-busy", test_cancel_and_busy);

#undef ADD
#undef ADD_LIBSECRET

  status = g_test_run ();

  if (!g_test_subprocess ())
    {
      g_unlink (g_getenv ("SECRET_FILE_TEST_PATH"));
      g_rmdir (secrets_dir);
    }
  return status;
}
