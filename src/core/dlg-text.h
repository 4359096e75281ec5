/* dlg-text.h - a human-readable string in several languages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "dlg-json.h"

G_BEGIN_DECLS

typedef struct _DlgText DlgText;

DlgText    *dlg_text_new          (const char    *default_language,
                                   const char    *value);
DlgText    *dlg_text_new_borrowed (DlgJsonDoc         *doc,
                                   guint               n,
                                   const char * const *languages,
                                   const char * const *values);
void        dlg_text_add          (DlgText       *text,
                                   const char    *language,
                                   const char    *value);
void        dlg_text_free         (DlgText       *text);
const char *dlg_text_get          (const DlgText *text,
                                   const char    *language);
const char *dlg_text_get_exact    (const DlgText *text,
                                   const char    *language);
const char *dlg_text_get_default  (const DlgText *text);
guint       dlg_text_get_n_languages (const DlgText *text);
const char *dlg_text_get_language (const DlgText *text,
                                   guint          index);

const char *dlg_language_pick     (const char * const *available);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DlgText, dlg_text_free)

G_END_DECLS
