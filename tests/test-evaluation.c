/* test-evaluation.c - answers, visibility, progress, levels and scores
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Expected scores are computed by hand from docs/questionnaire-format.md;
 * the comments show the arithmetic.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "dlg-core.h"

typedef struct
{
  DlgQuestionnaire *q;
  DlgAssessment    *a;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "valid", "scoring.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) diagnostics = dlg_diagnostics_new ();
  g_autoptr(GError) error = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  f->q = dlg_questionnaire_new_from_data (contents, length, diagnostics, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (diagnostics->len, ==, 0);
  f->a = dlg_assessment_new (f->q);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->a);
  g_assert_finalize_object (f->q);
}

#define set_choice(f, id, value) \
  G_STMT_START { g_autoptr(GError) e_ = NULL; \
    g_assert_true (dlg_assessment_set_choice ((f)->a, id, value, &e_)); g_assert_no_error (e_); } G_STMT_END
#define set_number(f, id, value) \
  G_STMT_START { g_autoptr(GError) e_ = NULL; \
    g_assert_true (dlg_assessment_set_number ((f)->a, id, value, &e_)); g_assert_no_error (e_); } G_STMT_END

static void
answer_typical (Fixture *f)
{
  const char *a3[] = { "x", "y", NULL };
  g_autoptr(GError) error = NULL;

  set_choice (f, "a1", "g");
  set_choice (f, "a2", "partly");
  g_assert_true (dlg_assessment_set_choices (f->a, "a3", a3, &error));
  set_choice (f, "b1", "no");
  set_number (f, "b2", 50);
  g_assert_true (dlg_assessment_set_text (f->a, "b3", "Two sites", &error));
  g_assert_no_error (error);
}

static const DlgSectionResult *
section (DlgEvaluation *ev,
         Fixture       *f,
         const char    *id)
{
  return dlg_evaluation_get_section (ev, dlg_questionnaire_lookup_section (f->q, id));
}

static const DlgQuestionResult *
question (DlgEvaluation *ev,
          Fixture       *f,
          const char    *id)
{
  return dlg_evaluation_get_question (ev, dlg_questionnaire_lookup_question (f->q, id));
}

static void
test_typical (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(DlgEvaluation) ev = NULL;
  const DlgSectionResult *a, *b, *c, *d;

  answer_typical (f);
  ev = dlg_evaluate (f->a, FALSE);

  /* A (weighted): a1 g = 1 (weight 1), a2 partly = 0.5 (weight 3),
   * a3 {x, y} = mean (100, 60) / 100 = 0.8 (weight 1):
   * (1 + 1.5 + 0.8) / 5 = 66 % → amber. */
  a = section (ev, f, "A");
  g_assert_true (a->visible && a->complete);
  g_assert_cmpfloat_with_epsilon (a->score, 66.0, 1e-9);
  g_assert_cmpint (a->level, ==, DLG_LEVEL_AMBER);
  g_assert_cmpint (question (ev, f, "a3")->level, ==, DLG_LEVEL_AMBER);
  g_assert_cmpuint (a->n_green, ==, 1);
  g_assert_cmpuint (a->n_amber, ==, 2);

  /* B (worst): b1 no, inverted = green; b2 50 h = amber (40 points);
   * b4 hidden since b1 is not yes. Score (1 + 0.4) / 2 = 70 %. */
  b = section (ev, f, "B");
  g_assert_cmpint (b->level, ==, DLG_LEVEL_AMBER);
  g_assert_cmpfloat_with_epsilon (b->score, 70.0, 1e-9);
  g_assert_false (question (ev, f, "b4")->visible);
  g_assert_cmpuint (b->n_visible, ==, 3);
  g_assert_cmpuint (b->n_required, ==, 2);
  g_assert_cmpint (question (ev, f, "b3")->level, ==, DLG_LEVEL_NONE);
  g_assert_false (question (ev, f, "b3")->has_score);

  /* C is hidden (a1 is not r); D shows (b3 answered, b2 not 99) and,
   * with nothing answered in it, is grey and has no score. */
  c = section (ev, f, "C");
  g_assert_false (c->visible);
  d = section (ev, f, "D");
  g_assert_true (d->visible);
  g_assert_true (d->complete);
  g_assert_cmpint (d->level, ==, DLG_LEVEL_GREY);
  g_assert_false (d->has_score);

  /* Overall (weighted by section weight): (2 × 66 + 1 × 70) / 3 = 67.33 %. */
  g_assert_true (ev->complete);
  g_assert_false (ev->critical_red);
  g_assert_cmpfloat_with_epsilon (ev->score, 202.0 / 3.0, 1e-9);
  g_assert_cmpint (ev->level, ==, DLG_LEVEL_AMBER);
  g_assert_cmpuint (ev->n_required, ==, 4);
  g_assert_cmpuint (ev->n_required_answered, ==, 4);
  g_assert_cmpfloat (dlg_evaluation_get_progress (ev), ==, 1.0);
}

