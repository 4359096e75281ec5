/* dlg-server-storage-sqlite.h - the SQLite backend of the server's storage
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dlg-server-storage.h"

G_BEGIN_DECLS

/* The SQLite backend: one file in WAL mode. Writes from every thread go
 * through one writer that commits them in groups; a syncer makes them
 * durable behind it before any is answered. */
#define DLG_TYPE_SERVER_STORAGE_SQLITE (dlg_server_storage_sqlite_get_type ())

G_DECLARE_FINAL_TYPE (DlgServerStorageSqlite, dlg_server_storage_sqlite, DLG, SERVER_STORAGE_SQLITE, GObject)

DlgServerStorage *dlg_server_storage_sqlite_open       (const char             *path,
                                                        GError                **error);
void              dlg_server_storage_sqlite_set_max_batch (DlgServerStorageSqlite *self,
                                                        guint                   max_batch);
void              dlg_server_storage_sqlite_limit_size (DlgServerStorageSqlite *self,
                                                        gint64                  max_bytes);
void              dlg_server_storage_sqlite_set_read_only (DlgServerStorageSqlite *self,
                                                        gboolean                read_only);
guint64           dlg_server_storage_sqlite_get_commits (DlgServerStorageSqlite *self);
guint64           dlg_server_storage_sqlite_get_syncs  (DlgServerStorageSqlite *self);
void              dlg_server_storage_sqlite_get_log_stats (DlgServerStorageSqlite *self,
                                                        guint64                *log_bytes,
                                                        gint64                 *commit_usec);

G_END_DECLS
