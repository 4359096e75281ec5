/* dlg-assessment-page.h - answering a questionnaire, section by section
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

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

G_END_DECLS