static void
test_critical (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(DlgEvaluation) ev = NULL;
  const DlgSectionResult *b;

  answer_typical (f);
  set_choice (f, "b1", "yes");
  ev = dlg_evaluate (f->a, FALSE);

  /* b1 yes is a critical red; b4 now shows, required and unanswered: B is
   * incomplete, yet red, and so is the overall result. */
  b = section (ev, f, "B");
  g_assert_true (question (ev, f, "b4")->visible);
  g_assert_false (b->complete);
  g_assert_true (b->critical_red);
  g_assert_cmpint (b->level, ==, DLG_LEVEL_RED);
  g_assert_false (ev->complete);
  g_assert_true (ev->critical_red);
  g_assert_cmpint (ev->level, ==, DLG_LEVEL_RED);
  g_assert_cmpuint (ev->n_required, ==, 5);
  g_assert_cmpfloat_with_epsilon (dlg_evaluation_get_progress (ev), 0.8, 1e-9);
}

static void
test_incomplete (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(DlgEvaluation) ev = NULL;
  g_autoptr(DlgEvaluation) ev2 = NULL;
  const DlgSectionResult *a;

  /* Nothing answered: every visible section with required questions is
   * incomplete, never green. */
  ev = dlg_evaluate (f->a, FALSE);
  g_assert_cmpint (ev->level, ==, DLG_LEVEL_INCOMPLETE);
  g_assert_cmpint (section (ev, f, "A")->level, ==, DLG_LEVEL_INCOMPLETE);
  g_assert_false (section (ev, f, "D")->visible);
  g_assert_cmpfloat (dlg_evaluation_get_progress (ev), ==, 0.0);

  /* All green so far but a2 missing: still incomplete. */
  set_choice (f, "a1", "g");
  ev2 = dlg_evaluate (f->a, FALSE);
  a = section (ev2, f, "A");
  g_assert_false (a->complete);
  g_assert_cmpint (a->level, ==, DLG_LEVEL_INCOMPLETE);
  g_assert_cmpint (a->level_if_complete, ==, DLG_LEVEL_GREEN);
  g_assert_cmpfloat (a->score, ==, 100.0);
}

