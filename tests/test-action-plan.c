/* test-action-plan.c - proposals, state machines, overdue, the plan file
 * and the spreadsheet round trip
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "dlg-core.h"
#include "test-questionnaires.h"

static GDate *
date (const char *iso)
{
  GDate *d = g_date_new ();

  g_assert_true (dlg_date_parse (iso, d));
  return d;
}

static GDateTime *
at (const char *iso)
{
  GDateTime *t = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (t);
  return t;
}


/* Answers with every kind of finding: a1 red (major), a2 amber (minor),
 * b1 red on a critical question (priority), b2 amber (minor), b4 red. */
static DlgAssessment *
assessment_with_findings (DlgQuestionnaire *q)
{
  DlgAssessment *a = dlg_assessment_new (q);

  g_assert_true (dlg_assessment_set_choice (a, "a1", "r", NULL));
  g_assert_true (dlg_assessment_set_choice (a, "a2", "partly", NULL));
  g_assert_true (dlg_assessment_set_choice (a, "b1", "yes", NULL));
  g_assert_true (dlg_assessment_set_number (a, "b2", 52, NULL));
  g_assert_true (dlg_assessment_set_choice (a, "b4", "old", NULL));
  g_assert_true (dlg_assessment_set_date (a, "c1", "2026-06-30", NULL));
  return a;
}

static DlgAction *
action_for (DlgActionPlan *plan,
            const char    *question_id)
{
  for (guint i = 0; i < dlg_action_plan_get_n_actions (plan); i++)
    {
      DlgAction *action = dlg_action_plan_get_action (plan, i);

      if (dlg_action_answers_finding (action, question_id))
        return action;
    }
  return NULL;
}

static void
test_priority_rules (void)
{
  DlgQuestion critical = { .id = "c", .critical = TRUE };
  DlgQuestion ordinary = { .id = "o", .critical = FALSE };
  DlgPriority p = 99;

  g_assert_true (dlg_finding_get_priority (&critical, DLG_LEVEL_RED, &p));
  g_assert_cmpint (p, ==, DLG_PRIORITY_PRIORITY);
  g_assert_true (dlg_finding_get_priority (&ordinary, DLG_LEVEL_RED, &p));
  g_assert_cmpint (p, ==, DLG_PRIORITY_MAJOR);
  g_assert_true (dlg_finding_get_priority (&critical, DLG_LEVEL_AMBER, &p));
  g_assert_cmpint (p, ==, DLG_PRIORITY_MINOR);
  g_assert_true (dlg_finding_get_priority (&ordinary, DLG_LEVEL_AMBER, &p));
  g_assert_cmpint (p, ==, DLG_PRIORITY_MINOR);

  /* Green, grey, unanswered and incomplete are not findings. */
  for (DlgLevel level = DLG_LEVEL_NONE; level <= DLG_LEVEL_INCOMPLETE; level++)
    if (level != DLG_LEVEL_RED && level != DLG_LEVEL_AMBER)
      {
        g_assert_false (dlg_finding_get_priority (&critical, level, &p));
        g_assert_false (dlg_finding_get_priority (&ordinary, level, &p));
      }

  g_assert_cmpstr (dlg_priority_to_string (DLG_PRIORITY_PRIORITY), ==, "priority");
  g_assert_true (dlg_priority_from_string ("minor", &p));
  g_assert_cmpint (p, ==, DLG_PRIORITY_MINOR);
  g_assert_false (dlg_priority_from_string ("Minor", &p));
}

static void
test_proposals (void)
{
  g_autoptr(DlgQuestionnaire) q = load_questionnaire ("scoring.json");
  g_autoptr(DlgAssessment) a = assessment_with_findings (q);
  g_autoptr(DlgEvaluation) ev = dlg_evaluate (a, FALSE);
  g_autoptr(DlgActionPlan) plan = dlg_action_plan_new ("org.example.scoring", "1");
  g_autoptr(GError) error = NULL;
  DlgAction *action;
  guint revision;
  double score = ev->score;

  g_assert_cmpuint (dlg_action_plan_propose (plan, ev, "en"), ==, 5);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (plan)), ==, 5);

  action = action_for (plan, "b1");
  g_assert_cmpint (dlg_action_get_priority (action), ==, DLG_PRIORITY_PRIORITY);
  g_assert_cmpint (dlg_action_get_disposition (action), ==, DLG_DISPOSITION_PROPOSED);
  g_assert_cmpint (dlg_action_get_status (action), ==, DLG_ACTION_STATUS_NOT_STARTED);
  g_assert_cmpstr (dlg_action_get_title (action), ==, "Keeps passports?");
  g_assert_cmpint (dlg_action_get_priority (action_for (plan, "a1")), ==, DLG_PRIORITY_MAJOR);
  g_assert_cmpint (dlg_action_get_priority (action_for (plan, "b4")), ==, DLG_PRIORITY_MAJOR);
  g_assert_cmpint (dlg_action_get_priority (action_for (plan, "a2")), ==, DLG_PRIORITY_MINOR);
  g_assert_cmpint (dlg_action_get_priority (action_for (plan, "b2")), ==, DLG_PRIORITY_MINOR);
  g_assert_null (action_for (plan, "c1"));

  /* Proposing again adds nothing: every finding is answered. */
  g_assert_cmpuint (dlg_action_plan_propose (plan, ev, "en"), ==, 0);

  /* Dismissing needs a reason; a dismissed finding is not proposed again. */
  action = action_for (plan, "a2");
  g_assert_false (dlg_action_plan_dismiss (plan, action, "  ", &error));
  g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_REASON_REQUIRED);
  g_clear_error (&error);
  g_assert_true (dlg_action_plan_dismiss (plan, action, "Partly is what the law requires here", &error));
  g_assert_no_error (error);
  g_assert_cmpint (dlg_action_get_disposition (action), ==, DLG_DISPOSITION_DISMISSED);
  g_assert_cmpstr (dlg_action_get_dismissal_reason (action), ==, "Partly is what the law requires here");
  g_assert_cmpuint (dlg_action_plan_propose (plan, ev, "en"), ==, 0);
  g_assert_false (dlg_action_set_status (action, DLG_ACTION_STATUS_IN_PROGRESS, &error));
  g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);

  /* Accept one and work on it; a proposal cannot make progress. */
  action = action_for (plan, "b1");
  g_assert_false (dlg_action_set_status (action, DLG_ACTION_STATUS_IN_PROGRESS, &error));
  g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);
  g_assert_true (dlg_action_plan_accept (plan, action, &error));
  g_assert_true (dlg_action_set_status (action, DLG_ACTION_STATUS_IN_PROGRESS, &error));
  g_assert_no_error (error);

  /* Answers change: the untouched proposal for a1 follows them (red →
   * amber makes it minor; green takes it back), the accepted action and
   * the edited proposal stay. */
  g_assert_true (dlg_action_set_field (action_for (plan, "b4"), DLG_ACTION_FIELD_ROOT_CAUSE,
                                       "Old practice at the Łódź site", &error));
  g_assert_true (dlg_assessment_set_choice (a, "a1", "m", NULL));
  g_assert_true (dlg_assessment_set_choice (a, "b1", "no", NULL));
  g_clear_pointer (&ev, dlg_evaluation_unref);
  ev = dlg_evaluate (a, FALSE);
  dlg_action_plan_propose (plan, ev, "en");
  g_assert_cmpint (dlg_action_get_priority (action_for (plan, "a1")), ==, DLG_PRIORITY_MINOR);
  g_assert_nonnull (action_for (plan, "b1"));
  g_assert_nonnull (action_for (plan, "b4"));

  g_assert_true (dlg_assessment_set_choice (a, "a1", "g", NULL));
  g_clear_pointer (&ev, dlg_evaluation_unref);
  ev = dlg_evaluate (a, FALSE);
  revision = dlg_action_plan_get_revision (plan);
  dlg_action_plan_propose (plan, ev, "en");
  g_assert_null (action_for (plan, "a1"));
  g_assert_cmpuint (dlg_action_plan_get_revision (plan), >, revision);

  /* The answers set the score; the plan has no say (as in EcoVadis). */
  g_assert_true (dlg_assessment_set_choice (a, "a1", "r", NULL));
  g_assert_true (dlg_assessment_set_choice (a, "b1", "yes", NULL));
  g_clear_pointer (&ev, dlg_evaluation_unref);
  ev = dlg_evaluate (a, FALSE);
  g_assert_cmpfloat (ev->score, ==, score);
}

