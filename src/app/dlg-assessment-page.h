/* dlg-assessment-page.h - answering a questionnaire, section by section
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dlg-action-plan-page.h"
#include "dlg-core.h"

G_BEGIN_DECLS

#define DLG_TYPE_ASSESSMENT_PAGE (dlg_assessment_page_get_type ())

G_DECLARE_FINAL_TYPE (DlgAssessmentPage, dlg_assessment_page, DLG, ASSESSMENT_PAGE, GtkWidget)

GtkWidget     *dlg_assessment_page_new            (void);
void           dlg_assessment_page_set_assessment (DlgAssessmentPage *self,
                                                   DlgAssessment     *assessment,
                                                   gboolean           quick_scan,
                                                   const char        *title);
DlgAssessment *dlg_assessment_page_get_assessment (DlgAssessmentPage *self);
DlgEvaluation *dlg_assessment_page_get_evaluation (DlgAssessmentPage *self);
void           dlg_assessment_page_show_question  (DlgAssessmentPage *self,
                                                   const DlgQuestion *question);
void           dlg_assessment_page_set_action_plan (DlgAssessmentPage *self,
                                                   DlgActionPlan     *plan);
DlgActionPlanPage *dlg_assessment_page_get_action_plan_page (DlgAssessmentPage *self);
void           dlg_assessment_page_set_unconfirmed (DlgAssessmentPage *self,
                                                   GHashTable        *question_ids);
void           dlg_assessment_page_mark_confirmed (DlgAssessmentPage  *self,
                                                   const char * const *question_ids);
gboolean       dlg_assessment_page_is_unconfirmed (DlgAssessmentPage *self,
                                                   const char        *question_id);
void           dlg_assessment_page_set_periods    (DlgAssessmentPage *self,
                                                   GPtrArray         *periods,
                                                   const char        *current_id);
void           dlg_assessment_page_show_page      (DlgAssessmentPage *self,
                                                   const char        *name);
const char    *dlg_assessment_page_get_visible_page (DlgAssessmentPage *self);
void           dlg_assessment_page_set_signed     (DlgAssessmentPage *self,
                                                   const char        *note);
gboolean       dlg_assessment_page_get_read_only  (DlgAssessmentPage *self);

G_END_DECLS
