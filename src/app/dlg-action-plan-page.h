/* dlg-action-plan-page.h - the corrective action plan of an assessment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dlg-core.h"

G_BEGIN_DECLS

#define DLG_TYPE_ACTION_PLAN_PAGE (dlg_action_plan_page_get_type ())

G_DECLARE_FINAL_TYPE (DlgActionPlanPage, dlg_action_plan_page, DLG, ACTION_PLAN_PAGE, GtkWidget)

GtkWidget     *dlg_action_plan_page_new           (void);
void           dlg_action_plan_page_set_plan      (DlgActionPlanPage *self,
                                                   DlgActionPlan     *plan,
                                                   DlgQuestionnaire  *questionnaire,
                                                   const char        *language);
DlgActionPlan *dlg_action_plan_page_get_plan      (DlgActionPlanPage *self);
void           dlg_action_plan_page_set_user_name (DlgActionPlanPage *self,
                                                   const char        *name);
void           dlg_action_plan_page_set_today     (DlgActionPlanPage *self,
                                                   const GDate       *today);
void           dlg_action_plan_page_update        (DlgActionPlanPage *self);
GtkWidget     *dlg_action_plan_page_get_editor    (DlgActionPlanPage *self);
const char    *dlg_action_plan_page_get_done_finding (DlgActionPlanPage *self);

G_END_DECLS
