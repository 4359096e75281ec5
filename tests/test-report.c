/* test-report.c - report and review payloads, and the PDF, CSV and JSON exports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Malformed payloads are made by changing one member of a valid payload,
 * so that each case fails for exactly the reason it is named after.
 */

#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "dlg-core.h"
#include "test-util.h"
#include "test-questionnaires.h"

#define HASH_A "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define HASH_B "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"
#define HASH_HIDDEN "fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9"

static const DlgProfile supplier = {
  .name = "Acme Électronique SA",
  .enterprise_number = "BE0123456789",
  .country = "BE",
  .contact_name = "Marie Dupont",
  .contact_email = "marie@acme.example",
  .roles = DLG_ROLE_SUPPLIER,
};

typedef struct
{
  DlgQuestionnaire *q;
  DlgAssessment    *a;
  char             *dir;
} Fixture;

#define check(call) \
  G_STMT_START { g_autoptr(GError) e_ = NULL; g_assert_true (call); g_assert_no_error (e_); } G_STMT_END

/* scoring.json answered so that every kind of question has a value, with
 * comments and evidence, and b4 answered but then hidden. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const char *a3[] = { "x", "y", NULL };

  f->q = load_questionnaire ("scoring.json");
  f->a = dlg_assessment_new (f->q);
  f->dir = g_dir_make_tmp ("dlg-report-XXXXXX", NULL);

  check (dlg_assessment_set_choice (f->a, "a1", "g", &e_));
  check (dlg_assessment_set_comment (f->a, "a1", "Audited by an independent firm", &e_));
  check (dlg_assessment_add_evidence (f->a, "a1", "audit 2026.pdf", HASH_A, &e_));
  check (dlg_assessment_add_evidence (f->a, "a1", "policy.odt", HASH_B, &e_));
  check (dlg_assessment_set_choice (f->a, "a2", "partly", &e_));
  check (dlg_assessment_set_choices (f->a, "a3", a3, &e_));

  /* b4 shows only while b1 is "yes": answer it, then hide it. */
  check (dlg_assessment_set_choice (f->a, "b1", "yes", &e_));
  check (dlg_assessment_set_choice (f->a, "b4", "old", &e_));
  check (dlg_assessment_set_comment (f->a, "b4", "SECRET-HIDDEN-COMMENT", &e_));
  check (dlg_assessment_add_evidence (f->a, "b4", "hidden.pdf", HASH_HIDDEN, &e_));
  check (dlg_assessment_set_choice (f->a, "b1", "no", &e_));

  check (dlg_assessment_set_number (f->a, "b2", 50, &e_));
  check (dlg_assessment_set_text (f->a, "b3", "Two sites in Shenzhen", &e_));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->a);
  g_assert_finalize_object (f->q);
  remove_tree (f->dir);
  g_free (f->dir);
}

static GPtrArray *
two_recipients (void)
{
  GPtrArray *recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_party_free);

  g_ptr_array_add (recipients, dlg_party_new ("Ville de Liège", "BE0207335822"));
  g_ptr_array_add (recipients, dlg_party_new ("Federal Public Service BOSA", "BE0671516647"));
  return recipients;
}

static DlgReport *
build (DlgAssessment *a,
       gboolean       quick_scan,
       const char    *language,
       JsonNode      *plan,
       const char    *supersedes)
{
  g_autoptr(DlgEvaluation) ev = dlg_evaluate (a, quick_scan);
  g_autoptr(GPtrArray) recipients = two_recipients ();
  g_autoptr(GError) error = NULL;
  DlgReport *report;

  report = dlg_report_new (a, ev, &supplier, recipients, "2026", language, plan, supersedes, &error);
  g_assert_no_error (error);
  g_assert_true (DLG_IS_REPORT (report));
  return report;
}

static char *
payload_text (DlgReport *report)
{
  GBytes *bytes = dlg_report_get_payload (report);

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static JsonNode *
sample_plan (void)
{
  static const char plan[] =
    "{\"format\":\"diligence-action-plan/1\",\"questionnaire\":{\"id\":\"org.example.scoring\",\"version\":\"1\"},"
    "\"review_state\":\"submitted\",\"actions\":["
    "{\"id\":\"act-1\",\"disposition\":\"accepted\",\"findings\":[\"a2\"],\"priority\":\"major\","
    "\"title\":\"Train site managers on working hours\",\"root_cause\":\"Peak season planned late\","
    "\"owner_name\":\"Jan Peeters\",\"due_date\":\"2026-09-30\",\"status\":\"in_progress\","
    "\"notes\":[{\"date\":\"2026-04-01\",\"text\":\"First session held\"}],\"evidence\":[]},"
    "{\"id\":\"act-2\",\"disposition\":\"proposed\",\"title\":\"Unaccepted proposal\",\"findings\":[]}],"
    "\"history\":[]}";
  g_autoptr(GError) error = NULL;
  JsonNode *node = dlg_json_parse (plan, strlen (plan), NULL, NULL, &error);

  g_assert_no_error (error);
  return node;
}

/* Building and reading back */

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) plan = sample_plan ();
  g_autoptr(DlgReport) report = build (f->a, FALSE, "en", plan, NULL);
  g_autoptr(DlgReport) back = NULL;
  g_autoptr(DlgEvaluation) ev = dlg_evaluate (f->a, FALSE);
  g_autoptr(GError) error = NULL;
  const DlgReportAnswer *a1, *a3, *b2, *d1;
  const DlgReportSection *s;
  double score, expected_score;

  back = dlg_report_new_from_payload (dlg_report_get_payload (report), &error);
  g_assert_no_error (error);

  /* The very bytes that were parsed are kept, for signing and hashing. */
  g_assert_true (g_bytes_equal (dlg_report_get_payload (back), dlg_report_get_payload (report)));

  g_assert_true (g_uuid_string_is_valid (dlg_report_get_id (back)));
  g_assert_cmpstr (dlg_report_get_id (back), ==, dlg_report_get_id (report));
  g_assert_null (dlg_report_get_supersedes (back));
  g_assert_nonnull (dlg_report_get_created_at_date_time (back));
  g_assert_true (g_str_has_suffix (dlg_report_get_created_at (back), "Z"));
  g_assert_cmpstr (dlg_report_get_app_version (back), ==, PACKAGE_VERSION);

  g_assert_cmpstr (dlg_report_get_organisation_name (back), ==, "Acme Électronique SA");
  g_assert_cmpstr (dlg_report_get_organisation_id (back), ==, "BE0123456789");
  g_assert_cmpstr (dlg_report_get_organisation_country (back), ==, "BE");
  g_assert_cmpstr (dlg_report_get_contact_name (back), ==, "Marie Dupont");
  g_assert_cmpstr (dlg_report_get_contact_email (back), ==, "marie@acme.example");
  g_assert_cmpuint (dlg_report_get_n_recipients (back), ==, 2);
  g_assert_cmpstr (dlg_report_get_recipient (back, 0)->name, ==, "Ville de Liège");
  g_assert_cmpstr (dlg_report_get_recipient (back, 1)->id, ==, "BE0671516647");
  g_assert_cmpstr (dlg_report_get_period (back), ==, "2026");
  g_assert_cmpstr (dlg_report_get_language (back), ==, "en");
  g_assert_false (dlg_report_get_quick_scan (back));

  g_assert_cmpstr (dlg_report_get_questionnaire_id (back), ==, "org.example.scoring");
  g_assert_cmpstr (dlg_report_get_questionnaire_version (back), ==, "1");
  g_assert_cmpstr (dlg_report_get_questionnaire_sha256 (back), ==, dlg_questionnaire_get_checksum (f->q));
  g_assert_cmpstr (dlg_report_get_questionnaire_title (back), ==, "Scoring rules");

  /* a1 a2 a3 b1 b2 b3 d1 are visible; b4 and section C are hidden. */
  g_assert_cmpuint (dlg_report_get_n_answers (back), ==, 7);
  a1 = dlg_report_lookup_answer (back, "a1");
  g_assert_nonnull (a1);
  g_assert_cmpstr (a1->section_id, ==, "A");
  g_assert_cmpstr (a1->type, ==, "single_choice");
  g_assert_cmpstr (a1->text, ==, "A1");
  g_assert_cmpstr (json_node_get_string (a1->value), ==, "g");
  g_assert_cmpstr (a1->display[0], ==, "Good");
  g_assert_null (a1->display[1]);
  g_assert_cmpint (a1->level, ==, DLG_LEVEL_GREEN);
  g_assert_cmpstr (a1->comment, ==, "Audited by an independent firm");
  g_assert_cmpuint (a1->n_evidence, ==, 2);
  g_assert_cmpstr (a1->evidence[0].name, ==, "audit 2026.pdf");
  g_assert_cmpstr (a1->evidence[1].sha256, ==, HASH_B);

  a3 = dlg_report_lookup_answer (back, "a3");
  g_assert_true (JSON_NODE_HOLDS_ARRAY (a3->value));
  g_assert_cmpstr (a3->display[0], ==, "X");
  g_assert_cmpstr (a3->display[1], ==, "Y");
  g_assert_null (a3->display[2]);
  g_assert_false (a3->required);

  b2 = dlg_report_lookup_answer (back, "b2");
  g_assert_cmpint (json_node_get_int (b2->value), ==, 50);
  g_assert_cmpint (b2->level, ==, DLG_LEVEL_AMBER);
  g_assert_true (dlg_report_lookup_answer (back, "b1")->critical);

  d1 = dlg_report_lookup_answer (back, "d1");
  g_assert_null (d1->value);
  g_assert_null (d1->display);
  g_assert_cmpint (d1->level, ==, DLG_LEVEL_NONE);

  /* The evaluation is the engine's. */
  g_assert_cmpint (dlg_report_get_level (back), ==, ev->level);
  g_assert_cmpint (dlg_report_get_level_if_complete (back), ==, ev->level_if_complete);
  g_assert_true (dlg_report_get_score (back, &score) == ev->has_score);
  expected_score = round (ev->score * 10) / 10;
  g_assert_cmpfloat_with_epsilon (score, expected_score, 1e-9);
  g_assert_cmpint (dlg_report_get_complete (back), ==, ev->complete);
  g_assert_cmpuint (dlg_report_get_n_required (back), ==, ev->n_required);
  g_assert_cmpuint (dlg_report_get_n_required_answered (back), ==, ev->n_required_answered);
  g_assert_cmpuint (dlg_report_get_n_sections (back), ==, 3);
  s = dlg_report_lookup_section (back, "B");
  g_assert_nonnull (s);
  g_assert_cmpstr (s->title, ==, "Worst-answer section");
  g_assert_cmpint (s->level, ==, dlg_evaluation_get_section (ev, dlg_questionnaire_lookup_section (f->q, "B"))->level);
  g_assert_null (dlg_report_lookup_section (back, "C"));
  g_assert_cmpuint (dlg_report_get_n_findings (back), >=, 2);
  g_assert_cmpstr (dlg_report_get_finding (back, 0)->question_id, ==, "a2");

  g_assert_true (json_node_equal (dlg_report_get_action_plan (back), plan));

  /* Two reports of the same answers are two reports. */
  {
    g_autoptr(DlgReport) other = build (f->a, FALSE, "en", NULL, dlg_report_get_id (report));

    g_assert_cmpstr (dlg_report_get_id (other), !=, dlg_report_get_id (report));
    g_assert_cmpstr (dlg_report_get_supersedes (other), ==, dlg_report_get_id (report));
    g_assert_null (dlg_report_get_action_plan (other));
  }

  g_assert_finalize_object (g_steal_pointer (&back));
}

