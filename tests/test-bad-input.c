/* test-bad-input.c - hostile input at every entry point, with the error
 * each one must give
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One table per entry point; every row is its own test path,
 * /bad-input/ENTRY/ROW, so that a failure names the input. A row gives the
 * input (bytes, or a generator for inputs too large or too fiddly to
 * write out), the GError domain and code expected, and words the message
 * must contain. A row without a domain is an input that looks hostile but
 * must be accepted (a byte-order mark, a path in a file name that only
 * its last part is kept of). Whatever the outcome, every message must be
 * valid UTF-8, and files that were refused must be left as they were.
 *
 * docs/bad-input.md describes the same table in prose.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dlg-core.h"
#include "test-util.h"

/* ------------------------------------------------------------------------ */
/* Inputs                                                                   */
/* ------------------------------------------------------------------------ */

typedef GBytes *(*Generator) (const char *arg);

typedef struct
{
  const char  *name;
  const char  *input;       /* the bytes, or the generator's argument */
  gssize       length;      /* -1: up to the first NUL */
  Generator    generate;    /* optional */
  GQuark     (*domain) (void);   /* NULL: the input must be accepted */
  int          code;
  const char  *message;     /* a substring of the message, or NULL */
} Row;

#define ACCEPTED NULL, 0, NULL
/* A literal with a NUL byte inside, and its whole length. */
#define WITH_NUL(text) text, sizeof (text) - 1

/* Keys made once per run, for signing the JWS rows. */
static DlgKey *signing_key;
static DlgKey *other_key;
static DlgQuestionnaire *scoring;

static GBytes *
row_bytes (const Row *row)
{
  if (row->generate != NULL)
    return row->generate (row->input);
  return g_bytes_new_static (row->input, row->length < 0 ? strlen (row->input) : (gsize) row->length);
}

/* "A" repeated: larger than a limit (the argument, in bytes, plus one). */
static GBytes *
gen_over (const char *limit)
{
  gsize size = g_ascii_strtoull (limit, NULL, 10) + 1;
  char *data = g_malloc (size);

  memset (data, ' ', size);
  data[0] = '[';
  return g_bytes_new_take (data, size);
}

/* Deeply nested arrays inside the given prefix and suffix
 * ("PREFIX|SUFFIX"), 10,000 levels. */
static GBytes *
gen_nested (const char *wrap)
{
  g_auto(GStrv) parts = g_strsplit (wrap, "|", 2);
  GString *s = g_string_new (parts[0]);

  for (guint i = 0; i < 10000; i++)
    g_string_append_c (s, '[');
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (s, ']');
  g_string_append (s, parts[1] ? parts[1] : "");
  return g_string_free_to_bytes (s);
}

/* As many nested arrays as the argument says. */
static GBytes *
gen_depth (const char *depth)
{
  guint n = g_ascii_strtoull (depth, NULL, 10);
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_c (s, '[');
  for (guint i = 0; i < n; i++)
    g_string_append_c (s, ']');
  return g_string_free_to_bytes (s);
}

/* The argument, with "@KID@" replaced by the signing key's id, "@X@" by
 * its public key, "@X2@" by the other key's. */
static char *
expand (const char *text)
{
  g_autoptr(GBytes) x = dlg_key_get_public_raw (signing_key);
  g_autoptr(GBytes) x2 = dlg_key_get_public_raw (other_key);
  g_autofree char *x64 = dlg_base64url_encode (g_bytes_get_data (x, NULL), g_bytes_get_size (x));
  g_autofree char *x2_64 = dlg_base64url_encode (g_bytes_get_data (x2, NULL), g_bytes_get_size (x2));
  g_autoptr(GString) s = g_string_new (text);

  g_string_replace (s, "@KID@", dlg_key_get_id (signing_key), 0);
  g_string_replace (s, "@X2@", x2_64, 0);
  g_string_replace (s, "@X@", x64, 0);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static GBytes *
gen_expand (const char *text)
{
  char *expanded = expand (text);

  return g_bytes_new_take (expanded, strlen (expanded));
}

/* A compact JWS whose protected header is the argument (expanded), with
 * the payload {"level":"green"}, signed by the signing key: the signature
 * is good, so whatever is refused is refused for its header. An argument
 * starting with "other:" is signed by the other key instead. */
static GBytes *
gen_signed (const char *header)
{
  DlgKey *key = signing_key;
  g_autofree char *h = NULL;
  g_autofree char *h64 = NULL;
  g_autofree char *p64 = NULL;
  g_autofree char *input = NULL;
  g_autofree char *s64 = NULL;
  g_autoptr(GBytes) signature = NULL;
  const char *payload = "{\"level\":\"green\"}";

  if (g_str_has_prefix (header, "other:"))
    {
      key = other_key;
      header += strlen ("other:");
    }
  h = expand (header);
  if (strchr (h, '|') != NULL)
    {
      /* "|" is where 100 levels of arrays go: deep, yet within the header
       * size limit. */
      g_auto(GStrv) parts = g_strsplit (h, "|", 2);
      g_autofree char *open = g_strnfill (100, '[');
      g_autofree char *close = g_strnfill (100, ']');

      g_free (h);
      h = g_strconcat (parts[0], open, close, parts[1], NULL);
    }
  h64 = dlg_base64url_encode ((const guint8 *) h, strlen (h));
  p64 = dlg_base64url_encode ((const guint8 *) payload, strlen (payload));
  input = g_strconcat (h64, ".", p64, NULL);
  signature = dlg_key_sign (key, (const guint8 *) input, strlen (input), NULL);
  s64 = dlg_base64url_encode (g_bytes_get_data (signature, NULL), g_bytes_get_size (signature));
  return g_bytes_new_take (g_strconcat (input, ".", s64, NULL), strlen (input) + 1 + strlen (s64));
}

/* A good signature, then changed as the argument says. */
static GBytes *
gen_tampered (const char *how)
{
  g_autoptr(GBytes) good = gen_signed ("{\"alg\":\"EdDSA\",\"kid\":\"@KID@\"}");
  g_autofree char *text = g_strndup (g_bytes_get_data (good, NULL), g_bytes_get_size (good));
  g_auto(GStrv) parts = g_strsplit (text, ".", 3);
  char *out;

  if (strcmp (how, "payload") == 0)
    {
      const char *other = "{\"level\":\"red\"}";
      g_autofree char *p64 = dlg_base64url_encode ((const guint8 *) other, strlen (other));
      out = g_strjoin (".", parts[0], p64, parts[2], NULL);
    }
  else if (strcmp (how, "short-signature") == 0)
    {
      parts[2][strlen (parts[2]) - 2] = '\0';
      out = g_strjoinv (".", parts);
    }
  else if (strcmp (how, "no-signature") == 0)
    out = g_strjoin (".", parts[0], parts[1], "", NULL);
  else if (strcmp (how, "newline") == 0)
    out = g_strconcat (text, "\n", NULL);
  else if (strcmp (how, "padding") == 0)
    out = g_strconcat (text, "=", NULL);
  else if (strcmp (how, "four-parts") == 0)
    out = g_strconcat (text, ".", parts[2], NULL);
  else if (strcmp (how, "nul") == 0)
    {
      gsize n = strlen (text);
      out = g_malloc (n + 2);
      memcpy (out, text, n);
      out[n] = '\0';
      out[n + 1] = 'A';
      return g_bytes_new_take (out, n + 2);
    }
  else
    g_assert_not_reached ();

  return g_bytes_new_take (out, strlen (out));
}

/* alg "none": the header and payload, and nothing after the last dot. */
static GBytes *
gen_alg_none (const char *header)
{
  g_autofree char *h = expand (header);
  g_autofree char *h64 = dlg_base64url_encode ((const guint8 *) h, strlen (h));
  char *out = g_strconcat (h64, ".", "eyJsZXZlbCI6ImdyZWVuIn0", ".", NULL);

  return g_bytes_new_take (out, strlen (out));
}

/* The classic confusion: "HS256", with the verifier's public key (here
 * its PEM text) used as the HMAC secret. */
static GBytes *
gen_alg_hmac (const char *header)
{
  g_autofree char *h = expand (header);
  g_autofree char *h64 = dlg_base64url_encode ((const guint8 *) h, strlen (h));
  g_autofree char *input = g_strconcat (h64, ".", "eyJsZXZlbCI6ImdyZWVuIn0", NULL);
  g_autofree char *pem = dlg_key_to_public_pem (signing_key);
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) pem, strlen (pem));
  guint8 digest[32];
  gsize digest_length = sizeof digest;
  g_autofree char *s64 = NULL;
  char *out;

  g_hmac_update (hmac, (const guchar *) input, strlen (input));
  g_hmac_get_digest (hmac, digest, &digest_length);
  s64 = dlg_base64url_encode (digest, digest_length);
  out = g_strconcat (input, ".", s64, NULL);
  return g_bytes_new_take (out, strlen (out));
}

/* "HEX|TEXT": TEXT with "@RAWX@" replaced by the raw public key HEX in
 * base64url and "@RAWKID@" by its key id, for keys our key code would
 * refuse to make. */
