/* dlg-assessment.h - the answers given to one questionnaire
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "dlg-questionnaire.h"

G_BEGIN_DECLS

#define DLG_ANSWERS_FORMAT "diligence-answers/1"

#define DLG_ASSESSMENT_ERROR (dlg_assessment_error_quark ())

typedef enum
{
  DLG_ASSESSMENT_ERROR_UNKNOWN_QUESTION,
  DLG_ASSESSMENT_ERROR_INVALID_VALUE,
  DLG_ASSESSMENT_ERROR_INVALID_FILE,
} DlgAssessmentError;

typedef struct
{
  char *name;
  char *sha256;   /* lower-case hex */
} DlgEvidenceRef;

/* Evidence names become file names again when opened: no longer than
 * a file name may be on Linux. */
#define DLG_EVIDENCE_NAME_MAX 255

/**
 * DlgAnswer:
 *
 * One answer. Which value field is used depends on the question's type:
 * @string for single choice, yes/no (the option id), text and date
 * ("YYYY-MM-DD"); @choices for multiple choice; @number for numbers.
 * An answer may carry a comment or evidence before it has a value; it
 * counts as answered only when @has_value is %TRUE.
 */
typedef struct
{
  const DlgQuestion *question;
  gboolean           has_value;
  char              *string;
  GPtrArray         *choices;   /* char*, option ids in the order given */
  double             number;
  char              *comment;
  GPtrArray         *evidence;  /* DlgEvidenceRef* */
} DlgAnswer;

#define DLG_TYPE_ASSESSMENT (dlg_assessment_get_type ())

G_DECLARE_FINAL_TYPE (DlgAssessment, dlg_assessment, DLG, ASSESSMENT, GObject)

GQuark            dlg_assessment_error_quark      (void);

DlgAssessment    *dlg_assessment_new              (DlgQuestionnaire  *questionnaire);
DlgAssessment    *dlg_assessment_new_from_answers (DlgQuestionnaire  *questionnaire,
                                                   GBytes            *bytes,
                                                   GPtrArray         *diagnostics,
                                                   GError           **error);

gboolean          dlg_evidence_name_check         (const char        *name,
                                                   GError           **error);

DlgQuestionnaire *dlg_assessment_get_questionnaire (DlgAssessment    *self);
guint             dlg_assessment_get_revision     (DlgAssessment     *self);
const DlgAnswer  *dlg_assessment_get_answer       (DlgAssessment     *self,
                                                   const char        *question_id);
guint             dlg_assessment_get_n_answers    (DlgAssessment     *self);

gboolean          dlg_assessment_set_value        (DlgAssessment     *self,
                                                   const char        *question_id,
                                                   const DlgJsonValue *value,
                                                   GError           **error);
gboolean          dlg_assessment_set_choice       (DlgAssessment     *self,
                                                   const char        *question_id,
                                                   const char        *option_id,
                                                   GError           **error);
gboolean          dlg_assessment_set_choices      (DlgAssessment     *self,
                                                   const char        *question_id,
                                                   const char * const *option_ids,
                                                   GError           **error);
gboolean          dlg_assessment_set_text         (DlgAssessment     *self,
                                                   const char        *question_id,
                                                   const char        *text,
                                                   GError           **error);
gboolean          dlg_assessment_set_number       (DlgAssessment     *self,
                                                   const char        *question_id,
                                                   double             number,
                                                   GError           **error);
gboolean          dlg_assessment_set_date         (DlgAssessment     *self,
                                                   const char        *question_id,
                                                   const char        *iso_date,
                                                   GError           **error);
gboolean          dlg_assessment_clear_value      (DlgAssessment     *self,
                                                   const char        *question_id,
                                                   GError           **error);
gboolean          dlg_assessment_set_comment      (DlgAssessment     *self,
                                                   const char        *question_id,
                                                   const char        *comment,
                                                   GError           **error);
gboolean          dlg_assessment_add_evidence     (DlgAssessment     *self,
                                                   const char        *question_id,
                                                   const char        *name,
                                                   const char        *sha256,
                                                   GError           **error);

gboolean          dlg_assessment_remove_evidence  (DlgAssessment     *self,
                                                   const char        *question_id,
                                                   const char        *sha256,
                                                   GError           **error);

JsonNode         *dlg_assessment_to_json          (DlgAssessment     *self);
JsonNode         *dlg_answer_to_json              (const DlgAnswer   *answer);

gboolean          dlg_answer_has_choice           (const DlgAnswer   *answer,
                                                   const char        *option_id);

G_END_DECLS
