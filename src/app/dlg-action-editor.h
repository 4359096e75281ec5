/* dlg-action-editor.h - everything about one corrective action
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dlg-core.h"

G_BEGIN_DECLS

#define DLG_TYPE_ACTION_EDITOR (dlg_action_editor_get_type ())

G_DECLARE_FINAL_TYPE (DlgActionEditor, dlg_action_editor, DLG, ACTION_EDITOR, AdwWindow)

GtkWidget *dlg_action_editor_new        (GtkWindow        *parent,
                                         DlgAction        *action,
                                         DlgQuestionnaire *questionnaire,
                                         const char       *language);
DlgAction *dlg_action_editor_get_action (DlgActionEditor  *self);

G_END_DECLS
