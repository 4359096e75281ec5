/* fuzz-report.c - report and review payloads from strangers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every input is read as a report and as a review. Whatever is accepted
 * must survive what the app does next: its pretty form reads back as the
 * same document, its CSV is valid UTF-8, and it lays out as a PDF (the
 * action plan is free-form JSON, so the renderer meets anything there).
 */

#include "config.h"

#include <string.h>

#include "dlg-core.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check_report (DlgReport *report)
{
  g_autoptr(GBytes) pretty = dlg_report_to_pretty_json (report);
  g_autoptr(GBytes) csv = dlg_report_to_csv (report);
  g_autoptr(DlgReport) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgReportRenderer) renderer = NULL;

  again = dlg_report_new_from_payload (pretty, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dlg_report_get_id (again), ==, dlg_report_get_id (report));
  g_assert_cmpuint (dlg_report_get_n_answers (again), ==, dlg_report_get_n_answers (report));
  g_assert_true (g_utf8_validate (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv), NULL));

  for (guint i = 0; i < dlg_report_get_n_answers (report); i++)
    {
      const DlgReportAnswer *a = dlg_report_get_answer (report, i);

      g_assert_true (dlg_report_lookup_answer (report, a->question_id) != NULL);
      g_assert_nonnull (dlg_report_lookup_section (report, a->section_id));
      g_assert_true ((a->value == NULL) == (a->display == NULL));
    }

  renderer = dlg_report_renderer_new (report);
  g_assert_cmpuint (dlg_report_renderer_get_n_pages (renderer), >=, 2);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgReport) report = NULL;
  g_autoptr(DlgReview) review = NULL;

  report = dlg_report_new_from_payload (bytes, &error);
  g_assert_true ((report != NULL) == (error == NULL));
  if (error != NULL)
    g_assert_true (error->domain == DLG_REPORT_ERROR);
  else
    check_report (report);
  g_clear_error (&error);

  review = dlg_review_new_from_payload (bytes, &error);
  g_assert_true ((review != NULL) == (error == NULL));
  if (error != NULL)
    g_assert_true (error->domain == DLG_REVIEW_ERROR);
  else
    {
      g_autoptr(GBytes) pretty = dlg_review_to_pretty_json (review);
      g_autoptr(DlgReview) again = dlg_review_new_from_payload (pretty, NULL);

      g_assert_nonnull (again);
      g_assert_cmpuint (dlg_review_get_n_actions (again), ==, dlg_review_get_n_actions (review));
    }

  return 0;
}
