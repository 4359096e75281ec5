/* dlg-csv.h - comma-separated values as spreadsheets write them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DLG_CSV_ERROR (dlg_csv_error_quark ())

typedef enum
{
  /* The bytes are not UTF-8 text (or contain a NUL byte). */
  DLG_CSV_ERROR_ENCODING,
  /* A quoted cell is not closed, or text follows its closing quote. */
  DLG_CSV_ERROR_SYNTAX,
  DLG_CSV_ERROR_TOO_LARGE,
} DlgCsvError;

/* Larger files are refused before parsing. */
#define DLG_CSV_MAX_SIZE (16 * 1024 * 1024)

typedef enum
{
  DLG_CSV_NONE           = 0,
  /* Prefix cells a spreadsheet would run as a formula with an apostrophe. */
  DLG_CSV_GUARD_FORMULAS = 1 << 0,
} DlgCsvFlags;

/**
 * DlgCsvRecord:
 * @line: the 1-based line of the file on which the record starts
 * @cells: (array length=n_cells): the cells, %NULL-terminated
 * @n_cells: how many cells
 */
typedef struct
{
  guint   line;
  char  **cells;
  guint   n_cells;
} DlgCsvRecord;

GQuark      dlg_csv_error_quark    (void);

GPtrArray  *dlg_csv_parse          (const char          *data,
                                    gsize                length,
                                    char                *out_delimiter,
                                    GError             **error);
void        dlg_csv_record_free    (DlgCsvRecord        *record);

void        dlg_csv_append_record  (GString             *out,
                                    const char * const  *cells,
                                    guint                n_cells,
                                    DlgCsvFlags          flags);

gboolean    dlg_csv_is_formula     (const char          *cell);
char       *dlg_csv_guard          (const char          *cell);
char       *dlg_csv_unguard        (const char          *cell);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlgCsvRecord, dlg_csv_record_free)

G_END_DECLS
