/* test-sync-token.c - the sync token in the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libsecret's file backend stands in for the desktop keyring: a real
 * encrypted keyring file, private to this run, no daemon needed.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "dlg-sync-token.h"
#include "dlg-test-server.h"

/* libsecret 0.20's file backend keeps the etag of each keyring write and
 * loses the previous one (a small string per write after the first). The
 * completions it dispatches are run with leak detection off, so that its
 * leak is not ours; everything this test and Diligence allocate outside
 * those callbacks is still checked. */
#if defined (__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define LIBSECRET_LEAKS_BEGIN() __lsan_disable ()
#define LIBSECRET_LEAKS_END() __lsan_enable ()
#else
#define LIBSECRET_LEAKS_BEGIN()
#define LIBSECRET_LEAKS_END()
#endif

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *w = user_data;

  w->result = g_object_ref (result);
}

static GAsyncResult *
wait_for (Wait *w)
{
  LIBSECRET_LEAKS_BEGIN ();
  for (guint i = 0; i < 100000 && w->result == NULL; i++)
    g_main_context_iteration (NULL, TRUE);
  LIBSECRET_LEAKS_END ();
  g_assert_nonnull (w->result);
  return w->result;
}

static void
store (const char *endpoint,
       const char *token)
{
  Wait w = { NULL };
  g_autoptr(GError) error = NULL;

  dlg_sync_token_store_async (endpoint, token, NULL, done_cb, &w);
  g_assert_true (dlg_sync_token_store_finish (wait_for (&w), &error));
  g_assert_no_error (error);
  g_object_unref (w.result);
}

static char *
lookup (const char *endpoint)
{
  Wait w = { NULL };
  g_autoptr(GError) error = NULL;
  char *token;

  dlg_sync_token_lookup_async (endpoint, NULL, done_cb, &w);
  token = dlg_sync_token_lookup_finish (wait_for (&w), &error);
  g_assert_no_error (error);
  g_object_unref (w.result);
  return token;
}

static void
clear (const char *endpoint)
{
  Wait w = { NULL };
  g_autoptr(GError) error = NULL;

  dlg_sync_token_clear_async (endpoint, NULL, done_cb, &w);
  g_assert_true (dlg_sync_token_clear_finish (wait_for (&w), &error));
  g_assert_no_error (error);
  g_object_unref (w.result);
}

static void
test_token (void)
{
  g_autofree char *none = lookup ("https://a.example.org");
  g_autofree char *a = NULL, *a_slash = NULL, *b = NULL, *replaced = NULL, *gone = NULL;

  g_assert_null (none);

  store ("https://a.example.org", "dlg1.AAAAAAAAAAAA.first");
  store ("https://b.example.org/", "dlg1.BBBBBBBBBBBB.second");

  /* One token per server; a trailing slash is the same server. */
  a = lookup ("https://a.example.org");
  a_slash = lookup ("https://a.example.org/");
  b = lookup ("https://b.example.org");
  g_assert_cmpstr (a, ==, "dlg1.AAAAAAAAAAAA.first");
  g_assert_cmpstr (a_slash, ==, a);
  g_assert_cmpstr (b, ==, "dlg1.BBBBBBBBBBBB.second");

  store ("https://a.example.org", "dlg1.AAAAAAAAAAAA.new");
  replaced = lookup ("https://a.example.org");
  g_assert_cmpstr (replaced, ==, "dlg1.AAAAAAAAAAAA.new");

  clear ("https://a.example.org");
  clear ("https://a.example.org");
  gone = lookup ("https://a.example.org");
  g_assert_null (gone);
  g_free (b);
  b = lookup ("https://b.example.org");
  g_assert_cmpstr (b, ==, "dlg1.BBBBBBBBBBBB.second");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = g_dir_make_tmp ("dlg-token-XXXXXX", NULL);
  g_autofree char *keyring = g_build_filename (dir, "test.keyring", NULL);
  int status;

  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "diligence-test", TRUE);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync-token/keyring", test_token);
  status = g_test_run ();

  dlg_test_remove_tree (dir);
  return status;
}
