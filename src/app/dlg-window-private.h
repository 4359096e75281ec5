/* dlg-window-private.h - what the window's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window is split by concern: dlg-window.c (pages, saving, files of
 * the workspace) and dlg-window-reports.c (signing, opening and reviewing
 * reports). This header is for those two only.
 */

#pragma once

#include "dlg-home-page.h"
#include "dlg-window.h"

G_BEGIN_DECLS

typedef struct _DlgWindowReports DlgWindowReports;

/* dlg-window.c */
DlgStore         *dlg_window_get_store                 (DlgWindow        *self);
GtkStack         *dlg_window_get_main_stack            (DlgWindow        *self);
DlgHomePage      *dlg_window_get_home_page             (DlgWindow        *self);
DlgWindowReports *dlg_window_get_reports               (DlgWindow        *self);
void              dlg_window_add_toast                 (DlgWindow        *self,
                                                        AdwToast         *toast);
void              dlg_window_show_message              (DlgWindow        *self,
                                                        const char       *heading,
                                                        const char       *body);

/* dlg-window-reports.c */
void              dlg_window_reports_class_init        (GtkWidgetClass   *widget_class);
DlgWindowReports *dlg_window_reports_new               (DlgWindow        *self);
void              dlg_window_reports_free              (DlgWindowReports *reports);
void              dlg_window_reports_assessment_opened (DlgWindow        *self);
void              dlg_window_reports_home_shown        (DlgWindow        *self);

G_END_DECLS