static GBytes *
gen_raw_key (const char *spec)
{
  g_auto(GStrv) parts = g_strsplit (spec, "|", 2);
  guint8 raw[32];
  g_autofree char *x64 = NULL;
  g_autofree char *kid = NULL;
  g_autoptr(GString) s = NULL;

  g_assert_cmpuint (strlen (parts[0]), ==, 64);
  for (guint i = 0; i < 32; i++)
    raw[i] = (g_ascii_xdigit_value (parts[0][2 * i]) << 4) | g_ascii_xdigit_value (parts[0][2 * i + 1]);
  x64 = dlg_base64url_encode (raw, sizeof raw);
  {
    /* The RFC 7638 thumbprint, computed here independently of the key
     * code, so that only the point itself can be what is refused. */
    g_autofree char *canonical = g_strdup_printf ("{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"%s\"}", x64);
    guint8 digest[32];
    gsize n = sizeof digest;
    g_autoptr(GChecksum) c = g_checksum_new (G_CHECKSUM_SHA256);

    g_checksum_update (c, (const guchar *) canonical, strlen (canonical));
    g_checksum_get_digest (c, digest, &n);
    kid = dlg_base64url_encode (digest, n);
  }
  s = g_string_new (parts[1]);
  g_string_replace (s, "@RAWX@", x64, 0);
  g_string_replace (s, "@RAWKID@", kid, 0);
  return g_string_free_to_bytes (g_steal_pointer (&s));
}

static GBytes *
gen_random (const char *length)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260101);
  gsize n = g_ascii_strtoull (length, NULL, 10);
  guint8 *data = g_malloc (n);

  for (gsize i = 0; i < n; i++)
    data[i] = g_rand_int_range (rand, 0, 256);
  return g_bytes_new_take (data, n);
}

/* Checks an outcome against a row; @extra is more text (the formatted
 * diagnostics) in which the row's words may be found instead. */
static void
check_outcome (const Row    *row,
               gboolean      accepted,
               const GError *error,
               const char   *extra)
{
  if (row->domain == NULL)
    {
      g_assert_no_error (error);
      g_assert_true (accepted);
      return;
    }

  g_assert_false (accepted);
  g_assert_nonnull (error);
  g_test_message ("%s: %s", g_quark_to_string (error->domain), error->message);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_error (error, row->domain (), row->code);
  if (row->message != NULL &&
      strstr (error->message, row->message) == NULL &&
      (extra == NULL || strstr (extra, row->message) == NULL))
    g_error ("“%s” is not in the message: %s%s%s", row->message, error->message,
             extra ? "\n" : "", extra ? extra : "");
}

static char *
format_diagnostics (GPtrArray *diagnostics)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < diagnostics->len; i++)
    {
      g_autofree char *line = dlg_diagnostic_format (g_ptr_array_index (diagnostics, i), "input");

      g_assert_true (g_utf8_validate (line, -1, NULL));
      g_string_append (s, line);
      g_string_append_c (s, '\n');
    }
  return g_string_free (s, FALSE);
}

static char *
make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("dlg-bad-input-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
write_file (const char *path,
            GBytes     *bytes)
{
  g_autoptr(GError) error = NULL;
  gsize n;
  const char *data = g_bytes_get_data (bytes, &n);

  g_file_set_contents (path, data ? data : "", n, &error);
  g_assert_no_error (error);
}

static void
assert_file_is (const char *path,
                GBytes     *bytes)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpmem (contents, length, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* ------------------------------------------------------------------------ */
/* The strict JSON reader                                                   */
/* ------------------------------------------------------------------------ */

#define OVER_64_MIB "67108864"

static const Row json_rows[] = {
  { "empty", "", 0, NULL, dlg_json_error_quark, DLG_JSON_ERROR_SYNTAX, "The file is empty" },
  { "whitespace-only", " \n\t\r ", -1, NULL, dlg_json_error_quark, DLG_JSON_ERROR_SYNTAX, "The file is empty" },
  { "huge", OVER_64_MIB, 0, gen_over, dlg_json_error_quark, DLG_JSON_ERROR_TOO_LARGE, "larger than 64 MiB" },
  { "deeply-nested", "|", 0, gen_nested, dlg_json_error_quark, DLG_JSON_ERROR_DEPTH, "deeper than 64" },
  { "deeply-nested-objects", "{\"a\":|}", 0, gen_nested, dlg_json_error_quark, DLG_JSON_ERROR_DEPTH, "deeper than 64" },
  { "invalid-utf8", "[\"caf\xe9\"]", -1, NULL, dlg_json_error_quark, DLG_JSON_ERROR_ENCODING, "not valid UTF-8" },
  { "overlong-utf8", "[\"\xc0\xaf\"]", -1, NULL, dlg_json_error_quark, DLG_JSON_ERROR_ENCODING, "not valid UTF-8" },
  { "utf8-surrogate", "[\"\xed\xa0\x80\"]", -1, NULL, dlg_json_error_quark, DLG_JSON_ERROR_ENCODING, "not valid UTF-8" },
  { "utf8-beyond-unicode", "[\"\xf4\x90\x80\x80\"]", -1, NULL, dlg_json_error_quark, DLG_JSON_ERROR_ENCODING, "not valid UTF-8" },
  { "lone-surrogate-escape", "[\"\\ud800\"]", -1, NULL, dlg_json_error_quark, DLG_JSON_ERROR_ENCODING, "Unpaired UTF-16 surrogate" },
  { "nul-byte", WITH_NUL ("[\"a\0b\"]"), NULL, dlg_json_error_quark, DLG_JSON_ERROR_ENCODING, "NUL byte" },
  { "nul-escape", "[\"a\\u0000b\"]", -1, NULL, dlg_json_error_quark, DLG_JSON_ERROR_ENCODING, "NUL characters" },
  { "duplicate-key", "{\"a\":1,\"b\":2,\"a\":3}", -1, NULL, dlg_json_error_quark, DLG_JSON_ERROR_DUPLICATE_KEY, "Duplicate member “a”" },
  { "duplicate-key-large-object",
    "{\"k0\":0,\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5,\"k6\":6,\"k7\":7,\"k8\":8,\"k9\":9,"
    "\"k10\":0,\"k11\":1,\"k12\":2,\"k13\":3,\"k14\":4,\"k15\":5,\"k16\":6,\"k17\":7,\"k3\":3}",
    -1, NULL, dlg_json_error_quark, DLG_JSON_ERROR_DUPLICATE_KEY, "Duplicate member “k3”" },
  { "duplicate-key-escaped", "{\"a\":1,\"\\u0061\":2}", -1, NULL, dlg_json_error_quark, DLG_JSON_ERROR_DUPLICATE_KEY, "Duplicate member “a”" },
  { "overlong-number", "[1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000]",
    -1, NULL, dlg_json_error_quark, DLG_JSON_ERROR_SYNTAX, "Number is too long" },
  { "number-out-of-range", "[1e999]", -1, NULL, dlg_json_error_quark, DLG_JSON_ERROR_SYNTAX, "out of range" },
  { "number-leading-zero", "[01]", -1, NULL, dlg_json_error_quark, DLG_JSON_ERROR_SYNTAX, NULL },
  { "number-nan", "[NaN]", -1, NULL, dlg_json_error_quark, DLG_JSON_ERROR_SYNTAX, "a value was expected" },
  { "number-infinity", "[-Infinity]", -1, NULL, dlg_json_error_quark, DLG_JSON_ERROR_SYNTAX, "Invalid number" },
  { "single-quotes", "{'a':1}", -1, NULL, dlg_json_error_quark, DLG_JSON_ERROR_SYNTAX, "double quotes" },
  { "comment", "[1] // note", -1, NULL, dlg_json_error_quark, DLG_JSON_ERROR_SYNTAX, "after the end of the document" },
  { "trailing-comma", "[1,]", -1, NULL, dlg_json_error_quark, DLG_JSON_ERROR_SYNTAX, "Trailing comma" },
  { "unterminated", "{\"a\":\"b", -1, NULL, dlg_json_error_quark, DLG_JSON_ERROR_SYNTAX, "Unterminated string" },
  { "control-character", "[\"a\tb\"]", -1, NULL, dlg_json_error_quark, DLG_JSON_ERROR_SYNTAX, "must be escaped" },
  { "two-documents", "{}\n{}", -1, NULL, dlg_json_error_quark, DLG_JSON_ERROR_SYNTAX, "after the end of the document" },
  { "bom-twice", "\xef\xbb\xbf\xef\xbb\xbf{}", -1, NULL, dlg_json_error_quark, DLG_JSON_ERROR_SYNTAX, NULL },
  { "bom", "\xef\xbb\xbf{}", -1, NULL, ACCEPTED },
  { "empty-object", "{}", -1, NULL, ACCEPTED },
  { "nested-64-levels", "64", 0, gen_depth, ACCEPTED },
  { "nested-65-levels", "65", 0, gen_depth, dlg_json_error_quark, DLG_JSON_ERROR_DEPTH, "deeper than 64" },
};

static void
test_json (gconstpointer data)
{
  const Row *row = data;
  g_autoptr(GBytes) bytes = row_bytes (row);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgJsonDoc) doc = NULL;
  guint line, column;

  doc = dlg_json_doc_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &line, &column, &error);
  check_outcome (row, doc != NULL, error, NULL);
  /* Syntax errors point at a place; size errors are about the whole. */
  if (doc == NULL && error->code != DLG_JSON_ERROR_TOO_LARGE)
    g_assert_true (line > 0 && column > 0);
}

/* ------------------------------------------------------------------------ */
/* Questionnaires                                                           */
/* ------------------------------------------------------------------------ */

