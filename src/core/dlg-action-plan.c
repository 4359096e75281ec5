/* dlg-action-plan.c - corrective actions for the findings of an assessment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every amber or red answer is a finding, and every finding gets a proposed
 * action, as EcoVadis does for improvement areas. The user accepts,
 * edits, merges or dismisses proposals and adds actions of their own. An
 * action moves from not started to verified; the plan, and each action in
 * it, goes through the buyer's review (draft, submitted, approved, changes
 * requested, rejected), every step dated in the plan's history.
 *
 * Nothing here reads or changes answers: an action never changes a score.
 *
 * The plan is a GListModel of its actions (proposals and dismissed ones
 * included, in the order shown), and says "changed" after every change so
 * that views can update and the store can save.
 */

#define G_LOG_DOMAIN "dlg-action-plan"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dlg-action-plan.h"
#include "dlg-json.h"

struct _DlgAction
{
  GObject          parent_instance;

  DlgActionPlan   *plan;          /* unowned: the plan owns its actions */
  char            *id;
  DlgDisposition   disposition;
  char            *dismissal_reason;
  char           **findings;
  DlgPriority      priority;
  char            *fields[DLG_ACTION_N_FIELDS];
  DlgActionStatus  status;
  DlgReviewState   review;
  GPtrArray       *notes;         /* DlgProgressNote* */
  GPtrArray       *evidence;      /* DlgEvidenceRef* */
  char            *carried_from;
};

struct _DlgActionPlan
{
  GObject          parent_instance;

  char            *questionnaire_id;
  char            *questionnaire_version;
  GPtrArray       *actions;       /* DlgAction*, owned */
  DlgReviewState   review;
  GPtrArray       *history;       /* DlgReviewEvent* */
  guint            revision;
};

static void dlg_action_plan_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE (DlgAction, dlg_action, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE_WITH_CODE (DlgActionPlan, dlg_action_plan, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, dlg_action_plan_list_model_init))

G_DEFINE_QUARK (dlg-action-plan-error-quark, dlg_action_plan_error)

enum {
  PROP_0,
  PROP_REVISION,
  PROP_REVIEW_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------ */
/* Names and labels                                                         */
/* ------------------------------------------------------------------------ */

static const char * const priority_names[] = { "minor", "major", "priority" };
static const char * const status_names[] = { "not_started", "in_progress", "done", "verified" };
static const char * const disposition_names[] = { "proposed", "accepted", "dismissed" };
static const char * const review_names[] = { "draft", "submitted", "approved", "changes_requested", "rejected" };
static const char * const field_names[] = {
  "title", "root_cause", "corrective_action", "preventive_action",
  "owner_name", "owner_email", "start_date", "due_date",
};

static gboolean
lookup_name (const char * const *names,
             guint               n,
             const char         *str,
             int                *out)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (names[i], str) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

const char *
dlg_priority_to_string (DlgPriority priority)
{
  g_return_val_if_fail (priority <= DLG_PRIORITY_PRIORITY, NULL);
  return priority_names[priority];
}

gboolean
dlg_priority_from_string (const char  *str,
                          DlgPriority *priority)
{
  int i;

  if (!lookup_name (priority_names, G_N_ELEMENTS (priority_names), str, &i))
    return FALSE;
  *priority = i;
  return TRUE;
}

const char *
dlg_priority_get_label (DlgPriority priority)
{
  switch (priority)
    {
    case DLG_PRIORITY_MINOR: return C_("priority", "Minor");
    case DLG_PRIORITY_MAJOR: return C_("priority", "Major");
    case DLG_PRIORITY_PRIORITY: return C_("priority", "Priority");
    default: g_return_val_if_reached (NULL);
    }
}

const char *
dlg_action_status_to_string (DlgActionStatus status)
{
  g_return_val_if_fail (status <= DLG_ACTION_STATUS_VERIFIED, NULL);
  return status_names[status];
}

gboolean
dlg_action_status_from_string (const char      *str,
                               DlgActionStatus *status)
{
  int i;

  if (!lookup_name (status_names, G_N_ELEMENTS (status_names), str, &i))
    return FALSE;
  *status = i;
  return TRUE;
}

const char *
dlg_action_status_get_label (DlgActionStatus status)
{
  switch (status)
    {
    case DLG_ACTION_STATUS_NOT_STARTED: return C_("action status", "Not started");
    case DLG_ACTION_STATUS_IN_PROGRESS: return C_("action status", "In progress");
    case DLG_ACTION_STATUS_DONE: return C_("action status", "Done");
    case DLG_ACTION_STATUS_VERIFIED: return C_("action status", "Verified");
    default: g_return_val_if_reached (NULL);
    }
}

const char *
dlg_action_status_get_icon_name (DlgActionStatus status)
{
  switch (status)
    {
    case DLG_ACTION_STATUS_NOT_STARTED: return "radio-symbolic";
    case DLG_ACTION_STATUS_IN_PROGRESS: return "content-loading-symbolic";
    case DLG_ACTION_STATUS_DONE: return "object-select-symbolic";
    case DLG_ACTION_STATUS_VERIFIED: return "emblem-ok-symbolic";
    default: g_return_val_if_reached (NULL);
    }
}

/**
 * dlg_action_status_can_change:
 *
 * Returns: whether an action may go from @from to @to. Staying where it is
 *   is allowed.
 */
gboolean
dlg_action_status_can_change (DlgActionStatus from,
                              DlgActionStatus to)
{
  if (from == to)
    return TRUE;

  switch (from)
    {
    case DLG_ACTION_STATUS_NOT_STARTED:
      return to == DLG_ACTION_STATUS_IN_PROGRESS || to == DLG_ACTION_STATUS_DONE;
    case DLG_ACTION_STATUS_IN_PROGRESS:
      return to == DLG_ACTION_STATUS_NOT_STARTED || to == DLG_ACTION_STATUS_DONE;
    case DLG_ACTION_STATUS_DONE:
      return to == DLG_ACTION_STATUS_IN_PROGRESS || to == DLG_ACTION_STATUS_VERIFIED;
    case DLG_ACTION_STATUS_VERIFIED:
    default:
      return FALSE;
    }
}

const char *
dlg_disposition_to_string (DlgDisposition disposition)
{
  g_return_val_if_fail (disposition <= DLG_DISPOSITION_DISMISSED, NULL);
  return disposition_names[disposition];
}

gboolean
dlg_disposition_from_string (const char     *str,
                             DlgDisposition *disposition)
{
  int i;

  if (!lookup_name (disposition_names, G_N_ELEMENTS (disposition_names), str, &i))
    return FALSE;
  *disposition = i;
  return TRUE;
}

const char *
dlg_review_state_to_string (DlgReviewState state)
{
  g_return_val_if_fail (state <= DLG_REVIEW_REJECTED, NULL);
  return review_names[state];
}

gboolean
dlg_review_state_from_string (const char     *str,
                              DlgReviewState *state)
{
  int i;

  if (!lookup_name (review_names, G_N_ELEMENTS (review_names), str, &i))
    return FALSE;
  *state = i;
  return TRUE;
}

const char *
dlg_review_state_get_label (DlgReviewState state)
{
  switch (state)
    {
    case DLG_REVIEW_DRAFT: return C_("review", "Draft");
    case DLG_REVIEW_SUBMITTED: return C_("review", "Submitted for approval");
    case DLG_REVIEW_APPROVED: return C_("review", "Approved");
    case DLG_REVIEW_CHANGES_REQUESTED: return C_("review", "Changes requested");
    case DLG_REVIEW_REJECTED: return C_("review", "Rejected");
    default: g_return_val_if_reached (NULL);
    }
}

const char *
dlg_review_state_get_icon_name (DlgReviewState state)
{
  switch (state)
    {
    case DLG_REVIEW_DRAFT: return "document-edit-symbolic";
    case DLG_REVIEW_SUBMITTED: return "mail-send-symbolic";
    case DLG_REVIEW_APPROVED: return "emblem-ok-symbolic";
    case DLG_REVIEW_CHANGES_REQUESTED: return "dialog-warning-symbolic";
    case DLG_REVIEW_REJECTED: return "dialog-error-symbolic";
    default: g_return_val_if_reached (NULL);
    }
}

/**
 * dlg_review_state_can_change:
 *
 * Draft → submitted; submitted → approved, changes requested or rejected
 * (the decisions), or back to draft (withdrawn); changes requested or
 * rejected → submitted again or draft; approved → draft (reopened to
 * change the plan).
 */
gboolean
dlg_review_state_can_change (DlgReviewState from,
                             DlgReviewState to)
{
  switch (from)
    {
    case DLG_REVIEW_DRAFT:
      return to == DLG_REVIEW_SUBMITTED;
    case DLG_REVIEW_SUBMITTED:
      return to == DLG_REVIEW_APPROVED || to == DLG_REVIEW_CHANGES_REQUESTED ||
             to == DLG_REVIEW_REJECTED || to == DLG_REVIEW_DRAFT;
    case DLG_REVIEW_CHANGES_REQUESTED:
    case DLG_REVIEW_REJECTED:
      return to == DLG_REVIEW_SUBMITTED || to == DLG_REVIEW_DRAFT;
    case DLG_REVIEW_APPROVED:
      return to == DLG_REVIEW_DRAFT;
    default:
      return FALSE;
    }
}

static gboolean
is_decision (DlgReviewState state)
{
  return state == DLG_REVIEW_APPROVED || state == DLG_REVIEW_CHANGES_REQUESTED ||
         state == DLG_REVIEW_REJECTED;
}

const char *
dlg_urgency_get_label (DlgUrgency urgency)
{
  switch (urgency)
    {
    case DLG_URGENCY_NONE: return "";
    case DLG_URGENCY_DUE_SOON: return C_("urgency", "Due soon");
    case DLG_URGENCY_OVERDUE: return C_("urgency", "Overdue");
    default: g_return_val_if_reached (NULL);
    }
}

const char *
dlg_urgency_get_icon_name (DlgUrgency urgency)
{
  switch (urgency)
    {
    case DLG_URGENCY_NONE: return NULL;
    case DLG_URGENCY_DUE_SOON: return "alarm-symbolic";
    case DLG_URGENCY_OVERDUE: return "dialog-warning-symbolic";
    default: g_return_val_if_reached (NULL);
    }
}

const char *
dlg_action_field_to_string (DlgActionField field)
{
  g_return_val_if_fail (field < DLG_ACTION_N_FIELDS, NULL);
  return field_names[field];
}

gboolean
dlg_action_field_from_string (const char     *str,
                              DlgActionField *field)
{
  int i;

  if (!lookup_name (field_names, G_N_ELEMENTS (field_names), str, &i))
    return FALSE;
  *field = i;
  return TRUE;
}

const char *
dlg_action_field_get_label (DlgActionField field)
{
  switch (field)
    {
    case DLG_ACTION_FIELD_TITLE: return _("Title");
    case DLG_ACTION_FIELD_ROOT_CAUSE: return _("Root cause");
    case DLG_ACTION_FIELD_CORRECTIVE_ACTION: return _("Corrective action");
    case DLG_ACTION_FIELD_PREVENTIVE_ACTION: return _("Preventive action");
    case DLG_ACTION_FIELD_OWNER_NAME: return _("Owner");
    case DLG_ACTION_FIELD_OWNER_EMAIL: return _("Owner's e-mail");
    case DLG_ACTION_FIELD_START_DATE: return _("Start date");
    case DLG_ACTION_FIELD_DUE_DATE: return _("Due date");
    case DLG_ACTION_N_FIELDS:
    default: g_return_val_if_reached (NULL);
    }
}

/**
 * dlg_finding_get_priority:
 * @question: the question answered
 * @level: the answer's level
 * @priority: (out): the finding's priority
 *
 * A red answer to a critical question is a priority finding (zero
 * tolerance), any other red answer a major one, an amber answer a minor
 * one.
 *
 * Returns: %TRUE if @level makes a finding at all
 */
gboolean
dlg_finding_get_priority (const DlgQuestion *question,
                          DlgLevel           level,
                          DlgPriority       *priority)
{
  switch (level)
    {
    case DLG_LEVEL_RED:
      *priority = question->critical ? DLG_PRIORITY_PRIORITY : DLG_PRIORITY_MAJOR;
      return TRUE;
    case DLG_LEVEL_AMBER:
      *priority = DLG_PRIORITY_MINOR;
      return TRUE;
    case DLG_LEVEL_NONE:
    case DLG_LEVEL_GREY:
    case DLG_LEVEL_GREEN:
    case DLG_LEVEL_INCOMPLETE:
    default:
      return FALSE;
    }
}

/**
 * dlg_date_parse:
 * @iso_date: "YYYY-MM-DD"
 * @date: (out) (optional): the date
 *
 * Returns: whether @iso_date is a real calendar date written that way
 */
gboolean
dlg_date_parse (const char *iso_date,
                GDate      *date)
{
  guint y, m, d;

  if (iso_date == NULL || strlen (iso_date) != 10 ||
      !g_ascii_isdigit (iso_date[0]) || !g_ascii_isdigit (iso_date[1]) ||
      !g_ascii_isdigit (iso_date[2]) || !g_ascii_isdigit (iso_date[3]) || iso_date[4] != '-' ||
      !g_ascii_isdigit (iso_date[5]) || !g_ascii_isdigit (iso_date[6]) || iso_date[7] != '-' ||
      !g_ascii_isdigit (iso_date[8]) || !g_ascii_isdigit (iso_date[9]))
    return FALSE;

  y = (iso_date[0] - '0') * 1000 + (iso_date[1] - '0') * 100 + (iso_date[2] - '0') * 10 + (iso_date[3] - '0');
  m = (iso_date[5] - '0') * 10 + (iso_date[6] - '0');
  d = (iso_date[8] - '0') * 10 + (iso_date[9] - '0');

  if (y < 1 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  if (date != NULL)
    g_date_set_dmy (date, d, m, y);
  return TRUE;
}

char *
dlg_date_format (const GDate *date)
{
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date), g_date_get_day (date));
}

