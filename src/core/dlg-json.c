/* dlg-json.c - strict JSON reading for files from strangers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * json-glib's parser is forgiving in ways that matter for documents that are
 * compared, signed and scored: it keeps the last of two duplicate keys, has no
 * bound on nesting, and reports positions loosely. This reader builds the same
 * JsonNode trees but refuses anything a strict RFC 8259 reader would refuse,
 * and says where.
 */

#define G_LOG_DOMAIN "dlg-json"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <errno.h>

#include "dlg-json.h"

G_DEFINE_QUARK (dlg-json-error-quark, dlg_json_error)

typedef struct
{
  const char *data;
  const char *end;
  const char *p;
  const char *line_start;
  guint       line;
  guint       depth;
  GError     *error;
  const char *error_at;
} Reader;

static void reader_fail (Reader     *r,
                         const char *at,
                         int         code,
                         const char *format,
                         ...) G_GNUC_PRINTF (4, 5);

static void
reader_fail (Reader     *r,
             const char *at,
             int         code,
             const char *format,
             ...)
{
  va_list args;

  if (r->error != NULL)
    return;

  va_start (args, format);
  r->error = g_error_new_valist (DLG_JSON_ERROR, code, format, args);
  va_end (args);
  r->error_at = at;
}

static void
skip_whitespace (Reader *r)
{
  while (r->p < r->end)
    {
      char c = *r->p;

      if (c == '\n')
        {
          r->line++;
          r->line_start = r->p + 1;
        }
      else if (c != ' ' && c != '\t' && c != '\r')
        return;

      r->p++;
    }
}

static const char *
describe_char (char   c,
               char   buf[16])
{
  if (c >= 0x21 && c < 0x7f)
    g_snprintf (buf, 16, "“%c”", c);
  else if (c == ' ')
    g_strlcpy (buf, "a space", 16);
  else
    g_snprintf (buf, 16, "byte 0x%02x", (guchar) c);
  return buf;
}

static JsonNode *parse_value (Reader *r);

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (Reader  *r,
           guint32 *out)
{
  guint32 v = 0;

  if (r->end - r->p < 4)
    {
      reader_fail (r, r->p, DLG_JSON_ERROR_SYNTAX, _("Incomplete \\u escape"));
      return FALSE;
    }

  for (guint i = 0; i < 4; i++)
    {
      int h = hex_value (r->p[i]);

      if (h < 0)
        {
          reader_fail (r, r->p + i, DLG_JSON_ERROR_SYNTAX,
                       _("Invalid hexadecimal digit in \\u escape"));
          return FALSE;
        }
      v = (v << 4) | (guint32) h;
    }

  r->p += 4;
  *out = v;
  return TRUE;
}

/* Returns a newly allocated, valid UTF-8 string without NUL characters. */
static char *
parse_string (Reader *r)
{
  GString *s;
  const char *start;

  g_assert (*r->p == '"');
  r->p++;

  /* Fast path: most strings have no escapes. */
  start = r->p;
  while (r->p < r->end && *r->p != '"' && *r->p != '\\' && (guchar) *r->p >= 0x20)
    r->p++;
  if (r->p < r->end && *r->p == '"')
    {
      char *ret = g_strndup (start, r->p - start);
      r->p++;
      return ret;
    }

  s = g_string_new_len (start, r->p - start);

  while (r->p < r->end)
    {
      char c = *r->p;

      if (c == '"')
        {
          r->p++;
          return g_string_free (s, FALSE);
        }
      else if (c == '\\')
        {
          r->p++;
          if (r->p >= r->end)
            break;

          switch (*r->p++)
            {
            case '"': g_string_append_c (s, '"'); break;
            case '\\': g_string_append_c (s, '\\'); break;
            case '/': g_string_append_c (s, '/'); break;
            case 'b': g_string_append_c (s, '\b'); break;
            case 'f': g_string_append_c (s, '\f'); break;
            case 'n': g_string_append_c (s, '\n'); break;
            case 'r': g_string_append_c (s, '\r'); break;
            case 't': g_string_append_c (s, '\t'); break;
            case 'u':
              {
                const char *esc = r->p - 2;
                guint32 cp;

                if (!read_hex4 (r, &cp))
                  goto fail;

                if (cp >= 0xD800 && cp <= 0xDBFF)
                  {
                    guint32 low;

                    if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u')
                      {
                        reader_fail (r, esc, DLG_JSON_ERROR_ENCODING,
                                     _("Unpaired UTF-16 surrogate in \\u escape"));
                        goto fail;
                      }
                    r->p += 2;
                    if (!read_hex4 (r, &low))
                      goto fail;
                    if (low < 0xDC00 || low > 0xDFFF)
                      {
                        reader_fail (r, esc, DLG_JSON_ERROR_ENCODING,
                                     _("Unpaired UTF-16 surrogate in \\u escape"));
                        goto fail;
                      }
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                  }
                else if (cp >= 0xDC00 && cp <= 0xDFFF)
                  {
                    reader_fail (r, esc, DLG_JSON_ERROR_ENCODING,
                                 _("Unpaired UTF-16 surrogate in \\u escape"));
                    goto fail;
                  }
                else if (cp == 0)
                  {
                    /* Our strings are C strings: a NUL would silently cut them. */
                    reader_fail (r, esc, DLG_JSON_ERROR_ENCODING,
                                 _("Strings must not contain NUL characters (\\u0000)"));
                    goto fail;
                  }

                g_string_append_unichar (s, cp);
              }
              break;
            default:
              {
                char buf[16];

                reader_fail (r, r->p - 1, DLG_JSON_ERROR_SYNTAX,
                             _("Invalid escape sequence “\\%s” in string"),
                             describe_char (r->p[-1], buf));
                goto fail;
              }
            }
        }
      else if ((guchar) c < 0x20)
        {
          reader_fail (r, r->p, DLG_JSON_ERROR_SYNTAX,
                       c == '\n' ? _("Line break inside a string (missing closing quote?)")
                                 : _("Control character inside a string must be escaped"));
          goto fail;
        }
      else
        {
          g_string_append_c (s, c);
          r->p++;
        }
    }

  reader_fail (r, r->p, DLG_JSON_ERROR_SYNTAX, _("Unterminated string"));

fail:
  g_string_free (s, TRUE);
  return NULL;
}

