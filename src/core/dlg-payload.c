/* dlg-payload.c - what the report and review payloads share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A signed payload is compared, hashed and archived as bytes, so it is
 * written by our own small serializer rather than json-glib's generator:
 * members in the order they were added, no whitespace, numbers in their
 * shortest form that reads back to the same double (json-glib prints 66.7
 * as 66.700000000000003), and only the escapes JSON requires.
 *
 * Payloads from strangers are read with the strict reader of dlg-json.c
 * (valid UTF-8, no duplicate keys, bounded depth) and then checked member
 * by member; every failure names the JSON Pointer of the culprit.
 */

#define G_LOG_DOMAIN "dlg-payload"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "dlg-payload-private.h"

static void
write_string (GString    *out,
              const char *s)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) s; *p; p++)
    {
      switch (*p)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (*p < 0x20 || *p == 0x7f)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

static void
write_double (GString *out,
              double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* JSON has no infinities or NaN; nothing we build produces them. */
  g_return_if_fail (isfinite (value));

  if (value == floor (value) && fabs (value) < 9007199254740992.0)
    {
      g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) value);
      return;
    }

  for (int precision = 15; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
}

static void
newline (GString *out,
         int      indent)
{
  if (indent < 0)
    return;
  g_string_append_c (out, '\n');
  for (int i = 0; i < indent; i++)
    g_string_append (out, "  ");
}

static void
write_node (GString  *out,
            JsonNode *node,
            int       indent)
{
  int inner = indent < 0 ? -1 : indent + 1;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          write_double (out, json_node_get_double (node));
          break;
        case G_TYPE_STRING:
          write_string (out, json_node_get_string (node));
          break;
        default:
          g_return_if_reached ();
        }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            newline (out, inner);
            write_node (out, json_array_get_element (array, i), inner);
          }
        if (n > 0)
          newline (out, indent);
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);
        gboolean first = TRUE;

        /* json-glib keeps members in insertion order, which is the order
         * the builders below chose for people reading the payload. */
        g_string_append_c (out, '{');
        for (GList *l = members; l; l = l->next)
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            newline (out, inner);
            write_string (out, l->data);
            g_string_append (out, indent < 0 ? ":" : ": ");
            write_node (out, json_object_get_member (object, l->data), inner);
          }
        if (!first)
          newline (out, indent);
        g_string_append_c (out, '}');
      }
      break;

    default:
      g_return_if_reached ();
    }
}

/**
 * dlg_payload_serialize:
 * @node: a JSON tree without infinite or NaN numbers
 * @pretty: indent by two spaces and end with a newline, for people
 *
 * Returns: (transfer full): the UTF-8 bytes of @node, always the same for
 *   the same tree
 */
GBytes *
dlg_payload_serialize (JsonNode *node,
                       gboolean  pretty)
{
  GString *out = g_string_sized_new (4096);

  write_node (out, node, pretty ? 0 : -1);
  if (pretty)
    g_string_append_c (out, '\n');
  return g_string_free_to_bytes (out);
}

/**
 * dlg_payload_now:
 *
 * Returns: (transfer full): the current time in RFC 3339 form, UTC, to the
 *   second, e.g. "2026-03-14T09:26:53Z"
 */
