/* test-tool.c - diligence-tool as scripts use it: output and exit status
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

typedef struct
{
  int   status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *r)
{
  g_free (r->out);
  g_free (r->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

/* The language the tool runs in, from the catalogues of this build;
 * NULL for the test's (untranslated). */
static const char *run_language;

static void
run (Result *r,
     ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  const char *tool = g_getenv ("DILIGENCE_TOOL");
  const char *arg;
  va_list ap;

  g_assert_nonnull (tool);
  g_ptr_array_add (args, (gpointer) tool);
  va_start (ap, r);
  while ((arg = va_arg (ap, const char *)))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (run_language != NULL)
    {
      g_autofree char *localedir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);

      g_subprocess_launcher_setenv (launcher, "LANGUAGE", run_language, TRUE);
      g_subprocess_launcher_setenv (launcher, "DILIGENCE_LOCALEDIR", localedir, TRUE);
    }
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  r->status = g_subprocess_get_exit_status (proc);
  g_test_message ("status %d\nstdout: %s\nstderr: %s", r->status, r->out, r->err);
}

static void
test_usage (void)
{
  g_auto(Result) none = { 0 };
  g_auto(Result) help = { 0 };
  g_auto(Result) unknown = { 0 };
  g_auto(Result) version = { 0 };
  g_auto(Result) bad_option = { 0 };
  g_auto(Result) sub_help = { 0 };

  run (&none, NULL);
  g_assert_cmpint (none.status, ==, 2);
  g_assert_nonnull (strstr (none.err, "Usage"));

  run (&help, "--help", NULL);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "validate"));
  g_assert_nonnull (strstr (help.out, "score"));

  run (&unknown, "frobnicate", NULL);
  g_assert_cmpint (unknown.status, ==, 2);

  run (&version, "--version", NULL);
  g_assert_cmpint (version.status, ==, 0);
  g_assert_nonnull (strstr (version.out, PACKAGE_VERSION));

  run (&bad_option, "validate", "--no-such-option", NULL);
  g_assert_cmpint (bad_option.status, ==, 2);

  run (&sub_help, "score", "--help", NULL);
  g_assert_cmpint (sub_help.status, ==, 0);
  g_assert_nonnull (strstr (sub_help.out, "--quick-scan"));
}

static void
test_validate (void)
{
  g_autofree char *valid = g_test_build_filename (G_TEST_DIST, "data", "valid", "minimal.json", NULL);
  g_autofree char *scoring = g_test_build_filename (G_TEST_DIST, "data", "valid", "scoring.json", NULL);
  g_autofree char *dup = g_test_build_filename (G_TEST_DIST, "data", "invalid", "duplicate-question-id.json", NULL);
  g_autofree char *syntax = g_test_build_filename (G_TEST_DIST, "data", "invalid", "trailing-comma.json", NULL);
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "data", NULL);
  g_auto(Result) ok = { 0 };
  g_auto(Result) bad = { 0 };
  g_auto(Result) missing = { 0 };
  g_auto(Result) directory = { 0 };
  g_auto(Result) none = { 0 };
  g_autofree char *expected_dup = NULL;
  g_autofree char *expected_syntax = NULL;

  run (&ok, "validate", valid, scoring, NULL);
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_cmpstr (ok.out, ==, "");
  g_assert_cmpstr (ok.err, ==, "");

  /* Any invalid file makes the whole run fail, and every line names its file. */
  run (&bad, "validate", valid, dup, syntax, NULL);
  g_assert_cmpint (bad.status, ==, 1);
  expected_dup = g_strdup_printf ("%s: error: /sections/1/questions/0/id: Duplicate id “q1”", dup);
  expected_syntax = g_strdup_printf ("%s:3:1: error: Trailing comma", syntax);
  g_assert_nonnull (strstr (bad.err, expected_dup));
  g_assert_nonnull (strstr (bad.err, expected_syntax));
  g_assert_null (strstr (bad.err, valid));

  run (&missing, "validate", "/nonexistent/q.json", NULL);
  g_assert_cmpint (missing.status, ==, 2);
  g_assert_nonnull (strstr (missing.err, "/nonexistent/q.json: error:"));

  run (&directory, "validate", dir, NULL);
  g_assert_cmpint (directory.status, ==, 2);

  run (&none, "validate", NULL);
  g_assert_cmpint (none.status, ==, 2);
}

