/* dlg-question-object.h - a question as a list model item
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "dlg-core.h"

G_BEGIN_DECLS

#define DLG_TYPE_QUESTION_OBJECT (dlg_question_object_get_type ())

G_DECLARE_FINAL_TYPE (DlgQuestionObject, dlg_question_object, DLG, QUESTION_OBJECT, GObject)

DlgQuestionObject *dlg_question_object_new          (DlgQuestionnaire  *questionnaire,
                                                     const DlgQuestion *question,
                                                     guint              number);
const DlgQuestion *dlg_question_object_get_question (DlgQuestionObject *self);
guint              dlg_question_object_get_number   (DlgQuestionObject *self);

G_END_DECLS
