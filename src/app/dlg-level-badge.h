/* dlg-level-badge.h - a level shown as colour, icon and word
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dlg-level.h"

G_BEGIN_DECLS

#define DLG_TYPE_LEVEL_BADGE (dlg_level_badge_get_type ())

G_DECLARE_FINAL_TYPE (DlgLevelBadge, dlg_level_badge, DLG, LEVEL_BADGE, GtkWidget)

GtkWidget *dlg_level_badge_new        (void);
DlgLevel   dlg_level_badge_get_level  (DlgLevelBadge *self);
void       dlg_level_badge_set_level  (DlgLevelBadge *self,
                                       DlgLevel       level);
void       dlg_level_badge_set_detail (DlgLevelBadge *self,
                                       const char    *detail);

const char *dlg_level_get_css_class   (DlgLevel       level);

G_END_DECLS
