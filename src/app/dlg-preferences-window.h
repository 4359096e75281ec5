/* dlg-preferences-window.h - profile, style and language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dlg-core.h"

G_BEGIN_DECLS

#define DLG_TYPE_PREFERENCES_WINDOW (dlg_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (DlgPreferencesWindow, dlg_preferences_window, DLG, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *dlg_preferences_window_new (GtkWindow *parent,
                                       DlgStore  *store,
                                       GSettings *settings);
void       dlg_preferences_window_set_keys (DlgPreferencesWindow *self,
                                            DlgKeyring           *keyring,
                                            DlgTrustStore        *trust,
                                            const GError         *trust_error);
void       dlg_preferences_window_show_signatures (DlgPreferencesWindow *self);
DlgKey    *dlg_preferences_window_get_key (DlgPreferencesWindow *self);
gboolean   dlg_preferences_window_export_key (DlgPreferencesWindow  *self,
                                              GFile                 *file,
                                              gboolean               pem,
                                              GError               **error);

G_END_DECLS