static void
test_canonical (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(DlgReport) report = build (f->a, FALSE, "en", NULL, NULL);
  g_autoptr(GBytes) pretty = dlg_report_to_pretty_json (report);
  g_autoptr(DlgReport) from_pretty = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = payload_text (report);
  g_autofree char *pretty_text = g_strndup (g_bytes_get_data (pretty, NULL), g_bytes_get_size (pretty));

  /* Compact, in a fixed member order, no float noise. */
  g_assert_true (g_str_has_prefix (text, "{\"format\":\"diligence-report/1\",\"id\":\""));
  g_assert_null (strchr (text, '\n'));
  g_assert_null (strstr (text, "00000000"));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_nonnull (strstr (text, "\"name\":\"Acme Électronique SA\""));

  /* The pretty form reads back as the same report. */
  g_assert_true (g_str_has_suffix (pretty_text, "}\n"));
  g_assert_nonnull (strstr (pretty_text, "\n  \"format\": \"diligence-report/1\",\n"));
  from_pretty = dlg_report_new_from_payload (pretty, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dlg_report_get_id (from_pretty), ==, dlg_report_get_id (report));
}

static void
test_hidden (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(DlgReport) report = build (f->a, FALSE, NULL, NULL, NULL);
  g_autofree char *text = payload_text (report);
  g_autoptr(GBytes) csv = dlg_report_to_csv (report);
  g_autofree char *csv_text = g_strndup (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));

  g_assert_null (dlg_report_lookup_answer (report, "b4"));
  g_assert_null (dlg_report_lookup_answer (report, "c1"));
  g_assert_null (strstr (text, "SECRET-HIDDEN-COMMENT"));
  g_assert_null (strstr (text, HASH_HIDDEN));
  g_assert_null (strstr (text, "hidden.pdf"));
  g_assert_null (strstr (text, "\"b4\""));
  g_assert_null (strstr (text, "Since when?"));
  g_assert_null (strstr (csv_text, "SECRET"));

  /* Still there once b1 shows it again. */
  {
    g_autoptr(DlgReport) shown = NULL;

    check (dlg_assessment_set_choice (f->a, "b1", "yes", &e_));
    shown = build (f->a, FALSE, NULL, NULL, NULL);
    g_assert_nonnull (dlg_report_lookup_answer (shown, "b4"));
    g_assert_cmpstr (dlg_report_lookup_answer (shown, "b4")->comment, ==, "SECRET-HIDDEN-COMMENT");
  }
}

static void
test_quick_scan (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(DlgReport) report = build (f->a, TRUE, "en", NULL, NULL);

  /* Only a1 and b1 are in the quick scan. */
  g_assert_true (dlg_report_get_quick_scan (report));
  g_assert_cmpuint (dlg_report_get_n_answers (report), ==, 2);
  g_assert_nonnull (dlg_report_lookup_answer (report, "a1"));
  g_assert_nonnull (dlg_report_lookup_answer (report, "b1"));
  g_assert_null (dlg_report_lookup_answer (report, "a2"));
}

