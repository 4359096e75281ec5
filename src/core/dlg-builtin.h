/* dlg-builtin.h - the questionnaires that ship with Diligence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dlg-questionnaire.h"

G_BEGIN_DECLS

GPtrArray *dlg_builtin_load_questionnaires (GError **error);

G_END_DECLS