static JsonNode *
parse_number (Reader *r)
{
  const char *start = r->p;
  gboolean is_integer = TRUE;
  JsonNode *node;
  char buf[64];
  gsize len;

  if (*r->p == '-')
    r->p++;

  if (r->p < r->end && *r->p == '0')
    r->p++;
  else if (r->p < r->end && *r->p >= '1' && *r->p <= '9')
    while (r->p < r->end && g_ascii_isdigit (*r->p))
      r->p++;
  else
    {
      reader_fail (r, r->p, DLG_JSON_ERROR_SYNTAX, _("Invalid number"));
      return NULL;
    }

  if (r->p < r->end && *r->p == '.')
    {
      is_integer = FALSE;
      r->p++;
      if (r->p >= r->end || !g_ascii_isdigit (*r->p))
        {
          reader_fail (r, r->p, DLG_JSON_ERROR_SYNTAX, _("Invalid number: digits expected after “.”"));
          return NULL;
        }
      while (r->p < r->end && g_ascii_isdigit (*r->p))
        r->p++;
    }

  if (r->p < r->end && (*r->p == 'e' || *r->p == 'E'))
    {
      is_integer = FALSE;
      r->p++;
      if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
        r->p++;
      if (r->p >= r->end || !g_ascii_isdigit (*r->p))
        {
          reader_fail (r, r->p, DLG_JSON_ERROR_SYNTAX, _("Invalid number: digits expected in exponent"));
          return NULL;
        }
      while (r->p < r->end && g_ascii_isdigit (*r->p))
        r->p++;
    }

  len = r->p - start;
  if (len >= sizeof buf)
    {
      /* No meaningful number needs that many characters. */
      reader_fail (r, start, DLG_JSON_ERROR_SYNTAX, _("Number is too long"));
      return NULL;
    }
  memcpy (buf, start, len);
  buf[len] = '\0';

  node = json_node_alloc ();
  if (is_integer)
    {
      gint64 v;

      errno = 0;
      v = g_ascii_strtoll (buf, NULL, 10);
      if (errno == 0)
        return json_node_init_int (node, v);
    }

  {
    double d;

    errno = 0;
    d = g_ascii_strtod (buf, NULL);
    if (errno == ERANGE && (d > 1.0 || d < -1.0))
      {
        json_node_unref (json_node_init_null (node));
        reader_fail (r, start, DLG_JSON_ERROR_SYNTAX, _("Number is out of range"));
        return NULL;
      }
    return json_node_init_double (node, d);
  }
}

static gboolean
expect_literal (Reader     *r,
                const char *word)
{
  gsize len = strlen (word);

  if ((gsize) (r->end - r->p) >= len && memcmp (r->p, word, len) == 0)
    {
      r->p += len;
      return TRUE;
    }
  return FALSE;
}