/**
 * dlg_date_today:
 *
 * Returns: (transfer full): today's local date as "YYYY-MM-DD"
 */
char *
dlg_date_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

static char *
format_time (GDateTime *when)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) utc = NULL;

  if (when == NULL)
    when = now = g_date_time_new_now_utc ();
  utc = g_date_time_to_utc (when);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

void
dlg_progress_note_free (DlgProgressNote *note)
{
  if (note == NULL)
    return;
  g_free (note->date);
  g_free (note->text);
  g_free (note);
}

void
dlg_review_event_free (DlgReviewEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->at);
  g_free (event->action_id);
  g_free (event->reason);
  g_free (event->by);
  g_free (event);
}

static void
evidence_ref_free (DlgEvidenceRef *ref)
{
  if (ref == NULL)
    return;
  g_free (ref->name);
  g_free (ref->sha256);
  g_free (ref);
}

/* Empty and blank strings mean "not set". */
static char *
normalise (const char *text)
{
  const char *p = text;

  if (text == NULL)
    return NULL;
  while (g_ascii_isspace (*p))
    p++;
  return *p ? g_strdup (text) : NULL;
}

static gboolean
is_blank (const char *text)
{
  g_autofree char *n = normalise (text);

  return n == NULL;
}

/* ------------------------------------------------------------------------ */
/* DlgAction                                                                */
/* ------------------------------------------------------------------------ */

static void
dlg_action_finalize (GObject *object)
{
  DlgAction *self = (DlgAction *) object;

  g_free (self->id);
  g_free (self->dismissal_reason);
  g_strfreev (self->findings);
  for (guint i = 0; i < DLG_ACTION_N_FIELDS; i++)
    g_free (self->fields[i]);
  g_ptr_array_unref (self->notes);
  g_ptr_array_unref (self->evidence);
  g_free (self->carried_from);

  G_OBJECT_CLASS (dlg_action_parent_class)->finalize (object);
}

static void
dlg_action_class_init (DlgActionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dlg_action_finalize;
}

static void
dlg_action_init (DlgAction *self)
{
  self->findings = g_new0 (char *, 1);
  self->notes = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_progress_note_free);
  self->evidence = g_ptr_array_new_with_free_func ((GDestroyNotify) evidence_ref_free);
}

static DlgAction *
action_new (const char *id)
{
  DlgAction *self = g_object_new (DLG_TYPE_ACTION, NULL);

  self->id = id ? g_strdup (id) : g_uuid_string_random ();
  return self;
}

static void plan_changed (DlgActionPlan *self,
                          DlgAction     *action);
static void add_event (DlgActionPlan  *self,
                       const char     *action_id,
                       DlgReviewState  from,
                       DlgReviewState  to,
                       const char     *reason,
                       const char     *by,
                       GDateTime      *when);

static void
emit_changed (DlgAction *self)
{
  if (self->plan != NULL)
    plan_changed (self->plan, self);
}

/* Content may not change while the buyer is looking at it; once approved,
 * a change sends the action and the plan back to draft, so that what was
 * approved is never silently different from what is shown. */
static gboolean
check_editable (DlgAction  *self,
                GError    **error)
{
  if (self->plan != NULL && self->plan->review == DLG_REVIEW_SUBMITTED &&
      self->disposition == DLG_DISPOSITION_ACCEPTED)
    {
      g_set_error_literal (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_LOCKED,
                           _("The plan is waiting for approval. Withdraw it to change its actions."));
      return FALSE;
    }
  return TRUE;
}

static void
content_changed (DlgAction *self)
{
  DlgActionPlan *plan = self->plan;
  const char *reason = _("Changed after approval");

  if (plan == NULL || self->disposition != DLG_DISPOSITION_ACCEPTED)
    return;

  if (self->review == DLG_REVIEW_APPROVED)
    {
      add_event (plan, self->id, self->review, DLG_REVIEW_DRAFT, reason, NULL, NULL);
      self->review = DLG_REVIEW_DRAFT;
    }
  if (plan->review == DLG_REVIEW_APPROVED)
    {
      add_event (plan, NULL, plan->review, DLG_REVIEW_DRAFT, reason, NULL, NULL);
      plan->review = DLG_REVIEW_DRAFT;
      g_object_notify_by_pspec (G_OBJECT (plan), properties[PROP_REVIEW_STATE]);
    }
}

/**
 * dlg_action_get_plan:
 *
 * Returns: (transfer none) (nullable): the plan the action is in
 */
DlgActionPlan *
dlg_action_get_plan (DlgAction *self)
{
  g_return_val_if_fail (DLG_IS_ACTION (self), NULL);
  return self->plan;
}

const char *
dlg_action_get_id (DlgAction *self)
{
  g_return_val_if_fail (DLG_IS_ACTION (self), NULL);
  return self->id;
}

DlgDisposition
dlg_action_get_disposition (DlgAction *self)
{
  g_return_val_if_fail (DLG_IS_ACTION (self), DLG_DISPOSITION_PROPOSED);
  return self->disposition;
}

const char *
dlg_action_get_dismissal_reason (DlgAction *self)
{
  g_return_val_if_fail (DLG_IS_ACTION (self), NULL);
  return self->dismissal_reason;
}

/**
 * dlg_action_get_findings:
 *
 * Returns: (transfer none): the ids of the questions whose amber or red
 *   answers the action answers, %NULL-terminated
 */
const char * const *
dlg_action_get_findings (DlgAction *self)
{
  g_return_val_if_fail (DLG_IS_ACTION (self), NULL);
  return (const char * const *) self->findings;
}

gboolean
dlg_action_answers_finding (DlgAction  *self,
                            const char *question_id)
{
  g_return_val_if_fail (DLG_IS_ACTION (self), FALSE);
  return g_strv_contains ((const char * const *) self->findings, question_id);
}

static gboolean
valid_findings (const char * const  *ids,
                GError             **error)
{
  for (guint i = 0; ids && ids[i]; i++)
    {
      if (is_blank (ids[i]))
        {
          g_set_error_literal (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_VALUE,
                               _("A finding must name a question"));
          return FALSE;
        }
      for (guint j = 0; j < i; j++)
        if (strcmp (ids[i], ids[j]) == 0)
          {
            g_set_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_VALUE,
                         _("The finding “%s” is listed twice"), ids[i]);
            return FALSE;
          }
    }
  return TRUE;
}

gboolean
dlg_action_set_findings (DlgAction           *self,
                         const char * const  *question_ids,
                         GError             **error)
{
  g_return_val_if_fail (DLG_IS_ACTION (self), FALSE);

  if (!check_editable (self, error) || !valid_findings (question_ids, error))
    return FALSE;

  if (g_strv_equal ((const char * const *) self->findings, question_ids ? question_ids : (const char * const[]) { NULL }))
    return TRUE;

  g_strfreev (self->findings);
  self->findings = question_ids ? g_strdupv ((char **) question_ids) : g_new0 (char *, 1);
  content_changed (self);
  emit_changed (self);
  return TRUE;
}

DlgPriority
dlg_action_get_priority (DlgAction *self)
{
  g_return_val_if_fail (DLG_IS_ACTION (self), DLG_PRIORITY_MINOR);
  return self->priority;
}

gboolean
dlg_action_set_priority (DlgAction    *self,
                         DlgPriority   priority,
                         GError      **error)
{
  g_return_val_if_fail (DLG_IS_ACTION (self), FALSE);
  g_return_val_if_fail (priority <= DLG_PRIORITY_PRIORITY, FALSE);

  if (!check_editable (self, error))
    return FALSE;
  if (self->priority == priority)
    return TRUE;

  self->priority = priority;
  content_changed (self);
  emit_changed (self);
  return TRUE;
}

