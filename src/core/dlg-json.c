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
#include <sys/mman.h>

#include "dlg-json.h"

G_DEFINE_QUARK (dlg-json-error-quark, dlg_json_error)

/* ------------------------------------------------------------------------ */
/* The arena                                                                */
/* ------------------------------------------------------------------------ */

#define LARGE_BLOCK (1024 * 1024)

typedef struct _Block Block;

struct _Block
{
  Block *next;
  gsize  used;
  gsize  size;
  gboolean mapped;
  /* Keeps data[] aligned for doubles and pointers. */
  double data[];
};

struct _DlgJsonDoc
{
  gatomicrefcount  ref_count;
  Block           *blocks;
  gsize            block_size;
  DlgJsonValue    *root;
};

static gpointer
arena_alloc (DlgJsonDoc *doc,
             gsize       size)
{
  Block *b = doc->blocks;
  gpointer ret;

  size = (size + 7) & ~(gsize) 7;

  if (b == NULL || b->size - b->used < size)
    {
      gsize block_size = MAX (doc->block_size, size);
      gboolean mapped = FALSE;

#ifdef MAP_POPULATE
      /* Large blocks are mapped with their pages already in place: one
       * system call instead of a page fault every 4 KiB, which is most of
       * the cost of reading a large file otherwise. */
      if (block_size >= LARGE_BLOCK)
        {
          b = mmap (NULL, sizeof (Block) + block_size, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
          mapped = b != MAP_FAILED;
        }
#endif
      if (!mapped)
        b = g_malloc (sizeof (Block) + block_size);
      b->mapped = mapped;
      b->size = block_size;
      b->used = 0;
      b->next = doc->blocks;
      doc->blocks = b;
    }

  ret = (char *) b->data + b->used;
  b->used += size;
  return ret;
}

DlgJsonDoc *
dlg_json_doc_ref (DlgJsonDoc *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);
  g_atomic_ref_count_inc (&doc->ref_count);
  return doc;
}

void
dlg_json_doc_unref (DlgJsonDoc *doc)
{
  g_return_if_fail (doc != NULL);

  if (g_atomic_ref_count_dec (&doc->ref_count))
    {
      while (doc->blocks != NULL)
        {
          Block *next = doc->blocks->next;

          if (doc->blocks->mapped)
            munmap (doc->blocks, sizeof (Block) + doc->blocks->size);
          else
            g_free (doc->blocks);
          doc->blocks = next;
        }
      g_free (doc);
    }
}

/**
 * dlg_json_doc_alloc:
 *
 * Allocates @size bytes, 8-byte aligned, that live as long as @doc. Models
 * built from a document keep their small parts here.
 *
 * Returns: (transfer none): the memory, not cleared
 */
gpointer
dlg_json_doc_alloc (DlgJsonDoc *doc,
                    gsize       size)
{
  return arena_alloc (doc, size);
}

DlgJsonValue *
dlg_json_doc_get_root (DlgJsonDoc *doc)
{
  return doc->root;
}

/* ------------------------------------------------------------------------ */
/* The reader                                                               */
/* ------------------------------------------------------------------------ */

typedef struct
{
  const char    *key;
  DlgJsonValue  *value;
  const char    *key_at;
} ScratchMember;

