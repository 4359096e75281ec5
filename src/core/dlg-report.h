/* dlg-report.h - a due-diligence report: what is signed and sent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "dlg-assessment.h"
#include "dlg-evaluation.h"
#include "dlg-jws.h"
#include "dlg-key.h"
#include "dlg-level.h"
#include "dlg-store.h"

G_BEGIN_DECLS

#define DLG_REPORT_FORMAT   "diligence-report/1"
/* The "typ" of the compact JWS that carries a report (docs/report-format.md). */
#define DLG_REPORT_JWS_TYPE DLG_JWS_TYP_REPORT

/* Limits a payload must respect; larger ones are refused before or while
 * parsing rather than held in memory. */
#define DLG_REPORT_MAX_SIZE       (32 * 1024 * 1024)
#define DLG_REPORT_MAX_ANSWERS    20000
#define DLG_REPORT_MAX_SECTIONS   20000
#define DLG_REPORT_MAX_RECIPIENTS 64
#define DLG_REPORT_MAX_EVIDENCE   256
#define DLG_REPORT_MAX_CHOICES    1000
#define DLG_REPORT_MAX_TEXT       (1024 * 1024)

#define DLG_REPORT_ERROR (dlg_report_error_quark ())

/**
 * DlgReportError:
 * @DLG_REPORT_ERROR_SYNTAX: not a JSON document we accept: invalid UTF-8,
 *   duplicate keys, nesting too deep, trailing data
 * @DLG_REPORT_ERROR_TOO_LARGE: the payload, an array or a string is over
 *   its limit
 * @DLG_REPORT_ERROR_FORMAT: not a report, or a version we do not know
 * @DLG_REPORT_ERROR_MISSING_MEMBER: a required member is missing
 * @DLG_REPORT_ERROR_UNKNOWN_MEMBER: a member the format does not define
 *   (extensions at the top level start with "x-")
 * @DLG_REPORT_ERROR_WRONG_TYPE: a member has the wrong JSON type
 * @DLG_REPORT_ERROR_INVALID_VALUE: a value is malformed (UUID, date, hash,
 *   level) or contradicts another
 * @DLG_REPORT_ERROR_INCOMPLETE: building: the profile, a recipient or the
 *   period lacks what a report must say
 */
typedef enum
{
  DLG_REPORT_ERROR_SYNTAX,
  DLG_REPORT_ERROR_TOO_LARGE,
  DLG_REPORT_ERROR_FORMAT,
  DLG_REPORT_ERROR_MISSING_MEMBER,
  DLG_REPORT_ERROR_UNKNOWN_MEMBER,
  DLG_REPORT_ERROR_WRONG_TYPE,
  DLG_REPORT_ERROR_INVALID_VALUE,
  DLG_REPORT_ERROR_INCOMPLETE,
} DlgReportError;

/**
 * DlgParty:
 * @name: the organisation's or person's name
 * @id: (nullable): its enterprise or VAT number, e.g. "BE0123456789"
 *
 * An organisation a report is from or for, or who reviews it.
 */
typedef struct
{
  char *name;
  char *id;
} DlgParty;

/**
 * DlgReportAnswer:
 * @question_id: the question's id in the questionnaire
 * @section_id: its section's id
 * @type: the question type as in the questionnaire format, e.g. "yes_no"
 * @text: the question, in the report's language
 * @required: an answer was required
 * @critical: a red answer is a zero-tolerance finding
 * @value: (nullable): the value as in the answers format; %NULL when the
 *   question was left unanswered
 * @display: (nullable): the value in words, in the report's language: one
 *   string per selected option for multiple choice, else one string;
 *   %NULL-terminated; %NULL when unanswered
 * @level: the answer's level; %DLG_LEVEL_NONE when unanswered or unscored
 * @comment: (nullable): the supplier's comment
 * @evidence: the files attached, by name and SHA-256
 * @n_evidence: how many
 *
 * One visible question and what was answered, read-only: the report owns
 * every pointer.
 */
typedef struct
{
  const char            *question_id;
  const char            *section_id;
  const char            *type;
  const char            *text;
  gboolean               required;
  gboolean               critical;
  JsonNode              *value;
  const char * const    *display;
  DlgLevel               level;
  const char            *comment;
  const DlgEvidenceRef  *evidence;
  guint                  n_evidence;
} DlgReportAnswer;

/**
 * DlgReportSection:
 *
 * A visible section's result, as the evaluation gave it.
 */
