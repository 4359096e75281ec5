/* dlg-action-plan-csv.c - the action plan in a spreadsheet and back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RBA users download their open corrective actions to a spreadsheet, work
 * on them offline and upload the sheet again. The export has one row per
 * action in the plan and a header row of stable column names
 * (docs/action-plan-format.md, "Spreadsheet"). The import reads such a
 * sheet back as a list of changes to preview; nothing changes until the
 * list is applied, and a sheet with any bad row is refused whole.
 *
 * Spreadsheets rewrite what they open: dates become 31/03/2026, columns
 * get moved or added, the text encoding may change. The import follows
 * columns by name, reads day-first dates as well as ISO ones, and stops at
 * anything it cannot read with certainty, saying which line and why.
 */

#define G_LOG_DOMAIN "dlg-action-plan-csv"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dlg-action-plan-csv.h"
#include "dlg-diagnostic.h"

typedef enum
{
  COLUMN_ID,
  COLUMN_PRIORITY,
  COLUMN_FINDINGS,
  COLUMN_FINDING_TEXT,
  COLUMN_TITLE,
  COLUMN_ROOT_CAUSE,
  COLUMN_CORRECTIVE_ACTION,
  COLUMN_PREVENTIVE_ACTION,
  COLUMN_OWNER_NAME,
  COLUMN_OWNER_EMAIL,
  COLUMN_START_DATE,
  COLUMN_DUE_DATE,
  COLUMN_STATUS,
  COLUMN_URGENCY,
  COLUMN_REVIEW_STATE,
  COLUMN_NOTES,
  COLUMN_NEW_NOTE,
  N_COLUMNS
} Column;

static const char * const column_names[N_COLUMNS + 1] = {
  "id", "priority", "findings", "finding_text", "title", "root_cause",
  "corrective_action", "preventive_action", "owner_name", "owner_email",
  "start_date", "due_date", "status", "urgency", "review_state", "notes",
  "new_note", NULL,
};

/* The action field a column edits, or -1 for the others. */
static int
column_field (Column column)
{
  if (column >= COLUMN_TITLE && column <= COLUMN_DUE_DATE)
    return DLG_ACTION_FIELD_TITLE + (column - COLUMN_TITLE);
  return -1;
}

static gboolean
column_is_read_only (Column column)
{
  return column_field (column) < 0 && column != COLUMN_STATUS && column != COLUMN_NEW_NOTE;
}

struct _DlgPlanImport
{
  GPtrArray *changes;     /* DlgPlanChange* */
  GPtrArray *problems;    /* DlgDiagnostic* */
  guint      n_rows;
  guint      n_errors;
  guint      base_revision;
  char      *today;
};

/**
 * dlg_action_plan_csv_columns:
 *
 * Returns: (transfer none): the export's column names, in order
 */
const char * const *
dlg_action_plan_csv_columns (void)
{
  return column_names;
}

static void
change_free (DlgPlanChange *change)
{
  g_free (change->action_id);
  g_free (change->action_title);
  g_free (change->column);
  g_free (change->old_value);
  g_free (change->new_value);
  g_free (change);
}

void
dlg_plan_import_free (DlgPlanImport *import)
{
  if (import == NULL)
    return;
  g_ptr_array_unref (import->changes);
  g_ptr_array_unref (import->problems);
  g_free (import->today);
  g_free (import);
}

/* ------------------------------------------------------------------------ */
/* Export                                                                   */
/* ------------------------------------------------------------------------ */

