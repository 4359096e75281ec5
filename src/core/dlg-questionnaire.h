/* dlg-questionnaire.h - a questionnaire: sections, questions, options, rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "dlg-json.h"
#include "dlg-level.h"
#include "dlg-text.h"

G_BEGIN_DECLS

#define DLG_QUESTIONNAIRE_FORMAT "diligence-questionnaire/1"

#define DLG_QUESTIONNAIRE_ERROR (dlg_questionnaire_error_quark ())

typedef enum
{
  /* The bytes are not a JSON document we accept. */
  DLG_QUESTIONNAIRE_ERROR_SYNTAX,
  /* The JSON does not describe a valid questionnaire. */
  DLG_QUESTIONNAIRE_ERROR_INVALID,
} DlgQuestionnaireError;

typedef enum
{
  DLG_KIND_DUE_DILIGENCE,
  DLG_KIND_CHARTER,
  DLG_KIND_CUSTOM,
} DlgKind;

typedef enum
{
  DLG_QUESTION_SINGLE_CHOICE,
  DLG_QUESTION_MULTIPLE_CHOICE,
  DLG_QUESTION_YES_NO,
  DLG_QUESTION_TEXT,
  DLG_QUESTION_NUMBER,
  DLG_QUESTION_DATE,
} DlgQuestionType;

typedef enum
{
  DLG_EVIDENCE_NONE,
  DLG_EVIDENCE_OPTIONAL,
  DLG_EVIDENCE_REQUIRED,
} DlgEvidence;

typedef enum
{
  DLG_SCORING_WORST,
  DLG_SCORING_WEIGHTED,
} DlgScoringMethod;

typedef struct
{
  DlgScoringMethod method;
  double           green;
  double           amber;
} DlgScoring;

typedef struct _DlgSection   DlgSection;
typedef struct _DlgQuestion  DlgQuestion;
typedef struct _DlgCondition DlgCondition;

typedef struct
{
  const char *id;
  DlgText  *label;      /* NULL for yes/no options without an author's label */
  DlgLevel  level;
  double    points;
  gboolean  exclusive;
} DlgOption;

typedef struct
{
  gboolean has_min;
  gboolean has_max;
  double   min;
  double   max;
  DlgLevel level;
  double   points;
} DlgBand;

typedef enum
{
  DLG_CONDITION_EQUALS,
  DLG_CONDITION_ANY_OF,
  DLG_CONDITION_ANSWERED,
  DLG_CONDITION_NOT,
  DLG_CONDITION_ALL,
  DLG_CONDITION_ANY,
} DlgConditionKind;

struct _DlgCondition
{
  DlgConditionKind  kind;
  DlgQuestion      *question;  /* EQUALS, ANY_OF, ANSWERED */
  GPtrArray        *values;    /* EQUALS (one), ANY_OF: DlgJsonValue* */
  gboolean          answered;  /* ANSWERED */
  GPtrArray        *children;  /* NOT (one), ALL, ANY: DlgCondition* */
};

/* The fields of these structures are read-only: the questionnaire owns
 * them, and they never change once it is loaded. */

struct _DlgQuestion
{
  const char      *id;
  guint            index;       /* in the whole questionnaire */
  DlgSection      *section;
  DlgQuestionType  type;
  DlgText         *text;
  DlgText         *guidance;
  DlgText         *unit;
  gboolean         required;
  gboolean         critical;
  gboolean         quick_scan;
  gboolean         integer;
  gboolean         has_min;
  gboolean         has_max;
  double           min;
  double           max;
  double           weight;
  double           max_points;  /* the best points an answer can get */
  DlgEvidence      evidence;
  DlgCondition    *visible_if;
  GPtrArray       *options;     /* DlgOption*, empty for unscored types */
  GArray          *bands;       /* DlgBand */
};

struct _DlgSection
{
  const char   *id;
  guint         index;
  DlgText      *title;
  DlgText      *description;
  double        weight;
  DlgScoring    scoring;
  DlgCondition *visible_if;
  GPtrArray    *questions;      /* DlgQuestion*, owned by the questionnaire */
  guint         n_quick_scan;
};

#define DLG_TYPE_QUESTIONNAIRE (dlg_questionnaire_get_type ())

G_DECLARE_FINAL_TYPE (DlgQuestionnaire, dlg_questionnaire, DLG, QUESTIONNAIRE, GObject)

GQuark              dlg_questionnaire_error_quark        (void);

DlgQuestionnaire   *dlg_questionnaire_new_from_data      (const char        *data,
                                                          gsize              length,
                                                          GPtrArray         *diagnostics,
                                                          GError           **error);
DlgQuestionnaire   *dlg_questionnaire_new_from_bytes     (GBytes            *bytes,
                                                          GPtrArray         *diagnostics,
                                                          GError           **error);

const char         *dlg_questionnaire_get_id             (DlgQuestionnaire  *self);
const char         *dlg_questionnaire_get_version        (DlgQuestionnaire  *self);
DlgKind             dlg_questionnaire_get_kind           (DlgQuestionnaire  *self);
const char         *dlg_questionnaire_get_default_language (DlgQuestionnaire *self);
const char * const *dlg_questionnaire_get_languages      (DlgQuestionnaire  *self);
const DlgText      *dlg_questionnaire_get_title          (DlgQuestionnaire  *self);
const DlgText      *dlg_questionnaire_get_description    (DlgQuestionnaire  *self);
const DlgText      *dlg_questionnaire_get_publisher      (DlgQuestionnaire  *self);
const DlgScoring   *dlg_questionnaire_get_scoring        (DlgQuestionnaire  *self);
const char         *dlg_questionnaire_get_checksum       (DlgQuestionnaire  *self);
GBytes             *dlg_questionnaire_get_bytes          (DlgQuestionnaire  *self);

guint               dlg_questionnaire_get_n_sections     (DlgQuestionnaire  *self);
DlgSection         *dlg_questionnaire_get_section        (DlgQuestionnaire  *self,
                                                          guint              index);
guint               dlg_questionnaire_get_n_questions    (DlgQuestionnaire  *self);
DlgQuestion        *dlg_questionnaire_get_question       (DlgQuestionnaire  *self,
                                                          guint              index);
DlgQuestion        *dlg_questionnaire_lookup_question    (DlgQuestionnaire  *self,
                                                          const char        *id);
DlgSection         *dlg_questionnaire_lookup_section     (DlgQuestionnaire  *self,
                                                          const char        *id);
guint               dlg_questionnaire_get_n_quick_scan   (DlgQuestionnaire  *self);

const char         *dlg_kind_to_string                   (DlgKind            kind);
const char         *dlg_kind_get_label                   (DlgKind            kind);
const char         *dlg_question_type_to_string          (DlgQuestionType    type);
gboolean            dlg_question_is_scored               (const DlgQuestion *question);
gboolean            dlg_question_is_choice               (const DlgQuestion *question);
const DlgOption    *dlg_question_lookup_option           (const DlgQuestion *question,
                                                          const char        *option_id);
const char         *dlg_option_get_label                 (const DlgOption   *option,
                                                          const char        *language);

G_END_DECLS