static void
test_validate_strict (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dlg-tool-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "warn.json", NULL);
  const char *text =
    "{\"format\":\"diligence-questionnaire/1\",\"id\":\"t\",\"version\":\"1\",\"kind\":\"custom\","
    "\"default_language\":\"en\",\"languages\":[\"en\",\"fr\"],\"title\":\"T\",\"publisher\":\"P\","
    "\"sections\":[{\"id\":\"s\",\"title\":\"S\",\"questions\":[{\"id\":\"q\",\"type\":\"text\",\"text\":\"Q\"}]}]}";
  g_auto(Result) lax = { 0 };
  g_auto(Result) strict = { 0 };

  g_assert_true (g_file_set_contents (path, text, -1, NULL));

  run (&lax, "validate", path, NULL);
  g_assert_cmpint (lax.status, ==, 0);
  g_assert_nonnull (strstr (lax.err, "warning: /title: No “fr” translation"));

  run (&strict, "validate", "--strict", path, NULL);
  g_assert_cmpint (strict.status, ==, 1);
  g_assert_nonnull (strstr (strict.err, "error: /title: No “fr” translation"));

  g_remove (path);
  g_rmdir (dir);
}

static void
test_score (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dlg-tool-XXXXXX", NULL);
  g_autofree char *answers = g_build_filename (dir, "answers.json", NULL);
  g_autofree char *bad_answers = g_build_filename (dir, "bad.json", NULL);
  g_autofree char *scoring = g_test_build_filename (G_TEST_DIST, "data", "valid", "scoring.json", NULL);
  g_autofree char *invalid = g_test_build_filename (G_TEST_DIST, "data", "invalid", "empty.json", NULL);
  const char *text =
    "{\"format\":\"diligence-answers/1\",\"questionnaire\":{\"id\":\"org.example.scoring\",\"version\":\"1\"},"
    "\"answers\":{\"a1\":{\"value\":\"g\"},\"a2\":{\"value\":\"partly\"},\"a3\":{\"value\":[\"x\",\"y\"]},"
    "\"b1\":{\"value\":\"no\"},\"b2\":{\"value\":50},\"b3\":{\"value\":\"Two sites\"}}}";
  g_auto(Result) plain = { 0 };
  g_auto(Result) json = { 0 };
  g_auto(Result) quick = { 0 };
  g_auto(Result) bad_q = { 0 };
  g_auto(Result) bad_a = { 0 };
  g_auto(Result) wrong_args = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  g_assert_true (g_file_set_contents (answers, text, -1, NULL));
  g_assert_true (g_file_set_contents (bad_answers, "{\"format\":\"diligence-answers/1\"}", -1, NULL));

  run (&plain, "score", scoring, answers, NULL);
  g_assert_cmpint (plain.status, ==, 0);
  /* Levels in words, as the app shows them; ids are for --json. */
  g_assert_nonnull (strstr (plain.out, "Overall: Amber, score 67 %, 4 of 4 required questions answered"));
  g_assert_null (strstr (plain.out, "amber"));
  g_assert_nonnull (strstr (plain.out, "Weighted section"));

  run (&json, "score", "--json", scoring, answers, NULL);
  g_assert_cmpint (json.status, ==, 0);
  json_parser_load_from_data (parser, json.out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "level"), ==, "amber");
  g_assert_true (json_object_get_boolean_member (root, "complete"));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (root, "score"), 67.3, 1e-9);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "sections")), ==, 3);

  run (&quick, "score", "--quick-scan", "--json", scoring, answers, NULL);
  g_assert_cmpint (quick.status, ==, 0);
  g_assert_nonnull (strstr (quick.out, "\"quick_scan\" : true"));
  g_assert_nonnull (strstr (quick.out, "\"level\" : \"green\""));

  run (&bad_q, "score", invalid, answers, NULL);
  g_assert_cmpint (bad_q.status, ==, 1);
  g_assert_nonnull (strstr (bad_q.err, "empty.json:1:1: error:"));

  run (&bad_a, "score", scoring, bad_answers, NULL);
  g_assert_cmpint (bad_a.status, ==, 1);
  g_assert_nonnull (strstr (bad_a.err, "bad.json: error: /questionnaire"));

  run (&wrong_args, "score", scoring, NULL);
  g_assert_cmpint (wrong_args.status, ==, 2);

  g_remove (answers);
  g_remove (bad_answers);
  g_rmdir (dir);
}

/* The column, counted in characters, at which @needle starts in @line. */
static glong
column_of (const char *line,
           const char *needle)
{
  const char *found = strstr (line, needle);

  g_assert_nonnull (found);
  return g_utf8_pointer_to_offset (line, found);
}

