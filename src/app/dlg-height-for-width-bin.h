/* dlg-height-for-width-bin.h - a bin whose width never depends on its height
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DLG_TYPE_HEIGHT_FOR_WIDTH_BIN (dlg_height_for_width_bin_get_type ())

G_DECLARE_FINAL_TYPE (DlgHeightForWidthBin, dlg_height_for_width_bin, DLG, HEIGHT_FOR_WIDTH_BIN, GtkWidget)

GtkWidget *dlg_height_for_width_bin_new       (void);
GtkWidget *dlg_height_for_width_bin_get_child (DlgHeightForWidthBin *self);
void       dlg_height_for_width_bin_set_child (DlgHeightForWidthBin *self,
                                               GtkWidget            *child);

G_END_DECLS