#define Q_HEAD "{\"format\":\"diligence-questionnaire/1\",\"id\":\"org.example.bad\",\"version\":\"1\"," \
  "\"kind\":\"due-diligence\",\"default_language\":\"en\",\"languages\":[\"en\"],\"publisher\":\"P\""
#define Q_SECTIONS ",\"sections\":[{\"id\":\"s1\",\"title\":\"S\",\"questions\":[{\"id\":\"q1\",\"type\":\"yes_no\",\"text\":\"Q?\"}]}]}"
#define Q_VALID Q_HEAD ",\"title\":\"T\"" Q_SECTIONS

static const Row questionnaire_rows[] = {
  { "valid", Q_VALID, -1, NULL, ACCEPTED },
  { "bom", "\xef\xbb\xbf" Q_VALID, -1, NULL, ACCEPTED },
  { "empty", "", 0, NULL, dlg_questionnaire_error_quark, DLG_QUESTIONNAIRE_ERROR_SYNTAX, "The file is empty" },
  { "huge", OVER_64_MIB, 0, gen_over, dlg_questionnaire_error_quark, DLG_QUESTIONNAIRE_ERROR_SYNTAX, "larger than 64 MiB" },
  { "deeply-nested", Q_HEAD ",\"title\":\"T\",\"extra\":|" Q_SECTIONS, 0, gen_nested,
    dlg_questionnaire_error_quark, DLG_QUESTIONNAIRE_ERROR_SYNTAX, "deeper than 64" },
  { "invalid-utf8", Q_HEAD ",\"title\":\"Caf\xe9\"" Q_SECTIONS, -1, NULL,
    dlg_questionnaire_error_quark, DLG_QUESTIONNAIRE_ERROR_SYNTAX, "not valid UTF-8" },
  { "nul-byte", WITH_NUL (Q_HEAD ",\"title\":\"T\0\"" Q_SECTIONS), NULL,
    dlg_questionnaire_error_quark, DLG_QUESTIONNAIRE_ERROR_SYNTAX, "NUL byte" },
  { "nul-escape", Q_HEAD ",\"title\":\"T\\u0000\"" Q_SECTIONS, -1, NULL,
    dlg_questionnaire_error_quark, DLG_QUESTIONNAIRE_ERROR_SYNTAX, "NUL characters" },
  { "duplicate-key", Q_HEAD ",\"title\":\"T\",\"title\":\"U\"" Q_SECTIONS, -1, NULL,
    dlg_questionnaire_error_quark, DLG_QUESTIONNAIRE_ERROR_SYNTAX, "Duplicate member “title”" },
  { "wrong-type-title", Q_HEAD ",\"title\":42" Q_SECTIONS, -1, NULL,
    dlg_questionnaire_error_quark, DLG_QUESTIONNAIRE_ERROR_INVALID, "not a number" },
  { "wrong-type-sections", Q_HEAD ",\"title\":\"T\",\"sections\":\"all\"}", -1, NULL,
    dlg_questionnaire_error_quark, DLG_QUESTIONNAIRE_ERROR_INVALID, "/sections" },
  { "wrong-root-type", "[" Q_VALID "]", -1, NULL,
    dlg_questionnaire_error_quark, DLG_QUESTIONNAIRE_ERROR_INVALID, "must be a JSON object" },
  { "overlong-number", Q_HEAD ",\"title\":\"T\",\"sections\":[{\"id\":\"s1\",\"title\":\"S\",\"questions\":"
    "[{\"id\":\"q1\",\"type\":\"number\",\"text\":\"Q?\",\"max\":1e400}]}]}", -1, NULL,
    dlg_questionnaire_error_quark, DLG_QUESTIONNAIRE_ERROR_SYNTAX, "out of range" },
  { "overlong-id", Q_HEAD ",\"title\":\"T\",\"sections\":[{\"id\":\"s1\",\"title\":\"S\",\"questions\":"
    "[{\"id\":\"q12345678901234567890123456789012345678901234567890123456789012345678901234567890\","
    "\"type\":\"yes_no\",\"text\":\"Q?\"}]}]}", -1, NULL,
    dlg_questionnaire_error_quark, DLG_QUESTIONNAIRE_ERROR_INVALID, "/sections/0/questions/0/id" },
  { "wrong-format", "{\"format\":\"diligence-questionnaire/99\",\"id\":\"x\"}", -1, NULL,
    dlg_questionnaire_error_quark, DLG_QUESTIONNAIRE_ERROR_INVALID, "/format" },
  { "text-after-document", Q_VALID "{}", -1, NULL,
    dlg_questionnaire_error_quark, DLG_QUESTIONNAIRE_ERROR_SYNTAX, "after the end of the document" },
  { "random-bytes", "4096", 0, gen_random, dlg_questionnaire_error_quark, DLG_QUESTIONNAIRE_ERROR_SYNTAX, NULL },
};

static void
test_questionnaire (gconstpointer data)
{
  const Row *row = data;
  g_autoptr(GBytes) bytes = row_bytes (row);
  g_autoptr(GPtrArray) diagnostics = dlg_diagnostics_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgQuestionnaire) q = NULL;
  g_autofree char *all = NULL;

  q = dlg_questionnaire_new_from_bytes (bytes, diagnostics, &error);
  all = format_diagnostics (diagnostics);
  check_outcome (row, q != NULL, error, all);
}

/* ------------------------------------------------------------------------ */
/* Answers files (against tests/data/valid/scoring.json)                    */
/* ------------------------------------------------------------------------ */

#define A_HEAD "{\"format\":\"diligence-answers/1\",\"questionnaire\":{\"id\":\"org.example.scoring\",\"version\":\"1\"},\"answers\":"
#define A(answers) A_HEAD answers "}"
#define EVIDENCE(name) A ("{\"a1\":{\"value\":\"g\",\"evidence\":[{\"name\":\"" name "\",\"sha256\":" \
  "\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"}]}}")
/* 255 bytes: the longest file name Linux allows; one more is too long. */
#define LONG_NAME_255 \
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" ".pdf"
#define LONG_NAME_256 "a" LONG_NAME_255

static const Row answers_rows[] = {
  { "valid", A ("{\"a1\":{\"value\":\"g\"},\"b2\":{\"value\":40}}"), -1, NULL, ACCEPTED },
  { "bom", "\xef\xbb\xbf" A ("{}"), -1, NULL, ACCEPTED },
  { "empty", "", 0, NULL, dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_FILE, "The file is empty" },
  { "huge", OVER_64_MIB, 0, gen_over, dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_FILE, "larger than 64 MiB" },
  { "deeply-nested", A_HEAD "{\"b3\":{\"value\":|}}}", 0, gen_nested,
    dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_FILE, "deeper than 64" },
  { "invalid-utf8", A ("{\"b3\":{\"value\":\"\xff\xfe\"}}"), -1, NULL,
    dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_FILE, "not valid UTF-8" },
  { "nul-byte", WITH_NUL (A ("{\"b3\":{\"value\":\"a\0b\"}}")), NULL,
    dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_FILE, "NUL byte" },
  { "nul-escape-in-comment", A ("{\"a1\":{\"value\":\"g\",\"comment\":\"ok\\u0000hidden\"}}"), -1, NULL,
    dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_FILE, "NUL characters" },
  { "duplicate-answer", A ("{\"a1\":{\"value\":\"g\"},\"a1\":{\"value\":\"r\"}}"), -1, NULL,
    dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_FILE, "Duplicate member “a1”" },
  { "duplicate-value", A ("{\"a1\":{\"value\":\"g\",\"value\":\"r\"}}"), -1, NULL,
    dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_FILE, "Duplicate member “value”" },
  { "wrong-type-number", A ("{\"b2\":{\"value\":\"12\"}}"), -1, NULL,
    dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_FILE, "takes a number" },
  { "wrong-type-answers", A ("[]"), -1, NULL,
    dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_FILE, "/answers" },
  { "wrong-type-choice", A ("{\"a1\":{\"value\":true}}"), -1, NULL,
    dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_FILE, "/answers/a1/value" },
  { "overlong-number", A ("{\"b2\":{\"value\":1e400}}"), -1, NULL,
    dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_FILE, "out of range" },
  { "number-beyond-max", A ("{\"b2\":{\"value\":1e300}}"), -1, NULL,
    dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_FILE, "/answers/b2/value" },
  { "unknown-question", A ("{\"zz\":{\"value\":\"g\"}}"), -1, NULL,
    dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_FILE, "no question “zz”" },
  { "other-questionnaire", "{\"format\":\"diligence-answers/1\",\"questionnaire\":{\"id\":\"org.example.other\","
    "\"version\":\"1\"},\"answers\":{}}", -1, NULL,
    dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_FILE, "for questionnaire “org.example.other”" },
  { "evidence-path-traversal", EVIDENCE ("../../etc/passwd"), -1, NULL,
    dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_FILE, "not a path" },
  { "evidence-absolute-path", EVIDENCE ("/etc/passwd"), -1, NULL,
    dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_FILE, "not a path" },
  { "evidence-windows-path", EVIDENCE ("C:\\\\Windows\\\\win.ini"), -1, NULL,
    dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_FILE, "not a path" },
  { "evidence-dot-dot", EVIDENCE (".."), -1, NULL,
    dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_FILE, "not a path" },
  { "evidence-nul", EVIDENCE ("a.pdf\\u0000.exe"), -1, NULL,
    dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_FILE, "NUL characters" },
  { "evidence-long-name", EVIDENCE (LONG_NAME_256), -1, NULL,
    dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_FILE, "too long (256 bytes; at most 255)" },
  { "evidence-line-break", EVIDENCE ("a\\nb.pdf"), -1, NULL,
    dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_FILE, "control characters" },
  { "evidence-direction-override", EVIDENCE ("report\\u202efdp.exe"), -1, NULL,
    dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_FILE, "text-direction marks" },
  { "evidence-empty-name", EVIDENCE (""), -1, NULL,
    dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_FILE, "needs a name" },
  { "evidence-bad-hash", A ("{\"a1\":{\"value\":\"g\",\"evidence\":[{\"name\":\"a.pdf\",\"sha256\":\"../../etc\"}]}}"), -1, NULL,
    dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_FILE, "SHA-256" },
  { "evidence-255-bytes", EVIDENCE (LONG_NAME_255), -1, NULL, ACCEPTED },
  { "random-bytes", "4096", 0, gen_random, dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_FILE, NULL },
};