static void
test_build_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(DlgEvaluation) ev = dlg_evaluate (f->a, FALSE);
  g_autoptr(GPtrArray) recipients = two_recipients ();
  g_autoptr(GPtrArray) bad_recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_party_free);
  DlgProfile profile = supplier;
  g_autoptr(GError) error = NULL;

  profile.name = "  ";
  g_assert_null (dlg_report_new (f->a, ev, &profile, recipients, "2026", "en", NULL, NULL, &error));
  g_assert_error (error, DLG_REPORT_ERROR, DLG_REPORT_ERROR_INCOMPLETE);
  g_clear_error (&error);

  profile = supplier;
  profile.enterprise_number = NULL;
  g_assert_null (dlg_report_new (f->a, ev, &profile, recipients, "2026", "en", NULL, NULL, &error));
  g_assert_error (error, DLG_REPORT_ERROR, DLG_REPORT_ERROR_INCOMPLETE);
  g_assert_nonnull (strstr (error->message, "Preferences"));
  g_clear_error (&error);

  profile.enterprise_number = "BE 0123\"456";
  g_assert_null (dlg_report_new (f->a, ev, &profile, recipients, "2026", "en", NULL, NULL, &error));
  g_assert_error (error, DLG_REPORT_ERROR, DLG_REPORT_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  profile = supplier;
  profile.country = "Belgium";
  g_assert_null (dlg_report_new (f->a, ev, &profile, recipients, "2026", "en", NULL, NULL, &error));
  g_assert_error (error, DLG_REPORT_ERROR, DLG_REPORT_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  g_ptr_array_add (bad_recipients, dlg_party_new ("A buyer without a number", NULL));
  g_assert_null (dlg_report_new (f->a, ev, &supplier, bad_recipients, "2026", "en", NULL, NULL, &error));
  g_assert_error (error, DLG_REPORT_ERROR, DLG_REPORT_ERROR_INCOMPLETE);
  g_assert_nonnull (strstr (error->message, "A buyer without a number"));
  g_clear_error (&error);

  g_assert_null (dlg_report_new (f->a, ev, &supplier, recipients, "", "en", NULL, NULL, &error));
  g_assert_error (error, DLG_REPORT_ERROR, DLG_REPORT_ERROR_INCOMPLETE);
  g_clear_error (&error);

  g_assert_null (dlg_report_new (f->a, ev, &supplier, recipients, "2026\n2027", "en", NULL, NULL, &error));
  g_assert_error (error, DLG_REPORT_ERROR, DLG_REPORT_ERROR_INCOMPLETE);
  g_clear_error (&error);

  g_assert_null (dlg_report_new (f->a, ev, &supplier, recipients, "2026", "en", NULL, "last year's", &error));
  g_assert_error (error, DLG_REPORT_ERROR, DLG_REPORT_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  /* No recipients at all is a report for anyone, such as a charter's. */
  {
    g_autoptr(DlgReport) report = dlg_report_new (f->a, ev, &supplier, NULL, "2026", "en", NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (dlg_report_get_n_recipients (report), ==, 0);
  }

  /* A language the questionnaire lacks falls back to its default. */
  {
    g_autoptr(DlgReport) report = dlg_report_new (f->a, ev, &supplier, NULL, "2026", "fr", NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (dlg_report_get_language (report), ==, "en");
  }
}

/* Malformed payloads */

static JsonNode *
walk (JsonNode    *node,
      const char  *token)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_object_get_member (json_node_get_object (node), token);
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_array_get_element (json_node_get_array (node), atoi (token));
  g_assert_not_reached ();
}

/* Returns the payload with the member at @pointer set to @json, or
 * removed if @json is NULL. */
static GBytes *
mutate (GBytes     *payload,
        const char *pointer,
        const char *json)
{
  g_autoptr(JsonNode) root = dlg_json_parse (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload),
                                             NULL, NULL, NULL);
  g_auto(GStrv) tokens = g_strsplit (pointer + 1, "/", -1);
  guint n = g_strv_length (tokens);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  JsonNode *parent = root;
  JsonNode *value = NULL;
  char *text;
  gsize length;

  for (guint i = 0; i + 1 < n; i++)
    {
      parent = walk (parent, tokens[i]);
      g_assert_nonnull (parent);
    }

  if (json != NULL)
    value = dlg_json_parse (json, strlen (json), NULL, NULL, NULL);
  if (JSON_NODE_HOLDS_OBJECT (parent))
    {
      if (value)
        json_object_set_member (json_node_get_object (parent), tokens[n - 1], value);
      else
        json_object_remove_member (json_node_get_object (parent), tokens[n - 1]);
    }
  else
    {
      JsonArray *array = json_node_get_array (parent);
      guint index = atoi (tokens[n - 1]);
      JsonNode *element = json_array_get_element (array, index);

      g_assert_nonnull (value);
      json_node_unref (json_node_ref (element));
      if (JSON_NODE_HOLDS_OBJECT (value))
        json_node_set_object (element, json_node_get_object (value));
      else if (JSON_NODE_HOLDS_ARRAY (value))
        json_node_set_array (element, json_node_get_array (value));
      else
        g_assert_not_reached ();
      json_node_unref (value);
    }

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, &length);
  return g_bytes_new_take (text, length);
}

typedef struct
{
  const char *pointer;
  const char *json;        /* NULL: remove the member */
  int         code;
  const char *mention;     /* a part of the message, or NULL */
} Mutation;

/* Answers: 0 a1, 1 a2, 2 a3, 3 b1, 4 b2, 5 b3, 6 d1. Findings: 0 is a2. */
static const Mutation report_mutations[] = {
  { "/id", NULL, DLG_REPORT_ERROR_MISSING_MEMBER, "/id" },
  { "/created_at", NULL, DLG_REPORT_ERROR_MISSING_MEMBER, "/created_at" },
  { "/organisation/id", NULL, DLG_REPORT_ERROR_MISSING_MEMBER, "/organisation/id" },
  { "/organisation/contact", NULL, DLG_REPORT_ERROR_MISSING_MEMBER, "/organisation/contact" },
  { "/answers/0/level", NULL, DLG_REPORT_ERROR_MISSING_MEMBER, "/answers/0/level" },
  { "/answers/6/value", NULL, DLG_REPORT_ERROR_MISSING_MEMBER, "/answers/6/value" },
  { "/evaluation/sections/0/counts/red", NULL, DLG_REPORT_ERROR_MISSING_MEMBER, "/evaluation/sections/0/counts/red" },
  { "/action_plan", NULL, DLG_REPORT_ERROR_MISSING_MEMBER, "/action_plan" },
  { "/quick_scan", "\"no\"", DLG_REPORT_ERROR_WRONG_TYPE, "/quick_scan" },
  { "/answers", "{}", DLG_REPORT_ERROR_WRONG_TYPE, "/answers" },
  { "/recipients/0/name", "5", DLG_REPORT_ERROR_WRONG_TYPE, "/recipients/0/name" },
  { "/organisation/country", "[\"BE\"]", DLG_REPORT_ERROR_WRONG_TYPE, "/organisation/country" },
  { "/answers/4/value", "\"50\"", DLG_REPORT_ERROR_WRONG_TYPE, "/answers/4/value" },
  { "/answers/2/value", "\"x\"", DLG_REPORT_ERROR_WRONG_TYPE, "/answers/2/value" },
  { "/evaluation/score", "\"high\"", DLG_REPORT_ERROR_WRONG_TYPE, "/evaluation/score" },
  { "/evaluation/required", "1.5", DLG_REPORT_ERROR_INVALID_VALUE, "/evaluation/required" },
  { "/action_plan", "5", DLG_REPORT_ERROR_WRONG_TYPE, "/action_plan" },
  { "/id", "\"not-a-uuid\"", DLG_REPORT_ERROR_INVALID_VALUE, "/id" },
  { "/id", "\"D39D617E-7258-44EC-B135-6794E8EFC23B\"", DLG_REPORT_ERROR_INVALID_VALUE, "/id" },
  { "/id", "\"6ba7b810-9dad-11d1-80b4-00c04fd430c8\"", DLG_REPORT_ERROR_INVALID_VALUE, "/id" },
  { "/supersedes", "\"6ba7b810-9dad-11d1-80b4\"", DLG_REPORT_ERROR_INVALID_VALUE, "/supersedes" },
  { "/created_at", "\"2026-13-01T00:00:00Z\"", DLG_REPORT_ERROR_INVALID_VALUE, "/created_at" },
  { "/created_at", "\"2026-02-30T00:00:00Z\"", DLG_REPORT_ERROR_INVALID_VALUE, "/created_at" },
  { "/created_at", "\"2026-03-01T10:00:00+01:00\"", DLG_REPORT_ERROR_INVALID_VALUE, "/created_at" },
  { "/created_at", "\"2026-03-01\"", DLG_REPORT_ERROR_INVALID_VALUE, "/created_at" },
  { "/questionnaire/sha256", "\"ABC\"", DLG_REPORT_ERROR_INVALID_VALUE, "/questionnaire/sha256" },
  { "/organisation/id", "\"BE 01<script>\"", DLG_REPORT_ERROR_INVALID_VALUE, "/organisation/id" },
  { "/organisation/name", "\"\"", DLG_REPORT_ERROR_INVALID_VALUE, "/organisation/name" },
  { "/organisation/name", "\"Acme\\u0007\"", DLG_REPORT_ERROR_INVALID_VALUE, "/organisation/name" },
  { "/language", "\"english!\"", DLG_REPORT_ERROR_INVALID_VALUE, "/language" },
  { "/language", "\"EN\"", DLG_REPORT_ERROR_INVALID_VALUE, "/language" },
  { "/answers/0/level", "\"purple\"", DLG_REPORT_ERROR_INVALID_VALUE, "/answers/0/level" },
  { "/answers/0/level", "\"incomplete\"", DLG_REPORT_ERROR_INVALID_VALUE, "/answers/0/level" },
  { "/answers/6/level", "\"green\"", DLG_REPORT_ERROR_INVALID_VALUE, "/answers/6/level" },
  { "/answers/0/type", "\"essay\"", DLG_REPORT_ERROR_INVALID_VALUE, "/answers/0/type" },
  { "/answers/0/evidence/0/sha256", "\"9f86\"", DLG_REPORT_ERROR_INVALID_VALUE, "/answers/0/evidence/0/sha256" },
  { "/answers/0/display", "null", DLG_REPORT_ERROR_INVALID_VALUE, "/answers/0/display" },
  { "/answers/2/display", "[\"X\"]", DLG_REPORT_ERROR_INVALID_VALUE, "/answers/2/display" },
  { "/answers/2/value", "[\"x\",\"x\"]", DLG_REPORT_ERROR_INVALID_VALUE, "/answers/2/value/1" },
  { "/answers/2/value", "[]", DLG_REPORT_ERROR_INVALID_VALUE, "/answers/2/value" },
  { "/answers/5/value", "\"\"", DLG_REPORT_ERROR_INVALID_VALUE, "/answers/5/value" },
  { "/answers/1/question", "\"a1\"", DLG_REPORT_ERROR_INVALID_VALUE, "/answers/1/question" },
  { "/answers/0/section", "\"Z\"", DLG_REPORT_ERROR_INVALID_VALUE, "/answers/0/section" },
  { "/evaluation/findings/0/question", "\"zz\"", DLG_REPORT_ERROR_INVALID_VALUE, "/evaluation/findings/0" },
  { "/evaluation/findings/0/level", "\"green\"", DLG_REPORT_ERROR_INVALID_VALUE, "/evaluation/findings/0" },
  { "/evaluation/score", "150", DLG_REPORT_ERROR_INVALID_VALUE, "/evaluation/score" },
  { "/evaluation/sections/0/score", "-1", DLG_REPORT_ERROR_INVALID_VALUE, "/evaluation/sections/0/score" },
  { "/evaluation/required_answered", "99", DLG_REPORT_ERROR_INVALID_VALUE, "/evaluation/required_answered" },
  { "/extra", "1", DLG_REPORT_ERROR_UNKNOWN_MEMBER, "/extra" },
  { "/organisation/x-vat-regime", "\"normal\"", DLG_REPORT_ERROR_UNKNOWN_MEMBER, "/organisation/x-vat-regime" },
  { "/answers/0/score", "100", DLG_REPORT_ERROR_UNKNOWN_MEMBER, "/answers/0/score" },
  { "/evaluation/questionnaire", "{}", DLG_REPORT_ERROR_UNKNOWN_MEMBER, "/evaluation/questionnaire" },
  { "/format", "\"diligence-report/2\"", DLG_REPORT_ERROR_FORMAT, "newer version" },
  { "/format", "\"diligence-review/1\"", DLG_REPORT_ERROR_FORMAT, "/format" },
  { "/format", "1", DLG_REPORT_ERROR_FORMAT, "/format" },
  { "/format", NULL, DLG_REPORT_ERROR_FORMAT, "format" },
  { "/recipients/1", "{\"name\":\"Twice\",\"id\":\"BE0207335822\"}", DLG_REPORT_ERROR_INVALID_VALUE, "/recipients/1" },
};

static void
expect_report_error (GBytes     *bytes,
                     int         code,
                     const char *mention)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgReport) report = dlg_report_new_from_payload (bytes, &error);

  g_assert_null (report);
  g_assert_error (error, DLG_REPORT_ERROR, code);
  if (mention != NULL && strstr (error->message, mention) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, mention);
}

static void
test_malformed (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(DlgReport) report = build (f->a, FALSE, "en", NULL, NULL);
  GBytes *payload = dlg_report_get_payload (report);

  for (guint i = 0; i < G_N_ELEMENTS (report_mutations); i++)
    {
      const Mutation *m = &report_mutations[i];
      g_autoptr(GBytes) bytes = mutate (payload, m->pointer, m->json);

      g_test_message ("%s = %s", m->pointer, m->json ? m->json : "(removed)");
      expect_report_error (bytes, m->code, m->mention);
    }

  /* A report cannot supersede itself. */
  {
    g_autofree char *json = g_strdup_printf ("\"%s\"", dlg_report_get_id (report));
    g_autoptr(GBytes) bytes = mutate (payload, "/supersedes", json);

    expect_report_error (bytes, DLG_REPORT_ERROR_INVALID_VALUE, "/supersedes");
  }

  /* Extensions at the top level are welcome. */
  {
    g_autoptr(GBytes) bytes = mutate (payload, "/x-erp-reference", "{\"po\":\"4500012345\"}");
    g_autoptr(GError) error = NULL;
    g_autoptr(DlgReport) back = dlg_report_new_from_payload (bytes, &error);

    g_assert_no_error (error);
    g_assert_nonnull (back);
  }
}

