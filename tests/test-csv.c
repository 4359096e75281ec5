/* test-csv.c - reading and writing CSV as spreadsheets do, and bad files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "dlg-core.h"

static GPtrArray *
parse_ok (const char *text,
          char       *delimiter)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *records = dlg_csv_parse (text, strlen (text), delimiter, &error);

  g_assert_no_error (error);
  g_assert_nonnull (records);
  return records;
}

static DlgCsvRecord *
record (GPtrArray *records,
        guint      i)
{
  g_assert_cmpuint (i, <, records->len);
  return g_ptr_array_index (records, i);
}

static void
test_basic (void)
{
  g_autoptr(GPtrArray) r = NULL;
  char delimiter = 0;

  r = parse_ok ("id,title,status\r\n"
                "1,\"Fix, then check\",done\r\n"
                "2,\"He said \"\"no\"\"\",in_progress\r\n"
                "3,,\r\n", &delimiter);
  g_assert_cmpint (delimiter, ==, ',');
  g_assert_cmpuint (r->len, ==, 4);
  g_assert_cmpuint (record (r, 0)->n_cells, ==, 3);
  g_assert_cmpstr (record (r, 1)->cells[1], ==, "Fix, then check");
  g_assert_cmpstr (record (r, 2)->cells[1], ==, "He said \"no\"");
  g_assert_cmpuint (record (r, 3)->n_cells, ==, 3);
  g_assert_cmpstr (record (r, 3)->cells[1], ==, "");
  g_assert_cmpstr (record (r, 3)->cells[2], ==, "");
  g_assert_null (record (r, 3)->cells[3]);
  g_assert_cmpuint (record (r, 3)->line, ==, 4);
}

static void
test_line_breaks (void)
{
  g_autoptr(GPtrArray) r = NULL;

  /* LF, CRLF and CR line ends, line breaks inside quoted cells, a blank
   * line, no line end at the end: lines are counted as an editor shows
   * them. */
  r = parse_ok ("a,b\n"
                "\"one\ntwo\",x\r\n"
                "\"three\r\nfour\",y\r"
                "mac,w\r"
                "\r\n"
                "last,z", NULL);
  g_assert_cmpuint (r->len, ==, 5);
  g_assert_cmpstr (record (r, 1)->cells[0], ==, "one\ntwo");
  g_assert_cmpuint (record (r, 1)->line, ==, 2);
  g_assert_cmpstr (record (r, 2)->cells[0], ==, "three\r\nfour");
  g_assert_cmpuint (record (r, 2)->line, ==, 4);
  g_assert_cmpstr (record (r, 3)->cells[0], ==, "mac");
  g_assert_cmpuint (record (r, 3)->line, ==, 6);
  g_assert_cmpstr (record (r, 4)->cells[0], ==, "last");
  g_assert_cmpuint (record (r, 4)->line, ==, 8);
}

static void
test_bom_and_delimiters (void)
{
  g_autoptr(GPtrArray) semi = NULL;
  g_autoptr(GPtrArray) tab = NULL;
  g_autoptr(GPtrArray) quoted = NULL;
  char delimiter = 0;

  /* A spreadsheet in a Belgian locale: BOM and semicolons; the comma in a
   * cell is then an ordinary character. */
  semi = parse_ok ("\xef\xbb\xbfid;title\r\n7;Réduire, puis vérifier\r\n", &delimiter);
  g_assert_cmpint (delimiter, ==, ';');
  g_assert_cmpstr (record (semi, 0)->cells[0], ==, "id");
  g_assert_cmpstr (record (semi, 1)->cells[1], ==, "Réduire, puis vérifier");

  tab = parse_ok ("id\ttitle\n1\ta,b;c\n", &delimiter);
  g_assert_cmpint (delimiter, ==, '\t');
  g_assert_cmpstr (record (tab, 1)->cells[1], ==, "a,b;c");

  /* Delimiters inside quoted header cells do not count. */
  quoted = parse_ok ("\"a;b;c\",d\n1,2\n", &delimiter);
  g_assert_cmpint (delimiter, ==, ',');
  g_assert_cmpstr (record (quoted, 0)->cells[0], ==, "a;b;c");
}

static void
expect_error (const char  *data,
              gsize        length,
              DlgCsvError  code,
              const char  *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) r = dlg_csv_parse (data, length, NULL, &error);

  g_assert_null (r);
  g_assert_error (error, DLG_CSV_ERROR, (int) code);
  g_test_message ("%s", error->message);
  if (fragment != NULL)
    g_assert_nonnull (strstr (error->message, fragment));
}

static void
test_bad_files (void)
{
  const char latin1[] = "id,title\r\n1,ok\r\n2,caf\xe9\r\n";
  const char nul[] = "id,title\n1,a\0b\n";
  const char utf16[] = "\xff\xfei\0d\0";
  g_autofree char *huge = NULL;

  /* Another encoding (what "CSV" without "UTF-8" saves on Windows). */
  expect_error (latin1, sizeof latin1 - 1, DLG_CSV_ERROR_ENCODING, "Line 3");
  expect_error (nul, sizeof nul - 1, DLG_CSV_ERROR_ENCODING, "Line 2");
  expect_error (utf16, sizeof utf16 - 1, DLG_CSV_ERROR_ENCODING, "UTF-16");

  /* A quote never closed: the line where the cell started. */
  expect_error ("id,title\n1,ok\n2,\"never\nclosed,x\n3,y\n", strlen ("id,title\n1,ok\n2,\"never\nclosed,x\n3,y\n"),
                DLG_CSV_ERROR_SYNTAX, "Line 3");
  expect_error ("a,b\n\"x\"y,z\n", strlen ("a,b\n\"x\"y,z\n"), DLG_CSV_ERROR_SYNTAX, "Line 2");

  huge = g_strnfill (DLG_CSV_MAX_SIZE + 1, 'a');
  expect_error (huge, DLG_CSV_MAX_SIZE + 1, DLG_CSV_ERROR_TOO_LARGE, NULL);
}

