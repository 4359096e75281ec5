/* dlg-question-object.c - a question as a list model item
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Questions are plain structures owned by their questionnaire; list views
 * need objects. The wrapper keeps the questionnaire alive while it exists.
 */

#define G_LOG_DOMAIN "dlg-question-object"

#include "config.h"

#include "dlg-question-object.h"

struct _DlgQuestionObject
{
  GObject            parent_instance;

  DlgQuestionnaire  *questionnaire;
  const DlgQuestion *question;
  guint              number;
};

G_DEFINE_FINAL_TYPE (DlgQuestionObject, dlg_question_object, G_TYPE_OBJECT)

static void
dlg_question_object_finalize (GObject *object)
{
  DlgQuestionObject *self = (DlgQuestionObject *)object;

  g_clear_object (&self->questionnaire);

  G_OBJECT_CLASS (dlg_question_object_parent_class)->finalize (object);
}

static void
dlg_question_object_class_init (DlgQuestionObjectClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dlg_question_object_finalize;
}

static void
dlg_question_object_init (DlgQuestionObject *self)
{
}

/**
 * dlg_question_object_new:
 * @number: the question's number within its section, 1-based
 */
DlgQuestionObject *
dlg_question_object_new (DlgQuestionnaire  *questionnaire,
                         const DlgQuestion *question,
                         guint              number)
{
  DlgQuestionObject *self = g_object_new (DLG_TYPE_QUESTION_OBJECT, NULL);

  self->questionnaire = g_object_ref (questionnaire);
  self->question = question;
  self->number = number;
  return self;
}

const DlgQuestion *
dlg_question_object_get_question (DlgQuestionObject *self)
{
  g_return_val_if_fail (DLG_IS_QUESTION_OBJECT (self), NULL);
  return self->question;
}

guint
dlg_question_object_get_number (DlgQuestionObject *self)
{
  g_return_val_if_fail (DLG_IS_QUESTION_OBJECT (self), 0);
  return self->number;
}