static JsonNode *
parse_object (Reader *r)
{
  g_autoptr(JsonObject) object = json_object_new ();

  g_assert (*r->p == '{');
  r->p++;

  skip_whitespace (r);
  if (r->p < r->end && *r->p == '}')
    {
      r->p++;
      return json_node_init_object (json_node_alloc (), object);
    }

  for (;;)
    {
      g_autofree char *key = NULL;
      const char *key_at;
      JsonNode *value;

      skip_whitespace (r);
      if (r->p >= r->end)
        {
          reader_fail (r, r->p, DLG_JSON_ERROR_SYNTAX, _("Unexpected end of file in object"));
          return NULL;
        }
      if (*r->p != '"')
        {
          char buf[16];

          reader_fail (r, r->p, DLG_JSON_ERROR_SYNTAX,
                       *r->p == '}' ? _("Trailing comma before “}”")
                                    : _("Expected a member name in double quotes, found %s"),
                       describe_char (*r->p, buf));
          return NULL;
        }

      key_at = r->p;
      if (!(key = parse_string (r)))
        return NULL;

      if (json_object_has_member (object, key))
        {
          reader_fail (r, key_at, DLG_JSON_ERROR_DUPLICATE_KEY,
                       _("Duplicate member “%s” in object"), key);
          return NULL;
        }

      skip_whitespace (r);
      if (r->p >= r->end || *r->p != ':')
        {
          reader_fail (r, r->p, DLG_JSON_ERROR_SYNTAX,
                       _("Expected “:” after member name “%s”"), key);
          return NULL;
        }
      r->p++;

      if (!(value = parse_value (r)))
        return NULL;

      json_object_set_member (object, key, value);

      skip_whitespace (r);
      if (r->p < r->end && *r->p == ',')
        {
          r->p++;
          continue;
        }
      if (r->p < r->end && *r->p == '}')
        {
          r->p++;
          return json_node_init_object (json_node_alloc (), object);
        }

      reader_fail (r, r->p, DLG_JSON_ERROR_SYNTAX,
                   r->p >= r->end ? _("Unexpected end of file in object")
                                  : _("Expected “,” or “}” after object member"));
      return NULL;
    }
}

static JsonNode *
parse_array (Reader *r)
{
  g_autoptr(JsonArray) array = json_array_new ();

  g_assert (*r->p == '[');
  r->p++;

  skip_whitespace (r);
  if (r->p < r->end && *r->p == ']')
    {
      r->p++;
      return json_node_init_array (json_node_alloc (), array);
    }

  for (;;)
    {
      JsonNode *value;

      skip_whitespace (r);
      if (r->p < r->end && *r->p == ']')
        {
          reader_fail (r, r->p, DLG_JSON_ERROR_SYNTAX, _("Trailing comma before “]”"));
          return NULL;
        }

      if (!(value = parse_value (r)))
        return NULL;
      json_array_add_element (array, value);

      skip_whitespace (r);
      if (r->p < r->end && *r->p == ',')
        {
          r->p++;
          continue;
        }
      if (r->p < r->end && *r->p == ']')
        {
          r->p++;
          return json_node_init_array (json_node_alloc (), array);
        }

      reader_fail (r, r->p, DLG_JSON_ERROR_SYNTAX,
                   r->p >= r->end ? _("Unexpected end of file in array")
                                  : _("Expected “,” or “]” after array element"));
      return NULL;
    }
}

static JsonNode *
parse_value (Reader *r)
{
  JsonNode *ret = NULL;
  char buf[16];

  skip_whitespace (r);

  if (r->p >= r->end)
    {
      reader_fail (r, r->p, DLG_JSON_ERROR_SYNTAX, _("Unexpected end of file, a value was expected"));
      return NULL;
    }

  switch (*r->p)
    {
    case '{':
    case '[':
      if (++r->depth > DLG_JSON_MAX_DEPTH)
        {
          reader_fail (r, r->p, DLG_JSON_ERROR_DEPTH,
                       _("Nesting is deeper than %d levels"), DLG_JSON_MAX_DEPTH);
          return NULL;
        }
      ret = *r->p == '{' ? parse_object (r) : parse_array (r);
      r->depth--;
      return ret;

    case '"':
      {
        char *str = parse_string (r);

        if (str == NULL)
          return NULL;
        ret = json_node_init_string (json_node_alloc (), str);
        g_free (str);
        return ret;
      }

    case 't':
      if (expect_literal (r, "true"))
        return json_node_init_boolean (json_node_alloc (), TRUE);
      break;

    case 'f':
      if (expect_literal (r, "false"))
        return json_node_init_boolean (json_node_alloc (), FALSE);
      break;

    case 'n':
      if (expect_literal (r, "null"))
        return json_node_init_null (json_node_alloc ());
      break;

    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return parse_number (r);

    default:
      break;
    }

  reader_fail (r, r->p, DLG_JSON_ERROR_SYNTAX, _("Unexpected %s, a value was expected"),
               describe_char (*r->p, buf));
  return NULL;
}

