/* dlg-action-plan-csv.h - the action plan in a spreadsheet and back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "dlg-action-plan.h"
#include "dlg-csv.h"

G_BEGIN_DECLS

typedef enum
{
  DLG_PLAN_CSV_NONE      = 0,
  /* Only actions not yet done, as RBA's "download open CAP". */
  DLG_PLAN_CSV_OPEN_ONLY = 1 << 0,
  /* Start with a UTF-8 byte-order mark, which spreadsheets on Windows
   * need to read the file as UTF-8. */
  DLG_PLAN_CSV_BOM       = 1 << 1,
} DlgPlanCsvFlags;

typedef enum
{
  DLG_PLAN_CHANGE_FIELD,
  DLG_PLAN_CHANGE_STATUS,
  DLG_PLAN_CHANGE_NOTE,
} DlgPlanChangeKind;

/**
 * DlgPlanChange:
 * @line: the line of the file the row starts on
 * @action_id: the action changed
 * @action_title: its title, before the change
 * @kind: what changes
 * @field: the field, for %DLG_PLAN_CHANGE_FIELD
 * @column: the spreadsheet column
 * @old_value: (nullable): the value before
 * @new_value: (nullable): the value after; for a note, its text
 */
typedef struct
{
  guint              line;
  char              *action_id;
  char              *action_title;
  DlgPlanChangeKind  kind;
  DlgActionField     field;
  char              *column;
  char              *old_value;
  char              *new_value;
} DlgPlanChange;

typedef struct _DlgPlanImport DlgPlanImport;

char          *dlg_action_plan_to_csv         (DlgActionPlan     *plan,
                                               DlgQuestionnaire  *questionnaire,
                                               const char        *language,
                                               const GDate       *today,
                                               DlgPlanCsvFlags    flags,
                                               gsize             *length);
const char * const *dlg_action_plan_csv_columns (void);

DlgPlanImport *dlg_plan_import_new            (DlgActionPlan     *plan,
                                               const char        *data,
                                               gsize              length,
                                               const GDate       *today,
                                               GError           **error);
void           dlg_plan_import_free           (DlgPlanImport     *import);
GPtrArray     *dlg_plan_import_get_changes    (DlgPlanImport     *import);
GPtrArray     *dlg_plan_import_get_problems   (DlgPlanImport     *import);
guint          dlg_plan_import_get_n_rows     (DlgPlanImport     *import);
gboolean       dlg_plan_import_has_errors     (DlgPlanImport     *import);
gboolean       dlg_plan_import_apply          (DlgPlanImport     *import,
                                               DlgActionPlan     *plan,
                                               GError           **error);

gboolean       dlg_plan_csv_parse_date        (const char        *text,
                                               char             **iso_date);
gboolean       dlg_plan_csv_parse_status      (const char        *text,
                                               DlgActionStatus   *status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlgPlanImport, dlg_plan_import_free)

G_END_DECLS