static void
test_malformed_bytes (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(DlgReport) report = build (f->a, FALSE, "en", NULL, NULL);
  g_autofree char *text = payload_text (report);
  gsize len = strlen (text);

  /* Not JSON, or not JSON we accept. */
  {
    static const char * const bad[] = {
      "", "   ", "not json", "{\"format\":\"diligence-report/1\"", "[]",
      "{\"format\":\"diligence-report/1\",\"format\":\"diligence-report/1\"}",
      "{\"format\":\"diligence-report/1\"} trailing",
    };
    static const int codes[] = {
      DLG_REPORT_ERROR_SYNTAX, DLG_REPORT_ERROR_SYNTAX, DLG_REPORT_ERROR_SYNTAX, DLG_REPORT_ERROR_SYNTAX,
      DLG_REPORT_ERROR_FORMAT, DLG_REPORT_ERROR_SYNTAX, DLG_REPORT_ERROR_SYNTAX,
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GBytes) bytes = g_bytes_new_static (bad[i], strlen (bad[i]));

        expect_report_error (bytes, codes[i], NULL);
      }
  }

  /* Invalid UTF-8 inside a valid payload: "É" cut to its first byte. */
  {
    g_autofree char *copy = g_strdup (text);
    char *e = strstr (copy, "Électronique");
    g_autoptr(GBytes) bytes = NULL;

    g_assert_nonnull (e);
    e[1] = 'X';
    bytes = g_bytes_new (copy, len);
    expect_report_error (bytes, DLG_REPORT_ERROR_SYNTAX, NULL);
  }

  /* Truncated: a transfer cut short. */
  {
    g_autoptr(GBytes) bytes = g_bytes_new (text, len / 2);

    expect_report_error (bytes, DLG_REPORT_ERROR_SYNTAX, NULL);
  }

  /* A NUL in the middle. */
  {
    g_autofree char *copy = g_strdup (text);
    g_autoptr(GBytes) bytes = NULL;

    copy[len / 3] = '\0';
    bytes = g_bytes_new (copy, len);
    expect_report_error (bytes, DLG_REPORT_ERROR_SYNTAX, NULL);
  }
}

static GString *
repeated (const char *prefix,
          const char *element,
          guint       n,
          const char *suffix)
{
  GString *s = g_string_new (prefix);

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      g_string_append (s, element);
    }
  g_string_append (s, suffix);
  return s;
}

static void
test_limits (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(DlgReport) report = build (f->a, FALSE, "en", NULL, NULL);
  GBytes *payload = dlg_report_get_payload (report);

  /* Arrays over their limits, refused before their elements are read. */
  {
    g_autoptr(GString) recipients = repeated ("[", "{\"name\":\"B\",\"id\":\"BE0207335822\"}",
                                              DLG_REPORT_MAX_RECIPIENTS + 1, "]");
    g_autoptr(GBytes) bytes = mutate (payload, "/recipients", recipients->str);

    expect_report_error (bytes, DLG_REPORT_ERROR_TOO_LARGE, "/recipients");
  }
  {
    g_autoptr(GString) answers = repeated ("[", "0", DLG_REPORT_MAX_ANSWERS + 1, "]");
    g_autoptr(GBytes) bytes = mutate (payload, "/answers", answers->str);

    expect_report_error (bytes, DLG_REPORT_ERROR_TOO_LARGE, "/answers");
  }
  {
    g_autoptr(GString) evidence = repeated ("[", "{\"name\":\"e\",\"sha256\":\"" HASH_A "\"}",
                                            DLG_REPORT_MAX_EVIDENCE + 1, "]");
    g_autoptr(GBytes) bytes = mutate (payload, "/answers/0/evidence", evidence->str);

    expect_report_error (bytes, DLG_REPORT_ERROR_TOO_LARGE, "/answers/0/evidence");
  }

  /* A string over its limit. */
  {
    g_autofree char *comment = g_strnfill (DLG_REPORT_MAX_TEXT + 1, 'x');
    g_autofree char *json = g_strdup_printf ("\"%s\"", comment);
    g_autoptr(GBytes) bytes = mutate (payload, "/answers/0/comment", json);

    expect_report_error (bytes, DLG_REPORT_ERROR_TOO_LARGE, "/answers/0/comment");
  }

  /* A whole payload over the limit, refused before parsing. */
  {
    gsize size = DLG_REPORT_MAX_SIZE + 1;
    char *big = g_malloc (size);
    g_autoptr(GBytes) bytes = NULL;

    memset (big, ' ', size);
    big[0] = '{';
    big[size - 1] = '}';
    bytes = g_bytes_new_take (big, size);
    expect_report_error (bytes, DLG_REPORT_ERROR_TOO_LARGE, NULL);
  }

  /* An action plan nested deeper than any reader should follow. */
  {
    g_autoptr(GString) deep = repeated ("", "[", 80, "");
    g_autoptr(GBytes) bytes = NULL;
    g_autofree char *text = payload_text (report);
    g_autofree char *start = NULL;
    char *plan = strstr (text, "\"action_plan\":null");

    for (guint i = 0; i < 80; i++)
      g_string_append_c (deep, ']');
    g_assert_nonnull (plan);
    *plan = '\0';
    start = g_strdup_printf ("%s\"action_plan\":{\"a\":%s}}", text, deep->str);
    bytes = g_bytes_new (start, strlen (start));
    expect_report_error (bytes, DLG_REPORT_ERROR_SYNTAX, NULL);
  }
}

/* Reviews */

#define REPORT_ID "3f0c4a8e-2b7d-4e59-9a61-0c5d2f8e7b14"

static DlgReview *
review_new (DlgDecision   decision,
            const char   *reason,
            GPtrArray    *actions,
            GError      **error)
{
  g_autoptr(DlgParty) buyer = dlg_party_new ("Ville de Liège", "BE0207335822");

  return dlg_review_new (REPORT_ID, HASH_A, buyer, decision, reason, actions, error);
}

static void
test_review (void)
{
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_action_decision_free);
  g_autoptr(DlgReview) review = NULL;
  g_autoptr(DlgReview) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) jws = g_bytes_new_static ("test", 4);
  g_autoptr(GBytes) other = g_bytes_new_static ("tesT", 4);
  const DlgActionDecision *a;

  g_ptr_array_add (actions, dlg_action_decision_new ("act-1", DLG_DECISION_APPROVED, NULL));
  g_ptr_array_add (actions, dlg_action_decision_new ("act-2", DLG_DECISION_REJECTED,
                                                     "A training alone will not end forced overtime."));
  review = review_new (DLG_DECISION_CHANGES_REQUESTED, "Action 2 must change the shift plan.", actions, &error);
  g_assert_no_error (error);

  back = dlg_review_new_from_payload (dlg_review_get_payload (review), &error);
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (dlg_review_get_id (back)));
  g_assert_cmpstr (dlg_review_get_report_id (back), ==, REPORT_ID);
  g_assert_cmpstr (dlg_review_get_report_sha256 (back), ==, HASH_A);
  g_assert_true (g_str_has_suffix (dlg_review_get_created_at (back), "Z"));
  g_assert_cmpstr (dlg_review_get_reviewer (back)->name, ==, "Ville de Liège");
  g_assert_cmpstr (dlg_review_get_reviewer (back)->id, ==, "BE0207335822");
  g_assert_cmpint (dlg_review_get_decision (back), ==, DLG_DECISION_CHANGES_REQUESTED);
  g_assert_cmpstr (dlg_review_get_reason (back), ==, "Action 2 must change the shift plan.");
  g_assert_cmpuint (dlg_review_get_n_actions (back), ==, 2);
  a = dlg_review_lookup_action (back, "act-2");
  g_assert_cmpint (a->decision, ==, DLG_DECISION_REJECTED);
  g_assert_cmpstr (a->reason, ==, "A training alone will not end forced overtime.");
  g_assert_null (dlg_review_get_action (back, 0)->reason);
  g_assert_null (dlg_review_lookup_action (back, "act-3"));

  /* HASH_A is the SHA-256 of "test". */
  g_assert_true (dlg_review_is_for_report (back, jws));
  g_assert_false (dlg_review_is_for_report (back, other));

  {
    g_autofree char *text = g_strndup (g_bytes_get_data (dlg_review_get_payload (review), NULL),
                                       g_bytes_get_size (dlg_review_get_payload (review)));

    g_assert_true (g_str_has_prefix (text, "{\"format\":\"diligence-review/1\",\"id\":\""));
    g_assert_nonnull (strstr (text, "\"decision\":\"changes_requested\""));
  }

  g_assert_cmpstr (dlg_decision_to_string (DLG_DECISION_REJECTED), ==, "rejected");
  g_assert_nonnull (dlg_decision_get_label (DLG_DECISION_APPROVED));
}

static void
test_review_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgReview) ok = NULL;

  /* Approval needs no reason; a blank one is written as none. */
  ok = review_new (DLG_DECISION_APPROVED, "  ", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (dlg_review_get_reason (ok));

  g_assert_null (review_new (DLG_DECISION_CHANGES_REQUESTED, NULL, NULL, &error));
  g_assert_error (error, DLG_REVIEW_ERROR, DLG_REVIEW_ERROR_REASON_REQUIRED);
  g_clear_error (&error);

  g_assert_null (review_new (DLG_DECISION_REJECTED, " \n\t ", NULL, &error));
  g_assert_error (error, DLG_REVIEW_ERROR, DLG_REVIEW_ERROR_REASON_REQUIRED);
  g_clear_error (&error);

  {
    g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_action_decision_free);

    g_ptr_array_add (actions, dlg_action_decision_new ("act-1", DLG_DECISION_CHANGES_REQUESTED, ""));
    g_assert_null (review_new (DLG_DECISION_CHANGES_REQUESTED, "See the action", actions, &error));
    g_assert_error (error, DLG_REVIEW_ERROR, DLG_REVIEW_ERROR_REASON_REQUIRED);
    g_assert_nonnull (strstr (error->message, "act-1"));
    g_clear_error (&error);
  }

  {
    g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_action_decision_free);

    g_ptr_array_add (actions, dlg_action_decision_new ("act-1", DLG_DECISION_REJECTED, "Not enough"));
    g_assert_null (review_new (DLG_DECISION_APPROVED, NULL, actions, &error));
    g_assert_error (error, DLG_REVIEW_ERROR, DLG_REVIEW_ERROR_INCONSISTENT);
    g_clear_error (&error);
  }

  {
    g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_action_decision_free);

    g_ptr_array_add (actions, dlg_action_decision_new ("act-1", DLG_DECISION_APPROVED, NULL));
    g_ptr_array_add (actions, dlg_action_decision_new ("act-1", DLG_DECISION_APPROVED, NULL));
    g_assert_null (review_new (DLG_DECISION_APPROVED, NULL, actions, &error));
    g_assert_error (error, DLG_REVIEW_ERROR, DLG_REVIEW_ERROR_INVALID_VALUE);
    g_clear_error (&error);
  }

  {
    g_autoptr(DlgParty) buyer = dlg_party_new ("Ville de Liège", "BE0207335822");
    g_autoptr(DlgParty) anonymous = dlg_party_new ("Someone", NULL);

    g_assert_null (dlg_review_new ("not-a-uuid", HASH_A, buyer, DLG_DECISION_APPROVED, NULL, NULL, &error));
    g_assert_error (error, DLG_REVIEW_ERROR, DLG_REVIEW_ERROR_INVALID_VALUE);
    g_clear_error (&error);

    g_assert_null (dlg_review_new (REPORT_ID, "abc", buyer, DLG_DECISION_APPROVED, NULL, NULL, &error));
    g_assert_error (error, DLG_REVIEW_ERROR, DLG_REVIEW_ERROR_INVALID_VALUE);
    g_clear_error (&error);

    g_assert_null (dlg_review_new (REPORT_ID, HASH_A, anonymous, DLG_DECISION_APPROVED, NULL, NULL, &error));
    g_assert_error (error, DLG_REVIEW_ERROR, DLG_REVIEW_ERROR_INVALID_VALUE);
    g_clear_error (&error);
  }
}