typedef struct
{
  const char *data;
  const char *end;
  const char *p;
  guint       depth;
  GError     *error;
  const char *error_at;
  DlgJsonDoc *doc;
  /* Children of the objects and arrays being read, innermost last. */
  GArray     *elements;  /* DlgJsonValue* */
  GArray     *members;   /* ScratchMember */
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

static inline void
skip_whitespace (Reader *r)
{
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\t' || *r->p == '\r'))
    r->p++;
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

static DlgJsonValue *parse_value (Reader *r);

static DlgJsonValue *
new_value (Reader      *r,
           DlgJsonType  type)
{
  DlgJsonValue *v = arena_alloc (r->doc, sizeof (DlgJsonValue));

  memset (v, 0, sizeof *v);
  v->type = type;
  return v;
}

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
read_hex4 (Reader     *r,
           const char *p,
           guint32    *out)
{
  guint32 v = 0;

  if (r->end - p < 4)
    {
      reader_fail (r, p, DLG_JSON_ERROR_SYNTAX, _("Incomplete \\u escape"));
      return FALSE;
    }

  for (guint i = 0; i < 4; i++)
    {
      int h = hex_value (p[i]);

      if (h < 0)
        {
          reader_fail (r, p + i, DLG_JSON_ERROR_SYNTAX,
                       _("Invalid hexadecimal digit in \\u escape"));
          return FALSE;
        }
      v = (v << 4) | (guint32) h;
    }

  *out = v;
  return TRUE;
}

#define ONES G_GUINT64_CONSTANT (0x0101010101010101)
#define HIGHS G_GUINT64_CONSTANT (0x8080808080808080)

/* Whether any of eight bytes is a quote, a backslash, a control character
 * or not ASCII: the bytes a string scan must stop at. */
static inline gboolean
has_special_byte (guint64 v)
{
  guint64 quote = v ^ (ONES * '"');
  guint64 backslash = v ^ (ONES * '\\');
  guint64 found;

  found = v & HIGHS;                                /* ≥ 0x80 */
  found |= (v - ONES * 0x20) & ~v & HIGHS;          /* < 0x20 */
  found |= (quote - ONES) & ~quote & HIGHS;         /* '"' */
  found |= (backslash - ONES) & ~backslash & HIGHS; /* '\\' */
  return found != 0;
}

/* Reads a string into the arena: valid UTF-8, no NUL characters.
 * Sets *length to its length in bytes. */
static const char *
parse_string (Reader *r,
              guint  *length)
{
  const char *start, *p;
  char *out, *o;
  gboolean escapes = FALSE;
  gboolean non_ascii = FALSE;

  g_assert (*r->p == '"');
  start = p = r->p + 1;

  /* Find the end first, so the arena gets the size at once; the unescaped
   * string is never longer than its source. */
  while (p < r->end)
    {
      /* Skip eight ordinary bytes at a time: most of a document is text. */
      while (r->end - p >= 8)
        {
          guint64 v;

          memcpy (&v, p, 8);
          if (has_special_byte (v))
            break;
          p += 8;
        }

      if (p >= r->end || *p == '"')
        break;
      if (*p == '\\')
        {
          escapes = TRUE;
          p += 2;
          continue;
        }
      if ((guchar) *p >= 0x80)
        {
          non_ascii = TRUE;
          p++;
          continue;
        }
      if ((guchar) *p < 0x20)
        {
          reader_fail (r, p, DLG_JSON_ERROR_SYNTAX,
                       *p == '\n' ? _("Line break inside a string (missing closing quote?)")
                                  : _("Control character inside a string must be escaped"));
          return NULL;
        }
      p++;
    }

  if (p >= r->end)
    {
      reader_fail (r, r->end, DLG_JSON_ERROR_SYNTAX, _("Unterminated string"));
      return NULL;
    }

  /* Text outside strings is ASCII by the grammar, so checking the strings
   * that hold other bytes checks the whole document. */
  if (non_ascii)
    {
      const char *invalid;

      if (!g_utf8_validate_len (start, p - start, &invalid))
        {
          reader_fail (r, invalid, DLG_JSON_ERROR_ENCODING, _("The file is not valid UTF-8"));
          return NULL;
        }
    }

  out = arena_alloc (r->doc, (p - start) + 1);

  if (!escapes)
    {
      memcpy (out, start, p - start);
      out[p - start] = '\0';
      *length = p - start;
      r->p = p + 1;
      return out;
    }

  o = out;
  for (const char *q = start; q < p; )
    {
      if (*q != '\\')
        {
          *o++ = *q++;
          continue;
        }

      q++;
      switch (*q++)
        {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '/': *o++ = '/'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u':
          {
            const char *esc = q - 2;
            guint32 cp;

            if (!read_hex4 (r, q, &cp))
              return NULL;
            q += 4;

            if (cp >= 0xD800 && cp <= 0xDBFF)
              {
                guint32 low;

                if (p - q < 6 || q[0] != '\\' || q[1] != 'u')
                  {
                    reader_fail (r, esc, DLG_JSON_ERROR_ENCODING,
                                 _("Unpaired UTF-16 surrogate in \\u escape"));
                    return NULL;
                  }
                if (!read_hex4 (r, q + 2, &low))
                  return NULL;
                if (low < 0xDC00 || low > 0xDFFF)
                  {
                    reader_fail (r, esc, DLG_JSON_ERROR_ENCODING,
                                 _("Unpaired UTF-16 surrogate in \\u escape"));
                    return NULL;
                  }
                q += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
              }
            else if (cp >= 0xDC00 && cp <= 0xDFFF)
              {
                reader_fail (r, esc, DLG_JSON_ERROR_ENCODING,
                             _("Unpaired UTF-16 surrogate in \\u escape"));
                return NULL;
              }
            else if (cp == 0)
              {
                /* Our strings are C strings: a NUL would silently cut them. */
                reader_fail (r, esc, DLG_JSON_ERROR_ENCODING,
                             _("Strings must not contain NUL characters (\\u0000)"));
                return NULL;
              }

            o += g_unichar_to_utf8 (cp, o);
          }
          break;
        default:
          {
            char buf[16];

            reader_fail (r, q - 1, DLG_JSON_ERROR_SYNTAX,
                         _("Invalid escape sequence “\\%s” in string"),
                         describe_char (q[-1], buf));
            return NULL;
          }
        }
    }

  *o = '\0';
  *length = o - out;
  r->p = p + 1;
  return out;
}

static DlgJsonValue *
parse_number (Reader *r)
{
  const char *start = r->p;
  gboolean is_integer = TRUE;
  DlgJsonValue *v;
  char buf[64];
  gsize len;
  double d;

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

  if (is_integer && len <= 9)
    {
      /* Small integers, by far the most common, without strtod. */
      gint64 n = 0;
      const char *q = start;
      gboolean negative = *q == '-';

      if (negative)
        q++;
      for (; q < r->p; q++)
        n = n * 10 + (*q - '0');
      d = negative ? -(double) n : (double) n;
    }
  else
    {
      memcpy (buf, start, len);
      buf[len] = '\0';
      errno = 0;
      d = g_ascii_strtod (buf, NULL);
      if (errno == ERANGE && (d > 1.0 || d < -1.0))
        {
          reader_fail (r, start, DLG_JSON_ERROR_SYNTAX, _("Number is out of range"));
          return NULL;
        }
    }

  v = new_value (r, DLG_JSON_NUMBER);
  v->number = d;
  v->is_integer = is_integer;
  return v;
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

/* Large objects are checked for duplicate keys once complete, with a hash
 * table: linear checks on each insertion would be quadratic. */
#define LINEAR_DUPLICATE_CHECK 16

static DlgJsonValue *
finish_object (Reader *r,
               guint   first)
{
  guint n = r->members->len - first;
  /* An empty object may come before any member was ever seen, when the
   * scratch array has no storage yet: no pointer into it then. */
  ScratchMember *m = n > 0 ? &g_array_index (r->members, ScratchMember, first) : NULL;
  DlgJsonValue *v;

  if (n > LINEAR_DUPLICATE_CHECK)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < n; i++)
        if (!g_hash_table_add (seen, (gpointer) m[i].key))
          {
            reader_fail (r, m[i].key_at, DLG_JSON_ERROR_DUPLICATE_KEY,
                         _("Duplicate member “%s” in object"), m[i].key);
            return NULL;
          }
    }

  v = new_value (r, DLG_JSON_OBJECT);
  v->length = n;
  v->members = arena_alloc (r->doc, MAX (n, 1) * sizeof (DlgJsonMember));
  for (guint i = 0; i < n; i++)
    {
      v->members[i].key = m[i].key;
      v->members[i].value = m[i].value;
    }
  g_array_set_size (r->members, first);
  return v;
}

static DlgJsonValue *
parse_object (Reader *r)
{
  guint first = r->members->len;

  g_assert (*r->p == '{');
  r->p++;

  skip_whitespace (r);
  if (r->p < r->end && *r->p == '}')
    {
      r->p++;
      return finish_object (r, first);
    }

  for (;;)
    {
      ScratchMember m;
      guint key_length;

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

      m.key_at = r->p;
      if (!(m.key = parse_string (r, &key_length)))
        return NULL;

      if (r->members->len - first <= LINEAR_DUPLICATE_CHECK)
        for (guint i = first; i < r->members->len; i++)
          if (strcmp (g_array_index (r->members, ScratchMember, i).key, m.key) == 0)
            {
              reader_fail (r, m.key_at, DLG_JSON_ERROR_DUPLICATE_KEY,
                           _("Duplicate member “%s” in object"), m.key);
              return NULL;
            }

      skip_whitespace (r);
      if (r->p >= r->end || *r->p != ':')
        {
          reader_fail (r, r->p, DLG_JSON_ERROR_SYNTAX,
                       _("Expected “:” after member name “%s”"), m.key);
          return NULL;
        }
      r->p++;

      if (!(m.value = parse_value (r)))
        return NULL;
      g_array_append_val (r->members, m);

      skip_whitespace (r);
      if (r->p < r->end && *r->p == ',')
        {
          r->p++;
          continue;
        }
      if (r->p < r->end && *r->p == '}')
        {
          r->p++;
          return finish_object (r, first);
        }

      reader_fail (r, r->p, DLG_JSON_ERROR_SYNTAX,
                   r->p >= r->end ? _("Unexpected end of file in object")
                                  : _("Expected “,” or “}” after object member"));
      return NULL;
    }
}

static DlgJsonValue *
finish_array (Reader *r,
              guint   first)
{
  guint n = r->elements->len - first;
  DlgJsonValue *v = new_value (r, DLG_JSON_ARRAY);

  v->length = n;
  v->elements = arena_alloc (r->doc, MAX (n, 1) * sizeof (DlgJsonValue *));
  if (n > 0)
    memcpy (v->elements, &g_array_index (r->elements, DlgJsonValue *, first), n * sizeof (DlgJsonValue *));
  g_array_set_size (r->elements, first);
  return v;
}

static DlgJsonValue *
parse_array (Reader *r)
{
  guint first = r->elements->len;

  g_assert (*r->p == '[');
  r->p++;

  skip_whitespace (r);
  if (r->p < r->end && *r->p == ']')
    {
      r->p++;
      return finish_array (r, first);
    }

  for (;;)
    {
      DlgJsonValue *value;

      skip_whitespace (r);
      if (r->p < r->end && *r->p == ']')
        {
          reader_fail (r, r->p, DLG_JSON_ERROR_SYNTAX, _("Trailing comma before “]”"));
          return NULL;
        }

      if (!(value = parse_value (r)))
        return NULL;
      g_array_append_val (r->elements, value);

      skip_whitespace (r);
      if (r->p < r->end && *r->p == ',')
        {
          r->p++;
          continue;
        }
      if (r->p < r->end && *r->p == ']')
        {
          r->p++;
          return finish_array (r, first);
        }

      reader_fail (r, r->p, DLG_JSON_ERROR_SYNTAX,
                   r->p >= r->end ? _("Unexpected end of file in array")
                                  : _("Expected “,” or “]” after array element"));
      return NULL;
    }
}

static DlgJsonValue *
parse_value (Reader *r)
{
  DlgJsonValue *ret = NULL;
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
        guint length;
        const char *str = parse_string (r, &length);

        if (str == NULL)
          return NULL;
        ret = new_value (r, DLG_JSON_STRING);
        ret->string = str;
        ret->length = length;
        return ret;
      }

    case 't':
      if (expect_literal (r, "true"))
        {
          ret = new_value (r, DLG_JSON_BOOLEAN);
          ret->boolean = TRUE;
          return ret;
        }
      break;

    case 'f':
      if (expect_literal (r, "false"))
        return new_value (r, DLG_JSON_BOOLEAN);
      break;

    case 'n':
      if (expect_literal (r, "null"))
        return new_value (r, DLG_JSON_NULL);
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
 * dlg_json_doc_parse:
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
 * Returns: (transfer full): the document, or %NULL with @error set
 */
DlgJsonDoc *
dlg_json_doc_parse (const char  *data,
                    gsize        length,
                    guint       *error_line,
                    guint       *error_column,
                    GError     **error)
{
  Reader r = { 0 };
  const char *invalid = NULL;
  DlgJsonValue *root = NULL;
  guint line = 0, column = 0;
  DlgJsonDoc *doc;

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

  doc = g_new0 (DlgJsonDoc, 1);
  g_atomic_ref_count_init (&doc->ref_count);
  /* Nodes and strings take about as much room as the text itself. */
  doc->block_size = CLAMP (length + length / 2, 4096, 16 * 1024 * 1024);

  /* An empty file may come as NULL; keep pointer arithmetic defined. */
  if (data == NULL)
    data = "";
  r.data = r.p = data;
  r.end = data + length;
  r.doc = doc;
  r.elements = g_array_new (FALSE, FALSE, sizeof (DlgJsonValue *));
  r.members = g_array_new (FALSE, FALSE, sizeof (ScratchMember));

  if (length > 0 && (invalid = memchr (data, '\0', length)) != NULL)
    reader_fail (&r, invalid, DLG_JSON_ERROR_ENCODING, _("The file contains a NUL byte"));
  else
    {
      skip_whitespace (&r);
      if (r.p >= r.end)
        reader_fail (&r, r.p, DLG_JSON_ERROR_SYNTAX, _("The file is empty"));
      else
        root = parse_value (&r);

      if (root != NULL)
        {
          skip_whitespace (&r);
          if (r.p < r.end)
            reader_fail (&r, r.p, DLG_JSON_ERROR_SYNTAX,
                         _("Unexpected text after the end of the document"));
        }
    }

  g_array_unref (r.elements);
  g_array_unref (r.members);

  if (r.error != NULL)
    {
      position_of (data, r.end, r.error_at, &line, &column);
      if (error_line)
        *error_line = line;
      if (error_column)
        *error_column = column;
      g_propagate_error (error, r.error);
      dlg_json_doc_unref (doc);
      return NULL;
    }

  doc->root = root;
  return doc;
}

/**
 * dlg_json_type_name:
 *
 * Returns: the value's type in words, for messages: "an object", "a number"…
 */
const char *
dlg_json_type_name (const DlgJsonValue *value)
{
  switch (value->type)
    {
    case DLG_JSON_OBJECT: return _("an object");
    case DLG_JSON_ARRAY: return _("an array");
    case DLG_JSON_NULL: return _("null");
    case DLG_JSON_STRING: return _("a string");
    case DLG_JSON_BOOLEAN: return _("a boolean");
    case DLG_JSON_NUMBER: return _("a number");
    default: g_return_val_if_reached (NULL);
    }
}

/**
 * dlg_json_get:
 * @object: an object value
 *
 * Returns: (nullable): the member named @key, or %NULL
 */
DlgJsonValue *
dlg_json_get (const DlgJsonValue *object,
              const char         *key)
{
  g_return_val_if_fail (object->type == DLG_JSON_OBJECT, NULL);

  for (guint i = 0; i < object->length; i++)
    {
      const char *k = object->members[i].key;

      /* Most keys differ in their first byte. */
      if (k[0] == key[0] && strcmp (k, key) == 0)
        return object->members[i].value;
    }
  return NULL;
}

DlgJsonValue *
dlg_json_index (const DlgJsonValue *array,
                guint               index)
{
  g_return_val_if_fail (array->type == DLG_JSON_ARRAY, NULL);
  g_return_val_if_fail (index < array->length, NULL);
  return array->elements[index];
}

/**
 * dlg_json_to_node:
 *
 * Returns: (transfer full): a json-glib copy of @value
 */
JsonNode *
dlg_json_to_node (const DlgJsonValue *value)
{
  JsonNode *node = json_node_alloc ();

  switch (value->type)
    {
    case DLG_JSON_NULL:
      return json_node_init_null (node);
    case DLG_JSON_BOOLEAN:
      return json_node_init_boolean (node, value->boolean);
    case DLG_JSON_NUMBER:
      if (value->is_integer && value->number >= -9007199254740992.0 && value->number <= 9007199254740992.0)
        return json_node_init_int (node, (gint64) value->number);
      return json_node_init_double (node, value->number);
    case DLG_JSON_STRING:
      return json_node_init_string (node, value->string);
    case DLG_JSON_ARRAY:
      {
        g_autoptr(JsonArray) array = json_array_sized_new (value->length);

        for (guint i = 0; i < value->length; i++)
          json_array_add_element (array, dlg_json_to_node (value->elements[i]));
        return json_node_init_array (node, array);
      }
    case DLG_JSON_OBJECT:
      {
        g_autoptr(JsonObject) object = json_object_new ();

        for (guint i = 0; i < value->length; i++)
          json_object_set_member (object, value->members[i].key, dlg_json_to_node (value->members[i].value));
        return json_node_init_object (node, object);
      }
    default:
      g_return_val_if_reached (node);
    }
}

/**
 * dlg_json_parse:
 *
 * Like dlg_json_doc_parse(), for code that works with json-glib nodes.
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
  g_autoptr(DlgJsonDoc) doc = dlg_json_doc_parse (data, length, error_line, error_column, error);

  if (doc == NULL)
    return NULL;
  return dlg_json_to_node (doc->root);
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
