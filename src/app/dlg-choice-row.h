/* dlg-choice-row.h - a boxed-list row with a check box, title and subtitle
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dlg-info-row.h"

G_BEGIN_DECLS

#define DLG_TYPE_CHOICE_ROW (dlg_choice_row_get_type ())

G_DECLARE_FINAL_TYPE (DlgChoiceRow, dlg_choice_row, DLG, CHOICE_ROW, DlgInfoRow)

GtkWidget  *dlg_choice_row_new        (void);
gboolean    dlg_choice_row_get_active (DlgChoiceRow *self);
void        dlg_choice_row_set_active (DlgChoiceRow *self,
                                       gboolean      active);

G_END_DECLS