static void
test_answers (gconstpointer data)
{
  const Row *row = data;
  g_autoptr(GBytes) bytes = row_bytes (row);
  g_autoptr(GPtrArray) diagnostics = dlg_diagnostics_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgAssessment) a = NULL;
  g_autofree char *all = NULL;

  a = dlg_assessment_new_from_answers (scoring, bytes, diagnostics, &error);
  all = format_diagnostics (diagnostics);
  check_outcome (row, a != NULL, error, all);
}

/* ------------------------------------------------------------------------ */
/* Signed documents: compact JWS, parsed then verified with the signing key */
/* ------------------------------------------------------------------------ */

#define OVER_32_MIB "33554432"

static const Row jws_rows[] = {
  { "valid", "{\"alg\":\"EdDSA\",\"kid\":\"@KID@\",\"typ\":\"diligence-report+jws\"}", 0, gen_signed, ACCEPTED },
  { "empty", "", 0, NULL, dlg_jws_error_quark, DLG_JWS_ERROR_MALFORMED, "is empty" },
  { "huge", OVER_32_MIB, 0, gen_over, dlg_jws_error_quark, DLG_JWS_ERROR_TOO_LARGE, "too large" },
  { "alg-none", "{\"alg\":\"none\",\"kid\":\"@KID@\"}", 0, gen_alg_none,
    dlg_jws_error_quark, DLG_JWS_ERROR_UNSUPPORTED_ALGORITHM, "not signed" },
  { "alg-none-capitals", "{\"alg\":\"None\",\"kid\":\"@KID@\"}", 0, gen_alg_none,
    dlg_jws_error_quark, DLG_JWS_ERROR_UNSUPPORTED_ALGORITHM, "only EdDSA" },
  { "alg-hs256-public-key-as-secret", "{\"alg\":\"HS256\",\"kid\":\"@KID@\"}", 0, gen_alg_hmac,
    dlg_jws_error_quark, DLG_JWS_ERROR_UNSUPPORTED_ALGORITHM, "“HS256”" },
  { "alg-missing", "{\"kid\":\"@KID@\"}", 0, gen_signed,
    dlg_jws_error_quark, DLG_JWS_ERROR_MALFORMED, "does not name its algorithm" },
  { "alg-wrong-type", "{\"alg\":[\"EdDSA\"],\"kid\":\"@KID@\"}", 0, gen_signed,
    dlg_jws_error_quark, DLG_JWS_ERROR_MALFORMED, "does not name its algorithm" },
  { "alg-duplicate", "{\"alg\":\"EdDSA\",\"alg\":\"none\",\"kid\":\"@KID@\"}", 0, gen_signed,
    dlg_jws_error_quark, DLG_JWS_ERROR_MALFORMED, "Duplicate member “alg”" },
  { "crit-extension", "{\"alg\":\"EdDSA\",\"kid\":\"@KID@\",\"crit\":[\"exp\"],\"exp\":1}", 0, gen_signed,
    dlg_jws_error_quark, DLG_JWS_ERROR_UNSUPPORTED_CRITICAL, "“exp”" },
  { "crit-empty", "{\"alg\":\"EdDSA\",\"kid\":\"@KID@\",\"crit\":[]}", 0, gen_signed,
    dlg_jws_error_quark, DLG_JWS_ERROR_MALFORMED, "non-empty list" },
  { "crit-wrong-type", "{\"alg\":\"EdDSA\",\"kid\":\"@KID@\",\"crit\":[1]}", 0, gen_signed,
    dlg_jws_error_quark, DLG_JWS_ERROR_MALFORMED, "item 1 is a number" },
  { "b64-false", "{\"alg\":\"EdDSA\",\"kid\":\"@KID@\",\"b64\":false}", 0, gen_signed,
    dlg_jws_error_quark, DLG_JWS_ERROR_UNSUPPORTED_CRITICAL, "unencoded payload" },
  { "kid-missing", "{\"alg\":\"EdDSA\"}", 0, gen_signed, dlg_jws_error_quark, DLG_JWS_ERROR_MALFORMED, "(“kid”)" },
  { "kid-wrong-type", "{\"alg\":\"EdDSA\",\"kid\":42}", 0, gen_signed,
    dlg_jws_error_quark, DLG_JWS_ERROR_MALFORMED, "not a valid key id" },
  { "kid-overlong", "{\"alg\":\"EdDSA\",\"kid\":\"@KID@@KID@@KID@@KID@@KID@@KID@@KID@\"}", 0, gen_signed,
    dlg_jws_error_quark, DLG_JWS_ERROR_MALFORMED, "not a valid key id" },
  { "kid-nul", "{\"alg\":\"EdDSA\",\"kid\":\"@KID@\\u0000x\"}", 0, gen_signed,
    dlg_jws_error_quark, DLG_JWS_ERROR_MALFORMED, "NUL characters" },
  { "kid-of-another-key", "other:{\"alg\":\"EdDSA\",\"kid\":\"@X2@\"}", 0, gen_signed,
    dlg_jws_error_quark, DLG_JWS_ERROR_KEY_MISMATCH, "not with the key" },
  { "kid-lies", "other:{\"alg\":\"EdDSA\",\"kid\":\"@KID@\"}", 0, gen_signed,
    dlg_jws_error_quark, DLG_JWS_ERROR_BAD_SIGNATURE, "not valid" },
  { "header-deeply-nested", "{\"alg\":\"EdDSA\",\"kid\":\"@KID@\",\"x\":|}", 0, gen_signed,
    dlg_jws_error_quark, DLG_JWS_ERROR_MALFORMED, "deeper than 64" },
  { "header-invalid-utf8", "{\"alg\":\"EdDSA\",\"kid\":\"@KID@\",\"typ\":\"\xff\"}", 0, gen_signed,
    dlg_jws_error_quark, DLG_JWS_ERROR_MALFORMED, "not valid UTF-8" },
  { "header-array", "[\"EdDSA\"]", 0, gen_signed,
    dlg_jws_error_quark, DLG_JWS_ERROR_MALFORMED, "must be a JSON object, not an array" },
  { "header-overlong-number", "{\"alg\":\"EdDSA\",\"kid\":\"@KID@\",\"iat\":1e999}", 0, gen_signed,
    dlg_jws_error_quark, DLG_JWS_ERROR_MALFORMED, "out of range" },
  { "header-bom", "\xef\xbb\xbf{\"alg\":\"EdDSA\",\"kid\":\"@KID@\"}", 0, gen_signed, ACCEPTED },
  { "typ-with-quote", "{\"alg\":\"EdDSA\",\"kid\":\"@KID@\",\"typ\":\"a\\\"b\"}", 0, gen_signed,
    dlg_jws_error_quark, DLG_JWS_ERROR_MALFORMED, "not a valid type" },
  { "payload-changed", "payload", 0, gen_tampered, dlg_jws_error_quark, DLG_JWS_ERROR_BAD_SIGNATURE, "changed after it was signed" },
  { "signature-truncated", "short-signature", 0, gen_tampered,
    dlg_jws_error_quark, DLG_JWS_ERROR_BAD_SIGNATURE, "an Ed25519 signature has 64" },
  { "signature-missing", "no-signature", 0, gen_tampered, dlg_jws_error_quark, DLG_JWS_ERROR_BAD_SIGNATURE, "no signature" },
  { "trailing-newline", "newline", 0, gen_tampered, dlg_jws_error_quark, DLG_JWS_ERROR_MALFORMED, "white space" },
  { "padding", "padding", 0, gen_tampered, dlg_jws_error_quark, DLG_JWS_ERROR_MALFORMED, "padding" },
  { "four-parts", "four-parts", 0, gen_tampered, dlg_jws_error_quark, DLG_JWS_ERROR_MALFORMED, "4 parts" },
  { "nul-byte", "nul", 0, gen_tampered, dlg_jws_error_quark, DLG_JWS_ERROR_MALFORMED, "0x00" },
  { "json-instead", "{\"payload\":\"eyJ9\",\"signatures\":[]}", -1, NULL,
    dlg_jws_error_quark, DLG_JWS_ERROR_MALFORMED, "it has 1 part separated" },
  { "random-bytes", "4096", 0, gen_random, dlg_jws_error_quark, DLG_JWS_ERROR_MALFORMED, NULL },
};