/* Every line of the table starts its columns where the heading's do. */
static void
assert_aligned (const char         *out,
                const char * const *headings,
                const char * const *first_row)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  guint header = 0;

  while (lines[header] != NULL && !g_str_has_prefix (lines[header], headings[0]))
    header++;
  g_assert_nonnull (lines[header]);
  g_assert_nonnull (lines[header + 1]);
  for (guint i = 0; headings[i] != NULL; i++)
    {
      g_test_message ("“%s” at %ld, “%s” at %ld", headings[i], column_of (lines[header], headings[i]),
                      first_row[i], column_of (lines[header + 1], first_row[i]));
      g_assert_cmpint (column_of (lines[header], headings[i]), ==, column_of (lines[header + 1], first_row[i]));
    }
}

static void
test_score_translated (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dlg-tool-XXXXXX", NULL);
  g_autofree char *answers = g_build_filename (dir, "answers.json", NULL);
  g_autofree char *scoring = g_test_build_filename (G_TEST_DIST, "data", "valid", "scoring.json", NULL);
  g_autofree char *mo = g_test_build_filename (G_TEST_BUILT, "..", "po", "fr", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  const char *text =
    "{\"format\":\"diligence-answers/1\",\"questionnaire\":{\"id\":\"org.example.scoring\",\"version\":\"1\"},"
    "\"answers\":{\"a1\":{\"value\":\"g\"},\"a2\":{\"value\":\"partly\"},\"a3\":{\"value\":[\"x\",\"y\"]},"
    "\"b1\":{\"value\":\"no\"},\"b2\":{\"value\":50},\"b3\":{\"value\":\"Two sites\"}}}";
  g_auto(Result) fr = { 0 };
  g_auto(Result) de = { 0 };
  g_auto(Result) nl = { 0 };
  g_auto(Result) json = { 0 };

  if (!g_file_test (mo, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("The translations are not built");
      return;
    }
  g_assert_true (g_file_set_contents (answers, text, -1, NULL));

  /* French: "Réponses" is one byte longer than it is wide, and the
   * levels are words: "Orange", "Sans objet", not "amber", "grey". */
  run_language = "fr";
  run (&fr, "score", scoring, answers, NULL);
  g_assert_cmpint (fr.status, ==, 0);
  g_assert_nonnull (strstr (fr.out, "Niveau"));
  g_assert_nonnull (strstr (fr.out, "Réponses"));
  g_assert_nonnull (strstr (fr.out, "Orange"));
  g_assert_nonnull (strstr (fr.out, "Sans objet"));
  g_assert_null (strstr (fr.out, "amber"));
  g_assert_null (strstr (fr.out, "grey"));
  assert_aligned (fr.out, (const char *[]) { "Niveau", "Réponses", "Section", NULL },
                  (const char *[]) { "Orange", "2/2", "Weighted section", NULL });

  /* German and Dutch: columns as wide as their longest word. */
  run_language = "de";
  run (&de, "score", scoring, answers, NULL);
  g_assert_cmpint (de.status, ==, 0);
  assert_aligned (de.out, (const char *[]) { "Einstufung", "Antworten", "Abschnitt", NULL },
                  (const char *[]) { "Gelb", "2/2", "Weighted section", NULL });
  g_assert_nonnull (strstr (de.out, "Nicht zutreffend"));

  run_language = "nl";
  run (&nl, "score", scoring, answers, NULL);
  g_assert_cmpint (nl.status, ==, 0);
  assert_aligned (nl.out, (const char *[]) { "Niveau", "Ingevuld", "Sectie", NULL },
                  (const char *[]) { "Oranje", "2/2", "Weighted section", NULL });
  g_assert_nonnull (strstr (nl.out, "Niet van toepassing"));

  /* JSON is for programs: ids, whatever the language. */
  run_language = "fr";
  run (&json, "score", "--json", scoring, answers, NULL);
  run_language = NULL;
  g_assert_cmpint (json.status, ==, 0);
  g_assert_nonnull (strstr (json.out, "\"level\" : \"amber\""));

  g_remove (answers);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tool/usage", test_usage);
  g_test_add_func ("/tool/validate", test_validate);
  g_test_add_func ("/tool/validate-strict", test_validate_strict);
  g_test_add_func ("/tool/score", test_score);
  g_test_add_func ("/tool/score-translated", test_score_translated);

  return g_test_run ();
}