char *
dlg_payload_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static gboolean
all_digits (const char *s,
            guint       n)
{
  for (guint i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

static gboolean
is_uuid (const char *s,
         gboolean    v4)
{
  if (strlen (s) != 36)
    return FALSE;
  for (guint i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (s[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isdigit (s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
        return FALSE;
    }
  return !v4 || (s[14] == '4' && strchr ("89ab", s[19]) != NULL);
}

static gboolean
is_date (const char *s)
{
  guint y, m, d;

  if (strlen (s) != 10 || !all_digits (s, 4) || s[4] != '-' || !all_digits (s + 5, 2) ||
      s[7] != '-' || !all_digits (s + 8, 2))
    return FALSE;
  y = atoi (s);
  m = atoi (s + 5);
  d = atoi (s + 8);
  return y >= 1 && g_date_valid_dmy (d, m, y);
}

static gboolean
is_timestamp (const char *s)
{
  gsize len = strlen (s);
  g_autoptr(GDateTime) dt = NULL;
  char date[11];
  guint i;

  /* YYYY-MM-DDTHH:MM:SS, an optional fraction, then Z: the one form of
   * RFC 3339 we write, so that two readers never disagree on an offset. */
  if (len < 20)
    return FALSE;
  memcpy (date, s, 10);
  date[10] = '\0';
  if (!is_date (date) || s[10] != 'T' ||
      !all_digits (s + 11, 2) || s[13] != ':' || !all_digits (s + 14, 2) || s[16] != ':' ||
      !all_digits (s + 17, 2))
    return FALSE;
  i = 19;
  if (s[i] == '.')
    {
      guint start = ++i;

      while (g_ascii_isdigit (s[i]))
        i++;
      if (i == start || i - start > 9)
        return FALSE;
    }
  if (s[i] != 'Z' || s[i + 1] != '\0')
    return FALSE;

  dt = g_date_time_new_from_iso8601 (s, NULL);
  return dt != NULL && atoi (s + 11) < 24 && atoi (s + 14) < 60 && atoi (s + 17) < 60;
}

static gboolean
is_language (const char *s)
{
  const char *p = s;
  guint n = 0;

  /* The subset of BCP 47 the questionnaire format accepts ("fr", "fr-BE",
   * "sr-Latn"), since a report's language is one of its questionnaire's. */
  while (g_ascii_islower (*p))
    p++, n++;
  if (n < 2 || n > 3)
    return FALSE;
  while (*p == '-')
    {
      p++;
      n = 0;
      while (g_ascii_isalnum (*p))
        p++, n++;
      if (n < 2 || n > 8)
        return FALSE;
    }
  return *p == '\0' && p - s <= 35;
}

static gboolean
is_party_id (const char *s)
{
  gsize len = strlen (s);

  if (len < 2 || len > 64 || !g_ascii_isalnum (s[0]))
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != ' ' && *p != '/')
      return FALSE;
  return TRUE;
}

static gboolean
is_id (const char *s)
{
  gsize len = strlen (s);

  if (len < 1 || len > 128 || !g_ascii_isalnum (s[0]))
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_' && *p != ':')
      return FALSE;
  return TRUE;
}

static gboolean
is_text (const char *s,
         gboolean    one_line)
{
  gboolean blank = TRUE;

  for (const guchar *p = (const guchar *) s; *p; p++)
    {
      if (*p < 0x20 || *p == 0x7f)
        {
          if (one_line || (*p != '\n' && *p != '\t' && *p != '\r'))
            return FALSE;
        }
      else if (*p != ' ')
        blank = FALSE;
    }
  return !one_line || !blank;
}

/**
 * dlg_payload_string_is:
 *
 * Returns: whether @string (valid UTF-8) is of @kind
 */
gboolean
dlg_payload_string_is (const char    *string,
                       DlgStringKind  kind)
{
  if (string == NULL)
    return FALSE;

  switch (kind)
    {
    case DLG_STRING_TEXT: return is_text (string, FALSE);
    case DLG_STRING_LINE: return is_text (string, TRUE);
    case DLG_STRING_UUID: return is_uuid (string, FALSE);
    case DLG_STRING_UUID4: return is_uuid (string, TRUE);
    case DLG_STRING_SHA256:
      if (strlen (string) != 64)
        return FALSE;
      for (const char *p = string; *p; p++)
        if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
          return FALSE;
      return TRUE;
    case DLG_STRING_TIMESTAMP: return is_timestamp (string);
    case DLG_STRING_DATE: return is_date (string);
    case DLG_STRING_LANGUAGE: return is_language (string);
    case DLG_STRING_PARTY_ID: return is_party_id (string);
    case DLG_STRING_COUNTRY:
      return strlen (string) == 2 && g_ascii_isupper (string[0]) && g_ascii_isupper (string[1]);
    case DLG_STRING_ID: return is_id (string);
    default: g_return_val_if_reached (FALSE);
    }
}

static const char *
kind_description (DlgStringKind kind)
{
  switch (kind)
    {
    case DLG_STRING_TEXT: return _("text without control characters");
    case DLG_STRING_LINE: return _("one line of text, not blank");
    case DLG_STRING_UUID: return _("a UUID in lower case");
    case DLG_STRING_UUID4: return _("a random (version 4) UUID in lower case");
    case DLG_STRING_SHA256: return _("a SHA-256 hash as 64 lower-case hexadecimal digits");
    case DLG_STRING_TIMESTAMP: return _("a UTC date and time such as 2026-03-14T09:26:53Z");
    case DLG_STRING_DATE: return _("a date such as 2026-03-14");
    case DLG_STRING_LANGUAGE: return _("a language code such as “en” or “fr-BE”");
    case DLG_STRING_PARTY_ID: return _("an enterprise or VAT number such as BE0123456789");
    case DLG_STRING_COUNTRY: return _("a two-letter country code such as BE");
    case DLG_STRING_ID: return _("an identifier of letters, digits, “.”, “-”, “_” or “:”");
    default: g_return_val_if_reached ("");
    }
}

gboolean
dlg_check_fail (DlgCheck        *check,
                int              code,
                const char      *pointer,
                const char      *format,
                ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (pointer != NULL && *pointer != '\0')
    /* TRANSLATORS: the first %s says which document is invalid, the second
     * where (a JSON Pointer such as /answers/3/value), the third what is wrong */
    g_set_error (check->error, check->domain, code, _("%s: “%s”: %s"), check->what, pointer, message);
  else
    g_set_error (check->error, check->domain, code, _("%s: %s"), check->what, message);
  return FALSE;
}

char *
dlg_pointer_append (const char *pointer,
                    const char *key)
{
  g_autofree char *escaped = dlg_json_pointer_escape (key);

  return g_strconcat (pointer, "/", escaped, NULL);
}

char *
dlg_pointer_index (const char *pointer,
                   const char *key,
                   guint       index)
{
  if (key == NULL)
    return g_strdup_printf ("%s/%u", pointer, index);
  return g_strdup_printf ("%s/%s/%u", pointer, key, index);
}

/**
 * dlg_check_parse:
 *
 * Parses @bytes strictly, refusing anything larger than @max_size first.
 *
 * Returns: (transfer full): the document, or %NULL with the error set
 */
DlgJsonDoc *
dlg_check_parse (DlgCheck *check,
                 GBytes   *bytes,
                 gsize     max_size)
{
  g_autoptr(GError) local = NULL;
  DlgJsonDoc *doc;
  guint line, column;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  if (size > max_size)
    {
      dlg_check_fail (check, DLG_PAYLOAD_ERROR_TOO_LARGE, NULL,
                      _("it is larger than %u MiB"), (guint) (max_size / (1024 * 1024)));
      return NULL;
    }

  doc = dlg_json_doc_parse (data ? data : "", size, &line, &column, &local);
  if (doc == NULL)
    {
      int code = g_error_matches (local, DLG_JSON_ERROR, DLG_JSON_ERROR_TOO_LARGE)
                             ? DLG_PAYLOAD_ERROR_TOO_LARGE : DLG_PAYLOAD_ERROR_SYNTAX;

      if (line > 0)
        dlg_check_fail (check, code, NULL, _("line %u, column %u: %s"), line, column, local->message);
      else
        dlg_check_fail (check, code, NULL, "%s", local->message);
      return NULL;
    }
  return doc;
}

/**
 * dlg_check_format:
 *
 * Checks that @root is an object whose "format" is @format. A document of
 * the same family and another version is named as such, so that a person
 * knows to update Diligence rather than suspect tampering.
 */
gboolean
dlg_check_format (DlgCheck           *check,
                  const DlgJsonValue *root,
                  const char         *format)
{
  const DlgJsonValue *value;
  g_autofree char *family = g_strndup (format, strchr (format, '/') - format + 1);

  if (!dlg_json_is_object (root))
    return dlg_check_fail (check, DLG_PAYLOAD_ERROR_FORMAT, NULL,
                           _("it is %s, not a JSON object"), dlg_json_type_name (root));

  value = dlg_json_get (root, "format");
  if (value == NULL)
    return dlg_check_fail (check, DLG_PAYLOAD_ERROR_FORMAT, NULL,
                           _("it has no “format” member, so it is not a Diligence document"));
  if (!dlg_json_is_string (value))
    return dlg_check_fail (check, DLG_PAYLOAD_ERROR_FORMAT, "/format",
                           _("expected a string, found %s"), dlg_json_type_name (value));
  if (strcmp (value->string, format) == 0)
    return TRUE;
  if (g_str_has_prefix (value->string, family))
    return dlg_check_fail (check, DLG_PAYLOAD_ERROR_FORMAT, "/format",
                           _("“%s” is a version this copy of Diligence does not know; a newer version may read it"),
                           value->string);
  return dlg_check_fail (check, DLG_PAYLOAD_ERROR_FORMAT, "/format",
                         _("“%s” is not “%s”"), value->string, format);
}

/**
 * dlg_check_members:
 * @allowed: the known member names, %NULL-terminated
 * @allow_extensions: accept members whose name starts with "x-"
 *
 * Refuses members that are not in @allowed, so that a typo or a member a
 * reader would ignore cannot hide in a signed document.
 */
gboolean
dlg_check_members (DlgCheck           *check,
                   const DlgJsonValue *object,
                   const char         *pointer,
                   const char * const *allowed,
                   gboolean            allow_extensions)
{
  for (guint i = 0; i < object->length; i++)
    {
      const char *key = object->members[i].key;

      if (g_strv_contains (allowed, key))
        continue;
      if (allow_extensions && g_str_has_prefix (key, "x-"))
        continue;

      {
        g_autofree char *p = dlg_pointer_append (pointer, key);

        return dlg_check_fail (check, DLG_PAYLOAD_ERROR_UNKNOWN_MEMBER, p,
                               allow_extensions
                               ? _("unknown member; extensions must start with “x-”")
                               : _("unknown member"));
      }
    }
  return TRUE;
}

static const char *
type_words (DlgJsonType type)
{
  DlgJsonValue value = { .type = type };

  return dlg_json_type_name (&value);
}

/**
 * dlg_check_member:
 * @nullable: a JSON null is accepted in place of @type
 *
 * Returns: the member, or %NULL with the error set when it is missing or
 *   of another type
 */
const DlgJsonValue *
dlg_check_member (DlgCheck           *check,
                  const DlgJsonValue *object,
                  const char         *pointer,
                  const char         *key,
                  DlgJsonType         type,
                  gboolean            nullable)
{
  const DlgJsonValue *value = dlg_json_get (object, key);
  g_autofree char *p = NULL;

  if (value != NULL && (value->type == type || (nullable && value->type == DLG_JSON_NULL)))
    return value;

  /* The pointer is only built for the message: a signed report has
   * hundreds of members, and the server reads thousands a second. */
  p = dlg_pointer_append (pointer, key);
  if (value == NULL)
    {
      dlg_check_fail (check, DLG_PAYLOAD_ERROR_MISSING_MEMBER, p, _("required member is missing"));
      return NULL;
    }
  if (nullable)
    dlg_check_fail (check, DLG_PAYLOAD_ERROR_WRONG_TYPE, p, _("expected %s or null, found %s"),
                    type_words (type), dlg_json_type_name (value));
  else
    dlg_check_fail (check, DLG_PAYLOAD_ERROR_WRONG_TYPE, p, _("expected %s, found %s"),
                    type_words (type), dlg_json_type_name (value));
  return NULL;
}

/**
 * dlg_check_array:
 *
 * Returns: the array member, or %NULL with the error set when it is
 *   missing, not an array, or longer than @max_length
 */
const DlgJsonValue *
dlg_check_array (DlgCheck           *check,
                 const DlgJsonValue *object,
                 const char         *pointer,
                 const char         *key,
                 guint               max_length)
{
  const DlgJsonValue *value = dlg_check_member (check, object, pointer, key, DLG_JSON_ARRAY, FALSE);

  if (value != NULL && value->length > max_length)
    {
      g_autofree char *p = dlg_pointer_append (pointer, key);

      dlg_check_fail (check, DLG_PAYLOAD_ERROR_TOO_LARGE, p,
                      _("%u elements, more than the %u allowed"), value->length, max_length);
      return NULL;
    }
  return value;
}

/**
 * dlg_check_string_ok:
 *
 * Returns: whether @value is a string of @kind no longer than @max_length
 *   bytes, without a word about it: the quick test before a message is
 *   made (and its JSON Pointer built) for one that is not.
 */
gboolean
dlg_check_string_ok (const DlgJsonValue *value,
                     DlgStringKind       kind,
                     gsize               max_length)
{
  return dlg_json_is_string (value) && value->length <= max_length &&
         dlg_payload_string_is (value->string, kind);
}

/**
 * dlg_check_string_value:
 *
 * Checks a string already known to be one against @kind and @max_length
 * (in bytes).
 */
gboolean
dlg_check_string_value (DlgCheck           *check,
                        const DlgJsonValue *value,
                        const char         *pointer,
                        DlgStringKind       kind,
                        gsize               max_length)
{
  if (dlg_check_string_ok (value, kind, max_length))
    return TRUE;
  if (!dlg_json_is_string (value))
    return dlg_check_fail (check, DLG_PAYLOAD_ERROR_WRONG_TYPE, pointer,
                           _("expected a string, found %s"), dlg_json_type_name (value));
  if (value->length > max_length)
    return dlg_check_fail (check, DLG_PAYLOAD_ERROR_TOO_LARGE, pointer,
                           _("%u bytes long, more than the %u allowed"),
                           value->length, (guint) max_length);
  if (!dlg_payload_string_is (value->string, kind))
    return dlg_check_fail (check, DLG_PAYLOAD_ERROR_INVALID_VALUE, pointer,
                           _("expected %s"), kind_description (kind));
  return TRUE;
}

/**
 * dlg_check_string:
 * @out: (out): the string, borrowed from the document; %NULL for a null
 *
 * Returns: whether the member is a string of @kind (or null, if @nullable)
 */
gboolean
dlg_check_string (DlgCheck            *check,
                  const DlgJsonValue  *object,
                  const char          *pointer,
                  const char          *key,
                  DlgStringKind        kind,
                  gboolean             nullable,
                  gsize                max_length,
                  const char         **out)
{
  const DlgJsonValue *value = dlg_check_member (check, object, pointer, key, DLG_JSON_STRING, nullable);
  g_autofree char *p = NULL;

  if (value == NULL)
    return FALSE;
  if (dlg_json_is_null (value))
    {
      *out = NULL;
      return TRUE;
    }

  if (!dlg_check_string_ok (value, kind, max_length))
    {
      p = dlg_pointer_append (pointer, key);
      return dlg_check_string_value (check, value, p, kind, max_length);
    }
  *out = value->string;
  return TRUE;
}

gboolean
dlg_check_boolean (DlgCheck           *check,
                   const DlgJsonValue *object,
                   const char         *pointer,
                   const char         *key,
                   gboolean           *out)
{
  const DlgJsonValue *value = dlg_check_member (check, object, pointer, key, DLG_JSON_BOOLEAN, FALSE);

  if (value == NULL)
    return FALSE;
  *out = value->boolean;
  return TRUE;
}

/**
 * dlg_check_count:
 *
 * Checks a member that counts things: a whole number from 0 to G_MAXINT.
 */
gboolean
dlg_check_count (DlgCheck           *check,
                 const DlgJsonValue *object,
                 const char         *pointer,
                 const char         *key,
                 guint              *out)
{
  const DlgJsonValue *value = dlg_check_member (check, object, pointer, key, DLG_JSON_NUMBER, FALSE);

  if (value == NULL)
    return FALSE;
  if (!value->is_integer || value->number < 0 || value->number > G_MAXINT)
    {
      g_autofree char *p = dlg_pointer_append (pointer, key);

      return dlg_check_fail (check, DLG_PAYLOAD_ERROR_INVALID_VALUE, p,
                             _("expected a whole number from 0 to %d"), G_MAXINT);
    }
  *out = (guint) value->number;
  return TRUE;
}

/**
 * dlg_check_level:
 *
 * Reads any level name a result may have: the four levels of an answer,
 * "none" and "incomplete".
 */
gboolean
dlg_check_level (DlgCheck           *check,
                 const DlgJsonValue *object,
                 const char         *pointer,
                 const char         *key,
                 DlgLevel           *out)
{
  const DlgJsonValue *value = dlg_check_member (check, object, pointer, key, DLG_JSON_STRING, FALSE);
  g_autofree char *p = NULL;

  if (value == NULL)
    return FALSE;

  for (guint i = DLG_LEVEL_NONE; i <= DLG_LEVEL_INCOMPLETE; i++)
    if (strcmp (value->string, dlg_level_to_string ((DlgLevel) i)) == 0)
      {
        *out = (DlgLevel) i;
        return TRUE;
      }

  p = dlg_pointer_append (pointer, key);
  return dlg_check_fail (check, DLG_PAYLOAD_ERROR_INVALID_VALUE, p,
                         _("“%s” is not a level (green, amber, red, grey, none or incomplete)"),
                         value->string);
}

/**
 * dlg_check_jws:
 * @jws: a parsed compact JWS
 * @key: the key the reader trusts for its author
 * @typ: the "typ" the document must have
 *
 * Checks the signature first, then that the document is of the kind
 * expected, so that a review cannot be read as a report or the other way
 * round. Signature errors are left in %DLG_JWS_ERROR.
 *
 * Returns: (transfer none): the signed payload, or %NULL with the error set
 */
GBytes *
dlg_check_jws (DlgCheck   *check,
               DlgJws     *jws,
               DlgKey     *key,
               const char *typ)
{
  const char *found;

  if (!dlg_jws_verify (jws, key, check->error))
    return NULL;

  found = dlg_jws_get_typ (jws);
  if (g_strcmp0 (found, typ) != 0)
    {
      if (found == NULL)
        dlg_check_fail (check, DLG_PAYLOAD_ERROR_FORMAT, NULL,
                        _("the signed document does not say what it is (its header has no “typ”)"));
      else
        dlg_check_fail (check, DLG_PAYLOAD_ERROR_FORMAT, NULL,
                        _("the signed document is a “%s”, not a “%s”"), found, typ);
      return NULL;
    }
  return dlg_jws_get_payload (jws);
}
