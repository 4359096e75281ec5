/* test-builtin.c - the questionnaires Diligence ships
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built-in content is held to a stricter standard than imported files: no
 * warnings, every string in every shipped language, guidance everywhere, and
 * realistic answer sets that give the levels a buyer expects.
 */

#include "config.h"

#include <string.h>

#include "dlg-core.h"

static const char * const shipped_languages[] = { "en", "fr", "nl", "de", NULL };

static GPtrArray *
load_builtins (void)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *list = dlg_builtin_load_questionnaires (&error);

  g_assert_no_error (error);
  g_assert_nonnull (list);
  return list;
}

static void
test_builtin_list (void)
{
  g_autoptr(GPtrArray) list = load_builtins ();
  const char *expected[] = {
    "io.github.diligence.green-deal-circular-procurement",
    "io.github.diligence.ict-due-diligence",
    "io.github.diligence.ict-tender-checklist",
    "io.github.diligence.responsible-digital-charter",
  };

  g_assert_cmpuint (list->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < list->len; i++)
    g_assert_cmpstr (dlg_questionnaire_get_id (g_ptr_array_index (list, i)), ==, expected[i]);
}

static void
check_text (const DlgText *text,
            const char    *what,
            gboolean       required)
{
  if (text == NULL)
    {
      if (required)
        g_error ("%s: missing", what);
      return;
    }

  for (guint i = 0; shipped_languages[i]; i++)
    {
      const char *s = dlg_text_get_exact (text, shipped_languages[i]);

      if (s == NULL || *s == '\0')
        g_error ("%s: no “%s” text", what, shipped_languages[i]);
      if (g_ascii_isspace (s[0]) || g_ascii_isspace (s[strlen (s) - 1]))
        g_error ("%s: the “%s” text has leading or trailing spaces", what, shipped_languages[i]);
    }
}

static void
test_builtin_strict (void)
{
  g_autoptr(GPtrArray) list = load_builtins ();

  for (guint i = 0; i < list->len; i++)
    {
      DlgQuestionnaire *q = g_ptr_array_index (list, i);
      g_autoptr(GPtrArray) diagnostics = dlg_diagnostics_new ();
      g_autoptr(DlgQuestionnaire) again = NULL;
      g_autoptr(GError) error = NULL;
      const char *id = dlg_questionnaire_get_id (q);

      again = dlg_questionnaire_new_from_bytes (dlg_questionnaire_get_bytes (q), diagnostics, &error);
      g_assert_no_error (error);
      for (guint j = 0; j < diagnostics->len; j++)
        {
          g_autofree char *line = dlg_diagnostic_format (g_ptr_array_index (diagnostics, j), id);
          g_test_message ("%s", line);
        }
      g_assert_cmpuint (diagnostics->len, ==, 0);

      g_assert_true (g_strv_equal (dlg_questionnaire_get_languages (q), shipped_languages));
      g_assert_cmpstr (dlg_questionnaire_get_default_language (q), ==, "en");
      g_assert_true (g_str_has_prefix (id, "io.github.diligence."));
      check_text (dlg_questionnaire_get_title (q), id, TRUE);
      check_text (dlg_questionnaire_get_description (q), id, TRUE);
      check_text (dlg_questionnaire_get_publisher (q), id, TRUE);

      for (guint s = 0; s < dlg_questionnaire_get_n_sections (q); s++)
        {
          DlgSection *section = dlg_questionnaire_get_section (q, s);

          check_text (section->title, section->id, TRUE);
          check_text (section->description, section->id, FALSE);
        }

      for (guint k = 0; k < dlg_questionnaire_get_n_questions (q); k++)
        {
          DlgQuestion *question = dlg_questionnaire_get_question (q, k);

          check_text (question->text, question->id, TRUE);
          /* Guidance says what a good answer looks like: always there. */
          check_text (question->guidance, question->id, TRUE);
          check_text (question->unit, question->id, FALSE);
          for (guint o = 0; o < question->options->len; o++)
            {
              DlgOption *option = g_ptr_array_index (question->options, o);

              if (question->type != DLG_QUESTION_YES_NO)
                check_text (option->label, option->id, TRUE);
              else
                check_text (option->label, option->id, FALSE);
            }
        }
    }
}

static DlgQuestionnaire *
find_builtin (GPtrArray  *list,
              const char *short_name)
{
  g_autofree char *id = g_strconcat ("io.github.diligence.", short_name, NULL);

  for (guint i = 0; i < list->len; i++)
    if (strcmp (dlg_questionnaire_get_id (g_ptr_array_index (list, i)), id) == 0)
      return g_ptr_array_index (list, i);
  return NULL;
}

static void
test_due_diligence_content (void)
{
  g_autoptr(GPtrArray) list = load_builtins ();
  DlgQuestionnaire *q = find_builtin (list, "ict-due-diligence");
  guint n_critical = 0;
  guint n_types[DLG_QUESTION_DATE + 1] = { 0 };

  g_assert_nonnull (q);
  g_assert_cmpint (dlg_questionnaire_get_kind (q), ==, DLG_KIND_DUE_DILIGENCE);
  g_assert_cmpuint (dlg_questionnaire_get_n_questions (q), >=, 60);
  g_assert_cmpuint (dlg_questionnaire_get_n_quick_scan (q), >=, 15);
  g_assert_cmpuint (dlg_questionnaire_get_n_quick_scan (q), <=, 20);

  for (guint i = 0; i < dlg_questionnaire_get_n_questions (q); i++)
    {
      DlgQuestion *question = dlg_questionnaire_get_question (q, i);

      n_types[question->type]++;
      if (question->critical)
        {
          n_critical++;
          /* A zero-tolerance finding must be seen in the quick scan too. */
          g_assert_true (question->quick_scan);
        }
    }

  /* Forced labour, child labour and retention of identity documents. */
  g_assert_cmpuint (n_critical, >=, 3);
  for (guint t = 0; t <= DLG_QUESTION_DATE; t++)
    if (n_types[t] == 0)
      g_error ("no %s question", dlg_question_type_to_string (t));
}

