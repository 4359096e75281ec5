/* dlg-json.h - strict JSON reading for files from strangers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define DLG_JSON_ERROR (dlg_json_error_quark ())

typedef enum
{
  DLG_JSON_ERROR_SYNTAX,
  DLG_JSON_ERROR_ENCODING,
  DLG_JSON_ERROR_DEPTH,
  DLG_JSON_ERROR_DUPLICATE_KEY,
  DLG_JSON_ERROR_TOO_LARGE,
} DlgJsonError;

/* Deeper documents are refused rather than parsed recursively without end. */
#define DLG_JSON_MAX_DEPTH 64

/* Larger documents are refused before parsing. */
#define DLG_JSON_MAX_SIZE (64 * 1024 * 1024)

GQuark    dlg_json_error_quark (void);

JsonNode *dlg_json_parse       (const char  *data,
                                gsize        length,
                                guint       *error_line,
                                guint       *error_column,
                                GError     **error);

char     *dlg_json_pointer_escape (const char *token);

gboolean  dlg_json_write_file  (JsonNode    *node,
                                const char  *path,
                                GError     **error);

G_END_DECLS
