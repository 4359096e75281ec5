/* dlg-sync-token.h - the sync token, kept in the desktop keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DLG_SYNC_TOKEN_SCHEMA_NAME "io.github.diligence.Diligence.SyncToken"

void      dlg_sync_token_store_async   (const char           *endpoint,
                                        const char           *token,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean  dlg_sync_token_store_finish  (GAsyncResult         *result,
                                        GError              **error);
void      dlg_sync_token_lookup_async  (const char           *endpoint,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
char     *dlg_sync_token_lookup_finish (GAsyncResult         *result,
                                        GError              **error);
void      dlg_sync_token_clear_async   (const char           *endpoint,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean  dlg_sync_token_clear_finish  (GAsyncResult         *result,
                                        GError              **error);

G_END_DECLS
