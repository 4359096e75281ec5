/* store-test-util.h - what the store's tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dlg-core.h"

/* One of the valid test questionnaires in tests/data/valid/, read as the
 * app reads an imported one. */
static inline DlgQuestionnaire *
load_questionnaire (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "valid", name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = dlg_file_read (path, DLG_JSON_MAX_SIZE, &error);
  DlgQuestionnaire *q;

  g_assert_no_error (error);
  q = dlg_questionnaire_new_from_bytes (bytes, NULL, &error);
  g_assert_no_error (error);
  return q;
}