static char *
finding_texts (DlgAction        *action,
               DlgQuestionnaire *q,
               const char       *language)
{
  const char * const *findings = dlg_action_get_findings (action);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; findings[i]; i++)
    {
      DlgQuestion *question = q ? dlg_questionnaire_lookup_question (q, findings[i]) : NULL;

      g_string_append_printf (out, "%s%s", i ? "\n" : "",
                              question ? dlg_text_get (question->text, language) : findings[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* One row, exactly as exported: also what the import compares read-only
 * columns with. */
static char **
export_row (DlgAction        *action,
            DlgQuestionnaire *q,
            const char       *language,
            const GDate      *today)
{
  char **row = g_new0 (char *, N_COLUMNS + 1);
  g_autoptr(GString) notes = g_string_new (NULL);
  GPtrArray *note_list = dlg_action_get_notes (action);
  DlgUrgency urgency = today ? dlg_action_get_urgency (action, today) : DLG_URGENCY_NONE;

  row[COLUMN_ID] = g_strdup (dlg_action_get_id (action));
  row[COLUMN_PRIORITY] = g_strdup (dlg_priority_to_string (dlg_action_get_priority (action)));
  row[COLUMN_FINDINGS] = g_strjoinv (" ", (char **) dlg_action_get_findings (action));
  row[COLUMN_FINDING_TEXT] = finding_texts (action, q, language);
  for (Column c = COLUMN_TITLE; c <= COLUMN_DUE_DATE; c++)
    row[c] = g_strdup (dlg_action_get_field (action, column_field (c)));
  row[COLUMN_STATUS] = g_strdup (dlg_action_status_to_string (dlg_action_get_status (action)));
  row[COLUMN_URGENCY] = g_strdup (urgency == DLG_URGENCY_OVERDUE ? "overdue" :
                                  urgency == DLG_URGENCY_DUE_SOON ? "due_soon" : "");
  row[COLUMN_REVIEW_STATE] = g_strdup (dlg_review_state_to_string (dlg_action_get_review_state (action)));
  for (guint i = 0; i < note_list->len; i++)
    {
      DlgProgressNote *note = g_ptr_array_index (note_list, i);

      g_string_append_printf (notes, "%s%s: %s", i ? "\n" : "", note->date, note->text);
    }
  row[COLUMN_NOTES] = g_strdup (notes->str);
  row[COLUMN_NEW_NOTE] = g_strdup ("");

  for (guint c = 0; c < N_COLUMNS; c++)
    if (row[c] == NULL)
      row[c] = g_strdup ("");
  return row;
}

/**
 * dlg_action_plan_to_csv:
 * @questionnaire: (nullable): the questionnaire, for the findings' text
 * @language: (nullable): the language of that text
 * @today: (nullable): the date for the "urgency" column
 * @flags: which actions, and whether to start with a byte-order mark
 * @length: (out) (optional): the length
 *
 * Writes the actions in the plan (not proposals nor dismissed ones) as CSV
 * (RFC 4180, UTF-8, CRLF), one row per action, cells that a spreadsheet
 * would run as formulas neutralised.
 *
 * Returns: (transfer full): the text
 */
char *
dlg_action_plan_to_csv (DlgActionPlan    *plan,
                        DlgQuestionnaire *questionnaire,
                        const char       *language,
                        const GDate      *today,
                        DlgPlanCsvFlags   flags,
                        gsize            *length)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (DLG_IS_ACTION_PLAN (plan), NULL);

  if (flags & DLG_PLAN_CSV_BOM)
    g_string_append (out, "\xef\xbb\xbf");

  dlg_csv_append_record (out, column_names, N_COLUMNS, DLG_CSV_NONE);

  for (guint i = 0; i < dlg_action_plan_get_n_actions (plan); i++)
    {
      DlgAction *action = dlg_action_plan_get_action (plan, i);
      g_auto(GStrv) row = NULL;

      if (dlg_action_get_disposition (action) != DLG_DISPOSITION_ACCEPTED)
        continue;
      if ((flags & DLG_PLAN_CSV_OPEN_ONLY) && !dlg_action_is_open (action))
        continue;

      row = export_row (action, questionnaire, language, today);
      dlg_csv_append_record (out, (const char * const *) row, N_COLUMNS, DLG_CSV_GUARD_FORMULAS);
    }

  if (length != NULL)
    *length = out->len;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ------------------------------------------------------------------------ */
/* Reading cells                                                            */
/* ------------------------------------------------------------------------ */

static gboolean
parse_number (const char *text,
              gsize       len,
              guint      *out)
{
  guint value = 0;

  if (len == 0 || len > 4)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      value = value * 10 + (text[i] - '0');
    }
  *out = value;
  return TRUE;
}

/**
 * dlg_plan_csv_parse_date:
 * @text: a date as a spreadsheet may have rewritten it
 * @iso_date: (out): the date as "YYYY-MM-DD", or %NULL for an empty cell
 *
 * Reads 2026-03-31, 2026/03/31, and, day first as in Belgium and most of
 * Europe, 31/03/2026, 31.03.2026 and 31-03-2026. A time of midnight after
 * the date, which some spreadsheets add, is ignored. Two-digit years are
 * refused: they are ambiguous.
 *
 * Returns: %FALSE if @text is not such a date
 */
gboolean
dlg_plan_csv_parse_date (const char  *text,
                         char       **iso_date)
{
  g_autofree char *copy = g_strstrip (g_strdup (text ? text : ""));
  guint parts[3];
  gsize lengths[3];
  const char *p = copy;
  char separator = 0;
  guint y, m, d;
  char *space;

  *iso_date = NULL;
  if (*copy == '\0')
    return TRUE;

  if ((space = strchr (copy, ' ')) != NULL || (space = strchr (copy, 'T')) != NULL)
    {
      const char *time = space + 1;

      if (strcmp (time, "00:00") != 0 && strcmp (time, "00:00:00") != 0)
        return FALSE;
      *space = '\0';
    }

  for (guint i = 0; i < 3; i++)
    {
      const char *start = p;

      while (g_ascii_isdigit (*p))
        p++;
      lengths[i] = p - start;
      if (!parse_number (start, lengths[i], &parts[i]))
        return FALSE;
      if (i < 2)
        {
          if (*p != '-' && *p != '/' && *p != '.')
            return FALSE;
          if (separator != 0 && *p != separator)
            return FALSE;
          separator = *p++;
        }
    }
  if (*p != '\0')
    return FALSE;

  if (lengths[0] == 4 && lengths[1] <= 2 && lengths[2] <= 2)
    {
      y = parts[0];
      m = parts[1];
      d = parts[2];
    }
  else if (lengths[2] == 4 && lengths[0] <= 2 && lengths[1] <= 2)
    {
      d = parts[0];
      m = parts[1];
      y = parts[2];
    }
  else
    return FALSE;

  if (y < 1 || !g_date_valid_dmy (d, m, y))
    return FALSE;

  *iso_date = g_strdup_printf ("%04u-%02u-%02u", y, m, d);
  return TRUE;
}

static char *
status_key (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);

  g_strstrip (folded);
  for (char *p = folded; *p; p++)
    if (*p == ' ' || *p == '-')
      *p = '_';
  return g_steal_pointer (&folded);
}

/**
 * dlg_plan_csv_parse_status:
 *
 * Reads a status as exported ("in_progress"), as a person would write it
 * in English ("In progress"), or as labelled in the user's language.
 */
gboolean
dlg_plan_csv_parse_status (const char      *text,
                           DlgActionStatus *status)
{
  g_autofree char *key = status_key (text ? text : "");

  if (dlg_action_status_from_string (key, status))
    return TRUE;

  for (DlgActionStatus s = DLG_ACTION_STATUS_NOT_STARTED; s <= DLG_ACTION_STATUS_VERIFIED; s++)
    {
      g_autofree char *label = status_key (dlg_action_status_get_label (s));

      if (strcmp (label, key) == 0)
        {
          *status = s;
          return TRUE;
        }
    }
  return FALSE;
}

/* Cells as the user sees them: without the formula guard, with the line
 * breaks a spreadsheet may have turned into CRLF back to LF. */
static char *
cell_text (const char *cell)
{
  g_autofree char *unguarded = dlg_csv_unguard (cell);
  GString *out = g_string_new (NULL);

  for (const char *p = unguarded; *p; p++)
    {
      if (*p == '\r')
        {
          g_string_append_c (out, '\n');
          if (p[1] == '\n')
            p++;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Import                                                                   */
/* ------------------------------------------------------------------------ */

/* "Line 2, status: " and a message from elsewhere, as one sentence. */
static char *
row_message (guint       line,
             const char *column,
             const char *message)
{
  gsize len = strlen (message);

  return g_strdup_printf (_("Line %u, %s: %s%s"), line, column, message,
                          len > 0 && message[len - 1] == '.' ? "" : ".");
}

static void
problem (DlgPlanImport *import,
         DlgSeverity    severity,
         guint          line,
         const char    *message)
{
  DlgDiagnostic *d = dlg_diagnostic_new (severity, NULL, message);

  d->line = line;
  g_ptr_array_add (import->problems, d);
  if (severity == DLG_SEVERITY_ERROR)
    import->n_errors++;
}

static void
add_change (GPtrArray         *changes,
            guint              line,
            DlgAction         *action,
            const char        *title,
            DlgPlanChangeKind  kind,
            DlgActionField     field,
            Column             column,
            const char        *old_value,
            const char        *new_value)
{
  DlgPlanChange *change = g_new0 (DlgPlanChange, 1);

  change->line = line;
  change->action_id = g_strdup (dlg_action_get_id (action));
  change->action_title = g_strdup (title);
  change->kind = kind;
  change->field = field;
  change->column = g_strdup (column_names[column]);
  change->old_value = g_strdup (old_value);
  change->new_value = g_strdup (new_value);
  g_ptr_array_add (changes, change);
}

static gboolean
apply_change (DlgActionPlan  *plan,
              DlgPlanChange  *change,
              const char     *today,
              GError        **error)
{
  DlgAction *action = dlg_action_plan_lookup_action (plan, change->action_id);
  DlgActionStatus status;

  if (action == NULL)
    {
      g_set_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_STALE,
                   _("The action “%s” is no longer in the plan"), change->action_title);
      return FALSE;
    }

  switch (change->kind)
    {
    case DLG_PLAN_CHANGE_FIELD:
      return dlg_action_set_field (action, change->field, change->new_value, error);
    case DLG_PLAN_CHANGE_STATUS:
      dlg_action_status_from_string (change->new_value, &status);
      return dlg_action_set_status (action, status, error);
    case DLG_PLAN_CHANGE_NOTE:
      return dlg_action_add_note (action, today, change->new_value, error);
    default:
      g_return_val_if_reached (FALSE);
    }
}

static void
read_row (DlgPlanImport       *import,
          DlgActionPlan       *copy,
          const DlgCsvRecord  *record,
          const int           *columns,
          guint                n_header,
          GHashTable          *seen,
          const GDate         *today)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  g_auto(GStrv) exported = NULL;
  guint errors_before = import->n_errors;
  guint line = record->line;
  DlgAction *action;
  int id_cell = -1;

  import->n_rows++;

  if (record->n_cells != n_header)
    {
      g_autofree char *message =
        g_strdup_printf (_("Line %u has %u cells where the header has %u. A cell holding a comma or a line break may have lost its quotes."),
                         line, record->n_cells, n_header);
      problem (import, DLG_SEVERITY_ERROR, line, message);
      return;
    }

  for (guint c = 0; c < n_header; c++)
    if (columns[c] == COLUMN_ID)
      id_cell = c;
  id = cell_text (record->cells[id_cell]);
  g_strstrip (id);

  if (*id == '\0')
    {
      g_autofree char *message = g_strdup_printf (_("Line %u has no action id. Rows cannot add actions: add them in Diligence."), line);
      problem (import, DLG_SEVERITY_ERROR, line, message);
      return;
    }
  if (g_hash_table_contains (seen, id))
    {
      g_autofree char *message = g_strdup_printf (_("Line %u repeats the action of line %u."),
                                                  line, GPOINTER_TO_UINT (g_hash_table_lookup (seen, id)));
      problem (import, DLG_SEVERITY_ERROR, line, message);
      return;
    }
  g_hash_table_insert (seen, g_strdup (id), GUINT_TO_POINTER (line));

  action = dlg_action_plan_lookup_action (copy, id);
  if (action == NULL || dlg_action_get_disposition (action) != DLG_DISPOSITION_ACCEPTED)
    {
      g_autofree char *message = g_strdup_printf (_("Line %u: there is no action “%s” in this plan."), line, id);
      problem (import, DLG_SEVERITY_ERROR, line, message);
      return;
    }

  title = g_strdup (dlg_action_get_title (action));
  exported = export_row (action, NULL, NULL, NULL);

  /* Text fields first, then the status, then a new note: the order in
   * which apply does them too. */
  for (guint c = 0; c < n_header; c++)
    {
      int field;
      g_autofree char *value = NULL;
      g_autofree char *old = NULL;
      g_autoptr(GError) error = NULL;

      if (columns[c] < 0 || (field = column_field (columns[c])) < 0)
        continue;

      value = cell_text (record->cells[c]);
      if (field == DLG_ACTION_FIELD_START_DATE || field == DLG_ACTION_FIELD_DUE_DATE)
        {
          char *iso = NULL;

          if (!dlg_plan_csv_parse_date (value, &iso))
            {
              g_autofree char *message =
                g_strdup_printf (_("Line %u, %s: “%s” is not a date. Write it as 2026-03-31 or 31/03/2026."),
                                 line, column_names[columns[c]], value);
              problem (import, DLG_SEVERITY_ERROR, line, message);
              continue;
            }
          g_free (value);
          value = iso ? iso : g_strdup ("");
        }

      old = g_strdup (dlg_action_get_field (action, field));
      if (!dlg_action_set_field (action, field, value, &error))
        {
          g_autofree char *message = row_message (line, column_names[columns[c]], error->message);
          problem (import, DLG_SEVERITY_ERROR, line, message);
          continue;
        }
      if (g_strcmp0 (old, dlg_action_get_field (action, field)) != 0)
        add_change (changes, line, action, title, DLG_PLAN_CHANGE_FIELD, field, columns[c],
                    old, dlg_action_get_field (action, field));
    }

  for (guint c = 0; c < n_header; c++)
    {
      g_autofree char *value = NULL;
      g_autoptr(GError) error = NULL;
      DlgActionStatus old, status;

      if (columns[c] != COLUMN_STATUS)
        continue;

      value = cell_text (record->cells[c]);
      if (!dlg_plan_csv_parse_status (value, &status))
        {
          g_autofree char *message =
            g_strdup_printf (_("Line %u, status: “%s” is not a status. Use not_started, in_progress, done or verified."),
                             line, value);
          problem (import, DLG_SEVERITY_ERROR, line, message);
          continue;
        }

      old = dlg_action_get_status (action);
      if (!dlg_action_set_status (action, status, &error))
        {
          g_autofree char *message = row_message (line, "status", error->message);
          problem (import, DLG_SEVERITY_ERROR, line, message);
          continue;
        }
      if (old != status)
        add_change (changes, line, action, title, DLG_PLAN_CHANGE_STATUS, 0, COLUMN_STATUS,
                    dlg_action_status_to_string (old), dlg_action_status_to_string (status));
    }

  for (guint c = 0; c < n_header; c++)
    {
      g_autofree char *value = NULL;
      g_autoptr(GError) error = NULL;

      if (columns[c] != COLUMN_NEW_NOTE)
        continue;

      value = cell_text (record->cells[c]);
      g_strstrip (value);
      if (*value == '\0')
        continue;
      if (!dlg_action_add_note (action, import->today, value, &error))
        {
          g_autofree char *message = row_message (line, "new_note", error->message);
          problem (import, DLG_SEVERITY_ERROR, line, message);
          continue;
        }
      add_change (changes, line, action, title, DLG_PLAN_CHANGE_NOTE, 0, COLUMN_NEW_NOTE, NULL, value);
    }

  /* What cannot be changed here, and was, is said rather than silently
   * dropped. Not compared: the finding's text, which depends on the
   * language, and what changes by itself after the export (urgency with
   * the date, review state with the buyer's decisions). */
  for (guint c = 0; c < n_header; c++)
    {
      g_autofree char *value = NULL;

      if (columns[c] < 0 || !column_is_read_only (columns[c]) || columns[c] == COLUMN_ID ||
          columns[c] == COLUMN_FINDING_TEXT || columns[c] == COLUMN_URGENCY || columns[c] == COLUMN_REVIEW_STATE)
        continue;

      value = cell_text (record->cells[c]);
      if (g_strcmp0 (g_strstrip (value), g_strstrip (exported[columns[c]])) != 0)
        {
          g_autofree char *message =
            g_strdup_printf (_("Line %u: the column “%s” cannot be changed by an import; the change is ignored."),
                             line, column_names[columns[c]]);
          problem (import, DLG_SEVERITY_WARNING, line, message);
        }
    }

  if (import->n_errors == errors_before)
    g_ptr_array_extend_and_steal (import->changes, g_steal_pointer (&changes));
}

/**
 * dlg_plan_import_new:
 * @plan: the plan the sheet was exported from
 * @data: the sheet, as CSV
 * @today: the date new notes get
 * @error: a #GError
 *
 * Reads a sheet exported by dlg_action_plan_to_csv() and possibly edited,
 * and works out what it would change in @plan: text fields, dates, status
 * and new notes, by action id. @plan itself does not change. Rows with
 * problems are reported with their line number; a file that cannot be read
 * at all (not UTF-8, broken quotes, no "id" column) is an error.
 *
 * Returns: (transfer full): the import to preview and apply, or %NULL
 */
DlgPlanImport *
dlg_plan_import_new (DlgActionPlan  *plan,
                     const char     *data,
                     gsize           length,
                     const GDate    *today,
                     GError        **error)
{
  g_autoptr(DlgPlanImport) import = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(DlgActionPlan) copy = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GError) csv_error = NULL;
  g_autofree int *columns = NULL;
  DlgCsvRecord *header;
  gboolean has_id = FALSE;

  g_return_val_if_fail (DLG_IS_ACTION_PLAN (plan), NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  if (!(records = dlg_csv_parse (data, length, NULL, &csv_error)))
    {
      g_set_error_literal (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_FILE, csv_error->message);
      return NULL;
    }
  if (records->len == 0)
    {
      g_set_error_literal (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_FILE,
                           _("The file is empty."));
      return NULL;
    }

  import = g_new0 (DlgPlanImport, 1);
  import->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);
  import->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_diagnostic_free);
  import->base_revision = dlg_action_plan_get_revision (plan);
  import->today = dlg_date_format (today);

  /* Columns by name, in any order; names are compared without case or
   * surrounding spaces, as people retype them. */
  header = g_ptr_array_index (records, 0);
  columns = g_new (int, header->n_cells);
  for (guint c = 0; c < header->n_cells; c++)
    {
      g_autofree char *name = cell_text (header->cells[c]);
      g_autofree char *folded = g_ascii_strdown (g_strstrip (name), -1);

      columns[c] = -1;
      for (guint k = 0; k < N_COLUMNS; k++)
        if (strcmp (folded, column_names[k]) == 0)
          columns[c] = k;

      if (columns[c] < 0)
        {
          g_autofree char *message = g_strdup_printf (_("The column “%s” is not one of Diligence's; it is ignored."), name);
          problem (import, DLG_SEVERITY_WARNING, header->line, message);
          continue;
        }

      for (guint k = 0; k < c; k++)
        if (columns[k] == columns[c])
          {
            g_set_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_FILE,
                         _("The column “%s” appears twice in the header."), column_names[columns[c]]);
            return NULL;
          }
      has_id |= columns[c] == COLUMN_ID;
    }

  if (!has_id)
    {
      g_set_error_literal (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_FILE,
                           _("The first line must be the header row exported by Diligence, with an “id” column."));
      return NULL;
    }

  /* Changes are tried on a copy, so that every check the plan makes (dates,
   * addresses, status steps, a plan waiting for approval) is made here. */
  copy = dlg_action_plan_copy (plan);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 1; i < records->len; i++)
    read_row (import, copy, g_ptr_array_index (records, i), columns, header->n_cells, seen, today);

  return g_steal_pointer (&import);
}