static void
test_jws (gconstpointer data)
{
  const Row *row = data;
  g_autoptr(GBytes) bytes = row_bytes (row);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgJws) jws = NULL;
  gboolean ok;

  jws = dlg_jws_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  ok = jws != NULL && dlg_jws_verify (jws, signing_key, &error);
  check_outcome (row, ok, error, NULL);
}

/* ------------------------------------------------------------------------ */
/* Key files: PEM and JSON Web Keys                                         */
/* ------------------------------------------------------------------------ */

#define OVER_64_KIB "65536"
#define JWK(extra) "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"@X@\"" extra "}"
/* SPKI header of an Ed25519 public key, then 32 key bytes. */
#define SPKI_PEM(body) "-----BEGIN PUBLIC KEY-----\n" body "\n-----END PUBLIC KEY-----\n"

static const Row key_rows[] = {
  { "jwk", JWK (""), 0, gen_expand, ACCEPTED },
  { "jwk-bom", "\xef\xbb\xbf" JWK (""), 0, gen_expand, ACCEPTED },
  { "pem-bom", "\xef\xbb\xbf" SPKI_PEM ("MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE="), -1, NULL, ACCEPTED },
  { "pem-with-text-around", "Our key:\n" SPKI_PEM ("MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=") "Regards\n", -1, NULL, ACCEPTED },
  { "empty", "", 0, NULL, dlg_key_error_quark, DLG_KEY_ERROR_INVALID, "no “-----BEGIN" },
  { "huge", OVER_64_KIB, 0, gen_over, dlg_key_error_quark, DLG_KEY_ERROR_INVALID, "too large to be a key file" },
  { "jwk-deeply-nested", "{\"kty\":\"OKP\",\"x\":|}", 0, gen_nested, dlg_key_error_quark, DLG_KEY_ERROR_INVALID, "deeper than 64" },
  { "jwk-invalid-utf8", "{\"kty\":\"OKP\xff\",\"crv\":\"Ed25519\"}", -1, NULL,
    dlg_key_error_quark, DLG_KEY_ERROR_INVALID, "not valid UTF-8" },
  { "jwk-wrong-type-kty", "{\"kty\":1,\"crv\":\"Ed25519\",\"x\":\"@X@\"}", 0, gen_expand,
    dlg_key_error_quark, DLG_KEY_ERROR_INVALID, "no key type" },
  { "jwk-wrong-type-x", "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":[\"@X@\"]}", 0, gen_expand,
    dlg_key_error_quark, DLG_KEY_ERROR_INVALID, "no public key (“x”)" },
  { "jwk-duplicate-x", JWK (",\"x\":\"@X2@\""), 0, gen_expand,
    dlg_key_error_quark, DLG_KEY_ERROR_INVALID, "Duplicate member “x”" },
  { "jwk-nul-byte", WITH_NUL ("{\"kty\":\"OKP\"\0}"), NULL, dlg_key_error_quark, DLG_KEY_ERROR_INVALID, "NUL byte" },
  { "jwk-nul-escape", "{\"kty\":\"OKP\\u0000\",\"crv\":\"Ed25519\"}", -1, NULL,
    dlg_key_error_quark, DLG_KEY_ERROR_INVALID, "NUL characters" },
  { "jwk-overlong-number", JWK (",\"exp\":1e999"), 0, gen_expand, dlg_key_error_quark, DLG_KEY_ERROR_INVALID, "out of range" },
  { "jwk-alg-none", JWK (",\"alg\":\"none\""), 0, gen_expand, dlg_key_error_quark, DLG_KEY_ERROR_UNSUPPORTED, "another algorithm" },
  { "jwk-alg-hs256", JWK (",\"alg\":\"HS256\""), 0, gen_expand, dlg_key_error_quark, DLG_KEY_ERROR_UNSUPPORTED, "another algorithm" },
  { "jwk-hmac-secret", "{\"kty\":\"oct\",\"k\":\"c2VjcmV0\",\"alg\":\"HS256\"}", -1, NULL,
    dlg_key_error_quark, DLG_KEY_ERROR_UNSUPPORTED, "“oct”" },
  { "jwk-private", JWK (",\"d\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\""), 0, gen_expand,
    dlg_key_error_quark, DLG_KEY_ERROR_INVALID, "contains a private key" },
  { "jwk-wrong-kid", JWK (",\"kid\":\"@X2@\""), 0, gen_expand, dlg_key_error_quark, DLG_KEY_ERROR_INVALID, "thumbprint" },
  { "jwk-x25519", "{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"@X@\"}", 0, gen_expand,
    dlg_key_error_quark, DLG_KEY_ERROR_UNSUPPORTED, "“OKP/X25519”" },
  { "jwk-short-x", "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"AAAA\"}", -1, NULL,
    dlg_key_error_quark, DLG_KEY_ERROR_INVALID, "32 bytes, not 3" },
  { "jwk-identity-point", "0100000000000000000000000000000000000000000000000000000000000000|"
    "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"@RAWX@\"}", 0, gen_raw_key,
    dlg_key_error_quark, DLG_KEY_ERROR_INVALID, "anyone could make signatures" },
  { "jwk-order-8-point", "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a|"
    "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"@RAWX@\"}", 0, gen_raw_key,
    dlg_key_error_quark, DLG_KEY_ERROR_INVALID, "anyone could make signatures" },
  { "jwk-non-canonical", "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f|"
    "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"@RAWX@\"}", 0, gen_raw_key,
    dlg_key_error_quark, DLG_KEY_ERROR_INVALID, "standard Ed25519 encoding" },
  { "pem-identity-point", SPKI_PEM ("MCowBQYDK2VwAyEAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="), -1, NULL,
    dlg_key_error_quark, DLG_KEY_ERROR_INVALID, "anyone could make signatures" },
  { "pem-truncated", "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmE", -1, NULL,
    dlg_key_error_quark, DLG_KEY_ERROR_INVALID, "cannot be read" },
  { "pem-bad-base64", SPKI_PEM ("MCowBQYDK2VwAyEA!!!!ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE="), -1, NULL,
    dlg_key_error_quark, DLG_KEY_ERROR_INVALID, "cannot be read" },
  { "pem-nul-byte", WITH_NUL (SPKI_PEM ("MCowBQYDK2VwAyEA\0GWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=")), NULL, dlg_key_error_quark, DLG_KEY_ERROR_INVALID, "cannot be read" },
  { "pem-encrypted", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIGbMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAc\n"
    "-----END ENCRYPTED PRIVATE KEY-----\n", -1, NULL, dlg_key_error_quark, DLG_KEY_ERROR_UNSUPPORTED, "password" },
  { "pem-certificate", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", -1, NULL,
    dlg_key_error_quark, DLG_KEY_ERROR_UNSUPPORTED, "“CERTIFICATE”" },
  { "pem-ecdsa", SPKI_PEM ("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE9s6ZXeIMxBsQ7ayMQOFBWWOAlKWW\n"
    "QuPJKSsqFe4H6u7UqP4M4GP4C7kW/mPzmVUz7eeNe2K5D+2JrNW4Vm8HGw=="), -1, NULL,
    dlg_key_error_quark, DLG_KEY_ERROR_UNSUPPORTED, "Ed25519 keys only" },
  { "random-bytes", "4096", 0, gen_random, dlg_key_error_quark, DLG_KEY_ERROR_INVALID, NULL },
};

static void
test_key (gconstpointer data)
{
  const Row *row = data;
  g_autoptr(GBytes) bytes = row_bytes (row);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgKey) key = NULL;

  key = dlg_key_new_from_data (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  check_outcome (row, key != NULL, error, NULL);
}

/* ------------------------------------------------------------------------ */
/* The list of known keys (trust.json)                                      */
/* ------------------------------------------------------------------------ */

#define T_ENTRY(kid, x, name, trusted, added) \
  "{\"kid\":\"" kid "\",\"x\":\"" x "\",\"organisation\":{\"name\":" name ",\"id\":null}," \
  "\"trusted\":" trusted ",\"added_at\":" added "}"
#define T_GOOD T_ENTRY ("@KID@", "@X@", "\"Exemple SA\"", "true", "\"2026-01-15T10:00:00Z\"")
#define TRUST(keys) "{\"format\":\"diligence-trust/1\",\"keys\":[" keys "]}"

static const Row trust_rows[] = {
  { "valid", TRUST (T_GOOD), 0, gen_expand, ACCEPTED },
  { "bom", "\xef\xbb\xbf" TRUST (T_GOOD), 0, gen_expand, ACCEPTED },
  { "empty", "", 0, NULL, dlg_trust_store_error_quark, DLG_TRUST_STORE_ERROR_CORRUPT, "The file is empty" },
  { "deeply-nested", "{\"format\":\"diligence-trust/1\",\"keys\":|}", 0, gen_nested,
    dlg_trust_store_error_quark, DLG_TRUST_STORE_ERROR_CORRUPT, "deeper than 64" },
  { "invalid-utf8", TRUST (T_ENTRY ("@KID@", "@X@", "\"Caf\xe9\"", "true", "\"2026-01-15T10:00:00Z\"")), 0, gen_expand,
    dlg_trust_store_error_quark, DLG_TRUST_STORE_ERROR_CORRUPT, "not valid UTF-8" },
  { "nul-byte", WITH_NUL ("{\"format\":\"diligence-trust/1\",\0\"keys\":[]}"), NULL,
    dlg_trust_store_error_quark, DLG_TRUST_STORE_ERROR_CORRUPT, "NUL byte" },
  { "nul-escape-in-name", TRUST (T_ENTRY ("@KID@", "@X@", "\"Exemple\\u0000SA\"", "true", "\"2026-01-15T10:00:00Z\"")), 0, gen_expand,
    dlg_trust_store_error_quark, DLG_TRUST_STORE_ERROR_CORRUPT, "NUL characters" },
  { "duplicate-member", "{\"format\":\"diligence-trust/1\",\"keys\":[],\"keys\":[]}", -1, NULL,
    dlg_trust_store_error_quark, DLG_TRUST_STORE_ERROR_CORRUPT, "Duplicate member “keys”" },
  { "key-listed-twice", TRUST (T_GOOD "," T_GOOD), 0, gen_expand,
    dlg_trust_store_error_quark, DLG_TRUST_STORE_ERROR_CORRUPT, "listed twice" },
  { "wrong-type-trusted", TRUST (T_ENTRY ("@KID@", "@X@", "\"Exemple SA\"", "\"yes\"", "\"2026-01-15T10:00:00Z\"")), 0, gen_expand,
    dlg_trust_store_error_quark, DLG_TRUST_STORE_ERROR_CORRUPT, "wrong type" },
  { "wrong-type-keys", "{\"format\":\"diligence-trust/1\",\"keys\":{}}", -1, NULL,
    dlg_trust_store_error_quark, DLG_TRUST_STORE_ERROR_CORRUPT, "“keys” is missing or not a list" },
  { "overlong-number", TRUST (T_ENTRY ("@KID@", "@X@", "\"Exemple SA\"", "1e999", "\"2026-01-15T10:00:00Z\"")), 0, gen_expand,
    dlg_trust_store_error_quark, DLG_TRUST_STORE_ERROR_CORRUPT, "out of range" },
  { "kid-does-not-match", TRUST (T_ENTRY ("@KID@", "@X2@", "\"Exemple SA\"", "true", "\"2026-01-15T10:00:00Z\"")), 0, gen_expand,
    dlg_trust_store_error_quark, DLG_TRUST_STORE_ERROR_CORRUPT, "does not match the key" },
  { "identity-point", "0100000000000000000000000000000000000000000000000000000000000000|"
    TRUST (T_ENTRY ("@RAWKID@", "@RAWX@", "\"Exemple SA\"", "true", "\"2026-01-15T10:00:00Z\"")), 0, gen_raw_key,
    dlg_trust_store_error_quark, DLG_TRUST_STORE_ERROR_CORRUPT, "anyone could make signatures" },
  { "empty-name", TRUST (T_ENTRY ("@KID@", "@X@", "\"\"", "true", "\"2026-01-15T10:00:00Z\"")), 0, gen_expand,
    dlg_trust_store_error_quark, DLG_TRUST_STORE_ERROR_CORRUPT, "empty or overlong name" },
  { "bad-date", TRUST (T_ENTRY ("@KID@", "@X@", "\"Exemple SA\"", "true", "\"yesterday\"")), 0, gen_expand,
    dlg_trust_store_error_quark, DLG_TRUST_STORE_ERROR_CORRUPT, "not a valid date" },
  { "newer-format", "{\"format\":\"diligence-trust/2\",\"keys\":[]}", -1, NULL,
    dlg_trust_store_error_quark, DLG_TRUST_STORE_ERROR_NEWER_FORMAT, "newer version of Diligence" },
  { "other-format", "{\"format\":\"something\",\"keys\":[]}", -1, NULL,
    dlg_trust_store_error_quark, DLG_TRUST_STORE_ERROR_CORRUPT, "not a list of keys" },
  { "random-bytes", "4096", 0, gen_random, dlg_trust_store_error_quark, DLG_TRUST_STORE_ERROR_CORRUPT, NULL },
};

/* Both ways in: the file the app opens, and the same bytes given directly.
 * A refused file is never rewritten. */
static void
test_trust (gconstpointer data)
{
  const Row *row = data;
  g_autoptr(GBytes) bytes = row_bytes (row);
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "trust.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) bytes_error = NULL;
  g_autoptr(DlgTrustStore) store = NULL;
  g_autoptr(DlgTrustStore) from_bytes = NULL;

  write_file (path, bytes);
  store = dlg_trust_store_open (path, &error);
  check_outcome (row, store != NULL, error, NULL);
  assert_file_is (path, bytes);

  from_bytes = dlg_trust_store_new_from_bytes (bytes, path, &bytes_error);
  check_outcome (row, from_bytes != NULL, bytes_error, NULL);
  g_assert_cmpstr (error ? error->message : NULL, ==, bytes_error ? bytes_error->message : NULL);
  if (store != NULL)
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==,
                      g_list_model_get_n_items (G_LIST_MODEL (from_bytes)));

  remove_tree (dir);
}