/**
 * dlg_action_get_field:
 *
 * Returns: (nullable): the field's text, %NULL when not set
 */
const char *
dlg_action_get_field (DlgAction      *self,
                      DlgActionField  field)
{
  g_return_val_if_fail (DLG_IS_ACTION (self), NULL);
  g_return_val_if_fail (field < DLG_ACTION_N_FIELDS, NULL);
  return self->fields[field];
}

const char *
dlg_action_get_title (DlgAction *self)
{
  return dlg_action_get_field (self, DLG_ACTION_FIELD_TITLE);
}

const char *
dlg_action_get_due_date (DlgAction *self)
{
  return dlg_action_get_field (self, DLG_ACTION_FIELD_DUE_DATE);
}

static gboolean
valid_email (const char *email)
{
  const char *at = strchr (email, '@');

  if (at == NULL || at == email || at[1] == '\0' || strchr (at + 1, '@') != NULL)
    return FALSE;
  for (const char *p = email; *p; p++)
    if (g_ascii_isspace (*p) || *p == ',' || *p == ';' || *p == '<' || *p == '>')
      return FALSE;
  return TRUE;
}

static gboolean
check_field (DlgActionField   field,
             const char      *value,
             GError         **error)
{
  switch (field)
    {
    case DLG_ACTION_FIELD_TITLE:
      if (value == NULL)
        {
          g_set_error_literal (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_VALUE,
                               _("An action needs a title"));
          return FALSE;
        }
      return TRUE;
    case DLG_ACTION_FIELD_OWNER_EMAIL:
      if (value != NULL && !valid_email (value))
        {
          g_set_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_VALUE,
                       _("“%s” is not an e-mail address"), value);
          return FALSE;
        }
      return TRUE;
    case DLG_ACTION_FIELD_START_DATE:
    case DLG_ACTION_FIELD_DUE_DATE:
      if (value != NULL && !dlg_date_parse (value, NULL))
        {
          g_set_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_VALUE,
                       _("“%s” is not a date written as YYYY-MM-DD"), value);
          return FALSE;
        }
      return TRUE;
    case DLG_ACTION_FIELD_ROOT_CAUSE:
    case DLG_ACTION_FIELD_CORRECTIVE_ACTION:
    case DLG_ACTION_FIELD_PREVENTIVE_ACTION:
    case DLG_ACTION_FIELD_OWNER_NAME:
      return TRUE;
    case DLG_ACTION_N_FIELDS:
    default:
      g_return_val_if_reached (FALSE);
    }
}

/**
 * dlg_action_set_field:
 * @value: (nullable): the new text; %NULL, empty or blank clears the field
 *
 * Dates are "YYYY-MM-DD"; the title cannot be cleared. E-mail addresses
 * and dates are trimmed.
 */
gboolean
dlg_action_set_field (DlgAction       *self,
                      DlgActionField   field,
                      const char      *value,
                      GError         **error)
{
  g_autofree char *text = normalise (value);

  g_return_val_if_fail (DLG_IS_ACTION (self), FALSE);
  g_return_val_if_fail (field < DLG_ACTION_N_FIELDS, FALSE);

  if (text != NULL && (field == DLG_ACTION_FIELD_OWNER_EMAIL || field == DLG_ACTION_FIELD_START_DATE ||
                       field == DLG_ACTION_FIELD_DUE_DATE))
    g_strstrip (text);

  if (!check_field (field, text, error))
    return FALSE;
  if (g_strcmp0 (self->fields[field], text) == 0)
    return TRUE;
  if (!check_editable (self, error))
    return FALSE;

  g_free (self->fields[field]);
  self->fields[field] = g_steal_pointer (&text);
  content_changed (self);
  emit_changed (self);
  return TRUE;
}

DlgActionStatus
dlg_action_get_status (DlgAction *self)
{
  g_return_val_if_fail (DLG_IS_ACTION (self), DLG_ACTION_STATUS_NOT_STARTED);
  return self->status;
}

/**
 * dlg_action_set_status:
 *
 * Moves an accepted action along not started → in progress → done →
 * verified (see #DlgActionStatus). Progress is not content: it may change
 * while the plan waits for approval, and never sends it back to draft.
 */
gboolean
dlg_action_set_status (DlgAction        *self,
                       DlgActionStatus   status,
                       GError          **error)
{
  g_return_val_if_fail (DLG_IS_ACTION (self), FALSE);
  g_return_val_if_fail (status <= DLG_ACTION_STATUS_VERIFIED, FALSE);

  if (self->status == status)
    return TRUE;

  if (self->disposition != DLG_DISPOSITION_ACCEPTED)
    {
      g_set_error_literal (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_TRANSITION,
                           _("Only actions in the plan make progress: accept the proposal first"));
      return FALSE;
    }

  if (!dlg_action_status_can_change (self->status, status))
    {
      if (self->status == DLG_ACTION_STATUS_VERIFIED)
        g_set_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_TRANSITION,
                     _("A verified action is closed; it cannot become “%s” again"),
                     dlg_action_status_get_label (status));
      else
        g_set_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_TRANSITION,
                     _("An action cannot go from “%s” to “%s”"),
                     dlg_action_status_get_label (self->status), dlg_action_status_get_label (status));
      return FALSE;
    }

  self->status = status;
  emit_changed (self);
  return TRUE;
}

DlgReviewState
dlg_action_get_review_state (DlgAction *self)
{
  g_return_val_if_fail (DLG_IS_ACTION (self), DLG_REVIEW_DRAFT);
  return self->review;
}

