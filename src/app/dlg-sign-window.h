/* dlg-sign-window.h - what a report will say, before it is signed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dlg-core.h"

G_BEGIN_DECLS

#define DLG_TYPE_SIGN_WINDOW (dlg_sign_window_get_type ())

G_DECLARE_FINAL_TYPE (DlgSignWindow, dlg_sign_window, DLG, SIGN_WINDOW, AdwWindow)

GtkWidget  *dlg_sign_window_new            (GtkWindow           *parent,
                                            const DlgEvaluation *evaluation,
                                            DlgActionPlan       *plan,
                                            const char          *period,
                                            const char          *supersedes_note);
void        dlg_sign_window_add_recipient  (DlgSignWindow       *self,
                                            const char          *name,
                                            const char          *id);
GPtrArray  *dlg_sign_window_get_recipients (DlgSignWindow       *self);
char       *dlg_sign_window_get_period     (DlgSignWindow       *self);
const char *dlg_sign_window_get_language   (DlgSignWindow       *self);
gboolean    dlg_sign_window_get_ready      (DlgSignWindow       *self);
void        dlg_sign_window_set_busy       (DlgSignWindow       *self,
                                            gboolean             busy);

G_END_DECLS
