/* dlg-inbox-row.h - one received report or review
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dlg-sync-service.h"

G_BEGIN_DECLS

#define DLG_TYPE_INBOX_ROW (dlg_inbox_row_get_type ())

G_DECLARE_FINAL_TYPE (DlgInboxRow, dlg_inbox_row, DLG, INBOX_ROW, GtkListBoxRow)

GtkWidget    *dlg_inbox_row_new         (DlgInboxItem *item);
DlgInboxItem *dlg_inbox_row_get_item    (DlgInboxRow  *self);
void          dlg_inbox_row_set_details (DlgInboxRow  *self,
                                         const char   *title,
                                         const char   *subtitle,
                                         DlgVerdict    verdict);

G_END_DECLS
