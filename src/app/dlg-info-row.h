/* dlg-info-row.h - a boxed-list row with a title and a wrapping subtitle
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DLG_TYPE_INFO_ROW (dlg_info_row_get_type ())

G_DECLARE_DERIVABLE_TYPE (DlgInfoRow, dlg_info_row, DLG, INFO_ROW, AdwPreferencesRow)

struct _DlgInfoRowClass
{
  AdwPreferencesRowClass parent_class;
};

GtkWidget  *dlg_info_row_new            (void);
const char *dlg_info_row_get_subtitle   (DlgInfoRow *self);
void        dlg_info_row_set_subtitle   (DlgInfoRow *self,
                                         const char *subtitle);
void        dlg_info_row_add_prefix     (DlgInfoRow *self,
                                         GtkWidget  *widget);
void        dlg_info_row_add_suffix     (DlgInfoRow *self,
                                         GtkWidget  *widget);
GtkWidget  *dlg_info_row_get_title_label    (DlgInfoRow *self);
GtkWidget  *dlg_info_row_get_subtitle_label (DlgInfoRow *self);

G_END_DECLS