/* A trust.json too large to be one is refused before it is read. */
static void
test_trust_huge (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "trust.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgTrustStore) store = NULL;
  int fd = g_open (path, O_WRONLY | O_CREAT, 0600);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (goffset) DLG_JSON_MAX_SIZE + 1), ==, 0);
  close (fd);

  store = dlg_trust_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "larger than 64.0\xc2\xa0MiB"));
  remove_tree (dir);
}

/* ------------------------------------------------------------------------ */
/* Evidence names                                                           */
/* ------------------------------------------------------------------------ */

static const Row evidence_name_rows[] = {
  { "plain", "Audit report 2026 (final).pdf", -1, NULL, ACCEPTED },
  { "accents-and-scripts", "Łódź — rapport d’audit 審査.pdf", -1, NULL, ACCEPTED },
  { "hidden-file", ".policy.pdf", -1, NULL, ACCEPTED },
  { "path-traversal", "../../etc/passwd", -1, NULL,
    dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_VALUE, "not a path" },
  { "absolute-path", "/etc/passwd", -1, NULL, dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_VALUE, "not a path" },
  { "backslash-path", "..\\..\\boot.ini", -1, NULL, dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_VALUE, "not a path" },
  { "dot", ".", -1, NULL, dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_VALUE, "not a path" },
  { "dot-dot", "..", -1, NULL, dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_VALUE, "not a path" },
  { "empty", "", -1, NULL, dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_VALUE, "needs a name" },
  { "too-long", LONG_NAME_256, -1, NULL, dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_VALUE, "too long" },
  { "invalid-utf8", "caf\xe9.pdf", -1, NULL, dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_VALUE, "“caf\xef\xbf\xbd.pdf”" },
  { "control-character", "a\x1b[2Jb.pdf", -1, NULL, dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_VALUE, "“a?[2Jb.pdf”" },
  { "line-break", "a\nb.pdf", -1, NULL, dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_VALUE, "control characters" },
  { "direction-override", "report\xe2\x80\xae" "fdp.exe", -1, NULL,
    dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_VALUE, "text-direction marks" },
  { "direction-isolate", "a\xe2\x81\xa6" "b.pdf", -1, NULL,
    dlg_assessment_error_quark, DLG_ASSESSMENT_ERROR_INVALID_VALUE, "text-direction marks" },
};

static void
test_evidence_name (gconstpointer data)
{
  const Row *row = data;
  g_autoptr(GError) error = NULL;
  gboolean ok = dlg_evidence_name_check (row->input, &error);

  check_outcome (row, ok, error, NULL);
}

/* Attaching real files to a stored assessment. */
typedef struct
{
  char             *dir;
  DlgStore         *store;
  DlgAssessment    *assessment;
  char             *id;
} StoreFixture;

static void
store_fixture_set_up (StoreFixture  *f,
                      gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = make_dir ();
  path = g_build_filename (f->dir, "data", "diligence.sqlite", NULL);
  f->store = dlg_store_open (path, &error);
  g_assert_no_error (error);
  f->id = dlg_store_create_assessment (f->store, scoring, "Evidence", "2026", NULL, FALSE, &error);
  g_assert_no_error (error);
  f->assessment = dlg_assessment_new (scoring);
}

static void
store_fixture_tear_down (StoreFixture  *f,
                         gconstpointer  data)
{
  g_clear_object (&f->assessment);
  g_clear_object (&f->store);
  g_free (f->id);
  remove_tree (f->dir);
  g_free (f->dir);
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d && g_dir_read_name (d))
    n++;
  return n;
}

static void
assert_no_evidence_stored (StoreFixture *f)
{
  g_assert_cmpuint (count_files (dlg_store_get_evidence_dir (f->store)), ==, 0);
  g_assert_null (dlg_assessment_get_answer (f->assessment, "a2"));
}

static void
test_attach_control_character (StoreFixture  *f,
                               gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "a\x01" "b.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "%PDF", -1, NULL));
  g_assert_false (dlg_store_add_evidence (f->store, f->id, f->assessment, "a2", file, NULL, &error));
  g_assert_error (error, DLG_ASSESSMENT_ERROR, DLG_ASSESSMENT_ERROR_INVALID_VALUE);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_test_message ("%s", error->message);
  /* Refused before anything was copied. */
  assert_no_evidence_stored (f);
}