static void
test_charters_content (void)
{
  g_autoptr(GPtrArray) list = load_builtins ();
  DlgQuestionnaire *charter = find_builtin (list, "responsible-digital-charter");
  DlgQuestionnaire *green_deal = find_builtin (list, "green-deal-circular-procurement");
  DlgQuestionnaire *tender = find_builtin (list, "ict-tender-checklist");
  guint scored_sections = 0;

  g_assert_nonnull (charter);
  g_assert_nonnull (green_deal);
  g_assert_nonnull (tender);
  g_assert_cmpint (dlg_questionnaire_get_kind (charter), ==, DLG_KIND_CHARTER);
  g_assert_cmpint (dlg_questionnaire_get_kind (green_deal), ==, DLG_KIND_CHARTER);
  g_assert_cmpint (dlg_questionnaire_get_kind (tender), ==, DLG_KIND_CUSTOM);

  /* The charter's five commitment areas, each with actions to track. */
  for (guint i = 0; i < dlg_questionnaire_get_n_sections (charter); i++)
    {
      DlgSection *s = dlg_questionnaire_get_section (charter, i);
      guint scored = 0;

      for (guint j = 0; j < s->questions->len; j++)
        scored += dlg_question_is_scored (g_ptr_array_index (s->questions, j));
      if (scored >= 4)
        scored_sections++;
    }
  g_assert_cmpuint (scored_sections, ==, 5);
}

static void
check_scenario (gconstpointer data)
{
  const char *path = data;
  g_autofree char *base = g_path_get_basename (path);
  g_auto(GStrv) parts = g_strsplit (base, "--", 3);
  g_autoptr(GPtrArray) list = load_builtins ();
  g_autoptr(GPtrArray) diagnostics = dlg_diagnostics_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgAssessment) a = NULL;
  g_autoptr(DlgEvaluation) ev = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  DlgQuestionnaire *q;
  const char *expected;
  gboolean quick;
  gsize length;

  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  q = find_builtin (list, parts[0]);
  g_assert_nonnull (q);

  quick = g_str_has_prefix (parts[1], "quick-");
  expected = quick ? parts[1] + strlen ("quick-") : parts[1];

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  a = dlg_assessment_new_from_answers (q, bytes, diagnostics, &error);
  for (guint i = 0; i < diagnostics->len; i++)
    {
      g_autofree char *line = dlg_diagnostic_format (g_ptr_array_index (diagnostics, i), base);
      g_test_message ("%s", line);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (diagnostics->len, ==, 0);

  ev = dlg_evaluate (a, quick);
  g_test_message ("%s: level %s, score %.1f, %u/%u required", base,
                  dlg_level_to_string (ev->level), ev->score,
                  ev->n_required_answered, ev->n_required);
  g_assert_cmpstr (dlg_level_to_string (ev->level), ==, expected);
}

static void
check_example (gconstpointer data)
{
  const char *path = data;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *short_name = g_strndup (base, strlen (base) - strlen ("-answers.json"));
  g_autoptr(GPtrArray) list = load_builtins ();
  g_autoptr(GPtrArray) diagnostics = dlg_diagnostics_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgAssessment) a = NULL;
  g_autoptr(DlgEvaluation) ev = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  DlgQuestionnaire *q = find_builtin (list, short_name);
  gsize length;

  g_assert_nonnull (q);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  a = dlg_assessment_new_from_answers (q, bytes, diagnostics, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (diagnostics->len, ==, 0);

  /* Examples are complete: they show a full picture. */
  ev = dlg_evaluate (a, FALSE);
  g_assert_true (ev->complete);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  /* The sort passes pointers to the array's elements. */
  return strcmp (*(char * const *) a, *(char * const *) b);
}

static void
add_file_tests (const char *dir,
                const char *suffix,
                const char *prefix,
                GTestDataFunc func)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (d == NULL)
    return;

  while ((name = g_dir_read_name (d)))
    if (g_str_has_suffix (name, suffix))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);

  for (guint i = 0; i < names->len; i++)
    {
      const char *n = g_ptr_array_index (names, i);
      g_autofree char *test_path = g_strdup_printf ("%s/%s", prefix, n);

      g_test_add_data_func_full (test_path, g_build_filename (dir, n, NULL), func, g_free);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *scenarios = NULL;
  g_autofree char *examples = NULL;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/builtin/list", test_builtin_list);
  g_test_add_func ("/builtin/strict", test_builtin_strict);
  g_test_add_func ("/builtin/due-diligence", test_due_diligence_content);
  g_test_add_func ("/builtin/charters", test_charters_content);

  scenarios = g_test_build_filename (G_TEST_DIST, "data", "scenarios", NULL);
  add_file_tests (scenarios, ".json", "/builtin/scenario", check_scenario);
  examples = g_test_build_filename (G_TEST_DIST, "..", "docs", "examples", NULL);
  add_file_tests (examples, "-answers.json", "/builtin/example", check_example);

  return g_test_run ();
}
