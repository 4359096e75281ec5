/* dlg-profile-editor.h - the organisation's profile as preference rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dlg-core.h"

G_BEGIN_DECLS

#define DLG_TYPE_PROFILE_EDITOR (dlg_profile_editor_get_type ())

G_DECLARE_FINAL_TYPE (DlgProfileEditor, dlg_profile_editor, DLG, PROFILE_EDITOR, AdwPreferencesGroup)

GtkWidget  *dlg_profile_editor_new         (void);
void        dlg_profile_editor_set_profile (DlgProfileEditor *self,
                                            const DlgProfile *profile);
DlgProfile *dlg_profile_editor_get_profile (DlgProfileEditor *self);
gboolean    dlg_profile_editor_is_valid    (DlgProfileEditor *self);

G_END_DECLS
