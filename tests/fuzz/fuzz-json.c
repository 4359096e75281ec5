/* fuzz-json.c - the strict JSON reader, with any bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "dlg-core.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(DlgJsonDoc) doc = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint line, column;

  doc = dlg_json_doc_parse ((const char *) data, size, &line, &column, NULL);
  if (doc != NULL)
    {
      /* What parsed must convert, and a reported error must have a place. */
      node = dlg_json_to_node (dlg_json_doc_get_root (doc));
      g_assert_nonnull (node);
    }
  else
    g_assert_true (line > 0 && column > 0);

  return 0;
}
