/* dlg-action-plan.h - corrective actions for the findings of an assessment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "dlg-assessment.h"
#include "dlg-evaluation.h"

G_BEGIN_DECLS

#define DLG_ACTION_PLAN_FORMAT "diligence-action-plan/1"

/* An open action due within this many days is "due soon". */
#define DLG_ACTION_DUE_SOON_DAYS 14

#define DLG_ACTION_PLAN_ERROR (dlg_action_plan_error_quark ())

typedef enum
{
  /* A status or review state cannot go where it was asked to. */
  DLG_ACTION_PLAN_ERROR_INVALID_TRANSITION,
  /* A value is malformed: a date, an e-mail address, an empty title. */
  DLG_ACTION_PLAN_ERROR_INVALID_VALUE,
  /* A decision or a dismissal was given without a reason. */
  DLG_ACTION_PLAN_ERROR_REASON_REQUIRED,
  /* The plan cannot be submitted yet: see dlg_action_plan_check(). */
  DLG_ACTION_PLAN_ERROR_INCOMPLETE,
  /* The plan is waiting for approval; its content cannot change. */
  DLG_ACTION_PLAN_ERROR_LOCKED,
  DLG_ACTION_PLAN_ERROR_NOT_FOUND,
  /* A plan file (JSON) or spreadsheet (CSV) that cannot be read. */
  DLG_ACTION_PLAN_ERROR_INVALID_FILE,
  /* The plan changed after an import was previewed. */
  DLG_ACTION_PLAN_ERROR_STALE,
} DlgActionPlanError;

/**
 * DlgPriority:
 *
 * How urgent a finding is, in the RBA's words. Ordered: larger is more
 * urgent.
 */
typedef enum
{
  DLG_PRIORITY_MINOR,
  DLG_PRIORITY_MAJOR,
  DLG_PRIORITY_PRIORITY,
} DlgPriority;

/**
 * DlgActionStatus:
 *
 * Not started → in progress → done → verified. An action may be done
 * without having been marked in progress, and done or in progress may go
 * back one step; verified (closed by whoever checks it) is final.
 */
typedef enum
{
  DLG_ACTION_STATUS_NOT_STARTED,
  DLG_ACTION_STATUS_IN_PROGRESS,
  DLG_ACTION_STATUS_DONE,
  DLG_ACTION_STATUS_VERIFIED,
} DlgActionStatus;

/**
 * DlgDisposition:
 * @DLG_DISPOSITION_PROPOSED: proposed for a finding, not yet in the plan
 * @DLG_DISPOSITION_ACCEPTED: in the plan
 * @DLG_DISPOSITION_DISMISSED: a proposal turned down, with a reason
 */
typedef enum
{
  DLG_DISPOSITION_PROPOSED,
  DLG_DISPOSITION_ACCEPTED,
  DLG_DISPOSITION_DISMISSED,
} DlgDisposition;

/**
 * DlgReviewState:
 *
 * The buyer's review, of the whole plan and of each action: draft →
 * submitted → approved, changes requested or rejected.
 */
typedef enum
{
  DLG_REVIEW_DRAFT,
  DLG_REVIEW_SUBMITTED,
  DLG_REVIEW_APPROVED,
  DLG_REVIEW_CHANGES_REQUESTED,
  DLG_REVIEW_REJECTED,
} DlgReviewState;

typedef enum
{
  DLG_URGENCY_NONE,
  DLG_URGENCY_DUE_SOON,
  DLG_URGENCY_OVERDUE,
} DlgUrgency;

/**
 * DlgActionField:
 *
 * The text fields of an action, by the names used in files and
 * spreadsheets (dlg_action_field_to_string()).
 */
typedef enum
{
  DLG_ACTION_FIELD_TITLE,
  DLG_ACTION_FIELD_ROOT_CAUSE,
  DLG_ACTION_FIELD_CORRECTIVE_ACTION,
  DLG_ACTION_FIELD_PREVENTIVE_ACTION,
  DLG_ACTION_FIELD_OWNER_NAME,
  DLG_ACTION_FIELD_OWNER_EMAIL,
  DLG_ACTION_FIELD_START_DATE,
  DLG_ACTION_FIELD_DUE_DATE,
  DLG_ACTION_N_FIELDS,
} DlgActionField;

/**
 * DlgProgressNote:
 * @date: "YYYY-MM-DD"
 * @text: what happened
 */
typedef struct
{
  char *date;
  char *text;
} DlgProgressNote;

/**
 * DlgReviewEvent:
 * @at: when, as "YYYY-MM-DDTHH:MM:SSZ"
 * @action_id: (nullable): the action concerned, or %NULL for the plan
 * @from: the state before
 * @to: the state after
 * @reason: (nullable): why
 * @by: (nullable): who
 */
