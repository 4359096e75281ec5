/* sync-service-test-util.h - driving the app's sync service from tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dlg-sync-service.h"
#include "test-util.h"

G_BEGIN_DECLS

/* For wait_until(): the service has nothing under way. */
static inline gboolean
sync_service_not_busy (gpointer service)
{
  return !dlg_sync_service_get_busy (service);
}

typedef struct
{
  gboolean  done;
  GError   *error;
} SyncServiceTokenWait;

static inline void
sync_service_token_set_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  SyncServiceTokenWait *wait = user_data;

  if (!dlg_sync_service_set_token_finish (DLG_SYNC_SERVICE (source), result, &wait->error))
    g_assert_nonnull (wait->error);
  wait->done = TRUE;
}

static inline gboolean
sync_service_token_done (gpointer data)
{
  return ((SyncServiceTokenWait *) data)->done;
}

/* Sets the token as Preferences does, and waits until the keyring (or its
 * absence) answered. Returns the error, if any. */
static inline GError *
sync_service_set_token (DlgSyncService *service,
                        const char     *token)
{
  SyncServiceTokenWait wait = { FALSE, NULL };

  dlg_sync_service_set_token_async (service, token, NULL, sync_service_token_set_cb, &wait);
  g_assert_true (wait_until (sync_service_token_done, &wait));
  return wait.error;
}

G_END_DECLS
