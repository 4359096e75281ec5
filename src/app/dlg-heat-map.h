/* dlg-heat-map.h - sections of an evaluation as coloured tiles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dlg-evaluation.h"

G_BEGIN_DECLS

#define DLG_TYPE_HEAT_MAP (dlg_heat_map_get_type ())

G_DECLARE_FINAL_TYPE (DlgHeatMap, dlg_heat_map, DLG, HEAT_MAP, GtkWidget)

GtkWidget *dlg_heat_map_new            (void);
void       dlg_heat_map_set_evaluation (DlgHeatMap    *self,
                                        DlgEvaluation *evaluation,
                                        const char    *language);

G_END_DECLS
