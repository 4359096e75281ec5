/* dlg-report-export.h - a report as PDF, CSV and JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "dlg-report.h"

G_BEGIN_DECLS

/* A4, in PostScript points: the renderer lays pages out at this size. */
#define DLG_REPORT_PAGE_WIDTH  595.2756
#define DLG_REPORT_PAGE_HEIGHT 841.8898

#define DLG_TYPE_REPORT_RENDERER (dlg_report_renderer_get_type ())

G_DECLARE_FINAL_TYPE (DlgReportRenderer, dlg_report_renderer, DLG, REPORT_RENDERER, GObject)

DlgReportRenderer *dlg_report_renderer_new           (DlgReport         *report);
DlgReport         *dlg_report_renderer_get_report    (DlgReportRenderer *self);
void               dlg_report_renderer_set_signature (DlgReportRenderer *self,
                                                      const char        *signer,
                                                      const char        *fingerprint,
                                                      const char        *status);
guint              dlg_report_renderer_get_n_pages   (DlgReportRenderer *self);
void               dlg_report_render_page            (DlgReportRenderer *self,
                                                      cairo_t           *cr,
                                                      guint              page_index);
GBytes            *dlg_report_renderer_to_pdf        (DlgReportRenderer *self,
                                                      GError           **error);

gboolean           dlg_report_export_pdf             (DlgReport         *report,
                                                      const char        *signer,
                                                      const char        *fingerprint,
                                                      const char        *status,
                                                      const char        *path,
                                                      GError           **error);
void               dlg_report_export_pdf_async       (DlgReport         *report,
                                                      const char        *signer,
                                                      const char        *fingerprint,
                                                      const char        *status,
                                                      const char        *path,
                                                      GCancellable      *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer           user_data);
gboolean           dlg_report_export_pdf_finish      (DlgReport         *report,
                                                      GAsyncResult      *result,
                                                      GError           **error);

const char        *dlg_report_export_get_builtin_label (guint        index,
                                                        const char  *language);

GBytes            *dlg_report_to_csv                 (DlgReport         *report);
gboolean           dlg_report_export_csv             (DlgReport         *report,
                                                      const char        *path,
                                                      GError           **error);
gboolean           dlg_report_export_json            (DlgReport         *report,
                                                      const char        *path,
                                                      GError           **error);

G_END_DECLS
