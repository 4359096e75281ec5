/* dlg-csv.c - comma-separated values as spreadsheets write them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writing follows RFC 4180: CRLF after each record, a cell quoted when it
 * holds the delimiter, a quote, a line break or surrounding spaces, quotes
 * doubled inside. Reading accepts what spreadsheets actually produce from
 * such a file: a UTF-8 byte-order mark, LF or CR line ends, and the
 * semicolon or tab that locales with a decimal comma (Belgium, France, the
 * Netherlands) use instead of the comma. It refuses what it cannot read
 * faithfully (another encoding, an unclosed quote) with the line number,
 * rather than guessing.
 *
 * Cells that start with = + - @ or a tab or carriage return are formulas
 * to a spreadsheet, and a formula in an exported file runs on the
 * recipient's computer (CSV injection). On export such cells get a leading
 * apostrophe, which spreadsheets show as text; on import that apostrophe is
 * taken off again.
 */

#define G_LOG_DOMAIN "dlg-csv"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dlg-csv.h"

G_DEFINE_QUARK (dlg-csv-error-quark, dlg_csv_error)

void
dlg_csv_record_free (DlgCsvRecord *record)
{
  if (record == NULL)
    return;
  g_strfreev (record->cells);
  g_free (record);
}

static guint
line_of (const char *data,
         const char *position)
{
  guint line = 1;

  for (const char *p = data; p < position; p++)
    if (*p == '\n' || (*p == '\r' && p[1] != '\n'))
      line++;
  return line;
}

static gboolean
check_encoding (const char  *data,
                gsize        length,
                GError     **error)
{
  const char *end = NULL;

  if (length >= 2 && (((guchar) data[0] == 0xff && (guchar) data[1] == 0xfe) ||
                      ((guchar) data[0] == 0xfe && (guchar) data[1] == 0xff)))
    {
      g_set_error_literal (error, DLG_CSV_ERROR, DLG_CSV_ERROR_ENCODING,
                           _("The file is UTF-16 text (“Unicode text”). Save it from your spreadsheet as “CSV UTF-8” and import it again."));
      return FALSE;
    }

  if (!g_utf8_validate_len (data, length, &end))
    {
      guint line = line_of (data, end);

      if (*end == '\0')
        g_set_error (error, DLG_CSV_ERROR, DLG_CSV_ERROR_ENCODING,
                     _("Line %u contains a NUL byte: this is not a text file."), line);
      else
        g_set_error (error, DLG_CSV_ERROR, DLG_CSV_ERROR_ENCODING,
                     _("Line %u is not UTF-8 text; the file was probably saved in another encoding. "
                       "Save it from your spreadsheet as “CSV UTF-8” and import it again."),
                     line);
      return FALSE;
    }

  return TRUE;
}

/* The delimiter is the one of comma, semicolon and tab that occurs most
 * often outside quotes on the first line: the header row, whose cells are
 * plain words. */
static char
detect_delimiter (const char *p,
                  const char *end)
{
  guint commas = 0, semicolons = 0, tabs = 0;
  gboolean quoted = FALSE;

  for (; p < end; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (quoted)
        continue;
      else if (*p == '\n' || *p == '\r')
        break;
      else if (*p == ',')
        commas++;
      else if (*p == ';')
        semicolons++;
      else if (*p == '\t')
        tabs++;
    }

  if (semicolons > commas && semicolons >= tabs)
    return ';';
  if (tabs > commas && tabs > semicolons)
    return '\t';
  return ',';
}

/**
 * dlg_csv_parse:
 * @data: the file's bytes
 * @length: their length
 * @out_delimiter: (out) (optional): the delimiter found
 * @error: a #GError
 *
 * Reads every record. Blank lines are skipped.
 *
 * Returns: (transfer full) (element-type DlgCsvRecord): the records, or
 *   %NULL with @error set
 */
