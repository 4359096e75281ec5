/* dlg-report-page.h - a signed report or review, read-only, with its signature
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dlg-core.h"

G_BEGIN_DECLS

#define DLG_TYPE_REPORT_PAGE (dlg_report_page_get_type ())

G_DECLARE_FINAL_TYPE (DlgReportPage, dlg_report_page, DLG, REPORT_PAGE, GtkWidget)

GtkWidget         *dlg_report_page_new               (void);
void               dlg_report_page_set_document      (DlgReportPage      *self,
                                                      DlgSignedDocument  *document,
                                                      DlgActionPlan      *own_plan,
                                                      const char         *note);
DlgSignedDocument *dlg_report_page_get_document      (DlgReportPage      *self);
const char        *dlg_report_page_get_status_text   (DlgReportPage      *self);
gboolean           dlg_report_page_get_can_review    (DlgReportPage      *self);

gboolean           dlg_report_page_set_decision      (DlgReportPage      *self,
                                                      const char         *action_id,
                                                      DlgDecision         decision,
                                                      const char         *reason);
gboolean           dlg_report_page_get_review_ready  (DlgReportPage      *self);
DlgReview         *dlg_report_page_build_review      (DlgReportPage      *self,
                                                      const DlgParty     *reviewer,
                                                      GError            **error);
void               dlg_report_page_set_signed_review (DlgReportPage      *self,
                                                      GBytes             *review_jws,
                                                      const char         *note);

gboolean           dlg_report_page_save_file         (DlgReportPage      *self,
                                                      GFile              *file,
                                                      GError            **error);
gboolean           dlg_report_page_save_review       (DlgReportPage      *self,
                                                      GFile              *file,
                                                      GError            **error);
gboolean           dlg_report_page_export            (DlgReportPage      *self,
                                                      const char         *format,
                                                      GFile              *file,
                                                      GError            **error);
gboolean           dlg_report_page_print             (DlgReportPage      *self,
                                                      const char         *export_pdf,
                                                      GError            **error);

G_END_DECLS