/**
 * dlg_plan_import_get_changes:
 *
 * Returns: (transfer none) (element-type DlgPlanChange): what applying
 *   would change, row by row; only rows without errors are listed
 */
GPtrArray *
dlg_plan_import_get_changes (DlgPlanImport *import)
{
  g_return_val_if_fail (import != NULL, NULL);
  return import->changes;
}

/**
 * dlg_plan_import_get_problems:
 *
 * Returns: (transfer none) (element-type DlgDiagnostic): errors and
 *   warnings, each with its line
 */
GPtrArray *
dlg_plan_import_get_problems (DlgPlanImport *import)
{
  g_return_val_if_fail (import != NULL, NULL);
  return import->problems;
}

guint
dlg_plan_import_get_n_rows (DlgPlanImport *import)
{
  g_return_val_if_fail (import != NULL, 0);
  return import->n_rows;
}

gboolean
dlg_plan_import_has_errors (DlgPlanImport *import)
{
  g_return_val_if_fail (import != NULL, TRUE);
  return import->n_errors > 0;
}

static gboolean
apply_all (DlgPlanImport  *import,
           DlgActionPlan  *plan,
           GError        **error)
{
  for (guint i = 0; i < import->changes->len; i++)
    if (!apply_change (plan, g_ptr_array_index (import->changes, i), import->today, error))
      return FALSE;
  return TRUE;
}