GPtrArray *
dlg_csv_parse (const char  *data,
               gsize        length,
               char        *out_delimiter,
               GError     **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_csv_record_free);
  g_autoptr(GString) cell = g_string_new (NULL);
  const char *p, *end;
  guint line = 1;
  char delimiter;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length > DLG_CSV_MAX_SIZE)
    {
      g_set_error (error, DLG_CSV_ERROR, DLG_CSV_ERROR_TOO_LARGE,
                   _("The file is larger than %u MiB."), DLG_CSV_MAX_SIZE / (1024 * 1024));
      return NULL;
    }

  if (!check_encoding (data, length, error))
    return NULL;

  p = data;
  end = data + length;
  if (length >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    p += 3;

  delimiter = detect_delimiter (p, end);
  if (out_delimiter != NULL)
    *out_delimiter = delimiter;

  while (p < end)
    {
      g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
      guint record_line = line;
      gboolean any_quoted = FALSE;

      for (;;)
        {
          g_string_truncate (cell, 0);

          if (p < end && *p == '"')
            {
              guint quote_line = line;

              any_quoted = TRUE;
              p++;
              for (;;)
                {
                  if (p >= end)
                    {
                      g_set_error (error, DLG_CSV_ERROR, DLG_CSV_ERROR_SYNTAX,
                                   _("Line %u: a quoted cell is never closed. Check the quotes on that line."),
                                   quote_line);
                      return NULL;
                    }
                  if (*p == '"')
                    {
                      if (p + 1 < end && p[1] == '"')
                        {
                          g_string_append_c (cell, '"');
                          p += 2;
                          continue;
                        }
                      p++;
                      break;
                    }
                  if (*p == '\n' || (*p == '\r' && (p + 1 >= end || p[1] != '\n')))
                    line++;
                  g_string_append_c (cell, *p);
                  p++;
                }

              if (p < end && *p != delimiter && *p != '\n' && *p != '\r')
                {
                  g_set_error (error, DLG_CSV_ERROR, DLG_CSV_ERROR_SYNTAX,
                               _("Line %u: text follows the closing quote of a cell. A quote inside a cell must be doubled (\"\")."),
                               line);
                  return NULL;
                }
            }
          else
            {
              /* Unquoted: up to the delimiter or the end of the line. A
               * quote in the middle is kept as it is, as spreadsheets do. */
              while (p < end && *p != delimiter && *p != '\n' && *p != '\r')
                g_string_append_c (cell, *p++);
            }

          g_ptr_array_add (cells, g_strndup (cell->str, cell->len));

          if (p < end && *p == delimiter)
            {
              p++;
              continue;
            }
          break;
        }

      /* The end of the record: CRLF, LF, CR, or the end of the file. */
      if (p < end && *p == '\r')
        p++;
      if (p < end && *p == '\n')
        p++;
      line++;

      if (cells->len == 1 && !any_quoted && *(char *) g_ptr_array_index (cells, 0) == '\0')
        continue;

      {
        DlgCsvRecord *record = g_new0 (DlgCsvRecord, 1);

        record->line = record_line;
        record->n_cells = cells->len;
        g_ptr_array_add (cells, NULL);
        record->cells = (char **) g_ptr_array_free (g_steal_pointer (&cells), FALSE);
        g_ptr_array_add (records, record);
      }
    }

  return g_steal_pointer (&records);
}

/**
 * dlg_csv_is_formula:
 *
 * Returns: whether a spreadsheet would take @cell for a formula
 */
gboolean
dlg_csv_is_formula (const char *cell)
{
  return cell != NULL && cell[0] != '\0' && strchr ("=+-@\t\r", cell[0]) != NULL;
}

/**
 * dlg_csv_guard:
 *
 * Returns: (transfer full): @cell, with an apostrophe before it if a
 *   spreadsheet would take it for a formula, or if it starts with one
 */
char *
dlg_csv_guard (const char *cell)
{
  /* A cell that already starts with an apostrophe gets one more, so that
   * dlg_csv_unguard() gives back exactly what was guarded. */
  if (dlg_csv_is_formula (cell) || (cell != NULL && cell[0] == '\''))
    return g_strconcat ("'", cell, NULL);
  return g_strdup (cell ? cell : "");
}

/**
 * dlg_csv_unguard:
 *
 * Undoes dlg_csv_guard(): an apostrophe before what would be a formula, or
 * before another apostrophe, is taken off. Any other apostrophe is the
 * user's and stays.
 *
 * Returns: (transfer full): the cell's text
 */
char *
dlg_csv_unguard (const char *cell)
{
  if (cell != NULL && cell[0] == '\'' && (dlg_csv_is_formula (cell + 1) || cell[1] == '\''))
    return g_strdup (cell + 1);
  return g_strdup (cell ? cell : "");
}

static gboolean
needs_quotes (const char *cell)
{
  gsize len = strlen (cell);

  return strpbrk (cell, ",;\t\"\r\n") != NULL ||
         (len > 0 && (cell[0] == ' ' || cell[len - 1] == ' '));
}

/**
 * dlg_csv_append_record:
 * @out: where to write
 * @cells: (array length=n_cells): the cells; a %NULL cell is empty
 * @n_cells: how many
 * @flags: %DLG_CSV_GUARD_FORMULAS to neutralise formulas
 *
 * Appends one record, comma-separated and ended by CRLF. Cells holding a
 * semicolon or tab are quoted too, so the file reads the same in a
 * spreadsheet that guesses another delimiter.
 */
void
dlg_csv_append_record (GString            *out,
                       const char * const *cells,
                       guint               n_cells,
                       DlgCsvFlags         flags)
{
  for (guint i = 0; i < n_cells; i++)
    {
      g_autofree char *text = NULL;

      if (i > 0)
        g_string_append_c (out, ',');

      text = (flags & DLG_CSV_GUARD_FORMULAS) ? dlg_csv_guard (cells[i]) : g_strdup (cells[i] ? cells[i] : "");
      if (needs_quotes (text))
        {
          g_string_append_c (out, '"');
          for (const char *p = text; *p; p++)
            {
              if (*p == '"')
                g_string_append_c (out, '"');
              g_string_append_c (out, *p);
            }
          g_string_append_c (out, '"');
        }
      else
        g_string_append (out, text);
    }
  g_string_append (out, "\r\n");
}