static const Mutation review_mutations[] = {
  { "/reason", "null", DLG_REVIEW_ERROR_REASON_REQUIRED, "/reason" },
  { "/reason", "\"   \"", DLG_REVIEW_ERROR_REASON_REQUIRED, "/reason" },
  { "/actions/1", "{\"id\":\"act-2\",\"decision\":\"rejected\",\"reason\":null}", DLG_REVIEW_ERROR_REASON_REQUIRED, "/actions/1/reason" },
  { "/decision", "\"approved\"", DLG_REVIEW_ERROR_INCONSISTENT, "/actions/1/decision" },
  { "/actions/1", "{\"id\":\"act-1\",\"decision\":\"approved\",\"reason\":null}", DLG_REVIEW_ERROR_INVALID_VALUE, "/actions/1" },
  { "/decision", "\"maybe\"", DLG_REVIEW_ERROR_INVALID_VALUE, "/decision" },
  { "/decision", NULL, DLG_REVIEW_ERROR_MISSING_MEMBER, "/decision" },
  { "/reviewer/id", NULL, DLG_REVIEW_ERROR_MISSING_MEMBER, "/reviewer/id" },
  { "/report_sha256", NULL, DLG_REVIEW_ERROR_MISSING_MEMBER, "/report_sha256" },
  { "/report_sha256", "\"9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08\"", DLG_REVIEW_ERROR_INVALID_VALUE, "/report_sha256" },
  { "/report_id", "\"3f0c4a8e\"", DLG_REVIEW_ERROR_INVALID_VALUE, "/report_id" },
  { "/actions", "{}", DLG_REVIEW_ERROR_WRONG_TYPE, "/actions" },
  { "/reviewer", "\"Ville de Liège\"", DLG_REVIEW_ERROR_WRONG_TYPE, "/reviewer" },
  { "/actions/0", "{\"id\":\"act-1\",\"decision\":\"approved\",\"reason\":null,\"weight\":2}", DLG_REVIEW_ERROR_UNKNOWN_MEMBER, "/actions/0/weight" },
  { "/score", "3", DLG_REVIEW_ERROR_UNKNOWN_MEMBER, "/score" },
  { "/format", "\"diligence-report/1\"", DLG_REVIEW_ERROR_FORMAT, "/format" },
};

static void
test_review_malformed (void)
{
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_action_decision_free);
  g_autoptr(DlgReview) review = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (actions, dlg_action_decision_new ("act-1", DLG_DECISION_APPROVED, NULL));
  g_ptr_array_add (actions, dlg_action_decision_new ("act-2", DLG_DECISION_REJECTED, "No root cause"));
  review = review_new (DLG_DECISION_REJECTED, "The plan does not address forced overtime.", actions, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (review_mutations); i++)
    {
      const Mutation *m = &review_mutations[i];
      g_autoptr(GBytes) bytes = mutate (dlg_review_get_payload (review), m->pointer, m->json);
      g_autoptr(DlgReview) back = NULL;

      g_test_message ("%s = %s", m->pointer, m->json ? m->json : "(removed)");
      back = dlg_review_new_from_payload (bytes, &error);
      g_assert_null (back);
      g_assert_error (error, DLG_REVIEW_ERROR, m->code);
      if (strstr (error->message, m->mention) == NULL)
        g_error ("“%s” does not mention “%s”", error->message, m->mention);
      g_clear_error (&error);
    }

  {
    g_autoptr(GBytes) bytes = g_bytes_new_static ("{\"format\":\"diligence-review/1\",\xff}", 33);

    g_assert_null (dlg_review_new_from_payload (bytes, &error));
    g_assert_error (error, DLG_REVIEW_ERROR, DLG_REVIEW_ERROR_SYNTAX);
  }
}

/* Signed reports and reviews */

static void
test_signed (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgKey) key = dlg_key_generate (&error);
  g_autoptr(DlgKey) buyer_key = dlg_key_generate (&error);
  g_autoptr(DlgKey) public = dlg_key_get_public (key);
  g_autoptr(DlgKey) buyer_public = dlg_key_get_public (buyer_key);
  g_autoptr(DlgReport) report = build (f->a, FALSE, "en", NULL, NULL);
  g_autoptr(DlgReport) back = NULL;
  g_autoptr(DlgJws) jws = NULL;
  g_autoptr(DlgJws) tampered_jws = NULL;
  g_autoptr(DlgJws) review_jws = NULL;
  g_autoptr(DlgReview) review = NULL;
  g_autoptr(DlgReview) review_back = NULL;
  g_autoptr(DlgParty) buyer = dlg_party_new ("Ville de Liège", "BE0207335822");
  g_autofree char *compact = NULL;
  g_autofree char *tampered = NULL;
  g_autofree char *review_compact = NULL;
  g_autofree char *report_sha256 = NULL;
  g_autofree char *file_sha256 = NULL;
  char *payload_part;

  g_assert_no_error (error);
  compact = dlg_report_sign (report, key, &error);
  g_assert_no_error (error);
  g_assert_null (strchr (compact, '\n'));

  jws = dlg_jws_parse (compact, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dlg_jws_get_typ (jws), ==, DLG_REPORT_JWS_TYPE);
  g_assert_cmpstr (dlg_jws_get_kid (jws), ==, dlg_key_get_id (key));

  back = dlg_report_new_from_jws (jws, public, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dlg_report_get_id (back), ==, dlg_report_get_id (report));
  g_assert_true (g_bytes_equal (dlg_report_get_payload (back), dlg_report_get_payload (report)));

  /* Another key, or one changed byte, and nothing is read. */
  g_assert_null (dlg_report_new_from_jws (jws, buyer_public, &error));
  g_assert_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_KEY_MISMATCH);
  g_clear_error (&error);

  tampered = g_strdup (compact);
  payload_part = strchr (tampered, '.') + 40;
  *payload_part = *payload_part == 'A' ? 'B' : 'A';
  tampered_jws = dlg_jws_parse (tampered, -1, &error);
  g_assert_no_error (error);
  g_assert_null (dlg_report_new_from_jws (tampered_jws, public, &error));
  g_assert_error (error, DLG_JWS_ERROR, DLG_JWS_ERROR_BAD_SIGNATURE);
  g_clear_error (&error);

  /* The buyer's review names the exact signed report. */
  report_sha256 = dlg_sha256_hex (dlg_jws_get_bytes (jws));
  file_sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, compact, -1);
  g_assert_cmpstr (report_sha256, ==, file_sha256);
  review = dlg_review_new (dlg_report_get_id (back), report_sha256, buyer, DLG_DECISION_APPROVED, NULL, NULL, &error);
  g_assert_no_error (error);
  review_compact = dlg_review_sign (review, buyer_key, &error);
  g_assert_no_error (error);
  review_jws = dlg_jws_parse (review_compact, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dlg_jws_get_typ (review_jws), ==, DLG_REVIEW_JWS_TYPE);

  review_back = dlg_review_new_from_jws (review_jws, buyer_public, &error);
  g_assert_no_error (error);
  g_assert_true (dlg_review_is_for_report (review_back, dlg_jws_get_bytes (jws)));
  g_assert_false (dlg_review_is_for_report (review_back, dlg_jws_get_bytes (tampered_jws)));

  /* A review is not a report, and a report is not a review. */
  g_assert_null (dlg_report_new_from_jws (review_jws, buyer_public, &error));
  g_assert_error (error, DLG_REPORT_ERROR, DLG_REPORT_ERROR_FORMAT);
  g_clear_error (&error);
  g_assert_null (dlg_review_new_from_jws (jws, public, &error));
  g_assert_error (error, DLG_REVIEW_ERROR, DLG_REVIEW_ERROR_FORMAT);
  g_clear_error (&error);
}

/* The shell commands of docs/report-format.md, run as written, verify a
 * report Diligence signed and refuse a changed one. */
static const char offline_check[] =
  "b64url_decode () {\n"
  "  s=$(printf '%s' \"$1\" | tr -- '-_' '+/')\n"
  "  case $(( ${#s} % 4 )) in 2) s=\"$s==\" ;; 3) s=\"$s=\" ;; esac\n"
  "  printf '%s' \"$s\" | base64 -d\n"
  "}\n"
  "IFS=. read -r H P S < report.jws\n"
  "b64url_decode \"$H\"; echo\n"
  "b64url_decode \"$P\" > payload.json\n"
  "b64url_decode \"$S\" > signature.bin\n"
  "printf '%s.%s' \"$H\" \"$P\" > signing-input\n"
  "openssl pkeyutl -verify -pubin -inkey sender.pem -rawin -in signing-input -sigfile signature.bin || exit 1\n"
  "b64url () { base64 -w0 | tr '+/' '-_' | tr -d '='; }\n"
  "X=$(openssl pkey -pubin -in sender.pem -outform DER | tail -c 32 | b64url)\n"
  "printf '{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"%s\"}' \"$X\" | openssl dgst -sha256 -binary | b64url; echo\n";

static gboolean
run_offline_check (const char  *dir,
                   char       **out)
{
  const char *argv[] = { "sh", "-c", offline_check, NULL };
  g_autoptr(GError) error = NULL;
  int status;

  g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                out, NULL, &status, &error);
  g_assert_no_error (error);
  return g_spawn_check_wait_status (status, NULL);
}