static void
test_follow_up_section (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(DlgEvaluation) ev = NULL;
  g_autoptr(DlgEvaluation) ev2 = NULL;
  g_autoptr(GError) error = NULL;

  answer_typical (f);
  set_choice (f, "a1", "r");
  ev = dlg_evaluate (f->a, FALSE);

  /* a1 = r shows C, whose date is required and missing. A is now
   * (0 + 1.5 + 0.8) / 5 = 46 % → red if it were complete. */
  g_assert_true (section (ev, f, "C")->visible);
  g_assert_cmpint (section (ev, f, "C")->level, ==, DLG_LEVEL_INCOMPLETE);
  g_assert_cmpint (section (ev, f, "A")->level, ==, DLG_LEVEL_RED);
  g_assert_cmpint (ev->level, ==, DLG_LEVEL_INCOMPLETE);

  g_assert_false (dlg_assessment_set_date (f->a, "c1", "2026-02-30", &error));
  g_assert_error (error, DLG_ASSESSMENT_ERROR, DLG_ASSESSMENT_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_false (dlg_assessment_set_date (f->a, "c1", "26-02-01", &error));
  g_clear_error (&error);
  g_assert_true (dlg_assessment_set_date (f->a, "c1", "2026-06-30", &error));
  g_assert_no_error (error);

  /* Complete now. C has only an unscored date, so it is grey.
   * Overall: (2 × 46 + 1 × 70) / 3 = 54 % → amber. */
  ev2 = dlg_evaluate (f->a, FALSE);
  g_assert_true (ev2->complete);
  g_assert_cmpint (section (ev2, f, "C")->level, ==, DLG_LEVEL_GREY);
  g_assert_cmpfloat_with_epsilon (ev2->score, 54.0, 1e-9);
  g_assert_cmpint (ev2->level, ==, DLG_LEVEL_AMBER);
}

static void
test_hidden_answers_do_not_count (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(DlgEvaluation) ev = NULL;

  answer_typical (f);
  /* An answer to b4 given while b1 was yes stays stored but, hidden,
   * counts for nothing: not as red, not towards progress. */
  set_choice (f, "b4", "old");
  ev = dlg_evaluate (f->a, FALSE);
  g_assert_false (question (ev, f, "b4")->visible);
  g_assert_false (question (ev, f, "b4")->answered);
  g_assert_cmpint (question (ev, f, "b4")->level, ==, DLG_LEVEL_NONE);
  g_assert_cmpint (section (ev, f, "B")->level, ==, DLG_LEVEL_AMBER);
  g_assert_cmpuint (section (ev, f, "B")->n_answered, ==, 3);
  g_assert_nonnull (dlg_assessment_get_answer (f->a, "b4"));
}

static void
test_grey (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(DlgEvaluation) ev = NULL;

  answer_typical (f);
  set_choice (f, "a1", "na");
  set_choice (f, "d1", "na");
  ev = dlg_evaluate (f->a, FALSE);

  /* a1 grey is ignored: (1.5 + 0.8) / 4 = 57.5 % → amber. */
  g_assert_cmpint (question (ev, f, "a1")->level, ==, DLG_LEVEL_GREY);
  g_assert_false (question (ev, f, "a1")->has_score);
  g_assert_cmpfloat_with_epsilon (section (ev, f, "A")->score, 57.5, 1e-9);
  g_assert_cmpint (section (ev, f, "D")->level, ==, DLG_LEVEL_GREY);
  g_assert_cmpuint (section (ev, f, "D")->n_grey, ==, 1);
}

static void
test_thresholds (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(DlgEvaluation) ev = NULL;
  const char *a3[] = { "x", NULL };

  answer_typical (f);
  set_choice (f, "a2", "yes");
  g_assert_true (dlg_assessment_set_choices (f->a, "a3", a3, NULL));
  set_number (f, "b2", 48);
  ev = dlg_evaluate (f->a, FALSE);

  /* Everything green: A = 100 %, B = 100 % → green, exactly at the edge
   * of a band (48 ≤ 48). */
  g_assert_cmpint (question (ev, f, "b2")->level, ==, DLG_LEVEL_GREEN);
  g_assert_cmpint (ev->level, ==, DLG_LEVEL_GREEN);
  g_assert_cmpfloat (ev->score, ==, 100.0);
}

static void
test_quick_scan (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(DlgEvaluation) ev = NULL;
  g_autoptr(DlgEvaluation) ev2 = NULL;

  ev = dlg_evaluate (f->a, TRUE);
  g_assert_true (ev->quick_scan);
  g_assert_cmpuint (ev->n_required, ==, 2);
  g_assert_cmpint (ev->level, ==, DLG_LEVEL_INCOMPLETE);
  g_assert_false (section (ev, f, "C")->in_scope);
  g_assert_false (question (ev, f, "a2")->in_scope);

  set_choice (f, "a1", "g");
  set_choice (f, "b1", "no");
  ev2 = dlg_evaluate (f->a, TRUE);
  g_assert_true (ev2->complete);
  g_assert_cmpint (ev2->level, ==, DLG_LEVEL_GREEN);
  g_assert_cmpfloat (ev2->score, ==, 100.0);
  g_assert_cmpuint (section (ev2, f, "A")->n_visible, ==, 1);
}

static void
test_invalid_values (Fixture       *f,
                     gconstpointer  data)
{
  const char *with_exclusive[] = { "x", "none", NULL };
  const char *twice[] = { "x", "x", NULL };
  const char *unknown[] = { "w", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_false (dlg_assessment_set_choice (f->a, "a1", "maybe", &error));
  g_assert_error (error, DLG_ASSESSMENT_ERROR, DLG_ASSESSMENT_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  g_assert_false (dlg_assessment_set_choice (f->a, "nope", "g", &error));
  g_assert_error (error, DLG_ASSESSMENT_ERROR, DLG_ASSESSMENT_ERROR_UNKNOWN_QUESTION);
  g_clear_error (&error);

  g_assert_false (dlg_assessment_set_choice (f->a, "a3", "x", &error));
  g_assert_error (error, DLG_ASSESSMENT_ERROR, DLG_ASSESSMENT_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  g_assert_false (dlg_assessment_set_choices (f->a, "a3", with_exclusive, &error));
  g_assert_error (error, DLG_ASSESSMENT_ERROR, DLG_ASSESSMENT_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_false (dlg_assessment_set_choices (f->a, "a3", twice, &error));
  g_clear_error (&error);
  g_assert_false (dlg_assessment_set_choices (f->a, "a3", unknown, &error));
  g_clear_error (&error);

  g_assert_false (dlg_assessment_set_number (f->a, "b2", 169, &error));
  g_assert_error (error, DLG_ASSESSMENT_ERROR, DLG_ASSESSMENT_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_false (dlg_assessment_set_number (f->a, "b2", -1, &error));
  g_clear_error (&error);
  g_assert_false (dlg_assessment_set_number (f->a, "b2", 40.5, &error));
  g_clear_error (&error);
  g_assert_false (dlg_assessment_set_number (f->a, "b2", NAN, &error));
  g_clear_error (&error);
  g_assert_false (dlg_assessment_set_text (f->a, "b3", "\xff", &error));
  g_clear_error (&error);
  g_assert_false (dlg_assessment_add_evidence (f->a, "a1", "../etc/passwd",
                                               "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                                               &error));
  g_clear_error (&error);
  g_assert_false (dlg_assessment_add_evidence (f->a, "a1", "ok.pdf", "ABC", &error));
  g_clear_error (&error);

  /* Nothing of that was stored. */
  g_assert_cmpuint (dlg_assessment_get_n_answers (f->a), ==, 0);
  g_assert_null (dlg_assessment_get_answer (f->a, "a3"));
}

static void
changed_cb (DlgAssessment *a,
            const char    *question_id,
            GPtrArray     *seen)
{
  g_ptr_array_add (seen, g_strdup (question_id));
}

static void
test_signals (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) seen_b1 = g_ptr_array_new_with_free_func (g_free);
  guint revision = dlg_assessment_get_revision (f->a);

  g_signal_connect (f->a, "changed", G_CALLBACK (changed_cb), seen);
  g_signal_connect (f->a, "changed::b1", G_CALLBACK (changed_cb), seen_b1);

  set_choice (f, "a1", "g");
  set_choice (f, "b1", "no");
  g_assert_true (dlg_assessment_set_comment (f->a, "b1", "Checked in March", NULL));
  g_assert_true (dlg_assessment_clear_value (f->a, "a1", NULL));

  g_assert_cmpuint (seen->len, ==, 4);
  g_assert_cmpuint (seen_b1->len, ==, 2);
  g_assert_cmpuint (dlg_assessment_get_revision (f->a), ==, revision + 4);
  g_assert_cmpuint (dlg_assessment_get_n_answers (f->a), ==, 1);
  /* An answer emptied of everything disappears. */
  g_assert_null (dlg_assessment_get_answer (f->a, "a1"));
  g_assert_cmpstr (dlg_assessment_get_answer (f->a, "b1")->comment, ==, "Checked in March");
}

static void
test_answers_round_trip (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) diagnostics = dlg_diagnostics_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgAssessment) back = NULL;
  g_autoptr(DlgEvaluation) ev1 = NULL;
  g_autoptr(DlgEvaluation) ev2 = NULL;
  g_autoptr(JsonNode) node2 = NULL;

  answer_typical (f);
  g_assert_true (dlg_assessment_add_evidence (f->a, "a2", "policy.pdf",
                                              "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                                              NULL));
  g_assert_true (dlg_assessment_set_comment (f->a, "a3", "Line one\nline “two”", NULL));

  node = dlg_assessment_to_json (f->a);
  text = json_to_string (node, TRUE);
  bytes = g_bytes_new (text, strlen (text));
  back = dlg_assessment_new_from_answers (f->q, bytes, diagnostics, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (diagnostics->len, ==, 0);

  node2 = dlg_assessment_to_json (back);
  g_assert_true (json_node_equal (node, node2));

  ev1 = dlg_evaluate (f->a, FALSE);
  ev2 = dlg_evaluate (back, FALSE);
  g_assert_cmpfloat (ev1->score, ==, ev2->score);
  g_assert_cmpint (ev1->level, ==, ev2->level);
}

static void
test_answers_file_errors (Fixture       *f,
                          gconstpointer  data)
{
  static const struct {
    const char *text;
    const char *pointer;
    const char *message;
  } cases[] = {
    { "[]", "", "must be a JSON object" },
    { "{\"format\":\"x\",\"questionnaire\":{\"id\":\"org.example.scoring\",\"version\":\"1\"},\"answers\":{}}",
      "/format", "not a Diligence answers file" },
    { "{\"format\":\"diligence-answers/1\",\"questionnaire\":{\"id\":\"other\",\"version\":\"1\"},\"answers\":{}}",
      "/questionnaire/id", "for questionnaire “other”" },
    { "{\"format\":\"diligence-answers/1\",\"questionnaire\":{\"id\":\"org.example.scoring\",\"version\":\"1\"},"
      "\"answers\":{\"zz\":{\"value\":\"g\"}}}", "/answers/zz", "no question “zz”" },
    { "{\"format\":\"diligence-answers/1\",\"questionnaire\":{\"id\":\"org.example.scoring\",\"version\":\"1\"},"
      "\"answers\":{\"a1\":{\"value\":\"maybe\"}}}", "/answers/a1/value", "not an option" },
    { "{\"format\":\"diligence-answers/1\",\"questionnaire\":{\"id\":\"org.example.scoring\",\"version\":\"1\"},"
      "\"answers\":{\"b2\":{\"value\":\"12\"}}}", "/answers/b2/value", "takes a number" },
    { "{\"format\":\"diligence-answers/1\",\"questionnaire\":{\"id\":\"org.example.scoring\",\"version\":\"1\"},"
      "\"answers\":{\"a3\":{\"value\":[]}}}", "/answers/a3/value", "at least one option" },
    { "{\"format\":\"diligence-answers/1\",\"questionnaire\":{\"id\":\"org.example.scoring\",\"version\":\"1\"},"
      "\"answers\":{\"a1\":{\"value\":\"g\",\"evidence\":[{\"name\":\"../../x\",\"sha256\":\"00\"}]}}}",
      "/answers/a1/evidence/0", "not a valid evidence file name" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (cases[i].text, strlen (cases[i].text));
      g_autoptr(GPtrArray) diagnostics = dlg_diagnostics_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(DlgAssessment) a = dlg_assessment_new_from_answers (f->q, bytes, diagnostics, &error);
      gboolean found = FALSE;

      g_assert_null (a);
      g_assert_error (error, DLG_ASSESSMENT_ERROR, DLG_ASSESSMENT_ERROR_INVALID_FILE);
      for (guint j = 0; j < diagnostics->len; j++)
        {
          DlgDiagnostic *d = g_ptr_array_index (diagnostics, j);
          if (g_strcmp0 (d->pointer, cases[i].pointer) == 0 && strstr (d->message, cases[i].message))
            found = TRUE;
        }
      if (!found)
        g_error ("case %u: no error at %s saying “%s”", i, cases[i].pointer, cases[i].message);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/evaluation/typical", test_typical);
  ADD ("/evaluation/critical", test_critical);
  ADD ("/evaluation/incomplete", test_incomplete);
  ADD ("/evaluation/follow-up-section", test_follow_up_section);
  ADD ("/evaluation/hidden-answers-do-not-count", test_hidden_answers_do_not_count);
  ADD ("/evaluation/grey", test_grey);
  ADD ("/evaluation/thresholds", test_thresholds);
  ADD ("/evaluation/quick-scan", test_quick_scan);
  ADD ("/assessment/invalid-values", test_invalid_values);
  ADD ("/assessment/signals", test_signals);
  ADD ("/assessment/answers-round-trip", test_answers_round_trip);
  ADD ("/assessment/answers-file-errors", test_answers_file_errors);

#undef ADD

  return g_test_run ();
}