static void
test_status_transitions (void)
{
  /* from \ to: not started, in progress, done, verified */
  static const gboolean allowed[4][4] = {
    { TRUE,  TRUE,  TRUE,  FALSE },
    { TRUE,  TRUE,  TRUE,  FALSE },
    { FALSE, TRUE,  TRUE,  TRUE  },
    { FALSE, FALSE, FALSE, TRUE  },
  };
  g_autoptr(DlgActionPlan) plan = dlg_action_plan_new ("q", "1");
  g_autoptr(GError) error = NULL;
  DlgAction *action;
  DlgActionStatus s;

  for (guint from = 0; from < 4; from++)
    for (guint to = 0; to < 4; to++)
      g_assert_cmpint (dlg_action_status_can_change (from, to), ==, allowed[from][to]);

  action = dlg_action_plan_add_action (plan, "Train the supervisors", NULL, DLG_PRIORITY_MAJOR, &error);
  g_assert_no_error (error);
  g_assert_false (dlg_action_set_status (action, DLG_ACTION_STATUS_VERIFIED, &error));
  g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);
  g_assert_cmpint (dlg_action_get_status (action), ==, DLG_ACTION_STATUS_NOT_STARTED);

  g_assert_true (dlg_action_set_status (action, DLG_ACTION_STATUS_IN_PROGRESS, &error));
  g_assert_true (dlg_action_set_status (action, DLG_ACTION_STATUS_DONE, &error));
  g_assert_true (dlg_action_set_status (action, DLG_ACTION_STATUS_VERIFIED, &error));
  g_assert_no_error (error);
  g_assert_true (dlg_action_is_closed (action));

  /* Verified is final. */
  for (s = DLG_ACTION_STATUS_NOT_STARTED; s < DLG_ACTION_STATUS_VERIFIED; s++)
    {
      g_assert_false (dlg_action_set_status (action, s, &error));
      g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_TRANSITION);
      g_test_message ("%s", error->message);
      g_clear_error (&error);
    }
  g_assert_false (dlg_action_plan_remove_action (plan, action, &error));
  g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);

  g_assert_true (dlg_action_status_from_string ("in_progress", &s));
  g_assert_cmpint (s, ==, DLG_ACTION_STATUS_IN_PROGRESS);
  g_assert_false (dlg_action_status_from_string ("started", &s));
}

static DlgActionPlan *
plan_ready_to_submit (DlgQuestionnaire *q)
{
  g_autoptr(DlgAssessment) a = assessment_with_findings (q);
  g_autoptr(DlgEvaluation) ev = dlg_evaluate (a, FALSE);
  DlgActionPlan *plan = dlg_action_plan_new ("org.example.scoring", "1");
  g_autoptr(GError) error = NULL;

  dlg_action_plan_propose (plan, ev, "en");
  for (guint i = 0; i < dlg_action_plan_get_n_actions (plan); i++)
    {
      DlgAction *action = dlg_action_plan_get_action (plan, i);

      if (dlg_action_answers_finding (action, "b2"))
        {
          g_assert_true (dlg_action_plan_dismiss (plan, action, "Overtime is voluntary and paid", &error));
          continue;
        }
      g_assert_true (dlg_action_plan_accept (plan, action, &error));
      g_assert_true (dlg_action_set_field (action, DLG_ACTION_FIELD_CORRECTIVE_ACTION, "Return documents", &error));
      g_assert_true (dlg_action_set_field (action, DLG_ACTION_FIELD_OWNER_NAME, "An Peeters", &error));
      g_assert_true (dlg_action_set_field (action, DLG_ACTION_FIELD_OWNER_EMAIL, " an@example.be ", &error));
      g_assert_true (dlg_action_set_field (action, DLG_ACTION_FIELD_START_DATE, "2026-03-01", &error));
      g_assert_true (dlg_action_set_field (action, DLG_ACTION_FIELD_DUE_DATE, "2026-04-30", &error));
      g_assert_no_error (error);
    }
  g_assert_cmpstr (dlg_action_get_field (dlg_action_plan_get_action (plan, 0), DLG_ACTION_FIELD_OWNER_EMAIL),
                   ==, "an@example.be");
  return plan;
}