static void
test_offline_verification (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgKey) key = NULL;
  g_autoptr(DlgReport) report = build (f->a, FALSE, "en", NULL, NULL);
  g_autofree char *compact = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *jws_path = g_build_filename (f->dir, "report.jws", NULL);
  g_autofree char *pem_path = g_build_filename (f->dir, "sender.pem", NULL);
  g_autofree char *payload_path = g_build_filename (f->dir, "payload.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *header = NULL;
  g_autofree char *payload = NULL;
  gsize length;
  char *dot;

  if (openssl == NULL)
    {
      g_test_skip ("openssl is needed to follow the documented verification");
      return;
    }

  key = dlg_key_generate (&error);
  g_assert_no_error (error);
  compact = dlg_report_sign (report, key, &error);
  g_assert_no_error (error);
  pem = dlg_key_to_public_pem (key);
  g_assert_true (dlg_file_write (jws_path, compact, strlen (compact), &error));
  g_assert_true (dlg_file_write (pem_path, pem, strlen (pem), &error));
  g_assert_no_error (error);

  g_assert_true (run_offline_check (f->dir, &out));
  header = g_strdup_printf ("{\"alg\":\"EdDSA\",\"kid\":\"%s\",\"typ\":\"diligence-report+jws\"}\n",
                            dlg_key_get_id (key));
  g_assert_true (g_str_has_prefix (out, header));
  g_assert_nonnull (strstr (out, "Signature Verified Successfully"));
  g_assert_true (g_file_get_contents (payload_path, &payload, &length, NULL));
  g_assert_cmpmem (payload, length, g_bytes_get_data (dlg_report_get_payload (report), NULL),
                   g_bytes_get_size (dlg_report_get_payload (report)));

  /* The thumbprint the shell computes is the key id, on the last line. */
  {
    g_auto(GStrv) lines = g_strsplit (g_strstrip (out), "\n", -1);

    g_assert_cmpstr (lines[g_strv_length (lines) - 1], ==, dlg_key_get_id (key));
  }

  /* One changed byte of the payload, and OpenSSL refuses it. */
  dot = strchr (compact, '.') + 30;
  *dot = *dot == 'A' ? 'B' : 'A';
  g_assert_true (dlg_file_write (jws_path, compact, strlen (compact), &error));
  g_clear_pointer (&out, g_free);
  g_assert_false (run_offline_check (f->dir, &out));
}

/* PDF */

static char *
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
  return g_steal_pointer (&out);
}

static gboolean
have_poppler (void)
{
  g_autofree char *pdfinfo = g_find_program_in_path ("pdfinfo");
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");

  if (pdfinfo == NULL || pdftotext == NULL)
    {
      g_test_skip ("pdfinfo and pdftotext (poppler-utils) are needed to read the PDF back");
      return FALSE;
    }
  return TRUE;
}

static guint
pdf_pages (const char *path)
{
  g_autofree char *info = run ((const char * const []) { "pdfinfo", path, NULL });
  const char *pages = strstr (info, "\nPages:");

  g_assert_nonnull (pages);
  return atoi (pages + strlen ("\nPages:"));
}

/* The text of the PDF with runs of white space made single spaces, so
 * that a phrase wrapped onto two lines is still found. */
static char *
pdf_text (const char *path)
{
  g_autofree char *text = run ((const char * const []) { "pdftotext", "-enc", "UTF-8", path, "-", NULL });
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isspace (*p) || *p == '\f')
        {
          if (out->len > 0 && out->str[out->len - 1] != ' ')
            g_string_append_c (out, ' ');
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

#define assert_contains(haystack, needle) \
  G_STMT_START { if (strstr ((haystack), (needle)) == NULL) \
    g_error ("the PDF text does not contain “%s”", (needle)); } G_STMT_END

static void
test_pdf_english (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonNode) plan = sample_plan ();
  g_autoptr(DlgReport) report = build (f->a, FALSE, "en", plan, NULL);
  g_autoptr(DlgReportRenderer) renderer = dlg_report_renderer_new (report);
  g_autofree char *path = g_build_filename (f->dir, "report.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *last_page = NULL;
  guint n_pages;

  if (!have_poppler ())
    return;

  g_assert_true (dlg_report_export_pdf (report, "Acme Électronique SA", "Q2J1 x8Zk 9mYp", "Signature valid",
                                        path, &error));
  g_assert_no_error (error);

  n_pages = pdf_pages (path);
  g_assert_cmpuint (n_pages, >=, 2);
  g_assert_cmpuint (n_pages, ==, dlg_report_renderer_get_n_pages (renderer));

  text = pdf_text (path);
  assert_contains (text, "Acme Électronique SA");
  assert_contains (text, "BE0123456789");
  assert_contains (text, "Ville de Liège");
  assert_contains (text, "Scoring rules");
  assert_contains (text, dlg_report_get_id (report));
  assert_contains (text, "Q2J1 x8Zk 9mYp");
  assert_contains (text, "Signature valid");
  /* Answers as entered, with comments and evidence. */
  assert_contains (text, "Keeps passports?");
  assert_contains (text, "Good");
  assert_contains (text, "Partly");
  assert_contains (text, "Two sites in Shenzhen");
  assert_contains (text, "Audited by an independent firm");
  assert_contains (text, "audit 2026.pdf");
  assert_contains (text, HASH_A);
  assert_contains (text, "Not answered");
  /* Levels in words, not only in colour. */
  assert_contains (text, "Amber");
  assert_contains (text, "Green");
  /* The action plan, without the proposal nobody accepted. */
  assert_contains (text, "Corrective action plan");
  assert_contains (text, "Train site managers on working hours");
  assert_contains (text, "Jan Peeters");
  assert_contains (text, "2026-09-30");
  assert_contains (text, "In progress");
  g_assert_null (strstr (text, "Unaccepted proposal"));
  /* Hidden answers stay out of the PDF too. */
  g_assert_null (strstr (text, "SECRET"));

  last_page = g_strdup_printf ("Page %u of %u", n_pages, n_pages);
  assert_contains (text, "Page 1 of");
  assert_contains (text, last_page);
}

static DlgAssessment *
supply_chain_assessment (DlgQuestionnaire *q)
{
  const char *smelters[] = { "list", "rmi", NULL };
  DlgAssessment *a = dlg_assessment_new (q);

  check (dlg_assessment_set_choice (a, "labour.passports", "no", &e_));
  check (dlg_assessment_set_number (a, "labour.hours", 64.5, &e_));
  check (dlg_assessment_set_comment (a, "labour.hours", "Pic saisonnier sur le site d’assemblage de Shenzhen.", &e_));
  check (dlg_assessment_set_choice (a, "minerals.policy", "draft", &e_));
  check (dlg_assessment_set_choices (a, "minerals.smelters", smelters, &e_));
  return a;
}

static void
test_pdf_french (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(DlgQuestionnaire) q = load_questionnaire_from ("report", "supply-chain.json");
  g_autoptr(DlgAssessment) a = supply_chain_assessment (q);
  g_autoptr(DlgReport) report = build (a, FALSE, "fr", NULL, NULL);
  g_autofree char *path = g_build_filename (f->dir, "rapport.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *last_page = NULL;
  guint n_pages;

  if (!have_poppler ())
    return;

  g_assert_cmpstr (dlg_report_get_language (report), ==, "fr");
  g_assert_cmpstr (dlg_report_lookup_answer (report, "labour.hours")->display[0], ==, "64,5 heures par semaine");

  g_assert_true (dlg_report_export_pdf (report, NULL, NULL, NULL, path, &error));
  g_assert_no_error (error);
  n_pages = pdf_pages (path);
  g_assert_cmpuint (n_pages, >=, 2);

  text = pdf_text (path);
  assert_contains (text, "Acme Électronique SA");
  assert_contains (text, "Diligence raisonnable de la chaîne d’approvisionnement TIC");
  assert_contains (text, "Des sites de production conservent-ils les documents d’identité des travailleurs ?");
  assert_contains (text, "Non");
  assert_contains (text, "64,5 heures par semaine");
  assert_contains (text, "Pic saisonnier sur le site d’assemblage de Shenzhen.");
  assert_contains (text, "En cours de rédaction");
  assert_contains (text, "Fonderies conformes RMI");
  assert_contains (text, "Droits du travail");
  /* Fixed labels in the report's language. */
  assert_contains (text, "Rapport d’auto-évaluation");
  assert_contains (text, "Réponses telles que saisies");
  assert_contains (text, "Sans réponse");
  assert_contains (text, "Orange");
  assert_contains (text, "Cette copie n’est pas signée");
  last_page = g_strdup_printf ("Page %u sur %u", n_pages, n_pages);
  assert_contains (text, last_page);
  g_assert_null (strstr (text, "Answers as entered"));
}

static void
test_pdf_languages (Fixture       *f,
                    gconstpointer  data)
{
  static const struct {
    const char *language;
    const char *title;
    const char *label;
  } cases[] = {
    { "nl", "Gepaste zorgvuldigheid in de ICT-toeleveringsketen", "Antwoorden zoals ingevuld" },
    { "de", "Sorgfaltspflicht in der IKT-Lieferkette", "Antworten wie eingegeben" },
  };
  g_autoptr(DlgQuestionnaire) q = load_questionnaire_from ("report", "supply-chain.json");
  g_autoptr(DlgAssessment) a = supply_chain_assessment (q);

  if (!have_poppler ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DlgReport) report = build (a, FALSE, cases[i].language, NULL, NULL);
      g_autofree char *path = g_build_filename (f->dir, "report.pdf", NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      g_assert_true (dlg_report_export_pdf (report, NULL, NULL, NULL, path, &error));
      g_assert_no_error (error);
      text = pdf_text (path);
      assert_contains (text, cases[i].title);
      assert_contains (text, cases[i].label);
    }
}

/* A comment longer than a page flows onto the next pages, and the same
 * renderer draws on any cairo surface, as a print preview would. */
static void
test_pdf_long (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GString) comment = g_string_new (NULL);
  g_autoptr(DlgReport) report = NULL;
  g_autoptr(DlgReportRenderer) renderer = NULL;
  g_autofree char *path = g_build_filename (f->dir, "long.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  guint n_pages;
  gboolean inked = FALSE;

  for (guint i = 1; i <= 300; i++)
    g_string_append_printf (comment, "Line %u of a very long explanation.\n", i);
  check (dlg_assessment_set_comment (f->a, "b3", comment->str, &e_));
  report = build (f->a, FALSE, "en", NULL, NULL);
  renderer = dlg_report_renderer_new (report);
  n_pages = dlg_report_renderer_get_n_pages (renderer);
  g_assert_cmpuint (n_pages, >=, 6);

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 298, 421);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, 0.5, 0.5);
  dlg_report_render_page (renderer, cr, n_pages - 1);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_flush (surface);
  for (int y = 0; y < 421 && !inked; y++)
    for (int x = 0; x < 298 && !inked; x++)
      inked = (((guint32 *) (cairo_image_surface_get_data (surface) + y * cairo_image_surface_get_stride (surface)))[x]
               & 0xffffff) != 0xffffff;
  g_assert_true (inked);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  if (!have_poppler ())
    return;

  g_assert_true (dlg_report_export_pdf (report, NULL, NULL, NULL, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pdf_pages (path), ==, n_pages);
  text = pdf_text (path);
  assert_contains (text, "Line 1 of a very long explanation.");
  assert_contains (text, "Line 150 of a very long explanation.");
  assert_contains (text, "Line 300 of a very long explanation.");
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Outcome;

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Outcome *outcome = user_data;

  g_assert (DLG_IS_REPORT (object));
  outcome->ok = dlg_report_export_pdf_finish (DLG_REPORT (object), result, &outcome->error);
  outcome->done = TRUE;
}

/* The export the app runs in a thread, finished and cancelled. */
static void
test_pdf_async (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(DlgReport) report = build (f->a, FALSE, "en", NULL, NULL);
  g_autofree char *path = g_build_filename (f->dir, "async.pdf", NULL);
  g_autofree char *cancelled_path = g_build_filename (f->dir, "cancelled.pdf", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *contents = NULL;
  Outcome outcome = { 0 };
  gsize length;

  dlg_report_export_pdf_async (report, NULL, NULL, NULL, path, NULL, export_done_cb, &outcome);
  while (!outcome.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.ok);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));

  outcome = (Outcome) { 0 };
  g_cancellable_cancel (cancellable);
  dlg_report_export_pdf_async (report, NULL, NULL, NULL, cancelled_path, cancellable, export_done_cb, &outcome);
  while (!outcome.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (outcome.ok);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&outcome.error);
  g_assert_false (g_file_test (cancelled_path, G_FILE_TEST_EXISTS));
}

