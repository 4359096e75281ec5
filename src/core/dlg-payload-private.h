/* dlg-payload-private.h - what the report and review payloads share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not part of the core's public API: dlg-report.c and dlg-review.c use
 * these to write payloads byte for byte the same way every time and to
 * check payloads from strangers with the same rules and messages.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "dlg-json.h"
#include "dlg-jws.h"
#include "dlg-key.h"
#include "dlg-level.h"

G_BEGIN_DECLS

/* The codes every payload error domain starts with, in this order, so
 * that one checker serves DLG_REPORT_ERROR and DLG_REVIEW_ERROR. */
typedef enum
{
  DLG_PAYLOAD_ERROR_SYNTAX,
  DLG_PAYLOAD_ERROR_TOO_LARGE,
  DLG_PAYLOAD_ERROR_FORMAT,
  DLG_PAYLOAD_ERROR_MISSING_MEMBER,
  DLG_PAYLOAD_ERROR_UNKNOWN_MEMBER,
  DLG_PAYLOAD_ERROR_WRONG_TYPE,
  DLG_PAYLOAD_ERROR_INVALID_VALUE,
} DlgPayloadError;

/* Kinds of string a checker accepts. */
typedef enum
{
  DLG_STRING_TEXT,        /* any text, newlines allowed, no other control characters */
  DLG_STRING_LINE,        /* one line of text, not blank */
  DLG_STRING_UUID,        /* any RFC 4122 UUID, lower case */
  DLG_STRING_UUID4,       /* a random (version 4) UUID, lower case */
  DLG_STRING_SHA256,      /* 64 lower-case hex digits */
  DLG_STRING_TIMESTAMP,   /* RFC 3339 date and time in UTC, ending in Z */
  DLG_STRING_DATE,        /* YYYY-MM-DD */
  DLG_STRING_LANGUAGE,    /* a BCP 47 tag such as "en" or "fr-BE" */
  DLG_STRING_PARTY_ID,    /* an enterprise or VAT number */
  DLG_STRING_COUNTRY,     /* ISO 3166-1 alpha-2, upper case */
  DLG_STRING_ID,          /* a questionnaire, section, question, option or action id */
} DlgStringKind;

typedef struct
{
  GQuark      domain;
  const char *what;       /* "report" or "review", for messages */
  GError    **error;
} DlgCheck;

GBytes             *dlg_payload_serialize   (JsonNode           *node,
                                             gboolean            pretty);
char               *dlg_payload_now         (void);

gboolean            dlg_payload_string_is   (const char         *string,
                                             DlgStringKind       kind);

DlgJsonDoc         *dlg_check_parse         (DlgCheck           *check,
                                             GBytes             *bytes,
                                             gsize               max_size);
gboolean            dlg_check_format        (DlgCheck           *check,
                                             const DlgJsonValue *root,
                                             const char         *format);
gboolean            dlg_check_members       (DlgCheck           *check,
                                             const DlgJsonValue *object,
                                             const char         *pointer,
                                             const char * const *allowed,
                                             gboolean            allow_extensions);
const DlgJsonValue *dlg_check_member        (DlgCheck           *check,
                                             const DlgJsonValue *object,
                                             const char         *pointer,
                                             const char         *key,
                                             DlgJsonType         type,
                                             gboolean            nullable);
const DlgJsonValue *dlg_check_array         (DlgCheck           *check,
                                             const DlgJsonValue *object,
                                             const char         *pointer,
                                             const char         *key,
                                             guint               max_length);
gboolean            dlg_check_string        (DlgCheck           *check,
                                             const DlgJsonValue *object,
                                             const char         *pointer,
                                             const char         *key,
                                             DlgStringKind       kind,
                                             gboolean            nullable,
                                             gsize               max_length,
                                             const char        **out);
gboolean            dlg_check_string_ok     (const DlgJsonValue *value,
                                             DlgStringKind       kind,
                                             gsize               max_length);
gboolean            dlg_check_string_value  (DlgCheck           *check,
                                             const DlgJsonValue *value,
                                             const char         *pointer,
                                             DlgStringKind       kind,
                                             gsize               max_length);
gboolean            dlg_check_boolean       (DlgCheck           *check,
                                             const DlgJsonValue *object,
                                             const char         *pointer,
                                             const char         *key,
                                             gboolean           *out);
gboolean            dlg_check_count         (DlgCheck           *check,
                                             const DlgJsonValue *object,
                                             const char         *pointer,
                                             const char         *key,
                                             guint              *out);
gboolean            dlg_check_level         (DlgCheck           *check,
                                             const DlgJsonValue *object,
                                             const char         *pointer,
                                             const char         *key,
                                             DlgLevel           *out);
gboolean            dlg_check_fail          (DlgCheck           *check,
                                             int                 code,
                                             const char         *pointer,
                                             const char         *format,
                                             ...) G_GNUC_PRINTF (4, 5);

GBytes             *dlg_check_jws           (DlgCheck           *check,
                                             DlgJws             *jws,
                                             DlgKey             *key,
                                             const char         *typ);

char               *dlg_pointer_append      (const char         *pointer,
                                             const char         *key);
char               *dlg_pointer_index       (const char         *pointer,
                                             const char         *key,
                                             guint               index);

G_END_DECLS