static gboolean
check_reason (DlgReviewState   decision,
              const char      *reason,
              GError         **error)
{
  if (!is_decision (decision))
    {
      g_set_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_TRANSITION,
                   _("“%s” is not a decision on a plan"), dlg_review_state_get_label (decision));
      return FALSE;
    }
  if (is_blank (reason))
    {
      g_set_error_literal (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_REASON_REQUIRED,
                           _("A decision needs a reason"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
review_transition_error (DlgReviewState   from,
                         DlgReviewState   to,
                         GError         **error)
{
  g_set_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_TRANSITION,
               _("A plan or action cannot go from “%s” to “%s”"),
               dlg_review_state_get_label (from), dlg_review_state_get_label (to));
  return FALSE;
}

/**
 * dlg_action_decide:
 * @decision: approved, changes requested or rejected
 * @reason: why; required
 * @by: (nullable): who decides
 * @when: (nullable): when, or %NULL for now
 *
 * Records the reviewer's decision on one action of a submitted plan.
 */
gboolean
dlg_action_decide (DlgAction       *self,
                   DlgReviewState   decision,
                   const char      *reason,
                   const char      *by,
                   GDateTime       *when,
                   GError         **error)
{
  g_return_val_if_fail (DLG_IS_ACTION (self), FALSE);

  if (!check_reason (decision, reason, error))
    return FALSE;

  if (self->plan == NULL || self->plan->review != DLG_REVIEW_SUBMITTED)
    {
      g_set_error_literal (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_TRANSITION,
                           _("Actions are decided on while their plan is submitted for approval"));
      return FALSE;
    }
  if (self->review != DLG_REVIEW_SUBMITTED)
    return review_transition_error (self->review, decision, error);

  add_event (self->plan, self->id, self->review, decision, reason, by, when);
  self->review = decision;
  emit_changed (self);
  return TRUE;
}

/**
 * dlg_action_get_notes:
 *
 * Returns: (transfer none) (element-type DlgProgressNote): the progress
 *   notes, oldest first
 */
GPtrArray *
dlg_action_get_notes (DlgAction *self)
{
  g_return_val_if_fail (DLG_IS_ACTION (self), NULL);
  return self->notes;
}

static gint
compare_notes (gconstpointer a,
               gconstpointer b)
{
  const DlgProgressNote *na = *(DlgProgressNote **) a;
  const DlgProgressNote *nb = *(DlgProgressNote **) b;

  return strcmp (na->date, nb->date);
}

/**
 * dlg_action_add_note:
 * @date: (nullable): "YYYY-MM-DD", or %NULL for today
 * @text: what happened
 *
 * Adds a dated progress note. Notes are progress, not content: they may be
 * added at any time.
 */
gboolean
dlg_action_add_note (DlgAction   *self,
                     const char  *date,
                     const char  *text,
                     GError     **error)
{
  DlgProgressNote *note;

  g_return_val_if_fail (DLG_IS_ACTION (self), FALSE);

  if (is_blank (text))
    {
      g_set_error_literal (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_VALUE,
                           _("A progress note cannot be empty"));
      return FALSE;
    }
  if (date != NULL && !dlg_date_parse (date, NULL))
    {
      g_set_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_VALUE,
                   _("“%s” is not a date written as YYYY-MM-DD"), date);
      return FALSE;
    }

  note = g_new0 (DlgProgressNote, 1);
  note->date = date ? g_strdup (date) : dlg_date_today ();
  note->text = g_strdup (text);
  g_ptr_array_add (self->notes, note);
  /* Stable: notes of the same day keep the order they were written in. */
  g_ptr_array_sort (self->notes, compare_notes);
  emit_changed (self);
  return TRUE;
}

/**
 * dlg_action_get_evidence:
 *
 * Returns: (transfer none) (element-type DlgEvidenceRef): attached files
 */
GPtrArray *
dlg_action_get_evidence (DlgAction *self)
{
  g_return_val_if_fail (DLG_IS_ACTION (self), NULL);
  return self->evidence;
}

static gboolean
valid_sha256 (const char *sha256)
{
  if (sha256 == NULL || strlen (sha256) != 64)
    return FALSE;
  for (const char *p = sha256; *p; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

/**
 * dlg_action_add_evidence:
 * @name: the file's name as the user knows it
 * @sha256: the SHA-256 of its content, lower-case hex
 *
 * Adding the same content again does nothing.
 */
gboolean
dlg_action_add_evidence (DlgAction   *self,
                         const char  *name,
                         const char  *sha256,
                         GError     **error)
{
  DlgEvidenceRef *ref;

  g_return_val_if_fail (DLG_IS_ACTION (self), FALSE);

  if (is_blank (name) || !valid_sha256 (sha256))
    {
      g_set_error_literal (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_VALUE,
                           _("Evidence needs a file name and the SHA-256 of its content"));
      return FALSE;
    }

  for (guint i = 0; i < self->evidence->len; i++)
    if (strcmp (((DlgEvidenceRef *) g_ptr_array_index (self->evidence, i))->sha256, sha256) == 0)
      return TRUE;

  ref = g_new0 (DlgEvidenceRef, 1);
  ref->name = g_strdup (name);
  ref->sha256 = g_strdup (sha256);
  g_ptr_array_add (self->evidence, ref);
  emit_changed (self);
  return TRUE;
}

/**
 * dlg_action_remove_evidence:
 *
 * Returns: whether there was such evidence
 */
gboolean
dlg_action_remove_evidence (DlgAction  *self,
                            const char *sha256)
{
  g_return_val_if_fail (DLG_IS_ACTION (self), FALSE);

  for (guint i = 0; i < self->evidence->len; i++)
    if (g_strcmp0 (((DlgEvidenceRef *) g_ptr_array_index (self->evidence, i))->sha256, sha256) == 0)
      {
        g_ptr_array_remove_index (self->evidence, i);
        emit_changed (self);
        return TRUE;
      }
  return FALSE;
}

/**
 * dlg_action_get_carried_from:
 *
 * Returns: (nullable): the id of the action of the previous period this
 *   one continues
 */
const char *
dlg_action_get_carried_from (DlgAction *self)
{
  g_return_val_if_fail (DLG_IS_ACTION (self), NULL);
  return self->carried_from;
}

/**
 * dlg_action_is_open:
 *
 * Returns: whether the action is in the plan and not yet done
 */
gboolean
dlg_action_is_open (DlgAction *self)
{
  g_return_val_if_fail (DLG_IS_ACTION (self), FALSE);
  return self->disposition == DLG_DISPOSITION_ACCEPTED &&
         (self->status == DLG_ACTION_STATUS_NOT_STARTED || self->status == DLG_ACTION_STATUS_IN_PROGRESS);
}

/**
 * dlg_action_is_closed:
 *
 * Returns: whether the action is in the plan and done or verified
 */
gboolean
dlg_action_is_closed (DlgAction *self)
{
  g_return_val_if_fail (DLG_IS_ACTION (self), FALSE);
  return self->disposition == DLG_DISPOSITION_ACCEPTED &&
         (self->status == DLG_ACTION_STATUS_DONE || self->status == DLG_ACTION_STATUS_VERIFIED);
}

/**
 * dlg_action_get_urgency:
 * @today: the date to count from (passed in, so that results are
 *   reproducible)
 *
 * An open action is overdue the day after its due date, and due soon from
 * %DLG_ACTION_DUE_SOON_DAYS days before it until the due date itself.
 * Proposals, dismissed, done and verified actions, and actions without a
 * due date, are never either.
 */
DlgUrgency
dlg_action_get_urgency (DlgAction   *self,
                        const GDate *today)
{
  GDate due;
  int days;

  g_return_val_if_fail (DLG_IS_ACTION (self), DLG_URGENCY_NONE);
  g_return_val_if_fail (today != NULL && g_date_valid (today), DLG_URGENCY_NONE);

  if (!dlg_action_is_open (self) || !dlg_date_parse (self->fields[DLG_ACTION_FIELD_DUE_DATE], &due))
    return DLG_URGENCY_NONE;

  days = g_date_days_between (today, &due);
  if (days < 0)
    return DLG_URGENCY_OVERDUE;
  if (days <= DLG_ACTION_DUE_SOON_DAYS)
    return DLG_URGENCY_DUE_SOON;
  return DLG_URGENCY_NONE;
}

/* ------------------------------------------------------------------------ */
/* DlgActionPlan                                                            */
/* ------------------------------------------------------------------------ */

static GType
list_get_item_type (GListModel *model)
{
  return DLG_TYPE_ACTION;
}

static guint
list_get_n_items (GListModel *model)
{
  return DLG_ACTION_PLAN (model)->actions->len;
}

static gpointer
list_get_item (GListModel *model,
               guint       position)
{
  DlgActionPlan *self = DLG_ACTION_PLAN (model);

  if (position >= self->actions->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->actions, position));
}

static void
dlg_action_plan_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = list_get_item_type;
  iface->get_n_items = list_get_n_items;
  iface->get_item = list_get_item;
}

static void
detach_action (gpointer data)
{
  DlgAction *action = data;

  action->plan = NULL;
  g_object_unref (action);
}

static void
dlg_action_plan_finalize (GObject *object)
{
  DlgActionPlan *self = (DlgActionPlan *) object;

  g_free (self->questionnaire_id);
  g_free (self->questionnaire_version);
  g_ptr_array_unref (self->actions);
  g_ptr_array_unref (self->history);

  G_OBJECT_CLASS (dlg_action_plan_parent_class)->finalize (object);
}

static void
dlg_action_plan_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DlgActionPlan *self = DLG_ACTION_PLAN (object);

  switch (prop_id)
    {
    case PROP_REVISION:
      g_value_set_uint (value, self->revision);
      break;
    case PROP_REVIEW_STATE:
      g_value_set_int (value, self->review);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dlg_action_plan_class_init (DlgActionPlanClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dlg_action_plan_finalize;
  object_class->get_property = dlg_action_plan_get_property;

  /**
   * DlgActionPlan:revision:
   *
   * Grows by one with every change, as DlgAssessment:revision does.
   */
  properties[PROP_REVISION] =
    g_param_spec_uint ("revision", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * DlgActionPlan:review-state:
   *
   * The plan's #DlgReviewState.
   */
  properties[PROP_REVIEW_STATE] =
    g_param_spec_int ("review-state", NULL, NULL, DLG_REVIEW_DRAFT, DLG_REVIEW_REJECTED, DLG_REVIEW_DRAFT,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DlgActionPlan::changed:
   * @action: (nullable): the action that changed, or %NULL for the plan
   *   itself (actions added, removed or reordered, review state)
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, DLG_TYPE_ACTION);
}

static void
dlg_action_plan_init (DlgActionPlan *self)
{
  self->actions = g_ptr_array_new_with_free_func (detach_action);
  self->history = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_review_event_free);
}

static void
plan_changed (DlgActionPlan *self,
              DlgAction     *action)
{
  self->revision++;
  g_signal_emit (self, signals[CHANGED], 0, action);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVISION]);
}

static void
add_event (DlgActionPlan  *self,
           const char     *action_id,
           DlgReviewState  from,
           DlgReviewState  to,
           const char     *reason,
           const char     *by,
           GDateTime      *when)
{
  DlgReviewEvent *event = g_new0 (DlgReviewEvent, 1);

  event->at = format_time (when);
  event->action_id = g_strdup (action_id);
  event->from = from;
  event->to = to;
  event->reason = normalise (reason);
  event->by = normalise (by);
  g_ptr_array_add (self->history, event);
}

/**
 * dlg_action_plan_new:
 *
 * Returns: (transfer full): an empty plan, in draft
 */
DlgActionPlan *
dlg_action_plan_new (const char *questionnaire_id,
                     const char *questionnaire_version)
{
  DlgActionPlan *self = g_object_new (DLG_TYPE_ACTION_PLAN, NULL);

  self->questionnaire_id = g_strdup (questionnaire_id);
  self->questionnaire_version = g_strdup (questionnaire_version);
  return self;
}

const char *
dlg_action_plan_get_questionnaire_id (DlgActionPlan *self)
{
  g_return_val_if_fail (DLG_IS_ACTION_PLAN (self), NULL);
  return self->questionnaire_id;
}

const char *
dlg_action_plan_get_questionnaire_version (DlgActionPlan *self)
{
  g_return_val_if_fail (DLG_IS_ACTION_PLAN (self), NULL);
  return self->questionnaire_version;
}

guint
dlg_action_plan_get_revision (DlgActionPlan *self)
{
  g_return_val_if_fail (DLG_IS_ACTION_PLAN (self), 0);
  return self->revision;
}

guint
dlg_action_plan_get_n_actions (DlgActionPlan *self)
{
  g_return_val_if_fail (DLG_IS_ACTION_PLAN (self), 0);
  return self->actions->len;
}

/**
 * dlg_action_plan_get_action:
 *
 * Returns: (transfer none): the action at @index
 */
DlgAction *
dlg_action_plan_get_action (DlgActionPlan *self,
                            guint          index)
{
  g_return_val_if_fail (DLG_IS_ACTION_PLAN (self), NULL);
  g_return_val_if_fail (index < self->actions->len, NULL);
  return g_ptr_array_index (self->actions, index);
}

/**
 * dlg_action_plan_lookup_action:
 *
 * Returns: (transfer none) (nullable): the action with @id
 */
DlgAction *
dlg_action_plan_lookup_action (DlgActionPlan *self,
                               const char    *id)
{
  g_return_val_if_fail (DLG_IS_ACTION_PLAN (self), NULL);

  for (guint i = 0; i < self->actions->len; i++)
    {
      DlgAction *action = g_ptr_array_index (self->actions, i);

      if (g_strcmp0 (action->id, id) == 0)
        return action;
    }
  return NULL;
}

DlgReviewState
dlg_action_plan_get_review_state (DlgActionPlan *self)
{
  g_return_val_if_fail (DLG_IS_ACTION_PLAN (self), DLG_REVIEW_DRAFT);
  return self->review;
}

/**
 * dlg_action_plan_get_history:
 *
 * Returns: (transfer none) (element-type DlgReviewEvent): every review
 *   step, oldest first
 */
GPtrArray *
dlg_action_plan_get_history (DlgActionPlan *self)
{
  g_return_val_if_fail (DLG_IS_ACTION_PLAN (self), NULL);
  return self->history;
}

static void
append_action (DlgActionPlan *self,
               DlgAction     *action)
{
  action->plan = self;
  g_ptr_array_add (self->actions, action);
  g_list_model_items_changed (G_LIST_MODEL (self), self->actions->len - 1, 0, 1);
}