static void
test_review_transitions (void)
{
  static const gboolean allowed[5][5] = {
    /* to: draft, submitted, approved, changes requested, rejected */
    { FALSE, TRUE,  FALSE, FALSE, FALSE },   /* from draft */
    { TRUE,  FALSE, TRUE,  TRUE,  TRUE  },   /* from submitted */
    { TRUE,  FALSE, FALSE, FALSE, FALSE },   /* from approved */
    { TRUE,  TRUE,  FALSE, FALSE, FALSE },   /* from changes requested */
    { TRUE,  TRUE,  FALSE, FALSE, FALSE },   /* from rejected */
  };
  g_autoptr(DlgQuestionnaire) q = load_questionnaire ("scoring.json");
  g_autoptr(DlgActionPlan) plan = dlg_action_plan_new ("org.example.scoring", "1");
  g_autoptr(DlgActionPlan) ready = NULL;
  g_autoptr(GDateTime) t1 = at ("2026-03-10T09:00:00+01:00");
  g_autoptr(GDateTime) t2 = at ("2026-03-12T14:30:00Z");
  g_autoptr(GDateTime) t3 = at ("2026-03-13T08:00:00Z");
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  DlgAction *first, *second;
  GPtrArray *history;
  DlgReviewEvent *event;

  for (guint from = 0; from < 5; from++)
    for (guint to = 0; to < 5; to++)
      g_assert_cmpint (dlg_review_state_can_change (from, to), ==, allowed[from][to]);

  /* An empty plan cannot be submitted, nor decided on. */
  g_assert_false (dlg_action_plan_submit (plan, "An", t1, &error));
  g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INCOMPLETE);
  g_clear_error (&error);
  g_assert_false (dlg_action_plan_decide (plan, DLG_REVIEW_APPROVED, "Fine", "Buyer", t1, &error));
  g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);

  /* Each missing piece is named. */
  g_assert_nonnull (dlg_action_plan_add_action (plan, "Audit the agency", NULL, DLG_PRIORITY_MAJOR, &error));
  problems = dlg_action_plan_check (plan);
  g_assert_cmpuint (problems->len, ==, 3);
  g_assert_false (dlg_action_plan_submit (plan, "An", t1, &error));
  g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INCOMPLETE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "2 more problems"));
  g_clear_error (&error);

  ready = plan_ready_to_submit (q);
  g_clear_pointer (&problems, g_ptr_array_unref);
  problems = dlg_action_plan_check (ready);
  g_assert_cmpuint (problems->len, ==, 0);
  first = dlg_action_plan_get_action (ready, 0);
  second = dlg_action_plan_get_action (ready, 1);

  g_assert_true (dlg_action_plan_submit (ready, "An Peeters", t1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dlg_action_plan_get_review_state (ready), ==, DLG_REVIEW_SUBMITTED);
  g_assert_cmpint (dlg_action_get_review_state (first), ==, DLG_REVIEW_SUBMITTED);

  /* While the buyer looks, content is locked; progress is not. */
  g_assert_false (dlg_action_set_field (first, DLG_ACTION_FIELD_DUE_DATE, "2026-05-31", &error));
  g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_null (dlg_action_plan_add_action (ready, "More", NULL, DLG_PRIORITY_MINOR, &error));
  g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_true (dlg_action_set_status (first, DLG_ACTION_STATUS_IN_PROGRESS, &error));
  g_assert_true (dlg_action_add_note (first, "2026-03-11", "Documents returned to 12 of 40 workers", &error));
  g_assert_no_error (error);
  g_assert_false (dlg_action_plan_submit (ready, "An", t1, &error));
  g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);

  /* Decisions need a reason. */
  g_assert_false (dlg_action_decide (second, DLG_REVIEW_CHANGES_REQUESTED, "", "Buyer", t2, &error));
  g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_REASON_REQUIRED);
  g_clear_error (&error);
  g_assert_false (dlg_action_decide (second, DLG_REVIEW_SUBMITTED, "x", "Buyer", t2, &error));
  g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);
  g_assert_true (dlg_action_decide (second, DLG_REVIEW_CHANGES_REQUESTED, "Due date too late", "Buyer", t2, &error));
  g_assert_false (dlg_action_decide (second, DLG_REVIEW_APPROVED, "Changed my mind", "Buyer", t2, &error));
  g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);

  /* The plan's decision reaches the actions still waiting. */
  g_assert_true (dlg_action_plan_decide (ready, DLG_REVIEW_APPROVED, "Plan accepted", "Buyer", t3, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dlg_action_get_review_state (first), ==, DLG_REVIEW_APPROVED);
  g_assert_cmpint (dlg_action_get_review_state (second), ==, DLG_REVIEW_CHANGES_REQUESTED);
  g_assert_false (dlg_action_plan_decide (ready, DLG_REVIEW_REJECTED, "No", "Buyer", t3, &error));
  g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);

  /* Changing an approved action sends it and the plan back to draft. */
  g_assert_true (dlg_action_set_field (first, DLG_ACTION_FIELD_DUE_DATE, "2026-05-31", &error));
  g_assert_cmpint (dlg_action_get_review_state (first), ==, DLG_REVIEW_DRAFT);
  g_assert_cmpint (dlg_action_plan_get_review_state (ready), ==, DLG_REVIEW_DRAFT);

  history = dlg_action_plan_get_history (ready);
  event = g_ptr_array_index (history, 0);
  g_assert_cmpstr (event->at, ==, "2026-03-10T08:00:00Z");
  g_assert_null (event->action_id);
  g_assert_cmpint (event->from, ==, DLG_REVIEW_DRAFT);
  g_assert_cmpint (event->to, ==, DLG_REVIEW_SUBMITTED);
  g_assert_cmpstr (event->by, ==, "An Peeters");
  event = g_ptr_array_index (history, history->len - 1);
  g_assert_null (event->action_id);
  g_assert_cmpint (event->to, ==, DLG_REVIEW_DRAFT);
  g_assert_nonnull (event->reason);

  /* Withdrawing a submitted plan. */
  g_assert_true (dlg_action_plan_submit (ready, "An", t3, &error));
  g_assert_cmpint (dlg_action_get_review_state (second), ==, DLG_REVIEW_SUBMITTED);
  g_assert_true (dlg_action_plan_reopen (ready, "Forgot one", "An", t3, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dlg_action_get_review_state (second), ==, DLG_REVIEW_DRAFT);
  g_assert_false (dlg_action_plan_reopen (ready, NULL, NULL, NULL, &error));
  g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_TRANSITION);
}

