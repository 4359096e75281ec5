/* dlg-diagnostic.h - what a validator has to say about a file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  DLG_SEVERITY_ERROR,
  DLG_SEVERITY_WARNING,
} DlgSeverity;

/**
 * DlgDiagnostic:
 * @severity: an error makes the file unusable; a warning does not
 * @pointer: (nullable): the RFC 6901 JSON Pointer of the node concerned
 * @line: 1-based line for syntax errors, 0 when unknown
 * @column: 1-based column in characters, 0 when unknown
 * @message: what is wrong, in words, for the author of the file
 */
typedef struct
{
  DlgSeverity  severity;
  char        *pointer;
  guint        line;
  guint        column;
  char        *message;
} DlgDiagnostic;

DlgDiagnostic *dlg_diagnostic_new    (DlgSeverity          severity,
                                      const char          *pointer,
                                      const char          *message);
void           dlg_diagnostic_free   (DlgDiagnostic       *diagnostic);
char          *dlg_diagnostic_format (const DlgDiagnostic *diagnostic,
                                      const char          *filename);

GPtrArray     *dlg_diagnostics_new          (void);
guint          dlg_diagnostics_count        (GPtrArray   *diagnostics,
                                             DlgSeverity  severity);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlgDiagnostic, dlg_diagnostic_free)

G_END_DECLS