static void
test_attach_latin1_name (StoreFixture  *f,
                         gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "r\xe9sum\xe9.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  const DlgAnswer *answer;
  const char *name;

  /* A file name from an old Latin-1 system: attached, its name shown as
   * well as it can be. */
  g_assert_true (g_file_set_contents (path, "%PDF", -1, NULL));
  g_assert_true (dlg_store_add_evidence (f->store, f->id, f->assessment, "a2", file, NULL, &error));
  g_assert_no_error (error);
  answer = dlg_assessment_get_answer (f->assessment, "a2");
  name = ((DlgEvidenceRef *) g_ptr_array_index (answer->evidence, 0))->name;
  g_assert_true (g_utf8_validate (name, -1, NULL));
  g_assert_true (g_str_has_suffix (name, ".pdf"));
}

static void
test_attach_relative_path (StoreFixture  *f,
                           gconstpointer  data)
{
  g_autofree char *sub = g_build_filename (f->dir, "a", "b", NULL);
  g_autofree char *target = g_build_filename (f->dir, "passwd", NULL);
  g_autofree char *relative = g_build_filename (sub, "..", "..", "passwd", NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = NULL;
  g_autoptr(GFile) stored = NULL;
  g_autoptr(GFile) evidence_dir = NULL;
  const DlgAnswer *answer;

  g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);
  g_assert_true (g_file_set_contents (target, "root:x:0:0", -1, NULL));
  file = g_file_new_for_path (relative);

  /* Only the last part of the path is kept as the name, and the copy goes
   * into the evidence folder under its hash, whatever the path says. */
  g_assert_true (dlg_store_add_evidence (f->store, f->id, f->assessment, "a2", file, &sha, &error));
  g_assert_no_error (error);
  answer = dlg_assessment_get_answer (f->assessment, "a2");
  g_assert_cmpstr (((DlgEvidenceRef *) g_ptr_array_index (answer->evidence, 0))->name, ==, "passwd");
  stored = dlg_store_get_evidence_file (f->store, sha);
  evidence_dir = g_file_new_for_path (dlg_store_get_evidence_dir (f->store));
  g_assert_true (g_file_has_parent (stored, evidence_dir));
  g_assert_cmpuint (count_files (dlg_store_get_evidence_dir (f->store)), ==, 1);
}