static void
test_values (void)
{
  g_autoptr(DlgActionPlan) plan = dlg_action_plan_new ("q", "1");
  g_autoptr(GError) error = NULL;
  DlgAction *action = dlg_action_plan_add_action (plan, "Check the dormitories", NULL, DLG_PRIORITY_MINOR, &error);
  const char *bad_dates[] = { "2026-02-30", "2026-13-01", "31/03/2026", "2026-3-1", "26-03-01", "0000-01-01", "2026-03-01x", "" };
  const char *bad_emails[] = { "an", "an@", "@example.be", "an peeters@example.be", "a@b@c", "an@example.be, bo@example.be" };

  for (guint i = 0; i < G_N_ELEMENTS (bad_dates); i++)
    if (*bad_dates[i])
      {
        g_assert_false (dlg_action_set_field (action, DLG_ACTION_FIELD_DUE_DATE, bad_dates[i], &error));
        g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_VALUE);
        g_clear_error (&error);
      }
  for (guint i = 0; i < G_N_ELEMENTS (bad_emails); i++)
    {
      g_assert_false (dlg_action_set_field (action, DLG_ACTION_FIELD_OWNER_EMAIL, bad_emails[i], &error));
      g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_VALUE);
      g_clear_error (&error);
    }
  g_assert_false (dlg_action_set_field (action, DLG_ACTION_FIELD_TITLE, "   ", &error));
  g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_null (dlg_action_plan_add_action (plan, "", NULL, DLG_PRIORITY_MINOR, &error));
  g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_null (dlg_action_plan_add_action (plan, "x", (const char *[]) { "a1", "a1", NULL }, DLG_PRIORITY_MINOR, &error));
  g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  /* Leap day, and clearing a field with an empty value. */
  g_assert_true (dlg_action_set_field (action, DLG_ACTION_FIELD_DUE_DATE, "2028-02-29", &error));
  g_assert_cmpstr (dlg_action_get_due_date (action), ==, "2028-02-29");
  g_assert_true (dlg_action_set_field (action, DLG_ACTION_FIELD_DUE_DATE, "", &error));
  g_assert_null (dlg_action_get_due_date (action));

  g_assert_false (dlg_action_add_note (action, NULL, "\n ", &error));
  g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_false (dlg_action_add_evidence (action, "photo.jpg", "not-a-hash", &error));
  g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_VALUE);
  g_clear_error (&error);
}

static void
test_overdue (void)
{
  g_autoptr(DlgActionPlan) plan = dlg_action_plan_new ("q", "1");
  g_autoptr(GDate) today = date ("2026-03-15");
  g_autoptr(GDate) new_year = date ("2026-12-31");
  g_autoptr(GDate) leap = date ("2028-02-28");
  g_autoptr(GError) error = NULL;
  struct { const char *due; DlgUrgency expected; } cases[] = {
    { "2026-03-14", DLG_URGENCY_OVERDUE },
    { "2025-12-31", DLG_URGENCY_OVERDUE },
    { "2026-03-15", DLG_URGENCY_DUE_SOON },   /* due today is not late yet */
    { "2026-03-29", DLG_URGENCY_DUE_SOON },   /* 14 days */
    { "2026-03-30", DLG_URGENCY_NONE },       /* 15 days */
    { NULL, DLG_URGENCY_NONE },
  };
  DlgAction *action;
  guint open, overdue, closed, proposed;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      action = dlg_action_plan_add_action (plan, "Action", NULL, DLG_PRIORITY_MINOR, &error);
      g_assert_true (dlg_action_set_field (action, DLG_ACTION_FIELD_DUE_DATE, cases[i].due, &error));
      g_assert_no_error (error);
      g_assert_cmpint (dlg_action_get_urgency (action, today), ==, cases[i].expected);
    }

  /* Across a year end and a leap day. */
  action = dlg_action_plan_get_action (plan, 0);
  g_assert_true (dlg_action_set_field (action, DLG_ACTION_FIELD_DUE_DATE, "2027-01-14", &error));
  g_assert_cmpint (dlg_action_get_urgency (action, new_year), ==, DLG_URGENCY_DUE_SOON);
  g_assert_true (dlg_action_set_field (action, DLG_ACTION_FIELD_DUE_DATE, "2028-02-29", &error));
  g_assert_cmpint (dlg_action_get_urgency (action, leap), ==, DLG_URGENCY_DUE_SOON);
  g_assert_true (dlg_action_set_field (action, DLG_ACTION_FIELD_DUE_DATE, "2026-03-14", &error));

  /* Done actions are never late, even past their date. */
  action = dlg_action_plan_get_action (plan, 1);
  g_assert_true (dlg_action_set_status (action, DLG_ACTION_STATUS_DONE, &error));
  g_assert_cmpint (dlg_action_get_urgency (action, today), ==, DLG_URGENCY_NONE);

  dlg_action_plan_count (plan, today, &open, &overdue, &closed, &proposed);
  g_assert_cmpuint (open, ==, 5);
  g_assert_cmpuint (overdue, ==, 1);
  g_assert_cmpuint (closed, ==, 1);
  g_assert_cmpuint (proposed, ==, 0);

  g_assert_nonnull (dlg_urgency_get_icon_name (DLG_URGENCY_OVERDUE));
  g_assert_cmpstr (dlg_urgency_get_label (DLG_URGENCY_OVERDUE), !=, "");
}

static void
test_merge (void)
{
  g_autoptr(DlgQuestionnaire) q = load_questionnaire ("scoring.json");
  g_autoptr(DlgAssessment) a = assessment_with_findings (q);
  g_autoptr(DlgEvaluation) ev = dlg_evaluate (a, FALSE);
  g_autoptr(DlgActionPlan) plan = dlg_action_plan_new ("org.example.scoring", "1");
  g_autoptr(GError) error = NULL;
  DlgAction *actions[3];
  DlgAction *merged;

  dlg_action_plan_propose (plan, ev, "en");
  actions[0] = action_for (plan, "b2");
  actions[1] = action_for (plan, "b1");
  actions[2] = action_for (plan, "b4");
  g_assert_true (dlg_action_plan_accept (plan, actions[1], &error));
  g_assert_true (dlg_action_set_field (actions[0], DLG_ACTION_FIELD_DUE_DATE, "2026-09-30", &error));
  g_assert_true (dlg_action_set_field (actions[2], DLG_ACTION_FIELD_DUE_DATE, "2026-06-30", &error));
  g_assert_true (dlg_action_set_field (actions[0], DLG_ACTION_FIELD_ROOT_CAUSE, "Agency contracts", &error));
  g_assert_true (dlg_action_set_field (actions[2], DLG_ACTION_FIELD_ROOT_CAUSE, "Agency contracts", &error));
  g_assert_true (dlg_action_set_field (actions[1], DLG_ACTION_FIELD_ROOT_CAUSE, "No policy", &error));

  g_assert_null (dlg_action_plan_merge (plan, actions, 1, &error));
  g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  merged = dlg_action_plan_merge (plan, actions, 3, &error);
  g_assert_no_error (error);
  g_assert_true (merged == actions[0]);
  g_assert_cmpuint (dlg_action_plan_get_n_actions (plan), ==, 3);
  g_assert_true (g_strv_equal (dlg_action_get_findings (merged), (const char *[]) { "b2", "b1", "b4", NULL }));
  g_assert_cmpint (dlg_action_get_priority (merged), ==, DLG_PRIORITY_PRIORITY);
  g_assert_cmpint (dlg_action_get_disposition (merged), ==, DLG_DISPOSITION_ACCEPTED);
  g_assert_cmpstr (dlg_action_get_due_date (merged), ==, "2026-06-30");
  g_assert_cmpstr (dlg_action_get_field (merged, DLG_ACTION_FIELD_ROOT_CAUSE), ==, "Agency contracts\n\nNo policy");
}

