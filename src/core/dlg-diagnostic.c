/* dlg-diagnostic.c - what a validator has to say about a file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dlg-diagnostic"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "dlg-diagnostic.h"

DlgDiagnostic *
dlg_diagnostic_new (DlgSeverity  severity,
                    const char  *pointer,
                    const char  *message)
{
  DlgDiagnostic *d = g_new0 (DlgDiagnostic, 1);

  d->severity = severity;
  d->pointer = g_strdup (pointer);
  d->message = g_strdup (message);
  return d;
}

void
dlg_diagnostic_free (DlgDiagnostic *diagnostic)
{
  if (diagnostic == NULL)
    return;
  g_free (diagnostic->pointer);
  g_free (diagnostic->message);
  g_free (diagnostic);
}

/**
 * dlg_diagnostic_format:
 * @filename: (nullable): the file's name as the user gave it
 *
 * Formats a diagnostic the way compilers do, so that editors and terminals
 * can jump to it: "FILE:LINE:COLUMN: error: …" when the position is known,
 * "FILE: error: /json/pointer: …" otherwise.
 *
 * Returns: (transfer full): one line, without a trailing newline
 */
char *
dlg_diagnostic_format (const DlgDiagnostic *diagnostic,
                       const char          *filename)
{
  GString *s = g_string_new (NULL);
  /* TRANSLATORS: these keep the compiler convention; tools parse them. */
  const char *kind = diagnostic->severity == DLG_SEVERITY_ERROR ? "error" : "warning";

  if (filename != NULL)
    g_string_append (s, filename);
  if (diagnostic->line > 0)
    g_string_append_printf (s, "%s%u:%u", filename ? ":" : "", diagnostic->line, diagnostic->column);
  if (s->len > 0)
    g_string_append (s, ": ");
  g_string_append_printf (s, "%s: ", kind);
  if (diagnostic->pointer != NULL && diagnostic->line == 0)
    g_string_append_printf (s, "%s: ", diagnostic->pointer[0] ? diagnostic->pointer : "/");
  g_string_append (s, diagnostic->message);

  return g_string_free (s, FALSE);
}

GPtrArray *
dlg_diagnostics_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) dlg_diagnostic_free);
}

guint
dlg_diagnostics_count (GPtrArray   *diagnostics,
                       DlgSeverity  severity)
{
  guint n = 0;

  if (diagnostics == NULL)
    return 0;

  for (guint i = 0; i < diagnostics->len; i++)
    if (((DlgDiagnostic *) g_ptr_array_index (diagnostics, i))->severity == severity)
      n++;
  return n;
}