typedef struct
{
  char           *at;
  char           *action_id;
  DlgReviewState  from;
  DlgReviewState  to;
  char           *reason;
  char           *by;
} DlgReviewEvent;

#define DLG_TYPE_ACTION (dlg_action_get_type ())
#define DLG_TYPE_ACTION_PLAN (dlg_action_plan_get_type ())

G_DECLARE_FINAL_TYPE (DlgAction, dlg_action, DLG, ACTION, GObject)
G_DECLARE_FINAL_TYPE (DlgActionPlan, dlg_action_plan, DLG, ACTION_PLAN, GObject)

GQuark              dlg_action_plan_error_quark      (void);

/* Names in files and labels on screen */
const char         *dlg_priority_to_string           (DlgPriority      priority);
gboolean            dlg_priority_from_string         (const char      *str,
                                                      DlgPriority     *priority);
const char         *dlg_priority_get_label           (DlgPriority      priority);
const char         *dlg_action_status_to_string      (DlgActionStatus  status);
gboolean            dlg_action_status_from_string    (const char      *str,
                                                      DlgActionStatus *status);
const char         *dlg_action_status_get_label      (DlgActionStatus  status);
const char         *dlg_action_status_get_icon_name  (DlgActionStatus  status);
gboolean            dlg_action_status_can_change     (DlgActionStatus  from,
                                                      DlgActionStatus  to);
const char         *dlg_disposition_to_string        (DlgDisposition   disposition);
gboolean            dlg_disposition_from_string      (const char      *str,
                                                      DlgDisposition  *disposition);
const char         *dlg_review_state_to_string       (DlgReviewState   state);
gboolean            dlg_review_state_from_string     (const char      *str,
                                                      DlgReviewState  *state);
const char         *dlg_review_state_get_label       (DlgReviewState   state);
const char         *dlg_review_state_get_icon_name   (DlgReviewState   state);
gboolean            dlg_review_state_can_change      (DlgReviewState   from,
                                                      DlgReviewState   to);
const char         *dlg_urgency_get_label            (DlgUrgency       urgency);
const char         *dlg_urgency_get_icon_name        (DlgUrgency       urgency);
const char         *dlg_action_field_to_string       (DlgActionField   field);
gboolean            dlg_action_field_from_string     (const char      *str,
                                                      DlgActionField  *field);
const char         *dlg_action_field_get_label       (DlgActionField   field);

gboolean            dlg_finding_get_priority         (const DlgQuestion *question,
                                                      DlgLevel          level,
                                                      DlgPriority      *priority);
gboolean            dlg_date_parse                   (const char      *iso_date,
                                                      GDate           *date);
char               *dlg_date_format                  (const GDate     *date);
char               *dlg_date_today                   (void);

void                dlg_progress_note_free           (DlgProgressNote *note);
void                dlg_review_event_free            (DlgReviewEvent  *event);

/* One action */
DlgActionPlan      *dlg_action_get_plan              (DlgAction       *self);
const char         *dlg_action_get_id                (DlgAction       *self);
DlgDisposition      dlg_action_get_disposition       (DlgAction       *self);
const char         *dlg_action_get_dismissal_reason  (DlgAction       *self);
const char * const *dlg_action_get_findings          (DlgAction       *self);
gboolean            dlg_action_answers_finding       (DlgAction       *self,
                                                      const char      *question_id);
gboolean            dlg_action_set_findings          (DlgAction       *self,
                                                      const char * const *question_ids,
                                                      GError         **error);
DlgPriority         dlg_action_get_priority          (DlgAction       *self);
gboolean            dlg_action_set_priority          (DlgAction       *self,
                                                      DlgPriority      priority,
                                                      GError         **error);
const char         *dlg_action_get_field             (DlgAction       *self,
                                                      DlgActionField   field);
gboolean            dlg_action_set_field             (DlgAction       *self,
                                                      DlgActionField   field,
                                                      const char      *value,
                                                      GError         **error);
const char         *dlg_action_get_title             (DlgAction       *self);
const char         *dlg_action_get_due_date          (DlgAction       *self);
DlgActionStatus     dlg_action_get_status            (DlgAction       *self);
gboolean            dlg_action_set_status            (DlgAction       *self,
                                                      DlgActionStatus  status,
                                                      GError         **error);
DlgReviewState      dlg_action_get_review_state      (DlgAction       *self);
gboolean            dlg_action_decide                (DlgAction       *self,
                                                      DlgReviewState   decision,
                                                      const char      *reason,
                                                      const char      *by,
                                                      GDateTime       *when,
                                                      GError         **error);
