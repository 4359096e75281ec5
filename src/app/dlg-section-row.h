/* dlg-section-row.h - one entry of the assessment page's sidebar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dlg-level-badge.h"

G_BEGIN_DECLS

#define DLG_TYPE_SECTION_ROW (dlg_section_row_get_type ())

G_DECLARE_FINAL_TYPE (DlgSectionRow, dlg_section_row, DLG, SECTION_ROW, GtkListBoxRow)

GtkWidget     *dlg_section_row_new          (const char    *title,
                                             int            index);
int            dlg_section_row_get_index    (DlgSectionRow *self);
const char    *dlg_section_row_get_title    (DlgSectionRow *self);
void           dlg_section_row_set_subtitle (DlgSectionRow *self,
                                             const char    *subtitle);
void           dlg_section_row_set_icon_name (DlgSectionRow *self,
                                              const char    *icon_name);
DlgLevelBadge *dlg_section_row_get_badge    (DlgSectionRow *self);

G_END_DECLS