/* A plan with everything the format holds. */
static DlgActionPlan *
full_plan (DlgQuestionnaire *q)
{
  DlgActionPlan *plan = plan_ready_to_submit (q);
  g_autoptr(GDateTime) t = at ("2026-03-10T09:00:00Z");
  g_autoptr(GError) error = NULL;
  DlgAction *action = dlg_action_plan_get_action (plan, 0);

  g_assert_true (dlg_action_set_field (action, DLG_ACTION_FIELD_PREVENTIVE_ACTION,
                                       "Quarterly check,\n\"no\" exceptions; =formula", &error));
  g_assert_true (dlg_action_add_note (action, "2026-03-02", "Met the agency", &error));
  g_assert_true (dlg_action_add_evidence (action, "Letter to agency.pdf",
                                          "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", &error));
  g_assert_true (dlg_action_plan_submit (plan, "An Peeters", t, &error));
  g_assert_true (dlg_action_plan_decide (plan, DLG_REVIEW_CHANGES_REQUESTED, "Add a closure audit", "Stad Gent", t, &error));
  g_assert_no_error (error);
  return plan;
}

static void
test_json_round_trip (void)
{
  g_autoptr(DlgQuestionnaire) q = load_questionnaire ("scoring.json");
  g_autoptr(DlgActionPlan) plan = full_plan (q);
  g_autoptr(DlgActionPlan) back = NULL;
  g_autoptr(DlgActionPlan) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *again = NULL;
  g_autofree char *copied = NULL;
  gsize length;

  data = dlg_action_plan_to_data (plan, &length);
  g_assert_true (g_str_has_prefix (data, "{\"format\":\"diligence-action-plan/1\","));
  back = dlg_action_plan_new_from_data (data, length, &error);
  g_assert_no_error (error);
  again = dlg_action_plan_to_data (back, NULL);
  g_assert_cmpstr (again, ==, data);

  copy = dlg_action_plan_copy (plan);
  copied = dlg_action_plan_to_data (copy, NULL);
  g_assert_cmpstr (copied, ==, data);

  g_assert_cmpint (dlg_action_plan_get_review_state (back), ==, DLG_REVIEW_CHANGES_REQUESTED);
  g_assert_cmpuint (dlg_action_plan_get_history (back)->len, ==, dlg_action_plan_get_history (plan)->len);
  g_assert_cmpuint (dlg_action_get_evidence (dlg_action_plan_get_action (back, 0))->len, ==, 1);
}

static void
test_json_bad (void)
{
  static const struct { const char *json; const char *fragment; } cases[] = {
    { "not json", "Line 1" },
    { "[]", "object" },
    { "{\"format\":\"diligence-answers/1\"}", "/format" },
    { "{\"format\":\"diligence-action-plan/1\",\"questionnaire\":{\"id\":\"q\",\"version\":\"1\"},"
      "\"review_state\":\"maybe\"}", "/review_state" },
    { "{\"format\":\"diligence-action-plan/1\",\"questionnaire\":{\"id\":\"q\",\"version\":\"1\"},"
      "\"review_state\":\"draft\",\"actions\":{}}", "/actions" },
    { "{\"format\":\"diligence-action-plan/1\",\"questionnaire\":{\"id\":\"q\",\"version\":\"1\"},"
      "\"review_state\":\"draft\",\"actions\":[{\"id\":\"a\",\"disposition\":\"accepted\",\"priority\":\"major\","
      "\"status\":\"finished\",\"review_state\":\"draft\",\"title\":\"t\"}]}", "/actions/0/status" },
    { "{\"format\":\"diligence-action-plan/1\",\"questionnaire\":{\"id\":\"q\",\"version\":\"1\"},"
      "\"review_state\":\"draft\",\"actions\":[{\"id\":\"a\",\"disposition\":\"accepted\",\"priority\":\"major\","
      "\"status\":\"done\",\"review_state\":\"draft\"}]}", "/actions/0/title" },
    { "{\"format\":\"diligence-action-plan/1\",\"questionnaire\":{\"id\":\"q\",\"version\":\"1\"},"
      "\"review_state\":\"draft\",\"actions\":[{\"id\":\"a\",\"disposition\":\"dismissed\",\"priority\":\"major\","
      "\"status\":\"not_started\",\"review_state\":\"draft\",\"title\":\"t\"}]}", "/actions/0/dismissal_reason" },
    { "{\"format\":\"diligence-action-plan/1\",\"questionnaire\":{\"id\":\"q\",\"version\":\"1\"},"
      "\"review_state\":\"draft\",\"actions\":[{\"id\":\"a\",\"disposition\":\"accepted\",\"priority\":\"major\","
      "\"status\":\"done\",\"review_state\":\"draft\",\"title\":\"t\",\"due_date\":\"31/12/2026\"}]}",
      "/actions/0/due_date" },
    { "{\"format\":\"diligence-action-plan/1\",\"questionnaire\":{\"id\":\"q\",\"version\":\"1\"},"
      "\"review_state\":\"draft\",\"actions\":[{\"id\":\"a\",\"disposition\":\"accepted\",\"priority\":\"major\","
      "\"status\":\"done\",\"review_state\":\"draft\",\"title\":\"t\",\"notes\":[{\"date\":\"2026-02-30\",\"text\":\"x\"}]}]}",
      "/actions/0/notes/0" },
    { "{\"format\":\"diligence-action-plan/1\",\"questionnaire\":{\"id\":\"q\",\"version\":\"1\"},"
      "\"review_state\":\"draft\",\"actions\":[{\"id\":\"a\",\"disposition\":\"accepted\",\"priority\":\"major\","
      "\"status\":\"done\",\"review_state\":\"draft\",\"title\":\"t\"},{\"id\":\"a\",\"disposition\":\"accepted\","
      "\"priority\":\"major\",\"status\":\"done\",\"review_state\":\"draft\",\"title\":\"t\"}]}", "/actions/1/id" },
    { "{\"format\":\"diligence-action-plan/1\",\"questionnaire\":{\"id\":\"q\",\"version\":\"1\"},"
      "\"review_state\":\"draft\",\"history\":[{\"at\":\"yesterday\",\"from\":\"draft\",\"to\":\"submitted\"}]}",
      "/history/0" },
    { "{\"format\":\"diligence-action-plan/1\",\"format\":\"diligence-action-plan/1\"}", "Line 1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DlgActionPlan) plan = dlg_action_plan_new_from_data (cases[i].json, strlen (cases[i].json), &error);

      g_assert_null (plan);
      g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_FILE);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].fragment));
    }
}