GPtrArray          *dlg_action_get_notes             (DlgAction       *self);
gboolean            dlg_action_add_note              (DlgAction       *self,
                                                      const char      *date,
                                                      const char      *text,
                                                      GError         **error);
GPtrArray          *dlg_action_get_evidence          (DlgAction       *self);
gboolean            dlg_action_add_evidence          (DlgAction       *self,
                                                      const char      *name,
                                                      const char      *sha256,
                                                      GError         **error);
gboolean            dlg_action_remove_evidence       (DlgAction       *self,
                                                      const char      *sha256);
const char         *dlg_action_get_carried_from      (DlgAction       *self);
gboolean            dlg_action_is_open               (DlgAction       *self);
gboolean            dlg_action_is_closed             (DlgAction       *self);
DlgUrgency          dlg_action_get_urgency           (DlgAction       *self,
                                                      const GDate     *today);

/* The plan */
DlgActionPlan      *dlg_action_plan_new              (const char      *questionnaire_id,
                                                      const char      *questionnaire_version);
DlgActionPlan      *dlg_action_plan_new_from_data    (const char      *data,
                                                      gsize            length,
                                                      GError         **error);
JsonNode           *dlg_action_plan_to_json          (DlgActionPlan   *self);
char               *dlg_action_plan_to_data          (DlgActionPlan   *self,
                                                      gsize           *length);
DlgActionPlan      *dlg_action_plan_copy             (DlgActionPlan   *self);

const char         *dlg_action_plan_get_questionnaire_id      (DlgActionPlan *self);
const char         *dlg_action_plan_get_questionnaire_version (DlgActionPlan *self);
guint               dlg_action_plan_get_revision     (DlgActionPlan   *self);
guint               dlg_action_plan_get_n_actions    (DlgActionPlan   *self);
DlgAction          *dlg_action_plan_get_action       (DlgActionPlan   *self,
                                                      guint            index);
DlgAction          *dlg_action_plan_lookup_action    (DlgActionPlan   *self,
                                                      const char      *id);

guint               dlg_action_plan_propose          (DlgActionPlan   *self,
                                                      const DlgEvaluation *evaluation,
                                                      const char      *language);
DlgAction          *dlg_action_plan_add_action       (DlgActionPlan   *self,
                                                      const char      *title,
                                                      const char * const *findings,
                                                      DlgPriority      priority,
                                                      GError         **error);
gboolean            dlg_action_plan_accept           (DlgActionPlan   *self,
                                                      DlgAction       *action,
                                                      GError         **error);
gboolean            dlg_action_plan_dismiss          (DlgActionPlan   *self,
                                                      DlgAction       *action,
                                                      const char      *reason,
                                                      GError         **error);
gboolean            dlg_action_plan_restore          (DlgActionPlan   *self,
                                                      DlgAction       *action,
                                                      GError         **error);
gboolean            dlg_action_plan_remove_action    (DlgActionPlan   *self,
                                                      DlgAction       *action,
                                                      GError         **error);
DlgAction          *dlg_action_plan_merge            (DlgActionPlan   *self,
                                                      DlgAction      **actions,
                                                      guint            n_actions,
                                                      GError         **error);

DlgReviewState      dlg_action_plan_get_review_state (DlgActionPlan   *self);
GPtrArray          *dlg_action_plan_get_history      (DlgActionPlan   *self);
GPtrArray          *dlg_action_plan_check            (DlgActionPlan   *self);
gboolean            dlg_action_plan_submit           (DlgActionPlan   *self,
                                                      const char      *by,
                                                      GDateTime       *when,
                                                      GError         **error);
gboolean            dlg_action_plan_decide           (DlgActionPlan   *self,
                                                      DlgReviewState   decision,
                                                      const char      *reason,
                                                      const char      *by,
                                                      GDateTime       *when,
                                                      GError         **error);
gboolean            dlg_action_plan_reopen           (DlgActionPlan   *self,
                                                      const char      *reason,
                                                      const char      *by,
                                                      GDateTime       *when,
                                                      GError         **error);

void                dlg_action_plan_count            (DlgActionPlan   *self,
                                                      const GDate     *today,
                                                      guint           *n_open,
                                                      guint           *n_overdue,
                                                      guint           *n_closed,
                                                      guint           *n_proposed);
DlgActionPlan      *dlg_action_plan_carry_over       (DlgActionPlan   *self,
                                                      const char      *questionnaire_id,
                                                      const char      *questionnaire_version,
                                                      const char      *note);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlgProgressNote, dlg_progress_note_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlgReviewEvent, dlg_review_event_free)

G_END_DECLS