static gboolean
check_plan_editable (DlgActionPlan  *self,
                     GError        **error)
{
  if (self->review == DLG_REVIEW_SUBMITTED)
    {
      g_set_error_literal (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_LOCKED,
                           _("The plan is waiting for approval. Withdraw it to change its actions."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_own (DlgActionPlan  *self,
           DlgAction      *action,
           GError        **error)
{
  if (action == NULL || action->plan != self)
    {
      g_set_error_literal (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_NOT_FOUND,
                           _("The action is not in this plan"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_finding (const DlgEvaluation *ev,
            const DlgQuestion   *q)
{
  const DlgQuestionResult *r = &ev->questions[q->index];
  DlgPriority priority;

  return r->visible && dlg_finding_get_priority (q, r->level, &priority);
}

/* A proposal nobody has worked on may be taken back or re-ranked when the
 * answers change; one with the user's words in it stays. */
static gboolean
is_untouched_proposal (DlgAction *action)
{
  if (action->disposition != DLG_DISPOSITION_PROPOSED || action->carried_from != NULL ||
      action->notes->len > 0 || action->evidence->len > 0)
    return FALSE;
  for (guint f = DLG_ACTION_FIELD_ROOT_CAUSE; f < DLG_ACTION_N_FIELDS; f++)
    if (action->fields[f] != NULL)
      return FALSE;
  return TRUE;
}

/**
 * dlg_action_plan_propose:
 * @evaluation: the assessment's current evaluation
 * @language: (nullable): the language of the proposals' titles
 *
 * Proposes an action, not started, for every visible amber or red answer
 * that no action (proposed, accepted or dismissed) answers yet, with the
 * priority of dlg_finding_get_priority(). Proposals nobody has worked on
 * follow the answers: their priority is updated, and they are taken back
 * when their findings are gone.
 *
 * Returns: how many proposals were added
 */
guint
dlg_action_plan_propose (DlgActionPlan       *self,
                         const DlgEvaluation *evaluation,
                         const char          *language)
{
  g_autoptr(GHashTable) covered = NULL;
  DlgQuestionnaire *q;
  gboolean changed = FALSE;
  guint added = 0;

  g_return_val_if_fail (DLG_IS_ACTION_PLAN (self), 0);
  g_return_val_if_fail (evaluation != NULL, 0);

  q = evaluation->questionnaire;

  /* First follow the answers with the untouched proposals. */
  for (guint i = self->actions->len; i-- > 0;)
    {
      DlgAction *action = g_ptr_array_index (self->actions, i);
      gboolean any = FALSE;
      DlgPriority best = DLG_PRIORITY_MINOR;

      if (!is_untouched_proposal (action))
        continue;

      for (guint f = 0; action->findings[f]; f++)
        {
          DlgQuestion *question = dlg_questionnaire_lookup_question (q, action->findings[f]);
          DlgPriority priority;

          if (question != NULL && is_finding (evaluation, question) &&
              dlg_finding_get_priority (question, evaluation->questions[question->index].level, &priority))
            {
              best = any ? MAX (best, priority) : priority;
              any = TRUE;
            }
        }

      if (!any)
        {
          g_ptr_array_remove_index (self->actions, i);
          g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 0);
          changed = TRUE;
        }
      else if (best != action->priority)
        {
          action->priority = best;
          changed = TRUE;
        }
    }

  /* This runs after every answer: one pass over the actions, one over the
   * questions, whatever their number. */
  covered = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint a = 0; a < self->actions->len; a++)
    {
      DlgAction *action = g_ptr_array_index (self->actions, a);

      for (guint f = 0; action->findings[f]; f++)
        g_hash_table_add (covered, action->findings[f]);
    }

  for (guint i = 0; i < evaluation->n_questions; i++)
    {
      DlgQuestion *question = dlg_questionnaire_get_question (q, i);
      const char *findings[] = { question->id, NULL };
      DlgAction *action;

      if (!is_finding (evaluation, question) || g_hash_table_contains (covered, question->id))
        continue;

      action = action_new (NULL);
      action->disposition = DLG_DISPOSITION_PROPOSED;
      dlg_finding_get_priority (question, evaluation->questions[i].level, &action->priority);
      g_strfreev (action->findings);
      action->findings = g_strdupv ((char **) findings);
      action->fields[DLG_ACTION_FIELD_TITLE] = g_strdup (dlg_text_get (question->text, language));
      append_action (self, action);
      added++;
      changed = TRUE;
    }

  if (changed)
    plan_changed (self, NULL);
  return added;
}

/**
 * dlg_action_plan_add_action:
 * @title: what is to be done, in a few words
 * @findings: (nullable): the questions whose findings it answers
 * @priority: its priority
 *
 * Adds an action of the user's own to the plan, not started.
 *
 * Returns: (transfer none): the new action, or %NULL
 */
DlgAction *
dlg_action_plan_add_action (DlgActionPlan       *self,
                            const char          *title,
                            const char * const  *findings,
                            DlgPriority          priority,
                            GError             **error)
{
  g_autoptr(DlgAction) action = NULL;
  g_autofree char *text = normalise (title);

  g_return_val_if_fail (DLG_IS_ACTION_PLAN (self), NULL);
  g_return_val_if_fail (priority <= DLG_PRIORITY_PRIORITY, NULL);

  if (!check_plan_editable (self, error) ||
      !check_field (DLG_ACTION_FIELD_TITLE, text, error) ||
      !valid_findings (findings, error))
    return NULL;

  action = action_new (NULL);
  action->disposition = DLG_DISPOSITION_ACCEPTED;
  action->priority = priority;
  action->fields[DLG_ACTION_FIELD_TITLE] = g_steal_pointer (&text);
  if (findings != NULL)
    {
      g_strfreev (action->findings);
      action->findings = g_strdupv ((char **) findings);
    }

  append_action (self, g_object_ref (action));
  content_changed (action);
  plan_changed (self, NULL);
  return action;
}

/**
 * dlg_action_plan_accept:
 *
 * Takes a proposal into the plan.
 */
gboolean
dlg_action_plan_accept (DlgActionPlan  *self,
                        DlgAction      *action,
                        GError        **error)
{
  g_return_val_if_fail (DLG_IS_ACTION_PLAN (self), FALSE);

  if (!check_own (self, action, error) || !check_plan_editable (self, error))
    return FALSE;
  if (action->disposition == DLG_DISPOSITION_ACCEPTED)
    return TRUE;
  if (action->disposition != DLG_DISPOSITION_PROPOSED)
    {
      g_set_error_literal (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_TRANSITION,
                           _("A dismissed proposal must be restored before it is accepted"));
      return FALSE;
    }

  action->disposition = DLG_DISPOSITION_ACCEPTED;
  content_changed (action);
  plan_changed (self, action);
  return TRUE;
}

/**
 * dlg_action_plan_dismiss:
 * @reason: why the finding needs no action; required
 *
 * Turns a proposal down. It stays in the plan, with its reason, so that it
 * is not proposed again and the reviewer can see why.
 */
gboolean
dlg_action_plan_dismiss (DlgActionPlan  *self,
                         DlgAction      *action,
                         const char     *reason,
                         GError        **error)
{
  g_return_val_if_fail (DLG_IS_ACTION_PLAN (self), FALSE);

  if (!check_own (self, action, error) || !check_plan_editable (self, error))
    return FALSE;
  if (action->disposition != DLG_DISPOSITION_PROPOSED)
    {
      g_set_error_literal (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_TRANSITION,
                           _("Only proposals can be dismissed"));
      return FALSE;
    }
  if (is_blank (reason))
    {
      g_set_error_literal (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_REASON_REQUIRED,
                           _("Say why this finding needs no action"));
      return FALSE;
    }

  action->disposition = DLG_DISPOSITION_DISMISSED;
  g_free (action->dismissal_reason);
  action->dismissal_reason = g_strdup (reason);
  plan_changed (self, action);
  return TRUE;
}

/**
 * dlg_action_plan_restore:
 *
 * Makes a dismissed proposal a proposal again.
 */
gboolean
dlg_action_plan_restore (DlgActionPlan  *self,
                         DlgAction      *action,
                         GError        **error)
{
  g_return_val_if_fail (DLG_IS_ACTION_PLAN (self), FALSE);

  if (!check_own (self, action, error))
    return FALSE;
  if (action->disposition != DLG_DISPOSITION_DISMISSED)
    {
      g_set_error_literal (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_TRANSITION,
                           _("Only dismissed proposals can be restored"));
      return FALSE;
    }

  action->disposition = DLG_DISPOSITION_PROPOSED;
  g_clear_pointer (&action->dismissal_reason, g_free);
  plan_changed (self, action);
  return TRUE;
}

/**
 * dlg_action_plan_remove_action:
 *
 * Deletes an action for good. Proposals are dismissed rather than removed,
 * so that the reason stays on record; verified actions stay as proof.
 */
gboolean
dlg_action_plan_remove_action (DlgActionPlan  *self,
                               DlgAction      *action,
                               GError        **error)
{
  guint index;

  g_return_val_if_fail (DLG_IS_ACTION_PLAN (self), FALSE);

  if (!check_own (self, action, error) || !check_plan_editable (self, error))
    return FALSE;
  if (action->disposition == DLG_DISPOSITION_PROPOSED)
    {
      g_set_error_literal (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_TRANSITION,
                           _("A proposal is dismissed, with a reason, rather than deleted"));
      return FALSE;
    }
  if (action->status == DLG_ACTION_STATUS_VERIFIED)
    {
      g_set_error_literal (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_TRANSITION,
                           _("A verified action is kept as a record"));
      return FALSE;
    }

  content_changed (action);
  g_ptr_array_find (self->actions, action, &index);
  g_ptr_array_remove_index (self->actions, index);
  g_list_model_items_changed (G_LIST_MODEL (self), index, 1, 0);
  plan_changed (self, NULL);
  return TRUE;
}

static char *
join_texts (DlgAction      **actions,
            guint            n,
            DlgActionField   field)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      const char *text = actions[i]->fields[field];

      if (text == NULL || g_ptr_array_find_with_equal_func (seen, text, g_str_equal, NULL))
        continue;
      g_ptr_array_add (seen, (gpointer) text);
      g_string_append_printf (out, "%s%s", out->len ? "\n\n" : "", text);
    }
  return out->len ? g_strdup (out->str) : NULL;
}

static const char *
earliest_date (DlgAction      **actions,
               guint            n,
               DlgActionField   field)
{
  const char *best = NULL;

  /* ISO dates sort as text. */
  for (guint i = 0; i < n; i++)
    if (actions[i]->fields[field] != NULL &&
        (best == NULL || strcmp (actions[i]->fields[field], best) < 0))
      best = actions[i]->fields[field];
  return best;
}

/**
 * dlg_action_plan_merge:
 * @actions: (array length=n_actions): two or more actions of the plan
 *
 * Makes one action of several that share a cause: it answers all their
 * findings, with the highest priority, the first title, every distinct
 * root cause and action text, the earliest dates, the least advanced
 * status, and all notes and evidence. The first action is kept; the others
 * are removed. It is in the plan if any of them was.
 *
 * Returns: (transfer none): the merged action, or %NULL
 */
DlgAction *
dlg_action_plan_merge (DlgActionPlan  *self,
                       DlgAction     **actions,
                       guint           n_actions,
                       GError        **error)
{
  g_autoptr(GPtrArray) findings = g_ptr_array_new ();
  DlgAction *target;
  gboolean accepted = FALSE;

  g_return_val_if_fail (DLG_IS_ACTION_PLAN (self), NULL);

  if (n_actions < 2)
    {
      g_set_error_literal (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_VALUE,
                           _("Choose at least two actions to merge"));
      return NULL;
    }
  if (!check_plan_editable (self, error))
    return NULL;

  for (guint i = 0; i < n_actions; i++)
    {
      if (!check_own (self, actions[i], error))
        return NULL;
      for (guint j = 0; j < i; j++)
        if (actions[i] == actions[j])
          {
            g_set_error_literal (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_VALUE,
                                 _("An action cannot be merged with itself"));
            return NULL;
          }
      if (actions[i]->disposition == DLG_DISPOSITION_DISMISSED)
        {
          g_set_error_literal (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_TRANSITION,
                               _("Dismissed proposals cannot be merged"));
          return NULL;
        }
      if (actions[i]->status == DLG_ACTION_STATUS_VERIFIED)
        {
          g_set_error_literal (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_TRANSITION,
                               _("Verified actions are closed and cannot be merged"));
          return NULL;
        }
    }

  target = actions[0];
  for (guint i = 0; i < n_actions; i++)
    {
      accepted |= actions[i]->disposition == DLG_DISPOSITION_ACCEPTED;
      for (guint f = 0; actions[i]->findings[f]; f++)
        if (!g_ptr_array_find_with_equal_func (findings, actions[i]->findings[f], g_str_equal, NULL))
          g_ptr_array_add (findings, actions[i]->findings[f]);
    }

  /* Everything is computed from the originals before the target changes. */
  {
    char *texts[DLG_ACTION_N_FIELDS] = { NULL };
    DlgPriority priority = target->priority;
    DlgActionStatus status = target->status;
    char **new_findings;

    for (guint f = DLG_ACTION_FIELD_ROOT_CAUSE; f <= DLG_ACTION_FIELD_PREVENTIVE_ACTION; f++)
      texts[f] = join_texts (actions, n_actions, f);
    for (guint f = DLG_ACTION_FIELD_OWNER_NAME; f <= DLG_ACTION_FIELD_OWNER_EMAIL; f++)
      for (guint i = 0; i < n_actions && texts[f] == NULL; i++)
        texts[f] = g_strdup (actions[i]->fields[f]);
    texts[DLG_ACTION_FIELD_START_DATE] = g_strdup (earliest_date (actions, n_actions, DLG_ACTION_FIELD_START_DATE));
    texts[DLG_ACTION_FIELD_DUE_DATE] = g_strdup (earliest_date (actions, n_actions, DLG_ACTION_FIELD_DUE_DATE));

    for (guint i = 1; i < n_actions; i++)
      {
        priority = MAX (priority, actions[i]->priority);
        status = MIN (status, actions[i]->status);
      }

    g_ptr_array_add (findings, NULL);
    new_findings = g_strdupv ((char **) findings->pdata);
    g_strfreev (target->findings);
    target->findings = new_findings;

    for (guint f = DLG_ACTION_FIELD_ROOT_CAUSE; f < DLG_ACTION_N_FIELDS; f++)
      {
        g_free (target->fields[f]);
        target->fields[f] = texts[f];
      }
    target->priority = priority;
    target->status = status;
  }

  for (guint i = 1; i < n_actions; i++)
    {
      for (guint k = 0; k < actions[i]->notes->len; k++)
        {
          DlgProgressNote *note = g_ptr_array_index (actions[i]->notes, k);
          DlgProgressNote *copy = g_new0 (DlgProgressNote, 1);

          copy->date = g_strdup (note->date);
          copy->text = g_strdup (note->text);
          g_ptr_array_add (target->notes, copy);
        }
      for (guint k = 0; k < actions[i]->evidence->len; k++)
        {
          DlgEvidenceRef *ref = g_ptr_array_index (actions[i]->evidence, k);
          gboolean present = FALSE;

          for (guint m = 0; m < target->evidence->len && !present; m++)
            present = strcmp (((DlgEvidenceRef *) g_ptr_array_index (target->evidence, m))->sha256, ref->sha256) == 0;
          if (!present)
            {
              DlgEvidenceRef *copy = g_new0 (DlgEvidenceRef, 1);

              copy->name = g_strdup (ref->name);
              copy->sha256 = g_strdup (ref->sha256);
              g_ptr_array_add (target->evidence, copy);
            }
        }
    }
  g_ptr_array_sort (target->notes, compare_notes);

  for (guint i = 1; i < n_actions; i++)
    {
      guint index;

      content_changed (actions[i]);
      g_ptr_array_find (self->actions, actions[i], &index);
      g_ptr_array_remove_index (self->actions, index);
      g_list_model_items_changed (G_LIST_MODEL (self), index, 1, 0);
    }

  if (accepted)
    target->disposition = DLG_DISPOSITION_ACCEPTED;
  content_changed (target);
  plan_changed (self, NULL);
  return target;
}

/**
 * dlg_action_plan_check:
 *
 * Lists what keeps the plan from being submitted: proposals neither
 * accepted nor dismissed, and actions in the plan without a corrective
 * action, an owner or a due date.
 *
 * Returns: (transfer full) (element-type utf8): the problems, translated;
 *   empty when the plan can be submitted
 */
GPtrArray *
dlg_action_plan_check (DlgActionPlan *self)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
  guint n_proposed = 0, n_accepted = 0;

  g_return_val_if_fail (DLG_IS_ACTION_PLAN (self), problems);

  for (guint i = 0; i < self->actions->len; i++)
    {
      DlgAction *action = g_ptr_array_index (self->actions, i);
      const char *title = action->fields[DLG_ACTION_FIELD_TITLE];
      const char *start = action->fields[DLG_ACTION_FIELD_START_DATE];
      const char *due = action->fields[DLG_ACTION_FIELD_DUE_DATE];

      if (action->disposition == DLG_DISPOSITION_PROPOSED)
        n_proposed++;
      if (action->disposition != DLG_DISPOSITION_ACCEPTED)
        continue;
      n_accepted++;

      if (action->fields[DLG_ACTION_FIELD_CORRECTIVE_ACTION] == NULL)
        g_ptr_array_add (problems, g_strdup_printf (_("“%s” has no corrective action"), title));
      if (action->fields[DLG_ACTION_FIELD_OWNER_NAME] == NULL)
        g_ptr_array_add (problems, g_strdup_printf (_("“%s” has no owner"), title));
      if (due == NULL)
        g_ptr_array_add (problems, g_strdup_printf (_("“%s” has no due date"), title));
      else if (start != NULL && strcmp (due, start) < 0)
        g_ptr_array_add (problems, g_strdup_printf (_("“%s” is due before it starts"), title));
    }

  if (n_proposed > 0)
    g_ptr_array_insert (problems, 0,
                        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                      "%u proposal is neither accepted nor dismissed",
                                                      "%u proposals are neither accepted nor dismissed",
                                                      n_proposed),
                                         n_proposed));
  if (n_accepted == 0)
    g_ptr_array_insert (problems, 0, g_strdup (_("The plan has no actions yet")));

  return problems;
}

static void
set_plan_review (DlgActionPlan  *self,
                 DlgReviewState  to,
                 const char     *reason,
                 const char     *by,
                 GDateTime      *when)
{
  add_event (self, NULL, self->review, to, reason, by, when);
  self->review = to;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVIEW_STATE]);
}

