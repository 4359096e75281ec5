/* dlg-home-page.h - the organisation's assessments
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dlg-core.h"

G_BEGIN_DECLS

#define DLG_TYPE_HOME_PAGE (dlg_home_page_get_type ())

G_DECLARE_FINAL_TYPE (DlgHomePage, dlg_home_page, DLG, HOME_PAGE, GtkWidget)

GtkWidget *dlg_home_page_new             (void);
void       dlg_home_page_set_assessments (DlgHomePage *self,
                                          GPtrArray   *infos,
                                          GPtrArray   *questionnaires);
guint      dlg_home_page_get_n_rows      (DlgHomePage *self);
void       dlg_home_page_set_received    (DlgHomePage   *self,
                                          GListModel    *received,
                                          DlgTrustStore *trust);
void       dlg_home_page_set_sync_status (DlgHomePage *self,
                                          guint        n_pending,
                                          guint        n_rejected,
                                          guint        n_unread);

G_END_DECLS
