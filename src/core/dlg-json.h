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

typedef enum
{
  DLG_JSON_NULL,
  DLG_JSON_BOOLEAN,
  DLG_JSON_NUMBER,
  DLG_JSON_STRING,
  DLG_JSON_ARRAY,
  DLG_JSON_OBJECT,
} DlgJsonType;

typedef struct _DlgJsonValue DlgJsonValue;
typedef struct _DlgJsonDoc   DlgJsonDoc;

typedef struct
{
  const char   *key;
  DlgJsonValue *value;
} DlgJsonMember;

/* A read-only JSON tree whose nodes and strings all live in one arena
 * owned by the DlgJsonDoc: parsing a large file costs a few allocations
 * rather than several per node. */
struct _DlgJsonValue
{
  DlgJsonType type;
  guint       length;         /* string bytes, array elements, object members */
  gboolean    is_integer;     /* a number written without fraction or exponent */
  union {
    gboolean        boolean;
    double          number;
    const char     *string;
    DlgJsonValue  **elements;
    DlgJsonMember  *members;
  };
};

GQuark    dlg_json_error_quark (void);

DlgJsonDoc         *dlg_json_doc_parse  (const char    *data,
                                         gsize          length,
                                         guint         *error_line,
                                         guint         *error_column,
                                         GError       **error);
DlgJsonDoc         *dlg_json_doc_ref    (DlgJsonDoc    *doc);
void                dlg_json_doc_unref  (DlgJsonDoc    *doc);
DlgJsonValue       *dlg_json_doc_get_root (DlgJsonDoc  *doc);
gpointer            dlg_json_doc_alloc  (DlgJsonDoc    *doc,
                                         gsize          size);

const char         *dlg_json_type_name  (const DlgJsonValue *value);
DlgJsonValue       *dlg_json_get        (const DlgJsonValue *object,
                                         const char         *key);
DlgJsonValue       *dlg_json_index      (const DlgJsonValue *array,
                                         guint               index);
JsonNode           *dlg_json_to_node    (const DlgJsonValue *value);

#define dlg_json_length(v)     ((v)->length)
#define dlg_json_is_object(v)  ((v)->type == DLG_JSON_OBJECT)
#define dlg_json_is_array(v)   ((v)->type == DLG_JSON_ARRAY)
#define dlg_json_is_string(v)  ((v)->type == DLG_JSON_STRING)
#define dlg_json_is_number(v)  ((v)->type == DLG_JSON_NUMBER)
#define dlg_json_is_boolean(v) ((v)->type == DLG_JSON_BOOLEAN)
#define dlg_json_is_null(v)    ((v)->type == DLG_JSON_NULL)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlgJsonDoc, dlg_json_doc_unref)

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