typedef struct
{
  const char *id;
  const char *title;
  DlgLevel    level;
  DlgLevel    level_if_complete;
  gboolean    has_score;
  double      score;              /* 0 to 100 */
  gboolean    complete;
  gboolean    critical_finding;
  guint       n_questions;
  guint       n_answered;
  guint       n_required;
  guint       n_required_answered;
  guint       n_green;
  guint       n_amber;
  guint       n_red;
  guint       n_grey;
} DlgReportSection;

/**
 * DlgReportFinding:
 *
 * An amber or red answer.
 */
typedef struct
{
  const char *question_id;
  const char *text;
  DlgLevel    level;
  gboolean    critical;
} DlgReportFinding;

#define DLG_TYPE_REPORT (dlg_report_get_type ())

G_DECLARE_FINAL_TYPE (DlgReport, dlg_report, DLG, REPORT, GObject)

GQuark                  dlg_report_error_quark            (void);

DlgParty               *dlg_party_new                     (const char       *name,
                                                           const char       *id);
DlgParty               *dlg_party_copy                    (const DlgParty   *party);
void                    dlg_party_free                    (DlgParty         *party);

DlgReport              *dlg_report_new                    (DlgAssessment       *assessment,
                                                           const DlgEvaluation *evaluation,
                                                           const DlgProfile    *organisation,
                                                           GPtrArray           *recipients,
                                                           const char          *period,
                                                           const char          *language,
                                                           JsonNode            *action_plan,
                                                           const char          *supersedes,
                                                           GError             **error);
DlgReport              *dlg_report_new_from_payload       (GBytes           *payload,
                                                           GError          **error);
DlgReport              *dlg_report_new_from_jws           (DlgJws           *jws,
                                                           DlgKey           *key,
                                                           GError          **error);
char                   *dlg_report_sign                   (DlgReport        *self,
                                                           DlgKey           *key,
                                                           GError          **error);

GBytes                 *dlg_report_get_payload            (DlgReport        *self);
GBytes                 *dlg_report_to_pretty_json         (DlgReport        *self);

const char             *dlg_report_get_id                 (DlgReport        *self);
const char             *dlg_report_get_supersedes         (DlgReport        *self);
const char             *dlg_report_get_created_at         (DlgReport        *self);
GDateTime              *dlg_report_get_created_at_date_time (DlgReport      *self);
const char             *dlg_report_get_app_version        (DlgReport        *self);

const char             *dlg_report_get_organisation_name  (DlgReport        *self);
const char             *dlg_report_get_organisation_id    (DlgReport        *self);
const char             *dlg_report_get_organisation_country (DlgReport      *self);
const char             *dlg_report_get_contact_name       (DlgReport        *self);
const char             *dlg_report_get_contact_email      (DlgReport        *self);
guint                   dlg_report_get_n_recipients       (DlgReport        *self);
const DlgParty         *dlg_report_get_recipient          (DlgReport        *self,
                                                           guint             index);

const char             *dlg_report_get_period             (DlgReport        *self);
const char             *dlg_report_get_language           (DlgReport        *self);
gboolean                dlg_report_get_quick_scan         (DlgReport        *self);

const char             *dlg_report_get_questionnaire_id      (DlgReport     *self);
const char             *dlg_report_get_questionnaire_version (DlgReport     *self);
const char             *dlg_report_get_questionnaire_sha256  (DlgReport     *self);
const char             *dlg_report_get_questionnaire_title   (DlgReport     *self);

guint                   dlg_report_get_n_answers          (DlgReport        *self);
const DlgReportAnswer  *dlg_report_get_answer             (DlgReport        *self,
                                                           guint             index);
const DlgReportAnswer  *dlg_report_lookup_answer          (DlgReport        *self,
                                                           const char       *question_id);

DlgLevel                dlg_report_get_level              (DlgReport        *self);
DlgLevel                dlg_report_get_level_if_complete  (DlgReport        *self);
gboolean                dlg_report_get_score              (DlgReport        *self,
                                                           double           *score);
gboolean                dlg_report_get_complete           (DlgReport        *self);
gboolean                dlg_report_get_critical_finding   (DlgReport        *self);
guint                   dlg_report_get_n_required         (DlgReport        *self);
guint                   dlg_report_get_n_required_answered (DlgReport       *self);
guint                   dlg_report_get_n_sections         (DlgReport        *self);
const DlgReportSection *dlg_report_get_section            (DlgReport        *self,
                                                           guint             index);
const DlgReportSection *dlg_report_lookup_section         (DlgReport        *self,
                                                           const char       *section_id);
guint                   dlg_report_get_n_findings         (DlgReport        *self);
const DlgReportFinding *dlg_report_get_finding            (DlgReport        *self,
                                                           guint             index);

JsonNode               *dlg_report_get_action_plan        (DlgReport        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlgParty, dlg_party_free)

G_END_DECLS