static void
test_carry_over (void)
{
  g_autoptr(DlgQuestionnaire) q = load_questionnaire ("scoring.json");
  g_autoptr(DlgActionPlan) plan = plan_ready_to_submit (q);
  g_autoptr(DlgActionPlan) next = NULL;
  g_autoptr(GError) error = NULL;
  DlgAction *done = dlg_action_plan_get_action (plan, 0);
  DlgAction *open = dlg_action_plan_get_action (plan, 1);
  DlgAction *carried;
  guint n_accepted = 0;

  g_assert_true (dlg_action_set_status (done, DLG_ACTION_STATUS_DONE, &error));
  g_assert_true (dlg_action_set_status (open, DLG_ACTION_STATUS_IN_PROGRESS, &error));
  g_assert_true (dlg_action_add_note (open, "2020-02-01", "Started", &error));
  for (guint i = 0; i < dlg_action_plan_get_n_actions (plan); i++)
    n_accepted += dlg_action_get_disposition (dlg_action_plan_get_action (plan, i)) == DLG_DISPOSITION_ACCEPTED;

  next = dlg_action_plan_carry_over (plan, "org.example.scoring", "2", "Carried over from period 2026");
  g_assert_cmpint (dlg_action_plan_get_review_state (next), ==, DLG_REVIEW_DRAFT);
  g_assert_cmpstr (dlg_action_plan_get_questionnaire_version (next), ==, "2");
  /* Every open action, and only those: the done one and the dismissed
   * proposal stay behind. */
  g_assert_cmpuint (dlg_action_plan_get_n_actions (next), ==, n_accepted - 1);
  carried = dlg_action_plan_get_action (next, 0);
  g_assert_cmpstr (dlg_action_get_carried_from (carried), ==, dlg_action_get_id (open));
  g_assert_cmpstr (dlg_action_get_id (carried), !=, dlg_action_get_id (open));
  g_assert_cmpint (dlg_action_get_status (carried), ==, DLG_ACTION_STATUS_IN_PROGRESS);
  g_assert_cmpuint (dlg_action_get_notes (carried)->len, ==, 2);
  g_assert_cmpstr (((DlgProgressNote *) g_ptr_array_index (dlg_action_get_notes (carried), 1))->text, ==,
                   "Carried over from period 2026");
  g_assert_true (dlg_action_get_plan (carried) == next);
}

/* ------------------------------------------------------------------------ */
/* Spreadsheet round trip                                                   */
/* ------------------------------------------------------------------------ */

/* Replaces one cell of an exported sheet, as a person in a spreadsheet. */
static char *
edit_cell (const char *csv,
           const char *action_id,
           const char *column,
           const char *value)
{
  g_autoptr(GPtrArray) records = dlg_csv_parse (csv, strlen (csv), NULL, NULL);
  GString *out = g_string_new (NULL);
  DlgCsvRecord *header = g_ptr_array_index (records, 0);
  int col = -1;

  for (guint c = 0; c < header->n_cells; c++)
    if (strcmp (header->cells[c], column) == 0)
      col = c;
  g_assert_cmpint (col, >=, 0);

  for (guint i = 0; i < records->len; i++)
    {
      DlgCsvRecord *r = g_ptr_array_index (records, i);

      if (i > 0 && strcmp (r->cells[0], action_id) == 0)
        {
          g_free (r->cells[col]);
          r->cells[col] = g_strdup (value);
        }
      dlg_csv_append_record (out, (const char * const *) r->cells, r->n_cells, DLG_CSV_NONE);
    }
  return g_string_free (out, FALSE);
}

static DlgPlanImport *
import_ok (DlgActionPlan *plan,
           const char    *csv,
           const GDate   *today)
{
  g_autoptr(GError) error = NULL;
  DlgPlanImport *import = dlg_plan_import_new (plan, csv, strlen (csv), today, &error);

  g_assert_no_error (error);
  g_assert_nonnull (import);
  for (guint i = 0; i < dlg_plan_import_get_problems (import)->len; i++)
    g_test_message ("%s", ((DlgDiagnostic *) g_ptr_array_index (dlg_plan_import_get_problems (import), i))->message);
  return import;
}

