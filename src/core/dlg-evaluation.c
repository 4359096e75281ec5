/* dlg-evaluation.c - visibility, progress, levels and scores of an assessment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rules are those of docs/questionnaire-format.md, "Scoring". One pass
 * in document order is enough: conditions only look at earlier questions,
 * whose visibility is then already known.
 */

#define G_LOG_DOMAIN "dlg-evaluation"

#include "config.h"

#include <math.h>
#include <string.h>

#include "dlg-evaluation.h"

static gboolean
value_equals (const DlgQuestion *q,
              const DlgAnswer   *answer,
              const DlgJsonValue *value)
{
  switch (q->type)
    {
    case DLG_QUESTION_MULTIPLE_CHOICE:
      return dlg_answer_has_choice (answer, value->string);

    case DLG_QUESTION_NUMBER:
      return answer->number == value->number;

    case DLG_QUESTION_SINGLE_CHOICE:
    case DLG_QUESTION_YES_NO:
    case DLG_QUESTION_TEXT:
    case DLG_QUESTION_DATE:
    default:
      return g_strcmp0 (answer->string, value->string) == 0;
    }
}

/**
 * dlg_condition_holds:
 * @results: the results of every earlier question, for their visibility
 *
 * A hidden question counts as unanswered.
 */
gboolean
dlg_condition_holds (const DlgCondition      *cond,
                     DlgAssessment           *assessment,
                     const DlgQuestionResult *results)
{
  const DlgAnswer *answer = NULL;

  if (cond == NULL)
    return TRUE;

  if (cond->question != NULL && results[cond->question->index].visible)
    {
      answer = dlg_assessment_get_answer (assessment, cond->question->id);
      if (answer != NULL && !answer->has_value)
        answer = NULL;
    }

  switch (cond->kind)
    {
    case DLG_CONDITION_EQUALS:
    case DLG_CONDITION_ANY_OF:
      if (answer == NULL)
        return FALSE;
      for (guint i = 0; i < cond->values->len; i++)
        if (value_equals (cond->question, answer, g_ptr_array_index (cond->values, i)))
          return TRUE;
      return FALSE;

    case DLG_CONDITION_ANSWERED:
      return (answer != NULL) == cond->answered;

    case DLG_CONDITION_NOT:
      return !dlg_condition_holds (g_ptr_array_index (cond->children, 0), assessment, results);

    case DLG_CONDITION_ALL:
      for (guint i = 0; i < cond->children->len; i++)
        if (!dlg_condition_holds (g_ptr_array_index (cond->children, i), assessment, results))
          return FALSE;
      return TRUE;

    case DLG_CONDITION_ANY:
      for (guint i = 0; i < cond->children->len; i++)
        if (dlg_condition_holds (g_ptr_array_index (cond->children, i), assessment, results))
          return TRUE;
      return FALSE;

    default:
      g_return_val_if_reached (FALSE);
    }
}

static void
evaluate_answer (const DlgQuestion *q,
                 const DlgAnswer   *answer,
                 DlgQuestionResult *r)
{
  r->level = DLG_LEVEL_NONE;
  r->has_score = FALSE;
  r->score = 0;

  if (!dlg_question_is_scored (q))
    return;

  switch (q->type)
    {
    case DLG_QUESTION_SINGLE_CHOICE:
    case DLG_QUESTION_YES_NO:
      {
        const DlgOption *option = dlg_question_lookup_option (q, answer->string);

        g_assert (option != NULL);
        r->level = option->level;
        if (option->level != DLG_LEVEL_GREY && q->max_points > 0)
          {
            r->has_score = TRUE;
            r->score = option->points / q->max_points;
          }
      }
      break;

    case DLG_QUESTION_MULTIPLE_CHOICE:
      {
        double sum = 0;
        guint n = 0;

        /* As good as the worst selected option; scored by their mean. */
        r->level = DLG_LEVEL_GREY;
        for (guint i = 0; i < answer->choices->len; i++)
          {
            const DlgOption *option = dlg_question_lookup_option (q, g_ptr_array_index (answer->choices, i));

            g_assert (option != NULL);
            if (option->level == DLG_LEVEL_GREY)
              continue;
            r->level = dlg_level_worst (r->level, option->level);
            sum += option->points;
            n++;
          }
        if (n > 0 && q->max_points > 0)
          {
            r->has_score = TRUE;
            r->score = (sum / n) / q->max_points;
          }
      }
      break;

    case DLG_QUESTION_NUMBER:
      for (guint i = 0; i < q->bands->len; i++)
        {
          const DlgBand *band = &g_array_index (q->bands, DlgBand, i);

          if ((band->has_min && answer->number < band->min) ||
              (band->has_max && answer->number > band->max))
            continue;

          r->level = band->level;
          if (band->level != DLG_LEVEL_GREY && q->max_points > 0)
            {
              r->has_score = TRUE;
              r->score = band->points / q->max_points;
            }
          break;
        }
      break;

    case DLG_QUESTION_TEXT:
    case DLG_QUESTION_DATE:
    default:
      break;
    }
}

