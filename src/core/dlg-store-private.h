/* dlg-store-private.h - what the files of the store share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "dlg-store.h"

G_BEGIN_DECLS

sqlite3  *dlg_store_get_db (DlgStore  *self);
gboolean  dlg_store_fail   (DlgStore  *self,
                            int        rc,
                            GError   **error);

/* sqlite3_total_changes64() when the last copy was begun (see
 * dlg-store-backup.c). */
gint64    dlg_store_get_backup_mark (DlgStore *self);
void      dlg_store_set_backup_mark (DlgStore *self,
                                     gint64    mark);

G_END_DECLS