static void
position_of (const char *data,
             const char *end,
             const char *at,
             guint      *line,
             guint      *column)
{
  const char *line_start = data;
  guint l = 1;
  guint col = 1;

  for (const char *p = data; p < at && p < end; p++)
    if (*p == '\n')
      {
        l++;
        line_start = p + 1;
      }

  /* Columns count characters, not bytes, as editors do. */
  for (const char *p = line_start; p < at && p < end; p++)
    if (((guchar) *p & 0xC0) != 0x80)
      col++;

  *line = l;
  *column = col;
}

/**
 * dlg_json_parse:
 * @data: the document
 * @length: its length in bytes
 * @error_line: (out) (optional): the 1-based line of the error
 * @error_column: (out) (optional): the 1-based column, in characters, of the error
 * @error: a #GError
 *
 * Parses a complete JSON document strictly: valid UTF-8, no duplicate
 * member names, no NUL characters, at most %DLG_JSON_MAX_DEPTH levels of
 * nesting, nothing but whitespace after the value. A leading UTF-8 byte
 * order mark is accepted, as some editors write one.
 *
 * Returns: (transfer full): the root node, or %NULL with @error set
 */
JsonNode *
dlg_json_parse (const char  *data,
                gsize        length,
                guint       *error_line,
                guint       *error_column,
                GError     **error)
{
  Reader r = { 0 };
  const char *invalid = NULL;
  JsonNode *root;
  guint line = 0, column = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (error_line)
    *error_line = 0;
  if (error_column)
    *error_column = 0;

  if (length > DLG_JSON_MAX_SIZE)
    {
      g_set_error (error, DLG_JSON_ERROR, DLG_JSON_ERROR_TOO_LARGE,
                   _("The file is larger than %d MiB"), DLG_JSON_MAX_SIZE / (1024 * 1024));
      return NULL;
    }

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }

  r.data = r.p = r.line_start = data;
  r.end = data + length;
  r.line = 1;

  if (!g_utf8_validate_len (data, length, &invalid))
    {
      if (memchr (data, '\0', invalid - data + 1) == invalid)
        reader_fail (&r, invalid, DLG_JSON_ERROR_ENCODING, _("The file contains a NUL byte"));
      else
        reader_fail (&r, invalid, DLG_JSON_ERROR_ENCODING, _("The file is not valid UTF-8"));
      root = NULL;
    }
  else
    {
      skip_whitespace (&r);
      if (r.p >= r.end)
        reader_fail (&r, r.p, DLG_JSON_ERROR_SYNTAX, _("The file is empty"));
      root = r.error ? NULL : parse_value (&r);
      if (root != NULL)
        {
          skip_whitespace (&r);
          if (r.p < r.end)
            {
              reader_fail (&r, r.p, DLG_JSON_ERROR_SYNTAX,
                           _("Unexpected text after the end of the document"));
              g_clear_pointer (&root, json_node_unref);
            }
        }
    }

  if (r.error != NULL)
    {
      g_assert (root == NULL);
      position_of (data, r.end, r.error_at, &line, &column);
      if (error_line)
        *error_line = line;
      if (error_column)
        *error_column = column;
      g_propagate_error (error, r.error);
      return NULL;
    }

  return root;
}

/**
 * dlg_json_pointer_escape:
 * @token: a member name
 *
 * Escapes @token for use in an RFC 6901 JSON Pointer.
 *
 * Returns: (transfer full): the escaped token
 */
char *
dlg_json_pointer_escape (const char *token)
{
  GString *s = g_string_new (NULL);

  for (const char *p = token; *p; p++)
    {
      if (*p == '~')
        g_string_append (s, "~0");
      else if (*p == '/')
        g_string_append (s, "~1");
      else
        g_string_append_c (s, *p);
    }

  return g_string_free (s, FALSE);
}

/**
 * dlg_json_write_file:
 * @node: a JSON node
 * @path: where to write
 * @error: a #GError
 *
 * Writes @node, pretty-printed, atomically and durably: readers see the old
 * file or the new one, never a part, even after a crash.
 *
 * Returns: %TRUE on success
 */
gboolean
dlg_json_write_file (JsonNode    *node,
                     const char  *path,
                     GError     **error)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;
  gsize len;

  json_generator_set_root (gen, node);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  text = json_generator_to_data (gen, &len);

  return g_file_set_contents_full (path, text, len,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0644, error);
}
