/* test-sync-token.c - the sync token in the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libsecret's file backend stands in for the desktop keyring: a real
 * encrypted keyring file, private to this run, no daemon needed.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "dlg-test-server.h"

/* libsecret 0.20's file backend keeps the etag of each keyring write and
 * loses the previous one (a small string per write after the first). The
 * completions it dispatches are run with leak detection off, so that its
 * leak is not ours; everything this test and Diligence allocate outside
 * those callbacks is still checked. */
#if defined (__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define SYNC_TOKEN_TEST_WAIT_BEGIN() __lsan_disable ()
#define SYNC_TOKEN_TEST_WAIT_END() __lsan_enable ()
#endif

#include "sync-token-test-util.h"

static char *
lookup (const char *endpoint)
{
  g_autoptr(GError) error = NULL;
  char *token = token_lookup (endpoint, &error);

  g_assert_no_error (error);
  return token;
}

static void
test_token (void)
{
  g_autofree char *none = lookup ("https://a.example.org");
  g_autofree char *a = NULL, *a_slash = NULL, *b = NULL, *replaced = NULL, *gone = NULL;

  g_assert_null (none);

  token_store ("https://a.example.org", "dlg1.AAAAAAAAAAAA.first");
  token_store ("https://b.example.org/", "dlg1.BBBBBBBBBBBB.second");

  /* One token per server; a trailing slash is the same server. */
  a = lookup ("https://a.example.org");
  a_slash = lookup ("https://a.example.org/");
  b = lookup ("https://b.example.org");
  g_assert_cmpstr (a, ==, "dlg1.AAAAAAAAAAAA.first");
  g_assert_cmpstr (a_slash, ==, a);
  g_assert_cmpstr (b, ==, "dlg1.BBBBBBBBBBBB.second");

  token_store ("https://a.example.org", "dlg1.AAAAAAAAAAAA.new");
  replaced = lookup ("https://a.example.org");
  g_assert_cmpstr (replaced, ==, "dlg1.AAAAAAAAAAAA.new");

  token_clear ("https://a.example.org");
  token_clear ("https://a.example.org");
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