/**
 * dlg_action_plan_submit:
 * @by: (nullable): who submits
 * @when: (nullable): when, or %NULL for now
 *
 * Submits the plan for approval: the plan and every action in it that is
 * not already approved become "submitted". Refused with
 * %DLG_ACTION_PLAN_ERROR_INCOMPLETE while dlg_action_plan_check() has
 * something to say.
 */
gboolean
dlg_action_plan_submit (DlgActionPlan  *self,
                        const char     *by,
                        GDateTime      *when,
                        GError        **error)
{
  g_autoptr(GPtrArray) problems = NULL;

  g_return_val_if_fail (DLG_IS_ACTION_PLAN (self), FALSE);

  if (!dlg_review_state_can_change (self->review, DLG_REVIEW_SUBMITTED))
    return review_transition_error (self->review, DLG_REVIEW_SUBMITTED, error);

  problems = dlg_action_plan_check (self);
  if (problems->len > 0)
    {
      if (problems->len == 1)
        g_set_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INCOMPLETE,
                     _("The plan cannot be submitted yet: %s."), (char *) g_ptr_array_index (problems, 0));
      else
        g_set_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INCOMPLETE,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "The plan cannot be submitted yet: %s, and %u more problem.",
                                  "The plan cannot be submitted yet: %s, and %u more problems.",
                                  problems->len - 1),
                     (char *) g_ptr_array_index (problems, 0), problems->len - 1);
      return FALSE;
    }

  set_plan_review (self, DLG_REVIEW_SUBMITTED, NULL, by, when);
  for (guint i = 0; i < self->actions->len; i++)
    {
      DlgAction *action = g_ptr_array_index (self->actions, i);

      if (action->disposition == DLG_DISPOSITION_ACCEPTED && action->review != DLG_REVIEW_APPROVED)
        {
          add_event (self, action->id, action->review, DLG_REVIEW_SUBMITTED, NULL, by, when);
          action->review = DLG_REVIEW_SUBMITTED;
        }
    }

  plan_changed (self, NULL);
  return TRUE;
}

/**
 * dlg_action_plan_decide:
 * @decision: approved, changes requested or rejected
 * @reason: why; required
 * @by: (nullable): who decides
 * @when: (nullable): when, or %NULL for now
 *
 * Records the reviewer's decision on a submitted plan. Actions still
 * waiting for a decision of their own get the same one.
 */
gboolean
dlg_action_plan_decide (DlgActionPlan   *self,
                        DlgReviewState   decision,
                        const char      *reason,
                        const char      *by,
                        GDateTime       *when,
                        GError         **error)
{
  g_return_val_if_fail (DLG_IS_ACTION_PLAN (self), FALSE);

  if (!check_reason (decision, reason, error))
    return FALSE;
  if (self->review != DLG_REVIEW_SUBMITTED)
    return review_transition_error (self->review, decision, error);

  set_plan_review (self, decision, reason, by, when);
  for (guint i = 0; i < self->actions->len; i++)
    {
      DlgAction *action = g_ptr_array_index (self->actions, i);

      if (action->disposition == DLG_DISPOSITION_ACCEPTED && action->review == DLG_REVIEW_SUBMITTED)
        {
          add_event (self, action->id, action->review, decision, reason, by, when);
          action->review = decision;
        }
    }

  plan_changed (self, NULL);
  return TRUE;
}

/**
 * dlg_action_plan_reopen:
 * @reason: (nullable): why
 *
 * Takes the plan back to draft: withdrawn while it waits for a decision,
 * or reopened after one to change it. Actions waiting for a decision go
 * back to draft too; decided ones keep their decision.
 */
gboolean
dlg_action_plan_reopen (DlgActionPlan  *self,
                        const char     *reason,
                        const char     *by,
                        GDateTime      *when,
                        GError        **error)
{
  g_return_val_if_fail (DLG_IS_ACTION_PLAN (self), FALSE);

  if (!dlg_review_state_can_change (self->review, DLG_REVIEW_DRAFT))
    return review_transition_error (self->review, DLG_REVIEW_DRAFT, error);

  set_plan_review (self, DLG_REVIEW_DRAFT, reason, by, when);
  for (guint i = 0; i < self->actions->len; i++)
    {
      DlgAction *action = g_ptr_array_index (self->actions, i);

      if (action->review == DLG_REVIEW_SUBMITTED)
        {
          add_event (self, action->id, action->review, DLG_REVIEW_DRAFT, reason, by, when);
          action->review = DLG_REVIEW_DRAFT;
        }
    }

  plan_changed (self, NULL);
  return TRUE;
}