/**
 * dlg_plan_import_apply:
 * @plan: the plan the import was read against
 *
 * Makes every change of the import, or none: refused if the import has
 * errors, or with %DLG_ACTION_PLAN_ERROR_STALE if @plan changed since it
 * was read.
 */
gboolean
dlg_plan_import_apply (DlgPlanImport  *import,
                       DlgActionPlan  *plan,
                       GError        **error)
{
  g_autoptr(DlgActionPlan) trial = NULL;

  g_return_val_if_fail (import != NULL, FALSE);
  g_return_val_if_fail (DLG_IS_ACTION_PLAN (plan), FALSE);

  if (import->n_errors > 0)
    {
      g_set_error (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_INVALID_FILE,
                   g_dngettext (GETTEXT_PACKAGE, "The file has %u error; nothing was imported.",
                                "The file has %u errors; nothing was imported.", import->n_errors),
                   import->n_errors);
      return FALSE;
    }
  if (dlg_action_plan_get_revision (plan) != import->base_revision)
    {
      g_set_error_literal (error, DLG_ACTION_PLAN_ERROR, DLG_ACTION_PLAN_ERROR_STALE,
                           _("The plan changed after the file was read. Import the file again."));
      return FALSE;
    }

  /* A rehearsal on a copy first: if anything fails there, the plan is
   * untouched. */
  trial = dlg_action_plan_copy (plan);
  if (!apply_all (import, trial, error))
    return FALSE;

  return apply_all (import, plan, error);
}
