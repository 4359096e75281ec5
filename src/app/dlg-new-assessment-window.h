/* dlg-new-assessment-window.h - choosing what to assess
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dlg-core.h"

G_BEGIN_DECLS

#define DLG_TYPE_NEW_ASSESSMENT_WINDOW (dlg_new_assessment_window_get_type ())

G_DECLARE_FINAL_TYPE (DlgNewAssessmentWindow, dlg_new_assessment_window, DLG, NEW_ASSESSMENT_WINDOW, AdwWindow)

GtkWidget *dlg_new_assessment_window_new (GtkWindow *parent,
                                          GPtrArray *questionnaires);

G_END_DECLS
