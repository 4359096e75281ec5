/* fuzz-plan-csv.c - spreadsheets imported into a fixed action plan
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The plan has two actions with the ids the seed corpus uses, so that
 * mutations reach the row checks and not only the header.
 */

#include "config.h"

#include <string.h>

#include "dlg-core.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static const char plan_json[] =
  "{\"format\":\"diligence-action-plan/1\",\"questionnaire\":{\"id\":\"q\",\"version\":\"1\"},"
  "\"review_state\":\"draft\",\"actions\":["
  "{\"id\":\"a1\",\"disposition\":\"accepted\",\"findings\":[\"q1\"],\"priority\":\"major\",\"title\":\"First\","
  "\"due_date\":\"2026-03-31\",\"status\":\"in_progress\",\"review_state\":\"draft\"},"
  "{\"id\":\"a2\",\"disposition\":\"accepted\",\"priority\":\"minor\",\"title\":\"Second\","
  "\"status\":\"done\",\"review_state\":\"draft\",\"notes\":[{\"date\":\"2026-01-02\",\"text\":\"x\"}]}]}";

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(DlgActionPlan) plan = dlg_action_plan_new_from_data (plan_json, strlen (plan_json), NULL);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(DlgPlanImport) import = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  GDate today;

  g_assert_nonnull (plan);
  g_date_set_dmy (&today, 15, 3, 2026);

  records = dlg_csv_parse ((const char *) data, size, NULL, NULL);
  import = dlg_plan_import_new (plan, (const char *) data, size, &today, &error);
  g_assert_true ((import != NULL) == (error == NULL));
  if (import == NULL)
    return 0;

  /* All or nothing: a refused import leaves the plan as it was. */
  before = dlg_action_plan_to_data (plan, NULL);
  if (!dlg_plan_import_apply (import, plan, &error))
    {
      g_autofree char *after = dlg_action_plan_to_data (plan, NULL);

      g_assert_true (dlg_plan_import_has_errors (import));
      g_assert_cmpstr (after, ==, before);
    }
  else
    g_assert_false (dlg_plan_import_has_errors (import));

  return 0;
}