static DlgLevel
level_from_score (const DlgScoring *scoring,
                  double            score)
{
  /* Scores are compared after rounding to a hundredth of a percent, so that
   * 80 % made of thirds is not amber by a rounding error. */
  double rounded = round (score * 100) / 100;

  if (rounded >= scoring->green)
    return DLG_LEVEL_GREEN;
  if (rounded >= scoring->amber)
    return DLG_LEVEL_AMBER;
  return DLG_LEVEL_RED;
}

static void
finish_section (DlgSectionResult *sr,
                double            weighted_sum,
                double            weight_total,
                DlgLevel          worst)
{
  const DlgSection *s = sr->section;

  sr->has_score = weight_total > 0;
  sr->score = sr->has_score ? 100.0 * weighted_sum / weight_total : 0;
  sr->complete = sr->n_required_answered == sr->n_required;

  if (s->scoring.method == DLG_SCORING_WEIGHTED)
    sr->level_if_complete = sr->has_score ? level_from_score (&s->scoring, sr->score) : DLG_LEVEL_GREY;
  else
    sr->level_if_complete = dlg_level_is_colour (worst) ? worst : DLG_LEVEL_GREY;

  if (sr->critical_red)
    sr->level = DLG_LEVEL_RED;
  else if (!sr->complete)
    sr->level = DLG_LEVEL_INCOMPLETE;
  else
    sr->level = sr->level_if_complete;
}

/**
 * dlg_evaluate:
 * @assessment: the answers
 * @quick_scan: evaluate only the quick-scan questions
 *
 * Returns: (transfer full): the evaluation of @assessment as it is now
 */
