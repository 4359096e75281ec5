/* fuzz-answers.c - answers files against a fixed questionnaire
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The questionnaire is tests/data/valid/scoring.json, which has every
 * question type, conditions, a follow-up section and a critical question.
 */

#include "config.h"

#include <string.h>

#include "dlg-core.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static DlgQuestionnaire *
questionnaire (void)
{
  static DlgQuestionnaire *q;

  if (q == NULL)
    {
      const char *path = g_getenv ("DLG_FUZZ_QUESTIONNAIRE");
      g_autofree char *contents = NULL;
      gsize length;

      if (path == NULL)
        path = SCORING_JSON;
      if (!g_file_get_contents (path, &contents, &length, NULL))
        g_error ("Cannot read %s", path);
      q = dlg_questionnaire_new_from_data (contents, length, NULL, NULL);
      g_assert_nonnull (q);
    }

  return q;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GPtrArray) diagnostics = dlg_diagnostics_new ();
  g_autoptr(DlgAssessment) a = NULL;
  g_autoptr(GError) error = NULL;

  a = dlg_assessment_new_from_answers (questionnaire (), bytes, diagnostics, &error);
  g_assert_true ((a != NULL) == (error == NULL));

  if (a != NULL)
    {
      g_autoptr(DlgEvaluation) full = dlg_evaluate (a, FALSE);
      g_autoptr(DlgEvaluation) quick = dlg_evaluate (a, TRUE);
      g_autoptr(JsonNode) node = dlg_assessment_to_json (a);
      g_autofree char *text = json_to_string (node, FALSE);
      g_autoptr(GBytes) again = g_bytes_new (text, strlen (text));
      g_autoptr(DlgAssessment) b = NULL;
      g_autoptr(DlgEvaluation) full_b = NULL;

      /* What was accepted must survive its own serialisation unchanged. */
      b = dlg_assessment_new_from_answers (questionnaire (), again, NULL, &error);
      g_assert_no_error (error);
      full_b = dlg_evaluate (b, FALSE);
      g_assert_cmpint (full->level, ==, full_b->level);
      g_assert_true (!full->has_score || full->score == full_b->score);
      g_assert_true (full->level != DLG_LEVEL_GREEN || full->complete);
      g_assert_true (quick->level != DLG_LEVEL_GREEN || quick->complete);
    }

  return 0;
}
