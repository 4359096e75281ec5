/* dlg-outbox-row.h - one signed document in the outbox, and its fate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "dlg-core.h"

G_BEGIN_DECLS

#define DLG_TYPE_OUTBOX_ROW (dlg_outbox_row_get_type ())

G_DECLARE_FINAL_TYPE (DlgOutboxRow, dlg_outbox_row, DLG, OUTBOX_ROW, GtkListBoxRow)

GtkWidget     *dlg_outbox_row_new      (DlgOutboxItem *item,
                                        const char    *title,
                                        const char    *subtitle);
DlgOutboxItem *dlg_outbox_row_get_item (DlgOutboxRow  *self);

char          *dlg_outbox_describe_problem (const char *problem);

G_END_DECLS
