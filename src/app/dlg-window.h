/* dlg-window.h - the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dlg-application.h"
#include "dlg-assessment-page.h"
#include "dlg-core.h"
#include "dlg-report-page.h"

G_BEGIN_DECLS

#define DLG_TYPE_WINDOW (dlg_window_get_type ())

G_DECLARE_FINAL_TYPE (DlgWindow, dlg_window, DLG, WINDOW, AdwApplicationWindow)

DlgWindow         *dlg_window_new                 (DlgApplication   *application);
void               dlg_window_open_assessment     (DlgWindow        *self,
                                                   const char       *id);
void               dlg_window_new_assessment      (DlgWindow        *self,
                                                   DlgQuestionnaire *first);
void               dlg_window_import_file         (DlgWindow        *self,
                                                   GFile            *file);
gboolean           dlg_window_flush               (DlgWindow        *self);
void               dlg_window_set_damaged_data_aside (DlgWindow     *self);
DlgAssessmentPage *dlg_window_get_assessment_page (DlgWindow        *self);
const char        *dlg_window_get_visible_page    (DlgWindow        *self);
const char        *dlg_window_get_assessment_id   (DlgWindow        *self);
DlgActionPlan     *dlg_window_get_action_plan     (DlgWindow        *self);
gboolean           dlg_window_export_action_plan  (DlgWindow        *self,
                                                   GFile            *file,
                                                   GError          **error);
void               dlg_window_import_action_plan  (DlgWindow        *self,
                                                   GFile            *file);
void               dlg_window_open_file           (DlgWindow        *self,
                                                   GFile            *file);
void               dlg_window_open_signed_file    (DlgWindow        *self,
                                                   GFile            *file);
void               dlg_window_open_signed_bytes   (DlgWindow        *self,
                                                   GBytes           *bytes);
DlgReportPage     *dlg_window_get_report_page     (DlgWindow        *self);
GtkWidget         *dlg_window_get_sign_window     (DlgWindow        *self);
gboolean           dlg_window_get_busy            (DlgWindow        *self);
void               dlg_window_show_outbox         (DlgWindow        *self);
void               dlg_window_show_inbox          (DlgWindow        *self);
char              *dlg_window_start_next_period   (DlgWindow        *self,
                                                   DlgQuestionnaire *questionnaire,
                                                   const char       *title,
                                                   const char       *period,
                                                   GError          **error);

G_END_DECLS
