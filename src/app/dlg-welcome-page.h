/* dlg-welcome-page.h - the first run: who is using Diligence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dlg-core.h"

G_BEGIN_DECLS

#define DLG_TYPE_WELCOME_PAGE (dlg_welcome_page_get_type ())

G_DECLARE_FINAL_TYPE (DlgWelcomePage, dlg_welcome_page, DLG, WELCOME_PAGE, GtkWidget)

GtkWidget *dlg_welcome_page_new (void);

G_END_DECLS