DlgEvaluation *
dlg_evaluate (DlgAssessment *assessment,
              gboolean       quick_scan)
{
  DlgQuestionnaire *questionnaire;
  DlgEvaluation *ev;
  const DlgScoring *scoring;
  double overall_sum = 0, overall_weight = 0;
  DlgLevel overall_worst = DLG_LEVEL_NONE;
  gboolean any_incomplete = FALSE;

  g_return_val_if_fail (DLG_IS_ASSESSMENT (assessment), NULL);

  questionnaire = dlg_assessment_get_questionnaire (assessment);
  scoring = dlg_questionnaire_get_scoring (questionnaire);

  ev = g_atomic_rc_box_new0 (DlgEvaluation);
  ev->questionnaire = g_object_ref (questionnaire);
  ev->quick_scan = quick_scan;
  ev->n_questions = dlg_questionnaire_get_n_questions (questionnaire);
  ev->n_sections = dlg_questionnaire_get_n_sections (questionnaire);
  ev->questions = g_new0 (DlgQuestionResult, MAX (ev->n_questions, 1));
  ev->sections = g_new0 (DlgSectionResult, MAX (ev->n_sections, 1));

  for (guint i = 0; i < ev->n_sections; i++)
    {
      const DlgSection *s = dlg_questionnaire_get_section (questionnaire, i);
      DlgSectionResult *sr = &ev->sections[i];
      double weighted_sum = 0, weight_total = 0;
      DlgLevel worst = DLG_LEVEL_NONE;

      sr->section = s;
      sr->in_scope = !quick_scan || s->n_quick_scan > 0;
      sr->visible = sr->in_scope && dlg_condition_holds (s->visible_if, assessment, ev->questions);

      for (guint j = 0; j < s->questions->len; j++)
        {
          const DlgQuestion *q = g_ptr_array_index (s->questions, j);
          DlgQuestionResult *r = &ev->questions[q->index];
          const DlgAnswer *answer;

          r->in_scope = !quick_scan || q->quick_scan;
          r->visible = sr->visible && r->in_scope &&
                       dlg_condition_holds (q->visible_if, assessment, ev->questions);
          if (!r->visible)
            continue;

          sr->n_visible++;
          if (q->required)
            sr->n_required++;

          answer = dlg_assessment_get_answer (assessment, q->id);
          if (answer == NULL || !answer->has_value)
            continue;

          r->answered = TRUE;
          sr->n_answered++;
          if (q->required)
            sr->n_required_answered++;

          evaluate_answer (q, answer, r);

          switch (r->level)
            {
            case DLG_LEVEL_GREEN: sr->n_green++; break;
            case DLG_LEVEL_AMBER: sr->n_amber++; break;
            case DLG_LEVEL_RED: sr->n_red++; break;
            case DLG_LEVEL_GREY: sr->n_grey++; break;
            case DLG_LEVEL_NONE:
            case DLG_LEVEL_INCOMPLETE:
            default:
              break;
            }

          if (r->level != DLG_LEVEL_NONE)
            worst = dlg_level_worst (worst, r->level);
          if (r->level == DLG_LEVEL_RED && q->critical)
            sr->critical_red = TRUE;
          if (r->has_score)
            {
              weighted_sum += q->weight * r->score;
              weight_total += q->weight;
            }
        }

      if (!sr->visible)
        continue;

      finish_section (sr, weighted_sum, weight_total, worst);

      ev->n_visible += sr->n_visible;
      ev->n_answered += sr->n_answered;
      ev->n_required += sr->n_required;
      ev->n_required_answered += sr->n_required_answered;
      ev->critical_red |= sr->critical_red;
      any_incomplete |= !sr->complete;

      if (dlg_level_is_colour (sr->level_if_complete))
        overall_worst = dlg_level_worst (overall_worst, sr->level_if_complete);
      if (sr->has_score)
        {
          overall_sum += s->weight * sr->score;
          overall_weight += s->weight;
        }
    }

  ev->complete = !any_incomplete;
  ev->has_score = overall_weight > 0;
  ev->score = ev->has_score ? overall_sum / overall_weight : 0;

  if (scoring->method == DLG_SCORING_WEIGHTED)
    ev->level_if_complete = ev->has_score ? level_from_score (scoring, ev->score) : DLG_LEVEL_GREY;
  else
    ev->level_if_complete = dlg_level_is_colour (overall_worst) ? overall_worst : DLG_LEVEL_GREY;

  if (ev->critical_red)
    ev->level = DLG_LEVEL_RED;
  else if (!ev->complete)
    ev->level = DLG_LEVEL_INCOMPLETE;
  else
    ev->level = ev->level_if_complete;

  return ev;
}

DlgEvaluation *
dlg_evaluation_ref (DlgEvaluation *evaluation)
{
  return g_atomic_rc_box_acquire (evaluation);
}

static void
evaluation_clear (DlgEvaluation *ev)
{
  g_clear_object (&ev->questionnaire);
  g_clear_pointer (&ev->questions, g_free);
  g_clear_pointer (&ev->sections, g_free);
}

void
dlg_evaluation_unref (DlgEvaluation *evaluation)
{
  g_atomic_rc_box_release_full (evaluation, (GDestroyNotify) evaluation_clear);
}

/**
 * dlg_evaluation_get_progress:
 *
 * Returns: answered visible required questions over visible required
 *   questions, from 0 to 1; 1 when nothing is required
 */
double
dlg_evaluation_get_progress (const DlgEvaluation *evaluation)
{
  if (evaluation->n_required == 0)
    return 1.0;
  return (double) evaluation->n_required_answered / evaluation->n_required;
}

const DlgQuestionResult *
dlg_evaluation_get_question (const DlgEvaluation *evaluation,
                             const DlgQuestion   *question)
{
  g_return_val_if_fail (question->index < evaluation->n_questions, NULL);
  return &evaluation->questions[question->index];
}

const DlgSectionResult *
dlg_evaluation_get_section (const DlgEvaluation *evaluation,
                            const DlgSection    *section)
{
  g_return_val_if_fail (section->index < evaluation->n_sections, NULL);
  return &evaluation->sections[section->index];
}