/**
 * dlg_action_plan_count:
 * @today: the date overdue is counted from
 * @n_open: (out) (optional): actions in the plan not yet done
 * @n_overdue: (out) (optional): open actions past their due date
 * @n_closed: (out) (optional): actions done or verified
 * @n_proposed: (out) (optional): proposals waiting for a decision
 */
void
dlg_action_plan_count (DlgActionPlan *self,
                       const GDate   *today,
                       guint         *n_open,
                       guint         *n_overdue,
                       guint         *n_closed,
                       guint         *n_proposed)
{
  guint open = 0, overdue = 0, closed = 0, proposed = 0;

  g_return_if_fail (DLG_IS_ACTION_PLAN (self));

  for (guint i = 0; i < self->actions->len; i++)
    {
      DlgAction *action = g_ptr_array_index (self->actions, i);

      if (action->disposition == DLG_DISPOSITION_PROPOSED)
        proposed++;
      else if (dlg_action_is_open (action))
        {
          open++;
          if (today != NULL && dlg_action_get_urgency (action, today) == DLG_URGENCY_OVERDUE)
            overdue++;
        }
      else if (dlg_action_is_closed (action))
        closed++;
    }

  if (n_open)
    *n_open = open;
  if (n_overdue)
    *n_overdue = overdue;
  if (n_closed)
    *n_closed = closed;
  if (n_proposed)
    *n_proposed = proposed;
}

static DlgAction *
action_copy (DlgAction *action,
             gboolean   same_id)
{
  DlgAction *copy = action_new (same_id ? action->id : NULL);

  copy->disposition = action->disposition;
  copy->dismissal_reason = g_strdup (action->dismissal_reason);
  g_strfreev (copy->findings);
  copy->findings = g_strdupv (action->findings);
  copy->priority = action->priority;
  for (guint f = 0; f < DLG_ACTION_N_FIELDS; f++)
    copy->fields[f] = g_strdup (action->fields[f]);
  copy->status = action->status;
  copy->review = action->review;
  for (guint i = 0; i < action->notes->len; i++)
    {
      DlgProgressNote *note = g_ptr_array_index (action->notes, i);
      DlgProgressNote *n = g_new0 (DlgProgressNote, 1);

      n->date = g_strdup (note->date);
      n->text = g_strdup (note->text);
      g_ptr_array_add (copy->notes, n);
    }
  for (guint i = 0; i < action->evidence->len; i++)
    {
      DlgEvidenceRef *ref = g_ptr_array_index (action->evidence, i);
      DlgEvidenceRef *r = g_new0 (DlgEvidenceRef, 1);

      r->name = g_strdup (ref->name);
      r->sha256 = g_strdup (ref->sha256);
      g_ptr_array_add (copy->evidence, r);
    }
  copy->carried_from = g_strdup (action->carried_from);
  return copy;
}

/**
 * dlg_action_plan_copy:
 *
 * Returns: (transfer full): a deep copy, with the same ids and history
 */
DlgActionPlan *
dlg_action_plan_copy (DlgActionPlan *self)
{
  DlgActionPlan *copy;

  g_return_val_if_fail (DLG_IS_ACTION_PLAN (self), NULL);

  copy = dlg_action_plan_new (self->questionnaire_id, self->questionnaire_version);
  copy->review = self->review;
  for (guint i = 0; i < self->actions->len; i++)
    {
      DlgAction *action = action_copy (g_ptr_array_index (self->actions, i), TRUE);

      action->plan = copy;
      g_ptr_array_add (copy->actions, action);
    }
  for (guint i = 0; i < self->history->len; i++)
    {
      DlgReviewEvent *event = g_ptr_array_index (self->history, i);
      DlgReviewEvent *e = g_new0 (DlgReviewEvent, 1);

      e->at = g_strdup (event->at);
      e->action_id = g_strdup (event->action_id);
      e->from = event->from;
      e->to = event->to;
      e->reason = g_strdup (event->reason);
      e->by = g_strdup (event->by);
      g_ptr_array_add (copy->history, e);
    }
  return copy;
}

/**
 * dlg_action_plan_carry_over:
 * @questionnaire_id: the next period's questionnaire
 * @questionnaire_version: and its version
 * @note: (nullable): a progress note added to every action carried, dated
 *   today
 *
 * Starts the next period's plan: a draft with a copy of every open action
 * (in the plan, not started or in progress), each with a new id that
 * remembers the one it continues. Done and verified actions, proposals and
 * dismissed ones stay with their period.
 *
 * Returns: (transfer full): the new plan
 */
DlgActionPlan *
dlg_action_plan_carry_over (DlgActionPlan *self,
                            const char    *questionnaire_id,
                            const char    *questionnaire_version,
                            const char    *note)
{
  DlgActionPlan *next;

  g_return_val_if_fail (DLG_IS_ACTION_PLAN (self), NULL);

  next = dlg_action_plan_new (questionnaire_id, questionnaire_version);
  for (guint i = 0; i < self->actions->len; i++)
    {
      DlgAction *action = g_ptr_array_index (self->actions, i);
      DlgAction *copy;

      if (!dlg_action_is_open (action))
        continue;

      copy = action_copy (action, FALSE);
      g_free (copy->carried_from);
      copy->carried_from = g_strdup (action->id);
      if (!is_blank (note))
        {
          DlgProgressNote *n = g_new0 (DlgProgressNote, 1);

          n->date = dlg_date_today ();
          n->text = g_strdup (note);
          g_ptr_array_add (copy->notes, n);
          g_ptr_array_sort (copy->notes, compare_notes);
        }
      copy->plan = next;
      g_ptr_array_add (next->actions, copy);
    }
  return next;
}

/* ------------------------------------------------------------------------ */
/* The plan file                                                            */
/* ------------------------------------------------------------------------ */

static void
add_string_member (JsonBuilder *b,
                   const char  *name,
                   const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

/**
 * dlg_action_plan_to_json:
 *
 * Writes the plan in the format of docs/action-plan-format.md. The
 * members always come in the same order and absent values are left out,
 * so the same plan always gives the same text (reports sign it).
 *
 * Returns: (transfer full): the plan as JSON
 */
JsonNode *
dlg_action_plan_to_json (DlgActionPlan *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (DLG_IS_ACTION_PLAN (self), NULL);

  json_builder_begin_object (b);
  add_string_member (b, "format", DLG_ACTION_PLAN_FORMAT);
  json_builder_set_member_name (b, "questionnaire");
  json_builder_begin_object (b);
  add_string_member (b, "id", self->questionnaire_id ? self->questionnaire_id : "");
  add_string_member (b, "version", self->questionnaire_version ? self->questionnaire_version : "");
  json_builder_end_object (b);
  add_string_member (b, "review_state", dlg_review_state_to_string (self->review));

  json_builder_set_member_name (b, "actions");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->actions->len; i++)
    {
      DlgAction *action = g_ptr_array_index (self->actions, i);

      json_builder_begin_object (b);
      add_string_member (b, "id", action->id);
      add_string_member (b, "disposition", dlg_disposition_to_string (action->disposition));
      add_string_member (b, "dismissal_reason", action->dismissal_reason);
      add_string_member (b, "carried_from", action->carried_from);
      json_builder_set_member_name (b, "findings");
      json_builder_begin_array (b);
      for (guint f = 0; action->findings[f]; f++)
        json_builder_add_string_value (b, action->findings[f]);
      json_builder_end_array (b);
      add_string_member (b, "priority", dlg_priority_to_string (action->priority));
      for (guint f = 0; f < DLG_ACTION_N_FIELDS; f++)
        add_string_member (b, field_names[f], action->fields[f]);
      add_string_member (b, "status", dlg_action_status_to_string (action->status));
      add_string_member (b, "review_state", dlg_review_state_to_string (action->review));

      json_builder_set_member_name (b, "notes");
      json_builder_begin_array (b);
      for (guint n = 0; n < action->notes->len; n++)
        {
          DlgProgressNote *note = g_ptr_array_index (action->notes, n);

          json_builder_begin_object (b);
          add_string_member (b, "date", note->date);
          add_string_member (b, "text", note->text);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);

      json_builder_set_member_name (b, "evidence");
      json_builder_begin_array (b);
      for (guint n = 0; n < action->evidence->len; n++)
        {
          DlgEvidenceRef *ref = g_ptr_array_index (action->evidence, n);

          json_builder_begin_object (b);
          add_string_member (b, "name", ref->name);
          add_string_member (b, "sha256", ref->sha256);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "history");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->history->len; i++)
    {
      DlgReviewEvent *event = g_ptr_array_index (self->history, i);

      json_builder_begin_object (b);
      add_string_member (b, "at", event->at);
      add_string_member (b, "action", event->action_id);
      add_string_member (b, "from", dlg_review_state_to_string (event->from));
      add_string_member (b, "to", dlg_review_state_to_string (event->to));
      add_string_member (b, "reason", event->reason);
      add_string_member (b, "by", event->by);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/**
 * dlg_action_plan_to_data:
 * @length: (out) (optional): the length in bytes
 *
 * Returns: (transfer full): dlg_action_plan_to_json() as compact UTF-8 text
 */
char *
dlg_action_plan_to_data (DlgActionPlan *self,
                         gsize         *length)
{
  g_autoptr(JsonNode) node = dlg_action_plan_to_json (self);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, length);
}

/* Reading: every problem names the JSON Pointer of what is wrong. */

static gboolean
invalid (GError     **error,
         const char  *pointer,
         const char  *message)
{
  g_set_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_FILE,
               "%s: %s", pointer, message);
  return FALSE;
}

static gboolean
read_string (const DlgJsonValue  *object,
             const char          *key,
             gboolean             required,
             const char          *pointer,
             const char         **out,
             GError             **error)
{
  const DlgJsonValue *v = dlg_json_get (object, key);

  *out = NULL;
  if (v == NULL)
    {
      if (required)
        {
          g_autofree char *p = g_strdup_printf ("%s/%s", pointer, key);
          return invalid (error, p, _("is missing"));
        }
      return TRUE;
    }
  if (v->type != DLG_JSON_STRING)
    {
      g_autofree char *p = g_strdup_printf ("%s/%s", pointer, key);
      return invalid (error, p, _("must be a string"));
    }
  *out = v->string;
  return TRUE;
}

static const DlgJsonValue *
read_array (const DlgJsonValue  *object,
            const char          *key,
            const char          *pointer,
            GError             **error)
{
  static const DlgJsonValue empty = { .type = DLG_JSON_ARRAY };
  const DlgJsonValue *v = dlg_json_get (object, key);

  if (v == NULL)
    return &empty;
  if (v->type != DLG_JSON_ARRAY)
    {
      g_autofree char *p = g_strdup_printf ("%s/%s", pointer, key);
      invalid (error, p, _("must be an array"));
      return NULL;
    }
  return v;
}