/* CSV */

/* A strict RFC 4180 reader: records end with CRLF, quoted cells may hold
 * anything, a quote in a quoted cell is doubled. */
static GPtrArray *
parse_csv (const char *data,
           gsize       length)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *record = g_ptr_array_new_with_free_func (g_free);
  GString *cell = g_string_new (NULL);
  gsize i = 0;

  while (i < length)
    {
      if (data[i] == '"')
        {
          for (i++; ; i++)
            {
              g_assert_cmpuint (i, <, length);
              if (data[i] == '"' && i + 1 < length && data[i + 1] == '"')
                g_string_append_c (cell, data[i++]);
              else if (data[i] == '"')
                break;
              else
                g_string_append_c (cell, data[i]);
            }
          i++;
        }
      else
        for (; i < length && data[i] != ',' && data[i] != '\r'; i++)
          {
            g_assert_cmpint (data[i], !=, '\n');
            g_assert_cmpint (data[i], !=, '"');
            g_string_append_c (cell, data[i]);
          }

      g_ptr_array_add (record, g_strdup (cell->str));
      g_string_truncate (cell, 0);
      if (i < length && data[i] == ',')
        i++;
      else
        {
          g_assert_cmpint (data[i], ==, '\r');
          g_assert_cmpint (data[i + 1], ==, '\n');
          i += 2;
          g_ptr_array_add (records, record);
          record = g_ptr_array_new_with_free_func (g_free);
        }
    }
  g_assert_cmpuint (record->len, ==, 0);
  g_ptr_array_unref (record);
  g_string_free (cell, TRUE);
  return records;
}

static const char *
cell (GPtrArray *records,
      guint      row,
      guint      column)
{
  GPtrArray *record = g_ptr_array_index (records, row);

  g_assert_cmpuint (column, <, record->len);
  return g_ptr_array_index (record, column);
}

static void
test_csv (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(DlgReport) report = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *path = g_build_filename (f->dir, "answers.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  guint a1 = 1, b3 = 6;

  check (dlg_assessment_set_comment (f->a, "a1", "=HYPERLINK(\"http://evil.example\",\"Click\")", &e_));
  check (dlg_assessment_set_text (f->a, "b3", "+cmd|' /C calc'!A0", &e_));
  check (dlg_assessment_set_comment (f->a, "b3", "@SUM(A1:A9)", &e_));
  check (dlg_assessment_set_comment (f->a, "a2", "-2+3", &e_));
  check (dlg_assessment_set_comment (f->a, "b1", "\tTabbed, with \"quotes\"\r\nand a second line", &e_));
  check (dlg_assessment_set_comment (f->a, "b2", "Plain, with a comma", &e_));
  report = build (f->a, FALSE, "en", NULL, NULL);

  csv = dlg_report_to_csv (report);
  records = parse_csv (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));
  g_assert_true (g_utf8_validate (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv), NULL));

  /* A header, then one row per visible question, 12 columns each. */
  g_assert_cmpuint (records->len, ==, dlg_report_get_n_answers (report) + 1);
  for (guint i = 0; i < records->len; i++)
    g_assert_cmpuint (((GPtrArray *) g_ptr_array_index (records, i))->len, ==, 12);
  g_assert_cmpstr (cell (records, 0, 0), ==, "section_id");
  g_assert_cmpstr (cell (records, 0, 10), ==, "comment");

  g_assert_cmpstr (cell (records, a1, 2), ==, "a1");
  g_assert_cmpstr (cell (records, a1, 7), ==, "g");
  g_assert_cmpstr (cell (records, a1, 8), ==, "Good");
  g_assert_cmpstr (cell (records, a1, 9), ==, "green");
  g_assert_cmpstr (cell (records, a1, 11), ==, "audit 2026.pdf (sha256:" HASH_A "); policy.odt (sha256:" HASH_B ")");
  g_assert_cmpstr (cell (records, 3, 7), ==, "x;y");
  g_assert_cmpstr (cell (records, 5, 7), ==, "50");

  /* Formulas are neutralised with an apostrophe; the text is otherwise kept. */
  g_assert_cmpstr (cell (records, a1, 10), ==, "'=HYPERLINK(\"http://evil.example\",\"Click\")");
  g_assert_cmpstr (cell (records, b3, 7), ==, "'+cmd|' /C calc'!A0");
  g_assert_cmpstr (cell (records, b3, 8), ==, "'+cmd|' /C calc'!A0");
  g_assert_cmpstr (cell (records, b3, 10), ==, "'@SUM(A1:A9)");
  g_assert_cmpstr (cell (records, 2, 10), ==, "'-2+3");
  g_assert_cmpstr (cell (records, 4, 10), ==, "'\tTabbed, with \"quotes\"\r\nand a second line");
  g_assert_cmpstr (cell (records, 5, 10), ==, "Plain, with a comma");
  g_assert_cmpstr (cell (records, 7, 2), ==, "d1");
  g_assert_cmpstr (cell (records, 7, 7), ==, "");
  g_assert_cmpstr (cell (records, 7, 9), ==, "none");

  /* The file is the same bytes, written whole. */
  g_assert_true (dlg_report_export_csv (report, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpmem (contents, length, g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));
}

