/* dlg-choice-row.h - a boxed-list row with a check box, title and subtitle
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DLG_TYPE_CHOICE_ROW (dlg_choice_row_get_type ())

G_DECLARE_FINAL_TYPE (DlgChoiceRow, dlg_choice_row, DLG, CHOICE_ROW, AdwPreferencesRow)

GtkWidget  *dlg_choice_row_new          (void);
const char *dlg_choice_row_get_subtitle (DlgChoiceRow *self);
void        dlg_choice_row_set_subtitle (DlgChoiceRow *self,
                                         const char   *subtitle);
gboolean    dlg_choice_row_get_active   (DlgChoiceRow *self);
void        dlg_choice_row_set_active   (DlgChoiceRow *self,
                                         gboolean      active);

G_END_DECLS
