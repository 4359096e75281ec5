/* test-questionnaire.c - loading and validating questionnaires
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "dlg-core.h"

static DlgQuestionnaire *
load_string (const char  *text,
             GPtrArray   *diagnostics,
             GError     **error)
{
  return dlg_questionnaire_new_from_data (text, strlen (text), diagnostics, error);
}

static DlgQuestionnaire *
load_file (const char *path,
           GPtrArray  *diagnostics,
           GError    **error)
{
  g_autofree char *data = NULL;
  gsize length;

  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;
  return dlg_questionnaire_new_from_data (data, length, diagnostics, error);
}

static char *
extract_json_block (const char *markdown,
                    const char *after)
{
  const char *start = strstr (markdown, after);
  const char *end;

  g_assert_nonnull (start);
  start = strstr (start, "```json\n");
  g_assert_nonnull (start);
  start += strlen ("```json\n");
  end = strstr (start, "```");
  g_assert_nonnull (end);
  return g_strndup (start, end - start);
}

static void
test_minimal (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "valid", "minimal.json", NULL);
  g_autoptr(GPtrArray) diagnostics = dlg_diagnostics_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgQuestionnaire) q = load_file (path, diagnostics, &error);
  DlgQuestion *q1, *q2, *q3;
  DlgSection *s1;

  g_assert_no_error (error);
  g_assert_nonnull (q);
  g_assert_cmpuint (diagnostics->len, ==, 0);

  g_assert_cmpstr (dlg_questionnaire_get_id (q), ==, "org.example.test");
  g_assert_cmpstr (dlg_questionnaire_get_version (q), ==, "1");
  g_assert_cmpint (dlg_questionnaire_get_kind (q), ==, DLG_KIND_DUE_DILIGENCE);
  g_assert_cmpuint (dlg_questionnaire_get_n_sections (q), ==, 2);
  g_assert_cmpuint (dlg_questionnaire_get_n_questions (q), ==, 3);
  g_assert_cmpint (dlg_questionnaire_get_scoring (q)->method, ==, DLG_SCORING_WORST);
  g_assert_cmpuint (strlen (dlg_questionnaire_get_checksum (q)), ==, 64);

  s1 = dlg_questionnaire_lookup_section (q, "s1");
  q1 = dlg_questionnaire_lookup_question (q, "q1");
  q2 = dlg_questionnaire_lookup_question (q, "q2");
  q3 = dlg_questionnaire_lookup_question (q, "q3");
  g_assert_nonnull (s1);
  g_assert_true (q1->section == s1);
  g_assert_cmpuint (q3->index, ==, 2);
  g_assert_null (dlg_questionnaire_lookup_question (q, "s1"));

  /* Defaults from the specification. */
  g_assert_true (q1->required);
  g_assert_cmpfloat (q1->weight, ==, 1.0);
  g_assert_false (q1->critical);
  g_assert_cmpint (q1->evidence, ==, DLG_EVIDENCE_NONE);

  /* A plain yes/no question offers yes (green) and no (red). */
  g_assert_cmpuint (q1->options->len, ==, 2);
  g_assert_cmpint (dlg_question_lookup_option (q1, "yes")->level, ==, DLG_LEVEL_GREEN);
  g_assert_cmpint (dlg_question_lookup_option (q1, "no")->level, ==, DLG_LEVEL_RED);
  g_assert_null (dlg_question_lookup_option (q1, "partly"));
  g_assert_cmpstr (dlg_option_get_label (dlg_question_lookup_option (q1, "yes"), "nl"), ==, "Ja");
  g_assert_cmpstr (dlg_option_get_label (dlg_question_lookup_option (q1, "no"), "fr-BE"), ==, "Non");

  g_assert_cmpfloat (dlg_question_lookup_option (q2, "a")->points, ==, 100);
  g_assert_cmpfloat (dlg_question_lookup_option (q2, "b")->points, ==, 0);
  g_assert_cmpfloat (q2->max_points, ==, 100);
  g_assert_true (dlg_question_is_scored (q2));
  g_assert_false (dlg_question_is_scored (q3));
  g_assert_true (q3->has_min && q3->has_max);

  /* Texts fall back to the default language. */
  g_assert_cmpstr (dlg_text_get (s1->title, "fr"), ==, "Un");
  g_assert_cmpstr (dlg_text_get (s1->title, "fr_BE"), ==, "Un");
  g_assert_cmpstr (dlg_text_get (s1->title, "de"), ==, "One");
  g_assert_cmpstr (dlg_text_get (s1->title, NULL), ==, "One");

  g_assert_finalize_object (g_steal_pointer (&q));
}

