/* test-json.c - the strict JSON reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "dlg-core.h"

static JsonNode *
parse (const char  *text,
       guint       *line,
       guint       *column,
       GError     **error)
{
  return dlg_json_parse (text, strlen (text), line, column, error);
}

static void
test_json_values (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o;
  JsonArray *a;

  node = parse ("\xEF\xBB\xBF { \"s\": \"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\n\", \"i\": -42,"
                " \"d\": 2.5e1, \"t\": true, \"f\": false, \"n\": null, \"a\": [1, [], {}],"
                " \"big\": 123456789012345678901234567890 }",
                NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  o = json_node_get_object (node);

  g_assert_cmpstr (json_object_get_string_member (o, "s"), ==, "café 😀 \"q\" \n");
  g_assert_cmpint (json_object_get_int_member (o, "i"), ==, -42);
  g_assert_cmpfloat (json_object_get_double_member (o, "d"), ==, 25.0);
  g_assert_true (json_object_get_boolean_member (o, "t"));
  g_assert_false (json_object_get_boolean_member (o, "f"));
  g_assert_true (json_object_get_null_member (o, "n"));
  a = json_object_get_array_member (o, "a");
  g_assert_cmpuint (json_array_get_length (a), ==, 3);
  /* Integers too large for 64 bits become doubles rather than errors. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "big"), 1.2345678901234568e29, 1e15);
}

typedef struct
{
  const char *input;
  gsize       length;   /* 0: strlen */
  int         code;
  guint       line;
  guint       column;
  const char *message;
} BadCase;

static void
test_json_errors (void)
{
  static const BadCase cases[] = {
    { "", 0, DLG_JSON_ERROR_SYNTAX, 1, 1, "empty" },
    { "{", 0, DLG_JSON_ERROR_SYNTAX, 1, 2, "end of file" },
    { "{\"a\":1,}", 0, DLG_JSON_ERROR_SYNTAX, 1, 8, "Trailing comma" },
    { "[1,]", 0, DLG_JSON_ERROR_SYNTAX, 1, 4, "Trailing comma" },
    { "{\"a\":1,\n \"a\":2}", 0, DLG_JSON_ERROR_DUPLICATE_KEY, 2, 2, "Duplicate member “a”" },
    { "{'a':1}", 0, DLG_JSON_ERROR_SYNTAX, 1, 2, "double quotes" },
    { "[01]", 0, DLG_JSON_ERROR_SYNTAX, 1, 3, "Expected “,” or “]”" },
    { "[1.]", 0, DLG_JSON_ERROR_SYNTAX, 1, 4, "digits expected" },
    { "[-]", 0, DLG_JSON_ERROR_SYNTAX, 1, 3, "Invalid number" },
    { "[1e]", 0, DLG_JSON_ERROR_SYNTAX, 1, 4, "exponent" },
    { "[NaN]", 0, DLG_JSON_ERROR_SYNTAX, 1, 2, "Unexpected “N”" },
    { "[tru]", 0, DLG_JSON_ERROR_SYNTAX, 1, 2, "Unexpected “t”" },
    { "\"a\nb\"", 0, DLG_JSON_ERROR_SYNTAX, 1, 3, "Line break inside a string" },
    { "\"a\\x\"", 0, DLG_JSON_ERROR_SYNTAX, 1, 4, "Invalid escape" },
    { "\"\\u12G4\"", 0, DLG_JSON_ERROR_SYNTAX, 1, 6, "hexadecimal" },
    { "\"\\udc00\"", 0, DLG_JSON_ERROR_ENCODING, 1, 2, "surrogate" },
    { "\"\\u0000\"", 0, DLG_JSON_ERROR_ENCODING, 1, 2, "NUL" },
    { "[\"a\0\"]", 6, DLG_JSON_ERROR_ENCODING, 1, 4, "NUL byte" },
    { "[\"\xC3\x28\"]", 0, DLG_JSON_ERROR_ENCODING, 1, 3, "UTF-8" },
    { "{} x", 0, DLG_JSON_ERROR_SYNTAX, 1, 4, "after the end" },
    { "[1e400]", 0, DLG_JSON_ERROR_SYNTAX, 1, 2, "out of range" },
    { "\n\n   @", 0, DLG_JSON_ERROR_SYNTAX, 3, 4, "Unexpected “@”" },
    { "[\"é\", @]", 0, DLG_JSON_ERROR_SYNTAX, 1, 7, "Unexpected “@”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;
      gsize length = cases[i].length ? cases[i].length : strlen (cases[i].input);
      guint line = 0, column = 0;

      node = dlg_json_parse (cases[i].input, length, &line, &column, &error);
      g_test_message ("case %u: %s", i, error ? error->message : "(none)");
      g_assert_null (node);
      g_assert_error (error, DLG_JSON_ERROR, cases[i].code);
      g_assert_cmpuint (line, ==, cases[i].line);
      g_assert_cmpuint (column, ==, cases[i].column);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
}

static void
test_json_depth (void)
{
  g_autoptr(GString) ok = g_string_new (NULL);
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *huge = NULL;

  for (guint i = 0; i < DLG_JSON_MAX_DEPTH; i++)
    g_string_append_c (ok, '[');
  for (guint i = 0; i < DLG_JSON_MAX_DEPTH; i++)
    g_string_append_c (ok, ']');
  node = dlg_json_parse (ok->str, ok->len, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);

  /* A million open brackets must neither crash nor take long. */
  huge = g_strnfill (1000000, '[');
  g_clear_pointer (&node, json_node_unref);
  node = dlg_json_parse (huge, strlen (huge), NULL, NULL, &error);
  g_assert_error (error, DLG_JSON_ERROR, DLG_JSON_ERROR_DEPTH);
  g_assert_null (node);
  g_clear_error (&error);

  for (guint i = 0; i < DLG_JSON_MAX_DEPTH + 1; i++)
    g_string_append (deep, "{\"a\":");
  node = dlg_json_parse (deep->str, deep->len, NULL, NULL, &error);
  g_assert_error (error, DLG_JSON_ERROR, DLG_JSON_ERROR_DEPTH);
}

static void
test_json_pointer_escape (void)
{
  g_autofree char *a = dlg_json_pointer_escape ("a/b~c");
  g_autofree char *b = dlg_json_pointer_escape ("");

  g_assert_cmpstr (a, ==, "a~1b~0c");
  g_assert_cmpstr (b, ==, "");
}

static void
test_json_write_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dlg-json-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "out.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ro_path = NULL;

  node = parse ("{\"a\": [1, \"é\"]}", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dlg_json_write_file (node, path, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  back = parse (contents, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (node, back));

  /* Writing where it cannot must fail cleanly, not half-write. */
  ro_path = g_build_filename (dir, "missing-dir", "out.json", NULL);
  g_assert_false (dlg_json_write_file (node, ro_path, &error));
  g_assert_nonnull (error);

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json/values", test_json_values);
  g_test_add_func ("/json/errors", test_json_errors);
  g_test_add_func ("/json/depth", test_json_depth);
  g_test_add_func ("/json/pointer-escape", test_json_pointer_escape);
  g_test_add_func ("/json/write-file", test_json_write_file);

  return g_test_run ();
}
