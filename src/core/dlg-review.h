/* dlg-review.h - a buyer's review of a report's corrective action plan
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dlg-report.h"

G_BEGIN_DECLS

#define DLG_REVIEW_FORMAT   "diligence-review/1"
/* The "typ" of the compact JWS that carries a review. */
#define DLG_REVIEW_JWS_TYPE DLG_JWS_TYP_REVIEW

#define DLG_REVIEW_MAX_SIZE    (4 * 1024 * 1024)
#define DLG_REVIEW_MAX_ACTIONS 1000
#define DLG_REVIEW_MAX_REASON  (64 * 1024)

#define DLG_REVIEW_ERROR (dlg_review_error_quark ())

/**
 * DlgReviewError:
 * @DLG_REVIEW_ERROR_SYNTAX: not a JSON document we accept
 * @DLG_REVIEW_ERROR_TOO_LARGE: the payload, an array or a string is over
 *   its limit
 * @DLG_REVIEW_ERROR_FORMAT: not a review, or a version we do not know
 * @DLG_REVIEW_ERROR_MISSING_MEMBER: a required member is missing
 * @DLG_REVIEW_ERROR_UNKNOWN_MEMBER: a member the format does not define
 * @DLG_REVIEW_ERROR_WRONG_TYPE: a member has the wrong JSON type
 * @DLG_REVIEW_ERROR_INVALID_VALUE: a malformed value (UUID, hash, date,
 *   decision), or an action reviewed twice
 * @DLG_REVIEW_ERROR_REASON_REQUIRED: a decision other than "approved"
 *   without a reason
 * @DLG_REVIEW_ERROR_INCONSISTENT: the plan is approved while an action
 *   is not
 *
 * The first seven codes mean the same as the #DlgReportError codes of the
 * same name.
 */
typedef enum
{
  DLG_REVIEW_ERROR_SYNTAX,
  DLG_REVIEW_ERROR_TOO_LARGE,
  DLG_REVIEW_ERROR_FORMAT,
  DLG_REVIEW_ERROR_MISSING_MEMBER,
  DLG_REVIEW_ERROR_UNKNOWN_MEMBER,
  DLG_REVIEW_ERROR_WRONG_TYPE,
  DLG_REVIEW_ERROR_INVALID_VALUE,
  DLG_REVIEW_ERROR_REASON_REQUIRED,
  DLG_REVIEW_ERROR_INCONSISTENT,
} DlgReviewError;

typedef enum
{
  DLG_DECISION_APPROVED,
  DLG_DECISION_CHANGES_REQUESTED,
  DLG_DECISION_REJECTED,
} DlgDecision;

/**
 * DlgActionDecision:
 * @action_id: the id of the action in the report's action plan
 * @decision: what the reviewer decided about it
 * @reason: (nullable): why; required unless approved
 */
typedef struct
{
  char        *action_id;
  DlgDecision  decision;
  char        *reason;
} DlgActionDecision;

#define DLG_TYPE_REVIEW (dlg_review_get_type ())

G_DECLARE_FINAL_TYPE (DlgReview, dlg_review, DLG, REVIEW, GObject)

GQuark              dlg_review_error_quark       (void);

const char         *dlg_decision_to_string       (DlgDecision        decision);
gboolean            dlg_decision_from_string     (const char        *string,
                                                  DlgDecision       *decision);
const char         *dlg_decision_get_label       (DlgDecision        decision);

DlgActionDecision  *dlg_action_decision_new      (const char        *action_id,
                                                  DlgDecision        decision,
                                                  const char        *reason);
void                dlg_action_decision_free     (DlgActionDecision *decision);

DlgReview          *dlg_review_new               (const char        *report_id,
                                                  const char        *report_sha256,
                                                  const DlgParty    *reviewer,
                                                  DlgDecision        decision,
                                                  const char        *reason,
                                                  GPtrArray         *actions,
                                                  GError           **error);
DlgReview          *dlg_review_new_from_payload  (GBytes            *payload,
                                                  GError           **error);
DlgReview          *dlg_review_new_from_jws      (DlgJws            *jws,
                                                  DlgKey            *key,
                                                  GError           **error);
char               *dlg_review_sign              (DlgReview         *self,
                                                  DlgKey            *key,
                                                  GError           **error);

GBytes             *dlg_review_get_payload       (DlgReview         *self);
GBytes             *dlg_review_to_pretty_json    (DlgReview         *self);
const char         *dlg_review_get_id            (DlgReview         *self);
const char         *dlg_review_get_report_id     (DlgReview         *self);
const char         *dlg_review_get_report_sha256 (DlgReview         *self);
gboolean            dlg_review_is_for_report     (DlgReview         *self,
                                                  GBytes            *report_jws);
const char         *dlg_review_get_created_at    (DlgReview         *self);
const DlgParty     *dlg_review_get_reviewer      (DlgReview         *self);
DlgDecision         dlg_review_get_decision      (DlgReview         *self);
const char         *dlg_review_get_reason        (DlgReview         *self);
guint               dlg_review_get_n_actions     (DlgReview         *self);
const DlgActionDecision *
                    dlg_review_get_action        (DlgReview         *self,
                                                  guint              index);
const DlgActionDecision *
                    dlg_review_lookup_action     (DlgReview         *self,
                                                  const char        *action_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlgActionDecision, dlg_action_decision_free)

G_END_DECLS