static void
test_json_export (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(DlgReport) report = build (f->a, FALSE, "en", NULL, NULL);
  g_autofree char *path = g_build_filename (f->dir, "report.json", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "no", "such", "folder", "report.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) written = NULL;
  g_autoptr(JsonNode) payload = NULL;
  gsize length;

  g_assert_true (dlg_report_export_json (report, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_nonnull (strstr (contents, "\n  \"organisation\": {\n"));

  written = dlg_json_parse (contents, length, NULL, NULL, &error);
  g_assert_no_error (error);
  payload = dlg_json_parse (g_bytes_get_data (dlg_report_get_payload (report), NULL),
                            g_bytes_get_size (dlg_report_get_payload (report)), NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (written, payload));

  /* A write that cannot happen says so and leaves nothing behind. */
  g_assert_false (dlg_report_export_json (report, missing, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  g_assert_false (dlg_report_export_pdf (report, NULL, NULL, NULL, missing, &error));
  g_assert_nonnull (error);
}

/* The JSON Schemas for editors and other implementations accept what we
 * write and refuse what we refuse, checked with python3-jsonschema. */
static const char schema_check[] =
  "import json, sys\n"
  "try:\n"
  "    import jsonschema\n"
  "except ImportError:\n"
  "    sys.exit(77)\n"
  "schema = json.load(open(sys.argv[1], encoding='utf-8'))\n"
  "jsonschema.Draft202012Validator.check_schema(schema)\n"
  "v = jsonschema.Draft202012Validator(schema)\n"
  "for e in v.iter_errors(json.load(open(sys.argv[2], encoding='utf-8'))):\n"
  "    print(e.json_path, e.message)\n"
  "    sys.exit(1)\n"
  "for bad in sys.argv[3:]:\n"
  "    if v.is_valid(json.load(open(bad, encoding='utf-8'))):\n"
  "        print('accepted', bad)\n"
  "        sys.exit(1)\n";

static void
check_schema (const char *schema_name,
              const char *dir,
              GBytes     *valid,
              GBytes    **invalid,
              guint       n_invalid)
{
  g_autofree char *schema = g_test_build_filename (G_TEST_DIST, "..", "data", schema_name, NULL);
  g_autofree char *valid_path = g_build_filename (dir, "valid.json", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status;

  g_assert_true (g_file_set_contents (valid_path, g_bytes_get_data (valid, NULL), g_bytes_get_size (valid), NULL));
  g_ptr_array_add (argv, g_strdup ("python3"));
  g_ptr_array_add (argv, g_strdup ("-c"));
  g_ptr_array_add (argv, g_strdup (schema_check));
  g_ptr_array_add (argv, g_strdup (schema));
  g_ptr_array_add (argv, g_strdup (valid_path));
  for (guint i = 0; i < n_invalid; i++)
    {
      char *path = g_strdup_printf ("%s/invalid-%u.json", dir, i);

      g_assert_true (g_file_set_contents (path, g_bytes_get_data (invalid[i], NULL),
                                          g_bytes_get_size (invalid[i]), NULL));
      g_ptr_array_add (argv, path);
    }
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     &out, NULL, &status, &error))
    {
      g_test_skip (error->message);
      return;
    }
  if (WIFEXITED (status) && WEXITSTATUS (status) == 77)
    {
      g_test_skip ("python3-jsonschema is not installed");
      return;
    }
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s: %s", schema_name, out);
}

static void
test_schemas (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(JsonNode) plan = sample_plan ();
  g_autoptr(DlgReport) report = build (f->a, FALSE, "en", plan, NULL);
  GBytes *payload = dlg_report_get_payload (report);
  GBytes *bad_reports[] = {
    mutate (payload, "/extra", "1"),
    mutate (payload, "/id", "\"6ba7b810-9dad-11d1-80b4-00c04fd430c8\""),
    mutate (payload, "/answers/0/level", "\"purple\""),
    mutate (payload, "/answers/4/value", "\"50\""),
    mutate (payload, "/organisation/name", "\"  \""),
    mutate (payload, "/evaluation/sections/0/counts/red", NULL),
  };
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_action_decision_free);
  g_autoptr(DlgReview) review = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *bad_reviews[3];

  check_schema ("report.schema.json", f->dir, payload, bad_reports, G_N_ELEMENTS (bad_reports));

  g_ptr_array_add (actions, dlg_action_decision_new ("act-1", DLG_DECISION_APPROVED, NULL));
  g_ptr_array_add (actions, dlg_action_decision_new ("act-2", DLG_DECISION_REJECTED, "No root cause"));
  review = review_new (DLG_DECISION_CHANGES_REQUESTED, "See act-2", actions, &error);
  g_assert_no_error (error);
  bad_reviews[0] = mutate (dlg_review_get_payload (review), "/reason", "null");
  bad_reviews[1] = mutate (dlg_review_get_payload (review), "/decision", "\"approved\"");
  bad_reviews[2] = mutate (dlg_review_get_payload (review), "/reviewer/id", NULL);
  check_schema ("review.schema.json", f->dir, dlg_review_get_payload (review), bad_reviews,
                G_N_ELEMENTS (bad_reviews));

  for (guint i = 0; i < G_N_ELEMENTS (bad_reports); i++)
    g_bytes_unref (bad_reports[i]);
  for (guint i = 0; i < G_N_ELEMENTS (bad_reviews); i++)
    g_bytes_unref (bad_reviews[i]);
}

/* ------------------------------------------------------------------------ */
/* The PDF's built-in labels against the translations                       */
/* ------------------------------------------------------------------------ */

/* Reads the string of a PO keyword line and its continuation lines. */
static char *
po_string (char       **lines,
           guint       *i,
           const char  *keyword)
{
  g_autoptr(GString) value = g_string_new (NULL);
  const char *p = lines[*i] + strlen (keyword);

  for (;;)
    {
      g_autofree char *quoted = NULL;
      g_autofree char *compressed = NULL;

      while (*p == ' ')
        p++;
      g_assert_true (*p == '"' && strlen (p) >= 2);
      quoted = g_strndup (p + 1, strlen (p + 1) - 1);   /* without the quotes */
      compressed = g_strcompress (quoted);
      g_string_append (value, compressed);
      if (lines[*i + 1] == NULL || lines[*i + 1][0] != '"')
        break;
      p = lines[++*i];
    }
  return g_string_free (g_steal_pointer (&value), FALSE);
}

/* The msgstr of every translated message of @language, keyed by
 * "context\004msgid" (gettext's own key) or msgid alone. Obsolete and
 * fuzzy entries and plurals are left out. */
static GHashTable *
po_load (const char *language)
{
  g_autofree char *name = g_strconcat (language, ".po", NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "po", name, NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *catalogue = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *context = NULL;
  g_autofree char *msgid = NULL;
  gboolean fuzzy = FALSE;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (line[0] == '\0')
        {
          fuzzy = FALSE;
          g_clear_pointer (&context, g_free);
          g_clear_pointer (&msgid, g_free);
        }
      else if (g_str_has_prefix (line, "#,") && strstr (line, "fuzzy") != NULL)
        fuzzy = TRUE;
      else if (g_str_has_prefix (line, "msgctxt "))
        context = po_string (lines, &i, "msgctxt");
      else if (g_str_has_prefix (line, "msgid_plural "))
        g_clear_pointer (&msgid, g_free);
      else if (g_str_has_prefix (line, "msgid "))
        msgid = po_string (lines, &i, "msgid");
      else if (g_str_has_prefix (line, "msgstr ") && msgid != NULL)
        {
          g_autofree char *msgstr = po_string (lines, &i, "msgstr");

          if (!fuzzy && *msgid != '\0' && *msgstr != '\0')
            g_hash_table_insert (catalogue,
                                 context ? g_strconcat (context, "\004", msgid, NULL) : g_strdup (msgid),
                                 g_steal_pointer (&msgstr));
        }
    }
  return catalogue;
}

static const char *
po_lookup (GHashTable *catalogue,
           const char *context,
           const char *msgid)
{
  g_autofree char *key = context ? g_strconcat (context, "\004", msgid, NULL) : g_strdup (msgid);

  return g_hash_table_lookup (catalogue, key);
}

static void
test_pdf_labels (void)
{
  /* Where the app shows the same words, as a level, a status, a column,
   * the PDF must say them the same way. */
  static const char * const ui_contexts[] = { NULL, "level", "action status", "priority", "review",
                                              "review decision" };
  /* The same English for another thing: "Priority" the field, not the
   * priority; "Progress" the notes, not the page; "Verified" and
   * "Rejected" an action and a review, not a signature or a sending. */
  static const struct {
    const char *msgid;
    const char *context;
  } other_meaning[] = {
    { "Priority", "priority" },
    { "Progress", NULL },
    { "Verified", NULL },
    { "Rejected", NULL },
  };
  static const char * const languages[] = { "fr", "nl", "de" };
  guint n_labels = 0;
  guint n_shared = 0;

  while (dlg_report_export_get_builtin_label (n_labels, "en") != NULL)
    n_labels++;
  g_assert_cmpuint (n_labels, >=, 80);
  g_assert_null (dlg_report_export_get_builtin_label (0, "es"));
  g_assert_null (dlg_report_export_get_builtin_label (0, NULL));

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      g_autoptr(GHashTable) catalogue = po_load (languages[l]);

      /* The parser reads what it should: a message with a context, one
       * without, and none that is not in the file. */
      g_assert_nonnull (po_lookup (catalogue, "level", "Amber"));
      g_assert_nonnull (po_lookup (catalogue, NULL, "Server Address"));
      g_assert_null (po_lookup (catalogue, "report", "No such label"));

      for (guint i = 0; i < n_labels; i++)
        {
          const char *msgid = dlg_report_export_get_builtin_label (i, "en");
          const char *builtin = dlg_report_export_get_builtin_label (i, languages[l]);
          const char *translated = po_lookup (catalogue, "report", msgid);

          /* The catalogue says what the PDF says, word for word. */
          g_test_message ("%s “%s”: built in “%s”, po/%s.po “%s”", languages[l], msgid, builtin,
                          languages[l], translated);
          g_assert_nonnull (translated);
          g_assert_cmpstr (builtin, ==, translated);

          for (guint c = 0; c < G_N_ELEMENTS (ui_contexts); c++)
            {
              const char *ui = po_lookup (catalogue, ui_contexts[c], msgid);
              gboolean other = FALSE;

              for (guint k = 0; k < G_N_ELEMENTS (other_meaning); k++)
                other |= g_str_equal (other_meaning[k].msgid, msgid) &&
                         g_strcmp0 (other_meaning[k].context, ui_contexts[c]) == 0;
              if (ui == NULL || other)
                continue;
              g_test_message ("  as the app says it (%s): “%s”", ui_contexts[c] ? ui_contexts[c] : "no context", ui);
              g_assert_cmpstr (builtin, ==, ui);
              n_shared++;
            }
        }
    }

  /* Levels, statuses, headings: many words are the app's too. */
  g_assert_cmpuint (n_shared, >=, 3 * 20);
}


int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/report/round-trip", test_round_trip);
  ADD ("/report/canonical", test_canonical);
  ADD ("/report/hidden", test_hidden);
  ADD ("/report/quick-scan", test_quick_scan);
  ADD ("/report/build-errors", test_build_errors);
  ADD ("/report/malformed", test_malformed);
  ADD ("/report/malformed-bytes", test_malformed_bytes);
  ADD ("/report/limits", test_limits);
  ADD ("/report/pdf/english", test_pdf_english);
  ADD ("/report/pdf/french", test_pdf_french);
  ADD ("/report/pdf/dutch-german", test_pdf_languages);
  ADD ("/report/pdf/long", test_pdf_long);
  ADD ("/report/pdf/async", test_pdf_async);
  ADD ("/report/csv", test_csv);
  ADD ("/report/json", test_json_export);
  ADD ("/report/schemas", test_schemas);
  ADD ("/report/signed", test_signed);
  ADD ("/report/offline-verification", test_offline_verification);
#undef ADD
  g_test_add_func ("/report/pdf/labels", test_pdf_labels);
  g_test_add_func ("/review/round-trip", test_review);
  g_test_add_func ("/review/rules", test_review_rules);
  g_test_add_func ("/review/malformed", test_review_malformed);

  return g_test_run ();
}