static void
test_lenient (void)
{
  g_autoptr(GPtrArray) r = NULL;
  g_autoptr(GPtrArray) empty = NULL;

  /* A quote in the middle of an unquoted cell is kept, as spreadsheets
   * read it; an empty quoted cell is a record, an empty line is not. */
  r = parse_ok ("a,b\n5\" screen,x\n\"\"\n\n", NULL);
  g_assert_cmpuint (r->len, ==, 3);
  g_assert_cmpstr (record (r, 1)->cells[0], ==, "5\" screen");
  g_assert_cmpuint (record (r, 2)->n_cells, ==, 1);

  empty = parse_ok ("", NULL);
  g_assert_cmpuint (empty->len, ==, 0);
}

static void
test_write (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *cells[] = { "plain", "with,comma", "with \"quote\"", "two\nlines", " padded", NULL, "semi;colon" };

  dlg_csv_append_record (out, cells, G_N_ELEMENTS (cells), DLG_CSV_NONE);
  g_assert_cmpstr (out->str, ==,
                   "plain,\"with,comma\",\"with \"\"quote\"\"\",\"two\nlines\",\" padded\",,\"semi;colon\"\r\n");
}

static void
test_formulas (void)
{
  const char *dangerous[] = { "=1+1", "+32", "-2", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\",\"y\")" };
  const char *safe[] = { "", "1", "a=b", "2026-03-31", "'quoted", "''", "'=x" };

  for (guint i = 0; i < G_N_ELEMENTS (dangerous); i++)
    {
      g_autofree char *guarded = dlg_csv_guard (dangerous[i]);
      g_autofree char *back = dlg_csv_unguard (guarded);

      g_assert_true (dlg_csv_is_formula (dangerous[i]));
      g_assert_cmpint (guarded[0], ==, '\'');
      g_assert_false (dlg_csv_is_formula (guarded));
      g_assert_cmpstr (back, ==, dangerous[i]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (safe); i++)
    {
      g_autofree char *guarded = dlg_csv_guard (safe[i]);
      g_autofree char *back = dlg_csv_unguard (guarded);

      g_assert_false (dlg_csv_is_formula (guarded));
      g_assert_cmpstr (back, ==, safe[i]);
    }

  /* An apostrophe the user typed before ordinary text is theirs. */
  {
    g_autofree char *typed = dlg_csv_unguard ("'tis");
    g_assert_cmpstr (typed, ==, "'tis");
  }
}

/* Whatever is written comes back identical, delimiter guessing included:
 * random cells from an alphabet of everything that needs care. */
static void
test_round_trip (void)
{
  static const char * const pieces[] = {
    ",", ";", "\t", "\"", "\"\"", "\n", "\r\n", "\r", " ", "=", "+", "-", "@", "'",
    "a", "Łódź", "日本", "€", "x y", "1", "",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260331);

  for (guint iteration = 0; iteration < 300; iteration++)
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
      g_autoptr(GPtrArray) back = NULL;
      g_autoptr(GError) error = NULL;
      guint n_cells = g_rand_int_range (rand, 1, 6);
      guint n_records = g_rand_int_range (rand, 1, 5);
      const char *header[] = { "h0", "h1", "h2", "h3", "h4", "h5" };

      /* A header of plain words, as the action plan export writes. */
      dlg_csv_append_record (out, header, n_cells, DLG_CSV_NONE);
      for (guint r = 0; r < n_records; r++)
        {
          char **cells = g_new0 (char *, n_cells + 1);

          for (guint c = 0; c < n_cells; c++)
            {
              g_autoptr(GString) cell = g_string_new (NULL);
              guint n = g_rand_int_range (rand, 0, 5);

              for (guint k = 0; k < n; k++)
                g_string_append (cell, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
              cells[c] = g_strdup (cell->str);
            }
          /* A record of one empty cell is a blank line: not written. */
          if (n_cells == 1 && *cells[0] == '\0')
            {
              g_free (cells[0]);
              cells[0] = g_strdup ("x");
            }
          dlg_csv_append_record (out, (const char * const *) cells, n_cells, DLG_CSV_GUARD_FORMULAS);
          g_ptr_array_add (expected, cells);
        }

      back = dlg_csv_parse (out->str, out->len, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (back->len, ==, n_records + 1);
      for (guint r = 0; r < n_records; r++)
        {
          DlgCsvRecord *rec = g_ptr_array_index (back, r + 1);
          char **cells = g_ptr_array_index (expected, r);

          g_assert_cmpuint (rec->n_cells, ==, n_cells);
          for (guint c = 0; c < n_cells; c++)
            {
              g_autofree char *text = dlg_csv_unguard (rec->cells[c]);
              g_assert_cmpstr (text, ==, cells[c]);
            }
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/basic", test_basic);
  g_test_add_func ("/csv/line-breaks", test_line_breaks);
  g_test_add_func ("/csv/bom-and-delimiters", test_bom_and_delimiters);
  g_test_add_func ("/csv/bad-files", test_bad_files);
  g_test_add_func ("/csv/lenient", test_lenient);
  g_test_add_func ("/csv/write", test_write);
  g_test_add_func ("/csv/formulas", test_formulas);
  g_test_add_func ("/csv/round-trip", test_round_trip);

  return g_test_run ();
}
