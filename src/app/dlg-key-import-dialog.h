/* dlg-key-import-dialog.h - adding an organisation's public key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dlg-core.h"

G_BEGIN_DECLS

#define DLG_TYPE_KEY_IMPORT_DIALOG (dlg_key_import_dialog_get_type ())

G_DECLARE_FINAL_TYPE (DlgKeyImportDialog, dlg_key_import_dialog, DLG, KEY_IMPORT_DIALOG, AdwMessageDialog)

GtkWidget     *dlg_key_import_dialog_new          (GtkWindow          *parent,
                                                   DlgTrustStore      *trust,
                                                   DlgKey             *key,
                                                   const char         *organisation_name,
                                                   const char         *organisation_id);
void           dlg_key_import_dialog_set_trusted  (DlgKeyImportDialog *self,
                                                   gboolean            trusted);
void           dlg_key_import_dialog_set_organisation (DlgKeyImportDialog *self,
                                                   const char         *name,
                                                   const char         *id);
DlgTrustedKey *dlg_key_import_dialog_import       (DlgKeyImportDialog *self,
                                                   GError            **error);
GtkWidget     *dlg_key_import_dialog_new_for_file (GtkWindow          *parent,
                                                   DlgTrustStore      *trust,
                                                   GFile              *file,
                                                   const char         *organisation_name,
                                                   const char         *organisation_id,
                                                   GError            **error);

G_END_DECLS
