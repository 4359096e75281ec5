/* test-questionnaires.h - the test questionnaires, read as the app reads
 * an imported one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dlg-core.h"

G_BEGIN_DECLS

/* The questionnaire at @path, which must be valid. For processes that are
 * not GLib tests themselves (a crash test's child), where
 * g_test_build_filename() is not available. */
static inline DlgQuestionnaire *
read_questionnaire (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = dlg_file_read (path, DLG_JSON_MAX_SIZE, &error);
  DlgQuestionnaire *q;

  g_assert_no_error (error);
  q = dlg_questionnaire_new_from_bytes (bytes, NULL, &error);
  g_assert_no_error (error);
  return q;
}

/* One of the questionnaires in tests/data/@folder/. */
static inline DlgQuestionnaire *
load_questionnaire_from (const char *folder,
                         const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", folder, name, NULL);

  return read_questionnaire (path);
}

/* One of the valid questionnaires in tests/data/valid/. */
static inline DlgQuestionnaire *
load_questionnaire (const char *name)
{
  return load_questionnaire_from ("valid", name);
}

G_END_DECLS