static void
test_attach_directory (StoreFixture  *f,
                       gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_for_path (f->dir);
  g_autoptr(GError) error = NULL;

  g_assert_false (dlg_store_add_evidence (f->store, f->id, f->assessment, "a2", file, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_test_message ("%s", error->message);
  assert_no_evidence_stored (f);
}

static void
test_attach_device (StoreFixture  *f,
                    gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/dev/zero");
  g_autoptr(GError) error = NULL;

  /* Endless: it must be refused, not copied until the disk is full. */
  g_assert_false (dlg_store_add_evidence (f->store, f->id, f->assessment, "a2", file, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_assert_nonnull (strstr (error->message, "“zero” is not a regular file"));
  assert_no_evidence_stored (f);
}

static void
test_attach_fifo (StoreFixture  *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "pipe.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  /* Opening a pipe with no writer would block for ever. */
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  g_assert_false (dlg_store_add_evidence (f->store, f->id, f->assessment, "a2", file, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  assert_no_evidence_stored (f);
}

static void
test_attach_missing (StoreFixture  *f,
                     gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "gone.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_false (dlg_store_add_evidence (f->store, f->id, f->assessment, "a2", file, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  assert_no_evidence_stored (f);
}

/* ------------------------------------------------------------------------ */
/* Database files                                                           */
/* ------------------------------------------------------------------------ */

/* Makes a real store with one assessment, then closes it; returns its
 * bytes. */
static GBytes *
make_database (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "good.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgStore) store = dlg_store_open (path, &error);
  g_autofree char *id = NULL;
  g_autoptr(DlgAssessment) a = dlg_assessment_new (scoring);
  g_autofree char *contents = NULL;
  gsize length;
  GBytes *bytes;

  g_assert_no_error (error);
  id = dlg_store_create_assessment (store, scoring, "Good", "2026", NULL, FALSE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *text = g_strdup_printf ("answer %u %s", i, "lorem ipsum dolor sit amet, consectetur");

      g_assert_true (dlg_assessment_set_text (a, "b3", text, NULL));
      g_assert_true (dlg_assessment_set_comment (a, "a1", text, NULL));
      g_assert_true (dlg_store_save_answers (store, id, a, (const char * const[]) { "b3", "a1", NULL }, &error));
      g_assert_no_error (error);
    }
  g_clear_object (&store);   /* checkpoints the WAL into the file */

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  g_unlink (path);
  return bytes;
}

typedef enum
{
  DB_EMPTY,
  DB_RANDOM,
  DB_TEXT,
  DB_HEADER_DESTROYED,
  DB_TRUNCATED_HALF,
  DB_TRUNCATED_HEADER,
  DB_NEWER_SCHEMA,
  DB_FOREIGN,
  DB_GARBAGE_WAL,
  DB_DIRECTORY,
} DbCase;

typedef struct
{
  const char  *name;
  DbCase       what;
  GQuark     (*domain) (void);
  int          code;
  const char  *message;
} DbRow;

static const DbRow db_rows[] = {
  { "empty-file", DB_EMPTY, NULL, 0, NULL },
  { "random-bytes", DB_RANDOM, dlg_store_error_quark, DLG_STORE_ERROR_CORRUPT, "is not a Diligence database" },
  { "text-file", DB_TEXT, dlg_store_error_quark, DLG_STORE_ERROR_CORRUPT, "left untouched" },
  { "header-destroyed", DB_HEADER_DESTROYED, dlg_store_error_quark, DLG_STORE_ERROR_CORRUPT, "damaged" },
  { "truncated-to-half", DB_TRUNCATED_HALF, dlg_store_error_quark, DLG_STORE_ERROR_CORRUPT, "damaged" },
  { "truncated-to-header", DB_TRUNCATED_HEADER, dlg_store_error_quark, DLG_STORE_ERROR_CORRUPT, "damaged" },
  { "newer-schema", DB_NEWER_SCHEMA, dlg_store_error_quark, DLG_STORE_ERROR_NEWER_SCHEMA, "newer version of Diligence" },
  { "other-application", DB_FOREIGN, dlg_store_error_quark, DLG_STORE_ERROR_CORRUPT, "another program's tables" },
  { "garbage-wal", DB_GARBAGE_WAL, NULL, 0, NULL },
  { "directory", DB_DIRECTORY, dlg_store_error_quark, DLG_STORE_ERROR_OPEN, "cannot be opened" },
};

static void
test_database (gconstpointer data)
{
  const DbRow *row = data;
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "diligence.sqlite", NULL);
  g_autoptr(GBytes) good = make_database (dir);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DlgStore) store = NULL;
  gsize size = g_bytes_get_size (good);
  Row outcome = { row->name, NULL, 0, NULL, row->domain, row->code, row->message };

  switch (row->what)
    {
    case DB_EMPTY:
      bytes = g_bytes_new (NULL, 0);
      break;
    case DB_RANDOM:
      bytes = gen_random ("65536");
      break;
    case DB_TEXT:
      bytes = g_bytes_new_static ("name,level\nExemple,green\n", 25);
      break;
    case DB_HEADER_DESTROYED:
      {
        guint8 *copy = g_memdup2 (g_bytes_get_data (good, NULL), size);
        memset (copy, 0x5a, 100);
        bytes = g_bytes_new_take (copy, size);
      }
      break;
    case DB_TRUNCATED_HALF:
      bytes = g_bytes_new_from_bytes (good, 0, size / 2);
      break;
    case DB_TRUNCATED_HEADER:
      bytes = g_bytes_new_from_bytes (good, 0, 100);
      break;
    case DB_NEWER_SCHEMA:
    case DB_FOREIGN:
    case DB_GARBAGE_WAL:
      bytes = g_bytes_ref (good);
      break;
    case DB_DIRECTORY:
    default:
      break;
    }

  if (row->what == DB_DIRECTORY)
    g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  else
    write_file (path, bytes);

  if (row->what == DB_NEWER_SCHEMA || row->what == DB_FOREIGN)
    {
      sqlite3 *db;
      const char *sql = row->what == DB_NEWER_SCHEMA
        ? "PRAGMA user_version = 999"
        : "DROP TABLE answers; DROP TABLE assessments; DROP TABLE questionnaires; "
          "PRAGMA user_version = 0; PRAGMA journal_mode = DELETE";

      g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (db);
      g_clear_pointer (&bytes, g_bytes_unref);
      {
        g_autofree char *contents = NULL;
        gsize length;

        g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
        bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
      }
    }
  else if (row->what == DB_GARBAGE_WAL)
    {
      /* A write-ahead log that is not one (its checksums fail) is
       * ignored: what was committed to the database is all there. */
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autoptr(GBytes) garbage = gen_random ("40000");

      write_file (wal, garbage);
    }

  store = dlg_store_open (path, &error);
  if (store != NULL && !dlg_store_check_integrity (store, &error))
    g_clear_object (&store);
  if (store != NULL)
    {
      g_autoptr(GPtrArray) list = dlg_store_list_assessments (store, &error);

      if (list == NULL)
        g_clear_object (&store);
      else if (row->what == DB_GARBAGE_WAL)
        g_assert_cmpuint (list->len, ==, 1);
    }
  check_outcome (&outcome, store != NULL, error, NULL);

  /* A file that was refused is exactly as it was: it may be the only copy
   * of the user's work. */
  if (store == NULL && bytes != NULL)
    assert_file_is (path, bytes);

  g_clear_object (&store);
  remove_tree (dir);
}

/* ------------------------------------------------------------------------ */
/* diligence-tool command lines                                             */
/* ------------------------------------------------------------------------ */

typedef struct
{
  const char *name;
  const char *args[6];      /* "@DIR@" is the test's folder */
  int         status;
  const char *err;          /* a substring of standard error */
} ToolRow;

static const ToolRow tool_rows[] = {
  { "no-command", { NULL }, 2, "Usage" },
  { "unknown-command", { "frobnicate", NULL }, 2, "Usage" },
  { "unknown-option", { "validate", "--frobnicate", "x", NULL }, 2, "Unknown option --frobnicate" },
  { "validate-no-file", { "validate", NULL }, 2, "No file given" },
  { "score-one-file", { "score", "@DIR@/q.json", NULL }, 2, "Give a questionnaire and an answers file" },
  { "missing-file", { "validate", "@DIR@/nothing.json", NULL }, 2, "No such file or directory" },
  { "directory", { "validate", "@DIR@", NULL }, 2, "is not a regular file" },
  { "device", { "validate", "/dev/zero", NULL }, 2, "“/dev/zero” is not a regular file" },
  { "fifo", { "validate", "@DIR@/fifo.json", NULL }, 2, "is not a regular file" },
  { "symlink-loop", { "validate", "@DIR@/loop.json", NULL }, 2, "Too many levels of symbolic links" },
  { "unreadable", { "validate", "@DIR@/secret.json", NULL }, 2, "Permission denied" },
  { "huge-file", { "validate", "@DIR@/huge.json", NULL }, 2, "is larger than 64.0\xc2\xa0MiB" },
  { "empty-file", { "validate", "@DIR@/empty.json", NULL }, 1, "The file is empty" },
  { "binary-file", { "validate", "@DIR@/binary.json", NULL }, 1, "error:" },
  { "file-name-not-utf8", { "validate", "@DIR@/caf\xe9.json", NULL }, 2, "caf\xef\xbf\xbd.json" },
  { "score-answers-directory", { "score", "@DIR@/q.json", "@DIR@", NULL }, 2, "is not a regular file" },
  { "score-answers-huge", { "score", "@DIR@/q.json", "@DIR@/huge.json", NULL }, 2, "is larger than 64.0\xc2\xa0MiB" },
  { "pubkey-huge", { "pubkey", "@DIR@/big.pem", NULL }, 2, "is larger than 64.0\xc2\xa0KiB" },
  { "pubkey-weak-key", { "pubkey", "@DIR@/weak.jwk", NULL }, 1, "anyone could make signatures" },
  { "pubkey-device", { "pubkey", "/dev/urandom", NULL }, 2, "is not a regular file" },
  { "keygen-no-output", { "keygen", NULL }, 2, "--output FILE" },
  { "keygen-into-missing-folder", { "keygen", "--output", "@DIR@/no/such/folder/key.pem", NULL }, 2, "No such file or directory" },
};

static void
make_tool_files (const char *dir)
{
  g_autofree char *q = g_build_filename (dir, "q.json", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo.json", NULL);
  g_autofree char *loop = g_build_filename (dir, "loop.json", NULL);
  g_autofree char *secret = g_build_filename (dir, "secret.json", NULL);
  g_autofree char *huge = g_build_filename (dir, "huge.json", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.json", NULL);
  g_autofree char *binary = g_build_filename (dir, "binary.json", NULL);
  g_autofree char *big = g_build_filename (dir, "big.pem", NULL);
  g_autofree char *weak = g_build_filename (dir, "weak.jwk", NULL);
  g_autoptr(GBytes) random = gen_random ("4096");
  g_autoptr(GBytes) weak_jwk = gen_raw_key ("0000000000000000000000000000000000000000000000000000000000000000|"
                                            "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"@RAWX@\"}");
  int fd;

  g_assert_true (g_file_set_contents (q, Q_VALID, -1, NULL));
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (symlink ("loop.json", loop), ==, 0);
  g_assert_true (g_file_set_contents (secret, Q_VALID, -1, NULL));
  g_assert_cmpint (g_chmod (secret, 0), ==, 0);
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  write_file (binary, random);
  write_file (weak, weak_jwk);

  /* Sparse files: large, but they cost no disk space. */
  fd = g_open (huge, O_WRONLY | O_CREAT, 0600);
  g_assert_cmpint (ftruncate (fd, (goffset) DLG_JSON_MAX_SIZE + 1), ==, 0);
  close (fd);
  fd = g_open (big, O_WRONLY | O_CREAT, 0600);
  g_assert_cmpint (ftruncate (fd, DLG_KEY_MAX_FILE_SIZE + 1), ==, 0);
  close (fd);
}

static void
test_tool (gconstpointer data)
{
  const ToolRow *row = data;
  g_autofree char *dir = make_dir ();
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GBytes) out_bytes = NULL;
  g_autoptr(GBytes) err_bytes = NULL;
  const char *tool = g_getenv ("DILIGENCE_TOOL");

  /* Root reads every file whatever its permissions. */
  if (strcmp (row->name, "unreadable") == 0 && geteuid () == 0)
    {
      g_test_skip ("root can read files without read permission");
      remove_tree (dir);
      return;
    }

  g_assert_nonnull (tool);
  make_tool_files (dir);
  g_ptr_array_add (args, g_strdup (tool));
  for (guint i = 0; row->args[i] != NULL; i++)
    {
      g_autoptr(GString) arg = g_string_new (row->args[i]);

      g_string_replace (arg, "@DIR@", dir, 0);
      g_ptr_array_add (args, g_string_free (g_steal_pointer (&arg), FALSE));
    }
  g_ptr_array_add (args, NULL);

  proc = g_subprocess_newv ((const char * const *) args->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (proc, NULL, NULL, &out_bytes, &err_bytes, &error);
  g_assert_no_error (error);
  out = g_strndup (g_bytes_get_data (out_bytes, NULL), g_bytes_get_size (out_bytes));
  err = g_strndup (g_bytes_get_data (err_bytes, NULL), g_bytes_get_size (err_bytes));
  {
    /* The tool repeats file names as given, which need not be UTF-8;
     * the test log must be. */
    g_autofree char *shown = g_utf8_make_valid (err, -1);

    g_test_message ("status %d\nstderr: %s", g_subprocess_get_exit_status (proc), shown);
  }

  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, row->status);
  if (strstr (err, row->err) == NULL)
    g_error ("“%s” is not in standard error: %s", row->err, err);

  remove_tree (dir);
}

/* ------------------------------------------------------------------------ */

static void
add_rows (const char *entry,
          const Row  *rows,
          gsize       n,
          GTestDataFunc func)
{
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("/bad-input/%s/%s", entry, rows[i].name);

      g_test_add_data_func (path, &rows[i], func);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *scoring_path = NULL;
  g_autoptr(GBytes) scoring_bytes = NULL;

  g_test_init (&argc, &argv, NULL);

  signing_key = dlg_key_generate (&error);
  g_assert_no_error (error);
  other_key = dlg_key_generate (&error);
  g_assert_no_error (error);
  scoring_path = g_test_build_filename (G_TEST_DIST, "data", "valid", "scoring.json", NULL);
  scoring_bytes = dlg_file_read (scoring_path, DLG_JSON_MAX_SIZE, &error);
  g_assert_no_error (error);
  scoring = dlg_questionnaire_new_from_bytes (scoring_bytes, NULL, &error);
  g_assert_no_error (error);

  add_rows ("json", json_rows, G_N_ELEMENTS (json_rows), test_json);
  add_rows ("questionnaire", questionnaire_rows, G_N_ELEMENTS (questionnaire_rows), test_questionnaire);
  add_rows ("answers", answers_rows, G_N_ELEMENTS (answers_rows), test_answers);
  add_rows ("jws", jws_rows, G_N_ELEMENTS (jws_rows), test_jws);
  add_rows ("key", key_rows, G_N_ELEMENTS (key_rows), test_key);
  add_rows ("trust-store", trust_rows, G_N_ELEMENTS (trust_rows), test_trust);
  g_test_add_func ("/bad-input/trust-store/huge", test_trust_huge);
  add_rows ("evidence-name", evidence_name_rows, G_N_ELEMENTS (evidence_name_rows), test_evidence_name);

#define ADD_STORE(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_set_up, func, store_fixture_tear_down)
  ADD_STORE ("/bad-input/attach/control-character", test_attach_control_character);
  ADD_STORE ("/bad-input/attach/latin1-name", test_attach_latin1_name);
  ADD_STORE ("/bad-input/attach/relative-path", test_attach_relative_path);
  ADD_STORE ("/bad-input/attach/directory", test_attach_directory);
  ADD_STORE ("/bad-input/attach/device", test_attach_device);
  ADD_STORE ("/bad-input/attach/fifo", test_attach_fifo);
  ADD_STORE ("/bad-input/attach/missing", test_attach_missing);
#undef ADD_STORE

  for (gsize i = 0; i < G_N_ELEMENTS (db_rows); i++)
    {
      g_autofree char *path = g_strdup_printf ("/bad-input/database/%s", db_rows[i].name);

      g_test_add_data_func (path, &db_rows[i], test_database);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (tool_rows); i++)
    {
      g_autofree char *path = g_strdup_printf ("/bad-input/tool/%s", tool_rows[i].name);

      g_test_add_data_func (path, &tool_rows[i], test_tool);
    }

  return g_test_run ();
}
