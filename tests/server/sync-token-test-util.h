/* sync-token-test-util.h - the core's keyring calls for the sync token,
 * made and waited for
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A test may define SYNC_TOKEN_TEST_WAIT_BEGIN() and _END() before
 * including this, to bracket each wait for libsecret's answer.
 */

#pragma once

#include "dlg-sync-token.h"
#include "../test-util.h"

#ifndef SYNC_TOKEN_TEST_WAIT_BEGIN
#define SYNC_TOKEN_TEST_WAIT_BEGIN()
#define SYNC_TOKEN_TEST_WAIT_END()
#endif

G_BEGIN_DECLS

typedef struct
{
  GAsyncResult *result;
} TokenWait;

static inline void
token_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  TokenWait *w = user_data;

  w->result = g_object_ref (result);
}

static inline gboolean
token_has_result (gpointer data)
{
  return ((TokenWait *) data)->result != NULL;
}

static inline GAsyncResult *
token_wait (TokenWait *w)
{
  gboolean done;

  SYNC_TOKEN_TEST_WAIT_BEGIN ();
  done = wait_until (token_has_result, w);
  SYNC_TOKEN_TEST_WAIT_END ();
  g_assert_true (done);
  return w->result;
}

static inline void
token_store (const char *endpoint,
             const char *token)
{
  TokenWait w = { NULL };
  g_autoptr(GError) error = NULL;

  dlg_sync_token_store_async (endpoint, token, NULL, token_done_cb, &w);
  g_assert_true (dlg_sync_token_store_finish (token_wait (&w), &error));
  g_assert_no_error (error);
  g_object_unref (w.result);
}

static inline char *
token_lookup (const char  *endpoint,
              GError     **error)
{
  TokenWait w = { NULL };
  char *token;

  dlg_sync_token_lookup_async (endpoint, NULL, token_done_cb, &w);
  token = dlg_sync_token_lookup_finish (token_wait (&w), error);
  g_object_unref (w.result);
  return token;
}

static inline void
token_clear (const char *endpoint)
{
  TokenWait w = { NULL };
  g_autoptr(GError) error = NULL;

  dlg_sync_token_clear_async (endpoint, NULL, token_done_cb, &w);
  g_assert_true (dlg_sync_token_clear_finish (token_wait (&w), &error));
  g_assert_no_error (error);
  g_object_unref (w.result);
}

G_END_DECLS