static void
test_csv_round_trip (void)
{
  g_autoptr(DlgQuestionnaire) q = load_questionnaire ("scoring.json");
  g_autoptr(DlgActionPlan) plan = plan_ready_to_submit (q);
  g_autoptr(GDate) today = date ("2026-05-05");
  g_autoptr(DlgPlanImport) unchanged = NULL;
  g_autoptr(DlgPlanImport) import = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *edited = NULL;
  g_autofree char *e1 = NULL, *e2 = NULL, *e3 = NULL, *e4 = NULL, *e5 = NULL;
  g_autofree char *again = NULL;
  g_autoptr(GPtrArray) records = NULL;
  DlgAction *action = dlg_action_plan_get_action (plan, 0);
  const char *id = dlg_action_get_id (action);
  const char *hostile = "Agency says \"done\",\nsee =HYPERLINK(\"http://evil\") ; ok";
  GPtrArray *changes;
  DlgPlanChange *change;

  g_assert_true (dlg_action_set_field (action, DLG_ACTION_FIELD_ROOT_CAUSE, "=cmd|' /C calc'!A0", &error));
  g_assert_true (dlg_action_add_note (action, "2026-03-02", "First contact, \"polite\"", &error));

  csv = dlg_action_plan_to_csv (plan, q, "en", today, DLG_PLAN_CSV_BOM, NULL);
  g_assert_true (g_str_has_prefix (csv, "\xef\xbb\xbfid,priority,findings,"));
  /* The formula is neutralised in the file... */
  g_assert_nonnull (strstr (csv, ",'=cmd|' /C calc'!A0,"));
  g_assert_null (strstr (csv, ",=cmd"));
  /* ...and an overdue action says so. */
  g_assert_nonnull (strstr (csv, ",overdue,"));

  /* Nothing edited, nothing changes. */
  unchanged = import_ok (plan, csv, today);
  g_assert_cmpuint (dlg_plan_import_get_changes (unchanged)->len, ==, 0);
  g_assert_cmpuint (dlg_plan_import_get_problems (unchanged)->len, ==, 0);
  g_assert_false (dlg_plan_import_has_errors (unchanged));
  records = dlg_csv_parse (csv, strlen (csv), NULL, NULL);
  g_assert_cmpuint (dlg_plan_import_get_n_rows (unchanged), ==, records->len - 1);

  /* Edited as in a Belgian spreadsheet: a day-first date, a label instead
   * of the status id, a note with quotes, a line break and a formula. */
  e1 = edit_cell (csv, id, "status", "In progress");
  e2 = edit_cell (e1, id, "due_date", "31/07/2026");
  e3 = edit_cell (e2, id, "new_note", hostile);
  e4 = edit_cell (e3, id, "owner_email", "jan@example.be");
  e5 = edit_cell (e4, id, "root_cause", "'=cmd|' /C calc'!A0");
  edited = g_strdup (e5);

  import = import_ok (plan, edited, today);
  g_assert_false (dlg_plan_import_has_errors (import));
  changes = dlg_plan_import_get_changes (import);
  g_assert_cmpuint (changes->len, ==, 4);
  change = g_ptr_array_index (changes, 0);
  g_assert_cmpint (change->kind, ==, DLG_PLAN_CHANGE_FIELD);
  g_assert_cmpstr (change->column, ==, "owner_email");
  g_assert_cmpstr (change->old_value, ==, "an@example.be");
  g_assert_cmpstr (change->new_value, ==, "jan@example.be");
  g_assert_cmpuint (change->line, ==, 2);
  change = g_ptr_array_index (changes, 1);
  g_assert_cmpstr (change->column, ==, "due_date");
  g_assert_cmpstr (change->new_value, ==, "2026-07-31");
  change = g_ptr_array_index (changes, 2);
  g_assert_cmpint (change->kind, ==, DLG_PLAN_CHANGE_STATUS);
  g_assert_cmpstr (change->new_value, ==, "in_progress");
  change = g_ptr_array_index (changes, 3);
  g_assert_cmpint (change->kind, ==, DLG_PLAN_CHANGE_NOTE);
  g_assert_cmpstr (change->new_value, ==, hostile);

  /* Previewing changed nothing; applying does it all. */
  g_assert_cmpint (dlg_action_get_status (action), ==, DLG_ACTION_STATUS_NOT_STARTED);
  g_assert_true (dlg_plan_import_apply (import, plan, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dlg_action_get_status (action), ==, DLG_ACTION_STATUS_IN_PROGRESS);
  g_assert_cmpstr (dlg_action_get_due_date (action), ==, "2026-07-31");
  g_assert_cmpstr (dlg_action_get_field (action, DLG_ACTION_FIELD_ROOT_CAUSE), ==, "=cmd|' /C calc'!A0");
  g_assert_cmpstr (((DlgProgressNote *) g_ptr_array_index (dlg_action_get_notes (action), 1))->text, ==, hostile);
  g_assert_cmpstr (((DlgProgressNote *) g_ptr_array_index (dlg_action_get_notes (action), 1))->date, ==, "2026-05-05");

  /* Applying twice is refused: the plan has moved on. */
  g_assert_false (dlg_plan_import_apply (import, plan, &error));
  g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_STALE);
  g_clear_error (&error);

  /* A new export, semicolon-separated by a spreadsheet, reads back as no
   * change at all. */
  again = dlg_action_plan_to_csv (plan, q, "en", today, DLG_PLAN_CSV_NONE, NULL);
  {
    g_autoptr(GPtrArray) r = dlg_csv_parse (again, strlen (again), NULL, NULL);
    g_autoptr(GString) semi = g_string_new (NULL);
    g_autoptr(DlgPlanImport) back = NULL;

    for (guint i = 0; i < r->len; i++)
      {
        DlgCsvRecord *rec = g_ptr_array_index (r, i);

        for (guint c = 0; c < rec->n_cells; c++)
          {
            g_autoptr(GString) cell = g_string_new (rec->cells[c]);

            g_string_replace (cell, "\"", "\"\"", 0);
            g_string_append_printf (semi, "%s\"%s\"", c ? ";" : "", cell->str);
          }
        g_string_append (semi, "\n");
      }
    back = import_ok (plan, semi->str, today);
    g_assert_cmpuint (dlg_plan_import_get_changes (back)->len, ==, 0);
    g_assert_cmpuint (dlg_plan_import_get_problems (back)->len, ==, 0);
  }
}

static void
expect_row_error (DlgActionPlan *plan,
                  const char    *csv,
                  const GDate   *today,
                  guint          line,
                  const char    *fragment)
{
  g_autoptr(DlgPlanImport) import = import_ok (plan, csv, today);
  g_autofree char *before = dlg_action_plan_to_data (plan, NULL);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *problems = dlg_plan_import_get_problems (import);
  gboolean found = FALSE;

  g_assert_true (dlg_plan_import_has_errors (import));
  for (guint i = 0; i < problems->len; i++)
    {
      DlgDiagnostic *d = g_ptr_array_index (problems, i);

      if (d->severity == DLG_SEVERITY_ERROR && d->line == line && strstr (d->message, fragment))
        found = TRUE;
    }
  g_assert_true (found);

  /* Nothing is imported half. */
  g_assert_false (dlg_plan_import_apply (import, plan, &error));
  g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_FILE);
  after = dlg_action_plan_to_data (plan, NULL);
  g_assert_cmpstr (after, ==, before);
}

static void
expect_file_error (DlgActionPlan *plan,
                   const char    *csv,
                   gsize          length,
                   const GDate   *today,
                   const char    *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgPlanImport) import = dlg_plan_import_new (plan, csv, length, today, &error);

  g_assert_null (import);
  g_assert_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_FILE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, fragment));
}

