/* dlg-action-row.h - one corrective action in a list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dlg-core.h"

G_BEGIN_DECLS

#define DLG_TYPE_ACTION_ROW (dlg_action_row_get_type ())

G_DECLARE_FINAL_TYPE (DlgActionRow, dlg_action_row, DLG, ACTION_ROW, GtkListBoxRow)

GtkWidget *dlg_action_row_new        (DlgAction        *action,
                                      DlgQuestionnaire *questionnaire,
                                      const char       *language,
                                      const GDate      *today);
DlgAction *dlg_action_row_get_action (DlgActionRow     *self);
char      *dlg_action_describe_findings (DlgAction        *action,
                                         DlgQuestionnaire *questionnaire,
                                         const char       *language);

G_END_DECLS
