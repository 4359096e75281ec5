/* dlg-progress-page.h - progress over time, as a chart and a table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dlg-core.h"

G_BEGIN_DECLS

#define DLG_TYPE_PROGRESS_PAGE (dlg_progress_page_get_type ())

G_DECLARE_FINAL_TYPE (DlgProgressPage, dlg_progress_page, DLG, PROGRESS_PAGE, GtkWidget)

GtkWidget *dlg_progress_page_new         (void);
void       dlg_progress_page_set_periods (DlgProgressPage *self,
                                          GPtrArray       *periods,
                                          const char      *current_id);
GPtrArray *dlg_progress_page_get_periods (DlgProgressPage *self);

G_END_DECLS