static gboolean
read_action (DlgActionPlan       *plan,
             const DlgJsonValue  *o,
             const char          *pointer,
             GError             **error)
{
  g_autoptr(DlgAction) action = NULL;
  g_autoptr(GPtrArray) findings = g_ptr_array_new ();
  const DlgJsonValue *array;
  const char *s;

  if (o->type != DLG_JSON_OBJECT)
    return invalid (error, pointer, _("an action must be an object"));

  if (!read_string (o, "id", TRUE, pointer, &s, error))
    return FALSE;
  if (is_blank (s))
    {
      g_autofree char *p = g_strdup_printf ("%s/id", pointer);
      return invalid (error, p, _("an action needs an id"));
    }
  if (dlg_action_plan_lookup_action (plan, s) != NULL)
    {
      g_autofree char *p = g_strdup_printf ("%s/id", pointer);
      g_autofree char *m = g_strdup_printf (_("the id “%s” is used twice"), s);
      return invalid (error, p, m);
    }
  action = action_new (s);

#define READ_ENUM(key, parse, field, message)                                  \
  G_STMT_START {                                                               \
    if (!read_string (o, key, TRUE, pointer, &s, error))                       \
      return FALSE;                                                            \
    if (!parse (s, &action->field))                                            \
      {                                                                        \
        g_autofree char *p = g_strdup_printf ("%s/%s", pointer, key);          \
        g_autofree char *m = g_strdup_printf (message, s);                     \
        return invalid (error, p, m);                                          \
      }                                                                        \
  } G_STMT_END

  READ_ENUM ("disposition", dlg_disposition_from_string, disposition, _("unknown disposition “%s”"));
  READ_ENUM ("priority", dlg_priority_from_string, priority, _("unknown priority “%s”"));
  READ_ENUM ("status", dlg_action_status_from_string, status, _("unknown status “%s”"));
  READ_ENUM ("review_state", dlg_review_state_from_string, review, _("unknown review state “%s”"));
#undef READ_ENUM

  if (!read_string (o, "dismissal_reason", FALSE, pointer, &s, error))
    return FALSE;
  action->dismissal_reason = g_strdup (s);
  if (action->disposition == DLG_DISPOSITION_DISMISSED && is_blank (s))
    {
      g_autofree char *p = g_strdup_printf ("%s/dismissal_reason", pointer);
      return invalid (error, p, _("a dismissed proposal needs its reason"));
    }

  if (!read_string (o, "carried_from", FALSE, pointer, &s, error))
    return FALSE;
  action->carried_from = g_strdup (s);

  if (!(array = read_array (o, "findings", pointer, error)))
    return FALSE;
  for (guint i = 0; i < array->length; i++)
    {
      if (array->elements[i]->type != DLG_JSON_STRING)
        {
          g_autofree char *p = g_strdup_printf ("%s/findings/%u", pointer, i);
          return invalid (error, p, _("must be a question id"));
        }
      g_ptr_array_add (findings, (gpointer) array->elements[i]->string);
    }
  g_ptr_array_add (findings, NULL);
  {
    g_autoptr(GError) local = NULL;

    if (!valid_findings ((const char * const *) findings->pdata, &local))
      {
        g_autofree char *p = g_strdup_printf ("%s/findings", pointer);
        return invalid (error, p, local->message);
      }
  }
  g_strfreev (action->findings);
  action->findings = g_strdupv ((char **) findings->pdata);

  for (guint f = 0; f < DLG_ACTION_N_FIELDS; f++)
    {
      g_autoptr(GError) local = NULL;
      g_autofree char *text = NULL;

      if (!read_string (o, field_names[f], f == DLG_ACTION_FIELD_TITLE, pointer, &s, error))
        return FALSE;
      text = normalise (s);
      if (!check_field (f, text, &local))
        {
          g_autofree char *p = g_strdup_printf ("%s/%s", pointer, field_names[f]);
          return invalid (error, p, local->message);
        }
      action->fields[f] = g_steal_pointer (&text);
    }

  if (!(array = read_array (o, "notes", pointer, error)))
    return FALSE;
  for (guint i = 0; i < array->length; i++)
    {
      const DlgJsonValue *n = array->elements[i];
      g_autofree char *p = g_strdup_printf ("%s/notes/%u", pointer, i);
      const char *date, *text;
      DlgProgressNote *note;

      if (n->type != DLG_JSON_OBJECT)
        return invalid (error, p, _("a note must be an object with “date” and “text”"));
      if (!read_string (n, "date", TRUE, p, &date, error) ||
          !read_string (n, "text", TRUE, p, &text, error))
        return FALSE;
      if (!dlg_date_parse (date, NULL))
        return invalid (error, p, _("the date must be written as YYYY-MM-DD"));
      note = g_new0 (DlgProgressNote, 1);
      note->date = g_strdup (date);
      note->text = g_strdup (text);
      g_ptr_array_add (action->notes, note);
    }
  g_ptr_array_sort (action->notes, compare_notes);

  if (!(array = read_array (o, "evidence", pointer, error)))
    return FALSE;
  for (guint i = 0; i < array->length; i++)
    {
      const DlgJsonValue *e = array->elements[i];
      g_autofree char *p = g_strdup_printf ("%s/evidence/%u", pointer, i);
      const char *name, *sha256;
      DlgEvidenceRef *ref;

      if (e->type != DLG_JSON_OBJECT)
        return invalid (error, p, _("evidence must be an object with “name” and “sha256”"));
      if (!read_string (e, "name", TRUE, p, &name, error) ||
          !read_string (e, "sha256", TRUE, p, &sha256, error))
        return FALSE;
      if (is_blank (name) || !valid_sha256 (sha256))
        return invalid (error, p, _("evidence needs a file name and the SHA-256 of its content in lower-case hex"));
      ref = g_new0 (DlgEvidenceRef, 1);
      ref->name = g_strdup (name);
      ref->sha256 = g_strdup (sha256);
      g_ptr_array_add (action->evidence, ref);
    }

  action->plan = plan;
  g_ptr_array_add (plan->actions, g_steal_pointer (&action));
  return TRUE;
}

static gboolean
read_event (DlgActionPlan       *plan,
            const DlgJsonValue  *o,
            const char          *pointer,
            GError             **error)
{
  DlgReviewEvent *event;
  const char *at, *action, *from, *to, *reason, *by;
  DlgReviewState from_state, to_state;
  g_autoptr(GDateTime) parsed = NULL;

  if (o->type != DLG_JSON_OBJECT)
    return invalid (error, pointer, _("a history entry must be an object"));
  if (!read_string (o, "at", TRUE, pointer, &at, error) ||
      !read_string (o, "action", FALSE, pointer, &action, error) ||
      !read_string (o, "from", TRUE, pointer, &from, error) ||
      !read_string (o, "to", TRUE, pointer, &to, error) ||
      !read_string (o, "reason", FALSE, pointer, &reason, error) ||
      !read_string (o, "by", FALSE, pointer, &by, error))
    return FALSE;

  if (!(parsed = g_date_time_new_from_iso8601 (at, NULL)))
    return invalid (error, pointer, _("“at” must be a date and time such as 2026-03-01T09:30:00Z"));
  if (!dlg_review_state_from_string (from, &from_state) || !dlg_review_state_from_string (to, &to_state))
    return invalid (error, pointer, _("unknown review state"));

  event = g_new0 (DlgReviewEvent, 1);
  event->at = g_strdup (at);
  event->action_id = g_strdup (action);
  event->from = from_state;
  event->to = to_state;
  event->reason = g_strdup (reason);
  event->by = g_strdup (by);
  g_ptr_array_add (plan->history, event);
  return TRUE;
}

/**
 * dlg_action_plan_new_from_data:
 * @data: a plan file (docs/action-plan-format.md)
 *
 * Reads a plan, checking everything that dlg_action_plan_to_json() would
 * never write: a file from elsewhere means exactly what it says or is
 * refused with %DLG_ACTION_PLAN_ERROR_INVALID_FILE.
 *
 * Returns: (transfer full): the plan, or %NULL
 */
DlgActionPlan *
dlg_action_plan_new_from_data (const char  *data,
                               gsize        length,
                               GError     **error)
{
  g_autoptr(DlgActionPlan) self = NULL;
  g_autoptr(DlgJsonDoc) doc = NULL;
  g_autoptr(GError) json_error = NULL;
  const DlgJsonValue *o, *member, *array;
  const char *s, *id, *version;
  guint line, column;

  if (!(doc = dlg_json_doc_parse (data, length, &line, &column, &json_error)))
    {
      g_set_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_FILE,
                   _("Line %u, column %u: %s"), line, column, json_error->message);
      return NULL;
    }

  o = dlg_json_doc_get_root (doc);
  if (o->type != DLG_JSON_OBJECT)
    {
      invalid (error, "", _("an action plan must be a JSON object"));
      return NULL;
    }

  if (!read_string (o, "format", TRUE, "", &s, error))
    return NULL;
  if (g_strcmp0 (s, DLG_ACTION_PLAN_FORMAT) != 0)
    {
      g_autofree char *m = g_strdup_printf (_("this is not a Diligence action plan: “format” must be “%s”"),
                                            DLG_ACTION_PLAN_FORMAT);
      invalid (error, "/format", m);
      return NULL;
    }

  member = dlg_json_get (o, "questionnaire");
  if (member == NULL || member->type != DLG_JSON_OBJECT)
    {
      invalid (error, "/questionnaire", _("must be an object with the questionnaire's “id” and “version”"));
      return NULL;
    }
  if (!read_string (member, "id", TRUE, "/questionnaire", &id, error) ||
      !read_string (member, "version", TRUE, "/questionnaire", &version, error))
    return NULL;

  self = dlg_action_plan_new (*id ? id : NULL, *version ? version : NULL);

  if (!read_string (o, "review_state", TRUE, "", &s, error))
    return NULL;
  if (!dlg_review_state_from_string (s, &self->review))
    {
      g_autofree char *m = g_strdup_printf (_("unknown review state “%s”"), s);
      invalid (error, "/review_state", m);
      return NULL;
    }

  if (!(array = read_array (o, "actions", "", error)))
    return NULL;
  for (guint i = 0; i < array->length; i++)
    {
      g_autofree char *p = g_strdup_printf ("/actions/%u", i);

      if (!read_action (self, array->elements[i], p, error))
        return NULL;
    }

  if (!(array = read_array (o, "history", "", error)))
    return NULL;
  for (guint i = 0; i < array->length; i++)
    {
      g_autofree char *p = g_strdup_printf ("/history/%u", i);

      if (!read_event (self, array->elements[i], p, error))
        return NULL;
    }

  return g_steal_pointer (&self);
}
