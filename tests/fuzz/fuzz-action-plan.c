/* fuzz-action-plan.c - plan files, as reports and other tools bring them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "dlg-core.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(DlgActionPlan) plan = NULL;
  g_autoptr(GError) error = NULL;

  plan = dlg_action_plan_new_from_data ((const char *) data, size, &error);
  g_assert_true ((plan != NULL) == (error == NULL));

  if (plan != NULL)
    {
      /* What was accepted writes out, reads back, and writes the same. */
      g_autofree char *text = dlg_action_plan_to_data (plan, NULL);
      g_autoptr(DlgActionPlan) back = dlg_action_plan_new_from_data (text, strlen (text), &error);
      g_autofree char *again = NULL;
      g_autoptr(GPtrArray) problems = NULL;
      GDate today;

      g_assert_no_error (error);
      again = dlg_action_plan_to_data (back, NULL);
      g_assert_cmpstr (again, ==, text);

      problems = dlg_action_plan_check (plan);
      g_date_set_dmy (&today, 15, 3, 2026);
      dlg_action_plan_count (plan, &today, NULL, NULL, NULL, NULL);
    }

  return 0;
}
