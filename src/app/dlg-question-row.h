/* dlg-question-row.h - one question with its answer controls
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dlg-core.h"

G_BEGIN_DECLS

#define DLG_TYPE_QUESTION_ROW (dlg_question_row_get_type ())

G_DECLARE_FINAL_TYPE (DlgQuestionRow, dlg_question_row, DLG, QUESTION_ROW, GtkWidget)

GtkWidget         *dlg_question_row_new           (void);
void               dlg_question_row_bind          (DlgQuestionRow          *self,
                                                   DlgAssessment           *assessment,
                                                   const DlgQuestion       *question,
                                                   const char              *language,
                                                   guint                    number);
void               dlg_question_row_unbind        (DlgQuestionRow          *self);
const DlgQuestion *dlg_question_row_get_question  (DlgQuestionRow          *self);
void               dlg_question_row_update_result (DlgQuestionRow          *self,
                                                   const DlgQuestionResult *result);
gboolean           dlg_question_row_focus_answer  (DlgQuestionRow          *self);
void               dlg_question_row_set_to_confirm (DlgQuestionRow         *self,
                                                   gboolean                 to_confirm);
gboolean           dlg_question_row_get_to_confirm (DlgQuestionRow         *self);
void               dlg_question_row_set_read_only (DlgQuestionRow          *self,
                                                   gboolean                 read_only);

G_END_DECLS