static void
test_yes_no_variants (void)
{
  const char *text =
    "{\"format\":\"diligence-questionnaire/1\",\"id\":\"t\",\"version\":\"1\",\"kind\":\"custom\","
    "\"default_language\":\"en\",\"languages\":[\"en\"],\"title\":\"T\",\"publisher\":\"P\","
    "\"sections\":[{\"id\":\"s\",\"title\":\"S\",\"questions\":["
    "{\"id\":\"inv\",\"type\":\"yes_no\",\"text\":\"Keeps passports?\",\"inverted\":true,\"partly\":true,\"not_applicable\":true},"
    "{\"id\":\"ovr\",\"type\":\"yes_no\",\"text\":\"Policy?\",\"partly\":true,"
    " \"options\":[{\"id\":\"partly\",\"label\":\"Draft only\",\"level\":\"red\"}]}]}]}";
  g_autoptr(GPtrArray) diagnostics = dlg_diagnostics_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgQuestionnaire) q = load_string (text, diagnostics, &error);
  DlgQuestion *inv, *ovr;

  g_assert_no_error (error);
  g_assert_cmpuint (diagnostics->len, ==, 0);

  inv = dlg_questionnaire_lookup_question (q, "inv");
  g_assert_cmpuint (inv->options->len, ==, 4);
  g_assert_cmpint (dlg_question_lookup_option (inv, "yes")->level, ==, DLG_LEVEL_RED);
  g_assert_cmpfloat (dlg_question_lookup_option (inv, "yes")->points, ==, 0);
  g_assert_cmpint (dlg_question_lookup_option (inv, "no")->level, ==, DLG_LEVEL_GREEN);
  g_assert_cmpint (dlg_question_lookup_option (inv, "partly")->level, ==, DLG_LEVEL_AMBER);
  g_assert_cmpint (dlg_question_lookup_option (inv, "na")->level, ==, DLG_LEVEL_GREY);
  g_assert_cmpstr (dlg_option_get_label (dlg_question_lookup_option (inv, "na"), "de"), ==, "Nicht zutreffend");

  ovr = dlg_questionnaire_lookup_question (q, "ovr");
  g_assert_cmpint (dlg_question_lookup_option (ovr, "partly")->level, ==, DLG_LEVEL_RED);
  g_assert_cmpfloat (dlg_question_lookup_option (ovr, "partly")->points, ==, 0);
  g_assert_cmpstr (dlg_option_get_label (dlg_question_lookup_option (ovr, "partly"), "en"), ==, "Draft only");
}

static void
test_warnings (void)
{
  const char *text =
    "{\"format\":\"diligence-questionnaire/1\",\"id\":\"t\",\"version\":\"1\",\"kind\":\"custom\","
    "\"default_language\":\"en\",\"languages\":[\"en\",\"nl\"],\"title\":{\"en\":\"T\",\"nl\":\"T\"},"
    "\"publisher\":{\"en\":\"P\",\"de\":\"P\"},\"x-note\":\"free\","
    "\"sections\":[{\"id\":\"s\",\"title\":{\"en\":\"S\",\"nl\":\"S\"},\"questions\":["
    "{\"id\":\"q\",\"type\":\"text\",\"text\":{\"en\":\"Q\",\"nl\":\"V\"},\"requried\":false,\"unit\":\"kg\"}]}]}";
  g_autoptr(GPtrArray) diagnostics = dlg_diagnostics_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgQuestionnaire) q = load_string (text, diagnostics, &error);
  struct { const char *pointer; const char *message; } expected[] = {
    { "/publisher/de", "not listed in “languages”" },
    { "/publisher", "No “nl” translation" },
    { "/sections/0/questions/0/requried", "Unknown member “requried”" },
    { "/sections/0/questions/0/unit", "only applies to number questions" },
  };

  g_assert_no_error (error);
  g_assert_nonnull (q);
  g_assert_cmpuint (dlg_diagnostics_count (diagnostics, DLG_SEVERITY_ERROR), ==, 0);
  g_assert_cmpuint (dlg_diagnostics_count (diagnostics, DLG_SEVERITY_WARNING), ==, G_N_ELEMENTS (expected));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      DlgDiagnostic *d = g_ptr_array_index (diagnostics, i);

      g_assert_cmpint (d->severity, ==, DLG_SEVERITY_WARNING);
      g_assert_cmpstr (d->pointer, ==, expected[i].pointer);
      g_assert_nonnull (strstr (d->message, expected[i].message));
    }
}

