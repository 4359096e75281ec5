/* dlg-progress-chart.h - scores and levels period after period
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dlg-core.h"

G_BEGIN_DECLS

#define DLG_TYPE_PROGRESS_CHART (dlg_progress_chart_get_type ())

G_DECLARE_FINAL_TYPE (DlgProgressChart, dlg_progress_chart, DLG, PROGRESS_CHART, GtkWidget)

GtkWidget *dlg_progress_chart_new         (void);
void       dlg_progress_chart_set_periods (DlgProgressChart *self,
                                           GPtrArray        *periods);
char      *dlg_progress_describe_period   (const DlgPeriodSummary *period);

G_END_DECLS
