/* fuzz-questionnaire.c - questionnaire parsing, validation and evaluation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "dlg-core.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GPtrArray) diagnostics = dlg_diagnostics_new ();
  g_autoptr(DlgQuestionnaire) q = NULL;
  g_autoptr(GError) error = NULL;

  q = dlg_questionnaire_new_from_data ((const char *) data, size, diagnostics, &error);

  /* Either a questionnaire, or an error explained by at least one diagnostic. */
  g_assert_true ((q != NULL) == (error == NULL));
  if (q == NULL)
    g_assert_cmpuint (dlg_diagnostics_count (diagnostics, DLG_SEVERITY_ERROR), >, 0);

  for (guint i = 0; i < diagnostics->len; i++)
    g_free (dlg_diagnostic_format (g_ptr_array_index (diagnostics, i), "fuzz.json"));

  if (q != NULL)
    {
      g_autoptr(DlgAssessment) a = dlg_assessment_new (q);

      for (guint quick = 0; quick < 2; quick++)
        {
          g_autoptr(DlgEvaluation) ev = dlg_evaluate (a, quick);
          g_autoptr(JsonNode) node = dlg_evaluation_to_json (ev, "fr");

          g_assert_nonnull (node);

          g_assert_true (ev->level != DLG_LEVEL_GREEN || ev->complete);
        }
    }

  return 0;
}
