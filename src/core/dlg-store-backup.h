/* dlg-store-backup.h - last good copies of the store, and restoring one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dlg-store.h"

G_BEGIN_DECLS

/* How many copies are kept; older ones are removed as new ones are made. */
#define DLG_STORE_BACKUPS_KEPT 3

/* How old the newest copy may be before opening the store makes another. */
#define DLG_STORE_BACKUP_INTERVAL (24 * G_TIME_SPAN_HOUR)

/**
 * DlgStoreBackup:
 * @path: the copy's file
 * @made_at: when it was made, in UTC
 *
 * One last good copy of a store: a complete SQLite database that passed
 * SQLite's integrity check when it was made.
 */
typedef struct
{
  char      *path;
  GDateTime *made_at;
} DlgStoreBackup;

void             dlg_store_backup_free          (DlgStoreBackup       *backup);
DlgStoreBackup  *dlg_store_backup_copy          (const DlgStoreBackup *backup);

char            *dlg_store_get_backup_dir       (const char           *store_path);
GPtrArray       *dlg_store_list_backups         (const char           *store_path,
                                                 GError              **error);

gboolean         dlg_store_backup_is_due        (DlgStore             *self,
                                                 GTimeSpan             max_age);
gboolean         dlg_store_changed_since_backup (DlgStore             *self);

DlgStoreBackup  *dlg_store_backup               (DlgStore             *self,
                                                 GCancellable         *cancellable,
                                                 GError              **error);
void             dlg_store_backup_async         (DlgStore             *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
DlgStoreBackup  *dlg_store_backup_finish        (DlgStore             *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

gboolean         dlg_store_check_not_lost       (const char           *store_path,
                                                 GError              **error);

DlgStore        *dlg_store_restore_backup       (const char           *store_path,
                                                 const DlgStoreBackup *backup,
                                                 char                **out_damaged_path,
                                                 GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlgStoreBackup, dlg_store_backup_free)

G_END_DECLS