static void
check_invalid_file (gconstpointer data)
{
  const char *base = data;
  g_autofree char *json_path = g_strconcat (base, ".json", NULL);
  g_autofree char *expected_path = g_strconcat (base, ".expected", NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GPtrArray) diagnostics = dlg_diagnostics_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgQuestionnaire) q = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (expected_path, &expected, NULL, NULL));
  q = load_file (json_path, diagnostics, &error);
  g_assert_null (q);
  g_assert_true (error != NULL && error->domain == DLG_QUESTIONNAIRE_ERROR);

  for (guint i = 0; i < diagnostics->len; i++)
    {
      g_autofree char *line = dlg_diagnostic_format (g_ptr_array_index (diagnostics, i), NULL);
      g_test_message ("%s", line);
    }

  lines = g_strsplit (g_strchomp (expected), "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) parts = g_strsplit (lines[i], "\t", 2);
      gboolean found = FALSE;

      g_assert_cmpuint (g_strv_length (parts), ==, 2);

      for (guint j = 0; j < diagnostics->len && !found; j++)
        {
          DlgDiagnostic *d = g_ptr_array_index (diagnostics, j);
          g_autofree char *position = g_strdup_printf ("%u:%u", d->line, d->column);

          if (d->severity != DLG_SEVERITY_ERROR || strstr (d->message, parts[1]) == NULL)
            continue;
          if (parts[0][0] == '\0' ||
              g_strcmp0 (d->pointer, parts[0]) == 0 ||
              (d->line > 0 && strcmp (position, parts[0]) == 0))
            found = TRUE;
        }

      if (!found)
        g_error ("%s: expected an error at “%s” saying “%s”", json_path, parts[0], parts[1]);
    }
}

static void
test_format_example (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "docs", "questionnaire-format.md", NULL);
  g_autofree char *markdown = NULL;
  g_autofree char *example = NULL;
  g_autoptr(GPtrArray) diagnostics = dlg_diagnostics_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgQuestionnaire) q = NULL;

  g_assert_true (g_file_get_contents (path, &markdown, NULL, NULL));
  example = extract_json_block (markdown, "## Complete example");
  q = load_string (example, diagnostics, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (diagnostics->len, ==, 0);
  g_assert_cmpuint (dlg_questionnaire_get_n_questions (q), ==, 3);
  g_assert_cmpuint (dlg_questionnaire_get_n_quick_scan (q), ==, 1);
}

static void
test_diagnostic_format (void)
{
  g_autoptr(DlgDiagnostic) a = dlg_diagnostic_new (DLG_SEVERITY_ERROR, "/sections/2/id", "Bad");
  g_autoptr(DlgDiagnostic) b = dlg_diagnostic_new (DLG_SEVERITY_WARNING, NULL, "Odd");
  g_autofree char *fa = dlg_diagnostic_format (a, "q.json");
  g_autofree char *fb = NULL;
  g_autofree char *fc = NULL;

  g_assert_cmpstr (fa, ==, "q.json: error: /sections/2/id: Bad");
  b->line = 3;
  b->column = 7;
  fb = dlg_diagnostic_format (b, "q.json");
  g_assert_cmpstr (fb, ==, "q.json:3:7: warning: Odd");
  fc = dlg_diagnostic_format (a, NULL);
  g_assert_cmpstr (fc, ==, "error: /sections/2/id: Bad");
}

static void
test_garbage (void)
{
  /* Whatever the bytes: no crash, no hang, a clean error. */
  GRand *rand = g_rand_new_with_seed (20261124);

  for (guint i = 0; i < 2000; i++)
    {
      gsize len = g_rand_int_range (rand, 0, 256);
      g_autofree guchar *data = g_malloc (len + 1);
      g_autoptr(GError) error = NULL;
      g_autoptr(DlgQuestionnaire) q = NULL;

      static const char alphabet[] = "{}[]\":,0123456789.eE-+tfnul \n\\abc\xC3\xA9\x00\xFF";

      for (gsize j = 0; j < len; j++)
        data[j] = (guchar) alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      q = dlg_questionnaire_new_from_data ((const char *) data, len, NULL, &error);
      g_assert_null (q);
      g_assert_nonnull (error);
    }

  g_rand_free (rand);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autoptr(GDir) d = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/questionnaire/minimal", test_minimal);
  g_test_add_func ("/questionnaire/yes-no-variants", test_yes_no_variants);
  g_test_add_func ("/questionnaire/warnings", test_warnings);
  g_test_add_func ("/questionnaire/format-example", test_format_example);
  g_test_add_func ("/questionnaire/diagnostic-format", test_diagnostic_format);
  g_test_add_func ("/questionnaire/garbage", test_garbage);

  /* One test case per file of the invalid corpus. */
  dir = g_test_build_filename (G_TEST_DIST, "data", "invalid", NULL);
  d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)))
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strndup (name, strlen (name) - 5));
  g_ptr_array_sort (names, compare_strings);
  for (guint i = 0; i < names->len; i++)
    {
      const char *base = g_ptr_array_index (names, i);
      g_autofree char *path = g_strdup_printf ("/questionnaire/invalid/%s", base);

      g_test_add_data_func_full (path, g_build_filename (dir, base, NULL), check_invalid_file, g_free);
    }

  return g_test_run ();
}
