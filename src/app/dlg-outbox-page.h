/* dlg-outbox-page.h - every signed document and what became of it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dlg-sync-service.h"

G_BEGIN_DECLS

#define DLG_TYPE_OUTBOX_PAGE (dlg_outbox_page_get_type ())

G_DECLARE_FINAL_TYPE (DlgOutboxPage, dlg_outbox_page, DLG, OUTBOX_PAGE, GtkWidget)

GtkWidget *dlg_outbox_page_new         (void);
void       dlg_outbox_page_set_service (DlgOutboxPage   *self,
                                        DlgSyncService  *service);
gboolean   dlg_outbox_page_save_file   (DlgOutboxPage   *self,
                                        const char      *id,
                                        const char      *path,
                                        GError         **error);

G_END_DECLS