static void
add_score (JsonBuilder *b,
           gboolean     has_score,
           double       score)
{
  json_builder_set_member_name (b, "score");
  if (has_score)
    json_builder_add_double_value (b, round (score * 10) / 10);
  else
    json_builder_add_null_value (b);
}

/**
 * dlg_evaluation_to_json:
 * @language: (nullable): the language for titles
 *
 * Returns: (transfer full): the evaluation as `diligence-tool score --json`
 *   prints it (docs/cli.md)
 */
JsonNode *
dlg_evaluation_to_json (const DlgEvaluation *ev,
                        const char          *language)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "questionnaire");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, dlg_questionnaire_get_id (ev->questionnaire));
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, dlg_questionnaire_get_version (ev->questionnaire));
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, dlg_text_get (dlg_questionnaire_get_title (ev->questionnaire), language));
  json_builder_end_object (b);

  json_builder_set_member_name (b, "quick_scan");
  json_builder_add_boolean_value (b, ev->quick_scan);
  json_builder_set_member_name (b, "level");
  json_builder_add_string_value (b, dlg_level_to_string (ev->level));
  json_builder_set_member_name (b, "level_if_complete");
  json_builder_add_string_value (b, dlg_level_to_string (ev->level_if_complete));
  add_score (b, ev->has_score, ev->score);
  json_builder_set_member_name (b, "complete");
  json_builder_add_boolean_value (b, ev->complete);
  json_builder_set_member_name (b, "critical_finding");
  json_builder_add_boolean_value (b, ev->critical_red);
  json_builder_set_member_name (b, "required");
  json_builder_add_int_value (b, ev->n_required);
  json_builder_set_member_name (b, "required_answered");
  json_builder_add_int_value (b, ev->n_required_answered);

  json_builder_set_member_name (b, "sections");
  json_builder_begin_array (b);
  for (guint i = 0; i < ev->n_sections; i++)
    {
      const DlgSectionResult *sr = &ev->sections[i];

      if (!sr->visible)
        continue;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, sr->section->id);
      json_builder_set_member_name (b, "title");
      json_builder_add_string_value (b, dlg_text_get (sr->section->title, language));
      json_builder_set_member_name (b, "level");
      json_builder_add_string_value (b, dlg_level_to_string (sr->level));
      json_builder_set_member_name (b, "level_if_complete");
      json_builder_add_string_value (b, dlg_level_to_string (sr->level_if_complete));
      add_score (b, sr->has_score, sr->score);
      json_builder_set_member_name (b, "complete");
      json_builder_add_boolean_value (b, sr->complete);
      json_builder_set_member_name (b, "critical_finding");
      json_builder_add_boolean_value (b, sr->critical_red);
      json_builder_set_member_name (b, "questions");
      json_builder_add_int_value (b, sr->n_visible);
      json_builder_set_member_name (b, "answered");
      json_builder_add_int_value (b, sr->n_answered);
      json_builder_set_member_name (b, "required");
      json_builder_add_int_value (b, sr->n_required);
      json_builder_set_member_name (b, "required_answered");
      json_builder_add_int_value (b, sr->n_required_answered);
      json_builder_set_member_name (b, "counts");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "green");
      json_builder_add_int_value (b, sr->n_green);
      json_builder_set_member_name (b, "amber");
      json_builder_add_int_value (b, sr->n_amber);
      json_builder_set_member_name (b, "red");
      json_builder_add_int_value (b, sr->n_red);
      json_builder_set_member_name (b, "grey");
      json_builder_add_int_value (b, sr->n_grey);
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "findings");
  json_builder_begin_array (b);
  for (guint i = 0; i < ev->n_questions; i++)
    {
      const DlgQuestionResult *r = &ev->questions[i];
      const DlgQuestion *q;

      if (!r->visible || (r->level != DLG_LEVEL_RED && r->level != DLG_LEVEL_AMBER))
        continue;

      q = dlg_questionnaire_get_question (ev->questionnaire, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "question");
      json_builder_add_string_value (b, q->id);
      json_builder_set_member_name (b, "level");
      json_builder_add_string_value (b, dlg_level_to_string (r->level));
      json_builder_set_member_name (b, "critical");
      json_builder_add_boolean_value (b, q->critical && r->level == DLG_LEVEL_RED);
      json_builder_set_member_name (b, "text");
      json_builder_add_string_value (b, dlg_text_get (q->text, language));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}