static void
test_csv_hostile (void)
{
  g_autoptr(DlgQuestionnaire) q = load_questionnaire ("scoring.json");
  g_autoptr(DlgActionPlan) plan = plan_ready_to_submit (q);
  g_autoptr(GDate) today = date ("2026-05-05");
  g_autofree char *csv = dlg_action_plan_to_csv (plan, q, "en", today, DLG_PLAN_CSV_NONE, NULL);
  const char *id = dlg_action_get_id (dlg_action_plan_get_action (plan, 0));
  const char *other = dlg_action_get_id (dlg_action_plan_get_action (plan, 1));
  const char *dismissed = NULL;
  g_autofree char *latin1 = NULL;

  for (guint i = 0; i < dlg_action_plan_get_n_actions (plan); i++)
    if (dlg_action_get_disposition (dlg_action_plan_get_action (plan, i)) == DLG_DISPOSITION_DISMISSED)
      dismissed = dlg_action_get_id (dlg_action_plan_get_action (plan, i));
  g_assert_nonnull (dismissed);

  /* Bad cells, each on its line, and a good row that is not applied
   * either. */
  {
    g_autofree char *a = edit_cell (csv, id, "status", "finished");
    g_autofree char *b = edit_cell (a, other, "due_date", "2026-02-30");
    expect_row_error (plan, b, today, 2, "not a status");
    expect_row_error (plan, b, today, 3, "not a date");
  }
  {
    g_autofree char *a = edit_cell (csv, id, "status", "verified");
    expect_row_error (plan, a, today, 2, "cannot go from");
  }
  {
    g_autofree char *a = edit_cell (csv, id, "owner_email", "an at example");
    expect_row_error (plan, a, today, 2, "e-mail");
  }
  {
    g_autofree char *a = edit_cell (csv, id, "title", "");
    expect_row_error (plan, a, today, 2, "title");
  }
  {
    g_autofree char *a = edit_cell (csv, id, "id", "00000000-0000-0000-0000-000000000000");
    expect_row_error (plan, a, today, 2, "no action");
  }
  {
    g_autofree char *a = edit_cell (csv, id, "id", dismissed);
    expect_row_error (plan, a, today, 2, "no action");
  }
  {
    g_autofree char *a = edit_cell (csv, other, "id", id);
    expect_row_error (plan, a, today, 3, "repeats");
  }
  {
    g_autofree char *a = edit_cell (csv, id, "id", "");
    expect_row_error (plan, a, today, 2, "no action id");
  }
  {
    /* A row that lost a quote and so a cell. */
    g_autofree char *a = g_strdup_printf ("%s%s,major\r\n", csv, other);
    g_autoptr(GPtrArray) r = dlg_csv_parse (csv, strlen (csv), NULL, NULL);
    expect_row_error (plan, a, today, r->len + 1, "cells");
  }

  /* Whole-file problems. */
  expect_file_error (plan, "", 0, today, "empty");
  expect_file_error (plan, "title,status\r\nx,done\r\n", strlen ("title,status\r\nx,done\r\n"), today, "“id”");
  expect_file_error (plan, "id,status,Status\r\n", strlen ("id,status,Status\r\n"), today, "twice");
  expect_file_error (plan, "id,title\r\n\"x,y\r\n", strlen ("id,title\r\n\"x,y\r\n"), today, "Line 2");
  latin1 = edit_cell (csv, id, "new_note", "R\xe9union faite");
  expect_file_error (plan, latin1, strlen (latin1), today, "UTF-8");

  /* Extra columns and edits to read-only ones are warnings, not errors. */
  {
    g_autofree char *a = edit_cell (csv, id, "priority", "minor");
    g_autoptr(GString) extra = g_string_new ("My comments,");
    g_autoptr(DlgPlanImport) import = NULL;
    g_autoptr(GError) error = NULL;
    const char *line;
    gboolean first = TRUE;

    for (line = a; *line; )
      {
        const char *end = strstr (line, "\r\n");

        g_string_append_printf (extra, "%s%.*s\r\n", first ? "" : "x,", (int) (end - line), line);
        first = FALSE;
        line = end + 2;
      }
    import = import_ok (plan, extra->str, today);
    g_assert_false (dlg_plan_import_has_errors (import));
    g_assert_cmpuint (dlg_plan_import_get_problems (import)->len, ==, 2);
    g_assert_cmpuint (dlg_plan_import_get_changes (import)->len, ==, 0);
    g_assert_true (dlg_plan_import_apply (import, plan, &error));
    g_assert_no_error (error);
    g_assert_cmpint (dlg_action_get_priority (dlg_action_plan_get_action (plan, 0)), !=, DLG_PRIORITY_MINOR);
  }

  /* A plan waiting for approval takes progress, not content. */
  {
    g_autofree char *a = edit_cell (csv, id, "status", "done");
    g_autofree char *b = edit_cell (csv, id, "corrective_action", "Something else");
    g_autoptr(DlgPlanImport) progress = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_true (dlg_action_plan_submit (plan, NULL, NULL, &error));
    progress = import_ok (plan, a, today);
    g_assert_false (dlg_plan_import_has_errors (progress));
    expect_row_error (plan, b, today, 2, "waiting for approval");
  }
}

static void
test_csv_dates (void)
{
  struct { const char *in; const char *out; } ok[] = {
    { "2026-03-31", "2026-03-31" }, { " 2026/3/31 ", "2026-03-31" }, { "31/03/2026", "2026-03-31" },
    { "1.4.2026", "2026-04-01" }, { "29-02-2028", "2028-02-29" }, { "2026-03-31 00:00:00", "2026-03-31" },
    { "", NULL },
  };
  const char *bad[] = { "31/03/26", "2026-31-03", "03/31/2026", "2026-03-31 14:00", "29-02-2026", "2026.03-31",
                        "tomorrow", "2026-03-31x", "12345-01-01" };

  for (guint i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_autofree char *iso = NULL;

      g_assert_true (dlg_plan_csv_parse_date (ok[i].in, &iso));
      g_assert_cmpstr (iso, ==, ok[i].out);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *iso = NULL;

      g_assert_false (dlg_plan_csv_parse_date (bad[i], &iso));
      g_assert_null (iso);
    }
}

/* The example in the documentation is a valid plan. */
static void
test_documented_example (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "docs", "action-plan-format.md", NULL);
  g_autofree char *text = NULL;
  g_autoptr(DlgActionPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  const char *start, *end;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  start = strstr (text, "```json\n");
  g_assert_nonnull (start);
  start += strlen ("```json\n");
  end = strstr (start, "```");
  g_assert_nonnull (end);

  plan = dlg_action_plan_new_from_data (start, end - start, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dlg_action_plan_get_review_state (plan), ==, DLG_REVIEW_SUBMITTED);
  g_assert_cmpuint (dlg_action_plan_get_n_actions (plan), ==, 2);
  g_assert_cmpuint (dlg_action_plan_get_history (plan)->len, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/action-plan/priority-rules", test_priority_rules);
  g_test_add_func ("/action-plan/proposals", test_proposals);
  g_test_add_func ("/action-plan/status-transitions", test_status_transitions);
  g_test_add_func ("/action-plan/review-transitions", test_review_transitions);
  g_test_add_func ("/action-plan/values", test_values);
  g_test_add_func ("/action-plan/overdue", test_overdue);
  g_test_add_func ("/action-plan/merge", test_merge);
  g_test_add_func ("/action-plan/json-round-trip", test_json_round_trip);
  g_test_add_func ("/action-plan/json-bad", test_json_bad);
  g_test_add_func ("/action-plan/carry-over", test_carry_over);
  g_test_add_func ("/action-plan/csv-round-trip", test_csv_round_trip);
  g_test_add_func ("/action-plan/csv-hostile", test_csv_hostile);
  g_test_add_func ("/action-plan/csv-dates", test_csv_dates);
  g_test_add_func ("/action-plan/documented-example", test_documented_example);

  return g_test_run ();
}
