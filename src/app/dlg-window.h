/* dlg-window.h - the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dlg-application.h"
#include "dlg-core.h"

G_BEGIN_DECLS

#define DLG_TYPE_WINDOW (dlg_window_get_type ())

G_DECLARE_FINAL_TYPE (DlgWindow, dlg_window, DLG, WINDOW, AdwApplicationWindow)

DlgWindow *dlg_window_new             (DlgApplication *application);
void       dlg_window_open_assessment (DlgWindow      *self,
                                       DlgAssessment  *assessment,
                                       gboolean        quick_scan,
                                       const char     *title);

G_END_DECLS
