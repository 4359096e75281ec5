/* dlg-evaluation.h - visibility, progress, levels and scores of an assessment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "dlg-assessment.h"

G_BEGIN_DECLS

/**
 * DlgQuestionResult:
 * @in_scope: the question belongs to what is evaluated (always, or only
 *   quick-scan questions in a quick scan)
 * @visible: in scope, and its section's and its own conditions hold
 * @answered: visible and has a value
 * @level: the level of the answer, %DLG_LEVEL_NONE if unanswered or unscored
 * @has_score: the answer contributes to scores
 * @score: 0 to 1, when @has_score
 */
typedef struct
{
  gboolean in_scope;
  gboolean visible;
  gboolean answered;
  DlgLevel level;
  gboolean has_score;
  double   score;
} DlgQuestionResult;

/**
 * DlgSectionResult:
 * @in_scope: the section has questions in scope
 * @visible: in scope and its condition holds
 * @complete: every visible required question is answered
 * @critical_red: a critical question is answered red
 * @level: the section's level; %DLG_LEVEL_INCOMPLETE when incomplete
 *   (unless @critical_red), never green then
 * @level_if_complete: the level the answers so far give, as a provisional hint
 * @has_score: some answer has a score
 * @score: 0 to 100 (weighted mean), provisional while incomplete
 */
typedef struct
{
  const DlgSection *section;
  gboolean          in_scope;
  gboolean          visible;
  gboolean          complete;
  gboolean          critical_red;
  DlgLevel          level;
  DlgLevel          level_if_complete;
  gboolean          has_score;
  double            score;
  guint             n_visible;
  guint             n_answered;
  guint             n_required;
  guint             n_required_answered;
  guint             n_green;
  guint             n_amber;
  guint             n_red;
  guint             n_grey;
} DlgSectionResult;

typedef struct _DlgEvaluation DlgEvaluation;

struct _DlgEvaluation
{
  /*< public, read-only >*/
  DlgQuestionnaire  *questionnaire;
  gboolean           quick_scan;
  DlgQuestionResult *questions;   /* by question index */
  DlgSectionResult  *sections;    /* by section index */
  guint              n_sections;
  guint              n_questions;

  gboolean           complete;
  gboolean           critical_red;
  DlgLevel           level;
  DlgLevel           level_if_complete;
  gboolean           has_score;
  double             score;
  guint              n_required;
  guint              n_required_answered;
  guint              n_visible;
  guint              n_answered;
};

DlgEvaluation *dlg_evaluate                (DlgAssessment       *assessment,
                                            gboolean             quick_scan);
DlgEvaluation *dlg_evaluation_ref          (DlgEvaluation       *evaluation);
void           dlg_evaluation_unref        (DlgEvaluation       *evaluation);
double         dlg_evaluation_get_progress (const DlgEvaluation *evaluation);
const DlgQuestionResult *
               dlg_evaluation_get_question (const DlgEvaluation *evaluation,
                                            const DlgQuestion   *question);
const DlgSectionResult *
               dlg_evaluation_get_section  (const DlgEvaluation *evaluation,
                                            const DlgSection    *section);
JsonNode      *dlg_evaluation_to_json      (const DlgEvaluation *evaluation,
                                            const char          *language);

gboolean       dlg_condition_holds         (const DlgCondition  *condition,
                                            DlgAssessment       *assessment,
                                            const DlgQuestionResult *results);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlgEvaluation, dlg_evaluation_unref)

G_END_DECLS
