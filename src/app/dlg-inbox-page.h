/* dlg-inbox-page.h - reports and reviews others sent us
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dlg-sync-service.h"

G_BEGIN_DECLS

#define DLG_TYPE_INBOX_PAGE (dlg_inbox_page_get_type ())

G_DECLARE_FINAL_TYPE (DlgInboxPage, dlg_inbox_page, DLG, INBOX_PAGE, GtkWidget)

GtkWidget *dlg_inbox_page_new          (void);
void       dlg_inbox_page_set_service  (DlgInboxPage   *self,
                                        DlgSyncService *service);
void       dlg_inbox_page_show_details (DlgInboxPage   *self,
                                        const char     *id);

G_END_DECLS
